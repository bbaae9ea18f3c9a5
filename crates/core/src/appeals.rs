//! Business-environment appeals (营商环境诉求, SPEC area 9): the five dimensions and the
//! three ratings, the rules of one appeal's dates and time limit, its due date by the
//! official calendar, its status on a day, and the `stats appeals` report assembled from
//! counts per dimension.

pub mod flow;
pub mod supervision;

use crate::calendar::{Calendar, Reckoned};
use crate::money::ratio;
use chrono::NaiveDate;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// The categories offered when an appeal is filed (others may be typed by staff).
pub const CATEGORIES: [&str; 8] =
    ["市场监管", "纳税服务", "政策支持", "要素保障", "审批服务", "融资", "涉企执法", "人才服务"];

/// The five environments of the province's business-environment supervision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    Government,
    Market,
    RuleOfLaw,
    Innovation,
    Factors,
}

impl Dimension {
    pub const ALL: [Dimension; 5] =
        [Dimension::Government, Dimension::Market, Dimension::RuleOfLaw, Dimension::Innovation, Dimension::Factors];

    pub fn key(self) -> &'static str {
        match self {
            Dimension::Government => "government",
            Dimension::Market => "market",
            Dimension::RuleOfLaw => "rule_of_law",
            Dimension::Innovation => "innovation",
            Dimension::Factors => "factors",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Dimension::Government => "政务环境",
            Dimension::Market => "市场环境",
            Dimension::RuleOfLaw => "法治环境",
            Dimension::Innovation => "创新环境",
            Dimension::Factors => "要素环境",
        }
    }

    /// The key, the label, or the label without 环境 (offices write 政务 for 政务环境).
    pub fn parse(text: &str) -> Result<Dimension, AppealError> {
        let text = text.trim();
        Dimension::ALL
            .into_iter()
            .find(|d| {
                d.key() == text.to_ascii_lowercase()
                    || d.label() == text
                    || d.label().strip_suffix("环境") == Some(text)
            })
            .ok_or_else(|| AppealError::UnknownDimension(text.to_string()))
    }
}

/// The enterprise's rating of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rating {
    Satisfied,
    FairlySatisfied,
    Dissatisfied,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Rating::Satisfied, Rating::FairlySatisfied, Rating::Dissatisfied];

    pub fn key(self) -> &'static str {
        match self {
            Rating::Satisfied => "satisfied",
            Rating::FairlySatisfied => "fairly_satisfied",
            Rating::Dissatisfied => "dissatisfied",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Rating::Satisfied => "满意",
            Rating::FairlySatisfied => "基本满意",
            Rating::Dissatisfied => "不满意",
        }
    }

    pub fn parse(text: &str) -> Result<Rating, AppealError> {
        let text = text.trim();
        Rating::ALL
            .into_iter()
            .find(|r| r.key() == text.to_ascii_lowercase() || r.label() == text)
            .ok_or_else(|| AppealError::UnknownRating(text.to_string()))
    }

    /// 满意 and 基本满意 count as satisfied (SPEC: the satisfaction rate).
    pub fn is_satisfied(self) -> bool {
        self != Rating::Dissatisfied
    }
}

/// Where an appeal stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppealStatus {
    /// Not answered yet, still within its time limit.
    Open,
    /// Not answered and past its due date.
    Overdue,
    /// Answered, not closed.
    Answered,
    Closed,
}

impl AppealStatus {
    pub const ALL: [AppealStatus; 4] =
        [AppealStatus::Open, AppealStatus::Overdue, AppealStatus::Answered, AppealStatus::Closed];

