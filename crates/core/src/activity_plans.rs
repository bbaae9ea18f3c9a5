//! Activity plans (年度、季度和月度招商活动清单): each region (or a department of it) plans
//! its activities for a year, a quarter or a month as plan lines — a planned kind (one
//! of `activities::KINDS`), a planned place (a division), target enterprises, a
//! responsible person and a planned or due date. Done activities are matched to the
//! lines (`match_lines`), and each line is 已完成, 未到期 or 逾期 (`line_status`).
//!
//! The matching rule. An activity can fulfil a line when
//! - it belongs to the plan's owner: run by the owner's region (the province's plans:
//!   activities of no region or of the province itself; a city's or a county's: those
//!   of the region or the regions inside it), and, for a department's plan, organised by
//!   it (its organiser names the department);
//! - it is of the line's kind;
//! - it starts within the line's window: from the first day of the plan's period up to
//!   the line's due date;
//! - it took place at the line's place: one of the activity's places is that division or
//!   lies inside it (a line without a place takes any place).
//!
//! Each activity fulfils at most one line of a plan (a year's plan and a quarter's plan
//! of the same owner may both count it: `match_lines` is run plan by plan). Lines linked by hand to an activity take it
//! first; the other lines are served in order of due date (then of id), each taking the
//! earliest activity (by start date, then id) that can fulfil it and no line has taken.

use crate::activities::KINDS;
use crate::calendar::Calendar;
pub use crate::forms::FieldErrors;
use crate::forms::{parse_day, text};
use crate::work_plans::due_day;
use chrono::{Datelike, NaiveDate};
use std::collections::HashSet;

crate::vocabulary! {
    /// What span a plan covers.
    pub enum PeriodKind {
        Year => ("year", "年度"),
        Quarter => ("quarter", "季度"),
        Month => ("month", "月度"),
    }
}

crate::vocabulary! {
    /// Where a plan line stands (computed, never stored).
    pub enum LineStatus {
        Done => ("done", "已完成"),
        Open => ("open", "未到期"),
        Late => ("late", "逾期"),
    }
}

/// The longest department, place, person or title kept, in characters.
pub const MAX_NAME: usize = 100;
/// The longest target-enterprise list or note kept.
pub const MAX_TEXT: usize = 2_000;

/// A plan's period: `2024`, `2024Q2` or `2024-05`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PlanPeriod {
    pub kind: PeriodKind,
    pub year: i32,
    /// The quarter (1–4) or month (1–12); 0 for a year.
    pub part: u32,
}

impl PlanPeriod {
    /// Reads `2024`, `2024Q2` (or `2024q2`, `2024-Q2`) and `2024-05` (or `2024-5`); years
    /// 2000–2100.
    pub fn parse(text: &str) -> Option<PlanPeriod> {
        let text = text.trim();
        let year_of = |y: &str| y.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y));
        if let Some((year, quarter)) = text.split_once(['Q', 'q']) {
            let year = year_of(year.trim_end_matches('-'))?;
            let part = quarter.parse::<u32>().ok().filter(|q| (1..=4).contains(q))?;
            return Some(PlanPeriod { kind: PeriodKind::Quarter, year, part });
        }
        if let Some((year, month)) = text.split_once('-') {
            let part = month.parse::<u32>().ok().filter(|m| (1..=12).contains(m))?;
            return Some(PlanPeriod { kind: PeriodKind::Month, year: year_of(year)?, part });
        }
        Some(PlanPeriod { kind: PeriodKind::Year, year: year_of(text)?, part: 0 })
    }

    /// The stored key: `2024`, `2024Q2`, `2024-05`.
    pub fn key(&self) -> String {
        match self.kind {
            PeriodKind::Year => self.year.to_string(),
            PeriodKind::Quarter => format!("{}Q{}", self.year, self.part),
            PeriodKind::Month => format!("{}-{:02}", self.year, self.part),
        }
    }

    /// How offices name it: 2024年, 2024年第二季度, 2024年5月.
    pub fn label(&self) -> String {
        const QUARTERS: [&str; 4] = ["一", "二", "三", "四"];
        match self.kind {
            PeriodKind::Year => format!("{}年", self.year),
            PeriodKind::Quarter => format!("{}年第{}季度", self.year, QUARTERS[(self.part - 1) as usize]),
            PeriodKind::Month => format!("{}年{}月", self.year, self.part),
        }
    }

    /// Its first and last days.
    pub fn span(&self) -> (NaiveDate, NaiveDate) {
        let (first_month, months) = match self.kind {
            PeriodKind::Year => (1, 12),
            PeriodKind::Quarter => ((self.part - 1) * 3 + 1, 3),
            PeriodKind::Month => (self.part, 1),
        };
        let first = NaiveDate::from_ymd_opt(self.year, first_month, 1).expect("the 1st exists");
        let last = first.checked_add_months(chrono::Months::new(months)).and_then(|d| d.pred_opt()).expect("a day");
        (first, last)
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        let (first, last) = self.span();
        first <= day && day <= last
    }

    /// The year, the quarter and the month `day` falls in.
    pub fn of_day(day: NaiveDate) -> [PlanPeriod; 3] {
        [
            PlanPeriod { kind: PeriodKind::Year, year: day.year(), part: 0 },
            PlanPeriod { kind: PeriodKind::Quarter, year: day.year(), part: day.month0() / 3 + 1 },
            PlanPeriod { kind: PeriodKind::Month, year: day.year(), part: day.month() },
        ]
    }
}

