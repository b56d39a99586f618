//! Recognising a pressed reply button from the text the client sends back.
//!
//! Labels and input go through the same [`normalize`]: emoji, variation selectors, joiners
//! and invisible marks dropped, whitespace collapsed, lowercase, NFC. A keyboard sent in
//! another language, an emoji a client rendered differently or a label typed by hand still
//! matches; a handler never depends on an emoji.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::emoji::{is_emoji_part, is_keycap_base};
use crate::{Button, I18nError};

/// Stands for the number in the label of a button that [`Button::has_count`]: it is passed
/// as the `count` argument when the label is rendered for the table. A private-use character
/// survives normalization and never occurs in real input.
pub(crate) const NUMBER_SLOT: &str = "\u{E000}";

/// Reduces `text` to what identifies a button label.
pub(crate) fn normalize(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut normalized = String::with_capacity(text.len());
    let mut space_pending = false;
    for (index, &c) in chars.iter().enumerate() {
        if is_ignored(c)
            || (is_keycap_base(c) && starts_keycap_tail(chars.get(index + 1..).unwrap_or_default()))
        {
            continue;
        }
        if c.is_whitespace() {
            space_pending = true;
            continue;
        }
        if space_pending && !normalized.is_empty() {
            normalized.push(' ');
        }
        space_pending = false;
        normalized.extend(c.to_lowercase());
    }
    normalized.nfc().collect()
}

fn is_ignored(c: char) -> bool {
    // Zero-width space, word joiner, BOM, directional marks and isolates: invisible, and
    // Fluent's isolation marks are among them.
    is_emoji_part(c)
        || matches!(
            c,
            '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{2060}' | '\u{2066}'
                ..='\u{2069}' | '\u{FEFF}'
        )
}

/// Whether `rest` (what follows a digit, `#` or `*`) completes a keycap emoji such as 1️⃣.
fn starts_keycap_tail(rest: &[char]) -> bool {
    rest.iter()
        .copied()
        .find(|&c| !matches!(c, '\u{FE0E}' | '\u{FE0F}'))
        == Some('\u{20E3}')
}

/// Every normalized button label of every locale, built once.
#[derive(Debug)]
pub(crate) struct ButtonTable {
    exact: HashMap<String, Button>,
    counted: Vec<CountedLabel>,
}

/// A normalized label with a number in it: `prefix`, one or more ASCII digits, `suffix`.
#[derive(Debug)]
struct CountedLabel {
    prefix: String,
    suffix: String,
    button: Button,
}

impl CountedLabel {
    fn matches(&self, normalized: &str) -> bool {
        normalized
            .strip_prefix(&self.prefix)
            .and_then(|rest| rest.strip_suffix(&self.suffix))
            .is_some_and(|number| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
    }
}

impl ButtonTable {
    /// Builds the table from rendered labels (counted ones rendered with [`NUMBER_SLOT`]),
    /// refusing labels that two different buttons would share.
    pub(crate) fn build(labels: &[(Button, String)]) -> Result<ButtonTable, I18nError> {
        let mut table = ButtonTable {
            exact: HashMap::new(),
            counted: Vec::new(),
        };
        for (button, label) in labels {
            let normalized = normalize(label);
            match normalized.split_once(NUMBER_SLOT) {
                Some((prefix, suffix)) => table.counted.push(CountedLabel {
                    prefix: prefix.to_owned(),
                    suffix: suffix.to_owned(),
                    button: *button,
                }),
                None => {
                    table.exact.entry(normalized).or_insert(*button);
                }
            }
        }
        // Every label, with a sample number in the slot, must match its own button only;
        // this also catches a fixed label that happens to look like a counted one.
        for (button, label) in labels {
            let sample = normalize(&label.replace(NUMBER_SLOT, "7"));
            let other = table.candidates(&sample).find(|other| other != button);
            if let Some(other) = other {
                let (first, second) = if *button < other {
                    (*button, other)
                } else {
                    (other, *button)
                };
                return Err(I18nError::AmbiguousButtons {
                    first,
                    second,
                    label: sample,
                });
            }
        }
        Ok(table)
    }

    /// The button whose label in any locale reads as `text`.
    pub(crate) fn find(&self, text: &str) -> Option<Button> {
        let normalized = normalize(text);
        if normalized.is_empty() {
            return None;
        }
        self.candidates(&normalized).next()
    }

    fn candidates<'a>(&'a self, normalized: &'a str) -> impl Iterator<Item = Button> + 'a {
        self.exact.get(normalized).copied().into_iter().chain(
            self.counted
                .iter()
                .filter(move |label| label.matches(normalized))
                .map(|label| label.button),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_drops_emoji_and_invisibles_and_folds_space_and_case() {
        let check =
            |input: &str, expected: &str| assert_eq!(normalize(input), expected, "{input:?}");
        check("🗂 Catalog", "catalog");
        check("⬅️ Main menu", "main menu");
        check("⬅ Main menu", "main menu");
        check("  MAIN \t\u{A0} MENU  ", "main menu");
        check("🧑\u{200D}💼 Стать Партнёром", "стать партнёром");
        check("🧑🏽\u{200D}💼 Become partner", "become partner");
        check("🇻🇳 Tiếng Việt", "tiếng việt");
        check("Tie\u{302}\u{301}ng Vie\u{323}\u{302}t", "tiếng việt");
        check("1\u{FE0F}\u{20E3} One 2\u{20E3}", "one");
        check("Done (3/6) ✅", "done (3/6)");
        check("Step 1", "step 1");
        check("\u{2068}Hi\u{2069} \u{200B}there", "hi there");
        check("한국어 메뉴", "한국어 메뉴");
        check("🗂", "");
    }

    fn table() -> ButtonTable {
        ButtonTable::build(&[
            (Button::Back, "⬅️ Back".to_owned()),
            (Button::Back, "⬅️ Назад".to_owned()),
            (Button::Moderation, format!("🛡 Moderation ({NUMBER_SLOT})")),
        ])
        .expect("distinct labels")
    }

    #[test]
    fn find_matches_exact_and_counted_labels_only() {
        let table = table();
        let check = |input: &str, expected: Option<Button>| {
            assert_eq!(table.find(input), expected, "{input:?}")
        };
        check("back", Some(Button::Back));
        check("НАЗАД", Some(Button::Back));
        check("Moderation (0)", Some(Button::Moderation));
        check("🛡 moderation (1234)", Some(Button::Moderation));
        check("Moderation ()", None);
        check("Moderation (x)", None);
        check("Moderation (1) now", None);
        check("go back", None);
        check("⬅️", None);
        check("", None);
    }

    #[test]
    fn labels_shared_by_two_buttons_are_refused() {
        let error = ButtonTable::build(&[
            (Button::Back, "⬅️ Back".to_owned()),
            (Button::MainMenu, "↩️ back".to_owned()),
        ])
        .expect_err("ambiguous");
        assert!(
            matches!(&error, I18nError::AmbiguousButtons { first: Button::MainMenu, second: Button::Back, label } if label == "back"),
            "{error:?}"
        );
        let error = ButtonTable::build(&[
            (Button::Moderation, format!("Moderation ({NUMBER_SLOT})")),
            (Button::Help, "moderation (5)".to_owned()),
        ])
        .expect_err("a fixed label inside a counted one");
        assert!(
            matches!(error, I18nError::AmbiguousButtons { .. }),
            "{error:?}"
        );
    }
}
