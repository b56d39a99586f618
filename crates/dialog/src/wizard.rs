//! The add-card wizard: ten steps, each with Back and Cancel, a preview, and submission.

use vitrina_cards::{
    Address, CardDraft, CardId, Contact, Coordinates, Description, Discount, Field, MAX_PHOTOS,
    MapLink, PhotoId, Reference, Rule, Title, ValidationError,
};
use vitrina_i18n::{Arg, Button};

use crate::callback::{Callback, DraftVersion};
use crate::dialog::{Conversation, DialogPorts, Flow, Turn};
use crate::io::{Effect, InlineButton, Keyboard, ReplyButton, ReplyRequest};
use crate::render::{self, labelled, number};
use crate::state::{Step, Wizard};
use crate::text::RichText;

/// The step a field is asked at.
fn step_of(field: Field) -> Step {
    match field {
        Field::City => Step::City,
        Field::Category => Step::Category,
        Field::Title => Step::Title,
        Field::Description => Step::Description,
        Field::Contact => Step::Contact,
        Field::Address => Step::Address,
        Field::MapLink => Step::MapLink,
        Field::Photos => Step::Photos,
        Field::Discount => Step::Discount,
    }
}

/// Steps that have nothing to ask for this draft are passed over in both directions.
fn is_empty_step(reference: &Reference, step: Step, draft: &CardDraft) -> bool {
    let no_areas = draft
        .city
        .and_then(|city| reference.city(city))
        .is_none_or(|city| city.areas.is_empty());
    let no_subcategories = draft
        .category
        .and_then(|category| reference.category(category))
        .is_none_or(|category| category.subcategories.is_empty());
    (step == Step::Area && no_areas) || (step == Step::Subcategory && no_subcategories)
}

/// Stores a text answer for a text step, or says which rule it broke.
fn answer_step(step: Step, draft: &mut CardDraft, text: &str) -> Result<(), ValidationError> {
    match step {
        Step::Title => draft.title = Some(Title::parse(text)?),
        Step::Description => draft.description = Some(Description::parse(text)?),
        Step::Contact => draft.contact = Some(Contact::parse(text)?),
        Step::Address => draft.address = Some(Address::parse(text)?),
        Step::MapLink => draft.map_link = Some(MapLink::parse(text)?),
        Step::Discount => draft.discount = Some(Discount::parse(text)?),
        _ => {}
    }
    Ok(())
}

/// Clears an optional step's answer (*Skip*).
fn skip_step(step: Step, draft: &mut CardDraft) {
    match step {
        Step::Area => draft.area = None,
        Step::Subcategory => draft.subcategory = None,
        Step::Description => draft.description = None,
        Step::Address => draft.address = None,
        Step::MapLink => {
            draft.map_link = None;
            draft.location = None;
        }
        Step::Photos => draft.photos.clear(),
        Step::Discount => draft.discount = None,
        _ => {}
    }
}

fn step_key(step: Step) -> &'static str {
    match step {
        Step::City => "wizard-city",
        Step::Area => "wizard-area",
        Step::Category => "wizard-category",
        Step::Subcategory => "wizard-subcategory",
        Step::Title => "wizard-title",
        Step::Description => "wizard-description",
        Step::Contact => "wizard-contact",
        Step::Address => "wizard-address",
        Step::MapLink => "wizard-map-link",
        Step::Photos => "wizard-photos",
        Step::Discount => "wizard-discount",
        Step::Preview => "wizard-preview",
    }
}

