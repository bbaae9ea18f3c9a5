//! A project list page reaches the database a fixed number of times whatever the size of
//! the user's scope, and still flags the projects on it that another city also claims.

use zhaoshang_testkit::on_both_backends;

use std::collections::HashSet;
use zhaoshang_app::exchange::{import_bytes, ImportKind};
use zhaoshang_app::projects::ProjectQuery;
use zhaoshang_app::search::SearchIndex;
use zhaoshang_app::App;
use zhaoshang_core::access::{Principal, Role};
use zhaoshang_core::credit_code::with_check_char;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::{Actor, Store};

on_both_backends!(app: a_list_page_costs_the_same_for_a_larger_scope);
on_both_backends!(app: the_duplicates_list_pages_in_sql_and_follows_changes);

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

async fn the_duplicates_list_pages_in_sql_and_follows_changes(store: &Store) {
    let app = App::new(store.clone(), SearchIndex::open(store).await.unwrap());
    let admin = Principal { user_id: 1, username: "admin".into(), role: Role::Admin, region: None };
    let baiyin = Principal {
        user_id: 2,
        username: "baiyin".into(),
        role: Role::Region,
        region: Some(RegionCode::parse("620400").unwrap()),
    };
    import(store, &claimed_twice_sheet(0, 30)).await;

    // The province pages through the 30 pairs, each once.
    let first = app.claimed_twice(&admin, 1, 20).await.unwrap();
    let second = app.claimed_twice(&admin, 2, 20).await.unwrap();
    assert_eq!((first.total, first.pairs.len(), second.pairs.len()), (30, 20, 10));
    let keys: HashSet<(i64, i64)> =
        first.pairs.iter().chain(&second.pairs).map(|p| (p.own.id.min(p.other.id), p.own.id.max(p.other.id))).collect();
    assert_eq!(keys.len(), 30);
    assert!(first
        .pairs
        .iter()
        .all(|p| p.other_visible && p.own.data.investor_credit_code == p.other.data.investor_credit_code));

    // A city sees its own project of each pair first, and not the other city's.
    let city = app.claimed_twice(&baiyin, 1, 50).await.unwrap();
    assert_eq!(city.total, 30);
    assert!(city.pairs.iter().all(|p| p.own.data.region_code == "620402" && !p.other_visible));
    assert_eq!(city.names.get("620502").map(String::as_str), Some("秦州区"));

    // The page's queries do not grow with the list once the pairs are computed.
    let before = store.pool_uses();
    app.claimed_twice(&admin, 1, 20).await.unwrap();
    let small_cost = store.pool_uses() - before;
    import(store, &claimed_twice_sheet(30, 600)).await;
    let grown = app.claimed_twice(&admin, 1, 20).await.unwrap();
    assert_eq!(grown.total, 630, "the new investors' pairs are computed when the list is read");
    let before = store.pool_uses();
    app.claimed_twice(&admin, 1, 20).await.unwrap();
    assert_eq!(store.pool_uses() - before, small_cost, "630 pairs cost what 30 did");

    // A project renamed, or moved into the other project's city, leaves the list.
    import(store, "项目编号,项目名称,所属地区\nTS-00000,文旅小镇项目,620502\nTS-00001,年产1吨铝板坯项目,620403\n")
        .await;
    let after = app.claimed_twice(&admin, 1, 20).await.unwrap();
    assert_eq!(after.total, 628);
    let codes: HashSet<&str> = after.pairs.iter().map(|p| p.own.data.code.as_str()).collect();
    assert!(!codes.contains("BY-00000") && !codes.contains("BY-00001"), "{codes:?}");
}
