//! Telegram's WebApp `initData`: the signed query string a Mini App gets from the client.
//!
//! As Telegram documents it: the secret key is `HMAC-SHA-256(key = "WebAppData", bot_token)`,
//! and `hash` is the hex of `HMAC-SHA-256(secret_key, data_check_string)`, where the
//! data-check string is every other field as `key=value`, sorted by key, joined by `\n`. The
//! hash is compared in constant time, and an `auth_date` older than the allowed age (or from
//! the future, beyond a small clock skew) is refused.

use std::time::Duration;

use hmac::{Hmac, KeyInit as _, Mac as _};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use subtle::ConstantTimeEq as _;

type HmacSha256 = Hmac<Sha256>;

/// How far ahead of this server's clock an `auth_date` may be: clocks of Telegram's servers
/// and this one differ a little.
const CLOCK_SKEW_SECS: i64 = 60;

/// The Telegram user a valid `initData` names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebAppUser {
    /// The Telegram id.
    pub id: i64,
    /// The first name.
    #[serde(default)]
    pub first_name: String,
    /// The `@username`, without the `@`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// The client's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
}

/// Why an `initData` was refused. The page is told only "not authorized"; the reason goes to
/// the log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// No `Authorization: tma …` header.
    #[error("no initData was sent")]
    Missing,
    /// No `hash`, no `auth_date`, or a field that cannot be read.
    #[error("the initData is malformed: {0}")]
    Malformed(&'static str),
    /// The hash does not match: forged, altered, or signed for another bot.
    #[error("the initData's hash does not match")]
    BadHash,
    /// Signed too long ago.
    #[error("the initData is {age_secs} s old, more than the {max_age_secs} s allowed")]
    Stale {
        /// How old it is.
        age_secs: i64,
        /// The most allowed.
        max_age_secs: i64,
    },
    /// Signed in the future, beyond the clock skew allowed.
    #[error("the initData's auth_date is in the future")]
    FromTheFuture,
}

/// Checks `initData` for one bot.
#[derive(Clone)]
pub struct InitDataCheck {
    secret: [u8; 32],
    max_age: Duration,
}

impl std::fmt::Debug for InitDataCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InitDataCheck")
            .field("max_age", &self.max_age)
            .finish_non_exhaustive()
    }
}

impl InitDataCheck {
    /// A check for the bot of `bot_token`, refusing data signed more than `max_age` ago.
    pub fn new(bot_token: &str, max_age: Duration) -> InitDataCheck {
        InitDataCheck {
            secret: hmac(b"WebAppData", bot_token.as_bytes()),
            max_age,
        }
    }

    /// The user `init_data` names, when it is signed for this bot and fresh at `now_secs`
    /// (Unix seconds).
    ///
    /// # Errors
    /// [`AuthError`] naming why it is refused.
    pub fn verify(&self, init_data: &str, now_secs: i64) -> Result<WebAppUser, AuthError> {
        let mut fields: Vec<(String, String)> = form_urlencoded::parse(init_data.as_bytes())
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        let hash_at = fields
            .iter()
            .position(|(key, _)| key == "hash")
            .ok_or(AuthError::Malformed("no hash"))?;
        let (_, hash) = fields.swap_remove(hash_at);
        let given = decode_hex(&hash).ok_or(AuthError::Malformed("the hash is not hex"))?;
        let expected = self.hash_of(&mut fields);
        if !bool::from(expected.as_slice().ct_eq(given.as_slice())) {
            return Err(AuthError::BadHash);
        }
        let auth_date: i64 = field(&fields, "auth_date")
            .ok_or(AuthError::Malformed("no auth_date"))?
            .parse()
            .map_err(|_| AuthError::Malformed("auth_date is not a number"))?;
        let age_secs = now_secs.saturating_sub(auth_date);
        let max_age_secs = i64::try_from(self.max_age.as_secs()).unwrap_or(i64::MAX);
        if age_secs > max_age_secs {
            return Err(AuthError::Stale {
                age_secs,
                max_age_secs,
            });
        }
        if age_secs < -CLOCK_SKEW_SECS {
            return Err(AuthError::FromTheFuture);
        }
        let user = field(&fields, "user").ok_or(AuthError::Malformed("no user"))?;
        serde_json::from_str(user).map_err(|_| AuthError::Malformed("the user is not readable"))
    }

