//! Vitrina's words in four languages: the Fluent catalog for Russian, English, Vietnamese and
//! Korean, lookups by message id with arguments, and recognition of pressed reply buttons.
//!
//! The messages live in `locales/{ru,en,vi,ko}/vitrina.ftl` at the workspace root (reached
//! through this crate's `locales` link, so a packaged crate carries them too) and are
//! compiled into the binary. [`Catalog::load`] parses all four once at startup; every other
//! crate asks it for text by message id, so no user-facing string is written anywhere else.
//!
//! ```
//! use vitrina_i18n::{Arg, Button, Catalog, Locale};
//!
//! let catalog = Catalog::load()?;
//!
//! assert_eq!(catalog.text(Locale::En, "btn-catalog"), "🗂 Catalog");
//! assert_eq!(
//!     catalog.text_with(Locale::Ru, "moderation-queue", &[("left", Arg::from(21))]),
//!     "🛡 Ждут модерации: 21 карточка."
//! );
//!
//! // A keyboard left over from another language still works; emoji and case do not matter.
//! assert_eq!(catalog.match_button("👤 마이페이지"), Some(Button::Cabinet));
//! assert_eq!(catalog.match_button("  MODERATION (12) "), Some(Button::Moderation));
//! assert_eq!(catalog.match_button("hello"), None);
//!
//! // An unknown id comes back as it is instead of failing.
//! assert_eq!(catalog.text(Locale::Vi, "no-such-key"), "no-such-key");
//! # Ok::<(), vitrina_i18n::I18nError>(())
//! ```
//!
//! # Message groups
//!
//! Every id exists in all four locales with the same argument names; the crate's tests check
//! it. The texts are plain: no HTML markup and no `<`, `>` or `&`, so they can be sent as HTML
//! unchanged. Arguments are inserted verbatim: escape user text before passing it to a
//! message that goes out as HTML.
//!
//! | ids | what | arguments |
//! |---|---|---|
//! | `language-picker`, `language-changed`, `welcome`, `policy-text`, `policy-accepted` | start, language, policy | — |
//! | `main-menu`, `help`, `unknown-input`, `not-allowed`, `not-found`, `callback-outdated`, `try-later`, `cancel-nothing` | main menu and general answers | — |
//! | `cabinet-not-partner`, `cabinet-partner`, `cabinet-unavailable`, `partner-created` | personal cabinet | — |
//! | `wizard-…` | add-card wizard, one prompt per step and its hints | `wizard-photos`, `wizard-photo-added`: `count`, `max`; `wizard-photo-removed`: `count` |
//! | `my-cards-…`, `card-…` | My cards and the card view | `my-cards-title`: `page`, `pages`, `count`; `card-status-line`: `status`; `card-rejection-reason`: `reason`; `card-field-{area,address,contact,discount}`: the field |
//! | `catalog-…` | catalog | `city`, `category`, `name`, `count`, `page`, `pages` |
//! | `moderation-…` | moderation | `moderation-queue`: `left` (plural) |
//! | `notify-…`, `bot-mode-…` | messages to another person, in *their* language; names of the run modes | `title`, `reason`, `partner`, `version`, `mode` |
//! | `cmd-…` | command descriptions for setMyCommands | — |
//! | `btn-…` | button labels: the reply buttons of [`Button`] and the inline ones | `btn-moderation`, `btn-photos-done`: `count`; `btn-page-counter`: `page`, `pages`; `btn-view-card`: `title` |
//! | `validation-…` | wizard and moderation input errors | `min` or `max` (plural) |
//! | `status-…` | card statuses (`status-archived` reads "hidden") | — |
//! | `reject-reason-…` | rejection reasons as the partner reads them | — |
//! | `city-…`, `area-{city}-…`, `category-…`, `subcategory-{category}-…` | reference data names | — |
//!
//! Numbers passed as [`Arg::Number`] select plural forms (Russian has one, few and many;
//! Vietnamese and Korean have none). Language names for the picker are not messages: they
//! never change with the interface language, see [`Locale::picker_label`].
//!
//! # Architecture invariant
//!
//! A domain crate: no async runtime, HTTP, Telegram or database crate in its dependency tree.
#![deny(missing_docs)]

mod button;
mod catalog;
mod emoji;
mod error;
mod locale;
mod matching;
mod messages;

pub use button::Button;
pub use catalog::{Arg, Catalog};
pub use error::I18nError;
pub use locale::{Locale, UnknownLocale};
