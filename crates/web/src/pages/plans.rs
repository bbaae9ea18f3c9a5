//! 一企一案 pages: creating a plan for a target enterprise (from the chain map's panel),
//! the plan list within the user's scope, a plan's page with its update and visit forms,
//! and the inbox of the user's overdue next steps.
//!
//! A plan is seen by users whose record scope holds its region and by the chain department
//! of its chain; it is changed by whoever `may_edit_plan` for its region.

use crate::auth::{PageSession, Session};
use crate::error::{WebError, WebResult};
use crate::pages::chains::{eligible_owners, own_chain, user_name};
use crate::pages::{non_empty, page_number};
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use chrono::NaiveDate;
use minijinja::context;
use serde::Deserialize;
use zhaoshang_app::chains::plans::{check_plan, check_visit, is_overdue, overdue_filter, FieldErrors, PlanInput};
use zhaoshang_app::stats::known_region;
use zhaoshang_core::access::{RecordScope, Role};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::chains::ChainNode;
use zhaoshang_store::enterprises::Enterprise;
use zhaoshang_store::plans::{plan_status_label, Plan, PlanData, PlanFilter, PLAN_STATUSES};
use zhaoshang_store::users::User;
use zhaoshang_store::StoreError;

pub const PER_PAGE: usize = 50;
/// Plans read for one list; a province pursues hundreds of targets, not this many.
const MAX_PLANS: i64 = 5_000;

/// Which plans a user sees.
pub struct PlanScope {
    records: RecordScope,
    own_chains: Vec<i64>,
}

impl PlanScope {
    pub async fn of(state: &AppState, session: &Session) -> WebResult<PlanScope> {
        let principal = &session.principal;
        let own_chains = match principal.role {
            Role::Chain => state.store.user_chain_ids(principal.user_id).await?,
            _ => Vec::new(),
        };
        Ok(PlanScope { records: principal.record_scope(), own_chains })
    }

    /// 403 for users who see no plans at all (the plan list).
    fn require_some(self) -> WebResult<PlanScope> {
        if self.records == RecordScope::Nothing && self.own_chains.is_empty() {
            Err(WebError::forbidden())
        } else {
            Ok(self)
        }
    }

    pub fn allows(&self, plan: &Plan) -> bool {
        RegionCode::parse(&plan.data.region_code).is_ok_and(|code| self.records.allows(&code))
            || plan.chain_id.is_some_and(|id| self.own_chains.contains(&id))
    }

    /// `filter` narrowed to what the user sees: plans of regions in the record scope, and
    /// a chain department's plans on its chains wherever they are.
    fn narrow(&self, filter: PlanFilter) -> PlanFilter {
        // No region code starts with "~": a scope without records matches by chain only.
        let region_prefix = self.records.prefix().unwrap_or("~").to_string();
        PlanFilter { region_prefix, or_chain_ids: self.own_chains.clone(), ..filter }
    }

    /// The visible plans matching `filter` (at most `MAX_PLANS`: one enterprise's, say).
    pub async fn plans(&self, state: &AppState, filter: PlanFilter) -> WebResult<Vec<Plan>> {
        Ok(state.store.plans(&self.narrow(filter), MAX_PLANS).await?)
    }

    /// One page of the visible plans matching `filter`, and how many there are.
    async fn page(&self, state: &AppState, filter: PlanFilter, page_no: i64) -> WebResult<(Vec<Plan>, i64)> {
        let filter = self.narrow(filter);
        let per_page = PER_PAGE as i64;
        let plans = state.store.plans_page(&filter, per_page, (page_no - 1) * per_page).await?;
        Ok((plans, state.store.plan_count(&filter).await?))
    }
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
    let scope = PlanScope::of(&state, &session).await?.require_some()?;
    let today = zhaoshang_app::calendar::today();
    let mine = non_empty(&query.mine).is_some();
    let overdue = non_empty(&query.overdue).is_some();
    let status = non_empty(&query.status);
    if let Some(key) = &status {
        if !PLAN_STATUSES.iter().any(|(k, _)| k == key) {
            return Err(WebError::bad_request(format!("状态“{key}”无效")));
        }
    }
    let filter = if overdue {
        overdue_filter(session.principal.user_id, today)
    } else {
        PlanFilter { status: status.clone(), ..Default::default() }
    };
    let filter = PlanFilter { owner_id: mine.then_some(session.principal.user_id), ..filter };
    let page_no = page_number(query.page);
    let (plans, total) = scope.page(&state, filter, i64::from(page_no)).await?;
    let pages = (total as usize).div_ceil(PER_PAGE).max(1);
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
        "plans.html",
        context! {
            rows => rows, total => total, page => page_no, pages => pages, more => (page_no as usize) < pages,
            query_string => query_string, mine => mine, overdue => overdue, status => status, statuses => statuses(),
        },
    )
}

