//! User administration (admin only): list, create, change role and region, reset
//! password, disable and enable.

use crate::auth::PageSession;
use crate::error::{WebError, WebResult};
use crate::pages::non_empty;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use minijinja::context;
use serde::Deserialize;
use zhaoshang_app::accounts::{self, AccountRequest};
use zhaoshang_core::access::Role;

fn require_admin(session: &crate::auth::Session) -> WebResult<()> {
    if session.principal.may_administer() {
        Ok(())
    } else {
        Err(WebError::forbidden())
    }
}

fn roles() -> Vec<minijinja::Value> {
    Role::ALL.iter().map(|r| context! { key => r.key(), label => r.label() }).collect()
}

async fn region_names(state: &AppState) -> WebResult<std::collections::HashMap<String, String>> {
    let mut names = std::collections::HashMap::new();
    for user in state.store.users().await? {
        if let Some(code) = user.region_code {
            if let Some(region) = state.store.region(&code).await? {
                names.insert(code, region.name);
            }
        }
    }
    Ok(names)
}

pub async fn list(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    require_admin(&session)?;
    let names = region_names(&state).await?;
    let users: Vec<_> = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| {
            let role_label = Role::parse(&u.role).map(|r| r.label()).unwrap_or("");
            let region_name = u.region_code.as_ref().and_then(|c| names.get(c)).cloned();
            context! { id => u.id, username => u.username, display_name => u.display_name, role_label => role_label,
            region_code => u.region_code, region_name => region_name, disabled => u.disabled,
            created_at => u.created_at.format("%Y-%m-%d %H:%M").to_string() }
        })
        .collect();
    page(&session, "/admin/users", "users.html", context! { users => users })
}

pub async fn new_form(PageSession(session): PageSession) -> WebResult<Html<String>> {
    require_admin(&session)?;
    page(&session, "/admin/users", "user_form.html", context! { roles => roles(), form => context! {} })
}

#[derive(Deserialize)]
pub struct NewUserForm {
    csrf: String,
    username: String,
    display_name: Option<String>,
    role: String,
    region: Option<String>,
    password: String,
}

pub async fn create(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Form(form): Form<NewUserForm>,
) -> WebResult<Response> {
    require_admin(&session)?;
    session.check_csrf(&form.csrf)?;
    let request = AccountRequest {
        username: form.username.clone(),
        display_name: form.display_name.clone().unwrap_or_default(),
        role: form.role.clone(),
        region: non_empty(&form.region),
        password: form.password.clone(),
    };
    match accounts::create_account(&state.store, &request, &session.actor()).await {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(error) => {
            let error = WebError::from(error);
            if error.status.is_server_error() {
                return Err(error);
            }
            let form = context! { username => form.username, display_name => form.display_name, role => form.role, region => form.region };
            let html = page(
                &session,
                "/admin/users",
                "user_form.html",
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
    require_admin(&session)?;
    let user = state.store.user_by_id(id).await?.ok_or_else(|| WebError::not_found("该用户"))?;
    page(&session, "/admin/users", "user_form.html", context! { roles => roles(), edit => user, form => context! {} })
}

#[derive(Deserialize)]
pub struct UpdateUserForm {
    csrf: String,
    action: String,
    display_name: Option<String>,
    role: Option<String>,
    region: Option<String>,
    password: Option<String>,
}

pub async fn update(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
    Form(form): Form<UpdateUserForm>,
) -> WebResult<Response> {
    require_admin(&session)?;
    session.check_csrf(&form.csrf)?;
    let actor = session.actor();
    let result = match form.action.as_str() {
        "role" => {
            let role = form.role.clone().unwrap_or_default();
            let display_name = form.display_name.clone().unwrap_or_default();
            accounts::set_role(&state.store, id, &role, non_empty(&form.region).as_deref(), &display_name, &actor).await
        }
        "password" => accounts::set_password(&state.store, id, form.password.as_deref().unwrap_or(""), &actor).await,
        "disable" if id == session.principal.user_id => {
            Err(zhaoshang_app::AppError::Invalid("不能停用自己的账号".into()))
        }
        "disable" => accounts::set_disabled(&state.store, id, true, &actor).await,
        "enable" => accounts::set_disabled(&state.store, id, false, &actor).await,
        _ => return Err(WebError::bad_request("未知的操作")),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(error) => {
            let error = WebError::from(error);
            if error.status.is_server_error() {
                return Err(error);
            }
            let user = state.store.user_by_id(id).await?.ok_or_else(|| WebError::not_found("该用户"))?;
            let html = page(
                &session,
                "/admin/users",
                "user_form.html",
                context! { roles => roles(), edit => user, form => context! {}, error => error.message },
            )?;
            Ok((error.status, html).into_response())
        }
    }
}
