//! An admin's actions on a published card outside the queue, from the card as they see it in
//! the catalog: mark it featured or not, take it down with a reason (the partner is told).

use vitrina_cards::{Card, CardId, RepositoryError};
use vitrina_i18n::Arg;
use vitrina_moderation::{
    AdminAction, AdminDecision, AdminOutcome, RejectionReason, StandardReason,
};

use crate::callback::Callback;
use crate::dialog::{Conversation, DialogPorts, Flow, Turn};
use crate::io::{ChatId, Effect, InlineButton, Keyboard};
use crate::render::{self, Words};
use crate::text::RichText;

/// The admin's buttons under a catalog card: featured or not, and the takedown.
pub(crate) fn admin_row(words: Words<'_>, card: &Card) -> Vec<InlineButton> {
    let feature = if card.featured {
        words.inline("btn-admin-unfeature", Callback::AdminUnfeature(card.id))
    } else {
        words.inline("btn-admin-feature", Callback::AdminFeature(card.id))
    };
    vec![
        feature,
        words.inline("btn-admin-take-down", Callback::AdminTakeDown(card.id)),
    ]
}

impl<P: DialogPorts> Conversation<'_, P> {
    /// The admin buttons of a catalog card; anyone else is refused, nothing changes.
    pub(crate) async fn card_admin_callback(&self, turn: &mut Turn, callback: Callback) -> Flow {
        let words = self.words(turn.locale);
        if !turn.is_admin() {
            turn.answer(Some(words.t("not-allowed")), true);
            return Ok(());
        }
        match callback {
            Callback::AdminFeature(id) => self.admin_act(turn, id, AdminAction::Feature).await,
            Callback::AdminUnfeature(id) => self.admin_act(turn, id, AdminAction::Unfeature).await,
            Callback::AdminTakeDownWith(id, reason) => {
                let reason = RejectionReason::Standard(reason);
                self.admin_act(turn, id, AdminAction::Unpublish(reason))
                    .await
            }
            Callback::AdminTakeDown(id) => {
                let Some(card) = self.public_card(turn, id).await? else {
                    return Ok(());
                };
                turn.answer(None, false);
                let mut rows: Vec<_> = StandardReason::ALL
                    .iter()
                    .map(|reason| {
                        vec![words.inline(
                            render::reason_button_key(*reason),
                            Callback::AdminTakeDownWith(id, *reason),
                        )]
                    })
                    .collect();
                rows.push(vec![words.inline("btn-back", Callback::AdminCardBack(id))]);
                let text = words.tw(
                    "admin-take-down-choose-reason",
                    &[("title", Arg::from(card.content.title.as_str()))],
                );
                // The reasons take the place of the card's view; Back brings it back.
                turn.show(RichText::plain(text), rows);
                Ok(())
            }
            Callback::AdminCardBack(id) => {
                let Some(card) = self.public_card(turn, id).await? else {
                    return Ok(());
                };
                turn.answer(None, false);
                self.show_admin_view(turn, &card);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The card if it is still in the catalog; otherwise the admin is told and its buttons go.
    async fn public_card(
        &self,
        turn: &mut Turn,
        id: CardId,
    ) -> Result<Option<Card>, RepositoryError> {
        let card = self
            .store
            .card(id)
            .await?
            .filter(|card| card.status.is_public());
        if card.is_none() {
            let text = self.words(turn.locale).t("admin-card-not-public");
            turn.answer(Some(text), true);
            if let Some(message) = turn.pressed() {
                turn.strip(message);
            }
        }
        Ok(card)
    }

    /// The card as an admin sees it in the catalog, in place of the pressed message.
    fn show_admin_view(&self, turn: &mut Turn, card: &Card) {
        let words = self.words(turn.locale);
        let mut rows = Vec::new();
        if let Some(map) = render::map_button(words, &card.content) {
            rows.push(vec![map]);
        }
        rows.push(admin_row(words, card));
        rows.push(vec![words.inline(
            "btn-back-to-list",
            Callback::CatalogPage {
                category: card.content.category,
                subcategory: None,
                page: 1,
            },
        )]);
        turn.show(render::card_text(words, &card.content), rows);
    }

    async fn admin_act(&self, turn: &mut Turn, id: CardId, action: AdminAction) -> Flow {
        let decision = AdminDecision::new(id, turn.person.id, action.clone(), turn.now);
        let words = self.words(turn.locale);
        match self.store.act(&decision).await? {
            AdminOutcome::Applied(card) => match &action {
                AdminAction::Unpublish(reason) => {
                    turn.answer(Some(words.t("admin-card-taken-down")), false);
                    let done = RichText::default()
                        .bold(card.content.title.as_str())
                        .paragraph()
                        .text(words.t("admin-card-taken-down"));
                    turn.show(done, Vec::new());
                    if let Some(notice) = self.take_down_notice(&card, reason).await {
                        turn.effects.push(notice);
                    }
                }
                AdminAction::Feature | AdminAction::Unfeature => {
                    let key = if card.featured {
                        "admin-card-featured"
                    } else {
                        "admin-card-unfeatured"
                    };
                    turn.answer(Some(words.t(key)), false);
                    self.show_admin_view(turn, &card);
                }
            },
            AdminOutcome::Unchanged(card) => match action {
                AdminAction::Unpublish(_) => {
                    turn.answer(Some(words.t("admin-card-not-public")), true);
                    if let Some(message) = turn.pressed() {
                        turn.strip(message);
                    }
                }
                AdminAction::Feature | AdminAction::Unfeature => {
                    // Another admin did the same meanwhile: say how it is, show it so.
                    let key = if card.featured {
                        "admin-card-featured"
                    } else {
                        "admin-card-unfeatured"
                    };
                    turn.answer(Some(words.t(key)), false);
                    if card.status.is_public() {
                        self.show_admin_view(turn, &card);
                    }
                }
            },
        }
        Ok(())
    }

    /// What tells a card's partner, in their language, that it was taken down and why;
    /// `None` when they blocked the bot.
    pub(crate) async fn take_down_notice(
        &self,
        card: &Card,
        reason: &RejectionReason,
    ) -> Option<Effect> {
        let locale = self.recipient_locale(card.owner).await?;
        let words = self.words(locale);
        let text = words.tw(
            "notify-card-taken-down",
            &[
                ("title", Arg::from(card.content.title.as_str())),
                ("reason", Arg::from(render::reason_text(words, reason))),
            ],
        );
        Some(Effect::Send {
            chat: ChatId(card.owner.get()),
            text: RichText::plain(text),
            keyboard: Keyboard::None,
        })
    }

    /// An operator's action from the command line: applied as an admin's, the partner's
    /// notice returned for the outbox. `None` when there is no such card.
    pub(crate) async fn operator_action(
        &self,
        decision: &AdminDecision,
    ) -> Result<Option<(AdminOutcome, Vec<Effect>)>, RepositoryError> {
        let outcome = match self.store.act(decision).await {
            Ok(outcome) => outcome,
            Err(RepositoryError::NotFound) => return Ok(None),
            Err(error) => return Err(error),
        };
        let mut effects = Vec::new();
        if let (AdminOutcome::Applied(card), AdminAction::Unpublish(reason)) =
            (&outcome, &decision.action)
        {
            effects.extend(self.take_down_notice(card, reason).await);
        }
        Ok(Some((outcome, effects)))
    }
}
