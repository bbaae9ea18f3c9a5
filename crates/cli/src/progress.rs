//! An import's progress on the console: on a terminal a bar with rows per second and
//! the time left; otherwise (a log, a pipe) a plain line every few seconds and at the
//! end of each stage, which a bar's control characters would garble.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use zhaoshang_app::exchange::{ImportProgress, ImportStage};

/// How often a plain line is written while a stage goes on.
const LINE_EVERY: Duration = Duration::from_secs(5);

/// The console's side of an import's progress; `finish` clears the bar.
pub struct Console {
    bar: Option<ProgressBar>,
}

impl Console {
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The progress to give the import, and the console it draws on (stderr).
pub fn start() -> (ImportProgress, Console) {
    if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(0).with_style(
            ProgressStyle::with_template(
                "{prefix} [{wide_bar}] {human_pos}/{human_len} 行 · 每秒 {per_sec} · 剩余 {eta}",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        );
        let shown = bar.clone();
        let stage: Mutex<Option<ImportStage>> = Mutex::new(None);
        let progress = ImportProgress::new(move |now, done, total| {
            let mut current = stage.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if *current != Some(now) {
                *current = Some(now);
                shown.reset();
                shown.set_length(total as u64);
                shown.set_prefix(now.label());
            }
            shown.set_position(done as u64);
        });
        return (progress, Console { bar: Some(bar) });
    }
    let lines = Mutex::new(Lines { stage: None, started: Instant::now(), last: Instant::now() });
    let progress = ImportProgress::new(move |now, done, total| {
        let mut lines = lines.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if lines.stage != Some(now) {
            let started = Instant::now();
            *lines = Lines { stage: Some(now), started, last: started };
        }
        if total > 0 && (done == total || lines.last.elapsed() >= LINE_EVERY) {
            lines.last = Instant::now();
            eprintln!("{}", line(now, done, total, lines.started.elapsed()));
        }
    });
    (progress, Console { bar: None })
}

struct Lines {
    stage: Option<ImportStage>,
    started: Instant,
    last: Instant,
}

/// "检查 50000/100000 行，每秒 12500 行，约 4 秒后完成" (or "…，用时 8 秒" when done).
fn line(stage: ImportStage, done: usize, total: usize, elapsed: Duration) -> String {
    let seconds = elapsed.as_secs_f64();
    let rate = if seconds > 0.0 { done as f64 / seconds } else { 0.0 };
    let end = if done >= total {
        format!("用时 {seconds:.0} 秒")
    } else if rate > 0.0 {
        format!("约 {:.0} 秒后完成", (total - done) as f64 / rate)
    } else {
        "剩余时间未知".to_string()
    };
    format!("{} {done}/{total} 行，每秒 {rate:.0} 行，{end}", stage.label())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_lines_give_the_rate_and_the_time_left() {
        let line_at = |done, seconds| line(ImportStage::Checking, done, 100_000, Duration::from_secs(seconds));
        assert_eq!(line_at(50_000, 4), "检查 50000/100000 行，每秒 12500 行，约 4 秒后完成");
        assert_eq!(line_at(100_000, 8), "检查 100000/100000 行，每秒 12500 行，用时 8 秒");
        assert_eq!(line_at(0, 0), "检查 0/100000 行，每秒 0 行，剩余时间未知");
        assert_eq!(
            line(ImportStage::Writing, 10, 40, Duration::from_secs(2)),
            "写入 10/40 行，每秒 5 行，约 6 秒后完成"
        );
    }
}
