//! The provincial-scale benchmark of issue 3: a deterministic dataset in a fresh
//! database, the dashboard's and the project list's operations timed over several
//! runs, the same work by the `sqlite3` program as a reference, an import, and
//! correctness checks. `zhaoshang-bench` prints the outcome; the tests run it tiny.

pub mod appeals;
pub mod chains;
pub mod chambers;
pub mod check;
pub mod dataset;
pub mod http;
pub mod load;
pub mod measure;
pub mod operations;
pub mod pages;
pub mod parcels;
pub mod pool;
pub mod reference;
pub mod report;
pub mod soak;

use check::Checks;
use chrono::Datelike;
use dataset::{Dataset, Places};
use load::Generation;
use measure::time_runs;
use operations::{
    deep_page, figures_script, list_filter, month_lines, monthly_funds_script, monthly_signed_script, page_lines,
    page_lines_of_reference, page_script, period_label, stats_period, year_to_date_period, ReportParts, CITY,
    LIST_SORT, PAGE_SIZE,
};
use reference::{ReferenceTimes, Sqlite3};
use report::{
    Row, Target, BACKUP_TARGET, EVALUATION_TARGET, IMPORT_TARGET, LIST_TARGET, MONTHLY_REPORT_TARGET, STATS_TARGET,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use zhaoshang_app::evaluation::evaluation;
use zhaoshang_app::exchange::{import_file, ImportKind};
use zhaoshang_app::reports::statistical_report;
use zhaoshang_app::stats::{
    compute_investment_report, compute_sub_region_reports, investment_report, sub_region_reports,
};
use zhaoshang_core::access::{ProjectScope, RecordScope};
use zhaoshang_core::evaluation::scheme::{RegionFigures, Scheme};
use zhaoshang_core::evaluation::{evaluate, Quarter, RegionIndicators};
use zhaoshang_core::metrics::Period;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::statistical_report::ReportMonth;
use zhaoshang_store::listing::ProjectFilter;
use zhaoshang_store::projects::ProjectData;
use zhaoshang_store::{Actor, Store};

#[derive(Debug, Clone)]
pub struct Config {
    /// 1.0 is 1,000,000 projects and 10,000,000 funding records.
    pub scale: f64,
    /// A fresh database; `None` for a new SQLite file in `work_dir`.
    pub database_url: Option<String>,
    pub runs: usize,
    /// At most this many rows in the import file.
    pub import_rows: u64,
    /// Funding records in the funding import file (for the projects the CSV imported).
    pub import_funding_rows: u64,
    /// The parts to time (the data is always generated, and every figure checked
    /// against the plain computation).
    pub steps: Vec<Step>,
    /// Where the default database and the import file go.
    pub work_dir: PathBuf,
    /// 1.0 is 5,000,000 enterprises and 200 chains (chains::ENTERPRISES_AT_SCALE_1).
    pub enterprise_scale: f64,
    /// Scale of the land parcels (1.0 = 100,000).
    pub parcel_scale: f64,
    /// Scale of the business-environment appeals (1.0 = 1,000,000).
    pub appeal_scale: f64,
    /// Seconds of `wrk` load on the stats API (0: no HTTP part).
    pub http_seconds: u64,
    /// Seconds of `wrk` load on each page of each role (0: no page table).
    pub page_seconds: u64,
    pub http_connections: u32,
}

/// A part of the run, for `--only`: timing one part at provincial scale need not
/// wait for the others (the whole run at scale 1 takes hours on two cores).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Step {
    /// The dashboard's figures, the monthly series, the statistical report, the list pages.
    Stats,
    /// The project and funding imports (CSV and XLSX).
    Import,
    /// The enterprise library and the chains' gap analysis.
    Enterprises,
    /// The S&T pool's reviewer assignment.
    Pool,
    /// Land parcels and site selection.
    Parcels,
    /// Business-environment appeals.
    Appeals,
    /// The chambers' assessment and a liaison's leads.
    Chambers,
    /// Backup and restore (last, so that the checks read the restored database).
    Backup,
}

