//! Projects of the pipeline, their funds in place, annual targets, activities,
//! problems (一事一议), services (代办领办) and timeline.

use crate::audit::{Actor, NewAuditEntry};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;

/// Everything a project says about itself (what forms and imports write).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ProjectData {
    pub code: String,
    pub name: String,
    pub region_code: String,
    pub park: String,
    pub chain: String,
    pub chain_node: String,
    pub investor: String,
    pub investor_credit_code: String,
    pub investor_origin: String,
    pub investor_type: String,
    pub industry: String,
    /// Yuan.
    pub total_investment: i64,
    /// Stage key (`lead`, `negotiating`, `signed`, `started`, `producing`, `dropped`).
    pub stage: String,
    pub signed_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub producing_on: Option<NaiveDate>,
    pub dropped_reason: String,
    pub source: String,
    pub source_org: String,
    pub department: String,
    pub leader: String,
    pub owner: String,
    pub signing_activity: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Project {
    pub id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub data: ProjectData,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) const PROJECT_DATA_COLUMNS: &[&str] = &[
    "code",
    "name",
    "region_code",
    "park",
    "chain",
    "chain_node",
    "investor",
    "investor_credit_code",
    "investor_origin",
    "investor_type",
    "industry",
    "total_investment",
    "stage",
    "signed_on",
    "started_on",
    "producing_on",
    "dropped_reason",
    "source",
    "source_org",
    "department",
    "leader",
    "owner",
    "signing_activity",
    "description",
];

fn project_columns() -> String {
    format!("id, {}, created_at, updated_at", PROJECT_DATA_COLUMNS.join(", "))
}

/// A project to write, with the note its timeline entry carries (why it changed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectUpsert {
    pub data: ProjectData,
    pub note: String,
}

