//! A [`LeaderLease`] kept in memory, for tests of what runs on the lease: several
//! [`MemoryLease`]s on one [`MemoryLeaseStore`] behave as instances on one Redis.
//!
//! The store has the semantics of the Redis lease: take-if-absent with an expiry,
//! compare-and-extend, compare-and-delete, a fencing counter that only grows, expired leases
//! gone. It reads the time from the [`Clock`] it is given (a [`ManualClock`] that a test moves
//! by hand, or a real one), can be made unreachable, and answers every call at once: its
//! futures complete at their first poll.
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use vitrina_update_source::memory::{ManualClock, MemoryLeaseStore};
//! use vitrina_update_source::{LeaderLease, Millis, RenewOutcome};
//! # fn now<F: std::future::Future>(future: F) -> F::Output {
//! #     let waker = std::task::Waker::noop();
//! #     match std::pin::pin!(future).poll(&mut std::task::Context::from_waker(waker)) {
//! #         std::task::Poll::Ready(output) => output,
//! #         std::task::Poll::Pending => unreachable!("in-memory calls complete at once"),
//! #     }
//! # }
//!
//! let store = Arc::new(MemoryLeaseStore::new(ManualClock::default()));
//! let ttl = Duration::from_secs(15);
//! let (a, b) = (store.lease("a", ttl), store.lease("b", ttl));
//!
//! let lease = now(a.acquire())?.expect("nobody holds it");
//! assert_eq!(now(b.acquire())?, None);
//! store.clock().set(Millis::from_millis(16_000));
//! assert_eq!(now(a.renew(&lease))?, RenewOutcome::Lost, "it expired");
//! assert!(now(b.acquire())?.is_some());
//! # Ok::<(), vitrina_update_source::LeaseError>(())
//! ```

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use crate::clock::{Clock, Millis};
use crate::lease::{
    FencingToken, InstanceId, LeaderLease, Lease, LeaseError, LeaseHolder, RenewOutcome,
};

/// A clock that moves only when told to; it starts at [`Millis::ZERO`].
#[derive(Debug, Default)]
pub struct ManualClock(AtomicU64);

