//! `reply_markup`: the four keyboard kinds, checked as the Bot API checks them.

use serde_json::{Value, json};

use crate::chat::{InlineButton, ReplyKeyboard};
use crate::envelope::ApiError;

/// The byte limits of `callback_data`.
const CALLBACK_DATA_BYTES: std::ops::RangeInclusive<usize> = 1..=64;

/// Inline-button fields of which exactly one gives the button its action.
const INLINE_ACTIONS: &[&str] = &[
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
];

/// A validated `reply_markup`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Markup {
    /// Attached to the message; `raw` is echoed back in the message's `reply_markup`.
    Inline {
        raw: Value,
        rows: Vec<Vec<InlineButton>>,
    },
    /// Replaces the chat's reply keyboard.
    Reply(ReplyKeyboard),
    /// Removes the chat's reply keyboard.
    Remove,
    ForceReply,
}

fn unparsable() -> ApiError {
    ApiError::bad_request("can't parse reply keyboard markup JSON object")
}

/// Validates a `reply_markup` parameter (`Err(())` from the parameter reader means it was not
/// JSON at all).
pub(crate) fn parse(value: Result<Option<Value>, ()>) -> Result<Option<Markup>, ApiError> {
    let Some(value) = value.map_err(|()| unparsable())? else {
        return Ok(None);
    };
    let Value::Object(object) = &value else {
        return Err(unparsable());
    };
    if let Some(rows) = object.get("inline_keyboard") {
        return inline(rows).map(Some);
    }
    if let Some(rows) = object.get("keyboard") {
        return reply(rows, object).map(|keyboard| Some(Markup::Reply(keyboard)));
    }
    if object.get("remove_keyboard").and_then(Value::as_bool) == Some(true) {
        return Ok(Some(Markup::Remove));
    }
    if object.get("force_reply").and_then(Value::as_bool) == Some(true) {
        return Ok(Some(Markup::ForceReply));
    }
    Err(unparsable())
}

fn rows_of(value: &Value) -> Result<&Vec<Value>, ApiError> {
    value.as_array().ok_or_else(unparsable)
}

fn inline(value: &Value) -> Result<Markup, ApiError> {
    let mut raw_rows = Vec::new();
    let mut rows = Vec::new();
    for row in rows_of(value)? {
        let mut raw_row = Vec::new();
        let mut buttons = Vec::new();
        for button in rows_of(row)? {
            let Value::Object(fields) = button else {
                return Err(ApiError::bad_request(
                    "can't parse inline keyboard button: InlineKeyboardButton must be an Object",
                ));
            };
            let Some(text) = fields.get("text").and_then(Value::as_str) else {
                return Err(ApiError::bad_request(
                    "can't parse inline keyboard button: Field \"text\" must be of type String",
                ));
            };
            let actions = INLINE_ACTIONS
                .iter()
                .filter(|name| fields.contains_key(**name))
                .count();
            if actions == 0 {
                return Err(ApiError::bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
                ));
            }
            let callback_data = match fields.get("callback_data") {
                None => None,
                Some(Value::String(data)) if CALLBACK_DATA_BYTES.contains(&data.len()) => {
                    Some(data.clone())
                }
                Some(_) => return Err(ApiError::bad_request("BUTTON_DATA_INVALID")),
            };
            let url = match fields.get("url") {
                None => None,
                Some(Value::String(url)) if is_button_url(url) => Some(url.clone()),
                Some(_) => return Err(ApiError::bad_request("BUTTON_URL_INVALID")),
            };
            let web_app = match fields.get("web_app") {
                None => None,
                Some(web_app) => match web_app.get("url").and_then(Value::as_str) {
                    Some(url) if is_web_app_url(url) => Some(url.to_owned()),
                    _ => return Err(ApiError::bad_request("BUTTON_URL_INVALID")),
                },
            };
            buttons.push(InlineButton {
                text: text.to_owned(),
                callback_data,
                url,
                web_app,
                switch_inline_query: fields
                    .get("switch_inline_query")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            });
            raw_row.push(button.clone());
        }
        if !buttons.is_empty() {
            rows.push(buttons);
            raw_rows.push(Value::Array(raw_row));
        }
    }
    Ok(Markup::Inline {
        raw: json!({ "inline_keyboard": raw_rows }),
        rows,
    })
}

