//! The calendar every area's clocks use: "today" in China time, and working days by
//! the State Council's holiday notices — statutory holidays off, make-up working days
//! (调休) on, weekends otherwise off. A year whose notice the calendar does not hold is
//! counted by weekends alone, and every answer says whether that happened.

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, Utc, Weekday};
use std::collections::{BTreeMap, BTreeSet};

/// China Standard Time, UTC+8 all year (no daylight saving since 1991).
pub fn china_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// The date in China at `now`: the one "today" of pages, CLI commands and jobs.
pub fn today_in_china(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&china_offset()).date_naive()
}

/// The instant a day begins in China: the lower bound of "on or after `day`" for
/// timestamps kept in UTC.
pub fn china_day_start(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN)
        .and_local_timezone(china_offset())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .expect("UTC+8 maps every local time to one instant")
}

/// The wall-clock time in China at `at`: how pages show when something happened.
pub fn china_time(at: DateTime<Utc>) -> chrono::NaiveDateTime {
    at.with_timezone(&china_offset()).naive_local()
}

/// The weekday as Chinese pages and calendars name it (周一 … 周日).
pub fn weekday_label(weekday: Weekday) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][weekday.num_days_from_monday() as usize]
}

/// The next instant after `now` at which it is `at` o'clock in China: when a daily job
/// (the inbox digest) runs next.
pub fn next_daily_at(now: DateTime<Utc>, at: chrono::NaiveTime) -> DateTime<Utc> {
    let local = now.with_timezone(&china_offset());
    let today_at = local.date_naive().and_time(at);
    let next = if local.naive_local() < today_at { today_at } else { today_at + chrono::Duration::days(1) };
    next.and_local_timezone(china_offset()).single().map(|t| t.with_timezone(&Utc)).unwrap_or(now)
}

/// A day that a holiday notice sets apart from the plain week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DayKind {
    /// A weekday off (法定节假日 or a day off of the notice).
    Holiday,
    /// A weekend day worked (调休上班).
    Workday,
}

impl DayKind {
    pub const ALL: [DayKind; 2] = [DayKind::Holiday, DayKind::Workday];

    pub fn key(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DayKind::Holiday => "休",
            DayKind::Workday => "班",
        }
    }

    /// The key or the label.
    pub fn parse(text: &str) -> Result<DayKind, CalendarError> {
        let text = text.trim();
        DayKind::ALL
            .into_iter()
            .find(|kind| kind.key() == text || kind.label() == text)
            .ok_or_else(|| CalendarError::UnknownKind(text.to_string()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("日期类型“{0}”无效：应为 休（holiday）或 班（workday）")]
    UnknownKind(String),
    #[error("{0} 是周末，不能设为放假日：周末本就休息")]
    HolidayOnWeekend(NaiveDate),
    #[error("{0} 是工作日，不能设为调休上班日：只有周末才需调休上班")]
    WorkdayOnWeekday(NaiveDate),
    #[error("第{line}行格式有误：{reason}")]
    BadLine { line: usize, reason: String },
    #[error("期限最多 {MAX_WORKING_DAYS} 个工作日")]
    TooFar,
}

/// One day of a notice: the date, off or on, and the festival it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

impl NoticeDay {
    /// Checks that the day really differs from the plain week.
    pub fn check(&self) -> Result<(), CalendarError> {
        match (self.kind, is_weekend(self.day)) {
            (DayKind::Holiday, true) => Err(CalendarError::HolidayOnWeekend(self.day)),
            (DayKind::Workday, false) => Err(CalendarError::WorkdayOnWeekday(self.day)),
            _ => Ok(()),
        }
    }
}

/// Reads the shipped `calendar.tsv` (`day\tkind\tname`, a header row).
pub fn parse_notice_days(text: &str) -> Result<Vec<NoticeDay>, CalendarError> {
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let bad = |reason: String| CalendarError::BadLine { line: index + 1, reason };
            let mut columns = line.split('\t');
            let day = columns.next().unwrap_or("").trim();
            let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|_| bad(format!("日期“{day}”无效")))?;
            let kind = DayKind::parse(columns.next().unwrap_or("")).map_err(|e| bad(e.to_string()))?;
            let name = columns.next().unwrap_or("").trim().to_string();
            let notice_day = NoticeDay { day, kind, name };
            notice_day.check().map_err(|e| bad(e.to_string()))?;
            Ok(notice_day)
        })
        .collect()
}

pub fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The most working days a clock may run (ten years): bounds every walk.
pub const MAX_WORKING_DAYS: u32 = 2_600;

/// A date reached by counting working days, and whether the count crossed a year whose
/// notice the calendar does not hold (then it is by weekends alone: an estimate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reckoned<T> {
    pub value: T,
    pub by_weekends_only: bool,
}

/// The official calendar as held: the notices' days and the years they cover.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, NoticeDay>,
    years: BTreeSet<i32>,
}

impl Calendar {
    pub fn new(days: impl IntoIterator<Item = NoticeDay>) -> Calendar {
        let days: BTreeMap<NaiveDate, NoticeDay> = days.into_iter().map(|d| (d.day, d)).collect();
        let years = days.keys().map(|day| day.year()).collect();
        Calendar { days, years }
    }

