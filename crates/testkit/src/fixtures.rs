//! The databases tests start from, and `on_both_backends!`, which runs a test once on
//! SQLite and once on PostgreSQL.

use crate::{fresh_database_url, Backend};
use zhaoshang_core::regions::parse_divisions;
use zhaoshang_store::Store;

/// A store on a fresh database; the SQLite file's folder lives as long as this.
pub struct Fixture {
    pub store: Store,
    _dir: tempfile::TempDir,
}

/// A migrated database with a few Gansu and Shanghai divisions (the storage tests).
pub async fn store_fixture(backend: Backend) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(backend, dir.path()).await;
    let store = Store::open(&url).await.unwrap();
    let divisions = parse_divisions(
        "code\tname\tlevel\tparent\n620000\t甘肃省\t1\t\n620400\t白银市\t2\t620000\n620402\t白银区\t3\t620400\n620500\t天水市\t2\t620000\n\
         310000\t上海市\t1\t\n310115\t浦东新区\t3\t310000\n",
    )
    .unwrap();
    store.load_regions(&divisions).await.unwrap();
    Fixture { store, _dir: dir }
}

/// A database opened as the application opens it: migrated, with the shipped reference
/// data and calendar (the application tests).
pub async fn app_fixture(backend: Backend) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(backend, dir.path()).await;
    let store = zhaoshang_app::open(&url, false).await.unwrap();
    Fixture { store, _dir: dir }
}

/// Declares, for each test function `a`, the tests `a::sqlite` and `a::postgres`:
/// - `on_both_backends!(a, b)` calls `a(backend)` (tests that build their own application);
/// - `on_both_backends!(store: a, b)` calls `a(store)` with `store_fixture`'s store;
/// - `on_both_backends!(app: a, b)` calls `a(&store)` with `app_fixture`'s store.
#[macro_export]
macro_rules! on_both_backends {
    (store: $($name:ident),* $(,)?) => {
        $(mod $name {
            #[tokio::test]
            async fn sqlite() { super::$name($crate::fixtures::store_fixture($crate::Backend::Sqlite).await.store).await }
            #[tokio::test]
            async fn postgres() { super::$name($crate::fixtures::store_fixture($crate::Backend::Postgres).await.store).await }
        })*
    };
    (app: $($name:ident),* $(,)?) => {
        $(mod $name {
            #[tokio::test]
            async fn sqlite() {
                let f = $crate::fixtures::app_fixture($crate::Backend::Sqlite).await;
                super::$name(&f.store).await
            }
            #[tokio::test]
            async fn postgres() {
                let f = $crate::fixtures::app_fixture($crate::Backend::Postgres).await;
                super::$name(&f.store).await
            }
        })*
    };
    ($($name:ident),* $(,)?) => {
        $(mod $name {
            #[tokio::test]
            async fn sqlite() { super::$name($crate::Backend::Sqlite).await }
            #[tokio::test]
            async fn postgres() { super::$name($crate::Backend::Postgres).await }
        })*
    };
}
