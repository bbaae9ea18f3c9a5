//! Activity plan pages (年度、季度和月度招商活动清单): the plans a user reads for a period,
//! planned against done per region and department with the completion rate, and their
//! lines as a workbook; a plan's page with its lines, the activities that fulfil them and
//! the form adding a line; the forms that create and edit plans and lines.

use crate::auth::{CsrfForm, PageSession, Session};
use crate::error::WebResult;
use crate::pages::portal::region_choices;
use crate::pages::unprocessable;
use crate::pages::work_plans::percent;
use crate::pages::{download, export_format, pager, query_string};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::{context, Value};
use std::collections::HashMap;
use zhaoshang_app::activity_plans::{ActivityPlanQuery, LineView, PlanEval, PER_PAGE};
use zhaoshang_app::App;
use zhaoshang_core::activities::KINDS;
use zhaoshang_core::activity_plans::{FieldErrors, LineStatus, PeriodKind, Tally};

pub fn routes() -> Routes {
    Routes::new()
        .route("/activity-plans", get(list).post(create))
        .route("/activity-plans/new", get(new_form))
        .route("/activity-plans/{id}", get(detail).post(update))
        .route("/activity-plans/{id}/edit", get(edit_form))
        .route("/activity-plans/{id}/lines", post(add_line))
        .route("/activity-plans/{id}/lines/{line}", get(line_form).post(update_line))
}

fn tally_context(tally: &Tally) -> Value {
    context! { lines => tally.lines, done => tally.done, open => tally.open, late => tally.late, due => tally.due(),
    rate => percent(tally.completion_rate()) }
}

fn plan_context(eval: &PlanEval) -> Value {
    let d = &eval.plan.data;
    context! { id => eval.plan.id, owner => eval.owner(), region => eval.plan.region_name, department => d.department,
    period => d.period, period_label => eval.period_label(),
    kind_label => PeriodKind::from_key(&d.period_kind).map_or("", PeriodKind::label), note => d.note,
    updated_by => eval.plan.updated_by, tally => tally_context(&eval.tally) }
}

fn line_context(number: usize, view: &LineView) -> Value {
    let d = &view.line.data;
    let targets: Vec<&str> = d.targets.lines().filter(|t| !t.trim().is_empty()).collect();
    context! { number, id => view.line.id, kind => d.kind, title => d.title, place => view.line.place_name,
    targets, responsible => d.responsible, planned_on => d.planned_on.map(|d| d.to_string()),
    due_on => d.due_on.to_string(), due_day => view.due_day.to_string(), status => view.status.key(),
    status_label => view.status.label(), by_hand => view.by_hand,
    activity => view.activity.as_ref().map(|a| context! { id => a.id, name => a.name, start_on => a.start_on.to_string(),
    place => a.place }) }
}

fn filter_query_string(query: &ActivityPlanQuery) -> String {
    query_string(&[("kind", &query.kind), ("period", &query.period), ("region", &query.region)])
}

fn period_kinds() -> Vec<Value> {
    PeriodKind::ALL.iter().map(|k| context! { key => k.key(), label => k.label() }).collect()
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<ActivityPlanQuery>,
) -> WebResult<Response> {
    let principal = &session.principal;
    if let Some(format) = export_format(&query.format)? {
        let table = state.app.activity_plans_table(principal, &query).await?;
        return download(&table, format, "activity-plans");
    }
    let list = state.app.activity_plan_page(principal, &query).await?;
    let rows: Vec<_> = list.rows.iter().map(plan_context).collect();
    let late: Vec<_> = list
        .rows
        .iter()
        .flat_map(|eval| {
            eval.lines.iter().filter(|l| l.status == LineStatus::Late).map(move |l| {
                context! { plan => eval.plan.id, owner => eval.owner(), ..line_context(0, l) }
            })
        })
        .collect();
    let cities = state.app.portal_regions().await?;
    let cities: Vec<_> = cities.iter().map(|c| context! { code => c.city.code, name => c.city.name }).collect();
    let html = page(
        &session,
        "/activity-plans",
        "activity_plans/plans.html",
        context! { rows, late, total_count => list.count, totals => tally_context(&list.totals), cities,
        kinds => period_kinds(), query => context! { kind => query.kind, period => query.period, region => query.region },
        query_string => filter_query_string(&query), may_create => principal.may_record_activities(),
        ..pager(Some(list.page), list.count, PER_PAGE) },
    )?;
    Ok(html.into_response())
}

async fn plan_form(
    state: &AppState,
    session: &Session,
    plan: Option<&PlanEval>,
    values: &HashMap<String, String>,
    errors: &FieldErrors,
) -> WebResult<Html<String>> {
    let principal = &session.principal;
    let regions =
        if plan.is_none() { region_choices(&state.app.activity_plan_regions(principal).await?) } else { Vec::new() };
    page(
        session,
        "/activity-plans",
        "activity_plans/form.html",
        context! { plan => plan.map(plan_context), regions, province => App::activity_plan_province(principal),
        province_code => zhaoshang_app::activity_plans::PROVINCE, values, errors },
    )
}

