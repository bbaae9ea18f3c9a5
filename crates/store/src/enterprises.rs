//! The enterprise library (企业库): enterprises keyed by their unified social credit
//! code, with tags kept both as normalised text and as rows of `enterprise_tags` (so a
//! tag filter is an index look-up), and filtered, sorted, paginated lists.

use crate::audit::{Actor, NewAuditEntry};
use crate::audit::{AuditAction, AuditEntity};
use crate::projects::UpsertOutcome;
use crate::sql::{
    bind_params, contains_pattern, fetch_in_chunks, placeholders, rows_per_statement, value_rows, Conditions, Param,
};
use crate::{Result, Store};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use zhaoshang_core::chains::targets::{base_score, ScoreWeights};
use zhaoshang_core::enterprises::{Tags, TAG_SEPARATOR};
use zhaoshang_core::money::Yuan;

/// Everything an enterprise says about itself (what imports write).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct EnterpriseData {
    /// Validated and uppercased (zhaoshang_core::credit_code).
    pub credit_code: String,
    pub name: String,
    /// Headquarters: a division anywhere in China.
    pub region_code: String,
    /// GB/T 4754 code (usually a two-digit division), empty when unknown.
    pub industry: String,
    /// Tag labels in vocabulary order joined by “、” (zhaoshang_core::enterprises::Tags::labels).
    pub tags: String,
    pub stock_code: String,
    /// Yuan; `None` when unknown.
    pub revenue: Option<i64>,
    pub employees: Option<i64>,
    /// Yuan; `None` when unknown.
    pub registered_capital: Option<i64>,
    pub description: String,
    /// An investment-promotion target (招商目标企业) rather than only a local enterprise.
    pub is_target: bool,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Enterprise {
    pub id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub data: EnterpriseData,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const DATA_COLUMNS: &[&str] = &[
    "credit_code",
    "name",
    "region_code",
    "industry",
    "tags",
    "stock_code",
    "revenue",
    "employees",
    "registered_capital",
    "description",
    "is_target",
];

fn columns() -> String {
    format!("id, {}, created_at, updated_at", DATA_COLUMNS.join(", "))
}

/// Binds an `EnterpriseData` in `DATA_COLUMNS` order.
macro_rules! bind_enterprise {
    ($query:expr, $data:expr) => {{
        let d: &EnterpriseData = $data;
        $query
            .bind(&d.credit_code)
            .bind(&d.name)
            .bind(&d.region_code)
            .bind(&d.industry)
            .bind(&d.tags)
            .bind(&d.stock_code)
            .bind(d.revenue)
            .bind(d.employees)
            .bind(d.registered_capital)
            .bind(&d.description)
            .bind(d.is_target)
    }};
}

impl EnterpriseData {
    /// The scope-independent part of the target score, stored so that the best target
    /// candidates of an industry are read in index order.
    pub fn base_score(&self) -> i64 {
        let tags = Tags::from_stored(&self.tags, &self.stock_code);
        i64::from(base_score(&tags, self.revenue.map(Yuan), &ScoreWeights::default()))
    }

    /// The tag labels, one per `enterprise_tags` row.
    fn tag_list(&self) -> impl Iterator<Item = &str> {
        self.tags.split(TAG_SEPARATOR).map(str::trim).filter(|tag| !tag.is_empty())
    }
}

/// Every filter is optional; `region_prefix` is the user's scope intersected with the
/// region chosen.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EnterpriseFilter {
    pub region_prefix: String,
    /// GB/T 4754 code: a division ("32") or a section letter ("C"), matched as given.
    pub industry: Option<String>,
    /// One tag label ("专精特新").
    pub tag: Option<String>,
    /// Part of the name or of the credit code.
    pub keyword: Option<String>,
    pub is_target: Option<bool>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnterpriseSort {
    #[default]
    RevenueDesc,
    Name,
    EmployeesDesc,
    CapitalDesc,
    UpdatedDesc,
    CreditCode,
}

impl EnterpriseSort {
    pub const ALL: [EnterpriseSort; 6] = [
        EnterpriseSort::RevenueDesc,
        EnterpriseSort::Name,
        EnterpriseSort::EmployeesDesc,
        EnterpriseSort::CapitalDesc,
        EnterpriseSort::UpdatedDesc,
        EnterpriseSort::CreditCode,
    ];

    /// Unknown keys fall back to the default order.
    pub fn parse(text: &str) -> EnterpriseSort {
        serde_json::from_value(serde_json::Value::String(text.to_string())).unwrap_or_default()
    }

    pub fn key(self) -> &'static str {
        match self {
            EnterpriseSort::RevenueDesc => "revenue_desc",
            EnterpriseSort::Name => "name",
            EnterpriseSort::EmployeesDesc => "employees_desc",
            EnterpriseSort::CapitalDesc => "capital_desc",
            EnterpriseSort::UpdatedDesc => "updated_desc",
            EnterpriseSort::CreditCode => "credit_code",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EnterpriseSort::RevenueDesc => "营业收入↓",
            EnterpriseSort::Name => "企业名称",
            EnterpriseSort::EmployeesDesc => "从业人数↓",
            EnterpriseSort::CapitalDesc => "注册资本↓",
            EnterpriseSort::UpdatedDesc => "最近更新",
            EnterpriseSort::CreditCode => "信用代码",
        }
    }

    fn order_by(self) -> &'static str {
        match self {
            EnterpriseSort::RevenueDesc => "revenue DESC NULLS LAST, id DESC",
            EnterpriseSort::Name => "name ASC, id ASC",
            EnterpriseSort::EmployeesDesc => "employees DESC NULLS LAST, id DESC",
            EnterpriseSort::CapitalDesc => "registered_capital DESC NULLS LAST, id DESC",
            EnterpriseSort::UpdatedDesc => "updated_at DESC, id DESC",
            EnterpriseSort::CreditCode => "credit_code ASC",
        }
    }
}

