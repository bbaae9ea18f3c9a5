//! Chamber pages over HTTP on the demo data: the registry with its filters and paging, a
//! chamber's page, the assessment with its weights, gaps and XLSX download, and a
//! chambers file imported through the web; the roles that may not open them get 403.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_app::exchange::read_sheet;
use zhaoshang_testkit::Backend;

on_both_backends!(
    registry_pages_and_the_assessment,
    a_chambers_file_imports_through_the_web,
    the_map_counts_chambers_by_province_and_abroad_apart
);

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

/// The number of chambers a registry page lists in all.
fn total_count(page: &str) -> i64 {
    let at = page.find(r#"<strong id="total-count">"#).unwrap() + r#"<strong id="total-count">"#.len();
    page[at..at + page[at..].find('<').unwrap()].parse().unwrap()
}

/// The map's data block of a registry page.
fn map_data(page: &str) -> serde_json::Value {
    let start = page.find(r#"id="chamber-map-data">"#).unwrap() + r#"id="chamber-map-data">"#.len();
    serde_json::from_str(&page[start..start + page[start..].find("</script>").unwrap()]).unwrap()
}

/// The registry's map of China (issue 18, point 1): each province's count of the chambers
/// the other filters keep, abroad listed apart, all adding up to the list's total; a
/// province's link filters the list to exactly its count.
async fn the_map_counts_chambers_by_province_and_abroad_apart(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let page = body_text(app.get("/chambers", Some(&admin)).await).await;
    let data = map_data(&page);
    let provinces = data["provinces"].as_array().unwrap();
    let on_map: i64 = provinces.iter().map(|p| p["value"].as_i64().unwrap()).sum();
    let chambers = app.store().all_chambers().await.unwrap();
    let abroad = chambers.iter().filter(|c| c.data.location.starts_with("境外")).count() as i64;
    let unplaced = chambers.iter().filter(|c| c.data.location.is_empty()).count() as i64;
    assert!(abroad >= 2 && provinces.len() >= 30, "{abroad} abroad, {} provinces", provinces.len());
    assert_eq!(on_map + abroad + unplaced, total_count(&page), "every chamber is counted once");
    assert!(page.contains(&format!(r#"id="abroad-total">{abroad} 家</a>"#)));
    assert!(
        page.contains("<span>香港</span> <strong>1</strong> 家")
            && page.contains("<span>澳门</span> <strong>1</strong> 家")
    );
    let shanghai = provinces.iter().find(|p| p["code"] == "310000").unwrap();
    assert_eq!(shanghai["name"], "上海市");
    assert_eq!(shanghai["href"], "/chambers?location=310000");
    let listed = body_text(app.get("/chambers?location=310000", Some(&admin)).await).await;
    assert_eq!(total_count(&listed), shanghai["value"].as_i64().unwrap(), "the province's link lists its count");
    let gansu = provinces.iter().find(|p| p["code"] == "620000").unwrap();
    assert!(gansu["value"].as_i64().unwrap() > 100, "the province's own chambers");

    // The other filters narrow the map and stay in its links; the location does not narrow it.
    let kind = body_text(app.get("/chambers?kind=异地甘肃商会&location=310000", Some(&admin)).await).await;
    let data = map_data(&kind);
    let provinces = data["provinces"].as_array().unwrap();
    assert_eq!(
        provinces.iter().map(|p| p["value"].as_i64().unwrap()).sum::<i64>(),
        38,
        "the 38 Gansu chambers elsewhere"
    );
    assert!(provinces.iter().all(|p| p["code"] != "620000"));
    let guangdong = provinces.iter().find(|p| p["code"] == "440000").unwrap();
    assert_eq!(guangdong["value"], 3, "广东省, 深圳市 and 东莞市's chambers");
    let href = guangdong["href"].as_str().unwrap();
    assert_eq!(href, "/chambers?location=440000&kind=%E5%BC%82%E5%9C%B0%E7%94%98%E8%82%83%E5%95%86%E4%BC%9A");
    assert_eq!(total_count(&body_text(app.get(href, Some(&admin)).await).await), 3);

    // A place abroad as an import could write it is text on the page, not markup.
    let hostile = zhaoshang_store::chambers::ChamberData {
        name: "境外测试商会".into(),
        location: format!("境外：{HOSTILE_LINK}"),
        ..Default::default()
    };
    app.store().upsert_chambers(&[hostile], &zhaoshang_store::Actor::system("测试")).await.unwrap();
    let page = body_text(app.get("/chambers", Some(&admin)).await).await;
    assert!(!page.contains(HOSTILE_LINK) && page.contains("&lt;img src=x onerror="), "escaped");
    assert!(page.contains(&format!(r#"id="abroad-total">{} 家</a>"#, abroad + 1)));
}
