//! Updates in: raw JSON from getUpdates or a webhook becomes the dialog's [`Incoming`].
//!
//! Each update is decoded alone, from its raw JSON, after its `update_id` was read: an update
//! kind or field shape unknown to frankenstein is skipped (and can be confirmed), never an
//! error for the batch it came in.

use std::borrow::Cow;
use std::fmt;

use frankenstein::inline_mode::InlineQuery;
use frankenstein::types::{
    AllowedUpdate, CallbackQuery, ChatType, MaybeInaccessibleMessage, Message, MessageEntityType,
    PhotoSize, User,
};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;
use serde_json::value::RawValue;
use vitrina_cards::{Coordinates, PhotoId, UserId};
use vitrina_dialog::{ChatId, Incoming, Input, MessageId, Person};

use crate::TelegramError;

/// One update as Telegram sent it, with its id read up front.
///
/// Read in one pass over the bytes: the `update_id`, and the name and raw JSON text of the one
/// other field, the update's kind and payload, which [`RawUpdate::decode`] reads when the
/// update is handled. No tree of the whole update is built.
#[derive(Debug, Clone)]
pub struct RawUpdate {
    /// The update's id; the next poll confirms it with `offset = update_id + 1`.
    pub update_id: i64,
    /// The kind and its payload, undecoded; `None` for an update that carries nothing else.
    content: Option<(String, Box<RawValue>)>,
}

impl RawUpdate {
    /// Reads the `update_id` of an update given as JSON text (a webhook body, or an element of
    /// getUpdates' answer), and keeps its kind and payload for [`RawUpdate::decode`].
    ///
    /// # Errors
    ///
    /// [`TelegramError::Decode`] when `json` is not a JSON object with an integer `update_id`.
    pub fn from_slice(json: &[u8]) -> Result<RawUpdate, TelegramError> {
        serde_json::from_slice::<Fields>(json)
            .map_err(|error| TelegramError::Decode(format!("an unreadable update: {error}")))?
            .into_update()
    }

    /// The update's kind, the name of its one field besides `update_id` (`message`,
    /// `callback_query`, …).
    pub fn kind(&self) -> Option<&str> {
        self.content.as_ref().map(|(kind, _)| kind.as_str())
    }

    /// What the update means for the dialog.
    pub fn decode(&self) -> Decoded {
        decode_content(self.update_id, self.content.as_ref())
    }
}

/// The top-level fields of an update, as [`RawUpdate::from_slice`] reads them.
struct Fields {
    update_id: Option<i64>,
    content: Option<(String, Box<RawValue>)>,
}

impl Fields {
    fn into_update(self) -> Result<RawUpdate, TelegramError> {
        let update_id = self.update_id.ok_or_else(|| {
            TelegramError::Decode("an update without an integer update_id".to_owned())
        })?;
        Ok(RawUpdate {
            update_id,
            content: self.content,
        })
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Fields;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an update (a JSON object)")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Fields, A::Error> {
                let mut fields = Fields {
                    update_id: None,
                    content: None,
                };
                while let Some(JsonKey(name)) = map.next_key()? {
                    if name == "update_id" {
                        fields.update_id = map.next_value::<Value>()?.as_i64();
                    } else if fields.content.is_none() {
                        // The kind is the one field besides `update_id`; were there more, the
                        // first is read and the others skipped.
                        fields.content = Some((name.into_owned(), map.next_value()?));
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(fields)
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// A key of a JSON object, borrowed from the input unless it holds an escape: compared
/// without allocating, and copied only when kept.
pub(crate) struct JsonKey<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for JsonKey<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = JsonKey<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }

            fn visit_borrowed_str<E>(self, name: &'de str) -> Result<JsonKey<'de>, E> {
                Ok(JsonKey(Cow::Borrowed(name)))
            }

            fn visit_str<E>(self, name: &str) -> Result<JsonKey<'de>, E> {
                Ok(JsonKey(Cow::Owned(name.to_owned())))
            }
        }
        deserializer.deserialize_identifier(Visit)
    }
}

/// What an update means for the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// Something a person did in a private chat.
    Incoming {
        /// The update's id.
        update_id: i64,
        /// The input for the dialog.
        incoming: Incoming,
    },
    /// Nothing for the dialog; the update is confirmed all the same.
    Skipped {
        /// The update's id.
        update_id: i64,
        /// Why.
        reason: SkipReason,
    },
}

impl Decoded {
    /// The update's id, whatever it carried.
    pub fn update_id(&self) -> i64 {
        match self {
            Decoded::Incoming { update_id, .. } | Decoded::Skipped { update_id, .. } => *update_id,
        }
    }
}

