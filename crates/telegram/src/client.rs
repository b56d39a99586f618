//! The Bot API client: polling, effects, webhook and command-menu calls.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use frankenstein::ParseMode;
use frankenstein::inline_mode::{
    InlineQueryResult, InlineQueryResultArticle, InputMessageContent, InputTextMessageContent,
};
use frankenstein::input_file::FileUpload;
use frankenstein::input_media::{InputMediaPhoto, MediaGroupInputMedia};
use frankenstein::methods::AnswerInlineQueryParams;
use frankenstein::methods::{
    AnswerCallbackQueryParams, DeleteMyCommandsParams, DeleteWebhookParams,
    EditMessageReplyMarkupParams, EditMessageTextParams, GetMyDescriptionParams,
    GetMyShortDescriptionParams, GetUpdatesParams, SendDocumentParams, SendMediaGroupParams,
    SendMessageParams, SendPhotoParams, SendVenueParams, SetMyCommandsParams,
    SetMyDescriptionParams, SetMyShortDescriptionParams, SetWebhookParams,
};
use frankenstein::types::{
    AllowedUpdate, BotCommand, BotCommandScope, BotCommandScopeChat, LinkPreviewOptions,
};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;
use serde_json::value::RawValue;
use vitrina_cards::PhotoId;
use vitrina_dialog::{
    ChatId, Effect, InlineArticle, InlineButton, Keyboard, MessageId, RichText, ScreenTag,
};
use vitrina_i18n::{Catalog, Locale};

use crate::TelegramError;
use crate::TelegramFiles;
use crate::commands::{CommandMenu, command_menus};
use crate::profile::profile_texts;
use crate::render::{
    CALLBACK_TEXT_LIMIT, CAPTION_LIMIT, TEXT_LIMIT, cut_plain, inline_markup, reply_markup, to_html,
};
use crate::sender::{CallObserver, Endpoint, Lane, RateLimits, RetryPolicy, Sender};
use crate::update::{JsonKey, RawUpdate};

/// The longest long poll asked for: Telegram serves at most 50 s.
const MAX_POLL_SECS: u32 = 50;
/// How much longer than the long poll a poll request may take before it counts as failed.
const POLL_GRACE: Duration = Duration::from_secs(20);
/// How long any other call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// Photos per album (sendMediaGroup takes 2–10).
const ALBUM_SIZE: usize = 10;
/// How long Telegram may keep an inline answer: short, since cards are published and taken
/// down all the time.
const INLINE_CACHE_SECS: u32 = 30;
/// The most characters of an inline article's title or description line shown.
const INLINE_TITLE_LIMIT: usize = 256;

/// A kind of update to receive (`allowed_updates`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UpdateKind {
    /// New messages.
    Message,
    /// Edited messages.
    EditedMessage,
    /// Inline-button presses.
    CallbackQuery,
    /// Changes of the bot's own membership in a chat (a person blocking the bot).
    MyChatMember,
    /// `@bot words` typed in any chat (inline mode, switched on with @BotFather's /setinline).
    InlineQuery,
}

impl UpdateKind {
    /// The kinds the dialog serves.
    pub const SERVED: [UpdateKind; 3] = [
        UpdateKind::Message,
        UpdateKind::CallbackQuery,
        UpdateKind::InlineQuery,
    ];

    /// The Bot API name, as in `allowed_updates`.
    pub const fn as_str(self) -> &'static str {
        match self {
            UpdateKind::Message => "message",
            UpdateKind::EditedMessage => "edited_message",
            UpdateKind::CallbackQuery => "callback_query",
            UpdateKind::MyChatMember => "my_chat_member",
            UpdateKind::InlineQuery => "inline_query",
        }
    }

    fn to_allowed(self) -> AllowedUpdate {
        match self {
            UpdateKind::Message => AllowedUpdate::Message,
            UpdateKind::EditedMessage => AllowedUpdate::EditedMessage,
            UpdateKind::CallbackQuery => AllowedUpdate::CallbackQuery,
            UpdateKind::MyChatMember => AllowedUpdate::MyChatMember,
            UpdateKind::InlineQuery => AllowedUpdate::InlineQuery,
        }
    }
}

/// What happened to one effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EffectOutcome {
    /// Done (an edit that changed nothing counts as done).
    Ok,
    /// A screen was sent ([`Effect::SendScreen`]) and Telegram gave it this id, which the
    /// sender reports to the dialog.
    ScreenSent {
        /// The chat, whose person's conversation the screen belongs to.
        chat: ChatId,
        /// Which showing it is.
        screen: ScreenTag,
        /// Its id.
        message: MessageId,
    },
    /// The person blocked the bot (403): mark them and write to them no more.
    Blocked(ChatId),
    /// Not tried: the chat was found blocked by an earlier effect of the same batch.
    Skipped(ChatId),
    /// Failed after the retries the error allows.
    Failed(TelegramError),
}

