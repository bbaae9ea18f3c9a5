//! Investment-promotion activities (招商活动): the trips, delegations, fairs, meetings
//! and roadshows that projects are signed at (`projects.signing_activity` names one).
//! Each may belong to the region that ran it (none: the province's, or imported without
//! one), lists the chambers that took part (`activity_chambers`, whose count feeds the
//! chambers' assessment), the people who took part, the library's enterprises met there
//! (migration 0044), and carries a short outcome report.

use crate::audit::AuditEntity;
use crate::audit::{Actor, AuditAction, NewAuditEntry};
use crate::projects::UpsertOutcome;
use crate::sql::{bind_params, contains_pattern, Conditions, Param};
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::HashMap;
use zhaoshang_core::activities::{participants_text, ActivitySort, Participant, ParticipantRole};

/// An enterprise of the library met at an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct MetEnterprise {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
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
    /// The region that ran it; `None` for the province's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_code: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub outcome: String,
    /// Names of the chambers that took part, in the order given.
    #[sqlx(skip)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chambers: Vec<String>,
    #[sqlx(skip)]
    #[serde(skip)]
    pub participants: Vec<Participant>,
    #[sqlx(skip)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enterprises: Vec<MetEnterprise>,
}

impl Activity {
    /// The record as the audit log keeps it: its fields with the participants as text.
    fn audit_json(&self) -> Value {
        let mut value = json!(self);
        if !self.participants.is_empty() {
            value["participants"] = json!(participants_text(&self.participants));
        }
        value
    }
}

/// An activity as the list shows it, with the projects signed there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ActivityRow {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub activity: Activity,
    /// Projects signed there, not 终止.
    pub signed_count: i64,
}

/// The list's filters. `scope` is the reader's region prefix (`None`: every activity);
/// the province's activities (no region) are read by all who read activities.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    pub scope: Option<String>,
    /// A region (prefix) the activities were run by.
    pub region: Option<String>,
    pub kind: Option<String>,
    /// Starting within [from, to] (either end optional).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Part of the name, place, organiser or outcome.
    pub text: Option<String>,
}

const ACTIVITY_COLUMNS: &str =
    "a.id, a.name, a.kind, a.start_on, a.end_on, a.place, a.organiser, a.region_code, a.outcome";

const SIGNED_COUNT: &str =
    "(SELECT COUNT(*) FROM projects p WHERE p.signing_activity = a.name AND p.stage <> 'dropped') AS signed_count";

fn conditions(filter: &ActivityFilter) -> Conditions {
    let mut c = Conditions::new();
    if let Some(prefix) = &filter.scope {
        let (lo, hi) = crate::sql::prefix_range(prefix);
        c.push(
            "(a.region_code IS NULL OR (a.region_code >= ?1 AND a.region_code < ?2))",
            vec![Param::Text(lo), Param::Text(hi)],
        );
    }
    if let Some(region) = &filter.region {
        c.push_prefix("a.region_code", region);
    }
    if let Some(kind) = &filter.kind {
        c.push("a.kind = ?1", vec![Param::Text(kind.clone())]);
    }
    if let Some(from) = filter.from {
        c.push("a.start_on >= ?1", vec![Param::Date(from)]);
    }
    if let Some(to) = filter.to {
        c.push("a.start_on <= ?1", vec![Param::Date(to)]);
    }
    if let Some(pattern) = contains_pattern(&filter.text) {
        c.push(
            "(a.name LIKE ?1 ESCAPE '\\' OR a.place LIKE ?1 ESCAPE '\\' OR a.organiser LIKE ?1 ESCAPE '\\' \
             OR a.outcome LIKE ?1 ESCAPE '\\')",
            vec![Param::Text(pattern)],
        );
    }
    c
}

