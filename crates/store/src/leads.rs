//! Leads registered by chambers (商会线索): each registration with the project it entered
//! the pipeline as (or the earlier lead it duplicated), the response clock's steps, and
//! the province's settlement of a dispute over who brought a lead.

use crate::audit::{Actor, NewAuditEntry};
use crate::audit::{AuditAction, AuditEntity};
use crate::projects::{project_columns, Project, ProjectData, PROJECT_DATA_COLUMNS};
use crate::sql::{bind_params, Conditions, Param};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;

/// A registration as lists and pages show it, with its chamber and its project.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Lead {
    pub id: i64,
    pub project_id: Option<i64>,
    /// The earlier lead this registration was refused for (already registered).
    pub duplicate_of: Option<i64>,
    /// The chamber that brought the lead; none for an enquiry from the portal.
    pub chamber_id: Option<i64>,
    /// Who brought the lead: the chamber's name, else the channel (网上选地, 转化池).
    pub source_name: String,
    /// `CHAMBER_CHANNEL` or the portal's channel the lead came through.
    pub channel: String,
    /// What an enquiry asks about (地块 GS-…, 园区 …, 成果 …); empty for a chamber's lead.
    pub subject: String,
    /// The enquirer's key to follow the answers on the portal.
    pub tracking_code: Option<String>,
    pub referrer_id: Option<i64>,
    pub referrer_name: String,
    pub investor: String,
    pub investor_credit_code: String,
    pub enterprise_id: Option<i64>,
    /// A GB/T 4754 division code.
    pub industry: String,
    /// The project's region (where the lead is followed), else the intended one.
    pub region_code: String,
    /// Yuan.
    pub amount: i64,
    pub contact: String,
    pub notes: String,
    pub lead_on: NaiveDate,
    pub registered_at: DateTime<Utc>,
    /// A `LeadStep` key: the clock's next step, and when it is due.
    pub next_step: Option<String>,
    pub next_due_on: Option<NaiveDate>,
    pub project_code: Option<String>,
    pub project_name: Option<String>,
    /// A `Stage` key.
    pub project_stage: Option<String>,
}

const LEAD_COLUMNS: &str =
    "l.id, l.project_id, l.duplicate_of, l.chamber_id, COALESCE(c.name, l.channel) AS source_name, \
     l.channel, l.subject, l.tracking_code, l.referrer_id, \
     l.referrer_name, l.investor, l.investor_credit_code, l.enterprise_id, l.industry, \
     COALESCE(p.region_code, l.region_code) AS region_code, l.amount, l.contact, l.notes, l.lead_on, l.registered_at, \
     l.next_step, l.next_due_on, p.code AS project_code, p.name AS project_name, p.stage AS project_stage";

const LEAD_TABLES: &str =
    "leads l LEFT JOIN chambers c ON c.id = l.chamber_id LEFT JOIN projects p ON p.id = l.project_id";

/// A registration to store: `project` when it enters the pipeline (its code is given
/// here), else `duplicate_of` names the lead that already holds the investor.
#[derive(Debug, Clone)]
pub struct NewLead {
    /// The chamber that brought it (channel `CHAMBER_CHANNEL`), or none for an enquiry.
    pub chamber_id: Option<i64>,
    pub channel: String,
    pub subject: String,
    pub tracking_code: Option<String>,
    pub referrer_id: Option<i64>,
    pub referrer_name: String,
    pub investor: String,
    pub investor_credit_code: String,
    pub enterprise_id: Option<i64>,
    pub industry: String,
    pub region_code: String,
    pub amount: i64,
    pub contact: String,
    pub notes: String,
    pub lead_on: NaiveDate,
    pub project: Option<ProjectData>,
    pub duplicate_of: Option<i64>,
    pub next_step: Option<String>,
    pub next_due_on: Option<NaiveDate>,
    /// The activity it was registered at.
    pub activity_id: Option<i64>,
}

