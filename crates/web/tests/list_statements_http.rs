//! Issue 16: a project list page asks the database as many statements for a scope of a
//! hundred projects as for one ten times larger, its rows flagged as claimed twice by
//! investors in two cities: flags, region names and totals are read for the page's own
//! rows (or kept), never per project or per region of the scope. Counted from sqlx's statement
//! log: every statement it runs is an event of target `sqlx::query`.

mod common;

use axum::http::StatusCode;
use common::*;
use std::sync::Mutex;
use std::sync::Once;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;
use zhaoshang_app::exchange::{import_bytes, ImportKind};
use zhaoshang_core::credit_code::with_check_char;
use zhaoshang_store::Actor;
use zhaoshang_testkit::{on_both_backends, Backend};

on_both_backends!(a_list_page_asks_as_many_statements_whatever_the_scope);

/// The summaries of the statements run since the last `take`.
static STATEMENTS: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// The count is the process's: one backend's test at a time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

struct CountStatements;

/// A statement's summary as sqlx logs it ("SELECT id, code, …").
#[derive(Default)]
struct Summary(String);

impl tracing::field::Visit for Summary {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" {
            self.0 = format!("{value:?}").trim_matches('"').to_string();
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for CountStatements {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" {
            return;
        }
        let mut summary = Summary::default();
        event.record(&mut summary);
        // Not the page's work: a new pooled connection's settings, and a session's
        // last-seen time, written at most once a minute (either may fall in a request
        // of a slow run).
        if !summary.0.starts_with("PRAGMA") && !summary.0.starts_with("UPDATE sessions") {
            STATEMENTS.lock().unwrap().push(summary.0);
        }
    }
}

fn count_statements() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let sqlx_only = tracing_subscriber::filter::Targets::new().with_target("sqlx::query", tracing::Level::TRACE);
        tracing_subscriber::registry().with(CountStatements.with_filter(sqlx_only)).init();
    });
}

/// The statements a page's request ran, and the page.
async fn statements_of(app: &TestApp, path: &str, cookie: &str) -> (Vec<String>, String) {
    STATEMENTS.lock().unwrap().clear();
    let response = app.get(path, Some(cookie)).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    let page = body_text(response).await;
    (std::mem::take(&mut *STATEMENTS.lock().unwrap()), page)
}

/// Projects `from..to`: investor n's in a county of 天水 and, under the same name, in 白银,
/// so both are claimed twice.
async fn import_projects(app: &TestApp, from: usize, to: usize) {
    const TIANSHUI: [&str; 7] = ["620502", "620503", "620521", "620522", "620523", "620524", "620525"];
    let mut csv = String::from("项目编号,项目名称,所属地区,总投资(万元),项目阶段,签约日期,投资方,投资方信用代码\n");
    for n in from..to {
        let credit = with_check_char(&format!("91310000MA1F{n:05}")).unwrap();
        let (county, day) = (TIANSHUI[n % TIANSHUI.len()], 1 + n % 28);
        for (prefix, region) in [("TS", county), ("BY", "620402")] {
            csv += &format!(
                "{prefix}-{n},{n}号新材料项目,{region},{},签约,2024-03-{day:02},投资方{n}公司,{credit}\n",
                1000 + n
            );
        }
    }
    let report =
        import_bytes(app.store(), ImportKind::Projects, "p.csv", csv.as_bytes(), false, &Actor::system("测试")).await;
    let report = report.unwrap();
    assert!(report.is_ok() && report.applied, "{:?}", report.problems);
}

async fn a_list_page_asks_as_many_statements_whatever_the_scope(backend: Backend) {
    let _alone = ONE_AT_A_TIME.lock().await;
    count_statements();
    let app = TestApp::with_users(backend, &[("admin", "admin", None), ("tianshui", "region", Some("620500"))]).await;
    let (admin, tianshui) = (app.sign_in("admin").await, app.sign_in("tianshui").await);
    let pages = [
        ("tianshui", "/projects"),
        ("tianshui", "/projects?sort=investment_desc"),
        ("admin", "/projects"),
        ("admin", "/projects?region=620500&stage=signed"),
    ];
    let cookie_of = |user: &str| if user == "admin" { admin.clone() } else { tianshui.clone() };
    // What a server does once (the region directory read into memory, a session's
    // first use) is done before counting.
    import_projects(&app, 0, 2).await;
    for (user, path) in pages {
        statements_of(&app, path, &cookie_of(user)).await;
    }
    let mut counts: Vec<Vec<[Vec<String>; 2]>> = Vec::new();
    // Both scopes fill the first page (a page short of rows reads on for unsigned ones).
    for (from, to) in [(2, 60), (60, 600)] {
        import_projects(&app, from, to).await;
        let mut scale = Vec::new();
        for (user, path) in pages {
            let cookie = cookie_of(user);
            // The first visit after a write (nothing of the list kept), then the next.
            let (first, page) = statements_of(&app, path, &cookie).await;
            let (again, _) = statements_of(&app, path, &cookie).await;
            assert!(page.contains("疑似重复"), "{user} {path}: the rows' claimed-twice flags");
            assert!(page.contains("新材料项目"), "{user} {path}: the rows");
            scale.push([first, again]);
        }
        counts.push(scale);
    }
    for ((user, path), (small, large)) in pages.iter().zip(counts[0].iter().zip(&counts[1])) {
        for (visit, (small, large)) in ["first visit", "next visit"].iter().zip(small.iter().zip(large)) {
            assert!(!small.is_empty(), "{user} {path} {visit}: statements counted");
            assert_eq!(
                large.len(),
                small.len(),
                "{user} {path} {visit}: statements with 1,200 projects in scope against 120:\n{large:#?}\nagainst\n{small:#?}"
            );
        }
    }
}
