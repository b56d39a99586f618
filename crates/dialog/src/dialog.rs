//! The dialog service: one update in, the effects out, state kept through the store.

use std::sync::Arc;

use vitrina_cards::{CardRepository, Reference, RepositoryError, Timestamp, UserId};
use vitrina_i18n::{Button, Catalog, Locale};
use vitrina_moderation::{AdminRepository, Admins, ModerationRepository};

use crate::callback::Callback;
use crate::io::{ChatId, Effect, Incoming, InlineButton, Keyboard, MessageId, Person, ScreenTag};
use crate::render::{self, Words};
use crate::route::{Command, Route, route};
use crate::state::{DRAFT_LIFETIME_MILLIS, DialogState};
use crate::store::{DialogStore, PersonAndDialog};
use crate::text::RichText;
use crate::user::{UserProfile, UserRepository};

/// Everything the dialog needs from storage, in one bound.
pub trait DialogPorts:
    CardRepository + UserRepository + ModerationRepository + AdminRepository + DialogStore
{
}

impl<T> DialogPorts for T where
    T: CardRepository + UserRepository + ModerationRepository + AdminRepository + DialogStore
{
}

/// The dialog's settings, from the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The admins of the environment (`ADMIN_IDS`); always admins.
    pub admins: Vec<UserId>,
    /// The policy version in force; raising it asks everyone again.
    pub policy_version: u32,
    /// The partner cabinet is on (`FEATURE_PARTNER_FSM`).
    pub partner_cabinet: bool,
    /// Moderation is on (`FEATURE_MODERATION`).
    pub moderation: bool,
    /// The language of people who have not chosen one and whose client's is not offered.
    pub default_locale: Locale,
    /// The cities and categories offered ([`crate::reference::vitrina`] by default).
    pub reference: Arc<Reference>,
    /// Items on a page of every list (*My cards*, the catalog).
    pub page_size: u32,
    /// The web cabinet's (Mini App's) public URL: when set, the cabinet and the moderation
    /// queue offer a button that opens it.
    pub web_app_url: Option<String>,
    /// The bot's `@username` (without the `@`, from getMe): deep links to cards
    /// (`t.me/<username>?start=c<ID>`) are made with it. Without it no card offers sharing
    /// and inline mode answers with nothing.
    pub bot_username: Option<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            admins: Vec::new(),
            policy_version: 1,
            partner_cabinet: true,
            moderation: true,
            default_locale: Locale::Ru,
            reference: Arc::new(crate::reference::vitrina()),
            page_size: 5,
            web_app_url: None,
            bot_username: None,
        }
    }
}

/// Why an update could not be handled now. Everything else — bad input, someone else's card,
/// an outdated button — is answered inside the dialog and is not an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DialogError {
    /// The storage cannot be reached; the update should be delivered again later.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
}

/// Vitrina's conversation: its texts and settings. The storage is not the dialog's: each call
/// is given the ports to work on (the dispatcher passes one transaction per update), so the
/// same dialog serves any storage, an in-memory one in tests included.
#[derive(Clone)]
pub struct Dialog {
    catalog: Arc<Catalog>,
    settings: Settings,
}

/// One call of the dialog: the dialog's texts and settings with the ports of this call.
pub(crate) struct Conversation<'a, P> {
    pub(crate) store: &'a P,
    pub(crate) catalog: &'a Catalog,
    pub(crate) settings: &'a Settings,
}

/// One update being handled: who, where, and what to do.
pub(crate) struct Turn {
    pub person: Person,
    pub chat: ChatId,
    pub user: UserProfile,
    pub locale: Locale,
    /// Whether the person may moderate: an admin of the configuration or a stored one.
    pub admin: bool,
    pub now: Timestamp,
    pub state: DialogState,
    pub effects: Vec<Effect>,
    /// The callback query being answered, and the message that carried its button.
    pub callback: Option<(String, Option<MessageId>)>,
    /// What followed a command (`/start c12`, `/search words`); empty otherwise.
    pub args: String,
}

