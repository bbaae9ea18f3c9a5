//! Review rounds over HTTP (issue 21 point 2): open, assign by optimisation (no reviewer
//! of the achievement's own institution, loads within the bound), score as a reviewer
//! who sees only its own assignments and scores, swap a reviewer (audited), close,
//! publish, and the published page for anyone.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_core::achievements::same_institution;
use zhaoshang_store::achievements::AchievementData;
use zhaoshang_store::bulk::BulkExpert;
use zhaoshang_testkit::Backend;

on_both_backends!(a_round_goes_from_open_to_published);

const INSTITUTIONS: [&str; 3] = ["兰州大学", "兰州理工大学", "西北师范大学"];

async fn a_round_goes_from_open_to_published(backend: Backend) {
    let app = TestApp::with_users(
        backend,
        &[("boss", "admin", None), ("rev1", "reviewer", None), ("rev2", "reviewer", None), ("lead", "leader", None)],
    )
    .await;
    let store = app.store();
    let user = |name: &'static str| async move { store.user_by_name(name).await.unwrap().unwrap().id };
    let experts = vec![
        BulkExpert {
            name: "rev1".into(),
            institution: "四川大学".into(),
            fields: "32".into(),
            user_id: Some(user("rev1").await),
        },
        BulkExpert {
            name: "rev2".into(),
            institution: "兰州 大学".into(),
            fields: "38".into(),
            user_id: Some(user("rev2").await),
        },
        BulkExpert {
            name: "王专家".into(),
            institution: "西安交通大学".into(),
            fields: "32、38".into(),
            user_id: None,
        },
        BulkExpert {
            name: "李专家".into(), institution: "兰州理工大学".into(), fields: "".into(), user_id: None
        },
        BulkExpert { name: "赵专家".into(), institution: "重庆大学".into(), fields: "38".into(), user_id: None },
    ];
    let achievements: Vec<AchievementData> = (0..6)
        .map(|i| AchievementData {
            code: format!("CG2025-{i:02}"),
            title: format!("成果{i}"),
            institution: INSTITUTIONS[i % 3].into(),
            industry: if i % 2 == 0 { "32" } else { "38" }.into(),
            year: 2025,
            ..Default::default()
        })
        .collect();
    store.bulk_insert_pool(&experts, &achievements, &[]).await.unwrap();

    let boss = app.sign_in("boss").await;
    let csrf = app.csrf(&boss).await;
    // No round, no report: the pool page does not link to one.
    let before_round = body_text(app.get("/pool?year=2025", Some(&boss)).await).await;
    assert!(before_round.contains("2025 年度成果转化池") && !before_round.contains(r#"id="report-link""#));
    let post = |path: String, cookie: String, csrf: String, form: String| {
        let app = &app;
        async move { app.post_form(&path, &cookie, &format!("csrf={csrf}&{form}")).await.status() }
    };
    assert_eq!(
        post("/pool/rounds".into(), boss.clone(), csrf.clone(), "year=2025&per_achievement=2".into()).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(post("/pool/rounds".into(), boss.clone(), csrf.clone(), "year=2025".into()).await, StatusCode::CONFLICT);
    assert_eq!(
        post("/pool/rounds".into(), boss.clone(), csrf.clone(), "year=2026&per_achievement=99".into()).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let page = body_text(app.get("/pool/rounds/2025", Some(&boss)).await).await;
    assert!(page.contains("已开启") && page.contains("自动分配评审专家"));
    // Scoring before any assignment is refused, as are writes without the CSRF token.
    assert_eq!(app.post_form("/pool/rounds/2025/assign", &boss, "csrf=wrong").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        post("/pool/rounds/2025/assign".into(), boss.clone(), csrf.clone(), "".into()).await,
        StatusCode::SEE_OTHER
    );

    // The assignment: two reviewers each, never of the achievement's own institution.
    let mut rev1_codes = Vec::new();
    for a in &achievements {
        let assigned = store.assigned_reviewers(&a.code).await.unwrap();
        assert_eq!(assigned.len(), 2, "{}", a.code);
        for r in &assigned {
            assert!(!same_institution(&r.institution, &a.institution), "{} reviews {}", r.reviewer, a.code);
            if r.reviewer == "rev1" {
                rev1_codes.push(a.code.clone());
            }
        }
    }
    let loads = store.assignment_loads(2025).await.unwrap();
    let bound = zhaoshang_core::rounds::load_bound(2, 6, 5) as i64;
    assert!(loads.values().all(|&l| l <= bound), "{loads:?} ≤ {bound}");
    assert!(!rev1_codes.is_empty());

    // The reviewer sees its assignments only, with a scoring form.
    let rev1 = app.sign_in("rev1").await;
    let rev1_csrf = app.csrf(&rev1).await;
    let list = body_text(app.get("/achievements", Some(&rev1)).await).await;
    assert!(list.contains(&format!(r#"<strong id="total-count">{}</strong>"#, rev1_codes.len())));
    let mine = rev1_codes[0].clone();
    let page = body_text(app.get(&format!("/achievements/{mine}"), Some(&rev1)).await).await;
    assert!(page.contains(r#"id="score-form""#));
    let others: Vec<&AchievementData> = achievements.iter().filter(|a| !rev1_codes.contains(&a.code)).collect();
    if let Some(other) = others.first() {
        assert_eq!(
            app.get(&format!("/achievements/{}", other.code), Some(&rev1)).await.status(),
            StatusCode::NOT_FOUND
        );
        let status = post(
            format!("/achievements/{}/review", other.code),
            rev1.clone(),
            rev1_csrf.clone(),
            "market=1&economic=1&technical=1".into(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "no scoring what was not assigned");
    }
    let before = store.change_stamp().await.unwrap();
    let bad = post(
        format!("/achievements/{mine}/review"),
        rev1.clone(),
        rev1_csrf.clone(),
        "market=101&economic=&technical=八十".into(),
    )
    .await;
    assert_eq!(bad, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(store.change_stamp().await.unwrap(), before, "a refused form changes nothing");
    let good = post(
        format!("/achievements/{mine}/review"),
        rev1.clone(),
        rev1_csrf.clone(),
        "market=91&economic=87.5&technical=93&comment=前景好".into(),
    )
    .await;
    assert_eq!(good, StatusCode::SEE_OTHER);
    let page = body_text(app.get(&format!("/achievements/{mine}"), Some(&rev1)).await).await;
    assert!(page.contains("已提交：市场潜力 91，经济价值 87.5，技术含量 93"));

    // Nobody else reads the score while the round is open: not another reviewer, not
    // the administrator, not a leader.
    let boss_page = body_text(app.get(&format!("/achievements/{mine}"), Some(&boss)).await).await;
    assert!(boss_page.contains(r#"id="sealed""#) && !boss_page.contains("87.5") && boss_page.contains("已评分"));
    let lead = app.sign_in("lead").await;
    let lead_page = body_text(app.get(&format!("/achievements/{mine}"), Some(&lead)).await).await;
    assert!(!lead_page.contains("87.5") && !lead_page.contains(r#"id="composite""#));
    let pool = body_text(app.get("/pool?year=2025", Some(&boss)).await).await;
    assert!(pool.contains(r#"id="pool-sealed""#) && !pool.contains(r#"id="report-link""#));
    // Nor the administrator in the audit log or on its workbench: the entry names the
    // review, its scores are withheld until the close.
    let audit = body_text(app.get("/admin/audit?entity=review", Some(&boss)).await).await;
    assert!(audit.contains(&mine) && audit.contains("评审结束前不显示评分"), "the review's entry is listed");
    assert!(!audit.contains("87.5") && !audit.contains("前景好"), "no score in the log while open");
    let workbench = body_text(app.get("/", Some(&boss)).await).await;
    assert!(!workbench.contains("87.5"), "no score among the recent changes while open");
    let rev2 = app.sign_in("rev2").await;
    let rev2_page = app.get(&format!("/achievements/{mine}"), Some(&rev2)).await;
    let rev2_text = body_text(rev2_page).await;
    assert!(!rev2_text.contains("87.5") && !rev2_text.contains("rev1"));

    // Redrawing is over once a score is in; single reviewers are swapped, never into a
    // conflict and never one who scored; a swap is in the audit log.
    let redraw = post("/pool/rounds/2025/assign".into(), boss.clone(), csrf.clone(), "".into()).await;
    assert_eq!(redraw, StatusCode::UNPROCESSABLE_ENTITY);
    let mine_reviewers: Vec<String> =
        store.assigned_reviewers(&mine).await.unwrap().into_iter().map(|r| r.reviewer).collect();
    let mine_institution = &achievements.iter().find(|a| a.code == mine).unwrap().institution;
    let free = experts
        .iter()
        .find(|e| !mine_reviewers.contains(&e.name) && !same_institution(&e.institution, mine_institution))
        .unwrap();
    let scored_swap = post(
        "/pool/rounds/2025/swap".into(),
        boss.clone(),
        csrf.clone(),
        format!("code={mine}&old=rev1&new={}", free.name),
    )
    .await;
    assert_eq!(scored_swap, StatusCode::CONFLICT);
    let lzu = achievements.iter().find(|a| a.institution == "兰州大学").unwrap();
    let current = store.assigned_reviewers(&lzu.code).await.unwrap();
    let unscored = current.iter().find(|r| !r.scored).unwrap().reviewer.clone();
    let conflict = post(
        "/pool/rounds/2025/swap".into(),
        boss.clone(),
        csrf.clone(),
        format!("code={}&old={unscored}&new=rev2", lzu.code),
    )
    .await;
    assert_eq!(conflict, StatusCode::UNPROCESSABLE_ENTITY, "rev2 is of 兰州大学");
    let names: Vec<String> = current.iter().map(|r| r.reviewer.clone()).collect();
    let replacement =
        ["王专家", "赵专家", "李专家", "rev1"].into_iter().find(|n| !names.contains(&n.to_string())).unwrap();
    let swapped = post(
        "/pool/rounds/2025/swap".into(),
        boss.clone(),
        csrf.clone(),
        format!("code={}&old={unscored}&new={replacement}", lzu.code),
    )
    .await;
    assert_eq!(swapped, StatusCode::SEE_OTHER);
    let after: Vec<String> =
        store.assigned_reviewers(&lzu.code).await.unwrap().into_iter().map(|r| r.reviewer).collect();
    assert!(after.contains(&replacement.to_string()) && !after.contains(&unscored));
    let audit = body_text(app.get("/admin/audit?entity=review_assignment", Some(&boss)).await).await;
    assert!(audit.contains(&lzu.code) && audit.contains(replacement));

    // Publishing waits for the close; the published page is empty until then.
    assert_eq!(
        post("/pool/rounds/2025/publish".into(), boss.clone(), csrf.clone(), "".into()).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let empty = app.get("/pool/published", None).await;
    assert_eq!(empty.status(), StatusCode::OK);
    assert!(body_text(empty).await.contains(r#"id="published-empty""#));
    assert_eq!(
        post("/pool/rounds/2025/close".into(), boss.clone(), csrf.clone(), "".into()).await,
        StatusCode::SEE_OTHER
    );
    let late = post(
        format!("/achievements/{mine}/review"),
        rev1.clone(),
        rev1_csrf.clone(),
        "market=1&economic=1&technical=1".into(),
    )
    .await;
    assert_eq!(late, StatusCode::UNPROCESSABLE_ENTITY, "no scoring after the close");
    // Closed, the pool page links to the round's report, which answers.
    let closed = body_text(app.get("/pool?year=2025", Some(&boss)).await).await;
    assert!(closed.contains(r#"href="/pool/rounds/2025/report" id="report-link""#), "the report linked once closed");
    assert_eq!(app.get("/pool/rounds/2025/report", Some(&boss)).await.status(), StatusCode::OK);
    let boss_page = body_text(app.get(&format!("/achievements/{mine}"), Some(&boss)).await).await;
    assert!(boss_page.contains("87.5") && boss_page.contains("<td>rev1</td>"), "scores open once closed");
    let audit = body_text(app.get("/admin/audit?entity=review", Some(&boss)).await).await;
    assert!(audit.contains("87.5") && !audit.contains("评审结束前不显示评分"), "the log shows them once closed");
    assert_eq!(
        post("/pool/rounds/2025/publish".into(), boss.clone(), csrf.clone(), "".into()).await,
        StatusCode::SEE_OTHER
    );
    let published = body_text(app.get("/pool/published", None).await).await;
    assert!(
        published.contains("2025 年度科技成果转化池") && published.contains(&mine),
        "the only scored achievement enters"
    );
    assert!(!published.contains("87.5"), "no scores on the public page");
    assert_eq!(app.get("/pool/published?year=2024", None).await.status(), StatusCode::NOT_FOUND);
}
