//! Inline-button payloads: one enum, encoded as compact ASCII of at most 64 bytes.
//!
//! Parsing matches the whole payload against each form — never a prefix — so that no form can
//! shadow another, and anything else (an outdated or forged payload) is `None`.

use vitrina_cards::{AreaId, CardId, CategoryId, CityId, SubcategoryId};
use vitrina_moderation::StandardReason;

/// Telegram's limit on `callback_data`, in bytes.
pub const MAX_CALLBACK_BYTES: usize = 64;

/// What an inline button does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Callback {
    /// Choose the language with this code.
    Language(LanguageChoice),
    /// Accept the usage policy.
    AcceptPolicy,
    /// Show the usage policy text.
    ReadPolicy,
    /// Catalog: show the city picker.
    CatalogCities,
    /// Catalog: choose a city.
    CatalogCity(CityId),
    /// Catalog: choose a category of the remembered city.
    CatalogCategory(CategoryId),
    /// Catalog: a page of a category, all subcategories or one.
    CatalogPage {
        /// The category.
        category: CategoryId,
        /// The subcategory filter; `None` is *All*.
        subcategory: Option<SubcategoryId>,
        /// The page, from 1.
        page: u32,
    },
    /// Catalog: open a card from a list page.
    CatalogCard {
        /// The card.
        card: CardId,
        /// The category of the list.
        category: CategoryId,
        /// The subcategory filter of the list.
        subcategory: Option<SubcategoryId>,
        /// The page of the list.
        page: u32,
    },
    /// Wizard: the city.
    WizardCity(DraftVersion, CityId),
    /// Wizard: the area, or skip.
    WizardArea(DraftVersion, Option<AreaId>),
    /// Wizard: the category.
    WizardCategory(DraftVersion, CategoryId),
    /// Wizard: the subcategory, or skip.
    WizardSubcategory(DraftVersion, Option<SubcategoryId>),
    /// Wizard: one step back.
    WizardBack(DraftVersion),
    /// Wizard: cancel.
    WizardCancel(DraftVersion),
    /// Wizard preview: submit for moderation.
    WizardSubmit(DraftVersion),
    /// Wizard preview: edit from the first step, answers kept.
    WizardEdit(DraftVersion),
    /// Continue the saved draft with this id.
    DraftContinue(i64),
    /// Throw the saved draft with this id away and start again.
    DraftRestart(i64),
    /// My cards: a page (also *Refresh*).
    MyCards(u32),
    /// My cards: start the wizard (from the empty list).
    MyCardsAdd,
    /// My cards: view a card, remembering the page.
    MyCard(CardId, u32),
    /// My cards: hide a published card.
    MyCardHide(CardId, u32),
    /// My cards: show an archived card.
    MyCardShow(CardId, u32),
    /// My cards: ask to delete.
    MyCardDelete(CardId, u32),
    /// My cards: deletion confirmed.
    MyCardDeleteConfirm(CardId, u32),
    /// My cards: edit a rejected card and resubmit.
    MyCardEdit(CardId),
    /// Moderation: open the queue at a card (the *Review* button of a notification).
    Review(CardId),
    /// Moderation: approve.
    Approve(CardId),
    /// Moderation: reject — show the reasons.
    Reject(CardId),
    /// Moderation: reject with a standard reason.
    RejectWith(CardId, StandardReason),
    /// Moderation: reject with a reason typed next.
    RejectOther(CardId),
    /// Moderation: from the reasons back to the card under review.
    RejectBack(CardId),
    /// Moderation: leave this card for later.
    Skip(CardId),
    /// Moderation: leave the queue.
    Finish,
    /// A button that only shows something (the page counter).
    Nothing,
    /// *Back* of a pager on its first page: a toast, nothing changes.
    FirstPage,
    /// *Forward* of a pager on its last page: a toast, nothing changes.
    LastPage,
    /// My cards: keep the card after all; its view comes back in place.
    MyCardDeleteCancel(CardId, u32),
    /// A published card's link to share (and, for its partner, its QR code).
    Share(CardId),
    /// Search: ask for the words.
    SearchAsk,
    /// Search: a page of the results of the words last searched.
    SearchPage(u32),
    /// Search: open a card from a results page, remembering the page.
    SearchCard(CardId, u32),
    /// Send a published (or one's own) card's place as a venue.
    CardVenue(CardId),
    /// Catalog: *Nearby* — ask for the person's location.
    Nearby,
    /// *Nearby*: a page of the places nearest to a point.
    NearbyPage {
        /// Where the person was.
        from: NearPoint,
        /// The page, from 1.
        page: u32,
    },
    /// *Nearby*: open a card from a page of the list.
    NearbyCard {
        /// The card.
        card: CardId,
        /// Where the person was.
        from: NearPoint,
        /// The page of the list.
        page: u32,
    },
    /// My cards: ask before editing a published or hidden card (it leaves the catalog until
    /// the edit is approved).
    MyCardEditPublished(CardId, u32),
    /// My cards: edit the published or hidden card, confirmed.
    MyCardEditConfirm(CardId),
    /// Admin, on a catalog card: show it first in its lists.
    AdminFeature(CardId),
    /// Admin, on a catalog card: stop showing it first.
    AdminUnfeature(CardId),
    /// Admin, on a catalog card: take it down — show the reasons.
    AdminTakeDown(CardId),
    /// Admin: take the card down with a standard reason.
    AdminTakeDownWith(CardId, StandardReason),
    /// Admin: from the takedown reasons back to the card.
    AdminCardBack(CardId),
    /// `/forget_me`: yes, delete my data.
    ForgetMeConfirm,
    /// `/forget_me`: no, keep it.
    ForgetMeCancel,
}

