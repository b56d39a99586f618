//! The add-card wizard end to end: Back on every step keeps the answers; Cancel; leaving by a
//! menu button or a command and resuming the draft (kept in the database for 24 hours, seen by
//! another instance); every validation message with its bound, in every language; stickers,
//! voice and photos where text is expected and the other way round; Skip, Remove last and the
//! `Done (n/6)` label; Edit from the preview; Edit and resubmit of a rejected card; buttons of
//! earlier steps. Every scenario runs on SQLite and, when TEST_DATABASE_URL is set, on
//! PostgreSQL.
#![allow(clippy::unwrap_used)]

mod support;

use support::{Engine, WAIT, World};
use vitrina_cards::{
    Address, Card, CardContent, CardRepository, CardStatus, CategoryId, CityId, Contact,
    Description, Discount, MapLink, PhotoId, SubcategoryId, Timestamp, Title, UserId,
};
use vitrina_dialog::{
    ButtonAction, Callback, ChatId, Dialog, DialogStore, Effect, Incoming, Input, Keyboard, Person,
    Settings,
};
use vitrina_fake_bot_api::{ChatMessage, Fault, MessageKind};
use vitrina_i18n::{Arg, Locale};

const ADMIN: i64 = 900;

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN)],
        ..Settings::default()
    }
}

/// The answers of the card most scenarios write (Da Nang, Coast, restaurants, street food).
const CITY: &str = "city-da-nang";
const AREA: &str = "area-da-nang-coast";
const CATEGORY: &str = "category-restaurants";
const SUBCATEGORY: &str = "subcategory-restaurants-street-food";
const TITLE: &str = "Sea Breeze";
const DESCRIPTION: &str = "Noodles and sea view";
const CONTACT: &str = "@sea_breeze";
const ADDRESS: &str = "12 Vo Nguyen Giap";
const MAP_LINK: &str = "https://maps.example.com/sea-breeze";
const DISCOUNT: &str = "10% with this bot";

/// That card as the storage should keep it, with these photos.
fn full_content(photos: Vec<PhotoId>) -> CardContent {
    CardContent {
        city: CityId(2),
        area: Some(vitrina_cards::AreaId(202)),
        category: CategoryId(1),
        subcategory: Some(SubcategoryId(103)),
        title: Title::parse(TITLE).unwrap(),
        description: Some(Description::parse(DESCRIPTION).unwrap()),
        contact: Contact::parse(CONTACT).unwrap(),
        address: Some(Address::parse(ADDRESS).unwrap()),
        map_link: Some(MapLink::parse(MAP_LINK).unwrap()),
        photos,
        discount: Some(Discount::parse(DISCOUNT).unwrap()),
        location: None,
    }
}

/// The milliseconds since the Unix epoch, as the dispatcher stamps updates.
fn now() -> Timestamp {
    let elapsed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    Timestamp(i64::try_from(elapsed.as_millis()).unwrap())
}

/// One partner in the chat with the bot, in one language.
struct Partner<'w> {
    world: &'w World,
    id: i64,
    locale: Locale,
}

