//! S&T achievement pool pages (科技成果转化池): the registry with filters, sort, pages and
//! its download; an achievement with the reviews the user may read; and a year's pool
//! ranked by industry with each achievement's score breakdown and reviewer spread.
//! What each role sees is decided in `app::achievements`; these handlers only render it.

use crate::auth::{CsrfForm, PageSession};
use crate::error::WebError;
use crate::error::WebResult;
use crate::pages::attachments;
use crate::pages::{download, download_bytes, export_format, pager, query_string, XLSX};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::{page, render};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use serde::Deserialize;
use zhaoshang_app::achievements::{AchievementDetail, AchievementQuery, PoolItem, PoolQuery};
use zhaoshang_app::exchange::export::{write_workbook, NumberFormat, TableFormat};
use zhaoshang_app::rounds::{OpenRoundForm, RoundSummary, ScoreForm, SwapForm};
use zhaoshang_core::access::PoolAccess;
use zhaoshang_core::achievements::{Aggregate, Maturity, Ranked, Score, RESAMPLES, STRONG_DISAGREEMENT};
use zhaoshang_core::attachments::OwnerKind;
use zhaoshang_core::calendar::china_time;
use zhaoshang_core::rounds::{transition, RoundAction, RoundStatus};
use zhaoshang_store::achievements::{AchievementSort, ReviewData};

pub const PER_PAGE: i64 = 50;

pub fn routes() -> Routes {
    Routes::new()
        .route("/achievements", get(list))
        .route("/achievements/{code}", get(detail))
        .route("/achievements/{code}/review", post(review))
        .route("/pool", get(pool))
        .route("/pool/published", get(published))
        .route("/pool/rounds", get(rounds).post(open_round))
        .route("/pool/rounds/{year}", get(round))
        .route("/pool/rounds/{year}/assign", post(assign_round))
        .route("/pool/rounds/{year}/close", post(close_round))
        .route("/pool/rounds/{year}/publish", post(publish_round))
        .route("/pool/rounds/{year}/swap", post(swap))
        .route("/pool/rounds/{year}/report", get(round_report))
}

/// A score in hundredths as shown (`87.5`).
fn score(hundredths: i64) -> String {
    Score(hundredths).text()
}

/// An aggregate's figures, two decimals each.
fn figures(aggregate: &Aggregate) -> minijinja::Value {
    let two = |value: f64| format!("{value:.2}");
    context! {
        composite => two(aggregate.composite.rounded_2()), market => two(aggregate.market.rounded_2()),
        economic => two(aggregate.economic.rounded_2()), technical => two(aggregate.technical.rounded_2()),
        spread => two(aggregate.spread.rounded_2()), reviews => aggregate.reviews, counted => aggregate.counted,
        disagrees => aggregate.disagrees_strongly(),
    }
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<AchievementQuery>,
) -> WebResult<Response> {
    let principal = &session.principal;
    if let Some(format) = export_format(&query.format)? {
        let table = state.app.achievement_export(principal, &query).await?;
        return download(&table, format, "achievements");
    }
    let list = state.app.achievement_page(principal, &query, PER_PAGE).await?;
    let rows: Vec<_> = list
        .rows
        .iter()
        .map(|r| {
            let d = &r.data;
            context! {
                code => d.code, title => d.title, institution => d.institution, industry => d.industry, year => d.year,
                maturity => r.maturity, ip => d.ip, composite => r.composite.map(|c| format!("{c:.2}")), in_pool => r.in_pool,
            }
        })
        .collect();
    let maturities: Vec<_> = Maturity::ALL.iter().map(|m| context! { key => m.key(), label => m.label() }).collect();
    let sorts: Vec<_> =
        AchievementSort::ALL.iter().map(|(_, key, label)| context! { key => *key, label => *label }).collect();
    let qs = query_string(&[
        ("year", &query.year),
        ("industry", &query.industry),
        ("institution", &query.institution),
        ("maturity", &query.maturity),
        ("pooled", &query.pooled),
        ("q", &query.q),
        ("sort", &query.sort),
    ]);
    let html = page(
        &session,
        "/achievements",
        "achievements/achievements.html",
        context! {
            rows => rows, total_count => list.total, shows_scores => list.shows_scores,
            may_export => principal.pool_access() == PoolAccess::Manage,
            query => context! { year => query.year, industry => query.industry, institution => query.institution,
                maturity => query.maturity, pooled => query.pooled, q => query.q, sort => list.sort.key() },
            maturities => maturities, sorts => sorts, query_string => qs,
            ..pager(query.page, list.total, PER_PAGE)
        },
    )?;
    Ok(html.into_response())
}

