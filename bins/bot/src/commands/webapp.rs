//! The web cabinet (Mini App): its mount on the HTTP server, the menu button, and
//! `bot webapp-link`.

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use tracing::{info, warn};
use vitrina_delivery::Dispatcher;
use vitrina_http::Mount;
use vitrina_i18n::Catalog;
use vitrina_storage::Db;
use vitrina_telegram::{TelegramClient, TelegramFiles};
use vitrina_webapp::{InitDataCheck, MAX_BODY_BYTES, Photos, WebApp, WebAppUser};

use super::wiring;
use crate::config::Config;

/// The page and its API under `WEB_APP_URL`'s path, when it is set.
pub fn mount(config: &Config, dispatcher: &Arc<Dispatcher<Db>>) -> anyhow::Result<Option<Mount>> {
    let Some(web_app) = config.web_app() else {
        return Ok(None);
    };
    let token = config.bot_token("by the web cabinet (WEB_APP_URL)")?;
    let api_url = config.telegram_api_url().expose();
    let files = TelegramFiles::new(&api_url, token.expose());
    let app = WebApp::new(
        dispatcher.store().clone(),
        wiring::catalog()?,
        dispatcher.dialog().settings().clone(),
        InitDataCheck::new(token.expose(), web_app.max_age),
        Some(Photos::new(files, web_app.photo_chat)),
    );
    let prefix = web_app.prefix().to_owned();
    info!(url = %web_app.url, path = %prefix, "the web cabinet is served");
    let mount_prefix = prefix.clone();
    Ok(Some(Mount::new(
        &mount_prefix,
        MAX_BODY_BYTES,
        move |request| {
            let (app, prefix) = (app.clone(), prefix.clone());
            async move { app.handle_under(&prefix, request).await }
        },
    )))
}

/// Makes the chats' menu button open the web cabinet, when there is one; a failure is only
/// logged (the cabinet's own button still offers it).
pub async fn offer_in_menu(config: &Config, catalog: &Catalog, telegram: &TelegramClient) {
    let Some(web_app) = config.web_app() else {
        return;
    };
    let text = catalog.text(config.default_locale(), "btn-web-cabinet");
    if let Err(error) = telegram
        .set_web_app_menu_button(&text, &web_app.url.expose())
        .await
    {
        warn!(%error, "could not set the menu button to the web cabinet");
    }
}

/// `bot webapp-link --user ID`: the page's URL with a signed `initData`, as Telegram's client
/// opens it (`#tgWebAppData=…`).
pub fn link(
    config: &Config,
    user: i64,
    first_name: &str,
    language: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let web_app = config
        .web_app()
        .context("WEB_APP_URL is not set: it is required by `bot webapp-link`")?;
    let token = config.bot_token("by `bot webapp-link`")?;
    let check = InitDataCheck::new(token.expose(), web_app.max_age);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the system clock is before 1970")?
        .as_secs();
    let init_data = check.sign(
        &WebAppUser {
            id: user,
            first_name: first_name.to_owned(),
            username: None,
            language_code: language.map(str::to_owned),
        },
        i64::try_from(now).unwrap_or(i64::MAX),
    );
    let fragment: String = form_encode(&[
        ("tgWebAppData", init_data.as_str()),
        ("tgWebAppVersion", "7.0"),
        ("tgWebAppPlatform", "web"),
    ]);
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}#{fragment}", web_app.url.expose())?;
    writeln!(out, "initData: {init_data}")?;
    Ok(ExitCode::SUCCESS)
}

fn form_encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={}", percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes everything but unreserved characters, as a URL fragment's value needs.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}
