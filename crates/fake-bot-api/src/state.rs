//! Everything the server knows, behind one mutex that is never held across an `.await`, with
//! two `Notify`s: one for long polls and the webhook dispatcher (new updates, webhook changes),
//! one for test waiters (anything observable changed).

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tokio::sync::{Notify, oneshot};

use crate::chat::{CallbackRecord, ChatState, Media, StoredMessage, UserProfile};
use crate::config::Config;
use crate::envelope::ApiError;
use crate::faults::Faults;

/// The state and its wake-ups, shared by the HTTP server, the webhook dispatcher and handles.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    state: Mutex<State>,
    /// Woken when an update is queued or the webhook changes.
    pub(crate) updates: Notify,
    /// Woken on every change a test could observe.
    pub(crate) changed: Notify,
}

impl Shared {
    pub(crate) fn new(config: Config) -> Self {
        let state = State::new(&config);
        Self {
            config,
            state: Mutex::new(state),
            updates: Notify::new(),
            changed: Notify::new(),
        }
    }

    /// The state; a panic elsewhere while it was held leaves it usable, since every change to it
    /// is a complete step.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn notify_updates(&self) {
        self.updates.notify_waiters();
        self.changed.notify_waiters();
    }

    pub(crate) fn notify_changed(&self) {
        self.changed.notify_waiters();
    }
}

/// One queued, unconfirmed update.
#[derive(Debug, Clone)]
pub(crate) struct PendingUpdate {
    pub(crate) id: u32,
    /// The chat it belongs to; webhook delivery keeps one update per chat in flight.
    pub(crate) chat: Option<i64>,
    /// The update's kind (`message`, `callback_query`, …).
    pub(crate) kind: String,
    /// The whole update object, `update_id` included.
    pub(crate) body: Value,
}

/// The webhook as set by setWebhook.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Webhook {
    pub(crate) url: String,
    pub(crate) secret_token: Option<String>,
    pub(crate) allowed_updates: Vec<String>,
    pub(crate) max_connections: u32,
    /// Bumped on every change, so a delivery for an older webhook stops.
    pub(crate) generation: u64,
}

/// The long poll that is waiting now, if any; a newer poll or a setWebhook ends it with `stop`.
#[derive(Debug)]
pub(crate) struct ActivePoll {
    pub(crate) id: u64,
    pub(crate) stop: oneshot::Sender<ApiError>,
}

#[derive(Debug, Default)]
pub(crate) struct Polls {
    pub(crate) active: Option<ActivePoll>,
    pub(crate) last_id: u64,
    pub(crate) in_flight: u32,
    pub(crate) peak_in_flight: u32,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Counters {
    pub(crate) calls: BTreeMap<String, u64>,
    pub(crate) conflicts: u64,
    pub(crate) webhook_attempts: u64,
    pub(crate) webhook_deliveries: u64,
    pub(crate) webhook_failures: u64,
    pub(crate) webhook_replies: u64,
    pub(crate) webhook_reply_failures: u64,
}

/// A text of the bot's profile, as set with setMyName, setMyDescription or
/// setMyShortDescription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProfileField {
    /// The name (0–64 characters).
    Name,
    /// The description shown in an empty chat (0–512 characters).
    Description,
    /// The short description on the profile page and in shares (0–120 characters).
    ShortDescription,
}

/// One setMyCommands list, keyed by scope and language.
#[derive(Debug, Clone)]
pub(crate) struct CommandList {
    pub(crate) scope: Value,
    pub(crate) commands: Vec<(String, String)>,
}

#[derive(Debug)]
pub(crate) struct State {
    /// The bot as the `from` of its messages.
    pub(crate) bot_user: Value,
    /// What getMe returns.
    pub(crate) get_me: Value,
    pub(crate) last_update_id: u32,
    pub(crate) pending: VecDeque<PendingUpdate>,
    /// `allowed_updates` of the last getUpdates that gave it; empty means the default set.
    pub(crate) poll_allowed_updates: Vec<String>,
    pub(crate) polls: Polls,
    pub(crate) webhook: Option<Webhook>,
    pub(crate) webhook_generation: u64,
    pub(crate) last_set_webhook: Option<Instant>,
    /// Chats with a webhook delivery in flight.
    pub(crate) webhook_busy: HashSet<Option<i64>>,
    pub(crate) webhook_last_error: Option<(u64, String)>,
    pub(crate) users: BTreeMap<i64, UserProfile>,
    pub(crate) chats: BTreeMap<i64, ChatState>,
    /// Every press the server issued, by callback query id.
    pub(crate) callbacks: HashMap<String, CallbackRecord>,
    /// Inline queries issued, by id, with the bot's answers.
    pub(crate) inline_queries: HashMap<String, crate::chat::InlineQueryRecord>,
    pub(crate) last_callback: u64,
    /// Every file id the server handed out or saw, with the media it stands for.
    pub(crate) files: HashMap<String, Media>,
    /// The bytes of uploaded files, by file id (every size of an uploaded photo).
    pub(crate) file_contents: HashMap<String, Vec<u8>>,
    /// Menu buttons set by setChatMenuButton: `None` is the default one.
    pub(crate) menu_buttons: HashMap<Option<i64>, Value>,
    pub(crate) last_file: u64,
    pub(crate) commands: BTreeMap<(String, String), CommandList>,
    /// The bot's name, description and short description, keyed by field and language (`""`:
    /// for every language without one of its own).
    pub(crate) profile: BTreeMap<(ProfileField, String), String>,
    pub(crate) faults: Faults,
    pub(crate) counters: Counters,
}

