//! De-duplication of updates through the `UpdateJournal` port.

use std::sync::Arc;

use vitrina_update_source::{UpdateId, UpdateJournal};

use crate::given::at;
use crate::harness::Fixture;

on_both_engines!(
    an_update_is_claimed_once_even_when_claimed_concurrently,
    a_released_claim_can_be_claimed_again,
    old_claims_are_swept,
);

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
                    db.claim(update, at(1).millis()).await
                })
            })
            .collect();
        let mut first = 0;
        for task in tasks {
            if task.await.unwrap().unwrap() {
                first += 1;
            }
        }
        assert_eq!(first, 1, "update {id}: exactly one caller handles it");
        assert_eq!(
            f.db.claim(update, at(2).millis()).await,
            Ok(false),
            "a redelivery"
        );
        assert_eq!(
            f.db.mark_update_handled(i64::from(id), at(2)).await,
            Ok(false)
        );
    }
}

async fn a_released_claim_can_be_claimed_again(f: &Fixture) {
    let (update, other) = (UpdateId::new(7), UpdateId::new(8));
    assert_eq!(f.db.claim(update, at(1).millis()).await, Ok(true));
    assert_eq!(f.db.claim(other, at(1).millis()).await, Ok(true));
    f.db.release(update).await.unwrap();
    f.db.release(update).await.unwrap();
    assert_eq!(
        f.db.claim(update, at(2).millis()).await,
        Ok(true),
        "handled on redelivery"
    );
    assert_eq!(
        f.db.claim(other, at(2).millis()).await,
        Ok(false),
        "others stay claimed"
    );
    assert_eq!(f.db.unmark_update(8).await, Ok(true));
    assert_eq!(f.db.unmark_update(8).await, Ok(false));
}

async fn old_claims_are_swept(f: &Fixture) {
    let db = &f.db;
    for (id, when) in [(10, at(1)), (11, at(2)), (12, at(3))] {
        assert_eq!(db.claim(UpdateId::new(id), when.millis()).await, Ok(true));
    }
    assert_eq!(db.sweep(at(3).millis()).await, Ok(2), "strictly older only");
    assert_eq!(db.sweep_handled_updates(at(3)).await, Ok(0));
    assert_eq!(
        db.claim(UpdateId::new(12), at(4).millis()).await,
        Ok(false),
        "kept"
    );
    assert_eq!(
        db.claim(UpdateId::new(10), at(4).millis()).await,
        Ok(true),
        "forgotten"
    );
}
