//! Roles of SPEC.md and what each may see: the one place scope rules are decided,
//! so pages, API calls and exports cannot disagree.

mod sections;

pub use sections::{Section, AUTHORISATION_MATRIX};

use crate::regions::{RegionCode, RegionLevel};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Region,
    Chain,
    Leader,
    Member,
    Liaison,
    Reviewer,
    Investor,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("角色“{0}”无效，应为 admin, region, chain, leader, member, liaison, reviewer, investor 之一")]
pub struct RoleError(pub String);

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::Region,
        Role::Chain,
        Role::Leader,
        Role::Member,
        Role::Liaison,
        Role::Reviewer,
        Role::Investor,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Region => "region",
            Role::Chain => "chain",
            Role::Leader => "leader",
            Role::Member => "member",
            Role::Liaison => "liaison",
            Role::Reviewer => "reviewer",
            Role::Investor => "investor",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "省级管理员",
            Role::Region => "市州/园区用户",
            Role::Chain => "链长牵头部门",
            Role::Leader => "领导",
            Role::Member => "委员/专家",
            Role::Liaison => "商会联络员",
            Role::Reviewer => "评审专家",
            Role::Investor => "投资者",
        }
    }

    /// Accepts the English key or the Chinese label.
    pub fn parse(text: &str) -> Result<Role, RoleError> {
        let text = text.trim();
        Role::ALL
            .into_iter()
            .find(|role| role.key() == text || role.label() == text)
            .ok_or_else(|| RoleError(text.to_string()))
    }

    /// A region user is meaningless without its region.
    pub fn requires_region(self) -> bool {
        self == Role::Region
    }
}

/// The signed-in user as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub region: Option<RegionCode>,
}

/// What a user may do with the S&T achievement pool (`Principal::pool_access`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolAccess {
    /// Every achievement and review; imports and exports.
    Manage,
    /// Every achievement and the pool, reviews summed up but no reviewer's own scores.
    Read,
    /// The achievements the user reviewed, with its own reviews only.
    OwnReviews,
    Nothing,
}

impl PoolAccess {
    /// The ranked pool with each achievement's score breakdown.
    pub fn reads_pool(self) -> bool {
        matches!(self, PoolAccess::Manage | PoolAccess::Read)
    }
}

/// Which regions' full records a user may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordScope {
    All,
    Within(RegionCode),
    Nothing,
}

impl RecordScope {
    pub fn allows(&self, region: &RegionCode) -> bool {
        match self {
            RecordScope::All => true,
            RecordScope::Within(own) => own.contains(region),
            RecordScope::Nothing => false,
        }
    }

    /// The code prefix a query filters on: `Some("")` for everything.
    pub fn prefix(&self) -> Option<&str> {
        match self {
            RecordScope::All => Some(""),
            RecordScope::Within(own) => Some(own.scope_prefix()),
            RecordScope::Nothing => None,
        }
    }

    /// The part of `region` whose records this scope reads, as a code prefix; `None` when
    /// they do not overlap (a chain map seen from a region larger than the user's).
    pub fn prefix_within(&self, region: &RegionCode) -> Option<String> {
        match self {
            RecordScope::All => Some(region.scope_prefix().to_string()),
            RecordScope::Within(own) if own.contains(region) => Some(region.scope_prefix().to_string()),
            RecordScope::Within(own) if region.contains(own) => Some(own.scope_prefix().to_string()),
            _ => None,
        }
    }
}

/// Which projects, and so which funding records, figures and search hits of projects,
/// a user may read: a region scope and, for a chain department, its chains only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectScope {
    pub regions: RecordScope,
    /// `Some(names)`: only projects whose chain is one of these; `None`: any chain.
    pub chains: Option<Vec<String>>,
}

impl ProjectScope {
    /// Whether a project of `region` on the chain named `chain` may be read.
    pub fn allows(&self, region: &RegionCode, chain: &str) -> bool {
        self.regions.allows(region) && self.allows_chain(chain)
    }

    /// Whether projects of the chain named `chain` may be read at all.
    pub fn allows_chain(&self, chain: &str) -> bool {
        self.chains.as_ref().is_none_or(|names| names.iter().any(|name| name == chain))
    }

    /// True for roles that read no projects whatever (pages answer 403); a chain
    /// department without chains reads empty lists instead.
    pub fn reads_nothing(&self) -> bool {
        self.regions == RecordScope::Nothing
    }
}

/// Which leads (商会线索) a user may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeadScope {
    /// The leads followed in these regions (staff).
    Regions(RecordScope),
    /// Its own chamber's leads, wherever they are followed (a liaison).
    Chamber(i64),
    Nothing,
}

impl LeadScope {
    /// Whether a lead brought by `chamber_id` (none: an enquiry from the portal)
    /// followed in `region` may be read.
    pub fn allows(&self, region: &RegionCode, chamber_id: Option<i64>) -> bool {
        match self {
            LeadScope::Regions(scope) => scope.allows(region),
            LeadScope::Chamber(own) => chamber_id == Some(*own),
            LeadScope::Nothing => false,
        }
    }
}

