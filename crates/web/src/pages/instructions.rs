//! Instruction pages (批示): the province-wide board of open tasks by leader and
//! department, late first; the split of an instruction for action into tasks, and a
//! task's steps (replies, objection, rating), both answered on the report's board; an
//! instruction with its tasks printed as a formal document (批示交办单).

use crate::auth::{CsrfForm, PageSession};
use crate::error::{WebError, WebResult};
use crate::pages::pdf_download;
use crate::pages::reports::{board_context, refused};
use crate::routes::Routes;
use crate::templates::{page, render};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use std::collections::BTreeMap;
use zhaoshang_app::instructions::{InstructionForm, SplitForm, TaskLinkForm, TaskStepForm};
use zhaoshang_app::research_reports::{ReportBoard, TaskView};
use zhaoshang_app::AppError;
use zhaoshang_core::inbox::Urgency;
use zhaoshang_core::instructions::{Grade, InstructionKind, LinkedKind, Part, Satisfaction, StepKind, TaskState};
use zhaoshang_store::instructions::{Instruction, Task};

pub fn routes() -> Routes {
    Routes::new()
        .route("/instructions", get(board))
        .route("/instructions/{id}/tasks", post(split))
        .route("/instructions/{id}/pdf", get(document))
        .route("/tasks/{id}/steps", post(take_step))
        .route("/tasks/{id}/links", post(link_record))
}

/// The forms of a report's board as last sent, and the reason one was refused (`error_at`
/// names the form: `instruct`, `split-N`, `task-N`, `link-N`).
#[derive(Default)]
pub struct StepForms {
    pub instruction: InstructionForm,
    pub split: SplitForm,
    pub step: TaskStepForm,
    pub link: TaskLinkForm,
    pub error: Option<String>,
    pub error_at: String,
}

fn task_facts(task: &Task) -> minijinja::Value {
    context! {
        id => task.id, department => task.department,
        part => Part::from_key(&task.part).map_or("", Part::label), part_key => task.part,
        assigned_on => task.assigned_on.to_string(), deadline => task.deadline.to_string(),
        co_due_on => task.co_due_on.map(|d| d.to_string()),
        state => TaskState::from_key(&task.state).map_or("", TaskState::label), state_key => task.state,
        grade => Grade::from_key(&task.grade).map(|g| context! { letter => g.letter(), label => g.label() }),
        satisfaction => Satisfaction::from_key(&task.satisfaction).map(Satisfaction::label),
        sent_back => task.sent_back, contested => task.contested,
        answered_on => task.answered_on.map(|d| d.to_string()), closed_on => task.closed_on.map(|d| d.to_string()),
    }
}

fn task_view(view: &TaskView, board: &ReportBoard) -> minijinja::Value {
    let steps: Vec<_> = board
        .steps
        .iter()
        .filter(|s| s.task_id == view.task.id)
        .map(|s| {
            let kind = StepKind::from_key(&s.kind).map_or_else(|| s.kind.clone(), |k| k.label().to_string());
            context! { kind => kind,
            taken_on => s.taken_on.to_string(), detail => s.detail, recorded_by => s.recorded_by }
        })
        .collect();
    let actions: Vec<_> = view.actions.iter().map(|k| context! { key => k.key(), label => k.label() }).collect();
    let action_keys: Vec<&str> = view.actions.iter().map(|k| k.key()).collect();
    let links: Vec<_> = board
        .links
        .iter()
        .filter(|(link, _)| link.task_id == view.task.id)
        .map(|(link, record)| {
            let kind = LinkedKind::from_key(&link.kind).map_or("", LinkedKind::label);
            context! { kind, key => link.record_key, linked_by => link.linked_by,
            record => record.as_ref().map(|r| context! { title => r.title, state => r.state, href => r.href }) }
        })
        .collect();
    context! {
        urgency => view.urgency.map(|u| context! { key => u.key(), label => u.label() }),
        days_late => view.days_late, steps => steps, actions => actions, action_keys => action_keys,
        links => links, may_link => view.may_link,
        ..task_facts(&view.task)
    }
}

/// An instruction with its tasks, as the report's board shows it.
pub fn instruction_view(instruction: &Instruction, board: &ReportBoard, forms: &StepForms) -> minijinja::Value {
    let tasks: Vec<_> =
        board.tasks.iter().filter(|t| t.task.instruction_id == instruction.id).map(|t| task_view(t, board)).collect();
    let kind = InstructionKind::from_key(&instruction.data.kind);
    let may_split = board.may_assign && kind == Some(InstructionKind::Action) && tasks.is_empty();
    context! {
        id => instruction.id, kind => kind.map_or("", InstructionKind::label), kind_key => instruction.data.kind,
        leader => instruction.data.leader_name, text => instruction.data.text,
        instructed_on => instruction.data.instructed_on.to_string(), suggestion_number => instruction.suggestion_number,
        tasks => tasks, may_split => may_split,
        split_form => context! { lead => forms.split.lead, co => forms.split.co, deadline => forms.split.deadline },
        step_form => context! { text => forms.step.text, grade => forms.step.grade },
        link_form => context! { kind => forms.link.kind, key => forms.link.key },
        link_kinds => LinkedKind::ALL.iter().map(|k| context! { key => k.key(), label => k.label() }).collect::<Vec<_>>(),
        grades => Grade::ALL.iter().map(|g| context! { key => g.key(), letter => g.letter(), label => g.label() }).collect::<Vec<_>>(),
        satisfactions => Satisfaction::ALL.iter().map(|s| context! { key => s.key(), label => s.label() }).collect::<Vec<_>>(),
    }
}

