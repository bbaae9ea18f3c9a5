//! User administration (admin only): list, create, change role and region, reset
//! password, disable and enable.

use crate::auth::{CsrfForm, PageSession, Session};
use crate::error::{WebError, WebResult};
use crate::pages::non_empty;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use minijinja::context;
use serde::Deserialize;
use zhaoshang_app::accounts::{require_admin, AccountChange, AccountRequest};
use zhaoshang_app::AppError;
use zhaoshang_core::access::Role;

pub fn routes() -> Routes {
    Routes::new()
        .route("/admin/users", get(list).post(create))
        .route("/admin/users/new", get(new_form))
        .route("/admin/users/{id}", get(edit_form).post(update))
}

fn roles() -> Vec<minijinja::Value> {
    Role::ALL.iter().map(|r| context! { key => r.key(), label => r.label() }).collect()
}

pub async fn list(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let users: Vec<_> = state
        .app
        .accounts(&session.principal)
        .await?
        .into_iter()
        .map(|(u, region_name)| {
            let role_label = Role::parse(&u.role).map(|r| r.label()).unwrap_or("");
            context! { id => u.id, username => u.username, display_name => u.display_name, role_label => role_label,
            region_code => u.region_code, region_name => region_name, disabled => u.disabled,
            created_at => zhaoshang_core::calendar::china_time(u.created_at).format("%Y-%m-%d %H:%M").to_string() }
        })
        .collect();
    page(&session, "/admin/users", "admin/users.html", context! { users => users })
}

pub async fn new_form(PageSession(session): PageSession) -> WebResult<Html<String>> {
    require_admin(&session.principal)?;
    page(&session, "/admin/users", "admin/user_form.html", context! { roles => roles(), form => context! {} })
}

#[derive(Deserialize)]
pub struct NewUserForm {
    username: String,
    display_name: Option<String>,
    role: String,
    region: Option<String>,
    chamber: Option<String>,
    password: String,
}

pub async fn create(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<NewUserForm>,
) -> WebResult<Response> {
    require_admin(&session.principal)?;
    let request = AccountRequest {
        username: form.username.clone(),
        display_name: form.display_name.clone().unwrap_or_default(),
        role: form.role.clone(),
        region: non_empty(form.region.as_deref()).map(str::to_string),
        chamber: non_empty(form.chamber.as_deref()).map(str::to_string),
        password: form.password.clone(),
    };
    match state.app.create_account(&request, &session.actor()).await {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(error) => {
            let error = WebError::from(error);
            if error.status.is_server_error() {
                return Err(error);
            }
            let form = context! { username => form.username, display_name => form.display_name, role => form.role,
            region => form.region, chamber => form.chamber };
            let html = page(
                &session,
                "/admin/users",
                "admin/user_form.html",
                context! { roles => roles(), form => form, error => error.message },
            )?;
            Ok((error.status, html).into_response())
        }
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
) -> WebResult<Html<String>> {
    let user = state.app.account(&session.principal, id).await?;
    let chamber = state.app.account_chamber(&user).await?;
    page(
        &session,
        "/admin/users",
        "admin/user_form.html",
        context! { roles => roles(), edit => user, chamber => chamber, form => context! {} },
    )
}

#[derive(Deserialize)]
pub struct UpdateUserForm {
    action: String,
    display_name: Option<String>,
    role: Option<String>,
    region: Option<String>,
    chamber: Option<String>,
    password: Option<String>,
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, form): CsrfForm<UpdateUserForm>,
) -> WebResult<Response> {
    require_admin(&session.principal)?;
    let (role, display_name) = (form.role.unwrap_or_default(), form.display_name.unwrap_or_default());
    let (region, chamber) = (non_empty(form.region.as_deref()), non_empty(form.chamber.as_deref()));
    let change = match form.action.as_str() {
        "role" => AccountChange::Role { role: &role, region, chamber, display_name: &display_name },
        "password" => AccountChange::Password(form.password.as_deref().unwrap_or("")),
        "disable" if id == session.principal.user_id => {
            return refused_update(&state, &session, id, AppError::Invalid("不能停用自己的账号".into())).await
        }
        "disable" => AccountChange::Disabled(true),
        "enable" => AccountChange::Disabled(false),
        _ => return Err(WebError::bad_request("未知的操作")),
    };
    let result = state.app.change_account(id, change, &session.actor()).await;
    match result {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(error) => refused_update(&state, &session, id, error).await,
    }
}

/// The user's page again with the reason a change was refused (a server fault stays one).
async fn refused_update(state: &AppState, session: &Session, id: i64, error: AppError) -> WebResult<Response> {
    let error = WebError::from(error);
    if error.status.is_server_error() {
        return Err(error);
    }
    let user = state.app.account(&session.principal, id).await?;
    let chamber = state.app.account_chamber(&user).await?;
    let html = page(
        session,
        "/admin/users",
        "admin/user_form.html",
        context! { roles => roles(), edit => user, chamber => chamber, form => context! {}, error => error.message },
    )?;
    Ok((error.status, html).into_response())
}
