//! Business-environment appeals (营商环境诉求): typed rows keyed by 诉求编号, their
//! audited upsert, the filtered list, and the counts behind `stats appeals`.

pub mod supervision;

use crate::audit::{created_entries, record_entry, Actor, AuditAction, AuditEntity, AuditRow, NewAuditEntry};
use crate::projects::{UpsertOutcome, PAUSE_SUMS_FROM};
use crate::sql::{bind_params, contains_pattern, fetch_in_chunks, placeholders, value_rows, Conditions, Param};
use crate::stats::{is_empty, MonthSplit};
use crate::{Result, Store, StoreError};
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use zhaoshang_core::appeals::flow::{ActionKind, FlowState, Stage};
use zhaoshang_core::appeals::{due_on, AppealCounts, AppealStatus, Dimension, Rating, DEFAULT_LIMIT_DAYS};
use zhaoshang_core::calendar::Calendar;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AppealData {
    pub code: String,
    pub enterprise: String,
    pub credit_code: String,
    pub region_code: String,
    /// A `Dimension` key.
    pub dimension: String,
    pub category: String,
    pub content: String,
    pub received_on: NaiveDate,
    pub department: String,
    pub limit_days: i64,
    /// The `limit_days`-th working day after `received_on` (core::appeals::due_on).
    pub due_on: NaiveDate,
    /// The due date was reckoned past the last holiday notice held (by weekends alone).
    pub due_by_weekends_only: bool,
    pub answered_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// A `Rating` key, or empty when not rated.
    pub rating: String,
}

impl AppealData {
    /// Sets the due date: the `limit_days`-th working day after `received_on` by `calendar`.
    pub fn reckon_due(&mut self, calendar: &Calendar) {
        let limit = u32::try_from(self.limit_days).unwrap_or(DEFAULT_LIMIT_DAYS);
        let due = due_on(calendar, self.received_on, limit);
        (self.due_on, self.due_by_weekends_only) = (due.value, due.by_weekends_only);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Appeal {
    pub id: i64,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub data: AppealData,
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub flow: AppealFlow,
    /// The 六必访 visit that raised it, if one did.
    pub visit_id: Option<i64>,
}

/// The course's state beyond the imported columns (core::appeals::flow::FlowState);
/// a day left NULL is the received day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AppealFlow {
    pub assigned_on: Option<NaiveDate>,
    pub contested: bool,
    pub clock_from: Option<NaiveDate>,
    pub paused_days: i64,
    pub extension_days: i64,
    pub paused_since: Option<NaiveDate>,
    pub pending_extension: Option<i64>,
    pub reopened: bool,
    pub last_step_on: Option<NaiveDate>,
}

impl Appeal {
    /// The state of the appeal's course, as its row holds it.
    pub fn flow_state(&self) -> FlowState {
        let (d, f) = (&self.data, &self.flow);
        let days = |n: i64| u32::try_from(n).unwrap_or(0);
        FlowState {
            stage: match (d.answered_on, d.closed_on) {
                (_, Some(_)) => Stage::Closed,
                (Some(_), None) => Stage::Answered,
                (None, None) => Stage::Handling,
            },
            department: d.department.clone(),
            assigned_on: f.assigned_on.unwrap_or(d.received_on),
            contested: f.contested,
            limit_days: u32::try_from(d.limit_days).unwrap_or(DEFAULT_LIMIT_DAYS),
            clock_from: f.clock_from.unwrap_or(d.received_on),
            paused_days: days(f.paused_days),
            extension_days: days(f.extension_days),
            paused_since: f.paused_since,
            pending_extension: f.pending_extension.map(days),
            due_on: d.due_on,
            due_by_weekends_only: d.due_by_weekends_only,
            answered_on: d.answered_on,
            rating: Rating::parse(&d.rating).ok(),
            closed_on: d.closed_on,
            reopened: f.reopened,
            last_step_on: f.last_step_on.unwrap_or(d.received_on),
        }
    }
}

/// A recorded step of an appeal's course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AppealStepRecord {
    pub id: i64,
    pub appeal_id: i64,
    /// An `ActionKind` key.
    pub action: String,
    pub done_on: NaiveDate,
    pub detail: String,
    pub recorded_by: String,
    pub recorded_at: chrono::DateTime<Utc>,
}

pub(crate) const APPEAL_COLUMNS: &str =
    "id, code, enterprise, credit_code, region_code, dimension, category, content, received_on, \
     department, limit_days, due_on, due_by_weekends_only, answered_on, closed_on, rating, \
     assigned_on, contested, clock_from, paused_days, extension_days, paused_since, pending_extension, reopened, \
     last_step_on, visit_id";