/// A plan's fields as the form sends them (the owner region is checked by the service).
#[derive(Debug, Clone, Default)]
pub struct PlanForm<'a> {
    pub period: &'a str,
    pub department: &'a str,
    pub note: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanDraft {
    pub period: PlanPeriod,
    pub department: String,
    pub note: String,
}

/// Checks a plan form: the period (`2024`, `2024Q2`, `2024-05`) is required.
pub fn check_plan(form: &PlanForm) -> Result<PlanDraft, FieldErrors> {
    let mut errors = FieldErrors::new();
    let period = PlanPeriod::parse(form.period);
    if period.is_none() {
        let message = if form.period.trim().is_empty() {
            "请填写计划期间（如 2024、2024Q2 或 2024-05）".to_string()
        } else {
            format!("计划期间“{}”无效，应为年度（2024）、季度（2024Q2）或月份（2024-05）", form.period.trim())
        };
        errors.insert("period", message);
    }
    let department = text(&mut errors, "department", "责任部门", form.department, MAX_NAME, false);
    let note = text(&mut errors, "note", "备注", form.note, MAX_TEXT, false);
    match period {
        Some(period) if errors.is_empty() => Ok(PlanDraft { period, department, note }),
        _ => Err(errors),
    }
}

/// A plan line's fields as the form sends them (the place is checked by the service).
#[derive(Debug, Clone, Default)]
pub struct LineForm<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub targets: &'a str,
    pub responsible: &'a str,
    pub planned_on: &'a str,
    pub due_on: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDraft {
    pub kind: String,
    pub title: String,
    pub targets: String,
    pub responsible: String,
    pub planned_on: Option<NaiveDate>,
    pub due_on: NaiveDate,
}

/// Checks a line of a plan for `period`: the kind is one of `KINDS`; the planned date
/// and the due date, when given, fall within the period and the due date is not before
/// the planned one; the due date defaults to the planned date, else to the period's
/// last day.
pub fn check_line(form: &LineForm, period: &PlanPeriod) -> Result<LineDraft, FieldErrors> {
    let mut errors = FieldErrors::new();
    let kind = form.kind.trim();
    if !KINDS.contains(&kind) {
        errors.insert("kind", format!("请选择计划活动类型（{}）", KINDS.join("、")));
    }
    let title = text(&mut errors, "title", "活动内容", form.title, MAX_NAME, false);
    let targets = text(&mut errors, "targets", "目标企业", form.targets, MAX_TEXT, false);
    let responsible = text(&mut errors, "responsible", "责任人", form.responsible, MAX_NAME, false);
    let mut day = |field: &'static str, label: &str, value: &str| match value.trim() {
        "" => None,
        _ => {
            let day = parse_day(&mut errors, field, label, value)?;
            if !period.contains(day) {
                errors.insert(field, format!("{label}应在{}之内", period.label()));
            }
            Some(day)
        }
    };
    let planned_on = day("planned_on", "计划日期", form.planned_on);
    let due_on = day("due_on", "完成时限", form.due_on);
    let due_on = due_on.or(planned_on).unwrap_or(period.span().1);
    if planned_on.is_some_and(|planned| due_on < planned) {
        errors.insert("due_on", "完成时限不能早于计划日期".to_string());
    }
    if errors.is_empty() {
        Ok(LineDraft { kind: kind.to_string(), title, targets, responsible, planned_on, due_on })
    } else {
        Err(errors)
    }
}

