//! 一企一案 pages: creating a plan for a target enterprise (from the chain map's panel),
//! the plan list within the user's scope, a plan's page with its update and visit forms,
//! and the inbox of the user's overdue next steps.
//!
//! A plan is seen by users whose record scope holds its region and by the chain department
//! of its chain; it is changed by whoever `may_edit_plan` for its region.

use crate::auth::{CsrfForm, PageSession, Session};
use crate::error::{WebError, WebResult};
use crate::pages::{non_empty, page_number, pager};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use minijinja::context;
use serde::Deserialize;
use zhaoshang_app::chains::plans::{is_overdue, FieldErrors};
use zhaoshang_app::plans::{Draft, PlanFormInput, PlanListRequest, Refused};
use zhaoshang_store::plans::{plan_status_label, Plan, PLAN_STATUSES};
use zhaoshang_store::users::User;

pub const PER_PAGE: usize = 50;

pub fn routes() -> Routes {
    Routes::new()
        .route("/plans", get(list).post(create))
        .route("/plans/{id}", get(detail).post(update))
        .route("/plans/{id}/visits", post(add_visit))
        .route("/inbox", get(inbox))
        .route("/inbox/done", post(inbox_done))
}

pub fn plan_row(plan: &Plan, today: NaiveDate) -> minijinja::Value {
    let d = &plan.data;
    context! {
        id => plan.id, enterprise_id => d.enterprise_id, enterprise_name => plan.enterprise_name,
        node_id => d.node_id, node_name => plan.node_name, chain_id => plan.chain_id, chain_name => plan.chain_name,
        region_code => d.region_code, region_name => plan.region_name, owner_name => plan.owner_name,
        approach => d.approach, next_step => d.next_step, due_on => d.due_on.map(|x| x.to_string()),
        status => d.status, status_label => plan_status_label(&d.status), overdue => is_overdue(&d.status, d.due_on, today),
    }
}

/// A user's name as lists show it.
pub fn user_name(user: &User) -> &str {
    if user.display_name.is_empty() {
        &user.username
    } else {
        &user.display_name
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    mine: Option<String>,
    overdue: Option<String>,
    status: Option<String>,
    page: Option<u32>,
}

fn statuses() -> Vec<minijinja::Value> {
    PLAN_STATUSES.iter().map(|(key, label)| context! { key => key, label => label }).collect()
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<ListQuery>,
) -> WebResult<Html<String>> {
    let today = zhaoshang_app::calendar::today();
    let mine = non_empty(query.mine.as_deref()).is_some();
    let overdue = non_empty(query.overdue.as_deref()).is_some();
    let status = non_empty(query.status.as_deref());
    let page_no = page_number(query.page);
    let request = PlanListRequest {
        mine,
        overdue,
        status: status.map(str::to_string),
        page: i64::from(page_no),
        per_page: PER_PAGE as i64,
    };
    let (plans, total) = state.app.plan_page(&session.principal, &request).await?;
    let rows: Vec<_> = plans.iter().map(|plan| plan_row(plan, today)).collect();
    let query_string = [("mine", mine), ("overdue", overdue)]
        .iter()
        .filter(|(_, on)| *on)
        .map(|(key, _)| format!("{key}=1"))
        .chain(status.iter().map(|s| format!("status={s}")))
        .collect::<Vec<_>>()
        .join("&");
    page(
        &session,
        "/plans",
        "plans/plans.html",
        context! {
            rows => rows, total => total, query_string => query_string, mine => mine, overdue => overdue,
            status => status, statuses => statuses(), ..pager(query.page, total, PER_PAGE as i64)
        },
    )
}

/// The user's inbox: every area's items, red (overdue), yellow (due today) and blue
/// (due within three working days), most urgent first.
pub async fn inbox(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let today = zhaoshang_app::calendar::today();
    let items = state.app.inbox(&session.principal).await?;
    let counts = zhaoshang_app::inbox::InboxCounts::of(&items);
    page(
        &session,
        "/inbox",
        "plans/inbox.html",
        context! { items => items, counts => counts, today => today.to_string() },
    )
}

#[derive(Deserialize)]
pub struct DoneForm {
    area: String,
    id: i64,
}

/// Marks an inbox item done (where its area allows it); only the user's own items.
pub async fn inbox_done(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<DoneForm>,
) -> WebResult<Response> {
    if !state.app.mark_inbox_item_done(&session.principal, &form.area, form.id, &session.actor()).await? {
        return Err(WebError::forbidden());
    }
    Ok(Redirect::to("/inbox").into_response())
}

/// The plan fields as submitted by the create and update forms.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct PlanForm {
    enterprise_id: String,
    node_id: String,
    region: String,
    owner_id: String,
    approach: String,
    next_step: String,
    due_on: String,
    status: String,
}

impl PlanForm {
    fn input(&self) -> PlanFormInput {
        PlanFormInput {
            enterprise_id: self.enterprise_id.clone(),
            node_id: self.node_id.clone(),
            region: self.region.clone(),
            owner_id: self.owner_id.clone(),
            approach: self.approach.clone(),
            next_step: self.next_step.clone(),
            due_on: self.due_on.clone(),
            status: self.status.clone(),
        }
    }
}

/// What the plan page shows next to a plan form: the form's values and their problems.
struct FormState<'a> {
    values: &'a PlanForm,
    errors: FieldErrors,
    message: Option<String>,
}

