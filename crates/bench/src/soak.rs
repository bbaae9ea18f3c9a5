//! The soak (security issue, part 2, item 5): the `zhaoshang` server with its demo data,
//! many signed-in users on loopback for minutes, each mixing the cockpit, lists, search,
//! the stats API, edits and imports as people do; every answer's status and time kept
//! per route, the server's resident memory sampled each second. It stops by itself.

use crate::http::{anonymous_mib, rss_mib, start_server};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Who the users are: demo accounts (`zhaoshang serve --demo`), the region ones edit and import.
/// (name, its region for the stats API, the county it imports into).
const ACCOUNTS: [(&str, &str, Option<&str>); 6] = [
    ("admin", "620000", None),
    ("baiyin", "620400", Some("620402")),
    ("tianshui", "620500", Some("620502")),
    ("jiayuguan", "620200", Some("620200")),
    ("chain", "620000", None),
    ("leader", "620000", None),
];

#[derive(Debug, Default, Clone)]
pub struct RouteFigures {
    pub latencies_ms: Vec<f64>,
    pub errors: u64,
}

impl RouteFigures {
    pub fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.latencies_ms.clone();
        sorted.sort_by(f64::total_cmp);
        if sorted.is_empty() {
            return 0.0;
        }
        sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
    }
}

/// Reads one measure off a memory sample.
type Measure = fn(&MemorySample) -> f64;

/// The server's memory at one moment of the soak.
#[derive(Debug, Clone, Copy)]
pub struct MemorySample {
    pub seconds: f64,
    /// Resident MiB, the file pages it maps included (the search index, read as it grows).
    pub resident_mib: f64,
    /// Resident anonymous MiB: the heap and stacks, where a leak shows.
    pub anonymous_mib: f64,
}

#[derive(Debug)]
pub struct SoakOutcome {
    pub users: usize,
    pub elapsed: Duration,
    pub routes: BTreeMap<&'static str, RouteFigures>,
    pub memory: Vec<MemorySample>,
    /// A few failed answers, for the report.
    pub failures: Vec<String>,
}

impl SoakOutcome {
    pub fn requests(&self) -> usize {
        self.routes.values().map(|r| r.latencies_ms.len()).sum()
    }

    pub fn errors(&self) -> u64 {
        self.routes.values().map(|r| r.errors).sum()
    }

    /// One measure of memory over the second half: (first, last, growth in MiB per minute
    /// by least squares).
    pub fn second_half_memory(&self, measure: Measure) -> (f64, f64, f64) {
        let half = self.memory.len() / 2;
        let samples: Vec<(f64, f64)> = self.memory[half..].iter().map(|s| (s.seconds, measure(s))).collect();
        if samples.len() < 2 {
            return (0.0, 0.0, 0.0);
        }
        let n = samples.len() as f64;
        let (mean_t, mean_m) = samples.iter().fold((0.0, 0.0), |(t, m), (st, sm)| (t + st / n, m + sm / n));
        let (cov, var) = samples
            .iter()
            .fold((0.0, 0.0), |(c, v), (t, m)| (c + (t - mean_t) * (m - mean_m), v + (t - mean_t) * (t - mean_t)));
        let slope_per_second = if var > 0.0 { cov / var } else { 0.0 };
        (samples[0].1, samples[samples.len() - 1].1, slope_per_second * 60.0)
    }

    /// No error answer, and the heap flat over the second half (growth under 2 MiB a
    /// minute). Mapped file pages are not held against it: the data and its search index
    /// grow with every import the soak makes.
    pub fn passed(&self) -> bool {
        self.errors() == 0 && self.second_half_memory(|s| s.anonymous_mib).2 < 2.0
    }

