//! Research report pages (调研报告): the list, the filing form with its aspects and
//! numbered suggestions, and a report's board — each suggestion's path through the
//! leaders' instructions, the departments' tasks, replies and grades, with dates — with
//! the forms for the next steps the user may take; the report printed as a formal document.

use crate::auth::{CsrfForm, PageSession, Session};
use crate::error::WebResult;
use crate::pages::instructions::{instruction_view, StepForms};
use crate::pages::{attachments, pdf_download};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::{page, render};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use serde::Deserialize;
use zhaoshang_app::instructions::InstructionForm;
use zhaoshang_app::research_reports::{ReportBoard, ReportForm};
use zhaoshang_app::AppError;
use zhaoshang_core::attachments::OwnerKind;
use zhaoshang_core::instructions::InstructionKind;
use zhaoshang_core::reports::aspect_numeral;

pub const PER_PAGE: i64 = 50;

pub fn routes() -> Routes {
    Routes::new()
        .route("/reports", get(list))
        .route("/reports", post(file))
        .route("/reports/new", get(new_form))
        .route("/reports/{id}", get(board))
        .route("/reports/{id}/pdf", get(document))
        .route("/reports/{id}/instructions", post(instruct))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    page: Option<u32>,
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<ListQuery>,
) -> WebResult<Html<String>> {
    let principal = &session.principal;
    let reports = state.app.reports_page(principal, query.page, PER_PAGE).await?;
    let rows: Vec<_> = reports
        .iter()
        .map(|r| {
            context! { id => r.id, title => r.data.title, group => r.data.research_group, region => r.region_name,
            researched_on => r.data.researched_on.to_string(), suggestions => r.suggestion_count,
            filed_by => r.data.filed_by_name }
        })
        .collect();
    let may_file = principal.may_file_report_in(&principal.region.clone().unwrap_or_else(province));
    page(
        &session,
        "/reports",
        "reports/reports.html",
        context! { rows => rows, may_file => may_file, page => crate::pages::page_number(query.page),
        more => rows.len() as i64 == PER_PAGE },
    )
}

/// The province (甘肃省): a user without a region files for any region under it.
fn province() -> zhaoshang_core::regions::RegionCode {
    zhaoshang_core::regions::RegionCode::parse("620000").expect("the province's code")
}

fn form_page(session: &Session, form: &ReportForm, error: Option<String>) -> WebResult<Html<String>> {
    page(
        session,
        "/reports",
        "reports/new.html",
        context! { form => context! { region => form.region, title => form.title,
        research_group => form.research_group, authors => form.authors, researched_on => form.researched_on,
        enterprises_visited => form.enterprises_visited, summary => form.summary, suggestions => form.suggestions },
        error => error },
    )
}

pub async fn new_form(PageSession(session): PageSession) -> WebResult<Html<String>> {
    let principal = &session.principal;
    if !principal.may_file_report_in(&principal.region.clone().unwrap_or_else(province)) {
        return Err(crate::error::WebError::forbidden());
    }
    let form = ReportForm {
        region: principal.region.as_ref().map(|r| r.to_string()).unwrap_or_default(),
        researched_on: zhaoshang_app::calendar::today().to_string(),
        ..Default::default()
    };
    form_page(&session, &form, None)
}

