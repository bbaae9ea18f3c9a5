//! Work plans (工作方案, 工作计划): scope-checked reads of a region's plans with their
//! tasks' statuses on the working-day calendar and progress rates, the forms' writes,
//! progress reports, the plan's Excel table, and the inbox source of plan tasks due.
//! Plans are read by those who read the region's research reports (`report_scope`);
//! the rules are `core::work_plans`.

use crate::exchange::{NumberFormat, Table};
use crate::inbox::{InboxItemDraft, InboxQuery, InboxSource};
use crate::portal::RegionChoice;
use crate::{App, AppError, AppResult};
use chrono::NaiveDate;
use std::collections::HashMap;
use zhaoshang_core::access::{Principal, RecordScope, Role};
use zhaoshang_core::calendar::Calendar;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::work_plans::{
    check_plan, check_progress, check_task, due_day, progress_rate, task_status, FieldErrors, PlanForm, PlanKind,
    TaskForm, TaskStatus,
};
use zhaoshang_store::audit::Actor;
use zhaoshang_store::work_plans::{OpenPlanTaskFilter, PlanTask, PlanTaskData, Progress, WorkPlan, WorkPlanData};
use zhaoshang_store::Store;

/// A task with its status and the day it is due on the calendar.
pub struct TaskView {
    pub task: PlanTask,
    pub status: TaskStatus,
    pub due_on: NaiveDate,
}

/// A plan in the list, with its tasks counted.
pub struct PlanSummary {
    pub plan: WorkPlan,
    pub tasks: usize,
    pub done: usize,
    pub late: usize,
    pub rate: Option<f64>,
}

/// A plan's page: its scheme or yearly plans, its tasks with their progress.
pub struct PlanView {
    pub plan: WorkPlan,
    pub scheme: Option<WorkPlan>,
    pub yearly: Vec<WorkPlan>,
    pub tasks: Vec<TaskView>,
    pub progress: Vec<Progress>,
    pub rate: Option<f64>,
    pub may_edit: bool,
}

/// A task's page: the task, its plan, its progress and what the user may do.
pub struct TaskPage {
    pub plan: WorkPlan,
    pub task: TaskView,
    pub progress: Vec<Progress>,
    pub may_edit: bool,
    pub may_report: bool,
}

pub(crate) fn value<'a>(values: &'a HashMap<String, String>, key: &str) -> &'a str {
    values.get(key).map_or("", |v| v.trim())
}

pub(crate) fn region_of(code: &str) -> AppResult<RegionCode> {
    RegionCode::parse(code).map_err(AppError::internal)
}

/// The tasks with their statuses on `today`.
fn task_views(tasks: Vec<PlanTask>, today: NaiveDate, calendar: &Calendar) -> Vec<TaskView> {
    tasks
        .into_iter()
        .map(|task| {
            let status = task_status(task.data.deadline, task.done_on, task.progress_count, today, calendar);
            let due_on = due_day(task.data.deadline, calendar);
            TaskView { task, status, due_on }
        })
        .collect()
}

impl App {
    /// The region prefix of the plans and groups a user reads (those of the reports it reads).
    pub(crate) fn work_plan_prefix(principal: &Principal) -> AppResult<String> {
        match principal.report_scope() {
            RecordScope::All => Ok(String::new()),
            RecordScope::Within(region) => Ok(region.scope_prefix().to_string()),
            RecordScope::Nothing => Err(AppError::Forbidden),
        }
    }

    pub async fn work_plan_list(&self, principal: &Principal) -> AppResult<Vec<PlanSummary>> {
        let prefix = Self::work_plan_prefix(principal)?;
        let (today, calendar) = (crate::calendar::today(), self.calendar().await?);
        let mut summaries = Vec::new();
        for plan in self.store().work_plans(&prefix).await? {
            let tasks = task_views(self.store().plan_tasks(plan.id).await?, today, &calendar);
            let statuses: Vec<TaskStatus> = tasks.iter().map(|t| t.status).collect();
            summaries.push(PlanSummary {
                tasks: statuses.len(),
                done: statuses.iter().filter(|s| **s == TaskStatus::Done).count(),
                late: statuses.iter().filter(|s| **s == TaskStatus::Late).count(),
                rate: progress_rate(&statuses),
                plan,
            });
        }
        Ok(summaries)
    }

