//! 市州综合评价: a region's sub-regions ranked for a quarter, with the previous rank,
//! the awards and each score broken into its six indicators; the table as Excel.

use crate::auth::PageSession;
use crate::error::WebResult;
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::State;
use axum::response::{Html, Response};
use axum::routing::get;
use minijinja::context;
use serde::Deserialize;
use zhaoshang_app::evaluation::{evaluation_table, Evaluation};
use zhaoshang_app::exchange::TableFormat;
use zhaoshang_core::evaluation::{EvaluationItem, Indicator, IndicatorScore};
use zhaoshang_core::money::Yuan;

pub fn routes() -> Routes {
    Routes::new().route("/evaluation", get(evaluation_page)).route("/evaluation/download", get(download))
}

#[derive(Deserialize, Default)]
pub struct EvaluationQuery {
    pub region: Option<String>,
    pub year: Option<String>,
    pub quarter: Option<String>,
}

async fn requested(state: &AppState, session: &crate::auth::Session, query: &EvaluationQuery) -> WebResult<Evaluation> {
    let (region, year, quarter) = (query.region.as_deref(), query.year.as_deref(), query.quarter.as_deref());
    Ok(state.app.evaluation_for(&session.principal, region, year, quarter).await?)
}

/// An indicator's value as the page shows it: 万元 with two decimals, a count, or a percentage.
fn value_text(part: &IndicatorScore) -> String {
    match (part.value, part.indicator) {
        (None, _) => "—".into(),
        (Some(v), indicator) if indicator.is_rate() => format!("{:.2}%", v * 100.0),
        (Some(v), Indicator::Over100mCount) => format!("{v:.0}"),
        (Some(v), _) => Yuan((v * 10_000.0).round() as i64).wan_display(),
    }
}

/// "↑2", "↓1" or "—".
fn movement(item: &EvaluationItem) -> (String, &'static str) {
    match item.rise() {
        0 => ("—".into(), "same"),
        rise if rise > 0 => (format!("↑{rise}"), "up"),
        rise => (format!("↓{}", -rise), "down"),
    }
}

pub async fn evaluation_page(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<EvaluationQuery>,
) -> WebResult<Html<String>> {
    let evaluation = requested(&state, &session, &query).await?;
    let quarter = evaluation.quarter();
    let rows: Vec<_> = evaluation
        .items
        .iter()
        .map(|item| {
            let (movement, direction) = movement(item);
            let parts: Vec<_> = item
                .parts
                .iter()
                .map(|part| {
                    context! {
                        value => value_text(part), scaled => format!("{:.2}", part.scaled),
                        contribution => format!("{:.2}", part.contribution),
                    }
                })
                .collect();
            let awards: Vec<&str> = item.awards.iter().map(|award| award.label()).collect();
            let interval = evaluation.intervals.iter().find(|i| i.region == item.region).map(|i| {
                if i.best == i.worst {
                    format!("{}（稳定）", i.best)
                } else {
                    format!("{}–{}（中位 {}）", i.best, i.worst, i.median)
                }
            });
            context! {
                region => item.region, name => item.name, score => format!("{:.2}", item.score),
                rank => item.rank, previous_rank => item.previous_rank, movement => movement,
                direction => direction, awards => awards, parts => parts, interval => interval,
            }
        })
        .collect();
    let indicators: Vec<_> = Indicator::ALL
        .iter()
        .map(|i| context! { label => i.label(), weight => format!("{:.0}%", i.weight() * 100.0) })
        .collect();
    let figures_query = format!("region={}&year={}&quarter={}", evaluation.region, quarter.year(), quarter.quarter());
    page(
        &session,
        "/evaluation",
        "evaluation/evaluation.html",
        context! {
            region => evaluation.region, region_name => evaluation.region_name, year => quarter.year(),
            quarter => quarter.quarter(), quarter_label => quarter.label(),
            from => quarter.year_to_end().from.to_string(), to => quarter.end().to_string(),
            previous_label => quarter.previous().label(), rows => rows, indicators => indicators,
            figures_query => figures_query,
        },
    )
}

/// The page's table as an Excel workbook.
pub async fn download(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<EvaluationQuery>,
) -> WebResult<Response> {
    let evaluation = requested(&state, &session, &query).await?;
    let stem = format!("evaluation-{}-{}Q{}", evaluation.region, evaluation.year, evaluation.quarter);
    crate::pages::download(&evaluation_table(&evaluation), TableFormat::Xlsx, &stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(indicator: Indicator, value: Option<f64>) -> IndicatorScore {
        IndicatorScore { indicator, value, scaled: 60.0, contribution: 0.0 }
    }

    #[test]
    fn values_show_in_their_units() {
        assert_eq!(value_text(&part(Indicator::FundsInPlace, Some(12345.675))), "12,345.68");
        assert_eq!(value_text(&part(Indicator::TargetCompletion, Some(0.3963))), "39.63%");
        assert_eq!(value_text(&part(Indicator::Over100mCount, Some(3.0))), "3");
        assert_eq!(value_text(&part(Indicator::StartRate, None)), "—");
    }
}