/// Files a report, or shows the form again with the reason it was refused.
pub async fn file(State(state): State<AppState>, CsrfForm(session, form): CsrfForm<ReportForm>) -> WebResult<Response> {
    match state.app.file_report(&session.principal, &session.actor(), &form).await {
        Ok(id) => Ok(Redirect::to(&format!("/reports/{id}")).into_response()),
        Err(AppError::Invalid(message) | AppError::BadRequest(message)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, form_page(&session, &form, Some(message))?).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The report's board: its facts, then aspect by aspect each suggestion with the
/// instructions on it and their tasks; instructions on the whole report above.
async fn board_page(
    state: &AppState,
    session: &Session,
    board: &ReportBoard,
    forms: &StepForms,
) -> WebResult<Html<String>> {
    let attachments = attachments::section(state, session, OwnerKind::Report, &board.report.id.to_string()).await?;
    page(session, "/reports", "reports/report.html", context! { attachments, ..board_context(board, forms) })
}

/// The report with its suggestions by aspect, each with its instructions and tasks, as the
/// board and the printed document show them.
pub fn board_context(board: &ReportBoard, forms: &StepForms) -> minijinja::Value {
    let report = &board.report;
    let instructions_on = |suggestion: Option<i64>| -> Vec<minijinja::Value> {
        board
            .instructions
            .iter()
            .filter(|i| i.data.suggestion_id == suggestion)
            .map(|i| instruction_view(i, board, forms))
            .collect()
    };
    let mut aspects: Vec<(String, Vec<minijinja::Value>)> = Vec::new();
    for s in &board.suggestions {
        let row =
            context! { id => s.id, number => s.number, text => s.text, instructions => instructions_on(Some(s.id)) };
        match aspects.last_mut() {
            Some((aspect, rows)) if *aspect == s.aspect => rows.push(row),
            _ => aspects.push((s.aspect.clone(), vec![row])),
        }
    }
    let aspects: Vec<_> = aspects
        .into_iter()
        .enumerate()
        .map(|(i, (aspect, rows))| context! { numeral => aspect_numeral(i + 1), aspect, rows })
        .collect();
    let suggestions: Vec<_> =
        board.suggestions.iter().map(|s| context! { id => s.id, number => s.number, text => s.text }).collect();
    let enterprises: Vec<&str> =
        report.data.enterprises_visited.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    context! {
            r => context! { id => report.id, title => report.data.title, group => report.data.research_group,
                authors => report.data.authors, researched_on => report.data.researched_on.to_string(),
                region => report.region_name, summary => report.data.summary, filed_by => report.data.filed_by_name,
                filed_on => zhaoshang_core::calendar::china_time(report.created_at).date().to_string(),
                enterprises => enterprises, suggestion_count => report.suggestion_count },
            aspects => aspects, report_instructions => instructions_on(None), suggestions => suggestions,
            may_instruct => board.may_instruct,
            kinds => InstructionKind::ALL.iter().map(|k| context! { key => k.key(), label => k.label() }).collect::<Vec<_>>(),
            instruction_form => context! { suggestion => forms.instruction.suggestion, kind => forms.instruction.kind,
                text => forms.instruction.text },
            error => forms.error, error_at => forms.error_at,
    }
}

/// The report as a formal document (A4, GB/T 9704's layout), a PDF printed by Chromium.
pub async fn document(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let board = state.app.report_board(&session.principal, id).await?;
    let html = render("documents/report.html", board_context(&board, &StepForms::default()))?;
    pdf_download(html, &format!("{}.pdf", board.report.data.title)).await
}

pub async fn board(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
) -> WebResult<Html<String>> {
    let board = state.app.report_board(&session.principal, id).await?;
    board_page(&state, &session, &board, &StepForms::default()).await
}

/// The board again with a refused form's values and its reason (422).
pub async fn refused(state: &AppState, session: &Session, report_id: i64, forms: &StepForms) -> WebResult<Response> {
    let board = state.app.report_board(&session.principal, report_id).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, board_page(state, session, &board, forms).await?).into_response())
}

pub async fn instruct(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, form): CsrfForm<InstructionForm>,
) -> WebResult<Response> {
    match state.app.write_instruction(&session.principal, &session.actor(), id, &form).await {
        Ok(instruction) => Ok(Redirect::to(&format!("/reports/{id}#instruction-{instruction}")).into_response()),
        Err(AppError::Invalid(message)) => {
            let forms = StepForms {
                instruction: form,
                error: Some(message),
                error_at: "instruct".into(),
                ..Default::default()
            };
            refused(&state, &session, id, &forms).await
        }
        Err(other) => Err(other.into()),
    }
}
