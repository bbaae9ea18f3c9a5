//! Figures kept in memory while the data behind them is unchanged: investment
//! reports, list totals and the places of rows in sorted lists; and the S&T pool's
//! rank intervals by year.
//!
//! Every write to projects, funding records or targets moves the `stats` counter of
//! `data_versions` on (triggers of migration 0008, in the writing transaction), and
//! every write to achievements, their reviews or review rounds the `pool` counter
//! (migration 0035). A
//! report is kept under the counter read *before* its figures were read: a write the
//! figures missed committed after that read, so it moved the counter, and the next
//! reader sees a new counter and computes afresh. A report can thus be newer than its
//! counter, never older.

use crate::listing::{ListTotals, Position};
use crate::{Result, Store};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use zhaoshang_core::achievements::RankInterval;
use zhaoshang_core::metrics::InvestmentReport;

/// Entries kept at most; past it a cache starts over (a province has a few hundred
/// regions, so this is many periods of every region and chain).
const CAPACITY: usize = 20_000;

/// What a report is of: a region's scope, optionally one chain, and a period.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReportKey {
    pub region: String,
    pub chain: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Values computed at one value of the `stats` counter.
#[derive(Debug)]
pub struct VersionedCache<K, V> {
    state: Mutex<CacheState<K, V>>,
}

#[derive(Debug)]
struct CacheState<K, V> {
    /// The counter the values were computed at (all the same: older ones are dropped).
    version: i64,
    values: HashMap<K, V>,
}

impl<K, V> Default for VersionedCache<K, V> {
    fn default() -> Self {
        VersionedCache { state: Mutex::new(CacheState { version: 0, values: HashMap::new() }) }
    }
}

impl<K: Eq + Hash, V: Clone> VersionedCache<K, V> {
    /// The value of `key` if it was computed at `version`.
    pub fn get(&self, key: &K, version: i64) -> Option<V> {
        self.read(key, version, V::clone)
    }

    /// Reads the value of `key` in place if it was computed at `version`.
    pub fn read<R>(&self, key: &K, version: i64, read: impl FnOnce(&V) -> R) -> Option<R> {
        let state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        (state.version == version).then(|| state.values.get(key).map(read)).flatten()
    }

    /// Keeps a value computed at `version`, unless the cache already holds a later
    /// counter's values; an earlier counter's are dropped.
    pub fn put(&self, key: K, version: i64, value: V) {
        self.change(key, version, |kept| *kept = Some(value));
    }

    /// Changes the value of `key` kept at `version` (`None` when there is none yet),
    /// under the same rule as `put`.
    pub fn change(&self, key: K, version: i64, change: impl FnOnce(&mut Option<V>)) {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if version < state.version {
            return;
        }
        if version > state.version || (state.values.len() >= CAPACITY && !state.values.contains_key(&key)) {
            state.values.clear();
            state.version = version;
        }
        let mut value = state.values.remove(&key);
        change(&mut value);
        if let Some(value) = value {
            state.values.insert(key, value);
        }
    }

    /// Drops every value.
    pub fn clear(&self) {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).values.clear();
    }
}

/// Investment reports by scope and period.
pub type ReportCache = VersionedCache<ReportKey, InvestmentReport>;

/// Count and sum of a filtered project list, by the filter (as JSON).
pub type TotalsCache = VersionedCache<String, ListTotals>;

/// Rows at known places of a filtered, sorted project list (by filter and sort as
/// JSON): the first and last row of each page served, by their place in the list.
pub(crate) type PositionCache = VersionedCache<String, BTreeMap<i64, Position>>;

/// Each reviewed achievement's rank interval (by code) under the bootstrap of a year's
/// reviews, by year, at the `pool` counter.
pub type IntervalCache = VersionedCache<i64, Arc<HashMap<String, RankInterval>>>;

impl Store {
    /// A counter of `data_versions`.
    async fn data_version(&self, name: &str) -> Result<i64> {
        let version: i64 =
            on_pool!(self, |pool| sqlx::query_scalar("SELECT version FROM data_versions WHERE name = $1")
                .bind(name)
                .fetch_one(pool)
                .await?);
        Ok(version)
    }

    /// The `stats` counter of `data_versions`.
    pub async fn stats_version(&self) -> Result<i64> {
        self.data_version("stats").await
    }

    /// The `pool` counter of `data_versions`: achievements, reviews and review rounds.
    pub async fn pool_version(&self) -> Result<i64> {
        self.data_version("pool").await
    }

    /// The rank intervals this store's process keeps.
    pub fn interval_cache(&self) -> &IntervalCache {
        &self.caches.intervals
    }

    /// The reports this store's process keeps.
    pub fn report_cache(&self) -> &ReportCache {
        &self.caches.reports
    }

    pub(crate) fn totals_cache(&self) -> &TotalsCache {
        &self.caches.list_totals
    }

    pub(crate) fn position_cache(&self) -> &PositionCache {
        &self.caches.list_positions
    }

    /// Forgets the places of rows in lists, as a restart would: for measuring a
    /// page's first visit.
    pub fn forget_list_positions(&self) {
        self.caches.list_positions.clear();
    }
}

/// The caches of one opened store, shared by its clones (one process's server or
/// command).
#[derive(Debug, Default)]
pub(crate) struct Caches {
    reports: ReportCache,
    list_totals: TotalsCache,
    list_positions: PositionCache,
    intervals: IntervalCache,
    pub(crate) regions: crate::reference::RegionDirectory,
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhaoshang_core::metrics::{InvestmentFigures, Period};
    use zhaoshang_core::money::Yuan;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    fn key(region: &str) -> ReportKey {
        ReportKey { region: region.to_string(), chain: None, from: day("2024-01-01"), to: day("2024-12-31") }
    }

    fn report(region: &str, signed: i64) -> InvestmentReport {
        let period = Period::new(day("2024-01-01"), day("2024-12-31")).expect("period");
        let figures = InvestmentFigures { signed_count: signed, ..InvestmentFigures::default() };
        InvestmentReport::assemble(region, period, &figures, &InvestmentFigures::default(), Yuan(0), None)
    }

    #[test]
    fn a_report_is_served_only_at_the_counter_it_was_computed_at() {
        let cache = ReportCache::default();
        cache.put(key("620000"), 3, report("620000", 5));
        assert_eq!(cache.get(&key("620000"), 3), Some(report("620000", 5)));
        assert_eq!(cache.get(&key("620000"), 4), None);
        assert_eq!(cache.get(&key("620100"), 3), None);
    }

    #[test]
    fn a_later_counter_drops_earlier_reports_and_an_earlier_one_is_not_kept() {
        let cache = ReportCache::default();
        cache.put(key("620000"), 3, report("620000", 5));
        cache.put(key("620100"), 4, report("620100", 1));
        assert_eq!(cache.get(&key("620000"), 3), None);
        assert_eq!(cache.get(&key("620000"), 4), None);
        // A reader that began before the write finishes late: its report is not kept.
        cache.put(key("620000"), 3, report("620000", 5));
        assert_eq!(cache.get(&key("620000"), 3), None);
        assert_eq!(cache.get(&key("620100"), 4), Some(report("620100", 1)));
    }
}
