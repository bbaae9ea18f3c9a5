//! What the unit tests of several rules share: dates written as text and the official
//! calendar the binary ships.

use crate::calendar::{parse_notice_days, Calendar};
use chrono::NaiveDate;

/// The official calendar's notice days as shipped.
pub const SHIPPED_CALENDAR: &str = include_str!("../../../data/calendar.tsv");

/// The day written as `YYYY-MM-DD`.
pub fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The official calendar of `data/calendar.tsv`.
pub fn official() -> Calendar {
    Calendar::new(parse_notice_days(SHIPPED_CALENDAR).unwrap())
}
