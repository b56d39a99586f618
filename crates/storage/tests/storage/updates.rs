//! Handling an update in one transaction (`UpdateJournal`) and the outbox of its answers
//! (`Outbox`).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use vitrina_cards::{CardRepository, CityId, RepositoryError, UserId};
use vitrina_dialog::{DialogStore, UserRepository};
use vitrina_storage::Db;
use vitrina_update_source::{Opened, Outbox, Outgoing, QueuedId, UpdateId, UpdateJournal};

use crate::support::database::Fixture;
use crate::support::given::{at, content};

on_both_engines!(
    an_update_is_handled_once_even_when_opened_concurrently,
    what_a_handling_changed_is_kept_only_when_committed,
    a_dropped_handling_is_rolled_back_and_holds_nothing,
    an_open_dropped_half_way_leaves_no_transaction_behind,
    a_failed_call_inside_a_guarded_handling_undoes_only_itself,
    a_failed_call_spoils_an_unguarded_handling_on_postgres_only,
    queued_messages_are_taken_once_their_lock_ran_out,
    concurrent_takers_never_take_a_message_twice,
    messages_sent_together_are_struck_together,
    messages_struck_inside_a_handling_go_only_with_its_commit,
    old_updates_are_swept,
    an_open_behind_a_stuck_handling_gives_up_as_unavailable,
    a_handling_opened_for_its_sender_reads_them_as_any_other,
    strikes_inside_a_handling_with_no_answers_go_with_its_commit,
    a_handling_reads_back_what_it_wrote_and_keeps_it,
    commits_are_shared_on_sqlite_only_and_keep_every_handling,
);

fn message(chat: Option<i64>, payload: &str) -> Outgoing {
    Outgoing {
        chat,
        payload: payload.to_owned(),
    }
}

async fn open(db: &Db, id: u32, now: i64) -> Opened<Db> {
    db.open(UpdateId::new(id), None, at(now).millis())
        .await
        .unwrap()
}

/// Opens `id`, expecting it new.
async fn open_new(db: &Db, id: u32, now: i64) -> Db {
    match open(db, id, now).await {
        Opened::New(handling) => handling,
        Opened::Handled => panic!("update {id} was recorded as handled"),
    }
}

/// Takes every unsent message whose lock ran out by a late clock, and gives their ids.
async fn take_all_unsent(db: &Db) -> Vec<QueuedId> {
    db.take_unsent(1, 2, 10)
        .await
        .unwrap()
        .iter()
        .map(|queued| queued.id)
        .collect()
}

async fn state(db: &Db, user: i64) -> Option<String> {
    db.load_dialog(UserId(user), at(0)).await.unwrap()
}

async fn save_state(db: &Db, user: i64, state: &str) {
    db.save_dialog(UserId(user), state, at(1_000_000))
        .await
        .unwrap();
}

async fn an_update_is_handled_once_even_when_opened_concurrently(f: &Fixture) {
    const TASKS: usize = 8;
    for id in [1, 2, u32::MAX] {
        let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
        let tasks: Vec<_> = (0..TASKS)
            .map(|task| {
                let (db, barrier) = (f.db.clone(), barrier.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    match db.open(UpdateId::new(id), None, at(1).millis()).await {
                        Ok(Opened::New(handling)) => {
                            save_state(&handling, 7, &format!("{task}")).await;
                            let payload = format!("answer of {task}");
                            db.commit(
                                handling,
                                UpdateId::new(id),
                                &[message(Some(7), &payload)],
                                at(2).millis(),
                            )
                            .await
                            .unwrap();
                            true
                        }
                        Ok(Opened::Handled) => false,
                        Err(error) => panic!("open failed: {error}"),
                    }
                })
            })
            .collect();
        let mut handled = 0;
        for task in tasks {
            handled += usize::from(task.await.unwrap());
        }
        assert_eq!(handled, 1, "update {id} handled by exactly one task");
    }
    assert_eq!(
        f.db.queued_messages().await.unwrap(),
        3,
        "one answer per update"
    );
}

