//! Test support shared by every crate's tests: a database per test on either
//! backend, a temporary PostgreSQL server when none is given, headless Chromium.

pub mod alloc;
pub mod browser;
pub mod fixtures;
pub mod hostile;
pub mod postgres;
pub mod workbooks;

use std::sync::atomic::{AtomicU64, Ordering};

/// A unique name per call within this process (databases, folders).
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("{prefix}_{}_{}_{nanos}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// The backends every storage test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty database of the given backend; the SQLite file lives in `dir`.
pub async fn fresh_database_url(backend: Backend, dir: &std::path::Path) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}", dir.join(format!("{}.db", unique_name("test"))).display()),
        Backend::Postgres => postgres::fresh_database().await,
    }
}

/// Finds a free loopback port (bound and released at once).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("no free port")
}
