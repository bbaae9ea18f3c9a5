//! Backup and restore, the same on both backends (so a backup of an SQLite database
//! restores into PostgreSQL and back). A backup is gzip'd JSON lines written table by
//! table and row by row (version 2): a header line, then per table a line naming it
//! and its columns followed by one array of values per row, then an end line with the
//! row count; neither writing nor restoring holds more than a statement's rows. Version
//! 1 backups (one JSON document) still restore. Sessions are not kept: a restore signs
//! everybody out.

use crate::audit::{Actor, NewAuditEntry};
use crate::audit::{AuditAction, AuditEntity};
use crate::sql::{rows_per_statement, value_rows};
use crate::{Backend, Result, Store, StoreError};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use flate2::read::MultiGzDecoder;
use flate2::write::GzEncoder;
use flate2::Compression;
use futures_util::TryStreamExt;
use serde_json::{json, Map, Value};
use sqlx::Row;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};

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
            ("energy_quota_tce", Int),
            ("energy_quota_note", Text),
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
            ("region_code", Text),
            ("outcome", Text),
        ],
    ),
    ("activity_chambers", &[("activity_id", Int), ("chamber_id", Int), ("position", Int)]),
    ("activity_participants", &[("activity_id", Int), ("position", Int), ("name", Text), ("role", Text)]),
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
    ("activity_enterprises", &[("activity_id", Int), ("enterprise_id", Int), ("position", Int)]),
    (
        "travel_plans",
        &[
            ("id", Int),
            ("region_code", Text),
            ("leader", Text),
            ("destination_code", Text),
            ("start_on", Date),
            ("end_on", Date),
            ("purpose", Text),
            ("created_by", Text),
            ("created_at", Instant),
            ("activity_id", Int),
        ],
    ),
    (
        "travel_plan_visits",
        &[
            ("plan_id", Int),
            ("position", Int),
            ("visit_on", Date),
            ("kind", Text),
            ("enterprise_id", Int),
            ("chamber_id", Int),
        ],
    ),
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
    ("park_chains", &[("park_id", Int), ("chain_id", Int)]),
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
        "evaluation_schemes",
        &[
            ("id", Int),
            ("name", Text),
            ("version", Int),
            ("definition", Text),
            ("created_by", Text),
            ("created_at", Instant),
        ],
    ),
    (
        "evaluation_publications",
        &[
            ("id", Int),
            ("region_code", Text),
            ("year", Int),
            ("quarter", Int),
            ("scheme_id", Int),
            ("snapshot", Text),
            ("result", Text),
            ("published_by", Text),
            ("published_at", Instant),
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
            ("activity_id", Int),
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
        "activity_plans",
        &[
            ("id", Int),
            ("region_code", Text),
            ("department", Text),
            ("period_kind", Text),
            ("period", Text),
            ("period_from", Date),
            ("period_to", Date),
            ("note", Text),
            ("updated_by", Text),
            ("created_at", Instant),
            ("updated_at", Instant),
        ],
    ),
    (
        "activity_plan_lines",
        &[
            ("id", Int),
            ("plan_id", Int),
            ("kind", Text),
            ("title", Text),
            ("place_code", Text),
            ("targets", Text),
            ("responsible", Text),
            ("planned_on", Date),
            ("due_on", Date),
            ("activity_id", Int),
            ("updated_at", Instant),
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
    ("parks", "energy_quota_note"),
    ("appeals", "contested"),
    ("appeals", "paused_days"),
    ("appeals", "extension_days"),
    ("appeals", "reopened"),
    ("achievement_reviews", "comment"),
    ("leads", "subject"),
    ("appeals", "contact"),
    ("achievements", "contact"),
    ("chain_nodes", "products"),
    ("activities", "outcome"),
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
    "park_chains",
    "activity_participants",
    "activity_enterprises",
    "activity_plans",
    "activity_plan_lines",
    "travel_plans",
    "travel_plan_visits",
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
    "chamber_funds",
    "report_sums",
    "report_pairs",
    // The parcels' R*Tree (SQLite) and its own tables, kept by triggers from parcels.
    "parcel_positions",
    "parcel_positions_node",
    "parcel_positions_rowid",
    "parcel_positions_parent",
];

const FORMAT: &str = "zhaoshang-backup";
/// Gzip'd JSON lines.
const VERSION: i64 = 2;
/// One JSON document (backups written before version 2).
const DOCUMENT_VERSION: i64 = 1;

/// A statement's rows are also cut at this many bytes of the file (attachments' content
/// can make a few rows large).
const STATEMENT_BYTES: usize = 16 << 20;

/// What the paused triggers keep, recomputed from the restored rows in one grouped pass
/// each (the first fill of their migrations: 0006, 0007, 0009, 0010, 0023, 0030, 0034, 0048, 0051),
/// after the derived tables were emptied. SQLite's appeal sums are
/// `appeals::ADD_NEW_APPEAL_SUMS` over every appeal, its chambers' funds and report sums
/// `projects::ADD_NEW_CHAMBER_FUNDS` and `ADD_NEW_REPORT_*` over every record.
const REFILL_SQLITE: &[&str] = &[
    "INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
     SELECT 'F', k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE f.chain END, g.grain,
            CASE g.grain WHEN 'D' THEN f.funded_on WHEN 'M' THEN substr(f.funded_on, 1, 8) || '01' ELSE substr(f.funded_on, 1, 5) || '01-01' END,
            f.region_code, f.source, COUNT(*), SUM(f.amount)
     FROM project_funding AS f, (SELECT 0 AS by_chain UNION ALL SELECT 1) AS k,
          (SELECT 'D' AS grain UNION ALL SELECT 'M' UNION ALL SELECT 'Y') AS g
     GROUP BY 1, 2, 3, 4, 5, 6, 7",
    "INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
     SELECT p.measure, k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE p.chain END, g.grain,
            CASE g.grain WHEN 'D' THEN p.day WHEN 'M' THEN substr(p.day, 1, 8) || '01' ELSE substr(p.day, 1, 5) || '01-01' END,
            p.region_code, '', COUNT(*), SUM(p.total_investment)
     FROM (SELECT region_code, chain, total_investment, 'S' AS measure, signed_on AS day FROM projects
           WHERE stage <> 'dropped' AND signed_on IS NOT NULL
           UNION ALL
           SELECT region_code, chain, total_investment, 'P', producing_on FROM projects
           WHERE stage <> 'dropped' AND signed_on IS NOT NULL AND producing_on IS NOT NULL) AS p,
          (SELECT 0 AS by_chain UNION ALL SELECT 1) AS k, (SELECT 'D' AS grain UNION ALL SELECT 'M' UNION ALL SELECT 'Y') AS g
     GROUP BY 1, 2, 3, 4, 5, 6, 7",
    "INSERT INTO stat_pairs (measure, by_chain, chain, signed_month, event_month, region_code, records)
     SELECT m.measure, k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE m.chain END,
            substr(m.signed_on, 1, 8) || '01', substr(m.day, 1, 8) || '01', m.region_code, COUNT(*)
     FROM (SELECT 'T' AS measure, region_code, chain, signed_on, started_on AS day FROM projects
           WHERE stage <> 'dropped' AND signed_on IS NOT NULL AND started_on IS NOT NULL
           UNION ALL
           SELECT 'P', region_code, chain, signed_on, producing_on FROM projects
           WHERE stage <> 'dropped' AND signed_on IS NOT NULL AND producing_on IS NOT NULL
           UNION ALL
           SELECT 'L', region_code, chain, signed_on, signed_on FROM projects
           WHERE stage <> 'dropped' AND signed_on IS NOT NULL AND total_investment >= 100000000) AS m,
          (SELECT 0 AS by_chain UNION ALL SELECT 1) AS k
     GROUP BY 1, 2, 3, 4, 5, 6",
    "INSERT INTO stage_counts (stage, signed_month, region_code, records)
     SELECT stage, substr(signed_on, 1, 8) || '01', region_code, COUNT(*) FROM projects
     WHERE signed_on IS NOT NULL GROUP BY 1, 2, 3",
    "INSERT INTO parcel_positions (id, min_lon, max_lon, min_lat, max_lat) SELECT id, lon, lon, lat, lat FROM parcels",
];

/// REFILL_SQLITE on PostgreSQL.
const REFILL_POSTGRES: &[&str] = &[
    "INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
     SELECT 'F', k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE f.chain END, g.grain,
            CASE g.grain WHEN 'D' THEN f.funded_on WHEN 'M' THEN date_trunc('month', f.funded_on)::date
                 ELSE date_trunc('year', f.funded_on)::date END,
            f.region_code, f.source, COUNT(*), SUM(f.amount)
     FROM project_funding AS f, (VALUES (0), (1)) AS k(by_chain), (VALUES ('D'), ('M'), ('Y')) AS g(grain)
     GROUP BY 1, 2, 3, 4, 5, 6, 7",
    "INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount)
     SELECT m.measure, k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE p.chain END, g.grain,
            CASE g.grain WHEN 'D' THEN m.day WHEN 'M' THEN date_trunc('month', m.day)::date
                 ELSE date_trunc('year', m.day)::date END,
            p.region_code, '', COUNT(*), SUM(p.total_investment)
     FROM projects AS p, LATERAL (VALUES ('S', p.signed_on), ('P', p.producing_on)) AS m(measure, day),
          (VALUES (0), (1)) AS k(by_chain), (VALUES ('D'), ('M'), ('Y')) AS g(grain)
     WHERE p.stage <> 'dropped' AND p.signed_on IS NOT NULL AND m.day IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5, 6, 7",
    "INSERT INTO stat_pairs (measure, by_chain, chain, signed_month, event_month, region_code, records)
     SELECT m.measure, k.by_chain, CASE k.by_chain WHEN 0 THEN '' ELSE p.chain END,
            date_trunc('month', p.signed_on)::date, date_trunc('month', m.day)::date, p.region_code, COUNT(*)
     FROM projects AS p,
          LATERAL (VALUES ('T', p.started_on), ('P', p.producing_on),
                          ('L', CASE WHEN p.total_investment >= 100000000 THEN p.signed_on END)) AS m(measure, day),
          (VALUES (0), (1)) AS k(by_chain)
     WHERE p.stage <> 'dropped' AND p.signed_on IS NOT NULL AND m.day IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5, 6",
    "INSERT INTO stage_counts (stage, signed_month, region_code, records)
     SELECT stage, date_trunc('month', signed_on)::date, region_code, COUNT(*) FROM projects
     WHERE signed_on IS NOT NULL GROUP BY 1, 2, 3",
    "INSERT INTO appeal_sums (received_month, region_code, dimension, settled_month, received, answered, on_time,
         overdue, resolved, rated, satisfied)
     SELECT date_trunc('month', received_on)::date, region_code, dimension,
         date_trunc('month', GREATEST(due_on + 1, answered_on, closed_on))::date,
         COUNT(*), SUM((answered_on IS NOT NULL)::int), SUM(coalesce(answered_on <= due_on, false)::int),
         SUM((answered_on IS NULL OR answered_on > due_on)::int), SUM((closed_on IS NOT NULL)::int),
         SUM((closed_on IS NOT NULL AND rating <> '')::int),
         SUM((closed_on IS NOT NULL AND rating IN ('satisfied', 'fairly_satisfied'))::int)
     FROM appeals GROUP BY 1, 2, 3, 4",
    "INSERT INTO chamber_funds (source_org, month, amount)
     SELECT p.source_org, date_trunc('month', f.funded_on)::date, SUM(f.amount)
     FROM project_funding f JOIN projects p ON p.id = f.project_id WHERE p.source_org <> '' GROUP BY 1, 2",
    "INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
     SELECT 'F', k.facet, g.grain, date_trunc(g.unit, f.funded_on)::date, f.region_code, k.facet_value, f.source,
            COUNT(*), SUM(f.amount)
     FROM project_funding f JOIN project_facets k ON k.id = f.project_id,
          (VALUES ('M', 'month'), ('Y', 'year')) AS g(grain, unit)
     GROUP BY 2, 3, 4, 5, 6, 7",
    "INSERT INTO report_sums (measure, facet, grain, bucket, region_code, facet_value, source, records, amount)
     SELECT m.measure, k.facet, g.grain, date_trunc(g.unit, m.day)::date, p.region_code, k.facet_value, '',
            COUNT(*), SUM(p.total_investment)
     FROM projects p JOIN project_facets k ON k.id = p.id,
          LATERAL (VALUES ('S', p.signed_on), ('P', p.producing_on)) AS m(measure, day),
          (VALUES ('M', 'month'), ('Y', 'year')) AS g(grain, unit)
     WHERE p.stage <> 'dropped' AND p.signed_on IS NOT NULL AND m.day IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5, 6, 7",
    "INSERT INTO report_pairs (measure, facet, signed_month, event_month, region_code, facet_value, records)
     SELECT m.measure, k.facet, date_trunc('month', p.signed_on)::date, date_trunc('month', m.day)::date,
            p.region_code, k.facet_value, COUNT(*)
     FROM projects p JOIN project_facets k ON k.id = p.id,
          LATERAL (VALUES ('T', p.started_on), ('P', p.producing_on),
                          ('L', CASE WHEN p.total_investment >= 100000000 THEN p.signed_on END)) AS m(measure, day)
     WHERE p.stage <> 'dropped' AND p.signed_on IS NOT NULL AND m.day IS NOT NULL
     GROUP BY 1, 2, 3, 4, 5, 6",
];

/// The rest of the refill, the same on both backends: the investing enterprises' counts
/// (every restored enterprise starts at 0), every restored investor marked for the
/// duplicate-claim pairs (as the insert triggers would), and every cached figure's
/// counter moved on.
const REFILL_BOTH: &[&str] = &[
    "UPDATE enterprises SET live_projects = (
         SELECT COUNT(*) FROM projects p WHERE p.investor_credit_code = enterprises.credit_code AND p.stage <> 'dropped')
     WHERE credit_code IN (SELECT investor_credit_code FROM projects WHERE stage <> 'dropped')",
    "INSERT INTO claim_pending (investor_credit_code, marked)
     SELECT DISTINCT investor_credit_code, 1 FROM projects WHERE investor_credit_code <> ''
     ON CONFLICT (investor_credit_code) DO UPDATE SET marked = claim_pending.marked + 1",
    "UPDATE data_versions SET version = version + 1",
];

