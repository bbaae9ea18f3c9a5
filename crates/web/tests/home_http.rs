//! The workbench (工作台) tells each role what to do (issue 15, point 4): its inbox's most
//! urgent items linking to their records, the figures of its scope this year with year on
//! year, the recent changes to the records of its scope only, shortcuts to its tasks; the
//! leader lands on the cockpit with its inbox; the admin's inbox counts the province's
//! overdue items. The clock is fixed through `ZHAOSHANG_NOW`, read once per process:
//! every test of this file fixes the same instant first.

mod common;

use axum::http::{header, StatusCode};
use common::*;
use zhaoshang_app::exchange::{import_bytes, ImportKind};
use zhaoshang_store::Actor;
use zhaoshang_testkit::{on_both_backends, Backend};

/// 10:00 in Beijing on 20 May 2026.
const NOW: &str = "2026-05-20T02:00:00Z";

fn fix_now() {
    // SAFETY (edition 2021: safe): every test of this process sets the same value.
    std::env::set_var(zhaoshang_app::calendar::NOW_VARIABLE, NOW);
    assert_eq!(zhaoshang_app::calendar::today().to_string(), "2026-05-20");
}

const USERS: [(&str, &str, Option<&str>); 8] = [
    ("admin", "admin", None),
    ("baiyin", "region", Some("620400")),
    ("tianshui", "region", Some("620500")),
    ("leader", "leader", None),
    ("chain", "chain", None),
    ("member", "member", None),
    ("liaison", "liaison", None),
    ("investor", "investor", None),
];

/// 白银: one project signed this year (12,000 万元) and one the year before (6,000 万元);
/// 天水: two signed this year (50,000 万元 in all). 白银's 一企一案 next step is overdue.
async fn workbench_app(backend: Backend) -> (TestApp, i64) {
    fix_now();
    let app = TestApp::with_users(backend, &USERS).await;
    let projects = "项目编号,项目名称,所属地区,总投资(万元),项目阶段,签约日期\n\
                    BY-1,白银今年签约项目,620402,12000,签约,2026-03-02\n\
                    BY-0,白银去年签约项目,620402,6000,签约,2025-03-02\n\
                    TS-1,天水今年签约项目甲,620502,20000,签约,2026-02-10\n\
                    TS-2,天水今年签约项目乙,620502,30000,签约,2026-04-10\n";
    let actor = Actor::system("测试导入");
    let report = import_bytes(app.store(), ImportKind::Projects, "p.csv", projects.as_bytes(), false, &actor).await;
    let report = report.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    let plan = app.plan_due("baiyin", 1, "回访企业总部", "2026-05-18".parse().unwrap()).await;
    (app, plan)
}

async fn workbench(app: &TestApp, user: &str) -> String {
    let cookie = app.sign_in(user).await;
    let response = app.get("/", Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::OK, "{user}");
    body_text(response).await
}

/// A path as the pages write it in an attribute (the templates escape `/`).
fn href(path: &str) -> String {
    path.replace('/', "&#x2f;")
}

