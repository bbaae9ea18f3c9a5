//! Tables that read well (issue 15, point 8): amounts with thousands separators, 门类
//! above their divisions, the regions page at the user's province, Beijing time in the
//! user list, and the suspected-duplicate pairs listed once with decisions that are
//! scoped, audited and take effect.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_testkit::{on_both_backends, Backend};

const USERS: &[(&str, &str, Option<&str>)] = &[
    ("admin", "admin", None),
    ("baiyin", "region", Some("620400")),
    ("tianshui", "region", Some("620500")),
    ("leader", "leader", None),
];

async fn ok_page(app: &TestApp, cookie: &str, path: &str) -> String {
    let response = app.get(path, Some(cookie)).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    body_text(response).await
}

/// The texts of the elements opened by `start` up to the next `<`.
fn texts_after<'a>(page: &'a str, start: &str) -> Vec<&'a str> {
    page.match_indices(start)
        .map(|(i, _)| &page[i + start.len()..])
        .map(|rest| &rest[..rest.find('<').unwrap()])
        .collect()
}

/// "1,215,200.00"-style: digits grouped by three, nothing else.
fn grouped(amount: &str) -> bool {
    let whole = amount.trim().split('.').next().unwrap();
    let groups: Vec<&str> = whole.split(',').collect();
    !groups[0].is_empty()
        && groups[0].len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3)
        && whole.chars().all(|c| c.is_ascii_digit() || c == ',')
}

