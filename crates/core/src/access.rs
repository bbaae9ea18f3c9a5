//! Roles of SPEC.md and what each may see: the one place scope rules are decided,
//! so pages, API calls and exports cannot disagree.

use crate::regions::RegionCode;
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
}

impl Principal {
    /// Full records (projects, funding, enterprises of a region) the user may read.
    pub fn record_scope(&self) -> RecordScope {
        match (self.role, &self.region) {
            (Role::Admin, _) => RecordScope::All,
            (Role::Region, Some(region)) => RecordScope::Within(region.clone()),
            (Role::Leader | Role::Chain, Some(region)) => RecordScope::Within(region.clone()),
            (Role::Leader | Role::Chain, None) => RecordScope::All,
            _ => RecordScope::Nothing,
        }
    }

    /// Aggregate figures (dashboards, rankings): a region user sees other regions only as
    /// aggregates, so aggregates reach wider than records.
    pub fn may_see_aggregates(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Region | Role::Leader | Role::Chain)
    }

    /// Investment statistics of one scope: region users see aggregates of any region
    /// (SPEC: "other regions only as aggregates"), others within their record scope.
    pub fn may_see_statistics_of(&self, region: &RegionCode) -> bool {
        match self.role {
            Role::Admin | Role::Leader => true,
            Role::Region | Role::Chain => self.record_scope().allows(region),
            _ => false,
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

    pub fn may_edit_records_of(&self, region: &RegionCode) -> bool {
        self.edits_records() && self.record_scope().allows(region)
    }

    /// Chain maps and gap lists: every role working inside government reads every chain
    /// (a gap is an aggregate); the enterprises shown on it follow `chain_record_scope`.
    pub fn may_view_chains(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Region | Role::Chain | Role::Leader | Role::Member)
    }

    /// Whose enterprises and projects on a chain the user may read: a chain department
    /// sees its own chains everywhere (SPEC), everyone else within their record scope.
    pub fn chain_record_scope(&self, own_chain: bool) -> RecordScope {
        if self.role == Role::Chain && own_chain {
            RecordScope::All
        } else {
            self.record_scope()
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
        assert_eq!(department.chain_record_scope(false), RecordScope::Within(code("620400")));
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
    fn outside_roles_see_no_records() {
        for role in [Role::Member, Role::Liaison, Role::Reviewer, Role::Investor] {
            let user = principal(role, Some("620400"));
            assert_eq!(user.record_scope(), RecordScope::Nothing);
            assert!(!user.record_scope().allows(&code("620400")));
            assert_eq!(user.record_scope().prefix(), None);
            assert!(!user.may_see_statistics_of(&code("620400")));
        }
    }
}
