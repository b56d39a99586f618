//! The partner cabinet and *My cards*.

use vitrina_cards::{
    Card, CardAction, CardDraft, CardId, CardStatus, PageRequest, RepositoryError,
};
use vitrina_i18n::Arg;

use crate::callback::Callback;
use crate::dialog::{Conversation, DialogPorts, Flow, Turn};
use crate::io::{InlineButton, Keyboard};
use crate::render::{self, labelled, number};
use crate::text::RichText;

impl<P: DialogPorts> Conversation<'_, P> {
    /// Says the cabinet is off and returns `true` when `FEATURE_PARTNER_FSM` is off. Every
    /// handler of the cabinet asks first, buttons of its earlier messages included: with the
    /// flag off, an old *Hide* or *Delete* must not act either.
    pub(crate) async fn cabinet_off(&self, turn: &mut Turn) -> Result<bool, RepositoryError> {
        if self.settings.partner_cabinet {
            return Ok(false);
        }
        turn.answer(None, false);
        self.main_menu(turn, "cabinet-unavailable").await?;
        Ok(true)
    }

    pub(crate) async fn cabinet(&self, turn: &mut Turn) -> Flow {
        if self.cabinet_off(turn).await? {
            return Ok(());
        }
        let words = self.words(turn.locale);
        if turn.user.is_partner {
            turn.send(
                RichText::plain(words.t("cabinet-partner")),
                render::partner_cabinet(words),
            );
        } else {
            turn.send(
                RichText::plain(words.t("cabinet-not-partner")),
                render::visitor_cabinet(words),
            );
        }
        self.offer_web_app(turn);
        Ok(())
    }

    pub(crate) async fn become_partner(&self, turn: &mut Turn) -> Flow {
        if self.cabinet_off(turn).await? {
            return Ok(());
        }
        if turn.user.is_partner {
            // The button of a keyboard from before: starting a card here would throw away
            // the draft that Add card offers back.
            return self.cabinet(turn).await;
        }
        self.store.become_partner(turn.person.id).await?;
        turn.user.is_partner = true;
        let words = self.words(turn.locale);
        turn.send(
            RichText::plain(words.t("partner-created")),
            render::partner_cabinet(words),
        );
        self.start_wizard(turn, CardDraft::default(), None);
        Ok(())
    }

    /// *Add card*: offers a kept draft back, or starts the wizard.
    pub(crate) async fn add_card(&self, turn: &mut Turn) -> Flow {
        if self.cabinet_off(turn).await? {
            return Ok(());
        }
        if !turn.user.is_partner {
            turn.answer(None, false);
            return self.cabinet(turn).await;
        }
        turn.answer(None, false);
        // A draft with no answer yet is nothing to offer back.
        let has_answers = turn.state.wizard.as_ref().is_some_and(|wizard| {
            wizard.draft != CardDraft::default() || wizard.resubmit.is_some()
        });
        if has_answers {
            turn.state.pause_wizard();
            let draft = turn.state.wizard.as_ref().map_or(0, |wizard| wizard.id);
            let words = self.words(turn.locale);
            let keyboard = Keyboard::Inline(vec![vec![
                words.inline("btn-draft-continue", Callback::DraftContinue(draft)),
                words.inline("btn-draft-restart", Callback::DraftRestart(draft)),
            ]]);
            turn.send(RichText::plain(words.t("wizard-draft-resume")), keyboard);
            return Ok(());
        }
        self.start_wizard(turn, CardDraft::default(), None);
        Ok(())
    }

    /// A page of *My cards*: edits the list in place when a button asked for it.
    pub(crate) async fn my_cards(&self, turn: &mut Turn, page: u32) -> Flow {
        if self.cabinet_off(turn).await? {
            return Ok(());
        }
        let request = PageRequest::new(page, self.settings.page_size);
        let listing = self.store.partner_cards(turn.person.id, request).await?;
        let words = self.words(turn.locale);
        if listing.page.number != page {
            // Only a forged button, or one from before cards were deleted, names a page the
            // partner does not have: it is answered as every other bad payload is.
            turn.answer(Some(words.t("callback-outdated")), true);
            return Ok(());
        }
        if listing.items.is_empty() {
            let rows = vec![vec![labelled(
                words.button(vitrina_i18n::Button::AddCard),
                Callback::MyCardsAdd,
            )]];
            turn.show(RichText::plain(words.t("my-cards-empty")), rows);
            return Ok(());
        }
        let page = listing.page;
        let mut text = RichText::plain(words.tw(
            "my-cards-title",
            &[
                ("page", number(u64::from(page.number))),
                ("pages", number(u64::from(page.count))),
                ("count", number(page.total)),
            ],
        ));
        let first = page.offset();
        let mut rows: Vec<Vec<InlineButton>> = Vec::new();
        for (n, card) in (first + 1..).zip(&listing.items) {
            let status = words.t(render::status_key(card.status));
            text = text
                .line()
                .text(format!("{n}. "))
                .bold(card.title.as_str())
                .text(format!(" — {status}"));
            let label = words.tw(
                "btn-view-card",
                &[("title", Arg::from(card.title.as_str()))],
            );
            rows.push(vec![labelled(
                label,
                Callback::MyCard(card.id, page.number),
            )]);
        }
        rows.push(render::pager(words, page, Callback::MyCards));
        turn.show(text, rows);
        Ok(())
    }

    /// The view of one of the partner's cards: sent anew, after its photos.
    pub(crate) async fn my_card(&self, turn: &mut Turn, id: CardId, page: u32) -> Flow {
        if self.cabinet_off(turn).await? {
            return Ok(());
        }
        let card = self.store.owned_card(turn.person.id, id).await?;
        turn.answer(None, false);
        turn.send_photos(&card.content.photos);
        let (text, rows) = self.my_card_view(turn, &card, page);
        turn.send(text, Keyboard::Inline(rows));
        Ok(())
    }

    fn my_card_view(
        &self,
        turn: &Turn,
        card: &Card,
        page: u32,
    ) -> (RichText, Vec<Vec<InlineButton>>) {
        let words = self.words(turn.locale);
        let text = render::card_text(words, &card.content)
            .paragraph()
            .append(render::status_text(words, card));
        let mut rows = Vec::new();
        if let Some(map) = render::map_button(words, &card.content) {
            rows.push(vec![map]);
        }
        if let Some(venue) = render::venue_button(words, card) {
            rows.push(vec![venue]);
        }
        let edit = words.inline(
            "btn-edit-card",
            Callback::MyCardEditPublished(card.id, page),
        );
        match card.status.shown() {
            CardStatus::Published => {
                rows.push(vec![
                    words.inline("btn-hide", Callback::MyCardHide(card.id, page)),
                    edit,
                ]);
                if let Some(share) = self.share_button(words, card) {
                    rows.push(vec![share]);
                }
            }
            CardStatus::Archived => {
                rows.push(vec![
                    words.inline("btn-show", Callback::MyCardShow(card.id, page)),
                    edit,
                ]);
            }
            CardStatus::Rejected => {
                rows.push(vec![
                    words.inline("btn-edit-resubmit", Callback::MyCardEdit(card.id)),
                ]);
            }
            _ => {}
        }
        rows.push(vec![
            words.inline("btn-delete", Callback::MyCardDelete(card.id, page)),
        ]);
        rows.push(vec![
            words.inline("btn-back-to-list", Callback::MyCards(page)),
        ]);
        (text, rows)
    }

    pub(crate) async fn ask_delete(&self, turn: &mut Turn, id: CardId, page: u32) -> Flow {
        if self.cabinet_off(turn).await? {
            return Ok(());
        }
        let card = self.store.owned_card(turn.person.id, id).await?;
        let words = self.words(turn.locale);
        let text = RichText::default()
            .bold(card.content.title.as_str())
            .paragraph()
            .text(words.t("card-delete-confirm"));
        let rows = vec![vec![
            words.inline(
                "btn-delete-confirm",
                Callback::MyCardDeleteConfirm(id, page),
            ),
            words.inline("btn-delete-cancel", Callback::MyCardDeleteCancel(id, page)),
        ]];
        turn.show(text, rows);
        Ok(())
    }

    /// *Cancel* of the delete question: the card's view comes back in its place.
    pub(crate) async fn keep_card(&self, turn: &mut Turn, id: CardId, page: u32) -> Flow {
        if self.cabinet_off(turn).await? {
            return Ok(());
        }
        let card = self.store.owned_card(turn.person.id, id).await?;
        turn.answer(None, false);
        let (text, rows) = self.my_card_view(turn, &card, page);
        turn.show(text, rows);
        Ok(())
    }

    /// Hide, show or delete: a conditional change of the partner's own card.
    pub(crate) async fn partner_action(
        &self,
        turn: &mut Turn,
        id: CardId,
        page: u32,
        action: CardAction,
    ) -> Flow {
        if self.cabinet_off(turn).await? {
            return Ok(());
        }
        self.store
            .apply_partner_action(turn.person.id, id, action, turn.now)
            .await?;
        let words = self.words(turn.locale);
        if action == CardAction::Delete {
            let done = words.t("card-deleted");
            turn.answer(Some(done.clone()), false);
            // The deleted card may have been the last of its page: the way back leads to a
            // page that still exists.
            let page = self
                .store
                .partner_cards(
                    turn.person.id,
                    PageRequest::new(page, self.settings.page_size),
                )
                .await?
                .page
                .number;
            let rows = vec![vec![
                words.inline("btn-back-to-list", Callback::MyCards(page)),
            ]];
            turn.show(RichText::plain(done), rows);
            return Ok(());
        }
        let notice = words.t(if action == CardAction::Hide {
            "card-hidden"
        } else {
            "card-shown"
        });
        turn.answer(Some(notice), false);
        let card = self.store.owned_card(turn.person.id, id).await?;
        let (text, rows) = self.my_card_view(turn, &card, page);
        turn.show(text, rows);
        Ok(())
    }

    /// *✏️ Edit* of a published or hidden card: first the consequence, in place of the card's
    /// view — the card leaves the catalog until a moderator approves the edit.
    pub(crate) async fn ask_edit_published(&self, turn: &mut Turn, id: CardId, page: u32) -> Flow {
        if self.cabinet_off(turn).await? {
            return Ok(());
        }
        let card = self.store.owned_card(turn.person.id, id).await?;
        CardAction::Edit
            .apply(card.status)
            .map_err(RepositoryError::Refused)?;
        let words = self.words(turn.locale);
        turn.answer(None, false);
        let text = RichText::default()
            .bold(card.content.title.as_str())
            .paragraph()
            .text(words.t("card-edit-published-confirm"));
        let rows = vec![vec![
            words.inline("btn-edit-confirm", Callback::MyCardEditConfirm(id)),
            words.inline("btn-delete-cancel", Callback::MyCardDeleteCancel(id, page)),
        ]];
        turn.show(text, rows);
        Ok(())
    }

    /// The edit confirmed: the wizard, prefilled with the published or hidden card. The card
    /// stays as it is until the edit is submitted; submitting makes it pending.
    pub(crate) async fn edit_published(&self, turn: &mut Turn, id: CardId) -> Flow {
        if self.cabinet_off(turn).await? {
            return Ok(());
        }
        let card = self.store.owned_card(turn.person.id, id).await?;
        CardAction::Edit
            .apply(card.status)
            .map_err(RepositoryError::Refused)?;
        turn.answer(None, false);
        self.start_wizard(turn, CardDraft::from_content(&card.content), Some(id));
        Ok(())
    }

    /// *Edit and resubmit*: the wizard, prefilled with the rejected card.
    pub(crate) async fn edit_rejected(&self, turn: &mut Turn, id: CardId) -> Flow {
        if self.cabinet_off(turn).await? {
            return Ok(());
        }
        let card = self.store.owned_card(turn.person.id, id).await?;
        if card.status != CardStatus::Rejected {
            return Err(RepositoryError::Refused(vitrina_cards::TransitionError {
                from: card.status,
                to: CardStatus::Pending,
            }));
        }
        turn.answer(None, false);
        self.start_wizard(turn, CardDraft::from_content(&card.content), Some(id));
        Ok(())
    }
}