/// What the triggers derive and a restore empties before refilling it; `claim_pending`
/// keeps its marks (they only grow).
const DERIVED: &[&str] = &[
    "stat_sums",
    "stat_pairs",
    "stage_counts",
    "appeal_sums",
    "claim_pairs",
    "chamber_funds",
    "report_sums",
    "report_pairs",
];

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

/// Binds a backup's value of a column of `$kind` onto `$query`, refusing a value of
/// another type.
macro_rules! bind_column {
    ($query:expr, $table:expr, $name:expr, $kind:expr, $value:expr) => {{
        let value: Value = $value;
        let bad = || invalid(format!("表 {} 列 {} 的值“{value}”不合类型", $table, $name));
        let text = |value: &Value| match value {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s.clone())),
            _ => Err(bad()),
        };
        match $kind {
            Int => $query.bind(match &value {
                Value::Null => None,
                v => Some(v.as_i64().ok_or_else(bad)?),
            }),
            Float => $query.bind(match &value {
                Value::Null => None,
                v => Some(v.as_f64().ok_or_else(bad)?),
            }),
            Bool => $query.bind(match &value {
                Value::Null => None,
                v => Some(v.as_bool().ok_or_else(bad)?),
            }),
            Text => $query.bind(text(&value)?),
            Date => $query.bind(text(&value)?.map(|s| s.parse::<NaiveDate>().map_err(|_| bad())).transpose()?),
            Instant => $query.bind(text(&value)?.map(|s| s.parse::<DateTime<Utc>>().map_err(|_| bad())).transpose()?),
            Bytes => $query.bind(text(&value)?.map(|s| BASE64.decode(s).map_err(|_| bad())).transpose()?),
        }
    }};
}

