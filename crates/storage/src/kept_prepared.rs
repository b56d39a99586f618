//! Statements kept prepared that diesel would prepare again at every run.
//!
//! diesel keeps a statement prepared when it can tell that its SQL never varies, and it tells
//! that by the statement's kind, not by the statement: every `UPDATE … SET` and every upsert's
//! `DO UPDATE SET` is prepared afresh at each run, because *some* changesets (those with
//! `Option` fields, which skip a column when `None`) do vary. On SQLite that is a compilation
//! of the statement at every run; on PostgreSQL a `Parse` and a `Close` more, and a round trip
//! of its own. The dialog's save and the person's choices are such statements, on most
//! updates' path (docs/PERFORMANCE.md). Statements diesel does keep but cannot name by their
//! type (an `ON CONFLICT DO NOTHING` insert) it finds by their SQL, written out and hashed at
//! every run.
//!
//! [`kept_prepared!`] names one statement, written once in the source, by a type of its own,
//! so diesel finds it by that type; [`kept_update!`] and [`kept_upsert!`] write an `UPDATE`
//! and an upsert that diesel keeps. The rule that makes them sound: the statement's SQL is
//! fixed by the place it is written (no `Option` changeset, no `IN` list, no boxed query), so
//! that one name never meets two SQL texts.
#![cfg_attr(
    not(all(
        feature = "journal",
        feature = "cards",
        feature = "users",
        feature = "moderation",
        feature = "dialog-store"
    )),
    allow(
        dead_code,
        unused_macros,
        reason = "which ports use what depends on the features built"
    )
)]

use std::marker::PhantomData;

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::{Column, QueryResult, Table};

/// A statement whose SQL is fixed by its place in the source, found among the prepared ones
/// by the type `Site` ([`kept_prepared!`] makes one).
pub(crate) struct KeptPrepared<Q, Site> {
    query: Q,
    site: PhantomData<Site>,
}

impl<Q, Site> KeptPrepared<Q, Site> {
    /// Use [`kept_prepared!`], which gives each place a `Site` of its own.
    pub(crate) fn new(query: Q) -> KeptPrepared<Q, Site> {
        KeptPrepared {
            query,
            site: PhantomData,
        }
    }
}

/// Names the statement `$query` by this place in the source. Its SQL must not depend on any
/// value: no `Option` changeset, no `IN` list, no boxed query.
macro_rules! kept_prepared {
    ($query:expr) => {{
        struct Site;
        $crate::kept_prepared::KeptPrepared::<_, Site>::new($query)
    }};
}

/// `UPDATE $table SET $changeset WHERE $filter`, kept prepared; the changeset has no
/// `Option` field.
macro_rules! kept_update {
    ($table:expr, $filter:expr, $changeset:expr) => {
        kept_prepared!($crate::kept_prepared::KeptUpdate::new(
            $table, $filter, $changeset
        ))
    };
}

/// `$insert ON CONFLICT ($target) DO UPDATE SET $changeset`, kept prepared: `$insert` is an
/// `insert_into(…).values(…)` of one row, the changeset has no `Option` field.
macro_rules! kept_upsert {
    ($insert:expr, $target:expr, $changeset:expr) => {
        kept_prepared!($crate::kept_prepared::KeptUpsert::new(
            $insert, $target, $changeset
        ))
    };
}

// What lets diesel-async's `execute` take it, as it takes the statement it wraps.
impl<Q, Site> diesel::query_dsl::RunQueryDslSupport for KeptPrepared<Q, Site> {}

impl<Q, Site: 'static> QueryId for KeptPrepared<Q, Site> {
    type QueryId = Site;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<DB: Backend, Q: QueryFragment<DB>, Site> QueryFragment<DB> for KeptPrepared<Q, Site> {
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.query.walk_ast(pass)
    }
}

/// An `UPDATE` of one fixed changeset ([`kept_update!`]).
pub(crate) struct KeptUpdate<From, Filter, Changeset> {
    from: From,
    filter: Filter,
    changeset: Changeset,
}

impl<From, Filter, Changeset> KeptUpdate<From, Filter, Changeset> {
    /// Use [`kept_update!`].
    pub(crate) fn new<T, C>(table: T, filter: Filter, changeset: C) -> Self
    where
        T: Table<FromClause = From>,
        C: diesel::AsChangeset<Target = T, Changeset = Changeset>,
    {
        KeptUpdate {
            from: table.from_clause(),
            filter,
            changeset: changeset.as_changeset(),
        }
    }
}

impl<DB, From, Filter, Changeset> QueryFragment<DB> for KeptUpdate<From, Filter, Changeset>
where
    DB: Backend,
    From: QueryFragment<DB>,
    Filter: QueryFragment<DB>,
    Changeset: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE ");
        self.from.walk_ast(out.reborrow())?;
        out.push_sql(" SET ");
        self.changeset.walk_ast(out.reborrow())?;
        out.push_sql(" WHERE ");
        self.filter.walk_ast(out.reborrow())
    }
}

/// An insert of one row that updates a fixed changeset on a conflict ([`kept_upsert!`]).
pub(crate) struct KeptUpsert<Insert, Target, Changeset> {
    insert: Insert,
    target: PhantomData<Target>,
    changeset: Changeset,
}

