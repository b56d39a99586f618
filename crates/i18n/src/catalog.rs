use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use fluent::{FluentArgs, FluentValue};
use i18n_embed::LanguageLoader;
use i18n_embed::fluent::FluentLanguageLoader;
use i18n_embed::unic_langid::LanguageIdentifier;

use crate::matching::{ButtonTable, NUMBER_SLOT};
use crate::messages::{self, MessageArguments};
use crate::{Button, I18nError, Locale};

/// The Fluent domain: the files are `locales/{code}/vitrina.ftl`.
const DOMAIN: &str = "vitrina";

// `locales` in this crate is a link to the workspace's `locales/`, the one source, so that a
// packaged crate carries the files too.
#[derive(rust_embed::RustEmbed)]
#[folder = "locales/"]
struct LocaleFiles;

/// All messages of all four locales, and the reply-button table.
///
/// Built once at startup with [`Catalog::load`]; cloning is cheap (the data is shared) and the
/// catalog is `Send + Sync`, so every task can hold one.
#[derive(Clone)]
pub struct Catalog {
    inner: Arc<Inner>,
}

struct Inner {
    locales: PerLocale<LocaleMessages>,
    buttons: ButtonTable,
}

struct LocaleMessages {
    loader: FluentLanguageLoader,
    arguments: MessageArguments,
}

impl LocaleMessages {
    fn format(&self, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        // Checked here because the loader would fall back to another locale, or log and
        // answer with a sentence of its own, where the contract is the key itself.
        if !self.arguments.contains_key(key) {
            return key.to_owned();
        }
        if args.is_empty() {
            return self.loader.get(key);
        }
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent_args.set(*name, value.to_fluent());
        }
        self.loader.get_args_fluent(key, Some(&fluent_args))
    }
}

/// A value for a message argument: text is inserted as it is, a number is formatted for the
/// locale and selects plural variants (`{ $count -> [one] … *[other] … }`).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg<'a> {
    /// Text, inserted verbatim. Escape user text first if the message goes out as HTML.
    Text(Cow<'a, str>),
    /// A number.
    Number(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(text: &'a str) -> Self {
        Arg::Text(Cow::Borrowed(text))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(text: &'a String) -> Self {
        Arg::Text(Cow::Borrowed(text))
    }
}

impl From<String> for Arg<'_> {
    fn from(text: String) -> Self {
        Arg::Text(Cow::Owned(text))
    }
}

macro_rules! number_args {
    ($($ty:ty),*) => {$(
        impl From<$ty> for Arg<'_> {
            fn from(number: $ty) -> Self {
                Arg::Number(i64::from(number))
            }
        }
    )*};
}
number_args!(i8, i16, i32, i64, u8, u16, u32);

macro_rules! wide_number_args {
    ($($ty:ty),*) => {$(
        /// Saturates at `i64::MAX`, far beyond any count a message shows.
        impl From<$ty> for Arg<'_> {
            fn from(number: $ty) -> Self {
                Arg::Number(i64::try_from(number).unwrap_or(i64::MAX))
            }
        }
    )*};
}
wide_number_args!(u64, usize, isize);

impl Arg<'_> {
    fn to_fluent(&self) -> FluentValue<'_> {
        match self {
            Arg::Text(text) => FluentValue::from(text.as_ref()),
            Arg::Number(number) => FluentValue::from(*number),
        }
    }
}

impl Catalog {
    /// Loads the embedded Fluent files of every locale and builds the reply-button table.
    ///
    /// # Errors
    ///
    /// Any [`I18nError`]: a file is missing, is not UTF-8 or does not parse, defines a message
    /// twice, lacks a button label, or two buttons' labels cannot be told apart.
    pub fn load() -> Result<Catalog, I18nError> {
        let arguments = PerLocale::try_new(parse_file)?;

        let languages = Locale::ALL
            .iter()
            .map(|&locale| language_id(locale))
            .collect::<Result<Vec<_>, _>>()?;
        let master = FluentLanguageLoader::new(DOMAIN, language_id(Locale::default())?);
        master
            .load_languages(&LocaleFiles, &languages)
            .map_err(|error| I18nError::Loader(Box::new(error)))?;
        // Without this every argument arrives wrapped in U+2068/U+2069, which Telegram shows.
        master.set_use_isolating(false);

        let locales = arguments.try_map(|locale, arguments| {
            Ok::<_, I18nError>(LocaleMessages {
                loader: master.select_languages(&[language_id(locale)?]),
                arguments,
            })
        })?;

        let mut labels = Vec::new();
        for locale in Locale::ALL {
            let messages = locales.get(locale);
            for button in Button::ALL {
                let key = button.key();
                if !messages.arguments.contains_key(key) {
                    return Err(I18nError::MissingButtonLabel {
                        button,
                        key,
                        locale,
                    });
                }
                let label = if button.has_count() {
                    messages.format(key, &[(Button::COUNT_ARGUMENT, Arg::from(NUMBER_SLOT))])
                } else {
                    messages.format(key, &[])
                };
                labels.push((button, label));
            }
        }
        let buttons = ButtonTable::build(&labels)?;
        Ok(Catalog {
            inner: Arc::new(Inner { locales, buttons }),
        })
    }

