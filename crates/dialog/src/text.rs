//! Rich text without markup: the dialog says what is bold or a link, the Telegram adapter
//! writes it as HTML, escaping every span, and cuts it safely to Telegram's limits.

use serde::{Deserialize, Serialize};

/// How a span is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Style {
    /// As is.
    Plain,
    /// Bold.
    Bold,
    /// Italic.
    Italic,
    /// A link to the URL.
    Link(String),
}

/// A piece of text in one style. The text is never markup: people's own words go here as
/// they wrote them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// How it is shown.
    pub style: Style,
    /// The words.
    pub text: String,
}

/// A message's text as styled spans.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RichText {
    spans: Vec<Span>,
}

impl RichText {
    /// Text of one plain span.
    pub fn plain(text: impl Into<String>) -> RichText {
        RichText::default().push(Style::Plain, text)
    }

    /// Appends a span.
    #[must_use]
    pub fn push(mut self, style: Style, text: impl Into<String>) -> RichText {
        let text = text.into();
        if !text.is_empty() {
            self.spans.push(Span { style, text });
        }
        self
    }

    /// Appends plain text.
    #[must_use]
    pub fn text(self, text: impl Into<String>) -> RichText {
        self.push(Style::Plain, text)
    }

    /// Appends bold text.
    #[must_use]
    pub fn bold(self, text: impl Into<String>) -> RichText {
        self.push(Style::Bold, text)
    }

    /// Appends italic text.
    #[must_use]
    pub fn italic(self, text: impl Into<String>) -> RichText {
        self.push(Style::Italic, text)
    }

    /// Appends a line break unless the text is empty or already ends with one.
    #[must_use]
    pub fn line(self) -> RichText {
        if self
            .spans
            .last()
            .is_none_or(|span| span.text.ends_with('\n'))
        {
            self
        } else {
            self.text("\n")
        }
    }

    /// Appends a blank line between paragraphs.
    #[must_use]
    pub fn paragraph(self) -> RichText {
        let trailing = self
            .spans
            .iter()
            .rev()
            .flat_map(|span| span.text.chars().rev())
            .take_while(|c| *c == '\n')
            .count();
        match (self.spans.is_empty(), trailing) {
            (true, _) | (false, 2..) => self,
            (false, 1) => self.text("\n"),
            (false, _) => self.text("\n\n"),
        }
    }

    /// Appends all of `other`.
    #[must_use]
    pub fn append(mut self, other: RichText) -> RichText {
        self.spans.extend(other.spans);
        self
    }

    /// The spans, in order.
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    /// The words without styles, as a person reads them.
    pub fn to_plain(&self) -> String {
        self.spans.iter().map(|span| span.text.as_str()).collect()
    }

    /// Whether there are no words at all.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_paragraphs_never_double_up() {
        let text = RichText::default()
            .line()
            .paragraph()
            .bold("Title")
            .line()
            .line()
            .text("x");
        assert_eq!(text.to_plain(), "Title\nx");
        let text = RichText::plain("a").paragraph().paragraph().text("b");
        assert_eq!(text.to_plain(), "a\n\nb");
        assert!(RichText::plain("").is_empty());
    }
}
