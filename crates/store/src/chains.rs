//! Industrial chains (产业链): chains, their tree of sub-chains and links, the
//! enterprises attached to links, chain-leader enterprises and the chain department
//! users of each chain; plus the reads gap analysis and target ranking are built on.

use crate::audit::{Actor, NewAuditEntry};
use crate::audit::{AuditAction, AuditEntity};
use crate::sql::{fetch_in_chunks, like_contains, placeholders, prefix_range};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// What a chain says about itself (the chain columns of a chain import).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ChainData {
    pub name: String,
    /// The region that runs the chain.
    pub region_code: String,
    pub lead_department: String,
    /// 链长: the leader in charge.
    pub chief: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Chain {
    pub id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub data: ChainData,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A chain as the chain list shows it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ChainSummary {
    pub id: i64,
    pub name: String,
    pub region_code: String,
    pub region_name: String,
    pub lead_department: String,
    pub chief: String,
    pub sub_chains: i64,
    pub links: i64,
}

/// A node as imported: its parent is named, not numbered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainNodeData {
    pub name: String,
    /// Empty: directly under the chain.
    pub parent: String,
    /// `sub_chain` or `link` (zhaoshang_core::chains::NodeKind::key).
    pub kind: String,
    /// `upstream`, `midstream`, `downstream` (zhaoshang_core::chains::Segment::key).
    pub segment: Option<String>,
    pub industry: String,
    /// The products the link needs, joined by 、 (zhaoshang_core::chains::products_text).
    pub products: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ChainNode {
    pub id: i64,
    pub chain_id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub kind: String,
    pub segment: Option<String>,
    pub industry: String,
    pub products: String,
    pub position: i64,
}

/// A chain with its nodes in file order, parents before children.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainImport {
    pub chain: ChainData,
    pub nodes: Vec<ChainNodeData>,
    /// Credit codes of the chain-leader enterprises (链主企业), all stored.
    pub leaders: Vec<String>,
}

/// An enterprise on a link, with what the link panel shows of it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct NodeEnterprise {
    pub node_id: i64,
    pub enterprise_id: i64,
    pub role: String,
    pub name: String,
    pub credit_code: String,
    pub region_code: String,
    pub tags: String,
    pub revenue: Option<i64>,
}

/// Local presence on one link within a region scope (input of the gap rules).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PresenceRow {
    pub node_id: i64,
    pub local_enterprises: i64,
    pub local_revenue: i64,
    pub producing_projects: i64,
    pub active_projects: i64,
}

/// A project on a link.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct NodeProject {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub region_code: String,
    pub stage: String,
    pub total_investment: i64,
    pub investor: String,
}

/// A target candidate as read in base-score order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Candidate {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub region_code: String,
    pub tags: String,
    pub stock_code: String,
    pub revenue: Option<i64>,
    pub base_score: i64,
    pub description: String,
}

/// The columns of `Candidate`, of `enterprises` under the alias `e`.
const CANDIDATE_COLUMNS: &str =
    "e.id, e.name, e.credit_code, e.region_code, e.tags, e.stock_code, e.revenue, e.base_score, e.description";

/// `AND (…)` that the enterprise `e` names one of `count` products in its name or
/// description, their patterns (`like_contains`, lower case) bound from `$first` on;
/// nothing for no products.
fn naming_products(first: usize, count: usize) -> String {
    if count == 0 {
        return String::new();
    }
    let each: Vec<String> = (first..first + count)
        .map(|n| format!("lower(e.name) LIKE ${n} ESCAPE '\\' OR lower(e.description) LIKE ${n} ESCAPE '\\'"))
        .collect();
    format!(" AND ({})", each.join(" OR "))
}

/// The lower-case LIKE patterns of `products`, as `naming_products` binds them.
fn product_patterns(products: &[String]) -> Vec<String> {
    products.iter().map(|product| like_contains(&product.to_lowercase())).collect()
}

/// Who already knows an enterprise (商会, 招商顾问, 委员).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Relation {
    pub enterprise_id: i64,
    pub kind: String,
    pub holder: String,
}

/// (node id, one count, another count or sum) as the presence queries return them.
type NodeCounts = (i64, i64, i64);

const NODE_COLUMNS: &str = "id, chain_id, parent_id, name, kind, segment, industry, products, position";

