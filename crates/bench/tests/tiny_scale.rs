//! The benchmark's whole run at a tiny scale, on both backends: it must still run,
//! and every answer must equal the plain computation. Times are never asserted.

use std::path::Path;
use zhaoshang_bench::http::{server_program, start_server};
use zhaoshang_bench::{pages, run, Config, Outcome, Step};
use zhaoshang_testkit::{fresh_database_url, Backend};

async fn tiny_config(backend: Backend, work_dir: &Path, steps: &[Step]) -> Config {
    Config {
        scale: 0.001,
        database_url: Some(fresh_database_url(backend, work_dir).await),
        runs: 2,
        import_rows: 500,
        import_funding_rows: 1_000,
        steps: steps.to_vec(),
        work_dir: work_dir.to_path_buf(),
        enterprise_scale: 0.001,
        parcel_scale: 0.001,
        appeal_scale: 0.001,
        http_seconds: 0,
        http_connections: 0,
        page_seconds: 0,
    }
}

async fn run_tiny(backend: Backend, work_dir: &Path) -> Outcome {
    let outcome = run(&tiny_config(backend, work_dir, &Step::ALL).await).await.unwrap();
    assert_eq!((outcome.generation.projects, outcome.generation.funding), (1_000, 10_000));
    assert!(outcome.checks.full_check_skipped.is_none(), "a tiny database is checked in full");
    assert!(outcome.checks.all_passed(), "wrong answers: {:#?}", outcome.checks.failed);
    // Against compute_figures: 5 scopes × 5 periods, 12 months, the list's totals and
    // 3 pages; then at least the import's check (and the sqlite3 references' where
    // the program is installed).
    const PURE_REFERENCE_CHECKS: usize = 25 + 12 + 1 + 3;
    assert!(outcome.checks.passed.len() > PURE_REFERENCE_CHECKS, "too few checks ran: {:?}", outcome.checks.passed);
    assert_eq!(outcome.rows.len(), 37, "every operation has its row");
    for appeals in [
        "stats appeals",
        "督办 list",
        "appeal rows: due dates by the official calendar",
        "stats chambers",
        "liaison's lead list",
        "statistical report",
        "stats evaluation",
    ] {
        assert!(
            outcome.checks.passed.iter().any(|c| c.contains(appeals)),
            "no check of {appeals}: {:?}",
            outcome.checks.passed
        );
    }
    // The cached reports are timed apart from the computed ones, and checked equal.
    let cached = outcome.rows.iter().filter(|row| row.operation.ends_with(", cached")).count();
    assert_eq!(cached, 6, "province, city and ranking of two periods, each also from the cache");
    for kept in ["province stats", "city stats", "city ranking"] {
        let label = outcome.checks.passed.iter().find(|c| c.starts_with(kept) && c.contains("cached"));
        assert!(label.is_some(), "no check of the cached {kept}: {:?}", outcome.checks.passed);
    }
    outcome
}

#[tokio::test]
async fn the_benchmark_runs_at_tiny_scale_on_sqlite_and_its_answers_are_right() {
    run_tiny(Backend::Sqlite, tempfile::tempdir().unwrap().path()).await;
}

#[tokio::test]
async fn the_benchmark_runs_at_tiny_scale_on_postgres_and_its_answers_are_right() {
    let outcome = run_tiny(Backend::Postgres, tempfile::tempdir().unwrap().path()).await;
    // psql references (checked to answer the same) wherever the program is installed.
    let psql = std::process::Command::new("psql").arg("--version").output().is_ok_and(|o| o.status.success());
    assert_eq!(outcome.rows.iter().any(|row| row.reference.is_some()), psql, "psql references where psql is installed");
}

/// `--only chambers`: the chambers' two rows alone are timed, and the figures are still
/// checked against the plain computation.
#[tokio::test]
async fn only_the_parts_asked_for_are_timed() {
    let work_dir = tempfile::tempdir().unwrap();
    let outcome = run(&tiny_config(Backend::Sqlite, work_dir.path(), &[Step::Chambers]).await).await.unwrap();
    let operations: Vec<&str> = outcome.rows.iter().map(|row| row.operation.as_str()).collect();
    assert_eq!(operations.len(), 2, "{operations:?}");
    assert!(operations[0].starts_with("stats chambers") && operations[1].starts_with("liaison's lead list"));
    assert!(outcome.checks.all_passed(), "wrong answers: {:#?}", outcome.checks.failed);
    assert!(outcome.checks.passed.iter().any(|c| c.starts_with("stats chambers")), "{:?}", outcome.checks.passed);
    assert!(outcome.checks.passed.len() > 25 + 12, "the figures are still checked: {:?}", outcome.checks.passed);
}

/// The page table's pages exist and each role may open its own: every one answers 200 on
/// the benchmark's data (the timed run needs the release program and wrk).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_the_page_table_answers_on_the_benchmarks_data() {
    let program = server_program().expect("the zhaoshang program beside the tests (cargo test --workspace builds it)");
    let work_dir = tempfile::tempdir().unwrap();
    let url = run_tiny(Backend::Sqlite, work_dir.path()).await.database_url;
    let store = zhaoshang_store::Store::open(&url).await.unwrap();
    pages::create_visitors(&store).await.unwrap();
    store.close().await;
    let (_server, port, _) = start_server(&program, &url, work_dir.path(), &[]).await.unwrap();
    let answers = pages::statuses(port).unwrap();
    assert!(answers.len() >= 20, "{answers:?}");
    let failed: Vec<_> = answers.iter().filter(|(_, _, status)| *status != 200).collect();
    assert!(failed.is_empty(), "pages not answering 200: {failed:?}");
}
