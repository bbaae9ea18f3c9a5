//! The HTTP contract through the router: sessions, 401/403, CSRF, throttling, scope.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use tower::ServiceExt;
use zhaoshang_testkit::Backend;
use zhaoshang_web::{AppState, Config};

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
    parallel_guesses_are_counted_one_by_one,
    a_disabled_account_answers_like_a_wrong_password,
    the_sign_in_form_needs_its_token_and_follows_only_local_paths,
    signed_in_answers_are_not_kept_by_caches,
    crafted_uploads_are_refused_in_chinese_and_the_server_goes_on,
    overlong_keywords_and_padded_codes_get_client_answers,
    the_new_project_form_does_not_confirm_another_regions_code,
    idle_sessions_end_and_no_token_outlives_its_session,
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

fn session_request(username: &str, password: &str) -> axum::http::Request<axum::body::Body> {
    let body = serde_json::json!({ "username": username, "password": password }).to_string();
    json_request("POST", "/api/v1/session", None, &body)
}

async fn repeated_failures_are_throttled(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    for _ in 0..5 {
        let response = app.send(session_request("admin", "guess")).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // The name as sign-in reads it: spaces and letter case do not make a new key.
    for name in ["admin", " admin", "ADMIN ", "\u{3000}admin"] {
        let blocked = app.send(session_request(name, PASSWORD)).await;
        assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS, "{name:?}");
        assert_eq!(body_json(blocked).await["error"], "too_many_attempts");
    }
    // Counts are kept in the database: a new server on the same database still refuses.
    let restarted = AppState::new(app.store().clone(), app.state.app.search_index().clone(), Config::default());
    let response = zhaoshang_web::router(restarted).oneshot(session_request("admin", PASSWORD)).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    // Another account is not affected.
    app.sign_in("baiyin").await;
}

/// Thirty guesses at once: each is counted before its password is checked, so exactly
/// five are checked (and fail) and the rest are refused unchecked.
async fn parallel_guesses_are_counted_one_by_one(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let mut guesses = tokio::task::JoinSet::new();
    for index in 0..30 {
        let router = zhaoshang_web::router(app.state.clone());
        let name = if index % 2 == 0 { "baiyin" } else { " Baiyin" };
        guesses.spawn(async move { router.oneshot(session_request(name, "guess")).await.unwrap().status() });
    }
    let mut answers = std::collections::BTreeMap::new();
    while let Some(status) = guesses.join_next().await {
        *answers.entry(status.unwrap().as_u16()).or_insert(0) += 1;
    }
    assert_eq!(answers, [(401, 5), (429, 25)].into_iter().collect());
}

