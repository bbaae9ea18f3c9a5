//! Data access for Zhaoshang on SQLite and PostgreSQL.
//!
//! One `Store` serves both backends: each query is written once with `$n`
//! placeholders (which SQLite accepts too) and run on whichever pool the URL chose,
//! through the `on_pool!` macro; `sql` holds what the queries build their text from
//! (placeholders, VALUES rows, chunk sizes, region ranges, list conditions). Types
//! are those both drivers decode alike: integer yuan as BIGINT, dates as
//! `NaiveDate`, instants as `DateTime<Utc>`.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// Runs `$body` with `$pool` bound to the active backend's pool; the body is
/// compiled once per backend, so the same SQL text serves both.
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {{
        $store.pool_uses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match &$store.db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    }};
}

/// Runs `$write` in one transaction with `$tx` bound to it; `$audit` is a
/// `Vec<NewAuditEntry>` that the write pushes what it changed onto. Those entries are
/// appended to the audit log as `$actor`'s in the same transaction, many a statement,
/// before it commits: a failed write leaves no entry, a failed entry undoes the write.
/// Evaluates to `$write`'s value. Given `$begin`, the transaction is the one it opens
/// (on a connection the caller holds) instead of one of the pool's.
macro_rules! audited {
    ($store:expr, $actor:expr, |$tx:ident, $audit:ident| $write:expr) => {
        on_pool!($store, |pool| audited!($store, $actor, pool.begin_with($store.begin_write()), |$tx, $audit| $write))
    };
    ($store:expr, $actor:expr, $begin:expr, |$tx:ident, $audit:ident| $write:expr) => {{
        let actor: &$crate::audit::Actor = $actor;
        let mut $tx = $begin.await?;
        let mut $audit: Vec<$crate::audit::NewAuditEntry> = Vec::new();
        let written = $write;
        let at = chrono::Utc::now();
        for chunk in $audit.chunks($crate::sql::rows_per_statement(8)) {
            let sql = format!(
                "INSERT INTO audit_log (at, actor_id, actor_name, action, entity, entity_id, before_json, after_json) \
                 VALUES {}",
                $crate::sql::value_rows($store.backend(), chunk.len(), 8)
            );
            let mut query = sqlx::query(&sql);
            for entry in chunk {
                query = query
                    .bind(at)
                    .bind(actor.id)
                    .bind(&actor.name)
                    .bind(entry.action.key())
                    .bind(entry.entity.key())
                    .bind(&entry.entity_id)
                    .bind(&entry.before)
                    .bind(&entry.after);
            }
            query.execute(&mut *$tx).await?;
        }
        $tx.commit().await?;
        written
    }};
}

/// `audited!` for an import's batch: with `$bulk` on SQLite, the statement journals of
/// its many-row statements are kept in memory instead of a temporary file, and up to
/// 256 MiB of the transaction's changed pages in the page cache instead of spilled to
/// the WAL before commit (each saved a second of 100,000 projects' import, measured);
/// the connection's defaults are put back afterwards.
macro_rules! bulk_audited {
    ($store:expr, $actor:expr, $bulk:expr, |$tx:ident, $audit:ident| $write:expr) => {
        on_pool!($store, |pool| {
            let tune = $bulk && $store.backend() == $crate::Backend::Sqlite;
            let mut conn = pool.acquire().await?;
            if tune {
                sqlx::query("PRAGMA temp_store = MEMORY").execute(&mut *conn).await?;
                sqlx::query("PRAGMA cache_spill = 65536").execute(&mut *conn).await?;
            }
            let written = async {
                Ok::<_, $crate::StoreError>(audited!(
                    $store,
                    $actor,
                    sqlx::Connection::begin_with(&mut *conn, $store.begin_write()),
                    |$tx, $audit| $write
                ))
            }
            .await;
            if tune {
                let reset = sqlx::query("PRAGMA temp_store = DEFAULT")
                    .execute(&mut *conn)
                    .await
                    // `= 1` is the default threshold (spill at the cache size) and turns
                    // spilling on; `= ON` would keep the threshold of 65536 pages.
                    .and(sqlx::query("PRAGMA cache_spill = 1").execute(&mut *conn).await);
                if reset.is_err() {
                    // Not back in the pool with other settings.
                    conn.detach();
                }
            }
            written?
        })
    };
}

