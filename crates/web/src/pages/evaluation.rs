//! 市州综合评价: a region's sub-regions ranked for a quarter under an indicator scheme
//! (SPEC's by default), with the previous rank, the awards, each score broken into its
//! indicators and the ranks' robustness to the weights; the quarter as published, beside
//! today's figures when they differ; the table as Excel. The schemes: a list of every
//! version, and the administrator's form that saves the next version of a scheme.

pub mod cadres;

use crate::auth::{CsrfForm, PageSession, Session};
use crate::error::WebResult;
use crate::pages::unprocessable;
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use serde::Deserialize;
use std::collections::HashMap;
use zhaoshang_app::evaluation::{evaluation_table, Evaluation, SchemeVersion};
use zhaoshang_app::exchange::TableFormat;
use zhaoshang_core::calendar::china_time;
use zhaoshang_core::evaluation::scheme::{Direction, Figure, IndicatorRow, Scaling, SchemeErrors, Unit};
use zhaoshang_core::evaluation::{EvaluationItem, IndicatorScore};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::scores::shown_weight;

pub fn routes() -> Routes {
    Routes::new()
        .route("/evaluation", get(evaluation_page))
        .route("/evaluation/download", get(download))
        .route("/evaluation/publish", post(publish))
        .route("/evaluation/schemes", get(schemes).post(save_scheme))
        .route("/evaluation/schemes/new", get(new_scheme))
        .merge(cadres::routes())
}

#[derive(Deserialize, Default)]
pub struct EvaluationQuery {
    pub region: Option<String>,
    pub year: Option<String>,
    pub quarter: Option<String>,
    /// A stored scheme version's id; SPEC's (or the published quarter's) when absent.
    pub scheme: Option<String>,
}

async fn requested(
    state: &AppState,
    session: &Session,
    query: &EvaluationQuery,
) -> WebResult<zhaoshang_app::evaluation::EvaluationView> {
    let (region, year, quarter) = (query.region.as_deref(), query.year.as_deref(), query.quarter.as_deref());
    Ok(state.app.evaluation_for(&session.principal, region, year, quarter, query.scheme.as_deref()).await?)
}

