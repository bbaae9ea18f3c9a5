//! `GET /api/v1/stats/investment?region=&from=&to=[&chain=]`: SPEC.md's metrics object
//! for a scope the user may see.

use crate::auth::ApiSession;
use crate::error::WebError;
use crate::query::Query;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use zhaoshang_core::metrics::InvestmentReport;

#[derive(Deserialize)]
pub struct InvestmentQuery {
    region: Option<String>,
    from: Option<String>,
    to: Option<String>,
    chain: Option<String>,
}

pub async fn investment(
    State(state): State<AppState>,
    ApiSession(session): ApiSession,
    Query(query): Query<InvestmentQuery>,
) -> Result<Json<InvestmentReport>, WebError> {
    let (from, to) = (query.from.as_deref().unwrap_or(""), query.to.as_deref().unwrap_or(""));
    let report = state
        .app
        .investment_report(&session.principal, query.region.as_deref(), from, to, query.chain.as_deref())
        .await
        .map_err(|e| WebError::from(e).as_json())?;
    Ok(Json(report))
}
