//! Headless Debian Chromium driven through `chromedriver` (WebDriver), started with
//! the flags this closed network needs and a fresh profile per browser.

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn find(program: &str, candidates: &[&str]) -> String {
    candidates.iter().find(|path| std::path::Path::new(path).exists()).map(|path| path.to_string()).unwrap_or_else(
        || panic!("{program} not found: install Debian's chromium and chromium-driver (scripts/test.sh does)"),
    )
}

impl Browser {
    pub async fn start() -> Browser {
        let chromium = find("chromium", &["/usr/bin/chromium", "/usr/bin/chromium-browser"]);
        let driver_path = find("chromedriver", &["/usr/bin/chromedriver"]);
        let port = crate::free_port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start chromedriver");
        let profile = tempfile::Builder::new().prefix("zhaoshang-chromium-").tempdir().expect("temp dir");
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-quic", "--window-size=1440,1000", "--lang=zh-CN",
                    format!("--user-data-dir={}", profile.path().display()),
                ]
            }),
        );
        // Keep the page's console (script errors, Content-Security-Policy violations) for `console`.
        capabilities.insert("goog:loggingPrefs".into(), serde_json::json!({ "browser": "ALL" }));
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            match ClientBuilder::new(HttpConnector::new()).capabilities(capabilities.clone()).connect(&url).await {
                Ok(client) => break client,
                Err(error) if Instant::now() > deadline => panic!("cannot start headless Chromium: {error}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Browser { client, driver, _profile: profile }
    }

    /// The messages the pages wrote to the console since the last call, as
    /// "LEVEL message" (errors are "SEVERE"): uncaught script errors and what the
    /// Content-Security-Policy refused land here even before a page's own scripts run.
    pub async fn console(&self) -> Vec<String> {
        let entries = self.client.issue_cmd(ConsoleLog).await.expect("the browser's console log");
        entries
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|entry| {
                        format!("{} {}", entry["level"].as_str().unwrap_or(""), entry["message"].as_str().unwrap_or(""))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Sends one Chrome DevTools Protocol command through chromedriver and returns its
    /// result, e.g. `Emulation.setDeviceMetricsOverride` for a phone's screen or
    /// `Emulation.setEmulatedMedia` for print.
    pub async fn cdp(&self, cmd: &str, params: serde_json::Value) -> serde_json::Value {
        let command = Cdp(serde_json::json!({ "cmd": cmd, "params": params }).to_string());
        self.client.issue_cmd(command).await.unwrap_or_else(|error| panic!("{cmd}: {error}"))
    }

    /// The current page printed to PDF by Chromium (`Page.printToPDF`), as the browser's
    /// own print would lay it out: the page size and margins of its print style (A4
    /// when it names none), backgrounds left out.
    pub async fn print_pdf(&self) -> Vec<u8> {
        use base64::Engine;
        let printed = self
            .cdp(
                "Page.printToPDF",
                serde_json::json!({ "preferCSSPageSize": true, "paperWidth": 8.27, "paperHeight": 11.69 }),
            )
            .await;
        let data = printed["data"].as_str().expect("the PDF's data");
        base64::engine::general_purpose::STANDARD.decode(data).expect("base64 PDF data")
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Chromedriver's log endpoint for the browser console (not in the W3C protocol).
#[derive(Debug)]
struct ConsoleLog;

impl fantoccini::wd::WebDriverCompatibleCommand for ConsoleLog {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}

/// Chromedriver's endpoint for Chrome DevTools Protocol commands (not in the W3C protocol).
#[derive(Debug)]
struct Cdp(String);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.clone()))
    }
}