async fn amounts_are_grouped_and_reference_pages_open_where_the_user_works(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let projects = ok_page(&app, &admin, "/projects").await;
    let total = texts_after(&projects, r#"<strong id="total-wan">"#)[0];
    assert!(total.contains(',') && grouped(total), "the list's total: {total}");
    let cells = texts_after(&projects, "<td class=\"num\" data-wan>");
    assert!(!cells.is_empty());
    assert!(cells.iter().all(|cell| grouped(cell)), "{cells:?}");
    assert!(cells.iter().any(|cell| cell.contains(',')), "some project of 1,000 万元 or more: {cells:?}");
    let enterprises = ok_page(&app, &admin, "/enterprises").await;
    let revenue = enterprises.split("营业收入合计 <strong>").nth(1).unwrap();
    let revenue = &revenue[..revenue.find('<').unwrap()];
    assert!(revenue.contains(',') && grouped(revenue), "{revenue}");

    // 门类 C sits above its divisions 13 … 43.
    let industries = ok_page(&app, &admin, "/reference/industries").await;
    let at = |code: &str| industries.find(&format!("<code>{code}</code>")).unwrap_or_else(|| panic!("{code}"));
    assert!(at("C") < at("13") && at("13") < at("43"), "C before 13 before 43");
    assert!(at("A") < at("01") && at("01") < at("B"));

    // The regions page opens at the user's province, 全国 one click up.
    for user in ["admin", "tianshui"] {
        let cookie = app.sign_in_demo(user).await;
        let page = ok_page(&app, &cookie, "/reference/regions").await;
        assert!(page.contains(r#"<a href="/reference/regions?parent=620000">甘肃省</a>"#), "{user}: the trail");
        assert!(page.contains("<code>620100</code>") && page.contains("<code>620500</code>"), "{user}: the cities");
        let country = ok_page(&app, &cookie, "/reference/regions?parent=").await;
        assert!(country.contains("<code>620000</code>") && !country.contains("<code>620100</code>"), "{user}: 全国");
    }
}

async fn user_list_times_are_beijing_time(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let admin = app.sign_in("admin").await;
    let page = ok_page(&app, &admin, "/admin/users").await;
    let user = app.store().user_by_name("baiyin").await.unwrap().unwrap();
    let beijing = zhaoshang_core::calendar::china_time(user.created_at).format("%Y-%m-%d %H:%M").to_string();
    let utc = user.created_at.format("%Y-%m-%d %H:%M").to_string();
    assert_ne!(beijing, utc);
    assert!(page.contains(&format!("<td>{beijing}</td>")), "{beijing} in {page}");
    assert!(!page.contains(&format!("<td>{utc}</td>")));
}

/// Saves a project through the form as `user`; its id.
async fn project(app: &TestApp, user: &str, code: &str, name: &str, region: &str, credit_code: &str) -> i64 {
    let cookie = app.sign_in(user).await;
    let csrf = app.csrf(&cookie).await;
    let form = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("code", code),
        ("name", name),
        ("region", region),
        ("investor", "某某铝业有限公司"),
        ("investor_credit_code", credit_code),
        ("total_investment_wan", "120000"),
    ])
    .unwrap();
    let response = app.post_form("/projects", &cookie, &form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{}", body_text(response).await);
    app.store().project_by_code(code).await.unwrap().unwrap().id
}

/// The (own, other) project ids of each row of the duplicate list.
fn pairs(page: &str) -> Vec<(String, String)> {
    let table = &page[page.find(r#"id="duplicates-table""#).unwrap()..];
    table
        .split("<tr>")
        .skip(2)
        .filter_map(|row| {
            let ids: Vec<&str> = row
                .match_indices(r#"name="own" value=""#)
                .chain(row.match_indices(r#"name="other" value=""#))
                .map(|(i, m)| &row[i + m.len()..])
                .map(|rest| &rest[..rest.find('"').unwrap()])
                .collect();
            (ids.len() == 2).then(|| (ids[0].to_string(), ids[1].to_string()))
        })
        .collect()
}

async fn duplicate_pairs_are_listed_once_and_decided_within_scope(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let credit_code = zhaoshang_core::credit_code::with_check_char("91620402MA0000007").unwrap();
    let baiyin_project = project(&app, "baiyin", "BY-DUP-1", "年产30万吨铝板坯项目", "620402", &credit_code).await;
    let tianshui_project = project(&app, "tianshui", "TS-DUP-1", "30万吨铝板坯建设项目", "620502", &credit_code).await;
    let unrelated = project(&app, "baiyin", "BY-OTHER-1", "文旅小镇", "620402", "").await;

    let admin = app.sign_in("admin").await;
    let listed = pairs(&ok_page(&app, &admin, "/projects/duplicates").await);
    assert_eq!(listed.len(), 1, "the pair once, not once from each side: {listed:?}");
    let mut ids = [listed[0].0.parse::<i64>().unwrap(), listed[0].1.parse::<i64>().unwrap()];
    ids.sort();
    assert_eq!(ids, [baiyin_project.min(tianshui_project), baiyin_project.max(tianshui_project)]);
    let baiyin = app.sign_in("baiyin").await;
    assert_eq!(
        pairs(&ok_page(&app, &baiyin, "/projects/duplicates").await),
        [(baiyin_project.to_string(), tianshui_project.to_string())]
    );

    let decide = |cookie: String, own: i64, other: i64, decision: &'static str| {
        let app = &app;
        async move {
            let csrf = app.csrf(&cookie).await;
            let form = format!("csrf={csrf}&own={own}&other={other}&decision={decision}");
            app.post_form("/projects/duplicates/decision", &cookie, &form).await
        }
    };
    // Out of scope, not a pair, read-only, no token: refused, nothing recorded.
    let tianshui = app.sign_in("tianshui").await;
    assert_eq!(decide(tianshui, baiyin_project, tianshui_project, "different").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(decide(baiyin.clone(), baiyin_project, unrelated, "different").await.status(), StatusCode::NOT_FOUND);
    let leader = app.sign_in("leader").await;
    assert_eq!(decide(leader, baiyin_project, tianshui_project, "different").await.status(), StatusCode::FORBIDDEN);
    let forged = format!("own={baiyin_project}&other={tianshui_project}&decision=different&csrf=forged");
    assert_eq!(app.post_form("/projects/duplicates/decision", &baiyin, &forged).await.status(), StatusCode::FORBIDDEN);
    let unknown = decide(baiyin.clone(), baiyin_project, tianshui_project, "maybe").await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert!(body_text(unknown).await.contains("未知的认定结果“maybe”"));
    assert!(app.store().duplicate_decisions().await.unwrap().is_empty());

    // 白银 hands it to the province: still listed, for the administrator too, marked.
    assert_eq!(
        decide(baiyin.clone(), baiyin_project, tianshui_project, "province").await.status(),
        StatusCode::SEE_OTHER
    );
    let province = ok_page(&app, &admin, "/projects/duplicates").await;
    assert_eq!(pairs(&province).len(), 1);
    assert!(province.contains("已提交省级统筹"));
    let audit = ok_page(&app, &admin, "/admin/audit?entity=duplicate_pair").await;
    assert!(audit.contains("疑似重复项目") && audit.contains("baiyin"), "audited");

    // The province finds them different projects: the pair leaves every list.
    assert_eq!(
        decide(admin.clone(), tianshui_project, baiyin_project, "different").await.status(),
        StatusCode::SEE_OTHER
    );
    for cookie in [&admin, &baiyin] {
        let page = ok_page(&app, cookie, "/projects/duplicates").await;
        assert!(pairs(&page).is_empty() && page.contains("没有发现疑似重复的项目"));
    }
    let decisions = app.store().duplicate_decisions().await.unwrap();
    let key = (baiyin_project.min(tianshui_project), baiyin_project.max(tianshui_project));
    assert_eq!(decisions.get(&key).map(String::as_str), Some("different"));
    let audit = ok_page(&app, &admin, "/admin/audit?entity=duplicate_pair").await;
    assert!(audit.matches("疑似重复项目").count() >= 2, "both decisions audited");
}

on_both_backends!(
    amounts_are_grouped_and_reference_pages_open_where_the_user_works,
    user_list_times_are_beijing_time,
    duplicate_pairs_are_listed_once_and_decided_within_scope,
);
