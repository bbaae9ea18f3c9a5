//! `GET /api/v1/search?q=TEXT[&kind=enterprise|project][&page=P][&limit=N]`: SPEC's global
//! search, `{"items": [{"kind", "id", "name", "code", "region", "region_name", "score"}],
//! "page", "total", "totals": {"enterprise", "project"}}`: the page asked for (N a page,
//! 20 unless given; empty past the last), best match first, only records within the
//! user's scope; `total` counts the matches of the kind asked for on all pages, `totals`
//! those of each kind.

use crate::auth::ApiSession;
use crate::error::WebError;
use crate::query::Query;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use zhaoshang_app::search::{SearchKind, SearchQuery, SearchResults, DEFAULT_LIMIT, MAX_LIMIT};

/// Every parameter as text, so that a malformed one gets a Chinese 400, not a rejection.
#[derive(Deserialize, Default)]
pub struct SearchParams {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub limit: Option<String>,
    pub page: Option<String>,
}

/// The search a request asks for; 400 for an empty text, an unknown kind, a bad limit
/// or page.
pub fn query_of(params: &SearchParams) -> Result<SearchQuery, WebError> {
    let bad = |error: &dyn std::fmt::Display| WebError::bad_request(error.to_string());
    let text = zhaoshang_core::text::keyword(params.q.as_deref())
        .map_err(|e| bad(&e))?
        .ok_or_else(|| WebError::bad_request("缺少搜索内容 q"))?;
    let kind = match params.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => None,
        Some(kind) => Some(SearchKind::parse(kind).map_err(|e| bad(&e))?),
    };
    let limit = match params.limit.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => DEFAULT_LIMIT,
        Some(text) => match text.parse::<usize>() {
            Ok(limit) if (1..=MAX_LIMIT).contains(&limit) => limit,
            _ => return Err(WebError::bad_request(format!("limit 应为 1 至 {MAX_LIMIT} 的整数"))),
        },
    };
    let page = zhaoshang_core::text::page_number(params.page.as_deref()).map_err(|e| bad(&e))?;
    Ok(SearchQuery { text, kind, limit, page })
}

pub async fn search(
    State(state): State<AppState>,
    ApiSession(session): ApiSession,
    Query(params): Query<SearchParams>,
) -> Result<Json<SearchResults>, WebError> {
    let json = |error: zhaoshang_app::AppError| WebError::from(error).as_json();
    state.app.require_search(&session.principal).map_err(json)?;
    let query = query_of(&params).map_err(WebError::as_json)?;
    Ok(Json(state.app.search(&session.principal, &query).await.map_err(json)?))
}
