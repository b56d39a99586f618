//! Telegram's HTML parse mode: the allowed tags, the entity decoding and the exact error texts of
//! the Bot API (`can't parse entities: …`), so a bot that builds broken HTML fails here as it
//! would fail in production.
//!
//! One deliberate difference: Telegram keeps a lone `&` (or an unknown named entity such as
//! `&laquo;`) as literal text, while this parser refuses it. A lone `&` almost always means user
//! text went into a message unescaped, which is the bug worth catching.

use serde::{Deserialize, Serialize};

/// A formatting entity of a message, as the Bot API reports it (offsets and lengths in UTF-16
/// code units).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// `bold`, `italic`, `text_link`, `code`, `pre`, `bot_command`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// Start, in UTF-16 code units.
    pub offset: usize,
    /// Length, in UTF-16 code units.
    pub length: usize,
    /// The target of a `text_link`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The language of a `pre` block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The emoji of a `custom_emoji`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_emoji_id: Option<String>,
}

impl Entity {
    pub(crate) fn new(kind: &str, offset: usize, length: usize) -> Self {
        Self {
            kind: kind.to_owned(),
            offset,
            length,
            url: None,
            language: None,
            custom_emoji_id: None,
        }
    }
}

/// Text after entity parsing, with its entities.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Formatted {
    pub(crate) text: String,
    pub(crate) entities: Vec<Entity>,
}

impl Formatted {
    pub(crate) fn plain(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            entities: Vec::new(),
        }
    }

    /// Telegram strips the whitespace around a message; entities move with the text and are cut
    /// to what is left.
    pub(crate) fn trimmed(self) -> Self {
        let start = self.text.len() - self.text.trim_start().len();
        let kept = self.text.trim();
        let lead: usize = self.text[..start].encode_utf16().count();
        let kept_len = kept.encode_utf16().count();
        let entities = self
            .entities
            .into_iter()
            .filter_map(|mut entity| {
                let begin = entity.offset.saturating_sub(lead).min(kept_len);
                let end = (entity.offset + entity.length)
                    .saturating_sub(lead)
                    .min(kept_len);
                (end > begin).then(|| {
                    entity.offset = begin;
                    entity.length = end - begin;
                    entity
                })
            })
            .collect();
        Self {
            text: kept.to_owned(),
            entities,
        }
    }
}

const TAGS: &[&str] = &[
    "a",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
];

struct Open {
    /// Position among start tags; breaks ties so an outer entity comes before an inner one.
    order: usize,
    tag: String,
    argument: String,
    expandable: bool,
    /// Set by a `<code class="language-…">` directly inside this `<pre>`.
    language: Option<String>,
    offset: usize,
}

