//! The private chat between the bot and one user, as that user sees it: messages with edits
//! applied and deletions gone, the current reply keyboard, and the answers to button presses.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::html::{Entity, Formatted};

/// A private chat as its user sees it. Returned by [`Handle::chat`](crate::Handle::chat).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatView {
    /// The user (and chat) id.
    pub user_id: i64,
    /// Whether the user has blocked the bot.
    pub blocked: bool,
    /// Messages in order, both directions, with edits applied and deleted ones gone.
    pub messages: Vec<ChatMessage>,
    /// The reply keyboard the user has now: the last one the bot sent, until removed.
    pub reply_keyboard: Option<ReplyKeyboard>,
    /// Inline-button presses of this user, oldest first, with the bot's answers.
    pub callbacks: Vec<CallbackRecord>,
}

impl ChatView {
    /// The bot's messages, oldest first.
    pub fn bot_messages(&self) -> impl Iterator<Item = &ChatMessage> {
        self.messages.iter().filter(|message| message.from_bot)
    }

    /// The bot's newest message.
    pub fn last_bot_message(&self) -> Option<&ChatMessage> {
        self.messages.iter().rev().find(|message| message.from_bot)
    }

    /// The message with this id, unless deleted.
    pub fn message(&self, message_id: i32) -> Option<&ChatMessage> {
        self.messages
            .iter()
            .find(|message| message.message_id == message_id)
    }

    /// The press with this callback query id.
    pub fn callback(&self, callback_query_id: &str) -> Option<&CallbackRecord> {
        self.callbacks
            .iter()
            .find(|callback| callback.id == callback_query_id)
    }

    /// The chat as readable text, one message a line; also what [`fmt::Display`] prints.
    pub fn transcript(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for ChatView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "chat {}{}:",
            self.user_id,
            if self.blocked {
                " (blocked the bot)"
            } else {
                ""
            }
        )?;
        if self.messages.is_empty() {
            writeln!(f, "  (no messages)")?;
        }
        for message in &self.messages {
            writeln!(f, "  {message}")?;
        }
        if let Some(keyboard) = &self.reply_keyboard {
            writeln!(f, "  reply keyboard: {keyboard}")?;
        }
        for callback in &self.callbacks {
            writeln!(f, "  {callback}")?;
        }
        Ok(())
    }
}

/// What a message carries besides text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// A text message.
    Text,
    /// A compressed photo.
    Photo,
    /// A file (for instance a photo sent uncompressed).
    Document,
    /// A sticker.
    Sticker,
    /// A voice note.
    Voice,
    /// A location pin.
    Location,
    /// A venue: a place with a title and an address.
    Venue,
    /// A shared contact.
    Contact,
}

/// One message of a [`ChatView`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// The message id within the chat.
    pub message_id: i32,
    /// Sent by the bot (`true`) or by the user.
    pub from_bot: bool,
    /// Text, photo, document, …
    pub kind: MessageKind,
    /// The current text, after entity parsing (what the user reads).
    pub text: Option<String>,
    /// The formatting of `text` (or of `caption` for media).
    pub entities: Vec<Entity>,
    /// The current caption of a media message.
    pub caption: Option<String>,
    /// The file id of the media (the largest size of a photo).
    pub file_id: Option<String>,
    /// The current inline keyboard, row by row.
    pub inline_keyboard: Vec<Vec<InlineButton>>,
    /// Whether the message was edited.
    pub edited: bool,
    /// The album this message belongs to.
    pub media_group_id: Option<String>,
    /// The place of a location or venue message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceView>,
}

/// The place a location or venue message shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceView {
    /// Latitude in degrees.
    pub latitude: f64,
    /// Longitude in degrees.
    pub longitude: f64,
    /// A venue's title.
    pub title: Option<String>,
    /// A venue's address.
    pub address: Option<String>,
}

impl ChatMessage {
    /// The text, or the caption of a media message, or `""`.
    pub fn body(&self) -> &str {
        self.text
            .as_deref()
            .or(self.caption.as_deref())
            .unwrap_or("")
    }

    /// The inline button with this label.
    pub fn button(&self, label: &str) -> Option<&InlineButton> {
        self.inline_keyboard
            .iter()
            .flatten()
            .find(|button| button.text == label)
    }

    /// The labels of the inline keyboard, row by row flattened.
    pub fn button_labels(&self) -> Vec<&str> {
        self.inline_keyboard
            .iter()
            .flatten()
            .map(|button| button.text.as_str())
            .collect()
    }
}

