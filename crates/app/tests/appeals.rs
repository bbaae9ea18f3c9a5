//! Business-environment appeals on both backends: the import's rules and scope, each
//! count of `stats appeals` at its edges, and random appeals across the holidays whose
//! exported due dates and figures are checked against a plain computation written here
//! from the holiday list, independently of core::calendar and the SQL.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeSet, HashMap};
use zhaoshang_app::appeals::appeal_report;
use zhaoshang_app::exchange::{export_table, import_bytes, import_bytes_in_scope, ImportKind, ImportScope};
use zhaoshang_app::search::SearchIndex;
use zhaoshang_core::calendar::{DayKind, NoticeDay};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::audit::AuditFilter;
use zhaoshang_store::listing::ProjectFilter;
use zhaoshang_store::{Actor, Store};
use zhaoshang_testkit::on_both_backends;

on_both_backends!(
    app: rows_are_checked_and_upserted_by_code,
    region_users_import_only_their_regions_appeals,
    each_count_at_its_edges,
    random_appeals_match_a_plain_computation,
    a_new_notice_moves_the_due_dates_of_waiting_appeals,
    the_days_escalations_go_to_the_robot,
);

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

const HEADER: &str =
    "诉求编号,企业名称,所属地区,诉求维度,诉求内容,受理日期,办理时限(工作日),答复日期,办结日期,企业评价";

async fn import(store: &Store, rows: &str) -> zhaoshang_app::exchange::ImportReport {
    let csv = format!("{HEADER}\n{rows}");
    import_bytes(store, ImportKind::Appeals, "a.csv", csv.as_bytes(), false, &Actor::system("测试")).await.unwrap()
}

async fn figures_of(store: &Store, region: &str, from: &str, to: &str) -> serde_json::Value {
    let region = RegionCode::parse(region).unwrap();
    serde_json::to_value(appeal_report(store, &region, day(from), day(to)).await.unwrap()).unwrap()
}

async fn rows_are_checked_and_upserted_by_code(store: &Store) {
    let report = import(
        store,
        "A1,甲公司,白银市,要素,用电增容,2025-01-24,,2025-01-27,2025-02-06,满意\n\
         A2,,620500,营商,,2025/13/01,0,,,很好\n\
         A3,,620500,市场环境,检查,2025-03-03,,2025-03-01,,\n\
         A4,,620500,市场环境,检查,2025-03-03,,2025-03-05,2025-03-04,\n\
         A1,,620400,政务环境,重复,2025-03-03,,,,\n",
    )
    .await;
    let cells: Vec<(usize, &str)> = report.problems.iter().map(|p| (p.row, p.column.as_str())).collect();
    assert_eq!(
        cells,
        [
            (3, "诉求维度"),
            (3, "诉求内容"),
            (3, "受理日期"),
            (3, "办理时限(工作日)"),
            (3, "企业评价"),
            (4, "答复日期"),
            (5, "办结日期"),
            (6, "诉求编号")
        ],
        "{:?}",
        report.problems
    );
    assert!(!report.applied);
    assert_eq!(store.appeal_by_code("A1").await.unwrap(), None, "a file with a bad row changes nothing");

    let report = import(store, "A1,甲公司,白银市,要素,用电增容,2025-01-24,,2025-01-27,,\n").await;
    assert!(report.applied && report.created == 1, "{:?}", report.problems);
    let stored = store.appeal_by_code("A1").await.unwrap().unwrap().data;
    // Friday 24 January 2025 + 5 working days: Sunday 26th (调休), 27th, then 5, 6, 7 February.
    assert_eq!((stored.region_code.as_str(), stored.limit_days, stored.due_on), ("620400", 5, day("2025-02-07")));
    // Absent columns keep their values, present ones change; the same row again is unchanged.
    let csv = "诉求编号,所属地区,诉求维度,诉求内容,受理日期,办结日期,企业评价\nA1,620400,要素环境,用电增容,2025-01-24,2025-02-06,基本满意\n";
    let outcome =
        import_bytes(store, ImportKind::Appeals, "b.csv", csv.as_bytes(), false, &Actor::system("测试")).await.unwrap();
    assert_eq!((outcome.updated, outcome.unchanged), (1, 0));
    let stored = store.appeal_by_code("A1").await.unwrap().unwrap().data;
    assert_eq!((stored.answered_on, stored.closed_on), (Some(day("2025-01-27")), Some(day("2025-02-06"))));
    assert_eq!((stored.enterprise.as_str(), stored.rating.as_str()), ("甲公司", "fairly_satisfied"));
    let again =
        import_bytes(store, ImportKind::Appeals, "b.csv", csv.as_bytes(), false, &Actor::system("测试")).await.unwrap();
    assert_eq!(again.unchanged, 1);

    // The export adds the due date and imports back unchanged (its computed columns ignored).
    let table = export_table(store, ImportKind::Appeals, &ProjectFilter::default()).await.unwrap();
    assert_eq!(&table.headers[table.headers.len() - 2..], ["应答复日期", "时限说明"]);
    let bytes = zhaoshang_app::exchange::write_table(&table, zhaoshang_app::exchange::TableFormat::Csv).unwrap();
    let back = import_bytes(store, ImportKind::Appeals, "e.csv", &bytes, false, &Actor::system("测试")).await.unwrap();
    assert_eq!((back.unchanged, back.warnings.len()), (1, 0), "{:?}", back.warnings);
}

