//! `RedisLeaderLease` against a real Redis (`TEST_REDIS_URL`, e.g. `redis://127.0.0.1:6379`).
//! Each test works under an environment name of its own and deletes its keys at the end,
//! even when it fails.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use deadpool_redis::redis;
use tokio::sync::Barrier;
use vitrina_redis_lease::{
    HostRelease, InstanceName, LeaseValue, RedisLeaderLease, RedisLeaseConfig, SetupError,
};
use vitrina_testkit::services;
use vitrina_update_source::{
    FencingToken, InstanceId, LeaderLease, Lease, LeaseError, LeaseHolder, RenewOutcome,
};

/// A Redis environment of one test: a unique key prefix, cleaned up on drop.
struct TestEnv {
    url: String,
    environment: String,
}

impl TestEnv {
    /// `None`, after saying why, when no Redis is configured.
    fn new() -> Option<Self> {
        let url = services::redis_url()?;
        let environment = services::unique_name("vitrina-test");
        Some(Self { url, environment })
    }

    fn instance(host: &str) -> InstanceId {
        InstanceName::new(host, 4242, 1_700_000_000_000).instance_id()
    }

    /// The lease as seen by the instance on `host`.
    fn lease(&self, host: &str, ttl: Duration) -> RedisLeaderLease {
        let config = RedisLeaseConfig::new(&self.environment, Self::instance(host), ttl);
        RedisLeaderLease::connect(&self.url, config).unwrap()
    }

    fn key(&self) -> String {
        RedisLeaderLease::key_for(&self.environment)
    }

    async fn raw<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> T {
        let client = redis::Client::open(self.url.as_str()).unwrap();
        let mut conn = client.get_multiplexed_async_connection().await.unwrap();
        cmd.query_async(&mut conn).await.unwrap()
    }

    /// Stores `value` under the lease key as another program would, with `ttl` if any.
    async fn set_raw(&self, value: &str, ttl: Option<Duration>) {
        let mut cmd = redis::cmd("SET");
        cmd.arg(self.key()).arg(value);
        if let Some(ttl) = ttl {
            cmd.arg("PX").arg(u64::try_from(ttl.as_millis()).unwrap());
        }
        let _: String = self.raw(&cmd).await;
    }

    async fn pttl(&self) -> i64 {
        self.raw(redis::cmd("PTTL").arg(self.key())).await
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        let key = self.key();
        let fencing_key = format!("{}:bot:polling:fencing", self.environment);
        let cleaned = redis::Client::open(self.url.as_str())
            .and_then(|client| client.get_connection_with_timeout(Duration::from_secs(2)))
            .and_then(|mut conn| {
                redis::cmd("DEL")
                    .arg(key)
                    .arg(fencing_key)
                    .query::<i64>(&mut conn)
            });
        if let Err(err) = cleaned {
            eprintln!("could not delete the keys of {}: {err}", self.environment);
        }
    }
}

const TTL: Duration = Duration::from_secs(10);

#[tokio::test]
async fn acquire_takes_a_free_lease_named_after_the_instance() {
    let Some(env) = TestEnv::new() else { return };
    let store = env.lease("host-a", TTL);

    let lease = store.acquire().await.unwrap().expect("the lease is free");

    assert_eq!(lease.instance(), &TestEnv::instance("host-a"));
    assert_eq!(lease.ttl(), TTL);
    let stored: String = env.raw(redis::cmd("GET").arg(env.key())).await;
    assert_eq!(
        stored,
        format!(
            "host=host-a;pid=4242;started=1700000000000;fencing={}",
            lease.fencing()
        )
    );
    let pttl = env.pttl().await;
    assert!((9_000..=10_000).contains(&pttl), "pttl {pttl}");
}

#[tokio::test]
async fn a_second_instance_gets_nothing_while_the_lease_is_held() {
    let Some(env) = TestEnv::new() else { return };
    let first = env.lease("host-a", TTL);
    let second = env.lease("host-b", TTL);
    let lease = first.acquire().await.unwrap().expect("the lease is free");

    assert_eq!(second.acquire().await.unwrap(), None);
    assert_eq!(
        first.acquire().await.unwrap(),
        None,
        "not even its holder again"
    );

    let holder = second.holder().await.unwrap().expect("still held");
    assert_eq!(holder.fencing, Some(lease.fencing()));
}

