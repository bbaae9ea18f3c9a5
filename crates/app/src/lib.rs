//! Application services shared by the web handlers and the command line, so both
//! apply the same rules: accounts and sign-in, reference data, demo data, and one
//! module per area (`projects`, `enterprises`, `chains`, `plans`, `activities`,
//! `appeals`, `reference`) with the use cases the pages and the API call: scope-checked reads
//! and writes.

pub mod accounts;
pub mod achievements;
pub mod activities;
pub mod activity_plans;
pub mod appeals;
pub mod attachments;
pub mod attribution;
pub mod audit;
pub mod backup;
pub mod briefing;
pub mod calendar;
pub mod chains;
pub mod chambers;
pub mod dashboard;
pub mod demo;
pub mod documents;
pub mod enterprises;
pub mod evaluation;
pub mod exchange;
pub mod groups;
pub mod inbox;
pub mod instructions;
pub mod leads;
pub mod notify;
pub mod parcels;
pub mod plans;
pub mod portal;
pub mod projects;
pub mod reference;
pub mod reference_data;
pub mod reports;
pub mod research_reports;
pub mod rounds;
pub mod scope;
pub mod search;
pub mod stats;
pub mod travel;
pub mod visits;
pub mod work_plans;
pub mod workbench;

use std::sync::Arc;
use zhaoshang_store::{Store, StoreError};

/// The application: the store with the platform services that live beside it (the
/// search index, the official calendar, the robot notifications). The web layer holds one and reaches every
/// area through it (`app.projects()`, `app.plans()`, …); the areas reach the store.
#[derive(Clone)]
pub struct App {
    store: Store,
    /// Built from the database at start (`SearchIndex::open`), then kept in step after
    /// every import or form saved as one.
    search: search::SearchIndex,
    /// The official working-day calendar, read from the database and kept a minute.
    calendar: Arc<calendar::CalendarCache>,
    /// Queues messages for the group robot; off unless `with_notifier` gave it a webhook.
    notifier: notify::Notifier,
    /// Held while the claimed-twice pairs of changed investors are recomputed, so that
    /// concurrent pages do the work once.
    claims_refresh: Arc<tokio::sync::Mutex<()>>,
}

impl App {
    pub fn new(store: Store, search: search::SearchIndex) -> App {
        App {
            store,
            search,
            calendar: Arc::default(),
            notifier: notify::Notifier::default(),
            claims_refresh: Arc::default(),
        }
    }

    /// The application sending its notifications through `notifier`.
    pub fn with_notifier(self, notifier: notify::Notifier) -> App {
        App { notifier, ..self }
    }

    /// The store, for the command line and tests; the web layer goes through the areas.
    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn search_index(&self) -> &search::SearchIndex {
        &self.search
    }

    pub fn calendar_cache(&self) -> &calendar::CalendarCache {
        &self.calendar
    }

    pub fn notifier(&self) -> &notify::Notifier {
        &self.notifier
    }

    /// Marks the search index as matching the database as it is now, so that the next
    /// start loads it instead of rebuilding it (at a clean stop, for an index kept in a
    /// folder).
    pub async fn seal_search_index(&self) -> AppResult<()> {
        self.search.seal(&self.store).await
    }

    /// Closes the database (at a clean stop).
    pub async fn close(&self) {
        self.store.close().await
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input that breaks a rule; the message is shown to the user as it is.
    #[error("{0}")]
    Invalid(String),
    #[error("用户名或密码错误")]
    BadCredentials,
    /// Too many failed sign-ins for one user name from one address within a minute.
    #[error("登录失败次数过多，请一分钟后再试")]
    TooManyAttempts,
    /// Too many requests of one kind from one address within a window (the portal's
    /// enquiries); the message says when to come back.
    #[error("{0}")]
    Throttled(String),
    /// Work that is bounded (password hashing) has more waiting than it takes.
    #[error("{0}")]
    Busy(String),
    /// Outside the user's scope (403).
    #[error("无权访问该数据")]
    Forbidden,
    /// The record asked for does not exist; `what` names it ("该项目").
    #[error("未找到{0}")]
    NotFound(String),
    /// A malformed request (a filter, a parameter): 400 with the message.
    #[error("{0}")]
    BadRequest(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("内部错误：{0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

/// Opens and migrates the database, loads reference data on first start, and with
/// `demo` fills an empty database with demo accounts and data.
pub async fn open(database_url: &str, demo: bool) -> AppResult<Store> {
    let store = Store::open(database_url).await?;
    reference_data::ensure_loaded(&store).await?;
    calendar::ensure_loaded(&store).await?;
    if demo {
        demo::ensure_demo(&store).await?;
    }
    Ok(store)
}

impl AppError {
    pub fn not_found(what: &str) -> AppError {
        AppError::NotFound(what.to_string())
    }

    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError::BadRequest(message.into())
    }

    pub fn internal(detail: impl std::fmt::Display) -> AppError {
        AppError::Internal(detail.to_string())
    }
}
