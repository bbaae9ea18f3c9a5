//! Work plans (工作方案, 工作计划, migration 0038): plans, their tasks and the progress
//! reported on each, every write audited in its transaction; and the open tasks the
//! inbox reads.

use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::sql::{placeholders, prefix_range};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct WorkPlanData {
    pub region_code: String,
    /// `core::work_plans::PlanKind`'s key.
    pub kind: String,
    pub scheme_id: Option<i64>,
    pub title: String,
    pub start_year: i64,
    pub end_year: i64,
    pub goals: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct WorkPlan {
    pub id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub data: WorkPlanData,
    pub region_name: String,
    pub updated_by: String,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PlanTaskData {
    pub text: String,
    pub group_id: Option<i64>,
    pub department: String,
    pub people: String,
    pub deadline: NaiveDate,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PlanTask {
    pub id: i64,
    pub plan_id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub data: PlanTaskData,
    pub assigned_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    pub plan_title: String,
    pub region_code: String,
    pub group_name: Option<String>,
    pub progress_count: i64,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Progress {
    pub id: i64,
    pub task_id: i64,
    pub reported_on: NaiveDate,
    pub text: String,
    pub done: bool,
    pub recorded_by: String,
}

/// Which open tasks the inbox asks for: not done, of plans of the regions under
/// `region_prefix`, owned by one of `group_ids` or `departments` when either is given,
/// with a deadline before `due_before` when given.
#[derive(Debug, Clone, Default)]
pub struct OpenPlanTaskFilter {
    pub region_prefix: String,
    pub group_ids: Vec<i64>,
    pub departments: Vec<String>,
    pub due_before: Option<NaiveDate>,
}

const PLAN_SELECT: &str = "SELECT p.id, p.region_code, p.kind, p.scheme_id, p.title, p.start_year, p.end_year, \
     p.goals, r.name AS region_name, p.updated_by, p.updated_at FROM work_plans p JOIN regions r ON r.code = p.region_code";

const TASK_SELECT: &str = "SELECT t.id, t.plan_id, t.text, t.group_id, t.department, t.people, t.deadline, \
     t.assigned_on, t.done_on, p.title AS plan_title, p.region_code, g.name AS group_name, \
     (SELECT COUNT(*) FROM work_plan_progress s WHERE s.task_id = t.id) AS progress_count \
     FROM work_plan_tasks t JOIN work_plans p ON p.id = t.plan_id LEFT JOIN assist_groups g ON g.id = t.group_id";

impl Store {
    /// Creates (`id` None) or updates a plan, audited; returns its id.
    pub async fn save_work_plan(&self, id: Option<i64>, data: &WorkPlanData, actor: &Actor) -> Result<i64> {
        let before = match id {
            Some(id) => Some(self.work_plan(id).await?.ok_or_else(|| StoreError::NotFound("该工作方案".into()))?.data),
            None => None,
        };
        let now = Utc::now();
        let id = audited!(self, actor, |tx, audit| {
            let id: i64 = match id {
                None => {
                    sqlx::query_scalar(
                        "INSERT INTO work_plans (region_code, kind, scheme_id, title, start_year, end_year, goals, \
                         updated_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                    )
                    .bind(&data.region_code)
                    .bind(&data.kind)
                    .bind(data.scheme_id)
                    .bind(&data.title)
                    .bind(data.start_year)
                    .bind(data.end_year)
                    .bind(&data.goals)
                    .bind(&actor.name)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?
                }
                Some(id) => {
                    sqlx::query(
                        "UPDATE work_plans SET kind = $2, scheme_id = $3, title = $4, start_year = $5, end_year = $6, \
                         goals = $7, updated_by = $8, updated_at = $9 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(&data.kind)
                    .bind(data.scheme_id)
                    .bind(&data.title)
                    .bind(data.start_year)
                    .bind(data.end_year)
                    .bind(&data.goals)
                    .bind(&actor.name)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    id
                }
            };
            let action = if before.is_some() { AuditAction::Update } else { AuditAction::Create };
            audit.push(NewAuditEntry::new(
                action,
                AuditEntity::WorkPlan,
                id.to_string(),
                before.as_ref().map(|b| json!(b)),
                Some(json!(data)),
            ));
            id
        });
        Ok(id)
    }

    /// The plans of the regions under `region_prefix`: by region, schemes before the
    /// yearly plans, then by year.
    pub async fn work_plans(&self, region_prefix: &str) -> Result<Vec<WorkPlan>> {
        let (lo, hi) = prefix_range(region_prefix);
        let sql = format!(
            "{PLAN_SELECT} WHERE p.region_code >= $1 AND p.region_code < $2 \
             ORDER BY p.region_code, p.kind, p.start_year, p.id"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(&lo).bind(&hi).fetch_all(pool).await?))
    }

    pub async fn work_plan(&self, id: i64) -> Result<Option<WorkPlan>> {
        let sql = format!("{PLAN_SELECT} WHERE p.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// Adds (`id` None) a task to `plan_id`, assigned on `assigned_on`, or updates one of
    /// its tasks (which keeps its day); audited; returns its id.
    pub async fn save_plan_task(
        &self,
        plan_id: i64,
        id: Option<i64>,
        data: &PlanTaskData,
        assigned_on: NaiveDate,
        actor: &Actor,
    ) -> Result<i64> {
        let before = match id {
            Some(id) => Some(
                self.plan_task(id)
                    .await?
                    .filter(|task| task.plan_id == plan_id)
                    .ok_or_else(|| StoreError::NotFound("该任务".into()))?
                    .data,
            ),
            None => None,
        };
        let now = Utc::now();
        let id = audited!(self, actor, |tx, audit| {
            let id: i64 = match id {
                None => {
                    sqlx::query_scalar(
                        "INSERT INTO work_plan_tasks (plan_id, text, group_id, department, people, deadline, \
                         assigned_on, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    )
                    .bind(plan_id)
                    .bind(&data.text)
                    .bind(data.group_id)
                    .bind(&data.department)
                    .bind(&data.people)
                    .bind(data.deadline)
                    .bind(assigned_on)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?
                }
                Some(id) => {
                    sqlx::query(
                        "UPDATE work_plan_tasks SET text = $2, group_id = $3, department = $4, people = $5, \
                         deadline = $6, updated_at = $7 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(&data.text)
                    .bind(data.group_id)
                    .bind(&data.department)
                    .bind(&data.people)
                    .bind(data.deadline)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    id
                }
            };
            let action = if before.is_some() { AuditAction::Update } else { AuditAction::Create };
            let mut after = json!(data);
            after["plan_id"] = json!(plan_id);
            audit.push(NewAuditEntry::new(
                action,
                AuditEntity::WorkPlanTask,
                id.to_string(),
                before.as_ref().map(|b| json!(b)),
                Some(after),
            ));
            id
        });
        Ok(id)
    }

    pub async fn plan_task(&self, id: i64) -> Result<Option<PlanTask>> {
        let sql = format!("{TASK_SELECT} WHERE t.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// A plan's tasks in the order they were added.
    pub async fn plan_tasks(&self, plan_id: i64) -> Result<Vec<PlanTask>> {
        let sql = format!("{TASK_SELECT} WHERE t.plan_id = $1 ORDER BY t.id");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(plan_id).fetch_all(pool).await?))
    }

    /// The tasks a group owns, by deadline.
    pub async fn group_plan_tasks(&self, group_id: i64) -> Result<Vec<PlanTask>> {
        let sql = format!("{TASK_SELECT} WHERE t.group_id = $1 ORDER BY t.deadline, t.id");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(group_id).fetch_all(pool).await?))
    }

    /// Tasks not done, the earliest deadline first (see `OpenPlanTaskFilter`).
    pub async fn open_plan_tasks(&self, filter: &OpenPlanTaskFilter, limit: i64) -> Result<Vec<PlanTask>> {
        let groups = filter.group_ids.len();
        let mut owners = Vec::new();
        if groups > 0 {
            owners.push(format!("t.group_id IN ({})", placeholders(5, groups)));
        }
        if !filter.departments.is_empty() {
            owners.push(format!("t.department IN ({})", placeholders(5 + groups, filter.departments.len())));
        }
        let owners = if owners.is_empty() { String::new() } else { format!(" AND ({})", owners.join(" OR ")) };
        let sql = format!(
            "{TASK_SELECT} WHERE t.done_on IS NULL AND p.region_code >= $1 AND p.region_code < $2 \
             AND ($3 IS NULL OR t.deadline < $3){owners} ORDER BY t.deadline, t.id LIMIT $4"
        );
        let (lo, hi) = prefix_range(&filter.region_prefix);
        Ok(on_pool!(self, |pool| {
            let mut query = sqlx::query_as::<_, PlanTask>(&sql).bind(&lo).bind(&hi).bind(filter.due_before).bind(limit);
            for group in &filter.group_ids {
                query = query.bind(group);
            }
            for department in &filter.departments {
                query = query.bind(department);
            }
            query.fetch_all(pool).await?
        }))
    }

    /// Records a progress report on a task, audited; one saying the task is done marks it
    /// done on its day (a task done stays done). Returns the report's id.
    pub async fn add_plan_progress(
        &self,
        task_id: i64,
        reported_on: NaiveDate,
        text: &str,
        done: bool,
        actor: &Actor,
    ) -> Result<i64> {
        let now = Utc::now();
        let id = audited!(self, actor, |tx, audit| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO work_plan_progress (task_id, reported_on, text, done, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(task_id)
            .bind(reported_on)
            .bind(text)
            .bind(done)
            .bind(&actor.name)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            if done {
                sqlx::query(
                    "UPDATE work_plan_tasks SET done_on = $2, updated_at = $3 WHERE id = $1 AND done_on IS NULL",
                )
                .bind(task_id)
                .bind(reported_on)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            audit.push(NewAuditEntry::new(
                AuditAction::Create,
                AuditEntity::WorkProgress,
                id.to_string(),
                None,
                Some(json!({"task_id": task_id, "reported_on": reported_on, "text": text, "done": done})),
            ));
            id
        });
        Ok(id)
    }

    /// The progress reported on a plan's tasks, by task, oldest first.
    pub async fn plan_progress(&self, plan_id: i64) -> Result<Vec<Progress>> {
        let sql = "SELECT s.id, s.task_id, s.reported_on, s.text, s.done, s.recorded_by FROM work_plan_progress s \
                   JOIN work_plan_tasks t ON t.id = s.task_id WHERE t.plan_id = $1 ORDER BY s.task_id, s.reported_on, s.id";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(plan_id).fetch_all(pool).await?))
    }
}
