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