impl Step {
    pub const ALL: [Step; 8] = [
        Step::Stats,
        Step::Import,
        Step::Enterprises,
        Step::Pool,
        Step::Parcels,
        Step::Appeals,
        Step::Chambers,
        Step::Backup,
    ];
}

impl Config {
    fn runs(&self, step: Step) -> bool {
        self.steps.contains(&step)
    }
}

pub struct Outcome {
    pub database_url: String,
    pub generation: Generation,
    pub rows: Vec<Row>,
    pub checks: Checks,
    /// Facts a reader of the table needs (pages, skipped references …).
    pub notes: Vec<String>,
    /// The stats API under load and the server's memory, when run.
    pub http: Option<http::HttpOutcome>,
}

/// Generates the data, times every operation, and checks the answers.
pub async fn run(config: &Config) -> anyhow::Result<Outcome> {
    let database_url = match &config.database_url {
        Some(url) => url.clone(),
        None => format!("sqlite://{}", config.work_dir.join("bench.db").display()),
    };
    let store = Store::open(&database_url).await?;
    let existing = store.project_totals(&ProjectFilter::default()).await?.count;
    anyhow::ensure!(existing == 0, "the database at {database_url} already has {existing} projects; give a fresh one");
    zhaoshang_app::reference_data::ensure_loaded(&store).await?;
    let dataset = Arc::new(Dataset::new(config.scale, Places::of_province(&store.all_regions().await?)));
    let generation = load::load(&store, Arc::clone(&dataset)).await?;

    let sqlite3 = Sqlite3::for_database(&database_url);
    let mut bench = Bench {
        store: &store,
        sqlite3,
        runs: config.runs,
        rows: Vec::new(),
        checks: Checks::default(),
        notes: Vec::new(),
    };
    match &bench.sqlite3 {
        Some(program) => bench.notes.push(format!(
            "references: {} on the same database; `.timer` / `\\timing` figures, with the program's whole run (e2e) in brackets",
            program.version
        )),
        None => bench.notes.push("references: none (the sqlite3 or psql program is missing)".into()),
    }
    // A calendar year reads only month and year sums; a year to date also its last,
    // partial month (the dashboard's usual view).
    let deep_offset = if config.runs(Step::Stats) {
        bench.stats(stats_period()).await?;
        bench.stats(year_to_date_period()).await?;
        bench.monthly_series().await?;
        bench.statistical_report().await?;
        bench.evaluation().await?;
        bench.list_pages(config.scale).await?
    } else {
        0
    };
    if config.runs(Step::Import) {
        bench.import(&dataset, config).await?;
    }
    if config.runs(Step::Enterprises) {
        bench.enterprises_and_chains(config.enterprise_scale).await?;
    }
    if config.runs(Step::Pool) {
        bench.pool_assignment().await?;
    }
    if config.runs(Step::Parcels) {
        bench.parcels(config.parcel_scale).await?;
    }
    if config.runs(Step::Appeals) {
        bench.appeals(config).await?;
    }
    if config.runs(Step::Chambers) {
        bench.chambers(&dataset, config).await?;
    }
    if config.runs(Step::Backup) {
        bench.backup_and_restore(config).await?;
    }
    check::against_pure_reference(&store, deep_offset, &mut bench.checks).await?;
    let Bench { rows, checks, mut notes, .. } = bench;
    let mut http_outcome = None;
    if config.http_seconds > 0 {
        match (http::server_program(), http::ensure_wrk()) {
            (Some(program), true) => {
                let period = stats_period();
                let query = format!("/api/v1/stats/investment?region=620000&from={}&to={}", period.from, period.to);
                let outcome = http::run(&store, &program, &database_url, config, &query).await?;
                notes.push(format!(
                    "HTTP: {} serving {query} (province user), up in {:.1} s (migrations, search index)",
                    program.display(),
                    outcome.startup.as_secs_f64()
                ));
                http_outcome = Some(outcome);
            }
            (None, _) => notes.push("HTTP: skipped (no zhaoshang program beside the benchmark: cargo build --release -p zhaoshang-cli, or ZHAOSHANG_BIN)".into()),
            (_, false) => notes.push("HTTP: skipped (wrk is missing and could not be installed)".into()),
        }
    }
    store.close().await;
    Ok(Outcome { database_url, generation, rows, checks, notes, http: http_outcome })
}

