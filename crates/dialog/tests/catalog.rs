//! The catalog as the dialog shows it: a city, then its categories with the number of
//! published cards, then a subcategory filter with *All* first, then a list of 5 a page whose
//! Back / Forward edit the same message, then a card with its photos, text and map button. The
//! chosen city is remembered and can be changed; only published cards are ever counted, listed
//! or opened. The dialog runs on its in-memory ports: no database, no Bot API.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::{ChatMessage, MessageKind, World};
use vitrina_cards::{
    Address, AreaId, CardAction, CardContent, CardId, CardRepository, CategoryId, CityId, Contact,
    Description, Discount, MapLink, PhotoId, SubcategoryId, Timestamp, Title, UserId,
};
use vitrina_dialog::{Callback, ChatId, Dialog, Effect, Incoming, Input, MessageId, Settings};
use vitrina_i18n::{Arg, Locale};
use vitrina_moderation::{
    Decision, ModerationRepository, RejectionReason, StandardReason, Verdict,
};

const ADMIN: i64 = 900;
/// The partner who owns every card of the catalog.
const OWNER: i64 = 500;
/// A visitor who sends the photos the cards show, so that their file ids exist.
const PHOTOGRAPHER: i64 = 501;

const NHA_TRANG: CityId = CityId(1);
const DA_NANG: CityId = CityId(2);
const RESTAURANTS: CategoryId = CategoryId(1);
const SPA: CategoryId = CategoryId(2);
const HOTELS: CategoryId = CategoryId(4);
const SHOPS: CategoryId = CategoryId(5);
const ASIAN: SubcategoryId = SubcategoryId(101);
const EUROPEAN: SubcategoryId = SubcategoryId(102);
const MASSAGE: SubcategoryId = SubcategoryId(201);

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN)],
        ..Settings::default()
    }
}

scenarios!(
    categories_count_only_published_cards_of_the_chosen_city,
    a_category_lists_five_a_page_newest_first_and_pages_in_place,
    the_subcategory_filter_offers_all_first_and_narrows_the_list,
    a_card_shows_its_photos_text_and_map_button,
    the_chosen_city_is_remembered_and_can_be_changed,
    cards_that_are_not_published_are_never_listed_or_opened,
    the_way_back_and_the_subcategory_picker_in_every_locale,
);

async fn run<F>(scenario: F)
where
    F: AsyncFnOnce(&World, &Seeded),
{
    let world = World::start(settings());
    let seeded = seed(&world).await;
    scenario(&world, &seeded).await;
    world.stop().await;
}

// ---------------------------------------------------------------------------------------------
// The catalog's cards

/// What a card becomes after it is submitted.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Published,
    Pending,
    Rejected,
    /// Published, then hidden by its partner.
    Archived,
    Deleted,
}

