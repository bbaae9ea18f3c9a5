//! Writers at the same time wait their turn: imports and form saves arriving together
//! all succeed (the soak found concurrent imports answered "database is locked" on
//! SQLite, where a transaction that reads before it writes could not take the lock).

use zhaoshang_app::exchange::{import_bytes, ImportKind};
use zhaoshang_store::listing::ProjectFilter;
use zhaoshang_store::{Actor, Store};
use zhaoshang_testkit::on_both_backends;

on_both_backends!(app: imports_at_the_same_time_all_land);

async fn imports_at_the_same_time_all_land(store: &Store) {
    let mut imports = tokio::task::JoinSet::new();
    for n in 0..12 {
        let store = store.clone();
        imports.spawn(async move {
            let csv = format!("项目编号,项目名称,所属地区\nCW-{n},并发导入项目{n},620402\n");
            import_bytes(&store, ImportKind::Projects, "p.csv", csv.as_bytes(), false, &Actor::system("测试")).await
        });
    }
    while let Some(report) = imports.join_next().await {
        let report = report.unwrap().expect("an import at the same time as others");
        assert!(report.is_ok(), "{:?}", report.problems);
    }
    let filter = ProjectFilter { keyword: Some("并发导入项目".into()), ..Default::default() };
    assert_eq!(store.project_totals(&filter).await.unwrap().count, 12);
}
