//! Deep links and sharing: `/start c<ID>` opens a published card, *Share* gives its link (and,
//! to its partner, the link's QR code); an admin's *Review* works before the policy gate.

use vitrina_cards::{Card, CardId, RepositoryError};
use vitrina_i18n::Arg;

use crate::callback::Callback;
use crate::dialog::{Conversation, DialogPorts, Flow, Turn};
use crate::io::{ButtonAction, Effect, InlineButton, Keyboard};
use crate::render::{self, Words};
use crate::route::{Command, Route};
use crate::state::Links;
use crate::text::RichText;

/// The `/start` argument of a card's link: `c` and the card's id.
pub(crate) fn link_argument(card: CardId) -> String {
    format!("c{card}")
}

/// The card a `/start` argument names, if it is a card link (`c` and decimal digits only).
pub(crate) fn parse_link_argument(argument: &str) -> Option<CardId> {
    let digits = argument.strip_prefix('c')?;
    (!digits.is_empty() && digits.len() <= 19 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok().map(CardId))
        .flatten()
}

/// The link that opens `card` in the bot `username`.
pub(crate) fn card_link(username: &str, card: CardId) -> String {
    format!("https://t.me/{username}?start={}", link_argument(card))
}

impl<P: DialogPorts> Conversation<'_, P> {
    /// The deep link of `card`, when the bot knows its own username.
    pub(crate) fn link_of(&self, card: CardId) -> Option<String> {
        self.settings
            .bot_username
            .as_deref()
            .map(|username| card_link(username, card))
    }

    /// The *Share* button of a published card, when links can be made.
    pub(crate) fn share_button(&self, words: Words<'_>, card: &Card) -> Option<InlineButton> {
        (self.settings.bot_username.is_some() && card.status.is_public())
            .then(|| words.inline("btn-share", Callback::Share(card.id)))
    }

    /// A `/start c<ID>` that came before the language and the policy: the card is opened
    /// once they are done.
    pub(crate) fn remember_link(&self, turn: &mut Turn, route: &Route) {
        if *route != Route::Command(Command::Start) {
            return;
        }
        if let Some(card) = parse_link_argument(&turn.args) {
            turn.state.links.get_or_insert_with(Links::default).opening = Some(card);
        }
    }

    /// Opens the card a link asked for before the gate, now that the person is through it.
    pub(crate) async fn open_remembered_card(&self, turn: &mut Turn) -> Flow {
        let opening = turn
            .state
            .links
            .as_mut()
            .and_then(|links| links.opening.take());
        match opening {
            Some(card) => self.open_linked_card(turn, card).await,
            None => Ok(()),
        }
    }

    /// `/start <argument>` of a person through the gate: a card link opens its card; any
    /// other argument is a plain `/start`.
    pub(crate) async fn start_with_link(&self, turn: &mut Turn) -> Flow {
        match parse_link_argument(&turn.args) {
            Some(card) => self.open_linked_card(turn, card).await,
            None => self.main_menu(turn, "main-menu").await,
        }
    }

    /// The card of a link, as the catalog shows it; an unknown or unpublished one is said so,
    /// with the menu.
    async fn open_linked_card(&self, turn: &mut Turn, id: CardId) -> Flow {
        let card = self
            .store
            .card(id)
            .await?
            .filter(|card| card.status.is_public());
        let Some(card) = card else {
            return self.main_menu(turn, "link-card-unknown").await;
        };
        self.show_public_card(turn, &card, None);
        Ok(())
    }

    /// A published card as everyone sees it: its photos, then its text with the map and
    /// *Share* buttons and, where it was opened from a list, `back` to that list.
    pub(crate) fn show_public_card(
        &self,
        turn: &mut Turn,
        card: &Card,
        back: Option<InlineButton>,
    ) {
        let words = self.words(turn.locale);
        let mut rows = Vec::new();
        if let Some(map) = render::map_button(words, &card.content) {
            rows.push(vec![map]);
        }
        if let Some(venue) = render::venue_button(words, card) {
            rows.push(vec![venue]);
        }
        if let Some(share) = self.share_button(words, card) {
            rows.push(vec![share]);
        }
        if turn.is_admin() {
            rows.push(crate::card_admin::admin_row(words, card));
        }
        if let Some(back) = back {
            rows.push(vec![back]);
        }
        turn.answer(None, false);
        turn.send_photos(&card.content.photos);
        turn.send(
            render::card_text(words, &card.content),
            Keyboard::Inline(rows),
        );
    }

    /// *Share*: the card's link, with a button to share it into another chat; its partner
    /// gets the link's QR code too, to print.
    pub(crate) async fn share(&self, turn: &mut Turn, id: CardId) -> Flow {
        let card = self
            .store
            .card(id)
            .await?
            .filter(|card| card.status.is_public());
        let (Some(card), Some(link)) = (card, self.link_of(id)) else {
            return Err(RepositoryError::NotFound);
        };
        let words = self.words(turn.locale);
        let title = card.content.title.as_str();
        turn.answer(None, false);
        let text = RichText::plain(words.tw("share-card-link", &[("title", Arg::from(title))]))
            .paragraph()
            .text(link.clone());
        let forward = InlineButton {
            label: words.t("btn-share-to-chat"),
            action: ButtonAction::SwitchInline(title.to_owned()),
        };
        turn.send(text, Keyboard::Inline(vec![vec![forward]]));
        if card.owner == turn.person.id {
            let caption = words.tw("share-qr-caption", &[("title", Arg::from(title))]);
            turn.effects.push(Effect::SendQrCode {
                chat: turn.chat,
                link,
                caption: RichText::plain(caption),
            });
        }
        Ok(())
    }

    /// Whether this is an admin's moderation step taken before they chose a language or
    /// accepted the policy: a *Review* pressed on a notice before ever opening the bot, and
    /// the steps of that review. The policy is for people using the catalog; an admin doing
    /// their job is not held at the gate (they read it in their client's language).
    pub(crate) fn admin_past_the_gate(&self, turn: &Turn, route: &Route) -> bool {
        if !turn.is_admin() || !self.settings.moderation {
            return false;
        }
        let awaiting_reason = turn
            .state
            .moderation
            .as_ref()
            .is_some_and(|walk| walk.awaiting_reason.is_some());
        match route {
            Route::Callback(Some(callback)) => matches!(
                callback,
                Callback::Review(_)
                    | Callback::Approve(_)
                    | Callback::Reject(_)
                    | Callback::RejectWith(..)
                    | Callback::RejectOther(_)
                    | Callback::RejectBack(_)
                    | Callback::Skip(_)
                    | Callback::Finish
            ),
            Route::Text(_) | Route::Command(Command::Cancel) => awaiting_reason,
            _ => false,
        }
    }

    /// Handles a step [`Self::admin_past_the_gate`] let through.
    pub(crate) async fn moderation_past_the_gate(&self, turn: &mut Turn, route: Route) -> Flow {
        match route {
            Route::Callback(Some(callback)) => self.moderation_callback(turn, callback).await,
            Route::Text(text) => self.reason_text(turn, &text).await,
            _ => self.cancel(turn).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_link_round_trips_and_nothing_else_is_one() {
        let card = CardId(i64::MAX);
        assert_eq!(parse_link_argument(&link_argument(card)), Some(card));
        assert_eq!(
            card_link("vitrina_bot", CardId(12)),
            "https://t.me/vitrina_bot?start=c12"
        );
        for argument in [
            "",
            "c",
            "c-1",
            "c+1",
            "c12x",
            "12",
            "x12",
            "c99999999999999999999",
        ] {
            assert_eq!(parse_link_argument(argument), None, "{argument:?}");
        }
    }
}
