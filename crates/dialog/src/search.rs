//! Search by words: `/search <words>`, the catalog's *Search*, and inline mode (`@bot words`
//! in any chat), all over the same repository query.

use vitrina_cards::{CardId, PageRequest, RepositoryError, RepositoryResult, SearchQuery};
use vitrina_i18n::{Arg, Locale};

use crate::callback::Callback;
use crate::dialog::{Conversation, DialogPorts, Flow, Turn};
use crate::io::{ButtonAction, Effect, InlineArticle, InlineButton, Keyboard, Person};
use crate::render::{self, number};
use crate::state::Links;
use crate::text::RichText;

/// Articles in one answer to an inline query; scrolling further asks for the next ones.
pub const INLINE_PAGE_SIZE: u32 = 10;

/// The most characters of a description shown under an article's title.
const INLINE_DESCRIPTION_CHARS: usize = 90;

impl<P: DialogPorts> Conversation<'_, P> {
    /// `/search <words>`: the first page of results; without words, the question.
    pub(crate) async fn search_command(&self, turn: &mut Turn) -> Flow {
        let typed = turn.args.clone();
        if SearchQuery::parse(&typed).is_none() {
            self.ask_search_words(turn);
            return Ok(());
        }
        self.search_words(turn, &typed).await
    }

    /// The catalog's *Search* (and `/search` alone): asks for the words, which the next text
    /// is.
    pub(crate) fn ask_search_words(&self, turn: &mut Turn) {
        if turn.callback.is_some() {
            // A wizard left behind for a search keeps its draft, as for any other screen.
            self.leave_steps_for(turn, false, true);
        }
        turn.state
            .links
            .get_or_insert_with(Links::default)
            .awaiting_words = true;
        turn.answer(None, false);
        let text = self.words(turn.locale).t("search-ask");
        turn.send(RichText::plain(text), Keyboard::None);
    }

    /// Words typed for a search: their first page of results, below them.
    pub(crate) async fn search_words(&self, turn: &mut Turn, typed: &str) -> Flow {
        let words = self.words(turn.locale);
        if SearchQuery::parse(typed).is_none() {
            // Only marks or punctuation: the question stands.
            turn.state
                .links
                .get_or_insert_with(Links::default)
                .awaiting_words = true;
            turn.send(RichText::plain(words.t("search-no-words")), Keyboard::None);
            return Ok(());
        }
        let links = turn.state.links.get_or_insert_with(Links::default);
        links.awaiting_words = false;
        links.words = Some(typed.trim().to_owned());
        let (text, rows) = self.results(turn, typed.trim(), 1).await?;
        turn.send(text, Keyboard::Inline(rows));
        Ok(())
    }

    /// A page of the results of the words last searched, in place of the page shown.
    pub(crate) async fn search_page(&self, turn: &mut Turn, page: u32) -> Flow {
        let Some(typed) = turn
            .state
            .links
            .as_ref()
            .and_then(|links| links.words.clone())
        else {
            let text = self.words(turn.locale).t("search-expired");
            turn.answer(Some(text), true);
            return Ok(());
        };
        let (text, rows) = self.results(turn, &typed, page).await?;
        turn.answer(None, false);
        turn.show(text, rows);
        Ok(())
    }

    /// A card opened from a results page, with the way back to that page.
    pub(crate) async fn search_card(&self, turn: &mut Turn, id: CardId, page: u32) -> Flow {
        let card = self
            .store
            .card(id)
            .await?
            .filter(|card| card.status.is_public());
        let Some(card) = card else {
            return Err(RepositoryError::NotFound);
        };
        let back = self
            .words(turn.locale)
            .inline("btn-back-to-results", Callback::SearchPage(page));
        self.show_public_card(turn, &card, Some(back));
        Ok(())
    }

    /// The text and buttons of a page of results for `typed`.
    async fn results(
        &self,
        turn: &Turn,
        typed: &str,
        page: u32,
    ) -> RepositoryResult<(RichText, Vec<Vec<InlineButton>>)> {
        let words = self.words(turn.locale);
        let again = vec![words.inline("btn-search-again", Callback::SearchAsk)];
        let Some(query) = SearchQuery::parse(typed) else {
            return Ok((RichText::plain(words.t("search-no-words")), vec![again]));
        };
        let request = PageRequest::new(page, self.settings.page_size);
        let listing = self.store.search(&query, request).await?;
        if listing.items.is_empty() {
            let text = words.tw("search-nothing", &[("words", Arg::from(typed))]);
            return Ok((RichText::plain(text), vec![again]));
        }
        let page = listing.page;
        let text = words.tw(
            "search-results",
            &[
                ("words", Arg::from(typed)),
                ("count", number(page.total)),
                ("page", number(u64::from(page.number))),
                ("pages", number(u64::from(page.count))),
            ],
        );
        let mut rows: Vec<Vec<InlineButton>> = listing
            .items
            .iter()
            .map(|card| render::card_row(words, card, Callback::SearchCard(card.id, page.number)))
            .collect();
        if page.count > 1 {
            rows.push(render::pager(words, page, Callback::SearchPage));
        }
        rows.push(again);
        Ok((RichText::plain(text), rows))
    }

    /// Answers an inline query with the published cards matching its words, each an article
    /// whose message opens the card in the bot through its link. Nothing is written to any
    /// chat and nothing is kept: the answer is all. A banned person, a query without words
    /// and a bot that does not know its username get an empty answer.
    pub(crate) async fn inline_query(
        &self,
        person: &Person,
        id: &str,
        typed: &str,
        offset: &str,
    ) -> RepositoryResult<Vec<Effect>> {
        let empty = || {
            vec![Effect::AnswerInline {
                id: id.to_owned(),
                results: Vec::new(),
                next_offset: None,
            }]
        };
        let (Some(query), Some(_)) = (SearchQuery::parse(typed), &self.settings.bot_username)
        else {
            return Ok(empty());
        };
        // Someone who never opened the bot may ask too: nothing is written about them.
        let user = self.store.known_user(person.id).await?;
        if user.as_ref().is_some_and(|user| user.banned) {
            return Ok(empty());
        }
        let locale = user
            .and_then(|user| user.locale)
            .as_deref()
            .and_then(Locale::parse)
            .unwrap_or_else(|| {
                Locale::from_language_code(
                    person.language_code.as_deref(),
                    self.settings.default_locale,
                )
            });
        // The offset is the page to give, as this bot wrote it; anything else starts over.
        let page = offset
            .parse::<u32>()
            .ok()
            .filter(|page| *page > 0)
            .unwrap_or(1);
        let listing = self
            .store
            .search(&query, PageRequest::new(page, INLINE_PAGE_SIZE))
            .await?;
        if listing.page.number != page {
            // Scrolled past the end: the clamped page was given already.
            return Ok(empty());
        }
        let words = self.words(locale);
        let mut results = Vec::with_capacity(listing.items.len());
        for summary in &listing.items {
            let Some(card) = self.store.card(summary.id).await? else {
                continue;
            };
            let Some(link) = self.link_of(card.id) else {
                continue;
            };
            let mut description = render::city_name(words, card.content.city);
            description = format!(
                "{description} · {}",
                render::category_name(words, card.content.category)
            );
            if let Some(about) = &card.content.description {
                let about: String = about
                    .as_str()
                    .chars()
                    .take(INLINE_DESCRIPTION_CHARS)
                    .collect();
                description = format!("{description}\n{about}");
            }
            results.push(InlineArticle {
                id: crate::links::link_argument(card.id),
                title: render::listed_title(card.content.title.as_str(), card.featured),
                description: Some(description),
                text: render::card_text(words, &card.content),
                button: InlineButton {
                    label: words.t("btn-open-in-bot"),
                    action: ButtonAction::Url(link),
                },
            });
        }
        let next_offset = listing.page.next().map(|next| next.to_string());
        Ok(vec![Effect::AnswerInline {
            id: id.to_owned(),
            results,
            next_offset,
        }])
    }
}
