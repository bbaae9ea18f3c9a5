//! Project pages: the filtered list (also every dashboard drill-down), export of the
//! current filter, the detail page with timeline, funding, problems and services,
//! and create/edit forms. A form is saved as a one-row import, so it obeys exactly
//! the rules files do, and its problems come back per field.

use crate::auth::{PageSession, Session};
use crate::error::{WebError, WebResult};
use crate::pages::{keyword, non_empty, page_number};
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::context;
use serde::Deserialize;
use std::collections::HashMap;
use zhaoshang_app::exchange::{self, columns, ImportKind, ImportReport, ImportScope};
use zhaoshang_app::stats::{known_region, parse_date};
use zhaoshang_core::access::{ProjectScope, RecordScope};
use zhaoshang_core::metrics::FundingSource;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::Stage;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
use zhaoshang_store::projects::Project;

pub const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    region: Option<String>,
    stage: Option<String>,
    chain: Option<String>,
    source: Option<String>,
    activity: Option<String>,
    q: Option<String>,
    signed_from: Option<String>,
    signed_to: Option<String>,
    min_wan: Option<String>,
    max_wan: Option<String>,
    sort: Option<String>,
    page: Option<u32>,
    /// A dashboard figure: signed, over_100m, started, producing, implementing.
    drill: Option<String>,
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
}

/// The user's record scope as a region prefix (403 for roles without records).
pub fn scope_prefix(session: &Session) -> WebResult<String> {
    match session.principal.record_scope() {
        RecordScope::Nothing => Err(WebError::forbidden()),
        scope => Ok(scope.prefix().unwrap_or("").to_string()),
    }
}

/// The projects (and funding) the user may read, as `core::access` decides with the
/// user's chains; 403 for roles that read no projects.
pub async fn user_project_scope(state: &AppState, session: &Session) -> WebResult<ProjectScope> {
    let scope = zhaoshang_app::scope::project_scope(&state.store, &session.principal).await?;
    if scope.reads_nothing() {
        return Err(WebError::forbidden());
    }
    Ok(scope)
}

/// The project scope's regions narrowed to a chosen region; a region outside is 403.
pub async fn narrowed_project_prefix(
    state: &AppState,
    scope: &ProjectScope,
    region: &Option<String>,
) -> WebResult<String> {
    match non_empty(region) {
        None => Ok(scope.regions.prefix().ok_or_else(WebError::forbidden)?.to_string()),
        Some(code) => {
            let region = known_region(&state.store, &code).await?;
            if !scope.regions.allows(&region) {
                return Err(WebError::forbidden());
            }
            Ok(region.scope_prefix().to_string())
        }
    }
}

/// The user's scope narrowed to a chosen region; a region outside the scope is 403.
pub async fn narrowed_prefix(state: &AppState, session: &Session, region: &Option<String>) -> WebResult<String> {
    let own = scope_prefix(session)?;
    match non_empty(region) {
        None => Ok(own),
        Some(code) => {
            let region = known_region(&state.store, &code).await?;
            if !session.principal.record_scope().allows(&region) {
                return Err(WebError::forbidden());
            }
            Ok(region.scope_prefix().to_string())
        }
    }
}

fn optional_date(text: &Option<String>, label: &str) -> WebResult<Option<chrono::NaiveDate>> {
    non_empty(text).map(|t| parse_date(&t, label)).transpose().map_err(Into::into)
}

fn optional_wan(text: &Option<String>, label: &str) -> WebResult<Option<i64>> {
    non_empty(text)
        .map(|t| Yuan::parse_wan(&t).map(|y| y.0).map_err(|e| WebError::bad_request(format!("{label}：{e}"))))
        .transpose()
}

