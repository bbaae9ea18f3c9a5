//! 综合评价 (issue 24): the administrator's indicator schemes, each saved as the next
//! version of its name and never changed, and the quarters published with the scheme
//! version and the figures they were scored from.

use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::{conflict_as, Result, Store, StoreError};
use chrono::{DateTime, Utc};
use serde_json::json;

/// A stored version of a scheme; `definition` is `core::evaluation::scheme::Scheme` as JSON.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredScheme {
    pub id: i64,
    pub name: String,
    pub version: i64,
    pub definition: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A published quarter: the scheme version (`None`: SPEC's), the sub-regions' indicator
/// values it was scored from and the items as `stats evaluation --json` prints them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PublishedEvaluation {
    pub region_code: String,
    pub year: i32,
    pub quarter: i32,
    pub scheme_id: Option<i64>,
    pub snapshot: String,
    pub result: String,
    pub published_by: String,
    pub published_at: DateTime<Utc>,
}

const SCHEME_COLUMNS: &str = "id, name, version, definition, created_by, created_at";

impl Store {
    /// Every version of every scheme, by name, newest version first.
    pub async fn evaluation_schemes(&self) -> Result<Vec<StoredScheme>> {
        let sql = format!("SELECT {SCHEME_COLUMNS} FROM evaluation_schemes ORDER BY name, version DESC");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await?))
    }

    pub async fn evaluation_scheme(&self, id: i64) -> Result<Option<StoredScheme>> {
        let sql = format!("SELECT {SCHEME_COLUMNS} FROM evaluation_schemes WHERE id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// Saves `definition` as the next version of the scheme `name` (1 for a new name),
    /// audited; returns the stored version.
    pub async fn save_evaluation_scheme(
        &self,
        name: &str,
        definition: &str,
        at: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<StoredScheme> {
        let saved = audited!(self, actor, |tx, audit| {
            let before: Option<(i64, String)> = sqlx::query_as(
                "SELECT version, definition FROM evaluation_schemes WHERE name = $1 ORDER BY version DESC LIMIT 1",
            )
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
            let version = before.as_ref().map_or(1, |(version, _)| version + 1);
            let inserted: Option<i64> = sqlx::query_scalar(
                "INSERT INTO evaluation_schemes (name, version, definition, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name, version) DO NOTHING RETURNING id",
            )
            .bind(name)
            .bind(version)
            .bind(definition)
            .bind(&actor.name)
            .bind(at)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(id) = inserted else {
                return Err(StoreError::Conflict(format!("方案“{name}”刚被他人保存了新版本，请刷新后重试")));
            };
            audit.push(NewAuditEntry::new(
                AuditAction::Create,
                AuditEntity::EvaluationScheme,
                id.to_string(),
                before
                    .map(|(version, definition)| json!({ "name": name, "version": version, "definition": definition })),
                Some(json!({ "name": name, "version": version, "definition": definition })),
            ));
            StoredScheme {
                id,
                name: name.to_string(),
                version,
                definition: definition.to_string(),
                created_by: actor.name.clone(),
                created_at: at,
            }
        });
        Ok(saved)
    }

    pub async fn published_evaluation(
        &self,
        region_code: &str,
        year: i32,
        quarter: u32,
    ) -> Result<Option<PublishedEvaluation>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT region_code, year, quarter, scheme_id, snapshot, result, published_by, published_at \
             FROM evaluation_publications WHERE region_code = $1 AND year = $2 AND quarter = $3"
        )
        .bind(region_code)
        .bind(year)
        .bind(quarter as i32)
        .fetch_optional(pool)
        .await?))
    }

    /// Publishes a region's quarter once (a second time is a conflict), audited.
    pub async fn publish_evaluation(&self, published: &PublishedEvaluation, actor: &Actor) -> Result<()> {
        audited!(self, actor, |tx, audit| {
            sqlx::query(
                "INSERT INTO evaluation_publications \
                 (region_code, year, quarter, scheme_id, snapshot, result, published_by, published_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&published.region_code)
            .bind(published.year)
            .bind(published.quarter)
            .bind(published.scheme_id)
            .bind(&published.snapshot)
            .bind(&published.result)
            .bind(&published.published_by)
            .bind(published.published_at)
            .execute(&mut *tx)
            .await
            .map_err(conflict_as(format!(
                "{} 年第 {} 季度的综合评价结果已发布，不能再次发布",
                published.year, published.quarter
            )))?;
            audit.push(NewAuditEntry::new(
                AuditAction::Create,
                AuditEntity::EvaluationPublication,
                format!("{}-{}-{}", published.region_code, published.year, published.quarter),
                None,
                Some(json!({
                    "region_code": published.region_code,
                    "year": published.year,
                    "quarter": published.quarter,
                    "scheme_id": published.scheme_id,
                })),
            ));
        });
        Ok(())
    }
}
