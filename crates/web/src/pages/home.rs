//! The home page (工作台): who you are, what you can reach.

use crate::auth::PageSession;
use crate::error::WebResult;
use crate::routes::Routes;
use crate::templates::page;
use crate::AppState;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use minijinja::context;

pub fn routes() -> Routes {
    Routes::new().route("/", get(home))
}

pub async fn home(State(state): State<AppState>, PageSession(session): PageSession) -> WebResult<Html<String>> {
    let region_name = match &session.principal.region {
        Some(code) => state.app.region(code.as_str()).await?.map(|r| r.name),
        None => None,
    };
    let counts = state.app.home_counts(&session.principal).await?;
    let counts = context! {
        regions => counts.regions, users => counts.users, parks => counts.parks, departments => counts.departments,
    };
    page(&session, "/", "home/home.html", context! { region_name => region_name, counts => counts })
}