fn invalid(what: impl Into<String>) -> StoreError {
    StoreError::Invalid(format!("备份文件无效：{}", what.into()))
}

fn write_failed(error: std::io::Error) -> StoreError {
    StoreError::Invalid(format!("无法写入备份：{error}"))
}

/// The value a row of a backup written before `table`.`column` existed restores it with.
fn absent(table: &str, column: &str, kind: Kind) -> Value {
    if let Some((_, _, text)) = TEXT_WHEN_ABSENT.iter().find(|(t, c, _)| *t == table && *c == column) {
        return Value::from(*text);
    }
    if !DEFAULT_WHEN_ABSENT.contains(&(table, column)) {
        return Value::Null;
    }
    match kind {
        Int => Value::from(0),
        Bool => Value::Bool(false),
        _ => Value::String(String::new()),
    }
}

/// What a backup gives next, in file order.
enum Step {
    /// The rows that follow are this table's (an index into TABLES).
    Table(usize),
    /// A row of the current table, its values in TABLES' column order, and how many
    /// bytes of the file it took.
    Row(Vec<Value>, usize),
    End,
}

/// A backup being read: version 2's lines, or a version 1 document.
enum Source<'a> {
    Lines {
        input: Box<dyn BufRead + Send + 'a>,
        line: String,
        number: u64,
        /// The current table and, for each of its columns, where the file's rows hold it.
        table: Option<(usize, Vec<Option<usize>>)>,
        rows: u64,
    },
    Document {
        tables: &'a Map<String, Value>,
        next_table: usize,
        rows: &'a [Value],
        row: usize,
    },
}