/// The `message_id` of a sent message, the one field of the answer the dialog needs.
///
/// Read by hand so that the rest of the message is skipped as it is parsed, without a tree
/// built of it, and an answer of another shape (or without an integer id) reads as `None`
/// rather than failing a message that was delivered.
struct SentMessage(Option<i64>);

impl<'de> Deserialize<'de> for SentMessage {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SentMessageVisitor)
    }
}

struct SentMessageVisitor;

impl<'de> serde::de::Visitor<'de> for SentMessageVisitor {
    type Value = SentMessage;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut fields: A,
    ) -> Result<SentMessage, A::Error> {
        let mut id = None;
        while let Some(JsonKey(name)) = fields.next_key()? {
            if name == "message_id" {
                id = fields.next_value::<Value>()?.as_i64();
            } else {
                fields.next_value::<IgnoredAny>()?;
            }
        }
        Ok(SentMessage(id))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut items: A,
    ) -> Result<SentMessage, A::Error> {
        while items.next_element::<IgnoredAny>()?.is_some() {}
        Ok(SentMessage(None))
    }

    fn visit_bool<E>(self, _: bool) -> Result<SentMessage, E> {
        Ok(SentMessage(None))
    }

    fn visit_i64<E>(self, _: i64) -> Result<SentMessage, E> {
        Ok(SentMessage(None))
    }

    fn visit_u64<E>(self, _: u64) -> Result<SentMessage, E> {
        Ok(SentMessage(None))
    }

    fn visit_f64<E>(self, _: f64) -> Result<SentMessage, E> {
        Ok(SentMessage(None))
    }

    fn visit_str<E>(self, _: &str) -> Result<SentMessage, E> {
        Ok(SentMessage(None))
    }

    fn visit_unit<E>(self) -> Result<SentMessage, E> {
        Ok(SentMessage(None))
    }
}

/// The bot's own account (`getMe`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct BotInfo {
    /// The bot's user id.
    pub id: i64,
    /// Its display name.
    pub first_name: String,
    /// Its `@username`, without the `@`.
    #[serde(default)]
    pub username: String,
}

/// The webhook as Telegram has it (`getWebhookInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WebhookStatus {
    /// The URL updates go to; `None` when no webhook is set (polling works).
    pub url: Option<String>,
    /// Updates waiting to be delivered.
    pub pending_update_count: u32,
    /// The last delivery error and when it happened (Unix seconds).
    pub last_error: Option<(i64, String)>,
    /// The kinds delivered, when they were chosen (`None`: Telegram's default set).
    pub allowed_updates: Option<Vec<String>>,
}

impl WebhookStatus {
    /// Whether the webhook is already set to `url` with exactly these kinds, so that
    /// setting it again can be left out (setWebhook allows about one call a second).
    pub fn is_set_to(&self, url: &str, allowed_updates: &[UpdateKind]) -> bool {
        let wanted: HashSet<&str> = allowed_updates.iter().map(|kind| kind.as_str()).collect();
        let current: Option<HashSet<&str>> = self
            .allowed_updates
            .as_ref()
            .map(|kinds| kinds.iter().map(String::as_str).collect());
        self.url.as_deref() == Some(url)
            && current.map_or(allowed_updates.is_empty(), |current| current == wanted)
    }
}

/// The webhook fields this crate reads; read by hand because frankenstein's own type fails on
/// an `allowed_updates` kind it does not know.
#[derive(Deserialize)]
struct WebhookInfoAnswer {
    #[serde(default)]
    url: String,
    #[serde(default)]
    pending_update_count: u32,
    last_error_date: Option<i64>,
    last_error_message: Option<String>,
    allowed_updates: Option<Vec<String>>,
}

/// A Bot API client for one bot.
///
/// Cheap to clone; clones share the rate limits. Every call goes through one sender that
/// keeps the [`RateLimits`] (on by default) and retries per the [`RetryPolicy`].
#[derive(Clone)]
pub struct TelegramClient {
    sender: Sender,
    api_url: String,
    /// Uploads (the QR code of a card's link), which go as `multipart/form-data`.
    files: TelegramFiles,
}

impl fmt::Debug for TelegramClient {
    // Never the token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TelegramClient")
            .field("api_url", &self.api_url)
            .field("sender", &self.sender)
            .finish()
    }
}

impl TelegramClient {
    /// A client of the Bot API at `api_url` (such as `https://api.telegram.org`) for the bot
    /// with `token`, with the default rate limits and retry policy.
    ///
    /// # Errors
    ///
    /// [`TelegramError::Request`] when `api_url` is not an http(s) URL, the token cannot be
    /// part of a URL, or the HTTP client cannot be built.
    pub fn new(api_url: &str, token: &str) -> Result<TelegramClient, TelegramError> {
        if token.is_empty()
            || token.contains(['/', '?', '#', '%'])
            || token.contains(char::is_whitespace)
        {
            return Err(TelegramError::Request(
                "the bot token is empty or holds characters a token never has".to_owned(),
            ));
        }
        let api_url = api_url.trim_end_matches('/').to_owned();
        let base = format!("{api_url}/bot{token}");
        let bot = Endpoint::new(&base, CALL_TIMEOUT)?;
        let poll_timeout = Duration::from_secs(u64::from(MAX_POLL_SECS)) + POLL_GRACE;
        let poll_bot = bot.with_timeout(poll_timeout)?;
        let files = TelegramFiles::new(&api_url, token);
        Ok(TelegramClient {
            sender: Sender::new(bot, poll_bot),
            api_url,
            files,
        })
    }

