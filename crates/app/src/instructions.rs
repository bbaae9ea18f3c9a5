//! Leaders' instructions (批示) and their tasks: a leader writes one on a report or a
//! suggestion; an instruction for action is split into tasks for a lead department and
//! co-handlers with deadlines on the official calendar; departments reply (interim,
//! final with a grade), the proposer rates the final reply and a dissatisfied rating
//! sends the task back once (core::instructions). Late tasks reach the inbox, and a
//! province-wide board lists the open ones, late first.

use crate::inbox::{InboxItemDraft, InboxQuery, InboxSource};
use crate::stats::parse_date;
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use serde::Deserialize;
use zhaoshang_core::access::{Principal, Role};
use zhaoshang_core::inbox::Urgency;
use zhaoshang_core::instructions::{
    co_handler_due, deadline, parse_link, Grade, InstructionError, InstructionKind, LinkedKind, Part, Satisfaction,
    Step, StepKind,
};
use zhaoshang_core::projects::Stage;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::reports::{required_text, ReportError};
use zhaoshang_store::instructions::{InstructionData, NewTask, OpenTaskFilter, Task};
use zhaoshang_store::{Actor, Store};

fn invalid(error: impl std::fmt::Display) -> AppError {
    AppError::Invalid(error.to_string())
}

/// A leader's instruction as its form sends it.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct InstructionForm {
    /// A suggestion's id, or empty for the whole report.
    #[serde(default)]
    pub suggestion: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub text: String,
}

/// The split of an instruction for action into tasks.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct SplitForm {
    #[serde(default)]
    pub lead: String,
    /// Co-handling departments, one a line or separated by 、 or commas.
    #[serde(default)]
    pub co: String,
    /// Empty for the default (three months).
    #[serde(default)]
    pub deadline: String,
}

/// A step of a task as its form sends it.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct TaskStepForm {
    #[serde(default)]
    pub step: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub grade: String,
    #[serde(default)]
    pub satisfaction: String,
}

impl TaskStepForm {
    pub fn step(&self) -> AppResult<Step> {
        let kind = StepKind::from_key(self.step.trim())
            .ok_or_else(|| AppError::Invalid(format!("办理步骤“{}”无效", self.step.trim())))?;
        let text = if self.text.trim().is_empty() {
            String::new()
        } else {
            required_text(&self.text, "答复内容").map_err(invalid)?
        };
        Ok(match kind {
            StepKind::Contest => Step::Contest { reason: text },
            StepKind::Interim => Step::Interim { text },
            StepKind::Final => {
                let grade =
                    if self.grade.trim().is_empty() { None } else { Some(Grade::parse(&self.grade).map_err(invalid)?) };
                Step::Final { text, grade }
            }
            StepKind::Rate => Step::Rate { satisfaction: Satisfaction::parse(&self.satisfaction).map_err(invalid)? },
        })
    }
}

/// The departments a form lists: split on new lines, commas and 、, trimmed, each once.
pub(crate) fn departments(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for name in text.split(['\n', ',', '，', '、', ';', '；']).map(str::trim).filter(|n| !n.is_empty()) {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
}

/// One open task of the province-wide board.
pub struct BoardRow {
    pub task: Task,
    pub urgency: Option<Urgency>,
    pub days_late: i64,
}

/// A record to link to a task, as the task's form sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TaskLinkForm {
    pub kind: String,
    pub key: String,
}

/// A linked record as the board shows it to a user who may read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedRecord {
    pub title: String,
    /// Where it stands now (a project's stage, an appeal's stage, an achievement's year).
    pub state: String,
    pub href: String,
}

