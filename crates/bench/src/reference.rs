//! References measured in the same run: the same work done by the database's own
//! command-line program on the same database — `sqlite3` on the SQLite file, `psql`
//! on PostgreSQL — as plain SQL with literal values (or `.import` / `\copy` for a
//! CSV). They show what the database itself needs, so a ratio near 1 means Zhaoshang
//! adds little, and below 1 that it beats the plain query.

use crate::measure::Samples;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The reference program (`sqlite3` or `psql`) and the database it works on.
#[derive(Debug, Clone)]
pub struct Sqlite3 {
    target: Target,
    /// Program and version, e.g. "sqlite3 3.40.1".
    pub version: String,
}

#[derive(Debug, Clone)]
enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

/// One run of a script: the result lines, the statements' own times as `.timer on`
/// reports them (absent when it printed none, as for `.import` alone), and the time
/// from starting the program to its exit.
#[derive(Debug, Clone)]
pub struct ScriptRun {
    pub lines: Vec<String>,
    pub statements: Option<Duration>,
    pub end_to_end: Duration,
}

/// A reference's timings over its runs.
#[derive(Debug, Clone)]
pub struct ReferenceTimes {
    /// `.timer` figures, summed over a run's statements.
    pub statements: Option<Samples>,
    pub end_to_end: Samples,
}

impl ReferenceTimes {
    /// The figure to compare with: the statements' own time when known, else the
    /// whole run (which includes starting the program and opening the file).
    pub fn p50_ms(&self) -> f64 {
        self.statements.as_ref().unwrap_or(&self.end_to_end).p50_ms()
    }
}

impl Sqlite3 {
    /// The program on the PATH, for the SQLite file of `database_url`; `None` when the
    /// database is not SQLite or the program is missing.
    pub fn for_database(database_url: &str) -> Option<Sqlite3> {
        if database_url.starts_with("postgres:") || database_url.starts_with("postgresql:") {
            let output = Command::new("psql").arg("--version").output().ok()?;
            // "psql (PostgreSQL) 15.20 (Debian …)": the first word that is a number.
            let text = String::from_utf8_lossy(&output.stdout).to_string();
            let version = text.split_whitespace().find(|w| w.starts_with(|c: char| c.is_ascii_digit()))?.to_string();
            let target = Target::Postgres(database_url.to_string());
            return output.status.success().then_some(Sqlite3 { target, version: format!("psql {version}") });
        }
        let file = sqlite_file(database_url)?;
        let output = Command::new("sqlite3").arg("-version").output().ok()?;
        let version = String::from_utf8_lossy(&output.stdout).split_whitespace().next()?.to_string();
        output
            .status
            .success()
            .then_some(Sqlite3 { target: Target::Sqlite(file), version: format!("sqlite3 {version}") })
    }

    pub fn is_psql(&self) -> bool {
        matches!(self.target, Target::Postgres(_))
    }

