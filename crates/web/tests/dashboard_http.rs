//! The cockpit opens on this year up to today in China time, says so, and offers the usual
//! periods (issue 15, point 1); the demo runs up to today, so that view has figures for
//! every role. The clock is fixed through `ZHAOSHANG_NOW`, read once per process: every
//! test of this file fixes the same instant before anything reads it.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_testkit::{on_both_backends, Backend};

/// 10:00 in Beijing on 20 May 2026 (a Wednesday of the second quarter).
const NOW: &str = "2026-05-20T02:00:00Z";

fn fix_now() {
    // SAFETY (edition 2021: safe): every test of this process sets the same value.
    std::env::set_var(zhaoshang_app::calendar::NOW_VARIABLE, NOW);
    assert_eq!(zhaoshang_app::calendar::today().to_string(), "2026-05-20");
}

/// The figure a dashboard card shows, by its key (`signed_count`, …).
fn card(page: &str, key: &str) -> String {
    let card = &page[page.find(&format!(r#"data-figure="{key}""#)).unwrap_or_else(|| panic!("no card {key}"))..];
    let value = &card[card.find(r#"<span class="figure">"#).unwrap() + r#"<span class="figure">"#.len()..];
    value[..value.find("</span>").unwrap()].to_string()
}

fn signed_count(page: &str) -> i64 {
    card(page, "signed_count").parse().unwrap()
}

async fn dashboard(app: &TestApp, cookie: &str, path: &str) -> String {
    let response = app.get(path, Some(cookie)).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    body_text(response).await
}

async fn the_default_view_is_this_year_up_to_today_with_figures_for_every_role(backend: Backend) {
    fix_now();
    let app = TestApp::demo(backend).await;
    for user in ["admin", "leader", "baiyin", "tianshui", "chain"] {
        let cookie = app.sign_in_demo(user).await;
        let page = dashboard(&app, &cookie, "/dashboard").await;
        assert!(page.contains("2026-01-01 至 2026-05-20（今年至今）"), "{user}: the period is said");
        assert!(page.contains(r#"name="from" value="2026-01-01""#) && page.contains(r#"name="to" value="2026-05-20""#));
        assert!(page.contains(r#"data-period="year" aria-current="true""#), "{user}: 今年 is marked");
        assert!(signed_count(&page) > 0, "{user}: projects signed this year");
        assert_ne!(card(&page, "funds_in_place"), "0.00", "{user}: funds in place this year");
    }
}

async fn every_period_link_opens_its_period(backend: Backend) {
    fix_now();
    let app = TestApp::demo(backend).await;
    let cookie = app.sign_in_demo("baiyin").await;
    let page = dashboard(&app, &cookie, "/dashboard").await;
    for (key, label, from, to, caption) in [
        ("month", "本月", "2026-05-01", "2026-05-20", "本月至今"),
        ("quarter", "本季", "2026-04-01", "2026-05-20", "本季至今"),
        ("year", "今年", "2026-01-01", "2026-05-20", "今年至今"),
        ("last_year", "去年同期", "2025-01-01", "2025-05-20", "去年同期"),
    ] {
        let link = format!("/dashboard?region=620400&period={key}");
        assert!(page.contains(&format!(r#"href="{link}" data-period="{key}""#)), "{label} is offered");
        let opened = dashboard(&app, &cookie, &link).await;
        assert!(opened.contains(&format!("{from} 至 {to}（{caption}）")), "{label}");
        assert!(opened.contains(&format!(r#"name="from" value="{from}""#)), "{label}");
        assert!(opened.contains(&format!(r#"name="to" value="{to}""#)), "{label}");
        assert!(opened.contains(&format!(r#"data-period="{key}" aria-current="true""#)), "{label} is marked");
        // The monthly report of the view covers the same period.
        assert!(opened.contains(&format!("/reports/monthly?region=620400&amp;from={from}&amp;to={to}")), "{label}");
    }
    // Last year's same span has the year before's figures, this year's has its own.
    let this_year = signed_count(&dashboard(&app, &cookie, "/dashboard?region=620400&period=year").await);
    let last_year = signed_count(&dashboard(&app, &cookie, "/dashboard?region=620400&period=last_year").await);
    assert!(this_year > 0 && last_year > 0 && this_year != last_year, "{this_year} against {last_year}");

    // 自定义: dates typed in, said as such; typed to equal a preset, they are that preset.
    let typed = dashboard(&app, &cookie, "/dashboard?region=620400&from=2023-01-01&to=2023-10-31").await;
    assert!(typed.contains("2023-01-01 至 2023-10-31（自定义）"));
    assert!(typed.contains(r#"data-period="custom" aria-current="true""#));
    let from_only = dashboard(&app, &cookie, "/dashboard?region=620400&from=2026-03-01").await;
    assert!(from_only.contains("2026-03-01 至 2026-05-20（自定义）"), "up to today");
    let as_year = dashboard(&app, &cookie, "/dashboard?region=620400&from=2026-01-01&to=2026-05-20").await;
    assert!(as_year.contains("（今年至今）"));

    let unknown = app.get("/dashboard?region=620400&period=week", Some(&cookie)).await;
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert!(body_text(unknown).await.contains("未知的时间段"));
}

on_both_backends!(
    the_default_view_is_this_year_up_to_today_with_figures_for_every_role,
    every_period_link_opens_its_period
);
