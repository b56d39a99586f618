#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod card;
mod draft;
mod ids;
#[cfg(feature = "memory")]
pub mod memory;
mod paging;
mod place;
mod reference;
mod repository;
mod search;
mod status;
pub mod visible;

pub use card::{Card, CardSummary, CatalogFilter, search_key};
pub use draft::{
    Address, CardContent, CardDraft, Contact, Description, Discount, Field, MAX_PHOTOS, MapLink,
    Rule, Title, ValidationError,
};
pub use ids::{AreaId, CardId, CategoryId, CityId, PhotoId, SubcategoryId, Timestamp, UserId};
pub use paging::{Listing, Page, PageRequest};
pub use place::{Coordinates, CoordinatesError, NearbyPlace, Place, nearest};
pub use reference::{Area, Category, City, Reference, ReferenceError, Subcategory};
pub use repository::{CardRepository, RepositoryError, RepositoryResult};
pub use search::{MAX_QUERY_WORDS, SearchQuery, fold, search_text};
pub use status::{CardAction, CardStatus, TransitionError, UnknownStatus};