    /// Runs `script` (SQL and the program's own commands) once, timing each statement
    /// (`.timer on` / `\timing on` in front).
    pub fn run(&self, script: &str) -> anyhow::Result<ScriptRun> {
        let started = Instant::now();
        let (mut command, script) = match &self.target {
            Target::Sqlite(file) => {
                let mut command = Command::new("sqlite3");
                command.arg("-batch").arg("-bail").arg(file);
                (command, format!(".timer on\n{script}\n"))
            }
            Target::Postgres(url) => {
                let mut command = Command::new("psql");
                command.args(["-X", "-q", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", "-d", url]);
                command.env("PGOPTIONS", "-c client_min_messages=warning");
                (command, format!("\\timing on\n{script}\n"))
            }
        };
        let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
        child.stdin.take().expect("stdin is piped").write_all(script.as_bytes())?;
        let output = child.wait_with_output()?;
        let end_to_end = started.elapsed();
        anyhow::ensure!(
            output.status.success() && output.stderr.is_empty(),
            "{} failed: {}",
            self.version,
            String::from_utf8_lossy(&output.stderr)
        );
        let mut lines = Vec::new();
        let mut statements: Option<Duration> = None;
        for line in String::from_utf8(output.stdout)?.lines() {
            match parse_timer_line(line) {
                Some(real) => *statements.get_or_insert(Duration::ZERO) += real,
                None if line.is_empty() && self.is_psql() => {}
                None => lines.push(line.to_string()),
            }
        }
        Ok(ScriptRun { lines, statements, end_to_end })
    }

    /// Runs `script` once untimed and `runs` times timed; returns the times and the
    /// last run's result lines.
    pub fn time(&self, runs: usize, script: &str) -> anyhow::Result<(ReferenceTimes, Vec<String>)> {
        let mut last = self.run(script)?;
        let (mut statements, mut end_to_end) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            last = self.run(script)?;
            statements.extend(last.statements);
            end_to_end.push(last.end_to_end);
        }
        let statements = (statements.len() == runs).then(|| Samples::new(statements));
        Ok((ReferenceTimes { statements, end_to_end: Samples::new(end_to_end) }, last.lines))
    }

    /// `.import` (sqlite3) or `\copy` (psql) of a CSV (header row first, `columns`
    /// columns) into a new scratch table, timed once, then the table's row count
    /// checked; then the same rows inserted into `projects` by one `INSERT … SELECT`
    /// from the scratch table (`insert_sql`), timed and rolled back; then the table
    /// dropped. The first is what the issue compares with; the second is what the
    /// database itself needs to add the rows to the real table, with its indexes.
    pub fn time_import(&self, csv: &Path, rows: u64, columns: usize) -> anyhow::Result<ImportReference> {
        let copy = self.copy_into_scratch(csv, rows, columns)?;
        let insert = self.run(&self.insert_sql(SCRATCH_TABLE))?;
        self.run(&format!("DROP TABLE {SCRATCH_TABLE};"))?;
        Ok(ImportReference {
            copy,
            insert: insert.statements.ok_or_else(|| anyhow::anyhow!("{} printed no timing", self.version))?,
        })
    }

    /// `.import` / `\copy` of a CSV into a scratch table alone (see `time_import`).
    pub fn time_copy(&self, csv: &Path, rows: u64, columns: usize) -> anyhow::Result<Duration> {
        let copy = self.copy_into_scratch(csv, rows, columns)?;
        self.run(&format!("DROP TABLE {SCRATCH_TABLE};"))?;
        Ok(copy)
    }

    /// Copies a CSV into a new `SCRATCH_TABLE`, checks its row count, and returns the
    /// copying program's whole run.
    fn copy_into_scratch(&self, csv: &Path, rows: u64, columns: usize) -> anyhow::Result<Duration> {
        const TABLE: &str = SCRATCH_TABLE;
        self.run(&format!("DROP TABLE IF EXISTS {TABLE};"))?;
        let names: Vec<String> = (1..=columns).map(|i| format!("c{i} TEXT")).collect();
        self.run(&format!("CREATE TABLE {TABLE} ({});", names.join(", ")))?;
        let copy = match &self.target {
            Target::Sqlite(_) => self.run(&format!(".import --csv --skip 1 '{}' {TABLE}", csv.display()))?,
            Target::Postgres(_) => {
                self.run(&format!("\\copy {TABLE} FROM '{}' WITH (FORMAT csv, HEADER true)", csv.display()))?
            }
        };
        let counted = self.run(&format!("SELECT COUNT(*) FROM {TABLE};"))?;
        anyhow::ensure!(
            counted.lines.first().map(String::as_str) == Some(rows.to_string().as_str()),
            "{} import read {:?} rows, expected {rows}",
            self.version,
            counted.lines.first()
        );
        Ok(copy.end_to_end)
    }

    /// The scratch table's rows (the import file's columns in order) inserted into
    /// `projects` and rolled back: codes prefixed "R" (the application has imported
    /// the same ones), stage labels as keys, 万元 as yuan, empty dates as null and
    /// empty texts as empty. On
    /// SQLite with the application's page cache (16 MiB) and its `stat_sums` trigger
    /// paused as the application pauses it for large batches; on PostgreSQL with its
    /// statement triggers, as the application writes.
    fn insert_sql(&self, table: &str) -> String {
        let stage = "CASE c11 WHEN '线索' THEN 'lead' WHEN '洽谈' THEN 'negotiating' WHEN '签约' THEN 'signed' \
                     WHEN '开工' THEN 'started' WHEN '投产' THEN 'producing' WHEN '终止' THEN 'dropped' ELSE c11 END";
        let (money, date, now, prelude) = match self.target {
            Target::Sqlite(_) => (
                "CAST(ROUND(CAST(c10 AS REAL) * 10000) AS INTEGER)",
                "NULLIF({}, '')",
                "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
                "PRAGMA cache_size = -16384;\nBEGIN;\nINSERT INTO meta (key, value) VALUES ('stat_sums_paused', '1');",
            ),
            Target::Postgres(_) => (
                "CAST(ROUND(CAST(c10 AS NUMERIC) * 10000) AS BIGINT)",
                "CAST(NULLIF({}, '') AS DATE)",
                "now()",
                "BEGIN;",
            ),
        };
        let dates: Vec<String> = ["c12", "c13", "c14"].iter().map(|c| date.replace("{}", c)).collect();
        // psql's \copy reads an empty field as null.
        let texts = |columns: std::ops::RangeInclusive<usize>| {
            columns.map(|i| format!("COALESCE(c{i}, '')")).collect::<Vec<_>>().join(", ")
        };
        format!(
            "{prelude}\nINSERT INTO projects (code, name, region_code, chain, chain_node, investor, investor_origin, investor_type, \
             industry, total_investment, stage, signed_on, started_on, producing_on, source, department, dropped_reason, \
             created_at, updated_at) \
             SELECT 'R' || c1, {}, {money}, {stage}, {}, {}, {now}, {now} FROM {table};\nROLLBACK;",
            texts(2..=9),
            dates.join(", "),
            texts(15..=17),
        )
    }
}

/// Where an import file is copied by the database's own loader.
const SCRATCH_TABLE: &str = "bench_import_reference";

/// The database's own times for an import file (see `Sqlite3::time_import`).
#[derive(Debug, Clone, Copy)]
pub struct ImportReference {
    /// `.import` / `\copy` into a scratch table, the whole program run.
    pub copy: Duration,
    /// `INSERT … SELECT` of the same rows into `projects`, the statements' own time.
    pub insert: Duration,
}

/// The file of an `sqlite://PATH` or `sqlite:PATH` URL (options after `?` dropped).
fn sqlite_file(database_url: &str) -> Option<PathBuf> {
    let rest = database_url.strip_prefix("sqlite:")?;
    let path = rest.strip_prefix("//").unwrap_or(rest);
    let path = path.split('?').next().unwrap_or(path);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// The `real` seconds of a `.timer` line ("Run Time: real 0.012 user 0.008 sys 0.003"),
/// or the milliseconds of a psql `\timing` line ("Time: 1.234 ms" or "Time: 1234.567
/// ms (00:01.235)").
fn parse_timer_line(line: &str) -> Option<Duration> {
    if let Some(rest) = line.strip_prefix("Time: ") {
        let ms: f64 = rest.strip_suffix(" ms").unwrap_or(rest).split(" ms").next()?.trim().parse().ok()?;
        return Some(Duration::from_secs_f64(ms / 1000.0));
    }
    let rest = line.strip_prefix("Run Time: real ")?;
    let seconds: f64 = rest.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timer_lines_and_file_urls_parse() {
        assert_eq!(
            parse_timer_line("Run Time: real 0.250 user 0.008000 sys 0.003000"),
            Some(Duration::from_millis(250))
        );
        assert_eq!(parse_timer_line("620000|12"), None);
        assert_eq!(parse_timer_line("Time: 1.500 ms"), Some(Duration::from_micros(1500)));
        assert_eq!(parse_timer_line("Time: 1234.000 ms (00:01.234)"), Some(Duration::from_millis(1234)));
        assert_eq!(sqlite_file("sqlite:///tmp/a.db?mode=rwc"), Some(PathBuf::from("/tmp/a.db")));
        assert_eq!(sqlite_file("sqlite:bench.db"), Some(PathBuf::from("bench.db")));
        assert_eq!(sqlite_file("postgres://localhost/x"), None);
    }
}
