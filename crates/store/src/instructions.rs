//! Leaders' instructions (批示) and the departments' tasks they are split into: typed
//! rows, audited writes, each task's steps with the course they leave (core::instructions),
//! and the open tasks of the boards and the inbox.

use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::sql::{placeholders, prefix_range};
use crate::{conflict_as, Result, Store};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use zhaoshang_core::instructions::{Grade, LinkedKind, Part, Satisfaction, StepKind, TaskCourse, TaskState};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct InstructionData {
    pub report_id: i64,
    /// `None`: on the whole report.
    pub suggestion_id: Option<i64>,
    /// An `InstructionKind` key.
    pub kind: String,
    pub leader_name: String,
    pub text: String,
    pub instructed_on: NaiveDate,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Instruction {
    pub id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub data: InstructionData,
    pub written_by: String,
    pub suggestion_number: Option<i64>,
    pub region_code: String,
    pub created_at: DateTime<Utc>,
}

/// A task as assigned: the department, its part, its dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    pub department: String,
    pub part: Part,
    pub assigned_on: NaiveDate,
    pub deadline: NaiveDate,
    pub co_due_on: Option<NaiveDate>,
}

/// A task with its course and what the boards show of its instruction and report.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Task {
    pub id: i64,
    pub instruction_id: i64,
    pub department: String,
    pub part: String,
    pub assigned_on: NaiveDate,
    pub deadline: NaiveDate,
    pub co_due_on: Option<NaiveDate>,
    pub state: String,
    pub contested: bool,
    pub grade: String,
    pub satisfaction: String,
    pub sent_back: bool,
    pub answered_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub last_step_on: NaiveDate,
    pub report_id: i64,
    pub report_title: String,
    pub region_code: String,
    pub filed_by: Option<i64>,
    pub suggestion_id: Option<i64>,
    pub suggestion_number: Option<i64>,
    pub leader_name: String,
    pub instructed_on: NaiveDate,
}

