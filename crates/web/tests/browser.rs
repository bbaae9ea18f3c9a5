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

/// The text of the first element matching `css`, waiting up to 10 s for it. An element
/// a script redraws (a chart's tooltip) can be replaced between finding and reading it,
/// so a stale reference is looked up again.
async fn text_of(client: &Client, css: &str) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let element = client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(css)).await.unwrap();
        match element.text().await {
            Ok(text) => return text,
            Err(error) if error.is_stale_element_reference() && std::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await
            }
            Err(error) => panic!("reading {css}: {error}"),
        }
    }
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
    client.find(Locator::Css("#new-password")).await.unwrap().send_keys("dingxi-pass-2026").await.unwrap();
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
    sign_in_as(client, base, username, zhaoshang_app::demo::DEMO_PASSWORD).await;
}

async fn sign_in_as(client: &Client, base: &str, username: &str, password: &str) {
    client.goto(&format!("{base}/login")).await.unwrap();
    client.find(Locator::Css("#username")).await.unwrap().send_keys(username).await.unwrap();
    client.find(Locator::Css("#password")).await.unwrap().send_keys(password).await.unwrap();
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
    // Asked for no period, the cockpit shows this year up to today, and the demo has figures there.
    client.goto(&format!("{}/dashboard", server.base)).await.unwrap();
    let caption = text_of(client, "#period-caption").await;
    assert!(caption.ends_with("（今年至今）"), "{caption}");
    assert_ne!(card(client, "signed_count").await.0, "0");
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#map-chart canvas")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    screenshot(client, "dashboard-default").await;
    client.goto(&format!("{}/projects?region=620500", server.base)).await.unwrap();
    client.find(Locator::Css("#projects-table tbody a")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#timeline")).await.unwrap();
    screenshot(client, "project").await;
    assert_console_clean(&browser, "the dashboards and drill-downs").await;

    browser.close().await;
    let _ = server.stop.send(());
}

/// Where a node of the chain map's ECharts tree is drawn, relative to the chart's centre,
/// the colour and the size it is drawn in, and the largest size of any node.
const NODE_ON_CHART: &str = r#"
    var box = document.getElementById("chain-chart");
    var chart = echarts.getInstanceByDom(box);
    var data = chart.getModel().getSeriesByIndex(0).getData();
    for (var i = 0; i < data.count(); i++) {
      if (data.getName(i) !== arguments[0]) continue;
      var at = data.getItemGraphicEl(i).transformCoordToGlobal(0, 0);
      var largest = 0;
      for (var j = 0; j < data.count(); j++) largest = Math.max(largest, data.getItemVisual(j, "symbolSize"));
      return { x: at[0] - box.clientWidth / 2, y: at[1] - box.clientHeight / 2, colour: data.getItemVisual(i, "style").fill,
               size: data.getItemVisual(i, "symbolSize"), largest: largest };
    }
    return null;"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chain_map_opens_a_missing_link_ranks_targets_and_creates_a_plan() {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
    use zhaoshang_app::demo::chains::{BAIYIN_METALS, MISSING_LINK};
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    sign_in(client, &server.base, "admin").await;

    client.find(Locator::Css(".sidebar a[href='/chains']")).await.unwrap().click().await.unwrap();
    client.find(Locator::LinkText(BAIYIN_METALS)).await.unwrap().click().await.unwrap();
    assert!(text_of(client, "h1.page-title").await.starts_with(BAIYIN_METALS));
    let chain_url = client.current_url().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#chain-chart canvas")).await.unwrap();
    client.execute("document.getElementById('chain-chart').scrollIntoView()", vec![]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await; // the tree's entry animation
    screenshot(client, "chain-map").await;

    // The chart holds the missing link, drawn in the missing colour; a real click on it opens the panel.
    let node = client.execute(NODE_ON_CHART, vec![MISSING_LINK.into()]).await.unwrap();
    assert_eq!(node["colour"], zhaoshang_core::chains::GapStatus::Missing.colour(), "{node}");
    assert_eq!(node["size"], node["largest"], "a missing link is drawn largest: {node}");
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

    // From the gap list under the chart, a missing link's panel comes into view.
    client.goto(chain_url.as_str()).await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#chain-chart canvas")).await.unwrap();
    client.execute("window.scrollTo(0, document.body.scrollHeight)", vec![]).await.unwrap();
    client.find(Locator::Css("#gap-table tr[data-status='missing'] a.node-link")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#panel-title")).await.unwrap();
    let place = client
        .execute("var r = document.getElementById('node-panel').getBoundingClientRect(); return [r.top, window.innerHeight];", vec![])
        .await
        .unwrap();
    let (top, height) = (place[0].as_f64().unwrap(), place[1].as_f64().unwrap());
    assert!((-1.0..height / 2.0).contains(&top), "the panel is in view: top {top} of {height}");
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

    // The import page's report, built in the browser from the server's JSON, quotes the
    // hostile cells of a bad file as text.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.csv");
    std::fs::write(&file, format!("项目编号,项目名称,所属地区\nXSS-1,{HOSTILE_LINK},{HOSTILE_CHAIN}\n")).unwrap();
    client.goto(&format!("{}/import", server.base)).await.unwrap();
    let input = client.find(Locator::Css("#import-file")).await.unwrap();
    input.send_keys(file.to_str().unwrap()).await.unwrap();
    client.find(Locator::Css("#import-submit")).await.unwrap().click().await.unwrap();
    let problems = text_of(client, "#import-problems").await;
    assert!(problems.contains(HOSTILE_CHAIN), "the report quotes the region cell: {problems}");
    let html = client.find(Locator::Css("#import-problems")).await.unwrap().html(true).await.unwrap();
    assert!(!html.contains("<script") && !html.contains("<img"), "{html}");
    assert_nothing_ran_or_blocked(&browser, "the import report").await;

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

/// A phone held upright, in CSS pixels, as the 企业微信 and 钉钉 workbenches open pages.
const PHONE: (u32, u32) = (390, 844);

/// Makes the browser's tab a phone's screen (`mobile`: the viewport meta tag counts, as on
/// a phone) or a desktop window of the given size; later pages keep it.
async fn screen(browser: &Browser, (width, height): (u32, u32), mobile: bool) {
    let scale = if mobile { 2 } else { 1 };
    let metrics = serde_json::json!({ "width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile });
    browser.cdp("Emulation.setDeviceMetricsOverride", metrics).await;
}

/// Measures the layout of the page at a phone's width and returns what is wrong with it
/// (`problems`) and which tables scroll inside their own box (`scrolling`). The window
/// must be `arguments[0]` wide and the page must not scroll sideways; the top bar is one
/// line; the navigation is hidden behind the menu button, which says so (aria-expanded);
/// the page title takes at most two lines; cards, tiles and form fields are stacked
/// (equal left edges, each below the one before); a table wider than the window scrolls
/// in its box and its first column stays where it is when the box is scrolled sideways.
const PHONE_LAYOUT: &str = r##"
    var width = arguments[0], done = arguments[arguments.length - 1];
    var problems = [], scrolling = [];
    function shown(el) {
      if (!el) return false;
      var r = el.getBoundingClientRect(), s = getComputedStyle(el);
      return s.display !== "none" && s.visibility !== "hidden" && r.width > 0 && r.height > 0;
    }
    function name(el) {
      if (el.id) return "#" + el.id;
      var cls = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "";
      return el.tagName.toLowerCase() + cls;
    }
    function scroller(el) {
      for (; el && el !== document.body; el = el.parentElement) {
        if (/auto|scroll/.test(getComputedStyle(el).overflowX)) return el;
      }
      return null;
    }
    if (window.innerWidth > width) problems.push("the page is wider than the phone: the browser zoomed out to " + window.innerWidth + " px");
    else if (window.innerWidth !== width) problems.push("the window is " + window.innerWidth + " px wide, not " + width);
    var page = document.documentElement.scrollWidth, limit = Math.min(width, window.innerWidth);
    if (page > limit) {
      var wide = Array.prototype.filter.call(document.body.querySelectorAll("*"), function (el) {
        return shown(el) && !scroller(el.parentElement) && el.getBoundingClientRect().right > limit + 0.5;
      }).slice(0, 6).map(name);
      problems.push("the page scrolls sideways (" + page + " px): " + wide.join(", "));
    }
    var bar = document.querySelector(".topbar");
    if (bar && bar.getBoundingClientRect().height >= 80) problems.push("the top bar is " + bar.getBoundingClientRect().height + " px high");
    var side = document.querySelector(".sidebar"), menu = document.getElementById("menu-button");
    if (side) {
      if (shown(side)) problems.push("the navigation shows before the menu is opened");
      if (!shown(menu)) problems.push("no menu button");
      else if (menu.getAttribute("aria-expanded") !== "false" || menu.getAttribute("aria-controls") !== side.id) {
        problems.push("the menu button says aria-expanded=" + menu.getAttribute("aria-expanded") + " aria-controls=" + menu.getAttribute("aria-controls"));
      }
    }
    var title = document.querySelector("h1.page-title");
    if (title) {
      var range = document.createRange();
      range.selectNodeContents(title);
      var middles = Array.prototype.filter.call(range.getClientRects(), function (r) { return r.width > 0 && r.height > 0; })
        .map(function (r) { return r.top + r.height / 2; }).sort(function (a, b) { return a - b; });
      var lines = 0, line = -1e9, gap = 0.8 * parseFloat(getComputedStyle(title).fontSize);
      middles.forEach(function (m) { if (m - line > gap) { lines++; line = m; } });
      if (lines > 2) problems.push("the page title takes " + lines + " lines");
    }
    function stacked(what, items) {
      items = items.filter(shown);
      for (var i = 1; i < items.length; i++) {
        var a = items[i - 1].getBoundingClientRect(), b = items[i].getBoundingClientRect();
        if (Math.abs(a.left - b.left) > 1 || b.top < a.bottom - 1) {
          problems.push(what + ": " + name(items[i]) + " is beside " + name(items[i - 1]) + " (" + Math.round(a.left) + "," + Math.round(a.top) + " / " + Math.round(b.left) + "," + Math.round(b.top) + ")");
          return;
        }
      }
    }
    document.querySelectorAll(".two-col, .stat-grid, .map-layout").forEach(function (group) {
      if (shown(group)) stacked(name(group), Array.prototype.slice.call(group.children));
    });
    document.querySelectorAll("form.form, form.filters").forEach(function (form) {
      if (shown(form)) stacked("the form " + name(form), Array.prototype.slice.call(form.querySelectorAll("label")));
    });
    var tables = [];
    document.querySelectorAll("table").forEach(function (table) {
      if (!shown(table)) return;
      var box = scroller(table);
      if (!box || box.scrollWidth <= box.clientWidth + 1) {
        if (table.getBoundingClientRect().right > window.innerWidth + 0.5) problems.push("the table " + name(table) + " is wider than the window");
        return;
      }
      if (box.getBoundingClientRect().right > window.innerWidth + 0.5) problems.push("the box of the table " + name(table) + " is wider than the window");
      // A row of one cell across the table (“none found”) scrolls with it.
      var row = Array.prototype.filter.call(table.rows, function (r) { return r.cells.length > 1; }).pop();
      if (!row) return;
      var head = table.rows[0].cells[0], first = row.cells[0], second = row.cells[1];
      tables.push({ table: table, box: box, cells: [first, second, head], before: [first, second, head].map(function (c) { return c.getBoundingClientRect().left; }) });
      box.scrollLeft = box.scrollWidth;
    });
    requestAnimationFrame(function () { requestAnimationFrame(function () {
      tables.forEach(function (t) {
        var after = t.cells.map(function (c) { return c.getBoundingClientRect().left; });
        var moved = t.before[1] - after[1];
        if (t.box.scrollLeft < 20 || moved < 20) problems.push("the table " + name(t.table) + " did not scroll sideways");
        else if (Math.abs(after[0] - t.before[0]) > 0.5 || Math.abs(after[2] - t.before[2]) > 0.5) {
          problems.push("the first column of " + name(t.table) + " moved from " + t.before[0] + " to " + after[0] + " (heading " + t.before[2] + " to " + after[2] + ")");
        } else scrolling.push(name(t.table));
        t.box.scrollLeft = 0;
      });
      done({ problems: problems, scrolling: scrolling });
    }); });"##;

/// Whether the navigation shows, inside the window, and what the menu button says.
const NAVIGATION: &str = r#"
    var side = document.querySelector(".sidebar"), menu = document.getElementById("menu-button");
    var r = side.getBoundingClientRect(), s = getComputedStyle(side);
    var inside = r.left >= -0.5 && r.right <= window.innerWidth + 0.5 && r.top >= 0 && r.top < window.innerHeight;
    var active = document.activeElement;
    return {
      shown: s.display !== "none" && s.visibility !== "hidden" && r.width > 0 && r.height > 0 && inside,
      expanded: menu && menu.getAttribute("aria-expanded"),
      menu_shown: !!menu && getComputedStyle(menu).display !== "none" && menu.getBoundingClientRect().width > 0,
      focus: active === menu ? "menu" : side.contains(active) ? "navigation" : active ? active.tagName.toLowerCase() : null,
      page_width: document.documentElement.scrollWidth,
      window_width: window.innerWidth
    };"#;

async fn navigation(client: &Client) -> serde_json::Value {
    client.execute(NAVIGATION, vec![]).await.unwrap()
}

/// Checks the page shown at a phone's width (see `PHONE_LAYOUT`), opens and closes the
/// menu, and returns the tables that scroll in their box.
async fn check_phone_page(client: &Client, page: &str) -> Vec<String> {
    let measured = client.execute_async(PHONE_LAYOUT, vec![PHONE.0.into()]).await.unwrap();
    let problems = measured["problems"].as_array().unwrap();
    assert!(problems.is_empty(), "{page} at {} px: {problems:#?}", PHONE.0);
    if client.find(Locator::Css(".sidebar")).await.is_ok() {
        let menu = client.find(Locator::Css("#menu-button")).await.unwrap();
        menu.click().await.unwrap();
        let open = navigation(client).await;
        assert_eq!((open["shown"].as_bool(), open["expanded"].as_str()), (Some(true), Some("true")), "{page}: {open}");
        assert!(
            open["page_width"].as_u64() <= open["window_width"].as_u64(),
            "{page}: the open menu widens the page: {open}"
        );
        menu.click().await.unwrap();
        let closed = navigation(client).await;
        assert_eq!(
            (closed["shown"].as_bool(), closed["expanded"].as_str()),
            (Some(false), Some("false")),
            "{page}: {closed}"
        );
    }
    measured["scrolling"].as_array().unwrap().iter().map(|t| t.as_str().unwrap().to_string()).collect()
}

/// Opens the menu and follows its link to `path`, as a cadre does on a phone.
async fn follow_menu(client: &Client, path: &str) {
    client.find(Locator::Css("#menu-button")).await.unwrap().click().await.unwrap();
    client.find(Locator::Css(&format!(".sidebar a[href='{path}']"))).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("h1.page-title")).await.unwrap();
    assert_eq!(client.current_url().await.unwrap().path(), path);
}

/// The href of the first link matching `css`.
async fn first_link(client: &Client, css: &str) -> String {
    client.find(Locator::Css(css)).await.unwrap().attr("href").await.unwrap().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone_with_the_navigation_behind_a_menu() {
    use zhaoshang_app::demo::chains::BAIYIN_METALS;
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let base = &server.base;
    screen(&browser, PHONE, true).await;

    client.goto(&format!("{base}/login")).await.unwrap();
    check_phone_page(client, "/login").await;
    screenshot(client, "phone-login").await;
    sign_in(client, base, "admin").await;

    // The menu by keyboard: Enter opens it and moves into it, Escape closes it and goes
    // back to the button, Space opens it again.
    client.goto(&format!("{base}/")).await.unwrap();
    check_phone_page(client, "/").await;
    let menu = client.find(Locator::Css("#menu-button")).await.unwrap();
    menu.send_keys("\u{E007}").await.unwrap();
    let open = navigation(client).await;
    assert_eq!((open["shown"].as_bool(), open["expanded"].as_str()), (Some(true), Some("true")), "Enter: {open}");
    assert_eq!(open["focus"], "navigation", "{open}");
    screenshot(client, "phone-menu").await;
    client.active_element().await.unwrap().send_keys("\u{E00C}").await.unwrap();
    let closed = navigation(client).await;
    assert_eq!(
        (closed["shown"].as_bool(), closed["expanded"].as_str()),
        (Some(false), Some("false")),
        "Escape: {closed}"
    );
    assert_eq!(closed["focus"], "menu", "{closed}");
    client.active_element().await.unwrap().send_keys(" ").await.unwrap();
    assert_eq!(navigation(client).await["shown"], true, "Space opens the menu");
    client.active_element().await.unwrap().send_keys("\u{E00C}").await.unwrap();

    // Every page of the navigation, reached through the menu.
    let mut scrolling = Vec::new();
    let links = client.find_all(Locator::Css(".sidebar a")).await.unwrap();
    let mut paths = Vec::new();
    for link in links {
        paths.push(link.attr("href").await.unwrap().unwrap());
    }
    assert!(paths.len() >= 15, "{paths:?}");
    for path in &paths {
        follow_menu(client, path).await;
        scrolling.extend(check_phone_page(client, path).await);
        screenshot(client, &format!("phone{}", path.replace('/', "-"))).await;
    }

    // The pages behind them: figures of the province, lists, records, forms, maps.
    client.goto(&format!("{base}/projects?region=620500")).await.unwrap();
    let project = first_link(client, "#projects-table tbody a").await;
    client.goto(&format!("{base}/enterprises")).await.unwrap();
    let enterprise = first_link(client, "#enterprises-table tbody a").await;
    client.goto(&format!("{base}/plans")).await.unwrap();
    let plan = first_link(client, "#plans-table tbody td:first-child a").await;
    client.goto(&format!("{base}/chains")).await.unwrap();
    let chain = client.find(Locator::LinkText(BAIYIN_METALS)).await.unwrap().attr("href").await.unwrap().unwrap();
    let pages = [
        "/dashboard?region=620000&from=2023-01-01&to=2023-10-31".to_string(),
        "/projects?region=620500".into(),
        project,
        "/projects/new".into(),
        enterprise,
        chain,
        plan,
        "/search?q=稀土".into(),
        "/reference/regions?parent=620000".into(),
        "/admin/users/new".into(),
    ];
    for path in &pages {
        client.goto(&format!("{base}{path}")).await.unwrap();
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("h1.page-title")).await.unwrap();
        if path.starts_with("/dashboard") {
            client
                .wait()
                .at_most(Duration::from_secs(10))
                .for_element(Locator::Css("#map-chart canvas"))
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_millis(800)).await;
        }
        if path.starts_with("/chains/") {
            client
                .wait()
                .at_most(Duration::from_secs(10))
                .for_element(Locator::Css("#chain-chart canvas"))
                .await
                .unwrap();
        }
        scrolling.extend(check_phone_page(client, path).await);
        let name = path.split('?').next().unwrap().trim_matches('/').replace('/', "-");
        screenshot(client, &format!("phone-{name}")).await;
    }
    for table in
        ["#ranking-table", "#projects-table", "#enterprises-table", "#chains-table", "#plans-table", "#gap-table"]
    {
        assert!(scrolling.iter().any(|t| t == table), "{table} scrolls in its box at a phone's width: {scrolling:?}");
    }
    assert_console_clean(&browser, "the pages at a phone's width").await;

    // A desktop window keeps the desktop layout: the navigation beside the page, no menu.
    screen(&browser, (1280, 900), false).await;
    for path in ["/dashboard?region=620000&from=2023-01-01&to=2023-10-31", "/projects", &pages[2]] {
        client.goto(&format!("{base}{path}")).await.unwrap();
        let desktop = client
            .execute(
                r#"var side = document.querySelector(".sidebar").getBoundingClientRect();
                   var main = document.querySelector("main.content").getBoundingClientRect();
                   var table = document.querySelector("main table.table");
                   var cols = Array.prototype.map.call(document.querySelectorAll(".two-col > *"), function (c) { return Math.round(c.getBoundingClientRect().top); });
                   return {
                     window: window.innerWidth, sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth,
                     sidebar: [Math.round(side.left), Math.round(side.width)], content: Math.round(main.left),
                     topbar: Math.round(document.querySelector(".topbar").getBoundingClientRect().height),
                     menu: !!document.getElementById("menu-button") && getComputedStyle(document.getElementById("menu-button")).display,
                     table: getComputedStyle(table).display, side_by_side: cols.length < 2 || cols[0] === cols[1]
                   };"#,
                vec![],
            )
            .await
            .unwrap();
        let expected = serde_json::json!({
            "window": 1280, "sideways": false, "sidebar": [0, 200], "content": 200, "topbar": 52,
            "menu": "none", "table": "table", "side_by_side": true
        });
        assert_eq!(desktop, expected, "{path} at 1280 px");
        screenshot(client, &format!("desktop-{}", path.split('?').next().unwrap().trim_matches('/').replace('/', "-")))
            .await;
    }
    assert_console_clean(&browser, "the pages at 1280 px").await;

    browser.close().await;
    let _ = server.stop.send(());
}

/// What printing the page would show: whether the navigation, the top bar, the menu or
/// any button is printed, and the tables narrower than the page.
const PRINTED: &str = r#"
    function shown(el) { var r = el.getBoundingClientRect(); return getComputedStyle(el).display !== "none" && r.width > 0 && r.height > 0; }
    var chrome = Array.prototype.filter.call(document.querySelectorAll(".sidebar, .topbar, #menu-button, button, .button"), shown)
      .map(function (el) { return el.id || el.className || el.tagName; });
    var content = document.querySelector("main.content").getBoundingClientRect();
    var narrow = Array.prototype.filter.call(document.querySelectorAll("main table"), shown).filter(function (t) {
      var p = t.parentElement, s = getComputedStyle(p);
      var room = p.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
      return getComputedStyle(t).display !== "table" || t.getBoundingClientRect().width < room - 1;
    }).map(function (t) { return t.id || t.className; });
    var wide = Array.prototype.filter.call(document.body.querySelectorAll("*"), function (el) {
      return shown(el) && el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5;
    }).map(function (el) { return el.id || el.className || el.tagName; });
    return { printed_chrome: chrome, narrow_tables: narrow, content_left: Math.round(content.left), wider_than_the_page: wide };"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn printing_leaves_out_the_navigation_and_buttons_and_widens_tables() {
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    sign_in(client, &server.base, "admin").await;
    client.goto(&format!("{}/projects?region=620500", server.base)).await.unwrap();
    let project = first_link(client, "#projects-table tbody a").await;

    // An A4 page within Chrome's default margins is about 718 CSS pixels wide; offices
    // print from desktops and phones.
    for (size, mobile) in [((718, 1040), false), (PHONE, true)] {
        screen(&browser, size, mobile).await;
        browser.cdp("Emulation.setEmulatedMedia", serde_json::json!({ "media": "print" })).await;
        for path in
            ["/dashboard?region=620000&from=2023-01-01&to=2023-10-31", "/projects?region=620500", &project, "/plans"]
        {
            client.goto(&format!("{}{path}", server.base)).await.unwrap();
            client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("h1.page-title")).await.unwrap();
            let printed = client.execute(PRINTED, vec![]).await.unwrap();
            let expected = serde_json::json!({ "printed_chrome": [], "narrow_tables": [], "content_left": 0, "wider_than_the_page": [] });
            if size == PHONE {
                // A phone prints on paper too: only what is printed counts, not the screen's width.
                assert_eq!(
                    (&printed["printed_chrome"], printed["content_left"].as_i64()),
                    (&expected["printed_chrome"], Some(0)),
                    "{path} printed from a phone"
                );
            } else {
                assert_eq!(printed, expected, "{path} printed");
            }
        }
        screenshot(client, &format!("print-{}", size.0)).await;
    }
    browser.cdp("Emulation.setEmulatedMedia", serde_json::json!({ "media": "" })).await;
    assert_console_clean(&browser, "the printed pages").await;

    browser.close().await;
    let _ = server.stop.send(());
}

/// The demo chain department's overdue next step shows red in its inbox, with the red
/// badge in the navigation, at desktop width and on a phone (behind the menu).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_shows_an_overdue_plan_in_red_on_desktop_and_phone() {
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    sign_in(client, &server.base, "chain").await;
    let colours = r##"
        var row = document.querySelector("#inbox-table tr[data-urgency='red']");
        var badge = document.querySelector(".sidebar a[href='/inbox'] .nav-badge");
        return {
          row: !!row,
          tag: row && getComputedStyle(row.querySelector(".tag")).backgroundColor,
          label: row && row.querySelector(".tag").textContent.trim(),
          badge: badge && getComputedStyle(badge).backgroundColor,
          badge_title: badge && badge.title,
        };"##;
    for (size, mobile) in [((1280, 900), false), (PHONE, true)] {
        screen(&browser, size, mobile).await;
        client.goto(&format!("{}/inbox", server.base)).await.unwrap();
        let seen = client.execute(colours, vec![]).await.unwrap();
        assert_eq!(seen["row"], true, "{size:?}: an overdue plan in the inbox");
        assert_eq!(seen["tag"], "rgb(254, 226, 226)", "{size:?}: red");
        assert_eq!(seen["label"], "已逾期");
        assert_eq!(seen["badge"], "rgb(185, 28, 28)", "{size:?}: the badge is red");
        assert!(seen["badge_title"].as_str().unwrap().starts_with("已逾期"), "{seen}");
        if mobile {
            let hidden =
                client.execute("return getComputedStyle(document.querySelector('.sidebar')).display", vec![]).await;
            assert_eq!(hidden.unwrap(), "none", "on a phone the navigation waits behind the menu");
            follow_menu(client, "/inbox").await;
        }
        screenshot(client, &format!("inbox-{}", size.0)).await;
    }
    assert_console_clean(&browser, "the inbox").await;
    browser.close().await;
    let _ = server.stop.send(());
}

