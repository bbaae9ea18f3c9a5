//! Travel planner pages (出行招商): the list of plans, the form that plans a trip and
//! picks its visits, the printable brief of a plan with its itinerary, its `.ics`
//! calendar file, and the button that turns the trip into an activity.

use crate::auth::{CsrfForm, PageSession, Session};
use crate::error::WebResult;
use crate::pages::{download_bytes, non_empty, pager, query_string};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate};
use minijinja::context;
use std::collections::HashMap;
use zhaoshang_app::travel::{Stop, TravelQuery, PER_PAGE};
use zhaoshang_core::calendar::weekday_label;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::travel::FieldErrors;

pub fn routes() -> Routes {
    Routes::new()
        .route("/travel", get(list).post(create))
        .route("/travel/new", get(new_form))
        .route("/travel/{id}", get(detail).post(update))
        .route("/travel/{id}/edit", get(edit_form))
        .route("/travel/{id}/calendar", get(calendar))
        .route("/travel/{id}/activity", post(to_activity))
}

fn dates(start: NaiveDate, end: NaiveDate) -> String {
    if start == end {
        start.to_string()
    } else {
        format!("{start} 至 {end}")
    }
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<TravelQuery>,
) -> WebResult<Html<String>> {
    let list = state.app.travel_page(&session.principal, &query).await?;
    let name = |code: &str| list.names.get(code).cloned().unwrap_or_else(|| code.to_string());
    let rows: Vec<_> = list
        .rows
        .iter()
        .map(|r| {
            let p = &r.plan;
            context! { id => p.id, leader => p.leader, region => name(&p.region_code), destination => name(&p.destination_code),
            dates => dates(p.start_on, p.end_on), purpose => p.purpose, visits => r.visit_count,
            activity_id => p.activity_id, created_by => p.created_by }
        })
        .collect();
    let regions = state.app.travel_regions(&session.principal).await?;
    let regions: Vec<_> = regions.iter().map(|(code, name)| context! { code, name }).collect();
    let qs = query_string(&[("region", &query.region), ("destination", &query.destination), ("q", &query.q)]);
    page(
        &session,
        "/activities",
        "travel/plans.html",
        context! { rows, total_count => list.count, regions, query => context! { region => query.region,
        destination => query.destination, q => query.q }, query_string => qs, ..pager(Some(list.page), list.count, PER_PAGE) },
    )
}

/// The values of a plan's form, as typed or stored.
type Values = Vec<(String, String)>;

fn value<'a>(values: &'a Values, key: &str) -> &'a str {
    values.iter().find(|(k, _)| k == key).map_or("", |(_, v)| v.as_str())
}

async fn plan_form(
    state: &AppState,
    session: &Session,
    id: Option<i64>,
    values: &Values,
    errors: &FieldErrors,
) -> WebResult<Html<String>> {
    let principal = &session.principal;
    let regions = state.app.travel_regions(principal).await?;
    let regions: Vec<_> = regions.iter().map(|(code, name)| context! { code, name }).collect();
    let stops: Vec<Stop> = match id {
        Some(_) => {
            let destination = match state.app.known_region(value(values, "destination")).await {
                Ok(code) => code.to_string(),
                Err(_) => String::new(),
            };
            state.app.travel_form_stops(principal, value(values, "region"), &destination).await?
        }
        None => Vec::new(),
    };
    let ticked: Vec<&str> = values.iter().filter(|(k, _)| k == "visit").map(|(_, v)| v.as_str()).collect();
    let stops: Vec<_> = stops
        .iter()
        .map(|s| {
            context! { key => s.key, kind => s.kind.label(), name => s.name, place => s.place_name, note => s.note,
            ticked => ticked.contains(&s.key.as_str()), day => value(values, &format!("day:{}", s.key)) }
        })
        .collect();
    let fields: HashMap<&str, &str> = ["leader", "region", "destination", "start_on", "end_on", "purpose"]
        .into_iter()
        .map(|k| (k, value(values, k)))
        .collect();
    page(session, "/activities", "travel/form.html", context! { id, regions, values => fields, stops, errors })
}

fn unprocessable(html: Html<String>) -> Response {
    (StatusCode::UNPROCESSABLE_ENTITY, html).into_response()
}

/// A new plan's form; the query may fill it (`destination`, `start_on`, `end_on`, `leader`).
pub async fn new_form(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<HashMap<String, String>>,
) -> WebResult<Html<String>> {
    let regions = state.app.travel_regions(&session.principal).await?;
    let own = session.principal.region.as_ref().map(|r| r.to_string());
    let region = own.or_else(|| regions.first().map(|(code, _)| code.clone())).unwrap_or_default();
    let mut values: Values = vec![("region".to_string(), region)];
    for key in ["destination", "start_on", "end_on", "leader"] {
        if let Some(v) = non_empty(query.get(key).map(String::as_str)) {
            values.push((key.to_string(), v.to_string()));
        }
    }
    plan_form(&state, &session, None, &values, &FieldErrors::new()).await
}

