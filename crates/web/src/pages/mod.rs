//! Chinese pages, one module per area.

pub mod achievements;
pub mod activities;
pub mod activity_plans;
pub mod appeals;
pub mod attachments;
pub mod attribution;
pub mod audit;
pub mod briefing;
pub mod chain_forms;
pub mod chains;
pub mod chambers;
pub mod dashboard;
pub mod enterprises;
pub mod evaluation;
pub mod groups;
pub mod home;
pub mod import;
pub mod instructions;
pub mod leads;
pub mod login;
pub mod parcels;
pub mod plans;
pub mod portal;
pub mod projects;
pub mod reference;
pub mod reports;
pub mod search;
pub mod travel;
pub mod users;
pub mod visits;
pub mod work_plans;

use crate::error::{WebError, WebResult};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use zhaoshang_app::exchange::{write_table, Table, TableFormat};
pub use zhaoshang_core::text::non_empty;

/// A form page shown again with its errors: 422.
pub fn unprocessable(html: axum::response::Html<String>) -> Response {
    (axum::http::StatusCode::UNPROCESSABLE_ENTITY, html).into_response()
}

pub async fn not_found() -> WebError {
    WebError::not_found("该页面")
}

/// 1-based page number from a query string value.
/// A new record form's request: the region to propose a code for.
#[derive(serde::Deserialize)]
pub struct NewRecordQuery {
    region: Option<String>,
}

impl NewRecordQuery {
    /// The region asked for, else the user's own.
    pub fn region_or_own(&self, principal: &zhaoshang_core::access::Principal) -> Option<String> {
        zhaoshang_core::text::non_empty(self.region.as_deref())
            .map(str::to_string)
            .or_else(|| principal.region.as_ref().map(|r| r.to_string()))
    }
}

pub fn page_number(page: Option<u32>) -> u32 {
    page.unwrap_or(1).max(1)
}

/// The pager of a list page (`m.pager` in templates/macros.html) to spread into its
/// context: the page asked for, how many pages of `per_page` rows `total` rows fill (at
/// least one), and whether another follows.
pub fn pager(page: Option<u32>, total: i64, per_page: i64) -> minijinja::Value {
    let page = page_number(page);
    let pages = ((total + per_page - 1) / per_page).max(1);
    minijinja::context! { page => page, pages => pages, more => i64::from(page) < pages }
}

/// The filter of a list as a query string, to keep it across pages and exports:
/// the given values, URL-encoded, in the order listed.
pub fn query_string(pairs: &[(&str, &Option<String>)]) -> String {
    pairs
        .iter()
        .filter_map(|(k, v)| non_empty(v.as_deref()).map(|v| format!("{k}={}", crate::auth::urlencode(v))))
        .collect::<Vec<_>>()
        .join("&")
}

/// The export format a list request asks for (`format=xlsx` or `csv`), if any.
pub fn export_format(format: &Option<String>) -> WebResult<Option<TableFormat>> {
    match non_empty(format.as_deref()) {
        None => Ok(None),
        Some(format) => Ok(Some(TableFormat::from_file_name(&format!("x.{format}"))?)),
    }
}

/// A list as a file download named `{stem}.xlsx` (or `.csv`).
pub fn download(table: &Table, format: TableFormat, stem: &str) -> WebResult<Response> {
    let bytes = write_table(table, format)?;
    Ok(download_bytes(bytes, format.content_type(), &format!("{stem}.{}", format.extension())))
}

/// The one download response: `bytes` as an attachment named `file_name` (RFC 6266:
/// the name in UTF-8 for browsers, an ASCII stand-in for older clients).
pub fn download_bytes(bytes: impl Into<axum::body::Bytes>, content_type: &str, file_name: &str) -> Response {
    served_bytes("attachment", bytes.into(), content_type, file_name)
}

/// Bytes a page shows as they are (a photo in an `<img>`), named `file_name` when saved.
pub fn inline_bytes(bytes: impl Into<axum::body::Bytes>, content_type: &str, file_name: &str) -> Response {
    served_bytes("inline", bytes.into(), content_type, file_name)
}

fn served_bytes(disposition: &str, bytes: axum::body::Bytes, content_type: &str, file_name: &str) -> Response {
    let ascii: String = file_name
        .chars()
        .map(|c| if (c.is_ascii_graphic() && !"\"\\;%".contains(c)) || c == ' ' { c } else { '_' })
        .collect();
    let encoded = crate::auth::urlencode(file_name);
    let disposition = format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

/// A formal document (the whole HTML of a `documents/` template) printed to PDF and sent
/// as a download named `file_name`.
pub async fn pdf_download(html: axum::response::Html<String>, file_name: &str) -> WebResult<Response> {
    let pdf = zhaoshang_app::documents::print_pdf(&html.0).await?;
    Ok(download_bytes(pdf, "application/pdf", file_name))
}

/// The content type of an Excel workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
