//! Vitrina's locales (work in progress).
mod locale;
pub use locale::{Locale, UnknownLocale};
