//! Bulk look-ups for imports and exports: many codes in a few queries instead of a
//! query per row, and whole lists for export.

use crate::listing::{bind_params, Conditions, Param};
use crate::projects::{prefix_range, Funding, Project, PROJECT_DATA_COLUMNS};
use crate::reference::Region;
use crate::{Result, Store};

/// Codes per `IN (…)` list: well below SQLite's and PostgreSQL's parameter limits.
pub(crate) const CHUNK: usize = 500;

/// `$1, $2, …, $count`.
pub(crate) fn placeholders(count: usize) -> String {
    (1..=count).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

const FUNDING_COLUMNS: &str = "f.id, f.project_id, p.code AS project_code, p.name AS project_name, f.region_code, \
     f.funded_on, f.amount, f.source";

impl Store {
    /// Every administrative division, by code (for resolving names in imports).
    pub async fn all_regions(&self) -> Result<Vec<Region>> {
        Ok(on_pool!(self, |pool| sqlx::query_as("SELECT code, name, level, parent_code FROM regions ORDER BY code")
            .fetch_all(pool)
            .await?))
    }

    /// The stored projects among `codes` (unknown codes are simply absent).
    pub async fn projects_by_codes(&self, codes: &[String]) -> Result<Vec<Project>> {
        Ok(fetch_in_chunks!(self, query_as, codes, |n| format!(
            "SELECT id, {}, created_at, updated_at FROM projects WHERE code IN ({}) ORDER BY code",
            PROJECT_DATA_COLUMNS.join(", "),
            placeholders(n)
        )))
    }

    /// Projects in id order after `after_id`: walks the whole table page by page
    /// (building the search index) without OFFSET's growing cost.
    pub async fn projects_after(&self, after_id: i64, limit: i64) -> Result<Vec<Project>> {
        let sql = format!(
            "SELECT id, {}, created_at, updated_at FROM projects WHERE id > $1 ORDER BY id LIMIT $2",
            PROJECT_DATA_COLUMNS.join(", ")
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(after_id).bind(limit).fetch_all(pool).await?))
    }

    /// The funding records of the projects with these codes.
    pub async fn funding_of_codes(&self, codes: &[String]) -> Result<Vec<Funding>> {
        Ok(fetch_in_chunks!(self, query_as, codes, |n| format!(
            "SELECT {FUNDING_COLUMNS} FROM project_funding f JOIN projects p ON p.id = f.project_id \
             WHERE p.code IN ({}) ORDER BY p.code, f.funded_on, f.id",
            placeholders(n)
        )))
    }

    /// Every funding record of a region scope (`""` for all), of `chains` only when
    /// given, by project code and date.
    pub async fn all_funding(&self, region_prefix: &str, chains: Option<&[String]>) -> Result<Vec<Funding>> {
        let (lo, hi) = prefix_range(region_prefix);
        let mut c = Conditions::new();
        c.push("f.region_code >= ?1 AND f.region_code < ?2", vec![Param::Text(lo), Param::Text(hi)]);
        if let Some(chains) = chains {
            c.push_in("f.chain", chains);
        }
        let sql = format!(
            "SELECT {FUNDING_COLUMNS} FROM project_funding f JOIN projects p ON p.id = f.project_id {} \
             ORDER BY p.code, f.funded_on, f.id",
            c.where_sql()
        );
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params).fetch_all(pool).await?))
    }
}