/// An instruction with its tasks as a formal document (批示交办单), a PDF; read by whoever
/// reads its report.
pub async fn document(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let report_id = state.app.report_of_instruction(id).await?;
    let board = state.app.report_board(&session.principal, report_id).await?;
    let instruction = board.instructions.iter().find(|i| i.id == id).ok_or_else(|| WebError::not_found("该批示"))?;
    let subject = board.suggestions.iter().find(|s| Some(s.id) == instruction.data.suggestion_id).map(|s| &s.text);
    let forms = StepForms::default();
    let html = render(
        "documents/instruction.html",
        context! { i => instruction_view(instruction, &board, &forms), subject, ..board_context(&board, &forms) },
    )?;
    pdf_download(html, &format!("批示交办单-{id}.pdf")).await
}

/// The province-wide board: the open tasks in the user's scope, late first, with counts
/// by leader and by department.
pub async fn board(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let rows = state.app.instruction_board(&session.principal).await?;
    let mut by_leader: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut by_department: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for row in &rows {
        let late = usize::from(row.urgency == Some(Urgency::Red));
        for (map, key) in
            [(&mut by_leader, row.task.leader_name.as_str()), (&mut by_department, row.task.department.as_str())]
        {
            let entry = map.entry(key).or_default();
            entry.0 += 1;
            entry.1 += late;
        }
    }
    let counts = |map: BTreeMap<&str, (usize, usize)>| -> Vec<minijinja::Value> {
        let mut counted: Vec<_> = map.into_iter().collect();
        counted.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(b.1 .0.cmp(&a.1 .0)).then(a.0.cmp(b.0)));
        counted.into_iter().map(|(name, (open, late))| context! { name, open, late }).collect()
    };
    let tasks: Vec<_> = rows
        .iter()
        .map(|row| {
            context! {
                report_id => row.task.report_id, report_title => row.task.report_title,
                suggestion_number => row.task.suggestion_number, leader => row.task.leader_name,
                instructed_on => row.task.instructed_on.to_string(), days_late => row.days_late,
                urgency => row.urgency.map(|u| context! { key => u.key(), label => u.label() }),
                ..task_facts(&row.task)
            }
        })
        .collect();
    page(
        &session,
        "/instructions",
        "instructions/board.html",
        context! { tasks => tasks, by_leader => counts(by_leader), by_department => counts(by_department) },
    )
}

pub async fn split(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, form): CsrfForm<SplitForm>,
) -> WebResult<Response> {
    match state.app.split_instruction(&session.principal, &session.actor(), id, &form).await {
        Ok(report) => Ok(Redirect::to(&format!("/reports/{report}#instruction-{id}")).into_response()),
        Err(AppError::Invalid(message)) => {
            let report = state.app.report_of_instruction(id).await?;
            let forms =
                StepForms { split: form, error: Some(message), error_at: format!("split-{id}"), ..Default::default() };
            refused(&state, &session, report, &forms).await
        }
        Err(other) => Err(other.into()),
    }
}

/// Links a record the task changed; a refusal shows the board again with the reason.
pub async fn link_record(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, form): CsrfForm<TaskLinkForm>,
) -> WebResult<Response> {
    match state.app.link_task_record(&session.principal, &session.actor(), id, &form).await {
        Ok(report) => Ok(Redirect::to(&format!("/reports/{report}#task-{id}")).into_response()),
        Err(AppError::Invalid(message)) => {
            let report = state.app.report_of_task(id).await?;
            let forms =
                StepForms { link: form, error: Some(message), error_at: format!("link-{id}"), ..Default::default() };
            refused(&state, &session, report, &forms).await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn take_step(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(session, form): CsrfForm<TaskStepForm>,
) -> WebResult<Response> {
    match state.app.take_task_step(&session.principal, &session.actor(), id, &form).await {
        Ok(report) => Ok(Redirect::to(&format!("/reports/{report}#task-{id}")).into_response()),
        Err(AppError::Invalid(message)) => {
            let report = state.app.report_of_task(id).await?;
            let forms =
                StepForms { step: form, error: Some(message), error_at: format!("task-{id}"), ..Default::default() };
            refused(&state, &session, report, &forms).await
        }
        Err(other) => Err(other.into()),
    }
}