/// Seconds since the epoch, as message dates are given.
pub(crate) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// Update kinds left out when `allowed_updates` is empty.
const NOT_BY_DEFAULT: &[&str] = &["chat_member", "message_reaction", "message_reaction_count"];

/// Whether an update kind passes an `allowed_updates` list.
pub(crate) fn is_allowed(kind: &str, allowed: &[String]) -> bool {
    if allowed.is_empty() {
        !NOT_BY_DEFAULT.contains(&kind)
    } else {
        allowed.iter().any(|name| name == kind)
    }
}

impl State {
    fn new(config: &Config) -> Self {
        let bot_id = config.bot_id();
        let bot_user = json!({
            "id": bot_id,
            "is_bot": true,
            "first_name": config.bot_first_name,
            "username": config.bot_username,
        });
        let get_me = json!({
            "id": bot_id,
            "is_bot": true,
            "first_name": config.bot_first_name,
            "username": config.bot_username,
            "can_join_groups": true,
            "can_read_all_group_messages": false,
            "supports_inline_queries": false,
            "can_connect_to_business": false,
            "has_main_web_app": false,
        });
        Self {
            bot_user,
            get_me,
            last_update_id: 100_000_000,
            pending: VecDeque::new(),
            poll_allowed_updates: Vec::new(),
            polls: Polls::default(),
            webhook: None,
            webhook_generation: 0,
            last_set_webhook: None,
            webhook_busy: HashSet::new(),
            webhook_last_error: None,
            users: BTreeMap::new(),
            chats: BTreeMap::new(),
            callbacks: HashMap::new(),
            inline_queries: HashMap::new(),
            last_callback: 0,
            files: HashMap::new(),
            file_contents: HashMap::new(),
            menu_buttons: HashMap::new(),
            last_file: 0,
            commands: BTreeMap::new(),
            profile: BTreeMap::new(),
            faults: Faults::default(),
            counters: Counters::default(),
        }
    }

    /// The user with this id, created with default names on first use.
    pub(crate) fn user(&mut self, id: i64) -> &mut UserProfile {
        self.chats.entry(id).or_default();
        self.users.entry(id).or_insert_with(|| UserProfile::new(id))
    }

    pub(crate) fn chat(&mut self, id: i64) -> &mut ChatState {
        self.chats.entry(id).or_default()
    }

    /// Queues an update `{"update_id": …, kind: payload}` and returns its id.
    pub(crate) fn push_update(&mut self, kind: &str, chat: Option<i64>, payload: Value) -> u32 {
        self.last_update_id = self.last_update_id.wrapping_add(1);
        let id = self.last_update_id;
        let mut body = serde_json::Map::new();
        body.insert("update_id".into(), json!(id));
        body.insert(kind.into(), payload);
        self.pending.push_back(PendingUpdate {
            id,
            chat,
            kind: kind.to_owned(),
            body: Value::Object(body),
        });
        id
    }

    /// Queues an update given whole. Its `update_id` is kept when present (later ids continue
    /// after it) and assigned otherwise; its kind is its first field besides `update_id`.
    pub(crate) fn push_raw(&mut self, update: Value) -> Result<u32, String> {
        let Value::Object(mut body) = update else {
            return Err("an update must be a JSON object".to_owned());
        };
        let id = match body.get("update_id") {
            None => self.last_update_id.wrapping_add(1),
            Some(value) => value
                .as_u64()
                .and_then(|id| u32::try_from(id).ok())
                .ok_or_else(|| "update_id must be a non-negative 32-bit integer".to_owned())?,
        };
        body.insert("update_id".into(), json!(id));
        let (kind, payload) = body
            .iter()
            .find(|(key, _)| key.as_str() != "update_id")
            .map(|(key, value)| (key.clone(), value.clone()))
            .ok_or_else(|| "an update needs a field besides update_id".to_owned())?;
        let chat = payload
            .pointer("/chat/id")
            .or_else(|| payload.pointer("/message/chat/id"))
            .and_then(Value::as_i64);
        self.learn_files(&payload);
        if let Some(chat) = chat.filter(|chat| *chat > 0) {
            self.learn_user(chat, payload.get("from"));
        }
        self.last_update_id = self.last_update_id.max(id);
        self.pending.push_back(PendingUpdate {
            id,
            chat,
            kind,
            body: Value::Object(body),
        });
        Ok(id)
    }

