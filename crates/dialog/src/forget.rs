//! `/forget_me`: a person deletes everything Vitrina keeps about them, after saying yes.

use crate::callback::Callback;
use crate::dialog::{Conversation, DialogPorts, Flow, Turn};
use crate::io::Keyboard;
use crate::render::number;
use crate::state::DialogState;
use crate::text::RichText;

impl<P: DialogPorts> Conversation<'_, P> {
    /// The question, with *Yes, delete* and *No, keep*: nothing is deleted before the yes.
    pub(crate) fn ask_forget_me(&self, turn: &mut Turn) {
        let words = self.words(turn.locale);
        let rows = vec![vec![
            words.inline("btn-forget-me-yes", Callback::ForgetMeConfirm),
            words.inline("btn-forget-me-no", Callback::ForgetMeCancel),
        ]];
        turn.send(
            RichText::plain(words.t("forget-me-ask")),
            Keyboard::Inline(rows),
        );
    }

    /// The answer to the question. Yes deletes the profile, the dialog state and the cards in
    /// the update's transaction; the question becomes the confirmation, and the menu's reply
    /// keyboard goes (the next message starts from the language choice, as for a newcomer).
    pub(crate) async fn forget_me(&self, turn: &mut Turn, confirmed: bool) -> Flow {
        let words = self.words(turn.locale);
        turn.answer(None, false);
        if !confirmed {
            turn.show(RichText::plain(words.t("forget-me-kept")), Vec::new());
            return Ok(());
        }
        let forgotten = self.store.forget(turn.person.id).await?;
        turn.state = DialogState::default();
        let done = words.tw("forget-me-done", &[("cards", number(forgotten.cards))]);
        turn.show(RichText::plain(done), Vec::new());
        turn.send(
            RichText::plain(words.t("forget-me-goodbye")),
            Keyboard::RemoveReply,
        );
        Ok(())
    }
}