/// What the appeals above id `$1` add to `appeal_sums` (SQLite), grouped: the rule of
/// the insert trigger (migrations 0034, 0037) for a bulk write that pauses it.
pub(crate) const ADD_NEW_APPEAL_SUMS: &str = "INSERT INTO appeal_sums (received_month, region_code, dimension, settled_month, \
     received, answered, on_time, overdue, resolved, rated, satisfied) \
     SELECT substr(received_on, 1, 8) || '01', region_code, dimension, \
     substr(max(date(due_on, '+1 day'), coalesce(answered_on, due_on), coalesce(closed_on, due_on)), 1, 8) || '01', \
     COUNT(*), SUM(answered_on IS NOT NULL), SUM(coalesce(answered_on <= due_on, 0)), \
     SUM(answered_on IS NULL OR answered_on > due_on), SUM(closed_on IS NOT NULL), \
     SUM(closed_on IS NOT NULL AND rating <> ''), SUM(closed_on IS NOT NULL AND rating IN ('satisfied', 'fairly_satisfied')) \
     FROM appeals WHERE id > $1 GROUP BY 1, 2, 3, 4 \
     ON CONFLICT (received_month, region_code, dimension, settled_month) DO UPDATE SET \
     received = received + excluded.received, answered = answered + excluded.answered, \
     on_time = on_time + excluded.on_time, overdue = overdue + excluded.overdue, \
     resolved = resolved + excluded.resolved, rated = rated + excluded.rated, \
     satisfied = satisfied + excluded.satisfied";

/// Which appeals to list; every part optional.
#[derive(Debug, Clone, Default)]
pub struct AppealFilter {
    /// Appeals of regions under this prefix ("" = all).
    pub region_prefix: String,
    pub dimension: Option<Dimension>,
    /// The status on `today`.
    pub status: Option<AppealStatus>,
    pub today: NaiveDate,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    /// In the code, the enterprise or the content.
    pub q: Option<String>,
    /// Awaiting their answer with the clock running (not paused), due on or before this
    /// day: the 督办 lists and the inbox.
    pub running_due_by: Option<NaiveDate>,
    /// Exactly this category or department (the figures' drill-down).
    pub category: Option<String>,
    pub department: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AppealSort {
    #[default]
    ReceivedDesc,
    ReceivedAsc,
    DueAsc,
    Code,
}

impl AppealSort {
    pub const ALL: [AppealSort; 4] =
        [AppealSort::ReceivedDesc, AppealSort::ReceivedAsc, AppealSort::DueAsc, AppealSort::Code];

    pub fn key(self) -> &'static str {
        match self {
            AppealSort::ReceivedDesc => "received_desc",
            AppealSort::ReceivedAsc => "received_asc",
            AppealSort::DueAsc => "due_asc",
            AppealSort::Code => "code",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AppealSort::ReceivedDesc => "受理日期↓",
            AppealSort::ReceivedAsc => "受理日期↑",
            AppealSort::DueAsc => "应答复日期↑",
            AppealSort::Code => "诉求编号",
        }
    }

    /// An unknown key sorts by the default.
    pub fn parse(text: &str) -> AppealSort {
        AppealSort::ALL.into_iter().find(|sort| sort.key() == text.trim()).unwrap_or_default()
    }

    fn order_by(self) -> &'static str {
        match self {
            AppealSort::ReceivedDesc => "received_on DESC, code DESC",
            AppealSort::ReceivedAsc => "received_on, code",
            AppealSort::DueAsc => "due_on, code",
            AppealSort::Code => "code",
        }
    }
}

