//! The shared services of a test run: PostgreSQL at `TEST_DATABASE_URL`, Redis at
//! `TEST_REDIS_URL`. A test that needs one asks here; when the variable is unset the answer is
//! `None` and the reason is printed, and the test returns early — it skips, visibly, rather
//! than fails on a machine without the service.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The variable naming the PostgreSQL server of the tests.
pub const DATABASE_VARIABLE: &str = "TEST_DATABASE_URL";

/// The variable naming the Redis server of the tests.
pub const REDIS_VARIABLE: &str = "TEST_REDIS_URL";

/// The PostgreSQL URL of the tests; `None`, with `skipped: …` printed, when it is not set.
pub fn database_url() -> Option<String> {
    configured(DATABASE_VARIABLE, "postgres://postgres@127.0.0.1:5432/test")
}

/// The Redis URL of the tests; `None`, with `skipped: …` printed, when it is not set.
pub fn redis_url() -> Option<String> {
    configured(REDIS_VARIABLE, "redis://127.0.0.1:6379")
}

fn configured(variable: &str, example: &str) -> Option<String> {
    let value = std::env::var(variable).ok();
    if value.is_none() {
        eprintln!("skipped: {variable} is not set (e.g. {example})");
    }
    value
}

/// `label` followed by `_`, this process's id, a counter and the clock's nanoseconds: a name
/// no other test of this run or of an earlier one is given, for a schema, a key prefix or an
/// environment on a shared service. Only ASCII digits and `_` are added, so a `label` of
/// lowercase letters gives a valid PostgreSQL schema name.
pub fn unique_name(label: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.subsec_nanos());
    format!(
        "{label}_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

#[cfg(test)]
mod tests {
    use super::unique_name;

    #[test]
    fn unique_names_differ_and_keep_to_schema_characters() {
        let names: Vec<String> = (0..100).map(|_| unique_name("t")).collect();
        let mut distinct = names.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), names.len());
        for name in &names {
            assert!(name.starts_with("t_"), "{name}");
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{name}"
            );
        }
    }
}
