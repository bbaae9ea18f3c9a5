//! Project pages: the filtered list (also every dashboard drill-down), export of the
//! current filter, the detail page with timeline, funding, problems and services,
//! and create/edit forms. A form is saved as a one-row import, so it obeys exactly
//! the rules files do, and its problems come back per field.

use crate::auth::{CsrfForm, PageSession, Session};
use crate::error::WebResult;
use crate::pages::{download, export_format, non_empty, page_number, pager, query_string, NewRecordQuery};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use serde::Deserialize;
use std::collections::HashMap;
use zhaoshang_app::exchange::{columns, ImportKind, CONFIRM_EXCESS_FUNDS_FIELD};
use zhaoshang_app::projects::{FundingQuery, ProblemInput, ProjectDetail, ProjectQuery, EXCESS_FUNDS_FLAG};
use zhaoshang_core::calendar::china_time;
use zhaoshang_core::metrics::FundingSource;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::plausible::{ExcessFunds, CONFIRM_EXCESS_FUNDS};
use zhaoshang_core::projects::Stage;
use zhaoshang_store::projects::Project;

pub const PER_PAGE: i64 = 50;

pub fn routes() -> Routes {
    Routes::new()
        .route("/projects", get(list).post(save))
        .route("/projects/new", get(new_form))
        .route("/projects/duplicates", get(duplicates))
        .route("/projects/duplicates/decision", post(decide_duplicate))
        .route("/projects/{id}", get(detail))
        .route("/projects/{id}/edit", get(edit_form))
        .route("/projects/{id}/funding", post(add_funding))
        .route("/projects/{id}/problems", post(add_problem))
        .route("/projects/{id}/services", post(add_service))
        .route("/projects/{id}/excess_funds", post(confirm_excess_funds))
        .route("/projects/{id}/promotion", post(promote))
        .route("/funding", get(funding_list))
}

fn project_row(project: &Project, region_names: &HashMap<String, String>) -> minijinja::Value {
    let d = &project.data;
    context! {
        id => project.id, code => d.code, name => d.name, region_code => d.region_code,
        region_name => region_names.get(&d.region_code).cloned().unwrap_or_default(),
        investor => d.investor, stage => Stage::parse(&d.stage).map(|s| s.label()).unwrap_or(""), stage_key => d.stage,
        total_wan => Yuan(d.total_investment).wan_display(), signed_on => d.signed_on.map(|x| x.to_string()),
        started_on => d.started_on.map(|x| x.to_string()), producing_on => d.producing_on.map(|x| x.to_string()),
        chain => d.chain, source => d.source, park => d.park, activity => d.signing_activity,
        excess_funds => (!d.excess_funds.is_empty()).then(|| ExcessFunds::from_stored(&d.excess_funds).label()),
        excess_funds_waiting => ExcessFunds::from_stored(&d.excess_funds) == ExcessFunds::Unconfirmed,
    }
}

/// The list's filter as a query string, kept across pages and exports.
fn list_query_string(query: &ProjectQuery) -> String {
    query_string(&[
        ("region", &query.region),
        ("stage", &query.stage),
        ("chain", &query.chain),
        ("source", &query.source),
        ("source_org", &query.source_org),
        ("activity", &query.activity),
        ("q", &query.q),
        ("signed_from", &query.signed_from),
        ("signed_to", &query.signed_to),
        ("min_wan", &query.min_wan),
        ("max_wan", &query.max_wan),
        ("sort", &query.sort),
        ("drill", &query.drill),
        ("from", &query.from),
        ("to", &query.to),
        ("flag", &query.flag),
    ])
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<ProjectQuery>,
) -> WebResult<Response> {
    let principal = &session.principal;
    if let Some(format) = export_format(&query.format)? {
        let table = state.app.project_export(principal, &query).await?;
        return download(&table, format, "projects");
    }
    let list = state.app.project_page(principal, &query, PER_PAGE).await?;
    let rows: Vec<_> = list
        .projects
        .iter()
        .map(|p| context! { flagged => list.flagged.contains(&p.id), ..project_row(p, &list.region_names) })
        .collect();
    let totals = &list.totals;
    let stages: Vec<_> = Stage::ALL.iter().map(|s| context! { key => s.key(), label => s.label() }).collect();
    let html = page(
        &session,
        "/projects",
        "projects/projects.html",
        context! {
            rows => rows, query => context! { region => query.region, stage => query.stage, chain => query.chain, source => query.source, source_org => query.source_org,
                activity => query.activity, q => query.q, signed_from => query.signed_from, signed_to => query.signed_to,
                min_wan => query.min_wan, max_wan => query.max_wan, sort => query.sort, drill => query.drill, from => query.from, to => query.to, flag => query.flag },
            excess_funds_flag => EXCESS_FUNDS_FLAG,
            drill => list.drill, stages => stages,
            total_count => totals.count, total_wan => Yuan(totals.total_investment).wan_display(), total_yi => Yuan(totals.total_investment).yi_display(),
            query_string => list_query_string(&query),
            can_create => principal.edits_records(), ..pager(query.page, totals.count, PER_PAGE)
        },
    )?;
    Ok(html.into_response())
}

