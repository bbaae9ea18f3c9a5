//! What is timed, and the same work as plain SQL for the reference (`sqlite3` or
//! `psql`: the scripts are written in SQL both accept).
//!
//! Each operation's answer is also written as text lines in the form `sqlite3`
//! prints its results (`a|b|c`), so that the reference can be checked to compute
//! the same thing before its time is compared.

use crate::dataset::first_day;
use chrono::{Datelike, NaiveDate};
use zhaoshang_core::metrics::{InvestmentFigures, InvestmentReport, Period};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::listing::{ListTotals, ProjectFilter, ProjectSort};
use zhaoshang_store::projects::Project;
use zhaoshang_store::sql::prefix_range;
use zhaoshang_store::stats::{MonthFigure, OVER_100M};
use zhaoshang_store::Store;

/// The dashboard's period: the last year of the data, compared with the one before.
pub fn stats_period() -> Period {
    Period::new(date(2024, 1, 1), date(2024, 12, 31)).expect("ordered dates")
}

/// The same year up to a day within its last month: the last month's figures are
/// read partly from the projects, not only from the monthly sums.
pub fn year_to_date_period() -> Period {
    Period::new(date(2024, 1, 1), date(2024, 11, 20)).expect("ordered dates")
}

/// How a period is named in the table: its year when it is a calendar year, else its days.
pub fn period_label(period: Period) -> String {
    let whole_year = period.from.ordinal() == 1 && period.to == date(period.from.year(), 12, 31);
    if whole_year {
        period.from.year().to_string()
    } else {
        format!("{}..{}", period.from, period.to)
    }
}

pub fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid date")
}

/// 天水市, the city the seeds' figures come from.
pub const CITY: &str = "620500";

pub const PAGE_SIZE: i64 = 50;

/// Pages of the deep-page operation at scale 1 (offset 499,950 with 50 a page).
const DEEP_PAGE_AT_SCALE_1: f64 = 10_000.0;

/// The list both list operations page through, with three filters: the province,
/// the stage 投产, and signings in 2019–2023 (broad, so that deep pages exist).
pub fn list_filter() -> ProjectFilter {
    ProjectFilter {
        region_prefix: "62".to_string(),
        stage: Some("producing".to_string()),
        signed_from: Some(first_day()),
        signed_to: Some(date(2023, 12, 31)),
        ..ProjectFilter::default()
    }
}

/// The web page's default order.
pub const LIST_SORT: ProjectSort = ProjectSort::SignedDesc;

/// The deep page: 10,000 pages at scale 1, scaled, but no further than the last page
/// of the list (and never page 1).
pub fn deep_page(scale: f64, matching: i64) -> i64 {
    let last_page = (matching + PAGE_SIZE - 1) / PAGE_SIZE;
    ((scale * DEEP_PAGE_AT_SCALE_1).round() as i64).min(last_page).max(2)
}

/// The figures an investment report is made of, as SQL computes them, untimed: the
/// expected answer for checking both the timed report and the reference.
pub struct ReportParts {
    pub current: InvestmentFigures,
    pub previous: InvestmentFigures,
    pub funds_year_to_date: Yuan,
    pub target: Option<Yuan>,
}

impl ReportParts {
    pub async fn of(store: &Store, region: &RegionCode, period: Period) -> anyhow::Result<ReportParts> {
        let prefix = region.scope_prefix();
        let year = period.year_to_date();
        Ok(ReportParts {
            current: store.investment_figures(prefix, None, period).await?,
            previous: store.investment_figures(prefix, None, period.same_period_last_year()).await?,
            funds_year_to_date: store.funds_in_place(prefix, None, year.from, year.to).await?,
            target: store.funds_target(region.as_str(), period.to.year()).await?,
        })
    }

    pub fn report(&self, region: &RegionCode, period: Period) -> InvestmentReport {
        InvestmentReport::assemble(
            region.as_str(),
            period,
            &self.current,
            &self.previous,
            self.funds_year_to_date,
            self.target,
        )
    }

    /// The lines `figures_script` prints for the same scope and period.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for f in [&self.current, &self.previous] {
            lines.push(format!(
                "{}|{}|{}|{}|{}",
                f.signed_count, f.signed_investment.0, f.over_100m_count, f.started_count, f.producing_count
            ));
            lines.push(format!("{}|{}", f.implementing_count, f.implementing_investment.0));
            lines.push(format!("{}|{}", f.funds_in_place.0, f.funds_outside_province.0));
        }
        lines.push(self.funds_year_to_date.0.to_string());
        lines.push(self.target.map(|t| t.0.to_string()).unwrap_or_default());
        lines
    }
}

fn scope_sql(prefix: &str) -> String {
    let (lo, hi) = prefix_range(prefix);
    format!("region_code >= '{lo}' AND region_code < '{hi}'")
}

