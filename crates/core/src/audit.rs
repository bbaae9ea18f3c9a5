//! The audit log as an auditor reads it. The log keeps keys and JSON (store::audit);
//! these rules name each action and kind of record in Chinese and turn a change into
//! its fields, each with a label and its value before and after as people write them.

use crate::access::Role;
use crate::achievements::{Maturity, Score};
use crate::appeals::{Dimension, Rating};
use crate::metrics::FundingSource;
use crate::money::Yuan;
use crate::projects::plausible::ExcessFunds;
use crate::projects::Stage;
use serde_json::{Map, Value};

crate::vocabulary! {
    /// What a recorded change did.
    pub enum AuditAction {
        Create => ("create", "新建"),
        Update => ("update", "修改"),
        Delete => ("delete", "删除"),
        Attach => ("attach", "关联"),
        Detach => ("detach", "解除关联"),
        SignIn => ("sign_in", "登录"),
        Restore => ("restore", "恢复备份"),
    }
}

impl AuditAction {
    /// A keyed write: an update when the record existed, else a creation.
    pub fn written(existed: bool) -> AuditAction {
        if existed {
            AuditAction::Update
        } else {
            AuditAction::Create
        }
    }
}

crate::vocabulary! {
    /// What kind of record a change was made to.
    pub enum AuditEntity {
        Project => ("project", "项目"),
        Promotion => ("promotion", "推介项目"),
        Shortlist => ("shortlist", "投资者关注清单"),
        DuplicatePair => ("duplicate_pair", "疑似重复项目"),
        Funding => ("funding", "到位资金"),
        Target => ("target", "目标任务"),
        Activity => ("activity", "招商活动"),
        TravelPlan => ("travel_plan", "出行招商计划"),
        Problem => ("problem", "一事一议"),
        Service => ("service", "代办服务"),
        Enterprise => ("enterprise", "企业"),
        EnterpriseRelation => ("enterprise_relation", "企业关系"),
        Chain => ("chain", "产业链"),
        ChainNodeEnterprise => ("chain_node_enterprise", "产业链环节企业"),
        Plan => ("plan", "一企一案"),
        PlanVisit => ("plan_visit", "走访记录"),
        Chamber => ("chamber", "商会"),
        ChamberWeights => ("chamber_weights", "先进商会评价权重"),
        ChamberAssessment => ("chamber_assessment", "先进商会评价结果"),
        EvaluationScheme => ("evaluation_scheme", "综合评价指标方案"),
        EvaluationPublication => ("evaluation_publication", "综合评价发布结果"),
        Lead => ("lead", "商会线索"),
        LeadStep => ("lead_step", "线索办理"),
        Appeal => ("appeal", "营商环境诉求"),
        AppealStep => ("appeal_step", "诉求办理"),
        Visit => ("visit", "六必访走访"),
        Attachment => ("attachment", "附件"),
        SupervisionRating => ("supervision_rating", "营商环境监督评分"),
        SupervisionWeights => ("supervision_weights", "营商环境监督评价权重"),
        ResearchReport => ("research_report", "调研报告"),
        Instruction => ("instruction", "领导批示"),
        InstructionTask => ("instruction_task", "批示任务"),
        TaskStep => ("task_step", "批示任务办理"),
        TaskLink => ("task_link", "批示任务关联记录"),
        WorkPlan => ("work_plan", "工作方案"),
        WorkPlanTask => ("work_plan_task", "工作方案任务"),
        WorkProgress => ("work_progress", "工作任务进展"),
        AssistGroup => ("assist_group", "助力小组"),
        ActivityPlan => ("activity_plan", "招商活动计划"),
        ActivityPlanLine => ("activity_plan_line", "招商活动计划条目"),
        Achievement => ("achievement", "科技成果"),
        Review => ("review", "成果评审"),
        Institution => ("institution", "完成单位"),
        Expert => ("expert", "评审专家"),
        ReviewRound => ("review_round", "评审轮次"),
        ReviewAssignment => ("review_assignment", "评审分配"),
        Park => ("park", "园区"),
        Parcel => ("parcel", "地块"),
        Department => ("department", "单位"),
        HolidayNotice => ("holiday_notice", "节假日安排"),
        Setting => ("setting", "系统设置"),
        ImportMapping => ("import_mapping", "导入列对应"),
        User => ("user", "用户"),
        UserChains => ("user_chains", "用户负责的产业链"),
        Session => ("session", "登录会话"),
        Database => ("database", "数据库"),
    }
}