impl Turn {
    pub fn send(&mut self, text: RichText, keyboard: Keyboard) {
        self.effects.push(Effect::Send {
            chat: self.chat,
            text,
            keyboard,
        });
    }

    pub fn send_photos(&mut self, photos: &[vitrina_cards::PhotoId]) {
        if !photos.is_empty() {
            self.effects.push(Effect::SendPhotos {
                chat: self.chat,
                photos: photos.to_vec(),
            });
        }
    }

    /// The message whose inline button is being handled, when Telegram still has it.
    pub fn pressed(&self) -> Option<MessageId> {
        self.callback.as_ref().and_then(|(_, message)| *message)
    }

    /// Removes the inline buttons of a message that is left behind; its text stays.
    pub fn strip(&mut self, message: MessageId) {
        let strip = Effect::EditKeyboard {
            chat: self.chat,
            message,
            keyboard: Vec::new(),
        };
        if !self.effects.contains(&strip) {
            self.effects.push(strip);
        }
    }

    /// Edits the message whose button was pressed, or sends a new one when there is none.
    pub fn show(&mut self, text: RichText, keyboard: Vec<Vec<InlineButton>>) {
        match self.callback.as_ref().and_then(|(_, message)| *message) {
            Some(message) => self.effects.push(Effect::Edit {
                chat: self.chat,
                message,
                text,
                keyboard,
            }),
            None => self.send(text, Keyboard::Inline(keyboard)),
        }
    }

    /// Answers the callback query being handled (once; later answers are dropped).
    pub fn answer(&mut self, text: Option<String>, alert: bool) {
        if let Some((id, _)) = self.callback.as_ref() {
            let already = self
                .effects
                .iter()
                .any(|effect| matches!(effect, Effect::AnswerCallback { id: answered, .. } if answered == id));
            if !already {
                self.effects.push(Effect::AnswerCallback {
                    id: id.clone(),
                    text,
                    alert,
                });
            }
        }
    }

    pub fn is_admin(&self) -> bool {
        self.admin
    }
}

/// What a handler returns: `Err` only for storage failures and for the refusals that are
/// answered in one common way (see `Conversation::answer_refusal`).
pub(crate) type Flow = Result<(), RepositoryError>;

