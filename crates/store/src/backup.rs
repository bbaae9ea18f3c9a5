//! Backup and restore as one JSON document, the same on both backends (so a backup
//! of an SQLite database restores into PostgreSQL and back). Sessions are not kept:
//! a restore signs everybody out.

use crate::audit::{Actor, NewAuditEntry};
use crate::audit::{AuditAction, AuditEntity};
use crate::sql::placeholders;
use crate::{Backend, Result, Store, StoreError};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{json, Map, Value};
use sqlx::Row;

#[derive(Debug, Clone, Copy)]
enum Kind {
    Int,
    Float,
    Text,
    Bool,
    Date,
    Instant,
    /// Binary content, as base64 text in the JSON.
    Bytes,
}

use Kind::*;

/// Every table worth keeping, parents before children; a test checks that no table
/// of the schema is missing here.
const TABLES: &[(&str, &[(&str, Kind)])] = &[
    ("meta", &[("key", Text), ("value", Text)]),
    ("regions", &[("code", Text), ("name", Text), ("level", Int), ("parent_code", Text)]),
    ("industries", &[("code", Text), ("name", Text), ("section", Text)]),
    ("calendar_days", &[("day", Date), ("kind", Text), ("name", Text)]),
    (
        "parks",
        &[
            ("id", Int),
            ("name", Text),
            ("region_code", Text),
            ("level", Text),
            ("leading_industries", Text),
            ("area_mu", Int),
            ("description", Text),
            ("built_area_mu", Int),
            ("lon", Float),
            ("lat", Float),
            ("infrastructure", Text),
            ("land_price_min", Int),
            ("land_price_max", Int),
            ("policies", Text),
            ("contacts", Text),
        ],
    ),
    (
        "parcels",
        &[
            ("id", Int),
            ("code", Text),
            ("park_id", Int),
            ("region_code", Text),
            ("land_use", Text),
            ("area_mu", Float),
            ("price_per_mu", Int),
            ("status", Text),
            ("plot_ratio", Float),
            ("lon", Float),
            ("lat", Float),
            ("boundary", Text),
        ],
    ),
    (
        "parcel_status_changes",
        &[
            ("id", Int),
            ("parcel_id", Int),
            ("from_status", Text),
            ("to_status", Text),
            ("changed_on", Date),
            ("changed_at", Instant),
            ("actor_name", Text),
        ],
    ),
    ("departments", &[("id", Int), ("name", Text), ("region_code", Text), ("kind", Text)]),
    (
        "chambers",
        &[
            ("id", Int),
            ("name", Text),
            ("kind", Text),
            ("location", Text),
            ("level", Text),
            ("president", Text),
            ("contact", Text),
            ("phone", Text),
            ("liaison_office", Bool),
            ("members", Int),
        ],
    ),
    (
        "users",
        &[
            ("id", Int),
            ("username", Text),
            ("display_name", Text),
            ("role", Text),
            ("region_code", Text),
            ("password_hash", Text),
            ("disabled", Bool),
            ("created_at", Instant),
            ("chamber_id", Int),
        ],
    ),
    (
        "audit_log",
        &[
            ("id", Int),
            ("at", Instant),
            ("actor_id", Int),
            ("actor_name", Text),
            ("action", Text),
            ("entity", Text),
            ("entity_id", Text),
            ("before_json", Text),
            ("after_json", Text),
        ],
    ),
    (
        "activities",
        &[
            ("id", Int),
            ("name", Text),
            ("kind", Text),
            ("start_on", Date),
            ("end_on", Date),
            ("place", Text),
            ("organiser", Text),
        ],
    ),
    ("activity_chambers", &[("activity_id", Int), ("chamber_id", Int), ("position", Int)]),
    (
        "projects",
        &[
            ("id", Int),
            ("code", Text),
            ("name", Text),
            ("region_code", Text),
            ("park", Text),
            ("chain", Text),
            ("chain_node", Text),
            ("investor", Text),
            ("investor_credit_code", Text),
            ("investor_origin", Text),
            ("investor_type", Text),
            ("industry", Text),
            ("total_investment", Int),
            ("stage", Text),
            ("signed_on", Date),
            ("started_on", Date),
            ("producing_on", Date),
            ("dropped_reason", Text),
            ("source", Text),
            ("source_org", Text),
            ("department", Text),
            ("leader", Text),
            ("owner", Text),
            ("signing_activity", Text),
            ("description", Text),
            ("created_at", Instant),
            ("updated_at", Instant),
            ("lead_on", Date),
            ("excess_funds", Text),
        ],
    ),
    (
        "project_funding",
        &[
            ("id", Int),
            ("project_id", Int),
            ("region_code", Text),
            ("chain", Text),
            ("funded_on", Date),
            ("amount", Int),
            ("source", Text),
        ],
    ),
    ("duplicate_decisions", &[("project_a", Int), ("project_b", Int), ("decision", Text)]),
    ("targets", &[("region_code", Text), ("year", Int), ("funds_target", Int), ("signed_investment_target", Int)]),
    (
        "project_events",
        &[
            ("id", Int),
            ("project_id", Int),
            ("at", Instant),
            ("actor_name", Text),
            ("kind", Text),
            ("from_stage", Text),
            ("to_stage", Text),
            ("note", Text),
        ],
    ),
    (
        "project_problems",
        &[
            ("id", Int),
            ("project_id", Int),
            ("description", Text),
            ("department", Text),
            ("due_on", Date),
            ("status", Text),
            ("resolution", Text),
            ("created_at", Instant),
        ],
    ),
    (
        "project_services",
        &[
            ("id", Int),
            ("project_id", Int),
            ("service", Text),
            ("handler", Text),
            ("status", Text),
            ("note", Text),
            ("created_at", Instant),
        ],
    ),
    (
        "enterprises",
        &[
            ("id", Int),
            ("credit_code", Text),
            ("name", Text),
            ("region_code", Text),
            ("industry", Text),
            ("tags", Text),
            ("stock_code", Text),
            ("revenue", Int),
            ("employees", Int),
            ("registered_capital", Int),
            ("description", Text),
            ("is_target", Bool),
            ("created_at", Instant),
            ("updated_at", Instant),
            ("base_score", Int),
        ],
    ),
    ("enterprise_tags", &[("enterprise_id", Int), ("tag", Text)]),
    (
        "chains",
        &[
            ("id", Int),
            ("name", Text),
            ("region_code", Text),
            ("lead_department", Text),
            ("chief", Text),
            ("description", Text),
            ("created_at", Instant),
            ("updated_at", Instant),
        ],
    ),
    (
        "chain_nodes",
        &[
            ("id", Int),
            ("chain_id", Int),
            ("parent_id", Int),
            ("name", Text),
            ("kind", Text),
            ("segment", Text),
            ("industry", Text),
            ("position", Int),
            ("products", Text),
        ],
    ),
    ("chain_leaders", &[("chain_id", Int), ("enterprise_id", Int)]),
    ("node_enterprises", &[("node_id", Int), ("enterprise_id", Int), ("role", Text)]),
    ("user_chains", &[("user_id", Int), ("chain_id", Int)]),
    ("settings", &[("key", Text), ("value", Text)]),
    ("enterprise_relations", &[("id", Int), ("enterprise_id", Int), ("kind", Text), ("holder", Text)]),
    (
        "plans",
        &[
            ("id", Int),
            ("enterprise_id", Int),
            ("node_id", Int),
            ("region_code", Text),
            ("owner_id", Int),
            ("approach", Text),
            ("next_step", Text),
            ("due_on", Date),
            ("status", Text),
            ("created_at", Instant),
            ("updated_at", Instant),
        ],
    ),
    (
        "plan_visits",
        &[
            ("id", Int),
            ("plan_id", Int),
            ("visited_on", Date),
            ("visitor", Text),
            ("summary", Text),
            ("created_at", Instant),
        ],
    ),
    (
        "visits",
        &[
            ("id", Int),
            ("region_code", Text),
            ("enterprise", Text),
            ("credit_code", Text),
            ("visited_on", Date),
            ("visitor", Text),
            ("summary", Text),
            ("recorded_by", Text),
            ("recorded_at", Instant),
        ],
    ),
    (
        "appeals",
        &[
            ("id", Int),
            ("code", Text),
            ("enterprise", Text),
            ("credit_code", Text),
            ("region_code", Text),
            ("dimension", Text),
            ("category", Text),
            ("content", Text),
            ("received_on", Date),
            ("department", Text),
            ("limit_days", Int),
            ("due_on", Date),
            ("due_by_weekends_only", Bool),
            ("answered_on", Date),
            ("closed_on", Date),
            ("rating", Text),
            ("created_at", Instant),
            ("updated_at", Instant),
            ("assigned_on", Date),
            ("contested", Bool),
            ("clock_from", Date),
            ("paused_days", Int),
            ("extension_days", Int),
            ("paused_since", Date),
            ("pending_extension", Int),
            ("reopened", Bool),
            ("last_step_on", Date),
            ("tracking_code", Text),
            ("contact", Text),
            ("visit_id", Int),
        ],
    ),
    (
        "appeal_steps",
        &[
            ("id", Int),
            ("appeal_id", Int),
            ("action", Text),
            ("done_on", Date),
            ("detail", Text),
            ("recorded_by", Text),
            ("recorded_at", Instant),
        ],
    ),
    (
        "chamber_weight_versions",
        &[
            ("id", Int),
            ("leads", Int),
            ("signed_count", Int),
            ("signed_investment", Int),
            ("funds_in_place", Int),
            ("activities", Int),
            ("created_by", Text),
            ("created_at", Instant),
        ],
    ),
    (
        "supervision_ratings",
        &[
            ("id", Int),
            ("year", Int),
            ("quarter", Int),
            ("region_code", Text),
            ("dimension", Text),
            ("member_id", Int),
            ("score", Int),
            ("comment", Text),
            ("rated_at", Instant),
        ],
    ),
    (
        "supervision_weight_versions",
        &[
            ("id", Int),
            ("on_time_rate", Int),
            ("satisfaction_rate", Int),
            ("answer_days", Int),
            ("reopen_rate", Int),
            ("quantitative", Int),
            ("created_by", Text),
            ("created_at", Instant),
        ],
    ),
    (
        "chamber_assessments",
        &[("year", Int), ("weights_version", Int), ("result", Text), ("published_by", Text), ("published_at", Instant)],
    ),
    (
        "leads",
        &[
            ("id", Int),
            ("project_id", Int),
            ("duplicate_of", Int),
            ("chamber_id", Int),
            ("referrer_id", Int),
            ("referrer_name", Text),
            ("investor", Text),
            ("investor_credit_code", Text),
            ("enterprise_id", Int),
            ("industry", Text),
            ("region_code", Text),
            ("amount", Int),
            ("contact", Text),
            ("notes", Text),
            ("lead_on", Date),
            ("registered_at", Instant),
            ("next_step", Text),
            ("next_due_on", Date),
            ("channel", Text),
            ("subject", Text),
            ("tracking_code", Text),
        ],
    ),
    (
        "lead_steps",
        &[
            ("id", Int),
            ("lead_id", Int),
            ("step", Text),
            ("done_on", Date),
            ("answer", Text),
            ("recorded_by", Text),
            ("recorded_at", Instant),
        ],
    ),
    ("institutions", &[("id", Int), ("name", Text), ("name_key", Text), ("credit_code", Text)]),
    ("experts", &[("id", Int), ("name", Text), ("institution_id", Int), ("fields", Text), ("user_id", Int)]),
    (
        "achievements",
        &[
            ("id", Int),
            ("code", Text),
            ("title", Text),
            ("institution_id", Int),
            ("industry", Text),
            ("year", Int),
            ("maturity", Text),
            ("ip", Text),
            ("description", Text),
            ("contact", Text),
        ],
    ),
    (
        "achievement_reviews",
        &[
            ("id", Int),
            ("achievement_id", Int),
            ("expert_id", Int),
            ("reviewer_institution", Text),
            ("market", Int),
            ("economic", Int),
            ("technical", Int),
            ("comment", Text),
        ],
    ),
    (
        "review_rounds",
        &[("year", Int), ("status", Text), ("per_achievement", Int), ("updated_by", Text), ("updated_at", Instant)],
    ),
    ("review_assignments", &[("achievement_id", Int), ("expert_id", Int)]),
    ("achievement_past_rounds", &[("achievement_id", Int), ("year", Int), ("industry", Text)]),
    (
        "achievement_past_reviews",
        &[
            ("id", Int),
            ("achievement_id", Int),
            ("year", Int),
            ("expert_id", Int),
            ("reviewer_institution", Text),
            ("market", Int),
            ("economic", Int),
            ("technical", Int),
            ("comment", Text),
        ],
    ),
    ("promotions", &[("project_id", Int), ("pitch", Text), ("promoted_by", Text), ("promoted_at", Instant)]),
    ("shortlists", &[("user_id", Int), ("subject", Text), ("added_at", Instant)]),
    (
        "research_reports",
        &[
            ("id", Int),
            ("region_code", Text),
            ("title", Text),
            ("research_group", Text),
            ("authors", Text),
            ("researched_on", Date),
            ("enterprises_visited", Text),
            ("summary", Text),
            ("filed_by", Int),
            ("filed_by_name", Text),
            ("created_at", Instant),
        ],
    ),
    ("report_suggestions", &[("id", Int), ("report_id", Int), ("number", Int), ("aspect", Text), ("text", Text)]),
    (
        "instructions",
        &[
            ("id", Int),
            ("report_id", Int),
            ("suggestion_id", Int),
            ("kind", Text),
            ("leader_name", Text),
            ("text", Text),
            ("instructed_on", Date),
            ("written_by", Text),
            ("created_at", Instant),
        ],
    ),
    (
        "instruction_tasks",
        &[
            ("id", Int),
            ("instruction_id", Int),
            ("department", Text),
            ("part", Text),
            ("assigned_on", Date),
            ("deadline", Date),
            ("co_due_on", Date),
            ("state", Text),
            ("contested", Bool),
            ("grade", Text),
            ("satisfaction", Text),
            ("sent_back", Bool),
            ("answered_on", Date),
            ("closed_on", Date),
            ("last_step_on", Date),
            ("updated_at", Instant),
        ],
    ),
    (
        "task_steps",
        &[
            ("id", Int),
            ("task_id", Int),
            ("kind", Text),
            ("taken_on", Date),
            ("detail", Text),
            ("grade", Text),
            ("recorded_by", Text),
            ("recorded_at", Instant),
        ],
    ),
    (
        "task_links",
        &[
            ("id", Int),
            ("task_id", Int),
            ("kind", Text),
            ("record_key", Text),
            ("linked_by", Text),
            ("linked_at", Instant),
        ],
    ),
    (
        "assist_groups",
        &[
            ("id", Int),
            ("region_code", Text),
            ("name", Text),
            ("leader", Text),
            ("members", Text),
            ("experts", Text),
            ("entrepreneurs", Text),
            ("updated_by", Text),
            ("updated_at", Instant),
        ],
    ),
    ("assist_group_users", &[("group_id", Int), ("user_id", Int)]),
    ("assist_group_enterprises", &[("group_id", Int), ("enterprise_id", Int)]),
    (
        "work_plans",
        &[
            ("id", Int),
            ("region_code", Text),
            ("kind", Text),
            ("scheme_id", Int),
            ("title", Text),
            ("start_year", Int),
            ("end_year", Int),
            ("goals", Text),
            ("updated_by", Text),
            ("created_at", Instant),
            ("updated_at", Instant),
        ],
    ),
    (
        "work_plan_tasks",
        &[
            ("id", Int),
            ("plan_id", Int),
            ("text", Text),
            ("group_id", Int),
            ("department", Text),
            ("people", Text),
            ("deadline", Date),
            ("assigned_on", Date),
            ("done_on", Date),
            ("updated_at", Instant),
        ],
    ),
    (
        "work_plan_progress",
        &[
            ("id", Int),
            ("task_id", Int),
            ("reported_on", Date),
            ("text", Text),
            ("done", Bool),
            ("recorded_by", Text),
            ("recorded_at", Instant),
        ],
    ),
    (
        "import_mappings",
        &[
            ("id", Int),
            ("owner_region", Text),
            ("kind", Text),
            ("signature", Text),
            ("headers", Text),
            ("mapping", Text),
            ("updated_by", Text),
            ("updated_at", Instant),
        ],
    ),
    (
        "attachments",
        &[
            ("id", Int),
            ("owner_kind", Text),
            ("owner_key", Text),
            ("file_name", Text),
            ("content_type", Text),
            ("size_bytes", Int),
            ("sha256", Text),
            ("content", Bytes),
            ("uploaded_by", Text),
            ("uploaded_at", Instant),
        ],
    ),
];

