//! Chain maps and 一企一案 over HTTP on the demo data: the chain list and map, the gap list
//! export, the node API with ranked targets, who sees which enterprises on a link, plan
//! creation with CSRF and its conflict, visits, and overdue next steps in the inbox.

mod common;

use axum::http::{header, StatusCode};
use common::*;
use zhaoshang_app::accounts::{create_account, AccountRequest};
use zhaoshang_app::chains::{chain_map, ChainMap};
use zhaoshang_app::demo::chains::{BAIYIN_METALS, MISSING_LINK};
use zhaoshang_core::chains::{GapStatus, GapThresholds};
use zhaoshang_core::regions::RegionCode;
use zhaoshang_store::Actor;
use zhaoshang_testkit::Backend;

on_both_backends!(
    chain_pages_and_the_gap_list_show_the_demo_chains,
    node_api_ranks_targets_and_keeps_enterprises_in_scope,
    plans_are_created_once_per_region_with_csrf_and_overdue_ones_reach_the_inbox,
);

async fn chain_id(app: &TestApp, name: &str) -> i64 {
    app.store().chain_by_name(name).await.unwrap().unwrap_or_else(|| panic!("demo chain {name}")).id
}

async fn map_of(app: &TestApp, chain: i64, region: &str) -> ChainMap {
    let region = RegionCode::parse(region).unwrap();
    chain_map(app.store(), chain, &region, &GapThresholds::default()).await.unwrap()
}

async fn node_id(app: &TestApp, chain: i64, name: &str) -> i64 {
    app.store().chain_nodes(chain).await.unwrap().into_iter().find(|n| n.name == name).unwrap().id
}

fn location(response: &axum::http::Response<axum::body::Body>) -> String {
    response.headers().get(header::LOCATION).unwrap().to_str().unwrap().to_string()
}

