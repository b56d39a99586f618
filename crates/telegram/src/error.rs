//! What can go wrong talking to the Bot API, in this crate's terms.

/// A failed Bot API call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TelegramError {
    /// The Bot API answered with an error (`ok: false`).
    #[error("Bot API error {code}: {description}")]
    Api {
        /// The `error_code` (the HTTP status): 400, 403, 409, 429, 5xx…
        code: u16,
        /// Telegram's `description`, e.g. `Forbidden: bot was blocked by the user`.
        description: String,
        /// `parameters.retry_after` of a 429: seconds to wait before the next call.
        retry_after: Option<u32>,
    },
    /// No answer: the connection failed or timed out, or something other than the Bot API
    /// (a proxy's error page) answered.
    #[error("network error: {0}")]
    Network(String),
    /// The answer was JSON but not of the expected shape, or an update had no `update_id`.
    #[error("unexpected answer: {0}")]
    Decode(String),
    /// The request could not be made at all: a malformed token or base URL, or a parameter
    /// that does not serialise.
    #[error("invalid request: {0}")]
    Request(String),
}

/// Why a `getUpdates` call met a 409 Conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictCause {
    /// Another process polls with the same token (the newest poller wins).
    OtherPoller,
    /// A webhook is set (or was just set), so polling is refused.
    WebhookActive,
}

/// Longest piece of an unreadable answer kept in an error, so logs stay readable.
const ANSWER_EXCERPT: usize = 200;

