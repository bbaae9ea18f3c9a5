//! Investment figures computed in SQL over a scope (a region prefix, optionally a
//! chain) and a period, following SPEC.md's definitions exactly; the pure reference
//! in `zhaoshang_core::metrics` is what tests compare these against.

use crate::projects::ProjectData;
use crate::sql::{bind_params, prefix_range, value_rows, Conditions};
use crate::{Result, Store, StoreError};
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;
use zhaoshang_core::evaluation::cadres::CadreKey;
use zhaoshang_core::metrics::{FundingFact, FundingSource, InvestmentFigures, Period, ProjectFact};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::Stage;
use zhaoshang_core::statistical_report::SizeBand;

/// The figures of a period's signings (see `Store::signed_figures`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct SignedRow {
    signed_count: i64,
    signed_investment: i64,
    over_100m_count: i64,
    started_count: i64,
    producing_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct ImplementingRow {
    grp: String,
    implementing_count: i64,
    implementing_investment: i64,
}

impl ImplementingRow {
    fn empty(grp: String) -> ImplementingRow {
        ImplementingRow { grp, implementing_count: 0, implementing_investment: 0 }
    }
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

/// Grain of a `stat_sums` row: its bucket is a day, the first of a month, or 1 January.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grain {
    Day,
    Month,
    Year,
}

/// The five date ranges of `stat_sums` buckets that together cover a period exactly:
/// days at its head, months, years, months, days at its tail, in that order; an
/// unused range is empty (`EMPTY`). Bucket values are each row's first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cover([(Grain, NaiveDate, NaiveDate); 5]);

/// The earliest date the buckets are read from for "everything up to a day".
fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1, 1, 1).expect("valid date")
}

/// An empty range (from after to), within both backends' dates.
fn empty() -> (NaiveDate, NaiveDate) {
    (NaiveDate::from_ymd_opt(9999, 12, 31).expect("valid date"), epoch())
}

pub(crate) fn month_start(date: NaiveDate) -> NaiveDate {
    date.with_day(1).expect("every month has a first day")
}

fn next_month_start(date: NaiveDate) -> NaiveDate {
    month_start(date).checked_add_months(Months::new(1)).unwrap_or(NaiveDate::MAX)
}

pub(crate) fn month_end(date: NaiveDate) -> NaiveDate {
    next_month_start(date).pred_opt().unwrap_or(NaiveDate::MAX)
}

fn year_start(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MAX)
}

impl Cover {
    /// The buckets covering [from, to]; with `years` false no year rows are used (for
    /// series by month).
    pub(crate) fn of(from: NaiveDate, to: NaiveDate, years: bool) -> Cover {
        use Grain::*;
        let (none_from, none_to) = empty();
        let mut ranges = [
            (Day, none_from, none_to),
            (Month, none_from, none_to),
            (Year, none_from, none_to),
            (Month, none_from, none_to),
            (Day, none_from, none_to),
        ];
        if from > to {
            return Cover(ranges);
        }
        // Whole months within the period: [first_month, last_month] by first days.
        let first_month = if from.day() == 1 { from } else { next_month_start(from) };
        let after_last_month = if to.succ_opt().is_some_and(|next| next.day() == 1) {
            to.succ_opt().unwrap_or(NaiveDate::MAX)
        } else {
            month_start(to)
        };
        if first_month >= after_last_month {
            ranges[0] = (Day, from, to);
            return Cover(ranges);
        }
        let last_month = after_last_month.checked_sub_months(Months::new(1)).unwrap_or(NaiveDate::MIN);
        if from < first_month {
            ranges[0] = (Day, from, first_month.pred_opt().unwrap_or(NaiveDate::MIN));
        }
        if to >= after_last_month {
            ranges[4] = (Day, after_last_month, to);
        }
        // Whole years within the whole months.
        let first_year = if first_month.month() == 1 { first_month.year() } else { first_month.year() + 1 };
        let last_year = if last_month.month() == 12 { last_month.year() } else { last_month.year() - 1 };
        if !years || first_year > last_year {
            ranges[1] = (Month, first_month, last_month);
            return Cover(ranges);
        }
        if first_month < year_start(first_year) {
            ranges[1] = (Month, first_month, NaiveDate::from_ymd_opt(first_year - 1, 12, 1).expect("valid date"));
        }
        ranges[2] = (Year, year_start(first_year), year_start(last_year));
        if last_month >= year_start(last_year + 1) {
            ranges[3] = (Month, year_start(last_year + 1), last_month);
        }
        Cover(ranges)
    }

    /// Its two day ranges (at the head and the tail; either may be empty).
    fn days(self) -> [(NaiveDate, NaiveDate); 2] {
        let [(_, head_from, head_to), .., (_, tail_from, tail_to)] = self.0;
        [(head_from, head_to), (tail_from, tail_to)]
    }

    /// Everything up to and including `to`.
    pub(crate) fn up_to(to: NaiveDate) -> Cover {
        Cover::of(epoch(), to, true)
    }

    /// Everything strictly before `day`.
    pub(crate) fn before(day: NaiveDate) -> Cover {
        match day.pred_opt() {
            Some(to) => Cover::up_to(to),
            None => Cover::of(empty().0, empty().1, true),
        }
    }
}

/// How a period is read from sums kept by month of a first date and month of a second,
/// later one (signing and start or production, `stat_pairs`; an appeal's receipt and
/// settling, `appeal_sums`), as figures that compare the second date with the period's
/// end need it: the cells of the period's whole months (`middle`, half-open, up to the
/// month its end falls in, or to the end itself when that is a month's last day) whose
/// second date fell in an earlier month; the rows themselves for the rest — first
/// dates at the `head` and `tail` (inclusive, partial months; a range may be empty),
/// and, of the middle's, second dates from the first day of the end's month to the end
/// (`late_events`; none when the period ends with a month).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MonthSplit {
    pub(crate) head: (NaiveDate, NaiveDate),
    pub(crate) middle: (NaiveDate, NaiveDate),
    pub(crate) tail: (NaiveDate, NaiveDate),
    pub(crate) late_events: (NaiveDate, NaiveDate),
}

/// Whether an inclusive range of days holds none.
pub(crate) fn is_empty((from, to): (NaiveDate, NaiveDate)) -> bool {
    from > to
}

impl MonthSplit {
    pub(crate) fn of(from: NaiveDate, to: NaiveDate) -> MonthSplit {
        let first_month = if from.day() == 1 { from } else { next_month_start(from) };
        let end_month = if to == month_end(to) { next_month_start(to) } else { month_start(to) };
        let before = |day: NaiveDate| day.pred_opt().unwrap_or(NaiveDate::MIN);
        MonthSplit {
            head: (from, before(first_month).min(to)),
            middle: (first_month, end_month.max(first_month)),
            tail: (end_month.max(first_month), to),
            late_events: (end_month, to),
        }
    }
}

/// Which sums of `stat_sums` to read (see migration 0006).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    /// Funds in place by date.
    Funds,
    /// Projects signed and not 终止, by signing date.
    Signed,
    /// Of those, the ones producing, by producing date.
    Producing,
}

