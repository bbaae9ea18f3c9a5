//! The appeal pages (营商环境诉求): a file imported through the import page shows in the
//! list with the figures of `stats appeals` for its region and period, each appeal on its
//! page with its due date by the official calendar, the export with 应答复日期; region
//! users see their own region's appeals only, members every one, chain departments none.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_app::appeals::appeal_report;
use zhaoshang_core::regions::RegionCode;
use zhaoshang_testkit::Backend;

on_both_backends!(imported_appeals_are_listed_with_their_figures_within_scope);

const APPEALS: &str = "诉求编号,企业名称,所属地区,诉求维度,诉求类别,诉求内容,受理日期,答复日期,办结日期,企业评价\n\
BY-1,白银甲公司,620402,要素环境,要素保障,园区用电增容<b>报装</b>超时,2025-01-24,2025-01-27,2025-02-06,满意\n\
BY-2,白银乙公司,白银市,政务环境,审批服务,施工许可反复补正,2024-09-30,,,\n\
TS-1,天水丙公司,620500,市场环境,市场监管,重复检查,2024-10-03,2024-10-14,,\n";

async fn imported_appeals_are_listed_with_their_figures_within_scope(backend: Backend) {
    let app = TestApp::with_users(
        backend,
        &[
            ("boss", "admin", None),
            ("baiyin", "region", Some("620400")),
            ("weiyuan", "member", None),
            ("chain", "chain", None),
        ],
    )
    .await;
    let admin = app.sign_in("boss").await;
    let csrf = app.csrf(&admin).await;
    let response = app.send(upload_request(&admin, &csrf, "appeals", "appeals.csv", APPEALS.as_bytes())).await;
    assert_eq!(response.status(), StatusCode::OK);
    let report = body_json(response).await;
    assert_eq!(report["report"]["created"], 3, "{report}");

    let list = body_text(app.get("/appeals?region=620000&from=2024-01-01&to=2025-12-31", Some(&admin)).await).await;
    for code in ["BY-1", "BY-2", "TS-1"] {
        assert!(list.contains(code), "{code}: {list}");
    }
    let expected = appeal_report(
        app.store(),
        &RegionCode::parse("620000").unwrap(),
        "2024-01-01".parse().unwrap(),
        "2025-12-31".parse().unwrap(),
    )
    .await
    .unwrap();
    assert_eq!((expected.received_count, expected.overdue_count, expected.resolved_count), (3, 2, 1));
    assert!(list.contains(&format!(r#"<dd id="received-count">{} 件</dd>"#, expected.received_count)));
    assert!(list.contains(&format!(r#"<dd id="overdue-count">{} 件</dd>"#, expected.overdue_count)));
    assert!(list.contains(r#"<strong id="on-time-rate">33.33%</strong>"#), "one of three answered on time");

    // The detail page: due date across the 2025 Spring Festival, text escaped.
    let page = body_text(app.get("/appeals/BY-1", Some(&admin)).await).await;
    assert!(page.contains(r#"<dd id="appeal-due-on" class="">2025-02-07"#), "{page}");
    assert!(page.contains("&lt;b&gt;报装") && !page.contains("<b>报装"));
    assert_eq!(app.get("/appeals/NONE", Some(&admin)).await.status(), StatusCode::NOT_FOUND);

    // The export of the filtered list adds the due dates.
    let csv =
        body_text(app.get("/appeals?region=620400&from=2024-01-01&to=2025-12-31&format=csv", Some(&admin)).await).await;
    assert!(csv.contains("应答复日期,时限说明"));
    assert!(
        csv.contains("BY-2,白银乙公司,,620400,政务环境,审批服务,施工许可反复补正,2024-09-30,,5,,,,2024-10-12,"),
        "{csv}"
    );
    assert!(!csv.contains("TS-1"));

    // A region user: its own region's appeals only; the figures of its region.
    let baiyin = app.sign_in("baiyin").await;
    let own = body_text(app.get("/appeals", Some(&baiyin)).await).await;
    assert!(!own.contains("TS-1"));
    assert_eq!(app.get("/appeals?region=620500", Some(&baiyin)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/appeals/TS-1", Some(&baiyin)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get("/appeals/BY-2", Some(&baiyin)).await.status(), StatusCode::OK);
    // An overdue filter and a bad one.
    let overdue =
        body_text(app.get("/appeals?status=overdue&from=2024-01-01&to=2025-12-31", Some(&baiyin)).await).await;
    assert!(overdue.contains("BY-2") && !overdue.contains("BY-1"));
    assert_eq!(app.get("/appeals?status=whatever", Some(&baiyin)).await.status(), StatusCode::BAD_REQUEST);
    // Its upload of another region's appeal changes nothing.
    let csrf = app.csrf(&baiyin).await;
    let other = "诉求编号,所属地区,诉求维度,诉求内容,受理日期\nTS-1,620500,市场环境,改写,2024-10-03\n";
    let response = app.send(upload_request(&baiyin, &csrf, "appeals", "o.csv", other.as_bytes())).await;
    let refused = body_json(response).await;
    assert_eq!(refused["report"]["applied"], false, "{refused}");
    assert_eq!(app.store().appeal_by_code("TS-1").await.unwrap().unwrap().data.content, "重复检查");

    // Members supervise every region's appeals, read-only; chain departments see none.
    let member = app.sign_in("weiyuan").await;
    assert_eq!(app.get("/appeals/TS-1", Some(&member)).await.status(), StatusCode::OK);
    let chain = app.sign_in("chain").await;
    assert_eq!(app.get("/appeals", Some(&chain)).await.status(), StatusCode::FORBIDDEN);
}

on_both_backends!(the_figures_rank_departments_and_lead_to_the_appeals);

/// The figures page: every table adds up to the report's received count, departments
/// ranked by on-time rate, each row leading to the appeals behind it, within scope.
async fn the_figures_rank_departments_and_lead_to_the_appeals(backend: Backend) {
    let app = TestApp::with_users(
        backend,
        &[("boss", "admin", None), ("baiyin", "region", Some("620400")), ("chain", "chain", None)],
    )
    .await;
    let admin = app.sign_in("boss").await;
    let csrf = app.csrf(&admin).await;
    let mut csv = String::from("诉求编号,企业名称,所属地区,诉求维度,诉求类别,诉求内容,受理日期,承办单位,答复日期\n");
    // 甲局 answers three of three on time, 乙局 one of four, 丙局 has two (unranked).
    let rows = [
        ("A1", "620402", "甲局<i>", "2025-03-03", Some("2025-03-04")),
        ("A2", "620402", "甲局<i>", "2025-03-10", Some("2025-03-11")),
        ("A3", "620403", "甲局<i>", "2025-04-01", Some("2025-04-02")),
        ("B1", "620402", "乙局", "2025-03-03", Some("2025-03-04")),
        ("B2", "620403", "乙局", "2025-03-03", Some("2025-04-30")),
        ("B3", "620403", "乙局", "2025-04-07", None),
        ("B4", "620403", "乙局", "2025-04-08", None),
        ("C1", "620402", "丙局", "2025-04-09", Some("2025-04-09")),
        ("C2", "620402", "丙局", "2025-04-10", Some("2025-04-10")),
        ("T1", "620502", "天水局", "2025-04-10", None),
    ];
    for (code, region, department, received, answered) in rows {
        let category = if code.starts_with('A') { "纳税服务" } else { "要素保障" };
        csv.push_str(&format!(
            "{code},企业{code},{region},要素环境,{category},内容,{received},{department},{}\n",
            answered.unwrap_or("")
        ));
    }
    let response = app.send(upload_request(&admin, &csrf, "appeals", "f.csv", csv.as_bytes())).await;
    assert_eq!(body_json(response).await["report"]["created"], 10);

    let baiyin = app.sign_in("baiyin").await;
    let page =
        body_text(app.get("/appeals/figures?region=620400&from=2025-01-01&to=2025-12-31", Some(&baiyin)).await).await;
    let table = |id: &str| {
        let start = page.find(&format!(r#"id="{id}""#)).unwrap_or_else(|| panic!("{id}: {page}"));
        page[start..start + page[start..].find("</table>").unwrap()].to_string()
    };
    let ranking = strip_tags(&table("department-ranking"));
    let first = ranking.find("甲局").unwrap();
    let second = ranking.find("乙局").unwrap();
    let unranked = ranking.find("丙局").unwrap();
    assert!(first < second && second < unranked, "{ranking}");
    assert!(ranking.contains("100.00%") && ranking.contains("25.00%"), "{ranking}");
    assert!(!page.contains("甲局<i>") && page.contains("甲局&lt;i&gt;"), "names escaped");
    assert!(!page.contains("天水局"), "another region's department is not in a city's figures");
    let by_region = strip_tags(&table("by-region"));
    assert!(by_region.contains("620402") || by_region.contains("白银区"), "{by_region}");
    let by_month = strip_tags(&table("by-month"));
    assert!(by_month.contains("2025-03") && by_month.contains("2025-04"), "{by_month}");
    // A department's row leads to its appeals.
    let list = body_text(
        app.get("/appeals?region=620400&from=2025-01-01&to=2025-12-31&department=%E4%B9%99%E5%B1%80", Some(&baiyin))
            .await,
    )
    .await;
    assert!(list.contains(r#"<strong id="total-count">4</strong>"#), "乙局's four: {list}");
    let list = body_text(
        app.get(
            "/appeals?region=620400&from=2025-01-01&to=2025-12-31&category=%E7%BA%B3%E7%A8%8E%E6%9C%8D%E5%8A%A1",
            Some(&baiyin),
        )
        .await,
    )
    .await;
    assert!(list.contains(r#"<strong id="total-count">3</strong>"#), "纳税服务's three");
    assert_eq!(app.get("/appeals/figures?region=620500", Some(&baiyin)).await.status(), StatusCode::FORBIDDEN);
    let chain = app.sign_in("chain").await;
    assert_eq!(app.get("/appeals/figures", Some(&chain)).await.status(), StatusCode::FORBIDDEN);
}
