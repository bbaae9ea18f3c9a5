//! Demo research reports (资政建言): 天水's report on its equipment industry with 3
//! aspects and 13 suggestions, the leader's instructions on it and their tasks in every
//! state — assigned, answered in part and late, answered awaiting the proposer, sent back,
//! closed — and a smaller report of 白银's with one task being handled. Dates run
//! relative to today, on the official calendar.

use super::chains::{BAIYIN, TIANSHUI};
use crate::AppResult;
use chrono::{Days, NaiveDate};
use zhaoshang_core::calendar::Calendar;
use zhaoshang_core::instructions::{deadline, Grade, InstructionKind, Part, Satisfaction, Step};
use zhaoshang_core::reports::parse_suggestions;
use zhaoshang_store::instructions::{InstructionData, NewTask};
use zhaoshang_store::reports::ReportData;
use zhaoshang_store::{Actor, Store};

struct DemoReport {
    region: &'static str,
    title: &'static str,
    group: &'static str,
    authors: &'static str,
    days_ago: u64,
    enterprises: &'static str,
    summary: &'static str,
    suggestions: &'static str,
    instructions: &'static [DemoInstruction],
}

struct DemoInstruction {
    /// The suggestion's number, or `None` for the whole report.
    suggestion: Option<u32>,
    kind: InstructionKind,
    text: &'static str,
    days_ago: u64,
    lead: &'static str,
    co: &'static [&'static str],
    /// The lead department's steps: days after the assignment, and the step.
    steps: &'static [(u64, DemoStep)],
}

