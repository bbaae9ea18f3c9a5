//! Work plan pages (工作方案, 工作计划): the plans a user reads with their progress rates,
//! a plan's page with its goals and tasks, the forms that create and edit plans and
//! tasks, a task's page with its progress reports, and the plan's tasks as a workbook.

use crate::auth::{CsrfForm, PageSession, Session};
use crate::error::WebResult;
use crate::pages::portal::region_choices;
use crate::pages::unprocessable;
use crate::pages::{download, pdf_download};
use crate::routes::Routes;
use crate::templates::{page, render};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::{context, Value};
use std::collections::HashMap;
use zhaoshang_app::exchange::TableFormat;
use zhaoshang_app::work_plans::{PlanView, TaskView};
use zhaoshang_core::work_plans::{FieldErrors, PlanKind};
use zhaoshang_store::work_plans::{Progress, WorkPlan};

pub fn routes() -> Routes {
    Routes::new()
        .route("/work-plans", get(list).post(create))
        .route("/work-plans/new", get(new_form))
        .route("/work-plans/{id}", get(detail).post(update))
        .route("/work-plans/{id}/edit", get(edit_form))
        .route("/work-plans/{id}/tasks", post(add_task))
        .route("/work-plans/{id}/tasks.xlsx", get(export))
        .route("/work-plans/{id}/pdf", get(document))
        .route("/work-plans/{id}/tasks/{task}", get(task_page).post(update_task))
        .route("/work-plans/{id}/tasks/{task}/progress", post(report_progress))
}

pub(crate) fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), |rate| format!("{:.1}%", rate * 100.0))
}

fn kind_label(kind: &str) -> &'static str {
    PlanKind::from_key(kind).map_or("", PlanKind::label)
}

fn plan_context(plan: &WorkPlan) -> Value {
    let d = &plan.data;
    let years = if d.start_year == d.end_year {
        format!("{}年", d.start_year)
    } else {
        format!("{}—{}年", d.start_year, d.end_year)
    };
    context! { id => plan.id, title => d.title, kind => d.kind, kind_label => kind_label(&d.kind), years,
    region => plan.region_name, goals => d.goals, updated_by => plan.updated_by }
}

/// Tasks as the pages list them, each with its latest progress report.
pub fn task_rows(tasks: &[TaskView], progress: &[Progress]) -> Vec<Value> {
    tasks
        .iter()
        .enumerate()
        .map(|(index, t)| {
            let latest = progress.iter().rev().find(|p| p.task_id == t.task.id);
            context! { number => index + 1, id => t.task.id, plan_id => t.task.plan_id, plan_title => t.task.plan_title,
            text => t.task.data.text, group => t.task.group_name, group_id => t.task.data.group_id,
            department => t.task.data.department, people => t.task.data.people,
            deadline => t.task.data.deadline.to_string(), due_on => t.due_on.to_string(),
            status => t.status.key(), status_label => t.status.label(),
            latest => latest.map(|p| context! { text => p.text, reported_on => p.reported_on.to_string() }) }
        })
        .collect()
}

fn kinds() -> Vec<Value> {
    PlanKind::ALL.iter().map(|k| context! { key => k.key(), label => k.label() }).collect()
}

pub async fn list(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let principal = &session.principal;
    let plans = state.app.work_plan_list(principal).await?;
    let rows: Vec<_> = plans
        .iter()
        .map(|s| {
            context! { plan => plan_context(&s.plan), tasks => s.tasks, done => s.done, late => s.late,
            rate => percent(s.rate) }
        })
        .collect();
    let may_create = state.app.work_plan_regions(principal).await.is_ok();
    page(&session, "/work-plans", "work_plans/plans.html", context! { rows, may_create })
}

async fn plan_form(
    state: &AppState,
    session: &Session,
    plan: Option<&WorkPlan>,
    values: &HashMap<String, String>,
    errors: &FieldErrors,
) -> WebResult<Html<String>> {
    let principal = &session.principal;
    let regions =
        if plan.is_none() { region_choices(&state.app.work_plan_regions(principal).await?) } else { Vec::new() };
    let schemes: Vec<_> = state
        .app
        .work_plan_schemes(principal)
        .await?
        .iter()
        .filter(|s| plan.is_none_or(|p| p.id != s.id && p.data.region_code == s.data.region_code))
        .map(plan_context)
        .collect();
    page(
        session,
        "/work-plans",
        "work_plans/form.html",
        context! { plan => plan.map(plan_context), regions, schemes, kinds => kinds(), values, errors },
    )
}

