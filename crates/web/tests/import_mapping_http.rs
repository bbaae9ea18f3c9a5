//! Column mapping in the web import (issue 17, point 6): a file whose header names a
//! column no field is called is not checked until the user maps it (or ignores it); the
//! choice is remembered, audited, for the office and that header set, so that the next
//! file of the same shape imports at once; bad choices are refused in Chinese and change
//! nothing; another office is asked for itself.

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::*;
use zhaoshang_store::audit::AuditFilter;
use zhaoshang_testkit::Backend;

on_both_backends!(a_mapped_column_is_remembered_for_the_office_and_header_set);

const USERS: &[(&str, &str, Option<&str>)] =
    &[("tianshui", "region", Some("620500")), ("maiji", "region", Some("620503"))];

/// An office's ledger calling 签约日期 `签约时间` and keeping a 备注 column.
fn ledger(rows: &[(&str, &str, &str)]) -> String {
    let mut csv = String::from("项目编号,项目名称,所属地区,总投资(万元),签约时间,备注\n");
    for (code, name, signed) in rows {
        csv.push_str(&format!("{code},{name},620503,5000,{signed},月报\n"));
    }
    csv
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

async fn a_mapped_column_is_remembered_for_the_office_and_header_set(backend: Backend) {
    let app = TestApp::with_users(backend, USERS).await;
    let tianshui = app.sign_in("tianshui").await;
    let csrf = app.csrf(&tianshui).await;
    let upload = |file: String, fields: Vec<(&'static str, &'static str)>| {
        let (cookie, csrf) = (tianshui.clone(), csrf.clone());
        let app = &app;
        async move {
            let request = upload_request_with(&cookie, &csrf, "projects", "台账.csv", file.as_bytes(), &fields);
            let response = app.send(request).await;
            (response.status(), body_json(response).await)
        }
    };
    let june = ledger(&[("TS-1", "光伏组件项目", "2024-06-03")]);

    // Asked first: the file's columns beside the fields, nothing checked or written.
    let (status, asked) = upload(june.clone(), vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let form = asked["mapping_html"].as_str().unwrap_or_else(|| panic!("{asked}"));
    assert!(form.contains(r#"name="map_4""#) && form.contains(r#"name="map_5""#), "{form}");
    assert!(!form.contains(r#"name="map_0""#), "项目编号 is recognised");
    assert!(form.contains(r#"<option value="signed_on">签约日期</option>"#), "{form}");
    assert!(form.contains("2024-06-03"), "a sample of the column");
    assert!(asked["message"].as_str().unwrap().contains("未识别的列"));
    assert!(app.store().project_by_code("TS-1").await.unwrap().is_none());

    // Bad choices are refused in Chinese and change nothing.
    let no_csrf =
        upload_request_with(&tianshui, "", "projects", "台账.csv", june.as_bytes(), &[("map_4", "signed_on")]);
    assert_eq!(app.send(no_csrf).await.status(), StatusCode::FORBIDDEN);
    for (fields, expected) in [
        (vec![("map_4", "signed_on")], "请为列“备注”选择"),
        (vec![("map_4", "name"), ("map_5", "")], "只能对应一列"),
        (vec![("map_4", "<script>"), ("map_5", "")], "不是项目表的字段"),
        (vec![("map_x", "signed_on")], "列对应“map_x”无效"),
    ] {
        let (status, body) = upload(june.clone(), fields).await;
        assert!(status.is_client_error(), "{status} {body}");
        assert!(body["message"].as_str().unwrap().contains(expected), "{body}");
    }
    assert!(app.store().project_by_code("TS-1").await.unwrap().is_none());
    let mappings = AuditFilter { entity: Some("import_mapping".into()), per_page: 50, ..Default::default() };
    assert!(app.store().audit_entries(&mappings).await.unwrap().0.is_empty());

    // Mapped: 签约时间 read as 签约日期, 备注 ignored; the choice audited.
    let (status, body) = upload(june, vec![("map_4", "signed_on"), ("map_5", "")]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["report"]["created"], 1, "{body}");
    let warnings = body["report"]["warnings"].to_string();
    assert!(
        warnings.contains("列“签约时间”按“签约日期”读取") && warnings.contains("列“备注”按列对应忽略"),
        "{warnings}"
    );
    let stored = app.store().project_by_code("TS-1").await.unwrap().unwrap();
    assert_eq!(stored.data.signed_on, Some(day("2024-06-03")));
    let (entries, _) = app.store().audit_entries(&mappings).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].action.as_str(), entries[0].actor_name.as_str()), ("create", "tianshui"));
    let after = entries[0].after_json.as_deref().unwrap();
    assert!(after.contains("签约时间") && after.contains("signed_on") && after.contains("620500"), "{after}");

    // Next month's ledger, same header: imported in one click, read the same way.
    let july = ledger(&[("TS-1", "光伏组件项目", "2024-06-03"), ("TS-2", "冷链物流项目", "2024-07-15")]);
    let (status, body) = upload(july.clone(), vec![]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.get("mapping_html").is_none(), "not asked again: {body}");
    assert_eq!((body["report"]["created"].as_u64(), body["report"]["unchanged"].as_u64()), (Some(1), Some(1)));
    assert_eq!(body["report"]["mapped_columns"][0]["field"], "签约日期", "{body}");
    let second = app.store().project_by_code("TS-2").await.unwrap().unwrap();
    assert_eq!(second.data.signed_on, Some(day("2024-07-15")));

    // Another office has its own mappings: 麦积区 is asked for itself.
    let maiji = app.sign_in("maiji").await;
    let maiji_csrf = app.csrf(&maiji).await;
    let response = app.send(upload_request(&maiji, &maiji_csrf, "projects", "台账.csv", july.as_bytes())).await;
    assert!(body_json(response).await["mapping_html"].is_string(), "麦积区 did not choose yet");

    // The page without the script: the mapping form inside the upload form.
    let page = {
        let mut request = upload_request(&maiji, &maiji_csrf, "projects", "台账.csv", july.as_bytes());
        request.headers_mut().remove(axum::http::header::ACCEPT);
        body_text(app.send(request).await).await
    };
    let form = &page[page.find(r#"id="import-form""#).unwrap()..];
    let form = &form[..form.find("</form>").unwrap()];
    assert!(form.contains(r#"id="import-mapping""#), "the choices go with the next upload: {page}");
    assert!(page.contains(r#"<option value="projects" selected>"#));
}