pub async fn create(State(state): State<AppState>, CsrfForm(session, values): CsrfForm<Values>) -> WebResult<Response> {
    match state.app.save_travel_plan(&session.principal, &session.actor(), None, &values).await? {
        Ok(id) => Ok(Redirect::to(&format!("/travel/{id}")).into_response()),
        Err(errors) => Ok(unprocessable(plan_form(&state, &session, None, &values, &errors).await?)),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    let plan = state.app.travel_plan_in_scope(&session.principal, &id).await?;
    let mut values: Values = vec![
        ("leader".into(), plan.leader.clone()),
        ("region".into(), plan.region_code.clone()),
        ("destination".into(), plan.destination_code.clone()),
        ("start_on".into(), plan.start_on.to_string()),
        ("end_on".into(), plan.end_on.to_string()),
        ("purpose".into(), plan.purpose.clone()),
    ];
    for visit in &plan.visits {
        let key = match (visit.enterprise_id, visit.chamber_id) {
            (Some(id), _) => format!("enterprise:{id}"),
            (_, Some(id)) => format!("chamber:{id}"),
            _ => continue,
        };
        values.push((format!("day:{key}"), visit.visit_on.to_string()));
        values.push(("visit".into(), key));
    }
    plan_form(&state, &session, Some(plan.id), &values, &FieldErrors::new()).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, values): CsrfForm<Values>,
) -> WebResult<Response> {
    match state.app.save_travel_plan(&session.principal, &session.actor(), Some(&id), &values).await? {
        Ok(id) => Ok(Redirect::to(&format!("/travel/{id}")).into_response()),
        Err(errors) => {
            let plan = state.app.travel_plan_in_scope(&session.principal, &id).await?;
            Ok(unprocessable(plan_form(&state, &session, Some(plan.id), &values, &errors).await?))
        }
    }
}

pub async fn detail(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    let brief = state.app.travel_brief(&session.principal, &id).await?;
    let plan = &brief.plan;
    let days: Vec<_> = brief
        .days
        .iter()
        .enumerate()
        .map(|(n, (day, visits))| {
            let visits: Vec<_> = visits
                .iter()
                .map(|v| context! { time => v.time, kind => v.kind.label(), name => v.name, place => v.place_name, note => v.note })
                .collect();
            context! { number => n + 1, date => day.to_string(), weekday => weekday_label(day.weekday()), visits }
        })
        .collect();
    let targets: Vec<_> = brief
        .targets
        .iter()
        .map(|t| {
            let e = &t.enterprise;
            context! { id => e.id, name => e.name, credit_code => e.credit_code, place => t.place_name, tags => e.tags,
            gaps => t.gaps, score => e.base_score, is_target => e.is_target }
        })
        .collect();
    let chambers: Vec<_> = brief
        .chambers
        .iter()
        .map(|c| {
            let d = &c.chamber.data;
            context! { id => c.chamber.id, name => d.name, place => c.place_name, president => d.president,
            contact => d.contact, phone => d.phone, liaisons => c.liaisons.join("、") }
        })
        .collect();
    let projects: Vec<_> = brief
        .projects
        .iter()
        .map(|p| {
            let d = &p.project;
            context! { code => d.code, name => d.name, region => p.region_name, investor => d.investor,
            origin => d.investor_origin, wan => Yuan(d.total_investment).wan_string(), pursuit => p.pursuit.label(),
            signed_on => d.signed_on.map(|d| d.to_string()) }
        })
        .collect();
    let activities: Vec<_> = brief
        .activities
        .iter()
        .map(|a| {
            let when = match (a.start_on, a.end_on) {
                (Some(s), Some(e)) => dates(s, e),
                (Some(s), None) => s.to_string(),
                _ => String::new(),
            };
            context! { id => a.id, name => a.name, kind => a.kind, dates => when, place => a.place, outcome => a.outcome }
        })
        .collect();
    page(
        &session,
        "/activities",
        "travel/plan.html",
        context! { plan => context! { id => plan.id, leader => plan.leader, dates => dates(plan.start_on, plan.end_on),
        purpose => plan.purpose, created_by => plan.created_by, activity_id => plan.activity_id, visits => plan.visits.len() },
        region => brief.region_name, destination => brief.destination_name, days, targets, targets_note => brief.targets_note,
        chambers, projects, activities, may_edit => brief.may_edit, may_record_activity => brief.may_record_activity },
    )
}

/// The plan as an `.ics` calendar file.
pub async fn calendar(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let (title, ics) = state.app.travel_calendar(&session.principal, &id).await?;
    Ok(download_bytes(ics, "text/calendar; charset=utf-8", &format!("{title}.ics")))
}

/// Turns the plan into its activity and opens the activity's form for the outcomes.
pub async fn to_activity(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, _): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let activity = state.app.travel_to_activity(&session.principal, &session.actor(), &id).await?;
    Ok(Redirect::to(&format!("/activities/{activity}/edit")).into_response())
}