impl Dialog {
    /// A dialog speaking through `catalog`.
    pub fn new(catalog: Arc<Catalog>, settings: Settings) -> Dialog {
        Dialog { catalog, settings }
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    fn on<'a, P: DialogPorts>(&'a self, ports: &'a P) -> Conversation<'a, P> {
        Conversation {
            store: ports,
            catalog: &self.catalog,
            settings: &self.settings,
        }
    }

    /// Handles one update at `now` on `ports` and returns what to do in Telegram, in order.
    /// Everything the update changes goes through `ports`, the person's dialog state
    /// included; to make an update's changes atomic, pass ports bound to one transaction.
    ///
    /// # Errors
    /// [`DialogError::Unavailable`] when the storage cannot be reached: the update should be
    /// delivered again (on a transaction, roll it back: some changes may have been made).
    pub async fn handle<P: DialogPorts>(
        &self,
        ports: &P,
        incoming: Incoming,
        now: Timestamp,
    ) -> Result<Vec<Effect>, DialogError> {
        self.on(ports).handle(incoming, now).await
    }

    /// What tells a person who sends more than the bot takes (see the delivery's flood gate)
    /// to slow down: an alert on the button they pressed, or a message. Built from the update
    /// alone, in their client's language, because a flood is answered without touching the
    /// database.
    pub fn flood_notice(&self, incoming: &Incoming) -> Vec<Effect> {
        let locale = Locale::from_language_code(
            incoming.from.language_code.as_deref(),
            self.settings.default_locale,
        );
        let words = Words::new(&self.catalog, &self.settings.reference, locale);
        let text = words.t("flood-slow-down");
        match &incoming.input {
            // Someone typing `@bot words` fast is not told anything: the queries just go
            // unanswered, and no chat is written to that they may never have opened.
            crate::io::Input::InlineQuery { .. } => Vec::new(),
            crate::io::Input::Callback { id, .. } => vec![Effect::AnswerCallback {
                id: id.clone(),
                text: Some(text),
                alert: true,
            }],
            _ => vec![Effect::Send {
                chat: incoming.chat,
                text: crate::text::RichText::plain(text),
                keyboard: Keyboard::None,
            }],
        }
    }

    /// Remembers that `screen`, sent to `person`, is the message `message`: the next step
    /// edits it in place, or strips its buttons when it is left. The sender of an
    /// [`Effect::SendScreen`] calls this with the id Telegram gave the message; a screen that
    /// is no longer current (the conversation moved on meanwhile) is not remembered.
    ///
    /// # Errors
    /// [`DialogError::Unavailable`] when the storage cannot be reached; the screen then keeps
    /// its buttons when it is left (they are refused as outdated when pressed).
    pub async fn screen_shown<P: DialogPorts>(
        &self,
        ports: &P,
        person: UserId,
        screen: ScreenTag,
        message: MessageId,
        now: Timestamp,
    ) -> Result<(), DialogError> {
        let unavailable = |error: RepositoryError| DialogError::Unavailable(error.with_causes());
        let Some(json) = ports.load_dialog(person, now).await.map_err(unavailable)? else {
            return Ok(());
        };
        let mut state = DialogState::from_json(&json, &self.settings.reference);
        let Some(wizard) = state.wizard.as_mut() else {
            return Ok(());
        };
        if wizard.screen_tag() != screen || wizard.screen == Some(message) {
            return Ok(());
        }
        wizard.screen = Some(message);
        ports
            .save_dialog(
                person,
                &state.to_json(),
                now.plus_millis(DRAFT_LIFETIME_MILLIS),
            )
            .await
            .map_err(unavailable)
    }

    /// An operator's action on a card from the command line (`bot card feature|unfeature|
    /// unpublish`), applied on `ports` and logged as an admin's; returns what became of it and
    /// the message that tells the partner of a takedown (for the outbox). `None` when there is
    /// no such card or it is deleted.
    ///
    /// # Errors
    /// [`DialogError::Unavailable`] when the storage cannot be reached.
    pub async fn operator_action<P: DialogPorts>(
        &self,
        ports: &P,
        decision: &vitrina_moderation::AdminDecision,
    ) -> Result<Option<(vitrina_moderation::AdminOutcome, Vec<Effect>)>, DialogError> {
        self.on(ports)
            .operator_action(decision)
            .await
            .map_err(|error| DialogError::Unavailable(error.with_causes()))
    }

    /// The messages that tell every admin, each in their language, that the bot started
    /// (`started`) or is stopping, with its version and mode.
    ///
    /// # Errors
    /// [`DialogError::Unavailable`] when the stored admins cannot be read.
    pub async fn lifecycle_notice<P: DialogPorts>(
        &self,
        ports: &P,
        started: bool,
        version: &str,
        mode: &str,
    ) -> Result<Vec<Effect>, DialogError> {
        self.on(ports)
            .lifecycle_notice(started, version, mode)
            .await
    }
}

impl<P: DialogPorts> Conversation<'_, P> {
    async fn handle(&self, incoming: Incoming, now: Timestamp) -> Result<Vec<Effect>, DialogError> {
        let unavailable = |error: RepositoryError| DialogError::Unavailable(error.with_causes());
        if let crate::io::Input::InlineQuery { id, query, offset } = &incoming.input {
            // Not a step of the conversation: answered from the catalog alone, nothing kept.
            return self
                .inline_query(&incoming.from, id, query, offset)
                .await
                .map_err(unavailable);
        }
        let id = incoming.from.id;
        let PersonAndDialog {
            profile: mut user,
            state: stored,
            stored_admin,
        } = self
            .store
            .person_and_dialog(id, now)
            .await
            .map_err(unavailable)?;
        if user.blocked_bot {
            // They wrote again, so they unblocked the bot.
            self.store
                .set_blocked_bot(id, false)
                .await
                .map_err(unavailable)?;
            user.blocked_bot = false;
        }
        let state = stored
            .as_deref()
            .map(|json| DialogState::from_json(json, &self.settings.reference))
            .unwrap_or_default();
        let locale = user
            .locale
            .as_deref()
            .and_then(Locale::parse)
            .unwrap_or_else(|| {
                Locale::from_language_code(
                    incoming.from.language_code.as_deref(),
                    self.settings.default_locale,
                )
            });
        let callback = match &incoming.input {
            crate::io::Input::Callback { id, message, .. } => Some((id.clone(), *message)),
            _ => None,
        };
        let args = match &incoming.input {
            crate::io::Input::Command { args, .. } => args.trim().to_owned(),
            _ => String::new(),
        };
        let mut turn = Turn {
            chat: incoming.chat,
            person: incoming.from,
            user,
            locale,
            admin: stored_admin || self.settings.admins.contains(&id),
            now,
            state: state.clone(),
            effects: Vec::new(),
            callback,
            args,
        };
        let route = route(&incoming.input, self.catalog);
        match self.dispatch(&mut turn, route).await {
            Ok(()) => {}
            Err(error @ RepositoryError::Unavailable(_)) => return Err(unavailable(error)),
            Err(refusal) => self.answer_refusal(&mut turn, &refusal),
        }
        turn.answer(None, false);
        if turn.state != state {
            let saved = if turn.state.is_empty() {
                self.store.clear_dialog(id).await
            } else {
                let expires = now.plus_millis(DRAFT_LIFETIME_MILLIS);
                self.store
                    .save_dialog(id, &turn.state.to_json(), expires)
                    .await
            };
            saved.map_err(unavailable)?;
        }
        Ok(turn.effects)
    }

