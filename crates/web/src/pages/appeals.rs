//! Business-environment appeal pages (营商环境诉求): the filtered list with the figures of
//! `stats appeals` for its region and received period above it, its export, and an
//! appeal's read-only page.

use crate::auth::PageSession;
use crate::error::WebResult;
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
use zhaoshang_app::appeals::AppealQuery;
use zhaoshang_core::appeals::{due_note, AppealReport, AppealStatus, Dimension, Rating};
use zhaoshang_core::calendar::Reckoned;
use zhaoshang_store::appeals::{Appeal, AppealSort};

pub const PER_PAGE: i64 = 50;

pub fn routes() -> Routes {
    Routes::new().route("/appeals", get(list)).route("/appeals/{code}", get(detail))
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
            query_string => qs, ..pager(query.page, list.count, PER_PAGE)
        },
    )?;
    Ok(html.into_response())
}

pub async fn detail(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(code): Path<String>,
) -> WebResult<Html<String>> {
    let appeal = state.app.appeal_in_scope(&session.principal, &code).await?;
    let region_names = state.app.region_names([appeal.data.region_code.clone()]).await?;
    let today = zhaoshang_app::calendar::today();
    page(&session, "/appeals", "appeals/appeal.html", context! { a => appeal_row(&appeal, &region_names, today) })
}
