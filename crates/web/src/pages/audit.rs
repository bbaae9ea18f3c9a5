//! The audit log page (admin only), filterable by user, entity, action and date.

use crate::auth::PageSession;
use crate::error::WebResult;
use crate::pages::{download, export_format, non_empty, page_number};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use minijinja::context;
use serde::Deserialize;
use zhaoshang_app::stats::optional_date;
use zhaoshang_core::audit::{AuditAction, AuditEntity};
use zhaoshang_store::AuditFilter;

pub fn routes() -> Routes {
    Routes::new().route("/admin/audit", get(list))
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    actor: Option<String>,
    entity: Option<String>,
    record: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<u32>,
    /// `xlsx` or `csv`: the matching entries as a download.
    format: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<AuditQuery>,
) -> WebResult<Response> {
    // Refused before the filter is read, as every administrator page is.
    zhaoshang_app::accounts::require_admin(&session.principal)?;
    let page_no = page_number(query.page);
    let filter = AuditFilter {
        actor: non_empty(query.actor.as_deref()).map(str::to_string),
        entity: non_empty(query.entity.as_deref()).map(str::to_string),
        record: non_empty(query.record.as_deref()).map(str::to_string),
        action: non_empty(query.action.as_deref()).map(str::to_string),
        from: optional_date(&query.from, "开始日期")?,
        to: optional_date(&query.to, "结束日期")?,
        page: page_no,
        per_page: 50,
    };
    if let (Some(from), Some(to)) = (filter.from, filter.to) {
        zhaoshang_app::stats::period(from, to)?;
    }
    if let Some(format) = export_format(&query.format)? {
        let table = state.app.audit_table(&session.principal, &filter).await?;
        return download(&table, format, "audit-log");
    }
    let (entries, more) = state.app.audit_entries(&session.principal, &filter).await?;
    let query_ctx = context! { actor => query.actor, entity => query.entity, record => query.record, action => query.action, from => query.from, to => query.to };
    let vocabulary = |all: &[(&str, &str)]| {
        all.iter().map(|(key, label)| context! { key => key, label => label }).collect::<Vec<_>>()
    };
    let entities: Vec<_> = AuditEntity::ALL.iter().map(|e| (e.key(), e.label())).collect();
    let actions: Vec<_> = AuditAction::ALL.iter().map(|a| (a.key(), a.label())).collect();
    page(
        &session,
        "/admin/audit",
        "admin/audit.html",
        context! { entries => entries, query => query_ctx, page => page_no, more => more,
        entities => vocabulary(&entities), actions => vocabulary(&actions) },
    )
    .map(IntoResponse::into_response)
}