struct Bench<'a> {
    store: &'a Store,
    sqlite3: Option<Sqlite3>,
    runs: usize,
    rows: Vec<Row>,
    checks: Checks,
    notes: Vec<String>,
}

impl Bench<'_> {
    /// Times the reference script and checks that it answers `expected`, once its
    /// output is put in the same form by `normalise`.
    fn reference(
        &mut self,
        what: &str,
        script: &str,
        expected: &[String],
        normalise: fn(Vec<String>) -> Vec<String>,
    ) -> anyhow::Result<Option<ReferenceTimes>> {
        let Some(sqlite3) = &self.sqlite3 else {
            return Ok(None);
        };
        let (times, lines) = sqlite3.time(self.runs, script)?;
        self.checks.equal(format!("{what}: sqlite3 reference answers the same"), &normalise(lines), &expected.to_vec());
        Ok(Some(times))
    }

    fn push(
        &mut self,
        operation: String,
        samples: measure::Samples,
        reference: Option<ReferenceTimes>,
        target: Target,
    ) {
        self.rows.push(Row { operation, samples, reference, target, rows_written: None });
    }

    /// The province's and one city's report of `period` with year on year, and the
    /// ranking of the cities (a report each).
    async fn stats(&mut self, period: Period) -> anyhow::Result<()> {
        let store = self.store;
        let period_label = period_label(period);
        for (label, code) in [
            (format!("province stats 620000, {period_label} + YoY"), "620000"),
            (format!("city stats {CITY}, {period_label} + YoY"), CITY),
        ] {
            let label = label.as_str();
            let region = RegionCode::parse(code)?;
            let (samples, report) =
                time_runs(self.runs, async || Ok(compute_investment_report(store, &region, period, None).await?))
                    .await?;
            let parts = ReportParts::of(store, &region, period).await?;
            self.checks.equal(format!("{label}: report = its SQL figures"), &report, &parts.report(&region, period));
            let reference = self.reference(label, &figures_script(&region, period), &parts.lines(), |lines| lines)?;
            self.push(label.to_string(), samples, reference, STATS_TARGET);

            let cached_label = format!("{label}, cached");
            let (samples, cached) =
                time_runs(self.runs, async || Ok(investment_report(store, &region, period, None).await?)).await?;
            self.checks.equal(format!("{cached_label}: report = the computed one"), &cached, &report);
            self.push(cached_label, samples, None, STATS_TARGET);
        }

        let cities: Vec<RegionCode> = store
            .region_children(Some(dataset::PROVINCE))
            .await?
            .iter()
            .map(|city| RegionCode::parse(&city.code))
            .collect::<Result<_, _>>()?;
        let label = format!("city ranking, {period_label}: {} city reports", cities.len());
        let province = RegionCode::parse(dataset::PROVINCE)?;
        let (samples, reports) =
            time_runs(self.runs, async || Ok(compute_sub_region_reports(store, &province, &cities, period).await?))
                .await?;
        let cached_label = format!("{label}, cached");
        let (cached_samples, cached) =
            time_runs(self.runs, async || Ok(sub_region_reports(store, &province, &cities, period).await?)).await?;
        self.checks.equal(format!("{cached_label}: reports = the computed ones"), &cached, &reports);
        let (mut expected, mut script) = (Vec::new(), String::new());
        for city in &cities {
            let parts = ReportParts::of(store, city, period).await?;
            expected.extend(parts.lines());
            script.push_str(&figures_script(city, period));
            let report = reports.iter().find(|r| r.region == city.as_str());
            let expected_report = parts.report(city, period);
            self.checks.equal(format!("ranking: report of {city} = its SQL figures"), &report, &Some(&expected_report));
        }
        let reference = self.reference(&label, &script, &expected, |lines| lines)?;
        self.push(label, samples, reference, STATS_TARGET);
        self.push(cached_label, cached_samples, None, STATS_TARGET);
        Ok(())
    }

    /// The dashboard's monthly series of the province.
    async fn monthly_series(&mut self) -> anyhow::Result<()> {
        let store = self.store;
        let period = stats_period();
        let label = "monthly signed series, province 2024";
        let (samples, months) = time_runs(self.runs, async || Ok(store.monthly_signed("62", period).await?)).await?;
        let reference = self.reference(label, &monthly_signed_script("62", period), &month_lines(&months), |l| l)?;
        self.push(label.to_string(), samples, reference, STATS_TARGET);

        let label = "monthly funds series, province 2024";
        let (samples, months) = time_runs(self.runs, async || Ok(store.monthly_funds("62", period).await?)).await?;
        let reference = self.reference(label, &monthly_funds_script("62", period), &month_lines(&months), |l| l)?;
        self.push(label.to_string(), samples, reference, STATS_TARGET);
        Ok(())
    }

    /// 招商引资情况统计报表 of the province, 1 January to the year-to-date period's end:
    /// its nine tables with last year's figures (issue 24: under 2 s), each adding up
    /// to the metrics of the province.
    async fn statistical_report(&mut self) -> anyhow::Result<()> {
        let store = self.store;
        // The report of the last month ended by the year-to-date rows' end (a report runs
        // to an ended month's last day).
        let month = ReportMonth::ended_by(year_to_date_period().to);
        let province = RegionCode::parse(dataset::PROVINCE)?;
        let everything = ProjectScope { regions: RecordScope::All, chains: None };
        let label = format!("statistical report, province {}: 9 tables + YoY", month.caption());
        let (samples, report) =
            time_runs(self.runs, async || Ok(statistical_report(store, &province, month, &everything).await?)).await?;
        let metrics = compute_investment_report(store, &province, report.period, None).await?;
        for table in &report.tables {
            let what = format!("{label}: {}", table.breakdown.label());
            self.checks.equal(format!("{what} adds up"), &table.parts_sum().0, &table.total.current);
            let total = &table.total.current;
            self.checks.equal(
                format!("{what} total = stats investment"),
                &(total.signed_count, total.signed_investment.wan_string(), total.funds_in_place.wan_string()),
                &(metrics.signed_count, metrics.signed_investment_wan.clone(), metrics.funds_in_place_wan.clone()),
            );
        }
        self.push(label, samples, None, MONTHLY_REPORT_TARGET);
        Ok(())
    }

    /// 市州综合评价 of the province's cities for the last quarter of the stats year, with its
    /// 300 sensitivity draws (issue 24: under 100 ms; the cities' reports come from the
    /// report cache after the untimed run, as the page and the CLI read them), checked
    /// against SPEC's rule applied to each city's metrics computed on their own.
    async fn evaluation(&mut self) -> anyhow::Result<()> {
        let store = self.store;
        let quarter = Quarter::new(stats_period().to.year(), 4)?;
        let province = RegionCode::parse(dataset::PROVINCE)?;
        let (samples, evaluated) =
            time_runs(self.runs, async || Ok(evaluation(store, &province, quarter).await?)).await?;
        let label =
            format!("stats evaluation {}: {} cities, 300 sensitivity draws", quarter.label(), evaluated.items.len());
        let spec = Scheme::spec();
        let mut indicators = Vec::new();
        for period in [quarter.year_to_end(), quarter.previous().year_to_end()] {
            let mut cities = Vec::new();
            for city in store.region_children(Some(dataset::PROVINCE)).await? {
                let report = compute_investment_report(store, &RegionCode::parse(&city.code)?, period, None).await?;
                let figures = RegionFigures::of(&report);
                cities.push(RegionIndicators::from_figures(&city.name, &spec, &figures));
            }
            indicators.push(cities);
        }
        let expected = evaluate(&spec, &indicators[0], &indicators[1]);
        self.checks.equal(format!("{label}: = SPEC's rule over each city's own metrics"), &evaluated.items, &expected);
        self.push(label, samples, None, EVALUATION_TARGET);
        Ok(())
    }

    /// Page 1 and a deep page of the filtered list, each with the list's totals (the
    /// page shows them): the deep page as a first visit (no row of the list
    /// remembered), then the pages after it one by one, as a reader pages on.
    /// Returns the deep page's offset.
    async fn list_pages(&mut self, scale: f64) -> anyhow::Result<i64> {
        let store = self.store;
        let filter = list_filter();
        let matching = store.project_totals(&filter).await?.count;
        let deep = deep_page(scale, matching);
        self.notes.push(format!(
            "list: province 62, stage 投产, signed 2019-01-01..2023-12-31, newest signing first, {PAGE_SIZE} a page; \
             {matching} projects match ({} pages); the deep page is page {deep}",
            (matching + PAGE_SIZE - 1) / PAGE_SIZE
        ));
        for (page, first_visit) in [(1, false), (deep, true)] {
            let offset = (page - 1) * PAGE_SIZE;
            let visit = if first_visit { ", first visit" } else { "" };
            let label = format!("list page {page} (offset {offset}) + totals{visit}");
            let (samples, lines) = time_runs(self.runs, async || {
                if first_visit {
                    store.forget_list_positions();
                }
                let projects = store.list_projects(&filter, LIST_SORT, PAGE_SIZE, offset).await?;
                let totals = store.project_totals(&filter).await?;
                Ok(page_lines(&projects, &totals))
            })
            .await?;
            let reference = self.reference(&label, &page_script(offset), &lines, page_lines_of_reference)?;
            self.push(label, samples, reference, LIST_TARGET);
        }
        // The untimed run visits the deep page again, each timed run the next page.
        let mut page = deep - 1;
        let label =
            format!("list pages {}..{} + totals, paging on from page {deep}", deep + 1, deep + self.runs as i64);
        let (samples, lines) = time_runs(self.runs, async || {
            page += 1;
            let projects = store.list_projects(&filter, LIST_SORT, PAGE_SIZE, (page - 1) * PAGE_SIZE).await?;
            let totals = store.project_totals(&filter).await?;
            Ok(page_lines(&projects, &totals))
        })
        .await?;
        let reference =
            self.reference(&label, &page_script((page - 1) * PAGE_SIZE), &lines, page_lines_of_reference)?;
        self.push(label, samples, reference, LIST_TARGET);
        Ok((deep - 1) * PAGE_SIZE)
    }

    /// Imports new projects from a CSV, then as many others from an XLSX, through the
    /// application's import (checks, upsert, audit and timeline), once each; the
    /// reference is `sqlite3 .import` (or psql `\copy`) of the CSV into a scratch table.
    async fn import(&mut self, dataset: &Dataset, config: &Config) -> anyhow::Result<()> {
        let rows = dataset.projects.min(config.import_rows);
        let csv = config.work_dir.join("bench-import.csv");
        write_import_csv(&import_records(dataset, 0, rows)?, &csv)?;
        let xlsx = config.work_dir.join("bench-import.xlsx");
        write_import_xlsx(&import_records(dataset, rows, rows)?, &xlsx)?;
        for (file, format) in [(&csv, "CSV"), (&xlsx, "XLSX")] {
            let started = Instant::now();
            let report = import_file(self.store, ImportKind::Projects, file, false, &Actor::system("基准测试")).await?;
            let samples = measure::Samples::new(vec![started.elapsed()]);
            self.checks.record(
                format!("import {format}: every row created"),
                report.applied && report.created as u64 == rows,
                || import_detail(&report),
            );
            let reference = match (&self.sqlite3, format) {
                (Some(program), "CSV") => {
                    let times = program.time_import(&csv, rows, IMPORT_HEADERS.len())?;
                    let insert_ms = times.insert.as_secs_f64() * 1000.0;
                    self.notes.push(format!(
                        "import floor: {} inserting the same {rows} rows into projects (its indexes and triggers) by one \
                         INSERT … SELECT from a scratch table took {insert_ms:.0} ms ({:.0} rows/s; rolled back, so without \
                         the commit); the application's CSV import took {:.2}× that",
                        program.version,
                        rows as f64 / times.insert.as_secs_f64(),
                        samples.p50_ms() / insert_ms
                    ));
                    Some(ReferenceTimes { statements: None, end_to_end: measure::Samples::new(vec![times.copy]) })
                }
                _ => None,
            };
            self.rows.push(Row {
                operation: format!("import {rows} project rows ({format})"),
                samples,
                reference,
                target: IMPORT_TARGET,
                rows_written: Some(rows),
            });
        }
        self.import_funding(dataset, config, rows).await
    }

    /// Imports funding records of the projects the CSV created (several each, on
    /// different days), through the application's import; the reference is
    /// `sqlite3 .import` (or psql `\copy`) of the same file into a scratch table.
    async fn import_funding(&mut self, dataset: &Dataset, config: &Config, projects: u64) -> anyhow::Result<()> {
        let rows = config.import_funding_rows;
        if rows == 0 || projects == 0 {
            return Ok(());
        }
        let codes: Vec<String> = (0..projects).map(|index| dataset.import_project(index).code).collect();
        let csv = config.work_dir.join("bench-import-funding.csv");
        let mut writer = csv::Writer::from_path(&csv)?;
        writer.write_record(FUNDING_HEADERS)?;
        let first_day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("a day");
        for index in 0..rows {
            // Each project's records fall on different days of 2024.
            let day = first_day + chrono::Days::new((index / projects) % 366);
            let amount = format!("{}.{}", 10 + index % 990, index % 10);
            let source = ["省外境内", "境外", "省内"][(index % 3) as usize];
            writer.write_record([codes[(index % projects) as usize].as_str(), &day.to_string(), &amount, source])?;
        }
        writer.flush()?;
        let started = Instant::now();
        let report = import_file(self.store, ImportKind::Funding, &csv, false, &Actor::system("基准测试")).await?;
        let samples = measure::Samples::new(vec![started.elapsed()]);
        self.checks.record(
            "import funding CSV: every row created",
            report.applied && report.created as u64 == rows,
            || import_detail(&report),
        );
        let reference = match &self.sqlite3 {
            Some(program) => Some(ReferenceTimes {
                statements: None,
                end_to_end: measure::Samples::new(vec![program.time_copy(&csv, rows, FUNDING_HEADERS.len())?]),
            }),
            None => None,
        };
        self.rows.push(Row {
            operation: format!("import {rows} funding rows (CSV)"),
            samples,
            reference,
            target: IMPORT_TARGET,
            rows_written: Some(rows),
        });
        Ok(())
    }
}

