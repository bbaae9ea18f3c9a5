//! Business-environment appeals at scale (issue 22): scale 1.0 is 1,000,000 appeals
//! received over the five years 2020–2024 across the province's counties, with due
//! dates by the official calendar and every outcome (answered on time or late, open
//! and overdue, closed and rated). Times `stats appeals` for the province and a year,
//! the 督办 list of overdue appeals, and an import of new appeals whose due dates are
//! computed on the way; checks each answer against the generated appeals read plainly.

use crate::report::{Row, Target, IMPORT_TARGET, LIST_TARGET, STATS_TARGET};
use crate::{measure, Bench, Config};
use chrono::{Days, NaiveDate};
use std::time::Instant;
use zhaoshang_app::appeals::appeal_report;
use zhaoshang_app::exchange::{import_file, ImportKind};
use zhaoshang_core::appeals::{due_on, AppealCounts, AppealReport, AppealStatus, Dimension, Rating, CATEGORIES};
use zhaoshang_core::calendar::Calendar;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::appeals::{AppealData, AppealFilter, AppealSort};
use zhaoshang_store::Actor;

pub const APPEALS_AT_SCALE_1: f64 = 1_000_000.0;
/// Issue 22: `stats appeals` for the province and a year under 50 ms p95, the
/// supervision list of overdue appeals under 30 ms.
pub const APPEAL_STATS_TARGET: Target = STATS_TARGET;
pub const OVERDUE_LIST_TARGET: Target = LIST_TARGET;
const LOAD_BATCH: usize = 10_000;
const FIRST_DAY: (i32, u32, u32) = (2020, 1, 1);
/// 2020–2024.
const DAYS: u64 = 1_827;
/// The day the 督办 list is read on (fixed, so every run sees the same list).
const SUPERVISION_DAY: (i32, u32, u32) = (2025, 1, 15);
const PAGE: i64 = 50;