/// Why an update was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// A kind of update this version does not know (Telegram adds kinds every few months).
    UnknownKind(String),
    /// A known kind the bot does not serve (`edited_message`, `my_chat_member`, …).
    NotServed(String),
    /// A group, supergroup or channel: only private chats are served.
    NotPrivate,
    /// A message without a sender.
    NoSender,
    /// A served kind whose fields could not be read.
    Unreadable(String),
    /// An update that carries nothing besides its id.
    Empty,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::UnknownKind(kind) => write!(f, "unknown update kind {kind:?}"),
            SkipReason::NotServed(kind) => write!(f, "update kind {kind:?} is not served"),
            SkipReason::NotPrivate => f.write_str("not a private chat"),
            SkipReason::NoSender => f.write_str("a message without a sender"),
            SkipReason::Unreadable(error) => write!(f, "unreadable update: {error}"),
            SkipReason::Empty => f.write_str("an update without content"),
        }
    }
}

fn decode_content(update_id: i64, content: Option<&(String, Box<RawValue>)>) -> Decoded {
    let skipped = |reason| Decoded::Skipped { update_id, reason };
    // Only the served kinds are decoded, each from its own payload, so no other kind (known
    // or not) can make this update fail.
    let Some((kind, payload)) = content else {
        return skipped(SkipReason::Empty);
    };
    let payload = payload.get();
    let result = match kind.as_str() {
        "message" => serde_json::from_str::<Message>(payload).map(|message| from_message(&message)),
        "callback_query" => {
            serde_json::from_str::<CallbackQuery>(payload).map(|query| from_callback(&query))
        }
        "inline_query" => {
            serde_json::from_str::<InlineQuery>(payload).map(|query| Ok(from_inline(&query)))
        }
        other if is_known_kind(other) => Ok(Err(SkipReason::NotServed(other.to_owned()))),
        other => Ok(Err(SkipReason::UnknownKind(other.to_owned()))),
    };
    match result {
        Ok(Ok(incoming)) => Decoded::Incoming {
            update_id,
            incoming,
        },
        Ok(Err(reason)) => skipped(reason),
        Err(error) => skipped(SkipReason::Unreadable(format!("{kind}: {error}"))),
    }
}

/// Whether frankenstein knows the kind: its `allowed_updates` names are the update kinds.
fn is_known_kind(kind: &str) -> bool {
    AllowedUpdate::deserialize(&Value::String(kind.to_owned())).is_ok()
}

fn from_message(message: &Message) -> Result<Incoming, SkipReason> {
    if message.chat.type_field != ChatType::Private {
        return Err(SkipReason::NotPrivate);
    }
    let from = message.from.as_deref().ok_or(SkipReason::NoSender)?;
    Ok(Incoming {
        from: person(from),
        chat: ChatId(message.chat.id),
        input: message_input(message),
    })
}

fn message_input(message: &Message) -> Input {
    if let Some(text) = &message.text {
        return command(text, message).unwrap_or_else(|| Input::Text(text.clone()));
    }
    if let Some(photo) = message.photo.as_deref().and_then(largest) {
        return Input::Photo(PhotoId(photo.file_id.clone()));
    }
    if let Some(document) = &message.document
        && document
            .mime_type
            .as_deref()
            .is_some_and(|mime| mime.to_ascii_lowercase().starts_with("image/"))
    {
        return Input::Photo(PhotoId(document.file_id.clone()));
    }
    // A venue message carries its location too: the venue is read first.
    if let Some(venue) = message.venue.as_deref()
        && let Ok(location) = Coordinates::new(venue.location.latitude, venue.location.longitude)
    {
        return Input::Venue {
            location,
            title: venue.title.clone(),
            address: venue.address.clone(),
        };
    }
    if let Some(location) = message.location.as_deref()
        && let Ok(location) = Coordinates::new(location.latitude, location.longitude)
    {
        return Input::Location(location);
    }
    if let Some(contact) = message.contact.as_deref() {
        return Input::Contact {
            phone: contact.phone_number.clone(),
        };
    }
    Input::Unsupported
}

/// The largest size of a photo: Telegram lists them smallest first, but the order is not
/// promised, so the area decides (and the file size between equal areas).
fn largest(sizes: &[PhotoSize]) -> Option<&PhotoSize> {
    sizes.iter().max_by_key(|size| {
        (
            u64::from(size.width) * u64::from(size.height),
            size.file_size.unwrap_or(0),
        )
    })
}

