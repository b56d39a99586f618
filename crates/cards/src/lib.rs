//! # vitrina-cards
//!
//! The card domain of Vitrina, a Telegram catalog of partner businesses: what a card is, the
//! moves between its statuses, the rule of each field a partner fills in, the cities and
//! categories of the catalog, page math for lists, and the repository ports the storage
//! implements.
//!
//! The crate is pure: no Telegram, network, database or async runtime. Time comes in as a
//! [`Timestamp`] argument; storage comes in through [`CardRepository`] and
//! [`UserRepository`].
//!
//! ```
//! use vitrina_cards::{CardAction, CardDraft, CardStatus, CityId, CategoryId, Contact, Page, Title};
//!
//! // Every answer of the wizard is checked by its field's rule...
//! let mut draft = CardDraft::default();
//! draft.set_city(CityId(1))?;
//! draft.set_category(CategoryId(1))?;
//! draft.title = Some(Title::parse("  Кофейня «Утро»  ")?);
//! draft.contact = Some(Contact::parse("@morning_cafe")?);
//! assert!(Title::parse("ab").is_err());
//! let content = draft.complete()?;
//! assert_eq!(content.title.as_str(), "Кофейня «Утро»");
//!
//! // ...a card moves only along the transition table...
//! assert_eq!(CardAction::Submit.apply(CardStatus::Draft)?, CardStatus::Pending);
//! assert!(CardAction::Hide.apply(CardStatus::Pending).is_err());
//!
//! // ...and lists are paged five at a time.
//! assert_eq!(Page::clamp(9, 11).label(), "3/3");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod card;
mod draft;
mod ids;
#[cfg(feature = "memory")]
pub mod memory;
mod paging;
pub mod reference;
mod repository;
mod status;
mod user;

pub use card::{Card, CardSummary, CatalogFilter, search_key};
pub use draft::{
    Address, CardContent, CardDraft, Contact, Description, Discount, Field, MAX_PHOTOS, MapLink,
    Rule, Title, ValidationError,
};
pub use ids::{AreaId, CardId, CategoryId, CityId, PhotoId, SubcategoryId, Timestamp, UserId};
pub use paging::{Listing, PAGE_SIZE, Page};
pub use repository::{CardRepository, RepositoryError, RepositoryResult, UserRepository};
pub use status::{CardAction, CardStatus, TransitionError, UnknownStatus};
pub use user::UserProfile;