pub async fn filter_of(
    state: &AppState,
    session: &Session,
    query: &ListQuery,
) -> WebResult<(ProjectFilter, Option<&'static str>)> {
    let scope = user_project_scope(state, session).await?;
    let mut filter = ProjectFilter {
        region_prefix: narrowed_project_prefix(state, &scope, &query.region).await?,
        chains_in: scope.chains.clone(),
        stage: non_empty(&query.stage)
            .map(|s| Stage::parse(&s).map(|s| s.key().to_string()))
            .transpose()
            .map_err(|e| WebError::bad_request(e.to_string()))?,
        chain: non_empty(&query.chain),
        source: non_empty(&query.source),
        signing_activity: non_empty(&query.activity),
        keyword: keyword(&query.q)?,
        signed_from: optional_date(&query.signed_from, "签约日期起")?,
        signed_to: optional_date(&query.signed_to, "签约日期止")?,
        min_investment: optional_wan(&query.min_wan, "最低总投资")?,
        max_investment: optional_wan(&query.max_wan, "最高总投资")?,
        ..Default::default()
    };
    let drill = match non_empty(&query.drill) {
        None => None,
        Some(kind) => {
            let from = optional_date(&query.from, "开始日期")?.ok_or_else(|| WebError::bad_request("缺少开始日期"))?;
            let to = optional_date(&query.to, "结束日期")?.ok_or_else(|| WebError::bad_request("缺少结束日期"))?;
            let signed_in_period = |f: &mut ProjectFilter| {
                f.signed_from = Some(from);
                f.signed_to = Some(to);
                f.exclude_dropped = true;
            };
            let label = match kind.as_str() {
                "signed" => "签约项目",
                "over_100m" => {
                    filter.over_100m = true;
                    "亿元以上签约项目"
                }
                "started" => {
                    filter.started_by = Some(to);
                    "已开工的签约项目"
                }
                "producing" => {
                    filter.producing_by = Some(to);
                    "已投产的签约项目"
                }
                "implementing" => {
                    filter.implementing_in = Some((from, to));
                    "实施项目（新建+续建）"
                }
                _ => return Err(WebError::bad_request("未知的统计口径")),
            };
            if kind != "implementing" {
                signed_in_period(&mut filter);
            }
            Some(label)
        }
    };
    Ok((filter, drill))
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
    }
}

pub async fn region_names(state: &AppState, codes: impl Iterator<Item = String>) -> WebResult<HashMap<String, String>> {
    let mut names = HashMap::new();
    for code in codes {
        if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(code) {
            let name = state.store.region(slot.key()).await?.map(|r| r.name).unwrap_or_default();
            slot.insert(name);
        }
    }
    Ok(names)
}