/// An indicator's value as the page shows it: 万元 with two decimals, a count, or a percentage.
fn value_text(part: &IndicatorScore) -> String {
    match (part.value, part.indicator.unit()) {
        (None, _) => "—".into(),
        (Some(v), Unit::Rate) => format!("{:.2}%", v * 100.0),
        (Some(v), Unit::Count) => format!("{v:.0}"),
        (Some(v), Unit::Wan) => Yuan((v * 10_000.0).round() as i64).wan_display(),
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

/// The rows of an evaluation's tables.
fn rows(evaluation: &Evaluation) -> Vec<minijinja::Value> {
    evaluation
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
        .collect()
}

/// A scheme's indicators as the pages list them.
fn indicators(scheme: &SchemeVersion) -> Vec<minijinja::Value> {
    scheme
        .scheme
        .indicators
        .iter()
        .map(|i| {
            context! {
                key => i.figure.key(), label => i.figure.label(), weight => shown_weight(i.weight()),
                direction => i.direction.label(), scaling => i.scaling.label(),
                missing => format!("{}", i.missing_score),
            }
        })
        .collect()
}

fn scheme_choice(scheme: &SchemeVersion) -> minijinja::Value {
    context! { id => scheme.id, label => scheme.label() }
}

pub async fn evaluation_page(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<EvaluationQuery>,
) -> WebResult<Html<String>> {
    let view = requested(&state, &session, &query).await?;
    let evaluation = &view.evaluation;
    let quarter = evaluation.quarter();
    let scheme_param = evaluation.scheme.id.map(|id| format!("&scheme={id}")).unwrap_or_default();
    let figures_query =
        format!("region={}&year={}&quarter={}{scheme_param}", evaluation.region, quarter.year(), quarter.quarter());
    let publication = view.publication.as_ref().map(|p| {
        let changed: Vec<_> = p
            .changed_today
            .iter()
            .map(|item| {
                let published = p.evaluation.items.iter().find(|i| i.region == item.region);
                context! {
                    name => item.name, rank => item.rank, score => format!("{:.2}", item.score),
                    published_rank => published.map(|i| i.rank),
                    published_score => published.map(|i| format!("{:.2}", i.score)),
                }
            })
            .collect();
        context! {
            by => p.published_by, at => china_time(p.published_at).format("%Y-%m-%d %H:%M").to_string(),
            scheme => p.evaluation.scheme.label(), same_scheme => p.evaluation.scheme == evaluation.scheme,
            rows => rows(&p.evaluation), indicators => indicators(&p.evaluation.scheme), changed => changed,
        }
    });
    let finished = quarter.end() < zhaoshang_app::calendar::today();
    page(
        &session,
        "/evaluation",
        "evaluation/evaluation.html",
        context! {
            region => evaluation.region, region_name => evaluation.region_name, year => quarter.year(),
            quarter => quarter.quarter(), quarter_label => quarter.label(),
            from => quarter.year_to_end().from.to_string(), to => quarter.end().to_string(),
            previous_label => quarter.previous().label(), rows => rows(evaluation),
            indicators => indicators(&evaluation.scheme), figures_query => figures_query,
            scheme => scheme_choice(&evaluation.scheme), schemes => view.schemes.iter().map(scheme_choice).collect::<Vec<_>>(),
            publication => publication, may_publish => view.may_publish && finished,
        },
    )
}

/// The page's table as an Excel workbook.
pub async fn download(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<EvaluationQuery>,
) -> WebResult<Response> {
    let evaluation = requested(&state, &session, &query).await?.evaluation;
    let stem = format!("evaluation-{}-{}Q{}", evaluation.region, evaluation.year, evaluation.quarter);
    crate::pages::download(&evaluation_table(&evaluation), TableFormat::Xlsx, &stem)
}

#[derive(Deserialize, Default)]
pub struct PublishForm {
    region: String,
    year: String,
    quarter: String,
    #[serde(default)]
    scheme: String,
}

/// Publishes a finished quarter under the chosen scheme (admin, once per region and quarter).
pub async fn publish(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<PublishForm>,
) -> WebResult<Response> {
    let (region, year, quarter) = (Some(form.region.as_str()), Some(form.year.as_str()), Some(form.quarter.as_str()));
    let scheme = Some(form.scheme.as_str());
    state.app.publish_evaluation(&session.principal, &session.actor(), region, year, quarter, scheme).await?;
    let back = format!("/evaluation?region={}&year={}&quarter={}", form.region, form.year, form.quarter);
    Ok(Redirect::to(&back).into_response())
}

/// Every scheme version with its indicators.
pub async fn schemes(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let schemes: Vec<_> = state
        .app
        .evaluation_schemes(&session.principal)
        .await?
        .iter()
        .map(|s| context! { id => s.id, name => s.name, label => s.label(), version => s.version, indicators => indicators(s) })
        .collect();
    page(
        &session,
        "/evaluation",
        "evaluation/schemes.html",
        context! { schemes, may_edit => session.principal.may_administer() },
    )
}

#[derive(Deserialize, Default)]
pub struct NewSchemeQuery {
    /// The version the form starts from (SPEC's when absent).
    from: Option<String>,
}

/// The form's values of a scheme version: its name and each indicator's fields.
fn form_values(scheme: &SchemeVersion) -> HashMap<String, String> {
    let mut values = HashMap::new();
    if scheme.id.is_some() {
        values.insert("name".to_string(), scheme.name.clone());
    }
    for i in &scheme.scheme.indicators {
        let key = i.figure.key();
        values.insert(format!("weight_{key}"), shown_weight(i.weight()));
        values.insert(format!("direction_{key}"), i.direction.key().to_string());
        values.insert(format!("scaling_{key}"), i.scaling.key().to_string());
        values.insert(format!("missing_{key}"), format!("{}", i.missing_score));
    }
    values
}

async fn scheme_form(
    session: &Session,
    values: &HashMap<String, String>,
    errors: &SchemeErrors,
) -> WebResult<Html<String>> {
    let value = |field: String| values.get(&field).cloned().unwrap_or_default();
    let figures: Vec<_> = Figure::all()
        .into_iter()
        .map(|figure| {
            let key = figure.key();
            let direction = value(format!("direction_{key}"));
            let scaling = value(format!("scaling_{key}"));
            let missing = value(format!("missing_{key}"));
            context! {
                key => key, label => figure.label(), weight => value(format!("weight_{key}")),
                direction => if direction.is_empty() { Direction::Higher.key().to_string() } else { direction },
                scaling => if scaling.is_empty() { Scaling::Efficacy.key().to_string() } else { scaling },
                missing => if missing.is_empty() { "60".to_string() } else { missing },
                errors => errors.rows.get(&key).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let directions: Vec<_> = Direction::ALL.iter().map(|d| context! { key => d.key(), label => d.label() }).collect();
    let scalings: Vec<_> = Scaling::ALL.iter().map(|s| context! { key => s.key(), label => s.label() }).collect();
    page(
        session,
        "/evaluation",
        "evaluation/scheme_form.html",
        context! { name => value("name".to_string()), figures, directions, scalings, errors => errors.fields },
    )
}

/// The form of a new scheme version (admin), filled from the version asked for.
pub async fn new_scheme(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<NewSchemeQuery>,
) -> WebResult<Html<String>> {
    zhaoshang_app::accounts::require_admin(&session.principal)?;
    let from = state.app.evaluation_scheme(&session.principal, query.from.as_deref()).await?;
    scheme_form(&session, &form_values(&from), &SchemeErrors::default()).await
}

/// Saves the form as the next version of its scheme; the form again with its errors (422).
pub async fn save_scheme(
    State(state): State<AppState>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let field = |name: String| values.get(&name).map(String::as_str).unwrap_or_default();
    let keys: Vec<String> = Figure::all().into_iter().map(|figure| figure.key()).collect();
    let rows: Vec<IndicatorRow> = keys
        .iter()
        .map(|key| IndicatorRow {
            figure: key,
            weight: field(format!("weight_{key}")),
            direction: field(format!("direction_{key}")),
            scaling: field(format!("scaling_{key}")),
            missing_score: field(format!("missing_{key}")),
        })
        .collect();
    let name = field("name".to_string());
    match state.app.save_evaluation_scheme(&session.principal, &session.actor(), name, &rows).await? {
        Ok(saved) => {
            Ok(Redirect::to(&format!("/evaluation/schemes#scheme-{}", saved.id.unwrap_or_default())).into_response())
        }
        Err(errors) => Ok(unprocessable(scheme_form(&session, &values, &errors).await?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhaoshang_core::evaluation::scheme::Metric;

    fn part(indicator: Figure, value: Option<f64>) -> IndicatorScore {
        IndicatorScore { indicator, value, scaled: 60.0, contribution: 0.0 }
    }

    #[test]
    fn values_show_in_their_units() {
        assert_eq!(value_text(&part(Figure::Metric(Metric::FundsInPlace), Some(12345.675))), "12,345.68");
        assert_eq!(value_text(&part(Figure::TargetCompletion, Some(0.3963))), "39.63%");
        assert_eq!(value_text(&part(Figure::Metric(Metric::Over100mCount), Some(3.0))), "3");
        assert_eq!(value_text(&part(Figure::Metric(Metric::StartRate), None)), "—");
    }
}
