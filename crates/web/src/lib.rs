//! The Zhaoshang web application: `router(state)` for tests without a socket,
//! `serve(listener, state, shutdown)` for the real server.

pub mod api;
pub mod assets;
pub mod auth;
pub mod error;
pub mod pages;
pub mod query;
pub mod routes;
pub mod templates;

use axum::routing::get;
use axum::Router;
use routes::Routes;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use zhaoshang_app::search::SearchIndex;
use zhaoshang_app::App;
use zhaoshang_store::Store;

/// What every handler gets: the application (every area's use cases, the search
/// index, the calendar), the configuration, and the import error files waiting for
/// download. Handlers reach data only through `app`'s areas, never the store.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<Config>,
    pub error_files: Arc<pages::import::ErrorFiles>,
    pub import_progress: Arc<pages::import::ImportProgressBoard>,
}

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Started with `--demo`: the sign-in page lists the demo accounts.
    pub demo: bool,
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// The group robot that hears of new to-dos and the daily digest; none by default.
    pub webhook: Option<zhaoshang_app::notify::WebhookConfig>,
}

impl AppState {
    /// The state of a server; with a webhook configured, starts its sender on the
    /// current Tokio runtime.
    pub fn new(store: Store, search: SearchIndex, config: Config) -> AppState {
        let notifier = zhaoshang_app::notify::Notifier::start(config.webhook.clone());
        let app = App::new(store, search).with_notifier(notifier);
        AppState { app, config: Arc::new(config), error_files: Arc::default(), import_progress: Arc::default() }
    }
}

/// Every page module's routes, the API under `/api/v1` and the embedded assets.
pub fn routes() -> Routes {
    Routes::new()
        .merge(pages::home::routes())
        .merge(pages::login::routes())
        .merge(pages::users::routes())
        .merge(pages::audit::routes())
        .merge(pages::dashboard::routes())
        .merge(pages::briefing::routes())
        .merge(pages::evaluation::routes())
        .merge(pages::projects::routes())
        .merge(pages::enterprises::routes())
        .merge(pages::search::routes())
        .merge(pages::activities::routes())
        .merge(pages::activity_plans::routes())
        .merge(pages::travel::routes())
        .merge(pages::visits::routes())
        .merge(pages::work_plans::routes())
        .merge(pages::groups::routes())
        .merge(pages::chains::routes())
        .merge(pages::chain_forms::routes())
        .merge(pages::plans::routes())
        .merge(pages::chambers::routes())
        .merge(pages::attribution::routes())
        .merge(pages::leads::routes())
        .merge(pages::parcels::routes())
        .merge(pages::portal::routes())
        .merge(pages::appeals::routes())
        .merge(pages::attachments::routes())
        .merge(pages::reports::routes())
        .merge(pages::instructions::routes())
        .merge(pages::achievements::routes())
        .merge(pages::import::routes())
        .merge(pages::reference::routes())
        .route("/assets/{*name}", get(assets::serve_asset))
        .nest("/api/v1", api::routes())
        .fallback(pages::not_found)
}

pub fn router(state: AppState) -> Router {
    routes()
        .into_router()
        .layer(axum::middleware::from_fn_with_state(state.clone(), error::errors_in_layout))
        .layer(axum::middleware::map_response_with_state(state.clone(), security_headers))
        .layer(axum::middleware::from_fn(refuse_cross_site_writes))
        .layer(compression())
        .with_state(state)
}

/// Answers compressed with gzip or brotli as the browser asks (`Accept-Encoding`), but
/// not tiny ones (the layer's defaults) nor workbooks, which are zip files already.
fn compression() -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
    let predicate = DefaultPredicate::new().and(NotForContentType::const_new(pages::XLSX));
    tower_http::compression::CompressionLayer::new().compress_when(predicate)
}

/// Writes (anything but GET and HEAD) sent by a page of another site are refused before
/// any handler runs, whatever cookie they carry: browsers say where a request comes
/// from in `Sec-Fetch-Site`, older ones in `Origin`, which must then name this host.
/// Requests without either (command-line clients, tests) fall to the CSRF token, which
/// every form and the session API still check.
async fn refuse_cross_site_writes(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{header, Method};
    use axum::response::IntoResponse;
    let headers = request.headers();
    let text = |name| headers.get(name).and_then(|v: &axum::http::HeaderValue| v.to_str().ok());
    let cross_site = match (text("sec-fetch-site"), text(header::ORIGIN.as_str()), text(header::HOST.as_str())) {
        (Some(site), _, _) => !matches!(site, "same-origin" | "none"),
        (None, Some(origin), Some(host)) => origin.split_once("://").map(|(_, authority)| authority) != Some(host),
        (None, Some(_), None) => true,
        (None, None, _) => false,
    };
    if cross_site && !matches!(*request.method(), Method::GET | Method::HEAD) {
        let error = error::WebError::new(axum::http::StatusCode::FORBIDDEN, "cross_site", "拒绝来自其他网站的请求");
        return if request.uri().path().starts_with("/api/") { error.as_json() } else { error }.into_response();
    }
    next.run(request).await
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

async fn security_headers(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut response: axum::response::Response,
) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let headers = response.headers_mut();
    // Served over HTTPS (the operator says so with --secure-cookies): browsers keep to HTTPS.
    if state.config.secure_cookies {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
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
