//! 营商环境监督评价: what the quarter's evaluation reads — the facts of the appeals received
//! in the quarter and the members' ratings — and the members' audited ratings, one per
//! member, city, dimension and quarter, updated in place.

use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::{Result, Store};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use zhaoshang_core::appeals::supervision::AppealFacts;
use zhaoshang_core::appeals::{Dimension, Rating};

/// A member's rating of a city's dimension in a quarter (`dimension` is its key).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SupervisionRating {
    pub year: i32,
    pub quarter: i32,
    pub region_code: String,
    pub dimension: String,
    pub member_id: i64,
    pub member_name: String,
    pub score: i64,
    pub comment: String,
    pub rated_at: DateTime<Utc>,
}

/// A member's rating as the form gives it (checked by `core::appeals::supervision`).
#[derive(Debug, Clone, Copy)]
pub struct RatingInput<'a> {
    pub year: i32,
    pub quarter: i32,
    pub region_code: &'a str,
    pub dimension: Dimension,
    pub score: i64,
    pub comment: &'a str,
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    region_code: String,
    dimension: String,
    received_on: NaiveDate,
    due_on: NaiveDate,
    answered_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    rating: String,
    reopened: bool,
}

const RATING_COLUMNS: &str = "r.year, r.quarter, r.region_code, r.dimension, r.member_id, \
     CASE WHEN u.display_name = '' THEN u.username ELSE u.display_name END AS member_name, r.score, r.comment, r.rated_at";

impl Store {
    /// The facts of every appeal received from `from` to `to` (`region_code` as filed).
    pub async fn supervision_facts(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<AppealFacts>> {
        let rows: Vec<FactsRow> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT region_code, dimension, received_on, due_on, answered_on, closed_on, rating, reopened \
             FROM appeals WHERE received_on BETWEEN $1 AND $2"
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                Some(AppealFacts {
                    region: row.region_code,
                    dimension: Dimension::parse(&row.dimension).ok()?,
                    received_on: row.received_on,
                    due_on: row.due_on,
                    answered_on: row.answered_on,
                    closed_on: row.closed_on,
                    rating: Rating::parse(&row.rating).ok(),
                    reopened: row.reopened,
                })
            })
            .collect())
    }

    /// Every member's ratings of a quarter, by city, dimension and member.
    pub async fn supervision_ratings(&self, year: i32, quarter: i32) -> Result<Vec<SupervisionRating>> {
        let sql = format!(
            "SELECT {RATING_COLUMNS} FROM supervision_ratings r JOIN users u ON u.id = r.member_id \
             WHERE r.year = $1 AND r.quarter = $2 ORDER BY r.region_code, r.dimension, r.member_id"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(year).bind(quarter).fetch_all(pool).await?))
    }

    /// Saves a member's rating (the first one, or a new score and comment for the same
    /// quarter, city and dimension), audited with what it replaced.
    pub async fn save_supervision_rating(&self, rating: &RatingInput<'_>, actor: &Actor) -> Result<()> {
        let RatingInput { year, quarter, region_code, dimension, score, comment } = *rating;
        let member_id = actor.id.ok_or_else(|| crate::StoreError::Invalid("评分须由登录的委员作出".to_string()))?;
        let sql = format!(
            "SELECT {RATING_COLUMNS} FROM supervision_ratings r JOIN users u ON u.id = r.member_id \
             WHERE r.year = $1 AND r.quarter = $2 AND r.region_code = $3 AND r.dimension = $4 AND r.member_id = $5"
        );
        let before: Option<SupervisionRating> = on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(year)
            .bind(quarter)
            .bind(region_code)
            .bind(dimension.key())
            .bind(member_id)
            .fetch_optional(pool)
            .await?);
        let described = |score: i64, comment: &str| {
            json!({
                "year": year, "quarter": quarter, "region_code": region_code, "dimension": dimension.label(),
                "member": actor.name, "score": score, "comment": comment,
            })
        };
        let entity_id = format!("{year}Q{quarter}/{region_code}/{}/{member_id}", dimension.key());
        audited!(self, actor, |tx, audit| {
            sqlx::query(
                "INSERT INTO supervision_ratings (year, quarter, region_code, dimension, member_id, score, comment, rated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (year, quarter, region_code, dimension, member_id) \
                 DO UPDATE SET score = excluded.score, comment = excluded.comment, rated_at = excluded.rated_at",
            )
            .bind(year)
            .bind(quarter)
            .bind(region_code)
            .bind(dimension.key())
            .bind(member_id)
            .bind(score)
            .bind(comment)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
            let action = if before.is_some() { AuditAction::Update } else { AuditAction::Create };
            audit.push(NewAuditEntry::new(
                action,
                AuditEntity::SupervisionRating,
                entity_id,
                before.as_ref().map(|b| described(b.score, &b.comment)),
                Some(described(score, comment)),
            ));
        });
        Ok(())
    }
}