impl Measure {
    fn key(self) -> &'static str {
        match self {
            Measure::Funds => "F",
            Measure::Signed => "S",
            Measure::Producing => "P",
        }
    }
}

/// `SELECT {columns} FROM (the rows of one measure, slice and scope in a cover's
/// buckets) AS s {tail}`, with parameters $1 measure, $2 facet, $3 value, $4–$5 the
/// region range and $6–$15 the cover's ranges (bound by `bind_cover!`).
fn cover_sql(slice: Slice, columns: &str, tail: &str) -> String {
    let (table, facet, value) = (slice.sums_table(), slice.facet_condition(2, 3), slice.value_column());
    let parts: Vec<String> = ["D", "M", "Y", "M", "D"]
        .iter()
        .enumerate()
        .map(|(i, grain)| {
            format!(
                "SELECT bucket, region_code, {value} AS facet_value, source, records, amount FROM {table} \
                 WHERE measure = $1 AND {facet} \
                 AND grain = '{grain}' AND bucket >= ${} AND bucket <= ${} AND region_code >= $4 AND region_code < $5",
                6 + 2 * i,
                7 + 2 * i
            )
        })
        .collect();
    format!("SELECT {columns} FROM ({}) AS s {tail}", parts.join(" UNION ALL "))
}

macro_rules! bind_cover {
    ($query:expr, $measure:expr, $slice:expr, $lo:expr, $hi:expr, $cover:expr) => {{
        let (facet, value) = $slice.facet_binds();
        let mut query = $query.bind($measure.key()).bind(facet).bind(value).bind($lo).bind($hi);
        for (_, from, to) in $cover.0 {
            query = query.bind(from).bind(to);
        }
        query
    }};
}

/// Sums of one measure over a cover: records, amount, and the amount from outside
/// the province (funds only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Sums {
    records: i64,
    amount: i64,
    outside: i64,
}

/// The SQL text naming a row's group: the scope itself when `group_len` is at most
/// the scope prefix's length (a constant, so nothing is computed per row), else the
/// first `group_len` characters of the region code (one group per sub-region).
pub(crate) fn group_expression(prefix: &str, group_len: usize) -> String {
    if group_len <= prefix.len() && prefix.bytes().all(|b| b.is_ascii_digit()) {
        format!("'{prefix}'")
    } else {
        format!("substr(region_code, 1, {group_len})")
    }
}

/// One of the projects' attributes the statistical report breaks its figures down by,
/// as the `facet` of `report_sums` and `report_pairs` (migration 0051) numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    Chain = 1,
    Origin = 2,
    Industry = 3,
    InvestorType = 4,
    /// The position of `SizeBand::ALL` the total investment falls in, as text.
    SizeBand = 5,
}

impl Facet {
    pub const ALL: [Facet; 5] = [Facet::Chain, Facet::Origin, Facet::Industry, Facet::InvestorType, Facet::SizeBand];

    /// The facet's value of a project row, its columns prefixed `alias` (`p.` or none).
    fn project_value(self, alias: &str) -> String {
        match self {
            Facet::Chain => format!("{alias}chain"),
            Facet::Origin => format!("{alias}investor_origin"),
            Facet::Industry => format!("{alias}industry"),
            Facet::InvestorType => format!("{alias}investor_type"),
            Facet::SizeBand => format!("CAST({} AS TEXT)", SizeBand::sql_case(&format!("{alias}total_investment"))),
        }
    }
}

/// Which rows of the kept sums a read takes and how it groups them.
#[derive(Debug, Clone, Copy)]
enum Slice<'a> {
    /// `stat_sums` and `stat_pairs` of every chain or one, by sub-region (the first
    /// `group_len` characters of the region code).
    Regions { group_len: usize, chain: Option<&'a str> },
    /// `report_sums` and `report_pairs` of a facet, by its values over the whole scope;
    /// the days of partial months from rows read once for every facet.
    Values(Facet, &'a DayRows),
}

impl<'a> Slice<'a> {
    fn sums_table(self) -> &'static str {
        match self {
            Slice::Regions { .. } => "stat_sums",
            Slice::Values(..) => "report_sums",
        }
    }

    fn pairs_table(self) -> &'static str {
        match self {
            Slice::Regions { .. } => "stat_pairs",
            Slice::Values(..) => "report_pairs",
        }
    }

    /// The condition on the facet columns of its tables, with `facet_binds` at
    /// parameters `facet` and `value`: every value of a facet is read as the values from
    /// '' on, so that both kinds of read bind the same parameters.
    fn facet_condition(self, facet: usize, value: usize) -> String {
        match self {
            Slice::Regions { .. } => format!("by_chain = ${facet} AND chain = ${value}"),
            Slice::Values(..) => format!("facet = ${facet} AND facet_value >= ${value}"),
        }
    }

    /// The column of its tables holding the value.
    fn value_column(self) -> &'static str {
        match self {
            Slice::Regions { .. } => "chain",
            Slice::Values(..) => "facet_value",
        }
    }

    fn facet_binds(self) -> (i32, &'a str) {
        match self {
            Slice::Regions { chain, .. } => (i32::from(chain.is_some()), chain.unwrap_or_default()),
            Slice::Values(facet, _) => (facet as i32, ""),
        }
    }

    /// The group of a row of its tables.
    fn sums_group(self, prefix: &str) -> String {
        match self {
            Slice::Regions { group_len, .. } => group_expression(prefix, group_len),
            Slice::Values(..) => "facet_value".into(),
        }
    }

    /// The group of a row of `projects` (columns unqualified).
    fn project_group(self, prefix: &str) -> String {
        match self {
            Slice::Regions { group_len, .. } => group_expression(prefix, group_len),
            Slice::Values(facet, _) => facet.project_value(""),
        }
    }

    /// The one chain a read of `projects` keeps to.
    fn chain(self) -> Option<&'a str> {
        match self {
            Slice::Regions { chain, .. } => chain,
            Slice::Values(..) => None,
        }
    }
}

/// Projects and funding records by day with every facet's value (`Store::day_rows`).
#[derive(Debug, Clone, Default)]
struct DayRows(Vec<DayRow>);

#[derive(Debug, Clone, sqlx::FromRow)]
struct DayRow {
    measure: String,
    day: NaiveDate,
    chain: String,
    investor_origin: String,
    industry: String,
    investor_type: String,
    band: String,
    source: String,
    records: i64,
    amount: i64,
}

impl DayRow {
    fn value(&self, facet: Facet) -> &str {
        match facet {
            Facet::Chain => &self.chain,
            Facet::Origin => &self.investor_origin,
            Facet::Industry => &self.industry,
            Facet::InvestorType => &self.investor_type,
            Facet::SizeBand => &self.band,
        }
    }
}

