//! The statistical report's figures (`zhaoshang_core::statistical_report`): one grouped
//! read of a scope's projects and their funding for a period and the same period a
//! year before, a row per combination of the attributes the report breaks down by.

use crate::sql::{placeholders, prefix_range};
use crate::stats::OVER_100M;
use crate::{Result, Store};
use zhaoshang_core::metrics::{InvestmentFigures, Period};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::statistical_report::{Combination, SizeBand, TOP500_TAGS};

#[derive(sqlx::FromRow)]
struct Row {
    region_group: String,
    origin: String,
    industry: String,
    chain: String,
    investor_type: String,
    band: i64,
    top500: i64,
    c_signed: i64,
    c_signed_investment: i64,
    c_over_100m: i64,
    c_started: i64,
    c_producing: i64,
    c_implementing: i64,
    c_implementing_investment: i64,
    c_funds: i64,
    c_funds_outside: i64,
    p_signed: i64,
    p_signed_investment: i64,
    p_over_100m: i64,
    p_started: i64,
    p_producing: i64,
    p_implementing: i64,
    p_implementing_investment: i64,
    p_funds: i64,
    p_funds_outside: i64,
}

/// The SELECT list of one period's figures, its dates at `${from}` and `${to}` and
/// its funding sums in `f.{funds}` and `f.{funds}_out`, columns prefixed `{prefix}_`.
fn figures_sql(prefix: &str, from: usize, to: usize, funds: &str) -> String {
    let signed = format!("p.stage <> 'dropped' AND p.signed_on >= ${from} AND p.signed_on <= ${to}");
    let implementing = format!(
        "p.stage <> 'dropped' AND p.signed_on <= ${to} AND (p.producing_on IS NULL OR p.producing_on >= ${from})"
    );
    let count = |condition: &str, column: &str| {
        format!("CAST(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS BIGINT) AS {prefix}_{column}")
    };
    let amount = |condition: &str, column: &str| {
        format!("CAST(SUM(CASE WHEN {condition} THEN p.total_investment ELSE 0 END) AS BIGINT) AS {prefix}_{column}")
    };
    [
        count(&signed, "signed"),
        amount(&signed, "signed_investment"),
        count(&format!("{signed} AND p.total_investment >= $7"), "over_100m"),
        count(&format!("{signed} AND p.started_on <= ${to}"), "started"),
        count(&format!("{signed} AND p.producing_on <= ${to}"), "producing"),
        count(&implementing, "implementing"),
        amount(&implementing, "implementing_investment"),
        format!("CAST(COALESCE(SUM(f.{funds}), 0) AS BIGINT) AS {prefix}_funds"),
        format!("CAST(COALESCE(SUM(f.{funds}_out), 0) AS BIGINT) AS {prefix}_funds_outside"),
    ]
    .join(", ")
}

/// The funding subquery's sums of one period: all, and from outside the province.
fn funding_sums_sql(name: &str, from: usize, to: usize) -> String {
    let within = format!("funded_on >= ${from} AND funded_on <= ${to}");
    format!(
        "SUM(CASE WHEN {within} THEN amount ELSE 0 END) AS {name}, \
         SUM(CASE WHEN {within} AND source IN ('outside_province', 'abroad') THEN amount ELSE 0 END) AS {name}_out"
    )
}

/// Which projects a combination read takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportInvestors {
    All,
    /// Only the projects whose investor enterprise is on a 500强 list (few, found by the
    /// investors' credit codes), for the 三个500强 table.
    Top500,
}