/// The funding import file's columns: the SPEC's Chinese headers.
const FUNDING_HEADERS: [&str; 4] = ["项目编号", "到位日期", "到位金额(万元)", "资金来源"];

impl Bench<'_> {
    /// Backs the whole database up into a file and restores that file in its place,
    /// once each: time, rows a second, the file's size and the process's peak memory.
    async fn backup_and_restore(&mut self, config: &Config) -> anyhow::Result<()> {
        let store = self.store;
        let file = config.work_dir.join("bench-backup.jsonl.gz");
        let all = ProjectFilter::default();
        let before = store.project_totals(&all).await?;
        let resident = http::anonymous_mib(std::process::id());
        let started = Instant::now();
        let (written, peak) = measure::with_peak_memory(store.backup_to(std::fs::File::create(&file)?)).await;
        let (out, rows) = written?;
        out.sync_all()?;
        let backup = measure::Samples::new(vec![started.elapsed()]);
        let size_mib = std::fs::metadata(&file)?.len() as f64 / 1048576.0;
        self.rows.push(Row {
            operation: format!("backup {rows} rows to {size_mib:.1} MiB (gzip), peak +{:.0} MiB", peak - resident),
            samples: backup,
            reference: None,
            target: BACKUP_TARGET,
            rows_written: Some(rows),
        });
        let started = Instant::now();
        let actor = Actor::system("基准测试");
        let restore = store.restore_from(std::fs::File::open(&file)?, &actor);
        let (restored, peak) = measure::with_peak_memory(restore).await;
        restored?;
        self.rows.push(Row {
            operation: format!("restore {rows} rows from it, peak +{:.0} MiB", peak - resident),
            samples: measure::Samples::new(vec![started.elapsed()]),
            reference: None,
            target: BACKUP_TARGET,
            rows_written: Some(rows),
        });
        self.checks.equal("restore: the projects' totals as backed up", &store.project_totals(&all).await?, &before);
        self.notes.push(format!(
            "backup and restore: the whole database through `Store::backup_to` / `restore_from`, restored in place; \
             peaks are this process's resident anonymous memory above the {resident:.0} MiB it held before"
        ));
        Ok(())
    }
}

