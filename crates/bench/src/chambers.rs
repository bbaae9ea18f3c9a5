//! The chamber network at scale (issue 18): 3,000 chambers of the registry, a third of
//! the projects attributed to them (`dataset::attributed_chamber`), and leads registered
//! over the year through the application's registration, a tenth of them by one
//! liaison. Times `stats chambers` for a year (every chamber's assessment) and that
//! liaison's lead list (its page: the first 30 with their clocks, and the count); checks
//! the assessment's figures against the generated projects, funding and leads added up
//! plainly, chamber by chamber.

use crate::dataset::{attributed_chamber, chamber_name, Dataset, CHAMBERS};
use crate::report::{Target, LIST_TARGET};
use crate::{measure, Bench, Config};
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;
use std::time::Instant;
use zhaoshang_app::chambers::assessment;
use zhaoshang_app::leads::{register, LeadForm, LeadQuery};
use zhaoshang_core::access::Role;
use zhaoshang_core::calendar::Calendar;
use zhaoshang_core::chambers::{ChamberKind, ChamberLevel};
use zhaoshang_core::credit_code::with_check_char;
use zhaoshang_core::money::Yuan;
use zhaoshang_store::chambers::ChamberData;
use zhaoshang_store::users::NewUser;
use zhaoshang_store::Actor;

/// Issue 18: `stats chambers` for a year under 200 ms p95, the liaison's lead list under 30 ms.
pub const CHAMBER_STATS_TARGET: Target = Target::P95Ms(200.0);
pub const LEAD_LIST_TARGET: Target = LIST_TARGET;
/// Leads registered over the year at scale 1 (ten a chamber), never fewer than `MIN_LEADS`.
const LEADS_AT_SCALE_1: f64 = 30_000.0;
const MIN_LEADS: u64 = 60;
/// Every this-many-th lead is the measured liaison's.
const LIAISON_SHARE: u64 = 10;
const YEAR: i32 = 2024;
/// The liaison's page shows this many (pages::leads::PER_PAGE).
const LEAD_PAGE: i64 = 30;
const INDUSTRIES: [&str; 5] = ["26", "30", "34", "38", "65"];

/// One chamber's figures of the year, as `stats chambers` prints them (score aside).
type Figures = (String, i64, i64, String, String, i64);

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(YEAR, 1, 1).expect("a valid day")
}

fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(YEAR, 12, 31).expect("a valid day")
}

/// Lead `index` of `count`, spread over the (leap) year.
fn day_of_year(index: u64, count: u64) -> NaiveDate {
    first_day() + Days::new(index * 366 / count)
}

