//! Chambers and associations (商协会): the registry, its filtered list, and the figures of
//! the yearly assessment (`zhaoshang stats chambers`). A project belongs to a chamber
//! when its `source_org` is the chamber's name; an activity lists the chambers that took
//! part (`activity_chambers`).

use crate::audit::{Actor, NewAuditEntry};
use crate::audit::{AuditAction, AuditEntity};
use crate::projects::UpsertOutcome;
use crate::sql::{bind_params, contains_pattern, Conditions, Param};
use crate::{conflict_as, Result, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;
use zhaoshang_core::chambers::ChamberFigures;

/// Everything a chamber says about itself (what imports write). Kind and level are
/// vocabulary keys (`core::chambers`), empty when not given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ChamberData {
    pub name: String,
    pub kind: String,
    /// A division code, or `境外：PLACE`.
    pub location: String,
    pub level: String,
    pub president: String,
    pub contact: String,
    pub phone: String,
    pub liaison_office: bool,
    pub members: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Chamber {
    pub id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub data: ChamberData,
}

const CHAMBER_COLUMNS: &str = "id, name, kind, location, level, president, contact, phone, liaison_office, members";

/// The registry's list filters; `location_prefix` is a division code prefix or `境外：`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChamberFilter {
    pub kind: Option<String>,
    pub level: Option<String>,
    pub location_prefix: Option<String>,
    pub keyword: Option<String>,
}

fn conditions(filter: &ChamberFilter) -> Conditions {
    let mut c = Conditions::new();
    if let Some(kind) = &filter.kind {
        c.push("kind = ?1", vec![Param::Text(kind.clone())]);
    }
    if let Some(level) = &filter.level {
        c.push("level = ?1", vec![Param::Text(level.clone())]);
    }
    if let Some(prefix) = &filter.location_prefix {
        c.push_prefix("location", prefix);
    }
    if let Some(pattern) = contains_pattern(&filter.keyword) {
        c.push("name LIKE ?1 ESCAPE '\\'", vec![Param::Text(pattern)]);
    }
    c
}

impl Store {
    /// Creates or updates chambers by name, audited.
    pub async fn upsert_chambers(&self, chambers: &[ChamberData], actor: &Actor) -> Result<UpsertOutcome> {
        let mut outcome = UpsertOutcome::default();
        let select = format!("SELECT {CHAMBER_COLUMNS} FROM chambers WHERE name = $1");
        audited!(self, actor, |tx, audit| {
            for chamber in chambers {
                let before: Option<Chamber> =
                    sqlx::query_as(&select).bind(&chamber.name).fetch_optional(&mut *tx).await?;
                if before.as_ref().is_some_and(|before| before.data == *chamber) {
                    outcome.unchanged += 1;
                    continue;
                }
                sqlx::query(
                    "INSERT INTO chambers (name, kind, location, level, president, contact, phone, liaison_office, members) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                     ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, location = excluded.location, level = excluded.level, \
                     president = excluded.president, contact = excluded.contact, phone = excluded.phone, \
                     liaison_office = excluded.liaison_office, members = excluded.members",
                )
                .bind(&chamber.name)
                .bind(&chamber.kind)
                .bind(&chamber.location)
                .bind(&chamber.level)
                .bind(&chamber.president)
                .bind(&chamber.contact)
                .bind(&chamber.phone)
                .bind(chamber.liaison_office)
                .bind(chamber.members)
                .execute(&mut *tx)
                .await?;
                let action = outcome.count_written(before.is_some());
                audit.push(NewAuditEntry::new(
                    action,
                    AuditEntity::Chamber,
                    &chamber.name,
                    before.map(|b| json!(b.data)),
                    Some(json!(chamber)),
                ));
            }
        });
        Ok(outcome)
    }