/// Count and revenue sum of a filtered list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct EnterpriseTotals {
    pub count: i64,
    pub revenue: i64,
}

fn conditions(filter: &EnterpriseFilter) -> Conditions {
    use Param::*;
    let mut c = Conditions::new();
    if !filter.region_prefix.is_empty() {
        c.push_prefix("region_code", &filter.region_prefix);
    }
    if let Some(industry) = filter.industry.as_ref().filter(|i| !i.is_empty()) {
        c.push("industry = ?1", vec![Text(industry.clone())]);
    }
    if let Some(tag) = filter.tag.as_ref().filter(|t| !t.is_empty()) {
        c.push("id IN (SELECT enterprise_id FROM enterprise_tags WHERE tag = ?1)", vec![Text(tag.clone())]);
    }
    if let Some(pattern) = contains_pattern(&filter.keyword) {
        c.push("(name LIKE ?1 ESCAPE '\\' OR credit_code LIKE ?1 ESCAPE '\\')", vec![Text(pattern)]);
    }
    match filter.is_target {
        Some(true) => c.push("is_target = TRUE", vec![]),
        Some(false) => c.push("is_target = FALSE", vec![]),
        None => {}
    }
    c
}

impl Store {
    pub async fn enterprise(&self, id: i64) -> Result<Option<Enterprise>> {
        let sql = format!("SELECT {} FROM enterprises WHERE id = $1", columns());
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?))
    }

    pub async fn enterprise_by_code(&self, credit_code: &str) -> Result<Option<Enterprise>> {
        let sql = format!("SELECT {} FROM enterprises WHERE credit_code = $1", columns());
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(credit_code).fetch_optional(pool).await?))
    }

    /// The first enterprise of the library with exactly this name.
    pub async fn enterprise_by_name(&self, name: &str) -> Result<Option<Enterprise>> {
        let sql = format!("SELECT {} FROM enterprises WHERE name = $1 ORDER BY id LIMIT 1", columns());
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(name).fetch_optional(pool).await?))
    }

    /// The stored enterprises among `codes` (unknown codes are simply absent).
    pub async fn enterprises_by_codes(&self, codes: &[String]) -> Result<Vec<Enterprise>> {
        Ok(fetch_in_chunks!(self, query_as, codes, |n| format!(
            "SELECT {} FROM enterprises WHERE credit_code IN ({}) ORDER BY credit_code",
            columns(),
            placeholders(1, n)
        )))
    }

    /// Creates or updates enterprises by credit code in one transaction (all or nothing),
    /// with an audit entry for every enterprise that changed.
    pub async fn upsert_enterprises(&self, enterprises: &[EnterpriseData], actor: &Actor) -> Result<UpsertOutcome> {
        let select = format!("SELECT {} FROM enterprises WHERE credit_code = $1", columns());
        let n = DATA_COLUMNS.len();
        let insert = format!(
            "INSERT INTO enterprises ({}, created_at, updated_at, base_score) VALUES ({}, ${}, ${}, ${}) RETURNING id",
            DATA_COLUMNS.join(", "),
            placeholders(1, n),
            n + 1,
            n + 1,
            n + 2
        );
        let assignments: Vec<String> =
            DATA_COLUMNS.iter().enumerate().skip(1).map(|(i, c)| format!("{c} = ${}", i + 1)).collect();
        let update = format!(
            "UPDATE enterprises SET {}, updated_at = ${}, base_score = ${} WHERE credit_code = $1",
            assignments.join(", "),
            n + 1,
            n + 2
        );
        let mut outcome = UpsertOutcome::default();
        audited!(self, actor, |tx, audit| {
            for data in enterprises {
                let now = Utc::now();
                let existing: Option<Enterprise> =
                    sqlx::query_as(&select).bind(&data.credit_code).fetch_optional(&mut *tx).await?;
                let (id, action, before) = match existing {
                    Some(existing) if existing.data == *data => {
                        outcome.unchanged += 1;
                        continue;
                    }
                    Some(existing) => {
                        bind_enterprise!(sqlx::query(&update), data)
                            .bind(now)
                            .bind(data.base_score())
                            .execute(&mut *tx)
                            .await?;
                        outcome.updated += 1;
                        (existing.id, AuditAction::Update, Some(existing.data))
                    }
                    None => {
                        let id: i64 = bind_enterprise!(sqlx::query_scalar(&insert), data)
                            .bind(now)
                            .bind(data.base_score())
                            .fetch_one(&mut *tx)
                            .await?;
                        outcome.created += 1;
                        (id, AuditAction::Create, None)
                    }
                };
                if before.as_ref().is_none_or(|before| before.tags != data.tags) {
                    sqlx::query("DELETE FROM enterprise_tags WHERE enterprise_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    for tag in data.tag_list() {
                        sqlx::query(
                            "INSERT INTO enterprise_tags (enterprise_id, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                        )
                        .bind(id)
                        .bind(tag)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                audit.push(NewAuditEntry::new(
                    action,
                    AuditEntity::Enterprise,
                    data.credit_code.clone(),
                    before.map(|before| json!(before)),
                    Some(json!(data)),
                ));
            }
        });
        Ok(outcome)
    }

    pub async fn list_enterprises(
        &self,
        filter: &EnterpriseFilter,
        sort: EnterpriseSort,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Enterprise>> {
        let c = conditions(filter);
        let sql = c.page_sql(&columns(), "enterprises", sort.order_by());
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?))
    }

    /// The filtered enterprises in credit-code order after `after` (exclusive): an
    /// export walks the whole library page by page through the credit code's unique
    /// index, where OFFSET would skip ever more rows (quadratic over 5,000,000).
    pub async fn enterprises_by_code_after(
        &self,
        filter: &EnterpriseFilter,
        after: &str,
        limit: i64,
    ) -> Result<Vec<Enterprise>> {
        let mut c = conditions(filter);
        c.push("credit_code > ?1", vec![Param::Text(after.to_string())]);
        let sql = format!(
            "SELECT {} FROM enterprises {} ORDER BY {} LIMIT ${}",
            columns(),
            c.where_sql(),
            EnterpriseSort::CreditCode.order_by(),
            c.params.len() + 1
        );
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params).bind(limit).fetch_all(pool).await?))
    }

    pub async fn enterprise_totals(&self, filter: &EnterpriseFilter) -> Result<EnterpriseTotals> {
        let c = conditions(filter);
        let sql = format!(
            "SELECT COUNT(*) AS count, CAST(COALESCE(SUM(revenue), 0) AS BIGINT) AS revenue FROM enterprises {}",
            c.where_sql()
        );
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params).fetch_one(pool).await?))
    }

    /// Enterprises in id order after `after_id`: walks the whole table page by page
    /// (building the search index) without OFFSET's growing cost.
    pub async fn enterprises_after(&self, after_id: i64, limit: i64) -> Result<Vec<Enterprise>> {
        let sql = format!("SELECT {} FROM enterprises WHERE id > $1 ORDER BY id LIMIT $2", columns());
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(after_id).bind(limit).fetch_all(pool).await?))
    }
}