#[tokio::test]
async fn renew_by_the_holder_resets_the_time_left() {
    let Some(env) = TestEnv::new() else { return };
    let ttl = Duration::from_secs(3);
    let store = env.lease("host-a", ttl);
    let lease = store.acquire().await.unwrap().expect("the lease is free");
    tokio::time::sleep(Duration::from_millis(800)).await;
    let before = env.pttl().await;
    assert!(before <= 2_200, "pttl before renewal {before}");

    assert_eq!(store.renew(&lease).await.unwrap(), RenewOutcome::Renewed);

    let after = env.pttl().await;
    assert!(after > before + 500, "pttl {before} → {after}");
    assert!(after <= 3_000, "pttl after renewal {after}");
}

#[tokio::test]
async fn renew_by_anyone_but_the_holder_is_lost_and_extends_nothing() {
    let Some(env) = TestEnv::new() else { return };
    let ttl = Duration::from_secs(3);
    let holder = env.lease("host-a", ttl);
    let stranger = env.lease("host-b", ttl);
    let lease = holder.acquire().await.unwrap().expect("the lease is free");
    let later = FencingToken::new(lease.fencing().get() + 1);
    tokio::time::sleep(Duration::from_millis(800)).await;

    let impostors = [
        (
            "another instance",
            Lease::new(TestEnv::instance("host-b"), lease.fencing(), ttl),
        ),
        (
            "another fencing",
            Lease::new(TestEnv::instance("host-a"), later, ttl),
        ),
        (
            "a raw instance id",
            Lease::new(InstanceId::new("host-a"), lease.fencing(), ttl),
        ),
    ];
    for (what, impostor) in impostors {
        assert_eq!(
            stranger.renew(&impostor).await.unwrap(),
            RenewOutcome::Lost,
            "{what}"
        );
    }

    let pttl = env.pttl().await;
    assert!(pttl <= 2_200, "the lease was extended: pttl {pttl}");
}

#[tokio::test]
async fn renew_with_nothing_stored_is_lost() {
    let Some(env) = TestEnv::new() else { return };
    let store = env.lease("host-a", TTL);
    let lease = Lease::new(TestEnv::instance("host-a"), FencingToken::new(1), TTL);

    assert_eq!(store.renew(&lease).await.unwrap(), RenewOutcome::Lost);
    assert_eq!(store.holder().await.unwrap(), None, "renewal created a key");
}

#[tokio::test]
async fn release_deletes_the_holders_lease_and_no_one_elses() {
    let Some(env) = TestEnv::new() else { return };
    let holder = env.lease("host-a", TTL);
    let stranger = env.lease("host-b", TTL);
    let lease = holder.acquire().await.unwrap().expect("the lease is free");
    let impostor = Lease::new(TestEnv::instance("host-b"), lease.fencing(), TTL);

    assert!(!stranger.release(&impostor).await.unwrap());
    assert!(
        holder.holder().await.unwrap().is_some(),
        "a stranger deleted it"
    );

    assert!(holder.release(&lease).await.unwrap());
    assert_eq!(holder.holder().await.unwrap(), None);
    assert!(!holder.release(&lease).await.unwrap(), "released twice");
    assert!(stranger.acquire().await.unwrap().is_some(), "free at once");
}

#[tokio::test]
async fn after_expiry_another_instance_acquires_and_the_old_holder_has_lost() {
    let Some(env) = TestEnv::new() else { return };
    let ttl = Duration::from_millis(300);
    let old = env.lease("host-a", ttl);
    let standby = env.lease("host-b", ttl);
    let old_lease = old.acquire().await.unwrap().expect("the lease is free");
    assert_eq!(standby.acquire().await.unwrap(), None);

    tokio::time::sleep(Duration::from_millis(500)).await;

    let new_lease = standby.acquire().await.unwrap().expect("the lease expired");
    assert!(new_lease.fencing() > old_lease.fencing());
    assert_eq!(old.renew(&old_lease).await.unwrap(), RenewOutcome::Lost);
    assert!(!old.release(&old_lease).await.unwrap());
    assert_eq!(
        standby.renew(&new_lease).await.unwrap(),
        RenewOutcome::Renewed
    );
}

#[tokio::test]
async fn preempt_overwrites_the_lease_and_the_old_holder_loses_it() {
    let Some(env) = TestEnv::new() else { return };
    let old = env.lease("host-a", TTL);
    let newcomer = env.lease("host-b", TTL);
    let old_lease = old.acquire().await.unwrap().expect("the lease is free");

    let new_lease = newcomer.preempt().await.unwrap();

    assert_eq!(new_lease.instance(), &TestEnv::instance("host-b"));
    assert!(new_lease.fencing() > old_lease.fencing());
    let holder = old.holder().await.unwrap().expect("held");
    let value = LeaseValue::parse(&holder.value).expect("in this program's format");
    assert_eq!(value.instance.host(), "host-b");
    assert_eq!(value.fencing, new_lease.fencing());
    assert_eq!(old.renew(&old_lease).await.unwrap(), RenewOutcome::Lost);
    assert!(!old.release(&old_lease).await.unwrap());
    assert_eq!(
        newcomer.renew(&new_lease).await.unwrap(),
        RenewOutcome::Renewed
    );
    let pttl = env.pttl().await;
    assert!(
        (9_000..=10_000).contains(&pttl),
        "preempt set no ttl: pttl {pttl}"
    );
}

