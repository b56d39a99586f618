//! The add-card wizard: Back on every step keeps the answers; Cancel; leaving by a menu
//! button or a command and resuming the draft (kept in the dialog store for 24 hours, seen by
//! another instance over the same store); every validation message with its bound, in every
//! language; stickers, voice and photos where text is expected and the other way round; Skip,
//! Remove last and the `Done (n/6)` label; Edit from the preview; Edit and resubmit of a
//! rejected card; buttons of earlier steps.
//!
//! The dialog runs on its in-memory ports, with people acting in chats built from its effects:
//! no database, no network. A process killed before its answer got out (the outbox and the
//! polling loop) stays with the end-to-end tests of `vitrina-delivery`.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::{ChatMessage, MessageKind, World};
use vitrina_cards::{
    Address, Card, CardContent, CardRepository, CardStatus, CategoryId, CityId, Contact,
    Description, Discount, MapLink, PhotoId, SubcategoryId, Timestamp, Title, UserId,
};
use vitrina_dialog::UserRepository;
use vitrina_dialog::{DialogStore, Settings};
use vitrina_i18n::{Arg, Locale};
use vitrina_moderation::{
    Decision, ModerationRepository, RejectionReason, StandardReason, Verdict,
};

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

/// Every scenario on a fresh world with the file's settings.
async fn run<F>(scenario: F)
where
    F: AsyncFnOnce(&World),
{
    let world = World::start(settings());
    scenario(&world).await;
    world.stop().await;
}