impl Store {
    /// Benchmark loading (`crates/bench`): appends enterprises with many rows per INSERT
    /// in one transaction, without audit entries — only for generating volumes of test
    /// data, never for records people enter. Returns the ids given, in input order.
    pub async fn bulk_insert_enterprises(&self, enterprises: &[EnterpriseData], at: DateTime<Utc>) -> Result<Vec<i64>> {
        const PARAMETERS: usize = DATA_COLUMNS.len() + 4;
        let first_id: i64 = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT CAST(COALESCE(MAX(id), 0) + 1 AS BIGINT) FROM enterprises"
        )
        .fetch_one(pool)
        .await?);
        let ids: Vec<i64> = (first_id..).take(enterprises.len()).collect();
        on_pool!(self, |pool| {
            let mut tx = pool.begin_with(self.begin_write()).await?;
            for (chunk, chunk_ids) in
                enterprises.chunks(rows_per_statement(PARAMETERS)).zip(ids.chunks(rows_per_statement(PARAMETERS)))
            {
                let sql = format!(
                    "INSERT INTO enterprises (id, {}, created_at, updated_at, base_score) VALUES {}",
                    DATA_COLUMNS.join(", "),
                    value_rows(self.backend(), chunk.len(), PARAMETERS)
                );
                let mut query = sqlx::query(&sql);
                for (data, id) in chunk.iter().zip(chunk_ids) {
                    query = bind_enterprise!(query.bind(id), data).bind(at).bind(at).bind(data.base_score());
                }
                query.execute(&mut *tx).await?;
            }
            let tags: Vec<(i64, &str)> = enterprises
                .iter()
                .zip(&ids)
                .flat_map(|(data, id)| data.tag_list().map(move |tag| (*id, tag)))
                .collect();
            for chunk in tags.chunks(rows_per_statement(2)) {
                let sql = format!(
                    "INSERT INTO enterprise_tags (enterprise_id, tag) VALUES {}",
                    value_rows(self.backend(), chunk.len(), 2)
                );
                let mut query = sqlx::query(&sql);
                for (id, tag) in chunk {
                    query = query.bind(id).bind(*tag);
                }
                query.execute(&mut *tx).await?;
            }
            if self.backend() == crate::Backend::Postgres {
                sqlx::query(
                    "SELECT setval(pg_get_serial_sequence('enterprises', 'id'), (SELECT MAX(id) FROM enterprises))",
                )
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        Ok(ids)
    }
}
