//! The inbox and its robot notifications against a local receiver started by the test:
//! each robot's message format and DingTalk's signature, retries with back-off after
//! failures, a hanging receiver that does not hold up the caller, and the daily digest.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use zhaoshang_app::inbox::{inbox, mark_done, InboxCounts};
use zhaoshang_app::notify::{digest, dingtalk_sign, Message, Notifier, RobotKind, WebhookConfig};
use zhaoshang_core::calendar::{parse_notice_days, Calendar};
use zhaoshang_store::plans::PlanData;
use zhaoshang_store::{Actor, Store};
use zhaoshang_testkit::on_both_backends;

#[derive(Clone, Default)]
struct Receiver {
    /// (query string, body) of every request received.
    received: Arc<Mutex<Vec<(String, Value)>>>,
    /// Status codes to answer, in order; 200 with errcode 0 once they run out.
    script: Arc<Mutex<Vec<u16>>>,
    /// How long each answer waits.
    delay: Duration,
}

async fn robot(
    State(receiver): State<Receiver>,
    RawQuery(query): RawQuery,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    receiver.received.lock().unwrap().push((query.unwrap_or_default(), body));
    tokio::time::sleep(receiver.delay).await;
    let scripted = {
        let mut script = receiver.script.lock().unwrap();
        (!script.is_empty()).then(|| script.remove(0))
    };
    match scripted {
        Some(code) => (StatusCode::from_u16(code).unwrap(), Json(json!({ "errcode": -1, "errmsg": "busy" }))),
        None => (StatusCode::OK, Json(json!({ "errcode": 0, "errmsg": "ok" }))),
    }
}

/// Starts the receiver on a loopback port; returns its robot URL.
async fn start(receiver: Receiver) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/robot/send?access_token=test", listener.local_addr().unwrap());
    let app = axum::Router::new().route("/robot/send", axum::routing::post(robot)).with_state(receiver);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

async fn wait_for(receiver: &Receiver, count: usize) -> Vec<(String, Value)> {
    let started = Instant::now();
    while receiver.received.lock().unwrap().len() < count && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    receiver.received.lock().unwrap().clone()
}

fn quick_retries(mut config: WebhookConfig) -> WebhookConfig {
    config.retry_delays = vec![Duration::from_millis(50); 3];
    config
}

fn message() -> Message {
    Message { title: "招商云平台待办提醒".into(), lines: vec!["- 白银市：逾期 1 项".into()] }
}

#[tokio::test]
async fn dingtalk_messages_are_signed_and_wecom_messages_take_their_format() {
    let receiver = Receiver::default();
    let url = start(receiver.clone()).await;
    let notifier =
        Notifier::start(Some(quick_retries(WebhookConfig::new(RobotKind::DingTalk, &url, Some("SEC123")).unwrap())));
    assert!(notifier.notify(message()));
    let received = wait_for(&receiver, 1).await;
    let (query, body) = &received[0];
    assert_eq!(body["msgtype"], "markdown");
    assert_eq!(body["markdown"]["title"], "招商云平台待办提醒");
    assert!(body["markdown"]["text"].as_str().unwrap().contains("逾期 1 项"));
    let param = |name: &str| query.split('&').find_map(|p| p.strip_prefix(&format!("{name}="))).unwrap().to_string();
    let timestamp: i64 = param("timestamp").parse().unwrap();
    assert!((chrono::Utc::now().timestamp_millis() - timestamp).abs() < 60_000, "a current timestamp");
    assert_eq!(param("sign"), dingtalk_sign("SEC123", timestamp));
    assert_eq!(param("access_token"), "test");

    let wecom_receiver = Receiver::default();
    let wecom_url = start(wecom_receiver.clone()).await;
    let wecom = Notifier::start(Some(WebhookConfig::new(RobotKind::WeCom, &wecom_url, None).unwrap()));
    wecom.notify(message());
    let (query, body) = wait_for(&wecom_receiver, 1).await.remove(0);
    assert_eq!((query.as_str(), body["msgtype"].as_str()), ("access_token=test", Some("markdown")));
    assert!(body["markdown"]["content"].as_str().unwrap().starts_with("### 招商云平台待办提醒"));
    assert!(!Notifier::start(None).notify(message()), "off by default: nothing is sent");
}

