//! What comes into the dialog and what goes out of it, in the dialog's own terms: the
//! Telegram adapter converts updates into [`Incoming`] and [`Effect`]s into Bot API calls.

use serde::{Deserialize, Serialize};
use vitrina_cards::{Coordinates, PhotoId, UserId};

use crate::text::RichText;

/// A private chat's id (the same number as its user's id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ChatId(pub i64);

/// A message of a chat, as Telegram numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MessageId(pub i64);

/// Which showing of a conversation a screen is (a wizard's draft and the version of its
/// question), so that the id of a sent screen is remembered only while that screen is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ScreenTag {
    /// The draft the screen belongs to.
    pub draft: i64,
    /// The showing of that draft.
    pub version: u32,
}

/// One thing a person did, converted from one update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// Who.
    pub from: Person,
    /// In which chat.
    pub chat: ChatId,
    /// What.
    pub input: Input,
}

/// The sender of an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Their Telegram id.
    pub id: UserId,
    /// Their client's language (`language_code`), used until they choose one.
    pub language_code: Option<String>,
    /// Their first name, for messages to admins.
    pub first_name: String,
    /// Their `@username`, if any.
    pub username: Option<String>,
}

/// What a person sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A text message; reply-keyboard presses arrive as text too.
    Text(String),
    /// A `/command` (name without the slash and without `@botname`, lowercased) and the rest.
    Command {
        /// The command name.
        name: String,
        /// What followed it.
        args: String,
    },
    /// A photo, or an image sent as a file.
    Photo(PhotoId),
    /// Something the dialog takes from nobody at any step: a sticker, voice, video…
    Unsupported,
    /// An inline-button press.
    Callback {
        /// The query id to answer.
        id: String,
        /// The message that carried the button, when Telegram still has it.
        message: Option<MessageId>,
        /// The raw payload, parsed by the dialog.
        data: String,
    },
    /// An inline query: `@bot words` typed in any chat. Its [`Incoming::chat`] is the
    /// person's private chat with the bot, where nothing is written in answer.
    InlineQuery {
        /// The query id to answer.
        id: String,
        /// What was typed after the bot's name.
        query: String,
        /// The `next_offset` of the answer whose results were scrolled past; empty at first.
        offset: String,
    },
    /// A location pin: sent from the attachment menu or by a `request_location` button.
    Location(Coordinates),
    /// A venue (a named place picked on the map).
    Venue {
        /// Where it is.
        location: Coordinates,
        /// Its name.
        title: String,
        /// Its address as the map gives it.
        address: String,
    },
    /// A shared contact, by a `request_contact` button or from the address book.
    Contact {
        /// Its phone number as Telegram gives it (digits, maybe a leading `+`).
        phone: String,
    },
}

/// A button of an inline keyboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineButton {
    /// The label.
    pub label: String,
    /// What it does.
    pub action: ButtonAction,
}

/// What pressing an inline button does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ButtonAction {
    /// Sends this callback payload (at most 64 bytes).
    Callback(String),
    /// Opens the URL.
    Url(String),
    /// Opens the URL as a Telegram Mini App (the web cabinet), which receives the person's
    /// signed `initData`.
    WebApp(String),
    /// Lets the person pick another chat and puts `@bot <query>` in its input field
    /// (`switch_inline_query`): sharing a card through inline mode.
    SwitchInline(String),
}

/// What a reply-keyboard button asks the person's client to send instead of its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplyRequest {
    /// The person's current location (`request_location`).
    Location,
    /// The person's own phone number (`request_contact`).
    Contact,
}

/// A button of a reply keyboard that may ask for the location or the phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyButton {
    /// The label (sent as text when there is no request).
    pub label: String,
    /// What it asks the client to send instead, if anything.
    pub request: Option<ReplyRequest>,
}

impl ReplyButton {
    /// A plain button that sends its label.
    pub fn text(label: impl Into<String>) -> ReplyButton {
        ReplyButton {
            label: label.into(),
            request: None,
        }
    }

    /// A button that sends what `request` asks for.
    pub fn asking(label: impl Into<String>, request: ReplyRequest) -> ReplyButton {
        ReplyButton {
            label: label.into(),
            request: Some(request),
        }
    }
}

/// A place as an effect carries it: micro-degrees, exact and serializable
/// ([`Coordinates::to_micro`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapPoint {
    /// Latitude in millionths of a degree.
    pub latitude_micro: i32,
    /// Longitude in millionths of a degree.
    pub longitude_micro: i32,
}

impl MapPoint {
    /// The point of a place.
    pub fn of(place: Coordinates) -> MapPoint {
        let (latitude_micro, longitude_micro) = place.to_micro();
        MapPoint {
            latitude_micro,
            longitude_micro,
        }
    }