/// An investment report's figures as plain SQL: this year's and last year's signed,
/// implementing and funds figures, funds since 1 January, and the year's target.
pub fn figures_script(region: &RegionCode, period: Period) -> String {
    let scope = scope_sql(region.scope_prefix());
    let mut sql = String::new();
    for Period { from, to } in [period, period.same_period_last_year()] {
        sql.push_str(&format!(
            "SELECT COUNT(*), COALESCE(SUM(total_investment), 0), \
             COALESCE(SUM(CASE WHEN total_investment >= {OVER_100M} THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN started_on <= '{to}' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN producing_on <= '{to}' THEN 1 ELSE 0 END), 0) FROM projects \
             WHERE {scope} AND signed_on >= '{from}' AND signed_on <= '{to}' AND stage <> 'dropped';\n\
             SELECT COUNT(*), COALESCE(SUM(total_investment), 0) FROM projects \
             WHERE {scope} AND signed_on <= '{to}' AND stage <> 'dropped' AND (producing_on IS NULL OR producing_on >= '{from}');\n\
             SELECT COALESCE(SUM(amount), 0), COALESCE(SUM(CASE WHEN source IN ('outside_province', 'abroad') THEN amount END), 0) \
             FROM project_funding WHERE {scope} AND funded_on >= '{from}' AND funded_on <= '{to}';\n"
        ));
    }
    let year = period.year_to_date();
    let code = region.as_str();
    sql.push_str(&format!(
        "SELECT COALESCE(SUM(amount), 0) FROM project_funding WHERE {scope} AND funded_on >= '{}' AND funded_on <= '{}';\n\
         SELECT COALESCE((SELECT funds_target FROM targets WHERE region_code = '{code}' AND year = {y}), \
         (SELECT SUM(funds_target) FROM targets WHERE {scope} AND region_code <> '{code}' AND year = {y}));\n",
        year.from,
        year.to,
        y = period.to.year()
    ));
    sql
}

pub fn month_lines(months: &[MonthFigure]) -> Vec<String> {
    months.iter().map(|m| format!("{}|{}|{}", m.month, m.amount, m.count)).collect()
}

pub fn monthly_signed_script(prefix: &str, period: Period) -> String {
    format!(
        "SELECT substr(CAST(signed_on AS TEXT), 1, 7), SUM(total_investment), COUNT(*) FROM projects \
         WHERE {} AND signed_on >= '{}' AND signed_on <= '{}' AND stage <> 'dropped' GROUP BY 1 ORDER BY 1;",
        scope_sql(prefix),
        period.from,
        period.to
    )
}

pub fn monthly_funds_script(prefix: &str, period: Period) -> String {
    format!(
        "SELECT substr(CAST(funded_on AS TEXT), 1, 7), SUM(amount), COUNT(*) FROM project_funding \
         WHERE {} AND funded_on >= '{}' AND funded_on <= '{}' GROUP BY 1 ORDER BY 1;",
        scope_sql(prefix),
        period.from,
        period.to
    )
}

/// A page's ids, one a line, then its list's count and investment.
pub fn page_lines(page: &[Project], totals: &ListTotals) -> Vec<String> {
    let mut lines: Vec<String> = page.iter().map(|p| p.id.to_string()).collect();
    lines.push(format!("{}|{}", totals.count, totals.total_investment));
    lines
}

/// `list_filter`'s page and totals as plain SQL; `page_lines_of_reference` reduces its
/// output to `page_lines`' form.
pub fn page_script(offset: i64) -> String {
    let filter = list_filter();
    let conditions = format!(
        "{} AND stage = '{}' AND signed_on >= '{}' AND signed_on <= '{}'",
        scope_sql(&filter.region_prefix),
        filter.stage.unwrap_or_default(),
        filter.signed_from.expect("the list has a period"),
        filter.signed_to.expect("the list has a period")
    );
    format!(
        "SELECT * FROM projects WHERE {conditions} ORDER BY signed_on DESC NULLS LAST, id DESC LIMIT {PAGE_SIZE} OFFSET {offset};\n\
         SELECT COUNT(*), COALESCE(SUM(total_investment), 0) FROM projects WHERE {conditions};"
    )
}

/// Keeps the id (first column) of each page row; the last line is the totals.
pub fn page_lines_of_reference(lines: Vec<String>) -> Vec<String> {
    let totals = lines.len().saturating_sub(1);
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| if i < totals { line.split('|').next().unwrap_or_default().to_string() } else { line })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_named_by_year_or_by_days() {
        assert_eq!(period_label(stats_period()), "2024");
        assert_eq!(period_label(year_to_date_period()), "2024-01-01..2024-11-20");
        assert_eq!(period_label(Period::new(date(2024, 1, 2), date(2024, 12, 31)).unwrap()), "2024-01-02..2024-12-31");
    }

    #[test]
    fn deep_pages_stay_within_the_list() {
        assert_eq!(deep_page(1.0, 600_000), 10_000);
        assert_eq!(deep_page(1.0, 400_010), 8_001);
        assert_eq!(deep_page(0.1, 60_000), 1_000);
        assert_eq!(deep_page(0.0001, 30), 2);
    }

    #[test]
    fn reference_pages_keep_ids_and_totals() {
        let lines = vec!["7|BENCH-0000007|名称".to_string(), "3|BENCH-0000003|x".to_string(), "2|500".to_string()];
        assert_eq!(page_lines_of_reference(lines), ["7", "3", "2|500"]);
    }
}