impl Store {
    /// The figures of the projects of the scope `prefix` (and of `chains`, when given)
    /// for `period` and the same period a year before, one row per combination of
    /// sub-region (the first `group_len` characters of the region code), investor
    /// origin, industry, chain, investor type, size band and 500强 lists. It reads every
    /// project and record of the scope (of `investors`): for a chain department's few
    /// chains; a whole region's breakdowns are kept as sums (`investment_figures_by_facets`).
    pub async fn report_combinations(
        &self,
        prefix: &str,
        group_len: usize,
        chains: Option<&[String]>,
        period: Period,
        investors: ReportInvestors,
    ) -> Result<Vec<Combination>> {
        if chains.is_some_and(<[String]>::is_empty) {
            return Ok(Vec::new());
        }
        let previous = period.same_period_last_year();
        let (lo, hi) = prefix_range(prefix);
        let chain_filter = match chains {
            Some(chains) => format!("AND p.chain IN ({})", placeholders(8, chains.len())),
            None => String::new(),
        };
        let tag_bits: String =
            TOP500_TAGS.iter().map(|(tag, bit)| format!("WHEN '{}' THEN {bit} ", tag.label())).collect();
        let tag_list: Vec<String> = TOP500_TAGS.iter().map(|(tag, _)| format!("'{}'", tag.label())).collect();
        let tagged = format!(
            "SELECT e.credit_code, SUM(CASE et.tag {tag_bits}ELSE 0 END) AS top500 \
             FROM enterprise_tags et JOIN enterprises e ON e.id = et.enterprise_id \
             WHERE et.tag IN ({}) GROUP BY e.credit_code",
            tag_list.join(", ")
        );
        let (tag_join, funding_filter) = match investors {
            ReportInvestors::All => ("LEFT JOIN", String::new()),
            ReportInvestors::Top500 => (
                "JOIN",
                format!(
                    "AND project_id IN (SELECT tp.id FROM projects tp \
                     WHERE tp.investor_credit_code IN (SELECT credit_code FROM ({tagged}) AS tc))"
                ),
            ),
        };
        let sql = format!(
            "SELECT substr(p.region_code, 1, {group_len}) AS region_group, p.investor_origin AS origin, p.industry, \
                    p.chain, p.investor_type, CAST({band} AS BIGINT) AS band, CAST(COALESCE(t.top500, 0) AS BIGINT) AS top500, \
                    {current}, {earlier} \
             FROM projects p \
             LEFT JOIN (SELECT project_id, {current_sums}, {earlier_sums} FROM project_funding \
                        WHERE region_code >= $5 AND region_code < $6 {funding_filter} \
                          AND ((funded_on >= $1 AND funded_on <= $2) OR (funded_on >= $3 AND funded_on <= $4)) \
                        GROUP BY project_id) f ON f.project_id = p.id \
             {tag_join} ({tagged}) t ON t.credit_code = p.investor_credit_code \
             WHERE p.region_code >= $5 AND p.region_code < $6 {chain_filter} \
               AND ((p.stage <> 'dropped' AND p.signed_on <= $2) OR f.project_id IS NOT NULL) \
             GROUP BY 1, 2, 3, 4, 5, 6, 7",
            band = SizeBand::sql_case("p.total_investment"),
            current = figures_sql("c", 1, 2, "cur"),
            earlier = figures_sql("p", 3, 4, "prev"),
            current_sums = funding_sums_sql("cur", 1, 2),
            earlier_sums = funding_sums_sql("prev", 3, 4),
        );
        let rows: Vec<Row> = on_pool!(self, |pool| {
            let mut query = sqlx::query_as(&sql)
                .bind(period.from)
                .bind(period.to)
                .bind(previous.from)
                .bind(previous.to)
                .bind(&lo)
                .bind(&hi)
                .bind(OVER_100M);
            for chain in chains.unwrap_or_default() {
                query = query.bind(chain);
            }
            query.fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Row::combination).collect())
    }
}

impl Row {
    fn combination(self) -> Combination {
        Combination {
            region_group: self.region_group,
            origin: self.origin,
            industry: self.industry,
            chain: self.chain,
            investor_type: self.investor_type,
            band: self.band,
            top500: u8::try_from(self.top500).unwrap_or(0),
            current: InvestmentFigures {
                signed_count: self.c_signed,
                signed_investment: Yuan(self.c_signed_investment),
                over_100m_count: self.c_over_100m,
                started_count: self.c_started,
                producing_count: self.c_producing,
                implementing_count: self.c_implementing,
                implementing_investment: Yuan(self.c_implementing_investment),
                funds_in_place: Yuan(self.c_funds),
                funds_outside_province: Yuan(self.c_funds_outside),
            },
            previous: InvestmentFigures {
                signed_count: self.p_signed,
                signed_investment: Yuan(self.p_signed_investment),
                over_100m_count: self.p_over_100m,
                started_count: self.p_started,
                producing_count: self.p_producing,
                implementing_count: self.p_implementing,
                implementing_investment: Yuan(self.p_implementing_investment),
                funds_in_place: Yuan(self.p_funds),
                funds_outside_province: Yuan(self.p_funds_outside),
            },
        }
    }
}
