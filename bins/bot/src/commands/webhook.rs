//! `bot webhook set|delete|info`: the webhook as Telegram has it.

use std::io::Write as _;

use anyhow::Context as _;
use vitrina_delivery::ALLOWED_UPDATES;

use super::wiring;
use crate::cli::WebhookCommand;
use crate::config::Config;

pub async fn webhook(command: WebhookCommand, config: &Config) -> anyhow::Result<()> {
    let telegram = wiring::telegram(config, "by `bot webhook`")?;
    let mut out = std::io::stdout().lock();
    match command {
        WebhookCommand::Set => {
            let url = config.webhook_url("by `bot webhook set`")?.expose();
            let secret = config.webhook_secret("by `bot webhook set`")?;
            let status = telegram
                .get_webhook_info()
                .await
                .context("getWebhookInfo failed")?;
            if status.is_set_to(&url, ALLOWED_UPDATES) {
                writeln!(out, "webhook already set to {}", config.webhook_url("")?)?;
            } else {
                telegram
                    .set_webhook(&url, secret.expose(), ALLOWED_UPDATES)
                    .await
                    .context("setWebhook failed")?;
                writeln!(out, "webhook set to {}", config.webhook_url("")?)?;
            }
        }
        WebhookCommand::Delete {
            drop_pending_updates,
        } => {
            telegram
                .delete_webhook(drop_pending_updates)
                .await
                .context("deleteWebhook failed")?;
            let kept = if drop_pending_updates {
                "dropped"
            } else {
                "kept"
            };
            writeln!(out, "webhook deleted; pending updates {kept}")?;
        }
        WebhookCommand::Info => {
            let status = telegram
                .get_webhook_info()
                .await
                .context("getWebhookInfo failed")?;
            match &status.url {
                Some(url) => writeln!(out, "url: {url}")?,
                None => writeln!(out, "url: (none: polling works)")?,
            }
            writeln!(out, "pending updates: {}", status.pending_update_count)?;
            if let Some(kinds) = &status.allowed_updates {
                writeln!(out, "allowed updates: {}", kinds.join(", "))?;
            }
            if let Some((at, message)) = &status.last_error {
                writeln!(out, "last error: {message} (at {at})")?;
            }
        }
    }
    Ok(())
}
