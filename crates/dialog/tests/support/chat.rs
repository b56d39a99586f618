//! A private chat as its person sees it, built from the dialog's effects alone: messages with
//! edits applied, the reply keyboard in force, and the answers to button presses. It plays the
//! part the Bot API double plays in the end-to-end tests, without HTTP or Telegram's types.

use std::fmt;

use vitrina_dialog::{ButtonAction, InlineButton as DialogButton, Keyboard, ReplyRequest};

/// What a message carries besides text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Text,
    Photo,
    Document,
    Sticker,
    Voice,
    /// A location pin.
    Location,
    /// A place with a name and an address (the text holds both and the coordinates).
    Venue,
    /// A shared contact.
    Contact,
}

/// A button of an inline keyboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineButton {
    pub text: String,
    pub callback_data: Option<String>,
    pub url: Option<String>,
    /// The query a `switch_inline_query` button puts after the bot's name in another chat.
    pub switch_inline_query: Option<String>,
}

impl From<&DialogButton> for InlineButton {
    fn from(button: &DialogButton) -> InlineButton {
        let (callback_data, url, switch_inline_query) = match &button.action {
            ButtonAction::Callback(data) => (Some(data.clone()), None, None),
            ButtonAction::Url(url) | ButtonAction::WebApp(url) => (None, Some(url.clone()), None),
            ButtonAction::SwitchInline(query) => (None, None, Some(query.clone())),
        };
        InlineButton {
            text: button.label.clone(),
            callback_data,
            url,
            switch_inline_query,
        }
    }
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
        if let Some(query) = &self.switch_inline_query {
            write!(f, " → @bot {query}")?;
        }
        Ok(())
    }
}

/// One message of a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    pub message_id: i32,
    pub from_bot: bool,
    pub kind: MessageKind,
    /// The text (or, for media, the caption) as the person reads it.
    pub text: Option<String>,
    pub file_id: Option<String>,
    pub inline_keyboard: Vec<Vec<InlineButton>>,
    pub edited: bool,
}

impl ChatMessage {
    /// The text, or `""`.
    pub fn body(&self) -> &str {
        self.text.as_deref().unwrap_or("")
    }

    /// The inline button with this label.
    pub fn button(&self, label: &str) -> Option<&InlineButton> {
        self.inline_keyboard
            .iter()
            .flatten()
            .find(|button| button.text == label)
    }

    /// The labels of the inline keyboard, rows flattened.
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
        if !self.body().is_empty() {
            write!(f, " {}", self.body().replace('\n', "\n      "))?;
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

/// The reply keyboard under the input field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyKeyboard {
    pub rows: Vec<Vec<String>>,
    /// The labels of buttons that send the location or the phone instead of their label.
    pub requests: Vec<(String, ReplyRequest)>,
}

impl ReplyKeyboard {
    /// What the button labelled `label` asks for, if it asks for anything.
    pub fn request(&self, label: &str) -> Option<ReplyRequest> {
        self.requests
            .iter()
            .find(|(text, _)| text == label)
            .map(|(_, request)| *request)
    }

    pub fn contains(&self, label: &str) -> bool {
        self.rows.iter().flatten().any(|text| text == label)
    }

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

/// The bot's answer to a button press.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackAnswer {
    pub text: Option<String>,
    pub show_alert: bool,
}

/// One press of an inline button and the bot's answer, if it gave one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackRecord {
    pub id: String,
    pub message_id: Option<i32>,
    pub data: Option<String>,
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

/// A private chat as its person sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChatView {
    pub user_id: i64,
    pub messages: Vec<ChatMessage>,
    pub reply_keyboard: Option<ReplyKeyboard>,
    pub callbacks: Vec<CallbackRecord>,
}

impl ChatView {
    pub fn bot_messages(&self) -> impl DoubleEndedIterator<Item = &ChatMessage> {
        self.messages.iter().filter(|message| message.from_bot)
    }

    pub fn last_bot_message(&self) -> Option<&ChatMessage> {
        self.messages.iter().rev().find(|message| message.from_bot)
    }

    pub fn message(&self, message_id: i32) -> Option<&ChatMessage> {
        self.messages
            .iter()
            .find(|message| message.message_id == message_id)
    }

    pub fn callback(&self, id: &str) -> Option<&CallbackRecord> {
        self.callbacks.iter().find(|callback| callback.id == id)
    }

    pub fn transcript(&self) -> String {
        self.to_string()
    }

    /// Applies a reply keyboard (or its removal) the bot sent with a message.
    pub(crate) fn set_keyboard(&mut self, keyboard: &Keyboard) -> Vec<Vec<InlineButton>> {
        match keyboard {
            Keyboard::None => Vec::new(),
            Keyboard::Reply(rows) => {
                self.reply_keyboard = Some(ReplyKeyboard {
                    rows: rows.clone(),
                    requests: Vec::new(),
                });
                Vec::new()
            }
            Keyboard::ReplyRequesting(rows) => {
                self.reply_keyboard = Some(ReplyKeyboard {
                    rows: rows
                        .iter()
                        .map(|row| row.iter().map(|button| button.label.clone()).collect())
                        .collect(),
                    requests: rows
                        .iter()
                        .flatten()
                        .filter_map(|button| Some((button.label.clone(), button.request?)))
                        .collect(),
                });
                Vec::new()
            }
            Keyboard::RemoveReply => {
                self.reply_keyboard = None;
                Vec::new()
            }
            Keyboard::Inline(rows) => inline(rows),
        }
    }
}

/// An inline keyboard as the person sees it.
pub(crate) fn inline(rows: &[Vec<DialogButton>]) -> Vec<Vec<InlineButton>> {
    rows.iter()
        .map(|row| row.iter().map(InlineButton::from).collect())
        .collect()
}

impl fmt::Display for ChatView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "chat {}:", self.user_id)?;
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
