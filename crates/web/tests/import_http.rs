//! The web import of offices' own sheets: a ledger without 项目编号 gets its codes from
//! the form's 自动编号前缀 (and is refused in Chinese without it), the report lists the
//! codes and counts the skipped rows; the page's bar follows the server's checking and
//! writing of the rows, for the importing user only.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_testkit::Backend;

on_both_backends!(
    a_ledger_without_codes_imports_with_the_forms_prefix,
    the_page_follows_the_servers_checking_and_writing
);

/// A county's ledger: title, units line, 序号, no 项目编号, a 合计 row and a note.
fn ledger(rows: &[(&str, &str)]) -> String {
    let mut csv = String::from("2024年麦积区招商项目台账\n,,单位：亿元\n序号,项目名称,所属地区,投资方,总投资\n");
    for (i, (name, investor)) in rows.iter().enumerate() {
        csv.push_str(&format!("{},{name},620503,{investor},1.5\n", i + 1));
    }
    csv.push_str(&format!("合计,,,,{}\n注：金额单位为亿元\n", 1.5 * rows.len() as f64));
    csv
}

async fn a_ledger_without_codes_imports_with_the_forms_prefix(backend: Backend) {
    let app = TestApp::with_users(backend, &[("admin1", "admin", None)]).await;
    let admin = app.sign_in("admin1").await;
    let csrf = app.csrf(&admin).await;
    let form = body_text(app.get("/import", Some(&admin)).await).await;
    assert!(form.contains(r#"name="assign_codes""#) && form.contains(".xls,.ods"), "the form offers both");

    let file = ledger(&[("光伏组件项目", "甲能源公司"), ("冷链物流项目", "乙物流公司")]);
    let refused =
        body_json(app.send(upload_request(&admin, &csrf, "projects", "台账.csv", file.as_bytes())).await).await;
    let message = refused["report"]["problems"][0]["message"].as_str().unwrap();
    assert!(message.contains("自动编号前缀"), "{refused}");
    assert!(app.store().project_codes_starting_with("WEB-").await.unwrap().is_empty());

    let prefix = [("assign_codes", "WEB")];
    let response = app.send(upload_request_with(&admin, &csrf, "projects", "台账.csv", file.as_bytes(), &prefix)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = body_json(response).await;
    let report = &body["report"];
    assert_eq!((report["created"].as_u64(), report["skipped"].as_u64()), (Some(2), Some(2)), "{body}");
    let codes: Vec<(&str, bool)> = report["assigned_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["code"].as_str().unwrap(), c["existing"].as_bool().unwrap()))
        .collect();
    assert_eq!(codes, [("WEB-0001", false), ("WEB-0002", false)]);
    let stored = app.store().projects_by_codes(&["WEB-0002".into()]).await.unwrap();
    assert_eq!(stored[0].data.name, "冷链物流项目");
    assert_eq!(stored[0].data.total_investment, 150_000_000, "1.5 亿元 in yuan");

    // Next month's ledger, one project more: the known ones keep their codes.
    let next =
        ledger(&[("光伏组件项目", "甲能源公司"), ("冷链物流项目", "乙物流公司"), ("数据中心项目", "丙科技公司")]);
    let body =
        body_json(app.send(upload_request_with(&admin, &csrf, "projects", "台账.csv", next.as_bytes(), &prefix)).await)
            .await;
    let codes: Vec<&str> =
        body["report"]["assigned_codes"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["WEB-0001", "WEB-0002", "WEB-0003"]);
    assert_eq!(body["report"]["created"], 1, "{body}");
    assert!(body["summary"].as_str().unwrap().contains("跳过 2 行"), "{body}");
}

async fn the_page_follows_the_servers_checking_and_writing(backend: Backend) {
    let app = TestApp::with_users(backend, &[("admin1", "admin", None), ("admin2", "admin", None)]).await;
    let admin = app.sign_in("admin1").await;
    let csrf = app.csrf(&admin).await;
    let form = body_text(app.get("/import", Some(&admin)).await).await;
    assert!(form.contains(r#"name="progress""#), "the form carries the upload's progress token");

    let token = "00112233445566778899aabbccddeeff";
    let unknown = app.get(&format!("/import/progress/{token}"), Some(&admin)).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND, "no import with that token yet");
    let rows: String = (1..=120).map(|i| format!("PR-{i:03},进度项目{i},620503,洽谈\n")).collect();
    let file = format!("项目编号,项目名称,所属地区,项目阶段\n{rows}");
    let fields = [("progress", token)];
    let response = app.send(upload_request_with(&admin, &csrf, "projects", "进度.csv", file.as_bytes(), &fields)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(body_json(response).await["report"]["created"], 120);

    let progress = body_json(app.get(&format!("/import/progress/{token}"), Some(&admin)).await).await;
    assert_eq!(progress, serde_json::json!({ "stage": "写入", "done": 120, "total": 120 }));
    let other = app.sign_in("admin2").await;
    let theirs = app.get(&format!("/import/progress/{token}"), Some(&other)).await;
    assert_eq!(theirs.status(), StatusCode::NOT_FOUND, "another user does not see it");

    let bad = [("progress", "not-a-token")];
    let refused = app.send(upload_request_with(&admin, &csrf, "projects", "进度.csv", file.as_bytes(), &bad)).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let refused = app.get("/import/progress/XYZ", Some(&admin)).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
}