    /// Every admin: those of the configuration and those stored.
    pub(crate) async fn admins(&self) -> Result<Admins, RepositoryError> {
        let added = self.store.admins().await?;
        Ok(Admins::new(self.settings.admins.iter().copied(), added))
    }

    async fn lifecycle_notice(
        &self,
        started: bool,
        version: &str,
        mode: &str,
    ) -> Result<Vec<Effect>, DialogError> {
        let admins = self
            .admins()
            .await
            .map_err(|error| DialogError::Unavailable(error.with_causes()))?;
        let key = if started {
            "notify-bot-started"
        } else {
            "notify-bot-stopping"
        };
        let mut effects = Vec::new();
        for admin in admins.all() {
            let Some(locale) = self.recipient_locale(admin).await else {
                continue;
            };
            let words = self.words(locale);
            let mode_key = format!("bot-mode-{mode}");
            let mode_name = if self.catalog.has(locale, &mode_key) {
                words.t(&mode_key)
            } else {
                mode.to_owned()
            };
            let text = words.tw(
                key,
                &[
                    ("version", vitrina_i18n::Arg::from(version)),
                    ("mode", vitrina_i18n::Arg::from(mode_name)),
                ],
            );
            effects.push(Effect::Send {
                chat: ChatId(admin.get()),
                text: RichText::plain(text),
                keyboard: Keyboard::None,
            });
        }
        Ok(effects)
    }