/// Parses Telegram HTML. The error is the part of the description after
/// `can't parse entities: `.
pub(crate) fn parse_html(input: &str) -> Result<Formatted, String> {
    let bytes = input.as_bytes();
    let mut parser = Cursor {
        input,
        bytes,
        at: 0,
    };
    let mut text = String::with_capacity(input.len());
    let mut utf16 = 0usize;
    let mut open: Vec<Open> = Vec::new();
    let mut opened = 0usize;
    let mut entities: Vec<(usize, Entity)> = Vec::new();

    while let Some(byte) = parser.peek() {
        if byte == b'&' {
            let ch = parser.entity()?;
            text.push(ch);
            utf16 += ch.len_utf16();
            continue;
        }
        if byte != b'<' {
            let ch = parser.next_char();
            text.push(ch);
            utf16 += ch.len_utf16();
            continue;
        }
        let begin = parser.at;
        parser.at += 1;
        if parser.peek() == Some(b'/') {
            parser.at += 1;
            let Some(last) = open.pop() else {
                return Err(format!("Unexpected end tag at byte offset {begin}"));
            };
            let name = parser
                .take_while(|b| !is_space(b) && b != b'>')
                .to_ascii_lowercase();
            parser.skip_spaces();
            if parser.peek() != Some(b'>') {
                return Err(format!("Unclosed end tag at byte offset {begin}"));
            }
            parser.at += 1;
            if !name.is_empty() && name != last.tag {
                return Err(format!(
                    "Unmatched end tag at byte offset {begin}, expected \"</{}>\", found \"</{name}>\"",
                    last.tag
                ));
            }
            close(last, utf16, &mut open, &mut entities);
            continue;
        }
        let tag = parser
            .take_while(|b| !is_space(b) && b != b'>')
            .to_ascii_lowercase();
        if parser.peek().is_none() {
            return Err(format!("Unclosed start tag at byte offset {begin}"));
        }
        if !TAGS.contains(&tag.as_str()) {
            return Err(format!(
                "Unsupported start tag \"{tag}\" at byte offset {begin}"
            ));
        }
        let mut element = Open {
            order: opened,
            tag,
            argument: String::new(),
            expandable: false,
            language: None,
            offset: utf16,
        };
        opened += 1;
        parser.attributes(begin, &mut element)?;
        if element.tag == "span" && element.argument != "tg-spoiler" {
            return Err(format!(
                "Tag \"span\" must have class \"tg-spoiler\" at byte offset {begin}"
            ));
        }
        if element.tag == "tg-emoji"
            && (element.argument.is_empty()
                || !element.argument.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err("Invalid custom emoji identifier specified".to_owned());
        }
        open.push(element);
    }
    if let Some(last) = open.last() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{}\"",
            last.tag
        ));
    }
    entities.sort_by(|(a_order, a), (b_order, b)| {
        a.offset
            .cmp(&b.offset)
            .then(b.length.cmp(&a.length))
            .then(a_order.cmp(b_order))
    });
    Ok(Formatted {
        text,
        entities: entities.into_iter().map(|(_, entity)| entity).collect(),
    })
}

fn close(element: Open, utf16: usize, open: &mut [Open], entities: &mut Vec<(usize, Entity)>) {
    let length = utf16 - element.offset;
    let kind = match element.tag.as_str() {
        "b" | "strong" => "bold",
        "i" | "em" => "italic",
        "u" | "ins" => "underline",
        "s" | "strike" | "del" => "strikethrough",
        "tg-spoiler" | "span" => "spoiler",
        "blockquote" if element.expandable => "expandable_blockquote",
        "blockquote" => "blockquote",
        "tg-emoji" => "custom_emoji",
        "pre" => "pre",
        "code" => {
            // A language on <code> directly inside <pre> turns the pair into one `pre` entity.
            if let (Some(parent), Some(language)) =
                (open.last_mut(), element.argument.strip_prefix("language-"))
                && parent.tag == "pre"
                && !language.is_empty()
                && parent.offset == element.offset
            {
                parent.language = Some(language.to_owned());
                return;
            }
            "code"
        }
        "a" if element.argument.is_empty() => return,
        "a" => "text_link",
        _ => return,
    };
    if length == 0 {
        return;
    }
    let mut entity = Entity::new(kind, element.offset, length);
    match kind {
        "text_link" => entity.url = Some(normalize_url(&element.argument)),
        "pre" => entity.language = element.language.clone(),
        "custom_emoji" => entity.custom_emoji_id = Some(element.argument.clone()),
        _ => {}
    }
    entities.push((element.order, entity));
}

fn normalize_url(href: &str) -> String {
    if href.contains("://") || href.starts_with("tg:") || href.starts_with("mailto:") {
        href.to_owned()
    } else {
        format!("http://{href}")
    }
}

fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\r' | b'\n')
}