async fn region_users_import_only_their_regions_appeals(store: &Store) {
    import(store, "T1,,620500,市场环境,检查,2025-03-03,,,,\n").await;
    let baiyin = ImportScope::Within(RegionCode::parse("620400").unwrap());
    let csv = format!("{HEADER}\nB1,,白银区,市场环境,检查,2025-03-03,,,,\nB2,,620500,市场环境,检查,2025-03-03,,,,\nT1,,620400,市场环境,改到白银,2025-03-03,,,,\n");
    let report = import_bytes_in_scope(
        store,
        ImportKind::Appeals,
        "s.csv",
        csv.as_bytes(),
        false,
        &Actor::system("测试"),
        &baiyin,
    )
    .await
    .unwrap();
    let cells: Vec<(usize, &str)> = report.problems.iter().map(|p| (p.row, p.column.as_str())).collect();
    assert_eq!(cells, [(3, "诉求编号"), (4, "诉求编号")]);
    assert_eq!(report.problems[0].message, report.problems[1].message, "another region's appeal and a new one alike");
    assert_eq!(store.appeal_by_code("T1").await.unwrap().unwrap().data.content, "检查");
}

async fn each_count_at_its_edges(store: &Store) {
    // Monday 3 March 2025 + 5 working days: due Monday 10 March.
    let report = import(
        store,
        "ON,,620400,政务环境,按期答复,2025-03-03,,2025-03-10,2025-03-12,满意\n\
         LATE,,620402,政务环境,逾期答复,2025-03-03,,2025-03-11,2025-03-20,不满意\n\
         AFTER,,620400,市场环境,期后答复,2025-03-03,,2025-04-01,2025-04-02,基本满意\n\
         OPEN,,620400,市场环境,未答复,2025-03-03,,,,\n\
         DUE_TO,,620400,法治环境,截止日到期,2025-03-24,,,,\n\
         RATED,,620400,创新环境,评价未办结,2025-03-03,,2025-03-04,,满意\n\
         UNRATED,,620400,创新环境,办结未评价,2025-03-03,,2025-03-04,2025-03-05,\n\
         OUTSIDE,,620400,要素环境,期外受理,2025-04-01,,2025-04-02,2025-04-03,满意\n\
         ELSEWHERE,,620500,要素环境,外地,2025-03-03,,,,\n",
    )
    .await;
    assert!(report.applied, "{:?}", report.problems);
    // DUE_TO: received Monday 24 March, due Monday 31 March, the period's last day.
    assert_eq!(store.appeal_by_code("DUE_TO").await.unwrap().unwrap().data.due_on, day("2025-03-31"));
    let r = figures_of(store, "620400", "2025-03-01", "2025-03-31").await;
    assert_eq!(r["region"], "620400");
    assert_eq!(r["received_count"], 7, "OUTSIDE was received after the period, ELSEWHERE is not in scope");
    assert_eq!(r["answered_count"], 4, "ON, LATE, RATED, UNRATED; AFTER was answered after `to`");
    assert_eq!(r["on_time_count"], 3, "ON on its due day, RATED and UNRATED early");
    assert_eq!(r["overdue_count"], 3, "LATE, AFTER and OPEN; DUE_TO is due on `to` itself");
    assert_eq!(r["resolved_count"], 3, "ON, LATE, UNRATED; AFTER closed after `to`, RATED not closed");
    assert_eq!(r["satisfaction_rate"], 0.5, "ON 满意 of ON and LATE: RATED is not closed, UNRATED not rated");
    assert_eq!(r["on_time_rate"], 3.0 / 7.0);
    assert_eq!(r["resolution_rate"], 3.0 / 7.0);
    let by = &r["by_dimension"];
    assert_eq!(by["政务环境"]["received_count"], 2);
    assert_eq!(by["政务环境"]["on_time_rate"], 0.5);
    assert_eq!(by["市场环境"]["satisfaction_rate"], serde_json::Value::Null, "nothing closed and rated by `to`");
    assert_eq!(
        by["要素环境"],
        serde_json::json!({"received_count": 0, "on_time_rate": null, "satisfaction_rate": null})
    );
    assert_eq!(by.as_object().unwrap().len(), 5);
    let empty = figures_of(store, "620100", "2025-03-01", "2025-03-31").await;
    assert_eq!((empty["received_count"].clone(), empty["on_time_rate"].clone()), (0.into(), serde_json::Value::Null));
}

