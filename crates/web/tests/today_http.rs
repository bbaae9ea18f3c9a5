//! One "today" for the whole platform, in China time: at 07:30 in Beijing (23:30 UTC the
//! day before) the dashboard's default period and the plans' overdue check take the
//! Beijing date (the CLI's: crates/cli/tests/cli.rs). The clock is fixed through `ZHAOSHANG_NOW`, read once per
//! process, so this file holds one test and sets it first.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_app::exchange::{import_bytes, ImportKind};
use zhaoshang_store::plans::PlanData;
use zhaoshang_store::Actor;
use zhaoshang_testkit::Backend;

const BEIJING_0730: &str = "2026-12-04T23:30:00Z";

#[tokio::test]
async fn pages_plans_and_the_cli_agree_on_today_at_0730_beijing_time() {
    // SAFETY (edition 2021: safe): set before any thread of this process reads the clock.
    std::env::set_var(zhaoshang_app::calendar::NOW_VARIABLE, BEIJING_0730);
    assert_eq!(zhaoshang_app::calendar::today().to_string(), "2026-12-05");

    let app = TestApp::with_users(Backend::Sqlite, &[("baiyin", "region", Some("620400"))]).await;
    let actor = Actor::system("测试");
    let projects =
        "项目编号,项目名称,所属地区,总投资(万元),项目阶段,签约日期\nBY-1,今日签约项目,620402,5000,签约,2026-12-05\n";
    let report = import_bytes(app.store(), ImportKind::Projects, "p.csv", projects.as_bytes(), false, &actor).await;
    assert!(report.unwrap().is_ok());

    // The dashboard's default period ends with today's signing (UTC would end it on the 4th).
    let cookie = app.sign_in("baiyin").await;
    let dashboard = body_text(app.get("/dashboard", Some(&cookie)).await).await;
    assert!(dashboard.contains(r#"name="to" value="2026-12-05""#), "the period ends on the Beijing date");

    // A next step due on the 4th is overdue on the 5th (by UTC it would still be due today).
    let credit_code = zhaoshang_core::credit_code::with_check_char("91620402MA7RARE02").unwrap();
    let enterprises = format!("企业名称,统一社会信用代码,所属地区\n白银某某材料有限公司,{credit_code},620402\n");
    let report = import_bytes(app.store(), ImportKind::Enterprises, "e.csv", enterprises.as_bytes(), false, &actor);
    assert!(report.await.unwrap().is_ok());
    let enterprise = app.store().enterprise_by_code(&credit_code).await.unwrap().unwrap();
    let owner = app.store().user_by_name("baiyin").await.unwrap().unwrap();
    let plan = PlanData {
        enterprise_id: enterprise.id,
        node_id: None,
        region_code: "620400".into(),
        owner_id: owner.id,
        approach: "以商招商".into(),
        next_step: "赴总部拜访".into(),
        due_on: Some("2026-12-04".parse().unwrap()),
        status: "active".into(),
    };
    app.store().create_plan(&plan, &actor).await.unwrap();
    let inbox = app.get("/inbox", Some(&cookie)).await;
    assert_eq!(inbox.status(), StatusCode::OK);
    let inbox = body_text(inbox).await;
    assert!(inbox.contains("赴总部拜访") && inbox.contains("class=\"nav-badge\""), "overdue in the inbox");
}
