//! Restore at provincial scale (issue 17 point 3): 50,000 projects and 100,000 funding
//! records, loaded through the bulk loader into PostgreSQL, back up and restore into a
//! fresh database through the bulk path (many rows a statement, triggers paused, the
//! sums recomputed once). One statement a row with the statement triggers firing for
//! each took minutes here and grew quadratically: such a path would hold the suite far
//! beyond its time (the figures are printed; speed targets live in the benchmark).

use chrono::{Duration, NaiveDate, Utc};
use std::time::Instant;
use zhaoshang_core::metrics::Period;
use zhaoshang_core::regions::parse_divisions;
use zhaoshang_store::bulk::{BulkFunding, BulkProject};
use zhaoshang_store::listing::ProjectFilter;
use zhaoshang_store::projects::ProjectData;
use zhaoshang_store::{Actor, Store};

const PROJECTS: i64 = 50_000;
const FUNDING_EACH: i64 = 2;
const COUNTIES: [&str; 4] = ["620102", "620402", "620503", "620702"];
const STAGES: [&str; 5] = ["signed", "started", "producing", "dropped", "negotiating"];

async fn open_with_regions(url: &str) -> Store {
    let store = Store::open(url).await.unwrap();
    let divisions = "header\n620000\t甘肃省\t0\t\n620100\t兰州市\t0\t620000\n620400\t白银市\t0\t620000\n\
                     620500\t天水市\t0\t620000\n620700\t张掖市\t0\t620000\n620102\t城关区\t0\t620100\n\
                     620402\t白银区\t0\t620400\n620503\t麦积区\t0\t620500\n620702\t甘州区\t0\t620700\n";
    store.load_regions(&parse_divisions(divisions).unwrap()).await.unwrap();
    store
}

fn project(id: i64) -> BulkProject {
    let stage = STAGES[(id % 5) as usize];
    let signed = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + Duration::days(id % 1000);
    let data = ProjectData {
        code: format!("P{id:06}"),
        name: format!("项目{id}"),
        region_code: COUNTIES[(id % 4) as usize].to_string(),
        chain: ["有色冶金", "新能源", ""][(id % 3) as usize].to_string(),
        investor: format!("投资方{}", id % 700),
        investor_credit_code: if id % 7 == 0 { format!("91620000MA{:08}", id % 300) } else { String::new() },
        total_investment: 1_000_000 * (1 + id % 250),
        stage: stage.to_string(),
        signed_on: (stage != "negotiating").then_some(signed),
        started_on: matches!(stage, "started" | "producing").then(|| signed + Duration::days(40 + id % 90)),
        producing_on: (stage == "producing").then(|| signed + Duration::days(200 + id % 60)),
        source: "outside_province".into(),
        source_org: if id % 3 == 0 { format!("商会{}", id % 40) } else { String::new() },
        ..Default::default()
    };
    BulkProject { id, data }
}

/// A table's rows as text, sorted: equal texts are equal tables.
async fn table_text(url: &str, table: &str) -> String {
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    let sql = format!("SELECT COALESCE(string_agg(t::text, E'\\n' ORDER BY t::text), '') FROM {table} t");
    let text: String = sqlx::query_scalar(&sql).fetch_one(&pool).await.unwrap();
    pool.close().await;
    text
}

#[tokio::test(flavor = "multi_thread")]
async fn fifty_thousand_projects_back_up_and_restore_on_postgres() {
    let source_url = zhaoshang_testkit::postgres::fresh_database().await;
    let source = open_with_regions(&source_url).await;
    let loading = Instant::now();
    let projects: Vec<BulkProject> = (1..=PROJECTS).map(project).collect();
    source.bulk_insert_projects(&projects, Utc::now()).await.unwrap();
    let funding: Vec<BulkFunding> = projects
        .iter()
        .flat_map(|p| {
            (0..FUNDING_EACH).map(|k| BulkFunding {
                project_id: p.id,
                region_code: p.data.region_code.clone(),
                chain: p.data.chain.clone(),
                funded_on: NaiveDate::from_ymd_opt(2023, 3, 1).unwrap() + Duration::days(p.id % 900 + k * 17),
                amount: 10_000 * (1 + k + p.id % 37),
                source: ["outside_province", "abroad", "within_province"][k as usize].to_string(),
            })
        })
        .collect();
    source.bulk_insert_funding(&funding).await.unwrap();
    source.finish_bulk_load().await.unwrap();
    let loaded = loading.elapsed();

    let started = Instant::now();
    let (backup, rows) = source.backup_to(Vec::new()).await.unwrap();
    let backed_up = started.elapsed();
    assert!(rows >= (PROJECTS * (1 + FUNDING_EACH)) as u64, "{rows} rows written");

    let target_url = zhaoshang_testkit::postgres::fresh_database().await;
    let target = Store::open(&target_url).await.unwrap();
    let started = Instant::now();
    target.restore_from(&backup[..], &Actor::system("测试")).await.unwrap();
    let restored = started.elapsed();
    eprintln!(
        "{PROJECTS} projects, {} funding records: bulk load {loaded:.1?}, backup {backed_up:.1?} ({} KiB), restore {restored:.1?}",
        funding.len(),
        backup.len() / 1024
    );

    let all = ProjectFilter::default();
    assert_eq!(target.project_totals(&all).await.unwrap(), source.project_totals(&all).await.unwrap());
    // The investors marked for the duplicate-claim pairs (their marks count writes).
    let marked = "(SELECT investor_credit_code FROM claim_pending) AS";
    for table in ["project_funding", "stat_sums", "stat_pairs", "stage_counts", "chamber_funds", marked] {
        let (kept, came) = (table_text(&source_url, table).await, table_text(&target_url, table).await);
        assert!(!came.is_empty(), "{table} is empty");
        assert!(kept == came, "{table} differs after the restore");
    }
    for (from, to) in [((2023, 1, 1), (2025, 12, 31)), ((2024, 2, 10), (2024, 11, 20))] {
        let period = Period {
            from: NaiveDate::from_ymd_opt(from.0, from.1, from.2).unwrap(),
            to: NaiveDate::from_ymd_opt(to.0, to.1, to.2).unwrap(),
        };
        let kept = source.investment_figures_by("62", 4, None, period).await.unwrap();
        let came = target.investment_figures_by("62", 4, None, period).await.unwrap();
        assert!(kept.values().any(|figures| figures.signed_count > 0), "{period:?}: {kept:?}");
        assert_eq!(came, kept, "{period:?}");
    }
    // The identity sequences continue after the restored ids.
    let pool = sqlx::PgPool::connect(&target_url).await.unwrap();
    let next: i64 =
        sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence('projects', 'id'))").fetch_one(&pool).await.unwrap();
    assert_eq!(next, PROJECTS + 1);
}
