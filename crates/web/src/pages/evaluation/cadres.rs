//! 以招商引资论英雄: the departments and cadres of a region ranked for a period, each
//! figure's rows behind it on the member's own page (its signed projects, its funding
//! records, its leads with their clocks, a department's appeals in the appeals list); the
//! ranking as a workbook; both pages print landscape as the 综合评价 does.

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
use zhaoshang_app::evaluation::cadres::{cadre_table, CadreQuery, CadreRanking};
use zhaoshang_core::evaluation::cadres::{CadreKey, RankedCadre};
use zhaoshang_core::money::Yuan;

pub fn routes() -> Routes {
    Routes::new().route("/evaluation/cadres", get(ranking)).route("/evaluation/cadres/person", get(person))
}

/// The request's region, period and key, for every link of the pages.
fn scope(ranking: &CadreRanking) -> String {
    let quarter = ranking.quarter.map(|q| q.to_string()).unwrap_or_default();
    format!("by={}&region={}&year={}&quarter={quarter}", ranking.key.key(), ranking.region, ranking.year)
}

/// A member's row as the templates show it.
fn row(item: &RankedCadre) -> minijinja::Value {
    let f = &item.figures;
    let appeals = f.appeals.unwrap_or_default();
    context! {
        rank => item.rank, name => f.name, name_param => urlencode(&f.name), leads => f.leads,
        signed_count => f.signed_count, signed_investment_wan => Yuan(f.signed_investment).wan_string(),
        funds_in_place_wan => Yuan(f.funds_in_place).wan_string(), steps_due => f.clock.due,
        steps_on_time => f.clock.on_time, clock_rate => percent(f.clock.rate()),
        appeals_received => appeals.received, appeals_on_time => appeals.on_time,
        appeals_rate => percent(appeals.on_time_rate()), score => format!("{:.2}", item.shown_score()),
        scaled => item.scaled.iter().map(|s| format!("{s:.2}")).collect::<Vec<_>>(),
    }
}

/// What every page of the ranking shows of its request.
fn heading(ranking: &CadreRanking) -> minijinja::Value {
    let keys: Vec<_> = CadreKey::ALL.iter().map(|k| context! { key => k.key(), label => k.label() }).collect();
    let indicators: Vec<_> = ranking
        .key
        .indicators()
        .iter()
        .filter(|i| ranking.reads_appeals || i.key != "appeals_on_time_rate")
        .map(|i| context! { key => i.key, label => i.label, weight => format!("{:.2}", i.weight) })
        .collect();
    context! {
        by => ranking.key.key(), label => ranking.key.label(), keys => keys, indicators => indicators,
        region => ranking.region.as_str(), region_name => ranking.region_name, year => ranking.year,
        quarter => ranking.quarter, period_label => ranking.period_label(),
        from => ranking.period.from.to_string(), to => ranking.period.to.to_string(),
        reads_appeals => ranking.reads_appeals, scope => scope(ranking),
    }
}

pub async fn ranking(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<CadreQuery>,
) -> WebResult<Response> {
    let ranking = state.app.cadre_ranking(&session.principal, &query).await?;
    if let Some(format) = export_format(&query.format)? {
        let stem = format!("cadres-{}-{}-{}", ranking.key.key(), ranking.region, ranking.period.to);
        return download(&cadre_table(&ranking), format, &stem);
    }
    let rows: Vec<_> = ranking.items.iter().map(row).collect();
    let html = page(&session, "/evaluation", "evaluation/cadres.html", context! { rows => rows, ..heading(&ranking) })?;
    Ok(html.into_response())
}

pub async fn person(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<CadreQuery>,
) -> WebResult<Response> {
    let results = state.app.cadre_results(&session.principal, &query).await?;
    let project = |p: &zhaoshang_store::projects::Project| {
        context! {
            id => p.id, code => p.data.code, name => p.data.name, investor => p.data.investor,
            total_wan => Yuan(p.data.total_investment).wan_string(),
            signed_on => p.data.signed_on.map(|d| d.to_string()).unwrap_or_default(),
        }
    };
    let signed: Vec<_> = results.signed.iter().map(project).collect();
    let funding: Vec<_> = results
        .funding
        .iter()
        .map(|(record, p)| {
            context! {
                date => record.date.to_string(), amount_wan => record.amount.wan_string(),
                source => record.source.label(), project => project(p),
            }
        })
        .collect();
    let leads: Vec<_> = results
        .leads
        .iter()
        .map(|lead| {
            context! {
                lead_on => lead.lead_on.to_string(), lead_id => lead.lead_id, project => project(&lead.project),
                steps_due => lead.clock.due, steps_on_time => lead.clock.on_time,
            }
        })
        .collect();
    let html = page(
        &session,
        "/evaluation",
        "evaluation/cadre.html",
        context! {
            member => row(results.item()), members => results.ranking.items.len(),
            signed => signed, funding => funding, leads => leads, ..heading(&results.ranking)
        },
    )?;
    Ok(html.into_response())
}