pub async fn new_form(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let mut values = HashMap::from([("period".to_string(), zhaoshang_app::calendar::today().format("%Y").to_string())]);
    if let Some(region) = &session.principal.region {
        values.insert("region".to_string(), region.to_string());
    }
    plan_form(&state, &session, None, &values, &FieldErrors::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.save_activity_plan(&session.principal, &session.actor(), None, &values).await? {
        Ok(id) => Ok(Redirect::to(&format!("/activity-plans/{id}")).into_response()),
        Err(errors) => Ok(unprocessable(plan_form(&state, &session, None, &values, &errors).await?)),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    let view = state.app.activity_plan_view(&session.principal, &id).await?;
    if !view.may_edit {
        return Err(zhaoshang_app::AppError::Forbidden.into());
    }
    let d = &view.eval.plan.data;
    let values = HashMap::from([
        ("period".to_string(), d.period.clone()),
        ("department".to_string(), d.department.clone()),
        ("note".to_string(), d.note.clone()),
    ]);
    plan_form(&state, &session, Some(&view.eval), &values, &FieldErrors::new()).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.save_activity_plan(&session.principal, &session.actor(), Some(&id), &values).await? {
        Ok(id) => Ok(Redirect::to(&format!("/activity-plans/{id}")).into_response()),
        Err(errors) => {
            let view = state.app.activity_plan_view(&session.principal, &id).await?;
            Ok(unprocessable(plan_form(&state, &session, Some(&view.eval), &values, &errors).await?))
        }
    }
}

/// The activities a line may be linked to by hand, for the line forms.
fn activity_choices(activities: &[zhaoshang_store::activity_plans::PlannedActivity]) -> Vec<Value> {
    activities
        .iter()
        .map(|a| context! { id => a.id, name => a.name, kind => a.kind, start_on => a.start_on.to_string() })
        .collect()
}

/// The plan's page; with the line form's values and errors when a line came back.
async fn plan_page(
    state: &AppState,
    session: &Session,
    id: &str,
    values: &HashMap<String, String>,
    errors: &FieldErrors,
) -> WebResult<Html<String>> {
    let view = state.app.activity_plan_view(&session.principal, id).await?;
    let lines: Vec<_> = view.eval.lines.iter().enumerate().map(|(i, l)| line_context(i + 1, l)).collect();
    page(
        session,
        "/activity-plans",
        "activity_plans/plan.html",
        context! { plan => plan_context(&view.eval), lines, may_edit => view.may_edit, kinds => KINDS,
        activities => activity_choices(&view.activities), values, errors },
    )
}

pub async fn detail(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    plan_page(&state, &session, &id, &HashMap::new(), &FieldErrors::new()).await
}

pub async fn add_line(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.save_activity_plan_line(&session.principal, &session.actor(), &id, None, &values).await? {
        Ok(line) => Ok(Redirect::to(&format!("/activity-plans/{id}#line-{line}")).into_response()),
        Err(errors) => Ok(unprocessable(plan_page(&state, &session, &id, &values, &errors).await?)),
    }
}

async fn line_page(
    state: &AppState,
    session: &Session,
    (id, line): (&str, &str),
    values: &HashMap<String, String>,
    errors: &FieldErrors,
) -> WebResult<Html<String>> {
    let view = state.app.activity_plan_view(&session.principal, id).await?;
    if !view.may_edit {
        return Err(zhaoshang_app::AppError::Forbidden.into());
    }
    let found = view.eval.lines.iter().position(|l| Some(l.line.id) == line.trim().parse().ok());
    let Some(index) = found else { return Err(zhaoshang_app::AppError::not_found("该计划条目").into()) };
    let current = &view.eval.lines[index];
    let mut values = values.clone();
    let d = &current.line.data;
    for (key, value) in [
        ("kind", d.kind.clone()),
        ("title", d.title.clone()),
        ("place", d.place_code.clone().unwrap_or_default()),
        ("targets", d.targets.clone()),
        ("responsible", d.responsible.clone()),
        ("planned_on", d.planned_on.map(|d| d.to_string()).unwrap_or_default()),
        ("due_on", d.due_on.to_string()),
        ("activity", d.activity_id.map(|id| id.to_string()).unwrap_or_default()),
    ] {
        values.entry(key.to_string()).or_insert(value);
    }
    page(
        session,
        "/activity-plans",
        "activity_plans/line.html",
        context! { plan => plan_context(&view.eval), line => line_context(index + 1, current), kinds => KINDS,
        activities => activity_choices(&view.activities), values, errors },
    )
}

pub async fn line_form(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path((id, line)): Path<(String, String)>,
) -> WebResult<Html<String>> {
    line_page(&state, &session, (&id, &line), &HashMap::new(), &FieldErrors::new()).await
}

pub async fn update_line(
    State(state): State<AppState>,
    Path((id, line)): Path<(String, String)>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.save_activity_plan_line(&session.principal, &session.actor(), &id, Some(&line), &values).await? {
        Ok(line) => Ok(Redirect::to(&format!("/activity-plans/{id}#line-{line}")).into_response()),
        Err(errors) => Ok(unprocessable(line_page(&state, &session, (&id, &line), &values, &errors).await?)),
    }
}
