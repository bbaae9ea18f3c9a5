//! Projects of the pipeline, their funds in place, annual targets, problems
//! (一事一议), services (代办领办) and timeline.

use crate::audit::{created_entries, record_entry, Actor, AuditRow, NewAuditEntry};
use crate::audit::{AuditAction, AuditEntity};
use crate::sql::{bind_params, fetch_in_chunks, placeholders, rows_per_statement, value_rows, Conditions, Param};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{HashMap, HashSet};

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
    /// The day the lead was registered (线索日期); unknown for projects stored before it was kept.
    pub lead_on: Option<NaiveDate>,
    pub dropped_reason: String,
    pub source: String,
    pub source_org: String,
    pub department: String,
    pub leader: String,
    pub owner: String,
    pub signing_activity: String,
    pub description: String,
    /// While funds in place exceed the total investment: `unconfirmed` or `confirmed`
    /// (`core::projects::plausible::ExcessFunds`); empty otherwise.
    pub excess_funds: String,
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
    "lead_on",
    "dropped_reason",
    "source",
    "source_org",
    "department",
    "leader",
    "owner",
    "signing_activity",
    "description",
    "excess_funds",
];

pub(crate) fn project_columns() -> String {
    format!("id, {}, created_at, updated_at", PROJECT_DATA_COLUMNS.join(", "))
}

/// A project to write, with the note its timeline entry carries (why it changed).
#[derive(Debug, Clone)]
pub struct ProjectUpsert {
    pub data: ProjectData,
    pub note: String,
}

/// The project a record writes, which an import compares with the stored one. (A record
/// has no equality of its own, so that it agrees with its project's as `Borrow` asks.)
impl std::borrow::Borrow<ProjectData> for ProjectUpsert {
    fn borrow(&self) -> &ProjectData {
        &self.data
    }
}

/// How a write went: which codes were created and which updated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UpsertOutcome {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl UpsertOutcome {
    /// Counts a record written, updated where one `existed` and else created, and
    /// returns the audit action that names the write.
    pub(crate) fn count_written(&mut self, existed: bool) -> AuditAction {
        if existed {
            self.updated += 1;
        } else {
            self.created += 1;
        }
        AuditAction::written(existed)
    }
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

/// Which funding records a list shows: a region scope (code prefix), the user's chains
/// (`None` for any), dated within [from, to], optionally of the projects of one source
/// (项目来源) or one source organisation (来源单位).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundingFilter {
    pub prefix: String,
    pub chains: Option<Vec<String>>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub source: Option<String>,
    pub source_org: Option<String>,
}

/// The columns of a `Funding` as read from `FUNDING_WITH_PROJECT`.
pub(crate) const FUNDING_COLUMNS: &str = "f.id, f.project_id, p.code AS project_code, p.name AS project_name, \
     f.region_code, f.funded_on, f.amount, f.source";

/// Funding records with their projects, which name them.
pub(crate) const FUNDING_WITH_PROJECT: &str = "project_funding f JOIN projects p ON p.id = f.project_id";

/// A project's excess-funds flag going from `before` to `after` (keys of
/// `core::projects::plausible::ExcessFunds`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExcessFundsChange {
    pub code: String,
    pub before: String,
    pub after: String,
}