fn query_string(query: &ListQuery) -> String {
    let pairs = [
        ("region", &query.region),
        ("stage", &query.stage),
        ("chain", &query.chain),
        ("source", &query.source),
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
    ];
    pairs
        .iter()
        .filter_map(|(k, v)| non_empty(v).map(|v| format!("{k}={}", crate::auth::urlencode(&v))))
        .collect::<Vec<_>>()
        .join("&")
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<ListQuery>,
) -> WebResult<Response> {
    let (filter, drill) = filter_of(&state, &session, &query).await?;
    let sort = ProjectSort::parse(query.sort.as_deref().unwrap_or("signed_desc"));
    if let Some(format) = non_empty(&query.format) {
        let format = exchange::TableFormat::from_file_name(&format!("x.{format}"))?;
        let table = exchange::export_table(&state.store, ImportKind::Projects, &filter).await?;
        let bytes = exchange::write_table(&table, format)?;
        let name = format!("projects.{}", format.extension());
        return Ok((
            [
                (header::CONTENT_TYPE, format.content_type().to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            bytes,
        )
            .into_response());
    }
    let page_no = page_number(query.page);
    let totals = state.store.project_totals(&filter).await?;
    let projects = state.store.list_projects(&filter, sort, PER_PAGE, (page_no as i64 - 1) * PER_PAGE).await?;
    let names = region_names(&state, projects.iter().map(|p| p.data.region_code.clone())).await?;
    let scope = user_project_scope(&state, &session).await?;
    let flagged: std::collections::HashSet<i64> =
        claimed_twice(&state, &scope, &filter.region_prefix).await?.iter().map(|(own, _)| own.id).collect();
    let rows: Vec<_> =
        projects.iter().map(|p| context! { flagged => flagged.contains(&p.id), ..project_row(p, &names) }).collect();
    let pages = ((totals.count + PER_PAGE - 1) / PER_PAGE).max(1);
    let stages: Vec<_> = Stage::ALL.iter().map(|s| context! { key => s.key(), label => s.label() }).collect();
    let html = page(
        &session,
        "/projects",
        "projects.html",
        context! {
            rows => rows, query => context! { region => query.region, stage => query.stage, chain => query.chain, source => query.source,
                activity => query.activity, q => query.q, signed_from => query.signed_from, signed_to => query.signed_to,
                min_wan => query.min_wan, max_wan => query.max_wan, sort => query.sort, drill => query.drill, from => query.from, to => query.to },
            drill => drill, stages => stages, page => page_no, pages => pages, more => (page_no as i64) < pages,
            total_count => totals.count, total_wan => Yuan(totals.total_investment).wan_display(), total_yi => Yuan(totals.total_investment).yi_display(),
            query_string => query_string(&query),
            can_create => session.principal.edits_records(),
        },
    )?;
    Ok(html.into_response())
}

#[derive(Deserialize, Default)]
pub struct FundingQuery {
    region: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<u32>,
    format: Option<String>,
}

/// Funding records behind the dashboard's funds figure; they sum to it.
pub async fn funding_list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<FundingQuery>,
) -> WebResult<Response> {
    let scope = user_project_scope(&state, &session).await?;
    let prefix = narrowed_project_prefix(&state, &scope, &query.region).await?;
    let chains = scope.chains.as_deref();
    let from = optional_date(&query.from, "开始日期")?.ok_or_else(|| WebError::bad_request("缺少开始日期"))?;
    let to = optional_date(&query.to, "结束日期")?.ok_or_else(|| WebError::bad_request("缺少结束日期"))?;
    if let Some(format) = non_empty(&query.format) {
        let format = exchange::TableFormat::from_file_name(&format!("x.{format}"))?;
        let filter = zhaoshang_app::scope::scoped_filter(&scope, prefix);
        let mut table = exchange::export_table(&state.store, ImportKind::Funding, &filter).await?;
        // The funding export's second column is the date, written YYYY-MM-DD.
        let (from, to) = (from.to_string(), to.to_string());
        table.rows.retain(|row| row.get(1).is_some_and(|date| *date >= from && *date <= to));
        let bytes = exchange::write_table(&table, format)?;
        let disposition = format!("attachment; filename=\"funding.{}\"", format.extension());
        return Ok((
            [(header::CONTENT_TYPE, format.content_type().to_string()), (header::CONTENT_DISPOSITION, disposition)],
            bytes,
        )
            .into_response());
    }
    let total = zhaoshang_app::stats::scoped_funds_in_place(&state.store, &prefix, &scope, from, to).await?;
    let page_no = page_number(query.page);
    let records = state.store.funding_in(&prefix, chains, from, to, PER_PAGE, (page_no as i64 - 1) * PER_PAGE).await?;
    let count = state.store.funding_count(&prefix, chains, from, to).await?;
    let names = region_names(&state, records.iter().map(|r| r.region_code.clone())).await?;
    let rows: Vec<_> = records
        .iter()
        .map(|r| {
            context! { project_id => r.project_id, code => r.project_code, name => r.project_name, region_name => names.get(&r.region_code).cloned().unwrap_or_default(),
                       date => r.funded_on.to_string(), amount_wan => Yuan(r.amount).wan_display(),
                       source => FundingSource::parse(&r.source).map(|s| s.label()).unwrap_or("") }
        })
        .collect();
    let pages = ((count + PER_PAGE - 1) / PER_PAGE).max(1);
    let qs = format!("region={}&from={from}&to={to}", non_empty(&query.region).unwrap_or_default());
    page(
        &session,
        "/projects",
        "funding.html",
        context! { rows => rows, total_wan => total.wan_display(), total_yi => total.yi_display(), count => count, from => from.to_string(), to => to.to_string(),
        page => page_no, more => (page_no as i64) < pages, pages => pages, query_string => qs },
    )
    .map(IntoResponse::into_response)
}

async fn project_in_scope(state: &AppState, session: &Session, id: i64) -> WebResult<Project> {
    let project = state.store.project(id).await?.ok_or_else(|| WebError::not_found("该项目"))?;
    let region = RegionCode::parse(&project.data.region_code).map_err(WebError::internal)?;
    if !user_project_scope(state, session).await?.allows(&region, &project.data.chain) {
        return Err(WebError::forbidden());
    }
    Ok(project)
}

/// A project the user may change (403 otherwise).
async fn editable_project(state: &AppState, session: &Session, id: i64) -> WebResult<Project> {
    let project = project_in_scope(state, session, id).await?;
    let region = RegionCode::parse(&project.data.region_code).map_err(WebError::internal)?;
    if !session.principal.may_edit_records_of(&region) {
        return Err(WebError::forbidden());
    }
    Ok(project)
}

pub async fn detail(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
) -> WebResult<Html<String>> {
    let project = project_in_scope(&state, &session, id).await?;
    detail_page(&state, &session, project, None).await
}

async fn detail_page(
    state: &AppState,
    session: &Session,
    project: Project,
    error: Option<String>,
) -> WebResult<Html<String>> {
    let region = RegionCode::parse(&project.data.region_code).map_err(WebError::internal)?;
    let names = region_names(state, std::iter::once(project.data.region_code.clone())).await?;
    let funding = state.store.funding_of_project(project.id).await?;
    let funding_total: i64 = funding.iter().map(|f| f.amount).sum();
    let funding_rows: Vec<_> = funding
        .iter()
        .map(|f| context! { date => f.funded_on.to_string(), amount_wan => Yuan(f.amount).wan_display(), source => FundingSource::parse(&f.source).map(|s| s.label()).unwrap_or("") })
        .collect();
    let events: Vec<_> = state
        .store
        .project_events(project.id)
        .await?
        .into_iter()
        .map(|e| {
            let stage = |s: &Option<String>| s.as_deref().and_then(|k| Stage::parse(k).ok()).map(|s| s.label());
            context! { at => e.at.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset")).format("%Y-%m-%d %H:%M").to_string(),
                       actor => e.actor_name, kind => e.kind, from => stage(&e.from_stage), to => stage(&e.to_stage), note => e.note }
        })
        .collect();
    let problems = state.store.problems_of_project(project.id).await?;
    let services = state.store.services_of_project(project.id).await?;
    let sources: Vec<_> = FundingSource::ALL.iter().map(|s| context! { key => s.key(), label => s.label() }).collect();
    page(
        session,
        "/projects",
        "project.html",
        context! {
            p => project_row(&project, &names), data => project.data, funding => funding_rows, funding_total => Yuan(funding_total).wan_display(),
            events => events, problems => problems, services => services, sources => sources,
            can_edit => session.principal.may_edit_records_of(&region), error => error,
        },
    )
}

/// Saves a form as a one-row import of `kind` within the user's import scope (and lets
/// the search index follow it), so forms and files obey one set of rules.
pub(crate) async fn import_form_row(
    state: &AppState,
    session: &Session,
    kind: ImportKind,
    fields: &HashMap<String, String>,
) -> WebResult<ImportReport> {
    let scope = ImportScope::for_user(&state.store, &session.principal).await?;
    let sheet = exchange::form_sheet(kind, fields);
    let report =
        exchange::import_sheet_in_scope(&state.store, kind, "", &sheet, false, &session.actor(), &scope).await?;
    state.follow_import(&report).await;
    Ok(report)
}

/// Field key → messages, from an import report of a one-row sheet.
pub(crate) fn field_errors(kind: ImportKind, report: &ImportReport) -> HashMap<String, String> {
    let mut errors: HashMap<String, String> = HashMap::new();
    for problem in &report.problems {
        let key = columns(kind).iter().find(|c| c.header == problem.column).map(|c| c.key).unwrap_or("form");
        let entry = errors.entry(key.to_string()).or_default();
        if !entry.is_empty() {
            entry.push('；');
        }
        entry.push_str(&problem.message);
    }
    errors
}

fn form_page(
    session: &Session,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
    editing: Option<i64>,
) -> WebResult<Html<String>> {
    let stages: Vec<_> = Stage::ALL.iter().map(|s| context! { key => s.key(), label => s.label() }).collect();
    let fields: Vec<_> = columns(ImportKind::Projects)
        .iter()
        .filter(|c| c.key != "stage")
        .map(|c| context! { key => c.key, label => c.header, note => c.note, required => c.required, value => values.get(c.key).cloned().unwrap_or_default(), error => errors.get(c.key) })
        .collect();
    page(
        session,
        "/projects",
        "project_form.html",
        context! { fields => fields, stages => stages, stage => values.get("stage").cloned().unwrap_or_default(), stage_error => errors.get("stage"),
        form_error => errors.get("form"), editing => editing, csrf => session.csrf_token },
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

pub async fn new_form(PageSession(session): PageSession) -> WebResult<Html<String>> {
    if !session.principal.edits_records() {
        return Err(WebError::forbidden());
    }
    let mut values = HashMap::new();
    if let Some(region) = &session.principal.region {
        values.insert("region".to_string(), region.to_string());
    }
    form_page(&session, &values, &HashMap::new(), None)
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
) -> WebResult<Html<String>> {
    let project = editable_project(&state, &session, id).await?;
    form_page(&session, &values_of(&project), &HashMap::new(), Some(id))
}

/// Saves a project form (new or existing) as a one-row import.
pub async fn save(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Form(mut values): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    session.check_csrf(values.get("csrf").map(String::as_str).unwrap_or(""))?;
    let editing = values.get("id").and_then(|id| id.parse::<i64>().ok());
    if let Some(id) = editing {
        let project = project_in_scope(&state, &session, id).await?;
        values.insert("code".into(), project.data.code.clone());
    }
    let region_text = values.get("region").cloned().unwrap_or_default();
    if let Ok(region) = known_region(&state.store, &region_text).await {
        if !session.principal.may_edit_records_of(&region) {
            return Err(WebError::forbidden());
        }
    } else if !session.principal.may_administer() && session.principal.region.is_none() {
        return Err(WebError::forbidden());
    }
    if editing.is_none() {
        if let Some(existing) =
            state.store.project_by_code(values.get("code").map(String::as_str).unwrap_or("").trim()).await?
        {
            let mut errors = HashMap::new();
            errors.insert("code".to_string(), format!("项目编号“{}”已存在", existing.data.code));
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, form_page(&session, &values, &errors, None)?)
                .into_response());
        }
    }
    let fields: HashMap<String, String> = values
        .iter()
        .filter(|(k, _)| k.as_str() != "csrf" && k.as_str() != "id")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let report = import_form_row(&state, &session, ImportKind::Projects, &fields).await?;
    if !report.is_ok() {
        let errors = field_errors(ImportKind::Projects, &report);
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, form_page(&session, &values, &errors, editing)?)
            .into_response());
    }
    let code = fields.get("code").cloned().unwrap_or_default();
    let saved =
        state.store.project_by_code(code.trim()).await?.ok_or_else(|| WebError::internal("saved project not found"))?;
    Ok(Redirect::to(&format!("/projects/{}", saved.id)).into_response())
}

