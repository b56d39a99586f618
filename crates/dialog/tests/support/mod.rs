//! The dialog on in-memory ports, with people acting in chats: what a person types or presses
//! becomes an [`Incoming`], and the effects the dialog returns are applied to the chats as
//! Telegram would show them. No database, no HTTP, no runtime beyond the test's executor.
#![allow(dead_code, unused_macros, unused_imports, clippy::unwrap_used)]

pub mod chat;

/// Generates, for each scenario `async fn name(world: &World)` of the file, a test that runs it
/// through the file's own `run`.
macro_rules! scenarios {
    ($($scenario:ident),* $(,)?) => {
        mod flows {
            $(
                #[tokio::test]
                async fn $scenario() {
                    super::run(super::$scenario).await;
                }
            )*
        }
    };
}

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use vitrina_cards::{PhotoId, Timestamp, UserId};
use vitrina_dialog::memory::MemoryPorts;
use vitrina_dialog::{ChatId, Dialog, Effect, Incoming, Input, MessageId, Person, Settings};
use vitrina_i18n::{Arg, Catalog, Locale};

pub use chat::{CallbackAnswer, ChatMessage, ChatView, InlineButton, MessageKind};

/// Where the clock of a world starts: 2026-01-01.
const EPOCH: i64 = 1_767_225_600_000;

/// Telegram's chats with the bot and the people in them.
#[derive(Default)]
struct Chats {
    chats: HashMap<i64, ChatView>,
    people: HashMap<i64, Person>,
    next_message: i32,
    next_callback: u64,
    clock: i64,
}

impl Chats {
    fn chat(&mut self, user: i64) -> &mut ChatView {
        self.chats.entry(user).or_insert_with(|| ChatView {
            user_id: user,
            ..ChatView::default()
        })
    }

    fn message_id(&mut self) -> i32 {
        self.next_message += 1;
        self.next_message
    }

    fn post(&mut self, user: i64, message: impl FnOnce(i32) -> ChatMessage) -> i32 {
        let id = self.message_id();
        let message = message(id);
        self.chat(user).messages.push(message);
        id
    }
}

/// The dialog, its in-memory ports, and the chats of the people talking to it.
pub struct World {
    pub ports: MemoryPorts,
    pub catalog: Arc<Catalog>,
    dialog: Dialog,
    chats: Mutex<Chats>,
}

impl World {
    /// A dialog with these settings over empty in-memory ports.
    pub fn start(settings: Settings) -> World {
        World::on(MemoryPorts::default(), settings)
    }

    /// A dialog with these settings over `ports` — the same ports as another world's, for a
    /// second instance of the bot or a restart with other settings.
    pub fn on(ports: MemoryPorts, settings: Settings) -> World {
        let catalog = Arc::new(Catalog::load().unwrap());
        World {
            dialog: Dialog::new(Arc::clone(&catalog), settings),
            ports,
            catalog,
            chats: Mutex::new(Chats {
                clock: EPOCH,
                ..Chats::default()
            }),
        }
    }

    /// Nothing to stop: the world is dropped. Kept so scenarios read like the end-to-end ones.
    pub async fn stop(self) {}

    /// The time the next input arrives at.
    pub fn now(&self) -> Timestamp {
        Timestamp(self.chats.lock().unwrap().clock)
    }

    /// Moves the clock on.
    pub fn advance(&self, millis: i64) {
        self.chats.lock().unwrap().clock += millis;
    }

    pub fn chat(&self, user: i64) -> ChatView {
        self.chats.lock().unwrap().chat(user).clone()
    }

    pub fn last(&self, user: i64) -> ChatMessage {
        self.chat(user).last_bot_message().cloned().unwrap()
    }

    pub fn t(&self, locale: Locale, key: &str) -> String {
        self.catalog.text(locale, key)
    }

    pub fn tw(&self, locale: Locale, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.catalog.text_with(locale, key, args)
    }