/// Writes `$changes` (`ExcessFundsChange`s) in transaction `$tx`, each audited as a change
/// of its project; a flag that is no longer `before` is left as it is.
macro_rules! write_excess_funds {
    ($tx:ident, $audit:ident, $changes:expr, $now:expr) => {
        for change in $changes {
            let changed = sqlx::query(
                "UPDATE projects SET excess_funds = $2, updated_at = $4 WHERE code = $1 AND excess_funds = $3",
            )
            .bind(&change.code)
            .bind(&change.after)
            .bind(&change.before)
            .bind($now)
            .execute(&mut *$tx)
            .await?
            .rows_affected();
            if changed > 0 {
                $audit.push(NewAuditEntry::new(
                    AuditAction::Update,
                    AuditEntity::Project,
                    &change.code,
                    Some(json!({ "excess_funds": change.before })),
                    Some(json!({ "excess_funds": change.after })),
                ));
            }
        }
    };
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

/// From this many new records on, an SQLite write adds their kept sums grouped
/// instead of row by row in the triggers (projects: `stat_sums` and `stat_pairs`;
/// appeals: `appeal_sums`), and a batch this large is written with the bulk settings
/// of `bulk_audited!`.
pub(crate) const PAUSE_SUMS_FROM: usize = 64;

/// Pauses (in the writing transaction only) SQLite's row triggers that keep
/// `stat_sums`, `stat_pairs` and the `stats` counter of `data_versions` for the new
/// projects or funding records of a bulk write (migrations 0006, 0009, 0040).
pub(crate) const PAUSE_SUMS: &str = "INSERT INTO meta (key, value) VALUES ('stat_sums_paused', '1')";

/// Ends `PAUSE_SUMS`, moving the `stats` counter on once for the rows written meanwhile.
pub(crate) const RESUME_SUMS: &str = "DELETE FROM meta WHERE key = 'stat_sums_paused'; \
     UPDATE data_versions SET version = version + 1 WHERE name = 'stats'";

/// What the funding records above id `$1` add to `stat_sums` (SQLite), grouped: the
/// rule of the insert trigger of migration 0006 for a bulk write that pauses it.
pub(crate) const ADD_NEW_FUNDING_SUMS: &str =
    "INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, \
     source, records, amount) \
     SELECT 'F', k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE f.chain END, g.grain, \
     CASE g.grain WHEN 'D' THEN f.funded_on WHEN 'M' THEN substr(f.funded_on, 1, 8) || '01' \
     ELSE substr(f.funded_on, 1, 5) || '01-01' END, f.region_code, f.source, COUNT(*), SUM(f.amount) \
     FROM project_funding f, (SELECT 0 AS by_chain UNION ALL SELECT 1) AS k, \
     (SELECT 'D' AS grain UNION ALL SELECT 'M' UNION ALL SELECT 'Y') AS g \
     WHERE f.id > $1 GROUP BY 2, 3, 4, 5, 6, 7 \
     ON CONFLICT (measure, by_chain, chain, grain, bucket, region_code, source) \
     DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount";

/// What the funding records above id `$1` add to `report_sums` (SQLite), grouped: the
/// rule of the insert trigger of migration 0051 for a bulk write that pauses it (and,
/// from id 0, a restore's refill).
pub(crate) const ADD_NEW_REPORT_FUNDING_SUMS: &str =
    "INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount) \
     SELECT 'F', k.facet, g.grain, \
            CASE g.grain WHEN 'M' THEN substr(f.funded_on, 1, 8) || '01' ELSE substr(f.funded_on, 1, 5) || '01-01' END, \
            f.region_code, k.facet_value, f.source, COUNT(*), SUM(f.amount) \
     FROM project_funding AS f JOIN project_facets AS k ON k.id = f.project_id, \
          (SELECT 'M' AS grain UNION ALL SELECT 'Y') AS g \
     WHERE f.id > $1 GROUP BY 2, 3, 4, 5, 6, 7 \
     ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source) \
     DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount";

/// What the projects above id `$1` add to `report_sums` and `report_pairs` (SQLite),
/// grouped: the rule of the insert trigger of migration 0051 for a bulk write that
/// pauses it (and, from id 0, a restore's refill).
pub(crate) const ADD_NEW_REPORT_PROJECT_SUMS: [&str; 2] = [
    "INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount) \
     SELECT m.measure, k.facet, g.grain, \
            CASE g.grain WHEN 'M' THEN substr(m.day, 1, 8) || '01' ELSE substr(m.day, 1, 5) || '01-01' END, \
            m.region_code, k.facet_value, '', COUNT(*), SUM(m.total_investment) \
     FROM (SELECT id, region_code, total_investment, 'S' AS measure, signed_on AS day FROM projects \
           WHERE id > $1 AND stage <> 'dropped' AND signed_on IS NOT NULL \
           UNION ALL \
           SELECT id, region_code, total_investment, 'P', producing_on FROM projects \
           WHERE id > $1 AND stage <> 'dropped' AND signed_on IS NOT NULL AND producing_on IS NOT NULL) AS m \
          JOIN project_facets AS k ON k.id = m.id, (SELECT 'M' AS grain UNION ALL SELECT 'Y') AS g \
     WHERE true GROUP BY 1, 2, 3, 4, 5, 6, 7 \
     ON CONFLICT (measure, facet, grain, bucket, region_code, facet_value, source) \
     DO UPDATE SET records = records + excluded.records, amount = amount + excluded.amount",
    "INSERT INTO report_pairs (measure, facet, signed_month, event_month, region_code, facet_value, records) \
     SELECT m.measure, k.facet, substr(m.signed_on, 1, 8) || '01', substr(m.day, 1, 8) || '01', m.region_code, \
            k.facet_value, COUNT(*) \
     FROM (SELECT id, 'T' AS measure, region_code, signed_on, started_on AS day FROM projects \
           WHERE id > $1 AND stage <> 'dropped' AND signed_on IS NOT NULL AND started_on IS NOT NULL \
           UNION ALL \
           SELECT id, 'P', region_code, signed_on, producing_on FROM projects \
           WHERE id > $1 AND stage <> 'dropped' AND signed_on IS NOT NULL AND producing_on IS NOT NULL \
           UNION ALL \
           SELECT id, 'L', region_code, signed_on, signed_on FROM projects \
           WHERE id > $1 AND stage <> 'dropped' AND signed_on IS NOT NULL AND total_investment >= 100000000) AS m \
          JOIN project_facets AS k ON k.id = m.id \
     WHERE true GROUP BY 1, 2, 3, 4, 5, 6 \
     ON CONFLICT (measure, facet, signed_month, event_month, region_code, facet_value) \
     DO UPDATE SET records = records + excluded.records",
];

/// What the funding records above id `$1` add to `chamber_funds` (SQLite), grouped: the
/// rule of the insert trigger of migration 0048 for a bulk write that pauses it (and,
/// from id 0, a restore's refill).
pub(crate) const ADD_NEW_CHAMBER_FUNDS: &str = "INSERT INTO chamber_funds (source_org, month, amount) \
     SELECT p.source_org, substr(f.funded_on, 1, 8) || '01', SUM(f.amount) \
     FROM project_funding f JOIN projects p ON p.id = f.project_id \
     WHERE f.id > $1 AND p.source_org <> '' GROUP BY 1, 2 \
     ON CONFLICT (source_org, month) DO UPDATE SET amount = chamber_funds.amount + excluded.amount";

/// What a bulk write of funding records that paused the triggers adds grouped, for the
/// records above id `$1`.
pub(crate) const ADD_NEW_FUNDING_AGGREGATES: [&str; 3] =
    [ADD_NEW_FUNDING_SUMS, ADD_NEW_CHAMBER_FUNDS, ADD_NEW_REPORT_FUNDING_SUMS];

/// A project's timeline entry for a write: a stage change (with the reason of a
/// drop, else the write's note) or an edit.
struct Event<'a> {
    project_id: i64,
    kind: &'static str,
    from_stage: Option<&'a str>,
    to_stage: Option<&'a str>,
    note: &'a str,
}

