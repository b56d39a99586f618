//! The catalog as other crates use it: parity of the four locales, the ids they rely on,
//! plurals, formatting and reply-button matching.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use vitrina_i18n::{Arg, Button, Catalog, Locale};

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::load().expect("the embedded catalog loads"))
}

fn arguments(locale: Locale, key: &str) -> Option<BTreeSet<String>> {
    Some(
        catalog()
            .arguments(locale, key)?
            .map(str::to_owned)
            .collect(),
    )
}

/// Every id other crates use, with the arguments they pass.
const REQUIRED: &[(&str, &[&str])] = &[
    ("city-nha-trang", &[]),
    ("city-da-nang", &[]),
    ("city-ho-chi-minh-city", &[]),
    ("city-phu-quoc", &[]),
    ("area-nha-trang-centre", &[]),
    ("area-nha-trang-north", &[]),
    ("area-nha-trang-south", &[]),
    ("area-da-nang-centre", &[]),
    ("area-da-nang-coast", &[]),
    ("area-da-nang-outskirts", &[]),
    ("area-ho-chi-minh-city-centre", &[]),
    ("area-ho-chi-minh-city-district-1", &[]),
    ("area-ho-chi-minh-city-district-2", &[]),
    ("area-phu-quoc-duong-dong", &[]),
    ("area-phu-quoc-bai-sao", &[]),
    ("area-phu-quoc-ong-lang", &[]),
    ("category-restaurants", &[]),
    ("category-spa", &[]),
    ("category-transport", &[]),
    ("category-hotels", &[]),
    ("category-shops", &[]),
    ("category-tours", &[]),
    ("subcategory-restaurants-asian", &[]),
    ("subcategory-restaurants-european", &[]),
    ("subcategory-restaurants-street-food", &[]),
    ("subcategory-restaurants-vegetarian", &[]),
    ("subcategory-spa-massage", &[]),
    ("subcategory-spa-complex", &[]),
    ("subcategory-transport-motorbike", &[]),
    ("subcategory-transport-car", &[]),
    ("subcategory-transport-bicycle", &[]),
    ("subcategory-hotels-hotel", &[]),
    ("subcategory-hotels-guesthouse", &[]),
    ("subcategory-hotels-apartments", &[]),
    ("subcategory-tours-snorkel", &[]),
    ("subcategory-tours-sea", &[]),
    ("subcategory-tours-land", &[]),
    ("status-draft", &[]),
    ("status-pending", &[]),
    ("status-published", &[]),
    ("status-rejected", &[]),
    ("status-archived", &[]),
    ("status-deleted", &[]),
    ("reject-reason-incomplete", &[]),
    ("reject-reason-inappropriate", &[]),
    ("reject-reason-bad-photo", &[]),
    ("reject-reason-wrong-category", &[]),
    ("reject-reason-other", &[]),
    ("validation-required", &[]),
    ("validation-too-short", &["min"]),
    ("validation-too-long", &["max"]),
    ("validation-contact-format", &[]),
    ("validation-url-format", &[]),
    ("validation-too-many-photos", &["max"]),
    ("validation-reason-too-short", &["min"]),
    ("validation-reason-too-long", &["max"]),
    ("btn-catalog", &[]),
    ("btn-cabinet", &[]),
    ("btn-language", &[]),
    ("btn-help", &[]),
    ("btn-moderation", &["count"]),
    ("btn-become-partner", &[]),
    ("btn-main-menu", &[]),
    ("btn-add-card", &[]),
    ("btn-my-cards", &[]),
    ("btn-back", &[]),
    ("btn-cancel", &[]),
    ("btn-skip", &[]),
    ("btn-photos-done", &["count"]),
    ("btn-remove-last-photo", &[]),
    ("btn-accept-policy", &[]),
    ("btn-read-policy", &[]),
    ("btn-change-city", &[]),
    ("btn-all-subcategories", &[]),
    ("btn-page-back", &[]),
    ("btn-page-forward", &[]),
    ("btn-refresh", &[]),
    ("btn-page-counter", &["page", "pages"]),
    ("page-first", &[]),
    ("page-last", &[]),
    ("btn-view-card", &["title"]),
    ("btn-hide", &[]),
    ("btn-show", &[]),
    ("btn-edit-resubmit", &[]),
    ("btn-delete", &[]),
    ("btn-delete-confirm", &[]),
    ("btn-delete-cancel", &[]),
    ("btn-back-to-list", &[]),
    ("btn-submit", &[]),
    ("btn-edit", &[]),
    ("btn-approve", &[]),
    ("btn-reject", &[]),
    ("btn-mod-skip", &[]),
    ("btn-mod-finish", &[]),
    ("btn-review", &[]),
    ("btn-map", &[]),
    ("btn-reason-incomplete", &[]),
    ("btn-reason-inappropriate", &[]),
    ("btn-reason-bad-photo", &[]),
    ("btn-reason-wrong-category", &[]),
    ("btn-reason-other", &[]),
    ("btn-draft-continue", &[]),
    ("btn-draft-restart", &[]),
    ("language-picker", &[]),
    ("language-changed", &[]),
    ("welcome", &[]),
    ("policy-text", &[]),
    ("policy-accepted", &[]),
    ("main-menu", &[]),
    ("help", &[]),
    ("help-admin", &[]),
    ("unknown-input", &[]),
    ("not-allowed", &[]),
    ("not-found", &[]),
    ("callback-outdated", &[]),
    ("try-later", &[]),
    ("cabinet-not-partner", &[]),
    ("cabinet-partner", &[]),
    ("cabinet-unavailable", &[]),
    ("partner-created", &[]),
    ("wizard-city", &[]),
    ("wizard-area", &[]),
    ("wizard-category", &[]),
    ("wizard-subcategory", &[]),
    ("wizard-title", &[]),
    ("wizard-description", &[]),
    ("wizard-contact", &[]),
    ("wizard-address", &[]),
    ("wizard-map-link", &[]),
    ("wizard-photos", &["count", "max"]),
    ("wizard-photo-added", &["count", "max"]),
    ("wizard-photo-removed", &["count"]),
    ("wizard-discount", &[]),
    ("wizard-preview", &[]),
    ("wizard-cancelled", &[]),
    ("wizard-draft-resume", &[]),
    ("wizard-text-expected", &[]),
    ("wizard-use-buttons", &[]),
    ("wizard-photo-expected", &[]),
    ("wizard-submitted", &[]),
    ("my-cards-title", &["page", "pages", "count"]),
    ("my-cards-empty", &[]),
    ("card-status-line", &["status"]),
    ("card-rejection-reason", &["reason"]),
    ("card-field-area", &["area"]),
    ("card-field-address", &["address"]),
    ("card-field-contact", &["contact"]),
    ("card-field-discount", &["discount"]),
    ("card-hidden", &[]),
    ("card-shown", &[]),
    ("card-delete-confirm", &[]),
    ("card-deleted", &[]),
    ("catalog-choose-city", &[]),
    ("catalog-city-chosen", &["city"]),
    ("catalog-choose-category", &["city"]),
    ("catalog-category-count", &["name", "count"]),
    ("catalog-choose-subcategory", &["city", "category"]),
    ("catalog-list", &["city", "category", "page", "pages"]),
    ("catalog-empty", &[]),
    ("moderation-queue", &["left"]),
    ("moderation-submitter", &["partner"]),
    ("moderation-resubmitted", &[]),
    ("moderation-empty", &[]),
    ("moderation-finished", &[]),
    ("moderation-finished-left", &["left"]),
    ("moderation-approved", &[]),
    ("moderation-rejected", &[]),
    ("moderation-choose-reason", &[]),
    ("moderation-enter-reason", &[]),
    ("moderation-already-decided", &[]),
    ("moderation-unavailable", &[]),
    ("notify-card-published", &["title"]),
    ("notify-card-rejected", &["title", "reason"]),
    ("notify-new-submission", &["title", "partner"]),
    ("notify-bot-started", &["version", "mode"]),
    ("notify-bot-stopping", &["version", "mode"]),
    ("bot-mode-polling", &[]),
    ("bot-mode-leader", &[]),
    ("bot-mode-webhook", &[]),
    ("cancel-nothing", &[]),
    ("cmd-start", &[]),
    ("cmd-menu", &[]),
    ("cmd-catalog", &[]),
    ("cmd-cabinet", &[]),
    ("cmd-language", &[]),
    ("cmd-help", &[]),
    ("cmd-policy", &[]),
    ("cmd-cancel", &[]),
    ("cmd-moderate", &[]),
];

