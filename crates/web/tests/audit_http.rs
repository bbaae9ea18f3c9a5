//! The audit log as an auditor reads it: who did what to which record in Chinese, each
//! changed field before and after, filters by person, kind of record, record and period.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_testkit::Backend;

on_both_backends!(a_project_edit_reads_field_by_field_and_the_filters_find_it);

const USERS: &[(&str, &str, Option<&str>)] =
    &[("admin", "admin", None), ("baiyin", "region", Some("620400")), ("tianshui", "region", Some("620500"))];

/// The log's table, without the filter form (whose options name every key).
fn log_table(page: &str) -> &str {
    let start = page.find("id=\"audit-table\"").expect("the log's table");
    &page[start..]
}

/// The rows of the log's table, each as its text without tags.
fn rows(page: &str) -> Vec<String> {
    log_table(page)
        .split("<tr data-entry=")
        .skip(1)
        .map(|row| strip_tags(row).chars().filter(|c| !c.is_whitespace()).collect())
        .collect()
}

async fn a_project_edit_reads_field_by_field_and_the_filters_find_it(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let baiyin = app.sign_in("baiyin").await;
    let csrf = app.csrf(&baiyin).await;
    let form = |name: &str, wan: &str, id: Option<i64>| {
        let id = id.map(|id| format!("&id={id}")).unwrap_or_default();
        format!(
            "csrf={csrf}&code=BY-%25-1&name={}&region=620402&total_investment_wan={wan}{id}",
            zhaoshang_web::auth::urlencode(name)
        )
    };
    assert_eq!(
        app.post_form("/projects", &baiyin, &form("铜箔项目", "52000", None)).await.status(),
        StatusCode::SEE_OTHER
    );
    let project = app.store().project_by_code("BY-%-1").await.unwrap().expect("saved");
    let edited = app.post_form("/projects", &baiyin, &form("高端铜箔项目", "52000.5", Some(project.id))).await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    let tianshui = app.sign_in("tianshui").await;
    let csrf = app.csrf(&tianshui).await;
    let other = format!("csrf={csrf}&code=TS-1&name=%E8%8B%B9%E6%9E%9C&region=620502");
    assert_eq!(app.post_form("/projects", &tianshui, &other).await.status(), StatusCode::SEE_OTHER);

    let admin = app.sign_in("admin").await;
    let page = body_text(app.get("/admin/audit?entity=project", Some(&admin)).await).await;
    let found = rows(&page);
    assert_eq!(found.len(), 3, "two saves of BY-%-1 and one of TS-1: {found:?}");
    // Newest first: tianshui's creation, then baiyin's edit with only what changed.
    assert!(found[0].contains("tianshui") && found[0].contains("新建") && found[0].contains("TS-1"), "{}", found[0]);
    let edit = &found[1];
    assert!(
        edit.contains("baiyin") && edit.contains("修改") && edit.contains("项目") && edit.contains("BY-%-1"),
        "{edit}"
    );
    assert!(edit.contains("名称：铜箔项目→高端铜箔项目"), "the name before and after: {edit}");
    assert!(edit.contains("总投资：52000.00万元→52000.50万元"), "money in 万元, exactly: {edit}");
    assert!(!edit.contains("所属地区"), "an unchanged field is not listed: {edit}");
    assert!(!log_table(&page).contains("{&quot;") && !log_table(&page).contains("{\""), "no raw JSON");
    assert!(!log_table(&page).contains(">update<") && !log_table(&page).contains(">project<"), "no English keys");

    // By record: the LIKE wildcard in the code is taken as text.
    let by_record = rows(&body_text(app.get("/admin/audit?record=%25-1", Some(&admin)).await).await);
    assert_eq!(by_record.len(), 2, "{by_record:?}");
    assert!(by_record.iter().all(|row| row.contains("BY-%-1")));
    let none = body_text(app.get("/admin/audit?record=%25%25", Some(&admin)).await).await;
    assert!(rows(&none).is_empty() && none.contains("没有符合条件的记录"));
    // By person and action: tianshui's sign-in and creation, and nobody else's.
    let by_person = rows(&body_text(app.get("/admin/audit?actor=tianshui", Some(&admin)).await).await);
    assert_eq!(by_person.len(), 2, "{by_person:?}");
    assert!(by_person.iter().all(|row| row.contains("tianshui")));
    assert!(by_person.iter().any(|row| row.contains("登录") && row.contains("登录会话")), "{by_person:?}");
    // By period (Beijing dates): nothing before today.
    let before = rows(&body_text(app.get("/admin/audit?to=2020-01-01", Some(&admin)).await).await);
    assert!(before.is_empty(), "{before:?}");

    // The export: a row per changed field, with the filters of the page.
    let csv = app.get("/admin/audit?entity=project&record=BY-&format=csv", Some(&admin)).await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = body_text(csv).await;
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "时间,操作人,操作,对象,记录,说明,字段,变更前,变更后");
    let tails: Vec<String> =
        lines[1..].iter().map(|line| line.split(',').skip(6).collect::<Vec<_>>().join("|")).collect();
    assert!(tails.contains(&"名称|铜箔项目|高端铜箔项目".to_string()), "{tails:?}");
    assert!(tails.contains(&"总投资|52000.00 万元|52000.50 万元".to_string()), "{tails:?}");
    assert!(lines[1..].iter().all(|line| line.contains("BY-%-1") && line.contains("baiyin")), "{lines:?}");
    let xlsx = app.get("/admin/audit?format=xlsx", Some(&admin)).await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(body_bytes(xlsx).await.starts_with(b"PK"), "a workbook");
    assert_eq!(app.get("/admin/audit?format=pdf", Some(&admin)).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get("/admin/audit?format=csv", Some(&baiyin)).await.status(), StatusCode::FORBIDDEN);

    assert_eq!(app.get("/admin/audit", Some(&baiyin)).await.status(), StatusCode::FORBIDDEN);
    let bad = app.get("/admin/audit?from=yesterday", Some(&admin)).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(body_text(bad).await.contains("开始日期"));
}
