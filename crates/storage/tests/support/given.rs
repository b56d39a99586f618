//! Cards, people and moments to start tests from.

use vitrina_cards::{
    Address, AreaId, CardContent, CardId, CategoryId, CityId, Contact, Description, Discount,
    MapLink, PhotoId, SubcategoryId, Timestamp, Title, UserId,
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
    }
}

pub fn approve(card: CardId, when: Timestamp) -> Decision {
    Decision::new(card, MODERATOR, Verdict::Approve, when)
}

pub fn reject(card: CardId, when: Timestamp) -> Decision {
    let reason = RejectionReason::Standard(StandardReason::Incomplete);
    Decision::new(card, MODERATOR, Verdict::Reject(reason), when)
}