impl fmt::Display for ChatMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let who = if self.from_bot { "bot" } else { "user" };
        write!(f, "#{} {who}:", self.message_id)?;
        if self.kind != MessageKind::Text {
            write!(f, " [{:?}]", self.kind)?;
        }
        let body = self.body();
        if !body.is_empty() {
            write!(f, " {}", body.replace('\n', "\n      "))?;
        }
        if let Some(place) = &self.place {
            write!(f, " 📍 {:.6}, {:.6}", place.latitude, place.longitude)?;
            for text in [&place.title, &place.address].into_iter().flatten() {
                write!(f, " · {text}")?;
            }
        }
        if self.edited {
            write!(f, " (edited)")?;
        }
        for row in &self.inline_keyboard {
            write!(f, "\n      ")?;
            for button in row {
                write!(f, "[{button}] ")?;
            }
        }
        Ok(())
    }
}

/// A button of an inline keyboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineButton {
    /// The label.
    pub text: String,
    /// What a press sends back to the bot.
    pub callback_data: Option<String>,
    /// The link a press opens.
    pub url: Option<String>,
    /// The Mini App a press opens (`web_app.url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_app: Option<String>,
    /// The query a press puts after the bot's name in a chat the user picks
    /// (`switch_inline_query`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch_inline_query: Option<String>,
}

impl fmt::Display for InlineButton {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.text)?;
        if let Some(data) = &self.callback_data {
            write!(f, " → {data}")?;
        }
        if let Some(url) = &self.url {
            write!(f, " → {url}")?;
        }
        if let Some(url) = &self.web_app {
            write!(f, " → web app {url}")?;
        }
        if let Some(query) = &self.switch_inline_query {
            write!(f, " → @bot {query}")?;
        }
        Ok(())
    }
}

/// An inline query a user typed (`@bot words`), and the bot's answer once it came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineQueryRecord {
    /// The query id the server issued.
    pub id: String,
    /// Who typed it.
    pub user: i64,
    /// What they typed.
    pub query: String,
    /// The offset asked for (a `next_offset` of an earlier answer; empty at first).
    pub offset: String,
    /// The bot's answer (answerInlineQuery), if any yet.
    pub answer: Option<InlineAnswer>,
}

/// The bot's answer to an inline query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineAnswer {
    /// The articles, in order.
    pub results: Vec<InlineArticle>,
    /// The offset that brings the next results; `None` at the end.
    pub next_offset: Option<String>,
    /// `cache_time`, if given.
    pub cache_time: Option<i64>,
    /// `is_personal`.
    pub is_personal: bool,
}

/// One article of an inline answer, as the user's client would show and send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineArticle {
    /// The result's id.
    pub id: String,
    /// The line in the list.
    pub title: String,
    /// The smaller line under it.
    pub description: Option<String>,
    /// The text of the message it sends, after entity parsing.
    pub message_text: String,
    /// The inline keyboard of that message.
    pub buttons: Vec<Vec<InlineButton>>,
}

/// A reply keyboard shown under the input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyKeyboard {
    /// Button labels, row by row.
    pub rows: Vec<Vec<String>>,
    /// `resize_keyboard` as sent.
    pub resize_keyboard: bool,
    /// `one_time_keyboard` as sent.
    pub one_time_keyboard: bool,
    /// `is_persistent` as sent.
    pub is_persistent: bool,
    /// `input_field_placeholder` as sent.
    pub input_field_placeholder: Option<String>,
    /// Labels of the buttons that send the user's location (`request_location`).
    #[serde(default)]
    pub location_buttons: Vec<String>,
    /// Labels of the buttons that send the user's phone (`request_contact`).
    #[serde(default)]
    pub contact_buttons: Vec<String>,
}

impl ReplyKeyboard {
    /// Whether a button has exactly this label.
    pub fn contains(&self, label: &str) -> bool {
        self.rows.iter().flatten().any(|text| text == label)
    }

    /// All labels, row by row flattened.
    pub fn labels(&self) -> Vec<&str> {
        self.rows.iter().flatten().map(String::as_str).collect()
    }
}

impl fmt::Display for ReplyKeyboard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for row in &self.rows {
            write!(f, "[{}] ", row.join(" | "))?;
        }
        Ok(())
    }
}

/// One press of an inline button (a `callback_query`), and the bot's answer if it gave one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackRecord {
    /// The server-issued callback query id.
    pub id: String,
    /// The message whose button was pressed.
    pub message_id: Option<i32>,
    /// The `callback_data` sent to the bot.
    pub data: Option<String>,
    /// The bot's `answerCallbackQuery`, once given.
    pub answer: Option<CallbackAnswer>,
}

impl fmt::Display for CallbackRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "callback {} data={:?}: ",
            self.id,
            self.data.as_deref().unwrap_or("")
        )?;
        match &self.answer {
            None => write!(f, "not answered"),
            Some(answer) => write!(
                f,
                "answered{}{}",
                if answer.show_alert {
                    " with an alert"
                } else {
                    ""
                },
                answer
                    .text
                    .as_deref()
                    .map(|text| format!(": {text}"))
                    .unwrap_or_default()
            ),
        }
    }
}