    /// A plan the user reads; 404 for any other.
    async fn readable_work_plan(&self, principal: &Principal, id: &str) -> AppResult<WorkPlan> {
        let prefix = Self::work_plan_prefix(principal)?;
        let not_found = || AppError::not_found("该工作方案");
        let id: i64 = id.trim().parse().map_err(|_| not_found())?;
        self.store().work_plan(id).await?.filter(|p| p.data.region_code.starts_with(&prefix)).ok_or_else(not_found)
    }

    /// A plan the user reads and edits: 404 outside its scope, 403 without the right.
    async fn editable_work_plan(&self, principal: &Principal, id: &str) -> AppResult<WorkPlan> {
        let plan = self.readable_work_plan(principal, id).await?;
        if !principal.may_edit_work_plans_of(&region_of(&plan.data.region_code)?) {
            return Err(AppError::Forbidden);
        }
        Ok(plan)
    }

    pub async fn work_plan_view(&self, principal: &Principal, id: &str) -> AppResult<PlanView> {
        let plan = self.readable_work_plan(principal, id).await?;
        let (today, calendar) = (crate::calendar::today(), self.calendar().await?);
        let tasks = task_views(self.store().plan_tasks(plan.id).await?, today, &calendar);
        let statuses: Vec<TaskStatus> = tasks.iter().map(|t| t.status).collect();
        let scheme = match plan.data.scheme_id {
            Some(id) => self.store().work_plan(id).await?,
            None => None,
        };
        let yearly = if plan.data.kind == PlanKind::Scheme.key() {
            let siblings = self.store().work_plans(&plan.data.region_code).await?;
            siblings.into_iter().filter(|p| p.data.scheme_id == Some(plan.id)).collect()
        } else {
            Vec::new()
        };
        Ok(PlanView {
            may_edit: principal.may_edit_work_plans_of(&region_of(&plan.data.region_code)?),
            progress: self.store().plan_progress(plan.id).await?,
            rate: progress_rate(&statuses),
            plan,
            scheme,
            yearly,
            tasks,
        })
    }