/// Columns (table, column) added after backups were first written that are NOT NULL with
/// a default: a backup written before them restores them with it (empty text, zero, false).
const DEFAULT_WHEN_ABSENT: &[(&str, &str)] = &[
    ("projects", "excess_funds"),
    ("parks", "infrastructure"),
    ("parks", "policies"),
    ("parks", "contacts"),
    ("appeals", "contested"),
    ("appeals", "paused_days"),
    ("appeals", "extension_days"),
    ("appeals", "reopened"),
    ("achievement_reviews", "comment"),
    ("leads", "subject"),
    ("appeals", "contact"),
    ("achievements", "contact"),
    ("chain_nodes", "products"),
];

/// Columns added later whose default is a text of its own: a lead of a backup written
/// before the portal's enquiries was brought by a chamber.
const TEXT_WHEN_ABSENT: &[(&str, &str, &str)] = &[("leads", "channel", "商会")];

/// Tables added after backups were first written: a backup without them restores them
/// empty (their defaults; the calendar is loaded again from the shipped file at the next start).
const ADDED_LATER: &[&str] = &[
    "settings",
    "calendar_days",
    "chambers",
    "activity_chambers",
    "appeals",
    "institutions",
    "experts",
    "achievements",
    "achievement_reviews",
    "parcels",
    "parcel_status_changes",
    "appeal_steps",
    "review_rounds",
    "review_assignments",
    "promotions",
    "shortlists",
    "research_reports",
    "report_suggestions",
    "instructions",
    "instruction_tasks",
    "task_steps",
    "import_mappings",
    "visits",
    "supervision_ratings",
    "supervision_weight_versions",
    "attachments",
    "task_links",
    "achievement_past_rounds",
    "achievement_past_reviews",
    "assist_groups",
    "assist_group_users",
    "assist_group_enterprises",
    "work_plans",
    "work_plan_tasks",
    "work_plan_progress",
];