impl NewLead {
    fn audit_view(&self, chamber: &str) -> serde_json::Value {
        json!({
            "chamber": chamber, "referrer": self.referrer_name, "investor": self.investor,
            "investor_credit_code": self.investor_credit_code, "industry": self.industry,
            "region_code": self.region_code, "amount": self.amount, "contact": self.contact, "notes": self.notes,
            "lead_on": self.lead_on, "project_code": self.project.as_ref().map(|p| p.code.clone()),
            "duplicate_of": self.duplicate_of, "channel": self.channel, "subject": self.subject,
            "activity_id": self.activity_id,
        })
    }
}

/// A recorded step of a lead's response clock.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LeadStepRecord {
    pub id: i64,
    pub lead_id: i64,
    /// A `LeadStep` key.
    pub step: String,
    pub done_on: NaiveDate,
    pub answer: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// Which registrations a list shows.
#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    /// Only this chamber's (a liaison's list).
    pub chamber_id: Option<i64>,
    /// Only leads followed within this region prefix (`""` for all).
    pub region_prefix: Option<String>,
    /// Only leads whose next step is due on or before this day (and still owed: no
    /// progress report once the project is in production or dropped).
    pub due_by: Option<NaiveDate>,
}

fn conditions(filter: &LeadFilter) -> Conditions {
    let mut c = Conditions::new();
    if let Some(chamber) = filter.chamber_id {
        c.push("l.chamber_id = ?1", vec![Param::Int(chamber)]);
    }
    if let Some(prefix) = filter.region_prefix.as_deref().filter(|p| !p.is_empty()) {
        c.push_prefix("COALESCE(p.region_code, l.region_code)", prefix);
    }
    if let Some(day) = filter.due_by {
        c.push(
            "l.next_due_on <= ?1 AND NOT (l.next_step = 'progress' AND p.stage IN ('producing', 'dropped'))",
            vec![Param::Date(day)],
        );
    }
    c
}

impl Store {
    pub async fn lead(&self, id: i64) -> Result<Option<Lead>> {
        let sql = format!("SELECT {LEAD_COLUMNS} FROM {LEAD_TABLES} WHERE l.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// A page of the registrations `filter` matches, newest first (overdue lists: the
    /// longest overdue first).
    pub async fn leads_page(&self, filter: &LeadFilter, limit: i64, offset: i64) -> Result<Vec<Lead>> {
        let c = conditions(filter);
        let order = if filter.due_by.is_some() { "l.next_due_on, l.id" } else { "l.lead_on DESC, l.id DESC" };
        let sql = c.page_sql(LEAD_COLUMNS, LEAD_TABLES, order);
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?))
    }

