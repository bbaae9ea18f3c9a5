//! The SQL investment figures (read from the sums of `stat_sums`, kept in step with
//! every write) equal the straightforward reference computation of
//! `zhaoshang_core::metrics` on random data written through every write path, on both
//! backends; so do funds in place, the monthly series and the figures by each of the
//! statistical report's attributes (`report_sums`, `report_pairs`).

use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use zhaoshang_core::metrics::{compute_figures, FundingFact, FundingSource, InvestmentFigures, Period, ProjectFact};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::Stage;
use zhaoshang_core::regions::{parse_divisions, RegionCode};
use zhaoshang_core::statistical_report::SizeBand;
use zhaoshang_store::bulk::{BulkFunding, BulkProject};
use zhaoshang_store::projects::{FundingData, ProjectData, ProjectUpsert};
use zhaoshang_store::stats::{Facet, MonthFigure};
use zhaoshang_store::{Actor, Store};
use zhaoshang_testkit::{fresh_database_url, Backend};

const REGIONS: &[&str] = &["620000", "620200", "620400", "620402", "620423", "620500", "620503"];
const CHAINS: &[&str] = &["", "新能源", "冶金有色"];
const ORIGINS: &[&str] = &["", "上海市", "深圳市", "香港"];
const INDUSTRIES: &[&str] = &["", "01", "30", "65"];
const INVESTOR_TYPES: &[&str] = &["民营", "国有", ""];

fn day(rng: &mut StdRng) -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() + Duration::days(rng.gen_range(0..730))
}

fn random_project(rng: &mut StdRng, index: usize) -> ProjectData {
    let stage = Stage::ALL[rng.gen_range(0..Stage::ALL.len())];
    let reached =
        |milestone: Stage| stage.has_reached(milestone) || (stage == Stage::Dropped && rng_bool(index, milestone));
    let signed_on = reached(Stage::Signed).then(|| day(rng));
    let started_on = signed_on.filter(|_| reached(Stage::Started)).map(|d| d + Duration::days(rng.gen_range(0..200)));
    let producing_on =
        started_on.filter(|_| reached(Stage::Producing)).map(|d| d + Duration::days(rng.gen_range(0..300)));
    let total_investment = match rng.gen_range(0..4) {
        0 => 100_000_000,
        1 => 99_999_999,
        _ => rng.gen_range(1..5_000_000_000i64),
    };
    ProjectData {
        code: format!("P{index:05}"),
        name: format!("随机项目{index}"),
        region_code: REGIONS[rng.gen_range(0..REGIONS.len())].to_string(),
        chain: CHAINS[rng.gen_range(0..CHAINS.len())].to_string(),
        investor_origin: ORIGINS[rng.gen_range(0..ORIGINS.len())].to_string(),
        industry: INDUSTRIES[rng.gen_range(0..INDUSTRIES.len())].to_string(),
        investor_type: INVESTOR_TYPES[rng.gen_range(0..INVESTOR_TYPES.len())].to_string(),
        total_investment,
        stage: stage.key().to_string(),
        signed_on,
        started_on,
        producing_on,
        ..Default::default()
    }
}

/// Every eleventh project dated inconsistently, as an old spreadsheet may have it:
/// started and producing before its signing (the figures count it all the same).
fn disordered(mut project: ProjectData, index: usize) -> ProjectData {
    if index % 11 == 5 {
        if let Some(signed_on) = project.signed_on {
            project.started_on = project.started_on.map(|_| signed_on - Duration::days(3 + index as i64 % 50));
            project.producing_on = project.producing_on.map(|_| signed_on - Duration::days(1 + index as i64 % 20));
        }
    }
    project
}

fn rng_bool(index: usize, milestone: Stage) -> bool {
    (index + milestone.key().len()).is_multiple_of(2)
}

fn fact(id: i64, p: &ProjectData) -> ProjectFact {
    ProjectFact {
        id,
        stage: Stage::parse(&p.stage).unwrap(),
        signed_on: p.signed_on,
        started_on: p.started_on,
        producing_on: p.producing_on,
        total_investment: Yuan(p.total_investment),
    }
}

/// What the database should hold: projects by code and funding records naming their
/// project by code (its region and chain are the project's).
#[derive(Clone, Default)]
struct Model {
    projects: BTreeMap<String, ProjectData>,
    funding: Vec<FundingData>,
}