impl Store {
    pub async fn chain_summaries(&self) -> Result<Vec<ChainSummary>> {
        let sql = "SELECT c.id, c.name, c.region_code, r.name AS region_name, c.lead_department, c.chief, \
             CAST((SELECT COUNT(*) FROM chain_nodes n WHERE n.chain_id = c.id AND n.kind = 'sub_chain') AS BIGINT) \
                 AS sub_chains, \
             CAST((SELECT COUNT(*) FROM chain_nodes n WHERE n.chain_id = c.id AND n.kind = 'link') AS BIGINT) AS links \
             FROM chains c JOIN regions r ON r.code = c.region_code ORDER BY c.region_code, c.id";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).fetch_all(pool).await?))
    }

    pub async fn chain(&self, id: i64) -> Result<Option<Chain>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, name, region_code, lead_department, chief, description, created_at, updated_at \
             FROM chains WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await?))
    }

    pub async fn chain_by_name(&self, name: &str) -> Result<Option<Chain>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, name, region_code, lead_department, chief, description, created_at, updated_at \
             FROM chains WHERE name = $1"
        )
        .bind(name)
        .fetch_optional(pool)
        .await?))
    }

    /// Every node of a chain, in the order the chain defines them.
    pub async fn chain_nodes(&self, chain_id: i64) -> Result<Vec<ChainNode>> {
        let sql = format!("SELECT {NODE_COLUMNS} FROM chain_nodes WHERE chain_id = $1 ORDER BY position, id");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(chain_id).fetch_all(pool).await?))
    }

    pub async fn chain_node(&self, id: i64) -> Result<Option<ChainNode>> {
        let sql = format!("SELECT {NODE_COLUMNS} FROM chain_nodes WHERE id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// Creates or updates chains by name and their nodes by (chain, node name), in one
    /// transaction. Nodes absent from the import stay; a chain's leaders are replaced.
    /// Returns the chains' ids in input order.
    pub async fn import_chains(&self, chains: &[ChainImport], actor: &Actor) -> Result<Vec<i64>> {
        let mut ids = Vec::with_capacity(chains.len());
        audited!(self, actor, |tx, audit| {
            for import in chains {
                let now = Utc::now();
                let data = &import.chain;
                let before: Option<ChainData> = sqlx::query_as(
                    "SELECT name, region_code, lead_department, chief, description FROM chains WHERE name = $1",
                )
                .bind(&data.name)
                .fetch_optional(&mut *tx)
                .await?;
                let chain_id: i64 = sqlx::query_scalar(
                    "INSERT INTO chains (name, region_code, lead_department, chief, description, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $6) \
                     ON CONFLICT (name) DO UPDATE SET region_code = excluded.region_code, \
                     lead_department = excluded.lead_department, chief = excluded.chief, \
                     description = excluded.description, updated_at = excluded.updated_at RETURNING id",
                )
                .bind(&data.name)
                .bind(&data.region_code)
                .bind(&data.lead_department)
                .bind(&data.chief)
                .bind(&data.description)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                let mut known: std::collections::HashMap<String, i64> =
                    sqlx::query_as::<_, (String, i64)>("SELECT name, id FROM chain_nodes WHERE chain_id = $1")
                        .bind(chain_id)
                        .fetch_all(&mut *tx)
                        .await?
                        .into_iter()
                        .collect();
                let first_position: i64 =
                    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM chain_nodes WHERE chain_id = $1")
                        .bind(chain_id)
                        .fetch_one(&mut *tx)
                        .await?;
                for (index, node) in import.nodes.iter().enumerate() {
                    let parent_id = if node.parent.is_empty() {
                        None
                    } else {
                        Some(*known.get(&node.parent).ok_or_else(|| {
                            StoreError::Invalid(format!("上级节点“{}”不在产业链“{}”中", node.parent, data.name))
                        })?)
                    };
                    // New nodes go after the existing ones; a known node keeps its place.
                    let position = first_position + index as i64;
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO chain_nodes (chain_id, parent_id, name, kind, segment, industry, products, position) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                         ON CONFLICT (chain_id, name) DO UPDATE SET parent_id = excluded.parent_id, \
                         kind = excluded.kind, segment = excluded.segment, industry = excluded.industry, \
                         products = excluded.products RETURNING id",
                    )
                    .bind(chain_id)
                    .bind(parent_id)
                    .bind(&node.name)
                    .bind(&node.kind)
                    .bind(&node.segment)
                    .bind(&node.industry)
                    .bind(&node.products)
                    .bind(position)
                    .fetch_one(&mut *tx)
                    .await?;
                    known.insert(node.name.clone(), id);
                }
                sqlx::query("DELETE FROM chain_leaders WHERE chain_id = $1").bind(chain_id).execute(&mut *tx).await?;
                for code in &import.leaders {
                    let inserted = sqlx::query(
                        "INSERT INTO chain_leaders (chain_id, enterprise_id) \
                         SELECT $1, id FROM enterprises WHERE credit_code = $2 ON CONFLICT DO NOTHING",
                    )
                    .bind(chain_id)
                    .bind(code)
                    .execute(&mut *tx)
                    .await?;
                    if inserted.rows_affected() == 0 {
                        return Err(StoreError::Invalid(format!("链主企业“{code}”不在企业库中")));
                    }
                }
                audit.push(NewAuditEntry::new(
                    AuditAction::written(before.is_some()),
                    AuditEntity::Chain,
                    data.name.clone(),
                    before.map(|before| json!(before)),
                    Some(json!(import)),
                ));
                ids.push(chain_id);
            }
        });
        Ok(ids)
    }

    /// The chain-leader enterprises (链主企业) of a chain.
    pub async fn chain_leaders(&self, chain_id: i64) -> Result<Vec<Candidate>> {
        let sql = format!(
            "SELECT {CANDIDATE_COLUMNS} FROM chain_leaders l JOIN enterprises e ON e.id = l.enterprise_id \
             WHERE l.chain_id = $1 ORDER BY e.name"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(chain_id).fetch_all(pool).await?))
    }

    /// Attaches enterprises to links (or changes their role there), all or nothing.
    /// `links` holds (node id, enterprise id, role key).
    pub async fn attach_enterprises(&self, links: &[(i64, i64, String)], actor: &Actor) -> Result<()> {
        audited!(self, actor, |tx, audit| {
            for (node_id, enterprise_id, role) in links {
                sqlx::query(
                    "INSERT INTO node_enterprises (node_id, enterprise_id, role) VALUES ($1, $2, $3) \
                     ON CONFLICT (node_id, enterprise_id) DO UPDATE SET role = excluded.role",
                )
                .bind(node_id)
                .bind(enterprise_id)
                .bind(role)
                .execute(&mut *tx)
                .await?;
                audit.push(NewAuditEntry::new(
                    AuditAction::Attach,
                    AuditEntity::ChainNodeEnterprise,
                    format!("{node_id}/{enterprise_id}"),
                    None,
                    Some(json!({"node_id": node_id, "enterprise_id": enterprise_id, "role": role})),
                ));
            }
        });
        Ok(())
    }

    pub async fn detach_enterprise(&self, node_id: i64, enterprise_id: i64, actor: &Actor) -> Result<()> {
        audited!(self, actor, |tx, audit| {
            let removed = sqlx::query("DELETE FROM node_enterprises WHERE node_id = $1 AND enterprise_id = $2")
                .bind(node_id)
                .bind(enterprise_id)
                .execute(&mut *tx)
                .await?;
            if removed.rows_affected() == 0 {
                return Err(StoreError::NotFound("该环节上的企业".into()));
            }
            audit.push(NewAuditEntry::new(
                AuditAction::Detach,
                AuditEntity::ChainNodeEnterprise,
                format!("{node_id}/{enterprise_id}"),
                Some(json!({"node_id": node_id, "enterprise_id": enterprise_id})),
                None,
            ));
        });
        Ok(())
    }

    /// Enterprises on the nodes of a chain, within a region prefix ("" = anywhere).
    pub async fn chain_enterprises(&self, chain_id: i64, region_prefix: &str) -> Result<Vec<NodeEnterprise>> {
        let (lo, hi) = prefix_range(region_prefix);
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT ne.node_id, ne.enterprise_id, ne.role, e.name, e.credit_code, e.region_code, e.tags, e.revenue \
             FROM node_enterprises ne JOIN chain_nodes n ON n.id = ne.node_id \
             JOIN enterprises e ON e.id = ne.enterprise_id \
             WHERE n.chain_id = $1 AND e.region_code >= $2 AND e.region_code < $3 \
             ORDER BY ne.node_id, e.revenue DESC, e.id"
        )
        .bind(chain_id)
        .bind(lo)
        .bind(hi)
        .fetch_all(pool)
        .await?))
    }

    /// The links an enterprise is on: (chain id, chain name, node id, node name, role).
    pub async fn enterprise_nodes(&self, enterprise_id: i64) -> Result<Vec<(i64, String, i64, String, String)>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT c.id, c.name, n.id, n.name, ne.role FROM node_enterprises ne \
             JOIN chain_nodes n ON n.id = ne.node_id JOIN chains c ON c.id = n.chain_id \
             WHERE ne.enterprise_id = $1 ORDER BY c.id, n.position"
        )
        .bind(enterprise_id)
        .fetch_all(pool)
        .await?))
    }

    /// Local presence on every link of a chain within a region prefix: enterprises whose
    /// role covers the link (`covering_roles`) and projects hanging on it by name.
    pub async fn link_presence(
        &self,
        chain_id: i64,
        region_prefix: &str,
        covering_roles: &[&str],
    ) -> Result<Vec<PresenceRow>> {
        let (lo, hi) = prefix_range(region_prefix);
        let enterprise_sql = format!(
            "SELECT ne.node_id, CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(e.revenue), 0) AS BIGINT) \
             FROM chain_nodes n JOIN node_enterprises ne ON ne.node_id = n.id \
             JOIN enterprises e ON e.id = ne.enterprise_id \
             WHERE n.chain_id = $1 AND e.region_code >= $2 AND e.region_code < $3 AND ne.role IN ({}) \
             GROUP BY ne.node_id",
            placeholders(4, covering_roles.len())
        );
        let project_sql = "SELECT n.id, \
             CAST(COALESCE(SUM(CASE WHEN p.stage = 'producing' THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN p.stage IN ('signed', 'started') THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM chain_nodes n JOIN chains c ON c.id = n.chain_id \
             JOIN projects p ON p.chain = c.name AND p.chain_node = n.name \
             WHERE n.chain_id = $1 AND p.region_code >= $2 AND p.region_code < $3 GROUP BY n.id";
        let (enterprises, projects): (Vec<NodeCounts>, Vec<NodeCounts>) = on_pool!(self, |pool| {
            let mut query = sqlx::query_as(&enterprise_sql).bind(chain_id).bind(&lo).bind(&hi);
            for role in covering_roles {
                query = query.bind(*role);
            }
            let enterprises = query.fetch_all(pool).await?;
            let projects = sqlx::query_as(project_sql).bind(chain_id).bind(&lo).bind(&hi).fetch_all(pool).await?;
            (enterprises, projects)
        });
        let mut rows: std::collections::BTreeMap<i64, PresenceRow> = std::collections::BTreeMap::new();
        for (node_id, count, revenue) in enterprises {
            let row = rows.entry(node_id).or_insert_with(|| PresenceRow { node_id, ..Default::default() });
            row.local_enterprises = count;
            row.local_revenue = revenue;
        }
        for (node_id, producing, active) in projects {
            let row = rows.entry(node_id).or_insert_with(|| PresenceRow { node_id, ..Default::default() });
            row.producing_projects = producing;
            row.active_projects = active;
        }
        Ok(rows.into_values().collect())
    }

    /// Projects hanging on a link (by chain and link name) within a region prefix.
    pub async fn node_projects(&self, chain: &str, node: &str, region_prefix: &str) -> Result<Vec<NodeProject>> {
        let (lo, hi) = prefix_range(region_prefix);
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, code, name, region_code, stage, total_investment, investor FROM projects \
             WHERE chain = $1 AND chain_node = $2 AND region_code >= $3 AND region_code < $4 \
             ORDER BY total_investment DESC, id LIMIT 200"
        )
        .bind(chain)
        .bind(node)
        .bind(lo)
        .bind(hi)
        .fetch_all(pool)
        .await?))
    }

    /// Enterprises of an industry outside a region prefix, best base score first, after
    /// the keyset cursor `(base_score, id)`; pass `(i64::MAX, 0)` for the first batch.
    ///
    /// "Outside" is written so that no index can serve it: a range on the region would
    /// tempt SQLite into reading the whole industry through the region index and sorting,
    /// instead of walking the score index and stopping after `limit`.
    pub async fn target_candidates(
        &self,
        industry: &str,
        products: &[String],
        outside_prefix: &str,
        after: (i64, i64),
        limit: i64,
    ) -> Result<Vec<Candidate>> {
        let sql = format!(
            "SELECT {CANDIDATE_COLUMNS} FROM enterprises e \
             WHERE e.industry = $1 AND substr(e.region_code, 1, length($2)) <> $2 \
             AND (e.base_score < $3 OR (e.base_score = $3 AND e.id > $4)){} \
             ORDER BY e.base_score DESC, e.id LIMIT $5",
            naming_products(6, products.len())
        );
        Ok(on_pool!(self, |pool| {
            let mut query =
                sqlx::query_as(&sql).bind(industry).bind(outside_prefix).bind(after.0).bind(after.1).bind(limit);
            for pattern in product_patterns(products) {
                query = query.bind(pattern);
            }
            query.fetch_all(pool).await?
        }))
    }

    /// Enterprises of an industry outside a region prefix that invest in a live project or
    /// that someone already knows: the only ones whose score can gain more than the HQ
    /// distance's points over their base score.
    pub async fn connected_candidates(
        &self,
        industry: &str,
        products: &[String],
        outside_prefix: &str,
    ) -> Result<Vec<Candidate>> {
        // Relations drive the join (CROSS JOIN keeps SQLite's order): they are few, an
        // industry's enterprises many.
        let naming = naming_products(3, products.len());
        let sql = format!(
            "SELECT {CANDIDATE_COLUMNS} FROM enterprises e \
             WHERE e.industry = $1 AND e.live_projects > 0 AND substr(e.region_code, 1, length($2)) <> $2{naming} \
             UNION SELECT {CANDIDATE_COLUMNS} FROM enterprise_relations r CROSS JOIN enterprises e \
             WHERE e.id = r.enterprise_id AND e.industry = $1 AND substr(e.region_code, 1, length($2)) <> $2{naming}"
        );
        Ok(on_pool!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(industry).bind(outside_prefix);
            for pattern in product_patterns(products) {
                query = query.bind(pattern);
            }
            query.fetch_all(pool).await?
        }))
    }

    pub async fn relations_of(&self, enterprise_ids: &[i64]) -> Result<Vec<Relation>> {
        Ok(fetch_in_chunks!(self, query_as, enterprise_ids, |n| format!(
            "SELECT enterprise_id, kind, holder FROM enterprise_relations WHERE enterprise_id IN ({}) \
             ORDER BY enterprise_id, id",
            placeholders(1, n)
        )))
    }

    pub async fn add_relations(&self, relations: &[Relation], actor: &Actor) -> Result<()> {
        audited!(self, actor, |tx, audit| {
            for relation in relations {
                sqlx::query(
                    "INSERT INTO enterprise_relations (enterprise_id, kind, holder) VALUES ($1, $2, $3) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(relation.enterprise_id)
                .bind(&relation.kind)
                .bind(&relation.holder)
                .execute(&mut *tx)
                .await?;
                audit.push(NewAuditEntry::new(
                    AuditAction::Create,
                    AuditEntity::EnterpriseRelation,
                    relation.enterprise_id.to_string(),
                    None,
                    Some(json!(relation)),
                ));
            }
        });
        Ok(())
    }

    /// Which of these credit codes invest in a live (not dropped) project within a region prefix.
    pub async fn investing_within(&self, credit_codes: &[String], region_prefix: &str) -> Result<Vec<String>> {
        let (lo, hi) = prefix_range(region_prefix);
        Ok(fetch_in_chunks!(
            self,
            query_scalar,
            credit_codes,
            |n| format!(
                "SELECT DISTINCT investor_credit_code FROM projects WHERE investor_credit_code IN ({}) \
                 AND stage <> 'dropped' AND region_code >= ${} AND region_code < ${}",
                placeholders(1, n),
                n + 1,
                n + 2
            ),
            &lo,
            &hi
        ))
    }

    /// The chains a chain-department user looks after.
    pub async fn user_chain_ids(&self, user_id: i64) -> Result<Vec<i64>> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT chain_id FROM user_chains WHERE user_id = $1 ORDER BY chain_id"
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?))
    }

    /// The names of the chains a chain-department user looks after (projects and funding
    /// records name their chain).
    pub async fn user_chain_names(&self, user_id: i64) -> Result<Vec<String>> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT c.name FROM user_chains u JOIN chains c ON c.id = u.chain_id WHERE u.user_id = $1 ORDER BY c.name"
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?))
    }

    /// Replaces the chains a chain-department user looks after.
    pub async fn set_user_chains(&self, user_id: i64, chain_ids: &[i64], actor: &Actor) -> Result<()> {
        audited!(self, actor, |tx, audit| {
            let before: Vec<i64> = sqlx::query_scalar("SELECT chain_id FROM user_chains WHERE user_id = $1")
                .bind(user_id)
                .fetch_all(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM user_chains WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            for chain_id in chain_ids {
                sqlx::query("INSERT INTO user_chains (user_id, chain_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(user_id)
                    .bind(chain_id)
                    .execute(&mut *tx)
                    .await?;
            }
            audit.push(NewAuditEntry::new(
                AuditAction::Update,
                AuditEntity::UserChains,
                user_id.to_string(),
                Some(json!(before)),
                Some(json!(chain_ids)),
            ));
        });
        Ok(())
    }
}
