//! Filtered, sorted, paginated project lists (pages, exports, drill-downs).
//!
//! Conditions are assembled with numbered parameters and bound by kind
//! (`sql::Conditions`), so one builder serves both backends.

use crate::projects::{project_columns, Project};
use crate::sql::{bind_params, contains_pattern, fetch_in_chunks, placeholders, Conditions, Param};
use crate::stats::{month_end, month_start, OVER_100M};
use crate::{Result, Store};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Every filter is optional; `region_prefix` is the user's scope intersected with
/// the region chosen.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProjectFilter {
    pub region_prefix: String,
    pub stage: Option<String>,
    pub chain: Option<String>,
    pub source: Option<String>,
    /// 来源单位: the projects attributed to one chamber (its name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_org: Option<String>,
    pub signing_activity: Option<String>,
    /// `signed_on` within [from, to] (either end optional).
    pub signed_from: Option<NaiveDate>,
    pub signed_to: Option<NaiveDate>,
    pub min_investment: Option<i64>,
    pub max_investment: Option<i64>,
    /// Part of the code, name or investor.
    pub keyword: Option<String>,
    /// Leave out 终止 projects.
    pub exclude_dropped: bool,
    /// Only projects of 亿元以上 (total investment ≥ 10000 万元).
    pub over_100m: bool,
    pub started_by: Option<NaiveDate>,
    pub producing_by: Option<NaiveDate>,
    /// 实施项目 of a period: signed by `to`, not dropped, not producing before `from`.
    pub implementing_in: Option<(NaiveDate, NaiveDate)>,
    pub investor_credit_code: Option<String>,
    /// Only projects flagged for funds in place above their total investment.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub excess_funds: bool,
    /// The user's scope on chains (`core::access::ProjectScope::chains`): only projects
    /// whose chain is one of these (none for an empty list); `None` for any chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chains_in: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectSort {
    #[default]
    SignedDesc,
    SignedAsc,
    InvestmentDesc,
    InvestmentAsc,
    Code,
    UpdatedDesc,
}

/// A row's value in the column a list is sorted by.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SortValue {
    Signed(Option<NaiveDate>),
    Investment(i64),
    Code(String),
}

/// A row of a sorted list, by its sort value and id (which together fix its place).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Position {
    value: SortValue,
    id: i64,
}

/// Places remembered per list; past it the list's are forgotten and start over.
const PLACES_PER_LIST: usize = 4096;

/// From this many rows past the nearest remembered one, a page of a list by signing
/// date that `stage_counts` counts seeks from the start of its month instead (one
/// read of the counts costs about as much as skipping this many index entries).
const SEEK_BY_MONTH_FROM: i64 = 5_000;

impl ProjectSort {
    pub fn parse(text: &str) -> ProjectSort {
        serde_json::from_value(serde_json::Value::String(text.to_string())).unwrap_or_default()
    }

    /// Whether pages in this order seek from remembered rows: not by update time,
    /// whose stored times are not compared as bound values on every path.
    fn seeks(self) -> bool {
        self != ProjectSort::UpdatedDesc
    }

    /// Where `project` stands in this order (`None` in an order that does not seek).
    fn position_of(self, project: &Project) -> Option<Position> {
        let value = match self {
            ProjectSort::SignedDesc | ProjectSort::SignedAsc => SortValue::Signed(project.data.signed_on),
            ProjectSort::InvestmentDesc | ProjectSort::InvestmentAsc => {
                SortValue::Investment(project.data.total_investment)
            }
            ProjectSort::Code => SortValue::Code(project.data.code.clone()),
            ProjectSort::UpdatedDesc => return None,
        };
        Some(Position { value, id: project.id })
    }

