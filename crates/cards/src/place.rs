//! Where a card is on the map: a validated coordinate pair, the distance between two pairs,
//! and the order of places by distance from a person.

use std::fmt;

use crate::ids::CardId;
use crate::paging::{Listing, Page, PageRequest};

/// The mean radius of the Earth in metres, as the haversine formula takes it.
const EARTH_RADIUS_METRES: f64 = 6_371_008.8;

/// Micro-degrees per degree: the compact integer form of a coordinate (about 11 cm at the
/// equator, finer than any phone's fix).
const MICRO: f64 = 1_000_000.0;

/// A coordinate pair that is not a place on the Earth.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum CoordinatesError {
    /// The latitude is not a number between -90 and 90.
    #[error("latitude {0} is not between -90 and 90")]
    Latitude(f64),
    /// The longitude is not a number between -180 and 180.
    #[error("longitude {0} is not between -180 and 180")]
    Longitude(f64),
}

/// A place: latitude and longitude in degrees, both finite and in range.
///
/// Comparable for equality because the constructor refuses NaN, so every value equals itself.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    latitude: f64,
    longitude: f64,
}

impl Eq for Coordinates {}

impl Coordinates {
    /// Checks a pair given in degrees.
    ///
    /// # Errors
    /// [`CoordinatesError`] naming the value that is not finite or out of range.
    pub fn new(latitude: f64, longitude: f64) -> Result<Coordinates, CoordinatesError> {
        if !latitude.is_finite() || !(-90.0..=90.0).contains(&latitude) {
            return Err(CoordinatesError::Latitude(latitude));
        }
        if !longitude.is_finite() || !(-180.0..=180.0).contains(&longitude) {
            return Err(CoordinatesError::Longitude(longitude));
        }
        Ok(Coordinates {
            latitude,
            longitude,
        })
    }

    /// The pair in micro-degrees, rounded: the form that fits a button's payload.
    pub fn to_micro(self) -> (i32, i32) {
        // In range by construction: |latitude| ≤ 90e6 and |longitude| ≤ 180e6 fit an i32.
        #[allow(clippy::cast_possible_truncation)]
        let micro = |degrees: f64| (degrees * MICRO).round() as i32;
        (micro(self.latitude), micro(self.longitude))
    }

    /// A pair given in micro-degrees ([`Coordinates::to_micro`]).
    ///
    /// # Errors
    /// [`CoordinatesError`] when the pair is out of range.
    pub fn from_micro(latitude: i32, longitude: i32) -> Result<Coordinates, CoordinatesError> {
        Coordinates::new(f64::from(latitude) / MICRO, f64::from(longitude) / MICRO)
    }

    /// The latitude in degrees.
    pub const fn latitude(self) -> f64 {
        self.latitude
    }

    /// The longitude in degrees.
    pub const fn longitude(self) -> f64 {
        self.longitude
    }

    /// The great-circle distance to `other` in metres (the haversine formula).
    pub fn distance_metres(self, other: Coordinates) -> f64 {
        let (phi1, phi2) = (self.latitude.to_radians(), other.latitude.to_radians());
        let d_phi = (other.latitude - self.latitude).to_radians();
        let d_lambda = (other.longitude - self.longitude).to_radians();
        let h =
            (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_METRES * h.sqrt().min(1.0).asin()
    }
}

impl fmt::Display for Coordinates {
    /// Six decimals, as maps and people write them: `12.238800, 109.196700`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.6}, {:.6}", self.latitude, self.longitude)
    }
}

/// A published card that has a place: the line of the *Nearby* list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The card.
    pub id: CardId,
    /// Its title.
    pub title: String,
    /// Whether it is featured.
    pub featured: bool,
    /// Where it is.
    pub location: Coordinates,
}

/// A place and how far it is from the person who asked.
#[derive(Debug, Clone, PartialEq)]
pub struct NearbyPlace {
    /// The place.
    pub place: Place,
    /// Its distance in metres.
    pub metres: f64,
}

