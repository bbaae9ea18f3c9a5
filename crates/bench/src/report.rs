//! The one table the benchmark prints: per operation its percentiles, the reference,
//! the ratio between them and the target from the issues.

use crate::measure::Samples;
use crate::reference::ReferenceTimes;

/// The targets of issues 3 and 5 on this 2-core machine, SQLite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    /// p95 at most this many milliseconds.
    P95Ms(f64),
    /// At least this many rows written per second.
    RowsPerSecond(f64),
}

pub const STATS_TARGET: Target = Target::P95Ms(50.0);
pub const LIST_TARGET: Target = Target::P95Ms(30.0);
/// Issue 24: the monthly statistical report of the province.
pub const MONTHLY_REPORT_TARGET: Target = Target::P95Ms(2_000.0);
/// Issue 24: `stats evaluation` for a quarter, its sensitivity draws included.
pub const EVALUATION_TARGET: Target = Target::P95Ms(100.0);
pub const IMPORT_TARGET: Target = Target::RowsPerSecond(50_000.0);
/// Issue 17: a province (1,000,000 projects, 10,000,000 funding records) backs up and
/// restores "in minutes": ten minutes for those 11,000,000 rows.
pub const BACKUP_TARGET: Target = Target::RowsPerSecond(20_000.0);

#[derive(Debug, Clone)]
pub struct Row {
    pub operation: String,
    pub samples: Samples,
    pub reference: Option<ReferenceTimes>,
    pub target: Target,
    /// Rows one run writes, for operations judged by throughput.
    pub rows_written: Option<u64>,
}

impl Row {
    /// Zhaoshang's p50 over the reference's.
    pub fn ratio(&self) -> Option<f64> {
        self.reference.as_ref().map(|reference| self.samples.p50_ms() / reference.p50_ms())
    }

    pub fn rows_per_second(&self) -> Option<f64> {
        self.rows_written.map(|rows| rows as f64 / (self.samples.p50_ms() / 1000.0))
    }

    pub fn meets_target(&self) -> bool {
        match self.target {
            Target::P95Ms(limit) => self.samples.p95_ms() <= limit,
            Target::RowsPerSecond(least) => self.rows_per_second().is_some_and(|rate| rate >= least),
        }
    }
}

fn ms(value: f64) -> String {
    format!("{value:.1}")
}

fn reference_cell(row: &Row) -> String {
    let Some(reference) = &row.reference else {
        return "—".to_string();
    };
    let end_to_end = reference.end_to_end.p50_ms();
    let mut cell = match &reference.statements {
        Some(statements) => format!("{} (e2e {})", ms(statements.p50_ms()), ms(end_to_end)),
        None => format!("e2e {}", ms(end_to_end)),
    };
    if let Some(rows) = row.rows_written {
        cell.push_str(&format!(", {:.0} rows/s", rows as f64 / (end_to_end / 1000.0)));
    }
    cell
}

fn target_cell(target: Target) -> String {
    match target {
        Target::P95Ms(limit) => format!("p95 ≤ {limit:.0} ms"),
        Target::RowsPerSecond(least) => format!("≥ {least:.0} rows/s"),
    }
}

/// The table in Markdown, so that it can go into an issue note as it is.
pub fn table(rows: &[Row]) -> String {
    let header = [
        "operation",
        "runs",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "reference p50 ms (sqlite3 / psql)",
        "ratio",
        "target",
        "met",
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let operation = match row.rows_per_second() {
                Some(rate) => format!("{} — {rate:.0} rows/s", row.operation),
                None => row.operation.clone(),
            };
            vec![
                operation,
                row.samples.runs().to_string(),
                ms(row.samples.p50_ms()),
                ms(row.samples.p95_ms()),
                ms(row.samples.p99_ms()),
                reference_cell(row),
                row.ratio().map(|r| format!("{r:.2}×")).unwrap_or_else(|| "—".to_string()),
                target_cell(row.target),
                if row.meets_target() { "✓" } else { "✗" }.to_string(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|column| {
            cells
                .iter()
                .map(|row| row[column].chars().count())
                .chain([header[column].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |values: Vec<String>| {
        let padded: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(value, width)| format!("{value}{}", " ".repeat(width - value.chars().count())))
            .collect();
        format!("| {} |\n", padded.join(" | "))
    };
    let mut text = line(header.iter().map(|h| h.to_string()).collect());
    text.push_str(&line(widths.iter().map(|w| "-".repeat(*w)).collect()));
    for row in cells {
        text.push_str(&line(row));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn targets_are_judged_on_p95_and_on_throughput() {
        let samples = |ms: &[u64]| Samples::new(ms.iter().map(|&m| Duration::from_millis(m)).collect());
        let stats = Row {
            operation: "stats".into(),
            samples: samples(&[10; 20]),
            reference: None,
            target: STATS_TARGET,
            rows_written: None,
        };
        assert!(stats.meets_target());
        let slow = Row {
            samples: samples(&[10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 60, 60]),
            ..stats
        };
        assert!(!slow.meets_target());
        let import = Row {
            operation: "import".into(),
            samples: samples(&[2_000]),
            reference: None,
            target: IMPORT_TARGET,
            rows_written: Some(100_000),
        };
        assert_eq!(import.rows_per_second(), Some(50_000.0));
        assert!(import.meets_target());
        assert!(table(&[slow, import]).contains("| ✗   |"));
    }
}
