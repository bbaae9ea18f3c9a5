//! The HTTP contract through the router: sessions, 401/403, CSRF, throttling, scope.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use zhaoshang_testkit::Backend;

const USERS: &[(&str, &str, Option<&str>)] = &[
    ("admin", "admin", None),
    ("baiyin", "region", Some("620400")),
    ("tianshui", "region", Some("620500")),
    ("leader", "leader", None),
];

on_both_backends!(
    session_api_signs_in_and_out,
    bad_bodies_get_client_errors_in_json,
    repeated_failures_are_throttled,
    pages_require_a_session_and_the_right_role,
    forms_without_csrf_change_nothing,
    admin_creates_and_disables_users,
    every_change_is_in_the_audit_log,
);

async fn session_api_signs_in_and_out(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let unauthenticated = app.get("/api/v1/me", None).await;
    assert_eq!(unauthenticated.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(body_json(unauthenticated).await["error"], "unauthenticated");

    let response = app
        .send(json_request(
            "POST",
            "/api/v1/session",
            None,
            &format!(r#"{{"username":"baiyin","password":"{PASSWORD}"}}"#),
        ))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let set_cookie = response.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_string();

    let me = body_json(app.get("/api/v1/me", Some(&cookie)).await).await;
    assert_eq!(me["username"], "baiyin");
    assert_eq!(me["role"], "region");
    assert_eq!(me["region"], "620400");

    let wrong =
        app.send(json_request("POST", "/api/v1/session", None, r#"{"username":"baiyin","password":"nope"}"#)).await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let body = body_json(wrong).await;
    assert_eq!(body["error"], "bad_credentials");
    assert_eq!(body["message"], "用户名或密码错误");
    let unknown =
        app.send(json_request("POST", "/api/v1/session", None, r#"{"username":"ghost","password":"x"}"#)).await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);

    let out = app.send(json_request("DELETE", "/api/v1/session", Some(&cookie), "")).await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/me", Some(&cookie)).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.send(json_request("DELETE", "/api/v1/session", Some(&cookie), "")).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

async fn bad_bodies_get_client_errors_in_json(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let malformed = app.send(json_request("POST", "/api/v1/session", None, "{not json")).await;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(body_json(malformed).await["error"], "bad_request");
    let missing_field = app.send(json_request("POST", "/api/v1/session", None, r#"{"username":"admin"}"#)).await;
    assert_eq!(missing_field.status(), StatusCode::BAD_REQUEST);
    let form = Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("username=admin&password=x"))
        .unwrap();
    let response = app.send(form).await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(body_json(response).await["message"].as_str().unwrap().contains("JSON"));
    let unknown = app.get("/api/v1/nothing", None).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(body_json(unknown).await["error"], "not_found");
}

async fn repeated_failures_are_throttled(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    for _ in 0..5 {
        let response =
            app.send(json_request("POST", "/api/v1/session", None, r#"{"username":"admin","password":"guess"}"#)).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let blocked = app
        .send(json_request(
            "POST",
            "/api/v1/session",
            None,
            &format!(r#"{{"username":"admin","password":"{PASSWORD}"}}"#),
        ))
        .await;
    assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body_json(blocked).await["error"], "too_many_attempts");
    // Another account is not affected.
    app.sign_in("baiyin").await;
}

async fn pages_require_a_session_and_the_right_role(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let anonymous = app.get("/admin/users", None).await;
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    assert_eq!(anonymous.headers()[header::LOCATION], "/login?next=/admin/users");

    let baiyin = app.sign_in("baiyin").await;
    for path in [
        "/",
        "/reference/regions",
        "/reference/regions?parent=620000",
        "/reference/parks",
        "/reference/departments",
        "/reference/industries",
    ] {
        assert_eq!(app.get(path, Some(&baiyin)).await.status(), StatusCode::OK, "{path}");
    }
    for path in ["/admin/users", "/admin/users/new", "/admin/users/1", "/admin/audit"] {
        let response = app.get(path, Some(&baiyin)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(body_text(response).await.contains("无权访问"));
    }
    let home = body_text(app.get("/", Some(&baiyin)).await).await;
    assert!(!home.contains("/admin/users"), "navigation hides what the role cannot open");

    let admin = app.sign_in("admin").await;
    for path in [
        "/admin/users",
        "/admin/users/new",
        "/admin/users/2",
        "/admin/audit",
        "/admin/audit?entity=user&from=2020-01-01",
    ] {
        assert_eq!(app.get(path, Some(&admin)).await.status(), StatusCode::OK, "{path}");
    }
    assert_eq!(app.get("/admin/audit?from=yesterday", Some(&admin)).await.status(), StatusCode::BAD_REQUEST);
    let assets = app.get("/assets/echarts.min.js", None).await;
    assert_eq!(assets.status(), StatusCode::OK);
    assert!(assets.headers()[header::CONTENT_TYPE].to_str().unwrap().contains("javascript"));
}

async fn forms_without_csrf_change_nothing(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let admin = app.sign_in("admin").await;
    let before = app.store().count_users().await.unwrap();
    let form = "csrf=forged&username=intruder&role=admin&password=long-password";
    assert_eq!(app.post_form("/admin/users", &admin, form).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.store().count_users().await.unwrap(), before);
    let no_token = "username=intruder&role=admin&password=long-password";
    assert!(app.post_form("/admin/users", &admin, no_token).await.status().is_client_error());
    assert_eq!(app.store().count_users().await.unwrap(), before);
    // Signing out needs the token too.
    assert_eq!(app.post_form("/logout", &admin, "csrf=forged").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/me", Some(&admin)).await.status(), StatusCode::OK);
}

async fn admin_creates_and_disables_users(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let admin = app.sign_in("admin").await;
    let csrf = app.csrf(&admin).await;

    let missing_region = app
        .post_form(
            "/admin/users",
            &admin,
            &format!("csrf={csrf}&username=jinchang&role=region&region=&password=long-password"),
        )
        .await;
    assert_eq!(missing_region.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(missing_region).await.contains("必须指定所属地区"));
    let short = app
        .post_form(
            "/admin/users",
            &admin,
            &format!("csrf={csrf}&username=jinchang&role=region&region=620300&password=short"),
        )
        .await;
    assert!(body_text(short).await.contains("密码至少需要8个字符"));

    let created = app
        .post_form(
            "/admin/users",
            &admin,
            &format!("csrf={csrf}&username=jinchang&role=region&region=620300&password=long-password"),
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let user = app.store().user_by_name("jinchang").await.unwrap().unwrap();
    assert_eq!(user.region_code.as_deref(), Some("620300"));
    assert!(user.password_hash.starts_with("$argon2"));

    let duplicate = app
        .post_form("/admin/users", &admin, &format!("csrf={csrf}&username=jinchang&role=leader&password=long-password"))
        .await;
    assert_eq!(duplicate.status(), StatusCode::CONFLICT);

    let baiyin = app.sign_in("baiyin").await;
    let baiyin_id = app.store().user_by_name("baiyin").await.unwrap().unwrap().id;
    let disabled =
        app.post_form(&format!("/admin/users/{baiyin_id}"), &admin, &format!("csrf={csrf}&action=disable")).await;
    assert_eq!(disabled.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/api/v1/me", Some(&baiyin)).await.status(), StatusCode::UNAUTHORIZED, "the session ended");
    let again = app
        .send(json_request(
            "POST",
            "/api/v1/session",
            None,
            &format!(r#"{{"username":"baiyin","password":"{PASSWORD}"}}"#),
        ))
        .await;
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(body_json(again).await["error"], "account_disabled");

    let admin_id = app.store().user_by_name("admin").await.unwrap().unwrap().id;
    let self_disable =
        app.post_form(&format!("/admin/users/{admin_id}"), &admin, &format!("csrf={csrf}&action=disable")).await;
    assert_eq!(self_disable.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn every_change_is_in_the_audit_log(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let admin = app.sign_in("admin").await;
    let csrf = app.csrf(&admin).await;
    let saved = app
        .post_form(
            "/reference/parks",
            &admin,
            &format!("csrf={csrf}&name=金昌经开区&region_code=620300&level=国家级&area_mu=1000"),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let bad =
        app.post_form("/reference/parks", &admin, &format!("csrf={csrf}&name=&region_code=999999&area_mu=abc")).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = body_text(bad).await;
    assert!(
        text.contains("园区名称不能为空") && text.contains("999999") && text.contains("abc"),
        "every problem is listed"
    );
    let department = app
        .post_form(
            "/reference/departments",
            &admin,
            &format!("csrf={csrf}&name=金昌市投资促进局&region_code=620300&kind=招商部门"),
        )
        .await;
    assert_eq!(department.status(), StatusCode::SEE_OTHER);
    let log = body_text(app.get("/admin/audit?entity=park", Some(&admin)).await).await;
    assert!(log.contains("金昌经开区") && log.contains("admin"));
    let log = body_text(app.get("/admin/audit?action=sign_in", Some(&admin)).await).await;
    assert!(log.contains("session"));
    let region_user = app.sign_in("tianshui").await;
    let refused = app
        .post_form(
            "/reference/parks",
            &region_user,
            &format!("csrf={}&name=x&region_code=620500", app.csrf(&region_user).await),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}