/// What the workbench shows: its parts, whether each lies inside the window, the first
/// inbox item's colour, and whether the page scrolls sideways.
const WORKBENCH_LAYOUT: &str = r##"
    function inside(el) {
      if (!el) return false;
      var r = el.getBoundingClientRect(), s = getComputedStyle(el);
      return s.display !== "none" && r.width > 0 && r.left >= -0.5 && r.right <= window.innerWidth + 0.5;
    }
    var red = document.querySelector("#inbox-items li[data-urgency='red']");
    return {
      parts: ["inbox-summary", "shortcuts", "scope-figures", "recent-changes"].filter(function (id) { return inside(document.getElementById(id)); }),
      red: red && red.querySelector("a").getAttribute("href"),
      red_tag: red && getComputedStyle(red.querySelector(".tag")).backgroundColor,
      figures: document.querySelectorAll("#figure-cards [data-figure]").length,
      changes: document.querySelectorAll("#recent-changes li").length,
      sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth
    };"##;

/// The administrator's workbench at desktop width and on a phone: the province's overdue
/// step in red linking to its plan, the figures, the recent changes and the shortcuts all
/// inside the window, and no sideways scrolling (on the phone, the phone layout's checks).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_workbench_fits_a_desktop_and_a_phone() {
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    sign_in(client, &server.base, "admin").await;
    for (size, mobile) in [((1440, 900), false), (PHONE, true)] {
        screen(&browser, size, mobile).await;
        client.goto(&format!("{}/", server.base)).await.unwrap();
        assert!(text_of(client, "h1.page-title").await.starts_with("工作台"));
        let seen = client.execute(WORKBENCH_LAYOUT, vec![]).await.unwrap();
        assert_eq!(
            seen["parts"],
            serde_json::json!(["inbox-summary", "shortcuts", "scope-figures", "recent-changes"]),
            "{size:?}: {seen}"
        );
        // The province's most urgent items: overdue plans and appeals escalated to it.
        let red = seen["red"].as_str().unwrap_or_default();
        assert!(red.starts_with("/plans/") || red.starts_with("/appeals/"), "{size:?}: {seen}");
        assert_eq!(seen["red_tag"], "rgb(254, 226, 226)", "{size:?}: red");
        assert_eq!(seen["figures"], 4, "{size:?}: {seen}");
        assert!(seen["changes"].as_u64() > Some(0), "{size:?}: {seen}");
        assert_eq!(seen["sideways"], false, "{size:?}: the page scrolls sideways");
        if mobile {
            check_phone_page(client, "/").await;
        }
        screenshot(client, &format!("workbench-{}", size.0)).await;
    }
    assert_console_clean(&browser, "the workbench").await;
    browser.close().await;
    let _ = server.stop.send(());
}

