//! The stats API under load: the `zhaoshang` server started on the benchmark's
//! database (a separate process, so its memory is its own), signed in as a province
//! user, and `wrk` on loopback — the stats API and, as the reference, `GET
//! /api/v1/me` (a session look-up: the HTTP and database round trip with no figures).
//! The server's resident memory is read from /proc when idle and, sampled, under load.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use zhaoshang_store::users::NewUser;
use zhaoshang_store::{Actor, Store};

/// Targets of issue 5 for the API and memory.
pub const RPS_TARGET: f64 = 5_000.0;
pub const P99_TARGET_MS: f64 = 50.0;
pub const RSS_TARGET_MIB: f64 = 300.0;

/// One `wrk` run.
#[derive(Debug, Clone)]
pub struct Load {
    pub label: String,
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub non_2xx: u64,
}

#[derive(Debug, Clone)]
pub struct HttpOutcome {
    pub connections: u32,
    pub seconds: u64,
    pub stats: Load,
    pub reference: Load,
    pub rss_idle_mib: f64,
    pub rss_under_load_mib: f64,
    /// Of the peak, the part that is pages of the database file mapped by SQLite
    /// (`RssFile`: the kernel's page cache, shared, dropped under memory pressure)
    /// rather than the process's own memory (`RssAnon`).
    pub rss_file_under_load_mib: f64,
    /// Time from starting the server to its first answer (migrations, search index).
    pub startup: Duration,
    /// The main pages of each role (none unless asked for).
    pub pages: Vec<crate::pages::PageLoad>,
}

/// Requests of each page one after the other, for its single-user p50 and p95.
const PAGE_SINGLE_RUNS: usize = 20;

const USER: &str = "bench-province";
const PASSWORD: &str = "Bench-Province-2024";

/// The `zhaoshang` program: `ZHAOSHANG_BIN`, else beside this program (same target dir).
pub fn server_program() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ZHAOSHANG_BIN") {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?;
    [dir.join("zhaoshang"), dir.join("../zhaoshang")].into_iter().find(|p| p.is_file())
}

