//! `GET /api/v1/parcels?region=&land_use=&status=&min_area_mu=&max_area_mu=&max_price=&near=LON,LAT&within_km=&limit=`:
//! SPEC's parcel search, `{"items": [{"code", "park", "region", "land_use", "status",
//! "area_mu", "price_wan_per_mu", "plot_ratio", "lon", "lat", "distance_km"?}]}`. Open to
//! visitors, who see the public parcels (可供) only; a signed-in user also those of its
//! scope. With `near`, nearest first by great-circle distance.

use crate::auth::MaybeSession;
use crate::error::WebError;
use crate::query::Query;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use zhaoshang_app::parcels::ParcelResults;
use zhaoshang_core::parcels::SearchParams;

pub async fn parcels(
    State(state): State<AppState>,
    MaybeSession(session): MaybeSession,
    Query(params): Query<SearchParams>,
) -> Result<Json<ParcelResults>, WebError> {
    let principal = session.as_ref().map(|s| &s.principal);
    let results = state.app.parcel_search(principal, &params).await.map_err(|e| WebError::from(e).as_json())?;
    Ok(Json(results))
}