/// Binds a `ProjectData` in `PROJECT_DATA_COLUMNS` order.
macro_rules! bind_project {
    ($query:expr, $data:expr) => {{
        let d: &$crate::projects::ProjectData = $data;
        $query
            .bind(&d.code)
            .bind(&d.name)
            .bind(&d.region_code)
            .bind(&d.park)
            .bind(&d.chain)
            .bind(&d.chain_node)
            .bind(&d.investor)
            .bind(&d.investor_credit_code)
            .bind(&d.investor_origin)
            .bind(&d.investor_type)
            .bind(&d.industry)
            .bind(d.total_investment)
            .bind(&d.stage)
            .bind(d.signed_on)
            .bind(d.started_on)
            .bind(d.producing_on)
            .bind(d.lead_on)
            .bind(&d.dropped_reason)
            .bind(&d.source)
            .bind(&d.source_org)
            .bind(&d.department)
            .bind(&d.leader)
            .bind(&d.owner)
            .bind(&d.signing_activity)
            .bind(&d.description)
            .bind(&d.excess_funds)
    }};
}

/// Ends a bulk write of new projects that paused SQLite's sum triggers (`PAUSE_SUMS`,
/// with `$last_id` the largest id before it): resumes them and adds the new projects'
/// kept sums grouped (`stat_sums`, `stat_pairs`, `report_sums`, `report_pairs`).
macro_rules! add_new_project_sums {
    ($tx:expr, $backend:expr, $last_id:expr, $new:expr) => {{
        let new: &[&$crate::projects::ProjectData] = $new;
        sqlx::query($crate::projects::RESUME_SUMS).execute(&mut *$tx).await?;
        for statement in $crate::projects::ADD_NEW_REPORT_PROJECT_SUMS {
            sqlx::query(statement).bind($last_id).execute(&mut *$tx).await?;
        }
        let sums = $crate::stats::project_sums(new);
        for chunk in sums.chunks($crate::sql::rows_per_statement(9)) {
            let sql = $crate::stats::add_sums_sql($backend, chunk.len());
            let mut query = sqlx::query(&sql);
            for &((measure, by_chain, chain, grain, bucket, region_code), records, amount) in chunk {
                query = query
                    .bind(measure)
                    .bind(by_chain)
                    .bind(chain)
                    .bind(grain)
                    .bind(bucket)
                    .bind(region_code)
                    .bind("")
                    .bind(records)
                    .bind(amount);
            }
            query.execute(&mut *$tx).await?;
        }
        let pairs = $crate::stats::project_pairs(new);
        for chunk in pairs.chunks($crate::sql::rows_per_statement(7)) {
            let sql = $crate::stats::add_pairs_sql($backend, chunk.len());
            let mut query = sqlx::query(&sql);
            for &((measure, by_chain, chain, signed_month, event_month, region_code), records) in chunk {
                query = query
                    .bind(measure)
                    .bind(by_chain)
                    .bind(chain)
                    .bind(signed_month)
                    .bind(event_month)
                    .bind(region_code)
                    .bind(records);
            }
            query.execute(&mut *$tx).await?;
        }
    }};
}

pub mod achievements;
pub mod activities;
pub mod activity_plans;
pub mod appeals;
pub mod attachments;
pub mod audit;
pub mod backup;
pub mod bulk;
pub mod calendar;
pub mod chains;
pub mod chambers;
pub mod duplicates;
pub mod enterprises;
pub mod evaluation;
pub mod groups;
pub mod import_mappings;
pub mod instructions;
pub mod leads;
pub mod listing;
pub mod lookup;
pub mod parcels;
pub mod plans;
pub mod portal;
pub mod projects;
pub mod reference;
pub mod report_cache;
pub mod reports;
pub mod rounds;
pub mod sessions;
pub mod settings;
pub mod sql;
pub mod statistical_report;
pub mod stats;
pub mod travel;
pub mod users;
pub mod visits;
pub mod weights;
pub mod work_plans;

