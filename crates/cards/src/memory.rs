//! In-memory implementations of this crate's ports, for tests and examples (feature
//! `memory`).
//!
//! They keep the contracts of the ports exactly as the SQL storage does: ownership is part of
//! every partner query, a status changes only by a conditional update on the status it had,
//! lists are ordered and paged the same way, and content naming reference data that does not
//! exist is `Invalid`. One contract test suite runs against them and against the databases.
//!
//! State lives behind an `Arc<Mutex<…>>`: clones share it, so a test keeps a clone to look
//! inside while the code under test works on another.
//!
//! ```
//! use vitrina_cards::memory::{MemoryCards, block_on};
//! use vitrina_cards::{
//!     CardAction, CardContent, CardRepository, CardStatus, Category, CategoryId, City, CityId,
//!     Contact, Reference, Timestamp, Title, UserId,
//! };
//!
//! let reference = Reference::new(
//!     vec![City::new(1, "city-nha-trang", [])],
//!     vec![Category::new(1, "category-restaurants", [])],
//! )?;
//! let cards = MemoryCards::new(reference);
//! let content = CardContent {
//!     city: CityId(1),
//!     area: None,
//!     category: CategoryId(1),
//!     subcategory: None,
//!     title: Title::parse("Кофейня «Утро»")?,
//!     description: None,
//!     contact: Contact::parse("@morning_cafe")?,
//!     address: None,
//!     map_link: None,
//!     photos: Vec::new(),
//!     discount: None,
//!     location: None,
//! };
//! let id = block_on(cards.submit_new(UserId(1), &content, Timestamp(0)))?;
//! // Someone else's card is "not found", and a pending card cannot be hidden.
//! assert!(block_on(cards.owned_card(UserId(2), id)).is_err());
//! assert!(block_on(cards.apply_partner_action(UserId(1), id, CardAction::Hide, Timestamp(1))).is_err());
//! assert_eq!(cards.cards()[0].status, CardStatus::Pending);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

use crate::card::{Card, CardSummary, CatalogFilter, search_key};
use crate::draft::{CardContent, MAX_PHOTOS};
use crate::ids::{CardId, CategoryId, CityId, Timestamp, UserId};
use crate::paging::{Listing, Page, PageRequest};
use crate::place::Place;
use crate::reference::Reference;
use crate::repository::{CardRepository, RepositoryError, RepositoryResult};
use crate::search::{SearchQuery, search_text};
use crate::status::{CardAction, CardStatus, TransitionError};

/// Runs a future to completion on the calling thread.
///
/// The futures of the memory ports never wait, so this is all the executor a test of code
/// written against the ports needs; it parks the thread while a future waits on anything
/// else, and wakes when that future is woken.
pub fn block_on<F: Future>(future: F) -> F::Output {
    struct Unpark(Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut context = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        match future.as_mut().poll(&mut context) {
            Poll::Ready(output) => return output,
            Poll::Pending => thread::park(),
        }
    }
}

/// Locks `state`, going on with the data of a thread that panicked while holding it: a test
/// that failed must not make every later call fail with a second, misleading panic.
pub(crate) fn lock<T>(state: &Mutex<T>) -> MutexGuard<'_, T> {
    state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether `content` names only reference data that exists, areas within their city and
/// subcategories within their category — what the database's foreign keys check.
fn check_reference(reference: &Reference, content: &CardContent) -> RepositoryResult<()> {
    reference
        .check(content)
        .map_err(|error| RepositoryError::Invalid(error.to_string()))
}

fn check_photos(content: &CardContent) -> RepositoryResult<()> {
    if content.photos.len() > MAX_PHOTOS {
        return Err(RepositoryError::Invalid(format!(
            "{} photos, at most {MAX_PHOTOS} allowed",
            content.photos.len()
        )));
    }
    Ok(())
}

/// The move a partner's action makes: a partner shows only an archived card and hides only a
/// public one (the table alone would let *Show* publish a pending card).
fn partner_move(action: CardAction, current: CardStatus) -> Result<CardStatus, TransitionError> {
    let target = action.apply(current)?;
    let from_allowed = match action {
        CardAction::Show => current == CardStatus::Archived,
        CardAction::Hide => current.is_public(),
        CardAction::Delete => true,
        CardAction::Submit
        | CardAction::Approve
        | CardAction::Reject
        | CardAction::Edit
        | CardAction::TakeDown => false,
    };
    if from_allowed {
        Ok(target)
    } else {
        Err(TransitionError {
            from: current,
            to: target,
        })
    }
}

/// Pages `items`, already in list order, as the storage does.
fn page_of(items: Vec<CardSummary>, requested: PageRequest) -> Listing<CardSummary> {
    let page = Page::clamp(requested, items.len() as u64);
    let items = items
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
        .take(page.limit() as usize)
        .collect();
    Listing { page, items }
}