/// What the search results page shows: each tab's text and whether it is inside the
/// window, the pager and its next link, the header's search box, and whether the page
/// scrolls sideways.
const SEARCH_LAYOUT: &str = r##"
    function shown(el) {
      if (!el) return false;
      var r = el.getBoundingClientRect(), s = getComputedStyle(el);
      return s.display !== "none" && s.visibility !== "hidden" && r.width > 0 && r.height > 0 && r.left >= -0.5 && r.right <= window.innerWidth + 0.5;
    }
    return {
      tabs: Array.prototype.map.call(document.querySelectorAll("#search-tabs a"), function (a) {
        return { text: a.textContent.replace(/\s+/g, " ").trim(), shown: shown(a), active: a.classList.contains("active") };
      }),
      rows: document.querySelectorAll("#search-results tbody a").length,
      pager: shown(document.querySelector(".pager")),
      next: shown(document.getElementById("next-page")),
      search_box: shown(document.getElementById("top-search")),
      sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth
    };"##;

/// The count a tab shows ("企业 12" → 12).
fn tab_count(tab: &serde_json::Value) -> u64 {
    tab["text"].as_str().unwrap().rsplit(' ').next().unwrap().parse().unwrap()
}

/// A search typed into the header's box at desktop width and on a phone: the tabs show
/// every kind with its count, the pager pages on, and the page never scrolls sideways.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_results_show_tabs_with_counts_and_a_pager_on_desktop_and_phone() {
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    sign_in(client, &server.base, "admin").await;
    for (size, mobile) in [((1280, 900), false), (PHONE, true)] {
        screen(&browser, size, mobile).await;
        client.goto(&format!("{}/", server.base)).await.unwrap();
        let search_box = client.find(Locator::Css("#top-search")).await.unwrap();
        search_box.send_keys("稀").await.unwrap();
        search_box.send_keys("\u{E007}").await.unwrap();
        text_of(client, "#search-tabs").await;
        assert_eq!(client.current_url().await.unwrap().path(), "/search");
        let seen = client.execute(SEARCH_LAYOUT, vec![]).await.unwrap();
        let tabs = seen["tabs"].as_array().unwrap();
        let labels: Vec<&str> = tabs.iter().map(|t| t["text"].as_str().unwrap().split(' ').next().unwrap()).collect();
        assert_eq!(labels, ["全部", "企业", "项目"], "{size:?}: {seen}");
        assert!(tabs.iter().all(|t| t["shown"] == true), "{size:?}: every tab inside the window: {seen}");
        assert_eq!(tab_count(&tabs[0]), tab_count(&tabs[1]) + tab_count(&tabs[2]), "{seen}");
        assert!(tab_count(&tabs[0]) > 20 && tabs[0]["active"] == true, "{seen}");
        assert_eq!(
            (seen["rows"].as_u64(), &seen["pager"], &seen["next"], &seen["search_box"], &seen["sideways"]),
            (Some(20), &true.into(), &true.into(), &true.into(), &false.into()),
            "{size:?}: {seen}"
        );
        if mobile {
            check_phone_page(client, "/search?q=稀").await;
        }
        screenshot(client, &format!("search-{}", size.0)).await;

        // The projects' tab, then its next page: the query and the tab are kept.
        client.find(Locator::Css("#search-tabs a[data-kind='project']")).await.unwrap().click().await.unwrap();
        text_of(client, "#search-tabs a.active[data-kind='project']").await;
        let projects = tab_count(&client.execute(SEARCH_LAYOUT, vec![]).await.unwrap()["tabs"][2]);
        client.find(Locator::Css("#next-page")).await.unwrap().click().await.unwrap();
        text_of(client, "#search-tabs a.active[data-kind='project']").await;
        let url = client.current_url().await.unwrap();
        let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        assert_eq!(
            pairs,
            [("q", "稀"), ("kind", "project"), ("page", "2")].map(|(k, v)| (k.to_string(), v.to_string()))
        );
        let second = client.execute(SEARCH_LAYOUT, vec![]).await.unwrap();
        assert_eq!(second["rows"].as_u64(), Some((projects - 20).min(20)), "{size:?}: {second}");
        assert_eq!(second["sideways"], false, "{size:?}: {second}");
        assert!(text_of(client, ".pager").await.contains(&format!("第 2 / {} 页", projects.div_ceil(20))));
    }
    assert_console_clean(&browser, "the search results").await;
    browser.close().await;
    let _ = server.stop.send(());
}