    /// The same client with other rate limits; `None` sends as fast as possible (tests,
    /// benchmarks against a local server).
    #[must_use]
    pub fn with_rate_limits(mut self, limits: Option<RateLimits>) -> TelegramClient {
        self.sender.set_rate_limits(limits);
        self
    }

    /// The same client with another retry policy.
    #[must_use]
    pub fn with_retry_policy(mut self, retry: RetryPolicy) -> TelegramClient {
        self.sender.set_retry_policy(retry);
        self
    }

    /// The same client telling `observer` of every request it sends (retries included);
    /// clones made afterwards tell it too.
    #[must_use]
    pub fn with_observer(mut self, observer: Arc<dyn CallObserver>) -> TelegramClient {
        self.sender.set_observer(Some(observer));
        self
    }

    /// Fetches updates after `offset` (confirming those before it), waiting up to
    /// `timeout_secs` (at most 50) for one to arrive. Each update comes back raw, with only its
    /// id read, so that one update of an unknown kind cannot fail the batch; an element
    /// without an `update_id` is logged and left out. Not retried: the poller loops.
    ///
    /// `allowed_updates` empty means every kind but `chat_member`, as in the Bot API.
    ///
    /// # Errors
    ///
    /// Any [`TelegramError`]; a 409 tells its cause through
    /// [`TelegramError::conflict_cause`].
    pub async fn get_updates(
        &self,
        offset: Option<i64>,
        limit: u32,
        timeout_secs: u32,
        allowed_updates: &[UpdateKind],
    ) -> Result<Vec<RawUpdate>, TelegramError> {
        let params = GetUpdatesParams::builder()
            .maybe_offset(offset)
            .limit(limit.clamp(1, 100))
            .timeout(timeout_secs.min(MAX_POLL_SECS))
            .allowed_updates(
                allowed_updates
                    .iter()
                    .map(|kind| kind.to_allowed())
                    .collect(),
            )
            .build();
        let updates: Vec<Box<RawValue>> =
            self.sender.call("getUpdates", Lane::Poll, &params).await?;
        Ok(updates
            .iter()
            .filter_map(|json| match RawUpdate::from_slice(json.get().as_bytes()) {
                Ok(update) => Some(update),
                Err(error) => {
                    tracing::warn!(%error, "getUpdates returned an element without an update_id");
                    None
                }
            })
            .collect())
    }

    /// Performs the effects in order and tells what happened to each, one outcome per effect.
    ///
    /// A failed effect does not stop the others, except that after a 403 nothing more is sent
    /// to that chat ([`EffectOutcome::Skipped`]).
    pub async fn execute(&self, effects: &[Effect]) -> Vec<EffectOutcome> {
        let mut blocked: HashSet<ChatId> = HashSet::new();
        let mut outcomes = Vec::with_capacity(effects.len());
        for effect in effects {
            let chat = effect.chat();
            if let Some(chat) = chat.filter(|chat| blocked.contains(chat)) {
                outcomes.push(EffectOutcome::Skipped(chat));
                continue;
            }
            let outcome = match (self.perform(effect).await, chat) {
                (Ok(Some(message)), Some(chat)) => match effect {
                    Effect::SendScreen { screen, .. } => EffectOutcome::ScreenSent {
                        chat,
                        screen: *screen,
                        message,
                    },
                    _ => EffectOutcome::Ok,
                },
                (Ok(_), _) => EffectOutcome::Ok,
                (Err(error), Some(chat)) if error.is_blocked() => {
                    tracing::info!(chat = chat.0, %error, "the person blocked the bot");
                    blocked.insert(chat);
                    EffectOutcome::Blocked(chat)
                }
                (Err(error), chat) => {
                    tracing::warn!(chat = chat.map(|chat| chat.0), %error, "an effect failed");
                    EffectOutcome::Failed(error)
                }
            };
            outcomes.push(outcome);
        }
        outcomes
    }

