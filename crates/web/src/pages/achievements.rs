//! S&T achievement pool pages (科技成果转化池): the registry with filters, sort, pages and
//! its download; an achievement with the reviews the user may read; and a year's pool
//! ranked by industry with each achievement's score breakdown and reviewer spread.
//! What each role sees is decided in `app::achievements`; these handlers only render it.

use crate::auth::{CsrfForm, PageSession, Session};
use crate::error::WebError;
use crate::error::WebResult;
use crate::pages::attachments;
use crate::pages::{download, download_bytes, export_format, pager, query_string, XLSX};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::{page, render};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use serde::Deserialize;
use std::collections::HashMap;
use zhaoshang_app::achievements::{
    AchievementDetail, AchievementQuery, InstitutionForm, PoolItem, PoolQuery, RegistryQuery,
};
use zhaoshang_app::exchange::export::{write_workbook, NumberFormat, TableFormat};
use zhaoshang_app::exchange::{columns, ImportKind};
use zhaoshang_app::rounds::{OpenRoundForm, RoundSummary, ScoreForm, SwapForm};
use zhaoshang_core::access::PoolAccess;
use zhaoshang_core::achievements::{Aggregate, Maturity, Ranked, Score, RESAMPLES, STRONG_DISAGREEMENT};
use zhaoshang_core::attachments::OwnerKind;
use zhaoshang_core::calendar::china_time;
use zhaoshang_core::rounds::{transition, RoundAction, RoundStatus};
use zhaoshang_store::achievements::{AchievementSort, ReviewData};

pub const PER_PAGE: i64 = 50;

/// The achievement form's fields (keys of the import's columns): label and hint.
const FORM_FIELDS: [(&str, &str, &str); 10] = [
    ("code", "成果编号", "唯一编号，保存后不可修改，如 KJCG-2023-0001"),
    ("title", "成果名称", ""),
    ("institution", "完成单位", "成果所属单位全称"),
    ("institution_credit_code", "完成单位信用代码", "18位统一社会信用代码，可不填；按信用代码识别单位，其次按名称"),
    ("industry", "行业代码", "国民经济行业分类（GB/T 4754）大类代码，如 32"),
    ("year", "登记年度", "如 2023"),
    ("maturity", "成熟度", ""),
    ("ip", "知识产权", "专利、软件著作权等"),
    ("contact", "联系方式", "联系人及电话；仅工作人员可见"),
    ("description", "简介", ""),
];

/// The achievement form (new when `editing` is none) with its values and problems.
fn form_page(
    session: &Session,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
    editing: Option<&str>,
) -> WebResult<Html<String>> {
    let required = |key: &str| columns(ImportKind::Achievements).iter().any(|c| c.key == key && c.required);
    let fields: Vec<_> = FORM_FIELDS
        .iter()
        .filter(|(key, _, _)| editing.is_none() || *key != "code")
        .map(|&(key, label, hint)| {
            context! { key, label, hint, required => required(key),
            value => values.get(key).cloned().unwrap_or_default(), error => errors.get(key) }
        })
        .collect();
    let maturities: Vec<_> = Maturity::ALL.iter().map(|m| context! { key => m.key(), label => m.label() }).collect();
    page(
        session,
        "/achievements",
        "achievements/achievement_form.html",
        context! { fields, maturities, editing, form_error => errors.get("form"), csrf => session.csrf_token },
    )
}

pub async fn new_form(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    state.app.manages_pool(&session.principal)?;
    form_page(&session, &HashMap::new(), &HashMap::new(), None)
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(code): Path<String>,
) -> WebResult<Html<String>> {
    let values = state.app.achievement_form_values(&session.principal, &code).await?;
    form_page(&session, &values, &HashMap::new(), Some(&code))
}

/// Saves the form (new, or the achievement `editing`): to the achievement, or the form
/// again with its problems (422, nothing saved).
async fn save(
    state: &AppState,
    session: &Session,
    editing: Option<&str>,
    values: &HashMap<String, String>,
) -> WebResult<Response> {
    match state.app.save_achievement_form(&session.principal, &session.actor(), editing, values).await? {
        Ok(code) => {
            Ok(Redirect::to(&format!("/achievements/{}?saved=1", crate::auth::urlencode(&code))).into_response())
        }
        Err(errors) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(session, values, &errors, editing)?).into_response())
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    save(&state, &session, None, &values).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(code): Path<String>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    save(&state, &session, Some(&code), &values).await
}

/// The institutions (单位库): a page of them with the add form; again with the add
/// form's values and reason when it was refused (422).
async fn institutions_page(
    state: &AppState,
    session: &Session,
    query: &RegistryQuery,
    refused: Option<(&InstitutionForm, String)>,
) -> WebResult<Html<String>> {
    let principal = &session.principal;
    let (rows, total) = state.app.institution_page(principal, query, PER_PAGE).await?;
    let rows: Vec<_> = rows
        .iter()
        .map(|i| context! { id => i.id, name => i.name, credit_code => i.credit_code, achievements => i.achievements, experts => i.experts })
        .collect();
    let (form, error) = match refused {
        Some((form, error)) => (context! { name => form.name, credit_code => form.credit_code }, Some(error)),
        None => (context! {}, None),
    };
    page(
        session,
        "/achievements",
        "achievements/institutions.html",
        context! {
            rows, total_count => total, q => query.q, query_string => query_string(&[("q", &query.q)]),
            manages => principal.pool_access() == PoolAccess::Manage, form, error, csrf => session.csrf_token,
            ..pager(query.page, total, PER_PAGE)
        },
    )
}

