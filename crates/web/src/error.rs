//! One error type for pages and API: JSON `{"error", "message"}` for `/api`, a Chinese
//! error page otherwise (inside the layout for a signed-in user: `errors_in_layout`).
//! Server faults are logged with detail and shown without it.

use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::json;
use zhaoshang_app::AppError;
use zhaoshang_store::StoreError;

#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Answer as JSON (API) rather than as a page.
    pub json: bool,
}

impl WebError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> WebError {
        WebError { status, code, message: message.into(), json: false }
    }

    pub fn unauthenticated() -> WebError {
        WebError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录")
    }

    pub fn forbidden() -> WebError {
        WebError::new(StatusCode::FORBIDDEN, "forbidden", "无权访问该数据")
    }

    pub fn not_found(what: &str) -> WebError {
        WebError::new(StatusCode::NOT_FOUND, "not_found", format!("未找到{what}"))
    }

    pub fn bad_request(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn invalid(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
    }

    pub fn internal(detail: impl std::fmt::Display) -> WebError {
        tracing::error!("internal error: {detail}");
        WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "服务器内部错误，请稍后重试")
    }

    pub fn as_json(mut self) -> WebError {
        self.json = true;
        self
    }
}

impl From<StoreError> for WebError {
    fn from(error: StoreError) -> WebError {
        match error {
            StoreError::Conflict(message) => WebError::new(StatusCode::CONFLICT, "conflict", message),
            StoreError::Invalid(message) => WebError::invalid(message),
            StoreError::NotFound(what) => WebError::not_found(&what),
            other => WebError::internal(other),
        }
    }
}

impl From<AppError> for WebError {
    fn from(error: AppError) -> WebError {
        match error {
            AppError::Invalid(message) => WebError::invalid(message),
            AppError::BadCredentials => WebError::new(StatusCode::UNAUTHORIZED, "bad_credentials", "用户名或密码错误"),
            AppError::TooManyAttempts => {
                WebError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", AppError::TooManyAttempts.to_string())
            }
            AppError::Throttled(message) => WebError::new(StatusCode::TOO_MANY_REQUESTS, "throttled", message),
            AppError::Busy(message) => WebError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", message),
            AppError::Forbidden => WebError::forbidden(),
            AppError::NotFound(what) => WebError::not_found(&what),
            AppError::BadRequest(message) => WebError::bad_request(message),
            AppError::Store(store) => store.into(),
            AppError::Internal(detail) => WebError::internal(detail),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if self.json {
            return (self.status, Json(json!({ "error": self.code, "message": self.message }))).into_response();
        }
        let page = crate::templates::render_error(self.status, &self.message);
        let mut response = (self.status, Html(page)).into_response();
        response.extensions_mut().insert(PageError(self.message));
        response
    }
}

/// The message of a refused page request, kept on its response for `errors_in_layout`.
#[derive(Clone)]
struct PageError(String);

/// A page refused to a signed-in user is shown inside the layout, navigation and all, so
/// that the user reads what to fix and carries on; visitors get the bare error page.
pub async fn errors_in_layout(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut cookies = HeaderMap::new();
    if let Some(cookie) = request.headers().get(header::COOKIE) {
        cookies.insert(header::COOKIE, cookie.clone());
    }
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    let Some(PageError(message)) = response.extensions_mut().remove::<PageError>() else { return response };
    let Ok(Some(mut session)) = crate::auth::load_session(&state, &cookies).await else { return response };
    if let Ok(counts) = state.app.inbox_counts(&session.principal).await {
        session.inbox = counts;
    }
    let status = response.status();
    let data = minijinja::context! { status => status.as_u16(), message => message };
    match crate::templates::page(&session, &path, "error_page.html", data) {
        Ok(page) => (status, page).into_response(),
        Err(_) => response,
    }
}

pub type WebResult<T> = Result<T, WebError>;