/// A disabled account's right password is answered exactly as a wrong one.
async fn a_disabled_account_answers_like_a_wrong_password(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let user = app.store().user_by_name("baiyin").await.unwrap().unwrap();
    zhaoshang_app::accounts::set_disabled(app.store(), user.id, true, &zhaoshang_store::Actor::system("测试"))
        .await
        .unwrap();
    let right = app.send(session_request("baiyin", PASSWORD)).await;
    let (right_status, right_body) = (right.status(), body_text(right).await);
    let wrong = app.send(session_request("baiyin", "wrong-password")).await;
    assert_eq!((right_status, right_body), (wrong.status(), body_text(wrong).await));
    assert_eq!(right_status, StatusCode::UNAUTHORIZED);
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
    let form = "csrf=forged&username=intruder&role=admin&password=long-password-1";
    assert_eq!(app.post_form("/admin/users", &admin, form).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.store().count_users().await.unwrap(), before);
    let no_token = "username=intruder&role=admin&password=long-password-1";
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
            &format!("csrf={csrf}&username=jinchang&role=region&region=&password=long-password-1"),
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
    assert!(body_text(short).await.contains("密码至少需要12个字符"));

    let created = app
        .post_form(
            "/admin/users",
            &admin,
            &format!("csrf={csrf}&username=jinchang&role=region&region=620300&password=long-password-1"),
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let user = app.store().user_by_name("jinchang").await.unwrap().unwrap();
    assert_eq!(user.region_code.as_deref(), Some("620300"));
    assert!(user.password_hash.starts_with("$argon2"));

    let duplicate = app
        .post_form(
            "/admin/users",
            &admin,
            &format!("csrf={csrf}&username=jinchang&role=leader&password=long-password-1"),
        )
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
    assert_eq!(body_json(again).await["error"], "bad_credentials", "a disabled account is not told apart");

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
    let table = &log[log.find("id=\"audit-table\"").expect("the log's table")..];
    assert!(table.contains("登录会话"));
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

/// The sign-in form's token and cookie, as a browser gets them with the form.
async fn login_form_token(app: &TestApp) -> (String, String) {
    let form = app.get("/login", None).await;
    let cookie = form.headers()[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_string();
    assert!(cookie.starts_with("zs_login="), "{cookie}");
    let html = body_text(form).await;
    let start = html.find(r#"name="csrf" value=""#).expect("the form carries a token") + r#"name="csrf" value=""#.len();
    (cookie, html[start..start + 64].to_string())
}

fn login_post(cookie: Option<&str>, form: &str) -> Request<Body> {
    let mut request = Request::post("/login").header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(form.to_string())).unwrap()
}

async fn the_sign_in_form_needs_its_token_and_follows_only_local_paths(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let credentials = format!("username=baiyin&password={PASSWORD}");
    // Login CSRF: a form posted from elsewhere (no token, or no cookie) signs no one in.
    let (cookie, token) = login_form_token(&app).await;
    for (cookie, form) in [
        (None, credentials.clone()),
        (None, format!("{credentials}&csrf={token}")),
        (Some(cookie.as_str()), credentials.clone()),
        (Some(cookie.as_str()), format!("{credentials}&csrf={}", "0".repeat(64))),
    ] {
        let refused = app.send(login_post(cookie, &form)).await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{form}");
        assert!(!refused
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("zs_session=")));
        assert!(body_text(refused).await.contains("登录页面已过期"));
    }
    // Where a sign-in leads: only a path of this site.
    for (next, location) in [
        ("/projects%3Fstage%3Dsigned", "/projects?stage=signed"),
        ("/%09/evil.example", "/"),
        ("%2F%2Fevil.example", "/"),
        ("/%5Cevil.example", "/"),
        ("/x%0aSet-Cookie:%20a=b", "/"),
        ("/x%0d", "/"),
        ("/x%00", "/"),
        ("/x%7f", "/"),
        ("https://evil.example", "/"),
    ] {
        let (cookie, token) = login_form_token(&app).await;
        let response = app.send(login_post(Some(&cookie), &format!("{credentials}&csrf={token}&next={next}"))).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{next}");
        assert_eq!(response.headers()[header::LOCATION], location, "{next}");
    }
}

async fn signed_in_answers_are_not_kept_by_caches(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let admin = app.sign_in("admin").await;
    for path in [
        "/",
        "/projects",
        "/projects?format=csv",
        "/funding?from=2024-01-01&to=2024-12-31&format=csv",
        "/api/v1/me",
        "/login",
        "/admin/users",
    ] {
        let response = app.get(path, Some(&admin)).await;
        assert!(response.status().is_success() || response.status().is_redirection(), "{path}");
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store", "{path}");
    }
    let asset = app.get("/assets/app.css", None).await;
    assert!(asset.headers()[header::CACHE_CONTROL].to_str().unwrap().starts_with("public"));
    // HSTS only when the operator serves over HTTPS (--secure-cookies).
    assert!(!asset.headers().contains_key(header::STRICT_TRANSPORT_SECURITY));
    let config = Config { secure_cookies: true, ..Config::default() };
    let https = AppState::new(app.store().clone(), app.state.app.search_index().clone(), config);
    let login =
        zhaoshang_web::router(https).oneshot(Request::get("/login").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(login.headers()[header::STRICT_TRANSPORT_SECURITY], "max-age=31536000");
}

/// Part 1 of the security probe: workbooks that made the reader allocate terabytes or
/// a box of billions of cells are refused with 422 in Chinese, import nothing, and the
/// server answers the next request.
async fn crafted_uploads_are_refused_in_chinese_and_the_server_goes_on(backend: Backend) {
    use zhaoshang_testkit::hostile;
    let app = TestApp::with_users(backend, USERS).await;
    let cookie = app.sign_in("baiyin").await;
    let csrf = app.csrf(&cookie).await;
    for (name, bytes, expected) in [
        ("bomb.xlsx", hostile::shared_strings_bomb(), "共享字符串"),
        ("corner.xlsx", hostile::far_corner_workbook(), "超过 256 列"),
        ("wide.csv", hostile::wide_csv(1_000_000), "超过 256 列"),
        ("dims.xls", hostile::declared_dimensions_xls(), "单元格超过"),
        ("rows.ods", hostile::repeated_rows_ods(), "单元格超过"),
        ("zeros.ods", hostile::zip_bomb_ods(40), "解压后超过"),
    ] {
        let response = app.send(upload_request(&cookie, &csrf, "projects", name, &bytes)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let body = body_json(response).await;
        assert!(body["message"].as_str().unwrap().contains(expected), "{name}: {body}");
    }
    assert_eq!(app.store().project_totals(&Default::default()).await.unwrap().count, 0);
    assert_eq!(app.get("/api/v1/me", Some(&cookie)).await.status(), StatusCode::OK);
}

/// A 49,999-character keyword made SQLite refuse the LIKE pattern (500); a code typed
/// with spaces around it was saved as typed and every later save of it failed (500).
async fn overlong_keywords_and_padded_codes_get_client_answers(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let cookie = app.sign_in("baiyin").await;
    let long = "x".repeat(49_999);
    for path in ["/projects?q=", "/enterprises?q=", "/api/v1/search?q=", "/projects?format=csv&q="] {
        let response = app.get(&format!("{path}{}", urlencode(&long)), Some(&cookie)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        assert!(body_text(response).await.contains("关键词过长"), "{path}");
    }
    let just_right = app.get(&format!("/projects?q={}", urlencode(&"稀".repeat(100))), Some(&cookie)).await;
    assert_eq!(just_right.status(), StatusCode::OK);

    let csrf = app.csrf(&cookie).await;
    let padded = |name: &str| format!("csrf={csrf}&code=%20%20BY-77%20&name={}&region=%20620402%20", urlencode(name));
    let saved = app.post_form("/projects", &cookie, &padded("稀土项目")).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let project = app.store().project_by_code("BY-77").await.unwrap().expect("saved under the trimmed code");
    assert_eq!(project.data.region_code, "620402");
    // Saving it again (the edit form) works; a new project under the same code is told so.
    let edited = app.post_form("/projects", &cookie, &format!("{}&id={}", padded("稀土永磁项目"), project.id)).await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    let again = app.post_form("/projects", &cookie, &padded("另一个项目")).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.store().project_by_code("BY-77").await.unwrap().unwrap().data.name, "稀土永磁项目");
    assert_eq!(app.store().project_totals(&Default::default()).await.unwrap().count, 1);
}

fn urlencode(text: &str) -> String {
    zhaoshang_web::auth::urlencode(text)
}

/// A region user typing another region's project code into the new-project form is told
/// "not allowed" as the import tells it, not that the code exists.
async fn the_new_project_form_does_not_confirm_another_regions_code(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let tianshui = app.sign_in("tianshui").await;
    let csrf = app.csrf(&tianshui).await;
    let saved =
        app.post_form("/projects", &tianshui, &format!("csrf={csrf}&code=TS-SECRET-9&name=x&region=620503")).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let again =
        app.post_form("/projects", &tianshui, &format!("csrf={csrf}&code=TS-SECRET-9&name=y&region=620503")).await;
    assert!(body_text(again).await.contains("项目编号“TS-SECRET-9”已存在"), "its own region is told plainly");

    let baiyin = app.sign_in("baiyin").await;
    let csrf = app.csrf(&baiyin).await;
    let form = |code: &str| format!("csrf={csrf}&code={code}&name=z&region=620402");
    let taken = app.post_form("/projects", &baiyin, &form("TS-SECRET-9")).await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let taken = body_text(taken).await;
    assert!(taken.contains("无权修改该记录") && !taken.contains("已存在"), "not confirmed");
    assert_eq!(app.store().project_by_code("TS-SECRET-9").await.unwrap().unwrap().data.name, "x", "nothing changed");
}

/// A session idle longer than `IDLE` is over; a token the client held before signing in
/// (session fixation) is never adopted; a signed-out token stays dead.
async fn idle_sessions_end_and_no_token_outlives_its_session(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    // Fixation: a token planted before sign-in is not the session afterwards.
    let planted = "zs_session=".to_string() + &"a".repeat(64);
    let signed_in = app.send(session_request_with_cookie(&planted)).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    let issued = signed_in.headers()[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_string();
    assert_ne!(issued, planted, "a fresh token at sign-in");
    assert_eq!(app.get("/api/v1/me", Some(&planted)).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/me", Some(&issued)).await.status(), StatusCode::OK);

    // Idle past the limit: the session is over (its last use moved back, as time would).
    let token = issued.trim_start_matches("zs_session=");
    let hash = zhaoshang_web::auth::token_hash(token);
    let long_ago = chrono::Utc::now() - zhaoshang_web::auth::IDLE - chrono::Duration::minutes(1);
    app.store().touch_session(&hash, long_ago).await.unwrap();
    assert_eq!(app.get("/api/v1/me", Some(&issued)).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/me", Some(&issued)).await.status(), StatusCode::UNAUTHORIZED, "and stays over");

    // In use all along but begun past the absolute limit: over too (ASVS 3.3.2).
    let user = app.store().user_by_name("baiyin").await.unwrap().unwrap();
    let begun = chrono::Utc::now() - zhaoshang_web::auth::ABSOLUTE - chrono::Duration::minutes(1);
    let all_day = zhaoshang_web::auth::token_hash("all-day-token");
    app.store().create_session(&all_day, user.id, &"c".repeat(64), begun).await.unwrap();
    let cookie = "zs_session=all-day-token";
    for minutes_ago in [0, 1] {
        app.store().touch_session(&all_day, chrono::Utc::now() - chrono::Duration::minutes(minutes_ago)).await.unwrap();
    }
    assert_eq!(app.get("/api/v1/me", Some(cookie)).await.status(), StatusCode::UNAUTHORIZED);
    let within = zhaoshang_web::auth::token_hash("within-limit-token");
    let begun = chrono::Utc::now() - zhaoshang_web::auth::ABSOLUTE + chrono::Duration::minutes(5);
    app.store().create_session(&within, user.id, &"c".repeat(64), begun).await.unwrap();
    app.store().touch_session(&within, chrono::Utc::now()).await.unwrap();
    assert_eq!(app.get("/api/v1/me", Some("zs_session=within-limit-token")).await.status(), StatusCode::OK);

    // Signed out: the token is dead for good.
    let cookie = app.sign_in("baiyin").await;
    let out = app.send(json_request("DELETE", "/api/v1/session", Some(&cookie), "")).await;
    assert!(out.status().is_success());
    assert_eq!(app.get("/api/v1/me", Some(&cookie)).await.status(), StatusCode::UNAUTHORIZED);
}

fn session_request_with_cookie(cookie: &str) -> Request<Body> {
    let body = serde_json::json!({ "username": "baiyin", "password": PASSWORD }).to_string();
    json_request("POST", "/api/v1/session", Some(cookie), &body)
}
