use crate::{Button, Locale};

/// Why the [`Catalog`](crate::Catalog) could not be built.
///
/// Every variant points at a fault in the embedded Fluent files or in the crate itself, never
/// at the environment: the files are compiled into the binary.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum I18nError {
    /// The Fluent file of a locale is not among the embedded files.
    #[error("the Fluent file {path} of locale {locale} is missing")]
    MissingFile {
        /// The locale whose file is missing.
        locale: Locale,
        /// The path looked up, relative to `locales/`.
        path: String,
    },
    /// The Fluent file of a locale is not valid UTF-8.
    #[error("the Fluent file {path} of locale {locale} is not UTF-8")]
    NotUtf8 {
        /// The locale of the file.
        locale: Locale,
        /// The path of the file, relative to `locales/`.
        path: String,
        /// Where the decoding stopped.
        #[source]
        source: std::str::Utf8Error,
    },
    /// The Fluent file of a locale does not parse; the catalog refuses to start with messages
    /// silently missing.
    #[error("the Fluent file {path} of locale {locale} has syntax errors: {errors}")]
    Syntax {
        /// The locale of the file.
        locale: Locale,
        /// The path of the file, relative to `locales/`.
        path: String,
        /// The parser's errors, one per line.
        errors: String,
    },
    /// A message id is defined twice in one locale; Fluent would keep only the first.
    #[error("message {key} is defined more than once in locale {locale}")]
    DuplicateMessage {
        /// The locale of the file.
        locale: Locale,
        /// The repeated message id.
        key: String,
    },
    /// A reply button has no label in a locale, so it could not be matched there.
    #[error("button {button:?} has no label ({key}) in locale {locale}")]
    MissingButtonLabel {
        /// The button.
        button: Button,
        /// Its message id.
        key: &'static str,
        /// The locale without the label.
        locale: Locale,
    },
    /// Two different reply buttons read the same once emoji, spaces and case are ignored,
    /// so a pressed button could not be told apart.
    #[error("buttons {first:?} and {second:?} both read {label:?} once normalized")]
    AmbiguousButtons {
        /// One of the buttons.
        first: Button,
        /// The other button.
        second: Button,
        /// The normalized text they share.
        label: String,
    },
    /// `i18n-embed` refused to load the files (its own error, kept as the source).
    #[error("the Fluent loader failed")]
    Loader(#[source] Box<dyn std::error::Error + Send + Sync>),
}
