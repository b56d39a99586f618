//! What a person can see of a text, and bidi controls that cannot leak out of it.
//!
//! Telegram shows zero-width characters, soft hyphens, bidi controls and other format
//! characters as nothing: a title made only of them looks empty in every list. So the length
//! rules count the characters a person sees ([`count`]), not the code points.
//!
//! A text also goes into lists and admin messages next to other texts, where an embedding or
//! override left open (U+202A–U+202E) or an isolate left open (U+2066–U+2068) would reverse
//! what follows it. [`balanced`] drops the closers that close nothing and closes what is
//! left open at the end, so that a stored text is self-contained.
//!
//! ```
//! use vitrina_cards::visible;
//!
//! assert_eq!(visible::count("\u{200B}\u{00AD}\u{202E}\u{2066}"), 0);
//! assert_eq!(visible::count("Cafe\u{200D}"), 4);
//! assert_eq!(visible::balanced("\u{202E}evil"), "\u{202E}evil\u{202C}");
//! assert_eq!(visible::balanced("plain\u{2069}"), "plain");
//! ```

/// Pop directional formatting: closes an embedding or override.
const PDF: char = '\u{202C}';
/// Pop directional isolate: closes an isolate.
const PDI: char = '\u{2069}';

/// Whether `c` shows as nothing: a format character (general category Cf: zero-width
/// spaces and joiners, the soft hyphen, bidi marks and controls, invisible operators, tags),
/// a variation selector, the combining grapheme joiner, the Hangul fillers or the blank
/// Braille pattern.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        // Format characters (Cf), as of Unicode 16.
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
            // Marks and letters that have no glyph of their own.
            | '\u{034F}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180D}'
            | '\u{180F}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FFA0}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// How many characters of `text` a person sees: every character but the invisible ones
/// ([`is_invisible`]).
pub fn count(text: &str) -> usize {
    text.chars().filter(|c| !is_invisible(*c)).count()
}

/// What a bidi control opens, on the stack of [`balanced`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opened {
    /// An embedding or override, closed by PDF.
    Embedding,
    /// An isolate, closed by PDI.
    Isolate,
}