fn conditions(filter: &AppealFilter) -> Conditions {
    let mut c = Conditions::new();
    if !filter.region_prefix.is_empty() {
        c.push_prefix("region_code", &filter.region_prefix);
    }
    if let Some(dimension) = filter.dimension {
        c.push("dimension = ?1", vec![Param::Text(dimension.key().to_string())]);
    }
    let today = Param::Date(filter.today);
    match filter.status {
        None => {}
        Some(AppealStatus::Open) => c.push("answered_on IS NULL AND closed_on IS NULL AND due_on >= ?1", vec![today]),
        Some(AppealStatus::Overdue) => c.push("answered_on IS NULL AND closed_on IS NULL AND due_on < ?1", vec![today]),
        Some(AppealStatus::Answered) => c.push("answered_on IS NOT NULL AND closed_on IS NULL", vec![]),
        Some(AppealStatus::Closed) => c.push("closed_on IS NOT NULL", vec![]),
    }
    if let Some(category) = &filter.category {
        c.push("category = ?1", vec![Param::Text(category.clone())]);
    }
    if let Some(department) = &filter.department {
        c.push("department = ?1", vec![Param::Text(department.clone())]);
    }
    if let Some(due_by) = filter.running_due_by {
        c.push(
            "answered_on IS NULL AND closed_on IS NULL AND paused_since IS NULL AND due_on <= ?1",
            vec![Param::Date(due_by)],
        );
    }
    if let Some(from) = filter.received_from {
        c.push("received_on >= ?1", vec![Param::Date(from)]);
    }
    if let Some(to) = filter.received_to {
        c.push("received_on <= ?1", vec![Param::Date(to)]);
    }
    if let Some(pattern) = contains_pattern(&filter.q) {
        c.push(
            "(code LIKE ?1 ESCAPE '\\' OR enterprise LIKE ?1 ESCAPE '\\' OR content LIKE ?1 ESCAPE '\\')",
            vec![Param::Text(pattern)],
        );
    }
    c
}

/// How `appeal_counts_by` groups appeals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppealGrouping {
    Dimension,
    Category,
    Department,
    /// By the first `n` digits of the region code (4: cities, 6: counties).
    RegionDigits(usize),
    /// By the month received ("YYYY-MM").
    Month,
}

impl AppealGrouping {
    /// The group of a row of appeals, or of `appeal_sums` (`None` for a grouping the
    /// sums do not keep).
    fn expression(self, table: CountedTable) -> Option<String> {
        let received = match table {
            CountedTable::Appeals => "received_on",
            CountedTable::Sums => "received_month",
        };
        match self {
            AppealGrouping::Dimension => Some("dimension".into()),
            AppealGrouping::RegionDigits(n) => Some(format!("SUBSTR(region_code, 1, {})", n.clamp(2, 6))),
            AppealGrouping::Month => Some(format!("SUBSTR(CAST({received} AS TEXT), 1, 7)")),
            AppealGrouping::Category if table == CountedTable::Appeals => Some("category".into()),
            AppealGrouping::Department if table == CountedTable::Appeals => Some("department".into()),
            AppealGrouping::Category | AppealGrouping::Department => None,
        }
    }
}

/// Where `appeal_counts_by` counts: the appeals themselves or their kept sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CountedTable {
    Appeals,
    /// `appeal_sums` (migration 0034).
    Sums,
}

/// The day an appeal's counts as of a later day stop changing (migration 0034), as
/// the index `appeals_received_settled` writes it.
fn settled_expression(backend: crate::Backend) -> &'static str {
    match backend {
        crate::Backend::Sqlite => {
            "max(date(due_on, '+1 day'), coalesce(answered_on, due_on), coalesce(closed_on, due_on))"
        }
        crate::Backend::Postgres => "GREATEST(due_on + 1, answered_on, closed_on)",
    }
}

/// How `appeal_counts_by` reads `filter`'s appeals through `appeal_sums`, when it can:
/// only a region and a dimension filtered, a whole received period counted as of its
/// last day, grouped by a key the sums keep.
fn kept_split(filter: &AppealFilter, grouping: AppealGrouping, to: NaiveDate) -> Option<MonthSplit> {
    let only_kept_keys = filter.status.is_none()
        && filter.q.as_deref().is_none_or(|q| q.trim().is_empty())
        && filter.running_due_by.is_none()
        && filter.category.is_none()
        && filter.department.is_none();
    let from = filter.received_from?;
    let split = MonthSplit::of(from, to);
    (only_kept_keys
        && filter.received_to == Some(to)
        && grouping.expression(CountedTable::Sums).is_some()
        && split.middle.0 < split.middle.1)
        .then_some(split)
}

/// One group's counts as the aggregate query returns them.
#[derive(sqlx::FromRow)]
struct CountsRow {
    grouped: String,
    received: i64,
    answered: i64,
    on_time: i64,
    overdue: i64,
    resolved: i64,
    rated: i64,
    satisfied: i64,
}

impl CountsRow {
    fn into_group(self) -> (String, AppealCounts) {
        let counts = AppealCounts {
            received: self.received,
            answered: self.answered,
            on_time: self.on_time,
            overdue: self.overdue,
            resolved: self.resolved,
            rated: self.rated,
            satisfied: self.satisfied,
        };
        (self.grouped, counts)
    }
}

/// The imported columns of `appeals`, in `AppealData` order.
const APPEAL_DATA_COLUMNS: &[&str] = &[
    "code",
    "enterprise",
    "credit_code",
    "region_code",
    "dimension",
    "category",
    "content",
    "received_on",
    "department",
    "limit_days",
    "due_on",
    "due_by_weekends_only",
    "answered_on",
    "closed_on",
    "rating",
];

