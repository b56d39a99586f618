//! Effects out: rich text as Telegram HTML cut to the limits, keyboards as reply markup.

use std::fmt::Write as _;

use frankenstein::types::{
    InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup,
    ReplyKeyboardRemove, ReplyMarkup,
};
use vitrina_dialog::{
    ButtonAction, InlineButton, Keyboard, ReplyButton, ReplyRequest, RichText, Style,
};

/// The most characters a text message may show.
pub const TEXT_LIMIT: usize = 4096;
/// The most characters a photo caption may show.
pub const CAPTION_LIMIT: usize = 1024;
/// The most characters of a callback answer's notice.
pub const CALLBACK_TEXT_LIMIT: usize = 200;

/// What a cut text ends with.
const ELLIPSIS: char = '…';

/// How far back a cut looks for a space, so that it falls between words when it can.
const WORD_LOOKBACK: usize = 40;

/// Writes `text` as Telegram HTML that shows at most `limit` characters.
///
/// Every span is escaped (`<`, `>`, `&`, and `"` in a link's URL), so people's own words
/// always show literally. Characters are counted as UTF-16 code units, as Telegram counts
/// entity offsets (never fewer than it counts characters). A longer text is cut between
/// characters (never inside an escape, a tag, a surrogate pair, or before a combining mark or
/// emoji modifier), preferably between words; its tags are closed and it ends with `…`. A text
/// with nothing visible becomes `…`, because Telegram refuses an empty message.
pub fn to_html(text: &RichText, limit: usize) -> String {
    let spans = text.spans();
    if text.to_plain().trim().is_empty() {
        return ELLIPSIS.to_string();
    }
    let total: usize = spans.iter().map(|span| utf16_len(&span.text)).sum();
    let (mut keep, cut) = if total <= limit {
        (usize::MAX, false)
    } else {
        let characters: Vec<char> = spans.iter().flat_map(|span| span.text.chars()).collect();
        (
            cut_point(&characters, limit.saturating_sub(ELLIPSIS.len_utf16())),
            true,
        )
    };
    let mut html = String::new();
    for span in spans {
        if keep == 0 {
            break;
        }
        let (piece, taken) = prefix(&span.text, keep);
        keep -= taken;
        write_span(&mut html, &span.style, piece);
    }
    if cut {
        html.push(ELLIPSIS);
    }
    html
}