/// Whose plan it is: a region (its code) and, for a department's plan, the department.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub region_code: String,
    pub department: String,
}

impl Owner {
    /// Whether an activity run by `region` (None: the province's) and organised by
    /// `organiser` is this owner's.
    pub fn runs(&self, region: Option<&str>, organiser: &str) -> bool {
        let province = self.region_code.ends_with("0000");
        let region_ok = match region {
            None => province,
            Some(region) if province => region == self.region_code,
            Some(region) => region.starts_with(scope_prefix(&self.region_code)),
        };
        region_ok && (self.department.is_empty() || organiser.contains(self.department.as_str()))
    }
}

/// The code's prefix that the divisions inside it share (`620400` → `6204`).
fn scope_prefix(code: &str) -> &str {
    let mut prefix = code;
    while prefix.len() > 2 && prefix.ends_with("00") {
        prefix = &prefix[..prefix.len() - 2];
    }
    prefix
}

/// Whether the division `inner` is `outer` or lies inside it.
pub fn division_within(inner: &str, outer: &str) -> bool {
    inner == outer || inner.starts_with(scope_prefix(outer))
}

/// A plan line as the matching reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFacts {
    pub id: i64,
    pub owner: Owner,
    pub kind: String,
    /// The first day of the plan's period.
    pub from: NaiveDate,
    pub due_on: NaiveDate,
    /// The planned division, if any.
    pub place_code: Option<String>,
    /// The activity linked by hand, if any.
    pub linked_activity: Option<i64>,
}

/// A done activity as the matching reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityFacts {
    pub id: i64,
    pub kind: String,
    pub start_on: NaiveDate,
    pub region_code: Option<String>,
    pub organiser: String,
    /// The divisions its place names.
    pub place_codes: Vec<String>,
}

/// Whether `activity` can fulfil `line` (the module's rule, without the one-line limit).
pub fn fulfils(activity: &ActivityFacts, line: &LineFacts) -> bool {
    line.owner.runs(activity.region_code.as_deref(), &activity.organiser)
        && activity.kind == line.kind
        && line.from <= activity.start_on
        && activity.start_on <= line.due_on
        && line
            .place_code
            .as_deref()
            .is_none_or(|place| activity.place_codes.iter().any(|code| division_within(code, place)))
}

/// The activity each line is fulfilled by, as (line id, activity id), in the order of
/// `lines`; a line fulfilled by none is left out. See the module's rule.
pub fn match_lines(lines: &[LineFacts], activities: &[ActivityFacts]) -> Vec<(i64, i64)> {
    let mut taken: HashSet<i64> = lines.iter().filter_map(|l| l.linked_activity).collect();
    let mut by_due: Vec<&LineFacts> = lines.iter().filter(|l| l.linked_activity.is_none()).collect();
    by_due.sort_by_key(|l| (l.due_on, l.id));
    let mut by_start: Vec<&ActivityFacts> = activities.iter().collect();
    by_start.sort_by_key(|a| (a.start_on, a.id));
    let mut matched: Vec<(i64, i64)> = Vec::new();
    for line in by_due {
        if let Some(activity) = by_start.iter().find(|a| !taken.contains(&a.id) && fulfils(a, line)) {
            taken.insert(activity.id);
            matched.push((line.id, activity.id));
        }
    }
    lines
        .iter()
        .filter_map(|line| match line.linked_activity {
            Some(activity) => Some((line.id, activity)),
            None => matched.iter().find(|(id, _)| *id == line.id).copied(),
        })
        .collect()
}

/// A line's status on `today`: done once an activity fulfils it; late when its due day on
/// the official calendar (`work_plans::due_day`: a deadline on a holiday moves to the
/// next working day) has passed without one; open before.
pub fn line_status(due_on: NaiveDate, matched: bool, today: NaiveDate, calendar: &Calendar) -> LineStatus {
    if matched {
        LineStatus::Done
    } else if today > due_day(due_on, calendar) {
        LineStatus::Late
    } else {
        LineStatus::Open
    }
}

/// Planned against done: lines, done, open and late, and the completion rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub lines: i64,
    pub done: i64,
    pub open: i64,
    pub late: i64,
}