/// The fields of audited records (their JSON keys) with their Chinese labels, in the
/// order a change lists them: identity first, then the facts, then the people.
const FIELDS: [(&str, &str); 184] = [
    ("code", "编号"),
    ("name", "名称"),
    ("region_code", "所属地区"),
    ("park", "园区"),
    ("chain", "产业链"),
    ("chain_node", "产业链环节"),
    ("investor", "投资方"),
    ("investor_credit_code", "投资方统一社会信用代码"),
    ("investor_origin", "投资方来源地"),
    ("investor_type", "投资方类型"),
    ("industry", "行业"),
    ("total_investment", "总投资"),
    ("stage", "阶段"),
    ("signed_on", "签约日期"),
    ("started_on", "开工日期"),
    ("producing_on", "投产日期"),
    ("lead_on", "线索日期"),
    ("dropped_reason", "终止原因"),
    ("source", "来源"),
    ("source_org", "来源单位"),
    ("department", "责任单位"),
    ("leader", "包抓领导"),
    ("owner", "责任人"),
    ("signing_activity", "签约活动"),
    ("description", "简介"),
    ("excess_funds", "到位资金超总投资"),
    ("amount", "金额"),
    ("funded_on", "到位日期"),
    ("project_code", "项目编号"),
    ("project_id", "项目"),
    ("year", "年度"),
    ("signed_investment_target", "签约额目标"),
    ("funds_target", "到位资金目标"),
    ("kind", "类型"),
    ("organiser", "主办单位"),
    ("place", "地点"),
    ("start_on", "开始日期"),
    ("end_on", "结束日期"),
    ("destination_code", "出行目的地"),
    ("purpose", "出行事由"),
    ("visits", "拜访安排"),
    ("activity_id", "招商活动"),
    ("chambers", "参与商会"),
    ("status", "状态"),
    ("due_on", "期限"),
    ("resolution", "处理结果"),
    ("service", "服务事项"),
    ("handler", "经办人"),
    ("note", "备注"),
    ("credit_code", "统一社会信用代码"),
    ("employees", "员工人数"),
    ("registered_capital", "注册资本"),
    ("revenue", "营业收入"),
    ("stock_code", "股票代码"),
    ("tags", "标签"),
    ("is_target", "目标企业"),
    ("enterprise_id", "企业"),
    ("enterprise", "企业"),
    ("holder", "关联方"),
    ("node_id", "产业链环节"),
    ("approach", "招引思路"),
    ("next_step", "下一步"),
    ("owner_id", "责任人"),
    ("summary", "走访情况"),
    ("visited_on", "走访日期"),
    ("visitor", "走访人"),
    ("appeal_codes", "提出的诉求"),
    ("level", "级别"),
    ("location", "所在地"),
    ("president", "会长"),
    ("contact", "联系人"),
    ("phone", "联系电话"),
    ("members", "会员数"),
    ("liaison_office", "联络处"),
    ("channel", "来源渠道"),
    ("subject", "咨询事项"),
    ("filed_on", "提交渠道"),
    ("pitch", "推介说明"),
    ("area_mu", "面积（亩）"),
    ("leading_industries", "主导产业"),
    ("username", "用户名"),
    ("display_name", "姓名"),
    ("role", "角色"),
    ("disabled", "已停用"),
    ("category", "诉求类别"),
    ("content", "诉求内容"),
    ("dimension", "环境维度"),
    ("received_on", "受理日期"),
    ("limit_days", "办理时限（工作日）"),
    ("answered_on", "答复日期"),
    ("closed_on", "办结日期"),
    ("rating", "评价"),
    ("due_by_weekends_only", "期限仅按周末推算"),
    ("leaders", "链长"),
    ("nodes", "环节"),
    ("chamber", "商会"),
    ("chamber_id", "商会"),
    ("referrer", "登记人"),
    ("duplicate_of", "已登记线索"),
    ("notes", "说明"),
    ("step", "办理环节"),
    ("done_on", "办理日期"),
    ("answer", "答复"),
    ("next_due_on", "下一环节期限"),
    ("weights", "评价权重"),
    ("period", "计划期间"),
    ("plan_id", "所属计划"),
    ("planned_on", "计划日期"),
    ("place_code", "计划地点"),
    ("targets", "目标企业"),
    ("responsible", "责任人"),
    ("weights_version", "权重版本"),
    ("scheme_id", "指标方案"),
    ("version", "版本"),
    ("definition", "方案内容"),
    ("assessed_count", "参评商会数"),
    ("title", "成果名称"),
    ("institution", "单位"),
    ("maturity", "成熟度"),
    ("ip", "知识产权"),
    ("reviewer", "评审专家"),
    ("reviewer_institution", "专家单位"),
    ("market", "市场潜力"),
    ("economic", "经济价值"),
    ("technical", "技术含量"),
    ("fields", "专业领域"),
    ("user_id", "登录账号"),
    ("park_id", "所属园区"),
    ("land_use", "用地性质"),
    ("price_per_mu", "价格（每亩）"),
    ("plot_ratio", "容积率"),
    ("lon", "经度"),
    ("lat", "纬度"),
    ("boundary", "边界"),
    ("built_area_mu", "已建成面积（亩）"),
    ("infrastructure", "基础设施配套"),
    ("land_price_min", "地价下限（每亩）"),
    ("land_price_max", "地价上限（每亩）"),
    ("policies", "优惠政策"),
    ("contacts", "联系方式"),
    ("action", "办理步骤"),
    ("detail", "办理内容"),
    ("assigned_on", "交办日期"),
    ("paused_since", "挂起日期"),
    ("pending_extension", "待批延期（工作日）"),
    ("extension_days", "已批延期（工作日）"),
    ("per_achievement", "每项成果评审专家数"),
    ("comment", "评审意见"),
    ("assigned", "分配评审"),
    ("replaced", "被调换的专家"),
    ("research_group", "调研组"),
    ("authors", "执笔人"),
    ("researched_on", "调研日期"),
    ("enterprises_visited", "调研企业"),
    ("suggestions", "建议"),
    ("report_id", "调研报告"),
    ("suggestion_id", "建议"),
    ("instructed_on", "批示日期"),
    ("leader_name", "批示领导"),
    ("text", "内容"),
    ("part", "承办方式"),
    ("deadline", "办理期限"),
    ("co_due_on", "协办答复期限"),
    ("state", "办理状态"),
    ("contested", "已提出异议"),
    ("grade", "办理结果"),
    ("satisfaction", "提议人评价"),
    ("sent_back", "已退回重办"),
    ("instruction_id", "领导批示"),
    ("taken_on", "办理日期"),
    ("quarter", "季度"),
    ("score", "评分"),
    ("member", "评分委员"),
    ("headers", "表头"),
    ("mapping", "列对应"),
    ("owner_kind", "所属记录类型"),
    ("owner_key", "所属记录"),
    ("task_id", "批示任务"),
    ("record_key", "关联记录"),
    ("file_name", "文件名"),
    ("content_type", "文件类型"),
    ("size_bytes", "文件大小（字节）"),
    ("sha256", "SHA-256 校验值"),
    ("uploaded_by", "上传人"),
];

