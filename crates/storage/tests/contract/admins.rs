//! Admins added at run time.

use vitrina_cards::UserId;

use crate::harness::{Fixture, Ports};
use crate::support::given::Answer;

contract!(admins_are_added_listed_and_removed_once);

async fn admins_are_added_listed_and_removed_once<P: Ports>(f: &Fixture<P>) {
    let db = &f.db;
    assert_eq!(db.admins().await.answer(), Ok(vec![]));
    // (call, expected answer, admins after)
    let steps: [(bool, i64, bool, &[i64]); 7] = [
        (true, 30, true, &[30]),
        (true, 30, false, &[30]),
        (true, 5_000_000_000, true, &[30, 5_000_000_000]),
        (true, 4, true, &[4, 30, 5_000_000_000]),
        (false, 30, true, &[4, 5_000_000_000]),
        (false, 30, false, &[4, 5_000_000_000]),
        (false, 77, false, &[4, 5_000_000_000]),
    ];
    for (add, id, expected, after) in steps {
        let answer = if add {
            db.add_admin(UserId(id)).await
        } else {
            db.remove_admin(UserId(id)).await
        };
        assert_eq!(
            answer.answer(),
            Ok(expected),
            "{} {id}",
            if add { "add" } else { "remove" }
        );
        let ids: Vec<UserId> = after.iter().copied().map(UserId).collect();
        assert_eq!(db.admins().await.answer(), Ok(ids));
    }
}
