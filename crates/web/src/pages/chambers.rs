//! Chamber pages (商协会): the registry with filters, a chamber with its attributed
//! projects, funds in place and activities, the yearly assessment (先进商会) with its
//! weights, each chamber's gap to the rank above and an XLSX download, and the network's
//! report over a period (商会招商工作统计) with its XLSX download, made to be printed.

use crate::auth::{CsrfForm, PageSession};
use crate::error::WebResult;
use crate::pages::{download, export_format, non_empty, pager, query_string};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Datelike;
use minijinja::context;
use serde::Deserialize;
use zhaoshang_app::calendar::today;
use zhaoshang_app::chambers::{
    assessment_table, award_table, network_table, ChamberDetail, ChamberQuery, NetworkQuery, DEFAULT_AWARDS,
};
use zhaoshang_app::AppError;
use zhaoshang_core::calendar::china_time;
use zhaoshang_core::chambers::{ChamberKind, ChamberLevel, Weights, ABROAD};
use zhaoshang_core::colours::map_palette;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::Stage;
use zhaoshang_core::scores::shown_weight;
use zhaoshang_store::chambers::Chamber;

pub const PER_PAGE: i64 = 50;

pub fn routes() -> Routes {
    Routes::new()
        .route("/chambers", get(list))
        .route("/chambers/assessment", get(assessment))
        .route("/chambers/assessment/weights", post(save_weights))
        .route("/chambers/assessment/publish", post(publish))
        .route("/chambers/network", get(network))
        .route("/chambers/{id}", get(detail))
}

fn kind_label(key: &str) -> &'static str {
    ChamberKind::parse(key).map(ChamberKind::label).unwrap_or("")
}

fn level_label(key: &str) -> &'static str {
    ChamberLevel::parse(key).map(ChamberLevel::label).unwrap_or("")
}

fn chamber_row(chamber: &Chamber, location: &str) -> minijinja::Value {
    let d = &chamber.data;
    context! {
        id => chamber.id, name => d.name, kind => kind_label(&d.kind), level => level_label(&d.level),
        location => location, president => d.president, contact => d.contact, phone => d.phone,
        liaison_office => d.liaison_office, members => d.members,
    }
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<ChamberQuery>,
) -> WebResult<Html<String>> {
    let list = state.app.chamber_page(&session.principal, &query, PER_PAGE).await?;
    let rows: Vec<_> = list
        .chambers
        .iter()
        .map(|c| chamber_row(c, list.locations.get(&c.data.location).map(String::as_str).unwrap_or("")))
        .collect();
    let kinds: Vec<&str> = ChamberKind::ALL.iter().map(|k| k.label()).collect();
    let levels: Vec<&str> = ChamberLevel::ALL.iter().map(|l| l.label()).collect();
    let filter =
        query_string(&[("kind", &query.kind), ("level", &query.level), ("location", &query.location), ("q", &query.q)]);
    // The map: each province's chambers under the other filters, a click filters by it.
    let others = query_string(&[("kind", &query.kind), ("level", &query.level), ("q", &query.q)]);
    let located = |location: &str| {
        let location = crate::auth::urlencode(location);
        if others.is_empty() {
            format!("/chambers?location={location}")
        } else {
            format!("/chambers?location={location}&{others}")
        }
    };
    let provinces: Vec<_> = list
        .places
        .provinces
        .iter()
        .map(|(code, count)| {
            let name = list.province_names.get(code).cloned().unwrap_or_else(|| code.clone());
            serde_json::json!({ "code": code, "name": name, "value": count, "href": located(code) })
        })
        .collect();
    let abroad: Vec<_> = list.places.abroad.iter().map(|(place, count)| context! { place, count }).collect();
    let map = serde_json::json!({ "provinces": provinces, "palette": map_palette() });
    page(
        &session,
        "/chambers",
        "chambers/chambers.html",
        context! {
            rows => rows, kinds => kinds, levels => levels, total_count => list.total,
            query => context! { kind => query.kind, level => query.level, location => query.location, q => query.q },
            query_string => filter, may_import => session.principal.edits_records(),
            has_places => !list.places.provinces.is_empty(), map => map, abroad => abroad, abroad_total => list.places.abroad_total(), abroad_href => located(ABROAD),
            unplaced => list.places.unplaced,
            ..pager(query.page, list.total, PER_PAGE)
        },
    )
}