/// The Chinese label of a field of an audited record (its JSON key).
pub fn field_label(key: &str) -> Option<&'static str> {
    FIELDS.iter().find(|(k, _)| *k == key).map(|(_, label)| *label)
}

/// Where a field comes in a change: by `FIELDS`, unknown fields last by name.
fn field_order(key: &str) -> (usize, &str) {
    (FIELDS.iter().position(|(k, _)| *k == key).unwrap_or(FIELDS.len()), key)
}

/// Fields that hold 元 (shown in 万元, exactly).
const MONEY_FIELDS: [&str; 9] = [
    "total_investment",
    "amount",
    "signed_investment_target",
    "funds_target",
    "registered_capital",
    "revenue",
    "price_per_mu",
    "land_price_min",
    "land_price_max",
];

/// Fields that hold a review's score in hundredths (shown as points).
const SCORE_FIELDS: [&str; 3] = ["market", "economic", "technical"];

/// Status keys of the records that have one, with their labels.
const STATUS_LABELS: [(AuditEntity, &str, &str); 8] = [
    (AuditEntity::Plan, "active", "跟进中"),
    (AuditEntity::Plan, "won", "已落地"),
    (AuditEntity::Plan, "closed", "已放弃"),
    (AuditEntity::Problem, "open", "待协调"),
    (AuditEntity::Problem, "coordinating", "协调中"),
    (AuditEntity::Problem, "resolved", "已解决"),
    (AuditEntity::Service, "open", "办理中"),
    (AuditEntity::Service, "done", "已办结"),
];

