//! 六必访 visits to enterprises and the appeals each raised (migration 0032): a visit and
//! its appeals are written in one transaction, so a visit never lacks the problems it
//! recorded, nor an appeal its visit.

use crate::appeals::{write_appeals, Appeal, AppealData, APPEAL_COLUMNS};
use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::sql::prefix_range;
use crate::{Result, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;

/// A visit as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct VisitData {
    pub region_code: String,
    pub enterprise: String,
    pub credit_code: String,
    pub visited_on: NaiveDate,
    pub visitor: String,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Visit {
    pub id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub data: VisitData,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
    /// How many appeals it raised.
    pub appeal_count: i64,
}

pub(crate) const VISIT_SELECT: &str =
    "SELECT v.id, v.region_code, v.enterprise, v.credit_code, v.visited_on, v.visitor, \
     v.summary, v.recorded_by, v.recorded_at, \
     (SELECT COUNT(*) FROM appeals a WHERE a.visit_id = v.id) AS appeal_count FROM visits v";

impl Store {
    /// Records a visit with the appeals it raised (new codes only: a code taken
    /// meanwhile refuses the whole), audited; returns the visit's id.
    pub async fn create_visit(&self, visit: &VisitData, appeals: &[AppealData], actor: &Actor) -> Result<i64> {
        let now = Utc::now();
        let codes: Vec<&str> = appeals.iter().map(|a| a.code.as_str()).collect();
        let id = audited!(self, actor, |tx, audit| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO visits (region_code, enterprise, credit_code, visited_on, visitor, summary, recorded_by, \
                 recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(&visit.region_code)
            .bind(&visit.enterprise)
            .bind(&visit.credit_code)
            .bind(visit.visited_on)
            .bind(&visit.visitor)
            .bind(&visit.summary)
            .bind(&actor.name)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            for appeal in appeals {
                let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM appeals WHERE code = $1")
                    .bind(&appeal.code)
                    .fetch_optional(&mut *tx)
                    .await?;
                if taken.is_some() {
                    return Err(StoreError::Conflict(format!("诉求编号“{}”刚被占用，请重新提交", appeal.code)));
                }
                write_appeals!(self, tx, std::slice::from_ref(appeal), now);
                sqlx::query("UPDATE appeals SET visit_id = $1 WHERE code = $2")
                    .bind(id)
                    .bind(&appeal.code)
                    .execute(&mut *tx)
                    .await?;
                audit.push(NewAuditEntry::new(
                    AuditAction::Create,
                    AuditEntity::Appeal,
                    &appeal.code,
                    None,
                    Some(json!(appeal)),
                ));
            }
            let mut after = json!(visit);
            after["appeal_codes"] = json!(codes.join("、"));
            audit.push(NewAuditEntry::new(AuditAction::Create, AuditEntity::Visit, id.to_string(), None, Some(after)));
            id
        });
        Ok(id)
    }

    /// The visits to enterprises of the regions under `region_prefix`, the latest
    /// first, and how many there are.
    pub async fn visits_page(&self, region_prefix: &str, limit: i64, offset: i64) -> Result<(i64, Vec<Visit>)> {
        let (lo, hi) = prefix_range(region_prefix);
        let sql = format!(
            "{VISIT_SELECT} WHERE v.region_code >= $1 AND v.region_code < $2 \
             ORDER BY v.visited_on DESC, v.id DESC LIMIT $3 OFFSET $4"
        );
        let count_sql = "SELECT COUNT(*) FROM visits WHERE region_code >= $1 AND region_code < $2";
        Ok(on_pool!(self, |pool| {
            let count: i64 = sqlx::query_scalar(count_sql).bind(&lo).bind(&hi).fetch_one(pool).await?;
            let visits = sqlx::query_as(&sql).bind(&lo).bind(&hi).bind(limit).bind(offset).fetch_all(pool).await?;
            (count, visits)
        }))
    }

    pub async fn visit(&self, id: i64) -> Result<Option<Visit>> {
        let sql = format!("{VISIT_SELECT} WHERE v.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// The appeals a visit raised, by code.
    pub async fn appeals_of_visit(&self, visit_id: i64) -> Result<Vec<Appeal>> {
        let sql = format!("SELECT {APPEAL_COLUMNS} FROM appeals WHERE visit_id = $1 ORDER BY code");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(visit_id).fetch_all(pool).await?))
    }
}
