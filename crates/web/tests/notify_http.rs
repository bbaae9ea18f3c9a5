//! Robot notifications on events: a plan's next step saved through the page reaches the
//! configured group robot as a markdown message, while the request that saved it has
//! long been answered — the receiver here holds each webhook request until the test
//! lets it go. Without a webhook (the default) nothing is queued.

mod common;

use axum::http::StatusCode;
use chrono::{Days, NaiveDate};
use common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::time::Duration;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};
use zhaoshang_app::notify::{dingtalk_sign, RobotKind, WebhookConfig};
use zhaoshang_testkit::Backend;
use zhaoshang_web::Config;

/// A robot on a loopback port that reports each request it holds and answers it only
/// when released.
struct HoldingRobot {
    url: String,
    /// (request target, JSON body) of each webhook request, as soon as it is held.
    heard: UnboundedReceiver<(String, Value)>,
    release: std::sync::mpsc::Sender<()>,
}

impl HoldingRobot {
    fn start() -> HoldingRobot {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/robot/send?access_token=test", listener.local_addr().unwrap());
        let (heard_sender, heard) = unbounded_channel();
        let (release, released) = std::sync::mpsc::channel::<()>();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let Some(request) = read_request(&mut stream) else { continue };
                // Held here until the test releases it (or ends, dropping the sender).
                if heard_sender.send(request).is_err() || released.recv().is_err() {
                    return;
                }
                let answer = r#"{"errcode":0,"errmsg":"ok"}"#;
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close";
                let _ = write!(stream, "{head}\r\nContent-Length: {}\r\n\r\n{answer}", answer.len());
            }
        });
        HoldingRobot { url, heard, release }
    }

    /// The next request the robot holds (a minute at most, so a broken sender fails the
    /// test rather than hanging it).
    async fn next_held(&mut self) -> (String, Value) {
        tokio::time::timeout(Duration::from_secs(60), self.heard.recv())
            .await
            .expect("the robot hears the message")
            .expect("the robot is running")
    }
}

/// The request target and JSON body of one HTTP request.
fn read_request(stream: &mut std::net::TcpStream) -> Option<(String, Value)> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let target = line.split_whitespace().nth(1)?.to_string();
    let mut length = 0;
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        if line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((target, serde_json::from_slice(&body).ok()?))
}

fn query_param(target: &str, name: &str) -> String {
    let query = target.split_once('?').map_or("", |(_, query)| query);
    query.split('&').find_map(|pair| pair.strip_prefix(&format!("{name}="))).unwrap_or_default().to_string()
}

/// The plan form as the plan page submits it: a new next step due on `due`, owned by
/// the user who saves it.
fn next_step_form(csrf: &str, step: &str, due: NaiveDate) -> String {
    let step = zhaoshang_web::auth::urlencode(step);
    let approach = zhaoshang_web::auth::urlencode("以商招商");
    format!("csrf={csrf}&owner_id=&approach={approach}&next_step={step}&due_on={due}&status=active")
}

on_both_backends!(
    a_saved_next_step_reaches_the_robot_while_the_request_is_long_answered,
    nothing_is_sent_without_a_webhook
);

async fn a_saved_next_step_reaches_the_robot_while_the_request_is_long_answered(backend: Backend) {
    let mut robot = HoldingRobot::start();
    let webhook = WebhookConfig::new(RobotKind::DingTalk, &robot.url, Some("SEC-test")).unwrap();
    let config = Config { webhook: Some(webhook), ..Config::default() };
    let app = TestApp::configured(backend, &[("baiyin", "region", Some("620400"))], config).await;
    let today = zhaoshang_app::calendar::today();
    let first = app.plan_due("baiyin", 1, "初次接洽", today).await;
    let second = app.plan_due("baiyin", 2, "初次接洽", today).await;
    let cookie = app.sign_in("baiyin").await;
    let csrf = app.csrf(&cookie).await;
    let due = today.checked_add_days(Days::new(10)).unwrap();

    // Quotes, a backslash and markdown in the step: the JSON holds, the markdown is shown.
    let step = r#"赴"总部"拜访\*董事长*"#;
    let saved = app.post_form(&format!("/plans/{first}"), &cookie, &next_step_form(&csrf, step, due)).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let (target, body) = robot.next_held().await;

    // The robot holds that request: another save is answered all the same.
    let again = app.post_form(&format!("/plans/{second}"), &cookie, &next_step_form(&csrf, "签约", due)).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER, "answered while the robot holds the first message");
    robot.release.send(()).unwrap();

    assert_eq!(body["msgtype"], "markdown");
    assert_eq!(body["markdown"]["title"], "一企一案待办");
    assert_eq!(
        body["markdown"]["text"],
        format!("### 一企一案待办\n【一企一案待办】跟进企业1：赴\"总部\"拜访\\＊董事长＊，{due} 前完成（责任人 baiyin 测试）")
    );
    let timestamp: i64 = query_param(&target, "timestamp").parse().unwrap();
    assert_eq!(query_param(&target, "sign"), dingtalk_sign("SEC-test", timestamp), "signed as DingTalk requires");

    let (_, body) = robot.next_held().await;
    robot.release.send(()).unwrap();
    let text = body["markdown"]["text"].as_str().unwrap();
    assert!(text.contains(&format!("跟进企业2：签约，{due} 前完成")), "{text}");
}

async fn nothing_is_sent_without_a_webhook(backend: Backend) {
    let mut robot = HoldingRobot::start();
    let app = TestApp::with_users(backend, &[("baiyin", "region", Some("620400"))]).await;
    assert!(!app.state.app.notifier().is_enabled(), "off by default");
    let today = zhaoshang_app::calendar::today();
    let plan = app.plan_due("baiyin", 1, "初次接洽", today).await;
    let cookie = app.sign_in("baiyin").await;
    let csrf = app.csrf(&cookie).await;
    let due = today.checked_add_days(Days::new(10)).unwrap();
    let saved = app.post_form(&format!("/plans/{plan}"), &cookie, &next_step_form(&csrf, "签约", due)).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.store().plan(plan).await.unwrap().unwrap().data.due_on, Some(due), "the step is saved");
    // Nothing knows the robot's address; the wait only gives a stray sender its chance.
    let heard = tokio::time::timeout(Duration::from_millis(300), robot.heard.recv()).await;
    assert!(heard.is_err(), "nothing reaches a robot: {heard:?}");
}
