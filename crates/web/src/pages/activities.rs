//! Activity pages (招商活动): the list with its filters, order, pages and export, a
//! month's calendar, an activity's page with what came of it (projects signed, leads,
//! enterprises met, the outcome report and files), and the forms that record and edit
//! one.

use crate::auth::{CsrfForm, PageSession, Session};
use crate::error::WebResult;
use crate::pages::attachments;
use crate::pages::portal::region_choices;
use crate::pages::unprocessable;
use crate::pages::{download, export_format, non_empty, pager, query_string};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use minijinja::{context, Value};
use std::collections::HashMap;
use zhaoshang_app::activities::{ActivityQuery, CohortReport, DEFAULT_LAG_MONTHS, PER_PAGE};
use zhaoshang_core::activities::{participants_text, ActivitySort, CurvePoint, FieldErrors, KINDS};
use zhaoshang_core::attachments::OwnerKind;
use zhaoshang_core::calendar::weekday_label;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::Stage;
use zhaoshang_store::activities::Activity;

pub fn routes() -> Routes {
    Routes::new()
        .route("/activities", get(list).post(create))
        .route("/activities/new", get(new_form))
        .route("/activities/calendar", get(calendar))
        .route("/activities/cohorts", get(cohorts))
        .route("/activities/{id}/cohort", get(cohort))
        .route("/activities/{id}", get(detail).post(update))
        .route("/activities/{id}/edit", get(edit_form))
}

fn dates(activity: &Activity) -> String {
    match (activity.start_on, activity.end_on) {
        (Some(start), Some(end)) if end != start => format!("{start} 至 {end}"),
        (Some(start), _) => start.to_string(),
        _ => String::new(),
    }
}

fn activity_context(activity: &Activity, region_name: &str) -> Value {
    context! { id => activity.id, name => activity.name, kind => activity.kind, dates => dates(activity),
    place => activity.place, organiser => activity.organiser, region => region_name,
    chambers => activity.chambers.join("、"), participants => participants_text(&activity.participants) }
}

fn filter_query_string(query: &ActivityQuery) -> String {
    query_string(&[
        ("kind", &query.kind),
        ("region", &query.region),
        ("from", &query.from),
        ("to", &query.to),
        ("q", &query.q),
        ("sort", &query.sort),
    ])
}

fn filter_context(query: &ActivityQuery) -> Value {
    context! { kind => query.kind, region => query.region, from => query.from, to => query.to, q => query.q,
    sort => query.sort }
}

/// The cities the filter offers.
async fn city_choices(state: &AppState) -> WebResult<Vec<Value>> {
    let cities = state.app.portal_regions().await?;
    Ok(cities.iter().map(|c| context! { code => c.city.code, name => c.city.name }).collect())
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<ActivityQuery>,
) -> WebResult<Response> {
    let principal = &session.principal;
    if let Some(format) = export_format(&query.format)? {
        let table = state.app.activity_export(principal, &query).await?;
        return download(&table, format, "activities");
    }
    let list = state.app.activity_page(principal, &query).await?;
    let rows: Vec<_> = list
        .rows
        .iter()
        .map(|row| {
            let region = row.activity.region_code.as_ref().and_then(|c| list.region_names.get(c));
            context! { signed_count => row.signed_count, ..activity_context(&row.activity, region.map_or("省级", String::as_str)) }
        })
        .collect();
    let sorts: Vec<_> = ActivitySort::ALL.iter().map(|s| context! { key => s.key(), label => s.label() }).collect();
    let html = page(
        &session,
        "/activities",
        "activities/activities.html",
        context! { rows, total_count => list.count, kinds => KINDS, cities => city_choices(&state).await?, sorts,
        query => filter_context(&query), sort => list.sort.key(), query_string => filter_query_string(&query),
        may_create => principal.may_record_activities(),
        may_plan_travel => principal.travel_scope() != zhaoshang_core::access::RecordScope::Nothing, ..pager(Some(list.page), list.count, PER_PAGE) },
    )?;
    Ok(html.into_response())
}

/// A month's calendar: weeks from Monday, each day with the activities running on it,
/// the official rest days (weekends, holidays, not the make-up working days) marked.
pub async fn calendar(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<ActivityQuery>,
) -> WebResult<Html<String>> {
    let (first, activities) = state.app.activity_month(&session.principal, &query).await?;
    let official = state.app.calendar().await?;
    let next = first + chrono::Months::new(1);
    let last = next.pred_opt().unwrap_or(first);
    let mut day = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let mut weeks = Vec::new();
    while day <= last {
        let week: Vec<_> = (0..7)
            .map(|offset| {
                let d = day + Duration::days(offset);
                let running: Vec<_> = activities
                    .iter()
                    .filter(|a| a.start_on.is_some_and(|s| s <= d && d <= a.end_on.unwrap_or(s)))
                    .map(|a| context! { id => a.id, name => a.name, kind => a.kind })
                    .collect();
                context! { day => d.day(), date => d.to_string(), in_month => d.month() == first.month(),
                rest => !official.is_working_day(d), activities => running }
            })
            .collect();
        weeks.push(week);
        day += Duration::days(7);
    }
    let weekdays: Vec<_> =
        std::iter::successors(Some(Weekday::Mon), |d| Some(d.succ())).take(7).map(weekday_label).collect();
    let month_key = |d: NaiveDate| d.format("%Y-%m").to_string();
    let qs = filter_query_string(&query);
    page(
        &session,
        "/activities",
        "activities/calendar.html",
        context! { weeks, weekdays, month => month_key(first), title => format!("{}年{}月", first.year(), first.month()),
        previous => month_key(first - chrono::Months::new(1)), next => month_key(next), count => activities.len(),
        kinds => KINDS, cities => city_choices(&state).await?, query => filter_context(&query), query_string => qs },
    )
}

