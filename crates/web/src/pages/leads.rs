//! 商会线索 pages: the short registration form (made for a phone), the list (a liaison's
//! own chamber's leads, the staff's leads in scope, `?overdue=1` the supervision list),
//! a lead's page with its response clock, each step's answer and its files (added right
//! after the registration, pages::attachments), and the forms that record a step,
//! settle a dispute and set the clock.

use crate::auth::{CsrfForm, PageSession, Session};
use crate::error::WebResult;
use crate::pages::{attachments, pager};
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use minijinja::context;
use serde::Deserialize;
use std::collections::HashMap;
use zhaoshang_app::chains::plans::FieldErrors;
use zhaoshang_app::leads::{LeadForm, LeadQuery, LeadSettingsInput, LeadView};
use zhaoshang_core::attachments::OwnerKind;
use zhaoshang_core::leads::StepState;
use zhaoshang_core::money::Yuan;
use zhaoshang_core::projects::Stage;
use zhaoshang_store::leads::Lead;

pub const PER_PAGE: i64 = 30;

pub fn routes() -> Routes {
    Routes::new()
        .route("/leads", get(list).post(register))
        .route("/leads/new", get(new))
        .route("/leads/settings", post(save_settings))
        .route("/leads/{id}", get(detail))
        .route("/leads/{id}/steps", post(record_step))
        .route("/leads/{id}/attribution", post(settle))
}

fn stage_label(lead: &Lead) -> &'static str {
    match lead.project_stage.as_deref().map(Stage::parse) {
        Some(Ok(stage)) => stage.label(),
        _ => "已被登记",
    }
}

fn lead_row(view: &LeadView, region_names: &HashMap<String, String>, today: NaiveDate) -> minijinja::Value {
    let l = &view.lead;
    let clocks: Vec<_> = view
        .clocks
        .iter()
        .zip(view.steps.iter().map(Some).chain(std::iter::repeat(None)))
        .map(|(clock, record)| {
            let state = clock.state(today);
            context! {
                step => clock.step.label(), due_on => clock.due_on.to_string(),
                done_on => clock.done_on.map(|d| d.to_string()), state => state.label(), state_key => state.key(),
                overdue => state == StepState::Overdue,
                answer => record.map(|r| r.answer.clone()), recorded_by => record.map(|r| r.recorded_by.clone()),
                by_weekends_only => clock.by_weekends_only,
            }
        })
        .collect();
    let overdue = view.clocks.iter().any(|c| c.state(today) == StepState::Overdue);
    context! {
        id => l.id, investor => l.investor, credit_code => l.investor_credit_code, chamber => l.source_name,
        referrer => l.referrer_name, region_code => l.region_code,
        region_name => region_names.get(&l.region_code).cloned().unwrap_or_default(),
        industry => l.industry, amount_wan => Yuan(l.amount).wan_string(), contact => l.contact, notes => l.notes,
        lead_on => l.lead_on.to_string(), registered_at => zhaoshang_core::calendar::china_time(l.registered_at).format("%Y-%m-%d %H:%M").to_string(),
        project_id => l.project_id, project_code => l.project_code, project_name => l.project_name,
        stage => stage_label(l), refused => l.duplicate_of.is_some(), clocks => clocks, overdue => overdue,
    }
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<LeadQuery>,
) -> WebResult<Html<String>> {
    let list = state.app.lead_page(&session.principal, &query, PER_PAGE).await?;
    let rows: Vec<_> = list.leads.iter().map(|view| lead_row(view, &list.region_names, list.today)).collect();
    let may_register = state.app.registering_chamber(&session.principal).await.is_ok();
    let settings = context! { clock_days => list.settings.clock.standard.stored(), major_clock_days => list.settings.clock.major.stored(),
    major_from_wan => list.settings.clock.major_from.wan_string(), protection_days => list.settings.protection_days };
    page(
        &session,
        "/leads",
        "leads/leads.html",
        context! {
            rows => rows, count => list.count, overdue => list.overdue, may_register => may_register,
            staff => session.principal.role != zhaoshang_core::access::Role::Liaison,
            may_administer => session.principal.may_administer(), settings => settings,
            query_string => if list.overdue { "overdue=1" } else { "" }, ..pager(query.page, list.count, PER_PAGE)
        },
    )
}

