//! Chamber pages over HTTP on the demo data: the registry with its filters and paging, a
//! chamber's page, the assessment with its weights, gaps and XLSX download, and a
//! chambers file imported through the web; the roles that may not open them get 403.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_app::exchange::read_sheet;
use zhaoshang_testkit::Backend;

on_both_backends!(registry_pages_and_the_assessment, a_chambers_file_imports_through_the_web);

async fn registry_pages_and_the_assessment(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;

    let list = body_text(app.get("/chambers?kind=异地甘肃商会", Some(&admin)).await).await;
    assert!(list.contains(r#"<strong id="total-count">38</strong>"#), "the 38 Gansu chambers elsewhere");
    assert!(list.contains("上海市甘肃商会") && !list.contains("甘肃省浙江商会"));
    let abroad = body_text(app.get("/chambers?location=境外", Some(&admin)).await).await;
    assert!(abroad.contains("甘肃香港商会") && !abroad.contains("上海市甘肃商会"));
    let by_place = body_text(app.get("/chambers?location=440000&q=甘肃", Some(&admin)).await).await;
    assert!(by_place.contains("广东省甘肃商会") && by_place.contains("深圳市甘肃商会"));
    let all = body_text(app.get("/chambers", Some(&admin)).await).await;
    assert!(all.contains(r#"id="next-page""#), "more than a page: {}", all.len());
    let second = app.get("/chambers?page=2", Some(&admin)).await;
    assert_eq!(second.status(), StatusCode::OK);
    assert_eq!(app.get("/chambers?kind=俱乐部", Some(&admin)).await.status(), StatusCode::BAD_REQUEST);

    // A chamber the pipeline's 来源单位 names: its projects and funds.
    let chamber =
        app.store().all_chambers().await.unwrap().into_iter().find(|c| c.data.name == "甘肃省工商业联合会").unwrap();
    let page = body_text(app.get(&format!("/chambers/{}", chamber.id), Some(&admin)).await).await;
    assert!(page.contains("甘肃省工商业联合会") && page.contains("/projects/"), "attributed projects are listed");
    assert_eq!(app.get("/chambers/999999999", Some(&admin)).await.status(), StatusCode::NOT_FOUND);

    let assessment = body_text(app.get("/chambers/assessment?year=2023", Some(&admin)).await).await;
    assert!(assessment.contains("2023 年度先进商会评价"));
    assert!(assessment.contains(r#"data-weight="funds_in_place_wan">到位资金 0.30"#), "the weights are shown");
    let report = zhaoshang_app::chambers::assessment(app.store(), 2023).await.unwrap();
    assert_eq!(report.items.len(), app.store().all_chambers().await.unwrap().len());
    let second = &report.items[1];
    assert!(assessment.contains(&format!("{:.2}", second.gap.unwrap())), "the gap to the rank above");
    assert_eq!(app.get("/chambers/assessment?year=二〇二三", Some(&admin)).await.status(), StatusCode::BAD_REQUEST);

    let download = app.get("/chambers/assessment?year=2023&format=xlsx", Some(&admin)).await;
    assert_eq!(download.status(), StatusCode::OK);
    let bytes = body_bytes(download).await;
    let sheet = read_sheet("a.xlsx", &bytes).unwrap();
    assert_eq!(sheet.headers[..3], ["名次", "商会名称", "提供线索"]);
    assert_eq!(sheet.rows.len(), report.items.len());
    assert_eq!(sheet.rows[0].cells[1], report.items[0].chamber);

    let tianshui = app.sign_in_demo("tianshui").await;
    assert_eq!(app.get("/chambers/assessment", Some(&tianshui)).await.status(), StatusCode::OK);
    let own = body_text(app.get(&format!("/chambers/{}", chamber.id), Some(&tianshui)).await).await;
    assert!(!own.contains("GS-6201-"), "a region user sees only its own region's projects of a chamber");
    for role in ["member", "liaison", "reviewer", "investor"] {
        let cookie = app.sign_in_demo(role).await;
        assert_eq!(app.get("/chambers", Some(&cookie)).await.status(), StatusCode::FORBIDDEN, "{role}");
        assert_eq!(app.get("/chambers/assessment", Some(&cookie)).await.status(), StatusCode::FORBIDDEN, "{role}");
    }
}

async fn a_chambers_file_imports_through_the_web(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let csrf = app.csrf(&admin).await;
    let file =
        "商会名称,商会类型,所在地,级别,招商联络处,会员企业数\n伦敦甘肃商会,境外商协会,境外：英国 伦敦,国家级,是,45\n";
    let response = app.send(upload_request(&admin, &csrf, "chambers", "c.csv", file.as_bytes())).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = body_json(response).await;
    assert_eq!(body["report"]["created"], 1, "{body}");
    let list = body_text(app.get("/chambers?q=伦敦", Some(&admin)).await).await;
    assert!(list.contains("伦敦甘肃商会") && list.contains("境外：英国 伦敦"));

    // A region user adds chambers but does not change the stored ones.
    let tianshui = app.sign_in_demo("tianshui").await;
    let csrf = app.csrf(&tianshui).await;
    let change = "商会名称,会员企业数\n伦敦甘肃商会,46\n";
    let body =
        body_json(app.send(upload_request(&tianshui, &csrf, "chambers", "c.csv", change.as_bytes())).await).await;
    assert!(body["report"]["problems"][0]["message"].as_str().unwrap().contains("只有管理员"), "{body}");
    let template = app.get("/import/template/chambers", Some(&admin)).await;
    assert_eq!(template.status(), StatusCode::OK);
}
