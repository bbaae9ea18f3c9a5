//! `zhaoshang stats chambers` (先进商会) on data it was not designed for: random chambers,
//! projects (source organisation, lead, signing and stage), funding and activities,
//! written through the imports, against a straightforward computation of SPEC.md's
//! definitions written here; on both backends. Also the chambers import itself.

use zhaoshang_testkit::on_both_backends;

use chrono::{Datelike, Duration, NaiveDate};
use std::collections::{BTreeMap, HashSet};
use zhaoshang_app::chambers::assessment;
use zhaoshang_app::exchange::{export_table, import_bytes, write_table, ImportKind, ImportReport, TableFormat};
use zhaoshang_store::listing::ProjectFilter;
use zhaoshang_store::{Actor, Store};

on_both_backends!(
    app: random_assessments_match_a_straightforward_computation,
    chambers_import_checks_every_column_and_exports_back,
    activities_name_only_registered_chambers,
    a_new_project_without_a_lead_date_was_registered_today,
);

/// A small xorshift generator: the test's own randomness, seeded per round.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A day of 2022–2024.
    fn day(&mut self) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() + Duration::days(self.below(1096) as i64)
    }
}

fn actor() -> Actor {
    Actor::system("测试")
}

async fn import(store: &Store, kind: ImportKind, csv: &str) -> ImportReport {
    let report = import_bytes(store, kind, "t.csv", csv.as_bytes(), false, &actor()).await.unwrap();
    assert!(report.is_ok(), "{kind:?}: {:?}\n{csv}", report.problems);
    report
}

struct Project {
    code: String,
    source_org: String,
    lead_on: NaiveDate,
    stage: &'static str,
    signed_on: Option<NaiveDate>,
    /// Yuan.
    total: i64,
}

#[derive(Debug, Default, Clone, PartialEq)]
struct Expected {
    leads: i64,
    signed_count: i64,
    signed_investment: i64,
    funds: i64,
    activities: i64,
}

/// Yuan as the JSON writes 万元: two decimals at least, four at most.
fn wan(yuan: i64) -> String {
    let whole = yuan / 10_000;
    let fraction = yuan % 10_000;
    let text = format!("{whole}.{fraction:04}");
    let trimmed = text.trim_end_matches('0');
    let decimals = trimmed.len() - trimmed.find('.').unwrap() - 1;
    if decimals < 2 {
        format!("{whole}.{:02}", fraction / 100)
    } else {
        trimmed.to_string()
    }
}

fn yuan_as_wan(yuan: i64) -> String {
    format!("{}.{:04}", yuan / 10_000, yuan % 10_000)
}