fn summary(card: &Card) -> CardSummary {
    CardSummary {
        id: card.id,
        title: card.content.title.as_str().to_owned(),
        status: card.status,
        featured: card.featured,
    }
}

#[derive(Debug, Default)]
struct CardsState {
    /// Every card ever stored, deleted ones included, by id.
    cards: BTreeMap<CardId, Card>,
    /// The last id given; ids are never reused.
    last_id: i64,
}

impl CardsState {
    /// The card `id` unless deleted.
    fn live(&self, id: CardId) -> Option<&Card> {
        self.cards
            .get(&id)
            .filter(|card| card.status != CardStatus::Deleted)
    }

    /// The card `id` of `owner` unless deleted.
    fn owned(&mut self, owner: UserId, id: CardId) -> RepositoryResult<&mut Card> {
        self.cards
            .get_mut(&id)
            .filter(|card| card.status != CardStatus::Deleted && card.owner == owner)
            .ok_or(RepositoryError::NotFound)
    }
}

/// [`CardRepository`] in memory. Clones share the same cards.
#[derive(Debug, Clone)]
pub struct MemoryCards {
    reference: Arc<Reference>,
    state: Arc<Mutex<CardsState>>,
}

impl MemoryCards {
    /// No cards yet; content must name the items of `reference`, as a database's foreign
    /// keys to its seeded reference tables require.
    pub fn new(reference: Reference) -> MemoryCards {
        MemoryCards {
            reference: Arc::new(reference),
            state: Arc::default(),
        }
    }

    /// The reference data cards are checked against.
    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    /// Every card stored, deleted ones included, in id order.
    pub fn cards(&self) -> Vec<Card> {
        lock(&self.state).cards.values().cloned().collect()
    }

    /// The card `id`, whatever its status.
    pub fn stored_card(&self, id: CardId) -> Option<Card> {
        lock(&self.state).cards.get(&id).cloned()
    }

    /// Marks a card featured or not, as an operator does outside the bot; `false` when there
    /// is no such card.
    pub fn set_featured(&self, id: CardId, featured: bool) -> bool {
        let mut state = lock(&self.state);
        let found = state.cards.get_mut(&id);
        found.map(|card| card.featured = featured).is_some()
    }

    /// Removes every card of `owner` (whatever its status) and returns their ids: what the
    /// storage does when a person has their data deleted.
    pub fn remove_owned(&self, owner: UserId) -> Vec<CardId> {
        let mut state = lock(&self.state);
        let owned: Vec<CardId> = state
            .cards
            .values()
            .filter(|card| card.owner == owner)
            .map(|card| card.id)
            .collect();
        for id in &owned {
            state.cards.remove(id);
        }
        owned
    }

    /// Gives a card any status, bypassing the transition table, to set up what only old data
    /// has (the legacy `approved`, a `draft`); `false` when there is no such card.
    pub fn force_status(&self, id: CardId, status: CardStatus) -> bool {
        let mut state = lock(&self.state);
        let found = state.cards.get_mut(&id);
        found.map(|card| card.status = status).is_some()
    }

    /// The conditional update behind every status change: if the card `id` has the status
    /// `expected`, gives it `to` with `rejection_reason` at `at` and returns it as it is now.
    ///
    /// This is how another memory port built over these cards (the moderation queue) changes
    /// a status exactly as the storage does.
    ///
    /// # Errors
    /// `NotFound` when there is no such card or it is deleted; `StatusChanged` with the status
    /// it has when that is not `expected`.
    pub fn update_status_if(
        &self,
        id: CardId,
        expected: CardStatus,
        to: CardStatus,
        rejection_reason: Option<String>,
        at: Timestamp,
    ) -> RepositoryResult<Card> {
        let mut state = lock(&self.state);
        let card = state
            .cards
            .get_mut(&id)
            .filter(|card| card.status != CardStatus::Deleted)
            .ok_or(RepositoryError::NotFound)?;
        if card.status != expected {
            return Err(RepositoryError::StatusChanged {
                current: card.status,
            });
        }
        card.status = to;
        card.rejection_reason = rejection_reason;
        card.updated_at = at;
        Ok(card.clone())
    }
}

impl CardRepository for MemoryCards {
    async fn submit_new(
        &self,
        owner: UserId,
        content: &CardContent,
        now: Timestamp,
    ) -> RepositoryResult<CardId> {
        check_photos(content)?;
        check_reference(&self.reference, content)?;
        let mut state = lock(&self.state);
        state.last_id += 1;
        let id = CardId(state.last_id);
        state.cards.insert(
            id,
            Card {
                id,
                owner,
                status: CardStatus::Pending,
                content: content.clone(),
                featured: false,
                rejection_reason: None,
                created_at: now,
                updated_at: now,
            },
        );
        Ok(id)
    }