pub async fn detail(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
) -> WebResult<Html<String>> {
    let ChamberDetail {
        chamber,
        location,
        projects,
        project_count,
        project_investment,
        funds_in_place,
        project_region_names: names,
        activities,
    } = state.app.chamber_detail(&session.principal, id).await?;
    let project_rows: Vec<_> = projects
        .iter()
        .map(|p| {
            let d = &p.data;
            context! { id => p.id, code => d.code, name => d.name, region_name => names.get(&d.region_code).cloned().unwrap_or_default(),
                       stage => Stage::parse(&d.stage).map(|s| s.label()).unwrap_or(""), stage_key => d.stage,
                       total_wan => Yuan(d.total_investment).wan_display(), lead_on => d.lead_on.map(|x| x.to_string()),
                       signed_on => d.signed_on.map(|x| x.to_string()) }
        })
        .collect();
    let activity_rows: Vec<_> = activities
        .iter()
        .map(|a| context! { name => a.name, kind => a.kind, start_on => a.start_on.map(|x| x.to_string()), place => a.place, organiser => a.organiser })
        .collect();
    page(
        &session,
        "/chambers",
        "chambers/chamber.html",
        context! {
            c => chamber_row(&chamber, &location), projects => project_rows, project_count => project_count,
            projects_shown => projects.len(), project_investment_wan => project_investment.wan_display(),
            funds_in_place_wan => funds_in_place.wan_display(), activities => activity_rows,
        },
    )
}

#[derive(Deserialize, Default)]
pub struct AssessmentQuery {
    year: Option<String>,
    format: Option<String>,
    /// With a format: the award list (先进商会) of this many chambers instead of the table.
    awards: Option<String>,
}

/// A year typed in a query or a form; none means the last finished year.
fn assessment_year(text: Option<&str>) -> WebResult<i32> {
    // The award goes to a finished year: the last one unless another is asked for.
    Ok(match non_empty(text) {
        None => today().year() - 1,
        Some(text) => {
            text.parse::<i32>().map_err(|_| AppError::bad_request(format!("年度“{text}”无效，应为如 2024 的年份")))?
        }
    })
}

/// How many chambers the award list names: 1 to 1000, 10 unless asked.
fn award_count(text: Option<&str>) -> WebResult<usize> {
    match non_empty(text) {
        None => Ok(DEFAULT_AWARDS),
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=1000).contains(&n) => Ok(n),
            _ => Err(AppError::bad_request(format!("先进商会名额“{text}”无效，应为 1 到 1000 的整数")).into()),
        },
    }
}

pub async fn assessment(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<AssessmentQuery>,
) -> WebResult<Response> {
    let year = assessment_year(query.year.as_deref())?;
    let awards = award_count(query.awards.as_deref())?;
    let view = state.app.chamber_assessment(&session.principal, year).await?;
    let report = view.shown();
    if let Some(format) = export_format(&query.format)? {
        if query.awards.is_some() {
            return download(&award_table(report, awards), format, &format!("chamber-awards-{year}"));
        }
        return download(&assessment_table(report), format, &format!("chamber-assessment-{year}"));
    }
    let weights = |weights: &Weights| -> Vec<minijinja::Value> {
        weights.entries().map(|(key, label, weight)| context! { key, label, weight => shown_weight(weight) }).collect()
    };
    let items: Vec<_> = report
        .items
        .iter()
        .map(|item| {
            context! { rank => item.rank, chamber => item.chamber, leads => item.leads, signed_count => item.signed_count,
                       signed_investment_wan => item.signed_investment_wan, funds_in_place_wan => item.funds_in_place_wan,
                       activities => item.activities, score => format!("{:.2}", item.score), gap => item.gap.map(|gap| format!("{gap:.2}")),
                       award => item.rank <= awards }
        })
        .collect();
    let versions: Vec<_> = view
        .versions
        .iter()
        .map(|v| {
            context! { id => v.id, weights => Weights::from_units(v.units).describe(), by => v.created_by,
                       at => china_time(v.created_at).format("%Y-%m-%d %H:%M").to_string(), in_force => Some(v.id) == view.current_version }
        })
        .collect();
    let published = view.published.as_ref().map(|p| {
        context! { by => p.published_by, at => china_time(p.published_at).format("%Y-%m-%d %H:%M").to_string(),
        version => p.weights_version, differs_today => p.differs_today }
    });
    let html = page(
        &session,
        "/chambers",
        "chambers/assessment.html",
        context! {
            year => year, weights => weights(&report.weights), items => items, versions => versions, published => published,
            current_weights => weights(&view.current.weights), current_version => view.current_version, awards => awards,
            may_administer => session.principal.may_administer(), finished => year < today().year(),
        },
    )?;
    Ok(html.into_response())
}

