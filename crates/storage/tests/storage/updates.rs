//! De-duplication of updates.

use std::sync::Arc;

use crate::given::at;
use crate::harness::Fixture;

on_both_engines!(
    an_update_is_handled_once_even_when_marked_concurrently,
    old_marks_are_swept
);

async fn an_update_is_handled_once_even_when_marked_concurrently(f: &Fixture) {
    const TASKS: usize = 8;
    for update_id in [1_i64, 2, 3, 4_000_000_000, 5] {
        let barrier = Arc::new(tokio::sync::Barrier::new(TASKS));
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| {
                let (db, barrier) = (f.db.clone(), barrier.clone());
                tokio::spawn(async move {
                    barrier.wait().await;
                    db.mark_update_handled(update_id, at(1)).await
                })
            })
            .collect();
        let mut first = 0;
        for task in tasks {
            if task.await.unwrap().unwrap() {
                first += 1;
            }
        }
        assert_eq!(
            first, 1,
            "update {update_id}: exactly one caller handles it"
        );
        assert_eq!(
            f.db.mark_update_handled(update_id, at(2)).await,
            Ok(false),
            "a redelivery"
        );
    }
}

async fn old_marks_are_swept(f: &Fixture) {
    let db = &f.db;
    for (update_id, when) in [(10, at(1)), (11, at(2)), (12, at(3))] {
        assert_eq!(db.mark_update_handled(update_id, when).await, Ok(true));
    }
    assert_eq!(
        db.sweep_handled_updates(at(3)).await,
        Ok(2),
        "strictly older only"
    );
    assert_eq!(db.sweep_handled_updates(at(3)).await, Ok(0));
    assert_eq!(db.mark_update_handled(12, at(4)).await, Ok(false), "kept");
    assert_eq!(
        db.mark_update_handled(10, at(4)).await,
        Ok(true),
        "forgotten"
    );
}
