//! De-duplication of updates through the `UpdateJournal` port.

use std::sync::Arc;

use vitrina_update_source::{Claim, UpdateId, UpdateJournal};

use crate::given::at;
use crate::harness::Fixture;

on_both_engines!(
    an_update_is_claimed_once_even_when_claimed_concurrently,
    a_completed_update_is_handled_and_an_unfinished_one_in_progress,
    a_stale_unfinished_claim_is_taken_over_once,
    a_released_claim_can_be_claimed_again,
    unfinished_claims_are_released_all_at_once,
    old_claims_are_swept,
);

/// Claims at `now` with a staleness bound far in the past: only absent ids are taken.
async fn fresh_claim(f: &Fixture, id: u32, now: i64) -> Claim {
    f.db.claim(UpdateId::new(id), at(now).millis(), 0)
        .await
        .unwrap()
}

async fn an_update_is_claimed_once_even_when_claimed_concurrently(f: &Fixture) {
    const TASKS: usize = 8;
    for id in [1, 2, 3, u32::MAX, 5] {
        let update = UpdateId::new(id);
        let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| {
                let (db, barrier) = (f.db.clone(), barrier.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    db.claim(update, at(1).millis(), 0).await
                })
            })
            .collect();
        let mut taken = 0;
        for task in tasks {
            match task.await.unwrap().unwrap() {
                Claim::Taken => taken += 1,
                Claim::InProgress => {}
                Claim::Handled => panic!("nobody completed update {id}"),
            }
        }
        assert_eq!(taken, 1, "update {id}: exactly one caller handles it");
    }
}

async fn a_completed_update_is_handled_and_an_unfinished_one_in_progress(f: &Fixture) {
    assert_eq!(fresh_claim(f, 20, 1).await, Claim::Taken);
    assert_eq!(fresh_claim(f, 20, 2).await, Claim::InProgress);
    f.db.complete(UpdateId::new(20)).await.unwrap();
    assert_eq!(fresh_claim(f, 20, 3).await, Claim::Handled);
    // Completed claims never go stale.
    let late =
        f.db.claim(UpdateId::new(20), at(9).millis(), at(9).millis())
            .await;
    assert_eq!(late, Ok(Claim::Handled));
}

async fn a_stale_unfinished_claim_is_taken_over_once(f: &Fixture) {
    let update = UpdateId::new(30);
    assert_eq!(fresh_claim(f, 30, 1).await, Claim::Taken);
    // Not stale yet: claimed at 1, stale only before 1.
    let early = f.db.claim(update, at(2).millis(), at(1).millis()).await;
    assert_eq!(early, Ok(Claim::InProgress));
    // Stale: the first taker wins, and its fresh claim is not stale for the second.
    let stale_before = at(5).millis();
    assert_eq!(
        f.db.claim(update, at(6).millis(), stale_before).await,
        Ok(Claim::Taken)
    );
    assert_eq!(
        f.db.claim(update, at(6).millis(), stale_before).await,
        Ok(Claim::InProgress)
    );
}

async fn a_released_claim_can_be_claimed_again(f: &Fixture) {
    let (update, other) = (UpdateId::new(7), UpdateId::new(8));
    assert_eq!(fresh_claim(f, 7, 1).await, Claim::Taken);
    assert_eq!(fresh_claim(f, 8, 1).await, Claim::Taken);
    f.db.release(update).await.unwrap();
    f.db.release(update).await.unwrap();
    assert_eq!(
        fresh_claim(f, 7, 2).await,
        Claim::Taken,
        "handled on redelivery"
    );
    assert_eq!(
        fresh_claim(f, 8, 2).await,
        Claim::InProgress,
        "others stay claimed"
    );
    // A completed update is not given back.
    f.db.complete(other).await.unwrap();
    assert_eq!(f.db.release_update(8).await, Ok(false));
    assert_eq!(fresh_claim(f, 8, 3).await, Claim::Handled);
}

async fn unfinished_claims_are_released_all_at_once(f: &Fixture) {
    for id in [40, 41, 42] {
        assert_eq!(fresh_claim(f, id, 1).await, Claim::Taken);
    }
    f.db.complete(UpdateId::new(42)).await.unwrap();
    assert_eq!(f.db.release_unfinished().await, Ok(2));
    assert_eq!(fresh_claim(f, 40, 2).await, Claim::Taken);
    assert_eq!(fresh_claim(f, 42, 2).await, Claim::Handled);
}

async fn old_claims_are_swept(f: &Fixture) {
    let db = &f.db;
    for (id, when) in [(10, 1), (11, 2), (12, 3)] {
        assert_eq!(fresh_claim(f, id, when).await, Claim::Taken);
    }
    assert_eq!(db.sweep(at(3).millis()).await, Ok(2), "strictly older only");
    assert_eq!(db.sweep_handled_updates(at(3)).await, Ok(0));
    assert_eq!(fresh_claim(f, 12, 4).await, Claim::InProgress, "kept");
    assert_eq!(
        fresh_claim(f, 10, 4).await,
        Claim::Taken,
        "swept ids are new again"
    );
}
