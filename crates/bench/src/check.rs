//! Correctness: the answers Zhaoshang gave equal those of a plain computation. Two
//! kinds of check are recorded here: the sqlite3 references' answers (at any scale),
//! and, at small scale, the SQL figures against the pure reference
//! `zhaoshang_core::metrics::compute_figures` over every row read back.

use crate::dataset::CHAINS;
use crate::operations::{date, list_filter, stats_period, PAGE_SIZE};
use chrono::Datelike;
use std::collections::HashMap;
use zhaoshang_core::metrics::{compute_figures, FundingFact, FundingSource, Period, ProjectFact};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::Stage;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
use zhaoshang_store::projects::Project;
use zhaoshang_store::Store;

/// Reading every row back is only sensible for small databases.
pub const MAX_PROJECTS_FOR_FULL_CHECK: i64 = 20_000;

/// What was checked and how it went.
#[derive(Debug, Default)]
pub struct Checks {
    pub passed: Vec<String>,
    pub failed: Vec<String>,
    /// Why the check against the pure reference did not run, when it did not.
    pub full_check_skipped: Option<String>,
}

impl Checks {
    pub fn record(&mut self, what: impl Into<String>, ok: bool, detail: impl FnOnce() -> String) {
        let what = what.into();
        if ok {
            self.passed.push(what);
        } else {
            self.failed.push(format!("{what}: {}", detail()));
        }
    }

    pub fn equal<T: PartialEq + std::fmt::Debug>(&mut self, what: impl Into<String>, actual: &T, expected: &T) {
        self.record(what, actual == expected, || format!("Zhaoshang {actual:?}, reference {expected:?}"));
    }

    pub fn all_passed(&self) -> bool {
        self.failed.is_empty()
    }
}

/// Every project and funding record as the metrics see them.
struct Facts {
    projects: Vec<(Project, ProjectFact)>,
    funding: Vec<(String, String, FundingFact)>,
}

