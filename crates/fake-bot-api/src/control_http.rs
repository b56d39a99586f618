//! The control API over HTTP, under `/control/`, mirroring [`Handle`] for scripts and other
//! processes. Answers are `{"ok":true,"result":…}` or `{"ok":false,"error":"…"}`.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Method, Response, StatusCode};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::control::Handle;
use crate::envelope::json_response;
use crate::error::ControlError;
use crate::faults::Fault;
use crate::state::Shared;

type Answer = Result<Value, (StatusCode, String)>;

pub(crate) async fn handle(
    shared: &Arc<Shared>,
    method: &Method,
    path: &str,
    query: Option<&str>,
    body: &[u8],
) -> Response<Full<Bytes>> {
    let handle = Handle::new(Arc::clone(shared));
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let query: Map<String, Value> = form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .map(|(key, value)| (key.into_owned(), Value::from(value.into_owned())))
        .collect();
    let body = match parse_body(body) {
        Ok(body) => body,
        Err(answer) => return respond(Err(answer)),
    };
    let answer = match (method, segments.as_slice()) {
        (&Method::GET, ["stats"]) => to_value(&handle.stats()),
        (&Method::GET, ["webhook"]) => to_value(&handle.webhook()),
        (&Method::GET, ["commands"]) => to_value(&handle.commands()),
        (&Method::GET, ["callbacks", id]) => to_value(&handle.callback_answer(id)),
        (&Method::GET, ["inline", id]) => to_value(&handle.inline_answer(id)),
        (&Method::POST, ["updates"]) => handle
            .inject_update(Value::Object(body))
            .await
            .map(|id| json!({"update_id": id}))
            .map_err(control_error),
        (&Method::POST, ["load"]) => {
            let messages = number(&body, "messages").unwrap_or(0);
            let users = number(&body, "users").unwrap_or(1);
            let ids = handle.inject_text_load(messages, users).await;
            Ok(json!({"update_ids": ids}))
        }
        (&Method::POST, ["faults"]) => arm_fault(&handle, &body),
        (_, ["users", id, rest @ ..]) => match id.parse::<i64>() {
            Ok(user) => user_route(&handle, method, user, rest, &body, &query).await,
            Err(_) => Err((
                StatusCode::BAD_REQUEST,
                format!("user id {id:?} is not an integer"),
            )),
        },
        _ => Err((
            StatusCode::NOT_FOUND,
            format!("no control endpoint {method} /control/{path}"),
        )),
    };
    respond(answer)
}

async fn user_route(
    handle: &Handle,
    method: &Method,
    user: i64,
    rest: &[&str],
    body: &Map<String, Value>,
    query: &Map<String, Value>,
) -> Answer {
    let text = |name: &str| body.get(name).and_then(Value::as_str).map(str::to_owned);
    let required = |name: &str| {
        text(name).ok_or_else(|| (StatusCode::BAD_REQUEST, format!("\"{name}\" is required")))
    };
    let update = |id: u32| json!({"update_id": id});
    match (method, rest) {
        (&Method::POST, []) => {
            let mut fake = handle.user(user);
            if let Some(name) = text("first_name") {
                fake = fake.with_name(name);
            }
            if let Some(name) = text("last_name") {
                fake = fake.with_last_name(name);
            }
            if let Some(name) = text("username") {
                fake = fake.with_username(name);
            }
            if let Some(code) = text("language_code") {
                fake = fake.with_language(code);
            }
            Ok(json!({"user_id": fake.id()}))
        }
        (&Method::GET, ["chat"]) => {
            let wanted = number(query, "wait_bot_messages");
            let timeout = Duration::from_millis(
                u64::try_from(number(query, "timeout_ms").unwrap_or(5_000)).unwrap_or(5_000),
            );
            let chat = match wanted {
                Some(count) => handle
                    .wait_for_bot_messages(user, count, timeout)
                    .await
                    .map_err(control_error)?,
                None => handle.chat(user),
            };
            if query.get("format").and_then(Value::as_str) == Some("text") {
                return Ok(Value::String(chat.transcript()));
            }
            to_value(&chat)
        }
        (&Method::POST, ["text"]) => Ok(update(handle.send_text(user, &required("text")?).await)),
        (&Method::POST, ["command"]) => Ok(update(
            handle.send_command(user, &required("command")?).await,
        )),
        (&Method::POST, ["photo"]) => Ok(update(
            handle.send_photo(user, text("caption").as_deref()).await,
        )),
        (&Method::POST, ["document-photo"]) => {
            Ok(update(handle.send_photo_as_document(user).await))
        }
        (&Method::POST, ["sticker"]) => Ok(update(handle.send_sticker(user).await)),
        (&Method::POST, ["voice"]) => Ok(update(handle.send_voice(user).await)),
        (&Method::POST, ["press-reply"]) => handle
            .press_reply_button(user, &required("label")?)
            .await
            .map(update)
            .map_err(control_error),
        (&Method::POST, ["press-inline"]) => {
            let label = required("label")?;
            let pressed = match number(body, "message_id").and_then(|id| i32::try_from(id).ok()) {
                Some(message_id) => {
                    handle
                        .press_inline_button_in(user, message_id, &label)
                        .await
                }
                None => handle.press_inline_button(user, &label).await,
            };
            pressed.map(update).map_err(control_error)
        }
        (&Method::POST, ["callback"]) => {
            let message_id = number(body, "message_id")
                .and_then(|id| i32::try_from(id).ok())
                .ok_or_else(|| {
                    (
                        StatusCode::BAD_REQUEST,
                        "\"message_id\" is required".to_owned(),
                    )
                })?;
            handle
                .send_callback(user, message_id, &required("data")?)
                .await
                .map(update)
                .map_err(control_error)
        }
        (&Method::POST, ["inline"]) => {
            let offset = body
                .get("offset")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let id = handle
                .send_inline_query(user, &required("query")?, offset)
                .await;
            Ok(json!({ "inline_query_id": id }))
        }
        (&Method::POST, ["block"]) => {
            let blocked = body.get("blocked").and_then(Value::as_bool).unwrap_or(true);
            let id = if blocked {
                handle.block(user).await
            } else {
                handle.unblock(user).await
            };
            Ok(update(id))
        }
        (&Method::POST, ["unblock"]) => Ok(update(handle.unblock(user).await)),
        _ => Err((
            StatusCode::NOT_FOUND,
            format!(
                "no control endpoint {method} /control/users/{user}/{}",
                rest.join("/")
            ),
        )),
    }
}