/// Parameters of an appeal written: its data, created_at and updated_at.
pub(crate) const APPEAL_PARAMETERS: usize = APPEAL_DATA_COLUMNS.len() + 2;

/// Writes `rows` appeals by their codes (created, or their imported columns replaced),
/// bound by `write_appeals!`; no code may come twice in one statement (PostgreSQL's
/// upsert refuses to change a row twice).
pub(crate) fn write_appeals_sql(backend: crate::Backend, rows: usize) -> String {
    let replaced: Vec<String> = APPEAL_DATA_COLUMNS[1..].iter().map(|c| format!("{c} = excluded.{c}")).collect();
    format!(
        "INSERT INTO appeals ({}, created_at, updated_at) VALUES {} \
         ON CONFLICT (code) DO UPDATE SET {}, updated_at = excluded.updated_at",
        APPEAL_DATA_COLUMNS.join(", "),
        value_rows(backend, rows, APPEAL_PARAMETERS),
        replaced.join(", ")
    )
}

/// Writes `$appeals` (items that borrow as `AppealData`, codes each once) in `$tx`,
/// many a statement, as written at `$now`.
macro_rules! write_appeals {
    ($store:expr, $tx:ident, $appeals:expr, $now:expr) => {
        for chunk in $appeals.chunks($crate::sql::rows_per_statement($crate::appeals::APPEAL_PARAMETERS)) {
            let sql = $crate::appeals::write_appeals_sql($store.backend(), chunk.len());
            let mut query = sqlx::query(&sql);
            for appeal in chunk {
                let a: &$crate::appeals::AppealData = std::borrow::Borrow::borrow(appeal);
                query = query
                    .bind(&a.code)
                    .bind(&a.enterprise)
                    .bind(&a.credit_code)
                    .bind(&a.region_code)
                    .bind(&a.dimension)
                    .bind(&a.category)
                    .bind(&a.content)
                    .bind(a.received_on)
                    .bind(&a.department)
                    .bind(a.limit_days)
                    .bind(a.due_on)
                    .bind(a.due_by_weekends_only)
                    .bind(a.answered_on)
                    .bind(a.closed_on)
                    .bind(&a.rating)
                    .bind($now)
                    .bind($now);
            }
            query.execute(&mut *$tx).await?;
        }
    };
}
pub(crate) use write_appeals;

impl AuditRow for AppealData {
    const ENTITY: AuditEntity = AuditEntity::Appeal;
    const COLUMNS: &'static [&'static str] = APPEAL_DATA_COLUMNS;

    fn key(&self) -> &str {
        &self.code
    }

    fn row<S: serde::ser::SerializeSeq>(&self, seq: &mut S) -> std::result::Result<(), S::Error> {
        let d = self;
        for text in [&d.code, &d.enterprise, &d.credit_code, &d.region_code, &d.dimension, &d.category, &d.content] {
            seq.serialize_element(text)?;
        }
        seq.serialize_element(&d.received_on)?;
        seq.serialize_element(&d.department)?;
        seq.serialize_element(&d.limit_days)?;
        seq.serialize_element(&d.due_on)?;
        seq.serialize_element(&d.due_by_weekends_only)?;
        seq.serialize_element(&d.answered_on)?;
        seq.serialize_element(&d.closed_on)?;
        seq.serialize_element(&d.rating)
    }
}

impl Store {
    /// The stored appeals among `codes` (unknown codes are simply absent).
    pub async fn appeals_by_codes(&self, codes: &[String]) -> Result<Vec<Appeal>> {
        Ok(fetch_in_chunks!(self, query_as, codes, |n| format!(
            "SELECT {APPEAL_COLUMNS} FROM appeals WHERE code IN ({}) ORDER BY code",
            placeholders(1, n)
        )))
    }