/// A value as people write it: money in 万元, a vocabulary's label, 是/否; text as is.
pub fn display_value(entity: Option<AuditEntity>, key: &str, value: &Value) -> String {
    let labelled = |label: Option<&'static str>, raw: &str| label.map_or_else(|| raw.to_string(), str::to_string);
    match value {
        Value::Null => String::new(),
        Value::Bool(yes) => if *yes { "是" } else { "否" }.to_string(),
        Value::Number(number) if MONEY_FIELDS.contains(&key) => match number.as_i64() {
            Some(yuan) => format!("{} 万元", Yuan(yuan).wan_string()),
            None => number.to_string(),
        },
        Value::Number(number) if entity == Some(AuditEntity::Review) && SCORE_FIELDS.contains(&key) => {
            number.as_i64().map_or_else(|| number.to_string(), |hundredths| Score(hundredths).text())
        }
        Value::Number(number) => number.to_string(),
        Value::String(text) => match (entity, key) {
            (Some(AuditEntity::Achievement), "maturity") => {
                labelled(Maturity::from_key(text).map(Maturity::label), text)
            }
            (Some(AuditEntity::Project), "stage") => labelled(Stage::parse(text).ok().map(Stage::label), text),
            (Some(AuditEntity::Project), "excess_funds") => ExcessFunds::from_stored(text).label().to_string(),
            (Some(AuditEntity::Funding), "source") => {
                labelled(FundingSource::parse(text).ok().map(FundingSource::label), text)
            }
            (Some(AuditEntity::User), "role") => labelled(Role::parse(text).ok().map(Role::label), text),
            (Some(AuditEntity::Attachment), "owner_kind") => {
                labelled(crate::attachments::OwnerKind::from_key(text).map(crate::attachments::OwnerKind::label), text)
            }
            (Some(AuditEntity::Appeal), "dimension") => {
                labelled(Dimension::parse(text).ok().map(Dimension::label), text)
            }
            (Some(AuditEntity::Parcel), "status") => {
                labelled(crate::parcels::ParcelStatus::from_key(text).map(crate::parcels::ParcelStatus::label), text)
            }
            (Some(AuditEntity::Parcel), "land_use") => {
                labelled(crate::parcels::LandUse::from_key(text).map(crate::parcels::LandUse::label), text)
            }
            (Some(AuditEntity::ReviewRound), "status") => {
                labelled(crate::rounds::RoundStatus::from_key(text).map(crate::rounds::RoundStatus::label), text)
            }
            (Some(AuditEntity::Appeal), "rating") => labelled(Rating::parse(text).ok().map(Rating::label), text),
            (Some(AuditEntity::AppealStep), "action") => labelled(
                crate::appeals::flow::ActionKind::from_key(text).map(crate::appeals::flow::ActionKind::label),
                text,
            ),
            (Some(AuditEntity::Instruction), "kind") => labelled(
                crate::instructions::InstructionKind::from_key(text).map(crate::instructions::InstructionKind::label),
                text,
            ),
            (Some(AuditEntity::InstructionTask | AuditEntity::TaskStep), "grade") => {
                labelled(crate::instructions::Grade::from_key(text).map(crate::instructions::Grade::label), text)
            }
            (Some(AuditEntity::InstructionTask | AuditEntity::TaskStep), "state") => labelled(
                crate::instructions::TaskState::from_key(text).map(crate::instructions::TaskState::label),
                text,
            ),
            (Some(AuditEntity::InstructionTask), "part") => {
                labelled(crate::instructions::Part::from_key(text).map(crate::instructions::Part::label), text)
            }
            (Some(AuditEntity::InstructionTask | AuditEntity::TaskStep), "satisfaction") => labelled(
                crate::instructions::Satisfaction::from_key(text).map(crate::instructions::Satisfaction::label),
                text,
            ),
            (Some(AuditEntity::TaskStep), "kind") => {
                labelled(crate::instructions::StepKind::from_key(text).map(crate::instructions::StepKind::label), text)
            }
            (Some(AuditEntity::TaskLink), "kind") => labelled(
                crate::instructions::LinkedKind::from_key(text).map(crate::instructions::LinkedKind::label),
                text,
            ),
            (Some(entity), "status") => labelled(
                STATUS_LABELS.iter().find(|(e, k, _)| *e == entity && k == text).map(|(_, _, label)| *label),
                text,
            ),
            _ => text.clone(),
        },
        Value::Array(_) | Value::Object(_) => value.to_string(),
    }
}

