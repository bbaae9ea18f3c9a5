//! The workbench (工作台): the user's inbox, the figures of its scope this year, the
//! recent changes in its scope and shortcuts to its tasks (app::workbench). A leader's
//! `/` is the cockpit.

use crate::auth::PageSession;
use crate::error::WebResult;
use crate::pages::dashboard::{cards, percent, Card};
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use minijinja::{context, Value};
use zhaoshang_app::workbench::{ScopeFigures, Workbench, RECENT_DAYS};
use zhaoshang_core::access::{Principal, RecordScope, Role, Section};
use zhaoshang_core::appeals::AppealReport;

pub fn routes() -> Routes {
    Routes::new().route("/", get(home))
}

/// The cockpit's cards the workbench shows.
const INVESTMENT_FIGURES: [&str; 4] = ["signed_count", "signed_investment", "funds_in_place", "start_rate"];

/// What the role will find here as its areas land, said plainly while it has little.
fn coming(role: Role) -> Option<&'static str> {
    match role {
        Role::Member => Some(
            "所在助力小组的企业、项目和走访记录将随“组织与人员”模块上线后在此显示；目前可查看企业诉求和产业链图谱。",
        ),
        Role::Reviewer => Some("科技成果评审任务将随“科技成果转化池”模块上线后列入待办；目前暂无评审任务。"),
        Role::Investor => {
            Some("园区和可供地块可在“在线选地”查看、比较和按需求匹配；公开的招商项目和科技成果将随投资者门户上线后在此显示。")
        }
        Role::Admin | Role::Region | Role::Chain | Role::Leader | Role::Liaison => None,
    }
}

/// Whose changes the recent changes are, as the page says it; `None` for roles that
/// read no records.
fn changes_scope(principal: &Principal, region_name: Option<&str>) -> Option<String> {
    match (principal.role, principal.record_scope()) {
        (Role::Admin, _) => Some("全部变更".into()),
        (Role::Chain, _) => Some("所负责产业链的项目、一企一案和产业链".into()),
        (_, RecordScope::Nothing) => None,
        (_, RecordScope::Within(_)) => Some(format!("{}及下辖地区的记录", region_name.unwrap_or("本地区"))),
        (_, RecordScope::All) => Some("各地区的记录".into()),
    }
}

fn appeal_cards(report: &AppealReport) -> Vec<Card> {
    let card = |key, label, value: String, unit| Card {
        key,
        label,
        value,
        unit,
        yoy: String::new(),
        yoy_up: None,
        href: "/appeals".into(),
    };
    vec![
        card("received_count", "受理诉求", report.received_count.to_string(), "件"),
        card("overdue_count", "逾期未答复", report.overdue_count.to_string(), "件"),
        card("on_time_rate", "按时答复率", percent(report.on_time_rate), ""),
        card("satisfaction_rate", "满意率", percent(report.satisfaction_rate), ""),
    ]
}

fn figures_view(principal: &Principal, figures: ScopeFigures) -> Value {
    match figures {
        ScopeFigures::Investment { region, region_name, period, report } => {
            // A chain department's figures are those of its chains' projects only.
            let scope = if principal.project_scope_needs_chains() {
                format!("{region_name} · 所负责产业链")
            } else {
                region_name
            };
            let query = format!("region={}&from={}&to={}", region, period.from, period.to);
            let cards: Vec<Card> =
                cards(&report, &query).into_iter().filter(|c| INVESTMENT_FIGURES.contains(&c.key)).collect();
            context! {
                kind => "investment", scope => scope, from => period.from.to_string(),
                to => period.to.to_string(), cards => cards,
            }
        }
        ScopeFigures::Appeals { region_name, report } => context! {
            kind => "appeals", scope => region_name, from => report.from.to_string(), to => report.to.to_string(),
            cards => appeal_cards(&report),
        },
        ScopeFigures::Nothing => context! { kind => "nothing" },
    }
}

pub async fn home(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Response> {
    let principal = &session.principal;
    let landing = principal.landing();
    if landing != Section::Workbench {
        return Ok(Redirect::to(landing.href()).into_response());
    }
    let region_name = match &principal.region {
        Some(code) => state.app.region(code.as_str()).await?.map(|r| r.name),
        None => None,
    };
    let Workbench { inbox, figures, changes, shortcuts } = state.app.workbench(principal).await?;
    let shortcuts: Vec<_> = shortcuts
        .into_iter()
        .map(|(section, task)| context! { href => section.href(), label => section.label(), task => task })
        .collect();
    let html = page(
        &session,
        "/",
        "home/home.html",
        context! {
            region_name => region_name.clone(), today => zhaoshang_app::calendar::today().to_string(),
            inbox => inbox, figures => figures_view(principal, figures), shortcuts => shortcuts, coming => coming(principal.role),
            changes => changes, changes_scope => changes_scope(principal, region_name.as_deref()), recent_days => RECENT_DAYS,
        },
    )?;
    Ok(html.into_response())
}
