//! Reference data pages: divisions as a tree, parks, departments, industries.
//! Everyone signed in reads them; only the administrator edits parks and departments.

use crate::auth::PageSession;
use crate::error::{WebError, WebResult};
use crate::pages::non_empty;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::context;
use serde::Deserialize;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::reference::{Department, Park};

#[derive(Deserialize)]
pub struct RegionQuery {
    parent: Option<String>,
}

pub async fn regions(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<RegionQuery>,
) -> WebResult<Html<String>> {
    let parent = non_empty(&query.parent);
    let mut trail = Vec::new();
    let mut cursor = parent.clone();
    while let Some(code) = cursor {
        let region = state.store.region(&code).await?.ok_or_else(|| WebError::not_found("该地区"))?;
        cursor = region.parent_code.clone();
        trail.insert(0, region);
    }
    let children = state.store.region_children(parent.as_deref()).await?;
    let mut rows = Vec::with_capacity(children.len());
    for child in children {
        let below = if child.level < 3 { state.store.region_children(Some(&child.code)).await?.len() } else { 0 };
        rows.push(context! { code => child.code, name => child.name, level => child.level, children => below });
    }
    let relocation = zhaoshang_app::reference_data::in_province_relocation_allowed(&state.store).await?;
    page(
        &session,
        "/reference/regions",
        "regions.html",
        context! { trail => trail, rows => rows, can_edit => session.principal.may_administer(), in_province_relocation => relocation },
    )
}

#[derive(Deserialize)]
pub struct SettingsForm {
    csrf: String,
    /// A checkbox: present when ticked.
    in_province_relocation: Option<String>,
}

/// The administrator's settings (on the divisions page): whether a city's chain target
/// lists may hold enterprises of other regions of the province.
pub async fn save_settings(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Form(form): Form<SettingsForm>,
) -> WebResult<Response> {
    if !session.principal.may_administer() {
        return Err(WebError::forbidden());
    }
    session.check_csrf(&form.csrf)?;
    let allowed = form.in_province_relocation.is_some();
    zhaoshang_app::reference_data::set_in_province_relocation(&state.store, allowed, &session.actor()).await?;
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
    session: &crate::auth::Session,
    edit: Option<i64>,
    form: Option<minijinja::Value>,
    error: Option<String>,
) -> WebResult<Html<String>> {
    let parks = state.store.parks("").await?;
    let mut rows = Vec::with_capacity(parks.len());
    for park in &parks {
        let region_name = state.store.region(&park.region_code).await?.map(|r| r.name);
        rows.push(context! { park => park, region_name => region_name });
    }
    let editing = match edit {
        Some(id) => Some(state.store.park(id).await?.ok_or_else(|| WebError::not_found("该园区"))?),
        None => None,
    };
    let form = form.unwrap_or_else(|| minijinja::Value::from_serialize(&editing));
    page(
        session,
        "/reference/parks",
        "parks.html",
        context! { rows => rows, form => form, can_edit => session.principal.may_administer(), error => error },
    )
}

#[derive(Deserialize, serde::Serialize)]
pub struct ParkForm {
    csrf: String,
    id: Option<i64>,
    name: String,
    region_code: String,
    level: Option<String>,
    leading_industries: Option<String>,
    area_mu: Option<String>,
    description: Option<String>,
}

async fn check_region(state: &AppState, code: &str) -> Result<String, String> {
    let code = RegionCode::parse(code).map_err(|e| e.to_string())?;
    match state.store.region(code.as_str()).await {
        Ok(Some(_)) => Ok(code.to_string()),
        _ => Err(format!("地区代码“{code}”不存在")),
    }
}

pub async fn save_park(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Form(form): Form<ParkForm>,
) -> WebResult<Response> {
    if !session.principal.may_administer() {
        return Err(WebError::forbidden());
    }
    session.check_csrf(&form.csrf)?;
    let mut problems = Vec::new();
    if form.name.trim().is_empty() {
        problems.push("园区名称不能为空".to_string());
    }
    let region = check_region(&state, &form.region_code).await.map_err(|e| problems.push(e)).ok();
    let area = match non_empty(&form.area_mu) {
        None => None,
        Some(text) => text.parse::<i64>().map_err(|_| problems.push(format!("面积“{text}”应为整数亩"))).ok(),
    };
    if problems.is_empty() {
        let park = Park {
            id: form.id.unwrap_or(0),
            name: form.name.trim().to_string(),
            region_code: region.unwrap_or_default(),
            level: form.level.clone().unwrap_or_default(),
            leading_industries: form.leading_industries.clone().unwrap_or_default(),
            area_mu: area,
            description: form.description.clone().unwrap_or_default(),
        };
        match state.store.save_park(&park, &session.actor()).await {
            Ok(_) => return Ok(Redirect::to("/reference/parks").into_response()),
            Err(zhaoshang_store::StoreError::Conflict(message)) => problems.push(message),
            Err(other) => return Err(other.into()),
        }
    }
    let html =
        parks_page(&state, &session, None, Some(minijinja::Value::from_serialize(&form)), Some(problems.join("；")))
            .await?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
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
    session: &crate::auth::Session,
    edit: Option<i64>,
    form: Option<minijinja::Value>,
    error: Option<String>,
) -> WebResult<Html<String>> {
    let departments = state.store.departments().await?;
    let mut rows = Vec::with_capacity(departments.len());
    for department in &departments {
        let region_name = match &department.region_code {
            Some(code) => state.store.region(code).await?.map(|r| r.name),
            None => None,
        };
        rows.push(context! { department => department, region_name => region_name });
    }
    let editing = match edit {
        Some(id) => Some(state.store.department(id).await?.ok_or_else(|| WebError::not_found("该单位"))?),
        None => None,
    };
    let form = form.unwrap_or_else(|| minijinja::Value::from_serialize(&editing));
    page(
        session,
        "/reference/departments",
        "departments.html",
        context! { rows => rows, form => form, can_edit => session.principal.may_administer(), error => error },
    )
}