/// The official calendar read straight from the shipped file: holidays, make-up days
/// and the years the notices cover.
struct PlainCalendar {
    off: BTreeSet<NaiveDate>,
    worked: BTreeSet<NaiveDate>,
    years: BTreeSet<i32>,
}

impl PlainCalendar {
    fn shipped() -> PlainCalendar {
        let mut calendar = PlainCalendar { off: BTreeSet::new(), worked: BTreeSet::new(), years: BTreeSet::new() };
        for line in include_str!("../../../data/calendar.tsv").lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let cells: Vec<&str> = line.split('\t').collect();
            let date = day(cells[0]);
            calendar.years.insert(date.year());
            if cells[1] == "holiday" {
                calendar.off.insert(date)
            } else {
                calendar.worked.insert(date)
            };
        }
        calendar
    }

    /// This calendar with a notice added.
    fn with_notice(&self, days: &[NoticeDay]) -> PlainCalendar {
        let mut calendar =
            PlainCalendar { off: self.off.clone(), worked: self.worked.clone(), years: self.years.clone() };
        for notice_day in days {
            calendar.years.insert(notice_day.day.year());
            match notice_day.kind {
                DayKind::Holiday => calendar.off.insert(notice_day.day),
                DayKind::Workday => calendar.worked.insert(notice_day.day),
            };
        }
        calendar
    }

    /// Day after day from the received day, counting the days worked.
    fn due(&self, received: NaiveDate, limit: u32) -> (NaiveDate, bool) {
        let (mut date, mut left, mut estimated) = (received, limit, false);
        while left > 0 {
            date = date + Days::new(1);
            estimated |= !self.years.contains(&date.year());
            let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
            let works = self.worked.contains(&date) || (!weekend && !self.off.contains(&date));
            if works {
                left -= 1;
            }
        }
        (date, estimated)
    }
}

#[derive(Clone)]
struct Generated {
    code: String,
    region: &'static str,
    dimension: &'static str,
    received: NaiveDate,
    limit: u32,
    answered: Option<NaiveDate>,
    closed: Option<NaiveDate>,
    rating: &'static str,
}