#[test]
fn every_locale_defines_the_same_messages_with_the_same_arguments() {
    let all_keys: BTreeSet<&str> = Locale::ALL
        .into_iter()
        .flat_map(|locale| catalog().keys(locale))
        .collect();
    assert!(
        all_keys.len() >= REQUIRED.len(),
        "only {} messages",
        all_keys.len()
    );
    for key in all_keys {
        let expected = arguments(Locale::En, key);
        for locale in Locale::ALL {
            let found = arguments(locale, key);
            assert!(found.is_some(), "{key} is missing in {locale}");
            assert_eq!(
                found, expected,
                "{key}: the arguments in {locale} differ from en"
            );
        }
    }
}

#[test]
fn every_required_id_exists_with_the_arguments_callers_pass() {
    for (key, expected) in REQUIRED {
        let expected: BTreeSet<String> = expected.iter().map(|&arg| arg.to_owned()).collect();
        for locale in Locale::ALL {
            assert!(catalog().has(locale, key), "{key} is missing in {locale}");
            assert_eq!(
                arguments(locale, key).as_ref(),
                Some(&expected),
                "{key} in {locale}"
            );
        }
    }
}

#[test]
fn every_button_has_a_label_in_every_locale_and_only_counted_ones_take_count() {
    for button in Button::ALL {
        let expected: BTreeSet<String> = if button.has_count() {
            [Button::COUNT_ARGUMENT.to_owned()].into()
        } else {
            BTreeSet::new()
        };
        for locale in Locale::ALL {
            assert_eq!(
                arguments(locale, button.key()).as_ref(),
                Some(&expected),
                "{button:?} in {locale}"
            );
        }
    }
    let keys: BTreeSet<&str> = Button::ALL.into_iter().map(Button::key).collect();
    assert_eq!(keys.len(), Button::ALL.len(), "two buttons share a key");
}