/// The bot's answer to a button press.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackAnswer {
    /// The notification text, if any.
    pub text: Option<String>,
    /// Shown as an alert rather than a toast.
    pub show_alert: bool,
    /// The URL to open, if any.
    pub url: Option<String>,
}

/// A user as the fake server knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UserProfile {
    pub(crate) id: i64,
    pub(crate) first_name: String,
    pub(crate) last_name: Option<String>,
    pub(crate) username: Option<String>,
    pub(crate) language_code: Option<String>,
}

impl UserProfile {
    pub(crate) fn new(id: i64) -> Self {
        Self {
            id,
            first_name: format!("User {id}"),
            last_name: None,
            username: None,
            language_code: None,
        }
    }

    pub(crate) fn user_json(&self) -> Value {
        let mut user = Map::new();
        user.insert("id".into(), json!(self.id));
        user.insert("is_bot".into(), json!(false));
        user.insert("first_name".into(), json!(self.first_name));
        insert_some(&mut user, "last_name", self.last_name.as_deref());
        insert_some(&mut user, "username", self.username.as_deref());
        insert_some(&mut user, "language_code", self.language_code.as_deref());
        Value::Object(user)
    }

    pub(crate) fn chat_json(&self) -> Value {
        let mut chat = Map::new();
        chat.insert("id".into(), json!(self.id));
        chat.insert("first_name".into(), json!(self.first_name));
        insert_some(&mut chat, "last_name", self.last_name.as_deref());
        insert_some(&mut chat, "username", self.username.as_deref());
        chat.insert("type".into(), json!("private"));
        Value::Object(chat)
    }
}

fn insert_some(object: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        object.insert(key.into(), json!(value));
    }
}

/// The media of a stored message, kept as the Bot API JSON of that field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Media {
    /// `photo`: an array of `PhotoSize`, smallest first.
    Photo(Value),
    Document(Value),
    Sticker(Value),
    Voice(Value),
    /// `location`: a `Location`.
    Location(Value),
    /// `venue`: a `Venue` (the message also carries its `location`).
    Venue(Value),
    /// `contact`: a `Contact`.
    Contact(Value),
}

impl Media {
    pub(crate) fn field(&self) -> (&'static str, &Value) {
        match self {
            Self::Photo(value) => ("photo", value),
            Self::Document(value) => ("document", value),
            Self::Sticker(value) => ("sticker", value),
            Self::Voice(value) => ("voice", value),
            Self::Location(value) => ("location", value),
            Self::Venue(value) => ("venue", value),
            Self::Contact(value) => ("contact", value),
        }
    }

    fn kind(&self) -> MessageKind {
        match self {
            Self::Photo(_) => MessageKind::Photo,
            Self::Document(_) => MessageKind::Document,
            Self::Sticker(_) => MessageKind::Sticker,
            Self::Voice(_) => MessageKind::Voice,
            Self::Location(_) => MessageKind::Location,
            Self::Venue(_) => MessageKind::Venue,
            Self::Contact(_) => MessageKind::Contact,
        }
    }

    /// The place of a location or a venue.
    fn place(&self) -> Option<PlaceView> {
        let (location, venue) = match self {
            Self::Location(location) => (location, None),
            Self::Venue(venue) => (venue.get("location")?, Some(venue)),
            _ => return None,
        };
        let text = |field: &str| {
            venue
                .and_then(|venue| venue.get(field))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        Some(PlaceView {
            latitude: location.get("latitude")?.as_f64()?,
            longitude: location.get("longitude")?.as_f64()?,
            title: text("title"),
            address: text("address"),
        })
    }

    fn file_id(&self) -> Option<String> {
        let (_, value) = self.field();
        let file = match value {
            Value::Array(sizes) => sizes.last()?,
            other => other,
        };
        file.get("file_id")
            .and_then(Value::as_str)
            .map(str::to_owned)
    }

    /// Whether a caption can be put on it.
    pub(crate) fn takes_caption(&self) -> bool {
        matches!(self, Self::Photo(_) | Self::Document(_) | Self::Voice(_))
    }
}

/// An inline keyboard attached to a message: the JSON echoed to the bot and the parsed buttons.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AttachedKeyboard {
    pub(crate) raw: Value,
    pub(crate) rows: Vec<Vec<InlineButton>>,
}

/// A message as the server keeps it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredMessage {
    pub(crate) message_id: i32,
    pub(crate) from_bot: bool,
    pub(crate) date: u64,
    pub(crate) edit_date: Option<u64>,
    pub(crate) text: Option<Formatted>,
    pub(crate) caption: Option<Formatted>,
    pub(crate) media: Option<Media>,
    pub(crate) keyboard: Option<AttachedKeyboard>,
    pub(crate) media_group_id: Option<String>,
}

