//! 招商引资情况统计报表 over HTTP (issue 24, point 4): the printable page and the
//! workbook of a scope the user may see, a table a sheet; another region's report is
//! refused; names from the data (a region, a chain) stay text in the tables and in the
//! charts' JSON.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_testkit::{on_both_backends, Backend};

on_both_backends!(the_report_shows_every_table_of_a_scope_the_user_may_see, hostile_names_stay_text);

const PERIOD: &str = "month=2025-09";

async fn the_report_shows_every_table_of_a_scope_the_user_may_see(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let admin = app.sign_in_demo("admin").await;
    let response = app.get(&format!("/reports/monthly/view?region=620000&{PERIOD}"), Some(&admin)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = body_text(response).await;
    assert!(page.contains("甘肃省招商引资情况统计报表（2025年1—9月）"), "the title");
    for (n, table) in
        ["分地区", "分投资来源地（省份）", "分三次产业", "分产业链", "分投资主体", "分投资规模", "三个500强"]
            .iter()
            .enumerate()
    {
        assert!(page.contains(table), "{table}");
        assert!(page.contains(&format!("表{}", n + 1)), "numbered");
    }
    assert!(page.contains("第二产业") && page.contains("民营") && page.contains("其中：10亿元以上"));
    assert!(page.contains("兰州市") && page.contains("省本级"), "the cities and the province's own level");
    assert!(page.contains(r#"id="statistical-report-data""#) && page.contains("report-chart-region"));

    // The workbook: a sheet a table, the title and units above each.
    let response = app.get(&format!("/reports/monthly?region=620000&{PERIOD}"), Some(&admin)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = body_bytes(response).await;
    use calamine::{Reader, Xlsx};
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an XLSX workbook");
    let sheets = workbook.sheet_names();
    assert_eq!(sheets.len(), 9, "{sheets:?}");
    assert_eq!(sheets[0], "分地区");
    let last = workbook.worksheet_range("三个500强").unwrap();
    let cell = |row: u32, col: u32| last.get_value((row, col)).map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(cell(0, 0), "表9 甘肃省招商引资情况统计报表（2025年1—9月）·三个500强");
    assert!(cell(1, 0).contains("单位：万元、个"));
    assert_eq!((cell(2, 0), cell(3, 0)), ("投资方".to_string(), "合计".to_string()), "the header, then the total");

    // A region user: its own region, not another's.
    let baiyin = app.sign_in_demo("baiyin").await;
    let own = app.get(&format!("/reports/monthly/view?region=620400&{PERIOD}"), Some(&baiyin)).await;
    assert_eq!(own.status(), StatusCode::OK);
    assert!(body_text(own).await.contains("白银市招商引资情况统计报表"));
    for path in ["/reports/monthly/view", "/reports/monthly"] {
        let other = app.get(&format!("{path}?region=620500&{PERIOD}"), Some(&baiyin)).await;
        assert_eq!(other.status(), StatusCode::FORBIDDEN, "{path}");
    }
    for (month, message) in [("2025-13", "月份“2025-13”无效"), ("9999-12", "9999年12月尚未结束")] {
        let bad = app.get(&format!("/reports/monthly/view?region=620000&month={month}"), Some(&admin)).await;
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST, "{month}");
        assert!(body_text(bad).await.contains(message), "{month}");
    }

    // Without a month: the latest ended one, which the month picker also caps.
    let latest = zhaoshang_core::statistical_report::ReportMonth::ended_by(zhaoshang_app::calendar::today());
    let page = body_text(app.get("/reports/monthly/view?region=620000", Some(&admin)).await).await;
    assert!(page.contains(&format!(r#"name="month" value="{latest}" max="{latest}""#)), "{latest}");
    assert!(page.contains(&format!("/reports/monthly?region=620000&amp;month={latest}")), "the workbook's link");
}

async fn hostile_names_stay_text(backend: Backend) {
    let app = TestApp::demo(backend).await;
    plant_hostile_names(&app).await;
    let admin = app.sign_in_demo("admin").await;
    let page = body_text(app.get(&format!("/reports/monthly/view?region=620000&{PERIOD}"), Some(&admin)).await).await;
    assert!(!page.contains(HOSTILE_REGION) && !page.contains("<script>window.__xss"), "no markup of the data's");
    assert!(page.contains("&lt;&#x2f;script&gt;") || page.contains("&lt;/script&gt;"), "the region's name as text");
}
