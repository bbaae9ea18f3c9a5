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

/// A database holding the demo data (`zhaoshang_app::demo`), its SQLite file in `dir`.
/// The demo is written once per process and backend (tens of seconds on PostgreSQL)
/// and each caller gets a copy of its own: a file copy, or a database made from it as
/// a template.
pub async fn demo_database_url(backend: Backend, dir: &std::path::Path) -> String {
    static SQLITE: tokio::sync::OnceCell<std::path::PathBuf> = tokio::sync::OnceCell::const_new();
    static POSTGRES: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    async fn fill(url: &str) {
        let store = zhaoshang_app::open(url, true).await.expect("the demo data loads");
        // The SQLite template is copied as one file: every commit must be in it.
        store.checkpoint().await.expect("the demo's log is written into its file");
        store.close().await;
    }
    match backend {
        Backend::Sqlite => {
            let template = SQLITE
                .get_or_init(|| async {
                    let folder = tempfile::tempdir().expect("a temporary folder").keep();
                    remove_at_exit(folder.clone());
                    let path = folder.join("demo.db");
                    fill(&format!("sqlite://{}", path.display())).await;
                    path
                })
                .await;
            let copy = dir.join(format!("{}.db", unique_name("demo")));
            std::fs::copy(template, &copy).expect("the demo database copies");
            format!("sqlite://{}", copy.display())
        }
        Backend::Postgres => {
            let template = POSTGRES
                .get_or_init(|| async {
                    let url = postgres::fresh_database().await;
                    fill(&url).await;
                    postgres::database_name(&url).to_string()
                })
                .await;
            postgres::copy_database(template).await
        }
    }
}

/// Removes `folder` (the SQLite demo template's) as the process exits.
fn remove_at_exit(folder: std::path::PathBuf) {
    static FOLDER: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    extern "C" fn remove() {
        if let Some(folder) = FOLDER.get() {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
    if FOLDER.set(folder).is_ok() {
        unsafe {
            libc::atexit(remove);
        }
    }
}

/// Finds a free loopback port (bound and released at once).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("no free port")
}
