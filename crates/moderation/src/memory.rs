//! In-memory implementations of this crate's ports, for tests and examples (feature
//! `memory`).
//!
//! [`MemoryModeration`] is built over a [`MemoryCards`]: it reads the queue from those cards
//! and decides through their conditional update ([`MemoryCards::update_status_if`]), so a card
//! a partner changes and a card a moderator decides are the same card, and a decision applies
//! only to a card that is still pending — as in the storage.
//!
//! ```
//! use vitrina_cards::memory::{MemoryCards, block_on};
//! use vitrina_cards::{
//!     CardContent, CardRepository, CardStatus, Category, CategoryId, City, CityId, Contact,
//!     Reference, Timestamp, Title, UserId,
//! };
//! use vitrina_moderation::memory::MemoryModeration;
//! use vitrina_moderation::{Decision, DecisionOutcome, ModerationRepository, Verdict};
//!
//! let reference = Reference::new(
//!     vec![City::new(1, "city-nha-trang", [])],
//!     vec![Category::new(1, "category-restaurants", [])],
//! )?;
//! let cards = MemoryCards::new(reference);
//! let moderation = MemoryModeration::new(cards.clone());
//! let content = CardContent {
//!     city: CityId(1), area: None, category: CategoryId(1), subcategory: None,
//!     title: Title::parse("Кофейня «Утро»")?, description: None,
//!     contact: Contact::parse("@morning_cafe")?, address: None, map_link: None,
//!     photos: Vec::new(), discount: None, location: None,
//! };
//! let id = block_on(cards.submit_new(UserId(1), &content, Timestamp(0)))?;
//! let approve = Decision::new(id, UserId(9), Verdict::Approve, Timestamp(1));
//! assert!(matches!(block_on(moderation.decide(&approve))?, DecisionOutcome::Applied(_)));
//! // The second decision finds the card decided: nothing changes, nothing is logged.
//! assert_eq!(
//!     block_on(moderation.decide(&approve))?,
//!     DecisionOutcome::AlreadyDecided { current: CardStatus::Published }
//! );
//! assert_eq!(moderation.log_entries().len(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use vitrina_cards::memory::MemoryCards;
use vitrina_cards::{Card, CardId, CardStatus, RepositoryError, RepositoryResult, UserId};

use crate::admin_action::{AdminAction, AdminDecision, AdminOutcome};
use crate::decision::{Decision, LogEntry, RejectionReason};
use crate::repository::{AdminRepository, DecisionOutcome, ModerationRepository};

fn lock<T>(state: &Mutex<T>) -> MutexGuard<'_, T> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Debug, Default)]
struct ModerationState {
    /// Every decision that applied, in the order it applied.
    log: Vec<LogEntry>,
    /// Admins added at run time.
    admins: BTreeSet<UserId>,
}

/// [`ModerationRepository`] and [`AdminRepository`] in memory, over the cards of a
/// [`MemoryCards`]. Clones share the same log, admins and cards.
#[derive(Debug, Clone)]
pub struct MemoryModeration {
    cards: MemoryCards,
    state: Arc<Mutex<ModerationState>>,
}

impl MemoryModeration {
    /// A queue over `cards` (a clone of the store the partners' side works on), with an
    /// empty log and no stored admins.
    pub fn new(cards: MemoryCards) -> MemoryModeration {
        MemoryModeration {
            cards,
            state: Arc::default(),
        }
    }

    /// The cards the queue is made of.
    pub fn cards(&self) -> &MemoryCards {
        &self.cards
    }

    /// The whole moderation log, in the order the decisions applied.
    pub fn log_entries(&self) -> Vec<LogEntry> {
        lock(&self.state).log.clone()
    }

    /// Anonymises the log for a person who had their data deleted, as the storage does: the
    /// entries of `removed_cards` (theirs, now gone) lose the card (`CardId(0)`) and a typed
    /// reason, and the entries `person` made as a moderator name
    /// [`AdminDecision::OPERATOR`] instead. The entries themselves stay.
    pub fn anonymise(&self, removed_cards: &[CardId], person: UserId) {
        let mut state = lock(&self.state);
        for entry in &mut state.log {
            if removed_cards.contains(&entry.card) {
                entry.card = CardId(0);
                entry.reason = entry.reason.take().filter(|reason| {
                    matches!(
                        RejectionReason::from_stored(reason),
                        RejectionReason::Standard(_)
                    )
                });
            }
            if entry.moderator == person {
                entry.moderator = AdminDecision::OPERATOR;
            }
        }
        state.admins.remove(&person);
    }

