//! Reference data pages: divisions as a tree, parks, departments, industries, the
//! official calendar. Everyone signed in reads them; only the administrator edits parks,
//! departments, the settings and the calendar.

use crate::auth::{CsrfForm, PageSession, Session};
use crate::error::{WebError, WebResult};
use crate::pages::non_empty;
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use serde::Deserialize;
use zhaoshang_app::reference::{DepartmentInput, ParkInput};
use zhaoshang_core::calendar::weekday_label;

pub fn routes() -> Routes {
    Routes::new()
        .route("/reference/regions", get(regions))
        .route("/reference/settings", post(save_settings))
        .route("/reference/parks", get(parks).post(save_park))
        .route("/reference/departments", get(departments).post(save_department))
        .route("/reference/industries", get(industries))
        .route("/reference/calendar", get(calendar).post(save_notice))
}

#[derive(Deserialize)]
pub struct RegionQuery {
    /// The division whose children are listed; empty for the top level (全国), absent
    /// for the user's province.
    parent: Option<String>,
}

pub async fn regions(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<RegionQuery>,
) -> WebResult<Html<String>> {
    let parent = match query.parent.as_deref() {
        None => Some(state.app.default_region(&session.principal).await?.province().to_string()),
        Some(asked) => non_empty(Some(asked)).map(str::to_string),
    };
    let (trail, children) = state.app.region_tree(parent.as_deref()).await?;
    let rows: Vec<_> = children
        .into_iter()
        .map(|row| {
            let child = row.region;
            context! { code => child.code, name => child.name, level => child.level, children => row.children }
        })
        .collect();
    let relocation = state.app.in_province_relocation_allowed().await?;
    page(
        &session,
        "/reference/regions",
        "reference/regions.html",
        context! { trail => trail, rows => rows, can_edit => session.principal.may_administer(), in_province_relocation => relocation },
    )
}

#[derive(Deserialize)]
pub struct SettingsForm {
    /// A checkbox: present when ticked.
    in_province_relocation: Option<String>,
}

/// The administrator's settings (on the divisions page): whether a city's chain target
/// lists may hold enterprises of other regions of the province.
pub async fn save_settings(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<SettingsForm>,
) -> WebResult<Response> {
    let allowed = form.in_province_relocation.is_some();
    state.app.set_in_province_relocation(&session.principal, allowed, &session.actor()).await?;
    Ok(Redirect::to("/reference/regions").into_response())
}

#[derive(Deserialize)]
pub struct EditQuery {
    edit: Option<i64>,
}

pub async fn parks(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<EditQuery>,
) -> WebResult<Html<String>> {
    parks_page(&state, &session, query.edit, None, None).await
}

async fn parks_page(
    state: &AppState,
    session: &Session,
    edit: Option<i64>,
    form: Option<minijinja::Value>,
    error: Option<String>,
) -> WebResult<Html<String>> {
    let (parks, editing) = state.app.parks(edit).await?;
    let rows: Vec<_> =
        parks.iter().map(|(park, region_name)| context! { park => park, region_name => region_name }).collect();
    let form = form.unwrap_or_else(|| minijinja::Value::from_serialize(&editing));
    page(
        session,
        "/reference/parks",
        "reference/parks.html",
        context! { rows => rows, form => form, can_edit => session.principal.may_administer(), error => error },
    )
}

#[derive(Deserialize, serde::Serialize)]
pub struct ParkForm {
    id: Option<i64>,
    name: String,
    region_code: String,
    level: Option<String>,
    leading_industries: Option<String>,
    area_mu: Option<String>,
    description: Option<String>,
}