/// A project's value of a facet, as the statistical report groups by it.
fn facet_value(p: &ProjectData, facet: Facet) -> String {
    match facet {
        Facet::Chain => p.chain.clone(),
        Facet::Origin => p.investor_origin.clone(),
        Facet::Industry => p.industry.clone(),
        Facet::InvestorType => p.investor_type.clone(),
        Facet::SizeBand => {
            let band = SizeBand::of(Yuan(p.total_investment));
            SizeBand::ALL.iter().position(|b| *b == band).unwrap().to_string()
        }
    }
}

impl Model {
    fn in_scope(&self, region: &RegionCode, keep: impl Fn(&ProjectData) -> bool) -> Vec<(i64, &ProjectData)> {
        self.projects
            .values()
            .enumerate()
            .map(|(i, p)| (i as i64, p))
            .filter(|(_, p)| region.contains(&RegionCode::parse(&p.region_code).unwrap()) && keep(p))
            .collect()
    }

    fn figures(&self, region: &RegionCode, chain: Option<&str>, period: Period) -> InvestmentFigures {
        self.figures_of(region, |p| chain.is_none_or(|c| p.chain == c), period)
    }

    fn figures_of(
        &self,
        region: &RegionCode,
        keep: impl Fn(&ProjectData) -> bool,
        period: Period,
    ) -> InvestmentFigures {
        let in_scope = self.in_scope(region, keep);
        let facts: Vec<ProjectFact> = in_scope.iter().map(|(i, p)| fact(*i, p)).collect();
        let funding_facts: Vec<FundingFact> = self
            .funding
            .iter()
            .filter_map(|f| {
                let (i, _) = in_scope.iter().find(|(_, p)| p.code == f.project_code)?;
                Some(FundingFact {
                    project_id: *i,
                    date: f.funded_on,
                    amount: Yuan(f.amount),
                    source: FundingSource::parse(&f.source).unwrap(),
                })
            })
            .collect();
        compute_figures(&facts, &funding_facts, period)
    }

    /// The plain monthly series: (month, amount, count) of signings (not 终止) and of
    /// funds, for a scope without chain.
    fn monthly(&self, region: &RegionCode, period: Period) -> (Vec<MonthFigure>, Vec<MonthFigure>) {
        let in_scope = self.in_scope(region, |_| true);
        let mut signed: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for (_, p) in &in_scope {
            if let Some(day) = p.signed_on.filter(|d| period.contains(*d) && p.stage != "dropped") {
                let entry = signed.entry(day.format("%Y-%m").to_string()).or_default();
                entry.0 += p.total_investment;
                entry.1 += 1;
            }
        }
        let mut funds: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for f in &self.funding {
            if period.contains(f.funded_on) && in_scope.iter().any(|(_, p)| p.code == f.project_code) {
                let entry = funds.entry(f.funded_on.format("%Y-%m").to_string()).or_default();
                entry.0 += f.amount;
                entry.1 += 1;
            }
        }
        let series = |map: BTreeMap<String, (i64, i64)>| {
            map.into_iter().map(|(month, (amount, count))| MonthFigure { month, amount, count }).collect()
        };
        (series(signed), series(funds))
    }
}

fn random_funding(rng: &mut StdRng, projects: &[ProjectData]) -> Vec<FundingData> {
    let mut funding = Vec::new();
    for p in projects.iter().filter(|p| p.signed_on.is_some()) {
        for _ in 0..rng.gen_range(0..4) {
            let source = FundingSource::ALL[rng.gen_range(0..3)];
            funding.push(FundingData {
                project_code: p.code.clone(),
                funded_on: day(rng),
                amount: rng.gen_range(1..900_000_000),
                source: source.key().to_string(),
            });
        }
    }
    funding
}

async fn open(backend: Backend, dir: &std::path::Path) -> Store {
    let store = Store::open(&fresh_database_url(backend, dir).await).await.unwrap();
    let divisions = REGIONS
        .iter()
        .map(|code| {
            let parent = RegionCode::parse(code)
                .unwrap()
                .city()
                .filter(|c| c.as_str() != *code)
                .map(|c| c.to_string())
                .unwrap_or_default();
            let parent = if parent.is_empty() && *code != "620000" { "620000".to_string() } else { parent };
            format!("{code}\t地区{code}\t0\t{parent}")
        })
        .collect::<Vec<_>>()
        .join("\n");
    store.load_regions(&parse_divisions(&format!("header\n{divisions}\n")).unwrap()).await.unwrap();
    store
}

