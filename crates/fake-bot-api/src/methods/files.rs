//! Files (getFile and the download URL's contents) and the chat menu button
//! (setChatMenuButton, getChatMenuButton): what a Mini App's server calls.

use serde_json::{Value, json};

use crate::chat::Media;
use crate::envelope::{ApiError, Reply};
use crate::markup::is_web_app_url;
use crate::params::Params;
use crate::state::State;

/// A 1×1 PNG: the contents of a file nobody uploaded (a photo a test user "sent"), so that a
/// page showing it gets an image.
pub(crate) const PLACEHOLDER_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// getFile: a known file's `File`, with a `file_path` for the download URL.
pub(crate) fn get_file(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let file_id = params
        .str("file_id")
        .filter(|id| !id.is_empty())
        .ok_or_else(|| ApiError::bad_request("file_id is empty"))?;
    let Some(media) = state.files.get(&file_id) else {
        return Err(ApiError::bad_request(
            "wrong file_id or the file is temporarily unavailable",
        ));
    };
    let (file_unique_id, file_size) = describe(media, &file_id);
    let extension = if matches!(media, Media::Photo(_)) {
        "jpg"
    } else {
        "bin"
    };
    let file_path = format!("files/{file_id}.{extension}");
    let size = state
        .file_contents
        .get(&file_id)
        .map_or(file_size, |bytes| bytes.len() as u64);
    Ok(Reply::new(json!({
        "file_id": file_id,
        "file_unique_id": file_unique_id,
        "file_size": size,
        "file_path": file_path,
    })))
}

/// The unique id and size of `file_id` within its media.
fn describe(media: &Media, file_id: &str) -> (String, u64) {
    let (_, value) = media.field();
    let candidates: Vec<&Value> = match value {
        Value::Array(sizes) => sizes.iter().collect(),
        single => vec![single],
    };
    candidates
        .into_iter()
        .find(|file| file.get("file_id").and_then(Value::as_str) == Some(file_id))
        .map(|file| {
            (
                file.get("file_unique_id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                file.get("file_size")
                    .and_then(Value::as_u64)
                    .unwrap_or_default(),
            )
        })
        .unwrap_or_default()
}

/// The bytes behind a `file_path` of getFile: what was uploaded, or a placeholder image.
pub(crate) fn download(state: &State, file_path: &str) -> Option<Vec<u8>> {
    let file_id = file_path.strip_prefix("files/")?.rsplit_once('.')?.0;
    if !state.files.contains_key(file_id) {
        return None;
    }
    Some(
        state
            .file_contents
            .get(file_id)
            .cloned()
            .unwrap_or_else(|| PLACEHOLDER_PNG.to_vec()),
    )
}

/// setChatMenuButton: the default button (no `chat_id`) or one chat's.
pub(crate) fn set_chat_menu_button(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let chat = params.i64("chat_id")?;
    let button = match params.json("menu_button") {
        Ok(None) => json!({"type": "default"}),
        Ok(Some(button)) => button,
        Err(()) => return Err(ApiError::bad_request("can't parse menu button JSON object")),
    };
    match button.get("type").and_then(Value::as_str) {
        Some("default" | "commands") => {}
        Some("web_app") => {
            let text = button
                .get("text")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let url = button
                .pointer("/web_app/url")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if text.is_empty() {
                return Err(ApiError::bad_request("menu button text is empty"));
            }
            if !is_web_app_url(url) {
                return Err(ApiError::bad_request("BUTTON_URL_INVALID"));
            }
        }
        _ => return Err(ApiError::bad_request("unsupported menu button type")),
    }
    state.menu_buttons.insert(chat, button);
    Ok(Reply::new(Value::Bool(true)))
}

/// getChatMenuButton: a chat's button, else the default one.
pub(crate) fn get_chat_menu_button(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let chat = params.i64("chat_id")?;
    let button = chat
        .and_then(|chat| state.menu_buttons.get(&Some(chat)))
        .or_else(|| state.menu_buttons.get(&None))
        .cloned()
        .unwrap_or_else(|| json!({"type": "commands"}));
    Ok(Reply::new(button))
}
