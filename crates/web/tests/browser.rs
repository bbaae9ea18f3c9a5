//! In a real headless Chromium: sign in as the demo administrator, open every page of
//! the shell, create a user through the form, sign out.

mod common;

use common::*;
use fantoccini::{Client, Locator};
use std::time::Duration;
use zhaoshang_testkit::browser::Browser;
use zhaoshang_testkit::Backend;
use zhaoshang_web::serve;

struct Server {
    base: String,
    stop: tokio::sync::oneshot::Sender<()>,
    _app: TestApp,
}

/// Serves an application on a loopback port until `stop`.
async fn serve_app(app: TestApp) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve(listener, app.state.clone(), async move {
        let _ = stopped.await;
    }));
    Server { base, stop, _app: app }
}

async fn demo_server() -> Server {
    serve_app(TestApp::demo(Backend::Sqlite).await).await
}

/// Saves a screenshot when `ZHAOSHANG_SCREENSHOTS` names a folder (for looking at pages).
async fn screenshot(client: &Client, name: &str) {
    if let Ok(dir) = std::env::var("ZHAOSHANG_SCREENSHOTS") {
        let png = client.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

async fn text_of(client: &Client, css: &str) -> String {
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(css)).await.unwrap().text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_walks_the_shell_creates_a_user_and_signs_out() {
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;

    client.goto(&format!("{}/", server.base)).await.unwrap();
    assert!(client.current_url().await.unwrap().path().starts_with("/login"), "anonymous visitors are sent to sign in");
    let demo = text_of(client, "#demo-accounts").await;
    assert!(demo.contains("演示模式") && demo.contains("admin") && demo.contains("tianshui"), "{demo}");

    client.find(Locator::Css("#username")).await.unwrap().send_keys("admin").await.unwrap();
    client.find(Locator::Css("#password")).await.unwrap().send_keys("wrong-password").await.unwrap();
    client.find(Locator::Css("#login-submit")).await.unwrap().click().await.unwrap();
    assert_eq!(text_of(client, "#login-error").await, "用户名或密码错误");

    client.find(Locator::Css("#password")).await.unwrap().send_keys(zhaoshang_app::demo::DEMO_PASSWORD).await.unwrap();
    client.find(Locator::Css("#login-submit")).await.unwrap().click().await.unwrap();
    assert_eq!(text_of(client, "#current-user").await, "省投资促进局管理员");

    let pages = [
        ("/admin/users", "用户管理"),
        ("/reference/regions", "行政区划"),
        ("/reference/parks", "园区"),
        ("/reference/departments", "单位"),
        ("/reference/industries", "国民经济行业分类"),
        ("/admin/audit", "操作日志"),
        ("/", "工作台"),
    ];
    for (path, title) in pages {
        client.find(Locator::Css(&format!(".sidebar a[href='{path}']"))).await.unwrap().click().await.unwrap();
        let heading = text_of(client, "h1.page-title").await;
        assert!(heading.starts_with(title), "{path}: {heading}");
        assert_eq!(client.current_url().await.unwrap().path(), path);
    }

    client.goto(&format!("{}/reference/regions?parent=620000", server.base)).await.unwrap();
    let regions = text_of(client, "#regions-table").await;
    assert!(regions.contains("天水市") && regions.contains("甘南藏族自治州"), "{regions}");

    client.goto(&format!("{}/admin/users/new", server.base)).await.unwrap();
    client.find(Locator::Css("#new-username")).await.unwrap().send_keys("dingxi").await.unwrap();
    client.find(Locator::Css("#new-display-name")).await.unwrap().send_keys("定西市投资促进局").await.unwrap();
    client.find(Locator::Css("#new-role option[value='region']")).await.unwrap().click().await.unwrap();
    client.find(Locator::Css("#new-region")).await.unwrap().send_keys("621100").await.unwrap();
    client.find(Locator::Css("#new-password")).await.unwrap().send_keys("dingxi-2026").await.unwrap();
    client.find(Locator::Css("#create-user")).await.unwrap().click().await.unwrap();
    let users = text_of(client, "#users-table").await;
    assert!(users.contains("dingxi") && users.contains("定西市"), "{users}");

    client.find(Locator::Css("#logout")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#login-form")).await.unwrap();
    client.goto(&format!("{}/admin/users", server.base)).await.unwrap();
    assert!(client.current_url().await.unwrap().path().starts_with("/login"), "signed out");
    assert_console_clean(&browser, "the shell").await;

    browser.close().await;
    let _ = server.stop.send(());
}

async fn sign_in(client: &Client, base: &str, username: &str) {
    client.goto(&format!("{base}/login")).await.unwrap();
    client.find(Locator::Css("#username")).await.unwrap().send_keys(username).await.unwrap();
    client.find(Locator::Css("#password")).await.unwrap().send_keys(zhaoshang_app::demo::DEMO_PASSWORD).await.unwrap();
    client.find(Locator::Css("#login-submit")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#current-user")).await.unwrap();
}

async fn card(client: &Client, key: &str) -> (String, String) {
    let card = client.find(Locator::Css(&format!("#cards [data-figure='{key}']"))).await.unwrap();
    let value = card.find(Locator::Css(".figure")).await.unwrap().text().await.unwrap();
    let delta = card.find(Locator::Css(".stat-delta")).await.unwrap().text().await.unwrap();
    (value, delta)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_shows_the_seed_figures_and_drills_down_to_lists_that_sum_to_them() {
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    sign_in(client, &server.base, "admin").await;

    client.goto(&format!("{}/dashboard?region=620500&from=2023-01-01&to=2023-10-31", server.base)).await.unwrap();
    assert_eq!(card(client, "signed_count").await.0, "202");
    assert_eq!(card(client, "signed_investment").await.0, "684.29");
    assert_eq!(card(client, "funds_in_place").await.0, "271.16");
    assert_eq!(card(client, "arrival_rate").await.0, "39.63%");
    assert_eq!(card(client, "start_rate").await.0, "100.00%");
    // The chart library ran and drew the trend.
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#trend-chart canvas")).await.unwrap();
    screenshot(client, "dashboard-tianshui").await;

    client.find(Locator::Css("#cards [data-figure='signed_investment']")).await.unwrap().click().await.unwrap();
    let total = text_of(client, "#total-yi").await;
    assert_eq!(total, "684.29", "the drill-down list sums to the figure");
    screenshot(client, "drill-down").await;
    assert_eq!(text_of(client, "#total-count").await, "202");

    client.goto(&format!("{}/dashboard?region=620200&from=2023-01-01&to=2023-10-31", server.base)).await.unwrap();
    assert_eq!(card(client, "implementing_count").await.0, "67");
    assert_eq!(card(client, "over_100m_count").await.0, "31");
    let (funds, funds_yoy) = card(client, "funds_in_place").await;
    assert_eq!(funds, "160.40");
    assert!(funds_yoy.contains("+327.2%"), "{funds_yoy}");
    assert!(card(client, "signed_investment").await.1.contains("+88.2%"));
    client.find(Locator::Css("#cards [data-figure='funds_in_place']")).await.unwrap().click().await.unwrap();
    assert_eq!(text_of(client, "#total-yi").await, "160.40");

    client.goto(&format!("{}/dashboard?region=620000&from=2023-01-01&to=2023-10-31", server.base)).await.unwrap();
    let ranking = text_of(client, "#ranking-table").await;
    assert!(ranking.contains("天水市") && ranking.contains("嘉峪关市"), "{ranking}");
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#map-chart canvas")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    screenshot(client, "dashboard-province").await;
    client.goto(&format!("{}/projects?region=620500", server.base)).await.unwrap();
    client.find(Locator::Css("#projects-table tbody a")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#timeline")).await.unwrap();
    screenshot(client, "project").await;
    assert_console_clean(&browser, "the dashboards and drill-downs").await;

    browser.close().await;
    let _ = server.stop.send(());
}

/// Where a node of the chain map's ECharts tree is drawn, relative to the chart's centre,
/// and the colour it is drawn in.
const NODE_ON_CHART: &str = r#"
    var box = document.getElementById("chain-chart");
    var chart = echarts.getInstanceByDom(box);
    var data = chart.getModel().getSeriesByIndex(0).getData();
    for (var i = 0; i < data.count(); i++) {
      if (data.getName(i) !== arguments[0]) continue;
      var at = data.getItemGraphicEl(i).transformCoordToGlobal(0, 0);
      return { x: at[0] - box.clientWidth / 2, y: at[1] - box.clientHeight / 2, colour: data.getItemVisual(i, "style").fill };
    }
    return null;"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chain_map_opens_a_missing_link_ranks_targets_and_creates_a_plan() {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
    use zhaoshang_app::chains::demo::{BAIYIN_METALS, MISSING_LINK};
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    sign_in(client, &server.base, "admin").await;

    client.find(Locator::Css(".sidebar a[href='/chains']")).await.unwrap().click().await.unwrap();
    client.find(Locator::LinkText(BAIYIN_METALS)).await.unwrap().click().await.unwrap();
    assert!(text_of(client, "h1.page-title").await.starts_with(BAIYIN_METALS));
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#chain-chart canvas")).await.unwrap();
    client.execute("document.getElementById('chain-chart').scrollIntoView()", vec![]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await; // the tree's entry animation
    screenshot(client, "chain-map").await;

    // The chart holds the missing link, drawn in the missing colour; a real click on it opens the panel.
    let node = client.execute(NODE_ON_CHART, vec![MISSING_LINK.into()]).await.unwrap();
    assert_eq!(node["colour"], zhaoshang_core::chains::GapStatus::Missing.colour(), "{node}");
    let canvas = client.find(Locator::Css("#chain-chart")).await.unwrap();
    let (x, y) = (node["x"].as_f64().unwrap().round(), node["y"].as_f64().unwrap().round());
    let click = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement { element: canvas, duration: None, x, y })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    client.perform_actions(click).await.unwrap();
    let first = client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#panel-targets li.target[data-rank='1']"))
        .await
        .unwrap();
    assert_eq!(text_of(client, "#panel-title").await, MISSING_LINK);
    assert!(text_of(client, "#panel-status").await.contains("补链"));
    let parts = first.find(Locator::Css(".score-parts")).await.unwrap().text().await.unwrap();
    assert!(parts.contains(" +") && parts.contains(" · "), "the score's parts: {parts}");
    let target = first.find(Locator::Css(".target-name")).await.unwrap().text().await.unwrap();
    screenshot(client, "chain-panel").await;

    // A plan from the first target, through the panel's form.
    first.find(Locator::Css("button.create-plan")).await.unwrap().click().await.unwrap();
    let form = first.find(Locator::Css("form.plan-form")).await.unwrap();
    form.find(Locator::Css("[name=approach]")).await.unwrap().send_keys("以商招商").await.unwrap();
    form.find(Locator::Css("[name=next_step]")).await.unwrap().send_keys("赴总部对接投资意向").await.unwrap();
    client.execute("document.querySelector('.plan-form [name=due_on]').value = '2099-06-30'", vec![]).await.unwrap();
    form.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
    assert_eq!(text_of(client, "#plan-enterprise").await, target);
    assert!(client.current_url().await.unwrap().path().starts_with("/plans/"));
    assert_eq!(text_of(client, "#plan-next-step").await, "赴总部对接投资意向");
    assert_eq!(text_of(client, "#plan-due-on").await, "2099-06-30");
    assert!(text_of(client, "#plan-facts").await.contains(MISSING_LINK));
    screenshot(client, "plan").await;
    assert_console_clean(&browser, "the chain map and the plan").await;

    browser.close().await;
    let _ = server.stop.send(());
}

/// Shows the tooltip of the item named `arguments[1]` (or of the first item when null)
/// of the chart in `#arguments[0]` through the chart's own action, as hovering does;
/// returns the item's index, or -1 when the chart has no such item.
const SHOW_TIP: &str = r#"
    var chart = echarts.getInstanceByDom(document.getElementById(arguments[0]));
    var data = chart.getModel().getSeriesByIndex(0).getData();
    for (var i = 0; i < data.count(); i++) {
      if (arguments[1] !== null && data.getName(i) !== arguments[1]) continue;
      chart.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: i });
      return i;
    }
    return -1;"#;

/// The text and markup of the tooltip ECharts put into a chart's box, if any.
const TOOLTIP: &str = r#"
    var tips = Array.prototype.filter.call(document.getElementById(arguments[0]).children, function (child) {
      return !child.querySelector("canvas") && child.innerText.trim() !== "";
    });
    return tips.length ? { text: tips[0].innerText, html: tips[0].innerHTML } : null;"#;

/// Shows a chart's tooltip for an item and returns its (text, markup).
async fn tooltip_of(client: &Client, chart: &str, item: Option<&str>) -> (String, String) {
    let before = client.execute(TOOLTIP, vec![chart.into()]).await.unwrap();
    let index = client.execute(SHOW_TIP, vec![chart.into(), item.into()]).await.unwrap();
    assert!(index.as_i64().is_some_and(|i| i >= 0), "{chart} has no item {item:?}");
    for _ in 0..50 {
        let tip = client.execute(TOOLTIP, vec![chart.into()]).await.unwrap();
        if let (Some(text), Some(html)) = (tip["text"].as_str(), tip["html"].as_str()) {
            if tip != before {
                return (text.to_string(), html.to_string());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no new tooltip on {chart} for {item:?}");
}

/// Asserts that the pages opened since the last look at the console threw no script
/// error and that the Content-Security-Policy refused nothing they do.
async fn assert_console_clean(browser: &Browser, pages: &str) {
    let messages = browser.console().await;
    let bad: Vec<&String> =
        messages.iter().filter(|m| m.contains("Content Security Policy") || m.contains("Uncaught")).collect();
    assert!(bad.is_empty(), "{pages}: {bad:#?}");
}

/// Asserts that no planted script ran and that the policy blocked nothing the page needs.
async fn assert_nothing_ran_or_blocked(browser: &Browser, page: &str) {
    tokio::time::sleep(Duration::from_millis(500)).await; // an image's error handler runs late
    let xss = browser.client.execute("return window.__xss === undefined ? null : window.__xss;", vec![]).await.unwrap();
    assert_eq!(xss, serde_json::Value::Null, "{page}: a planted script ran");
    assert_console_clean(browser, page).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_names_show_as_text_in_chart_tooltips_and_never_run() {
    let app = TestApp::demo(Backend::Sqlite).await;
    let chain = plant_hostile_names(&app).await;
    let server = serve_app(app).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    sign_in(client, &server.base, "admin").await;

    // The chain map a region user named: the tree holds the names as they are and the
    // tooltips show them as text.
    client.goto(&format!("{}/chains/{chain}?region=620400", server.base)).await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#chain-chart canvas")).await.unwrap();
    let names = client
        .execute(
            r#"var data = echarts.getInstanceByDom(document.getElementById("chain-chart")).getModel().getSeriesByIndex(0).getData();
               var names = []; for (var i = 0; i < data.count(); i++) if (data.getName(i)) names.push(data.getName(i));
               return names;"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(names, serde_json::json!([HOSTILE_CHAIN, "铝产业", HOSTILE_LINK]), "the data block was read");
    let (text, html) = tooltip_of(client, "chain-chart", Some(HOSTILE_LINK)).await;
    assert!(text.starts_with(HOSTILE_LINK) && text.contains("本地企业"), "the link's tooltip: {text:?}");
    assert!(!html.contains("<img"), "{html}");
    let (text, html) = tooltip_of(client, "chain-chart", Some(HOSTILE_CHAIN)).await;
    assert_eq!(text.trim(), HOSTILE_CHAIN, "the chain's tooltip");
    assert!(!html.contains("<script"), "{html}");
    client.execute("document.querySelector('#gap-table a.node-link').click()", vec![]).await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#panel-targets")).await.unwrap();
    assert_eq!(text_of(client, "#panel-title").await, HOSTILE_LINK);
    assert_nothing_ran_or_blocked(&browser, "the chain map").await;
    screenshot(client, "hostile-chain-map").await;

    // The province dashboard ranks a region whose name closes the data block's script
    // element: the block still parses, both charts draw, the ranking shows the name.
    client.goto(&format!("{}/dashboard?region=620000&from=2023-01-01&to=2023-10-31", server.base)).await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#trend-chart canvas")).await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#map-chart canvas")).await.unwrap();
    let regions = client
        .execute(
            r#"return JSON.parse(document.getElementById("dashboard-data").textContent).regions.map(function (r) { return r.name; });"#,
            vec![],
        )
        .await
        .unwrap();
    assert!(regions.as_array().unwrap().contains(&HOSTILE_REGION.into()), "{regions}");
    assert!(text_of(client, "#ranking-table").await.contains(HOSTILE_REGION));
    let (text, _) = tooltip_of(client, "map-chart", Some("天水市")).await;
    assert!(text.starts_with("天水市：") && text.ends_with("亿元"), "the map's tooltip: {text:?}");
    let (text, _) = tooltip_of(client, "trend-chart", None).await;
    assert!(text.contains("2023-01") && text.contains("签约投资额") && text.contains("到位资金"), "{text:?}");
    assert_nothing_ran_or_blocked(&browser, "the dashboard").await;
    screenshot(client, "hostile-dashboard").await;

    // The console check sees what the policy refuses: an inline script added now.
    client
        .execute(
            "var s = document.createElement('script'); s.textContent = 'window.__xss = 5'; document.body.append(s);",
            vec![],
        )
        .await
        .unwrap();
    let refused = browser.console().await;
    assert!(refused.iter().any(|m| m.contains("Content Security Policy")), "{refused:#?}");
    let xss = client.execute("return window.__xss === undefined ? null : window.__xss;", vec![]).await.unwrap();
    assert_eq!(xss, serde_json::Value::Null, "the policy refused the inline script");

    browser.close().await;
    let _ = server.stop.send(());
}