#[tokio::test]
async fn fencing_numbers_grow_across_acquisitions_and_preemptions() {
    let Some(env) = TestEnv::new() else { return };
    let a = env.lease("host-a", TTL);
    let b = env.lease("host-b", TTL);
    let c = env.lease("host-c", TTL);

    let mut fencings = Vec::new();
    let first = a.acquire().await.unwrap().expect("the lease is free");
    fencings.push(first.fencing());
    assert_eq!(b.acquire().await.unwrap(), None);
    let second = b.preempt().await.unwrap();
    fencings.push(second.fencing());
    let third = c.preempt().await.unwrap();
    fencings.push(third.fencing());
    assert!(c.release(&third).await.unwrap());
    let fourth = a.acquire().await.unwrap().expect("released");
    fencings.push(fourth.fencing());
    let fifth = a.preempt().await.unwrap();
    fencings.push(fifth.fencing());

    assert!(
        fencings.windows(2).all(|pair| pair[0] < pair[1]),
        "not strictly increasing: {fencings:?}"
    );
    let holder = a.holder().await.unwrap().expect("held");
    assert_eq!(holder.fencing, Some(fifth.fencing()));
}

#[tokio::test]
async fn holder_reports_value_fencing_and_time_left() {
    let Some(env) = TestEnv::new() else { return };
    let store = env.lease("host-a", TTL);
    assert_eq!(store.holder().await.unwrap(), None);
    let lease = store.acquire().await.unwrap().expect("the lease is free");

    let LeaseHolder {
        value,
        fencing,
        time_left,
    } = store.holder().await.unwrap().expect("held");

    assert_eq!(
        value,
        format!(
            "host=host-a;pid=4242;started=1700000000000;fencing={}",
            lease.fencing()
        )
    );
    assert_eq!(fencing, Some(lease.fencing()));
    let left = time_left.expect("the lease expires");
    assert!(
        left > Duration::from_secs(9) && left <= TTL,
        "time left {left:?}"
    );
}

async fn check_foreign(env: &TestEnv, value: &str, ttl: Option<Duration>) {
    let store = env.lease("host-a", TTL);
    env.set_raw(value, ttl).await;

    let holder = store.holder().await.unwrap().expect("held");
    assert_eq!(holder.value, value);
    assert_eq!(holder.fencing, None, "{value:?}");
    assert_eq!(holder.time_left.is_some(), ttl.is_some(), "{value:?}");
    assert_eq!(store.acquire().await.unwrap(), None, "{value:?}");
    assert_eq!(
        store.release_if_host("host-a").await.unwrap(),
        HostRelease::HeldElsewhere(value.to_owned())
    );

    assert!(store.force_release().await.unwrap(), "{value:?}");
    assert!(
        !store.force_release().await.unwrap(),
        "{value:?}: deleted twice"
    );
    let lease = store.acquire().await.unwrap().expect("force-released");
    assert!(store.release(&lease).await.unwrap());
}

#[tokio::test]
async fn a_foreign_value_is_reported_without_fencing_and_can_be_force_released() {
    let Some(env) = TestEnv::new() else { return };
    check_foreign(&env, "old-system-instance", Some(Duration::from_secs(30))).await;
    check_foreign(&env, "old-system-instance", None).await;
    check_foreign(&env, "host=host-a;pid=1;started=2;fencing=x", Some(TTL)).await;
    check_foreign(&env, "host=host-a", Some(TTL)).await;
}

