//! setWebhook, deleteWebhook and getWebhookInfo. Delivery itself lives in `delivery.rs`.

use std::time::Instant;

use hyper::Uri;
use serde_json::{Map, Value, json};

use super::updates::TERMINATED_BY_SET_WEBHOOK;
use crate::config::Config;
use crate::envelope::{ApiError, Reply};
use crate::params::Params;
use crate::state::{State, Webhook};

const DEFAULT_MAX_CONNECTIONS: u32 = 40;

/// Whether a secret token is one Telegram accepts: 1–256 of `A-Z a-z 0-9 _ -`.
fn check_secret(secret: &str) -> Result<(), ApiError> {
    if secret.chars().count() > 256 {
        return Err(ApiError::bad_request(
            "bad webhook: secret token is too long",
        ));
    }
    if !secret
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(ApiError::bad_request(
            "bad webhook: secret token contains unallowed characters",
        ));
    }
    Ok(())
}

/// Plain `http://` is accepted (Telegram demands HTTPS) so a bot on this machine can be the
/// target; only `http` URLs can actually be delivered to.
fn check_url(url: &str) -> Result<(), ApiError> {
    let uri: Uri = url.parse().map_err(|_| {
        ApiError::bad_request("bad webhook: Failed to resolve host: Name or service not known")
    })?;
    match uri.scheme_str() {
        Some("http" | "https") if uri.host().is_some_and(|host| !host.is_empty()) => Ok(()),
        Some("http" | "https") => Err(ApiError::bad_request(
            "bad webhook: Failed to resolve host: Name or service not known",
        )),
        _ => Err(ApiError::bad_request(
            "bad webhook: An HTTPS URL must be provided for webhook",
        )),
    }
}

fn allowed_updates(params: &Params) -> Result<Option<Vec<String>>, ApiError> {
    match params.json("allowed_updates") {
        Ok(None) => Ok(None),
        Ok(Some(Value::Array(kinds))) => Ok(Some(
            kinds
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        )),
        _ => Err(ApiError::bad_request("can't parse allowed updates")),
    }
}

pub(crate) fn set_webhook(
    state: &mut State,
    config: &Config,
    params: &Params,
) -> Result<Reply, ApiError> {
    if let Some(last) = state.last_set_webhook {
        let elapsed = last.elapsed();
        if elapsed < config.set_webhook_interval {
            let wait = config.set_webhook_interval - elapsed;
            let seconds = u32::try_from(wait.as_millis().div_ceil(1000))
                .unwrap_or(u32::MAX)
                .max(1);
            return Err(ApiError::too_many_requests(seconds));
        }
    }
    let url = params.str("url").unwrap_or_default().trim().to_owned();
    if url.is_empty() {
        state.last_set_webhook = Some(Instant::now());
        return delete_webhook(state, params);
    }
    check_url(&url)?;
    let secret_token = params
        .str("secret_token")
        .filter(|secret| !secret.is_empty());
    if let Some(secret) = &secret_token {
        check_secret(secret)?;
    }
    let max_connections = match params.i64("max_connections")? {
        None => DEFAULT_MAX_CONNECTIONS,
        Some(count) => u32::try_from(count.clamp(1, 100)).unwrap_or(DEFAULT_MAX_CONNECTIONS),
    };
    let allowed_updates = match allowed_updates(params)? {
        Some(kinds) => kinds,
        None => state.webhook.as_ref().map_or_else(
            || state.poll_allowed_updates.clone(),
            |hook| hook.allowed_updates.clone(),
        ),
    };
    let drop_pending = params.bool("drop_pending_updates")?;

    state.last_set_webhook = Some(Instant::now());
    if drop_pending {
        state.pending.clear();
    }
    if let Some(poll) = state.polls.active.take()
        && poll
            .stop
            .send(ApiError::conflict(TERMINATED_BY_SET_WEBHOOK))
            .is_ok()
    {
        state.counters.conflicts += 1;
    }
    let unchanged = state.webhook.as_ref().is_some_and(|hook| {
        hook.url == url
            && hook.secret_token == secret_token
            && hook.allowed_updates == allowed_updates
            && hook.max_connections == max_connections
    });
    if unchanged {
        return Ok(Reply::described(json!(true), "Webhook is already set"));
    }
    state.webhook_generation += 1;
    state.webhook = Some(Webhook {
        url,
        secret_token,
        allowed_updates,
        max_connections,
        generation: state.webhook_generation,
    });
    state.webhook_last_error = None;
    Ok(Reply::described(json!(true), "Webhook was set"))
}

pub(crate) fn delete_webhook(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    if params.bool("drop_pending_updates")? {
        state.pending.clear();
    }
    if state.webhook.take().is_none() {
        return Ok(Reply::described(json!(true), "Webhook is already deleted"));
    }
    state.webhook_generation += 1;
    state.webhook_last_error = None;
    Ok(Reply::described(json!(true), "Webhook was deleted"))
}

pub(crate) fn get_webhook_info(state: &State) -> Reply {
    let mut info = Map::new();
    let url = state.webhook.as_ref().map_or("", |hook| hook.url.as_str());
    info.insert("url".into(), json!(url));
    info.insert("has_custom_certificate".into(), json!(false));
    info.insert("pending_update_count".into(), json!(state.pending.len()));
    if let Some(hook) = &state.webhook {
        info.insert("max_connections".into(), json!(hook.max_connections));
        info.insert("ip_address".into(), json!("127.0.0.1"));
        if !hook.allowed_updates.is_empty() {
            info.insert("allowed_updates".into(), json!(hook.allowed_updates));
        }
        if let Some((date, message)) = &state.webhook_last_error {
            info.insert("last_error_date".into(), json!(date));
            info.insert("last_error_message".into(), json!(message));
        }
    }
    Reply::new(Value::Object(info))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_tokens_follow_telegram_rules() {
        let check = |secret: &str, expected: Result<(), &str>| {
            assert_eq!(
                check_secret(secret).map_err(|error| error.description),
                expected.map_err(str::to_owned),
                "{secret:?}"
            );
        };
        check("abc_DEF-123", Ok(()));
        check(&"a".repeat(256), Ok(()));
        check(
            &"a".repeat(257),
            Err("Bad Request: bad webhook: secret token is too long"),
        );
        check(
            "no spaces",
            Err("Bad Request: bad webhook: secret token contains unallowed characters"),
        );
        check(
            "ключ",
            Err("Bad Request: bad webhook: secret token contains unallowed characters"),
        );
    }

    #[test]
    fn webhook_urls_need_a_host_and_a_web_scheme() {
        assert!(check_url("http://127.0.0.1:8080/bot/webhook").is_ok());
        assert!(check_url("https://example.org/hook").is_ok());
        assert!(check_url("ftp://example.org/hook").is_err());
        assert!(check_url("not a url").is_err());
    }
}