async fn random_appeals_match_a_plain_computation(store: &Store) {
    const REGIONS: [&str; 5] = ["620400", "620402", "620403", "620500", "620100"];
    const DIMENSIONS: [&str; 5] = ["政务环境", "市场环境", "法治环境", "创新环境", "要素环境"];
    const RATINGS: [&str; 4] = ["", "满意", "基本满意", "不满意"];
    let calendar = PlainCalendar::shipped();
    let last_year = *calendar.years.last().unwrap();
    let mut rng = StdRng::seed_from_u64(20_250_128);
    let start = day("2023-12-01");
    let span = (NaiveDate::from_ymd_opt(last_year + 1, 2, 28).unwrap() - start).num_days();
    let draw = |index: usize, rng: &mut StdRng| {
        // Half the received days fall around a festival or its make-up days.
        let received = if rng.gen_bool(0.5) {
            let anchor =
                *calendar.off.iter().chain(&calendar.worked).nth(rng.gen_range(0..calendar.off.len())).unwrap();
            anchor + Days::new(rng.gen_range(0..4)) - Days::new(rng.gen_range(0..4))
        } else {
            start + Days::new(rng.gen_range(0..span) as u64)
        };
        let limit = if rng.gen_bool(0.3) { 5 } else { rng.gen_range(1..=20) };
        let mut appeal = Generated {
            code: format!("R{index:04}"),
            region: REGIONS[rng.gen_range(0..REGIONS.len())],
            dimension: DIMENSIONS[rng.gen_range(0..DIMENSIONS.len())],
            received,
            limit,
            answered: None,
            closed: None,
            rating: RATINGS[rng.gen_range(0..RATINGS.len())],
        };
        appeal.draw_outcome(rng);
        appeal
    };
    let mut generated: Vec<Generated> = (0..600).map(|index| draw(index, &mut rng)).collect();
    let csv = rows_csv(&generated, &mut rng);
    let report =
        import_bytes(store, ImportKind::Appeals, "r.csv", csv.as_bytes(), false, &Actor::system("测试")).await.unwrap();
    assert!(report.applied && report.created == 600, "{:?}", report.problems.first());

    // Every exported due date and note.
    let table = export_table(store, ImportKind::Appeals, &ProjectFilter::default()).await.unwrap();
    let column = |key: &str| table.keys.iter().position(|k| k == key).unwrap();
    let exported: HashMap<&str, (&str, &str)> = table
        .rows
        .iter()
        .map(|row| (row[column("code")].as_str(), (row[column("due_on")].as_str(), row[column("due_note")].as_str())))
        .collect();
    let mut flagged = 0;
    let mut due_of = HashMap::new();
    for appeal in &generated {
        let (due, estimated) = calendar.due(appeal.received, appeal.limit);
        let (exported_due, note) = exported[appeal.code.as_str()];
        assert_eq!(exported_due, due.to_string(), "{} received {} + {}", appeal.code, appeal.received, appeal.limit);
        assert_eq!(!note.is_empty(), estimated, "{}: note “{note}”", appeal.code);
        flagged += usize::from(estimated);
        due_of.insert(appeal.code.clone(), due);
    }
    assert!(flagged > 0 && flagged < generated.len(), "{flagged} due dates past the last notice");

    // The figures of several scopes and periods: whole years and months, periods cut
    // inside months, ending on a month's last day or within it (the kept sums of whole
    // months and the rows at the edges, store::appeals).
    let mut periods: Vec<(NaiveDate, NaiveDate)> = [
        ("2024-01-01", "2024-12-31"),
        ("2024-09-20", "2024-10-20"),
        ("2025-01-15", "2025-02-15"),
        ("2023-01-01", "2030-12-31"),
        ("2024-03-01", "2024-05-31"),
        ("2024-02-15", "2024-11-30"),
        ("2024-04-01", "2025-01-09"),
    ]
    .into_iter()
    .map(|(from, to)| (day(from), day(to)))
    .collect();
    for _ in 0..6 {
        let from = start + Days::new(rng.gen_range(0..span) as u64);
        periods.push((from, from + Days::new(rng.gen_range(20..400))));
    }
    check_figures(store, &generated, &due_of, &periods).await;

    // Answers, closes, reopenings and moves to another region or dimension, imported
    // over the stored appeals (their kept sums move with them), then the same figures.
    for appeal in generated.iter_mut() {
        if rng.gen_bool(0.75) {
            continue;
        }
        appeal.draw_outcome(&mut rng);
        appeal.region = REGIONS[rng.gen_range(0..REGIONS.len())];
        appeal.dimension = DIMENSIONS[rng.gen_range(0..DIMENSIONS.len())];
    }
    // With them, new appeals: many (the import's bulk path, whose sums SQLite adds
    // grouped) and then a few (its insert trigger counts them).
    for (count, file) in [(150, "r.csv"), (5, "s.csv")] {
        let first = generated.len();
        for index in first..first + count {
            let appeal = draw(index, &mut rng);
            due_of.insert(appeal.code.clone(), calendar.due(appeal.received, appeal.limit).0);
            generated.push(appeal);
        }
        let csv = rows_csv(&generated, &mut rng);
        let report = import_bytes(store, ImportKind::Appeals, file, csv.as_bytes(), false, &Actor::system("测试"))
            .await
            .unwrap();
        assert!(report.applied && report.created == count, "{:?}", report.problems.first());
        check_figures(store, &generated, &due_of, &periods).await;
    }
}