    /// Registers the private chat of an injected update, so the bot may answer in it; the
    /// sender's names are taken when the sender is that chat's user.
    fn learn_user(&mut self, chat: i64, from: Option<&Value>) {
        let text = |field: &str| {
            from.and_then(|from| from.get(field))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let same_user = from.and_then(|from| from.get("id")).and_then(Value::as_i64) == Some(chat);
        let (first_name, last_name, username, language_code) = (
            text("first_name"),
            text("last_name"),
            text("username"),
            text("language_code"),
        );
        let user = self.user(chat);
        if same_user {
            if let Some(first_name) = first_name {
                user.first_name = first_name;
            }
            user.last_name = last_name;
            user.username = username;
            user.language_code = language_code;
        }
    }

    /// Registers the file ids of an injected update, so the bot may send them back.
    fn learn_files(&mut self, value: &Value) {
        let Value::Object(fields) = value else {
            return;
        };
        for (key, field) in fields {
            let media = match (key.as_str(), field) {
                ("photo", Value::Array(_)) => Some(Media::Photo(field.clone())),
                ("document", Value::Object(_)) => Some(Media::Document(field.clone())),
                ("sticker", Value::Object(_)) => Some(Media::Sticker(field.clone())),
                ("voice", Value::Object(_)) => Some(Media::Voice(field.clone())),
                _ => None,
            };
            match media {
                Some(media) => {
                    let files: Vec<&Value> = match field {
                        Value::Array(sizes) => sizes.iter().collect(),
                        single => vec![single],
                    };
                    for file in files {
                        if let Some(id) = file.get("file_id").and_then(Value::as_str) {
                            self.files.insert(id.to_owned(), media.clone());
                        }
                    }
                }
                None => self.learn_files(field),
            }
        }
    }

    fn next_file(&mut self) -> u64 {
        self.last_file += 1;
        self.last_file
    }

    /// A new photo in three sizes; each size's file id stands for the whole photo.
    pub(crate) fn new_photo(&mut self) -> Value {
        let n = self.next_file();
        let sizes: Vec<Value> = [(90, 68, 1_432), (320, 240, 18_211), (1280, 960, 143_872)]
            .iter()
            .enumerate()
            .map(|(index, (width, height, size))| {
                json!({
                    "file_id": format!("AgACAgIAAxkBAAIB{n:08X}Y{index}AAMCAgADeQADNgQ"),
                    "file_unique_id": format!("AQAD{n:08X}{index}"),
                    "file_size": size,
                    "width": width,
                    "height": height,
                })
            })
            .collect();
        let photo = Value::Array(sizes);
        self.register(Media::Photo(photo.clone()));
        photo
    }

    /// A JPEG sent as a file rather than as a photo.
    pub(crate) fn new_image_document(&mut self) -> Value {
        let n = self.next_file();
        let document = json!({
            "file_name": format!("IMG_{n:04}.jpg"),
            "mime_type": "image/jpeg",
            "thumbnail": {
                "file_id": format!("AAMCAgADGQEAAgIB{n:08X}AAHYAQ"),
                "file_unique_id": format!("AQADt{n:08X}"),
                "file_size": 9_812,
                "width": 240,
                "height": 320,
            },
            "file_id": format!("BQACAgIAAxkBAAIB{n:08X}AAE2BAAC"),
            "file_unique_id": format!("AgAD{n:08X}"),
            "file_size": 2_140_311,
        });
        self.register(Media::Document(document.clone()));
        document
    }

    pub(crate) fn new_sticker(&mut self) -> Value {
        let n = self.next_file();
        let sticker = json!({
            "width": 512,
            "height": 512,
            "emoji": "👍",
            "set_name": "TestStickers",
            "is_animated": false,
            "is_video": false,
            "type": "regular",
            "file_id": format!("CAACAgIAAxkBAAIB{n:08X}AAFiAAM"),
            "file_unique_id": format!("AgADs{n:08X}"),
            "file_size": 23_412,
        });
        self.register(Media::Sticker(sticker.clone()));
        sticker
    }

    pub(crate) fn new_voice(&mut self) -> Value {
        let n = self.next_file();
        let voice = json!({
            "duration": 3,
            "mime_type": "audio/ogg",
            "file_id": format!("AwACAgIAAxkBAAIB{n:08X}AAE8BQAC"),
            "file_unique_id": format!("AgADv{n:08X}"),
            "file_size": 8_121,
        });
        self.register(Media::Voice(voice.clone()));
        voice
    }

    fn register(&mut self, media: Media) {
        let ids: Vec<String> = match &media {
            Media::Photo(Value::Array(sizes)) => sizes
                .iter()
                .filter_map(|size| {
                    size.get("file_id")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                })
                .collect(),
            Media::Photo(file)
            | Media::Document(file)
            | Media::Sticker(file)
            | Media::Voice(file) => file
                .get("file_id")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .into_iter()
                .collect(),
            Media::Location(_) | Media::Venue(_) | Media::Contact(_) => Vec::new(),
        };
        for id in ids {
            self.files.insert(id, media.clone());
        }
    }

    /// The Bot API `Message` of a stored message in a private chat.
    pub(crate) fn message_json(&self, chat_id: i64, message: &StoredMessage) -> Value {
        let user = self
            .users
            .get(&chat_id)
            .cloned()
            .unwrap_or_else(|| UserProfile::new(chat_id));
        let sender = if message.from_bot {
            self.bot_user.clone()
        } else {
            user.user_json()
        };
        message.to_json(&sender, &user.chat_json())
    }

    /// Blocks or unblocks the bot for a user and queues the `my_chat_member` update Telegram
    /// sends for it.
    pub(crate) fn set_blocked(&mut self, user_id: i64, blocked: bool) -> u32 {
        let profile = self.user(user_id).clone();
        self.chat(user_id).blocked = blocked;
        let member = |status: &str| {
            let mut member = json!({"user": self.bot_user, "status": status});
            if status == "kicked" {
                member["until_date"] = json!(0);
            }
            member
        };
        let (old, new) = if blocked {
            ("member", "kicked")
        } else {
            ("kicked", "member")
        };
        let payload = json!({
            "chat": profile.chat_json(),
            "from": profile.user_json(),
            "date": now(),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        });
        self.push_update("my_chat_member", Some(user_id), payload)
    }

    /// A user can only write to a bot they blocked by restarting it, which unblocks it first.
    pub(crate) fn unblock_to_write(&mut self, user_id: i64) {
        if self.chats.get(&user_id).is_some_and(|chat| chat.blocked) {
            self.set_blocked(user_id, false);
        }
    }

    /// Stores a message from the user and queues it as a `message` update.
    pub(crate) fn user_message(
        &mut self,
        user_id: i64,
        fill: impl FnOnce(&mut StoredMessage),
    ) -> u32 {
        self.user(user_id);
        self.unblock_to_write(user_id);
        let chat = self.chat(user_id);
        let mut message = StoredMessage::new(chat.next_message_id(), false, now());
        fill(&mut message);
        let payload = self.message_json(user_id, &message);
        self.chat(user_id).messages.push(message);
        self.push_update("message", Some(user_id), payload)
    }

    /// A new callback query id.
    pub(crate) fn next_callback_id(&mut self) -> String {
        self.last_callback += 1;
        format!(
            "{}",
            4_611_686_018_427_387_904u64 + self.last_callback * 7_919
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_allowed_updates_leave_out_member_and_reaction_updates() {
        let check = |kind: &str, allowed: &[&str], expected: bool| {
            let allowed: Vec<String> = allowed.iter().map(|kind| (*kind).to_owned()).collect();
            assert_eq!(
                is_allowed(kind, &allowed),
                expected,
                "{kind} with {allowed:?}"
            );
        };
        check("message", &[], true);
        check("some_future_kind", &[], true);
        check("chat_member", &[], false);
        check("message_reaction", &[], false);
        check("chat_member", &["chat_member"], true);
        check("message", &["callback_query"], false);
    }

    #[test]
    fn raw_updates_keep_their_id_and_later_ids_follow() {
        let mut state = State::new(&Config::default());
        let id = state
            .push_raw(json!({"update_id": 500_000_000, "some_future_kind": {}}))
            .expect("valid update");
        assert_eq!(id, 500_000_000);
        assert_eq!(
            state.push_update("message", Some(1), json!({})),
            500_000_001
        );
        assert!(state.push_raw(json!({"update_id": 1})).is_err());
        assert!(state.push_raw(json!([1])).is_err());
    }

    #[test]
    fn file_ids_of_injected_updates_become_known() {
        let mut state = State::new(&Config::default());
        state
            .push_raw(json!({"message": {"chat": {"id": 5}, "photo": [{"file_id": "p1"}, {"file_id": "p2"}]}}))
            .expect("valid update");
        assert!(matches!(state.files.get("p2"), Some(Media::Photo(_))));
        assert_eq!(state.pending.back().and_then(|update| update.chat), Some(5));
        assert!(
            state.users.contains_key(&5),
            "the bot may answer in that chat"
        );
    }
}