impl<'w> Partner<'w> {
    /// A person who accepted the policy, opened the cabinet and pressed *Become partner*:
    /// the wizard asks for the city.
    async fn at_city_step(world: &'w World, id: i64, locale: Locale) -> Partner<'w> {
        let partner = Partner { world, id, locale };
        world.onboard(id, locale).await;
        partner.reply("btn-cabinet").await;
        partner.reply("btn-become-partner").await;
        partner.asks_choice("wizard-city", None);
        partner
    }

    fn t(&self, key: &str) -> String {
        self.world.t(self.locale, key)
    }

    fn tw(&self, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.world.tw(self.locale, key, args)
    }

    fn done_label(&self, count: i64) -> String {
        self.tw("btn-photos-done", &[("count", Arg::Number(count))])
    }

    fn last(&self) -> ChatMessage {
        self.world.last(self.id)
    }

    fn transcript(&self) -> String {
        self.world.chat(self.id).to_string()
    }

    async fn text(&self, text: &str) {
        self.world.text(self.id, text).await;
    }

    async fn command(&self, command: &str) {
        self.world.command(self.id, command).await;
    }

    /// Presses the reply button of this key on the current keyboard.
    async fn reply(&self, key: &str) {
        self.world.reply_key(self.id, self.locale, key).await;
    }

    /// Presses the inline button with the name of this key.
    async fn inline(&self, key: &str) {
        self.world.inline_key(self.id, self.locale, key).await;
    }

    /// Presses the inline choice of this key that carries the ✓ of the current answer.
    async fn inline_checked(&self, key: &str) {
        self.world.inline(self.id, &checked(&self.t(key))).await;
    }

    async fn photo(&self) {
        self.world.photo(self.id).await;
    }

    /// The bot's newest message is `expected`.
    fn says(&self, expected: &str) {
        assert_eq!(self.last().body(), expected, "{}", self.transcript());
    }

    /// The bot asks the question of a text step, with the current answer under it if any.
    fn asks(&self, key: &str, answer: Option<&str>) {
        let mut question = self.t(key);
        // The map and contact steps say under their question that a pin or the person's own
        // phone answers them too.
        let hint = match key {
            "wizard-map-link" => Some("wizard-map-link-pin-hint"),
            "wizard-contact" => Some("wizard-contact-share-hint"),
            _ => None,
        };
        if let Some(hint) = hint {
            question = format!("{question}\n{}", self.t(hint));
        }
        match answer {
            Some(answer) => self.says(&format!("{question}\n\n{answer}")),
            None => self.says(&question),
        }
    }

    /// The bot asks the question of a choice step, the current answer (by key) marked ✓ and
    /// nothing else.
    fn asks_choice(&self, key: &str, chosen: Option<&str>) {
        let message = self.last();
        assert_eq!(message.body(), self.t(key), "{}", self.transcript());
        let marked: Vec<&str> = message
            .button_labels()
            .into_iter()
            .filter(|label| label.starts_with('✓'))
            .collect();
        let expected = chosen.map(|key| checked(&self.t(key)));
        assert_eq!(
            marked,
            expected.iter().map(String::as_str).collect::<Vec<_>>(),
            "{}",
            self.transcript()
        );
    }

    /// The photos step, with `count` photos and the `Done (count/6)` button.
    fn asks_photos(&self, count: i64) {
        let text = self.tw(
            "wizard-photos",
            &[("count", Arg::Number(count)), ("max", Arg::Number(6))],
        );
        self.says(&text);
        self.has_done_button(count);
    }

    fn has_done_button(&self, count: i64) {
        let keyboard = self.world.chat(self.id).reply_keyboard.unwrap();
        assert!(
            keyboard.contains(&self.done_label(count)),
            "{}",
            self.transcript()
        );
    }

    /// The file ids of the photos this person sent (as pictures or as files), oldest first.
    fn sent_photos(&self) -> Vec<PhotoId> {
        self.world
            .chat(self.id)
            .messages
            .iter()
            .filter(|m| !m.from_bot && matches!(m.kind, MessageKind::Photo | MessageKind::Document))
            .map(|m| PhotoId(m.file_id.clone().unwrap()))
            .collect()
    }

    /// City, area, category and subcategory of the usual card: the title step asks next.
    async fn choose_place(&self) {
        self.world.inline(self.id, &self.t(CITY)).await;
        self.asks_choice("wizard-area", None);
        self.world.inline(self.id, &self.t(AREA)).await;
        self.asks_choice("wizard-category", None);
        self.world.inline(self.id, &self.t(CATEGORY)).await;
        self.asks_choice("wizard-subcategory", None);
        self.world.inline(self.id, &self.t(SUBCATEGORY)).await;
        self.asks("wizard-title", None);
    }

    /// Every answer of the usual card with two photos, from the city step to the preview.
    async fn fill_to_preview(&self) {
        self.choose_place().await;
        self.text(TITLE).await;
        self.asks("wizard-description", None);
        self.text(DESCRIPTION).await;
        self.asks("wizard-contact", None);
        self.text(CONTACT).await;
        self.asks("wizard-address", None);
        self.text(ADDRESS).await;
        self.asks("wizard-map-link", None);
        self.text(MAP_LINK).await;
        self.asks_photos(0);
        self.photo().await;
        self.photo().await;
        self.has_done_button(2);
        self.world.reply(self.id, &self.done_label(2)).await;
        self.asks("wizard-discount", None);
        self.text(DISCOUNT).await;
        self.shows_preview(TITLE);
    }

    /// At the description step with the usual title: answers it, and Back shows each answer
    /// on its own step.
    async fn describes_after_the_title(&self) {
        self.text(DESCRIPTION).await;
        self.asks("wizard-contact", None);
        self.reply("btn-back").await;
        self.asks("wizard-description", Some(DESCRIPTION));
        self.reply("btn-back").await;
        self.asks("wizard-title", Some(TITLE));
    }

    /// The preview: the card with its title and the Submit / Edit / Cancel buttons.
    fn shows_preview(&self, title: &str) {
        let preview = self.last();
        assert!(preview.body().starts_with(title), "{}", self.transcript());
        let labels = preview.button_labels();
        for key in ["btn-submit", "btn-edit", "btn-cancel"] {
            assert!(
                labels.contains(&self.t(key).as_str()),
                "{}",
                self.transcript()
            );
        }
        let chat = self.world.chat(self.id);
        assert!(
            chat.bot_messages()
                .any(|m| m.body() == self.t("wizard-preview")),
            "{chat}"
        );
    }

    async fn submit(&self) {
        self.inline("btn-submit").await;
        let chat = self.world.chat(self.id);
        assert!(
            chat.bot_messages()
                .any(|m| m.body() == self.t("wizard-submitted")),
            "{chat}"
        );
    }

    /// The partner's only card, as stored.
    async fn only_card(&self) -> Card {
        let listing = self
            .world
            .db
            .partner_cards(UserId(self.id), vitrina_cards::PageRequest::new(1, 5))
            .await
            .unwrap();
        assert_eq!(listing.items.len(), 1, "{:?}", listing.items);
        let id = listing.items[0].id;
        self.world.db.card(id).await.unwrap().unwrap()
    }

    /// The dialog state kept in the database for this person.
    async fn stored_state(&self) -> Option<String> {
        self.world
            .db
            .load_dialog(UserId(self.id), now())
            .await
            .unwrap()
    }
}

fn checked(label: &str) -> String {
    format!("✓ {label}")
}

/// Back from every step to the previous one shows the answer given there; walking forward
/// again and submitting stores every answer.
async fn back_on_every_step_keeps_its_answer(world: &World) {
    let p = Partner::at_city_step(world, 1000, Locale::En).await;
    p.fill_to_preview().await;

    // Text steps take Back from the reply keyboard and show their current answer.
    p.reply("btn-back").await;
    p.asks("wizard-discount", Some(DISCOUNT));
    p.reply("btn-back").await;
    p.asks_photos(2);
    p.reply("btn-back").await;
    p.asks("wizard-map-link", Some(MAP_LINK));
    p.reply("btn-back").await;
    p.asks("wizard-address", Some(ADDRESS));
    p.reply("btn-back").await;
    p.asks("wizard-contact", Some(CONTACT));
    p.reply("btn-back").await;
    p.asks("wizard-description", Some(DESCRIPTION));
    p.reply("btn-back").await;
    p.asks("wizard-title", Some(TITLE));
    p.reply("btn-back").await;
    p.asks_choice("wizard-subcategory", Some(SUBCATEGORY));
    // Choice steps take Back from their inline keyboard and mark their answer with ✓.
    p.inline("btn-back").await;
    p.asks_choice("wizard-category", Some(CATEGORY));
    p.inline("btn-back").await;
    p.asks_choice("wizard-area", Some(AREA));
    p.inline("btn-back").await;
    p.asks_choice("wizard-city", Some(CITY));

    // Forward again: each step still holds what was answered after it.
    p.inline_checked(CITY).await;
    p.asks_choice("wizard-area", Some(AREA));
    p.inline_checked(AREA).await;
    p.asks_choice("wizard-category", Some(CATEGORY));
    p.inline_checked(CATEGORY).await;
    p.asks_choice("wizard-subcategory", Some(SUBCATEGORY));
    p.inline_checked(SUBCATEGORY).await;
    p.asks("wizard-title", Some(TITLE));
    for (answer, next, kept) in [
        (TITLE, "wizard-description", DESCRIPTION),
        (DESCRIPTION, "wizard-contact", CONTACT),
        (CONTACT, "wizard-address", ADDRESS),
        (ADDRESS, "wizard-map-link", MAP_LINK),
    ] {
        p.text(answer).await;
        p.asks(next, Some(kept));
    }
    p.text(MAP_LINK).await;
    p.asks_photos(2);
    world.reply(p.id, &p.done_label(2)).await;
    p.asks("wizard-discount", Some(DISCOUNT));
    p.text(DISCOUNT).await;
    p.shows_preview(TITLE);
    p.submit().await;

    let card = p.only_card().await;
    assert_eq!(card.status, CardStatus::Pending);
    assert_eq!(card.content, full_content(p.sent_photos()));
    assert_eq!(card.content.photos.len(), 2);
    assert_eq!(
        p.stored_state().await,
        None,
        "the draft is gone once submitted"
    );
}

/// A second instance of the bot over the same database, driven directly through its dialog,
/// as one behind a load balancer or after a restart would be.
struct OtherInstance {
    db: vitrina_storage::Db,
    dialog: Dialog,
    person: Person,
}

impl OtherInstance {
    fn new(world: &World, user: i64) -> OtherInstance {
        OtherInstance {
            db: world.db.clone(),
            dialog: Dialog::new(world.catalog.clone(), settings()),
            person: Person {
                id: UserId(user),
                language_code: Some("en".to_owned()),
                first_name: format!("User{user}"),
                username: None,
            },
        }
    }