impl<'a> Event<'a> {
    fn of(project_id: i64, from_stage: Option<&'a str>, upsert: &'a ProjectUpsert) -> Event<'a> {
        let data = &upsert.data;
        let stage_changed = from_stage != Some(data.stage.as_str());
        Event {
            project_id,
            kind: if stage_changed { "stage" } else { "edit" },
            from_stage: from_stage.filter(|_| stage_changed),
            to_stage: Some(data.stage.as_str()).filter(|_| stage_changed),
            note: if data.stage == "dropped" && stage_changed && !data.dropped_reason.is_empty() {
                &data.dropped_reason
            } else {
                &upsert.note
            },
        }
    }
}

/// A change to a stored (or, for a code repeated in the batch, a just created) project.
struct Change<'a> {
    upsert: &'a ProjectUpsert,
    /// None while the project is one this batch creates.
    id: Option<i64>,
    before: ProjectData,
}

impl AuditRow for FundingData {
    const ENTITY: AuditEntity = AuditEntity::Funding;
    const COLUMNS: &'static [&'static str] = &["project_code", "funded_on", "amount", "source"];

    fn key(&self) -> &str {
        &self.project_code
    }

    fn row<S: serde::ser::SerializeSeq>(&self, seq: &mut S) -> std::result::Result<(), S::Error> {
        seq.serialize_element(&self.project_code)?;
        seq.serialize_element(&self.funded_on)?;
        seq.serialize_element(&self.amount)?;
        seq.serialize_element(&self.source)
    }
}

