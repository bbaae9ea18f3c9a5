//! Shared set-up for the web tests: an application on a fresh database.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use zhaoshang_app::accounts::{create_account, AccountRequest};
use zhaoshang_app::search::SearchIndex;
use zhaoshang_store::{Actor, Store};
use zhaoshang_testkit::{demo_database_url, fresh_database_url, Backend};
use zhaoshang_web::{router, AppState, Config};

pub const PASSWORD: &str = "test-password-1";

pub struct TestApp {
    pub state: AppState,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// An application with reference data and the accounts `(username, role, region)`.
    pub async fn with_users(backend: Backend, users: &[(&str, &str, Option<&str>)]) -> TestApp {
        TestApp::configured(backend, users, Config::default()).await
    }

    /// `with_users` with a configuration of its own (a webhook, say).
    pub async fn configured(backend: Backend, users: &[(&str, &str, Option<&str>)], config: Config) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_database_url(backend, dir.path()).await;
        let store = zhaoshang_app::open(&url, false).await.unwrap();
        for (username, role, region) in users {
            let request = AccountRequest {
                username: username.to_string(),
                display_name: format!("{username} 测试"),
                role: role.to_string(),
                region: region.map(Into::into),
                chamber: None,
                password: PASSWORD.into(),
            };
            create_account(&store, &request, &Actor::system("测试")).await.unwrap();
        }
        let search = SearchIndex::open(&store).await.unwrap();
        TestApp { state: AppState::new(store, search, config), _dir: dir }
    }

    /// An application with the demo accounts and the Gansu demo pipeline.
    pub async fn demo(backend: Backend) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = demo_database_url(backend, dir.path()).await;
        let store = zhaoshang_app::open(&url, true).await.unwrap();
        let search = SearchIndex::open(&store).await.unwrap();
        TestApp { state: AppState::new(store, search, Config { demo: true, ..Config::default() }), _dir: dir }
    }

    /// Signs in a demo account.
    pub async fn sign_in_demo(&self, username: &str) -> String {
        let body = format!(r#"{{"username":"{username}","password":"{}"}}"#, zhaoshang_app::demo::DEMO_PASSWORD);
        let response = self.send(json_request("POST", "/api/v1/session", None, &body)).await;
        assert_eq!(response.status(), StatusCode::OK, "sign-in of {username}");
        response.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap().split(';').next().unwrap().to_string()
    }

    pub fn store(&self) -> &Store {
        self.state.app.store()
    }

    pub async fn send(&self, request: Request<Body>) -> Response<Body> {
        router(self.state.clone()).oneshot(request).await.unwrap()
    }

    /// Signs in through the API and returns the `Cookie` header value.
    pub async fn sign_in(&self, username: &str) -> String {
        let response = self
            .send(json_request(
                "POST",
                "/api/v1/session",
                None,
                &format!(r#"{{"username":"{username}","password":"{PASSWORD}"}}"#),
            ))
            .await;
        assert_eq!(response.status(), StatusCode::OK, "sign-in of {username}");
        let cookie = response.headers().get(header::SET_COOKIE).unwrap().to_str().unwrap();
        cookie.split(';').next().unwrap().to_string()
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Response<Body> {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    pub async fn post_form(&self, path: &str, cookie: &str, form: &str) -> Response<Body> {
        let request = Request::post(path)
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form.to_string()))
            .unwrap();
        self.send(request).await
    }

    /// A Baiyin (620400) plan of `owner` whose next step `step` is due on `due`, on an
    /// enterprise of its own (the `n`-th); returns the plan's id.
    pub async fn plan_due(&self, owner: &str, n: u32, step: &str, due: chrono::NaiveDate) -> i64 {
        let actor = Actor::system("测试");
        let code = zhaoshang_core::credit_code::with_check_char(&format!("91620402MA7PL{n:04}")).unwrap();
        let csv = format!("企业名称,统一社会信用代码,所属地区\n跟进企业{n},{code},620402\n");
        let kind = zhaoshang_app::exchange::ImportKind::Enterprises;
        let report = zhaoshang_app::exchange::import_bytes(self.store(), kind, "e.csv", csv.as_bytes(), false, &actor);
        let report = report.await.unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
        let enterprise = self.store().enterprise_by_code(&code).await.unwrap().unwrap();
        let owner = self.store().user_by_name(owner).await.unwrap().unwrap();
        let plan = zhaoshang_store::plans::PlanData {
            enterprise_id: enterprise.id,
            node_id: None,
            region_code: "620400".into(),
            owner_id: owner.id,
            approach: "以商招商".into(),
            next_step: step.to_string(),
            due_on: Some(due),
            status: "active".into(),
        };
        self.store().create_plan(&plan, &actor).await.unwrap()
    }

    /// The CSRF token of a session, read from a page's form the way a browser would (the
    /// inbox: every role opens it; a leader's `/` is a redirect).
    pub async fn csrf(&self, cookie: &str) -> String {
        let html = body_text(self.get("/inbox", Some(cookie)).await).await;
        let start =
            html.find(r#"name="csrf" value=""#).expect("a form with a CSRF token") + r#"name="csrf" value=""#.len();
        html[start..start + 64].to_string()
    }
}

pub fn json_request(method: &str, path: &str, cookie: Option<&str>, body: &str) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(path).header(header::CONTENT_TYPE, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(body.to_string())).unwrap()
}

/// A multipart upload of one file to `/import`, answered as JSON.
pub fn upload_request(cookie: &str, csrf: &str, kind: &str, file_name: &str, bytes: &[u8]) -> Request<Body> {
    upload_request_with(cookie, csrf, kind, file_name, bytes, &[])
}

/// `upload_request` with more of the form's fields (`dry_run`, `assign_codes`).
pub fn upload_request_with(
    cookie: &str,
    csrf: &str,
    kind: &str,
    file_name: &str,
    bytes: &[u8],
    fields: &[(&str, &str)],
) -> Request<Body> {
    let mut all = vec![("csrf", csrf), ("kind", kind)];
    all.extend(fields);
    let mut request = multipart_request("/import", Some(cookie), &all, &[(file_name, bytes)]);
    request.headers_mut().insert(header::ACCEPT, "application/json".parse().unwrap());
    request
}

/// A multipart form posted to `uri`: its text fields in order, then each file as a
/// `file` field.
pub fn multipart_request(
    uri: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
) -> Request<Body> {
    let boundary = "zsboundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    for (file_name, bytes) in files {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    let mut builder =
        Request::post(uri).header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"));
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::from(body)).unwrap()
}

