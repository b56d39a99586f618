//! A [`LeaderLease`] kept in memory, over a clock the test moves by hand, with the
//! semantics of the Redis one: set-if-absent with an expiry, compare-and-extend,
//! compare-and-delete, a fencing counter that only grows. Its store can be made unreachable.

use std::future::Future;
use std::io;
use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use crate::clock::{Clock, Millis};
use crate::lease::{
    FencingToken, InstanceId, LeaderLease, Lease, LeaseError, LeaseHolder, RenewOutcome,
};

/// Runs a future that completes at its first poll, as every future here does.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("an in-memory future did not complete at once"),
    }
}

/// A clock that moves only when told to.
#[derive(Debug, Default)]
pub(crate) struct ManualClock(AtomicU64);

impl ManualClock {
    pub(crate) fn set(&self, at: Millis) {
        self.0.store(at.as_millis(), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Millis {
        Millis::from_millis(self.0.load(Ordering::SeqCst))
    }
}

#[derive(Debug)]
struct Entry {
    value: String,
    expires_at: Millis,
}

#[derive(Debug, Default)]
struct Store {
    entry: Option<Entry>,
    fencing_counter: u64,
    unreachable: bool,
}

/// The store all instances share.
#[derive(Debug, Default)]
pub(crate) struct SharedStore {
    clock: ManualClock,
    store: Mutex<Store>,
}

impl SharedStore {
    pub(crate) fn clock(&self) -> &ManualClock {
        &self.clock
    }

    pub(crate) fn set_unreachable(&self, unreachable: bool) {
        self.lock().unreachable = unreachable;
    }

    /// When `lease` expires, if it is the lease stored.
    pub(crate) fn expiry_of(&self, lease: &Lease) -> Option<Millis> {
        let mut store = self.lock();
        let now = self.clock.now();
        Self::live_entry(&mut store, now)
            .filter(|entry| entry.value == value_of(lease))
            .map(|entry| entry.expires_at)
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .expect("no test panicked while holding the store")
    }

    /// The stored entry, once expired entries are dropped as Redis drops them.
    fn live_entry(store: &mut Store, now: Millis) -> Option<&mut Entry> {
        if store
            .entry
            .as_ref()
            .is_some_and(|entry| entry.expires_at <= now)
        {
            store.entry = None;
        }
        store.entry.as_mut()
    }
}

fn value_of(lease: &Lease) -> String {
    format!("{}#{}", lease.instance(), lease.fencing())
}

fn unavailable() -> LeaseError {
    LeaseError::Unavailable(Box::new(io::Error::other("store unreachable")))
}

/// One instance's handle on the shared store.
#[derive(Debug, Clone)]
pub(crate) struct InMemoryLease {
    shared: Arc<SharedStore>,
    instance: InstanceId,
    ttl: Duration,
}

impl InMemoryLease {
    pub(crate) fn new(shared: Arc<SharedStore>, instance: &str, ttl: Duration) -> Self {
        Self {
            shared,
            instance: InstanceId::new(instance),
            ttl,
        }
    }

    /// Runs `operation` on the store at the current instant, unless it is unreachable.
    fn with_store<T>(
        &self,
        operation: impl FnOnce(&mut Store, Millis) -> T,
    ) -> Result<T, LeaseError> {
        let mut store = self.shared.lock();
        if store.unreachable {
            return Err(unavailable());
        }
        Ok(operation(&mut store, self.shared.clock.now()))
    }

    fn take(&self, store: &mut Store, now: Millis) -> Lease {
        store.fencing_counter += 1;
        let lease = Lease::new(
            self.instance.clone(),
            FencingToken::new(store.fencing_counter),
            self.ttl,
        );
        store.entry = Some(Entry {
            value: value_of(&lease),
            expires_at: now.saturating_add(self.ttl),
        });
        lease
    }
}

impl LeaderLease for InMemoryLease {
    async fn acquire(&self) -> Result<Option<Lease>, LeaseError> {
        self.with_store(|store, now| {
            if SharedStore::live_entry(store, now).is_some() {
                None
            } else {
                Some(self.take(store, now))
            }
        })
    }

    async fn preempt(&self) -> Result<Lease, LeaseError> {
        self.with_store(|store, now| self.take(store, now))
    }

    async fn renew(&self, lease: &Lease) -> Result<RenewOutcome, LeaseError> {
        let value = value_of(lease);
        self.with_store(|store, now| match SharedStore::live_entry(store, now) {
            Some(entry) if entry.value == value => {
                entry.expires_at = now.saturating_add(self.ttl);
                RenewOutcome::Renewed
            }
            _ => RenewOutcome::Lost,
        })
    }

    async fn release(&self, lease: &Lease) -> Result<bool, LeaseError> {
        let value = value_of(lease);
        self.with_store(|store, now| {
            let ours =
                SharedStore::live_entry(store, now).is_some_and(|entry| entry.value == value);
            if ours {
                store.entry = None;
            }
            ours
        })
    }

    async fn holder(&self) -> Result<Option<LeaseHolder>, LeaseError> {
        self.with_store(|store, now| {
            SharedStore::live_entry(store, now).map(|entry| LeaseHolder {
                value: entry.value.clone(),
                fencing: entry
                    .value
                    .rsplit_once('#')
                    .and_then(|(_, number)| number.parse().ok())
                    .map(FencingToken::new),
                time_left: Some(entry.expires_at.saturating_since(now)),
            })
        })
    }
}

mod tests {
    use super::*;

    fn secs(seconds: u64) -> Millis {
        Millis::from_millis(seconds * 1000)
    }

    #[test]
    fn the_store_behaves_like_the_redis_lease() {
        let shared = Arc::new(SharedStore::default());
        let ttl = Duration::from_secs(15);
        let a = InMemoryLease::new(Arc::clone(&shared), "a", ttl);
        let b = InMemoryLease::new(Arc::clone(&shared), "b", ttl);

        let first = block_on(a.acquire()).expect("reachable").expect("free");
        assert_eq!(first.fencing(), FencingToken::new(1));
        assert_eq!(block_on(b.acquire()).expect("reachable"), None, "held by a");

        shared.clock().set(secs(10));
        assert_eq!(
            block_on(a.renew(&first)).expect("reachable"),
            RenewOutcome::Renewed
        );
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

        shared.set_unreachable(true);
        assert!(matches!(
            block_on(b.renew(&second)),
            Err(LeaseError::Unavailable(_))
        ));
        shared.set_unreachable(false);

        shared.clock().set(secs(25));
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