/// A `/command` is text that starts with a `bot_command` entity; the entity says where the
/// command ends (`/start,x` is the command `start`).
fn command(text: &str, message: &Message) -> Option<Input> {
    if !text.starts_with('/') {
        return None;
    }
    let entity =
        message.entities.as_deref()?.iter().find(|entity| {
            entity.type_field == MessageEntityType::BotCommand && entity.offset == 0
        })?;
    let end = byte_index_of_utf16(text, usize::from(entity.length));
    let (token, rest) = text.split_at(end);
    let name = token.trim_start_matches('/');
    let name = name.split_once('@').map_or(name, |(name, _bot)| name);
    Some(Input::Command {
        name: name.to_lowercase(),
        args: rest.trim().to_owned(),
    })
}

/// The byte index of the character boundary at `units` UTF-16 code units (entity offsets and
/// lengths count those), or the end of the text.
fn byte_index_of_utf16(text: &str, units: usize) -> usize {
    let mut counted = 0;
    for (index, character) in text.char_indices() {
        if counted >= units {
            return index;
        }
        counted += character.len_utf16();
    }
    text.len()
}

fn from_callback(query: &CallbackQuery) -> Result<Incoming, SkipReason> {
    let message = match &query.message {
        Some(MaybeInaccessibleMessage::Message(message)) => {
            Some((message.chat.type_field, message.message_id))
        }
        Some(MaybeInaccessibleMessage::InaccessibleMessage(message)) => {
            Some((message.chat.type_field, message.message_id))
        }
        None => None,
    };
    if message.is_some_and(|(chat_type, _)| chat_type != ChatType::Private) {
        return Err(SkipReason::NotPrivate);
    }
    let from = person(&query.from);
    Ok(Incoming {
        chat: ChatId(from.id.get()),
        from,
        input: Input::Callback {
            id: query.id.clone(),
            message: message.map(|(_, id)| MessageId(i64::from(id))),
            data: query.data.clone().unwrap_or_default(),
        },
    })
}

/// `@bot words` typed in any chat: the person's private chat with the bot stands for the
/// chat, so that their queries are handled in order with their other updates.
fn from_inline(query: &InlineQuery) -> Incoming {
    let from = person(&query.from);
    Incoming {
        chat: ChatId(from.id.get()),
        from,
        input: Input::InlineQuery {
            id: query.id.clone(),
            query: query.query.clone(),
            offset: query.offset.clone(),
        },
    }
}