    pub fn key(self) -> &'static str {
        match self {
            AppealStatus::Open => "open",
            AppealStatus::Overdue => "overdue",
            AppealStatus::Answered => "answered",
            AppealStatus::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AppealStatus::Open => "办理中",
            AppealStatus::Overdue => "已超期",
            AppealStatus::Answered => "已答复",
            AppealStatus::Closed => "已办结",
        }
    }

    pub fn parse(text: &str) -> Option<AppealStatus> {
        let text = text.trim();
        AppealStatus::ALL.into_iter().find(|s| s.key() == text || s.label() == text)
    }

    /// The status on `today` of an appeal with these dates.
    pub fn on(
        today: NaiveDate,
        due_on: NaiveDate,
        answered_on: Option<NaiveDate>,
        closed_on: Option<NaiveDate>,
    ) -> AppealStatus {
        match (answered_on, closed_on) {
            (_, Some(_)) => AppealStatus::Closed,
            (Some(_), None) => AppealStatus::Answered,
            (None, None) if due_on < today => AppealStatus::Overdue,
            (None, None) => AppealStatus::Open,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppealError {
    #[error("诉求维度“{0}”无效，应为 政务环境、市场环境、法治环境、创新环境 或 要素环境")]
    UnknownDimension(String),
    #[error("企业评价“{0}”无效，应为 满意、基本满意 或 不满意")]
    UnknownRating(String),
    #[error("办理时限“{0}”无效，应为 1 至 {MAX_LIMIT_DAYS} 之间的整数（工作日）")]
    BadLimit(String),
    #[error("答复日期 {answered} 早于受理日期 {received}")]
    AnsweredBeforeReceived { received: NaiveDate, answered: NaiveDate },
    #[error("办结日期 {closed} 早于{earlier_label} {earlier}")]
    ClosedTooEarly { closed: NaiveDate, earlier: NaiveDate, earlier_label: &'static str },
}

/// The time limit when a row gives none (SPEC: 5 working days).
pub const DEFAULT_LIMIT_DAYS: u32 = 5;

/// The longest time limit accepted: three months of working days. A longer one is a
/// typing error, not a promise to an enterprise.
pub const MAX_LIMIT_DAYS: u32 = 60;

/// A time limit cell: empty means the default; otherwise a whole number of working days
/// from 1 to `MAX_LIMIT_DAYS`.
pub fn parse_limit_days(text: &str) -> Result<u32, AppealError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(DEFAULT_LIMIT_DAYS);
    }
    // Excel writes whole numbers of a numeric cell as "5" or "5.0".
    let whole = text.strip_suffix(".0").unwrap_or(text);
    whole
        .parse::<u32>()
        .ok()
        .filter(|days| (1..=MAX_LIMIT_DAYS).contains(days))
        .ok_or_else(|| AppealError::BadLimit(text.to_string()))
}

/// Checks that the dates run in order: received ≤ answered ≤ closed (a closed appeal
/// without an answer date closes no earlier than it was received).
pub fn check_dates(
    received_on: NaiveDate,
    answered_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
) -> Result<(), AppealError> {
    if let Some(answered) = answered_on.filter(|answered| *answered < received_on) {
        return Err(AppealError::AnsweredBeforeReceived { received: received_on, answered });
    }
    if let Some(closed) = closed_on {
        let (earlier, earlier_label) = match answered_on {
            Some(answered) => (answered, "答复日期"),
            None => (received_on, "受理日期"),
        };
        if closed < earlier {
            return Err(AppealError::ClosedTooEarly { closed, earlier, earlier_label });
        }
    }
    Ok(())
}

/// The day an answer is due: the `limit_days`-th working day after `received_on` by
/// the official calendar (the received day itself never counts). Flagged when the count
/// ran into a year whose holiday notice the calendar does not hold.
pub fn due_on(calendar: &Calendar, received_on: NaiveDate, limit_days: u32) -> Reckoned<NaiveDate> {
    due_on_after(calendar, received_on, limit_days.clamp(1, MAX_LIMIT_DAYS))
}

/// The `days`-th working day after `from` (a clock that paused or was extended runs past
/// the time limit); `from` itself, flagged, past the calendar's furthest reach.
pub(crate) fn due_on_after(calendar: &Calendar, from: NaiveDate, days: u32) -> Reckoned<NaiveDate> {
    calendar.add_working_days(from, days).unwrap_or(Reckoned { value: from, by_weekends_only: true })
}

/// The export's 时限说明 for a due date: empty when reckoned by the official calendar.
pub fn due_note(reckoned: &Reckoned<NaiveDate>) -> String {
    if reckoned.by_weekends_only {
        format!("{}年节假日安排尚未发布，应答复日期暂按周末推算", chrono::Datelike::year(&reckoned.value))
    } else {
        String::new()
    }
}

/// The counts behind `stats appeals` for one dimension (or all), as SPEC.md defines them
/// over the appeals received in the period: `answered` answered by `to`; `on_time`
/// answered by the due date and by `to`; `overdue` due before `to` and not answered by
/// the due date; `resolved` closed by `to`; `rated` and `satisfied` of those closed by
/// `to` that carry a rating.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AppealCounts {
    pub received: i64,
    pub answered: i64,
    pub on_time: i64,
    pub overdue: i64,
    pub resolved: i64,
    pub rated: i64,
    pub satisfied: i64,
}

