//! `bot card feature|unfeature|unpublish`: an operator's actions on a card, applied as an
//! admin's through the dialog (so the partner's notice is worded as the bot words it) and
//! logged by the operator, id 0.

use std::io::Write as _;

use anyhow::Context as _;
use vitrina_cards::CardId;
use vitrina_dialog::Dialog;
use vitrina_moderation::{
    AdminAction, AdminDecision, AdminOutcome, RejectionReason, StandardReason,
};

use vitrina_update_source::{UpdateId, UpdateJournal as _};

use super::wiring;
use crate::cli::CardCommand;
use crate::config::Config;

/// The update id of outbox rows no Telegram update produced.
const NO_UPDATE: u32 = 0;

/// `bot card …`
pub async fn card(command: CardCommand, config: &Config) -> anyhow::Result<()> {
    let (id, action) = match command {
        CardCommand::Feature { id } => (id, AdminAction::Feature),
        CardCommand::Unfeature { id } => (id, AdminAction::Unfeature),
        CardCommand::Unpublish { id, reason } => (id, AdminAction::Unpublish(reason_of(&reason)?)),
    };
    let db = wiring::database(config).await?;
    let dialog = Dialog::new(wiring::catalog()?, wiring::settings(config, None));
    let decision = AdminDecision::new(
        CardId(id),
        AdminDecision::OPERATOR,
        action.clone(),
        vitrina_delivery::now(),
    );
    // The change and the partner's notice commit together, the notice's lock already lapsed
    // (as the web cabinet queues its notices): the courier of a running bot sends it.
    let tx = db
        .begin_transaction()
        .await
        .context("cannot open a transaction")?;
    let (outcome, notices) = match dialog.operator_action(&tx, &decision).await {
        Ok(Some(done)) => done,
        Ok(None) => {
            db.abandon(tx).await;
            anyhow::bail!("there is no card {id} (or it is deleted)");
        }
        Err(error) => {
            db.abandon(tx).await;
            return Err(error).context("cannot change the card");
        }
    };
    let outgoing: Vec<_> = notices.iter().map(vitrina_delivery::outgoing).collect();
    db.commit(tx, UpdateId::new(NO_UPDATE), &outgoing, 0)
        .await
        .context("cannot change the card; nothing changed")?;
    let mut out = std::io::stdout().lock();
    let line = match (&outcome, &action) {
        (AdminOutcome::Applied(_), AdminAction::Feature) => format!("card {id} featured"),
        (AdminOutcome::Applied(_), AdminAction::Unfeature) => {
            format!("card {id} no longer featured")
        }
        (AdminOutcome::Applied(card), AdminAction::Unpublish(reason)) => {
            let told = if outgoing.is_empty() {
                "not told: they blocked the bot".to_owned()
            } else {
                "told through the outbox".to_owned()
            };
            format!(
                "card {id} taken down (reason {}); partner {} {told}",
                reason.to_stored(),
                card.owner
            )
        }
        (AdminOutcome::Unchanged(_), AdminAction::Feature) => {
            format!("card {id} was already featured")
        }
        (AdminOutcome::Unchanged(_), AdminAction::Unfeature) => {
            format!("card {id} was not featured")
        }
        (AdminOutcome::Unchanged(card), AdminAction::Unpublish(_)) => format!(
            "card {id} is not published ({}): nothing changed",
            card.status
        ),
    };
    writeln!(out, "{line}")?;
    Ok(())
}

/// A standard reason by its code, or the operator's own words (10–500 characters).
fn reason_of(text: &str) -> anyhow::Result<RejectionReason> {
    if let Some(standard) = StandardReason::parse(text.trim()) {
        return Ok(RejectionReason::Standard(standard));
    }
    RejectionReason::custom(text).with_context(|| {
        format!(
            "--reason {text:?} is neither a standard reason (incomplete, inappropriate, \
             bad_photo, wrong_category) nor 10–500 characters of text"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_a_standard_code_or_words_within_the_bounds() {
        assert_eq!(
            reason_of("bad_photo").ok(),
            Some(RejectionReason::Standard(StandardReason::BadPhoto))
        );
        assert_eq!(
            reason_of("Closed for good since May").ok(),
            Some(RejectionReason::Custom(
                "Closed for good since May".to_owned()
            ))
        );
        assert!(reason_of("spam").is_err(), "too short and not a code");
        assert!(reason_of(&"x".repeat(501)).is_err());
    }
}