    pub async fn appeal_by_code(&self, code: &str) -> Result<Option<Appeal>> {
        let sql = format!("SELECT {APPEAL_COLUMNS} FROM appeals WHERE code = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(code).fetch_optional(pool).await?))
    }

    /// The appeal an enterprise follows on the portal by its tracking code.
    pub async fn appeal_by_tracking_code(&self, tracking_code: &str) -> Result<Option<Appeal>> {
        let sql = format!("SELECT {APPEAL_COLUMNS} FROM appeals WHERE tracking_code = $1");
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql).bind(tracking_code).fetch_optional(pool).await?))
    }

    /// How the department reaches the enterprise of a portal appeal (empty for others).
    pub async fn appeal_contact(&self, code: &str) -> Result<String> {
        let contact: Option<String> =
            on_pool!(self, |pool| sqlx::query_scalar("SELECT contact FROM appeals WHERE code = $1")
                .bind(code)
                .fetch_optional(pool)
                .await?);
        Ok(contact.unwrap_or_default())
    }

    /// Gives an appeal filed on the portal its tracking code and the enterprise's contact.
    pub async fn set_appeal_portal_keys(
        &self,
        code: &str,
        tracking_code: &str,
        contact: &str,
        actor: &Actor,
    ) -> Result<()> {
        audited!(self, actor, |tx, audit| {
            let updated = sqlx::query("UPDATE appeals SET tracking_code = $2, contact = $3 WHERE code = $1")
                .bind(code)
                .bind(tracking_code)
                .bind(contact)
                .execute(&mut *tx)
                .await?;
            if updated.rows_affected() == 0 {
                return Err(StoreError::NotFound(format!("诉求“{code}”")));
            }
            audit.push(NewAuditEntry::new(
                AuditAction::Update,
                AuditEntity::Appeal,
                code,
                None,
                Some(json!({ "contact": contact, "filed_on": "portal" })),
            ));
        });
        Ok(())
    }

    /// Creates or updates appeals by code in one transaction (all or nothing), as the
    /// projects' import does (`upsert_projects`): the stored appeals read a chunk of
    /// codes at a time, the written ones many rows per statement, an audit entry for
    /// every changed appeal (before and after) and for the new ones one each or, in
    /// numbers, one per group (`audit::created_entries`). A code repeated in the batch
    /// changes what its earlier row wrote. On SQLite the `appeal_sums` insert trigger
    /// is paused for many new appeals and their sums added in one grouped statement.
    pub async fn upsert_appeals(&self, appeals: &[AppealData], actor: &Actor) -> Result<UpsertOutcome> {
        let mut outcome = UpsertOutcome::default();
        let now = Utc::now();
        let backend = self.backend();
        bulk_audited!(self, actor, appeals.len() >= PAUSE_SUMS_FROM, |tx, audit| {
            let mut codes: Vec<&str> = appeals.iter().map(|a| a.code.as_str()).collect();
            codes.sort_unstable();
            codes.dedup();
            let stored: Vec<Appeal> = fetch_in_chunks!(on &mut *tx, query_as, codes, |n| format!(
                "SELECT {APPEAL_COLUMNS} FROM appeals WHERE code IN ({})",
                placeholders(1, n)
            ));
            // Each code's data as the batch leaves it, and whether the batch creates it.
            let mut current: HashMap<&str, (&AppealData, bool)> =
                stored.iter().map(|a| (a.data.code.as_str(), (&a.data, false))).collect();
            let mut created: Vec<&AppealData> = Vec::new();
            let mut changed: Vec<&str> = Vec::new();
            let mut updates: Vec<NewAuditEntry> = Vec::new();
            for appeal in appeals {
                match current.entry(appeal.code.as_str()) {
                    Entry::Occupied(mut entry) => {
                        let (before, new) = *entry.get();
                        if before == appeal {
                            outcome.unchanged += 1;
                            continue;
                        }
                        updates.push(record_entry(AuditAction::Update, Some(before), appeal));
                        outcome.updated += 1;
                        if !new {
                            changed.push(&appeal.code);
                        }
                        entry.insert((appeal, new));
                    }
                    Entry::Vacant(entry) => {
                        entry.insert((appeal, true));
                        created.push(appeal);
                        outcome.created += 1;
                    }
                }
            }
            audit.extend(created_entries(&created));
            audit.extend(updates);
            changed.sort_unstable();
            changed.dedup();
            let last_of = |code: &str| current[code].0;
            let new_rows: Vec<&AppealData> = created.iter().map(|a| last_of(&a.code)).collect();
            let changed_rows: Vec<&AppealData> = changed.iter().map(|code| last_of(code)).collect();

            // SQLite numbers new rows after the largest id: the rows above it are the new ones.
            let paused_after: Option<i64> = if backend == crate::Backend::Sqlite && new_rows.len() >= PAUSE_SUMS_FROM {
                sqlx::query("INSERT INTO meta (key, value) VALUES ('appeal_sums_paused', '1')")
                    .execute(&mut *tx)
                    .await?;
                Some(sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM appeals").fetch_one(&mut *tx).await?)
            } else {
                None
            };
            write_appeals!(self, tx, new_rows, now);
            if let Some(last_id) = paused_after {
                sqlx::query(ADD_NEW_APPEAL_SUMS).bind(last_id).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM meta WHERE key = 'appeal_sums_paused'").execute(&mut *tx).await?;
            }
            // The changes fire the update trigger as any step does.
            write_appeals!(self, tx, changed_rows, now);
        });
        Ok(outcome)
    }

    pub async fn list_appeals(
        &self,
        filter: &AppealFilter,
        sort: AppealSort,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Appeal>> {
        let c = conditions(filter);
        let sql = c.page_sql(APPEAL_COLUMNS, self.appeals_of(filter), sort.order_by());
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?))
    }

    /// The appeals table as `filter`'s queries read it. Without ANALYZE statistics
    /// SQLite reads a region's range of `appeals_region_received` (every appeal of the
    /// province, for the 督办 list of the province) where the few appeals awaiting an
    /// answer have an index of their own.
    fn appeals_of(&self, filter: &AppealFilter) -> &'static str {
        let unanswered = matches!(filter.status, Some(AppealStatus::Open | AppealStatus::Overdue))
            || filter.running_due_by.is_some();
        if unanswered && self.backend() == crate::Backend::Sqlite {
            "appeals INDEXED BY appeals_unanswered_due"
        } else {
            "appeals"
        }
    }

    /// The filtered appeals in code order after `after` (exclusive), for exports.
    pub async fn appeals_by_code_after(&self, filter: &AppealFilter, after: &str, limit: i64) -> Result<Vec<Appeal>> {
        let mut c = conditions(filter);
        c.push("code > ?1", vec![Param::Text(after.to_string())]);
        let sql = format!(
            "SELECT {APPEAL_COLUMNS} FROM {} {} ORDER BY code LIMIT ${}",
            self.appeals_of(filter),
            c.where_sql(),
            c.params.len() + 1
        );
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params).bind(limit).fetch_all(pool).await?))
    }

    pub async fn count_appeals(&self, filter: &AppealFilter) -> Result<i64> {
        let c = conditions(filter);
        let sql = format!("SELECT COUNT(*) FROM {} {}", self.appeals_of(filter), c.where_sql());
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_scalar(&sql), &c.params).fetch_one(pool).await?))
    }

    /// The counts of `stats appeals` per dimension for the appeals of the regions under
    /// `region_prefix` received from `from` to `to` (see `AppealCounts` for each count).
    pub async fn appeal_counts(
        &self,
        region_prefix: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(Dimension, AppealCounts)>> {
        let filter = AppealFilter {
            region_prefix: region_prefix.to_string(),
            received_from: Some(from),
            received_to: Some(to),
            ..Default::default()
        };
        let rows = self.appeal_counts_by(&filter, AppealGrouping::Dimension, to).await?;
        Ok(rows.into_iter().filter_map(|(key, counts)| Some((Dimension::parse(&key).ok()?, counts))).collect())
    }

    /// The counts of the appeals `filter` matches (its received period), grouped, as of
    /// `to` (see `AppealCounts`): from `appeal_sums` where they serve (`kept_split`),
    /// else from the rows.
    pub async fn appeal_counts_by(
        &self,
        filter: &AppealFilter,
        grouping: AppealGrouping,
        to: NaiveDate,
    ) -> Result<Vec<(String, AppealCounts)>> {
        let Some(split) = kept_split(filter, grouping, to) else {
            return self.counted_rows(conditions(filter), grouping, to).await;
        };
        let rows_received = |from: NaiveDate, to: NaiveDate| {
            conditions(&AppealFilter { received_from: Some(from), received_to: Some(to), ..filter.clone() })
        };
        let mut parts = vec![self.kept_counts(filter, grouping, split).await?];
        for edge in [split.head, split.tail] {
            if !is_empty(edge) {
                parts.push(self.counted_rows(rows_received(edge.0, edge.1), grouping, to).await?);
            }
        }
        // The middle's appeals settling from the end's month on, from the first month
        // that has any (usually the last one or two).
        if let Some(first) = self.first_month_settling_late(filter, split).await? {
            let last_day = split.middle.1.pred_opt().unwrap_or(NaiveDate::MIN);
            let mut late = rows_received(first.max(split.middle.0), last_day);
            late.push(&format!("{} >= ?1", settled_expression(self.backend())), vec![Param::Date(split.late_events.0)]);
            parts.push(self.counted_rows(late, grouping, to).await?);
        }
        let mut groups: BTreeMap<String, AppealCounts> = BTreeMap::new();
        for (group, counts) in parts.into_iter().flatten() {
            *groups.entry(group).or_default() += counts;
        }
        Ok(groups.into_iter().collect())
    }

    /// `appeal_sums` of `filter`'s region and dimension for the appeals received in the
    /// split's middle months and settled before the end's month, grouped.
    async fn kept_counts(
        &self,
        filter: &AppealFilter,
        grouping: AppealGrouping,
        split: MonthSplit,
    ) -> Result<Vec<(String, AppealCounts)>> {
        let mut c = kept_conditions(filter, split);
        c.push("settled_month < ?1", vec![Param::Date(split.late_events.0)]);
        let group = grouping.expression(CountedTable::Sums).unwrap_or_default();
        let sum = |column: &str| format!("CAST(SUM({column}) AS BIGINT) AS {column}");
        let sql = format!(
            "SELECT {group} AS grouped, {}, {}, {}, {}, {}, {}, {} FROM appeal_sums {} GROUP BY {group}",
            sum("received"),
            sum("answered"),
            sum("on_time"),
            sum("overdue"),
            sum("resolved"),
            sum("rated"),
            sum("satisfied"),
            c.where_sql()
        );
        let rows: Vec<CountsRow> =
            on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params).fetch_all(pool).await?);
        Ok(rows.into_iter().map(CountsRow::into_group).collect())
    }

    /// The first of the split's middle months with an appeal of `filter`'s region and
    /// dimension settling in the end's month or later, if any.
    async fn first_month_settling_late(&self, filter: &AppealFilter, split: MonthSplit) -> Result<Option<NaiveDate>> {
        let mut c = kept_conditions(filter, split);
        c.push("settled_month >= ?1", vec![Param::Date(split.late_events.0)]);
        let sql = format!("SELECT MIN(received_month) FROM appeal_sums {}", c.where_sql());
        Ok(on_pool!(self, |pool| bind_params!(sqlx::query_scalar(&sql), &c.params).fetch_one(pool).await?))
    }
}

