//! `stats evaluation` on data it was not designed for: random projects, funding and
//! targets across Gansu's cities (and a few at the province itself) over 2022–2024,
//! imported as files, and every quarter of 2023 and 2024 checked against the plain
//! computation of SPEC.md written here from the generated rows: the metrics table per
//! city by loops, the efficacy coefficient, the weights, the ranks and the awards.
//! The per-city figures read in one pass also equal `stats investment` city by city.

use chrono::{Datelike, Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeSet, HashMap};
use zhaoshang_app::evaluation::evaluation;
use zhaoshang_app::exchange::{import_bytes, ImportKind};
use zhaoshang_app::stats::{compute_investment_report, sub_region_reports};
use zhaoshang_core::evaluation::Quarter;
use zhaoshang_core::metrics::Period;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::{Actor, Store};
use zhaoshang_testkit::on_both_backends;

on_both_backends!(app: every_quarter_matches_a_plain_computation_of_the_spec);

/// A generated project, as the test knows it.
struct Project {
    code: String,
    /// Index into the cities; `None` for a project of the province itself.
    city: Option<usize>,
    dropped: bool,
    total_yuan: i64,
    signed_on: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
}

struct Funding {
    project: usize,
    date: NaiveDate,
    yuan: i64,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn random_day(rng: &mut StdRng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    from + Duration::days(rng.gen_range(0..=(to - from).num_days()))
}

fn wan_text(yuan: i64) -> String {
    format!("{}.{:04}", yuan / 10_000, yuan % 10_000)
}

async fn import(store: &Store, kind: ImportKind, csv: &str) {
    let report = import_bytes(store, kind, "t.csv", csv.as_bytes(), false, &Actor::system("测试")).await.unwrap();
    assert!(report.is_ok() && report.applied, "{kind:?}: {:?}", report.problems);
}

/// The six indicators of SPEC's evaluation for one city, straight from the rows.
fn indicators(
    city: usize,
    quarter_end: NaiveDate,
    projects: &[Project],
    funding: &[Funding],
    targets: &HashMap<(usize, i32), i64>,
) -> [Option<f64>; 6] {
    let year = quarter_end.year();
    let (from, to) = (day(year, 1, 1), quarter_end);
    let (last_from, last_to) = (day(year - 1, 1, 1), quarter_end.with_year(year - 1).unwrap());
    let funds_between = |a: NaiveDate, b: NaiveDate| -> i64 {
        let mut sum = 0;
        for record in funding {
            if projects[record.project].city == Some(city) && a <= record.date && record.date <= b {
                sum += record.yuan;
            }
        }
        sum
    };
    let funds = funds_between(from, to);
    let funds_last_year = funds_between(last_from, last_to);
    let (mut signed, mut signed_yuan, mut over_100m, mut started) = (0, 0, 0, 0);
    for project in projects.iter().filter(|p| p.city == Some(city) && !p.dropped) {
        let Some(signed_on) = project.signed_on else { continue };
        if from <= signed_on && signed_on <= to {
            signed += 1;
            signed_yuan += project.total_yuan;
            if project.total_yuan >= 100_000_000 {
                over_100m += 1;
            }
            if project.started_on.is_some_and(|d| d <= to) {
                started += 1;
            }
        }
    }
    let yoy = (funds_last_year != 0).then(|| (funds - funds_last_year) as f64 / funds_last_year as f64);
    let target_completion = targets.get(&(city, year)).filter(|t| **t != 0).map(|target| funds as f64 / *target as f64);
    let start_rate = (signed != 0).then(|| started as f64 / signed as f64);
    [
        Some(funds as f64 / 10_000.0),
        yoy,
        target_completion,
        Some(signed_yuan as f64 / 10_000.0),
        Some(over_100m as f64),
        start_rate,
    ]
}

/// Scores (unrounded) and ranks (1-based) of the cities, by SPEC.
fn scores_and_ranks(values: &[[Option<f64>; 6]], codes: &[String]) -> (Vec<f64>, Vec<u32>) {
    const WEIGHTS: [f64; 6] = [0.30, 0.15, 0.20, 0.15, 0.10, 0.10];
    let mut scores = vec![0.0; values.len()];
    for indicator in 0..6 {
        let present: Vec<f64> = values.iter().filter_map(|v| v[indicator]).collect();
        let min = present.iter().cloned().fold(f64::INFINITY, f64::min);
        let max = present.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        for (city, v) in values.iter().enumerate() {
            let scaled = match v[indicator] {
                None => 60.0,
                Some(_) if max == min => 100.0,
                Some(x) => 60.0 + 40.0 * (x - min) / (max - min),
            };
            scores[city] += WEIGHTS[indicator] * scaled;
        }
    }
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| {
        if (scores[a] - scores[b]).abs() < 1e-9 {
            codes[a].cmp(&codes[b])
        } else {
            scores[b].partial_cmp(&scores[a]).unwrap()
        }
    });
    let mut ranks = vec![0; values.len()];
    for (position, city) in order.into_iter().enumerate() {
        ranks[city] = position as u32 + 1;
    }
    (scores, ranks)
}