impl Source<'_> {
    fn next(&mut self) -> Result<Step> {
        match self {
            Source::Lines { input, line, number, table, rows } => {
                line.clear();
                let read = input.read_line(line).map_err(|e| invalid(format!("读取失败（{e}）")))?;
                *number += 1;
                if read == 0 {
                    return Err(invalid("文件不完整（缺少结尾）"));
                }
                let value: Value =
                    serde_json::from_str(line).map_err(|_| invalid(format!("第 {number} 行不是有效的 JSON")))?;
                match value {
                    Value::Array(mut values) => {
                        let (index, positions) = table.as_ref().ok_or_else(|| invalid("数据行前缺少表名"))?;
                        let (name, columns) = TABLES[*index];
                        if values.len() != positions.iter().flatten().count() {
                            return Err(invalid(format!("第 {number} 行的列数与表 {name} 的列不符")));
                        }
                        let row = columns
                            .iter()
                            .zip(positions)
                            .map(|((column, kind), position)| match position {
                                Some(at) => std::mem::take(&mut values[*at]),
                                None => absent(name, column, *kind),
                            })
                            .collect();
                        *rows += 1;
                        Ok(Step::Row(row, read))
                    }
                    Value::Object(object) if object.contains_key("table") => {
                        let name = object["table"].as_str().unwrap_or_default();
                        let index = TABLES
                            .iter()
                            .position(|(t, _)| *t == name)
                            .ok_or_else(|| invalid(format!("未知的表 {name}")))?;
                        if table.as_ref().is_some_and(|(previous, _)| *previous >= index) {
                            return Err(invalid(format!("表 {name} 的位置不对")));
                        }
                        let file_columns: Vec<&str> = object
                            .get("columns")
                            .and_then(Value::as_array)
                            .map(|columns| columns.iter().filter_map(Value::as_str).collect())
                            .unwrap_or_default();
                        let columns = TABLES[index].1;
                        if let Some(unknown) = file_columns.iter().find(|c| !columns.iter().any(|(n, _)| n == *c)) {
                            return Err(invalid(format!("表 {name} 有不认识的列 {unknown}")));
                        }
                        let positions =
                            columns.iter().map(|(column, _)| file_columns.iter().position(|c| c == column)).collect();
                        let skipped = TABLES[table.as_ref().map_or(0, |(previous, _)| previous + 1)..index]
                            .iter()
                            .find(|(t, _)| !ADDED_LATER.contains(t));
                        if let Some((missing, _)) = skipped {
                            return Err(invalid(format!("缺少表 {missing}")));
                        }
                        *table = Some((index, positions));
                        Ok(Step::Table(index))
                    }
                    Value::Object(object) if object.contains_key("end") => {
                        if object.get("rows").and_then(Value::as_u64) != Some(*rows) {
                            return Err(invalid(format!("结尾的行数与读到的 {rows} 行不符")));
                        }
                        let after = table.as_ref().map_or(0, |(last, _)| last + 1);
                        if let Some((missing, _)) = TABLES[after..].iter().find(|(t, _)| !ADDED_LATER.contains(t)) {
                            return Err(invalid(format!("缺少表 {missing}")));
                        }
                        Ok(Step::End)
                    }
                    _ => Err(invalid(format!("第 {number} 行无法识别"))),
                }
            }
            Source::Document { tables, next_table, rows, row } => {
                if let Some(found) = rows.get(*row) {
                    *row += 1;
                    let (name, columns) = TABLES[*next_table - 1];
                    let record = found.as_object().ok_or_else(|| invalid(format!("表 {name} 的行应为对象")))?;
                    let values = columns
                        .iter()
                        .map(|(column, kind)| {
                            record.get(*column).cloned().unwrap_or_else(|| absent(name, column, *kind))
                        })
                        .collect();
                    return Ok(Step::Row(values, 0));
                }
                let Some((name, _)) = TABLES.get(*next_table) else {
                    return Ok(Step::End);
                };
                *rows = match tables.get(*name) {
                    None if ADDED_LATER.contains(name) => &[],
                    found => found.and_then(Value::as_array).ok_or_else(|| invalid(format!("缺少表 {name}")))?,
                };
                *row = 0;
                *next_table += 1;
                Ok(Step::Table(*next_table - 1))
            }
        }
    }
}

