use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(pub i64);

        impl $name {
            /// The raw integer, as stored and as sent in callback data.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// A card's id, assigned by the storage.
    CardId
);
id_type!(
    /// A Telegram user id; users, partners and admins are all keyed by it.
    UserId
);
id_type!(
    /// A city of the reference data.
    CityId
);
id_type!(
    /// An area of a city.
    AreaId
);
id_type!(
    /// A category of the reference data.
    CategoryId
);
id_type!(
    /// A subcategory of a category.
    SubcategoryId
);

/// A moment in time as milliseconds since the Unix epoch, UTC.
///
/// The domain keeps no clock of its own: callers pass `now` in, so rules about time are
/// plain functions that tests can drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Milliseconds since the Unix epoch.
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// This moment plus `millis` milliseconds (saturating).
    pub const fn plus_millis(self, millis: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(millis))
    }
}

/// A Telegram `file_id` of a photo. Opaque to the domain; kept in the order the partner sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct PhotoId(pub String);