    pub(crate) fn words(&self, locale: Locale) -> Words<'_> {
        Words::new(self.catalog, &self.settings.reference, locale)
    }

    /// Not found, not allowed, already changed, outdated: a polite answer, nothing changed.
    fn answer_refusal(&self, turn: &mut Turn, refusal: &RepositoryError) {
        let key = match refusal {
            RepositoryError::NotFound => "not-found",
            RepositoryError::StatusChanged { .. } | RepositoryError::Refused(_) => {
                "callback-outdated"
            }
            RepositoryError::Invalid(_) | RepositoryError::Unavailable(_) => "try-later",
        };
        let text = self.words(turn.locale).t(key);
        if turn.callback.is_some() {
            turn.answer(Some(text), true);
        } else {
            turn.send(RichText::plain(text), Keyboard::None);
        }
    }

    async fn dispatch(&self, turn: &mut Turn, route: Route) -> Flow {
        if turn.user.banned {
            let text = self.words(turn.locale).t("not-allowed");
            turn.answer(Some(text.clone()), true);
            if turn.callback.is_none() {
                turn.send(RichText::plain(text), Keyboard::None);
            }
            return Ok(());
        }
        if !turn.user.has_accepted(self.settings.policy_version) {
            if self.admin_past_the_gate(turn, &route) {
                return self.moderation_past_the_gate(turn, route).await;
            }
            self.remember_link(turn, &route);
        }
        if turn.user.locale.is_none() {
            return match route {
                Route::Callback(Some(Callback::Language(choice))) => {
                    self.choose_language(turn, choice.code()).await
                }
                _ => {
                    self.language_picker(turn);
                    Ok(())
                }
            };
        }
        if !turn.user.has_accepted(self.settings.policy_version) {
            return match route {
                Route::Callback(Some(Callback::Language(choice))) => {
                    self.choose_language(turn, choice.code()).await
                }
                Route::Callback(Some(Callback::AcceptPolicy)) => self.accept_policy(turn).await,
                Route::Callback(Some(Callback::ReadPolicy)) | Route::Command(Command::Policy) => {
                    self.policy(turn);
                    Ok(())
                }
                Route::Command(Command::Language) | Route::Button(Button::Language) => {
                    self.language_picker(turn);
                    Ok(())
                }
                _ => {
                    self.welcome(turn);
                    Ok(())
                }
            };
        }
        if !self.settings.partner_cabinet && turn.state.active_wizard().is_some() {
            // A wizard begun before the cabinet was turned off goes no further; its draft is
            // kept for when the cabinet is back.
            turn.state.pause_wizard();
            let answer_to_a_step = match &route {
                Route::Text(_)
                | Route::Photo(_)
                | Route::Unsupported
                | Route::Location(_)
                | Route::Contact(_) => true,
                Route::Button(button) => is_wizard_button(*button),
                _ => false,
            };
            if answer_to_a_step {
                self.cabinet_off(turn).await?;
                return Ok(());
            }
        }
        match route {
            Route::Command(command) => self.command(turn, command).await,
            Route::UnknownCommand => self.unknown_input(turn).await,
            Route::Button(button) => self.button(turn, button).await,
            Route::Callback(None) => {
                let text = self.words(turn.locale).t("callback-outdated");
                turn.answer(Some(text), true);
                Ok(())
            }
            Route::Callback(Some(callback)) => self.callback(turn, callback).await,
            Route::Text(text) => {
                if turn.state.active_wizard().is_some() {
                    self.wizard_text(turn, &text).await
                } else if turn
                    .state
                    .moderation
                    .as_ref()
                    .is_some_and(|m| m.awaiting_reason.is_some())
                {
                    self.reason_text(turn, &text).await
                } else if turn
                    .state
                    .links
                    .as_ref()
                    .is_some_and(|links| links.awaiting_words)
                {
                    self.search_words(turn, &text).await
                } else {
                    self.unknown_input(turn).await
                }
            }
            Route::Photo(photo) => {
                if turn.state.active_wizard().is_some() {
                    self.wizard_photo(turn, photo).await
                } else {
                    self.unknown_input(turn).await
                }
            }
            Route::Unsupported => {
                if turn.state.active_wizard().is_some() {
                    self.wizard_unsupported(turn);
                    Ok(())
                } else {
                    self.unknown_input(turn).await
                }
            }
            Route::Location(place) => {
                if turn.state.active_wizard().is_some() {
                    self.wizard_location(turn, place).await
                } else {
                    // Outside the wizard a location can only mean "what is near me".
                    self.nearby_from_location(turn, place).await
                }
            }
            Route::Contact(phone) => {
                if turn.state.active_wizard().is_some() {
                    self.wizard_contact(turn, &phone).await
                } else {
                    self.unknown_input(turn).await
                }
            }
        }
    }

    /// Leaves whatever step the person was in: a command or a menu button always does.
    pub(crate) fn leave_steps(turn: &mut Turn) {
        if let Some(links) = turn.state.links.as_mut() {
            links.awaiting_words = false;
        }
        let left = turn
            .state
            .active_wizard()
            .and_then(|wizard| wizard.screen.take());
        if let Some(screen) = left {
            turn.strip(screen);
        }
        turn.state.pause_wizard();
        if let Some(moderation) = turn.state.moderation.as_mut() {
            moderation.awaiting_reason = None;
            moderation.reason_screen = None;
        }
    }

    /// Leaves the step the person was in for another screen, saying that a wizard's draft is
    /// kept (`says_kept`; not when the screen offers the draft back itself). When that leaves
    /// the wizard for a screen without a reply keyboard of its own (the catalog, the language
    /// picker…), the wizard's Back / Cancel keyboard would stay on screen, its buttons now
    /// meaning nothing: the note comes with the cabinet's keyboard, whose *Add card* continues
    /// the draft. `keeps_keyboard`: the screen shows a reply keyboard itself.
    pub(crate) fn leave_steps_for(&self, turn: &mut Turn, keeps_keyboard: bool, says_kept: bool) {
        let in_wizard = turn.state.active_wizard().is_some();
        Self::leave_steps(turn);
        if in_wizard && (says_kept || !keeps_keyboard) {
            let words = self.words(turn.locale);
            let keyboard = if keeps_keyboard {
                Keyboard::None
            } else {
                render::partner_cabinet(words)
            };
            turn.send(RichText::plain(words.t("wizard-paused")), keyboard);
        }
    }

    async fn command(&self, turn: &mut Turn, command: Command) -> Flow {
        if command == Command::Cancel {
            return self.cancel(turn).await;
        }
        let keeps_keyboard = matches!(
            command,
            Command::Start | Command::Menu | Command::Help | Command::Cabinet
        );
        self.leave_steps_for(turn, keeps_keyboard, true);
        match command {
            Command::Start if !turn.args.is_empty() => self.start_with_link(turn).await,
            Command::Start | Command::Menu => self.main_menu(turn, "main-menu").await,
            Command::Search => self.search_command(turn).await,
            Command::Catalog => self.catalog_entry(turn).await,
            Command::Cabinet => self.cabinet(turn).await,
            Command::Language => {
                self.language_picker(turn);
                Ok(())
            }
            Command::Help => self.main_menu(turn, "help").await,
            Command::Policy => {
                self.policy(turn);
                Ok(())
            }
            Command::Moderate => self.moderate(turn).await,
            Command::Cancel => Ok(()),
            Command::ForgetMe => {
                self.ask_forget_me(turn);
                Ok(())
            }
        }
    }

    async fn button(&self, turn: &mut Turn, button: Button) -> Flow {
        if is_wizard_button(button) {
            return if turn.state.active_wizard().is_some() {
                self.wizard_button(turn, button).await
            } else {
                // A wizard keyboard left on screen after the wizard ended.
                self.main_menu(turn, "main-menu").await
            };
        }
        let keeps_keyboard = matches!(
            button,
            Button::Cabinet
                | Button::Help
                | Button::MainMenu
                | Button::BecomePartner
                | Button::AddCard
        );
        let offers_draft = matches!(button, Button::BecomePartner | Button::AddCard);
        self.leave_steps_for(turn, keeps_keyboard, !offers_draft);
        match button {
            Button::Catalog => self.catalog_entry(turn).await,
            Button::Cabinet => self.cabinet(turn).await,
            Button::Language => {
                self.language_picker(turn);
                Ok(())
            }
            Button::Help => self.main_menu(turn, "help").await,
            Button::Moderation => self.moderate(turn).await,
            Button::MainMenu => self.main_menu(turn, "main-menu").await,
            Button::BecomePartner => self.become_partner(turn).await,
            Button::AddCard => self.add_card(turn).await,
            Button::MyCards => self.my_cards(turn, 1).await,
            Button::Back
            | Button::Cancel
            | Button::Skip
            | Button::PhotosDone
            | Button::RemoveLastPhoto
            | Button::Keep => Ok(()),
        }
    }

    async fn callback(&self, turn: &mut Turn, callback: Callback) -> Flow {
        use Callback as C;
        match callback {
            C::Language(choice) => self.choose_language(turn, choice.code()).await,
            C::AcceptPolicy => self.accept_policy(turn).await,
            C::ReadPolicy => {
                self.policy(turn);
                Ok(())
            }
            C::CatalogCities => self.catalog_cities(turn),
            C::CatalogCity(city) => self.catalog_city(turn, city).await,
            C::CatalogCategory(category) => self.catalog_category(turn, category).await,
            C::CatalogPage {
                category,
                subcategory,
                page,
            } => self.catalog_page(turn, category, subcategory, page).await,
            C::CatalogCard {
                card,
                category,
                subcategory,
                page,
            } => {
                self.catalog_card(turn, card, category, subcategory, page)
                    .await
            }
            C::WizardCity(..)
            | C::WizardArea(..)
            | C::WizardCategory(..)
            | C::WizardSubcategory(..)
            | C::WizardBack(_)
            | C::WizardCancel(_)
            | C::WizardSubmit(_)
            | C::WizardEdit(_)
            | C::DraftContinue(_)
            | C::DraftRestart(_) => {
                if self.cabinet_off(turn).await? {
                    return Ok(());
                }
                self.wizard_callback(turn, callback).await
            }
            C::MyCards(page) => self.my_cards(turn, page).await,
            C::MyCardsAdd => self.add_card(turn).await,
            C::MyCard(card, page) => self.my_card(turn, card, page).await,
            C::MyCardHide(card, page) => {
                self.partner_action(turn, card, page, vitrina_cards::CardAction::Hide)
                    .await
            }
            C::MyCardShow(card, page) => {
                self.partner_action(turn, card, page, vitrina_cards::CardAction::Show)
                    .await
            }
            C::MyCardDelete(card, page) => self.ask_delete(turn, card, page).await,
            C::MyCardDeleteConfirm(card, page) => {
                self.partner_action(turn, card, page, vitrina_cards::CardAction::Delete)
                    .await
            }
            C::MyCardEdit(card) => self.edit_rejected(turn, card).await,
            C::Review(_)
            | C::Approve(_)
            | C::Reject(_)
            | C::RejectWith(..)
            | C::RejectOther(_)
            | C::RejectBack(_)
            | C::Skip(_)
            | C::Finish => self.moderation_callback(turn, callback).await,
            C::Nothing => Ok(()),
            C::FirstPage | C::LastPage => {
                let key = if callback == C::FirstPage {
                    "page-first"
                } else {
                    "page-last"
                };
                let text = self.words(turn.locale).t(key);
                turn.answer(Some(text), false);
                Ok(())
            }
            C::MyCardDeleteCancel(card, page) => self.keep_card(turn, card, page).await,
            C::Share(card) => self.share(turn, card).await,
            C::SearchAsk => {
                self.ask_search_words(turn);
                Ok(())
            }
            C::SearchPage(page) => self.search_page(turn, page).await,
            C::SearchCard(card, page) => self.search_card(turn, card, page).await,
            C::CardVenue(card) => self.send_venue(turn, card).await,
            C::Nearby => {
                // The location keyboard comes next, so the wizard's keyboard need not be replaced.
                self.leave_steps_for(turn, true, true);
                self.nearby_ask(turn)
            }
            C::NearbyPage { from, page } => self.nearby_page(turn, from, page).await,
            C::NearbyCard { card, from, page } => self.nearby_card(turn, card, from, page).await,
            C::MyCardEditPublished(card, page) => self.ask_edit_published(turn, card, page).await,
            C::MyCardEditConfirm(card) => self.edit_published(turn, card).await,
            C::AdminFeature(_)
            | C::AdminUnfeature(_)
            | C::AdminTakeDown(_)
            | C::AdminTakeDownWith(..)
            | C::AdminCardBack(_) => self.card_admin_callback(turn, callback).await,
            C::ForgetMeConfirm => self.forget_me(turn, true).await,
            C::ForgetMeCancel => self.forget_me(turn, false).await,
        }
    }

    /// The reply to anything unexpected: "didn't understand" and the menu.
    pub(crate) async fn unknown_input(&self, turn: &mut Turn) -> Flow {
        self.main_menu(turn, "unknown-input").await
    }

    /// A message (by key) with the main menu keyboard, with the queue size for admins.
    ///
    /// Whatever brings the menu back also leaves the step the person was in (a wizard's
    /// draft is kept): with the menu on screen, no step may go on taking text behind it, so
    /// that after a mistyped /cancle, a sticker or an old language button the next message
    /// does not become a title or a rejection reason.
    pub(crate) async fn main_menu(&self, turn: &mut Turn, key: &str) -> Flow {
        Self::leave_steps(turn);
        let pending = if turn.is_admin() && self.settings.moderation {
            Some(self.store.pending_count().await?)
        } else {
            None
        };
        let words = self.words(turn.locale);
        let mut text = words.t(key);
        if key == "help" && pending.is_some() {
            text = format!("{text}\n{}", words.t("help-admin"));
        }
        turn.send(RichText::plain(text), render::main_menu(words, pending));
        Ok(())
    }

    /// The language to write to another person in; `None` when they blocked the bot. A
    /// failure to read their profile must not undo what was decided: it gives the default.
    pub(crate) async fn recipient_locale(&self, to: UserId) -> Option<Locale> {
        let profile = self.store.user(to).await.ok();
        if profile.as_ref().is_some_and(|profile| profile.blocked_bot) {
            return None;
        }
        let locale = profile
            .and_then(|profile| profile.locale)
            .as_deref()
            .and_then(Locale::parse);
        Some(locale.unwrap_or(self.settings.default_locale))
    }

    /// Offers the web cabinet, when there is one, in a message of its own: the screen's
    /// message keeps its reply keyboard.
    pub(crate) fn offer_web_app(&self, turn: &mut Turn) {
        let Some(url) = &self.settings.web_app_url else {
            return;
        };
        let words = self.words(turn.locale);
        let button = InlineButton {
            label: words.t("btn-web-cabinet"),
            action: crate::io::ButtonAction::WebApp(url.clone()),
        };
        turn.send(
            RichText::plain(words.t("web-cabinet-offer")),
            Keyboard::Inline(vec![vec![button]]),
        );
    }

    /// Sends `text` to another person, in their language, unless they blocked the bot.
    pub(crate) async fn notify(
        &self,
        turn: &mut Turn,
        to: UserId,
        message: impl FnOnce(Words<'_>) -> (RichText, Keyboard),
    ) {
        let Some(locale) = self.recipient_locale(to).await else {
            return;
        };
        let (text, keyboard) = message(self.words(locale));
        turn.effects.push(Effect::Send {
            chat: ChatId(to.get()),
            text,
            keyboard,
        });
    }
}

/// The reply buttons of the wizard's own keyboards.
fn is_wizard_button(button: Button) -> bool {
    matches!(
        button,
        Button::Back
            | Button::Cancel
            | Button::Skip
            | Button::PhotosDone
            | Button::RemoveLastPhoto
            | Button::Keep
    )
}
