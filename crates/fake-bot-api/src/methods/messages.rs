//! Sending, editing and deleting messages in a user's private chat.

use serde_json::{Value, json};

use crate::chat::{AttachedKeyboard, ChatState, Media, StoredMessage};
use crate::envelope::{ApiError, Reply};
use crate::html::{Entity, Formatted, parse_html};
use crate::markup::{self, Markup};
use crate::params::Params;
use crate::state::{State, now};

const TEXT_LIMIT: usize = 4096;
const CAPTION_LIMIT: usize = 1024;
const NOT_MODIFIED: &str = "message is not modified: specified new message content and reply markup are \
                            exactly the same as a current content and reply markup of the message";

/// The chat a call targets: it must exist (the user has talked to the bot).
fn target_chat(state: &State, params: &Params) -> Result<i64, ApiError> {
    let chat_id = params
        .i64("chat_id")
        .map_err(|_| ApiError::bad_request("chat not found"))?
        .ok_or_else(|| ApiError::bad_request("chat_id is empty"))?;
    if !state.users.contains_key(&chat_id) {
        return Err(ApiError::bad_request("chat not found"));
    }
    Ok(chat_id)
}

/// Refuses delivery to a user who blocked the bot; checked after the request itself is valid,
/// as Telegram does.
fn check_not_blocked(state: &State, chat_id: i64) -> Result<(), ApiError> {
    if state.chats.get(&chat_id).is_some_and(|chat| chat.blocked) {
        return Err(ApiError::forbidden("bot was blocked by the user"));
    }
    Ok(())
}

/// Applies the parse mode (or explicit entities) and Telegram's trimming.
fn format(
    params: &Params,
    text: &str,
    parse_mode_field: &str,
    entities_field: &str,
) -> Result<Formatted, ApiError> {
    let parse_mode = params
        .str(parse_mode_field)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let formatted = match parse_mode.as_str() {
        "" => {
            let entities = match params.json(entities_field) {
                Ok(Some(value)) => serde_json::from_value::<Vec<Entity>>(value)
                    .map_err(|_| ApiError::bad_request("can't parse entities JSON object"))?,
                Ok(None) => Vec::new(),
                Err(()) => return Err(ApiError::bad_request("can't parse entities JSON object")),
            };
            Formatted {
                text: text.to_owned(),
                entities,
            }
        }
        "html" => parse_html(text)
            .map_err(|reason| ApiError::bad_request(format!("can't parse entities: {reason}")))?,
        // Markdown is passed through unchecked: this server only checks HTML.
        "markdown" | "markdownv2" => Formatted::plain(text),
        _ => return Err(ApiError::bad_request("unsupported parse_mode")),
    };
    Ok(formatted.trimmed())
}

fn message_text(params: &Params) -> Result<Formatted, ApiError> {
    let text = params.str("text").unwrap_or_default();
    let formatted = format(params, &text, "parse_mode", "entities")?;
    let length = formatted.text.chars().count();
    if length == 0 {
        return Err(ApiError::bad_request("message text is empty"));
    }
    if length > TEXT_LIMIT {
        return Err(ApiError::bad_request("message is too long"));
    }
    Ok(formatted)
}

fn caption(params: &Params) -> Result<Option<Formatted>, ApiError> {
    let Some(text) = params.str("caption") else {
        return Ok(None);
    };
    let formatted = format(params, &text, "parse_mode", "caption_entities")?;
    if formatted.text.chars().count() > CAPTION_LIMIT {
        return Err(ApiError::bad_request("message caption is too long"));
    }
    Ok((!formatted.text.is_empty()).then_some(formatted))
}

fn reply_markup(params: &Params) -> Result<Option<Markup>, ApiError> {
    markup::parse(params.json("reply_markup"))
}

/// Edits take only an inline keyboard; no keyboard removes the current one.
fn inline_keyboard(params: &Params) -> Result<Option<AttachedKeyboard>, ApiError> {
    match reply_markup(params)? {
        None => Ok(None),
        Some(Markup::Inline { raw, rows }) => {
            Ok((!rows.is_empty()).then_some(AttachedKeyboard { raw, rows }))
        }
        Some(_) => Err(ApiError::bad_request("inline keyboard expected")),
    }
}