pub async fn body_bytes(response: Response<Body>) -> Vec<u8> {
    response.into_body().collect().await.unwrap().to_bytes().to_vec()
}

/// The text of an HTML fragment, its tags dropped.
pub fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

pub async fn body_text(response: Response<Body>) -> String {
    String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
}

pub async fn body_json(response: Response<Body>) -> serde_json::Value {
    let text = body_text(response).await;
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// One test per backend (`zhaoshang_testkit::on_both_backends!`), for `use common::*` (not
/// every test file declares its tests with it).
#[allow(unused_imports)]
pub use zhaoshang_testkit::on_both_backends;

/// A chain link named like the probe's stored XSS (an image whose error handler runs).
pub const HOSTILE_LINK: &str = r#"<img src=x onerror="window.__xss=1">"#;
/// A chain named as a script element.
pub const HOSTILE_CHAIN: &str = "<script>window.__xss=2</script>";
/// A region named to close the page's JSON data block and open a script of its own.
pub const HOSTILE_REGION: &str = r#"</script><script>window.__xss=3</script><img src=x onerror="window.__xss=4">"#;
/// The code of the region above: a city of Gansu that does not exist.
pub const HOSTILE_REGION_CODE: &str = "621300";

/// Plants hostile names in a demo application the way an attacker could: the region
/// user `baiyin` defines a chain and a link through the forms (POST /chains/save and
/// /chains/{id}/nodes); the region comes with reference data. Returns the chain's id.
pub async fn plant_hostile_names(app: &TestApp) -> i64 {
    use zhaoshang_core::regions::{Division, RegionCode};
    let cookie = app.sign_in_demo("baiyin").await;
    let csrf = app.csrf(&cookie).await;
    let form = |pairs: &[(&str, &str)]| serde_urlencoded::to_string(pairs).unwrap();
    let chain = [("csrf", csrf.as_str()), ("chain", HOSTILE_CHAIN), ("region", "620400"), ("node", "铝产业")];
    let response = app.post_form("/chains/save", &cookie, &form(&chain)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{}", body_text(response).await);
    let chain = app.store().chain_by_name(HOSTILE_CHAIN).await.unwrap().expect("the hostile chain");
    let link = [
        ("csrf", csrf.as_str()),
        ("node", HOSTILE_LINK),
        ("parent", "铝产业"),
        ("kind", "环节"),
        ("segment", "上游"),
        ("industry", "32"),
    ];
    let response = app.post_form(&format!("/chains/{}/nodes", chain.id), &cookie, &form(&link)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{}", body_text(response).await);
    let division = Division {
        code: RegionCode::parse(HOSTILE_REGION_CODE).unwrap(),
        name: HOSTILE_REGION.into(),
        parent: Some(RegionCode::parse("620000").unwrap()),
    };
    app.store().load_regions(&[division]).await.unwrap();
    chain.id
}

/// The text of a PDF as poppler's `pdftotext` reads it, without white space (lines wrap
/// where the page does).
pub fn pdf_text(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output =
        std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap().split_whitespace().collect()
}

/// A form's body as a browser sends it: the CSRF token, then the fields URL-encoded.
pub fn form(csrf: &str, fields: &[(&str, &str)]) -> String {
    let mut body = format!("csrf={csrf}");
    for (key, value) in fields {
        body.push_str(&format!("&{key}={}", zhaoshang_web::auth::urlencode(value)));
    }
    body
}

/// Where a redirect sends the browser.
pub fn location(response: &Response<Body>) -> String {
    response.headers()[header::LOCATION].to_str().unwrap().to_string()
}