pub async fn detail(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    let view = state.app.activity_view(&session.principal, &id).await?;
    let a = &view.activity;
    let projects: Vec<_> = view
        .projects
        .iter()
        .map(|p| {
            let d = &p.data;
            context! { code => d.code, name => d.name, investor => d.investor, wan => Yuan(d.total_investment).wan_string(),
            stage => Stage::parse(&d.stage).map_or(d.stage.clone(), |s| s.label().to_string()),
            signed_on => d.signed_on.map(|d| d.to_string()) }
        })
        .collect();
    let leads: Vec<_> =
        view.leads.iter().map(|(id, investor, _, on)| context! { id, investor, lead_on => on.to_string() }).collect();
    let participants: Vec<_> =
        a.participants.iter().map(|p| context! { name => p.name, role => p.role.label() }).collect();
    let enterprises: Vec<_> =
        a.enterprises.iter().map(|e| context! { id => e.id, name => e.name, credit_code => e.credit_code }).collect();
    let attachments = attachments::section(&state, &session, OwnerKind::Activity, &a.id.to_string()).await?;
    let region = if view.region_name.is_empty() { "省级" } else { view.region_name.as_str() };
    page(
        &session,
        "/activities",
        "activities/activity.html",
        context! { activity => activity_context(a, region), outcome => a.outcome, participants, enterprises,
        chamber_list => a.chambers, projects, leads, attachments, may_edit => view.may_edit },
    )
}

async fn activity_form(
    state: &AppState,
    session: &Session,
    id: Option<i64>,
    values: &HashMap<String, String>,
    errors: &FieldErrors,
) -> WebResult<Html<String>> {
    let regions = region_choices(&state.app.activity_regions(&session.principal).await?);
    page(
        session,
        "/activities",
        "activities/form.html",
        context! { id, regions, kinds => KINDS, values, errors, province => session.principal.may_write_activity_of(None) },
    )
}

pub async fn new_form(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let mut values = HashMap::from([("kind".to_string(), KINDS[0].to_string())]);
    if let Some(region) = &session.principal.region {
        values.insert("region".to_string(), region.to_string());
    }
    activity_form(&state, &session, None, &values, &FieldErrors::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.save_activity(&session.principal, &session.actor(), None, &values).await? {
        Ok(id) => Ok(Redirect::to(&format!("/activities/{id}")).into_response()),
        Err(errors) => Ok(unprocessable(activity_form(&state, &session, None, &values, &errors).await?)),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Html<String>> {
    let a = state.app.editable_activity(&session.principal, &id).await?;
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let values = HashMap::from([
        ("name".to_string(), a.name.clone()),
        ("kind".to_string(), a.kind.clone()),
        ("start_on".to_string(), date(a.start_on)),
        ("end_on".to_string(), date(a.end_on)),
        ("place".to_string(), a.place.clone()),
        ("organiser".to_string(), a.organiser.clone()),
        ("region".to_string(), a.region_code.clone().unwrap_or_default()),
        ("participants".to_string(), participants_text(&a.participants)),
        ("chambers".to_string(), a.chambers.join("、")),
        ("enterprises".to_string(), a.enterprises.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join("\n")),
        ("outcome".to_string(), a.outcome.clone()),
    ]);
    activity_form(&state, &session, Some(a.id), &values, &FieldErrors::new()).await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, values): CsrfForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match state.app.save_activity(&session.principal, &session.actor(), Some(&id), &values).await? {
        Ok(id) => Ok(Redirect::to(&format!("/activities/{id}")).into_response()),
        Err(errors) => {
            let a = state.app.editable_activity(&session.principal, &id).await?;
            Ok(unprocessable(activity_form(&state, &session, Some(a.id), &values, &errors).await?))
        }
    }
}

/// A cohort page's request: the day its figures stand on (today when absent) and, for
/// the follow-up list, the months after which a project should have started; for the
/// side-by-side table, the activities (ids, comma-separated; every 兰洽会 when absent).
#[derive(serde::Deserialize)]
pub struct CohortQuery {
    to: Option<String>,
    months: Option<String>,
    ids: Option<String>,
}

impl CohortQuery {
    fn to(&self) -> WebResult<NaiveDate> {
        Ok(zhaoshang_app::stats::optional_date(&self.to, "截止日期")?.unwrap_or_else(zhaoshang_app::calendar::today))
    }
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), |rate| format!("{:.2}%", rate * 100.0))
}

