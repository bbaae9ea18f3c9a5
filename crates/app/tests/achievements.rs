//! The S&T achievement pool on both backends: the achievements and reviews imports (keys,
//! bad rows, conflicts of interest, the expert pool, dry runs, all or nothing), export and
//! re-import that changes nothing, backup and restore, and the year's selection read
//! from the database against the rule computed here from the imported rows.

use std::collections::HashMap;
use zhaoshang_app::achievements::{candidates_with_intervals, selection, selection_json, Intervals};
use zhaoshang_app::exchange::{export_table, import_bytes, write_table, ImportKind, ImportReport, TableFormat};
use zhaoshang_core::achievements::{rank_intervals, Ratio, Weights, RESAMPLES, RESAMPLE_SEED};
use zhaoshang_store::audit::AuditFilter;
use zhaoshang_store::listing::ProjectFilter;
use zhaoshang_store::{Actor, Store};
use zhaoshang_testkit::on_both_backends;

on_both_backends!(
    app: achievements_are_checked_and_upserted_by_code,
    reviews_refuse_conflicts_unknown_codes_and_bad_scores,
    unknown_reviewers_join_the_expert_pool,
    exports_reimport_unchanged_and_backups_keep_the_pool,
    the_selection_reads_the_years_reviews,
    rank_intervals_are_kept_until_the_pool_changes,
    contacts_are_an_optional_column,
    an_open_rounds_scores_stay_out_of_the_export,
    credit_codes_name_institutions_and_reveal_conflicts,
    a_later_registration_keeps_the_earlier_round,
);

async fn import(store: &Store, kind: ImportKind, csv: &str, dry_run: bool) -> ImportReport {
    import_bytes(store, kind, "x.csv", csv.as_bytes(), dry_run, &Actor::system("测试")).await.unwrap()
}

const ACHIEVEMENTS: &str = "成果编号,成果名称,完成单位,行业代码,登记年度,成熟度,知识产权,简介\n\
    A-1,稀土永磁制备技术,兰州大学,32,2023,中试,发明专利2项,晶界扩散\n\
    A-2,旱作马铃薯栽培,甘肃农业大学,1,2023,产业化阶段,,\n\
    A-3,催化剂,中国科学院兰州化学物理研究所,C26,2023,实验室阶段,,\n\
    A-4,高原铁路轨道,兰州交通大学,37,2024,,,\n";

async fn seed(store: &Store) {
    let report = import(store, ImportKind::Achievements, ACHIEVEMENTS, false).await;
    assert!(report.is_ok(), "{:?}", report.problems);
}

async fn achievements_are_checked_and_upserted_by_code(store: &Store) {
    let bad = import(
        store,
        ImportKind::Achievements,
        "成果编号,成果名称,完成单位,行业代码,登记年度,成熟度\n\
         B-1,好成果,兰州大学,32,2023,中试\n\
         B-2,,兰州大学,99,23,快成了\n\
         B-1,重复,兰州大学,32,2023,\n",
        false,
    )
    .await;
    let cells: Vec<(usize, &str)> = bad.problems.iter().map(|p| (p.row, p.column.as_str())).collect();
    assert_eq!(cells, [(3, "成果名称"), (3, "行业代码"), (3, "登记年度"), (3, "成熟度"), (4, "成果编号")]);
    assert!(bad.problems[4].message.contains("与第2行重复"), "{:?}", bad.problems[4]);
    assert!(store.all_achievements().await.unwrap().is_empty(), "a bad row: nothing written");

    let checked = import(store, ImportKind::Achievements, ACHIEVEMENTS, true).await;
    assert!(checked.is_ok() && !checked.applied && checked.created == 4);
    assert!(store.all_achievements().await.unwrap().is_empty(), "a dry run writes nothing");

    seed(store).await;
    let stored = store.achievement("A-3").await.unwrap().unwrap();
    assert_eq!((stored.industry.as_str(), stored.maturity.as_str()), ("26", "laboratory"));
    assert_eq!(store.achievement("A-2").await.unwrap().unwrap().industry, "01", "Excel's 1 is division 01");
    // The same institution written another way is the stored one.
    let again = import(
        store,
        ImportKind::Achievements,
        "成果编号,成果名称,完成单位,登记年度\nA-3,催化剂,中科院兰州化学物理研究所,2023\nA-5,新成果,兰州 大学,2023\n",
        false,
    )
    .await;
    assert_eq!((again.created, again.updated, again.unchanged), (1, 0, 1), "{:?}", again.problems);
    assert_eq!(store.achievement("A-5").await.unwrap().unwrap().institution, "兰州大学");
    assert_eq!(store.achievement("A-3").await.unwrap().unwrap().industry, "26", "absent columns keep their values");
    let audit = AuditFilter { entity: Some("achievement".into()), per_page: 100, ..Default::default() };
    assert_eq!(store.audit_entries(&audit).await.unwrap().0.len(), 5, "each achievement written is audited");
}