struct Seeded {
    /// The spa card with everything: photos, area, address, map link, discount.
    spa: CardId,
    spa_photos: Vec<PhotoId>,
    /// Cards of every fate but published, by title.
    hidden: Vec<(&'static str, CardId)>,
}

/// The published restaurants of Nha Trang, oldest first.
const NHA_TRANG_RESTAURANTS: [(&str, SubcategoryId); 7] = [
    ("Asian One", ASIAN),
    ("European One", EUROPEAN),
    ("Asian Two", ASIAN),
    ("European Two", EUROPEAN),
    ("Asian Three", ASIAN),
    ("European Three", EUROPEAN),
    ("Asian Four", ASIAN),
];

fn content(
    city: CityId,
    category: CategoryId,
    sub: Option<SubcategoryId>,
    title: &str,
) -> CardContent {
    CardContent {
        city,
        area: None,
        category,
        subcategory: sub,
        title: Title::parse(title).unwrap(),
        description: None,
        contact: Contact::parse("+84 905 123 456").unwrap(),
        address: None,
        map_link: None,
        photos: Vec::new(),
        discount: None,
        location: None,
    }
}

async fn add(world: &World, card: &CardContent, at: i64, fate: Fate) -> CardId {
    let owner = UserId(OWNER);
    let id = world
        .ports
        .submit_new(owner, card, Timestamp(at))
        .await
        .unwrap();
    let verdict = match fate {
        Fate::Pending => return id,
        Fate::Rejected => Verdict::Reject(RejectionReason::Standard(StandardReason::Incomplete)),
        Fate::Published | Fate::Archived | Fate::Deleted => Verdict::Approve,
    };
    let decision = Decision::new(id, UserId(ADMIN), verdict, Timestamp(at + 1));
    world.ports.decide(&decision).await.unwrap();
    let action = match fate {
        Fate::Archived => CardAction::Hide,
        Fate::Deleted => CardAction::Delete,
        _ => return id,
    };
    world
        .ports
        .apply_partner_action(owner, id, action, Timestamp(at + 2))
        .await
        .unwrap();
    id
}

/// Nha Trang: 7 restaurants (4 Asian, 3 European), a spa, a shop, and in the same city and
/// categories one card of every other fate; hotels have only a pending card. Da Nang: 2
/// restaurants.
async fn seed(world: &World) -> Seeded {
    let spa_photos = vec![
        world.photo(PHOTOGRAPHER).await,
        world.photo(PHOTOGRAPHER).await,
    ];

    let mut at = 1_000;
    for (title, sub) in NHA_TRANG_RESTAURANTS {
        at += 1_000;
        let card = content(NHA_TRANG, RESTAURANTS, Some(sub), title);
        add(world, &card, at, Fate::Published).await;
    }
    let spa = CardContent {
        area: Some(AreaId(101)),
        description: Some(Description::parse("Hot stones & herbal steam, 9:00–21:00").unwrap()),
        address: Some(Address::parse("12 Tran Phu, Nha Trang").unwrap()),
        map_link: Some(MapLink::parse("https://maps.example.com/?q=lotus+spa").unwrap()),
        photos: spa_photos.clone(),
        discount: Some(Discount::parse("10% for Vitrina users").unwrap()),
        ..content(NHA_TRANG, SPA, Some(MASSAGE), "Lotus Spa")
    };
    let spa = add(world, &spa, 20_000, Fate::Published).await;
    add(
        world,
        &content(NHA_TRANG, SHOPS, None, "Corner Shop"),
        21_000,
        Fate::Published,
    )
    .await;
    for (title, sub) in [
        ("Da Nang Asian", ASIAN),
        ("Da Nang Street", SubcategoryId(103)),
    ] {
        let card = content(DA_NANG, RESTAURANTS, Some(sub), title);
        add(world, &card, 22_000, Fate::Published).await;
    }

    let mut hidden = Vec::new();
    let others = [
        ("Pending Noodles", RESTAURANTS, Some(ASIAN), Fate::Pending),
        ("Rejected Noodles", RESTAURANTS, Some(ASIAN), Fate::Rejected),
        ("Archived Noodles", RESTAURANTS, Some(ASIAN), Fate::Archived),
        ("Deleted Noodles", RESTAURANTS, Some(ASIAN), Fate::Deleted),
        ("Pending Massage", SPA, Some(MASSAGE), Fate::Pending),
        ("Pending Hotel", HOTELS, None, Fate::Pending),
    ];
    for (title, category, sub, fate) in others {
        // Newer than every published card, so that a leak would top the first page.
        let card = content(NHA_TRANG, category, sub, title);
        hidden.push((title, add(world, &card, 30_000, fate).await));
    }
    Seeded {
        spa,
        spa_photos,
        hidden,
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the screens

const USER: i64 = 2000;

fn category_label(world: &World, locale: Locale, key: &str, count: i64) -> String {
    world.tw(
        locale,
        "catalog-category-count",
        &[
            ("name", Arg::from(world.t(locale, key))),
            ("count", Arg::Number(count)),
        ],
    )
}

fn view_label(world: &World, locale: Locale, title: &str) -> String {
    world.tw(locale, "btn-view-card", &[("title", Arg::from(title))])
}

fn list_heading(
    world: &World,
    locale: Locale,
    city: &str,
    category: &str,
    page: i64,
    pages: i64,
) -> String {
    world.tw(
        locale,
        "catalog-list",
        &[
            ("city", Arg::from(world.t(locale, city))),
            ("category", Arg::from(category)),
            ("page", Arg::Number(page)),
            ("pages", Arg::Number(pages)),
        ],
    )
}

fn message(world: &World, user: i64, id: i32) -> ChatMessage {
    world.chat(user).message(id).cloned().unwrap()
}

/// Opens the catalog from the menu and chooses a city; returns the catalog message's id.
async fn open_city(world: &World, locale: Locale, city: &str) -> i32 {
    world.onboard(USER, locale).await;
    world.reply_key(USER, locale, "btn-catalog").await;
    let picker = world.last(USER);
    assert_eq!(picker.body(), world.t(locale, "catalog-choose-city"));
    world.inline(USER, &world.t(locale, city)).await;
    picker.message_id
}

/// Presses the button at (`row`, `column`) of a message: for the screens where two buttons
/// share a label.
async fn press_at(world: &World, id: i32, row: usize, column: usize) {
    let data = message(world, USER, id).inline_keyboard[row][column]
        .callback_data
        .clone()
        .unwrap();
    world.send_callback(USER, id, &data).await;
}

/// The effects of `user` pressing the button with `data` on message `id`, from a second
/// instance of the dialog over the same ports; the world's chats do not change.
async fn press_effects(world: &World, user: i64, id: i32, data: &str) -> Vec<Effect> {
    let incoming = Incoming {
        from: world.person(user),
        chat: ChatId(user),
        input: Input::Callback {
            id: "probe".to_owned(),
            message: Some(MessageId(i64::from(id))),
            data: data.to_owned(),
        },
    };
    Dialog::new(world.catalog.clone(), settings())
        .handle(&world.ports, incoming, world.now())
        .await
        .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Scenarios

async fn categories_count_only_published_cards_of_the_chosen_city(world: &World, _: &Seeded) {
    let locale = Locale::Vi;
    world.onboard(USER, locale).await;
    world.reply_key(USER, locale, "btn-catalog").await;
    let picker = world.last(USER);
    let cities = [
        "city-nha-trang",
        "city-da-nang",
        "city-ho-chi-minh-city",
        "city-phu-quoc",
    ]
    .map(|key| world.t(locale, key));
    assert_eq!(
        picker.button_labels(),
        cities.each_ref().map(String::as_str)
    );

    world.inline(USER, &cities[0]).await;
    let screen = message(world, USER, picker.message_id);
    let heading = world.tw(
        locale,
        "catalog-choose-category",
        &[("city", Arg::from(cities[0].as_str()))],
    );
    assert_eq!(screen.body(), heading);
    let expected = [
        category_label(world, locale, "category-restaurants", 7),
        category_label(world, locale, "category-spa", 1),
        category_label(world, locale, "category-transport", 0),
        category_label(world, locale, "category-hotels", 0),
        category_label(world, locale, "category-shops", 1),
        category_label(world, locale, "category-tours", 0),
        world.t(locale, "btn-search"),
        world.t(locale, "btn-nearby"),
        world.t(locale, "btn-change-city"),
    ];
    assert_eq!(
        screen.button_labels(),
        expected.each_ref().map(String::as_str)
    );
    assert!(screen.edited, "the picker became the categories: {screen}");
}

async fn a_category_lists_five_a_page_newest_first_and_pages_in_place(world: &World, _: &Seeded) {
    let locale = Locale::En;
    let id = open_city(world, locale, "city-nha-trang").await;
    world
        .inline(
            USER,
            &category_label(world, locale, "category-restaurants", 7),
        )
        .await;
    world
        .inline_key(USER, locale, "btn-all-subcategories")
        .await;

    let restaurants = world.t(locale, "category-restaurants");
    let newest_first: Vec<&str> = NHA_TRANG_RESTAURANTS
        .iter()
        .rev()
        .map(|(t, _)| *t)
        .collect();
    let check_page = |page: i64, titles: &[&str], pager: bool| {
        let screen = message(world, USER, id);
        assert_eq!(
            screen.body(),
            list_heading(world, locale, "city-nha-trang", &restaurants, page, 2)
        );
        let mut expected: Vec<String> = titles
            .iter()
            .map(|t| view_label(world, locale, t))
            .collect();
        if pager {
            expected.extend([
                world.t(locale, "btn-page-back"),
                format!("{page}/2"),
                world.t(locale, "btn-page-forward"),
                world.t(locale, "btn-refresh"),
            ]);
        }
        expected.push(world.t(locale, "btn-back-to-categories"));
        assert_eq!(screen.button_labels(), expected, "{screen}");
    };
    check_page(1, &newest_first[..5], true);
    let messages = world.chat(USER).bot_messages().count();

    // The pager's Back on the first page: a short toast, nothing changes.
    let pager_row = 5;
    let toast = |key: &str| {
        let answer = world.last_answer(USER).unwrap();
        assert_eq!(
            (answer.text, answer.show_alert),
            (Some(world.t(locale, key)), false)
        );
    };
    press_at(world, id, pager_row, 0).await;
    toast("page-first");
    check_page(1, &newest_first[..5], true);

    world.inline_key(USER, locale, "btn-page-forward").await;
    check_page(2, &newest_first[5..], true);
    // Forward on the last page: a short toast, nothing changes.
    world.inline_key(USER, locale, "btn-page-forward").await;
    toast("page-last");
    check_page(2, &newest_first[5..], true);
    // The pager's Back (the first of the two Back buttons) goes to page 1.
    let pager_row = 2;
    press_at(world, id, pager_row, 0).await;
    check_page(1, &newest_first[..5], true);
    world.inline_key(USER, locale, "btn-refresh").await;
    check_page(1, &newest_first[..5], true);
    assert_eq!(
        world.chat(USER).bot_messages().count(),
        messages,
        "paging edits the list, it sends nothing new"
    );

    // The last Back returns to the categories, as it says.
    let back_row = message(world, USER, id).inline_keyboard.len() - 1;
    press_at(world, id, back_row, 0).await;
    assert_eq!(
        message(world, USER, id).body(),
        world.tw(
            locale,
            "catalog-choose-category",
            &[("city", Arg::from(world.t(locale, "city-nha-trang")))]
        )
    );
}

async fn the_subcategory_filter_offers_all_first_and_narrows_the_list(world: &World, _: &Seeded) {
    let locale = Locale::Ko;
    let t = |key: &str| world.t(locale, key);
    let id = open_city(world, locale, "city-nha-trang").await;
    world
        .inline(
            USER,
            &category_label(world, locale, "category-restaurants", 7),
        )
        .await;
    let filter = message(world, USER, id);
    // The picker names the city and the category it narrows.
    let picker = world.tw(
        locale,
        "catalog-choose-subcategory",
        &[
            ("city", Arg::from(t("city-nha-trang"))),
            ("category", Arg::from(t("category-restaurants"))),
        ],
    );
    assert_eq!(filter.body(), picker);
    let expected = [
        t("btn-all-subcategories"),
        t("subcategory-restaurants-asian"),
        t("subcategory-restaurants-european"),
        t("subcategory-restaurants-street-food"),
        t("subcategory-restaurants-vegetarian"),
        t("btn-back-to-categories"),
    ];
    assert_eq!(
        filter.button_labels(),
        expected.each_ref().map(String::as_str)
    );

    // One subcategory: only its cards, one page, no pager.
    world
        .inline(USER, &t("subcategory-restaurants-asian"))
        .await;
    let heading = format!(
        "{} · {}",
        t("category-restaurants"),
        t("subcategory-restaurants-asian")
    );
    let list = message(world, USER, id);
    assert_eq!(
        list.body(),
        list_heading(world, locale, "city-nha-trang", &heading, 1, 1)
    );
    let titles = ["Asian Four", "Asian Three", "Asian Two", "Asian One"];
    let mut expected: Vec<String> = titles
        .iter()
        .map(|t| view_label(world, locale, t))
        .collect();
    expected.push(t("btn-back-to-categories"));
    assert_eq!(list.button_labels(), expected, "{list}");

    // An empty subcategory says so and offers the way back, to the categories.
    world
        .inline_key(USER, locale, "btn-back-to-categories")
        .await;
    let categories = world.tw(
        locale,
        "catalog-choose-category",
        &[("city", Arg::from(t("city-nha-trang")))],
    );
    assert_eq!(message(world, USER, id).body(), categories);
    world
        .inline(
            USER,
            &category_label(world, locale, "category-restaurants", 7),
        )
        .await;
    world
        .inline(USER, &t("subcategory-restaurants-vegetarian"))
        .await;
    let empty = message(world, USER, id);
    assert_eq!(empty.body(), t("catalog-empty"));
    assert_eq!(empty.button_labels(), vec![t("btn-back-to-categories")]);

    // A category without subcategories goes straight to its list.
    world
        .inline_key(USER, locale, "btn-back-to-categories")
        .await;
    world
        .inline(USER, &category_label(world, locale, "category-shops", 1))
        .await;
    let shops = message(world, USER, id);
    assert_eq!(
        shops.body(),
        list_heading(world, locale, "city-nha-trang", &t("category-shops"), 1, 1)
    );
    assert_eq!(
        shops.button_labels(),
        vec![
            view_label(world, locale, "Corner Shop"),
            t("btn-back-to-categories")
        ]
    );
}

async fn a_card_shows_its_photos_text_and_map_button(world: &World, seeded: &Seeded) {
    let locale = Locale::En;
    let t = |key: &str| world.t(locale, key);
    let id = open_city(world, locale, "city-nha-trang").await;
    world
        .inline(USER, &category_label(world, locale, "category-spa", 1))
        .await;
    world
        .inline_key(USER, locale, "btn-all-subcategories")
        .await;
    let before = world.chat(USER).messages.len();
    world
        .inline(USER, &view_label(world, locale, "Lotus Spa"))
        .await;

    // The photos as an album, then the text with the buttons.
    let chat = world.chat(USER);
    let new: Vec<&ChatMessage> = chat.messages[before..]
        .iter()
        .filter(|m| m.from_bot)
        .collect();
    let [first, second, text] = new[..] else {
        panic!("photos then text expected: {chat}");
    };
    let shown: Vec<PhotoId> = [first, second]
        .map(|m| PhotoId(m.file_id.clone().unwrap()))
        .to_vec();
    assert_eq!(shown, seeded.spa_photos);
    // As one album: a single effect carries both photos, before the text.
    let list = message(world, USER, id);
    let view = list
        .button(&view_label(world, locale, "Lotus Spa"))
        .and_then(|button| button.callback_data.clone())
        .unwrap();
    let effects = press_effects(world, USER, list.message_id, &view).await;
    let sent: Vec<&Effect> = effects
        .iter()
        .filter(|effect| !matches!(effect, Effect::AnswerCallback { .. }))
        .collect();
    match sent[..] {
        [
            Effect::SendPhotos { chat, photos },
            Effect::Send { text: again, .. },
        ] => {
            assert_eq!((chat.0, photos), (USER, &seeded.spa_photos));
            assert_eq!(again.to_plain(), text.body());
        }
        _ => panic!("one album then the text expected: {effects:?}"),
    }

    let body = text.body();
    let lines = [
        "Lotus Spa".to_owned(),
        format!("{} · {}", t("category-spa"), t("subcategory-spa-massage")),
        "Hot stones & herbal steam, 9:00–21:00".to_owned(),
        world.tw(
            locale,
            "card-field-area",
            &[(
                "area",
                Arg::from(format!(
                    "{}, {}",
                    t("city-nha-trang"),
                    t("area-nha-trang-centre")
                )),
            )],
        ),
        world.tw(
            locale,
            "card-field-address",
            &[("address", Arg::from("12 Tran Phu, Nha Trang"))],
        ),
        world.tw(
            locale,
            "card-field-contact",
            &[("contact", Arg::from("+84 905 123 456"))],
        ),
        world.tw(
            locale,
            "card-field-discount",
            &[("discount", Arg::from("10% for Vitrina users"))],
        ),
    ];
    for line in &lines {
        assert!(body.lines().any(|l| l == line), "{line:?} in {text}");
    }
    assert!(body.starts_with("Lotus Spa"), "{text}");
    let map = text.button(&t("btn-map")).unwrap();
    assert_eq!(
        (map.url.as_deref(), map.callback_data.as_deref()),
        (Some("https://maps.example.com/?q=lotus+spa"), None)
    );
    assert!(text.button(&t("btn-back-to-list")).is_some(), "{text}");

    // Back to the list it came from; a card without a link has no map button.
    world.inline_key(USER, locale, "btn-back-to-list").await;
    let list = message(world, USER, text.message_id);
    assert!(
        list.button_labels()
            .contains(&&*view_label(world, locale, "Lotus Spa")),
        "{list}"
    );
    assert_eq!(message(world, USER, id).body(), list.body());
    world
        .inline_key(USER, locale, "btn-back-to-categories")
        .await;
    world
        .inline_key(USER, locale, "btn-back-to-categories")
        .await;
    world
        .inline(USER, &category_label(world, locale, "category-shops", 1))
        .await;
    world
        .inline(USER, &view_label(world, locale, "Corner Shop"))
        .await;
    let shop = world.last(USER);
    assert!(shop.body().starts_with("Corner Shop"), "{shop}");
    assert_eq!(shop.button_labels(), vec![t("btn-back-to-list")]);
    assert_eq!(shop.kind, MessageKind::Text);
}

async fn the_chosen_city_is_remembered_and_can_be_changed(world: &World, _: &Seeded) {
    let locale = Locale::Ru;
    let t = |key: &str| world.t(locale, key);
    let categories_of = |city: &str| {
        world.tw(
            locale,
            "catalog-choose-category",
            &[("city", Arg::from(t(city)))],
        )
    };
    open_city(world, locale, "city-nha-trang").await;
    assert_eq!(world.profile(USER).await.city, Some(NHA_TRANG));

    // The next Catalog opens that city's categories at once, as a new message.
    world.command(USER, "menu").await;
    world.reply_key(USER, locale, "btn-catalog").await;
    let screen = world.last(USER);
    assert_eq!(screen.body(), categories_of("city-nha-trang"));

    // Change city: the picker in the same message, then the other city's counts.
    world.inline_key(USER, locale, "btn-change-city").await;
    assert_eq!(
        message(world, USER, screen.message_id).body(),
        t("catalog-choose-city")
    );
    world.inline(USER, &t("city-da-nang")).await;
    let screen = message(world, USER, screen.message_id);
    assert_eq!(screen.body(), categories_of("city-da-nang"));
    assert_eq!(
        screen.button_labels()[..2],
        [
            category_label(world, locale, "category-restaurants", 2),
            category_label(world, locale, "category-spa", 0),
        ]
    );
    assert_eq!(world.profile(USER).await.city, Some(DA_NANG));
    world.command(USER, "catalog").await;
    assert_eq!(world.last(USER).body(), categories_of("city-da-nang"));
}

async fn cards_that_are_not_published_are_never_listed_or_opened(world: &World, seeded: &Seeded) {
    let locale = Locale::En;
    let id = open_city(world, locale, "city-nha-trang").await;
    // Every list that could hold them: all restaurants (both pages), Asian, spa, hotels.
    world
        .inline(
            USER,
            &category_label(world, locale, "category-restaurants", 7),
        )
        .await;
    world
        .inline_key(USER, locale, "btn-all-subcategories")
        .await;
    world.inline_key(USER, locale, "btn-page-forward").await;
    let mut seen: Vec<String> = Vec::new();
    let mut look = |world: &World| seen.push(message(world, USER, id).to_string());
    look(world);
    press_at(world, id, 2, 0).await;
    look(world);
    let back = message(world, USER, id).inline_keyboard.len() - 1;
    press_at(world, id, back, 0).await;
    world
        .inline(
            USER,
            &category_label(world, locale, "category-restaurants", 7),
        )
        .await;
    world
        .inline(USER, &world.t(locale, "subcategory-restaurants-asian"))
        .await;
    look(world);
    world
        .inline_key(USER, locale, "btn-back-to-categories")
        .await;
    world
        .inline(USER, &category_label(world, locale, "category-spa", 1))
        .await;
    world
        .inline_key(USER, locale, "btn-all-subcategories")
        .await;
    look(world);
    world
        .inline_key(USER, locale, "btn-back-to-categories")
        .await;
    // A category with nothing published goes straight to its empty list, without a choice
    // of subcategories that would lead nowhere.
    world
        .inline(USER, &category_label(world, locale, "category-hotels", 0))
        .await;
    look(world);
    assert_eq!(
        message(world, USER, id).body(),
        world.t(locale, "catalog-empty")
    );
    for (title, _) in &seeded.hidden {
        for screen in &seen {
            assert!(!screen.contains(title), "{title} listed: {screen}");
        }
    }

    // A forged button for such a card is "not found", and shows nothing of it.
    for (title, card) in &seeded.hidden {
        let data = Callback::CatalogCard {
            card: *card,
            category: RESTAURANTS,
            subcategory: None,
            page: 1,
        }
        .encode();
        let before = world.chat(USER).messages.len();
        world.send_callback(USER, id, &data).await;
        let chat = world.chat(USER);
        let answer = world.last_answer(USER).unwrap();
        assert_eq!(answer.text, Some(world.t(locale, "not-found")), "{title}");
        assert_eq!(chat.messages.len(), before, "{title}: {chat}");
        assert!(!chat.to_string().contains(title), "{title}: {chat}");
    }
    // The published spa opens the same way.
    let data = Callback::CatalogCard {
        card: seeded.spa,
        category: SPA,
        subcategory: None,
        page: 1,
    }
    .encode();
    world.send_callback(USER, id, &data).await;
    assert!(world.last(USER).body().starts_with("Lotus Spa"));
}

/// In every locale: the subcategory picker names its city and category, "Back to
/// categories" from a list leads to the categories, and a category with nothing published goes
/// straight to its empty list.
async fn the_way_back_and_the_subcategory_picker_in_every_locale(world: &World, _: &Seeded) {
    for (n, locale) in Locale::ALL.into_iter().enumerate() {
        let user = 2100 + n as i64;
        let t = |key: &str| world.t(locale, key);
        world.onboard(user, locale).await;
        world.reply_key(user, locale, "btn-catalog").await;
        let id = world.last(user).message_id;
        world.inline(user, &t("city-nha-trang")).await;
        let categories = world.tw(
            locale,
            "catalog-choose-category",
            &[("city", Arg::from(t("city-nha-trang")))],
        );
        assert_eq!(message(world, user, id).body(), categories);

        world
            .inline(
                user,
                &category_label(world, locale, "category-restaurants", 7),
            )
            .await;
        let picker = world.tw(
            locale,
            "catalog-choose-subcategory",
            &[
                ("city", Arg::from(t("city-nha-trang"))),
                ("category", Arg::from(t("category-restaurants"))),
            ],
        );
        assert_eq!(message(world, user, id).body(), picker);
        world
            .inline(user, &t("subcategory-restaurants-asian"))
            .await;
        world
            .inline_key(user, locale, "btn-back-to-categories")
            .await;
        assert_eq!(message(world, user, id).body(), categories);

        world
            .inline(user, &category_label(world, locale, "category-hotels", 0))
            .await;
        let empty = message(world, user, id);
        assert_eq!(empty.body(), t("catalog-empty"));
        world
            .inline_key(user, locale, "btn-back-to-categories")
            .await;
        assert_eq!(message(world, user, id).body(), categories);
    }
}