impl Task {
    /// The course the row keeps, as core folds it.
    pub fn course(&self) -> TaskCourse {
        TaskCourse {
            state: TaskState::from_key(&self.state).unwrap_or(TaskState::Assigned),
            assigned_on: self.assigned_on,
            deadline: self.deadline,
            contested: self.contested,
            grade: Grade::from_key(&self.grade),
            satisfaction: Satisfaction::from_key(&self.satisfaction),
            sent_back: self.sent_back,
            answered_on: self.answered_on,
            closed_on: self.closed_on,
            last_step_on: self.last_step_on,
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TaskStepRecord {
    pub id: i64,
    pub task_id: i64,
    /// A `StepKind` key.
    pub kind: String,
    pub taken_on: NaiveDate,
    pub detail: String,
    pub grade: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A record a task changed (migration 0039).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TaskLink {
    pub id: i64,
    pub task_id: i64,
    /// A `LinkedKind` key.
    pub kind: String,
    pub record_key: String,
    pub linked_by: String,
    pub linked_at: DateTime<Utc>,
}

/// Which open tasks (owing a reply) to list.
#[derive(Debug, Clone, Default)]
pub struct OpenTaskFilter {
    /// Tasks on reports of regions under this prefix ("" = all).
    pub region_prefix: String,
    /// Only these departments' (empty = any).
    pub departments: Vec<String>,
    /// Only deadlines before this day.
    pub due_before: Option<NaiveDate>,
}

const INSTRUCTION_SELECT: &str = "SELECT i.id, i.report_id, i.suggestion_id, i.kind, i.leader_name, i.text, \
     i.instructed_on, i.written_by, s.number AS suggestion_number, r.region_code, i.created_at \
     FROM instructions i JOIN research_reports r ON r.id = i.report_id \
     LEFT JOIN report_suggestions s ON s.id = i.suggestion_id";

const TASK_SELECT: &str = "SELECT t.id, t.instruction_id, t.department, t.part, t.assigned_on, t.deadline, \
     t.co_due_on, t.state, t.contested, t.grade, t.satisfaction, t.sent_back, t.answered_on, t.closed_on, \
     t.last_step_on, i.report_id, r.title AS report_title, r.region_code, r.filed_by, i.suggestion_id, \
     s.number AS suggestion_number, i.leader_name, i.instructed_on \
     FROM instruction_tasks t JOIN instructions i ON i.id = t.instruction_id \
     JOIN research_reports r ON r.id = i.report_id LEFT JOIN report_suggestions s ON s.id = i.suggestion_id";

/// The states in which a task owes a reply.
const OPEN_STATES: &str = "('assigned', 'interim', 'sent_back')";

impl Store {
    /// Writes a leader's instruction, with its audit entry.
    pub async fn save_instruction(&self, data: &InstructionData, actor: &Actor) -> Result<i64> {
        let now = Utc::now();
        let id = audited!(self, actor, |tx, audit| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO instructions (report_id, suggestion_id, kind, leader_name, text, instructed_on, \
                 written_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(data.report_id)
            .bind(data.suggestion_id)
            .bind(&data.kind)
            .bind(&data.leader_name)
            .bind(&data.text)
            .bind(data.instructed_on)
            .bind(&actor.name)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            audit.push(NewAuditEntry::new(
                AuditAction::Create,
                AuditEntity::Instruction,
                id.to_string(),
                None,
                Some(serde_json::to_value(data).unwrap_or_default()),
            ));
            id
        });
        Ok(id)
    }

    pub async fn instruction(&self, id: i64) -> Result<Option<Instruction>> {
        let sql = format!("{INSTRUCTION_SELECT} WHERE i.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// A report's instructions, in the order they were written.
    pub async fn report_instructions(&self, report_id: i64) -> Result<Vec<Instruction>> {
        let sql = format!("{INSTRUCTION_SELECT} WHERE i.report_id = $1 ORDER BY i.instructed_on, i.id");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(report_id).fetch_all(pool).await?))
    }

    /// Assigns an instruction's tasks to departments, each with its audit entry; a
    /// department already holding a task of the instruction is refused.
    pub async fn assign_tasks(&self, instruction_id: i64, tasks: &[NewTask], actor: &Actor) -> Result<Vec<i64>> {
        let now = Utc::now();
        let ids = audited!(self, actor, |tx, audit| {
            let mut ids = Vec::with_capacity(tasks.len());
            for task in tasks {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO instruction_tasks (instruction_id, department, part, assigned_on, deadline, \
                     co_due_on, state, last_step_on, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $4, $8) \
                     RETURNING id",
                )
                .bind(instruction_id)
                .bind(&task.department)
                .bind(task.part.key())
                .bind(task.assigned_on)
                .bind(task.deadline)
                .bind(task.co_due_on)
                .bind(TaskState::Assigned.key())
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(conflict_as(format!("“{}”已承办该批示的任务", task.department)))?;
                audit.push(NewAuditEntry::new(
                    AuditAction::Create,
                    AuditEntity::InstructionTask,
                    id.to_string(),
                    None,
                    Some(json!({
                        "instruction_id": instruction_id, "department": task.department, "part": task.part.key(),
                        "assigned_on": task.assigned_on, "deadline": task.deadline, "co_due_on": task.co_due_on,
                        "state": TaskState::Assigned.key(),
                    })),
                ));
                ids.push(id);
            }
            ids
        });
        Ok(ids)
    }

    pub async fn task(&self, id: i64) -> Result<Option<Task>> {
        let sql = format!("{TASK_SELECT} WHERE t.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// The tasks of every instruction on a report, by instruction, lead department first.
    pub async fn report_tasks(&self, report_id: i64) -> Result<Vec<Task>> {
        let sql = format!("{TASK_SELECT} WHERE i.report_id = $1 ORDER BY t.instruction_id, t.part DESC, t.id");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(report_id).fetch_all(pool).await?))
    }

    /// Tasks owing a reply, the earliest deadline first.
    pub async fn open_tasks(&self, filter: &OpenTaskFilter, limit: i64) -> Result<Vec<Task>> {
        let departments = if filter.departments.is_empty() {
            String::new()
        } else {
            format!(" AND t.department IN ({})", placeholders(5, filter.departments.len()))
        };
        let sql = format!(
            "{TASK_SELECT} WHERE t.state IN {OPEN_STATES} AND r.region_code >= $1 AND r.region_code < $2 \
             AND ($3 IS NULL OR t.deadline < $3){departments} ORDER BY t.deadline, t.id LIMIT $4"
        );
        let (lo, hi) = prefix_range(&filter.region_prefix);
        Ok(on_pool!(self, |pool| {
            let mut query = sqlx::query_as::<_, Task>(&sql).bind(&lo).bind(&hi).bind(filter.due_before).bind(limit);
            for department in &filter.departments {
                query = query.bind(department);
            }
            query.fetch_all(pool).await?
        }))
    }

    /// Records a step of a task and the course it leaves, in one transaction with its
    /// audit entry; `None` (nothing written) when the task changed since `before` was
    /// read (another user's step came first).
    pub async fn record_task_step(
        &self,
        before: &Task,
        after: &TaskCourse,
        step: (StepKind, NaiveDate, &str, Option<Grade>),
        actor: &Actor,
    ) -> Result<Option<i64>> {
        let (kind, taken_on, detail, grade) = step;
        let now = Utc::now();
        let step_id = audited!(self, actor, |tx, audit| {
            let updated = sqlx::query(
                "UPDATE instruction_tasks SET state = $2, deadline = $3, contested = $4, grade = $5, \
                 satisfaction = $6, sent_back = $7, answered_on = $8, closed_on = $9, last_step_on = $10, \
                 updated_at = $11 WHERE id = $1 AND state = $12 AND contested = $13 AND last_step_on = $14",
            )
            .bind(before.id)
            .bind(after.state.key())
            .bind(after.deadline)
            .bind(after.contested)
            .bind(after.grade.map_or("", Grade::key))
            .bind(after.satisfaction.map_or("", Satisfaction::key))
            .bind(after.sent_back)
            .bind(after.answered_on)
            .bind(after.closed_on)
            .bind(after.last_step_on)
            .bind(now)
            .bind(&before.state)
            .bind(before.contested)
            .bind(before.last_step_on)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                None
            } else {
                let step_id: i64 = sqlx::query_scalar(
                    "INSERT INTO task_steps (task_id, kind, taken_on, detail, grade, recorded_by, recorded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(before.id)
                .bind(kind.key())
                .bind(taken_on)
                .bind(detail)
                .bind(grade.map_or("", Grade::key))
                .bind(&actor.name)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                audit.push(NewAuditEntry::new(
                    AuditAction::Create,
                    AuditEntity::TaskStep,
                    step_id.to_string(),
                    None,
                    Some(json!({
                        "department": before.department, "kind": kind.key(), "taken_on": taken_on,
                        "detail": detail, "grade": grade.map_or("", Grade::key), "state": after.state.key(),
                        "deadline": after.deadline, "satisfaction": after.satisfaction.map_or("", Satisfaction::key),
                        "sent_back": after.sent_back,
                    })),
                ));
                Some(step_id)
            }
        });
        Ok(step_id)
    }

    /// The steps of a report's tasks, in order.
    pub async fn report_task_steps(&self, report_id: i64) -> Result<Vec<TaskStepRecord>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT st.id, st.task_id, st.kind, st.taken_on, st.detail, st.grade, st.recorded_by, st.recorded_at \
             FROM task_steps st JOIN instruction_tasks t ON t.id = st.task_id \
             JOIN instructions i ON i.id = t.instruction_id WHERE i.report_id = $1 ORDER BY st.id"
        )
        .bind(report_id)
        .fetch_all(pool)
        .await?))
    }

    /// Links a record to a task, audited; `None` (nothing written) when it is linked already.
    pub async fn add_task_link(&self, task_id: i64, kind: LinkedKind, key: &str, actor: &Actor) -> Result<Option<i64>> {
        let now = Utc::now();
        let id = audited!(self, actor, |tx, audit| {
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO task_links (task_id, kind, record_key, linked_by, linked_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (task_id, kind, record_key) DO NOTHING RETURNING id",
            )
            .bind(task_id)
            .bind(kind.key())
            .bind(key)
            .bind(&actor.name)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = id {
                audit.push(NewAuditEntry::new(
                    AuditAction::Create,
                    AuditEntity::TaskLink,
                    id.to_string(),
                    None,
                    Some(json!({ "task_id": task_id, "kind": kind.key(), "record_key": key })),
                ));
            }
            id
        });
        Ok(id)
    }

    /// The records linked to the tasks of a report, in the order they were linked.
    pub async fn report_task_links(&self, report_id: i64) -> Result<Vec<TaskLink>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT l.id, l.task_id, l.kind, l.record_key, l.linked_by, l.linked_at \
             FROM task_links l JOIN instruction_tasks t ON t.id = l.task_id \
             JOIN instructions i ON i.id = t.instruction_id WHERE i.report_id = $1 ORDER BY l.id"
        )
        .bind(report_id)
        .fetch_all(pool)
        .await?))
    }

    /// The departments a chain-department user answers for: those leading its chains.
    pub async fn user_departments(&self, user_id: i64) -> Result<Vec<String>> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT DISTINCT c.lead_department FROM user_chains u JOIN chains c ON c.id = u.chain_id \
             WHERE u.user_id = $1 AND c.lead_department <> '' ORDER BY c.lead_department"
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?))
    }
}
