//! One implementation of every port per test, with a way to set up what no port writes.

use vitrina_cards::{CardId, CardRepository, CardStatus};
use vitrina_dialog::DialogStore;
use vitrina_dialog::UserRepository;
use vitrina_dialog::memory::MemoryPorts;
use vitrina_moderation::{AdminRepository, ModerationRepository};
use vitrina_storage::Db;

use crate::support::database;

/// Generates, for each listed `async fn name<P: Ports>(&Fixture<P>)` of the calling module,
/// the tests `memory::name` and `sqlite::name`, which always run, and `postgres::name`, which
/// runs when `TEST_DATABASE_URL` is set and otherwise prints why it skipped.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        mod memory {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $name() {
                    super::$name(&$crate::harness::Fixture::memory()).await;
                }
            )*
        }

        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $name() {
                    super::$name(&$crate::harness::Fixture::sqlite().await).await;
                }
            )*
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $name() {
                    let Some(fixture) = $crate::harness::Fixture::postgres().await else {
                        return;
                    };
                    super::$name(&fixture).await;
                }
            )*
        }
    };
}

/// Every port under contract, in one bound; cloneable so that tests can race two tasks.
pub trait Ports:
    CardRepository
    + UserRepository
    + ModerationRepository
    + AdminRepository
    + DialogStore
    + Clone
    + 'static
{
}

impl<T> Ports for T where
    T: CardRepository
        + UserRepository
        + ModerationRepository
        + AdminRepository
        + DialogStore
        + Clone
        + 'static
{
}

/// Where the ports keep their data, for what no port writes.
enum Backing {
    Memory(MemoryPorts),
    Database(database::Fixture),
}

/// The ports under test, `db`, and their backing.
pub struct Fixture<P> {
    pub db: P,
    backing: Backing,
}

impl Fixture<MemoryPorts> {
    pub fn memory() -> Fixture<MemoryPorts> {
        let ports = MemoryPorts::new();
        Fixture {
            db: ports.clone(),
            backing: Backing::Memory(ports),
        }
    }
}

impl Fixture<Db> {
    pub async fn sqlite() -> Fixture<Db> {
        let database = database::Fixture::sqlite().await;
        Fixture {
            db: database.db.clone(),
            backing: Backing::Database(database),
        }
    }

    pub async fn postgres() -> Option<Fixture<Db>> {
        let database = database::Fixture::postgres().await?;
        Some(Fixture {
            db: database.db.clone(),
            backing: Backing::Database(database),
        })
    }
}

impl<P> Fixture<P> {
    /// Features a card, as an operator does outside the bot.
    pub async fn feature(&self, id: CardId) {
        match &self.backing {
            Backing::Memory(ports) => assert!(ports.cards().set_featured(id, true)),
            Backing::Database(database) => {
                database
                    .exec(&format!("UPDATE cards SET featured = TRUE WHERE id = {id}"))
                    .await;
            }
        }
    }

    /// The whole moderation log in the order it was written: card (`None` once removed with
    /// its partner's data), moderator, action, reason.
    pub async fn whole_log(&self) -> Vec<(Option<i64>, i64, String, Option<String>)> {
        match &self.backing {
            Backing::Memory(ports) => ports
                .moderation_log()
                .into_iter()
                .map(|entry| {
                    let card = Some(entry.card.get()).filter(|id| *id != 0);
                    (card, entry.moderator.get(), entry.action, entry.reason)
                })
                .collect(),
            Backing::Database(database) => database
                .reference_rows(
                    "SELECT COALESCE(card_id, -1) AS id, moderator_id AS parent, \
                     action || '|' || COALESCE(reason, '-') AS key FROM moderation_log ORDER BY moderation_log.id",
                )
                .await
                .into_iter()
                .map(|row| {
                    let (action, reason) = row.key.split_once('|').expect("action|reason");
                    let reason = (reason != "-").then(|| reason.to_owned());
                    (Some(row.id).filter(|id| *id >= 0), row.parent, action.to_owned(), reason)
                })
                .collect(),
        }
    }

    /// How many photos are stored, of every card.
    pub async fn photo_count(&self) -> usize {
        match &self.backing {
            Backing::Memory(ports) => ports
                .all_cards()
                .iter()
                .map(|card| card.content.photos.len())
                .sum(),
            Backing::Database(database) => database
                .reference_rows("SELECT COUNT(*) AS id, CAST(0 AS BIGINT) AS parent, '' AS key FROM card_photos")
                .await
                .first()
                .map_or(0, |row| usize::try_from(row.id).unwrap_or_default()),
        }
    }

    /// Gives a card a status outside the transition table, as only old data has it.
    pub async fn force_status(&self, id: CardId, status: CardStatus) {
        match &self.backing {
            Backing::Memory(ports) => assert!(ports.cards().force_status(id, status)),
            Backing::Database(database) => {
                database
                    .exec(&format!(
                        "UPDATE cards SET status = '{status}' WHERE id = {id}"
                    ))
                    .await;
            }
        }
    }
}
