//! Travel plans (出行招商, migration 0046): a leader's trip to a province or city with
//! the visits chosen in order, and what the plan's page gathers about the destination —
//! target enterprises headquartered there, projects whose investors come from there, the
//! liaisons of the chambers there.

use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::sql::{bind_params, contains_pattern, prefix_range, Conditions, Param};
use crate::{Result, Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;

/// A visit of the itinerary: an enterprise of the library or a chamber, on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TravelVisit {
    pub visit_on: NaiveDate,
    /// `core::travel::StopKind`'s key.
    pub kind: String,
    pub enterprise_id: Option<i64>,
    pub chamber_id: Option<i64>,
    /// Read back: the enterprise's or chamber's name and where it is (a division code,
    /// or a chamber's stored location).
    #[serde(skip)]
    pub name: String,
    #[serde(skip)]
    pub place: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TravelPlan {
    pub id: i64,
    /// The travelling leader's region (the province's code for the province's leaders).
    pub region_code: String,
    pub leader: String,
    pub destination_code: String,
    pub start_on: NaiveDate,
    pub end_on: NaiveDate,
    pub purpose: String,
    pub created_by: String,
    #[serde(skip)]
    pub created_at: DateTime<Utc>,
    /// The activity (外出招商) the plan became after the trip.
    pub activity_id: Option<i64>,
    #[sqlx(skip)]
    pub visits: Vec<TravelVisit>,
}

impl TravelPlan {
    fn audit_json(&self) -> Value {
        let visits: Vec<String> = self
            .visits
            .iter()
            .map(|v| match (v.enterprise_id, v.chamber_id) {
                (Some(id), _) => format!("{} 企业{id}", v.visit_on),
                (_, Some(id)) => format!("{} 商会{id}", v.visit_on),
                _ => v.visit_on.to_string(),
            })
            .collect();
        json!({
            "region_code": self.region_code, "leader": self.leader, "destination_code": self.destination_code,
            "start_on": self.start_on, "end_on": self.end_on, "purpose": self.purpose,
            "visits": visits.join("、"), "activity_id": self.activity_id,
        })
    }
}

/// The list's filters: `scope` the reader's region prefix ("" for all), a region of the
/// travelling leaders, a destination (prefix), part of the leader's name or purpose.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TravelFilter {
    pub scope: String,
    pub region: Option<String>,
    pub destination: Option<String>,
    pub text: Option<String>,
}

/// A plan as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TravelRow {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub plan: TravelPlan,
    pub visit_count: i64,
}

/// A target enterprise headquartered at a destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TravelEnterprise {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub region_code: String,
    pub industry: String,
    pub tags: String,
    pub base_score: i64,
    pub is_target: bool,
}

/// A project whose investor comes from a destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TravelProject {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub region_code: String,
    pub chain: String,
    pub stage: String,
    pub investor: String,
    pub investor_origin: String,
    pub total_investment: i64,
    pub signed_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
}

const PLAN_COLUMNS: &str = "t.id, t.region_code, t.leader, t.destination_code, t.start_on, t.end_on, t.purpose, \
     t.created_by, t.created_at, t.activity_id";

fn conditions(filter: &TravelFilter) -> Conditions {
    let mut c = Conditions::new();
    c.push_prefix("t.region_code", &filter.scope);
    if let Some(region) = &filter.region {
        c.push_prefix("t.region_code", region);
    }
    if let Some(destination) = &filter.destination {
        c.push_prefix("t.destination_code", destination);
    }
    if let Some(pattern) = contains_pattern(&filter.text) {
        c.push("(t.leader LIKE ?1 ESCAPE '\\' OR t.purpose LIKE ?1 ESCAPE '\\')", vec![Param::Text(pattern)]);
    }
    c
}