async fn reviews_refuse_conflicts_unknown_codes_and_bad_scores(store: &Store) {
    seed(store).await;
    let report = import(
        store,
        ImportKind::Reviews,
        "成果编号,评审专家,专家单位,市场潜力,经济价值,技术含量\n\
         A-1,王立新,西安交通大学,85,80,90.5\n\
         A-1,马永福,兰州大学,70,70,70\n\
         A-2,李春华,清华大学,101,-1,八十\n\
         X-9,李春华,清华大学,80,80,80\n\
         A-3,谢长青,中国科学院兰州化学物理研究所,80,80,80\n\
         A-1,王立新,西安交通大学,60,60,60\n",
        false,
    )
    .await;
    let cells: Vec<(usize, &str)> = report.problems.iter().map(|p| (p.row, p.column.as_str())).collect();
    assert_eq!(
        cells,
        [
            (3, "专家单位"),
            (4, "市场潜力"),
            (4, "经济价值"),
            (4, "技术含量"),
            (5, "成果编号"),
            (6, "专家单位"),
            (7, "评审专家")
        ]
    );
    assert!(report.problems[0].message.contains("利益冲突"), "{:?}", report.problems[0]);
    assert!(report.problems[5].message.contains("利益冲突"), "中国科学院 = 中科院: {:?}", report.problems[5]);
    assert!(report.problems[4].message.contains("不在成果库中"));
    assert!(store.all_reviews().await.unwrap().is_empty() && store.experts().await.unwrap().is_empty());

    let good = import(
        store,
        ImportKind::Reviews,
        "成果编号,评审专家,专家单位,市场潜力,经济价值,技术含量\nA-1,王立新,西安交通大学,85,80,90.5\n",
        false,
    )
    .await;
    assert!(good.is_ok() && good.created == 1);
    // A known expert's stored institution counts too: 马永福 of 兰州大学 may not review A-1 as "西北大学".
    import(
        store,
        ImportKind::Reviews,
        "成果编号,评审专家,专家单位,市场潜力,经济价值,技术含量\nA-2,马永福,兰州大学,80,80,80\n",
        false,
    )
    .await;
    let disguised = import(
        store,
        ImportKind::Reviews,
        "成果编号,评审专家,专家单位,市场潜力,经济价值,技术含量\nA-1,马永福,西北大学,80,80,80\n",
        false,
    )
    .await;
    assert!(disguised.problems.iter().any(|p| p.message.contains("利益冲突")), "{:?}", disguised.problems);
    let review = &store.reviews_of("A-1", None).await.unwrap()[0];
    assert_eq!((review.market, review.economic, review.technical), (8500, 8000, 9050));
}

async fn unknown_reviewers_join_the_expert_pool(store: &Store) {
    seed(store).await;
    let missing =
        import(store, ImportKind::Reviews, "成果编号,评审专家,市场潜力,经济价值,技术含量\nA-1,张三,80,80,80\n", false)
            .await;
    assert!(missing.problems[0].message.contains("须填写专家单位"), "{:?}", missing.problems);
    let report = import(
        store,
        ImportKind::Reviews,
        "成果编号,评审专家,专家单位,市场潜力,经济价值,技术含量\nA-1,张三,四川大学,80,80,80\nA-2,张三,,70,70,70\n",
        false,
    )
    .await;
    assert!(report.is_ok(), "{:?}", report.problems);
    let experts = store.experts().await.unwrap();
    assert_eq!(experts.len(), 1);
    assert_eq!(
        (experts[0].name.as_str(), experts[0].institution.as_str(), experts[0].user_id),
        ("张三", "四川大学", None)
    );
    let second = &store.reviews_of("A-2", None).await.unwrap()[0];
    assert_eq!(second.reviewer_institution, "四川大学", "the expert's institution when the row gives none");
    assert!(store.institutions().await.unwrap().iter().any(|(name, _)| name == "四川大学"));
}