/// `appeal_sums` rows of `filter`'s region and dimension in the split's middle.
fn kept_conditions(filter: &AppealFilter, split: MonthSplit) -> Conditions {
    let mut c = Conditions::new();
    c.push(
        "received_month >= ?1 AND received_month < ?2",
        vec![Param::Date(split.middle.0), Param::Date(split.middle.1)],
    );
    if !filter.region_prefix.is_empty() {
        c.push_prefix("region_code", &filter.region_prefix);
    }
    if let Some(dimension) = filter.dimension {
        c.push("dimension = ?1", vec![Param::Text(dimension.key().to_string())]);
    }
    c
}

impl Store {
    /// The counts as of `to` of the appeals matching `c`, grouped, read row by row.
    async fn counted_rows(
        &self,
        mut c: Conditions,
        grouping: AppealGrouping,
        to: NaiveDate,
    ) -> Result<Vec<(String, AppealCounts)>> {
        // The counts' own parameter: the period's last day.
        let n = c.params.len() + 1;
        c.params.push(Param::Date(to));
        let count =
            |condition: &str| format!("CAST(COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0) AS BIGINT)");
        let group = grouping.expression(CountedTable::Appeals).unwrap_or_default();
        let sql = format!(
            "SELECT {group} AS grouped, CAST(COUNT(*) AS BIGINT) AS received, {} AS answered, {} AS on_time, \
             {} AS overdue, {} AS resolved, {} AS rated, {} AS satisfied FROM appeals {} GROUP BY {group}",
            count(&format!("answered_on <= ${n}")),
            count(&format!("answered_on <= due_on AND answered_on <= ${n}")),
            count(&format!("due_on < ${n} AND (answered_on IS NULL OR answered_on > due_on)")),
            count(&format!("closed_on <= ${n}")),
            count(&format!("closed_on <= ${n} AND rating <> ''")),
            count(&format!("closed_on <= ${n} AND rating IN ('satisfied', 'fairly_satisfied')")),
            c.where_sql()
        );
        let rows: Vec<CountsRow> =
            on_pool!(self, |pool| bind_params!(sqlx::query_as(&sql), &c.params).fetch_all(pool).await?);
        Ok(rows.into_iter().map(CountsRow::into_group).collect())
    }
}