    async fn resubmit(
        &self,
        owner: UserId,
        id: CardId,
        content: &CardContent,
        now: Timestamp,
    ) -> RepositoryResult<()> {
        check_photos(content)?;
        let mut state = lock(&self.state);
        let card = state.owned(owner, id)?;
        // A rejected card is resubmitted; a published or hidden one is edited.
        let target = CardAction::Submit
            .apply(card.status)
            .or_else(|_| CardAction::Edit.apply(card.status))?;
        check_reference(&self.reference, content)?;
        card.content = content.clone();
        card.status = target;
        card.rejection_reason = None;
        card.updated_at = now;
        Ok(())
    }

    async fn card(&self, id: CardId) -> RepositoryResult<Option<Card>> {
        Ok(lock(&self.state).live(id).cloned())
    }

    async fn owned_card(&self, owner: UserId, id: CardId) -> RepositoryResult<Card> {
        lock(&self.state).owned(owner, id).map(|card| card.clone())
    }

    async fn apply_partner_action(
        &self,
        owner: UserId,
        id: CardId,
        action: CardAction,
        now: Timestamp,
    ) -> RepositoryResult<CardStatus> {
        if !matches!(
            action,
            CardAction::Hide | CardAction::Show | CardAction::Delete
        ) {
            return Err(RepositoryError::Invalid(format!(
                "{action:?} is not a partner action"
            )));
        }
        let mut state = lock(&self.state);
        let card = state.owned(owner, id)?;
        let target = partner_move(action, card.status)?;
        card.status = target;
        card.updated_at = now;
        Ok(target)
    }

    async fn partner_cards(
        &self,
        owner: UserId,
        page: PageRequest,
    ) -> RepositoryResult<Listing<CardSummary>> {
        let state = lock(&self.state);
        let mut cards: Vec<&Card> = state
            .cards
            .values()
            .filter(|card| card.owner == owner && card.status != CardStatus::Deleted)
            .collect();
        cards.sort_by_key(|card| std::cmp::Reverse((card.updated_at, card.id)));
        Ok(page_of(cards.into_iter().map(summary).collect(), page))
    }

    async fn catalog(
        &self,
        filter: &CatalogFilter,
        page: PageRequest,
    ) -> RepositoryResult<Listing<CardSummary>> {
        let needle = filter
            .title_contains
            .as_deref()
            .map(search_key)
            .filter(|key| !key.is_empty());
        let state = lock(&self.state);
        let mut cards: Vec<&Card> = state
            .cards
            .values()
            .filter(|card| {
                card.status.is_public()
                    && card.content.city == filter.city
                    && card.content.category == filter.category
                    && filter
                        .subcategory
                        .is_none_or(|sub| card.content.subcategory == Some(sub))
                    && needle.as_deref().is_none_or(|needle| {
                        search_key(card.content.title.as_str()).contains(needle)
                    })
            })
            .collect();
        cards.sort_by_key(|card| std::cmp::Reverse((card.featured, card.created_at, card.id)));
        Ok(page_of(cards.into_iter().map(summary).collect(), page))
    }

    async fn search(
        &self,
        query: &SearchQuery,
        page: PageRequest,
    ) -> RepositoryResult<Listing<CardSummary>> {
        let state = lock(&self.state);
        let mut cards: Vec<&Card> = state
            .cards
            .values()
            .filter(|card| {
                card.status.is_public()
                    && query.matches(&search_text(
                        card.content.title.as_str(),
                        card.content.description.as_ref().map(|d| d.as_str()),
                    ))
            })
            .collect();
        cards.sort_by_key(|card| std::cmp::Reverse((card.featured, card.created_at, card.id)));
        Ok(page_of(cards.into_iter().map(summary).collect(), page))
    }

    async fn category_counts(&self, city: CityId) -> RepositoryResult<Vec<(CategoryId, u64)>> {
        let state = lock(&self.state);
        let mut counts = BTreeMap::<CategoryId, u64>::new();
        for card in state.cards.values() {
            if card.status.is_public() && card.content.city == city {
                *counts.entry(card.content.category).or_default() += 1;
            }
        }
        Ok(counts.into_iter().collect())
    }

    async fn published_places(&self) -> RepositoryResult<Vec<Place>> {
        let state = lock(&self.state);
        Ok(state
            .cards
            .values()
            .filter(|card| card.status.is_public())
            .filter_map(|card| {
                card.content.location.map(|location| Place {
                    id: card.id,
                    title: card.content.title.as_str().to_owned(),
                    featured: card.featured,
                    location,
                })
            })
            .collect())
    }
}
