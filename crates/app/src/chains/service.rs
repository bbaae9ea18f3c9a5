//! Chains as the pages and the API use them: the chain list with the gap counts of a
//! region, a chain map with what the user may do on it, one node's side panel, and the
//! forms that define a chain (each saved as a one-row `chains` or `chain_enterprises`
//! import). Gaps are aggregates that every government role reads; the enterprises on a
//! link follow `chain_record_scope`.

use super::{chain_map, gap_overview, targets_for, ChainMap, MapNode, RankedTarget};
use crate::exchange::ImportKind;
use crate::{App, AppError, AppResult};
use serde::Deserialize;
use std::collections::HashMap;
use zhaoshang_core::access::Principal;
use zhaoshang_core::chains::{GapCounts, GapThresholds, NodeKind, Segment};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::chains::{Chain, ChainNode, ChainSummary, NodeEnterprise, NodeProject};
use zhaoshang_store::users::User;
use zhaoshang_store::Actor;

/// Targets listed when the node panel's request names no limit, and the most it may ask for.
pub const DEFAULT_TARGETS: usize = 20;
pub const MAX_TARGETS: usize = 100;

/// A chain map with what the user may do there.
pub struct MapView {
    pub map: ChainMap,
    pub region: RegionCode,
    pub region_name: String,
    pub home_name: String,
    /// Which of the chain's leading enterprises the user may open.
    pub leaders_visible: Vec<bool>,
    pub may_create_plan: bool,
    /// The users who may own a plan created from the map (when the user may create one).
    pub owners: Vec<User>,
    pub may_edit_chain: bool,
}

/// A ranked target with its region's full name and the plan the region already has
/// for it, if the user may open that plan.
pub struct TargetView {
    pub target: RankedTarget,
    pub region_name: String,
    pub plan_id: Option<i64>,
}

/// What the chain map's side panel shows of one node.
pub struct NodePanel {
    pub node: MapNode,
    pub region: RegionCode,
    pub enterprises: Vec<NodeEnterprise>,
    pub projects: Vec<NodeProject>,
    pub targets: Vec<TargetView>,
    pub may_create_plan: bool,
}

/// The edit page's data of a chain: nodes, enterprises on links, leading enterprises'
/// credit codes.
pub struct ChainParts {
    pub nodes: Vec<ChainNode>,
    pub enterprises: Vec<NodeEnterprise>,
    pub leaders: Vec<String>,
}