async fn chain_pages_and_the_gap_list_show_the_demo_chains(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let list = app.get("/chains", Some(&admin)).await;
    assert_eq!(list.status(), StatusCode::OK);
    let list = body_text(list).await;
    for name in [BAIYIN_METALS, "嘉峪关市钢铁产业链", "天水市数控机床产业链"] {
        assert!(list.contains(name), "{name} listed");
    }
    assert!(list.contains(r#"<option value="620000" selected>"#), "the province by default");

    let metals = chain_id(&app, BAIYIN_METALS).await;
    let page = app.get(&format!("/chains/{metals}?region=620400"), Some(&admin)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = body_text(page).await;
    assert!(page.contains(BAIYIN_METALS) && page.contains(MISSING_LINK) && page.contains("id=\"chain-data\""));
    assert!(
        page.contains(&zhaoshang_web::assets::asset_url("chain_map.js").unwrap())
            && page.contains("导出缺口清单")
            && page.contains("id=\"plan-form-template\"")
    );
    assert!(page.contains("白银有色集团股份有限公司"), "chain-leader enterprise in the header");
    let strict =
        body_text(app.get(&format!("/chains/{metals}?region=620400&min_enterprises=50"), Some(&admin)).await).await;
    assert!(strict.contains(r#"value="50""#), "thresholds are kept in the form");
    let bad = app.get(&format!("/chains/{metals}?min_enterprises=x"), Some(&admin)).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.get("/chains/999999", Some(&admin)).await.status(), StatusCode::NOT_FOUND);

    // The gap list as Excel: one row per link, with the map's figures.
    let xlsx = app.get(&format!("/chains/{metals}/gaps.xlsx?region=620400"), Some(&admin)).await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().contains(".xlsx"));
    let sheet = zhaoshang_app::exchange::read_sheet("gaps.xlsx", &body_bytes(xlsx).await).unwrap();
    assert_eq!(
        sheet.headers,
        ["子链", "环节", "环节位置", "状态", "本地企业数", "本地营收(万元)", "投产项目", "在建项目", "说明"]
    );
    let map = map_of(&app, metals, "620400").await;
    let links: Vec<_> = map.nodes.iter().filter(|n| n.status.is_some()).collect();
    assert_eq!(sheet.rows.len(), links.len());
    let missing = sheet.rows.iter().find(|row| row.cells[1] == MISSING_LINK).unwrap();
    assert_eq!(missing.cells[3], GapStatus::Missing.label());
    assert_eq!(missing.cells[4], "0");

    // Roles outside government work get nothing; a region user may view every chain.
    for role in ["investor", "liaison", "reviewer"] {
        let cookie = app.sign_in_demo(role).await;
        assert_eq!(app.get("/chains", Some(&cookie)).await.status(), StatusCode::FORBIDDEN, "{role}");
        assert_eq!(app.get(&format!("/chains/{metals}"), Some(&cookie)).await.status(), StatusCode::FORBIDDEN);
        let gaps = app.get(&format!("/chains/{metals}/gaps.xlsx"), Some(&cookie)).await;
        assert_eq!(gaps.status(), StatusCode::FORBIDDEN, "{role}");
        assert!(!body_text(app.get("/", Some(&cookie)).await).await.contains(">产业链</a>"), "no nav entry");
    }
    let tianshui = app.sign_in_demo("tianshui").await;
    let own_view = body_text(app.get(&format!("/chains/{metals}"), Some(&tianshui)).await).await;
    assert!(own_view.contains(r#"<option value="620500" selected>"#), "a region user's map opens on its region");
    assert!(body_text(app.get("/chains", Some(&tianshui)).await).await.contains(">产业链</a>"));
    assert_eq!(app.get("/chains", None).await.status(), StatusCode::SEE_OTHER);
}

async fn node_api_ranks_targets_and_keeps_enterprises_in_scope(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let metals = chain_id(&app, BAIYIN_METALS).await;
    let missing = node_id(&app, metals, MISSING_LINK).await;
    let api = |node: i64, region: &str| format!("/api/v1/chains/{metals}/nodes/{node}?region={region}&limit=20");

    let anonymous = app.get(&api(missing, "620400"), None).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(body_json(anonymous).await["error"], "unauthenticated");
    for role in ["investor", "liaison"] {
        let cookie = app.sign_in_demo(role).await;
        let response = app.get(&api(missing, "620400"), Some(&cookie)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{role}");
        assert_eq!(body_json(response).await["error"], "forbidden");
    }

    let admin = app.sign_in_demo("admin").await;
    let answer = body_json(app.get(&api(missing, "620400"), Some(&admin)).await).await;
    assert_eq!(answer["node"]["name"], MISSING_LINK);
    assert_eq!(answer["node"]["status"], "missing");
    assert_eq!(answer["node"]["status_label"], GapStatus::Missing.long_label());
    assert!(!answer["node"]["reason"].as_str().unwrap().is_empty());
    assert_eq!(answer["may_create_plan"], true);
    let targets = answer["targets"].as_array().unwrap();
    assert!(!targets.is_empty() && targets.len() <= 20);
    for (index, target) in targets.iter().enumerate() {
        assert_eq!(target["rank"], index + 1);
        assert!(!target["region_code"].as_str().unwrap().starts_with("6204"), "targets lie outside the region");
        let parts = target["score"]["parts"].as_array().unwrap();
        assert!(!parts.is_empty() && parts.iter().all(|p| p["label"].is_string() && p["points"].as_u64().unwrap() > 0));
        let sum: u64 = parts.iter().map(|p| p["points"].as_u64().unwrap()).sum();
        assert_eq!(target["score"]["total"].as_u64().unwrap(), sum);
    }
    let totals: Vec<u64> = targets.iter().map(|t| t["score"]["total"].as_u64().unwrap()).collect();
    assert!(totals.windows(2).all(|pair| pair[0] >= pair[1]), "best first: {totals:?}");
    let labels: Vec<&str> = targets
        .iter()
        .flat_map(|t| t["score"]["parts"].as_array().unwrap().iter().map(|p| p["label"].as_str().unwrap()))
        .collect();
    assert!(labels.iter().any(|l| l.starts_with("已有联系：")), "a relationship scores: {labels:?}");
    let five = body_json(app.get(&api(missing, "620400").replace("limit=20", "limit=5"), Some(&admin)).await).await;
    assert_eq!(five["targets"].as_array().unwrap().len(), 5);
    let bad_limit = app.get(&api(missing, "620400").replace("limit=20", "limit=0"), Some(&admin)).await;
    assert_eq!(bad_limit.status(), StatusCode::BAD_REQUEST);
    assert_eq!(body_json(bad_limit).await["error"], "bad_request");
    // The issue's example: the motors link names its products, so batteries and solar
    // giants of the same industry (宁德时代, 隆基, 通威) are no targets; the motor maker is, fit first.
    let rare_earth = chain_id(&app, "白银市稀土产业链").await;
    let motors = node_id(&app, rare_earth, "稀土永磁电机").await;
    let api_of = format!("/api/v1/chains/{rare_earth}/nodes/{motors}?region=620400&limit=20");
    let motor_targets = body_json(app.get(&api_of, Some(&admin)).await).await;
    let targets = motor_targets["targets"].as_array().unwrap();
    let names: Vec<&str> = targets.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names.first(), Some(&"卧龙电气驱动集团股份有限公司"), "{names:?}");
    assert!(
        names.iter().all(|name| !["宁德时代", "隆基", "通威"].iter().any(|giant| name.contains(giant))),
        "{names:?}"
    );
    assert!(
        targets.iter().all(|t| t["score"]["parts"][0]["label"].as_str().unwrap().starts_with("产品相符：")),
        "the fit leads every score: {motor_targets}"
    );
    assert_eq!(motor_targets["node"]["products"], "稀土永磁电机、永磁电机、永磁同步电机");

    let steel = chain_id(&app, "嘉峪关市钢铁产业链").await;
    let foreign = app.get(&format!("/api/v1/chains/{steel}/nodes/{missing}"), Some(&admin)).await;
    assert_eq!(foreign.status(), StatusCode::NOT_FOUND, "a node of another chain");
    assert_eq!(body_json(foreign).await["error"], "not_found");

    // A link with 白银 enterprises on it: who sees them.
    let map = map_of(&app, metals, "620400").await;
    let occupied = map.nodes.iter().find(|n| n.presence.local_enterprises > 0).unwrap().node.id;
    let names = |answer: &serde_json::Value| -> Vec<String> {
        answer["enterprises"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["region_code"].as_str().unwrap().to_string())
            .collect()
    };
    let by_admin = body_json(app.get(&api(occupied, "620400"), Some(&admin)).await).await;
    assert!(!names(&by_admin).is_empty() && names(&by_admin).iter().all(|code| code.starts_with("6204")));
    assert!(by_admin["enterprises"][0]["role_label"].is_string());

    let tianshui = app.sign_in_demo("tianshui").await;
    let by_tianshui = app.get(&api(occupied, "620400"), Some(&tianshui)).await;
    assert_eq!(by_tianshui.status(), StatusCode::OK, "a region user may view any chain");
    let by_tianshui = body_json(by_tianshui).await;
    assert!(names(&by_tianshui).is_empty(), "no 620400 enterprises for a 620500 user");
    assert!(by_tianshui["projects"].as_array().unwrap().is_empty());
    assert_eq!(by_tianshui["node"]["status"], by_admin["node"]["status"], "the gap itself is an aggregate");
    assert_eq!(by_tianshui["may_create_plan"], false);
    assert!(!by_tianshui["targets"].as_array().unwrap().is_empty(), "targets are shown to any viewer");
    let member = app.sign_in_demo("member").await;
    let by_member = body_json(app.get(&api(occupied, "620400"), Some(&member)).await).await;
    assert!(names(&by_member).is_empty() && by_member["may_create_plan"] == false);

    // A chain department seated in 天水 sees the enterprises of its own chain everywhere, not of others.
    let request = AccountRequest {
        username: "metals_chain".into(),
        display_name: "有色金属产业链牵头部门".into(),
        role: "chain".into(),
        region: Some("620500".into()),
        chamber: None,
        password: PASSWORD.into(),
    };
    let user = create_account(app.store(), &request, &Actor::system("测试")).await.unwrap();
    app.store().set_user_chains(user.id, &[metals], &Actor::system("测试")).await.unwrap();
    let department = app.sign_in("metals_chain").await;
    let own = body_json(app.get(&api(occupied, "620400"), Some(&department)).await).await;
    assert_eq!(names(&own), names(&by_admin));
    assert_eq!(own["may_create_plan"], true);
    let steel_map = map_of(&app, steel, "620200").await;
    let steel_node = steel_map.nodes.iter().find(|n| n.presence.local_enterprises > 0).unwrap().node.id;
    let other = body_json(
        app.get(&format!("/api/v1/chains/{steel}/nodes/{steel_node}?region=620200"), Some(&department)).await,
    )
    .await;
    assert!(names(&other).is_empty() && other["may_create_plan"] == false);
}

async fn plans_are_created_once_per_region_with_csrf_and_overdue_ones_reach_the_inbox(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let metals = chain_id(&app, BAIYIN_METALS).await;
    let missing = node_id(&app, metals, MISSING_LINK).await;
    let baiyin = app.sign_in_demo("baiyin").await;
    let csrf = app.csrf(&baiyin).await;
    let node_api = format!("/api/v1/chains/{metals}/nodes/{missing}?region=620400");
    let answer = body_json(app.get(&node_api, Some(&baiyin)).await).await;
    let target = answer["targets"].as_array().unwrap().iter().find(|t| t["plan_id"].is_null()).unwrap().clone();
    let (enterprise, name) = (target["id"].as_i64().unwrap(), target["name"].as_str().unwrap().to_string());
    let form = |csrf: &str, approach: &str, region: &str| {
        format!(
            "csrf={csrf}&enterprise_id={enterprise}&node_id={missing}&region={region}&approach={approach}\
             &next_step=赴总部拜访&due_on=2099-01-31"
        )
    };
    let plans_before = app.store().plans(&Default::default(), 1000).await.unwrap().len();

    let forged = app.post_form("/plans", &baiyin, &form("0".repeat(64).as_str(), "以商招商", "620400")).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let missing_approach = app.post_form("/plans", &baiyin, &form(&csrf, "", "620400")).await;
    assert_eq!(missing_approach.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(missing_approach).await.contains("请填写招商方式"));
    let elsewhere = app.post_form("/plans", &baiyin, &form(&csrf, "以商招商", "620500")).await;
    assert_eq!(elsewhere.status(), StatusCode::FORBIDDEN, "a region user pursues targets for its own region");
    assert_eq!(app.store().plans(&Default::default(), 1000).await.unwrap().len(), plans_before, "nothing written");

    let created = app.post_form("/plans", &baiyin, &form(&csrf, "以商招商", "620400")).await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let plan_path = location(&created);
    assert!(plan_path.starts_with("/plans/"));
    let plan_page = body_text(app.get(&plan_path, Some(&baiyin)).await).await;
    assert!(plan_page.contains(&name) && plan_page.contains("赴总部拜访") && plan_page.contains(MISSING_LINK));
    let again = app.post_form("/plans", &baiyin, &form(&csrf, "委托招商", "620400")).await;
    assert_eq!(again.status(), StatusCode::CONFLICT);
    let again = body_text(again).await;
    assert!(again.contains("已有一企一案") && again.contains(&format!("href=\"{plan_path}\"")), "links the plan");
    let listed = body_json(app.get(&node_api, Some(&baiyin)).await).await;
    let plan_id: i64 = plan_path.trim_start_matches("/plans/").parse().unwrap();
    assert!(listed["targets"].as_array().unwrap().iter().any(|t| t["plan_id"] == plan_id));

    // A new next step may not be due in the past.
    let inbox_before = body_text(app.get("/inbox", Some(&baiyin)).await).await;
    assert!(!inbox_before.contains(&name));
    let update = format!("csrf={csrf}&approach=以商招商&next_step=提交合作协议草案&due_on=2020-01-01&status=active");
    let past_due = app.post_form(&plan_path, &baiyin, &update).await;
    assert_eq!(past_due.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let today = zhaoshang_app::calendar::today();
    assert!(body_text(past_due).await.contains(&format!("新的下一步工作到期日不能早于今天（{today}）")));
    // The stored step falls due as days pass (here: moved back in the store); it shows in the
    // owner's inbox with a badge, and saving the plan again keeps its date.
    let mut fallen_due = app.store().plan(plan_id).await.unwrap().unwrap().data;
    fallen_due.next_step = "提交合作协议草案".into();
    fallen_due.due_on = chrono::NaiveDate::from_ymd_opt(2020, 1, 1);
    app.store().update_plan(plan_id, &fallen_due, &Actor::system("测试")).await.unwrap();
    let kept = app.post_form(&plan_path, &baiyin, &update.replace("以商招商", "委托招商")).await;
    assert_eq!(kept.status(), StatusCode::SEE_OTHER, "an existing step keeps its date");
    let inbox = body_text(app.get("/inbox", Some(&baiyin)).await).await;
    assert!(inbox.contains(&name) && inbox.contains("提交合作协议草案") && inbox.contains("class=\"nav-badge\""));
    let overdue = body_text(app.get("/plans?overdue=1&mine=1", Some(&baiyin)).await).await;
    assert!(overdue.contains(&name));
    let bad_update =
        app.post_form(&plan_path, &baiyin, &format!("csrf={csrf}&approach=x&next_step=y&due_on=2020-13-01")).await;
    assert_eq!(bad_update.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(bad_update).await.contains("不是有效日期"));
    let no_csrf = app.post_form(&plan_path, &baiyin, &update.replace(&csrf, "x")).await;
    assert_eq!(no_csrf.status(), StatusCode::FORBIDDEN);

    // Visits are logged on the plan and show on the enterprise's page.
    let visit =
        format!("csrf={csrf}&visited_on=2024-05-06&visitor=白银市投资促进局&summary=拜访企业总部，对方同意来白银考察");
    let visited = app.post_form(&format!("{plan_path}/visits"), &baiyin, &visit).await;
    assert_eq!(visited.status(), StatusCode::SEE_OTHER);
    assert!(body_text(app.get(&plan_path, Some(&baiyin)).await).await.contains("对方同意来白银考察"));
    let future = visit.replace("2024-05-06", "2099-01-01");
    assert_eq!(
        app.post_form(&format!("{plan_path}/visits"), &baiyin, &future).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let admin = app.sign_in_demo("admin").await;
    let enterprise_page = body_text(app.get(&format!("/enterprises/{enterprise}"), Some(&admin)).await).await;
    assert!(
        enterprise_page.contains(&format!("href=\"{plan_path}\"")) && enterprise_page.contains("对方同意来白银考察")
    );
    let audited = zhaoshang_store::AuditFilter {
        entity: Some("plan".into()),
        action: Some("update".into()),
        per_page: 10,
        page: 1,
        ..Default::default()
    };
    assert_eq!(app.store().audit_entries(&audited).await.unwrap().0.len(), 2, "both updates are audited");

    // Plans stay within scope: 天水 neither lists nor opens 白银's plan.
    let tianshui = app.sign_in_demo("tianshui").await;
    assert!(!body_text(app.get("/plans", Some(&tianshui)).await).await.contains(&name));
    assert_eq!(app.get(&plan_path, Some(&tianshui)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.post_form(&plan_path, &tianshui, &update).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/plans", Some(&app.sign_in_demo("member").await)).await.status(), StatusCode::FORBIDDEN);

    // The demo chain department's overdue plan waits in its inbox.
    let chain = app.sign_in_demo("chain").await;
    let chain_inbox = body_text(app.get("/inbox", Some(&chain)).await).await;
    assert!(chain_inbox.contains("中国铝业股份有限公司"), "{chain_inbox}");
}
