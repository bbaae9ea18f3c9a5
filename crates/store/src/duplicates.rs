//! What regions decided about pairs of projects that look claimed twice
//! (`core::projects::duplicates`): one decision per pair, audited.

use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::{Result, Store};
use serde_json::json;
use std::collections::HashMap;
use zhaoshang_core::projects::duplicates::pair_key;

impl Store {
    /// Every pair's decision (its key), by the pair's key (smaller id first).
    pub async fn duplicate_decisions(&self) -> Result<HashMap<(i64, i64), String>> {
        let rows: Vec<(i64, i64, String)> =
            on_pool!(self, |pool| sqlx::query_as("SELECT project_a, project_b, decision FROM duplicate_decisions")
                .fetch_all(pool)
                .await?);
        Ok(rows.into_iter().map(|(a, b, decision)| ((a, b), decision)).collect())
    }

    /// Records (or changes) the decision about the pair `a`, `b`.
    pub async fn decide_duplicate(&self, a: i64, b: i64, decision: &str, actor: &Actor) -> Result<()> {
        let (a, b) = pair_key(a, b);
        audited!(self, actor, |tx, audit| {
            let before: Option<String> =
                sqlx::query_scalar("SELECT decision FROM duplicate_decisions WHERE project_a = $1 AND project_b = $2")
                    .bind(a)
                    .bind(b)
                    .fetch_optional(&mut *tx)
                    .await?;
            sqlx::query(
                "INSERT INTO duplicate_decisions (project_a, project_b, decision) VALUES ($1, $2, $3) \
                 ON CONFLICT (project_a, project_b) DO UPDATE SET decision = excluded.decision",
            )
            .bind(a)
            .bind(b)
            .bind(decision)
            .execute(&mut *tx)
            .await?;
            audit.push(NewAuditEntry::new(
                AuditAction::written(before.is_some()),
                AuditEntity::DuplicatePair,
                format!("{a}-{b}"),
                before.map(|decision| json!({ "decision": decision })),
                Some(json!({ "decision": decision })),
            ));
        });
        Ok(())
    }
}