/// Fills the lead form as a liaison does on a phone and submits it.
async fn register_lead(client: &Client, base: &str, investor: &str, region: &str) {
    client.goto(&format!("{base}/leads/new")).await.unwrap();
    let form = client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#lead-form")).await.unwrap();
    form.find(Locator::Css("input[name=investor]")).await.unwrap().send_keys(investor).await.unwrap();
    form.find(Locator::Css("select[name=industry] option[value='38']")).await.unwrap().click().await.unwrap();
    form.find(Locator::Css(&format!("select[name=region] option[value='{region}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    form.find(Locator::Css("input[name=amount_wan]")).await.unwrap().send_keys("2500").await.unwrap();
    form.find(Locator::Css("input[name=contact]")).await.unwrap().send_keys("刘经理 13900000000").await.unwrap();
    form.find(Locator::Css("#submit-lead")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#lead-facts")).await.unwrap();
}

/// The issue's Done-when: on a phone, a liaison registers a lead, the region user
/// acknowledges it, the liaison reads the answer; a second liaison registering the same
/// investor is told it is already registered. The liaison attaches a file to its lead
/// right after registering it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_liaison_registers_a_lead_on_a_phone_and_reads_the_regions_answer() {
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let base = &server.base;
    screen(&browser, PHONE, true).await;

    sign_in(client, base, "liaison").await;
    follow_menu(client, "/leads").await;
    client.goto(&format!("{base}/leads/new")).await.unwrap();
    check_phone_page(client, "/leads/new").await;
    screenshot(client, "phone-lead-form").await;
    register_lead(client, base, "兰州储能电池科技有限公司", "620400").await;
    let lead = client.current_url().await.unwrap().path().to_string();
    assert!(lead.starts_with("/leads/"), "{lead}");
    assert_eq!(text_of(client, "#lead-stage").await, "线索");
    assert_eq!(text_of(client, "#lead-chamber").await, "甘肃省浙江商会");
    assert!(text_of(client, "#lead-clock").await.starts_with("受理 待办理"));
    check_phone_page(client, &lead).await;
    // Right after the registration the liaison attaches the investor's introduction.
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("investor-profile.pdf");
    std::fs::write(&profile, zhaoshang_core::attachments::sample_pdf("investor profile")).unwrap();
    client.find(Locator::Css("#attachment-file")).await.unwrap().send_keys(profile.to_str().unwrap()).await.unwrap();
    client.find(Locator::Css("#attachment-upload")).await.unwrap().click().await.unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath("//a[contains(@class, 'attachment-link') and text()='investor-profile.pdf']"))
        .await
        .unwrap();
    check_phone_page(client, "the lead with its file").await;

    // The region user acknowledges it.
    client.delete_all_cookies().await.unwrap();
    sign_in(client, base, "baiyin").await;
    client.goto(&format!("{base}{lead}")).await.unwrap();
    let answer = "已受理，安排白银高新区对接";
    client.find(Locator::Css("#step-form textarea[name=answer]")).await.unwrap().send_keys(answer).await.unwrap();
    client.find(Locator::Css("#record-step")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#lead-clock .answer")).await.unwrap();

    // The liaison reads the answer on its phone.
    client.delete_all_cookies().await.unwrap();
    sign_in(client, base, "liaison").await;
    client.goto(&format!("{base}{lead}")).await.unwrap();
    let clock = text_of(client, "#lead-clock").await;
    assert!(clock.starts_with("受理 按时完成") && clock.contains(answer), "{clock}");
    assert!(client.find(Locator::Css("#step-form")).await.is_err(), "the liaison records nothing");
    check_phone_page(client, &lead).await;
    screenshot(client, "phone-lead-answered").await;
    client.goto(&format!("{base}/leads")).await.unwrap();
    assert!(text_of(client, "#leads-table").await.contains(answer), "the list shows the answer too");

    // A second liaison registering the same investor is told it is already registered.
    client.delete_all_cookies().await.unwrap();
    sign_in(client, base, "liaison2").await;
    register_lead(client, base, "兰州储能电池科技有限公司", "620500").await;
    let told = text_of(client, "#already-registered").await;
    let today = zhaoshang_app::calendar::today();
    assert!(told.starts_with(&format!("该投资方已由甘肃省浙江商会于 {today} 登记")), "{told}");
    assert_eq!(text_of(client, "#lead-stage").await, "已被登记");
    check_phone_page(client, "the refused registration").await;
    screenshot(client, "phone-lead-already-registered").await;
    assert_console_clean(&browser, "the lead pages").await;
    browser.close().await;
    let _ = server.stop.send(());
}

/// How the project form is laid out: its groups' headings, whether the page scrolls
/// sideways, whether any field sticks out of the window, and whether each required mark
/// sits on its label's line, right after the label's text.
const PROJECT_FORM_LAYOUT: &str = r##"
    var width = window.innerWidth, problems = [];
    var legends = Array.prototype.map.call(document.querySelectorAll("#project-form fieldset legend"), function (l) { return l.textContent.trim(); });
    document.querySelectorAll("#project-form input, #project-form select, #project-form textarea, #project-form fieldset").forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (el.type !== "hidden" && (r.left < -0.5 || r.right > width + 0.5)) problems.push((el.name || el.tagName) + " runs from " + r.left + " to " + r.right);
    });
    var marks = Array.prototype.map.call(document.querySelectorAll("#project-form .field-label"), function (label) {
      var mark = label.querySelector(".required-mark");
      if (!mark) return null;
      var range = document.createRange();
      range.setStart(label.firstChild, 0);
      range.setEnd(label.firstChild, label.firstChild.textContent.length);
      var text = range.getBoundingClientRect(), m = mark.getBoundingClientRect();
      return { label: label.firstChild.textContent.trim(), same_line: Math.abs((m.top + m.bottom) / 2 - (text.top + text.bottom) / 2) < 4, gap: Math.round(m.left - text.right) };
    }).filter(Boolean);
    return { legends: legends, sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth, problems: problems, marks: marks };"##;

/// The grouped project form at a phone's width (390 px): four groups, nothing wider than
/// the window (also with a refused save's messages), each required mark beside its label;
/// then an import whose row is flagged shows the warning.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grouped_project_form_fits_a_phone() {
    let server = serve_app(TestApp::with_users(Backend::Sqlite, &[("baiyin1", "region", Some("620400"))]).await).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let base = &server.base;
    screen(&browser, PHONE, true).await;
    client.goto(&format!("{base}/login")).await.unwrap();
    client.find(Locator::Css("#username")).await.unwrap().send_keys("baiyin1").await.unwrap();
    client.find(Locator::Css("#password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    client.find(Locator::Css("#login-submit")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#current-user")).await.unwrap();

    client.goto(&format!("{base}/projects/new")).await.unwrap();
    check_phone_page(client, "/projects/new").await;
    let year = chrono::Datelike::year(&zhaoshang_app::calendar::today());
    let code = client.find(Locator::Css("#field-code")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(code, Some(format!("620400-{year}-0001")), "the next free code is proposed");
    for refused in [false, true] {
        let seen = client.execute(PROJECT_FORM_LAYOUT, vec![]).await.unwrap();
        assert_eq!(seen["legends"], serde_json::json!(["基本信息", "投资方", "进度", "来源与责任"]), "{seen}");
        assert_eq!(seen["sideways"], false, "refused={refused}: {seen}");
        assert!(seen["problems"].as_array().unwrap().is_empty(), "refused={refused}: {seen}");
        let marks = seen["marks"].as_array().unwrap();
        let labels: Vec<_> = marks.iter().map(|m| m["label"].as_str().unwrap()).collect();
        assert_eq!(labels, ["项目编号", "项目名称", "所属地区"], "{seen}");
        for mark in marks {
            assert_eq!(mark["same_line"], true, "{mark}");
            assert!((0..=6).contains(&mark["gap"].as_i64().unwrap()), "the mark follows its label: {mark}");
        }
        screenshot(client, &format!("phone-project-form-{refused}")).await;
        if !refused {
            // A long investor name and a signing without a total: refused with messages in place.
            client
                .find(Locator::Css("#field-name"))
                .await
                .unwrap()
                .send_keys("年产十万吨高性能稀土永磁材料及电机一体化项目")
                .await
                .unwrap();
            client.find(Locator::Css("#field-stage")).await.unwrap().select_by_value("signed").await.unwrap();
            client.find(Locator::Css("#save-project")).await.unwrap().click().await.unwrap();
            client
                .wait()
                .at_most(Duration::from_secs(10))
                .for_element(Locator::Css("[data-error-for='total_investment_wan']"))
                .await
                .unwrap();
            check_phone_page(client, "/projects (refused)").await;
        }
    }

    // The import page lists a file's rows flagged for funds in place above the total.
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("projects", "项目编号,项目名称,所属地区,总投资(万元),签约日期\nBY-W-1,超额项目,620400,100,2024-03-01\n"),
        ("funding", "项目编号,到位日期,到位金额(万元)\nBY-W-1,2024-05-01,300\n"),
    ];
    for (kind, text) in files {
        let file = dir.path().join(format!("{kind}.csv"));
        std::fs::write(&file, text).unwrap();
        client.goto(&format!("{base}/import")).await.unwrap();
        client.find(Locator::Css("#import-kind")).await.unwrap().select_by_value(kind).await.unwrap();
        client.find(Locator::Css("#import-file")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
        client.find(Locator::Css("#import-submit")).await.unwrap().click().await.unwrap();
        assert!(text_of(client, "#import-summary").await.contains("新增 1"), "{kind}");
        // The page made a token for the upload; the server's progress under it ended written.
        let progress = client.execute(SERVER_PROGRESS, vec![]).await.unwrap();
        let progress: serde_json::Value = serde_json::from_str(progress.as_str().unwrap()).unwrap();
        assert_eq!(progress, serde_json::json!({ "stage": "写入", "done": 1, "total": 1 }), "{kind}");
    }
    let warnings = text_of(client, "#import-warnings").await;
    assert!(
        warnings.contains("第2行 到位金额(万元)：累计到位资金 300.00 万元超过总投资 100.00 万元，已导入并标记为待确认"),
        "{warnings}"
    );
    check_phone_page(client, "/import (warnings)").await;
    assert_console_clean(&browser, "the project form").await;
    browser.close().await;
    let _ = server.stop.send(());
}

/// Every badge and code of a page that is shown but broken over lines: several line
/// boxes, or a box taller than one line of its text (plus its padding).
const BROKEN_BADGES: &str = r#"
    return Array.from(document.querySelectorAll(".tag, .table code, .nav-badge")).filter(function (el) {
      return el.getClientRects().length > 0;
    }).map(function (el) {
      var s = getComputedStyle(el), rect = el.getBoundingClientRect();
      var line = parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.5;
      var content = rect.height - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom)
        - parseFloat(s.borderTopWidth) - parseFloat(s.borderBottomWidth);
      return { text: el.textContent, lines: el.getClientRects().length, content: content, line: line };
    }).filter(function (b) { return b.lines > 1 || b.content > b.line * 1.2; });
"#;

/// The import page's last upload's progress as the server tells it (JSON text).
const SERVER_PROGRESS: &str = "var token = document.getElementById('import-progress-token').value; \
     var x = new XMLHttpRequest(); x.open('GET', '/import/progress/' + token, false); \
     x.setRequestHeader('Accept', 'application/json'); x.send(); return x.responseText;";

/// Stage, plan and gap badges and codes stay on one line at desktop and phone widths;
/// the import page shows the server's own message for a file it cannot read.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn badges_keep_to_one_line_and_the_import_page_shows_the_servers_message() {
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    sign_in(client, &server.base, "admin").await;
    client.goto(&format!("{}/chains", server.base)).await.unwrap();
    let chain = first_link(client, "#chains-table td a").await;
    for (size, mobile) in [((1440, 900), false), (PHONE, true)] {
        screen(&browser, size, mobile).await;
        let mut badges = 0;
        for path in ["/projects", "/plans", chain.as_str(), "/projects?stage=signed"] {
            client.goto(&format!("{}{path}", server.base)).await.unwrap();
            text_of(client, "h1.page-title").await;
            let count = client.execute("return document.querySelectorAll('.tag').length;", vec![]).await.unwrap();
            badges += count.as_u64().unwrap();
            let broken = client.execute(BROKEN_BADGES, vec![]).await.unwrap();
            assert_eq!(broken, serde_json::json!([]), "{size:?} {path}: broken over lines");
        }
        assert!(badges > 20, "{size:?}: stage, plan and gap badges were measured ({badges})");
        screenshot(client, &format!("badges-{}", size.0)).await;
    }

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.xlsx");
    std::fs::write(&file, b"this is not a workbook").unwrap();
    client.goto(&format!("{}/import", server.base)).await.unwrap();
    client.find(Locator::Css("#import-file")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
    client.find(Locator::Css("#import-submit")).await.unwrap().click().await.unwrap();
    let shown = text_of(client, "#import-result .alert-error").await;
    assert!(shown.contains("无法读取 Excel 文件"), "the server's message: {shown}");
    assert!(!shown.contains("导入失败（"), "{shown}");
    assert_console_clean(&browser, "the badges and the import page").await;
    browser.close().await;
    let _ = server.stop.send(());
}

// ---- Charts (issue 15 point 7) and the chambers' map of China (issue 18 point 1) ----

/// Every text an ECharts chart shows (labels, legend, axis labels), with its box in the
/// chart's pixels, and the chart's size. Labels hidden for overlapping are not shown.
const CHART_TEXTS: &str = r#"
    var chart = echarts.getInstanceByDom(document.getElementById(arguments[0]));
    if (!chart) return null;
    var texts = [];
    chart.getZr().storage.getDisplayList(true).forEach(function (el) {
      // A text element is drawn as its lines (tspan), each in the display list.
      if (el.type !== "tspan" || el.invisible || !el.style || !el.style.text || el.style.opacity === 0) return;
      var r = el.getBoundingRect().clone();
      if (el.transform) r.applyTransform(el.transform);
      texts.push({ text: String(el.style.text), x: r.x, y: r.y, w: r.width, h: r.height, fill: el.style.fill || null });
    });
    return { width: chart.getWidth(), height: chart.getHeight(), texts: texts };"#;

/// The fill of each region of a map chart by its label's text.
const MAP_FILLS: &str = r#"
    var chart = echarts.getInstanceByDom(document.getElementById(arguments[0]));
    var series = chart.getModel().getSeriesByIndex(0), data = series.getData();
    var fills = {};
    for (var i = 0; i < data.count(); i++) {
      fills[series.getFormattedLabel(i, "normal")] = data.getItemModel(i).get(["itemStyle", "areaColor"]);
    }
    return fills;"#;

/// Where a region of a map chart is, from the chart's centre (for a click).
const REGION_POINT: &str = r#"
    var box = document.getElementById(arguments[0]);
    var geo = echarts.getInstanceByDom(box).getModel().getSeriesByIndex(0).coordinateSystem;
    var region = geo.getRegion(arguments[1]);
    if (!region) return null;
    var at = geo.dataToPoint(region.getCenter());
    return { x: at[0] - box.clientWidth / 2, y: at[1] - box.clientHeight / 2 };"#;

#[derive(Debug, serde::Deserialize)]
struct ChartText {
    text: String,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    fill: Option<String>,
}

impl ChartText {
    fn overlaps(&self, other: &ChartText) -> bool {
        let apart = |a0: f64, a1: f64, b0: f64, b1: f64| a1 <= b0 + 0.5 || b1 <= a0 + 0.5;
        !(apart(self.x, self.x + self.w, other.x, other.x + other.w)
            || apart(self.y, self.y + self.h, other.y, other.y + other.h))
    }
}

/// The texts a chart shows, once its animation is over, and its (width, height).
async fn chart_texts(client: &Client, chart: &str) -> (Vec<ChartText>, (f64, f64)) {
    let css = format!("#{chart} canvas");
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(&css)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let seen = client.execute(CHART_TEXTS, vec![chart.into()]).await.unwrap();
    let texts: Vec<ChartText> = serde_json::from_value(seen["texts"].clone()).unwrap();
    (texts, (seen["width"].as_f64().unwrap(), seen["height"].as_f64().unwrap()))
}

/// A map chart's labels: none overlaps another, each reads at WCAG AA on its region's
/// fill; returns them.
async fn check_map_labels(client: &Client, chart: &str, at: &str) -> Vec<String> {
    use zhaoshang_core::colours::{contrast, hex_colour};
    let (labels, _) = chart_texts(client, chart).await;
    let fills = client.execute(MAP_FILLS, vec![chart.into()]).await.unwrap();
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            assert!(!a.overlaps(b), "{at}: the labels {} and {} overlap: {a:?} {b:?}", a.text, b.text);
        }
        let fill = fills[&a.text].as_str().unwrap_or_else(|| panic!("{at}: no region for {}", a.text));
        let text = a.fill.as_deref().unwrap_or("#000000");
        let ratio = contrast(hex_colour(text).unwrap(), hex_colour(fill).unwrap());
        assert!(ratio >= 4.5, "{at}: {} in {text} on {fill} reads at {ratio:.2}", a.text);
    }
    labels.into_iter().map(|label| label.text).collect()
}

