//! 领导简报: one page of a region and period for a leader to print before a meeting,
//! shown in the application and printed to PDF by headless Chromium.

use crate::auth::PageSession;
use crate::error::WebResult;
use crate::pages::dashboard::{cards, percent, scope_and_period, DashboardQuery};
use crate::pages::pdf_download;
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::{page, render};
use crate::AppState;
use axum::extract::State;
use axum::response::{Html, Response};
use axum::routing::get;
use minijinja::context;
use zhaoshang_app::briefing::Briefing;
use zhaoshang_app::dashboard::DashboardScope;
use zhaoshang_core::money::Yuan;

pub fn routes() -> Routes {
    Routes::new().route("/reports/briefing", get(briefing_page)).route("/reports/briefing/pdf", get(briefing_pdf))
}

/// Height of the monthly chart's plot, in SVG units.
const PLOT_HEIGHT: f64 = 120.0;
const BAR_WIDTH: f64 = 14.0;
const MONTH_WIDTH: f64 = 40.0;

/// The monthly chart as SVG shapes: per month two bars (signed investment, funds in
/// place) scaled to the largest amount, with their labels (escaped by the template).
fn month_bars(briefing: &Briefing) -> minijinja::Value {
    let amount = |series: &std::collections::HashMap<String, i64>, month: &str| *series.get(month).unwrap_or(&0);
    let largest = briefing
        .months
        .iter()
        .flat_map(|m| [amount(&briefing.signed_by_month, m), amount(&briefing.funds_by_month, m)])
        .max()
        .unwrap_or(0)
        .max(1);
    let height = |yuan: i64| (yuan as f64 / largest as f64 * PLOT_HEIGHT).max(0.0);
    let months: Vec<_> = briefing
        .months
        .iter()
        .enumerate()
        .map(|(index, month)| {
            let x = index as f64 * MONTH_WIDTH + 6.0;
            let (signed, funds) = (amount(&briefing.signed_by_month, month), amount(&briefing.funds_by_month, month));
            context! {
                label => month.get(5..).map(|m| format!("{}月", m.trim_start_matches('0'))).unwrap_or_default(),
                x => x, funds_x => x + BAR_WIDTH, label_x => x + BAR_WIDTH,
                signed_h => height(signed), signed_y => PLOT_HEIGHT - height(signed),
                funds_h => height(funds), funds_y => PLOT_HEIGHT - height(funds),
                signed_yi => Yuan(signed).yi_display(), funds_yi => Yuan(funds).yi_display(),
            }
        })
        .collect();
    context! {
        months => months, width => briefing.months.len() as f64 * MONTH_WIDTH + 12.0,
        plot_height => PLOT_HEIGHT, bar_width => BAR_WIDTH, largest_yi => Yuan(largest).yi_display(),
        empty => briefing.months.iter().all(|m| amount(&briefing.signed_by_month, m) == 0 && amount(&briefing.funds_by_month, m) == 0),
    }
}

/// What the page and the document show.
fn briefing_context(briefing: &Briefing) -> minijinja::Value {
    let report = &briefing.report;
    let figures_query = format!("region={}&from={}&to={}", briefing.region, briefing.period.from, briefing.period.to);
    let project = |p: &zhaoshang_store::projects::Project| {
        let d = &p.data;
        context! {
            code => d.code, name => d.name, investor => d.investor,
            total_yi => Yuan(d.total_investment).yi_display(),
            signed_on => d.signed_on.map(|d| d.to_string()).unwrap_or_default(),
        }
    };
    let ranking = briefing.ranking.as_ref().map(|r| {
        context! {
            quarter => r.quarter.label(), parent => r.parent_name, rank => r.item.rank, of => r.of,
            previous_rank => r.item.previous_rank, score => format!("{:.2}", r.item.score),
            awards => r.item.awards.iter().map(|a| a.label()).collect::<Vec<_>>(),
        }
    });
    let light = report.target_light();
    context! {
        title => format!("{}招商引资工作简报", briefing.region_name),
        region => briefing.region.as_str(), region_name => briefing.region_name,
        from => briefing.period.from.to_string(), to => briefing.period.to.to_string(), today => briefing.today.to_string(),
        cards => cards(report, &figures_query), figures_query => figures_query,
        target_completion => percent(report.target_completion), time_progress => percent(Some(report.time_progress)),
        light => light.key(), light_label => light.label(), ranking => ranking,
        top_projects => briefing.top_projects.iter().map(project).collect::<Vec<_>>(),
        stalled_projects => briefing.stalled_projects.iter().map(project).collect::<Vec<_>>(),
        stalled_days => zhaoshang_app::briefing::STALLED_AFTER_DAYS,
        overdue_appeal_count => briefing.overdue_appeal_count,
        overdue_appeals => briefing.overdue_appeals.iter().map(|a| context! {
            code => a.data.code, enterprise => a.data.enterprise, department => a.data.department,
            due_on => a.data.due_on.to_string(),
        }).collect::<Vec<_>>(),
        overdue_tasks => briefing.overdue_tasks.iter().map(|t| context! {
            report => t.report_title, department => t.department, deadline => t.deadline.to_string(),
        }).collect::<Vec<_>>(),
        chart => month_bars(briefing),
    }
}

async fn requested(state: &AppState, session: &crate::auth::Session, query: &DashboardQuery) -> WebResult<Briefing> {
    let DashboardScope { region, period, .. } = scope_and_period(state, session, query).await?;
    Ok(state.app.briefing(&session.principal, region, period).await?)
}

pub async fn briefing_page(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<DashboardQuery>,
) -> WebResult<Html<String>> {
    let briefing = requested(&state, &session, &query).await?;
    page(&session, "/dashboard", "dashboard/briefing.html", briefing_context(&briefing))
}

/// The briefing as a PDF (A4, one page), printed by headless Chromium.
pub async fn briefing_pdf(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<DashboardQuery>,
) -> WebResult<Response> {
    let briefing = requested(&state, &session, &query).await?;
    let html = render("documents/briefing.html", briefing_context(&briefing))?;
    pdf_download(html, &format!("{}招商引资工作简报-{}.pdf", briefing.region_name, briefing.period.to)).await
}