async fn exports_reimport_unchanged_and_backups_keep_the_pool(store: &Store) {
    seed(store).await;
    import(
        store,
        ImportKind::Reviews,
        "成果编号,评审专家,专家单位,市场潜力,经济价值,技术含量\nA-1,王立新,西安交通大学,85.5,80,90.25\nA-2,李春华,清华大学,60,70,80\n",
        false,
    )
    .await;
    for kind in [ImportKind::Achievements, ImportKind::Reviews] {
        let table = export_table(store, kind, &ProjectFilter::default()).await.unwrap();
        for format in [TableFormat::Csv, TableFormat::Xlsx] {
            let bytes = write_table(&table, format).unwrap();
            let name = format!("back.{}", format.extension());
            let report = import_bytes(store, kind, &name, &bytes, false, &Actor::system("测试")).await.unwrap();
            assert!(report.is_ok(), "{kind:?} {format:?}: {:?}", report.problems);
            assert_eq!((report.created, report.updated), (0, 0), "{kind:?} {format:?}: re-import changes nothing");
            assert_eq!(report.unchanged, table.rows.len());
        }
    }
    let (backup, _) = zhaoshang_app::backup::backup(store, Vec::new()).await.unwrap();
    let before = (store.all_achievements().await.unwrap(), store.all_reviews().await.unwrap());
    zhaoshang_app::backup::restore(store, &backup[..], &Actor::system("测试")).await.unwrap();
    assert_eq!((store.all_achievements().await.unwrap(), store.all_reviews().await.unwrap()), before);
    assert_eq!(store.experts().await.unwrap().len(), 2);
}

async fn the_selection_reads_the_years_reviews(store: &Store) {
    // Ten achievements of 2023 (and one of 2024, not counted), reviewed by seven experts each
    // from 0 to 6 times; the rule is computed here from the rows as imported.
    let mut achievements = String::from("成果编号,成果名称,完成单位,行业代码,登记年度\n");
    for i in 0..10 {
        achievements.push_str(&format!("K-{i:02},成果{i},兰州大学,{},2023\n", if i % 2 == 0 { 26 } else { 32 }));
    }
    achievements.push_str("K-99,后来的成果,兰州大学,26,2024\n");
    import(store, ImportKind::Achievements, &achievements, false).await;
    let mut reviews = String::from("成果编号,评审专家,专家单位,市场潜力,经济价值,技术含量\n");
    let mut expected: HashMap<String, Vec<[i64; 3]>> = HashMap::new();
    for i in 0..10 {
        for reviewer in 0..(i % 7) {
            let s =
                [50 + (i * 7 + reviewer * 13) % 50, 40 + (i * 11 + reviewer * 5) % 60, 60 + (i * 3 + reviewer) % 40];
            reviews.push_str(&format!("K-{i:02},专家{reviewer},西北大学,{},{},{}\n", s[0], s[1], s[2]));
            expected.entry(format!("K-{i:02}")).or_default().push(s);
        }
    }
    reviews.push_str("K-99,专家0,西北大学,100,100,100\n");
    let report = import(store, ImportKind::Reviews, &reviews, false).await;
    assert!(report.is_ok(), "{:?}", report.problems);

    let chosen = selection(store, 2023, Ratio::parse("0.3").unwrap(), Weights::EQUAL).await.unwrap();
    let json = serde_json::to_value(selection_json(2023, &chosen)).unwrap();
    assert_eq!(json["year"], 2023);
    assert_eq!(json["registered"], 10);
    // By hand: composites (×3 to stay whole), trimmed at five reviews, best three.
    let mut ranked: Vec<(i64, i64, i64, String)> = expected
        .iter()
        .map(|(code, scores)| {
            let mut sums: Vec<(i64, i64)> = scores.iter().map(|s| (s[0] + s[1] + s[2], s[2])).collect();
            sums.sort();
            if sums.len() >= 5 {
                sums.remove(0);
                sums.pop();
            }
            let n = sums.len() as i64;
            (
                sums.iter().map(|s| s.0).sum::<i64>() * 60 / n,
                sums.iter().map(|s| s.1).sum::<i64>() * 60 / n,
                n,
                code.clone(),
            )
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.3.cmp(&b.3)));
    let codes: Vec<&str> =
        json["selected"].as_array().unwrap().iter().map(|item| item["code"].as_str().unwrap()).collect();
    let expected_codes: Vec<&str> = ranked.iter().take(3).map(|r| r.3.as_str()).collect();
    assert_eq!(codes, expected_codes);
    let first = &json["selected"][0];
    let exact = ranked[0].0 as f64 / 60.0 / 3.0;
    assert_eq!(first["composite"].as_f64().unwrap(), (exact * 100.0).round() / 100.0);
    assert_eq!(first["rank_in_industry"], 1);
    assert!(first["industry"] == "26" || first["industry"] == "32");
}

