//! `zhaoshang-bench --scale S [--database-url URL] [--runs N] [--import-rows N] [--only STEP,…]`:
//! generates the dataset into a fresh database, times the operations of issue 3
//! against the sqlite3 references, checks the answers, and prints one table. Exits
//! non-zero when an answer is wrong (never because of a time).

use clap::Parser;
use std::process::ExitCode;
use zhaoshang_app::exchange::table::MAX_ROWS;
use zhaoshang_bench::{run, Config, Step};

#[derive(Parser)]
#[command(name = "zhaoshang-bench", about = "Zhaoshang at provincial scale: timings, references, correctness")]
struct Args {
    /// 1.0 = 1,000,000 projects and 10,000,000 funding records over 2019–2024.
    #[arg(long)]
    scale: f64,
    /// A fresh database (`sqlite://PATH` or `postgres://…`); default a new SQLite file in a temporary folder.
    #[arg(long)]
    database_url: Option<String>,
    /// Timed runs per operation (after one untimed run).
    #[arg(long, default_value_t = 20)]
    runs: usize,
    /// At most this many rows in the import file (scale × 1,000,000 otherwise).
    #[arg(long, default_value_t = 100_000)]
    import_rows: u64,
    /// Funding records in the funding import file (0: none).
    #[arg(long, default_value_t = 200_000)]
    import_funding_rows: u64,
    /// Time only these parts (repeat the option, or separate with commas); default all.
    /// The HTTP load is set apart by --http-seconds and --page-seconds.
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<Step>,
    /// Scale of the enterprise library and chains (1.0 = 5,000,000 enterprises, 200 chains); default --scale.
    #[arg(long)]
    enterprise_scale: Option<f64>,
    /// Scale of the land parcels (1.0 = 100,000, issue 20's `near` target); default --scale.
    #[arg(long)]
    parcel_scale: Option<f64>,
    /// Scale of the business-environment appeals (1.0 = 1,000,000 over five years, issue 22's target); default --scale.
    #[arg(long)]
    appeal_scale: Option<f64>,
    /// Seconds of `wrk` load on the stats API, per URL (0: none). Needs the `zhaoshang`
    /// program beside this one (cargo build --release -p zhaoshang-cli) or ZHAOSHANG_BIN.
    #[arg(long, default_value_t = 30)]
    http_seconds: u64,
    /// Connections of the load.
    #[arg(long, default_value_t = 64)]
    http_connections: u32,
    /// Seconds of `wrk` load on each main page of each role (0: no page table).
    #[arg(long, default_value_t = 30)]
    page_seconds: u64,
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name").and_then(|rest| rest.split(':').nth(1)))
        .map(str::trim)
        .unwrap_or("unknown CPU");
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_gib = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
        .map(|kib| kib / 1024.0 / 1024.0)
        .unwrap_or(0.0);
    format!("{model}, {cores} cores, {memory_gib:.0} GiB RAM")
}

#[tokio::main]
async fn main() -> anyhow::Result<ExitCode> {
    let args = Args::parse();
    anyhow::ensure!(args.scale > 0.0, "--scale must be positive");
    anyhow::ensure!(args.runs > 0, "--runs must be at least 1");
    anyhow::ensure!(
        args.import_rows as usize <= MAX_ROWS,
        "--import-rows is at most {MAX_ROWS}, the import's limit per file"
    );
    anyhow::ensure!(
        args.import_funding_rows as usize <= MAX_ROWS,
        "--import-funding-rows is at most {MAX_ROWS}, the import's limit per file"
    );
    let work_dir = tempfile::tempdir()?;
    let config = Config {
        scale: args.scale,
        database_url: args.database_url,
        runs: args.runs,
        import_rows: args.import_rows,
        import_funding_rows: args.import_funding_rows,
        steps: if args.only.is_empty() { Step::ALL.to_vec() } else { args.only },
        work_dir: work_dir.path().to_path_buf(),
        enterprise_scale: args.enterprise_scale.unwrap_or(args.scale),
        parcel_scale: args.parcel_scale.unwrap_or(args.scale),
        appeal_scale: args.appeal_scale.unwrap_or(args.scale),
        http_seconds: args.http_seconds,
        http_connections: args.http_connections,
        page_seconds: args.page_seconds,
    };
    println!("zhaoshang-bench --scale {} --runs {} on {}", config.scale, config.runs, machine());
    let outcome = run(&config).await?;
    let generation = &outcome.generation;
    println!("database: {}", outcome.database_url);
    println!(
        "generated {} projects and {} funding records in {:.1} s ({:.0} rows/s)",
        generation.projects,
        generation.funding,
        generation.elapsed.as_secs_f64(),
        generation.rows_per_second()
    );
    println!();
    print!("{}", zhaoshang_bench::report::table(&outcome.rows));
    println!();
    if let Some(http) = &outcome.http {
        print!("{}", zhaoshang_bench::http::table(http));
        println!();
        if !http.pages.is_empty() {
            print!(
                "{}",
                zhaoshang_bench::pages::table(&http.pages, &http.reference, http.connections, args.page_seconds)
            );
            println!();
        }
    }
    for note in &outcome.notes {
        println!("- {note}");
    }
    let checks = &outcome.checks;
    if let Some(reason) = &checks.full_check_skipped {
        println!("- correctness against compute_figures: skipped ({reason})");
    }
    println!("- correctness: {} checks passed, {} failed", checks.passed.len(), checks.failed.len());
    for failure in &checks.failed {
        println!("  ✗ {failure}");
    }
    Ok(if checks.all_passed() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