/// Attaches an inline keyboard to the message, or changes the chat's reply keyboard.
fn apply_markup(chat: &mut ChatState, message: &mut StoredMessage, markup: Option<Markup>) {
    match markup {
        Some(Markup::Inline { raw, rows }) if !rows.is_empty() => {
            message.keyboard = Some(AttachedKeyboard { raw, rows });
        }
        Some(Markup::Reply(keyboard)) => chat.reply_keyboard = Some(keyboard),
        Some(Markup::Remove) => chat.reply_keyboard = None,
        Some(Markup::Inline { .. } | Markup::ForceReply) | None => {}
    }
}

/// Stores a bot message and returns its Bot API JSON.
fn deliver(
    state: &mut State,
    chat_id: i64,
    markup: Option<Markup>,
    fill: impl FnOnce(&mut StoredMessage),
) -> Value {
    let chat = state.chat(chat_id);
    let mut message = StoredMessage::new(chat.next_message_id(), true, now());
    fill(&mut message);
    apply_markup(chat, &mut message, markup);
    let rendered = state.message_json(chat_id, &message);
    state.chat(chat_id).messages.push(message);
    rendered
}

pub(crate) fn send_message(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let chat_id = target_chat(state, params)?;
    let text = message_text(params)?;
    let markup = reply_markup(params)?;
    check_not_blocked(state, chat_id)?;
    Ok(Reply::new(deliver(state, chat_id, markup, |message| {
        message.text = Some(text);
    })))
}

/// A venue: a place with a title and an address, all four required as Telegram requires
/// them, the coordinates within the Earth's ranges.
pub(crate) fn send_venue(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let chat_id = target_chat(state, params)?;
    let degrees = |name: &str, bound: f64| -> Result<f64, ApiError> {
        params
            .str(name)
            .and_then(|text| text.trim().parse::<f64>().ok())
            .filter(|value| value.is_finite() && value.abs() <= bound)
            .ok_or_else(|| ApiError::bad_request(format!("invalid {name} specified")))
    };
    let latitude = degrees("latitude", 90.0)?;
    let longitude = degrees("longitude", 180.0)?;
    let text = |name: &str| {
        params
            .str(name)
            .filter(|text| !text.trim().is_empty())
            .ok_or_else(|| ApiError::bad_request(format!("{name} is empty")))
    };
    let title = text("title")?;
    let address = text("address")?;
    let markup = reply_markup(params)?;
    check_not_blocked(state, chat_id)?;
    let venue = serde_json::json!({
        "location": {"latitude": latitude, "longitude": longitude},
        "title": title,
        "address": address,
    });
    Ok(Reply::new(deliver(state, chat_id, markup, |message| {
        message.media = Some(Media::Venue(venue));
    })))
}

/// A photo given as a known file id or an HTTP URL.
fn resolve_photo(state: &mut State, photo: &str) -> Result<Value, ApiError> {
    match state.files.get(photo) {
        Some(Media::Photo(sizes)) => Ok(sizes.clone()),
        Some(_) => Err(ApiError::bad_request("type of file mismatch")),
        None if photo.starts_with("http://") || photo.starts_with("https://") => {
            Ok(state.new_photo())
        }
        None => Err(ApiError::bad_request(
            "wrong file identifier/HTTP URL specified",
        )),
    }
}

pub(crate) fn send_photo(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let chat_id = target_chat(state, params)?;
    let photo = params
        .str("photo")
        .filter(|photo| !photo.is_empty())
        .ok_or_else(|| ApiError::bad_request("there is no photo in the request"))?;
    let caption = caption(params)?;
    let markup = reply_markup(params)?;
    check_not_blocked(state, chat_id)?;
    let sizes = match params.upload("photo") {
        Some(bytes) => {
            let sizes = state.new_photo();
            let ids = sizes
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|size| size.get("file_id").and_then(Value::as_str));
            for id in ids {
                state.file_contents.insert(id.to_owned(), bytes.to_vec());
            }
            sizes
        }
        None => resolve_photo(state, &photo)?,
    };
    Ok(Reply::new(deliver(state, chat_id, markup, |message| {
        message.media = Some(Media::Photo(sizes));
        message.caption = caption;
    })))
}

