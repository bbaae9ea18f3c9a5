//! Optional outbound notifications to a group robot (企业微信 or 钉钉), off by default:
//! messages are queued and sent by a background task with retries and back-off, so a
//! slow or failing receiver never holds up a request; failures go to the log. The
//! `App` holds the one `Notifier`: areas queue a message when a write gives somebody a
//! to-do (a plan's next step, `plans.rs`), and a daily digest of every user's inbox runs
//! inside `serve`. User text goes into the markdown through `core::text::markdown_plain`.

use crate::inbox::{inbox, InboxCounts};
use crate::{AppError, AppResult};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::time::Duration;
use tokio::sync::mpsc;
use zhaoshang_store::Store;

/// The robot a webhook URL belongs to: its message format and signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RobotKind {
    /// 企业微信群机器人: the key is in the URL, no signature.
    WeCom,
    /// 钉钉自定义机器人: with a secret, `timestamp` and `sign` are added to the URL.
    DingTalk,
}

impl RobotKind {
    pub fn parse(text: &str) -> AppResult<RobotKind> {
        match text.trim().to_lowercase().as_str() {
            "wecom" | "企业微信" => Ok(RobotKind::WeCom),
            "dingtalk" | "钉钉" => Ok(RobotKind::DingTalk),
            other => {
                Err(AppError::Invalid(format!("机器人类型“{other}”无效：应为 wecom（企业微信）或 dingtalk（钉钉）")))
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct WebhookConfig {
    pub kind: RobotKind,
    pub url: String,
    /// DingTalk's signing secret (加签), when the robot has one.
    pub secret: Option<String>,
    /// Waits before each retry; the message is dropped (and logged) after the last.
    pub retry_delays: Vec<Duration>,
}

impl WebhookConfig {
    pub fn new(kind: RobotKind, url: &str, secret: Option<&str>) -> AppResult<WebhookConfig> {
        let url = url.trim();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(AppError::Invalid("机器人地址应以 https:// 开头".into()));
        }
        Ok(WebhookConfig {
            kind,
            url: url.to_string(),
            secret: secret.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string),
            retry_delays: [1, 5, 30, 120].into_iter().map(Duration::from_secs).collect(),
        })
    }
}

/// A notification: a title and lines of text (markdown for both robots).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub title: String,
    pub lines: Vec<String>,
}

/// The JSON body the robot expects.
pub fn robot_body(kind: RobotKind, message: &Message) -> Value {
    let text = format!("### {}\n{}", message.title, message.lines.join("\n"));
    match kind {
        RobotKind::WeCom => json!({ "msgtype": "markdown", "markdown": { "content": text } }),
        RobotKind::DingTalk => json!({ "msgtype": "markdown", "markdown": { "title": message.title, "text": text } }),
    }
}

/// DingTalk's signature: Base64(HMAC-SHA256(secret, "{timestamp}\n{secret}")), URL-encoded.
pub fn dingtalk_sign(secret: &str, timestamp_ms: i64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(format!("{timestamp_ms}\n{secret}").as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    signature
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The URL a message is posted to at `timestamp_ms`.
pub fn signed_url(config: &WebhookConfig, timestamp_ms: i64) -> String {
    match (config.kind, &config.secret) {
        (RobotKind::DingTalk, Some(secret)) => {
            let separator = if config.url.contains('?') { '&' } else { '?' };
            format!("{}{separator}timestamp={timestamp_ms}&sign={}", config.url, dingtalk_sign(secret, timestamp_ms))
        }
        _ => config.url.clone(),
    }
}

/// Messages waiting beyond this are dropped (and logged) rather than held without bound.
const QUEUE: usize = 256;

/// Hands messages to the background sender; does nothing when no webhook is configured.
#[derive(Clone, Default)]
pub struct Notifier {
    queue: Option<mpsc::Sender<Message>>,
}

impl Notifier {
    /// Starts the background sender for `config` (on the current Tokio runtime).
    pub fn start(config: Option<WebhookConfig>) -> Notifier {
        let Some(config) = config else { return Notifier::default() };
        let (queue, mut waiting) = mpsc::channel::<Message>(QUEUE);
        tokio::spawn(async move {
            while let Some(message) = waiting.recv().await {
                deliver(&config, &message).await;
            }
        });
        Notifier { queue: Some(queue) }
    }

    pub fn is_enabled(&self) -> bool {
        self.queue.is_some()
    }

    /// Queues a message without waiting; true when it was queued.
    pub fn notify(&self, message: Message) -> bool {
        let Some(queue) = &self.queue else { return false };
        match queue.try_send(message) {
            Ok(()) => true,
            Err(error) => {
                tracing::warn!("robot message not queued ({error}): the sender is behind or stopped");
                false
            }
        }
    }
}

/// Posts one message, retrying after each delay; the outcome goes to the log.
async fn deliver(config: &WebhookConfig, message: &Message) {
    let body = robot_body(config.kind, message);
    for (attempt, delay) in std::iter::once(None).chain(config.retry_delays.iter().map(Some)).enumerate() {
        if let Some(delay) = delay {
            tokio::time::sleep(*delay).await;
        }
        let url = signed_url(config, crate::calendar::now().timestamp_millis());
        let body = body.clone();
        let outcome = tokio::task::spawn_blocking(move || post(&url, &body)).await;
        match outcome {
            Ok(Ok(())) => return,
            Ok(Err(reason)) => {
                tracing::warn!("robot message “{}” attempt {} failed: {reason}", message.title, attempt + 1)
            }
            Err(error) => tracing::warn!("robot message “{}” attempt {} failed: {error}", message.title, attempt + 1),
        }
    }
    tracing::error!("robot message “{}” dropped after {} attempts", message.title, config.retry_delays.len() + 1);
}

/// One POST; both robots answer 200 with `{"errcode": 0}` when they took the message.
fn post(url: &str, body: &Value) -> Result<(), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(10))).build().into();
    let mut response = agent.post(url).send_json(body).map_err(|e| e.to_string())?;
    let answer: Value = response.body_mut().read_json().map_err(|e| e.to_string())?;
    match answer.get("errcode").and_then(Value::as_i64) {
        Some(0) | None => Ok(()),
        Some(code) => Err(format!("errcode {code}: {}", answer.get("errmsg").and_then(Value::as_str).unwrap_or(""))),
    }
}