impl Store {
    /// Records a step of an appeal's course and the state it leaves, in one transaction
    /// with its audit entry; `None` (nothing written) when the appeal changed since
    /// `before` was read (another user's step came first).
    pub async fn record_appeal_step(
        &self,
        before: &Appeal,
        after: &FlowState,
        step: (ActionKind, NaiveDate, &str),
        actor: &Actor,
    ) -> Result<Option<i64>> {
        let (action, done_on, detail) = step;
        let now = Utc::now();
        let step_id = audited!(self, actor, |tx, audit| {
            let b = before.flow_state();
            // The row as it was read: a concurrent step changes one of these.
            let updated = sqlx::query(
                "UPDATE appeals SET department = $2, assigned_on = $3, contested = $4, clock_from = $5, \
                 paused_days = $6, extension_days = $7, paused_since = $8, pending_extension = $9, due_on = $10, \
                 due_by_weekends_only = $11, answered_on = $12, rating = $13, closed_on = $14, reopened = $15, \
                 last_step_on = $16, updated_at = $17 \
                 WHERE id = $1 AND department = $18 AND due_on = $19 AND answered_on IS NOT DISTINCT FROM $20 \
                 AND closed_on IS NOT DISTINCT FROM $21 AND paused_since IS NOT DISTINCT FROM $22 \
                 AND pending_extension IS NOT DISTINCT FROM $23 AND contested = $24 AND rating = $25",
            )
            .bind(before.id)
            .bind(&after.department)
            .bind(after.assigned_on)
            .bind(after.contested)
            .bind(after.clock_from)
            .bind(i64::from(after.paused_days))
            .bind(i64::from(after.extension_days))
            .bind(after.paused_since)
            .bind(after.pending_extension.map(i64::from))
            .bind(after.due_on)
            .bind(after.due_by_weekends_only)
            .bind(after.answered_on)
            .bind(after.rating.map_or("", Rating::key))
            .bind(after.closed_on)
            .bind(after.reopened)
            .bind(after.last_step_on)
            .bind(now)
            .bind(&b.department)
            .bind(b.due_on)
            .bind(b.answered_on)
            .bind(b.closed_on)
            .bind(b.paused_since)
            .bind(b.pending_extension.map(i64::from))
            .bind(b.contested)
            .bind(b.rating.map_or("", Rating::key))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                None
            } else {
                let step_id: i64 = sqlx::query_scalar(
                    "INSERT INTO appeal_steps (appeal_id, action, done_on, detail, recorded_by, recorded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                )
                .bind(before.id)
                .bind(action.key())
                .bind(done_on)
                .bind(detail)
                .bind(&actor.name)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                audit.push(NewAuditEntry::new(
                    AuditAction::Create,
                    AuditEntity::AppealStep,
                    step_id.to_string(),
                    None,
                    Some(json!({
                        "code": before.data.code, "action": action.key(), "done_on": done_on, "detail": detail,
                        "department": after.department, "due_on": after.due_on, "answered_on": after.answered_on,
                        "closed_on": after.closed_on, "rating": after.rating.map_or("", Rating::key),
                        "paused_since": after.paused_since, "pending_extension": after.pending_extension,
                        "extension_days": after.extension_days,
                    })),
                ));
                Some(step_id)
            }
        });
        Ok(step_id)
    }