    fn press(&self, callback: Callback) -> Input {
        Input::Callback {
            id: "pressed-at-another-instance".to_owned(),
            message: None,
            data: callback.encode(),
        }
    }

    /// The texts this instance sends in answer to `input` at `at`.
    async fn said(&self, input: Input, at: Timestamp) -> Vec<String> {
        self.said_with_buttons(input, at).await.0
    }

    /// The texts this instance sends in answer to `input` at `at`, and the callbacks of their
    /// inline buttons.
    async fn said_with_buttons(&self, input: Input, at: Timestamp) -> (Vec<String>, Vec<Callback>) {
        let incoming = Incoming {
            from: self.person.clone(),
            chat: ChatId(self.person.id.get()),
            input,
        };
        let effects = self.dialog.handle(&self.db, incoming, at).await.unwrap();
        let mut texts = Vec::new();
        let mut callbacks = Vec::new();
        for effect in effects {
            if let Effect::Send { text, keyboard, .. } = effect {
                texts.push(text.to_plain());
                if let Keyboard::Inline(rows) = keyboard {
                    callbacks.extend(rows.into_iter().flatten().filter_map(|button| {
                        match button.action {
                            ButtonAction::Callback(data) => Callback::parse(&data),
                            ButtonAction::Url(_)
                            | ButtonAction::WebApp(_)
                            | ButtonAction::SwitchInline(_) => None,
                        }
                    }));
                }
            }
        }
        (texts, callbacks)
    }
}

/// The draft lives in the database: another instance of the bot over the same database sees
/// it, offers it back, continues it — and this instance then takes the next answer.
async fn another_instance_continues_the_draft(world: &World) {
    let p = Partner::at_city_step(world, 1400, Locale::En).await;
    p.choose_place().await;
    p.text(TITLE).await;
    p.asks("wizard-description", None);
    p.command("menu").await;

    let other = OtherInstance::new(world, p.id);
    let (offered, buttons) = other
        .said_with_buttons(Input::Text(p.t("btn-add-card")), now())
        .await;
    assert_eq!(offered, vec![p.t("wizard-draft-resume")]);
    let continue_draft = buttons
        .into_iter()
        .find(|callback| matches!(callback, Callback::DraftContinue(_)))
        .unwrap();
    let resumed = other.said(other.press(continue_draft), now()).await;
    assert_eq!(resumed, vec![p.t("wizard-description")]);

    // Back at this instance, the description step is waiting.
    p.describes_after_the_title().await;
}

/// One test per engine for each scenario: `scenario::on_sqlite`, `scenario::on_postgres`.
macro_rules! on_both_engines {
    ($($scenario:ident),* $(,)?) => {$(
        mod $scenario {
            use super::{Engine, World, settings};

            #[tokio::test(flavor = "multi_thread")]
            async fn on_sqlite() {
                let world = World::start_on(Engine::Sqlite, settings()).await.unwrap();
                super::$scenario(&world).await;
                world.stop().await;
            }

            #[tokio::test(flavor = "multi_thread")]
            async fn on_postgres() {
                let Some(world) = World::start_on(Engine::Postgres, settings()).await else {
                    return;
                };
                super::$scenario(&world).await;
                world.stop().await;
            }
        }
    )*};
}

on_both_engines!(
    back_on_every_step_keeps_its_answer,
    another_instance_continues_the_draft,
    a_process_killed_before_its_answer_got_out_leaves_it_to_the_next_once,
);

/// A process killed after it handled an update but before the answer reached Telegram: the
/// next process finds the update handled when it comes again (the title is not taken a second
/// time, as the description), and sends the answer that was queued with the change, once.
async fn a_process_killed_before_its_answer_got_out_leaves_it_to_the_next_once(world: &World) {
    let p = Partner::at_city_step(world, 2300, Locale::En).await;
    p.choose_place().await;
    world.stop_polling().await;

    // Its answer hangs, and the process dies with every task it had.
    world.api().fail_next("sendMessage", 1, Fault::Hang);
    let doomed = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let calls = world.api().stats().calls_of("sendMessage");
    doomed.spawn(vitrina_delivery::poll(
        world.dispatcher(),
        vitrina_delivery::PollingConfig::default(),
        tokio_util::sync::CancellationToken::new(),
    ));
    world.api().send_text(p.id, TITLE).await;
    world
        .api()
        .wait_for_stats(|stats| stats.calls_of("sendMessage") > calls, WAIT)
        .await
        .unwrap();
    doomed.shutdown_background();
    p.asks("wizard-title", None);
    assert_eq!(world.api().stats().pending_updates, 1, "never confirmed");

    let next = world.dispatcher();
    world.start_polling(std::sync::Arc::clone(&next)).await;
    let description = p.t("wizard-description");
    world
        .api()
        .wait_for(
            p.id,
            |chat| {
                chat.last_bot_message()
                    .is_some_and(|m| m.body() == description)
            },
            WAIT,
        )
        .await
        .unwrap();
    world.settle().await;
    let chat = world.chat(p.id);
    let asked = chat
        .bot_messages()
        .filter(|m| m.body() == description)
        .count();
    assert_eq!(asked, 1, "the queued answer is sent once: {chat}");
    let metrics = next.metrics().render();
    assert!(
        metrics.contains("vitrina_outbox_recovered_total 1\n"),
        "{metrics}"
    );

    // The title was taken once: the next text is the description.
    p.describes_after_the_title().await;
}