    /// Sets the language of `user`'s Telegram client (their `language_code`).
    pub fn set_language(&self, user: i64, code: Option<&str>) {
        let mut chats = self.chats.lock().unwrap();
        let person = chats
            .people
            .entry(user)
            .or_insert_with(|| default_person(user));
        person.language_code = code.map(str::to_owned);
    }

    /// Sets the name and username `user` has in Telegram.
    pub fn set_name(&self, user: i64, first_name: &str, username: Option<&str>) {
        let mut chats = self.chats.lock().unwrap();
        let person = chats
            .people
            .entry(user)
            .or_insert_with(|| default_person(user));
        person.first_name = first_name.to_owned();
        person.username = username.map(str::to_owned);
    }

    pub fn person(&self, user: i64) -> Person {
        let mut chats = self.chats.lock().unwrap();
        chats
            .people
            .entry(user)
            .or_insert_with(|| default_person(user))
            .clone()
    }

    /// Hands `input` from `user` to the dialog and applies its effects to the chats; returns
    /// the effects.
    pub async fn handle(&self, user: i64, input: Input) -> Vec<Effect> {
        let incoming = Incoming {
            from: self.person(user),
            chat: ChatId(user),
            input: input.clone(),
        };
        let now = {
            let mut chats = self.chats.lock().unwrap();
            chats.clock += 1_000;
            Timestamp(chats.clock)
        };
        let effects = self
            .dialog
            .handle(&self.ports, incoming, now)
            .await
            .unwrap_or_else(|error| panic!("the in-memory ports failed: {error}"));
        let screens = self.apply(user, &input, &effects);
        // As the delivery does: the ids of the screens sent go back to the dialog.
        for (chat, screen, message) in screens {
            self.dialog
                .screen_shown(&self.ports, UserId(chat), screen, message, now)
                .await
                .unwrap_or_else(|error| panic!("the in-memory ports failed: {error}"));
        }
        effects
    }