/// The year's rank intervals as served, checked against a fresh bootstrap of the reviews
/// now stored.
async fn served_intervals(store: &Store, year: i64) -> Intervals {
    let (_, _, served) = candidates_with_intervals(store, year).await.unwrap();
    let (_, candidates) = store.pool_candidates(year).await.unwrap();
    let fresh = rank_intervals(&candidates, Weights::EQUAL, RESAMPLES, RESAMPLE_SEED);
    assert_eq!(*served, fresh, "the cache served intervals the reviews no longer give");
    served
}

async fn rank_intervals_are_kept_until_the_pool_changes(store: &Store) {
    seed(store).await;
    let reviews = "成果编号,评审专家,专家单位,市场潜力,经济价值,技术含量\n\
        A-1,王立新,西安交通大学,85,80,90\n\
        A-1,李春华,清华大学,60,55,70\n\
        A-1,赵明,四川大学,95,90,92\n\
        A-2,王立新,西安交通大学,80,82,78\n\
        A-2,李春华,清华大学,75,70,88\n\
        A-3,王立新,西安交通大学,70,90,60\n\
        A-3,赵明,四川大学,88,60,85\n";
    assert!(import(store, ImportKind::Reviews, reviews, false).await.is_ok());

    let first = served_intervals(store, 2023).await;
    assert_eq!(first.len(), 3, "every reviewed achievement of the year");
    assert!(first.values().any(|i| i.worst > i.best), "reviews that differ make ranks move");
    let version = store.pool_version().await.unwrap();
    assert!(store.interval_cache().get(&2023, version).is_some_and(|kept| std::sync::Arc::ptr_eq(&kept, &first)));
    let again = served_intervals(store, 2023).await;
    assert!(std::sync::Arc::ptr_eq(&again, &first), "served from the cache, not computed again");

    // An achievement registered moves the counter (it has no review yet, so no interval).
    let achievement = "成果编号,成果名称,完成单位,行业代码,登记年度\nA-5,新成果,兰州大学,32,2023\n";
    assert!(import(store, ImportKind::Achievements, achievement, false).await.is_ok());
    let registered = store.pool_version().await.unwrap();
    assert!(registered > version, "an achievement moves the pool counter");
    let unreviewed = served_intervals(store, 2023).await;
    assert!(!std::sync::Arc::ptr_eq(&unreviewed, &first) && *unreviewed == *first, "computed afresh, the same");

    // Its first review moves the counter; the next reader gets intervals of the new reviews.
    let more = "成果编号,评审专家,专家单位,市场潜力,经济价值,技术含量\n\
        A-5,王立新,西安交通大学,99,99,99\n";
    assert!(import(store, ImportKind::Reviews, more, false).await.is_ok());
    let moved = store.pool_version().await.unwrap();
    assert!(moved > registered, "a review moves the pool counter");
    assert!(store.interval_cache().get(&2023, moved).is_none());
    let after = served_intervals(store, 2023).await;
    assert_eq!(after.len(), 4);
    assert_eq!((after["A-5"].best, after["A-5"].worst), (1, 1), "first whichever of its one review is drawn");

    // So do a round's writes.
    let actor = Actor::system("测试");
    store.open_round(2023, 3, &actor).await.unwrap();
    let opened = store.pool_version().await.unwrap();
    assert!(opened > moved, "opening a round moves the pool counter");
    store.set_round_status(2023, "open", "closed", &actor).await.unwrap();
    assert!(store.pool_version().await.unwrap() > opened, "closing a round moves the pool counter");
    served_intervals(store, 2023).await;
    // Writes elsewhere leave it.
    let stats = store.stats_version().await.unwrap();
    let pool = store.pool_version().await.unwrap();
    let targets = "所属地区,年度,到位资金目标(万元)\n天水市,2024,6000\n";
    assert!(import(store, ImportKind::Targets, targets, false).await.is_ok());
    assert!(store.stats_version().await.unwrap() > stats);
    assert_eq!(store.pool_version().await.unwrap(), pool, "projects' figures are not the pool's");
}

