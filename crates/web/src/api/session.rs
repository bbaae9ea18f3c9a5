//! `POST /api/v1/session`, `DELETE /api/v1/session`, `GET /api/v1/me`.

use crate::api::json_body;
use crate::auth::{self, ApiSession, ClientAddr};
use crate::error::WebError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct Credentials {
    username: String,
    password: String,
}

fn me_json(session: &auth::Session) -> serde_json::Value {
    let p = &session.principal;
    json!({
        "id": p.user_id,
        "username": p.username,
        "display_name": session.display_name,
        "role": p.role.key(),
        "role_label": p.role.label(),
        "region": p.region.as_ref().map(|r| r.to_string()),
    })
}

pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let credentials: Credentials = json_body(&headers, &body)?;
    let (token, session) =
        auth::sign_in(&state, &credentials.username, &credentials.password, addr).await.map_err(WebError::as_json)?;
    Ok((
        [(header::SET_COOKIE, auth::session_cookie(&token, state.config.secure_cookies))],
        Json(json!({ "user": me_json(&session) })),
    )
        .into_response())
}

pub async fn sign_out(State(state): State<AppState>, ApiSession(session): ApiSession) -> Result<Response, WebError> {
    state.app.end_session(&session.token_hash).await.map_err(|e| WebError::from(e).as_json())?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, auth::expired_cookie(state.config.secure_cookies))])
        .into_response())
}

pub async fn me(ApiSession(session): ApiSession) -> Json<serde_json::Value> {
    Json(me_json(&session))
}
