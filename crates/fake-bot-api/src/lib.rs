//! # vitrina-fake-bot-api
//!
//! A stand-in for Telegram: an HTTP server that speaks the Bot API (`/bot<token>/<method>`, the
//! JSON envelopes, the error texts) closely enough that a bot using a real client cannot tell it
//! from `api.telegram.org` for the methods below, plus a control API with which a test acts as
//! users and inspects what the bot did.
//!
//! Point the bot's `TELEGRAM_API_URL` at [`RunningServer::base_url`] and its token at
//! [`RunningServer::token`].
//!
//! ```
//! use frankenstein::client_reqwest::Bot;
//! use frankenstein::methods::{GetUpdatesParams, SendMessageParams};
//! use frankenstein::updates::UpdateContent;
//! use frankenstein::{AsyncTelegramApi, ParseMode};
//! use vitrina_fake_bot_api::{Config, FakeBotApi};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = FakeBotApi::start(Config::default()).await?;
//! let fake = server.handle();
//!
//! // A user says /start…
//! let alice = fake.user(42).with_language("en");
//! fake.send_command(&alice, "start").await;
//!
//! // …the bot receives it over HTTP with its usual client…
//! let bot = Bot::new_url(server.api_url());
//! let updates = bot.get_updates(&GetUpdatesParams::builder().timeout(1).build()).await?.result;
//! let UpdateContent::Message(message) = &updates[0].content else {
//!     return Err("expected a message".into());
//! };
//! assert_eq!(message.text.as_deref(), Some("/start"));
//!
//! // …answers in HTML…
//! let answer = SendMessageParams::builder()
//!     .chat_id(42)
//!     .text("<b>Welcome</b>, pick a city")
//!     .parse_mode(ParseMode::Html)
//!     .build();
//! bot.send_message(&answer).await?;
//!
//! // …and the user sees the text without the markup.
//! let chat = fake.chat(&alice);
//! assert_eq!(chat.last_bot_message().map(|m| m.body()), Some("Welcome, pick a city"));
//! # Ok(())
//! # }
//! ```
//!
//! ## Architecture invariants
//! - Nothing here talks to Telegram or any other outside service; all state is in memory and
//!   dies with the [`RunningServer`].
//! - All state sits behind one mutex that is never held across an `.await`. Long polls, the
//!   webhook dispatcher and test waiters sleep on `tokio::sync::Notify` and are woken by
//!   changes: there is no polling loop anywhere.
//! - Protocol shapes are the Bot API's own JSON; the view types given to tests
//!   ([`ChatView`], [`Stats`], …) are separate and converted at the edge.
//!
//! ## Bot API methods
//! Method names match case-insensitively. Parameters come from a JSON body, a form body or the
//! query string; JSON-typed parameters (`reply_markup`, `allowed_updates`, …) may be objects or
//! JSON strings. A wrong token gets 401 `Unauthorized`, an unknown method 404 `Not Found`.
//!
//! | method | behaviour |
//! |---|---|
//! | `getMe` | the bot; its id is the number before the token's colon |
//! | `getUpdates` | `offset` confirms everything below it (negative: keeps the last `-offset`); `limit` 1–100; `timeout` long-polls, cut to 50 s; an overlapping call ends the older one with 409 `Conflict: terminated by other getUpdates request; make sure that only one bot instance is running`; with a webhook set: 409 `Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first` |
//! | `setWebhook` | `url`, `secret_token` (1–256 of `A-Za-z0-9_-`), `allowed_updates`, `max_connections`, `drop_pending_updates`; about one call a second (else 429, `retry_after` 1); ends a waiting poll with 409 `Conflict: terminated by setWebhook request` |
//! | `deleteWebhook`, `getWebhookInfo` | as documented, with `pending_update_count` and the last delivery error |
//! | `sendMessage` | text 1–4096 characters after entity parsing (`message text is empty`, `message is too long`); `parse_mode` HTML checked tag by tag (`can't parse entities: …`); `reply_markup` of all four kinds; `callback_data` 1–64 bytes (`BUTTON_DATA_INVALID`); a `web_app` button's URL HTTPS (`BUTTON_URL_INVALID`) |
//! | `sendDocument` | a known document `file_id` (a photo's id: `type of file mismatch`); caption ≤ 1024 |
//! | `sendPhoto`, `sendMediaGroup` | a known photo `file_id` or an HTTP URL (a document's id: `type of file mismatch`); caption ≤ 1024 (`message caption is too long`); 2–10 `InputMediaPhoto`; `sendPhoto` also takes an uploaded file (`multipart/form-data`), whose bytes are kept |
//! | `getFile` | a known `file_id` (else `wrong file_id or the file is temporarily unavailable`), with a `file_path` served at `/file/bot<token>/<file_path>`: the uploaded bytes, or a 1×1 PNG for a file no one uploaded |
//! | `setChatMenuButton`, `getChatMenuButton` | the default button or one chat's; a `web_app` button needs a text and an HTTPS URL (`BUTTON_URL_INVALID`); [`Handle::menu_button`] shows it |
//! | `editMessageText`, `editMessageCaption`, `editMessageReplyMarkup` | the bot's message in that chat (`message to edit not found`); no change: `message is not modified: …`; no `reply_markup` removes the inline keyboard |
//! | `deleteMessage` | `message to delete not found` when gone |
//! | `answerCallbackQuery` | only ids the server issued, once (`query is too old and response timeout expired or query ID is invalid`); text ≤ 200 |
//! | `setMyCommands`, `getMyCommands`, `deleteMyCommands` | lists kept per scope and `language_code` |
//! | `setMyName`, `setMyDescription`, `setMyShortDescription` and their `getMy…` | texts kept per `language_code` (64, 512, 120 characters at most); a get falls back to the text for every language; empty removes |
//! | `sendChatAction` | accepted |
//! | `answerInlineQuery` | only ids the server issued, once (`query is too old and response timeout expired or query ID is invalid`); at most 50 `article` results with unique ids of 1–64 bytes, a title, an `input_message_content` text checked like `sendMessage` (HTML included) and an inline `reply_markup`; `next_offset` ≤ 64 bytes; [`Handle::inline_answer`] shows it |
//!
//! Writing to a chat whose user never appeared gives 400 `Bad Request: chat not found`; to a
//! user who blocked the bot, 403 `Forbidden: bot was blocked by the user`. Errors use the exact
//! envelope `{"ok":false,"error_code":N,"description":"…"}`, with
//! `"parameters":{"retry_after":N}` on 429.
//!
//! ### Deliberate differences from Telegram
//! - A lone `&` (or a named entity other than `&lt; &gt; &amp; &quot;`) in HTML is refused;
//!   Telegram keeps it as text. It almost always means user text went out unescaped.
//! - Webhooks may be `http://` (delivery to `https://` always fails): the target is a local bot.
//! - Markdown parse modes pass through unchecked; only `sendPhoto` takes a file upload.
//! - Mini App URLs (`web_app` buttons, the menu button) may be `http://` on this machine
//!   (`127.0.0.1`, `localhost`), so that a page served by a local bot can be tried.
//! - Callback queries never expire; 409s are not rate-limited.
//!
//! ## Webhook delivery
//! While a webhook is set, each pending update is POSTed to it with
//! `X-Telegram-Bot-Api-Secret-Token`, one update per chat in flight at a time (chats in
//! parallel, up to `max_connections`). A 2xx answer confirms the update; anything else is
//! retried after a delay that starts at 50 ms and doubles up to 1 s by default
//! ([`Config::with_webhook_retry`]), or after the answer's `Retry-After`.
//!
//! ## Control API (library)
//! [`Handle`], from [`RunningServer::handle`]:
//! - users: [`Handle::user`] (`.with_language("en").with_name(…)`), then `send_text`,
//!   `send_command`, `send_photo`, `send_photo_as_document`, `send_sticker`, `send_voice`,
//!   `press_reply_button` (fails unless the label is on the current reply keyboard),
//!   `press_inline_button` / `press_inline_button_in` / `send_callback`, `block` / `unblock`;
//!   each returns the `update_id`;
//! - inspection: [`Handle::chat`] (a [`ChatView`]: messages with edits applied, inline keyboards,
//!   the reply keyboard, button presses and their answers), [`Handle::stats`] (calls per method,
//!   409s, peak concurrent getUpdates, pending updates, webhook attempts), [`Handle::webhook`],
//!   [`Handle::commands`];
//! - waiting: [`Handle::wait_for`], [`Handle::wait_for_bot_messages`],
//!   [`Handle::wait_for_stats`], which fail with the chat transcript on timeout;
//! - inline mode: [`Handle::send_inline_query`] (a user types `@bot words`; returns the query
//!   id), then [`Handle::inline_answer`] or [`Handle::wait_for_inline_answer`];
//! - injection: [`Handle::inject_update`] (raw JSON, e.g. an unknown kind),
//!   [`Handle::inject_text_load`], [`Handle::skip_update_ids`], and [`Handle::fail_next`] to make
//!   the next calls of a method fail with a [`Fault`] (429, 5xx, or a dropped connection).
//!
//! ## Control API (HTTP)
//! The same under `/control/`, for scripts and other processes. Answers are
//! `{"ok":true,"result":…}` or `{"ok":false,"error":"…"}`; bodies are JSON objects.
//!
//! | request | body / query | does |
//! |---|---|---|
//! | `POST /control/users/{id}` | `first_name`, `last_name`, `username`, `language_code` | creates or updates the user |
//! | `POST /control/users/{id}/text` | `text` | the user sends text |
//! | `POST /control/users/{id}/command` | `command` | the user sends `/command` |
//! | `POST /control/users/{id}/photo` | `caption`? | the user sends a photo |
//! | `POST /control/users/{id}/document-photo`, `/sticker`, `/voice` | | the user sends that |
//! | `POST /control/users/{id}/press-reply` | `label` | presses a reply button |
//! | `POST /control/users/{id}/press-inline` | `label`, `message_id`? | presses an inline button |
//! | `POST /control/users/{id}/callback` | `message_id`, `data` | sends arbitrary callback data |
//! | `POST /control/users/{id}/block` | `blocked`? (default true) | blocks (or unblocks) the bot |
//! | `GET /control/users/{id}/chat` | `?format=text`, `?wait_bot_messages=N&timeout_ms=T` | the chat (JSON or a transcript), optionally after waiting |
//! | `GET /control/stats`, `/control/webhook`, `/control/commands` | | counters, webhook, command lists |
//! | `GET /control/callbacks/{id}` | | the answer to a press |
//! | `POST /control/users/{id}/inline` | `query`, `offset`? | the user types `@bot query`; returns `{"inline_query_id":…}` |
//! | `GET /control/inline/{id}` | | the bot's answer to an inline query (`null` until it answered) |
//! | `POST /control/updates` | a whole update | injects it |
//! | `POST /control/load` | `messages`, `users` | injects a load of text messages |
//! | `POST /control/faults` | `method`, `count`?, `status`? (429 default), `retry_after`?, `disconnect`?, `hang`? | arms a fault |
//!
//! User actions return `{"update_id":…}`. The `fake-bot-api` binary (package
//! `vitrina-fake-bot-api-server`) runs a server from the command line.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod chat;
mod config;
mod control;
mod control_http;
mod delivery;
mod envelope;
mod error;
mod faults;
mod html;
mod markup;
mod methods;
mod params;
mod server;
mod state;

pub use chat::{
    CallbackAnswer, CallbackRecord, ChatMessage, ChatView, InlineAnswer, InlineArticle,
    InlineButton, InlineQueryRecord, MessageKind, ReplyKeyboard,
};
pub use config::{Config, DEFAULT_TOKEN};
pub use control::{
    BotCommand, CommandSet, FakeUser, Handle, LOAD_USER_BASE, Stats, UserId, WebhookView,
};
pub use error::{ControlError, Error};
pub use faults::Fault;
pub use html::Entity;
pub use server::{FakeBotApi, RunningServer};
pub use state::ProfileField;
