//! Investment figures computed in SQL over a scope (a region prefix, optionally a
//! chain) and a period, following SPEC.md's definitions exactly; the pure reference
//! in `zhaoshang_core::metrics` is what tests compare these against.

use crate::projects::prefix_range;
use crate::{Result, Store};
use chrono::NaiveDate;
use serde::Serialize;
use zhaoshang_core::metrics::{InvestmentFigures, Period};
use zhaoshang_core::money::Yuan;

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
struct SignedRow {
    signed_count: i64,
    signed_investment: i64,
    over_100m_count: i64,
    started_count: i64,
    producing_count: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
struct ImplementingRow {
    implementing_count: i64,
    implementing_investment: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
struct FundsRow {
    funds_in_place: i64,
    funds_outside_province: i64,
}

/// One month of a series: signed investment and funds in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MonthFigure {
    pub month: String,
    pub amount: i64,
    pub count: i64,
}

/// Threshold of 亿元以上 projects, in yuan.
pub const OVER_100M: i64 = 100_000_000;

impl Store {
    pub async fn investment_figures(
        &self,
        prefix: &str,
        chain: Option<&str>,
        period: Period,
    ) -> Result<InvestmentFigures> {
        let (lo, hi) = prefix_range(prefix);
        let signed: SignedRow = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT COUNT(*) AS signed_count, \
                    CAST(COALESCE(SUM(total_investment), 0) AS BIGINT) AS signed_investment, \
                    CAST(COALESCE(SUM(CASE WHEN total_investment >= $5 THEN 1 ELSE 0 END), 0) AS BIGINT) AS over_100m_count, \
                    CAST(COALESCE(SUM(CASE WHEN started_on <= $4 THEN 1 ELSE 0 END), 0) AS BIGINT) AS started_count, \
                    CAST(COALESCE(SUM(CASE WHEN producing_on <= $4 THEN 1 ELSE 0 END), 0) AS BIGINT) AS producing_count \
             FROM projects \
             WHERE region_code >= $1 AND region_code < $2 AND signed_on >= $3 AND signed_on <= $4 \
               AND stage <> 'dropped' AND ($6 IS NULL OR chain = $6)"
        )
        .bind(&lo)
        .bind(&hi)
        .bind(period.from)
        .bind(period.to)
        .bind(OVER_100M)
        .bind(chain)
        .fetch_one(pool)
        .await?
        });
        let implementing: ImplementingRow = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT COUNT(*) AS implementing_count, CAST(COALESCE(SUM(total_investment), 0) AS BIGINT) AS implementing_investment \
             FROM projects \
             WHERE region_code >= $1 AND region_code < $2 AND signed_on <= $4 AND stage <> 'dropped' \
               AND (producing_on IS NULL OR producing_on >= $3) AND ($5 IS NULL OR chain = $5)"
        )
        .bind(&lo)
        .bind(&hi)
        .bind(period.from)
        .bind(period.to)
        .bind(chain)
        .fetch_one(pool)
        .await?
        });
        let funds = self.funds(prefix, chain, period.from, period.to).await?;
        Ok(InvestmentFigures {
            signed_count: signed.signed_count,
            signed_investment: Yuan(signed.signed_investment),
            over_100m_count: signed.over_100m_count,
            started_count: signed.started_count,
            producing_count: signed.producing_count,
            implementing_count: implementing.implementing_count,
            implementing_investment: Yuan(implementing.implementing_investment),
            funds_in_place: Yuan(funds.funds_in_place),
            funds_outside_province: Yuan(funds.funds_outside_province),
        })
    }

    async fn funds(&self, prefix: &str, chain: Option<&str>, from: NaiveDate, to: NaiveDate) -> Result<FundsRow> {
        let (lo, hi) = prefix_range(prefix);
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS funds_in_place, \
                    CAST(COALESCE(SUM(CASE WHEN source IN ('outside_province', 'abroad') THEN amount ELSE 0 END), 0) AS BIGINT) AS funds_outside_province \
             FROM project_funding \
             WHERE region_code >= $1 AND region_code < $2 AND funded_on >= $3 AND funded_on <= $4 AND ($5 IS NULL OR chain = $5)"
        )
        .bind(&lo)
        .bind(&hi)
        .bind(from)
        .bind(to)
        .bind(chain)
        .fetch_one(pool)
        .await?
        }))
    }

    /// Funds in place of a scope dated within [from, to].
    pub async fn funds_in_place(
        &self,
        prefix: &str,
        chain: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Yuan> {
        Ok(Yuan(self.funds(prefix, chain, from, to).await?.funds_in_place))
    }

    /// The year's funds target of a region: its own, or else the sum of the targets
    /// set for regions within it.
    pub async fn funds_target(&self, region: &str, year: i32) -> Result<Option<Yuan>> {
        let own: Option<Option<i64>> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT funds_target FROM targets WHERE region_code = $1 AND year = $2"
        )
        .bind(region)
        .bind(year as i64)
        .fetch_optional(pool)
        .await?);
        if let Some(Some(target)) = own {
            return Ok(Some(Yuan(target)));
        }
        let prefix = zhaoshang_core::regions::RegionCode::parse(region)
            .map(|r| r.scope_prefix().to_string())
            .unwrap_or_default();
        let (lo, hi) = prefix_range(&prefix);
        let below: Option<i64> = on_pool!(self, |pool| {
            sqlx::query_scalar(
            "SELECT CAST(SUM(funds_target) AS BIGINT) FROM targets WHERE region_code >= $1 AND region_code < $2 AND region_code <> $3 AND year = $4"
        )
        .bind(&lo)
        .bind(&hi)
        .bind(region)
        .bind(year as i64)
        .fetch_one(pool)
        .await?
        });
        Ok(below.map(Yuan))
    }

    /// Signed investment per month of `signed_on` within the period.
    pub async fn monthly_signed(&self, prefix: &str, period: Period) -> Result<Vec<MonthFigure>> {
        let (lo, hi) = prefix_range(prefix);
        let month = self.month_expression("signed_on");
        let sql = format!(
            "SELECT {month} AS month, CAST(SUM(total_investment) AS BIGINT) AS amount, COUNT(*) AS count FROM projects \
             WHERE region_code >= $1 AND region_code < $2 AND signed_on >= $3 AND signed_on <= $4 AND stage <> 'dropped' \
             GROUP BY {month} ORDER BY 1"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(&lo)
            .bind(&hi)
            .bind(period.from)
            .bind(period.to)
            .fetch_all(pool)
            .await?))
    }

    /// Funds in place per month within the period.
    pub async fn monthly_funds(&self, prefix: &str, period: Period) -> Result<Vec<MonthFigure>> {
        let (lo, hi) = prefix_range(prefix);
        let month = self.month_expression("funded_on");
        let sql = format!(
            "SELECT {month} AS month, CAST(SUM(amount) AS BIGINT) AS amount, COUNT(*) AS count FROM project_funding \
             WHERE region_code >= $1 AND region_code < $2 AND funded_on >= $3 AND funded_on <= $4 \
             GROUP BY {month} ORDER BY 1"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(&lo)
            .bind(&hi)
            .bind(period.from)
            .bind(period.to)
            .fetch_all(pool)
            .await?))
    }

    fn month_expression(&self, column: &str) -> String {
        match self.backend() {
            crate::Backend::Sqlite => format!("substr({column}, 1, 7)"),
            crate::Backend::Postgres => format!("to_char({column}, 'YYYY-MM')"),
        }
    }
}