    /// Performs one effect; a screen sent gives its message id.
    async fn perform(&self, effect: &Effect) -> Result<Option<MessageId>, TelegramError> {
        match effect {
            Effect::Send {
                chat,
                text,
                keyboard,
            } => self.send_message(*chat, text, keyboard).await.map(|_| None),
            Effect::SendScreen {
                chat,
                text,
                keyboard,
                ..
            } => {
                let keyboard = Keyboard::Inline(keyboard.clone());
                self.send_message(*chat, text, &keyboard).await
            }
            Effect::SendPhotos { chat, photos } => {
                self.send_photos(*chat, photos).await.map(|()| None)
            }
            Effect::Edit {
                chat,
                message,
                text,
                keyboard,
            } => self
                .edit_message(*chat, *message, text, keyboard)
                .await
                .map(|()| None),
            Effect::EditKeyboard {
                chat,
                message,
                keyboard,
            } => self
                .edit_keyboard(*chat, *message, keyboard)
                .await
                .map(|()| None),
            Effect::AnswerCallback { id, text, alert } => self
                .answer_callback(id, text.as_deref(), *alert)
                .await
                .map(|()| None),
            Effect::SendQrCode {
                chat,
                link,
                caption,
            } => self.send_qr_code(*chat, link, caption).await.map(|()| None),
            Effect::AnswerInline {
                id,
                results,
                next_offset,
            } => self
                .answer_inline(id, results, next_offset.as_deref())
                .await
                .map(|()| None),
            Effect::SendVenue {
                chat,
                point,
                title,
                address,
            } => {
                let params = SendVenueParams::builder()
                    .chat_id(chat.0)
                    .latitude(point.latitude())
                    .longitude(point.longitude())
                    // Both are bounded by the card's rules (a title of at most 100 characters,
                    // an address of at most 300), so nothing needs cutting.
                    .title(title.clone())
                    .address(address.clone())
                    .build();
                self.message_call("sendVenue", *chat, &params)
                    .await
                    .map(|()| None)
            }
        }
    }

    /// Draws the QR code of `link` and uploads it as a photo with `caption`.
    async fn send_qr_code(
        &self,
        chat: ChatId,
        link: &str,
        caption: &RichText,
    ) -> Result<(), TelegramError> {
        let png = crate::qr::qr_png(link)?;
        // An upload is a message like any other for the chat's rate limit.
        self.sender.wait_for_turn(chat.0).await;
        self.files
            .send_png(chat.0, png, "qr.png", &to_html(caption, CAPTION_LIMIT))
            .await
    }

    /// Answers an inline query with articles.
    async fn answer_inline(
        &self,
        id: &str,
        results: &[InlineArticle],
        next_offset: Option<&str>,
    ) -> Result<(), TelegramError> {
        let params = inline_answer(id, results, next_offset);
        self.sender
            .call::<_, Value>("answerInlineQuery", Lane::Control, &params)
            .await
            .map(drop)
    }

    /// Sends a text message; gives its id when Telegram's answer carries one.
    async fn send_message(
        &self,
        chat: ChatId,
        text: &RichText,
        keyboard: &Keyboard,
    ) -> Result<Option<MessageId>, TelegramError> {
        let params = SendMessageParams::builder()
            .chat_id(chat.0)
            .text(to_html(text, TEXT_LIMIT))
            .parse_mode(ParseMode::Html)
            // Card texts hold map and contact links; a preview of the first would crowd them.
            .link_preview_options(LinkPreviewOptions::DISABLED)
            .maybe_reply_markup(reply_markup(keyboard))
            .build();
        let sent: SentMessage = self
            .sender
            .call("sendMessage", Lane::Message(chat.0), &params)
            .await?;
        Ok(sent.0.map(MessageId))
    }

    async fn send_photos(&self, chat: ChatId, photos: &[PhotoId]) -> Result<(), TelegramError> {
        for album in photos.chunks(ALBUM_SIZE) {
            match album {
                [photo] => self.send_photo(chat, photo).await?,
                _ => {
                    let media = album
                        .iter()
                        .map(|photo| {
                            MediaGroupInputMedia::Photo(
                                InputMediaPhoto::builder()
                                    .media(FileUpload::String(photo.0.clone()))
                                    .build(),
                            )
                        })
                        .collect();
                    let params = SendMediaGroupParams::builder()
                        .chat_id(chat.0)
                        .media(media)
                        .build();
                    match self.message_call("sendMediaGroup", chat, &params).await {
                        // An image a partner sent as a file cannot go into a photo album:
                        // the photos go one by one instead.
                        Err(error) if error.is_file_type_mismatch() => {
                            for photo in album {
                                self.send_photo(chat, photo).await?;
                            }
                        }
                        other => other?,
                    }
                }
            }
        }
        Ok(())
    }

    async fn send_photo(&self, chat: ChatId, photo: &PhotoId) -> Result<(), TelegramError> {
        let params = SendPhotoParams::builder()
            .chat_id(chat.0)
            .photo(FileUpload::String(photo.0.clone()))
            .build();
        match self.message_call("sendPhoto", chat, &params).await {
            // The file id of an image sent as a document only goes out as a document.
            Err(error) if error.is_file_type_mismatch() => {
                let params = SendDocumentParams::builder()
                    .chat_id(chat.0)
                    .document(FileUpload::String(photo.0.clone()))
                    .build();
                self.message_call("sendDocument", chat, &params).await
            }
            other => other,
        }
    }