impl DayRows {
    /// A measure's sums over the day ranges, by the facet's value and source, as the
    /// kept sums would hold them.
    fn sums(
        &self,
        measure: Measure,
        facet: Facet,
        ranges: [(NaiveDate, NaiveDate); 2],
    ) -> Vec<(String, String, i64, i64)> {
        let mut sums: HashMap<(&str, &str), (i64, i64)> = HashMap::new();
        let within = |day: NaiveDate| ranges.iter().any(|(from, to)| *from <= day && day <= *to);
        for row in self.0.iter().filter(|row| row.measure == measure.key() && within(row.day)) {
            let entry = sums.entry((row.value(facet), row.source.as_str())).or_default();
            entry.0 += row.records;
            entry.1 += row.amount;
        }
        sums.into_iter()
            .map(|((value, source), (records, amount))| (value.to_string(), source.to_string(), records, amount))
            .collect()
    }
}

/// A map's entry for `key`, or the default when the scope had no rows.
fn take<T: Default>(mut groups: HashMap<String, T>, key: &str) -> T {
    groups.remove(key).unwrap_or_default()
}

impl Store {
    pub async fn investment_figures(
        &self,
        prefix: &str,
        chain: Option<&str>,
        period: Period,
    ) -> Result<InvestmentFigures> {
        Ok(take(self.investment_figures_by(prefix, prefix.len(), chain, period).await?, prefix))
    }

    /// The figures of the scope `prefix` split by the first `group_len` characters of
    /// the region code (e.g. 4 for a province's cities), read in one pass; groups
    /// without any row are absent.
    pub async fn investment_figures_by(
        &self,
        prefix: &str,
        group_len: usize,
        chain: Option<&str>,
        period: Period,
    ) -> Result<HashMap<String, InvestmentFigures>> {
        self.figures(prefix, Slice::Regions { group_len, chain }, period).await
    }

    /// The figures of the scope `prefix` by the values of each of the projects'
    /// attributes the statistical report breaks down by (values without any row are
    /// absent). The days of the period's partial months are read from the projects and
    /// funding records once for all of them.
    pub async fn investment_figures_by_facets(
        &self,
        prefix: &str,
        period: Period,
    ) -> Result<Vec<(Facet, HashMap<String, InvestmentFigures>)>> {
        let days = self.day_rows(prefix, period).await?;
        let days = &days;
        // The facets at once: each is a handful of index ranges, on the pool's connections.
        futures_util::future::try_join_all(
            Facet::ALL.into_iter().map(|facet| async move {
                Ok((facet, self.figures(prefix, Slice::Values(facet, days), period).await?))
            }),
        )
        .await
    }

    async fn figures(
        &self,
        prefix: &str,
        slice: Slice<'_>,
        period: Period,
    ) -> Result<HashMap<String, InvestmentFigures>> {
        // The three reads at once, on separate connections.
        let (signed, mut implementing, mut funds) = tokio::try_join!(
            self.signed_figures(prefix, slice, period),
            self.implementing(prefix, slice, period),
            self.sums(Measure::Funds, prefix, slice, Cover::of(period.from, period.to, true)),
        )?;
        let mut groups: HashMap<String, InvestmentFigures> = HashMap::new();
        for (group, row) in signed {
            let figures = groups.entry(group).or_default();
            figures.signed_count = row.signed_count;
            figures.signed_investment = Yuan(row.signed_investment);
            figures.over_100m_count = row.over_100m_count;
            figures.started_count = row.started_count;
            figures.producing_count = row.producing_count;
        }
        let keys: Vec<String> = implementing.keys().chain(funds.keys()).cloned().collect();
        for key in keys {
            let figures = groups.entry(key.clone()).or_default();
            if let Some(row) = implementing.remove(&key) {
                figures.implementing_count = row.implementing_count;
                figures.implementing_investment = Yuan(row.implementing_investment);
            }
            if let Some(sums) = funds.remove(&key) {
                figures.funds_in_place = Yuan(sums.amount);
                figures.funds_outside_province = Yuan(sums.outside);
            }
        }
        Ok(groups)
    }

    /// The figures of the projects signed in the period, by group: their count and
    /// investment from `stat_sums`; how many were of 1亿元 and more, started and
    /// producing by the period's end from `stat_pairs` and the projects at the
    /// period's partial months (see `MonthSplit`).
    async fn signed_figures(
        &self,
        prefix: &str,
        slice: Slice<'_>,
        period: Period,
    ) -> Result<HashMap<String, SignedRow>> {
        let split = MonthSplit::of(period.from, period.to);
        let (signed, cells, edges, late) = tokio::try_join!(
            self.sums(Measure::Signed, prefix, slice, Cover::of(period.from, period.to, true)),
            self.pair_cells(prefix, slice, split),
            self.edge_signings(prefix, slice, split, period.to),
            self.late_events(prefix, slice, split),
        )?;
        let mut groups: HashMap<String, SignedRow> = HashMap::new();
        for (group, sums) in signed {
            let row = groups.entry(group).or_default();
            row.signed_count = sums.records;
            row.signed_investment = sums.amount;
        }
        for (group, measure, records) in cells.into_iter().chain(late) {
            let row = groups.entry(group).or_default();
            match measure.as_str() {
                "T" => row.started_count += records,
                "P" => row.producing_count += records,
                _ => row.over_100m_count += records,
            }
        }
        for (group, counts) in edges {
            let row = groups.entry(group).or_default();
            row.started_count += counts.started_count;
            row.producing_count += counts.producing_count;
            row.over_100m_count += counts.over_100m_count;
        }
        Ok(groups)
    }

