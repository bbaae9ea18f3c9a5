//! Activity plans (年度、季度和月度招商活动清单, migration 0045): plans of a region or one
//! of its departments for a period, and their lines, every write audited in its
//! transaction; and the activities the matching (core::activity_plans) reads.

use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::sql::{bind_params, fetch_in_chunks, placeholders, Conditions, Param};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ActivityPlanData {
    pub region_code: String,
    /// Empty for the region's own plan.
    pub department: String,
    /// `core::activity_plans::PeriodKind`'s key.
    pub period_kind: String,
    /// `PlanPeriod::key`: `2024`, `2024Q2`, `2024-05`.
    pub period: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub note: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ActivityPlan {
    pub id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub data: ActivityPlanData,
    pub region_name: String,
    pub line_count: i64,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PlanLineData {
    /// One of `core::activities::KINDS`.
    pub kind: String,
    pub title: String,
    pub place_code: Option<String>,
    /// One a line.
    pub targets: String,
    pub responsible: String,
    pub planned_on: Option<NaiveDate>,
    pub due_on: NaiveDate,
    /// The activity linked by hand.
    pub activity_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PlanLine {
    pub id: i64,
    pub plan_id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub data: PlanLineData,
    pub place_name: Option<String>,
}

/// An activity as the matching reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PlannedActivity {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub start_on: NaiveDate,
    pub region_code: Option<String>,
    pub organiser: String,
    pub place: String,
}

/// The plan list's filters: `scope` is the reader's region prefix (empty: all).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityPlanFilter {
    pub scope: String,
    /// A region (prefix) owning them.
    pub region: Option<String>,
    pub period_kind: Option<String>,
    /// Plans of a year, or of exactly one period key.
    pub year: Option<i32>,
    pub period: Option<String>,
    /// Plans whose period ends on or after this day.
    pub ending_from: Option<NaiveDate>,
}

const PLAN_SELECT: &str = "SELECT p.id, p.region_code, p.department, p.period_kind, p.period, p.period_from, \
     p.period_to, p.note, r.name AS region_name, \
     (SELECT COUNT(*) FROM activity_plan_lines l WHERE l.plan_id = p.id) AS line_count, p.updated_by, p.updated_at \
     FROM activity_plans p JOIN regions r ON r.code = p.region_code";

const LINE_SELECT: &str = "SELECT l.id, l.plan_id, l.kind, l.title, l.place_code, l.targets, l.responsible, \
     l.planned_on, l.due_on, l.activity_id, r.name AS place_name \
     FROM activity_plan_lines l LEFT JOIN regions r ON r.code = l.place_code";

fn conditions(filter: &ActivityPlanFilter) -> Conditions {
    let mut c = Conditions::new();
    if !filter.scope.is_empty() {
        c.push_prefix("p.region_code", &filter.scope);
    }
    if let Some(region) = &filter.region {
        c.push_prefix("p.region_code", region);
    }
    if let Some(kind) = &filter.period_kind {
        c.push("p.period_kind = ?1", vec![Param::Text(kind.clone())]);
    }
    if let Some(year) = filter.year {
        c.push("p.period LIKE ?1", vec![Param::Text(format!("{year}%"))]);
    }
    if let Some(period) = &filter.period {
        c.push("p.period = ?1", vec![Param::Text(period.clone())]);
    }
    if let Some(day) = filter.ending_from {
        c.push("p.period_to >= ?1", vec![Param::Date(day)]);
    }
    c
}

impl Store {
    /// Creates (`id` None) or updates a plan, audited; returns its id. A second plan of
    /// the same owner and period is refused (`StoreError::Conflict`).
    pub async fn save_activity_plan(&self, id: Option<i64>, data: &ActivityPlanData, actor: &Actor) -> Result<i64> {
        let before = match id {
            Some(id) => {
                Some(self.activity_plan(id).await?.ok_or_else(|| StoreError::NotFound("该活动计划".into()))?.data)
            }
            None => None,
        };
        let now = Utc::now();
        let id = audited!(self, actor, |tx, audit| {
            let taken: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM activity_plans WHERE region_code = $1 AND department = $2 AND period = $3",
            )
            .bind(&data.region_code)
            .bind(&data.department)
            .bind(&data.period)
            .fetch_optional(&mut *tx)
            .await?;
            if taken.is_some_and(|taken| Some(taken) != id) {
                return Err(StoreError::Conflict("该单位在这一期间已有活动计划".into()));
            }
            // The same parameters for both: the plan's id last when it is updated.
            let sql = match id {
                None => {
                    "INSERT INTO activity_plans (region_code, department, period_kind, period, period_from, \
                     period_to, note, updated_by, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id"
                }
                Some(_) => {
                    "UPDATE activity_plans SET region_code = $1, department = $2, period_kind = $3, period = $4, \
                     period_from = $5, period_to = $6, note = $7, updated_by = $8, updated_at = $9 WHERE id = $10 \
                     RETURNING id"
                }
            };
            let query = sqlx::query_scalar(sql)
                .bind(&data.region_code)
                .bind(&data.department)
                .bind(&data.period_kind)
                .bind(&data.period)
                .bind(data.period_from)
                .bind(data.period_to)
                .bind(&data.note)
                .bind(&actor.name)
                .bind(now);
            let id: i64 = match id {
                None => query.fetch_one(&mut *tx).await?,
                Some(id) => query.bind(id).fetch_one(&mut *tx).await?,
            };
            let action = if before.is_some() { AuditAction::Update } else { AuditAction::Create };
            audit.push(NewAuditEntry::new(
                action,
                AuditEntity::ActivityPlan,
                id.to_string(),
                before.as_ref().map(|b| json!(b)),
                Some(json!(data)),
            ));
            id
        });
        Ok(id)
    }

    pub async fn activity_plan(&self, id: i64) -> Result<Option<ActivityPlan>> {
        let sql = format!("{PLAN_SELECT} WHERE p.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// A page of plans and the count of all passing `filter`: the latest period first,
    /// years before quarters before months, then by region and department.
    pub async fn activity_plans_page(
        &self,
        filter: &ActivityPlanFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(i64, Vec<ActivityPlan>)> {
        let c = conditions(filter);
        let order = "p.period_from DESC, p.period_to DESC, p.region_code, p.department, p.id";
        let n = c.params.len();
        let sql = format!("{PLAN_SELECT} {} ORDER BY {order} LIMIT ${} OFFSET ${}", c.where_sql(), n + 1, n + 2);
        let count_sql = format!("SELECT COUNT(*) FROM activity_plans p {}", c.where_sql());
        Ok(on_pool!(self, |pool| {
            let count: i64 = bind_params!(sqlx::query_scalar(&count_sql), &c.params).fetch_one(pool).await?;
            let rows: Vec<ActivityPlan> =
                bind_params!(sqlx::query_as(&sql), &c.params).bind(limit).bind(offset).fetch_all(pool).await?;
            (count, rows)
        }))
    }

    /// Adds (`id` None) a line to `plan_id` or updates one of its lines, audited;
    /// returns its id.
    pub async fn save_activity_plan_line(
        &self,
        plan_id: i64,
        id: Option<i64>,
        data: &PlanLineData,
        actor: &Actor,
    ) -> Result<i64> {
        let before = match id {
            Some(id) => Some(
                self.activity_plan_line(id)
                    .await?
                    .filter(|line| line.plan_id == plan_id)
                    .ok_or_else(|| StoreError::NotFound("该计划条目".into()))?
                    .data,
            ),
            None => None,
        };
        let now = Utc::now();
        // The same parameters for both: the line's id last when it is updated.
        let sql = match id {
            None => {
                "INSERT INTO activity_plan_lines (plan_id, kind, title, place_code, targets, responsible, planned_on, \
                 due_on, activity_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"
            }
            Some(_) => {
                "UPDATE activity_plan_lines SET kind = $2, title = $3, place_code = $4, targets = $5, responsible = $6, \
                 planned_on = $7, due_on = $8, activity_id = $9, updated_at = $10 WHERE id = $11 AND plan_id = $1 \
                 RETURNING id"
            }
        };
        let id = audited!(self, actor, |tx, audit| {
            let query = sqlx::query_scalar(sql)
                .bind(plan_id)
                .bind(&data.kind)
                .bind(&data.title)
                .bind(&data.place_code)
                .bind(&data.targets)
                .bind(&data.responsible)
                .bind(data.planned_on)
                .bind(data.due_on)
                .bind(data.activity_id)
                .bind(now);
            let id: i64 = match id {
                None => query.fetch_one(&mut *tx).await?,
                Some(id) => query.bind(id).fetch_one(&mut *tx).await?,
            };
            let action = if before.is_some() { AuditAction::Update } else { AuditAction::Create };
            let mut after = json!(data);
            after["plan_id"] = json!(plan_id);
            audit.push(NewAuditEntry::new(
                action,
                AuditEntity::ActivityPlanLine,
                id.to_string(),
                before.as_ref().map(|b| json!(b)),
                Some(after),
            ));
            id
        });
        Ok(id)
    }

    pub async fn activity_plan_line(&self, id: i64) -> Result<Option<PlanLine>> {
        let sql = format!("{LINE_SELECT} WHERE l.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// The lines of the plans `plan_ids`, by plan, then by due date.
    pub async fn activity_plan_lines(&self, plan_ids: &[i64]) -> Result<Vec<PlanLine>> {
        let mut lines: Vec<PlanLine> = fetch_in_chunks!(self, query_as, plan_ids, |n| format!(
            "{LINE_SELECT} WHERE l.plan_id IN ({})",
            placeholders(1, n)
        ));
        lines.sort_by_key(|line| (line.plan_id, line.data.due_on, line.id));
        Ok(lines)
    }

    /// The activities starting within [from, to] of `kinds`, the earliest first.
    pub async fn planned_activities(
        &self,
        kinds: &[String],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<PlannedActivity>> {
        let mut c = Conditions::new();
        c.push("a.start_on >= ?1 AND a.start_on <= ?2", vec![Param::Date(from), Param::Date(to)]);
        c.push_in("a.kind", kinds);
        let sql = format!(
            "SELECT a.id, a.name, a.kind, a.start_on, a.region_code, a.organiser, a.place FROM activities a {} \
             ORDER BY a.start_on, a.id",
            c.where_sql()
        );
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params).fetch_all(pool).await?))
    }

    /// The activities of `ids` (the hand-linked ones) by id.
    pub async fn planned_activities_of(&self, ids: &[i64]) -> Result<Vec<PlannedActivity>> {
        Ok(fetch_in_chunks!(self, query_as, ids, |n| format!(
            "SELECT a.id, a.name, a.kind, a.start_on, a.region_code, a.organiser, a.place FROM activities a \
             WHERE a.start_on IS NOT NULL AND a.id IN ({})",
            placeholders(1, n)
        )))
    }
}