fn person(user: &User) -> Person {
    Person {
        // Telegram user ids fit in 52 bits.
        id: UserId(i64::try_from(user.id).unwrap_or(i64::MAX)),
        language_code: user.language_code.clone(),
        first_name: user.first_name.clone(),
        username: user.username.clone(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn user() -> Value {
        json!({"id": 42, "is_bot": false, "first_name": "Anna", "username": "anna", "language_code": "ko"})
    }

    fn private_chat() -> Value {
        json!({"id": 42, "type": "private", "first_name": "Anna"})
    }

    fn message(fields: Value) -> Value {
        let mut message =
            json!({"message_id": 7, "date": 1_700_000_000, "chat": private_chat(), "from": user()});
        if let (Some(message), Some(fields)) = (message.as_object_mut(), fields.as_object()) {
            message.extend(fields.clone());
        }
        json!({"update_id": 100, "message": message})
    }

    fn anna() -> Person {
        Person {
            id: UserId(42),
            language_code: Some("ko".to_owned()),
            first_name: "Anna".to_owned(),
            username: Some("anna".to_owned()),
        }
    }

    fn read(raw: &Value) -> Result<RawUpdate, TelegramError> {
        RawUpdate::from_slice(raw.to_string().as_bytes())
    }

    fn check(raw: Value, expected: Result<Decoded, ()>) {
        let decoded = read(&raw).map(|update| update.decode()).map_err(|_| ());
        assert_eq!(decoded, expected, "{raw}");
    }

    fn input(input: Input) -> Result<Decoded, ()> {
        Ok(Decoded::Incoming {
            update_id: 100,
            incoming: Incoming {
                from: anna(),
                chat: ChatId(42),
                input,
            },
        })
    }

    fn skipped(update_id: i64, reason: SkipReason) -> Result<Decoded, ()> {
        Ok(Decoded::Skipped { update_id, reason })
    }

    fn command(name: &str, args: &str) -> Input {
        Input::Command {
            name: name.to_owned(),
            args: args.to_owned(),
        }
    }

    fn entity(length: usize) -> Value {
        json!([{"type": "bot_command", "offset": 0, "length": length}])
    }

    #[test]
    fn text_messages_become_text() {
        check(
            message(json!({"text": "Привет, <b>"})),
            input(Input::Text("Привет, <b>".to_owned())),
        );
        // A slash without a bot_command entity is text a person typed, e.g. "/ 2".
        check(
            message(json!({"text": "/ 2"})),
            input(Input::Text("/ 2".to_owned())),
        );
    }

    #[test]
    fn commands_lose_the_slash_and_the_bot_name_and_keep_their_arguments() {
        check(
            message(json!({"text": "/Start@Vitrina_Bot  ref 42 ", "entities": entity(18)})),
            input(command("start", "ref 42")),
        );
        check(
            message(json!({"text": "/menu", "entities": entity(5)})),
            input(command("menu", "")),
        );
        // The entity, not the next space, ends the command.
        check(
            message(json!({"text": "/help,please", "entities": entity(5)})),
            input(command("help", ",please")),
        );
        // Arguments after emoji: entity lengths count UTF-16 units.
        check(
            message(json!({"text": "/cancel 👍 да", "entities": entity(7)})),
            input(command("cancel", "👍 да")),
        );
    }

    #[test]
    fn photos_give_their_largest_size_and_image_documents_count_as_photos() {
        let sizes = json!([
            {"file_id": "small", "file_unique_id": "s", "width": 90, "height": 60},
            {"file_id": "large", "file_unique_id": "l", "width": 1280, "height": 853},
            {"file_id": "medium", "file_unique_id": "m", "width": 320, "height": 213}
        ]);
        check(
            message(json!({"photo": sizes, "caption": "my shop"})),
            input(Input::Photo(PhotoId("large".to_owned()))),
        );
        check(
            message(
                json!({"document": {"file_id": "doc", "file_unique_id": "d", "mime_type": "image/JPEG", "file_name": "a.jpg"}}),
            ),
            input(Input::Photo(PhotoId("doc".to_owned()))),
        );
        check(
            message(
                json!({"document": {"file_id": "pdf", "file_unique_id": "p", "mime_type": "application/pdf"}}),
            ),
            input(Input::Unsupported),
        );
    }

    #[test]
    fn locations_venues_and_contacts_become_places_and_phones() {
        let place = Coordinates::new(12.24, 109.19).expect("a place");
        check(
            message(json!({"location": {"latitude": 12.24, "longitude": 109.19}})),
            input(Input::Location(place)),
        );
        check(
            message(json!({
                "location": {"latitude": 12.24, "longitude": 109.19},
                "venue": {
                    "location": {"latitude": 12.24, "longitude": 109.19},
                    "title": "Cà phê Sáng",
                    "address": "12 Trần Phú"
                }
            })),
            input(Input::Venue {
                location: place,
                title: "Cà phê Sáng".into(),
                address: "12 Trần Phú".into(),
            }),
        );
        check(
            message(
                json!({"contact": {"phone_number": "84901234567", "first_name": "B", "user_id": 7}}),
            ),
            input(Input::Contact {
                phone: "84901234567".into(),
            }),
        );
    }

    #[test]
    fn stickers_voices_and_the_like_are_unsupported() {
        let cases = [
            json!({"sticker": {"file_id": "st", "file_unique_id": "s", "type": "regular", "width": 512, "height": 512, "is_animated": false, "is_video": false}}),
            json!({"voice": {"file_id": "v", "file_unique_id": "v", "duration": 3}}),
            // Outside the Earth: no place, so nothing the dialog could use.
            json!({"location": {"latitude": 95.0, "longitude": 109.19}}),
        ];
        for fields in cases {
            check(message(fields), input(Input::Unsupported));
        }
    }

    #[test]
    fn an_inline_query_is_the_person_s_input_in_their_private_chat() {
        let query = json!({
            "id": "iq1", "from": user(), "query": "phở bò", "offset": "2", "chat_type": "group"
        });
        check(
            json!({"update_id": 100, "inline_query": query}),
            input(Input::InlineQuery {
                id: "iq1".to_owned(),
                query: "phở bò".to_owned(),
                offset: "2".to_owned(),
            }),
        );
    }

    #[test]
    fn callbacks_carry_their_message_when_telegram_still_has_it() {
        let callback = |message: Option<Value>, data: Option<&str>| {
            let mut query = json!({"id": "cb1", "from": user(), "chat_instance": "ci"});
            if let Some(object) = query.as_object_mut() {
                if let Some(message) = message {
                    object.insert("message".to_owned(), message);
                }
                if let Some(data) = data {
                    object.insert("data".to_owned(), json!(data));
                }
            }
            json!({"update_id": 100, "callback_query": query})
        };
        let pressed = |message: Option<i64>, data: &str| {
            input(Input::Callback {
                id: "cb1".to_owned(),
                message: message.map(MessageId),
                data: data.to_owned(),
            })
        };
        check(
            callback(
                Some(
                    json!({"message_id": 55, "date": 1_700_000_000, "chat": private_chat(), "text": "menu"}),
                ),
                Some("my:dy:42:3"),
            ),
            pressed(Some(55), "my:dy:42:3"),
        );
        check(
            callback(
                Some(json!({"message_id": 56, "date": 0, "chat": private_chat()})),
                Some("x"),
            ),
            pressed(Some(56), "x"),
        );
        check(callback(None, None), pressed(None, ""));
        check(
            callback(
                Some(
                    json!({"message_id": 57, "date": 1, "chat": {"id": -100, "type": "supergroup", "title": "G"}}),
                ),
                Some("x"),
            ),
            skipped(100, SkipReason::NotPrivate),
        );
    }

    #[test]
    fn updates_the_bot_does_not_serve_are_skipped_with_their_id() {
        let text = json!({"message_id": 7, "date": 1, "chat": private_chat(), "from": user(), "text": "hi"});
        check(
            json!({"update_id": 3, "edited_message": text}),
            skipped(3, SkipReason::NotServed("edited_message".to_owned())),
        );
        check(
            json!({"update_id": 4, "message": {"message_id": 1, "date": 1, "from": user(), "text": "hi",
                "chat": {"id": -5, "type": "group", "title": "Friends"}}}),
            skipped(4, SkipReason::NotPrivate),
        );
        check(
            json!({"update_id": 5, "message_reaction_count": {"chat": {"id": -5, "type": "group"}, "message_id": 1, "date": 1, "reactions": []}}),
            skipped(
                5,
                SkipReason::NotServed("message_reaction_count".to_owned()),
            ),
        );
        check(
            json!({"update_id": 6, "holographic_message": {"depth": 3}}),
            skipped(6, SkipReason::UnknownKind("holographic_message".to_owned())),
        );
        check(json!({"update_id": 8}), skipped(8, SkipReason::Empty));
        check(
            json!({"update_id": 9, "message": {"message_id": 1, "date": 1, "chat": private_chat(), "text": "hi"}}),
            skipped(9, SkipReason::NoSender),
        );
    }

    #[test]
    fn a_served_kind_with_fields_frankenstein_cannot_read_is_skipped() {
        let decoded =
            read(&json!({"update_id": 10, "message": {"message_id": "seven", "chat": 1}}))
                .map(|update| update.decode());
        assert!(
            matches!(
                decoded,
                Ok(Decoded::Skipped {
                    update_id: 10,
                    reason: SkipReason::Unreadable(_)
                })
            ),
            "{decoded:?}"
        );
    }

    #[test]
    fn an_update_without_an_id_is_an_error_not_a_panic() {
        for garbage in [
            json!({"message": {"text": "hi"}}),
            json!({"update_id": "12"}),
            json!([1, 2, 3]),
            json!(null),
            json!({"update_id": 1.5, "message": {}}),
        ] {
            check(garbage.clone(), Err(()));
            assert!(matches!(read(&garbage), Err(TelegramError::Decode(_))));
        }
        for text in [
            "",
            "{",
            "{\"update_id\": 1",
            "{\"update_id\": 1, \"message\": }",
        ] {
            assert!(matches!(
                RawUpdate::from_slice(text.as_bytes()),
                Err(TelegramError::Decode(_))
            ));
        }
    }

    #[test]
    fn the_kind_is_the_field_besides_the_id_wherever_it_stands() {
        let update = RawUpdate::from_slice(
            br#"{"callback_query": {"id": "1", "from": {"id": 42, "is_bot": false, "first_name": "Anna"}, "chat_instance": "c", "data": "x"}, "update_id": 5}"#,
        )
        .expect("an update");
        assert_eq!(
            (update.update_id, update.kind()),
            (5, Some("callback_query"))
        );
        assert!(matches!(
            update.decode(),
            Decoded::Incoming { update_id: 5, .. }
        ));
        let bare = RawUpdate::from_slice(br#"{"update_id": 6}"#).expect("an update");
        assert_eq!(bare.kind(), None);
        assert_eq!(
            bare.decode(),
            Decoded::Skipped {
                update_id: 6,
                reason: SkipReason::Empty
            }
        );
    }
}