    /// `stat_pairs` of the split's middle months whose event month is before the end's.
    async fn pair_cells(
        &self,
        prefix: &str,
        slice: Slice<'_>,
        split: MonthSplit,
    ) -> Result<Vec<(String, String, i64)>> {
        let (lo, hi) = prefix_range(prefix);
        let (group, table, facet) = (slice.sums_group(prefix), slice.pairs_table(), slice.facet_condition(1, 2));
        let (facet_key, value) = slice.facet_binds();
        let sql = format!(
            "SELECT {group} AS grp, measure, CAST(SUM(records) AS BIGINT) FROM {table} \
             WHERE measure IN ('L', 'P', 'T') AND {facet} \
               AND signed_month >= $3 AND signed_month < $4 AND event_month < $5 \
               AND region_code >= $6 AND region_code < $7 GROUP BY 1, 2"
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(facet_key)
                .bind(value)
                .bind(split.middle.0)
                .bind(split.middle.1)
                .bind(split.late_events.0)
                .bind(&lo)
                .bind(&hi)
                .fetch_all(pool)
                .await?
        }))
    }

    /// The projects signed at the split's head and tail, counted as `stat_pairs`
    /// would count them for a period ending on `to`.
    async fn edge_signings(
        &self,
        prefix: &str,
        slice: Slice<'_>,
        split: MonthSplit,
        to: NaiveDate,
    ) -> Result<HashMap<String, SignedRow>> {
        if is_empty(split.head) && is_empty(split.tail) {
            return Ok(HashMap::new());
        }
        let (lo, hi) = prefix_range(prefix);
        let (group, chain) = (slice.project_group(prefix), slice.chain());
        // Both ranges are a month at most: the date-first index serves every scope.
        let index = match self.backend() {
            crate::Backend::Sqlite => "INDEXED BY projects_signed_cover",
            crate::Backend::Postgres => "",
        };
        let range = |from: usize| {
            format!(
                "SELECT {group} AS grp, CASE WHEN started_on <= $1 THEN 1 ELSE 0 END AS started, \
                        CASE WHEN producing_on <= $1 THEN 1 ELSE 0 END AS producing, \
                        CASE WHEN total_investment >= $2 THEN 1 ELSE 0 END AS big \
                 FROM projects {index} WHERE signed_on >= ${from} AND signed_on <= ${} \
                   AND region_code >= $3 AND region_code < $4 AND stage <> 'dropped' AND ($5 IS NULL OR chain = $5)",
                from + 1
            )
        };
        let sql = format!(
            "SELECT grp, CAST(SUM(started) AS BIGINT), CAST(SUM(producing) AS BIGINT), CAST(SUM(big) AS BIGINT) \
             FROM ({} UNION ALL {}) AS e GROUP BY 1",
            range(6),
            range(8)
        );
        let rows: Vec<(String, i64, i64, i64)> = on_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(to)
                .bind(OVER_100M)
                .bind(&lo)
                .bind(&hi)
                .bind(chain)
                .bind(split.head.0)
                .bind(split.head.1)
                .bind(split.tail.0)
                .bind(split.tail.1)
                .fetch_all(pool)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|(group, started_count, producing_count, over_100m_count)| {
                (group, SignedRow { started_count, producing_count, over_100m_count, ..SignedRow::default() })
            })
            .collect())
    }

    /// Of the split's middle signings, the projects started ('T') or producing ('P')
    /// within the end's month up to the end.
    async fn late_events(
        &self,
        prefix: &str,
        slice: Slice<'_>,
        split: MonthSplit,
    ) -> Result<Vec<(String, String, i64)>> {
        if is_empty(split.late_events) || split.middle.0 >= split.middle.1 {
            return Ok(Vec::new());
        }
        let (lo, hi) = prefix_range(prefix);
        let (group, chain) = (slice.project_group(prefix), slice.chain());
        let sqlite = self.backend() == crate::Backend::Sqlite;
        let events = |measure: &str, column: &str, index: &str| {
            let index = if sqlite { format!("INDEXED BY {index}") } else { String::new() };
            format!(
                "SELECT {group} AS grp, '{measure}' AS measure FROM projects {index} \
                 WHERE {column} >= $1 AND {column} <= $2 AND signed_on >= $3 AND signed_on < $4 \
                   AND region_code >= $5 AND region_code < $6 AND stage <> 'dropped' AND ($7 IS NULL OR chain = $7)"
            )
        };
        let sql = format!(
            "SELECT grp, measure, CAST(COUNT(*) AS BIGINT) FROM ({} UNION ALL {}) AS e GROUP BY 1, 2",
            events("T", "started_on", "projects_started_cover"),
            events("P", "producing_on", "projects_producing_cover")
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(split.late_events.0)
                .bind(split.late_events.1)
                .bind(split.middle.0)
                .bind(split.middle.1)
                .bind(&lo)
                .bind(&hi)
                .bind(chain)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Sums of a measure over a scope and a cover of kept buckets, by group. The kept
    /// sums of facets have no day rows: the cover's days are read from the projects and
    /// their funding records instead (`day_sums`).
    async fn sums(
        &self,
        measure: Measure,
        prefix: &str,
        slice: Slice<'_>,
        cover: Cover,
    ) -> Result<HashMap<String, Sums>> {
        let (lo, hi) = prefix_range(prefix);
        let group = slice.sums_group(prefix);
        let sql = cover_sql(
            slice,
            &format!("{group} AS grp, source, CAST(SUM(records) AS BIGINT), CAST(SUM(amount) AS BIGINT)"),
            "GROUP BY 1, 2",
        );
        let kept = async {
            Ok::<Vec<(String, String, i64, i64)>, StoreError>(on_pool!(self, |pool| {
                bind_cover!(sqlx::query_as(&sql), measure, slice, &lo, &hi, cover).fetch_all(pool).await?
            }))
        };
        let (kept, days) = match slice {
            Slice::Values(facet, days) => (kept.await?, days.sums(measure, facet, cover.days())),
            Slice::Regions { .. } => (kept.await?, Vec::new()),
        };
        let mut groups: HashMap<String, Sums> = HashMap::new();
        for (group, source, records, amount) in kept.into_iter().chain(days) {
            let sums = groups.entry(group).or_default();
            sums.records += records;
            sums.amount += amount;
            if matches!(source.as_str(), "outside_province" | "abroad") {
                sums.outside += amount;
            }
        }
        Ok(groups)
    }

    /// The rows of projects and funding records that the figures of `period` read by
    /// day (its partial months, and the days before its start in its first month: the
    /// day ranges of the covers `figures` reads), with every facet's value.
    async fn day_rows(&self, prefix: &str, period: Period) -> Result<DayRows> {
        let [head, tail] = Cover::of(period.from, period.to, true).days();
        let [_, before] = Cover::before(period.from).days();
        let ranges: Vec<(NaiveDate, NaiveDate)> =
            [head, tail, before].into_iter().filter(|range| !is_empty(*range)).collect();
        if ranges.is_empty() {
            return Ok(DayRows::default());
        }
        let (lo, hi) = prefix_range(prefix);
        let values: Vec<String> = Facet::ALL
            .iter()
            .zip(["chain", "investor_origin", "industry", "investor_type", "band"])
            .map(|(facet, name)| format!("{} AS {name}", facet.project_value("p.")))
            .collect();
        let values = values.join(", ");
        let sqlite = self.backend() == crate::Backend::Sqlite;
        // Each range is a few weeks at most: the date-first indexes serve every scope.
        let index = |name: &str| if sqlite { format!("INDEXED BY {name}") } else { String::new() };
        let rows_of = |measure: &str, i: usize| {
            let (from, to) = (3 + 2 * i, 4 + 2 * i);
            let (rows, day, condition) = match measure {
                "F" => (
                    format!(
                        "f.source, f.amount FROM project_funding f {} JOIN projects p ON p.id = f.project_id",
                        index("project_funding_date_cover")
                    ),
                    "f.funded_on",
                    "f.region_code >= $1 AND f.region_code < $2",
                ),
                "S" => (
                    format!(
                        "'' AS source, p.total_investment AS amount FROM projects p {}",
                        index("projects_signed_cover")
                    ),
                    "p.signed_on",
                    "p.region_code >= $1 AND p.region_code < $2 AND p.stage <> 'dropped'",
                ),
                _ => (
                    format!(
                        "'' AS source, p.total_investment AS amount FROM projects p {}",
                        index("projects_producing_cover")
                    ),
                    "p.producing_on",
                    "p.region_code >= $1 AND p.region_code < $2 AND p.stage <> 'dropped' AND p.signed_on IS NOT NULL",
                ),
            };
            format!(
                "SELECT '{measure}' AS measure, {day} AS day, {values}, {rows} \
                 WHERE {day} >= ${from} AND {day} <= ${to} AND {condition}"
            )
        };
        let parts: Vec<String> = ["F", "S", "P"]
            .iter()
            .flat_map(|measure| (0..ranges.len()).map(move |i| (*measure, i)))
            .map(|(measure, i)| rows_of(measure, i))
            .collect();
        let sql = format!(
            "SELECT measure, day, chain, investor_origin, industry, investor_type, band, source, \
                    CAST(COUNT(*) AS BIGINT) AS records, CAST(SUM(amount) AS BIGINT) AS amount \
             FROM ({}) AS d GROUP BY 1, 2, 3, 4, 5, 6, 7, 8",
            parts.join(" UNION ALL ")
        );
        let rows: Vec<DayRow> = on_pool!(self, |pool| {
            let mut query = sqlx::query_as(&sql).bind(&lo).bind(&hi);
            for (from, to) in &ranges {
                query = query.bind(*from).bind(*to);
            }
            query.fetch_all(pool).await?
        });
        Ok(DayRows(rows))
    }

    /// 实施项目 of a period, from the sums: the projects signed by its end, less those
    /// already producing before it began — plus any producing before their signing
    /// (none by the stage rules) that the subtraction took away without the signing
    /// sum having counted them.
    async fn implementing(
        &self,
        prefix: &str,
        slice: Slice<'_>,
        period: Period,
    ) -> Result<HashMap<String, ImplementingRow>> {
        let (signed, producing) = tokio::try_join!(
            self.sums(Measure::Signed, prefix, slice, Cover::up_to(period.to)),
            self.sums(Measure::Producing, prefix, slice, Cover::before(period.from)),
        )?;
        let (lo, hi) = prefix_range(prefix);
        let (group, chain) = (slice.project_group(prefix), slice.chain());
        let index = match self.backend() {
            crate::Backend::Sqlite => "INDEXED BY projects_disordered",
            crate::Backend::Postgres => "",
        };
        let sql = format!(
            "SELECT {group} AS grp, COUNT(*) AS implementing_count, \
                    CAST(COALESCE(SUM(total_investment), 0) AS BIGINT) AS implementing_investment \
             FROM projects {index} WHERE producing_on < signed_on AND region_code >= $1 AND region_code < $2 \
               AND stage <> 'dropped' AND producing_on < $3 AND signed_on > $4 AND ($5 IS NULL OR chain = $5) GROUP BY 1"
        );
        let disordered: Vec<ImplementingRow> = on_pool!(self, |pool| {
            sqlx::query_as(&sql)
                .bind(&lo)
                .bind(&hi)
                .bind(period.from)
                .bind(period.to)
                .bind(chain)
                .fetch_all(pool)
                .await?
        });
        let mut groups: HashMap<String, ImplementingRow> = HashMap::new();
        for (group, sums) in signed {
            let row = groups.entry(group.clone()).or_insert_with(|| ImplementingRow::empty(group));
            row.implementing_count += sums.records;
            row.implementing_investment += sums.amount;
        }
        for (group, sums) in producing {
            let row = groups.entry(group.clone()).or_insert_with(|| ImplementingRow::empty(group));
            row.implementing_count -= sums.records;
            row.implementing_investment -= sums.amount;
        }
        for extra in disordered {
            let row = groups.entry(extra.grp.clone()).or_insert_with(|| ImplementingRow::empty(extra.grp.clone()));
            row.implementing_count += extra.implementing_count;
            row.implementing_investment += extra.implementing_investment;
        }
        Ok(groups)
    }

    /// Funds in place of a scope dated within [from, to].
    pub async fn funds_in_place(
        &self,
        prefix: &str,
        chain: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Yuan> {
        Ok(take(self.funds_in_place_by(prefix, prefix.len(), chain, from, to).await?, prefix))
    }

    /// Funds in place of a scope dated within [from, to], by group as in
    /// `investment_figures_by`.
    pub async fn funds_in_place_by(
        &self,
        prefix: &str,
        group_len: usize,
        chain: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<HashMap<String, Yuan>> {
        let slice = Slice::Regions { group_len, chain };
        let funds = self.sums(Measure::Funds, prefix, slice, Cover::of(from, to, true)).await?;
        Ok(funds.into_iter().map(|(group, sums)| (group, Yuan(sums.amount))).collect())
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
        self.monthly(Measure::Signed, prefix, None, period).await
    }

    /// `monthly_signed` of one chain's projects (`None`: every chain).
    pub async fn monthly_signed_of(
        &self,
        prefix: &str,
        chain: Option<&str>,
        period: Period,
    ) -> Result<Vec<MonthFigure>> {
        self.monthly(Measure::Signed, prefix, chain, period).await
    }

    /// `monthly_funds` of one chain's projects (`None`: every chain).
    pub async fn monthly_funds_of(
        &self,
        prefix: &str,
        chain: Option<&str>,
        period: Period,
    ) -> Result<Vec<MonthFigure>> {
        self.monthly(Measure::Funds, prefix, chain, period).await
    }

    /// Funds in place per month within the period.
    pub async fn monthly_funds(&self, prefix: &str, period: Period) -> Result<Vec<MonthFigure>> {
        self.monthly(Measure::Funds, prefix, None, period).await
    }

    /// A measure's amount and records per month of the period (months without any
    /// record left out), from day and month buckets.
    async fn monthly(
        &self,
        measure: Measure,
        prefix: &str,
        chain: Option<&str>,
        period: Period,
    ) -> Result<Vec<MonthFigure>> {
        let (lo, hi) = prefix_range(prefix);
        let month = self.month_expression("bucket");
        let slice = Slice::Regions { group_len: prefix.len(), chain };
        let sql = cover_sql(
            slice,
            &format!("{month} AS month, CAST(SUM(amount) AS BIGINT) AS amount, CAST(SUM(records) AS BIGINT) AS count"),
            &format!("GROUP BY {month} HAVING SUM(records) > 0 ORDER BY 1"),
        );
        let cover = Cover::of(period.from, period.to, false);
        Ok(on_pool!(self, |pool| {
            bind_cover!(sqlx::query_as(&sql), measure, slice, &lo, &hi, cover).fetch_all(pool).await?
        }))
    }

    fn month_expression(&self, column: &str) -> String {
        match self.backend() {
            crate::Backend::Sqlite => format!("substr({column}, 1, 7)"),
            crate::Backend::Postgres => format!("to_char({column}, 'YYYY-MM')"),
        }
    }
}

/// A `stat_sums` key on borrowed text: measure, by_chain, chain, grain, bucket, region.
pub(crate) type SumKey<'a> = (&'static str, i32, &'a str, &'static str, NaiveDate, &'a str);

/// What new projects add to `stat_sums`, grouped and in key order: the same rule as
/// the SQLite insert trigger of migration 0006 (signed and not 终止: 'S' at the
/// signing, 'P' at the producing date), for a bulk write that pauses the trigger.
/// Grouped and sorted on numbers (the chains and regions by their rank among the
/// batch's): an ordered map of owned text keys took 2.5 s for 100,000 projects.
pub(crate) fn project_sums<'a>(projects: &[&'a ProjectData]) -> Vec<(SumKey<'a>, i64, i64)> {
    let ranks = Ranks::of(projects);
    // (measure, by_chain, chain rank, grain, bucket, region rank): the measures and
    // grains are one letter each, so their bytes order as the text does; the empty
    // chain of the all-chains rows (by_chain 0) comes first.
    type Key = (u8, i32, u32, u8, NaiveDate, u32);
    let mut sums: HashMap<Key, (i64, i64)> = HashMap::with_capacity(projects.len() * 4);
    for p in projects {
        if p.stage == "dropped" {
            continue;
        }
        let Some(signed_on) = p.signed_on else { continue };
        let (chain, region) = ranks.rank(p);
        for (measure, day) in [(b'S', Some(signed_on)), (b'P', p.producing_on)] {
            let Some(day) = day else { continue };
            let (month, year) = (month_start(day), year_start(day.year()));
            for (by_chain, chain) in [(0, 0), (1, chain)] {
                for (grain, bucket) in [(b'D', day), (b'M', month), (b'Y', year)] {
                    let entry = sums.entry((measure, by_chain, chain, grain, bucket, region)).or_default();
                    entry.0 += 1;
                    entry.1 += p.total_investment;
                }
            }
        }
    }
    let mut rows: Vec<(Key, i64, i64)> =
        sums.into_iter().map(|(key, (records, amount))| (key, records, amount)).collect();
    rows.sort_unstable_by_key(|row| row.0);
    rows.into_iter()
        .map(|((measure, by_chain, chain, grain, bucket, region), records, amount)| {
            let (chain, region) = ranks.texts(by_chain, chain, region);
            ((letter(measure), by_chain, chain, letter(grain), bucket, region), records, amount)
        })
        .collect()
}

/// A `stat_pairs` key on borrowed text: measure, by_chain, chain, signed month,
/// event month, region.
pub(crate) type PairKey<'a> = (&'static str, i32, &'a str, NaiveDate, NaiveDate, &'a str);