pub use audit::{Actor, AuditAction, AuditEntity, AuditEntry, AuditFilter, ChangeScope, NewAuditEntry};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库地址“{0}”无法识别：应为 sqlite://文件路径 或 postgres://…")]
    UnknownScheme(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    #[error("未找到{0}")]
    NotFound(String),
    #[error("数据库错误：{0}")]
    Database(#[from] sqlx::Error),
    #[error("数据库迁移失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
    caches: std::sync::Arc<report_cache::Caches>,
    /// How many times the pool was reached for, so a test can show that a page's
    /// queries do not grow with the data.
    pool_uses: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Told of the rows a long write has written (`Store::reporting_writes`).
    written: WriteProgress,
}

/// Told how many rows each statement of a long write (an import's) wrote, so that a
/// progress bar can follow the one transaction.
#[derive(Clone, Default)]
pub struct WriteProgress(Option<std::sync::Arc<dyn Fn(usize) + Send + Sync>>);

impl WriteProgress {
    pub(crate) fn add(&self, rows: usize) {
        if let Some(report) = &self.0 {
            report(rows);
        }
    }
}

impl std::fmt::Debug for WriteProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "WriteProgress(reported)" } else { "WriteProgress(none)" })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Store {
    /// This store, telling `report` how many rows each statement of an import's write
    /// wrote (projects and funding records).
    pub fn reporting_writes(&self, report: impl Fn(usize) + Send + Sync + 'static) -> Store {
        Store { written: WriteProgress(Some(std::sync::Arc::new(report))), ..self.clone() }
    }

    /// Opens (creating an SQLite file if needed) and migrates the database at `url`.
    pub async fn open(url: &str) -> Result<Store> {
        let store = Store::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub async fn connect(url: &str) -> Result<Store> {
        let db = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                // Stats read pre-aggregated sums and lists seek an index, so a modest cache
                // per connection serves them; pages beyond it come from the kernel's page
                // cache. No memory map: mapped pages of a multi-GiB file would count as the
                // server's own memory (16 MiB × 8 connections at most).
                .pragma("cache_size", "-16384")
                .pragma("mmap_size", "0");
            Db::Sqlite(SqlitePoolOptions::new().max_connections(8).connect_with(options).await?)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?;
            Db::Postgres(PgPoolOptions::new().max_connections(16).connect_with(options).await?)
        } else {
            return Err(StoreError::UnknownScheme(url.to_string()));
        };
        Ok(Store { db, caches: Default::default(), pool_uses: Default::default(), written: Default::default() })
    }

    /// How many times this store (and its clones) reached for the pool so far.
    pub fn pool_uses(&self) -> u64 {
        self.pool_uses.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub async fn migrate(&self) -> Result<()> {
        match &self.db {
            Db::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// The statement that opens a write transaction. On SQLite `BEGIN IMMEDIATE`: the
    /// transaction holds the write lock from its start and so waits its turn
    /// (`busy_timeout`); a deferred one that reads before it writes fails with "database
    /// is locked" when another writer committed since its first read (found by the soak:
    /// imports at the same time). PostgreSQL's row locks need nothing more than BEGIN.
    pub(crate) fn begin_write(&self) -> &'static str {
        match self.backend() {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    pub async fn close(&self) {
        on_pool!(self, |pool| pool.close().await)
    }

    /// Writes SQLite's write-ahead log into the database file and empties it, so the file
    /// alone holds every commit (a copy of it misses nothing). SQLite checkpoints on its own
    /// when the last connection closes, but connections closing together may each leave
    /// that to another. PostgreSQL has nothing to do.
    pub async fn checkpoint(&self) -> Result<()> {
        if let Db::Sqlite(pool) = &self.db {
            let (busy, _, _): (i64, i64, i64) =
                sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(pool).await?;
            if busy != 0 {
                return Err(StoreError::Conflict("数据库正忙，未能写入检查点".into()));
            }
        }
        Ok(())
    }

    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        let value: Option<String> = on_pool!(self, |pool| sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await?);
        Ok(value)
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        on_pool!(self, |pool| sqlx::query(
            "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
        )
        .bind(key)
        .bind(value)
        .execute(pool)
        .await
        .map(|_| ())?);
        Ok(())
    }
}

/// Maps a unique-key violation to a Chinese conflict message; other errors pass through.
pub(crate) fn conflict_as(message: impl Into<String>) -> impl FnOnce(sqlx::Error) -> StoreError {
    let message = message.into();
    move |error| match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(message),
        _ => StoreError::Database(error),
    }
}

impl Store {
    /// Runs one statement as it is; only for tests that check what the schema refuses.
    #[doc(hidden)]
    pub async fn raw_execute_for_tests(&self, sql: &str) -> Result<()> {
        on_pool!(self, |pool| sqlx::query(sql).execute(pool).await.map(|_| ())?);
        Ok(())
    }
}
