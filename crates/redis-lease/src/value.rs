//! What is stored under the lease key: the holding instance and its fencing number.
//!
//! The format is `host=<hostname>;pid=<pid>;started=<unix ms>;fencing=<n>`, with the host
//! free of `;` and the three numbers in ASCII digits. The release-by-host script in
//! [`crate::lease`] matches the same grammar with a Lua pattern; the two must stay in step.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use vitrina_update_source::{FencingToken, InstanceId};

/// A running process of the bot, as a lease value names it: its host, process id and
/// start time. [`instance_id`](Self::instance_id) is the
/// [`InstanceId`] written into the leases it takes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InstanceName {
    host: String,
    pid: u32,
    started_unix_ms: u64,
}

impl InstanceName {
    /// This process: the machine's hostname (from `/proc/sys/kernel/hostname`, else the
    /// `HOSTNAME` variable, else `unknown`), its process id, and now as its start time.
    ///
    /// Call it once at start and keep the result: the start time tells apart two processes
    /// that happened to get the same pid on one host.
    #[must_use]
    pub fn current() -> Self {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .or_else(|| std::env::var("HOSTNAME").ok())
            .unwrap_or_default();
        let started_unix_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| {
                u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
            });
        Self::new(&host, std::process::id(), started_unix_ms)
    }

    /// The instance on `host` with process id `pid`, started at `started_unix_ms`
    /// (milliseconds since the Unix epoch).
    ///
    /// The host is trimmed; `;`, whitespace and control characters in it become `_` so that
    /// the value stays readable, and an empty one becomes `unknown`.
    #[must_use]
    pub fn new(host: &str, pid: u32, started_unix_ms: u64) -> Self {
        let host: String = host
            .trim()
            .chars()
            .map(|c| {
                if c == ';' || c.is_whitespace() || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let host = if host.is_empty() {
            "unknown".to_owned()
        } else {
            host
        };
        Self {
            host,
            pid,
            started_unix_ms,
        }
    }

    /// The hostname.
    #[must_use]
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The process id.
    #[must_use]
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// When the process started, in milliseconds since the Unix epoch.
    #[must_use]
    pub fn started_unix_ms(&self) -> u64 {
        self.started_unix_ms
    }

    /// The instance id for leases: `host=<hostname>;pid=<pid>;started=<unix ms>`.
    #[must_use]
    pub fn instance_id(&self) -> InstanceId {
        InstanceId::new(self.to_string())
    }
}

impl fmt::Display for InstanceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "host={};pid={};started={}",
            self.host, self.pid, self.started_unix_ms
        )
    }
}

/// A lease value in this program's format, read back:
/// `host=<hostname>;pid=<pid>;started=<unix ms>;fencing=<n>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LeaseValue {
    /// The instance holding the lease.
    pub instance: InstanceName,
    /// The fencing number it got with the lease.
    pub fencing: FencingToken,
}

impl LeaseValue {
    /// Reads a stored value; `None` when it is not in this program's format (left by
    /// another program, or set by hand).
    #[must_use]
    pub fn parse(value: &str) -> Option<Self> {
        let rest = value.strip_prefix("host=")?;
        let (host, rest) = rest.split_once(';')?;
        let rest = rest.strip_prefix("pid=")?;
        let (pid, rest) = rest.split_once(';')?;
        let rest = rest.strip_prefix("started=")?;
        let (started, rest) = rest.split_once(';')?;
        let fencing = rest.strip_prefix("fencing=")?;
        Some(Self {
            instance: InstanceName {
                host: host.to_owned(),
                pid: digits(pid)?,
                started_unix_ms: digits(started)?,
            },
            fencing: FencingToken::new(digits(fencing)?),
        })
    }
}

impl fmt::Display for LeaseValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{};fencing={}", self.instance, self.fencing)
    }
}

/// The value stored for a lease of `instance` with `fencing`. Renewal and release compare
/// the stored value with this one, so it must depend on nothing but the lease.
pub(crate) fn value_of(instance: &InstanceId, fencing: FencingToken) -> String {
    format!("{instance};fencing={fencing}")
}

/// A number written in ASCII digits only: `str::parse` alone would also take a sign.
fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_parse(value: &str, expected: Option<(&str, u32, u64, u64)>) {
        let parsed = LeaseValue::parse(value);
        let got = parsed.as_ref().map(|parsed| {
            (
                parsed.instance.host(),
                parsed.instance.pid(),
                parsed.instance.started_unix_ms(),
                parsed.fencing.get(),
            )
        });
        assert_eq!(got, expected, "parsing {value:?}");
        if let Some(parsed) = parsed {
            assert_eq!(parsed.to_string(), value, "{value:?} written back");
        }
    }

    #[test]
    fn parse_reads_this_programs_format_and_rejects_others() {
        check_parse(
            "host=bot-1;pid=4242;started=1700000000000;fencing=7",
            Some(("bot-1", 4242, 1_700_000_000_000, 7)),
        );
        check_parse(
            "host=a=b.example;pid=1;started=0;fencing=18446744073709551615",
            Some(("a=b.example", 1, 0, u64::MAX)),
        );
        check_parse("host=;pid=1;started=2;fencing=3", Some(("", 1, 2, 3)));
        check_parse("old-system-instance", None);
        check_parse("", None);
        check_parse("host=h;pid=1;started=2", None);
        check_parse("host=h;pid=1;started=2;fencing=", None);
        check_parse("host=h;pid=1;started=2;fencing=+3", None);
        check_parse("host=h;pid=1;started=2;fencing=-3", None);
        check_parse("host=h;pid=1;started=2;fencing=3;", None);
        check_parse("host=h;pid=1;started=2;fencing=3 ", None);
        check_parse("host=h;pid=x;started=2;fencing=3", None);
        check_parse("host=h;pid=4294967296;started=2;fencing=3", None);
        check_parse("host=h;started=2;pid=1;fencing=3", None);
        check_parse("fencing=3;host=h;pid=1;started=2", None);
    }

    fn check_host(raw: &str, expected: &str) {
        assert_eq!(
            InstanceName::new(raw, 1, 2).host(),
            expected,
            "host {raw:?}"
        );
    }

    #[test]
    fn new_keeps_the_host_readable_and_free_of_separators() {
        check_host("bot-1.example", "bot-1.example");
        check_host("bot-1\n", "bot-1");
        check_host("a;b c\td", "a_b_c_d");
        check_host("", "unknown");
        check_host("  \n", "unknown");
    }

    #[test]
    fn a_lease_value_of_a_named_instance_parses_back_to_it() {
        let name = InstanceName::new("bot-1", 4242, 1_700_000_000_000);
        let value = value_of(&name.instance_id(), FencingToken::new(9));
        assert_eq!(value, "host=bot-1;pid=4242;started=1700000000000;fencing=9");
        assert_eq!(
            LeaseValue::parse(&value),
            Some(LeaseValue {
                instance: name,
                fencing: FencingToken::new(9)
            })
        );
    }

    #[test]
    fn current_names_this_process() {
        let name = InstanceName::current();
        assert_eq!(name.pid(), std::process::id());
        assert!(!name.host().contains(';'));
        assert!(name.started_unix_ms() > 1_600_000_000_000);
        let value = value_of(&name.instance_id(), FencingToken::new(1));
        assert_eq!(
            LeaseValue::parse(&value).map(|parsed| parsed.instance),
            Some(name)
        );
    }
}
