//! 来源归属统计 (issue 18 point 4): the metrics table per source organisation (来源单位)
//! or per source (项目来源) for a region and period of the user's scope, each figure
//! linking to the projects (or the funding records) it counts, a totals row and an
//! XLSX download.

use crate::auth::{urlencode, PageSession};
use crate::error::WebResult;
use crate::pages::dashboard::percent;
use crate::pages::{download, export_format};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use minijinja::context;
use zhaoshang_app::attribution::{attribution_table, key_param, AttributionQuery};
use zhaoshang_core::metrics::InvestmentReport;
use zhaoshang_store::stats::AttributionKey;

pub fn routes() -> Routes {
    Routes::new().route("/chambers/attribution", get(attribution))
}

/// A row's figures as the template shows them.
fn figures(report: &InvestmentReport) -> minijinja::Value {
    context! {
        signed_count => report.signed_count, signed_investment_wan => report.signed_investment_wan,
        over_100m_count => report.over_100m_count, started_count => report.started_count,
        start_rate => percent(report.start_rate), producing_count => report.producing_count,
        completion_rate => percent(report.completion_rate), implementing_count => report.implementing_count,
        implementing_investment_wan => report.implementing_investment_wan, funds_in_place_wan => report.funds_in_place_wan,
        funds_outside_province_wan => report.funds_outside_province_wan, arrival_rate => percent(report.arrival_rate),
        funds_yoy => percent(report.yoy.funds_in_place_wan),
    }
}

pub async fn attribution(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<AttributionQuery>,
) -> WebResult<Response> {
    let report = state.app.attribution(&session.principal, &query).await?;
    let (from, to) = (report.period.from, report.period.to);
    if let Some(format) = export_format(&query.format)? {
        return download(&attribution_table(&report), format, &format!("attribution-{from}-{to}"));
    }
    let (param, label) = key_param(report.key);
    let by = match report.key {
        AttributionKey::SourceOrg => "org",
        AttributionKey::Source => "source",
        AttributionKey::Cadre(key) => key.key(),
    };
    // Every drill-down keeps the page's region and period.
    let scope = format!("region={}&from={from}&to={to}", report.region);
    let rows: Vec<_> = report
        .rows
        .iter()
        .map(|row| {
            context! { name => row.name, chamber_id => row.chamber_id, filter => format!("{param}={}", urlencode(&row.name)),
                       ..figures(&row.report) }
        })
        .collect();
    let html = page(
        &session,
        "/chambers",
        "chambers/attribution.html",
        context! {
            by => by, label => label, rows => rows, total => figures(&report.total), scope => scope,
            region => report.region.as_str(), region_name => report.region_name, from => from.to_string(), to => to.to_string(),
        },
    )?;
    Ok(html.into_response())
}