pub async fn detail(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(code): Path<String>,
) -> WebResult<Html<String>> {
    let AchievementDetail { data, maturity, industry_name, reviews, contact, ranked, in_pool, sealed, past_rounds } =
        state.app.achievement_detail(&session.principal, &code).await?;
    let principal = &session.principal;
    let scoring = state.app.scoring_state(principal, &data.code, data.year).await?.map(|own| {
        let own = own.map(
            |(m, e, t, c)| context! { market => score(m), economic => score(e), technical => score(t), comment => c },
        );
        context! { own => own }
    });
    let assigned: Vec<_> = if principal.pool_access() == PoolAccess::Manage {
        state.app.assigned_reviewers(principal, &data.code).await?
    } else {
        Vec::new()
    }
    .iter()
    .map(|r| context! { reviewer => r.reviewer, institution => r.institution, scored => r.scored })
    .collect();
    let review_rows = |reviews: &[ReviewData]| -> Vec<minijinja::Value> {
        reviews
            .iter()
            .map(|r| {
                context! { reviewer => r.reviewer, institution => r.reviewer_institution, market => score(r.market),
                economic => score(r.economic), technical => score(r.technical) }
            })
            .collect()
    };
    let reviews = review_rows(&reviews);
    let ranked_figures = |r: Ranked| context! { rank => r.rank, rank_in_industry => r.rank_in_industry, figures => figures(&r.aggregate) };
    let ranked = ranked.map(ranked_figures);
    let past_rounds: Vec<_> = past_rounds
        .into_iter()
        .map(|p| {
            context! { year => p.year, in_pool => p.in_pool, ranked => p.ranked.map(ranked_figures),
            reviews => review_rows(&p.reviews) }
        })
        .collect();
    let attachments = attachments::section(&state, &session, OwnerKind::Achievement, &data.code).await?;
    page(
        &session,
        "/achievements",
        "achievements/achievement.html",
        context! {
            a => context! { code => data.code, title => data.title, institution => data.institution, industry => data.industry,
                industry_name => industry_name, year => data.year, maturity => maturity, ip => data.ip,
                description => data.description, contact => contact },
            reviews => reviews, ranked => ranked, in_pool => in_pool, sealed => sealed, scoring => scoring, assigned => assigned,
            past_rounds => past_rounds,
            own_reviews_only => session.principal.pool_access() == PoolAccess::OwnReviews, attachments,
        },
    )
}

fn pool_item(item: &PoolItem) -> minijinja::Value {
    let d = &item.data;
    context! {
        code => d.code, title => d.title, institution => d.institution, maturity => Maturity::from_key(&d.maturity).map(Maturity::label).unwrap_or(""),
        ip => d.ip, rank => item.rank, rank_in_industry => item.rank_in_industry, figures => figures(&item.aggregate),
        interval => item.interval.map(|i| format!("{}–{}", i.best, i.worst)), critical => item.critical,
    }
}

