//! Places: *Nearby* in the catalog (the person's location asked with a `request_location`
//! button, the published cards with coordinates listed by distance) and a card sent as a
//! venue.

use vitrina_cards::{CardId, Coordinates, PageRequest, RepositoryError, nearest};
use vitrina_i18n::Arg;

use crate::callback::{Callback, NearPoint};
use crate::dialog::{Conversation, DialogPorts, Flow, Turn};
use crate::io::{Effect, InlineButton, Keyboard, MapPoint, ReplyButton, ReplyRequest};
use crate::render::{self, labelled, number};
use crate::text::RichText;

fn near_point(place: Coordinates) -> NearPoint {
    let (latitude, longitude) = place.to_micro();
    NearPoint {
        latitude,
        longitude,
    }
}

/// A distance as people read it: metres under a kilometre, then kilometres with one decimal
/// under ten, whole kilometres beyond.
fn distance_label(metres: f64) -> String {
    // 995 m and more would round to "1000 m": from there it is kilometres.
    if metres < 995.0 {
        format!("{} m", (metres / 10.0).round() * 10.0)
    } else if metres < 10_000.0 {
        format!("{:.1} km", metres / 1000.0)
    } else {
        format!("{:.0} km", metres / 1000.0)
    }
}

impl<P: DialogPorts> Conversation<'_, P> {
    /// *📍 Nearby*: asks for the location with a reply keyboard whose button sends it.
    pub(crate) fn nearby_ask(&self, turn: &mut Turn) -> Flow {
        let words = self.words(turn.locale);
        turn.answer(None, false);
        let keyboard = Keyboard::ReplyRequesting(vec![
            vec![ReplyButton::asking(
                words.t("btn-share-location"),
                ReplyRequest::Location,
            )],
            vec![ReplyButton::text(
                words.button(vitrina_i18n::Button::MainMenu),
            )],
        ]);
        turn.send(RichText::plain(words.t("places-nearby-ask")), keyboard);
        Ok(())
    }

    /// A location sent outside the wizard: the nearest places. The location keyboard gives
    /// way to the main menu first, then the list comes as a screen of its own.
    pub(crate) async fn nearby_from_location(&self, turn: &mut Turn, from: Coordinates) -> Flow {
        self.main_menu(turn, "places-nearby-thanks").await?;
        self.nearby_page(turn, near_point(from), 1).await
    }

    /// A page of the places nearest to `from`, in place of the pressed message or anew.
    pub(crate) async fn nearby_page(&self, turn: &mut Turn, from: NearPoint, page: u32) -> Flow {
        let origin = Coordinates::from_micro(from.latitude, from.longitude)
            .map_err(|_| RepositoryError::NotFound)?;
        let places = self.store.published_places().await?;
        let listing = nearest(
            origin,
            places,
            PageRequest::new(page, self.settings.page_size),
        );
        let words = self.words(turn.locale);
        turn.answer(None, false);
        if listing.items.is_empty() {
            let rows = vec![vec![
                words.inline("btn-back-to-categories", Callback::CatalogCities),
            ]];
            turn.show(RichText::plain(words.t("places-nearby-empty")), rows);
            return Ok(());
        }
        let page = listing.page;
        let mut rows: Vec<Vec<InlineButton>> = listing
            .items
            .iter()
            .map(|nearby| {
                let title = render::listed_title(&nearby.place.title, nearby.place.featured);
                let label = words.tw(
                    "btn-nearby-card",
                    &[
                        ("title", Arg::from(title)),
                        ("distance", Arg::from(distance_label(nearby.metres))),
                    ],
                );
                vec![labelled(
                    label,
                    Callback::NearbyCard {
                        card: nearby.place.id,
                        from,
                        page: page.number,
                    },
                )]
            })
            .collect();
        if page.count > 1 {
            rows.push(render::pager(words, page, |page| Callback::NearbyPage {
                from,
                page,
            }));
        }
        let title = words.tw(
            "places-nearby-list",
            &[
                ("page", number(u64::from(page.number))),
                ("pages", number(u64::from(page.count))),
            ],
        );
        turn.show(RichText::plain(title), rows);
        Ok(())
    }

    /// A card opened from the *Nearby* list, with the way back to that page.
    pub(crate) async fn nearby_card(
        &self,
        turn: &mut Turn,
        id: CardId,
        from: NearPoint,
        page: u32,
    ) -> Flow {
        let card = self
            .store
            .card(id)
            .await?
            .filter(|card| card.status.is_public())
            .ok_or(RepositoryError::NotFound)?;
        let words = self.words(turn.locale);
        let back = words.inline("btn-back-to-list", Callback::NearbyPage { from, page });
        self.show_public_card(turn, &card, Some(back));
        Ok(())
    }

    /// *📍 Send as a place*: the card's place as a venue, for a published card or one's own.
    pub(crate) async fn send_venue(&self, turn: &mut Turn, id: CardId) -> Flow {
        let card = self
            .store
            .card(id)
            .await?
            .filter(|card| card.status.is_public() || card.owner == turn.person.id)
            .ok_or(RepositoryError::NotFound)?;
        let Some(place) = card.content.location else {
            return Err(RepositoryError::NotFound);
        };
        let words = self.words(turn.locale);
        // Telegram requires an address; the city (and area) stand in when the card has none.
        let address = match &card.content.address {
            Some(address) => address.as_str().to_owned(),
            None => {
                let mut area = render::city_name(words, card.content.city);
                if let Some(a) = card.content.area {
                    area = format!("{area}, {}", render::area_name(words, a));
                }
                area
            }
        };
        turn.answer(None, false);
        turn.effects.push(Effect::SendVenue {
            chat: turn.chat,
            point: MapPoint::of(place),
            title: card.content.title.as_str().to_owned(),
            address,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn distances_read_as_people_say_them() {
        let cases = [
            (0.0, "0 m"),
            (234.0, "230 m"),
            (999.0, "1.0 km"),
            (1_250.0, "1.2 km"),
            (9_940.0, "9.9 km"),
            (12_600.0, "13 km"),
        ];
        for (metres, expected) in cases {
            assert_eq!(super::distance_label(metres), expected, "{metres}");
        }
    }
}
