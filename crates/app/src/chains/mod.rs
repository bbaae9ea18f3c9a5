//! Industrial chains as the pages and the API use them: the chain map of one chain
//! seen from one region (gap status of every link), and ranked target enterprises for
//! a gap link. The rules themselves are pure (zhaoshang_core::chains); this module
//! gathers their inputs from the store.

pub mod plans;
mod service;

pub use service::{
    chain_values, node_values, require_chain_viewer, ChainParts, MapQuery, MapView, NodePanel, TargetView,
};

use crate::{AppError, AppResult};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use zhaoshang_core::access::{Principal, TargetScope};
use zhaoshang_core::chains::gap::{self, GapCounts, GapThresholds, LinkPresence};
use zhaoshang_core::chains::geo::hq_distance_km;
use zhaoshang_core::chains::targets::{self, ScoreWeights, TargetFacts, TargetScore};
use zhaoshang_core::chains::{industry_codes, parse_products, GapStatus, LinkRole, NodeKind, Segment};
use zhaoshang_core::enterprises::Tags;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::chains::{Candidate, Chain, ChainNode, ChainSummary, PresenceRow};
use zhaoshang_store::Store;

/// One node of the chain map.
#[derive(Debug, Clone, Serialize)]
pub struct MapNode {
    #[serde(flatten)]
    pub node: ChainNode,
    pub kind_label: &'static str,
    pub segment_label: Option<&'static str>,
    /// Links only.
    pub status: Option<GapStatus>,
    pub status_label: Option<&'static str>,
    pub colour: Option<&'static str>,
    pub reason: String,
    pub presence: PresenceRow,
}

/// A chain seen from one region: every node with the gap status of its links.
#[derive(Debug, Clone, Serialize)]
pub struct ChainMap {
    pub chain: Chain,
    pub region: String,
    pub nodes: Vec<MapNode>,
    pub counts: GapCounts,
    pub leaders: Vec<Candidate>,
    pub thresholds: GapThresholds,
}

/// The role keys whose enterprises cover a link (gap rule input).
pub fn covering_roles() -> Vec<&'static str> {
    LinkRole::ALL.into_iter().filter(|role| role.covers_link()).map(LinkRole::key).collect()
}

pub async fn chain_or_not_found(store: &Store, chain_id: i64) -> AppResult<Chain> {
    store.chain(chain_id).await?.ok_or_else(|| AppError::Invalid(format!("产业链 {chain_id} 不存在")))
}

/// The gap analysis of one chain within `region` (the region and all its sub-regions).
pub async fn chain_map(
    store: &Store,
    chain_id: i64,
    region: &RegionCode,
    thresholds: &GapThresholds,
) -> AppResult<ChainMap> {
    let chain = chain_or_not_found(store, chain_id).await?;
    let nodes = store.chain_nodes(chain_id).await?;
    let presence: HashMap<i64, PresenceRow> = store
        .link_presence(chain_id, region.scope_prefix(), &covering_roles())
        .await?
        .into_iter()
        .map(|row| (row.node_id, row))
        .collect();
    let links: Vec<LinkPresence> = nodes
        .iter()
        .filter(|node| node.kind == NodeKind::Link.key())
        .map(|node| {
            let row = presence.get(&node.id).cloned().unwrap_or_default();
            LinkPresence {
                node_id: node.id,
                parent_id: node.parent_id,
                segment: node.segment.as_deref().and_then(Segment::parse).unwrap_or(Segment::Midstream),
                local_enterprises: count(row.local_enterprises),
                producing_projects: count(row.producing_projects),
                active_projects: count(row.active_projects),
                local_revenue: Yuan(row.local_revenue),
            }
        })
        .collect();
    let gaps = gap::analyse(&links, thresholds);
    let counts = gap::count(&gaps);
    let by_node: HashMap<i64, gap::LinkGap> = gaps.into_iter().map(|gap| (gap.node_id, gap)).collect();
    let nodes = nodes
        .into_iter()
        .map(|node| {
            let gap = by_node.get(&node.id);
            let kind = NodeKind::parse(&node.kind);
            MapNode {
                kind_label: kind.map_or("", NodeKind::label),
                segment_label: node.segment.as_deref().and_then(Segment::parse).map(Segment::label),
                status: gap.map(|gap| gap.status),
                status_label: gap.map(|gap| gap.status.long_label()),
                colour: gap.map(|gap| gap.status.colour()),
                reason: gap.map(|gap| gap.reason.clone()).unwrap_or_default(),
                presence: presence
                    .get(&node.id)
                    .cloned()
                    .unwrap_or(PresenceRow { node_id: node.id, ..Default::default() }),
                node,
            }
        })
        .collect();
    let leaders = store.chain_leaders(chain_id).await?;
    Ok(ChainMap { chain, region: region.as_str().to_string(), nodes, counts, leaders, thresholds: *thresholds })
}

