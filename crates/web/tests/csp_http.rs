//! The Content-Security-Policy: every response carries it, and no page needs what it
//! forbids — no inline script except JSON data blocks, no inline event handlers, no
//! `javascript:` URLs — even with hostile names in the data the page shows.

mod common;

use axum::body::Body;
use axum::http::{header, Request, Response, StatusCode};
use common::*;
use zhaoshang_testkit::Backend;

on_both_backends!(
    every_response_carries_the_policy,
    pages_have_no_inline_code_even_with_hostile_names,
    writes_from_other_sites_are_refused_whatever_cookie_they_carry,
    every_text_field_shows_hostile_text_as_text
);

/// Checks the policy header of one response: scripts only from the application's own
/// files, never framed, and the other directives of the policy.
fn assert_policy(what: &str, response: &Response<Body>) {
    let policy = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"))
        .to_str()
        .unwrap();
    let directives: Vec<&str> = policy.split(';').map(str::trim).filter(|d| !d.is_empty()).collect();
    for expected in [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "connect-src 'self'",
    ] {
        assert!(directives.contains(&expected), "{what}: {expected:?} missing in {policy:?}");
    }
    let scripts: Vec<&&str> = directives.iter().filter(|d| d.starts_with("script-src")).collect();
    assert_eq!(scripts, [&"script-src 'self'"], "{what}: one script-src, the application's own files only");
}

async fn every_response_carries_the_policy(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let page = app.get("/dashboard", Some(&admin)).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_policy("a page", &page);
    let asset = app.get("/assets/app.js", None).await;
    assert_eq!(asset.status(), StatusCode::OK);
    assert_policy("an asset", &asset);
    let api = app.get("/api/v1/me", Some(&admin)).await;
    assert_eq!(api.status(), StatusCode::OK);
    assert_policy("an API call", &api);
    let missing = app.get("/no/such/page", Some(&admin)).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_policy("a 404", &missing);
    assert_policy("a missing asset", &app.get("/assets/nothing.js", None).await);
    assert_policy("an API error", &app.get("/api/v1/me", None).await);
    assert_policy("the sign-in page", &app.get("/login", None).await);
    assert_policy("a redirect to sign in", &app.get("/dashboard", None).await);
    let forged = app.post_form("/logout", &admin, "csrf=forged").await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_policy("a refused form", &forged);
    let wrong_method = app.send(Request::delete("/dashboard").body(Body::empty()).unwrap()).await;
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_policy("a wrong method", &wrong_method);
}

/// What in one HTML document the policy would block or that breaks out of data: a
/// `<script>` without `src` that is not a JSON data block, an `on…=` attribute, a
/// `javascript:` URL. Reads tags the way a browser does, quoted attribute values
/// included, so an escaped name in text or in a value is not mistaken for markup.
fn inline_code(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let text =
        |from: usize, to: usize| String::from_utf8_lossy(&html.as_bytes()[from..to.min(bytes.len())]).to_string();
    let mut problems = Vec::new();
    let mut i = 0;
    while let Some(offset) = lower[i..].find('<') {
        let start = i + offset;
        if lower[start..].starts_with("<!--") {
            i = lower[start..].find("-->").map_or(bytes.len(), |end| start + end + 3);
            continue;
        }
        i = start + 1;
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue; // a closing tag, the doctype
        }
        let mut j = i;
        while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' && bytes[j] != b'/' {
            j += 1;
        }
        let name = &lower[i..j];
        let mut attributes: Vec<(String, String)> = Vec::new();
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let attribute_start = j;
            while j < bytes.len() && !bytes[j].is_ascii_whitespace() && !matches!(bytes[j], b'=' | b'>' | b'/') {
                j += 1;
            }
            let attribute = lower[attribute_start..j].to_string();
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = String::new();
            if bytes.get(j) == Some(&b'=') {
                j += 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                let value_start;
                if let Some(quote @ (b'"' | b'\'')) = bytes.get(j).copied() {
                    value_start = j + 1;
                    j = value_start;
                    while j < bytes.len() && bytes[j] != quote {
                        j += 1;
                    }
                    value = lower[value_start..j.min(bytes.len())].to_string();
                    j += 1;
                } else {
                    value_start = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = lower[value_start..j].to_string();
                }
            }
            attributes.push((attribute, value));
        }
        let tag = text(start, j + 1);
        i = j + 1;
        for (attribute, value) in &attributes {
            if attribute.len() > 2
                && attribute.starts_with("on")
                && attribute[2..].bytes().all(|b| b.is_ascii_lowercase())
            {
                problems.push(format!("an inline event handler: {tag}"));
            }
            let url = value.trim().replace(['\t', '\n', '\r'], "");
            if matches!(attribute.as_str(), "href" | "src" | "action" | "formaction") && url.starts_with("javascript:")
            {
                problems.push(format!("a javascript: URL: {tag}"));
            }
        }
        if name == "script" {
            let attribute = |key: &str| attributes.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
            let end = lower[i..].find("</script").map_or(bytes.len(), |e| i + e);
            if attribute("src").is_none() {
                if attribute("type") != Some("application/json") {
                    problems.push(format!("an inline script: {}", text(start, end + 9)));
                } else if lower[i..end].contains('<') {
                    problems.push(format!("markup in a data block: {}", text(start, end + 9)));
                }
            }
            i = end;
        }
    }
    problems
}

