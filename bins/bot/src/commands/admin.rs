//! `bot admin add|remove|list` and `bot migrate`: the database commands.

use std::io::Write as _;

use anyhow::Context as _;
use vitrina_cards::UserId;
use vitrina_moderation::AdminRepository as _;

use super::wiring;
use crate::cli::AdminCommand;
use crate::config::Config;

/// `bot migrate`: applies the pending migrations and lists them.
pub async fn migrate(config: &Config) -> anyhow::Result<()> {
    let (db, applied) = wiring::migrated_database(config).await?;
    let mut out = std::io::stdout().lock();
    for name in &applied {
        writeln!(out, "applied {name}")?;
    }
    writeln!(
        out,
        "database {} is up to date ({})",
        config.database_url(),
        db.engine()
    )?;
    Ok(())
}

/// `bot admin …`: the stored admins; configured ones (`ADMIN_IDS`) are shown and never removed.
pub async fn admin(command: AdminCommand, config: &Config) -> anyhow::Result<()> {
    let db = wiring::database(config).await?;
    let mut out = std::io::stdout().lock();
    match command {
        AdminCommand::Add { id } => {
            let added = db
                .add_admin(UserId(id))
                .await
                .context("cannot add the admin")?;
            let state = if added {
                "added"
            } else {
                "was already an admin"
            };
            writeln!(out, "{id} {state}")?;
            if let Some(telegram) = menu_client(config) {
                let catalog = wiring::catalog()?;
                let set = telegram
                    .set_admin_commands(&catalog, config.default_locale(), id)
                    .await;
                writeln!(out, "{}", menu_line(id, "with /moderate", set))?;
            }
        }
        AdminCommand::Remove { id } => {
            let removed = db
                .remove_admin(UserId(id))
                .await
                .context("cannot remove the admin")?;
            if config.admin_ids().contains(&id) {
                writeln!(out, "{id} stays an admin: it is listed in ADMIN_IDS")?;
            } else if removed {
                writeln!(out, "{id} removed")?;
                if let Some(telegram) = menu_client(config) {
                    let deleted = telegram.delete_admin_commands(id).await;
                    writeln!(out, "{}", menu_line(id, "back to the public one", deleted))?;
                }
            } else {
                writeln!(out, "{id} was not a stored admin")?;
            }
        }
        AdminCommand::List => {
            let stored = db.admins().await.context("cannot read the admins")?;
            for id in config.admin_ids() {
                writeln!(out, "{id}\tADMIN_IDS")?;
            }
            for id in stored
                .iter()
                .filter(|id| !config.admin_ids().contains(&id.get()))
            {
                writeln!(out, "{id}\tstored")?;
            }
        }
    }
    Ok(())
}

/// A Bot API client for updating an admin's command menu at once, when `BOT_TOKEN` is set;
/// without it the menus follow at the next `bot run`, which sets them for every admin.
fn menu_client(config: &Config) -> Option<vitrina_telegram::TelegramClient> {
    wiring::telegram(config, "to update the command menu").ok()
}

/// The report of a menu update, which never fails the command: the admin list changed.
fn menu_line(id: i64, what: &str, result: Result<(), vitrina_telegram::TelegramError>) -> String {
    match result {
        Ok(()) => format!("{id}: command menu {what}"),
        Err(error) => {
            format!("{id}: command menu not updated ({error}); `bot run` sets it at start")
        }
    }
}
