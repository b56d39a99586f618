//! The answer of `/readyz`: each check and the role the instance plays.

use std::fmt;

/// What `/readyz` reports: the instance's role and the result of each check (the database,
/// Redis where used). Ready when every check passed.
///
/// Its text is the body of the answer:
///
/// ```text
/// not ready
/// role: standby
/// database: ok
/// redis: failed: connection refused
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    role: String,
    checks: Vec<(String, Result<(), String>)>,
}

impl Readiness {
    /// A report for an instance in `role` (`leader`, `standby`, `polling`, `webhook`), with no
    /// checks yet.
    pub fn new(role: impl Into<String>) -> Readiness {
        Readiness {
            role: role.into(),
            checks: Vec::new(),
        }
    }

    /// The report with one more check, `name`, and how it went.
    #[must_use]
    pub fn check<E: fmt::Display>(
        mut self,
        name: impl Into<String>,
        result: Result<(), E>,
    ) -> Self {
        self.checks
            .push((name.into(), result.map_err(|error| error.to_string())));
        self
    }

    /// Whether every check passed.
    pub fn is_ready(&self) -> bool {
        self.checks.iter().all(|(_, result)| result.is_ok())
    }

    /// The role reported.
    pub fn role(&self) -> &str {
        &self.role
    }
}

impl fmt::Display for Readiness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}",
            if self.is_ready() {
                "ready"
            } else {
                "not ready"
            }
        )?;
        writeln!(f, "role: {}", self.role)?;
        for (name, result) in &self.checks {
            match result {
                Ok(()) => writeln!(f, "{name}: ok")?,
                // One line per check, whatever the error says.
                Err(error) => writeln!(f, "{name}: failed: {}", error.replace('\n', " "))?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(report: Readiness, ready: bool, text: &str) {
        assert_eq!(report.is_ready(), ready, "{report}");
        assert_eq!(report.to_string(), text);
    }

    #[test]
    fn the_report_lists_each_check_and_is_ready_only_when_all_pass() {
        check(Readiness::new("polling"), true, "ready\nrole: polling\n");
        check(
            Readiness::new("webhook").check("database", Ok::<(), String>(())),
            true,
            "ready\nrole: webhook\ndatabase: ok\n",
        );
        check(
            Readiness::new("standby")
                .check("database", Ok::<(), String>(()))
                .check("redis", Err("connection\nrefused")),
            false,
            "not ready\nrole: standby\ndatabase: ok\nredis: failed: connection refused\n",
        );
    }
}