fn order_by(sort: ActivitySort) -> &'static str {
    match sort {
        ActivitySort::Latest => "a.start_on DESC, a.id DESC",
        ActivitySort::Earliest => "a.start_on, a.id",
        ActivitySort::Name => "a.name, a.id",
        ActivitySort::Signed => "signed_count DESC, a.start_on DESC, a.id DESC",
    }
}

const ACTIVITY_BY_NAME: &str =
    "SELECT a.id, a.name, a.kind, a.start_on, a.end_on, a.place, a.organiser, a.region_code, \
     a.outcome FROM activities a WHERE a.name = $1";
const ACTIVITY_BY_ID: &str = "SELECT a.id, a.name, a.kind, a.start_on, a.end_on, a.place, a.organiser, a.region_code, \
     a.outcome FROM activities a WHERE a.id = $1";

/// Reads the chambers, participants and enterprises of the activity `$id` into
/// `$activity`, on a transaction (a macro because it is either backend's).
macro_rules! read_links {
    ($tx:ident, $activity:expr) => {{
        let id = $activity.id;
        $activity.chambers = sqlx::query_scalar(
            "SELECT c.name FROM activity_chambers ac JOIN chambers c ON c.id = ac.chamber_id \
             WHERE ac.activity_id = $1 ORDER BY ac.position",
        )
        .bind(id)
        .fetch_all(&mut *$tx)
        .await?;
        let people: Vec<(String, String)> =
            sqlx::query_as("SELECT name, role FROM activity_participants WHERE activity_id = $1 ORDER BY position")
                .bind(id)
                .fetch_all(&mut *$tx)
                .await?;
        $activity.participants = participants_of(people);
        $activity.enterprises = sqlx::query_as(
            "SELECT e.id, e.name, e.credit_code FROM activity_enterprises ae JOIN enterprises e ON e.id = ae.enterprise_id \
             WHERE ae.activity_id = $1 ORDER BY ae.position",
        )
        .bind(id)
        .fetch_all(&mut *$tx)
        .await?;
    }};
}

fn participants_of(rows: Vec<(String, String)>) -> Vec<Participant> {
    rows.into_iter()
        .map(|(name, role)| Participant {
            name,
            role: ParticipantRole::from_key(&role).unwrap_or(ParticipantRole::Cadre),
        })
        .collect()
}

