//! 营商环境监督评价 pages: a quarter's table of cities × dimensions with each index's
//! explanation, the overall index, rank and trend; a member's rating form; the
//! administrator's weights form and their versions.

use crate::auth::{CsrfForm, PageSession};
use crate::error::WebResult;
use crate::query::Query;
use crate::templates::page;
use crate::AppState;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use zhaoshang_app::appeals::supervision::RatingForm;
use zhaoshang_core::appeals::supervision::{RegionScore, Weights, WEIGHT_FIELDS};
use zhaoshang_core::appeals::Dimension;
use zhaoshang_core::calendar::china_time;
use zhaoshang_core::scores::{round_half_up, shown_weight, WEIGHT_UNITS};

pub const PATH: &str = "/appeals/supervision";

#[derive(Deserialize, Default)]
pub struct QuarterQuery {
    year: Option<String>,
    quarter: Option<String>,
}

fn shown(score: Option<f64>) -> Option<String> {
    score.map(|value| format!("{:.2}", round_half_up(value, 2)))
}

fn score_row(score: &RegionScore, weights: &Weights) -> minijinja::Value {
    let dimensions: Vec<_> = score
        .dimensions
        .iter()
        .map(|d| context! { key => d.dimension.key(), index => shown(d.index), explanation => d.explanation(weights) })
        .collect();
    context! {
        region => score.region, name => score.name, dimensions => dimensions, overall => shown(score.overall),
        overall_explanation => score.overall_explanation(), rank => score.rank, previous_rank => score.previous_rank,
        trend => score.trend().map(|t| format!("{:+.2}", round_half_up(t, 2))),
    }
}

pub async fn page_of_quarter(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<QuarterQuery>,
) -> WebResult<Html<String>> {
    let principal = &session.principal;
    let view = state.app.supervision_page(principal, query.year.as_deref(), query.quarter.as_deref()).await?;
    let rows: Vec<_> = view.scores.iter().map(|score| score_row(score, &view.weights)).collect();
    let dimensions: Vec<_> = Dimension::ALL.iter().map(|d| context! { key => d.key(), label => d.label() }).collect();
    let weights: Vec<_> = WEIGHT_FIELDS
        .iter()
        .zip(view.weights.units())
        .map(
            |((key, label), units)| context! { key, label, weight => shown_weight(units as f64 / WEIGHT_UNITS as f64) },
        )
        .collect();
    let versions: Vec<_> = view
        .versions
        .iter()
        .map(|v| {
            context! { id => v.id, weights => Weights::from_units(v.units).describe(), by => v.created_by,
            at => china_time(v.created_at).format("%Y-%m-%d %H:%M").to_string(),
            in_force => Some(v.id) == view.weights_version }
        })
        .collect();
    let own_ratings: Vec<_> = view
        .own_ratings
        .iter()
        .map(|r| {
            let region_name = view.cities.iter().find(|(code, _)| *code == r.region_code).map(|(_, name)| name.clone());
            context! { region => region_name.unwrap_or_else(|| r.region_code.clone()),
            dimension => Dimension::parse(&r.dimension).map(|d| d.label()).unwrap_or(""),
            score => r.score, comment => r.comment }
        })
        .collect();
    let cities: Vec<_> = view.cities.iter().map(|(code, name)| context! { code, name }).collect();
    let quarter = view.quarter;
    page(
        &session,
        PATH,
        "appeals/supervision.html",
        context! {
            year => quarter.year(), quarter => quarter.quarter(), label => quarter.label(),
            rows => rows, dimensions => dimensions, weights => weights, versions => versions,
            ranked_count => view.ranked_count, whole_province => view.scores.len() == view.cities.len(),
            cities => cities, own_ratings => own_ratings,
            may_rate => principal.may_rate_supervision(), may_administer => principal.may_administer(),
        },
    )
}

fn back_to(year: &str, quarter: &str) -> String {
    format!("{PATH}?year={}&quarter={}", crate::auth::urlencode(year.trim()), crate::auth::urlencode(quarter.trim()))
}

/// A member's rating of a city's dimension; back to the quarter's page.
pub async fn rate(State(state): State<AppState>, CsrfForm(session, form): CsrfForm<RatingForm>) -> WebResult<Response> {
    state.app.rate_supervision(&session.principal, &session.actor(), &form).await?;
    Ok(Redirect::to(&back_to(&form.year, &form.quarter)).into_response())
}

#[derive(Deserialize, Default)]
pub struct WeightsForm {
    on_time_rate: String,
    satisfaction_rate: String,
    answer_days: String,
    reopen_rate: String,
    quantitative: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    quarter: String,
}

/// New weights (admin): a new version in force from now; back to the quarter's page.
pub async fn save_weights(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<WeightsForm>,
) -> WebResult<Response> {
    let typed = [
        form.on_time_rate.as_str(),
        form.satisfaction_rate.as_str(),
        form.answer_days.as_str(),
        form.reopen_rate.as_str(),
        form.quantitative.as_str(),
    ];
    state.app.set_supervision_weights(&session.principal, &session.actor(), typed).await?;
    Ok(Redirect::to(&back_to(&form.year, &form.quarter)).into_response())
}