/// One field a change touched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldChange {
    pub key: String,
    /// The Chinese label, or the key itself when the field has none.
    pub label: String,
    pub before: String,
    pub after: String,
}

/// A change as an auditor reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeView {
    /// Each field that differs (every field of a creation or a removal), in the
    /// order of `FIELDS`.
    Fields(Vec<FieldChange>),
    /// Many records created at once (an import's group entry: `count`, `columns`,
    /// `rows`), told by their number.
    Group { count: u64 },
    /// Before or after is not a JSON object: shown as it is.
    Text { before: String, after: String },
}

/// What a change changed, from its before and after JSON text (as the log keeps them).
pub fn change_view(entity: Option<AuditEntity>, before: Option<&str>, after: Option<&str>) -> ChangeView {
    let parse = |text: Option<&str>| text.map(|t| serde_json::from_str::<Value>(t).map_err(|_| t.to_string()));
    let objects = (parse(before), parse(after));
    let as_object = |value: &Option<Result<Value, String>>| -> Option<Option<Map<String, Value>>> {
        match value {
            None => Some(None),
            Some(Ok(Value::Object(map))) => Some(Some(map.clone())),
            Some(_) => None,
        }
    };
    let (Some(before_map), Some(after_map)) = (as_object(&objects.0), as_object(&objects.1)) else {
        return ChangeView::Text {
            before: before.unwrap_or_default().to_string(),
            after: after.unwrap_or_default().to_string(),
        };
    };
    if let Some(count) = after_map.as_ref().and_then(group_count) {
        if before_map.is_none() {
            return ChangeView::Group { count };
        }
    }
    let empty = Map::new();
    let (before_map, after_map) = (before_map.as_ref().unwrap_or(&empty), after_map.as_ref().unwrap_or(&empty));
    let mut keys: Vec<&String> = after_map.keys().collect();
    keys.extend(before_map.keys().filter(|key| !after_map.contains_key(*key)));
    keys.sort_by_key(|key| field_order(key));
    let changes = keys
        .into_iter()
        .filter(|key| before_map.get(*key) != after_map.get(*key))
        .filter_map(|key| {
            let shown =
                |map: &Map<String, Value>| map.get(key).map(|v| display_value(entity, key, v)).unwrap_or_default();
            let (before, after) = (shown(before_map), shown(after_map));
            // A field absent on one side and null on the other changed nothing a reader sees.
            (before != after).then(|| FieldChange {
                key: key.clone(),
                label: field_label(key).unwrap_or(key).to_string(),
                before,
                after,
            })
        })
        .collect();
    ChangeView::Fields(changes)
}

/// The number of records of an import's group entry (`{"count", "columns", "rows"}`).
fn group_count(after: &Map<String, Value>) -> Option<u64> {
    (after.len() == 3 && after.contains_key("columns") && after.contains_key("rows"))
        .then(|| after.get("count")?.as_u64())
        .flatten()
}

