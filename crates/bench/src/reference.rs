//! References measured in the same run: the same work done by the `sqlite3`
//! command-line program on the same database file, as plain SQL with literal values
//! (or `.import` for a CSV). They show what the database itself needs, so a ratio
//! near 1 means Zhaoshang adds little, and below 1 that it beats the plain query.

use crate::measure::Samples;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The `sqlite3` program and the database file it works on.
#[derive(Debug, Clone)]
pub struct Sqlite3 {
    file: PathBuf,
    pub version: String,
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
        let file = sqlite_file(database_url)?;
        let output = Command::new("sqlite3").arg("-version").output().ok()?;
        let version = String::from_utf8_lossy(&output.stdout).split_whitespace().next()?.to_string();
        output.status.success().then_some(Sqlite3 { file, version })
    }

    /// Runs `script` (SQL and dot-commands) once, with `.timer on` in front.
    pub fn run(&self, script: &str) -> anyhow::Result<ScriptRun> {
        let started = Instant::now();
        let mut child = Command::new("sqlite3")
            .arg("-batch")
            .arg("-bail")
            .arg(&self.file)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        child.stdin.take().expect("stdin is piped").write_all(format!(".timer on\n{script}\n").as_bytes())?;
        let output = child.wait_with_output()?;
        let end_to_end = started.elapsed();
        anyhow::ensure!(
            output.status.success() && output.stderr.is_empty(),
            "sqlite3 failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let mut lines = Vec::new();
        let mut statements: Option<Duration> = None;
        for line in String::from_utf8(output.stdout)?.lines() {
            match parse_timer_line(line) {
                Some(real) => *statements.get_or_insert(Duration::ZERO) += real,
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

    /// `.import` of a CSV (header row first) into a new scratch table, timed once,
    /// then the table's row count checked and the table dropped.
    pub fn time_import(&self, csv: &Path, rows: u64) -> anyhow::Result<Duration> {
        const TABLE: &str = "bench_import_reference";
        self.run(&format!("DROP TABLE IF EXISTS {TABLE};"))?;
        let import = self.run(&format!(".import --csv '{}' {TABLE}", csv.display()))?;
        let counted = self.run(&format!("SELECT COUNT(*) FROM {TABLE};\nDROP TABLE {TABLE};"))?;
        anyhow::ensure!(
            counted.lines.first().map(String::as_str) == Some(rows.to_string().as_str()),
            "sqlite3 .import read {:?} rows, expected {rows}",
            counted.lines.first()
        );
        Ok(import.end_to_end)
    }
}

/// The file of an `sqlite://PATH` or `sqlite:PATH` URL (options after `?` dropped).
fn sqlite_file(database_url: &str) -> Option<PathBuf> {
    let rest = database_url.strip_prefix("sqlite:")?;
    let path = rest.strip_prefix("//").unwrap_or(rest);
    let path = path.split('?').next().unwrap_or(path);
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// The `real` seconds of a `.timer` line ("Run Time: real 0.012 user 0.008 sys 0.003").
fn parse_timer_line(line: &str) -> Option<Duration> {
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
        assert_eq!(sqlite_file("sqlite:///tmp/a.db?mode=rwc"), Some(PathBuf::from("/tmp/a.db")));
        assert_eq!(sqlite_file("sqlite:bench.db"), Some(PathBuf::from("bench.db")));
        assert_eq!(sqlite_file("postgres://localhost/x"), None);
    }
}
