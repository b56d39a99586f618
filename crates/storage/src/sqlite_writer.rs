//! SQLite's one writer at a time, and the group commit of the updates' handlings.
//!
//! SQLite has one writer per file. The process's writers queue for their turn here, on an
//! async lock, rather than in SQLite's busy handler (which sleeps in growing steps between
//! tries and hands the lock over late and unfairly).
//!
//! An update's handling holds the turn from its `BEGIN IMMEDIATE` to its end. When it ends
//! with others waiting for the turn, it does not commit: it hands its open transaction to the
//! next handling, which goes on in a savepoint of the same transaction, and so on; one commit
//! then makes all their changes durable together. A commit is most of what a handling costs
//! SQLite (the `COMMIT` itself and the write-ahead-log frames of every page changed, the same
//! few pages for every update: the journal's, the outbox's, the people's), so under load the
//! handlings share it. Alone, a handling commits as before.
//!
//! What holds, with or without a group:
//! - A handling's end answers only once its changes are committed or known lost: a member of
//!   a group waits for the group's commit. So an update's answers still go out only after
//!   their commit, and an update is confirmed only once its record is kept.
//! - A handling rolled back leaves the group's other changes alone (its savepoint is undone).
//! - A commit that fails, or a group whose connection is lost, fails every member: none of
//!   their updates is confirmed, and each comes again.
//! - Every other transaction (`Db::begin_transaction`, `in_transaction!` outside a handling:
//!   a strike of sent answers, an admin's write) joins the group as a handling does, and
//!   answers as a member.
//! - A call outside any transaction (one statement, read or write) commits a group left open
//!   before it goes on, so everything it reads or writes comes after the group's changes, as
//!   it would have after their own commits.
//! - A group never waits for anyone outside it: the first handling to hand one over queues a
//!   committer for the turn, behind those waiting then, which commits the group if nobody
//!   has by its turn.
//!
//! The statements run on the calling thread and finish in the poll that starts them
//! ([`CallingThread`](crate::calling_thread::CallingThread)): a commit or a hand-over, once
//! begun, is never left half-way by a dropped future.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use diesel_async::AsyncConnection;
use diesel_async::TransactionManager;
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};
use vitrina_cards::RepositoryError;

use crate::error::Failure;
use crate::pool::SqliteConn;

type Manager = <SqliteConn as AsyncConnection>::TransactionManager;

/// A pooled SQLite connection.
pub(crate) type Pooled = Object<SqliteConn>;

/// What a group's commit tells its members: nothing, or why their changes were lost.
type GroupOutcome = Result<(), Arc<str>>;

/// The queue for SQLite's writer turn, shared by every clone of a `Db`.
pub(crate) struct SqliteWriter {
    turn: Arc<Mutex<Group>>,
    /// How many are waiting for the turn: a handling hands its transaction on only when
    /// somebody will come after it soon.
    waiting: AtomicUsize,
}

/// The turn, and with it the open group.
pub(crate) type Turn = OwnedMutexGuard<Group>;

/// The transaction that handlings share, between their turns.
#[derive(Default)]
pub(crate) struct Group {
    /// The open transaction's connection while no member holds it.
    open: Option<Pooled>,
    /// Those whose changes are in the open transaction, each waiting for its outcome.
    members: Vec<oneshot::Sender<GroupOutcome>>,
    /// Whether a committer is queued for the turn.
    committer_queued: bool,
}

/// Who holds an update's handling transaction: it began it, or joined a group's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// It began the transaction; nobody else's changes are in it.
    First,
    /// It joined a group's transaction, in a savepoint of its own.
    Joined,
}

/// A write begun in the writer's turn ([`SqliteWriter::begin_write`]). Dropped before it
/// ends, its connection is closed, which rolls its transaction back, and the members of the
/// group that transaction carried fail: it never goes back to the pool open.
pub(crate) struct Writing {
    turn: Option<Turn>,
    object: Option<Pooled>,
    place: Place,
}

impl Writing {
    fn new(turn: Turn, object: Pooled, place: Place) -> Writing {
        Writing {
            turn: Some(turn),
            object: Some(object),
            place,
        }
    }