/// Writes `$activity` over `$before` (the stored one of its name or id, links read; `None`
/// for a new one) on the transaction `$tx`: its row by name, then each kind of link that
/// changed; audits it onto `$audit` and gives its id. A chamber not in the registry
/// refuses the whole.
macro_rules! write_activity {
    ($tx:ident, $audit:ident, $before:expr, $activity:expr) => {{
        let activity: &Activity = $activity;
        let before: &Option<Activity> = &$before;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO activities (name, kind, start_on, end_on, place, organiser, region_code, outcome) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, start_on = excluded.start_on, end_on = excluded.end_on, \
             place = excluded.place, organiser = excluded.organiser, region_code = excluded.region_code, \
             outcome = excluded.outcome RETURNING id",
        )
        .bind(&activity.name)
        .bind(&activity.kind)
        .bind(activity.start_on)
        .bind(activity.end_on)
        .bind(&activity.place)
        .bind(&activity.organiser)
        .bind(&activity.region_code)
        .bind(&activity.outcome)
        .fetch_one(&mut *$tx)
        .await?;
        if before.as_ref().map(|before| &before.chambers) != Some(&activity.chambers) {
            sqlx::query("DELETE FROM activity_chambers WHERE activity_id = $1").bind(id).execute(&mut *$tx).await?;
            for (position, name) in activity.chambers.iter().enumerate() {
                let inserted = sqlx::query(
                    "INSERT INTO activity_chambers (activity_id, chamber_id, position) \
                     SELECT $1, id, $3 FROM chambers WHERE name = $2",
                )
                .bind(id)
                .bind(name)
                .bind(position as i64)
                .execute(&mut *$tx)
                .await?;
                if inserted.rows_affected() == 0 {
                    return Err(StoreError::Invalid(format!("商会“{name}”不在商会名录中")));
                }
            }
        }
        if before.as_ref().map(|before| &before.participants) != Some(&activity.participants) {
            sqlx::query("DELETE FROM activity_participants WHERE activity_id = $1").bind(id).execute(&mut *$tx).await?;
            for (position, person) in activity.participants.iter().enumerate() {
                sqlx::query("INSERT INTO activity_participants (activity_id, position, name, role) VALUES ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(position as i64)
                    .bind(&person.name)
                    .bind(person.role.key())
                    .execute(&mut *$tx)
                    .await?;
            }
        }
        let met_ids = |a: &Activity| a.enterprises.iter().map(|e| e.id).collect::<Vec<i64>>();
        if before.as_ref().map(met_ids) != Some(met_ids(activity)) {
            sqlx::query("DELETE FROM activity_enterprises WHERE activity_id = $1").bind(id).execute(&mut *$tx).await?;
            for (position, enterprise) in activity.enterprises.iter().enumerate() {
                sqlx::query("INSERT INTO activity_enterprises (activity_id, enterprise_id, position) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(enterprise.id)
                    .bind(position as i64)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
        let action = if before.is_some() { AuditAction::Update } else { AuditAction::Create };
        $audit.push(NewAuditEntry::new(
            action,
            AuditEntity::Activity,
            &activity.name,
            before.as_ref().map(Activity::audit_json),
            Some(Activity { id, ..activity.clone() }.audit_json()),
        ));
        id
    }};
}

impl Store {
    /// Creates or updates activities by name (the import), audited.
    pub async fn upsert_activities(&self, activities: &[Activity], actor: &Actor) -> Result<UpsertOutcome> {
        let mut outcome = UpsertOutcome::default();
        audited!(self, actor, |tx, audit| {
            for activity in activities {
                let mut before: Option<Activity> =
                    sqlx::query_as(ACTIVITY_BY_NAME).bind(&activity.name).fetch_optional(&mut *tx).await?;
                if let Some(before) = &mut before {
                    read_links!(tx, before);
                    if (Activity { id: before.id, ..activity.clone() }) == *before {
                        outcome.unchanged += 1;
                        continue;
                    }
                }
                write_activity!(tx, audit, before, activity);
                outcome.count_written(before.is_some());
            }
        });
        Ok(outcome)
    }

    /// Saves an activity from its form: a new one (`id` 0), or the stored one of its id,
    /// whose projects follow a new name (`signing_activity`). Audited; returns the id.
    pub async fn save_activity(&self, activity: &Activity, actor: &Actor) -> Result<i64> {
        let id = audited!(self, actor, |tx, audit| {
            let mut before: Option<Activity> = if activity.id == 0 {
                None
            } else {
                let found: Option<Activity> =
                    sqlx::query_as(ACTIVITY_BY_ID).bind(activity.id).fetch_optional(&mut *tx).await?;
                Some(found.ok_or_else(|| StoreError::NotFound("该活动".into()))?)
            };
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM activities WHERE name = $1")
                .bind(&activity.name)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some_and(|taken| taken != activity.id) {
                return Err(StoreError::Conflict(format!("活动名称“{}”已被其他活动使用", activity.name)));
            }
            if let Some(before) = &mut before {
                read_links!(tx, before);
                if before.name != activity.name {
                    let moved = sqlx::query("UPDATE projects SET signing_activity = $2 WHERE signing_activity = $1")
                        .bind(&before.name)
                        .bind(&activity.name)
                        .execute(&mut *tx)
                        .await?;
                    if moved.rows_affected() > 0 {
                        audit.push(NewAuditEntry::new(
                            AuditAction::Update,
                            AuditEntity::Activity,
                            &activity.name,
                            Some(json!({ "signing_activity": before.name })),
                            Some(json!({ "signing_activity": activity.name, "projects": moved.rows_affected() })),
                        ));
                    }
                    sqlx::query("UPDATE activities SET name = $2 WHERE id = $1")
                        .bind(before.id)
                        .bind(&activity.name)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            write_activity!(tx, audit, before, activity)
        });
        Ok(id)
    }

    pub async fn activity_by_name(&self, name: &str) -> Result<Option<Activity>> {
        let found: Option<Activity> =
            on_pool!(self, |pool| sqlx::query_as(ACTIVITY_BY_NAME).bind(name).fetch_optional(pool).await?);
        let mut found: Vec<Activity> = found.into_iter().collect();
        self.fill_links(&mut found).await?;
        Ok(found.pop())
    }

    /// The activity of `id` with its chambers, participants and enterprises.
    pub async fn activity(&self, id: i64) -> Result<Option<Activity>> {
        let found: Option<Activity> =
            on_pool!(self, |pool| sqlx::query_as(ACTIVITY_BY_ID).bind(id).fetch_optional(pool).await?);
        let mut found: Vec<Activity> = found.into_iter().collect();
        self.fill_links(&mut found).await?;
        Ok(found.pop())
    }

    /// Every activity, the latest first.
    pub async fn activities(&self) -> Result<Vec<Activity>> {
        let sql = format!("SELECT {ACTIVITY_COLUMNS} FROM activities a ORDER BY a.start_on DESC, a.name");
        let mut activities: Vec<Activity> = on_pool!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await?);
        self.fill_links(&mut activities).await?;
        Ok(activities)
    }

    /// One page of the activities passing `filter`, in `sort`'s order, with how many pass.
    pub async fn activities_page(
        &self,
        filter: &ActivityFilter,
        sort: ActivitySort,
        limit: i64,
        offset: i64,
    ) -> Result<(i64, Vec<ActivityRow>)> {
        let c = conditions(filter);
        let sql = c.page_sql(&format!("{ACTIVITY_COLUMNS}, {SIGNED_COUNT}"), "activities a", order_by(sort));
        let count_sql = format!("SELECT COUNT(*) FROM activities a {}", c.where_sql());
        let (count, mut rows): (i64, Vec<ActivityRow>) = on_pool!(self, |pool| {
            let count: i64 = bind_params!(sqlx::query_scalar(&count_sql), &c.params).fetch_one(pool).await?;
            let rows: Vec<ActivityRow> =
                bind_params!(sqlx::query_as(&sql), &c.params).bind(limit).bind(offset).fetch_all(pool).await?;
            (count, rows)
        });
        let mut activities: Vec<Activity> = rows.iter().map(|row| row.activity.clone()).collect();
        self.fill_links(&mut activities).await?;
        for (row, activity) in rows.iter_mut().zip(activities) {
            row.activity = activity;
        }
        Ok((count, rows))
    }

    /// The activities passing `filter` that run on some day of [from, to] (a month's
    /// calendar), the earliest first.
    pub async fn activities_between(
        &self,
        filter: &ActivityFilter,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Activity>> {
        let mut c = conditions(&ActivityFilter { from: None, to: Some(to), ..filter.clone() });
        c.push("COALESCE(a.end_on, a.start_on) >= ?1", vec![Param::Date(from)]);
        let sql = format!("SELECT {ACTIVITY_COLUMNS} FROM activities a {} ORDER BY a.start_on, a.id", c.where_sql());
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params).fetch_all(pool).await?))
    }

    /// The activities a chamber took part in, the latest first.
    pub async fn activities_of_chamber(&self, chamber_id: i64) -> Result<Vec<Activity>> {
        let sql = format!(
            "SELECT {ACTIVITY_COLUMNS} FROM activities a JOIN activity_chambers ac ON ac.activity_id = a.id \
             WHERE ac.chamber_id = $1 ORDER BY a.start_on DESC, a.name"
        );
        let mut activities: Vec<Activity> =
            on_pool!(self, |pool| sqlx::query_as(&sql).bind(chamber_id).fetch_all(pool).await?);
        self.fill_links(&mut activities).await?;
        Ok(activities)
    }

    /// Links a lead to the activity it was registered at (none: unlinks it), audited.
    pub async fn set_lead_activity(&self, lead_id: i64, activity_id: Option<i64>, actor: &Actor) -> Result<()> {
        audited!(self, actor, |tx, audit| {
            let before: Option<Option<i64>> = sqlx::query_scalar("SELECT activity_id FROM leads WHERE id = $1")
                .bind(lead_id)
                .fetch_optional(&mut *tx)
                .await?;
            let before = before.ok_or_else(|| StoreError::NotFound("该线索".into()))?;
            sqlx::query("UPDATE leads SET activity_id = $2 WHERE id = $1")
                .bind(lead_id)
                .bind(activity_id)
                .execute(&mut *tx)
                .await?;
            audit.push(NewAuditEntry::new(
                AuditAction::Update,
                AuditEntity::Lead,
                lead_id.to_string(),
                Some(json!({ "activity_id": before })),
                Some(json!({ "activity_id": activity_id })),
            ));
        });
        Ok(())
    }

    /// The leads registered at an activity: (id, investor, region code, lead date).
    pub async fn leads_of_activity(&self, activity_id: i64) -> Result<Vec<(i64, String, String, NaiveDate)>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, investor, region_code, lead_on FROM leads WHERE activity_id = $1 ORDER BY lead_on, id"
        )
        .bind(activity_id)
        .fetch_all(pool)
        .await?))
    }

    /// Reads the chambers, participants and enterprises of the activities, each kind of
    /// link in one query per chunk of activities.
    async fn fill_links(&self, activities: &mut [Activity]) -> Result<()> {
        if activities.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = activities.iter().map(|a| a.id).collect();
        let in_list = |n: usize| crate::sql::placeholders(1, n);
        let chambers: Vec<(i64, String)> = crate::sql::fetch_in_chunks!(self, query_as, ids, |n| format!(
            "SELECT ac.activity_id, c.name FROM activity_chambers ac JOIN chambers c ON c.id = ac.chamber_id \
             WHERE ac.activity_id IN ({}) ORDER BY ac.activity_id, ac.position",
            in_list(n)
        ));
        let people: Vec<(i64, String, String)> = crate::sql::fetch_in_chunks!(self, query_as, ids, |n| format!(
            "SELECT activity_id, name, role FROM activity_participants WHERE activity_id IN ({}) \
             ORDER BY activity_id, position",
            in_list(n)
        ));
        let met: Vec<(i64, i64, String, String)> = crate::sql::fetch_in_chunks!(self, query_as, ids, |n| format!(
            "SELECT ae.activity_id, e.id, e.name, e.credit_code FROM activity_enterprises ae \
             JOIN enterprises e ON e.id = ae.enterprise_id WHERE ae.activity_id IN ({}) \
             ORDER BY ae.activity_id, ae.position",
            in_list(n)
        ));
        let mut chambers_of: HashMap<i64, Vec<String>> = HashMap::new();
        for (activity_id, name) in chambers {
            chambers_of.entry(activity_id).or_default().push(name);
        }
        let mut people_of: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        for (activity_id, name, role) in people {
            people_of.entry(activity_id).or_default().push((name, role));
        }
        let mut met_of: HashMap<i64, Vec<MetEnterprise>> = HashMap::new();
        for (activity_id, id, name, credit_code) in met {
            met_of.entry(activity_id).or_default().push(MetEnterprise { id, name, credit_code });
        }
        for activity in activities {
            activity.chambers = chambers_of.remove(&activity.id).unwrap_or_default();
            activity.participants = participants_of(people_of.remove(&activity.id).unwrap_or_default());
            activity.enterprises = met_of.remove(&activity.id).unwrap_or_default();
        }
        Ok(())
    }
}
