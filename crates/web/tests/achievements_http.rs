//! S&T achievement pool pages over HTTP (issue 21): the registry with its filters, sort,
//! pages and download; an achievement with the reviews each role may read; the pool
//! ranked by industry with score breakdowns and flagged disagreements. Each role reads
//! what it may: a reviewer only what was given it to review, and only its own scores.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_app::exchange::read_sheet;
use zhaoshang_core::achievements::{rank_intervals, Ratio, Weights, RESAMPLES, RESAMPLE_SEED};
use zhaoshang_store::achievements::{AchievementData, ReviewData};
use zhaoshang_store::Actor;
use zhaoshang_testkit::Backend;

on_both_backends!(
    the_registry_filters_sorts_pages_and_downloads,
    each_role_reads_what_it_may,
    the_pool_ranks_by_industry_and_flags_disagreement,
    names_are_escaped_and_bad_requests_refused,
    the_round_report_counts_what_the_data_holds,
    the_contact_is_for_staff_only
);

/// The number a list page counts in all.
fn total_count(page: &str) -> i64 {
    let marker = r#"<strong id="total-count">"#;
    let at = page.find(marker).expect("a total") + marker.len();
    page[at..at + page[at..].find('<').unwrap()].parse().unwrap()
}

fn figure(page: &str, id: &str) -> i64 {
    let marker = format!(r#"<strong id="{id}">"#);
    let at = page.find(&marker).unwrap_or_else(|| panic!("{id}")) + marker.len();
    page[at..at + page[at..].find('<').unwrap()].parse().unwrap()
}

async fn the_registry_filters_sorts_pages_and_downloads(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let store = app.store();
    let all_2023 = body_text(app.get("/achievements?year=2023", Some(&admin)).await).await;
    let registered = store
        .achievement_count(&zhaoshang_store::achievements::AchievementFilter { year: Some(2023), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(total_count(&all_2023), registered);
    assert!(registered >= 1_000, "about 2,000 demo achievements a year: {registered}");
    assert!(all_2023.contains(r#"id="next-page""#) && all_2023.contains("兰州"));

    let lzu = body_text(app.get("/achievements?year=2023&institution=兰州大学", Some(&admin)).await).await;
    let lzu_count = total_count(&lzu);
    assert!(lzu_count > 0 && lzu_count < registered);
    assert!(!lzu.contains("<td>兰州理工大学</td>"), "only the institution asked for");
    let pilot = body_text(app.get("/achievements?year=2023&maturity=pilot&industry=32", Some(&admin)).await).await;
    assert!(total_count(&pilot) > 0 && pilot.contains("中试阶段") && !pilot.contains("实验室阶段</td>"));

    // The pool's share: ⌊0.2 × registered⌋.
    let pooled = body_text(app.get("/achievements?year=2023&pooled=1", Some(&admin)).await).await;
    assert_eq!(total_count(&pooled), registered / 5);
    assert!(pooled.contains("入池</span>"));

    let by_institution = body_text(app.get("/achievements?year=2023&sort=institution", Some(&admin)).await).await;
    assert!(by_institution.contains(r#"<option value="institution" selected>"#));
    assert_eq!(app.get("/achievements?year=2023&page=2", Some(&admin)).await.status(), StatusCode::OK);

    // The download is the registry as filtered, with the import's headers.
    let download = app.get("/achievements?year=2023&institution=兰州大学&format=xlsx", Some(&admin)).await;
    assert_eq!(download.status(), StatusCode::OK);
    let sheet = read_sheet("a.xlsx", &body_bytes(download).await).unwrap();
    assert_eq!(sheet.headers[..3], ["成果编号", "成果名称", "完成单位"]);
    assert_eq!(sheet.rows.len() as i64, lzu_count);
    assert!(sheet.rows.iter().all(|row| row.cells[2] == "兰州大学"));
}

async fn each_role_reads_what_it_may(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let reviewer_user = store.user_by_name("reviewer").await.unwrap().unwrap();
    let expert =
        store.expert_of_user(reviewer_user.id, "reviewer").await.unwrap().expect("the demo reviewer is an expert");
    let own = store.codes_reviewed_by(expert).await.unwrap();
    assert!(!own.is_empty(), "the demo reviewer has achievements to review");

    // The reviewer: its own achievements only, its own scores only, no pool.
    let reviewer = app.sign_in_demo("reviewer").await;
    let list = body_text(app.get("/achievements", Some(&reviewer)).await).await;
    assert_eq!(total_count(&list), own.len() as i64, "exactly the reviewer's achievements");
    assert!(list.contains(&own[0]) && !list.contains("综合得分"));
    let mine = &own[0];
    let reviews = store.reviews_of(mine, None).await.unwrap();
    assert!(reviews.len() >= 2);
    let page = body_text(app.get(&format!("/achievements/{mine}"), Some(&reviewer)).await).await;
    assert!(page.contains("我的评审"));
    for review in &reviews {
        assert_eq!(
            page.contains(&format!("<td>{}</td>", review.reviewer)),
            review.reviewer == "reviewer",
            "{review:?}"
        );
    }
    assert!(!page.contains(r#"id="composite""#), "no summed-up scores for a reviewer");
    let others = store.all_achievements().await.unwrap();
    let other = others.iter().find(|a| !own.contains(&a.code)).unwrap();
    assert_eq!(
        app.get(&format!("/achievements/{}", other.code), Some(&reviewer)).await.status(),
        StatusCode::NOT_FOUND
    );
    let outside = body_text(app.get(&format!("/achievements?q={}", other.code), Some(&reviewer)).await).await;
    assert_eq!(total_count(&outside), 0);
    assert_eq!(app.get("/pool", Some(&reviewer)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/achievements?pooled=1&year=2023", Some(&reviewer)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/achievements?format=xlsx", Some(&reviewer)).await.status(), StatusCode::FORBIDDEN);
    let home = body_text(app.get("/inbox", Some(&reviewer)).await).await;
    assert!(home.contains(">科技成果</a>") && !home.contains(">成果转化池</a>"), "the navigation");

    // The administrator: every review with its reviewer.
    let admin = app.sign_in_demo("admin").await;
    let page = body_text(app.get(&format!("/achievements/{mine}"), Some(&admin)).await).await;
    assert!(reviews.iter().all(|r| page.contains(&format!("<td>{}</td>", r.reviewer))));
    assert!(page.contains(r#"id="composite""#));

    // The leader: the registry and the pool summed up, no reviewer's own scores, no download.
    let leader = app.sign_in_demo("leader").await;
    let page = body_text(app.get(&format!("/achievements/{mine}"), Some(&leader)).await).await;
    assert!(page.contains(r#"id="composite""#));
    assert!(reviews.iter().all(|r| !page.contains(&format!("<td>{}</td>", r.reviewer))), "no reviewer named");
    assert_eq!(app.get("/pool?year=2023", Some(&leader)).await.status(), StatusCode::OK);
    assert_eq!(app.get("/achievements?format=xlsx", Some(&leader)).await.status(), StatusCode::FORBIDDEN);

    for role in ["baiyin", "chain", "member", "liaison", "investor"] {
        let cookie = app.sign_in_demo(role).await;
        for path in ["/achievements".to_string(), format!("/achievements/{mine}"), "/pool".to_string()] {
            assert_eq!(app.get(&path, Some(&cookie)).await.status(), StatusCode::FORBIDDEN, "{role} {path}");
        }
    }
    assert_eq!(app.get("/achievements", None).await.status(), StatusCode::SEE_OTHER);
}

async fn the_pool_ranks_by_industry_and_flags_disagreement(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let selection =
        zhaoshang_app::achievements::selection(app.store(), 2023, Ratio::DEFAULT, Weights::EQUAL).await.unwrap();
    let page = body_text(app.get("/pool?year=2023", Some(&admin)).await).await;
    assert_eq!(figure(&page, "registered"), selection.registered as i64);
    assert_eq!(figure(&page, "selected"), selection.selected as i64);
    let flagged = selection.pool().iter().filter(|r| r.aggregate.disagrees_strongly()).count();
    assert!(flagged > 0, "the demo has reviewers who disagree");
    assert_eq!(figure(&page, "disagreements"), flagged as i64);
    // Every industry's best achievement first, with its breakdown.
    let best = &selection.pool()[0];
    let section = &page[page.find(&format!(r#"id="industry-{}""#, best.industry)).unwrap()..];
    let first_row = &section[section.find("<tbody>").unwrap()..];
    assert!(first_row[..first_row.find("</tr>").unwrap()].contains(&best.code));
    assert!(page.contains(&format!("{:.2}", best.aggregate.composite.rounded_2())));
    assert!(page.contains("分歧较大"));
    // Each selected achievement's rank interval under resampling; those across the cut flagged.
    let (_, candidates) = app.store().pool_candidates(2023).await.unwrap();
    let intervals = rank_intervals(&candidates, Weights::EQUAL, RESAMPLES, RESAMPLE_SEED);
    let interval = intervals[&best.code];
    let best_row = &first_row[..first_row.find("</tr>").unwrap()];
    assert!(best_row.contains(&format!("{}–{}", interval.best, interval.worst)), "{best_row}");
    let critical = selection.pool().iter().filter(|r| intervals[&r.code].crosses(selection.selected)).count();
    assert!(critical > 0, "the demo has achievements near the cut");
    assert_eq!(figure(&page, "critical"), critical as i64);
    assert_eq!(page.matches("临界</span>").count(), critical);

    // One industry; the flagged ones only; the latest year by default; another ratio.
    let one = body_text(app.get(&format!("/pool?year=2023&industry={}", best.industry), Some(&admin)).await).await;
    assert_eq!(one.matches("class=\"card pool-industry\"").count(), 1);
    let only_flagged = body_text(app.get("/pool?year=2023&flagged=1", Some(&admin)).await).await;
    assert_eq!(only_flagged.matches("<tr class=\"disagrees\">").count(), flagged);
    let latest = body_text(app.get("/pool", Some(&admin)).await).await;
    assert!(latest.contains("2024 年度成果转化池"), "the latest registered year");
    // The closed 2023 round's report is linked; the open 2024 round has none yet.
    assert!(page.contains(r#"href="/pool/rounds/2023/report" id="report-link""#));
    assert!(!latest.contains(r#"id="report-link""#));
    let wider = body_text(app.get("/pool?year=2023&ratio=0.3", Some(&admin)).await).await;
    assert_eq!(figure(&wider, "selected"), (selection.registered * 3 / 10) as i64);
}

async fn names_are_escaped_and_bad_requests_refused(backend: Backend) {
    let app = TestApp::with_users(backend, &[("boss", "admin", None)]).await;
    let hostile = AchievementData {
        code: "CG-X1".into(),
        title: "<script>alert(1)</script>成果".into(),
        institution: "<b>单位</b>".into(),
        industry: "32".into(),
        year: 2023,
        ..Default::default()
    };
    app.store().upsert_achievements(&[hostile], &Actor::system("测试")).await.unwrap();
    let boss = app.sign_in("boss").await;
    for path in ["/achievements", "/achievements/CG-X1"] {
        let page = body_text(app.get(path, Some(&boss)).await).await;
        assert!(!page.contains("<script>alert(1)") && page.contains("&lt;script&gt;"), "{path}");
        assert!(!page.contains("<b>单位</b>"), "{path}");
    }
    let before = app.store().change_stamp().await.unwrap();
    for bad in [
        "/achievements?year=二〇二三",
        "/achievements?maturity=成熟",
        "/achievements?pooled=1",
        "/pool?ratio=2",
        "/pool?year=abc",
        "/achievements?page=-1",
    ] {
        let status = app.get(bad, Some(&boss)).await.status();
        assert!(status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {status}");
    }
    assert_eq!(app.get("/achievements/NO-SUCH", Some(&boss)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.store().change_stamp().await.unwrap(), before);
    let empty = body_text(app.get("/pool?year=2020", Some(&boss)).await).await;
    assert!(empty.contains(r#"id="pool-empty""#) && !empty.contains(r#"id="report-link""#));
    // A year with achievements but no review round has no round report to link to.
    let no_round = body_text(app.get("/pool?year=2023", Some(&boss)).await).await;
    assert!(no_round.contains("2023 年度成果转化池") && !no_round.contains(r#"id="report-link""#));
    assert_eq!(app.get("/pool/rounds/2023/report", Some(&boss)).await.status(), StatusCode::NOT_FOUND);
}

/// A sheet of the report's workbook as text, header row included (the title row not).
fn report_sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut workbook: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = workbook.worksheet_range(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    range.rows().skip(1).map(|row| row.iter().map(|cell| cell.to_string()).collect()).collect()
}

async fn the_round_report_counts_what_the_data_holds(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let admin = app.sign_in_demo("admin").await;
    // The straightforward computation: the year's achievements (those registered again in
    // 2024 as the 2023 round kept them), their reviews, the pool.
    let (_, achievements) = store.pool_candidates(2023).await.unwrap();
    let candidates: std::collections::HashSet<&str> = achievements.iter().map(|a| a.code.as_str()).collect();
    let mut reviews: Vec<ReviewData> =
        store.all_reviews().await.unwrap().into_iter().filter(|r| candidates.contains(r.code.as_str())).collect();
    let mut moved = Vec::new();
    for a in store.all_achievements().await.unwrap().into_iter().filter(|a| a.year == 2024) {
        let past = store.past_reviews_of(&a.code).await.unwrap();
        if !past.is_empty() {
            moved.push(a.code.clone());
        }
        reviews.extend(past.into_iter().filter(|(year, _)| *year == 2023).map(|(_, review)| review));
    }
    assert_eq!(moved.len(), zhaoshang_app::demo::achievements::REGISTERED_AGAIN, "the demo's registered again");
    // Its page shows the 2023 round as it ended: the reviews to managers only.
    let page = body_text(app.get(&format!("/achievements/{}", moved[0]), Some(&admin)).await).await;
    assert!(page.contains(r#"id="past-rounds""#) && page.contains("2023 年度专家评审"), "{page}");
    let leader = app.sign_in_demo("leader").await;
    let page = body_text(app.get(&format!("/achievements/{}", moved[0]), Some(&leader)).await).await;
    assert!(page.contains(r#"id="past-rounds""#) && !page.contains("2023 年度专家评审"), "{page}");
    let selection = zhaoshang_app::achievements::selection(store, 2023, Ratio::DEFAULT, Weights::EQUAL).await.unwrap();
    let pooled: std::collections::HashSet<&str> = selection.pool().iter().map(|r| r.code.as_str()).collect();
    let mut by_industry: std::collections::BTreeMap<&str, [usize; 3]> = Default::default();
    for a in &achievements {
        let counts = by_industry.entry(a.industry.as_str()).or_default();
        counts[0] += 1;
        counts[1] += usize::from(!a.reviews.is_empty());
        counts[2] += usize::from(pooled.contains(a.code.as_str()));
    }
    let reviewed_2023 = achievements.iter().filter(|a| !a.reviews.is_empty()).count();
    assert!(by_industry.len() > 1 && reviewed_2023 > 0 && !pooled.is_empty());

    let page = body_text(app.get("/pool/rounds/2023/report", Some(&admin)).await).await;
    assert_eq!(figure(&page, "registered"), achievements.len() as i64);
    assert_eq!(figure(&page, "reviewed"), reviewed_2023 as i64);
    assert_eq!(figure(&page, "selected"), pooled.len() as i64);
    for (code, [registered, reviewed, selected]) in &by_industry {
        let cells = format!(
            r#"<td class="num">{registered}</td><td class="num">{reviewed}</td><td class="num">{selected}</td></tr>"#
        );
        assert!(page.contains(&format!("<td>{code}</td>")) && page.contains(&cells), "{code}: {cells}");
    }

    let download = app.get("/pool/rounds/2023/report?format=xlsx", Some(&admin)).await;
    assert_eq!(download.status(), StatusCode::OK);
    let bytes = body_bytes(download).await;
    let industries = report_sheet(&bytes, "按行业");
    assert_eq!(industries[0], ["行业代码", "行业名称", "登记成果", "已评审", "入池"]);
    let read: Vec<(String, [String; 3])> =
        industries[1..].iter().map(|r| (r[0].clone(), [r[2].clone(), r[3].clone(), r[4].clone()])).collect();
    let expected: Vec<(String, [String; 3])> =
        by_industry.iter().map(|(code, counts)| (code.to_string(), counts.map(|n| n.to_string()))).collect();
    assert_eq!(read, expected);
    let institutions = report_sheet(&bytes, "按单位");
    let registered: usize = institutions[1..].iter().map(|r| r[1].parse::<usize>().unwrap()).sum();
    assert_eq!(registered, achievements.len());
    let pool = report_sheet(&bytes, "入池名单");
    let codes: Vec<&str> = pool[1..].iter().map(|r| r[2].as_str()).collect();
    let expected_codes: Vec<&str> = selection.pool().iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, expected_codes, "the selection, best first");
    assert!(pool[1..].iter().all(|r| r[7].contains('–')), "each with its rank interval");
    let histogram = report_sheet(&bytes, "得分分布");
    let binned: usize = histogram[1..].iter().map(|r| r[1].parse::<usize>().unwrap()).sum();
    assert_eq!(binned, reviewed_2023, "every reviewed achievement in one bin");
    let load = report_sheet(&bytes, "专家工作量");
    for row in &load[1..] {
        let scored = reviews.iter().filter(|r| r.reviewer == row[0]).count();
        assert_eq!(row[2], scored.to_string(), "{}", row[0]);
    }
    let scored: usize = load[1..].iter().map(|r| r[2].parse::<usize>().unwrap()).sum();
    assert_eq!(scored, reviews.len());

    // A leader reads the report without reviewers' names; an open round has no report.
    let leader_page = body_text(app.get("/pool/rounds/2023/report", Some(&leader)).await).await;
    assert!(leader_page.contains("入池名单") && !leader_page.contains("专家工作量"));
    let open = app.get("/pool/rounds/2024/report", Some(&admin)).await;
    assert_eq!(open.status(), StatusCode::BAD_REQUEST);
    assert!(body_text(open).await.contains("评审尚未结束"));
    assert_eq!(app.get("/pool/rounds/2019/report", Some(&admin)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/pool/rounds/2023/report?format=csv", Some(&admin)).await.status(), StatusCode::BAD_REQUEST);
}

async fn the_contact_is_for_staff_only(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let store = app.store();
    let selection = zhaoshang_app::achievements::selection(store, 2023, Ratio::DEFAULT, Weights::EQUAL).await.unwrap();
    let pooled = &selection.pool()[0].code;
    let mut data = store.achievement(pooled).await.unwrap().unwrap();
    assert!(data.contact.contains("0931-"), "the demo gives contacts: {data:?}");
    data.contact = "<i>王老师</i> 0931-8912345".into();
    store.upsert_achievements(std::slice::from_ref(&data), &Actor::system("测试")).await.unwrap();
    let shown = "&lt;i&gt;王老师";
    for role in ["admin", "leader"] {
        let cookie = app.sign_in_demo(role).await;
        let page = body_text(app.get(&format!("/achievements/{pooled}"), Some(&cookie)).await).await;
        assert!(page.contains(r#"id="achievement-contact""#) && page.contains(shown), "{role}");
        assert!(page.contains("0931-8912345") && !page.contains("<i>王老师"), "{role}: escaped");
    }
    // The portal names the achievement but not its contact: investors ask through the platform.
    let portal = body_text(app.get(&format!("/portal/achievements/2023/{pooled}"), None).await).await;
    assert!(portal.contains(&data.title) && !portal.contains("0931-8912345") && !portal.contains("联系方式</dt>"));
    // A reviewer scores without it.
    let reviewer_user = store.user_by_name("reviewer").await.unwrap().unwrap();
    let expert = store.expert_of_user(reviewer_user.id, "reviewer").await.unwrap().unwrap();
    let own = &store.codes_reviewed_by(expert).await.unwrap()[0];
    let reviewer = app.sign_in_demo("reviewer").await;
    let page = body_text(app.get(&format!("/achievements/{own}"), Some(&reviewer)).await).await;
    assert!(!page.contains(r#"id="achievement-contact""#));
    // The download carries it, under the import's header.
    let admin = app.sign_in_demo("admin").await;
    let download = app.get(&format!("/achievements?q={pooled}&format=xlsx"), Some(&admin)).await;
    let sheet = read_sheet("a.xlsx", &body_bytes(download).await).unwrap();
    let at = sheet.headers.iter().position(|h| h == "联系方式").expect("a 联系方式 column");
    assert_eq!(sheet.rows[0].cells[at], "<i>王老师</i> 0931-8912345");
}