async fn random_assessments_match_a_straightforward_computation(store: &Store) {
    let year = 2023;
    let weights = [0.15, 0.20, 0.25, 0.30, 0.10];
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    // The projects of earlier rounds: some change chamber in a later round (their
    // funding follows, migration 0048's trigger).
    let mut earlier: Vec<Project> = Vec::new();
    for round in 0..4 {
        // Each round adds to what the earlier rounds wrote (names are new per round).
        let count = 1 + random.below(9) as usize;
        let names: Vec<String> = (0..count).map(|i| format!("第{round}轮商会{i}")).collect();
        let mut chambers_csv = String::from("商会名称,商会类型,所在地,级别\n");
        for name in &names {
            chambers_csv.push_str(&format!("{name},异地甘肃商会,上海市,省级\n"));
        }
        import(store, ImportKind::Chambers, &chambers_csv).await;

        let mut projects = Vec::new();
        for index in 0..40 {
            let source_org = match random.below(10) {
                0 => "某投资促进局".to_string(),
                1 => String::new(),
                _ => names[random.below(names.len() as u64) as usize].clone(),
            };
            let stage = ["线索", "洽谈", "签约", "开工", "投产", "终止"][random.below(6) as usize];
            let signed = matches!(stage, "签约" | "开工" | "投产") || (stage == "终止" && random.chance(50));
            let signed_on = signed.then(|| random.day());
            projects.push(Project {
                code: format!("R{round}-{index:03}"),
                source_org,
                lead_on: random.day(),
                stage,
                signed_on,
                total: if signed { 1 + random.below(5_000_000_000) as i64 } else { 0 },
            });
        }
        let mut projects_csv = String::from(
            "项目编号,项目名称,所属地区,项目阶段,线索日期,签约日期,开工日期,投产日期,总投资(万元),来源单位,终止原因\n",
        );
        let mut moved = Vec::new();
        for _ in 0..earlier.len().min(5) {
            let mut project = earlier.swap_remove(random.below(earlier.len() as u64) as usize);
            project.source_org = if random.chance(20) {
                String::new()
            } else {
                names[random.below(names.len() as u64) as usize].clone()
            };
            moved.push(project);
        }
        for p in projects.iter().chain(&moved) {
            let signed = p.signed_on.map(|d| d.to_string()).unwrap_or_default();
            let started = if matches!(p.stage, "开工" | "投产") { signed.clone() } else { String::new() };
            let producing = if p.stage == "投产" { signed.clone() } else { String::new() };
            let total = if p.total > 0 { yuan_as_wan(p.total) } else { String::new() };
            let reason = if p.stage == "终止" { "撤资" } else { "" };
            projects_csv.push_str(&format!(
                "{},随机项目{},620503,{},{},{signed},{started},{producing},{total},{},{reason}\n",
                p.code, p.code, p.stage, p.lead_on, p.source_org
            ));
        }
        import(store, ImportKind::Projects, &projects_csv).await;

        let mut funding_csv = String::from("项目编号,到位日期,到位金额(万元)\n");
        let mut funding = Vec::new();
        let mut seen = HashSet::new();
        // Odd rounds write more than `PAUSE_SUMS_FROM` records: the bulk path that adds
        // the sums grouped.
        for _ in 0..if round % 2 == 0 { 60 } else { 150 } {
            let project = random.below(projects.len() as u64) as usize;
            let (day, amount) = (random.day(), 1 + random.below(300_000_000) as i64);
            if seen.insert((project, day, amount)) {
                funding_csv.push_str(&format!("{},{day},{}\n", projects[project].code, yuan_as_wan(amount)));
                funding.push((project, day, amount));
            }
        }
        import(store, ImportKind::Funding, &funding_csv).await;

        let mut activities_csv = String::from("活动名称,开始日期,参与商会\n");
        let mut activities = Vec::new();
        for index in 0..8 {
            let start = random.chance(85).then(|| random.day());
            let mut taking_part: Vec<String> = Vec::new();
            for _ in 0..random.below(4) {
                let name = &names[random.below(names.len() as u64) as usize];
                if !taking_part.contains(name) {
                    taking_part.push(name.clone());
                }
            }
            let separator = if index % 2 == 0 { "、" } else { ";" };
            activities_csv.push_str(&format!(
                "第{round}轮活动{index},{},{}\n",
                start.map(|d| d.to_string()).unwrap_or_default(),
                taking_part.join(separator)
            ));
            activities.push((start, taking_part));
        }
        import(store, ImportKind::Activities, &activities_csv).await;

        // The straightforward computation, over everything written so far.
        let in_year = |day: NaiveDate| day.year() == year;
        let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
        let registry = store.all_chambers().await.unwrap();
        for chamber in &registry {
            expected.insert(chamber.data.name.clone(), Expected::default());
        }
        let all_projects =
            store.list_projects(&ProjectFilter::default(), Default::default(), 100_000, 0).await.unwrap();
        let all_funding = store.all_funding("", None).await.unwrap();
        for project in &all_projects {
            let Some(figures) = expected.get_mut(&project.data.source_org) else { continue };
            let d = &project.data;
            if d.lead_on.is_some_and(in_year) {
                figures.leads += 1;
            }
            if d.signed_on.is_some_and(in_year) && d.stage != "dropped" {
                figures.signed_count += 1;
                figures.signed_investment += d.total_investment;
            }
            figures.funds += all_funding
                .iter()
                .filter(|f| f.project_id == project.id && in_year(f.funded_on))
                .map(|f| f.amount)
                .sum::<i64>();
        }
        for activity in store.activities().await.unwrap() {
            if activity.start_on.is_some_and(in_year) {
                for name in &activity.chambers {
                    expected.get_mut(name).unwrap().activities += 1;
                }
            }
        }
        // This round's own bookkeeping agrees with what the store holds.
        for (index, p) in projects.iter().chain(&moved).enumerate() {
            let stored = all_projects.iter().find(|s| s.data.code == p.code).unwrap();
            let (lead_on, signed_on, source_org) =
                (stored.data.lead_on, stored.data.signed_on, &stored.data.source_org);
            assert_eq!((lead_on, signed_on, source_org), (Some(p.lead_on), p.signed_on, &p.source_org), "{index}");
        }
        assert_eq!(
            funding.len(),
            all_funding.iter().filter(|f| f.project_code.starts_with(&format!("R{round}-"))).count()
        );
        assert_eq!(activities.len(), 8);

        let values: Vec<(String, [f64; 5])> = expected
            .iter()
            .map(|(name, e)| {
                (
                    name.clone(),
                    [
                        e.leads as f64,
                        e.signed_count as f64,
                        e.signed_investment as f64,
                        e.funds as f64,
                        e.activities as f64,
                    ],
                )
            })
            .collect();
        let mut scores: Vec<(String, f64)> = values
            .iter()
            .map(|(name, own)| {
                let mut score = 0.0;
                for k in 0..5 {
                    let min = values.iter().map(|(_, v)| v[k]).fold(f64::INFINITY, f64::min);
                    let max = values.iter().map(|(_, v)| v[k]).fold(f64::NEG_INFINITY, f64::max);
                    let scaled = if max == min { 100.0 } else { 60.0 + 40.0 * (own[k] - min) / (max - min) };
                    score += weights[k] * scaled;
                }
                (name.clone(), score)
            })
            .collect();
        scores.sort_by(|(a_name, a), (b_name, b)| {
            let by_score = if (a - b).abs() < 1e-9 { std::cmp::Ordering::Equal } else { b.partial_cmp(a).unwrap() };
            by_score.then(expected[b_name].funds.cmp(&expected[a_name].funds)).then(a_name.cmp(b_name))
        });

        let report = serde_json::to_value(assessment(store, year).await.unwrap()).unwrap();
        assert_eq!(report["year"], year);
        assert_eq!(
            report["weights"],
            serde_json::json!({"leads": 0.15, "signed_count": 0.2, "signed_investment_wan": 0.25, "funds_in_place_wan": 0.3, "activities": 0.1})
        );
        let items = report["items"].as_array().unwrap();
        assert_eq!(items.len(), registry.len(), "every chamber of the registry is listed");
        for (rank, ((name, score), item)) in scores.iter().zip(items).enumerate() {
            let e = &expected[name];
            assert_eq!(item["chamber"], name.as_str(), "round {round}, rank {}", rank + 1);
            assert_eq!(item["rank"], rank + 1);
            assert_eq!(item["leads"], e.leads, "{name}");
            assert_eq!(item["signed_count"], e.signed_count, "{name}");
            assert_eq!(item["signed_investment_wan"], wan(e.signed_investment), "{name}");
            assert_eq!(item["funds_in_place_wan"], wan(e.funds), "{name}");
            assert_eq!(item["activities"], e.activities, "{name}");
            let shown = item["score"].as_f64().unwrap();
            let cents = score * 100.0;
            // Half a cent exactly is rounded up; anywhere else the nearest cent.
            let expected_score =
                if (cents - cents.floor() - 0.5).abs() < 1e-6 { cents.ceil() } else { cents.round() } / 100.0;
            assert_eq!(shown, expected_score, "{name}: unrounded {score}");
        }
        earlier.extend(projects);
        earlier.extend(moved);
    }
    // A restore refills the chambers' monthly funds (they are derived, not backed up).
    let before = serde_json::to_value(assessment(store, year).await.unwrap()).unwrap();
    let (backup, _) = store.backup_to(Vec::new()).await.unwrap();
    store.restore_from(&backup[..], &actor()).await.unwrap();
    assert_eq!(serde_json::to_value(assessment(store, year).await.unwrap()).unwrap(), before);
}

