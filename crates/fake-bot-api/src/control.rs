//! The control API as a library: act as users, inject updates and faults, and inspect what the
//! bot did.

use std::collections::BTreeMap;
use std::fmt;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::time::{Instant, timeout_at};

use crate::chat::{CallbackAnswer, CallbackRecord, ChatView, Media, StoredMessage};
use crate::error::ControlError;
use crate::faults::Fault;
use crate::html::{Entity, Formatted};
use crate::state::{ProfileField, Shared, State};

/// The first user id of [`Handle::inject_text_load`].
pub const LOAD_USER_BASE: i64 = 900_000_000;

/// A user id, from an `i64` or a [`FakeUser`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UserId(pub i64);

impl From<i64> for UserId {
    fn from(id: i64) -> Self {
        Self(id)
    }
}

impl From<&FakeUser> for UserId {
    fn from(user: &FakeUser) -> Self {
        Self(user.id)
    }
}

/// A user of the fake Telegram, made by [`Handle::user`]; its builder methods change how the
/// user appears in later updates (`from.first_name`, `from.language_code`, …).
#[derive(Debug, Clone)]
pub struct FakeUser {
    id: i64,
    handle: Handle,
}

impl FakeUser {
    /// The user (and private chat) id.
    pub fn id(&self) -> i64 {
        self.id
    }

    fn edit(self, change: impl FnOnce(&mut crate::chat::UserProfile)) -> Self {
        change(self.handle.shared.lock().user(self.id));
        self
    }

    /// Sets `language_code` (`en`, `ru`, …).
    #[must_use]
    pub fn with_language(self, language_code: impl Into<String>) -> Self {
        let language_code = language_code.into();
        self.edit(|user| user.language_code = Some(language_code))
    }

    /// Sets `first_name` (default `User <id>`).
    #[must_use]
    pub fn with_name(self, first_name: impl Into<String>) -> Self {
        let first_name = first_name.into();
        self.edit(|user| user.first_name = first_name)
    }

    /// Sets `last_name`.
    #[must_use]
    pub fn with_last_name(self, last_name: impl Into<String>) -> Self {
        let last_name = last_name.into();
        self.edit(|user| user.last_name = Some(last_name))
    }

    /// Sets `username` (without `@`).
    #[must_use]
    pub fn with_username(self, username: impl Into<String>) -> Self {
        let username = username.into();
        self.edit(|user| user.username = Some(username))
    }
}

/// Counters of what the bot did to the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Calls per method (documented spelling; unknown methods as called), failed and faulted
    /// calls included.
    pub calls: BTreeMap<String, u64>,
    /// 409 answers sent (overlapping polls, polls while a webhook is set).
    pub conflicts: u64,
    /// getUpdates requests being served now.
    pub get_updates_in_flight: u32,
    /// The most getUpdates requests ever served at once (since the last reset).
    pub peak_get_updates_in_flight: u32,
    /// Updates queued and not yet confirmed.
    pub pending_updates: usize,
    /// Webhook POSTs made, successful or not.
    pub webhook_attempts: u64,
    /// Webhook POSTs answered with 2xx (each confirms one update).
    pub webhook_deliveries: u64,
    /// Webhook POSTs that failed (non-2xx, refused, timed out).
    pub webhook_failures: u64,
    /// Calls carried by webhook answers and made (counted in `calls` too).
    #[serde(default)]
    pub webhook_replies: u64,
    /// Calls carried by webhook answers that failed: an unknown method, a body that is not a
    /// call, or a call the method refused. The bot is never told, as with Telegram.
    #[serde(default)]
    pub webhook_reply_failures: u64,
}

impl Stats {
    /// Calls of one method so far.
    pub fn calls_of(&self, method: &str) -> u64 {
        self.calls.get(method).copied().unwrap_or(0)
    }
}

/// The webhook as set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookView {
    /// The URL updates are posted to.
    pub url: String,
    /// Sent as `X-Telegram-Bot-Api-Secret-Token`.
    pub secret_token: Option<String>,
    /// The update kinds asked for (empty: the default set).
    pub allowed_updates: Vec<String>,
    /// `max_connections` as set.
    pub max_connections: u32,
    /// The last delivery error, as getWebhookInfo reports it.
    pub last_error_message: Option<String>,
}