impl TelegramError {
    /// The HTTP status of an API error.
    pub fn code(&self) -> Option<u16> {
        match self {
            TelegramError::Api { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// Telegram's description of an API error.
    pub fn description(&self) -> Option<&str> {
        match self {
            TelegramError::Api { description, .. } => Some(description),
            _ => None,
        }
    }

    /// Whether this is a 409 Conflict (polling refused).
    pub fn is_conflict(&self) -> bool {
        self.code() == Some(409)
    }

    /// Why polling was refused, for a 409; `None` for any other error.
    ///
    /// Telegram uses one status for two situations that need different handling, so the
    /// description decides: "terminated by other getUpdates request" versus "can't use
    /// getUpdates method while webhook is active" (or "terminated by setWebhook request").
    pub fn conflict_cause(&self) -> Option<ConflictCause> {
        if !self.is_conflict() {
            return None;
        }
        let description = self.description().unwrap_or_default().to_ascii_lowercase();
        if description.contains("webhook") {
            Some(ConflictCause::WebhookActive)
        } else {
            Some(ConflictCause::OtherPoller)
        }
    }

    /// Whether the person can no longer be written to (403: blocked the bot, deactivated,
    /// never started it).
    pub fn is_blocked(&self) -> bool {
        self.code() == Some(403)
    }

    /// Whether an edit failed only because the message already reads that way.
    pub fn is_not_modified(&self) -> bool {
        self.code() == Some(400)
            && self
                .description()
                .is_some_and(|description| description.contains("message is not modified"))
    }

    /// Whether a file id of another kind was sent as a photo (an image that arrived as a
    /// document can only be sent back as a document).
    pub(crate) fn is_file_type_mismatch(&self) -> bool {
        self.code() == Some(400)
            && self.description().is_some_and(|description| {
                description.contains("type of file mismatch")
                    || description.contains("can't use file of type")
            })
    }

    /// `retry_after` of a 429.
    pub fn retry_after(&self) -> Option<u32> {
        match self {
            TelegramError::Api {
                code: 429,
                retry_after,
                ..
            } => *retry_after,
            _ => None,
        }
    }

    /// Whether trying the same call again may succeed: 5xx answers and network failures.
    /// (A 429 is retryable too, after its `retry_after`.)
    pub(crate) fn is_transient(&self) -> bool {
        match self {
            TelegramError::Api { code, .. } => *code >= 500,
            TelegramError::Network(_) => true,
            TelegramError::Decode(_) | TelegramError::Request(_) => false,
        }
    }

    /// The Bot API's refusal of a call.
    pub(crate) fn refused(response: frankenstein::response::ErrorResponse) -> TelegramError {
        TelegramError::Api {
            code: u16::try_from(response.error_code).unwrap_or(u16::MAX),
            description: response.description,
            retry_after: response
                .parameters
                .and_then(|parameters| parameters.retry_after)
                .map(u32::from),
        }
    }

    /// An answer whose body `input` could not be read as the call's.
    pub(crate) fn unreadable(source: &serde_json::Error, input: &[u8]) -> TelegramError {
        let excerpt: String = String::from_utf8_lossy(input)
            .chars()
            .take(ANSWER_EXCERPT)
            .collect();
        // The Bot API always answers JSON, whatever the status; an answer that is not JSON at
        // all came from something in between and says nothing about the call.
        if source.is_syntax() || source.is_eof() {
            TelegramError::Network(format!("the answer is not JSON: {excerpt:?}"))
        } else {
            TelegramError::Decode(format!("{source} in {excerpt:?}"))
        }
    }

    /// A request that did not get an answer (or whose answer broke off), without its URL,
    /// which holds the token.
    pub(crate) fn unanswered(error: frankenstein::reqwest::Error) -> TelegramError {
        TelegramError::Network(chain(&error.without_url()))
    }
}

/// The error and its sources on one line: reqwest's own message ("error sending request")
/// names no cause, nor does hyper's.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: u16, description: &str) -> TelegramError {
        TelegramError::Api {
            code,
            description: description.to_owned(),
            retry_after: None,
        }
    }

    #[test]
    fn conflicts_are_told_apart_by_their_description() {
        let check = |error: TelegramError, expected: Option<ConflictCause>| {
            assert_eq!(error.conflict_cause(), expected, "{error}");
            assert_eq!(error.is_conflict(), expected.is_some(), "{error}");
        };
        check(
            api(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
            ),
            Some(ConflictCause::OtherPoller),
        );
        check(
            api(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            ),
            Some(ConflictCause::WebhookActive),
        );
        check(
            api(409, "Conflict: terminated by setWebhook request"),
            Some(ConflictCause::WebhookActive),
        );
        check(api(400, "Bad Request: webhook is active"), None);
        check(TelegramError::Network("timeout".to_owned()), None);
    }

    #[test]
    fn classification_follows_status_and_description() {
        let blocked = api(403, "Forbidden: bot was blocked by the user");
        assert!(blocked.is_blocked() && !blocked.is_transient());
        let not_modified = api(
            400,
            "Bad Request: message is not modified: specified new message content and reply markup are exactly the same",
        );
        assert!(not_modified.is_not_modified() && !not_modified.is_blocked());
        assert!(api(502, "Bad Gateway").is_transient());
        assert!(TelegramError::Network("reset".to_owned()).is_transient());
        assert!(!TelegramError::Decode("shape".to_owned()).is_transient());
        let flood = TelegramError::Api {
            code: 429,
            description: "Too Many Requests: retry after 3".to_owned(),
            retry_after: Some(3),
        };
        assert_eq!(flood.retry_after(), Some(3));
        assert!(!flood.is_transient());
        assert!(api(400, "Bad Request: type of file mismatch").is_file_type_mismatch());
    }

    #[test]
    fn answers_convert_at_the_edge() {
        let response: frankenstein::response::ErrorResponse = serde_json::from_str(
            r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#,
        )
        .expect("an error response");
        let error = TelegramError::refused(response);
        assert_eq!(error.code(), Some(429));
        assert_eq!(error.retry_after(), Some(7));

        let not_json =
            serde_json::from_str::<serde_json::Value>("<html>502</html>").expect_err("not JSON");
        let error = TelegramError::unreadable(&not_json, b"<html>502</html>");
        assert!(matches!(error, TelegramError::Network(_)), "{error:?}");

        let wrong_shape = serde_json::from_str::<u32>(r#""text""#).expect_err("not a number");
        let error = TelegramError::unreadable(&wrong_shape, br#"{"ok":true,"result":"text"}"#);
        assert!(matches!(error, TelegramError::Decode(_)), "{error:?}");
    }
}
