//! The Bot API methods this server speaks, one module per area.

mod bot;
mod callbacks;
pub(crate) mod files;
mod inline;
mod messages;
mod profile;
mod updates;
mod webhook;

use std::sync::Arc;

use crate::envelope::{ApiError, Reply};
use crate::params::Params;
use crate::state::{ProfileField, Shared};

/// Every supported method, spelled as the Bot API documents it.
const METHODS: &[&str] = &[
    "getMe",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "sendMessage",
    "sendPhoto",
    "sendDocument",
    "sendMediaGroup",
    "sendChatAction",
    "editMessageText",
    "editMessageCaption",
    "editMessageReplyMarkup",
    "deleteMessage",
    "answerCallbackQuery",
    "setMyCommands",
    "getMyCommands",
    "deleteMyCommands",
    "setMyName",
    "getMyName",
    "setMyDescription",
    "getMyDescription",
    "setMyShortDescription",
    "getMyShortDescription",
    "getFile",
    "setChatMenuButton",
    "getChatMenuButton",
    "answerInlineQuery",
    "sendVenue",
];

/// The documented spelling of a method name; Telegram matches method names case-insensitively.
pub(crate) fn canonical(name: &str) -> Option<&'static str> {
    METHODS
        .iter()
        .copied()
        .find(|method| method.eq_ignore_ascii_case(name))
}

/// Runs one call of a supported method.
pub(crate) async fn call(
    shared: &Arc<Shared>,
    method: &'static str,
    params: &Params,
) -> Result<Reply, ApiError> {
    if method == "getUpdates" {
        return updates::get_updates(shared, params).await;
    }
    let outcome = {
        let mut state = shared.lock();
        let state = &mut *state;
        match method {
            "getMe" => Ok(Reply::new(state.get_me.clone())),
            "setWebhook" => webhook::set_webhook(state, &shared.config, params),
            "deleteWebhook" => webhook::delete_webhook(state, params),
            "getWebhookInfo" => Ok(webhook::get_webhook_info(state)),
            "sendMessage" => messages::send_message(state, params),
            "sendPhoto" => messages::send_photo(state, params),
            "sendDocument" => messages::send_document(state, params),
            "sendMediaGroup" => messages::send_media_group(state, params),
            "sendVenue" => messages::send_venue(state, params),
            "sendChatAction" => messages::send_chat_action(state, params),
            "editMessageText" => messages::edit_message_text(state, params),
            "editMessageCaption" => messages::edit_message_caption(state, params),
            "editMessageReplyMarkup" => messages::edit_message_reply_markup(state, params),
            "deleteMessage" => messages::delete_message(state, params),
            "answerCallbackQuery" => callbacks::answer_callback_query(state, params),
            "setMyCommands" => bot::set_my_commands(state, params),
            "getMyCommands" => bot::get_my_commands(state, params),
            "deleteMyCommands" => bot::delete_my_commands(state, params),
            "setMyName" => profile::set(state, params, ProfileField::Name),
            "getMyName" => profile::get(state, params, ProfileField::Name),
            "setMyDescription" => profile::set(state, params, ProfileField::Description),
            "getMyDescription" => profile::get(state, params, ProfileField::Description),
            "setMyShortDescription" => profile::set(state, params, ProfileField::ShortDescription),
            "getMyShortDescription" => profile::get(state, params, ProfileField::ShortDescription),
            "getFile" => files::get_file(state, params),
            "setChatMenuButton" => files::set_chat_menu_button(state, params),
            "getChatMenuButton" => files::get_chat_menu_button(state, params),
            "answerInlineQuery" => inline::answer_inline_query(state, params),
            _ => Err(ApiError::not_found()),
        }
    };
    if matches!(method, "setWebhook" | "deleteWebhook") {
        // The dispatcher and any long poll re-read the webhook.
        shared.notify_updates();
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_match_case_insensitively() {
        assert_eq!(canonical("sendmessage"), Some("sendMessage"));
        assert_eq!(canonical("GETUPDATES"), Some("getUpdates"));
        assert_eq!(canonical("sendDice"), None);
    }
}