impl<Insert, Target, Changeset> KeptUpsert<Insert, Target, Changeset> {
    /// Use [`kept_upsert!`].
    pub(crate) fn new<C>(insert: Insert, _target: Target, changeset: C) -> Self
    where
        Target: Column,
        C: diesel::AsChangeset<Target = Target::Table, Changeset = Changeset>,
    {
        KeptUpsert {
            insert,
            target: PhantomData,
            changeset: changeset.as_changeset(),
        }
    }
}

impl<DB, Insert, Target, Changeset> QueryFragment<DB> for KeptUpsert<Insert, Target, Changeset>
where
    DB: Backend,
    Insert: QueryFragment<DB>,
    Target: Column,
    Changeset: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.insert.walk_ast(out.reborrow())?;
        out.push_sql(" ON CONFLICT (");
        out.push_identifier(Target::NAME)?;
        out.push_sql(") DO UPDATE SET ");
        self.changeset.walk_ast(out.reborrow())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use diesel::connection::{Instrumentation, InstrumentationEvent};

    diesel::table! {
        t (id) {
            id -> BigInt,
            n -> BigInt,
        }
    }

    /// The SQL of the statements a connection prepared to keep.
    #[derive(Clone, Default)]
    struct Kept(Arc<Mutex<Vec<String>>>);

    impl Kept {
        fn prepared(&self) -> Vec<String> {
            self.0.lock().expect("not poisoned").clone()
        }
    }

    impl Instrumentation for Kept {
        fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
            if let InstrumentationEvent::CacheQuery { sql, .. } = event {
                self.0.lock().expect("not poisoned").push(sql.to_owned());
            }
        }
    }

    /// The same tests on each engine's connection: `$connect` is an async expression giving
    /// `Option<$conn>` with a table `t` (`None`: skipped, the reason printed).
    macro_rules! kept_statement_tests {
        ($engine:ident, $conn:ty, $connect:expr) => {
            mod $engine {
                use diesel::prelude::*;
                use diesel_async::{AsyncConnection, RunQueryDsl};

                use super::{Kept, t};

                async fn connection(kept: &Kept) -> Option<$conn> {
                    let mut conn: $conn = $connect?;
                    conn.set_instrumentation(kept.clone());
                    Some(conn)
                }

                async fn set(conn: &mut $conn, id: i64, n: i64) -> usize {
                    kept_update!(t::table, t::id.eq(id), t::n.eq(n))
                        .execute(conn)
                        .await
                        .expect("updated")
                }

                async fn upsert(conn: &mut $conn, id: i64, n: i64) {
                    kept_upsert!(
                        diesel::insert_into(t::table).values((t::id.eq(id), t::n.eq(n))),
                        t::id,
                        t::n.eq(n)
                    )
                    .execute(conn)
                    .await
                    .expect("upserted");
                }

                #[tokio::test]
                async fn an_update_is_prepared_once_and_runs_with_each_runs_values() {
                    let kept = Kept::default();
                    let Some(mut conn) = connection(&kept).await else {
                        return;
                    };
                    upsert(&mut conn, 1, 10).await;
                    upsert(&mut conn, 2, 20).await;
                    upsert(&mut conn, 1, 11).await;
                    assert_eq!(set(&mut conn, 2, 21).await, 1);
                    assert_eq!(set(&mut conn, 3, 30).await, 0, "no such row");
                    let prepared = kept.prepared();
                    assert_eq!(prepared.len(), 2, "one each, not one per run: {prepared:?}");
                    assert!(prepared[0].starts_with("INSERT"), "{prepared:?}");
                    assert!(prepared[1].starts_with("UPDATE"), "{prepared:?}");
                    let rows: Vec<(i64, i64)> =
                        t::table.order(t::id).load(&mut conn).await.expect("read");
                    assert_eq!(rows, [(1, 11), (2, 21)]);
                }

                #[tokio::test]
                async fn without_it_diesel_prepares_an_update_at_every_run() {
                    // What the module is for: if diesel ever keeps these itself, it can go.
                    let kept = Kept::default();
                    let Some(mut conn) = connection(&kept).await else {
                        return;
                    };
                    upsert(&mut conn, 1, 10).await;
                    for n in 0..3 {
                        diesel::update(t::table.find(1))
                            .set(t::n.eq(n))
                            .execute(&mut conn)
                            .await
                            .expect("updated");
                    }
                    assert_eq!(kept.prepared().len(), 1, "{:?}", kept.prepared());
                }
            }
        };
    }

    #[cfg(feature = "sqlite")]
    kept_statement_tests!(
        sqlite,
        crate::calling_thread::CallingThreadSqlite,
        async {
            use diesel_async::SimpleAsyncConnection;
            let mut conn = crate::calling_thread::CallingThreadSqlite::establish(":memory:")
                .await
                .expect("an in-memory database opens");
            conn.batch_execute("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
                .await
                .expect("created");
            Some(conn)
        }
        .await
    );

    #[cfg(feature = "postgres")]
    kept_statement_tests!(
        postgres,
        diesel_async::AsyncPgConnection,
        async {
            use diesel_async::SimpleAsyncConnection;
            let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
                eprintln!("skipped: TEST_DATABASE_URL is not set");
                return None;
            };
            let mut conn = diesel_async::AsyncPgConnection::establish(&url)
                .await
                .expect("PostgreSQL at TEST_DATABASE_URL");
            // A table of this session alone: tests running side by side do not meet.
            conn.batch_execute("CREATE TEMP TABLE t (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)")
                .await
                .expect("created");
            Some(conn)
        }
        .await
    );
}