    /// Latitude in degrees.
    pub fn latitude(self) -> f64 {
        f64::from(self.latitude_micro) / 1_000_000.0
    }

    /// Longitude in degrees.
    pub fn longitude(self) -> f64 {
        f64::from(self.longitude_micro) / 1_000_000.0
    }
}

/// The keyboard that goes with a message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Keyboard {
    /// None; a reply keyboard already shown stays.
    #[default]
    None,
    /// A reply keyboard of rows of labels, replacing the one shown.
    Reply(Vec<Vec<String>>),
    /// Take the reply keyboard away.
    RemoveReply,
    /// Inline buttons under the message.
    Inline(Vec<Vec<InlineButton>>),
    /// A reply keyboard, replacing the one shown, whose buttons may ask for the person's
    /// location or phone.
    ReplyRequesting(Vec<Vec<ReplyButton>>),
}

/// One thing to do in Telegram. Serializable, so that it can be stored with the change that
/// caused it and sent from there (the delivery's outbox).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    /// Send a text message.
    Send {
        /// To whom.
        chat: ChatId,
        /// What.
        text: RichText,
        /// With which keyboard.
        keyboard: Keyboard,
    },
    /// Send photos, one as a photo, several as an album, before the text that describes them.
    SendPhotos {
        /// To whom.
        chat: ChatId,
        /// Which, in order.
        photos: Vec<PhotoId>,
    },
    /// Send a screen: a text message with inline buttons that the dialog edits in place or
    /// strips of its buttons later. Telegram gives the message its id only when it is sent, so
    /// whoever sends it reports the id back through [`crate::Dialog::screen_shown`] with
    /// `screen`; a report that comes after the conversation moved on changes nothing.
    SendScreen {
        /// To whom.
        chat: ChatId,
        /// What.
        text: RichText,
        /// The inline keyboard.
        keyboard: Vec<Vec<InlineButton>>,
        /// Which showing of the conversation this screen is.
        screen: ScreenTag,
    },
    /// Replace the text and inline keyboard of a message sent earlier.
    Edit {
        /// In which chat.
        chat: ChatId,
        /// Which message.
        message: MessageId,
        /// The new text.
        text: RichText,
        /// The new inline keyboard (empty: none).
        keyboard: Vec<Vec<InlineButton>>,
    },
    /// Replace only the inline keyboard of a message sent earlier (empty: remove it); its text
    /// stays as it is.
    EditKeyboard {
        /// In which chat.
        chat: ChatId,
        /// Which message.
        message: MessageId,
        /// The new inline keyboard (empty: none).
        keyboard: Vec<Vec<InlineButton>>,
    },
    /// Answer an inline-button press (the client stops its spinner).
    AnswerCallback {
        /// The query id.
        id: String,
        /// A short notice, if any.
        text: Option<String>,
        /// Show the notice as an alert to dismiss rather than a passing toast.
        alert: bool,
    },
    /// Send a PNG image of the QR code of `link` as a photo, generated and uploaded by the
    /// sender: a partner prints it for their door.
    SendQrCode {
        /// To whom.
        chat: ChatId,
        /// What the code says.
        link: String,
        /// The photo's caption.
        caption: RichText,
    },
    /// Answer an inline query with articles (`answerInlineQuery`).
    AnswerInline {
        /// The query id.
        id: String,
        /// The articles, in order.
        results: Vec<InlineArticle>,
        /// What the client sends back as the offset to have the next results; `None` at the
        /// end.
        next_offset: Option<String>,
    },
    /// Send a place as a venue (a map pin with a name and an address).
    SendVenue {
        /// To whom.
        chat: ChatId,
        /// Where.
        point: MapPoint,
        /// Its name.
        title: String,
        /// Its address (Telegram requires one; the city's name when the card has none).
        address: String,
    },
}

/// One result of an inline query: what the list shows, and the message it puts in the chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineArticle {
    /// Unique among the answer's results (at most 64 bytes).
    pub id: String,
    /// The line in the list.
    pub title: String,
    /// The smaller line under it.
    pub description: Option<String>,
    /// The message sent to the chat when the article is chosen.
    pub text: RichText,
    /// The button under that message.
    pub button: InlineButton,
}

impl Effect {
    /// The chat the effect writes to, if it writes to one.
    pub fn chat(&self) -> Option<ChatId> {
        match self {
            Effect::Send { chat, .. }
            | Effect::SendPhotos { chat, .. }
            | Effect::SendScreen { chat, .. }
            | Effect::Edit { chat, .. }
            | Effect::EditKeyboard { chat, .. }
            | Effect::SendQrCode { chat, .. }
            | Effect::SendVenue { chat, .. } => Some(*chat),
            Effect::AnswerCallback { .. } | Effect::AnswerInline { .. } => None,
        }
    }
}