/// Clicks a region of a map chart.
async fn click_region(client: &Client, chart: &str, region: &str) {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
    let at = client.execute(REGION_POINT, vec![chart.into(), region.into()]).await.unwrap();
    let (x, y) = (at["x"].as_f64().unwrap().round(), at["y"].as_f64().unwrap().round());
    let element = client.find(Locator::Css(&format!("#{chart}"))).await.unwrap();
    let click = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement { element, duration: None, x, y })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    client.perform_actions(click).await.unwrap();
}

/// Waits until the browser is at `path?query`.
async fn wait_for_page(client: &Client, path: &str, query: &str) {
    for _ in 0..100 {
        let url = client.current_url().await.unwrap();
        if url.path() == path && url.query() == Some(query) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("not at {path}?{query}: {}", client.current_url().await.unwrap());
}

/// The cockpit's charts at desktop and phone widths: the trend's legend apart from its
/// axis labels, all inside the chart; the map's labels apart and readable on their fills
/// (天水 on dark red too); a city's map of its counties, a county clicked opening its own
/// cockpit; an empty period saying 本期无数据 where the charts would be flat.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cockpit_charts_keep_their_texts_apart_and_readable() {
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    sign_in(client, &server.base, "admin").await;
    for (size, mobile) in [((1440, 900), false), (PHONE, true)] {
        screen(&browser, size, mobile).await;
        for (region, labels_at_least) in [("620000", 9), ("620500", 5)] {
            let at = format!("{size:?} {region}");
            client
                .goto(&format!("{}/dashboard?region={region}&from=2023-01-01&to=2023-10-31", server.base))
                .await
                .unwrap();
            let (texts, (width, height)) = chart_texts(client, "trend-chart").await;
            let (legend, axes): (Vec<_>, Vec<_>) =
                texts.iter().partition(|t| ["签约投资额", "到位资金"].contains(&t.text.as_str()));
            assert_eq!(legend.len(), 2, "{at}: {texts:?}");
            assert!(axes.len() > 5, "{at}: the axis labels {axes:?}");
            for l in &legend {
                for a in &axes {
                    assert!(
                        !l.overlaps(a),
                        "{at}: the legend's {} overlaps the axis label {}: {l:?} {a:?}",
                        l.text,
                        a.text
                    );
                }
            }
            for t in &texts {
                let inside = t.x >= -0.5 && t.y >= -0.5 && t.x + t.w <= width + 0.5 && t.y + t.h <= height + 0.5;
                assert!(inside, "{at}: {t:?} leaves the {width}×{height} chart");
            }
            let labels = check_map_labels(client, "map-chart", &at).await;
            assert!(labels.len() >= labels_at_least, "{at}: {labels:?}");
            // At desktop width the capital and 天水 keep theirs (on a phone the smaller give way).
            if region == "620000" && !mobile {
                assert!(
                    labels.contains(&"天水".to_string()) && labels.contains(&"兰州".to_string()),
                    "{at}: {labels:?}"
                );
            }
            screenshot(client, &format!("cockpit-{region}-{}", size.0)).await;
        }
    }
    // 天水's counties: 甘谷县 clicked opens its cockpit for the same period.
    screen(&browser, (1440, 900), false).await;
    client.goto(&format!("{}/dashboard?region=620500&from=2023-01-01&to=2023-10-31", server.base)).await.unwrap();
    chart_texts(client, "map-chart").await;
    click_region(client, "map-chart", "甘谷县").await;
    wait_for_page(client, "/dashboard", "region=620523&from=2023-01-01&to=2023-10-31").await;
    assert!(text_of(client, "#period-caption").await.starts_with("甘谷县"));
    // Another metric recolours the map; its labels stay readable.
    client.goto(&format!("{}/dashboard?region=620000&from=2023-01-01&to=2023-10-31", server.base)).await.unwrap();
    chart_texts(client, "map-chart").await;
    client.find(Locator::Css("#map-metric")).await.unwrap().select_by_value("completion").await.unwrap();
    check_map_labels(client, "map-chart", "目标完成率").await;
    // A year without data: every chart's place says so.
    client.goto(&format!("{}/dashboard?region=620000&from=1999-01-01&to=1999-12-31", server.base)).await.unwrap();
    assert_eq!(text_of(client, "#trend-card .chart-empty").await, "本期无数据（1999-01-01 至 1999-12-31）");
    assert_eq!(text_of(client, "#map-card .chart-empty").await, "本期无数据（1999-01-01 至 1999-12-31）");
    assert!(client.find(Locator::Css("canvas")).await.is_err(), "no chart is drawn");
    assert_console_clean(&browser, "the cockpit's charts").await;
    browser.close().await;
    let _ = server.stop.send(());
}

/// The chambers page's map of China: each province with chambers coloured and named
/// readably, names from the divisions escaped in the tooltip, a province clicked filtering
/// the list to its count; 境外 listed beside the map; the page fits a phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chambers_map_of_china_counts_by_province_and_filters_the_list() {
    use zhaoshang_core::regions::{Division, RegionCode};
    let app = TestApp::demo(Backend::Sqlite).await;
    // A province named to break out of the page (a reference-data import could name one so).
    let hostile = Division { code: RegionCode::parse("710000").unwrap(), name: HOSTILE_REGION.into(), parent: None };
    app.store().load_regions(&[hostile]).await.unwrap();
    let chamber = zhaoshang_store::chambers::ChamberData {
        name: "测试商会".into(),
        location: "710000".into(),
        ..Default::default()
    };
    app.store().upsert_chambers(&[chamber], &zhaoshang_store::Actor::system("测试")).await.unwrap();
    let server = serve_app(app).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    sign_in(client, &server.base, "admin").await;
    client.goto(&format!("{}/chambers", server.base)).await.unwrap();
    let labels = check_map_labels(client, "china-map", "/chambers").await;
    assert!(labels.contains(&"甘肃".to_string()) && labels.len() >= 15, "{labels:?}");
    let (text, html) = tooltip_of(client, "china-map", Some("710000")).await;
    assert!(text.contains(HOSTILE_REGION) && text.contains("1 家"), "{text}");
    assert!(!html.contains("<img") && !html.contains("<script"), "{html}");
    assert_nothing_ran_or_blocked(&browser, "/chambers").await;
    let abroad = text_of(client, "#abroad-list").await;
    assert!(abroad.contains("香港") && abroad.contains("澳门"), "{abroad}");
    screenshot(client, "chambers-map").await;

    let guangdong = client.execute(
        "return JSON.parse(document.getElementById('chamber-map-data').textContent).provinces.filter(function (p) { return p.code === '440000'; })[0].value;",
        vec![],
    ).await.unwrap();
    click_region(client, "china-map", "440000").await;
    wait_for_page(client, "/chambers", "location=440000").await;
    assert_eq!(text_of(client, "#total-count").await, guangdong.to_string(), "the list holds the province's count");
    assert!(text_of(client, "#chambers-table").await.contains("广东省甘肃商会"));

    screen(&browser, PHONE, true).await;
    client.goto(&format!("{}/chambers", server.base)).await.unwrap();
    check_map_labels(client, "china-map", "/chambers on a phone").await;
    check_phone_page(client, "/chambers").await;
    screenshot(client, "chambers-map-phone").await;
    assert_console_clean(&browser, "the chambers' map").await;
    browser.close().await;
    let _ = server.stop.send(());
}