pub async fn save_park(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<ParkForm>,
) -> WebResult<Response> {
    let input = ParkInput {
        id: form.id,
        name: form.name.clone(),
        region_code: form.region_code.clone(),
        level: form.level.clone(),
        leading_industries: form.leading_industries.clone(),
        area_mu: form.area_mu.clone(),
        description: form.description.clone(),
    };
    match state.app.save_park(&session.principal, &input, &session.actor()).await? {
        Ok(_) => Ok(Redirect::to("/reference/parks").into_response()),
        Err(problems) => {
            let form = Some(minijinja::Value::from_serialize(&form));
            let html = parks_page(&state, &session, None, form, Some(problems)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

pub async fn departments(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<EditQuery>,
) -> WebResult<Html<String>> {
    departments_page(&state, &session, query.edit, None, None).await
}

async fn departments_page(
    state: &AppState,
    session: &Session,
    edit: Option<i64>,
    form: Option<minijinja::Value>,
    error: Option<String>,
) -> WebResult<Html<String>> {
    let (departments, editing) = state.app.departments(edit).await?;
    let rows: Vec<_> = departments
        .iter()
        .map(|(department, region_name)| context! { department => department, region_name => region_name })
        .collect();
    let form = form.unwrap_or_else(|| minijinja::Value::from_serialize(&editing));
    page(
        session,
        "/reference/departments",
        "reference/departments.html",
        context! { rows => rows, form => form, can_edit => session.principal.may_administer(), error => error },
    )
}

#[derive(Deserialize, serde::Serialize)]
pub struct DepartmentForm {
    id: Option<i64>,
    name: String,
    region_code: Option<String>,
    kind: Option<String>,
}

pub async fn save_department(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<DepartmentForm>,
) -> WebResult<Response> {
    let input = DepartmentInput {
        id: form.id,
        name: form.name.clone(),
        region_code: form.region_code.clone(),
        kind: form.kind.clone(),
    };
    match state.app.save_department(&session.principal, &input, &session.actor()).await? {
        Ok(_) => Ok(Redirect::to("/reference/departments").into_response()),
        Err(problems) => {
            let form = Some(minijinja::Value::from_serialize(&form));
            let html = departments_page(&state, &session, None, form, Some(problems)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

pub async fn industries(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let industries = state.app.industries().await?;
    page(&session, "/reference/industries", "reference/industries.html", context! { industries => industries })
}

#[derive(Deserialize)]
pub struct CalendarQuery {
    year: Option<i32>,
}

/// The official calendar: the years whose holiday notices are held, a year's days, and
/// for the administrator a form to enter a year's notice when it is published.
pub async fn calendar(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<CalendarQuery>,
) -> WebResult<Html<String>> {
    calendar_page(&state, &session, query.year, None, None).await
}

async fn calendar_page(
    state: &AppState,
    session: &Session,
    year: Option<i32>,
    lines: Option<String>,
    error: Option<String>,
) -> WebResult<Html<String>> {
    use chrono::Datelike;
    let calendar = state.app.calendar().await?;
    let today = zhaoshang_app::calendar::today();
    let last_year = calendar.last_year();
    let year = year.unwrap_or_else(|| today.year());
    let days = calendar.days_of_year(year);
    let rows: Vec<_> = days
        .iter()
        .map(|d| context! { day => d.day.to_string(), weekday => weekday_label(d.day.weekday()), kind => d.kind.key(), kind_label => d.kind.label(), name => d.name })
        .collect();
    let lines = lines.unwrap_or_else(|| {
        days.iter().map(|d| format!("{} {} {}", d.day, d.kind.label(), d.name)).collect::<Vec<_>>().join("\n")
    });
    page(
        session,
        "/reference/calendar",
        "reference/calendar.html",
        context! {
            year => year, years => calendar.years(), last_year => last_year, held => calendar.holds_year(year),
            rows => rows, lines => lines, error => error, can_edit => session.principal.may_administer(),
            today => today.to_string(), today_working => calendar.is_working_day(today),
        },
    )
}

#[derive(Deserialize)]
pub struct NoticeForm {
    year: String,
    lines: String,
}

pub async fn save_notice(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<NoticeForm>,
) -> WebResult<Response> {
    if !session.principal.may_administer() {
        return Err(WebError::forbidden());
    }
    let Ok(year) = form.year.trim().parse::<i32>() else {
        return Err(WebError::bad_request("年度应为四位数字"));
    };
    let saved = state.app.save_holiday_notice(&session.principal, year, &form.lines, &session.actor()).await;
    match saved {
        Ok(_) => Ok(Redirect::to(&format!("/reference/calendar?year={year}")).into_response()),
        Err(zhaoshang_app::AppError::Invalid(message)) => {
            let html = calendar_page(&state, &session, Some(year), Some(form.lines), Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
