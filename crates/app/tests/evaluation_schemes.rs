//! Indicator schemes (issue 24, point 1): a stored scheme scores the cities by its own
//! figures, directions, scalings and missing scores; a published quarter is scored again
//! exactly as published after its scheme gets a new version and the data are corrected,
//! with today's differing scores beside it; bad forms and unfinished quarters change nothing.

use std::collections::HashMap;
use zhaoshang_app::evaluation::SchemeVersion;
use zhaoshang_app::exchange::{import_bytes, ImportKind};
use zhaoshang_app::search::SearchIndex;
use zhaoshang_app::{App, AppError};
use zhaoshang_core::access::{Principal, Role};
use zhaoshang_core::evaluation::scheme::IndicatorRow;
use zhaoshang_store::leads::NewLead;
use zhaoshang_store::projects::ProjectData;
use zhaoshang_store::{Actor, Store, StoreError};
use zhaoshang_testkit::on_both_backends;

on_both_backends!(app: a_published_quarter_stays_as_published_after_a_scheme_change_and_a_data_correction);
on_both_backends!(app: a_scheme_scores_the_leads_clock_and_the_chambers_signings_of_each_city);

async fn import(store: &Store, kind: ImportKind, csv: &str) {
    let report = import_bytes(store, kind, "t.csv", csv.as_bytes(), false, &Actor::system("测试")).await.unwrap();
    assert!(report.is_ok() && report.applied, "{kind:?}: {:?}", report.problems);
}

fn row<'a>(
    figure: &'a str,
    weight: &'a str,
    direction: &'a str,
    scaling: &'a str,
    missing: &'a str,
) -> IndicatorRow<'a> {
    IndicatorRow { figure, weight, direction, scaling, missing_score: missing }
}

/// Each city's score in a view's items, by code.
fn scores(items: &[zhaoshang_core::evaluation::EvaluationItem]) -> HashMap<String, f64> {
    items.iter().map(|item| (item.region.clone(), item.score)).collect()
}