pub async fn pool(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<PoolQuery>,
) -> WebResult<Html<String>> {
    let view = state.app.pool_view(&session.principal, &query).await?;
    let p = &view.page;
    let industries: Vec<_> = p
        .industries
        .iter()
        .map(
            |g| context! { code => g.code, name => g.name, items => g.items.iter().map(pool_item).collect::<Vec<_>>() },
        )
        .collect();
    let options: Vec<_> = view.industry_options.iter().map(|(code, name)| context! { code, name }).collect();
    page(
        &session,
        "/pool",
        "achievements/pool.html",
        context! {
            year => p.year, ratio => format!("{}", p.ratio), registered => p.registered, reviewed => p.reviewed,
            selected => p.selected, disagreements => p.disagreements, critical => p.critical, resamples => RESAMPLES,
            industries => industries,
            years => view.years, industry_options => options, threshold => STRONG_DISAGREEMENT,
            query => context! { industry => query.industry, flagged => query.flagged }, sealed => p.sealed, has_report => p.has_report,
            manages => session.principal.pool_access() == PoolAccess::Manage,
        },
    )
}

/// The review rounds (managers): each round's figures and a form to open the next.
pub async fn rounds(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let summaries = state.app.round_summaries(&session.principal).await?;
    let rows: Vec<_> = summaries.iter().map(round_figures).collect();
    page(&session, "/pool", "achievements/rounds.html", context! { rounds => rows })
}

fn round_figures(s: &RoundSummary) -> minijinja::Value {
    context! {
        year => s.round.year, status => s.status.label(), status_key => s.status.key(),
        per_achievement => s.round.per_achievement, registered => s.registered, assigned => s.assigned,
        scored => s.scored, updated_by => s.round.updated_by,
        updated_at => china_time(s.round.updated_at).format("%Y-%m-%d %H:%M").to_string(),
    }
}

pub async fn open_round(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<OpenRoundForm>,
) -> WebResult<Response> {
    let year = state.app.open_round(&session.principal, &session.actor(), &form).await?;
    Ok(Redirect::to(&format!("/pool/rounds/{year}")).into_response())
}

#[derive(Deserialize, Default)]
pub struct RoundQuery {
    /// Achievements left short by the last assignment, as its redirect names them.
    short: Option<String>,
}

pub async fn round(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(year): Path<String>,
    Query(query): Query<RoundQuery>,
) -> WebResult<Html<String>> {
    let view = state.app.round_view(&session.principal, &year).await?;
    let loads: Vec<_> = view.loads.iter().map(|(name, load)| context! { name, load }).collect();
    let actions: Vec<_> = [RoundAction::Assign, RoundAction::Close, RoundAction::Publish]
        .into_iter()
        .filter(|action| transition(view.summary.status, *action, view.summary.scored as usize).is_ok())
        .map(|action| context! { key => action.key(), label => action.label() })
        .collect();
    page(
        &session,
        "/pool",
        "achievements/round.html",
        context! {
            r => round_figures(&view.summary), bound => view.bound, experts => view.experts, loads => loads,
            actions => actions, swappable => view.summary.status == RoundStatus::Scoring,
            short => query.short.as_deref().map(|s| s.split(',').map(str::to_string).collect::<Vec<_>>()),
        },
    )
}

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    /// `xlsx`: the report as a workbook, a sheet per section.
    format: Option<String>,
}

/// A closed round's report (those who read the pool's scores): a printable page, or
/// the same sections as a workbook.
pub async fn round_report(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(year): Path<String>,
    Query(query): Query<ReportQuery>,
) -> WebResult<Response> {
    let report = state.app.round_report(&session.principal, &year).await?;
    match export_format(&query.format)? {
        Some(TableFormat::Xlsx) => {
            let bytes = write_workbook(&report.sections)?;
            Ok(download_bytes(bytes, XLSX, &format!("{}年度科技成果评审报告.xlsx", report.year)))
        }
        Some(TableFormat::Csv) => Err(WebError::bad_request("评审报告有多个部分，请下载 Excel 文件（format=xlsx）")),
        None => {
            let sections: Vec<_> = report
                .sections
                .iter()
                .map(|t| context! { name => t.sheet, title => t.title, headers => t.headers, rows => t.rows, numeric => t.formats.iter().map(|f| *f != NumberFormat::Text).collect::<Vec<_>>() })
                .collect();
            Ok(page(
                &session,
                "/pool",
                "achievements/report.html",
                context! {
                    year => report.year, status => report.status.label(), registered => report.registered,
                    reviewed => report.reviewed, selected => report.selected, sections => sections,
                },
            )?
            .into_response())
        }
    }
}

