//! Shared set-up for the storage tests: a fresh database with a few Gansu and
//! Shanghai divisions, and a macro that runs a test once on SQLite and once on
//! PostgreSQL.

use zhaoshang_core::regions::parse_divisions;
use zhaoshang_store::Store;
use zhaoshang_testkit::{fresh_database_url, Backend};

pub struct Fixture {
    pub store: Store,
    _dir: tempfile::TempDir,
}

pub async fn fixture(backend: Backend) -> Fixture {
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

/// `on_both_backends!(a, b)` makes `a::sqlite`, `a::postgres`, … each calling `a(store)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(mod $name {
            #[tokio::test]
            async fn sqlite() { super::$name($crate::common::fixture(zhaoshang_testkit::Backend::Sqlite).await.store).await }
            #[tokio::test]
            async fn postgres() { super::$name($crate::common::fixture(zhaoshang_testkit::Backend::Postgres).await.store).await }
        })*
    };
}
