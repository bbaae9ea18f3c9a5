//! The cockpit opens on this year up to today in China time, says so, and offers the usual
//! periods (issue 15, point 1); the demo runs up to today, so that view has figures for
//! every role. The clock is fixed through `ZHAOSHANG_NOW`, read once per process: every
//! test of this file fixes the same instant before anything reads it.

mod common;

use axum::http::StatusCode;
use common::*;
use zhaoshang_core::statistical_report::ReportMonth;
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
        // The monthly report of the view: January to the last month ended by its end.
        let month = ReportMonth::ended_by(chrono::NaiveDate::parse_from_str(to, "%Y-%m-%d").unwrap());
        assert!(opened.contains(&format!("/reports/monthly?region=620400&amp;month={month}")), "{label}");
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

/// The ranking's rows as (name, signed projects, funds in place in 亿元 as printed), the
/// 本级 row last when there is one.
fn ranking(page: &str) -> Vec<(String, i64, f64)> {
    let Some(start) = page.find(r#"id="ranking-table""#) else { return Vec::new() };
    let table = &page[start..start + page[start..].find("</table>").unwrap()];
    let body = &table[table.find("<tbody").unwrap()..];
    body.split("<tr")
        .skip(1)
        .map(|row| {
            let cells: Vec<String> =
                row.split("<td").skip(1).map(|cell| strip_tags(&format!("<td{cell}")).trim().to_string()).collect();
            let funds = cells[4].replace(',', "").parse().unwrap_or_else(|_| panic!("{cells:?}"));
            (cells[1].clone(), cells[2].parse().unwrap_or_else(|_| panic!("{cells:?}")), funds)
        })
        .collect()
}

/// The chart data block's JSON.
fn chart_data(page: &str) -> serde_json::Value {
    let start = page.find(r#"id="dashboard-data">"#).unwrap() + r#"id="dashboard-data">"#.len();
    serde_json::from_str(&page[start..start + page[start..].find("</script>").unwrap()]).unwrap()
}

/// A city's ranking of its counties adds up to the city's figures: the projects registered
/// at the city's own code have a 市本级 row of their own (issue 15, point 7).
async fn a_citys_ranking_sums_to_its_headline_with_the_city_level_row(backend: Backend) {
    fix_now();
    let app = TestApp::demo(backend).await;
    let mut city_level_seen = false;
    let tianshui = ["region=620500", "region=620500&from=2023-01-01&to=2023-10-31"];
    for (user, queries) in
        [("admin", [tianshui[0], tianshui[1], "region=620400&period=last_year"].as_slice()), ("tianshui", &tianshui)]
    {
        let cookie = app.sign_in_demo(user).await;
        for query in queries {
            let page = dashboard(&app, &cookie, &format!("/dashboard?{query}")).await;
            let rows = ranking(&page);
            assert!(rows.len() >= 5, "{query}: the counties are ranked");
            let signed: i64 = rows.iter().map(|(_, count, _)| count).sum();
            assert_eq!(signed, signed_count(&page), "{user} {query}: the rows sum to the headline");
            let funds: f64 = rows.iter().map(|(_, _, funds)| funds).sum();
            let headline: f64 = card(&page, "funds_in_place").replace(',', "").parse().unwrap();
            // Each row is rounded to the 0.01 亿元 it prints.
            assert!(
                (funds - headline).abs() <= 0.005 * rows.len() as f64,
                "{user} {query}: {funds} against {headline}"
            );
            if let Some((name, count, _)) = rows.last().filter(|(name, _, _)| name == "市本级") {
                city_level_seen |= *count > 0;
                assert!(page.contains(r#"<tbody id="own-level">"#), "{name}: apart from the ranked rows");
            }
            // The 市本级 is a row of the table, not a region of the map.
            let regions = chart_data(&page)["regions"].as_array().unwrap().len();
            assert_eq!(regions, rows.iter().filter(|(name, _, _)| name != "市本级").count());
        }
    }
    assert!(city_level_seen, "the demo registers projects at a city's own code");
    // A province's ranking likewise (省本级 only when projects are registered at its own code).
    let admin = app.sign_in_demo("admin").await;
    let page = dashboard(&app, &admin, "/dashboard?region=620000&from=2023-01-01&to=2023-10-31").await;
    let signed: i64 = ranking(&page).iter().map(|(_, count, _)| count).sum();
    assert_eq!(signed, signed_count(&page));
}

/// A city's cockpit draws its counties' map beside the trend (the city's map from the
/// embedded boundaries, each county linking to its own cockpit); a county has none.
async fn a_city_has_its_county_map_and_a_county_none(backend: Backend) {
    fix_now();
    let app = TestApp::demo(backend).await;
    let cookie = app.sign_in_demo("tianshui").await;
    let page = dashboard(&app, &cookie, "/dashboard?region=620500&period=year").await;
    let at =
        page.find(r#"id="map-card" data-map-url=""#).expect("a map card") + r#"id="map-card" data-map-url=""#.len();
    let url = &page[at..at + page[at..].find('"').unwrap()];
    assert!(url.starts_with("/assets/maps/620500.") && url.ends_with(".json"), "{url}");
    let map = body_text(app.get(url, None).await).await;
    let data = chart_data(&page);
    let regions = data["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 7, "天水's seven counties");
    for region in regions {
        let name = region["name"].as_str().unwrap();
        assert!(map.contains(&format!(r#""name":"{name}""#)), "{name} is on the map");
        let href = region["href"].as_str().unwrap();
        assert!(
            href.starts_with("/dashboard?region=6205") && href.ends_with("&from=2026-01-01&to=2026-05-20"),
            "{href}"
        );
        assert_eq!(app.get(href, Some(&cookie)).await.status(), StatusCode::OK);
    }
    assert!(data["palette"].as_array().is_some_and(|steps| steps.len() == 5));
    assert!(page.contains(r#"id="map-metric""#), "the metric is chosen");
    let county = dashboard(&app, &cookie, "/dashboard?region=620502&period=year").await;
    assert!(!county.contains(r#"id="map-card""#) && county.contains(r#"id="trend-chart""#));
    // Another city's map: its own counties.
    let admin = app.sign_in_demo("admin").await;
    let lanzhou = dashboard(&app, &admin, "/dashboard?region=620100&period=year").await;
    assert!(lanzhou.contains(r#"data-map-url="/assets/maps/620100."#));
}

/// A period without data says so in place of every chart, with the period, instead of
/// drawing flat zeros; a period with data draws them.
async fn an_empty_period_says_so_instead_of_flat_charts(backend: Backend) {
    fix_now();
    let app = TestApp::demo(backend).await;
    let cookie = app.sign_in_demo("admin").await;
    for region in ["620000", "620500"] {
        let page = dashboard(&app, &cookie, &format!("/dashboard?region={region}&from=1999-01-01&to=1999-12-31")).await;
        assert_eq!(
            page.matches("本期无数据（1999-01-01 至 1999-12-31）").count(),
            2,
            "{region}: the trend and the map"
        );
        assert!(!page.contains(r#"id="trend-chart""#) && !page.contains(r#"id="map-chart""#), "{region}");
        assert!(page.contains(r#"id="map-card""#), "{region}: the map's card stays, saying so");
        let alive = dashboard(&app, &cookie, &format!("/dashboard?region={region}&period=year")).await;
        assert!(!alive.contains("本期无数据"), "{region}");
        assert!(alive.contains(r#"id="trend-chart""#) && alive.contains(r#"id="map-chart""#), "{region}");
    }
}

on_both_backends!(
    the_default_view_is_this_year_up_to_today_with_figures_for_every_role,
    every_period_link_opens_its_period,
    a_citys_ranking_sums_to_its_headline_with_the_city_level_row,
    a_city_has_its_county_map_and_a_county_none,
    an_empty_period_says_so_instead_of_flat_charts
);