/// Loads a batch of a table's rows (values in TABLES' column order) on a connection:
/// many-row INSERTs on SQLite, COPY on PostgreSQL.
trait LoadRows {
    fn load_rows(
        &mut self,
        table: (&str, &[(&str, Kind)]),
        rows: Vec<Vec<Value>>,
    ) -> impl std::future::Future<Output = Result<()>> + Send;
}

impl LoadRows for sqlx::SqliteConnection {
    async fn load_rows(&mut self, (name, columns): (&str, &[(&str, Kind)]), rows: Vec<Vec<Value>>) -> Result<()> {
        let names: Vec<&str> = columns.iter().map(|(column, _)| *column).collect();
        let sql = format!(
            "INSERT INTO {name} ({}) VALUES {}",
            names.join(", "),
            value_rows(Backend::Sqlite, rows.len(), columns.len())
        );
        let mut query = sqlx::query(&sql);
        for row in rows {
            for (value, (column, kind)) in row.into_iter().zip(columns) {
                query = bind_column!(query, name, column, kind, value);
            }
        }
        query.execute(self).await?;
        Ok(())
    }
}

impl LoadRows for sqlx::PgConnection {
    /// The rows as CSV, checked whole before the COPY starts (a bad value then leaves
    /// no COPY half sent).
    async fn load_rows(&mut self, (name, columns): (&str, &[(&str, Kind)]), rows: Vec<Vec<Value>>) -> Result<()> {
        let mut csv = Vec::new();
        for row in rows {
            for (index, (value, (column, kind))) in row.into_iter().zip(columns).enumerate() {
                if index > 0 {
                    csv.push(b',');
                }
                csv_field(&mut csv, name, column, *kind, value)?;
            }
            csv.push(b'\n');
        }
        let names: Vec<&str> = columns.iter().map(|(column, _)| *column).collect();
        let mut copy = self.copy_in_raw(&format!("COPY {name} ({}) FROM STDIN (FORMAT csv)", names.join(", "))).await?;
        copy.send(csv).await?;
        copy.finish().await?;
        Ok(())
    }
}

