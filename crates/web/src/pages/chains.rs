//! Industrial chain pages (产业链, 链长制): the chain list with gap counts of a region, and the
//! chain map (产业链图谱) with its gap list, thresholds and exports. Gaps are aggregates that
//! every government role reads; the enterprises on a link follow `chain_record_scope`.

use crate::auth::{PageSession, Session};
use crate::error::{WebError, WebResult};
use crate::pages::{download, non_empty};
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use zhaoshang_app::chains::{chain_map, gap_overview, ChainMap};
use zhaoshang_app::exchange::{ImportKind, Table, TableFormat};
use zhaoshang_app::stats::known_region;
use zhaoshang_core::access::{Principal, RecordScope};
use zhaoshang_core::chains::{GapCounts, GapStatus, GapThresholds, NodeKind};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::users::User;

/// The region and gap thresholds a chain page or the node API is seen with.
#[derive(Deserialize, Default)]
pub struct MapQuery {
    pub region: Option<String>,
    pub min_enterprises: Option<String>,
    pub min_revenue_wan: Option<String>,
}

impl MapQuery {
    /// Thresholds from the query; absent values keep the defaults.
    pub fn thresholds(&self) -> WebResult<GapThresholds> {
        let mut thresholds = GapThresholds::default();
        if let Some(text) = non_empty(&self.min_enterprises) {
            thresholds.min_enterprises =
                text.parse().map_err(|_| WebError::bad_request(format!("最少企业数“{text}”应为非负整数")))?;
        }
        if let Some(text) = non_empty(&self.min_revenue_wan) {
            thresholds.min_revenue =
                Yuan::parse_wan(&text).map_err(|e| WebError::bad_request(format!("最低营业收入：{e}")))?;
        }
        Ok(thresholds)
    }
}

/// 403 for roles that do not work with chains.
pub fn require_chain_viewer(session: &Session) -> WebResult<()> {
    if session.principal.may_view_chains() {
        Ok(())
    } else {
        Err(WebError::forbidden())
    }
}

/// Whether `chain_id` is one of the chains a chain-department user looks after.
pub async fn own_chain(state: &AppState, principal: &Principal, chain_id: Option<i64>) -> WebResult<bool> {
    match chain_id {
        Some(id) if principal.role == zhaoshang_core::access::Role::Chain => {
            Ok(state.store.user_chain_ids(principal.user_id).await?.contains(&id))
        }
        _ => Ok(false),
    }
}

/// The part of `region` whose records `scope` reads, as a code prefix; `None` when they do
/// not overlap.
pub fn visible_prefix(scope: &RecordScope, region: &RegionCode) -> Option<String> {
    match scope {
        RecordScope::All => Some(region.scope_prefix().to_string()),
        RecordScope::Within(own) if own.contains(region) => Some(region.scope_prefix().to_string()),
        RecordScope::Within(own) if region.contains(own) => Some(own.scope_prefix().to_string()),
        _ => None,
    }
}

/// The region asked for, else the user's own, else `fallback` (a province).
pub async fn chosen_region(
    state: &AppState,
    session: &Session,
    asked: &Option<String>,
    fallback: RegionCode,
) -> WebResult<RegionCode> {
    match non_empty(asked) {
        Some(code) => Ok(known_region(&state.store, &code).await?),
        None => Ok(session.principal.region.clone().unwrap_or(fallback)),
    }
}

