//! Enterprise library pages: the filtered list (with export of the current filter) and
//! the detail page with the enterprise's projects as investor, its chain links, its
//! 一企一案 plans and their visits. Both stay within the user's record scope.

use crate::auth::{PageSession, Session};
use crate::error::{WebError, WebResult};
use crate::pages::plans::{plan_row, PlanScope};
use crate::pages::projects::{narrowed_prefix, region_names, user_project_scope};
use crate::pages::{keyword, non_empty, page_number};
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;
use std::collections::HashMap;
use zhaoshang_app::calendar::today;
use zhaoshang_app::exchange;
use zhaoshang_core::chains::LinkRole;
use zhaoshang_core::enterprises::{Tag, Tags};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::Stage;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::enterprises::{Enterprise, EnterpriseFilter, EnterpriseSort};
use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
use zhaoshang_store::plans::PlanFilter;

pub const PER_PAGE: i64 = 50;
/// Projects shown on an enterprise's page.
const PROJECTS_SHOWN: i64 = 200;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    region: Option<String>,
    industry: Option<String>,
    tag: Option<String>,
    /// "1" targets only, "0" the others.
    target: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<u32>,
    format: Option<String>,
}

impl ListQuery {
    /// The filter as a query string, to keep it across pages and exports.
    fn query_string(&self) -> String {
        let pairs = [
            ("region", &self.region),
            ("industry", &self.industry),
            ("tag", &self.tag),
            ("target", &self.target),
            ("q", &self.q),
            ("sort", &self.sort),
        ];
        pairs
            .iter()
            .filter_map(|(k, v)| non_empty(v).map(|v| format!("{k}={}", crate::auth::urlencode(&v))))
            .collect::<Vec<_>>()
            .join("&")
    }
}

async fn filter_of(state: &AppState, session: &Session, query: &ListQuery) -> WebResult<EnterpriseFilter> {
    let tag = match non_empty(&query.tag) {
        None => None,
        Some(text) => Some(
            Tag::parse(&text)
                .map(|tag| tag.label().to_string())
                .ok_or_else(|| WebError::bad_request(format!("未知的标签“{text}”")))?,
        ),
    };
    let is_target = match non_empty(&query.target).as_deref() {
        None => None,
        Some("1") => Some(true),
        Some("0") => Some(false),
        Some(other) => return Err(WebError::bad_request(format!("目标企业筛选“{other}”无效"))),
    };
    Ok(EnterpriseFilter {
        region_prefix: narrowed_prefix(state, session, &query.region).await?,
        industry: non_empty(&query.industry).map(|i| i.to_ascii_uppercase()),
        tag,
        keyword: keyword(&query.q)?,
        is_target,
    })
}

/// "上海市浦东新区" for 310115: headquarters lie anywhere in China, where a county's name
/// alone says little.
pub async fn full_region_names(
    state: &AppState,
    codes: impl Iterator<Item = String>,
) -> WebResult<HashMap<String, String>> {
    let mut names = HashMap::new();
    for code in codes {
        if names.contains_key(&code) {
            continue;
        }
        let mut parts = Vec::new();
        let mut current = state.store.region(&code).await?;
        while let Some(region) = current {
            parts.push(region.name);
            current = match region.parent_code {
                Some(parent) if parts.len() < 3 => state.store.region(&parent).await?,
                _ => None,
            };
        }
        parts.reverse();
        names.insert(code, parts.concat());
    }
    Ok(names)
}

fn wan(yuan: Option<i64>) -> Option<String> {
    yuan.map(|y| Yuan(y).wan_display())
}