pub async fn new_form(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let mut values = HashMap::from([("kind".to_string(), "scheme".to_string())]);
    if let Some(region) = &session.principal.region {
        values.insert("region".to_string(), region.to_string());
    }
    plan_form(&state, &session, None, &values, &FieldErrors::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.save_work_plan(&session.principal, &session.actor(), None, &values).await? {
        Ok(id) => Ok(Redirect::to(&format!("/work-plans/{id}")).into_response()),
        Err(errors) => Ok(unprocessable(plan_form(&state, &session, None, &values, &errors).await?)),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    let view = state.app.work_plan_view(&session.principal, &id).await?;
    if !view.may_edit {
        return Err(zhaoshang_app::AppError::Forbidden.into());
    }
    let d = &view.plan.data;
    let values = HashMap::from([
        ("kind".to_string(), d.kind.clone()),
        ("title".to_string(), d.title.clone()),
        ("start_year".to_string(), d.start_year.to_string()),
        ("end_year".to_string(), d.end_year.to_string()),
        ("goals".to_string(), d.goals.clone()),
        ("scheme".to_string(), d.scheme_id.map(|id| id.to_string()).unwrap_or_default()),
    ]);
    plan_form(&state, &session, Some(&view.plan), &values, &FieldErrors::new()).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.save_work_plan(&session.principal, &session.actor(), Some(&id), &values).await? {
        Ok(id) => Ok(Redirect::to(&format!("/work-plans/{id}")).into_response()),
        Err(errors) => {
            let view = state.app.work_plan_view(&session.principal, &id).await?;
            Ok(unprocessable(plan_form(&state, &session, Some(&view.plan), &values, &errors).await?))
        }
    }
}

/// The plan's page; with the task form's values and errors when a task came back.
async fn plan_page(
    state: &AppState,
    session: &Session,
    id: &str,
    values: &HashMap<String, String>,
    errors: &FieldErrors,
) -> WebResult<Html<String>> {
    let view = state.app.work_plan_view(&session.principal, id).await?;
    let groups: Vec<_> = if view.may_edit {
        let groups = state.app.work_plan_groups(&view.plan).await?;
        groups.into_iter().map(|(id, name)| context! { id, name }).collect()
    } else {
        Vec::new()
    };
    page(
        session,
        "/work-plans",
        "work_plans/plan.html",
        context! { may_edit => view.may_edit, groups, values, errors, ..plan_view_context(&view) },
    )
}

/// A plan with its scheme or yearly plans, its tasks and how far they are, as its page
/// and its printed document show it.
fn plan_view_context(view: &PlanView) -> minijinja::Value {
    let counts: Vec<_> = zhaoshang_core::work_plans::TaskStatus::ALL
        .iter()
        .map(|s| context! { key => s.key(), label => s.label(), count => view.tasks.iter().filter(|t| t.status == *s).count() })
        .collect();
    context! {
        plan => plan_context(&view.plan), scheme => view.scheme.as_ref().map(plan_context),
        yearly => view.yearly.iter().map(plan_context).collect::<Vec<_>>(),
        tasks => task_rows(&view.tasks, &view.progress), counts, rate => percent(view.rate),
    }
}

/// The plan as a formal document (A4, GB/T 9704's layout), a PDF.
pub async fn document(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let view = state.app.work_plan_view(&session.principal, &id).await?;
    let html = render("documents/work_plan.html", plan_view_context(&view))?;
    pdf_download(html, &format!("{}.pdf", view.plan.data.title)).await
}

pub async fn detail(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    plan_page(&state, &session, &id, &HashMap::new(), &FieldErrors::new()).await
}

pub async fn add_task(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.save_plan_task(&session.principal, &session.actor(), &id, None, &values).await? {
        Ok(task) => Ok(Redirect::to(&format!("/work-plans/{id}#task-{task}")).into_response()),
        Err(errors) => Ok(unprocessable(plan_page(&state, &session, &id, &values, &errors).await?)),
    }
}

pub async fn export(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let table = state.app.work_plan_table(&session.principal, &id).await?;
    download(&table, TableFormat::Xlsx, &format!("work-plan-{}", id.trim()))
}

async fn task_view(
    state: &AppState,
    session: &Session,
    (id, task): (&str, &str),
    values: &HashMap<String, String>,
    errors: &FieldErrors,
) -> WebResult<Html<String>> {
    let view = state.app.plan_task_page(&session.principal, id, task).await?;
    let groups: Vec<_> = if view.may_edit {
        let groups = state.app.work_plan_groups(&view.plan).await?;
        groups.into_iter().map(|(id, name)| context! { id, name }).collect()
    } else {
        Vec::new()
    };
    let progress: Vec<_> = view
        .progress
        .iter()
        .map(|p| context! { reported_on => p.reported_on.to_string(), text => p.text, done => p.done, recorded_by => p.recorded_by })
        .collect();
    let task = task_rows(std::slice::from_ref(&view.task), &view.progress).remove(0);
    let mut values = values.clone();
    let t = &view.task.task.data;
    for (key, value) in [
        ("text", t.text.clone()),
        ("group", t.group_id.map(|id| id.to_string()).unwrap_or_default()),
        ("department", t.department.clone()),
        ("people", t.people.clone()),
        ("deadline", t.deadline.to_string()),
        ("reported_on", zhaoshang_app::calendar::today().to_string()),
    ] {
        values.entry(key.to_string()).or_insert(value);
    }
    page(
        session,
        "/work-plans",
        "work_plans/task.html",
        context! { plan => plan_context(&view.plan), task, progress, groups, may_edit => view.may_edit,
        may_report => view.may_report && view.task.task.done_on.is_none(), values, errors },
    )
}

pub async fn task_page(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path((id, task)): Path<(String, String)>,
) -> WebResult<Html<String>> {
    task_view(&state, &session, (&id, &task), &HashMap::new(), &FieldErrors::new()).await
}

pub async fn update_task(
    State(state): State<AppState>,
    Path((id, task)): Path<(String, String)>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.save_plan_task(&session.principal, &session.actor(), &id, Some(&task), &values).await? {
        Ok(task) => Ok(Redirect::to(&format!("/work-plans/{id}/tasks/{task}")).into_response()),
        Err(errors) => Ok(unprocessable(task_view(&state, &session, (&id, &task), &values, &errors).await?)),
    }
}

pub async fn report_progress(
    State(state): State<AppState>,
    Path((id, task)): Path<(String, String)>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.report_plan_progress(&session.principal, &session.actor(), &id, &task, &values).await? {
        Ok(_) => Ok(Redirect::to(&format!("/work-plans/{id}/tasks/{task}#progress")).into_response()),
        Err(errors) => Ok(unprocessable(task_view(&state, &session, (&id, &task), &values, &errors).await?)),
    }
}