impl Store {
    /// Saves a travel plan with its visits in order: a new one (`id` 0) or the stored one
    /// of its id. Audited; returns the id.
    pub async fn save_travel_plan(&self, plan: &TravelPlan, actor: &Actor) -> Result<i64> {
        let id = audited!(self, actor, |tx, audit| {
            let before: Option<TravelPlan> = if plan.id == 0 {
                None
            } else {
                let sql = format!("SELECT {PLAN_COLUMNS} FROM travel_plans t WHERE t.id = $1");
                let found: Option<TravelPlan> = sqlx::query_as(&sql).bind(plan.id).fetch_optional(&mut *tx).await?;
                let mut found = found.ok_or_else(|| StoreError::NotFound("该出行计划".into()))?;
                found.visits = sqlx::query_as(
                    "SELECT visit_on, kind, enterprise_id, chamber_id, '' AS name, '' AS place \
                     FROM travel_plan_visits WHERE plan_id = $1 ORDER BY position",
                )
                .bind(plan.id)
                .fetch_all(&mut *tx)
                .await?;
                Some(found)
            };
            // One statement either way: the plan's fields bound alike, then who made it
            // (a new plan) or its id (an update).
            let sql = match &before {
                None => {
                    "INSERT INTO travel_plans (region_code, leader, destination_code, start_on, end_on, purpose, \
                     activity_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
                }
                Some(_) => {
                    "UPDATE travel_plans SET region_code = $1, leader = $2, destination_code = $3, start_on = $4, \
                     end_on = $5, purpose = $6, activity_id = $7 WHERE id = $8 RETURNING id"
                }
            };
            let query = sqlx::query_scalar(sql)
                .bind(&plan.region_code)
                .bind(&plan.leader)
                .bind(&plan.destination_code)
                .bind(plan.start_on)
                .bind(plan.end_on)
                .bind(&plan.purpose)
                .bind(plan.activity_id);
            let query = match &before {
                None => query.bind(&actor.name).bind(Utc::now()),
                Some(before) => query.bind(before.id),
            };
            let id: i64 = query.fetch_one(&mut *tx).await?;
            if before.is_some() {
                sqlx::query("DELETE FROM travel_plan_visits WHERE plan_id = $1").bind(id).execute(&mut *tx).await?;
            }
            for (position, visit) in plan.visits.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO travel_plan_visits (plan_id, position, visit_on, kind, enterprise_id, chamber_id) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(position as i64)
                .bind(visit.visit_on)
                .bind(&visit.kind)
                .bind(visit.enterprise_id)
                .bind(visit.chamber_id)
                .execute(&mut *tx)
                .await?;
            }
            audit.push(NewAuditEntry::new(
                if before.is_some() { AuditAction::Update } else { AuditAction::Create },
                AuditEntity::TravelPlan,
                id.to_string(),
                before.as_ref().map(TravelPlan::audit_json),
                Some(plan.audit_json()),
            ));
            id
        });
        Ok(id)
    }

    /// Links a plan to the activity it became, audited.
    pub async fn link_travel_activity(&self, plan_id: i64, activity_id: i64, actor: &Actor) -> Result<()> {
        audited!(self, actor, |tx, audit| {
            let before: Option<Option<i64>> = sqlx::query_scalar("SELECT activity_id FROM travel_plans WHERE id = $1")
                .bind(plan_id)
                .fetch_optional(&mut *tx)
                .await?;
            let before = before.ok_or_else(|| StoreError::NotFound("该出行计划".into()))?;
            sqlx::query("UPDATE travel_plans SET activity_id = $2 WHERE id = $1")
                .bind(plan_id)
                .bind(activity_id)
                .execute(&mut *tx)
                .await?;
            audit.push(NewAuditEntry::new(
                AuditAction::Update,
                AuditEntity::TravelPlan,
                plan_id.to_string(),
                Some(json!({ "activity_id": before })),
                Some(json!({ "activity_id": activity_id })),
            ));
        });
        Ok(())
    }

    /// The plan of `id` with its visits in order, each with its name and place.
    pub async fn travel_plan(&self, id: i64) -> Result<Option<TravelPlan>> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM travel_plans t WHERE t.id = $1");
        let found: Option<TravelPlan> =
            on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?);
        let Some(mut plan) = found else { return Ok(None) };
        plan.visits = on_pool!(self, |pool| sqlx::query_as(
            "SELECT v.visit_on, v.kind, v.enterprise_id, v.chamber_id, \
             COALESCE(e.name, c.name, '') AS name, COALESCE(e.region_code, c.location, '') AS place \
             FROM travel_plan_visits v LEFT JOIN enterprises e ON e.id = v.enterprise_id \
             LEFT JOIN chambers c ON c.id = v.chamber_id WHERE v.plan_id = $1 ORDER BY v.position"
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        Ok(Some(plan))
    }

    /// One page of the plans passing `filter`, the latest trip first, with how many pass.
    pub async fn travel_plans_page(
        &self,
        filter: &TravelFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(i64, Vec<TravelRow>)> {
        let c = conditions(filter);
        let columns = format!(
            "{PLAN_COLUMNS}, (SELECT COUNT(*) FROM travel_plan_visits v WHERE v.plan_id = t.id) AS visit_count"
        );
        let sql = c.page_sql(&columns, "travel_plans t", "t.start_on DESC, t.id DESC");
        let count_sql = format!("SELECT COUNT(*) FROM travel_plans t {}", c.where_sql());
        Ok(on_pool!(self, |pool| {
            let count: i64 = bind_params!(sqlx::query_scalar(&count_sql), &c.params).fetch_one(pool).await?;
            let rows: Vec<TravelRow> =
                bind_params!(sqlx::query_as(&sql), &c.params).bind(limit).bind(offset).fetch_all(pool).await?;
            (count, rows)
        }))
    }

    /// Enterprises headquartered within `destination` (a code prefix) that are targets
    /// (标记为目标企业) or of one of `industries` (the divisions of the chains' gap links),
    /// best base score first, at most `limit`.
    pub async fn travel_enterprises(
        &self,
        destination: &str,
        industries: &[String],
        limit: i64,
    ) -> Result<Vec<TravelEnterprise>> {
        let (lo, hi) = prefix_range(destination);
        let listed = if industries.is_empty() {
            String::new()
        } else {
            format!(" OR e.industry IN ({})", crate::sql::placeholders(4, industries.len()))
        };
        let sql = format!(
            "SELECT e.id, e.name, e.credit_code, e.region_code, e.industry, e.tags, e.base_score, e.is_target \
             FROM enterprises e WHERE e.region_code >= $1 AND e.region_code < $2 AND (e.is_target{listed}) \
             ORDER BY e.base_score DESC, e.id LIMIT $3"
        );
        Ok(on_pool!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(&lo).bind(&hi).bind(limit);
            for industry in industries {
                query = query.bind(industry);
            }
            query.fetch_all(pool).await?
        }))
    }

    /// Projects of `region` (a code prefix) negotiating or signed and not started whose
    /// investor comes from the destination: its 投资方来源地 names `keyword`, or the
    /// investor is an enterprise of the library headquartered within `destination`.
    /// Largest first, at most 200; `chains_in` narrows them as `ProjectFilter` does.
    pub async fn travel_projects(
        &self,
        region: &str,
        keyword: &str,
        destination: &str,
        chains_in: Option<&[String]>,
    ) -> Result<Vec<TravelProject>> {
        let (lo, hi) = prefix_range(region);
        let (dlo, dhi) = prefix_range(destination);
        let pattern = crate::sql::like_contains(keyword);
        let chains = match chains_in {
            Some([]) => " AND 1 = 0".to_string(),
            Some(names) => format!(" AND p.chain IN ({})", crate::sql::placeholders(7, names.len())),
            None => String::new(),
        };
        let sql = format!(
            "SELECT p.id, p.code, p.name, p.region_code, p.chain, p.stage, p.investor, p.investor_origin, \
             p.total_investment, p.signed_on, p.started_on FROM projects p \
             WHERE p.region_code >= $1 AND p.region_code < $2 \
             AND (p.stage = 'negotiating' OR (p.stage = 'signed' AND p.started_on IS NULL)) \
             AND (p.investor_origin LIKE $3 ESCAPE '\\' OR (p.investor_credit_code <> '' AND EXISTS (\
             SELECT 1 FROM enterprises e WHERE e.credit_code = p.investor_credit_code \
             AND e.region_code >= $4 AND e.region_code < $5))){chains} \
             ORDER BY p.total_investment DESC, p.id LIMIT $6"
        );
        Ok(on_pool!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(&lo).bind(&hi).bind(&pattern).bind(&dlo).bind(&dhi).bind(200_i64);
            for name in chains_in.unwrap_or_default() {
                query = query.bind(name);
            }
            query.fetch_all(pool).await?
        }))
    }

    /// The liaisons (商会联络员 accounts, enabled) of the chambers, by chamber: display names.
    pub async fn chamber_liaisons(&self, chamber_ids: &[i64]) -> Result<HashMap<i64, Vec<String>>> {
        if chamber_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(i64, String)> = crate::sql::fetch_in_chunks!(self, query_as, chamber_ids, |n| format!(
            "SELECT chamber_id, display_name FROM users WHERE role = 'liaison' AND NOT disabled \
             AND chamber_id IN ({}) ORDER BY chamber_id, display_name",
            crate::sql::placeholders(1, n)
        ));
        let mut by_chamber: HashMap<i64, Vec<String>> = HashMap::new();
        for (chamber, name) in rows {
            by_chamber.entry(chamber).or_default().push(name);
        }
        Ok(by_chamber)
    }
}