    /// The codes in use that start with `prefix` (a region's series of a year).
    pub async fn appeal_codes_with_prefix(&self, prefix: &str) -> Result<Vec<String>> {
        let pattern = crate::sql::like_prefix(prefix);
        Ok(on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT code FROM appeals WHERE code LIKE $1 ESCAPE '\\' ORDER BY code"
        )
        .bind(&pattern)
        .fetch_all(pool)
        .await?))
    }

    /// The appeals still awaiting their answer from the enterprise with this credit code
    /// (when given) or this name: what a new appeal of the same enterprise may repeat.
    pub async fn open_appeals_of_enterprise(&self, credit_code: &str, name: &str) -> Result<Vec<Appeal>> {
        let sql = format!(
            "SELECT {APPEAL_COLUMNS} FROM appeals WHERE answered_on IS NULL AND closed_on IS NULL \
             AND ((credit_code <> '' AND credit_code = $1) OR (enterprise <> '' AND enterprise = $2)) \
             ORDER BY received_on DESC, code LIMIT 20"
        );
        Ok(on_pool!(self, |pool| sqlx::query_as(&sql)
            .bind(credit_code.trim())
            .bind(name.trim())
            .fetch_all(pool)
            .await?))
    }

    /// The recorded steps of an appeal, in order.
    pub async fn appeal_steps(&self, appeal_id: i64) -> Result<Vec<AppealStepRecord>> {
        Ok(on_pool!(self, |pool| sqlx::query_as(
            "SELECT id, appeal_id, action, done_on, detail, recorded_by, recorded_at FROM appeal_steps \
             WHERE appeal_id = $1 ORDER BY id"
        )
        .bind(appeal_id)
        .fetch_all(pool)
        .await?))
    }
}