    /// The condition "at `position` or after it in this order", as a range of the
    /// order's index. From a signed date it holds only signed rows: the unsigned ones
    /// follow them in both directions (`NULLS LAST`).
    fn at_or_after(self, position: &Position) -> (String, Vec<Param>) {
        let ascending = matches!(self, ProjectSort::SignedAsc | ProjectSort::InvestmentAsc | ProjectSort::Code);
        let comparison = if ascending { ">=" } else { "<=" };
        let id = Param::Int(position.id);
        match &position.value {
            SortValue::Signed(None) => (format!("signed_on IS NULL AND id {comparison} ?1"), vec![id]),
            SortValue::Signed(Some(day)) => {
                (format!("(signed_on, id) {comparison} (?1, ?2)"), vec![Param::Date(*day), id])
            }
            SortValue::Investment(amount) => {
                (format!("(total_investment, id) {comparison} (?1, ?2)"), vec![Param::Int(*amount), id])
            }
            // Codes are unique.
            SortValue::Code(code) => ("code >= ?1".to_string(), vec![Param::Text(code.clone())]),
        }
    }

    fn order_by(self) -> &'static str {
        match self {
            ProjectSort::SignedDesc => "signed_on DESC NULLS LAST, id DESC",
            ProjectSort::SignedAsc => "signed_on ASC NULLS LAST, id ASC",
            ProjectSort::InvestmentDesc => "total_investment DESC, id DESC",
            ProjectSort::InvestmentAsc => "total_investment ASC, id ASC",
            ProjectSort::Code => "code ASC",
            ProjectSort::UpdatedDesc => "updated_at DESC, id DESC",
        }
    }
}

impl ProjectFilter {
    /// Whether `stage_counts` counts this list's signed rows by month: filtered by
    /// scope, stage, signing period and 终止 only.
    fn counted_by_month(&self) -> bool {
        let ProjectFilter {
            region_prefix: _,
            stage: _,
            signed_from: _,
            signed_to: _,
            exclude_dropped: _,
            chain,
            source,
            source_org,
            signing_activity,
            min_investment,
            max_investment,
            keyword,
            over_100m,
            started_by,
            producing_by,
            implementing_in,
            investor_credit_code,
            excess_funds,
            chains_in,
        } = self;
        [chain, source, source_org, signing_activity, investor_credit_code]
            .iter()
            .all(|v| v.as_deref().is_none_or(str::is_empty))
            && contains_pattern(keyword).is_none()
            && min_investment.is_none()
            && max_investment.is_none()
            && !over_100m
            && started_by.is_none()
            && producing_by.is_none()
            && implementing_in.is_none()
            && !excess_funds
            && chains_in.is_none()
    }

    /// Whether the list may hold projects not yet signed (no signing date).
    fn admits_unsigned(&self) -> bool {
        self.signed_from.is_none() && self.signed_to.is_none() && self.implementing_in.is_none()
    }
}

fn conditions(filter: &ProjectFilter) -> Conditions {
    use Param::*;
    let mut c = Conditions::new();
    if !filter.region_prefix.is_empty() {
        c.push_prefix("region_code", &filter.region_prefix);
    }
    let text_filters = [
        ("stage", &filter.stage),
        ("chain", &filter.chain),
        ("source", &filter.source),
        ("source_org", &filter.source_org),
        ("signing_activity", &filter.signing_activity),
        ("investor_credit_code", &filter.investor_credit_code),
    ];
    for (column, value) in text_filters {
        if let Some(value) = value.as_ref().filter(|v| !v.is_empty()) {
            c.push(&format!("{column} = ?1"), vec![Text(value.clone())]);
        }
    }
    if let Some(chains) = &filter.chains_in {
        c.push_in("chain", chains);
    }
    if let Some(from) = filter.signed_from {
        c.push("signed_on >= ?1", vec![Date(from)]);
    }
    if let Some(to) = filter.signed_to {
        c.push("signed_on <= ?1", vec![Date(to)]);
    }
    if let Some(min) = filter.min_investment {
        c.push("total_investment >= ?1", vec![Int(min)]);
    }
    if let Some(max) = filter.max_investment {
        c.push("total_investment <= ?1", vec![Int(max)]);
    }
    if let Some(pattern) = contains_pattern(&filter.keyword) {
        c.push(
            "(code LIKE ?1 ESCAPE '\\' OR name LIKE ?1 ESCAPE '\\' OR investor LIKE ?1 ESCAPE '\\')",
            vec![Text(pattern)],
        );
    }
    if filter.exclude_dropped {
        c.push("stage <> 'dropped'", vec![]);
    }
    if filter.over_100m {
        c.push("total_investment >= ?1", vec![Int(OVER_100M)]);
    }
    if filter.excess_funds {
        c.push("excess_funds <> ''", vec![]);
    }
    if let Some(by) = filter.started_by {
        c.push("started_on <= ?1", vec![Date(by)]);
    }
    if let Some(by) = filter.producing_by {
        c.push("producing_on <= ?1", vec![Date(by)]);
    }
    if let Some((from, to)) = filter.implementing_in {
        c.push(
            "signed_on <= ?1 AND stage <> 'dropped' AND (producing_on IS NULL OR producing_on >= ?2)",
            vec![Date(to), Date(from)],
        );
    }
    c
}