fn enterprise_row(enterprise: &Enterprise, region_names: &HashMap<String, String>) -> minijinja::Value {
    let d = &enterprise.data;
    let tags = Tags::from_stored(&d.tags, &d.stock_code);
    let tag_labels: Vec<&str> = tags.tags().iter().map(|tag| tag.label()).collect();
    context! {
        id => enterprise.id, name => d.name, credit_code => d.credit_code, region_code => d.region_code,
        region_name => region_names.get(&d.region_code).cloned().unwrap_or_default(), industry => d.industry,
        tags => tag_labels, stock_code => tags.stock_code(), revenue_wan => wan(d.revenue), employees => d.employees,
        capital_wan => wan(d.registered_capital), is_target => d.is_target, description => d.description,
    }
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<ListQuery>,
) -> WebResult<Response> {
    let filter = filter_of(&state, &session, &query).await?;
    if let Some(format) = non_empty(&query.format) {
        let format = exchange::TableFormat::from_file_name(&format!("x.{format}"))?;
        let table = exchange::enterprise_table(&state.store, &filter).await?;
        let bytes = exchange::write_table(&table, format)?;
        let name = format!("enterprises.{}", format.extension());
        return Ok((
            [
                (header::CONTENT_TYPE, format.content_type().to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            ],
            bytes,
        )
            .into_response());
    }
    let sort = EnterpriseSort::parse(query.sort.as_deref().unwrap_or(""));
    let page_no = page_number(query.page);
    let totals = state.store.enterprise_totals(&filter).await?;
    let enterprises = state.store.list_enterprises(&filter, sort, PER_PAGE, (page_no as i64 - 1) * PER_PAGE).await?;
    let names = full_region_names(&state, enterprises.iter().map(|e| e.data.region_code.clone())).await?;
    let rows: Vec<_> = enterprises.iter().map(|e| enterprise_row(e, &names)).collect();
    let pages = ((totals.count + PER_PAGE - 1) / PER_PAGE).max(1);
    let tags: Vec<&str> = Tag::ALL.iter().map(|tag| tag.label()).collect();
    let sorts: Vec<_> = EnterpriseSort::ALL.iter().map(|s| context! { key => s.key(), label => s.label() }).collect();
    let html = page(
        &session,
        "/enterprises",
        "enterprises.html",
        context! {
            rows => rows, tags => tags, sorts => sorts, sort => sort.key(),
            query => context! { region => query.region, industry => query.industry, tag => query.tag, target => query.target, q => query.q },
            query_string => query.query_string(), page => page_no, pages => pages, more => (page_no as i64) < pages,
            total_count => totals.count, total_revenue_wan => Yuan(totals.revenue).wan_display(),
        },
    )?;
    Ok(html.into_response())
}

pub async fn detail(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
) -> WebResult<Html<String>> {
    let enterprise = state.store.enterprise(id).await?.ok_or_else(|| WebError::not_found("该企业"))?;
    let region = RegionCode::parse(&enterprise.data.region_code).map_err(WebError::internal)?;
    if !session.principal.record_scope().allows(&region) {
        return Err(WebError::forbidden());
    }
    let project_scope = user_project_scope(&state, &session).await?;
    let projects_filter = ProjectFilter {
        region_prefix: project_scope.regions.prefix().ok_or_else(WebError::forbidden)?.to_string(),
        chains_in: project_scope.chains.clone(),
        investor_credit_code: Some(enterprise.data.credit_code.clone()),
        ..Default::default()
    };
    let projects = state.store.list_projects(&projects_filter, ProjectSort::SignedDesc, PROJECTS_SHOWN, 0).await?;
    let headquarters = full_region_names(&state, std::iter::once(enterprise.data.region_code.clone())).await?;
    let names = region_names(&state, projects.iter().map(|p| p.data.region_code.clone())).await?;
    let industry =
        state.store.industries().await?.into_iter().find(|i| i.code == enterprise.data.industry).map(|i| i.name);
    let project_rows: Vec<_> = projects
        .iter()
        .map(|p| {
            let d = &p.data;
            context! { id => p.id, code => d.code, name => d.name, region_name => names.get(&d.region_code).cloned().unwrap_or_default(),
                       stage => Stage::parse(&d.stage).map(|s| s.label()).unwrap_or(""), stage_key => d.stage,
                       total_wan => Yuan(d.total_investment).wan_display(), signed_on => d.signed_on.map(|x| x.to_string()) }
        })
        .collect();
    let project_total: i64 = projects.iter().map(|p| p.data.total_investment).sum();
    // Chain maps open on the enterprise's own city, where it counts as local presence.
    let map_region = region.city().unwrap_or_else(|| region.clone());
    let chain_links: Vec<_> = state
        .store
        .enterprise_nodes(id)
        .await?
        .into_iter()
        .map(|(chain_id, chain_name, node_id, node_name, role)| {
            context! { chain_id, chain_name, node_id, node_name, region => map_region.as_str(),
            role => LinkRole::parse(&role).map_or(role.clone(), |r| r.label().to_string()) }
        })
        .collect();
    let plans = PlanScope::of(&state, &session)
        .await?
        .plans(&state, PlanFilter { enterprise_id: Some(id), ..Default::default() })
        .await?;
    let mut visits = Vec::new();
    for plan in &plans {
        for visit in state.store.plan_visits(plan.id).await? {
            visits.push((visit, plan.region_name.clone()));
        }
    }
    visits.sort_by_key(|(visit, _)| std::cmp::Reverse(visit.data.visited_on));
    let visit_rows: Vec<_> = visits
        .iter()
        .map(|(v, region_name)| {
            context! { plan_id => v.plan_id, region_name, visited_on => v.data.visited_on.to_string(),
            visitor => v.data.visitor, summary => v.data.summary }
        })
        .collect();
    let today = today();
    page(
        &session,
        "/enterprises",
        "enterprise.html",
        context! {
            e => enterprise_row(&enterprise, &headquarters), industry_name => industry,
            projects => project_rows, project_total_wan => Yuan(project_total).wan_display(),
            chain_links => chain_links, plans => plans.iter().map(|p| plan_row(p, today)).collect::<Vec<_>>(),
            visits => visit_rows, may_view_chains => session.principal.may_view_chains(),
            updated_at => enterprise.updated_at.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset")).format("%Y-%m-%d %H:%M").to_string(),
        },
    )
}
