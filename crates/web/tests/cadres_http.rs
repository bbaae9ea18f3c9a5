//! 以招商引资论英雄 over HTTP on the demo data: 白银's cadres (责任人) ranked for 2023 with
//! the first one's figures equal to a plain count of its stored projects and funding, its
//! own page listing the rows behind them, the departments with their appeals, the XLSX
//! download and the link from the 综合评价; who may read it and the bad requests.

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::*;
use zhaoshang_app::exchange::read_sheet;
use zhaoshang_core::money::Yuan;
use zhaoshang_store::listing::{ProjectFilter, ProjectSort};
use zhaoshang_testkit::Backend;
use zhaoshang_web::auth::urlencode;

on_both_backends!(a_cadres_figures_are_the_rows_behind_them, only_those_who_read_the_figures_see_the_ranking);

/// The text of the cell of `figure` in the row of `name`.
fn cell(page: &str, name: &str, figure: &str) -> String {
    let row_start = page.find(&format!(r#"<tr data-name="{name}">"#)).unwrap_or_else(|| panic!("no row of {name}"));
    let row = &page[row_start..row_start + page[row_start..].find("</tr>").unwrap()];
    let start = row.find(&format!(r#"data-figure="{figure}">"#)).unwrap() + figure.len() + 15;
    strip_tags(&row[start..start + row[start..].find("</td>").unwrap()]).trim().to_string()
}

/// The rows of the table `id` of a page.
fn table_rows(page: &str, id: &str) -> usize {
    let start = page.find(&format!(r#"id="{id}""#)).unwrap();
    let table = &page[start..start + page[start..].find("</table>").unwrap()];
    table.matches("<tr data-project=").count()
}

async fn a_cadres_figures_are_the_rows_behind_them(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let page = body_text(app.get("/evaluation/cadres?region=620400&year=2023&by=owner", Some(&admin)).await).await;
    assert!(page.contains("白银市招商引资责任人实绩排名") && page.contains("2023年度"), "{page}");
    let first_start = page.find(r#"<tr data-name=""#).expect("the demo's owners are ranked") + 15;
    let first = page[first_start..first_start + page[first_start..].find('"').unwrap()].to_string();
    let members = page.matches("<tr data-name=").count();
    assert!(members > 1, "several owners");

    // The plain count: 白银's projects of this owner, their signings and funding in 2023.
    let (from, to) = (NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2023, 12, 31).unwrap());
    let filter = ProjectFilter { region_prefix: "6204".into(), ..Default::default() };
    let projects: Vec<_> = app
        .store()
        .list_projects(&filter, ProjectSort::Code, 100_000, 0)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.data.owner == first)
        .collect();
    let signed: Vec<_> = projects
        .iter()
        .filter(|p| p.data.stage != "dropped" && p.data.signed_on.is_some_and(|d| from <= d && d <= to))
        .collect();
    let mut funds = 0;
    for project in &projects {
        let funding = app.store().funding_of_project(project.id).await.unwrap();
        funds += funding.iter().filter(|f| from <= f.funded_on && f.funded_on <= to).map(|f| f.amount).sum::<i64>();
    }
    let leads = projects.iter().filter(|p| p.data.lead_on.is_some_and(|d| from <= d && d <= to)).count();
    assert!(funds > 0 && !signed.is_empty(), "the first owner has results in 2023");
    assert_eq!(cell(&page, &first, "signed_count"), signed.len().to_string());
    let investment: i64 = signed.iter().map(|p| p.data.total_investment).sum();
    assert_eq!(cell(&page, &first, "signed_investment_wan").replace(',', ""), Yuan(investment).wan_string());
    assert_eq!(cell(&page, &first, "funds_in_place_wan").replace(',', ""), Yuan(funds).wan_string());
    assert_eq!(cell(&page, &first, "leads"), leads.to_string());
    assert!(!page.contains("data-figure=\"appeals_received\""), "a cadre handles no appeals");

    // The owner's own page: its rank and the rows behind each figure.
    let own = format!("/evaluation/cadres/person?by=owner&region=620400&year=2023&quarter=&name={}", urlencode(&first));
    let link = page.find("/evaluation/cadres/person").map(|i| &page[i..i + 160]);
    assert!(page.contains(&own.replace('&', "&amp;")), "the ranking links to the owner's page: {link:?}");
    let person = body_text(app.get(&own, Some(&admin)).await).await;
    assert!(person.contains(&format!(r#"id="cadre-rank">1 / {members}<"#)), "{person}");
    assert_eq!(table_rows(&person, "cadre-signed"), signed.len());
    assert_eq!(table_rows(&person, "cadre-leads"), leads);
    assert!(person.contains(&format!("/projects/{}", signed[0].id)));

    // Departments: their appeals beside, linked to the appeals they count.
    let departments =
        body_text(app.get("/evaluation/cadres?region=620400&year=2023&quarter=4&by=department", Some(&admin)).await)
            .await;
    assert!(departments.contains(r#"data-figure="appeals_received"><a href="/appeals?region=620400&amp;from=2023-01-01&amp;to=2023-12-31&amp;department="#));
    assert!(departments.contains("2023年1—4季度"));
    let leaders = body_text(app.get("/evaluation/cadres?region=620400&year=2023&by=leader", Some(&admin)).await).await;
    assert!(leaders.matches("<tr data-name=").count() > 1, "the demo's 包抓 leaders are ranked");

    // The download: the title, a header row and a row per owner, best first.
    let download = app.get("/evaluation/cadres?region=620400&year=2023&by=owner&format=xlsx", Some(&admin)).await;
    assert_eq!(download.status(), StatusCode::OK);
    let sheet = read_sheet("a.xlsx", &body_bytes(download).await).unwrap();
    assert!(sheet.headers[0].contains("白银市招商引资责任人实绩排名"), "{:?}", sheet.headers);
    assert_eq!(sheet.rows.len(), members + 1);
    assert_eq!((sheet.rows[0].cells[0].as_str(), sheet.rows[0].cells[1].as_str()), ("排名", "责任人"));
    assert_eq!((sheet.rows[1].cells[0].as_str(), sheet.rows[1].cells[1].as_str()), ("1", first.as_str()));

    let evaluation = body_text(app.get("/evaluation?region=620000&year=2023&quarter=4", Some(&admin)).await).await;
    assert!(evaluation
        .contains(r#"id="evaluation-cadres" href="/evaluation/cadres?region=620000&amp;year=2023&amp;quarter=4""#));
}

async fn only_those_who_read_the_figures_see_the_ranking(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let tianshui = app.sign_in_demo("tianshui").await;
    let status = |response: axum::response::Response| response.status();
    assert_eq!(status(app.get("/evaluation/cadres?region=620400", Some(&tianshui)).await), StatusCode::FORBIDDEN);
    let own = body_text(app.get("/evaluation/cadres?year=2023", Some(&tianshui)).await).await;
    assert!(own.contains("天水市招商引资责任单位实绩排名"), "its own city's departments by default");
    let leader = app.sign_in_demo("leader").await;
    assert_eq!(status(app.get("/evaluation/cadres?region=620400&year=2023", Some(&leader)).await), StatusCode::OK);
    for role in ["member", "investor", "liaison"] {
        let cookie = app.sign_in_demo(role).await;
        let response = app.get("/evaluation/cadres?region=620400&year=2023", Some(&cookie)).await;
        assert_eq!(status(response), StatusCode::FORBIDDEN, "{role}");
    }
    assert_eq!(status(app.get("/evaluation/cadres", None).await), StatusCode::SEE_OTHER);

    let admin = app.sign_in_demo("admin").await;
    for bad in ["by=chamber", "year=二〇二三", "year=2023&quarter=5", "region=999999"] {
        let response = app.get(&format!("/evaluation/cadres?{bad}"), Some(&admin)).await;
        assert!(response.status().is_client_error() && response.status() != StatusCode::FORBIDDEN, "{bad}");
    }
    let nobody = format!("/evaluation/cadres/person?by=owner&region=620400&year=2023&name={}", urlencode("无名氏"));
    assert_eq!(status(app.get(&nobody, Some(&admin)).await), StatusCode::NOT_FOUND);
    let nameless = app.get("/evaluation/cadres/person?by=owner&region=620400&year=2023", Some(&admin)).await;
    assert_eq!(status(nameless), StatusCode::BAD_REQUEST);
}
