//! Demo mode: an empty database gets one account per role, sample reference records, the
//! Gansu investment pipeline, the enterprise library, chains and the chain department's
//! plans, the chambers' leads, the enterprises' appeals, the S&T achievement pool and the
//! research reports with their instructions and tasks, so a newcomer sees a working system at once.
//!
//! One file per area. Every random draw comes from one generator, seeded here and handed
//! to each area's generator in turn, so the whole demo is the same on every start on the
//! same day: the pipeline runs up to today, so that the cockpit's default period (this
//! year) is alive.

mod accounts;
pub mod achievements;
mod activities;
mod activity_plans;
mod appeals;
mod attachments;
pub mod chains;
mod chambers;
pub mod enterprises;
mod evaluation;
mod leads;
mod parcels;
mod plans;
mod portal;
pub mod projects;
mod random;
mod reference;
mod reports;
mod supervision;
pub mod travel;
mod visits;
mod work_plans;

pub use accounts::{DemoAccount, DEMO_ACCOUNTS, DEMO_PASSWORD};

use crate::AppResult;
use chrono::NaiveDate;
use random::Rng;
use zhaoshang_core::calendar::Calendar;
use zhaoshang_store::appeals::AppealData;
use zhaoshang_store::chambers::ChamberData;
use zhaoshang_store::enterprises::EnterpriseData;
use zhaoshang_store::{Actor, Store};

pub const DEMO_MARKER: &str = "demo_loaded";

const SEED: u64 = 0x5A48_414F_5348_414E; // "ZHAOSHAN"

/// The generated part of the demo, before it is written.
pub struct DemoData {
    pub pipeline: projects::DemoPipeline,
    pub enterprises: Vec<EnterpriseData>,
    pub chambers: Vec<ChamberData>,
    pub appeals: Vec<AppealData>,
    pub pool: achievements::DemoPool,
}

/// The demo's pipeline, enterprise library and appeals as they stand on `today`, the same on
/// every call.
pub fn generate(today: NaiveDate) -> DemoData {
    let mut rng = Rng::new(SEED);
    let mut pipeline = projects::generate(&mut rng, today);
    let enterprises = enterprises::generate(&mut rng, &pipeline.projects);
    let chambers = chambers::generate(&mut rng);
    chambers::take_part(&mut rng, &mut pipeline.activities, &chambers);
    // After every draw of the pipeline and its chambers: the seeds' figures of the
    // federation change no other part of the demo.
    chambers::federation_activities(&mut pipeline.activities, &chambers);
    chambers::federation_signings(&mut pipeline.projects, &chambers);
    let calendar = Calendar::new(crate::calendar::shipped_days().unwrap_or_default());
    let appeals = appeals::generate(&mut rng.fork(), today, &calendar);
    let pool = achievements::generate(&mut rng.fork());
    DemoData { pipeline, enterprises, chambers, appeals, pool }
}

/// The day unit tests see the demo on.
#[cfg(test)]
fn test_today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 5).expect("a valid date")
}

/// Fills an empty database (no users yet) with the demo accounts and records.
pub async fn ensure_demo(store: &Store) -> AppResult<()> {
    if store.count_users().await? > 0 {
        return Ok(());
    }
    let actor = Actor::system("演示数据");
    let today = crate::calendar::today();
    let data = generate(today);
    // The liaisons' accounts name their chambers.
    chambers::load(store, &data.chambers, &actor).await?;
    accounts::load(store, &actor).await?;
    reference::load(store, &actor).await?;
    parcels::load(store, today, &actor).await?;
    projects::load(store, &data.pipeline, &actor).await?;
    enterprises::load(store, &data.enterprises, &actor).await?;
    activities::load(store, &data.enterprises, &actor).await?;
    chains::load(store, &actor).await?;
    reference::link_park_chains(store, &actor).await?;
    plans::load(store, today, &actor).await?;
    leads::load(store, today).await?;
    activities::link_leads(store, today, &actor).await?;
    portal::load(store, today, &data.pipeline.projects, &actor).await?;
    let calendar = Calendar::new(crate::calendar::shipped_days()?);
    appeals::load(store, &data.appeals, &calendar, &actor).await?;
    visits::load(store, today, &calendar, &actor).await?;
    reports::load(store, today, &calendar, &actor).await?;
    work_plans::load(store, today, &actor).await?;
    activity_plans::load(store, today, &actor).await?;
    travel::load(store, today, &actor).await?;
    supervision::load(store, today).await?;
    evaluation::load(store, today, &actor).await?;
    achievements::load(store, &data.pool, &actor).await?;
    attachments::load(store, &actor).await?;
    store.set_meta(DEMO_MARKER, "1").await?;
    Ok(())
}