/// The first link on a page to a path with this prefix and a numeric id.
fn first_link(html: &str, prefix: &str) -> String {
    let needle = format!("href=\"{prefix}");
    html.match_indices(&needle)
        .map(|(at, _)| at + "href=\"".len())
        .find_map(|start| {
            let digits = html[start + prefix.len()..].bytes().take_while(u8::is_ascii_digit).count();
            (digits > 0).then(|| html[start..start + prefix.len() + digits].to_string())
        })
        .unwrap_or_else(|| panic!("no link to {prefix}ID"))
}

#[test]
fn the_checker_finds_what_the_policy_blocks_and_nothing_else() {
    let clean = r#"<!doctype html><p title="a onclick=b">x onload=y &lt;script&gt;</p><!-- <script>c</script> -->
        <script src="/assets/app.js?v=1"></script><script type="application/json" id="d">{"a":"\u003c/script\u003e"}</script>"#;
    assert_eq!(inline_code(clean), Vec::<String>::new());
    let dirty = [
        "<script>alert(1)</script>",
        "<SCRIPT type=text/javascript>x</SCRIPT>",
        "<img src=x onerror=alert(1)>",
        r#"<button type="button" onclick="go()">"#,
        r#"<a href=" javascript:alert(1)">"#,
        r#"<script type="application/json">{"a":"</b>"}</script>"#,
        r#"<script type="application/json">{"a":"</script><script>alert(1)</script>"}</script>"#,
    ];
    for html in dirty {
        assert!(!inline_code(html).is_empty(), "{html}");
    }
}