impl App {
    /// Writes a leader's instruction on a report (or one of its suggestions), dated today.
    pub async fn write_instruction(
        &self,
        principal: &Principal,
        actor: &Actor,
        report_id: i64,
        form: &InstructionForm,
    ) -> AppResult<i64> {
        let report = self.report_in_scope(principal, report_id).await?;
        let region = RegionCode::parse(&report.data.region_code).map_err(AppError::internal)?;
        if !principal.may_instruct_on(&region) {
            return Err(AppError::Forbidden);
        }
        let kind = InstructionKind::parse(&form.kind).map_err(invalid)?;
        let text = required_text(&form.text, "批示内容").map_err(invalid)?;
        let suggestion_id = match form.suggestion.trim() {
            "" => None,
            id => {
                let suggestions = self.store().report_suggestions(report_id).await?;
                let found = id.parse::<i64>().ok().and_then(|id| suggestions.iter().find(|s| s.id == id));
                Some(found.ok_or_else(|| AppError::Invalid("所选建议不属于该报告".into()))?.id)
            }
        };
        let data = InstructionData {
            report_id,
            suggestion_id,
            kind: kind.key().to_string(),
            leader_name: self.display_name(principal).await?,
            text,
            instructed_on: crate::calendar::today(),
        };
        Ok(self.store().save_instruction(&data, actor).await?)
    }

    /// Splits an instruction for action into a lead department's task and co-handlers'
    /// tasks, assigned today; the report's id.
    pub async fn split_instruction(
        &self,
        principal: &Principal,
        actor: &Actor,
        instruction_id: i64,
        form: &SplitForm,
    ) -> AppResult<i64> {
        let instruction =
            self.store().instruction(instruction_id).await?.ok_or_else(|| AppError::not_found("该批示"))?;
        let report = self.report_in_scope(principal, instruction.data.report_id).await?;
        let region = RegionCode::parse(&report.data.region_code).map_err(AppError::internal)?;
        if !principal.may_assign_tasks_on(&region) {
            return Err(AppError::Forbidden);
        }
        if instruction.data.kind != InstructionKind::Action.key() {
            return Err(invalid(InstructionError::ReadOnly));
        }
        let lead = required_text(&form.lead, "牵头单位").map_err(invalid)?;
        let co: Vec<String> = departments(&form.co).into_iter().filter(|name| *name != lead).collect();
        for name in std::iter::once(&lead).chain(&co) {
            if name.chars().count() > 100 {
                return Err(invalid(ReportError::TooLong { what: "单位名称", max: 100 }));
            }
        }
        let asked = match form.deadline.trim() {
            "" => None,
            text => Some(parse_date(text, "办理期限").map_err(invalid)?),
        };
        let calendar = self.calendar().await?;
        let today = crate::calendar::today();
        let task_deadline = deadline(&calendar, today, asked).map_err(invalid)?;
        let co_due = co_handler_due(&calendar, today, task_deadline);
        let task = |department: &String, part: Part, co_due_on: Option<NaiveDate>| NewTask {
            department: department.clone(),
            part,
            assigned_on: today,
            deadline: task_deadline,
            co_due_on,
        };
        let tasks: Vec<NewTask> = std::iter::once(task(&lead, Part::Lead, None))
            .chain(co.iter().map(|name| task(name, Part::Co, Some(co_due))))
            .collect();
        self.store().assign_tasks(instruction_id, &tasks, actor).await.map_err(|e| match e {
            zhaoshang_store::StoreError::Conflict(message) => AppError::Invalid(message),
            other => other.into(),
        })?;
        Ok(instruction.data.report_id)
    }

    /// The report an instruction is on (the board that shows a refused split).
    pub async fn report_of_instruction(&self, id: i64) -> AppResult<i64> {
        let instruction = self.store().instruction(id).await?.ok_or_else(|| AppError::not_found("该批示"))?;
        Ok(instruction.data.report_id)
    }

    /// The report a task comes from (the board that shows a refused step).
    pub async fn report_of_task(&self, id: i64) -> AppResult<i64> {
        Ok(self.store().task(id).await?.ok_or_else(|| AppError::not_found("该任务"))?.report_id)
    }

    /// The departments a user replies for (a chain department's; none for others).
    pub async fn own_departments(&self, principal: &Principal) -> AppResult<Vec<String>> {
        if principal.role != Role::Chain {
            return Ok(Vec::new());
        }
        Ok(self.store().user_departments(principal.user_id).await?)
    }

