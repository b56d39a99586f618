//! A person's place in the conversation, kept between updates through the
//! [`DialogStore`](crate::DialogStore) as JSON.
//!
//! The stored form is this module's own (`Stored*`), converted to and from the domain types
//! at its edge, so that the domain types stay free of serialization and an old or damaged
//! stored state reads as "no state" instead of failing an update.

use serde::{Deserialize, Serialize};
use vitrina_cards::{
    Address, AreaId, CardDraft, CardId, CategoryId, CityId, Contact, Coordinates, Description,
    Discount, MapLink, PhotoId, Reference, SubcategoryId, Timestamp, Title,
};

use crate::callback::DraftVersion;
use crate::io::{MessageId, ScreenTag};

/// How long a wizard draft is kept after its last answer: 24 hours, in milliseconds.
pub const DRAFT_LIFETIME_MILLIS: i64 = 24 * 60 * 60 * 1000;

/// The steps of the add-card wizard, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Step {
    /// 1. The city.
    City,
    /// 1b. Its area.
    Area,
    /// 2. The category.
    Category,
    /// 2b. Its subcategory.
    Subcategory,
    /// 3. The title.
    Title,
    /// 4. The description.
    Description,
    /// 5. The contact.
    Contact,
    /// 6. The address.
    Address,
    /// 7. The map link.
    MapLink,
    /// 8. The photos.
    Photos,
    /// 9. The discount.
    Discount,
    /// 10. The preview.
    Preview,
}

impl Step {
    /// The steps in order.
    pub const ORDER: [Step; 12] = [
        Step::City,
        Step::Area,
        Step::Category,
        Step::Subcategory,
        Step::Title,
        Step::Description,
        Step::Contact,
        Step::Address,
        Step::MapLink,
        Step::Photos,
        Step::Discount,
        Step::Preview,
    ];

    fn index(self) -> usize {
        Step::ORDER
            .iter()
            .position(|step| *step == self)
            .unwrap_or(0)
    }

    /// The step after this one.
    pub fn next(self) -> Step {
        Step::ORDER
            .get(self.index() + 1)
            .copied()
            .unwrap_or(Step::Preview)
    }

    /// The step before this one; `None` at the first.
    pub fn previous(self) -> Option<Step> {
        self.index()
            .checked_sub(1)
            .and_then(|i| Step::ORDER.get(i).copied())
    }

    /// Whether the step takes typed text.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Step::Title
                | Step::Description
                | Step::Contact
                | Step::Address
                | Step::MapLink
                | Step::Discount
        )
    }

    /// Whether the step may be skipped.
    pub fn is_optional(self) -> bool {
        matches!(
            self,
            Step::Area
                | Step::Subcategory
                | Step::Description
                | Step::Address
                | Step::MapLink
                | Step::Photos
                | Step::Discount
        )
    }
}

/// The add-card wizard in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wizard {
    /// The step waiting for an answer.
    pub step: Step,
    /// The answers so far.
    pub draft: CardDraft,
    /// The rejected card being edited for resubmission, if any.
    pub resubmit: Option<CardId>,
    /// Whether the person is in the wizard now; `false` once they left it by a menu button
    /// or a command, so that the next *Add card* offers the draft back.
    pub active: bool,
    /// The draft's id: when it was started, in milliseconds since the epoch.
    pub id: i64,
    /// One more at every question or preview shown: the buttons of older messages carry an
    /// older number and are refused.
    pub version: u32,
    /// The message showing the current step with inline buttons, once known: edited in place
    /// by the next step, or stripped of its buttons when the wizard leaves it.
    pub screen: Option<MessageId>,
}

impl Wizard {
    /// A new wizard at the first step, started at `started`.
    pub fn new(draft: CardDraft, resubmit: Option<CardId>, started: Timestamp) -> Wizard {
        Wizard {
            step: Step::City,
            draft,
            resubmit,
            active: true,
            id: started.0,
            version: 0,
            screen: None,
        }
    }

    /// The draft and showing the buttons of the message shown now carry.
    pub fn current(&self) -> DraftVersion {
        DraftVersion {
            draft: self.id,
            version: self.version,
        }
    }

    /// The tag of the screen shown now.
    pub fn screen_tag(&self) -> ScreenTag {
        ScreenTag {
            draft: self.id,
            version: self.version,
        }
    }
}

/// An admin's walk through the moderation queue.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Moderation {
    /// Cards skipped in this walk.
    pub skipped: Vec<CardId>,
    /// The card whose rejection reason is being typed.
    pub awaiting_reason: Option<CardId>,
    /// The message that asks for that reason: the decision is shown there.
    pub reason_screen: Option<MessageId>,
}

/// Everything the dialog remembers of one person between updates.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DialogState {
    /// The wizard, active or paused.
    pub wizard: Option<Wizard>,
    /// The moderation walk, for admins.
    pub moderation: Option<Moderation>,
    /// Search and deep links: the words asked for or last searched, a card a link opens.
    pub links: Option<Links>,
}