/// Figures of a signing cohort (the projects signed at one activity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct CohortFigures {
    pub signed_count: i64,
    pub signed_investment: i64,
    pub started_count: i64,
    pub producing_count: i64,
    pub funds_in_place: i64,
    /// Earliest signing date of the cohort (stands in for an unknown activity's start).
    pub first_signed_on: Option<NaiveDate>,
}

impl Store {
    /// Projects with `signing_activity = activity`, not 终止, signed by `to`; their
    /// funding dated within [funds_from, to].
    pub async fn cohort_figures(
        &self,
        activity: &str,
        funds_from: Option<NaiveDate>,
        to: NaiveDate,
    ) -> Result<CohortFigures> {
        let mut figures: CohortFigures = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT COUNT(*) AS signed_count, CAST(COALESCE(SUM(total_investment), 0) AS BIGINT) AS signed_investment, \
                    CAST(COALESCE(SUM(CASE WHEN started_on <= $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS started_count, \
                    CAST(COALESCE(SUM(CASE WHEN producing_on <= $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS producing_count, \
                    CAST(0 AS BIGINT) AS funds_in_place, MIN(signed_on) AS first_signed_on \
             FROM projects WHERE signing_activity = $1 AND stage <> 'dropped' AND signed_on <= $2"
        )
        .bind(activity)
        .bind(to)
        .fetch_one(pool)
        .await?
        });
        let from = funds_from.or(figures.first_signed_on);
        figures.funds_in_place = on_pool!(self, |pool| {
            sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(f.amount), 0) AS BIGINT) FROM project_funding f JOIN projects p ON p.id = f.project_id \
             WHERE p.signing_activity = $1 AND p.stage <> 'dropped' AND p.signed_on <= $2 \
               AND f.funded_on <= $2 AND ($3 IS NULL OR f.funded_on >= $3)"
        )
        .bind(activity)
        .bind(to)
        .bind(from)
        .fetch_one(pool)
        .await?
        });
        Ok(figures)
    }
}

impl Store {
    /// The latest date anything happened in a scope (a signing or funds arriving),
    /// so a dashboard can open on the period that has data.
    pub async fn latest_activity_date(&self, prefix: &str) -> Result<Option<NaiveDate>> {
        let (lo, hi) = prefix_range(prefix);
        let signed: Option<NaiveDate> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT MAX(signed_on) FROM projects WHERE region_code >= $1 AND region_code < $2"
        )
        .bind(&lo)
        .bind(&hi)
        .fetch_one(pool)
        .await?);
        let funded: Option<NaiveDate> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT MAX(funded_on) FROM project_funding WHERE region_code >= $1 AND region_code < $2"
        )
        .bind(&lo)
        .bind(&hi)
        .fetch_one(pool)
        .await?);
        Ok(signed.max(funded))
    }
}