    pub async fn lead_count(&self, filter: &LeadFilter) -> Result<i64> {
        let c = conditions(filter);
        let sql = format!("SELECT COUNT(*) FROM {LEAD_TABLES} {}", c.where_sql());
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_scalar(&sql), &c.params).fetch_one(pool).await?))
    }

    /// The leads in the pipeline registered on or after `since` that may hold the same
    /// investor: the same credit code (when given) or the same industry.
    pub async fn lead_candidates(&self, credit_code: &str, industry: &str, since: NaiveDate) -> Result<Vec<Lead>> {
        let sql = format!(
            "SELECT {LEAD_COLUMNS} FROM {LEAD_TABLES} WHERE l.project_id IS NOT NULL AND l.lead_on >= $1 \
             AND ((l.investor_credit_code = $2 AND $2 <> '') OR (l.industry = $3 AND $3 <> '')) \
             ORDER BY l.lead_on, l.id"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(since)
            .bind(credit_code)
            .bind(industry)
            .fetch_all(pool)
            .await?))
    }

    /// The lead an enquirer follows by its tracking code.
    pub async fn lead_by_tracking_code(&self, code: &str) -> Result<Option<Lead>> {
        let sql = format!("SELECT {LEAD_COLUMNS} FROM {LEAD_TABLES} WHERE l.tracking_code = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(code).fetch_optional(pool).await?))
    }

    /// The registrations refused because `lead_id` already held their investor.
    pub async fn lead_duplicates(&self, lead_id: i64) -> Result<Vec<Lead>> {
        let sql = format!("SELECT {LEAD_COLUMNS} FROM {LEAD_TABLES} WHERE l.duplicate_of = $1 ORDER BY l.id");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(lead_id).fetch_all(pool).await?))
    }

    pub async fn lead_steps(&self, lead_id: i64) -> Result<Vec<LeadStepRecord>> {
        let sql = "SELECT id, lead_id, step, done_on, answer, recorded_by, recorded_at FROM lead_steps \
                   WHERE lead_id = $1 ORDER BY id";
        Ok(on_pool!(self, |pool| sqlx::query_as(sql).bind(lead_id).fetch_all(pool).await?))
    }

    /// Stores a registration, and its project (stage 线索, with a timeline entry) when
    /// it enters the pipeline, in one audited transaction; returns its id.
    pub async fn register_lead(&self, new: &NewLead, actor: &Actor) -> Result<i64> {
        let now = Utc::now();
        let insert_project = format!(
            "INSERT INTO projects ({}, created_at, updated_at) VALUES ({}) RETURNING id",
            PROJECT_DATA_COLUMNS.join(", "),
            crate::sql::placeholders(1, PROJECT_DATA_COLUMNS.len() + 2)
        );
        let id = audited!(self, actor, |tx, audit| {
            // Who brought it, as the timeline and the audit name it.
            let source: String = match new.chamber_id {
                Some(chamber_id) => sqlx::query_scalar("SELECT name FROM chambers WHERE id = $1")
                    .bind(chamber_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| StoreError::NotFound("该商会".into()))?,
                None => new.channel.clone(),
            };
            let project_id: Option<i64> = match &new.project {
                Some(project) => {
                    let id: i64 = bind_project!(sqlx::query_scalar(&insert_project), project)
                        .bind(now)
                        .bind(now)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(crate::conflict_as(format!("项目编号“{}”已存在", project.code)))?;
                    sqlx::query(
                        "INSERT INTO project_events (project_id, at, actor_name, kind, from_stage, to_stage, note) \
                         VALUES ($1, $2, $3, 'stage', NULL, $4, $5)",
                    )
                    .bind(id)
                    .bind(now)
                    .bind(&actor.name)
                    .bind(&project.stage)
                    .bind(format!("{source}登记的线索"))
                    .execute(&mut *tx)
                    .await?;
                    audit.push(crate::audit::record_entry(AuditAction::Create, None, project));
                    Some(id)
                }
                None => None,
            };
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO leads (project_id, duplicate_of, chamber_id, referrer_id, referrer_name, investor, \
                 investor_credit_code, enterprise_id, industry, region_code, amount, contact, notes, lead_on, \
                 registered_at, next_step, next_due_on, channel, subject, tracking_code, activity_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
                 $21) \
                 RETURNING id",
            )
            .bind(project_id)
            .bind(new.duplicate_of)
            .bind(new.chamber_id)
            .bind(new.referrer_id)
            .bind(&new.referrer_name)
            .bind(&new.investor)
            .bind(&new.investor_credit_code)
            .bind(new.enterprise_id)
            .bind(&new.industry)
            .bind(&new.region_code)
            .bind(new.amount)
            .bind(&new.contact)
            .bind(&new.notes)
            .bind(new.lead_on)
            .bind(now)
            .bind(&new.next_step)
            .bind(new.next_due_on)
            .bind(&new.channel)
            .bind(&new.subject)
            .bind(&new.tracking_code)
            .bind(new.activity_id)
            .fetch_one(&mut *tx)
            .await?;
            audit.push(NewAuditEntry::new(
                AuditAction::Create,
                AuditEntity::Lead,
                id.to_string(),
                None,
                Some(new.audit_view(&source)),
            ));
            id
        });
        Ok(id)
    }

    /// Records a step of a lead's clock with its answer, and the clock's next step.
    pub async fn record_lead_step(
        &self,
        lead_id: i64,
        step: &str,
        done_on: NaiveDate,
        answer: &str,
        next: (Option<&str>, Option<NaiveDate>),
        actor: &Actor,
    ) -> Result<()> {
        let now = Utc::now();
        audited!(self, actor, |tx, audit| {
            let step_id: i64 = sqlx::query_scalar(
                "INSERT INTO lead_steps (lead_id, step, done_on, answer, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(lead_id)
            .bind(step)
            .bind(done_on)
            .bind(answer)
            .bind(&actor.name)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("UPDATE leads SET next_step = $2, next_due_on = $3 WHERE id = $1")
                .bind(lead_id)
                .bind(next.0)
                .bind(next.1)
                .execute(&mut *tx)
                .await?;
            audit.push(NewAuditEntry::new(
                AuditAction::Create,
                AuditEntity::LeadStep,
                step_id.to_string(),
                None,
                Some(json!({ "lead_id": lead_id, "step": step, "done_on": done_on, "answer": answer,
                             "next_due_on": next.1 })),
            ));
        });
        Ok(())
    }

    /// Settles a dispute: the lead `lead_id` goes to the chamber and referrer of the
    /// registration `refused_id` refused for it, which keeps the lead's former holder
    /// on record; the project's 来源单位 follows. Audited, with a timeline entry.
    pub async fn settle_lead(&self, lead_id: i64, refused_id: i64, actor: &Actor) -> Result<()> {
        let select = format!("SELECT {LEAD_COLUMNS} FROM {LEAD_TABLES} WHERE l.id = $1");
        let swap = "UPDATE leads SET chamber_id = $2, referrer_id = $3, referrer_name = $4 WHERE id = $1";
        let now = Utc::now();
        audited!(self, actor, |tx, audit| {
            let lead: Lead = sqlx::query_as(&select)
                .bind(lead_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::NotFound("该线索".into()))?;
            let refused: Option<Lead> = sqlx::query_as(&select).bind(refused_id).fetch_optional(&mut *tx).await?;
            let refused = refused
                .filter(|refused| refused.duplicate_of == Some(lead_id))
                .ok_or_else(|| StoreError::NotFound("该线索的重复登记".into()))?;
            let project_id = lead.project_id.ok_or_else(|| StoreError::NotFound("该线索的项目".into()))?;
            for (id, to) in [(lead.id, &refused), (refused.id, &lead)] {
                sqlx::query(swap)
                    .bind(id)
                    .bind(to.chamber_id)
                    .bind(to.referrer_id)
                    .bind(&to.referrer_name)
                    .execute(&mut *tx)
                    .await?;
            }
            let project_sql = format!("SELECT {} FROM projects WHERE id = $1", project_columns());
            let before: Project = sqlx::query_as(&project_sql).bind(project_id).fetch_one(&mut *tx).await?;
            let after = ProjectData { source_org: refused.source_name.clone(), ..before.data.clone() };
            sqlx::query("UPDATE projects SET source_org = $2, updated_at = $3 WHERE id = $1")
                .bind(project_id)
                .bind(&after.source_org)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO project_events (project_id, at, actor_name, kind, from_stage, to_stage, note) \
                 VALUES ($1, $2, $3, 'edit', NULL, NULL, $4)",
            )
            .bind(project_id)
            .bind(now)
            .bind(&actor.name)
            .bind(format!("省级裁定线索归属：{} → {}", lead.source_name, refused.source_name))
            .execute(&mut *tx)
            .await?;
            let holder = |l: &Lead| json!({ "chamber": l.source_name, "referrer": l.referrer_name });
            audit.push(NewAuditEntry::new(
                AuditAction::Update,
                AuditEntity::Lead,
                lead.id.to_string(),
                Some(holder(&lead)),
                Some(holder(&refused)),
            ));
            audit.push(NewAuditEntry::new(
                AuditAction::Update,
                AuditEntity::Lead,
                refused.id.to_string(),
                Some(holder(&refused)),
                Some(holder(&lead)),
            ));
            audit.push(crate::audit::record_entry(AuditAction::Update, Some(&before.data), &after));
        });
        Ok(())
    }

    /// The next free lead code of a day: `XS-YYYYMMDD-NNN`.
    pub async fn next_lead_code(&self, day: NaiveDate) -> Result<String> {
        let prefix = format!("XS-{}-", day.format("%Y%m%d"));
        let taken: i64 =
            on_pool!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM projects WHERE code >= $1 AND code < $2")
                .bind(&prefix)
                .bind(format!("{prefix}~"))
                .fetch_one(pool)
                .await?);
        Ok(format!("{prefix}{:03}", taken + 1))
    }
}
