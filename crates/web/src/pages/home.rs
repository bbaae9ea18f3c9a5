//! The home page (工作台): who you are, what you can reach.

use crate::auth::PageSession;
use crate::error::WebResult;
use crate::templates::page;
use crate::AppState;
use axum::extract::State;
use axum::response::Html;
use minijinja::context;

pub async fn home(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let region_name = match &session.principal.region {
        Some(code) => state.store.region(code.as_str()).await?.map(|r| r.name),
        None => None,
    };
    let counts = context! {
        regions => state.store.count_regions().await?,
        users => state.store.count_users().await?,
        parks => state.store.parks(session.principal.record_scope().prefix().unwrap_or("")).await?.len(),
        departments => state.store.departments().await?.len(),
    };
    page(&session, "/", "home.html", context! { region_name => region_name, counts => counts })
}