pub async fn institutions(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<RegistryQuery>,
) -> WebResult<Html<String>> {
    institutions_page(&state, &session, &query, None).await
}

pub async fn add_institution(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<InstitutionForm>,
) -> WebResult<Response> {
    match state.app.save_institution(&session.principal, &session.actor(), None, &form).await? {
        Ok(_) => {
            Ok(Redirect::to(&format!("/institutions?q={}", crate::auth::urlencode(form.name.trim()))).into_response())
        }
        Err(error) => {
            let html = institutions_page(&state, &session, &RegistryQuery::default(), Some((&form, error))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

fn institution_page(
    session: &Session,
    id: i64,
    form: &InstitutionForm,
    error: Option<String>,
) -> WebResult<Html<String>> {
    page(
        session,
        "/achievements",
        "achievements/institution_form.html",
        context! { id, name => form.name, credit_code => form.credit_code, error, csrf => session.csrf_token },
    )
}

pub async fn institution_form(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
) -> WebResult<Html<String>> {
    let stored = state.app.institution_for_edit(&session.principal, id).await?;
    institution_page(&session, id, &InstitutionForm { name: stored.name, credit_code: stored.credit_code }, None)
}

pub async fn save_institution(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, form): CsrfForm<InstitutionForm>,
) -> WebResult<Response> {
    match state.app.save_institution(&session.principal, &session.actor(), Some(id), &form).await? {
        Ok(_) => {
            Ok(Redirect::to(&format!("/institutions?q={}", crate::auth::urlencode(form.name.trim()))).into_response())
        }
        Err(error) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, institution_page(&session, id, &form, Some(error))?).into_response())
        }
    }
}

/// The expert pool (专家库): a page of experts with their work in the latest year, or the
/// pool as a download (managers).
pub async fn experts(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<RegistryQuery>,
) -> WebResult<Response> {
    let principal = &session.principal;
    if let Some(format) = export_format(&query.format)? {
        let table = state.app.expert_export(principal).await?;
        return download(&table, format, "experts");
    }
    let list = state.app.expert_page(principal, &query, PER_PAGE).await?;
    let rows: Vec<_> = list
        .rows
        .iter()
        .map(|e| {
            let d = &e.data;
            context! { id => e.id, name => d.name, institution => d.institution, fields => d.fields, account => d.account,
            assignments => e.assignments, reviews => e.reviews }
        })
        .collect();
    let qs = query_string(&[("q", &query.q)]);
    let html = page(
        &session,
        "/achievements",
        "achievements/experts.html",
        context! {
            rows, total_count => list.total, year => list.year, q => query.q, query_string => qs,
            manages => principal.pool_access() == PoolAccess::Manage, ..pager(query.page, list.total, PER_PAGE)
        },
    )?;
    Ok(html.into_response())
}

/// The expert form (new when `editing` is none): the reviewer accounts offered for the link.
async fn expert_page(
    state: &AppState,
    session: &Session,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
    editing: Option<i64>,
) -> WebResult<Html<String>> {
    let accounts = state.app.reviewer_accounts(&session.principal).await?;
    let value = |key: &str| values.get(key).cloned().unwrap_or_default();
    page(
        session,
        "/achievements",
        "achievements/expert_form.html",
        context! {
            editing, accounts, errors, form_error => errors.get("form"), csrf => session.csrf_token,
            v => context! { name => value("name"), institution => value("institution"),
                institution_credit_code => value("institution_credit_code"), fields => value("fields"), account => value("account") },
        },
    )
}

pub async fn new_expert(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    expert_page(&state, &session, &HashMap::new(), &HashMap::new(), None).await
}

pub async fn edit_expert(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
) -> WebResult<Html<String>> {
    let e = state.app.expert_for_edit(&session.principal, id).await?;
    let values: HashMap<String, String> = [
        ("name", e.name),
        ("institution", e.institution),
        ("institution_credit_code", e.institution_credit_code),
        ("fields", e.fields),
        ("account", e.account),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    expert_page(&state, &session, &values, &HashMap::new(), Some(id)).await
}

async fn save_expert(
    state: &AppState,
    session: &Session,
    editing: Option<i64>,
    values: &HashMap<String, String>,
) -> WebResult<Response> {
    match state.app.save_expert_form(&session.principal, &session.actor(), editing, values).await? {
        Ok(_) => {
            let name = values.get("name").map(|n| n.trim()).unwrap_or("");
            let q = if editing.is_some() { String::new() } else { crate::auth::urlencode(name) };
            Ok(Redirect::to(&format!("/experts?q={q}")).into_response())
        }
        Err(errors) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, expert_page(state, session, values, &errors, editing).await?)
                .into_response())
        }
    }
}

pub async fn create_expert(
    State(state): State<AppState>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    save_expert(&state, &session, None, &values).await
}

pub async fn update_expert(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    save_expert(&state, &session, Some(id), &values).await
}

pub fn routes() -> Routes {
    Routes::new()
        .route("/achievements", get(list))
        .route("/achievements/new", get(new_form).post(create))
        .route("/achievements/{code}", get(detail))
        .route("/achievements/{code}/edit", get(edit_form).post(update))
        .route("/achievements/{code}/review", post(review))
        .route("/institutions", get(institutions).post(add_institution))
        .route("/institutions/{id}/edit", get(institution_form).post(save_institution))
        .route("/experts", get(experts))
        .route("/experts/new", get(new_expert).post(create_expert))
        .route("/experts/{id}/edit", get(edit_expert).post(update_expert))
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
            may_export => principal.pool_access() == PoolAccess::Manage, manages => principal.pool_access() == PoolAccess::Manage,
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
            manages => principal.pool_access() == PoolAccess::Manage,
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