async fn what_a_handling_changed_is_kept_only_when_committed(f: &Fixture) {
    let db = &f.db;
    let handling = open_new(db, 10, 1).await;
    save_state(&handling, 5, "draft").await;
    assert_eq!(
        state(&handling, 5).await.as_deref(),
        Some("draft"),
        "seen inside"
    );
    db.abandon(handling).await;
    assert_eq!(state(db, 5).await, None, "abandoned: nothing kept");

    let handling = open_new(db, 10, 2).await;
    save_state(&handling, 5, "draft").await;
    let queued = db
        .commit(
            handling,
            UpdateId::new(10),
            &[message(Some(5), "one"), message(None, "two")],
            at(3).millis(),
        )
        .await
        .unwrap();
    assert_eq!(queued.len(), 2);
    assert!(queued[0] < queued[1], "ids in the order given: {queued:?}");
    assert_eq!(state(db, 5).await.as_deref(), Some("draft"), "committed");
    assert!(matches!(open(db, 10, 4).await, Opened::Handled));
    assert_eq!(db.queued_messages().await.unwrap(), 2);
}

async fn a_dropped_handling_is_rolled_back_and_holds_nothing(f: &Fixture) {
    let db = &f.db;
    let handling = open_new(db, 20, 1).await;
    save_state(&handling, 6, "lost").await;
    let clone = handling.clone();
    drop(handling);
    drop(clone);
    // Another handling gets through at once: the dropped one holds no lock (on SQLite, the
    // write lock) and did not go back to the pool open.
    let next = tokio::time::timeout(Duration::from_secs(3), async {
        let handling = open_new(db, 21, 2).await;
        save_state(&handling, 6, "kept").await;
        db.commit(handling, UpdateId::new(21), &[], at(3).millis())
            .await
    })
    .await;
    assert!(matches!(next, Ok(Ok(_))), "{next:?}");
    assert_eq!(state(db, 6).await.as_deref(), Some("kept"));
    assert!(
        matches!(open(db, 20, 4).await, Opened::New(_)),
        "20 never recorded"
    );
}

async fn an_open_dropped_half_way_leaves_no_transaction_behind(f: &Fixture) {
    let db = &f.db;
    // Polled once and dropped: on PostgreSQL its `BEGIN` and record are sent by then.
    let dropped = tokio::time::timeout(
        Duration::ZERO,
        db.open(UpdateId::new(25), None, at(1).millis()),
    )
    .await;
    drop(dropped);
    // Every pooled connection is handed out again: none of them goes on inside a transaction
    // that holds 25's record, which a later commit would keep.
    for id in 26..40 {
        let handling = open_new(db, id, 2).await;
        db.commit(handling, UpdateId::new(id), &[], at(3).millis())
            .await
            .unwrap();
    }
    assert!(
        matches!(open(db, 25, 4).await, Opened::New(_)),
        "25 never recorded"
    );
}

/// A card in a city that does not exist: its submission breaks a foreign key.
fn card_in_no_city() -> vitrina_cards::CardContent {
    let mut broken = content("Кофейня");
    broken.city = CityId(999_999);
    broken
}

/// Opens `id` guarded, expecting it new.
async fn open_guarded_new(db: &Db, id: u32, now: i64) -> Db {
    match db
        .open_guarded(UpdateId::new(id), None, at(now).millis())
        .await
    {
        Ok(Opened::New(handling)) => handling,
        other => panic!("update {id} not opened: {other:?}"),
    }
}

/// In `handling`, `user`'s state is saved, then a call fails.
async fn save_then_fail_a_call(handling: &Db, user: i64) {
    save_state(handling, user, "before").await;
    let failed = handling
        .submit_new(UserId(user), &card_in_no_city(), at(1))
        .await;
    assert!(
        matches!(failed, Err(RepositoryError::Invalid(_))),
        "{failed:?}"
    );
}

/// `handling` of update `id` goes on after its failed call: a later call and the commit keep
/// their work (PostgreSQL would refuse every later statement of an aborted transaction, were
/// the call not in a savepoint of its own).
async fn goes_on_after_the_failed_call(db: &Db, handling: Db, user: i64, id: u32) {
    assert!(!db.spoiled(&handling));
    save_state(&handling, user, "after").await;
    db.commit(handling, UpdateId::new(id), &[], at(2).millis())
        .await
        .unwrap();
    assert_eq!(state(db, user).await.as_deref(), Some("after"));
}