    /// The message `key` in `locale`, for messages without arguments.
    ///
    /// A key the locale does not define comes back as the key itself (the parity tests keep
    /// that from happening).
    pub fn text(&self, locale: Locale, key: &str) -> String {
        self.text_with(locale, key, &[])
    }

    /// The message `key` in `locale` with its arguments, given as `(name, value)` pairs.
    ///
    /// A key the locale does not define comes back as the key itself; a missing argument shows
    /// as `{$name}`.
    pub fn text_with(&self, locale: Locale, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.inner.locales.get(locale).format(key, args)
    }

    /// Whether `locale` defines the message `key`.
    pub fn has(&self, locale: Locale, key: &str) -> bool {
        self.inner.locales.get(locale).arguments.contains_key(key)
    }

    /// Every message id `locale` defines, sorted.
    pub fn keys(&self, locale: Locale) -> impl Iterator<Item = &str> + '_ {
        self.inner
            .locales
            .get(locale)
            .arguments
            .keys()
            .map(String::as_str)
    }

    /// The argument names the message `key` reads in `locale`, sorted; `None` when the locale
    /// does not define it.
    pub fn arguments(&self, locale: Locale, key: &str) -> Option<impl Iterator<Item = &str> + '_> {
        let arguments = self.inner.locales.get(locale).arguments.get(key)?;
        Some(arguments.iter().map(String::as_str))
    }

    /// The reply button whose label, in any of the four locales, reads as `text` once emoji,
    /// variation selectors, joiners, extra whitespace and case are set aside. A button whose
    /// label shows a number ([`Button::has_count`]) matches with any number there.
    pub fn match_button(&self, text: &str) -> Option<Button> {
        self.inner.buttons.find(text)
    }
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("Catalog");
        for locale in Locale::ALL {
            debug.field(
                locale.code(),
                &format_args!(
                    "{} messages",
                    self.inner.locales.get(locale).arguments.len()
                ),
            );
        }
        debug.finish_non_exhaustive()
    }
}

fn language_id(locale: Locale) -> Result<LanguageIdentifier, I18nError> {
    locale
        .code()
        .parse()
        .map_err(|error| I18nError::Loader(Box::new(error)))
}

fn parse_file(locale: Locale) -> Result<MessageArguments, I18nError> {
    let path = format!("{}/{DOMAIN}.ftl", locale.code());
    let file = LocaleFiles::get(&path).ok_or_else(|| I18nError::MissingFile {
        locale,
        path: path.clone(),
    })?;
    let text = std::str::from_utf8(&file.data).map_err(|source| I18nError::NotUtf8 {
        locale,
        path: path.clone(),
        source,
    })?;
    messages::parse(locale, &path, text)
}

/// One value per locale, reached without indexing.
struct PerLocale<T> {
    ru: T,
    en: T,
    vi: T,
    ko: T,
}

impl<T> PerLocale<T> {
    fn try_new<E>(mut make: impl FnMut(Locale) -> Result<T, E>) -> Result<Self, E> {
        Ok(PerLocale {
            ru: make(Locale::Ru)?,
            en: make(Locale::En)?,
            vi: make(Locale::Vi)?,
            ko: make(Locale::Ko)?,
        })
    }

    fn try_map<U, E>(
        self,
        mut map: impl FnMut(Locale, T) -> Result<U, E>,
    ) -> Result<PerLocale<U>, E> {
        Ok(PerLocale {
            ru: map(Locale::Ru, self.ru)?,
            en: map(Locale::En, self.en)?,
            vi: map(Locale::Vi, self.vi)?,
            ko: map(Locale::Ko, self.ko)?,
        })
    }

    fn get(&self, locale: Locale) -> &T {
        match locale {
            Locale::Ru => &self.ru,
            Locale::En => &self.en,
            Locale::Vi => &self.vi,
            Locale::Ko => &self.ko,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::normalize;

    #[test]
    fn no_two_buttons_read_the_same_in_any_pair_of_locales() {
        let catalog = Catalog::load().expect("the embedded catalog loads");
        let mut labels = Vec::new();
        for locale in Locale::ALL {
            for button in Button::ALL {
                let label = catalog.text_with(
                    locale,
                    button.key(),
                    &[(Button::COUNT_ARGUMENT, Arg::from(7))],
                );
                labels.push((locale, button, normalize(&label)));
            }
        }
        for (locale, button, label) in &labels {
            assert!(!label.is_empty(), "{button:?} in {locale} is only emoji");
            for (other_locale, other_button, other_label) in &labels {
                if button != other_button {
                    assert_ne!(
                        label, other_label,
                        "{button:?} in {locale} and {other_button:?} in {other_locale}"
                    );
                }
            }
        }
    }
}