impl std::ops::AddAssign for AppealCounts {
    fn add_assign(&mut self, other: AppealCounts) {
        self.received += other.received;
        self.answered += other.answered;
        self.on_time += other.on_time;
        self.overdue += other.overdue;
        self.resolved += other.resolved;
        self.rated += other.rated;
        self.satisfied += other.satisfied;
    }
}

impl AppealCounts {
    /// On time and resolved over received; satisfied over rated (SPEC's rates).
    pub fn on_time_rate(&self) -> Option<f64> {
        ratio(self.on_time, self.received)
    }

    pub fn resolution_rate(&self) -> Option<f64> {
        ratio(self.resolved, self.received)
    }

    pub fn satisfaction_rate(&self) -> Option<f64> {
        ratio(self.satisfied, self.rated)
    }
}

/// Departments with fewer appeals in the period are listed but not ranked: a rate over
/// one or two appeals says little.
pub const MIN_RANKED_APPEALS: i64 = 3;

/// A department's place in the province's ranking of departments.
#[derive(Debug, Clone, PartialEq)]
pub struct RankedDepartment {
    pub department: String,
    pub counts: AppealCounts,
    /// 1 for the best; `None` below `MIN_RANKED_APPEALS`.
    pub rank: Option<usize>,
}

/// Ranks departments by on-time rate, then satisfaction rate (none counts as lowest),
/// then more appeals received, then name; those with fewer than `MIN_RANKED_APPEALS`
/// follow unranked, by name. Equal figures share a rank (1, 2, 2, 4).
pub fn rank_departments(rows: Vec<(String, AppealCounts)>) -> Vec<RankedDepartment> {
    let key = |c: &AppealCounts| (c.on_time_rate().unwrap_or(0.0), c.satisfaction_rate().unwrap_or(-1.0), c.received);
    let (mut ranked, mut others): (Vec<_>, Vec<_>) =
        rows.into_iter().partition(|(_, counts)| counts.received >= MIN_RANKED_APPEALS);
    ranked.sort_by(|(a_name, a), (b_name, b)| {
        let (ka, kb) = (key(a), key(b));
        kb.0.total_cmp(&ka.0).then(kb.1.total_cmp(&ka.1)).then(kb.2.cmp(&ka.2)).then(a_name.cmp(b_name))
    });
    others.sort_by(|(a, _), (b, _)| a.cmp(b));
    let mut result: Vec<RankedDepartment> = Vec::with_capacity(ranked.len() + others.len());
    for (index, (department, counts)) in ranked.into_iter().enumerate() {
        let rank = match result.last() {
            Some(previous) if key(&previous.counts) == key(&counts) => previous.rank,
            _ => Some(index + 1),
        };
        result.push(RankedDepartment { department, counts, rank });
    }
    result.extend(others.into_iter().map(|(department, counts)| RankedDepartment { department, counts, rank: None }));
    result
}

/// One dimension's figures in `stats appeals`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DimensionFigures {
    pub received_count: i64,
    pub on_time_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
}

/// The five dimensions' figures, serialized as an object keyed by the Chinese labels in
/// the order of `Dimension::ALL`, every dimension present.
#[derive(Debug, Clone, PartialEq)]
pub struct ByDimension(pub Vec<(Dimension, DimensionFigures)>);

impl Serialize for ByDimension {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (dimension, figures) in &self.0 {
            map.serialize_entry(dimension.label(), figures)?;
        }
        map.end()
    }
}