enum DemoStep {
    Interim(&'static str),
    Final(&'static str, Grade),
    Rate(Satisfaction),
}

impl DemoStep {
    fn step(&self) -> Step {
        match self {
            DemoStep::Interim(text) => Step::Interim { text: text.to_string() },
            DemoStep::Final(text, grade) => Step::Final { text: text.to_string(), grade: Some(*grade) },
            DemoStep::Rate(satisfaction) => Step::Rate { satisfaction: *satisfaction },
        }
    }
}

const TIANSHUI_SUGGESTIONS: &str = "一、强化产业链协同
建立数控机床产业链链长制工作台账，按季度调度重点项目
支持龙头企业牵头组建装备制造产业创新联合体
梳理电工电器产业链缺失环节，编制精准招商目录
推动本地配套企业进入龙头企业供应链
设立装备制造产业发展基金，撬动社会资本投入
二、优化要素保障
保障重点项目用地指标，推行“标准地”出让
落实大工业用电优惠政策，降低企业用电成本
拓宽中小企业融资渠道，扩大政银担合作覆盖面
完善园区污水处理和供热等基础设施
三、加强人才和服务支撑
建立高技能人才引进和培养补贴制度
推行涉企事项“一窗受理、一网通办”
建立企业诉求快速响应和限时办结机制
每半年开展一次惠企政策落实情况评估";

const REPORTS: &[DemoReport] = &[
    DemoReport {
        region: TIANSHUI,
        title: "关于推动天水市装备制造业高质量发展的调研报告",
        group: "省政协经济委员会第三调研组",
        authors: "何某某、李某某",
        days_ago: 160,
        enterprises: "天水星火机床有限责任公司\n天水长城开关厂集团有限公司\n天水华天科技股份有限公司\n天水锻压机床（集团）有限公司",
        summary: "调研组赴天水市蹲点调研装备制造和电工电器企业，围绕产业链协同、要素保障和人才服务提出3个方面13条具体建议。",
        suggestions: TIANSHUI_SUGGESTIONS,
        instructions: &[
            DemoInstruction {
                suggestion: None,
                kind: InstructionKind::Read,
                text: "报告调研深入、建议务实，请天水市和省直有关部门认真研究吸收。",
                days_ago: 140,
                lead: "",
                co: &[],
                steps: &[],
            },
            DemoInstruction {
                suggestion: Some(1),
                kind: InstructionKind::Action,
                text: "请天水市工信局牵头建立台账，按季度调度。",
                days_ago: 135,
                lead: "天水市工业和信息化局",
                co: &[],
                steps: &[
                    (20, DemoStep::Interim("已建立数控机床产业链工作台账，首批纳入重点项目12个。")),
                    (60, DemoStep::Final("台账已按季度调度两轮，12个项目中9个已开工。", Grade::A)),
                    (65, DemoStep::Rate(Satisfaction::Satisfied)),
                ],
            },
            DemoInstruction {
                suggestion: Some(3),
                kind: InstructionKind::Action,
                text: "请市商务局会同工信局编制招商目录，开展精准招商。",
                days_ago: 130,
                lead: "天水市商务局",
                co: &["天水市工业和信息化局"],
                steps: &[(70, DemoStep::Final("已编制电工电器产业链招商目录，列入目标企业36家，正在分批对接。", Grade::B))],
            },
            DemoInstruction {
                suggestion: Some(6),
                kind: InstructionKind::Action,
                text: "请市自然资源局研究“标准地”出让办法。",
                days_ago: 125,
                lead: "天水市自然资源局",
                co: &[],
                steps: &[
                    (50, DemoStep::Final("受年度用地指标限制，“标准地”出让待明年统筹考虑。", Grade::C)),
                    (55, DemoStep::Rate(Satisfaction::Dissatisfied)),
                ],
            },
            DemoInstruction {
                suggestion: Some(7),
                kind: InstructionKind::Action,
                text: "请市发改委抓紧落实用电优惠政策。",
                days_ago: 120,
                lead: "天水市发展和改革委员会",
                co: &["国网天水供电公司"],
                steps: &[(30, DemoStep::Interim("已与供电公司对接，正在测算享受优惠的企业范围。"))],
            },
            DemoInstruction {
                suggestion: Some(11),
                kind: InstructionKind::Action,
                text: "请市政务服务中心推行“一窗受理”，限期落实。",
                days_ago: 10,
                lead: "天水市政务服务中心",
                co: &["天水市工业和信息化局"],
                steps: &[],
            },
        ],
    },
    DemoReport {
        region: BAIYIN,
        title: "关于白银市有色金属新材料产业链招商的调研报告",
        group: "有色金属新材料产业助力小组",
        authors: "王某某",
        days_ago: 60,
        enterprises: "白银有色集团股份有限公司",
        summary: "围绕铜铝精深加工延链补链提出建议。",
        suggestions: "一、延链补链\n引进高精铝板带箔项目\n支持铜箔企业扩能\n二、要素保障\n保障新材料园区供电",
        instructions: &[DemoInstruction {
            suggestion: Some(1),
            kind: InstructionKind::Action,
            text: "请市工信局牵头对接，加快项目落地。",
            days_ago: 40,
            lead: "白银市工业和信息化局",
            co: &[],
            steps: &[(15, DemoStep::Interim("已赴北京对接目标企业，对方将安排实地考察。"))],
        }],
    },
];

fn days_before(today: NaiveDate, days: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(days)).unwrap_or(today)
}

pub(super) async fn load(store: &Store, today: NaiveDate, calendar: &Calendar, actor: &Actor) -> AppResult<()> {
    let member = store.user_by_name("member").await?;
    let leader = store.user_by_name("leader").await?;
    let leader_name = leader.map_or_else(|| "分管副省长".to_string(), |user| user.display_name);
    for demo in REPORTS {
        let data = ReportData {
            region_code: demo.region.to_string(),
            title: demo.title.to_string(),
            research_group: demo.group.to_string(),
            authors: demo.authors.to_string(),
            researched_on: days_before(today, demo.days_ago),
            enterprises_visited: demo.enterprises.to_string(),
            summary: demo.summary.to_string(),
            filed_by: member.as_ref().map(|user| user.id),
            filed_by_name: member.as_ref().map_or_else(|| "省政协委员".to_string(), |user| user.display_name.clone()),
        };
        let suggestions = parse_suggestions(demo.suggestions).map_err(crate::AppError::internal)?;
        let report_id = store.save_report(&data, &suggestions, actor).await?;
        let stored = store.report_suggestions(report_id).await?;
        for instruction in demo.instructions {
            let suggestion_id = instruction
                .suggestion
                .and_then(|number| stored.iter().find(|s| s.number == i64::from(number)))
                .map(|s| s.id);
            let instructed_on = days_before(today, instruction.days_ago);
            let instruction_data = InstructionData {
                report_id,
                suggestion_id,
                kind: instruction.kind.key().to_string(),
                leader_name: leader_name.clone(),
                text: instruction.text.to_string(),
                instructed_on,
            };
            let instruction_id = store.save_instruction(&instruction_data, actor).await?;
            if instruction.lead.is_empty() {
                continue;
            }
            let task_deadline = deadline(calendar, instructed_on, None).map_err(crate::AppError::internal)?;
            let co_due = zhaoshang_core::instructions::co_handler_due(calendar, instructed_on, task_deadline);
            let task = |department: &str, part, co_due_on| NewTask {
                department: department.to_string(),
                part,
                assigned_on: instructed_on,
                deadline: task_deadline,
                co_due_on,
            };
            let tasks: Vec<NewTask> = std::iter::once(task(instruction.lead, Part::Lead, None))
                .chain(instruction.co.iter().map(|name| task(name, Part::Co, Some(co_due))))
                .collect();
            let ids = store.assign_tasks(instruction_id, &tasks, actor).await?;
            let Some(lead_id) = ids.first() else { continue };
            for (after_days, demo_step) in instruction.steps {
                let Some(task) = store.task(*lead_id).await? else { break };
                let day = instructed_on.checked_add_days(Days::new(*after_days)).unwrap_or(today).min(today);
                let step = demo_step.step();
                let grade = match &step {
                    Step::Final { grade, .. } => *grade,
                    _ => None,
                };
                // A step the course refuses is left out (it cannot happen with these data).
                if let Ok(after) = task.course().apply(calendar, &step, day) {
                    store.record_task_step(&task, &after, (step.kind(), day, &step.detail(), grade), actor).await?;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhaoshang_core::reports::aspects;

    #[test]
    fn tianshui_reports_three_aspects_and_thirteen_suggestions() {
        let suggestions = parse_suggestions(TIANSHUI_SUGGESTIONS).unwrap();
        assert_eq!((aspects(&suggestions).len(), suggestions.len()), (3, 13));
        for report in REPORTS {
            let count = parse_suggestions(report.suggestions).unwrap().len() as u32;
            for instruction in report.instructions {
                assert!(instruction.suggestion.is_none_or(|n| (1..=count).contains(&n)), "{}", report.title);
                assert_eq!(instruction.lead.is_empty(), instruction.kind == InstructionKind::Read);
            }
        }
    }
}