async fn chambers_import_checks_every_column_and_exports_back(store: &Store) {
    let good = "商会名称,商会类型,所在地,级别,会长,联系人,联系电话,招商联络处,会员企业数\n\
                上海市甘肃商会,异地甘肃商会,上海市,省级,王会长,李联络,021-88888888,是,320\n\
                新加坡甘肃商会,境外商协会,境外：新加坡,国家级,,,,否,\n\
                深圳市甘肃商会,异地甘肃商会,440300,市级,,,,,\"1,200\"\n";
    let report = import(store, ImportKind::Chambers, good).await;
    assert_eq!((report.created, report.updated, report.unchanged), (3, 0, 0));
    let all = store.all_chambers().await.unwrap();
    let shanghai = all.iter().find(|c| c.data.name == "上海市甘肃商会").unwrap();
    assert_eq!(
        (shanghai.data.kind.as_str(), shanghai.data.location.as_str(), shanghai.data.level.as_str()),
        ("gansu_elsewhere", "310000", "provincial")
    );
    assert!(shanghai.data.liaison_office);
    assert_eq!(shanghai.data.members, Some(320));
    let singapore = all.iter().find(|c| c.data.name == "新加坡甘肃商会").unwrap();
    assert_eq!(singapore.data.location, "境外：新加坡");

    let bad = "商会名称,商会类型,所在地,级别,联系电话,招商联络处,会员企业数\n\
               甲商会,俱乐部,上海市,省级,,,\n\
               乙商会,地方商会,火星,省级,,,\n\
               丙商会,地方商会,境外,乡级,,,\n\
               丁商会,地方商会,,,找会长,也许,-3\n\
               ,地方商会,,,,,\n\
               甲商会,地方商会,,,,,\n";
    let report = import_bytes(store, ImportKind::Chambers, "bad.csv", bad.as_bytes(), false, &actor()).await.unwrap();
    let cells: Vec<(usize, &str)> = report.problems.iter().map(|p| (p.row, p.column.as_str())).collect();
    assert_eq!(
        cells,
        [
            (2, "商会类型"),
            (3, "所在地"),
            (4, "级别"),
            (4, "所在地"),
            (5, "联系电话"),
            (5, "招商联络处"),
            (5, "会员企业数"),
            (6, "商会名称"),
            (7, "商会名称")
        ]
    );
    assert!(report.problems.iter().all(|p| !p.message.is_empty()));
    assert_eq!(store.all_chambers().await.unwrap().len(), 3, "a file with a bad row changes nothing");

    let table = export_table(store, ImportKind::Chambers, &ProjectFilter::default()).await.unwrap();
    assert_eq!(table.headers[..3], ["商会名称", "商会类型", "所在地"]);
    for format in [TableFormat::Csv, TableFormat::Xlsx] {
        let bytes = write_table(&table, format).unwrap();
        let name = format!("back.{}", format.extension());
        let report = import_bytes(store, ImportKind::Chambers, &name, &bytes, false, &actor()).await.unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
        assert_eq!((report.created, report.updated, report.unchanged), (0, 0, 3), "{format:?}");
    }
}