async fn a_published_quarter_stays_as_published_after_a_scheme_change_and_a_data_correction(store: &Store) {
    let app = App::new(store.clone(), SearchIndex::open(store).await.unwrap());
    let admin = Principal { user_id: 0, username: "admin".into(), role: Role::Admin, region: None };
    let city = Principal {
        role: Role::Region,
        region: Some(zhaoshang_core::regions::RegionCode::parse("620400").unwrap()),
        ..admin.clone()
    };
    let actor = Actor::system("测试");
    import(
        store,
        ImportKind::Projects,
        "项目编号,项目名称,所属地区,总投资(万元),项目阶段,签约日期,开工日期\n\
         SC-1,兰州项目,620100,20000,开工,2024-01-10,2024-02-01\n\
         SC-2,白银项目,620400,5000,签约,2024-02-01,\n\
         SC-3,天水项目,620500,8000,开工,2024-03-01,2024-03-05\n",
    )
    .await;
    import(
        store,
        ImportKind::Funding,
        "项目编号,到位日期,到位金额(万元),资金来源\nSC-1,2024-02-10,100,省外境内\nSC-2,2024-03-01,900,省外境内\nSC-3,2024-03-02,300,境外\n",
    )
    .await;

    // Funds by the efficacy coefficient; the start rate by rank, a city without signings
    // scoring 50; the appeals' on-time rate (none filed: every city scores 0 on it).
    let rows = [
        row("funds_in_place_wan", "0.5", "higher", "efficacy", "60"),
        row("start_rate", "0.3", "higher", "rank", "50"),
        row("appeals_on_time_rate", "0.2", "higher", "min_max", "0"),
        row("signed_count", "", "higher", "efficacy", "60"),
    ];
    let v1 = app.save_evaluation_scheme(&admin, &actor, "实绩方案", &rows).await.unwrap().unwrap();
    assert_eq!((v1.version, v1.scheme.indicators.len()), (1, 3));
    let scheme = v1.id.unwrap().to_string();
    let q1 = (Some("620000"), Some("2024"), Some("1"));
    let view = app.evaluation_for(&admin, q1.0, q1.1, q1.2, Some(&scheme)).await.unwrap();
    assert_eq!(view.evaluation.scheme, v1);
    assert!(view.publication.is_none());
    assert_eq!(view.schemes.len(), 2, "SPEC's and the stored version");
    // Funds: 白银 900 → 100, 天水 300 → 73.33, 兰州 100 → 64.44, the others 0 → 60.
    // Start rate: 兰州 and 天水 1 share places 1–2 → 75, 白银 0 → 0, the others 50.
    let published_scores = scores(&view.evaluation.items);
    assert_eq!(published_scores["620500"], 59.17);
    assert_eq!(published_scores["620100"], 54.72);
    assert_eq!(published_scores["620400"], 50.0);
    assert_eq!(published_scores["620200"], 45.0);
    let ranks: Vec<&str> = view.evaluation.items.iter().take(3).map(|item| item.region.as_str()).collect();
    assert_eq!(ranks, ["620500", "620100", "620400"]);

    // Only the administrator publishes, only a finished quarter, only once.
    let refused = app.publish_evaluation(&city, &actor, q1.0, q1.1, q1.2, Some(&scheme)).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    let this_quarter = zhaoshang_core::evaluation::Quarter::last_finished(zhaoshang_app::calendar::today());
    let (year, quarter) = if this_quarter.quarter() == 4 {
        (this_quarter.year() + 1, 1)
    } else {
        (this_quarter.year(), this_quarter.quarter() + 1)
    };
    let unfinished =
        app.publish_evaluation(&admin, &actor, q1.0, Some(&year.to_string()), Some(&quarter.to_string()), None).await;
    assert!(matches!(unfinished, Err(AppError::Invalid(ref m)) if m.contains("尚未结束")), "{unfinished:?}");
    app.publish_evaluation(&admin, &actor, q1.0, q1.1, q1.2, Some(&scheme)).await.unwrap();
    let again = app.publish_evaluation(&admin, &actor, q1.0, q1.1, q1.2, None).await;
    assert!(matches!(again, Err(AppError::Store(StoreError::Conflict(_)))), "{again:?}");

    // A bad form saves nothing.
    let bad = app
        .save_evaluation_scheme(
            &admin,
            &actor,
            "实绩方案",
            &[row("funds_in_place_wan", "0.7", "higher", "efficacy", "60")],
        )
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(bad.fields["weights"], "各项权重之和应为 1，现为 0.70");
    let refused = app.save_evaluation_scheme(&city, &actor, "实绩方案", &rows).await;
    assert!(matches!(refused, Err(AppError::Forbidden)));
    assert_eq!(store.evaluation_schemes().await.unwrap().len(), 1);

    // The scheme gets a second version, and 白银's funds are corrected upwards.
    let v2 = app
        .save_evaluation_scheme(
            &admin,
            &actor,
            "实绩方案",
            &[row("funds_in_place_wan", "1", "higher", "efficacy", "60")],
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!((v2.name.as_str(), v2.version), ("实绩方案", 2));
    import(store, ImportKind::Funding, "项目编号,到位日期,到位金额(万元),资金来源\nSC-2,2024-03-15,5000,省外境内\n")
        .await;

    // The page opens the quarter under its published version: the published result is
    // scored again from its snapshot, equal to what was published and stored.
    let view = app.evaluation_for(&admin, q1.0, q1.1, q1.2, None).await.unwrap();
    let publication = view.publication.expect("published");
    assert_eq!(publication.evaluation.scheme, v1, "the version it was published under, not the newest");
    assert_eq!(scores(&publication.evaluation.items), published_scores);
    let stored = store.published_evaluation("620000", 2024, 1).await.unwrap().unwrap();
    assert_eq!(stored.result, serde_json::to_string(&publication.evaluation.items).unwrap());
    assert_eq!(stored.scheme_id, v1.id);
    assert_eq!(view.evaluation.scheme, v1, "today's figures under the same version");
    // Today: 白银 5900 → 100; 天水 300 → 62.03, 兰州 100 → 60.68: two scores differ.
    let today = scores(&view.evaluation.items);
    assert_eq!((today["620500"], today["620100"], today["620400"]), (53.52, 52.84, 50.0));
    let mut changed: Vec<&str> = publication.changed_today.iter().map(|item| item.region.as_str()).collect();
    changed.sort();
    assert_eq!(changed, ["620100", "620500"]);

    // Under another version the publication is shown without a comparison.
    let v2_id = v2.id.unwrap().to_string();
    let view = app.evaluation_for(&admin, q1.0, q1.1, q1.2, Some(&v2_id)).await.unwrap();
    assert_eq!(view.evaluation.scheme, v2);
    assert!(view.publication.unwrap().changed_today.is_empty());
    // SPEC's scheme is the default where nothing was published.
    let q2 = app.evaluation_for(&admin, q1.0, q1.1, Some("2"), None).await.unwrap();
    assert_eq!(q2.evaluation.scheme, SchemeVersion::spec());
    assert!(q2.publication.is_none());
    // Both writes are in the audit log.
    let filter = zhaoshang_store::audit::AuditFilter { page: 1, per_page: 100, ..Default::default() };
    let (entries, _) = store.audit_entries(&filter).await.unwrap();
    let kinds: Vec<&str> = entries.iter().map(|e| e.entity.as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "evaluation_scheme").count(), 2, "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| **k == "evaluation_publication").count(), 1, "{kinds:?}");
}

/// A lead registered in `region` on `day` that entered the pipeline as project `code`.
fn lead(code: &str, region: &str, day: chrono::NaiveDate) -> NewLead {
    NewLead {
        chamber_id: None,
        channel: "来访".into(),
        subject: String::new(),
        tracking_code: None,
        referrer_id: None,
        referrer_name: String::new(),
        investor: format!("{code}投资方"),
        investor_credit_code: String::new(),
        enterprise_id: None,
        industry: String::new(),
        region_code: region.into(),
        amount: 0,
        contact: String::new(),
        notes: String::new(),
        lead_on: day,
        project: Some(ProjectData {
            code: code.into(),
            name: format!("{code}项目"),
            region_code: region.into(),
            stage: "lead".into(),
            lead_on: Some(day),
            ..ProjectData::default()
        }),
        duplicate_of: None,
        next_step: None,
        next_due_on: None,
        activity_id: None,
    }
}

/// 线索按时办理率 counts each city's registered leads' steps due in the period (done by
/// the due date, over all that fell due: undone ones are overdue by now), whoever
/// registered them; 商会引荐项目签约投资额 sums the signings of projects whose 来源单位 is
/// a chamber of the registry, and of no other.
async fn a_scheme_scores_the_leads_clock_and_the_chambers_signings_of_each_city(store: &Store) {
    let app = App::new(store.clone(), SearchIndex::open(store).await.unwrap());
    let admin = Principal { user_id: 0, username: "admin".into(), role: Role::Admin, region: None };
    let actor = Actor::system("测试");
    import(store, ImportKind::Chambers, "商会名称,商会类型\n上海甘肃商会,异地甘肃商会\n").await;
    import(
        store,
        ImportKind::Projects,
        "项目编号,项目名称,所属地区,总投资(万元),项目阶段,签约日期,来源单位\n\
         CH-1,兰州商会项目,620100,20000,签约,2024-01-10,上海甘肃商会\n\
         CH-2,兰州自引项目,620100,5000,签约,2024-01-11,\n\
         CH-3,天水项目,620500,8000,签约,2024-02-01,某某联谊会\n\
         CH-4,白银终止项目,620400,9000,终止,2024-02-01,上海甘肃商会\n",
    )
    .await;
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2024, m, d).unwrap();
    let kept = store.register_lead(&lead("LD-1", "620100", day(1, 8)), &actor).await.unwrap();
    store.register_lead(&lead("LD-2", "620400", day(1, 9)), &actor).await.unwrap();
    // 兰州's lead acknowledged the next day (on time); its other two steps and all of
    // 白银's were never done. Leads registered after the quarter do not count.
    store.record_lead_step(kept, "acknowledged", day(1, 9), "已受理", (None, None), &actor).await.unwrap();
    store.register_lead(&lead("LD-3", "620500", day(5, 6)), &actor).await.unwrap();

    let rows = [
        row("leads_on_time_rate", "0.5", "higher", "efficacy", "60"),
        row("chamber_signed_investment_wan", "0.5", "higher", "efficacy", "60"),
    ];
    let scheme = app.save_evaluation_scheme(&admin, &actor, "线索与商会", &rows).await.unwrap().unwrap();
    let id = scheme.id.unwrap().to_string();
    let view = app.evaluation_for(&admin, Some("620000"), Some("2024"), Some("1"), Some(&id)).await.unwrap();
    let values = |name: &str| {
        let city = view.evaluation.snapshot.current.iter().find(|row| row.name == name).unwrap();
        city.values.clone()
    };
    assert_eq!(values("兰州市"), [Some(1.0 / 3.0), Some(20000.0)]);
    assert_eq!(values("白银市"), [Some(0.0), Some(0.0)], "a dropped project is no signing");
    assert_eq!(values("天水市"), [None, Some(0.0)], "no lead of its own in the quarter; not a registry chamber");
    // Scores: 兰州 best on both (100); 白银 60 on both; 天水 60 (missing) and 60.
    let scores = scores(&view.evaluation.items);
    assert_eq!(scores["620100"], 100.0);
    assert_eq!(scores["620400"], 60.0);
}