/// One command of a command list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotCommand {
    /// Without the slash.
    pub command: String,
    /// The description shown in the menu.
    pub description: String,
}

/// One setMyCommands list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandSet {
    /// The `BotCommandScope` object (`{"type":"default"}` when none was given).
    pub scope: Value,
    /// The `language_code` (empty for all languages).
    pub language_code: String,
    /// The commands in order.
    pub commands: Vec<BotCommand>,
}

/// Drives a running fake server from a test: cheap to clone, usable from any task.
///
/// Actions (`send_*`, `press_*`, `inject_*`, `block`) queue updates exactly as Telegram would
/// and return their `update_id`; inspections read the server's state at once; `wait_*` methods
/// sleep until a condition holds, woken by every change (no polling loop).
///
/// A user who blocked the bot and then writes or presses a button has restarted the bot: it is
/// unblocked first, with the `my_chat_member` update Telegram sends for that.
#[derive(Clone)]
pub struct Handle {
    pub(crate) shared: Arc<Shared>,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("token", &self.shared.config.token)
            .finish_non_exhaustive()
    }
}

impl Handle {
    pub(crate) fn new(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    /// Runs `change` on the state, then wakes pollers, the webhook dispatcher and waiters.
    fn act<T>(&self, change: impl FnOnce(&mut State) -> T) -> T {
        let outcome = change(&mut self.shared.lock());
        self.shared.notify_updates();
        outcome
    }

    /// The user with this id, created on first use (named `User <id>`, no language).
    pub fn user(&self, id: i64) -> FakeUser {
        self.shared.lock().user(id);
        FakeUser {
            id,
            handle: self.clone(),
        }
    }

    /// The user sends a text message. Text starting with `/` carries a `bot_command` entity for
    /// its first word, as Telegram adds one.
    pub async fn send_text(&self, user: impl Into<UserId>, text: &str) -> u32 {
        let UserId(user) = user.into();
        let formatted = with_command_entity(text);
        self.act(|state| state.user_message(user, |message| message.text = Some(formatted)))
    }

    /// The user sends a command (`"start"` or `"/start payload"`).
    pub async fn send_command(&self, user: impl Into<UserId>, command: &str) -> u32 {
        let text = if command.starts_with('/') {
            command.to_owned()
        } else {
            format!("/{command}")
        };
        self.send_text(user, &text).await
    }

    /// The user sends a photo (a new file id) with an optional caption.
    pub async fn send_photo(&self, user: impl Into<UserId>, caption: Option<&str>) -> u32 {
        let UserId(user) = user.into();
        let caption = caption.map(Formatted::plain);
        self.act(|state| {
            let photo = state.new_photo();
            state.user_message(user, |message| {
                message.media = Some(Media::Photo(photo));
                message.caption = caption;
            })
        })
    }

    /// The user sends a JPEG as a file (a `document`, not a `photo`).
    pub async fn send_photo_as_document(&self, user: impl Into<UserId>) -> u32 {
        let UserId(user) = user.into();
        self.act(|state| {
            let document = state.new_image_document();
            state.user_message(user, |message| {
                message.media = Some(Media::Document(document))
            })
        })
    }

    /// The user sends a sticker.
    pub async fn send_sticker(&self, user: impl Into<UserId>) -> u32 {
        let UserId(user) = user.into();
        self.act(|state| {
            let sticker = state.new_sticker();
            state.user_message(user, |message| {
                message.media = Some(Media::Sticker(sticker))
            })
        })
    }

    /// The user sends a voice note.
    pub async fn send_voice(&self, user: impl Into<UserId>) -> u32 {
        let UserId(user) = user.into();
        self.act(|state| {
            let voice = state.new_voice();
            state.user_message(user, |message| message.media = Some(Media::Voice(voice)))
        })
    }

    /// The user sends a location pin (from the attachment menu).
    pub async fn send_location(
        &self,
        user: impl Into<UserId>,
        latitude: f64,
        longitude: f64,
    ) -> u32 {
        let UserId(user) = user.into();
        self.act(|state| {
            state.user_message(user, |message| {
                message.media = Some(Media::Location(
                    json!({"latitude": latitude, "longitude": longitude}),
                ));
            })
        })
    }

    /// The user sends a venue: a place picked on the map, with its title and address.
    pub async fn send_venue(
        &self,
        user: impl Into<UserId>,
        latitude: f64,
        longitude: f64,
        title: &str,
        address: &str,
    ) -> u32 {
        let UserId(user) = user.into();
        let venue = json!({
            "location": {"latitude": latitude, "longitude": longitude},
            "title": title,
            "address": address,
        });
        self.act(|state| {
            state.user_message(user, |message| message.media = Some(Media::Venue(venue)))
        })
    }

    /// The user presses a `request_location` button of their reply keyboard, and their client
    /// sends their location.
    ///
    /// # Errors
    /// [`ControlError::NoSuchReplyButton`] when the keyboard has no such button asking for
    /// the location.
    pub async fn press_location_button(
        &self,
        user: impl Into<UserId>,
        label: &str,
        latitude: f64,
        longitude: f64,
    ) -> Result<u32, ControlError> {
        let UserId(user) = user.into();
        let location = json!({"latitude": latitude, "longitude": longitude});
        self.act(|state| {
            requesting_button(state, user, label, |keyboard| &keyboard.location_buttons)?;
            Ok(state.user_message(user, |message| {
                message.media = Some(Media::Location(location));
            }))
        })
    }

    /// The user presses a `request_contact` button of their reply keyboard, and their client
    /// sends their own contact with `phone`.
    ///
    /// # Errors
    /// [`ControlError::NoSuchReplyButton`] when the keyboard has no such button asking for
    /// the phone.
    pub async fn press_contact_button(
        &self,
        user: impl Into<UserId>,
        label: &str,
        phone: &str,
    ) -> Result<u32, ControlError> {
        let UserId(user) = user.into();
        self.act(|state| {
            requesting_button(state, user, label, |keyboard| &keyboard.contact_buttons)?;
            let first_name = state.user(user).first_name.clone();
            let contact = json!({"phone_number": phone, "first_name": first_name, "user_id": user});
            Ok(state.user_message(user, |message| {
                message.media = Some(Media::Contact(contact));
            }))
        })
    }

    /// The user presses a button of their current reply keyboard, which sends its label as
    /// text.
    ///
    /// # Errors
    /// [`ControlError::NoSuchReplyButton`] when the keyboard has no such label, or there is no
    /// keyboard.
    pub async fn press_reply_button(
        &self,
        user: impl Into<UserId>,
        label: &str,
    ) -> Result<u32, ControlError> {
        let UserId(user) = user.into();
        self.act(|state| {
            let keyboard = state
                .chats
                .get(&user)
                .and_then(|chat| chat.reply_keyboard.clone());
            match keyboard {
                Some(keyboard) if keyboard.contains(label) => {}
                other => {
                    return Err(ControlError::NoSuchReplyButton {
                        user,
                        label: label.to_owned(),
                        keyboard: other
                            .map_or_else(|| "none".to_owned(), |keyboard| keyboard.to_string()),
                    });
                }
            }
            Ok(state.user_message(user, |message| message.text = Some(Formatted::plain(label))))
        })
    }

    /// The user presses the inline button with this label on the newest bot message that has
    /// one, which sends a `callback_query` with its data and the message.
    ///
    /// # Errors
    /// [`ControlError::NoSuchInlineButton`] when no message has such a button;
    /// [`ControlError::NotACallbackButton`] when it opens a URL instead.
    pub async fn press_inline_button(
        &self,
        user: impl Into<UserId>,
        label: &str,
    ) -> Result<u32, ControlError> {
        let UserId(user) = user.into();
        self.act(|state| {
            let found = state.chats.get(&user).and_then(|chat| {
                chat.messages
                    .iter()
                    .rev()
                    .filter(|message| message.from_bot)
                    .find_map(|message| {
                        button_data(message, label).map(|data| (message.message_id, data))
                    })
            });
            press(state, user, label, found)
        })
    }

    /// Like [`press_inline_button`](Self::press_inline_button), on one given message.
    ///
    /// # Errors
    /// [`ControlError::NoSuchMessage`], [`ControlError::NoSuchInlineButton`],
    /// [`ControlError::NotACallbackButton`].
    pub async fn press_inline_button_in(
        &self,
        user: impl Into<UserId>,
        message_id: i32,
        label: &str,
    ) -> Result<u32, ControlError> {
        let UserId(user) = user.into();
        self.act(|state| {
            let data = button_data(find_message(state, user, message_id)?, label);
            press(state, user, label, data.map(|data| (message_id, data)))
        })
    }

    /// Sends a `callback_query` with arbitrary data for a message, as an old or forged button
    /// would.
    ///
    /// # Errors
    /// [`ControlError::NoSuchMessage`] when the message is not in the chat.
    pub async fn send_callback(
        &self,
        user: impl Into<UserId>,
        message_id: i32,
        data: &str,
    ) -> Result<u32, ControlError> {
        let UserId(user) = user.into();
        self.act(|state| {
            find_message(state, user, message_id)?;
            Ok(issue_callback(
                state,
                user,
                message_id,
                Some(data.to_owned()),
            ))
        })
    }

    /// The user types `@bot <query>` in some chat, scrolled to `offset` (empty at first):
    /// an `inline_query` update is queued. Returns the query's id, for
    /// [`Handle::inline_answer`].
    pub async fn send_inline_query(
        &self,
        user: impl Into<UserId>,
        query: &str,
        offset: &str,
    ) -> String {
        let UserId(user) = user.into();
        self.act(|state| {
            let id = state.next_callback_id();
            let profile = state.user(user).clone();
            let payload = json!({
                "id": id,
                "from": profile.user_json(),
                "query": query,
                "offset": offset,
                "chat_type": "sender",
            });
            state.inline_queries.insert(
                id.clone(),
                crate::chat::InlineQueryRecord {
                    id: id.clone(),
                    user,
                    query: query.to_owned(),
                    offset: offset.to_owned(),
                    answer: None,
                },
            );
            // Queued behind the user's other updates, as Telegram keeps one user's in order.
            state.push_update("inline_query", Some(user), payload);
            id
        })
    }

    /// The bot's answer to the inline query `id`, if it answered.
    pub fn inline_answer(&self, id: &str) -> Option<crate::chat::InlineAnswer> {
        self.shared
            .lock()
            .inline_queries
            .get(id)
            .and_then(|record| record.answer.clone())
    }

    /// Waits for the bot's answer to the inline query `id`.
    ///
    /// # Errors
    /// [`ControlError::Timeout`].
    pub async fn wait_for_inline_answer(
        &self,
        id: &str,
        timeout: Duration,
    ) -> Result<crate::chat::InlineAnswer, ControlError> {
        self.wait_until(
            timeout,
            || self.inline_answer(id),
            || (format!("an answer to inline query {id}"), String::new()),
        )
        .await
    }

    /// The bytes of a file the bot uploaded (a photo sent as `multipart/form-data`), by any
    /// of its file ids.
    pub fn uploaded_file(&self, file_id: &str) -> Option<Vec<u8>> {
        self.shared.lock().file_contents.get(file_id).cloned()
    }

    /// The user blocks the bot: sending to them gets 403, and a `my_chat_member` update (status
    /// `kicked`) is queued, as Telegram does.
    pub async fn block(&self, user: impl Into<UserId>) -> u32 {
        self.set_blocked(user.into(), true)
    }

    /// The user unblocks the bot (a `my_chat_member` update with status `member`).
    pub async fn unblock(&self, user: impl Into<UserId>) -> u32 {
        self.set_blocked(user.into(), false)
    }

    fn set_blocked(&self, UserId(user): UserId, blocked: bool) -> u32 {
        self.act(|state| state.set_blocked(user, blocked))
    }

    /// Queues an update given as raw JSON, e.g. a kind the bot does not know
    /// (`{"some_future_kind": {}}`). A missing `update_id` is assigned.
    ///
    /// # Errors
    /// [`ControlError::InvalidUpdate`] when it is not an object with a field besides
    /// `update_id`.
    pub async fn inject_update(&self, update: Value) -> Result<u32, ControlError> {
        self.act(|state| state.push_raw(update))
            .map_err(ControlError::InvalidUpdate)
    }

    /// Queues `messages` text messages from `users` users (ids from [`LOAD_USER_BASE`]), round
    /// robin, for load tests; returns their update ids.
    pub async fn inject_text_load(&self, messages: usize, users: usize) -> Vec<u32> {
        let users = i64::try_from(users.max(1)).unwrap_or(i64::MAX);
        self.act(|state| {
            (0..messages)
                .zip((0..users).cycle())
                .map(|(index, user)| {
                    let text = Formatted::plain(&format!("load message {index}"));
                    state.user_message(LOAD_USER_BASE + user, |message| message.text = Some(text))
                })
                .collect()
        })
    }

    /// Leaves a gap of `count` update ids, as Telegram does after a quiet week.
    pub async fn skip_update_ids(&self, count: u32) {
        self.act(|state| state.last_update_id = state.last_update_id.wrapping_add(count));
    }

    /// Makes the next `count` calls of `method` (`"*"`: of any method) fail with `fault`
    /// before they take effect.
    pub fn fail_next(&self, method: &str, count: u32, fault: Fault) {
        self.shared.lock().faults.arm(method, count, fault);
    }

    /// The chat with this user as they see it.
    pub fn chat(&self, user: impl Into<UserId>) -> ChatView {
        chat_view(&self.shared.lock(), user.into().0)
    }

    /// The answer given to a press, if any.
    pub fn callback_answer(&self, callback_query_id: &str) -> Option<CallbackAnswer> {
        self.shared
            .lock()
            .callbacks
            .get(callback_query_id)
            .and_then(|record| record.answer.clone())
    }

    /// Makes the call a webhook's 2xx answer carries, as this server does for the webhooks
    /// it delivers to: for a caller that posts updates to the bot itself. `body` is the
    /// answer's, read as `content_type` says (JSON when `None`); how the call went shows only
    /// in [`Stats`].
    pub async fn webhook_reply(&self, content_type: Option<&str>, body: &[u8]) {
        crate::server::webhook_reply(&self.shared, content_type, body).await;
    }

    /// The menu button setChatMenuButton set for `chat` (`None`: the default one), as sent.
    pub fn menu_button(&self, chat: Option<i64>) -> Option<serde_json::Value> {
        self.shared.lock().menu_buttons.get(&chat).cloned()
    }

    /// The counters.
    pub fn stats(&self) -> Stats {
        stats(&self.shared.lock())
    }

    /// Starts counting the peak of concurrent getUpdates afresh (from those in flight now).
    pub fn reset_peak_get_updates(&self) {
        let mut state = self.shared.lock();
        state.polls.peak_in_flight = state.polls.in_flight;
    }

    /// The webhook, when one is set.
    pub fn webhook(&self) -> Option<WebhookView> {
        let state = self.shared.lock();
        state.webhook.as_ref().map(|hook| WebhookView {
            url: hook.url.clone(),
            secret_token: hook.secret_token.clone(),
            allowed_updates: hook.allowed_updates.clone(),
            max_connections: hook.max_connections,
            last_error_message: state
                .webhook_last_error
                .as_ref()
                .map(|(_, message)| message.clone()),
        })
    }

    /// The bot's profile text `field` as set for `language_code` alone (`""`: for every
    /// language), without falling back as getMy… does.
    pub fn profile_text(&self, field: ProfileField, language_code: &str) -> Option<String> {
        self.shared
            .lock()
            .profile
            .get(&(field, language_code.to_owned()))
            .cloned()
    }

    /// Every command list set with setMyCommands.
    pub fn commands(&self) -> Vec<CommandSet> {
        self.shared
            .lock()
            .commands
            .iter()
            .map(|((_, language_code), list)| CommandSet {
                scope: list.scope.clone(),
                language_code: language_code.clone(),
                commands: list
                    .commands
                    .iter()
                    .map(|(command, description)| BotCommand {
                        command: command.clone(),
                        description: description.clone(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// The default-scope command list for a language (`""`: for all languages).
    pub fn commands_for(&self, language_code: &str) -> Option<Vec<BotCommand>> {
        self.commands()
            .into_iter()
            .find(|set| {
                set.scope == json!({"type": "default"}) && set.language_code == language_code
            })
            .map(|set| set.commands)
    }

    /// Waits until `condition` holds for the user's chat, and returns the chat then.
    ///
    /// # Errors
    /// [`ControlError::Timeout`] with the chat transcript.
    pub async fn wait_for(
        &self,
        user: impl Into<UserId>,
        mut condition: impl FnMut(&ChatView) -> bool,
        timeout: Duration,
    ) -> Result<ChatView, ControlError> {
        let UserId(user) = user.into();
        self.wait_until(
            timeout,
            || {
                let chat = self.chat(user);
                condition(&chat).then_some(chat)
            },
            || {
                (
                    format!("a condition on chat {user}"),
                    self.chat(user).transcript(),
                )
            },
        )
        .await
    }

    /// Waits until the bot has sent at least `count` messages (still present) to the user.
    ///
    /// # Errors
    /// [`ControlError::Timeout`] with the chat transcript.
    pub async fn wait_for_bot_messages(
        &self,
        user: impl Into<UserId>,
        count: usize,
        timeout: Duration,
    ) -> Result<ChatView, ControlError> {
        let UserId(user) = user.into();
        self.wait_until(
            timeout,
            || {
                let chat = self.chat(user);
                (chat.bot_messages().count() >= count).then_some(chat)
            },
            || {
                (
                    format!("{count} bot messages in chat {user}"),
                    self.chat(user).transcript(),
                )
            },
        )
        .await
    }

    /// Waits until `condition` holds for the counters.
    ///
    /// # Errors
    /// [`ControlError::Timeout`] with the counters.
    pub async fn wait_for_stats(
        &self,
        mut condition: impl FnMut(&Stats) -> bool,
        timeout: Duration,
    ) -> Result<Stats, ControlError> {
        self.wait_until(
            timeout,
            || {
                let stats = self.stats();
                condition(&stats).then_some(stats)
            },
            || {
                (
                    "a condition on the counters".to_owned(),
                    format!("{:#?}", self.stats()),
                )
            },
        )
        .await
    }

    async fn wait_until<T>(
        &self,
        timeout: Duration,
        mut probe: impl FnMut() -> Option<T>,
        describe: impl FnOnce() -> (String, String),
    ) -> Result<T, ControlError> {
        let deadline = Instant::now() + timeout;
        loop {
            // Registered before probing, so a change between the probe and the wait still wakes.
            let mut changed = pin!(self.shared.changed.notified());
            changed.as_mut().enable();
            if let Some(found) = probe() {
                return Ok(found);
            }
            if timeout_at(deadline, changed).await.is_err() {
                if let Some(found) = probe() {
                    return Ok(found);
                }
                let (what, transcript) = describe();
                return Err(ControlError::Timeout {
                    what,
                    waited: timeout,
                    transcript,
                });
            }
        }
    }
}

/// A `bot_command` entity for a leading `/word`.
fn with_command_entity(text: &str) -> Formatted {
    let mut formatted = Formatted::plain(text);
    if text.starts_with('/') {
        let command = text.split(char::is_whitespace).next().unwrap_or(text);
        let length = command.encode_utf16().count();
        if length > 1 {
            formatted
                .entities
                .push(Entity::new("bot_command", 0, length));
        }
    }
    formatted
}

/// `Some(callback_data)` of the button with this label on the message; `Some(None)` when the
/// button has no callback data.
fn button_data(message: &StoredMessage, label: &str) -> Option<Option<String>> {
    let keyboard = message.keyboard.as_ref()?;
    let button = keyboard
        .rows
        .iter()
        .flatten()
        .find(|button| button.text == label)?;
    Some(button.callback_data.clone())
}

/// Presses the button `found` (its message and callback data, `None` data for a URL button)
/// under `label`, or tells why it cannot be pressed.
fn press(
    state: &mut State,
    user: i64,
    label: &str,
    found: Option<(i32, Option<String>)>,
) -> Result<u32, ControlError> {
    let Some((message_id, data)) = found else {
        return Err(ControlError::NoSuchInlineButton {
            user,
            label: label.to_owned(),
            transcript: chat_view(state, user).transcript(),
        });
    };
    let data = data.ok_or_else(|| ControlError::NotACallbackButton {
        user,
        label: label.to_owned(),
    })?;
    Ok(issue_callback(state, user, message_id, Some(data)))
}

fn find_message(state: &State, user: i64, message_id: i32) -> Result<&StoredMessage, ControlError> {
    state
        .chats
        .get(&user)
        .and_then(|chat| {
            chat.messages
                .iter()
                .find(|message| message.message_id == message_id)
        })
        .ok_or(ControlError::NoSuchMessage { user, message_id })
}

/// Queues a `callback_query` for a message of the chat and records the press.
fn issue_callback(state: &mut State, user: i64, message_id: i32, data: Option<String>) -> u32 {
    state.unblock_to_write(user);
    let id = state.next_callback_id();
    let profile = state.user(user).clone();
    let message = state
        .chats
        .get(&user)
        .and_then(|chat| {
            chat.messages
                .iter()
                .find(|message| message.message_id == message_id)
        })
        .map(|message| state.message_json(user, message))
        .unwrap_or(Value::Null);
    let mut payload = json!({
        "id": id,
        "from": profile.user_json(),
        "message": message,
        "chat_instance": format!("-{}", 3_000_000_000_000_000_000u64 + user.unsigned_abs()),
    });
    if let Some(data) = &data {
        payload["data"] = json!(data);
    }
    state.callbacks.insert(
        id.clone(),
        CallbackRecord {
            id: id.clone(),
            message_id: Some(message_id),
            data,
            answer: None,
        },
    );
    state.chat(user).callbacks.push(id);
    state.push_update("callback_query", Some(user), payload)
}

pub(crate) fn chat_view(state: &State, user: i64) -> ChatView {
    let chat = state.chats.get(&user);
    ChatView {
        user_id: user,
        blocked: chat.is_some_and(|chat| chat.blocked),
        messages: chat
            .map(|chat| chat.messages.iter().map(StoredMessage::view).collect())
            .unwrap_or_default(),
        reply_keyboard: chat.and_then(|chat| chat.reply_keyboard.clone()),
        callbacks: chat
            .map(|chat| {
                chat.callbacks
                    .iter()
                    .filter_map(|id| state.callbacks.get(id).cloned())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

pub(crate) fn stats(state: &State) -> Stats {
    Stats {
        calls: state.counters.calls.clone(),
        conflicts: state.counters.conflicts,
        get_updates_in_flight: state.polls.in_flight,
        peak_get_updates_in_flight: state.polls.peak_in_flight,
        pending_updates: state.pending.len(),
        webhook_attempts: state.counters.webhook_attempts,
        webhook_deliveries: state.counters.webhook_deliveries,
        webhook_failures: state.counters.webhook_failures,
        webhook_replies: state.counters.webhook_replies,
        webhook_reply_failures: state.counters.webhook_reply_failures,
    }
}

/// Checks that `user`'s reply keyboard has a button labelled `label` among those `buttons`
/// picks (the ones asking for the location, or for the phone).
fn requesting_button(
    state: &crate::state::State,
    user: i64,
    label: &str,
    buttons: impl Fn(&crate::chat::ReplyKeyboard) -> &Vec<String>,
) -> Result<(), ControlError> {
    let keyboard = state
        .chats
        .get(&user)
        .and_then(|chat| chat.reply_keyboard.as_ref());
    match keyboard {
        Some(keyboard) if buttons(keyboard).iter().any(|text| text == label) => Ok(()),
        other => Err(ControlError::NoSuchReplyButton {
            user,
            label: label.to_owned(),
            keyboard: other.map_or_else(|| "none".to_owned(), ToString::to_string),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leading_slash_word_is_marked_as_a_command() {
        let check = |text: &str, expected: Vec<Entity>| {
            assert_eq!(with_command_entity(text).entities, expected, "{text:?}")
        };
        check("/start", vec![Entity::new("bot_command", 0, 6)]);
        check("/start card_12", vec![Entity::new("bot_command", 0, 6)]);
        check("hello /start", vec![]);
        check("/", vec![]);
    }
}