impl Bench<'_> {
    pub(crate) async fn chambers(&mut self, dataset: &Dataset, config: &Config) -> anyhow::Result<()> {
        let store = self.store;
        let actor = Actor::system("基准测试");
        let registry: Vec<ChamberData> = (0..CHAMBERS)
            .map(|n| ChamberData {
                name: chamber_name(n),
                kind: ChamberKind::GansuAbroadInChina.key().to_string(),
                location: "310000".to_string(),
                level: ChamberLevel::Provincial.key().to_string(),
                liaison_office: true,
                ..Default::default()
            })
            .collect();
        store.upsert_chambers(&registry, &actor).await?;
        let own = store.chamber_by_name(&chamber_name(0)).await?.ok_or_else(|| anyhow::anyhow!("chamber 1 stored"))?;
        // The liaison of chamber 1, and an administrator registering for the others.
        let account = |username: &str, role: Role, chamber_id: Option<i64>| NewUser {
            username: username.into(),
            display_name: format!("基准测试（{}）", role.label()),
            role: role.key().into(),
            region_code: None,
            password_hash: String::new(),
            chamber_id,
        };
        let liaison = store.create_user(&account("bench-liaison", Role::Liaison, Some(own.id)), &actor).await?;
        let liaison = zhaoshang_app::accounts::principal_of(&liaison);
        let admin = store.create_user(&account("bench-leads-admin", Role::Admin, None), &actor).await?;
        let admin = zhaoshang_app::accounts::principal_of(&admin);

        // Leads: each through the registration (checks, protection window, a project).
        let counties = crate::province_counties(store).await?;
        let count = (LEADS_AT_SCALE_1 * config.scale).round().max(MIN_LEADS as f64) as u64;
        let calendar = Calendar::new(zhaoshang_app::calendar::shipped_days()?);
        let mut registered: BTreeMap<String, i64> = BTreeMap::new();
        let started = Instant::now();
        for index in 0..count {
            let (principal, chamber) =
                if index.is_multiple_of(LIAISON_SHARE) { (&liaison, 0) } else { (&admin, index % CHAMBERS) };
            let form = LeadForm {
                chamber: if principal.role == Role::Admin { chamber_name(chamber) } else { String::new() },
                investor: format!("基准线索投资方{index}"),
                credit_code: with_check_char(&format!("91880000{index:09}")).expect("17 characters"),
                industry: INDUSTRIES[(index % INDUSTRIES.len() as u64) as usize].to_string(),
                region: counties[(index % counties.len() as u64) as usize].clone(),
                amount_wan: (100 + index % 900).to_string(),
                ..Default::default()
            };
            let lead_on = day_of_year(index, count);
            if let Ok(id) = register(store, &calendar, principal, &actor, &form, lead_on).await? {
                if store.lead(id).await?.is_some_and(|lead| lead.project_id.is_some()) {
                    *registered.entry(chamber_name(chamber)).or_default() += 1;
                }
            }
        }
        let attributed = (0..dataset.projects).filter(|&index| attributed_chamber(index).is_some()).count();
        self.notes.push(format!(
            "chambers: {CHAMBERS} in the registry, {attributed} of {} projects attributed to them; {count} leads \
             registered over {YEAR} in {:.1} s through the application's registration, every {LIAISON_SHARE}th by \
             one liaison",
            dataset.projects,
            started.elapsed().as_secs_f64()
        ));

        let label = format!("stats chambers {YEAR}: {CHAMBERS} chambers assessed");
        let (samples, report) = measure::time_runs(self.runs, async || Ok(assessment(store, YEAR).await?)).await?;
        let mut figures: Vec<Figures> = report
            .items
            .iter()
            .map(|i| {
                let (signed, funds) = (i.signed_investment_wan.clone(), i.funds_in_place_wan.clone());
                (i.chamber.clone(), i.leads, i.signed_count, signed, funds, i.activities)
            })
            .collect();
        figures.sort();
        self.checks.equal(
            format!("{label}: = the generated projects, funding and leads added up"),
            &figures,
            &reference_figures(dataset, &registered),
        );
        self.push(label, samples, None, CHAMBER_STATS_TARGET);

        let app = zhaoshang_app::App::new(store.clone(), zhaoshang_app::search::SearchIndex::new()?);
        let label = format!("liaison's lead list: first {LEAD_PAGE} with their clocks and the count, of {count} leads");
        let (samples, page) = measure::time_runs(self.runs, async || {
            let list = app.lead_page(&liaison, &LeadQuery::default(), LEAD_PAGE).await?;
            Ok((list.count, list.leads.iter().map(|view| view.lead.id).collect::<Vec<_>>()))
        })
        .await?;
        let own_leads = count.div_ceil(LIAISON_SHARE) as i64;
        let shown = own_leads.min(LEAD_PAGE) as usize;
        self.checks.record(
            format!("{label}: its chamber's leads only"),
            page.0 == own_leads && page.1.len() == shown,
            || format!("{} leads, {} shown; expected {own_leads}, {shown}", page.0, page.1.len()),
        );
        self.push(label, samples, None, LEAD_LIST_TARGET);
        Ok(())
    }
}

/// Every chamber's figures of the year added up from the generated rows: leads
/// registered in the year (each a project of its chamber with that lead date), projects
/// signed in the year and not dropped, funds dated in the year of its projects; no
/// activities. In name order.
fn reference_figures(dataset: &Dataset, leads: &BTreeMap<String, i64>) -> Vec<Figures> {
    let (from, to) = (first_day(), last_day());
    // (signed count, signed investment, funds) by chamber number.
    let mut sums = vec![(0i64, 0i64, 0i64); CHAMBERS as usize];
    for batch in dataset.batches(10_000) {
        let mut chamber_of = BTreeMap::new();
        for project in &batch.projects {
            let Some(chamber) = attributed_chamber(project.id as u64 - 1) else { continue };
            chamber_of.insert(project.id, chamber as usize);
            let data = &project.data;
            if data.stage != "dropped" && data.signed_on.is_some_and(|day| from <= day && day <= to) {
                sums[chamber as usize].0 += 1;
                sums[chamber as usize].1 += data.total_investment;
            }
        }
        for record in batch.funding.iter().filter(|f| from <= f.funded_on && f.funded_on <= to) {
            if let Some(&chamber) = chamber_of.get(&record.project_id) {
                sums[chamber].2 += record.amount;
            }
        }
    }
    let mut figures: Vec<Figures> = sums
        .into_iter()
        .enumerate()
        .map(|(n, (signed, investment, funds))| {
            let name = chamber_name(n as u64);
            let leads = leads.get(&name).copied().unwrap_or(0);
            (name, leads, signed, Yuan(investment).wan_string(), Yuan(funds).wan_string(), 0)
        })
        .collect();
    figures.sort();
    figures
}
