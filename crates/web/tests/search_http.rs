//! Global search over HTTP on the demo data: counts per kind equal to a scan of the
//! records in scope, pages that together hold every hit once, best first, the tabs and
//! pager of the results page, Chinese 400s in the layout, and the header's search box.
//!
//! The rule the scan applies (`core::search`): a query word written in Chinese
//! characters matches a record when each of its characters occurs in the record's name
//! or text. The text of an enterprise is its description, tags and stock code; of a
//! project its investor, description, chain, chain link and park.

mod common;

use axum::http::StatusCode;
use common::*;
use std::collections::{BTreeSet, HashSet};
use std::future::Future;
use zhaoshang_store::Store;
use zhaoshang_testkit::Backend;

on_both_backends!(
    totals_equal_a_scan_of_the_records_in_scope,
    walking_the_pages_yields_every_hit_once_best_first,
    the_results_page_shows_tabs_with_counts_and_a_pager,
    the_search_box_shows_for_every_role_that_may_search,
);

/// A record as the scan sees it.
struct Scanned {
    kind: &'static str,
    id: i64,
    region: String,
    /// Name and text.
    haystack: String,
}

/// Every row a `page_after` function reads, a thousand at a time in id order.
async fn read_all<T, Page: Future<Output = Vec<T>>>(
    page_after: impl Fn(i64) -> Page,
    id: impl Fn(&T) -> i64,
) -> Vec<T> {
    let mut rows = Vec::new();
    loop {
        let page = page_after(rows.last().map_or(0, &id)).await;
        if page.is_empty() {
            return rows;
        }
        rows.extend(page);
    }
}

async fn scan(store: &Store) -> Vec<Scanned> {
    let enterprises = read_all(|after| async move { store.enterprises_after(after, 1000).await.unwrap() }, |e| e.id);
    let projects = read_all(|after| async move { store.projects_after(after, 1000).await.unwrap() }, |p| p.id);
    let enterprises = enterprises.await.into_iter().map(|e| {
        let d = &e.data;
        let haystack = [&d.name, &d.description, &d.tags, &d.stock_code].map(String::as_str).join(" ");
        Scanned { kind: "enterprise", id: e.id, region: d.region_code.clone(), haystack }
    });
    let projects = projects.await.into_iter().map(|p| {
        let d = &p.data;
        let haystack =
            [&d.name, &d.investor, &d.description, &d.chain, &d.chain_node, &d.park].map(String::as_str).join(" ");
        Scanned { kind: "project", id: p.id, region: d.region_code.clone(), haystack }
    });
    enterprises.chain(projects).collect()
}

/// The (kind, id) of the records in `region_prefix` holding every character of `word`.
fn expected(records: &[Scanned], region_prefix: &str, word: &str) -> BTreeSet<(String, i64)> {
    records
        .iter()
        .filter(|r| r.region.starts_with(region_prefix) && word.chars().all(|c| r.haystack.contains(c)))
        .map(|r| (r.kind.to_string(), r.id))
        .collect()
}

fn key(item: &serde_json::Value) -> (String, i64) {
    (item["kind"].as_str().unwrap().to_string(), item["id"].as_i64().unwrap())
}

/// Every page of a search (`query` without `page`), in order.
async fn every_page(app: &TestApp, cookie: &str, query: &str) -> (serde_json::Value, Vec<serde_json::Value>) {
    let first = body_json(app.get(&format!("/api/v1/search?{query}&page=1"), Some(cookie)).await).await;
    let mut items: Vec<serde_json::Value> = first["items"].as_array().unwrap().clone();
    let mut page = 1;
    while items.len() < first["total"].as_u64().unwrap() as usize {
        page += 1;
        let next = body_json(app.get(&format!("/api/v1/search?{query}&page={page}"), Some(cookie)).await).await;
        assert_eq!((next["page"].as_u64(), &next["total"]), (Some(page), &first["total"]), "{query}");
        let more = next["items"].as_array().unwrap();
        assert!(!more.is_empty(), "{query}: page {page} is empty before the total is reached");
        items.extend(more.iter().cloned());
    }
    (first, items)
}