/// What new projects add to `stat_pairs`, grouped and in key order: the same rule as
/// the SQLite insert trigger of migration 0009, for a bulk write that pauses it.
pub(crate) fn project_pairs<'a>(projects: &[&'a ProjectData]) -> Vec<(PairKey<'a>, i64)> {
    let ranks = Ranks::of(projects);
    type Key = (u8, i32, u32, NaiveDate, NaiveDate, u32);
    let mut pairs: HashMap<Key, i64> = HashMap::with_capacity(projects.len() * 4);
    for p in projects {
        if p.stage == "dropped" {
            continue;
        }
        let Some(signed_on) = p.signed_on else { continue };
        let (chain, region) = ranks.rank(p);
        let big = (p.total_investment >= OVER_100M).then_some(signed_on);
        for (measure, day) in [(b'L', big), (b'P', p.producing_on), (b'T', p.started_on)] {
            let Some(day) = day else { continue };
            for (by_chain, chain) in [(0, 0), (1, chain)] {
                *pairs
                    .entry((measure, by_chain, chain, month_start(signed_on), month_start(day), region))
                    .or_default() += 1;
            }
        }
    }
    let mut rows: Vec<(Key, i64)> = pairs.into_iter().collect();
    rows.sort_unstable_by_key(|row| row.0);
    rows.into_iter()
        .map(|((measure, by_chain, chain, signed_month, event_month, region), records)| {
            let (chain, region) = ranks.texts(by_chain, chain, region);
            ((letter(measure), by_chain, chain, signed_month, event_month, region), records)
        })
        .collect()
}