fn owner_options(owners: &[User], selected: i64) -> Vec<minijinja::Value> {
    owners.iter().map(|u| context! { id => u.id, name => user_name(u), selected => u.id == selected }).collect()
}

/// The create form again with its problems (or the conflict with the plan in `existing`).
fn draft_page(session: &Session, draft: &Draft, form: FormState<'_>, existing: Option<i64>) -> WebResult<Html<String>> {
    let owner = form.values.owner_id.trim().parse().unwrap_or(session.principal.user_id);
    page(
        session,
        "/plans",
        "plans/plan.html",
        context! {
            draft => context! { enterprise_id => draft.enterprise.id, enterprise_name => draft.enterprise.data.name,
                node_id => draft.node.as_ref().map(|n| n.id), node_name => draft.node.as_ref().map(|n| n.name.clone()),
                chain_name => draft.chain_name, region => draft.region.as_str(), region_name => draft.region_name },
            values => context! { approach => form.values.approach, next_step => form.values.next_step, due_on => form.values.due_on },
            errors => form.errors, message => form.message, existing => existing,
            owners => owner_options(&draft.owners, owner), can_edit => true, statuses => statuses(),
        },
    )
}

pub async fn create(State(state): State<AppState>, CsrfForm(session, form): CsrfForm<PlanForm>) -> WebResult<Response> {
    let input = form.input();
    let draft = state.app.plan_draft(&session.principal, &input).await?;
    match state.app.create_plan(&session.principal, &session.actor(), &draft, &input).await? {
        Ok(id) => Ok(Redirect::to(&format!("/plans/{id}")).into_response()),
        Err(Refused::Invalid(errors)) => {
            let rejected = FormState { values: &form, errors, message: None };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, draft_page(&session, &draft, rejected, None)?).into_response())
        }
        Err(Refused::Conflict { message, existing }) => {
            let conflict = FormState { values: &form, errors: FieldErrors::new(), message: Some(message) };
            Ok((StatusCode::CONFLICT, draft_page(&session, &draft, conflict, existing)?).into_response())
        }
    }
}

fn form_of(plan: &Plan) -> PlanForm {
    let d = &plan.data;
    PlanForm {
        owner_id: d.owner_id.to_string(),
        approach: d.approach.clone(),
        next_step: d.next_step.clone(),
        due_on: d.due_on.map(|x| x.to_string()).unwrap_or_default(),
        status: d.status.clone(),
        ..Default::default()
    }
}

/// A plan's page; `plan_form` and `visit` carry a rejected submission back.
async fn plan_page(
    state: &AppState,
    session: &Session,
    plan: &Plan,
    may_edit: bool,
    plan_form: Option<FormState<'_>>,
    visit: Option<(&VisitForm, FieldErrors)>,
) -> WebResult<Html<String>> {
    let today = zhaoshang_app::calendar::today();
    let visits = state.app.plan_visits(plan.id).await?;
    let stored = form_of(plan);
    let form = plan_form.unwrap_or(FormState { values: &stored, errors: FieldErrors::new(), message: None });
    let owners = if may_edit { state.app.plan_owners(plan).await? } else { Vec::new() };
    let owner = form.values.owner_id.trim().parse().unwrap_or(plan.data.owner_id);
    page(
        session,
        "/plans",
        "plans/plan.html",
        context! {
            plan => plan_row(plan, today), visits => visits, can_edit => may_edit,
            values => context! { approach => form.values.approach, next_step => form.values.next_step,
                                 due_on => form.values.due_on, status => form.values.status },
            errors => form.errors, message => form.message, owners => owner_options(&owners, owner),
            statuses => statuses(), today => today.to_string(),
            visit => match visit {
                Some((values, errors)) => context! { visited_on => values.visited_on, visitor => values.visitor,
                                                      summary => values.summary, errors => errors },
                None => context! { visited_on => today.to_string(), visitor => session.display_name, errors => FieldErrors::new() },
            },
        },
    )
}

pub async fn detail(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
) -> WebResult<Html<String>> {
    let (plan, may_edit) = state.app.plan_in_scope(&session.principal, id).await?;
    plan_page(&state, &session, &plan, may_edit, None, None).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, form): CsrfForm<PlanForm>,
) -> WebResult<Response> {
    let plan = state.app.editable_plan(&session.principal, id).await?;
    match state.app.update_plan(&session.principal, &session.actor(), &plan, &form.input()).await? {
        Ok(()) => Ok(Redirect::to(&format!("/plans/{id}")).into_response()),
        Err(errors) => {
            let rejected = FormState { values: &form, errors, message: None };
            let html = plan_page(&state, &session, &plan, true, Some(rejected), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct VisitForm {
    visited_on: String,
    visitor: String,
    summary: String,
}

pub async fn add_visit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, form): CsrfForm<VisitForm>,
) -> WebResult<Response> {
    let plan = state.app.editable_plan(&session.principal, id).await?;
    match state.app.add_visit(&session.actor(), &plan, &form.visited_on, &form.visitor, &form.summary).await? {
        Ok(()) => Ok(Redirect::to(&format!("/plans/{id}#visits")).into_response()),
        Err(errors) => {
            let html = plan_page(&state, &session, &plan, true, None, Some((&form, errors))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}
