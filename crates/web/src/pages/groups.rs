//! 助力小组 pages: the groups a user reads, a group's page (its people, the enterprises
//! it 包抓, the visits to them, the reports it wrote and the plan tasks it owns) and the
//! form that creates or edits a group.

use crate::auth::{CsrfForm, PageSession, Session};
use crate::error::WebResult;
use crate::pages::portal::region_choices;
use crate::pages::work_plans::task_rows;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use minijinja::{context, Value};
use std::collections::HashMap;
use zhaoshang_core::work_plans::FieldErrors;
use zhaoshang_store::groups::Group;

pub fn routes() -> Routes {
    Routes::new()
        .route("/groups", get(list).post(create))
        .route("/groups/new", get(new_form))
        .route("/groups/{id}", get(detail).post(update))
        .route("/groups/{id}/edit", get(edit_form))
}

/// The names of a list, one a line.
fn lines(text: &str) -> Vec<&str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect()
}

fn group_context(group: &Group) -> Value {
    let d = &group.data;
    context! { id => group.id, name => d.name, region => group.region_name, leader => d.leader,
    members => lines(&d.members), experts => lines(&d.experts), entrepreneurs => lines(&d.entrepreneurs),
    enterprise_count => group.enterprise_count }
}

pub async fn list(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let principal = &session.principal;
    let groups: Vec<_> = state.app.group_list(principal).await?.iter().map(group_context).collect();
    let may_create = state.app.work_plan_regions(principal).await.is_ok();
    page(&session, "/groups", "groups/groups.html", context! { groups, may_create })
}

async fn form_page(
    state: &AppState,
    session: &Session,
    group: Option<&Group>,
    values: &HashMap<String, String>,
    errors: &FieldErrors,
) -> WebResult<Html<String>> {
    let regions = if group.is_none() {
        region_choices(&state.app.work_plan_regions(&session.principal).await?)
    } else {
        Vec::new()
    };
    page(
        session,
        "/groups",
        "groups/form.html",
        context! { group => group.map(group_context), regions, values, errors },
    )
}

pub async fn new_form(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let mut values = HashMap::new();
    if let Some(region) = &session.principal.region {
        values.insert("region".to_string(), region.to_string());
    }
    form_page(&state, &session, None, &values, &FieldErrors::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.save_group(&session.principal, &session.actor(), None, &values).await? {
        Ok(id) => Ok(Redirect::to(&format!("/groups/{id}")).into_response()),
        Err(errors) => {
            let html = form_page(&state, &session, None, &values, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    let (group, accounts, enterprises) = state.app.group_for_edit(&session.principal, &id).await?;
    let d = &group.data;
    let values = HashMap::from([
        ("name".to_string(), d.name.clone()),
        ("leader".to_string(), d.leader.clone()),
        ("members".to_string(), d.members.clone()),
        ("experts".to_string(), d.experts.clone()),
        ("entrepreneurs".to_string(), d.entrepreneurs.clone()),
        ("accounts".to_string(), accounts),
        ("enterprises".to_string(), enterprises),
    ]);
    form_page(&state, &session, Some(&group), &values, &FieldErrors::new()).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.save_group(&session.principal, &session.actor(), Some(&id), &values).await? {
        Ok(id) => Ok(Redirect::to(&format!("/groups/{id}")).into_response()),
        Err(errors) => {
            let (group, _, _) = state.app.group_for_edit(&session.principal, &id).await?;
            let html = form_page(&state, &session, Some(&group), &values, &errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

pub async fn detail(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    let view = state.app.group_view(&session.principal, &id).await?;
    let enterprises: Vec<_> = view
        .enterprises
        .iter()
        .map(|e| context! { id => e.id, name => e.name, credit_code => e.credit_code })
        .collect();
    let visits: Vec<_> = view
        .visits
        .iter()
        .map(|v| {
            context! { id => v.id, enterprise => v.data.enterprise, visited_on => v.data.visited_on.to_string(),
            visitor => v.data.visitor, appeals => v.appeal_count }
        })
        .collect();
    let reports: Vec<_> = view
        .reports
        .iter()
        .map(|r| {
            context! { id => r.id, title => r.data.title, researched_on => r.data.researched_on.to_string(),
            suggestions => r.suggestion_count }
        })
        .collect();
    let users: Vec<_> =
        view.users.iter().map(|u| context! { username => u.username, name => u.display_name }).collect();
    page(
        &session,
        "/groups",
        "groups/group.html",
        context! { group => group_context(&view.group), users, enterprises, enterprises_hidden => view.enterprises_hidden, visits, reports,
        tasks => task_rows(&view.tasks, &[]), may_edit => view.may_edit },
    )
}
