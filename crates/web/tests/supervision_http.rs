//! 营商环境监督评价 over HTTP on the demo data, in a quarter of its own (2024 Q2, before
//! the demo's appeals): two cities' appeals of one dimension and a member's rating give the
//! indices a hand computation gives; a rating is updated in place and audited; a bad score
//! or bad weights change nothing; a city's user sees its own row; members rate, the admin
//! sets the weights, and nobody else does either.

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::*;
use zhaoshang_store::appeals::AppealData;
use zhaoshang_store::weights::SUPERVISION_WEIGHTS;
use zhaoshang_store::{Actor, AuditFilter};
use zhaoshang_testkit::Backend;

on_both_backends!(indices_follow_the_appeals_and_the_members_ratings);

const PAGE: &str = "/appeals/supervision?year=2024&quarter=2";

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The row of a city in the page's table.
fn row_of<'a>(html: &'a str, region: &str) -> Option<&'a str> {
    let start = html.find(&format!(r#"<tr data-region="{region}">"#))?;
    let end = start + html[start..].find("</tr>")?;
    Some(&html[start..end])
}

/// The government dimension's index in a row.
fn government_index(row: &str) -> &str {
    let start = row.find(r#"data-dimension="government"><details><summary>"#).unwrap()
        + r#"data-dimension="government"><details><summary>"#.len();
    &row[start..start + row[start..].find('<').unwrap()]
}

async fn ratings_count(app: &TestApp) -> usize {
    app.store().supervision_ratings(2024, 2).await.unwrap().len()
}

async fn indices_follow_the_appeals_and_the_members_ratings(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let calendar = app.state.app.calendar().await.unwrap();
    // 白银 answers its appeal the next working day and satisfies; 天水 answers late and
    // does not. Both received on Monday 8 April 2024 with the default limit.
    let appeal = |code: &str, region: &str, answered: &str, closed: &str, rating: &str| {
        let mut data = AppealData {
            code: code.into(),
            enterprise: format!("评价企业{code}"),
            region_code: region.into(),
            dimension: "government".into(),
            content: "审批材料反复退回".into(),
            received_on: day("2024-04-08"),
            limit_days: 5,
            answered_on: Some(day(answered)),
            closed_on: Some(day(closed)),
            rating: rating.into(),
            ..Default::default()
        };
        data.reckon_due(&calendar);
        data
    };
    let appeals = [
        appeal("PJ-BY-1", "620402", "2024-04-09", "2024-04-10", "satisfied"),
        appeal("PJ-TS-1", "620502", "2024-04-22", "2024-04-23", "dissatisfied"),
    ];
    assert!(
        appeals[0].answered_on.unwrap() <= appeals[0].due_on && appeals[1].answered_on.unwrap() > appeals[1].due_on
    );
    store.upsert_appeals(&appeals, &Actor::system("测试")).await.unwrap();

    let member = app.sign_in_demo("member").await;
    let admin = app.sign_in_demo("admin").await;
    let member_csrf = app.csrf(&member).await;
    let admin_csrf = app.csrf(&admin).await;
    let rate = |csrf: &str, score: &str| {
        format!("csrf={csrf}&year=2024&quarter=2&region=620400&dimension=government&score={score}&comment=%E5%AE%A1%E6%89%B9%E6%8F%90%E9%80%9F")
    };
    assert_eq!(
        app.post_form("/appeals/supervision/ratings", &member, &rate(&member_csrf, "80")).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.post_form("/appeals/supervision/ratings", &member, &rate(&member_csrf, "90")).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(ratings_count(&app).await, 1, "the second rating replaced the first");

    // A bad score: 422 with the reason, nothing changed.
    for bad in ["101", "八十", ""] {
        let response = app.post_form("/appeals/supervision/ratings", &member, &rate(&member_csrf, bad)).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(body_text(response).await.contains("0 到 100 之间的整数"), "{bad}");
    }
    let not_a_city = rate(&member_csrf, "70").replace("region=620400", "region=620402");
    assert_eq!(
        app.post_form("/appeals/supervision/ratings", &member, &not_a_city).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let ratings = store.supervision_ratings(2024, 2).await.unwrap();
    assert_eq!((ratings.len(), ratings[0].score, ratings[0].comment.as_str()), (1, 90, "审批提速"));
    let audit = AuditFilter { entity: Some("supervision_rating".into()), page: 1, per_page: 100, ..Default::default() };
    let (entries, _) = store.audit_entries(&audit).await.unwrap();
    // The demo's own ratings are of another quarter.
    let entries: Vec<_> = entries.into_iter().filter(|e| e.entity_id.starts_with("2024Q2/")).collect();
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions.len(), 2, "{actions:?}");
    assert!(entries.iter().all(|e| e.actor_name == "member"));
    assert!(
        entries.iter().any(|e| e.before_json.as_deref().is_some_and(|b| b.contains("80"))),
        "the update keeps what it replaced"
    );

    // By hand: 白银 is best on every indicator that differs and equal on the reopen rate
    // (none reopened): 100 each, so 100; 天水 scores the floor 60 on the three that differ
    // and 100 on the reopen rate. Default weights 0.3/0.3/0.2/0.2 and 70% data.
    let baiyin = 0.7 * 100.0 + 0.3 * 90.0;
    let tianshui = 0.3 * 60.0 + 0.3 * 60.0 + 0.2 * 60.0 + 0.2 * 100.0;
    let html = body_text(app.get(PAGE, Some(&admin)).await).await;
    let (by_row, ts_row) = (row_of(&html, "620400").unwrap(), row_of(&html, "620500").unwrap());
    assert_eq!(government_index(by_row), format!("{baiyin:.2}"));
    assert_eq!(government_index(ts_row), format!("{tianshui:.2}"));
    assert!(by_row.contains(r#"<td class="num">1</td><td>白银市</td>"#), "{by_row}");
    assert!(ts_row.contains(r#"<td class="num">2</td><td>天水市</td>"#), "{ts_row}");
    assert!(by_row.contains("定性部分 90.00（1 位委员评分的平均）"), "the explanation: {by_row}");
    assert!(ts_row.contains("尚无委员评分") && ts_row.contains("仅按定量部分"), "{ts_row}");
    assert!(ts_row.contains("按时答复率：0.0%"), "{ts_row}");
    let quiet = row_of(&html, "620200").unwrap();
    assert!(quiet.contains("无综合指数"), "a city without data is unranked: {quiet}");

    // A city's user sees its own row and rank only.
    let tianshui_user = app.sign_in_demo("tianshui").await;
    let own = body_text(app.get(PAGE, Some(&tianshui_user)).await).await;
    assert!(row_of(&own, "620500").is_some() && row_of(&own, "620400").is_none());
    assert!(own.contains(r#"id="supervision-own-only""#) && !own.contains(r#"id="rating-form""#));

    // Weights: a bad sum changes nothing; good ones make a version, audited, in force.
    let weights = |csrf: &str, typed: [&str; 5]| {
        format!(
            "csrf={csrf}&on_time_rate={}&satisfaction_rate={}&answer_days={}&reopen_rate={}&quantitative={}&year=2024&quarter=2",
            typed[0], typed[1], typed[2], typed[3], typed[4]
        )
    };
    let bad = app
        .post_form("/appeals/supervision/weights", &admin, &weights(&admin_csrf, ["0.5", "0.5", "0.2", "0.2", "0.5"]))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body_text(bad).await.contains("四项定量指标的权重之和应为 1，现为 1.40"));
    assert!(store.weight_versions(&SUPERVISION_WEIGHTS).await.unwrap().is_empty());
    let forbidden = app
        .post_form(
            "/appeals/supervision/weights",
            &member,
            &weights(&member_csrf, ["0.25", "0.25", "0.25", "0.25", "0.5"]),
        )
        .await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    let saved = app
        .post_form(
            "/appeals/supervision/weights",
            &admin,
            &weights(&admin_csrf, ["0.25", "0.25", "0.25", "0.25", "0.5"]),
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let versions = store.weight_versions(&SUPERVISION_WEIGHTS).await.unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].units, [2500, 2500, 2500, 2500, 5000]);
    let audit = AuditFilter { entity: Some("supervision_weights".into()), page: 1, per_page: 10, ..Default::default() };
    assert_eq!(store.audit_entries(&audit).await.unwrap().0.len(), 1);
    let html = body_text(app.get(PAGE, Some(&admin)).await).await;
    let tianshui = 0.25 * 60.0 * 3.0 + 0.25 * 100.0;
    assert_eq!(government_index(row_of(&html, "620400").unwrap()), format!("{:.2}", 0.5 * 100.0 + 0.5 * 90.0));
    assert_eq!(government_index(row_of(&html, "620500").unwrap()), format!("{tianshui:.2}"));

    // Only members rate; a bad quarter is a 400-class answer.
    let admin_rates = app.post_form("/appeals/supervision/ratings", &admin, &rate(&admin_csrf, "60")).await;
    assert_eq!(admin_rates.status(), StatusCode::FORBIDDEN);
    assert_eq!(ratings_count(&app).await, 1);
    assert!(app.get("/appeals/supervision?year=2024&quarter=5", Some(&admin)).await.status().is_client_error());
    for role in ["liaison", "reviewer", "investor"] {
        let cookie = app.sign_in_demo(role).await;
        assert_eq!(app.get(PAGE, Some(&cookie)).await.status(), StatusCode::FORBIDDEN, "{role}");
    }
}
