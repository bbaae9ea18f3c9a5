//! Pairs of projects that look claimed twice (`core::projects::duplicates`), kept in the
//! `claim_pairs` table for the investors the triggers marked, and what regions decided
//! about them: one decision per pair, audited.

use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::sql::{placeholders, prefix_range, rows_per_statement, value_rows};
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

    /// The decisions about these pairs (each `pair_key`-ordered), by pair.
    pub async fn duplicate_decisions_of(&self, pairs: &[(i64, i64)]) -> Result<HashMap<(i64, i64), String>> {
        let mut decisions = HashMap::new();
        for chunk in pairs.chunks(rows_per_statement(2)) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| format!("(project_a = ${} AND project_b = ${})", 2 * i + 1, 2 * i + 2))
                .collect();
            let sql =
                format!("SELECT project_a, project_b, decision FROM duplicate_decisions WHERE {}", rows.join(" OR "));
            let found: Vec<(i64, i64, String)> = on_pool!(self, |pool| {
                let mut query = sqlx::query_as(&sql);
                for (a, b) in chunk {
                    query = query.bind(a).bind(b);
                }
                query.fetch_all(pool).await?
            });
            decisions.extend(found.into_iter().map(|(a, b, decision)| ((a, b), decision)));
        }
        Ok(decisions)
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

/// An investor whose projects changed since its pairs were computed, with its mark.
pub type PendingInvestor = (String, i64);

/// Which pairs a user's list holds: those with at least one project in the region
/// `region_prefix` and, for a chain department, on one of `chains`.
#[derive(Debug, Clone, Copy)]
pub struct PairScope<'a> {
    pub region_prefix: &'a str,
    pub chains: Option<&'a [String]>,
}

impl PairScope<'_> {
    /// "Project `alias` is in scope", with its parameters numbered from `$1`.
    fn clause(&self, alias: &str) -> (String, Vec<String>) {
        let (lo, hi) = prefix_range(self.region_prefix);
        let mut clause = format!("{alias}.region_code >= $1 AND {alias}.region_code < $2");
        let mut params = vec![lo, hi];
        match self.chains {
            None => {}
            Some([]) => clause.push_str(" AND 1 = 0"),
            Some(chains) => {
                clause.push_str(&format!(" AND {alias}.chain IN ({})", placeholders(3, chains.len())));
                params.extend(chains.iter().cloned());
            }
        }
        (format!("({clause})"), params)
    }

    /// The FROM and WHERE of the scope's pairs, and the parameters (both sides share
    /// them); without those decided to be different projects when `hide_different`.
    fn pairs_sql(&self, hide_different: bool) -> (String, Vec<String>) {
        let (a, params) = self.clause("a");
        let (b, _) = self.clause("b");
        let undecided = if hide_different {
            " AND NOT EXISTS (SELECT 1 FROM duplicate_decisions d \
             WHERE d.project_a = c.project_a AND d.project_b = c.project_b AND d.decision = 'different')"
        } else {
            ""
        };
        (
            format!(
                "FROM claim_pairs c JOIN projects a ON a.id = c.project_a JOIN projects b ON b.id = c.project_b \
                 WHERE ({a} OR {b}){undecided}"
            ),
            params,
        )
    }
}

impl Store {
    /// Up to `limit` investors marked by the triggers, with their marks.
    pub async fn pending_claim_investors(&self, limit: i64) -> Result<Vec<PendingInvestor>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT investor_credit_code, marked FROM claim_pending ORDER BY investor_credit_code LIMIT $1"
        )
        .bind(limit)
        .fetch_all(pool)
        .await?))
    }

    /// Replaces the pairs of the `done` investors by `pairs` (each `pair_key`-ordered,
    /// with its investor) and clears their marks, unless a write marked one again
    /// meanwhile: then its mark stays and its pairs are computed once more.
    pub async fn replace_claim_pairs(&self, done: &[PendingInvestor], pairs: &[(i64, i64, &str)]) -> Result<()> {
        if done.is_empty() {
            return Ok(());
        }
        on_pool!(self, |pool| {
            let mut tx = pool.begin_with(self.begin_write()).await?;
            for chunk in done.chunks(crate::sql::IN_LIST_CHUNK) {
                let sql =
                    format!("DELETE FROM claim_pairs WHERE investor_credit_code IN ({})", placeholders(1, chunk.len()));
                let mut query = sqlx::query(&sql);
                for (code, _) in chunk {
                    query = query.bind(code);
                }
                query.execute(&mut *tx).await?;
            }
            for chunk in pairs.chunks(rows_per_statement(3)) {
                let sql = format!(
                    "INSERT INTO claim_pairs (project_a, project_b, investor_credit_code) VALUES {}",
                    value_rows(self.backend(), chunk.len(), 3)
                );
                let mut query = sqlx::query(&sql);
                for (a, b, investor) in chunk {
                    query = query.bind(a).bind(b).bind(*investor);
                }
                query.execute(&mut *tx).await?;
            }
            for chunk in done.chunks(rows_per_statement(2)) {
                let rows: Vec<String> = (0..chunk.len())
                    .map(|i| format!("(investor_credit_code = ${} AND marked = ${})", 2 * i + 1, 2 * i + 2))
                    .collect();
                let sql = format!("DELETE FROM claim_pending WHERE {}", rows.join(" OR "));
                let mut query = sqlx::query(&sql);
                for (code, marked) in chunk {
                    query = query.bind(code).bind(marked);
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// How many pairs a scope's list holds (pairs decided to be different projects
    /// leave it), and the ids of `limit` of them after `skip`, by investor then project.
    pub async fn claim_pairs_page(
        &self,
        scope: PairScope<'_>,
        limit: i64,
        skip: i64,
    ) -> Result<(i64, Vec<(i64, i64)>)> {
        let (from, params) = scope.pairs_sql(true);
        let count_sql = format!("SELECT COUNT(*) {from}");
        let n = params.len();
        let page_sql = format!(
            "SELECT c.project_a, c.project_b {from} ORDER BY c.investor_credit_code, c.project_a, c.project_b \
             LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let (total, ids) = on_pool!(self, |pool| {
            let mut count = sqlx::query_scalar(&count_sql);
            let mut page = sqlx::query_as(&page_sql);
            for param in &params {
                count = count.bind(param);
                page = page.bind(param);
            }
            let total: i64 = count.fetch_one(pool).await?;
            let ids: Vec<(i64, i64)> = page.bind(limit).bind(skip).fetch_all(pool).await?;
            (total, ids)
        });
        Ok((total, ids))
    }

    /// Whether `a`, `b` is a pair of the scope, decided about or not.
    pub async fn claim_pair_in_scope(&self, scope: PairScope<'_>, a: i64, b: i64) -> Result<bool> {
        let (a, b) = pair_key(a, b);
        let (from, params) = scope.pairs_sql(false);
        let n = params.len();
        let sql = format!("SELECT COUNT(*) {from} AND c.project_a = ${} AND c.project_b = ${}", n + 1, n + 2);
        let found: i64 = on_pool!(self, |pool| {
            let mut query = sqlx::query_scalar(&sql);
            for param in &params {
                query = query.bind(param);
            }
            query.bind(a).bind(b).fetch_one(pool).await?
        });
        Ok(found > 0)
    }
}
