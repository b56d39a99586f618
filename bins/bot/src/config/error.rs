use std::path::PathBuf;

/// Why the configuration cannot be used.
///
/// Every variant names the variable (or file) at fault and says what was expected, so that an
/// operator can fix it from the message alone. Values of secret variables are never repeated,
/// and passwords inside URLs are masked before a value is stored here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A boolean variable holds something other than `1/0`, `true/false`, `yes/no` or `on/off`.
    #[error("{var}={value:?} is not a boolean: expected 1/0, true/false, yes/no or on/off")]
    NotBoolean {
        /// The variable as it was set (a legacy name when that one was used).
        var: &'static str,
        /// The value found.
        value: String,
    },
    /// A variable's value does not have the expected form (a URL, a number, an address…).
    #[error("{var}={value:?} is not valid: expected {expected}")]
    Invalid {
        /// The variable as it was set (a legacy name when that one was used).
        var: &'static str,
        /// The value found, with any password masked.
        value: String,
        /// What the variable accepts.
        expected: &'static str,
    },
    /// An entry of an admin list is not a Telegram user id.
    #[error(
        "{var} contains {entry:?}, which is not a Telegram user id: expected positive integers \
         separated by commas or spaces"
    )]
    AdminId {
        /// The variable that holds the entry (`ADMIN_IDS`, `ADMIN_ID` or `ADMIN_TG_IDS`).
        var: &'static str,
        /// The entry that is not an id.
        entry: String,
    },
    /// A secret variable has the wrong form; its value is deliberately not repeated.
    #[error("{var} is not valid (the value is not shown): expected {expected}")]
    InvalidSecret {
        /// The variable as it was set.
        var: &'static str,
        /// What the variable accepts.
        expected: &'static str,
    },
    /// A variable that the mode or the command needs is not set.
    #[error("{var} is not set: it is required {needed_for}")]
    Missing {
        /// The variable to set.
        var: &'static str,
        /// Who needs it, phrased to follow "it is required" (e.g. "by `bot run`").
        needed_for: &'static str,
    },
    /// The `.env` file exists but cannot be read or parsed.
    #[error("cannot read {}: {message}", path.display())]
    EnvFile {
        /// The file.
        path: PathBuf,
        /// What went wrong, with the line when the file is malformed.
        message: String,
    },
}