/// Columns (table, column) that triggers derive from other tables: a restore refills them.
const DERIVED_COLUMNS: &[(&str, &str)] = &[("enterprises", "live_projects")];

/// Tables that are deliberately not in a backup (sessions, and what triggers derive from
/// the other tables).
const NOT_BACKED_UP: &[&str] = &[
    "sessions",
    "sign_in_attempts",
    "_sqlx_migrations",
    "stat_sums",
    "stat_pairs",
    "stage_counts",
    "appeal_sums",
    "data_versions",
    "claim_pending",
    "claim_pairs",
    // The parcels' R*Tree (SQLite) and its own tables, kept by triggers from parcels.
    "parcel_positions",
    "parcel_positions_node",
    "parcel_positions_rowid",
    "parcel_positions_parent",
];

const FORMAT: &str = "zhaoshang-backup";
const VERSION: i64 = 1;

macro_rules! decode_column {
    ($row:expr, $index:expr, $kind:expr) => {{
        let value: Value = match $kind {
            Int => json!($row.try_get::<Option<i64>, _>($index)?),
            Float => json!($row.try_get::<Option<f64>, _>($index)?),
            Text => json!($row.try_get::<Option<String>, _>($index)?),
            Bool => json!($row.try_get::<Option<bool>, _>($index)?),
            Date => json!($row.try_get::<Option<NaiveDate>, _>($index)?),
            Instant => json!($row.try_get::<Option<DateTime<Utc>>, _>($index)?),
            Bytes => json!($row.try_get::<Option<Vec<u8>>, _>($index)?.map(|bytes| BASE64.encode(bytes))),
        };
        value
    }};
}