/// The one-letter keys of `stat_sums` and `stat_pairs` (measures, grains) as text.
fn letter(byte: u8) -> &'static str {
    match byte {
        b'S' => "S",
        b'P' => "P",
        b'T' => "T",
        b'L' => "L",
        b'D' => "D",
        b'M' => "M",
        _ => "Y",
    }
}

/// The chains and regions of a batch of projects, each once and sorted, so that sums
/// are grouped and ordered on their ranks, which keep the text order: an ordered map
/// of owned text keys took 2.5 s for 100,000 projects.
struct Ranks<'a> {
    chains: Vec<&'a str>,
    regions: Vec<&'a str>,
}

impl<'a> Ranks<'a> {
    fn of(projects: &[&'a ProjectData]) -> Ranks<'a> {
        let sorted = |text: fn(&'a ProjectData) -> &'a str| {
            let mut texts: Vec<&'a str> = projects.iter().map(|p| text(p)).collect();
            texts.sort_unstable();
            texts.dedup();
            texts
        };
        Ranks { chains: sorted(|p| p.chain.as_str()), regions: sorted(|p| p.region_code.as_str()) }
    }

    /// A project's chain and region ranks.
    fn rank(&self, project: &ProjectData) -> (u32, u32) {
        let rank = |texts: &[&str], text: &str| texts.binary_search(&text).unwrap_or_default() as u32;
        (rank(&self.chains, &project.chain), rank(&self.regions, &project.region_code))
    }

    /// A key's chain (empty for the all-chains rows) and region as text.
    fn texts(&self, by_chain: i32, chain: u32, region: u32) -> (&'a str, &'a str) {
        (if by_chain == 0 { "" } else { self.chains[chain as usize] }, self.regions[region as usize])
    }
}

/// `INSERT … VALUES …` adding `rows` rows of `stat_pairs` (7 parameters each, bound
/// in column order) to what is stored.
pub(crate) fn add_pairs_sql(backend: crate::Backend, rows: usize) -> String {
    format!(
        "INSERT INTO stat_pairs (measure, by_chain, chain, signed_month, event_month, region_code, records) VALUES {} \
         ON CONFLICT (measure, by_chain, chain, signed_month, event_month, region_code) \
         DO UPDATE SET records = stat_pairs.records + excluded.records",
        value_rows(backend, rows, 7)
    )
}

/// `INSERT … VALUES …` adding `rows` rows of `stat_sums` (9 parameters each, bound in
/// column order) to what is stored.
pub(crate) fn add_sums_sql(backend: crate::Backend, rows: usize) -> String {
    format!(
        "INSERT INTO stat_sums (measure, by_chain, chain, grain, bucket, region_code, source, records, amount) VALUES {} \
         ON CONFLICT (measure, by_chain, chain, grain, bucket, region_code, source) \
         DO UPDATE SET records = stat_sums.records + excluded.records, amount = stat_sums.amount + excluded.amount",
        value_rows(backend, rows, 9)
    )
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
    /// Whether any project lies under `prefix` (one index probe: the pages of
    /// province-wide users ask it on every request).
    pub async fn region_has_projects(&self, prefix: &str) -> Result<bool> {
        let (lo, hi) = prefix_range(prefix);
        Ok(on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM projects WHERE region_code >= $1 AND region_code < $2)"
        )
        .bind(&lo)
        .bind(&hi)
        .fetch_one(pool)
        .await?))
    }
}

