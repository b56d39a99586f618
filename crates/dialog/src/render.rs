//! Screens: the words and keyboards of each message, in one person's language.

use vitrina_cards::{
    AreaId, Card, CardContent, CardStatus, CardSummary, CategoryId, CityId, Page, Reference, Rule,
    SubcategoryId,
};
use vitrina_i18n::{Arg, Button, Catalog, Locale};
use vitrina_moderation::{RejectionReason, StandardReason};

use crate::callback::Callback;
use crate::io::{ButtonAction, InlineButton, Keyboard};
use crate::text::RichText;

/// The catalog of strings bound to one person's locale, with the reference data whose names
/// it gives.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    catalog: &'a Catalog,
    reference: &'a Reference,
    locale: Locale,
}

impl<'a> Words<'a> {
    /// Words in `locale`.
    pub fn new(catalog: &'a Catalog, reference: &'a Reference, locale: Locale) -> Words<'a> {
        Words {
            catalog,
            reference,
            locale,
        }
    }

    /// A message without arguments.
    pub fn t(&self, key: &str) -> String {
        self.tw(key, &[])
    }

    /// A message with arguments.
    ///
    /// In debug builds (and so in every test) a message built without an argument it reads
    /// panics: the loader would only log an error and show `{$name}` to the person.
    pub fn tw(&self, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        debug_assert!(
            self.missing_arguments(key, args).is_empty(),
            "{key} built without {:?}",
            self.missing_arguments(key, args)
        );
        self.catalog.text_with(self.locale, key, args)
    }

    /// The arguments `key` reads that `args` does not give.
    fn missing_arguments(&self, key: &str, args: &[(&str, Arg<'_>)]) -> Vec<String> {
        self.catalog
            .arguments(self.locale, key)
            .into_iter()
            .flatten()
            .filter(|name| !args.iter().any(|(given, _)| given == name))
            .map(str::to_owned)
            .collect()
    }

    /// A reply button's label.
    pub fn button(&self, button: Button) -> String {
        self.t(button.key())
    }

    /// A reply button's label with its number.
    pub fn button_count(&self, button: Button, count: u64) -> String {
        self.tw(button.key(), &[(Button::COUNT_ARGUMENT, number(count))])
    }

    /// An inline button with a callback.
    pub fn inline(&self, key: &str, callback: Callback) -> InlineButton {
        InlineButton {
            label: self.t(key),
            action: ButtonAction::Callback(callback.encode()),
        }
    }
}

/// A number argument (plurals need numbers).
pub fn number(value: u64) -> Arg<'static> {
    Arg::Number(i64::try_from(value).unwrap_or(i64::MAX))
}

/// An inline button with a label of its own.
pub fn labelled(label: impl Into<String>, callback: Callback) -> InlineButton {
    InlineButton {
        label: label.into(),
        action: ButtonAction::Callback(callback.encode()),
    }
}

/// The main menu: `[Catalog | Cabinet] [Language | Help]`, and `[Moderation (N)]` for admins.
pub fn main_menu(words: Words<'_>, pending: Option<u64>) -> Keyboard {
    let mut rows = vec![
        vec![words.button(Button::Catalog), words.button(Button::Cabinet)],
        vec![words.button(Button::Language), words.button(Button::Help)],
    ];
    if let Some(pending) = pending {
        rows.push(vec![words.button_count(Button::Moderation, pending)]);
    }
    Keyboard::Reply(rows)
}

/// The cabinet of a partner: `[Add card | My cards] [Main menu]`.
pub fn partner_cabinet(words: Words<'_>) -> Keyboard {
    Keyboard::Reply(vec![
        vec![words.button(Button::AddCard), words.button(Button::MyCards)],
        vec![words.button(Button::MainMenu)],
    ])
}

/// The cabinet of someone who is not a partner: `[Become partner] [Main menu]`.
pub fn visitor_cabinet(words: Words<'_>) -> Keyboard {
    Keyboard::Reply(vec![
        vec![words.button(Button::BecomePartner)],
        vec![words.button(Button::MainMenu)],
    ])
}

/// The language picker.
pub fn language_picker() -> Keyboard {
    let buttons = Locale::ALL.map(|locale| {
        let code = locale.code().as_bytes();
        let choice = crate::callback::LanguageChoice([code[0], code[1]]);
        labelled(locale.picker_label(), Callback::Language(choice))
    });
    let [ru, en, vi, ko] = buttons;
    Keyboard::Inline(vec![vec![ru, en], vec![vi, ko]])
}