/// The answer a text step has now, shown under its question so that *Back* visibly keeps it.
fn current_answer(step: Step, draft: &CardDraft) -> Option<String> {
    match step {
        Step::Title => draft.title.as_ref().map(|v| v.as_str().to_owned()),
        Step::Description => draft.description.as_ref().map(|v| v.as_str().to_owned()),
        Step::Contact => draft.contact.as_ref().map(|v| v.as_str().to_owned()),
        Step::Address => draft.address.as_ref().map(|v| v.as_str().to_owned()),
        // A link, or else the pin's coordinates: either answers the map step.
        Step::MapLink => draft
            .map_link
            .as_ref()
            .map(|v| v.as_str().to_owned())
            .or_else(|| draft.location.map(|place| place.to_string())),
        Step::Discount => draft.discount.as_ref().map(|v| v.as_str().to_owned()),
        _ => None,
    }
}

/// `keyboard` (a plain reply keyboard) with `request` as its first row.
fn with_request(keyboard: Keyboard, request: ReplyButton) -> Keyboard {
    let Keyboard::Reply(rows) = keyboard else {
        return keyboard;
    };
    let mut buttons = vec![vec![request]];
    buttons.extend(
        rows.into_iter()
            .map(|row| row.into_iter().map(ReplyButton::text).collect()),
    );
    Keyboard::ReplyRequesting(buttons)
}

/// The message of a broken rule, in the person's language.
fn validation_message(words: render::Words<'_>, error: ValidationError) -> String {
    let key = render::rule_key(error.rule);
    match error.rule {
        Rule::TooShort { min } => words.tw(key, &[("min", number(min as u64))]),
        Rule::TooLong { max } | Rule::TooManyPhotos { max } => {
            words.tw(key, &[("max", number(max as u64))])
        }
        _ => words.t(key),
    }
}

/// The draft and showing a wizard button was sent with.
fn callback_draft(callback: Callback) -> Option<DraftVersion> {
    match callback {
        Callback::WizardCity(at, _)
        | Callback::WizardArea(at, _)
        | Callback::WizardCategory(at, _)
        | Callback::WizardSubcategory(at, _)
        | Callback::WizardBack(at)
        | Callback::WizardCancel(at)
        | Callback::WizardSubmit(at)
        | Callback::WizardEdit(at) => Some(at),
        _ => None,
    }
}