#[cfg(test)]
mod tests {
    use super::{empty, Cover, Grain, MonthSplit};
    use chrono::{Days, NaiveDate};

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// Every day the cover's buckets stand for, in order.
    fn days_of(cover: Cover) -> Vec<NaiveDate> {
        let mut days = Vec::new();
        for (grain, from, to) in cover.0 {
            let mut bucket = from;
            while bucket <= to {
                let end = match grain {
                    Grain::Day => bucket,
                    Grain::Month => super::next_month_start(bucket).pred_opt().unwrap(),
                    Grain::Year => super::year_start(bucket.year() + 1).pred_opt().unwrap(),
                };
                let mut day = bucket;
                while day <= end {
                    days.push(day);
                    day = day.succ_opt().unwrap();
                }
                bucket = end.succ_opt().unwrap();
            }
        }
        days
    }
    use chrono::Datelike;

    #[test]
    fn covers_are_exact_and_coarse() {
        let cover = Cover::of(d("2023-02-15"), d("2025-03-10"), true);
        assert_eq!(
            cover.0,
            [
                (Grain::Day, d("2023-02-15"), d("2023-02-28")),
                (Grain::Month, d("2023-03-01"), d("2023-12-01")),
                (Grain::Year, d("2024-01-01"), d("2024-01-01")),
                (Grain::Month, d("2025-01-01"), d("2025-02-01")),
                (Grain::Day, d("2025-03-01"), d("2025-03-10")),
            ]
        );
        let year = Cover::of(d("2024-01-01"), d("2024-12-31"), true);
        assert_eq!(year.0[2], (Grain::Year, d("2024-01-01"), d("2024-01-01")));
        assert!(year.0.iter().enumerate().all(|(i, r)| i == 2 || (r.1, r.2) == empty()));
        let by_month = Cover::of(d("2024-01-01"), d("2024-12-31"), false);
        assert_eq!(by_month.0[1], (Grain::Month, d("2024-01-01"), d("2024-12-01")));
        assert_eq!(
            Cover::of(d("2024-03-05"), d("2024-03-20"), true).0[0],
            (Grain::Day, d("2024-03-05"), d("2024-03-20"))
        );
    }

    #[test]
    fn covers_hold_every_day_of_the_period_once() {
        let start = d("2019-11-27");
        for (a, b) in [(0, 0), (0, 3), (3, 40), (5, 400), (35, 800), (1, 1200), (34, 34), (35, 65), (4, 1130)] {
            for years in [true, false] {
                let from = start + Days::new(a);
                let to = start + Days::new(b);
                let expected: Vec<NaiveDate> = from.iter_days().take_while(|day| *day <= to).collect();
                assert_eq!(days_of(Cover::of(from, to, years)), expected, "{from}..{to} years {years}");
            }
        }
        assert!(days_of(Cover::of(d("2024-02-02"), d("2024-02-01"), true)).is_empty());
        let up_to = days_of(Cover::up_to(d("2024-03-03")));
        assert_eq!((up_to[0], *up_to.last().unwrap()), (d("0001-01-01"), d("2024-03-03")));
        assert_eq!(*days_of(Cover::before(d("2024-03-01"))).last().unwrap(), d("2024-02-29"));
    }

    /// How often the split counts a project signed on `signed` with its event (start,
    /// production, or the signing itself) on `event`: once from the pairs' cells, the
    /// head and tail signings, or the late events.
    fn times_counted(split: MonthSplit, to: NaiveDate, signed: NaiveDate, event: NaiveDate) -> usize {
        let within = |day: NaiveDate, (from, to): (NaiveDate, NaiveDate)| from <= day && day <= to;
        let in_middle = split.middle.0 <= signed && signed < split.middle.1;
        let cell = in_middle && super::month_start(event) < split.late_events.0;
        let edge = (within(signed, split.head) || within(signed, split.tail)) && event <= to;
        let late = in_middle && within(event, split.late_events);
        [cell, edge, late].into_iter().filter(|counted| *counted).count()
    }

    #[test]
    fn splits_count_each_signing_with_an_event_by_the_end_once() {
        let start = d("2021-12-20");
        // Ending on a month's last day among them: (0, 11), (12, 42), (43, 70), (12, 407).
        for (a, b) in
            [(0, 0), (0, 11), (12, 12), (12, 40), (12, 42), (3, 45), (43, 70), (12, 380), (12, 407), (5, 800), (43, 73)]
        {
            let (from, to) = (start + Days::new(a), start + Days::new(b));
            let split = MonthSplit::of(from, to);
            // Signings from before the period to after it, events before and after
            // them (a project may be dated inconsistently).
            for signed in (0..b + 40).map(|i| start + Days::new(i)) {
                for event in (0..b + 40).step_by(3).map(|i| start + Days::new(i)) {
                    let expected = usize::from(from <= signed && signed <= to && event <= to);
                    assert_eq!(
                        times_counted(split, to, signed, event),
                        expected,
                        "{from}..{to}: signed {signed}, event {event}"
                    );
                }
            }
        }
        let year = MonthSplit::of(d("2024-01-01"), d("2024-11-20"));
        assert_eq!(year.middle, (d("2024-01-01"), d("2024-11-01")));
        assert!(year.head.0 > year.head.1, "a period from the first of a month has no head");
        assert_eq!(year.tail, (d("2024-11-01"), d("2024-11-20")));
        let whole_year = MonthSplit::of(d("2024-01-01"), d("2024-12-31"));
        assert_eq!(whole_year.middle, (d("2024-01-01"), d("2025-01-01")));
        assert!(whole_year.tail.0 > whole_year.tail.1, "a period ending with a month has no tail");
        assert!(whole_year.late_events.0 > whole_year.late_events.1, "nor late events");
    }
}

/// What the attribution of the figures groups projects by (SPEC.md area 3, and the
/// departments and cadres of the evaluation, issue 24).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributionKey {
    /// 项目来源: 商会, 招商顾问, 驻点招商 …
    Source,
    /// 来源单位: a chamber's name, a liaison office …
    SourceOrg,
    /// 责任单位, 责任人, 包抓领导, or the registrant of the project's lead.
    Cadre(CadreKey),
}

impl AttributionKey {
    /// The group's expression over `projects p` (and `leads l`, see `join`).
    fn expression(self) -> &'static str {
        match self {
            AttributionKey::Source => "p.source",
            AttributionKey::SourceOrg => "p.source_org",
            AttributionKey::Cadre(CadreKey::Department) => "p.department",
            AttributionKey::Cadre(CadreKey::Owner) => "p.owner",
            AttributionKey::Cadre(CadreKey::Leader) => "p.leader",
            AttributionKey::Cadre(CadreKey::Registrant) => "l.referrer_name",
        }
    }

    /// The join of `leads l` the expression needs: the registrant's groups hold only the
    /// projects of registered leads.
    fn join(self) -> &'static str {
        match self {
            AttributionKey::Cadre(CadreKey::Registrant) => "JOIN leads l ON l.project_id = p.id",
            _ => "",
        }
    }
}