    /// Shows `effects` in the chats as Telegram would; returns the screens sent, with the
    /// ids they were given.
    fn apply(
        &self,
        user: i64,
        input: &Input,
        effects: &[Effect],
    ) -> Vec<(i64, vitrina_dialog::ScreenTag, MessageId)> {
        let mut screens = Vec::new();
        let mut chats = self.chats.lock().unwrap();
        let callback_id = match input {
            Input::Callback { id, .. } => Some(id.clone()),
            _ => None,
        };
        for effect in effects {
            match effect {
                Effect::Send {
                    chat,
                    text,
                    keyboard,
                } => {
                    let inline_keyboard = chats.chat(chat.0).set_keyboard(keyboard);
                    let text = text.to_plain();
                    chats.post(chat.0, |message_id| ChatMessage {
                        message_id,
                        from_bot: true,
                        kind: MessageKind::Text,
                        text: Some(text),
                        file_id: None,
                        inline_keyboard,
                        edited: false,
                    });
                }
                Effect::SendScreen {
                    chat,
                    text,
                    keyboard,
                    screen,
                } => {
                    let inline_keyboard = chat::inline(keyboard);
                    let text = text.to_plain();
                    let id = chats.post(chat.0, |message_id| ChatMessage {
                        message_id,
                        from_bot: true,
                        kind: MessageKind::Text,
                        text: Some(text),
                        file_id: None,
                        inline_keyboard,
                        edited: false,
                    });
                    screens.push((chat.0, *screen, MessageId(i64::from(id))));
                }
                Effect::SendVenue {
                    chat,
                    point,
                    title,
                    address,
                } => {
                    let text = format!(
                        "{title}\n{address}\n{:.6}, {:.6}",
                        point.latitude(),
                        point.longitude()
                    );
                    chats.post(chat.0, |message_id| ChatMessage {
                        message_id,
                        from_bot: true,
                        kind: MessageKind::Venue,
                        text: Some(text),
                        file_id: None,
                        inline_keyboard: Vec::new(),
                        edited: false,
                    });
                }
                Effect::EditKeyboard {
                    chat,
                    message,
                    keyboard,
                } => {
                    let view = chats.chat(chat.0);
                    let transcript = view.transcript();
                    let Some(edited) = view
                        .messages
                        .iter_mut()
                        .find(|m| i64::from(m.message_id) == message.0 && m.from_bot)
                    else {
                        panic!(
                            "an edit of message {} not in the chat:\n{transcript}",
                            message.0
                        );
                    };
                    // Telegram marks a message edited for its text, not for its buttons.
                    edited.inline_keyboard = chat::inline(keyboard);
                }
                Effect::SendPhotos { chat, photos } => {
                    for photo in photos {
                        chats.post(chat.0, |message_id| ChatMessage {
                            message_id,
                            from_bot: true,
                            kind: MessageKind::Photo,
                            text: None,
                            file_id: Some(photo.0.clone()),
                            inline_keyboard: Vec::new(),
                            edited: false,
                        });
                    }
                }
                Effect::Edit {
                    chat,
                    message,
                    text,
                    keyboard,
                } => {
                    let view = chats.chat(chat.0);
                    let transcript = view.transcript();
                    let Some(edited) = view
                        .messages
                        .iter_mut()
                        .find(|m| i64::from(m.message_id) == message.0 && m.from_bot)
                    else {
                        panic!(
                            "an edit of message {} not in the chat:\n{transcript}",
                            message.0
                        );
                    };
                    edited.text = Some(text.to_plain());
                    edited.inline_keyboard = chat::inline(keyboard);
                    edited.edited = true;
                }
                Effect::SendQrCode {
                    chat,
                    link,
                    caption,
                } => {
                    // The sender draws the code; the chat shows a photo whose file names the
                    // link it encodes.
                    let caption = caption.to_plain();
                    chats.post(chat.0, |message_id| ChatMessage {
                        message_id,
                        from_bot: true,
                        kind: MessageKind::Photo,
                        text: Some(caption),
                        file_id: Some(format!("qr:{link}")),
                        inline_keyboard: Vec::new(),
                        edited: false,
                    });
                }
                // Not in any chat: `World::inline_query` returns it.
                Effect::AnswerInline { .. } => {}
                Effect::AnswerCallback { id, text, alert } => {
                    assert_eq!(
                        Some(id),
                        callback_id.as_ref(),
                        "an answer to a press that is not being handled"
                    );
                    let record = chats
                        .chat(user)
                        .callbacks
                        .iter_mut()
                        .find(|record| &record.id == id)
                        .unwrap();
                    assert!(record.answer.is_none(), "a press answered twice");
                    record.answer = Some(CallbackAnswer {
                        text: text.clone(),
                        show_alert: *alert,
                    });
                }
            }
        }
        screens
    }

    fn user_message(
        &self,
        user: i64,
        kind: MessageKind,
        text: Option<&str>,
        file_id: Option<String>,
    ) {
        let mut chats = self.chats.lock().unwrap();
        chats.post(user, |message_id| ChatMessage {
            message_id,
            from_bot: false,
            kind,
            text: text.map(str::to_owned),
            file_id,
            inline_keyboard: Vec::new(),
            edited: false,
        });
    }

    /// `user` types `text`.
    pub async fn text(&self, user: i64, text: &str) {
        self.user_message(user, MessageKind::Text, Some(text), None);
        self.handle(user, Input::Text(text.to_owned())).await;
    }

    /// `user` sends `/command` (with arguments after a space, if any).
    pub async fn command(&self, user: i64, command: &str) {
        let text = format!("/{command}");
        self.user_message(user, MessageKind::Text, Some(&text), None);
        let (name, args) = command.split_once(' ').unwrap_or((command, ""));
        let name = name.split_once('@').map_or(name, |(name, _bot)| name);
        let input = Input::Command {
            name: name.to_lowercase(),
            args: args.trim().to_owned(),
        };
        self.handle(user, input).await;
    }