    /// The plan's tasks in an office's table: 序号, 任务, 责任单位, 责任人, 完成时限, 进展情况
    /// (the latest report, or the status when none).
    pub async fn work_plan_table(&self, principal: &Principal, id: &str) -> AppResult<Table> {
        let view = self.work_plan_view(principal, id).await?;
        let columns = ["序号", "任务", "责任单位", "责任人", "完成时限", "进展情况"]
            .map(|header| (header.to_string(), NumberFormat::Text));
        let mut table = Table::report("工作任务", view.plan.data.title.clone(), columns, 2);
        table.rows = view
            .tasks
            .iter()
            .enumerate()
            .map(|(index, t)| {
                let owners: Vec<&str> = [t.task.group_name.as_deref().unwrap_or(""), t.task.data.department.as_str()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect();
                let latest = view.progress.iter().rev().find(|p| p.task_id == t.task.id);
                let progress = match latest {
                    Some(p) => format!("【{}】{}（{}）", t.status.label(), p.text, p.reported_on),
                    None => format!("【{}】", t.status.label()),
                };
                vec![
                    (index + 1).to_string(),
                    t.task.data.text.clone(),
                    owners.join("、"),
                    t.task.data.people.clone(),
                    t.task.data.deadline.to_string(),
                    progress,
                ]
            })
            .collect();
        Ok(table)
    }

    /// The cities and counties whose plans and groups the user keeps, for the forms.
    pub async fn work_plan_regions(&self, principal: &Principal) -> AppResult<Vec<RegionChoice>> {
        let editable = |code: &str| RegionCode::parse(code).is_ok_and(|c| principal.may_edit_work_plans_of(&c));
        let mut choices = self.portal_regions().await?;
        for choice in &mut choices {
            choice.counties.retain(|county| editable(&county.code));
        }
        choices.retain(|choice| editable(&choice.city.code) || !choice.counties.is_empty());
        if choices.is_empty() {
            return Err(AppError::Forbidden);
        }
        Ok(choices)
    }

    /// The schemes a yearly plan of the user's may come under.
    pub async fn work_plan_schemes(&self, principal: &Principal) -> AppResult<Vec<WorkPlan>> {
        let prefix = Self::work_plan_prefix(principal)?;
        let plans = self.store().work_plans(&prefix).await?;
        Ok(plans
            .into_iter()
            .filter(|p| {
                p.data.kind == PlanKind::Scheme.key()
                    && RegionCode::parse(&p.data.region_code).is_ok_and(|c| principal.may_edit_work_plans_of(&c))
            })
            .collect())
    }

    /// The region a plan or group is saved in: the stored one when it is edited, else the
    /// form's `region` where the user may keep plans (403 elsewhere); a region the form
    /// does not name is the field's error `missing`.
    pub(crate) async fn region_to_save(
        &self,
        principal: &Principal,
        stored: Option<&str>,
        values: &HashMap<String, String>,
        errors: &mut FieldErrors,
        missing: &str,
    ) -> AppResult<Option<RegionCode>> {
        if let Some(code) = stored {
            return region_of(code).map(Some);
        }
        match self.known_region(value(values, "region")).await {
            Ok(region) if principal.may_edit_work_plans_of(&region) => Ok(Some(region)),
            Ok(_) => Err(AppError::Forbidden),
            Err(_) => {
                errors.insert("region", missing.to_string());
                Ok(None)
            }
        }
    }

    /// Creates a plan (`id` None) or updates one. Returns its id, or the form's errors
    /// (nothing written).
    pub async fn save_work_plan(
        &self,
        principal: &Principal,
        actor: &Actor,
        id: Option<&str>,
        values: &HashMap<String, String>,
    ) -> AppResult<Result<i64, FieldErrors>> {
        let before = match id {
            Some(id) => Some(self.editable_work_plan(principal, id).await?),
            None => None,
        };
        let mut errors = FieldErrors::new();
        let stored = before.as_ref().map(|plan| plan.data.region_code.as_str());
        let region = self.region_to_save(principal, stored, values, &mut errors, "请选择方案所属的市州或县区").await?;
        let scheme = match value(values, "scheme") {
            "" => None,
            id => {
                let scheme = id.parse::<i64>().ok().filter(|id| Some(*id) != before.as_ref().map(|p| p.id));
                let scheme = match scheme {
                    Some(id) => self.store().work_plan(id).await?,
                    None => None,
                };
                let same_region = |p: &WorkPlan| region.as_ref().is_some_and(|r| p.data.region_code == r.as_str());
                match scheme.filter(|p| p.data.kind == PlanKind::Scheme.key() && same_region(p)) {
                    Some(scheme) => Some(scheme),
                    None => {
                        errors.insert("scheme", "请从列表中选择本地区的三年工作方案".to_string());
                        None
                    }
                }
            }
        };
        let form = PlanForm {
            kind: value(values, "kind"),
            title: value(values, "title"),
            start_year: value(values, "start_year"),
            end_year: value(values, "end_year"),
            goals: value(values, "goals"),
        };
        let years = scheme.as_ref().map(|s| (s.data.start_year as i32, s.data.end_year as i32));
        let draft = check_plan(&form, years).map_err(|e| errors.extend(e)).ok();
        let (Some(region), Some(draft)) = (region, draft) else { return Ok(Err(errors)) };
        if draft.kind == PlanKind::Scheme && scheme.is_some() {
            errors.insert("scheme", "三年工作方案不属于其他方案".to_string());
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let data = WorkPlanData {
            region_code: region.to_string(),
            kind: draft.kind.key().to_string(),
            scheme_id: scheme.map(|s| s.id),
            title: draft.title,
            start_year: i64::from(draft.start_year),
            end_year: i64::from(draft.end_year),
            goals: draft.goals,
        };
        Ok(Ok(self.store().save_work_plan(before.map(|p| p.id), &data, actor).await?))
    }

    /// The groups of a plan's city and its counties, which may own its tasks: (id, name).
    pub async fn work_plan_groups(&self, plan: &WorkPlan) -> AppResult<Vec<(i64, String)>> {
        let region = region_of(&plan.data.region_code)?;
        let city = region.city().unwrap_or(region);
        let groups = self.store().groups(city.scope_prefix()).await?;
        Ok(groups.into_iter().map(|g| (g.id, g.data.name)).collect())
    }

    /// Adds a task to a plan (`task_id` None) or updates one of its tasks. Returns the
    /// task's id, or the form's errors (nothing written).
    pub async fn save_plan_task(
        &self,
        principal: &Principal,
        actor: &Actor,
        plan_id: &str,
        task_id: Option<&str>,
        values: &HashMap<String, String>,
    ) -> AppResult<Result<i64, FieldErrors>> {
        let plan = self.editable_work_plan(principal, plan_id).await?;
        let task_id = match task_id {
            Some(id) => Some(self.plan_task_of(&plan, id).await?.id),
            None => None,
        };
        let groups: Vec<i64> = self.work_plan_groups(&plan).await?.into_iter().map(|(id, _)| id).collect();
        let form = TaskForm {
            text: value(values, "text"),
            group: value(values, "group"),
            department: value(values, "department"),
            people: value(values, "people"),
            deadline: value(values, "deadline"),
        };
        let years = (plan.data.start_year as i32, plan.data.end_year as i32);
        let draft = match check_task(&form, years, &groups) {
            Ok(draft) => draft,
            Err(errors) => return Ok(Err(errors)),
        };
        let data = PlanTaskData {
            text: draft.text,
            group_id: draft.group_id,
            department: draft.department,
            people: draft.people,
            deadline: draft.deadline,
        };
        let id = self.store().save_plan_task(plan.id, task_id, &data, crate::calendar::today(), actor).await?;
        Ok(Ok(id))
    }

    /// A task of `plan`; 404 for any other.
    async fn plan_task_of(&self, plan: &WorkPlan, id: &str) -> AppResult<PlanTask> {
        let not_found = || AppError::not_found("该任务");
        let id: i64 = id.trim().parse().map_err(|_| not_found())?;
        self.store().plan_task(id).await?.filter(|t| t.plan_id == plan.id).ok_or_else(not_found)
    }

    /// Whether the user may report progress on `task`.
    async fn may_report_on(&self, principal: &Principal, task: &PlanTask) -> AppResult<bool> {
        let region = region_of(&task.region_code)?;
        let in_group = match (principal.role, task.data.group_id) {
            (Role::Member, Some(group)) => self.store().groups_of_user(principal.user_id).await?.contains(&group),
            _ => false,
        };
        let own_department = principal.role == Role::Chain
            && !task.data.department.is_empty()
            && self.store().user_departments(principal.user_id).await?.contains(&task.data.department);
        Ok(principal.may_report_work_progress(&region, in_group, own_department))
    }

    pub async fn plan_task_page(&self, principal: &Principal, plan_id: &str, task_id: &str) -> AppResult<TaskPage> {
        let plan = self.readable_work_plan(principal, plan_id).await?;
        let task = self.plan_task_of(&plan, task_id).await?;
        let may_report = self.may_report_on(principal, &task).await?;
        let (today, calendar) = (crate::calendar::today(), self.calendar().await?);
        let progress =
            self.store().plan_progress(plan.id).await?.into_iter().filter(|p| p.task_id == task.id).collect();
        let task = task_views(vec![task], today, &calendar).remove(0);
        Ok(TaskPage {
            may_edit: principal.may_edit_work_plans_of(&region_of(&plan.data.region_code)?),
            plan,
            task,
            progress,
            may_report,
        })
    }

    /// Records a progress report on a task. Returns its id, or the form's errors
    /// (nothing written).
    pub async fn report_plan_progress(
        &self,
        principal: &Principal,
        actor: &Actor,
        plan_id: &str,
        task_id: &str,
        values: &HashMap<String, String>,
    ) -> AppResult<Result<i64, FieldErrors>> {
        let plan = self.readable_work_plan(principal, plan_id).await?;
        let task = self.plan_task_of(&plan, task_id).await?;
        if !self.may_report_on(principal, &task).await? {
            return Err(AppError::Forbidden);
        }
        if task.done_on.is_some() {
            return Err(AppError::Invalid("该任务已完成，不再报告进展".into()));
        }
        let done = matches!(value(values, "done"), "1" | "on" | "true");
        let today = crate::calendar::today();
        match check_progress(value(values, "reported_on"), value(values, "progress"), done, task.assigned_on, today) {
            Ok(draft) => {
                let id =
                    self.store().add_plan_progress(task.id, draft.reported_on, &draft.text, draft.done, actor).await?;
                Ok(Ok(id))
            }
            Err(errors) => Ok(Err(errors)),
        }
    }
}

/// Plan tasks (工作方案任务) in the inbox: those of the groups the user is in and of the
/// departments it answers for, due by the horizon; and the late ones of the regions it
/// keeps (region staff) or supervises (the admin, leaders).
pub struct PlanTaskClocks;

impl InboxSource for PlanTaskClocks {
    fn area(&self) -> &'static str {
        "work_plans"
    }

    fn area_label(&self) -> &'static str {
        "工作方案"
    }

