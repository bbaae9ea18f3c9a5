//! Crash safety (security part 2, item 3): the process is killed with SIGKILL in the
//! middle of a large import and of a burst of edits through the web server, then
//! started again — on SQLite and on PostgreSQL. Every acknowledged write is there, an
//! interrupted import left nothing, the kept aggregates equal the plain computation,
//! and search finds what was written.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn zhaoshang(url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_zhaoshang"));
    command.env("ZHAOSHANG_DATABASE_URL", url);
    command
}

const ROWS: usize = 60_000;

/// A projects file and the figures it must give: (signed count, Σ investment in 万元).
fn big_import(path: &std::path::Path) -> (usize, i64) {
    let mut csv = String::from("项目编号,项目名称,所属地区,总投资(万元),项目阶段,签约日期\n");
    let mut total = 0;
    for i in 0..ROWS {
        let amount = (i % 997 + 1) as i64;
        total += amount;
        let region = if i % 2 == 0 { "620503" } else { "620402" };
        csv.push_str(&format!(
            "CR-{i:06},崩溃测试项目{i},{region},{amount},签约,2024-{:02}-{:02}\n",
            i % 12 + 1,
            i % 28 + 1
        ));
    }
    std::fs::write(path, csv).unwrap();
    (ROWS, total)
}

