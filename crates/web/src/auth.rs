//! Sessions, sign-in throttling and CSRF.
//!
//! The cookie holds a random token; the database keeps its SHA-256 with the user,
//! the session's CSRF token and its times. Sessions end after `IDLE` without use or
//! `ABSOLUTE` after sign-in, on sign-out, and when the account is disabled.

use crate::error::WebError;
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Multipart, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::Form;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::net::{IpAddr, SocketAddr};
use zhaoshang_app::accounts::principal_of;
use zhaoshang_core::access::Principal;
use zhaoshang_store::Actor;

pub const COOKIE: &str = "zs_session";
pub use zhaoshang_app::accounts::{SESSION_ABSOLUTE as ABSOLUTE, SESSION_IDLE as IDLE};
/// The inbox badge counts up to this many ("99+" beyond).
pub const INBOX_BADGE_MAX: i64 = 100;

pub use zhaoshang_app::accounts::random_token;

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}")
}

pub fn expired_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, COOKIE)
}

/// The value of the cookie `name` a request carries, when not empty.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
        .filter(|value| !value.is_empty())
}

/// Compares two tokens in constant time.
pub fn same_token(expected: &str, submitted: &str) -> bool {
    let (expected, submitted) = (expected.as_bytes(), submitted.as_bytes());
    expected.len() == submitted.len() && expected.iter().zip(submitted).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// The signed-in user of a request, with the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub principal: Principal,
    pub display_name: String,
    pub csrf_token: String,
    pub token_hash: String,
    /// The user's inbox by colour: the header's badge (read for pages, not for the API).
    pub inbox: zhaoshang_app::inbox::InboxCounts,
}

impl Session {
    pub fn actor(&self) -> Actor {
        Actor::user(self.principal.user_id, &self.principal.username)
    }

    /// Compares a submitted form token with the session's, in constant time.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), WebError> {
        if same_token(&self.csrf_token, submitted) {
            Ok(())
        } else {
            Err(WebError::new(axum::http::StatusCode::FORBIDDEN, "csrf", "表单已过期或来源无效，请刷新页面后重试"))
        }
    }
}

/// Looks up the session of a request; `None` when absent, expired or disabled.
pub async fn load_session(state: &AppState, headers: &HeaderMap) -> Result<Option<Session>, WebError> {
    let Some(token) = cookie_token(headers) else { return Ok(None) };
    let hash = token_hash(&token);
    let Some(live) = state.app.resume_session(&hash).await? else { return Ok(None) };
    Ok(Some(Session {
        principal: principal_of(&live.user),
        display_name: live.user.display_name.clone(),
        csrf_token: live.csrf_token,
        token_hash: hash,
        inbox: Default::default(),
    }))
}

/// Pages: a request without a session is sent to the sign-in page.
pub struct PageSession(pub Session);

/// API: a request without a session answers 401 JSON.
pub struct ApiSession(pub Session);

/// Pages that also serve visitors (sign-in page, public portal).
pub struct MaybeSession(pub Option<Session>);

impl FromRequestParts<AppState> for PageSession {
    type Rejection = axum::response::Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        use axum::response::{IntoResponse, Redirect};
        match load_session(state, &parts.headers).await {
            Ok(Some(mut session)) => {
                match state.app.inbox_counts(&session.principal).await {
                    Ok(counts) => session.inbox = counts,
                    Err(error) => return Err(WebError::from(error).into_response()),
                }
                Ok(PageSession(session))
            }
            Ok(None) => {
                let back = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                let target = format!("/login?next={}", urlencode(back));
                Err(Redirect::to(&target).into_response())
            }
            Err(error) => Err(error.into_response()),
        }
    }
}

impl FromRequestParts<AppState> for ApiSession {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match load_session(state, &parts.headers).await {
            Ok(Some(session)) => Ok(ApiSession(session)),
            Ok(None) => Err(WebError::unauthenticated().as_json()),
            Err(error) => Err(error.as_json()),
        }
    }
}

impl FromRequestParts<AppState> for MaybeSession {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(MaybeSession(load_session(state, &parts.headers).await?))
    }
}

