//! Bulk look-ups for imports and exports: many codes in a few queries instead of a
//! query per row, and whole lists for export.

use crate::projects::{project_columns, Funding, Project, FUNDING_COLUMNS, FUNDING_WITH_PROJECT};
use crate::reference::Region;
use crate::sql::{bind_params, fetch_in_chunks, placeholders, Conditions};
use crate::{Result, Store};

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
            "SELECT {} FROM projects WHERE code IN ({}) ORDER BY code",
            project_columns(),
            placeholders(1, n)
        )))
    }

    /// The stored projects named any of `names` (exactly), for matching rows that carry
    /// no code to stored projects by region, name and investor.
    pub async fn projects_by_names(&self, names: &[String]) -> Result<Vec<Project>> {
        Ok(fetch_in_chunks!(self, query_as, names, |n| format!(
            "SELECT {} FROM projects WHERE name IN ({}) ORDER BY code",
            project_columns(),
            placeholders(1, n)
        )))
    }

    /// The codes of the stored projects that start with `prefix` (compared as text, so
    /// that `%` or `_` in a prefix mean themselves).
    pub async fn project_codes_starting_with(&self, prefix: &str) -> Result<Vec<String>> {
        let length = prefix.chars().count() as i32;
        let sql = "SELECT code FROM projects WHERE substr(code, 1, $2) = $1 ORDER BY code";
        Ok(on_pool!(self, |pool| sqlx::query_scalar(sql).bind(prefix).bind(length).fetch_all(pool).await?))
    }

    /// Projects in id order after `after_id`: walks the whole table page by page
    /// (building the search index) without OFFSET's growing cost.
    pub async fn projects_after(&self, after_id: i64, limit: i64) -> Result<Vec<Project>> {
        let sql = format!("SELECT {} FROM projects WHERE id > $1 ORDER BY id LIMIT $2", project_columns());
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(after_id).bind(limit).fetch_all(pool).await?))
    }

    /// The funding records of the projects with these codes.
    pub async fn funding_of_codes(&self, codes: &[String]) -> Result<Vec<Funding>> {
        Ok(fetch_in_chunks!(self, query_as, codes, |n| format!(
            "SELECT {FUNDING_COLUMNS} FROM {FUNDING_WITH_PROJECT} \
             WHERE p.code IN ({}) ORDER BY p.code, f.funded_on, f.id",
            placeholders(1, n)
        )))
    }

    /// The funds in place (yuan) of the projects with these codes that have any, by code.
    pub async fn funds_in_place_of_codes(&self, codes: &[String]) -> Result<Vec<(String, i64)>> {
        Ok(fetch_in_chunks!(self, query_as, codes, |n| format!(
            "SELECT p.code, CAST(SUM(f.amount) AS BIGINT) FROM {FUNDING_WITH_PROJECT} \
             WHERE p.code IN ({}) GROUP BY p.code",
            placeholders(1, n)
        )))
    }

    /// The codes of the projects of one region (not of its sub-regions).
    pub async fn project_codes_of_region(&self, region_code: &str) -> Result<Vec<String>> {
        let sql = "SELECT code FROM projects WHERE region_code = $1 ORDER BY code";
        Ok(on_pool!(self, |pool| sqlx::query_scalar(sql).bind(region_code).fetch_all(pool).await?))
    }

    /// Every funding record of a region scope (`""` for all), of `chains` only when
    /// given, by project code and date.
    pub async fn all_funding(&self, region_prefix: &str, chains: Option<&[String]>) -> Result<Vec<Funding>> {
        let mut c = Conditions::new();
        c.push_prefix("f.region_code", region_prefix);
        if let Some(chains) = chains {
            c.push_in("f.chain", chains);
        }
        let sql = format!(
            "SELECT {FUNDING_COLUMNS} FROM {FUNDING_WITH_PROJECT} {} \
             ORDER BY p.code, f.funded_on, f.id",
            c.where_sql()
        );
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params).fetch_all(pool).await?))
    }
}
