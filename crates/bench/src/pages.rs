//! Whole pages as users wait for them (issue 16): the main pages of each role, each asked
//! for alone (p50/p95 of sequential requests) and then under `wrk` with many
//! connections, beside `GET /api/v1/me` measured in the same run as the floor.

use crate::http::{request, sign_in, wrk, Load};
use zhaoshang_store::users::NewUser;
use zhaoshang_store::{Actor, Store};

/// One user waiting for one page: p95 at most this.
pub const SINGLE_P95_TARGET_MS: f64 = 50.0;
/// Under load: p99 at most this, and at least this share of the floor's requests/s.
pub const LOAD_P99_TARGET_MS: f64 = 100.0;
pub const FLOOR_SHARE: f64 = 0.2;

const PASSWORD: &str = "Bench-Pages-2024";

/// The roles measured: (label, user name, role, region), and their pages.
struct Visitor {
    label: &'static str,
    username: &'static str,
    role: &'static str,
    region: Option<&'static str>,
    pages: &'static [&'static str],
}

const VISITORS: [Visitor; 3] = [
    Visitor {
        label: "admin",
        username: "bench-admin",
        role: "admin",
        region: None,
        pages: &[
            "/",
            "/dashboard",
            "/projects",
            "/projects?page=1000",
            "/projects/duplicates",
            "/projects/duplicates?page=100",
            "/chains",
            "/enterprises",
            "/search?q=项目",
            "/appeals",
            "/chambers",
        ],
    },
    Visitor {
        label: "city 620500",
        username: "bench-city",
        role: "region",
        region: Some("620500"),
        pages: &[
            "/",
            "/dashboard",
            "/projects",
            "/projects?page=100",
            "/projects/duplicates",
            "/chains",
            "/enterprises",
            "/plans",
        ],
    },
    Visitor {
        label: "chain department",
        username: "bench-chain",
        role: "chain",
        region: None,
        pages: &["/", "/dashboard", "/projects", "/chains"],
    },
];

/// One page of one role.
#[derive(Debug, Clone)]
pub struct PageLoad {
    pub role: &'static str,
    pub path: &'static str,
    pub single_p50_ms: f64,
    pub single_p95_ms: f64,
    /// Answers other than 200 among the single requests.
    pub single_errors: usize,
    pub load: Load,
}

impl PageLoad {
    pub fn meets_targets(&self, floor: &Load) -> bool {
        self.single_errors == 0
            && self.single_p95_ms <= SINGLE_P95_TARGET_MS
            && self.load.non_2xx == 0
            && self.load.p99_ms <= LOAD_P99_TARGET_MS
            && self.load.requests_per_second >= FLOOR_SHARE * floor.requests_per_second
    }
}

/// The accounts of the measured roles; the chain department looks after the first chain.
pub async fn create_visitors(store: &Store) -> anyhow::Result<()> {
    let actor = Actor::system("基准测试");
    let hash = zhaoshang_app::accounts::hash_password(PASSWORD).await?;
    for visitor in &VISITORS {
        let user = NewUser {
            username: visitor.username.into(),
            display_name: format!("基准测试（{}）", visitor.label),
            role: visitor.role.into(),
            region_code: visitor.region.map(str::to_string),
            password_hash: hash.clone(),
            chamber_id: None,
        };
        let created = store.create_user(&user, &actor).await?;
        if visitor.role == "chain" {
            let first = store.chain_summaries().await?.into_iter().map(|chain| chain.id).min();
            store.set_user_chains(created.id, first.as_slice(), &actor).await?;
        }
    }
    Ok(())
}

/// Each page of each role asked for once: (role, path, status), to check the list.
pub fn statuses(port: u16) -> anyhow::Result<Vec<(&'static str, &'static str, u16)>> {
    let mut answers = Vec::new();
    for visitor in &VISITORS {
        let cookie = sign_in(port, visitor.username, PASSWORD)?;
        for &path in visitor.pages {
            answers.push((visitor.label, path, get(port, path, &cookie)?));
        }
    }
    Ok(answers)
}

fn get(port: u16, path: &str, cookie: &str) -> anyhow::Result<u16> {
    Ok(request(port, &format!("GET {path} HTTP/1.1\r\nCookie: {cookie}"), "")?.0)
}

/// Every page of every role: `single_runs` requests one after the other, then `wrk` with
/// `connections` for `seconds`.
pub fn measure(port: u16, single_runs: usize, connections: u32, seconds: u64) -> anyhow::Result<Vec<PageLoad>> {
    let mut pages = Vec::new();
    for visitor in &VISITORS {
        let cookie = sign_in(port, visitor.username, PASSWORD)?;
        for &path in visitor.pages {
            // wrk takes ASCII URLs only (`/search?q=项目`): as a browser sends them.
            let encoded = percent_encoded(path);
            let mut times = Vec::with_capacity(single_runs);
            let mut single_errors = 0;
            for _ in 0..single_runs {
                let started = std::time::Instant::now();
                let status = get(port, &encoded, &cookie)?;
                times.push(started.elapsed().as_secs_f64() * 1000.0);
                single_errors += usize::from(status != 200);
            }
            let label = format!("{} {path}", visitor.label);
            let load = wrk(&label, &format!("http://127.0.0.1:{port}{encoded}"), &cookie, connections, seconds)?;
            let page = PageLoad {
                role: visitor.label,
                path,
                single_p50_ms: percentile(&mut times, 0.50),
                single_p95_ms: percentile(&mut times, 0.95),
                single_errors,
                load,
            };
            // Each page as it is measured: a long run that fails later keeps what it had.
            eprintln!(
                "page {label}: one request p50 {:.1} ms, p95 {:.1} ms; {} req/s, p99 {:.1} ms, non-2xx {}",
                page.single_p50_ms,
                page.single_p95_ms,
                page.load.requests_per_second,
                page.load.p99_ms,
                page.load.non_2xx
            );
            pages.push(page);
        }
    }
    Ok(pages)
}