#[tokio::test]
async fn failures_are_retried_with_back_off_and_never_hold_up_the_caller() {
    // Two failures, then the robot takes the message: three posts in all.
    let failing = Receiver { script: Arc::new(Mutex::new(vec![500, 503])), ..Default::default() };
    let url = start(failing.clone()).await;
    let notifier = Notifier::start(Some(quick_retries(WebhookConfig::new(RobotKind::WeCom, &url, None).unwrap())));
    notifier.notify(message());
    assert_eq!(wait_for(&failing, 3).await.len(), 3);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(failing.received.lock().unwrap().len(), 3, "no post after the one that succeeded");

    // A receiver that hangs for seconds: queuing returns at once, every time.
    let hanging = Receiver { delay: Duration::from_secs(3), ..Default::default() };
    let url = start(hanging.clone()).await;
    let notifier = Notifier::start(Some(quick_retries(WebhookConfig::new(RobotKind::WeCom, &url, None).unwrap())));
    let started = Instant::now();
    for _ in 0..20 {
        assert!(notifier.notify(message()));
    }
    assert!(started.elapsed() < Duration::from_millis(100), "queued in {:?}", started.elapsed());
}

on_both_backends!(app: the_inbox_colours_items_marks_them_done_and_feeds_the_digest);

async fn the_inbox_colours_items_marks_them_done_and_feeds_the_digest(store: &Store) {
    let actor = Actor::system("测试");
    let request = zhaoshang_app::accounts::AccountRequest {
        username: "baiyin".into(),
        display_name: "白银市招商局".into(),
        role: "region".into(),
        region: Some("620400".into()),
        chamber: None,
        password: "test-password-1".into(),
    };
    let user = zhaoshang_app::accounts::create_account(store, &request, &actor).await.unwrap();
    let principal = zhaoshang_app::accounts::principal_of(&user);
    let codes: Vec<String> = (3..7)
        .map(|n| zhaoshang_core::credit_code::with_check_char(&format!("91620402MA7RARE0{n}")).unwrap())
        .collect();
    let csv: String = codes
        .iter()
        .enumerate()
        .fold("企业名称,统一社会信用代码,所属地区\n".to_string(), |csv, (i, code)| {
            csv + &format!("白银某某材料有限公司{i},{code},620402\n")
        });
    let kind = zhaoshang_app::exchange::ImportKind::Enterprises;
    let report = zhaoshang_app::exchange::import_bytes(store, kind, "e.csv", csv.as_bytes(), false, &actor).await;
    assert!(report.unwrap().is_ok());
    let today = zhaoshang_app::calendar::today();
    let calendar = Calendar::new(parse_notice_days(include_str!("../../../data/calendar.tsv")).unwrap());
    let after = |working_days: u32| calendar.add_working_days(today, working_days).unwrap().value;
    for (code, (step, due)) in codes.iter().zip([
        ("已逾期的一步", today.pred_opt().unwrap()),
        ("今日到期的一步", today),
        ("两个工作日后的一步", after(2)),
        ("十个工作日后的一步", after(10)),
    ]) {
        let enterprise = store.enterprise_by_code(code).await.unwrap().unwrap();
        let plan = PlanData {
            enterprise_id: enterprise.id,
            node_id: None,
            region_code: "620400".into(),
            owner_id: user.id,
            approach: "以商招商".into(),
            next_step: step.into(),
            due_on: Some(due),
            status: "active".into(),
        };
        store.create_plan(&plan, &actor).await.unwrap();
    }
    let items = inbox(store, &calendar, &principal, today).await.unwrap();
    let seen: Vec<(&str, &str)> = items.iter().map(|i| (i.title.split('：').nth(1).unwrap(), i.urgency_key)).collect();
    assert_eq!(seen, [("已逾期的一步", "red"), ("今日到期的一步", "yellow"), ("两个工作日后的一步", "blue")]);
    assert_eq!(InboxCounts::of(&items), InboxCounts { red: 1, yellow: 1, blue: 1 });

    let message = digest(store, &calendar).await.unwrap().expect("something is red");
    assert_eq!(message.lines, ["- 白银市招商局：逾期 1 项，今日到期 1 项，即将到期 1 项"]);

    // Marking the overdue step done takes it out; another user cannot mark it.
    let other = zhaoshang_core::access::Principal { user_id: user.id + 1000, ..principal.clone() };
    assert!(!mark_done(store, &other, "plans", items[0].id, &actor).await.unwrap());
    assert!(mark_done(store, &principal, "plans", items[0].id, &actor).await.unwrap());
    let after_done = inbox(store, &calendar, &principal, today).await.unwrap();
    assert_eq!(InboxCounts::of(&after_done), InboxCounts { red: 0, yellow: 1, blue: 1 });
    assert!(!mark_done(store, &principal, "nothing", 1, &actor).await.unwrap());
}
