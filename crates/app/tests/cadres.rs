//! 以招商引资论英雄 on data it was not designed for: random projects of two cities (their
//! 责任单位, 包抓领导 and 责任人 drawn from small pools, some left empty), lead dates,
//! signings, stages and funding, imported as files; each key's ranking for the year and
//! for the year to a quarter's end checked against a plain computation of the figures from
//! the generated rows, ranked by core's rule; a city's ranking holds only its projects;
//! a region user reads only its own city. On both backends.

use chrono::{Duration, NaiveDate};
use std::collections::BTreeMap;
use zhaoshang_app::evaluation::cadres::CadreQuery;
use zhaoshang_app::exchange::{import_bytes, ImportKind};
use zhaoshang_app::search::SearchIndex;
use zhaoshang_app::{App, AppError};
use zhaoshang_core::access::{Principal, Role};
use zhaoshang_core::evaluation::cadres::{rank, CadreFigures, CadreKey};
use zhaoshang_core::metrics::Period;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::{Actor, Store};
use zhaoshang_testkit::on_both_backends;

on_both_backends!(app: rankings_match_a_plain_computation_of_the_rows);

/// A small xorshift generator: the test's own randomness.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    /// A day of 2022–2023.
    fn day(&mut self) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() + Duration::days(self.below(730) as i64)
    }

    fn pick<'a>(&mut self, names: &[&'a str]) -> &'a str {
        names[self.below(names.len() as u64) as usize]
    }
}

struct Row {
    region: &'static str,
    department: &'static str,
    leader: &'static str,
    owner: &'static str,
    lead_on: NaiveDate,
    stage: &'static str,
    signed_on: Option<NaiveDate>,
    /// Yuan.
    total: i64,
    /// (day, yuan).
    funding: Vec<(NaiveDate, i64)>,
}

impl Row {
    fn name_of(&self, key: CadreKey) -> &'static str {
        match key {
            CadreKey::Department => self.department,
            CadreKey::Leader => self.leader,
            CadreKey::Owner => self.owner,
            CadreKey::Registrant => unreachable!("no leads registered here"),
        }
    }
}

fn wan(yuan: i64) -> String {
    format!("{}.{:04}", yuan / 10_000, yuan % 10_000)
}

async fn import(store: &Store, kind: ImportKind, csv: &str) {
    let report = import_bytes(store, kind, "t.csv", csv.as_bytes(), false, &Actor::system("测试")).await.unwrap();
    assert!(report.is_ok(), "{kind:?}: {:?}", report.problems);
}

/// The plain computation: every member of `key` among the rows of `prefix` that have a
/// name and were signed by the period's end, registered as a lead in it, or funded from
/// a year before it to its end (the figures' 同比 reads as far back).
fn expected(rows: &[Row], key: CadreKey, prefix: &str, period: Period) -> Vec<CadreFigures> {
    let since = period.same_period_last_year().from;
    let mut members: BTreeMap<&str, CadreFigures> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.region.starts_with(prefix) && !r.name_of(key).is_empty()) {
        let signed_by_end = row.signed_on.is_some_and(|d| d <= period.to);
        let lead_in_period = period.contains(row.lead_on);
        let funded = row.funding.iter().any(|(d, _)| since <= *d && *d <= period.to);
        if !signed_by_end && !lead_in_period && !funded {
            continue;
        }
        let name = row.name_of(key);
        let member =
            members.entry(name).or_insert_with(|| CadreFigures { name: name.to_string(), ..Default::default() });
        member.leads += i64::from(lead_in_period);
        if row.stage != "终止" && row.signed_on.is_some_and(|d| period.contains(d)) {
            member.signed_count += 1;
            member.signed_investment += row.total;
        }
        member.funds_in_place += row.funding.iter().filter(|(d, _)| period.contains(*d)).map(|(_, a)| a).sum::<i64>();
    }
    members.into_values().collect()
}

