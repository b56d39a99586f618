//! The words of the page and of the API's answers, from the Fluent catalog: the same keys the
//! wizard and the moderation screens use, so a rule or a status reads the same in the chat and
//! on the page.

use std::collections::BTreeMap;

use vitrina_cards::{CardStatus, Reference, Rule, ValidationError};
use vitrina_i18n::{Arg, Catalog, Locale};
use vitrina_moderation::{RejectionReason, StandardReason};

/// The prefix of the keys written for the page alone (`## web cabinet` in each `.ftl`).
pub const PAGE_KEY_PREFIX: &str = "web-";

/// Keys of the chat the page shows as they are.
const SHARED_KEYS: &[&str] = &[
    "btn-approve",
    "btn-reject",
    "btn-reason-other",
    "moderation-already-decided",
    "moderation-empty",
    "moderation-approved",
    "moderation-rejected",
    "not-allowed",
    "cabinet-unavailable",
    "moderation-unavailable",
    "my-cards-empty",
    "card-delete-confirm",
    "card-hidden",
    "card-shown",
    "card-deleted",
    "wizard-submitted",
];

/// The catalog in one person's language.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    pub(crate) catalog: &'a Catalog,
    pub(crate) reference: &'a Reference,
    pub(crate) locale: Locale,
}

impl Words<'_> {
    /// A message without arguments.
    pub fn t(&self, key: &str) -> String {
        self.catalog.text(self.locale, key)
    }

    /// A message with arguments.
    pub fn tw(&self, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.catalog.text_with(self.locale, key, args)
    }

    /// Every string the page shows, by key: its own and the chat's it shares.
    pub fn page_strings(&self) -> BTreeMap<String, String> {
        let own = self
            .catalog
            .keys(self.locale)
            .filter(|key| key.starts_with(PAGE_KEY_PREFIX))
            .map(str::to_owned)
            .collect::<Vec<_>>();
        let statuses = CardStatus::ALL.into_iter().map(status_key);
        let reasons = StandardReason::ALL
            .into_iter()
            .flat_map(|reason| [reason_key(reason), reason_button_key(reason)]);
        own.into_iter()
            .chain(SHARED_KEYS.iter().map(|key| (*key).to_owned()))
            .chain(statuses.chain(reasons).map(str::to_owned))
            .map(|key| {
                let text = self.t(&key);
                (key, text)
            })
            .collect()
    }

    /// The message of a broken rule, as the wizard words it.
    pub fn validation(&self, error: ValidationError) -> String {
        let key = rule_key(error.rule);
        match error.rule {
            Rule::TooShort { min } => self.tw(key, &[("min", Arg::from(min))]),
            Rule::TooLong { max } | Rule::TooManyPhotos { max } => {
                self.tw(key, &[("max", Arg::from(max))])
            }
            _ => self.t(key),
        }
    }

    /// The words of a rejection reason.
    pub fn reason(&self, reason: &RejectionReason) -> String {
        match reason {
            RejectionReason::Standard(reason) => self.t(reason_key(*reason)),
            RejectionReason::Custom(text) => text.clone(),
        }
    }

    /// The name of a reference item by its key, or nothing for an unknown one.
    pub fn name(&self, key: Option<&str>) -> String {
        key.map(|key| self.t(key)).unwrap_or_default()
    }
}

// What a status, a broken rule and a rejection reason are called is the dialog's: the page
// says it with the same words as the chat.
pub use vitrina_dialog::{reason_button_key, reason_key, rule_key, status_key};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_the_page_uses_exists_in_every_locale() {
        let catalog = Catalog::load().expect("the embedded locales");
        let reference = vitrina_dialog::reference::vitrina();
        for locale in Locale::ALL {
            for key in SHARED_KEYS
                .iter()
                .copied()
                .chain(CardStatus::ALL.into_iter().map(status_key))
                .chain(StandardReason::ALL.into_iter().map(reason_key))
                .chain(StandardReason::ALL.into_iter().map(reason_button_key))
            {
                assert!(catalog.has(locale, key), "{key} in {locale}");
            }
            let words = Words {
                catalog: &catalog,
                reference: &reference,
                locale,
            };
            let strings = words.page_strings();
            assert!(
                strings.contains_key("web-title"),
                "the page's own strings in {locale}"
            );
        }
    }
}