impl Facts {
    async fn read(store: &Store) -> anyhow::Result<Facts> {
        let projects = store.list_projects(&ProjectFilter::default(), ProjectSort::Code, i64::MAX, 0).await?;
        let chain_of: HashMap<i64, String> = projects.iter().map(|p| (p.id, p.data.chain.clone())).collect();
        let projects = projects
            .into_iter()
            .map(|p| {
                let fact = ProjectFact {
                    id: p.id,
                    stage: Stage::parse(&p.data.stage)?,
                    signed_on: p.data.signed_on,
                    started_on: p.data.started_on,
                    producing_on: p.data.producing_on,
                    total_investment: Yuan(p.data.total_investment),
                };
                Ok((p, fact))
            })
            .collect::<anyhow::Result<_>>()?;
        let funding = store
            .all_funding("", None)
            .await?
            .into_iter()
            .map(|f| {
                let fact = FundingFact {
                    project_id: f.project_id,
                    date: f.funded_on,
                    amount: Yuan(f.amount),
                    source: FundingSource::parse(&f.source)?,
                };
                Ok((f.region_code, chain_of[&f.project_id].clone(), fact))
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Facts { projects, funding })
    }

    /// The facts of a scope: a region with its sub-regions, optionally one chain.
    fn scope(&self, region: &RegionCode, chain: Option<&str>) -> (Vec<ProjectFact>, Vec<FundingFact>) {
        let within = |code: &str, project_chain: &str| {
            code.starts_with(region.scope_prefix()) && chain.is_none_or(|c| c == project_chain)
        };
        let projects =
            self.projects.iter().filter(|(p, _)| within(&p.data.region_code, &p.data.chain)).map(|(_, f)| *f).collect();
        let funding = self.funding.iter().filter(|(code, chain, _)| within(code, chain)).map(|(_, _, f)| *f).collect();
        (projects, funding)
    }
}

/// Compares the SQL figures, monthly series and list with the pure computation over
/// every row read back; skipped (and said so) above `MAX_PROJECTS_FOR_FULL_CHECK`.
pub async fn against_pure_reference(store: &Store, deep_offset: i64, checks: &mut Checks) -> anyhow::Result<()> {
    let stored = store.project_totals(&ProjectFilter::default()).await?.count;
    if stored > MAX_PROJECTS_FOR_FULL_CHECK {
        checks.full_check_skipped = Some(format!(
            "the check against compute_figures reads every row back, so it runs only up to {MAX_PROJECTS_FOR_FULL_CHECK} \
             projects; this database has {stored}"
        ));
        return Ok(());
    }
    let facts = Facts::read(store).await?;
    figures(store, &facts, checks).await?;
    monthly_series(store, &facts, checks).await?;
    list(store, &facts, deep_offset, checks).await
}

async fn figures(store: &Store, facts: &Facts, checks: &mut Checks) -> anyhow::Result<()> {
    let scopes = [
        ("620000", None),
        ("620500", None),
        ("620503", None),
        ("620000", Some(CHAINS[1])),
        ("620100", Some(CHAINS[2])),
    ];
    let periods = [
        stats_period(),
        stats_period().same_period_last_year(),
        Period::new(date(2024, 1, 1), date(2024, 10, 31))?,
        Period::new(date(2019, 7, 1), date(2021, 6, 30))?,
        Period::new(date(2020, 2, 29), date(2020, 2, 29))?,
    ];
    for (code, chain) in scopes {
        let region = RegionCode::parse(code)?;
        let (projects, funding) = facts.scope(&region, chain);
        for period in periods {
            let actual = store.investment_figures(region.scope_prefix(), chain, period).await?;
            let expected = compute_figures(&projects, &funding, period);
            checks.equal(
                format!("figures of {code} chain {chain:?} {}..{} = compute_figures", period.from, period.to),
                &actual,
                &expected,
            );
        }
    }
    Ok(())
}

async fn monthly_series(store: &Store, facts: &Facts, checks: &mut Checks) -> anyhow::Result<()> {
    let province = RegionCode::parse("620000")?;
    let (projects, funding) = facts.scope(&province, None);
    let period = stats_period();
    let signed = store.monthly_signed(province.scope_prefix(), period).await?;
    let funds = store.monthly_funds(province.scope_prefix(), period).await?;
    for month in 1..=12 {
        let from = date(period.to.year(), month, 1);
        let to = from.checked_add_months(chrono::Months::new(1)).expect("a later month") - chrono::Days::new(1);
        let expected = compute_figures(&projects, &funding, Period::new(from, to)?);
        let key = from.format("%Y-%m").to_string();
        let signed_month = signed.iter().find(|m| m.month == key).map(|m| (m.amount, m.count)).unwrap_or((0, 0));
        let funds_month = funds.iter().find(|m| m.month == key).map(|m| m.amount).unwrap_or(0);
        checks.equal(
            format!("monthly series {key} = compute_figures"),
            &(signed_month, funds_month),
            &((expected.signed_investment.0, expected.signed_count), expected.funds_in_place.0),
        );
    }
    Ok(())
}

async fn list(store: &Store, facts: &Facts, deep_offset: i64, checks: &mut Checks) -> anyhow::Result<()> {
    let filter = list_filter();
    let (from, to) = (filter.signed_from.expect("a period"), filter.signed_to.expect("a period"));
    let mut matching: Vec<&Project> = facts
        .projects
        .iter()
        .map(|(p, _)| p)
        .filter(|p| {
            p.data.region_code.starts_with(&filter.region_prefix)
                && Some(p.data.stage.as_str()) == filter.stage.as_deref()
                && p.data.signed_on.is_some_and(|d| from <= d && d <= to)
        })
        .collect();
    matching.sort_by_key(|p| std::cmp::Reverse((p.data.signed_on, p.id)));
    let totals = store.project_totals(&filter).await?;
    let sum: i64 = matching.iter().map(|p| p.data.total_investment).sum();
    checks.equal("list totals = plain filter", &(totals.count, totals.total_investment), &(matching.len() as i64, sum));
    // The page after the deep one seeks from the deep page's last row.
    for offset in [0, deep_offset, deep_offset + PAGE_SIZE] {
        let page = store.list_projects(&filter, crate::operations::LIST_SORT, PAGE_SIZE, offset).await?;
        let ids: Vec<i64> = page.iter().map(|p| p.id).collect();
        let expected: Vec<i64> = matching.iter().skip(offset as usize).take(PAGE_SIZE as usize).map(|p| p.id).collect();
        checks.equal(format!("list page at offset {offset} = plain sort"), &ids, &expected);
    }
    Ok(())
}