struct Cursor<'a> {
    input: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next_char(&mut self) -> char {
        let ch = self.input[self.at..].chars().next().unwrap_or('\u{fffd}');
        self.at += ch.len_utf8().max(1);
        ch
    }

    /// Consumes ASCII-delimited bytes; the delimiters are ASCII, so the slice ends on a char
    /// boundary.
    fn take_while(&mut self, keep: impl Fn(u8) -> bool) -> String {
        let start = self.at;
        while self.peek().is_some_and(&keep) {
            self.at += 1;
        }
        self.input.get(start..self.at).unwrap_or("").to_owned()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.at += 1;
        }
    }

    /// Decodes the character entity at the cursor (which is on `&`).
    fn entity(&mut self) -> Result<char, String> {
        let begin = self.at;
        let unescaped =
            || format!("Character '&' at byte offset {begin} must be escaped as \"&amp;\"");
        self.at += 1;
        let decoded = if self.peek() == Some(b'#') {
            self.at += 1;
            let hex = matches!(self.peek(), Some(b'x' | b'X'));
            if hex {
                self.at += 1;
            }
            let digits = self.take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            });
            let code = u32::from_str_radix(&digits, if hex { 16 } else { 10 }).ok();
            match code {
                Some(0xD800..=0xDFFF) => {
                    return Err(
                        "Text contains invalid Unicode characters after decoding HTML entities, \
                                check for unmatched surrogate code units"
                            .to_owned(),
                    );
                }
                Some(code) if code != 0 => char::from_u32(code),
                _ => None,
            }
        } else {
            match self.take_while(|b| b.is_ascii_alphabetic()).as_str() {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                _ => None,
            }
        };
        let Some(ch) = decoded else {
            self.at = begin;
            return Err(unescaped());
        };
        if self.peek() == Some(b';') {
            self.at += 1;
        }
        Ok(ch)
    }

    /// Reads the attributes of a start tag up to and including its `>`.
    fn attributes(&mut self, begin: usize, element: &mut Open) -> Result<(), String> {
        let tag = element.tag.clone();
        let unclosed_tag = || format!("Unclosed start tag \"{tag}\" at byte offset {begin}");
        loop {
            self.skip_spaces();
            match self.peek() {
                None => return Err(format!("Unclosed start tag at byte offset {begin}")),
                Some(b'>') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(_) => {}
            }
            let name = self
                .take_while(|b| !is_space(b) && b != b'=' && b != b'>')
                .to_ascii_lowercase();
            if name.is_empty() {
                return Err(format!(
                    "Empty attribute name in the tag \"{tag}\" at byte offset {begin}"
                ));
            }
            self.skip_spaces();
            if tag == "blockquote" && name == "expandable" && self.peek() != Some(b'=') {
                element.expandable = true;
                continue;
            }
            match self.peek() {
                None => return Err(unclosed_tag()),
                Some(b'=') => self.at += 1,
                Some(_) => {
                    return Err(format!(
                        "Expected equal sign in declaration of an attribute of the tag \"{tag}\" at byte offset {begin}"
                    ));
                }
            }
            self.skip_spaces();
            let value = match self.peek() {
                None => return Err(unclosed_tag()),
                Some(quote @ (b'"' | b'\'')) => {
                    self.at += 1;
                    let mut value = String::new();
                    loop {
                        match self.peek() {
                            None => {
                                return Err(format!("Unclosed start tag at byte offset {begin}"));
                            }
                            Some(b) if b == quote => {
                                self.at += 1;
                                break;
                            }
                            Some(b'&') => value.push(self.entity()?),
                            Some(_) => value.push(self.next_char()),
                        }
                    }
                    value
                }
                Some(_) => {
                    let token_start = self.at;
                    let value = self.take_while(|b| {
                        b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')
                    });
                    match self.peek() {
                        Some(b) if is_space(b) || b == b'>' => {}
                        _ => {
                            return Err(format!(
                                "Unexpected end of name token at byte offset {token_start}"
                            ));
                        }
                    }
                    value
                }
            };
            match (tag.as_str(), name.as_str()) {
                ("a", "href") | ("span" | "code", "class") | ("tg-emoji", "emoji-id") => {
                    element.argument = value;
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entity(kind: &str, offset: usize, length: usize) -> Entity {
        Entity::new(kind, offset, length)
    }

    fn check(input: &str, expected: Result<(&str, Vec<Entity>), &str>) {
        let parsed = parse_html(input).map(|formatted| (formatted.text, formatted.entities));
        let expected = expected
            .map(|(text, entities)| (text.to_owned(), entities))
            .map_err(str::to_owned);
        assert_eq!(parsed, expected, "input: {input:?}");
    }

    #[test]
    fn refuses_what_telegram_refuses_with_its_words() {
        check("<br>", Err("Unsupported start tag \"br\" at byte offset 0"));
        check("a < b", Err("Unsupported start tag \"\" at byte offset 2"));
        check("x <b", Err("Unclosed start tag at byte offset 2"));
        check("<a href", Err("Unclosed start tag \"a\" at byte offset 0"));
        check("<a href=", Err("Unclosed start tag \"a\" at byte offset 0"));
        check("<b ", Err("Unclosed start tag at byte offset 0"));
        check("<a href=\"x\"", Err("Unclosed start tag at byte offset 0"));
        check(
            "<a =\"x\">y</a>",
            Err("Empty attribute name in the tag \"a\" at byte offset 0"),
        );
        check(
            "<a href=x/>y</a>",
            Err("Unexpected end of name token at byte offset 8"),
        );
        check(
            "<i aba>x</i>",
            Err(
                "Expected equal sign in declaration of an attribute of the tag \"i\" at byte offset 0",
            ),
        );
        check(
            "<span>x</span>",
            Err("Tag \"span\" must have class \"tg-spoiler\" at byte offset 0"),
        );
        check("x</b>", Err("Unexpected end tag at byte offset 1"));
        check("<b>x</b", Err("Unclosed end tag at byte offset 4"));
        check(
            "<b>x</i>",
            Err("Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\""),
        );
        check(
            "<b>x",
            Err("Can't find end tag corresponding to start tag \"b\""),
        );
        check(
            "🏟 🏟&lt;<abac aba>",
            Err("Unsupported start tag \"abac\" at byte offset 13"),
        );
        check(
            "AT&T",
            Err("Character '&' at byte offset 2 must be escaped as \"&amp;\""),
        );
        check(
            "&laquo;",
            Err("Character '&' at byte offset 0 must be escaped as \"&amp;\""),
        );
        check(
            "&#xDFDF;",
            Err(
                "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units",
            ),
        );
    }

    #[test]
    fn decodes_entities_and_reports_utf16_offsets() {
        check("", Ok(("", vec![])));
        check(
            "&lt;&gt;&amp;&quot;&#65;&#x42;&lt",
            Ok(("<>&\"AB<", vec![])),
        );
        check(
            "a <b>bold</b> c",
            Ok(("a bold c", vec![entity("bold", 2, 4)])),
        );
        check("🏟<i>🏟</i>", Ok(("🏟🏟", vec![entity("italic", 2, 2)])));
        check(
            "<b>x<i>y</i></b><u>z</u><s>w</s>",
            Ok((
                "xyzw",
                vec![
                    entity("bold", 0, 2),
                    entity("italic", 1, 1),
                    entity("underline", 2, 1),
                    entity("strikethrough", 3, 1),
                ],
            )),
        );
        check(
            "<tg-spoiler>s</tg-spoiler><span class=\"tg-spoiler\">t</span>",
            Ok(("st", vec![entity("spoiler", 0, 1), entity("spoiler", 1, 1)])),
        );
        check("<b></b>x", Ok(("x", vec![])));
        check("<i>a</>", Ok(("a", vec![entity("italic", 0, 1)])));
        check(
            "<blockquote expandable>q</blockquote>",
            Ok(("q", vec![entity("expandable_blockquote", 0, 1)])),
        );
    }

    #[test]
    fn links_and_code_blocks_carry_their_arguments() {
        let mut link = entity("text_link", 0, 4);
        link.url = Some("https://x.org/?a=1&b=2".to_owned());
        check(
            "<a href=\"https://x.org/?a=1&amp;b=2\">site</a>",
            Ok(("site", vec![link])),
        );
        check("<a>plain</a>", Ok(("plain", vec![])));
        let mut pre = entity("pre", 0, 3);
        pre.language = Some("rust".to_owned());
        check(
            "<pre><code class=\"language-rust\">x=1</code></pre>",
            Ok(("x=1", vec![pre])),
        );
        check(
            "<pre><code>x</code></pre>",
            Ok(("x", vec![entity("pre", 0, 1), entity("code", 0, 1)])),
        );
    }

    #[test]
    fn trimming_moves_entities_with_the_text() {
        let formatted = parse_html("  <b> hi</b> there \n")
            .expect("valid")
            .trimmed();
        assert_eq!(formatted.text, "hi there");
        assert_eq!(formatted.entities, vec![entity("bold", 0, 2)]);
    }
}