/// Funding records behind the dashboard's funds figure; they sum to it.
pub async fn funding_list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<FundingQuery>,
) -> WebResult<Response> {
    if let Some(format) = export_format(&query.format)? {
        let table = state.app.funding_export(&session.principal, &query).await?;
        return download(&table, format, "funding");
    }
    let funding = state.app.funding_page(&session.principal, &query, PER_PAGE).await?;
    let names = &funding.region_names;
    let rows: Vec<_> = funding
        .records
        .iter()
        .map(|r| {
            context! { project_id => r.project_id, code => r.project_code, name => r.project_name, region_name => names.get(&r.region_code).cloned().unwrap_or_default(),
                       date => r.funded_on.to_string(), amount_wan => Yuan(r.amount).wan_display(),
                       source => FundingSource::parse(&r.source).map(|s| s.label()).unwrap_or("") }
        })
        .collect();
    let (from, to, total, count) = (funding.from, funding.to, funding.total, funding.count);
    let qs = format!(
        "from={from}&to={to}&{}",
        query_string(&[("region", &query.region), ("source", &query.source), ("source_org", &query.source_org)])
    );
    page(
        &session,
        "/projects",
        "projects/funding.html",
        context! { rows => rows, total_wan => total.wan_display(), total_yi => total.yi_display(), count => count, from => from.to_string(), to => to.to_string(),
        source => non_empty(query.source.as_deref()), source_org => non_empty(query.source_org.as_deref()),
        query_string => qs, ..pager(query.page, count, PER_PAGE) },
    )
    .map(IntoResponse::into_response)
}

/// What a project's page is told by the form that led to it.
#[derive(Deserialize)]
pub struct DetailQuery {
    /// Set by the redirect after a form saved the project: the page says 已保存.
    saved: Option<String>,
}

pub async fn detail(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
    Query(query): Query<DetailQuery>,
) -> WebResult<Html<String>> {
    let notice = query.saved.is_some().then_some("已保存");
    detail_page(&state, &session, id, Refusal::default(), notice).await
}

/// Why a form on a project's page was refused, and what the funding form held (kept
/// for another try, with the confirmation box when the funds would exceed the total).
#[derive(Default)]
struct Refusal {
    error: Option<String>,
    funding: Option<HashMap<String, String>>,
}

