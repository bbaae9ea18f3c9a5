//! Backups (security part 2, item 4): `zhaoshang backup` while another process keeps
//! importing gives one consistent snapshot — restored into an empty database of either
//! backend, it holds whole batches only (each batch's projects with their funding, as
//! one import wrote them) and the same figures and exports as the source had then; a
//! truncated or corrupted backup is refused and changes nothing.

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

fn zhaoshang(url: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_zhaoshang"))
        .args(args)
        .env("ZHAOSHANG_DATABASE_URL", url)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn ok(output: std::process::Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).to_string()
}

const BATCH: usize = 40;

/// One batch as one import: BATCH projects signed in 2024, each with 10 万元 in place.
fn batch_file(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    let mut csv = String::from("项目编号,项目名称,所属地区,总投资(万元),项目阶段,签约日期\n");
    for i in 0..BATCH {
        csv.push_str(&format!("B{n:04}-{i:02},批次项目,620503,100,签约,2024-03-01\n"));
    }
    let projects = dir.join(format!("p{n}.csv"));
    std::fs::write(&projects, csv).unwrap();
    projects
}

fn figures(url: &str) -> serde_json::Value {
    let text = ok(zhaoshang(
        url,
        &["stats", "investment", "--region", "620000", "--from", "2024-01-01", "--to", "2024-12-31", "--json"],
    ));
    serde_json::from_str(&text).unwrap()
}

/// The backup `gzipped` (JSON lines) with its first project's total investment made
/// text, compressed again.
fn with_bad_investment(gzipped: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut text = String::new();
    flate2::read::GzDecoder::new(gzipped).read_to_string(&mut text).unwrap();
    let mut lines: Vec<serde_json::Value> = text.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    let at = lines.iter().position(|line| line["table"] == "projects").unwrap();
    let column = lines[at]["columns"].as_array().unwrap().iter().position(|c| c == "total_investment").unwrap();
    lines[at + 1][column] = serde_json::json!("many");
    let mut out = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for line in &lines {
        writeln!(out, "{line}").unwrap();
    }
    out.finish().unwrap()
}

fn snapshot_while_writing(source: &str, target: &str, dir: &std::path::Path) {
    ok(zhaoshang(source, &["migrate"]));
    let writing = Arc::new(AtomicBool::new(true));
    let writer = {
        let (source, dir, writing) = (source.to_string(), dir.to_path_buf(), writing.clone());
        std::thread::spawn(move || {
            let mut batches = 0;
            while writing.load(Ordering::Relaxed) || batches < 3 {
                let file = batch_file(&dir, batches);
                ok(zhaoshang(&source, &["import", "projects", file.to_str().unwrap()]));
                batches += 1;
            }
            batches
        })
    };
    // Back up several times while batches land.
    let mut backups = Vec::new();
    for k in 0..4 {
        std::thread::sleep(std::time::Duration::from_millis(700));
        let file = dir.join(format!("backup{k}.json"));
        ok(zhaoshang(source, &["backup", file.to_str().unwrap()]));
        backups.push(file);
    }
    writing.store(false, Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(written >= 3);

    let mut seen_counts = Vec::new();
    for backup in &backups {
        ok(zhaoshang(target, &["restore", backup.to_str().unwrap()]));
        let restored = figures(target);
        let count = restored["signed_count"].as_u64().unwrap() as usize;
        assert_eq!(count % BATCH, 0, "{}: a batch cut in half ({count} projects)", backup.display());
        assert_eq!(restored["signed_investment_wan"], format!("{}.00", count * 100), "the kept sums match the rows");
        seen_counts.push(count);
    }
    eprintln!("{source} → {target}: {written} batches written, backups held {seen_counts:?} projects");
    assert!(seen_counts.windows(2).all(|w| w[0] <= w[1]), "later backups hold more: {seen_counts:?}");

    // The last backup restores to the very figures, export and audit log of the source at its time:
    // back the source up again now that writing stopped, restore, and compare.
    let last = dir.join("final.json");
    ok(zhaoshang(source, &["backup", last.to_str().unwrap()]));
    ok(zhaoshang(target, &["restore", last.to_str().unwrap()]));
    assert_eq!(figures(target), figures(source));
    let (a, b) = (dir.join("a.csv"), dir.join("b.csv"));
    ok(zhaoshang(source, &["export", "projects", a.to_str().unwrap()]));
    ok(zhaoshang(target, &["export", "projects", b.to_str().unwrap()]));
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());

    // A truncated or corrupted backup is refused and the target keeps what it had.
    let bytes = std::fs::read(&last).unwrap();
    let truncated = dir.join("truncated.json");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let corrupted = dir.join("corrupted.json");
    std::fs::write(&corrupted, with_bad_investment(&bytes)).unwrap();
    for bad in [truncated, corrupted] {
        let refused = zhaoshang(target, &["restore", bad.to_str().unwrap()]);
        assert!(!refused.status.success(), "{} was accepted", bad.display());
        assert_eq!(figures(target), figures(source), "a refused restore changed nothing");
    }
}

#[test]
fn sqlite_backups_while_writing_restore_into_postgres_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let postgres = runtime.block_on(zhaoshang_testkit::postgres::fresh_database());
    let sqlite = format!("sqlite://{}", dir.path().join("source.db").display());
    snapshot_while_writing(&sqlite, &postgres, dir.path());
    let other = tempfile::tempdir().unwrap();
    let postgres_source = runtime.block_on(zhaoshang_testkit::postgres::fresh_database());
    let sqlite_target = format!("sqlite://{}", other.path().join("target.db").display());
    snapshot_while_writing(&postgres_source, &sqlite_target, other.path());
}
