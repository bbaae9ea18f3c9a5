//! `GET /api/v1/chains/{id}/nodes/{node_id}`: what the chain map's side panel shows of one
//! node — its gap status, the enterprises and projects on it that the user may read, and
//! the ranked target enterprises (any chain viewer sees those: they lie outside the region).

use crate::auth::ApiSession;
use crate::error::{WebError, WebResult};
use crate::query::Query;
use crate::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use zhaoshang_app::chains::MapQuery;
use zhaoshang_core::chains::LinkRole;
use zhaoshang_core::enterprises::Tags;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::Stage;

#[derive(Deserialize)]
pub struct NodeQuery {
    #[serde(flatten)]
    map: MapQuery,
    limit: Option<String>,
}

fn tag_labels(tags: &str, stock_code: &str) -> Vec<&'static str> {
    Tags::from_stored(tags, stock_code).tags().iter().map(|tag| tag.label()).collect()
}

fn wan(yuan: Option<i64>) -> Option<String> {
    yuan.map(|y| Yuan(y).wan_display())
}

pub async fn node(
    State(state): State<AppState>,
    ApiSession(session): ApiSession,
    Path((chain_id, node_id)): Path<(i64, i64)>,
    Query(query): Query<NodeQuery>,
) -> WebResult<Json<Value>> {
    answer(&state, &session, chain_id, node_id, &query).await.map_err(WebError::as_json)
}

async fn answer(
    state: &AppState,
    session: &crate::auth::Session,
    chain_id: i64,
    node_id: i64,
    query: &NodeQuery,
) -> WebResult<Json<Value>> {
    let panel = state.app.node_panel(&session.principal, chain_id, node_id, &query.map, query.limit.as_deref()).await?;
    let enterprises: Vec<Value> = panel
        .enterprises
        .iter()
        .map(|e| {
            json!({ "id": e.enterprise_id, "name": e.name, "credit_code": e.credit_code, "region_code": e.region_code,
                    "role": e.role, "role_label": LinkRole::parse(&e.role).map_or("", LinkRole::label),
                    "tags": tag_labels(&e.tags, ""), "revenue_wan": wan(e.revenue) })
        })
        .collect();
    let projects: Vec<Value> = panel
        .projects
        .iter()
        .map(|p| {
            json!({ "id": p.id, "code": p.code, "name": p.name, "region_code": p.region_code, "stage": p.stage,
                    "stage_label": Stage::parse(&p.stage).map(|s| s.label()).unwrap_or(""), "investor": p.investor,
                    "total_investment_wan": Yuan(p.total_investment).wan_display() })
        })
        .collect();
    let targets: Vec<Value> = panel
        .targets
        .iter()
        .map(|view| {
            let (target, e) = (&view.target, &view.target.enterprise);
            json!({
                "rank": target.rank, "id": e.id, "name": e.name, "credit_code": e.credit_code, "region_code": e.region_code,
                "region_name": view.region_name,
                "tags": tag_labels(&e.tags, &e.stock_code), "revenue_wan": wan(e.revenue), "score": target.score,
                "relationship": target.relationship, "invests_in_province": target.invests_in_province,
                "distance_km": target.distance_km, "plan_id": view.plan_id,
            })
        })
        .collect();
    Ok(Json(json!({
        "node": panel.node, "region": panel.region.as_str(), "enterprises": enterprises, "projects": projects,
        "targets": targets, "may_create_plan": panel.may_create_plan,
    })))
}
