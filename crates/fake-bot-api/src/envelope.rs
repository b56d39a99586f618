//! The Bot API's response envelope: `{"ok":true,"result":…}` and
//! `{"ok":false,"error_code":…,"description":…,"parameters":…}`.

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Response, StatusCode};
use serde_json::{Value, json};

/// A successful method result, with the optional human-readable `description` some methods
/// (setWebhook, deleteWebhook) add.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) result: Value,
    pub(crate) description: Option<&'static str>,
}

impl Reply {
    pub(crate) fn new(result: Value) -> Self {
        Self {
            result,
            description: None,
        }
    }

    pub(crate) fn described(result: Value, description: &'static str) -> Self {
        Self {
            result,
            description: Some(description),
        }
    }

    pub(crate) fn into_response(self) -> Response<Full<Bytes>> {
        let mut body = json!({ "ok": true, "result": self.result });
        if let (Some(description), Some(object)) = (self.description, body.as_object_mut()) {
            object.insert("description".into(), Value::from(description));
        }
        json_response(StatusCode::OK, &body)
    }
}

/// A failed call, rendered exactly as Telegram renders it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) code: u16,
    pub(crate) description: String,
    pub(crate) retry_after: Option<u32>,
}

impl ApiError {
    pub(crate) fn new(code: u16, description: impl Into<String>) -> Self {
        Self {
            code,
            description: description.into(),
            retry_after: None,
        }
    }

    /// 400 with Telegram's `Bad Request: ` prefix.
    pub(crate) fn bad_request(reason: impl AsRef<str>) -> Self {
        Self::new(400, format!("Bad Request: {}", reason.as_ref()))
    }

    pub(crate) fn unauthorized() -> Self {
        Self::new(401, "Unauthorized")
    }

    pub(crate) fn forbidden(reason: impl AsRef<str>) -> Self {
        Self::new(403, format!("Forbidden: {}", reason.as_ref()))
    }

    pub(crate) fn not_found() -> Self {
        Self::new(404, "Not Found")
    }

    pub(crate) fn conflict(reason: impl AsRef<str>) -> Self {
        Self::new(409, format!("Conflict: {}", reason.as_ref()))
    }

    pub(crate) fn too_many_requests(retry_after: u32) -> Self {
        Self {
            code: 429,
            description: format!("Too Many Requests: retry after {retry_after}"),
            retry_after: Some(retry_after),
        }
    }

    pub(crate) fn body(&self) -> Value {
        let mut body = json!({
            "ok": false,
            "error_code": self.code,
            "description": self.description,
        });
        if let (Some(retry_after), Some(object)) = (self.retry_after, body.as_object_mut()) {
            object.insert("parameters".into(), json!({ "retry_after": retry_after }));
        }
        body
    }

    pub(crate) fn into_response(self) -> Response<Full<Bytes>> {
        let status = StatusCode::from_u16(self.code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        json_response(status, &self.body())
    }
}

pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(error: ApiError, expected: Value) {
        assert_eq!(error.body(), expected);
    }

    #[test]
    fn error_envelopes_match_the_bot_api() {
        check(
            ApiError::bad_request("message text is empty"),
            json!({"ok": false, "error_code": 400, "description": "Bad Request: message text is empty"}),
        );
        check(
            ApiError::too_many_requests(3),
            json!({
                "ok": false,
                "error_code": 429,
                "description": "Too Many Requests: retry after 3",
                "parameters": {"retry_after": 3}
            }),
        );
        check(
            ApiError::unauthorized(),
            json!({"ok": false, "error_code": 401, "description": "Unauthorized"}),
        );
        check(
            ApiError::forbidden("bot was blocked by the user"),
            json!({"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}),
        );
    }
}