impl Generated {
    /// Answered within 25 days or not yet, closed some days after its answer or not.
    fn draw_outcome(&mut self, rng: &mut StdRng) {
        self.answered = rng.gen_bool(0.8).then(|| self.received + Days::new(rng.gen_range(0..25)));
        self.closed = self.answered.filter(|_| rng.gen_bool(0.7)).map(|a| a + Days::new(rng.gen_range(0..15)));
    }
}

/// The import file of `appeals`.
fn rows_csv(appeals: &[Generated], rng: &mut StdRng) -> String {
    let mut csv = format!("{HEADER}\n");
    for (index, appeal) in appeals.iter().enumerate() {
        let text = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        // The limit column is left empty on some rows: the default of 5 applies.
        let limit = appeal.limit;
        let limit_cell = if limit == 5 && rng.gen_bool(0.5) { String::new() } else { limit.to_string() };
        csv.push_str(&format!(
            "{},企业{index},{},{},内容{index},{},{limit_cell},{},{},{}\n",
            appeal.code,
            appeal.region,
            appeal.dimension,
            appeal.received,
            text(appeal.answered),
            text(appeal.closed),
            appeal.rating
        ));
    }
    csv
}

/// `stats appeals` of every scope over `periods`, against `plain_figures`.
async fn check_figures(
    store: &Store,
    generated: &[Generated],
    due_of: &HashMap<String, NaiveDate>,
    periods: &[(NaiveDate, NaiveDate)],
) {
    for region in ["620000", "620400", "620402", "620500", "620100", "620200"] {
        for &(from, to) in periods {
            let in_scope: Vec<&Generated> = generated
                .iter()
                .filter(|a| {
                    a.region.starts_with(region.trim_end_matches("00")) && a.received >= from && a.received <= to
                })
                .collect();
            let mut expected = plain_figures(&in_scope, due_of, to);
            let object = expected.as_object_mut().unwrap();
            object.insert("region".into(), region.into());
            object.insert("from".into(), from.to_string().into());
            object.insert("to".into(), to.to_string().into());
            let actual = figures_of(store, region, &from.to_string(), &to.to_string()).await;
            assert_eq!(actual, expected, "{region} {from}–{to}");
        }
    }
}

