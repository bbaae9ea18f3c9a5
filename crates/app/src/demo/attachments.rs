//! The demo's attachments: a small PDF with some of the appeals of each city, with the
//! first achievements of the registry, with the research reports and with two of the
//! chambers' leads, made in code (no binary file is kept).

use crate::attachments::{checked_uploads, Upload};
use crate::AppResult;
use std::collections::HashMap;
use zhaoshang_core::attachments::{sample_pdf, OwnerKind};
use zhaoshang_store::achievements::{AchievementFilter, AchievementSort};
use zhaoshang_store::appeals::{AppealFilter, AppealSort};
use zhaoshang_store::leads::LeadFilter;
use zhaoshang_store::{Actor, Store};

/// How many appeals of each city, and achievements, get a file.
const PER_CITY: usize = 2;
const ACHIEVEMENTS: i64 = 3;
/// Reports that get their full text as a file.
const REPORTS: i64 = 3;
/// Leads that get the investor's introduction as a file.
const LEADS: usize = 2;

async fn attach(store: &Store, owner: OwnerKind, key: &str, name: &str, actor: &Actor) -> AppResult<()> {
    let upload = Upload { name: name.into(), bytes: sample_pdf(&format!("Zhaoshang demo {} {key}", owner.key())) };
    store.add_attachments(owner, key, &checked_uploads(vec![upload])?, actor).await?;
    Ok(())
}

pub async fn load(store: &Store, actor: &Actor) -> AppResult<()> {
    let appeals = store.list_appeals(&AppealFilter::default(), AppealSort::default(), 1000, 0).await?;
    let mut per_city: HashMap<&str, usize> = HashMap::new();
    for appeal in &appeals {
        let seen = per_city.entry(&appeal.data.region_code[..4]).or_default();
        if *seen < PER_CITY {
            *seen += 1;
            attach(store, OwnerKind::Appeal, &appeal.data.code, "企业情况说明.pdf", actor).await?;
        }
    }
    let achievements =
        store.achievements_page(&AchievementFilter::default(), AchievementSort::default(), ACHIEVEMENTS, 0).await?;
    for achievement in &achievements {
        attach(store, OwnerKind::Achievement, &achievement.code, "成果简介.pdf", actor).await?;
    }
    for report in store.reports_page("", REPORTS, 0).await? {
        attach(store, OwnerKind::Report, &report.id.to_string(), "调研报告正文.pdf", actor).await?;
    }
    // Registered leads (not a registration refused as already registered).
    let leads = store.leads_page(&LeadFilter::default(), 100, 0).await?;
    for lead in leads.iter().filter(|lead| lead.project_id.is_some()).take(LEADS) {
        attach(store, OwnerKind::Lead, &lead.id.to_string(), "投资方简介.pdf", actor).await?;
    }
    Ok(())
}