    /// The connection of the write's transaction.
    #[cfg_attr(
        not(any_port),
        allow(dead_code, reason = "the ports' transactions use it")
    )]
    pub(crate) fn connection(&mut self) -> &mut SqliteConn {
        self.object.as_deref_mut().expect("open until taken apart")
    }

    #[cfg(all(test, feature = "journal"))]
    fn place(&self) -> Place {
        self.place
    }

    /// The turn, the connection and the place, no longer closed on drop: whoever takes them
    /// ends the write.
    pub(crate) fn into_parts(mut self) -> (Turn, Pooled, Place) {
        let turn = self.turn.take().expect("open until taken apart");
        let object = self.object.take().expect("open until taken apart");
        (turn, object, self.place)
    }
}

impl Drop for Writing {
    fn drop(&mut self) {
        if let Some(object) = self.object.take() {
            lose(
                object,
                self.turn.as_deref_mut(),
                "a write was dropped before it ended",
            );
        }
    }
}

impl SqliteWriter {
    pub(crate) fn new() -> Arc<SqliteWriter> {
        Arc::new(SqliteWriter {
            turn: Arc::new(Mutex::new(Group::default())),
            waiting: AtomicUsize::new(0),
        })
    }

    /// The turn for work of its own: a group left open is committed first.
    ///
    /// # Errors
    /// `Unavailable` when the turn does not come within `timeout`.
    pub(crate) async fn turn(&self, timeout: Duration) -> Result<Turn, Failure> {
        let mut turn = self.wait(timeout).await?;
        // What became of the group is its members' to hear, not this call's.
        let _ = turn.settle().await;
        Ok(turn)
    }

    /// The turn for a write that may join the open group (an update's handling, or a
    /// transaction of its own), and the connection of its transaction: the group's, in a
    /// savepoint ([`Place::Joined`]), or a pooled one in a new `BEGIN IMMEDIATE` transaction
    /// ([`Place::First`]) from `pool`.
    ///
    /// # Errors
    /// `Unavailable` when the turn or a connection cannot be had, or the transaction cannot
    /// begin. A joined group whose savepoint cannot be made is lost: its members fail.
    pub(crate) async fn begin_write(
        &self,
        timeout: Duration,
        pool: &Pool<SqliteConn>,
    ) -> Result<Writing, Failure> {
        let mut turn = self.wait(timeout).await?;
        if let Some(mut object) = turn.open.take() {
            return match Manager::begin_transaction(&mut *object).await {
                Ok(()) => Ok(Writing::new(turn, object, Place::Joined)),
                Err(error) => {
                    turn.lose(object, &error.to_string());
                    Err(error.into())
                }
            };
        }
        let mut object = crate::pool::acquire(pool.get()).await?;
        crate::pool::begin_immediate(&mut object).await?;
        Ok(Writing::new(turn, object, Place::First))
    }

    /// Ends `writing` with its `outcome`: committed when it is `Ok` (and the commit holds),
    /// undone otherwise; gives the outcome back once the group is settled.
    pub(crate) async fn end_write<T>(
        self: &Arc<Self>,
        writing: Writing,
        outcome: Result<T, Failure>,
    ) -> Result<T, Failure> {
        let (turn, object, place) = writing.into_parts();
        match outcome {
            Ok(value) => self
                .end_handling(turn, object, place, true)
                .await
                .map(|()| value),
            Err(failure) => {
                // Undone whatever becomes of the group: the failure is what the caller hears.
                let _ = self.end_handling(turn, object, place, false).await;
                Err(failure)
            }
        }
    }

