//! Reference data for signed-in users: division lookups for selectors and imports.

use crate::auth::ApiSession;
use crate::error::WebError;
use crate::query::Query;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct ChildrenQuery {
    parent: Option<String>,
}

pub async fn regions(
    State(state): State<AppState>,
    ApiSession(_): ApiSession,
    Query(query): Query<ChildrenQuery>,
) -> Result<Json<serde_json::Value>, WebError> {
    let items = state
        .app
        .region_children(query.parent.as_deref().filter(|p| !p.is_empty()))
        .await
        .map_err(|e| WebError::from(e).as_json())?;
    Ok(Json(json!({ "items": items })))
}

pub async fn region(
    State(state): State<AppState>,
    ApiSession(_): ApiSession,
    Path(code): Path<String>,
) -> Result<Json<serde_json::Value>, WebError> {
    let region = state.app.region(&code).await.map_err(|e| WebError::from(e).as_json())?;
    region.map(|r| Json(json!(r))).ok_or_else(|| WebError::not_found("该地区").as_json())
}