fn invalid(what: impl Into<String>) -> StoreError {
    StoreError::Invalid(format!("备份文件无效：{}", what.into()))
}

fn text_of(value: &Value, table: &str, column: &str) -> Result<Option<String>> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        _ => Err(invalid(format!("表 {table} 列 {column} 应为文本"))),
    }
}

impl Store {
    /// Dumps every table into one JSON document, read in one transaction so that a
    /// backup taken while others write is one consistent snapshot (a repeatable-read
    /// transaction on PostgreSQL; on SQLite the read transaction's WAL snapshot).
    pub async fn backup(&self) -> Result<Value> {
        let mut tables = Map::new();
        let postgres = self.backend() == crate::Backend::Postgres;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            if postgres {
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
            }
            for (table, columns) in TABLES {
                let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
                let sql = format!("SELECT {} FROM {table} ORDER BY 1", names.join(", "));
                let mut rows = Vec::new();
                for row in sqlx::query(&sql).fetch_all(&mut *tx).await? {
                    let mut record = Map::new();
                    for (index, (name, kind)) in columns.iter().enumerate() {
                        record.insert(name.to_string(), decode_column!(row, index, kind));
                    }
                    rows.push(Value::Object(record));
                }
                tables.insert(table.to_string(), Value::Array(rows));
            }
            tx.commit().await?;
        });
        Ok(json!({ "format": FORMAT, "version": VERSION, "created_at": Utc::now(), "tables": tables }))
    }

    /// Replaces every table's content with the backup's, in one transaction: a bad
    /// file changes nothing.
    pub async fn restore(&self, backup: &Value, actor: &Actor) -> Result<()> {
        if backup.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(invalid("不是招商平台的备份"));
        }
        if backup.get("version").and_then(Value::as_i64) != Some(VERSION) {
            return Err(invalid("版本不受支持"));
        }
        let tables = backup.get("tables").and_then(Value::as_object).ok_or_else(|| invalid("缺少 tables"))?;
        let (guard_off, guard_on) = match self.backend() {
            Backend::Sqlite => (
                vec!["DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete"],
                vec![
                    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
                    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END",
                ],
            ),
            Backend::Postgres => (
                vec!["ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"],
                vec!["ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change"],
            ),
        };
        audited!(self, actor, |tx, audit| {
            for statement in &guard_off {
                sqlx::query(statement).execute(&mut *tx).await?;
            }
            sqlx::query("DELETE FROM sessions").execute(&mut *tx).await?;
            for (table, _) in TABLES.iter().rev() {
                sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
            }
            let (no_text, zero, no) = (Value::String(String::new()), Value::from(0), Value::Bool(false));
            for (table, columns) in TABLES {
                let empty = Vec::new();
                let rows = match tables.get(*table) {
                    None if ADDED_LATER.contains(table) => &empty,
                    found => found.and_then(Value::as_array).ok_or_else(|| invalid(format!("缺少表 {table}")))?,
                };
                let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
                let sql =
                    format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), placeholders(1, columns.len()));
                for row in rows {
                    let mut query = sqlx::query(&sql);
                    for (name, kind) in columns.iter() {
                        let text_default = TEXT_WHEN_ABSENT
                            .iter()
                            .find(|(t, c, _)| t == table && c == name)
                            .map(|(_, _, text)| Value::from(*text));
                        let value = match row.get(*name) {
                            None if text_default.is_some() => text_default.as_ref().unwrap_or(&Value::Null),
                            None if DEFAULT_WHEN_ABSENT.contains(&(*table, *name)) => match kind {
                                Int => &zero,
                                Bool => &no,
                                _ => &no_text,
                            },
                            value => value.unwrap_or(&Value::Null),
                        };
                        let bad = || invalid(format!("表 {table} 列 {name} 的值“{value}”不合类型"));
                        query = match kind {
                            Int => query.bind(match value {
                                Value::Null => None,
                                v => Some(v.as_i64().ok_or_else(bad)?),
                            }),
                            Float => query.bind(match value {
                                Value::Null => None,
                                v => Some(v.as_f64().ok_or_else(bad)?),
                            }),
                            Bool => query.bind(match value {
                                Value::Null => None,
                                v => Some(v.as_bool().ok_or_else(bad)?),
                            }),
                            Text => query.bind(text_of(value, table, name)?),
                            Date => query.bind(
                                text_of(value, table, name)?
                                    .map(|s| s.parse::<NaiveDate>().map_err(|_| bad()))
                                    .transpose()?,
                            ),
                            Instant => query.bind(
                                text_of(value, table, name)?
                                    .map(|s| s.parse::<DateTime<Utc>>().map_err(|_| bad()))
                                    .transpose()?,
                            ),
                            Bytes => query.bind(
                                text_of(value, table, name)?
                                    .map(|s| BASE64.decode(s).map_err(|_| bad()))
                                    .transpose()?,
                            ),
                        };
                    }
                    query.execute(&mut *tx).await?;
                }
            }
            for statement in &guard_on {
                sqlx::query(statement).execute(&mut *tx).await?;
            }
            if self.backend() == Backend::Postgres {
                for (table, columns) in TABLES {
                    if columns.first().map(|(name, _)| *name) == Some("id") {
                        sqlx::query(&format!(
                            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                        ))
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
            audit.push(NewAuditEntry::new(
                AuditAction::Restore,
                AuditEntity::Database,
                String::new(),
                None,
                Some(json!({ "created_at": backup.get("created_at") })),
            ));
        });
        Ok(())
    }

    /// Tables and columns (`table.column`) of the live schema that the backup does not
    /// cover (should be none).
    pub async fn missing_from_backup(&self) -> Result<Vec<String>> {
        let (tables_sql, columns_sql) = match self.backend() {
            Backend::Sqlite => (
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                "SELECT name FROM pragma_table_info($1)",
            ),
            Backend::Postgres => (
                "SELECT tablename::TEXT FROM pg_tables WHERE schemaname = current_schema()",
                "SELECT column_name::TEXT FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1",
            ),
        };
        let names: Vec<String> = on_pool!(self, |pool| sqlx::query_scalar(tables_sql).fetch_all(pool).await?);
        let mut missing = Vec::new();
        for name in names.into_iter().filter(|name| !NOT_BACKED_UP.contains(&name.as_str())) {
            let Some((_, columns)) = TABLES.iter().find(|(t, _)| *t == name) else {
                missing.push(name);
                continue;
            };
            let stored: Vec<String> =
                on_pool!(self, |pool| sqlx::query_scalar(columns_sql).bind(&name).fetch_all(pool).await?);
            missing.extend(
                stored
                    .into_iter()
                    .filter(|c| !columns.iter().any(|(k, _)| k == c) && !DERIVED_COLUMNS.contains(&(name.as_str(), c)))
                    .map(|c| format!("{name}.{c}")),
            );
        }
        Ok(missing)
    }
}