async fn contacts_are_an_optional_column(store: &Store) {
    seed(store).await;
    assert_eq!(store.achievement("A-1").await.unwrap().unwrap().contact, "", "SPEC's columns alone: no contact");
    let report = import(
        store,
        ImportKind::Achievements,
        "成果编号,成果名称,完成单位,登记年度,联系方式\nA-1,稀土永磁制备技术,兰州大学,2023,王老师 0931-8912345\n",
        false,
    )
    .await;
    assert!(report.is_ok() && report.updated == 1, "{:?}", report.problems);
    assert_eq!(store.achievement("A-1").await.unwrap().unwrap().contact, "王老师 0931-8912345");
    // A file without the column keeps it; an over-long one is a bad row that changes nothing.
    let again = import(store, ImportKind::Achievements, ACHIEVEMENTS, false).await;
    assert_eq!(again.unchanged, 4, "{:?}", again.problems);
    let long = format!(
        "成果编号,成果名称,完成单位,登记年度,联系方式\nA-1,稀土永磁制备技术,兰州大学,2023,{}\n",
        "电".repeat(101)
    );
    let refused = import(store, ImportKind::Achievements, &long, false).await;
    assert!(refused.problems[0].message.contains("联系方式不能超过100个字"), "{:?}", refused.problems);
    assert_eq!(store.achievement("A-1").await.unwrap().unwrap().contact, "王老师 0931-8912345");
    let table = export_table(store, ImportKind::Achievements, &ProjectFilter::default()).await.unwrap();
    let at = table.headers.iter().position(|h| h == "联系方式").expect("exported");
    assert_eq!(table.rows[0][at], "王老师 0931-8912345");
}

async fn an_open_rounds_scores_stay_out_of_the_export(store: &Store) {
    seed(store).await;
    import(
        store,
        ImportKind::Reviews,
        "成果编号,评审专家,专家单位,市场潜力,经济价值,技术含量\nA-1,王立新,西安交通大学,85.5,80,90.25\nA-4,李春华,清华大学,60,70,80\n",
        false,
    )
    .await;
    // 2024's round is being scored; 2023 has none (third-party reviews, readable).
    store.open_round(2024, 5, &Actor::system("测试")).await.unwrap();
    let table = export_table(store, ImportKind::Reviews, &ProjectFilter::default()).await.unwrap();
    assert_eq!(table.rows[0][3..6], ["85.5", "80", "90.25"]);
    assert_eq!(table.rows[1][..3], ["A-4", "李春华", "清华大学"]);
    assert_eq!(table.rows[1][3..6], ["", "", ""], "the open round's scores are left out");
    let (backup, _) = zhaoshang_app::backup::backup(store, Vec::new()).await.unwrap();
    zhaoshang_app::backup::restore(store, &backup[..], &Actor::system("测试")).await.unwrap();
    assert_eq!(store.reviews_of("A-4", None).await.unwrap()[0].market, 6000, "a backup keeps every score");
}