async fn rankings_match_a_plain_computation_of_the_rows(store: &Store) {
    let mut random = Random(0x2545_F491_4F6C_DD1D);
    let departments = ["白银市投资促进局", "白银市工信局", "天水市商务局", ""];
    let leaders = ["王副市长", "李副市长", ""];
    let owners = ["张三", "李四", "王五", "赵六", ""];
    let mut rows = Vec::new();
    for _ in 0..120 {
        let stage = ["线索", "洽谈", "签约", "开工", "投产", "终止"][random.below(6) as usize];
        let signed = matches!(stage, "签约" | "开工" | "投产") || (stage == "终止" && random.below(2) == 0);
        let lead_on = random.day();
        let signed_on = signed.then(|| lead_on + Duration::days(random.below(200) as i64));
        let funding = if signed {
            let mut days: Vec<(NaiveDate, i64)> = (0..random.below(4))
                .map(|i| (random.day().max(lead_on) + Duration::days(i as i64), 1 + random.below(50_000_000) as i64))
                .collect();
            days.dedup();
            days
        } else {
            Vec::new()
        };
        rows.push(Row {
            region: ["620402", "620403", "620503"][random.below(3) as usize],
            department: random.pick(&departments),
            leader: random.pick(&leaders),
            owner: random.pick(&owners),
            lead_on,
            stage,
            signed_on,
            total: if signed { 1 + random.below(3_000_000_000) as i64 } else { 0 },
            funding,
        });
    }
    let mut projects = String::from(
        "项目编号,项目名称,所属地区,项目阶段,线索日期,签约日期,开工日期,投产日期,总投资(万元),责任单位,包抓领导,责任人,终止原因\n",
    );
    let mut funding = String::from("项目编号,到位日期,到位金额(万元)\n");
    for (index, row) in rows.iter().enumerate() {
        let signed = row.signed_on.map(|d| d.to_string()).unwrap_or_default();
        let started = if matches!(row.stage, "开工" | "投产") { signed.clone() } else { String::new() };
        let producing = if row.stage == "投产" { signed.clone() } else { String::new() };
        let total = if row.total > 0 { wan(row.total) } else { String::new() };
        let reason = if row.stage == "终止" { "撤资" } else { "" };
        projects.push_str(&format!(
            "C{index:03},干部项目{index},{},{},{},{signed},{started},{producing},{total},{},{},{},{reason}\n",
            row.region, row.stage, row.lead_on, row.department, row.leader, row.owner
        ));
        for (day, amount) in &row.funding {
            funding.push_str(&format!("C{index:03},{day},{}\n", wan(*amount)));
        }
    }
    import(store, ImportKind::Projects, &projects).await;
    import(store, ImportKind::Funding, &funding).await;

    let app = App::new(store.clone(), SearchIndex::open(store).await.unwrap());
    let admin = Principal { user_id: 1, username: "admin".into(), role: Role::Admin, region: None };
    let query = |by: CadreKey, region: &str, quarter: &str| CadreQuery {
        by: Some(by.key().into()),
        region: Some(region.into()),
        year: Some("2023".into()),
        quarter: Some(quarter.into()),
        ..Default::default()
    };
    let day = |text: &str| text.parse::<NaiveDate>().unwrap();
    let mut checked = 0;
    for key in [CadreKey::Department, CadreKey::Owner, CadreKey::Leader] {
        for (region, prefix) in [("620000", "62"), ("620400", "6204")] {
            for (quarter, to) in [("", "2023-12-31"), ("2", "2023-06-30")] {
                let period = Period { from: day("2023-01-01"), to: day(to) };
                let ranking = app.cadre_ranking(&admin, &query(key, region, quarter)).await.unwrap();
                assert_eq!(ranking.period, period);
                // No appeals here: the departments' are read, and none found.
                assert_eq!(ranking.reads_appeals, key.handles_appeals());
                let want = rank(key, expected(&rows, key, prefix, period));
                let got: Vec<_> = ranking.items.iter().map(|i| (&i.figures, i.rank, i.shown_score())).collect();
                let want: Vec<_> = want.iter().map(|i| (&i.figures, i.rank, i.shown_score())).collect();
                assert_eq!(got, want, "{key:?} in {region} to {to}");
                assert!(!ranking.items.iter().any(|i| i.figures.name.is_empty()), "the empty name is not ranked");
                checked += ranking.items.len();
            }
        }
    }
    assert!(checked > 30, "the rankings hold members: {checked}");

    // A member's own page: its rows add up to its figures.
    let mut person = query(CadreKey::Owner, "620000", "");
    person.name = Some("张三".into());
    let results = app.cadre_results(&admin, &person).await.unwrap();
    let item = results.item();
    assert_eq!(results.signed.len() as i64, item.figures.signed_count);
    assert_eq!(results.signed.iter().map(|p| p.data.total_investment).sum::<i64>(), item.figures.signed_investment);
    assert_eq!(results.funding.iter().map(|(f, _)| f.amount.0).sum::<i64>(), item.figures.funds_in_place);
    assert_eq!(results.leads.len() as i64, item.figures.leads);
    assert!(results.signed.iter().all(|p| p.data.owner == "张三"));
    person.name = Some("无名氏".into());
    assert!(matches!(app.cadre_results(&admin, &person).await, Err(AppError::NotFound(_))));

    // A region user: its own city only; bad requests are refused, not failed.
    let baiyin = Principal {
        user_id: 2,
        username: "baiyin".into(),
        role: Role::Region,
        region: Some(RegionCode::parse("620400").unwrap()),
    };
    assert!(matches!(
        app.cadre_ranking(&baiyin, &query(CadreKey::Owner, "620500", "")).await,
        Err(AppError::Forbidden)
    ));
    let mut own_city = query(CadreKey::Department, "", "");
    own_city.region = None;
    let own = app.cadre_ranking(&baiyin, &own_city).await.unwrap();
    assert_eq!(own.region.as_str(), "620400", "its own city by default");
    let admins = app.cadre_ranking(&admin, &query(CadreKey::Department, "620400", "")).await.unwrap();
    assert_eq!(own.items, admins.items);
    for (by, year, quarter) in [("chamber", "2023", ""), ("owner", "二〇二三", ""), ("owner", "2023", "5")] {
        let bad = CadreQuery {
            by: Some(by.into()),
            year: Some(year.into()),
            quarter: Some(quarter.into()),
            ..Default::default()
        };
        assert!(matches!(app.cadre_ranking(&admin, &bad).await, Err(AppError::BadRequest(_))), "{by} {year} {quarter}");
    }
}