/// Where a person is in search, and the card a deep link asked for while they still had to
/// choose a language or accept the policy.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Links {
    /// The next text typed is the words to search for.
    pub awaiting_words: bool,
    /// The words last searched, for the pages of their results.
    pub words: Option<String>,
    /// The card of a `/start c<ID>` link, opened once the person is through the gate.
    pub opening: Option<CardId>,
}

impl Links {
    fn is_empty(&self) -> bool {
        !self.awaiting_words && self.words.is_none() && self.opening.is_none()
    }
}

impl DialogState {
    /// Whether there is nothing to keep.
    pub fn is_empty(&self) -> bool {
        self.wizard.is_none()
            && self.moderation.is_none()
            && self.links.as_ref().is_none_or(Links::is_empty)
    }

    /// The active wizard, if the person is in it.
    pub fn active_wizard(&mut self) -> Option<&mut Wizard> {
        self.wizard.as_mut().filter(|wizard| wizard.active)
    }

    /// Leaves the wizard, keeping its draft to offer back.
    pub fn pause_wizard(&mut self) {
        if let Some(wizard) = self.wizard.as_mut() {
            wizard.active = false;
        }
    }

    /// The JSON kept in the store.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&StoredState::from(self)).unwrap_or_default()
    }

    /// Reads stored JSON; anything unreadable is no state, never an error. A draft's answers
    /// are checked again, against `reference` for the places and kinds it names.
    pub fn from_json(json: &str, reference: &Reference) -> DialogState {
        serde_json::from_str::<StoredState>(json)
            .map(|stored| stored.into_state(reference))
            .unwrap_or_default()
    }
}

#[derive(Serialize, Deserialize, Default)]
struct StoredState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wizard: Option<StoredWizard>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    moderation: Option<StoredModeration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    links: Option<StoredLinks>,
}

#[derive(Serialize, Deserialize)]
struct StoredLinks {
    #[serde(default)]
    awaiting_words: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    words: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    opening: Option<i64>,
}

#[derive(Serialize, Deserialize)]
struct StoredWizard {
    step: Step,
    draft: StoredDraft,
    resubmit: Option<i64>,
    active: bool,
    #[serde(default)]
    id: i64,
    #[serde(default)]
    version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    screen: Option<MessageId>,
}

#[derive(Serialize, Deserialize)]
struct StoredModeration {
    skipped: Vec<i64>,
    awaiting_reason: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason_screen: Option<MessageId>,
}

#[derive(Serialize, Deserialize, Default)]
struct StoredDraft {
    city: Option<i64>,
    area: Option<i64>,
    category: Option<i64>,
    subcategory: Option<i64>,
    title: Option<String>,
    description: Option<String>,
    contact: Option<String>,
    address: Option<String>,
    map_link: Option<String>,
    #[serde(default)]
    photos: Vec<String>,
    discount: Option<String>,
    /// Latitude and longitude in degrees (a location pin or a venue).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<(f64, f64)>,
}

impl From<&DialogState> for StoredState {
    fn from(state: &DialogState) -> StoredState {
        StoredState {
            wizard: state.wizard.as_ref().map(|wizard| StoredWizard {
                step: wizard.step,
                draft: StoredDraft::from(&wizard.draft),
                resubmit: wizard.resubmit.map(CardId::get),
                active: wizard.active,
                id: wizard.id,
                version: wizard.version,
                screen: wizard.screen,
            }),
            moderation: state
                .moderation
                .as_ref()
                .map(|moderation| StoredModeration {
                    skipped: moderation.skipped.iter().map(|card| card.get()).collect(),
                    awaiting_reason: moderation.awaiting_reason.map(CardId::get),
                    reason_screen: moderation.reason_screen,
                }),
            links: state
                .links
                .as_ref()
                .filter(|links| !links.is_empty())
                .map(|links| StoredLinks {
                    awaiting_words: links.awaiting_words,
                    words: links.words.clone(),
                    opening: links.opening.map(CardId::get),
                }),
        }
    }
}

impl StoredState {
    fn into_state(self, reference: &Reference) -> DialogState {
        let stored = self;
        DialogState {
            wizard: stored.wizard.map(|wizard| Wizard {
                step: wizard.step,
                draft: wizard.draft.into_draft(reference),
                resubmit: wizard.resubmit.map(CardId),
                active: wizard.active,
                id: wizard.id,
                version: wizard.version,
                screen: wizard.screen,
            }),
            moderation: stored.moderation.map(|moderation| Moderation {
                skipped: moderation.skipped.into_iter().map(CardId).collect(),
                awaiting_reason: moderation.awaiting_reason.map(CardId),
                reason_screen: moderation.reason_screen,
            }),
            links: stored.links.map(|links| Links {
                awaiting_words: links.awaiting_words,
                words: links.words,
                opening: links.opening.map(CardId),
            }),
        }
    }
}

