//! The report cache: `investment_report` serves a kept report only while no write to
//! projects, funding or targets has happened since, whoever wrote it (this store, or
//! another process on the same database), on SQLite and on PostgreSQL.

use chrono::NaiveDate;
use zhaoshang_app::exchange::{import_bytes, ImportKind};
use zhaoshang_app::stats::{
    compute_investment_report, compute_sub_region_reports, investment_report, sub_region_reports,
};
use zhaoshang_core::metrics::{InvestmentReport, Period};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::listing::ProjectFilter;
use zhaoshang_store::report_cache::ReportKey;
use zhaoshang_store::{Actor, Store};
use zhaoshang_testkit::{fresh_database_url, Backend};

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn year_2024() -> Period {
    Period::new(day("2024-01-01"), day("2024-12-31")).unwrap()
}

fn key(region: &str) -> ReportKey {
    ReportKey { region: region.to_string(), chain: None, from: day("2024-01-01"), to: day("2024-12-31") }
}

async fn import(store: &Store, kind: ImportKind, csv: &str) {
    let report = import_bytes(store, kind, "t.csv", csv.as_bytes(), false, &Actor::system("测试")).await.unwrap();
    assert!(report.is_ok() && report.applied, "{:?}", report.problems);
}

/// The cached report of 天水市, checked against a fresh computation.
async fn tianshui(store: &Store) -> InvestmentReport {
    let region = RegionCode::parse("620500").unwrap();
    let cached = investment_report(store, &region, year_2024(), None).await.unwrap();
    let computed = compute_investment_report(store, &region, year_2024(), None).await.unwrap();
    assert_eq!(cached, computed, "the cache served a report the data no longer gives");
    // The drill-down list's totals, also kept, follow the same writes.
    let signed = ProjectFilter {
        region_prefix: "6205".to_string(),
        signed_from: Some(day("2024-01-01")),
        signed_to: Some(day("2024-12-31")),
        exclude_dropped: true,
        ..ProjectFilter::default()
    };
    for _ in 0..2 {
        let totals = store.project_totals(&signed).await.unwrap();
        assert_eq!(totals.count, cached.signed_count, "list totals kept past a write");
    }
    cached
}

/// Runs one write through `writer` and checks that `reader`'s report of 天水市 and the
/// stats counter moved on.
async fn after_write(reader: &Store, writer: &Store, kind: ImportKind, csv: &str) -> InvestmentReport {
    let before = reader.stats_version().await.unwrap();
    import(writer, kind, csv).await;
    assert!(reader.stats_version().await.unwrap() > before, "a {kind:?} import left the counter");
    tianshui(reader).await
}

async fn reports_follow_every_write(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(backend, dir.path()).await;
    let server = zhaoshang_app::open(&url, false).await.unwrap();
    // Another process on the same database, as `zhaoshang import` beside a running server.
    let cli = zhaoshang_app::open(&url, false).await.unwrap();

    let empty = tianshui(&server).await;
    assert_eq!(empty.signed_count, 0);
    let version = server.stats_version().await.unwrap();
    assert_eq!(server.report_cache().get(&key("620500"), version), Some(empty.clone()), "kept after reading");
    assert_eq!(tianshui(&server).await, empty, "served again unchanged");

    let signed = after_write(
        &server,
        &server,
        ImportKind::Projects,
        "项目编号,项目名称,所属地区,总投资（万元）,签约日期\nTS-001,新型建材项目,620503,52000,2024-05-18\n",
    )
    .await;
    assert_eq!((signed.signed_count, signed.signed_investment_wan.as_str()), (1, "52000.00"));

    let started = after_write(
        &server,
        &cli,
        ImportKind::Projects,
        "项目编号,项目名称,所属地区,项目阶段,开工日期\nTS-001,新型建材项目,620503,开工,2024-06-01\n",
    )
    .await;
    assert_eq!(started.started_count, 1, "an update by another process is seen");

    let funded =
        after_write(&server, &cli, ImportKind::Funding, "项目编号,到位日期,到位金额（万元）\nTS-001,2024-06-30,3000\n")
            .await;
    assert_eq!(funded.funds_in_place_wan, "3000.00");

    let targeted =
        after_write(&server, &cli, ImportKind::Targets, "所属地区,年度,到位资金目标(万元)\n天水市,2024,6000\n").await;
    assert_eq!(targeted.target_completion, Some(0.5));

    let moved =
        after_write(&server, &server, ImportKind::Projects, "项目编号,项目名称,所属地区\nTS-001,新型建材项目,620100\n")
            .await;
    assert_eq!((moved.signed_count, moved.funds_in_place_wan.as_str()), (0, "0.00"), "moved to 兰州市 with its funds");

    // A restore replaces every table.
    let (backup, _) = cli.backup_to(Vec::new()).await.unwrap();
    let before = server.stats_version().await.unwrap();
    cli.restore_from(&backup[..], &Actor::system("测试")).await.unwrap();
    assert!(server.stats_version().await.unwrap() > before, "a restore left the counter");
    assert_eq!(tianshui(&server).await, moved);

    // The cities' reports read in one pass equal their reports one by one, from the
    // database and then from the cache.
    let province = RegionCode::parse("620000").unwrap();
    let cities: Vec<RegionCode> = server
        .region_children(Some("620000"))
        .await
        .unwrap()
        .iter()
        .map(|city| RegionCode::parse(&city.code).unwrap())
        .collect();
    assert_eq!(cities.len(), 14);
    let mut one_by_one = Vec::new();
    for city in &cities {
        one_by_one.push(compute_investment_report(&server, city, year_2024(), None).await.unwrap());
    }
    assert_eq!(one_by_one.iter().filter(|r| r.funds_in_place_wan != "0.00").count(), 1, "兰州市 has the funds");
    let grouped = compute_sub_region_reports(&server, &province, &cities, year_2024()).await.unwrap();
    assert_eq!(grouped, one_by_one);
    assert_eq!(sub_region_reports(&server, &province, &cities, year_2024()).await.unwrap(), one_by_one);
    assert_eq!(sub_region_reports(&server, &province, &cities, year_2024()).await.unwrap(), one_by_one);
    let version = server.stats_version().await.unwrap();
    assert!(server.report_cache().get(&key("620100"), version).is_some(), "the ranking is kept");
    let county = RegionCode::parse("620503").unwrap();
    assert!(compute_sub_region_reports(&server, &province, &[county], year_2024()).await.is_ok());
    let outside = RegionCode::parse("610100").unwrap();
    assert!(compute_sub_region_reports(&server, &province, &[outside], year_2024()).await.is_err());
}

#[tokio::test]
async fn reports_follow_every_write_on_sqlite() {
    reports_follow_every_write(Backend::Sqlite).await
}

#[tokio::test]
async fn reports_follow_every_write_on_postgres() {
    reports_follow_every_write(Backend::Postgres).await
}