/// `wrk` on the PATH, installed from Debian when missing (as root, quietly).
pub fn ensure_wrk() -> bool {
    let present = || Command::new("wrk").arg("--version").output().is_ok();
    if present() {
        return true;
    }
    let _ = Command::new("apt-get")
        .args(["install", "-y", "-q", "wrk"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    present()
}

/// Kills the server when dropped (it is our child; by its id only).
pub struct Server(Child);

impl Server {
    pub fn pid(&self) -> u32 {
        self.0.id()
    }
}

/// Starts `zhaoshang serve` on `database_url` (with `serve_args` after `serve`) on a
/// free loopback port, its log in `work_dir/server.log`; returns once it answers, with
/// the port and the time it took.
pub async fn start_server(
    program: &Path,
    database_url: &str,
    work_dir: &Path,
    serve_args: &[&str],
) -> anyhow::Result<(Server, u16, Duration)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let started = Instant::now();
    let child = Command::new(program)
        .args(["--database-url", database_url, "serve", "--addr", &format!("127.0.0.1:{port}")])
        .args(serve_args)
        .env("ZHAOSHANG_SEARCH_DIR", work_dir.join("search"))
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(work_dir.join("server.log"))?)
        .spawn()?;
    let server = Server(child);
    loop {
        if let Ok((status, _)) = request(port, "GET /api/v1/me HTTP/1.1", "") {
            if status > 0 {
                break;
            }
        }
        anyhow::ensure!(started.elapsed() < Duration::from_secs(900), "the server did not answer within 15 minutes");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok((server, port, started.elapsed()))
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A `/proc/PID/status` field in MiB (`VmRSS`, `RssAnon`, `RssFile` …).
fn status_mib(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
        .map(|kib| kib / 1024.0)
        .unwrap_or(0.0)
}

pub fn rss_mib(pid: u32) -> f64 {
    status_mib(pid, "VmRSS")
}

/// Resident anonymous memory (heap, stacks), without the file pages the process maps.
pub fn anonymous_mib(pid: u32) -> f64 {
    status_mib(pid, "RssAnon")
}

/// One HTTP/1.1 request on a fresh connection; the status and the raw response.
pub(crate) fn request(port: u16, head: &str, body: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "{head}\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok((status, response))
}

/// Signs `username` in through the API; the session's cookie header value.
pub(crate) fn sign_in(port: u16, username: &str, password: &str) -> anyhow::Result<String> {
    // The benchmark's own account names and passwords: nothing to escape.
    let body = format!(r#"{{"username":"{username}","password":"{password}"}}"#);
    let (status, response) = request(port, "POST /api/v1/session HTTP/1.1\r\nContent-Type: application/json", &body)?;
    anyhow::ensure!(status == 200 || status == 201, "sign-in of {username} answered {status}: {response}");
    let cookie = response
        .lines()
        .filter_map(|line| line.strip_prefix("set-cookie: ").or_else(|| line.strip_prefix("Set-Cookie: ")))
        .map(|value| value.split(';').next().unwrap_or_default().to_string())
        .collect::<Vec<_>>()
        .join("; ");
    anyhow::ensure!(!cookie.is_empty(), "sign-in of {username} set no cookie: {response}");
    Ok(cookie)
}

/// Runs the server on `database_url`, signs in, and loads the stats API (and, given
/// `page_seconds`, every page of `pages`), as `config` says.
pub async fn run(
    store: &Store,
    program: &Path,
    database_url: &str,
    config: &crate::Config,
    stats_query: &str,
) -> anyhow::Result<HttpOutcome> {
    let (connections, seconds, page_seconds) = (config.http_connections, config.http_seconds, config.page_seconds);
    let hash = zhaoshang_app::accounts::hash_password(PASSWORD).await?;
    let user = NewUser {
        username: USER.into(),
        display_name: "基准测试（省级）".into(),
        role: "region".into(),
        region_code: Some("620000".into()),
        password_hash: hash,
        chamber_id: None,
    };
    store.create_user(&user, &Actor::system("基准测试")).await?;
    if page_seconds > 0 {
        crate::pages::create_visitors(store).await?;
    }

    let (server, port, startup) = start_server(program, database_url, &config.work_dir, &[]).await?;
    let pid = server.0.id();
    let cookie = sign_in(port, USER, PASSWORD)?;
    let (status, response) = request(port, &format!("GET {stats_query} HTTP/1.1\r\nCookie: {cookie}"), "")?;
    anyhow::ensure!(status == 200, "the stats API answered {status}: {response}");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_idle_mib = rss_mib(pid);

    // Resident memory sampled while the load runs.
    let peak = Arc::new(AtomicU64::new(0));
    let peak_file = Arc::new(AtomicU64::new(0));
    let running = Arc::new(AtomicBool::new(true));
    let sampler = {
        let (peak, peak_file, running) = (Arc::clone(&peak), Arc::clone(&peak_file), Arc::clone(&running));
        std::thread::spawn(move || {
            while running.load(Ordering::Relaxed) {
                peak.fetch_max((rss_mib(pid) * 1024.0) as u64, Ordering::Relaxed);
                peak_file.fetch_max((status_mib(pid, "RssFile") * 1024.0) as u64, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(200));
            }
        })
    };
    let url = |path: &str| format!("http://127.0.0.1:{port}{path}");
    let stats = wrk("stats API", &url(stats_query), &cookie, connections, seconds);
    let reference = wrk("GET /api/v1/me", &url("/api/v1/me"), &cookie, connections, seconds);
    let pages = match page_seconds {
        0 => Ok(Vec::new()),
        _ => crate::pages::measure(port, PAGE_SINGLE_RUNS, connections, page_seconds),
    };
    running.store(false, Ordering::Relaxed);
    let _ = sampler.join();
    drop(server);
    Ok(HttpOutcome {
        connections,
        seconds,
        stats: stats?,
        reference: reference?,
        pages: pages?,
        rss_idle_mib,
        rss_under_load_mib: peak.load(Ordering::Relaxed) as f64 / 1024.0,
        rss_file_under_load_mib: peak_file.load(Ordering::Relaxed) as f64 / 1024.0,
        startup,
    })
}

pub(crate) fn wrk(label: &str, url: &str, cookie: &str, connections: u32, seconds: u64) -> anyhow::Result<Load> {
    let output = Command::new("wrk")
        .args([
            "-t",
            "2",
            "-c",
            &connections.to_string(),
            "-d",
            &format!("{seconds}s"),
            "--timeout",
            "30s",
            "--latency",
        ])
        .args(["-H", &format!("Cookie: {cookie}"), url])
        .output()?;
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    anyhow::ensure!(output.status.success(), "wrk failed: {text} {}", String::from_utf8_lossy(&output.stderr));
    parse_wrk(label, &text).ok_or_else(|| anyhow::anyhow!("unreadable wrk output: {text}"))
}

/// `Requests/sec:`, the 50% and 99% lines of `--latency`, and any `Non-2xx` count.
fn parse_wrk(label: &str, text: &str) -> Option<Load> {
    let latency = |prefix: &str| {
        text.lines().find_map(|line| line.trim().strip_prefix(prefix)).and_then(|rest| duration_ms(rest.trim()))
    };
    let requests_per_second = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("Requests/sec:"))
        .and_then(|rest| rest.trim().parse().ok())?;
    let non_2xx = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("Non-2xx or 3xx responses:"))
        .and_then(|rest| rest.trim().parse().ok())
        .unwrap_or(0);
    Some(Load {
        label: label.to_string(),
        requests_per_second,
        p50_ms: latency("50%")?,
        p99_ms: latency("99%")?,
        non_2xx,
    })
}

/// "850.00us", "12.34ms", "1.02s" in milliseconds.
fn duration_ms(text: &str) -> Option<f64> {
    let (number, factor) = if let Some(n) = text.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else {
        return None;
    };
    Some(number.trim().parse::<f64>().ok()? * factor)
}

/// The HTTP table in Markdown.
pub fn table(outcome: &HttpOutcome) -> String {
    let mut out = format!(
        "| HTTP, wrk {} connections × {} s | requests/s | p50 ms | p99 ms | non-2xx | target | met |\n| --- | --- | --- | --- | --- | --- | --- |\n",
        outcome.connections, outcome.seconds
    );
    for (load, target) in [(&outcome.stats, true), (&outcome.reference, false)] {
        let met = load.requests_per_second >= RPS_TARGET && load.p99_ms <= P99_TARGET_MS && load.non_2xx == 0;
        out.push_str(&format!(
            "| {} | {:.0} | {:.2} | {:.2} | {} | {} | {} |\n",
            load.label,
            load.requests_per_second,
            load.p50_ms,
            load.p99_ms,
            load.non_2xx,
            if target { format!("≥ {RPS_TARGET:.0}/s, p99 ≤ {P99_TARGET_MS:.0} ms") } else { "reference".into() },
            if !target {
                ""
            } else if met {
                "✓"
            } else {
                "✗"
            }
        ));
    }
    let rss_met = |mib: f64| if mib <= RSS_TARGET_MIB { "✓" } else { "✗" };
    out.push_str(&format!(
        "| server RSS idle / under load (MiB; of it mapped database file) | {:.0} / {:.0} ({:.0}) | | | | ≤ {RSS_TARGET_MIB:.0} MiB | {} |\n",
        outcome.rss_idle_mib,
        outcome.rss_under_load_mib,
        outcome.rss_file_under_load_mib,
        rss_met(outcome.rss_under_load_mib)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_output_parses() {
        let text = "Running 30s test @ http://127.0.0.1:1/x\n  2 threads and 64 connections\n  Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency     5.10ms    1.20ms  40.00ms   90.00%\n  Latency Distribution\n     50%    4.80ms\n     75%    5.50ms\n     90%    6.70ms\n     99%   10.20ms\n  360000 requests in 30.00s, 100.00MB read\n  Non-2xx or 3xx responses: 3\nRequests/sec:  12000.50\nTransfer/sec:      3.33MB\n";
        let load = parse_wrk("x", text).unwrap();
        assert_eq!((load.requests_per_second, load.p50_ms, load.p99_ms, load.non_2xx), (12000.5, 4.8, 10.2, 3));
        assert_eq!(duration_ms("850.00us"), Some(0.85));
        assert_eq!(duration_ms("1.50s"), Some(1500.0));
    }
}