#[derive(Deserialize, Default)]
pub struct WeightsForm {
    leads: String,
    signed_count: String,
    signed_investment_wan: String,
    funds_in_place_wan: String,
    activities: String,
    year: Option<String>,
}

/// New weights (admin): a new version in force from now; back to the year's page.
pub async fn save_weights(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<WeightsForm>,
) -> WebResult<Response> {
    let typed = [
        form.leads.as_str(),
        form.signed_count.as_str(),
        form.signed_investment_wan.as_str(),
        form.funds_in_place_wan.as_str(),
        form.activities.as_str(),
    ];
    state.app.set_chamber_weights(&session.principal, &session.actor(), typed).await?;
    let year = assessment_year(form.year.as_deref())?;
    Ok(Redirect::to(&format!("/chambers/assessment?year={year}")).into_response())
}

#[derive(Deserialize, Default)]
pub struct PublishForm {
    year: String,
}

/// Publishes a finished year's result (admin, once).
pub async fn publish(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<PublishForm>,
) -> WebResult<Response> {
    let year = assessment_year(Some(&form.year))?;
    state.app.publish_chamber_assessment(&session.principal, &session.actor(), year).await?;
    Ok(Redirect::to(&format!("/chambers/assessment?year={year}")).into_response())
}

/// 商会招商工作统计: the activities chambers took part in, by kind, and the projects signed
/// through them, for the region and period asked (this year in the user's region unless
/// asked); printed with the browser, downloaded as XLSX.
pub async fn network(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<NetworkQuery>,
) -> WebResult<Response> {
    let report = state.app.chamber_network(&session.principal, &query).await?;
    let (from, to) = (report.period.from, report.period.to);
    if let Some(format) = export_format(&query.format)? {
        return download(&network_table(&report), format, &format!("chamber-network-{from}-{to}"));
    }
    let kinds: Vec<_> = report
        .kinds
        .iter()
        .map(|k| context! { kind => k.kind, activities => k.activities, chambers => k.chambers })
        .collect();
    let rows: Vec<_> = report
        .rows
        .iter()
        .map(|row| {
            context! { chamber => row.chamber, id => row.chamber_id, activities => row.activities,
            signed_count => row.projects.signed_count, signed_wan => row.projects.signed_investment.wan_string(),
            funds_wan => row.projects.funds_in_place.wan_string() }
        })
        .collect();
    let activities: Vec<_> = report
        .activities
        .iter()
        .map(|a| context! { name => a.name, kind => a.kind, start_on => a.start_on.map(|d| d.to_string()), place => a.place, chambers => a.chambers.join("、") })
        .collect();
    let total = &report.total;
    let html = page(
        &session,
        "/chambers",
        "chambers/network.html",
        context! {
            region => report.region.as_str(), region_name => report.region_name, from => from.to_string(), to => to.to_string(),
            kinds => kinds, rows => rows, activities => activities,
            signed_count => total.signed_count, signed_wan => total.signed_investment.wan_string(),
            signed_yi => total.signed_investment.yi_display(), funds_wan => total.funds_in_place.wan_string(),
        },
    )?;
    Ok(html.into_response())
}
