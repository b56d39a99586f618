//! The command line: `bot [COMMAND]`, with `run` as the default.

use clap::{Parser, Subcommand};

use crate::config::VARIABLES;

const LONG_ABOUT: &str = "\
Vitrina: the Telegram bot of a city catalog of partner businesses.

Without a command, `bot` runs the bot (`bot run`). Everything is configured through environment
variables, listed below; a `.env` file in the working directory is read too, and a variable set
in the environment wins over the same one in `.env`. An empty value counts as unset.

Modes (see `bot config` for the one in effect):
  polling         the default: this process polls Telegram for updates
  leader-polling  ENABLE_POLLING_LEADER_LOCK=1: only the holder of a Redis lease polls
  webhook         DISABLE_POLLING=1: Telegram posts updates to WEBHOOK_URL

Exit status: 0 success; 1 failure; 2 invalid configuration or usage; 3 a standby stopped because
EXIT_ON_CONFLICT=1.";

/// The command line of the Vitrina bot.
#[derive(Debug, Parser)]
#[command(
    name = "bot",
    version,
    about = "Vitrina: the Telegram bot of a city catalog of partner businesses.",
    long_about = LONG_ABOUT,
    after_help = "Run `bot --help` for the environment variables.",
    after_long_help = environment_help(),
)]
pub struct Cli {
    /// What to do; `run` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands of `bot`.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand, Default)]
pub enum Command {
    /// Receive updates and answer them until SIGTERM or SIGINT (the default).
    #[command(long_about = "\
Receive updates and answer them until SIGTERM or SIGINT (the default command).

Needs BOT_TOKEN. The mode follows DISABLE_POLLING and ENABLE_POLLING_LEADER_LOCK: polling,
leader polling behind a Redis lease (REDIS_URL, POLLING_LEADER_LOCK_TTL, PREEMPT_LEADER,
EXIT_ON_CONFLICT), or webhook (WEBHOOK_URL, WEBHOOK_SECRET, served on HTTP_ADDR).")]
    #[default]
    Run,
    /// Apply the database migrations and exit.
    #[command(long_about = "\
Apply the pending database migrations to DATABASE_URL and exit. `bot run` applies them too;
this command lets a deployment do it once, before starting several instances.")]
    Migrate,
    /// Check the configuration, database, Redis, Telegram, webhook and lease in one report.
    #[command(long_about = "\
Check everything the bot depends on and print one report: the configuration, the database
(DATABASE_URL), Redis (REDIS_URL, when set), Telegram (getMe with BOT_TOKEN), the webhook as
Telegram sees it, and who holds the polling lease. Exits with status 1 when a check fails.")]
    Check,
    /// Inspect or release the Redis polling lease.
    #[command(long_about = "\
Inspect or release the Redis polling lease {ENVIRONMENT}:bot:polling:leader. Needs REDIS_URL.")]
    Lock {
        /// What to do with the lease.
        #[command(subcommand)]
        command: LockCommand,
    },
    /// Set, delete or inspect the Telegram webhook.
    #[command(long_about = "\
Set, delete or inspect the webhook registered with Telegram. Needs BOT_TOKEN; `set` also
needs WEBHOOK_URL and uses WEBHOOK_SECRET (derived from the token when unset).")]
    Webhook {
        /// What to do with the webhook.
        #[command(subcommand)]
        command: WebhookCommand,
    },
    /// Add, remove or list the admins stored in the database.
    #[command(long_about = "\
Add, remove or list the admins stored in the database (DATABASE_URL). The admins in ADMIN_IDS
are admins too; they are listed but cannot be removed here.")]
    Admin {
        /// What to do with the admins.
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Bring the old system's data over: partners, cards, photos and the moderation log.
    #[command(long_about = "\
Read the old system's SQLite database (--from sqlite:///path/to/old.db) and write its partners,
cards (with their photos, statuses, discount and map link) and moderation log into DATABASE_URL,
on either engine, in one transaction, migrating DATABASE_URL first. Running it twice changes
nothing. The report says what was imported, what was skipped and why; a card with a field
today's rules refuse is imported as a draft without that field, its reason in the report.")]
    ImportLegacy {
        /// The old database: sqlite:///path/to/old.db (or a plain path).
        #[arg(long, value_name = "URL")]
        from: String,
        /// Report what would be imported, and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print the effective configuration, secrets masked.
    #[command(long_about = "\
Print the effective configuration: every variable with the value in effect (defaults
included), the mode, the lease key and the webhook path. The token shows only its bot id,
secrets are masked, and passwords inside URLs are replaced by ****.")]
    Config,
    /// Print a signed web cabinet (Mini App) link for a user, to open the page by hand.
    #[command(long_about = "\
Print the web cabinet's URL with a freshly signed Telegram initData for the user --user, as a
Telegram client would open it: for trying the page in a browser against the Bot API double or
a test bot. Needs BOT_TOKEN and WEB_APP_URL. Anyone holding the link acts as that user until
WEB_APP_MAX_AGE runs out: never share one made with a production token.")]
    WebappLink {
        /// The Telegram user id to sign for.
        #[arg(long)]
        user: i64,
        /// The user's first name in the signed data.
        #[arg(long, default_value = "Tester")]
        first_name: String,
        /// The client language in the signed data (used until the user chose one in the bot).
        #[arg(long)]
        language: Option<String>,
    },
    /// Feature, unfeature or take down (unpublish) a card.
    #[command(long_about = "\
Feature or unfeature a card (featured cards come first in their catalog lists), or take a
published card down with a reason: it becomes rejected, its partner is told in their language
(queued in the outbox: a running bot sends it within seconds) and may fix it and submit it
again. Every change goes to the moderation log, by the operator (id 0).")]
    Card {
        /// What to do with the card.
        #[command(subcommand)]
        command: CardCommand,
    },
    /// Delete a person's data, as their /forget_me does.
    #[command(long_about = "\
Delete everything kept about a Telegram user, as their /forget_me does, in one transaction:
profile, partner row, dialog state, stored admin row, and every card of theirs with its photos.
The moderation log keeps its entries, anonymised: the removed cards and their typed reasons are
dropped from them, and the person's own decisions as an admin name the operator (id 0).")]
    User {
        /// What to do with the user.
        #[command(subcommand)]
        command: UserCommand,
    },
}

/// `bot card …`
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum CardCommand {
    /// Show the card first in its catalog lists.
    Feature {
        /// The card's id.
        #[arg(value_parser = clap::value_parser!(i64).range(1..))]
        id: i64,
    },
    /// Stop showing the card first.
    Unfeature {
        /// The card's id.
        #[arg(value_parser = clap::value_parser!(i64).range(1..))]
        id: i64,
    },
    /// Take a published card out of the catalog; its partner is told why.
    Unpublish {
        /// The card's id.
        #[arg(value_parser = clap::value_parser!(i64).range(1..))]
        id: i64,
        /// The reason: a standard one (incomplete, inappropriate, bad_photo, wrong_category),
        /// told in the partner's language, or 10–500 characters of your own words.
        #[arg(long, value_name = "TEXT", default_value = "inappropriate")]
        reason: String,
    },
}

/// `bot user …`
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum UserCommand {
    /// Delete everything kept about a Telegram user (as their /forget_me does).
    Delete {
        /// The user's Telegram id.
        #[arg(value_parser = clap::value_parser!(i64).range(1..))]
        id: i64,
    },
}

/// `bot lock …`
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum LockCommand {
    /// Show who holds the lease and for how long.
    Status,
    /// Delete the lease so that another instance can take it.
    #[command(long_about = "\
Delete the lease so that another instance can take it at once. Without --force, a lease held by
a live instance is left alone and the command says so.")]
    Release {
        /// Delete the lease even if a live instance holds it.
        #[arg(long)]
        force: bool,
    },
}

/// `bot webhook …`
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum WebhookCommand {
    /// Register WEBHOOK_URL with Telegram, with the secret and the update kinds the bot handles.
    Set,
    /// Remove the webhook so that polling can work.
    Delete {
        /// Also drop the updates Telegram is still holding.
        #[arg(long)]
        drop_pending_updates: bool,
    },
    /// Show the webhook as Telegram sees it: URL, pending updates, last error.
    Info,
}

/// `bot admin …`
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum AdminCommand {
    /// Make a Telegram user an admin.
    Add {
        /// The user's Telegram id.
        #[arg(value_parser = clap::value_parser!(i64).range(1..))]
        id: i64,
    },
    /// Take the admin rights stored in the database from a Telegram user.
    Remove {
        /// The user's Telegram id.
        #[arg(value_parser = clap::value_parser!(i64).range(1..))]
        id: i64,
    },
    /// List the admins: those of ADMIN_IDS and those stored in the database.
    List,
}

/// The environment section of `bot --help`, built from the same table the configuration reads.
fn environment_help() -> String {
    let mut help = String::from("Environment variables:\n");
    for variable in VARIABLES {
        help.push_str(&format!(
            "  {}  [default: {}]",
            variable.name, variable.default
        ));
        if !variable.legacy.is_empty() {
            let label = if variable.legacy.len() == 1 {
                "old name"
            } else {
                "old names"
            };
            help.push_str(&format!("  ({label}: {})", variable.legacy.join(", ")));
        }
        help.push_str(&format!("\n          {}\n", variable.meaning));
    }
    help.push_str(
        "\nBooleans accept 1/0, true/false, yes/no and on/off, in any case; anything else is an \
         error.",
    );
    help
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn arguments_parse_into_commands() {
        let check = |args: &[&str], expected: Option<Command>| {
            let cli = Cli::try_parse_from(std::iter::once("bot").chain(args.iter().copied()))
                .unwrap_or_else(|error| panic!("{args:?}: {error}"));
            assert_eq!(cli.command, expected, "{args:?}");
        };
        check(&[], None);
        check(&["run"], Some(Command::Run));
        check(&["migrate"], Some(Command::Migrate));
        check(&["check"], Some(Command::Check));
        check(&["config"], Some(Command::Config));
        check(
            &["lock", "status"],
            Some(Command::Lock {
                command: LockCommand::Status,
            }),
        );
        check(
            &["lock", "release"],
            Some(Command::Lock {
                command: LockCommand::Release { force: false },
            }),
        );
        check(
            &["lock", "release", "--force"],
            Some(Command::Lock {
                command: LockCommand::Release { force: true },
            }),
        );
        check(
            &["webhook", "set"],
            Some(Command::Webhook {
                command: WebhookCommand::Set,
            }),
        );
        check(
            &["webhook", "info"],
            Some(Command::Webhook {
                command: WebhookCommand::Info,
            }),
        );
        check(
            &["webhook", "delete"],
            Some(Command::Webhook {
                command: WebhookCommand::Delete {
                    drop_pending_updates: false,
                },
            }),
        );
        check(
            &["webhook", "delete", "--drop-pending-updates"],
            Some(Command::Webhook {
                command: WebhookCommand::Delete {
                    drop_pending_updates: true,
                },
            }),
        );
        check(
            &["admin", "add", "42"],
            Some(Command::Admin {
                command: AdminCommand::Add { id: 42 },
            }),
        );
        check(
            &["admin", "remove", "42"],
            Some(Command::Admin {
                command: AdminCommand::Remove { id: 42 },
            }),
        );
        check(
            &["admin", "list"],
            Some(Command::Admin {
                command: AdminCommand::List,
            }),
        );
        check(
            &["card", "feature", "5"],
            Some(Command::Card {
                command: CardCommand::Feature { id: 5 },
            }),
        );
        check(
            &["card", "unfeature", "5"],
            Some(Command::Card {
                command: CardCommand::Unfeature { id: 5 },
            }),
        );
        check(
            &["card", "unpublish", "5"],
            Some(Command::Card {
                command: CardCommand::Unpublish {
                    id: 5,
                    reason: "inappropriate".to_owned(),
                },
            }),
        );
        check(
            &[
                "card",
                "unpublish",
                "5",
                "--reason",
                "Closed for good since May",
            ],
            Some(Command::Card {
                command: CardCommand::Unpublish {
                    id: 5,
                    reason: "Closed for good since May".to_owned(),
                },
            }),
        );
        check(
            &["user", "delete", "42"],
            Some(Command::User {
                command: UserCommand::Delete { id: 42 },
            }),
        );
        check(
            &["import-legacy", "--from", "sqlite:///old.db", "--dry-run"],
            Some(Command::ImportLegacy {
                from: "sqlite:///old.db".to_owned(),
                dry_run: true,
            }),
        );
    }

    #[test]
    fn bad_arguments_are_refused() {
        for args in [
            &["admin", "add", "0"][..],
            &["admin", "add", "-5"],
            &["admin", "add", "abc"],
            &["admin", "add"],
            &["lock"],
            &["webhook", "set", "--force"],
            &["unknown"],
            &["import-legacy"],
            &["card", "feature"],
            &["card", "feature", "0"],
            &["card", "unpublish", "x"],
            &["card", "hide", "5"],
            &["user", "delete"],
            &["user", "delete", "-1"],
        ] {
            let parsed = Cli::try_parse_from(std::iter::once("bot").chain(args.iter().copied()));
            assert!(parsed.is_err(), "{args:?} should be refused");
        }
    }

    #[test]
    fn environment_help_lists_every_variable_and_its_old_names() {
        let help = environment_help();
        for variable in VARIABLES {
            assert!(help.contains(variable.name), "{} missing", variable.name);
            for legacy in variable.legacy {
                assert!(help.contains(legacy), "{legacy} missing");
            }
        }
    }
}