    async fn edit_message(
        &self,
        chat: ChatId,
        message: MessageId,
        text: &RichText,
        keyboard: &[Vec<InlineButton>],
    ) -> Result<(), TelegramError> {
        let message_id = i32::try_from(message.0).map_err(|_| {
            TelegramError::Request(format!("message id {} is out of range", message.0))
        })?;
        // Without reply_markup Telegram removes the inline keyboard, as an empty one should.
        let params = EditMessageTextParams::builder()
            .chat_id(chat.0)
            .message_id(message_id)
            .text(to_html(text, TEXT_LIMIT))
            .parse_mode(ParseMode::Html)
            .link_preview_options(LinkPreviewOptions::DISABLED)
            .maybe_reply_markup(inline_markup(keyboard))
            .build();
        match self.message_call("editMessageText", chat, &params).await {
            Err(error) if error.is_not_modified() => Ok(()),
            other => other,
        }
    }

    async fn edit_keyboard(
        &self,
        chat: ChatId,
        message: MessageId,
        keyboard: &[Vec<InlineButton>],
    ) -> Result<(), TelegramError> {
        let message_id = i32::try_from(message.0).map_err(|_| {
            TelegramError::Request(format!("message id {} is out of range", message.0))
        })?;
        // Without reply_markup Telegram removes the inline keyboard; the text stays.
        let params = EditMessageReplyMarkupParams::builder()
            .chat_id(chat.0)
            .message_id(message_id)
            .maybe_reply_markup(inline_markup(keyboard))
            .build();
        match self
            .message_call("editMessageReplyMarkup", chat, &params)
            .await
        {
            Err(error) if error.is_not_modified() => Ok(()),
            other => other,
        }
    }

    async fn answer_callback(
        &self,
        id: &str,
        text: Option<&str>,
        alert: bool,
    ) -> Result<(), TelegramError> {
        let params = callback_answer(id, text, alert);
        self.sender
            .call::<_, IgnoredAny>("answerCallbackQuery", Lane::Control, &params)
            .await
            .map(drop)
    }

    /// A call that sends or edits a message. Its answer (the message) is not read: a field
    /// this version cannot parse must not turn a delivered message into a failure. It is
    /// skipped as it is parsed ([`IgnoredAny`]), without building a tree of it to drop.
    async fn message_call<P>(
        &self,
        method: &str,
        chat: ChatId,
        params: &P,
    ) -> Result<(), TelegramError>
    where
        P: serde::Serialize + fmt::Debug + Sync,
    {
        self.sender
            .call::<_, IgnoredAny>(method, Lane::Message(chat.0), params)
            .await
            .map(drop)
    }

    /// The bot's own account; also proves the token works.
    ///
    /// # Errors
    ///
    /// Any [`TelegramError`]; a wrong token is a 401 (404 on some servers).
    pub async fn get_me(&self) -> Result<BotInfo, TelegramError> {
        self.sender.call("getMe", Lane::Control, &Empty {}).await
    }

    /// Removes the webhook, so that polling works; pending updates are kept unless
    /// `drop_pending` says otherwise.
    ///
    /// # Errors
    ///
    /// Any [`TelegramError`].
    pub async fn delete_webhook(&self, drop_pending: bool) -> Result<(), TelegramError> {
        let params = DeleteWebhookParams::builder()
            .drop_pending_updates(drop_pending)
            .build();
        self.sender
            .call::<_, Value>("deleteWebhook", Lane::Control, &params)
            .await
            .map(drop)
    }

    /// The webhook as Telegram has it.
    ///
    /// # Errors
    ///
    /// Any [`TelegramError`].
    pub async fn get_webhook_info(&self) -> Result<WebhookStatus, TelegramError> {
        let answer: WebhookInfoAnswer = self
            .sender
            .call("getWebhookInfo", Lane::Control, &Empty {})
            .await?;
        Ok(WebhookStatus {
            url: Some(answer.url).filter(|url| !url.is_empty()),
            pending_update_count: answer.pending_update_count,
            last_error: answer
                .last_error_message
                .map(|message| (answer.last_error_date.unwrap_or(0), message)),
            allowed_updates: answer.allowed_updates,
        })
    }

    /// Sets the webhook to `url`, with `secret` sent back in
    /// `X-Telegram-Bot-Api-Secret-Token` (1–256 of `A-Za-z0-9_-`), for these kinds of update.
    /// Pending updates are kept.
    ///
    /// # Errors
    ///
    /// Any [`TelegramError`]; Telegram refuses a URL that is not public HTTPS (400).
    pub async fn set_webhook(
        &self,
        url: &str,
        secret: &str,
        allowed_updates: &[UpdateKind],
    ) -> Result<(), TelegramError> {
        let params = SetWebhookParams::builder()
            .url(url)
            .secret_token(secret)
            .allowed_updates(
                allowed_updates
                    .iter()
                    .map(|kind| kind.to_allowed())
                    .collect(),
            )
            .build();
        self.sender
            .call::<_, Value>("setWebhook", Lane::Control, &params)
            .await
            .map(drop)
    }

