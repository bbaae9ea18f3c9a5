//! Versioned weights of the assessments (先进商会, 营商环境监督评价): each version of five
//! weights as the administrator set it, in ten-thousandths, with who set it and when; the
//! newest is in force, none means the defaults of `core`.

use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::{Result, Store};
use chrono::{DateTime, Utc};
use serde_json::json;

/// Where an assessment keeps its weight versions: the table, its five weight columns in
/// the order of the assessment's weights, and the audit entity of a new version.
#[derive(Debug, Clone, Copy)]
pub struct WeightTable {
    pub table: &'static str,
    pub columns: [&'static str; 5],
    pub entity: AuditEntity,
}

/// 先进商会 (`core::chambers::INDICATORS` order).
pub const CHAMBER_WEIGHTS: WeightTable = WeightTable {
    table: "chamber_weight_versions",
    columns: ["leads", "signed_count", "signed_investment", "funds_in_place", "activities"],
    entity: AuditEntity::ChamberWeights,
};

/// 营商环境监督评价 (`core::appeals::supervision::WEIGHT_FIELDS` order).
pub const SUPERVISION_WEIGHTS: WeightTable = WeightTable {
    table: "supervision_weight_versions",
    columns: ["on_time_rate", "satisfaction_rate", "answer_days", "reopen_rate", "quantitative"],
    entity: AuditEntity::SupervisionWeights,
};

/// A version of an assessment's weights, in ten-thousandths and its table's column order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeightVersion {
    pub id: i64,
    pub units: [i64; 5],
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct WeightRow {
    id: i64,
    w0: i64,
    w1: i64,
    w2: i64,
    w3: i64,
    w4: i64,
    created_by: String,
    created_at: DateTime<Utc>,
}

impl From<WeightRow> for WeightVersion {
    fn from(row: WeightRow) -> Self {
        WeightVersion {
            id: row.id,
            units: [row.w0, row.w1, row.w2, row.w3, row.w4],
            created_by: row.created_by,
            created_at: row.created_at,
        }
    }
}

impl WeightTable {
    fn select(&self, rest: &str) -> String {
        let [a, b, c, d, e] = self.columns;
        format!(
            "SELECT id, {a} AS w0, {b} AS w1, {c} AS w2, {d} AS w3, {e} AS w4, created_by, created_at FROM {} {rest}",
            self.table
        )
    }
}

impl Store {
    /// The weights in force: the newest version, `None` while the defaults hold.
    pub async fn current_weights(&self, weights: &WeightTable) -> Result<Option<WeightVersion>> {
        let sql = weights.select("ORDER BY id DESC LIMIT 1");
        let row: Option<WeightRow> = on_pool!(self, |pool| sqlx::query_as(&sql).fetch_optional(pool).await?);
        Ok(row.map(WeightVersion::from))
    }

    pub async fn weight_version(&self, weights: &WeightTable, id: i64) -> Result<Option<WeightVersion>> {
        let sql = weights.select("WHERE id = $1");
        let row: Option<WeightRow> = on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?);
        Ok(row.map(WeightVersion::from))
    }

    /// Every version, newest first.
    pub async fn weight_versions(&self, weights: &WeightTable) -> Result<Vec<WeightVersion>> {
        let sql = weights.select("ORDER BY id DESC");
        let rows: Vec<WeightRow> = on_pool!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await?);
        Ok(rows.into_iter().map(WeightVersion::from).collect())
    }

    /// Adds a version of the weights (it comes into force), audited with the weights
    /// before and after as `described` writes them; returns its id.
    pub async fn add_weights(
        &self,
        weights: &WeightTable,
        units: [i64; 5],
        described: impl Fn(&[i64; 5]) -> String,
        at: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<i64> {
        let before = self.current_weights(weights).await?;
        let sql = format!(
            "INSERT INTO {} ({}, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            weights.table,
            weights.columns.join(", ")
        );
        let id = audited!(self, actor, |tx, audit| {
            let id: i64 = sqlx::query_scalar(&sql)
                .bind(units[0])
                .bind(units[1])
                .bind(units[2])
                .bind(units[3])
                .bind(units[4])
                .bind(&actor.name)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
            audit.push(NewAuditEntry::new(
                AuditAction::Create,
                weights.entity,
                id.to_string(),
                before.as_ref().map(|b| json!({ "weights": described(&b.units), "weights_version": b.id })),
                Some(json!({ "weights": described(&units), "weights_version": id })),
            ));
            id
        });
        Ok(id)
    }
}
