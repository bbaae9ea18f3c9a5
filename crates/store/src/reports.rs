//! Research reports (调研报告) and their numbered suggestions: typed rows, the audited
//! filing of a report with all its suggestions, and the region's list.

use crate::audit::{Actor, AuditAction, AuditEntity, NewAuditEntry};
use crate::sql::prefix_range;
use crate::{Result, Store};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use zhaoshang_core::reports::SuggestionDraft;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct ReportData {
    pub region_code: String,
    pub title: String,
    pub research_group: String,
    pub authors: String,
    pub researched_on: NaiveDate,
    /// One enterprise a line.
    pub enterprises_visited: String,
    pub summary: String,
    /// The proposer (who rates the replies); `None` for a report loaded on its behalf.
    pub filed_by: Option<i64>,
    pub filed_by_name: String,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Report {
    pub id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub data: ReportData,
    pub region_name: String,
    pub suggestion_count: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Suggestion {
    pub id: i64,
    pub report_id: i64,
    pub number: i64,
    pub aspect: String,
    pub text: String,
}

pub(crate) const REPORT_SELECT: &str =
    "SELECT p.id, p.region_code, p.title, p.research_group, p.authors, p.researched_on, \
     p.enterprises_visited, p.summary, p.filed_by, p.filed_by_name, r.name AS region_name, \
     (SELECT COUNT(*) FROM report_suggestions s WHERE s.report_id = p.id) AS suggestion_count, p.created_at \
     FROM research_reports p JOIN regions r ON r.code = p.region_code";

impl Store {
    /// Files a report with its suggestions, in one transaction with its audit entry.
    pub async fn save_report(&self, data: &ReportData, suggestions: &[SuggestionDraft], actor: &Actor) -> Result<i64> {
        let now = Utc::now();
        let id = audited!(self, actor, |tx, audit| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO research_reports (region_code, title, research_group, authors, researched_on, \
                 enterprises_visited, summary, filed_by, filed_by_name, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(&data.region_code)
            .bind(&data.title)
            .bind(&data.research_group)
            .bind(&data.authors)
            .bind(data.researched_on)
            .bind(&data.enterprises_visited)
            .bind(&data.summary)
            .bind(data.filed_by)
            .bind(&data.filed_by_name)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            for suggestion in suggestions {
                sqlx::query("INSERT INTO report_suggestions (report_id, number, aspect, text) VALUES ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(i64::from(suggestion.number))
                    .bind(&suggestion.aspect)
                    .bind(&suggestion.text)
                    .execute(&mut *tx)
                    .await?;
            }
            let listed: Vec<String> =
                suggestions.iter().map(|s| format!("{}. [{}] {}", s.number, s.aspect, s.text)).collect();
            audit.push(NewAuditEntry::new(
                AuditAction::Create,
                AuditEntity::ResearchReport,
                id.to_string(),
                None,
                Some(json!({
                    "region_code": data.region_code, "title": data.title, "research_group": data.research_group,
                    "authors": data.authors, "researched_on": data.researched_on,
                    "enterprises_visited": data.enterprises_visited, "summary": data.summary,
                    "suggestions": listed.join("\n"),
                })),
            ));
            id
        });
        Ok(id)
    }

    pub async fn report(&self, id: i64) -> Result<Option<Report>> {
        let sql = format!("{REPORT_SELECT} WHERE p.id = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    /// The reports of regions under `region_prefix` ("" = all), the latest research first.
    pub async fn reports_page(&self, region_prefix: &str, limit: i64, offset: i64) -> Result<Vec<Report>> {
        let sql = format!(
            "{REPORT_SELECT} WHERE p.region_code >= $1 AND p.region_code < $2 \
             ORDER BY p.researched_on DESC, p.id DESC LIMIT $3 OFFSET $4"
        );
        let (lo, hi) = prefix_range(region_prefix);
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(&lo)
            .bind(&hi)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?))
    }

    /// A report's suggestions in their numbers' order.
    pub async fn report_suggestions(&self, report_id: i64) -> Result<Vec<Suggestion>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, report_id, number, aspect, text FROM report_suggestions WHERE report_id = $1 ORDER BY number"
        )
        .bind(report_id)
        .fetch_all(pool)
        .await?))
    }
}