impl StoredMessage {
    pub(crate) fn new(message_id: i32, from_bot: bool, date: u64) -> Self {
        Self {
            message_id,
            from_bot,
            date,
            edit_date: None,
            text: None,
            caption: None,
            media: None,
            keyboard: None,
            media_group_id: None,
        }
    }

    /// The Bot API `Message` object; `sender` is the `from` user, `chat` the chat object.
    pub(crate) fn to_json(&self, sender: &Value, chat: &Value) -> Value {
        let mut message = Map::new();
        message.insert("message_id".into(), json!(self.message_id));
        message.insert("from".into(), sender.clone());
        message.insert("chat".into(), chat.clone());
        message.insert("date".into(), json!(self.date));
        if let Some(edit_date) = self.edit_date {
            message.insert("edit_date".into(), json!(edit_date));
        }
        if let Some(group) = &self.media_group_id {
            message.insert("media_group_id".into(), json!(group));
        }
        if let Some(text) = &self.text {
            message.insert("text".into(), json!(text.text));
            if !text.entities.is_empty() {
                message.insert("entities".into(), json!(text.entities));
            }
        }
        if let Some(media) = &self.media {
            let (field, value) = media.field();
            message.insert(field.into(), value.clone());
            // As Telegram does, a venue message carries the venue's location as well.
            if let (Media::Venue(_), Some(location)) = (media, value.get("location")) {
                message.insert("location".into(), location.clone());
            }
        }
        if let Some(caption) = &self.caption {
            message.insert("caption".into(), json!(caption.text));
            if !caption.entities.is_empty() {
                message.insert("caption_entities".into(), json!(caption.entities));
            }
        }
        if let Some(keyboard) = &self.keyboard {
            message.insert("reply_markup".into(), keyboard.raw.clone());
        }
        Value::Object(message)
    }

    pub(crate) fn view(&self) -> ChatMessage {
        let entities = self
            .text
            .as_ref()
            .or(self.caption.as_ref())
            .map(|formatted| formatted.entities.clone())
            .unwrap_or_default();
        ChatMessage {
            message_id: self.message_id,
            from_bot: self.from_bot,
            kind: self.media.as_ref().map_or(MessageKind::Text, Media::kind),
            text: self.text.as_ref().map(|text| text.text.clone()),
            entities,
            caption: self.caption.as_ref().map(|caption| caption.text.clone()),
            file_id: self.media.as_ref().and_then(Media::file_id),
            inline_keyboard: self
                .keyboard
                .as_ref()
                .map(|keyboard| keyboard.rows.clone())
                .unwrap_or_default(),
            edited: self.edit_date.is_some(),
            media_group_id: self.media_group_id.clone(),
            place: self.media.as_ref().and_then(Media::place),
        }
    }
}

/// The server's side of one private chat.
#[derive(Debug, Clone, Default)]
pub(crate) struct ChatState {
    pub(crate) messages: Vec<StoredMessage>,
    pub(crate) last_message_id: i32,
    pub(crate) reply_keyboard: Option<ReplyKeyboard>,
    /// Callback query ids of this chat, oldest first.
    pub(crate) callbacks: Vec<String>,
    pub(crate) blocked: bool,
}

impl ChatState {
    pub(crate) fn next_message_id(&mut self) -> i32 {
        self.last_message_id += 1;
        self.last_message_id
    }

    pub(crate) fn message_mut(&mut self, message_id: i32) -> Option<&mut StoredMessage> {
        self.messages
            .iter_mut()
            .find(|message| message.message_id == message_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_renders_the_bot_api_field_names() {
        let mut message = StoredMessage::new(7, true, 1_700_000_000);
        message.text = Some(Formatted::plain("hi"));
        message.keyboard = Some(AttachedKeyboard {
            raw: json!({"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}),
            rows: vec![vec![InlineButton {
                text: "A".into(),
                callback_data: Some("a".into()),
                url: None,
                web_app: None,
                switch_inline_query: None,
            }]],
        });
        let user = UserProfile::new(42);
        let rendered = message.to_json(
            &json!({"id": 1, "is_bot": true, "first_name": "Bot"}),
            &user.chat_json(),
        );
        assert_eq!(
            rendered,
            json!({
                "message_id": 7,
                "from": {"id": 1, "is_bot": true, "first_name": "Bot"},
                "chat": {"id": 42, "first_name": "User 42", "type": "private"},
                "date": 1_700_000_000,
                "text": "hi",
                "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
            })
        );
        let view = message.view();
        assert_eq!(
            view.button("A").and_then(|b| b.callback_data.as_deref()),
            Some("a")
        );
        assert_eq!(view.to_string(), "#7 bot: hi\n      [A → a] ");
    }
}
