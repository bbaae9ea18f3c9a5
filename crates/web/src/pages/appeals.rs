//! Business-environment appeal pages (营商环境诉求): the filtered list with the figures of
//! `stats appeals` for its region and received period above it, its export, and an
//! appeal's read-only page.

pub mod supervision;

use crate::auth::{CsrfForm, PageSession, Session};
use crate::error::WebResult;
use crate::pages::attachments;
use crate::pages::{download, export_format, pager, query_string, NewRecordQuery};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use std::collections::HashMap;
use zhaoshang_app::appeals::{AppealCourse, AppealQuery, AppealStepForm, CONFIRM_DUPLICATE_FIELD};
use zhaoshang_app::AppError;
use zhaoshang_core::appeals::flow::ActionKind;
use zhaoshang_core::appeals::{
    due_note, AppealCounts, AppealReport, AppealStatus, Dimension, Rating, MIN_RANKED_APPEALS,
};
use zhaoshang_core::attachments::OwnerKind;
use zhaoshang_core::calendar::Reckoned;
use zhaoshang_store::appeals::{Appeal, AppealSort};

pub const PER_PAGE: i64 = 50;

pub fn routes() -> Routes {
    Routes::new()
        .route("/appeals", get(list))
        .route("/appeals", post(register))
        .route("/appeals/new", get(new_form))
        .route("/appeals/figures", get(figures))
        .route(supervision::PATH, get(supervision::page_of_quarter))
        .route("/appeals/supervision/ratings", post(supervision::rate))
        .route("/appeals/supervision/weights", post(supervision::save_weights))
        .route("/appeals/{code}", get(detail))
        .route("/appeals/{code}/steps", post(take_step))
        .route("/appeals/{code}/notice", get(notice))
}

/// The path of an appeal's page (its code as one path segment).
fn appeal_path(code: &str) -> String {
    format!("/appeals/{}", crate::auth::urlencode(code))
}

fn percent(value: Option<f64>) -> String {
    value.map(|v| format!("{:.2}%", v * 100.0)).unwrap_or_else(|| "—".into())
}

fn appeal_row(appeal: &Appeal, region_names: &HashMap<String, String>, today: chrono::NaiveDate) -> minijinja::Value {
    let d = &appeal.data;
    let status = AppealStatus::on(today, d.due_on, d.answered_on, d.closed_on);
    context! {
        code => d.code, enterprise => d.enterprise, credit_code => d.credit_code, region_code => d.region_code,
        region_name => region_names.get(&d.region_code).cloned().unwrap_or_default(),
        dimension => Dimension::parse(&d.dimension).map(|x| x.label()).unwrap_or(""), category => d.category,
        content => d.content, department => d.department, limit_days => d.limit_days,
        received_on => d.received_on.to_string(), due_on => d.due_on.to_string(),
        due_note => due_note(&Reckoned { value: d.due_on, by_weekends_only: d.due_by_weekends_only }),
        answered_on => d.answered_on.map(|x| x.to_string()), closed_on => d.closed_on.map(|x| x.to_string()),
        rating => Rating::parse(&d.rating).map(|r| r.label()).unwrap_or(""),
        status => status.label(), status_key => status.key(),
    }
}

fn report_figures(report: &AppealReport) -> minijinja::Value {
    let dimensions: Vec<_> = report
        .by_dimension
        .0
        .iter()
        .map(|(d, f)| {
            context! { key => d.key(), label => d.label(), received_count => f.received_count,
            on_time_rate => percent(f.on_time_rate), satisfaction_rate => percent(f.satisfaction_rate) }
        })
        .collect();
    context! {
        region => report.region, from => report.from.to_string(), to => report.to.to_string(),
        received_count => report.received_count, answered_count => report.answered_count,
        on_time_count => report.on_time_count, on_time_rate => percent(report.on_time_rate),
        overdue_count => report.overdue_count, resolved_count => report.resolved_count,
        resolution_rate => percent(report.resolution_rate), satisfaction_rate => percent(report.satisfaction_rate),
        dimensions => dimensions,
    }
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<AppealQuery>,
) -> WebResult<Response> {
    let principal = &session.principal;
    if let Some(format) = export_format(&query.format)? {
        let table = state.app.appeal_export(principal, &query).await?;
        return download(&table, format, "appeals");
    }
    let list = state.app.appeal_page(principal, &query, PER_PAGE).await?;
    let rows: Vec<_> = list.appeals.iter().map(|a| appeal_row(a, &list.region_names, list.today)).collect();
    let options = |items: Vec<(&'static str, &'static str)>| {
        items.into_iter().map(|(key, label)| context! { key => key, label => label }).collect::<Vec<_>>()
    };
    let qs = query_string(&[
        ("region", &query.region),
        ("dimension", &query.dimension),
        ("status", &query.status),
        ("from", &query.from),
        ("to", &query.to),
        ("q", &query.q),
        ("sort", &query.sort),
    ]);
    let html = page(
        &session,
        "/appeals",
        "appeals/appeals.html",
        context! {
            rows => rows, count => list.count, report => report_figures(&list.report),
            query => context! { region => query.region, dimension => query.dimension, status => query.status,
                q => query.q, sort => query.sort },
            dimensions => options(Dimension::ALL.iter().map(|d| (d.key(), d.label())).collect()),
            statuses => options(AppealStatus::ALL.iter().map(|s| (s.key(), s.label())).collect()),
            sorts => options(AppealSort::ALL.iter().map(|s| (s.key(), s.label())).collect()),
            query_string => qs, may_register => principal.may_register_appeals(),
            ..pager(query.page, list.count, PER_PAGE)
        },
    )?;
    Ok(html.into_response())
}

