//! Chamber pages over HTTP on the demo data: the registry with its filters and paging, a
//! chamber's page, the assessment with its weights, gaps and XLSX download, and a
//! chambers file imported through the web; the roles that may not open them get 403. The
//! network's report reads the seeds' federation figures of January–May 2023 from the demo,
//! as a plain count of the stored rows does.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_app::exchange::read_sheet;
use zhaoshang_store::weights::CHAMBER_WEIGHTS;
use zhaoshang_testkit::Backend;

on_both_backends!(
    registry_pages_and_the_assessment,
    a_chambers_file_imports_through_the_web,
    the_map_counts_chambers_by_province_and_abroad_apart,
    attribution_figures_drill_down_to_their_projects,
    weights_are_versioned_and_a_published_year_stays,
    the_network_report_reads_the_federations_figures_of_may_2023
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

/// The cell of `figure` in the row of `name` of the attribution page: its link (HTML
/// entities undone) and its text.
fn figure_cell(page: &str, name: &str, figure: &str) -> (String, String) {
    let row_start = page.find(&format!(r#"<tr data-name="{name}">"#)).unwrap_or_else(|| panic!("no row of {name}"));
    let row = &page[row_start..row_start + page[row_start..].find("</tr>").unwrap()];
    let cell = &row[row.find(&format!(r#"data-figure="{figure}">"#)).unwrap()..];
    let href_start = cell.find(r#"href=""#).unwrap() + 6;
    let href = cell[href_start..href_start + cell[href_start..].find('"').unwrap()].replace("&amp;", "&");
    let text_start = cell.find("\">").map(|i| i + 2).unwrap();
    let text_start = text_start + cell[text_start..].find('>').unwrap() + 1;
    let text = cell[text_start..text_start + cell[text_start..].find('<').unwrap()].to_string();
    (href, text)
}

/// The text of the element `id` of a page.
fn element_text(page: &str, id: &str) -> String {
    let start = page.find(&format!(r#"id="{id}">"#)).unwrap() + id.len() + 6;
    page[start..start + page[start..].find('<').unwrap()].to_string()
}

async fn attribution_figures_drill_down_to_their_projects(backend: Backend) {
    use zhaoshang_core::money::Yuan;
    use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let (from, to) =
        (chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(), chrono::NaiveDate::from_ymd_opt(2023, 12, 31).unwrap());
    let page =
        body_text(app.get("/chambers/attribution?region=620000&from=2023-01-01&to=2023-12-31", Some(&admin)).await)
            .await;
    let organisation = "甘肃省工商业联合会";

    // The funds of the organisation, added up here from its projects' funding records.
    let filter = ProjectFilter { source_org: Some(organisation.into()), ..Default::default() };
    let projects = app.store().list_projects(&filter, ProjectSort::Code, 10_000, 0).await.unwrap();
    assert!(!projects.is_empty());
    let mut expected = 0;
    for project in &projects {
        let funding = app.store().funding_of_project(project.id).await.unwrap();
        expected += funding.iter().filter(|f| f.funded_on >= from && f.funded_on <= to).map(|f| f.amount).sum::<i64>();
    }
    assert!(expected > 0, "the demo's federation has funds in 2023");
    let (href, shown) = figure_cell(&page, organisation, "funds_in_place_wan");
    assert_eq!(shown.replace(',', ""), Yuan(expected).wan_string(), "the page's funds are its projects'");
    let funding = body_text(app.get(&href, Some(&admin)).await).await;
    assert_eq!(
        element_text(&funding, "total-wan"),
        Yuan(expected).wan_display(),
        "the drill-down lists the same funds"
    );

    // The signed projects drill down to as many projects.
    let (href, shown) = figure_cell(&page, organisation, "signed_count");
    let signed = projects
        .iter()
        .filter(|p| p.data.stage != "dropped" && p.data.signed_on.is_some_and(|d| d >= from && d <= to))
        .count();
    assert_eq!(shown, signed.to_string());
    let list = body_text(app.get(&href, Some(&admin)).await).await;
    assert_eq!(element_text(&list, "total-count"), signed.to_string());
    assert!(list.contains(organisation), "the list says which organisation it is of");

    // The totals row and the download: a row per organisation and the totals.
    assert!(page.contains(r#"id="attribution-total""#));
    let rows = page.matches("<tr data-name=").count();
    let download =
        app.get("/chambers/attribution?region=620000&from=2023-01-01&to=2023-12-31&format=xlsx", Some(&admin)).await;
    assert_eq!(download.status(), StatusCode::OK);
    let sheet = read_sheet("a.xlsx", &body_bytes(download).await).unwrap();
    // A report: its title line above the column headers, then a row per organisation and the totals.
    assert!(sheet.headers[0].contains("招商引资来源归属统计"), "{:?}", sheet.headers);
    let names: Vec<&str> = sheet.rows.iter().map(|row| row.cells[0].as_str()).collect();
    assert_eq!((names[0], names.len()), ("来源单位", rows + 2));
    assert!(names[1..rows + 1].iter().all(|name| page.contains(&format!(r#"<tr data-name="{name}">"#))));
    assert_eq!(sheet.rows.last().unwrap().cells[0], "合计");

    // By source (项目来源), and bad requests.
    let by_source = body_text(
        app.get("/chambers/attribution?by=source&region=620000&from=2023-01-01&to=2023-12-31", Some(&admin)).await,
    )
    .await;
    assert!(by_source.contains(r#"<tr data-name="以商招商">"#), "the demo's sources are rows");
    for bad in ["by=chamber", "from=2023-12-31&to=2023-01-01", "from=2023-13-01"] {
        let response = app.get(&format!("/chambers/attribution?{bad}"), Some(&admin)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    // A region user: its own region only.
    let tianshui = app.sign_in_demo("tianshui").await;
    assert_eq!(app.get("/chambers/attribution?region=620400", Some(&tianshui)).await.status(), StatusCode::FORBIDDEN);
    let own = body_text(app.get("/chambers/attribution", Some(&tianshui)).await).await;
    assert!(own.contains("天水市"), "its own region by default");
}

async fn weights_are_versioned_and_a_published_year_stays(backend: Backend) {
    use zhaoshang_store::AuditFilter;
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let admin = app.sign_in_demo("admin").await;
    let csrf = app.csrf(&admin).await;
    let weights = |csrf: &str, values: [&str; 5]| {
        format!(
            "csrf={csrf}&leads={}&signed_count={}&signed_investment_wan={}&funds_in_place_wan={}&activities={}&year=2023",
            values[0], values[1], values[2], values[3], values[4]
        )
    };
    let before = zhaoshang_app::chambers::assessment(store, 2023).await.unwrap();

    // Refused: without the form's token, by another role, weights not adding up to 1.
    let forged =
        app.post_form("/chambers/assessment/weights", &admin, &weights("x", ["0.2", "0.2", "0.2", "0.2", "0.2"])).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let tianshui = app.sign_in_demo("tianshui").await;
    let own_csrf = app.csrf(&tianshui).await;
    let other = app
        .post_form("/chambers/assessment/weights", &tianshui, &weights(&own_csrf, ["0.2", "0.2", "0.2", "0.2", "0.2"]))
        .await;
    assert_eq!(other.status(), StatusCode::FORBIDDEN);
    let bad = app
        .post_form("/chambers/assessment/weights", &admin, &weights(&csrf, ["0.2", "0.2", "0.25", "0.3", "0.1"]))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(bad).await.contains("五项权重之和应为 1，现为 1.05"));
    let negative = app
        .post_form("/chambers/assessment/weights", &admin, &weights(&csrf, ["-0.1", "0.3", "0.25", "0.45", "0.1"]))
        .await;
    assert_eq!(negative.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(store.weight_versions(&CHAMBER_WEIGHTS).await.unwrap().is_empty(), "nothing was stored");

    // Publishing 2023 under the defaults keeps its result.
    let published = app.post_form("/chambers/assessment/publish", &admin, &format!("csrf={csrf}&year=2023")).await;
    assert_eq!(published.status(), StatusCode::SEE_OTHER);
    let again = app.post_form("/chambers/assessment/publish", &admin, &format!("csrf={csrf}&year=2023")).await;
    assert_eq!(again.status(), StatusCode::CONFLICT, "a year is published once");

    // New weights: a version, audited, in force for `stats chambers`.
    let saved = app.post_form("/chambers/assessment/weights", &admin, &weights(&csrf, ["1", "0", "0", "0", "0"])).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let versions = store.weight_versions(&CHAMBER_WEIGHTS).await.unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!((versions[0].units, versions[0].created_by.as_str()), ([10_000, 0, 0, 0, 0], "admin"));
    let audit = AuditFilter { entity: Some("chamber_weights".into()), page: 1, per_page: 10, ..Default::default() };
    let (entries, _) = store.audit_entries(&audit).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor_name, "admin");
    let now = zhaoshang_app::chambers::assessment(store, 2023).await.unwrap();
    assert_eq!(now.weights.0, [1.0, 0.0, 0.0, 0.0, 0.0]);
    let most_leads = before.items.iter().map(|item| item.leads).max().unwrap();
    assert_eq!(now.items[0].leads, most_leads, "ranked by leads alone now");

    // The published year still shows its published result, and says today's differs.
    let page = body_text(app.get("/chambers/assessment?year=2023", Some(&admin)).await).await;
    assert!(page.contains(r#"id="assessment-published""#) && page.contains("权重为默认值"));
    assert!(page.contains(r#"data-weight="funds_in_place_wan">到位资金 0.30"#), "the published weights");
    let first = format!(r#"<tr data-rank="1"><td class="num">1</td><td>{}"#, before.items[0].chamber);
    assert!(page.contains(&first), "the published order");
    assert!(!page.contains(r#"id="assessment-differs""#), "new weights do not change a published result");
    // A chamber joining the registry changes today's result, not the published one.
    let joined =
        zhaoshang_store::chambers::ChamberData { name: "发布后新成立商会".into(), ..Default::default() };
    store.upsert_chambers(&[joined], &zhaoshang_store::Actor::system("测试")).await.unwrap();
    let page = body_text(app.get("/chambers/assessment?year=2023", Some(&admin)).await).await;
    assert!(page.contains(r#"id="assessment-differs""#) && !page.contains("发布后新成立商会"));
    // Each chamber's gap to the rank above, in score points.
    let second = &before.items[1];
    let gap = (before.items[0].score - second.score).max(0.0);
    assert!((second.gap.unwrap() - gap).abs() <= 0.011, "{second:?}");
    assert!(page.contains(&format!("{:.2}", second.gap.unwrap())));
    // The award list: the first N of the published result.
    let awards = app.get("/chambers/assessment?year=2023&awards=3&format=xlsx", Some(&admin)).await;
    let sheet = read_sheet("a.xlsx", &body_bytes(awards).await).unwrap();
    assert_eq!(sheet.headers, ["名次", "商会名称", "得分", "称号"]);
    let named: Vec<&str> = sheet.rows.iter().map(|row| row.cells[1].as_str()).collect();
    let expected: Vec<&str> = before.items.iter().take(3).map(|item| item.chamber.as_str()).collect();
    assert_eq!(named, expected);
    assert_eq!(app.get("/chambers/assessment?awards=0", Some(&admin)).await.status(), StatusCode::BAD_REQUEST);
    // An unfinished year is not published.
    let this_year = chrono::Datelike::year(&zhaoshang_app::calendar::today());
    let early = app.post_form("/chambers/assessment/publish", &admin, &format!("csrf={csrf}&year={this_year}")).await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// The figure of a summary card of the network's report: the one after `marker`.
fn card_figure(page: &str, marker: &str) -> String {
    let card = &page[page.find(marker).unwrap_or_else(|| panic!("no card {marker}"))..];
    let start = card.find(r#"class="figure""#).unwrap();
    let figure = &card[card[start..].find('>').unwrap() + start + 1..];
    figure[..figure.find('<').unwrap()].to_string()
}

async fn the_network_report_reads_the_federations_figures_of_may_2023(backend: Backend) {
    use chrono::NaiveDate;
    use std::collections::HashSet;
    use zhaoshang_core::money::Yuan;
    use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let admin = app.sign_in_demo("admin").await;
    let (from, to) = (NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2023, 5, 31).unwrap());
    let uri = "/chambers/network?region=620000&from=2023-01-01&to=2023-05-31";
    let page = body_text(app.get(uri, Some(&admin)).await).await;

    // The seeds' figures: 63 outbound activities, 105 delegations, 35 projects, 136.64 亿元.
    assert_eq!(card_figure(&page, r#"data-kind="外出招商""#), "63");
    assert_eq!(card_figure(&page, r#"data-kind="来访接待""#), "105");
    assert_eq!(element_text(&page, "network-signed-count"), "35");
    assert_eq!(element_text(&page, "network-signed-wan"), "1,366,400.00");
    assert!(page.contains("（136.64 亿元）"));

    // The same as a plain count of the stored rows.
    let chambers: HashSet<String> = store.all_chambers().await.unwrap().into_iter().map(|c| c.data.name).collect();
    let in_period = |day: Option<NaiveDate>| day.is_some_and(|d| from <= d && d <= to);
    let activities = store.activities().await.unwrap();
    for (kind, expected) in [("外出招商", 63), ("来访接待", 105)] {
        let counted = activities
            .iter()
            .filter(|a| a.kind == kind && in_period(a.start_on) && a.chambers.iter().any(|c| chambers.contains(c)))
            .count();
        assert_eq!(counted, expected, "{kind}");
    }
    let projects = store.list_projects(&ProjectFilter::default(), ProjectSort::Code, 100_000, 0).await.unwrap();
    let signed: Vec<_> = projects
        .iter()
        .filter(|p| p.data.stage != "dropped" && in_period(p.data.signed_on) && chambers.contains(&p.data.source_org))
        .collect();
    assert_eq!(signed.len(), 35);
    assert_eq!(Yuan(signed.iter().map(|p| p.data.total_investment).sum()), Yuan(13_664_000_000));

    // Each chamber's row: its signed projects drill down to the project list.
    let federation = signed.iter().filter(|p| p.data.source_org == "甘肃省工商业联合会").count();
    let row = &page[page.find(r#"<tr data-chamber="甘肃省工商业联合会">"#).expect("the federation's row")..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains(&format!(">{federation}</a>")) || federation == 0, "{row}");

    // The workbook: a row per chamber and the totals, each activity once.
    let download = app.get(&format!("{uri}&format=xlsx"), Some(&admin)).await;
    assert_eq!(download.status(), StatusCode::OK);
    let sheet = read_sheet("a.xlsx", &body_bytes(download).await).unwrap();
    assert!(sheet.headers[0].contains("商会招商工作统计（2023-01-01 至 2023-05-31）"), "{:?}", sheet.headers);
    let header = &sheet.rows[0].cells;
    assert_eq!(header[..3], ["商会", "外出招商(次)", "来访接待(次)"]);
    let total = &sheet.rows.last().unwrap().cells;
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!((total[0].as_str(), total[1].as_str(), total[2].as_str()), ("合计", "63", "105"));
    assert_eq!((total[at("签约项目(个)")].as_str(), total[at("签约投资额(万元)")].as_str()), ("35", "1366400"));
    assert_eq!(sheet.rows.len(), page.matches("<tr data-chamber=").count() + 2);

    // A region user: its own region's projects, another region refused; a bad period
    // refused in Chinese; roles without the chambers' pages refused.
    let tianshui = app.sign_in_demo("tianshui").await;
    let refused = app.get("/chambers/network?region=620400", Some(&tianshui)).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let own = body_text(app.get("/chambers/network?from=2023-01-01&to=2023-05-31", Some(&tianshui)).await).await;
    let own_signed = signed.iter().filter(|p| p.data.region_code.starts_with("6205")).count();
    assert_eq!(element_text(&own, "network-signed-count"), own_signed.to_string());
    assert_eq!(card_figure(&own, r#"data-kind="外出招商""#), "63", "activities belong to no region");
    let bad = app.get("/chambers/network?from=2023-05-31&to=2023-01-01", Some(&admin)).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(body_text(bad).await.contains("日期"));
    for role in ["liaison", "member"] {
        let cookie = app.sign_in_demo(role).await;
        assert_eq!(app.get(uri, Some(&cookie)).await.status(), StatusCode::FORBIDDEN, "{role}");
    }
}