async fn credit_codes_name_institutions_and_reveal_conflicts(store: &Store) {
    use zhaoshang_core::credit_code::with_check_char;
    use zhaoshang_store::achievements::{AchievementData, ReviewData};
    seed(store).await;
    let lzu = with_check_char("12620000438000001").unwrap();
    let header = "成果编号,成果名称,完成单位,登记年度,完成单位信用代码";
    let bad = import(
        store,
        ImportKind::Achievements,
        &format!("{header}\nA-1,稀土永磁制备技术,兰州大学,2023,12345\n"),
        false,
    )
    .await;
    assert_eq!(bad.problems[0].column, "完成单位信用代码", "{:?}", bad.problems);
    assert_eq!(store.achievement("A-1").await.unwrap().unwrap().institution_credit_code, "");
    let good = import(
        store,
        ImportKind::Achievements,
        &format!("{header}\nA-1,稀土永磁制备技术,兰州大学,2023,{lzu}\n"),
        false,
    )
    .await;
    assert!(good.is_ok() && good.updated == 1, "{good:?}");
    assert_eq!(store.achievement("A-1").await.unwrap().unwrap().institution_credit_code, lzu);
    assert!(store.institutions().await.unwrap().contains(&("兰州大学".to_string(), lzu.clone())));
    // Another code for the same institution is refused; a file without the column keeps it.
    let other = with_check_char("12620000438000002").unwrap();
    let clash = import(
        store,
        ImportKind::Achievements,
        &format!("{header}\nA-1,稀土永磁制备技术,兰州大学,2023,{other}\n"),
        false,
    )
    .await;
    assert!(clash.problems[0].message.contains("不一致"), "{:?}", clash.problems);
    let kept = import(store, ImportKind::Achievements, ACHIEVEMENTS, false).await;
    assert_eq!(kept.unchanged, 4, "{:?}", kept.problems);
    assert_eq!(store.achievement("A-1").await.unwrap().unwrap().institution_credit_code, lzu);

    // A reviewer's institution under another name but with the same credit code: a conflict.
    let review = format!(
        "成果编号,评审专家,专家单位,市场潜力,经济价值,技术含量,专家单位信用代码\nA-1,周明,兰州大学资产经营有限公司,80,80,80,{lzu}\n"
    );
    let refused = import(store, ImportKind::Reviews, &review, false).await;
    assert!(refused.problems.iter().any(|p| p.message.contains("利益冲突")), "{:?}", refused.problems);
    assert!(store.all_reviews().await.unwrap().is_empty() && store.experts().await.unwrap().is_empty());

    // Stored under two names with one code, the assignment never pairs them.
    let code = with_check_char("12620000438000003").unwrap();
    let actor = Actor::system("测试");
    let owned = AchievementData {
        code: "Z-1".into(),
        title: "成果".into(),
        institution: "甲研究院".into(),
        institution_credit_code: code.clone(),
        year: 2030,
        ..Default::default()
    };
    let other_owner = AchievementData {
        code: "Z-2".into(),
        institution: "丙大学".into(),
        institution_credit_code: String::new(),
        ..owned.clone()
    };
    store.upsert_achievements(&[owned, other_owner], &actor).await.unwrap();
    let reviews =
        [("乙专家", "乙有限公司", code.as_str()), ("丁专家", "丁大学", "")].map(|(reviewer, institution, credit)| {
            ReviewData {
                code: "Z-2".into(),
                reviewer: reviewer.into(),
                reviewer_institution: institution.into(),
                reviewer_credit_code: credit.into(),
                market: 8000,
                economic: 8000,
                technical: 8000,
            }
        });
    store.upsert_reviews(&reviews, &actor).await.unwrap();
    let input = store.assignment_input(2030).await.unwrap();
    let subjects: Vec<_> = input.achievements.iter().map(|(_, s)| s.clone()).collect();
    let reviewers: Vec<_> = input.experts.iter().map(|(_, r)| r.clone()).collect();
    let z1 = subjects.iter().position(|s| s.code == "Z-1").unwrap();
    let yi = reviewers.iter().position(|r| r.name == "乙专家").unwrap();
    assert!(zhaoshang_core::rounds::conflicts(&subjects[z1], &reviewers[yi]), "one credit code, two names");
    let assignment = zhaoshang_core::rounds::assign(&subjects, &reviewers, 1);
    assert_eq!(assignment.reviewers_of[z1].len(), 1);
    assert_ne!(assignment.reviewers_of[z1][0], yi, "乙专家 never reviews 甲研究院's achievement");
}