    async fn wait(&self, timeout: Duration) -> Result<Turn, Failure> {
        /// Counts a waiter until it has the turn or gives up.
        struct Waiting<'a>(&'a AtomicUsize);
        impl Drop for Waiting<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::AcqRel);
            }
        }
        self.waiting.fetch_add(1, Ordering::AcqRel);
        let _waiting = Waiting(&self.waiting);
        tokio::time::timeout(timeout, Arc::clone(&self.turn).lock_owned())
            .await
            .map_err(|_| {
                RepositoryError::Unavailable(
                    "timed out waiting for another SQLite writer to finish".into(),
                )
                .into()
            })
    }

    /// Ends the handling that holds `turn` and `object` (its transaction, in `place`), and
    /// answers once its changes are committed (`commit`) or undone, and the group it was part
    /// of is settled.
    ///
    /// # Errors
    /// `Unavailable` when the commit failed or the group was lost: nothing of the handling
    /// is kept.
    pub(crate) async fn end_handling(
        self: &Arc<Self>,
        mut turn: Turn,
        mut object: Pooled,
        place: Place,
        commit: bool,
    ) -> Result<(), Failure> {
        let own = match (place, commit) {
            // RELEASE, or ROLLBACK TO and RELEASE, of its savepoint.
            (Place::Joined, true) => Manager::commit_transaction(&mut *object).await,
            (Place::Joined, false) => Manager::rollback_transaction(&mut *object).await,
            (Place::First, true) => Ok(()),
            // Nobody else's changes are in the transaction yet: it ends here.
            (Place::First, false) => {
                let undone = Manager::rollback_transaction(&mut *object).await;
                if undone.is_err() {
                    drop(Object::take(object));
                }
                return undone.map_err(Failure::from);
            }
        };
        if let Err(error) = own {
            turn.lose(object, &error.to_string());
            return Err(error.into());
        }
        // A rolled-back member waits for the group too: the update it found recorded may be
        // recorded only there, and is not handled before until that commits.
        turn.open = Some(object);
        let outcome = if self.waiting.load(Ordering::Acquire) > 0 {
            let (outcome, answer) = oneshot::channel();
            turn.members.push(outcome);
            if !turn.committer_queued {
                turn.committer_queued = true;
                self.queue_committer();
            }
            drop(turn);
            answer.await.unwrap_or_else(|_| {
                Err("the transaction shared with other updates was lost".into())
            })
        } else {
            turn.settle().await
        };
        outcome.map_err(|why| RepositoryError::Unavailable(why.to_string().into()).into())
    }

    /// Queues a task for the turn, behind those waiting now, that commits the open group.
    fn queue_committer(self: &Arc<Self>) {
        let turn = Arc::clone(&self.turn);
        tokio::spawn(async move {
            let mut turn = turn.lock_owned().await;
            turn.committer_queued = false;
            let _ = turn.settle().await;
        });
    }

    /// How many are waiting for the turn now.
    #[cfg(all(test, feature = "journal"))]
    fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Acquire)
    }
}

/// Closes `object`, the connection of a write not ended, which rolls its transaction back,
/// and fails the members of the group that transaction carried (`turn`, when it is held).
pub(crate) fn lose(object: Pooled, turn: Option<&mut Group>, why: &str) {
    drop(Object::take(object));
    if let Some(group) = turn {
        group.fail_members(why);
    }
}

impl Group {
    /// Commits the open transaction, if there is one, tells its members how it went, and
    /// gives that outcome.
    async fn settle(&mut self) -> GroupOutcome {
        let Some(object) = self.open.as_mut() else {
            return Ok(());
        };
        let outcome: GroupOutcome = match Manager::commit_transaction(&mut **object).await {
            Ok(()) => {
                // Back to the pool, clean.
                self.open = None;
                Ok(())
            }
            Err(error) => {
                // Still open after a failed COMMIT (a full disk): closed, which rolls it back.
                let why: Arc<str> = format!("the commit failed: {error}").into();
                if let Some(object) = self.open.take() {
                    drop(Object::take(object));
                }
                Err(why)
            }
        };
        for member in self.members.drain(..) {
            // A member no longer waiting (its task was dropped) needs no answer.
            let _ = member.send(outcome.clone());
        }
        outcome
    }

    /// Closes `object`, the group's connection, which rolls its transaction back, and fails
    /// the members.
    fn lose(&mut self, object: Pooled, why: &str) {
        lose(object, Some(self), why);
    }

    /// Fails the members: their changes are gone with the group's connection.
    fn fail_members(&mut self, why: &str) {
        let why: Arc<str> =
            format!("the transaction shared with other updates was lost: {why}").into();
        for member in self.members.drain(..) {
            let _ = member.send(Err(Arc::clone(&why)));
        }
    }
}

#[cfg(all(test, feature = "journal"))]
mod tests {
    use std::future::poll_fn;
    use std::pin::pin;
    use std::task::Poll;

    use vitrina_update_source::{Opened, Outgoing, UpdateId, UpdateJournal};

    use crate::Db;