/// The daily digest: one line per user with something red or yellow in the inbox.
pub async fn digest(store: &Store, calendar: &zhaoshang_core::calendar::Calendar) -> AppResult<Option<Message>> {
    let today = crate::calendar::today();
    let mut lines = Vec::new();
    for user in store.users().await?.into_iter().filter(|u| !u.disabled) {
        let principal = crate::accounts::principal_of(&user);
        let counts = InboxCounts::of(&inbox(store, calendar, &principal, today).await?);
        if counts.red + counts.yellow > 0 {
            lines.push(format!(
                "- {}：逾期 {} 项，今日到期 {} 项，即将到期 {} 项",
                zhaoshang_core::text::markdown_plain(&user.display_name),
                counts.red,
                counts.yellow,
                counts.blue
            ));
        }
    }
    if lines.is_empty() {
        return Ok(None);
    }
    Ok(Some(Message { title: format!("招商云平台待办提醒（{today}）"), lines }))
}

/// Runs inside `serve`: every day at `at` (China time) that is a working day, sends the
/// digest of every inbox through the app's notifier, if anything is red or yellow, and
/// the appeals that rose a 督办 level that day, if any did.
pub async fn run_daily_digest(app: crate::App, at: chrono::NaiveTime) {
    let store = app.store();
    loop {
        let now = crate::calendar::now();
        let next = zhaoshang_core::calendar::next_daily_at(now, at);
        tokio::time::sleep((next - now).to_std().unwrap_or(Duration::from_secs(60))).await;
        let sent = async {
            let calendar = app.calendar_cache().get(store).await?;
            if !calendar.is_working_day(crate::calendar::today()) {
                return Ok(());
            }
            if let Some(message) = digest(store, &calendar).await? {
                app.notifier().notify(message);
            }
            if let Some(message) = app.escalation_notice(&calendar, crate::calendar::today()).await? {
                app.notifier().notify(message);
            }
            Ok::<(), AppError>(())
        };
        if let Err(error) = sent.await {
            tracing::error!("daily digest not sent: {error}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dingtalk_signatures_match_the_documented_computation() {
        // HMAC-SHA256("secret", "1700000000000\nsecret") in Base64, URL-encoded.
        let sign = dingtalk_sign("secret", 1_700_000_000_000);
        let mut mac = Hmac::<Sha256>::new_from_slice(b"secret").unwrap();
        mac.update(b"1700000000000\nsecret");
        let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        assert_eq!(sign, expected.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D"));
        let config =
            WebhookConfig::new(RobotKind::DingTalk, "https://oapi.example/robot/send?access_token=t", Some("secret"))
                .unwrap();
        assert_eq!(
            signed_url(&config, 1_700_000_000_000),
            format!("https://oapi.example/robot/send?access_token=t&timestamp=1700000000000&sign={sign}")
        );
        let wecom = WebhookConfig::new(RobotKind::WeCom, "https://qyapi.example/send?key=k", Some("ignored")).unwrap();
        assert_eq!(signed_url(&wecom, 1), "https://qyapi.example/send?key=k");
    }

    #[test]
    fn bodies_take_each_robots_markdown_format() {
        let message = Message { title: "待办提醒".into(), lines: vec!["- 张三：逾期 1 项".into()] };
        let wecom = robot_body(RobotKind::WeCom, &message);
        assert_eq!(wecom["msgtype"], "markdown");
        assert_eq!(wecom["markdown"]["content"], "### 待办提醒\n- 张三：逾期 1 项");
        let dingtalk = robot_body(RobotKind::DingTalk, &message);
        assert_eq!(
            (dingtalk["markdown"]["title"].as_str(), dingtalk["markdown"]["text"].as_str()),
            (Some("待办提醒"), Some("### 待办提醒\n- 张三：逾期 1 项"))
        );
        assert!(RobotKind::parse("钉钉").is_ok() && RobotKind::parse("slack").is_err());
        assert!(WebhookConfig::new(RobotKind::WeCom, "ftp://x", None).is_err());
    }
}
