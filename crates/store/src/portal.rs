//! What the public portal offers beyond parks, parcels and the pool: the projects put
//! forward to investors (推介项目), each with the pitch it shows them; and each signed-in
//! investor's shortlist of the portal's items.

use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;

/// A project on the portal: its public facts and the pitch.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Promotion {
    pub project_id: i64,
    pub code: String,
    pub name: String,
    pub region_code: String,
    /// A GB/T 4754 division code.
    pub industry: String,
    /// Yuan.
    pub total_investment: i64,
    pub pitch: String,
    pub promoted_at: DateTime<Utc>,
}

const PROMOTION_SELECT: &str = "SELECT m.project_id, p.code, p.name, p.region_code, p.industry, \
     p.total_investment, m.pitch, m.promoted_at FROM promotions m JOIN projects p ON p.id = m.project_id";

impl Store {
    /// The projects on the portal, the latest put forward first.
    pub async fn promotions(&self, limit: i64) -> Result<Vec<Promotion>> {
        let sql = format!("{PROMOTION_SELECT} ORDER BY m.promoted_at DESC, p.code LIMIT $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(limit).fetch_all(pool).await?))
    }

    /// The project of `code` when it is on the portal.
    pub async fn promotion_by_code(&self, code: &str) -> Result<Option<Promotion>> {
        let sql = format!("{PROMOTION_SELECT} WHERE p.code = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(code).fetch_optional(pool).await?))
    }

    /// Puts a project on the portal with `pitch`, or (none) takes it off; audited, and
    /// nothing written when nothing changes.
    pub async fn set_promotion(&self, project_id: i64, pitch: Option<&str>, actor: &Actor) -> Result<()> {
        let now = Utc::now();
        audited!(self, actor, |tx, audit| {
            let code: String = sqlx::query_scalar("SELECT code FROM projects WHERE id = $1")
                .bind(project_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::NotFound("该项目".into()))?;
            let before: Option<String> = sqlx::query_scalar("SELECT pitch FROM promotions WHERE project_id = $1")
                .bind(project_id)
                .fetch_optional(&mut *tx)
                .await?;
            if before.as_deref() == pitch {
                return Ok(());
            }
            match pitch {
                Some(pitch) => {
                    sqlx::query(
                        "INSERT INTO promotions (project_id, pitch, promoted_by, promoted_at) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (project_id) DO UPDATE SET pitch = excluded.pitch, \
                         promoted_by = excluded.promoted_by, promoted_at = excluded.promoted_at",
                    )
                    .bind(project_id)
                    .bind(pitch)
                    .bind(&actor.name)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                None => {
                    sqlx::query("DELETE FROM promotions WHERE project_id = $1")
                        .bind(project_id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            let action = match (&before, pitch) {
                (None, Some(_)) => AuditAction::Create,
                (Some(_), None) => AuditAction::Delete,
                _ => AuditAction::Update,
            };
            audit.push(NewAuditEntry::new(
                action,
                AuditEntity::Promotion,
                &code,
                before.map(|pitch| json!({ "pitch": pitch })),
                pitch.map(|pitch| json!({ "pitch": pitch })),
            ));
        });
        Ok(())
    }

    /// An investor's shortlist: the subjects (`parcel:CODE` …) it keeps, the latest first.
    pub async fn shortlist(&self, user_id: i64) -> Result<Vec<String>> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT subject FROM shortlists WHERE user_id = $1 ORDER BY added_at DESC, subject"
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?))
    }

    /// Whether an investor keeps `subject` on its shortlist.
    pub async fn is_shortlisted(&self, user_id: i64, subject: &str) -> Result<bool> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM shortlists WHERE user_id = $1 AND subject = $2)"
        )
        .bind(user_id)
        .bind(subject)
        .fetch_one(pool)
        .await?))
    }

    /// Adds `subject` to an investor's shortlist or takes it off; audited, and nothing
    /// written when nothing changes.
    pub async fn set_shortlisted(&self, user_id: i64, subject: &str, kept: bool, actor: &Actor) -> Result<()> {
        let now = Utc::now();
        audited!(self, actor, |tx, audit| {
            let written = if kept {
                sqlx::query(
                    "INSERT INTO shortlists (user_id, subject, added_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (user_id, subject) DO NOTHING",
                )
                .bind(user_id)
                .bind(subject)
                .bind(now)
                .execute(&mut *tx)
                .await?
            } else {
                sqlx::query("DELETE FROM shortlists WHERE user_id = $1 AND subject = $2")
                    .bind(user_id)
                    .bind(subject)
                    .execute(&mut *tx)
                    .await?
            };
            if written.rows_affected() == 0 {
                return Ok(());
            }
            let (action, before, after) = if kept {
                (AuditAction::Create, None, Some(json!({ "subject": subject })))
            } else {
                (AuditAction::Delete, Some(json!({ "subject": subject })), None)
            };
            audit.push(NewAuditEntry::new(action, AuditEntity::Shortlist, user_id.to_string(), before, after));
        });
        Ok(())
    }
}