/// A document given as a known file id (of any kind but a photo's sizes: a photo is sent with
/// sendPhoto).
pub(crate) fn send_document(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let chat_id = target_chat(state, params)?;
    let document = params
        .str("document")
        .filter(|document| !document.is_empty())
        .ok_or_else(|| ApiError::bad_request("there is no document in the request"))?;
    let caption = caption(params)?;
    let markup = reply_markup(params)?;
    check_not_blocked(state, chat_id)?;
    let file = match state.files.get(&document) {
        Some(Media::Document(file)) => file.clone(),
        Some(_) => return Err(ApiError::bad_request("type of file mismatch")),
        None => {
            return Err(ApiError::bad_request(
                "wrong file identifier/HTTP URL specified",
            ));
        }
    };
    Ok(Reply::new(deliver(state, chat_id, markup, |message| {
        message.media = Some(Media::Document(file));
        message.caption = caption;
    })))
}

pub(crate) fn send_media_group(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let chat_id = target_chat(state, params)?;
    let items = match params.json("media") {
        Ok(Some(Value::Array(items))) => items,
        Ok(None) => return Err(ApiError::bad_request("parameter \"media\" is required")),
        _ => return Err(ApiError::bad_request("can't parse media JSON object")),
    };
    match items.len() {
        0 => return Err(ApiError::bad_request("there are no messages to send")),
        1 => return Err(ApiError::bad_request("media group must include 2-10 items")),
        11.. => {
            return Err(ApiError::bad_request(
                "too many messages to send as an album",
            ));
        }
        _ => {}
    }
    let mut photos = Vec::new();
    for item in &items {
        if item.get("type").and_then(Value::as_str) != Some("photo") {
            return Err(ApiError::bad_request(
                "only InputMediaPhoto is supported in a media group here",
            ));
        }
        let media = item
            .get("media")
            .and_then(Value::as_str)
            .ok_or_else(|| ApiError::bad_request("can't parse InputMedia: media not found"))?;
        let item_params =
            Params::from_request(None, Some("application/json"), item.to_string().as_bytes())?;
        photos.push((media.to_owned(), caption(&item_params)?));
    }
    check_not_blocked(state, chat_id)?;
    let mut resolved = Vec::new();
    for (media, caption) in photos {
        resolved.push((resolve_photo(state, &media)?, caption));
    }
    state.last_file += 1;
    let group = format!("{}", 13_000_000_000_000_000u64 + state.last_file);
    let sent: Vec<Value> = resolved
        .into_iter()
        .map(|(sizes, caption)| {
            deliver(state, chat_id, None, |message| {
                message.media = Some(Media::Photo(sizes));
                message.caption = caption;
                message.media_group_id = Some(group.clone());
            })
        })
        .collect();
    Ok(Reply::new(Value::Array(sent)))
}

pub(crate) fn send_chat_action(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let chat_id = target_chat(state, params)?;
    if params.str("action").is_none_or(|action| action.is_empty()) {
        return Err(ApiError::bad_request("action is empty"));
    }
    check_not_blocked(state, chat_id)?;
    Ok(Reply::new(json!(true)))
}

/// The chat and message an edit targets. Inline messages (sent through inline mode) never exist
/// here.
fn edit_target(state: &State, params: &Params) -> Result<(i64, i32), ApiError> {
    if params.str("inline_message_id").is_some() {
        return Err(ApiError::bad_request("MESSAGE_ID_INVALID"));
    }
    let chat_id = target_chat(state, params)?;
    let message_id = params
        .i64("message_id")?
        .and_then(|id| i32::try_from(id).ok())
        .ok_or_else(|| ApiError::bad_request("message identifier is not specified"))?;
    Ok((chat_id, message_id))
}

/// Runs an edit on a bot message: `change` checks the new content and returns whether it
/// differs from the current one.
fn edit(
    state: &mut State,
    params: &Params,
    change: impl FnOnce(&mut StoredMessage) -> Result<bool, ApiError>,
) -> Result<Reply, ApiError> {
    let (chat_id, message_id) = edit_target(state, params)?;
    check_not_blocked(state, chat_id)?;
    let message = state
        .chat(chat_id)
        .message_mut(message_id)
        .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
    if !message.from_bot {
        return Err(ApiError::bad_request("message can't be edited"));
    }
    let mut edited = message.clone();
    if !change(&mut edited)? {
        return Err(ApiError::bad_request(NOT_MODIFIED));
    }
    edited.edit_date = Some(now());
    let rendered = state.message_json(chat_id, &edited);
    *message_slot(state, chat_id, message_id)? = edited;
    Ok(Reply::new(rendered))
}

