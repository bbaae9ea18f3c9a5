//! Attachments (附件) on the pages of the records that hold them (appeals,
//! achievements, reports, leads, parks, activities): the upload form and the list (`attachments/section.html`, included by
//! each record's page), the download, and the removal. Who may do what is the record's
//! area's answer (app::attachments).

use crate::auth::{unreadable_upload, CsrfForm, CsrfMultipart, PageSession, Session};
use crate::error::{WebError, WebResult};
use crate::pages::download_bytes;
use crate::routes::Routes;
use crate::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::{context, Value};
use zhaoshang_app::attachments::Upload;
use zhaoshang_core::attachments::{OwnerKind, MAX_BYTES, MAX_PER_OWNER};
use zhaoshang_core::calendar::china_time;

/// The body a request with attachments may send: the files' bytes (10 MiB in all) and the
/// form's other fields. Past it the request is refused before it is read whole.
pub const BODY_LIMIT: usize = MAX_BYTES + 256 * 1024;

pub fn routes() -> Routes {
    let upload_to = |owner| {
        let handler =
            move |state: State<AppState>, key: Path<String>, form: CsrfMultipart| upload(owner, state, key, form);
        post(handler).layer(DefaultBodyLimit::max(BODY_LIMIT))
    };
    Routes::new()
        .route("/appeals/{code}/attachments", upload_to(OwnerKind::Appeal))
        .route("/achievements/{code}/attachments", upload_to(OwnerKind::Achievement))
        .route("/reports/{id}/attachments", upload_to(OwnerKind::Report))
        .route("/leads/{id}/attachments", upload_to(OwnerKind::Lead))
        .route("/parks/{id}/attachments", upload_to(OwnerKind::Park))
        .route("/activities/{id}/attachments", upload_to(OwnerKind::Activity))
        .route("/attachments/{id}", get(download))
        .route("/attachments/{id}/delete", post(delete))
}

/// The page of the record an attachment belongs to.
fn owner_page(owner: OwnerKind, key: &str) -> String {
    let area = match owner {
        OwnerKind::Appeal => "appeals",
        OwnerKind::Achievement => "achievements",
        OwnerKind::Report => "reports",
        OwnerKind::Lead => "leads",
        OwnerKind::Park => "parks",
        OwnerKind::Activity => "activities",
    };
    format!("/{area}/{}", crate::auth::urlencode(key))
}

/// The files of a multipart form's `file` fields (a field left without a file skipped)
/// and its other fields as text; more than `max_files` files are refused.
pub async fn read_form(multipart: &mut Multipart, max_files: usize) -> WebResult<(Vec<Upload>, Vec<(String, String)>)> {
    let (mut files, mut fields) = (Vec::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(unreadable_upload)? {
        let name = field.name().unwrap_or("").to_string();
        if name != "file" {
            fields.push((name, field.text().await.map_err(unreadable_upload)?));
            continue;
        }
        let file_name = field.file_name().unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(unreadable_upload)?;
        if file_name.is_empty() && bytes.is_empty() {
            continue;
        }
        if files.len() == max_files {
            return Err(WebError::invalid(format!("一次最多上传 {max_files} 个附件")));
        }
        files.push(Upload { name: file_name, bytes: bytes.into() });
    }
    Ok((files, fields))
}

async fn upload(
    owner: OwnerKind,
    State(state): State<AppState>,
    Path(key): Path<String>,
    CsrfMultipart(session, mut multipart): CsrfMultipart,
) -> WebResult<Response> {
    let (files, _) = read_form(&mut multipart, MAX_PER_OWNER).await?;
    state.app.upload_attachments(&session.principal, &session.actor(), owner, &key, files).await?;
    Ok(Redirect::to(&format!("{}#attachments", owner_page(owner, &key))).into_response())
}

async fn download(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let id: i64 = id.parse().map_err(|_| WebError::not_found("该附件"))?;
    let attachment = state.app.attachment_download(&session.principal, id).await?;
    Ok(download_bytes(attachment.content, &attachment.info.content_type, &attachment.info.file_name))
}

#[derive(serde::Deserialize)]
pub struct DeleteForm {}

async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, DeleteForm {}): CsrfForm<DeleteForm>,
) -> WebResult<Response> {
    let id: i64 = id.parse().map_err(|_| WebError::not_found("该附件"))?;
    let gone = state.app.delete_attachment(&session.principal, &session.actor(), id).await?;
    let owner = OwnerKind::from_key(&gone.owner_kind).unwrap_or(OwnerKind::Appeal);
    Ok(Redirect::to(&format!("{}#attachments", owner_page(owner, &gone.owner_key))).into_response())
}

/// The attachments of a record for its page's `attachments/section.html`: each file with
/// its size as people read it, whether the user may add and remove them, and where the
/// upload form posts.
pub async fn section(state: &AppState, session: &Session, owner: OwnerKind, key: &str) -> WebResult<Value> {
    let found = state.app.attachments(&session.principal, owner, key).await?;
    let items: Vec<_> = found
        .items
        .iter()
        .map(|a| {
            context! { id => a.id, file_name => a.file_name, size => size_text(a.size_bytes),
            uploaded_by => a.uploaded_by, uploaded_at => china_time(a.uploaded_at).format("%Y-%m-%d %H:%M").to_string() }
        })
        .collect();
    let action = format!("{}/attachments", owner_page(owner, key));
    Ok(context! { items, may_write => found.may_write, action, max_mb => MAX_BYTES / 1024 / 1024,
    max_count => MAX_PER_OWNER })
}

/// A size in bytes as people read it (KB, MB).
pub fn size_text(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / 1024.0 / 1024.0),
    }
}
