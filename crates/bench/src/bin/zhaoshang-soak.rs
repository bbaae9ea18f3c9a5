//! `zhaoshang-soak`: many signed-in users against a demo server for minutes (see
//! `zhaoshang_bench::soak`); exits 1 on any error answer or memory growing over the
//! second half. Needs the `zhaoshang` program beside it or in ZHAOSHANG_BIN.

use clap::Parser;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(name = "zhaoshang-soak", about = "Signed-in users mixing pages, search, edits and imports for minutes")]
struct Args {
    #[arg(long, default_value_t = 10.0)]
    minutes: f64,
    #[arg(long, default_value_t = 64)]
    users: usize,
}

#[tokio::main]
async fn main() -> anyhow::Result<ExitCode> {
    let args = Args::parse();
    anyhow::ensure!(args.minutes > 0.0 && args.users > 0, "--minutes and --users must be positive");
    let program = zhaoshang_bench::http::server_program().ok_or_else(|| {
        anyhow::anyhow!("the zhaoshang program was not found (cargo build --release -p zhaoshang-cli)")
    })?;
    let work_dir = tempfile::tempdir()?;
    let duration = Duration::from_secs_f64(args.minutes * 60.0);
    let outcome = zhaoshang_bench::soak::run(&program, work_dir.path(), args.users, duration).await?;
    print!("{}", outcome.table());
    for failure in &outcome.failures {
        println!("  ✗ {failure}");
    }
    Ok(if outcome.passed() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