/// A form posted from a page by a signed-in user, its CSRF token (the `csrf` field)
/// compared with the session's: the one way pages take a form. Without a session the
/// request goes to the sign-in page; a malformed form is refused as `Form` refuses it;
/// a missing or wrong token answers 403.
pub struct CsrfForm<T>(pub Session, pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = axum::response::Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let (mut parts, body) = request.into_parts();
        let PageSession(session) = PageSession::from_request_parts(&mut parts, state).await?;
        let (method, headers) = (parts.method.clone(), parts.headers.clone());
        // Read within the body limit, as `Form` reads it; then the form from those bytes.
        let bytes =
            Bytes::from_request(Request::from_parts(parts, body), state).await.map_err(IntoResponse::into_response)?;
        // The token first: a forged form learns nothing of what a good one must hold.
        let submitted = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
            .ok()
            .and_then(|pairs| pairs.into_iter().find(|(key, _)| key == "csrf"))
            .map(|(_, token)| token)
            .unwrap_or_default();
        session.check_csrf(&submitted).map_err(IntoResponse::into_response)?;
        let mut request = Request::new(Body::from(bytes));
        *request.method_mut() = method;
        *request.headers_mut() = headers;
        let Form(form) = Form::<T>::from_request(request, state).await.map_err(IntoResponse::into_response)?;
        Ok(CsrfForm(session, form))
    }
}

/// Whether the client asked for JSON answers (the import page's script does).
pub fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("application/json"))
}

/// A multipart form (an upload) posted from a page by a signed-in user. Its first
/// field must be the `csrf` token, which is checked before any file is read; the
/// handler reads the remaining fields. Refusals come as JSON to clients asking for it.
pub struct CsrfMultipart(pub Session, pub Multipart);

impl FromRequest<AppState> for CsrfMultipart {
    type Rejection = axum::response::Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let (mut parts, body) = request.into_parts();
        let json = wants_json(&parts.headers);
        let refuse = |error: WebError| if json { error.as_json() } else { error }.into_response();
        let PageSession(session) = PageSession::from_request_parts(&mut parts, state).await?;
        let mut multipart = Multipart::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|e| refuse(WebError::bad_request(format!("上传内容无效：{}", e.body_text()))))?;
        let first = multipart.next_field().await.map_err(|e| refuse(unreadable_upload(e)))?;
        let submitted = match first {
            Some(field) if field.name() == Some("csrf") => field.text().await.unwrap_or_default(),
            _ => String::new(),
        };
        session.check_csrf(&submitted).map_err(refuse)?;
        Ok(CsrfMultipart(session, multipart))
    }
}

/// Why a multipart body could not be read, in Chinese: past the route's body limit
/// (413), or malformed (400).
pub fn unreadable_upload(error: axum::extract::multipart::MultipartError) -> WebError {
    use axum::http::StatusCode;
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        WebError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "上传内容过大，超过了允许的大小")
    } else {
        WebError::bad_request(format!("上传内容无效：{}", error.body_text()))
    }
}

/// The client's address when the server knows it (absent in router-level tests).
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip())))
    }
}

/// The cookie a form without a session (sign-in, the portal's enquiry) pairs its token
/// with: sent back only to `path` on this site, unreadable by scripts.
pub fn form_token_cookie(name: &str, path: &str, token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={token}; Path={path}; HttpOnly; SameSite=Strict{secure}")
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Signs in: checks throttling and credentials, creates the session, records the
/// event. Returns the new cookie token.
pub async fn sign_in(
    state: &AppState,
    username: &str,
    password: &str,
    addr: Option<IpAddr>,
) -> Result<(String, Session), WebError> {
    let token = random_token();
    let csrf = random_token();
    let hash = token_hash(&token);
    let user = state.app.start_session(username, password, addr, &hash, &csrf).await?;
    let session = Session {
        principal: principal_of(&user),
        display_name: user.display_name,
        csrf_token: csrf,
        token_hash: hash,
        inbox: Default::default(),
    };
    Ok((token, session))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_and_same_site() {
        let cookie = session_cookie("abc", false);
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"));
        assert!(session_cookie("abc", true).ends_with("; Secure"));
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, "a=1; zs_session=tok; b=2".parse().unwrap());
        assert_eq!(cookie_token(&headers).as_deref(), Some("tok"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        assert_ne!(random_token(), random_token());
        assert_eq!(random_token().len(), 64);
        assert_eq!(token_hash("x"), token_hash("x"));
        assert_ne!(token_hash("x"), "x");
    }
}