#[derive(Deserialize, Default)]
pub struct NoFields {}

pub async fn assign_round(
    State(state): State<AppState>,
    Path(year): Path<String>,
    CsrfForm(session, _): CsrfForm<NoFields>,
) -> WebResult<Response> {
    let short = state.app.assign_round(&session.principal, &session.actor(), &year).await?;
    let year = year.trim();
    if short.is_empty() {
        return Ok(Redirect::to(&format!("/pool/rounds/{year}")).into_response());
    }
    let shown: Vec<&str> = short.iter().take(50).map(String::as_str).collect();
    Ok(Redirect::to(&format!("/pool/rounds/{year}?short={}", crate::auth::urlencode(&shown.join(",")))).into_response())
}

async fn advance(
    state: AppState,
    session: crate::auth::Session,
    year: String,
    action: RoundAction,
) -> WebResult<Response> {
    state.app.advance_round(&session.principal, &session.actor(), &year, action).await?;
    Ok(Redirect::to(&format!("/pool/rounds/{}", year.trim())).into_response())
}

pub async fn close_round(
    State(state): State<AppState>,
    Path(year): Path<String>,
    CsrfForm(session, _): CsrfForm<NoFields>,
) -> WebResult<Response> {
    advance(state, session, year, RoundAction::Close).await
}

pub async fn publish_round(
    State(state): State<AppState>,
    Path(year): Path<String>,
    CsrfForm(session, _): CsrfForm<NoFields>,
) -> WebResult<Response> {
    advance(state, session, year, RoundAction::Publish).await
}

pub async fn swap(
    State(state): State<AppState>,
    Path(year): Path<String>,
    CsrfForm(session, form): CsrfForm<SwapForm>,
) -> WebResult<Response> {
    state.app.swap_reviewer(&session.principal, &session.actor(), &year, &form).await?;
    Ok(Redirect::to(&format!("/pool/rounds/{}", year.trim())).into_response())
}

/// A reviewer's scores on an achievement assigned to it; back to the achievement.
pub async fn review(
    State(state): State<AppState>,
    Path(code): Path<String>,
    CsrfForm(session, form): CsrfForm<ScoreForm>,
) -> WebResult<Response> {
    state.app.submit_review(&session.principal, &session.actor(), &code, &form).await?;
    Ok(Redirect::to(&format!("/achievements/{}?saved=1", crate::auth::urlencode(&code))).into_response())
}

#[derive(Deserialize, Default)]
pub struct PublishedQuery {
    year: Option<String>,
}

/// The published pool (public, no sign-in): each published year's selected achievements
/// by industry, with what an investor needs to know of them and no reviewer's score.
pub async fn published(State(state): State<AppState>, Query(query): Query<PublishedQuery>) -> WebResult<Html<String>> {
    let view = state.app.published_pool(query.year.as_deref()).await?;
    let industries: Vec<_> = view
        .industries
        .iter()
        .map(|g| {
            let items: Vec<_> = g
                .items
                .iter()
                .map(|i| {
                    let d = &i.data;
                    context! { code => d.code, title => d.title, institution => d.institution, ip => d.ip,
                    maturity => Maturity::from_key(&d.maturity).map(Maturity::label).unwrap_or(""), rank_in_industry => i.rank_in_industry }
                })
                .collect();
            context! { code => g.code, name => g.name, items => items }
        })
        .collect();
    render(
        "achievements/published.html",
        context! { year => view.year, years => view.years, industries => industries, count => view.count },
    )
}
