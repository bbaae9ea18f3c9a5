//! In a real headless Chromium: sign in as the demo administrator, open every page of
//! the shell, create a user through the form, sign out.

use fantoccini::{Client, Locator};
use std::time::Duration;
use zhaoshang_testkit::browser::Browser;
use zhaoshang_web::{serve, AppState, Config};

struct Server {
    base: String,
    stop: tokio::sync::oneshot::Sender<()>,
    _dir: tempfile::TempDir,
}

async fn demo_server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let store = zhaoshang_app::open(&url, true).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let state = AppState::new(store, Config { demo: true, secure_cookies: false });
    tokio::spawn(serve(listener, state, async move {
        let _ = stopped.await;
    }));
    Server { base, stop, _dir: dir }
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

    browser.close().await;
    let _ = server.stop.send(());
}