/// The province and its cities, for the region selector.
async fn region_options(state: &AppState, region: &RegionCode) -> WebResult<Vec<minijinja::Value>> {
    let province = region.province();
    let mut options = Vec::new();
    if let Some(own) = state.store.region(province.as_str()).await? {
        options.push(context! { code => own.code, name => own.name });
    }
    for city in state.store.region_children(Some(province.as_str())).await? {
        options.push(context! { code => city.code, name => format!("　{}", city.name) });
    }
    Ok(options)
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
    require_chain_viewer(&session)?;
    let summaries = state.store.chain_summaries().await?;
    let fallback = match summaries.first() {
        Some(first) => RegionCode::parse(&first.region_code).map_err(WebError::internal)?.province(),
        None => crate::pages::dashboard::default_region(&state, &session).await?.province(),
    };
    let region = chosen_region(&state, &session, &query.region, fallback).await?;
    let thresholds = query.thresholds()?;
    let rows: Vec<_> = gap_overview(&state.store, &region, &thresholds)
        .await?
        .into_iter()
        .map(|(chain, counts)| context! { chain => chain, statuses => status_counts(&counts), gaps => counts.gaps() })
        .collect();
    page(
        &session,
        "/chains",
        "chains.html",
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
    colour: String,
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
            colour: n.colour.unwrap_or("").to_string(),
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
    Table {
        kind: ImportKind::Chains,
        headers: GAP_COLUMNS.iter().map(|(_, header)| header.to_string()).collect(),
        keys: GAP_COLUMNS.iter().map(|(key, _)| key.to_string()).collect(),
        rows: rows.iter().map(cells).collect(),
    }
}

/// The chain map of a request: the chain, the region it is seen from and the thresholds.
async fn requested_map(state: &AppState, session: &Session, id: i64, query: &MapQuery) -> WebResult<ChainMap> {
    require_chain_viewer(session)?;
    let chain = state.store.chain(id).await?.ok_or_else(|| WebError::not_found("该产业链"))?;
    let home = RegionCode::parse(&chain.data.region_code).map_err(WebError::internal)?;
    let region = chosen_region(state, session, &query.region, home.province()).await?;
    Ok(chain_map(&state.store, id, &region, &query.thresholds()?).await?)
}

/// Users who may own a plan pursued by `region` for a link of `chain_id`: those who may edit it.
pub async fn eligible_owners(state: &AppState, region: &RegionCode, chain_id: Option<i64>) -> WebResult<Vec<User>> {
    let mut owners = Vec::new();
    for user in state.store.users().await? {
        let principal = zhaoshang_app::accounts::principal_of(&user);
        if !user.disabled && principal.may_edit_plan(region, own_chain(state, &principal, chain_id).await?) {
            owners.push(user);
        }
    }
    Ok(owners)
}

/// A user's name as lists show it.
pub fn user_name(user: &User) -> &str {
    if user.display_name.is_empty() {
        &user.username
    } else {
        &user.display_name
    }
}

pub async fn map(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
    Query(query): Query<MapQuery>,
) -> WebResult<Html<String>> {
    let map = requested_map(&state, &session, id, &query).await?;
    let region = RegionCode::parse(&map.region).map_err(WebError::internal)?;
    let own = own_chain(&state, &session.principal, Some(id)).await?;
    let may_create_plan = session.principal.may_edit_plan(&region, own);
    let owners: Vec<_> = if may_create_plan {
        eligible_owners(&state, &region, Some(id))
            .await?
            .iter()
            .map(|u| context! { id => u.id, name => user_name(u), me => u.id == session.principal.user_id })
            .collect()
    } else {
        Vec::new()
    };
    let scope = session.principal.record_scope();
    let leaders: Vec<_> = map
        .leaders
        .iter()
        .map(|l| {
            let visible = RegionCode::parse(&l.region_code).is_ok_and(|code| scope.allows(&code));
            context! { id => l.id, name => l.name, visible => visible }
        })
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
    let region_name = state.store.region(region.as_str()).await?.map(|r| r.name).unwrap_or_default();
    let home_name = state.store.region(&map.chain.data.region_code).await?.map(|r| r.name).unwrap_or_default();
    let home = RegionCode::parse(&map.chain.data.region_code).map_err(WebError::internal)?;
    let may_edit_chain = session.principal.may_edit_chain(&home, own);
    page(
        &session,
        "/chains",
        "chain.html",
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
    let map = requested_map(&state, &session, id, &query).await?;
    let table = gap_table(&gap_rows(&map));
    download(&table, TableFormat::Xlsx, &format!("chain-{id}-gaps-{}", map.region))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> RegionCode {
        RegionCode::parse(text).unwrap()
    }

    #[test]
    fn records_shown_are_where_the_scope_and_the_region_overlap() {
        let province = code("620000");
        let baiyin = code("620400");
        assert_eq!(visible_prefix(&RecordScope::All, &province).as_deref(), Some("62"));
        assert_eq!(visible_prefix(&RecordScope::Within(baiyin.clone()), &province).as_deref(), Some("6204"));
        assert_eq!(visible_prefix(&RecordScope::Within(province), &baiyin).as_deref(), Some("6204"));
        assert_eq!(visible_prefix(&RecordScope::Within(code("620500")), &baiyin), None);
        assert_eq!(visible_prefix(&RecordScope::Nothing, &baiyin), None);
    }

    #[test]
    fn thresholds_default_and_parse() {
        assert_eq!(MapQuery::default().thresholds().unwrap(), GapThresholds::default());
        let query =
            MapQuery { region: None, min_enterprises: Some("5".into()), min_revenue_wan: Some("2000.5".into()) };
        let thresholds = query.thresholds().unwrap();
        assert_eq!((thresholds.min_enterprises, thresholds.min_revenue), (5, Yuan(20_005_000)));
        let bad = MapQuery { min_enterprises: Some("-1".into()), ..Default::default() };
        assert_eq!(bad.thresholds().unwrap_err().status, axum::http::StatusCode::BAD_REQUEST);
    }
}