/// A Mini App's URL: Telegram takes only HTTPS; the double also takes plain HTTP on this
/// machine, so that a page served by a local bot can be tried against it.
pub(crate) fn is_web_app_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let local = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|origin| {
            lower
                .strip_prefix(origin)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
        });
    local
        || lower
            .strip_prefix("https://")
            .is_some_and(|rest| !rest.is_empty())
}

fn is_button_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    ["http://", "https://", "tg://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && lower.len() > scheme.len())
}

fn reply(
    value: &Value,
    object: &serde_json::Map<String, Value>,
) -> Result<ReplyKeyboard, ApiError> {
    let mut rows = Vec::new();
    let (mut location_buttons, mut contact_buttons) = (Vec::new(), Vec::new());
    for row in rows_of(value)? {
        let mut labels = Vec::new();
        for button in rows_of(row)? {
            let label = match button {
                Value::String(text) => text.clone(),
                Value::Object(fields) => {
                    let label = fields
                        .get("text")
                        .and_then(Value::as_str)
                        .ok_or_else(|| {
                            ApiError::bad_request(
                                "can't parse keyboard button: Field \"text\" must be of type String",
                            )
                        })?
                        .to_owned();
                    let asks =
                        |field: &str| fields.get(field).and_then(Value::as_bool) == Some(true);
                    if asks("request_location") {
                        location_buttons.push(label.clone());
                    }
                    if asks("request_contact") {
                        contact_buttons.push(label.clone());
                    }
                    label
                }
                _ => {
                    return Err(ApiError::bad_request(
                        "can't parse keyboard button: KeyboardButton must be a String or an Object",
                    ));
                }
            };
            labels.push(label);
        }
        if !labels.is_empty() {
            rows.push(labels);
        }
    }
    let flag = |name: &str| object.get(name).and_then(Value::as_bool).unwrap_or(false);
    Ok(ReplyKeyboard {
        rows,
        resize_keyboard: flag("resize_keyboard"),
        one_time_keyboard: flag("one_time_keyboard"),
        is_persistent: flag("is_persistent"),
        input_field_placeholder: object
            .get("input_field_placeholder")
            .and_then(Value::as_str)
            .map(str::to_owned),
        location_buttons,
        contact_buttons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(markup: Value, expected: Result<&str, &str>) {
        let outcome = parse(Ok(Some(markup))).map(|markup| match markup {
            Some(Markup::Inline { .. }) => "inline",
            Some(Markup::Reply(_)) => "reply",
            Some(Markup::Remove) => "remove",
            Some(Markup::ForceReply) => "force_reply",
            None => "none",
        });
        assert_eq!(
            outcome.map_err(|error| error.description),
            expected.map_err(str::to_owned)
        );
    }

    #[test]
    fn keyboards_are_validated_like_the_bot_api() {
        let data_64 = "x".repeat(64);
        let data_65 = "x".repeat(65);
        check(
            json!({"inline_keyboard": [[{"text": "a", "callback_data": data_64}]]}),
            Ok("inline"),
        );
        check(
            json!({"inline_keyboard": [[{"text": "a", "callback_data": data_65}]]}),
            Err("Bad Request: BUTTON_DATA_INVALID"),
        );
        // 33 Cyrillic letters: well under 64 characters, but 66 bytes.
        check(
            json!({"inline_keyboard": [[{"text": "a", "callback_data": "я".repeat(33)}]]}),
            Err("Bad Request: BUTTON_DATA_INVALID"),
        );
        check(
            json!({"inline_keyboard": [[{"text": "a", "callback_data": ""}]]}),
            Err("Bad Request: BUTTON_DATA_INVALID"),
        );
        check(
            json!({"inline_keyboard": [[{"text": "a"}]]}),
            Err(
                "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
            ),
        );
        check(
            json!({"inline_keyboard": [[{"text": "map", "url": "https://maps.example/x"}]]}),
            Ok("inline"),
        );
        check(
            json!({"inline_keyboard": [[{"text": "map", "url": "maps"}]]}),
            Err("Bad Request: BUTTON_URL_INVALID"),
        );
        check(
            json!({"keyboard": [["A", {"text": "B"}]], "resize_keyboard": true}),
            Ok("reply"),
        );
        check(json!({"remove_keyboard": true}), Ok("remove"));
        check(json!({"force_reply": true}), Ok("force_reply"));
        check(
            json!({"something": 1}),
            Err("Bad Request: can't parse reply keyboard markup JSON object"),
        );
    }
}