async fn a_failed_call_inside_a_guarded_handling_undoes_only_itself(f: &Fixture) {
    let db = &f.db;
    let handling = open_guarded_new(db, 30, 1).await;
    save_then_fail_a_call(&handling, 8).await;
    goes_on_after_the_failed_call(db, handling, 8, 30).await;
}

async fn a_failed_call_spoils_an_unguarded_handling_on_postgres_only(f: &Fixture) {
    let db = &f.db;
    let handling = open_new(db, 31, 1).await;
    save_then_fail_a_call(&handling, 9).await;
    if db.engine() == "sqlite" {
        // SQLite undid the failed statement alone: the handling goes on as a guarded one.
        goes_on_after_the_failed_call(db, handling, 9, 31).await;
        return;
    }
    // PostgreSQL aborted the transaction: the journal says so, the later calls are refused
    // without reaching the server, and a commit keeps nothing, not even the update's id.
    assert!(db.spoiled(&handling));
    let later = handling.save_dialog(UserId(9), "after", at(9)).await;
    assert!(
        matches!(later, Err(RepositoryError::Unavailable(_))),
        "{later:?}"
    );
    let committed = db
        .commit(
            handling,
            UpdateId::new(31),
            &[message(Some(9), "an answer")],
            at(2).millis(),
        )
        .await;
    assert!(committed.is_err(), "{committed:?}");
    assert_eq!(state(db, 9).await, None);
    assert_eq!(take_all_unsent(db).await, vec![]);
    // The update comes again; a guarded handling of it keeps what the call did not spoil.
    let again = open_guarded_new(db, 31, 3).await;
    save_then_fail_a_call(&again, 9).await;
    goes_on_after_the_failed_call(db, again, 9, 31).await;
}

async fn queued_messages_are_taken_once_their_lock_ran_out(f: &Fixture) {
    let db = &f.db;
    let handling = open_new(db, 40, 1).await;
    let queued = db
        .commit(
            handling,
            UpdateId::new(40),
            &[message(Some(3), "first"), message(None, "second")],
            100,
        )
        .await
        .unwrap();
    assert_eq!(db.take_unsent(50, 300, 10).await, Ok(vec![]), "locked");
    assert_eq!(
        db.unsent_messages(vitrina_cards::Timestamp(100))
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        db.unsent_messages(vitrina_cards::Timestamp(101))
            .await
            .unwrap(),
        2
    );
    let taken = db.take_unsent(150, 300, 10).await.unwrap();
    let got: Vec<_> = taken
        .iter()
        .map(|queued| (queued.id, queued.message.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (queued[0], message(Some(3), "first")),
            (queued[1], message(None, "second")),
        ]
    );
    assert_eq!(db.take_unsent(200, 400, 10).await, Ok(vec![]), "taken");
    db.renew(&queued, 1_000).await.unwrap();
    assert_eq!(db.take_unsent(500, 600, 10).await, Ok(vec![]), "renewed");
    db.sent(&queued[..1]).await.unwrap();
    assert_eq!(db.unlock_all().await, Ok(1));
    assert_eq!(
        take_all_unsent(db).await,
        vec![queued[1]],
        "a sent message is gone"
    );
}

async fn messages_sent_together_are_struck_together(f: &Fixture) {
    let db = &f.db;
    let mut queued = Vec::new();
    for id in 0..4_u32 {
        let handling = open_new(db, 60 + id, 1).await;
        queued.extend(
            db.commit(
                handling,
                UpdateId::new(60 + id),
                &[message(Some(i64::from(id)), "hi")],
                0,
            )
            .await
            .unwrap(),
        );
    }
    db.sent(&[]).await.unwrap();
    db.sent(&[queued[0], queued[2], queued[3]]).await.unwrap();
    assert_eq!(
        take_all_unsent(db).await,
        vec![queued[1]],
        "only the message not named is left"
    );
    // Striking what is gone already changes nothing and is no error: a courier may strike
    // again what a sender struck.
    db.sent(&[queued[0], queued[1]]).await.unwrap();
    assert_eq!(db.queued_messages().await.unwrap(), 0);
}

