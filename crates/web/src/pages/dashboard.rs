//! 招商引资驾驶舱: the figures of a scope and period with year on year, target
//! against time progress per region, monthly trends, a ranking and a map. Every
//! figure links to the list behind it.

use crate::assets::asset_url;
use crate::auth::PageSession;
use crate::error::WebResult;
use crate::pages::{download_bytes, XLSX};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::State;
use axum::response::{Html, Response};
use axum::routing::get;
use minijinja::context;
use serde::{Deserialize, Serialize};
use zhaoshang_app::calendar::today;
use zhaoshang_app::dashboard::{Dashboard, DashboardScope};
use zhaoshang_core::access::Section;
use zhaoshang_core::colours::map_palette;
use zhaoshang_core::metrics::{InvestmentReport, Period};
use zhaoshang_core::money::Yuan;
use zhaoshang_core::periods::PeriodPreset;
use zhaoshang_core::regions::{RegionCode, RegionLevel};
use zhaoshang_core::statistical_report::{Line, ReportMonth};

pub fn routes() -> Routes {
    Routes::new()
        .route("/dashboard", get(dashboard))
        .route("/reports/monthly", get(monthly_report))
        .route("/reports/monthly/view", get(statistical_report_page))
}

#[derive(Deserialize, Default)]
pub struct DashboardQuery {
    pub region: Option<String>,
    /// A preset's key (`month`, `quarter`, `year`, `last_year`); else `from` and `to`.
    pub period: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Deserialize)]
pub struct ReportQuery {
    pub region: Option<String>,
    /// `YYYY-MM`, an ended month; the latest ended month where absent.
    pub month: Option<String>,
}

/// The scope and period of a request, checked against what the user may see.
pub(crate) async fn scope_and_period(
    state: &AppState,
    session: &crate::auth::Session,
    query: &DashboardQuery,
) -> WebResult<DashboardScope> {
    let (region, preset) = (query.region.as_deref(), query.period.as_deref());
    let (from, to) = (query.from.as_deref(), query.to.as_deref());
    Ok(state.app.dashboard_scope(&session.principal, region, preset, from, to).await?)
}

pub(crate) fn percent(value: Option<f64>) -> String {
    value.map(|v| format!("{:.2}%", v * 100.0)).unwrap_or_else(|| "—".into())
}

/// A figure's card: its value, its change on last year's (empty where none is kept) and
/// the list behind it.
#[derive(Serialize)]
pub(crate) struct Card {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    pub unit: &'static str,
    pub yoy: String,
    pub yoy_up: Option<bool>,
    pub href: String,
}

fn yoy_text(value: Option<f64>) -> (String, Option<bool>) {
    match value {
        Some(v) => (format!("{}{:.1}%", if v >= 0.0 { "+" } else { "" }, v * 100.0), Some(v >= 0.0)),
        None => ("—".into(), None),
    }
}

pub(crate) fn cards(report: &InvestmentReport, figures_query: &str) -> Vec<Card> {
    let drill = |kind: &str| format!("/projects?drill={kind}&{figures_query}");
    let yi = |wan: &str| Yuan::parse_wan(wan).map(|y| y.yi_display()).unwrap_or_default();
    let card = |key, label, value: String, unit, yoy: Option<f64>, href: String| {
        let (yoy, yoy_up) = yoy_text(yoy);
        Card { key, label, value, unit, yoy, yoy_up, href }
    };
    vec![
        card(
            "signed_count",
            "签约项目",
            report.signed_count.to_string(),
            "个",
            report.yoy.signed_count,
            drill("signed"),
        ),
        card(
            "signed_investment",
            "签约投资额",
            yi(&report.signed_investment_wan),
            "亿元",
            report.yoy.signed_investment_wan,
            drill("signed"),
        ),
        card(
            "funds_in_place",
            "到位资金",
            yi(&report.funds_in_place_wan),
            "亿元",
            report.yoy.funds_in_place_wan,
            format!("/funding?{figures_query}"),
        ),
        card(
            "arrival_rate",
            "资金到位率",
            percent(report.arrival_rate),
            "",
            report.yoy.arrival_rate,
            format!("/funding?{figures_query}"),
        ),
        card("start_rate", "开工率", percent(report.start_rate), "", report.yoy.start_rate, drill("started")),
        card(
            "over_100m_count",
            "亿元以上项目",
            report.over_100m_count.to_string(),
            "个",
            report.yoy.over_100m_count,
            drill("over_100m"),
        ),
        card(
            "implementing_count",
            "实施项目",
            report.implementing_count.to_string(),
            "个",
            report.yoy.implementing_count,
            drill("implementing"),
        ),
        card(
            "completion_rate",
            "建成投产率",
            percent(report.completion_rate),
            "",
            report.yoy.completion_rate,
            drill("producing"),
        ),
    ]
}