/// Cuts plain text (a callback notice) to `limit` characters, the same way as [`to_html`].
pub fn cut_plain(text: &str, limit: usize) -> String {
    if utf16_len(text) <= limit {
        return text.to_owned();
    }
    let characters: Vec<char> = text.chars().collect();
    let keep = cut_point(&characters, limit.saturating_sub(ELLIPSIS.len_utf16()));
    let mut cut: String = characters.iter().take(keep).collect();
    cut.push(ELLIPSIS);
    cut
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// The first `count` characters of `text` and how many that was.
fn prefix(text: &str, count: usize) -> (&str, usize) {
    match text.char_indices().nth(count) {
        Some((index, _)) => (text.get(..index).unwrap_or(text), count),
        None => (text, text.chars().count()),
    }
}

/// How many of `characters` to keep so that they take at most `budget` UTF-16 units, end at
/// a boundary a reader would not notice as broken, and, when a space is near, end at a word.
fn cut_point(characters: &[char], budget: usize) -> usize {
    let mut keep = 0;
    let mut used = 0;
    for character in characters {
        let width = character.len_utf16();
        if used + width > budget {
            break;
        }
        used += width;
        keep += 1;
    }
    while keep > 0 && !is_boundary(characters, keep) {
        keep -= 1;
    }
    let word_start = characters
        .get(keep.saturating_sub(WORD_LOOKBACK)..keep)
        .and_then(|window| window.iter().rposition(|c| c.is_whitespace()))
        .map(|position| keep.saturating_sub(WORD_LOOKBACK) + position);
    let mid_word = characters
        .get(keep)
        .is_some_and(|next| !next.is_whitespace());
    if mid_word && let Some(space) = word_start {
        keep = space;
    }
    while keep > 0 && characters.get(keep - 1).is_some_and(|c| c.is_whitespace()) {
        keep -= 1;
    }
    keep
}

/// Whether cutting before `characters[at]` keeps every visible character whole.
fn is_boundary(characters: &[char], at: usize) -> bool {
    let (Some(&before), Some(&next)) = (characters.get(at - 1), characters.get(at)) else {
        return true;
    };
    if before == '\u{200D}' || extends_previous(next) {
        return false;
    }
    if is_regional_indicator(before) && is_regional_indicator(next) {
        // Flags are pairs of regional indicators: an odd run before the cut splits a pair.
        let run = characters.get(..at).map_or(0, |kept| {
            kept.iter()
                .rev()
                .take_while(|c| is_regional_indicator(**c))
                .count()
        });
        return run % 2 == 0;
    }
    true
}

/// Characters that modify the one before them: combining marks (Vietnamese written with
/// combining diacritics), variation selectors, the emoji zero-width joiner, skin tones, tags,
/// and Hangul vowel and final jamo.
fn extends_previous(character: char) -> bool {
    matches!(
        character,
        '\u{0300}'..='\u{036F}'
            | '\u{1160}'..='\u{11FF}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{200D}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FE20}'..='\u{FE2F}'
            | '\u{1F3FB}'..='\u{1F3FF}'
            | '\u{E0020}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

fn is_regional_indicator(character: char) -> bool {
    matches!(character, '\u{1F1E6}'..='\u{1F1FF}')
}

fn write_span(html: &mut String, style: &Style, text: &str) {
    if text.is_empty() {
        return;
    }
    match style {
        Style::Plain => escape_into(html, text, false),
        Style::Bold => {
            html.push_str("<b>");
            escape_into(html, text, false);
            html.push_str("</b>");
        }
        Style::Italic => {
            html.push_str("<i>");
            escape_into(html, text, false);
            html.push_str("</i>");
        }
        Style::Link(url) => {
            html.push_str("<a href=\"");
            escape_into(html, url, true);
            html.push_str("\">");
            escape_into(html, text, false);
            html.push_str("</a>");
        }
    }
}

fn escape_into(html: &mut String, text: &str, attribute: bool) {
    for character in text.chars() {
        match character {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' if attribute => html.push_str("&quot;"),
            other => {
                let _ = html.write_char(other);
            }
        }
    }
}

/// The reply markup of a message sent with `keyboard`, if it carries one.
pub(crate) fn reply_markup(keyboard: &Keyboard) -> Option<ReplyMarkup> {
    match keyboard {
        Keyboard::None => None,
        Keyboard::Reply(rows) => {
            let rows: Vec<Vec<KeyboardButton>> = rows
                .iter()
                .filter(|row| !row.is_empty())
                .map(|row| {
                    row.iter()
                        .map(|label| KeyboardButton::builder().text(label.clone()).build())
                        .collect()
                })
                .collect();
            (!rows.is_empty()).then(|| {
                ReplyMarkup::ReplyKeyboardMarkup(
                    ReplyKeyboardMarkup::builder()
                        .keyboard(rows)
                        .resize_keyboard(true)
                        .build(),
                )
            })
        }
        Keyboard::RemoveReply => Some(ReplyMarkup::ReplyKeyboardRemove(
            ReplyKeyboardRemove::builder().remove_keyboard(true).build(),
        )),
        Keyboard::Inline(rows) => inline_markup(rows).map(ReplyMarkup::InlineKeyboardMarkup),
        Keyboard::ReplyRequesting(rows) => {
            let rows: Vec<Vec<KeyboardButton>> = rows
                .iter()
                .filter(|row| !row.is_empty())
                .map(|row| row.iter().map(reply_button).collect())
                .collect();
            (!rows.is_empty()).then(|| {
                ReplyMarkup::ReplyKeyboardMarkup(
                    ReplyKeyboardMarkup::builder()
                        .keyboard(rows)
                        .resize_keyboard(true)
                        .build(),
                )
            })
        }
    }
}

/// A reply button that sends its label, or what it asks the client for.
fn reply_button(button: &ReplyButton) -> KeyboardButton {
    let builder = KeyboardButton::builder().text(button.label.clone());
    match button.request {
        None => builder.build(),
        Some(ReplyRequest::Location) => builder.request_location(true).build(),
        Some(ReplyRequest::Contact) => builder.request_contact(true).build(),
    }
}

/// An inline keyboard, or `None` for no buttons.
pub(crate) fn inline_markup(rows: &[Vec<InlineButton>]) -> Option<InlineKeyboardMarkup> {
    let rows: Vec<Vec<InlineKeyboardButton>> = rows
        .iter()
        .filter(|row| !row.is_empty())
        .map(|row| row.iter().map(inline_button).collect())
        .collect();
    (!rows.is_empty()).then(|| {
        InlineKeyboardMarkup::builder()
            .inline_keyboard(rows)
            .build()
    })
}

fn inline_button(button: &InlineButton) -> InlineKeyboardButton {
    let builder = InlineKeyboardButton::builder().text(button.label.clone());
    match &button.action {
        ButtonAction::Callback(data) => builder.callback_data(data.clone()).build(),
        ButtonAction::Url(url) => builder.url(url.clone()).build(),
        ButtonAction::WebApp(url) => builder
            .web_app(frankenstein::types::WebAppInfo { url: url.clone() })
            .build(),
        ButtonAction::SwitchInline(query) => builder.switch_inline_query(query.clone()).build(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: RichText, limit: usize, expected: &str) {
        let html = to_html(&text, limit);
        assert_eq!(html, expected);
        assert!(visible_len(&html) <= limit.max(1), "{html}");
    }

    /// What Telegram shows of the HTML: tags dropped, the four entities decoded.
    fn visible(html: &str) -> String {
        let mut shown = String::new();
        let mut rest = html;
        while let Some(character) = rest.chars().next() {
            if character == '<' {
                let end = rest.find('>').expect("a closed tag");
                rest = &rest[end + 1..];
            } else if character == '&' {
                let end = rest.find(';').expect("a whole escape");
                shown.push(match &rest[..=end] {
                    "&amp;" => '&',
                    "&lt;" => '<',
                    "&gt;" => '>',
                    "&quot;" => '"',
                    other => panic!("unknown escape {other}"),
                });
                rest = &rest[end + 1..];
            } else {
                shown.push(character);
                rest = &rest[character.len_utf8()..];
            }
        }
        shown
    }

    fn visible_len(html: &str) -> usize {
        utf16_len(&visible(html))
    }

    /// Tags open and close in order.
    fn assert_balanced(html: &str) {
        let mut open = Vec::new();
        for tag in html.split('<').skip(1) {
            let name = tag.split(['>', ' ']).next().expect("a tag name");
            match name.strip_prefix('/') {
                Some(closing) => assert_eq!(open.pop(), Some(closing), "{html}"),
                None => open.push(name),
            }
        }
        assert!(open.is_empty(), "unclosed {open:?} in {html}");
    }

    #[test]
    fn every_style_escapes_its_text() {
        let hostile = "<b>&\"";
        check(RichText::plain(hostile), TEXT_LIMIT, "&lt;b&gt;&amp;\"");
        check(
            RichText::default().bold(hostile),
            TEXT_LIMIT,
            "<b>&lt;b&gt;&amp;\"</b>",
        );
        check(
            RichText::default().italic(hostile),
            TEXT_LIMIT,
            "<i>&lt;b&gt;&amp;\"</i>",
        );
        check(
            RichText::default().push(
                Style::Link("https://maps.example/?q=\"<b>\"&z=1".to_owned()),
                hostile,
            ),
            TEXT_LIMIT,
            "<a href=\"https://maps.example/?q=&quot;&lt;b&gt;&quot;&amp;z=1\">&lt;b&gt;&amp;\"</a>",
        );
    }

    #[test]
    fn empty_text_is_never_sent_empty() {
        check(RichText::default(), TEXT_LIMIT, "…");
        check(RichText::plain(" \n "), TEXT_LIMIT, "…");
    }

    #[test]
    fn long_text_is_cut_to_the_limit_with_closed_tags_and_whole_escapes() {
        let text = RichText::default()
            .bold("Title & <more>\n")
            .text("a<&> ".repeat(1000))
            .italic("never shown");
        let html = to_html(&text, TEXT_LIMIT);
        assert!(visible_len(&html) <= TEXT_LIMIT, "{}", visible_len(&html));
        assert!(visible_len(&html) > TEXT_LIMIT - WORD_LOOKBACK - 2);
        assert!(html.starts_with("<b>Title &amp; &lt;more&gt;\n</b>a&lt;&amp;&gt; "));
        assert!(
            html.ends_with("a&lt;&amp;&gt;…"),
            "{}",
            &html[html.len() - 40..]
        );
        assert!(!html.contains("never"));
        assert_balanced(&html);
    }

    #[test]
    fn a_cut_inside_a_styled_span_closes_its_tag() {
        let text = RichText::default().text("ab ").bold("cd efgh").text("tail");
        check(text, 6, "ab <b>cd</b>…");
        let link =
            RichText::default().push(Style::Link("https://x.example".to_owned()), "abcdefgh");
        check(link, 5, "<a href=\"https://x.example\">abcd</a>…");
    }

    #[test]
    fn cuts_fall_between_words_when_a_space_is_near() {
        check(RichText::plain("один два три"), 11, "один два…");
        check(RichText::plain("abcdefghij"), 5, "abcd…");
    }

    #[test]
    fn cuts_never_split_what_a_reader_sees_as_one_character() {
        let cases = [
            // Cyrillic and Korean: one unit each.
            ("ЖЖЖЖЖЖ", 4, "ЖЖЖ…"),
            ("한국어한국어", 4, "한국어…"),
            // 😀 is a surrogate pair: a budget of 4 units fits one and a half.
            ("😀😀😀", 4, "😀…"),
            ("😀😀😀", 5, "😀😀…"),
            // A skin tone belongs to its hand, a ZWJ sequence is one picture.
            ("👍🏽👍🏽", 5, "👍🏽…"),
            ("aa👩‍💻", 6, "aa…"),
            // Flags are pairs of regional indicators.
            ("🇷🇺🇻🇳", 6, "🇷🇺…"),
            // Vietnamese with a combining accent stays whole.
            ("Vie\u{0323}\u{0302}t", 5, "Vi…"),
        ];
        for (text, limit, expected) in cases {
            check(RichText::plain(text), limit, expected);
        }
    }

    #[test]
    fn five_thousand_mixed_characters_fit_a_message_and_a_caption() {
        let sample = "Нячанг 나트랑 Nha Trang 🏖️ <sea> & \"sun\" 🇻🇳 ";
        let long: String = sample.chars().cycle().take(5_000).collect();
        for limit in [TEXT_LIMIT, CAPTION_LIMIT] {
            let html = to_html(&RichText::default().bold(long.clone()), limit);
            let shown = visible(&html);
            assert!(utf16_len(&shown) <= limit, "{limit}: {}", utf16_len(&shown));
            assert!(utf16_len(&shown) > limit - WORD_LOOKBACK - 8, "{limit}");
            assert!(shown.ends_with('…'));
            assert!(long.starts_with(shown.trim_end_matches('…')));
            assert_balanced(&html);
        }
        let caption: String = "x".repeat(1_100);
        let html = to_html(&RichText::plain(caption), CAPTION_LIMIT);
        assert_eq!(visible_len(&html), CAPTION_LIMIT);
    }

    #[test]
    fn callback_notices_are_cut_to_their_limit() {
        assert_eq!(cut_plain("Saved", CALLBACK_TEXT_LIMIT), "Saved");
        let notice = cut_plain(&"й".repeat(250), CALLBACK_TEXT_LIMIT);
        assert_eq!(notice.chars().count(), CALLBACK_TEXT_LIMIT);
        assert!(notice.ends_with('…'));
    }

    #[test]
    fn keyboards_become_reply_markup() {
        let callback = |label: &str, data: &str| InlineButton {
            label: label.to_owned(),
            action: ButtonAction::Callback(data.to_owned()),
        };
        let check = |keyboard: Keyboard, expected: Option<serde_json::Value>| {
            let markup =
                reply_markup(&keyboard).map(|markup| serde_json::to_value(markup).expect("json"));
            assert_eq!(markup, expected, "{keyboard:?}");
        };
        check(Keyboard::None, None);
        check(
            Keyboard::Reply(vec![
                vec!["🗂 Catalog".to_owned(), "❓ Help".to_owned()],
                vec![],
            ]),
            Some(serde_json::json!({
                "keyboard": [[{"text": "🗂 Catalog"}, {"text": "❓ Help"}]],
                "resize_keyboard": true
            })),
        );
        check(
            Keyboard::RemoveReply,
            Some(serde_json::json!({"remove_keyboard": true})),
        );
        check(
            Keyboard::Inline(vec![
                vec![callback("Yes", "y:1")],
                vec![InlineButton {
                    label: "Map".to_owned(),
                    action: ButtonAction::Url("https://maps.example/1".to_owned()),
                }],
            ]),
            Some(serde_json::json!({"inline_keyboard": [
                [{"text": "Yes", "callback_data": "y:1"}],
                [{"text": "Map", "url": "https://maps.example/1"}]
            ]})),
        );
        check(Keyboard::Inline(vec![vec![]]), None);
        check(Keyboard::Reply(vec![]), None);
        check(
            Keyboard::ReplyRequesting(vec![
                vec![ReplyButton::asking("📍 Location", ReplyRequest::Location)],
                vec![ReplyButton::asking("📱 Phone", ReplyRequest::Contact)],
                vec![ReplyButton::text("⬅️ Back")],
            ]),
            Some(serde_json::json!({
                "keyboard": [
                    [{"text": "📍 Location", "request_location": true}],
                    [{"text": "📱 Phone", "request_contact": true}],
                    [{"text": "⬅️ Back"}]
                ],
                "resize_keyboard": true
            })),
        );
    }
}