/// A point in micro-degrees, as a *Nearby* button carries the person's location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NearPoint {
    /// Latitude in millionths of a degree.
    pub latitude: i32,
    /// Longitude in millionths of a degree.
    pub longitude: i32,
}

impl NearPoint {
    fn parse(latitude: &str, longitude: &str) -> Option<NearPoint> {
        Some(NearPoint {
            latitude: signed(latitude)?,
            longitude: signed(longitude)?,
        })
    }
}

/// A signed decimal of an `i32`: an optional `-`, then plain digits.
fn signed(text: &str) -> Option<i32> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let magnitude = i32::try_from(id(digits)?).ok()?;
    Some(if text.starts_with('-') {
        -magnitude
    } else {
        magnitude
    })
}

/// Which draft a wizard button was sent for, and which showing of it: a button counts only
/// while both are still the ones on screen, so an old message's button cannot act on a later
/// step or on the next card's draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DraftVersion {
    /// The draft: when it was started, in milliseconds since the epoch.
    pub draft: i64,
    /// The showing of that draft: one more at every question or preview shown.
    pub version: u32,
}

impl DraftVersion {
    fn parse(draft: &str, version: &str) -> Option<DraftVersion> {
        Some(DraftVersion {
            draft: id(draft)?,
            version: page(version)?,
        })
    }
}

impl std::fmt::Display for DraftVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.draft, self.version)
    }
}

/// A language of the picker, as it travels in callback data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LanguageChoice(pub [u8; 2]);

impl LanguageChoice {
    /// The two-letter code.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("ru")
    }
}