fn count(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// Gap counts of every chain within `region`, for the chain list.
pub async fn gap_overview(
    store: &Store,
    region: &RegionCode,
    thresholds: &GapThresholds,
) -> AppResult<Vec<(ChainSummary, GapCounts)>> {
    let mut overview = Vec::new();
    for summary in store.chain_summaries().await? {
        let map = chain_map(store, summary.id, region, thresholds).await?;
        overview.push((summary, map.counts));
    }
    Ok(overview)
}

/// A ranked target enterprise with the parts of its score.
#[derive(Debug, Clone, Serialize)]
pub struct RankedTarget {
    pub rank: usize,
    #[serde(flatten)]
    pub enterprise: Candidate,
    pub score: TargetScore,
    pub relationship: Option<String>,
    pub invests_in_province: bool,
    pub distance_km: Option<u32>,
}

/// Candidates read per round trip while ranking.
const BATCH: i64 = 200;

/// The best `limit` target enterprises for a link, seen from `region`: enterprises of
/// the link's industry outside the region, ranked by the full score.
///
/// The few candidates that invest in a live project or that someone already knows are
/// scored first; the rest are read best base score first, and the HQ distance is all
/// they can add, so reading stops once no unread candidate can reach the current last
/// place. The result equals scoring every candidate.
pub async fn rank_targets(
    store: &Store,
    node: &ChainNode,
    region: &RegionCode,
    limit: usize,
) -> AppResult<Vec<RankedTarget>> {
    rank_targets_outside(store, node, region, region, limit).await
}

/// The target list of a link as `principal` may see it for `region`
/// (`Principal::target_scope`): none for roles that read no enterprise records; for a
/// city's or county's user, enterprises outside the province unless the province has
/// allowed relocation within it (the `in_province_relocation` setting).
pub async fn targets_for(
    store: &Store,
    principal: &Principal,
    node: &ChainNode,
    region: &RegionCode,
    limit: usize,
) -> AppResult<Vec<RankedTarget>> {
    let allowed = store.in_province_relocation_allowed().await?;
    match principal.target_scope(region, allowed) {
        TargetScope::Nothing => Ok(Vec::new()),
        TargetScope::Outside(outside) => rank_targets_outside(store, node, region, &outside, limit).await,
    }
}

/// `rank_targets` with the candidates taken from outside `outside` (the region itself
/// or a region holding it, such as its province), scored as seen from `region`. A link
/// needing several divisions ranks each apart (an enterprise has one division, so the
/// best of all are among the best of each).
pub async fn rank_targets_outside(
    store: &Store,
    node: &ChainNode,
    region: &RegionCode,
    outside: &RegionCode,
    limit: usize,
) -> AppResult<Vec<RankedTarget>> {
    let mut best = Vec::new();
    for industry in industry_codes(&node.industry) {
        best.extend(rank_industry(store, node, industry, region, outside, limit).await?);
    }
    let mut best = top(best, limit);
    for (index, target) in best.iter_mut().enumerate() {
        target.rank = index + 1;
    }
    Ok(best)
}

/// The best `limit` candidates of one of the link's divisions, unranked.
async fn rank_industry(
    store: &Store,
    node: &ChainNode,
    industry: &str,
    region: &RegionCode,
    outside: &RegionCode,
    limit: usize,
) -> AppResult<Vec<RankedTarget>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let weights = ScoreWeights::default();
    // Only enterprises naming one of the link's products fit it, when it names any.
    let products = parse_products(&node.products);
    let bound = i64::from(targets::max_distance_points(&weights))
        + i64::from(targets::max_product_points(products.len(), &weights));
    let province = region.province();
    let scoring = Scoring { region, province: &province, products: &products, weights: &weights };
    let connected = store.connected_candidates(industry, &products, outside.scope_prefix()).await?;
    let mut seen: HashSet<i64> = connected.iter().map(|c| c.id).collect();
    let mut best = top(score_batch(store, connected, &scoring).await?, limit);
    let mut cursor = (i64::MAX, 0);
    loop {
        let batch = store.target_candidates(industry, &products, outside.scope_prefix(), cursor, BATCH).await?;
        let Some(last) = batch.last() else { break };
        cursor = (last.base_score, last.id);
        let exhausted = (batch.len() as i64) < BATCH;
        let unseen: Vec<Candidate> = batch.into_iter().filter(|c| seen.insert(c.id)).collect();
        best.extend(score_batch(store, unseen, &scoring).await?);
        best = top(best, limit);
        let cannot_improve =
            best.len() == limit && best.last().is_some_and(|last| cursor.0 + bound < i64::from(last.score.total));
        if exhausted || cannot_improve {
            break;
        }
    }
    Ok(best)
}