fn day(ymd: (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(ymd.0, ymd.1, ymd.2).expect("a valid day")
}

fn mix(index: u64, salt: u64) -> u64 {
    let mut z = index.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(salt.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Appeal number `index`, received on `first + offset` days: in one of `counties`, a
/// dimension and category each, a limit of 3 to 10 working days; 3 in 100 still open,
/// the others answered after 1 to limit + 3 working days (some late), most closed a few
/// days later and rated.
fn appeal(code: String, index: u64, received_on: NaiveDate, counties: &[String], calendar: &Calendar) -> AppealData {
    let limit = 3 + mix(index, 1) % 8;
    let mut data = AppealData {
        code,
        enterprise: format!("基准企业{}", mix(index, 2) % 50_000),
        region_code: counties[(mix(index, 3) % counties.len() as u64) as usize].clone(),
        dimension: Dimension::ALL[(mix(index, 4) % 5) as usize].key().to_string(),
        category: CATEGORIES[(mix(index, 5) % CATEGORIES.len() as u64) as usize].to_string(),
        content: "基准诉求内容".into(),
        received_on,
        department: format!("承办部门{}", mix(index, 6) % 40),
        limit_days: limit as i64,
        ..Default::default()
    };
    data.reckon_due(calendar);
    if mix(index, 7) % 100 >= 3 {
        let working_days = 1 + mix(index, 8) % (limit + 3);
        let answered = due_on(calendar, received_on, working_days as u32).value;
        data.answered_on = Some(answered);
        if mix(index, 9) % 10 < 8 {
            data.closed_on = Some(answered + Days::new(mix(index, 10) % 6));
            data.rating = match mix(index, 11) % 10 {
                0..=5 => Rating::Satisfied.key().to_string(),
                6..=7 => Rating::FairlySatisfied.key().to_string(),
                8 => Rating::Dissatisfied.key().to_string(),
                _ => String::new(),
            };
        }
    }
    data
}

/// `stats appeals` read plainly from the generated appeals, by SPEC.md's definitions.
fn reference_report(all: &[AppealData], region: &str, from: NaiveDate, to: NaiveDate) -> AppealReport {
    let mut counts: Vec<(Dimension, AppealCounts)> =
        Dimension::ALL.iter().map(|d| (*d, AppealCounts::default())).collect();
    for a in all.iter().filter(|a| (from..=to).contains(&a.received_on)) {
        let Some((_, c)) = counts.iter_mut().find(|(d, _)| d.key() == a.dimension) else { continue };
        let answered = a.answered_on.filter(|day| *day <= to);
        let closed = a.closed_on.filter(|day| *day <= to);
        c.received += 1;
        c.answered += i64::from(answered.is_some());
        c.on_time += i64::from(answered.is_some_and(|day| day <= a.due_on));
        c.overdue += i64::from(a.due_on < to && a.answered_on.is_none_or(|day| day > a.due_on));
        c.resolved += i64::from(closed.is_some());
        c.rated += i64::from(closed.is_some() && !a.rating.is_empty());
        c.satisfied += i64::from(
            closed.is_some() && [Rating::Satisfied.key(), Rating::FairlySatisfied.key()].contains(&a.rating.as_str()),
        );
    }
    counts.retain(|(_, c)| c.received > 0);
    AppealReport::assemble(region, from, to, &counts)
}

/// The 督办 list read plainly: open and past due on `today`, by due date then code.
fn reference_overdue(all: &[AppealData], today: NaiveDate) -> (i64, Vec<String>) {
    let mut overdue: Vec<&AppealData> =
        all.iter().filter(|a| a.answered_on.is_none() && a.closed_on.is_none() && a.due_on < today).collect();
    overdue.sort_by(|a, b| (a.due_on, &a.code).cmp(&(b.due_on, &b.code)));
    (overdue.len() as i64, overdue.iter().take(PAGE as usize).map(|a| a.code.clone()).collect())
}

/// An import file of `appeals` with SPEC's Chinese headers (no due date: the import
/// computes it).
fn write_import_csv(appeals: &[AppealData], path: &std::path::Path) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_path(path)?;
    writer.write_record([
        "诉求编号",
        "企业名称",
        "所属地区",
        "诉求维度",
        "诉求类别",
        "诉求内容",
        "受理日期",
        "承办单位",
        "办理时限(工作日)",
    ])?;
    for a in appeals {
        let dimension = Dimension::parse(&a.dimension).map_err(|e| anyhow::anyhow!(e.to_string()))?;
        writer.write_record([
            a.code.as_str(),
            &a.enterprise,
            &a.region_code,
            dimension.label(),
            &a.category,
            &a.content,
            &a.received_on.to_string(),
            &a.department,
            &a.limit_days.to_string(),
        ])?;
    }
    writer.flush()?;
    Ok(())
}

impl Bench<'_> {
    /// Loads the appeals, times the figures, the overdue list and an import, and
    /// checks each against the plain reading.
    pub(crate) async fn appeals(&mut self, config: &Config) -> anyhow::Result<()> {
        let store = self.store;
        let counties = crate::province_counties(store).await?;
        let calendar = Calendar::new(store.calendar_days().await?);
        let count = (APPEALS_AT_SCALE_1 * config.appeal_scale).round().max(1000.0) as u64;
        let first = day(FIRST_DAY);
        let all: Vec<AppealData> = (0..count)
            .map(|i| {
                let received = first + Days::new(i * DAYS / count);
                appeal(format!("BA{i:07}"), i, received, &counties, &calendar)
            })
            .collect();
        let actor = Actor::system("基准测试");
        let started = Instant::now();
        for batch in all.chunks(LOAD_BATCH) {
            store.upsert_appeals(batch, &actor).await?;
        }
        self.notes.push(format!(
            "appeals: {count} received 2020–2024 over {} counties, loaded in {:.1} s through the audited upsert",
            counties.len(),
            started.elapsed().as_secs_f64()
        ));

        let province = RegionCode::parse("620000")?;
        let (from, to) = (day((2024, 1, 1)), day((2024, 12, 31)));
        let label = format!("stats appeals 620000, 2024, of {count}");
        let (samples, report) =
            measure::time_runs(self.runs, async || Ok(appeal_report(store, &province, from, to).await?)).await?;
        self.checks.equal(
            format!("{label}: = the appeals read plainly"),
            &report,
            &reference_report(&all, "620000", from, to),
        );
        self.push(label, samples, None, APPEAL_STATS_TARGET);

        let today = day(SUPERVISION_DAY);
        let overdue = AppealFilter {
            region_prefix: province.scope_prefix().to_string(),
            status: Some(AppealStatus::Overdue),
            today,
            ..Default::default()
        };
        let label = format!("督办 list: overdue appeals of the province, first {PAGE} and the count, of {count}");
        let (samples, (total, page)) = measure::time_runs(self.runs, async || {
            let (page, total) = tokio::try_join!(
                store.list_appeals(&overdue, AppealSort::DueAsc, PAGE, 0),
                store.count_appeals(&overdue)
            )?;
            Ok((total, page.into_iter().map(|a| a.data.code).collect::<Vec<_>>()))
        })
        .await?;
        self.checks.equal(
            format!("{label}: = the appeals read plainly"),
            &(total, page),
            &reference_overdue(&all, today),
        );
        self.push(label, samples, None, OVERDUE_LIST_TARGET);

        // New appeals of 2025, their due dates computed by the import.
        let rows = config.import_rows.min(count);
        let fresh: Vec<AppealData> = (0..rows)
            .map(|i| {
                let received = day((2025, 1, 1)) + Days::new(i * 365 / rows);
                appeal(format!("BI{i:07}"), count + i, received, &counties, &calendar)
            })
            .map(|a| AppealData { answered_on: None, closed_on: None, rating: String::new(), ..a })
            .collect();
        let csv = config.work_dir.join("bench-appeals.csv");
        write_import_csv(&fresh, &csv)?;
        let started = Instant::now();
        let report = import_file(store, ImportKind::Appeals, &csv, false, &actor).await?;
        let samples = measure::Samples::new(vec![started.elapsed()]);
        self.checks.record(
            format!("import {rows} appeal rows: every row created"),
            report.applied && report.created as u64 == rows,
            || crate::import_detail(&report),
        );
        let sample: Vec<String> = fresh.iter().step_by((rows as usize / 50).max(1)).map(|a| a.code.clone()).collect();
        let stored: Vec<(String, NaiveDate)> =
            store.appeals_by_codes(&sample).await?.into_iter().map(|a| (a.data.code, a.data.due_on)).collect();
        let mut expected: Vec<(String, NaiveDate)> =
            fresh.iter().filter(|a| sample.contains(&a.code)).map(|a| (a.code.clone(), a.due_on)).collect();
        expected.sort();
        let mut stored = stored;
        stored.sort();
        self.checks.equal(format!("import {rows} appeal rows: due dates by the official calendar"), &stored, &expected);
        self.rows.push(Row {
            operation: format!("import {rows} appeal rows (CSV), due dates computed"),
            samples,
            reference: None,
            target: IMPORT_TARGET,
            rows_written: Some(rows),
        });

        // The due dates alone, as the import reckons them: their share of its time.
        let mut reckoned: Vec<AppealData> =
            fresh.iter().map(|a| AppealData { due_on: a.received_on, ..a.clone() }).collect();
        let started = Instant::now();
        for appeal in &mut reckoned {
            appeal.reckon_due(&calendar);
        }
        let samples = measure::Samples::new(vec![started.elapsed()]);
        self.checks.equal(
            format!("{rows} due dates reckoned alone = the import's (checked above)"),
            &reckoned.iter().map(|a| a.due_on).collect::<Vec<_>>(),
            &fresh.iter().map(|a| a.due_on).collect::<Vec<_>>(),
        );
        self.rows.push(Row {
            operation: format!("due dates of {rows} appeals by the official calendar (the import's part)"),
            samples,
            reference: None,
            target: IMPORT_TARGET,
            rows_written: Some(rows),
        });
        Ok(())
    }
}