impl<P: DialogPorts> Conversation<'_, P> {
    pub(crate) fn start_wizard(&self, turn: &mut Turn, draft: CardDraft, resubmit: Option<CardId>) {
        turn.state.wizard = Some(Wizard::new(draft, resubmit, turn.now));
        self.show_step(turn);
    }

    /// Asks the question of the wizard's current step.
    fn show_step(&self, turn: &mut Turn) {
        let Some(wizard) = turn.state.wizard.as_mut() else {
            return;
        };
        // The buttons of every earlier message of this draft are outdated from now on.
        wizard.version = wizard.version.wrapping_add(1);
        let wizard = wizard.clone();
        let at = wizard.current();
        let words = self.words(turn.locale);
        let reference = &*self.settings.reference;
        let step = wizard.step;
        let draft = &wizard.draft;
        let check = |chosen: bool, label: String| {
            if chosen {
                format!("✓ {label}")
            } else {
                label
            }
        };
        let back_cancel = vec![
            words.inline("btn-back", Callback::WizardBack(at)),
            words.inline("btn-cancel", Callback::WizardCancel(at)),
        ];
        let choices = |buttons: Vec<InlineButton>| -> Vec<Vec<InlineButton>> {
            let mut rows: Vec<Vec<InlineButton>> =
                buttons.chunks(2).map(<[InlineButton]>::to_vec).collect();
            rows.push(back_cancel.clone());
            rows
        };
        let text_keyboard = |extra: Vec<String>| -> Keyboard {
            let mut rows = Vec::new();
            if !extra.is_empty() {
                rows.push(extra);
            }
            if current_answer(step, draft).is_some() {
                // Editing: the answer on screen can be kept without typing it again.
                rows.push(vec![words.button(Button::Keep)]);
            }
            if step.is_optional() && step != Step::Photos {
                rows.push(vec![words.button(Button::Skip)]);
            }
            rows.push(vec![
                words.button(Button::Back),
                words.button(Button::Cancel),
            ]);
            Keyboard::Reply(rows)
        };
        // Built only where it is shown: the photo step's prompt needs its counts.
        let question = || words.t(step_key(step));
        match step {
            Step::City => {
                let preselected = draft.city.or(turn.user.city);
                let buttons = reference
                    .cities()
                    .iter()
                    .map(|city| {
                        let label = check(preselected == Some(city.id), words.t(&city.key));
                        labelled(label, Callback::WizardCity(at, city.id))
                    })
                    .collect();
                Self::show_screen(turn, RichText::plain(question()), choices(buttons));
            }
            Step::Area => {
                let areas = draft
                    .city
                    .and_then(|city| reference.city(city))
                    .map_or(&[][..], |c| &c.areas[..]);
                let mut buttons: Vec<InlineButton> = areas
                    .iter()
                    .map(|area| {
                        let label = check(draft.area == Some(area.id), words.t(&area.key));
                        labelled(label, Callback::WizardArea(at, Some(area.id)))
                    })
                    .collect();
                buttons.push(labelled(
                    words.button(Button::Skip),
                    Callback::WizardArea(at, None),
                ));
                Self::show_screen(turn, RichText::plain(question()), choices(buttons));
            }
            Step::Category => {
                let buttons = reference
                    .categories()
                    .iter()
                    .map(|category| {
                        let label =
                            check(draft.category == Some(category.id), words.t(&category.key));
                        labelled(label, Callback::WizardCategory(at, category.id))
                    })
                    .collect();
                Self::show_screen(turn, RichText::plain(question()), choices(buttons));
            }
            Step::Subcategory => {
                let subs = draft
                    .category
                    .and_then(|category| reference.category(category))
                    .map_or(&[][..], |c| &c.subcategories[..]);
                let mut buttons: Vec<InlineButton> = subs
                    .iter()
                    .map(|sub| {
                        let label = check(draft.subcategory == Some(sub.id), words.t(&sub.key));
                        labelled(label, Callback::WizardSubcategory(at, Some(sub.id)))
                    })
                    .collect();
                buttons.push(labelled(
                    words.button(Button::Skip),
                    Callback::WizardSubcategory(at, None),
                ));
                Self::show_screen(turn, RichText::plain(question()), choices(buttons));
            }
            Step::Photos => {
                let count = draft.photos.len() as u64;
                let text = words.tw(
                    "wizard-photos",
                    &[("count", number(count)), ("max", number(MAX_PHOTOS as u64))],
                );
                let keyboard = self.photos_keyboard(turn, draft.photos.len());
                Self::show_prompt(turn, RichText::plain(text), keyboard);
            }
            Step::Preview => {
                let Ok(content) = draft.complete() else {
                    // Unreachable through the steps; ask again rather than show half a card.
                    return;
                };
                // The album must come before the card's text, so the preview is always a new
                // screen below it.
                Self::show_prompt(turn, RichText::plain(question()), text_keyboard(Vec::new()));
                turn.send_photos(&content.photos);
                let mut keyboard =
                    vec![vec![words.inline("btn-submit", Callback::WizardSubmit(at))]];
                if let Some(map) = render::map_button(words, &content) {
                    keyboard.push(vec![map]);
                }
                keyboard.push(vec![
                    words.inline("btn-edit", Callback::WizardEdit(at)),
                    words.inline("btn-cancel", Callback::WizardCancel(at)),
                ]);
                Self::send_screen(turn, render::card_text(words, &content), keyboard);
            }
            _ => {
                let mut text = RichText::plain(question());
                let hint = match step {
                    Step::MapLink => Some("wizard-map-link-pin-hint"),
                    Step::Contact => Some("wizard-contact-share-hint"),
                    _ => None,
                };
                if let Some(hint) = hint {
                    text = text.line().text(words.t(hint));
                }
                if let Some(current) = current_answer(step, draft) {
                    text = text.paragraph().italic(current);
                }
                let keyboard = match step {
                    // The map step takes a pin too, the contact step the person's own phone:
                    // a button that sends it, above the typed answer's keyboard.
                    Step::MapLink => with_request(
                        text_keyboard(Vec::new()),
                        ReplyButton::asking(words.t("btn-share-location"), ReplyRequest::Location),
                    ),
                    Step::Contact => with_request(
                        text_keyboard(Vec::new()),
                        ReplyButton::asking(words.t("btn-share-phone"), ReplyRequest::Contact),
                    ),
                    _ => text_keyboard(Vec::new()),
                };
                Self::show_prompt(turn, text, keyboard);
            }
        }
    }

    /// A location pin or a venue: the map step's answer; at any other step a hint.
    pub(crate) async fn wizard_location(&self, turn: &mut Turn, place: Coordinates) -> Flow {
        if Self::step(turn) != Some(Step::MapLink) {
            self.wizard_unsupported(turn);
            return Ok(());
        }
        if let Some(wizard) = turn.state.wizard.as_mut() {
            wizard.draft.location = Some(place);
        }
        self.advance(turn);
        Ok(())
    }

    /// A shared contact: the contact step's answer (its phone); at any other step a hint.
    pub(crate) async fn wizard_contact(&self, turn: &mut Turn, phone: &str) -> Flow {
        if Self::step(turn) != Some(Step::Contact) {
            self.wizard_unsupported(turn);
            return Ok(());
        }
        // Telegram gives the number without its `+` at times; the international form reads
        // better on the card and is what a phone dials.
        let phone = phone.trim();
        let phone = if !phone.is_empty() && phone.chars().all(|c| c.is_ascii_digit()) {
            format!("+{phone}")
        } else {
            phone.to_owned()
        };
        self.wizard_text(turn, &phone).await
    }

    /// Shows a step with inline buttons: in place of the message whose button was pressed,
    /// else as a new screen.
    fn show_screen(turn: &mut Turn, text: RichText, keyboard: Vec<Vec<InlineButton>>) {
        let Some(pressed) = turn.pressed() else {
            Self::send_screen(turn, text, keyboard);
            return;
        };
        let previous = turn
            .state
            .wizard
            .as_mut()
            .and_then(|wizard| wizard.screen.replace(pressed));
        if let Some(previous) = previous.filter(|previous| *previous != pressed) {
            turn.strip(previous);
        }
        turn.effects.push(Effect::Edit {
            chat: turn.chat,
            message: pressed,
            text,
            keyboard,
        });
    }

    /// Sends a new screen with inline buttons, the one before it stripped of its buttons; its
    /// id is remembered when the sender reports it ([`crate::Dialog::screen_shown`]).
    fn send_screen(turn: &mut Turn, text: RichText, keyboard: Vec<Vec<InlineButton>>) {
        Self::leave_screen(turn);
        let Some(screen) = turn.state.wizard.as_ref().map(Wizard::screen_tag) else {
            return;
        };
        turn.effects.push(Effect::SendScreen {
            chat: turn.chat,
            text,
            keyboard,
            screen,
        });
    }

    /// Asks a question answered by typing or by the reply keyboard: a new message, since a
    /// reply keyboard comes only with one; the screen before it is stripped of its buttons.
    fn show_prompt(turn: &mut Turn, text: RichText, keyboard: Keyboard) {
        Self::leave_screen(turn);
        turn.send(text, keyboard);
    }

    /// Strips the wizard's screen — and the message whose button was pressed — of their
    /// buttons: the wizard goes on elsewhere, or ends.
    pub(crate) fn leave_screen(turn: &mut Turn) {
        let pressed = turn.pressed();
        let previous = turn
            .state
            .wizard
            .as_mut()
            .and_then(|wizard| wizard.screen.take());
        if let Some(pressed) = pressed {
            turn.strip(pressed);
        }
        if let Some(previous) = previous.filter(|previous| Some(*previous) != pressed) {
            turn.strip(previous);
        }
    }

    fn photos_keyboard(&self, turn: &Turn, count: usize) -> Keyboard {
        let words = self.words(turn.locale);
        Keyboard::Reply(vec![
            vec![
                words.button_count(Button::PhotosDone, count as u64),
                words.button(Button::RemoveLastPhoto),
            ],
            vec![words.button(Button::Skip)],
            vec![words.button(Button::Back), words.button(Button::Cancel)],
        ])
    }

    /// Moves the wizard to `step`, passing over steps with nothing to ask, and asks.
    fn go_to(&self, turn: &mut Turn, step: Step, forward: bool) {
        if let Some(wizard) = turn.state.wizard.as_mut() {
            let mut step = step;
            while is_empty_step(&self.settings.reference, step, &wizard.draft) {
                step = if forward {
                    step.next()
                } else {
                    step.previous().unwrap_or(Step::City)
                };
            }
            wizard.step = step;
        }
        self.show_step(turn);
    }

    fn advance(&self, turn: &mut Turn) {
        let next = turn
            .state
            .wizard
            .as_ref()
            .map_or(Step::City, |w| w.step.next());
        self.go_to(turn, next, true);
    }

    fn step(turn: &Turn) -> Option<Step> {
        turn.state
            .wizard
            .as_ref()
            .filter(|w| w.active)
            .map(|w| w.step)
    }

    pub(crate) async fn wizard_text(&self, turn: &mut Turn, text: &str) -> Flow {
        let Some(step) = Self::step(turn) else {
            return self.unknown_input(turn).await;
        };
        if !step.takes_text() {
            if step == Step::Photos {
                let hint = self.words(turn.locale).t("wizard-photo-expected");
                let keyboard = self.photos_keyboard(turn, self.photo_count(turn));
                turn.send(RichText::plain(hint), keyboard);
            } else {
                // The step's buttons are on screen above: point at them rather than ask
                // again, which would leave two screens with buttons.
                let hint = self.words(turn.locale).t("wizard-use-buttons");
                turn.send(RichText::plain(hint), Keyboard::None);
            }
            return Ok(());
        }
        let result = match turn.state.wizard.as_mut() {
            Some(wizard) => answer_step(step, &mut wizard.draft, text),
            None => Ok(()),
        };
        match result {
            Ok(()) => self.advance(turn),
            Err(error) => {
                let message = validation_message(self.words(turn.locale), error);
                turn.send(RichText::plain(message), Keyboard::None);
            }
        }
        Ok(())
    }

    fn photo_count(&self, turn: &Turn) -> usize {
        turn.state
            .wizard
            .as_ref()
            .map_or(0, |w| w.draft.photos.len())
    }

    pub(crate) async fn wizard_photo(&self, turn: &mut Turn, photo: PhotoId) -> Flow {
        if Self::step(turn) != Some(Step::Photos) {
            self.wizard_unsupported(turn);
            return Ok(());
        }
        let added = match turn.state.wizard.as_mut() {
            Some(wizard) => wizard.draft.add_photo(photo),
            None => return Ok(()),
        };
        let words = self.words(turn.locale);
        let message = match added {
            Ok(count) => words.tw(
                "wizard-photo-added",
                &[
                    ("count", number(count as u64)),
                    ("max", number(MAX_PHOTOS as u64)),
                ],
            ),
            Err(error) => validation_message(words, error),
        };
        let keyboard = self.photos_keyboard(turn, self.photo_count(turn));
        turn.send(RichText::plain(message), keyboard);
        Ok(())
    }

    /// A sticker, voice or the like — or a photo at a text step: a hint, the step stays.
    pub(crate) fn wizard_unsupported(&self, turn: &mut Turn) {
        let key = match Self::step(turn) {
            Some(Step::Photos) => "wizard-photo-expected",
            Some(step) if step.takes_text() => "wizard-text-expected",
            Some(_) => "wizard-use-buttons",
            None => return,
        };
        let hint = self.words(turn.locale).t(key);
        turn.send(RichText::plain(hint), Keyboard::None);
    }

    pub(crate) async fn wizard_button(&self, turn: &mut Turn, button: Button) -> Flow {
        let Some(step) = Self::step(turn) else {
            return self.unknown_input(turn).await;
        };
        match button {
            Button::Back => self.wizard_back(turn).await?,
            Button::Cancel => self.cancel_wizard(turn).await?,
            Button::Skip if step.is_optional() => {
                if let Some(wizard) = turn.state.wizard.as_mut() {
                    skip_step(step, &mut wizard.draft);
                }
                self.advance(turn);
            }
            Button::PhotosDone if step == Step::Photos => self.advance(turn),
            Button::Keep
                if turn
                    .state
                    .wizard
                    .as_ref()
                    .is_some_and(|wizard| current_answer(step, &wizard.draft).is_some()) =>
            {
                self.advance(turn)
            }
            Button::RemoveLastPhoto if step == Step::Photos => {
                let left = turn
                    .state
                    .wizard
                    .as_mut()
                    .map_or(0, |w| w.draft.remove_last_photo());
                let words = self.words(turn.locale);
                let text = words.tw("wizard-photo-removed", &[("count", number(left as u64))]);
                let keyboard = self.photos_keyboard(turn, left);
                turn.send(RichText::plain(text), keyboard);
            }
            _ => self.show_step(turn),
        }
        Ok(())
    }

    async fn wizard_back(&self, turn: &mut Turn) -> Flow {
        match Self::step(turn).and_then(Step::previous) {
            Some(previous) => {
                self.go_to(turn, previous, false);
                Ok(())
            }
            None => {
                // Back from the first step leaves the wizard; the draft is kept.
                Self::leave_screen(turn);
                turn.state.pause_wizard();
                self.cabinet(turn).await
            }
        }
    }

    pub(crate) async fn cancel_wizard(&self, turn: &mut Turn) -> Flow {
        Self::leave_screen(turn);
        turn.state.wizard = None;
        if !(self.settings.partner_cabinet && turn.user.is_partner) {
            return self.main_menu(turn, "wizard-cancelled").await;
        }
        let words = self.words(turn.locale);
        turn.send(
            RichText::plain(words.t("wizard-cancelled")),
            render::partner_cabinet(words),
        );
        Ok(())
    }

    pub(crate) async fn wizard_callback(&self, turn: &mut Turn, callback: Callback) -> Flow {
        let outdated = |dialog: &Self, turn: &mut Turn| {
            let text = dialog.words(turn.locale).t("callback-outdated");
            turn.answer(Some(text), true);
            Ok(())
        };
        match callback {
            Callback::DraftContinue(draft) => {
                let Some(wizard) = turn.state.wizard.as_mut().filter(|w| w.id == draft) else {
                    return outdated(self, turn);
                };
                wizard.active = true;
                turn.answer(None, false);
                self.show_step(turn);
                return Ok(());
            }
            Callback::DraftRestart(draft) => {
                let offered = turn.state.wizard.as_ref().is_some_and(|w| w.id == draft);
                if !turn.user.is_partner || !offered {
                    return outdated(self, turn);
                }
                turn.answer(None, false);
                self.start_wizard(turn, CardDraft::default(), None);
                return Ok(());
            }
            _ => {}
        }
        let Some(step) = Self::step(turn) else {
            return outdated(self, turn);
        };
        let on_screen = turn.state.wizard.as_ref().map(Wizard::current);
        if callback_draft(callback) != on_screen {
            return outdated(self, turn);
        }
        // The press is answered only once it is known to be valid: a query takes one answer,
        // and a button of an earlier step must get the "outdated" alert, not a silent one.
        let result = {
            let Some(wizard) = turn.state.wizard.as_mut() else {
                return outdated(self, turn);
            };
            let draft = &mut wizard.draft;
            let reference = &*self.settings.reference;
            match (callback, step) {
                (Callback::WizardCity(_, city), Step::City) => {
                    draft.set_city(reference, city).map(|()| true)
                }
                (Callback::WizardArea(_, area), Step::Area) => {
                    draft.set_area(reference, area).map(|()| true)
                }
                (Callback::WizardCategory(_, category), Step::Category) => {
                    draft.set_category(reference, category).map(|()| true)
                }
                (Callback::WizardSubcategory(_, sub), Step::Subcategory) => {
                    draft.set_subcategory(reference, sub).map(|()| true)
                }
                (
                    Callback::WizardBack(_)
                    | Callback::WizardCancel(_)
                    | Callback::WizardSubmit(_)
                    | Callback::WizardEdit(_),
                    _,
                ) => Ok(false),
                _ => return outdated(self, turn),
            }
        };
        let valid = match (callback, &result) {
            (_, Err(_)) => false,
            (_, Ok(true)) | (Callback::WizardBack(_) | Callback::WizardCancel(_), _) => true,
            (Callback::WizardEdit(_) | Callback::WizardSubmit(_), _) => step == Step::Preview,
            _ => false,
        };
        if !valid {
            return outdated(self, turn);
        }
        turn.answer(None, false);
        match (callback, result) {
            (_, Ok(true)) => {
                self.advance(turn);
                Ok(())
            }
            (Callback::WizardBack(_), _) => self.wizard_back(turn).await,
            (Callback::WizardCancel(_), _) => self.cancel_wizard(turn).await,
            (Callback::WizardEdit(_), _) => {
                self.go_to(turn, Step::City, true);
                Ok(())
            }
            (Callback::WizardSubmit(_), _) => self.submit(turn).await,
            _ => outdated(self, turn),
        }
    }

    async fn submit(&self, turn: &mut Turn) -> Flow {
        let Some(wizard) = turn.state.wizard.clone() else {
            return Ok(());
        };
        let content = match wizard.draft.complete() {
            Ok(content) => content,
            Err(error) => {
                let message = validation_message(self.words(turn.locale), error);
                turn.send(RichText::plain(message), Keyboard::None);
                self.go_to(turn, step_of(error.field), true);
                return Ok(());
            }
        };
        let owner = turn.person.id;
        // Who sent the card, as the admins reviewing it will read it.
        self.store
            .set_name(
                owner,
                &turn.person.first_name,
                turn.person.username.as_deref(),
            )
            .await?;
        let id = match wizard.resubmit {
            Some(id) => {
                self.store.resubmit(owner, id, &content, turn.now).await?;
                id
            }
            None => self.store.submit_new(owner, &content, turn.now).await?,
        };
        // The preview stays readable as what was sent; its buttons go.
        Self::leave_screen(turn);
        turn.state.wizard = None;
        let words = self.words(turn.locale);
        turn.send(
            RichText::plain(words.t("wizard-submitted")),
            render::partner_cabinet(words),
        );
        let partner = match &turn.person.username {
            Some(username) => format!("{} (@{username})", turn.person.first_name),
            None => turn.person.first_name.clone(),
        };
        for admin in self.admins().await?.all() {
            let title = content.title.as_str().to_owned();
            let partner = partner.clone();
            self.notify(turn, admin, move |words| {
                let text = words.tw(
                    "notify-new-submission",
                    &[("title", Arg::from(title)), ("partner", Arg::from(partner))],
                );
                let keyboard =
                    Keyboard::Inline(vec![vec![words.inline("btn-review", Callback::Review(id))]]);
                (RichText::plain(text), keyboard)
            })
            .await;
        }
        Ok(())
    }
}
