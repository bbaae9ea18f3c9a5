//! Scope of the chain department, the member and region users over HTTP on the demo
//! data (security issue, part 1 item 7): a chain department reads its chains' projects
//! and funding only, in lists, exports, totals, detail pages, search and statistics; a
//! member gets no enterprise from the chain map's panel; a city's target enterprises
//! lie outside the province until the province allows relocation within it.

mod common;

use axum::http::StatusCode;
use common::*;
use std::collections::HashSet;
use zhaoshang_app::exchange::{read_sheet, Sheet};
use zhaoshang_core::money::Yuan;
use zhaoshang_store::Actor;
use zhaoshang_testkit::Backend;

const PERIOD: &str = "from=2019-01-01&to=2024-12-31";

on_both_backends!(
    chain_department_reads_only_its_chains_projects_and_funding,
    member_gets_no_enterprise_from_the_chain_panel,
    city_targets_lie_outside_the_province_until_the_admin_allows_it
);

fn sheet(bytes: &[u8]) -> Sheet {
    read_sheet("list.csv", bytes).unwrap()
}

fn column(sheet: &Sheet, header: &str) -> usize {
    sheet.headers.iter().position(|h| h == header).unwrap_or_else(|| panic!("column {header}"))
}

fn extract(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\">");
    let start = html.find(&marker).unwrap_or_else(|| panic!("#{id} missing")) + marker.len();
    html[start..].split('<').next().unwrap().to_string()
}

async fn csv(app: &TestApp, path: &str, cookie: &str) -> Sheet {
    let response = app.get(path, Some(cookie)).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    sheet(&body_bytes(response).await)
}

