//! The results page of the search box in the header (`/search?q=&kind=&page=`):
//! enterprises and projects in the user's scope, best match first, each linked to its
//! page, with a tab per kind showing how many match and a pager.

use crate::api::search::{query_of, SearchParams};
use crate::auth::PageSession;
use crate::error::WebResult;
use crate::pages::{non_empty, pager, query_string};
use crate::query::Query;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use minijinja::{context, Value};
use zhaoshang_app::search::{SearchKind, SearchQuery, SearchResults, DEFAULT_LIMIT};

pub fn routes() -> Routes {
    Routes::new().route("/search", get(results))
}

/// The tabs: every kind together, then each kind, with its count and link.
fn tabs(text: &str, results: &SearchResults, current: Option<SearchKind>) -> Vec<Value> {
    let all = (None, "全部", results.totals.all());
    let kinds = SearchKind::ALL.map(|kind| (Some(kind), kind.label(), results.totals.of(kind)));
    std::iter::once(all)
        .chain(kinds)
        .map(|(kind, label, count)| {
            let link = query_string(&[("q", &Some(text.to_string())), ("kind", &kind.map(|k| k.key().to_string()))]);
            context! { key => kind.map_or("all", SearchKind::key), label, count, link, active => kind == current }
        })
        .collect()
}

fn row(hit: &zhaoshang_app::search::SearchHit) -> Value {
    let path = match hit.kind {
        SearchKind::Enterprise => "enterprises",
        SearchKind::Project => "projects",
    };
    context! { kind => hit.kind.key(), kind_label => hit.kind.label(), path, id => hit.id,
    name => hit.name, code => hit.code, region_name => hit.region_name }
}

pub async fn results(
    State(state): State<AppState>,
    PageSession(session): PageSession,
    Query(params): Query<SearchParams>,
) -> WebResult<Response> {
    state.app.require_search(&session.principal)?;
    let text = params.q.as_deref().map(str::trim).unwrap_or("").to_string();
    let render = |status: StatusCode, data: Value| -> WebResult<Response> {
        let data = context! { search_q => text, kind => non_empty(params.kind.as_deref()), ..data };
        Ok((status, page(&session, "/search", "search/search.html", data)?).into_response())
    };
    if text.is_empty() {
        return render(StatusCode::OK, context! {});
    }
    let query = match query_of(&params) {
        Ok(query) => SearchQuery { limit: DEFAULT_LIMIT, ..query },
        Err(error) => return render(error.status, context! { error => error.message }),
    };
    let results = state.app.search(&session.principal, &query).await?;
    render(
        StatusCode::OK,
        context! {
            searched => true, tabs => tabs(&text, &results, query.kind),
            rows => results.items.iter().map(row).collect::<Vec<_>>(), total => results.total,
            past_end => results.items.is_empty() && results.total > 0,
            query_string => query_string(&[("q", &Some(text.clone())), ("kind", &params.kind)]),
            ..pager(Some(results.page), results.total as i64, DEFAULT_LIMIT as i64)
        },
    )
}
