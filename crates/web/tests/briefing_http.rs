//! 领导简报 over HTTP (issue 24, point 5): the page of a region and period, and its PDF
//! printed by headless Chromium, whose text holds the region's name and the headline
//! figures; another region's briefing is refused.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_testkit::{on_both_backends, Backend};

on_both_backends!(the_briefing_prints_the_headline_figures_of_a_region);

const QUERY: &str = "region=620400&from=2025-01-01&to=2025-09-30";

/// The figure of a card, by its key.
fn figure(page: &str, key: &str) -> String {
    let card = &page[page.find(&format!(r#"data-figure="{key}""#)).unwrap_or_else(|| panic!("no figure {key}"))..];
    let value = &card[card.find("<strong>").unwrap() + "<strong>".len()..];
    value[..value.find("</strong>").unwrap()].to_string()
}

async fn the_briefing_prints_the_headline_figures_of_a_region(backend: Backend) {
    let app = TestApp::demo(backend).await;
    let leader = app.sign_in_demo("leader").await;
    let response = app.get(&format!("/reports/briefing?{QUERY}"), Some(&leader)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let page = body_text(response).await;
    assert!(page.contains("白银市招商引资工作简报") && page.contains("2025-01-01 至 2025-09-30"));
    let (signed, investment, funds) =
        (figure(&page, "signed_count"), figure(&page, "signed_investment"), figure(&page, "funds_in_place"));
    assert!(signed.parse::<i64>().unwrap() > 0, "the demo signs in 白银 in 2025");
    assert!(page.contains("综合评价第") && page.contains("甘肃省"), "the city's place among the province's cities");
    assert!(page.contains("重大签约项目") && page.contains("逾期未答复企业诉求"));

    let response = app.get(&format!("/reports/briefing/pdf?{QUERY}"), Some(&leader)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let text = pdf_text(&body_bytes(response).await);
    assert!(text.contains("白银市招商引资工作简报"), "{text}");
    for value in [&signed, &investment, &funds] {
        assert!(text.contains(value.as_str()), "{value} in {text}");
    }

    let baiyin = app.sign_in_demo("baiyin").await;
    for path in ["/reports/briefing", "/reports/briefing/pdf"] {
        let other = app.get(&format!("{path}?region=620500&from=2025-01-01&to=2025-09-30"), Some(&baiyin)).await;
        assert_eq!(other.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let own = app.get(&format!("/reports/briefing?{QUERY}"), Some(&baiyin)).await;
    assert_eq!(own.status(), StatusCode::OK);
}