    fn items<'a>(&'a self, store: &'a Store, query: &'a InboxQuery<'a>) -> crate::inbox::Items<'a> {
        Box::pin(async move {
            let user = query.user;
            let limit = crate::inbox::MAX_ITEMS_PER_SOURCE;
            let mut tasks = Vec::new();
            let group_ids = store.groups_of_user(user.user_id).await?;
            let departments =
                if user.role == Role::Chain { store.user_departments(user.user_id).await? } else { Vec::new() };
            if !group_ids.is_empty() || !departments.is_empty() {
                let own = OpenPlanTaskFilter {
                    region_prefix: String::new(),
                    group_ids,
                    departments,
                    due_before: query.horizon.succ_opt(),
                };
                tasks.extend(store.open_plan_tasks(&own, limit).await?);
            }
            let kept = match user.role {
                Role::Region => user.record_scope(),
                _ => user.supervision_scope(),
            };
            if let Some(prefix) = kept.prefix() {
                let late = OpenPlanTaskFilter {
                    region_prefix: prefix.to_string(),
                    due_before: Some(query.today),
                    ..Default::default()
                };
                let late = store.open_plan_tasks(&late, limit).await?;
                tasks.extend(late.into_iter().filter(|t| !tasks.iter().any(|own| own.id == t.id)).collect::<Vec<_>>());
            }
            Ok(tasks
                .into_iter()
                .map(|task| {
                    let owner = task.group_name.clone().unwrap_or_else(|| task.data.department.clone());
                    let draft = InboxItemDraft {
                        id: task.id,
                        title: format!("{owner}：{}", task.data.text),
                        detail: task.plan_title.clone(),
                        link: format!("/work-plans/{}/tasks/{}", task.plan_id, task.id),
                        can_mark_done: false,
                    };
                    (draft, due_day(task.data.deadline, query.calendar))
                })
                .collect())
        })
    }
}