fn rate(numerator: usize, denominator: usize) -> serde_json::Value {
    if denominator == 0 {
        serde_json::Value::Null
    } else {
        serde_json::json!(numerator as f64 / denominator as f64)
    }
}

/// `stats appeals` as SPEC.md words it, over the appeals in scope received in the period.
fn plain_figures(appeals: &[&Generated], due_of: &HashMap<String, NaiveDate>, to: NaiveDate) -> serde_json::Value {
    let figures = |appeals: &[&Generated]| {
        let mut counts = [0usize; 7];
        for a in appeals {
            let due = due_of[&a.code];
            counts[0] += 1;
            counts[1] += usize::from(a.answered.is_some_and(|d| d <= to));
            counts[2] += usize::from(a.answered.is_some_and(|d| d <= due && d <= to));
            counts[3] += usize::from(due < to && a.answered.is_none_or(|d| d > due));
            counts[4] += usize::from(a.closed.is_some_and(|d| d <= to));
            let rated = a.closed.is_some_and(|d| d <= to) && !a.rating.is_empty();
            counts[5] += usize::from(rated);
            counts[6] += usize::from(rated && a.rating != "不满意");
        }
        counts
    };
    let [received, answered, on_time, overdue, resolved, rated, satisfied] = figures(appeals);
    let mut by_dimension = serde_json::Map::new();
    for dimension in ["政务环境", "市场环境", "法治环境", "创新环境", "要素环境"] {
        let of: Vec<&Generated> = appeals.iter().copied().filter(|a| a.dimension == dimension).collect();
        let [received, _, on_time, _, _, rated, satisfied] = figures(&of);
        by_dimension.insert(
            dimension.to_string(),
            serde_json::json!({"received_count": received, "on_time_rate": rate(on_time, received), "satisfaction_rate": rate(satisfied, rated)}),
        );
    }
    serde_json::json!({
        "received_count": received, "answered_count": answered, "on_time_count": on_time,
        "on_time_rate": rate(on_time, received), "overdue_count": overdue, "resolved_count": resolved,
        "resolution_rate": rate(resolved, received), "satisfaction_rate": rate(satisfied, rated),
        "by_dimension": by_dimension,
    })
}

/// Saving the notice of a year not held before reckons again, in the same transaction
/// and audited, the due dates of the appeals still waiting for an answer whose clock
/// runs into that year; an answered appeal keeps its stored date.
async fn a_new_notice_moves_the_due_dates_of_waiting_appeals(store: &Store) {
    let before = PlainCalendar::shipped();
    let year = before.years.last().unwrap() + 1;
    // A Friday in March; the notice makes the Monday after it a holiday and the
    // Saturday after that a working day.
    let friday = NaiveDate::from_weekday_of_month_opt(year, 3, Weekday::Fri, 1).unwrap();
    let (monday, saturday) = (friday + Days::new(3), friday + Days::new(8));
    // New Year's Day or the first weekday after it, off; a clock started in the old year runs over it.
    let new_year =
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap().iter_days().find(|d| d.weekday().number_from_monday() <= 5);
    let (new_year, old_year_end) = (new_year.unwrap(), NaiveDate::from_ymd_opt(year - 1, 12, 30).unwrap());
    let report = import(
        store,
        &format!(
            "W1,甲公司,620400,要素环境,用电,{friday},5,,,\n\
             W2,乙公司,620400,要素环境,用水,{old_year_end},5,,,\n\
             A1,丙公司,620400,要素环境,用气,{friday},5,{saturday},,\n"
        ),
    )
    .await;
    assert!(report.applied, "{:?}", report.problems);
    let stored = |code: &'static str| async move {
        let data = store.appeal_by_code(code).await.unwrap().unwrap().data;
        (data.due_on, data.due_by_weekends_only)
    };
    for (code, received) in [("W1", friday), ("W2", old_year_end), ("A1", friday)] {
        assert_eq!(stored(code).await, before.due(received, 5), "{code} before the notice");
    }

    let notice = [
        NoticeDay { day: new_year, kind: DayKind::Holiday, name: "元旦".into() },
        NoticeDay { day: monday, kind: DayKind::Holiday, name: "测试假日".into() },
        NoticeDay { day: saturday, kind: DayKind::Workday, name: "测试假日".into() },
    ];
    store.save_holiday_notice(year, &notice, &Actor::system("测试")).await.unwrap();
    let after = before.with_notice(&notice);
    for (code, received) in [("W1", friday), ("W2", old_year_end)] {
        let (due, by_weekends_only) = stored(code).await;
        assert_eq!((due, by_weekends_only), after.due(received, 5), "{code} after the notice");
        assert_ne!(due, before.due(received, 5).0, "{code} moved");
    }
    // Monday off, Saturday worked: the fifth working day after the Friday is that Saturday.
    assert_eq!(stored("W1").await.0 - before.due(friday, 5).0, chrono::Duration::days(1));
    assert_eq!(stored("A1").await, before.due(friday, 5), "an answered appeal keeps its date");

    let filter = AuditFilter { per_page: 100, ..Default::default() };
    let (entries, _) = store.audit_entries(&filter).await.unwrap();
    let notice_entry = entries.iter().find(|e| e.entity == "holiday_notice").unwrap();
    let mut moved: Vec<&str> = entries
        .iter()
        .filter(|e| e.entity == "appeal" && e.action == "update")
        .inspect(|e| assert_eq!(e.at, notice_entry.at, "written in the notice's transaction"))
        .map(|e| e.entity_id.as_str())
        .collect();
    moved.sort_unstable();
    assert_eq!(moved, ["W1", "W2"]);
}