    pub async fn chamber(&self, id: i64) -> Result<Option<Chamber>> {
        let sql = format!("SELECT {CHAMBER_COLUMNS} FROM chambers WHERE id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    pub async fn chamber_by_name(&self, name: &str) -> Result<Option<Chamber>> {
        let sql = format!("SELECT {CHAMBER_COLUMNS} FROM chambers WHERE name = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(name).fetch_optional(pool).await?))
    }

    /// Every chamber, by name (imports check names against it; exports list it).
    pub async fn all_chambers(&self) -> Result<Vec<Chamber>> {
        let sql = format!("SELECT {CHAMBER_COLUMNS} FROM chambers ORDER BY name");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).fetch_all(pool).await?))
    }

    /// One page of the chambers a filter matches, by name.
    pub async fn chambers_page(&self, filter: &ChamberFilter, limit: i64, offset: i64) -> Result<Vec<Chamber>> {
        let c = conditions(filter);
        let sql = c.page_sql(CHAMBER_COLUMNS, "chambers", "name");
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?))
    }

    pub async fn chamber_count(&self, filter: &ChamberFilter) -> Result<i64> {
        let c = conditions(filter);
        let sql = format!("SELECT COUNT(*) FROM chambers {}", c.where_sql());
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_scalar(&sql), &c.params).fetch_one(pool).await?))
    }

    /// How many chambers a filter matches at each stored location (the page's map).
    pub async fn chamber_location_counts(&self, filter: &ChamberFilter) -> Result<Vec<(String, i64)>> {
        let c = conditions(filter);
        let sql =
            format!("SELECT location, COUNT(*) FROM chambers {} GROUP BY location ORDER BY location", c.where_sql());
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params).fetch_all(pool).await?))
    }

    /// The assessment's figures of every chamber for the calendar year `year`, by name:
    /// one grouped query per figure over the whole registry, the funds from the monthly
    /// sums of migration 0048 and the signings from the attributed projects' own index.
    pub async fn chamber_figures(&self, year: i32) -> Result<Vec<ChamberFigures>> {
        let (from, to) = match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
            (Some(from), Some(to)) => (from, to),
            _ => return Err(StoreError::Invalid(format!("年度“{year}”无效"))),
        };
        let names: Vec<(i64, String)> =
            on_pool!(self, |pool| sqlx::query_as("SELECT id, name FROM chambers ORDER BY name")
                .fetch_all(pool)
                .await?);
        // Leads registered in the period, any stage.
        let leads: Vec<(i64, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT c.id, COUNT(*) FROM chambers c JOIN projects p ON p.source_org = c.name \
             WHERE p.lead_on >= $1 AND p.lead_on <= $2 GROUP BY c.id"
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?);
        // Signed in the period as the metrics table counts it: not dropped. Chamber by
        // chamber (SQLite keeps a CROSS JOIN's order), each a range of the attributed
        // projects' index; from the year's signings SQLite would read every region's.
        let signed: Vec<(i64, i64, i64)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT c.id, COUNT(*), CAST(COALESCE(SUM(p.total_investment), 0) AS BIGINT) \
             FROM chambers c CROSS JOIN projects p \
             WHERE p.source_org = c.name AND p.source_org <> '' AND p.signed_on >= $1 AND p.signed_on <= $2 AND p.stage <> 'dropped' \
             GROUP BY c.id"
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?
        });
        // Funds dated in the year, of every attributed project: its twelve months' sums.
        let funds: Vec<(i64, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT c.id, CAST(COALESCE(SUM(s.amount), 0) AS BIGINT) \
             FROM chambers c JOIN chamber_funds s ON s.source_org = c.name \
             WHERE s.month >= $1 AND s.month <= $2 GROUP BY c.id"
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?);
        let activities: Vec<(i64, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT ac.chamber_id, COUNT(*) FROM activity_chambers ac JOIN activities a ON a.id = ac.activity_id \
             WHERE a.start_on >= $1 AND a.start_on <= $2 GROUP BY ac.chamber_id"
        )
        .bind(from)
        .bind(to)
        .fetch_all(pool)
        .await?);
        let mut by_id: HashMap<i64, ChamberFigures> = names
            .iter()
            .map(|(id, name)| (*id, ChamberFigures { chamber: name.clone(), ..Default::default() }))
            .collect();
        for (id, count) in leads {
            by_id.entry(id).or_default().leads = count;
        }
        for (id, count, amount) in signed {
            let figures = by_id.entry(id).or_default();
            (figures.signed_count, figures.signed_investment) = (count, amount);
        }
        for (id, amount) in funds {
            by_id.entry(id).or_default().funds_in_place = amount;
        }
        for (id, count) in activities {
            by_id.entry(id).or_default().activities = count;
        }
        Ok(names.iter().filter_map(|(id, _)| by_id.remove(id)).collect())
    }

    /// Signed investment (yuan, as the metrics table counts it: not dropped) of the
    /// projects of the scope `prefix` attributed to a chamber of the registry, signed
    /// within [from, to], by the first `group_len` characters of the region code (a
    /// region's sub-regions at once, for an evaluation's figure); groups without any
    /// such project are absent.
    pub async fn chamber_signed_investment_by(
        &self,
        prefix: &str,
        group_len: usize,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<HashMap<String, i64>> {
        let (lo, hi) = crate::sql::prefix_range(prefix);
        let group = crate::stats::group_expression(prefix, group_len);
        let sql = format!(
            "SELECT {group}, CAST(COALESCE(SUM(total_investment), 0) AS BIGINT) FROM projects \
             WHERE source_org <> '' AND signed_on >= $1 AND signed_on <= $2 AND stage <> 'dropped' \
               AND region_code >= $3 AND region_code < $4 AND source_org IN (SELECT name FROM chambers) \
             GROUP BY 1"
        );
        let rows: Vec<(String, i64)> =
            on_pool!(self, |pool| sqlx::query_as(&sql).bind(from).bind(to).bind(&lo).bind(&hi).fetch_all(pool).await?);
        Ok(rows.into_iter().collect())
    }
}

/// A year's assessment as published: the weights version it used (`None`: the defaults)
/// and its items as `zhaoshang stats chambers --json` prints them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PublishedAssessment {
    pub year: i32,
    pub weights_version: Option<i64>,
    pub result: String,
    pub published_by: String,
    pub published_at: DateTime<Utc>,
}

impl Store {
    pub async fn published_chamber_assessment(&self, year: i32) -> Result<Option<PublishedAssessment>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT year, weights_version, result, published_by, published_at FROM chamber_assessments WHERE year = $1"
        )
        .bind(year)
        .fetch_optional(pool)
        .await?))
    }

    /// Publishes a year's assessment once (a second time is a conflict), audited.
    pub async fn publish_chamber_assessment(
        &self,
        published: &PublishedAssessment,
        assessed_count: usize,
        actor: &Actor,
    ) -> Result<()> {
        audited!(self, actor, |tx, audit| {
            sqlx::query(
                "INSERT INTO chamber_assessments (year, weights_version, result, published_by, published_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(published.year)
            .bind(published.weights_version)
            .bind(&published.result)
            .bind(&published.published_by)
            .bind(published.published_at)
            .execute(&mut *tx)
            .await
            .map_err(conflict_as(format!("{} 年度先进商会评价结果已发布，不能再次发布", published.year)))?;
            audit.push(NewAuditEntry::new(
                AuditAction::Create,
                AuditEntity::ChamberAssessment,
                published.year.to_string(),
                None,
                Some(json!({ "year": published.year, "weights_version": published.weights_version, "assessed_count": assessed_count })),
            ));
        });
        Ok(())
    }
}