#[derive(Deserialize, serde::Serialize)]
pub struct DepartmentForm {
    csrf: String,
    id: Option<i64>,
    name: String,
    region_code: Option<String>,
    kind: Option<String>,
}

pub async fn save_department(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Form(form): Form<DepartmentForm>,
) -> WebResult<Response> {
    if !session.principal.may_administer() {
        return Err(WebError::forbidden());
    }
    session.check_csrf(&form.csrf)?;
    let mut problems = Vec::new();
    if form.name.trim().is_empty() {
        problems.push("单位名称不能为空".to_string());
    }
    let region = match non_empty(&form.region_code) {
        None => None,
        Some(code) => check_region(&state, &code).await.map_err(|e| problems.push(e)).ok(),
    };
    if problems.is_empty() {
        let department = Department {
            id: form.id.unwrap_or(0),
            name: form.name.trim().to_string(),
            region_code: region,
            kind: form.kind.clone().unwrap_or_default(),
        };
        match state.store.save_department(&department, &session.actor()).await {
            Ok(_) => return Ok(Redirect::to("/reference/departments").into_response()),
            Err(zhaoshang_store::StoreError::Conflict(message)) => problems.push(message),
            Err(other) => return Err(other.into()),
        }
    }
    let html = departments_page(
        &state,
        &session,
        None,
        Some(minijinja::Value::from_serialize(&form)),
        Some(problems.join("；")),
    )
    .await?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

pub async fn industries(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let industries = state.store.industries().await?;
    page(&session, "/reference/industries", "industries.html", context! { industries => industries })
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
    session: &crate::auth::Session,
    year: Option<i32>,
    lines: Option<String>,
    error: Option<String>,
) -> WebResult<Html<String>> {
    use chrono::Datelike;
    let calendar = state.calendar.get(&state.store).await?;
    let today = zhaoshang_app::calendar::today();
    let last_year = calendar.last_year();
    let year = year.unwrap_or_else(|| today.year());
    let days = calendar.days_of_year(year);
    let rows: Vec<_> = days
        .iter()
        .map(|d| context! { day => d.day.to_string(), weekday => weekday_zh(d.day.weekday()), kind => d.kind.key(), kind_label => d.kind.label(), name => d.name })
        .collect();
    let lines = lines.unwrap_or_else(|| {
        days.iter().map(|d| format!("{} {} {}", d.day, d.kind.label(), d.name)).collect::<Vec<_>>().join("\n")
    });
    page(
        session,
        "/reference/calendar",
        "calendar.html",
        context! {
            year => year, years => calendar.years(), last_year => last_year, held => calendar.holds_year(year),
            rows => rows, lines => lines, error => error, can_edit => session.principal.may_administer(),
            today => today.to_string(), today_working => calendar.is_working_day(today),
        },
    )
}

fn weekday_zh(weekday: chrono::Weekday) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][weekday.num_days_from_monday() as usize]
}

#[derive(Deserialize)]
pub struct NoticeForm {
    csrf: String,
    year: String,
    lines: String,
}

pub async fn save_notice(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Form(form): Form<NoticeForm>,
) -> WebResult<Response> {
    session.check_csrf(&form.csrf)?;
    if !session.principal.may_administer() {
        return Err(WebError::forbidden());
    }
    let Ok(year) = form.year.trim().parse::<i32>() else {
        return Err(WebError::bad_request("年度应为四位数字"));
    };
    let saved = state.calendar.save_notice(&state.store, &session.principal, year, &form.lines, &session.actor()).await;
    match saved {
        Ok(_) => Ok(Redirect::to(&format!("/reference/calendar?year={year}")).into_response()),
        Err(zhaoshang_app::AppError::Invalid(message)) => {
            let html = calendar_page(&state, &session, Some(year), Some(form.lines), Some(message)).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
