//! The one way handlers read a query string: as axum's `Query`, but a value that does
//! not fit its field (`page=-1`, `edit=abc`) is refused in Chinese, naming the parameter
//! and the value, as a page inside the layout or, under `/api/`, as JSON.

use crate::error::WebError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or_default();
        let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(raw.as_bytes()));
        serde_path_to_error::deserialize(deserializer).map(Query).map_err(|error| {
            let refusal = WebError::bad_request(refusal_message(raw, &error.path().to_string()));
            if parts.uri.path().starts_with("/api/") {
                refusal.as_json()
            } else {
                refusal
            }
        })
    }
}

/// What to fix, in Chinese: the page number's own message, else the parameter and its value.
fn refusal_message(raw: &str, field: &str) -> String {
    let value = form_urlencoded::parse(raw.as_bytes()).find(|(key, _)| key == field).map(|(_, value)| value);
    match (field, value) {
        ("page", Some(value)) => zhaoshang_core::text::BadPageNumber(value.into_owned()).to_string(),
        (_, Some(value)) => format!("网址中的参数 {field} 的值“{value}”无效，请检查后重试"),
        _ => format!("网址中的参数 {field} 无效，请检查后重试"),
    }
}

#[cfg(test)]
mod tests {
    use super::refusal_message;

    #[test]
    fn refusals_name_the_parameter_and_value() {
        assert_eq!(refusal_message("q=x&page=-1", "page"), "页码“-1”无效，应为不小于 1 的整数");
        assert_eq!(refusal_message("edit=%E5%A4%A7", "edit"), "网址中的参数 edit 的值“大”无效，请检查后重试");
        assert_eq!(refusal_message("", "year"), "网址中的参数 year 无效，请检查后重试");
    }
}
