//! `GET /api/v1/chains/{id}/nodes/{node_id}`: what the chain map's side panel shows of one
//! node — its gap status, the enterprises and projects on it that the user may read, and
//! the ranked target enterprises (any chain viewer sees those: they lie outside the region).

use crate::auth::ApiSession;
use crate::error::{WebError, WebResult};
use crate::pages::chains::{chosen_region, own_chain, require_chain_viewer, visible_prefix, MapQuery};
use crate::pages::enterprises::full_region_names;
use crate::pages::plans::PlanScope;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use zhaoshang_app::chains::{chain_map, targets_for};
use zhaoshang_core::chains::LinkRole;
use zhaoshang_core::enterprises::Tags;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::Stage;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::plans::PlanFilter;

/// Targets listed when the request names no limit, and the most it may ask for.
const DEFAULT_TARGETS: usize = 20;
const MAX_TARGETS: usize = 100;

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
    require_chain_viewer(session)?;
    let limit = match query.limit.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => DEFAULT_TARGETS,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=MAX_TARGETS).contains(&n) => n,
            _ => return Err(WebError::bad_request(format!("limit 应为 1 到 {MAX_TARGETS} 之间的整数"))),
        },
    };
    let chain = state.store.chain(chain_id).await?.ok_or_else(|| WebError::not_found("该产业链"))?;
    let node = state
        .store
        .chain_node(node_id)
        .await?
        .filter(|node| node.chain_id == chain_id)
        .ok_or_else(|| WebError::not_found("该环节"))?;
    let home = RegionCode::parse(&chain.data.region_code).map_err(WebError::internal)?;
    let region = chosen_region(state, session, &query.map.region, home.province()).await?;
    let map = chain_map(&state.store, chain_id, &region, &query.map.thresholds()?).await?;
    let map_node = map.nodes.iter().find(|n| n.node.id == node_id).ok_or_else(|| WebError::not_found("该环节"))?;
    let own = own_chain(state, &session.principal, Some(chain_id)).await?;

    let (enterprises, projects) = match visible_prefix(&session.principal.chain_record_scope(own), &region) {
        None => (Vec::new(), Vec::new()),
        Some(prefix) => {
            let enterprises = state.store.chain_enterprises(chain_id, &prefix).await?;
            let projects = state.store.node_projects(&chain.data.name, &node.name, &prefix).await?;
            (enterprises.into_iter().filter(|e| e.node_id == node_id).collect(), projects)
        }
    };
    let enterprises: Vec<Value> = enterprises
        .iter()
        .map(|e| {
            json!({ "id": e.enterprise_id, "name": e.name, "credit_code": e.credit_code, "region_code": e.region_code,
                    "role": e.role, "role_label": LinkRole::parse(&e.role).map_or("", LinkRole::label),
                    "tags": tag_labels(&e.tags, ""), "revenue_wan": wan(e.revenue) })
        })
        .collect();
    let projects: Vec<Value> = projects
        .iter()
        .map(|p| {
            json!({ "id": p.id, "code": p.code, "name": p.name, "region_code": p.region_code, "stage": p.stage,
                    "stage_label": Stage::parse(&p.stage).map(|s| s.label()).unwrap_or(""), "investor": p.investor,
                    "total_investment_wan": Yuan(p.total_investment).wan_display() })
        })
        .collect();

    let ranked = targets_for(&state.store, &session.principal, &node, &region, limit).await?;
    let names = full_region_names(state, ranked.iter().map(|t| t.enterprise.region_code.clone())).await?;
    let plan_scope = PlanScope::of(state, session).await?;
    let mut targets = Vec::with_capacity(ranked.len());
    for target in &ranked {
        let e = &target.enterprise;
        // The plan this region already has for the target, if the user may open it.
        let filter =
            PlanFilter { region_prefix: region.as_str().to_string(), enterprise_id: Some(e.id), ..Default::default() };
        let plan = state.store.plans(&filter, 1).await?.into_iter().next();
        let plan_id = plan.filter(|p| plan_scope.allows(p)).map(|p| p.id);
        targets.push(json!({
            "rank": target.rank, "id": e.id, "name": e.name, "credit_code": e.credit_code, "region_code": e.region_code,
            "region_name": names.get(&e.region_code).cloned().unwrap_or_default(),
            "tags": tag_labels(&e.tags, &e.stock_code), "revenue_wan": wan(e.revenue), "score": target.score,
            "relationship": target.relationship, "invests_in_province": target.invests_in_province,
            "distance_km": target.distance_km, "plan_id": plan_id,
        }));
    }
    Ok(Json(json!({
        "node": map_node, "region": region.as_str(), "enterprises": enterprises, "projects": projects,
        "targets": targets, "may_create_plan": session.principal.may_edit_plan(&region, own),
    })))
}
