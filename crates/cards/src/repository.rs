//! The ports the storage implements for this domain.
//!
//! Methods return `impl Future + Send` so that adapters can be driven from any executor and
//! shared across tasks. Every method states its error contract.

use std::error::Error;
use std::future::Future;

use crate::card::{Card, CardSummary, CatalogFilter};
use crate::draft::CardContent;
use crate::ids::{CardId, CategoryId, CityId, Timestamp, UserId};
use crate::paging::{Listing, PageRequest};
use crate::place::Place;
use crate::search::SearchQuery;
use crate::status::{CardAction, CardStatus, TransitionError};

/// Why a repository call failed; [`RepositoryError::is_retryable`] tells "try again later"
/// from "this request cannot succeed".
#[derive(Debug, thiserror::Error)]
pub enum RepositoryError {
    /// The database or its pool cannot be reached now; the same call may succeed later. Holds
    /// the adapter's own error, whose chain [`RepositoryError::with_causes`] tells.
    #[error("storage unavailable")]
    Unavailable(#[source] Box<dyn Error + Send + Sync>),
    /// No such record, or it belongs to someone else (ownership is part of the query, so the
    /// two cannot be told apart).
    #[error("not found")]
    NotFound,
    /// The card's status changed since it was read: another decision or action won.
    #[error("the card is already {current}")]
    StatusChanged {
        /// The status the card has now.
        current: CardStatus,
    },
    /// The move is not in the transition table.
    #[error(transparent)]
    Refused(#[from] TransitionError),
    /// The request or the stored data breaks a rule of the domain.
    #[error("invalid: {0}")]
    Invalid(String),
}

impl RepositoryError {
    /// Whether the same call may succeed later without any change of input.
    pub fn is_retryable(&self) -> bool {
        matches!(self, RepositoryError::Unavailable(_))
    }

    /// The error and its causes on one line, for logs and reports: `Unavailable` says only
    /// that the storage could not be reached, its source what happened.
    pub fn with_causes(&self) -> String {
        let mut text = self.to_string();
        let mut source = self.source();
        while let Some(cause) = source {
            let cause_text = cause.to_string();
            // Some errors repeat their source in their own message.
            if !text.contains(&cause_text) {
                text.push_str(": ");
                text.push_str(&cause_text);
            }
            source = cause.source();
        }
        text
    }
}

/// The shorthand of every repository result.
pub type RepositoryResult<T> = Result<T, RepositoryError>;

/// Cards: what partners write and everyone browses.
pub trait CardRepository: Send + Sync {
    /// Stores a new card of `owner` as `pending` and returns its id.
    ///
    /// # Errors
    /// `Unavailable`; `Invalid` when the content names reference data that does not exist.
    fn submit_new(
        &self,
        owner: UserId,
        content: &CardContent,
        now: Timestamp,
    ) -> impl Future<Output = RepositoryResult<CardId>> + Send;

    /// Replaces the content of `owner`'s rejected card ([`crate::CardAction::Submit`]) or of
    /// a published or hidden one ([`crate::CardAction::Edit`]) and makes it `pending` again,
    /// clearing the rejection reason: an edited card leaves the catalog until approved.
    ///
    /// # Errors
    /// `NotFound` when the card is not `owner`'s or is deleted; `Refused` when it is pending
    /// (or a draft); `StatusChanged` when its status changed during the call; `Invalid`
    /// when the content names reference data that does not exist; `Unavailable`.
    fn resubmit(
        &self,
        owner: UserId,
        id: CardId,
        content: &CardContent,
        now: Timestamp,
    ) -> impl Future<Output = RepositoryResult<()>> + Send;

    /// Any card that is not deleted, whoever owns it.
    ///
    /// # Errors
    /// `Unavailable`; `Invalid` when the stored row cannot be read as a card.
    fn card(&self, id: CardId) -> impl Future<Output = RepositoryResult<Option<Card>>> + Send;

    /// `owner`'s card, unless deleted.
    ///
    /// # Errors
    /// `NotFound` when there is no such card, it is deleted, or it is someone else's;
    /// `Unavailable`.
    fn owned_card(
        &self,
        owner: UserId,
        id: CardId,
    ) -> impl Future<Output = RepositoryResult<Card>> + Send;

    /// Applies a partner's action (hide, show, delete) to `owner`'s card as a conditional
    /// update on the status it had, and returns the new status.
    ///
    /// # Errors
    /// `NotFound` as for [`CardRepository::owned_card`]; `Refused` when the table has no such
    /// move; `StatusChanged` when the status changed between the read and the update;
    /// `Unavailable`.
    fn apply_partner_action(
        &self,
        owner: UserId,
        id: CardId,
        action: CardAction,
        now: Timestamp,
    ) -> impl Future<Output = RepositoryResult<CardStatus>> + Send;

    /// A page (clamped into range) of `owner`'s cards in every status but deleted, the most
    /// recently changed first.
    ///
    /// # Errors
    /// `Unavailable`.
    fn partner_cards(
        &self,
        owner: UserId,
        page: PageRequest,
    ) -> impl Future<Output = RepositoryResult<Listing<CardSummary>>> + Send;

    /// A page (clamped into range) of the published cards (legacy `approved` included) that
    /// match `filter`: featured first, then the most recently submitted.
    ///
    /// # Errors
    /// `Unavailable`.
    fn catalog(
        &self,
        filter: &CatalogFilter,
        page: PageRequest,
    ) -> impl Future<Output = RepositoryResult<Listing<CardSummary>>> + Send;

    /// How many published cards each category of `city` has; categories with none are
    /// absent.
    ///
    /// # Errors
    /// `Unavailable`.
    fn category_counts(
        &self,
        city: CityId,
    ) -> impl Future<Output = RepositoryResult<Vec<(CategoryId, u64)>>> + Send;

    /// A page (clamped into range) of the published cards (legacy `approved` included) of any
    /// city and category whose title and description, folded by [`crate::search_text`],
    /// contain every word of `query`: featured first, then the most recently submitted.
    ///
    /// # Errors
    /// `Unavailable`.
    fn search(
        &self,
        query: &SearchQuery,
        page: PageRequest,
    ) -> impl Future<Output = RepositoryResult<Listing<CardSummary>>> + Send;
    /// Every published card (legacy `approved` included) that has coordinates, in any order:
    /// the *Nearby* list orders them by distance with [`crate::nearest`].
    ///
    /// # Errors
    /// `Unavailable`; `Invalid` when a stored pair is not a valid place.
    fn published_places(&self) -> impl Future<Output = RepositoryResult<Vec<Place>>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("pool timed out")]
    struct Timeout(#[source] std::io::Error);

    #[test]
    fn an_unavailable_storage_tells_its_causes_and_may_be_retried() {
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let error = RepositoryError::Unavailable(Box::new(Timeout(refused)));
        assert!(error.is_retryable());
        assert_eq!(error.to_string(), "storage unavailable");
        assert_eq!(
            error.with_causes(),
            "storage unavailable: pool timed out: refused"
        );
        let error = RepositoryError::Unavailable("no open transaction".into());
        assert_eq!(
            error.with_causes(),
            "storage unavailable: no open transaction"
        );
        assert!(!RepositoryError::NotFound.is_retryable());
        assert_eq!(RepositoryError::NotFound.with_causes(), "not found");
    }
}