async fn messages_struck_inside_a_handling_go_only_with_its_commit(f: &Fixture) {
    let db = &f.db;
    let handling = open_new(db, 70, 1).await;
    let queued = db
        .commit(
            handling,
            UpdateId::new(70),
            &[
                message(Some(1), "a"),
                message(Some(2), "b"),
                message(None, "c"),
            ],
            0,
        )
        .await
        .unwrap();
    // Abandoned, the handling strikes nothing.
    let handling = open_new(db, 71, 2).await;
    handling.sent(&queued[..2]).await.unwrap();
    db.abandon(handling).await;
    assert_eq!(
        db.queued_messages().await.unwrap(),
        3,
        "abandoned: all kept"
    );
    // Committed, it strikes what it named, with the answers it queues itself.
    let handling = open_new(db, 71, 3).await;
    handling.sent(&queued[..2]).await.unwrap();
    let own = db
        .commit(handling, UpdateId::new(71), &[message(Some(3), "d")], 0)
        .await
        .unwrap();
    let mut left = vec![queued[2]];
    left.extend(own);
    assert_eq!(take_all_unsent(db).await, left);
}

async fn concurrent_takers_never_take_a_message_twice(f: &Fixture) {
    const MESSAGES: u32 = 30;
    const TAKERS: usize = 6;
    let db = &f.db;
    for id in 0..MESSAGES {
        let handling = open_new(db, 100 + id, 1).await;
        db.commit(
            handling,
            UpdateId::new(100 + id),
            &[message(Some(i64::from(id)), "hi")],
            0,
        )
        .await
        .unwrap();
    }
    let barrier = Arc::new(tokio::sync::Barrier::new(TAKERS));
    let takers: Vec<_> = (0..TAKERS)
        .map(|_| {
            let (db, barrier) = (db.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let mut taken = Vec::new();
                loop {
                    let batch = db.take_unsent(10, 1_000, 4).await.unwrap();
                    if batch.is_empty() {
                        break taken;
                    }
                    taken.extend(batch.into_iter().map(|queued| queued.id));
                }
            })
        })
        .collect();
    let mut all = Vec::new();
    for taker in takers {
        all.extend(taker.await.unwrap());
    }
    let distinct: BTreeSet<_> = all.iter().copied().collect();
    assert_eq!(all.len(), distinct.len(), "taken twice: {all:?}");
    assert_eq!(distinct.len(), MESSAGES as usize, "every message taken");
}

async fn old_updates_are_swept(f: &Fixture) {
    let db = &f.db;
    for (id, when) in [(50, 1), (51, 2), (52, 3), (53, 4)] {
        let handling = open_new(db, id, when).await;
        db.commit(handling, UpdateId::new(id), &[], 0)
            .await
            .unwrap();
    }
    assert_eq!(db.sweep(at(3).millis()).await, Ok(2), "strictly older only");
    assert_eq!(db.sweep_handled_updates(at(3)).await.unwrap(), 0);
    assert!(matches!(open(db, 52, 5).await, Opened::Handled), "kept");
    assert!(matches!(open(db, 50, 5).await, Opened::New(_)), "forgotten");
}

async fn an_open_behind_a_stuck_handling_gives_up_as_unavailable(f: &Fixture) {
    let db = &f.db;
    // An instance froze in the middle of handling update 60 and holds its transaction…
    let stuck = open_new(db, 60, 1).await;
    // …so another's open of the same update waits for it, but not for ever (SQLite's busy
    // timeout, PostgreSQL's lock timeout): the update stays unconfirmed and comes again.
    let waited = tokio::time::timeout(
        Duration::from_secs(30),
        db.open(UpdateId::new(60), None, at(2).millis()),
    )
    .await
    .expect("the open gave up by itself");
    assert!(
        matches!(
            waited,
            Err(vitrina_update_source::JournalError::Unavailable(_))
        ),
        "{waited:?}"
    );
    db.abandon(stuck).await;
    assert!(matches!(open(db, 60, 3).await, Opened::New(_)));
}