/// `zhaoshang stats appeals` (SPEC.md "Statistics interfaces, continued").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppealReport {
    pub region: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub received_count: i64,
    pub answered_count: i64,
    pub on_time_count: i64,
    pub on_time_rate: Option<f64>,
    pub overdue_count: i64,
    pub resolved_count: i64,
    pub resolution_rate: Option<f64>,
    pub satisfaction_rate: Option<f64>,
    pub by_dimension: ByDimension,
}

impl AppealReport {
    /// The report from each dimension's counts (a dimension without counts has none).
    pub fn assemble(
        region: &str,
        from: NaiveDate,
        to: NaiveDate,
        counts: &[(Dimension, AppealCounts)],
    ) -> AppealReport {
        let of = |dimension: Dimension| {
            counts.iter().filter(|(d, _)| *d == dimension).fold(AppealCounts::default(), |mut sum, (_, c)| {
                sum += *c;
                sum
            })
        };
        let mut total = AppealCounts::default();
        let by_dimension = Dimension::ALL
            .into_iter()
            .map(|dimension| {
                let c = of(dimension);
                total += c;
                let figures = DimensionFigures {
                    received_count: c.received,
                    on_time_rate: c.on_time_rate(),
                    satisfaction_rate: c.satisfaction_rate(),
                };
                (dimension, figures)
            })
            .collect();
        AppealReport {
            region: region.to_string(),
            from,
            to,
            received_count: total.received,
            answered_count: total.answered,
            on_time_count: total.on_time,
            on_time_rate: total.on_time_rate(),
            overdue_count: total.overdue,
            resolved_count: total.resolved,
            resolution_rate: total.resolution_rate(),
            satisfaction_rate: total.satisfaction_rate(),
            by_dimension: ByDimension(by_dimension),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{parse_notice_days, DayKind, NoticeDay};
    use crate::testing::{day, official, SHIPPED_CALENDAR};

    fn due(received: &str, limit: u32) -> NaiveDate {
        due_on(&official(), day(received), limit).value
    }

    #[test]
    fn vocabularies_read_keys_labels_and_short_labels() {
        assert_eq!(Dimension::parse("政务环境"), Ok(Dimension::Government));
        assert_eq!(Dimension::parse(" 要素 "), Ok(Dimension::Factors));
        assert_eq!(Dimension::parse("Rule_of_Law"), Ok(Dimension::RuleOfLaw));
        assert!(Dimension::parse("营商环境").unwrap_err().to_string().contains("政务环境、市场环境"));
        for dimension in Dimension::ALL {
            assert_eq!(Dimension::parse(dimension.label()), Ok(dimension));
            assert_eq!(Dimension::parse(dimension.key()), Ok(dimension));
        }
        assert_eq!(Rating::parse("基本满意"), Ok(Rating::FairlySatisfied));
        assert!(Rating::parse("一般").is_err());
        assert!(Rating::FairlySatisfied.is_satisfied() && !Rating::Dissatisfied.is_satisfied());
        assert_eq!(AppealStatus::parse("overdue"), Some(AppealStatus::Overdue));
        assert_eq!(AppealStatus::parse("已办结"), Some(AppealStatus::Closed));
    }

    #[test]
    fn time_limits_default_to_five_and_are_bounded() {
        assert_eq!(parse_limit_days(""), Ok(5));
        assert_eq!(parse_limit_days(" 10 "), Ok(10));
        assert_eq!(parse_limit_days("3.0"), Ok(3));
        assert_eq!(parse_limit_days("60"), Ok(60));
        for bad in ["0", "-1", "61", "2.5", "五", "99999999999"] {
            assert!(matches!(parse_limit_days(bad), Err(AppealError::BadLimit(_))), "{bad}");
        }
    }

    #[test]
    fn dates_must_run_in_order() {
        let d = |t: &str| Some(day(t));
        assert!(check_dates(day("2024-03-01"), None, None).is_ok());
        assert!(check_dates(day("2024-03-01"), d("2024-03-01"), d("2024-03-01")).is_ok());
        assert!(check_dates(day("2024-03-01"), None, d("2024-03-05")).is_ok());
        let early = check_dates(day("2024-03-05"), d("2024-03-04"), None).unwrap_err();
        assert!(early.to_string().contains("早于受理日期"), "{early}");
        let closed = check_dates(day("2024-03-01"), d("2024-03-08"), d("2024-03-07")).unwrap_err();
        assert!(closed.to_string().contains("早于答复日期"), "{closed}");
        assert!(check_dates(day("2024-03-05"), None, d("2024-03-04"))
            .unwrap_err()
            .to_string()
            .contains("早于受理日期"));
    }

    #[test]
    fn due_dates_skip_weekends_and_never_count_the_received_day() {
        // Friday 15 March 2024 + 5: 18–22 March; received on Saturday 16th, the same.
        assert_eq!(due("2024-03-15", 5), day("2024-03-22"));
        assert_eq!(due("2024-03-16", 5), day("2024-03-22"));
        assert_eq!(due("2024-03-17", 1), day("2024-03-18"));
        // Received on a Monday: the next working day is Tuesday.
        assert_eq!(due("2024-03-18", 1), day("2024-03-19"));
    }

    #[test]
    fn due_dates_follow_the_spring_festival_and_its_make_up_days() {
        // 2024: 10–17 February off; Sunday 4 and Sunday 18 February worked.
        assert_eq!(due("2024-02-02", 1), day("2024-02-04"));
        assert_eq!(due("2024-02-08", 1), day("2024-02-09"));
        assert_eq!(due("2024-02-08", 2), day("2024-02-18"));
        assert_eq!(due("2024-02-09", 5), day("2024-02-22"));
        assert_eq!(due("2024-02-12", 1), day("2024-02-18"), "received during the holiday");
        // 2025: 28 January – 4 February off; Sunday 26 January and Saturday 8 February worked.
        assert_eq!(due("2025-01-24", 1), day("2025-01-26"));
        assert_eq!(due("2025-01-24", 2), day("2025-01-27"));
        assert_eq!(due("2025-01-27", 1), day("2025-02-05"));
        assert_eq!(due("2025-01-27", 4), day("2025-02-08"));
        assert_eq!(due("2025-01-27", 5), day("2025-02-10"));
    }

    #[test]
    fn due_dates_follow_national_day() {
        // 2024: 1–7 October off; Sunday 29 September and Saturday 12 October worked.
        assert_eq!(due("2024-09-27", 1), day("2024-09-29"));
        assert_eq!(due("2024-09-27", 2), day("2024-09-30"));
        assert_eq!(due("2024-09-27", 3), day("2024-10-08"));
        assert_eq!(due("2024-09-30", 5), day("2024-10-12"));
        assert_eq!(due("2024-10-03", 5), day("2024-10-12"));
        // 2025: 1–8 October off (with 中秋); Sunday 28 September and Saturday 11 October worked.
        assert_eq!(due("2025-09-26", 1), day("2025-09-28"));
        assert_eq!(due("2025-09-30", 1), day("2025-10-09"));
        assert_eq!(due("2025-09-30", 3), day("2025-10-11"));
        assert_eq!(due("2025-09-30", 4), day("2025-10-13"));
    }

    #[test]
    fn due_dates_beyond_the_last_notice_go_by_weekends_and_are_flagged() {
        let calendar = official();
        let last = calendar.last_year().unwrap();
        let held = due_on(&calendar, day("2026-03-02"), 5);
        assert!(!held.by_weekends_only);
        assert_eq!(due_note(&held), "");
        // 31 December of the last year held: New Year's Day of the next counts as worked.
        let received = NaiveDate::from_ymd_opt(last, 12, 28).unwrap();
        let beyond = due_on(&calendar, received, 5);
        assert!(beyond.by_weekends_only);
        assert!(due_note(&beyond).contains(&format!("{}年节假日安排尚未发布", last + 1)), "{}", due_note(&beyond));
        // Once that notice is held, the same appeal is reckoned by it.
        let mut days = parse_notice_days(SHIPPED_CALENDAR).unwrap();
        let new_year = NaiveDate::from_ymd_opt(last + 1, 1, 1).unwrap();
        if !crate::calendar::is_weekend(new_year) {
            days.push(NoticeDay { day: new_year, kind: DayKind::Holiday, name: "元旦".into() });
            let reckoned = due_on(&Calendar::new(days), received, 5);
            assert!(!reckoned.by_weekends_only);
            assert!(reckoned.value > beyond.value, "New Year's Day is off");
        }
    }

    #[test]
    fn statuses_follow_the_dates() {
        let (due, today) = (day("2024-03-22"), day("2024-03-25"));
        assert_eq!(AppealStatus::on(today, due, None, None), AppealStatus::Overdue);
        assert_eq!(AppealStatus::on(due, due, None, None), AppealStatus::Open, "due today is not yet overdue");
        assert_eq!(AppealStatus::on(today, due, Some(due), None), AppealStatus::Answered);
        assert_eq!(AppealStatus::on(today, due, Some(due), Some(today)), AppealStatus::Closed);
    }

    #[test]
    fn departments_rank_by_on_time_then_satisfaction_with_ties_shared() {
        let counts = |received, on_time, rated, satisfied| AppealCounts {
            received,
            on_time,
            rated,
            satisfied,
            ..Default::default()
        };
        let rows = vec![
            ("乙局".to_string(), counts(10, 9, 4, 4)),
            ("甲局".to_string(), counts(10, 9, 4, 4)),
            ("丙局".to_string(), counts(4, 4, 0, 0)),
            ("丁局".to_string(), counts(20, 9, 10, 10)),
            ("戊局".to_string(), counts(2, 2, 2, 2)),
            ("己局".to_string(), counts(20, 18, 10, 9)),
        ];
        let ranked = rank_departments(rows);
        let order: Vec<(&str, Option<usize>)> = ranked.iter().map(|r| (r.department.as_str(), r.rank)).collect();
        assert_eq!(
            order,
            [
                ("丙局", Some(1)),
                ("乙局", Some(2)),
                ("甲局", Some(2)),
                ("己局", Some(4)),
                ("丁局", Some(5)),
                ("戊局", None),
            ],
            "all on time first; at 90% the fully satisfied before 90% satisfied; ties share a rank; two appeals unranked"
        );
    }

    #[test]
    fn the_report_has_every_dimension_and_null_rates_without_denominators() {
        let counts = [
            (
                Dimension::Market,
                AppealCounts { received: 4, answered: 3, on_time: 2, overdue: 1, resolved: 2, rated: 2, satisfied: 1 },
            ),
            (
                Dimension::Factors,
                AppealCounts { received: 1, answered: 1, on_time: 1, overdue: 0, resolved: 1, rated: 0, satisfied: 0 },
            ),
        ];
        let report = AppealReport::assemble("620400", day("2024-01-01"), day("2024-12-31"), &counts);
        assert_eq!((report.received_count, report.answered_count, report.on_time_count), (5, 4, 3));
        assert_eq!((report.overdue_count, report.resolved_count), (1, 3));
        assert_eq!(report.on_time_rate, Some(0.6));
        assert_eq!(report.resolution_rate, Some(0.6));
        assert_eq!(report.satisfaction_rate, Some(0.5));
        let json = serde_json::to_value(&report).unwrap();
        let by = json["by_dimension"].as_object().unwrap();
        assert_eq!(by.len(), 5);
        assert_eq!(
            by["政务环境"],
            serde_json::json!({"received_count": 0, "on_time_rate": null, "satisfaction_rate": null})
        );
        assert_eq!(by["要素环境"]["satisfaction_rate"], serde_json::Value::Null, "no rated appeal");
        assert_eq!(by["市场环境"]["on_time_rate"], serde_json::json!(0.5));
        let empty = AppealReport::assemble("620000", day("2024-01-01"), day("2024-01-31"), &[]);
        let json = serde_json::to_value(&empty).unwrap();
        for key in ["on_time_rate", "resolution_rate", "satisfaction_rate"] {
            assert_eq!(json[key], serde_json::Value::Null, "{key}");
        }
        assert_eq!(json["from"], "2024-01-01");
    }
}
