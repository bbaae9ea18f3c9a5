//! Industrial chain pages (产业链, 链长制): the chain list with gap counts of a region, and the
//! chain map (产业链图谱) with its gap list, thresholds and exports. Gaps are aggregates that
//! every government role reads; the enterprises on a link follow `chain_record_scope`.

use crate::auth::PageSession;
use crate::error::WebResult;
use crate::pages::download;
use crate::pages::plans::user_name;
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use axum::routing::get;
use minijinja::context;
use serde::Serialize;
use std::collections::HashMap;
use zhaoshang_app::chains::{ChainMap, MapQuery, MapView};
use zhaoshang_app::exchange::{ImportKind, Table, TableFormat};
use zhaoshang_core::chains::{GapCounts, GapStatus, NodeKind};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::regions::RegionCode;

pub fn routes() -> Routes {
    Routes::new()
        .route("/chains", get(list))
        .route("/chains/{id}", get(map))
        .route("/chains/{id}/gaps.xlsx", get(gaps_export))
}

/// The province and its cities, for the region selector.
async fn region_options(state: &AppState, region: &RegionCode) -> WebResult<Vec<minijinja::Value>> {
    let options = state.app.province_and_cities(region).await?;
    Ok(options.into_iter().map(|(code, name)| context! { code => code, name => name }).collect())
}

fn count_of(counts: &GapCounts, status: GapStatus) -> u32 {
    match status {
        GapStatus::Strong => counts.strong,
        GapStatus::Weak => counts.weak,
        GapStatus::Missing => counts.missing,
        GapStatus::Extension => counts.extension,
    }
}

/// One entry per status: key, labels, colour and the count.
fn status_counts(counts: &GapCounts) -> Vec<minijinja::Value> {
    GapStatus::ALL
        .iter()
        .map(|s| {
            context! { key => s.key(), label => s.label(), long_label => s.long_label(), colour => s.colour(), count => count_of(counts, *s) }
        })
        .collect()
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<MapQuery>,
) -> WebResult<Html<String>> {
    let (region, overview) = state.app.chain_overview(&session.principal, &query).await?;
    let rows: Vec<_> = overview
        .into_iter()
        .map(|(chain, counts)| context! { chain => chain, statuses => status_counts(&counts), gaps => counts.gaps() })
        .collect();
    page(
        &session,
        "/chains",
        "chains/chains.html",
        context! {
            rows => rows, region => region.as_str(), regions => region_options(&state, &region).await?,
            statuses => status_counts(&GapCounts::default()),
            may_create_chain => session.principal.edits_records(),
        },
    )
}

/// A link's row of the gap list, as the page table and the Excel file show it.
#[derive(Serialize)]
struct GapRow {
    node_id: i64,
    sub_chain: String,
    link: String,
    segment: String,
    status: String,
    status_key: String,
    local_enterprises: i64,
    local_revenue_wan: String,
    producing_projects: i64,
    active_projects: i64,
    reason: String,
}

const GAP_COLUMNS: [(&str, &str); 9] = [
    ("sub_chain", "子链"),
    ("link", "环节"),
    ("segment", "环节位置"),
    ("status", "状态"),
    ("local_enterprises", "本地企业数"),
    ("local_revenue_wan", "本地营收(万元)"),
    ("producing_projects", "投产项目"),
    ("active_projects", "在建项目"),
    ("reason", "说明"),
];

fn gap_rows(map: &ChainMap) -> Vec<GapRow> {
    let names: HashMap<i64, &str> = map.nodes.iter().map(|n| (n.node.id, n.node.name.as_str())).collect();
    map.nodes
        .iter()
        .filter(|n| n.node.kind == NodeKind::Link.key())
        .map(|n| GapRow {
            node_id: n.node.id,
            sub_chain: n.node.parent_id.and_then(|id| names.get(&id)).unwrap_or(&"").to_string(),
            link: n.node.name.clone(),
            segment: n.segment_label.unwrap_or("").to_string(),
            status: n.status.map(GapStatus::label).unwrap_or("").to_string(),
            status_key: n.status.map(GapStatus::key).unwrap_or("").to_string(),
            local_enterprises: n.presence.local_enterprises,
            local_revenue_wan: Yuan(n.presence.local_revenue).wan_string(),
            producing_projects: n.presence.producing_projects,
            active_projects: n.presence.active_projects,
            reason: n.reason.clone(),
        })
        .collect()
}

fn gap_table(rows: &[GapRow]) -> Table {
    let cells = |row: &GapRow| {
        vec![
            row.sub_chain.clone(),
            row.link.clone(),
            row.segment.clone(),
            row.status.clone(),
            row.local_enterprises.to_string(),
            row.local_revenue_wan.clone(),
            row.producing_projects.to_string(),
            row.active_projects.to_string(),
            row.reason.clone(),
        ]
    };
    let mut table = Table::list(ImportKind::Chains.label(), GAP_COLUMNS);
    table.rows = rows.iter().map(cells).collect();
    table
}

pub async fn map(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
    Query(query): Query<MapQuery>,
) -> WebResult<Html<String>> {
    let view = state.app.map_view(&session.principal, id, &query).await?;
    let MapView { map, region, region_name, home_name, leaders_visible, may_create_plan, owners, may_edit_chain } =
        view;
    let owners: Vec<_> = owners
        .iter()
        .map(|u| context! { id => u.id, name => user_name(u), me => u.id == session.principal.user_id })
        .collect();
    let leaders: Vec<_> = map
        .leaders
        .iter()
        .zip(leaders_visible)
        .map(|(l, visible)| context! { id => l.id, name => l.name, visible => visible })
        .collect();
    let thresholds = &map.thresholds;
    let query_string = format!(
        "region={}&min_enterprises={}&min_revenue_wan={}",
        region,
        thresholds.min_enterprises,
        thresholds.min_revenue.wan_string()
    );
    let chart = serde_json::json!({
        "chain_id": id, "chain": map.chain.data.name, "query": query_string, "nodes": map.nodes,
        "may_create_plan": may_create_plan,
    });
    page(
        &session,
        "/chains",
        "chains/chain.html",
        context! {
            chain => map.chain, home_name => home_name, leaders => leaders, statuses => status_counts(&map.counts),
            rows => gap_rows(&map), region => region.as_str(), region_name => region_name,
            regions => region_options(&state, &region).await?, query_string => query_string,
            min_enterprises => thresholds.min_enterprises, min_revenue_wan => thresholds.min_revenue.wan_string(),
            chart => chart, owners => owners, may_create_plan => may_create_plan,
            may_edit_chain => may_edit_chain,
        },
    )
}

/// The gap list of a chain map as an Excel file, one row per link.
pub async fn gaps_export(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
    Query(query): Query<MapQuery>,
) -> WebResult<Response> {
    let map = state.app.requested_map(&session.principal, id, &query).await?;
    let table = gap_table(&gap_rows(&map));
    download(&table, TableFormat::Xlsx, &format!("chain-{id}-gaps-{}", map.region))
}