    /// Whether the user may take a step of this kind on `task`.
    pub fn may_take_task_step(principal: &Principal, task: &Task, kind: StepKind, own: &[String]) -> bool {
        match kind {
            StepKind::Rate => principal.may_rate_task(task.filed_by),
            _ => principal.may_reply_to_task(&task.department, own),
        }
    }

    /// Takes a step of a task today, audited; the report's id.
    pub async fn take_task_step(
        &self,
        principal: &Principal,
        actor: &Actor,
        task_id: i64,
        form: &TaskStepForm,
    ) -> AppResult<i64> {
        let task = self.store().task(task_id).await?.ok_or_else(|| AppError::not_found("该任务"))?;
        self.report_in_scope(principal, task.report_id).await?;
        let step = form.step()?;
        let own = self.own_departments(principal).await?;
        if !Self::may_take_task_step(principal, &task, step.kind(), &own) {
            return Err(AppError::Forbidden);
        }
        let calendar = self.calendar().await?;
        let today = crate::calendar::today();
        let after = task.course().apply(&calendar, &step, today).map_err(invalid)?;
        let grade = match &step {
            Step::Final { grade, .. } => *grade,
            _ => None,
        };
        let written =
            self.store().record_task_step(&task, &after, (step.kind(), today, &step.detail(), grade), actor).await?;
        match written {
            Some(_) => Ok(task.report_id),
            None => Err(AppError::Invalid("该任务刚被他人办理，请刷新后重试".into())),
        }
    }

    /// Links a record the task changed (a project, appeal, chain or achievement the user
    /// may read) to a task the user replies for, audited, once; the report's id. A record
    /// that does not exist, or that the user may not read, is refused alike.
    pub async fn link_task_record(
        &self,
        principal: &Principal,
        actor: &Actor,
        task_id: i64,
        form: &TaskLinkForm,
    ) -> AppResult<i64> {
        let task = self.store().task(task_id).await?.ok_or_else(|| AppError::not_found("该任务"))?;
        self.report_in_scope(principal, task.report_id).await?;
        if !principal.may_reply_to_task(&task.department, &self.own_departments(principal).await?) {
            return Err(AppError::Forbidden);
        }
        let (kind, key) = parse_link(&form.kind, &form.key).map_err(AppError::Invalid)?;
        if self.linked_record(principal, kind, &key).await?.is_none() {
            return Err(AppError::Invalid(format!("未找到{}“{key}”，或您无权查看", kind.label())));
        }
        // Linked already: nothing to add.
        self.store().add_task_link(task_id, kind, &key, actor).await?;
        Ok(task.report_id)
    }

    /// A linked record as it stands now, for a user who may read it (`None` when it is
    /// gone or outside the user's scope): its title, where it stands, its page.
    pub async fn linked_record(
        &self,
        principal: &Principal,
        kind: LinkedKind,
        key: &str,
    ) -> AppResult<Option<LinkedRecord>> {
        let store = self.store();
        let found = match kind {
            LinkedKind::Project => match store.project_by_code(key).await? {
                Some(project) => self.project_in_scope(principal, project.id).await.map(|p| LinkedRecord {
                    state: Stage::parse(&p.data.stage).map_or_else(|_| p.data.stage.clone(), |s| s.label().to_string()),
                    href: format!("/projects/{}", p.id),
                    title: p.data.name,
                }),
                None => return Ok(None),
            },
            LinkedKind::Appeal => self.appeal_in_scope(principal, key).await.map(|appeal| LinkedRecord {
                state: appeal.flow_state().stage.label().to_string(),
                href: format!("/appeals/{}", appeal.data.code),
                title: appeal.data.enterprise,
            }),
            LinkedKind::Chain => match store.chain_by_name(key).await? {
                Some(chain) => Ok(LinkedRecord {
                    state: String::new(),
                    href: format!("/chains/{}", chain.id),
                    title: chain.data.name,
                }),
                None => return Ok(None),
            },
            LinkedKind::Achievement => self.achievement_in_scope(principal, key).await.map(|(a, _, _)| LinkedRecord {
                state: format!("{} 年度", a.year),
                href: format!("/achievements/{}", a.code),
                title: a.title,
            }),
        };
        match found {
            Ok(record) => Ok(Some(record)),
            Err(AppError::NotFound(_) | AppError::Forbidden) => Ok(None),
            Err(other) => Err(other),
        }
    }