/// A project's page (`refusal`: why a form on it was refused; `notice`: a saved form's word).
async fn detail_page(
    state: &AppState,
    session: &Session,
    id: i64,
    refusal: Refusal,
    notice: Option<&str>,
) -> WebResult<Html<String>> {
    let project = state.app.project_in_scope(&session.principal, id).await?;
    let ProjectDetail { project, region_names, funding, events, problems, services, can_edit, pitch } =
        state.app.project_detail(&session.principal, project).await?;
    let funding_total: i64 = funding.iter().map(|f| f.amount).sum();
    let funding_rows: Vec<_> = funding
        .iter()
        .map(|f| context! { date => f.funded_on.to_string(), amount_wan => Yuan(f.amount).wan_display(), source => FundingSource::parse(&f.source).map(|s| s.label()).unwrap_or("") })
        .collect();
    let events: Vec<_> = events
        .into_iter()
        .map(|e| {
            let stage = |s: &Option<String>| s.as_deref().and_then(|k| Stage::parse(k).ok()).map(|s| s.label());
            context! { at => china_time(e.at).format("%Y-%m-%d %H:%M").to_string(),
                       actor => e.actor_name, kind => e.kind, from => stage(&e.from_stage), to => stage(&e.to_stage), note => e.note }
        })
        .collect();
    let sources: Vec<_> = FundingSource::ALL.iter().map(|s| context! { key => s.key(), label => s.label() }).collect();
    page(
        session,
        "/projects",
        "projects/project.html",
        context! {
            p => project_row(&project, &region_names), data => project.data, funding => funding_rows, funding_total => Yuan(funding_total).wan_display(),
            events => events, problems => problems, services => services, sources => sources,
            can_edit => can_edit, pitch => pitch, max_pitch => zhaoshang_app::portal::MAX_PITCH, error => refusal.error, notice => notice,
            ask_excess_funds => asks_confirmation(refusal.error.as_deref()), funding_values => refusal.funding,
            confirm_excess_funds => CONFIRM_EXCESS_FUNDS, confirm_field => CONFIRM_EXCESS_FUNDS_FIELD,
        },
    )
}

/// Whether a refusal asks to confirm funds in place above the total investment.
fn asks_confirmation(error: Option<&str>) -> bool {
    error.is_some_and(|message| message.contains(CONFIRM_EXCESS_FUNDS))
}

/// A project's page again with the reason a form on it was refused (422).
async fn refused(state: &AppState, session: &Session, id: i64, refusal: Refusal) -> WebResult<Response> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, detail_page(state, session, id, refusal, None).await?).into_response())
}

impl Refusal {
    fn message(message: String) -> Refusal {
        Refusal { error: Some(message), funding: None }
    }
}

