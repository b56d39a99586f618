use std::fmt;
use std::str::FromStr;

/// A language Vitrina speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Locale {
    /// Russian, the default.
    #[default]
    Ru,
    /// English.
    En,
    /// Vietnamese.
    Vi,
    /// Korean.
    Ko,
}

impl Locale {
    /// Every locale, in the order the language picker shows them.
    pub const ALL: [Locale; 4] = [Locale::Ru, Locale::En, Locale::Vi, Locale::Ko];

    /// The two-letter code (`ru`, `en`, `vi`, `ko`), as used in file names and storage.
    pub const fn code(self) -> &'static str {
        match self {
            Locale::Ru => "ru",
            Locale::En => "en",
            Locale::Vi => "vi",
            Locale::Ko => "ko",
        }
    }

    /// Parses an exact code as stored or configured (`ru`, `en`, `vi`, `ko`, any case).
    pub fn parse(code: &str) -> Option<Locale> {
        let code = code.trim();
        Locale::ALL
            .into_iter()
            .find(|locale| locale.code().eq_ignore_ascii_case(code))
    }

    /// The language's name in that language (`Русский`, `English`, `Tiếng Việt`, `한국어`):
    /// the same whatever the interface language, so a reader finds their own.
    pub const fn native_name(self) -> &'static str {
        match self {
            Locale::Ru => "Русский",
            Locale::En => "English",
            Locale::Vi => "Tiếng Việt",
            Locale::Ko => "한국어",
        }
    }

    /// The flag shown beside the name (🇷🇺, 🇺🇸, 🇻🇳, 🇰🇷).
    pub const fn flag(self) -> &'static str {
        match self {
            Locale::Ru => "🇷🇺",
            Locale::En => "🇺🇸",
            Locale::Vi => "🇻🇳",
            Locale::Ko => "🇰🇷",
        }
    }

    /// The language picker's button label: flag and native name, e.g. `🇻🇳 Tiếng Việt`.
    pub fn picker_label(self) -> String {
        format!("{} {}", self.flag(), self.native_name())
    }

    /// Picks the locale for a Telegram `language_code` such as `en-US` or `ko`; anything
    /// unknown or absent gives `default`.
    pub fn from_language_code(language_code: Option<&str>, default: Locale) -> Locale {
        language_code
            .and_then(|code| code.split(['-', '_']).next())
            .and_then(Locale::parse)
            .unwrap_or(default)
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The error of [`Locale::from_str`]: the text is not one of `ru`, `en`, `vi`, `ko`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown locale {0:?}: expected one of ru, en, vi, ko")]
pub struct UnknownLocale(pub String);

impl FromStr for Locale {
    type Err = UnknownLocale;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Locale::parse(s).ok_or_else(|| UnknownLocale(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_map_to_locales_and_unknown_ones_to_the_default() {
        let cases = [
            (Some("ru"), Locale::Ru),
            (Some("en-US"), Locale::En),
            (Some("vi"), Locale::Vi),
            (Some("ko-KR"), Locale::Ko),
            (Some("de"), Locale::En),
            (None, Locale::En),
            (Some(""), Locale::En),
        ];
        for (code, expected) in cases {
            assert_eq!(
                Locale::from_language_code(code, Locale::En),
                expected,
                "{code:?}"
            );
        }
    }

    #[test]
    fn picker_labels_show_flag_and_native_name() {
        let labels: Vec<String> = Locale::ALL.into_iter().map(Locale::picker_label).collect();
        assert_eq!(
            labels,
            ["🇷🇺 Русский", "🇺🇸 English", "🇻🇳 Tiếng Việt", "🇰🇷 한국어"]
        );
    }

    #[test]
    fn parse_round_trips_every_code_and_refuses_others() {
        for locale in Locale::ALL {
            assert_eq!(locale.code().parse::<Locale>(), Ok(locale));
        }
        assert!("xx".parse::<Locale>().is_err());
    }
}