/// Compares the store's figures, funds and monthly series with the plain computation
/// over `model`, for random scopes, chains and periods; returns how many cases were
/// informative (signings, funds and carried-over projects all present).
async fn compare(store: &Store, model: &Model, rng: &mut StdRng, cases: usize, what: &str) -> usize {
    let mut informative = 0;
    for _ in 0..cases {
        let a = day(rng);
        let b = a + Duration::days(rng.gen_range(0..400));
        let period = Period::new(a, b).unwrap();
        let scope = REGIONS[rng.gen_range(0..REGIONS.len())];
        let region = RegionCode::parse(scope).unwrap();
        let chain = CHAINS[rng.gen_range(0..CHAINS.len())];
        let chain = (!chain.is_empty()).then_some(chain);
        let expected = model.figures(&region, chain, period);
        let prefix = region.scope_prefix();
        let actual = store.investment_figures(prefix, chain, period).await.unwrap();
        assert_eq!(actual, expected, "{what}: scope {scope} chain {chain:?} period {period:?}");
        let funds = store.funds_in_place(prefix, chain, period.from, period.to).await.unwrap();
        assert_eq!(funds, expected.funds_in_place, "{what}: funds of {scope} {chain:?} {period:?}");
        // The same figures split by sub-region in one pass (a province's cities, a
        // city's counties), as the dashboard's ranking reads them.
        let group_len = prefix.len() + 2;
        let by_child = store.investment_figures_by(prefix, group_len, chain, period).await.unwrap();
        let funds_by_child = store.funds_in_place_by(prefix, group_len, chain, period.from, period.to).await.unwrap();
        for child in REGIONS.iter().map(|code| RegionCode::parse(code).unwrap()) {
            let child_prefix = child.scope_prefix();
            if child_prefix.len() != group_len || !child_prefix.starts_with(prefix) {
                continue;
            }
            let expected = model.figures(&child, chain, period);
            let actual = by_child.get(child_prefix).copied().unwrap_or_default();
            assert_eq!(actual, expected, "{what}: {child} within {scope} chain {chain:?} period {period:?}");
            let funds = funds_by_child.get(child_prefix).copied().unwrap_or_default();
            assert_eq!(funds, expected.funds_in_place, "{what}: funds of {child} within {scope}");
        }
        // The statistical report's breakdowns: the same figures by each attribute's values.
        for (facet, by_value) in store.investment_figures_by_facets(prefix, period).await.unwrap() {
            let mut values: Vec<String> = model.projects.values().map(|p| facet_value(p, facet)).collect();
            values.extend(by_value.keys().cloned());
            values.sort();
            values.dedup();
            for value in values {
                let expected = model.figures_of(&region, |p| facet_value(p, facet) == value, period);
                let actual = by_value.get(&value).copied().unwrap_or_default();
                assert_eq!(actual, expected, "{what}: {facet:?} {value:?} within {scope} period {period:?}");
            }
        }
        let (signed, funded) = model.monthly(&region, period);
        assert_eq!(store.monthly_signed(prefix, period).await.unwrap(), signed, "{what}: signed series {scope}");
        assert_eq!(store.monthly_funds(prefix, period).await.unwrap(), funded, "{what}: funds series {scope}");
        if expected.signed_count > 0
            && expected.funds_in_place.0 > 0
            && expected.implementing_count > expected.signed_count
        {
            informative += 1;
        }
    }
    informative
}

