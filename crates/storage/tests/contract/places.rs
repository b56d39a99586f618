//! Places: a card's coordinates are stored beside its map link, read back exactly, replaced
//! or cleared by a resubmission; `published_places` gives the public cards that have them.

use vitrina_cards::{CardContent, CardStatus, Coordinates};

use crate::given::{card_with, decided};
use crate::harness::{Fixture, Ports};
use crate::support::given::{PARTNER, at, content, reject};

contract!(
    coordinates_read_back_exactly_and_a_resubmission_replaces_or_clears_them,
    published_places_are_the_public_cards_that_have_coordinates,
);

fn placed(title: &str, latitude: f64, longitude: f64) -> CardContent {
    CardContent {
        location: Some(Coordinates::new(latitude, longitude).unwrap()),
        ..content(title)
    }
}

async fn coordinates_read_back_exactly_and_a_resubmission_replaces_or_clears_them<P: Ports>(
    f: &Fixture<P>,
) {
    // Southern and western hemispheres too, with every decimal a phone gives.
    let far = placed("Кофейня «Юг»", -33.868_820_123, -151.209_295_987);
    let id = card_with(f, PARTNER, &far, CardStatus::Rejected, at(1)).await;
    let card = f.db.owned_card(PARTNER, id).await.unwrap();
    assert_eq!(card.content.location, far.location);

    let moved = placed("Кофейня «Юг»", 12.238_8, 109.196_7);
    f.db.resubmit(PARTNER, id, &moved, at(2)).await.unwrap();
    let card = f.db.owned_card(PARTNER, id).await.unwrap();
    assert_eq!(card.content.location, moved.location, "replaced");

    decided(f, reject(id, at(3))).await;
    f.db.resubmit(PARTNER, id, &content("Кофейня «Юг»"), at(4))
        .await
        .unwrap();
    let card = f.db.owned_card(PARTNER, id).await.unwrap();
    assert_eq!(card.content.location, None, "cleared");
}

async fn published_places_are_the_public_cards_that_have_coordinates<P: Ports>(f: &Fixture<P>) {
    let published = card_with(
        f,
        PARTNER,
        &placed("Опубликована", 12.24, 109.19),
        CardStatus::Published,
        at(1),
    )
    .await;
    let legacy = card_with(
        f,
        PARTNER,
        &placed("Старая", 12.25, 109.2),
        CardStatus::Approved,
        at(2),
    )
    .await;
    for (n, status) in (3_i64..).zip([
        CardStatus::Pending,
        CardStatus::Rejected,
        CardStatus::Archived,
        CardStatus::Deleted,
    ]) {
        card_with(
            f,
            PARTNER,
            &placed("Не в каталоге", 12.3, 109.3),
            status,
            at(n),
        )
        .await;
    }
    card_with(
        f,
        PARTNER,
        &content("Без точки"),
        CardStatus::Published,
        at(9),
    )
    .await;

    let mut places = f.db.published_places().await.unwrap();
    places.sort_by_key(|place| place.id.get());
    let seen: Vec<(i64, &str, Coordinates)> = places
        .iter()
        .map(|place| (place.id.get(), place.title.as_str(), place.location))
        .collect();
    assert_eq!(
        seen,
        [
            (
                published.get(),
                "Опубликована",
                Coordinates::new(12.24, 109.19).unwrap()
            ),
            (
                legacy.get(),
                "Старая",
                Coordinates::new(12.25, 109.2).unwrap()
            ),
        ]
    );
}