/// Every message with every argument given, in every locale.
fn formatted_messages() -> Vec<(Locale, String, String)> {
    let mut formatted = Vec::new();
    for locale in Locale::ALL {
        for key in catalog().keys(locale) {
            let names: Vec<String> = arguments(locale, key)
                .unwrap_or_default()
                .into_iter()
                .collect();
            let args: Vec<(&str, Arg<'_>)> = names
                .iter()
                .map(|name| (name.as_str(), Arg::from(2)))
                .collect();
            formatted.push((
                locale,
                key.to_owned(),
                catalog().text_with(locale, key, &args),
            ));
        }
    }
    formatted
}

#[test]
fn formatted_messages_have_no_isolation_marks_markup_or_unfilled_arguments() {
    for (locale, key, text) in formatted_messages() {
        let context = format!("{key} in {locale}: {text:?}");
        assert!(
            !text.contains(['\u{2068}', '\u{2069}']),
            "isolation marks in {context}"
        );
        assert!(
            !text.contains(['<', '>', '&']),
            "HTML-special characters in {context}"
        );
        assert!(
            !text.contains("{$") && !text.contains('{'),
            "an unfilled placeable in {context}"
        );
        assert!(
            !text.trim().is_empty() && text != key,
            "no text for {context}"
        );
    }
}

#[test]
fn arguments_are_inserted_without_isolation_marks() {
    let text = catalog().text_with(
        Locale::En,
        "card-field-contact",
        &[("contact", Arg::from("@vitrina"))],
    );
    assert_eq!(text, "📞 Contact: @vitrina");
    let text = catalog().text_with(
        Locale::Ko,
        "btn-page-counter",
        &[("page", Arg::from(2_u32)), ("pages", Arg::from(10_usize))],
    );
    assert_eq!(text, "2/10");
}

fn check_plural(locale: Locale, key: &str, arg: &str, number: i64, expected: &str) {
    let text = catalog().text_with(locale, key, &[(arg, Arg::Number(number))]);
    assert!(
        text.contains(expected),
        "{key}({number}) in {locale}: {text:?} lacks {expected:?}"
    );
}

#[test]
fn russian_counts_take_the_right_plural_form() {
    for (number, expected) in [
        (1, "1 карточка"),
        (2, "2 карточки"),
        (4, "4 карточки"),
        (5, "5 карточек"),
        (11, "11 карточек"),
        (12, "12 карточек"),
        (21, "21 карточка"),
        (22, "22 карточки"),
        (25, "25 карточек"),
        (0, "0 карточек"),
    ] {
        check_plural(Locale::Ru, "moderation-queue", "left", number, expected);
    }
    for (number, expected) in [
        (1, "не меньше 1 символа"),
        (3, "не меньше 3 символов"),
        (21, "не меньше 21 символа"),
    ] {
        check_plural(Locale::Ru, "validation-too-short", "min", number, expected);
    }
    check_plural(
        Locale::Ru,
        "validation-too-long",
        "max",
        100,
        "не больше 100 символов",
    );
}

#[test]
fn english_counts_take_the_right_plural_form() {
    for (number, expected) in [
        (1, "1 card."),
        (2, "2 cards."),
        (0, "0 cards."),
        (21, "21 cards."),
    ] {
        check_plural(Locale::En, "moderation-queue", "left", number, expected);
    }
    check_plural(
        Locale::En,
        "validation-too-short",
        "min",
        1,
        "at least 1 character.",
    );
    check_plural(
        Locale::En,
        "validation-too-short",
        "min",
        3,
        "at least 3 characters.",
    );
    check_plural(
        Locale::En,
        "validation-too-many-photos",
        "max",
        6,
        "at most 6 photos.",
    );
}

#[test]
fn unknown_ids_come_back_as_they_are() {
    assert_eq!(
        catalog().text(Locale::Ru, "no-such-message"),
        "no-such-message"
    );
    assert_eq!(
        catalog().text_with(Locale::Ko, "no-such-message", &[("count", Arg::from(1))]),
        "no-such-message"
    );
    assert!(!catalog().has(Locale::En, "no-such-message"));
    assert!(catalog().arguments(Locale::En, "no-such-message").is_none());
}

#[test]
fn reference_names_use_the_local_spelling() {
    let check = |locale: Locale, key: &str, expected: &str| {
        assert_eq!(catalog().text(locale, key), expected, "{key} in {locale}")
    };
    check(Locale::Ru, "city-nha-trang", "Нячанг");
    check(Locale::En, "city-nha-trang", "Nha Trang");
    check(Locale::Vi, "city-nha-trang", "Nha Trang");
    check(Locale::Ko, "city-nha-trang", "나트랑");
    check(Locale::Vi, "city-da-nang", "Đà Nẵng");
    check(Locale::Vi, "area-phu-quoc-bai-sao", "Bãi Sao");
}

#[test]
fn the_catalog_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<Catalog>();
    let copy = catalog().clone();
    let text = std::thread::spawn(move || copy.text(Locale::En, "btn-help"))
        .join()
        .expect("the thread finishes");
    assert_eq!(text, "❓ Help");
}