/// Count and investment sum of a filtered list (the drill-down check: the list sums
/// to the figure it came from).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ListTotals {
    pub count: i64,
    pub total_investment: i64,
}

impl Store {
    /// A page of the filtered, sorted list. The page's ids are found first, reading
    /// an index only where it covers the filter and gives the order (so a deep page
    /// skips index entries, not rows), then those rows are read by id.
    ///
    /// The first and last row of every page served are remembered by their place in
    /// the list while no project changes (the `stats` counter, see `report_cache`); a
    /// later page of the list seeks to the nearest remembered row before it and skips
    /// only the rows between, so paging on from a deep page, coming back to it, or
    /// exporting a list page by page does not skip every row from the first again.
    pub async fn list_projects(
        &self,
        filter: &ProjectFilter,
        sort: ProjectSort,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Project>> {
        let version = if sort.seeks() { Some(self.stats_version().await?) } else { None };
        let list = format!("{sort:?} {}", serde_json::to_string(filter).unwrap_or_default());
        let mut nearest = version.and_then(|version| {
            self.position_cache()
                .read(&list, version, |places| {
                    places.range(..=offset).next_back().map(|(place, position)| (*place, position.clone()))
                })
                .flatten()
        });
        let mut seeds = Vec::new();
        if version.is_some() && offset - nearest.as_ref().map_or(0, |(place, _)| *place) >= SEEK_BY_MONTH_FROM {
            if let Some(seed) = self.month_position(filter, sort, offset).await? {
                if nearest.as_ref().is_none_or(|(place, _)| *place < seed.0) {
                    nearest = Some(seed.clone());
                    seeds.push(seed);
                }
            }
        }
        let from_nearest = match &nearest {
            Some((place, position)) => self.page_ids_from(filter, sort, position, limit, offset - place).await?,
            None => None,
        };
        let ids = match from_nearest {
            Some(ids) => ids,
            None => self.page_ids(filter, &conditions(filter), sort, limit, offset).await?,
        };
        let rows = self.projects_in_order(&ids).await?;
        if let (Some(version), Some(first), Some(last)) = (version, rows.first(), rows.last()) {
            let edges = [(offset, sort.position_of(first)), (offset + rows.len() as i64 - 1, sort.position_of(last))];
            self.position_cache().change(list, version, |places| {
                let places = places.get_or_insert_with(Default::default);
                if places.len() >= PLACES_PER_LIST {
                    places.clear();
                }
                places.extend(edges.into_iter().filter_map(|(place, position)| Some((place, position?))));
                places.extend(seeds);
            });
        }
        Ok(rows)
    }

    /// For a list by signing date that `stage_counts` counts, a place before `offset`
    /// where a month of signings begins in the list's order, with a position just
    /// before that month's rows: the start of the month `offset` falls in. `None`
    /// when it falls in the list's first month or among its unsigned projects.
    async fn month_position(
        &self,
        filter: &ProjectFilter,
        sort: ProjectSort,
        offset: i64,
    ) -> Result<Option<(i64, Position)>> {
        let descending = match sort {
            ProjectSort::SignedDesc => true,
            ProjectSort::SignedAsc => false,
            _ => return Ok(None),
        };
        if !filter.counted_by_month() {
            return Ok(None);
        }
        let mut c = Conditions::new();
        if !filter.region_prefix.is_empty() {
            c.push_prefix("region_code", &filter.region_prefix);
        }
        if let Some(stage) = filter.stage.as_ref().filter(|stage| !stage.is_empty()) {
            c.push("stage = ?1", vec![Param::Text(stage.clone())]);
        }
        if filter.exclude_dropped {
            c.push("stage <> 'dropped'", vec![]);
        }
        if let Some(from) = filter.signed_from {
            c.push("signed_month >= ?1", vec![Param::Date(month_start(from))]);
        }
        if let Some(to) = filter.signed_to {
            c.push("signed_month <= ?1", vec![Param::Date(to)]);
        }
        let sql = format!(
            "SELECT signed_month, CAST(SUM(records) AS BIGINT) FROM stage_counts {} GROUP BY 1 ORDER BY 1 {}",
            c.where_sql(),
            if descending { "DESC" } else { "ASC" }
        );
        let months: Vec<(NaiveDate, i64)> =
            on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params).fetch_all(pool).await?);
        // The period's month at the list's start may hold signings outside the period:
        // that month is counted from the projects.
        let partial = if descending {
            filter.signed_to.filter(|to| to.succ_opt().is_some_and(|next| next.day() != 1)).map(|to| {
                let month = month_start(to);
                (
                    month,
                    ProjectFilter {
                        signed_from: Some(filter.signed_from.map_or(month, |from| from.max(month))),
                        ..filter.clone()
                    },
                )
            })
        } else {
            filter.signed_from.filter(|from| from.day() != 1).map(|from| {
                let last_day = month_end(from);
                (
                    month_start(from),
                    ProjectFilter {
                        signed_to: Some(filter.signed_to.map_or(last_day, |to| to.min(last_day))),
                        ..filter.clone()
                    },
                )
            })
        };
        let mut place = 0;
        for (index, (month, records)) in months.into_iter().enumerate() {
            let records = match &partial {
                Some((partial_month, within)) if *partial_month == month => self.count_projects(within).await?.count,
                _ => records,
            };
            if place + records > offset {
                if index == 0 {
                    return Ok(None);
                }
                let position = if descending {
                    Position { value: SortValue::Signed(Some(month_end(month))), id: i64::MAX }
                } else {
                    Position { value: SortValue::Signed(Some(month)), id: i64::MIN }
                };
                return Ok(Some((place, position)));
            }
            place += records;
        }
        Ok(None)
    }

    /// The ids of a page that starts `skip` rows after `position`; `None` when the
    /// page lies among the unsigned projects that follow the signed ones and its place
    /// there is not known.
    async fn page_ids_from(
        &self,
        filter: &ProjectFilter,
        sort: ProjectSort,
        position: &Position,
        limit: i64,
        skip: i64,
    ) -> Result<Option<Vec<i64>>> {
        // The position's row is in the list, so the seek implies the period's bound on
        // its side; left in, that bound is the range SQLite would seek by instead.
        let mut seek = filter.clone();
        if let SortValue::Signed(Some(_)) = position.value {
            match sort {
                ProjectSort::SignedDesc => seek.signed_to = None,
                ProjectSort::SignedAsc => seek.signed_from = None,
                _ => {}
            }
        }
        let mut c = conditions(&seek);
        let (clause, params) = sort.at_or_after(position);
        c.push(&clause, params);
        let mut ids = self.page_ids(filter, &c, sort, limit, skip).await?;
        let unsigned_follow = matches!(position.value, SortValue::Signed(Some(_))) && filter.admits_unsigned();
        if unsigned_follow && (ids.len() as i64) < limit {
            if ids.is_empty() {
                return Ok(None);
            }
            let mut unsigned = conditions(filter);
            unsigned.push("signed_on IS NULL", vec![]);
            ids.extend(self.page_ids(filter, &unsigned, sort, limit - ids.len() as i64, 0).await?);
        }
        Ok(Some(ids))
    }

    /// The ids of rows matching `c` in `sort`'s order, `limit` of them after `skip`.
    async fn page_ids(
        &self,
        filter: &ProjectFilter,
        c: &Conditions,
        sort: ProjectSort,
        limit: i64,
        skip: i64,
    ) -> Result<Vec<i64>> {
        let table = match (self.backend(), sort) {
            // Without ANALYZE statistics SQLite prefers the region range of the scope to
            // the index in list order, and then sorts every matching row of the scope. A
            // stage filter has its own ordered index; an investor or activity is narrower.
            (crate::Backend::Sqlite, ProjectSort::SignedDesc)
                if [&filter.stage, &filter.investor_credit_code, &filter.signing_activity]
                    .iter()
                    .all(|v| v.as_deref().is_none_or(str::is_empty)) =>
            {
                "projects INDEXED BY projects_signed_cover"
            }
            _ => "projects",
        };
        let sql = c.page_sql("id", table, sort.order_by());
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_scalar(&sql), &c.params)
            .bind(limit)
            .bind(skip)
            .fetch_all(pool)
            .await?))
    }

    /// The projects of `ids`, in that order.
    pub async fn projects_in_order(&self, ids: &[i64]) -> Result<Vec<Project>> {
        // By id, a bounded number at a time (a page may be a whole export).
        let mut rows: Vec<Project> = fetch_in_chunks!(self, query_as, ids, |n| format!(
            "SELECT {} FROM projects WHERE id IN ({})",
            project_columns(),
            placeholders(1, n)
        ));
        let position: std::collections::HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        rows.sort_by_key(|row| position.get(&row.id).copied().unwrap_or(usize::MAX));
        Ok(rows)
    }

    /// The list's count and investment sum; kept while no project changes (the
    /// `stats` counter, see `report_cache`), so paging through a long list or
    /// reloading it does not count it again.
    pub async fn project_totals(&self, filter: &ProjectFilter) -> Result<ListTotals> {
        let key = serde_json::to_string(filter).unwrap_or_default();
        let version = self.stats_version().await?;
        if let Some(totals) = self.totals_cache().get(&key, version) {
            return Ok(totals);
        }
        let totals = self.count_projects(filter).await?;
        self.totals_cache().put(key, version, totals);
        Ok(totals)
    }

    async fn count_projects(&self, filter: &ProjectFilter) -> Result<ListTotals> {
        let c = conditions(filter);
        let sql = format!(
            "SELECT COUNT(*) AS count, CAST(COALESCE(SUM(total_investment), 0) AS BIGINT) AS total_investment FROM projects {}",
            c.where_sql()
        );
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params).fetch_one(pool).await?))
    }

    /// Funds in place, all dates, of the projects a filter matches (yuan).
    pub async fn funds_of_projects(&self, filter: &ProjectFilter) -> Result<i64> {
        let c = conditions(filter);
        let sql = format!(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM project_funding \
             WHERE project_id IN (SELECT id FROM projects {})",
            c.where_sql()
        );
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_scalar(&sql), &c.params).fetch_one(pool).await?))
    }
}

/// A project as the "claimed twice" check compares it with others of the same investor.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvestorClaim {
    pub id: i64,
    pub name: String,
    pub region_code: String,
    pub investor_credit_code: String,
}

impl Store {
    /// Every project naming one of `codes` as its investor: what a list page checks its
    /// own rows against, in one statement per `IN_LIST_CHUNK` codes however large the scope.
    pub async fn claims_of_investors(&self, codes: &[String]) -> Result<Vec<InvestorClaim>> {
        Ok(fetch_in_chunks!(self, query_as, codes, |n| format!(
            "SELECT id, name, region_code, investor_credit_code FROM projects WHERE investor_credit_code IN ({})",
            placeholders(1, n)
        )))
    }
}
