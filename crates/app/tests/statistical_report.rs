//! The statistical report (招商引资情况统计报表) on generated data: random projects of
//! Gansu's cities and counties (and the province itself) with investors from every kind
//! of origin, type, industry, chain, size and 500强 list, and their funding over
//! 2023–2024. For a province and a city, a whole year and January to September, every table's
//! parts add up to its total, the total is `stats investment` of the scope for the
//! period and for the same period a year before, each region line is its sub-region's
//! `stats investment`, a chain department's report is its chain's, and the 500强 lines
//! count what the generated rows say.

use chrono::{Datelike, Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use zhaoshang_app::exchange::export::write_workbook;
use zhaoshang_app::exchange::{import_bytes, ImportKind};
use zhaoshang_app::reports::{statistical_report, statistical_workbook};
use zhaoshang_app::stats::compute_investment_report;
use zhaoshang_core::access::{ProjectScope, RecordScope};
use zhaoshang_core::credit_code::with_check_char;
use zhaoshang_core::metrics::{InvestmentFigures, InvestmentReport, Period};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_core::statistical_report::{Breakdown, BreakdownTable, ReportMonth};
use zhaoshang_store::{Actor, Store};
use zhaoshang_testkit::on_both_backends;

on_both_backends!(app: every_table_adds_up_to_the_metrics_of_its_scope);

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn wan_text(yuan: i64) -> String {
    format!("{}.{:04}", yuan / 10_000, yuan % 10_000)
}

async fn import(store: &Store, kind: ImportKind, csv: &str) {
    let report = import_bytes(store, kind, "t.csv", csv.as_bytes(), false, &Actor::system("测试")).await.unwrap();
    assert!(report.is_ok() && report.applied, "{kind:?}: {:?}", report.problems);
}

/// The figures a report's line holds equal the metrics object's.
fn assert_same(figures: &InvestmentFigures, report: &InvestmentReport, label: &str) {
    let actual = (
        figures.signed_count,
        figures.signed_investment.wan_string(),
        figures.over_100m_count,
        figures.started_count,
        figures.producing_count,
        figures.implementing_count,
        figures.implementing_investment.wan_string(),
        figures.funds_in_place.wan_string(),
        figures.funds_outside_province.wan_string(),
    );
    let expected = (
        report.signed_count,
        report.signed_investment_wan.clone(),
        report.over_100m_count,
        report.started_count,
        report.producing_count,
        report.implementing_count,
        report.implementing_investment_wan.clone(),
        report.funds_in_place_wan.clone(),
        report.funds_outside_province_wan.clone(),
    );
    assert_eq!(actual, expected, "{label}");
}

fn table(tables: &[BreakdownTable], breakdown: Breakdown) -> &BreakdownTable {
    tables.iter().find(|t| t.breakdown == breakdown).unwrap()
}

struct Project {
    region: String,
    dropped: bool,
    signed_on: Option<NaiveDate>,
    investor: Option<usize>,
}

async fn every_table_adds_up_to_the_metrics_of_its_scope(store: &Store) {
    let mut rng = StdRng::seed_from_u64(2404);
    let cities = store.region_children(Some("620000")).await.unwrap();
    let mut places = vec!["620000".to_string()];
    for city in &cities {
        places.push(city.code.clone());
        places.extend(store.region_children(Some(&city.code)).await.unwrap().into_iter().map(|county| county.code));
    }
    // Investors: the first in the 世界500强 and 中国500强 lists, the second in the 民营500强,
    // the third in none; the others are not in the library.
    let tags = ["世界500强、中国500强", "民营500强", "专精特新"];
    let investors: Vec<String> = (0..3).map(|n| with_check_char(&format!("91310000MA1FL0K{n:02}")).unwrap()).collect();
    let mut csv = String::from("企业名称,统一社会信用代码,所属地区,标签\n");
    for (n, code) in investors.iter().enumerate() {
        csv += &format!("报表测试投资方{n},{code},310000,{}\n", tags[n]);
    }
    import(store, ImportKind::Enterprises, &csv).await;

    let origins = ["上海市", "深圳市", "香港", "境外：新加坡", "", "兰州市", "哈尔滨市", "郑州", "火星"];
    let types = ["民营", "国有", "外资", "港澳台", ""];
    let industries = ["01", "05", "13", "30", "39", "43", "44", "65", "70", ""];
    let chains = ["新材料", "文旅", ""];
    let stages = ["线索", "洽谈", "签约", "开工", "投产", "终止"];
    let mut projects = Vec::new();
    let mut csv = String::from(
        "项目编号,项目名称,所属地区,投资方来源地,投资方类型,行业代码,产业链,投资方信用代码,总投资(万元),项目阶段,签约日期,开工日期,投产日期\n",
    );
    for n in 0..320 {
        let region = places[rng.gen_range(0..places.len())].clone();
        let stage = stages[rng.gen_range(0..stages.len())];
        let dropped = stage == "终止";
        let rank = stages.iter().position(|s| *s == stage).unwrap();
        let signs = (!dropped && rank >= 2) || (dropped && rng.gen_bool(0.6));
        let total_yuan: i64 = match rng.gen_range(0..8) {
            0 => 100_000_000,
            1 => 1_000_000_000,
            2 => 2_000_000_000,
            3 => 1_999_999_999,
            4 => rng.gen_range(2_000..50_000) * 100_000,
            _ => rng.gen_range(1..=60_000) * 10_000 + rng.gen_range(0..10_000),
        };
        let signed_on = signs.then(|| day(2023, 1, 1) + Duration::days(rng.gen_range(0..731)));
        let started_on = signed_on.filter(|_| (!dropped && rank >= 3) || (dropped && rng.gen_bool(0.3)));
        let started_on = started_on.map(|s| s + Duration::days(rng.gen_range(0..120)));
        let producing_on =
            started_on.filter(|_| !dropped && rank >= 4).map(|s| s + Duration::days(rng.gen_range(0..200)));
        let investor = rng.gen_bool(0.6).then(|| rng.gen_range(0..4));
        let credit = match investor {
            Some(i) if i < 3 => investors[i].clone(),
            Some(_) => with_check_char("91440300MA5FAAAA0").unwrap(),
            None => String::new(),
        };
        let text = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        csv += &format!(
            "RP-{n:04},报表测试项目{n},{region},{},{},{},{},{credit},{},{stage},{},{},{}\n",
            origins[rng.gen_range(0..origins.len())],
            types[rng.gen_range(0..types.len())],
            industries[rng.gen_range(0..industries.len())],
            chains[rng.gen_range(0..chains.len())],
            if signs { wan_text(total_yuan) } else { String::new() },
            text(signed_on),
            text(started_on),
            text(producing_on),
        );
        projects.push(Project { region, dropped, signed_on, investor: investor.filter(|i| *i < 3) });
    }
    import(store, ImportKind::Projects, &csv).await;
    let mut csv = String::from("项目编号,到位日期,到位金额(万元),资金来源\n");
    let sources = ["省外境内", "境外", "省内"];
    for _ in 0..900 {
        let project = rng.gen_range(0..projects.len());
        let date = day(2023, 1, 1) + Duration::days(rng.gen_range(0..731));
        let yuan = rng.gen_range(1..=5_000) * 10_000 + rng.gen_range(0..10_000);
        csv += &format!("RP-{project:04},{date},{},{}\n", wan_text(yuan), sources[rng.gen_range(0..3)]);
    }
    import(store, ImportKind::Funding, &csv).await;

    let everything = ProjectScope { regions: RecordScope::All, chains: None };
    let city = RegionCode::parse(&cities[0].code).unwrap();
    for region in [RegionCode::parse("620000").unwrap(), city] {
        for month in ["2024-12", "2024-09"] {
            let label = format!("{region} 至 {month}");
            let month = ReportMonth::parse(month).unwrap();
            let report = statistical_report(store, &region, month, &everything).await.unwrap();
            let period = Period { from: day(2024, 1, 1), to: month.last_day() };
            assert_eq!(report.period, period);
            assert_eq!(report.tables.len(), Breakdown::ALL.len(), "{label}");
            let metrics = compute_investment_report(store, &region, period, None).await.unwrap();
            let earlier =
                compute_investment_report(store, &region, period.same_period_last_year(), None).await.unwrap();
            for t in &report.tables {
                let label = format!("{label} {}", t.breakdown.label());
                assert_same(&t.total.current, &metrics, &label);
                assert_same(&t.total.previous, &earlier, &format!("{label} 上年同期"));
                assert_eq!(t.parts_sum(), (t.total.current, t.total.previous), "{label}: the parts add up");
            }
            assert!(metrics.signed_count > 0, "{label}: the scope has signings");

            // Each region line is its sub-region's metrics, the own level's last.
            let regions = table(&report.tables, Breakdown::Region);
            let children = store.region_children(Some(region.as_str())).await.unwrap();
            assert_eq!(regions.lines.len(), children.len() + 1, "{label}");
            for (line, child) in regions.lines.iter().zip(&children) {
                assert_eq!(line.label, child.name);
                let child = RegionCode::parse(&child.code).unwrap();
                let expected = compute_investment_report(store, &child, period, None).await.unwrap();
                assert_same(&line.current, &expected, &format!("{label} {}", line.label));
                assert_eq!(line.yoy(), expected.yoy, "{label} {}", line.label);
            }
            assert!(["省本级", "市本级"].contains(&regions.lines.last().unwrap().label.as_str()));

            // The origins are placed by the divisions.
            let provinces: Vec<&str> =
                table(&report.tables, Breakdown::Province).lines.iter().map(|l| l.label.as_str()).collect();
            for expected in ["上海市", "广东省", "甘肃省", "黑龙江省", "河南省", "港澳台地区", "境外", "未填报"]
            {
                assert!(provinces.contains(&expected), "{label}: {expected} in {provinces:?}");
            }

            // 500强 lines from the generated rows.
            let signed_by = |investor: usize| {
                projects
                    .iter()
                    .filter(|p| {
                        !p.dropped
                            && p.investor == Some(investor)
                            && p.signed_on.is_some_and(|d| period.contains(d))
                            && RegionCode::parse(&p.region).is_ok_and(|r| region.contains(&r))
                    })
                    .count() as i64
            };
            let top500 = table(&report.tables, Breakdown::Top500);
            let line = |name: &str| top500.lines.iter().find(|l| l.label == name).unwrap().current.signed_count;
            assert_eq!(line("其中：世界500强"), signed_by(0), "{label}");
            assert_eq!(line("其中：中国500强"), signed_by(0), "{label}");
            assert_eq!(line("其中：民营500强"), signed_by(1), "{label}");
            assert_eq!(line("三个500强企业"), signed_by(0) + signed_by(1), "{label}");

            let sheets = statistical_workbook(&report);
            assert_eq!(sheets.len(), Breakdown::ALL.len());
            assert_eq!(sheets[0].rows[0][1], metrics.signed_count.to_string(), "the total first");
            let caption = format!("{}年1—{}月", period.to.year(), period.to.month());
            assert!(sheets[0].title.as_deref().unwrap().contains(&caption));
            let bytes = write_workbook(&sheets).unwrap();
            assert!(bytes.starts_with(b"PK"));
        }
    }

    // A chain department's report holds its chain's projects alone.
    let province = RegionCode::parse("620000").unwrap();
    let chain_scope = ProjectScope { regions: RecordScope::All, chains: Some(vec!["新材料".into()]) };
    let october = ReportMonth::parse("2024-10").unwrap();
    let report = statistical_report(store, &province, october, &chain_scope).await.unwrap();
    let period = Period { from: day(2024, 1, 1), to: day(2024, 10, 31) };
    let metrics = compute_investment_report(store, &province, period, Some("新材料")).await.unwrap();
    for t in &report.tables {
        assert_same(&t.total.current, &metrics, t.breakdown.label());
        assert_eq!(t.parts_sum().0, t.total.current);
    }
    let chains = table(&report.tables, Breakdown::Chain);
    assert_eq!(chains.lines.iter().map(|l| l.label.as_str()).collect::<Vec<_>>(), ["新材料"]);
    let none = ProjectScope { regions: RecordScope::All, chains: Some(Vec::new()) };
    let empty = statistical_report(store, &province, october, &none).await.unwrap();
    assert!(empty.tables.iter().all(|t| t.total.current == InvestmentFigures::default()));
}
