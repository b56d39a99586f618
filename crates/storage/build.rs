//! Names a feature set the crate's code asks about in several places.

fn main() {
    cfg_aliases::cfg_aliases! {
        // A port whose writes may open transactions of their own (`in_transaction!`): the
        // transaction machinery is unused in a build without one.
        any_port: { any(feature = "cards", feature = "users", feature = "moderation", feature = "journal") },
        // An update's handling on PostgreSQL reads the person with its `BEGIN` (`Riding`):
        // the journal opens it, the dialog store reads it.
        person_ahead: { all(feature = "postgres", feature = "journal", feature = "users", feature = "moderation", feature = "dialog-store") },
    }
}
