//! The periods a user picks with one click, seen from today: 本月, 本季 and 今年, each from
//! its first day up to today, and 去年同期, the same span of this year one year earlier.
//! Any other period is typed in (自定义).

use crate::metrics::Period;
use chrono::{Datelike, NaiveDate};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PeriodPreset {
    Month,
    Quarter,
    Year,
    SamePeriodLastYear,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的时间段“{0}”，可选：本月、本季、今年、去年同期")]
pub struct UnknownPeriodPreset(pub String);

impl PeriodPreset {
    /// In the order the page offers them.
    pub const ALL: [PeriodPreset; 4] =
        [PeriodPreset::Month, PeriodPreset::Quarter, PeriodPreset::Year, PeriodPreset::SamePeriodLastYear];

    pub fn key(self) -> &'static str {
        match self {
            PeriodPreset::Month => "month",
            PeriodPreset::Quarter => "quarter",
            PeriodPreset::Year => "year",
            PeriodPreset::SamePeriodLastYear => "last_year",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PeriodPreset::Month => "本月",
            PeriodPreset::Quarter => "本季",
            PeriodPreset::Year => "今年",
            PeriodPreset::SamePeriodLastYear => "去年同期",
        }
    }

    /// What the period is, said beside its dates: "今年至今".
    pub fn caption(self) -> &'static str {
        match self {
            PeriodPreset::Month => "本月至今",
            PeriodPreset::Quarter => "本季至今",
            PeriodPreset::Year => "今年至今",
            PeriodPreset::SamePeriodLastYear => "去年同期",
        }
    }

    /// Accepts the key or the Chinese label, surrounding spaces ignored.
    pub fn parse(text: &str) -> Result<PeriodPreset, UnknownPeriodPreset> {
        let text = text.trim();
        PeriodPreset::ALL
            .into_iter()
            .find(|preset| preset.key() == text || preset.label() == text)
            .ok_or_else(|| UnknownPeriodPreset(text.to_string()))
    }

    /// The period this preset stands for on `today`.
    pub fn period(self, today: NaiveDate) -> Period {
        let first_month = match self {
            PeriodPreset::Month => today.month(),
            PeriodPreset::Quarter => (today.month0() / 3) * 3 + 1,
            PeriodPreset::Year | PeriodPreset::SamePeriodLastYear => 1,
        };
        let from =
            today.with_day(1).and_then(|day| day.with_month(first_month)).expect("the 1st exists in every month");
        let period = Period { from, to: today };
        match self {
            PeriodPreset::SamePeriodLastYear => period.same_period_last_year(),
            _ => period,
        }
    }

    /// The preset whose period on `today` is exactly `period`, the longest first (on 1
    /// January, 今年, 本季 and 本月 are the same day: it is called 今年).
    pub fn recognise(period: Period, today: NaiveDate) -> Option<PeriodPreset> {
        [PeriodPreset::Year, PeriodPreset::Quarter, PeriodPreset::Month, PeriodPreset::SamePeriodLastYear]
            .into_iter()
            .find(|preset| preset.period(today) == period)
    }
}

impl fmt::Display for PeriodPreset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::day;

    fn period(from: &str, to: &str) -> Period {
        Period::new(day(from), day(to)).unwrap()
    }

    #[test]
    fn month_runs_from_its_first_day_to_today() {
        assert_eq!(PeriodPreset::Month.period(day("2026-12-05")), period("2026-12-01", "2026-12-05"));
        assert_eq!(PeriodPreset::Month.period(day("2026-03-01")), period("2026-03-01", "2026-03-01"));
        assert_eq!(PeriodPreset::Month.period(day("2024-02-29")), period("2024-02-01", "2024-02-29"));
    }

    #[test]
    fn quarter_runs_from_the_first_day_of_its_first_month_to_today() {
        assert_eq!(PeriodPreset::Quarter.period(day("2026-12-05")), period("2026-10-01", "2026-12-05"));
        assert_eq!(PeriodPreset::Quarter.period(day("2026-01-31")), period("2026-01-01", "2026-01-31"));
        assert_eq!(PeriodPreset::Quarter.period(day("2026-06-30")), period("2026-04-01", "2026-06-30"));
        assert_eq!(PeriodPreset::Quarter.period(day("2026-07-01")), period("2026-07-01", "2026-07-01"));
        // The 31st of a month whose quarter starts in a 30-day month.
        assert_eq!(PeriodPreset::Quarter.period(day("2026-05-31")), period("2026-04-01", "2026-05-31"));
    }

    #[test]
    fn year_runs_from_1_january_to_today() {
        assert_eq!(PeriodPreset::Year.period(day("2026-12-05")), period("2026-01-01", "2026-12-05"));
        assert_eq!(PeriodPreset::Year.period(day("2026-01-01")), period("2026-01-01", "2026-01-01"));
        assert_eq!(PeriodPreset::Year.period(day("2026-12-31")), period("2026-01-01", "2026-12-31"));
    }

    #[test]
    fn same_period_last_year_is_this_year_to_date_a_year_earlier() {
        assert_eq!(PeriodPreset::SamePeriodLastYear.period(day("2026-12-05")), period("2025-01-01", "2025-12-05"));
        // 29 February has no twin in a common year: the span ends on 28 February.
        assert_eq!(PeriodPreset::SamePeriodLastYear.period(day("2024-02-29")), period("2023-01-01", "2023-02-28"));
        // From a common year back into a leap year, 28 February stays 28 February.
        assert_eq!(PeriodPreset::SamePeriodLastYear.period(day("2025-02-28")), period("2024-01-01", "2024-02-28"));
        assert_eq!(PeriodPreset::SamePeriodLastYear.period(day("2025-03-01")), period("2024-01-01", "2024-03-01"));
    }

    #[test]
    fn keys_and_labels_parse_and_anything_else_is_refused() {
        for preset in PeriodPreset::ALL {
            assert_eq!(PeriodPreset::parse(preset.key()), Ok(preset));
            assert_eq!(PeriodPreset::parse(&format!(" {} ", preset.label())), Ok(preset));
        }
        let error = PeriodPreset::parse("week").unwrap_err();
        assert!(error.to_string().contains("week"), "{error}");
    }

    #[test]
    fn a_typed_period_is_recognised_as_the_preset_it_equals() {
        let today = day("2026-12-05");
        for preset in PeriodPreset::ALL {
            assert_eq!(PeriodPreset::recognise(preset.period(today), today), Some(preset));
        }
        assert_eq!(PeriodPreset::recognise(period("2023-01-01", "2023-10-31"), today), None);
        assert_eq!(
            PeriodPreset::recognise(period("2026-01-01", "2026-01-01"), day("2026-01-01")),
            Some(PeriodPreset::Year)
        );
    }
}