    /// Makes the menu button of every private chat (those without one of their own) open the
    /// Mini App at `url`, labelled `text`.
    ///
    /// # Errors
    ///
    /// Any [`TelegramError`]; Telegram refuses a URL that is not HTTPS (400).
    pub async fn set_web_app_menu_button(
        &self,
        text: &str,
        url: &str,
    ) -> Result<(), TelegramError> {
        let button =
            frankenstein::types::MenuButton::WebApp(frankenstein::types::MenuButtonWebApp {
                text: text.to_owned(),
                web_app: frankenstein::types::WebAppInfo {
                    url: url.to_owned(),
                },
            });
        let params = frankenstein::methods::SetChatMenuButtonParams::builder()
            .menu_button(button)
            .build();
        self.sender
            .call::<_, Value>("setChatMenuButton", Lane::Control, &params)
            .await
            .map(drop)
    }

    /// Registers the command menus: the public commands for everyone, in each locale and
    /// (for clients in other languages) in `default_locale`; and for each of `admins` the
    /// same with `/moderate`, in their private chat.
    ///
    /// An admin's menu that cannot be set (an admin who never started the bot: "chat not
    /// found") is logged and left out, so one stale id cannot keep the others from theirs.
    ///
    /// # Errors
    ///
    /// The first [`TelegramError`] of a public menu.
    pub async fn set_commands(
        &self,
        catalog: &Catalog,
        default_locale: Locale,
        admins: &[i64],
    ) -> Result<(), TelegramError> {
        let mut failed_admin = None;
        for menu in command_menus(catalog, default_locale, admins) {
            if menu.admin.is_some() && menu.admin == failed_admin {
                continue;
            }
            let admin = menu.admin;
            match (self.set_menu(menu).await, admin) {
                (Ok(()), _) => {}
                (Err(error), Some(admin)) => {
                    tracing::warn!(admin, %error, "the admin's command menu was not set");
                    failed_admin = Some(admin);
                }
                (Err(error), None) => return Err(error),
            }
        }
        Ok(())
    }

    /// Sets the command menus of one admin's chat (every language), `/moderate` included: what
    /// [`TelegramClient::set_commands`] does for each admin at start.
    ///
    /// # Errors
    /// The first [`TelegramError`].
    pub async fn set_admin_commands(
        &self,
        catalog: &Catalog,
        default_locale: Locale,
        admin: i64,
    ) -> Result<(), TelegramError> {
        for menu in command_menus(catalog, default_locale, &[admin]) {
            if menu.admin.is_some() {
                self.set_menu(menu).await?;
            }
        }
        Ok(())
    }

    /// Brings the bot's description and short description, in the default language and each
    /// locale, to what the catalog of strings says (with `admin_contact` in the description
    /// when given), setting only the texts that differ from what Telegram has: a restart
    /// changes nothing, and Telegram's tight limits on these calls are not spent. Returns how
    /// many texts were set.
    ///
    /// # Errors
    /// The first [`TelegramError`].
    pub async fn sync_profile(
        &self,
        catalog: &Catalog,
        default_locale: Locale,
        admin_contact: Option<&str>,
    ) -> Result<usize, TelegramError> {
        #[derive(Deserialize)]
        struct Description {
            #[serde(default)]
            description: String,
        }
        #[derive(Deserialize)]
        struct ShortDescription {
            #[serde(default)]
            short_description: String,
        }
        let mut set = 0;
        for texts in profile_texts(catalog, default_locale, admin_contact) {
            let language = texts.language_code.map(str::to_owned);
            let params = GetMyDescriptionParams::builder()
                .maybe_language_code(language.clone())
                .build();
            let current: Description = self
                .sender
                .call("getMyDescription", Lane::Control, &params)
                .await?;
            if current.description != texts.description {
                let params = SetMyDescriptionParams::builder()
                    .description(texts.description)
                    .maybe_language_code(language.clone())
                    .build();
                self.sender
                    .call::<_, Value>("setMyDescription", Lane::Control, &params)
                    .await?;
                set += 1;
            }
            let params = GetMyShortDescriptionParams::builder()
                .maybe_language_code(language.clone())
                .build();
            let current: ShortDescription = self
                .sender
                .call("getMyShortDescription", Lane::Control, &params)
                .await?;
            if current.short_description != texts.short_description {
                let params = SetMyShortDescriptionParams::builder()
                    .short_description(texts.short_description)
                    .maybe_language_code(language)
                    .build();
                self.sender
                    .call::<_, Value>("setMyShortDescription", Lane::Control, &params)
                    .await?;
                set += 1;
            }
        }
        Ok(set)
    }