/// What the commits of SQLite write goes to its write-ahead log, and [`Db::keep_wal_short`]
/// copies it into the database file beside them, not inside one of them: the file grows only
/// while it runs.
#[tokio::test(flavor = "multi_thread")]
async fn sqlite_log_is_copied_into_the_file_beside_the_commits() {
    let f = Fixture::sqlite().await;
    let db = &f.db;
    let url = f.url();
    let file = std::path::PathBuf::from(url.strip_prefix("sqlite://").unwrap());
    let size = || std::fs::metadata(&file).unwrap().len();
    let payload = "x".repeat(2_000);
    let commit_some = async |from: u32| {
        for id in from..from + 100 {
            let handling = open_new(db, id, 1).await;
            db.commit(
                handling,
                UpdateId::new(id),
                &[message(Some(1), &payload)],
                0,
            )
            .await
            .unwrap();
        }
    };

    let before = size();
    commit_some(1_000).await;
    assert_eq!(size(), before, "a commit copied the log into the file");

    let checkpoints = tokio::spawn({
        let db = db.clone();
        async move {
            db.keep_wal_short(tokio::time::sleep(Duration::from_millis(700)))
                .await;
        }
    });
    commit_some(2_000).await;
    checkpoints.await.unwrap();
    assert!(size() > before, "the log was never copied into the file");
    assert_eq!(db.queued_messages().await.unwrap(), 200);
}

/// Opens `id` for `sender`, expecting it new.
async fn open_for(db: &Db, id: u32, sender: i64, now: i64) -> Db {
    match db
        .open(UpdateId::new(id), Some(sender), at(now).millis())
        .await
    {
        Ok(Opened::New(handling)) => handling,
        other => panic!("update {id}: {:?}", other.map(|_| "handled before")),
    }
}

async fn a_handling_opened_for_its_sender_reads_them_as_any_other(f: &Fixture) {
    let db = &f.db;
    save_state(db, 7, "draft").await;
    db.set_locale(UserId(7), "en").await.unwrap();
    let as_read = db.person_and_dialog(UserId(7), at(5)).await.unwrap();
    assert_eq!(as_read.state.as_deref(), Some("draft"));

    let handling = open_for(db, 90, 7, 5).await;
    assert_eq!(
        handling.person_and_dialog(UserId(7), at(5)).await.unwrap(),
        as_read,
        "the sender, as read without the hint"
    );
    // Asked again, the person is read afresh, with what the handling changed meanwhile.
    handling.set_locale(UserId(7), "ko").await.unwrap();
    let again = handling.person_and_dialog(UserId(7), at(5)).await.unwrap();
    assert_eq!(again.profile.locale.as_deref(), Some("ko"));
    db.commit(handling, UpdateId::new(90), &[], at(6).millis())
        .await
        .unwrap();

    // Someone else than the sender, or another time, is read for themselves.
    let handling = open_for(db, 91, 7, 6).await;
    let other = handling.person_and_dialog(UserId(9), at(6)).await.unwrap();
    assert_eq!((other.profile.id, other.state), (UserId(9), None));
    let later = handling
        .person_and_dialog(UserId(7), at(2_000_000))
        .await
        .unwrap();
    assert_eq!(later.state, None, "the draft expired by then");
    db.abandon(handling).await;

    // A sender never seen is created with the handling, as without the hint.
    let handling = open_for(db, 92, 8, 7).await;
    let new = handling.person_and_dialog(UserId(8), at(7)).await.unwrap();
    assert_eq!((new.profile.id, new.profile.locale), (UserId(8), None));
    assert!(!new.stored_admin);
    db.commit(handling, UpdateId::new(92), &[], at(8).millis())
        .await
        .unwrap();
    assert!(db.known_user(UserId(8)).await.unwrap().is_some());

    // A sender of an update handled before reads nothing: the open says so.
    assert!(matches!(
        db.open(UpdateId::new(92), Some(8), at(9).millis()).await,
        Ok(Opened::Handled)
    ));
}

