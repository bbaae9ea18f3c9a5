//! The audit log page (admin only), filterable by user, entity, action and date.

use crate::auth::PageSession;
use crate::error::{WebError, WebResult};
use crate::pages::{non_empty, page_number};
use crate::templates::page;
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::Html;
use chrono::NaiveDate;
use minijinja::context;
use serde::Deserialize;
use zhaoshang_store::AuditFilter;

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    actor: Option<String>,
    entity: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<u32>,
}

fn parse_date(text: &Option<String>, label: &str) -> WebResult<Option<NaiveDate>> {
    match non_empty(text) {
        None => Ok(None),
        Some(t) => NaiveDate::parse_from_str(&t, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| WebError::bad_request(format!("{label}“{t}”不是有效日期，应为 YYYY-MM-DD"))),
    }
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<AuditQuery>,
) -> WebResult<Html<String>> {
    if !session.principal.may_administer() {
        return Err(WebError::forbidden());
    }
    let page_no = page_number(query.page);
    let filter = AuditFilter {
        actor: non_empty(&query.actor),
        entity: non_empty(&query.entity),
        action: non_empty(&query.action),
        from: parse_date(&query.from, "开始日期")?,
        to: parse_date(&query.to, "结束日期")?,
        page: page_no,
        per_page: 50,
    };
    let (entries, more) = state.store.audit_entries(&filter).await?;
    let entries: Vec<_> = entries
        .into_iter()
        .map(|e| {
            context! { id => e.id, at => e.at.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap()).format("%Y-%m-%d %H:%M:%S").to_string(),
                       actor => e.actor_name, action => e.action, entity => e.entity, entity_id => e.entity_id,
                       before => e.before_json, after => e.after_json }
        })
        .collect();
    let query_ctx = context! { actor => query.actor, entity => query.entity, action => query.action, from => query.from, to => query.to };
    page(
        &session,
        "/admin/audit",
        "audit.html",
        context! { entries => entries, query => query_ctx, page => page_no, more => more },
    )
}
