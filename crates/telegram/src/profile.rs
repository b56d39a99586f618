//! The bot's profile texts — the description shown in an empty chat and the short one on its
//! profile page — in every locale, from the catalog of strings.

use vitrina_i18n::{Arg, Catalog, Locale};

/// The profile texts for one language: `language_code` `None` is for every language Telegram
/// has no texts of its own for (the default locale's words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProfileTexts {
    pub(crate) language_code: Option<&'static str>,
    pub(crate) description: String,
    pub(crate) short_description: String,
}

/// Telegram's limits, in characters.
const DESCRIPTION_LIMIT: usize = 512;
const SHORT_DESCRIPTION_LIMIT: usize = 120;

/// The texts for the default language and each locale. The description names the admins'
/// contact when one is configured: the usage policy sends people there for questions and
/// data removal.
pub(crate) fn profile_texts(
    catalog: &Catalog,
    default_locale: Locale,
    admin_contact: Option<&str>,
) -> Vec<ProfileTexts> {
    let texts = |language_code, locale| {
        let mut description = catalog.text(locale, "bot-description");
        if let Some(contact) = admin_contact {
            description.push_str("\n\n");
            description.push_str(&catalog.text_with(
                locale,
                "bot-description-contact",
                &[("contact", Arg::from(contact))],
            ));
        }
        ProfileTexts {
            language_code,
            description: crate::render::cut_plain(&description, DESCRIPTION_LIMIT),
            short_description: crate::render::cut_plain(
                &catalog.text(locale, "bot-short-description"),
                SHORT_DESCRIPTION_LIMIT,
            ),
        }
    };
    std::iter::once(texts(None, default_locale))
        .chain(
            Locale::ALL
                .into_iter()
                .map(|locale| texts(Some(locale.code()), locale)),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_has_texts_within_telegrams_limits_and_the_contact_when_given() {
        let catalog = Catalog::load().expect("the catalog loads");
        let texts = profile_texts(&catalog, Locale::Ru, Some("@vitrina_admins"));
        assert_eq!(texts.len(), 1 + Locale::ALL.len());
        assert_eq!(texts[0].language_code, None);
        assert_eq!(
            texts[0].description,
            texts[1 + Locale::ALL
                .iter()
                .position(|l| *l == Locale::Ru)
                .expect("ru")]
            .description
        );
        for text in &texts {
            assert!(text.description.contains("@vitrina_admins"), "{text:?}");
            assert!(text.description.chars().count() <= DESCRIPTION_LIMIT);
            assert!(!text.short_description.is_empty());
            assert!(
                text.short_description.chars().count() <= SHORT_DESCRIPTION_LIMIT,
                "{text:?}"
            );
        }
        let without = profile_texts(&catalog, Locale::En, None);
        assert!(
            without
                .iter()
                .all(|text| !text.description.contains("@vitrina_admins"))
        );
        assert_ne!(without[1].description, without[2].description, "translated");
    }
}
