//! SQLite's statements run on the thread that asks for them.
//!
//! diesel-async wraps diesel's synchronous `SqliteConnection` and, by default, sends every
//! statement to tokio's blocking pool and waits for it there. For an embedded database whose
//! statements take microseconds, those two thread hand-offs per statement (ten or so per
//! update) cost more than the statements: the profile in `docs/PERFORMANCE.md` put them at a
//! third of the bot's CPU, and while a transaction holds SQLite's write lock they are also
//! what every other chat waits for.
//!
//! So the SQLite connection runs each statement right away, on the calling task's thread. What
//! that thread can be kept waiting for is bounded: the process's writers already queue on an
//! async lock before they touch SQLite (`Db::sqlite_turn`), WAL with `synchronous = NORMAL`
//! writes a commit without flushing it to disk, and only another *process* holding the write
//! lock (an operator's `sqlite3` shell, a backup) makes a statement wait, for at most the busy
//! timeout. The runtime has other worker threads for everything else meanwhile.

use std::error::Error;
use std::future::{Future, ready};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;

use diesel_async::sync_connection_wrapper::SpawnBlocking;

/// What `SpawnBlocking` returns (`futures::future::BoxFuture`).
type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Runs a "blocking" task of diesel-async's `SyncConnectionWrapper` at once, on the calling
/// thread. A panic in it comes back as the task's error, as it would from tokio's blocking
/// pool, instead of unwinding through the caller.
pub(crate) struct CallingThread;

impl SpawnBlocking for CallingThread {
    fn spawn_blocking<'a, R>(
        &mut self,
        task: impl FnOnce() -> R + Send + 'static,
    ) -> BoxFuture<'a, Result<R, Box<dyn Error + Send + Sync + 'static>>>
    where
        R: Send + 'static,
    {
        let outcome = catch_unwind(AssertUnwindSafe(task)).map_err(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|message| (*message).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a SQLite call panicked".to_owned());
            Box::<dyn Error + Send + Sync>::from(what)
        });
        Box::pin(ready(outcome))
    }

    fn get_runtime() -> Self {
        CallingThread
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_task_runs_before_its_future_is_polled_and_gives_its_result() {
        let mut runner = CallingThread;
        let (sender, receiver) = std::sync::mpsc::channel();
        let future = runner.spawn_blocking(move || {
            sender.send(std::thread::current().id()).ok();
            7
        });
        // Already run, on this very thread: no hand-off happened.
        assert_eq!(receiver.try_recv().ok(), Some(std::thread::current().id()));
        assert_eq!(future.await.ok(), Some(7));
    }

    #[tokio::test]
    async fn a_panicking_task_is_an_error_not_an_unwind() {
        let mut runner = CallingThread;
        let outcome = runner
            .spawn_blocking(|| -> u8 { panic!("disk on fire") })
            .await;
        let error = outcome.expect_err("the panic is reported");
        assert!(error.to_string().contains("disk on fire"), "{error}");
    }
}