async fn totals_equal_a_scan_of_the_records_in_scope(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let records = scan(app.store()).await;
    // A two-character word, single characters, a word no record holds.
    let words = ["稀土", "稀", "铜", "磁", "龘"];
    for (user, prefix) in [("admin", ""), ("tianshui", "6205")] {
        let cookie = app.sign_in_demo(user).await;
        for word in words {
            let want = expected(&records, prefix, word);
            let count = |kind: &str| want.iter().filter(|(k, _)| k == kind).count() as u64;
            let found = body_json(app.get(&format!("/api/v1/search?q={word}"), Some(&cookie)).await).await;
            let totals = (&found["totals"]["enterprise"], &found["totals"]["project"], &found["total"]);
            let (enterprises, projects) = (count("enterprise"), count("project"));
            assert_eq!(
                (totals.0.as_u64(), totals.1.as_u64(), totals.2.as_u64()),
                (Some(enterprises), Some(projects), Some(enterprises + projects)),
                "{user} {word}"
            );
            let of_kind =
                body_json(app.get(&format!("/api/v1/search?q={word}&kind=project"), Some(&cookie)).await).await;
            assert_eq!(
                (of_kind["total"].as_u64(), &of_kind["totals"]),
                (Some(projects), &found["totals"]),
                "{user} {word}"
            );
            let (_, items) = every_page(&app, &cookie, &format!("q={word}&limit=100")).await;
            let keys: BTreeSet<(String, i64)> = items.iter().map(key).collect();
            assert_eq!(keys, want, "{user} {word}: the very records of the scan");
            assert!(items.iter().all(|item| item["region"].as_str().unwrap().starts_with(prefix)), "{user} {word}");
        }
        let single = expected(&records, prefix, "稀");
        assert!(!single.is_empty(), "{user}: a single character finds records");
        assert!(expected(&records, prefix, "龘").is_empty(), "the word with no hit has none");
    }
    // Tianshui's totals are a part of the province's, and 白银's records are not in them.
    let admin = app.sign_in_demo("admin").await;
    let tianshui = app.sign_in_demo("tianshui").await;
    let everywhere = body_json(app.get("/api/v1/search?q=有色&limit=100", Some(&admin)).await).await;
    let baiyin: Vec<_> = everywhere["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["region"].as_str().unwrap().starts_with("6204"))
        .map(key)
        .collect();
    assert!(!baiyin.is_empty());
    let (own, items) = every_page(&app, &tianshui, "q=有色&limit=100").await;
    assert!(own["total"].as_u64() < everywhere["total"].as_u64());
    assert!(items.iter().all(|item| !baiyin.contains(&key(item))), "no record of 白银 for 天水");
}

async fn walking_the_pages_yields_every_hit_once_best_first(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    for query in ["q=稀", "q=稀土&kind=project", "q=稀土&limit=7"] {
        let (first, items) = every_page(&app, &admin, query).await;
        let total = first["total"].as_u64().unwrap() as usize;
        let per_page = if query.contains("limit=7") { 7 } else { 20 };
        assert!(total > per_page, "{query}: more than one page ({total})");
        assert_eq!(first["items"].as_array().unwrap().len(), per_page, "{query}");
        assert_eq!(items.len(), total, "{query}");
        let keys: HashSet<(String, i64)> = items.iter().map(key).collect();
        assert_eq!(keys.len(), total, "{query}: every hit exactly once");
        let scores: Vec<f64> = items.iter().map(|item| item["score"].as_f64().unwrap()).collect();
        assert!(scores.windows(2).all(|pair| pair[0] >= pair[1]), "{query}: best first across pages: {scores:?}");

        // Past the last page: an empty page that still counts, never an error.
        let past = app.get(&format!("/api/v1/search?{query}&page={}", total / per_page + 2), Some(&admin)).await;
        assert_eq!(past.status(), StatusCode::OK);
        let past = body_json(past).await;
        assert_eq!((past["items"].as_array().unwrap().len(), &past["total"]), (0, &first["total"]), "{query}");
    }
    let past = app.get("/api/v1/search?q=稀&page=4294967295&limit=100", Some(&admin)).await;
    assert_eq!(past.status(), StatusCode::OK, "the largest page number");
    for bad in ["abc", "0", "-1", "1.5"] {
        let response = app.get(&format!("/api/v1/search?q=稀&page={bad}"), Some(&admin)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        let body = body_json(response).await;
        assert_eq!(body["error"], "bad_request");
        assert_eq!(body["message"], format!("页码“{bad}”无效，应为不小于 1 的整数"));
    }
}

async fn the_results_page_shows_tabs_with_counts_and_a_pager(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let counts = body_json(app.get("/api/v1/search?q=稀土", Some(&admin)).await).await;
    let (enterprises, projects) =
        (counts["totals"]["enterprise"].as_u64().unwrap(), counts["totals"]["project"].as_u64().unwrap());
    assert!(enterprises > 0 && projects > 20, "{counts}");
    let page = body_text(app.get("/search?q=稀土", Some(&admin)).await).await;
    for (kind, label, count) in
        [("all", "全部", enterprises + projects), ("enterprise", "企业", enterprises), ("project", "项目", projects)]
    {
        assert!(page.contains(&format!("data-kind=\"{kind}\"")), "{kind}");
        assert!(page.contains(&format!("{label} <span class=\"tab-count\">{count}</span>")), "{label} {count}: {page}");
    }
    let pages = (enterprises + projects).div_ceil(20);
    assert!(page.contains("class=\"pager\"") && page.contains(&format!("第 1 / {pages} 页")), "{page}");
    assert_eq!(page.matches("<tr><td><span class=\"tag").count(), 20, "20 a page");
    assert!(page.contains("data-kind=\"all\" class=\"active\""));

    let of_projects = body_text(app.get("/search?q=稀土&kind=project&page=2", Some(&admin)).await).await;
    assert!(of_projects.contains("data-kind=\"project\" class=\"active\""));
    assert!(of_projects.contains(&format!("第 2 / {} 页", projects.div_ceil(20))));
    assert!(!of_projects.contains("/enterprises/"), "projects only");
    assert!(
        of_projects.contains("href=\"?q=%E7%A8%80%E5%9C%9F&amp;kind=project&page=1\""),
        "the pager keeps the query and tab: {}",
        &of_projects[of_projects.find("class=\"pager\"").unwrap()..]
    );

    let past = app.get("/search?q=稀土&page=999", Some(&admin)).await;
    assert_eq!(past.status(), StatusCode::OK);
    let past = body_text(past).await;
    assert!(past.contains(&format!("第 999 页已超出范围：共 {} 条结果，{pages} 页", enterprises + projects)), "{past}");

    for bad in ["abc", "0", "-1"] {
        let response = app.get(&format!("/search?q=稀土&page={bad}"), Some(&admin)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        let body = body_text(response).await;
        assert!(body.contains(&format!("页码“{bad}”无效")), "{body}");
        assert!(body.contains("id=\"top-search\"") && body.contains("class=\"sidebar\""), "in the layout: {body}");
    }
    let bad_kind = app.get("/search?q=稀土&kind=chain", Some(&admin)).await;
    assert_eq!(bad_kind.status(), StatusCode::BAD_REQUEST);
    assert!(body_text(bad_kind).await.contains("搜索类型“chain”无效"));
}

async fn the_search_box_shows_for_every_role_that_may_search(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let mut searching = Vec::new();
    for account in zhaoshang_app::demo::DEMO_ACCOUNTS {
        let cookie = app.sign_in_demo(account.username).await;
        // The inbox: a page every role opens (a leader's `/` is a redirect to the cockpit).
        let page = body_text(app.get("/inbox", Some(&cookie)).await).await;
        let has_box = page.contains("id=\"top-search\"");
        let page = app.get("/search?q=稀", Some(&cookie)).await.status();
        let api = app.get("/api/v1/search?q=稀", Some(&cookie)).await.status();
        let expected = if has_box { StatusCode::OK } else { StatusCode::FORBIDDEN };
        assert_eq!(
            (page, api),
            (expected, expected),
            "{}: the box shows exactly when search answers",
            account.username
        );
        if has_box {
            searching.push(account.role);
        }
    }
    searching.dedup();
    assert_eq!(searching, ["admin", "region", "chain", "leader"]);
}