/// The robot's 督办 message of a day names the appeals that rose a level that day, the
/// province's first, and nothing else; a day without any sends none.
async fn the_days_escalations_go_to_the_robot(store: &Store) {
    // Due Friday 27 September 2024 and Thursday 10 October (5 working days each, across
    // National Day); on Friday 11 October the first is six working days late (the
    // province's), the second one (the region's supervisor's). The others are answered,
    // not yet due, or paused.
    let report = import(
        store,
        "E1,白银甲公司,620402,政务环境,审批材料反复退回,2024-09-20,5,,,\n\
         E2,天水乙公司,620502,市场环境,招标限制外地企业,2024-09-27,5,,,\n\
         E3,白银丙公司,620402,法治环境,合同纠纷,2024-09-27,5,2024-10-09,,\n\
         E4,白银丁公司,620402,要素环境,用电报装,2024-10-08,5,,,\n",
    )
    .await;
    assert!(report.applied, "{:?}", report.problems.first());
    let app = zhaoshang_app::App::new(store.clone(), SearchIndex::open(store).await.unwrap());
    let calendar = zhaoshang_core::calendar::Calendar::new(store.calendar_days().await.unwrap());
    let message = app.escalation_notice(&calendar, day("2024-10-11")).await.unwrap().expect("two escalations");
    assert_eq!(message.title, "营商环境诉求督办升级（2024-10-11，2 件）");
    assert_eq!(message.lines.len(), 2, "{:?}", message.lines);
    assert!(message.lines[0].starts_with("- 【省级督办】白银甲公司：审批材料反复退回（白银区"), "{}", message.lines[0]);
    assert!(message.lines[1].starts_with("- 【地区督办】天水乙公司：招标限制外地企业（"), "{}", message.lines[1]);
    assert!(message.lines[1].ends_with("应答复 2024-10-10）"), "{}", message.lines[1]);
    // E1 rose to the region's supervisor on its first working day late, the make-up
    // working Sunday 29 September; on Monday 14 October nothing rose.
    let before = app.escalation_notice(&calendar, day("2024-09-29")).await.unwrap().expect("one escalation");
    assert_eq!(before.lines.len(), 1, "{:?}", before.lines);
    assert!(app.escalation_notice(&calendar, day("2024-10-14")).await.unwrap().is_none());
}