/// "管理员 修改了 项目「GS-620100-2022-0001」": who did what to which record.
pub fn sentence(actor: &str, action: &str, entity: &str, entity_id: &str) -> String {
    let action = AuditAction::from_key(action).map_or(action, |known| known.label());
    let entity = AuditEntity::from_key(entity).map_or(entity, |known| known.label());
    if entity_id.is_empty() {
        format!("{actor} {action}了{entity}")
    } else {
        format!("{actor} {action}了{entity}「{entity_id}」")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(view: ChangeView) -> Vec<(String, String, String)> {
        match view {
            ChangeView::Fields(changes) => changes.into_iter().map(|c| (c.label, c.before, c.after)).collect(),
            other => panic!("expected fields, got {other:?}"),
        }
    }

    #[test]
    fn an_update_lists_only_the_fields_that_differ_in_chinese() {
        let before = r#"{"code":"GS-1","total_investment":660000000,"stage":"started","signed_on":"2022-02-16"}"#;
        let after = r#"{"code":"GS-1","total_investment":660012345,"stage":"producing","signed_on":"2022-02-16"}"#;
        assert_eq!(
            fields(change_view(Some(AuditEntity::Project), Some(before), Some(after))),
            [
                ("总投资".to_string(), "66000.00 万元".to_string(), "66001.2345 万元".to_string()),
                ("阶段".to_string(), "开工".to_string(), "投产".to_string()),
            ]
        );
    }

    #[test]
    fn a_creation_shows_every_field_with_a_value_and_a_removed_field_its_old_value() {
        let created = fields(change_view(
            Some(AuditEntity::User),
            None,
            Some(r#"{"username":"baiyin","role":"region","disabled":false,"region_code":null}"#),
        ));
        let expected = [("用户名", "", "baiyin"), ("角色", "", "市州/园区用户"), ("已停用", "", "否")];
        assert_eq!(created, expected.map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())));
        let removed = fields(change_view(Some(AuditEntity::Setting), Some(r#"{"a":1,"b":2}"#), Some(r#"{"a":1}"#)));
        assert_eq!(removed, [("b".to_string(), "2".to_string(), String::new())]);
    }

    #[test]
    fn vocabularies_and_statuses_read_as_labels_and_unknown_keys_stay_visible() {
        assert_eq!(display_value(Some(AuditEntity::Plan), "status", &Value::from("won")), "已落地");
        assert_eq!(display_value(Some(AuditEntity::Problem), "status", &Value::from("resolved")), "已解决");
        assert_eq!(display_value(Some(AuditEntity::Appeal), "rating", &Value::from("satisfied")), "满意");
        assert_eq!(display_value(Some(AuditEntity::Funding), "source", &Value::from("abroad")), "境外");
        assert_eq!(display_value(Some(AuditEntity::Plan), "status", &Value::from("paused")), "paused");
        assert_eq!(display_value(None, "amount", &Value::from(-5)), "-0.0005 万元");
        assert_eq!(display_value(None, "nodes", &serde_json::json!([1, "a"])), r#"[1,"a"]"#);
    }

    #[test]
    fn an_import_group_is_told_by_its_number_and_text_that_is_not_json_is_kept() {
        let group = r#"{"count":1000,"columns":["code"],"rows":[["GS-1"]]}"#;
        assert_eq!(change_view(Some(AuditEntity::Project), None, Some(group)), ChangeView::Group { count: 1000 });
        assert_eq!(
            change_view(None, Some("not json"), None),
            ChangeView::Text { before: "not json".into(), after: String::new() }
        );
    }

    #[test]
    fn the_sentence_names_who_did_what_to_which_record() {
        assert_eq!(sentence("管理员", "update", "project", "GS-1"), "管理员 修改了项目「GS-1」");
        assert_eq!(
            sentence("演示数据", "attach", "chain_node_enterprise", "10/404"),
            "演示数据 关联了产业链环节企业「10/404」"
        );
        assert_eq!(sentence("admin", "restore", "database", ""), "admin 恢复备份了数据库");
        assert_eq!(sentence("x", "archive", "widget", "1"), "x archive了widget「1」", "unknown keys stay visible");
    }

    #[test]
    fn every_key_parses_back_and_labels_are_unique() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::from_key(action.key()), Some(*action));
        }
        let mut labels: Vec<_> = AuditEntity::ALL.iter().map(|e| e.label()).collect();
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), AuditEntity::ALL.len());
    }
}