/// Whose enterprises a chain link's target list may show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetScope {
    /// No target enterprises at all (roles that read no enterprise records).
    Nothing,
    /// Enterprises anywhere but in this region and its sub-regions.
    Outside(RegionCode),
}

impl Principal {
    /// The projects (and their funding) the user may read. `own_chains` are the names of
    /// the chains assigned to the user (`user_chains`); only a chain department's
    /// scope depends on them: its chains' projects in every region (SPEC: "its chains
    /// everywhere … chain projects"), and no other project.
    pub fn project_scope(&self, own_chains: &[String]) -> ProjectScope {
        match self.role {
            Role::Chain => ProjectScope { regions: RecordScope::All, chains: Some(own_chains.to_vec()) },
            _ => ProjectScope { regions: self.record_scope(), chains: None },
        }
    }

    /// Whether `project_scope` needs the user's chains (read them only then).
    pub fn project_scope_needs_chains(&self) -> bool {
        self.role == Role::Chain
    }

    /// Where the target enterprises of a chain link may lie when the chain map is seen
    /// for `region`. Province-level users (the admin, users without a region or of a
    /// province) see every enterprise outside that region. A city or county user sees
    /// only enterprises outside the province, unless the province has allowed
    /// relocation within it (`in_province_allowed`): poaching a neighbour's enterprises
    /// is not what the province wants. Roles that read no enterprise records see none.
    pub fn target_scope(&self, region: &RegionCode, in_province_allowed: bool) -> TargetScope {
        match self.role {
            Role::Admin => TargetScope::Outside(region.clone()),
            Role::Region | Role::Chain | Role::Leader => {
                let local = self.region.as_ref().is_some_and(|own| own.level() != RegionLevel::Province);
                if local && !in_province_allowed {
                    TargetScope::Outside(region.province())
                } else {
                    TargetScope::Outside(region.clone())
                }
            }
            _ => TargetScope::Nothing,
        }
    }

    /// Full records (projects, funding, enterprises of a region) the user may read.
    /// Projects and funding follow `project_scope`, which narrows this for a chain
    /// department to its chains.
    pub fn record_scope(&self) -> RecordScope {
        match (self.role, &self.region) {
            (Role::Admin, _) => RecordScope::All,
            (Role::Region, Some(region)) => RecordScope::Within(region.clone()),
            (Role::Leader | Role::Chain, Some(region)) => RecordScope::Within(region.clone()),
            (Role::Leader | Role::Chain, None) => RecordScope::All,
            _ => RecordScope::Nothing,
        }
    }

    /// Recording and editing the activities (招商活动) of `region` (`None`: the
    /// province's): the admin any; region staff their own region's. Who reads them is
    /// `record_scope`, the province's activities read by all who read any.
    pub fn may_write_activity_of(&self, region: Option<&RegionCode>) -> bool {
        match (self.role, &self.region, region) {
            (Role::Admin, _, _) => true,
            (Role::Region, Some(own), Some(region)) => own.contains(region),
            _ => false,
        }
    }

    /// Whether the user records activities at all (the form's link).
    pub fn may_record_activities(&self) -> bool {
        self.role == Role::Admin || (self.role == Role::Region && self.region.is_some())
    }

    /// The travel plans (出行招商) the user reads and writes, by the region of the leader
    /// who travels: the admin every one (the province plans for all leaders); region staff
    /// their own region's, on their leaders' behalf; a leader those of its region (a
    /// leader without a region, every one), for it plans its own trips. Nobody else.
    pub fn travel_scope(&self) -> RecordScope {
        match self.role {
            Role::Admin => RecordScope::All,
            Role::Region | Role::Leader => self.record_scope(),
            _ => RecordScope::Nothing,
        }
    }

    /// Whether the user has anything to search (enterprises and projects of a scope): the
    /// header's search box shows, and the search answers, only then.
    pub fn may_search(&self) -> bool {
        self.record_scope() != RecordScope::Nothing
    }

    /// Business-environment appeals (营商环境诉求) the user may read: the admin every
    /// appeal, a region user and a leader their region's (a leader without a region every
    /// one), and members every appeal, read-only: the members (委员) carry out the
    /// democratic supervision of the business environment on its five dimensions (the
    /// seeds), across the province. An appeal is an enterprise's complaint, not a chain
    /// matter, so a chain department sees none; nor do liaisons, reviewers and investors.
    pub fn appeal_scope(&self) -> RecordScope {
        match self.role {
            Role::Admin | Role::Member => RecordScope::All,
            Role::Region | Role::Leader => self.record_scope(),
            _ => RecordScope::Nothing,
        }
    }

    /// Registering and handling the appeals of `region`: the admin, and region staff for
    /// their own region.
    pub fn may_handle_appeals_of(&self, region: &RegionCode) -> bool {
        self.role == Role::Admin || (self.role == Role::Region && self.may_edit_records_of(region))
    }

    /// Recording a visit (六必访) to an enterprise of `region` and the problems it raised,
    /// which become that region's appeals: members anywhere (the visits are theirs to
    /// make), region staff in their own region, the admin.
    pub fn may_record_visit_in(&self, region: &RegionCode) -> bool {
        match self.role {
            Role::Admin | Role::Member => true,
            Role::Region => self.may_edit_records_of(region),
            _ => false,
        }
    }

