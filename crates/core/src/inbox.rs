//! The inbox's colours, as supervision offices mark what is due (三色督办): blue for due
//! within a few working days, yellow for due today, red for overdue.

use crate::calendar::Calendar;
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Urgency {
    /// Past its due date (红牌).
    Red,
    /// Due today (黄牌).
    Yellow,
    /// Due within the coming working days (蓝牌).
    Blue,
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Red, Urgency::Yellow, Urgency::Blue];

    pub fn key(self) -> &'static str {
        match self {
            Urgency::Red => "red",
            Urgency::Yellow => "yellow",
            Urgency::Blue => "blue",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Urgency::Red => "已逾期",
            Urgency::Yellow => "今日到期",
            Urgency::Blue => "即将到期",
        }
    }
}

/// Working days ahead that an item due then is shown in blue.
pub const DEFAULT_SOON_WORKING_DAYS: u32 = 3;

/// The colour of an item due on `due` seen on `today`: red when past due, yellow when
/// due today, blue when due within `soon` working days after today, else none (not yet
/// in the inbox).
pub fn urgency(due: NaiveDate, today: NaiveDate, calendar: &Calendar, soon: u32) -> Option<Urgency> {
    if due < today {
        Some(Urgency::Red)
    } else if due == today {
        Some(Urgency::Yellow)
    } else {
        let horizon = calendar.add_working_days(today, soon).map(|r| r.value).unwrap_or(today);
        (due <= horizon).then_some(Urgency::Blue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse_notice_days;
    use crate::testing::day;

    #[test]
    fn colours_follow_due_dates_in_working_days() {
        let calendar = Calendar::new(parse_notice_days(include_str!("../../../data/calendar.tsv")).unwrap());
        let today = day("2024-09-27"); // a Friday before the National Day holiday
        let colour = |due: &str| urgency(day(due), today, &calendar, 3);
        assert_eq!(colour("2024-09-26"), Some(Urgency::Red));
        assert_eq!(colour("2024-09-27"), Some(Urgency::Yellow));
        // Three working days after Friday 27 September: Sunday 29 (调休), Monday 30, Tuesday 8 October.
        assert_eq!(colour("2024-09-29"), Some(Urgency::Blue));
        assert_eq!(colour("2024-10-07"), Some(Urgency::Blue), "a holiday before the third working day");
        assert_eq!(colour("2024-10-08"), Some(Urgency::Blue));
        assert_eq!(colour("2024-10-09"), None);
        assert!(Urgency::Red < Urgency::Yellow && Urgency::Yellow < Urgency::Blue, "most urgent first");
    }
}