/// The part of the page inside the element of `id` (up to its section's end).
fn section<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page.find(&format!(r#"id="{id}""#)).unwrap_or_else(|| panic!("no #{id}"));
    let rest = &page[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

/// The value and the year-on-year text of a figure's card.
fn card(page: &str, key: &str) -> (String, String) {
    let card = &page[page.find(&format!(r#"data-figure="{key}""#)).unwrap_or_else(|| panic!("no card {key}"))..];
    let card = &card[..card.find("</a>").unwrap()];
    let value = &card[card.find(r#"<span class="figure">"#).unwrap() + r#"<span class="figure">"#.len()..];
    let value = value[..value.find("</span>").unwrap()].to_string();
    let yoy = card.find("同比 ").map(|at| card[at + "同比 ".len()..].split('<').next().unwrap().to_string());
    (value, yoy.unwrap_or_default())
}

on_both_backends!(a_region_user_sees_its_overdue_step_and_its_regions_figures_only);

async fn a_region_user_sees_its_overdue_step_and_its_regions_figures_only(backend: Backend) {
    let (app, plan) = workbench_app(backend).await;
    let page = workbench(&app, "baiyin").await;
    let inbox = section(&page, "inbox-summary");
    let item = &inbox[inbox.find(r#"data-urgency="red""#).expect("a red item")..];
    assert!(
        item.contains(&format!(r#"<a href="{}">跟进企业1：回访企业总部</a>"#, href(&format!("/plans/{plan}")))),
        "{inbox}"
    );
    assert!(item.contains("已逾期") && item.contains("2026-05-18 到期"), "{item}");
    assert!(inbox.contains(r#"<a href="/inbox" id="inbox-all">查看全部待办（1 项）</a>"#), "{inbox}");

    // This year's figures of 白银 with year on year; 天水's projects are not in them.
    let figures = section(&page, "scope-figures");
    assert!(figures.contains("白银市 · 2026-01-01 至 2026-05-20（今年至今）"), "{figures}");
    assert_eq!(card(figures, "signed_count"), ("1".to_string(), "+0.0%".to_string()));
    assert_eq!(card(figures, "signed_investment"), ("1.20".to_string(), "+100.0%".to_string()));
    assert!(figures.contains(&href("/projects?drill=signed&amp;region=620400&amp;from=2026-01-01&amp;to=2026-05-20")));
    let tianshui = workbench(&app, "tianshui").await;
    let theirs = section(&tianshui, "scope-figures");
    assert_eq!(card(theirs, "signed_count").0, "2");
    assert_eq!(card(theirs, "signed_investment").0, "5.00");
    assert!(!tianshui.contains("回访企业总部"), "not 天水's step");
    assert!(section(&tianshui, "inbox-summary").contains("没有到期或逾期的事项"));

    // Shortcuts to the region user's tasks, from the navigation's sections.
    let shortcuts = section(&page, "shortcuts");
    for path in ["/projects", "/import", "/plans", "/dashboard"] {
        assert!(shortcuts.contains(&format!(r#"<a href="{}">"#, href(path))), "{path}: {shortcuts}");
    }
    assert!(!shortcuts.contains(&href("/admin/users")) && !shortcuts.contains(&href("/inbox")));
}

on_both_backends!(recent_changes_are_those_of_the_users_scope);

async fn recent_changes_are_those_of_the_users_scope(backend: Backend) {
    let (app, plan) = workbench_app(backend).await;
    // A change made through the page by 白银's user, to its own plan.
    let cookie = app.sign_in("baiyin").await;
    let csrf = app.csrf(&cookie).await;
    let done = app.post_form("/inbox/done", &cookie, &format!("csrf={csrf}&area=plans&id={plan}")).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);

    let changes = |page: String| section(&page, "recent-changes").to_string();
    let baiyin = changes(workbench(&app, "baiyin").await);
    assert!(baiyin.contains("白银市及下辖地区的记录"), "{baiyin}");
    assert!(baiyin.contains("测试导入 新建了项目「BY-1」") && baiyin.contains("项目「BY-0」"), "{baiyin}");
    assert!(baiyin.contains(&format!("baiyin 修改了一企一案「{plan}」")), "{baiyin}");
    assert!(!baiyin.contains("TS-1") && !baiyin.contains("TS-2"), "another region's projects: {baiyin}");
    assert!(!baiyin.contains("登录"), "sign-ins are no changes to records");
    let tianshui = changes(workbench(&app, "tianshui").await);
    assert!(tianshui.contains("项目「TS-1」") && tianshui.contains("项目「TS-2」"), "{tianshui}");
    assert!(!tianshui.contains("BY-1") && !tianshui.contains("一企一案"), "{tianshui}");
    let admin = changes(workbench(&app, "admin").await);
    assert!(admin.contains("全部变更"));
    for code in ["BY-1", "TS-1", "TS-2"] {
        assert!(admin.contains(&format!("项目「{code}」")), "{code}: {admin}");
    }
    // A chain department without chains reads no project: no change to one, no figure of one.
    let chain = workbench(&app, "chain").await;
    assert!(section(&chain, "recent-changes").contains("近 30 天没有变更"), "{chain}");
    let figures = section(&chain, "scope-figures");
    assert!(figures.contains("甘肃省 · 所负责产业链 · 2026-01-01 至 2026-05-20"), "{figures}");
    assert_eq!(card(figures, "signed_count").0, "0", "not the province's projects");
    // Roles that read no records have no such list; what they do is a shortcut, or told as coming.
    let liaison = workbench(&app, "liaison").await;
    assert!(!liaison.contains(r#"id="recent-changes""#) && !liaison.contains(r#"id="scope-figures""#));
    assert!(section(&liaison, "shortcuts").contains("登记和跟进商会线索"), "its task: leads");
    assert!(section(&workbench(&app, "investor").await, "shortcuts").contains("投资者门户"));
}

on_both_backends!(the_admin_counts_the_provinces_overdue_steps_and_the_leader_lands_on_the_cockpit);

async fn the_admin_counts_the_provinces_overdue_steps_and_the_leader_lands_on_the_cockpit(backend: Backend) {
    let (app, plan) = workbench_app(backend).await;
    // The admin owns no plan: its inbox holds 白银's overdue step, to supervise, not to mark.
    let page = workbench(&app, "admin").await;
    assert!(page.contains("已逾期 1 项，今日到期 0 项，即将到期 0 项"), "the header's badge counts it");
    let inbox = section(&page, "inbox-summary");
    assert!(
        inbox.contains(&format!(r#"<a href="{}">跟进企业1：回访企业总部</a>"#, href(&format!("/plans/{plan}")))),
        "{inbox}"
    );
    assert!(inbox.contains("白银市 · 责任人 baiyin 测试"), "whose it is: {inbox}");
    assert_eq!(card(section(&page, "scope-figures"), "signed_count").0, "3", "the province's figures");
    let cookie = app.sign_in("admin").await;
    let full = body_text(app.get("/inbox", Some(&cookie)).await).await;
    assert!(full.contains("回访企业总部") && !full.contains("标记完成"), "only its owner marks it done");
    let csrf = app.csrf(&cookie).await;
    let refused = app.post_form("/inbox/done", &cookie, &format!("csrf={csrf}&area=plans&id={plan}")).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // The leader's `/` is the cockpit, which shows its inbox (the province's overdue step
    // for reading); its navigation has one landing page.
    let cookie = app.sign_in("leader").await;
    let landing = app.get("/", Some(&cookie)).await;
    assert_eq!(landing.status(), StatusCode::SEE_OTHER);
    assert_eq!(landing.headers()[header::LOCATION], "/dashboard");
    let cockpit = body_text(app.get("/dashboard", Some(&cookie)).await).await;
    assert!(cockpit.contains("2026-01-01 至 2026-05-20（今年至今）"));
    let inbox = section(&cockpit, "inbox-summary");
    assert!(inbox.contains("回访企业总部") && inbox.contains("已逾期 1"), "{inbox}");
    assert!(!cockpit.contains(">工作台</a>"), "no 工作台 in the leader's navigation");
    // Others keep the cockpit as it was, without an inbox on it.
    let admin = app.sign_in("admin").await;
    assert!(!body_text(app.get("/dashboard", Some(&admin)).await).await.contains(r#"id="inbox-summary""#));

    // A member reaches the business environment's appeals: their figures this year.
    let member = workbench(&app, "member").await;
    let figures = section(&member, "scope-figures");
    assert!(figures.contains("企业诉求 2026-01-01 至 2026-05-20"), "{figures}");
    assert_eq!(card(figures, "received_count"), ("0".to_string(), String::new()));
    assert!(section(&member, "shortcuts").contains(&format!(r#"<a href="{}">"#, href("/appeals"))));
}