/// The ranking's row of one sub-region (or of the region's own level), which is also
/// its datum on the map.
#[derive(Serialize)]
struct RegionRow {
    code: String,
    name: String,
    query: String,
    /// Its own cockpit, when the user may see it.
    href: Option<String>,
    signed_count: i64,
    signed_yi: String,
    funds_yi: String,
    /// The map's metrics: 亿元, and percent of the year's target.
    funds: f64,
    signed: f64,
    completion: Option<f64>,
    arrival: String,
    start_rate: String,
    funds_yoy: String,
    target_completion: String,
    light: &'static str,
    light_label: &'static str,
}

fn region_row(name: &str, code: &str, period: &Period, report: &InvestmentReport, may_open: bool) -> RegionRow {
    let light = report.target_light();
    let query = format!("region={}&from={}&to={}", code, period.from, period.to);
    let yuan = |wan: &str| Yuan::parse_wan(wan).unwrap_or_default();
    let (funds, signed) = (yuan(&report.funds_in_place_wan), yuan(&report.signed_investment_wan));
    RegionRow {
        code: code.to_string(),
        name: name.to_string(),
        href: may_open.then(|| format!("/dashboard?{query}")),
        query,
        signed_count: report.signed_count,
        signed_yi: signed.yi_display(),
        funds_yi: funds.yi_display(),
        funds: funds.0 as f64 / 1e8,
        signed: signed.0 as f64 / 1e8,
        completion: report.target_completion.map(|v| (v * 1000.0).round() / 10.0),
        arrival: percent(report.arrival_rate),
        start_rate: percent(report.start_rate),
        funds_yoy: yoy_text(report.yoy.funds_in_place_wan).0,
        target_completion: percent(report.target_completion),
        light: light.key(),
        light_label: light.label(),
    }
}

/// The map of a region's sub-regions, if the binary holds one: the province's cities,
/// a city's counties (a URL built from our own asset names: safe in a page).
fn map_url(region: &RegionCode) -> Option<String> {
    match region.level() {
        RegionLevel::Province if region.as_str() == "620000" => asset_url("maps/gansu.json"),
        RegionLevel::City => asset_url(&format!("maps/{region}.json")),
        _ => None,
    }
}

pub async fn dashboard(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<DashboardQuery>,
) -> WebResult<Html<String>> {
    let DashboardScope { region, period, preset } = scope_and_period(&state, &session, &query).await?;
    let Dashboard { region, region_name, period, report, children, own_level, months, signed_by_month, funds_by_month } =
        state.app.dashboard(&session.principal, region, period).await?;
    let presets: Vec<_> = PeriodPreset::ALL
        .into_iter()
        .map(|p| context! { key => p.key(), label => p.label(), active => preset == Some(p) })
        .collect();
    let figures_query = format!("region={}&from={}&to={}", region, period.from, period.to);
    let rows: Vec<_> = children
        .iter()
        .map(|(child, code, child_report)| {
            region_row(&child.name, code.as_str(), &period, child_report, session.principal.may_see_statistics_of(code))
        })
        .collect();
    // Its figures beside the ranking, not ranked; no list holds that code alone.
    let own_level_row = own_level.as_ref().map(|own| {
        let label = if region.level() == RegionLevel::Province { "省本级" } else { "市本级" };
        region_row(label, region.as_str(), &period, own, false)
    });

    let amount_of = |series: &std::collections::HashMap<String, i64>, month: &str| {
        series.get(month).map(|amount| (*amount as f64 / 1e6).round() / 100.0).unwrap_or(0.0)
    };
    let signed: Vec<f64> = months.iter().map(|m| amount_of(&signed_by_month, m)).collect();
    let funds: Vec<f64> = months.iter().map(|m| amount_of(&funds_by_month, m)).collect();
    let trend_empty = signed.iter().chain(&funds).all(|amount| *amount == 0.0);
    let map_url = map_url(&region);
    let map_empty = children.iter().all(|(_, _, child)| !child.has_figures());
    let chart = serde_json::json!({
        "months": months,
        "signed": signed,
        "funds": funds,
        "palette": map_palette(),
        "regions": rows,
    });
    let light = report.target_light();
    // Whoever lands here (a leader) finds its inbox here too.
    let inbox = match session.principal.landing() {
        Section::Dashboard => Some(state.app.inbox_summary(&session.principal).await?),
        _ => None,
    };
    page(
        &session,
        "/dashboard",
        "dashboard/dashboard.html",
        context! {
            region => region.as_str(), region_name => region_name, from => period.from.to_string(), to => period.to.to_string(),
            presets => presets, custom => preset.is_none(), caption => preset.map_or("自定义", PeriodPreset::caption),
            cards => cards(&report, &figures_query), rows => rows, own_level => own_level_row, chart => chart,
            trend_empty => trend_empty, map_url => map_url.map(minijinja::Value::from_safe_string), map_empty => map_empty,
            target_completion => percent(report.target_completion), time_progress => percent(Some(report.time_progress)),
            light => light.key(), light_label => light.label(), figures_query => figures_query, inbox => inbox,
            report_query => report_query(&region, ReportMonth::ended_by(period.to.min(today()))),
        },
    )
}