pub async fn detail(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(code): Path<String>,
) -> WebResult<Html<String>> {
    detail_page(&state, &session, &code, &AppealStepForm::default(), None).await
}

/// An appeal's course with the names of its region and its steps as the pages show them.
async fn course_of(
    state: &AppState,
    session: &Session,
    code: &str,
) -> WebResult<(AppealCourse, HashMap<String, String>, Vec<minijinja::Value>)> {
    let course = state.app.appeal_course(&session.principal, code).await?;
    let region_names = state.app.region_names([course.appeal.data.region_code.clone()]).await?;
    let steps = course
        .steps
        .iter()
        .map(|s| {
            context! { action => ActionKind::from_key(&s.action).map_or(s.action.as_str(), |k| k.label()),
            done_on => s.done_on.to_string(), detail => s.detail, recorded_by => s.recorded_by }
        })
        .collect();
    Ok((course, region_names, steps))
}

/// The appeal's page: its facts, its course (history, 督办 colour and level) and a form
/// for each step the user may take; `error` says why a step just sent was refused.
async fn detail_page(
    state: &AppState,
    session: &Session,
    code: &str,
    form: &AppealStepForm,
    error: Option<String>,
) -> WebResult<Html<String>> {
    let (course, region_names, steps) = course_of(state, session, code).await?;
    let f = &course.state;
    let flow = context! {
        stage => f.stage.label(), paused_since => f.paused_since.map(|d| d.to_string()),
        paused_days => f.paused_days, extension_days => f.extension_days,
        pending_extension => f.pending_extension, reopened => f.reopened, contested => f.contested,
        assigned_on => f.assigned_on.to_string(),
        light => course.light.map(|l| context! { key => l.key(), label => l.label() }),
        level => course.level.label(), level_key => course.level.key(),
    };
    let actions: Vec<_> = course.actions.iter().map(|k| context! { key => k.key(), label => k.label() }).collect();
    let action_keys: Vec<&str> = course.actions.iter().map(|k| k.key()).collect();
    let attachments = attachments::section(state, session, OwnerKind::Appeal, &course.appeal.data.code).await?;
    page(
        session,
        "/appeals",
        "appeals/appeal.html",
        context! {
            a => appeal_row(&course.appeal, &region_names, course.today), flow => flow, steps => steps,
            contact => course.contact, actions => actions, action_keys => action_keys, form => context! { action => form.action, text => form.text,
                department => form.department, days => form.days, rating => form.rating },
            ratings => Rating::ALL.iter().map(|r| context! { key => r.key(), label => r.label() }).collect::<Vec<_>>(),
            error => error, attachments,
        },
    )
}