fn report_context(report: &CohortReport) -> Value {
    context! { signed_count => report.signed_count, signed_investment_wan => report.signed_investment_wan,
    funds_in_place_wan => report.funds_in_place_wan, arrival_rate => percent(report.arrival_rate),
    started_count => report.started_count, start_rate => percent(report.start_rate),
    producing_count => report.producing_count, completion_rate => percent(report.completion_rate) }
}

/// Which share of a curve's point a line draws.
type Share = fn(&CurvePoint) -> Option<f64>;

/// A curve's line of [months, share] points (points without a share left out).
fn line(name: &str, curve: &[CurvePoint], share: Share) -> Value {
    let points: Vec<_> = curve.iter().filter_map(|p| share(p).map(|s| (p.months, s))).collect();
    context! { name, points }
}

pub async fn cohort(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
    Query(query): Query<CohortQuery>,
) -> WebResult<Html<String>> {
    let months =
        match non_empty(query.months.as_deref()) {
            None => DEFAULT_LAG_MONTHS,
            Some(text) => text.parse::<u32>().ok().filter(|m| (1..=120).contains(m)).ok_or_else(|| {
                zhaoshang_app::AppError::bad_request(format!("月数“{text}”无效，应为 1 至 120 的整数"))
            })?,
        };
    let to = query.to()?;
    let view = state.app.cohort_view(&session.principal, &id, to, months).await?;
    let by_region: Vec<_> = view
        .by_region
        .iter()
        .map(|(name, t)| {
            context! { name, signed_count => t.signed_count, signed_investment_wan => Yuan(t.investment).wan_string(),
            funds_in_place_wan => Yuan(t.funds_in_place).wan_string(), arrival_rate => percent(t.arrival_rate()),
            started_count => t.started_count, start_rate => percent(t.start_rate()),
            producing_count => t.producing_count, completion_rate => percent(t.completion_rate()) }
        })
        .collect();
    let lagging: Vec<_> = view
        .lagging
        .iter()
        .map(|p| {
            let d = &p.data;
            context! { code => d.code, name => d.name, investor => d.investor, wan => Yuan(d.total_investment).wan_string(),
            signed_on => d.signed_on.map(|d| d.to_string()) }
        })
        .collect();
    let chart = context! { charts => vec![context! { id => "cohort-chart", lines => vec![
        line("开工率", &view.curve, |p| p.started),
        line("投产率", &view.curve, |p| p.producing),
        line("资金到位率", &view.curve, |p| p.funded),
    ] }] };
    page(
        &session,
        "/activities",
        "activities/cohort.html",
        context! { activity => activity_context(&view.activity, ""), report => report_context(&view.report),
        to => to.to_string(), months, by_region, lagging, chart },
    )
}

pub async fn cohorts(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    RawQuery(raw): RawQuery,
) -> WebResult<Html<String>> {
    // The picker's boxes come as `fair=1&fair=2` (read here, a key given again); `ids`
    // (`1,2`) is the link's form. Neither: the 兰洽会.
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect();
    let first = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let query = CohortQuery { to: first("to"), months: None, ids: first("ids") };
    let to = query.to()?;
    let mut ids: Vec<String> = non_empty(query.ids.as_deref())
        .map(|ids| ids.split(',').map(str::trim).filter(|id| !id.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    ids.extend(pairs.iter().filter(|(k, v)| k == "fair" && !v.trim().is_empty()).map(|(_, v)| v.trim().to_string()));
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    let columns = state.app.cohort_comparison(&session.principal, &ids, to).await?;
    let shown: Vec<i64> = columns.iter().map(|c| c.activity.id).collect();
    let choices: Vec<_> = state
        .app
        .signing_activities(&session.principal, None)
        .await?
        .iter()
        .map(|a| context! { id => a.id, name => a.name, dates => dates(a), checked => shown.contains(&a.id) })
        .collect();
    let fairs: Vec<_> = columns
        .iter()
        .map(|c| context! { id => c.activity.id, name => c.activity.name, dates => dates(&c.activity), ..report_context(&c.report) })
        .collect();
    let measures: [(&str, &str, Share); 3] = [
        ("started-chart", "开工率", |p| p.started),
        ("producing-chart", "投产率", |p| p.producing),
        ("funded-chart", "资金到位率", |p| p.funded),
    ];
    let charts: Vec<_> = measures
        .iter()
        .map(|(id, _, share)| {
            let lines: Vec<_> = columns.iter().map(|c| line(&c.activity.name, &c.curve, *share)).collect();
            context! { id, lines }
        })
        .collect();
    let titles: Vec<_> = measures.iter().map(|(id, title, _)| context! { id, title }).collect();
    page(
        &session,
        "/activities",
        "activities/cohorts.html",
        context! { fairs, choices, to => to.to_string(), titles, chart => context! { charts } },
    )
}
