use crate::draft::CardContent;
use crate::ids::{CardId, CategoryId, CityId, SubcategoryId, Timestamp, UserId};
use crate::status::CardStatus;

/// A stored card: its content, its owner and where it is in its life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// Its id.
    pub id: CardId,
    /// The partner who wrote it.
    pub owner: UserId,
    /// Its status.
    pub status: CardStatus,
    /// What it says.
    pub content: CardContent,
    /// Featured cards come first in the catalog.
    pub featured: bool,
    /// Why a moderator rejected it, while it is rejected.
    pub rejection_reason: Option<String>,
    /// When it was first submitted.
    pub created_at: Timestamp,
    /// When its content or status last changed; the moderation queue and *My cards* order by
    /// it.
    pub updated_at: Timestamp,
}

/// A card as one line of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardSummary {
    /// Its id.
    pub id: CardId,
    /// Its title.
    pub title: String,
    /// Its status.
    pub status: CardStatus,
    /// Whether it is featured.
    pub featured: bool,
}

/// Which published cards a catalog page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogFilter {
    /// The city.
    pub city: CityId,
    /// The category.
    pub category: CategoryId,
    /// Only this subcategory; `None` is *All*.
    pub subcategory: Option<SubcategoryId>,
    /// Only titles containing this text, compared case-insensitively in any script.
    pub title_contains: Option<String>,
}

/// Folds text for case-insensitive search in any script: Unicode lowercase, trimmed.
///
/// Storage keeps this form of a title beside it, so that search does not depend on the
/// database's ASCII-only `lower()`.
pub fn search_key(text: &str) -> String {
    text.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    #[test]
    fn search_key_folds_cyrillic_vietnamese_and_latin() {
        let cases = [
            ("  Кофе ", "кофе"),
            ("PHỞ Bò", "phở bò"),
            ("Cà PHÊ", "cà phê"),
            ("맛집", "맛집"),
        ];
        for (text, expected) in cases {
            assert_eq!(super::search_key(text), expected);
        }
    }
}