pub async fn take_step(
    State(state): State<AppState>,
    Path(code): Path<String>,
    CsrfForm(session, form): CsrfForm<AppealStepForm>,
) -> WebResult<Response> {
    match state.app.take_appeal_step(&session.principal, &session.actor(), &code, &form).await {
        Ok(()) => Ok(Redirect::to(&format!("{}#course", appeal_path(&code))).into_response()),
        Err(AppError::Invalid(message)) => {
            let html = detail_page(&state, &session, &code, &form, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The intake form's fields: (key, label, hint); required as the import requires them.
const INTAKE_FORM: [(&str, &str, &str); 10] = [
    ("code", "诉求编号", "留空则按本地区本年序号自动编号"),
    ("enterprise", "企业名称", "与企业库匹配：填写统一社会信用代码或全称"),
    ("credit_code", "统一社会信用代码", ""),
    ("region", "所属地区", ""),
    ("dimension", "诉求维度", ""),
    ("category", "诉求类别", "如 市场监管、纳税服务、政策支持、要素保障、审批服务、融资"),
    ("content", "诉求内容", ""),
    ("received_on", "受理日期", "留空为今天"),
    ("department", "承办单位", ""),
    ("limit_days", "办理时限（工作日）", "默认 5 个工作日"),
];

use zhaoshang_core::appeals::CATEGORIES;

fn intake_page(
    session: &Session,
    values: &HashMap<String, String>,
    errors: &HashMap<String, String>,
) -> WebResult<Html<String>> {
    let columns = zhaoshang_app::exchange::columns(zhaoshang_app::exchange::ImportKind::Appeals);
    let required = |key: &str| columns.iter().any(|c| c.key == key && c.required) && key != "code";
    let fields: Vec<_> = INTAKE_FORM
        .iter()
        .map(|&(key, label, hint)| context! { key, label, hint, required => required(key) })
        .collect();
    page(
        session,
        "/appeals",
        "appeals/new.html",
        context! {
            fields => fields, values => values, errors => errors, categories => CATEGORIES,
            dimensions => Dimension::ALL.iter().map(|d| context! { key => d.key(), label => d.label() }).collect::<Vec<_>>(),
            ask_duplicate => errors.get("enterprise").is_some_and(|e| e.contains("仍然登记")),
            confirm_field => CONFIRM_DUPLICATE_FIELD,
        },
    )
}

pub async fn new_form(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<NewRecordQuery>,
) -> WebResult<Html<String>> {
    let principal = &session.principal;
    if !principal.may_register_appeals() {
        return Err(crate::error::WebError::forbidden());
    }
    let values = match query.region_or_own(principal) {
        Some(region) => state.app.appeal_intake_defaults(principal, &region).await?,
        None => HashMap::from([("received_on".to_string(), zhaoshang_app::calendar::today().to_string())]),
    };
    intake_page(&session, &values, &HashMap::new())
}

/// Registers an appeal from the intake form (受理), or shows the form again with its errors.
pub async fn register(
    State(state): State<AppState>,
    CsrfForm(session, mut values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.register_appeal(&session.principal, &session.actor(), &mut values).await? {
        Ok(code) => Ok(Redirect::to(&appeal_path(&code)).into_response()),
        Err(errors) => Ok((StatusCode::UNPROCESSABLE_ENTITY, intake_page(&session, &values, &errors)?).into_response()),
    }
}

/// One row of a figures table: its key (for the drill-down), label and rates.
fn figures_row(key: &str, label: &str, c: &AppealCounts) -> minijinja::Value {
    context! {
        key, label, received => c.received, overdue => c.overdue, on_time_rate => percent(c.on_time_rate()),
        resolution_rate => percent(c.resolution_rate()), satisfaction_rate => percent(c.satisfaction_rate()),
    }
}

/// The appeals' figures by department (ranked), category, sub-region and month, each
/// row leading to the appeals behind it.
pub async fn figures(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<AppealQuery>,
) -> WebResult<Html<String>> {
    let figures = state.app.appeal_figures(&session.principal, &query).await?;
    let report = report_figures(&figures.report);
    let rows = |rows: &[(String, AppealCounts)]| -> Vec<minijinja::Value> {
        rows.iter().map(|(key, c)| figures_row(key, key, c)).collect()
    };
    let departments: Vec<_> = figures
        .departments
        .iter()
        .map(|d| context! { rank => d.rank, ..figures_row(&d.department, &d.department, &d.counts) })
        .collect();
    let by_region: Vec<_> = figures
        .by_region
        .iter()
        .map(|(code, c)| figures_row(code, figures.region_names.get(code).map_or(code.as_str(), String::as_str), c))
        .collect();
    let period_query = query_string(&[
        ("region", &Some(figures.report.region.clone())),
        ("dimension", &query.dimension),
        ("from", &Some(figures.report.from.to_string())),
        ("to", &Some(figures.report.to.to_string())),
    ]);
    page(
        &session,
        "/appeals",
        "appeals/figures.html",
        context! {
            report => report, departments => departments, by_category => rows(&figures.by_category),
            by_region => by_region, by_month => rows(&figures.by_month), min_ranked => MIN_RANKED_APPEALS,
            period_query => period_query,
            query => context! { region => query.region, dimension => query.dimension },
            dimensions => Dimension::ALL.iter().map(|d| context! { key => d.key(), label => d.label() }).collect::<Vec<_>>(),
        },
    )
}

/// The 督办单 of an appeal: a printable notice to its department with the appeal, its
/// due date, how late it is, the level it has reached and its course so far.
pub async fn notice(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(code): Path<String>,
) -> WebResult<Html<String>> {
    let (course, region_names, steps) = course_of(&state, &session, &code).await?;
    page(
        &session,
        "/appeals",
        "appeals/notice.html",
        context! {
            a => appeal_row(&course.appeal, &region_names, course.today), steps => steps,
            today => course.today.to_string(), days_late => course.days_late, level => course.level.label(),
            light => course.light.map(|l| l.label()), stage => course.state.stage.label(),
        },
    )
}
