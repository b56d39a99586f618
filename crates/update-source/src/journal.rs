//! The journal of handled updates and the outbox of their answers.

use std::fmt;
use std::future::Future;

/// Telegram's `update_id`: increasing within a run of updates, but after a quiet week the
/// next one may be anywhere, so a gap or a smaller id is not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UpdateId(u32);

impl UpdateId {
    /// The id Telegram sent.
    #[must_use]
    pub const fn new(value: u32) -> Self {
        Self(value)
    }

    /// The number.
    #[must_use]
    pub const fn get(self) -> u32 {
        self.0
    }

    /// The getUpdates `offset` that confirms this update and every earlier one.
    #[must_use]
    pub fn next_offset(self) -> i64 {
        i64::from(self.0) + 1
    }
}

impl fmt::Display for UpdateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What opening the handling of an update found.
#[derive(Debug)]
pub enum Opened<H> {
    /// The update is new: handle it through `H`, then [`UpdateJournal::commit`] or
    /// [`UpdateJournal::abandon`].
    New(H),
    /// It was handled before (a redelivery): confirm it and do nothing.
    Handled,
}

/// A message produced by handling an update, queued until it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The chat it goes to, when it goes to one (a callback answer does not).
    pub chat: Option<i64>,
    /// The message, in the form the sender reads back (JSON).
    pub payload: String,
}

/// The id of a queued [`Outgoing`] message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QueuedId(pub i64);

/// A queued message taken for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    /// Its id, to report it sent.
    pub id: QueuedId,
    /// The message.
    pub message: Outgoing,
}

/// The journal of handled updates and the outbox of what handling them produced: through it,
/// an update changes things exactly once and its answers are sent at least once, with no
/// repeat beyond the messages in flight when a process died.
///
/// Delivery is at least once (a poll offset is confirmed only after its updates were handled;
/// Telegram repeats a webhook delivery that did not get a 2xx), so the same `update_id` can
/// arrive again — on this instance or another. Handling an update therefore happens inside a
/// unit of work ([`UpdateJournal::Handling`], a database transaction): it is
/// [opened](UpdateJournal::open) with the update's id, the dialog reads and writes through it,
/// and [committing](UpdateJournal::commit) records the id as handled, queues the outgoing
/// messages and makes the dialog's changes durable, all at once. A process killed before the
/// commit leaves nothing behind, so the redelivered update is handled afresh; killed after it,
/// the redelivery is recognised, and the queued messages are sent by whoever
/// [takes them](Outbox::take_unsent).
pub trait UpdateJournal: Send + Sync {
    /// A handling in progress: the store that the dialog uses while handling one update.
    type Handling: Send + Sync;

    /// Opens the handling of `update` at `now_millis` (Unix milliseconds). Concurrent opens of
    /// one id on several instances wait for each other: exactly one is [`Opened::New`] and
    /// commits; the others then see [`Opened::Handled`].
    ///
    /// `sender` is the Telegram user the update comes from, when it says: a store that also
    /// serves the handling's reads may read what a handling reads first of that person in
    /// the same round trip as the record. A hint only; what the handling reads is the same
    /// with or without it.
    ///
    /// # Errors
    /// [`JournalError::Unavailable`] when the store cannot be reached; the update must then
    /// not be confirmed.
    fn open(
        &self,
        update: UpdateId,
        sender: Option<i64>,
        now_millis: i64,
    ) -> impl Future<Output = Result<Opened<Self::Handling>, JournalError>> + Send;

    /// [`UpdateJournal::open`] for the second attempt at an update whose first handling was
    /// [spoiled](UpdateJournal::spoiled): every call that may fail is kept apart (on
    /// PostgreSQL, in a savepoint), so that a failed call undoes only itself and the rest of
    /// the handling goes on. That costs round trips which a handling whose calls all succeed
    /// does not need, so [`UpdateJournal::open`] may leave them out.
    ///
    /// The default opens as [`UpdateJournal::open`] does, for stores whose handlings are
    /// never spoiled.
    ///
    /// # Errors
    /// As [`UpdateJournal::open`].
    fn open_guarded(
        &self,
        update: UpdateId,
        sender: Option<i64>,
        now_millis: i64,
    ) -> impl Future<Output = Result<Opened<Self::Handling>, JournalError>> + Send {
        self.open(update, sender, now_millis)
    }

    /// Whether handlings take turns at one writer and share a commit when they queue for it
    /// (SQLite's group commit): then a batch's handlings cost least when they queue together
    /// before each commits, rather than each committing alone as it finishes.
    ///
    /// The default is `false`, for stores whose handlings run side by side (PostgreSQL).
    fn commits_are_shared(&self) -> bool {
        false
    }