/// The best `limit` of `scored`, in rank order.
fn top(scored: Vec<RankedTarget>, limit: usize) -> Vec<RankedTarget> {
    let keyed = scored
        .into_iter()
        .map(|t| {
            let (score, revenue, id) = (t.score.clone(), t.enterprise.revenue.map(Yuan), t.enterprise.id);
            (t, score, revenue, id)
        })
        .collect();
    targets::rank(keyed).into_iter().map(|(t, _)| t).take(limit).collect()
}

/// What a candidate is scored against: the region it is seen from (and its province),
/// the link's products, the weights.
struct Scoring<'a> {
    region: &'a RegionCode,
    province: &'a RegionCode,
    products: &'a [String],
    weights: &'a ScoreWeights,
}

async fn score_batch(store: &Store, batch: Vec<Candidate>, scoring: &Scoring<'_>) -> AppResult<Vec<RankedTarget>> {
    let Scoring { region, province, products, weights } = *scoring;
    let ids: Vec<i64> = batch.iter().map(|c| c.id).collect();
    let mut relationships: HashMap<i64, String> = HashMap::new();
    for relation in store.relations_of(&ids).await? {
        relationships
            .entry(relation.enterprise_id)
            .or_insert_with(|| format!("{}：{}", relation.kind, relation.holder));
    }
    let codes: Vec<String> = batch.iter().map(|c| c.credit_code.clone()).collect();
    let investing: HashSet<String> =
        store.investing_within(&codes, province.scope_prefix()).await?.into_iter().collect();
    Ok(batch
        .into_iter()
        .map(|candidate| {
            let facts = TargetFacts {
                products: targets::matched_products(products, &[&candidate.name, &candidate.description]),
                tags: Tags::from_stored(&candidate.tags, &candidate.stock_code),
                revenue: candidate.revenue.map(Yuan),
                relationship: relationships.get(&candidate.id).cloned(),
                invests_in_province: investing.contains(&candidate.credit_code),
                hq_distance_km: hq_distance_km(&candidate.region_code, region.as_str()),
            };
            RankedTarget {
                rank: 0,
                score: targets::score(&facts, weights),
                relationship: facts.relationship,
                invests_in_province: facts.invests_in_province,
                distance_km: facts.hq_distance_km,
                enterprise: candidate,
            }
        })
        .collect())
}
