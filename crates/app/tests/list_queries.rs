//! A project list page reaches the database a fixed number of times whatever the size of
//! the user's scope, and still flags the projects on it that another city also claims.

use zhaoshang_testkit::on_both_backends;

use zhaoshang_app::exchange::{import_bytes, ImportKind};
use zhaoshang_app::projects::ProjectQuery;
use zhaoshang_app::search::SearchIndex;
use zhaoshang_app::App;
use zhaoshang_core::access::{Principal, Role};
use zhaoshang_core::credit_code::with_check_char;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::{Actor, Store};

on_both_backends!(app: a_list_page_costs_the_same_for_a_larger_scope);

/// `count` projects from `first` on in 白银 (620402), each with an investor that also
/// has a project of the same name in 天水 (620502): every 白银 project looks claimed twice.
fn claimed_twice_sheet(first: usize, count: usize) -> String {
    let mut csv = String::from("项目编号,项目名称,所属地区,投资方,投资方信用代码\n");
    for n in first..first + count {
        let investor = with_check_char(&format!("91620000MA{n:07}")).unwrap();
        let name = format!("年产{n}吨铝板坯项目");
        csv.push_str(&format!("BY-{n:05},{name},620402,投资方{n},{investor}\n"));
        csv.push_str(&format!("TS-{n:05},{name},620502,投资方{n},{investor}\n"));
    }
    csv
}

async fn import(store: &Store, csv: &str) {
    let report = import_bytes(store, ImportKind::Projects, "t.csv", csv.as_bytes(), false, &Actor::system("测试"))
        .await
        .unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

async fn a_list_page_costs_the_same_for_a_larger_scope(store: &Store) {
    let app = App::new(store.clone(), SearchIndex::open(store).await.unwrap());
    let baiyin = Principal {
        user_id: 1,
        username: "baiyin".into(),
        role: Role::Region,
        region: Some(RegionCode::parse("620400").unwrap()),
    };
    let query = ProjectQuery { sort: Some("code".into()), ..Default::default() };

    // Once to fill what is read once per process (the region directory).
    app.project_page(&baiyin, &query, 20).await.unwrap();
    import(store, &claimed_twice_sheet(0, 30)).await;
    // Measured on the second look after each import, with the list's counts and places
    // remembered alike.
    app.project_page(&baiyin, &query, 20).await.unwrap();
    let before = store.pool_uses();
    let small = app.project_page(&baiyin, &query, 20).await.unwrap();
    let small_cost = store.pool_uses() - before;
    assert_eq!(small.totals.count, 30);
    assert_eq!(small.projects.len(), 20);
    assert!(small.projects.iter().all(|project| project.data.region_code == "620402"));
    assert_eq!(small.flagged.len(), 20, "every 白银 project on the page has a twin in 天水");

    import(store, &claimed_twice_sheet(30, 600)).await;
    app.project_page(&baiyin, &query, 20).await.unwrap();
    let before = store.pool_uses();
    let large = app.project_page(&baiyin, &query, 20).await.unwrap();
    let large_cost = store.pool_uses() - before;
    assert_eq!(large.totals.count, 630);
    assert_eq!(large.flagged.len(), 20);
    assert_eq!(large_cost, small_cost, "the page's queries do not grow with the scope (630 projects against 30)");
    assert!(large_cost <= 10, "a list page takes {large_cost} trips to the database");

    // A twin in the same city is not claimed twice.
    import(store, "项目编号,项目名称,所属地区,投资方信用代码\nTS-00000,文旅小镇项目,620502,\n").await;
    let page = app.project_page(&baiyin, &query, 20).await.unwrap();
    let first = page.projects.iter().find(|project| project.data.code == "BY-00000").unwrap();
    assert!(!page.flagged.contains(&first.id), "its 天水 twin now has another investor and another name");
    assert_eq!(page.flagged.len(), 19);
}