/// How a write went: which codes were created and which updated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UpsertOutcome {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundingData {
    pub project_code: String,
    pub funded_on: NaiveDate,
    /// Yuan.
    pub amount: i64,
    /// Funding source key (`outside_province`, `abroad`, `within_province`).
    pub source: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Funding {
    pub id: i64,
    pub project_id: i64,
    pub project_code: String,
    pub project_name: String,
    pub region_code: String,
    pub funded_on: NaiveDate,
    pub amount: i64,
    pub source: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FundingOutcome {
    pub inserted: usize,
    /// Rows identical to one already stored (same project, date, amount, source).
    pub duplicates: Vec<FundingData>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Target {
    pub region_code: String,
    pub year: i64,
    pub funds_target: Option<i64>,
    pub signed_investment_target: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Activity {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub start_on: Option<NaiveDate>,
    pub end_on: Option<NaiveDate>,
    pub place: String,
    pub organiser: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ProjectEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_name: String,
    pub kind: String,
    pub from_stage: Option<String>,
    pub to_stage: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, sqlx::FromRow)]
pub struct Problem {
    pub id: i64,
    pub project_id: i64,
    pub description: String,
    pub department: String,
    pub due_on: Option<NaiveDate>,
    /// `open`, `coordinating`, `resolved`.
    pub status: String,
    pub resolution: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, sqlx::FromRow)]
pub struct Service {
    pub id: i64,
    pub project_id: i64,
    pub service: String,
    pub handler: String,
    /// `open`, `done`.
    pub status: String,
    pub note: String,
}

/// The half-open code range `[lo, hi)` of a region prefix: an index range scan
/// on both backends (LIKE 'p%' is not, on SQLite).
pub fn prefix_range(prefix: &str) -> (String, String) {
    if prefix.is_empty() {
        return (String::new(), "~".to_string());
    }
    let mut hi = prefix.as_bytes().to_vec();
    if let Some(last) = hi.last_mut() {
        *last += 1;
    }
    (prefix.to_string(), String::from_utf8(hi).unwrap_or_else(|_| "~".into()))
}

/// From this many new projects on, an SQLite write adds their `stat_sums` grouped
/// instead of row by row in the trigger.
const PAUSE_SUMS_FROM: usize = 64;

/// Codes looked up per statement.
const LOOKUP_CHUNK: usize = 500;

/// Bound parameters per statement: below SQLite's limit (32766) and PostgreSQL's (65535).
const MAX_PARAMETERS: usize = 30_000;

/// A project's timeline entry for a write: a stage change (with the reason of a
/// drop, else the write's note) or an edit.
struct Event {
    project_id: i64,
    kind: &'static str,
    from_stage: Option<String>,
    to_stage: Option<String>,
    note: String,
}

impl Event {
    fn of(project_id: i64, from_stage: Option<String>, upsert: &ProjectUpsert) -> Event {
        let data = &upsert.data;
        let stage_changed = from_stage.as_deref() != Some(data.stage.as_str());
        Event {
            project_id,
            kind: if stage_changed { "stage" } else { "edit" },
            from_stage: from_stage.filter(|_| stage_changed),
            to_stage: Some(data.stage.clone()).filter(|_| stage_changed),
            note: if data.stage == "dropped" && stage_changed && !data.dropped_reason.is_empty() {
                data.dropped_reason.clone()
            } else {
                upsert.note.clone()
            },
        }
    }
}

fn audit_entry(
    actor: &Actor,
    action: &'static str,
    entity: &'static str,
    id: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> NewAuditEntry {
    NewAuditEntry { actor: actor.clone(), action, entity, entity_id: id.to_string(), before, after }
}

impl Store {
    pub async fn project_by_code(&self, code: &str) -> Result<Option<Project>> {
        let sql = format!("SELECT {} FROM projects WHERE code = $1", project_columns());
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(code).fetch_optional(pool).await?))
    }

    pub async fn project(&self, id: i64) -> Result<Option<Project>> {
        let sql = format!("SELECT {} FROM projects WHERE id = $1", project_columns());
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// Creates or updates projects by code in one transaction (all or nothing), with
    /// an audit entry and a timeline event for every project that changed. Stored
    /// projects are read a chunk of codes at a time, new ones inserted many rows per
    /// statement, and timeline events and audit entries written many per statement.
    pub async fn upsert_projects(&self, projects: &[ProjectUpsert], actor: &Actor) -> Result<UpsertOutcome> {
        let n = PROJECT_DATA_COLUMNS.len();
        let assignments: Vec<String> =
            PROJECT_DATA_COLUMNS.iter().enumerate().skip(1).map(|(i, c)| format!("{c} = ${}", i + 1)).collect();
        let update = format!("UPDATE projects SET {}, updated_at = ${} WHERE code = $1", assignments.join(", "), n + 1);
        let mut outcome = UpsertOutcome::default();
        let now = Utc::now();
        let backend = self.backend();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // What is stored under the batch's codes.
            let mut codes: Vec<&str> = projects.iter().map(|p| p.data.code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            let select = |count: usize| {
                format!(
                    "SELECT {} FROM projects WHERE code IN ({})",
                    project_columns(),
                    (1..=count).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
                )
            };
            // Each code's current state as the batch proceeds: its id (None while it is
            // still to be inserted) and data.
            let mut current: HashMap<String, (Option<i64>, ProjectData)> = HashMap::new();
            for chunk in codes.chunks(LOOKUP_CHUNK) {
                let sql = select(chunk.len());
                let mut query = sqlx::query_as(&sql);
                for code in chunk {
                    query = query.bind(*code);
                }
                let found: Vec<Project> = query.fetch_all(&mut *tx).await?;
                for project in found {
                    current.insert(project.data.code.clone(), (Some(project.id), project.data));
                }
            }
            // Sort the batch into new projects and changes, in order.
            let mut creates: Vec<&ProjectUpsert> = Vec::new();
            let mut changes: Vec<(&ProjectUpsert, ProjectData)> = Vec::new();
            for upsert in projects {
                match current.get_mut(&upsert.data.code) {
                    Some((_, stored)) if *stored == upsert.data => outcome.unchanged += 1,
                    Some((_, stored)) => {
                        changes.push((upsert, std::mem::replace(stored, upsert.data.clone())));
                        outcome.updated += 1;
                    }
                    None => {
                        current.insert(upsert.data.code.clone(), (None, upsert.data.clone()));
                        creates.push(upsert);
                        outcome.created += 1;
                    }
                }
            }
            let mut events: Vec<Event> = Vec::with_capacity(creates.len() + changes.len());
            let mut audits: Vec<NewAuditEntry> = Vec::with_capacity(creates.len() + changes.len());
            // New projects, many a statement; their ids come back with their codes. On
            // SQLite the row trigger keeping `stat_sums` is paused for them (a marker row
            // in `meta`, inside this transaction only) and their sums added grouped.
            let pause = backend == crate::Backend::Sqlite && creates.len() >= PAUSE_SUMS_FROM;
            if pause {
                sqlx::query("INSERT INTO meta (key, value) VALUES ('stat_sums_paused', '1')").execute(&mut *tx).await?;
            }
            for chunk in creates.chunks(MAX_PARAMETERS / (n + 2)) {
                let sql = format!(
                    "INSERT INTO projects ({}, created_at, updated_at) VALUES {} RETURNING id, code",
                    PROJECT_DATA_COLUMNS.join(", "),
                    crate::bulk::value_rows(backend, chunk.len(), n + 2)
                );
                let mut query = sqlx::query_as(&sql);
                for upsert in chunk {
                    query = bind_project!(query, &upsert.data).bind(now).bind(now);
                }
                let ids: Vec<(i64, String)> = query.fetch_all(&mut *tx).await?;
                for (id, code) in ids {
                    if let Some(entry) = current.get_mut(&code) {
                        entry.0 = Some(id);
                    }
                }
                for upsert in chunk {
                    let id = current.get(&upsert.data.code).and_then(|(id, _)| *id).unwrap_or_default();
                    events.push(Event::of(id, None, upsert));
                    audits.push(audit_entry(
                        actor,
                        "create",
                        "project",
                        &upsert.data.code,
                        None,
                        Some(json!(upsert.data)),
                    ));
                }
            }
            if pause {
                sqlx::query("DELETE FROM meta WHERE key = 'stat_sums_paused'").execute(&mut *tx).await?;
                let created: Vec<&ProjectData> = creates.iter().map(|upsert| &upsert.data).collect();
                let sums = crate::stats::project_sums(&created);
                for chunk in sums.chunks(MAX_PARAMETERS / 9) {
                    let sql = crate::stats::add_sums_sql(backend, chunk.len());
                    let mut query = sqlx::query(&sql);
                    for (key, records, amount) in chunk {
                        query = query
                            .bind(key.measure)
                            .bind(key.by_chain)
                            .bind(&key.chain)
                            .bind(key.grain)
                            .bind(key.bucket)
                            .bind(&key.region_code)
                            .bind("")
                            .bind(*records)
                            .bind(*amount);
                    }
                    query.execute(&mut *tx).await?;
                }
            }
            // Changes, one statement each (and the funding records follow a project to
            // another region or chain).
            for (upsert, before) in changes {
                let data = &upsert.data;
                bind_project!(sqlx::query(&update), data).bind(now).execute(&mut *tx).await?;
                let id = current.get(&data.code).and_then(|(id, _)| *id).unwrap_or_default();
                if before.region_code != data.region_code || before.chain != data.chain {
                    sqlx::query("UPDATE project_funding SET region_code = $2, chain = $3 WHERE project_id = $1")
                        .bind(id)
                        .bind(&data.region_code)
                        .bind(&data.chain)
                        .execute(&mut *tx)
                        .await?;
                }
                events.push(Event::of(id, Some(before.stage.clone()), upsert));
                audits.push(audit_entry(
                    actor,
                    "update",
                    "project",
                    &data.code,
                    Some(json!(before)),
                    Some(json!(data)),
                ));
            }
            for chunk in events.chunks(MAX_PARAMETERS / 7) {
                let sql = format!(
                    "INSERT INTO project_events (project_id, at, actor_name, kind, from_stage, to_stage, note) VALUES {}",
                    crate::bulk::value_rows(backend, chunk.len(), 7)
                );
                let mut query = sqlx::query(&sql);
                for event in chunk {
                    query = query
                        .bind(event.project_id)
                        .bind(now)
                        .bind(&actor.name)
                        .bind(event.kind)
                        .bind(&event.from_stage)
                        .bind(&event.to_stage)
                        .bind(&event.note);
                }
                query.execute(&mut *tx).await?;
            }
            for chunk in audits.chunks(MAX_PARAMETERS / 8) {
                let sql = format!(
                    "INSERT INTO audit_log (at, actor_id, actor_name, action, entity, entity_id, before_json, after_json) VALUES {}",
                    crate::bulk::value_rows(backend, chunk.len(), 8)
                );
                let mut query = sqlx::query(&sql);
                for entry in chunk {
                    query = query
                        .bind(now)
                        .bind(entry.actor.id)
                        .bind(&entry.actor.name)
                        .bind(entry.action)
                        .bind(entry.entity)
                        .bind(&entry.entity_id)
                        .bind(entry.before.as_ref().map(|v| v.to_string()))
                        .bind(entry.after.as_ref().map(|v| v.to_string()));
                }
                query.execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(outcome)
    }

    /// Appends funding records in one transaction; rows identical to a stored one
    /// are reported, not doubled. Unknown project codes fail the whole batch.
    pub async fn insert_funding(&self, rows: &[FundingData], actor: &Actor) -> Result<FundingOutcome> {
        let mut outcome = FundingOutcome::default();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for row in rows {
                let project: Option<(i64, String, String)> =
                    sqlx::query_as("SELECT id, region_code, chain FROM projects WHERE code = $1")
                        .bind(&row.project_code)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some((project_id, region_code, chain)) = project else {
                    return Err(StoreError::Invalid(format!("项目编号“{}”不存在", row.project_code)));
                };
                let inserted = sqlx::query(
                    "INSERT INTO project_funding (project_id, region_code, chain, funded_on, amount, source) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (project_id, funded_on, amount, source) DO NOTHING",
                )
                .bind(project_id)
                .bind(&region_code)
                .bind(&chain)
                .bind(row.funded_on)
                .bind(row.amount)
                .bind(&row.source)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if inserted == 0 {
                    outcome.duplicates.push(row.clone());
                    continue;
                }
                outcome.inserted += 1;
                write_audit!(tx, &audit_entry(actor, "create", "funding", &row.project_code, None, Some(json!(row))))?;
            }
            tx.commit().await?;
        });
        Ok(outcome)
    }

    pub async fn funding_of_project(&self, project_id: i64) -> Result<Vec<Funding>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT f.id, f.project_id, p.code AS project_code, p.name AS project_name, f.region_code, f.funded_on, f.amount, f.source \
             FROM project_funding f JOIN projects p ON p.id = f.project_id WHERE f.project_id = $1 ORDER BY f.funded_on, f.id"
        )
        .bind(project_id)
        .fetch_all(pool)
        .await?
        }))
    }

    /// Funding records of a scope dated within [from, to], newest first.
    pub async fn funding_in(
        &self,
        prefix: &str,
        chain: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Funding>> {
        let (lo, hi) = prefix_range(prefix);
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT f.id, f.project_id, p.code AS project_code, p.name AS project_name, f.region_code, f.funded_on, f.amount, f.source \
             FROM project_funding f JOIN projects p ON p.id = f.project_id \
             WHERE f.region_code >= $1 AND f.region_code < $2 AND f.funded_on >= $3 AND f.funded_on <= $4 AND ($5 IS NULL OR f.chain = $5) \
             ORDER BY f.funded_on DESC, f.id DESC LIMIT $6 OFFSET $7"
        )
        .bind(lo)
        .bind(hi)
        .bind(from)
        .bind(to)
        .bind(chain)
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?
        }))
    }

    pub async fn funding_count(&self, prefix: &str, from: NaiveDate, to: NaiveDate) -> Result<i64> {
        let (lo, hi) = prefix_range(prefix);
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar(
            "SELECT COUNT(*) FROM project_funding WHERE region_code >= $1 AND region_code < $2 AND funded_on >= $3 AND funded_on <= $4"
        )
        .bind(lo)
        .bind(hi)
        .bind(from)
        .bind(to)
        .fetch_one(pool)
        .await?
        }))
    }

    pub async fn upsert_targets(&self, targets: &[Target], actor: &Actor) -> Result<UpsertOutcome> {
        let mut outcome = UpsertOutcome::default();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for target in targets {
                let before: Option<Target> = sqlx::query_as(
                    "SELECT region_code, year, funds_target, signed_investment_target FROM targets WHERE region_code = $1 AND year = $2",
                )
                .bind(&target.region_code)
                .bind(target.year)
                .fetch_optional(&mut *tx)
                .await?;
                if before.as_ref() == Some(target) {
                    outcome.unchanged += 1;
                    continue;
                }
                sqlx::query(
                    "INSERT INTO targets (region_code, year, funds_target, signed_investment_target) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (region_code, year) DO UPDATE SET funds_target = excluded.funds_target, signed_investment_target = excluded.signed_investment_target",
                )
                .bind(&target.region_code)
                .bind(target.year)
                .bind(target.funds_target)
                .bind(target.signed_investment_target)
                .execute(&mut *tx)
                .await?;
                if before.is_some() {
                    outcome.updated += 1;
                } else {
                    outcome.created += 1;
                }
                let id = format!("{}/{}", target.region_code, target.year);
                write_audit!(
                    tx,
                    &audit_entry(
                        actor,
                        if before.is_some() { "update" } else { "create" },
                        "target",
                        &id,
                        before.map(|b| json!(b)),
                        Some(json!(target))
                    )
                )?;
            }
            tx.commit().await?;
        });
        Ok(outcome)
    }

    pub async fn targets(&self, year: Option<i64>) -> Result<Vec<Target>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT region_code, year, funds_target, signed_investment_target FROM targets WHERE ($1 IS NULL OR year = $1) ORDER BY year, region_code"
        )
        .bind(year)
        .fetch_all(pool)
        .await?
        }))
    }

    /// Creates or updates activities by name.
    pub async fn upsert_activities(&self, activities: &[Activity], actor: &Actor) -> Result<UpsertOutcome> {
        let mut outcome = UpsertOutcome::default();
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for activity in activities {
                let before: Option<Activity> = sqlx::query_as(
                    "SELECT id, name, kind, start_on, end_on, place, organiser FROM activities WHERE name = $1",
                )
                .bind(&activity.name)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(before) = &before {
                    if (Activity { id: before.id, ..activity.clone() }) == *before {
                        outcome.unchanged += 1;
                        continue;
                    }
                }
                sqlx::query(
                    "INSERT INTO activities (name, kind, start_on, end_on, place, organiser) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, start_on = excluded.start_on, end_on = excluded.end_on, \
                     place = excluded.place, organiser = excluded.organiser",
                )
                .bind(&activity.name)
                .bind(&activity.kind)
                .bind(activity.start_on)
                .bind(activity.end_on)
                .bind(&activity.place)
                .bind(&activity.organiser)
                .execute(&mut *tx)
                .await?;
                if before.is_some() {
                    outcome.updated += 1;
                } else {
                    outcome.created += 1;
                }
                write_audit!(
                    tx,
                    &audit_entry(
                        actor,
                        if before.is_some() { "update" } else { "create" },
                        "activity",
                        &activity.name,
                        before.map(|b| json!(b)),
                        Some(json!(activity))
                    )
                )?;
            }
            tx.commit().await?;
        });
        Ok(outcome)
    }

    pub async fn activity_by_name(&self, name: &str) -> Result<Option<Activity>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, name, kind, start_on, end_on, place, organiser FROM activities WHERE name = $1"
        )
        .bind(name)
        .fetch_optional(pool)
        .await?))
    }

    pub async fn activities(&self) -> Result<Vec<Activity>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, name, kind, start_on, end_on, place, organiser FROM activities ORDER BY start_on DESC, name"
        )
        .fetch_all(pool)
        .await?))
    }

    pub async fn project_events(&self, project_id: i64) -> Result<Vec<ProjectEvent>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT id, at, actor_name, kind, from_stage, to_stage, note FROM project_events WHERE project_id = $1 ORDER BY id"
        )
        .bind(project_id)
        .fetch_all(pool)
        .await?
        }))
    }

    pub async fn problems_of_project(&self, project_id: i64) -> Result<Vec<Problem>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT id, project_id, description, department, due_on, status, resolution FROM project_problems WHERE project_id = $1 ORDER BY id"
        )
        .bind(project_id)
        .fetch_all(pool)
        .await?
        }))
    }

    /// Adds (`problem.id == 0`) or updates a problem raised on a project.
    pub async fn save_problem(&self, problem: &Problem, actor: &Actor) -> Result<i64> {
        let id = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id: i64 = if problem.id == 0 {
                sqlx::query_scalar(
                    "INSERT INTO project_problems (project_id, description, department, due_on, status, resolution, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(problem.project_id)
                .bind(&problem.description)
                .bind(&problem.department)
                .bind(problem.due_on)
                .bind(&problem.status)
                .bind(&problem.resolution)
                .bind(Utc::now())
                .fetch_one(&mut *tx)
                .await?
            } else {
                sqlx::query_scalar(
                    "UPDATE project_problems SET description = $3, department = $4, due_on = $5, status = $6, resolution = $7 \
                     WHERE id = $1 AND project_id = $2 RETURNING id",
                )
                .bind(problem.id)
                .bind(problem.project_id)
                .bind(&problem.description)
                .bind(&problem.department)
                .bind(problem.due_on)
                .bind(&problem.status)
                .bind(&problem.resolution)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::NotFound("该问题".into()))?
            };
            sqlx::query("INSERT INTO project_events (project_id, at, actor_name, kind, note) VALUES ($1, $2, $3, 'problem', $4)")
                .bind(problem.project_id)
                .bind(Utc::now())
                .bind(&actor.name)
                .bind(&problem.description)
                .execute(&mut *tx)
                .await?;
            write_audit!(
                tx,
                &audit_entry(
                    actor,
                    if problem.id == 0 { "create" } else { "update" },
                    "problem",
                    &id.to_string(),
                    None,
                    Some(json!(problem))
                )
            )?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    pub async fn services_of_project(&self, project_id: i64) -> Result<Vec<Service>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT id, project_id, service, handler, status, note FROM project_services WHERE project_id = $1 ORDER BY id"
        )
        .bind(project_id)
        .fetch_all(pool)
        .await?
        }))
    }

    /// Adds (`service.id == 0`) or updates an agency service on a project.
    pub async fn save_service(&self, service: &Service, actor: &Actor) -> Result<i64> {
        let id = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let id: i64 = if service.id == 0 {
                sqlx::query_scalar(
                    "INSERT INTO project_services (project_id, service, handler, status, note, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(service.project_id)
                .bind(&service.service)
                .bind(&service.handler)
                .bind(&service.status)
                .bind(&service.note)
                .bind(Utc::now())
                .fetch_one(&mut *tx)
                .await?
            } else {
                sqlx::query_scalar(
                    "UPDATE project_services SET service = $3, handler = $4, status = $5, note = $6 WHERE id = $1 AND project_id = $2 RETURNING id",
                )
                .bind(service.id)
                .bind(service.project_id)
                .bind(&service.service)
                .bind(&service.handler)
                .bind(&service.status)
                .bind(&service.note)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::NotFound("该服务".into()))?
            };
            write_audit!(
                tx,
                &audit_entry(
                    actor,
                    if service.id == 0 { "create" } else { "update" },
                    "service",
                    &id.to_string(),
                    None,
                    Some(json!(service))
                )
            )?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::prefix_range;

    #[test]
    fn prefix_ranges_cover_exactly_the_sub_regions() {
        assert_eq!(prefix_range("6205"), ("6205".to_string(), "6206".to_string()));
        assert_eq!(prefix_range("62"), ("62".to_string(), "63".to_string()));
        let (lo, hi) = prefix_range("6209");
        assert!("620902" >= lo.as_str() && "620902" < hi.as_str());
        assert!("621000" >= hi.as_str());
        assert_eq!(prefix_range(""), (String::new(), "~".to_string()));
    }
}
