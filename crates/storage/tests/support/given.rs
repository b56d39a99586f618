//! Cards, people and moments to start tests from.

use vitrina_cards::{
    Address, AreaId, CardContent, CardId, CardStatus, CategoryId, CityId, Contact, Description,
    Discount, MapLink, PageRequest, PhotoId, RepositoryError, RepositoryResult, SubcategoryId,
    Timestamp, Title, TransitionError, UserId,
};
use vitrina_moderation::{Decision, RejectionReason, StandardReason, Verdict};

pub const PARTNER: UserId = UserId(1001);
pub const OTHER_PARTNER: UserId = UserId(1002);
pub const MODERATOR: UserId = UserId(9);

/// A moment `n` seconds after a fixed start.
pub fn at(n: i64) -> Timestamp {
    Timestamp(1_700_000_000_000 + n * 1000)
}

/// A minimal card in Nha Trang, restaurants.
pub fn content(title: &str) -> CardContent {
    CardContent {
        city: CityId(1),
        area: None,
        category: CategoryId(1),
        subcategory: None,
        title: Title::parse(title).unwrap(),
        description: None,
        contact: Contact::parse("+84 905 123 456").unwrap(),
        address: None,
        map_link: None,
        photos: Vec::new(),
        discount: None,
        location: None,
    }
}

/// A card with every field filled and six photos.
pub fn full_content() -> CardContent {
    CardContent {
        city: CityId(2),
        area: Some(AreaId(202)),
        category: CategoryId(4),
        subcategory: Some(SubcategoryId(402)),
        title: Title::parse("Гостевой дом «Море» — Phở & Spa").unwrap(),
        description: Some(Description::parse("Номера у моря. Phòng gần biển. 바다 전망").unwrap()),
        contact: Contact::parse("@sea_house").unwrap(),
        address: Some(Address::parse("12 Võ Nguyên Giáp, Đà Nẵng").unwrap()),
        map_link: Some(MapLink::parse("https://maps.app.goo.gl/sea").unwrap()),
        photos: (1..=6)
            .map(|n| PhotoId(format!("AgACAgIAAxk-photo-{n}")))
            .collect(),
        discount: Some(Discount::parse("−10% по коду VITRINA").unwrap()),
        location: None,
    }
}

pub fn approve(card: CardId, when: Timestamp) -> Decision {
    Decision::new(card, MODERATOR, Verdict::Approve, when)
}

pub fn reject(card: CardId, when: Timestamp) -> Decision {
    let reason = RejectionReason::Standard(StandardReason::Incomplete);
    Decision::new(card, MODERATOR, Verdict::Reject(reason), when)
}

/// Page `number` of the five-item pages Vitrina shows.
pub fn page(number: u32) -> PageRequest {
    PageRequest::new(number, 5)
}

/// What a repository call answered, in a form tests compare: errors by kind, with what they
/// carry that tests check (`Unavailable` holds an error that cannot be compared).
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    NotFound,
    StatusChanged(CardStatus),
    Refused(TransitionError),
    Invalid,
    Unavailable,
}

impl From<TransitionError> for Refusal {
    fn from(error: TransitionError) -> Refusal {
        Refusal::Refused(error)
    }
}

/// [`Refusal`] for the error of a result.
pub trait Answer<T> {
    fn answer(self) -> Result<T, Refusal>;
}

impl<T> Answer<T> for RepositoryResult<T> {
    fn answer(self) -> Result<T, Refusal> {
        self.map_err(|error| match error {
            RepositoryError::NotFound => Refusal::NotFound,
            RepositoryError::StatusChanged { current } => Refusal::StatusChanged(current),
            RepositoryError::Refused(error) => Refusal::Refused(error),
            RepositoryError::Invalid(_) => Refusal::Invalid,
            RepositoryError::Unavailable(_) => Refusal::Unavailable,
        })
    }
}
