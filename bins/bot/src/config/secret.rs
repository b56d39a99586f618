//! Secrets: values that never appear in `Debug` output, logs or `bot config`.

use std::fmt::{self, Write as _};

use sha2::{Digest, Sha256};

/// A secret value (the bot token, the webhook secret). `Debug` shows only that it is there;
/// [`Secret::expose`] gives the value to the one place that sends it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself: only for handing to the Telegram client or comparing a request's header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(****)")
    }
}

/// Whether `value` has the shape of a bot token, `<bot id>:<secret>`: the id in digits, the
/// secret in letters, digits, `_` and `-` as @BotFather issues them. It goes into URL paths
/// (`/bot{token}/…`), so nothing else may be in it; and a value of another shape would only
/// fail later, at the first call, as a puzzling 404.
pub fn valid_token(value: &str) -> bool {
    value.split_once(':').is_some_and(|(bot_id, secret)| {
        !bot_id.is_empty()
            && bot_id.bytes().all(|b| b.is_ascii_digit())
            && !secret.is_empty()
            && secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
    })
}

/// Shows a token so that an operator can tell which bot it belongs to without revealing it:
/// the bot id before the colon stays, the rest is masked.
pub fn mask_token(token: &Secret) -> String {
    match token.expose().split_once(':') {
        Some((bot_id, _)) if !bot_id.is_empty() && bot_id.chars().all(|c| c.is_ascii_digit()) => {
            format!("{bot_id}:****")
        }
        _ => "****".to_owned(),
    }
}

/// Whether `value` is acceptable to Telegram as a webhook `secret_token`.
pub fn valid_webhook_secret(value: &str) -> bool {
    (1..=256).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The webhook secret used when `WEBHOOK_SECRET` is unset: the hex SHA-256 of the token under
/// a fixed label. Every instance with the same token derives the same secret, so instances
/// behind one load balancer agree without sharing anything else, and the secret reveals nothing
/// about the token.
pub fn derive_webhook_secret(token: &Secret) -> Secret {
    let digest = Sha256::new()
        .chain_update(b"vitrina webhook secret\0")
        .chain_update(token.expose().as_bytes())
        .finalize();
    let mut hex = String::with_capacity(digest.len() * 2);
    for byte in digest.iter() {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    Secret(hex)
}