    /// Whether the notice of `day`'s year is held.
    pub fn holds(&self, day: NaiveDate) -> bool {
        self.years.contains(&day.year())
    }

    /// The last year whose notice is held.
    pub fn last_year(&self) -> Option<i32> {
        self.years.last().copied()
    }

    /// The years whose notices are held, in order.
    pub fn years(&self) -> Vec<i32> {
        self.years.iter().copied().collect()
    }

    pub fn holds_year(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// The days `year`'s notice sets apart, in order.
    pub fn days_of_year(&self, year: i32) -> Vec<&NoticeDay> {
        self.days.values().filter(|d| d.day.year() == year).collect()
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.days.get(&day).map(|d| d.kind) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !is_weekend(day),
        }
    }

    /// The `count`-th working day after `start` (`start` itself never counts; with 0,
    /// `start`). Refused beyond `MAX_WORKING_DAYS`.
    pub fn add_working_days(&self, start: NaiveDate, count: u32) -> Result<Reckoned<NaiveDate>, CalendarError> {
        if count > MAX_WORKING_DAYS {
            return Err(CalendarError::TooFar);
        }
        let mut day = start;
        let mut left = count;
        let mut by_weekends_only = false;
        while left > 0 {
            day = day.checked_add_days(Days::new(1)).ok_or(CalendarError::TooFar)?;
            by_weekends_only |= !self.holds(day);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        Ok(Reckoned { value: day, by_weekends_only })
    }

    /// Working days after `from` up to and including `to` (negative when `to` is
    /// before `from`): how many working days a clock has run, or is late.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Reckoned<i64> {
        let (first, last, sign) = if to >= from { (from, to, 1) } else { (to, from, -1) };
        let mut count = 0i64;
        let mut by_weekends_only = false;
        for day in first.iter_days().skip(1).take_while(|day| *day <= last) {
            by_weekends_only |= !self.holds(day);
            count += i64::from(self.is_working_day(day));
        }
        Reckoned { value: sign * count, by_weekends_only }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{day, official, SHIPPED_CALENDAR};

    #[test]
    fn a_china_day_starts_at_16_00_utc_the_day_before() {
        let start = china_day_start(day("2026-12-05"));
        assert_eq!(start.to_rfc3339(), "2026-12-04T16:00:00+00:00");
        assert_eq!(today_in_china(start), day("2026-12-05"));
        assert_eq!(today_in_china(start - chrono::Duration::seconds(1)), day("2026-12-04"));
    }

    #[test]
    fn official_make_up_days_are_worked_and_holidays_are_off() {
        let calendar = official();
        for working in [
            "2024-02-04",
            "2024-02-18",
            "2024-04-07",
            "2024-09-29",
            "2025-01-26",
            "2025-02-08",
            "2026-01-04",
            "2026-02-14",
        ] {
            assert!(calendar.is_working_day(day(working)), "{working} is a make-up working day");
            assert!(is_weekend(day(working)), "{working} falls on a weekend");
        }
        for off in ["2024-02-12", "2024-10-07", "2025-10-08", "2026-02-23", "2024-02-17"] {
            assert!(!calendar.is_working_day(day(off)), "{off} is off");
        }
        assert!(calendar.is_working_day(day("2024-03-15")), "a plain Friday");
        assert!(!calendar.is_working_day(day("2024-03-16")), "a plain Saturday");
        assert_eq!(calendar.last_year(), Some(2026));
    }

    #[test]
    fn working_days_are_added_across_the_spring_festival_and_national_day() {
        let calendar = official();
        // 2024: Friday 2 February + 1 is Sunday 4 February (调休); + 2 is Monday 5 February.
        let add = |start: &str, n| calendar.add_working_days(day(start), n).unwrap();
        assert_eq!(add("2024-02-02", 1).value, day("2024-02-04"));
        assert_eq!(add("2024-02-02", 2).value, day("2024-02-05"));
        // Friday 9 February: the festival runs 10–17 February, Sunday 18th is worked.
        assert_eq!(add("2024-02-09", 1).value, day("2024-02-18"));
        assert_eq!(add("2024-02-09", 5).value, day("2024-02-22"));
        // 2024 National Day: Sunday 29 September and Saturday 12 October worked, 1–7 October off.
        assert_eq!(add("2024-09-27", 1).value, day("2024-09-29"));
        assert_eq!(add("2024-09-30", 1).value, day("2024-10-08"));
        assert_eq!(add("2024-10-11", 1).value, day("2024-10-12"));
        // 2025 National Day and 中秋 together: 1–8 October off, Saturday 11 October worked.
        assert_eq!(add("2025-09-30", 3).value, day("2025-10-11"));
        // 2026 Spring Festival: 15–23 February off, Saturday 14 and 28 February worked.
        assert_eq!(add("2026-02-13", 1).value, day("2026-02-14"));
        assert_eq!(add("2026-02-14", 1).value, day("2026-02-24"));
        assert_eq!(add("2024-03-15", 0).value, day("2024-03-15"));
        assert!(!add("2026-02-13", 5).by_weekends_only);
    }

    #[test]
    fn working_days_between_counts_after_the_start_up_to_the_end() {
        let calendar = official();
        let between = |a: &str, b: &str| calendar.working_days_between(day(a), day(b)).value;
        assert_eq!(between("2024-02-09", "2024-02-18"), 1);
        assert_eq!(between("2024-02-09", "2024-02-22"), 5);
        assert_eq!(between("2024-09-30", "2024-10-08"), 1);
        assert_eq!(between("2024-10-08", "2024-09-30"), -1);
        assert_eq!(between("2024-03-15", "2024-03-15"), 0);
        for (start, n) in [("2024-02-02", 7), ("2025-09-26", 9), ("2026-02-10", 12)] {
            let end = calendar.add_working_days(day(start), n).unwrap().value;
            assert_eq!(calendar.working_days_between(day(start), end).value, i64::from(n), "{start} + {n}");
        }
    }

    #[test]
    fn years_without_a_notice_count_weekends_only_and_say_so() {
        let calendar = official();
        // 2027-01-01 is a Friday: without 2027's notice it is an ordinary working day.
        let reckoned = calendar.add_working_days(day("2026-12-31"), 1).unwrap();
        assert_eq!(reckoned, Reckoned { value: day("2027-01-01"), by_weekends_only: true });
        assert!(calendar.working_days_between(day("2026-12-30"), day("2027-01-04")).by_weekends_only);
        assert!(!calendar.working_days_between(day("2026-12-01"), day("2026-12-31")).by_weekends_only);
        // When the 2027 notice is added, New Year's Day is off.
        let mut days = parse_notice_days(SHIPPED_CALENDAR).unwrap();
        days.push(NoticeDay { day: day("2027-01-01"), kind: DayKind::Holiday, name: "元旦".into() });
        let with_2027 = Calendar::new(days);
        assert_eq!(
            with_2027.add_working_days(day("2026-12-31"), 1).unwrap(),
            Reckoned { value: day("2027-01-04"), by_weekends_only: false }
        );
        assert_eq!(calendar.add_working_days(day("2026-12-31"), MAX_WORKING_DAYS + 1), Err(CalendarError::TooFar));
    }

    #[test]
    fn today_is_the_date_in_china() {
        let at = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
        // 07:30 in Beijing on 5 December is 23:30 UTC on 4 December.
        assert_eq!(today_in_china(at("2026-12-04T23:30:00Z")), day("2026-12-05"));
        assert_eq!(today_in_china(at("2026-12-04T15:59:59Z")), day("2026-12-04"));
        assert_eq!(today_in_china(at("2026-12-04T16:00:00Z")), day("2026-12-05"));
    }

    #[test]
    fn times_are_shown_on_the_clock_in_china() {
        let at = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
        let shown = |text: &str| china_time(at(text)).format("%Y-%m-%d %H:%M").to_string();
        // 23:30 UTC on New Year's Eve is 07:30 on New Year's Day in Beijing.
        assert_eq!(shown("2025-12-31T23:30:00Z"), "2026-01-01 07:30");
        assert_eq!(shown("2026-06-15T04:05:00Z"), "2026-06-15 12:05");
    }

    #[test]
    fn weekdays_take_their_chinese_names() {
        // 2024-02-04 was a Sunday (a make-up working day), 2024-02-05 a Monday.
        assert_eq!(weekday_label(day("2024-02-04").weekday()), "周日");
        assert_eq!(weekday_label(day("2024-02-05").weekday()), "周一");
        assert_eq!(weekday_label(day("2024-02-10").weekday()), "周六");
    }

    #[test]
    fn daily_jobs_run_at_the_hour_in_china() {
        let at = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
        let half_past_eight = chrono::NaiveTime::from_hms_opt(8, 30, 0).unwrap();
        // 07:30 in Beijing: today at 08:30 Beijing, 00:30 UTC.
        assert_eq!(next_daily_at(at("2026-12-04T23:30:00Z"), half_past_eight), at("2026-12-05T00:30:00Z"));
        // 08:30 exactly and later: tomorrow.
        assert_eq!(next_daily_at(at("2026-12-05T00:30:00Z"), half_past_eight), at("2026-12-06T00:30:00Z"));
        assert_eq!(next_daily_at(at("2026-12-05T10:00:00Z"), half_past_eight), at("2026-12-06T00:30:00Z"));
    }

    #[test]
    fn notice_days_must_differ_from_the_plain_week() {
        let saturday = NoticeDay { day: day("2024-03-16"), kind: DayKind::Holiday, name: String::new() };
        assert_eq!(saturday.check(), Err(CalendarError::HolidayOnWeekend(day("2024-03-16"))));
        let friday = NoticeDay { day: day("2024-03-15"), kind: DayKind::Workday, name: String::new() };
        assert!(friday.check().unwrap_err().to_string().contains("只有周末"));
        assert!(parse_notice_days("day\tkind\tname\n2024-13-01\tholiday\tx\n")
            .unwrap_err()
            .to_string()
            .contains("第2行"));
        assert_eq!(DayKind::parse("班"), Ok(DayKind::Workday));
    }
}
