//! 一企一案: one plan per target enterprise and pursuing region, with an owner, an
//! approach, a next step with its due date, and a log of visits.

use crate::audit::{Actor, NewAuditEntry};
use crate::audit::{AuditAction, AuditEntity};
use crate::sql::{placeholders, prefix_range};
use crate::{conflict_as, Result, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Plan states, stored by key.
pub const PLAN_STATUSES: [(&str, &str); 3] = [("active", "跟进中"), ("won", "已落地"), ("closed", "已放弃")];

pub fn plan_status_label(key: &str) -> &str {
    PLAN_STATUSES.iter().find(|(k, _)| *k == key).map_or(key, |(_, label)| label)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct PlanData {
    pub enterprise_id: i64,
    /// The gap link the enterprise is pursued for, if any.
    pub node_id: Option<i64>,
    /// The region pursuing the enterprise (whose users see the plan).
    pub region_code: String,
    pub owner_id: i64,
    pub approach: String,
    pub next_step: String,
    pub due_on: Option<NaiveDate>,
    /// A key of `PLAN_STATUSES`.
    pub status: String,
}

/// A plan with the names the pages show.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Plan {
    pub id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub data: PlanData,
    pub enterprise_name: String,
    pub node_name: Option<String>,
    pub chain_id: Option<i64>,
    pub chain_name: Option<String>,
    pub owner_name: String,
    pub region_name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct VisitData {
    pub visited_on: NaiveDate,
    pub visitor: String,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Visit {
    pub id: i64,
    pub plan_id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub data: VisitData,
    pub created_at: DateTime<Utc>,
}

/// Which plans to list; every part optional.
#[derive(Debug, Clone, Default)]
pub struct PlanFilter {
    /// Plans of regions under this prefix ("" = all).
    pub region_prefix: String,
    pub owner_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub node_id: Option<i64>,
    pub status: Option<String>,
    /// Only next steps due before this day (overdue as of the day).
    pub due_before: Option<NaiveDate>,
    /// Plans on these chains count too, whatever their region (a chain department's).
    pub or_chain_ids: Vec<i64>,
}

impl PlanFilter {
    /// The WHERE clause and its parameters after the region range ($1, $2).
    fn where_sql(&self) -> String {
        let chains = if self.or_chain_ids.is_empty() {
            String::new()
        } else {
            format!(" OR c.id IN ({})", placeholders(8, self.or_chain_ids.len()))
        };
        format!(
            "WHERE ((p.region_code >= $1 AND p.region_code < $2){chains}) \
             AND ($3 IS NULL OR p.owner_id = $3) AND ($4 IS NULL OR p.enterprise_id = $4) \
             AND ($5 IS NULL OR p.node_id = $5) AND ($6 IS NULL OR p.status = $6) \
             AND ($7 IS NULL OR p.due_on < $7)"
        )
    }
}

/// Binds a `PlanFilter` in `where_sql` order.
macro_rules! bind_plan_filter {
    ($query:expr, $filter:expr) => {{
        let filter: &PlanFilter = $filter;
        let (lo, hi) = prefix_range(&filter.region_prefix);
        let mut query = $query
            .bind(lo)
            .bind(hi)
            .bind(filter.owner_id)
            .bind(filter.enterprise_id)
            .bind(filter.node_id)
            .bind(filter.status.clone())
            .bind(filter.due_before);
        for id in &filter.or_chain_ids {
            query = query.bind(*id);
        }
        query
    }};
}

const PLAN_SELECT: &str = "SELECT p.id, p.enterprise_id, p.node_id, p.region_code, p.owner_id, p.approach, \
     p.next_step, p.due_on, p.status, e.name AS enterprise_name, n.name AS node_name, c.id AS chain_id, \
     c.name AS chain_name, COALESCE(NULLIF(u.display_name, ''), u.username) AS owner_name, \
     r.name AS region_name, p.created_at, p.updated_at \
     FROM plans p JOIN enterprises e ON e.id = p.enterprise_id JOIN users u ON u.id = p.owner_id \
     JOIN regions r ON r.code = p.region_code \
     LEFT JOIN chain_nodes n ON n.id = p.node_id LEFT JOIN chains c ON c.id = n.chain_id";

impl Store {
    pub async fn plan(&self, id: i64) -> Result<Option<Plan>> {
        let sql = format!("{PLAN_SELECT} WHERE p.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// Plans matching the filter, the soonest next step first.
    pub async fn plans(&self, filter: &PlanFilter, limit: i64) -> Result<Vec<Plan>> {
        self.plans_page(filter, limit, 0).await
    }

    /// One page of `plans`.
    pub async fn plans_page(&self, filter: &PlanFilter, limit: i64, offset: i64) -> Result<Vec<Plan>> {
        let n = 8 + filter.or_chain_ids.len();
        let sql = format!(
            "{PLAN_SELECT} {} ORDER BY CASE WHEN p.due_on IS NULL THEN 1 ELSE 0 END, p.due_on, p.id \
             LIMIT ${n} OFFSET ${}",
            filter.where_sql(),
            n + 1
        );
        Ok(on_pool!(self, |pool| bind_plan_filter!(sqlx::query_as(&sql), filter)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?))
    }

    pub async fn plan_count(&self, filter: &PlanFilter) -> Result<i64> {
        let sql = format!(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM plans p LEFT JOIN chain_nodes n ON n.id = p.node_id \
             LEFT JOIN chains c ON c.id = n.chain_id {}",
            filter.where_sql()
        );
        Ok(on_pool!(self, |pool| bind_plan_filter!(sqlx::query_scalar(&sql), filter).fetch_one(pool).await?))
    }

    /// Creates a plan; one per enterprise and region, so a second one is a conflict.
    pub async fn create_plan(&self, data: &PlanData, actor: &Actor) -> Result<i64> {
        let id = audited!(self, actor, |tx, audit| {
            let now = Utc::now();
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO plans (enterprise_id, node_id, region_code, owner_id, approach, next_step, due_on, \
                 status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
            )
            .bind(data.enterprise_id)
            .bind(data.node_id)
            .bind(&data.region_code)
            .bind(data.owner_id)
            .bind(&data.approach)
            .bind(&data.next_step)
            .bind(data.due_on)
            .bind(&data.status)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(conflict_as("该企业在本地区已有一企一案，请在原方案上更新"))?;
            audit.push(NewAuditEntry::new(
                AuditAction::Create,
                AuditEntity::Plan,
                id.to_string(),
                None,
                Some(json!(data)),
            ));
            id
        });
        Ok(id)
    }

    /// Updates what a plan's owner changes: owner, approach, next step, due date, status.
    pub async fn update_plan(&self, id: i64, data: &PlanData, actor: &Actor) -> Result<()> {
        let before = self.plan(id).await?.ok_or_else(|| StoreError::NotFound("该一企一案".into()))?;
        audited!(self, actor, |tx, audit| {
            sqlx::query(
                "UPDATE plans SET owner_id = $2, approach = $3, next_step = $4, due_on = $5, status = $6, \
                 updated_at = $7 WHERE id = $1",
            )
            .bind(id)
            .bind(data.owner_id)
            .bind(&data.approach)
            .bind(&data.next_step)
            .bind(data.due_on)
            .bind(&data.status)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
            audit.push(NewAuditEntry::new(
                AuditAction::Update,
                AuditEntity::Plan,
                id.to_string(),
                Some(json!(before.data)),
                Some(json!(data)),
            ));
        });
        Ok(())
    }

    pub async fn add_visit(&self, plan_id: i64, visit: &VisitData, actor: &Actor) -> Result<i64> {
        let id = audited!(self, actor, |tx, audit| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO plan_visits (plan_id, visited_on, visitor, summary, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(plan_id)
            .bind(visit.visited_on)
            .bind(&visit.visitor)
            .bind(&visit.summary)
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await?;
            audit.push(NewAuditEntry::new(
                AuditAction::Create,
                AuditEntity::PlanVisit,
                format!("{plan_id}/{id}"),
                None,
                Some(json!(visit)),
            ));
            id
        });
        Ok(id)
    }

    /// A plan's visits, the latest first.
    pub async fn plan_visits(&self, plan_id: i64) -> Result<Vec<Visit>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, plan_id, visited_on, visitor, summary, created_at FROM plan_visits \
             WHERE plan_id = $1 ORDER BY visited_on DESC, id DESC"
        )
        .bind(plan_id)
        .fetch_all(pool)
        .await?))
    }
}