/// Appends a backup's value of a column of `kind` to a CSV line in PostgreSQL's COPY
/// form (unquoted empty for NULL, text quoted, bytea as hex), refusing a value of
/// another type.
fn csv_field(out: &mut Vec<u8>, table: &str, column: &str, kind: Kind, value: Value) -> Result<()> {
    let bad = || invalid(format!("表 {table} 列 {column} 的值“{value}”不合类型"));
    let text = match (&value, kind) {
        (Value::Null, _) => return Ok(()),
        (Value::String(text), Text) => {
            out.push(b'"');
            for byte in text.bytes() {
                if byte == b'"' {
                    out.push(b'"');
                }
                out.push(byte);
            }
            out.push(b'"');
            return Ok(());
        }
        (v, Int) => v.as_i64().ok_or_else(bad)?.to_string(),
        (v, Float) => v.as_f64().ok_or_else(bad)?.to_string(),
        (v, Bool) => v.as_bool().ok_or_else(bad)?.to_string(),
        (Value::String(s), Date) => s.parse::<NaiveDate>().map_err(|_| bad())?.to_string(),
        (Value::String(s), Instant) => s.parse::<DateTime<Utc>>().map_err(|_| bad())?.to_rfc3339(),
        (Value::String(s), Bytes) => {
            let bytes = BASE64.decode(s).map_err(|_| bad())?;
            std::iter::once("\\x".to_string()).chain(bytes.iter().map(|b| format!("{b:02x}"))).collect()
        }
        _ => return Err(bad()),
    };
    out.extend_from_slice(text.as_bytes());
    Ok(())
}