impl AuditRow for ProjectData {
    const ENTITY: AuditEntity = AuditEntity::Project;
    const COLUMNS: &'static [&'static str] = PROJECT_DATA_COLUMNS;

    fn key(&self) -> &str {
        &self.code
    }

    fn row<S: serde::ser::SerializeSeq>(&self, seq: &mut S) -> std::result::Result<(), S::Error> {
        let d = self;
        for text in [&d.code, &d.name, &d.region_code, &d.park, &d.chain, &d.chain_node, &d.investor] {
            seq.serialize_element(text)?;
        }
        for text in [&d.investor_credit_code, &d.investor_origin, &d.investor_type, &d.industry] {
            seq.serialize_element(text)?;
        }
        seq.serialize_element(&d.total_investment)?;
        seq.serialize_element(&d.stage)?;
        for date in [&d.signed_on, &d.started_on, &d.producing_on, &d.lead_on] {
            seq.serialize_element(date)?;
        }
        for text in [
            &d.dropped_reason,
            &d.source,
            &d.source_org,
            &d.department,
            &d.leader,
            &d.owner,
            &d.signing_activity,
            &d.description,
            &d.excess_funds,
        ] {
            seq.serialize_element(text)?;
        }
        Ok(())
    }
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
    /// a timeline event for every project that changed and audit entries that hold
    /// every changed project's data: one per project (before and after), except that
    /// a batch of many new projects is audited as one entry per `AUDIT_GROUP` of them.
    /// Stored projects are read a chunk of codes at a time, new ones inserted many
    /// rows per statement, and timeline events and audit entries written many per
    /// statement.
    pub async fn upsert_projects(&self, projects: &[ProjectUpsert], actor: &Actor) -> Result<UpsertOutcome> {
        let n = PROJECT_DATA_COLUMNS.len();
        let assignments: Vec<String> =
            PROJECT_DATA_COLUMNS.iter().enumerate().skip(1).map(|(i, c)| format!("{c} = ${}", i + 1)).collect();
        let update = format!("UPDATE projects SET {}, updated_at = ${} WHERE code = $1", assignments.join(", "), n + 1);
        let mut outcome = UpsertOutcome::default();
        let now = Utc::now();
        let backend = self.backend();
        bulk_audited!(self, actor, projects.len() >= PAUSE_SUMS_FROM, |tx, audit| {
            // What is stored under the batch's codes.
            let mut codes: Vec<&str> = projects.iter().map(|p| p.data.code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            let found: Vec<Project> = fetch_in_chunks!(on &mut *tx, query_as, codes, |count| format!(
                "SELECT {} FROM projects WHERE code IN {}",
                project_columns(),
                value_rows(backend, 1, count)
            ));
            let mut stored: HashMap<String, (i64, ProjectData)> =
                found.into_iter().map(|project| (project.data.code.clone(), (project.id, project.data))).collect();
            // Sort the batch into new projects and changes, in order; a code repeated
            // within the batch changes what its first row created.
            let mut created: HashMap<&str, &ProjectData> = HashMap::new();
            let mut creates: Vec<&ProjectUpsert> = Vec::new();
            let mut changes: Vec<Change> = Vec::new();
            for upsert in projects {
                let code = upsert.data.code.as_str();
                if let Some((id, data)) = stored.get_mut(code) {
                    if *data == upsert.data {
                        outcome.unchanged += 1;
                    } else {
                        let before = std::mem::replace(data, upsert.data.clone());
                        changes.push(Change { upsert, id: Some(*id), before });
                        outcome.updated += 1;
                    }
                } else if let Some(data) = created.get_mut(code) {
                    if **data == upsert.data {
                        outcome.unchanged += 1;
                    } else {
                        changes.push(Change { upsert, id: None, before: (*data).clone() });
                        *data = &upsert.data;
                        outcome.updated += 1;
                    }
                } else {
                    created.insert(code, &upsert.data);
                    creates.push(upsert);
                    outcome.created += 1;
                }
            }
            // Unchanged rows need no statement: they are done.
            self.written.add(outcome.unchanged);
            let mut events: Vec<Event> = Vec::with_capacity(creates.len() + changes.len());
            // New projects, many a statement; their ids come back with their codes. On
            // SQLite the row triggers keeping `stat_sums` and `stat_pairs` are paused for them (a marker row
            // in `meta`, inside this transaction only) and their sums added grouped.
            let pause = backend == crate::Backend::Sqlite && creates.len() >= PAUSE_SUMS_FROM;
            // SQLite numbers new rows after the largest id: the rows above it are the new ones.
            let mut last_id = 0i64;
            if pause {
                sqlx::query(PAUSE_SUMS).execute(&mut *tx).await?;
                last_id = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM projects").fetch_one(&mut *tx).await?;
            }
            let mut ids: HashMap<String, i64> = HashMap::with_capacity(creates.len());
            for chunk in creates.chunks(rows_per_statement(n + 2)) {
                let sql = format!(
                    "INSERT INTO projects ({}, created_at, updated_at) VALUES {} RETURNING id, code",
                    PROJECT_DATA_COLUMNS.join(", "),
                    value_rows(backend, chunk.len(), n + 2)
                );
                let mut query = sqlx::query_as(&sql);
                for upsert in chunk {
                    query = bind_project!(query, &upsert.data).bind(now).bind(now);
                }
                let returned: Vec<(i64, String)> = query.fetch_all(&mut *tx).await?;
                ids.extend(returned.into_iter().map(|(id, code)| (code, id)));
                self.written.add(chunk.len());
            }
            for upsert in &creates {
                events.push(Event::of(ids.get(&upsert.data.code).copied().unwrap_or_default(), None, upsert));
            }
            let new: Vec<&ProjectData> = creates.iter().map(|upsert| &upsert.data).collect();
            audit.extend(created_entries(&new));
            if pause {
                add_new_project_sums!(tx, backend, last_id, &new);
            }
            // Changes, one statement each (and the funding records follow a project to
            // another region or chain).
            for change in &changes {
                let data = &change.upsert.data;
                bind_project!(sqlx::query(&update), data).bind(now).execute(&mut *tx).await?;
                let id = change.id.or_else(|| ids.get(&data.code).copied()).unwrap_or_default();
                let before = &change.before;
                if before.region_code != data.region_code || before.chain != data.chain {
                    sqlx::query("UPDATE project_funding SET region_code = $2, chain = $3 WHERE project_id = $1")
                        .bind(id)
                        .bind(&data.region_code)
                        .bind(&data.chain)
                        .execute(&mut *tx)
                        .await?;
                }
                events.push(Event::of(id, Some(before.stage.as_str()), change.upsert));
                audit.push(record_entry(AuditAction::Update, Some(before), data));
                self.written.add(1);
            }
            for chunk in events.chunks(rows_per_statement(7)) {
                let sql = format!(
                            "INSERT INTO project_events (project_id, at, actor_name, kind, from_stage, to_stage, note) VALUES {}",
                            value_rows(backend, chunk.len(), 7)
                        );
                let mut query = sqlx::query(&sql);
                for event in chunk {
                    query = query
                        .bind(event.project_id)
                        .bind(now)
                        .bind(&actor.name)
                        .bind(event.kind)
                        .bind(event.from_stage)
                        .bind(event.to_stage)
                        .bind(event.note);
                }
                query.execute(&mut *tx).await?;
            }
        });
        Ok(outcome)
    }

    /// Appends funding records in one transaction, with the excess-funds flags they
    /// change; rows identical to a stored one (or to an earlier row of the batch) are
    /// reported, not doubled. Unknown project codes fail the whole batch. As projects'
    /// writes do (`upsert_projects`): the projects read a chunk of codes at a time, the
    /// records written many a statement, the new ones audited one each or, in numbers,
    /// one entry per group that holds every record (`audit::created_entries`); on
    /// SQLite the row triggers of `stat_sums` and `data_versions` are paused for a large
    /// batch and its sums added in one grouped statement each (migrations 0040, 0048).
    pub async fn insert_funding(
        &self,
        rows: &[FundingData],
        flags: &[ExcessFundsChange],
        actor: &Actor,
    ) -> Result<FundingOutcome> {
        let mut outcome = FundingOutcome::default();
        let now = Utc::now();
        let backend = self.backend();
        bulk_audited!(self, actor, rows.len() >= PAUSE_SUMS_FROM, |tx, audit| {
            write_excess_funds!(tx, audit, flags, now);
            let mut codes: Vec<&str> = rows.iter().map(|row| row.project_code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            let found: Vec<(i64, String, String, String)> = fetch_in_chunks!(on &mut *tx, query_as, codes, |n| format!(
                "SELECT id, code, region_code, chain FROM projects WHERE code IN ({})",
                placeholders(1, n)
            ));
            let projects: HashMap<&str, (i64, &str, &str)> = found
                .iter()
                .map(|(id, code, region, chain)| (code.as_str(), (*id, region.as_str(), chain.as_str())))
                .collect();
            if let Some(unknown) = rows.iter().find(|row| !projects.contains_key(row.project_code.as_str())) {
                return Err(StoreError::Invalid(format!("项目编号“{}”不存在", unknown.project_code)));
            }
            // SQLite numbers new rows after the largest id: the rows above it are the new ones.
            let paused_after: Option<i64> = if backend == crate::Backend::Sqlite && rows.len() >= PAUSE_SUMS_FROM {
                sqlx::query(PAUSE_SUMS).execute(&mut *tx).await?;
                Some(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM project_funding").fetch_one(&mut *tx).await?)
            } else {
                None
            };
            // The records the database took, by their unique key; the rest were duplicates.
            let mut written: HashSet<(i64, NaiveDate, i64, String)> = HashSet::with_capacity(rows.len());
            for chunk in rows.chunks(rows_per_statement(6)) {
                let sql = format!(
                    "INSERT INTO project_funding (project_id, region_code, chain, funded_on, amount, source) VALUES {} \
                     ON CONFLICT (project_id, funded_on, amount, source) DO NOTHING \
                     RETURNING project_id, funded_on, amount, source",
                    value_rows(backend, chunk.len(), 6)
                );
                let mut query = sqlx::query_as(&sql);
                for row in chunk {
                    let (project_id, region_code, chain) = projects[row.project_code.as_str()];
                    query = query
                        .bind(project_id)
                        .bind(region_code)
                        .bind(chain)
                        .bind(row.funded_on)
                        .bind(row.amount)
                        .bind(&row.source);
                }
                let returned: Vec<(i64, NaiveDate, i64, String)> = query.fetch_all(&mut *tx).await?;
                written.extend(returned);
                self.written.add(chunk.len());
            }
            if let Some(last_id) = paused_after {
                for statement in ADD_NEW_FUNDING_AGGREGATES {
                    sqlx::query(statement).bind(last_id).execute(&mut *tx).await?;
                }
                sqlx::query(RESUME_SUMS).execute(&mut *tx).await?;
            }
            let mut created: Vec<&FundingData> = Vec::with_capacity(written.len());
            for row in rows {
                let key = (projects[row.project_code.as_str()].0, row.funded_on, row.amount, row.source.clone());
                // The first of identical rows was written, the others not.
                if written.remove(&key) {
                    created.push(row);
                } else {
                    outcome.duplicates.push(row.clone());
                }
            }
            outcome.inserted = created.len();
            audit.extend(created_entries(&created));
        });
        Ok(outcome)
    }

    /// Changes excess-funds flags (a province's confirmation), audited.
    pub async fn set_excess_funds(&self, changes: &[ExcessFundsChange], actor: &Actor) -> Result<()> {
        let now = Utc::now();
        audited!(self, actor, |tx, audit| {
            write_excess_funds!(tx, audit, changes, now);
        });
        Ok(())
    }

    pub async fn funding_of_project(&self, project_id: i64) -> Result<Vec<Funding>> {
        let sql = format!(
            "SELECT {FUNDING_COLUMNS} FROM {FUNDING_WITH_PROJECT} WHERE f.project_id = $1 ORDER BY f.funded_on, f.id"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(project_id).fetch_all(pool).await?))
    }

    /// Funding records a filter matches, newest first.
    pub async fn funding_in(&self, filter: &FundingFilter, limit: i64, offset: i64) -> Result<Vec<Funding>> {
        let c = funding_conditions(filter);
        let sql = c.page_sql(FUNDING_COLUMNS, FUNDING_WITH_PROJECT, "f.funded_on DESC, f.id DESC");
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?))
    }

    /// How many funding records `funding_in` pages through, and their sum (yuan).
    pub async fn funding_totals(&self, filter: &FundingFilter) -> Result<(i64, i64)> {
        let c = funding_conditions(filter);
        // The project is joined only when an attribution is asked for.
        let table = if filter.source.is_some() || filter.source_org.is_some() {
            FUNDING_WITH_PROJECT
        } else {
            "project_funding f"
        };
        let sql = format!("SELECT COUNT(*), CAST(COALESCE(SUM(f.amount), 0) AS BIGINT) FROM {table} {}", c.where_sql());
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params).fetch_one(pool).await?))
    }

    pub async fn upsert_targets(&self, targets: &[Target], actor: &Actor) -> Result<UpsertOutcome> {
        let mut outcome = UpsertOutcome::default();
        audited!(self, actor, |tx, audit| {
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
                let action = outcome.count_written(before.is_some());
                audit.push(NewAuditEntry::new(
                    action,
                    AuditEntity::Target,
                    format!("{}/{}", target.region_code, target.year),
                    before.map(|b| json!(b)),
                    Some(json!(target)),
                ));
            }
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
        let id = audited!(self, actor, |tx, audit| {
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
            audit.push(NewAuditEntry::new(
                AuditAction::written(problem.id != 0),
                AuditEntity::Problem,
                id.to_string(),
                None,
                Some(json!(problem)),
            ));
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
        let id = audited!(self, actor, |tx, audit| {
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
            audit.push(NewAuditEntry::new(
                AuditAction::written(service.id != 0),
                AuditEntity::Service,
                id.to_string(),
                None,
                Some(json!(service)),
            ));
            id
        });
        Ok(id)
    }
}

/// Funding records of a region scope and period, of `chains` only when given (the
/// record repeats its project's region and chain).
fn funding_conditions(filter: &FundingFilter) -> Conditions {
    let mut c = Conditions::new();
    c.push_prefix("f.region_code", &filter.prefix);
    c.push("f.funded_on >= ?1 AND f.funded_on <= ?2", vec![Param::Date(filter.from), Param::Date(filter.to)]);
    if let Some(chains) = &filter.chains {
        c.push_in("f.chain", chains);
    }
    if let Some(source) = &filter.source {
        c.push("p.source = ?1", vec![Param::Text(source.clone())]);
    }
    if let Some(source_org) = &filter.source_org {
        c.push("p.source_org = ?1", vec![Param::Text(source_org.clone())]);
    }
    c
}
