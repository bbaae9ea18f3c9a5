//! Writing the dataset into a fresh database as fast as the bulk loader allows: one
//! thread makes the rows while the database writes the previous batch.

use crate::dataset::{Batch, Dataset, TargetPlan};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::{Duration, Instant};
use zhaoshang_store::{Actor, Store};

/// Projects per batch (and per transaction), about ten times as many funding records.
const BATCH_PROJECTS: u64 = 20_000;

#[derive(Debug, Clone, Copy)]
pub struct Generation {
    pub projects: u64,
    pub funding: u64,
    pub elapsed: Duration,
}

impl Generation {
    pub fn rows_per_second(&self) -> f64 {
        (self.projects + self.funding) as f64 / self.elapsed.as_secs_f64()
    }
}

/// Loads every row of `dataset`, then the cities' yearly targets.
pub async fn load(store: &Store, dataset: Arc<Dataset>) -> anyhow::Result<Generation> {
    let started = Instant::now();
    // Two batches in flight keep both cores busy without holding the whole dataset.
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Batch>(2);
    let maker = Arc::clone(&dataset);
    let generator = std::thread::spawn(move || {
        for batch in maker.batches(BATCH_PROJECTS) {
            if sender.blocking_send(batch).is_err() {
                break;
            }
        }
    });
    let created_at: DateTime<Utc> = "2025-01-01T00:00:00Z".parse()?;
    let mut plan = TargetPlan::default();
    let (mut projects, mut funding) = (0, 0);
    while let Some(batch) = receiver.recv().await {
        store.bulk_insert_projects(&batch.projects, created_at).await?;
        store.bulk_insert_funding(&batch.funding).await?;
        plan.add(&batch.funding);
        projects += batch.projects.len() as u64;
        funding += batch.funding.len() as u64;
    }
    generator.join().map_err(|_| anyhow::anyhow!("the data generator panicked"))?;
    store.upsert_targets(&plan.targets(), &Actor::system("基准测试")).await?;
    store.finish_bulk_load().await?;
    anyhow::ensure!(
        (projects, funding) == (dataset.projects, dataset.funding),
        "loaded {projects} projects and {funding} funding records, expected {} and {}",
        dataset.projects,
        dataset.funding
    );
    Ok(Generation { projects, funding, elapsed: started.elapsed() })
}
