//! The official working-day calendar as held in the database (`calendar_days`), and the
//! due dates of the open appeals that follow it.

use crate::appeals::{Appeal, APPEAL_COLUMNS};
use crate::audit::NewAuditEntry;
use crate::audit::{AuditAction, AuditEntity};
use crate::{Actor, Result, Store};
use chrono::{NaiveDate, Utc};
use zhaoshang_core::calendar::{Calendar, DayKind, NoticeDay};

#[derive(sqlx::FromRow)]
struct DayRow {
    day: NaiveDate,
    kind: String,
    name: String,
}

impl DayRow {
    fn into_notice_day(self) -> Option<NoticeDay> {
        Some(NoticeDay { day: self.day, kind: DayKind::parse(&self.kind).ok()?, name: self.name })
    }
}

fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
    (first, last)
}

impl Store {
    /// Every day of every notice held, in date order.
    pub async fn calendar_days(&self) -> Result<Vec<NoticeDay>> {
        let rows: Vec<DayRow> =
            on_pool!(self, |pool| sqlx::query_as("SELECT day, kind, name FROM calendar_days ORDER BY day")
                .fetch_all(pool)
                .await?);
        Ok(rows.into_iter().filter_map(DayRow::into_notice_day).collect())
    }

    pub async fn count_calendar_days(&self) -> Result<i64> {
        Ok(on_pool!(self, |pool| sqlx::query_scalar("SELECT COUNT(*) FROM calendar_days").fetch_one(pool).await?))
    }

    /// Loads the shipped calendar in one transaction; days already held are kept.
    pub async fn load_calendar_days(&self, days: &[NoticeDay]) -> Result<()> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_with(self.begin_write()).await?;
            for day in days {
                sqlx::query(
                    "INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3) ON CONFLICT (day) DO NOTHING",
                )
                .bind(day.day)
                .bind(day.kind.key())
                .bind(&day.name)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// Replaces the days of `year`'s notice with `days` (all of that year) and, in the
    /// same transaction, moves the due dates of the open appeals that the new calendar
    /// reckons differently; all audited.
    pub async fn save_holiday_notice(&self, year: i32, days: &[NoticeDay], actor: &Actor) -> Result<()> {
        let (first, last) = year_bounds(year);
        let notice_json = |days: &[NoticeDay]| {
            serde_json::Value::Array(
                days.iter()
                    .map(|d| serde_json::json!({ "day": d.day, "kind": d.kind.key(), "name": d.name }))
                    .collect(),
            )
        };
        let before: Vec<NoticeDay> =
            self.calendar_days().await?.into_iter().filter(|d| d.day >= first && d.day <= last).collect();
        audited!(self, actor, |tx, audit| {
            sqlx::query("DELETE FROM calendar_days WHERE day >= $1 AND day <= $2")
                .bind(first)
                .bind(last)
                .execute(&mut *tx)
                .await?;
            for day in days {
                sqlx::query("INSERT INTO calendar_days (day, kind, name) VALUES ($1, $2, $3)")
                    .bind(day.day)
                    .bind(day.kind.key())
                    .bind(&day.name)
                    .execute(&mut *tx)
                    .await?;
            }
            audit.push(NewAuditEntry::new(
                AuditAction::written(!before.is_empty()),
                AuditEntity::HolidayNotice,
                year.to_string(),
                (!before.is_empty()).then(|| notice_json(&before)),
                Some(notice_json(days)),
            ));

            // The appeals still waiting for an answer whose clock runs into the year are
            // reckoned again by the calendar as it now stands. A clock that ends before
            // the year walks the same days as before, so only those are read.
            let held: Vec<DayRow> =
                sqlx::query_as("SELECT day, kind, name FROM calendar_days").fetch_all(&mut *tx).await?;
            let calendar = Calendar::new(held.into_iter().filter_map(DayRow::into_notice_day));
            let waiting: Vec<Appeal> = sqlx::query_as(&format!(
                "SELECT {APPEAL_COLUMNS} FROM appeals \
                 WHERE answered_on IS NULL AND closed_on IS NULL AND received_on <= $1 AND due_on >= $2 ORDER BY code"
            ))
            .bind(last)
            .bind(first)
            .fetch_all(&mut *tx)
            .await?;
            let now = Utc::now();
            for appeal in waiting {
                let mut redated = appeal.data.clone();
                redated.reckon_due(&calendar);
                if redated == appeal.data {
                    continue;
                }
                sqlx::query("UPDATE appeals SET due_on = $1, due_by_weekends_only = $2, updated_at = $3 WHERE id = $4")
                    .bind(redated.due_on)
                    .bind(redated.due_by_weekends_only)
                    .bind(now)
                    .bind(appeal.id)
                    .execute(&mut *tx)
                    .await?;
                audit.push(NewAuditEntry::new(
                    AuditAction::Update,
                    AuditEntity::Appeal,
                    &redated.code,
                    Some(serde_json::json!(appeal.data)),
                    Some(serde_json::json!(redated)),
                ));
            }
        });
        Ok(())
    }
}