fn message_slot(
    state: &mut State,
    chat_id: i64,
    message_id: i32,
) -> Result<&mut StoredMessage, ApiError> {
    state
        .chat(chat_id)
        .message_mut(message_id)
        .ok_or_else(|| ApiError::bad_request("message to edit not found"))
}

pub(crate) fn edit_message_text(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let text = message_text(params)?;
    let keyboard = inline_keyboard(params)?;
    edit(state, params, |message| {
        let Some(current) = &message.text else {
            return Err(ApiError::bad_request(
                "there is no text in the message to edit",
            ));
        };
        let changed = *current != text || message.keyboard != keyboard;
        message.text = Some(text);
        message.keyboard = keyboard;
        Ok(changed)
    })
}

pub(crate) fn edit_message_caption(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let caption = caption(params)?;
    let keyboard = inline_keyboard(params)?;
    edit(state, params, |message| {
        if !message.media.as_ref().is_some_and(Media::takes_caption) {
            return Err(ApiError::bad_request(
                "there is no caption in the message to edit",
            ));
        }
        let changed = message.caption != caption || message.keyboard != keyboard;
        message.caption = caption;
        message.keyboard = keyboard;
        Ok(changed)
    })
}

pub(crate) fn edit_message_reply_markup(
    state: &mut State,
    params: &Params,
) -> Result<Reply, ApiError> {
    let keyboard = inline_keyboard(params)?;
    edit(state, params, |message| {
        let changed = message.keyboard != keyboard;
        message.keyboard = keyboard;
        Ok(changed)
    })
}

