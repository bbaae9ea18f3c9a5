//! The official calendar page: everyone reads which days the holiday notices set apart;
//! the administrator enters next year's notice when it is published, checked line by
//! line, audited, and used at once by every working-day clock.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_testkit::Backend;

on_both_backends!(the_administrator_adds_next_years_notice);

async fn the_administrator_adds_next_years_notice(backend: Backend) {
    let app = TestApp::with_users(backend, &[("admin", "admin", None), ("baiyin", "region", Some("620400"))]).await;
    let baiyin = app.sign_in("baiyin").await;
    let page = body_text(app.get("/reference/calendar?year=2026", Some(&baiyin)).await).await;
    assert!(page.contains("2026-02-14") && page.contains("春节") && page.contains("2026-10-07"), "{page}");
    assert!(!page.contains("id=\"calendar-form\""), "only the administrator edits");
    let csrf = app.csrf(&baiyin).await;
    let refused =
        app.post_form("/reference/calendar", &baiyin, &format!("csrf={csrf}&year=2027&lines=2027-01-01%20休")).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let admin = app.sign_in("admin").await;
    let missing = body_text(app.get("/reference/calendar?year=2027", Some(&admin)).await).await;
    assert!(missing.contains("尚未录入 2027 年") && missing.contains("id=\"calendar-form\""));
    let calendar = app.state.app.calendar().await.unwrap();
    let new_year = "2027-01-01".parse().unwrap();
    assert!(calendar.is_working_day(new_year), "a Friday, counted by weekends alone");

    let csrf = app.csrf(&admin).await;
    let bad = "2027-01-01 休 元旦\n2027-01-02 休 元旦\n2027-02-30 班";
    let form = |lines: &str| format!("csrf={csrf}&year=2027&lines={}", zhaoshang_web::auth::urlencode(lines));
    let rejected = app.post_form("/reference/calendar", &admin, &form(bad)).await;
    assert_eq!(rejected.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let message = body_text(rejected).await;
    assert!(message.contains("第2行") && message.contains("周末本就休息") && message.contains("第3行"), "{message}");
    assert!(app.store().calendar_days().await.unwrap().iter().all(|d| d.day < new_year), "nothing saved");

    let notice = "2027-01-01 休 元旦\n2027-02-06 班 春节\n2027-02-08 休 春节";
    let saved = app.post_form("/reference/calendar", &admin, &form(notice)).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let calendar = app.state.app.calendar().await.unwrap();
    assert!(!calendar.is_working_day(new_year) && calendar.holds(new_year));
    let reckoned = calendar.add_working_days("2026-12-31".parse().unwrap(), 1).unwrap();
    assert_eq!((reckoned.value.to_string(), reckoned.by_weekends_only), ("2027-01-04".to_string(), false));
    let audit = body_text(app.get("/admin/audit?entity=holiday_notice", Some(&admin)).await).await;
    let table = &audit[audit.find("id=\"audit-table\"").expect("the log's table")..];
    assert!(table.contains("节假日安排") && table.contains("2027"), "the change is in the audit log");
}
