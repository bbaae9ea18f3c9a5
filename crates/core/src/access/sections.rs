//! The sections of the application and who may open them: the navigation lists a
//! user's sections from here, and the authorisation matrix (`matrix.tsv` beside this
//! file) holds each route's expected answer for every role.

use super::{Principal, RecordScope, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    Workbench,
    Inbox,
    Dashboard,
    Projects,
    Duplicates,
    Import,
    Enterprises,
    Chains,
    Plans,
    Chambers,
    Leads,
    Activities,
    ActivityPlans,
    Parcels,
    Evaluation,
    Appeals,
    Visits,
    Supervision,
    Reports,
    Instructions,
    WorkPlans,
    Groups,
    Achievements,
    Pool,
    Regions,
    Parks,
    Departments,
    Industries,
    Calendar,
    Users,
    Audit,
}

impl Section {
    /// In the navigation's order.
    pub const ALL: [Section; 31] = [
        Section::Workbench,
        Section::Inbox,
        Section::Dashboard,
        Section::Projects,
        Section::Duplicates,
        Section::Import,
        Section::Enterprises,
        Section::Chains,
        Section::Plans,
        Section::Chambers,
        Section::Leads,
        Section::Activities,
        Section::ActivityPlans,
        Section::Parcels,
        Section::Evaluation,
        Section::Appeals,
        Section::Visits,
        Section::Supervision,
        Section::Reports,
        Section::Instructions,
        Section::WorkPlans,
        Section::Groups,
        Section::Achievements,
        Section::Pool,
        Section::Regions,
        Section::Parks,
        Section::Departments,
        Section::Industries,
        Section::Calendar,
        Section::Users,
        Section::Audit,
    ];

    pub fn href(self) -> &'static str {
        match self {
            Section::Workbench => "/",
            Section::Inbox => "/inbox",
            Section::Dashboard => "/dashboard",
            Section::Projects => "/projects",
            Section::Duplicates => "/projects/duplicates",
            Section::Import => "/import",
            Section::Enterprises => "/enterprises",
            Section::Chains => "/chains",
            Section::Plans => "/plans",
            Section::Chambers => "/chambers",
            Section::Leads => "/leads",
            Section::Activities => "/activities",
            Section::ActivityPlans => "/activity-plans",
            Section::Parcels => "/parcels",
            Section::Evaluation => "/evaluation",
            Section::Appeals => "/appeals",
            Section::Visits => "/visits",
            Section::Supervision => "/appeals/supervision",
            Section::Reports => "/reports",
            Section::Instructions => "/instructions",
            Section::WorkPlans => "/work-plans",
            Section::Groups => "/groups",
            Section::Achievements => "/achievements",
            Section::Pool => "/pool",
            Section::Regions => "/reference/regions",
            Section::Parks => "/reference/parks",
            Section::Departments => "/reference/departments",
            Section::Industries => "/reference/industries",
            Section::Calendar => "/reference/calendar",
            Section::Users => "/admin/users",
            Section::Audit => "/admin/audit",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Section::Workbench => "工作台",
            Section::Inbox => "收件箱",
            Section::Dashboard => "招商引资驾驶舱",
            Section::Projects => "项目库",
            Section::Duplicates => "疑似重复项目",
            Section::Import => "批量导入",
            Section::Enterprises => "企业名录",
            Section::Chains => "产业链",
            Section::Plans => "一企一案",
            Section::Chambers => "商协会",
            Section::Leads => "商会线索",
            Section::Activities => "招商活动",
            Section::ActivityPlans => "活动计划",
            Section::Parcels => "在线选地",
            Section::Evaluation => "市州综合评价",
            Section::Appeals => "企业诉求",
            Section::Visits => "六必访走访",
            Section::Supervision => "监督评价",
            Section::Reports => "调研报告",
            Section::Instructions => "批示办理",
            Section::WorkPlans => "工作方案",
            Section::Groups => "助力小组",
            Section::Achievements => "科技成果",
            Section::Pool => "成果转化池",
            Section::Regions => "行政区划",
            Section::Parks => "园区",
            Section::Departments => "单位",
            Section::Industries => "国民经济行业分类",
            Section::Calendar => "节假日安排",
            Section::Users => "用户管理",
            Section::Audit => "操作日志",
        }
    }

    /// The task the section serves, as the workbench's shortcut to it says it; `None`
    /// for the workbench itself, the inbox (the workbench shows it) and reference data.
    pub fn task(self) -> Option<&'static str> {
        Some(match self {
            Section::Dashboard => "看签约、到位资金和开工情况",
            Section::Projects => "登记、更新项目进展",
            Section::Duplicates => "核对疑似重复项目",
            Section::Import => "导入月度报表",
            Section::Enterprises => "查找企业和目标企业",
            Section::Chains => "分析产业链缺口",
            Section::Plans => "跟进一企一案",
            Section::Chambers => "查看商协会和先进商会评选",
            Section::Leads => "登记和跟进商会线索",
            Section::Activities => "记录招商活动和签约成果",
            Section::ActivityPlans => "编制和对照招商活动计划",
            Section::Parcels => "查找园区和可供地块",
            Section::Evaluation => "查看市州综合评价排名",
            Section::Appeals => "督办企业诉求",
            Section::Visits => "记录走访和企业反映的问题",
            Section::Supervision => "评价各市州营商环境",
            Section::Reports => "提交调研报告和建议",
            Section::Instructions => "督办领导批示",
            Section::WorkPlans => "跟进工作方案任务",
            Section::Groups => "查看助力小组包抓企业",
            Section::Achievements => "查看和评审科技成果",
            Section::Pool => "按行业查看入池成果",
            Section::Users => "管理用户和权限",
            Section::Audit => "查看操作日志",
            Section::Workbench
            | Section::Inbox
            | Section::Regions
            | Section::Parks
            | Section::Departments
            | Section::Industries
            | Section::Calendar => return None,
        })
    }

    /// The heading the navigation groups the section under.
    pub fn group(self) -> &'static str {
        match self {
            Section::Workbench | Section::Inbox | Section::Dashboard => "概览",
            Section::Projects | Section::Duplicates | Section::Import => "项目管理",
            Section::Enterprises => "企业库",
            Section::Chains | Section::Plans => "产业链招商",
            Section::Chambers | Section::Leads => "商协会招商",
            Section::Activities | Section::ActivityPlans => "招商活动",
            Section::Parcels => "在线选地",
            Section::Evaluation => "考核评价",
            Section::Appeals | Section::Visits | Section::Supervision => "营商环境",
            Section::Reports | Section::Instructions | Section::WorkPlans | Section::Groups => "资政建言",
            Section::Achievements | Section::Pool => "科技成果转化",
            Section::Regions | Section::Parks | Section::Departments | Section::Industries | Section::Calendar => {
                "基础数据"
            }
            Section::Users | Section::Audit => "系统管理",
        }
    }
}