async fn activities_name_only_registered_chambers(store: &Store) {
    import(store, ImportKind::Chambers, "商会名称\n甲商会\n乙商会\n").await;
    import(store, ImportKind::Activities, "活动名称,开始日期,参与商会\n推介会,2023-05-01,乙商会；甲商会\n").await;
    let activity = store.activity_by_name("推介会").await.unwrap().unwrap();
    assert_eq!(activity.chambers, ["乙商会", "甲商会"], "in the order named");

    let unknown = "活动名称,参与商会\n推介会,甲商会、丙商会\n";
    let report =
        import_bytes(store, ImportKind::Activities, "a.csv", unknown.as_bytes(), false, &actor()).await.unwrap();
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].column, "参与商会");
    assert!(report.problems[0].message.contains("丙商会") && report.problems[0].message.contains("商会名录"));

    // Absent column keeps them, an empty cell clears them.
    import(store, ImportKind::Activities, "活动名称,地点\n推介会,上海\n").await;
    assert_eq!(store.activity_by_name("推介会").await.unwrap().unwrap().chambers.len(), 2);
    import(store, ImportKind::Activities, "活动名称,参与商会\n推介会,\n").await;
    assert!(store.activity_by_name("推介会").await.unwrap().unwrap().chambers.is_empty());
}

async fn a_new_project_without_a_lead_date_was_registered_today(store: &Store) {
    import(store, ImportKind::Projects, "项目编号,项目名称,所属地区\nL-1,新线索,620503\n").await;
    let today = zhaoshang_app::calendar::today();
    assert_eq!(store.project_by_code("L-1").await.unwrap().unwrap().data.lead_on, Some(today));
    // A stored project keeps its date when the column is absent, and takes a given one.
    import(store, ImportKind::Projects, "项目编号,项目名称,所属地区\nL-1,改名,620503\n").await;
    assert_eq!(store.project_by_code("L-1").await.unwrap().unwrap().data.lead_on, Some(today));
    import(store, ImportKind::Projects, "项目编号,项目名称,所属地区,线索日期\nL-1,改名,620503,2023年3月2日\n").await;
    let lead_on = store.project_by_code("L-1").await.unwrap().unwrap().data.lead_on;
    assert_eq!(lead_on, NaiveDate::from_ymd_opt(2023, 3, 2));
}
