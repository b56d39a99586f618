//! Errors: [`StorageError`] for opening and migrating a database, and the mapping of every
//! diesel and pool error into the domain's [`RepositoryError`] at the edge of each call.

use diesel::result::{DatabaseErrorKind, Error as QueryError};
use vitrina_cards::RepositoryError;

/// Why a database could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The URL names no supported engine: it must start with `sqlite://`, `postgres://` or
    /// `postgresql://`. Only the scheme is repeated, never credentials.
    #[error("unsupported database URL scheme {scheme:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl {
        /// What stood before `://` (or the whole text when it has no scheme), cut short.
        scheme: String,
    },
    /// An in-memory SQLite database was asked for: every pooled connection would get a
    /// database of its own, so writes would seem to vanish. Use a file.
    #[error(
        "in-memory SQLite is not supported (each pooled connection would see its own database); use a file path"
    )]
    InMemory,
    /// The URL names an engine this build of the crate left out (its cargo feature, `sqlite`
    /// or `postgres`, is off).
    #[error("this build has no {0} support: it was built without the `{0}` feature")]
    EngineNotBuilt(&'static str),
    /// A `sqlite://` URL without a path.
    #[error("the SQLite URL names no file")]
    EmptyPath,
    /// The pool could not be built.
    #[error("cannot build the connection pool: {0}")]
    Pool(String),
    /// The first connection failed: the server is down, the URL is wrong, or the file cannot
    /// be opened.
    #[error("cannot connect to the database: {0}")]
    Unreachable(String),
    /// The SQLite file could not be opened or created: its directory is missing or not
    /// writable, or it is not a database.
    #[error("cannot open the SQLite database {path}: {cause}")]
    SqliteOpen {
        /// The file's absolute path.
        path: String,
        /// Why, each cause once.
        cause: String,
    },
    /// The TLS setting of a PostgreSQL URL cannot be used: an unknown `sslmode`, an
    /// unreadable CA file.
    #[error("PostgreSQL TLS: {0}")]
    Tls(String),
    /// The old system's database could not be read.
    #[error("cannot read the old system's database: {0}")]
    Legacy(String),
    /// A migration failed; those before it stay applied.
    #[error("migration failed: {0}")]
    Migration(String),
}

/// What a query inside this crate fails with: a diesel error, or a domain answer decided
/// half-way (a refused move, a missing card) that must also roll a transaction back.
#[derive(Debug)]
pub(crate) enum Failure {
    Query(QueryError),
    Repository(RepositoryError),
}

impl From<QueryError> for Failure {
    fn from(error: QueryError) -> Self {
        Failure::Query(error)
    }
}

impl From<RepositoryError> for Failure {
    fn from(error: RepositoryError) -> Self {
        Failure::Repository(error)
    }
}

impl From<Failure> for RepositoryError {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Repository(error) => error,
            Failure::Query(error) => classify(error),
        }
    }
}

/// Sorts a diesel error into "retry later" and "this input or row is wrong".
fn classify(error: QueryError) -> RepositoryError {
    match error {
        QueryError::NotFound => RepositoryError::NotFound,
        QueryError::DatabaseError(
            DatabaseErrorKind::UniqueViolation
            | DatabaseErrorKind::ForeignKeyViolation
            | DatabaseErrorKind::NotNullViolation
            | DatabaseErrorKind::CheckViolation
            | DatabaseErrorKind::RestrictViolation
            | DatabaseErrorKind::ExclusionViolation,
            info,
        ) => RepositoryError::Invalid(info.message().to_owned()),
        QueryError::DeserializationError(error) | QueryError::SerializationError(error) => {
            RepositoryError::Invalid(error.to_string())
        }
        QueryError::InvalidCString(error) => RepositoryError::Invalid(error.to_string()),
        QueryError::QueryBuilderError(error) => RepositoryError::Invalid(error.to_string()),
        // Closed connections, serialization failures, read-only replicas, and the engine's
        // unclassified errors (SQLite's "database is locked", I/O errors, a server shutting
        // down) all may pass on a later try. The error itself is kept as the source.
        other => RepositoryError::Unavailable(Box::new(other)),
    }
}

/// No connection could be had from a pool; the pool's error says why.
#[derive(Debug, thiserror::Error)]
#[error("no database connection")]
pub(crate) struct NoConnection(#[source] pub Box<dyn std::error::Error + Send + Sync>);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Message(&'static str);

    impl diesel::result::DatabaseErrorInformation for Message {
        fn message(&self) -> &str {
            self.0
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            None
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn database(kind: DatabaseErrorKind) -> QueryError {
        QueryError::DatabaseError(kind, Box::new(Message("boom")))
    }

    fn check(error: QueryError, retryable: bool) {
        let mapped = RepositoryError::from(Failure::from(error));
        assert_eq!(mapped.is_retryable(), retryable, "{mapped:?}");
    }

    #[test]
    fn connection_trouble_is_retryable_and_bad_input_is_not() {
        check(database(DatabaseErrorKind::ClosedConnection), true);
        check(database(DatabaseErrorKind::UnableToSendCommand), true);
        check(database(DatabaseErrorKind::SerializationFailure), true);
        check(database(DatabaseErrorKind::Unknown), true);
        check(QueryError::BrokenTransactionManager, true);
        check(database(DatabaseErrorKind::ForeignKeyViolation), false);
        check(database(DatabaseErrorKind::CheckViolation), false);
        check(database(DatabaseErrorKind::UniqueViolation), false);
        check(QueryError::DeserializationError("bad".into()), false);
        assert!(matches!(
            RepositoryError::from(Failure::from(QueryError::NotFound)),
            RepositoryError::NotFound
        ));
        let invalid =
            RepositoryError::from(Failure::from(database(DatabaseErrorKind::CheckViolation)));
        assert!(
            matches!(&invalid, RepositoryError::Invalid(message) if message == "boom"),
            "{invalid:?}"
        );
    }

    #[test]
    fn an_unavailable_database_keeps_the_engines_error_as_its_source() {
        let error =
            RepositoryError::from(Failure::from(database(DatabaseErrorKind::ClosedConnection)));
        assert!(
            matches!(error, RepositoryError::Unavailable(_)),
            "{error:?}"
        );
        assert_eq!(error.with_causes(), "storage unavailable: boom");
    }

    #[test]
    fn domain_answers_pass_through_unchanged() {
        let answer = RepositoryError::StatusChanged {
            current: vitrina_cards::CardStatus::Published,
        };
        assert!(matches!(
            RepositoryError::from(Failure::from(answer)),
            RepositoryError::StatusChanged {
                current: vitrina_cards::CardStatus::Published
            }
        ));
    }
}