/// Issue 21: the demo reviewer scores an achievement of the 2024 round seeing no other
/// reviewer's score, the administrator closes and publishes the round, and the
/// achievement is on the published pool page and on the public portal, which need no
/// sign-in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reviewer_scores_the_admin_publishes_and_the_achievement_is_public() {
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let base = &server.base;
    sign_in(client, base, "reviewer").await;
    client.goto(&format!("{base}/achievements?year=2024")).await.unwrap();
    let first = client.find(Locator::Css("#achievements-table tbody a")).await.unwrap();
    let code = first.text().await.unwrap();
    first.click().await.unwrap();
    let others = client.find_all(Locator::Css("#achievement-reviews tbody tr")).await.unwrap();
    assert!(others.is_empty(), "no other reviewer's score while the round is open");
    assert!(text_of(client, "#achievement-reviews").await.contains("评审尚未结束"), "the scores are sealed");
    client.find(Locator::Css("#score-form input[name='market']")).await.unwrap().send_keys("96").await.unwrap();
    client.find(Locator::Css("#score-form input[name='economic']")).await.unwrap().send_keys("94.5").await.unwrap();
    client.find(Locator::Css("#score-form input[name='technical']")).await.unwrap().send_keys("97").await.unwrap();
    client.find(Locator::Css("#score-form textarea")).await.unwrap().send_keys("<b>值得推广</b>").await.unwrap();
    client.find(Locator::Css("#score-submit")).await.unwrap().click().await.unwrap();
    assert!(text_of(client, "#scored-note").await.contains("市场潜力 96，经济价值 94.5，技术含量 97"));
    let rows = client.find_all(Locator::Css("#achievement-reviews tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 1, "its own review only");
    client.find(Locator::Css("#logout")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#login-form")).await.unwrap();

    sign_in(client, base, "admin").await;
    client.goto(&format!("{base}/pool/rounds/2024")).await.unwrap();
    assert_eq!(text_of(client, "#round-status").await, "评审中");
    client.find(Locator::Css("#round-close")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#round-publish")).await.unwrap();
    assert_eq!(text_of(client, "#round-status").await, "已结束");
    client.find(Locator::Css("#round-publish")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#loads")).await.unwrap();
    assert_eq!(text_of(client, "#round-status").await, "已发布");
    client.find(Locator::Css("#logout")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#login-form")).await.unwrap();

    client.goto(&format!("{base}/pool/published?year=2024")).await.unwrap();
    let published = text_of(client, "main").await;
    assert!(published.contains(&code), "the scored achievement is published: {published}");
    // Its title leads to its page on the public portal, with the form to register interest.
    let portal_path = format!("/portal/achievements/2024/{code}");
    client.find(Locator::Css(&format!("a[href='{portal_path}']"))).await.unwrap().click().await.unwrap();
    let facts = text_of(client, "#portal-achievement").await;
    assert_eq!(client.current_url().await.unwrap().path(), portal_path);
    let institution = server._app.store().achievement(&code).await.unwrap().unwrap().institution;
    assert!(facts.contains(&institution), "{facts}");
    client.find(Locator::Css("#enquiry-form")).await.unwrap();
    assert_console_clean(&browser, "the pool").await;
    browser.close().await;
    let _ = server.stop.send(());
}

/// The pool page's rows: each selected achievement's code, overall rank, rank interval
/// and whether it is marked 临界.
const POOL_ROWS: &str = r#"
    return Array.from(document.querySelectorAll(".pool-industry tbody tr")).map(function (row) {
      var cells = row.querySelectorAll("td");
      return { code: cells[3].textContent.trim(), rank: Number(cells[1].textContent),
               interval: row.querySelector("td.interval").firstChild.textContent.trim(),
               critical: row.querySelector("td.interval .critical") !== null };
    });"#;

/// Fetches `arguments[0]` with the page's session: its status, content type and bytes.
const FETCH_BYTES: &str = r#"
    var done = arguments[arguments.length - 1];
    fetch(arguments[0], { credentials: "same-origin" }).then(function (response) {
      return response.arrayBuffer().then(function (buffer) {
        done({ status: response.status, type: response.headers.get("content-type"),
               bytes: Array.from(new Uint8Array(buffer)) });
      });
    }).catch(function (error) { done({ error: String(error) }); });"#;

#[derive(Debug, serde::Deserialize)]
struct PoolRow {
    code: String,
    rank: usize,
    interval: String,
    critical: bool,
}

async fn figure_of(client: &Client, id: &str) -> usize {
    text_of(client, &format!("#{id}")).await.parse().unwrap()
}

/// Issue 21 point 3 and 5: the administrator sees each selected achievement of the closed
/// 2023 round with its rank interval under resampling (as computed afresh here) and the
/// 临界 mark where the interval crosses the cut, follows the link to the round's report,
/// reads the same counts there, and its Excel link answers with the report's workbook.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pool_shows_rank_intervals_and_links_to_the_round_report() {
    use zhaoshang_core::achievements::{rank_intervals, Weights, RESAMPLES, RESAMPLE_SEED};
    let server = demo_server().await;
    let (_, candidates) = server._app.store().pool_candidates(2023).await.unwrap();
    let intervals = rank_intervals(&candidates, Weights::EQUAL, RESAMPLES, RESAMPLE_SEED);
    let browser = Browser::start().await;
    let client = &browser.client;
    let base = &server.base;
    sign_in(client, base, "admin").await;
    client.goto(&format!("{base}/pool?year=2023")).await.unwrap();
    let (registered, reviewed, selected) = (
        figure_of(client, "registered").await,
        figure_of(client, "reviewed").await,
        figure_of(client, "selected").await,
    );
    let critical = figure_of(client, "critical").await;
    assert!(selected > 0 && critical > 0, "the demo's 2023 pool has achievements near the cut");
    let rows: Vec<PoolRow> = serde_json::from_value(client.execute(POOL_ROWS, vec![]).await.unwrap()).unwrap();
    assert_eq!(rows.len(), selected, "every selected achievement listed");
    for row in &rows {
        let interval = intervals[&row.code];
        assert_eq!(row.interval, format!("{}–{}", interval.best, interval.worst), "{}", row.code);
        assert!(interval.best <= row.rank && row.rank <= interval.worst, "{row:?}");
        assert_eq!(row.critical, interval.crosses(selected), "{row:?}");
    }
    assert_eq!(rows.iter().filter(|r| r.critical).count(), critical);
    let marked = client.find(Locator::Css("td.interval .critical")).await.unwrap();
    assert!(marked.is_displayed().await.unwrap());
    assert_eq!(marked.text().await.unwrap(), "临界");
    screenshot(client, "pool-intervals").await;

    client.find(Locator::Css("#report-link")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css("#report-totals")).await.unwrap();
    assert_eq!(client.current_url().await.unwrap().path(), "/pool/rounds/2023/report");
    assert_eq!(figure_of(client, "registered").await, registered);
    assert_eq!(figure_of(client, "reviewed").await, reviewed);
    assert_eq!(figure_of(client, "selected").await, selected);
    let report = text_of(client, "main").await;
    assert!(report.contains("按行业") && report.contains("入池名单") && report.contains("专家工作量"), "{report}");
    let critical_cells = client
        .execute("return Array.from(document.querySelectorAll('.report-section td')).filter(function (td) { return td.textContent === '临界'; }).length;", vec![])
        .await
        .unwrap();
    assert_eq!(critical_cells.as_u64(), Some(critical as u64), "the report marks the same achievements");
    screenshot(client, "round-report").await;

    let link = client.find(Locator::Css("#report-xlsx")).await.unwrap();
    assert!(link.is_displayed().await.unwrap());
    let href = link.attr("href").await.unwrap().unwrap();
    let answer = client.execute_async(FETCH_BYTES, vec![href.into()]).await.unwrap();
    assert_eq!(answer["status"], 200, "{:?}", answer.get("error"));
    assert!(answer["type"].as_str().unwrap().contains("spreadsheetml"), "{}", answer["type"]);
    let bytes: Vec<u8> = serde_json::from_value(answer["bytes"].clone()).unwrap();
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let pool = workbook.worksheet_range("入池名单").unwrap();
    assert_eq!(pool.rows().count(), 2 + selected, "a title, the headers and the selection");
    assert!(workbook.sheet_names().iter().any(|name| name == "按行业"));
    assert_console_clean(&browser, "the pool and its report").await;
    browser.close().await;
    let _ = server.stop.send(());
}

/// Where a parcel stands on the site-selection map, from the map box's centre (what a
/// pointer moved to the box is offset from): as a dot, an outline or inside a cluster
/// (`kind`), with the tooltip of that item shown and the map's zoom.
const PARCEL_ON_MAP: &str = r#"
    var box = document.getElementById("parcel-map");
    if (!box.dataset.ready) return null;
    var chart = echarts.getInstanceByDom(box);
    var option = chart.getOption();
    var kinds = { 1: "dot", 2: "outline", 3: "cluster" };
    for (var index = 1; index <= 3; index++) {
      var items = option.series[index].data;
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        if (item.name !== arguments[0] && (item.codes || []).indexOf(arguments[0]) < 0) continue;
        chart.dispatchAction({ type: "showTip", seriesIndex: index, dataIndex: i });
        var at = chart.convertToPixel({ geoIndex: 0 }, item.value);
        return { kind: kinds[index], count: item.count || 1, zoom: option.geo[0].zoom,
                 x: at[0] - box.clientWidth / 2, y: at[1] - box.clientHeight / 2 };
      }
    }
    return null;"#;

/// Where the parcel `code` stands on the map once it is ready (see `PARCEL_ON_MAP`).
async fn parcel_on_map(client: &Client, code: &str) -> serde_json::Value {
    for _ in 0..100 {
        let at = client.execute(PARCEL_ON_MAP, vec![code.into()]).await.unwrap();
        if !at.is_null() {
            return at;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{code} is not on the map");
}

/// A left click at an offset from the centre of an element.
async fn click_at(client: &Client, css: &str, x: f64, y: f64) {
    use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
    let element = client.find(Locator::Css(css)).await.unwrap();
    let click = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement { element, duration: None, x: x.round(), y: y.round() })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    client.perform_actions(click).await.unwrap();
}

/// Clicks the clusters holding the parcel `code` until it stands alone (a dot or its
/// outline); where it stands then.
async fn split_clusters_down_to(client: &Client, code: &str) -> serde_json::Value {
    for _ in 0..20 {
        let at = parcel_on_map(client, code).await;
        if at["kind"] != "cluster" {
            return at;
        }
        let tip = text_of(client, "#parcel-map .chart-tooltip").await;
        assert!(tip.contains("个地块") && tip.contains("点击放大"), "a cluster's tooltip: {tip}");
        click_at(client, "#parcel-map", at["x"].as_f64().unwrap(), at["y"].as_f64().unwrap()).await;
        // The click may land while the map is still settling: then it is clicked again.
        for _ in 0..20 {
            if parcel_on_map(client, code).await["zoom"].as_f64() > at["zoom"].as_f64() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    panic!("{code} is still in a cluster");
}

/// Fills a form's fields by name (text inputs, text areas and selects by option value).
async fn fill(client: &Client, form: &str, fields: &[(&str, &str)]) {
    for (name, value) in fields {
        let field = client.find(Locator::Css(&format!("{form} [name='{name}']"))).await.unwrap();
        if field.tag_name().await.unwrap() == "select" {
            field.find(Locator::Css(&format!("option[value='{value}']"))).await.unwrap().click().await.unwrap();
        } else {
            field.send_keys(value).await.unwrap();
        }
    }
}

/// Issue 20's Done-when: a visitor filters the parcels of 白银, finds one on the map and
/// opens it from there, compares two, sends an enquiry from the portal, and 白银's user
/// sees it as a lead with its clock and answers it; the visitor reads the answer by its
/// tracking code, and the portal reads in English.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_finds_a_parcel_on_the_map_compares_and_enquires_and_the_region_answers() {
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let base = &server.base;

    client.goto(&format!("{base}/parcels")).await.unwrap();
    fill(client, "#parcel-filters", &[("region", "620400"), ("status", "可供")]).await;
    client.find(Locator::Css("#filter-parcels")).await.unwrap().click().await.unwrap();
    wait_for_page(
        client,
        "/parcels",
        "region=620400&land_use=&status=%E5%8F%AF%E4%BE%9B&min_area_mu=&max_area_mu=&max_price=&near=&within_km=",
    )
    .await;
    let codes: Vec<String> = {
        let boxes = client.find_all(Locator::Css("#parcels-table input[name=codes]")).await.unwrap();
        let mut codes = Vec::new();
        for b in boxes {
            codes.push(b.attr("value").await.unwrap().unwrap());
        }
        codes
    };
    assert!(codes.len() >= 2, "白银 has parcels on offer: {codes:?}");

    // On the map: the first parcel, out of its cluster, shows its tooltip, and a click
    // opens its card (clicked again while the map may still be settling under load).
    let mut opened_card = false;
    for _ in 0..5 {
        let at = split_clusters_down_to(client, &codes[0]).await;
        let tip = text_of(client, "#parcel-map .chart-tooltip").await;
        assert!(tip.contains(&codes[0]), "{tip}");
        click_at(client, "#parcel-map", at["x"].as_f64().unwrap(), at["y"].as_f64().unwrap()).await;
        if client.wait().at_most(Duration::from_secs(3)).for_element(Locator::Css("#parcel-card")).await.is_ok() {
            opened_card = true;
            break;
        }
    }
    assert!(opened_card, "a click on the parcel's point opens its card");
    let opened = client.current_url().await.unwrap().path().trim_start_matches("/parcels/").to_string();
    assert!(codes.contains(&opened), "the map opened a parcel of the list: {opened}");
    assert!(text_of(client, "#park-infrastructure").await.contains("电"), "the card shows its park's readiness");

    // Two side by side.
    client.back().await.unwrap();
    for code in &codes[..2] {
        let selector = format!("#parcels-table input[value='{code}']");
        client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(&selector))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    client.find(Locator::Css("#compare-button")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("main table")).await.unwrap();
    let compared = text_of(client, "main").await;
    assert!(compared.contains(&codes[0]) && compared.contains(&codes[1]), "{compared}");

    // An enquiry from the parcel's card, through the portal.
    client.goto(&format!("{base}/parcels/{opened}")).await.unwrap();
    client.find(Locator::Css("#parcel-enquire")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#enquiry-form")).await.unwrap();
    let investor = "宁波某储能科技有限公司";
    fill(
        client,
        "#enquiry-form",
        &[
            ("organisation", investor),
            ("contact", "0574-8888888"),
            ("amount_wan", "30000"),
            ("message", "需要 110kV 供电，能否半年内交地？"),
        ],
    )
    .await;
    client.find(Locator::Css("#enquiry-send")).await.unwrap().click().await.unwrap();
    let tracking = text_of(client, "#tracking-code").await;
    assert_eq!(tracking.len(), 12);
    assert!(text_of(client, "#no-answer").await.contains("尚未答复"));

    // 白银 sees it as a lead with its clock running, and acknowledges it.
    sign_in(client, base, "baiyin").await;
    client.goto(&format!("{base}/leads")).await.unwrap();
    let row = client
        .find(Locator::XPath(&format!("//table[@id='leads-table']//tr[contains(., '{investor}')]")))
        .await
        .unwrap();
    let row_text = row.text().await.unwrap();
    assert!(row_text.contains("网上选地"), "{row_text}");
    row.find(Locator::Css("a")).await.unwrap().click().await.unwrap();
    assert!(text_of(client, "#lead-clock").await.starts_with("受理 待办理"));
    let answer = "已受理，白银高新区将于明日与您联系";
    client.find(Locator::Css("#step-form textarea[name=answer]")).await.unwrap().send_keys(answer).await.unwrap();
    client.find(Locator::Css("#record-step")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#lead-clock .answer")).await.unwrap();
    client.delete_all_cookies().await.unwrap();

    // The visitor reads the answer by its code, then in English.
    client.goto(&format!("{base}/portal/track")).await.unwrap();
    client.find(Locator::Css("#track-code")).await.unwrap().send_keys(&tracking.to_lowercase()).await.unwrap();
    client.find(Locator::Css("#track-code")).await.unwrap().send_keys("\u{E007}").await.unwrap();
    assert!(text_of(client, "#portal-answers").await.contains(answer));
    client.find(Locator::Css("#portal-language")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("html[lang=en]")).await.unwrap();
    assert!(text_of(client, "#portal-answers").await.starts_with("Answers"));
    client.goto(&format!("{base}/portal?lang=en")).await.unwrap();
    assert!(text_of(client, "#portal-parcels h2").await.starts_with("Available parcels"));
    assert_console_clean(&browser, "site selection and the portal").await;
    browser.close().await;
    let _ = server.stop.send(());
}

/// Issue 22's Done-when: an enterprise files an appeal on the portal; 白银's leader
/// transfers it to a department, 白银's handler answers; the enterprise rates it 不满意
/// on its tracking page, which reopens it; answered again, rated 满意 and closed — each
/// step shown to the enterprise by its code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_appeal_from_the_portal_is_transferred_answered_reopened_and_closed() {
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let base = &server.base;

    client.goto(&format!("{base}/portal")).await.unwrap();
    client.find(Locator::Css("#portal-appeal-link")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#portal-appeal-form")).await.unwrap();
    let content = "新建厂房电力增容申请已逾两月未获答复";
    fill(
        client,
        "#portal-appeal-form",
        &[
            ("enterprise", "白银某新材料有限公司"),
            ("region", "620402"),
            ("dimension", "factors"),
            ("category", "要素保障"),
            ("contact", "0943-7654321"),
            ("content", content),
        ],
    )
    .await;
    client.find(Locator::Css("#portal-appeal-send")).await.unwrap().click().await.unwrap();
    let tracking = text_of(client, "#tracking-code").await;
    let track = client.current_url().await.unwrap().path().to_string();
    assert_eq!(text_of(client, "#tracked-stage").await, "办理中");
    assert_eq!(text_of(client, "#tracked-content").await, content);
    let code = {
        let heading = text_of(client, "#portal-tracked h2").await;
        heading.rsplit(' ').next().unwrap().to_string()
    };

    // Three steps by two users of 白银, each with the form of the appeal's page.
    let take_step = |user: &'static str, action: &'static str, fields: Vec<(&'static str, String)>| {
        let code = code.clone();
        async move {
            client.delete_all_cookies().await.unwrap();
            sign_in(client, base, user).await;
            client.goto(&format!("{base}/appeals/{code}")).await.unwrap();
            let form =
                client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#step-form")).await.unwrap();
            form.find(Locator::Css(&format!("#step-action option[value='{action}']")))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            for (id, value) in fields {
                form.find(Locator::Css(id)).await.unwrap().send_keys(&value).await.unwrap();
            }
            form.find(Locator::Css("#take-step")).await.unwrap().click().await.unwrap();
            client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#appeal-steps")).await.unwrap();
            assert!(client.find(Locator::Css("#step-error")).await.is_err(), "{user} {action}");
        }
    };
    take_step(
        "leader",
        "transfer",
        vec![("#step-department", "白银区供电公司".into()), ("#step-text", "属供电企业职责".into())],
    )
    .await;
    assert_eq!(text_of(client, "#appeal-contact").await, "0943-7654321（门户提交）");
    take_step("baiyin", "answer", vec![("#step-text", "已协调增容方案，下月完成送电".into())]).await;

    // The enterprise reads the course and is not satisfied.
    let rate = |rating: &'static str| {
        let track = track.clone();
        async move {
            client.delete_all_cookies().await.unwrap();
            client.goto(&format!("{base}{track}")).await.unwrap();
            client
                .find(Locator::Css(&format!("#portal-rating-form input[value='{rating}']")))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            client.find(Locator::Css("#portal-rating-send")).await.unwrap().click().await.unwrap();
            client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#tracked-stage")).await.unwrap();
        }
    };
    client.delete_all_cookies().await.unwrap();
    client.goto(&format!("{base}{track}")).await.unwrap();
    let course = text_of(client, "#portal-answers").await;
    assert!(course.contains("白银区供电公司") && course.contains("已协调增容方案，下月完成送电"), "{course}");
    rate("dissatisfied").await;
    assert_eq!(text_of(client, "#tracked-stage").await, "办理中", "不满意 reopens it");

    take_step("baiyin", "answer", vec![("#step-text", "增容工程已开工，本月底送电".into())]).await;
    rate("satisfied").await;
    take_step("baiyin", "close", vec![]).await;
    client.delete_all_cookies().await.unwrap();
    client.goto(&format!("{base}/portal/track/{tracking}")).await.unwrap();
    assert_eq!(text_of(client, "#tracked-stage").await, "已办结");
    let course = text_of(client, "#portal-answers").await;
    assert!(course.contains("不满意") && course.contains("增容工程已开工") && course.contains("满意"), "{course}");
    assert_console_clean(&browser, "the portal's appeal").await;
    browser.close().await;
    let _ = server.stop.send(());
}

/// Issue 17, point 6: a ledger calling 签约日期 `签约时间` is mapped in the browser, beside
/// the fields of projects, and imported; next month's file with the same header imports
/// without the question.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_column_is_mapped_once_and_next_months_file_imports_without_asking() {
    let server =
        serve_app(TestApp::with_users(Backend::Sqlite, &[("tianshui1", "region", Some("620500"))]).await).await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let base = &server.base;
    sign_in_as(client, base, "tianshui1", PASSWORD).await;
    let dir = tempfile::tempdir().unwrap();
    let header = "项目编号,项目名称,所属地区,总投资(万元),签约时间\n";
    let months = [
        ("june.csv", format!("{header}TS-B-1,光伏组件项目,620503,5000,2024-06-03\n")),
        (
            "july.csv",
            format!("{header}TS-B-1,光伏组件项目,620503,5000,2024-06-03\nTS-B-2,冷链物流项目,620503,800,2024-07-15\n"),
        ),
    ];
    for (index, (name, text)) in months.iter().enumerate() {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        client.goto(&format!("{base}/import")).await.unwrap();
        client.find(Locator::Css("#import-kind")).await.unwrap().select_by_value("projects").await.unwrap();
        client.find(Locator::Css("#import-file")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
        client.find(Locator::Css("#import-submit")).await.unwrap().click().await.unwrap();
        if index == 0 {
            assert!(text_of(client, "#import-mapping-message").await.contains("未识别的列"));
            let columns = text_of(client, "#import-mapping-columns").await;
            assert!(columns.contains("签约时间") && columns.contains("2024-06-03"), "{columns}");
            let fields = text_of(client, "#import-mapping-fields").await;
            assert!(fields.contains("签约日期") && fields.contains("项目名称（必填）"), "{fields}");
            screenshot(client, "import-mapping").await;
            let choice = client.find(Locator::Css("select[name='map_4']")).await.unwrap();
            choice.select_by_value("signed_on").await.unwrap();
            client.find(Locator::Css("#import-mapping-submit")).await.unwrap().click().await.unwrap();
        }
        assert!(text_of(client, "#import-summary").await.contains("新增 1"), "{name}");
        let warnings = text_of(client, "#import-warnings").await;
        assert!(warnings.contains("列“签约时间”按“签约日期”读取"), "{name}: {warnings}");
        let asked = client.find_all(Locator::Css("#import-mapping")).await.unwrap();
        assert!(asked.is_empty(), "{name}: no question left on the page");
    }
    let july = server._app.store().project_by_code("TS-B-2").await.unwrap().unwrap();
    assert_eq!(july.data.signed_on, chrono::NaiveDate::from_ymd_opt(2024, 7, 15));
    assert_console_clean(&browser, "the import's column mapping").await;
    browser.close().await;
    let _ = server.stop.send(());
}

/// Zooms the site-selection map in by 4 at the parcel `code`, as the mouse wheel does.
const ZOOM_AT_PARCEL: &str = r#"
    var chart = echarts.getInstanceByDom(document.getElementById("parcel-map"));
    var code = arguments[0];
    var item = chart.getOption().series[1].data.filter(function (p) { return p.name === code; })[0];
    var at = chart.convertToPixel({ geoIndex: 0 }, item.value);
    chart.dispatchAction({ type: "geoRoam", componentType: "geo", zoom: 4, originX: at[0], originY: at[1] });"#;

/// What the parcel card's position form holds.
const PLACED: &str = r#"
    var form = document.getElementById("position-form");
    return [form.elements.lon.value, form.elements.lat.value];"#;

/// Issue 20's map: zoomed out, the parcels gather in clusters showing their count; a
/// click on one zooms into it, and zoomed in far enough a parcel is drawn as its outline.
/// 白银's user moves one of its parcels by clicking its card's map and saving; the card
/// then shows the new position.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_parcel_map_clusters_zoomed_out_outlines_zoomed_in_and_a_region_moves_its_parcel() {
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let base = &server.base;

    client.goto(&format!("{base}/parcels?region=620400")).await.unwrap();
    let code = first_link(client, "#parcels-table td a").await;
    let code = code.trim_start_matches("/parcels/").to_string();
    let listed = client.find_all(Locator::Css("#parcels-table input[name=codes]")).await.unwrap().len();
    let at = parcel_on_map(client, &code).await;
    assert_eq!(at["kind"], "cluster", "zoomed out, {code} is in a cluster: {at}");
    assert!(at["count"].as_u64().unwrap() >= 2, "{at}");
    let shown: serde_json::Value = client
        .execute(
            r#"var o = echarts.getInstanceByDom(document.getElementById("parcel-map")).getOption();
               return o.series[1].data.length + o.series[2].data.length +
                 o.series[3].data.reduce(function (n, c) { return n + c.count; }, 0);"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(shown.as_u64(), Some(listed as u64), "every listed parcel is a dot, an outline or in a cluster");
    // A click on the cluster zooms in and splits it; the wheel zooms on to the outline.
    let mut at = split_clusters_down_to(client, &code).await;
    for _ in 0..10 {
        if at["kind"] == "outline" {
            break;
        }
        client.execute(ZOOM_AT_PARCEL, vec![code.clone().into()]).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        at = parcel_on_map(client, &code).await;
    }
    assert_eq!(at["kind"], "outline", "zoomed in, {code} is drawn as its boundary: {at}");
    assert!(text_of(client, "#parcel-map .chart-tooltip").await.contains(&code));

    // 白银's user moves it on its card.
    sign_in(client, base, "baiyin").await;
    client.goto(&format!("{base}/parcels/{code}")).await.unwrap();
    let before = text_of(client, "#parcel-position").await;
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#parcel-card-map[data-ready]"))
        .await
        .unwrap();
    client.find(Locator::Css("#position-edit")).await.unwrap().click().await.unwrap();
    click_at(client, "#parcel-card-map", 60.0, -40.0).await;
    let mut placed = serde_json::Value::Null;
    for _ in 0..50 {
        placed = client.execute(PLACED, vec![]).await.unwrap();
        if format!("{}, {}", placed[0].as_str().unwrap(), placed[1].as_str().unwrap()) != before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let placed = format!("{}, {}", placed[0].as_str().unwrap(), placed[1].as_str().unwrap());
    assert_ne!(placed, before, "a click on the map places the parcel");
    client.find(Locator::Css("#position-save")).await.unwrap().click().await.unwrap();
    for _ in 0..100 {
        if client.find(Locator::Css("#position-form[hidden]")).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(text_of(client, "#parcel-position").await, placed, "the card shows the new position");
    assert_console_clean(&browser, "the parcel map").await;
    browser.close().await;
    let _ = server.stop.send(());
}

// ---- Attachments (issue 21 point 1, issue 22 point 1) ----

/// The response to a GET of `arguments[0]` from the page: its status, content type and
/// disposition, size and first five bytes.
const FETCH_FILE: &str = r#"
    var done = arguments[arguments.length - 1];
    fetch(arguments[0]).then(function (r) {
      return r.arrayBuffer().then(function (b) {
        done({ status: r.status, type: r.headers.get("content-type"), disposition: r.headers.get("content-disposition"),
               size: b.byteLength, head: String.fromCharCode.apply(null, new Uint8Array(b.slice(0, 5))) });
      });
    }).catch(function (e) { done({ error: String(e) }); });"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_portal_form_takes_a_file_and_staff_attach_a_pdf_that_its_link_downloads() {
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    let base = &server.base;
    let dir = tempfile::tempdir().unwrap();
    let pdf = zhaoshang_core::attachments::sample_pdf("browser attachment");
    let (sent, staff) = (dir.path().join("licence.pdf"), dir.path().join("minutes.pdf"));
    std::fs::write(&sent, &pdf).unwrap();
    std::fs::write(&staff, &pdf).unwrap();

    // An enterprise files an appeal with a file on the portal and sees it when tracking.
    client.goto(&format!("{base}/portal/appeals/new")).await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#portal-appeal-form")).await.unwrap();
    let fields = [
        ("enterprise", "白银附件测试有限公司"),
        ("region", "620402"),
        ("dimension", "government"),
        ("contact", "0943-1234567"),
        ("content", "营业执照变更登记材料反复退回"),
    ];
    fill(client, "#portal-appeal-form", &fields).await;
    client.find(Locator::Css("#portal-appeal-files")).await.unwrap().send_keys(sent.to_str().unwrap()).await.unwrap();
    client.find(Locator::Css("#portal-appeal-send")).await.unwrap().click().await.unwrap();
    assert!(text_of(client, "#tracked-files").await.contains("licence.pdf"));
    let code = text_of(client, "#portal-tracked h2").await.rsplit(' ').next().unwrap().to_string();

    // 白银's staff see it on the appeal's page, attach a PDF, and its link downloads it.
    client.delete_all_cookies().await.unwrap();
    sign_in(client, base, "baiyin").await;
    client.goto(&format!("{base}/appeals/{code}")).await.unwrap();
    assert!(text_of(client, "#attachment-list").await.contains("licence.pdf"));
    client.find(Locator::Css("#attachment-file")).await.unwrap().send_keys(staff.to_str().unwrap()).await.unwrap();
    client.find(Locator::Css("#attachment-upload")).await.unwrap().click().await.unwrap();
    let link = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath("//a[contains(@class, 'attachment-link') and text()='minutes.pdf']"))
        .await
        .unwrap();
    let row = text_of(client, "#attachment-list tbody tr:last-child").await;
    assert!(row.contains("baiyin") && row.contains(&format!("{} B", pdf.len())), "{row}");
    let href = link.attr("href").await.unwrap().expect("a download link");
    let got = client.execute_async(FETCH_FILE, vec![serde_json::json!(href)]).await.unwrap();
    assert_eq!(got["status"], 200, "{got}");
    assert_eq!(got["type"], "application/pdf");
    assert!(got["disposition"].as_str().unwrap().starts_with("attachment;"), "{got}");
    assert_eq!((got["size"].as_u64(), got["head"].as_str()), (Some(pdf.len() as u64), Some("%PDF-")));
    screenshot(client, "appeal-attachments").await;
    assert_console_clean(&browser, "the portal's form and the appeal's attachments").await;
    browser.close().await;
    let _ = server.stop.send(());
}

async fn sign_out(client: &Client) {
    client.find(Locator::Css("#logout")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#login-form")).await.unwrap();
}

/// Chooses `value` in the select `css`.
async fn choose(client: &Client, css: &str, value: &str) {
    client.find(Locator::Css(css)).await.unwrap().select_by_value(value).await.unwrap();
}

/// The rows of the province-wide board of open instructions naming the report `title`.
async fn board_rows(client: &Client, base: &str, title: &str) -> Vec<String> {
    client.goto(&format!("{base}/instructions")).await.unwrap();
    let rows = "return Array.from(document.querySelectorAll('#open-tasks tbody tr')).map(r => r.textContent);";
    let rows: Vec<String> = serde_json::from_value(client.execute(rows, vec![]).await.unwrap()).unwrap();
    rows.into_iter().filter(|row| row.contains(title)).collect()
}

/// Issue 23's Done-when: a member files a report with suggestions, a leader instructs on
/// one and splits the instruction into tasks, the lead department answers with a grade
/// and the member rates it; the report's board shows each step, and the province-wide
/// board lists the task while it is open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_goes_from_a_member_through_a_leaders_instruction_to_a_graded_task() {
    let server = demo_server().await;
    let store = server._app.store();
    let browser = Browser::start().await;
    let client = &browser.client;
    let base = &server.base;
    let today = zhaoshang_app::calendar::today().to_string();
    let title = "天水文旅产业蹲点调研报告";

    sign_in(client, base, "member").await;
    client.goto(&format!("{base}/reports")).await.unwrap();
    client.find(Locator::Css("#new-report")).await.unwrap().click().await.unwrap();
    let suggestions = "一、强化要素保障\n保障文旅项目用地\n二、优化营商环境：\n推行<b>一窗受理</b>\n压减审批时限";
    let fields = [
        ("title", title),
        ("region", "620500"),
        ("research_group", "第三调研组"),
        ("authors", "李某某"),
        ("enterprises_visited", "天水文旅甲公司\n天水文旅乙公司"),
        ("suggestions", suggestions),
    ];
    fill(client, "#report-form", &fields).await;
    let set_date = "document.getElementById('field-researched_on').value = arguments[0];";
    client.execute(set_date, vec![serde_json::json!(today)]).await.unwrap();
    client.find(Locator::Css("#save-report")).await.unwrap().click().await.unwrap();
    assert_eq!(text_of(client, "#report-title").await, title);
    let report = client.current_url().await.unwrap().path().to_string();
    let report_id: i64 = report.trim_start_matches("/reports/").parse().expect("on the report's page");
    let second = text_of(client, "#suggestion-2").await;
    assert!(second.contains("第2条　推行<b>一窗受理</b>"), "numbered through, shown as text: {second}");
    assert!(second.contains(&format!("{today} 提交")) && !second.contains("批办"), "{second}");
    assert!(client.find(Locator::Css("#instruction-form")).await.is_err(), "a member does not instruct");
    sign_out(client).await;

    // The leader instructs on suggestion 2 for action and hands it to two departments.
    sign_in(client, base, "leader").await;
    client.goto(&format!("{base}{report}")).await.unwrap();
    let suggestion = store.report_suggestions(report_id).await.unwrap().remove(1);
    assert_eq!(suggestion.number, 2);
    choose(client, "#instruction-suggestion", &suggestion.id.to_string()).await;
    choose(client, "#instruction-kind", "action").await;
    fill(client, "#instruction-form", &[("text", "请天水市工信局牵头研究落实，商务局配合。")]).await;
    client.find(Locator::Css("#save-instruction")).await.unwrap().click().await.unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#suggestion-2 .instruction"))
        .await
        .unwrap();
    let instruction = store.report_instructions(report_id).await.unwrap().pop().expect("the instruction is kept");
    let split = format!("#split-form-{}", instruction.id);
    let split_form = client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(&split)).await.unwrap();
    assert!(text_of(client, "#suggestion-2 .signature").await.contains("批示人："));
    fill(client, &split, &[("lead", "天水市工业和信息化局"), ("co", "天水市商务局")]).await;
    split_form.find(Locator::Css("button[type='submit']")).await.unwrap().click().await.unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#suggestion-2 table.tasks"))
        .await
        .unwrap();
    let tasks = store.report_tasks(report_id).await.unwrap();
    assert_eq!(tasks.len(), 2, "a lead and a co-handling department");
    let lead = tasks.iter().find(|t| t.part == "lead").unwrap();
    let lead_row = format!("#task-{}", lead.id);
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(&lead_row)).await.unwrap();
    let path = text_of(client, "#suggestion-2 .path").await;
    assert_eq!(path, format!("{today} 提交 → {today} 分管副省长批办 → {today} 交办"));
    assert_eq!(board_rows(client, base, title).await.len(), 2, "both tasks on the province-wide board");
    sign_out(client).await;

    // The lead department answers with grade A; the member is satisfied and the task closes.
    sign_in(client, base, "chain").await;
    client.goto(&format!("{base}{report}")).await.unwrap();
    let step_form = format!("#step-form-{}", lead.id);
    choose(client, &format!("{step_form} [name='step']"), "final").await;
    fill(client, &step_form, &[("text", "已出台文旅项目审批“一窗受理”办法")]).await;
    choose(client, &format!("{step_form} [name='grade']"), "a").await;
    client.find(Locator::Css(&format!("{step_form} button[type='submit']"))).await.unwrap().click().await.unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(&format!("{lead_row} .grade")))
        .await
        .unwrap();
    assert_eq!(text_of(client, &format!("{lead_row} .grade")).await, "A");
    let answered = store.task(lead.id).await.unwrap().unwrap();
    assert_eq!((answered.grade.as_str(), answered.answered_on.map(|d| d.to_string())), ("a", Some(today.clone())));
    sign_out(client).await;

    sign_in(client, base, "member").await;
    client.goto(&format!("{base}{report}")).await.unwrap();
    choose(client, &format!("{step_form} [name='step']"), "rate").await;
    choose(client, &format!("{step_form} [name='satisfaction']"), "satisfied").await;
    client.find(Locator::Css(&format!("{step_form} button[type='submit']"))).await.unwrap().click().await.unwrap();
    let closed = format!("{lead_row} .task-state[data-state='closed']");
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(&closed)).await.unwrap();
    assert!(text_of(client, &lead_row).await.contains(&format!("{today} 办结")));
    let steps = text_of(client, &format!("{lead_row} + .task-course .timeline")).await;
    assert!(steps.contains("已出台文旅项目审批“一窗受理”办法"), "{steps}");
    assert_eq!(store.task(lead.id).await.unwrap().unwrap().state, "closed");
    sign_out(client).await;
    sign_in(client, base, "leader").await;
    let rows = board_rows(client, base, title).await;
    assert!(rows.len() == 1 && rows[0].contains("天水市商务局"), "the lead's task left the board: {rows:?}");
    assert_console_clean(&browser, "the report's board").await;
    browser.close().await;
    let _ = server.stop.send(());
}

/// Issue 19's travel planner: the provincial leader plans a trip to 上海 from the
/// activities page, gets the brief of the place with a day-by-day itinerary, prints it to
/// PDF (Chinese text in the PDF, the buttons not printed); after the trip the province's
/// office turns the plan into an activity and fills in its outcome.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_leader_plans_a_trip_to_shanghai_prints_it_and_it_becomes_an_activity() {
    let server = demo_server().await;
    let browser = Browser::start().await;
    let client = &browser.client;
    sign_in(client, &server.base, "leader").await;
    client.goto(&format!("{}/activities", server.base)).await.unwrap();
    client.find(Locator::Css("#travel-link")).await.unwrap().click().await.unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#new-travel"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#travel-form")).await.unwrap();
    for (field, value) in [
        ("#field-leader", "王德胜"),
        ("#field-destination", "上海市"),
        ("#field-start_on", "2026-05-06"),
        ("#field-end_on", "2026-05-08"),
        ("#field-purpose", "出席进博会期间拜访目标企业和上海市甘肃商会"),
    ] {
        let input = client.find(Locator::Css(field)).await.unwrap();
        input.clear().await.unwrap();
        if field.ends_with("_on") {
            // A date input takes what a user types in its locale's order; set it instead.
            client
                .execute(
                    "arguments[0].value = arguments[1];",
                    vec![serde_json::to_value(&input).unwrap(), value.into()],
                )
                .await
                .unwrap();
        } else {
            input.send_keys(value).await.unwrap();
        }
    }
    client.find(Locator::Css("#save-travel")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css("#travel-itinerary")).await.unwrap();
    let title = text_of(client, "h1.page-title").await;
    assert_eq!(title, "王德胜 赴上海市出行招商计划");
    let itinerary = text_of(client, "#travel-itinerary").await;
    assert!(
        itinerary.contains("第1天") && itinerary.contains("第3天") && itinerary.contains("上海市甘肃商会"),
        "{itinerary}"
    );
    assert!(text_of(client, "#travel-chambers").await.contains("上海市甘肃商会联络员"));
    let plan_url = client.current_url().await.unwrap();
    // The leader reads and plans; the activity is the office's to record.
    assert!(client.find(Locator::Css("#to-activity")).await.is_err(), "no button for the leader");

    // Printed to PDF as the browser prints it: the brief in Chinese, without the buttons.
    screenshot(client, "travel-plan").await;
    let pdf = browser.print_pdf().await;
    if let Ok(dir) = std::env::var("ZHAOSHANG_SCREENSHOTS") {
        std::fs::write(std::path::Path::new(&dir).join("travel-plan.pdf"), &pdf).unwrap();
    }
    let printed = pdf_text(&pdf);
    for expected in
        ["王德胜赴上海市出行招商计划", "行程安排", "上海市甘肃商会", "目的地目标企业", "以往赴当地的活动及成果"]
    {
        assert!(printed.contains(expected), "{expected} in the PDF: {printed}");
    }
    assert!(!printed.contains("下载日历") && !printed.contains("返回列表"), "no buttons printed: {printed}");
    assert_console_clean(&browser, "the travel plan").await;

    // After the trip: the office turns it into an activity and writes the outcome.
    client.find(Locator::Css("#logout")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#login-form")).await.unwrap();
    sign_in(client, &server.base, "admin").await;
    client.goto(plan_url.as_str()).await.unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#to-activity"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let outcome =
        client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#field-outcome")).await.unwrap();
    assert!(client.current_url().await.unwrap().path().ends_with("/edit"));
    assert_eq!(
        client.find(Locator::Css("#field-kind option[selected]")).await.unwrap().text().await.unwrap(),
        "外出招商"
    );
    outcome.send_keys("\n与两家目标企业达成投资意向，登记线索 2 条。").await.unwrap();
    client.find(Locator::Css("#save-activity")).await.unwrap().click().await.unwrap();
    assert!(text_of(client, "#outcome").await.contains("达成投资意向"));
    assert!(text_of(client, "#participants").await.contains("王德胜（领导）"));
    assert!(text_of(client, "#participants").await.contains("上海市甘肃商会"));
    client.goto(plan_url.as_str()).await.unwrap();
    assert!(text_of(client, "#travel-activity").await.contains("查看招商活动"));
    assert_console_clean(&browser, "the activity of the trip").await;

    browser.close().await;
    let _ = server.stop.send(());
}