/// `text` with its bidi controls balanced as the Unicode bidi algorithm pairs them: a PDF
/// that closes no embedding (or would reach across an isolate) and a PDI that closes no
/// isolate are removed; a PDI closes the embeddings still open inside its isolate first; and
/// whatever is still open at the end is closed there, innermost first.
pub fn balanced(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open: Vec<Opened> = Vec::new();
    for c in text.chars() {
        match c {
            '\u{202A}' | '\u{202B}' | '\u{202D}' | '\u{202E}' => {
                open.push(Opened::Embedding);
                out.push(c);
            }
            '\u{2066}'..='\u{2068}' => {
                open.push(Opened::Isolate);
                out.push(c);
            }
            PDF => {
                if open.last() == Some(&Opened::Embedding) {
                    open.pop();
                    out.push(c);
                }
            }
            PDI => {
                if open.contains(&Opened::Isolate) {
                    while let Some(Opened::Embedding) = open.pop() {
                        out.push(PDF);
                    }
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    while let Some(opened) = open.pop() {
        out.push(match opened {
            Opened::Embedding => PDF,
            Opened::Isolate => PDI,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_not_counted() {
        let cases = [
            ("", 0),
            ("\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}", 0),
            ("\u{00AD}\u{00AD}\u{00AD}", 0),
            (
                "\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{200E}\u{200F}\u{061C}",
                0,
            ),
            ("\u{2066}\u{2067}\u{2068}\u{2069}", 0),
            (
                "\u{3164}\u{115F}\u{FFA0}\u{2800}\u{034F}\u{FE0F}\u{E0020}",
                0,
            ),
            ("abc", 3),
            ("a\u{200B}b\u{200B}c", 3),
            ("Кофе", 4),
            ("카페", 2),
            ("Phở", 3),
            ("❤\u{FE0F}", 1),
            ("👩\u{200D}💻", 2),
        ];
        for (text, seen) in cases {
            assert_eq!(count(text), seen, "{text:?}");
        }
    }

    #[test]
    fn bidi_controls_are_balanced() {
        let cases = [
            ("plain", "plain"),
            // Closed already: kept as it is.
            ("a\u{202E}b\u{202C}c", "a\u{202E}b\u{202C}c"),
            ("a\u{2067}b\u{2069}c", "a\u{2067}b\u{2069}c"),
            // Left open: closed at the end, innermost first.
            ("\u{202E}gnp.exe", "\u{202E}gnp.exe\u{202C}"),
            ("\u{2067}a\u{202B}b", "\u{2067}a\u{202B}b\u{202C}\u{2069}"),
            ("\u{202D}\u{202E}x", "\u{202D}\u{202E}x\u{202C}\u{202C}"),
            // Closers of nothing: removed.
            ("a\u{202C}b\u{2069}c", "abc"),
            // A PDF cannot close an embedding outside its isolate.
            (
                "\u{202E}a\u{2066}b\u{202C}",
                "\u{202E}a\u{2066}b\u{2069}\u{202C}",
            ),
            // A PDI closes the embeddings open inside its isolate.
            (
                "\u{2066}a\u{202E}b\u{2069}c",
                "\u{2066}a\u{202E}b\u{202C}\u{2069}c",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(balanced(text), expected, "{text:?}");
        }
    }

    /// The rule each text field of a card breaks with `text`, `None` when it takes it.
    fn rules(text: &str) -> [Option<crate::Rule>; 6] {
        use crate::{Address, Contact, Description, Discount, MapLink, Title};
        [
            Title::parse(text).err().map(|e| e.rule),
            Description::parse(text).err().map(|e| e.rule),
            Address::parse(text).err().map(|e| e.rule),
            Discount::parse(text).err().map(|e| e.rule),
            Contact::parse(text).err().map(|e| e.rule),
            MapLink::parse(text).err().map(|e| e.rule),
        ]
    }

    #[test]
    fn a_field_of_only_invisible_characters_is_empty() {
        use crate::Rule::Required;
        for text in [
            "\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}",
            "\u{00AD}\u{00AD}\u{00AD}\u{00AD}\u{00AD}\u{00AD}",
            "\u{202E}\u{202E}\u{202E}\u{202E}\u{202E}",
            "\u{2066}\u{2069}\u{200E}\u{200F}\u{2060}\u{FEFF}",
            " \u{3164}\u{3164}\u{3164}\u{3164}\u{3164} ",
        ] {
            assert_eq!(rules(text), [Some(Required); 6], "{text:?}");
        }
    }

    #[test]
    fn the_least_length_counts_what_a_person_sees() {
        use crate::{Rule, Title};
        let padded = "a\u{200B}\u{200B}\u{200B}b";
        assert_eq!(
            Title::parse(padded).err().map(|e| e.rule),
            Some(Rule::TooShort { min: 3 })
        );
        assert!(Title::parse("a\u{00AD}bc").is_ok());
    }

    #[test]
    fn fields_are_stored_with_their_bidi_controls_balanced() {
        use crate::{Description, Title};
        let title = Title::parse("  \u{202E}Shop Sea  ").map(|t| t.as_str().to_owned());
        assert_eq!(title, Ok("\u{202E}Shop Sea\u{202C}".to_owned()));
        let description = Description::parse("fine\u{2069}\u{202C} text\u{2067}");
        assert_eq!(
            description.map(|d| d.as_str().to_owned()),
            Ok("fine text\u{2067}\u{2069}".to_owned())
        );
    }

    #[test]
    fn balancing_is_idempotent() {
        for text in [
            "\u{202E}a\u{2066}b\u{202C}",
            "x\u{2069}\u{202B}y",
            "\u{2068}",
        ] {
            let once = balanced(text);
            assert_eq!(balanced(&once), once, "{text:?}");
        }
    }
}
