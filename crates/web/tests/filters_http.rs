//! Errors that keep the application (issue 15, point 6): a region typed by name in a
//! filter is taken as its code; a bad value in a query string is a 400 in Chinese inside
//! the layout (navigation kept) for pages and JSON for the API; a reversed date range is
//! said to be one, not answered with nothing.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_testkit::{on_both_backends, Backend};

/// Text between `start` and the next `end`, after `start`'s first occurrence.
fn between<'a>(page: &'a str, start: &str, end: &str) -> &'a str {
    let rest = &page[page.find(start).unwrap_or_else(|| panic!("no {start}")) + start.len()..];
    &rest[..rest.find(end).unwrap()]
}

async fn ok_page(app: &TestApp, cookie: &str, path: &str) -> String {
    let response = app.get(path, Some(cookie)).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    body_text(response).await
}

async fn regions_typed_by_name_filter_as_their_codes(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let count = |page: &str| between(page, r#"<strong id="total-count">"#, "<").to_string();
    let projects = ok_page(&app, &admin, "/projects?region=620400").await;
    let all = ok_page(&app, &admin, "/projects").await;
    assert_ne!(count(&projects), count(&all), "the filter narrows");
    assert_ne!(count(&projects), "0");
    for name in ["白银市", "白银", "%E7%99%BD%E9%93%B6%E5%B8%82"] {
        assert_eq!(
            count(&ok_page(&app, &admin, &format!("/projects?region={name}")).await),
            count(&projects),
            "{name}"
        );
    }
    let enterprises = |page: &str| between(page, r#"<strong id="total-count">"#, "<").to_string();
    let by_code = ok_page(&app, &admin, "/enterprises?region=620400").await;
    assert_eq!(enterprises(&ok_page(&app, &admin, "/enterprises?region=白银").await), enterprises(&by_code));

    let figures = |page: &str| between(page, r#"data-figure="signed_count""#, "</div>").to_string();
    let dashboard = ok_page(&app, &admin, "/dashboard?region=620400&from=2023-01-01&to=2023-12-31").await;
    let named = ok_page(&app, &admin, "/dashboard?region=白银市&from=2023-01-01&to=2023-12-31").await;
    assert_eq!(figures(&named), figures(&dashboard));
    assert!(named.contains("白银市"));

    let api = |query: &str| {
        let path = format!("/api/v1/stats/investment?region={query}&from=2023-01-01&to=2023-12-31");
        let app = &app;
        let admin = &admin;
        async move {
            let response = app.get(&path, Some(admin)).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            body_json(response).await
        }
    };
    assert_eq!(api("白银").await, api("620400").await);

    // A division of exactly the typed name wins over longer ones (白银区 is the county).
    let county = ok_page(&app, &admin, "/projects?region=620402").await;
    assert_eq!(count(&ok_page(&app, &admin, "/projects?region=白银区").await), count(&county));
    // An unknown name says what to type, inside the layout.
    let unknown = app.get("/projects?region=白银镇", Some(&admin)).await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = body_text(unknown).await;
    assert!(text.contains("地区“白银镇”不存在") && text.contains(r#"id="sidebar""#), "{text}");
}

async fn bad_query_values_are_chinese_400s_inside_the_layout(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    for (path, says) in [
        ("/projects?min_wan=abc", "最低总投资"),
        ("/projects?page=-1", "页码“-1”无效，应为不小于 1 的整数"),
        ("/enterprises?page=abc", "页码“abc”无效"),
        ("/admin/audit?page=1.5", "页码“1.5”无效"),
        ("/reference/parks?edit=abc", "网址中的参数 edit 的值“abc”无效"),
        ("/reference/calendar?year=%E4%BB%8A%E5%B9%B4", "网址中的参数 year 的值“今年”无效"),
        ("/dashboard?region=620400&from=2023-13-01", "开始日期“2023-13-01”不是有效日期"),
        ("/projects?signed_from=2023-02-30", "签约日期起“2023-02-30”不是有效日期"),
        ("/admin/audit?from=yesterday", "开始日期“yesterday”不是有效日期"),
    ] {
        let response = app.get(path, Some(&admin)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let page = body_text(response).await;
        assert!(page.contains(says), "{path}: {page}");
        assert!(page.contains(r#"id="sidebar""#) && page.contains(r#"class="nav-group""#), "{path}: navigation kept");
        assert!(!page.contains("Failed to deserialize"), "{path}");
    }
    // The API answers JSON, in Chinese.
    for (path, says) in [
        ("/api/v1/stats/investment?region=620400&from=abc&to=2023-12-31", "开始日期"),
        ("/api/v1/search?q=%E7%A8%80%E5%9C%9F&page=-1", "页码“-1”无效"),
    ] {
        let response = app.get(path, Some(&admin)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let json = body_json(response).await;
        assert!(json["message"].as_str().unwrap().contains(says), "{path}: {json}");
    }
    // A visitor is sent to sign in, as before, whatever the query.
    let visitor = app.get("/projects?page=-1", None).await;
    assert_eq!(visitor.status(), StatusCode::SEE_OTHER);
}

async fn reversed_date_ranges_are_said_to_be_reversed(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    for path in [
        "/projects?signed_from=2023-12-01&signed_to=2023-01-01",
        "/dashboard?region=620400&from=2023-10-01&to=2023-01-01",
        "/admin/audit?from=2023-10-01&to=2023-01-01",
        "/appeals?from=2023-10-01&to=2023-01-01",
    ] {
        let response = app.get(path, Some(&admin)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let page = body_text(response).await;
        assert!(page.contains("开始日期不能晚于结束日期") && page.contains(r#"id="sidebar""#), "{path}: {page}");
    }
    let money = app.get("/projects?min_wan=5000&max_wan=100", Some(&admin)).await;
    assert_eq!(money.status(), StatusCode::BAD_REQUEST);
    assert!(body_text(money).await.contains("最低总投资不能高于最高总投资"));
    let api = app.get("/api/v1/stats/investment?region=620400&from=2023-10-01&to=2023-01-01", Some(&admin)).await;
    assert_eq!(api.status(), StatusCode::BAD_REQUEST);
    assert_eq!(body_json(api).await["message"], "开始日期不能晚于结束日期");
}

on_both_backends!(
    regions_typed_by_name_filter_as_their_codes,
    bad_query_values_are_chinese_400s_inside_the_layout,
    reversed_date_ranges_are_said_to_be_reversed,
);