impl From<&CardDraft> for StoredDraft {
    fn from(draft: &CardDraft) -> StoredDraft {
        let text = |value: Option<&str>| value.map(str::to_owned);
        StoredDraft {
            city: draft.city.map(CityId::get),
            area: draft.area.map(AreaId::get),
            category: draft.category.map(CategoryId::get),
            subcategory: draft.subcategory.map(SubcategoryId::get),
            title: text(draft.title.as_ref().map(Title::as_str)),
            description: text(draft.description.as_ref().map(Description::as_str)),
            contact: text(draft.contact.as_ref().map(Contact::as_str)),
            address: text(draft.address.as_ref().map(Address::as_str)),
            map_link: text(draft.map_link.as_ref().map(MapLink::as_str)),
            photos: draft.photos.iter().map(|photo| photo.0.clone()).collect(),
            discount: text(draft.discount.as_ref().map(Discount::as_str)),
            location: draft
                .location
                .map(|place| (place.latitude(), place.longitude())),
        }
    }
}

impl StoredDraft {
    /// Each answer is checked again on the way in: one that no longer passes its rule (or
    /// names reference data that is gone) is dropped and will be asked again.
    fn into_draft(self, reference: &Reference) -> CardDraft {
        let mut draft = CardDraft::default();
        if let Some(city) = self.city {
            let _ = draft.set_city(reference, CityId(city));
            let _ = draft.set_area(reference, self.area.map(AreaId));
        }
        if let Some(category) = self.category {
            let _ = draft.set_category(reference, CategoryId(category));
            let _ = draft.set_subcategory(reference, self.subcategory.map(SubcategoryId));
        }
        draft.title = self.title.and_then(|t| Title::parse(&t).ok());
        draft.description = self.description.and_then(|t| Description::parse(&t).ok());
        draft.contact = self.contact.and_then(|t| Contact::parse(&t).ok());
        draft.address = self.address.and_then(|t| Address::parse(&t).ok());
        draft.map_link = self.map_link.and_then(|t| MapLink::parse(&t).ok());
        for photo in self.photos {
            let _ = draft.add_photo(PhotoId(photo));
        }
        draft.discount = self.discount.and_then(|t| Discount::parse(&t).ok());
        draft.location = self
            .location
            .and_then(|(latitude, longitude)| Coordinates::new(latitude, longitude).ok());
        draft
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_state_round_trips_through_json() {
        let reference = &crate::reference::vitrina();
        let mut draft = CardDraft::default();
        draft.set_city(reference, CityId(2)).expect("city");
        draft.set_area(reference, Some(AreaId(202))).expect("area");
        draft
            .set_category(reference, CategoryId(1))
            .expect("category");
        draft
            .set_subcategory(reference, Some(SubcategoryId(103)))
            .expect("subcategory");
        draft.title = Title::parse("Phở <b>&</b> bún").ok();
        draft.description = Description::parse("Ngon").ok();
        draft.contact = Contact::parse("@pho_place").ok();
        draft.address = Address::parse("12 Trần Phú").ok();
        draft.map_link = MapLink::parse("https://maps.example.com/x").ok();
        draft.add_photo(PhotoId("AgAD1".into())).expect("photo");
        draft.discount = Discount::parse("10%").ok();
        draft.location = Coordinates::new(12.2388, 109.1967).ok();
        let state = DialogState {
            wizard: Some(Wizard {
                step: Step::Photos,
                draft,
                resubmit: Some(CardId(7)),
                active: false,
                id: 1_767_225_600_000,
                version: 12,
                screen: Some(MessageId(40)),
            }),
            moderation: Some(Moderation {
                skipped: vec![CardId(1), CardId(2)],
                awaiting_reason: Some(CardId(3)),
                reason_screen: Some(MessageId(41)),
            }),
            links: Some(Links {
                awaiting_words: true,
                words: Some("cà phê".into()),
                opening: Some(CardId(8)),
            }),
        };
        assert_eq!(DialogState::from_json(&state.to_json(), reference), state);
    }

    #[test]
    fn damaged_or_foreign_json_is_no_state_and_bad_answers_are_dropped() {
        let reference = &crate::reference::vitrina();
        for json in ["", "{", "[1,2]", "{\"wizard\":{\"step\":\"Nowhere\"}}"] {
            assert_eq!(
                DialogState::from_json(json, reference),
                DialogState::default(),
                "{json}"
            );
        }
        let json = r#"{"wizard":{"step":"Title","draft":{"city":99,"title":"ab","photos":[]},
            "resubmit":null,"active":true}}"#;
        let state = DialogState::from_json(json, reference);
        let wizard = state.wizard.expect("wizard kept");
        assert_eq!((wizard.draft.city, wizard.draft.title), (None, None));
    }

    #[test]
    fn steps_walk_forward_and_back_in_order() {
        assert_eq!(Step::City.previous(), None);
        let mut step = Step::City;
        for expected in &Step::ORDER[1..] {
            assert_eq!(step.next(), *expected);
            assert_eq!(expected.previous(), Some(step));
            step = *expected;
        }
        assert_eq!(Step::Preview.next(), Step::Preview);
    }
}
