//! The investment pipeline over HTTP on the demo data: the stats API reproduces the
//! seeds' figures, every list respects the user's region scope, drill-downs sum to
//! their figures.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_testkit::Backend;

const TIANSHUI_2023: &str = "region=620500&from=2023-01-01&to=2023-10-31";

on_both_backends!(
    stats_api_reproduces_the_seeds_and_checks_scope,
    lists_and_exports_stay_in_scope,
    drill_downs_sum_to_their_figures
);

async fn stats_api_reproduces_the_seeds_and_checks_scope(backend: Backend) {
    let app = TestApp::demo(backend).await;
    assert_eq!(
        app.get(&format!("/api/v1/stats/investment?{TIANSHUI_2023}"), None).await.status(),
        StatusCode::UNAUTHORIZED
    );

    let admin = app.sign_in_demo("admin").await;
    let report = body_json(app.get(&format!("/api/v1/stats/investment?{TIANSHUI_2023}"), Some(&admin)).await).await;
    assert_eq!(report["region"], "620500");
    assert_eq!(report["signed_count"], 202);
    assert_eq!(report["signed_investment_wan"], "6842900.00");
    assert_eq!(report["funds_in_place_wan"], "2711600.00");
    assert_eq!(format!("{:.4}", report["arrival_rate"].as_f64().unwrap()), "0.3963");
    assert_eq!(report["start_rate"], 1.0);
    for key in ["signed_count", "signed_investment_wan", "arrival_rate", "implementing_investment_wan"] {
        assert!(report["yoy"].get(key).is_some(), "yoy.{key}");
    }

    let jiayuguan =
        body_json(app.get("/api/v1/stats/investment?region=620200&from=2023-01-01&to=2023-10-31", Some(&admin)).await)
            .await;
    assert_eq!(jiayuguan["signed_count"], 67);
    assert_eq!(jiayuguan["implementing_count"], 67);
    assert_eq!(jiayuguan["implementing_investment_wan"], "4395000.00");
    assert_eq!(jiayuguan["over_100m_count"], 31);
    assert_eq!(jiayuguan["funds_in_place_wan"], "1604000.00");
    assert_eq!(format!("{:.3}", jiayuguan["yoy"]["implementing_investment_wan"].as_f64().unwrap()), "0.882");
    assert_eq!(format!("{:.3}", jiayuguan["yoy"]["funds_in_place_wan"].as_f64().unwrap()), "3.272");
    let september =
        body_json(app.get("/api/v1/stats/investment?region=620200&from=2023-01-01&to=2023-09-30", Some(&admin)).await)
            .await;
    assert!(september["target_completion"].as_f64().unwrap() >= 1.0, "annual target met by the end of September");

    let tianshui = app.sign_in_demo("tianshui").await;
    assert_eq!(
        app.get(&format!("/api/v1/stats/investment?{TIANSHUI_2023}"), Some(&tianshui)).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get("/api/v1/stats/investment?region=620503&from=2023-01-01&to=2023-10-31", Some(&tianshui)).await.status(),
        StatusCode::OK
    );
    let other = app.get("/api/v1/stats/investment?region=620200&from=2023-01-01&to=2023-10-31", Some(&tianshui)).await;
    assert_eq!(other.status(), StatusCode::FORBIDDEN);
    assert_eq!(body_json(other).await["error"], "forbidden");
    let province =
        app.get("/api/v1/stats/investment?region=620000&from=2023-01-01&to=2023-10-31", Some(&tianshui)).await;
    assert_eq!(province.status(), StatusCode::FORBIDDEN);
    let bad_date =
        app.get("/api/v1/stats/investment?region=620500&from=2023-13-01&to=2023-10-31", Some(&tianshui)).await;
    assert_eq!(bad_date.status(), StatusCode::BAD_REQUEST);
    assert!(body_json(bad_date).await["message"].as_str().unwrap().contains("2023-13-01"));
    // A code that is no region, asked twice (known regions are remembered, unknown ones not).
    for _ in 0..2 {
        let unknown =
            app.get("/api/v1/stats/investment?region=629900&from=2023-01-01&to=2023-10-31", Some(&admin)).await;
        assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(body_json(unknown).await["message"].as_str().unwrap().contains("629900"));
    }
    let investor = app.sign_in_demo("investor").await;
    assert_eq!(
        app.get(&format!("/api/v1/stats/investment?{TIANSHUI_2023}"), Some(&investor)).await.status(),
        StatusCode::FORBIDDEN
    );
}