/// Achievements left out "may enter a later round": registered again in a later year,
/// an achievement enters it with no reviews, and the earlier year's selection stays as
/// it was, through a backup and restore too.
async fn a_later_registration_keeps_the_earlier_round(store: &Store) {
    seed(store).await;
    let reviews = "成果编号,评审专家,专家单位,市场潜力,经济价值,技术含量\n\
        A-1,王立新,西安交通大学,90,90,90\nA-1,李春华,清华大学,80,80,80\n\
        A-2,王立新,西安交通大学,70,70,70\nA-3,李春华,清华大学,60,65,70\n";
    assert!(import(store, ImportKind::Reviews, reviews, false).await.is_ok());
    let ratio = Ratio::parse("0.5").unwrap();
    let pool_2023 = || async {
        serde_json::to_value(selection_json(2023, &selection(store, 2023, ratio, Weights::EQUAL).await.unwrap()))
            .unwrap()
    };
    let before = pool_2023().await;
    assert_eq!(before["registered"], 3);

    // A-2 enters 2024 as it was; A-3 enters 2025 under another industry.
    let again = "成果编号,成果名称,完成单位,行业代码,登记年度\n\
        A-2,旱作马铃薯栽培,甘肃农业大学,1,2024\nA-3,催化剂,中国科学院兰州化学物理研究所,C27,2025\n";
    let report = import(store, ImportKind::Achievements, again, false).await;
    assert!(report.is_ok() && report.updated == 2, "{:?}", report.problems);
    assert_eq!(pool_2023().await, before, "the 2023 round keeps its outcome");
    let (registered, candidates) = store.pool_candidates(2023).await.unwrap();
    let a3 = candidates.iter().find(|c| c.code == "A-3").unwrap();
    assert_eq!((registered, a3.industry.as_str(), a3.reviews.len()), (3, "26", 1), "kept as it was in 2023");
    assert!(store.reviews_of("A-2", None).await.unwrap().is_empty(), "2024 starts without reviews");
    assert_eq!(store.past_rounds_of("A-2").await.unwrap(), [2023]);
    let (registered, candidates) = store.pool_candidates(2024).await.unwrap();
    assert_eq!(registered, 2, "A-4 and A-2");
    assert!(candidates.iter().all(|c| c.reviews.is_empty()));
    let filter = AuditFilter { record: Some("A-2".into()), per_page: 100, ..Default::default() };
    let (audit, _) = store.audit_entries(&filter).await.unwrap();
    assert!(
        audit.iter().any(|e| e.entity_id == "A-2" && e.after_json.as_deref().unwrap_or("").contains("past_round")),
        "the move is in the audit log"
    );

    // A review of A-2 now belongs to 2024.
    let later = "成果编号,评审专家,专家单位,市场潜力,经济价值,技术含量\nA-2,张三,四川大学,88,88,88\n";
    assert!(import(store, ImportKind::Reviews, later, false).await.is_ok());
    let pool_2024 = selection(store, 2024, ratio, Weights::EQUAL).await.unwrap();
    assert_eq!(pool_2024.pool().iter().map(|r| r.code.as_str()).collect::<Vec<_>>(), ["A-2"]);
    assert_eq!(pool_2023().await, before);

    // Back into a year it was reviewed in, or earlier than a reviewed year: refused, nothing written.
    let back = "成果编号,成果名称,完成单位,行业代码,登记年度\n\
        A-2,旱作马铃薯栽培,甘肃农业大学,1,2023\nA-4,高原铁路轨道,兰州交通大学,37,2022\n";
    let refused = import(store, ImportKind::Achievements, back, false).await;
    let problems: Vec<(usize, &str, &str)> =
        refused.problems.iter().map(|p| (p.row, p.column.as_str(), p.message.as_str())).collect();
    assert_eq!(
        problems,
        [
            (2, "登记年度", "该成果已参加2023年度评审，只能登记到更晚的年度"),
            (3, "登记年度", "该成果已参加2024年度评审，只能登记到更晚的年度"),
        ]
    );
    let stored = store.achievement("A-2").await.unwrap().unwrap();
    assert_eq!(stored.year, 2024);
    // The store refuses it too, whatever path a write takes.
    let moved_back = zhaoshang_store::achievements::AchievementData { year: 2023, ..stored };
    let error = store.upsert_achievements(&[moved_back], &Actor::system("测试")).await.unwrap_err();
    assert!(error.to_string().contains("只能登记到更晚的年度"), "{error}");

    // Nothing enters a finished round.
    store.open_round(2026, 5, &Actor::system("测试")).await.unwrap();
    store.set_round_status(2026, "open", "closed", &Actor::system("测试")).await.unwrap();
    let closed = "成果编号,成果名称,完成单位,行业代码,登记年度\nA-9,迟到的成果,兰州大学,32,2026\n";
    let refused = import(store, ImportKind::Achievements, closed, false).await;
    assert_eq!(refused.problems[0].message, "2026年度评审已结束，不能再登记到该年度");

    let (backup, _) = zhaoshang_app::backup::backup(store, Vec::new()).await.unwrap();
    zhaoshang_app::backup::restore(store, &backup[..], &Actor::system("测试")).await.unwrap();
    assert_eq!(pool_2023().await, before, "a restore keeps the earlier round");
    assert_eq!(store.past_rounds_of("A-3").await.unwrap(), [2023]);
}