impl Tally {
    pub fn of(statuses: impl IntoIterator<Item = LineStatus>) -> Tally {
        let mut tally = Tally::default();
        for status in statuses {
            tally.add(status);
        }
        tally
    }

    pub fn add(&mut self, status: LineStatus) {
        self.lines += 1;
        match status {
            LineStatus::Done => self.done += 1,
            LineStatus::Open => self.open += 1,
            LineStatus::Late => self.late += 1,
        }
    }

    /// The lines that are due: those done (done early counts as due) and those late.
    pub fn due(&self) -> i64 {
        self.done + self.late
    }

    /// 完成率: lines done over lines due; `None` while nothing is due.
    pub fn completion_rate(&self) -> Option<f64> {
        crate::money::ratio(self.done, self.due())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{day, official};

    fn period(text: &str) -> PlanPeriod {
        PlanPeriod::parse(text).unwrap()
    }

    #[test]
    fn periods_read_years_quarters_and_months() {
        assert_eq!(period("2024").span(), (day("2024-01-01"), day("2024-12-31")));
        assert_eq!(period("2024Q2").span(), (day("2024-04-01"), day("2024-06-30")));
        assert_eq!(period("2024-q4").key(), "2024Q4");
        assert_eq!(period("2024-5").key(), "2024-05");
        assert_eq!(period("2024-02").span(), (day("2024-02-01"), day("2024-02-29")));
        assert_eq!(period("2024Q2").label(), "2024年第二季度");
        assert_eq!(period("2024-05").label(), "2024年5月");
        for bad in ["", "24", "2024Q5", "2024-13", "1999", "2024年"] {
            assert_eq!(PlanPeriod::parse(bad), None, "{bad}");
        }
        let [year, quarter, month] = PlanPeriod::of_day(day("2024-08-06"));
        assert_eq!((year.key(), quarter.key(), month.key()), ("2024".into(), "2024Q3".into(), "2024-08".into()));
    }

    #[test]
    fn forms_check_periods_kinds_and_dates() {
        let errors = check_plan(&PlanForm { period: "2024Q9", ..Default::default() }).unwrap_err();
        assert!(errors["period"].contains("2024Q9"));
        let draft = check_plan(&PlanForm { period: " 2024Q2 ", department: "市投资促进局", note: "" }).unwrap();
        assert_eq!(draft.period.key(), "2024Q2");

        let q2 = period("2024Q2");
        let line =
            |kind, planned_on, due_on| check_line(&LineForm { kind, planned_on, due_on, ..Default::default() }, &q2);
        assert_eq!(line("外出招商", "", "").unwrap().due_on, day("2024-06-30"), "the period's last day");
        assert_eq!(line("外出招商", "2024-05-10", "").unwrap().due_on, day("2024-05-10"), "the planned day");
        assert!(line("游园", "", "").unwrap_err().contains_key("kind"));
        assert!(line("外出招商", "2024-07-01", "").unwrap_err()["planned_on"].contains("第二季度"));
        assert!(line("外出招商", "2024-05-10", "2024-05-01").unwrap_err()["due_on"].contains("不能早于"));
        assert!(line("外出招商", "", "2024-02-30").unwrap_err().contains_key("due_on"));
    }

    fn line(id: i64, region: &str, kind: &str, from: &str, due: &str, place: Option<&str>) -> LineFacts {
        LineFacts {
            id,
            owner: Owner { region_code: region.into(), department: String::new() },
            kind: kind.into(),
            from: day(from),
            due_on: day(due),
            place_code: place.map(str::to_string),
            linked_activity: None,
        }
    }

    fn activity(id: i64, region: Option<&str>, kind: &str, start: &str, places: &[&str]) -> ActivityFacts {
        ActivityFacts {
            id,
            kind: kind.into(),
            start_on: day(start),
            region_code: region.map(str::to_string),
            organiser: "白银市投资促进局".into(),
            place_codes: places.iter().map(|p| p.to_string()).collect(),
        }
    }

    const BAIYIN: &str = "620400";

    #[test]
    fn an_activity_fulfils_a_line_of_its_owner_kind_window_and_place() {
        let shanghai = line(1, BAIYIN, "外出招商", "2024-01-01", "2024-03-31", Some("310000"));
        let trip = activity(10, Some(BAIYIN), "外出招商", "2024-03-18", &["310104", "320500"]);
        assert!(fulfils(&trip, &shanghai), "a district of 上海 is inside 上海");
        assert!(fulfils(&ActivityFacts { region_code: Some("620402".into()), ..trip.clone() }, &shanghai), "a county");
        assert!(!fulfils(&ActivityFacts { region_code: Some("620500".into()), ..trip.clone() }, &shanghai), "天水's");
        assert!(!fulfils(&ActivityFacts { region_code: None, ..trip.clone() }, &shanghai), "the province's");
        assert!(!fulfils(&ActivityFacts { kind: "来访接待".into(), ..trip.clone() }, &shanghai), "another kind");
        assert!(!fulfils(&ActivityFacts { start_on: day("2024-04-01"), ..trip.clone() }, &shanghai), "after due");
        assert!(!fulfils(&ActivityFacts { start_on: day("2023-12-31"), ..trip.clone() }, &shanghai), "before");
        assert!(!fulfils(&ActivityFacts { place_codes: vec!["440300".into()], ..trip.clone() }, &shanghai));
        assert!(fulfils(
            &ActivityFacts { place_codes: vec![], ..trip.clone() },
            &LineFacts { place_code: None, ..shanghai.clone() }
        ));
        // A county's planned place takes no city-wide activity; a city's takes its counties'.
        let county = LineFacts { place_code: Some("310104".into()), ..shanghai.clone() };
        assert!(!fulfils(&ActivityFacts { place_codes: vec!["310000".into()], ..trip.clone() }, &county));

        let province = line(2, "620000", "展会节会", "2024-01-01", "2024-12-31", None);
        let fair = activity(11, None, "展会节会", "2024-07-06", &[]);
        assert!(fulfils(&fair, &province));
        assert!(!fulfils(&ActivityFacts { region_code: Some(BAIYIN.into()), ..fair.clone() }, &province));

        let department = LineFacts {
            owner: Owner { region_code: BAIYIN.into(), department: "投资促进局".into() },
            ..shanghai.clone()
        };
        assert!(fulfils(&trip, &department));
        assert!(!fulfils(&ActivityFacts { organiser: "白银市商务局".into(), ..trip.clone() }, &department));
    }

    #[test]
    fn each_activity_fulfils_one_line_earliest_due_first() {
        let lines = vec![
            line(3, BAIYIN, "外出招商", "2024-01-01", "2024-12-31", None),
            line(1, BAIYIN, "外出招商", "2024-01-01", "2024-06-30", None),
            line(2, BAIYIN, "外出招商", "2024-01-01", "2024-06-30", None),
        ];
        let trips = vec![
            activity(20, Some(BAIYIN), "外出招商", "2024-08-06", &[]),
            activity(21, Some(BAIYIN), "外出招商", "2024-03-18", &[]),
        ];
        // Line 1 (due 30 June, lower id) takes the March trip; line 2 finds none before its
        // due date; line 3 takes the August trip.
        assert_eq!(match_lines(&lines, &trips), vec![(3, 20), (1, 21)]);

        // A line linked by hand keeps its activity, which no other line takes.
        let mut linked = lines.clone();
        linked[2].linked_activity = Some(21);
        assert_eq!(match_lines(&linked, &trips), vec![(3, 20), (2, 21)]);
        // Run twice, the same answer.
        assert_eq!(match_lines(&linked, &trips), match_lines(&linked, &trips));
    }

    #[test]
    fn statuses_follow_the_working_day_calendar_and_rates_count_due_lines() {
        let calendar = official();
        // 1 October 2024 is a holiday: a line due then is due on Tuesday 8 October.
        let status = |today| line_status(day("2024-10-01"), false, day(today), &calendar);
        assert_eq!(status("2024-10-08"), LineStatus::Open);
        assert_eq!(status("2024-10-09"), LineStatus::Late);
        assert_eq!(line_status(day("2024-10-01"), true, day("2024-12-01"), &calendar), LineStatus::Done);

        let tally =
            Tally::of([LineStatus::Done, LineStatus::Late, LineStatus::Late, LineStatus::Open, LineStatus::Done]);
        assert_eq!((tally.lines, tally.due()), (5, 4));
        assert_eq!(tally.completion_rate(), Some(0.5));
        assert_eq!(Tally::of([LineStatus::Open]).completion_rate(), None);
    }
}
