//! Investment-promotion activities (招商活动): the fairs, meetings and roadshows that
//! projects are signed at (`projects.signing_activity` names one). They belong to no
//! region.

use crate::audit::{Actor, NewAuditEntry};
use crate::projects::UpsertOutcome;
use crate::{Result, Store};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Activity {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub start_on: Option<NaiveDate>,
    pub end_on: Option<NaiveDate>,
    pub place: String,
    pub organiser: String,
}

const ACTIVITY_BY_NAME: &str =
    "SELECT id, name, kind, start_on, end_on, place, organiser FROM activities WHERE name = $1";

impl Store {
    /// Creates or updates activities by name.
    pub async fn upsert_activities(&self, activities: &[Activity], actor: &Actor) -> Result<UpsertOutcome> {
        let mut outcome = UpsertOutcome::default();
        audited!(self, actor, |tx, audit| {
            for activity in activities {
                let before: Option<Activity> =
                    sqlx::query_as(ACTIVITY_BY_NAME).bind(&activity.name).fetch_optional(&mut *tx).await?;
                if let Some(before) = &before {
                    if (Activity { id: before.id, ..activity.clone() }) == *before {
                        outcome.unchanged += 1;
                        continue;
                    }
                }
                sqlx::query(
                    "INSERT INTO activities (name, kind, start_on, end_on, place, organiser) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, start_on = excluded.start_on, end_on = excluded.end_on, \
                     place = excluded.place, organiser = excluded.organiser",
                )
                .bind(&activity.name)
                .bind(&activity.kind)
                .bind(activity.start_on)
                .bind(activity.end_on)
                .bind(&activity.place)
                .bind(&activity.organiser)
                .execute(&mut *tx)
                .await?;
                let action = outcome.count_written(before.is_some());
                audit.push(NewAuditEntry::new(
                    action,
                    "activity",
                    &activity.name,
                    before.map(|b| json!(b)),
                    Some(json!(activity)),
                ));
            }
        });
        Ok(outcome)
    }

    pub async fn activity_by_name(&self, name: &str) -> Result<Option<Activity>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(ACTIVITY_BY_NAME).bind(name).fetch_optional(pool).await?))
    }

    /// Every activity, the latest first.
    pub async fn activities(&self) -> Result<Vec<Activity>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, name, kind, start_on, end_on, place, organiser FROM activities ORDER BY start_on DESC, name"
        )
        .fetch_all(pool)
        .await?))
    }
}