    /// `user` presses the reply button labelled `label`, which must be on their keyboard.
    pub async fn reply(&self, user: i64, label: &str) {
        let chat = self.chat(user);
        assert!(
            chat.reply_keyboard
                .as_ref()
                .is_some_and(|keyboard| keyboard.contains(label)),
            "no reply button {label:?}:\n{chat}"
        );
        self.text(user, label).await;
    }

    /// Presses a reply button given by its i18n key.
    pub async fn reply_key(&self, user: i64, locale: Locale, key: &str) {
        let label = self.t(locale, key);
        self.reply(user, &label).await;
    }

    /// `user` presses the inline button labelled `label` on the newest bot message that has
    /// one.
    pub async fn inline(&self, user: i64, label: &str) {
        let chat = self.chat(user);
        let Some((message, data)) = chat.bot_messages().rev().find_map(|message| {
            let button = message.button(label)?;
            Some((message.message_id, button.callback_data.clone()?))
        }) else {
            panic!("no inline button {label:?}:\n{chat}");
        };
        self.send_callback(user, message, &data).await;
    }

    /// Presses the inline button labelled `label` of one given message.
    pub async fn inline_in(&self, user: i64, message_id: i32, label: &str) {
        let chat = self.chat(user);
        let data = chat
            .message(message_id)
            .and_then(|message| message.button(label))
            .and_then(|button| button.callback_data.clone())
            .unwrap_or_else(|| panic!("no inline button {label:?} on #{message_id}:\n{chat}"));
        self.send_callback(user, message_id, &data).await;
    }

    /// Presses an inline button given by its i18n key.
    pub async fn inline_key(&self, user: i64, locale: Locale, key: &str) {
        let label = self.t(locale, key);
        self.inline(user, &label).await;
    }

    /// A press with arbitrary data on a message, as an old or forged button would send.
    /// Returns the id of the press.
    pub async fn send_callback(&self, user: i64, message_id: i32, data: &str) -> String {
        let id = {
            let mut chats = self.chats.lock().unwrap();
            chats.next_callback += 1;
            let id = format!("press-{}", chats.next_callback);
            chats.chat(user).callbacks.push(chat::CallbackRecord {
                id: id.clone(),
                message_id: Some(message_id),
                data: Some(data.to_owned()),
                answer: None,
            });
            id
        };
        let input = Input::Callback {
            id: id.clone(),
            message: Some(MessageId(i64::from(message_id))),
            data: data.to_owned(),
        };
        self.handle(user, input).await;
        id
    }

    /// `user` types `@bot query` in some chat (scrolled to `offset`); returns the articles the
    /// bot answered with and the offset of the next ones.
    pub async fn inline_query(
        &self,
        user: i64,
        query: &str,
        offset: &str,
    ) -> (Vec<vitrina_dialog::InlineArticle>, Option<String>) {
        let input = Input::InlineQuery {
            id: format!("inline-{user}-{query}-{offset}"),
            query: query.to_owned(),
            offset: offset.to_owned(),
        };
        let effects = self.handle(user, input).await;
        match effects.as_slice() {
            [
                Effect::AnswerInline {
                    results,
                    next_offset,
                    ..
                },
            ] => (results.clone(), next_offset.clone()),
            other => panic!("an inline query answered with {other:?}"),
        }
    }

    /// The bot's answer to the newest press of `user`.
    pub fn last_answer(&self, user: i64) -> Option<CallbackAnswer> {
        self.chat(user)
            .callbacks
            .last()
            .and_then(|record| record.answer.clone())
    }

    /// `user` sends a photo; returns its file id.
    pub async fn photo(&self, user: i64) -> PhotoId {
        self.media(user, MessageKind::Photo).await
    }

    /// `user` sends a photo as a file (uncompressed); returns its file id.
    pub async fn photo_as_document(&self, user: i64) -> PhotoId {
        self.media(user, MessageKind::Document).await
    }

    async fn media(&self, user: i64, kind: MessageKind) -> PhotoId {
        let id = {
            let mut chats = self.chats.lock().unwrap();
            let id = chats.message_id();
            PhotoId(format!("photo-{user}-{id}"))
        };
        self.user_message(user, kind, None, Some(id.0.clone()));
        self.handle(user, Input::Photo(id.clone())).await;
        id
    }

