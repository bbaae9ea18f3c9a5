//! The Zhaoshang web application: `router(state)` for tests without a socket,
//! `serve(listener, state, shutdown)` for the real server.

pub mod api;
pub mod assets;
pub mod auth;
pub mod error;
pub mod pages;
pub mod templates;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use zhaoshang_app::exchange::ImportReport;
use zhaoshang_app::search::SearchIndex;
use zhaoshang_store::Store;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Built from the database at start (`SearchIndex::open`), then kept in step by
    /// `follow_import` after every write.
    pub search: SearchIndex,
    pub config: Arc<Config>,
    /// The official working-day calendar, read from the database and kept a minute.
    pub calendar: Arc<zhaoshang_app::calendar::CalendarCache>,
    pub error_files: Arc<pages::import::ErrorFiles>,
}

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Started with `--demo`: the sign-in page lists the demo accounts.
    pub demo: bool,
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(store: Store, search: SearchIndex, config: Config) -> AppState {
        AppState { store, search, config: Arc::new(config), calendar: Arc::default(), error_files: Arc::default() }
    }

    /// Brings the search index up to date with what an import (or a form saved as one)
    /// wrote. The write itself has committed, so a failure here is logged rather than
    /// shown to the user as a failed save; the next start rebuilds the index.
    pub async fn follow_import(&self, report: &ImportReport) {
        if let Err(error) = self.search.follow_import(&self.store, report).await {
            tracing::error!("search index not updated after an import of {}: {error}", report.kind.key());
        }
    }
}

/// Imports of a province's yearly projects run to tens of megabytes.
const MAX_UPLOAD_BYTES: usize = 256 * 1024 * 1024;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home::home))
        .route("/login", get(pages::login::form).post(pages::login::submit))
        .route("/logout", post(pages::login::logout))
        .route("/admin/users", get(pages::users::list).post(pages::users::create))
        .route("/admin/users/new", get(pages::users::new_form))
        .route("/admin/users/{id}", get(pages::users::edit_form).post(pages::users::update))
        .route("/admin/audit", get(pages::audit::list))
        .route("/dashboard", get(pages::dashboard::dashboard))
        .route("/reports/monthly", get(pages::dashboard::monthly_report))
        .route("/projects", get(pages::projects::list).post(pages::projects::save))
        .route("/projects/new", get(pages::projects::new_form))
        .route("/projects/duplicates", get(pages::projects::duplicates))
        .route("/projects/{id}", get(pages::projects::detail))
        .route("/projects/{id}/edit", get(pages::projects::edit_form))
        .route("/projects/{id}/funding", post(pages::projects::add_funding))
        .route("/projects/{id}/problems", post(pages::projects::add_problem))
        .route("/projects/{id}/services", post(pages::projects::add_service))
        .route("/funding", get(pages::projects::funding_list))
        .route("/enterprises", get(pages::enterprises::list))
        .route("/enterprises/{id}", get(pages::enterprises::detail))
        .route("/search", get(pages::search::results))
        .route("/chains", get(pages::chains::list))
        .route("/chains/new", get(pages::chain_forms::new_form))
        .route("/chains/save", post(pages::chain_forms::save_chain))
        .route("/chains/{id}", get(pages::chains::map))
        .route("/chains/{id}/edit", get(pages::chain_forms::edit_form))
        .route("/chains/{id}/nodes", post(pages::chain_forms::save_node))
        .route("/chains/{id}/enterprises", post(pages::chain_forms::attach_enterprise))
        .route("/chains/{id}/enterprises/detach", post(pages::chain_forms::detach_enterprise))
        .route("/chains/{id}/gaps.xlsx", get(pages::chains::gaps_export))
        .route("/plans", get(pages::plans::list).post(pages::plans::create))
        .route("/plans/{id}", get(pages::plans::detail).post(pages::plans::update))
        .route("/plans/{id}/visits", post(pages::plans::add_visit))
        .route("/inbox", get(pages::plans::inbox))
        .route(
            "/import",
            get(pages::import::form).post(pages::import::upload).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/import/errors/{id}", get(pages::import::error_file))
        .route("/import/template/{kind}", get(pages::import::template))
        .route("/reference/regions", get(pages::reference::regions))
        .route("/reference/settings", post(pages::reference::save_settings))
        .route("/reference/parks", get(pages::reference::parks).post(pages::reference::save_park))
        .route("/reference/departments", get(pages::reference::departments).post(pages::reference::save_department))
        .route("/reference/industries", get(pages::reference::industries))
        .route("/reference/calendar", get(pages::reference::calendar).post(pages::reference::save_notice))
        .route("/assets/{*name}", get(assets::serve_asset))
        .nest("/api/v1", api::routes())
        .fallback(pages::not_found)
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// The Content-Security-Policy of every response. Scripts come only from the
/// application's own files: no inline script, no inline event handler, no
/// `javascript:` URL, no eval — data reaches scripts through
/// `<script type="application/json">` blocks, which are not run. Style attributes stay
/// allowed (`style-src-attr`): the templates colour gap statuses with them and
/// ECharts writes its tooltips' markup with them; `<style>` elements and other sites'
/// style sheets are not (`style-src-elem`). Browsers without those two directives
/// (CSP level 2) use `style-src`, which therefore also allows inline styles. Images may
/// also be `data:` and `blob:` URLs, as chart images are.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; style-src-elem 'self'; style-src-attr 'unsafe-inline'; \
    img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
    form-action 'self'; frame-ancestors 'none'";

async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    // Signed-in pages, API answers and exports are kept by no cache (shared computers,
    // proxies); only the embedded assets say otherwise themselves.
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Serves until `shutdown` completes, then drains open requests.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