async fn lists_and_exports_stay_in_scope(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let tianshui = app.sign_in_demo("tianshui").await;
    for path in [
        "/projects?region=620200",
        "/funding?region=620200&from=2023-01-01&to=2023-10-31",
        "/dashboard?region=620200",
        "/projects?region=620000",
        "/reports/monthly?region=620000&month=2023-10",
    ] {
        assert_eq!(app.get(path, Some(&tianshui)).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let other = app.store().project_by_code(&first_code(&app, "6202").await).await.unwrap().unwrap();
    assert_eq!(app.get(&format!("/projects/{}", other.id), Some(&tianshui)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get(&format!("/projects/{}/edit", other.id), Some(&tianshui)).await.status(), StatusCode::FORBIDDEN);
    let csrf = app.csrf(&tianshui).await;
    let funding = app
        .post_form(
            &format!("/projects/{}/funding", other.id),
            &tianshui,
            &format!("csrf={csrf}&date=2023-05-01&amount_wan=1"),
        )
        .await;
    assert_eq!(funding.status(), StatusCode::FORBIDDEN);

    let csv = body_text(app.get("/projects?format=csv", Some(&tianshui)).await).await;
    let lines: Vec<&str> = csv.lines().skip(1).collect();
    assert!(lines.len() > 200, "tianshui's own projects are exported ({})", lines.len());
    assert!(lines.iter().all(|line| line.contains(",6205")), "only 6205 regions in the export");
    let page = body_text(app.get("/projects", Some(&tianshui)).await).await;
    assert!(!page.contains("GS-620200"), "no 嘉峪关 project on tianshui's list");

    let member = app.sign_in_demo("member").await;
    assert_eq!(app.get("/projects", Some(&member)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/projects?format=xlsx", Some(&member)).await.status(), StatusCode::FORBIDDEN);
    let leader = app.sign_in_demo("leader").await;
    assert_eq!(app.get("/projects?region=620200", Some(&leader)).await.status(), StatusCode::OK);
    let leader_form = app
        .post_form("/projects", &leader, &format!("csrf={}&code=X-1&name=x&region=620200", app.csrf(&leader).await))
        .await;
    assert_eq!(leader_form.status(), StatusCode::FORBIDDEN, "leaders read, they do not edit");
}

async fn first_code(app: &TestApp, prefix: &str) -> String {
    let filter = zhaoshang_store::listing::ProjectFilter { region_prefix: prefix.into(), ..Default::default() };
    let projects = app.store().list_projects(&filter, zhaoshang_store::listing::ProjectSort::Code, 1, 0).await.unwrap();
    projects[0].data.code.clone()
}

fn extract(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\">");
    let start = html.find(&marker).unwrap_or_else(|| panic!("#{id} missing")) + marker.len();
    html[start..].split('<').next().unwrap().to_string()
}

async fn drill_downs_sum_to_their_figures(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let list = body_text(app.get(&format!("/projects?drill=signed&{TIANSHUI_2023}"), Some(&admin)).await).await;
    assert_eq!(extract(&list, "total-count"), "202");
    assert_eq!(extract(&list, "total-yi"), "684.29");
    // The rows themselves add up to the total, page by page.
    let mut sum = 0i64;
    let mut rows = 0;
    for page in 1..=5 {
        let html =
            body_text(app.get(&format!("/projects?drill=signed&{TIANSHUI_2023}&page={page}"), Some(&admin)).await)
                .await;
        for cell in html.split("<td class=\"num\" data-wan>").skip(1) {
            let text = cell.split('<').next().unwrap().replace(',', "");
            sum += zhaoshang_core::money::Yuan::parse_wan(&text).unwrap().0;
            rows += 1;
        }
    }
    assert_eq!(rows, 202);
    assert_eq!(zhaoshang_core::money::Yuan(sum).yi_display(), "684.29");
    let funds = body_text(app.get(&format!("/funding?{TIANSHUI_2023}"), Some(&admin)).await).await;
    assert_eq!(extract(&funds, "total-yi"), "271.16");
    let csv = body_text(app.get(&format!("/funding?{TIANSHUI_2023}&format=csv"), Some(&admin)).await).await;
    let exported: i64 = csv
        .lines()
        .skip(1)
        .map(|line| zhaoshang_core::money::Yuan::parse_wan(line.split(',').nth(2).unwrap()).unwrap().0)
        .sum();
    assert_eq!(zhaoshang_core::money::Yuan(exported).yi_display(), "271.16", "the export holds the same records");
    let started = body_text(app.get(&format!("/projects?drill=started&{TIANSHUI_2023}"), Some(&admin)).await).await;
    assert_eq!(extract(&started, "total-count"), "202", "start rate 100%");
    let over =
        body_text(app.get("/projects?drill=over_100m&region=620200&from=2023-01-01&to=2023-10-31", Some(&admin)).await)
            .await;
    assert_eq!(extract(&over, "total-count"), "31");
    let report = app.get("/reports/monthly?region=620000&month=2023-10", Some(&admin)).await;
    assert_eq!(report.status(), StatusCode::OK);
    assert!(report.headers()[axum::http::header::CONTENT_TYPE].to_str().unwrap().contains("spreadsheetml"));
    let bytes = body_bytes(report).await;
    assert!(bytes.starts_with(b"PK") && bytes.len() > 3000, "an XLSX workbook");
}