/// Sets `world`'s clock so that the next input arrives at `at` (each input moves the clock
/// one second on before it is handled).
fn next_input_at(world: &World, at: Timestamp) {
    world.advance(at.millis() - world.now().millis() - 1_000);
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

    /// Sends /`command` and returns the texts of the bot's messages in answer.
    async fn answer_to(&self, command: &str) -> Vec<String> {
        self.answer_to_act(self.command(command)).await
    }

    /// Types `text` and returns the texts of the bot's messages in answer.
    async fn answer_to_text(&self, text: &str) -> Vec<String> {
        self.answer_to_act(self.text(text)).await
    }

    /// Does `act` (not started yet) and returns the texts of the bot's messages in answer.
    async fn answer_to_act(&self, act: impl Future<Output = ()>) -> Vec<String> {
        let before = self.world.chat(self.id).bot_messages().count();
        act.await;
        let chat = self.world.chat(self.id);
        chat.bot_messages()
            .skip(before)
            .map(|message| message.body().to_owned())
            .collect()
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

    async fn sticker(&self) {
        self.world.sticker(self.id).await;
    }

    async fn voice(&self) {
        self.world.voice(self.id).await;
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

    /// The photos the bot showed above the newest preview, in order.
    fn previewed_photos(&self) -> Vec<PhotoId> {
        let chat = self.world.chat(self.id);
        let heading = self.t("wizard-preview");
        let Some(at) = chat
            .messages
            .iter()
            .rposition(|m| m.from_bot && m.body() == heading)
        else {
            panic!("no preview:\n{chat}");
        };
        chat.messages[at + 1..]
            .iter()
            .take_while(|m| m.from_bot && m.kind == MessageKind::Photo)
            .map(|m| PhotoId(m.file_id.clone().unwrap()))
            .collect()
    }

    /// The partner's only card, as stored.
    async fn only_card(&self) -> Card {
        let listing = self
            .world
            .ports
            .partner_cards(UserId(self.id), vitrina_cards::PageRequest::new(1, 5))
            .await
            .unwrap();
        assert_eq!(listing.items.len(), 1, "{:?}", listing.items);
        let id = listing.items[0].id;
        self.world.ports.card(id).await.unwrap().unwrap()
    }

    /// Whether the dialog store keeps a live state (a draft) for this person.
    async fn has_stored_state(&self) -> bool {
        let stored = self
            .world
            .ports
            .load_dialog(UserId(self.id), self.world.now())
            .await
            .unwrap();
        stored.is_some()
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
    assert!(
        !p.has_stored_state().await,
        "the draft is gone once submitted"
    );
    // The next Add card starts afresh rather than offering it back.
    p.text(&p.t("btn-add-card")).await;
    p.asks_choice("wizard-city", None);
}

/// The ways to cancel, each at a step of its own.
#[derive(Debug, Clone, Copy)]
enum CancelBy {
    /// The reply button at a text step (the contact).
    ReplyButton,
    /// The inline button at a choice step (the category).
    InlineAtChoice,
    /// The inline button under the preview.
    InlineAtPreview,
    /// `/cancel` at a text step (the address).
    Command,
}

/// Cancel at a step: the draft is gone (from the dialog store too) and a later *Add card*
/// starts afresh, with nothing chosen or answered.
async fn cancel_forgets_the_draft(world: &World) {
    let ways = [
        CancelBy::ReplyButton,
        CancelBy::InlineAtChoice,
        CancelBy::InlineAtPreview,
        CancelBy::Command,
    ];
    for (n, way) in (1100..).zip(ways) {
        let p = Partner::at_city_step(world, n, Locale::En).await;
        match way {
            CancelBy::ReplyButton => {
                p.choose_place().await;
                p.text(TITLE).await;
                p.text(DESCRIPTION).await;
                p.asks("wizard-contact", None);
                p.reply("btn-cancel").await;
            }
            CancelBy::InlineAtChoice => {
                world.inline(p.id, &p.t(CITY)).await;
                world.inline(p.id, &p.t(AREA)).await;
                p.asks_choice("wizard-category", None);
                p.inline("btn-cancel").await;
            }
            CancelBy::InlineAtPreview => {
                p.fill_to_preview().await;
                p.inline("btn-cancel").await;
            }
            CancelBy::Command => {
                p.choose_place().await;
                p.text(TITLE).await;
                p.text(DESCRIPTION).await;
                p.text(CONTACT).await;
                p.asks("wizard-address", None);
                p.command("cancel").await;
            }
        }
        p.says(&p.t("wizard-cancelled"));
        let keyboard = world.chat(p.id).reply_keyboard.unwrap();
        assert!(
            keyboard.contains(&p.t("btn-add-card")),
            "{way:?}: {keyboard}"
        );
        assert!(!p.has_stored_state().await, "{way:?}");

        // A later Add card: no draft offered, nothing kept.
        p.reply("btn-add-card").await;
        p.asks_choice("wizard-city", None);
        p.choose_place().await;
        p.asks("wizard-title", None);
        let listing = world
            .ports
            .partner_cards(UserId(p.id), vitrina_cards::PageRequest::new(1, 5))
            .await
            .unwrap();
        assert!(listing.items.is_empty(), "{way:?}: nothing was submitted");
    }
}

/// The ways to leave the wizard without cancelling it.
#[derive(Debug, Clone, Copy)]
enum LeaveBy {
    /// A main-menu label typed (or pressed on an old keyboard) at a text step.
    MenuLabel(&'static str, &'static str),
    /// A command at a text step.
    Command(&'static str, &'static str),
    /// The *Main menu* reply button, on screen at a choice step.
    MainMenuButton,
    /// Back at the first step.
    BackFromCity,
}

/// The step the wizard stood at when it was left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LeftAt {
    City,
    Category,
    Contact,
}

/// Leaving by a menu button or a command keeps the draft (in the dialog store, paused): text
/// is no longer taken as an answer; the next *Add card* offers the draft back and *Continue*
/// returns to the same step with every answer.
async fn leaving_keeps_the_draft_and_continue_resumes_it(world: &World) {
    let ways = [
        LeaveBy::MenuLabel("btn-catalog", "catalog-choose-city"),
        LeaveBy::MenuLabel("btn-help", "help"),
        LeaveBy::Command("catalog", "catalog-choose-city"),
        LeaveBy::Command("menu", "main-menu"),
        LeaveBy::MainMenuButton,
        LeaveBy::BackFromCity,
    ];
    for (n, way) in (1200..).zip(ways) {
        let p = Partner::at_city_step(world, n, Locale::En).await;
        // The step the wizard stands at when left.
        let step = match way {
            LeaveBy::MainMenuButton => {
                world.inline(p.id, &p.t(CITY)).await;
                world.inline(p.id, &p.t(AREA)).await;
                p.asks_choice("wizard-category", None);
                p.reply("btn-main-menu").await;
                p.says(&p.t("main-menu"));
                LeftAt::Category
            }
            LeaveBy::BackFromCity => {
                world.inline(p.id, &p.t(CITY)).await;
                p.inline("btn-back").await;
                p.asks_choice("wizard-city", Some(CITY));
                p.inline("btn-back").await;
                p.says(&p.t("cabinet-partner"));
                LeftAt::City
            }
            LeaveBy::MenuLabel(label, reply) | LeaveBy::Command(label, reply) => {
                p.choose_place().await;
                p.text(TITLE).await;
                p.text(DESCRIPTION).await;
                p.text(CONTACT).await;
                p.reply("btn-back").await;
                p.asks("wizard-contact", Some(CONTACT));
                match way {
                    LeaveBy::MenuLabel(..) => p.text(&p.t(label)).await,
                    _ => p.command(label).await,
                }
                // The button or command did its own work: it was not taken as an answer.
                p.says(&p.t(reply));
                LeftAt::Contact
            }
        };

        assert!(
            p.has_stored_state().await,
            "{way:?}: the draft is kept in the dialog store"
        );

        // Text now is not an answer to the step left behind.
        p.text("Some words").await;
        p.says(&p.t("unknown-input"));

        p.command("cabinet").await;
        p.reply("btn-add-card").await;
        p.says(&p.t("wizard-draft-resume"));
        p.inline("btn-draft-continue").await;
        // The wizard is active again at the same step: its buttons and answers are taken, and
        // the answers before it are all there too.
        match step {
            LeftAt::City => {
                p.asks_choice("wizard-city", Some(CITY));
                p.inline_checked(CITY).await;
                p.asks_choice("wizard-area", None);
            }
            LeftAt::Category => {
                p.asks_choice("wizard-category", None);
                p.inline("btn-back").await;
                p.asks_choice("wizard-area", Some(AREA));
                p.inline("btn-back").await;
                p.asks_choice("wizard-city", Some(CITY));
            }
            LeftAt::Contact => p.asks("wizard-contact", Some(CONTACT)),
        }
        if step == LeftAt::Contact {
            p.reply("btn-back").await;
            p.asks("wizard-description", Some(DESCRIPTION));
            p.reply("btn-back").await;
            p.asks("wizard-title", Some(TITLE));
            p.text(TITLE).await;
            p.text(DESCRIPTION).await;
            p.asks("wizard-contact", Some(CONTACT));
            p.text(CONTACT).await;
            p.text(ADDRESS).await;
            p.text(MAP_LINK).await;
            p.photo().await;
            world.reply(p.id, &p.done_label(1)).await;
            p.text(DISCOUNT).await;
            p.shows_preview(TITLE);
            p.submit().await;
            let card = p.only_card().await;
            assert_eq!(card.content, full_content(p.sent_photos()), "{way:?}");
        }
    }
}

/// *Start over* on the offered draft: a fresh wizard, the old answers gone.
async fn start_over_discards_the_draft(world: &World) {
    let p = Partner::at_city_step(world, 1300, Locale::En).await;
    p.choose_place().await;
    p.text(TITLE).await;
    p.asks("wizard-description", None);
    p.command("catalog").await;
    p.command("cabinet").await;
    p.reply("btn-add-card").await;
    p.says(&p.t("wizard-draft-resume"));
    p.inline("btn-draft-restart").await;
    p.asks_choice("wizard-city", None);
    // The fresh wizard takes the presses, and walking to the title shows no old answer
    // anywhere on the way.
    p.choose_place().await;
    p.asks("wizard-title", None);
}

/// A second instance of the bot over the same dialog store, as one behind a load balancer or
/// after a restart would be: its own dialog and chats, the ports of `world`, and a clock that
/// agrees with `world`'s.
fn other_instance(world: &World, user: i64) -> World {
    let other = World::on(world.ports.clone(), settings());
    other.set_language(user, Some("en"));
    other.advance(world.now().millis() - other.now().millis());
    other
}

/// The texts of every bot message in `user`'s chat with `world`.
fn bot_texts(world: &World, user: i64) -> Vec<String> {
    world
        .chat(user)
        .bot_messages()
        .map(|message| message.body().to_owned())
        .collect()
}

/// The draft lives in the dialog store: another instance of the bot over the same store sees
/// it, offers it back, continues it — and this instance then takes the next answer.
async fn another_instance_continues_the_draft(world: &World) {
    let p = Partner::at_city_step(world, 1400, Locale::En).await;
    p.choose_place().await;
    p.text(TITLE).await;
    p.asks("wizard-description", None);
    p.command("menu").await;

    let other = other_instance(world, p.id);
    other.text(p.id, &p.t("btn-add-card")).await;
    let offer = p.t("wizard-draft-resume");
    assert_eq!(bot_texts(&other, p.id), [offer.as_str()]);
    other
        .inline_key(p.id, Locale::En, "btn-draft-continue")
        .await;
    assert_eq!(
        bot_texts(&other, p.id),
        [offer, p.t("wizard-description")],
        "{}",
        other.chat(p.id)
    );

    // Back at this instance, the description step is waiting.
    world.advance(other.now().millis() - world.now().millis());
    p.describes_after_the_title().await;
}

/// A draft left behind is offered back for 24 hours after its last answer, and not after.
async fn a_draft_is_kept_for_24_hours(world: &World) {
    const HOUR: i64 = 60 * 60 * 1000;
    let p = Partner::at_city_step(world, 2100, Locale::En).await;
    p.choose_place().await;
    p.asks("wizard-title", None);
    p.command("menu").await;
    let left = world.now();

    let add_card = p.t("btn-add-card");
    next_input_at(world, left.plus_millis(23 * HOUR));
    assert_eq!(
        p.answer_to_text(&add_card).await,
        vec![p.t("wizard-draft-resume")]
    );
    // Being offered the draft is no answer: it does not extend its life.
    next_input_at(world, left.plus_millis(24 * HOUR + 60_000));
    assert_eq!(p.answer_to_text(&add_card).await, vec![p.t("wizard-city")]);
}

/// Text of `n` characters of `unit`.
fn repeat(unit: char, n: usize) -> String {
    std::iter::repeat_n(unit, n).collect()
}

/// Every validation message, in every language, with its bound; the step stays and the next
/// valid answer (at the bound exactly) is taken. Lengths count characters in every script.
async fn every_validation_message_names_its_bound(world: &World) {
    for (n, (locale, unit)) in (1500..).zip([
        (Locale::Ru, 'я'),
        (Locale::En, 'a'),
        (Locale::Vi, 'ệ'),
        (Locale::Ko, '한'),
    ]) {
        let p = Partner::at_city_step(world, n, locale).await;
        let too_short = |min: i64| p.tw("validation-too-short", &[("min", Arg::Number(min))]);
        let too_long = |max: i64| p.tw("validation-too-long", &[("max", Arg::Number(max))]);
        let link = |length: usize| format!("https://maps.example.com/{}", repeat('x', length - 25));
        p.choose_place().await;

        // (the step, wrong answers with their messages, the valid answer at the bound)
        let steps = [
            (
                "wizard-title",
                vec![
                    ("  ab  ".to_owned(), too_short(3)),
                    ("   ".to_owned(), p.t("validation-required")),
                    (repeat(unit, 101), too_long(100)),
                ],
                repeat(unit, 100),
            ),
            (
                "wizard-description",
                vec![(repeat(unit, 1001), too_long(1000))],
                repeat(unit, 1000),
            ),
            (
                "wizard-contact",
                vec![
                    ("call me maybe".to_owned(), p.t("validation-contact-format")),
                    ("12-34".to_owned(), p.t("validation-contact-format")),
                    (link(201), too_long(200)),
                ],
                link(200),
            ),
            (
                "wizard-address",
                vec![
                    (repeat(unit, 4), too_short(5)),
                    (repeat(unit, 301), too_long(300)),
                ],
                repeat(unit, 5),
            ),
            (
                "wizard-map-link",
                vec![
                    (
                        "maps.example.com/x".to_owned(),
                        p.t("validation-url-format"),
                    ),
                    (link(301), too_long(300)),
                ],
                link(300),
            ),
        ];
        for (question, wrong, valid) in &steps {
            p.asks(question, None);
            for (answer, message) in wrong {
                p.text(answer).await;
                p.says(message);
            }
            p.text(valid).await;
        }

        // Photos: six are taken, the seventh is refused with the bound; Done says 6/6.
        p.asks_photos(0);
        for _ in 0..6 {
            p.photo().await;
        }
        p.photo().await;
        p.says(&p.tw("validation-too-many-photos", &[("max", Arg::Number(6))]));
        p.has_done_button(6);
        world.reply(p.id, &p.done_label(6)).await;

        p.asks("wizard-discount", None);
        p.text(&repeat(unit, 101)).await;
        p.says(&too_long(100));
        p.text(&repeat(unit, 100)).await;
        p.submit().await;

        let content = p.only_card().await.content;
        let photos = p.sent_photos();
        assert_eq!(content.title.as_str(), repeat(unit, 100));
        assert_eq!(content.description.unwrap().as_str(), repeat(unit, 1000));
        assert_eq!(content.contact.as_str(), link(200));
        assert_eq!(content.address.unwrap().as_str(), repeat(unit, 5));
        assert_eq!(content.map_link.unwrap().as_str(), link(300));
        assert_eq!(
            content.photos,
            photos[..6].to_vec(),
            "the seventh is not kept"
        );
        assert_eq!(content.discount.unwrap().as_str(), repeat(unit, 100));
    }
}

/// A sticker, a voice or a photo at a text step gets a hint and the step stays; text, a
/// sticker or a voice at the photos step gets the photo hint; an image sent as a file is taken
/// as a photo; anything but a press at a choice step asks the step again.
async fn wrong_kind_of_message_gets_a_hint_and_the_step_stays(world: &World) {
    let p = Partner::at_city_step(world, 1600, Locale::En).await;

    world.inline(p.id, &p.t(CITY)).await;
    world.inline(p.id, &p.t(AREA)).await;
    p.asks_choice("wizard-category", None);
    let screen = p.last();
    // A step answered by a button points at the buttons above, which stay.
    let use_buttons = p.t("wizard-use-buttons");
    p.sticker().await;
    p.says(&use_buttons);
    p.text("Restaurants please").await;
    p.says(&use_buttons);
    assert_eq!(
        world.chat(p.id).message(screen.message_id),
        Some(&screen),
        "{}",
        p.transcript()
    );
    world.inline(p.id, &p.t(CATEGORY)).await;
    world.inline(p.id, &p.t(SUBCATEGORY)).await;

    p.asks("wizard-title", None);
    let text_expected = p.t("wizard-text-expected");
    p.sticker().await;
    p.says(&text_expected);
    p.voice().await;
    p.says(&text_expected);
    p.photo().await;
    p.says(&text_expected);
    p.text(TITLE).await;
    p.asks("wizard-description", None);
    p.voice().await;
    p.says(&text_expected);
    p.text(DESCRIPTION).await;
    p.text(CONTACT).await;
    p.text(ADDRESS).await;
    p.text(MAP_LINK).await;

    p.asks_photos(0);
    let photo_expected = p.t("wizard-photo-expected");
    p.text("here is my photo").await;
    p.says(&photo_expected);
    p.has_done_button(0);
    p.sticker().await;
    p.says(&photo_expected);
    p.voice().await;
    p.says(&photo_expected);
    let added = |count: i64| {
        p.tw(
            "wizard-photo-added",
            &[("count", Arg::Number(count)), ("max", Arg::Number(6))],
        )
    };
    world.photo_as_document(p.id).await;
    p.says(&added(1));
    p.has_done_button(1);
    p.photo().await;
    p.says(&added(2));
    p.has_done_button(2);
    world.reply(p.id, &p.done_label(2)).await;

    p.asks("wizard-discount", None);
    p.sticker().await;
    p.says(&text_expected);
    p.text(DISCOUNT).await;
    p.submit().await;
    // The picture sent at the title step was not taken; the file and the picture were.
    let sent = p.sent_photos();
    assert_eq!(sent.len(), 3);
    let card = p.only_card().await;
    assert_eq!(card.content, full_content(sent[1..].to_vec()));
}

/// Skip on every optional step leaves it empty — an answer given before is dropped too;
/// Remove last takes the newest photo; the Done label counts the photos.
async fn skip_and_remove_last_photo(world: &World) {
    let p = Partner::at_city_step(world, 1700, Locale::En).await;
    world.inline(p.id, &p.t(CITY)).await;
    p.asks_choice("wizard-area", None);
    p.inline("btn-skip").await;
    p.asks_choice("wizard-category", None);
    world.inline(p.id, &p.t(CATEGORY)).await;
    p.asks_choice("wizard-subcategory", None);
    p.inline("btn-skip").await;
    p.asks("wizard-title", None);
    p.text(TITLE).await;

    // A description given, then taken back with Skip.
    p.text(DESCRIPTION).await;
    p.reply("btn-back").await;
    p.asks("wizard-description", Some(DESCRIPTION));
    p.reply("btn-skip").await;
    p.asks("wizard-contact", None);
    p.text(CONTACT).await;
    p.asks("wizard-address", None);
    p.reply("btn-skip").await;
    p.asks("wizard-map-link", None);
    p.reply("btn-skip").await;

    // Photos: three, Remove last twice, one more; the label follows the count.
    p.asks_photos(0);
    for count in 1..=3 {
        p.photo().await;
        p.has_done_button(count);
    }
    let removed = |left: i64| p.tw("wizard-photo-removed", &[("count", Arg::Number(left))]);
    p.reply("btn-remove-last-photo").await;
    p.says(&removed(2));
    p.has_done_button(2);
    p.reply("btn-remove-last-photo").await;
    p.says(&removed(1));
    p.has_done_button(1);
    p.photo().await;
    p.has_done_button(2);
    world.reply(p.id, &p.done_label(2)).await;
    p.asks("wizard-discount", None);
    p.reply("btn-skip").await;
    p.shows_preview(TITLE);
    // The card keeps the first photo and the one sent after the removals.
    let sent = p.sent_photos();
    assert_eq!(p.previewed_photos(), vec![sent[0].clone(), sent[3].clone()]);

    // Back from the preview: the skipped discount has no answer; Skip at the photos step
    // leaves the card without the two photos.
    p.reply("btn-back").await;
    p.asks("wizard-discount", None);
    p.reply("btn-back").await;
    p.asks_photos(2);
    p.reply("btn-skip").await;
    p.asks("wizard-discount", None);
    p.reply("btn-back").await;
    p.asks_photos(0);
    p.photo().await;
    world.reply(p.id, &p.done_label(1)).await;
    p.reply("btn-skip").await;
    p.shows_preview(TITLE);
    p.submit().await;

    let content = p.only_card().await.content;
    let sent = p.sent_photos();
    assert_eq!(
        content,
        CardContent {
            city: CityId(2),
            area: None,
            category: CategoryId(1),
            subcategory: None,
            title: Title::parse(TITLE).unwrap(),
            description: None,
            contact: Contact::parse(CONTACT).unwrap(),
            address: None,
            map_link: None,
            photos: vec![sent[4].clone()],
            discount: None,
            location: None,
        }
    );
}

/// Edit from the preview goes back to the city step with every answer kept; changing one
/// answer and submitting stores one pending card with the change and the rest.
async fn edit_from_the_preview_keeps_the_answers(world: &World) {
    let p = Partner::at_city_step(world, 1800, Locale::En).await;
    p.fill_to_preview().await;
    p.inline("btn-edit").await;
    p.asks_choice("wizard-city", Some(CITY));
    p.inline_checked(CITY).await;
    p.asks_choice("wizard-area", Some(AREA));
    p.inline_checked(AREA).await;
    p.asks_choice("wizard-category", Some(CATEGORY));
    p.inline_checked(CATEGORY).await;
    p.asks_choice("wizard-subcategory", Some(SUBCATEGORY));
    p.inline_checked(SUBCATEGORY).await;
    p.asks("wizard-title", Some(TITLE));
    let title = "Sea Breeze Bistro";
    p.text(title).await;
    for (key, kept) in [
        ("wizard-description", DESCRIPTION),
        ("wizard-contact", CONTACT),
        ("wizard-address", ADDRESS),
        ("wizard-map-link", MAP_LINK),
    ] {
        p.asks(key, Some(kept));
        p.text(kept).await;
    }
    p.asks_photos(2);
    world.reply(p.id, &p.done_label(2)).await;
    p.asks("wizard-discount", Some(DISCOUNT));
    p.text(DISCOUNT).await;
    p.shows_preview(title);
    p.submit().await;

    let card = p.only_card().await;
    assert_eq!(card.status, CardStatus::Pending);
    let mut expected = full_content(p.sent_photos());
    expected.title = Title::parse(title).unwrap();
    assert_eq!(card.content, expected);
}

/// A rejected card: *Edit and resubmit* opens the wizard prefilled with it; submitting makes
/// the same card pending again with the new content, and the admin is asked to review it.
async fn edit_and_resubmit_a_rejected_card(world: &World) {
    let partner = 1900;
    world.onboard(ADMIN, Locale::En).await;
    world.onboard(partner, Locale::En).await;
    world.ports.become_partner(UserId(partner)).await.unwrap();
    let old = CardContent {
        photos: vec![PhotoId("AgADold".to_owned())],
        ..full_content(Vec::new())
    };
    let id = world
        .ports
        .submit_new(UserId(partner), &old, Timestamp(1))
        .await
        .unwrap();
    let reason = RejectionReason::Standard(StandardReason::Incomplete);
    let reject = Decision::new(id, UserId(ADMIN), Verdict::Reject(reason), Timestamp(2));
    world.ports.decide(&reject).await.unwrap();

    let p = Partner {
        world,
        id: partner,
        locale: Locale::En,
    };
    p.reply("btn-cabinet").await;
    p.reply("btn-my-cards").await;
    let view = p.tw("btn-view-card", &[("title", Arg::from(TITLE))]);
    world.inline(partner, &view).await;
    assert!(
        p.last().body().contains(&p.t("status-rejected")),
        "{}",
        p.transcript()
    );
    p.inline("btn-edit-resubmit").await;

    // Every answer is there, choice and text alike, and the photo.
    p.asks_choice("wizard-city", Some(CITY));
    p.inline_checked(CITY).await;
    p.asks_choice("wizard-area", Some(AREA));
    p.inline_checked(AREA).await;
    p.asks_choice("wizard-category", Some(CATEGORY));
    p.inline_checked(CATEGORY).await;
    p.asks_choice("wizard-subcategory", Some(SUBCATEGORY));
    p.inline_checked(SUBCATEGORY).await;
    p.asks("wizard-title", Some(TITLE));
    p.text(TITLE).await;
    let description = "Noodles, sea view and opening hours 8–22";
    p.asks("wizard-description", Some(DESCRIPTION));
    p.text(description).await;
    for (key, kept) in [
        ("wizard-contact", CONTACT),
        ("wizard-address", ADDRESS),
        ("wizard-map-link", MAP_LINK),
    ] {
        p.asks(key, Some(kept));
        p.text(kept).await;
    }
    p.asks_photos(1);
    p.photo().await;
    world.reply(partner, &p.done_label(2)).await;
    p.asks("wizard-discount", Some(DISCOUNT));
    p.text(DISCOUNT).await;
    p.shows_preview(TITLE);
    p.submit().await;

    let card = p.only_card().await;
    assert_eq!(card.id, id, "the same card, not a new one");
    assert_eq!(card.status, CardStatus::Pending);
    assert_eq!(card.rejection_reason, None);
    let mut expected = old.clone();
    expected.description = Some(Description::parse(description).unwrap());
    expected.photos.extend(p.sent_photos());
    assert_eq!(card.content, expected);
    let told = world.tw(
        Locale::En,
        "notify-new-submission",
        &[
            ("title", Arg::from(TITLE)),
            ("partner", Arg::from(format!("User{partner}"))),
        ],
    );
    let chat = world.chat(ADMIN);
    assert!(chat.bot_messages().any(|m| m.body() == told), "{chat}");
}

/// A button of an earlier step, or of a preview already submitted, is answered with the
/// "outdated" alert and changes nothing: the step stays, and one press of Submit makes one card.
async fn old_buttons_are_outdated_and_change_nothing(world: &World) {
    let p = Partner::at_city_step(world, 2000, Locale::En).await;
    let outdated = || {
        let chat = world.chat(p.id);
        let answer = chat.callbacks.last().and_then(|c| c.answer.clone());
        assert_eq!(
            answer.map(|a| (a.text, a.show_alert)),
            Some((Some(p.t("callback-outdated")), true)),
            "{chat}"
        );
    };
    p.choose_place().await;
    let asked = p.last().message_id;

    // The city and category of the screen above, pressed at the title step by a client that
    // still shows their buttons (the screen lost them when the title was asked).
    let chat = world.chat(p.id);
    let pressed = |prefix: &str| {
        let record = chat
            .callbacks
            .iter()
            .find(|c| c.data.as_deref().is_some_and(|d| d.starts_with(prefix)))
            .unwrap();
        let data = record.data.clone().unwrap();
        let (at, _) = data.rsplit_once(':').unwrap();
        (record.message_id.unwrap(), at.to_owned())
    };
    let (screen, city_at) = pressed("wz:c:");
    world
        .send_callback(p.id, screen, &format!("{city_at}:4"))
        .await;
    outdated();
    let (screen, category_at) = pressed("wz:k:");
    world
        .send_callback(p.id, screen, &format!("{category_at}:2"))
        .await;
    outdated();
    assert_eq!(p.last().message_id, asked, "{}", p.transcript());
    // The title step still takes the title (the city and category kept are checked on the
    // card at the end).
    p.text(TITLE).await;
    p.asks("wizard-description", None);

    // Submit twice on the same preview: the second press finds no draft.
    p.reply("btn-back").await;
    p.text(TITLE).await;
    p.text(DESCRIPTION).await;
    p.text(CONTACT).await;
    p.text(ADDRESS).await;
    p.text(MAP_LINK).await;
    world.reply(p.id, &p.done_label(0)).await;
    p.text(DISCOUNT).await;
    let preview = p.last();
    p.submit().await;
    let submit = preview.button(&p.t("btn-submit")).unwrap().clone();
    world
        .send_callback(
            p.id,
            preview.message_id,
            submit.callback_data.as_deref().unwrap(),
        )
        .await;
    outdated();
    let edit = preview.button(&p.t("btn-edit")).unwrap().clone();
    world
        .send_callback(
            p.id,
            preview.message_id,
            edit.callback_data.as_deref().unwrap(),
        )
        .await;
    outdated();
    assert_eq!(p.only_card().await.content, full_content(Vec::new()));
    assert!(!p.has_stored_state().await);
}

/// A category without subcategories (shops) has no subcategory step, going forward or back;
/// the city chosen in the catalog is preselected; text with HTML characters is shown as typed.
async fn passed_over_steps_preselected_city_and_typed_text(world: &World) {
    let p = Partner::at_city_step(world, 2200, Locale::En).await;
    p.command("catalog").await;
    world.inline(p.id, &p.t("city-nha-trang")).await;
    p.command("cabinet").await;
    // Nothing was answered before leaving: nothing to offer back, a fresh wizard starts.
    p.reply("btn-add-card").await;
    p.asks_choice("wizard-city", Some("city-nha-trang"));
    p.inline_checked("city-nha-trang").await;
    p.inline("btn-skip").await;
    world.inline(p.id, &p.t("category-shops")).await;
    p.asks("wizard-title", None);
    p.reply("btn-back").await;
    p.asks_choice("wizard-category", Some("category-shops"));
    p.inline_checked("category-shops").await;
    p.asks("wizard-title", None);

    let title = "Tom & Jerry <b>shop</b>";
    p.text(title).await;
    p.reply("btn-back").await;
    p.asks("wizard-title", Some(title));
    // Editing: the answer on screen is kept without typing it again.
    p.reply("btn-keep").await;
    p.reply("btn-skip").await;
    p.text("+84 (905) 123-456").await;
    for _ in 0..3 {
        p.reply("btn-skip").await;
    }
    p.reply("btn-skip").await;
    p.shows_preview(title);
    p.submit().await;
    let content = p.only_card().await.content;
    assert_eq!(
        (
            content.city,
            content.area,
            content.category,
            content.subcategory
        ),
        (CityId(1), None, CategoryId(5), None)
    );
    assert_eq!(content.title.as_str(), title);
}

scenarios!(
    back_on_every_step_keeps_its_answer,
    cancel_forgets_the_draft,
    leaving_keeps_the_draft_and_continue_resumes_it,
    start_over_discards_the_draft,
    another_instance_continues_the_draft,
    every_validation_message_names_its_bound,
    wrong_kind_of_message_gets_a_hint_and_the_step_stays,
    skip_and_remove_last_photo,
    edit_from_the_preview_keeps_the_answers,
    edit_and_resubmit_a_rejected_card,
    old_buttons_are_outdated_and_change_nothing,
    an_old_back_acts_only_on_the_step_it_was_sent_with,
    the_first_cards_submit_does_not_submit_the_second,
    a_draft_is_kept_for_24_hours,
    passed_over_steps_preselected_city_and_typed_text,
    leaving_for_a_screen_without_a_keyboard_puts_the_cabinet_keyboard_back,
);

/// Leaving the wizard for a screen with only inline buttons (the catalog, the language
/// picker) would leave its Back / Cancel keyboard on screen: a note that the draft is kept
/// comes first, with the cabinet's keyboard, whose Add card offers the draft back. A screen
/// with a keyboard of its own (help, the main menu) needs no note.
async fn leaving_for_a_screen_without_a_keyboard_puts_the_cabinet_keyboard_back(world: &World) {
    let p = Partner::at_city_step(world, 2400, Locale::Ru).await;
    p.choose_place().await;
    p.text(TITLE).await;
    p.asks("wizard-description", None);
    let keyboard = || {
        world
            .chat(p.id)
            .reply_keyboard
            .unwrap()
            .labels()
            .join(" | ")
    };
    assert!(keyboard().contains(&p.t("btn-cancel")), "{}", keyboard());

    for command in ["catalog", "language"] {
        let answer = p.answer_to(command).await;
        let screen = if command == "catalog" {
            "catalog-choose-city"
        } else {
            "language-picker"
        };
        assert_eq!(
            answer,
            [p.t("wizard-paused"), p.t(screen)],
            "{}",
            p.transcript()
        );
        let cabinet = [
            p.t("btn-add-card"),
            p.t("btn-my-cards"),
            p.t("btn-main-menu"),
        ];
        assert_eq!(keyboard(), cabinet.join(" | "), "{}", p.transcript());
        p.reply("btn-add-card").await;
        assert_eq!(
            p.last().body(),
            p.t("wizard-draft-resume"),
            "{}",
            p.transcript()
        );
        p.inline("btn-draft-continue").await;
        p.asks("wizard-description", None);
    }

    // A screen with a reply keyboard of its own says that the draft is kept too.
    for command in ["help", "menu"] {
        let answer = p.answer_to(command).await;
        let screen = if command == "help" {
            "help"
        } else {
            "main-menu"
        };
        assert_eq!(
            answer,
            [p.t("wizard-paused"), p.t(screen)],
            "{}",
            p.transcript()
        );
        p.reply("btn-cabinet").await;
        p.reply("btn-add-card").await;
        p.inline("btn-draft-continue").await;
        p.asks("wizard-description", None);
    }
}

/// *Back* of the subcategory question, pressed at the description step, is outdated: the
/// description step stays and takes its answer.
async fn an_old_back_acts_only_on_the_step_it_was_sent_with(world: &World) {
    let p = Partner::at_city_step(world, 2100, Locale::Ru).await;
    p.choose_place().await;
    // The subcategory question was one screen with the city, area and category before it, and
    // lost its buttons when the title was asked.
    let subcategory_question = world
        .chat(p.id)
        .bot_messages()
        .rev()
        .find(|m| m.body() == p.t("wizard-subcategory"))
        .unwrap()
        .clone();
    assert!(
        subcategory_question.inline_keyboard.is_empty(),
        "{}",
        p.transcript()
    );
    // Its Back, as a client that did not redraw the message would still send it.
    let pressed = world
        .chat(p.id)
        .callbacks
        .last()
        .unwrap()
        .data
        .clone()
        .unwrap();
    let draft_and_version = pressed
        .strip_prefix("wz:s:")
        .and_then(|rest| rest.rsplit_once(':'))
        .map(|(at, _)| at.to_owned())
        .unwrap();
    let old_back = format!("wz:back:{draft_and_version}");
    p.text(TITLE).await;
    p.asks("wizard-description", None);
    let asked = p.last().message_id;

    world
        .send_callback(p.id, subcategory_question.message_id, &old_back)
        .await;
    let answer = world.last_answer(p.id).unwrap();
    assert_eq!(
        (answer.text, answer.show_alert),
        (Some(p.t("callback-outdated")), true),
        "{}",
        p.transcript()
    );
    assert_eq!(p.last().message_id, asked, "{}", p.transcript());
    p.text(DESCRIPTION).await;
    p.asks("wizard-contact", None);
}

/// *Submit* of the first card's preview, pressed while the second card is written (and once
/// its own preview is shown), is outdated: only the second card's own *Submit* submits it.
async fn the_first_cards_submit_does_not_submit_the_second(world: &World) {
    let p = Partner::at_city_step(world, 2200, Locale::En).await;
    p.fill_to_preview().await;
    let first_preview = p.last();
    p.submit().await;
    let first_submit = first_preview
        .button(&p.t("btn-submit"))
        .and_then(|button| button.callback_data.clone())
        .unwrap();

    p.reply("btn-add-card").await;
    p.asks_choice("wizard-city", None);
    let press_first_submit = async || {
        world
            .send_callback(p.id, first_preview.message_id, &first_submit)
            .await;
        let answer = world.last_answer(p.id).unwrap();
        assert_eq!(
            (answer.text, answer.show_alert),
            (Some(p.t("callback-outdated")), true),
            "{}",
            p.transcript()
        );
    };
    press_first_submit().await;
    p.fill_to_preview().await;
    press_first_submit().await;
    let cards = world
        .ports
        .partner_cards(UserId(p.id), vitrina_cards::PageRequest::new(1, 5))
        .await
        .unwrap();
    assert_eq!(cards.items.len(), 1, "{}", p.transcript());

    p.submit().await;
    let cards = world
        .ports
        .partner_cards(UserId(p.id), vitrina_cards::PageRequest::new(1, 5))
        .await
        .unwrap();
    assert_eq!(cards.items.len(), 2, "{}", p.transcript());
}