/// The registration form, again with its problems when `errors` are given.
async fn form_page(
    state: &AppState,
    session: &Session,
    form: &LeadForm,
    errors: FieldErrors,
) -> WebResult<Html<String>> {
    let chamber = state.app.registering_chamber(&session.principal).await?;
    let industries: Vec<_> = state
        .app
        .industries()
        .await?
        .into_iter()
        .filter(|i| i.code != i.section)
        .map(|i| context! { code => i.code, name => i.name })
        .collect();
    let regions: Vec<_> = state
        .app
        .lead_region_options(&session.principal)
        .await?
        .into_iter()
        .map(|(code, name)| context! { code => code, name => name })
        .collect();
    let activities: Vec<_> = state
        .app
        .activity_choices(&session.principal)
        .await?
        .into_iter()
        .map(|a| {
            let day = a.start_on.map(|d| d.to_string()).unwrap_or_default();
            context! { id => a.id.to_string(), name => a.name, kind => a.kind, start_on => day }
        })
        .collect();
    page(
        session,
        "/leads",
        "leads/new.html",
        context! {
            own_chamber => chamber, industries => industries, regions => regions, errors => errors, activities,
            values => context! { chamber => form.chamber, investor => form.investor, credit_code => form.credit_code,
                industry => form.industry, region => form.region, amount_wan => form.amount_wan,
                contact => form.contact, notes => form.notes, activity => form.activity },
        },
    )
}

pub async fn new(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    form_page(&state, &session, &LeadForm::default(), FieldErrors::new()).await
}

pub async fn register(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<LeadForm>,
) -> WebResult<Response> {
    let today = zhaoshang_app::calendar::today();
    match state.app.register_lead(&session.principal, &session.actor(), &form, today).await? {
        Ok(id) => Ok(Redirect::to(&format!("/leads/{id}")).into_response()),
        Err(errors) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(&state, &session, &form, errors).await?).into_response())
        }
    }
}

async fn detail_page(
    state: &AppState,
    session: &Session,
    id: i64,
    answer: &str,
    errors: FieldErrors,
) -> WebResult<Html<String>> {
    let detail = state.app.lead_detail(&session.principal, id).await?;
    let attachments = attachments::section(state, session, OwnerKind::Lead, &id.to_string()).await?;
    let names = HashMap::from([(detail.view.lead.region_code.clone(), detail.region_name.clone())]);
    let holder =
        detail.holder.as_ref().map(|h| context! { chamber => h.source_name, lead_on => h.lead_on.to_string() });
    let refused: Vec<_> = detail
        .refused
        .iter()
        .map(|r| context! { id => r.id, chamber => r.source_name, referrer => r.referrer_name, lead_on => r.lead_on.to_string() })
        .collect();
    page(
        session,
        "/leads",
        "leads/lead.html",
        context! {
            lead => lead_row(&detail.view, &names, detail.today), holder => holder, refused => refused,
            recordable => detail.recordable.map(|s| context! { key => s.key(), label => s.label() }),
            may_settle => detail.may_settle, answer => answer, errors => errors, attachments => attachments,
        },
    )
}

pub async fn detail(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
) -> WebResult<Html<String>> {
    detail_page(&state, &session, id, "", FieldErrors::new()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    step: String,
    answer: String,
}

pub async fn record_step(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, form): CsrfForm<StepForm>,
) -> WebResult<Response> {
    match state.app.record_lead_step(&session.principal, &session.actor(), id, &form.step, &form.answer).await? {
        Ok(()) => Ok(Redirect::to(&format!("/leads/{id}#clock")).into_response()),
        Err(errors) => {
            let html = detail_page(&state, &session, id, &form.answer, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct SettleForm {
    registration: i64,
}

pub async fn settle(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, form): CsrfForm<SettleForm>,
) -> WebResult<Response> {
    state.app.settle_lead(&session.principal, &session.actor(), id, form.registration).await?;
    Ok(Redirect::to(&format!("/leads/{id}")).into_response())
}

pub async fn save_settings(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<LeadSettingsInput>,
) -> WebResult<Response> {
    state.app.set_lead_settings(&session.principal, &form, &session.actor()).await?;
    Ok(Redirect::to("/leads").into_response())
}
