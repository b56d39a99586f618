//! Moderation: the queue, decisions, and the partner told of them.

use vitrina_cards::{Card, CardId, RepositoryError};
use vitrina_i18n::Arg;
use vitrina_moderation::{
    Decision, DecisionOutcome, ReasonError, RejectionReason, StandardReason, Verdict,
};

use crate::callback::Callback;
use crate::dialog::{Conversation, DialogPorts, Flow, Turn};
use crate::io::{Effect, InlineButton, Keyboard, MessageId};
use crate::render::{self, number};
use crate::state::Moderation;
use crate::text::RichText;

impl<P: DialogPorts> Conversation<'_, P> {
    /// `/moderate` and the menu button; anyone but an admin gets the unknown-command answer.
    pub(crate) async fn moderate(&self, turn: &mut Turn) -> Flow {
        if !turn.is_admin() {
            return self.unknown_input(turn).await;
        }
        if !self.settings.moderation {
            return self.main_menu(turn, "moderation-unavailable").await;
        }
        turn.state.moderation = Some(Moderation::default());
        self.offer_web_app(turn);
        self.show_next(turn).await
    }

    /// The oldest pending card not skipped in this walk, or "the queue is empty".
    async fn show_next(&self, turn: &mut Turn) -> Flow {
        let skipped = turn
            .state
            .moderation
            .as_ref()
            .map(|m| m.skipped.clone())
            .unwrap_or_default();
        match self.store.next_pending(&skipped).await? {
            Some(card) => self.show_for_review(turn, &card).await,
            None => {
                turn.state.moderation = None;
                if skipped.is_empty() {
                    self.main_menu(turn, "moderation-empty").await
                } else {
                    // Cards skipped in this walk are still waiting: "nothing is waiting", or
                    // a plain "finished", would contradict the count on the menu.
                    self.finish_moderation(turn).await
                }
            }
        }
    }

    /// Leaves the queue, saying how many cards still wait when some do.
    pub(crate) async fn finish_moderation(&self, turn: &mut Turn) -> Flow {
        turn.state.moderation = None;
        let left = self.store.pending_count().await?;
        if left == 0 {
            return self.main_menu(turn, "moderation-finished").await;
        }
        // As the menu does: with the menu on screen no step goes on taking text.
        Self::leave_steps(turn);
        let words = self.words(turn.locale);
        let text = words.tw("moderation-finished-left", &[("left", number(left))]);
        turn.send(RichText::plain(text), render::main_menu(words, Some(left)));
        Ok(())
    }

    /// The card under review: its text, who sent it and whether it comes again after a
    /// rejection, the number waiting, and the decisions.
    async fn review_screen(
        &self,
        turn: &Turn,
        card: &Card,
    ) -> Result<(RichText, Vec<Vec<InlineButton>>), RepositoryError> {
        let left = self.store.pending_count().await?;
        let resubmitted = !self.store.log(card.id).await?.is_empty();
        let words = self.words(turn.locale);
        let mut text = render::card_text(words, &card.content)
            .paragraph()
            .text(words.tw(
                "moderation-submitter",
                &[("partner", Arg::from(self.submitter(card).await?))],
            ));
        if resubmitted {
            text = text.line().text(words.t("moderation-resubmitted"));
        }
        let text = text
            .paragraph()
            .italic(words.tw("moderation-queue", &[("left", number(left))]));
        let mut rows = vec![vec![
            words.inline("btn-approve", Callback::Approve(card.id)),
            words.inline("btn-reject", Callback::Reject(card.id)),
        ]];
        if let Some(map) = render::map_button(words, &card.content) {
            rows.push(vec![map]);
        }
        rows.push(vec![
            words.inline("btn-mod-skip", Callback::Skip(card.id)),
            words.inline("btn-mod-finish", Callback::Finish),
        ]);
        Ok((text, rows))
    }

    /// Who sent a card, as an admin can find them: name, @username and id.
    async fn submitter(&self, card: &Card) -> Result<String, RepositoryError> {
        let profile = self.store.user(card.owner).await?;
        let mut who: Vec<String> = Vec::new();
        who.extend(profile.first_name.filter(|name| !name.trim().is_empty()));
        who.extend(profile.username.map(|username| format!("@{username}")));
        who.push(format!("id {}", card.owner.get()));
        Ok(who.join(" · "))
    }

    async fn show_for_review(&self, turn: &mut Turn, card: &Card) -> Flow {
        let (text, keyboard) = self.review_screen(turn, card).await?;
        turn.send_photos(&card.content.photos);
        turn.send(text, Keyboard::Inline(keyboard));
        Ok(())
    }

    pub(crate) async fn moderation_callback(&self, turn: &mut Turn, callback: Callback) -> Flow {
        let words = self.words(turn.locale);
        if !turn.is_admin() {
            turn.answer(Some(words.t("not-allowed")), true);
            return Ok(());
        }
        if !self.settings.moderation {
            turn.answer(Some(words.t("moderation-unavailable")), true);
            return Ok(());
        }
        let walk = turn
            .state
            .moderation
            .get_or_insert_with(Moderation::default);
        walk.awaiting_reason = None;
        walk.reason_screen = None;
        match callback {
            Callback::Review(id) => match self.pending_card(id).await? {
                Some(card) => {
                    turn.answer(None, false);
                    // The notice stays as a record; its button has done its work.
                    if let Some(message) = turn.pressed() {
                        turn.strip(message);
                    }
                    self.show_for_review(turn, &card).await
                }
                None => self.already_decided(turn, id).await,
            },
            Callback::Approve(id) => self.decide(turn, id, Verdict::Approve).await,
            Callback::Reject(id) => {
                // Reasons for a card another admin has decided would lead nowhere.
                if self.pending_card(id).await?.is_none() {
                    return self.already_decided(turn, id).await;
                }
                turn.answer(None, false);
                let mut rows: Vec<_> = StandardReason::ALL
                    .iter()
                    .map(|reason| {
                        vec![words.inline(
                            render::reason_button_key(*reason),
                            Callback::RejectWith(id, *reason),
                        )]
                    })
                    .collect();
                rows.push(vec![
                    words.inline("btn-reason-other", Callback::RejectOther(id)),
                ]);
                rows.push(vec![words.inline("btn-back", Callback::RejectBack(id))]);
                // The reasons take the place of the card's buttons; Back brings them back.
                turn.show(RichText::plain(words.t("moderation-choose-reason")), rows);
                Ok(())
            }
            Callback::RejectBack(id) => {
                let Some(card) = self.pending_card(id).await? else {
                    return self.already_decided(turn, id).await;
                };
                turn.answer(None, false);
                let (text, keyboard) = self.review_screen(turn, &card).await?;
                turn.show(text, keyboard);
                Ok(())
            }
            Callback::RejectWith(id, reason) => {
                self.decide(turn, id, Verdict::Reject(RejectionReason::Standard(reason)))
                    .await
            }
            Callback::RejectOther(id) => {
                if self.pending_card(id).await?.is_none() {
                    return self.already_decided(turn, id).await;
                }
                turn.answer(None, false);
                let pressed = turn.pressed();
                let walk = walk_of(turn);
                walk.awaiting_reason = Some(id);
                walk.reason_screen = pressed;
                turn.show(
                    RichText::plain(words.t("moderation-enter-reason")),
                    vec![vec![words.inline("btn-back", Callback::Reject(id))]],
                );
                Ok(())
            }
            Callback::Skip(id) => {
                if self.pending_card(id).await?.is_none() {
                    return self.already_decided(turn, id).await;
                }
                turn.answer(None, false);
                // The skipped card's buttons go with it; the next card comes below.
                if let Some(message) = turn.pressed() {
                    turn.strip(message);
                }
                let walk = walk_of(turn);
                if !walk.skipped.contains(&id) {
                    walk.skipped.push(id);
                }
                self.show_next(turn).await
            }
            Callback::Finish => {
                turn.answer(None, false);
                if let Some(message) = turn.pressed() {
                    turn.strip(message);
                }
                self.finish_moderation(turn).await
            }
            _ => Ok(()),
        }
    }

    /// A custom rejection reason typed by the admin.
    pub(crate) async fn reason_text(&self, turn: &mut Turn, text: &str) -> Flow {
        let Some(id) = turn
            .state
            .moderation
            .as_ref()
            .and_then(|m| m.awaiting_reason)
        else {
            return self.unknown_input(turn).await;
        };
        if !turn.is_admin() {
            turn.state.moderation = None;
            return self.unknown_input(turn).await;
        }
        let words = self.words(turn.locale);
        match RejectionReason::custom(text) {
            Ok(reason) => {
                let walk = walk_of(turn);
                walk.awaiting_reason = None;
                let screen = walk.reason_screen.take();
                self.decide_on(turn, id, Verdict::Reject(reason), screen)
                    .await
            }
            Err(ReasonError::TooShort { min }) => {
                let text = words.tw(
                    "validation-reason-too-short",
                    &[("min", number(min as u64))],
                );
                turn.send(RichText::plain(text), Keyboard::None);
                Ok(())
            }
            Err(ReasonError::TooLong { max }) => {
                let text = words.tw("validation-reason-too-long", &[("max", number(max as u64))]);
                turn.send(RichText::plain(text), Keyboard::None);
                Ok(())
            }
        }
    }

    async fn decide(&self, turn: &mut Turn, id: CardId, verdict: Verdict) -> Flow {
        let screen = turn.pressed();
        self.decide_on(turn, id, verdict, screen).await
    }

    /// Applies a decision and shows it on `screen`, the message of the card under review.
    async fn decide_on(
        &self,
        turn: &mut Turn,
        id: CardId,
        verdict: Verdict,
        screen: Option<MessageId>,
    ) -> Flow {
        let decision = Decision::new(id, turn.person.id, verdict.clone(), turn.now);
        let words = self.words(turn.locale);
        let outcome = match self.store.decide(&decision).await {
            Ok(outcome) => outcome,
            Err(RepositoryError::NotFound) => DecisionOutcome::AlreadyDecided {
                current: vitrina_cards::CardStatus::Deleted,
            },
            Err(error) => return Err(error),
        };
        match outcome {
            DecisionOutcome::Applied(card) => {
                let key = match verdict {
                    Verdict::Approve => "moderation-approved",
                    Verdict::Reject(_) => "moderation-rejected",
                };
                turn.answer(Some(words.t(key)), false);
                let done = RichText::default()
                    .bold(card.content.title.as_str())
                    .paragraph()
                    .text(words.t(key));
                match screen {
                    Some(message) => turn.effects.push(Effect::Edit {
                        chat: turn.chat,
                        message,
                        text: done,
                        keyboard: Vec::new(),
                    }),
                    None => turn.send(done, Keyboard::None),
                }
                self.tell_partner(turn, &card, &verdict).await;
            }
            DecisionOutcome::AlreadyDecided { .. } => {
                return self.already_decided(turn, id).await;
            }
        }
        self.show_next(turn).await
    }

    /// The card, if it is still waiting for a decision.
    async fn pending_card(&self, id: CardId) -> Result<Option<Card>, RepositoryError> {
        Ok(self
            .store
            .card(id)
            .await?
            .filter(|card| card.status == vitrina_cards::CardStatus::Pending))
    }

    /// The card is decided. By this admin, from an old button: the button is outdated, and the
    /// card after it is on screen already. By another admin (or the partner): say so, and go
    /// on with the queue.
    async fn already_decided(&self, turn: &mut Turn, id: CardId) -> Flow {
        let log = self.store.log(id).await?;
        let decided_here = log
            .last()
            .is_some_and(|entry| entry.moderator == turn.person.id);
        if decided_here && turn.callback.is_some() {
            let text = self.words(turn.locale).t("callback-outdated");
            turn.answer(Some(text), true);
            return Ok(());
        }
        let text = self.words(turn.locale).t("moderation-already-decided");
        turn.answer(Some(text.clone()), true);
        turn.send(RichText::plain(text), Keyboard::None);
        self.show_next(turn).await
    }

    async fn tell_partner(&self, turn: &mut Turn, card: &Card, verdict: &Verdict) {
        let title = card.content.title.as_str().to_owned();
        let verdict = verdict.clone();
        self.notify(turn, card.owner, move |words| {
            let text = match &verdict {
                Verdict::Approve => {
                    words.tw("notify-card-published", &[("title", Arg::from(title))])
                }
                Verdict::Reject(reason) => words.tw(
                    "notify-card-rejected",
                    &[
                        ("title", Arg::from(title)),
                        ("reason", Arg::from(render::reason_text(words, reason))),
                    ],
                ),
            };
            (RichText::plain(text), Keyboard::None)
        })
        .await;
    }
}

fn walk_of(turn: &mut Turn) -> &mut Moderation {
    turn.state
        .moderation
        .get_or_insert_with(Moderation::default)
}
