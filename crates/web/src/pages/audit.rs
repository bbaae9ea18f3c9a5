//! The audit log page (admin only), filterable by user, entity, action and date.

use crate::auth::PageSession;
use crate::error::{WebError, WebResult};
use crate::pages::{non_empty, page_number};
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use chrono::NaiveDate;
use minijinja::context;
use serde::Deserialize;
use zhaoshang_core::calendar::china_time;
use zhaoshang_store::AuditFilter;

pub fn routes() -> Routes {
    Routes::new().route("/admin/audit", get(list))
}

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

/// Characters of an entry's JSON shown on the page.
const SHOWN_CHARS: usize = 2_000;

/// An entry's JSON as the page shows it: a grouped entry of an import (one per 1,000
/// new projects) is cut after its first rows, with its length; the whole text stays
/// in the log (and in backups).
fn shown(json: String) -> String {
    match json.char_indices().nth(SHOWN_CHARS) {
        None => json,
        Some((end, _)) => {
            let total = json.chars().count();
            format!("{} …（共 {total} 个字符，此处只显示前 {SHOWN_CHARS} 个；完整内容保存在操作日志中）", &json[..end])
        }
    }
}

pub async fn list(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(query): Query<AuditQuery>,
) -> WebResult<Html<String>> {
    // Refused before the filter is read, as every administrator page is.
    zhaoshang_app::accounts::require_admin(&session.principal)?;
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
    let (entries, more) = state.app.audit_entries(&session.principal, &filter).await?;
    let entries: Vec<_> = entries
        .into_iter()
        .map(|e| {
            context! { id => e.id, at => china_time(e.at).format("%Y-%m-%d %H:%M:%S").to_string(),
            actor => e.actor_name, action => e.action, entity => e.entity, entity_id => e.entity_id,
            before => e.before_json.map(shown), after => e.after_json.map(shown) }
        })
        .collect();
    let query_ctx = context! { actor => query.actor, entity => query.entity, action => query.action, from => query.from, to => query.to };
    page(
        &session,
        "/admin/audit",
        "admin/audit.html",
        context! { entries => entries, query => query_ctx, page => page_no, more => more },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_entries_are_cut_for_the_page() {
        assert_eq!(shown("{\"a\":1}".to_string()), "{\"a\":1}");
        let long = "项".repeat(SHOWN_CHARS + 5);
        let cut = shown(long);
        assert!(cut.starts_with(&"项".repeat(SHOWN_CHARS)));
        assert!(cut.contains(&format!("共 {} 个字符", SHOWN_CHARS + 5)), "{cut}");
    }
}