/// The data reaches the database through every write path (form/import upserts,
/// funding inserts, the bulk loader, updates that move projects to another region,
/// chain or stage, deletions); the sums kept beside it answer as the plain
/// computation does after each.
async fn check(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let store = open(backend, dir.path()).await;
    let mut rng = StdRng::seed_from_u64(20231031);
    let actor = Actor::system("测试");
    let mut model = Model::default();

    // Imports and forms: projects, then their funding.
    let projects: Vec<ProjectData> = (0..240).map(|i| disordered(random_project(&mut rng, i), i)).collect();
    let writes: Vec<ProjectUpsert> =
        projects.iter().map(|data| ProjectUpsert { data: data.clone(), note: String::new() }).collect();
    store.upsert_projects(&writes, &actor).await.unwrap();
    // A few records (the row triggers keep the sums), then many (paused, added grouped).
    let funding = random_funding(&mut rng, &projects);
    assert!(funding.len() > 200, "both write paths of funding are exercised");
    model.projects.extend(projects.iter().map(|p| (p.code.clone(), p.clone())));
    for batch in [&funding[..40], &funding[40..]] {
        let outcome = store.insert_funding(batch, &[], &actor).await.unwrap();
        assert_eq!(outcome.inserted + outcome.duplicates.len(), batch.len());
        model.funding.extend(batch.iter().filter(|f| !outcome.duplicates.contains(f)).cloned());
    }

    // The bulk loader (the benchmark's): projects under given ids, funding naming them.
    let bulk: Vec<BulkProject> = (240..300)
        .map(|i| BulkProject { id: 10_000 + i as i64, data: disordered(random_project(&mut rng, i), i) })
        .collect();
    store.bulk_insert_projects(&bulk, chrono::Utc::now()).await.unwrap();
    let bulk_data: Vec<ProjectData> = bulk.iter().map(|b| b.data.clone()).collect();
    let mut bulk_funding = random_funding(&mut rng, &bulk_data);
    bulk_funding.sort_by_key(|f| (f.project_code.clone(), f.funded_on, f.amount, f.source.clone()));
    bulk_funding.dedup();
    let records: Vec<BulkFunding> = bulk_funding
        .iter()
        .map(|f| {
            let project = bulk.iter().find(|b| b.data.code == f.project_code).unwrap();
            BulkFunding {
                project_id: project.id,
                region_code: project.data.region_code.clone(),
                chain: project.data.chain.clone(),
                funded_on: f.funded_on,
                amount: f.amount,
                source: f.source.clone(),
            }
        })
        .collect();
    store.bulk_insert_funding(&records).await.unwrap();
    store.finish_bulk_load().await.unwrap();
    model.projects.extend(bulk_data.iter().map(|p| (p.code.clone(), p.clone())));
    model.funding.extend(bulk_funding);
    let informative = compare(&store, &model, &mut rng, 30, "after inserts").await;
    assert!(informative >= 8, "the random data exercised too few cases ({informative})");

    // Edits: a third of the projects drawn anew under their code (other region,
    // chain, stage, dates, investment); their funding follows them.
    let edits: Vec<ProjectData> = (0..300).step_by(3).map(|i| random_project(&mut rng, i)).collect();
    let writes: Vec<ProjectUpsert> =
        edits.iter().map(|data| ProjectUpsert { data: data.clone(), note: "改".into() }).collect();
    store.upsert_projects(&writes, &actor).await.unwrap();
    model.projects.extend(edits.iter().map(|p| (p.code.clone(), p.clone())));
    compare(&store, &model, &mut rng, 20, "after edits").await;

    // Deletions: some funding records, and some projects with theirs.
    store.raw_execute_for_tests("DELETE FROM project_funding WHERE amount % 5 = 0").await.unwrap();
    model.funding.retain(|f| f.amount % 5 != 0);
    store.raw_execute_for_tests("DELETE FROM projects WHERE code LIKE '%7'").await.unwrap();
    model.projects.retain(|code, _| !code.ends_with('7'));
    model.funding.retain(|f| !f.project_code.ends_with('7'));
    compare(&store, &model, &mut rng, 20, "after deletions").await;

    // A restore replaces everything, sums included: changes made after the backup
    // are gone from the figures, on the same database and on a fresh one.
    let (backup, _) = store.backup_to(Vec::new()).await.unwrap();
    let kept: Vec<ProjectData> = edits.iter().filter(|p| !p.code.ends_with('7')).cloned().collect();
    let more = random_funding(&mut rng, &kept);
    store.insert_funding(&more, &[], &actor).await.unwrap();
    let moved: Vec<ProjectUpsert> = kept
        .iter()
        .map(|p| ProjectUpsert { data: ProjectData { region_code: "620503".into(), ..p.clone() }, note: String::new() })
        .collect();
    store.upsert_projects(&moved, &actor).await.unwrap();
    store.restore_from(&backup[..], &actor).await.unwrap();
    compare(&store, &model, &mut rng, 20, "after restore").await;
    let fresh = open(backend, dir.path()).await;
    fresh.restore_from(&backup[..], &actor).await.unwrap();
    compare(&fresh, &model, &mut rng, 20, "restored into a fresh database").await;
}

#[tokio::test]
async fn sql_figures_equal_the_reference_on_sqlite() {
    check(Backend::Sqlite).await;
}

#[tokio::test]
async fn sql_figures_equal_the_reference_on_postgres() {
    check(Backend::Postgres).await;
}
