//! Migrations that rebuild a SQLite table keep what was stored: a database migrated to
//! just before the rebuild, given rows, then migrated to the end, holds the same rows
//! with their references working (PostgreSQL alters its tables in place).

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::borrow::Cow;
use std::str::FromStr;

/// A lead's id, project, the lead it duplicated, chamber and channel.
type LeadRow = (i64, Option<i64>, Option<i64>, Option<i64>, String);

/// The SQLite migrations up to (and without) `version`.
fn migrations_before(version: i64) -> Migrator {
    let mut migrator = sqlx::migrate!("migrations/sqlite");
    migrator.migrations = Cow::Owned(migrator.migrations.iter().filter(|m| m.version < version).cloned().collect());
    migrator
}

#[tokio::test]
async fn rebuilding_the_leads_for_the_portal_keeps_leads_steps_and_their_references() {
    let options = SqliteConnectOptions::from_str("sqlite::memory:").unwrap().foreign_keys(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
    migrations_before(29).run(&pool).await.unwrap();
    for statement in [
        "INSERT INTO regions (code, name, level) VALUES ('620000', '甘肃省', 1)",
        "INSERT INTO chambers (name) VALUES ('甘肃省浙江商会')",
        "INSERT INTO projects (code, name, region_code, stage, created_at, updated_at) \
         VALUES ('XS-1', '线索', '620000', 'lead', 't', 't')",
        "INSERT INTO leads (id, project_id, duplicate_of, chamber_id, referrer_name, investor, region_code, lead_on, \
         registered_at) VALUES (1, 1, NULL, 1, '联络员', '甲公司', '620000', '2024-01-01', 't'), \
         (2, NULL, 1, 1, '联络员', '甲公司', '620000', '2024-01-02', 't')",
        "INSERT INTO lead_steps (lead_id, step, done_on, answer, recorded_by, recorded_at) \
         VALUES (1, 'acknowledged', '2024-01-02', '已受理', '白银', 't')",
    ] {
        sqlx::query(statement).execute(&pool).await.unwrap();
    }
    sqlx::migrate!("migrations/sqlite").run(&pool).await.unwrap();

    let leads: Vec<LeadRow> =
        sqlx::query_as("SELECT id, project_id, duplicate_of, chamber_id, channel FROM leads ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
    let chamber = "商会".to_string();
    assert_eq!(leads, [(1, Some(1), None, Some(1), chamber.clone()), (2, None, Some(1), Some(1), chamber)]);
    let steps: Vec<(i64, String)> =
        sqlx::query_as("SELECT lead_id, answer FROM lead_steps").fetch_all(&pool).await.unwrap();
    assert_eq!(steps, [(1, "已受理".to_string())]);
    let broken: Vec<(String,)> =
        sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check").fetch_all(&pool).await.unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    let leftovers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_schema WHERE sql LIKE '%before_portal%'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(leftovers, 0, "no reference to the tables set aside");

    // An enquiry names no chamber but a channel; a chamber's lead must name its chamber.
    sqlx::query(
        "INSERT INTO leads (project_id, duplicate_of, chamber_id, referrer_name, investor, region_code, lead_on, \
         registered_at, channel, tracking_code) VALUES (NULL, 1, NULL, '访客', '乙公司', '620000', '2024-02-01', 't', \
         '网上选地', 'ABCDEFGHJKMN')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let orphan = sqlx::query(
        "INSERT INTO leads (project_id, duplicate_of, chamber_id, referrer_name, investor, region_code, lead_on, \
         registered_at) VALUES (NULL, 1, NULL, '访客', '丙公司', '620000', '2024-02-01', 't')",
    )
    .execute(&pool)
    .await;
    assert!(orphan.is_err(), "a 商会 lead without its chamber is refused");

    // Deleting a lead still cascades to its steps and to the registrations refused for it.
    sqlx::query("DELETE FROM leads WHERE id = 1").execute(&pool).await.unwrap();
    let left: (i64, i64) = sqlx::query_as("SELECT (SELECT COUNT(*) FROM leads), (SELECT COUNT(*) FROM lead_steps)")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(left, (0, 0));
}