// Reply-button matching.

/// A button's label in `locale`, with `number` for the buttons that show one.
fn label(locale: Locale, button: Button, number: i64) -> String {
    catalog().text_with(
        locale,
        button.key(),
        &[(Button::COUNT_ARGUMENT, Arg::Number(number))],
    )
}

fn check_match(text: &str, expected: Option<Button>) {
    assert_eq!(catalog().match_button(text), expected, "{text:?}");
}

/// The label without its emoji: the words that contain a letter or a digit.
fn without_emoji(label: &str) -> String {
    label
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn each_label_in_each_locale_matches_its_button_however_it_is_written() {
    for locale in Locale::ALL {
        for button in Button::ALL {
            let label = label(locale, button, 3);
            let bare = without_emoji(&label);
            assert_ne!(bare, label, "{button:?} in {locale} has no emoji to drop");
            let variants = [
                label.clone(),
                bare.clone(),
                label.to_uppercase(),
                bare.to_lowercase(),
                label.replace('\u{FE0F}', ""),
                label.chars().flat_map(|c| [c, '\u{FE0F}']).collect(),
                format!("  {}\t\n", label.replace(' ', "   ")),
                format!("{bare} 👍"),
            ];
            for variant in variants {
                check_match(&variant, Some(button));
            }
        }
    }
}

#[test]
fn counted_labels_match_with_any_number() {
    for locale in Locale::ALL {
        for number in [0, 1, 7, 42, 100_500] {
            check_match(
                &label(locale, Button::Moderation, number),
                Some(Button::Moderation),
            );
            check_match(
                &label(locale, Button::PhotosDone, number),
                Some(Button::PhotosDone),
            );
        }
    }
    check_match("🛡 Moderation (7)", Some(Button::Moderation));
    check_match("✅ Done (3/6)", Some(Button::PhotosDone));
    check_match("готово (6/6)", Some(Button::PhotosDone));
    check_match("Moderation ()", None);
    check_match("Moderation (seven)", None);
    check_match("Done (3/7)", None);
}

#[test]
fn other_text_matches_no_button() {
    for text in [
        "",
        "   ",
        "🗂",
        "⬅️",
        "hello",
        "random text",
        "open the catalog",
        "Catalog please",
        "my catalog",
        "⬅️ Back to the main menu",
        "Main menu now",
        "Moderation (7) please",
        "Done (3/6) ok",
        "/start",
        "каталоги",
        "카탈로그 보기",
    ] {
        check_match(text, None);
    }
}

#[test]
fn back_and_main_menu_stay_apart() {
    for locale in Locale::ALL {
        check_match(&label(locale, Button::Back, 0), Some(Button::Back));
        check_match(&label(locale, Button::MainMenu, 0), Some(Button::MainMenu));
    }
}
