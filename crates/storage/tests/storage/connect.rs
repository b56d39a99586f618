//! Opening a database: URLs, failures, the engine's name, and migrations from scratch.

use vitrina_dialog::UserRepository;
use vitrina_storage::{Db, StorageError};

#[tokio::test(flavor = "multi_thread")]
async fn urls_that_name_no_usable_database_are_refused_before_connecting() {
    let cases = [
        "sqlite::memory:",
        "sqlite://:memory:",
        "sqlite://",
        "mysql://u:p@h/db",
        "vitrina.db",
    ];
    for url in cases {
        let error = Db::connect(url).await.expect_err(url);
        assert!(
            matches!(
                error,
                StorageError::InMemory
                    | StorageError::EmptyPath
                    | StorageError::UnsupportedUrl { .. }
            ),
            "{url}: {error}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_database_is_reported_at_connect() {
    let error = Db::connect("postgres://postgres@127.0.0.1:1/none")
        .await
        .expect_err("port 1");
    assert!(matches!(error, StorageError::Unreachable(_)), "{error}");
    // The cause itself, once, not only that the storage is unavailable.
    let text = error.to_string();
    assert!(text.contains("refused"), "{text}");
    assert!(!text.contains("storage unavailable"), "{text}");
    assert!(!text.contains("creating a new object"), "{text}");
    assert_eq!(text.matches("refused").count(), 1, "{text}");

    let error = Db::connect("postgres://postgres@no-such-host.invalid/none")
        .await
        .expect_err("no such host");
    assert!(matches!(error, StorageError::Unreachable(_)), "{error}");
    assert!(
        error.to_string().contains("no-such-host.invalid")
            || error.to_string().contains("lookup")
            || error.to_string().contains("resolve")
            || error.to_string().contains("name"),
        "{error}"
    );

    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/dir/v.db");
    let error = Db::connect(&format!("sqlite://{}", missing.display()))
        .await
        .expect_err("no dir");
    assert!(matches!(error, StorageError::SqliteOpen { .. }), "{error}");
    assert!(
        error.to_string().contains(&missing.display().to_string()),
        "{error}"
    );
    assert!(
        error.to_string().contains("unable to open database file"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_relative_sqlite_path_that_cannot_be_opened_is_named_absolute() {
    // Relative to the working directory: a directory that does not exist under it.
    let relative = format!("no-such-dir-{}/v.db", std::process::id());
    let error = Db::connect(&format!("sqlite://{relative}"))
        .await
        .expect_err("no dir");
    let absolute = std::env::current_dir().unwrap().join(&relative);
    assert!(
        error.to_string().contains(&absolute.display().to_string()),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sqlite_file_is_created_migrated_and_reopened_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("vitrina.db").display());
    let db = Db::connect(&url).await.unwrap();
    assert_eq!(db.engine(), "sqlite");
    let pending = db.pending_migrations().await.unwrap();
    assert_eq!(pending.len(), migrations_on_disk("sqlite"), "{pending:?}");
    assert_eq!(
        db.migrate().await.unwrap(),
        pending,
        "applies what was pending, in order"
    );
    db.set_locale(vitrina_cards::UserId(1), "ko").await.unwrap();
    drop(db);

    let db = Db::connect(&url).await.unwrap();
    assert_eq!(db.migrate().await.unwrap(), Vec::<String>::new());
    let user = db.user(vitrina_cards::UserId(1)).await.unwrap();
    assert_eq!(user.locale.as_deref(), Some("ko"));
}

#[test]
fn migrate_works_on_a_current_thread_runtime() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("vitrina.db").display());
        let db = Db::connect(&url).await.unwrap();
        assert_eq!(
            db.migrate().await.unwrap().len(),
            migrations_on_disk("sqlite")
        );
        db.ping().await.unwrap();
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_is_named_and_migrates() {
    let Some(fixture) = crate::support::database::Fixture::postgres().await else {
        return;
    };
    assert_eq!(fixture.db.engine(), "postgres");
    assert_eq!(
        fixture.db.pending_migrations().await.unwrap(),
        Vec::<String>::new()
    );
}

/// The number of migrations the source tree holds for `engine`, so that adding one does not
/// mean editing the tests that check a fresh database gets all of them.
fn migrations_on_disk(engine: &str) -> usize {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../migrations")
        .join(engine);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .filter(|entry| entry.as_ref().is_ok_and(|entry| entry.path().is_dir()))
        .count()
}
