//! The SQL investment figures equal the straightforward reference computation of
//! `zhaoshang_core::metrics` on random data, on both backends.

use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zhaoshang_core::metrics::{compute_figures, FundingFact, FundingSource, Period, ProjectFact};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::Stage;
use zhaoshang_core::regions::{parse_divisions, RegionCode};
use zhaoshang_store::projects::{FundingData, ProjectData, ProjectUpsert};
use zhaoshang_store::{Actor, Store};
use zhaoshang_testkit::{fresh_database_url, Backend};

const REGIONS: &[&str] = &["620000", "620200", "620400", "620402", "620423", "620500", "620503"];
const CHAINS: &[&str] = &["", "新能源", "冶金有色"];

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
        total_investment,
        stage: stage.key().to_string(),
        signed_on,
        started_on,
        producing_on,
        ..Default::default()
    }
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

async fn check(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&fresh_database_url(backend, dir.path()).await).await.unwrap();
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

    let mut rng = StdRng::seed_from_u64(20231031);
    let projects: Vec<ProjectData> = (0..300).map(|i| random_project(&mut rng, i)).collect();
    let actor = Actor::system("测试");
    let writes: Vec<ProjectUpsert> =
        projects.iter().map(|data| ProjectUpsert { data: data.clone(), note: String::new() }).collect();
    store.upsert_projects(&writes, &actor).await.unwrap();
    let mut funding = Vec::new();
    for p in projects.iter().filter(|p| p.signed_on.is_some()) {
        for _ in 0..rng.gen_range(0..4) {
            let source = [FundingSource::OutsideProvince, FundingSource::Abroad, FundingSource::WithinProvince]
                [rng.gen_range(0..3)];
            funding.push(FundingData {
                project_code: p.code.clone(),
                funded_on: day(&mut rng),
                amount: rng.gen_range(1..900_000_000),
                source: source.key().to_string(),
            });
        }
    }
    let outcome = store.insert_funding(&funding, &actor).await.unwrap();
    assert_eq!(outcome.inserted + outcome.duplicates.len(), funding.len());

    let mut informative = 0;
    for _ in 0..40 {
        let a = day(&mut rng);
        let b = a + Duration::days(rng.gen_range(0..400));
        let period = Period::new(a, b).unwrap();
        let scope = REGIONS[rng.gen_range(0..REGIONS.len())];
        let region = RegionCode::parse(scope).unwrap();
        let chain = CHAINS[rng.gen_range(0..CHAINS.len())];
        let chain = (!chain.is_empty()).then_some(chain);
        let in_scope: Vec<(usize, &ProjectData)> = projects
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                region.contains(&RegionCode::parse(&p.region_code).unwrap()) && chain.is_none_or(|c| p.chain == c)
            })
            .collect();
        let facts: Vec<ProjectFact> = in_scope.iter().map(|(i, p)| fact(*i as i64, p)).collect();
        let funding_facts: Vec<FundingFact> = funding
            .iter()
            .filter_map(|f| {
                let (i, _) = in_scope.iter().find(|(_, p)| p.code == f.project_code)?;
                Some(FundingFact {
                    project_id: *i as i64,
                    date: f.funded_on,
                    amount: Yuan(f.amount),
                    source: FundingSource::parse(&f.source).unwrap(),
                })
            })
            .collect();
        let expected = compute_figures(&facts, &funding_facts, period);
        let actual = store.investment_figures(region.scope_prefix(), chain, period).await.unwrap();
        assert_eq!(actual, expected, "scope {scope} chain {chain:?} period {period:?}");
        if expected.signed_count > 0
            && expected.funds_in_place.0 > 0
            && expected.implementing_count > expected.signed_count
        {
            informative += 1;
        }
    }
    assert!(informative >= 10, "the random data exercised too few cases ({informative})");
}

#[tokio::test]
async fn sql_figures_equal_the_reference_on_sqlite() {
    check(Backend::Sqlite).await;
}

#[tokio::test]
async fn sql_figures_equal_the_reference_on_postgres() {
    check(Backend::Postgres).await;
}
