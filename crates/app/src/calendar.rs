//! The platform's calendar service: one "today" in China time for pages, CLI commands
//! and jobs, and the official working-day calendar (core::calendar) as the database
//! holds it — loaded from `data/calendar.tsv` on first start, a year's notice added by
//! an administrator when the State Council publishes it.

use crate::{AppError, AppResult};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};
use zhaoshang_core::access::Principal;
use zhaoshang_core::calendar::{parse_notice_days, today_in_china, Calendar, DayKind, NoticeDay};
use zhaoshang_store::{Actor, Store};

const SHIPPED: &str = include_str!("../../../data/calendar.tsv");

/// The environment variable that fixes the platform's clock (RFC 3339), for demos and
/// tests that must see a given moment; unset, the system clock.
pub const NOW_VARIABLE: &str = "ZHAOSHANG_NOW";

/// The instant the platform takes as now.
pub fn now() -> DateTime<Utc> {
    static FIXED: OnceLock<Option<DateTime<Utc>>> = OnceLock::new();
    let fixed = FIXED.get_or_init(|| {
        let text = std::env::var(NOW_VARIABLE).ok()?;
        match DateTime::parse_from_rfc3339(text.trim()) {
            Ok(at) => Some(at.with_timezone(&Utc)),
            Err(error) => {
                tracing::warn!("{NOW_VARIABLE}={text} is not an RFC 3339 instant ({error}); using the system clock");
                None
            }
        }
    });
    fixed.unwrap_or_else(Utc::now)
}

/// Today's date in China: the one "today" of the platform.
pub fn today() -> NaiveDate {
    today_in_china(now())
}

/// The days of the shipped calendar (`data/calendar.tsv`), which a new database starts from.
pub fn shipped_days() -> AppResult<Vec<NoticeDay>> {
    parse_notice_days(SHIPPED).map_err(|e| AppError::Internal(e.to_string()))
}

/// Loads the shipped calendar when the database holds none (first start).
pub async fn ensure_loaded(store: &Store) -> AppResult<()> {
    if store.count_calendar_days().await? == 0 {
        store.load_calendar_days(&shipped_days()?).await?;
    }
    Ok(())
}

/// The calendar as last read, read again after `MAX_AGE` (another process may have
/// added a notice) or at once after a notice is saved through it.
#[derive(Default)]
pub struct CalendarCache {
    held: RwLock<Option<(Instant, Arc<Calendar>)>>,
}

const MAX_AGE: Duration = Duration::from_secs(60);

impl CalendarCache {
    pub async fn get(&self, store: &Store) -> AppResult<Arc<Calendar>> {
        if let Some((read_at, calendar)) = self.held.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
            if read_at.elapsed() < MAX_AGE {
                return Ok(calendar.clone());
            }
        }
        let calendar = Arc::new(Calendar::new(store.calendar_days().await?));
        *self.held.write().unwrap_or_else(|e| e.into_inner()) = Some((Instant::now(), calendar.clone()));
        Ok(calendar)
    }

    fn forget(&self) {
        *self.held.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Replaces the notice of `year` with the days written in `text`, one a line:
    /// `2027-01-01 休 元旦` (date, 休 or 班, festival), separated by spaces or tabs.
    /// Administrators only; every line is checked before anything changes.
    pub async fn save_notice(
        &self,
        store: &Store,
        principal: &Principal,
        year: i32,
        text: &str,
        actor: &Actor,
    ) -> AppResult<usize> {
        if !principal.may_administer() {
            return Err(AppError::Invalid("只有省级管理员可以维护节假日安排".into()));
        }
        if !(2004..=2100).contains(&year) {
            return Err(AppError::Invalid("年度应在 2004 至 2100 之间".into()));
        }
        let days = parse_notice_lines(year, text)?;
        store.save_holiday_notice(year, &days, actor).await?;
        self.forget();
        Ok(days.len())
    }
}

impl crate::App {
    /// The official calendar (kept a minute, see `CalendarCache`).
    pub async fn calendar(&self) -> AppResult<Arc<Calendar>> {
        self.calendar_cache().get(self.store()).await
    }

    /// Replaces the holiday notice of `year` (administrators only, see
    /// `CalendarCache::save_notice`).
    pub async fn save_holiday_notice(
        &self,
        principal: &Principal,
        year: i32,
        text: &str,
        actor: &Actor,
    ) -> AppResult<usize> {
        self.calendar_cache().save_notice(self.store(), principal, year, text, actor).await
    }
}

/// Reads an administrator's notice lines; every problem is listed, with its line.
fn parse_notice_lines(year: i32, text: &str) -> AppResult<Vec<NoticeDay>> {
    let mut days: Vec<NoticeDay> = Vec::new();
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
        let mut parts = line.split_whitespace();
        let (date, kind, name) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.collect::<Vec<_>>());
        let parsed = crate::exchange::parse_date(date)
            .map_err(|e| e.to_string())
            .and_then(|day| Some(day).filter(|d| d.year() == year).ok_or_else(|| format!("日期“{date}”不在 {year} 年")))
            .and_then(|day| {
                let kind = DayKind::parse(kind).map_err(|e| e.to_string())?;
                let notice_day = NoticeDay { day, kind, name: name.join(" ") };
                notice_day.check().map_err(|e| e.to_string())?;
                Ok(notice_day)
            });
        match parsed {
            Ok(day) if days.iter().any(|d| d.day == day.day) => {
                problems.push(format!("第{}行：{} 重复", index + 1, day.day))
            }
            Ok(day) => days.push(day),
            Err(reason) => problems.push(format!("第{}行：{reason}", index + 1)),
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems.join("；")));
    }
    if days.is_empty() {
        return Err(AppError::Invalid("请至少填写一天（放假的工作日或调休上班的周末）".into()));
    }
    days.sort_by_key(|d| d.day);
    Ok(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_calendar_reads() {
        let days = parse_notice_days(SHIPPED).unwrap();
        assert!(days.len() > 500);
        assert_eq!(Calendar::new(days).last_year(), Some(2026));
    }

    #[test]
    fn notice_lines_are_read_and_checked() {
        let days = parse_notice_lines(2027, "2027-01-01 休 元旦\n\n2027/2/7\t班 春节\n").unwrap();
        assert_eq!(days.len(), 2);
        assert_eq!((days[1].kind, days[1].name.as_str()), (DayKind::Workday, "春节"));
        let error =
            parse_notice_lines(2027, "2026-12-31 休\n2027-01-02 休\n2027-01-01 休\n2027-01-01 班\nx 休").unwrap_err();
        let message = error.to_string();
        for expected in ["第1行：日期“2026-12-31”不在 2027 年", "第2行", "周末本就休息", "第4行", "第5行"]
        {
            assert!(message.contains(expected), "{expected}: {message}");
        }
        assert!(parse_notice_lines(2027, "  \n").is_err());
    }
}