impl Principal {
    /// Whether the section opens for the user (its pages answer 403 otherwise).
    pub fn may_open(&self, section: Section) -> bool {
        match section {
            Section::Workbench => self.landing() == Section::Workbench,
            // Every role has work coming to it as its areas land (instructions to read,
            // reviews, appeals); an empty inbox says so.
            // Public parcels are open to visitors too; staff also see their scope's others.
            Section::Inbox
            | Section::Parcels
            | Section::Regions
            | Section::Parks
            | Section::Departments
            | Section::Industries
            | Section::Calendar => true,
            Section::Dashboard => self.may_see_aggregates(),
            Section::Projects
            | Section::Duplicates
            | Section::Enterprises
            | Section::Plans
            | Section::Activities
            | Section::ActivityPlans => self.record_scope() != RecordScope::Nothing,
            Section::Import => self.edits_records(),
            Section::Chains => self.may_view_chains(),
            // The registry and its assessment are provincial figures: read by those who
            // see aggregates; a liaison's own chamber and leads come with the lead slice.
            Section::Chambers => self.may_see_aggregates(),
            // Staff follow leads in their scope; a liaison sees its chamber's.
            Section::Leads => matches!(self.role, Role::Admin | Role::Region | Role::Leader | Role::Liaison),
            Section::Evaluation => self.may_see_evaluations(),
            Section::Appeals | Section::Visits => self.appeal_scope() != RecordScope::Nothing,
            Section::Supervision => self.supervision_score_scope().is_some(),
            Section::Reports | Section::Instructions | Section::WorkPlans | Section::Groups => {
                self.report_scope() != RecordScope::Nothing
            }
            // A reviewer opens the registry to find its assignments; the ranked pool is
            // for those who read every achievement's scores summed up.
            Section::Achievements => self.pool_access() != super::PoolAccess::Nothing,
            Section::Pool => self.pool_access().reads_pool(),
            Section::Users | Section::Audit => self.may_administer(),
        }
    }

    /// Where the user lands (`/`): a leader reads and instructs, so lands on the cockpit
    /// (which shows its inbox); everyone else on the workbench of its own work.
    pub fn landing(&self) -> Section {
        match self.role {
            Role::Leader => Section::Dashboard,
            _ => Section::Workbench,
        }
    }

    /// The sections the workbench offers as shortcuts to the user's main tasks: those of
    /// the navigation that serve a task.
    pub fn shortcuts(&self) -> impl Iterator<Item = (Section, &'static str)> + '_ {
        self.sections().filter_map(|section| section.task().map(|task| (section, task)))
    }

    /// The sections the navigation shows the user, in order.
    pub fn sections(&self) -> impl Iterator<Item = Section> + '_ {
        Section::ALL.into_iter().filter(|section| self.may_open(*section))
    }
}

/// Every route's expected answer for each role, inside and outside scope: checked
/// against the router by the web crate's matrix test.
pub const AUTHORISATION_MATRIX: &str = include_str!("matrix.tsv");
