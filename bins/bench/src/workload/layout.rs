//! The cards the seed phase creates through the bot, and what the catalog shows afterwards.
//!
//! The layout is fixed so that the catalog has something to page through (most cards in one
//! city and category, as a busy city's restaurants would be) and so that their ids are known:
//! a fresh database numbers them 1, 2, … in the order they are submitted, one partner after
//! another.

use std::sync::LazyLock;

use vitrina_cards::{AreaId, CategoryId, CityId, Reference, SubcategoryId};

/// Vitrina's reference data, which the seed cards and the sessions pick from.
pub static REFERENCE: LazyLock<Reference> = LazyLock::new(vitrina_dialog::reference::vitrina);

/// Partners whose cards the seed phase creates.
pub const SEED_PARTNERS: usize = 4;

/// Cards each of them submits.
pub const CARDS_PER_PARTNER: usize = 12;

/// Every seed card.
pub const SEED_CARDS: usize = SEED_PARTNERS * CARDS_PER_PARTNER;

/// One card of the seed phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedCard {
    /// The id the database gives it.
    pub id: i64,
    /// Which seed partner (0-based) submits it.
    pub partner: usize,
    pub city: CityId,
    pub area: Option<AreaId>,
    pub category: CategoryId,
    pub subcategory: Option<SubcategoryId>,
    /// Photos sent at the photo step.
    pub photos: usize,
    /// Left for the admins of the measured phases to decide.
    pub pending: bool,
    /// The card its partner hides and shows again in My cards: not browsed, so that a hidden
    /// moment is not counted as a confused visitor.
    pub toggled: bool,
}

/// The seed cards in submission order.
pub fn seed_cards() -> Vec<SeedCard> {
    (0..SEED_CARDS).map(seed_card).collect()
}

fn seed_card(k: usize) -> SeedCard {
    let (city, category) = match k % 4 {
        0 | 1 => (1, 1),
        2 => (1, [2, 3, 4, 5, 6][(k / 4) % 5]),
        _ => ([2, 3, 4][(k / 4) % 3], [1, 2, 4, 6][(k / 4) % 4]),
    };
    let city_data = REFERENCE.city(CityId(city));
    let category_data = REFERENCE.category(CategoryId(category));
    let area = city_data
        .filter(|_| !k.is_multiple_of(7))
        .and_then(|city| city.areas.get(k % city.areas.len().max(1)))
        .map(|area| area.id);
    let subcategory = category_data
        .filter(|category| !category.subcategories.is_empty() && !k.is_multiple_of(5))
        .and_then(|category| {
            category
                .subcategories
                .get((k / 2) % category.subcategories.len())
        })
        .map(|sub| sub.id);
    SeedCard {
        id: k as i64 + 1,
        partner: k / CARDS_PER_PARTNER,
        city: CityId(city),
        area,
        category: CategoryId(category),
        subcategory,
        photos: k % 3,
        pending: k % 6 == 5,
        toggled: k.is_multiple_of(CARDS_PER_PARTNER),
    }
}

/// What a visitor can browse: the published seed cards.
#[derive(Debug, Clone)]
pub struct Shelf {
    cards: Vec<SeedCard>,
}

impl Shelf {
    pub fn new(cards: &[SeedCard]) -> Shelf {
        Shelf {
            cards: cards
                .iter()
                .filter(|card| !card.pending && !card.toggled)
                .copied()
                .collect(),
        }
    }

    /// Card ids listed for a city and category, all subcategories (`None`) or one.
    pub fn listed(
        &self,
        city: CityId,
        category: CategoryId,
        subcategory: Option<SubcategoryId>,
    ) -> Vec<i64> {
        self.cards
            .iter()
            .filter(|card| card.city == city && card.category == category)
            .filter(|card| subcategory.is_none() || card.subcategory == subcategory)
            .map(|card| card.id)
            .collect()
    }

    /// Pages of a listing of `count` cards (an empty listing still shows one).
    pub fn pages(count: usize) -> u32 {
        let page_size = vitrina_dialog::Settings::default().page_size;
        count.div_ceil(page_size as usize).max(1) as u32
    }
}

/// City ids in reference order.
pub fn city_ids() -> Vec<CityId> {
    REFERENCE.cities().iter().map(|city| city.id).collect()
}

/// Category ids in reference order.
pub fn category_ids() -> Vec<CategoryId> {
    REFERENCE
        .categories()
        .iter()
        .map(|category| category.id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busy_listing_has_several_pages_and_every_card_is_valid_reference_data() {
        let cards = seed_cards();
        let shelf = Shelf::new(&cards);
        let busy = shelf.listed(CityId(1), CategoryId(1), None);
        assert!(Shelf::pages(busy.len()) >= 3, "{} cards", busy.len());
        for card in &cards {
            let city = REFERENCE.city(card.city).expect("a known city");
            let category = REFERENCE.category(card.category).expect("a known category");
            if let Some(area) = card.area {
                assert!(city.areas.iter().any(|known| known.id == area), "{card:?}");
            }
            if let Some(sub) = card.subcategory {
                assert!(category.subcategories.iter().any(|known| known.id == sub));
            }
        }
        let ids: Vec<i64> = cards.iter().map(|card| card.id).collect();
        assert_eq!(ids, (1..=SEED_CARDS as i64).collect::<Vec<_>>());
        assert!(cards.iter().any(|card| card.pending));
        assert!(cards.iter().all(|card| !(card.pending && card.toggled)));
    }
}