pub(crate) fn delete_message(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let chat_id = target_chat(state, params)?;
    let message_id = params
        .i64("message_id")?
        .ok_or_else(|| ApiError::bad_request("message identifier is not specified"))?;
    let chat = state.chat(chat_id);
    let before = chat.messages.len();
    chat.messages
        .retain(|message| i64::from(message.message_id) != message_id);
    if chat.messages.len() == before {
        return Err(ApiError::bad_request("message to delete not found"));
    }
    Ok(Reply::new(json!(true)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::state::Shared;

    fn params(value: Value) -> Params {
        Params::from_json(value)
    }

    fn check(
        state: &mut State,
        call: fn(&mut State, &Params) -> Result<Reply, ApiError>,
        request: Value,
        expected: Result<(), &str>,
    ) {
        let outcome = call(state, &params(request.clone()))
            .map(|_| ())
            .map_err(|error| error.description);
        assert_eq!(
            outcome,
            expected.map_err(str::to_owned),
            "request: {request}"
        );
    }

    #[test]
    fn send_message_validates_like_the_bot_api() {
        let shared = Shared::new(Config::default());
        let mut state = shared.lock();
        state.user(7);
        let state = &mut *state;
        check(
            state,
            send_message,
            json!({"chat_id": 7, "text": "hi"}),
            Ok(()),
        );
        check(
            state,
            send_message,
            json!({"chat_id": 7, "text": "  \n "}),
            Err("Bad Request: message text is empty"),
        );
        check(
            state,
            send_message,
            json!({"chat_id": 7}),
            Err("Bad Request: message text is empty"),
        );
        check(
            state,
            send_message,
            json!({"chat_id": 7, "text": "я".repeat(4096)}),
            Ok(()),
        );
        check(
            state,
            send_message,
            json!({"chat_id": 7, "text": "я".repeat(4097)}),
            Err("Bad Request: message is too long"),
        );
        check(
            state,
            send_message,
            json!({"chat_id": 7, "text": format!("<b>{}</b>", "x".repeat(4096)), "parse_mode": "HTML"}),
            Ok(()),
        );
        check(
            state,
            send_message,
            json!({"chat_id": 7, "text": "1 < 2", "parse_mode": "HTML"}),
            Err("Bad Request: can't parse entities: Unsupported start tag \"\" at byte offset 2"),
        );
        check(
            state,
            send_message,
            json!({"chat_id": 7, "text": "x", "parse_mode": "BBCode"}),
            Err("Bad Request: unsupported parse_mode"),
        );
        check(
            state,
            send_message,
            json!({"chat_id": 8, "text": "x"}),
            Err("Bad Request: chat not found"),
        );
        check(
            state,
            send_message,
            json!({"text": "x"}),
            Err("Bad Request: chat_id is empty"),
        );
        state.chat(7).blocked = true;
        check(
            state,
            send_message,
            json!({"chat_id": 7, "text": "x"}),
            Err("Forbidden: bot was blocked by the user"),
        );
    }

    #[test]
    fn photos_must_be_known_file_ids_or_urls() {
        let shared = Shared::new(Config::default());
        let mut state = shared.lock();
        state.user(7);
        let photo = state.new_photo();
        let photo_id = photo[0]["file_id"].as_str().unwrap_or_default().to_owned();
        let document = state.new_image_document();
        let document_id = document["file_id"].as_str().unwrap_or_default().to_owned();
        let state = &mut *state;
        check(
            state,
            send_photo,
            json!({"chat_id": 7, "photo": photo_id, "caption": "c"}),
            Ok(()),
        );
        check(
            state,
            send_photo,
            json!({"chat_id": 7, "photo": "https://example.org/a.jpg"}),
            Ok(()),
        );
        check(
            state,
            send_photo,
            json!({"chat_id": 7, "photo": document_id}),
            Err("Bad Request: type of file mismatch"),
        );
        check(
            state,
            send_photo,
            json!({"chat_id": 7, "photo": "nope"}),
            Err("Bad Request: wrong file identifier/HTTP URL specified"),
        );
        check(
            state,
            send_photo,
            json!({"chat_id": 7, "photo": photo_id, "caption": "x".repeat(1025)}),
            Err("Bad Request: message caption is too long"),
        );
        let item = json!({"type": "photo", "media": photo_id});
        check(
            state,
            send_media_group,
            json!({"chat_id": 7, "media": [item, item]}),
            Ok(()),
        );
        check(
            state,
            send_media_group,
            json!({"chat_id": 7, "media": [item]}),
            Err("Bad Request: media group must include 2-10 items"),
        );
        check(
            state,
            send_media_group,
            json!({"chat_id": 7, "media": vec![item.clone(); 11]}),
            Err("Bad Request: too many messages to send as an album"),
        );
    }

    #[test]
    fn edits_need_a_bot_message_and_a_change() {
        let shared = Shared::new(Config::default());
        let mut state = shared.lock();
        state.user(7);
        let state = &mut *state;
        let keyboard = json!({"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]});
        check(
            state,
            send_message,
            json!({"chat_id": 7, "text": "one", "reply_markup": keyboard}),
            Ok(()),
        );
        check(
            state,
            edit_message_text,
            json!({"chat_id": 7, "message_id": 1, "text": "one", "reply_markup": keyboard}),
            Err(&format!("Bad Request: {NOT_MODIFIED}")),
        );
        check(
            state,
            edit_message_text,
            json!({"chat_id": 7, "message_id": 1, "text": "one"}),
            Ok(()),
        );
        assert!(
            state.chat(7).messages[0].keyboard.is_none(),
            "an edit without markup drops the keyboard"
        );
        check(
            state,
            edit_message_text,
            json!({"chat_id": 7, "message_id": 9, "text": "two"}),
            Err("Bad Request: message to edit not found"),
        );
        check(
            state,
            edit_message_caption,
            json!({"chat_id": 7, "message_id": 1, "caption": "c"}),
            Err("Bad Request: there is no caption in the message to edit"),
        );
        check(
            state,
            edit_message_reply_markup,
            json!({"chat_id": 7, "message_id": 1, "reply_markup": keyboard}),
            Ok(()),
        );
        check(
            state,
            delete_message,
            json!({"chat_id": 7, "message_id": 1}),
            Ok(()),
        );
        check(
            state,
            delete_message,
            json!({"chat_id": 7, "message_id": 1}),
            Err("Bad Request: message to delete not found"),
        );
    }
}