fn id(text: &str) -> Option<i64> {
    // Only plain decimal digits: no sign, no leading `+`, so each id has one spelling.
    (!text.is_empty() && text.len() <= 19 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn page(text: &str) -> Option<u32> {
    id(text).and_then(|n| u32::try_from(n).ok())
}

/// `0` stands for "none" (skip, or *All*).
fn optional(text: &str) -> Option<Option<i64>> {
    id(text).map(|n| (n != 0).then_some(n))
}

impl Callback {
    /// Reads a payload; `None` for anything that is not exactly one of the forms.
    pub fn parse(data: &str) -> Option<Callback> {
        use Callback as C;
        if data.len() > MAX_CALLBACK_BYTES {
            return None;
        }
        let parts: Vec<&str> = data.split(':').collect();
        let parsed = match parts.as_slice() {
            ["lang", code] if code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase()) => {
                let bytes = code.as_bytes();
                C::Language(LanguageChoice([bytes[0], bytes[1]]))
            }
            ["pol", "ok"] => C::AcceptPolicy,
            ["pol", "read"] => C::ReadPolicy,
            ["cat", "cities"] => C::CatalogCities,
            ["cat", "c", city] => C::CatalogCity(CityId(id(city)?)),
            ["cat", "k", category] => C::CatalogCategory(CategoryId(id(category)?)),
            ["cat", "l", category, sub, n] => C::CatalogPage {
                category: CategoryId(id(category)?),
                subcategory: optional(sub)?.map(SubcategoryId),
                page: page(n)?,
            },
            ["cat", "v", card, category, sub, n] => C::CatalogCard {
                card: CardId(id(card)?),
                category: CategoryId(id(category)?),
                subcategory: optional(sub)?.map(SubcategoryId),
                page: page(n)?,
            },
            ["wz", "c", d, v, city] => C::WizardCity(DraftVersion::parse(d, v)?, CityId(id(city)?)),
            ["wz", "a", d, v, area] => {
                C::WizardArea(DraftVersion::parse(d, v)?, optional(area)?.map(AreaId))
            }
            ["wz", "k", d, v, category] => {
                C::WizardCategory(DraftVersion::parse(d, v)?, CategoryId(id(category)?))
            }
            ["wz", "s", d, v, sub] => C::WizardSubcategory(
                DraftVersion::parse(d, v)?,
                optional(sub)?.map(SubcategoryId),
            ),
            ["wz", "back", d, v] => C::WizardBack(DraftVersion::parse(d, v)?),
            ["wz", "cancel", d, v] => C::WizardCancel(DraftVersion::parse(d, v)?),
            ["wz", "submit", d, v] => C::WizardSubmit(DraftVersion::parse(d, v)?),
            ["wz", "edit", d, v] => C::WizardEdit(DraftVersion::parse(d, v)?),
            ["wz", "resume", d] => C::DraftContinue(id(d)?),
            ["wz", "restart", d] => C::DraftRestart(id(d)?),
            ["my", "p", n] => C::MyCards(page(n)?),
            ["my", "add"] => C::MyCardsAdd,
            ["my", "v", card, n] => C::MyCard(CardId(id(card)?), page(n)?),
            ["my", "h", card, n] => C::MyCardHide(CardId(id(card)?), page(n)?),
            ["my", "s", card, n] => C::MyCardShow(CardId(id(card)?), page(n)?),
            ["my", "d", card, n] => C::MyCardDelete(CardId(id(card)?), page(n)?),
            ["my", "dy", card, n] => C::MyCardDeleteConfirm(CardId(id(card)?), page(n)?),
            ["my", "e", card] => C::MyCardEdit(CardId(id(card)?)),
            ["mod", "v", card] => C::Review(CardId(id(card)?)),
            ["mod", "a", card] => C::Approve(CardId(id(card)?)),
            ["mod", "r", card] => C::Reject(CardId(id(card)?)),
            ["mod", "rr", card, code] => {
                C::RejectWith(CardId(id(card)?), StandardReason::parse(code)?)
            }
            ["mod", "ro", card] => C::RejectOther(CardId(id(card)?)),
            ["mod", "rb", card] => C::RejectBack(CardId(id(card)?)),
            ["mod", "s", card] => C::Skip(CardId(id(card)?)),
            ["mod", "f"] => C::Finish,
            ["noop"] => C::Nothing,
            ["pg", "first"] => C::FirstPage,
            ["pg", "last"] => C::LastPage,
            ["my", "dn", card, n] => C::MyCardDeleteCancel(CardId(id(card)?), page(n)?),
            ["sh", card] => C::Share(CardId(id(card)?)),
            ["sr", "ask"] => C::SearchAsk,
            ["sr", "p", n] => C::SearchPage(page(n)?),
            ["sr", "v", card, n] => C::SearchCard(CardId(id(card)?), page(n)?),
            ["pl", "v", card] => C::CardVenue(CardId(id(card)?)),
            ["pl", "ask"] => C::Nearby,
            ["pl", "p", lat, lon, n] => C::NearbyPage {
                from: NearPoint::parse(lat, lon)?,
                page: page(n)?,
            },
            ["pl", "c", card, lat, lon, n] => C::NearbyCard {
                card: CardId(id(card)?),
                from: NearPoint::parse(lat, lon)?,
                page: page(n)?,
            },
            ["my", "ep", card, n] => C::MyCardEditPublished(CardId(id(card)?), page(n)?),
            ["my", "ey", card] => C::MyCardEditConfirm(CardId(id(card)?)),
            ["adm", "f", card] => C::AdminFeature(CardId(id(card)?)),
            ["adm", "u", card] => C::AdminUnfeature(CardId(id(card)?)),
            ["adm", "t", card] => C::AdminTakeDown(CardId(id(card)?)),
            ["adm", "tr", card, code] => {
                C::AdminTakeDownWith(CardId(id(card)?), StandardReason::parse(code)?)
            }
            ["adm", "b", card] => C::AdminCardBack(CardId(id(card)?)),
            ["me", "forget", "yes"] => C::ForgetMeConfirm,
            ["me", "forget", "no"] => C::ForgetMeCancel,
            _ => return None,
        };
        Some(parsed)
    }

    /// The payload; [`Callback::parse`] reads it back to the same value.
    pub fn encode(&self) -> String {
        use Callback as C;
        let opt = |value: Option<i64>| value.unwrap_or(0);
        match *self {
            C::Language(choice) => format!("lang:{}", choice.code()),
            C::AcceptPolicy => "pol:ok".into(),
            C::ReadPolicy => "pol:read".into(),
            C::CatalogCities => "cat:cities".into(),
            C::CatalogCity(city) => format!("cat:c:{city}"),
            C::CatalogCategory(category) => format!("cat:k:{category}"),
            C::CatalogPage {
                category,
                subcategory,
                page,
            } => {
                format!("cat:l:{category}:{}:{page}", opt(subcategory.map(|s| s.0)))
            }
            C::CatalogCard {
                card,
                category,
                subcategory,
                page,
            } => {
                format!(
                    "cat:v:{card}:{category}:{}:{page}",
                    opt(subcategory.map(|s| s.0))
                )
            }
            C::WizardCity(at, city) => format!("wz:c:{at}:{city}"),
            C::WizardArea(at, area) => format!("wz:a:{at}:{}", opt(area.map(|a| a.0))),
            C::WizardCategory(at, category) => format!("wz:k:{at}:{category}"),
            C::WizardSubcategory(at, sub) => format!("wz:s:{at}:{}", opt(sub.map(|s| s.0))),
            C::WizardBack(at) => format!("wz:back:{at}"),
            C::WizardCancel(at) => format!("wz:cancel:{at}"),
            C::WizardSubmit(at) => format!("wz:submit:{at}"),
            C::WizardEdit(at) => format!("wz:edit:{at}"),
            C::DraftContinue(draft) => format!("wz:resume:{draft}"),
            C::DraftRestart(draft) => format!("wz:restart:{draft}"),
            C::MyCards(page) => format!("my:p:{page}"),
            C::MyCardsAdd => "my:add".into(),
            C::MyCard(card, page) => format!("my:v:{card}:{page}"),
            C::MyCardHide(card, page) => format!("my:h:{card}:{page}"),
            C::MyCardShow(card, page) => format!("my:s:{card}:{page}"),
            C::MyCardDelete(card, page) => format!("my:d:{card}:{page}"),
            C::MyCardDeleteConfirm(card, page) => format!("my:dy:{card}:{page}"),
            C::MyCardEdit(card) => format!("my:e:{card}"),
            C::Review(card) => format!("mod:v:{card}"),
            C::Approve(card) => format!("mod:a:{card}"),
            C::Reject(card) => format!("mod:r:{card}"),
            C::RejectWith(card, reason) => format!("mod:rr:{card}:{}", reason.code()),
            C::RejectOther(card) => format!("mod:ro:{card}"),
            C::RejectBack(card) => format!("mod:rb:{card}"),
            C::Skip(card) => format!("mod:s:{card}"),
            C::Finish => "mod:f".into(),
            C::Nothing => "noop".into(),
            C::FirstPage => "pg:first".into(),
            C::LastPage => "pg:last".into(),
            C::MyCardDeleteCancel(card, page) => format!("my:dn:{card}:{page}"),
            C::Share(card) => format!("sh:{card}"),
            C::SearchAsk => "sr:ask".into(),
            C::SearchPage(page) => format!("sr:p:{page}"),
            C::SearchCard(card, page) => format!("sr:v:{card}:{page}"),
            C::CardVenue(card) => format!("pl:v:{card}"),
            C::Nearby => "pl:ask".into(),
            C::NearbyPage { from, page } => {
                format!("pl:p:{}:{}:{page}", from.latitude, from.longitude)
            }
            C::NearbyCard { card, from, page } => {
                format!("pl:c:{card}:{}:{}:{page}", from.latitude, from.longitude)
            }
            C::MyCardEditPublished(card, page) => format!("my:ep:{card}:{page}"),
            C::MyCardEditConfirm(card) => format!("my:ey:{card}"),
            C::AdminFeature(card) => format!("adm:f:{card}"),
            C::AdminUnfeature(card) => format!("adm:u:{card}"),
            C::AdminTakeDown(card) => format!("adm:t:{card}"),
            C::AdminTakeDownWith(card, reason) => format!("adm:tr:{card}:{}", reason.code()),
            C::AdminCardBack(card) => format!("adm:b:{card}"),
            C::ForgetMeConfirm => "me:forget:yes".into(),
            C::ForgetMeCancel => "me:forget:no".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One value of every form, with the largest ids each can carry.
    fn every_form() -> Vec<Callback> {
        use Callback as C;
        let card = CardId(i64::MAX);
        let category = CategoryId(999);
        let sub = Some(SubcategoryId(999));
        let page = u32::MAX;
        let at = DraftVersion {
            draft: i64::MAX,
            version: u32::MAX,
        };
        let mut all = vec![
            C::Language(LanguageChoice(*b"vi")),
            C::AcceptPolicy,
            C::ReadPolicy,
            C::CatalogCities,
            C::CatalogCity(CityId(999)),
            C::CatalogCategory(category),
            C::CatalogPage {
                category,
                subcategory: sub,
                page,
            },
            C::CatalogPage {
                category,
                subcategory: None,
                page: 1,
            },
            C::CatalogCard {
                card,
                category,
                subcategory: sub,
                page,
            },
            C::WizardCity(at, CityId(4)),
            C::WizardArea(at, Some(AreaId(401))),
            C::WizardArea(at, None),
            C::WizardCategory(at, category),
            C::WizardSubcategory(at, sub),
            C::WizardSubcategory(at, None),
            C::WizardBack(at),
            C::WizardCancel(at),
            C::WizardSubmit(at),
            C::WizardEdit(at),
            C::DraftContinue(i64::MAX),
            C::DraftRestart(i64::MAX),
            C::MyCards(page),
            C::MyCardsAdd,
            C::MyCard(card, page),
            C::MyCardHide(card, page),
            C::MyCardShow(card, page),
            C::MyCardDelete(card, page),
            C::MyCardDeleteConfirm(card, page),
            C::MyCardEdit(card),
            C::Review(card),
            C::Approve(card),
            C::Reject(card),
            C::RejectOther(card),
            C::RejectBack(card),
            C::Skip(card),
            C::Finish,
            C::Nothing,
            C::FirstPage,
            C::LastPage,
            C::MyCardDeleteCancel(card, page),
            C::Share(card),
            C::SearchAsk,
            C::SearchPage(page),
            C::SearchCard(card, page),
            C::CardVenue(card),
            C::Nearby,
            C::NearbyPage {
                from: NearPoint {
                    latitude: -89_999_999,
                    longitude: -179_999_999,
                },
                page,
            },
            C::NearbyCard {
                card,
                from: NearPoint {
                    latitude: 12_238_800,
                    longitude: 109_196_700,
                },
                page,
            },
            C::MyCardEditPublished(card, page),
            C::MyCardEditConfirm(card),
            C::AdminFeature(card),
            C::AdminUnfeature(card),
            C::AdminTakeDown(card),
            C::AdminCardBack(card),
            C::ForgetMeConfirm,
            C::ForgetMeCancel,
        ];
        all.extend(StandardReason::ALL.map(|reason| C::RejectWith(card, reason)));
        all.extend(StandardReason::ALL.map(|reason| C::AdminTakeDownWith(card, reason)));
        all
    }

    #[test]
    fn every_form_round_trips_within_64_ascii_bytes() {
        for callback in every_form() {
            let data = callback.encode();
            assert!(data.is_ascii(), "{data}");
            assert!(
                data.len() <= MAX_CALLBACK_BYTES,
                "{data} is {} bytes",
                data.len()
            );
            assert_eq!(Callback::parse(&data), Some(callback), "{data}");
        }
    }

    #[test]
    fn no_two_forms_share_an_encoding() {
        let encoded: std::collections::HashSet<String> =
            every_form().iter().map(Callback::encode).collect();
        assert_eq!(encoded.len(), every_form().len());
    }

    #[test]
    fn malformed_outdated_and_forged_payloads_are_refused() {
        let refused = [
            "",
            "my",
            "my:d",
            "my:d:12",                     // missing page
            "my:d:12:1:extra",             // trailing part
            "my:dy:confirm:1",             // not an id
            "my:v:-5:1",                   // sign
            "my:v:+5:1",                   // sign
            "my:v:99999999999999999999:1", // past i64
            "my:p:4294967296",             // past u32
            "mod:rr:5:spam",               // unknown reason
            "lang:xx:1",
            "lang:EN",
            "pc:del:confirm:5", // the old system's form
            // Wizard buttons sent before they carried their draft and its version.
            "wz:c:4",
            "wz:s:0",
            "wz:back",
            "wz:submit",
            "wz:edit",
            "wz:resume",
            "wz:restart",
            "wz:back:5", // a draft without its version
            "cat:l:1:0",
            "noop:1",
            "sh",
            "sh:1:2",
            "sr:p",
            "sr:v:5",
            "pl:p:--5:1:1",          // a doubled sign
            "pl:p:+5:1:1",           // a plus sign
            "pl:p:1:1",              // missing page
            "pl:c:5:1:3000000000:1", // past i32
            "adm:tr:5:spam",         // unknown reason
            "adm:f",
            "me:forget",
            "me:forget:maybe",
        ];
        for data in refused {
            assert_eq!(Callback::parse(data), None, "{data:?}");
        }
        let long = format!("my:v:{}:1", "1".repeat(70));
        assert_eq!(Callback::parse(&long), None);
    }
}
