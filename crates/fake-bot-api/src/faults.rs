//! Injected failures: the next N calls of a method fail the way Telegram fails under load.

use serde::{Deserialize, Serialize};

use crate::envelope::ApiError;

/// How an injected failure answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Fault {
    /// 429 `Too Many Requests: retry after N` with `parameters.retry_after`.
    TooManyRequests {
        /// Seconds the client must wait.
        retry_after: u32,
    },
    /// A 5xx answer (500, 502, …) in the usual JSON envelope.
    ServerError {
        /// The HTTP status and `error_code`.
        status: u16,
    },
    /// The connection is closed without an answer, as on a network failure.
    Disconnect,
    /// The call is received and never answered: the caller waits until it gives up or
    /// dies, and the call takes no effect.
    Hang,
}

impl Fault {
    /// The Bot API error this fault answers with; `None` for [`Fault::Disconnect`] and
    /// [`Fault::Hang`].
    pub(crate) fn error(self) -> Option<ApiError> {
        match self {
            Self::TooManyRequests { retry_after } => Some(ApiError::too_many_requests(retry_after)),
            Self::ServerError { status } => {
                let reason = hyper::StatusCode::from_u16(status)
                    .ok()
                    .and_then(|status| status.canonical_reason())
                    .unwrap_or("Internal Server Error");
                Some(ApiError::new(status, reason))
            }
            Self::Disconnect | Self::Hang => None,
        }
    }
}

/// One armed injection: `remaining` more calls of `method` (or of any method for `*`) fail.
#[derive(Debug, Clone)]
pub(crate) struct FaultRule {
    pub(crate) method: String,
    pub(crate) remaining: u32,
    pub(crate) fault: Fault,
}

/// The armed injections, consumed in the order they were armed.
#[derive(Debug, Default)]
pub(crate) struct Faults(Vec<FaultRule>);

impl Faults {
    pub(crate) fn arm(&mut self, method: &str, count: u32, fault: Fault) {
        if count > 0 {
            self.0.push(FaultRule {
                method: method.to_ascii_lowercase(),
                remaining: count,
                fault,
            });
        }
    }

    /// Takes one failure for a call of `method`, if one is armed.
    pub(crate) fn take(&mut self, method: &str) -> Option<Fault> {
        let method = method.to_ascii_lowercase();
        let index = self
            .0
            .iter()
            .position(|rule| rule.method == method || rule.method == "*")?;
        let rule = self.0.get_mut(index)?;
        rule.remaining -= 1;
        let fault = rule.fault;
        if rule.remaining == 0 {
            self.0.remove(index);
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn armed_faults_fire_exactly_count_times_for_their_method() {
        let mut faults = Faults::default();
        faults.arm("sendMessage", 2, Fault::ServerError { status: 502 });
        assert_eq!(faults.take("getUpdates"), None);
        assert_eq!(
            faults.take("sendmessage"),
            Some(Fault::ServerError { status: 502 })
        );
        assert_eq!(
            faults.take("sendMessage"),
            Some(Fault::ServerError { status: 502 })
        );
        assert_eq!(faults.take("sendMessage"), None);
        faults.arm("*", 1, Fault::Disconnect);
        assert_eq!(faults.take("getMe"), Some(Fault::Disconnect));
        assert_eq!(faults.take("getMe"), None);
    }

    #[test]
    fn faults_answer_with_telegram_envelopes() {
        let check = |fault: Fault, code: u16, description: &str| {
            let error = fault.error().expect("an answer");
            assert_eq!(
                (error.code, error.description.as_str()),
                (code, description)
            );
        };
        check(
            Fault::TooManyRequests { retry_after: 2 },
            429,
            "Too Many Requests: retry after 2",
        );
        check(
            Fault::ServerError { status: 500 },
            500,
            "Internal Server Error",
        );
        check(Fault::ServerError { status: 502 }, 502, "Bad Gateway");
        assert!(Fault::Disconnect.error().is_none());
    }
}