/// A page of `places` ordered by distance from `from`, nearest first (equal distances by card
/// id, so that pages do not shuffle).
///
/// The ordering is done here rather than in SQL: neither SQLite nor PostgreSQL without an
/// extension has a great-circle distance, and a city catalog's published places are few
/// enough to load and sort in memory at every request.
pub fn nearest(from: Coordinates, places: Vec<Place>, page: PageRequest) -> Listing<NearbyPlace> {
    let mut measured: Vec<NearbyPlace> = places
        .into_iter()
        .map(|place| NearbyPlace {
            metres: from.distance_metres(place.location),
            place,
        })
        .collect();
    measured.sort_by(|a, b| {
        a.metres
            .total_cmp(&b.metres)
            .then(a.place.id.get().cmp(&b.place.id.get()))
    });
    let page = Page::clamp(page, measured.len() as u64);
    let skip = usize::try_from(page.offset()).unwrap_or(usize::MAX);
    let items = measured
        .into_iter()
        .skip(skip)
        .take(page.limit() as usize)
        .collect();
    Listing { page, items }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(latitude: f64, longitude: f64) -> Coordinates {
        Coordinates::new(latitude, longitude).expect("valid coordinates")
    }

    #[test]
    fn coordinates_out_of_range_or_not_numbers_are_refused() {
        let cases = [
            (90.5, 0.0, Some(CoordinatesError::Latitude(90.5))),
            (-91.0, 0.0, Some(CoordinatesError::Latitude(-91.0))),
            (0.0, 180.1, Some(CoordinatesError::Longitude(180.1))),
            (
                0.0,
                f64::INFINITY,
                Some(CoordinatesError::Longitude(f64::INFINITY)),
            ),
            (90.0, -180.0, None),
            (12.2388, 109.1967, None),
        ];
        for (latitude, longitude, expected) in cases {
            assert_eq!(
                Coordinates::new(latitude, longitude).err(),
                expected,
                "{latitude}, {longitude}"
            );
        }
        assert!(matches!(
            Coordinates::new(f64::NAN, 0.0),
            Err(CoordinatesError::Latitude(_))
        ));
    }

    #[test]
    fn haversine_distances_match_known_ones() {
        // Nha Trang to Da Nang is about 417 km as the crow flies; one degree of latitude is
        // about 111.2 km anywhere.
        let nha_trang = at(12.2388, 109.1967);
        let da_nang = at(16.0544, 108.2022);
        let km = nha_trang.distance_metres(da_nang) / 1000.0;
        assert!((km - 435.0).abs() < 20.0, "{km} km");
        let degree = at(10.0, 100.0).distance_metres(at(11.0, 100.0));
        assert!((degree - 111_195.0).abs() < 10.0, "{degree} m");
        assert!(nha_trang.distance_metres(nha_trang).abs() < f64::EPSILON);
    }

    #[test]
    fn micro_degrees_round_trip() {
        let place = at(-33.868_82, 151.209_296);
        let (latitude, longitude) = place.to_micro();
        assert_eq!((latitude, longitude), (-33_868_820, 151_209_296));
        assert_eq!(Coordinates::from_micro(latitude, longitude), Ok(place));
        assert!(Coordinates::from_micro(91_000_000, 0).is_err());
    }

    #[test]
    fn places_are_paged_nearest_first() {
        let me = at(12.0, 109.0);
        let place = |id: i64, latitude: f64| Place {
            id: CardId(id),
            title: format!("card {id}"),
            featured: false,
            location: at(latitude, 109.0),
        };
        let places = vec![
            place(1, 12.3),
            place(2, 12.01),
            place(3, 11.9),
            place(4, 12.2),
        ];
        let first = nearest(me, places.clone(), PageRequest::new(1, 2));
        let ids: Vec<i64> = first.items.iter().map(|p| p.place.id.get()).collect();
        assert_eq!(ids, [2, 3]);
        assert_eq!((first.page.number, first.page.count), (1, 2));
        let second = nearest(me, places, PageRequest::new(2, 2));
        let ids: Vec<i64> = second.items.iter().map(|p| p.place.id.get()).collect();
        assert_eq!(ids, [4, 1]);
    }
}