impl Store {
    /// Writes every table to `out` as a version 2 backup, read in one transaction so that
    /// a backup taken while others write is one consistent snapshot (a repeatable-read
    /// transaction on PostgreSQL; on SQLite the read transaction's WAL snapshot). Rows
    /// stream from the database to the compressor; returns `out` and the rows written.
    pub async fn backup_to<W: Write + Send>(&self, out: W) -> Result<(W, u64)> {
        // The fastest level: it still shrinks the JSON about sevenfold, and a province's
        // backup is CPU-bound on compression at the default level.
        let mut out = BufWriter::with_capacity(1 << 16, GzEncoder::new(out, Compression::fast()));
        let header = json!({ "format": FORMAT, "version": VERSION, "created_at": Utc::now() });
        writeln!(out, "{header}").map_err(write_failed)?;
        let postgres = self.backend() == crate::Backend::Postgres;
        let mut written = 0u64;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            if postgres {
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
            }
            for (table, columns) in TABLES {
                let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
                writeln!(out, "{}", json!({ "table": table, "columns": names })).map_err(write_failed)?;
                let sql = format!("SELECT {} FROM {table} ORDER BY 1", names.join(", "));
                let mut rows = sqlx::query(&sql).fetch(&mut *tx);
                while let Some(row) = rows.try_next().await? {
                    let mut values = Vec::with_capacity(columns.len());
                    for (index, (_, kind)) in columns.iter().enumerate() {
                        values.push(decode_column!(row, index, kind));
                    }
                    serde_json::to_writer(&mut out, &values).map_err(|e| write_failed(e.into()))?;
                    out.write_all(b"\n").map_err(write_failed)?;
                    written += 1;
                }
            }
            tx.commit().await?;
        });
        writeln!(out, "{}", json!({ "end": true, "rows": written })).map_err(write_failed)?;
        let out = out.into_inner().map_err(|e| write_failed(e.into_error()))?.finish().map_err(write_failed)?;
        Ok((out, written))
    }

    /// Replaces every table's content with the backup read from `input` (version 2,
    /// gzip'd or not, or a version 1 document), in one transaction: a bad or truncated
    /// file changes nothing.
    pub async fn restore_from<R: Read + Send>(&self, input: R, actor: &Actor) -> Result<()> {
        let mut input = BufReader::with_capacity(1 << 16, input);
        let gzip = input.fill_buf().map_err(|e| invalid(format!("读取失败（{e}）")))?.starts_with(&[0x1f, 0x8b]);
        let mut input: Box<dyn BufRead + Send + '_> = if gzip {
            Box::new(BufReader::with_capacity(1 << 16, MultiGzDecoder::new(input)))
        } else {
            Box::new(input)
        };
        let mut first = String::new();
        input.read_line(&mut first).map_err(|e| invalid(format!("读取失败（{e}）")))?;
        let header: Value = match serde_json::from_str(&first) {
            Ok(header) => header,
            // A version 1 document written over several lines.
            Err(_) => {
                input.read_to_string(&mut first).map_err(|e| invalid(format!("读取失败（{e}）")))?;
                serde_json::from_str(&first)
                    .map_err(|_| StoreError::Invalid("不是有效的备份文件（读不出 JSON）".into()))?
            }
        };
        if header.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(invalid("不是招商平台的备份"));
        }
        let created_at = header.get("created_at").cloned().unwrap_or(Value::Null);
        match header.get("version").and_then(Value::as_i64) {
            Some(VERSION) => {
                let source = Source::Lines { input, line: String::new(), number: 1, table: None, rows: 0 };
                self.load(source, created_at, actor).await
            }
            Some(DOCUMENT_VERSION) => {
                let tables = header.get("tables").and_then(Value::as_object).ok_or_else(|| invalid("缺少 tables"))?;
                let source = Source::Document { tables, next_table: 0, rows: &[], row: 0 };
                self.load(source, created_at, actor).await
            }
            _ => Err(invalid("版本不受支持")),
        }
    }

    /// The restore proper: the triggers paused, every table emptied and loaded many rows
    /// a statement, what the triggers keep recomputed once, the triggers back. Without
    /// the imports' bulk settings on SQLite: a restore rewrites the whole database, and
    /// with temporary storage in memory the grouped recomputations' sorts and the
    /// changed pages held back from the WAL took the process 1.1 GiB above its size for
    /// 1.3 million rows (bench, scale 0.1).
    async fn load(&self, mut source: Source<'_>, created_at: Value, actor: &Actor) -> Result<()> {
        let backend = self.backend();
        bulk_audited!(self, actor, false, |tx, audit| {
            // Per-row (SQLite) and per-statement (PostgreSQL) triggers would update the
            // same aggregate rows again for every row or statement of the load. SQLite
            // has no switch for triggers: they are dropped and created again from their
            // own text, all inside the transaction.
            let resume: Vec<String> = match backend {
                Backend::Sqlite => {
                    let triggers: Vec<(String, String)> =
                        sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
                            .fetch_all(&mut *tx)
                            .await?;
                    for (name, _) in &triggers {
                        sqlx::query(&format!("DROP TRIGGER {name}")).execute(&mut *tx).await?;
                    }
                    triggers.into_iter().map(|(_, sql)| sql).collect()
                }
                Backend::Postgres => {
                    let tables: Vec<String> = sqlx::query_scalar(
                        "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal",
                    )
                    .fetch_all(&mut *tx)
                    .await?;
                    for table in &tables {
                        sqlx::query(&format!("ALTER TABLE {table} DISABLE TRIGGER USER")).execute(&mut *tx).await?;
                    }
                    tables.into_iter().map(|table| format!("ALTER TABLE {table} ENABLE TRIGGER USER")).collect()
                }
            };
            sqlx::query("DELETE FROM sessions").execute(&mut *tx).await?;
            let spatial: &[&str] = if backend == Backend::Sqlite { &["parcel_positions"] } else { &[] };
            let emptied = TABLES.iter().rev().map(|(table, _)| *table).chain(DERIVED.iter().copied());
            for table in emptied.chain(spatial.iter().copied()) {
                sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
            }
            let mut table = 0;
            let mut batch: Vec<Vec<Value>> = Vec::new();
            let mut bytes = 0;
            loop {
                let mut step = source.next()?;
                if let Step::Row(row, size) = &mut step {
                    batch.push(std::mem::take(row));
                    bytes += *size;
                    if batch.len() < rows_per_statement(TABLES[table].1.len()) && bytes < STATEMENT_BYTES {
                        continue;
                    }
                }
                if !batch.is_empty() {
                    (*tx).load_rows(TABLES[table], std::mem::take(&mut batch)).await?;
                    bytes = 0;
                }
                match step {
                    Step::Table(next) => table = next,
                    Step::End => break,
                    Step::Row(..) => {}
                }
            }
            let refill = if backend == Backend::Sqlite { REFILL_SQLITE } else { REFILL_POSTGRES };
            for statement in refill.iter().chain(REFILL_BOTH) {
                sqlx::query(statement).execute(&mut *tx).await?;
            }
            if backend == Backend::Sqlite {
                sqlx::query(crate::appeals::ADD_NEW_APPEAL_SUMS).bind(0i64).execute(&mut *tx).await?;
                let from_the_first =
                    [crate::projects::ADD_NEW_CHAMBER_FUNDS, crate::projects::ADD_NEW_REPORT_FUNDING_SUMS]
                        .into_iter()
                        .chain(crate::projects::ADD_NEW_REPORT_PROJECT_SUMS);
                for statement in from_the_first {
                    sqlx::query(statement).bind(0i64).execute(&mut *tx).await?;
                }
            }
            for statement in &resume {
                sqlx::query(statement).execute(&mut *tx).await?;
            }
            if backend == Backend::Postgres {
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
                Some(json!({ "created_at": created_at })),
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