    /// The open tasks in the user's scope (a chain department's own), late first.
    pub async fn instruction_board(&self, principal: &Principal) -> AppResult<Vec<BoardRow>> {
        let scope = principal.report_scope();
        let Some(prefix) = scope.prefix() else { return Err(AppError::Forbidden) };
        let departments = self.own_departments(principal).await?;
        let filter = OpenTaskFilter { region_prefix: prefix.to_string(), departments, due_before: None };
        if principal.role == Role::Chain && filter.departments.is_empty() {
            return Ok(Vec::new());
        }
        let calendar = self.calendar().await?;
        let today = crate::calendar::today();
        let tasks = self.store().open_tasks(&filter, 500).await?;
        Ok(tasks
            .into_iter()
            .map(|task| {
                let course = task.course();
                BoardRow {
                    urgency: course.urgency(&calendar, today),
                    days_late: course.working_days_late(&calendar, today),
                    task,
                }
            })
            .collect())
    }
}

/// 批示任务 in the inbox: a chain department's tasks owing a reply coming due or late,
/// and the late tasks of the region the admin or a leader supervises; replies are given
/// on the report's page, not marked done here.
pub struct TaskClocks;

impl InboxSource for TaskClocks {
    fn area(&self) -> &'static str {
        "instructions"
    }

    fn area_label(&self) -> &'static str {
        "领导批示"
    }

    fn items<'a>(&'a self, store: &'a Store, query: &'a InboxQuery<'a>) -> crate::inbox::Items<'a> {
        Box::pin(async move {
            let user = query.user;
            let filter = match user.role {
                Role::Chain => {
                    let departments = store.user_departments(user.user_id).await?;
                    if departments.is_empty() {
                        return Ok(Vec::new());
                    }
                    OpenTaskFilter { region_prefix: String::new(), departments, due_before: query.horizon.succ_opt() }
                }
                _ => {
                    let Some(prefix) = user.supervision_scope().prefix().map(str::to_string) else {
                        return Ok(Vec::new());
                    };
                    OpenTaskFilter { region_prefix: prefix, departments: Vec::new(), due_before: Some(query.today) }
                }
            };
            let tasks = store.open_tasks(&filter, crate::inbox::MAX_ITEMS_PER_SOURCE).await?;
            Ok(tasks
                .into_iter()
                .map(|task| {
                    let suggestion = task.suggestion_number.map(|n| format!("第{n}条建议 · ")).unwrap_or_default();
                    let draft = InboxItemDraft {
                        id: task.id,
                        title: format!("{}：{}", task.department, task.report_title),
                        detail: format!("{suggestion}{} {} 批示", task.leader_name, task.instructed_on),
                        link: format!("/reports/{}#task-{}", task.report_id, task.id),
                        can_mark_done: false,
                    };
                    (draft, task.deadline)
                })
                .collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departments_are_split_on_any_separator_once_each() {
        assert_eq!(
            departments("天水市商务局、天水市自然资源局\n天水市商务局，天水市税务局; "),
            vec!["天水市商务局", "天水市自然资源局", "天水市税务局"]
        );
        assert!(departments(" \n ").is_empty());
    }

    #[test]
    fn a_final_reply_form_carries_its_grade() {
        let form =
            TaskStepForm { step: "final".into(), text: "已落实".into(), grade: "B".into(), ..Default::default() };
        assert_eq!(form.step().unwrap(), Step::Final { text: "已落实".into(), grade: Some(Grade::B) });
        let bad = TaskStepForm { step: "final".into(), text: "x".into(), grade: "E".into(), ..Default::default() };
        assert!(matches!(bad.step(), Err(AppError::Invalid(message)) if message.contains("A、B、C 或 D")));
        let unknown = TaskStepForm { step: "approve".into(), ..Default::default() };
        assert!(matches!(unknown.step(), Err(AppError::Invalid(_))));
    }
}