    /// The heap at `points` evenly spaced moments of the run ("0 min 412 MiB · 1 min …"),
    /// to see whether it levels off.
    pub fn heap_timeline(&self, points: usize) -> String {
        if self.memory.is_empty() {
            return String::new();
        }
        let last = self.memory.len() - 1;
        (0..=points)
            .map(|i| &self.memory[last * i / points])
            .map(|s| format!("{:.1} min {:.0} MiB", s.seconds / 60.0, s.anonymous_mib))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    pub fn table(&self) -> String {
        let mut out = format!(
            "| soak: {} users × {:.0} s | requests | errors | p50 ms | p99 ms | max ms |\n| --- | --- | --- | --- | --- | --- |\n",
            self.users,
            self.elapsed.as_secs_f64()
        );
        for (route, figures) in &self.routes {
            out.push_str(&format!(
                "| {route} | {} | {} | {:.1} | {:.1} | {:.1} |\n",
                figures.latencies_ms.len(),
                figures.errors,
                figures.percentile(0.5),
                figures.percentile(0.99),
                figures.percentile(1.0)
            ));
        }
        out.push_str(&format!("| all | {} | {} | | | |\n\n", self.requests(), self.errors()));
        let measures: [(&str, Measure); 2] =
            [("heap (RssAnon)", |s| s.anonymous_mib), ("resident (VmRSS)", |s| s.resident_mib)];
        out.push_str(&format!("server heap (RssAnon) over the run: {}\n", self.heap_timeline(10)));
        for (name, measure) in measures {
            let (first, last, slope) = self.second_half_memory(measure);
            let peak = self.memory.iter().map(measure).fold(0.0, f64::max);
            out.push_str(&format!(
                "server {name} over the second half: {first:.0} → {last:.0} MiB ({slope:+.2} MiB/min by least squares); peak {peak:.0} MiB\n"
            ));
        }
        out
    }
}

/// One signed-in user's connection (kept alive) and its CSRF token.
struct User {
    agent: ureq::Agent,
    base: String,
    cookie: String,
    csrf: String,
    region: &'static str,
    county: Option<&'static str>,
    projects: Vec<i64>,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

impl User {
    fn sign_in(base: &str, username: &str, region: &'static str, county: Option<&'static str>) -> anyhow::Result<User> {
        let agent = agent();
        let body = format!(r#"{{"username":"{username}","password":"{}"}}"#, zhaoshang_app::demo::DEMO_PASSWORD);
        let response = agent
            .post(&format!("{base}/api/v1/session"))
            .header("Content-Type", "application/json")
            .send(body.as_str())?;
        anyhow::ensure!(response.status() == 200, "sign-in of {username}: {}", response.status());
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .ok_or_else(|| anyhow::anyhow!("sign-in of {username} set no cookie"))?
            .to_string();
        let mut user =
            User { agent, base: base.into(), cookie, csrf: String::new(), region, county, projects: Vec::new() };
        let (_, home) = user.get("/")?;
        user.csrf = between(&home, r#"name="csrf" value=""#, "\"").unwrap_or_default().to_string();
        if county.is_some() {
            let (_, list) = user.get("/projects")?;
            user.projects = list
                .split("href=\"/projects/")
                .skip(1)
                .filter_map(|rest| rest.split('"').next()?.parse().ok())
                .collect();
        }
        Ok(user)
    }

    fn get(&self, path: &str) -> anyhow::Result<(u16, String)> {
        let mut response = self.agent.get(&format!("{}{path}", self.base)).header("Cookie", &self.cookie).call()?;
        let status = response.status().as_u16();
        Ok((status, response.body_mut().read_to_string()?))
    }

    fn post(&self, path: &str, content_type: &str, body: &[u8]) -> anyhow::Result<(u16, String)> {
        let mut response = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("Cookie", &self.cookie)
            .header("Content-Type", content_type)
            .header("Accept", "application/json")
            .send(body)?;
        let status = response.status().as_u16();
        Ok((status, response.body_mut().read_to_string()?))
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    Some(&text[from..from + text[from..].find(end)?])
}

/// Projects in one user's import sheet.
const SHEET_ROWS: u64 = 20;

/// One step of a user: which route, and its request.
fn step(user: &User, n: u64, worker: usize) -> (&'static str, anyhow::Result<(u16, String)>) {
    let editor = user.county.is_some() && !user.projects.is_empty();
    match n % 10 {
        0 | 1 => ("GET /dashboard", user.get("/dashboard")),
        2 => ("GET /projects?page=", user.get(&format!("/projects?page={}", 1 + n % 5))),
        3 => ("GET /search?q=稀土", user.get("/search?q=%E7%A8%80%E5%9C%9F")),
        4 => ("GET /enterprises", user.get("/enterprises")),
        5 => ("GET /chains", user.get("/chains")),
        6 => {
            let query = format!("/api/v1/stats/investment?region={}&from=2023-01-01&to=2023-12-31", user.region);
            ("GET /api/v1/stats/investment", user.get(&query))
        }
        7 => ("GET /plans", user.get("/plans")),
        8 if editor => {
            let project = user.projects[(n as usize / 10) % user.projects.len()];
            let form = format!("csrf={}&service=%E5%8D%8F%E8%B0%83%E7%94%A8%E5%9C%B0%E6%8C%87%E6%A0%87", user.csrf);
            let path = format!("/projects/{project}/services");
            ("POST /projects/{id}/services", user.post(&path, "application/x-www-form-urlencoded", form.as_bytes()))
        }
        9 if editor => {
            // A user keeps one sheet of SHEET_ROWS projects and imports it again and again
            // with a changed name, as offices re-send their monthly sheet: the first round
            // creates, later rounds update, so the data stops growing and a heap that keeps
            // growing is a leak rather than more data.
            let county = user.county.unwrap_or_default();
            let row = (n / 10) % SHEET_ROWS;
            let csv = format!("项目编号,项目名称,所属地区\nSOAK-{worker}-{row},压力测试项目{worker}-{n},{county}\n");
            let boundary = "zssoak";
            let mut body = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nprojects\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"soak.csv\"\r\n\
                 Content-Type: text/csv\r\n\r\n",
                user.csrf
            )
            .into_bytes();
            body.extend_from_slice(csv.as_bytes());
            body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
            ("POST /import", user.post("/import", &format!("multipart/form-data; boundary={boundary}"), &body))
        }
        _ => ("GET /inbox", user.get("/inbox")),
    }
}

/// Whether an answer is what a working server gives: 2xx, a redirect after a form, and
/// for an import a report without problems.
fn answer_ok(route: &str, status: u16, body: &str) -> bool {
    match route {
        "POST /import" => status == 200 && body.contains("\"problems\":[]"),
        _ => (200..400).contains(&status),
    }
}

/// Runs the soak against a fresh demo database for `duration` with `users` users.
pub async fn run(program: &Path, work_dir: &Path, users: usize, duration: Duration) -> anyhow::Result<SoakOutcome> {
    let database_url = format!("sqlite://{}", work_dir.join("soak.db").display());
    let (server, port, _) = start_server(program, &database_url, work_dir, &["--demo"]).await?;
    let pid = server.pid();
    let base = format!("http://127.0.0.1:{port}");
    // Signed in one after another (each sign-in is a slow hash, and throttled per name).
    let mut signed_in = Vec::new();
    for index in 0..users {
        let (username, region, county) = ACCOUNTS[index % ACCOUNTS.len()];
        signed_in.push(User::sign_in(&base, username, region, county)?);
    }
    let started = Instant::now();
    let deadline = started + duration;
    let routes: Arc<Mutex<BTreeMap<&'static str, RouteFigures>>> = Arc::default();
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();
    let memory = std::thread::spawn(move || {
        let mut samples = Vec::new();
        while Instant::now() < deadline {
            samples.push(MemorySample {
                seconds: started.elapsed().as_secs_f64(),
                resident_mib: rss_mib(pid),
                anonymous_mib: anonymous_mib(pid),
            });
            std::thread::sleep(Duration::from_secs(1));
        }
        samples
    });
    let workers: Vec<_> = signed_in
        .into_iter()
        .enumerate()
        .map(|(worker, user)| {
            let (routes, failures) = (Arc::clone(&routes), Arc::clone(&failures));
            std::thread::spawn(move || {
                let mut mine: BTreeMap<&'static str, RouteFigures> = BTreeMap::new();
                let mut n = worker as u64;
                while Instant::now() < deadline {
                    let began = Instant::now();
                    let (route, answer) = step(&user, n, worker);
                    let figures = mine.entry(route).or_default();
                    figures.latencies_ms.push(began.elapsed().as_secs_f64() * 1000.0);
                    let failure = match &answer {
                        Ok((status, body)) if answer_ok(route, *status, body) => None,
                        Ok((status, body)) => {
                            // An import's report says why in its problems.
                            let reason = body.find("\"problems\"").map_or(body.as_str(), |at| &body[at..]);
                            Some(format!("{route}: {status} {}", reason.chars().take(300).collect::<String>()))
                        }
                        Err(error) => Some(format!("{route}: {error}")),
                    };
                    if let Some(failure) = failure {
                        figures.errors += 1;
                        let mut kept = failures.lock().unwrap_or_else(|e| e.into_inner());
                        if kept.len() < 20 {
                            kept.push(failure);
                        }
                    }
                    n += 1;
                }
                let mut all = routes.lock().unwrap_or_else(|e| e.into_inner());
                for (route, figures) in mine {
                    let entry = all.entry(route).or_default();
                    entry.latencies_ms.extend(figures.latencies_ms);
                    entry.errors += figures.errors;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().map_err(|_| anyhow::anyhow!("a soak user stopped"))?;
    }
    let memory = memory.join().map_err(|_| anyhow::anyhow!("the memory sampler stopped"))?;
    let elapsed = started.elapsed();
    drop(server);
    let routes = std::mem::take(&mut *routes.lock().unwrap_or_else(|e| e.into_inner()));
    let mut failures = std::mem::take(&mut *failures.lock().unwrap_or_else(|e| e.into_inner()));
    // What the server said of its own errors.
    let log = std::fs::read_to_string(work_dir.join("server.log")).unwrap_or_default();
    failures.extend(log.lines().filter(|line| line.contains("ERROR")).take(10).map(|line| format!("server: {line}")));
    Ok(SoakOutcome { users, elapsed, routes, memory, failures })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_growth_is_the_least_squares_slope_of_the_second_half() {
        let outcome = SoakOutcome {
            users: 1,
            elapsed: Duration::from_secs(4),
            routes: BTreeMap::new(),
            // The heap grows fast while warming up, then 1 MiB a minute; the mapped index
            // grows 5 MiB a minute throughout.
            memory: [(0.0, 10.0), (60.0, 50.0), (120.0, 100.0), (180.0, 101.0), (240.0, 102.0), (300.0, 103.0)]
                .into_iter()
                .map(|(seconds, heap)| MemorySample {
                    seconds,
                    anonymous_mib: heap,
                    resident_mib: heap + seconds / 12.0,
                })
                .collect(),
            failures: Vec::new(),
        };
        let (first, last, slope) = outcome.second_half_memory(|s| s.anonymous_mib);
        assert_eq!((first, last), (101.0, 103.0));
        assert!((slope - 1.0).abs() < 1e-9, "{slope}");
        assert!((outcome.second_half_memory(|s| s.resident_mib).2 - 6.0).abs() < 1e-9);
        assert!(outcome.passed(), "the heap is what must stay flat");
    }

    #[test]
    fn the_heap_timeline_reads_evenly_spaced_samples_first_to_last() {
        let outcome = SoakOutcome {
            users: 1,
            elapsed: Duration::from_secs(240),
            routes: BTreeMap::new(),
            memory: (0..=4)
                .map(|minute| MemorySample {
                    seconds: f64::from(minute) * 60.0,
                    anonymous_mib: 100.0 + f64::from(minute),
                    resident_mib: 0.0,
                })
                .collect(),
            failures: Vec::new(),
        };
        assert_eq!(outcome.heap_timeline(2), "0.0 min 100 MiB · 2.0 min 102 MiB · 4.0 min 104 MiB");
    }

    #[test]
    fn percentiles_come_from_the_sorted_times() {
        let figures = RouteFigures { latencies_ms: (1..=100).rev().map(f64::from).collect(), errors: 0 };
        assert_eq!((figures.percentile(0.5), figures.percentile(0.99), figures.percentile(1.0)), (51.0, 99.0, 100.0));
    }
}