async fn pages_have_no_inline_code_even_with_hostile_names(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let chain = plant_hostile_names(&app).await;
    let admin = app.sign_in_demo("admin").await;

    let projects = body_text(app.get("/projects", Some(&admin)).await).await;
    let enterprises = body_text(app.get("/enterprises", Some(&admin)).await).await;
    let plans = body_text(app.get("/plans", Some(&admin)).await).await;
    let users = body_text(app.get("/admin/users", Some(&admin)).await).await;
    let mut pages = vec![
        "/".to_string(),
        "/inbox".into(),
        "/dashboard".into(),
        "/dashboard?region=620000&from=2023-01-01&to=2023-10-31".into(),
        "/dashboard?region=620400&from=2023-01-01&to=2023-10-31".into(),
        "/projects".into(),
        "/projects/new".into(),
        "/projects/duplicates".into(),
        first_link(&projects, "/projects/"),
        format!("{}/edit", first_link(&projects, "/projects/")),
        "/funding?region=620500&from=2023-01-01&to=2023-10-31".into(),
        "/enterprises".into(),
        first_link(&enterprises, "/enterprises/"),
        "/search?q=%E9%93%9D".into(),
        "/chains".into(),
        "/chains/new".into(),
        format!("/chains/{chain}"),
        format!("/chains/{chain}?region=620400"),
        format!("/chains/{chain}/edit"),
        "/plans".into(),
        first_link(&plans, "/plans/"),
        "/import".into(),
        "/reference/regions".into(),
        "/reference/regions?parent=620000".into(),
        "/reference/parks".into(),
        "/reference/departments".into(),
        "/reference/industries".into(),
        "/admin/users".into(),
        "/admin/users/new".into(),
        first_link(&users, "/admin/users/"),
        "/admin/audit".into(),
        "/no/such/page".into(),
    ];
    let chains = body_text(app.get("/chains", Some(&admin)).await).await;
    pages.push(first_link(&chains, "/chains/"));
    for path in &pages {
        let response = app.get(path, Some(&admin)).await;
        assert!(response.status() == StatusCode::OK || path == "/no/such/page", "{path}: {}", response.status());
        let html = body_text(response).await;
        assert_eq!(inline_code(&html), Vec::<String>::new(), "{path}");
    }
    // The hostile names reach the pages, as text.
    let map = body_text(app.get(&format!("/chains/{chain}?region=620400"), Some(&admin)).await).await;
    assert!(map.contains("&lt;script&gt;window.__xss=2&lt;"), "the chain's name as text");
    assert!(map.contains(r#"\u003cimg src=x onerror=\"window.__xss=1\"\u003e"#), "the link in the data block");
    let province = "/dashboard?region=620000&from=2023-01-01&to=2023-10-31";
    let dashboard = body_text(app.get(province, Some(&admin)).await).await;
    assert!(dashboard.contains("&gt;&lt;script&gt;window.__xss=3&lt;"), "the region in the ranking");
    assert!(dashboard.contains(r#"\u003c/script\u003e\u003cscript\u003ewindow.__xss=3"#), "in the data block");

    // Every role that opens the map or the dashboard gets the same pages.
    for user in ["baiyin", "chain", "leader"] {
        let cookie = app.sign_in_demo(user).await;
        for path in [format!("/chains/{chain}?region=620400"), "/dashboard".into(), "/".into()] {
            let response = app.get(&path, Some(&cookie)).await;
            // Refused, or a leader's `/` (the cockpit, checked as such).
            if response.status() == StatusCode::FORBIDDEN || response.status() == StatusCode::SEE_OTHER {
                continue;
            }
            assert_eq!(response.status(), StatusCode::OK, "{user} {path}");
            assert_eq!(inline_code(&body_text(response).await), Vec::<String>::new(), "{user} {path}");
        }
    }
    let login = body_text(app.get("/login", None).await).await;
    assert_eq!(inline_code(&login), Vec::<String>::new(), "/login");
}

/// A write whose browser says it comes from another site is refused with its session
/// cookie and a valid CSRF token (security part 2, item 6): `Sec-Fetch-Site` where the
/// browser sends it, `Origin` against `Host` otherwise; same-origin writes pass.
async fn writes_from_other_sites_are_refused_whatever_cookie_they_carry(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let cookie = app.sign_in_demo("admin").await;
    let csrf = app.csrf(&cookie).await;
    let park = |name: &str, from: &[(&str, &str)]| {
        let mut request = Request::post("/reference/parks")
            .header(header::COOKIE, &cookie)
            .header(header::HOST, "zhaoshang.example")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (key, value) in from {
            request = request.header(*key, *value);
        }
        let form = serde_urlencoded::to_string([("csrf", csrf.as_str()), ("name", name), ("region_code", "620400")]);
        request.body(Body::from(form.unwrap())).unwrap()
    };
    let stamp = app.store().change_stamp().await.unwrap();
    for from in [
        &[("sec-fetch-site", "cross-site")][..],
        &[("sec-fetch-site", "same-site")],
        &[("origin", "https://evil.example")],
        &[("origin", "null")],
    ] {
        let response = app.send(park("跨站园区", from)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{from:?}");
        assert!(body_text(response).await.contains("拒绝来自其他网站的请求"));
    }
    let sign_out = Request::delete("/api/v1/session")
        .header(header::COOKIE, &cookie)
        .header("sec-fetch-site", "cross-site")
        .body(Body::empty())
        .unwrap();
    let refused = app.send(sign_out).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(body_json(refused).await["error"], "cross_site", "the API answers in JSON");
    assert_eq!(app.store().change_stamp().await.unwrap(), stamp, "nothing changed");
    assert_eq!(app.get("/api/v1/me", Some(&cookie)).await.status(), StatusCode::OK, "still signed in");

    // Reading across sites (a link from elsewhere) stays allowed; so do this site's writes.
    let followed = Request::get("/projects")
        .header(header::COOKIE, &cookie)
        .header("sec-fetch-site", "cross-site")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(followed).await.status(), StatusCode::OK);
    let same_origin = app.send(park("同源园区", &[("sec-fetch-site", "same-origin")])).await;
    assert_eq!(same_origin.status(), StatusCode::SEE_OTHER);
    let by_origin = app.send(park("同源园区二", &[("origin", "http://zhaoshang.example")])).await;
    assert_eq!(by_origin.status(), StatusCode::SEE_OTHER);
}

/// What an attacker types into a text field: closes a quoted attribute and an element,
/// then an image whose error handler runs and a script element.
const PAYLOAD: &str = r#"'"><img src=x onerror="window.__xss=9"><script>window.__xss=8</script>"#;

/// Every free-text field a user can fill, through the form or the import that fills it:
/// the label names the field and marks the text so the sweep can find it shown back.
const FIELDS: [&str; 24] = [
    "XSS活动名称",
    "XSS活动类型",
    "XSS活动地点",
    "XSS主办单位",
    "XSS企业名称",
    "XSS企业简介",
    "XSS项目名称",
    "XSS投资方",
    "XSS投资方来源地",
    "XSS来源单位",
    "XSS责任单位",
    "XSS包抓领导",
    "XSS项目问题",
    "XSS项目服务",
    "XSS下一步",
    "XSS拜访人",
    "XSS拜访纪要",
    "XSS用户姓名",
    "XSS园区名称",
    "XSS单位名称",
    "XSS假日名称",
    "XSS文件名",
    "XSS改后项目名称",
    "XSS导入批注",
];

fn hostile(label: &str) -> String {
    format!("{label}{PAYLOAD}")
}

/// The links of a page that stay in the application and show a page (not assets,
/// downloads or signing out), with `&amp;` read back as `&`.
fn page_links(html: &str) -> Vec<String> {
    html.match_indices("href=\"/")
        .filter_map(|(at, _)| {
            let start = at + "href=\"".len();
            let end = start + html[start..].find('"')?;
            Some(html[start..end].replace("&amp;", "&"))
        })
        .filter(|link| {
            !link.starts_with("/assets/")
                && !link.starts_with("/logout")
                && !link.contains("format=")
                && !link.contains(".xlsx")
                && !link.contains(".csv")
                && !link.starts_with("/import/template")
                && !link.starts_with("/import/errors")
                && !link.starts_with("/reports/monthly")
                // Documents printed to PDF (the briefing's): downloads, not pages.
                && !link.split('?').next().is_some_and(|path| path.ends_with("/pdf"))
        })
        .collect()
}

/// The shape of a link for bounding the crawl: numbers become `#`, the query is dropped.
fn link_shape(link: &str) -> String {
    let path = link.split(['?', '#']).next().unwrap_or(link);
    path.split('/')
        .map(|part| if part.bytes().all(|b| b.is_ascii_digit()) && !part.is_empty() { "#" } else { part })
        .collect::<Vec<_>>()
        .join("/")
}

/// Visits every page reachable from `seeds` by links (a few of each shape), checks each
/// for markup that runs, and returns the pages' text joined.
async fn sweep(app: &TestApp, cookie: &str, seeds: &[String]) -> (usize, String) {
    let mut queue: std::collections::VecDeque<(String, String)> =
        seeds.iter().map(|seed| (seed.clone(), "(start)".to_string())).collect();
    let mut seen: std::collections::HashSet<String> = seeds.iter().cloned().collect();
    let mut per_shape: std::collections::HashMap<String, usize> = Default::default();
    let (mut visited, mut everything) = (0, String::new());
    while let Some((link, from)) = queue.pop_front() {
        let response = app.get(&link, Some(cookie)).await;
        let status = response.status();
        assert!(status == StatusCode::OK, "{link} (a link on {from}): {status}");
        let html_page = response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|value| value.to_str().unwrap_or("").starts_with("text/html"));
        let html = body_text(response).await;
        if !html_page {
            continue;
        }
        visited += 1;
        assert_eq!(inline_code(&html), Vec::<String>::new(), "{link}");
        assert!(!html.contains("<img src=x") && !html.contains("<script>window"), "{link} holds the markup as markup");
        for next in page_links(&html) {
            let shape = link_shape(&next);
            let count = per_shape.entry(shape).or_default();
            if *count < 6 && seen.insert(next.clone()) {
                *count += 1;
                queue.push_back((next, link.clone()));
            }
        }
        everything.push_str(&html);
        assert!(visited < 600, "the crawl is bounded");
    }
    (visited, everything)
}

/// Stored XSS (security part 2, item 6): every free-text field that users fill through
/// forms and imports holds `<script>` and `"><img onerror>`; every page reachable by
/// links, as the admin and as a region user, shows them as text and has no markup that
/// runs; every field is shown back somewhere, so the sweep reached it.
async fn every_text_field_shows_hostile_text_as_text(backend: Backend) {
    let app = TestApp::demo(backend).await;
    plant_hostile_names(&app).await;
    let admin = app.sign_in_demo("admin").await;
    let csrf = app.csrf(&admin).await;
    let form = |pairs: &[(&str, String)]| {
        let mut all = vec![("csrf", csrf.clone())];
        all.extend(pairs.iter().cloned());
        serde_urlencoded::to_string(all).unwrap()
    };
    let redirected = |what: &str, status: StatusCode| assert_eq!(status, StatusCode::SEE_OTHER, "{what}");

    // Imports: an activity, an enterprise and a project signed at that activity by it.
    let credit_code = zhaoshang_core::credit_code::with_check_char("91620402MA7A0B1C2").unwrap();
    let csv_row = |cells: &[String]| {
        cells.iter().map(|cell| format!("\"{}\"", cell.replace('"', "\"\""))).collect::<Vec<_>>().join(",")
    };
    let imports = [
        (
            "activities",
            "活动名称,活动类型,开始日期,结束日期,地点,主办单位".to_string(),
            csv_row(&[
                hostile("XSS活动名称"),
                hostile("XSS活动类型"),
                "2023-05-01".into(),
                "2023-05-02".into(),
                hostile("XSS活动地点"),
                hostile("XSS主办单位"),
            ]),
        ),
        (
            "enterprises",
            "企业名称,统一社会信用代码,所属地区,行业代码,标签,简介".to_string(),
            csv_row(&[
                hostile("XSS企业名称"),
                credit_code.clone(),
                "620402".into(),
                "32".into(),
                "专精特新".into(), // tags come from the tag library
                hostile("XSS企业简介"),
            ]),
        ),
        (
            "projects",
            "项目编号,项目名称,所属地区,行业代码,投资方,投资方信用代码,投资方来源地,总投资(万元),项目阶段,签约日期,项目来源,来源单位,责任单位,包抓领导,签约活动".to_string(),
            csv_row(&[
                "XSS-0001".into(),
                hostile("XSS项目名称"),
                "620402".into(),
                "32".into(),
                hostile("XSS投资方"),
                credit_code.clone(),
                hostile("XSS投资方来源地"),
                "12000".into(),
                "签约".into(),
                "2023-05-02".into(),
                "商会".into(),
                hostile("XSS来源单位"),
                hostile("XSS责任单位"),
                hostile("XSS包抓领导"),
                hostile("XSS活动名称"),
            ]),
        ),
    ];
    for (kind, header_line, row) in imports {
        let csv = format!("{header_line}\n{row}\n");
        // A browser sends a file name's quotes as %22 in the part's header: without them here.
        let file_name = format!("{}.csv", hostile("XSS文件名").replace('"', ""));
        let response = app.send(upload_request(&admin, &csrf, kind, &file_name, csv.as_bytes())).await;
        let status = response.status();
        let body = body_text(response).await;
        assert_eq!(status, StatusCode::OK, "{kind}: {body}");
        assert!(!body.contains("\"problems\":[{"), "{kind}: {body}");
    }
    // A file with bad rows: its report quotes the hostile cells back.
    let bad = format!("项目编号,项目名称,所属地区\nXSS-0002,{},{}\n", hostile("XSS导入批注"), "999999");
    let response = app.send(upload_request(&admin, &csrf, "projects", "bad.csv", bad.as_bytes())).await;
    assert!(response.status().is_client_error() || response.status() == StatusCode::OK);
    let report = body_text(response).await;
    assert!(report.contains("999999"), "{report}");

    // Forms: the project's problems and services, a plan's next step and visit, a user,
    // a park, a department, a holiday, and the project renamed through its form.
    let projects = body_text(app.get("/projects?q=XSS-0001", Some(&admin)).await).await;
    let project = first_link(&projects, "/projects/");
    let response =
        app.post_form(&format!("{project}/problems"), &admin, &form(&[("description", hostile("XSS项目问题"))])).await;
    redirected("problem", response.status());
    let response =
        app.post_form(&format!("{project}/services"), &admin, &form(&[("service", hostile("XSS项目服务"))])).await;
    redirected("service", response.status());
    let plans = body_text(app.get("/plans", Some(&admin)).await).await;
    let plan = first_link(&plans, "/plans/");
    let plan_form = [
        ("approach", "以商招商".to_string()),
        ("next_step", hostile("XSS下一步")),
        ("due_on", "2099-02-28".into()),
        ("status", "active".into()),
    ];
    redirected("plan", app.post_form(&plan, &admin, &form(&plan_form)).await.status());
    let visit = [
        ("visited_on", "2024-05-06".to_string()),
        ("visitor", hostile("XSS拜访人")),
        ("summary", hostile("XSS拜访纪要")),
    ];
    redirected("visit", app.post_form(&format!("{plan}/visits"), &admin, &form(&visit)).await.status());
    let user = [
        ("username", "xssuser".to_string()),
        ("display_name", hostile("XSS用户姓名")),
        ("role", "leader".into()),
        ("region", String::new()),
        ("password", "a-long-enough-password".into()),
    ];
    redirected("user", app.post_form("/admin/users", &admin, &form(&user)).await.status());
    let park = [("name", hostile("XSS园区名称")), ("region_code", "620400".into()), ("level", "省级".into())];
    redirected("park", app.post_form("/reference/parks", &admin, &form(&park)).await.status());
    let department =
        [("name", hostile("XSS单位名称")), ("region_code", "620400".into()), ("kind", "投资促进机构".into())];
    redirected("department", app.post_form("/reference/departments", &admin, &form(&department)).await.status());
    let holiday = [("year", "2027".to_string()), ("lines", format!("2027-10-08 休 {}", hostile("XSS假日名称")))];
    redirected("holiday", app.post_form("/reference/calendar", &admin, &form(&holiday)).await.status());
    let edit = body_text(app.get(&format!("{project}/edit"), Some(&admin)).await).await;
    assert!(edit.contains("XSS项目名称"), "the edit form holds the name");
    let renamed = [
        ("id", project.trim_start_matches("/projects/").to_string()),
        ("code", "XSS-0001".to_string()),
        ("name", hostile("XSS改后项目名称")),
        ("region", "620402".into()),
        ("industry", "32".into()),
        ("investor", hostile("XSS投资方")),
        ("investor_credit_code", credit_code.clone()),
        ("total_investment_wan", "12000".into()),
        ("stage", "签约".into()),
        ("signed_on", "2023-05-02".into()),
        ("source", "商会".into()),
        ("source_org", hostile("XSS来源单位")),
        ("signing_activity", hostile("XSS活动名称")),
    ];
    let response = app.post_form("/projects", &admin, &form(&renamed)).await;
    let status = response.status();
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", body_text(response).await);

    let seeds: Vec<String> = [
        "/",
        "/projects?q=XSS",
        "/enterprises?q=XSS",
        "/search?q=XSS",
        "/plans",
        "/admin/audit",
        "/admin/users",
        "/reference/parks",
        "/reference/departments",
        "/reference/calendar?year=2027",
        "/import",
    ]
    .iter()
    .map(|seed| seed.to_string())
    .chain([
        format!("/search?q={}", zhaoshang_web::auth::urlencode(PAYLOAD)),
        format!("/projects?q={}", zhaoshang_web::auth::urlencode(PAYLOAD)),
        format!("/enterprises?q={}", zhaoshang_web::auth::urlencode(PAYLOAD)),
        project.clone(),
        plan.clone(),
    ])
    .collect();
    let (visited, text) = sweep(&app, &admin, &seeds).await;
    let missing: Vec<&&str> = FIELDS
        .iter()
        .filter(|label| !text.contains(**label) && **label != "XSS文件名" && **label != "XSS导入批注")
        .collect();
    assert!(missing.is_empty(), "fields never shown back to the admin over {visited} pages: {missing:?}");
    assert!(visited > 60, "{visited} pages");
    println!("stored-XSS sweep: {} fields, {visited} pages as the admin", FIELDS.len());
    // The region user's pages over the same records.
    let baiyin = app.sign_in_demo("baiyin").await;
    let (visited, text) = sweep(&app, &baiyin, &seeds[..5]).await;
    assert!(text.contains("XSS项目名称") || text.contains("XSS改后项目名称"), "the region user sees its project");
    assert!(visited > 30, "{visited} pages");
    println!("stored-XSS sweep: {visited} pages as the region user");
}