async fn every_quarter_matches_a_plain_computation_of_the_spec(store: &Store) {
    let mut rng = StdRng::seed_from_u64(24);
    let province = RegionCode::parse("620000").unwrap();
    let cities = store.region_children(Some("620000")).await.unwrap();
    let mut places: Vec<Vec<String>> = Vec::new();
    for city in &cities {
        let mut codes = vec![city.code.clone()];
        codes.extend(store.region_children(Some(&city.code)).await.unwrap().into_iter().map(|county| county.code));
        places.push(codes);
    }
    // Two cities stay without any data at all.
    let quiet: BTreeSet<usize> = [rng.gen_range(0..cities.len()), rng.gen_range(0..cities.len())].into();

    let stages = ["线索", "洽谈", "签约", "开工", "投产", "终止"];
    let mut projects = Vec::new();
    let mut csv = String::from("项目编号,项目名称,所属地区,总投资(万元),项目阶段,签约日期,开工日期,投产日期\n");
    for n in 0..260 {
        let city = if n % 40 == 0 {
            None
        } else {
            Some(loop {
                let c = rng.gen_range(0..cities.len());
                if !quiet.contains(&c) {
                    break c;
                }
            })
        };
        let region = match city {
            None => "620000".to_string(),
            Some(c) => places[c][rng.gen_range(0..places[c].len())].clone(),
        };
        let stage = stages[rng.gen_range(0..stages.len())];
        let dropped = stage == "终止";
        let reached = |milestone: usize| match stage {
            "终止" => false,
            _ => stages.iter().position(|s| *s == stage).unwrap() >= milestone,
        };
        let signs = reached(2) || (dropped && rng.gen_bool(0.7));
        let total_yuan = match rng.gen_range(0..6) {
            0 => 100_000_000,
            1 => 99_999_999,
            _ => rng.gen_range(1..=60_000) * 10_000 + rng.gen_range(0..10_000),
        };
        let signed_on = signs.then(|| random_day(&mut rng, day(2022, 1, 1), day(2024, 12, 31)));
        let starts = reached(3) || (dropped && signs && rng.gen_bool(0.5));
        let started_on = signed_on.filter(|_| starts).map(|s| s + Duration::days(rng.gen_range(0..200)));
        let producing_on = started_on.filter(|_| reached(4)).map(|s| s + Duration::days(rng.gen_range(0..300)));
        let code = format!("EV-{n:04}");
        let text = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let total = if signs { wan_text(total_yuan) } else { String::new() };
        csv += &format!(
            "{code},评价测试项目{n},{region},{total},{stage},{},{},{}\n",
            text(signed_on),
            text(started_on),
            text(producing_on)
        );
        projects.push(Project { code, city, dropped, total_yuan, signed_on, started_on });
    }
    import(store, ImportKind::Projects, &csv).await;

    // Funding of any project, dated across the three years (dropped projects included).
    let mut funding = Vec::new();
    let mut csv = String::from("项目编号,到位日期,到位金额(万元),资金来源\n");
    let sources = ["省外境内", "境外", "省内"];
    for _ in 0..700 {
        let project = rng.gen_range(0..projects.len());
        let date = random_day(&mut rng, day(2022, 1, 1), day(2024, 12, 31));
        let yuan = rng.gen_range(1..=5_000) * 10_000 + rng.gen_range(0..10_000);
        let source = sources[rng.gen_range(0..3)];
        csv += &format!("{},{date},{},{source}\n", projects[project].code, wan_text(yuan));
        funding.push(Funding { project, date, yuan });
    }
    import(store, ImportKind::Funding, &csv).await;

    // Targets for most active cities and years.
    let mut targets = HashMap::new();
    let mut csv = String::from("所属地区,年度,到位资金目标(万元)\n");
    for (c, city) in cities.iter().enumerate() {
        for year in [2023, 2024] {
            if rng.gen_bool(0.7) {
                let yuan = rng.gen_range(1_000..=80_000) * 10_000;
                csv += &format!("{},{year},{}\n", city.code, wan_text(yuan));
                targets.insert((c, year), yuan);
            }
        }
    }
    import(store, ImportKind::Targets, &csv).await;

    // The per-city reports read in one pass are the cities' `stats investment` reports.
    let codes: Vec<RegionCode> = cities.iter().map(|c| RegionCode::parse(&c.code).unwrap()).collect();
    for period in [Quarter::new(2024, 2).unwrap().year_to_end(), Period { from: day(2023, 3, 5), to: day(2024, 2, 29) }]
    {
        let grouped = sub_region_reports(store, &province, &codes, period).await.unwrap();
        for (city, report) in codes.iter().zip(&grouped) {
            assert_eq!(report, &compute_investment_report(store, city, period, None).await.unwrap(), "{city}");
        }
    }

    let city_codes: Vec<String> = cities.iter().map(|c| c.code.clone()).collect();
    let (mut progress_awards, mut risers) = (0, 0);
    for year in [2023, 2024] {
        for q in 1..=4 {
            let quarter = Quarter::new(year, q).unwrap();
            let result = evaluation(store, &province, quarter).await.unwrap();
            assert_eq!((result.region.as_str(), result.year, result.quarter), ("620000", year, q));
            assert_eq!(result.items.len(), cities.len(), "every city, with data or without");

            let values = |end: NaiveDate| -> Vec<[Option<f64>; 6]> {
                (0..cities.len()).map(|c| indicators(c, end, &projects, &funding, &targets)).collect()
            };
            let (scores, ranks) = scores_and_ranks(&values(quarter.end()), &city_codes);
            let previous_end = if q == 1 { day(year - 1, 12, 31) } else { quarter.previous().end() };
            let (_, previous_ranks) = scores_and_ranks(&values(previous_end), &city_codes);

            // Awards by SPEC: ranks 1–3; then the three others that rose most.
            let mut rose: Vec<usize> =
                (0..cities.len()).filter(|&c| ranks[c] > 3 && previous_ranks[c] > ranks[c]).collect();
            risers += rose.len();
            rose.sort_by(|&a, &b| {
                let rise = |c: usize| previous_ranks[c] as i64 - ranks[c] as i64;
                rise(b).cmp(&rise(a)).then_with(|| {
                    if (scores[a] - scores[b]).abs() < 1e-9 {
                        city_codes[a].cmp(&city_codes[b])
                    } else {
                        scores[b].partial_cmp(&scores[a]).unwrap()
                    }
                })
            });
            rose.truncate(3);

            let mut expected_order: Vec<usize> = (0..cities.len()).collect();
            expected_order.sort_by_key(|&c| ranks[c]);
            for (item, &c) in result.items.iter().zip(&expected_order) {
                let label = format!("{} {}", quarter.label(), cities[c].name);
                assert_eq!(
                    (item.region.as_str(), item.name.as_str()),
                    (city_codes[c].as_str(), cities[c].name.as_str()),
                    "{label}"
                );
                assert_eq!(item.rank, ranks[c], "{label}");
                assert_eq!(item.previous_rank, previous_ranks[c], "{label}");
                let rounded = (scores[c] * 100.0 + 0.5 + 1e-7).floor() / 100.0;
                assert!((item.score - rounded).abs() < 1e-9, "{label}: {} against {}", item.score, scores[c]);
                let mut awards = Vec::new();
                if ranks[c] <= 3 {
                    awards.push("贡献奖");
                }
                if rose.contains(&c) {
                    awards.push("进步奖");
                    progress_awards += 1;
                }
                let labels: Vec<&str> = item.awards.iter().map(|a| a.label()).collect();
                assert_eq!(labels, awards, "{label}");
            }
        }
    }
    assert!(risers > 8 && progress_awards > 8, "the data exercises 进步奖 ({risers} risers)");
}