/// The chain's fields as the import names them, with the first node (a chain-level
/// change is written as that node's row, unchanged).
pub fn chain_values(chain: &Chain, first: Option<&ChainNode>, leaders: &[String]) -> HashMap<String, String> {
    let mut values: HashMap<String, String> = [
        ("chain", chain.data.name.clone()),
        ("region", chain.data.region_code.clone()),
        ("lead_department", chain.data.lead_department.clone()),
        ("chief", chain.data.chief.clone()),
        ("leaders", leaders.join("、")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    if let Some(node) = first {
        values.extend(node_values(node, &[]));
    }
    values
}

/// A node's row as the import names it: parent by name, kind and segment by label.
pub fn node_values(node: &ChainNode, nodes: &[ChainNode]) -> HashMap<String, String> {
    let parent = node.parent_id.and_then(|id| nodes.iter().find(|n| n.id == id)).map(|n| n.name.clone());
    [
        ("node", node.name.clone()),
        ("parent", parent.unwrap_or_default()),
        ("kind", NodeKind::parse(&node.kind).map(|k| k.label().to_string()).unwrap_or_default()),
        (
            "segment",
            node.segment.as_deref().and_then(Segment::parse).map(|s| s.label().to_string()).unwrap_or_default(),
        ),
        ("industry", node.industry.clone()),
        ("products", node.products.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The region and gap thresholds a chain page or the node API is seen with.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct MapQuery {
    pub region: Option<String>,
    pub min_enterprises: Option<String>,
    pub min_revenue_wan: Option<String>,
}

impl MapQuery {
    /// Thresholds from the query; absent values keep the defaults (400 for a bad one).
    pub fn thresholds(&self) -> AppResult<GapThresholds> {
        let given =
            |text: &Option<String>| text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string);
        let mut thresholds = GapThresholds::default();
        if let Some(text) = given(&self.min_enterprises) {
            thresholds.min_enterprises =
                text.parse().map_err(|_| AppError::bad_request(format!("最少企业数“{text}”应为非负整数")))?;
        }
        if let Some(text) = given(&self.min_revenue_wan) {
            thresholds.min_revenue =
                Yuan::parse_wan(&text).map_err(|e| AppError::bad_request(format!("最低营业收入：{e}")))?;
        }
        Ok(thresholds)
    }
}

/// 403 for roles that do not work with chains.
pub fn require_chain_viewer(principal: &Principal) -> AppResult<()> {
    if principal.may_view_chains() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

impl App {
    /// The region asked for (checked to exist), else the user's own, else `fallback`.
    pub async fn chosen_region(
        &self,
        principal: &Principal,
        asked: Option<&str>,
        fallback: RegionCode,
    ) -> AppResult<RegionCode> {
        match asked.map(str::trim).filter(|code| !code.is_empty()) {
            Some(code) => self.known_region(code).await,
            None => Ok(principal.region.clone().unwrap_or(fallback)),
        }
    }

    /// Every chain with its gap counts within the region asked for (else the user's own,
    /// else the province of the chains or of the dashboard).
    pub async fn chain_overview(
        &self,
        principal: &Principal,
        query: &MapQuery,
    ) -> AppResult<(RegionCode, Vec<(ChainSummary, GapCounts)>)> {
        require_chain_viewer(principal)?;
        let summaries = self.store().chain_summaries().await?;
        let fallback = match summaries.first() {
            Some(first) => RegionCode::parse(&first.region_code).map_err(AppError::internal)?.province(),
            None => self.default_region(principal).await?.province(),
        };
        let region = self.chosen_region(principal, query.region.as_deref(), fallback).await?;
        let rows = gap_overview(self.store(), &region, &query.thresholds()?).await?;
        Ok((region, rows))
    }

    /// The map of chain `id` seen from the region asked for (else the user's own, else
    /// the chain's province).
    pub async fn requested_map(&self, principal: &Principal, id: i64, query: &MapQuery) -> AppResult<ChainMap> {
        require_chain_viewer(principal)?;
        let chain = self.store().chain(id).await?.ok_or_else(|| AppError::not_found("该产业链"))?;
        let home = RegionCode::parse(&chain.data.region_code).map_err(AppError::internal)?;
        let region = self.chosen_region(principal, query.region.as_deref(), home.province()).await?;
        chain_map(self.store(), id, &region, &query.thresholds()?).await
    }

    /// The chain map page of chain `id`.
    pub async fn map_view(&self, principal: &Principal, id: i64, query: &MapQuery) -> AppResult<MapView> {
        let map = self.requested_map(principal, id, query).await?;
        let region = RegionCode::parse(&map.region).map_err(AppError::internal)?;
        let own = self.own_chain(principal, Some(id)).await?;
        let may_create_plan = principal.may_edit_plan(&region, own);
        let owners = if may_create_plan { self.eligible_owners(&region, Some(id)).await? } else { Vec::new() };
        let scope = principal.record_scope();
        let leaders_visible = map
            .leaders
            .iter()
            .map(|l| RegionCode::parse(&l.region_code).is_ok_and(|code| scope.allows(&code)))
            .collect();
        let region_name = self.region_name(region.as_str()).await?;
        let home_name = self.region_name(&map.chain.data.region_code).await?;
        let home = RegionCode::parse(&map.chain.data.region_code).map_err(AppError::internal)?;
        let may_edit_chain = principal.may_edit_chain(&home, own);
        Ok(MapView { map, region, region_name, home_name, leaders_visible, may_create_plan, owners, may_edit_chain })
    }

    /// One node's side panel: its gap status, the enterprises and projects on it that the
    /// user may read, and the best `limit` target enterprises (`DEFAULT_TARGETS` when not
    /// given; any chain viewer sees those: they lie outside the region).
    pub async fn node_panel(
        &self,
        principal: &Principal,
        chain_id: i64,
        node_id: i64,
        query: &MapQuery,
        limit: Option<&str>,
    ) -> AppResult<NodePanel> {
        require_chain_viewer(principal)?;
        let limit = match limit.map(str::trim).filter(|t| !t.is_empty()) {
            None => DEFAULT_TARGETS,
            Some(text) => match text.parse::<usize>() {
                Ok(n) if (1..=MAX_TARGETS).contains(&n) => n,
                _ => return Err(AppError::bad_request(format!("limit 应为 1 到 {MAX_TARGETS} 之间的整数"))),
            },
        };
        let store = self.store();
        let chain = store.chain(chain_id).await?.ok_or_else(|| AppError::not_found("该产业链"))?;
        let node = store
            .chain_node(node_id)
            .await?
            .filter(|node| node.chain_id == chain_id)
            .ok_or_else(|| AppError::not_found("该环节"))?;
        let home = RegionCode::parse(&chain.data.region_code).map_err(AppError::internal)?;
        let region = self.chosen_region(principal, query.region.as_deref(), home.province()).await?;
        let map = chain_map(store, chain_id, &region, &query.thresholds()?).await?;
        let map_node =
            map.nodes.into_iter().find(|n| n.node.id == node_id).ok_or_else(|| AppError::not_found("该环节"))?;
        let own = self.own_chain(principal, Some(chain_id)).await?;
        let (enterprises, projects) = match principal.chain_record_scope(own).prefix_within(&region) {
            None => (Vec::new(), Vec::new()),
            Some(prefix) => {
                let enterprises = store.chain_enterprises(chain_id, &prefix).await?;
                let projects = store.node_projects(&chain.data.name, &node.name, &prefix).await?;
                (enterprises.into_iter().filter(|e| e.node_id == node_id).collect(), projects)
            }
        };
        let ranked = targets_for(store, principal, &node, &region, limit).await?;
        let names = self.full_region_names(ranked.iter().map(|t| t.enterprise.region_code.clone())).await?;
        let plan_scope = self.plan_scope(principal).await?;
        let mut targets = Vec::with_capacity(ranked.len());
        for target in ranked {
            let plan_id = self.region_plan_for(&plan_scope, &region, target.enterprise.id).await?;
            let region_name = names.get(&target.enterprise.region_code).cloned().unwrap_or_default();
            targets.push(TargetView { target, region_name, plan_id });
        }
        let may_create_plan = principal.may_edit_plan(&region, own);
        Ok(NodePanel { node: map_node, region, enterprises, projects, targets, may_create_plan })
    }

    /// A chain the user may edit: its region, and for a chain department whether the
    /// chain is its own (404 when absent, 403 otherwise).
    pub async fn editable_chain(&self, principal: &Principal, id: i64) -> AppResult<Chain> {
        let chain = self.store().chain(id).await?.ok_or_else(|| AppError::not_found("产业链"))?;
        let region = RegionCode::parse(&chain.data.region_code).map_err(AppError::internal)?;
        let own = self.store().user_chain_ids(principal.user_id).await?.contains(&chain.id);
        if !principal.may_edit_chain(&region, own) {
            return Err(AppError::Forbidden);
        }
        Ok(chain)
    }

    /// The nodes, the enterprises on links and the leaders of chain `id` (`None`: a new
    /// chain, which has none).
    pub async fn chain_parts(&self, id: Option<i64>) -> AppResult<ChainParts> {
        let Some(id) = id else {
            return Ok(ChainParts { nodes: Vec::new(), enterprises: Vec::new(), leaders: Vec::new() });
        };
        let store = self.store();
        Ok(ChainParts {
            nodes: store.chain_nodes(id).await?,
            enterprises: store.chain_enterprises(id, "").await?,
            leaders: store.chain_leaders(id).await?.into_iter().map(|e| e.credit_code).collect(),
        })
    }

    /// Saves a chain's own fields (`fields` as the import names them, a new chain with its
    /// first sub-chain): the saved chain's id, or the problems per field. `editing` is
    /// the chain the form was for; a name taken by another chain is refused.
    pub async fn save_chain_form(
        &self,
        principal: &Principal,
        actor: &Actor,
        editing: Option<i64>,
        mut fields: HashMap<String, String>,
        first_node: &str,
    ) -> AppResult<Result<i64, (Option<Chain>, HashMap<String, String>)>> {
        let name = fields.get("chain").cloned().unwrap_or_default();
        let existing = self.store().chain_by_name(&name).await?;
        match &existing {
            Some(chain) => {
                if editing != Some(chain.id) {
                    let errors = HashMap::from([("chain".to_string(), format!("产业链“{name}”已存在"))]);
                    return Ok(Err((None, errors)));
                }
                self.editable_chain(principal, chain.id).await?;
                let nodes = self.store().chain_nodes(chain.id).await?;
                if let Some(first) = nodes.first() {
                    fields.extend(node_values(first, &nodes));
                }
            }
            None => {
                let region = self.known_region(fields.get("region").map(String::as_str).unwrap_or("")).await;
                if region.is_ok_and(|region| !principal.may_edit_chain(&region, false)) {
                    return Err(AppError::Forbidden);
                }
                fields.insert("node".into(), first_node.trim().to_string());
                fields.insert("kind".into(), NodeKind::SubChain.label().into());
            }
        }
        if let Some(errors) = self.save_form_row(principal, actor, ImportKind::Chains, &fields).await? {
            return Ok(Err((existing, errors)));
        }
        let saved =
            self.store().chain_by_name(&name).await?.ok_or_else(|| AppError::internal("saved chain not found"))?;
        Ok(Ok(saved.id))
    }

    /// Adds a sub-chain or link to a chain the user may edit (or changes one of the same
    /// name), or puts an enterprise on a link (`kind` `ChainEnterprises`); the problems
    /// per field when the row is bad.
    pub async fn save_chain_row(
        &self,
        principal: &Principal,
        actor: &Actor,
        chain: &Chain,
        kind: ImportKind,
        mut fields: HashMap<String, String>,
    ) -> AppResult<Option<HashMap<String, String>>> {
        fields.insert("chain".into(), chain.data.name.clone());
        self.save_form_row(principal, actor, kind, &fields).await
    }

    /// Takes an enterprise off a link of a chain the user may edit.
    pub async fn detach_enterprise(
        &self,
        principal: &Principal,
        actor: &Actor,
        chain_id: i64,
        node_id: i64,
        enterprise_id: i64,
    ) -> AppResult<()> {
        self.editable_chain(principal, chain_id).await?;
        let node = self.store().chain_node(node_id).await?.filter(|node| node.chain_id == chain_id);
        if node.is_none() {
            return Err(AppError::not_found("该环节"));
        }
        Ok(self.store().detach_enterprise(node_id, enterprise_id, actor).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_default_and_parse() {
        assert_eq!(MapQuery::default().thresholds().unwrap(), GapThresholds::default());
        let query =
            MapQuery { region: None, min_enterprises: Some("5".into()), min_revenue_wan: Some("2000.5".into()) };
        let thresholds = query.thresholds().unwrap();
        assert_eq!((thresholds.min_enterprises, thresholds.min_revenue), (5, Yuan(20_005_000)));
        let bad = MapQuery { min_enterprises: Some("-1".into()), ..Default::default() };
        assert!(matches!(bad.thresholds().unwrap_err(), AppError::BadRequest(_)));
    }
}