    /// A migrated SQLite file, and a second `Db` on it with a writer queue of its own, to see
    /// what is committed from outside.
    async fn sqlite() -> (tempfile::TempDir, Db, Db) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("vitrina.db").display());
        let db = Db::connect(&url).await.expect("open SQLite");
        db.migrate().await.expect("migrate");
        let outside = Db::connect(&url).await.expect("open SQLite again");
        (dir, db, outside)
    }

    async fn open_new(db: &Db, id: u32) -> Db {
        match db.open(UpdateId::new(id), None, 1).await.expect("open") {
            Opened::New(handling) => handling,
            Opened::Handled => panic!("update {id} was recorded as handled"),
        }
    }

    fn answer(chat: i64) -> Outgoing {
        Outgoing {
            chat: Some(chat),
            payload: "{}".to_owned(),
        }
    }

    /// Commits update 1's handling with one answer.
    async fn commit_first(
        db: &Db,
        first: Db,
    ) -> Result<Vec<vitrina_update_source::QueuedId>, vitrina_update_source::JournalError> {
        db.commit(first, UpdateId::new(1), &[answer(1)], 0).await
    }

    async fn committed_answers(outside: &Db) -> u64 {
        outside.queued_messages().await.expect("count the outbox")
    }

    /// Until somebody waits for the writer's turn.
    async fn until_waiting(db: &Db) {
        while db.sqlite_writer().waiting() == 0 {
            tokio::task::yield_now().await;
        }
    }

    /// Polls `future` once, in the calling task.
    async fn poll_once<F: Future>(future: std::pin::Pin<&mut F>) -> Poll<F::Output> {
        let mut future = Some(future);
        poll_fn(|cx| {
            Poll::Ready(
                future
                    .take()
                    .map_or(Poll::Pending, |future| future.poll(cx)),
            )
        })
        .await
    }

    /// A write of its own begun on `db`.
    async fn begin_write(db: &Db) -> super::Writing {
        db.begin_sqlite_write(db.sqlite_pool())
            .await
            .expect("begun")
    }

    /// A write of its own begun in a task, and ended, or (`end` false) dropped before it
    /// ends, as when its task panics or is cancelled; the task gives where the write went.
    fn write_in_task(db: &Db, end: bool) -> tokio::task::JoinHandle<super::Place> {
        let db = db.clone();
        tokio::spawn(async move {
            let writing = begin_write(&db).await;
            let place = writing.place();
            if end {
                db.end_sqlite_write(writing, Ok(())).await.expect("ended");
            }
            place
        })
    }

    /// The first of two handlings, opened, and the second waiting for the turn.
    async fn one_open_one_waiting(db: &Db) -> (Db, tokio::task::JoinHandle<Db>) {
        let first = open_new(db, 1).await;
        let second = tokio::spawn({
            let db = db.clone();
            async move { open_new(&db, 2).await }
        });
        until_waiting(db).await;
        (first, second)
    }

    #[tokio::test]
    async fn a_handling_with_another_waiting_shares_its_commit() {
        let (_dir, db, outside) = sqlite().await;
        let (first, second) = one_open_one_waiting(&db).await;
        let mut first_commit = pin!(commit_first(&db, first));
        assert!(
            poll_once(first_commit.as_mut()).await.is_pending(),
            "handed on, not committed"
        );
        let second = second.await.expect("the second opened");
        assert_eq!(
            committed_answers(&outside).await,
            0,
            "nothing committed yet"
        );
        assert!(
            poll_once(first_commit.as_mut()).await.is_pending(),
            "the first waits for the group's commit"
        );

        db.commit(second, UpdateId::new(2), &[answer(2)], 0)
            .await
            .expect("the group commits");
        assert_eq!(first_commit.await.expect("the first is committed").len(), 1);
        assert_eq!(committed_answers(&outside).await, 2, "both, in one commit");
        assert!(matches!(
            db.open(UpdateId::new(1), None, 2).await,
            Ok(Opened::Handled)
        ));
    }

    #[tokio::test]
    async fn a_handling_rolled_back_in_a_group_leaves_the_others_changes() {
        let (_dir, db, outside) = sqlite().await;
        let (first, second) = one_open_one_waiting(&db).await;
        let mut first_commit = pin!(commit_first(&db, first));
        assert!(poll_once(first_commit.as_mut()).await.is_pending());
        let second = second.await.expect("the second opened");

        db.abandon(second).await;
        first_commit.await.expect("the first is committed");
        assert_eq!(committed_answers(&outside).await, 1, "the first's only");
        let again = open_new(&db, 2).await;
        db.abandon(again).await;
    }

    #[tokio::test]
    async fn a_handling_dropped_in_a_group_fails_the_group() {
        let (_dir, db, outside) = sqlite().await;
        let (first, second) = one_open_one_waiting(&db).await;
        let mut first_commit = pin!(commit_first(&db, first));
        assert!(poll_once(first_commit.as_mut()).await.is_pending());
        let second = second.await.expect("the second opened");

        // Its task panicked or was cancelled: the shared transaction goes with it.
        drop(second);
        assert!(
            first_commit.await.is_err(),
            "the first is not told it was kept"
        );
        assert_eq!(committed_answers(&outside).await, 0);
        let again = open_new(&db, 1).await;
        db.abandon(again).await;
    }

    #[tokio::test]
    async fn a_call_waiting_behind_a_group_commits_it_first() {
        let (_dir, db, _outside) = sqlite().await;
        let first = open_new(&db, 1).await;
        let count = tokio::spawn({
            let db = db.clone();
            async move { db.queued_messages().await }
        });
        until_waiting(&db).await;

        db.commit(first, UpdateId::new(1), &[answer(1)], 0)
            .await
            .expect("committed by the call behind it");
        assert_eq!(
            count.await.expect("the call ran").ok(),
            Some(1),
            "it saw the group's changes"
        );
    }

    #[tokio::test]
    async fn a_group_whose_next_member_gave_up_is_committed_by_its_committer() {
        let (_dir, db, outside) = sqlite().await;
        let (first, second) = one_open_one_waiting(&db).await;
        let mut first_commit = pin!(commit_first(&db, first));
        // Handed on to the second, which is given the turn but stops before it takes it.
        assert!(poll_once(first_commit.as_mut()).await.is_pending());
        second.abort();
        assert!(second.await.is_err_and(|error| error.is_cancelled()));

        first_commit.await.expect("the committer committed it");
        assert_eq!(committed_answers(&outside).await, 1);
        assert!(matches!(
            db.open(UpdateId::new(2), None, 2).await,
            Ok(Opened::New(_))
        ));
    }

    #[tokio::test]
    async fn an_update_recorded_in_the_group_counts_as_handled_once_committed() {
        let (_dir, db, outside) = sqlite().await;
        let first = open_new(&db, 1).await;
        let again = tokio::spawn({
            let db = db.clone();
            async move { db.open(UpdateId::new(1), None, 2).await }
        });
        until_waiting(&db).await;
        let mut first_commit = pin!(commit_first(&db, first));
        assert!(poll_once(first_commit.as_mut()).await.is_pending());

        // The redelivery joins, finds the record, and answers once it is committed.
        assert!(matches!(again.await, Ok(Ok(Opened::Handled))));
        assert_eq!(committed_answers(&outside).await, 1);
        first_commit.await.expect("committed");
    }

    #[tokio::test]
    async fn a_transaction_of_its_own_behind_a_handling_joins_its_group() {
        let (_dir, db, outside) = sqlite().await;
        let first = open_new(&db, 1).await;
        let write = write_in_task(&db, true);
        until_waiting(&db).await;

        commit_first(&db, first)
            .await
            .expect("committed with the write's group");
        assert_eq!(write.await.expect("the write ran"), super::Place::Joined);
        assert_eq!(committed_answers(&outside).await, 1);
    }

    #[tokio::test]
    async fn a_write_dropped_half_way_fails_its_group_and_frees_the_turn() {
        let (_dir, db, outside) = sqlite().await;
        let first = open_new(&db, 1).await;
        let write = write_in_task(&db, false);
        until_waiting(&db).await;
        let mut first_commit = pin!(commit_first(&db, first));
        assert!(poll_once(first_commit.as_mut()).await.is_pending());
        assert_eq!(write.await.expect("the write ran"), super::Place::Joined);

        assert!(first_commit.await.is_err(), "the group's changes are gone");
        assert_eq!(committed_answers(&outside).await, 0);
        let again = open_new(&db, 1).await;
        db.abandon(again).await;
    }

    #[tokio::test]
    async fn the_journals_of_savepoints_are_kept_in_memory() {
        #[derive(diesel::QueryableByName)]
        struct TempStore {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            temp_store: i32,
        }
        let (_dir, db, _outside) = sqlite().await;
        let mut writing = begin_write(&db).await;
        let rows: Result<Vec<TempStore>, _> = diesel_async::RunQueryDsl::load(
            diesel::sql_query("PRAGMA temp_store"),
            writing.connection(),
        )
        .await;
        db.end_sqlite_write(writing, Ok(())).await.expect("ended");
        // 2: MEMORY, on every pooled connection (set when it is opened).
        assert_eq!(
            rows.expect("read").first().map(|row| row.temp_store),
            Some(2)
        );
    }
}