/// The name of a city.
pub fn city_name(words: Words<'_>, city: CityId) -> String {
    words
        .reference
        .city(city)
        .map(|city| words.t(&city.key))
        .unwrap_or_default()
}

/// The name of an area.
pub fn area_name(words: Words<'_>, area: AreaId) -> String {
    words
        .reference
        .area(area)
        .map(|(_, area)| words.t(&area.key))
        .unwrap_or_default()
}

/// The name of a category.
pub fn category_name(words: Words<'_>, category: CategoryId) -> String {
    words
        .reference
        .category(category)
        .map(|category| words.t(&category.key))
        .unwrap_or_default()
}

/// The name of a subcategory.
pub fn subcategory_name(words: Words<'_>, subcategory: SubcategoryId) -> String {
    words
        .reference
        .subcategory(subcategory)
        .map(|(_, sub)| words.t(&sub.key))
        .unwrap_or_default()
}

/// The i18n key of a status's name; the legacy `approved` is named as `published`.
pub fn status_key(status: CardStatus) -> &'static str {
    match status.shown() {
        CardStatus::Draft => "status-draft",
        CardStatus::Pending => "status-pending",
        CardStatus::Rejected => "status-rejected",
        CardStatus::Archived => "status-archived",
        CardStatus::Deleted => "status-deleted",
        CardStatus::Published | CardStatus::Approved => "status-published",
    }
}

/// The i18n key of the message that explains a broken rule; its bound is the argument `min`
/// or `max`.
pub fn rule_key(rule: Rule) -> &'static str {
    match rule {
        Rule::Required | Rule::NotInReferenceData => "validation-required",
        Rule::TooShort { .. } => "validation-too-short",
        Rule::TooLong { .. } => "validation-too-long",
        Rule::ContactFormat => "validation-contact-format",
        Rule::UrlFormat => "validation-url-format",
        Rule::TooManyPhotos { .. } => "validation-too-many-photos",
    }
}

/// The i18n key of a standard rejection reason's text.
pub fn reason_key(reason: StandardReason) -> &'static str {
    match reason {
        StandardReason::Incomplete => "reject-reason-incomplete",
        StandardReason::Inappropriate => "reject-reason-inappropriate",
        StandardReason::BadPhoto => "reject-reason-bad-photo",
        StandardReason::WrongCategory => "reject-reason-wrong-category",
    }
}

/// The words of a rejection reason.
pub fn reason_text(words: Words<'_>, reason: &RejectionReason) -> String {
    match reason {
        RejectionReason::Standard(reason) => words.t(reason_key(*reason)),
        RejectionReason::Custom(text) => text.clone(),
    }
}

/// The i18n key of a standard reason's button.
pub fn reason_button_key(reason: StandardReason) -> &'static str {
    match reason {
        StandardReason::Incomplete => "btn-reason-incomplete",
        StandardReason::Inappropriate => "btn-reason-inappropriate",
        StandardReason::BadPhoto => "btn-reason-bad-photo",
        StandardReason::WrongCategory => "btn-reason-wrong-category",
    }
}

/// A card as people see it: title, category, description, area and address, contact,
/// discount. Its status and photos are shown by the caller where they belong.
pub fn card_text(words: Words<'_>, content: &CardContent) -> RichText {
    let mut place = category_name(words, content.category);
    if let Some(sub) = content.subcategory {
        place = format!("{place} · {}", subcategory_name(words, sub));
    }
    let mut text = RichText::default()
        .bold(content.title.as_str())
        .line()
        .italic(place);
    if let Some(description) = &content.description {
        text = text.paragraph().text(description.as_str());
    }
    text = text.paragraph();
    let mut area = city_name(words, content.city);
    if let Some(a) = content.area {
        area = format!("{area}, {}", area_name(words, a));
    }
    text = text
        .text(words.tw("card-field-area", &[("area", Arg::from(area))]))
        .line();
    if let Some(address) = &content.address {
        let line = words.tw(
            "card-field-address",
            &[("address", Arg::from(address.as_str()))],
        );
        text = text.text(line).line();
    }
    let contact = words.tw(
        "card-field-contact",
        &[("contact", Arg::from(content.contact.as_str()))],
    );
    text = text.text(contact).line();
    if let Some(discount) = &content.discount {
        let line = words.tw(
            "card-field-discount",
            &[("discount", Arg::from(discount.as_str()))],
        );
        text = text.text(line).line();
    }
    text
}