    /// Deletes the command menus of a former admin's chat (every language), so that the chat
    /// falls back to the public menus.
    ///
    /// # Errors
    /// The first [`TelegramError`].
    pub async fn delete_admin_commands(&self, admin: i64) -> Result<(), TelegramError> {
        let languages =
            std::iter::once(None).chain(Locale::ALL.into_iter().map(|locale| Some(locale.code())));
        for language in languages {
            let params = DeleteMyCommandsParams::builder()
                .scope(BotCommandScope::Chat(
                    BotCommandScopeChat::builder().chat_id(admin).build(),
                ))
                .maybe_language_code(language)
                .build();
            self.sender
                .call::<_, Value>("deleteMyCommands", Lane::Control, &params)
                .await?;
        }
        Ok(())
    }

    async fn set_menu(&self, menu: CommandMenu) -> Result<(), TelegramError> {
        let commands = menu
            .commands
            .into_iter()
            .map(|(command, description)| {
                BotCommand::builder()
                    .command(command)
                    .description(description)
                    .build()
            })
            .collect();
        let params = SetMyCommandsParams::builder()
            .commands(commands)
            .maybe_scope(menu.admin.map(|admin| {
                BotCommandScope::Chat(BotCommandScopeChat::builder().chat_id(admin).build())
            }))
            .maybe_language_code(menu.language)
            .build();
        self.sender
            .call::<_, Value>("setMyCommands", Lane::Control, &params)
            .await
            .map(drop)
    }
}

/// The parameters of a method that takes none.
#[derive(Debug, serde::Serialize)]
struct Empty {}

/// A Bot API call carried by the answer to a webhook request instead of a request of its own.
///
/// Telegram makes the call once it reads the answer: one HTTP exchange fewer per update, but
/// nobody learns whether the call succeeded. So only answers to a query go this way — to a
/// press or to an inline query — which nothing waits for and which the bot would not give
/// again anyway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookReply {
    method: &'static str,
    body: Vec<u8>,
}

impl WebhookReply {
    /// The media type of [`WebhookReply::body`].
    pub const CONTENT_TYPE: &'static str = "application/json";

    /// The reply that performs `effect`, when it is an answer to a query; `None` for any
    /// other effect, which must go as a call of its own.
    pub fn of(effect: &Effect) -> Option<WebhookReply> {
        match effect {
            Effect::AnswerCallback { id, text, alert } => Self::call(
                "answerCallbackQuery",
                &callback_answer(id, text.as_deref(), *alert),
            ),
            Effect::AnswerInline {
                id,
                results,
                next_offset,
            } => Self::call(
                "answerInlineQuery",
                &inline_answer(id, results, next_offset.as_deref()),
            ),
            _ => None,
        }
    }

    fn call<P: serde::Serialize>(method: &'static str, params: &P) -> Option<WebhookReply> {
        /// The call as Telegram reads it from a webhook's answer: the method beside its
        /// parameters.
        #[derive(serde::Serialize)]
        struct Call<'a, P> {
            method: &'static str,
            #[serde(flatten)]
            params: &'a P,
        }
        match serde_json::to_vec(&Call { method, params }) {
            Ok(body) => Some(WebhookReply { method, body }),
            Err(error) => {
                // Plain data never fails to serialize; were it to, the call goes on its own.
                tracing::warn!(method, %error, "a webhook reply could not be written");
                None
            }
        }
    }

    /// The Bot API method called, such as `answerCallbackQuery`.
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The answer's body: a JSON object of the call's parameters and its `method`.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body, owned.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }
}

/// The parameters of an answer to a press.
fn callback_answer(id: &str, text: Option<&str>, alert: bool) -> AnswerCallbackQueryParams {
    AnswerCallbackQueryParams::builder()
        .callback_query_id(id)
        .maybe_text(text.map(|text| cut_plain(text, CALLBACK_TEXT_LIMIT)))
        .maybe_show_alert(alert.then_some(true))
        .build()
}

