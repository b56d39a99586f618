//! `bot user delete`: an operator deletes a person's data, as the person's /forget_me does.

use std::io::Write as _;

use anyhow::Context as _;
use vitrina_cards::UserId;
use vitrina_dialog::UserRepository as _;

use super::wiring;
use crate::cli::UserCommand;
use crate::config::Config;

/// `bot user …`
pub async fn user(command: UserCommand, config: &Config) -> anyhow::Result<()> {
    let UserCommand::Delete { id } = command;
    let db = wiring::database(config).await?;
    let forgotten = db
        .forget(UserId(id))
        .await
        .context("cannot delete the user's data; nothing was deleted")?;
    let mut out = std::io::stdout().lock();
    if !forgotten.profile && forgotten.cards == 0 {
        writeln!(out, "user {id}: nothing was stored")?;
    } else {
        writeln!(
            out,
            "user {id} deleted: profile and dialog state, {} card(s); the moderation log keeps \
             its entries anonymised",
            forgotten.cards
        )?;
    }
    if config.admin_ids().contains(&id) {
        writeln!(out, "{id} stays an admin: it is listed in ADMIN_IDS")?;
    }
    Ok(())
}