    /// A signed `initData` for `user` at `auth_date` (Unix seconds), as Telegram's client
    /// would give it: for `bot webapp-link` and tests.
    pub fn sign(&self, user: &WebAppUser, auth_date: i64) -> String {
        let user = serde_json::to_string(user).unwrap_or_default();
        let mut fields = vec![
            ("auth_date".to_owned(), auth_date.to_string()),
            ("user".to_owned(), user),
        ];
        let hash = encode_hex(&self.hash_of(&mut fields));
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (key, value) in &fields {
            out.append_pair(key, value);
        }
        out.append_pair("hash", &hash);
        out.finish()
    }

    fn hash_of(&self, fields: &mut [(String, String)]) -> [u8; 32] {
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        let check_string = fields
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect::<Vec<_>>()
            .join("\n");
        hmac(&self.secret, check_string.as_bytes())
    }
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        return [0; 32];
    };
    mac.update(message);
    mac.finalize().into_bytes().into()
}

fn encode_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(text.get(at..at + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "123456:test-token";
    const NOW: i64 = 1_800_000_000;

    fn user() -> WebAppUser {
        WebAppUser {
            id: 42,
            first_name: "Lan".into(),
            username: Some("lan_spa".into()),
            language_code: Some("vi".into()),
        }
    }

    fn check() -> InitDataCheck {
        InitDataCheck::new(TOKEN, Duration::from_secs(3600))
    }

    #[test]
    fn signed_data_is_accepted_and_names_its_user() {
        let data = check().sign(&user(), NOW - 10);
        assert_eq!(check().verify(&data, NOW), Ok(user()));
    }

    #[test]
    fn the_hash_follows_telegrams_recipe() {
        // Computed by hand from the documented steps, independent of `sign`.
        let secret = hmac(b"WebAppData", TOKEN.as_bytes());
        let check_string =
            "auth_date=1700000000\nquery_id=AAH\nuser={\"id\":7,\"first_name\":\"A\"}";
        let hash = encode_hex(&hmac(&secret, check_string.as_bytes()));
        let data = format!(
            "query_id=AAH&user=%7B%22id%22%3A7%2C%22first_name%22%3A%22A%22%7D&auth_date=1700000000&hash={hash}"
        );
        let verified = check().verify(&data, 1_700_000_100).expect("valid");
        assert_eq!(verified.id, 7);
    }

    #[test]
    fn forged_altered_and_foreign_data_is_refused() {
        let data = check().sign(&user(), NOW);
        let altered = data.replace("%2242%22", "%2243%22").replace("42", "43");
        assert_eq!(check().verify(&altered, NOW), Err(AuthError::BadHash));
        let other_bot = InitDataCheck::new("999:other", Duration::from_secs(3600));
        assert_eq!(other_bot.verify(&data, NOW), Err(AuthError::BadHash));
        let unsigned = data.split("&hash=").next().unwrap_or_default().to_owned();
        assert_eq!(
            check().verify(&unsigned, NOW),
            Err(AuthError::Malformed("no hash"))
        );
        let bad_hex = format!("{unsigned}&hash=zz");
        assert!(matches!(
            check().verify(&bad_hex, NOW),
            Err(AuthError::Malformed(_))
        ));
    }

    #[test]
    fn stale_and_future_data_is_refused() {
        let data = check().sign(&user(), NOW - 3601);
        assert_eq!(
            check().verify(&data, NOW),
            Err(AuthError::Stale {
                age_secs: 3601,
                max_age_secs: 3600
            })
        );
        let at_bound = check().sign(&user(), NOW - 3600);
        assert!(check().verify(&at_bound, NOW).is_ok());
        let future = check().sign(&user(), NOW + 3600);
        assert_eq!(check().verify(&future, NOW), Err(AuthError::FromTheFuture));
    }
}