impl ManualClock {
    /// Moves the clock to `at`.
    pub fn set(&self, at: Millis) {
        self.0.store(at.as_millis(), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Millis {
        Millis::from_millis(self.0.load(Ordering::SeqCst))
    }
}

/// What the store holds.
#[derive(Debug, Default)]
struct State {
    /// The lease stored and when it expires.
    stored: Option<(Lease, Millis)>,
    fencing_counter: u64,
    unreachable: bool,
}

impl State {
    /// The stored lease, once an expired one is dropped as Redis drops it.
    fn live(&mut self, now: Millis) -> Option<&mut (Lease, Millis)> {
        if self
            .stored
            .as_ref()
            .is_some_and(|(_, expires_at)| *expires_at <= now)
        {
            self.stored = None;
        }
        self.stored.as_mut()
    }

    fn is_stored(&mut self, lease: &Lease, now: Millis) -> bool {
        self.live(now).is_some_and(|(stored, _)| stored == lease)
    }
}

/// The store the instances share: one lease, its expiry, the fencing counter.
#[derive(Debug)]
pub struct MemoryLeaseStore<C> {
    clock: C,
    state: Mutex<State>,
}

impl<C: Clock> MemoryLeaseStore<C> {
    /// An empty, reachable store on `clock`.
    #[must_use]
    pub fn new(clock: C) -> Self {
        Self {
            clock,
            state: Mutex::new(State::default()),
        }
    }

    /// The clock the store counts expiry by.
    #[must_use]
    pub fn clock(&self) -> &C {
        &self.clock
    }

    /// The handle of instance `instance` on this store, whose leases last `ttl`.
    #[must_use]
    pub fn lease(self: &Arc<Self>, instance: &str, ttl: Duration) -> MemoryLease<C> {
        MemoryLease {
            store: Arc::clone(self),
            instance: InstanceId::new(instance),
            ttl,
        }
    }

    /// Makes every call fail with [`LeaseError::Unavailable`] while `unreachable`; the store
    /// keeps counting time meanwhile, so a lease can expire during an outage.
    pub fn set_unreachable(&self, unreachable: bool) {
        self.state().unreachable = unreachable;
    }

    /// The lease stored now, if any, and when it expires unless renewed.
    #[must_use]
    pub fn stored(&self) -> Option<(Lease, Millis)> {
        let now = self.clock.now();
        self.state().live(now).cloned()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // Every change of the state is a single assignment: a panic elsewhere cannot leave
        // it half-done.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One instance's handle on a [`MemoryLeaseStore`].
#[derive(Debug)]
pub struct MemoryLease<C> {
    store: Arc<MemoryLeaseStore<C>>,
    instance: InstanceId,
    ttl: Duration,
}

impl<C> Clone for MemoryLease<C> {
    fn clone(&self) -> Self {
        Self {
            store: Arc::clone(&self.store),
            instance: self.instance.clone(),
            ttl: self.ttl,
        }
    }
}

impl<C: Clock> MemoryLease<C> {
    /// The instance this handle acts for.
    #[must_use]
    pub fn instance(&self) -> &InstanceId {
        &self.instance
    }

    /// Runs `operation` on the state at the current instant, unless the store is unreachable.
    fn with_state<T>(
        &self,
        operation: impl FnOnce(&mut State, Millis) -> T,
    ) -> Result<T, LeaseError> {
        let mut state = self.store.state();
        if state.unreachable {
            return Err(LeaseError::Unavailable(Box::new(io::Error::other(
                "the in-memory lease store is unreachable",
            ))));
        }
        Ok(operation(&mut state, self.store.clock.now()))
    }

    fn take(&self, state: &mut State, now: Millis) -> Lease {
        state.fencing_counter += 1;
        let lease = Lease::new(
            self.instance.clone(),
            FencingToken::new(state.fencing_counter),
            self.ttl,
        );
        state.stored = Some((lease.clone(), now.saturating_add(self.ttl)));
        lease
    }
}

impl<C: Clock> LeaderLease for MemoryLease<C> {
    async fn acquire(&self) -> Result<Option<Lease>, LeaseError> {
        self.with_state(|state, now| {
            if state.live(now).is_some() {
                None
            } else {
                Some(self.take(state, now))
            }
        })
    }

    async fn preempt(&self) -> Result<Lease, LeaseError> {
        self.with_state(|state, now| self.take(state, now))
    }

    async fn renew(&self, lease: &Lease) -> Result<RenewOutcome, LeaseError> {
        self.with_state(|state, now| match state.live(now) {
            Some((stored, expires_at)) if stored == lease => {
                *expires_at = now.saturating_add(self.ttl);
                RenewOutcome::Renewed
            }
            _ => RenewOutcome::Lost,
        })
    }

    async fn release(&self, lease: &Lease) -> Result<bool, LeaseError> {
        self.with_state(|state, now| {
            let ours = state.is_stored(lease, now);
            if ours {
                state.stored = None;
            }
            ours
        })
    }

    async fn holder(&self) -> Result<Option<LeaseHolder>, LeaseError> {
        self.with_state(|state, now| {
            state.live(now).map(|(lease, expires_at)| LeaseHolder {
                value: format!("{}#{}", lease.instance(), lease.fencing()),
                fencing: Some(lease.fencing()),
                time_left: Some(expires_at.saturating_since(now)),
            })
        })
    }
}

/// Runs a future that completes at its first poll, as every future of a [`MemoryLease`]
/// does.
#[cfg(test)]
pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("an in-memory future did not complete at once"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(seconds: u64) -> Millis {
        Millis::from_millis(seconds * 1000)
    }

    #[test]
    fn the_store_behaves_like_the_redis_lease() {
        let store = Arc::new(MemoryLeaseStore::new(ManualClock::default()));
        let ttl = Duration::from_secs(15);
        let a = store.lease("a", ttl);
        let b = store.lease("b", ttl);

        let first = block_on(a.acquire()).expect("reachable").expect("free");
        assert_eq!(first.fencing(), FencingToken::new(1));
        assert_eq!(block_on(b.acquire()).expect("reachable"), None, "held by a");

        store.clock().set(secs(10));
        assert_eq!(
            block_on(a.renew(&first)).expect("reachable"),
            RenewOutcome::Renewed
        );
        assert_eq!(store.stored(), Some((first.clone(), secs(25))));
        let holder = block_on(b.holder()).expect("reachable").expect("held");
        assert_eq!(holder.value, "a#1");
        assert_eq!(holder.fencing, Some(FencingToken::new(1)));
        assert_eq!(holder.time_left, Some(Duration::from_secs(15)));

        let second = block_on(b.preempt()).expect("reachable");
        assert_eq!(second.fencing(), FencingToken::new(2));
        assert_eq!(
            block_on(a.renew(&first)).expect("reachable"),
            RenewOutcome::Lost
        );
        assert!(
            !block_on(a.release(&first)).expect("reachable"),
            "not a's any more"
        );

        store.set_unreachable(true);
        assert!(matches!(
            block_on(b.renew(&second)),
            Err(LeaseError::Unavailable(_))
        ));
        store.set_unreachable(false);

        store.clock().set(secs(25));
        assert_eq!(store.stored(), None, "expired");
        assert_eq!(
            block_on(b.renew(&second)).expect("reachable"),
            RenewOutcome::Lost,
            "expired"
        );
        let third = block_on(a.acquire())
            .expect("reachable")
            .expect("free again");
        assert_eq!(third.fencing(), FencingToken::new(3));
        assert!(block_on(a.release(&third)).expect("reachable"));
        assert_eq!(block_on(a.holder()).expect("reachable"), None);
    }
}