/// Adds a funding record to a project (a one-row funding import).
pub async fn add_funding(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
    Form(values): Form<HashMap<String, String>>,
) -> WebResult<Response> {
    session.check_csrf(values.get("csrf").map(String::as_str).unwrap_or(""))?;
    let project = editable_project(&state, &session, id).await?;
    let mut fields: HashMap<String, String> = ["date", "amount_wan", "funding_source"]
        .iter()
        .map(|k| (k.to_string(), values.get(*k).cloned().unwrap_or_default()))
        .collect();
    fields.insert("code".into(), project.data.code.clone());
    let report = import_form_row(&state, &session, ImportKind::Funding, &fields).await?;
    if !report.is_ok() || report.duplicates > 0 {
        let message = if report.duplicates > 0 {
            "该笔到位资金已登记，未重复记录".to_string()
        } else {
            report.problems.iter().map(|p| format!("{}：{}", p.column, p.message)).collect::<Vec<_>>().join("；")
        };
        let html = detail_page(&state, &session, project, Some(message)).await?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    Ok(Redirect::to(&format!("/projects/{id}#funding")).into_response())
}

#[derive(Deserialize)]
pub struct ProblemForm {
    csrf: String,
    description: String,
    department: Option<String>,
    due_on: Option<String>,
}

pub async fn add_problem(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
    Form(form): Form<ProblemForm>,
) -> WebResult<Response> {
    session.check_csrf(&form.csrf)?;
    let project = editable_project(&state, &session, id).await?;
    let due_on = match optional_date(&form.due_on, "办结期限") {
        Ok(date) => date,
        Err(error) => {
            return Ok(
                (error.status, detail_page(&state, &session, project, Some(error.message)).await?).into_response()
            )
        }
    };
    if form.description.trim().is_empty() {
        return Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            detail_page(&state, &session, project, Some("问题描述不能为空".into())).await?,
        )
            .into_response());
    }
    let problem = zhaoshang_store::projects::Problem {
        id: 0,
        project_id: id,
        description: form.description.trim().to_string(),
        department: form.department.clone().unwrap_or_default(),
        due_on,
        status: "open".into(),
        resolution: String::new(),
    };
    state.store.save_problem(&problem, &session.actor()).await?;
    Ok(Redirect::to(&format!("/projects/{id}#problems")).into_response())
}

