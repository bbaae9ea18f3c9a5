//! Review rounds of the S&T pool (评审轮次): a round per registration year with its
//! status, the reviewers assigned to each achievement, and the scores a reviewer submits
//! on the platform (kept in `achievement_reviews` as imported reviews are). Every write is
//! audited in its own transaction.

use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::sql::{rows_per_statement, value_rows};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::collections::HashMap;
use zhaoshang_core::achievements::Scores;
use zhaoshang_core::rounds::{parse_fields, Reviewer, Subject};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Round {
    pub year: i64,
    /// A `core::rounds::RoundStatus` key.
    pub status: String,
    pub per_achievement: i64,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

/// What the assignment of a year works on: its achievements and the expert pool, each
/// with its id.
pub struct AssignmentInput {
    pub achievements: Vec<(i64, Subject)>,
    pub experts: Vec<(i64, Reviewer)>,
}

/// One reviewer assigned to an achievement, and whether it has scored it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AssignedReviewer {
    pub code: String,
    pub expert_id: i64,
    pub reviewer: String,
    pub institution: String,
    pub scored: bool,
}

const ASSIGNMENT_PARAMETERS: usize = 2;

impl Store {
    /// Every round, the latest year first.
    pub async fn rounds(&self) -> Result<Vec<Round>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT year, status, per_achievement, updated_by, updated_at FROM review_rounds ORDER BY year DESC"
        )
        .fetch_all(pool)
        .await?))
    }

    pub async fn round(&self, year: i64) -> Result<Option<Round>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT year, status, per_achievement, updated_by, updated_at FROM review_rounds WHERE year = $1"
        )
        .bind(year)
        .fetch_optional(pool)
        .await?))
    }

    /// Opens the round of a year (status `open`), audited.
    pub async fn open_round(&self, year: i64, per_achievement: i64, actor: &Actor) -> Result<()> {
        audited!(self, actor, |tx, audit| {
            let exists: Option<i64> = sqlx::query_scalar("SELECT year FROM review_rounds WHERE year = $1")
                .bind(year)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_some() {
                return Err(StoreError::Conflict(format!("{year} 年度评审轮次已存在")));
            }
            sqlx::query(
                "INSERT INTO review_rounds (year, status, per_achievement, updated_by, updated_at) VALUES ($1, 'open', $2, $3, $4)",
            )
            .bind(year)
            .bind(per_achievement)
            .bind(&actor.name)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
            audit.push(NewAuditEntry::new(
                AuditAction::Create,
                AuditEntity::ReviewRound,
                year.to_string(),
                None,
                Some(json!({ "year": year, "status": "open", "per_achievement": per_achievement })),
            ));
        });
        Ok(())
    }

    /// Moves a round from `from` to `to` (a transition core::rounds allowed), audited;
    /// refused when the round is no longer at `from` (another request moved it).
    pub async fn set_round_status(&self, year: i64, from: &str, to: &str, actor: &Actor) -> Result<()> {
        audited!(self, actor, |tx, audit| {
            let changed = sqlx::query(
                "UPDATE review_rounds SET status = $3, updated_by = $4, updated_at = $5 WHERE year = $1 AND status = $2",
            )
            .bind(year)
            .bind(from)
            .bind(to)
            .bind(&actor.name)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::Conflict(format!("{year} 年度评审轮次的状态已改变，请刷新后重试")));
            }
            audit.push(NewAuditEntry::new(
                AuditAction::Update,
                AuditEntity::ReviewRound,
                year.to_string(),
                Some(json!({ "status": from })),
                Some(json!({ "status": to })),
            ));
        });
        Ok(())
    }

    /// A year's achievements and the expert pool as the assignment sees them, by code and
    /// by name.
    pub async fn assignment_input(&self, year: i64) -> Result<AssignmentInput> {
        let achievements: Vec<(i64, String, String, String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT a.id, a.code, i.name, i.credit_code, a.industry FROM achievements a \
             JOIN institutions i ON i.id = a.institution_id WHERE a.year = $1 ORDER BY a.code"
        )
        .bind(year)
        .fetch_all(pool)
        .await?);
        let experts: Vec<(i64, String, String, String, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT e.id, e.name, COALESCE(i.name, ''), COALESCE(i.credit_code, ''), e.fields FROM experts e \
             LEFT JOIN institutions i ON i.id = e.institution_id ORDER BY e.name"
        )
        .fetch_all(pool)
        .await?);
        Ok(AssignmentInput {
            achievements: achievements
                .into_iter()
                .map(|(id, code, institution, credit_code, industry)| {
                    (id, Subject { code, institution, credit_code, industry })
                })
                .collect(),
            experts: experts
                .into_iter()
                .map(|(id, name, institution, credit_code, fields)| {
                    (id, Reviewer { name, institution, credit_code, fields: parse_fields(&fields) })
                })
                .collect(),
        })
    }

    /// Replaces a year's assignment by `pairs` (achievement id, expert id) and moves the
    /// round from `from` to `scoring`, in one transaction; each achievement's reviewers
    /// audited.
    pub async fn replace_assignments(
        &self,
        year: i64,
        from: &str,
        pairs: &[(i64, i64)],
        names: &HashMap<i64, String>,
        actor: &Actor,
    ) -> Result<()> {
        let mut by_achievement: std::collections::BTreeMap<i64, Vec<&str>> = Default::default();
        for (achievement, expert) in pairs {
            by_achievement.entry(*achievement).or_default().push(names.get(expert).map(String::as_str).unwrap_or(""));
        }
        audited!(self, actor, |tx, audit| {
            let changed = sqlx::query(
                "UPDATE review_rounds SET status = 'scoring', updated_by = $3, updated_at = $4 WHERE year = $1 AND status = $2",
            )
            .bind(year)
            .bind(from)
            .bind(&actor.name)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::Conflict(format!("{year} 年度评审轮次的状态已改变，请刷新后重试")));
            }
            sqlx::query(
                "DELETE FROM review_assignments WHERE achievement_id IN (SELECT id FROM achievements WHERE year = $1)",
            )
            .bind(year)
            .execute(&mut *tx)
            .await?;
            for chunk in pairs.chunks(rows_per_statement(ASSIGNMENT_PARAMETERS)) {
                let sql = format!(
                    "INSERT INTO review_assignments (achievement_id, expert_id) VALUES {}",
                    value_rows(self.backend(), chunk.len(), ASSIGNMENT_PARAMETERS)
                );
                let mut query = sqlx::query(&sql);
                for (achievement, expert) in chunk {
                    query = query.bind(achievement).bind(expert);
                }
                query.execute(&mut *tx).await?;
            }
            let codes: HashMap<i64, String> =
                sqlx::query_as::<_, (i64, String)>("SELECT id, code FROM achievements WHERE year = $1")
                    .bind(year)
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .collect();
            audit.push(NewAuditEntry::new(
                AuditAction::Update,
                AuditEntity::ReviewRound,
                year.to_string(),
                Some(json!({ "status": from })),
                Some(json!({ "status": "scoring", "assigned": pairs.len() })),
            ));
            for (achievement, experts) in &by_achievement {
                audit.push(NewAuditEntry::new(
                    AuditAction::Create,
                    AuditEntity::ReviewAssignment,
                    codes.get(achievement).cloned().unwrap_or_default(),
                    None,
                    Some(json!({ "assigned": experts })),
                ));
            }
        });
        Ok(())
    }

    /// The reviewers assigned to an achievement, by name, with whether each has scored.
    pub async fn assigned_reviewers(&self, code: &str) -> Result<Vec<AssignedReviewer>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT a.code, e.id AS expert_id, e.name AS reviewer, COALESCE(i.name, '') AS institution, \
             EXISTS (SELECT 1 FROM achievement_reviews r WHERE r.achievement_id = a.id AND r.expert_id = e.id) AS scored \
             FROM review_assignments ra JOIN achievements a ON a.id = ra.achievement_id \
             JOIN experts e ON e.id = ra.expert_id LEFT JOIN institutions i ON i.id = e.institution_id \
             WHERE a.code = $1 ORDER BY e.name"
        )
        .bind(code)
        .fetch_all(pool)
        .await?
        }))
    }

    /// Each expert's number of achievements assigned in a year, by expert id.
    pub async fn assignment_loads(&self, year: i64) -> Result<HashMap<i64, i64>> {
        let rows: Vec<(i64, i64)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT ra.expert_id, COUNT(*) FROM review_assignments ra JOIN achievements a ON a.id = ra.achievement_id \
             WHERE a.year = $1 GROUP BY ra.expert_id"
        )
        .bind(year)
        .fetch_all(pool)
        .await?
        });
        Ok(rows.into_iter().collect())
    }

    /// Each expert with assignments or reviews in a year: (name, achievements assigned,
    /// achievements scored), by name. Imported reviews, and those an achievement registered
    /// again later kept from the year, count as scored without an assignment.
    pub async fn reviewer_progress(&self, year: i64) -> Result<Vec<(String, i64, i64)>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT e.name, SUM(w.assigned), SUM(w.scored) FROM ( \
               SELECT ra.expert_id, 1 AS assigned, 0 AS scored FROM review_assignments ra \
               JOIN achievements a ON a.id = ra.achievement_id WHERE a.year = $1 \
               UNION ALL \
               SELECT r.expert_id, 0, 1 FROM achievement_reviews r \
               JOIN achievements a ON a.id = r.achievement_id WHERE a.year = $1 \
               UNION ALL \
               SELECT expert_id, 0, 1 FROM achievement_past_reviews WHERE year = $1 \
             ) w JOIN experts e ON e.id = w.expert_id GROUP BY e.name ORDER BY e.name"
        )
        .bind(year)
        .fetch_all(pool)
        .await?))
    }

    /// A year's assignments and, of them, those scored.
    pub async fn round_progress(&self, year: i64) -> Result<(i64, i64)> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN r.id IS NULL THEN 0 ELSE 1 END), 0) FROM review_assignments ra \
             JOIN achievements a ON a.id = ra.achievement_id \
             LEFT JOIN achievement_reviews r ON r.achievement_id = ra.achievement_id AND r.expert_id = ra.expert_id \
             WHERE a.year = $1"
        )
        .bind(year)
        .fetch_one(pool)
        .await?))
    }

    /// The scores held for a year's achievements (imported or submitted).
    pub async fn scores_in_year(&self, year: i64) -> Result<i64> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar(
            "SELECT COUNT(*) FROM achievement_reviews r JOIN achievements a ON a.id = r.achievement_id WHERE a.year = $1"
        )
        .bind(year)
        .fetch_one(pool)
        .await?
        }))
    }

    /// Puts expert `new` in the place of `old` on an achievement, audited; refused when
    /// `old` is not assigned there or has scored it.
    pub async fn swap_assignment(
        &self,
        code: &str,
        old: i64,
        new: i64,
        names: (&str, &str),
        actor: &Actor,
    ) -> Result<()> {
        audited!(self, actor, |tx, audit| {
            let achievement: Option<i64> = sqlx::query_scalar("SELECT id FROM achievements WHERE code = $1")
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(achievement) = achievement else {
                return Err(StoreError::NotFound(format!("科技成果“{code}”")));
            };
            let scored: Option<i64> =
                sqlx::query_scalar("SELECT id FROM achievement_reviews WHERE achievement_id = $1 AND expert_id = $2")
                    .bind(achievement)
                    .bind(old)
                    .fetch_optional(&mut *tx)
                    .await?;
            if scored.is_some() {
                return Err(StoreError::Conflict(format!("专家 {} 已提交评分，不能调换", names.0)));
            }
            let removed = sqlx::query("DELETE FROM review_assignments WHERE achievement_id = $1 AND expert_id = $2")
                .bind(achievement)
                .bind(old)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if removed == 0 {
                return Err(StoreError::Conflict(format!("专家 {} 未分配评审成果 {code}", names.0)));
            }
            sqlx::query("INSERT INTO review_assignments (achievement_id, expert_id) VALUES ($1, $2)")
                .bind(achievement)
                .bind(new)
                .execute(&mut *tx)
                .await?;
            audit.push(NewAuditEntry::new(
                AuditAction::Update,
                AuditEntity::ReviewAssignment,
                code,
                Some(json!({ "reviewer": names.0 })),
                Some(json!({ "reviewer": names.1, "replaced": names.0 })),
            ));
        });
        Ok(())
    }

    /// A reviewer's scores and comment on an achievement assigned to it, audited;
    /// refused when it is not assigned.
    pub async fn submit_scores(
        &self,
        code: &str,
        expert: i64,
        scores: Scores,
        comment: &str,
        actor: &Actor,
    ) -> Result<()> {
        audited!(self, actor, |tx, audit| {
            let found: Option<(i64, String, String)> = sqlx::query_as(
                "SELECT a.id, e.name, COALESCE(i.name, '') FROM review_assignments ra \
                 JOIN achievements a ON a.id = ra.achievement_id JOIN experts e ON e.id = ra.expert_id \
                 LEFT JOIN institutions i ON i.id = e.institution_id WHERE a.code = $1 AND ra.expert_id = $2",
            )
            .bind(code)
            .bind(expert)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((achievement, name, institution)) = found else {
                return Err(StoreError::NotFound(format!("分配给您的成果“{code}”")));
            };
            let before: Option<(i64, i64, i64, String)> = sqlx::query_as(
                "SELECT market, economic, technical, comment FROM achievement_reviews WHERE achievement_id = $1 AND expert_id = $2",
            )
            .bind(achievement)
            .bind(expert)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO achievement_reviews (achievement_id, expert_id, reviewer_institution, market, economic, technical, comment) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (achievement_id, expert_id) DO UPDATE SET \
                 market = excluded.market, economic = excluded.economic, technical = excluded.technical, comment = excluded.comment",
            )
            .bind(achievement)
            .bind(expert)
            .bind(&institution)
            .bind(scores.market.0)
            .bind(scores.economic.0)
            .bind(scores.technical.0)
            .bind(comment)
            .execute(&mut *tx)
            .await?;
            let shown =
                |m: i64, e: i64, t: i64, c: &str| json!({ "market": m, "economic": e, "technical": t, "comment": c });
            audit.push(NewAuditEntry::new(
                AuditAction::written(before.is_some()),
                AuditEntity::Review,
                format!("{code}/{name}"),
                before.map(|(m, e, t, c)| shown(m, e, t, &c)),
                Some(shown(scores.market.0, scores.economic.0, scores.technical.0, comment)),
            ));
        });
        Ok(())
    }

    /// A reviewer's own scores and comment on an achievement, if it has scored it.
    pub async fn own_scores(&self, code: &str, expert: i64) -> Result<Option<(i64, i64, i64, String)>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT r.market, r.economic, r.technical, r.comment FROM achievement_reviews r \
             JOIN achievements a ON a.id = r.achievement_id WHERE a.code = $1 AND r.expert_id = $2"
        )
        .bind(code)
        .bind(expert)
        .fetch_optional(pool)
        .await?))
    }
}
