//! The results page of the search box in the header (`/search?q=`): enterprises and
//! projects in the user's scope, best match first, each linked to its page.

use crate::api::search::{query_of, SearchParams};
use crate::auth::PageSession;
use crate::error::WebResult;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use minijinja::context;
use zhaoshang_app::search::SearchKind;

pub fn routes() -> Routes {
    Routes::new().route("/search", get(results))
}

pub async fn results(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(params): Query<SearchParams>,
) -> WebResult<Html<String>> {
    state.app.require_search(&session.principal).await?;
    let text = params.q.as_deref().map(str::trim).unwrap_or("").to_string();
    let (hits, error) = if text.is_empty() {
        (Vec::new(), None)
    } else {
        match query_of(&params) {
            Ok(query) => (state.app.search(&session.principal, &query).await?, None),
            Err(error) => (Vec::new(), Some(error.message)),
        }
    };
    let rows: Vec<_> = hits
        .iter()
        .map(|hit| {
            let path = match hit.kind {
                SearchKind::Enterprise => "enterprises",
                SearchKind::Project => "projects",
            };
            context! { kind => hit.kind.key(), kind_label => hit.kind.label(), path => path, id => hit.id,
            name => hit.name, code => hit.code, region_name => hit.region_name }
        })
        .collect();
    let kinds: Vec<_> = [SearchKind::Enterprise, SearchKind::Project]
        .iter()
        .map(|kind| context! { key => kind.key(), label => kind.label() })
        .collect();
    page(
        &session,
        "/search",
        "search/search.html",
        context! { search_q => text, kind => params.kind, kinds => kinds, rows => rows, error => error },
    )
}