fn arm_fault(handle: &Handle, body: &Map<String, Value>) -> Answer {
    let method = body.get("method").and_then(Value::as_str).ok_or_else(|| {
        (
            StatusCode::BAD_REQUEST,
            "\"method\" is required (or \"*\")".to_owned(),
        )
    })?;
    let count = number(body, "count")
        .and_then(|count| u32::try_from(count).ok())
        .unwrap_or(1);
    let fault = if body.get("disconnect").and_then(Value::as_bool) == Some(true) {
        Fault::Disconnect
    } else if body.get("hang").and_then(Value::as_bool) == Some(true) {
        Fault::Hang
    } else {
        match number(body, "status").and_then(|status| u16::try_from(status).ok()) {
            Some(429) | None => Fault::TooManyRequests {
                retry_after: number(body, "retry_after")
                    .and_then(|seconds| u32::try_from(seconds).ok())
                    .unwrap_or(1),
            },
            Some(status @ 400..=599) => Fault::ServerError { status },
            Some(status) => {
                return Err((
                    StatusCode::BAD_REQUEST,
                    format!("status {status} is not an error status"),
                ));
            }
        }
    };
    handle.fail_next(method, count, fault);
    to_value(&json!({"method": method, "count": count, "fault": fault}))
}

fn parse_body(body: &[u8]) -> Result<Map<String, Value>, (StatusCode, String)> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(object)) => Ok(object),
        _ => Err((
            StatusCode::BAD_REQUEST,
            "the body must be a JSON object".to_owned(),
        )),
    }
}

/// A non-negative integer field, given as a number or a string.
fn number(fields: &Map<String, Value>, name: &str) -> Option<usize> {
    match fields.get(name)? {
        Value::Number(number) => number.as_u64().and_then(|n| usize::try_from(n).ok()),
        Value::String(text) => text.parse().ok(),
        _ => None,
    }
}

fn to_value(value: &impl Serialize) -> Answer {
    serde_json::to_value(value)
        .map_err(|error| (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()))
}

fn control_error(error: ControlError) -> (StatusCode, String) {
    let status = match error {
        ControlError::Timeout { .. } => StatusCode::REQUEST_TIMEOUT,
        ControlError::NoSuchMessage { .. } => StatusCode::NOT_FOUND,
        _ => StatusCode::BAD_REQUEST,
    };
    (status, error.to_string())
}

/// A bare string result (a transcript) goes out as plain text, for reading in a terminal.
fn respond(answer: Answer) -> Response<Full<Bytes>> {
    match answer {
        Ok(Value::String(text)) => {
            let mut response = Response::new(Full::new(Bytes::from(text)));
            response.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            response
        }
        Ok(result) => json_response(StatusCode::OK, &json!({"ok": true, "result": result})),
        Err((status, error)) => json_response(status, &json!({"ok": false, "error": error})),
    }
}