pub async fn inbox(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let today = zhaoshang_app::calendar::today();
    let plans = state.store.plans(&overdue_filter(session.principal.user_id, today), MAX_PLANS).await?;
    let rows: Vec<_> = plans.iter().map(|plan| plan_row(plan, today)).collect();
    page(&session, "/inbox", "inbox.html", context! { rows => rows, today => today.to_string() })
}

/// The plan fields as submitted by the create and update forms.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct PlanForm {
    csrf: String,
    enterprise_id: String,
    node_id: String,
    region: String,
    owner_id: String,
    approach: String,
    next_step: String,
    due_on: String,
    status: String,
}

fn parse_id(text: &str, what: &str) -> WebResult<Option<i64>> {
    match text.trim() {
        "" => Ok(None),
        id => id.parse().map(Some).map_err(|_| WebError::bad_request(format!("{what}编号“{id}”无效"))),
    }
}

/// The form checked: its fields and the owner, who must be one of `owners` (the user when
/// none is chosen). The enterprise, link and region are the caller's.
fn checked_plan(form: &PlanForm, owners: &[User], me: i64) -> Result<PlanData, FieldErrors> {
    let input =
        PlanInput { approach: &form.approach, next_step: &form.next_step, due_on: &form.due_on, status: &form.status };
    let fields = check_plan(&input);
    let owner = match form.owner_id.trim() {
        "" => Some(me),
        id => id.parse().ok().filter(|id| owners.iter().any(|u| u.id == *id)),
    };
    match (fields, owner) {
        (Ok(fields), Some(owner_id)) => Ok(PlanData {
            owner_id,
            approach: fields.approach,
            next_step: fields.next_step,
            due_on: Some(fields.due_on),
            status: fields.status,
            ..Default::default()
        }),
        (fields, owner) => {
            let mut errors = fields.err().unwrap_or_default();
            if owner.is_none() {
                errors.insert("owner_id", "负责人须为可跟进该地区一企一案的用户".to_string());
            }
            Err(errors)
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

/// A plan not yet stored: what the create form was for.
struct Draft<'a> {
    enterprise: &'a Enterprise,
    node: Option<&'a ChainNode>,
    region: &'a RegionCode,
    owners: &'a [User],
}

/// The create form again with its problems (or the conflict with the plan in `existing`).
async fn draft_page(
    state: &AppState,
    session: &Session,
    draft: &Draft<'_>,
    form: FormState<'_>,
    existing: Option<i64>,
) -> WebResult<Html<String>> {
    let chain_name = match draft.node {
        Some(node) => state.store.chain(node.chain_id).await?.map(|c| c.data.name),
        None => None,
    };
    let region_name = state.store.region(draft.region.as_str()).await?.map(|r| r.name).unwrap_or_default();
    let owner = form.values.owner_id.trim().parse().unwrap_or(session.principal.user_id);
    page(
        session,
        "/plans",
        "plan.html",
        context! {
            draft => context! { enterprise_id => draft.enterprise.id, enterprise_name => draft.enterprise.data.name,
                node_id => draft.node.map(|n| n.id), node_name => draft.node.map(|n| n.name.clone()),
                chain_name => chain_name, region => draft.region.as_str(), region_name => region_name },
            values => context! { approach => form.values.approach, next_step => form.values.next_step, due_on => form.values.due_on },
            errors => form.errors, message => form.message, existing => existing,
            owners => owner_options(draft.owners, owner), can_edit => true, statuses => statuses(),
        },
    )
}

pub async fn create(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Form(form): Form<PlanForm>,
) -> WebResult<Response> {
    session.check_csrf(&form.csrf)?;
    let enterprise_id = parse_id(&form.enterprise_id, "企业")?.ok_or_else(|| WebError::bad_request("缺少目标企业"))?;
    let enterprise = state.store.enterprise(enterprise_id).await?.ok_or_else(|| WebError::not_found("该企业"))?;
    let node = match parse_id(&form.node_id, "环节")? {
        Some(id) => Some(state.store.chain_node(id).await?.ok_or_else(|| WebError::not_found("该环节"))?),
        None => None,
    };
    let region = known_region(&state.store, &form.region).await?;
    let chain_id = node.as_ref().map(|n| n.chain_id);
    if !session.principal.may_edit_plan(&region, own_chain(&state, &session.principal, chain_id).await?) {
        return Err(WebError::forbidden());
    }
    let owners = eligible_owners(&state, &region, chain_id).await?;
    let draft = Draft { enterprise: &enterprise, node: node.as_ref(), region: &region, owners: &owners };
    let mut data = match checked_plan(&form, &owners, session.principal.user_id) {
        Ok(data) => data,
        Err(errors) => {
            let rejected = FormState { values: &form, errors, message: None };
            let html = draft_page(&state, &session, &draft, rejected, None).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
        }
    };
    data.enterprise_id = enterprise.id;
    data.node_id = node.as_ref().map(|n| n.id);
    data.region_code = region.as_str().to_string();
    match state.store.create_plan(&data, &session.actor()).await {
        Ok(id) => Ok(Redirect::to(&format!("/plans/{id}")).into_response()),
        Err(StoreError::Conflict(message)) => {
            let filter = PlanFilter {
                region_prefix: region.as_str().to_string(),
                enterprise_id: Some(enterprise.id),
                ..Default::default()
            };
            let existing = state.store.plans(&filter, 1).await?.first().map(|p| p.id);
            let conflict = FormState { values: &form, errors: FieldErrors::new(), message: Some(message) };
            let html = draft_page(&state, &session, &draft, conflict, existing).await?;
            Ok((StatusCode::CONFLICT, html).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// A plan the user may see, and whether the user may change it.
async fn plan_in_scope(state: &AppState, session: &Session, id: i64) -> WebResult<(Plan, bool)> {
    let plan = state.store.plan(id).await?.ok_or_else(|| WebError::not_found("该一企一案"))?;
    if !PlanScope::of(state, session).await?.allows(&plan) {
        return Err(WebError::forbidden());
    }
    let region = RegionCode::parse(&plan.data.region_code).map_err(WebError::internal)?;
    let own = own_chain(state, &session.principal, plan.chain_id).await?;
    let may_edit = session.principal.may_edit_plan(&region, own);
    Ok((plan, may_edit))
}

async fn editable_plan(state: &AppState, session: &Session, id: i64) -> WebResult<Plan> {
    match plan_in_scope(state, session, id).await? {
        (plan, true) => Ok(plan),
        _ => Err(WebError::forbidden()),
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
    let visits = state.store.plan_visits(plan.id).await?;
    let stored = form_of(plan);
    let form = plan_form.unwrap_or(FormState { values: &stored, errors: FieldErrors::new(), message: None });
    let owners = if may_edit {
        let region = RegionCode::parse(&plan.data.region_code).map_err(WebError::internal)?;
        eligible_owners(state, &region, plan.chain_id).await?
    } else {
        Vec::new()
    };
    let owner = form.values.owner_id.trim().parse().unwrap_or(plan.data.owner_id);
    page(
        session,
        "/plans",
        "plan.html",
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
    let (plan, may_edit) = plan_in_scope(&state, &session, id).await?;
    plan_page(&state, &session, &plan, may_edit, None, None).await
}

pub async fn update(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
    Form(form): Form<PlanForm>,
) -> WebResult<Response> {
    session.check_csrf(&form.csrf)?;
    let plan = editable_plan(&state, &session, id).await?;
    let region = RegionCode::parse(&plan.data.region_code).map_err(WebError::internal)?;
    let owners = eligible_owners(&state, &region, plan.chain_id).await?;
    match checked_plan(&form, &owners, session.principal.user_id) {
        Ok(changed) => {
            let data = PlanData {
                enterprise_id: plan.data.enterprise_id,
                node_id: plan.data.node_id,
                region_code: plan.data.region_code.clone(),
                ..changed
            };
            state.store.update_plan(id, &data, &session.actor()).await?;
            Ok(Redirect::to(&format!("/plans/{id}")).into_response())
        }
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
    csrf: String,
    visited_on: String,
    visitor: String,
    summary: String,
}

pub async fn add_visit(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
    Form(form): Form<VisitForm>,
) -> WebResult<Response> {
    session.check_csrf(&form.csrf)?;
    let plan = editable_plan(&state, &session, id).await?;
    match check_visit(&form.visited_on, &form.visitor, &form.summary, zhaoshang_app::calendar::today()) {
        Ok(visit) => {
            state.store.add_visit(id, &visit, &session.actor()).await?;
            Ok(Redirect::to(&format!("/plans/{id}#visits")).into_response())
        }
        Err(errors) => {
            let html = plan_page(&state, &session, &plan, true, None, Some((&form, errors))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}