async fn strikes_inside_a_handling_with_no_answers_go_with_its_commit(f: &Fixture) {
    let db = &f.db;
    let handling = open_new(db, 95, 1).await;
    let queued = db
        .commit(
            handling,
            UpdateId::new(95),
            &[
                message(Some(1), "a"),
                message(Some(2), "b"),
                message(Some(3), "c"),
            ],
            0,
        )
        .await
        .unwrap();
    // Committed through the journal with nothing of its own to queue.
    let handling = open_new(db, 96, 2).await;
    handling.sent(&queued[..1]).await.unwrap();
    assert!(
        db.commit(handling, UpdateId::new(96), &[], 0)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(take_all_unsent(db).await, queued[1..].to_vec());
    // Committed as a plain transaction.
    let handling = open_new(db, 97, 3).await;
    handling.sent(&queued[1..2]).await.unwrap();
    handling.commit_transaction().await.unwrap();
    assert_eq!(db.queued_messages().await.unwrap(), 1);
    assert!(matches!(open(db, 97, 4).await, Opened::Handled));
}

/// The answers' insert and the `COMMIT` go out together on PostgreSQL: the rows it wrote
/// carry the transaction of the update's record, on a connection that had prepared neither
/// statement and on one that had.
#[tokio::test(flavor = "multi_thread")]
async fn the_last_statement_rides_with_the_commit() {
    let Some(f) = Fixture::postgres().await else {
        return;
    };
    // A pool of its own, whose connections have prepared nothing yet.
    let db = Db::connect(&f.url()).await.unwrap();
    for (id, now) in [(100_u32, 1), (101, 2), (102, 3)] {
        let handling = open_new(&db, id, now).await;
        save_state(&handling, i64::from(id), "kept").await;
        let queued = db
            .commit(
                handling,
                UpdateId::new(id),
                &[message(Some(1), "a"), message(None, "b")],
                0,
            )
            .await
            .unwrap();
        assert_eq!(queued.len(), 2);
        let transactions = f
            .number(&format!(
                "SELECT count(DISTINCT xmin::text)::BIGINT AS n FROM ( \
                   SELECT xmin FROM handled_updates WHERE update_id = {id} \
                   UNION ALL SELECT xmin FROM dialogs WHERE user_id = {id} \
                   UNION ALL SELECT xmin FROM outbox WHERE update_id = {id}) AS written"
            ))
            .await;
        assert_eq!(
            transactions, 1,
            "update {id}: all in the update's transaction"
        );
    }
    assert_eq!(db.queued_messages().await.unwrap(), 6);
}

/// A last statement the server refuses takes the rest of the handling with it: the `COMMIT`
/// sent behind it finds the transaction aborted and rolls it back.
#[tokio::test(flavor = "multi_thread")]
async fn a_last_statement_that_fails_takes_the_commit_with_it() {
    let Some(f) = Fixture::postgres().await else {
        return;
    };
    let db = &f.db;
    let handling = open_new(db, 110, 1).await;
    save_state(&handling, 110, "lost").await;
    // PostgreSQL's text holds no NUL character.
    let refused = db
        .commit(handling, UpdateId::new(110), &[message(Some(1), "a\0b")], 0)
        .await;
    assert!(refused.is_err(), "the insert was refused: {refused:?}");
    assert_eq!(state(db, 110).await, None, "nothing of the handling kept");
    assert_eq!(db.queued_messages().await.unwrap(), 0);
    assert!(
        matches!(open(db, 110, 2).await, Opened::New(_)),
        "the update is not recorded: a redelivery handles it"
    );
}

/// What a handling wrote, a later call of it reads, and its commit keeps, whether the writes
/// went out at once (SQLite, a guarded handling) or waited for the next statement
/// (PostgreSQL's unguarded handling: a later call's, or the commit's with or without answers).
async fn a_handling_reads_back_what_it_wrote_and_keeps_it(f: &Fixture) {
    let db = &f.db;
    for (id, guarded, answers) in [(120_u32, false, 1), (121, true, 1), (122, false, 0)] {
        let user = UserId(i64::from(id));
        let handling = if guarded {
            open_guarded_new(db, id, 1).await
        } else {
            open_new(db, id, 1).await
        };
        handling.set_locale(user, "vi").await.unwrap();
        handling.accept_policy(user, 3).await.unwrap();
        save_state(&handling, user.get(), "choosing").await;
        let read = handling.user(user).await.unwrap();
        assert_eq!(
            (read.locale.as_deref(), read.accepted_policy),
            (Some("vi"), Some(3))
        );
        assert_eq!(
            state(&handling, user.get()).await.as_deref(),
            Some("choosing")
        );
        // Written after the last read: only the commit carries them.
        handling.set_name(user, "Ann", Some("ann")).await.unwrap();
        save_state(&handling, user.get(), "chosen").await;
        let outgoing: Vec<Outgoing> = (0..answers).map(|_| message(Some(1), "done")).collect();
        db.commit(handling, UpdateId::new(id), &outgoing, 0)
            .await
            .unwrap();
        let kept = db.user(user).await.unwrap();
        assert_eq!(
            (kept.locale.as_deref(), kept.first_name.as_deref()),
            (Some("vi"), Some("Ann")),
            "update {id}"
        );
        assert_eq!(state(db, user.get()).await.as_deref(), Some("chosen"));
    }
    assert_eq!(db.queued_messages().await.unwrap(), 2);
}

/// A write that waited for the next statement and that the server refuses fails that
/// statement's call, or the commit, and spoils the handling as its own failure would have:
/// nothing of it is kept, and the update is handled again.
#[tokio::test(flavor = "multi_thread")]
async fn a_waiting_write_the_server_refuses_takes_the_handling_with_it() {
    let Some(f) = Fixture::postgres().await else {
        return;
    };
    let db = &f.db;
    // Refused with the commit.
    let handling = open_new(db, 130, 1).await;
    save_state(&handling, 130, "lost").await;
    // PostgreSQL's text holds no NUL character; the write waits, so the call succeeds.
    handling.set_name(UserId(130), "a\0b", None).await.unwrap();
    let refused = db
        .commit(handling, UpdateId::new(130), &[message(Some(1), "a")], 0)
        .await;
    assert!(
        matches!(
            refused,
            Err(vitrina_update_source::JournalError::Spoiled(_))
        ),
        "spoiled, so handled again guarded: {refused:?}"
    );
    assert_eq!(state(db, 130).await, None, "nothing of the handling kept");
    assert_eq!(db.queued_messages().await.unwrap(), 0);
    assert!(matches!(open(db, 130, 2).await, Opened::New(_)));

    // Refused with the next call, which fails and spoils the handling.
    let handling = open_new(db, 131, 1).await;
    handling.set_name(UserId(131), "a\0b", None).await.unwrap();
    save_state(&handling, 131, "lost").await;
    let read = handling.user(UserId(131)).await;
    assert!(read.is_err(), "{read:?}");
    assert!(db.spoiled(&handling));
    let committed = db.commit(handling, UpdateId::new(131), &[], 0).await;
    assert!(committed.is_err(), "{committed:?}");
    assert_eq!(state(db, 131).await, None);
    assert!(db.known_user(UserId(131)).await.unwrap().is_none());
    assert!(matches!(open(db, 131, 2).await, Opened::New(_)));
}

/// SQLite says its handlings share commits (`sqlite_writer`'s tests show the group forming);
/// PostgreSQL's run side by side and say so. Either way, a handling that ends while another
/// waits for the writer is kept, with or without a group.
async fn commits_are_shared_on_sqlite_only_and_keep_every_handling(f: &Fixture) {
    let db = &f.db;
    assert_eq!(db.commits_are_shared(), db.engine() == "sqlite");
    let first = open_new(db, 130, 1).await;
    let second = {
        let db = db.clone();
        tokio::spawn(async move { open_new(&db, 131, 1).await })
    };
    // Most likely the second is waiting for the turn by now, and the first hands it over.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let first_commit = {
        let db = db.clone();
        tokio::spawn(async move { db.commit(first, UpdateId::new(130), &[], 0).await })
    };
    let second = second.await.expect("the second opens");
    db.commit(second, UpdateId::new(131), &[], 0)
        .await
        .expect("the second kept");
    first_commit
        .await
        .expect("the first's task")
        .expect("the first kept");
    for id in [130, 131] {
        assert!(matches!(open(db, id, 2).await, Opened::Handled), "{id}");
    }
}