fn province_figures(url: &str) -> serde_json::Value {
    let output = zhaoshang(url)
        .args(["stats", "investment", "--region", "620000", "--from", "2024-01-01", "--to", "2024-12-31", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn kill_while_running(mut child: Child, after: Duration) -> bool {
    std::thread::sleep(after);
    let was_running = child.try_wait().unwrap().is_none();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    was_running
}

fn an_import_killed_midway_leaves_nothing_and_a_full_one_adds_up(url: &str, dir: &std::path::Path) {
    assert!(zhaoshang(url).arg("migrate").status().unwrap().success());
    let file = dir.join("big.csv");
    let (rows, total) = big_import(&file);
    // Kill the import at growing delays until one kill lands while it is writing.
    let mut killed_midway = 0;
    for delay_ms in [400, 800, 1500, 3000] {
        let child = zhaoshang(url).args(["import", "projects"]).arg(&file).stdout(Stdio::null()).spawn().unwrap();
        if kill_while_running(child, Duration::from_millis(delay_ms)) {
            killed_midway += 1;
            let figures = province_figures(url);
            assert_eq!(figures["signed_count"], 0, "an import killed after {delay_ms} ms left rows behind");
            assert_eq!(figures["signed_investment_wan"], "0.00");
        }
    }
    assert!(killed_midway > 0, "no kill landed while the import was running");
    eprintln!("{url}: {killed_midway} of 4 kills landed during the import of {rows} rows; nothing was left by any");
    let done = zhaoshang(url).args(["import", "projects"]).arg(&file).output().unwrap();
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let figures = province_figures(url);
    assert_eq!(figures["signed_count"], rows);
    assert_eq!(figures["signed_investment_wan"], format!("{total}.00"));
}

/// A minimal HTTP/1.1 client for loopback requests: (status, headers and body as text).
fn http(port: u16, method: &str, path: &str, cookie: &str, content_type: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: {cookie}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, answer)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts the server and waits until it says it is listening.
fn start_server(url: &str, port: u16) -> Child {
    let mut child = zhaoshang(url)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        match lines.next() {
            Some(Ok(line)) if line.contains("已启动") => return child,
            Some(_) => {}
            None => break,
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    panic!("the server did not start");
}

fn sign_in(port: u16) -> (String, String) {
    let (status, answer) = http(
        port,
        "POST",
        "/api/v1/session",
        "",
        "application/json",
        r#"{"username":"crash","password":"crash-password-1"}"#,
    );
    assert_eq!(status, 200, "{answer}");
    let cookie =
        answer.lines().find_map(|l| l.strip_prefix("set-cookie: ")).unwrap().split(';').next().unwrap().to_string();
    let (_, page) = http(port, "GET", "/", &cookie, "text/plain", "");
    let at = page.find(r#"name="csrf" value=""#).unwrap() + r#"name="csrf" value=""#.len();
    (cookie, page[at..at + 64].to_string())
}

fn a_burst_of_edits_killed_keeps_every_acknowledged_write(url: &str) {
    let mut create = zhaoshang(url)
        .args(["user", "create", "crash", "--role", "admin", "--password-stdin"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    create.stdin.take().unwrap().write_all(b"crash-password-1\n").unwrap();
    assert!(create.wait().unwrap().success());
    let before = province_figures(url);
    let port = free_port();
    let server = start_server(url, port);
    let (cookie, csrf) = sign_in(port);
    // Edits from a second thread until the server dies under them; the kill comes once a
    // burst is under way, however busy the machine is.
    const BURST: usize = 20;
    let acknowledged_so_far = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = acknowledged_so_far.clone();
    let writer = std::thread::spawn(move || {
        let mut acknowledged = Vec::new();
        for n in 0.. {
            let form = format!("csrf={csrf}&code=KE-{n:05}&name=%E7%BC%96%E8%BE%91%E9%A1%B9%E7%9B%AE{n}&region=620503");
            let stream = TcpStream::connect(("127.0.0.1", port));
            if stream.is_err() {
                break;
            }
            let (status, _) = http(port, "POST", "/projects", &cookie, "application/x-www-form-urlencoded", &form);
            if status != 303 {
                break;
            }
            acknowledged.push(format!("KE-{n:05}"));
            counter.store(acknowledged.len(), std::sync::atomic::Ordering::Relaxed);
        }
        acknowledged
    });
    let started = std::time::Instant::now();
    while acknowledged_so_far.load(std::sync::atomic::Ordering::Relaxed) < BURST
        && started.elapsed() < Duration::from_secs(120)
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(kill_while_running(server, Duration::from_millis(100)), "the server was running");
    let acknowledged = writer.join().unwrap();
    assert!(acknowledged.len() >= BURST, "a burst, not a trickle: {}", acknowledged.len());
    eprintln!("{url}: {} acknowledged edits before SIGKILL", acknowledged.len());

    let port = free_port();
    let mut server = start_server(url, port);
    let export = tempfile::Builder::new().suffix(".csv").tempfile().unwrap();
    assert!(zhaoshang(url)
        .args(["export", "projects"])
        .arg(export.path())
        .stdout(Stdio::null())
        .status()
        .unwrap()
        .success());
    let exported = std::fs::read_to_string(export.path()).unwrap();
    for code in &acknowledged {
        assert!(exported.contains(code.as_str()), "acknowledged {code} lost");
    }
    let figures = province_figures(url);
    let (cookie, _) = sign_in(port);
    let last = acknowledged.last().unwrap().trim_start_matches("KE-").trim_start_matches('0');
    let query = format!("/api/v1/search?q=%E7%BC%96%E8%BE%91%E9%A1%B9%E7%9B%AE{last}&kind=project");
    let (status, answer) = http(port, "GET", &query, &cookie, "text/plain", "");
    assert_eq!(status, 200);
    assert!(answer.contains(&format!("编辑项目{last}")), "search finds the last acknowledged edit: {answer}");
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(figures, before, "the kept sums are those of the verified import: the edits signed nothing");
}

#[test]
fn sqlite_survives_sigkill_in_an_import_and_in_a_burst_of_edits() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("crash.db").display());
    an_import_killed_midway_leaves_nothing_and_a_full_one_adds_up(&url, dir.path());
    a_burst_of_edits_killed_keeps_every_acknowledged_write(&url);
}

#[test]
fn postgres_survives_sigkill_in_an_import_and_in_a_burst_of_edits() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let url = runtime.block_on(zhaoshang_testkit::postgres::fresh_database());
    an_import_killed_midway_leaves_nothing_and_a_full_one_adds_up(&url, dir.path());
    a_burst_of_edits_killed_keeps_every_acknowledged_write(&url);
}