/// The parameters of an answer to an inline query: articles, which depend on the person's
/// language, so Telegram may keep them for that person alone, and only briefly: cards change.
fn inline_answer(
    id: &str,
    results: &[InlineArticle],
    next_offset: Option<&str>,
) -> AnswerInlineQueryParams {
    let results = results
        .iter()
        .map(|article| {
            let content = InputTextMessageContent::builder()
                .message_text(to_html(&article.text, TEXT_LIMIT))
                .parse_mode(ParseMode::Html)
                .link_preview_options(LinkPreviewOptions::DISABLED)
                .build();
            InlineQueryResult::Article(
                InlineQueryResultArticle::builder()
                    .id(article.id.clone())
                    .title(cut_plain(&article.title, INLINE_TITLE_LIMIT))
                    .input_message_content(InputMessageContent::Text(content))
                    .maybe_reply_markup(inline_markup(&[vec![article.button.clone()]]))
                    .maybe_description(
                        article
                            .description
                            .as_deref()
                            .map(|text| cut_plain(text, INLINE_TITLE_LIMIT)),
                    )
                    .build(),
            )
        })
        .collect();
    AnswerInlineQueryParams::builder()
        .inline_query_id(id)
        .results(results)
        .cache_time(INLINE_CACHE_SECS)
        .is_personal(true)
        .maybe_next_offset(next_offset.map(str::to_owned))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_answers_to_queries_ride_in_a_webhook_reply() {
        let press = Effect::AnswerCallback {
            id: "q1".to_owned(),
            text: Some("<b>".repeat(100)),
            alert: true,
        };
        let reply = WebhookReply::of(&press).expect("a press answer rides in the reply");
        assert_eq!(reply.method(), "answerCallbackQuery");
        let body: Value = serde_json::from_slice(reply.body()).expect("the body is JSON");
        assert_eq!(body["method"], "answerCallbackQuery");
        assert_eq!(body["callback_query_id"], "q1");
        assert_eq!(body["show_alert"], true);
        // Cut to what Telegram shows, as the call of its own would be.
        let text = body["text"].as_str().expect("the text is kept");
        assert_eq!(text.chars().count(), CALLBACK_TEXT_LIMIT);

        let inline = Effect::AnswerInline {
            id: "i1".to_owned(),
            results: Vec::new(),
            next_offset: Some("20".to_owned()),
        };
        let body: Value = serde_json::from_slice(
            WebhookReply::of(&inline)
                .expect("an inline answer rides in the reply")
                .body(),
        )
        .expect("the body is JSON");
        assert_eq!(body["method"], "answerInlineQuery");
        assert_eq!(body["inline_query_id"], "i1");
        assert_eq!(body["next_offset"], "20");

        let message = Effect::Send {
            chat: ChatId(1),
            text: RichText::plain("hi"),
            keyboard: Keyboard::None,
        };
        assert_eq!(
            WebhookReply::of(&message),
            None,
            "a message waits for its answer"
        );
    }

    #[test]
    fn the_token_must_fit_in_a_url() {
        for token in ["", "12:ab/cd", "12:ab cd", "12:ab?x"] {
            assert!(
                matches!(
                    TelegramClient::new("https://api.telegram.org", token),
                    Err(TelegramError::Request(_))
                ),
                "{token:?}"
            );
        }
        let client =
            TelegramClient::new("https://api.telegram.org/", "12:secret").expect("a client");
        let debug = format!("{client:?}");
        assert!(debug.contains("https://api.telegram.org\""), "{debug}");
        assert!(!debug.contains("secret"), "{debug}");
    }

    #[test]
    fn a_webhook_is_left_alone_only_when_url_and_kinds_match() {
        let status = WebhookStatus {
            url: Some("https://bot.example/hook".to_owned()),
            allowed_updates: Some(vec![
                "callback_query".to_owned(),
                "inline_query".to_owned(),
                "message".to_owned(),
            ]),
            ..WebhookStatus::default()
        };
        assert!(status.is_set_to("https://bot.example/hook", &UpdateKind::SERVED));
        // A webhook set before inline mode was served is set again.
        let before_inline = WebhookStatus {
            allowed_updates: Some(vec!["callback_query".to_owned(), "message".to_owned()]),
            ..status.clone()
        };
        assert!(!before_inline.is_set_to("https://bot.example/hook", &UpdateKind::SERVED));
        assert!(!status.is_set_to("https://bot.example/other", &UpdateKind::SERVED));
        assert!(!status.is_set_to("https://bot.example/hook", &[UpdateKind::Message]));
        assert!(!WebhookStatus::default().is_set_to("https://bot.example/hook", &[]));
        let default_kinds = WebhookStatus {
            url: Some("https://bot.example/hook".to_owned()),
            ..WebhookStatus::default()
        };
        assert!(default_kinds.is_set_to("https://bot.example/hook", &[]));
        assert!(!default_kinds.is_set_to("https://bot.example/hook", &UpdateKind::SERVED));
    }

    #[test]
    fn a_sent_message_gives_its_id_and_any_other_answer_none() {
        let read = |json: &str| {
            serde_json::from_str::<SentMessage>(json)
                .unwrap_or_else(|error| panic!("{json}: {error}"))
                .0
        };
        assert_eq!(
            read(
                r#"{"chat":{"id":1,"type":"private"},"message_id":42,"text":"a \"b\"","entities":[{"x":[1,{}]}]}"#
            ),
            Some(42)
        );
        // Keys are compared as read, escapes included.
        assert_eq!(read(r#"{"message\u005fid":7}"#), Some(7));
        assert_eq!(read(r#"{"date":1}"#), None);
        assert_eq!(read(r#"{"message_id":"42"}"#), None);
        for other in ["true", "null", "3", "-3", "1.5", r#""ok""#, "[1,[2],{}]"] {
            assert_eq!(read(other), None, "{other}");
        }
        assert!(serde_json::from_str::<SentMessage>(r#"{"message_id":"#).is_err());
    }
}
