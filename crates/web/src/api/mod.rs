//! The JSON API (`/api/v1`): errors are `{"error": code, "message": 中文}`; 401
//! without a session, 403 outside the user's scope; bad bodies get 4xx, never 5xx.

pub mod chains;
pub mod parcels;
pub mod reference;
pub mod search;
pub mod session;
pub mod stats;

use crate::error::WebError;
use crate::routes::Routes;
use axum::http::{header, HeaderMap};
use axum::routing::{get, post};
use serde::de::DeserializeOwned;

pub fn routes() -> Routes {
    Routes::new()
        .route("/session", post(session::sign_in).delete(session::sign_out))
        .route("/me", get(session::me))
        .route("/regions", get(reference::regions))
        .route("/regions/{code}", get(reference::region))
        .route("/stats/investment", get(stats::investment))
        .route("/search", get(search::search))
        .route("/chains/{id}/nodes/{node_id}", get(chains::node))
        .route("/parcels", get(parcels::parcels))
        .fallback(|| async { WebError::not_found("该接口").as_json() })
}

/// Parses a JSON body, answering 415 without a JSON content type (which also keeps
/// cross-site form posts out) and 400 for malformed JSON.
pub fn json_body<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, WebError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim_start().to_ascii_lowercase().starts_with("application/json"))
        .unwrap_or(false);
    if !is_json {
        return Err(WebError::new(
            axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请求体须为 JSON（Content-Type: application/json）",
        )
        .as_json());
    }
    serde_json::from_slice(body).map_err(|e| WebError::bad_request(format!("请求体不是有效的 JSON：{e}")).as_json())
}