/// A table's line as the printable page shows it: money in 亿元, ratios in percent.
fn line_row(line: &Line, total: &Line, is_total: bool) -> minijinja::Value {
    let (figures, yoy) = (&line.current, line.yoy());
    context! {
        label => line.label, of_which => line.of_which, total => is_total,
        signed_count => figures.signed_count, signed_yoy => yoy_text(yoy.signed_count).0,
        signed_yi => figures.signed_investment.yi_display(), signed_investment_yoy => yoy_text(yoy.signed_investment_wan).0,
        share => percent(line.share_of(total)), over_100m => figures.over_100m_count,
        started => figures.started_count, start_rate => percent(figures.start_rate()),
        implementing => figures.implementing_count, implementing_yi => figures.implementing_investment.yi_display(),
        funds_yi => figures.funds_in_place.yi_display(), funds_yoy => yoy_text(yoy.funds_in_place_wan).0,
        outside_yi => figures.funds_outside_province.yi_display(), arrival => percent(figures.arrival_rate()),
    }
}

/// 招商引资情况统计报表 as a printable page: every table of the workbook, money in 亿元,
/// each with a chart of its parts' signed investment and funds in place.
pub async fn statistical_report_page(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<ReportQuery>,
) -> WebResult<Html<String>> {
    let principal = &session.principal;
    let (region, month) =
        state.app.statistical_report_scope(principal, query.region.as_deref(), query.month.as_deref()).await?;
    let report = state.app.statistical_report(principal, &region, month).await?;
    let yi = |yuan: Yuan| (yuan.0 as f64 / 1e6).round() / 100.0;
    let mut charts = Vec::new();
    let tables: Vec<_> = report
        .tables
        .iter()
        .enumerate()
        .map(|(index, table)| {
            let id = format!("report-chart-{}", table.breakdown.key());
            let parts: Vec<&Line> = table.lines.iter().filter(|line| !line.of_which).collect();
            let empty =
                parts.iter().all(|line| line.current.signed_investment.0 == 0 && line.current.funds_in_place.0 == 0);
            if !empty {
                charts.push(serde_json::json!({
                    "id": id,
                    "labels": parts.iter().map(|line| line.label.as_str()).collect::<Vec<_>>(),
                    "signed": parts.iter().map(|line| yi(line.current.signed_investment)).collect::<Vec<_>>(),
                    "funds": parts.iter().map(|line| yi(line.current.funds_in_place)).collect::<Vec<_>>(),
                }));
            }
            let rows: Vec<_> = std::iter::once(line_row(&table.total, &table.total, true))
                .chain(table.lines.iter().map(|line| line_row(line, &table.total, false)))
                .collect();
            context! {
                number => index + 1, key => table.breakdown.key(), label => table.breakdown.label(),
                chart_id => id, empty => empty, rows => rows,
            }
        })
        .collect();
    page(
        &session,
        "/dashboard",
        "dashboard/statistical_report.html",
        context! {
            title => report.title(), region => region.as_str(), region_name => report.region_name,
            from => report.period.from.to_string(), to => report.period.to.to_string(),
            month => month.to_string(), latest => ReportMonth::ended_by(today()).to_string(),
            tables => tables, charts => charts, report_query => report_query(&region, month),
        },
    )
}

/// 招商引资情况统计报表 as Excel: 1 January to the month's end.
pub async fn monthly_report(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<ReportQuery>,
) -> WebResult<Response> {
    let principal = &session.principal;
    let (region, month) =
        state.app.statistical_report_scope(principal, query.region.as_deref(), query.month.as_deref()).await?;
    let bytes = state.app.monthly_report(principal, &region, month).await?;
    let file_name = format!("monthly-report-{}-{}.xlsx", region, month.to_string().replace('-', ""));
    Ok(download_bytes(bytes, XLSX, &file_name))
}

/// The query of a region's report for a month.
fn report_query(region: &RegionCode, month: ReportMonth) -> String {
    format!("region={region}&month={month}")
}