/// The metrics' facts of the attributed projects of a scope, each with its group (the
/// source or the source organisation): the projects signed by a day, and their funding
/// records dated within a range.
#[derive(Debug, Clone, Default)]
pub struct AttributedFacts {
    pub projects: Vec<(String, ProjectFact)>,
    pub funding: Vec<(String, FundingFact)>,
}

/// A project whose lead was registered (线索日期) in a period, with its group and, when
/// it came as a registered lead (商会线索), what the lead's response clock runs on.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributedLead {
    pub group: String,
    pub project_id: i64,
    pub lead_on: NaiveDate,
    pub stage: Stage,
    pub registered: Option<RegisteredLead>,
}

/// A registered lead's clock facts: its day, amount (yuan) and recorded steps in order.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisteredLead {
    pub id: i64,
    pub lead_on: NaiveDate,
    pub amount: i64,
    /// (step key, done on).
    pub steps: Vec<(String, NaiveDate)>,
}

type LeadRow =
    (String, i64, NaiveDate, String, Option<i64>, Option<NaiveDate>, Option<i64>, Option<String>, Option<NaiveDate>);

type ProjectFactRow = (String, i64, String, Option<NaiveDate>, Option<NaiveDate>, Option<NaiveDate>, i64);

impl Store {
    /// The facts behind the figures of every source (or source organisation) of a scope:
    /// the projects of `prefix` (and `chains`, `None` for any) whose `key` is filled in
    /// and signed by `to` (no figure counts a project signed later), and their funding
    /// dated within [`since`, `to`]. The figures themselves are `core::metrics`'s.
    pub async fn attributed_facts(
        &self,
        prefix: &str,
        chains: Option<&[String]>,
        key: AttributionKey,
        since: NaiveDate,
        to: NaiveDate,
    ) -> Result<AttributedFacts> {
        let (column, join) = (key.expression(), key.join());
        let mut c = Conditions::new();
        c.push_prefix("p.region_code", prefix);
        c.push(&format!("{column} <> ''"), Vec::new());
        if let Some(chains) = chains {
            c.push_in("p.chain", chains);
        }
        let base_where = c.where_sql();
        let n = c.params.len();
        let projects_sql = format!(
            "SELECT {column}, p.id, p.stage, p.signed_on, p.started_on, p.producing_on, p.total_investment \
             FROM projects p {join} {base_where} AND p.signed_on <= ${}",
            n + 1
        );
        let funding_sql = format!(
            "SELECT {column}, f.project_id, f.funded_on, f.amount, f.source \
             FROM project_funding f JOIN projects p ON p.id = f.project_id {join} {base_where} \
               AND f.funded_on >= ${} AND f.funded_on <= ${}",
            n + 1,
            n + 2
        );
        let project_rows: Vec<ProjectFactRow> =
            on_pool!(self, |pool| bind_params!(sqlx::query_as(&projects_sql), &c.params)
                .bind(to)
                .fetch_all(pool)
                .await?);
        let funding_rows: Vec<(String, i64, NaiveDate, i64, String)> =
            on_pool!(self, |pool| bind_params!(sqlx::query_as(&funding_sql), &c.params)
                .bind(since)
                .bind(to)
                .fetch_all(pool)
                .await?);
        let mut facts = AttributedFacts::default();
        for (group, id, stage, signed_on, started_on, producing_on, total_investment) in project_rows {
            let stage = Stage::parse(&stage).map_err(|e| StoreError::Invalid(e.to_string()))?;
            let fact = ProjectFact {
                id,
                stage,
                signed_on,
                started_on,
                producing_on,
                total_investment: Yuan(total_investment),
            };
            facts.projects.push((group, fact));
        }
        for (group, project_id, date, amount, source) in funding_rows {
            let source = FundingSource::parse(&source).map_err(|e| StoreError::Invalid(e.to_string()))?;
            facts.funding.push((group, FundingFact { project_id, date, amount: Yuan(amount), source }));
        }
        Ok(facts)
    }

    /// The projects of `prefix` (and `chains`) whose lead was registered within [`from`,
    /// `to`] and whose `key` is filled in, each with its registered lead's clock facts, in
    /// project order.
    pub async fn attributed_leads(
        &self,
        prefix: &str,
        chains: Option<&[String]>,
        key: AttributionKey,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<AttributedLead>> {
        self.leads_in_period(prefix, chains, Some(key), 0, from, to).await
    }

    /// The projects of the scope `prefix` that came as a registered lead dated within
    /// [from, to], with its clock facts, grouped by the first `group_len` characters of
    /// their region code (e.g. 4 for a province's cities): the regions' leads clocks.
    pub async fn registered_leads_by(
        &self,
        prefix: &str,
        group_len: usize,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<AttributedLead>> {
        self.leads_in_period(prefix, None, None, group_len, from, to).await
    }

    /// `attributed_leads` grouped by `key`, or of the registered leads only, by region
    /// (`group_len`), when none.
    async fn leads_in_period(
        &self,
        prefix: &str,
        chains: Option<&[String]>,
        key: Option<AttributionKey>,
        group_len: usize,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<AttributedLead>> {
        let column =
            key.map_or_else(|| format!("substr(p.region_code, 1, {group_len})"), |key| key.expression().into());
        let mut c = Conditions::new();
        c.push_prefix("p.region_code", prefix);
        if key.is_some() {
            c.push(&format!("{column} <> ''"), Vec::new());
        }
        if let Some(chains) = chains {
            c.push_in("p.chain", chains);
        }
        let n = c.params.len();
        let join = match key {
            Some(AttributionKey::Cadre(CadreKey::Registrant)) | None => "JOIN",
            Some(_) => "LEFT JOIN",
        };
        let sql = format!(
            "SELECT {column}, p.id, p.lead_on, p.stage, l.id, l.lead_on, l.amount, s.step, s.done_on \
             FROM projects p {join} leads l ON l.project_id = p.id LEFT JOIN lead_steps s ON s.lead_id = l.id \
             {} AND p.lead_on >= ${} AND p.lead_on <= ${} ORDER BY p.id, s.id",
            c.where_sql(),
            n + 1,
            n + 2
        );
        let rows: Vec<LeadRow> = on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?);
        let mut leads: Vec<AttributedLead> = Vec::new();
        for (group, project_id, lead_on, stage, lead_id, registered_on, amount, step, done_on) in rows {
            if leads.last().is_none_or(|last| last.project_id != project_id) {
                let stage = Stage::parse(&stage).map_err(|e| StoreError::Invalid(e.to_string()))?;
                let registered = lead_id.zip(registered_on).map(|(id, lead_on)| RegisteredLead {
                    id,
                    lead_on,
                    amount: amount.unwrap_or(0),
                    steps: Vec::new(),
                });
                leads.push(AttributedLead { group, project_id, lead_on, stage, registered });
            }
            if let (Some(lead), Some(step), Some(done_on)) =
                (leads.last_mut().and_then(|l| l.registered.as_mut()), step, done_on)
            {
                lead.steps.push((step, done_on));
            }
        }
        Ok(leads)
    }
}