#[derive(Deserialize)]
pub struct ServiceForm {
    csrf: String,
    service: String,
    handler: Option<String>,
}

pub async fn add_service(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
    Form(form): Form<ServiceForm>,
) -> WebResult<Response> {
    session.check_csrf(&form.csrf)?;
    let project = editable_project(&state, &session, id).await?;
    if form.service.trim().is_empty() {
        return Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            detail_page(&state, &session, project, Some("服务事项不能为空".into())).await?,
        )
            .into_response());
    }
    let service = zhaoshang_store::projects::Service {
        id: 0,
        project_id: id,
        service: form.service.trim().to_string(),
        handler: form.handler.clone().unwrap_or_default(),
        status: "open".into(),
        note: String::new(),
    };
    state.store.save_service(&service, &session.actor()).await?;
    Ok(Redirect::to(&format!("/projects/{id}#services")).into_response())
}

/// Pairs of projects in the user's scope that look claimed twice by different cities
/// (the first of each pair is one the user may read).
pub async fn claimed_twice(state: &AppState, scope: &ProjectScope, prefix: &str) -> WebResult<Vec<(Project, Project)>> {
    use zhaoshang_core::projects::duplicates::looks_claimed_twice;
    let city = |code: &str| code.get(..4).unwrap_or(code).to_string();
    let mut pairs = Vec::new();
    for (project, others) in state.store.shared_investor_projects(prefix).await? {
        if !scope.allows_chain(&project.data.chain) {
            continue;
        }
        for other in others {
            if looks_claimed_twice(
                &city(&project.data.region_code),
                &project.data.name,
                &city(&other.data.region_code),
                &other.data.name,
            ) {
                pairs.push((project.clone(), other));
            }
        }
    }
    Ok(pairs)
}

pub async fn duplicates(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let scope = user_project_scope(&state, &session).await?;
    let prefix = scope.regions.prefix().ok_or_else(WebError::forbidden)?.to_string();
    let pairs = claimed_twice(&state, &scope, &prefix).await?;
    let codes = pairs.iter().flat_map(|(a, b)| [a.data.region_code.clone(), b.data.region_code.clone()]);
    let names = region_names(&state, codes).await?;
    let rows: Vec<_> = pairs
        .iter()
        .map(|(own, other)| {
            let other_visible = RegionCode::parse(&other.data.region_code).is_ok_and(|code| scope.allows(&code, &other.data.chain));
            context! { own => project_row(own, &names), other => project_row(other, &names), other_visible => other_visible,
                       investor => own.data.investor, credit_code => own.data.investor_credit_code }
        })
        .collect();
    page(&session, "/projects", "duplicates.html", context! { rows => rows })
}