/// `path` with every byte outside ASCII percent-encoded.
fn percent_encoded(path: &str) -> String {
    path.bytes().map(|b| if b.is_ascii() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// The `p` quantile (nearest rank) of `times`; 0 for none.
fn percentile(times: &mut [f64], p: f64) -> f64 {
    if times.is_empty() {
        return 0.0;
    }
    times.sort_by(f64::total_cmp);
    times[((times.len() as f64 - 1.0) * p).round() as usize]
}

/// The page table in Markdown, the floor first.
pub fn table(pages: &[PageLoad], floor: &Load, connections: u32, seconds: u64) -> String {
    let mut out = format!(
        "| page | one request p50 / p95 ms | {connections} connections × {seconds} s: requests/s | p99 ms | non-2xx | met |\n\
         | --- | --- | --- | --- | --- | --- |\n\
         | floor: GET /api/v1/me | | {:.0} | {:.2} | {} | |\n",
        floor.requests_per_second, floor.p99_ms, floor.non_2xx
    );
    for page in pages {
        out.push_str(&format!(
            "| {} {} | {:.1} / {:.1}{} | {:.0} | {:.1} | {} | {} |\n",
            page.role,
            page.path,
            page.single_p50_ms,
            page.single_p95_ms,
            if page.single_errors > 0 { format!(" ({} not 200)", page.single_errors) } else { String::new() },
            page.load.requests_per_second,
            page.load.p99_ms,
            page.load.non_2xx,
            if page.meets_targets(floor) { "✓" } else { "✗" }
        ));
    }
    out.push_str(&format!(
        "\nTargets: one request p95 ≤ {SINGLE_P95_TARGET_MS:.0} ms; under load p99 ≤ {LOAD_P99_TARGET_MS:.0} ms and at \
         least {:.0}% of the floor's requests/s; no error answers.\n",
        FLOOR_SHARE * 100.0
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(requests_per_second: f64, p99_ms: f64, non_2xx: u64) -> Load {
        Load { label: "x".into(), requests_per_second, p50_ms: p99_ms / 2.0, p99_ms, non_2xx }
    }

    fn page(single_p95_ms: f64, single_errors: usize, load: Load) -> PageLoad {
        PageLoad { role: "admin", path: "/", single_p50_ms: 1.0, single_p95_ms, single_errors, load }
    }

    #[test]
    fn a_page_meets_its_targets_only_on_every_count() {
        let floor = load(10_000.0, 5.0, 0);
        assert!(page(49.0, 0, load(2_000.0, 99.0, 0)).meets_targets(&floor));
        assert!(!page(51.0, 0, load(2_000.0, 99.0, 0)).meets_targets(&floor), "one request too slow");
        assert!(!page(49.0, 1, load(2_000.0, 99.0, 0)).meets_targets(&floor), "an error answer alone");
        assert!(!page(49.0, 0, load(2_000.0, 101.0, 0)).meets_targets(&floor), "p99 under load");
        assert!(!page(49.0, 0, load(1_999.0, 99.0, 0)).meets_targets(&floor), "below a fifth of the floor");
        assert!(!page(49.0, 0, load(2_000.0, 99.0, 3)).meets_targets(&floor), "errors under load");
    }

    #[test]
    fn paths_reach_wrk_in_ascii() {
        assert_eq!(percent_encoded("/search?q=项目"), "/search?q=%E9%A1%B9%E7%9B%AE");
        assert_eq!(percent_encoded("/projects?page=1000"), "/projects?page=1000");
    }

    #[test]
    fn percentiles_are_nearest_ranks_of_the_sorted_times() {
        let mut times: Vec<f64> = (1..=20).rev().map(f64::from).collect();
        assert_eq!(percentile(&mut times, 0.5), 11.0);
        assert_eq!(percentile(&mut times, 0.95), 19.0);
        assert_eq!(percentile(&mut [], 0.95), 0.0);
    }

    #[test]
    fn the_table_shows_the_floor_and_each_page() {
        let floor = load(10_000.0, 5.0, 0);
        let text = table(&[page(60.0, 2, load(100.0, 900.0, 0))], &floor, 64, 30);
        assert!(text.contains("| floor: GET /api/v1/me | | 10000 | 5.00 | 0 | |"), "{text}");
        assert!(text.contains("| admin / | 1.0 / 60.0 (2 not 200) | 100 | 900.0 | 0 | ✗ |"), "{text}");
    }
}
