//! The enterprise library and global search over HTTP on the demo data: the search
//! examples, scope on the API, pages and exports, and an index that follows writes.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use zhaoshang_testkit::Backend;

on_both_backends!(
    search_api_finds_the_examples_within_scope,
    enterprise_pages_and_exports_stay_in_scope,
    writes_through_the_web_reach_the_search_index,
);

fn names(items: &serde_json::Value) -> Vec<String> {
    items["items"].as_array().unwrap().iter().map(|item| item["name"].as_str().unwrap().to_string()).collect()
}

async fn search_api_finds_the_examples_within_scope(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let anonymous = app.get("/api/v1/search?q=稀土", None).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(body_json(anonymous).await["error"], "unauthenticated");

    let admin = app.sign_in_demo("admin").await;
    let rare_earth = body_json(app.get("/api/v1/search?q=稀土", Some(&admin)).await).await;
    let first = &rare_earth["items"][0];
    assert_eq!(first["name"], "甘肃稀土新材料股份有限公司", "{:?}", names(&rare_earth));
    assert_eq!(first["kind"], "enterprise");
    assert!(first["id"].as_i64().unwrap() > 0 && first["region"] == "620402" && first["score"].as_f64().is_some());
    let scores: Vec<f64> =
        rare_earth["items"].as_array().unwrap().iter().map(|i| i["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|pair| pair[0] >= pair[1]), "best match first");

    let both = body_json(app.get("/api/v1/search?q=白银%20有色&kind=enterprise", Some(&admin)).await).await;
    let both_names = names(&both);
    assert_eq!(both_names[0], "白银有色集团股份有限公司", "{both_names:?}");
    assert!(!both_names.contains(&"甘肃稀土新材料股份有限公司".to_string()), "白银 alone is not enough");
    assert!(both["items"].as_array().unwrap().iter().all(|item| item["kind"] == "enterprise"));
    let projects = body_json(app.get("/api/v1/search?q=稀土&kind=project&limit=5", Some(&admin)).await).await;
    assert_eq!(projects["items"].as_array().unwrap().len(), 5);
    assert!(projects["items"].as_array().unwrap().iter().all(|item| item["kind"] == "project"));

    for bad in [
        "/api/v1/search?q=",
        "/api/v1/search?q=%20%20",
        "/api/v1/search",
        "/api/v1/search?q=x&kind=chain",
        "/api/v1/search?q=x&limit=0",
    ] {
        let response = app.get(bad, Some(&admin)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(body_json(response).await["error"], "bad_request");
    }

    // A region user finds only its region's records.
    let tianshui = app.sign_in_demo("tianshui").await;
    let own = body_json(app.get("/api/v1/search?q=稀土&limit=100", Some(&tianshui)).await).await;
    let items = own["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|item| item["region"].as_str().unwrap().starts_with("6205")), "{:?}", names(&own));
    let elsewhere = body_json(app.get("/api/v1/search?q=白银%20有色", Some(&tianshui)).await).await;
    assert!(!names(&elsewhere).contains(&"白银有色集团股份有限公司".to_string()));

    for role in ["investor", "member", "liaison", "reviewer"] {
        let cookie = app.sign_in_demo(role).await;
        let response = app.get("/api/v1/search?q=稀土", Some(&cookie)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{role}");
        assert_eq!(body_json(response).await["error"], "forbidden");
        assert_eq!(app.get("/search?q=稀土", Some(&cookie)).await.status(), StatusCode::FORBIDDEN, "{role}");
    }
}

async fn enterprise_pages_and_exports_stay_in_scope(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let tianshui = app.sign_in_demo("tianshui").await;
    let list = body_text(app.get("/enterprises", Some(&tianshui)).await).await;
    assert!(list.contains("天水星火机床有限责任公司") && !list.contains("白银有色集团"), "only tianshui's enterprises");
    assert!(list.contains("id=\"top-search\""), "the search box is in the header");
    assert_eq!(app.get("/enterprises?region=620400", Some(&tianshui)).await.status(), StatusCode::FORBIDDEN);

    let xinghuo = app
        .store()
        .enterprise_by_code(&zhaoshang_app::demo::enterprises::named_credit_code("天水星火机床有限责任公司").unwrap())
        .await
        .unwrap()
        .unwrap();
    let detail = body_text(app.get(&format!("/enterprises/{}", xinghuo.id), Some(&tianshui)).await).await;
    assert!(detail.contains("星火机床高档数控机床智能化改造项目"), "its project as investor is listed");
    assert!(detail.contains("专精特新") && detail.contains("甘肃省天水市麦积区"));
    let baiyin = app
        .store()
        .enterprise_by_code(&zhaoshang_app::demo::enterprises::named_credit_code("白银有色集团股份有限公司").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(app.get(&format!("/enterprises/{}", baiyin.id), Some(&tianshui)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/enterprises/999999", Some(&tianshui)).await.status(), StatusCode::NOT_FOUND);

    // Filters and the export of the current filter.
    let csv = body_text(app.get("/enterprises?format=csv&tag=专精特新", Some(&tianshui)).await).await;
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().contains("企业名称,统一社会信用代码,所属地区"));
    let rows: Vec<&str> = lines.collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|row| row.contains(",6205") && row.contains("专精特新")), "{rows:?}");
    let xlsx = app.get("/enterprises?format=xlsx", Some(&tianshui)).await;
    assert!(body_bytes(xlsx).await.starts_with(b"PK"));
    assert_eq!(app.get("/enterprises?tag=独角兽", Some(&tianshui)).await.status(), StatusCode::BAD_REQUEST);

    let admin = app.sign_in_demo("admin").await;
    let targets = body_text(app.get("/enterprises?target=1&tag=世界500强&sort=name", Some(&admin)).await).await;
    assert!(targets.contains("宁德时代新能源科技股份有限公司") && !targets.contains("金川集团股份有限公司"));
    let page_two = app.get("/enterprises?page=2&sort=revenue_desc", Some(&admin)).await;
    assert_eq!(page_two.status(), StatusCode::OK);
    let results = body_text(app.get("/search?q=稀土", Some(&admin)).await).await;
    assert!(results.contains("甘肃稀土新材料股份有限公司") && results.contains("href=\"/enterprises/"), "{results}");

    let member = app.sign_in_demo("member").await;
    assert_eq!(app.get("/enterprises", Some(&member)).await.status(), StatusCode::FORBIDDEN);
    assert!(!body_text(app.get("/", Some(&member)).await).await.contains("id=\"top-search\""));
}

/// A multipart upload of one CSV file to `/import`.
fn upload(cookie: &str, csrf: &str, kind: &str, csv: &str) -> Request<Body> {
    upload_request(cookie, csrf, kind, "e.csv", csv.as_bytes())
}

async fn writes_through_the_web_reach_the_search_index(backend: Backend) {
    let app = TestApp::with_users(backend, &[("baiyin", "region", Some("620400"))]).await;
    let cookie = app.sign_in("baiyin").await;
    let csrf = app.csrf(&cookie).await;
    let code = zhaoshang_core::credit_code::with_check_char("91620402MA7RARE01").unwrap();
    let csv =
        format!("企业名称,统一社会信用代码,所属地区,简介\n甘肃稀土新材料股份有限公司,{code},620402,稀土功能材料\n");
    let response = app.send(upload(&cookie, &csrf, "enterprises", &csv)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_json(response).await["report"]["created"], 1);
    let found = body_json(app.get("/api/v1/search?q=稀土", Some(&cookie)).await).await;
    assert_eq!(names(&found), ["甘肃稀土新材料股份有限公司"]);
    let by_code = body_json(app.get(&format!("/api/v1/search?q={code}"), Some(&cookie)).await).await;
    assert_eq!(by_code["items"][0]["code"], code.as_str());

    // A project saved with the form is found at once, under its investor too.
    let form = format!("csrf={csrf}&code=BY-9&name=稀土永磁项目&region=620402&investor=宁波某某磁材有限公司");
    let saved = app.post_form("/projects", &cookie, &form).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let projects = body_json(app.get("/api/v1/search?q=磁材&kind=project", Some(&cookie)).await).await;
    assert_eq!(names(&projects), ["稀土永磁项目"]);
}