/// A field of the project form: key, label and hint.
type FormField = (&'static str, &'static str, &'static str);

/// The project form's groups, each a heading and its fields in order: worded for a form
/// (the import's column notes speak of rows and columns).
const FORM_GROUPS: [(&str, &[FormField]); 4] = [
    (
        "基本信息",
        &[
            ("code", "项目编号", "新项目已预填本地区下一个可用编号，可修改；保存后不再更改"),
            ("name", "项目名称", ""),
            ("region", "所属地区", "填写行政区划代码或名称，如 620503 或 麦积区"),
            ("park", "所属园区", ""),
            ("chain", "产业链", ""),
            ("chain_node", "产业链环节", ""),
            ("industry", "行业代码", "国民经济行业分类大类代码，如 30"),
            ("description", "项目简介", ""),
        ],
    ),
    (
        "投资方",
        &[
            ("investor", "投资方", "企业全称"),
            ("investor_credit_code", "投资方统一社会信用代码", "18 位"),
            ("investor_origin", "投资方来源地", "省份或城市，如 上海市"),
            ("investor_type", "投资方类型", "民营、国有、外资 或 港澳台"),
            ("total_investment_wan", "总投资（万元）", "签约后必填，须大于 0"),
        ],
    ),
    (
        "进度",
        &[
            ("stage", "项目阶段", "不选时按所填最晚的日期确定"),
            ("lead_on", "线索日期", "不填为今天"),
            ("signed_on", "签约日期", "签约起必填，不能晚于今天"),
            ("started_on", "开工日期", "开工起必填，不能晚于今天"),
            ("producing_on", "投产日期", "投产时必填，不能晚于今天"),
            ("dropped_reason", "终止原因", "项目终止时必填"),
            ("stage_reason", "阶段变更原因", "退回阶段或恢复已终止的项目时必填"),
        ],
    ),
    (
        "来源与责任",
        &[
            ("source", "项目来源", "如 商会、招商顾问、驻点招商、展会/节会、以商招商"),
            ("source_org", "来源单位", "如 甘肃省上海商会"),
            ("signing_activity", "签约活动", "签约所在招商活动的名称"),
            ("department", "责任单位", ""),
            ("leader", "包抓领导", ""),
            ("owner", "责任人", ""),
        ],
    ),
];

const DATE_FIELDS: [&str; 4] = ["lead_on", "signed_on", "started_on", "producing_on"];

fn form_page(
    session: &Session,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
    editing: Option<i64>,
) -> WebResult<Html<String>> {
    let stages: Vec<_> = Stage::ALL.iter().map(|s| context! { key => s.key(), label => s.label() }).collect();
    let required = |key: &str| columns(ImportKind::Projects).iter().any(|c| c.key == key && c.required);
    let groups: Vec<_> = FORM_GROUPS
        .iter()
        .map(|(heading, fields)| {
            let fields: Vec<_> = fields
                .iter()
                .map(|&(key, label, hint)| {
                    context! { key, label, hint, required => required(key), date => DATE_FIELDS.contains(&key),
                    value => values.get(key).cloned().unwrap_or_default(), error => errors.get(key) }
                })
                .collect();
            context! { heading, fields }
        })
        .collect();
    let total_error = errors.get("total_investment_wan").map(String::as_str);
    page(
        session,
        "/projects",
        "projects/project_form.html",
        context! { groups => groups, stages => stages, form_error => errors.get("form"), editing => editing,
        ask_excess_funds => asks_confirmation(total_error), confirm_excess_funds => CONFIRM_EXCESS_FUNDS,
        confirm_field => CONFIRM_EXCESS_FUNDS_FIELD, csrf => session.csrf_token },
    )
}

fn values_of(project: &Project) -> HashMap<String, String> {
    let d = &project.data;
    let date = |x: Option<chrono::NaiveDate>| x.map(|x| x.to_string()).unwrap_or_default();
    [
        ("code", d.code.clone()),
        ("name", d.name.clone()),
        ("region", d.region_code.clone()),
        ("park", d.park.clone()),
        ("chain", d.chain.clone()),
        ("chain_node", d.chain_node.clone()),
        ("investor", d.investor.clone()),
        ("investor_credit_code", d.investor_credit_code.clone()),
        ("investor_origin", d.investor_origin.clone()),
        (
            "total_investment_wan",
            if d.total_investment == 0 { String::new() } else { Yuan(d.total_investment).wan_string() },
        ),
        ("stage", d.stage.clone()),
        ("signed_on", date(d.signed_on)),
        ("started_on", date(d.started_on)),
        ("producing_on", date(d.producing_on)),
        ("lead_on", date(d.lead_on)),
        ("source", d.source.clone()),
        ("source_org", d.source_org.clone()),
        ("department", d.department.clone()),
        ("leader", d.leader.clone()),
        ("signing_activity", d.signing_activity.clone()),
        ("investor_type", d.investor_type.clone()),
        ("industry", d.industry.clone()),
        ("owner", d.owner.clone()),
        ("dropped_reason", d.dropped_reason.clone()),
        ("description", d.description.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

pub async fn new_form(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<NewRecordQuery>,
) -> WebResult<Html<String>> {
    if !session.principal.edits_records() {
        return Err(crate::error::WebError::forbidden());
    }
    let mut values = HashMap::new();
    if let Some(region) = query.region_or_own(&session.principal) {
        let region = state.app.known_region(&region).await?;
        if !session.principal.may_edit_records_of(&region) {
            return Err(crate::error::WebError::forbidden());
        }
        values.insert("code".to_string(), state.app.proposed_project_code(region.as_str()).await?);
        values.insert("region".to_string(), region.to_string());
    }
    form_page(&session, &values, &HashMap::new(), None)
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
) -> WebResult<Html<String>> {
    let project = state.app.editable_project(&session.principal, id).await?;
    form_page(&session, &values_of(&project), &HashMap::new(), Some(id))
}

/// Saves a project form (new or existing) as a one-row import.
pub async fn save(
    State(state): State<AppState>,
    CsrfForm(session, mut values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.save_project_form(&session.principal, &session.actor(), &mut values).await? {
        Ok(id) => Ok(Redirect::to(&format!("/projects/{id}?saved=1")).into_response()),
        Err(errors) => {
            let editing = values.get("id").and_then(|id| id.parse::<i64>().ok());
            Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(&session, &values, &errors, editing)?).into_response())
        }
    }
}

/// Adds a funding record to a project (a one-row funding import).
pub async fn add_funding(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.add_funding(&session.principal, &session.actor(), id, &values).await? {
        Ok(()) => Ok(Redirect::to(&format!("/projects/{id}#funding")).into_response()),
        Err(message) => refused(&state, &session, id, Refusal { error: Some(message), funding: Some(values) }).await,
    }
}

/// Confirms a project's funds in place above its total investment (its flag waiting for it).
pub async fn confirm_excess_funds(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, _): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    state.app.confirm_excess_funds(&session.principal, &session.actor(), id).await?;
    Ok(Redirect::to(&format!("/projects/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct PromotionForm {
    #[serde(default)]
    pitch: String,
}

/// Puts the project forward to investors on the portal with its pitch (推介项目), or
/// takes it off with an empty pitch.
pub async fn promote(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, form): CsrfForm<PromotionForm>,
) -> WebResult<Response> {
    match state.app.set_project_promotion(&session.principal, &session.actor(), id, &form.pitch).await? {
        Ok(()) => Ok(Redirect::to(&format!("/projects/{id}#promotion")).into_response()),
        Err(error) => {
            let html =
                detail_page(&state, &session, id, Refusal { error: Some(error), ..Default::default() }, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct ProblemForm {
    description: String,
    department: Option<String>,
    due_on: Option<String>,
}

pub async fn add_problem(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, form): CsrfForm<ProblemForm>,
) -> WebResult<Response> {
    let input = ProblemInput {
        description: &form.description,
        department: form.department.as_deref(),
        due_on: form.due_on.as_deref(),
    };
    match state.app.add_problem(&session.principal, &session.actor(), id, &input).await? {
        Ok(()) => Ok(Redirect::to(&format!("/projects/{id}#problems")).into_response()),
        Err(message) => refused(&state, &session, id, Refusal::message(message)).await,
    }
}

#[derive(Deserialize)]
pub struct ServiceForm {
    service: String,
    handler: Option<String>,
}

pub async fn add_service(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, form): CsrfForm<ServiceForm>,
) -> WebResult<Response> {
    let added =
        state.app.add_service(&session.principal, &session.actor(), id, &form.service, form.handler.as_deref()).await?;
    match added {
        Ok(()) => Ok(Redirect::to(&format!("/projects/{id}#services")).into_response()),
        Err(message) => refused(&state, &session, id, Refusal::message(message)).await,
    }
}

#[derive(Deserialize)]
pub struct DuplicatesQuery {
    page: Option<u32>,
}

/// Pairs per page of the duplicates list.
const PAIRS_PER_PAGE: i64 = 50;

pub async fn duplicates(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<DuplicatesQuery>,
) -> WebResult<Html<String>> {
    let list = state.app.claimed_twice(&session.principal, page_number(query.page), PAIRS_PER_PAGE).await?;
    let names = &list.names;
    let rows: Vec<_> = list
        .pairs
        .iter()
        .map(|pair| {
            let own = &pair.own;
            context! { own => project_row(own, names), other => project_row(&pair.other, names), other_visible => pair.other_visible,
                       investor => own.data.investor, credit_code => own.data.investor_credit_code,
                       decision => pair.decision.map(|d| d.label()) }
        })
        .collect();
    let may_decide = session.principal.edits_records();
    page(
        &session,
        "/projects",
        "projects/duplicates.html",
        context! { rows => rows, may_decide => may_decide, total_count => list.total, query_string => "",
        ..pager(query.page, list.total, PAIRS_PER_PAGE) },
    )
}

#[derive(Deserialize)]
pub struct PairDecisionForm {
    own: i64,
    other: i64,
    decision: String,
}

/// 同一项目, 不同项目 (the pair leaves the list) or 提交省级统筹 for a listed pair.
pub async fn decide_duplicate(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<PairDecisionForm>,
) -> WebResult<Response> {
    state.app.decide_claimed_twice(&session.principal, &session.actor(), form.own, form.other, &form.decision).await?;
    Ok(Redirect::to("/projects/duplicates").into_response())
}