    /// The admins added at run time, in id order.
    pub fn stored_admins(&self) -> Vec<UserId> {
        lock(&self.state).admins.iter().copied().collect()
    }
}

impl ModerationRepository for MemoryModeration {
    async fn next_pending(&self, skipped: &[CardId]) -> RepositoryResult<Option<Card>> {
        Ok(self
            .cards
            .cards()
            .into_iter()
            .filter(|card| card.status == CardStatus::Pending && !skipped.contains(&card.id))
            .min_by_key(|card| (card.updated_at, card.id)))
    }

    async fn pending_count(&self) -> RepositoryResult<u64> {
        let cards = self.cards.cards();
        let pending = cards.iter().filter(|c| c.status == CardStatus::Pending);
        Ok(pending.count() as u64)
    }

    async fn decide(&self, decision: &Decision) -> RepositoryResult<DecisionOutcome> {
        // The log stays locked across the update, so that entries are in the order the
        // decisions applied, as the storage's one transaction has them.
        let mut state = lock(&self.state);
        let updated = self.cards.update_status_if(
            decision.card,
            CardStatus::Pending,
            decision.verdict.target(),
            decision.verdict.reason().map(RejectionReason::to_stored),
            decision.at,
        );
        match updated {
            Ok(card) => {
                state.log.push(LogEntry::from(decision));
                Ok(DecisionOutcome::Applied(Box::new(card)))
            }
            Err(RepositoryError::StatusChanged { current }) => {
                Ok(DecisionOutcome::AlreadyDecided { current })
            }
            Err(error) => Err(error),
        }
    }

    async fn act(&self, decision: &AdminDecision) -> RepositoryResult<AdminOutcome> {
        // Locked across the change, as for a decision: the log is in the order of changes.
        let mut state = lock(&self.state);
        let id = decision.card;
        let card = self
            .cards
            .stored_card(id)
            .filter(|card| card.status != CardStatus::Deleted)
            .ok_or(RepositoryError::NotFound)?;
        let changed = match &decision.action {
            AdminAction::Unpublish(reason) => {
                if !card.status.is_public() {
                    return Ok(AdminOutcome::Unchanged(Box::new(card)));
                }
                match self.cards.update_status_if(
                    id,
                    card.status,
                    CardStatus::Rejected,
                    Some(reason.to_stored()),
                    decision.at,
                ) {
                    Ok(card) => card,
                    Err(RepositoryError::StatusChanged { .. }) => {
                        return Ok(AdminOutcome::Unchanged(Box::new(card)));
                    }
                    Err(error) => return Err(error),
                }
            }
            AdminAction::Feature | AdminAction::Unfeature => {
                let featured = decision.action == AdminAction::Feature;
                if card.featured == featured {
                    return Ok(AdminOutcome::Unchanged(Box::new(card)));
                }
                self.cards.set_featured(id, featured);
                self.cards
                    .stored_card(id)
                    .ok_or(RepositoryError::NotFound)?
            }
        };
        state.log.push(LogEntry::from(decision));
        Ok(AdminOutcome::Applied(Box::new(changed)))
    }

    async fn log(&self, card: CardId) -> RepositoryResult<Vec<LogEntry>> {
        let state = lock(&self.state);
        let mut entries: Vec<(usize, LogEntry)> = state
            .log
            .iter()
            .enumerate()
            .filter(|(_, entry)| entry.card == card)
            .map(|(n, entry)| (n, entry.clone()))
            .collect();
        entries.sort_by_key(|(n, entry)| (entry.at, *n));
        Ok(entries.into_iter().map(|(_, entry)| entry).collect())
    }
}

impl AdminRepository for MemoryModeration {
    async fn admins(&self) -> RepositoryResult<Vec<UserId>> {
        Ok(self.stored_admins())
    }

    async fn add_admin(&self, user: UserId) -> RepositoryResult<bool> {
        Ok(lock(&self.state).admins.insert(user))
    }

    async fn remove_admin(&self, user: UserId) -> RepositoryResult<bool> {
        Ok(lock(&self.state).admins.remove(&user))
    }
}
