//! 六必访 pages: the visits to enterprises a user reads, the form that records a visit
//! with the problems it raised (each registered as an appeal at once), and a visit's
//! page with the appeals it raised.

use crate::auth::{CsrfForm, PageSession, Session};
use crate::error::WebResult;
use crate::pages::portal::region_choices;
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use minijinja::context;
use serde::Deserialize;
use std::collections::HashMap;
use zhaoshang_core::appeals::{Dimension, CATEGORIES};
use zhaoshang_core::visits::PROBLEM_FIELDS;

pub const PER_PAGE: i64 = 50;

pub fn routes() -> Routes {
    Routes::new()
        .route("/visits", get(list).post(record))
        .route("/visits/new", get(new_form))
        .route("/visits/{id}", get(detail))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<u32>,
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<ListQuery>,
) -> WebResult<Html<String>> {
    let principal = &session.principal;
    let visits = state.app.visit_page(principal, query.page, PER_PAGE).await?;
    let rows: Vec<_> = visits
        .visits
        .iter()
        .map(|v| {
            context! { id => v.id, enterprise => v.data.enterprise, visited_on => v.data.visited_on.to_string(),
            region => visits.region_names.get(&v.data.region_code).cloned().unwrap_or_else(|| v.data.region_code.clone()),
            visitor => v.data.visitor, appeals => v.appeal_count }
        })
        .collect();
    page(
        &session,
        "/visits",
        "visits/visits.html",
        context! { rows, count => visits.count, may_record => principal.may_record_visits(), query_string => "",
        ..crate::pages::pager(query.page, visits.count, PER_PAGE) },
    )
}

async fn form_page(
    state: &AppState,
    session: &Session,
    values: &HashMap<String, String>,
    errors: &HashMap<&str, String>,
) -> WebResult<Html<String>> {
    let regions = state.app.visit_regions(&session.principal).await?;
    let problems: Vec<_> = PROBLEM_FIELDS
        .iter()
        .enumerate()
        .map(|(index, (dimension, category, content))| {
            context! { number => index + 1, dimension, category, content }
        })
        .collect();
    page(
        session,
        "/visits",
        "visits/new.html",
        context! {
            regions => region_choices(&regions), values, errors, problems, categories => CATEGORIES,
            dimensions => Dimension::ALL.iter().map(|d| context! { key => d.key(), label => d.label() }).collect::<Vec<_>>(),
        },
    )
}

pub async fn new_form(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let principal = &session.principal;
    let mut values = HashMap::from([
        ("visited_on".to_string(), zhaoshang_app::calendar::today().to_string()),
        ("visitor".to_string(), session.display_name.clone()),
    ]);
    if let Some(region) = &principal.region {
        values.insert("region".to_string(), region.to_string());
    }
    form_page(&state, &session, &values, &HashMap::new()).await
}

/// Records a visit and its problems, or shows the form again with its errors.
pub async fn record(
    State(state): State<AppState>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.record_visit(&session.principal, &session.actor(), &values).await? {
        Ok(id) => Ok(Redirect::to(&format!("/visits/{id}")).into_response()),
        Err(errors) => {
            let errors: HashMap<&str, String> = errors.into_iter().collect();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(&state, &session, &values, &errors).await?).into_response())
        }
    }
}

pub async fn detail(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    let view = state.app.visit_view(&session.principal, &id).await?;
    let v = &view.visit;
    let appeals: Vec<_> = view
        .appeals
        .iter()
        .map(|a| {
            let dimension = Dimension::parse(&a.data.dimension).map(Dimension::label).unwrap_or("");
            context! { code => a.data.code, dimension, category => a.data.category, content => a.data.content,
            due_on => a.data.due_on.to_string(), answered => a.data.answered_on.is_some(),
            closed => a.data.closed_on.is_some() }
        })
        .collect();
    page(
        &session,
        "/visits",
        "visits/visit.html",
        context! {
            v => context! { id => v.id, enterprise => v.data.enterprise, credit_code => v.data.credit_code,
                region => view.region_name, visited_on => v.data.visited_on.to_string(), visitor => v.data.visitor,
                summary => v.data.summary, recorded_by => v.recorded_by },
            appeals,
        },
    )
}
