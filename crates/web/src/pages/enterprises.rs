//! Enterprise library pages: the filtered list (with export of the current filter) and
//! the detail page with the enterprise's projects as investor, its chain links, its
//! 一企一案 plans and their visits. Both stay within the user's record scope.

use crate::auth::PageSession;
use crate::error::WebResult;
use crate::pages::plans::plan_row;
use crate::pages::{download, export_format, pager, query_string};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use minijinja::context;
use std::collections::HashMap;
use zhaoshang_app::calendar::today;
use zhaoshang_app::enterprises::{EnterpriseDetail, EnterpriseQuery};
use zhaoshang_core::calendar::china_time;
use zhaoshang_core::chains::LinkRole;
use zhaoshang_core::enterprises::{Tag, Tags};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::Stage;
use zhaoshang_store::enterprises::{Enterprise, EnterpriseSort};

pub const PER_PAGE: i64 = 50;

pub fn routes() -> Routes {
    Routes::new().route("/enterprises", get(list)).route("/enterprises/{id}", get(detail))
}

/// The filter as a query string, to keep it across pages and exports.
fn list_query_string(query: &EnterpriseQuery) -> String {
    query_string(&[
        ("region", &query.region),
        ("industry", &query.industry),
        ("tag", &query.tag),
        ("target", &query.target),
        ("q", &query.q),
        ("sort", &query.sort),
    ])
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
    Query(query): Query<EnterpriseQuery>,
) -> WebResult<Response> {
    if let Some(format) = export_format(&query.format)? {
        let table = state.app.enterprise_export(&session.principal, &query).await?;
        return download(&table, format, "enterprises");
    }
    let list = state.app.enterprise_page(&session.principal, &query, PER_PAGE).await?;
    let rows: Vec<_> = list.enterprises.iter().map(|e| enterprise_row(e, &list.region_names)).collect();
    let totals = &list.totals;
    let tags: Vec<&str> = Tag::ALL.iter().map(|tag| tag.label()).collect();
    let sorts: Vec<_> = EnterpriseSort::ALL.iter().map(|s| context! { key => s.key(), label => s.label() }).collect();
    let html = page(
        &session,
        "/enterprises",
        "enterprises/enterprises.html",
        context! {
            rows => rows, tags => tags, sorts => sorts, sort => list.sort.key(),
            query => context! { region => query.region, industry => query.industry, tag => query.tag, target => query.target, q => query.q },
            query_string => list_query_string(&query),
            total_count => totals.count, total_revenue_wan => Yuan(totals.revenue).wan_display(),
            ..pager(query.page, totals.count, PER_PAGE)
        },
    )?;
    Ok(html.into_response())
}

pub async fn detail(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
) -> WebResult<Html<String>> {
    let EnterpriseDetail {
        enterprise,
        region,
        headquarters,
        industry_name,
        projects,
        project_region_names: names,
        chain_links,
        plans,
        visits,
    } = state.app.enterprise_detail(&session.principal, id).await?;
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
    let chain_links: Vec<_> = chain_links
        .into_iter()
        .map(|(chain_id, chain_name, node_id, node_name, role)| {
            context! { chain_id, chain_name, node_id, node_name, region => map_region.as_str(),
            role => LinkRole::parse(&role).map_or(role.clone(), |r| r.label().to_string()) }
        })
        .collect();
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
        "enterprises/enterprise.html",
        context! {
            e => enterprise_row(&enterprise, &headquarters), industry_name => industry_name,
            projects => project_rows, project_total_wan => Yuan(project_total).wan_display(),
            chain_links => chain_links, plans => plans.iter().map(|p| plan_row(p, today)).collect::<Vec<_>>(),
            visits => visit_rows, may_view_chains => session.principal.may_view_chains(),
            updated_at => china_time(enterprise.updated_at).format("%Y-%m-%d %H:%M").to_string(),
        },
    )
}
