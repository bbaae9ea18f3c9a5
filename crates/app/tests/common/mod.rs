//! Shared set-up for the app tests: a fresh database with the reference data loaded, and
//! a macro that runs a test once on SQLite and once on PostgreSQL.

use zhaoshang_store::Store;
use zhaoshang_testkit::{fresh_database_url, Backend};

pub struct Fixture {
    pub store: Store,
    _dir: tempfile::TempDir,
}

pub async fn fixture(backend: Backend) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(backend, dir.path()).await;
    let store = zhaoshang_app::open(&url, false).await.unwrap();
    Fixture { store, _dir: dir }
}

/// `on_both_backends!(a, b)` makes `a::sqlite`, `a::postgres`, … each calling `a(&store)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(mod $name {
            #[tokio::test]
            async fn sqlite() {
                let f = $crate::common::fixture(zhaoshang_testkit::Backend::Sqlite).await;
                super::$name(&f.store).await
            }
            #[tokio::test]
            async fn postgres() {
                let f = $crate::common::fixture(zhaoshang_testkit::Backend::Postgres).await;
                super::$name(&f.store).await
            }
        })*
    };
}
