//! # vitrina-delivery
//!
//! How Telegram updates reach Vitrina's dialog and how its answers go back: each update is
//! decoded alone and handled in one transaction that records its id (so a redelivery changes
//! nothing twice) and queues its answers in an outbox with the dialog's changes — one chat's
//! updates in order, different chats in parallel, bounded. The answers are sent once the
//! transaction is committed; a person who blocked the bot is marked. The courier
//! ([`Dispatcher::deliver_outbox`]) sends the answers a dead process left queued. [`poll`] is
//! the long-polling loop of single mode: an offset is confirmed only after its updates were
//! handled. An update that came by webhook ([`Dispatcher::handle_replying`]) gives back its
//! answer to a press or an inline query for the webhook's answer to carry.
//!
//! ```no_run
//! use std::sync::Arc;
//! use tokio_util::sync::CancellationToken;
//! use vitrina_delivery::{Dispatcher, PollingConfig, poll};
//! use vitrina_dialog::{Dialog, Settings};
//! use vitrina_i18n::Catalog;
//! use vitrina_storage::Db;
//! use vitrina_telegram::TelegramClient;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let db = Db::connect("sqlite://vitrina.db").await?;
//! db.migrate().await?;
//! let dialog = Dialog::new(Arc::new(Catalog::load()?), Settings::default());
//! let telegram = TelegramClient::new("https://api.telegram.org", "123:token")?;
//! let dispatcher = Arc::new(Dispatcher::new(db, dialog, telegram, 16));
//! let stop = CancellationToken::new();
//! tokio::spawn(Arc::clone(&dispatcher).deliver_outbox(stop.clone()));
//! poll(dispatcher, PollingConfig::default(), stop).await;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod dispatcher;
mod leader;
mod metrics;
mod polling;

pub use dispatcher::{
    BatchOutcome, DeliveryError, DeliveryStore, Dispatcher, Handled, Replied, now, outgoing,
};
pub use leader::poll_as_leader;
pub use metrics::{Metrics, Role};
pub use polling::{ALLOWED_UPDATES, PollingConfig, poll};