async fn chain_department_reads_only_its_chains_projects_and_funding(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let everything = csv(&app, "/projects?format=csv", &admin).await;
    let (code_col, chain_col) = (column(&everything, "项目编号"), column(&everything, "产业链"));

    // The department looks after one demo chain that has projects.
    let own = app.store().chain_by_name("白银市新材料产业链").await.unwrap().expect("a demo chain");
    let user = app.store().user_by_name("chain").await.unwrap().unwrap();
    app.store().set_user_chains(user.id, &[own.id], &Actor::system("测试")).await.unwrap();
    let own_codes: HashSet<String> = everything
        .rows
        .iter()
        .filter(|row| row.cell(chain_col) == own.data.name)
        .map(|row| row.cell(code_col).to_string())
        .collect();
    assert!(!own_codes.is_empty(), "the chain has projects");
    assert!(everything.rows.len() > own_codes.len() + 100, "and the province many more");

    let chain = app.sign_in_demo("chain").await;
    // The export of the list holds the chain's projects and no other.
    let exported = csv(&app, "/projects?format=csv", &chain).await;
    let exported_codes: HashSet<String> = exported.rows.iter().map(|row| row.cell(code_col).to_string()).collect();
    assert_eq!(exported_codes, own_codes, "only its chain's projects are exported");
    let in_region = csv(&app, "/projects?format=csv&region=620000", &chain).await;
    assert_eq!(in_region.rows.len(), own_codes.len(), "a region chosen does not widen it");
    let other_chain = csv(&app, "/projects?format=csv&chain=%E5%86%B6%E9%87%91%E6%9C%89%E8%89%B2", &chain).await;
    assert!(other_chain.rows.is_empty(), "a filter by another chain finds nothing");

    // The list's totals, the statistics and the drill-down agree, and differ from the province's.
    let list = body_text(app.get("/projects", Some(&chain)).await).await;
    assert_eq!(extract(&list, "total-count"), own_codes.len().to_string());
    let stats_path = format!("/api/v1/stats/investment?region=620000&{PERIOD}");
    let report = body_json(app.get(&stats_path, Some(&chain)).await).await;
    let admin_report = body_json(app.get(&format!("{stats_path}&chain={}", own.data.name), Some(&admin)).await).await;
    let province = body_json(app.get(&stats_path, Some(&admin)).await).await;
    for key in ["signed_count", "signed_investment_wan", "funds_in_place_wan", "implementing_count", "over_100m_count"]
    {
        assert_eq!(report[key], admin_report[key], "{key}: the department's figures are its chain's");
    }
    assert_ne!(report["signed_count"], province["signed_count"]);
    let signed = report["signed_count"].as_i64().unwrap();
    assert!(signed > 0, "the chain has signed projects in the period");
    let drill = body_text(app.get(&format!("/projects?drill=signed&region=620000&{PERIOD}"), Some(&chain)).await).await;
    assert_eq!(extract(&drill, "total-count"), signed.to_string(), "the drill-down sums to the figure");
    let drilled = csv(&app, &format!("/projects?drill=signed&region=620000&{PERIOD}&format=csv"), &chain).await;
    assert_eq!(drilled.rows.len() as i64, signed);
    let other =
        body_json(app.get(&format!("{stats_path}&chain=%E5%86%B6%E9%87%91%E6%9C%89%E8%89%B2"), Some(&chain)).await);
    assert_eq!(other.await["error"], "forbidden", "another chain's figures");
    let dashboard = app.get(&format!("/dashboard?region=620000&{PERIOD}"), Some(&chain)).await;
    assert_eq!(dashboard.status(), StatusCode::OK);

    // Funding: the list, its total and its export hold the chain's projects' records only.
    let funding_path = format!("/funding?region=620000&{PERIOD}");
    let funding = body_text(app.get(&funding_path, Some(&chain)).await).await;
    assert_eq!(extract(&funding, "total-wan").replace(',', ""), report["funds_in_place_wan"].as_str().unwrap());
    let records = csv(&app, &format!("{funding_path}&format=csv"), &chain).await;
    assert!(!records.rows.is_empty(), "the chain's projects have funding");
    assert_eq!(extract(&funding, "total-count"), records.rows.len().to_string());
    let mut sum = 0;
    for row in &records.rows {
        assert!(own_codes.contains(row.cell(0)), "funding of {} is not the chain's", row.cell(0));
        sum += Yuan::parse_wan(row.cell(2)).unwrap().0;
    }
    assert_eq!(Yuan(sum).wan_string(), report["funds_in_place_wan"].as_str().unwrap());
    let all_funding = csv(&app, &format!("{funding_path}&format=csv"), &admin).await;
    assert!(all_funding.rows.len() > records.rows.len());

    // Detail pages and search.
    let outside = everything.rows.iter().find(|row| row.cell(chain_col) != own.data.name).unwrap();
    let outside = app.store().project_by_code(outside.cell(code_col)).await.unwrap().unwrap();
    assert_eq!(app.get(&format!("/projects/{}", outside.id), Some(&chain)).await.status(), StatusCode::FORBIDDEN);
    let inside = app.store().project_by_code(own_codes.iter().next().unwrap()).await.unwrap().unwrap();
    assert_eq!(app.get(&format!("/projects/{}", inside.id), Some(&chain)).await.status(), StatusCode::OK);
    for (project, found) in [(&outside, false), (&inside, true)] {
        let q = serde_urlencoded::to_string([("q", project.data.code.as_str())]).unwrap();
        let hits = body_json(app.get(&format!("/api/v1/search?{q}&kind=project"), Some(&chain)).await).await;
        let ids: Vec<i64> = hits["items"].as_array().unwrap().iter().map(|h| h["id"].as_i64().unwrap()).collect();
        assert_eq!(ids.contains(&project.id), found, "search for {}: {hits}", project.data.code);
        let page = body_text(app.get(&format!("/search?{q}"), Some(&chain)).await).await;
        assert_eq!(
            page.contains(&format!("/projects/{}\"", project.id)),
            found,
            "search page for {}",
            project.data.code
        );
    }
}

/// A Baiyin chain link whose target list, seen by the admin for Baiyin, holds
/// enterprises of other Gansu cities: (chain id, node id).
async fn link_with_gansu_targets(app: &TestApp, admin: &str) -> (i64, i64) {
    for summary in app.store().chain_summaries().await.unwrap() {
        for node in app.store().chain_nodes(summary.id).await.unwrap() {
            if node.industry.is_empty() {
                continue;
            }
            let path = format!("/api/v1/chains/{}/nodes/{}?region=620400&limit=100", summary.id, node.id);
            let answer = body_json(app.get(&path, Some(admin)).await).await;
            let gansu = answer["targets"].as_array().unwrap().iter().any(|t| {
                let code = t["region_code"].as_str().unwrap();
                code.starts_with("62") && !code.starts_with("6204")
            });
            if gansu {
                return (summary.id, node.id);
            }
        }
    }
    panic!("no link with Gansu targets in the demo data");
}