    /// Whether a call that failed inside `handling` took the handling with it: its store can
    /// keep nothing more of it (PostgreSQL refuses every statement of a transaction after a
    /// failed one), and [`UpdateJournal::commit`] would fail. The caller then
    /// [abandons](UpdateJournal::abandon) it and, once, handles the update again from the
    /// start on a handling from [`UpdateJournal::open_guarded`].
    ///
    /// The default is `false`, for stores whose handlings are never spoiled.
    fn spoiled(&self, handling: &Self::Handling) -> bool {
        let _ = handling;
        false
    }

    /// Makes everything `handling` changed durable, with the record that `update` (the one it
    /// was opened for) was handled and `outgoing` queued (locked for sending by the caller until
    /// `locked_until_millis`). Returns the queued ids, in the order of `outgoing`.
    ///
    /// # Errors
    /// [`JournalError::Unavailable`] when the store cannot be reached: nothing was kept
    /// (or, when the answer to the commit itself was lost, all was: a redelivery tells).
    /// [`JournalError::Spoiled`] when a write it kept for the commit was refused: nothing was
    /// kept.
    fn commit(
        &self,
        handling: Self::Handling,
        update: UpdateId,
        outgoing: &[Outgoing],
        locked_until_millis: i64,
    ) -> impl Future<Output = Result<Vec<QueuedId>, JournalError>> + Send;

    /// Drops everything `handling` changed: the update stays unhandled, to come again.
    fn abandon(&self, handling: Self::Handling) -> impl Future<Output = ()> + Send;

    /// Forgets the ids handled before `before_millis` (Unix milliseconds); returns how many.
    /// Telegram keeps an unconfirmed update for 24 hours, so a few days' ids are enough.
    ///
    /// # Errors
    /// [`JournalError::Unavailable`] when the store cannot be reached.
    fn sweep(&self, before_millis: i64) -> impl Future<Output = Result<u64, JournalError>> + Send;
}

/// The queue of outgoing messages that [`UpdateJournal::commit`] fills.
///
/// A message is locked for sending by one instance at a time: the one that handled its update,
/// which keeps [renewing](Outbox::renew) the lock while sending, or, when that instance died,
/// the first to [take it](Outbox::take_unsent) after the lock ran out.
pub trait Outbox: Send + Sync {
    /// Removes messages that were sent (or given up on), all at once: a sender that strikes
    /// the answers of many chats in one call pays for one write, not one each.
    ///
    /// # Errors
    /// [`JournalError::Unavailable`] when the store cannot be reached; the messages stay
    /// queued and will be sent again once their locks run out.
    fn sent(&self, ids: &[QueuedId]) -> impl Future<Output = Result<(), JournalError>> + Send;

    /// Extends the locks of messages still being sent to `until_millis`.
    ///
    /// # Errors
    /// [`JournalError::Unavailable`] when the store cannot be reached.
    fn renew(
        &self,
        ids: &[QueuedId],
        until_millis: i64,
    ) -> impl Future<Output = Result<(), JournalError>> + Send;

    /// Takes at most `limit` messages whose lock ran out before `now_millis`, oldest first,
    /// locking them until `until_millis`. Atomic across instances: no message is taken twice
    /// while its lock holds.
    ///
    /// # Errors
    /// [`JournalError::Unavailable`] when the store cannot be reached.
    fn take_unsent(
        &self,
        now_millis: i64,
        until_millis: i64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Queued>, JournalError>> + Send;

    /// Whether the outbox can be changed now: a write that changes nothing.
    ///
    /// # Errors
    /// [`JournalError::Unavailable`] when the store cannot be reached.
    fn reachable(&self) -> impl Future<Output = Result<(), JournalError>> + Send;

    /// Unlocks every queued message; returns how many. Only for a process that knows it is
    /// the only one sending (single polling mode, at start), where a lock can only be a
    /// crashed predecessor's.
    ///
    /// # Errors
    /// [`JournalError::Unavailable`] when the store cannot be reached.
    fn unlock_all(&self) -> impl Future<Output = Result<u64, JournalError>> + Send;
}

/// Why the journal could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    /// The store cannot be reached; try again later.
    #[error("update journal unavailable: {0}")]
    Unavailable(String),
    /// A write of the handling that the store sent only with the commit was refused, as a
    /// failed call would have [spoiled](UpdateJournal::spoiled) it: nothing of the handling
    /// was kept. The caller handles the update again, as after a spoiled handling.
    #[error("the handling was spoiled at its commit: {0}")]
    Spoiled(String),
}
