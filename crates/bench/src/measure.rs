//! Timing an operation over several runs, and the percentiles of the runs.

use std::time::{Duration, Instant};

/// The durations of the timed runs of one operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Samples(Vec<Duration>);

impl Samples {
    pub fn new(mut durations: Vec<Duration>) -> Samples {
        assert!(!durations.is_empty(), "an operation needs at least one timed run");
        durations.sort();
        Samples(durations)
    }

    pub fn runs(&self) -> usize {
        self.0.len()
    }

    /// Nearest-rank percentile: the smallest run at or above `percent`% of the runs.
    pub fn percentile_ms(&self, percent: u32) -> f64 {
        let rank = (self.0.len() * percent as usize).div_ceil(100).max(1);
        self.0[rank - 1].as_secs_f64() * 1000.0
    }

    pub fn p50_ms(&self) -> f64 {
        self.percentile_ms(50)
    }

    pub fn p95_ms(&self) -> f64 {
        self.percentile_ms(95)
    }

    pub fn p99_ms(&self) -> f64 {
        self.percentile_ms(99)
    }
}

/// Runs `operation` once untimed (to warm caches, as a server that has been up a
/// while would be), then `runs` times timed; returns the samples and the last answer.
pub async fn time_runs<T>(
    runs: usize,
    mut operation: impl AsyncFnMut() -> anyhow::Result<T>,
) -> anyhow::Result<(Samples, T)> {
    let mut answer = operation().await?;
    let mut durations = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        answer = operation().await?;
        durations.push(started.elapsed());
    }
    Ok((Samples::new(durations), answer))
}

/// Runs `operation` while a thread samples this process's resident anonymous memory
/// (heap, not the database's mapped file) every 10 ms; its answer and the peak in MiB.
pub async fn with_peak_memory<T>(operation: impl std::future::Future<Output = T>) -> (T, f64) {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    use std::sync::Arc;
    let (running, peak) = (Arc::new(AtomicBool::new(true)), Arc::new(AtomicU64::new(0)));
    let sampler = {
        let (running, peak) = (Arc::clone(&running), Arc::clone(&peak));
        std::thread::spawn(move || {
            while running.load(Ordering::Relaxed) {
                let kib = crate::http::anonymous_mib(std::process::id()) * 1024.0;
                peak.fetch_max(kib as u64, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let answer = operation.await;
    running.store(false, Ordering::Relaxed);
    sampler.join().ok();
    (answer, peak.load(Ordering::Relaxed) as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let samples = Samples::new((1..=20).rev().map(Duration::from_millis).collect());
        assert_eq!(samples.p50_ms(), 10.0);
        assert_eq!(samples.p95_ms(), 19.0);
        assert_eq!(samples.p99_ms(), 20.0);
        let one = Samples::new(vec![Duration::from_millis(7)]);
        assert_eq!((one.p50_ms(), one.p99_ms()), (7.0, 7.0));
    }
}
