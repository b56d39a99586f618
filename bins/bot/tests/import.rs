//! `bot import-legacy` through the real binary: an old-system SQLite database built from the
//! old schema with realistic and broken rows, imported into SQLite and into PostgreSQL, read
//! back through the repositories, imported again to no effect, and a dry run that writes
//! nothing.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use vitrina_cards::{CardId, CardRepository as _, CardStatus, PhotoId};
use vitrina_moderation::ModerationRepository as _;
use vitrina_storage::Db;
use vitrina_testkit::postgres::TestSchema;
use vitrina_testkit::process::{self, Finished};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// The old database in `dir`, or `None` (the reason printed) without the sqlite3 shell.
fn legacy_database(dir: &Path) -> Option<String> {
    let has_sqlite3 = Command::new("sqlite3").arg("-version").output().is_ok();
    if !has_sqlite3 {
        eprintln!("skipped: the sqlite3 shell is not installed");
        return None;
    }
    let path = dir.join("old.db");
    for script in ["legacy-schema.sql", "legacy-data.sql"] {
        let output = Command::new("sqlite3")
            .arg(&path)
            .arg(format!(".read {FIXTURES}/{script}"))
            .output()
            .unwrap();
        assert!(output.status.success(), "{script}: {output:?}");
    }
    Some(format!("sqlite://{}", path.display()))
}

async fn import(dir: &Path, database_url: &str, from: &str, dry_run: bool) -> Finished {
    let mut command = process::clean_command(env!("CARGO_BIN_EXE_bot"), dir);
    command.args(["import-legacy", "--from", from]);
    if dry_run {
        command.arg("--dry-run");
    }
    command.env("DATABASE_URL", database_url);
    let run = process::run_async(command).await;
    assert_eq!(run.status, Some(0), "{}\n{}", run.stdout, run.stderr);
    run
}

fn line<'a>(report: &'a str, start: &str) -> &'a str {
    report
        .lines()
        .find(|line| line.starts_with(start))
        .unwrap_or_else(|| panic!("no {start:?} in\n{report}"))
}

/// The whole scenario on the database at `database_url`.
async fn imports_into(database_url: &str) {
    let dir = tempfile::tempdir().unwrap();
    let Some(from) = legacy_database(dir.path()) else {
        return;
    };

    // A dry run reports and writes nothing.
    let dry = import(dir.path(), database_url, &from, true).await;
    assert!(
        dry.stdout.starts_with("dry run: nothing was written"),
        "{}",
        dry.stdout
    );
    assert_eq!(line(&dry.stdout, "cards imported"), "cards imported: 5");
    let db = Db::connect(database_url).await.unwrap();
    assert!(
        db.card(CardId(1)).await.unwrap().is_none(),
        "the dry run wrote"
    );

    let run = import(dir.path(), database_url, &from, false).await;
    let report = run.stdout.as_str();
    assert_eq!(line(report, "partners imported"), "partners imported: 2");
    assert_eq!(line(report, "cards imported"), "cards imported: 5");
    assert_eq!(line(report, "photos imported"), "photos imported: 3");
    assert_eq!(
        line(report, "moderation log entries imported"),
        "moderation log entries imported: 2"
    );
    assert_eq!(line(report, "imported as drafts"), "imported as drafts: 2");
    assert!(
        line(report, "  card 5:").contains("description left out"),
        "{report}"
    );
    assert!(
        line(report, "  card 6:").contains("area 201 left out"),
        "{report}"
    );
    assert_eq!(line(report, "skipped"), "skipped: 6");
    for (what, why) in [
        ("  card 3:", "unknown category \"casino\""),
        ("  card 4:", "title"),
        ("  card 7:", "no city"),
        ("  card 8:", "no partner 77"),
        ("  log entry 3:", "\"feature\""),
        ("  log entry 4:", "card 3 is not imported"),
    ] {
        assert!(line(report, what).contains(why), "{what} {why}:\n{report}");
    }

    // Read back through the repositories: every imported row is a valid card.
    let card = db.card(CardId(1)).await.unwrap().unwrap();
    assert_eq!(card.status, CardStatus::Published);
    assert_eq!(card.owner.get(), 5001);
    assert!(card.featured);
    assert_eq!(
        card.content.photos,
        ["photo-a", "photo-b", "photo-c"].map(|id| PhotoId(id.to_owned()))
    );
    assert_eq!(card.content.discount.unwrap().as_str(), "10% по карте");
    assert_eq!(
        card.content.map_link.unwrap().as_str(),
        "https://maps.google.com/?q=12.24,109.19"
    );
    assert_eq!(card.content.area.unwrap().get(), 101);
    assert_eq!(card.content.subcategory.unwrap().get(), 101);
    assert_eq!(card.created_at.millis(), 1_709_629_200_000);
    let card = db.card(CardId(2)).await.unwrap().unwrap();
    assert_eq!(card.status, CardStatus::Approved);
    assert_eq!(card.content.contact.as_str(), "@lotus_spa");
    let card = db.card(CardId(5)).await.unwrap().unwrap();
    assert_eq!(card.status, CardStatus::Draft);
    assert!(card.content.description.is_none());
    let card = db.card(CardId(6)).await.unwrap().unwrap();
    assert_eq!(card.status, CardStatus::Draft);
    assert!(card.content.area.is_none());
    let card = db.card(CardId(9)).await.unwrap().unwrap();
    assert_eq!(card.status, CardStatus::Rejected);
    assert_eq!(card.rejection_reason.as_deref(), Some("Нет фото"));
    let log = db.log(CardId(9)).await.unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].action, "reject");
    assert_eq!(log[0].moderator.get(), 900);
    for skipped in [3, 4, 7, 8] {
        assert!(
            db.card(CardId(skipped)).await.unwrap().is_none(),
            "card {skipped}"
        );
    }

    // Again: nothing changes.
    let again = import(dir.path(), database_url, &from, false).await;
    assert_eq!(line(&again.stdout, "cards imported"), "cards imported: 0");
    assert_eq!(line(&again.stdout, "photos imported"), "photos imported: 0");
    assert_eq!(
        line(&again.stdout, "already imported before"),
        "already imported before: 9"
    );

    // A card made in the bot afterwards takes a new id, not an imported one's.
    let content = vitrina_testkit::fixtures::shop_card("After the move");
    let id = db
        .submit_new(
            vitrina_cards::UserId(5001),
            &content,
            vitrina_cards::Timestamp(1),
        )
        .await
        .unwrap();
    assert!(id.get() > 9, "{id:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_old_database_is_imported_into_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("vitrina.db").display());
    imports_into(&url).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_old_database_is_imported_into_postgres() {
    let Some(schema) = TestSchema::create("import").await else {
        return;
    };
    imports_into(schema.url()).await;
    schema.drop_now().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_old_database_is_named_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = process::clean_command(env!("CARGO_BIN_EXE_bot"), dir.path());
    command.args(["import-legacy", "--from", "sqlite://missing-old.db"]);
    let run = process::run_async(command).await;
    assert_eq!(run.status, Some(1), "{}", run.stderr);
    let absolute = dir.path().canonicalize().unwrap().join("missing-old.db");
    assert!(
        run.stderr.contains(&absolute.display().to_string()),
        "{}",
        run.stderr
    );
    assert!(!absolute.exists());
}