/// Stores `stored` (if any), releases by `host`, and checks the outcome, whether the
/// lease is left, and that the script agrees with `LeaseValue::parse` about the host.
async fn check_release_if_host(
    env: &TestEnv,
    stored: Option<&str>,
    host: &str,
    expected: &HostRelease,
) {
    let store = env.lease("operator", TTL);
    if let Some(value) = stored {
        env.set_raw(value, Some(TTL)).await;
    }

    let outcome = store.release_if_host(host).await.unwrap();

    assert_eq!(&outcome, expected, "{stored:?} released by {host:?}");
    let left = store.holder().await.unwrap().map(|holder| holder.value);
    let expected_left = match expected {
        HostRelease::HeldElsewhere(value) => Some(value.clone()),
        HostRelease::Released(_) | HostRelease::NotHeld => None,
    };
    assert_eq!(left, expected_left, "{stored:?} released by {host:?}");
    let parsed_host = stored
        .and_then(LeaseValue::parse)
        .map(|value| value.instance.host().to_owned());
    assert_eq!(
        matches!(outcome, HostRelease::Released(_)),
        parsed_host.as_deref() == Some(host),
        "the script and LeaseValue::parse disagree on {stored:?}"
    );
    store.force_release().await.unwrap();
}

#[tokio::test]
async fn release_if_host_deletes_only_a_lease_of_that_host() {
    let Some(env) = TestEnv::new() else { return };
    let ours = "host=host-a;pid=4242;started=1700000000000;fencing=7";
    let released = |value: &str| HostRelease::Released(value.to_owned());
    let elsewhere = |value: &str| HostRelease::HeldElsewhere(value.to_owned());
    let cases = [
        (Some(ours), "host-a", released(ours)),
        (Some(ours), "host-b", elsewhere(ours)),
        (Some(ours), "host", elsewhere(ours)),
        (Some(ours), "host-a;pid=4242", elsewhere(ours)),
        (None, "host-a", HostRelease::NotHeld),
        (
            Some("old-system-instance"),
            "host-a",
            elsewhere("old-system-instance"),
        ),
        (
            Some("host=host-a;pid=4242;started=1700000000000"),
            "host-a",
            elsewhere("host=host-a;pid=4242;started=1700000000000"),
        ),
        (
            Some("host=host-a;pid=1;started=2;fencing=3;extra"),
            "host-a",
            elsewhere("host=host-a;pid=1;started=2;fencing=3;extra"),
        ),
        (
            Some("host=host-a-2;pid=1;started=2;fencing=3"),
            "host-a",
            elsewhere("host=host-a-2;pid=1;started=2;fencing=3"),
        ),
        (
            Some("host=a.b-c;pid=1;started=2;fencing=3"),
            "a.b-c",
            released("host=a.b-c;pid=1;started=2;fencing=3"),
        ),
    ];
    for (stored, host, expected) in &cases {
        check_release_if_host(&env, *stored, host, expected).await;
    }
}

#[tokio::test]
async fn release_if_host_frees_the_lease_of_a_leader_that_is_gone() {
    let Some(env) = TestEnv::new() else { return };
    let gone = env.lease("host-a", TTL);
    let standby = env.lease("host-b", TTL);
    let lease = gone.acquire().await.unwrap().expect("the lease is free");

    let outcome = standby.release_if_host("host-a").await.unwrap();

    let expected = format!(
        "host=host-a;pid=4242;started=1700000000000;fencing={}",
        lease.fencing()
    );
    assert_eq!(outcome, HostRelease::Released(expected));
    assert!(standby.acquire().await.unwrap().is_some());
}

#[tokio::test]
async fn ping_answers_when_redis_is_up() {
    let Some(env) = TestEnv::new() else { return };
    env.lease("host-a", TTL).ping().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ten_instances_acquiring_at_once_get_exactly_one_lease() {
    let Some(env) = TestEnv::new() else { return };
    let stores: Vec<_> = (0..10)
        .map(|i| env.lease(&format!("host-{i}"), TTL))
        .collect();
    // Connect first, so that the acquisitions race each other rather than the handshakes.
    for store in &stores {
        store.ping().await.unwrap();
    }
    let barrier = Arc::new(Barrier::new(stores.len()));

    let tasks: Vec<_> = stores
        .iter()
        .cloned()
        .map(|store| {
            let barrier = Arc::clone(&barrier);
            tokio::spawn(async move {
                barrier.wait().await;
                store.acquire().await.unwrap()
            })
        })
        .collect();
    let mut winners = Vec::new();
    for task in tasks {
        if let Some(lease) = task.await.unwrap() {
            winners.push(lease);
        }
    }

    assert_eq!(winners.len(), 1, "winners: {winners:?}");
    let holder = stores[0].holder().await.unwrap().expect("held");
    assert_eq!(holder.fencing, Some(winners[0].fencing()));
    assert!(holder.value.starts_with(winners[0].instance().as_str()));
}

/// Every request of `store` fails with `Unavailable`, each within `limit`.
async fn check_unavailable(store: &RedisLeaderLease, limit: Duration) {
    let lease = Lease::new(store.instance().clone(), FencingToken::new(1), store.ttl());
    let timed = |what: &'static str, started: Instant, result: Result<(), LeaseError>| {
        let elapsed = started.elapsed();
        assert!(
            matches!(result, Err(LeaseError::Unavailable(_))),
            "{what}: {result:?}"
        );
        assert!(elapsed <= limit, "{what} took {elapsed:?}");
    };
    let started = Instant::now();
    timed("acquire", started, store.acquire().await.map(drop));
    let started = Instant::now();
    timed("preempt", started, store.preempt().await.map(drop));
    let started = Instant::now();
    timed("renew", started, store.renew(&lease).await.map(drop));
    let started = Instant::now();
    timed("release", started, store.release(&lease).await.map(drop));
    let started = Instant::now();
    timed("holder", started, store.holder().await.map(drop));
    let started = Instant::now();
    timed("ping", started, store.ping().await);
    let started = Instant::now();
    timed(
        "force_release",
        started,
        store.force_release().await.map(drop),
    );
    let started = Instant::now();
    timed(
        "release_if_host",
        started,
        store.release_if_host("host-a").await.map(drop),
    );
}

