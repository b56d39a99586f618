//! The ports the storage implements for this domain.
//!
//! Methods return `impl Future + Send` so that adapters can be driven from any executor and
//! shared across tasks. Every method states its error contract.

use std::future::Future;

use crate::card::{Card, CardSummary, CatalogFilter};
use crate::draft::CardContent;
use crate::ids::{CardId, CategoryId, CityId, Timestamp, UserId};
use crate::paging::Listing;
use crate::status::{CardAction, CardStatus, TransitionError};
use crate::user::UserProfile;

/// Why a repository call failed; [`RepositoryError::is_retryable`] tells "try again later"
/// from "this request cannot succeed".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RepositoryError {
    /// The database or its pool cannot be reached now; the same call may succeed later.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
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

    /// Replaces the content of `owner`'s rejected card and makes it `pending` again, clearing
    /// the rejection reason.
    ///
    /// # Errors
    /// `NotFound` when the card is not `owner`'s or is deleted; `Refused` when it is not
    /// rejected; `StatusChanged` when it stopped being rejected during the call;
    /// `Unavailable`.
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

    /// A page (from 1, clamped) of `owner`'s cards in every status but deleted, the most
    /// recently changed first.
    ///
    /// # Errors
    /// `Unavailable`.
    fn partner_cards(
        &self,
        owner: UserId,
        page: u32,
    ) -> impl Future<Output = RepositoryResult<Listing<CardSummary>>> + Send;

    /// A page (from 1, clamped) of the published cards (legacy `approved` included) that
    /// match `filter`: featured first, then the newest.
    ///
    /// # Errors
    /// `Unavailable`.
    fn catalog(
        &self,
        filter: &CatalogFilter,
        page: u32,
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
}

/// People: their language, city, consent and standing.
pub trait UserRepository: Send + Sync {
    /// The profile of `id`, created empty on first sight.
    ///
    /// # Errors
    /// `Unavailable`.
    fn user(&self, id: UserId) -> impl Future<Output = RepositoryResult<UserProfile>> + Send;

    /// Remembers the chosen locale code.
    ///
    /// # Errors
    /// `Unavailable`.
    fn set_locale(
        &self,
        id: UserId,
        locale: &str,
    ) -> impl Future<Output = RepositoryResult<()>> + Send;

    /// Remembers the chosen city.
    ///
    /// # Errors
    /// `Unavailable`; `Invalid` for a city that is not in the reference data.
    fn set_city(
        &self,
        id: UserId,
        city: CityId,
    ) -> impl Future<Output = RepositoryResult<()>> + Send;

    /// Records consent to policy `version`.
    ///
    /// # Errors
    /// `Unavailable`.
    fn accept_policy(
        &self,
        id: UserId,
        version: u32,
    ) -> impl Future<Output = RepositoryResult<()>> + Send;

    /// Marks (or clears) that the person blocked the bot.
    ///
    /// # Errors
    /// `Unavailable`.
    fn set_blocked_bot(
        &self,
        id: UserId,
        blocked: bool,
    ) -> impl Future<Output = RepositoryResult<()>> + Send;

    /// Bans or unbans the person.
    ///
    /// # Errors
    /// `Unavailable`.
    fn set_banned(
        &self,
        id: UserId,
        banned: bool,
    ) -> impl Future<Output = RepositoryResult<()>> + Send;

    /// Makes the person a partner; returns `true` when the partner row was created now.
    ///
    /// # Errors
    /// `Unavailable`.
    fn become_partner(&self, id: UserId) -> impl Future<Output = RepositoryResult<bool>> + Send;
}
