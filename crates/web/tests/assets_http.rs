//! Assets and compression (issue 16, point 4): answers compressed as the browser asks,
//! assets linked by a name that changes with their bytes and kept by browsers for good,
//! pages kept by no cache.

mod common;

use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use common::*;
use std::io::Read;
use zhaoshang_testkit::Backend;
use zhaoshang_web::assets::asset_url;

const USERS: &[(&str, &str, Option<&str>)] = &[("admin", "admin", None)];

on_both_backends!(answers_are_compressed_as_the_browser_asks, pages_link_assets_by_content_and_browsers_keep_them);

async fn get_accepting(app: &TestApp, path: &str, cookie: Option<&str>, encodings: &str) -> Response<Body> {
    let mut request = Request::get(path).header(header::ACCEPT_ENCODING, encodings);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

fn encoding(response: &Response<Body>) -> Option<&str> {
    response.headers().get(header::CONTENT_ENCODING).map(|value| value.to_str().unwrap())
}

async fn answers_are_compressed_as_the_browser_asks(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let echarts = asset_url("echarts.min.js").unwrap();
    let identity = app.get(&echarts, None).await;
    assert_eq!(encoding(&identity), None, "no Accept-Encoding, no compression");
    let original = body_bytes(identity).await;
    assert!(original.len() > 1_000_000, "{}", original.len());

    let gzip = get_accepting(&app, &echarts, None, "gzip").await;
    assert_eq!(encoding(&gzip), Some("gzip"));
    assert!(gzip.headers()[header::VARY].to_str().unwrap().to_lowercase().contains("accept-encoding"));
    assert!(gzip.headers()[header::CACHE_CONTROL].to_str().unwrap().contains("immutable"));
    let packed = body_bytes(gzip).await;
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(packed.as_slice()).read_to_end(&mut unpacked).unwrap();
    assert_eq!(unpacked, original);
    assert!(packed.len() * 3 < original.len(), "gzip: {} of {} bytes", packed.len(), original.len());

    let br = get_accepting(&app, &echarts, None, "gzip, deflate, br").await;
    assert_eq!(encoding(&br), Some("br"), "brotli preferred when offered");
    let packed = body_bytes(br).await;
    let mut unpacked = Vec::new();
    brotli::Decompressor::new(packed.as_slice(), 4096).read_to_end(&mut unpacked).unwrap();
    assert_eq!(unpacked, original);
    assert!(packed.len() * 3 < original.len(), "br: {} of {} bytes", packed.len(), original.len());

    // A tiny answer goes out as it is, and so does a workbook (a zip file already).
    let missing = get_accepting(&app, "/assets/nothing.js", None, "gzip, br").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(encoding(&missing), None);
    let admin = app.sign_in("admin").await;
    let template = get_accepting(&app, "/import/template/projects", Some(&admin), "gzip, br").await;
    assert_eq!(template.status(), StatusCode::OK);
    assert_eq!(encoding(&template), None);
    assert!(body_bytes(template).await.starts_with(b"PK"), "the workbook downloads intact");
    // Pages and the API are compressed like assets.
    let page = get_accepting(&app, "/dashboard", Some(&admin), "gzip").await;
    assert_eq!((page.status(), encoding(&page)), (StatusCode::OK, Some("gzip")));
}

async fn pages_link_assets_by_content_and_browsers_keep_them(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let admin = app.sign_in("admin").await;
    let dashboard = app.get("/dashboard", Some(&admin)).await;
    assert_eq!(dashboard.headers()[header::CACHE_CONTROL], "no-store", "pages are kept by no cache");
    let dashboard = body_text(dashboard).await;
    for name in ["app.css", "app.js", "echarts.min.js", "dashboard.js", "maps/gansu.json"] {
        let url = asset_url(name).unwrap();
        assert!(url.starts_with("/assets/") && url != format!("/assets/{name}"), "{url}");
        // The map is linked only when the period has figures (dashboard_http checks it then).
        if name != "maps/gansu.json" {
            assert!(dashboard.contains(&format!("\"{url}\"")), "the dashboard links {url}");
        }
        let hashed = app.get(&url, None).await;
        assert_eq!(hashed.status(), StatusCode::OK, "{url}");
        assert_eq!(hashed.headers()[header::CACHE_CONTROL], "public, max-age=31536000, immutable", "{url}");
        let hashed = body_bytes(hashed).await;

        // The plain name still answers an old bookmark, with the same bytes, for a short while.
        let plain = app.get(&format!("/assets/{name}"), None).await;
        assert_eq!(plain.status(), StatusCode::OK, "{name}");
        assert_eq!(plain.headers()[header::CACHE_CONTROL], "public, max-age=300", "{name}");
        assert_eq!(body_bytes(plain).await, hashed, "{name}");
    }
    assert!(!dashboard.contains("?v="), "no version-stamped URL left");

    let login = app.get("/login", None).await;
    assert_eq!(login.headers()[header::CACHE_CONTROL], "no-store");
    assert!(body_text(login).await.contains(&asset_url("app.css").unwrap()));

    // A name of no asset, or an asset under a hash it no longer has: 404 in Chinese.
    for path in ["/assets/nothing.js", "/assets/app.00000000.css", "/assets/maps/nowhere.json"] {
        let missing = app.get(path, None).await;
        assert_eq!(missing.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(body_text(missing).await.contains("未找到"), "{path}");
    }
}
