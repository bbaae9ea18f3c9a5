//! Chinese pages, one module per area.

pub mod audit;
pub mod chain_forms;
pub mod chains;
pub mod dashboard;
pub mod enterprises;
pub mod home;
pub mod import;
pub mod login;
pub mod plans;
pub mod projects;
pub mod reference;
pub mod search;
pub mod users;

use crate::error::{WebError, WebResult};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use zhaoshang_app::exchange::{write_table, Table, TableFormat};

pub async fn not_found() -> WebError {
    WebError::not_found("该页面")
}

/// 1-based page number from a query string value.
pub fn page_number(page: Option<u32>) -> u32 {
    page.unwrap_or(1).max(1)
}

/// Empty form fields mean "not given".
pub fn non_empty(text: &Option<String>) -> Option<String> {
    text.as_ref().map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// A list's keyword filter: trimmed, `None` when empty, 400 in Chinese when too long.
pub fn keyword(text: &Option<String>) -> WebResult<Option<String>> {
    zhaoshang_core::text::keyword(text.as_deref()).map_err(|e| WebError::bad_request(e.to_string()))
}

/// A list as a file download named `{stem}.xlsx` (or `.csv`).
pub fn download(table: &Table, format: TableFormat, stem: &str) -> WebResult<Response> {
    let bytes = write_table(table, format)?;
    let disposition = format!("attachment; filename=\"{stem}.{}\"", format.extension());
    Ok(([(header::CONTENT_TYPE, format.content_type().to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}
