//! Start, language and policy; `/cancel`.

use vitrina_i18n::Locale;

use crate::callback::Callback;
use crate::dialog::{Conversation, DialogPorts, Flow, Turn};
use crate::io::Keyboard;
use crate::render;
use crate::text::RichText;

impl<P: DialogPorts> Conversation<'_, P> {
    pub(crate) fn language_picker(&self, turn: &mut Turn) {
        let text = self.words(turn.locale).t("language-picker");
        turn.send(RichText::plain(text), render::language_picker());
    }

    pub(crate) async fn choose_language(&self, turn: &mut Turn, code: &str) -> Flow {
        let Some(locale) = Locale::parse(code) else {
            let text = self.words(turn.locale).t("callback-outdated");
            turn.answer(Some(text), true);
            return Ok(());
        };
        if turn.user.locale.as_deref() != Some(locale.code()) {
            self.store.set_locale(turn.person.id, locale.code()).await?;
            turn.user.locale = Some(locale.code().to_owned());
        }
        turn.locale = locale;
        let changed = self.words(locale).t("language-changed");
        turn.answer(Some(changed.clone()), false);
        turn.show(RichText::plain(changed), Vec::new());
        if turn.user.has_accepted(self.settings.policy_version) {
            self.main_menu(turn, "main-menu").await?;
            self.open_remembered_card(turn).await
        } else {
            self.welcome(turn);
            Ok(())
        }
    }

    pub(crate) fn welcome(&self, turn: &mut Turn) {
        let words = self.words(turn.locale);
        let keyboard = Keyboard::Inline(vec![vec![
            words.inline("btn-accept-policy", Callback::AcceptPolicy),
            words.inline("btn-read-policy", Callback::ReadPolicy),
        ]]);
        turn.send(RichText::plain(words.t("welcome")), keyboard);
    }

    pub(crate) fn policy(&self, turn: &mut Turn) {
        // From the welcome's *Read*: the policy comes below with its own *Accept*, so the
        // welcome's buttons go.
        if let Some(message) = turn.pressed() {
            turn.strip(message);
        }
        let words = self.words(turn.locale);
        let keyboard = if turn.user.has_accepted(self.settings.policy_version) {
            Keyboard::None
        } else {
            Keyboard::Inline(vec![vec![
                words.inline("btn-accept-policy", Callback::AcceptPolicy),
            ]])
        };
        turn.send(RichText::plain(words.t("policy-text")), keyboard);
    }

    pub(crate) async fn accept_policy(&self, turn: &mut Turn) -> Flow {
        let version = self.settings.policy_version;
        if turn.user.accepted_policy != Some(version) {
            self.store.accept_policy(turn.person.id, version).await?;
            turn.user.accepted_policy = Some(version);
        }
        let accepted = self.words(turn.locale).t("policy-accepted");
        turn.answer(Some(accepted), false);
        // The policy stays readable where it was; only its buttons go.
        if let Some(message) = turn.pressed() {
            turn.strip(message);
        }
        self.main_menu(turn, "main-menu").await?;
        // A card link that brought a new person here opens now, below the menu.
        self.open_remembered_card(turn).await
    }

    /// `/cancel`: ends the wizard (its draft is dropped) or the typing of a rejection reason.
    pub(crate) async fn cancel(&self, turn: &mut Turn) -> Flow {
        if turn.state.active_wizard().is_some() {
            return self.cancel_wizard(turn).await;
        }
        let awaiting = turn
            .state
            .moderation
            .as_mut()
            .and_then(|m| m.awaiting_reason.take());
        if awaiting.is_some() && turn.is_admin() {
            // The reason's question loses its Back; the walk ends, saying what is left.
            let screen = turn
                .state
                .moderation
                .as_mut()
                .and_then(|m| m.reason_screen.take());
            if let Some(screen) = screen {
                turn.strip(screen);
            }
            return self.finish_moderation(turn).await;
        }
        self.main_menu(turn, "cancel-nothing").await
    }
}