/// The codes of the province's counties, where generated parcels and appeals lie.
async fn province_counties(store: &Store) -> anyhow::Result<Vec<String>> {
    let counties: Vec<String> = store
        .all_regions()
        .await?
        .into_iter()
        .filter(|r| r.level == 3 && r.code.starts_with("62"))
        .map(|r| r.code)
        .collect();
    anyhow::ensure!(!counties.is_empty(), "no counties of the province in the reference data");
    Ok(counties)
}

/// What a check shows of an import that did not create every row.
fn import_detail(report: &zhaoshang_app::exchange::ImportReport) -> String {
    format!("{}; problems {:?}", report.summary_zh(), report.problems.iter().take(5).collect::<Vec<_>>())
}

/// The import files' columns: the SPEC's Chinese headers.
const IMPORT_HEADERS: [&str; 17] = [
    "项目编号",
    "项目名称",
    "所属地区",
    "产业链",
    "产业链环节",
    "投资方",
    "投资方来源地",
    "投资方类型",
    "行业代码",
    "总投资(万元)",
    "项目阶段",
    "签约日期",
    "开工日期",
    "投产日期",
    "项目来源",
    "责任单位",
    "终止原因",
];

/// `rows` new projects of the import stream from index `first`, as the import files'
/// cells.
fn import_records(dataset: &Dataset, first: u64, rows: u64) -> anyhow::Result<Vec<[String; 17]>> {
    let day = |date: Option<chrono::NaiveDate>| date.map(|d| d.to_string()).unwrap_or_default();
    (first..first + rows)
        .map(|index| {
            let p: ProjectData = dataset.import_project(index);
            let stage = zhaoshang_core::projects::Stage::parse(&p.stage)?;
            Ok([
                p.code.clone(),
                p.name.clone(),
                p.region_code.clone(),
                p.chain.clone(),
                p.chain_node.clone(),
                p.investor.clone(),
                p.investor_origin.clone(),
                p.investor_type.clone(),
                p.industry.clone(),
                zhaoshang_core::money::Yuan(p.total_investment).wan_string(),
                stage.label().to_string(),
                day(p.signed_on),
                day(p.started_on),
                day(p.producing_on),
                p.source.clone(),
                p.department.clone(),
                p.dropped_reason.clone(),
            ])
        })
        .collect()
}

fn write_import_csv(records: &[[String; 17]], path: &Path) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_path(path)?;
    writer.write_record(IMPORT_HEADERS)?;
    for record in records {
        writer.write_record(record)?;
    }
    writer.flush()?;
    Ok(())
}

fn write_import_xlsx(records: &[[String; 17]], path: &Path) -> anyhow::Result<()> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, header) in IMPORT_HEADERS.iter().enumerate() {
        sheet.write_string(0, column as u16, *header)?;
    }
    for (row, record) in records.iter().enumerate() {
        for (column, cell) in record.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(row as u32 + 1, column as u16, cell)?;
            }
        }
    }
    workbook.save(path)?;
    Ok(())
}