/// The "🗺 Map" button of a card that has a map link: shown wherever the card is shown.
pub fn map_button(words: Words<'_>, content: &CardContent) -> Option<InlineButton> {
    let url = match (&content.map_link, content.location) {
        (Some(link), _) => link.as_str().to_owned(),
        (None, Some(place)) => maps_url(place),
        (None, None) => return None,
    };
    Some(InlineButton {
        label: words.t("btn-map"),
        action: ButtonAction::Url(url),
    })
}

/// A link that opens a map at `place`, for a card that has coordinates but no link of its
/// own: Google Maps' documented search URL, which every phone opens in its map app.
pub fn maps_url(place: vitrina_cards::Coordinates) -> String {
    format!(
        "https://www.google.com/maps/search/?api=1&query={:.6},{:.6}",
        place.latitude(),
        place.longitude()
    )
}

/// *📍 Send as a place* for a card that has coordinates.
pub fn venue_button(words: Words<'_>, card: &Card) -> Option<InlineButton> {
    card.content
        .location
        .map(|_| words.inline("btn-send-place", Callback::CardVenue(card.id)))
}

/// The status line of a card and, when rejected, its reason.
pub fn status_text(words: Words<'_>, card: &Card) -> RichText {
    let status = words.t(status_key(card.status));
    let mut text = RichText::plain(words.tw("card-status-line", &[("status", Arg::from(status))]));
    if let (CardStatus::Rejected, Some(stored)) = (card.status, &card.rejection_reason) {
        let reason = reason_text(words, &RejectionReason::from_stored(stored));
        text = text
            .line()
            .text(words.tw("card-rejection-reason", &[("reason", Arg::from(reason))]));
    }
    text
}

/// A title as the lists show it: a featured card's with a star in front.
pub fn listed_title(title: &str, featured: bool) -> String {
    if featured {
        format!("⭐ {title}")
    } else {
        title.to_owned()
    }
}

/// One card's row in a list of published cards (the catalog, search results): its title,
/// starred when featured, opening it with `open`.
pub fn card_row(words: Words<'_>, card: &CardSummary, open: Callback) -> Vec<InlineButton> {
    let title = listed_title(&card.title, card.featured);
    let label = words.tw("btn-view-card", &[("title", Arg::from(title))]);
    vec![labelled(label, open)]
}

/// The pager row `[⬅️ Back] [p/P] [Forward ➡️] [🔄 Refresh]`; `at` makes the callback of a
/// page number.
pub fn pager(words: Words<'_>, page: Page, at: impl Fn(u32) -> Callback) -> Vec<InlineButton> {
    // At either end the button answers with a toast and changes nothing.
    vec![
        words.inline(
            "btn-page-back",
            page.previous().map_or(Callback::FirstPage, &at),
        ),
        labelled(page.label(), Callback::Nothing),
        words.inline(
            "btn-page-forward",
            page.next().map_or(Callback::LastPage, &at),
        ),
        words.inline("btn-refresh", at(page.number)),
    ]
}

#[cfg(test)]
mod tests {
    use vitrina_cards::{CardStatus, Rule};
    use vitrina_i18n::{Catalog, Locale};
    use vitrina_moderation::StandardReason;

    use super::{reason_key, rule_key, status_key};

    #[test]
    fn every_status_rule_and_reason_has_words_in_every_locale() {
        let catalog = Catalog::load().expect("the embedded locales");
        let rules = [
            Rule::Required,
            Rule::TooShort { min: 3 },
            Rule::TooLong { max: 100 },
            Rule::ContactFormat,
            Rule::UrlFormat,
            Rule::TooManyPhotos { max: 6 },
            Rule::NotInReferenceData,
        ];
        let keys = CardStatus::ALL
            .into_iter()
            .map(status_key)
            .chain(rules.into_iter().map(rule_key))
            .chain(StandardReason::ALL.into_iter().map(reason_key));
        for key in keys {
            for locale in Locale::ALL {
                assert!(catalog.has(locale, key), "{key} in {}", locale.code());
            }
        }
        assert_eq!(status_key(CardStatus::Approved), "status-published");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "wizard-photos built without [\"count\"]")]
    fn a_message_built_without_an_argument_it_reads_is_caught() {
        let catalog = Catalog::load().expect("the embedded locales");
        let reference = crate::reference::vitrina();
        let words = super::Words::new(&catalog, &reference, Locale::Ru);
        words.tw("wizard-photos", &[("max", super::number(6))]);
    }
}
