//! Research reports (调研报告) with their numbered suggestions: filing one (members, for
//! a region in their scope), the scope-checked list, and a report's board — each
//! suggestion's path through instructions, tasks, replies and grades, with dates. Who
//! reads which reports is `Principal::report_scope`. (The area's pages are `/reports`;
//! this module is not `reports`, which is the monthly 招商引资月报.)

use crate::instructions::LinkedRecord;
use crate::projects::page_offset;
use crate::stats::parse_date;
use crate::{App, AppError, AppResult};
use serde::Deserialize;
use zhaoshang_core::access::{Principal, RecordScope};
use zhaoshang_core::inbox::Urgency;
use zhaoshang_core::instructions::{LinkedKind, StepKind};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::reports::{check_report_date, parse_suggestions, required_text, ReportError};
use zhaoshang_store::instructions::{Instruction, Task, TaskLink, TaskStepRecord};
use zhaoshang_store::reports::{Report, ReportData, Suggestion};
use zhaoshang_store::Actor;

/// The filing form as the page sends it.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct ReportForm {
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub research_group: String,
    #[serde(default)]
    pub authors: String,
    #[serde(default)]
    pub researched_on: String,
    #[serde(default)]
    pub enterprises_visited: String,
    #[serde(default)]
    pub summary: String,
    /// Aspect headings and one suggestion a line (core::reports::parse_suggestions).
    #[serde(default)]
    pub suggestions: String,
}

fn invalid(error: ReportError) -> AppError {
    AppError::Invalid(error.to_string())
}

/// A task as the board shows it: its supervision colour, how late it is, and the steps
/// the user may take today.
pub struct TaskView {
    pub task: Task,
    pub urgency: Option<Urgency>,
    pub days_late: i64,
    pub actions: Vec<StepKind>,
    /// Whether the user may link the records the task changed (it replies for the task).
    pub may_link: bool,
}

/// A report with everything its board shows, and what the user may do on it.
pub struct ReportBoard {
    pub report: Report,
    pub suggestions: Vec<Suggestion>,
    pub instructions: Vec<Instruction>,
    pub tasks: Vec<TaskView>,
    pub steps: Vec<TaskStepRecord>,
    /// The records linked to its tasks, each with what the user may read of it now.
    pub links: Vec<(TaskLink, Option<LinkedRecord>)>,
    pub may_instruct: bool,
    pub may_assign: bool,
}

impl App {
    fn report_scope(principal: &Principal) -> AppResult<RecordScope> {
        match principal.report_scope() {
            RecordScope::Nothing => Err(AppError::Forbidden),
            scope => Ok(scope),
        }
    }

    /// Files a report with its suggestions, audited; the report's id.
    pub async fn file_report(&self, principal: &Principal, actor: &Actor, form: &ReportForm) -> AppResult<i64> {
        Self::report_scope(principal)?;
        if form.region.trim().is_empty() {
            return Err(invalid(ReportError::Missing("所属地区")));
        }
        let region = self.known_region(&form.region).await?;
        if !principal.may_file_report_in(&region) {
            return Err(AppError::Forbidden);
        }
        let researched_on =
            parse_date(&form.researched_on, "调研日期").map_err(|e| AppError::Invalid(e.to_string()))?;
        check_report_date(researched_on, crate::calendar::today()).map_err(invalid)?;
        let optional = |text: &str, what| {
            if text.trim().is_empty() {
                Ok(String::new())
            } else {
                required_text(text, what).map_err(invalid)
            }
        };
        let data = ReportData {
            region_code: region.as_str().to_string(),
            title: required_text(&form.title, "报告标题").map_err(invalid)?,
            research_group: required_text(&form.research_group, "调研组").map_err(invalid)?,
            authors: optional(&form.authors, "执笔人")?,
            researched_on,
            enterprises_visited: optional(&form.enterprises_visited, "调研企业")?,
            summary: optional(&form.summary, "报告摘要")?,
            filed_by: Some(principal.user_id),
            filed_by_name: self.display_name(principal).await?,
        };
        let suggestions = parse_suggestions(&form.suggestions).map_err(invalid)?;
        Ok(self.store().save_report(&data, &suggestions, actor).await?)
    }

    /// The user's name as pages sign it (its display name, else its user name).
    pub(crate) async fn display_name(&self, principal: &Principal) -> AppResult<String> {
        let user = self.store().user_by_name(&principal.username).await?;
        Ok(user.map(|u| u.display_name).filter(|name| !name.trim().is_empty()).unwrap_or(principal.username.clone()))
    }

    /// A page of the reports in the user's scope, the latest research first.
    pub async fn reports_page(
        &self,
        principal: &Principal,
        page: Option<u32>,
        per_page: i64,
    ) -> AppResult<Vec<Report>> {
        let scope = Self::report_scope(principal)?;
        let (_, offset) = page_offset(page, per_page);
        Ok(self.store().reports_page(scope.prefix().unwrap_or_default(), per_page, offset).await?)
    }

    /// One report, 404 when unknown and 403 outside the user's scope.
    pub async fn report_in_scope(&self, principal: &Principal, id: i64) -> AppResult<Report> {
        let scope = Self::report_scope(principal)?;
        let report = self.store().report(id).await?.ok_or_else(|| AppError::not_found("该调研报告"))?;
        let region = RegionCode::parse(&report.data.region_code).map_err(AppError::internal)?;
        if !scope.allows(&region) {
            return Err(AppError::Forbidden);
        }
        Ok(report)
    }

    /// A report with its suggestions, instructions, tasks and their steps.
    pub async fn report_board(&self, principal: &Principal, id: i64) -> AppResult<ReportBoard> {
        let report = self.report_in_scope(principal, id).await?;
        let region = RegionCode::parse(&report.data.region_code).map_err(AppError::internal)?;
        let store = self.store();
        let (suggestions, instructions, tasks, steps, linked) = tokio::try_join!(
            store.report_suggestions(id),
            store.report_instructions(id),
            store.report_tasks(id),
            store.report_task_steps(id),
            store.report_task_links(id),
        )?;
        let mut links = Vec::with_capacity(linked.len());
        for link in linked {
            let record = match LinkedKind::from_key(&link.kind) {
                Some(kind) => self.linked_record(principal, kind, &link.record_key).await?,
                None => None,
            };
            links.push((link, record));
        }
        let own = self.own_departments(principal).await?;
        let calendar = self.calendar().await?;
        let today = crate::calendar::today();
        let tasks = tasks
            .into_iter()
            .map(|task| {
                let course = task.course();
                let actions = course
                    .possible(&calendar, today)
                    .into_iter()
                    .filter(|kind| App::may_take_task_step(principal, &task, *kind, &own))
                    .collect();
                TaskView {
                    may_link: principal.may_reply_to_task(&task.department, &own),
                    urgency: course.urgency(&calendar, today),
                    days_late: course.working_days_late(&calendar, today),
                    actions,
                    task,
                }
            })
            .collect();
        Ok(ReportBoard {
            may_instruct: principal.may_instruct_on(&region),
            may_assign: principal.may_assign_tasks_on(&region),
            report,
            suggestions,
            instructions,
            tasks,
            steps,
            links,
        })
    }
}
