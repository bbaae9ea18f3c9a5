//! `GET /api/v1/stats/investment?region=&from=&to=[&chain=]`: SPEC.md's metrics object
//! for a scope the user may see.

use crate::auth::ApiSession;
use crate::error::WebError;
use crate::AppState;
use axum::extract::{Query, State};
use axum::Json;
use serde::Deserialize;
use zhaoshang_app::stats::{known_region, parse_date, period, scoped_investment_report};
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
    let json = |e: zhaoshang_app::AppError| WebError::from(e).as_json();
    let region_text = query.region.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let region_text = match (region_text, &session.principal.region) {
        (Some(text), _) => text.to_string(),
        (None, Some(own)) => own.to_string(),
        (None, None) => return Err(WebError::bad_request("缺少参数 region（地区代码）").as_json()),
    };
    let region = known_region(&state.store, &region_text).await.map_err(json)?;
    if !session.principal.may_see_statistics_of(&region) {
        return Err(WebError::forbidden().as_json());
    }
    let from = parse_date(query.from.as_deref().unwrap_or(""), "开始日期 from").map_err(json)?;
    let to = parse_date(query.to.as_deref().unwrap_or(""), "结束日期 to").map_err(json)?;
    let chain = query.chain.as_deref().filter(|c| !c.is_empty());
    let scope = zhaoshang_app::scope::project_scope(&state.store, &session.principal).await.map_err(json)?;
    if chain.is_some_and(|chain| !scope.allows_chain(chain)) {
        return Err(WebError::forbidden().as_json());
    }
    let period = period(from, to).map_err(json)?;
    let report = scoped_investment_report(&state.store, &region, period, chain, &scope).await.map_err(json)?;
    Ok(Json(report))
}