    /// Whether the user may record visits at all (the form's link).
    pub fn may_record_visits(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Member) || (self.role == Role::Region && self.edits_records())
    }

    /// Whether the user keeps a shortlist of the portal's parks, parcels, projects and
    /// achievements (an investor's own, nobody else's).
    pub fn may_keep_shortlist(&self) -> bool {
        self.role == Role::Investor
    }

    /// Whether the user may register appeals at all (the form's link).
    pub fn may_register_appeals(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Region) && self.edits_records()
    }

    /// Whether the user may take a step of the course of an appeal of `region` (which it
    /// may read): region staff and the admin handle them (转办, 挂起, 答复, 办结 …, and
    /// record the enterprise's rating given to them); the supervisors — the admin and a
    /// leader over the region — approve or refuse extensions and reassign.
    pub fn may_take_appeal_step(&self, kind: crate::appeals::flow::ActionKind, region: &RegionCode) -> bool {
        use crate::appeals::flow::ActionKind as K;
        let supervises = match self.role {
            Role::Admin => true,
            Role::Leader => self.record_scope().allows(region),
            _ => false,
        };
        let handles = self.may_handle_appeals_of(region);
        match kind {
            K::ApproveExtension | K::RefuseExtension => supervises,
            K::Transfer => supervises || handles,
            _ => handles,
        }
    }

    /// The cities whose rows of the 营商环境监督评价 the user sees: whoever reads the
    /// province's appeals sees every city (the admin, members, a leader without a region);
    /// a region user or leader of a city or county sees its city's row and rank only (the
    /// others are another region's figures); `None` for those who read no appeals.
    pub fn supervision_score_scope(&self) -> Option<RecordScope> {
        match self.appeal_scope() {
            RecordScope::All => Some(RecordScope::All),
            RecordScope::Within(region) => Some(region.city().map_or(RecordScope::All, RecordScope::Within)),
            RecordScope::Nothing => None,
        }
    }

    /// Members (委员) give the qualitative ratings of the supervision, for every city.
    pub fn may_rate_supervision(&self) -> bool {
        self.role == Role::Member
    }

    /// The leads the user may read: staff those followed in their record scope (the
    /// leader to supervise them, read-only), a liaison its own chamber's (SPEC: "sees
    /// only those leads and their projects' stage"; none without a chamber), nobody else.
    pub fn lead_scope(&self, own_chamber: Option<i64>) -> LeadScope {
        match self.role {
            Role::Admin | Role::Region | Role::Leader => LeadScope::Regions(self.record_scope()),
            Role::Liaison => own_chamber.map_or(LeadScope::Nothing, LeadScope::Chamber),
            _ => LeadScope::Nothing,
        }
    }

    /// Adding and removing a lead's files (of a lead the user reads): whoever registered
    /// it, and the staff who may write records of the region that follows it.
    pub fn may_edit_lead(&self, region: &RegionCode, referrer_id: Option<i64>) -> bool {
        referrer_id == Some(self.user_id) || self.may_edit_records_of(region)
    }

    /// Registering a lead: a liaison for its chamber, and staff on a chamber's behalf
    /// (a region user for its own region).
    pub fn may_register_leads(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Region | Role::Liaison)
    }

    /// Whose overdue items the user's inbox holds beyond its own, to supervise (督办):
    /// the admin the province's (every region), a leader its region's (every region
    /// without one); only their owners mark them done. Others see their own items only.
    pub fn supervision_scope(&self) -> RecordScope {
        match self.role {
            Role::Admin => RecordScope::All,
            Role::Leader => self.record_scope(),
            _ => RecordScope::Nothing,
        }
    }

    /// Aggregate figures (dashboards, rankings): a region user sees other regions only as
    /// aggregates, so aggregates reach wider than records.
    pub fn may_see_aggregates(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Region | Role::Leader | Role::Chain)
    }

    /// Investment statistics of one scope: the admin and leaders see any region, region
    /// users their own, a chain department any region — the figures of its chains'
    /// projects only (`project_scope`).
    pub fn may_see_statistics_of(&self, region: &RegionCode) -> bool {
        match self.role {
            Role::Admin | Role::Leader | Role::Chain => true,
            Role::Region => self.record_scope().allows(region),
            _ => false,
        }
    }

    /// 市州综合评价 at all: the admin and leaders (read-only reports), and region users
    /// for their own region. A chain department reads only its chains' figures, never a
    /// region's whole performance, so it has no evaluation to see; nor do outside roles.
    pub fn may_see_evaluations(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Leader | Role::Region)
    }

    /// The evaluation of `region`, which ranks its direct sub-regions: the admin and
    /// leaders any region (the province's cities); a region user its own region and the
    /// regions below it, whose full records it reads. A city is not shown the province's
    /// ranking of its neighbours, as its dashboard does not open the province either.
    pub fn may_see_evaluation_of(&self, region: &RegionCode) -> bool {
        match self.role {
            Role::Admin | Role::Leader => true,
            Role::Region => self.record_scope().allows(region),
            _ => false,
        }
    }

    /// The S&T achievement pool (科技成果转化池) is the province's: the administrator and
    /// province-level staff manage it (registry, reviews, import, export); leaders read the
    /// registry and the pool without individual reviewers' scores; a reviewer sees the
    /// achievements it reviewed and its own scores only; nobody else sees it.
    pub fn pool_access(&self) -> PoolAccess {
        match self.role {
            Role::Admin => PoolAccess::Manage,
            Role::Region if self.region.as_ref().is_some_and(|r| r.level() == RegionLevel::Province) => {
                PoolAccess::Manage
            }
            Role::Leader => PoolAccess::Read,
            Role::Reviewer => PoolAccess::OwnReviews,
            _ => PoolAccess::Nothing,
        }
    }

    pub fn may_administer(&self) -> bool {
        self.role == Role::Admin
    }

    /// Whether the role writes records at all (create projects, import files).
    /// Leaders read and instruct; they do not edit records.
    pub fn edits_records(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Region)
    }

    /// Whether the user may map an import's unrecognised columns to fields, which
    /// remembers the mapping for the user's office (`import_mapping_owner`).
    pub fn may_map_import_columns(&self) -> bool {
        self.edits_records()
    }

    /// The office whose import column mappings the user reads and writes: the user's
    /// region, "" for users without one (the province's administrators). Kept per office
    /// rather than for everyone: offices name their ledgers' columns each in their own
    /// way, and no office's choice may change how another's files are read.
    pub fn import_mapping_owner(&self) -> &str {
        self.region.as_ref().map_or("", RegionCode::as_str)
    }

    pub fn may_edit_records_of(&self, region: &RegionCode) -> bool {
        self.edits_records() && self.record_scope().allows(region)
    }

    /// Chain maps and gap lists: every role working inside government reads every chain
    /// (a gap is an aggregate); the enterprises shown on it follow `chain_record_scope`.
    pub fn may_view_chains(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Region | Role::Chain | Role::Leader | Role::Member)
    }

    /// Whose enterprises and projects on a chain the user may read: a chain department
    /// sees its own chains everywhere (SPEC) and nothing on other chains, everyone else
    /// within their record scope.
    pub fn chain_record_scope(&self, own_chain: bool) -> RecordScope {
        match (self.role, own_chain) {
            (Role::Chain, true) => RecordScope::All,
            (Role::Chain, false) => RecordScope::Nothing,
            _ => self.record_scope(),
        }
    }

    /// Editing a chain (its tree, its enterprises) and pursuing its gaps: the admin, the
    /// chain department of that chain, and users of the region that runs it.
    pub fn may_edit_chain(&self, chain_region: &RegionCode, own_chain: bool) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Chain => own_chain,
            Role::Region => self.record_scope().allows(chain_region),
            _ => false,
        }
    }

    /// Research reports (调研报告) with their suggestions, instructions and tasks: the admin
    /// and a leader without a region every one, a leader or region user its region's;
    /// members file them, so read them within their region (every one without a region);
    /// a chain department (a department of the province's, SPEC: departments handle
    /// instructions) reads every report, for the tasks may come to it from any region.
    pub fn report_scope(&self) -> RecordScope {
        match (self.role, &self.region) {
            (Role::Admin | Role::Chain, _) => RecordScope::All,
            (Role::Member, Some(region)) => RecordScope::Within(region.clone()),
            (Role::Member, None) => RecordScope::All,
            (Role::Region | Role::Leader, _) => self.record_scope(),
            _ => RecordScope::Nothing,
        }
    }

    /// Filing a research report for `region`: the members who did the research, and the
    /// admin on their behalf.
    pub fn may_file_report_in(&self, region: &RegionCode) -> bool {
        matches!(self.role, Role::Admin | Role::Member) && self.report_scope().allows(region)
    }

    /// Writing an instruction (批示) on a report of `region`: a leader over the region.
    pub fn may_instruct_on(&self, region: &RegionCode) -> bool {
        self.role == Role::Leader && self.report_scope().allows(region)
    }

    /// Splitting an instruction for action into departments' tasks: the admin, and the
    /// leader over the region who instructs.
    pub fn may_assign_tasks_on(&self, region: &RegionCode) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Leader => self.report_scope().allows(region),
            _ => false,
        }
    }

    /// Replying to a task of `department`: a chain department for the departments that
    /// lead its chains (`own_departments`), and the admin on a department's behalf.
    pub fn may_reply_to_task(&self, department: &str, own_departments: &[String]) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Chain => own_departments.iter().any(|own| own == department),
            _ => false,
        }
    }

    /// Rating the final reply to a task on a report filed by `proposer` (a user id): the
    /// proposer, and the admin on the proposer's behalf.
    pub fn may_rate_task(&self, proposer: Option<i64>) -> bool {
        self.role == Role::Admin || (self.role == Role::Member && proposer == Some(self.user_id))
    }

    /// Creating and editing the work plans (工作方案, 工作计划), their tasks and the assist
    /// groups (助力小组) of `region`: the admin, and region staff for their own region.
    /// They are read by those who read the region's research reports (`report_scope`).
    pub fn may_edit_work_plans_of(&self, region: &RegionCode) -> bool {
        self.role == Role::Admin || (self.role == Role::Region && self.may_edit_records_of(region))
    }

    /// Reporting progress on a plan task of `region`: those who edit its plans, the
    /// members of the assist group that owns it (`in_owning_group`), and a chain
    /// department for a task its department owns (`own_department`).
    pub fn may_report_work_progress(&self, region: &RegionCode, in_owning_group: bool, own_department: bool) -> bool {
        self.may_edit_work_plans_of(region)
            || (self.role == Role::Member && in_owning_group && self.report_scope().allows(region))
            || (self.role == Role::Chain && own_department)
    }

    /// Creating or updating a 一企一案 plan pursued by `plan_region`.
    pub fn may_edit_plan(&self, plan_region: &RegionCode, own_chain: bool) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Chain => own_chain,
            Role::Region => self.record_scope().allows(plan_region),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(role: Role, region: Option<&str>) -> Principal {
        Principal { user_id: 1, username: "u".into(), role, region: region.map(|r| RegionCode::parse(r).unwrap()) }
    }

    fn code(text: &str) -> RegionCode {
        RegionCode::parse(text).unwrap()
    }

    #[test]
    fn activities_are_written_by_the_admin_and_their_regions_staff() {
        let baiyin = RegionCode::parse("620400").unwrap();
        let county = RegionCode::parse("620402").unwrap();
        let tianshui = RegionCode::parse("620500").unwrap();
        let admin = principal(Role::Admin, None);
        assert!(admin.may_write_activity_of(None) && admin.may_write_activity_of(Some(&tianshui)));
        let staff = principal(Role::Region, Some("620400"));
        assert!(staff.may_write_activity_of(Some(&baiyin)) && staff.may_write_activity_of(Some(&county)));
        assert!(!staff.may_write_activity_of(Some(&tianshui)) && !staff.may_write_activity_of(None));
        assert!(staff.may_record_activities() && admin.may_record_activities());
        for role in [Role::Leader, Role::Chain, Role::Member, Role::Liaison, Role::Investor] {
            assert!(!principal(role, None).may_write_activity_of(None), "{role:?}");
            assert!(!principal(role, Some("620400")).may_write_activity_of(Some(&baiyin)), "{role:?}");
            assert!(!principal(role, None).may_record_activities(), "{role:?}");
        }
    }

    #[test]
    fn records_shown_are_where_the_scope_and_the_region_overlap() {
        let province = code("620000");
        let baiyin = code("620400");
        assert_eq!(RecordScope::All.prefix_within(&province).as_deref(), Some("62"));
        assert_eq!(RecordScope::Within(baiyin.clone()).prefix_within(&province).as_deref(), Some("6204"));
        assert_eq!(RecordScope::Within(province).prefix_within(&baiyin).as_deref(), Some("6204"));
        assert_eq!(RecordScope::Within(code("620500")).prefix_within(&baiyin), None);
        assert_eq!(RecordScope::Nothing.prefix_within(&baiyin), None);
    }

    #[test]
    fn import_column_mappings_belong_to_the_office_of_those_who_import() {
        let county = principal(Role::Region, Some("620503"));
        assert!(county.may_map_import_columns());
        assert_eq!(county.import_mapping_owner(), "620503");
        let admin = principal(Role::Admin, None);
        assert!(admin.may_map_import_columns());
        assert_eq!(admin.import_mapping_owner(), "");
        for role in [Role::Chain, Role::Leader, Role::Member, Role::Liaison, Role::Reviewer, Role::Investor] {
            assert!(!principal(role, Some("620500")).may_map_import_columns(), "{role:?}");
        }
    }

    #[test]
    fn roles_parse_from_key_or_label() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.key()).unwrap(), role);
            assert_eq!(Role::parse(role.label()).unwrap(), role);
        }
        assert!(Role::parse("boss").unwrap_err().to_string().contains("角色"));
    }

    #[test]
    fn region_user_sees_its_region_and_sub_regions_only() {
        let baiyin = principal(Role::Region, Some("620400"));
        let scope = baiyin.record_scope();
        assert!(scope.allows(&code("620400")));
        assert!(scope.allows(&code("620423")));
        assert!(!scope.allows(&code("620500")));
        assert!(!scope.allows(&code("620000")));
        assert_eq!(scope.prefix(), Some("6204"));
        assert!(baiyin.may_edit_records_of(&code("620402")));
        assert!(!baiyin.may_edit_records_of(&code("620502")));
        assert!(!baiyin.may_see_statistics_of(&code("620500")));
    }

    #[test]
    fn evaluations_open_to_admin_and_leaders_anywhere_and_region_users_at_home() {
        let (province, city, county) = (code("620000"), code("620400"), code("620402"));
        for role in [Role::Admin, Role::Leader] {
            assert!(principal(role, None).may_see_evaluation_of(&province));
        }
        let baiyin = principal(Role::Region, Some("620400"));
        assert!(baiyin.may_see_evaluations());
        assert!(baiyin.may_see_evaluation_of(&city) && baiyin.may_see_evaluation_of(&county));
        assert!(!baiyin.may_see_evaluation_of(&province), "not the province's ranking");
        assert!(!baiyin.may_see_evaluation_of(&code("620500")));
        for role in [Role::Chain, Role::Member, Role::Liaison, Role::Reviewer, Role::Investor] {
            assert!(!principal(role, None).may_see_evaluations(), "{role:?}");
            assert!(!principal(role, Some("620400")).may_see_evaluation_of(&city), "{role:?}");
        }
    }

    #[test]
    fn reports_are_filed_by_members_instructed_by_leaders_and_answered_by_departments() {
        let (baiyin, tianshui) = (code("620400"), code("620500"));
        let member = principal(Role::Member, None);
        assert!(member.may_file_report_in(&tianshui) && !member.may_instruct_on(&tianshui));
        let local_member = principal(Role::Member, Some("620500"));
        assert!(local_member.may_file_report_in(&tianshui) && !local_member.may_file_report_in(&baiyin));
        let leader = principal(Role::Leader, None);
        assert!(leader.may_instruct_on(&tianshui) && leader.may_assign_tasks_on(&tianshui));
        assert!(!leader.may_file_report_in(&tianshui));
        let city_leader = principal(Role::Leader, Some("620400"));
        assert!(city_leader.may_instruct_on(&baiyin) && !city_leader.may_instruct_on(&tianshui));
        let region = principal(Role::Region, Some("620400"));
        assert!(region.report_scope().allows(&baiyin) && !region.report_scope().allows(&tianshui));
        assert!(!region.may_file_report_in(&baiyin) && !region.may_assign_tasks_on(&baiyin));
        let department = principal(Role::Chain, None);
        let own = vec!["天水市工业和信息化局".to_string()];
        assert!(department.report_scope().allows(&tianshui));
        assert!(department.may_reply_to_task("天水市工业和信息化局", &own));
        assert!(!department.may_reply_to_task("天水市商务局", &own));
        assert!(!region.may_reply_to_task("天水市工业和信息化局", &own));
        assert!(principal(Role::Admin, None).may_reply_to_task("天水市商务局", &[]));
        assert!(member.may_rate_task(Some(1)) && !member.may_rate_task(Some(2)) && !leader.may_rate_task(Some(1)));
        for role in [Role::Liaison, Role::Reviewer, Role::Investor] {
            assert_eq!(principal(role, None).report_scope(), RecordScope::Nothing, "{role:?}");
        }
    }

    #[test]
    fn work_plans_are_kept_by_region_staff_and_progressed_by_members() {
        let (baiyin, tianshui) = (code("620400"), code("620500"));
        let region = principal(Role::Region, Some("620400"));
        assert!(region.may_edit_work_plans_of(&baiyin) && !region.may_edit_work_plans_of(&tianshui));
        assert!(region.may_report_work_progress(&baiyin, false, false));
        assert!(!region.may_report_work_progress(&tianshui, true, true), "another region's task");
        assert!(principal(Role::Admin, None).may_edit_work_plans_of(&tianshui));
        let member = principal(Role::Member, None);
        assert!(!member.may_edit_work_plans_of(&baiyin));
        assert!(
            member.may_report_work_progress(&baiyin, true, false)
                && !member.may_report_work_progress(&baiyin, false, true)
        );
        assert!(!principal(Role::Member, Some("620500")).may_report_work_progress(&baiyin, true, false));
        let department = principal(Role::Chain, None);
        assert!(
            department.may_report_work_progress(&baiyin, false, true)
                && !department.may_report_work_progress(&baiyin, true, false)
        );
        for role in [Role::Leader, Role::Liaison, Role::Reviewer, Role::Investor] {
            assert!(!principal(role, None).may_report_work_progress(&baiyin, true, true), "{role:?}");
        }
    }

    #[test]
    fn the_admin_supervises_the_province_and_a_leader_its_region() {
        assert_eq!(principal(Role::Admin, None).supervision_scope(), RecordScope::All);
        assert_eq!(principal(Role::Leader, None).supervision_scope(), RecordScope::All);
        assert_eq!(principal(Role::Leader, Some("620400")).supervision_scope(), RecordScope::Within(code("620400")));
        for role in [Role::Region, Role::Chain, Role::Member, Role::Liaison, Role::Reviewer, Role::Investor] {
            assert_eq!(principal(role, Some("620400")).supervision_scope(), RecordScope::Nothing, "{role:?}");
        }
    }

    #[test]
    fn a_leader_lands_on_the_cockpit_and_the_workbench_offers_each_role_its_tasks() {
        let leader = principal(Role::Leader, None);
        assert_eq!(leader.landing(), Section::Dashboard);
        assert!(!leader.sections().any(|s| s == Section::Workbench), "one landing page in the navigation");
        let baiyin = principal(Role::Region, Some("620400"));
        assert_eq!(baiyin.landing(), Section::Workbench);
        let tasks: Vec<Section> = baiyin.shortcuts().map(|(section, _)| section).collect();
        assert!(
            tasks.contains(&Section::Projects) && tasks.contains(&Section::Import) && tasks.contains(&Section::Plans)
        );
        assert!(
            !tasks.contains(&Section::Inbox) && !tasks.contains(&Section::Regions) && !tasks.contains(&Section::Users)
        );
        assert!(principal(Role::Admin, None).shortcuts().any(|(section, _)| section == Section::Users));
        let investor: Vec<Section> = principal(Role::Investor, None).shortcuts().map(|(section, _)| section).collect();
        assert_eq!(investor, [Section::Parcels], "an investor looks for a site");
    }

    #[test]
    fn admin_sees_everything_and_leaders_only_read() {
        let admin = principal(Role::Admin, None);
        assert_eq!(admin.record_scope(), RecordScope::All);
        assert!(admin.may_administer());
        let leader = principal(Role::Leader, None);
        assert!(leader.may_see_statistics_of(&code("620500")));
        assert!(!leader.may_edit_records_of(&code("620500")));
        assert!(!leader.may_administer());
    }

    #[test]
    fn chain_department_edits_its_own_chains_everywhere_and_nothing_else() {
        let department = principal(Role::Chain, Some("620400"));
        assert!(department.may_view_chains());
        assert!(department.may_edit_chain(&code("620200"), true));
        assert!(!department.may_edit_chain(&code("620400"), false));
        assert_eq!(department.chain_record_scope(true), RecordScope::All);
        assert_eq!(department.chain_record_scope(false), RecordScope::Nothing);
        assert!(department.may_edit_plan(&code("620500"), true));
        assert!(!department.may_edit_plan(&code("620400"), false));
    }

    #[test]
    fn region_users_edit_their_regions_chains_and_plans_only() {
        let baiyin = principal(Role::Region, Some("620400"));
        assert!(baiyin.may_edit_chain(&code("620400"), false));
        assert!(!baiyin.may_edit_chain(&code("620200"), false));
        assert!(baiyin.may_edit_plan(&code("620402"), false));
        assert!(!baiyin.may_edit_plan(&code("620000"), false));
        assert_eq!(baiyin.chain_record_scope(true), RecordScope::Within(code("620400")));
        let leader = principal(Role::Leader, None);
        assert!(leader.may_view_chains());
        assert!(!leader.may_edit_chain(&code("620400"), false));
        assert!(!principal(Role::Investor, None).may_view_chains());
    }

    #[test]
    fn liaisons_read_their_chambers_leads_and_staff_their_regions() {
        let (baiyin_county, tianshui) = (code("620402"), code("620500"));
        let liaison = principal(Role::Liaison, None);
        let scope = liaison.lead_scope(Some(7));
        assert!(scope.allows(&tianshui, Some(7)), "its chamber's lead wherever it is followed");
        assert!(!scope.allows(&baiyin_county, Some(8)), "another chamber's lead");
        assert!(!scope.allows(&tianshui, None), "an enquiry from the portal is no chamber's");
        assert_eq!(liaison.lead_scope(None), LeadScope::Nothing, "a liaison without a chamber");
        assert!(liaison.may_register_leads());
        let baiyin = principal(Role::Region, Some("620400")).lead_scope(None);
        assert!(baiyin.allows(&baiyin_county, Some(8)) && !baiyin.allows(&tianshui, Some(7)));
        assert!(principal(Role::Leader, None).lead_scope(None).allows(&tianshui, Some(7)));
        assert!(!principal(Role::Leader, None).may_register_leads());
        for role in [Role::Chain, Role::Member, Role::Reviewer, Role::Investor] {
            assert_eq!(principal(role, Some("620400")).lead_scope(Some(7)), LeadScope::Nothing, "{role:?}");
            assert!(!principal(role, None).may_register_leads());
        }
        // Its files: the liaison who registered it (user 1 here), not another of its chamber.
        assert!(liaison.may_edit_lead(&tianshui, Some(1)) && !liaison.may_edit_lead(&tianshui, Some(2)));
        assert!(principal(Role::Region, Some("620400")).may_edit_lead(&baiyin_county, Some(2)));
        assert!(!principal(Role::Region, Some("620400")).may_edit_lead(&tianshui, Some(2)));
        assert!(!principal(Role::Leader, None).may_edit_lead(&tianshui, Some(2)), "the leader reads only");
    }

    #[test]
    fn outside_roles_see_no_records() {
        for role in [Role::Member, Role::Liaison, Role::Reviewer, Role::Investor] {
            let user = principal(role, Some("620400"));
            assert_eq!(user.record_scope(), RecordScope::Nothing);
            assert!(!user.record_scope().allows(&code("620400")));
            assert_eq!(user.record_scope().prefix(), None);
            assert!(!user.may_see_statistics_of(&code("620400")));
            assert!(!user.may_search(), "{role:?} has nothing to search");
        }
        for (role, region) in
            [(Role::Admin, None), (Role::Region, Some("620400")), (Role::Chain, None), (Role::Leader, None)]
        {
            assert!(principal(role, region).may_search(), "{role:?} searches its records");
        }
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn chain_departments_read_their_chains_projects_everywhere_and_no_other() {
        let own = names(&["白银市稀土产业链", "天水市电工电器产业链"]);
        for region in [None, Some("620400")] {
            let department = principal(Role::Chain, region);
            let scope = department.project_scope(&own);
            assert!(department.project_scope_needs_chains());
            assert!(!scope.reads_nothing());
            assert!(scope.allows(&code("620402"), "白银市稀土产业链"));
            assert!(scope.allows(&code("620503"), "天水市电工电器产业链"), "its chains in every region");
            assert!(!scope.allows(&code("620402"), "冶金有色"), "another chain's project");
            assert!(!scope.allows(&code("620402"), ""), "a project on no chain");
            assert!(!scope.allows_chain("嘉峪关市钢铁产业链"));
            assert_eq!(scope.chains.as_deref(), Some(own.as_slice()));
            assert!(department.may_see_statistics_of(&code("620500")), "its chains' figures anywhere");
        }
        let without_chains = principal(Role::Chain, None).project_scope(&[]);
        assert!(!without_chains.reads_nothing(), "empty lists, not 403");
        assert!(!without_chains.allows(&code("620402"), "白银市稀土产业链"));
        assert!(!without_chains.allows(&code("620402"), ""));
    }

    #[test]
    fn other_roles_project_scope_is_their_record_scope_on_any_chain() {
        let own = names(&["白银市稀土产业链"]);
        let baiyin = principal(Role::Region, Some("620400"));
        assert!(!baiyin.project_scope_needs_chains());
        let scope = baiyin.project_scope(&own);
        assert_eq!(scope, ProjectScope { regions: RecordScope::Within(code("620400")), chains: None });
        assert!(scope.allows(&code("620402"), "冶金有色"));
        assert!(!scope.allows(&code("620502"), "白银市稀土产业链"));
        assert!(principal(Role::Admin, None).project_scope(&[]).allows(&code("620502"), "任意"));
        assert!(principal(Role::Leader, None).project_scope(&[]).allows(&code("620502"), ""));
        for role in [Role::Member, Role::Liaison, Role::Reviewer, Role::Investor] {
            let scope = principal(role, None).project_scope(&own);
            assert!(scope.reads_nothing());
            assert!(!scope.allows(&code("620402"), "白银市稀土产业链"));
        }
    }

    #[test]
    fn target_enterprises_of_a_city_lie_outside_the_province_unless_allowed() {
        let baiyin_map = code("620400");
        let baiyin = principal(Role::Region, Some("620400"));
        assert_eq!(baiyin.target_scope(&baiyin_map, false), TargetScope::Outside(code("620000")));
        assert_eq!(baiyin.target_scope(&baiyin_map, true), TargetScope::Outside(baiyin_map.clone()));
        // A city user looking at another city's map still gets no Gansu enterprises.
        assert_eq!(baiyin.target_scope(&code("620500"), false), TargetScope::Outside(code("620000")));
        let county = principal(Role::Region, Some("620402"));
        assert_eq!(county.target_scope(&code("620402"), false), TargetScope::Outside(code("620000")));
        let city_department = principal(Role::Chain, Some("620400"));
        assert_eq!(city_department.target_scope(&baiyin_map, false), TargetScope::Outside(code("620000")));

        // The province sees every enterprise outside the map's region.
        for user in [
            principal(Role::Admin, None),
            principal(Role::Leader, None),
            principal(Role::Chain, None),
            principal(Role::Region, Some("620000")),
        ] {
            assert_eq!(user.target_scope(&baiyin_map, false), TargetScope::Outside(baiyin_map.clone()), "{user:?}");
        }
    }

    #[test]
    fn members_and_outside_roles_get_no_target_enterprises() {
        for role in [Role::Member, Role::Liaison, Role::Reviewer, Role::Investor] {
            for allowed in [false, true] {
                assert_eq!(principal(role, None).target_scope(&code("620400"), allowed), TargetScope::Nothing);
                assert_eq!(
                    principal(role, Some("620400")).target_scope(&code("620400"), allowed),
                    TargetScope::Nothing
                );
            }
        }
        let member = principal(Role::Member, None);
        assert!(member.may_view_chains(), "the member keeps the gap map");
        assert_eq!(member.chain_record_scope(false), RecordScope::Nothing);
    }

    #[test]
    fn supervision_scores_show_a_county_user_its_city_and_members_rate() {
        for user in [principal(Role::Admin, None), principal(Role::Member, None), principal(Role::Leader, None)] {
            assert_eq!(user.supervision_score_scope(), Some(RecordScope::All), "{user:?}");
        }
        assert_eq!(
            principal(Role::Region, Some("620402")).supervision_score_scope(),
            Some(RecordScope::Within(code("620400")))
        );
        assert_eq!(
            principal(Role::Leader, Some("620400")).supervision_score_scope(),
            Some(RecordScope::Within(code("620400")))
        );
        assert_eq!(principal(Role::Region, Some("620000")).supervision_score_scope(), Some(RecordScope::All));
        for role in [Role::Chain, Role::Liaison, Role::Reviewer, Role::Investor] {
            assert_eq!(principal(role, Some("620400")).supervision_score_scope(), None, "{role:?}");
        }
        let raters: Vec<Role> =
            Role::ALL.iter().copied().filter(|r| principal(*r, None).may_rate_supervision()).collect();
        assert_eq!(raters, [Role::Member]);
    }
}
