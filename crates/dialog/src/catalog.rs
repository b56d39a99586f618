//! The catalog: city → category → subcategory → list → card.

use vitrina_cards::{
    CardId, CatalogFilter, CategoryId, CityId, PageRequest, RepositoryError, SubcategoryId,
};
use vitrina_i18n::Arg;

use crate::callback::Callback;
use crate::dialog::{Conversation, DialogPorts, Flow, Turn};
use crate::io::InlineButton;
use crate::render::{self, labelled, number};
use crate::text::RichText;

impl<P: DialogPorts> Conversation<'_, P> {
    /// The catalog from the menu: the remembered city's categories, or the city picker.
    pub(crate) async fn catalog_entry(&self, turn: &mut Turn) -> Flow {
        match turn
            .user
            .city
            .filter(|city| self.settings.reference.city(*city).is_some())
        {
            Some(city) => self.catalog_categories(turn, city).await,
            None => self.catalog_cities(turn),
        }
    }

    pub(crate) fn catalog_cities(&self, turn: &mut Turn) -> Flow {
        let words = self.words(turn.locale);
        let buttons: Vec<InlineButton> = self
            .settings
            .reference
            .cities()
            .iter()
            .map(|city| labelled(words.t(&city.key), Callback::CatalogCity(city.id)))
            .collect();
        let rows = buttons.chunks(2).map(<[InlineButton]>::to_vec).collect();
        turn.show(RichText::plain(words.t("catalog-choose-city")), rows);
        Ok(())
    }

    pub(crate) async fn catalog_city(&self, turn: &mut Turn, city: CityId) -> Flow {
        if self.settings.reference.city(city).is_none() {
            return Err(RepositoryError::NotFound);
        }
        // A write only when it changes something: most people pick the city they had.
        if turn.user.city != Some(city) {
            self.store.set_city(turn.person.id, city).await?;
            turn.user.city = Some(city);
        }
        self.catalog_categories(turn, city).await
    }

    async fn catalog_categories(&self, turn: &mut Turn, city: CityId) -> Flow {
        let counts = self.store.category_counts(city).await?;
        let words = self.words(turn.locale);
        let mut rows: Vec<Vec<InlineButton>> = self
            .settings
            .reference
            .categories()
            .iter()
            .map(|category| {
                let count = counts
                    .iter()
                    .find(|(id, _)| *id == category.id)
                    .map_or(0, |(_, count)| *count);
                let label = words.tw(
                    "catalog-category-count",
                    &[
                        ("name", Arg::from(words.t(&category.key))),
                        ("count", number(count)),
                    ],
                );
                vec![labelled(label, Callback::CatalogCategory(category.id))]
            })
            .collect();
        rows.push(vec![words.inline("btn-search", Callback::SearchAsk)]);
        rows.push(vec![words.inline("btn-nearby", Callback::Nearby)]);
        rows.push(vec![
            words.inline("btn-change-city", Callback::CatalogCities),
        ]);
        let city_name = render::city_name(words, city);
        let text = words.tw("catalog-choose-category", &[("city", Arg::from(city_name))]);
        turn.show(RichText::plain(text), rows);
        Ok(())
    }

    pub(crate) async fn catalog_category(&self, turn: &mut Turn, category: CategoryId) -> Flow {
        let Some(found) = self.settings.reference.category(category) else {
            return Err(RepositoryError::NotFound);
        };
        let Some(city) = turn.user.city else {
            return self.catalog_cities(turn);
        };
        // A category without subcategories, or with nothing published, goes straight to its
        // list: a choice of subcategories would lead nowhere. Only the second needs counting.
        let leads_nowhere = found.subcategories.is_empty()
            || !self
                .store
                .category_counts(city)
                .await?
                .iter()
                .any(|(id, count)| *id == category && *count > 0);
        if leads_nowhere {
            return self.catalog_page(turn, category, None, 1).await;
        }
        let words = self.words(turn.locale);
        let all = words.inline(
            "btn-all-subcategories",
            Callback::CatalogPage {
                category,
                subcategory: None,
                page: 1,
            },
        );
        let mut rows = vec![vec![all]];
        rows.extend(found.subcategories.iter().map(|sub| {
            vec![labelled(
                words.t(&sub.key),
                Callback::CatalogPage {
                    category,
                    subcategory: Some(sub.id),
                    page: 1,
                },
            )]
        }));
        rows.push(vec![
            words.inline("btn-back-to-categories", Callback::CatalogCity(city)),
        ]);
        let text = words.tw(
            "catalog-choose-subcategory",
            &[
                ("city", Arg::from(render::city_name(words, city))),
                (
                    "category",
                    Arg::from(render::category_name(words, category)),
                ),
            ],
        );
        turn.show(RichText::plain(text), rows);
        Ok(())
    }

    pub(crate) async fn catalog_page(
        &self,
        turn: &mut Turn,
        category: CategoryId,
        subcategory: Option<SubcategoryId>,
        page: u32,
    ) -> Flow {
        let Some(city) = turn.user.city else {
            return self.catalog_cities(turn);
        };
        if self.settings.reference.category(category).is_none() {
            return Err(RepositoryError::NotFound);
        }
        let filter = CatalogFilter {
            city,
            category,
            subcategory,
            title_contains: None,
        };
        let request = PageRequest::new(page, self.settings.page_size);
        let listing = self.store.catalog(&filter, request).await?;
        let words = self.words(turn.locale);
        // "Back to categories" means the categories, from a subcategory's list too.
        let back = Callback::CatalogCity(city);
        let mut heading = render::category_name(words, category);
        if let Some(sub) = subcategory {
            heading = format!("{heading} · {}", render::subcategory_name(words, sub));
        }
        if listing.items.is_empty() {
            let text = RichText::plain(words.t("catalog-empty"));
            turn.show(
                text,
                vec![vec![words.inline("btn-back-to-categories", back)]],
            );
            return Ok(());
        }
        let page = listing.page;
        let title = words.tw(
            "catalog-list",
            &[
                ("city", Arg::from(render::city_name(words, city))),
                ("category", Arg::from(heading)),
                ("page", number(u64::from(page.number))),
                ("pages", number(u64::from(page.count))),
            ],
        );
        let mut rows: Vec<Vec<InlineButton>> = listing
            .items
            .iter()
            .map(|card| {
                let open = Callback::CatalogCard {
                    card: card.id,
                    category,
                    subcategory,
                    page: page.number,
                };
                render::card_row(words, card, open)
            })
            .collect();
        if page.count > 1 {
            rows.push(render::pager(words, page, |page| Callback::CatalogPage {
                category,
                subcategory,
                page,
            }));
        }
        rows.push(vec![words.inline("btn-back-to-categories", back)]);
        turn.show(RichText::plain(title), rows);
        Ok(())
    }

    pub(crate) async fn catalog_card(
        &self,
        turn: &mut Turn,
        id: CardId,
        category: CategoryId,
        subcategory: Option<SubcategoryId>,
        page: u32,
    ) -> Flow {
        let card = self
            .store
            .card(id)
            .await?
            .filter(|card| card.status.is_public());
        let Some(card) = card else {
            return Err(RepositoryError::NotFound);
        };
        let words = self.words(turn.locale);
        let back = words.inline(
            "btn-back-to-list",
            Callback::CatalogPage {
                category,
                subcategory,
                page,
            },
        );
        self.show_public_card(turn, &card, Some(back));
        Ok(())
    }
}
