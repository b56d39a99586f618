//! Running Vitrina in a PostgreSQL schema of its own, so that several deployments (or test
//! runs) can share one database without seeing each other's tables.

use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};

use crate::error::StorageError;

/// A schema name that needs no quoting: `[a-z_][a-z0-9_]*`, at most 63 bytes.
fn valid_schema(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 63
}

async fn run(base_url: &str, schema: &str, statement: &str) -> Result<(), StorageError> {
    if !valid_schema(schema) {
        return Err(StorageError::Pool(format!(
            "schema name {schema:?} must be lowercase letters, digits and underscores"
        )));
    }
    let mut connection = AsyncPgConnection::establish(base_url)
        .await
        .map_err(|error| StorageError::Unreachable(error.to_string()))?;
    connection
        .batch_execute(statement)
        .await
        .map_err(|error| StorageError::Unreachable(error.to_string()))
}

/// Creates `schema` in the PostgreSQL database at `base_url` (if it is not there yet) and
/// returns the URL that makes every connection work in it (`options=-c search_path=…`), ready
/// for [`Db::connect`](crate::Db::connect).
///
/// # Errors
/// [`StorageError::Pool`] for a schema name outside `[a-z_][a-z0-9_]*`;
/// [`StorageError::Unreachable`] when the server refuses.
pub async fn create_postgres_schema(base_url: &str, schema: &str) -> Result<String, StorageError> {
    run(
        base_url,
        schema,
        &format!("CREATE SCHEMA IF NOT EXISTS {schema}"),
    )
    .await?;
    let separator = if base_url.contains('?') { '&' } else { '?' };
    Ok(format!(
        "{base_url}{separator}options=-c%20search_path%3D{schema}"
    ))
}

/// Drops `schema` and everything in it.
///
/// # Errors
/// As [`create_postgres_schema`].
pub async fn drop_postgres_schema(base_url: &str, schema: &str) -> Result<(), StorageError> {
    run(
        base_url,
        schema,
        &format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
    )
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_plain_schema_names_are_accepted() {
        for name in ["vitrina", "_t1", "test_42_x"] {
            assert!(super::valid_schema(name), "{name}");
        }
        for name in ["", "1abc", "Vitrina", "a-b", "a;drop", &"a".repeat(64)] {
            assert!(!super::valid_schema(name), "{name}");
        }
    }
}