async fn member_gets_no_enterprise_from_the_chain_panel(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let (chain_id, node_id) = link_with_gansu_targets(&app, &admin).await;
    let member = app.sign_in_demo("member").await;
    for region in ["620400", "620500", "620000"] {
        let path = format!("/api/v1/chains/{chain_id}/nodes/{node_id}?region={region}&limit=100");
        let response = app.get(&path, Some(&member)).await;
        assert_eq!(response.status(), StatusCode::OK, "the member keeps the gap map");
        let answer = body_json(response).await;
        assert!(answer["node"]["status"].is_string(), "gap status stays: {answer}");
        for key in ["targets", "enterprises", "projects"] {
            assert_eq!(answer[key].as_array().map(Vec::len), Some(0), "{region} {key}: {answer}");
        }
    }
}

fn gansu_targets(answer: &serde_json::Value) -> Vec<String> {
    answer["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["region_code"].as_str().unwrap().to_string())
        .filter(|code| code.starts_with("62"))
        .collect()
}

async fn city_targets_lie_outside_the_province_until_the_admin_allows_it(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let (chain_id, node_id) = link_with_gansu_targets(&app, &admin).await;
    let path = format!("/api/v1/chains/{chain_id}/nodes/{node_id}?region=620400&limit=100");
    let baiyin = app.sign_in_demo("baiyin").await;
    let answer = body_json(app.get(&path, Some(&baiyin)).await).await;
    assert!(!answer["targets"].as_array().unwrap().is_empty(), "targets outside Gansu remain");
    assert_eq!(gansu_targets(&answer), Vec::<String>::new(), "no Gansu enterprise by default");
    let elsewhere = format!("/api/v1/chains/{chain_id}/nodes/{node_id}?region=620500&limit=100");
    assert_eq!(gansu_targets(&body_json(app.get(&elsewhere, Some(&baiyin)).await).await), Vec::<String>::new());
    // The province keeps seeing every enterprise outside the region.
    assert!(!gansu_targets(&body_json(app.get(&path, Some(&admin)).await).await).is_empty());
    assert!(!gansu_targets(&body_json(app.get(&path, Some(&app.sign_in_demo("leader").await)).await).await).is_empty());

    // Only the admin changes the setting, with a CSRF token; the change is audited.
    let form = |csrf: &str, allow: bool| {
        let mut form = format!("csrf={csrf}");
        if allow {
            form.push_str("&in_province_relocation=on");
        }
        form
    };
    let refused = app.post_form("/reference/settings", &baiyin, &form(&app.csrf(&baiyin).await, true)).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let forged = app.post_form("/reference/settings", &admin, &form("0".repeat(64).as_str(), true)).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN, "a wrong CSRF token");
    assert_eq!(gansu_targets(&body_json(app.get(&path, Some(&baiyin)).await).await), Vec::<String>::new());
    let saved = app.post_form("/reference/settings", &admin, &form(&app.csrf(&admin).await, true)).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let allowed = gansu_targets(&body_json(app.get(&path, Some(&baiyin)).await).await);
    assert!(!allowed.is_empty(), "relocation within the province allowed");
    assert!(allowed.iter().all(|code| !code.starts_with("6204")), "never Baiyin's own: {allowed:?}");
    let audit = body_text(app.get("/admin/audit", Some(&admin)).await).await;
    assert!(audit.contains("in_province_relocation"), "the change is audited");
    let page = body_text(app.get("/reference/regions", Some(&admin)).await).await;
    assert!(page.contains("name=\"in_province_relocation\" checked"), "the form shows the setting");

    let cleared = app.post_form("/reference/settings", &admin, &form(&app.csrf(&admin).await, false)).await;
    assert_eq!(cleared.status(), StatusCode::SEE_OTHER);
    assert_eq!(gansu_targets(&body_json(app.get(&path, Some(&baiyin)).await).await), Vec::<String>::new());
}
