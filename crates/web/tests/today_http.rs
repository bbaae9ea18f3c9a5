//! One "today" for the whole platform, in China time: at 07:30 in Beijing (23:30 UTC the
//! day before) the dashboard's default period and the plans' overdue check take the
//! Beijing date (the CLI's: crates/cli/tests/cli.rs). The clock is fixed through `ZHAOSHANG_NOW`, read once per
//! process, so this file holds one test and sets it first.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_app::exchange::{import_bytes, ImportKind};
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
    app.plan_due("baiyin", 1, "赴总部拜访", "2026-12-04".parse().unwrap()).await;
    let inbox = app.get("/inbox", Some(&cookie)).await;
    assert_eq!(inbox.status(), StatusCode::OK);
    let inbox = body_text(inbox).await;
    assert!(inbox.contains("赴总部拜访") && inbox.contains("class=\"nav-badge\""), "overdue in the inbox");
}
