//! Word search over published cards: the folding that makes it case- and diacritics-blind in
//! every script, and what a query is.
//!
//! Storage keeps [`search_text`] of a card's title and description beside the card, so that a
//! query is a plain `LIKE` on either engine: neither SQLite's `lower()` nor `LIKE` folds
//! anything but ASCII, and no engine drops Vietnamese tone marks.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The most words a query is searched by; the rest are ignored.
pub const MAX_QUERY_WORDS: usize = 8;

/// Folds `text` for search: lowercase, without diacritics (the Vietnamese tone and vowel marks,
/// accents, the Cyrillic diaeresis: `phở` → `pho`, `ёлка` → `елка`), `đ` read as `d`, and
/// every run of whitespace and punctuation made one space. `й` stays itself (a letter of its
/// own in Russian, not an accented `и`), and Hangul stays whole: its syllables decompose into
/// letters, not marks.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut gap = false;
    // Composed first, so that a letter typed as base + mark is read as the one letter.
    for c in text.nfc() {
        if !c.is_alphanumeric() {
            gap = true;
            continue;
        }
        if gap && !folded.is_empty() {
            folded.push(' ');
        }
        gap = false;
        match c {
            'đ' | 'Đ' => folded.push('d'),
            'й' | 'Й' | '\u{AC00}'..='\u{D7A3}' => folded.extend(c.to_lowercase()),
            _ => {
                for base in std::iter::once(c).nfd().filter(|c| !is_combining_mark(*c)) {
                    folded.extend(base.to_lowercase());
                }
            }
        }
    }
    folded
}

/// What storage keeps to search a card by: its folded title and description, with a space
/// between them so that no word joins the last word of the title to the first of the
/// description.
pub fn search_text(title: &str, description: Option<&str>) -> String {
    match description.map(fold).filter(|text| !text.is_empty()) {
        Some(description) => format!("{} {description}", fold(title)),
        None => fold(title),
    }
}

/// A query: the folded words a card must all contain, in the order typed, without repeats.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchQuery {
    words: Vec<String>,
}

impl SearchQuery {
    /// The query of what a person typed; `None` when it holds no word.
    pub fn parse(text: &str) -> Option<SearchQuery> {
        let mut words: Vec<String> = Vec::new();
        for word in fold(text).split(' ').filter(|word| !word.is_empty()) {
            if words.len() == MAX_QUERY_WORDS {
                break;
            }
            if !words.iter().any(|known| known == word) {
                words.push(word.to_owned());
            }
        }
        (!words.is_empty()).then_some(SearchQuery { words })
    }

    /// The folded words, each of which a matching card's [`search_text`] contains.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// Whether a card with this [`search_text`] matches.
    pub fn matches(&self, search_text: &str) -> bool {
        self.words
            .iter()
            .all(|word| search_text.contains(word.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_drops_case_and_diacritics_in_all_four_languages() {
        let cases = [
            ("  Кофейня ЁЛКА ", "кофейня елка"),
            ("Чай и КОФЕ йога", "чай и кофе йога"),
            ("PHỞ Bò Đà Nẵng", "pho bo da nang"),
            ("Cà PHÊ sữa đá!", "ca phe sua da"),
            ("Café, crème-brûlée", "cafe creme brulee"),
            ("맛집 해변", "맛집 해변"),
            ("Spa\n\t&  massage", "spa massage"),
        ];
        for (text, expected) in cases {
            assert_eq!(fold(text), expected, "{text:?}");
        }
    }

    #[test]
    fn a_query_matches_cards_containing_every_word_whatever_their_marks() {
        let card = search_text("Phở Hà Nội", Some("Bún chả, cà phê trứng"));
        assert_eq!(card, "pho ha noi bun cha ca phe trung");
        for typed in ["pho", "PHỞ hà", "cà phe", "Trứng phở"] {
            let query = SearchQuery::parse(typed).expect("words");
            assert!(query.matches(&card), "{typed}");
        }
        let query = SearchQuery::parse("pho pizza").expect("words");
        assert!(!query.matches(&card));
    }

    #[test]
    fn a_query_without_words_is_none_and_words_are_counted_once() {
        assert_eq!(SearchQuery::parse("  ?! "), None);
        let query = SearchQuery::parse("spa SPA spá massage").expect("words");
        assert_eq!(query.words(), ["spa", "massage"]);
        let long = "a b c d e f g h i j k";
        let query = SearchQuery::parse(long).expect("words");
        assert_eq!(query.words().len(), MAX_QUERY_WORDS);
    }

    #[test]
    fn a_card_without_description_is_searched_by_its_title() {
        assert_eq!(search_text("Ёлка", None), "елка");
        assert_eq!(search_text("Ёлка", Some("  ")), "елка");
    }
}