    /// `user` presses the reply button labelled `label`, which must ask for the location, and
    /// their client sends the location `(latitude, longitude)`.
    pub async fn share_location(&self, user: i64, label: &str, latitude: f64, longitude: f64) {
        self.assert_request(user, label, vitrina_dialog::ReplyRequest::Location);
        self.location(user, latitude, longitude).await;
    }

    /// `user` sends a location pin from the attachment menu.
    pub async fn location(&self, user: i64, latitude: f64, longitude: f64) {
        let text = format!("{latitude}, {longitude}");
        self.user_message(user, MessageKind::Location, Some(&text), None);
        let place = vitrina_cards::Coordinates::new(latitude, longitude).unwrap();
        self.handle(user, Input::Location(place)).await;
    }

    /// `user` sends a venue picked on the map.
    pub async fn venue(&self, user: i64, latitude: f64, longitude: f64, title: &str) {
        self.user_message(user, MessageKind::Venue, Some(title), None);
        let location = vitrina_cards::Coordinates::new(latitude, longitude).unwrap();
        let input = Input::Venue {
            location,
            title: title.to_owned(),
            address: "somewhere".to_owned(),
        };
        self.handle(user, input).await;
    }

    /// `user` presses the reply button labelled `label`, which must ask for the phone, and
    /// their client sends their contact with `phone`.
    pub async fn share_contact(&self, user: i64, label: &str, phone: &str) {
        self.assert_request(user, label, vitrina_dialog::ReplyRequest::Contact);
        self.user_message(user, MessageKind::Contact, Some(phone), None);
        let input = Input::Contact {
            phone: phone.to_owned(),
        };
        self.handle(user, input).await;
    }

    fn assert_request(&self, user: i64, label: &str, request: vitrina_dialog::ReplyRequest) {
        let chat = self.chat(user);
        let found = chat
            .reply_keyboard
            .as_ref()
            .and_then(|keyboard| keyboard.request(label));
        assert_eq!(
            found,
            Some(request),
            "no reply button {label:?} asking for {request:?}:\n{chat}"
        );
    }

    /// `user` sends a sticker.
    pub async fn sticker(&self, user: i64) {
        self.user_message(user, MessageKind::Sticker, None, None);
        self.handle(user, Input::Unsupported).await;
    }

    /// `user` sends a voice note.
    pub async fn voice(&self, user: i64) {
        self.user_message(user, MessageKind::Voice, None, None);
        self.handle(user, Input::Unsupported).await;
    }

    /// A person who chose `locale` and accepted the policy, at the main menu.
    pub async fn onboard(&self, user: i64, locale: Locale) {
        self.set_language(user, Some(locale.code()));
        self.command(user, "start").await;
        self.inline(user, &locale.picker_label()).await;
        self.inline_key(user, locale, "btn-accept-policy").await;
    }

    /// The stored profile of `user`.
    pub async fn profile(&self, user: i64) -> vitrina_dialog::UserProfile {
        use vitrina_dialog::UserRepository as _;
        self.ports.user(UserId(user)).await.unwrap()
    }
}

fn default_person(user: i64) -> Person {
    Person {
        id: UserId(user),
        language_code: None,
        first_name: format!("User{user}"),
        username: None,
    }
}

/// A card in Nha Trang's shops (a category without subcategories) with only the required
/// fields, for setting up through the ports.
pub fn shop_card(title: &str, contact: &str) -> vitrina_cards::CardContent {
    vitrina_cards::CardContent {
        city: vitrina_cards::CityId(1),
        area: None,
        category: vitrina_cards::CategoryId(5),
        subcategory: None,
        title: vitrina_cards::Title::parse(title).unwrap(),
        description: None,
        contact: vitrina_cards::Contact::parse(contact).unwrap(),
        address: None,
        map_link: None,
        photos: Vec::new(),
        discount: None,
        location: None,
    }
}
