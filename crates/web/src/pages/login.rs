//! Sign-in and sign-out pages.

use crate::auth::{self, ClientAddr, CsrfForm, MaybeSession};
use crate::error::WebResult;
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::render;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Form;
use minijinja::context;
use serde::Deserialize;
use zhaoshang_app::demo::{DEMO_ACCOUNTS, DEMO_PASSWORD};

pub fn routes() -> Routes {
    Routes::new().route("/login", get(form).post(submit)).route("/logout", post(logout))
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct SignInForm {
    username: String,
    password: String,
    next: Option<String>,
    /// The sign-in form's own CSRF token, equal to the `LOGIN_COOKIE` set with the form.
    #[serde(default)]
    csrf: String,
}

/// Only a same-origin path may follow a sign-in (no open redirect): one slash, then no
/// second slash or backslash, and no control character or space anywhere (browsers drop
/// tabs and line breaks from a `Location`, so `/\t/evil.example` would leave the site).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path[1..].starts_with(['/', '\\'])
                && !path.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') =>
        {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

/// Login CSRF: the sign-in form carries a random token that must equal this cookie, set
/// with the form, which another site can neither read nor set.
const LOGIN_COOKIE: &str = "zs_login";

fn login_cookie(token: &str, secure: bool) -> String {
    auth::form_token_cookie(LOGIN_COOKIE, "/login", token, secure)
}

fn login_page(state: &AppState, next: &str, username: &str, error: Option<&str>) -> WebResult<Response> {
    let token = auth::random_token();
    let demo_accounts: Vec<_> = if state.config.demo {
        DEMO_ACCOUNTS
            .iter()
            .map(|a| context! { username => a.username, display_name => a.display_name, role => zhaoshang_core::access::Role::parse(a.role).map(|r| r.label()).unwrap_or("") })
            .collect()
    } else {
        Vec::new()
    };
    let status = if error.is_some() { axum::http::StatusCode::UNAUTHORIZED } else { axum::http::StatusCode::OK };
    let html = render(
        "login.html",
        context! { next => next, username => username, error => error, csrf => token, demo => state.config.demo, demo_accounts => demo_accounts, demo_password => DEMO_PASSWORD },
    )?;
    Ok((status, [(header::SET_COOKIE, login_cookie(&token, state.config.secure_cookies))], html).into_response())
}

pub async fn form(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    Query(query): Query<NextQuery>,
) -> WebResult<Response> {
    let next = safe_next(query.next.as_deref());
    if session.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    login_page(&state, &next, "", None)
}

pub async fn submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> WebResult<Response> {
    let next = safe_next(form.next.as_deref());
    let expected = auth::cookie_value(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !auth::same_token(&expected, &form.csrf) {
        let mut response = login_page(&state, &next, &form.username, Some("登录页面已过期，请重新输入后登录"))?;
        *response.status_mut() = axum::http::StatusCode::FORBIDDEN;
        return Ok(response);
    }
    match auth::sign_in(&state, &form.username, &form.password, addr).await {
        Ok((token, _)) => {
            Ok(([(header::SET_COOKIE, auth::session_cookie(&token, state.config.secure_cookies))], Redirect::to(&next))
                .into_response())
        }
        Err(error) if error.status.is_client_error() => {
            let mut response = login_page(&state, &next, &form.username, Some(&error.message))?;
            *response.status_mut() = error.status;
            Ok(response)
        }
        Err(error) => Err(error),
    }
}

/// Signing out takes nothing but the form's CSRF token.
#[derive(Deserialize)]
pub struct SignOutForm {}

pub async fn logout(
    State(state): State<AppState>,
    CsrfForm(session, SignOutForm {}): CsrfForm<SignOutForm>,
) -> WebResult<Response> {
    state.app.end_session(&session.token_hash).await?;
    Ok(([(header::SET_COOKIE, auth::expired_cookie(state.config.secure_cookies))], Redirect::to("/login"))
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_follow_sign_in() {
        assert_eq!(safe_next(Some("/admin/users")), "/admin/users");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/projects?stage=signed&page=2")), "/projects?stage=signed&page=2");
        for bad in [
            "/\t/evil.example",
            "/\\evil.example",
            "/a\\b",
            "/x\ny",
            "/x\rY",
            "/x\0",
            "/x\u{7f}",
            "/ /evil",
            "",
            "evil",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
    }
}