fn unreachable_store(url: &str, timeout: Duration) -> RedisLeaderLease {
    let config = RedisLeaseConfig {
        timeout,
        ..RedisLeaseConfig::new("unreachable", TestEnv::instance("host-a"), TTL)
    };
    RedisLeaderLease::connect(url, config).unwrap()
}

// Needs no Redis: nothing listens on port 1.
#[tokio::test]
async fn a_closed_port_is_unavailable_within_the_timeout() {
    let timeout = Duration::from_millis(300);
    let store = unreachable_store("redis://127.0.0.1:1", timeout);
    check_unavailable(&store, timeout + Duration::from_millis(200)).await;
}

// Needs no Redis: a listener that accepts connections and never answers.
#[tokio::test]
async fn a_redis_that_never_answers_is_unavailable_within_the_timeout() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let timeout = Duration::from_millis(300);
    let store = unreachable_store(&format!("redis://127.0.0.1:{port}"), timeout);

    check_unavailable(&store, timeout + Duration::from_millis(200)).await;
    silent.abort();
}

fn check_setup(url: &str, config: &RedisLeaseConfig, expected: fn(&SetupError) -> bool) {
    let result = RedisLeaderLease::connect(url, config.clone());
    assert!(
        result.as_ref().is_err_and(expected),
        "{url} with {config:?}: {result:?}"
    );
}

// Needs no Redis: setup sends nothing.
#[test]
fn connect_rejects_settings_that_cannot_work() {
    let url = "redis://127.0.0.1:6379";
    let valid = RedisLeaseConfig::new("production", TestEnv::instance("host-a"), TTL);
    check_setup("http://127.0.0.1", &valid, |err| {
        matches!(err, SetupError::Url(_))
    });
    check_setup("not a url", &valid, |err| matches!(err, SetupError::Url(_)));
    let empty_key = RedisLeaseConfig {
        key: String::new(),
        ..valid.clone()
    };
    check_setup(url, &empty_key, |err| matches!(err, SetupError::EmptyKey));
    for ttl in [Duration::ZERO, Duration::from_micros(999)] {
        let short = RedisLeaseConfig {
            ttl,
            ..valid.clone()
        };
        check_setup(url, &short, |err| matches!(err, SetupError::Ttl(_)));
    }
    let no_timeout = RedisLeaseConfig {
        timeout: Duration::ZERO,
        ..valid.clone()
    };
    check_setup(url, &no_timeout, |err| matches!(err, SetupError::Timeout));
}

fn check_keys(key: &str, expected_fencing_key: &str) {
    let config = RedisLeaseConfig {
        key: key.to_owned(),
        ..RedisLeaseConfig::new("unused", TestEnv::instance("host-a"), TTL)
    };
    let store = RedisLeaderLease::connect("redis://127.0.0.1:6379", config).unwrap();
    assert_eq!(store.key(), key);
    assert_eq!(store.fencing_key(), expected_fencing_key, "for {key:?}");
}

#[test]
fn keys_follow_the_environment_and_the_fencing_counter_sits_beside_the_lease() {
    assert_eq!(
        RedisLeaderLease::key_for("production"),
        "production:bot:polling:leader"
    );
    assert_eq!(
        RedisLeaderLease::key_for("staging"),
        "staging:bot:polling:leader"
    );
    check_keys(
        "production:bot:polling:leader",
        "production:bot:polling:fencing",
    );
    check_keys("custom-lock", "custom-lock:fencing");
    check_keys("a:leader:b", "a:leader:b:fencing");
}
