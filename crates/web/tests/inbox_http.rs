//! The inbox page: every area's items in three colours, marked done by their owner only,
//! with CSRF; the header's badge counts red and yellow.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_testkit::Backend;

on_both_backends!(items_show_in_three_colours_and_only_their_owner_marks_them_done);

async fn items_show_in_three_colours_and_only_their_owner_marks_them_done(backend: Backend) {
    let app =
        TestApp::with_users(backend, &[("baiyin", "region", Some("620400")), ("other", "region", Some("620400"))])
            .await;
    let today = zhaoshang_app::calendar::today();
    let calendar = app.state.app.calendar_cache().get(app.store()).await.unwrap();
    let steps = [
        ("逾期的一步", today.pred_opt().unwrap()),
        ("今天的一步", today),
        ("后天前后的一步", calendar.add_working_days(today, 2).unwrap().value),
    ];
    let mut plan_ids = Vec::new();
    for (n, (step, due)) in (1..).zip(steps) {
        plan_ids.push(app.plan_due("baiyin", n, step, due).await);
    }
    let cookie = app.sign_in("baiyin").await;
    let page = body_text(app.get("/inbox", Some(&cookie)).await).await;
    for (urgency, step) in [("red", "逾期的一步"), ("yellow", "今天的一步"), ("blue", "后天前后的一步")]
    {
        let row = page.find(&format!("data-urgency=\"{urgency}\"")).unwrap_or_else(|| panic!("{urgency}: {page}"));
        assert!(page[row..].contains(step), "{urgency} row holds {step}");
    }
    assert!(
        page.contains(r#"class="nav-badge" data-colour="red""#)
            && page.contains("已逾期 1 项，今日到期 1 项，即将到期 1 项")
    );

    // Only the owner marks an item done, and only with the form's token.
    let csrf = app.csrf(&cookie).await;
    let done = |csrf: &str, id: i64| format!("csrf={csrf}&area=plans&id={id}");
    let forged = app.post_form("/inbox/done", &cookie, &done(&"0".repeat(64), plan_ids[0])).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let other = app.sign_in("other").await;
    let other_csrf = app.csrf(&other).await;
    let not_theirs = app.post_form("/inbox/done", &other, &done(&other_csrf, plan_ids[0])).await;
    assert_eq!(not_theirs.status(), StatusCode::FORBIDDEN);
    assert!(app.store().plan(plan_ids[0]).await.unwrap().unwrap().data.due_on.is_some(), "nothing changed");
    let marked = app.post_form("/inbox/done", &cookie, &done(&csrf, plan_ids[0])).await;
    assert_eq!(marked.status(), StatusCode::SEE_OTHER);
    let page = body_text(app.get("/inbox", Some(&cookie)).await).await;
    assert!(!page.contains("逾期的一步") && page.contains(r#"data-colour="yellow""#), "the red item is gone");
}
