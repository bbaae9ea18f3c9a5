//! Investment-promotion activities (招商活动): the fairs, meetings and roadshows that
//! projects are signed at (`projects.signing_activity` names one). They belong to no
//! region. Each lists the chambers that took part (`activity_chambers`, by chamber).

use crate::audit::AuditEntity;
use crate::audit::{Actor, NewAuditEntry};
use crate::projects::UpsertOutcome;
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Activity {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub start_on: Option<NaiveDate>,
    pub end_on: Option<NaiveDate>,
    pub place: String,
    pub organiser: String,
    /// Names of the chambers that took part, in the order given.
    #[sqlx(skip)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chambers: Vec<String>,
}

const CHAMBERS_OF_ACTIVITY: &str = "SELECT c.name FROM activity_chambers ac JOIN chambers c ON c.id = ac.chamber_id \
     WHERE ac.activity_id = $1 ORDER BY ac.position";

const ACTIVITY_BY_NAME: &str =
    "SELECT id, name, kind, start_on, end_on, place, organiser FROM activities WHERE name = $1";

impl Store {
    /// Creates or updates activities by name.
    pub async fn upsert_activities(&self, activities: &[Activity], actor: &Actor) -> Result<UpsertOutcome> {
        let mut outcome = UpsertOutcome::default();
        audited!(self, actor, |tx, audit| {
            for activity in activities {
                let mut before: Option<Activity> =
                    sqlx::query_as(ACTIVITY_BY_NAME).bind(&activity.name).fetch_optional(&mut *tx).await?;
                if let Some(before) = &mut before {
                    before.chambers =
                        sqlx::query_scalar(CHAMBERS_OF_ACTIVITY).bind(before.id).fetch_all(&mut *tx).await?;
                    if (Activity { id: before.id, ..activity.clone() }) == *before {
                        outcome.unchanged += 1;
                        continue;
                    }
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO activities (name, kind, start_on, end_on, place, organiser) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, start_on = excluded.start_on, end_on = excluded.end_on, \
                     place = excluded.place, organiser = excluded.organiser RETURNING id",
                )
                .bind(&activity.name)
                .bind(&activity.kind)
                .bind(activity.start_on)
                .bind(activity.end_on)
                .bind(&activity.place)
                .bind(&activity.organiser)
                .fetch_one(&mut *tx)
                .await?;
                if before.as_ref().map(|before| &before.chambers) != Some(&activity.chambers) {
                    sqlx::query("DELETE FROM activity_chambers WHERE activity_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    for (position, name) in activity.chambers.iter().enumerate() {
                        let inserted = sqlx::query(
                            "INSERT INTO activity_chambers (activity_id, chamber_id, position) \
                             SELECT $1, id, $3 FROM chambers WHERE name = $2",
                        )
                        .bind(id)
                        .bind(name)
                        .bind(position as i64)
                        .execute(&mut *tx)
                        .await?;
                        if inserted.rows_affected() == 0 {
                            return Err(StoreError::Invalid(format!("商会“{name}”不在商会名录中")));
                        }
                    }
                }
                let action = outcome.count_written(before.is_some());
                audit.push(NewAuditEntry::new(
                    action,
                    AuditEntity::Activity,
                    &activity.name,
                    before.map(|b| json!(b)),
                    Some(json!(activity)),
                ));
            }
        });
        Ok(outcome)
    }

    pub async fn activity_by_name(&self, name: &str) -> Result<Option<Activity>> {
        let found: Option<Activity> =
            on_pool!(self, |pool| sqlx::query_as(ACTIVITY_BY_NAME).bind(name).fetch_optional(pool).await?);
        let mut found: Vec<Activity> = found.into_iter().collect();
        self.fill_chambers(&mut found).await?;
        Ok(found.pop())
    }

    /// Every activity, the latest first.
    pub async fn activities(&self) -> Result<Vec<Activity>> {
        let mut activities: Vec<Activity> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT id, name, kind, start_on, end_on, place, organiser FROM activities ORDER BY start_on DESC, name"
        )
        .fetch_all(pool)
        .await?
        });
        self.fill_chambers(&mut activities).await?;
        Ok(activities)
    }

    /// The activities a chamber took part in, the latest first.
    pub async fn activities_of_chamber(&self, chamber_id: i64) -> Result<Vec<Activity>> {
        let mut activities: Vec<Activity> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT a.id, a.name, a.kind, a.start_on, a.end_on, a.place, a.organiser \
             FROM activities a JOIN activity_chambers ac ON ac.activity_id = a.id \
             WHERE ac.chamber_id = $1 ORDER BY a.start_on DESC, a.name"
        )
        .bind(chamber_id)
        .fetch_all(pool)
        .await?);
        self.fill_chambers(&mut activities).await?;
        Ok(activities)
    }

    /// Reads the chambers of the activities, all links in one query.
    async fn fill_chambers(&self, activities: &mut [Activity]) -> Result<()> {
        if activities.is_empty() {
            return Ok(());
        }
        let links: Vec<(i64, String)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT ac.activity_id, c.name FROM activity_chambers ac JOIN chambers c ON c.id = ac.chamber_id \
             ORDER BY ac.activity_id, ac.position"
        )
        .fetch_all(pool)
        .await?);
        let mut by_activity: HashMap<i64, Vec<String>> = HashMap::new();
        for (activity_id, name) in links {
            by_activity.entry(activity_id).or_default().push(name);
        }
        for activity in activities {
            activity.chambers = by_activity.remove(&activity.id).unwrap_or_default();
        }
        Ok(())
    }
}
