//! The catalog: only published (and legacy approved) cards of one city, category and
//! subcategory, featured first then newest; search in any script; counts per category.

use vitrina_cards::{
    CardContent, CardId, CardStatus, CatalogFilter, CategoryId, CityId, Description, SearchQuery,
    SubcategoryId,
};

use crate::given::card_with;
use crate::harness::{Fixture, Ports};
use crate::support::given::{PARTNER, at, content, page};

contract!(
    the_catalog_shows_only_public_cards_of_the_chosen_city_and_category,
    featured_cards_come_first_then_the_newest,
    the_catalog_orders_by_submission_not_by_the_last_change,
    the_catalog_pages_by_five,
    title_search_folds_case_in_every_script,
    category_counts_count_public_cards_of_the_city,
    word_search_finds_public_cards_of_every_city_by_title_and_description_without_marks,
);

fn filter(subcategory: Option<i64>, title: Option<&str>) -> CatalogFilter {
    CatalogFilter {
        city: CityId(1),
        category: CategoryId(1),
        subcategory: subcategory.map(SubcategoryId),
        title_contains: title.map(str::to_owned),
    }
}

fn placed(city: i64, category: i64, subcategory: Option<i64>, title: &str) -> CardContent {
    CardContent {
        city: CityId(city),
        category: CategoryId(category),
        subcategory: subcategory.map(SubcategoryId),
        ..content(title)
    }
}

async fn ids<P: Ports>(f: &Fixture<P>, filter: &CatalogFilter) -> Vec<CardId> {
    let listing = f.db.catalog(filter, page(1)).await.unwrap();
    listing.items.into_iter().map(|card| card.id).collect()
}

async fn the_catalog_shows_only_public_cards_of_the_chosen_city_and_category<P: Ports>(
    f: &Fixture<P>,
) {
    use CardStatus::*;
    let asian = placed(1, 1, Some(101), "Asian kitchen");
    let european = placed(1, 1, Some(102), "European kitchen");
    let published_asian = card_with(f, PARTNER, &asian, Published, at(1)).await;
    let legacy_asian = card_with(f, PARTNER, &asian, Approved, at(2)).await;
    let published_european = card_with(f, PARTNER, &european, Published, at(3)).await;
    for (n, status) in (10..).zip([Pending, Rejected, Archived, Deleted]) {
        card_with(f, PARTNER, &asian, status, at(n)).await;
    }
    card_with(
        f,
        PARTNER,
        &placed(2, 1, Some(101), "Da Nang kitchen"),
        Published,
        at(20),
    )
    .await;
    card_with(
        f,
        PARTNER,
        &placed(1, 2, Some(201), "Massage"),
        Published,
        at(21),
    )
    .await;

    assert_eq!(
        ids(f, &filter(None, None)).await,
        [published_european, legacy_asian, published_asian],
        "All: every public card of Nha Trang restaurants, newest first"
    );
    assert_eq!(
        ids(f, &filter(Some(101), None)).await,
        [legacy_asian, published_asian]
    );
    assert_eq!(ids(f, &filter(Some(102), None)).await, [published_european]);
    assert_eq!(ids(f, &filter(Some(103), None)).await, []);
    let listing =
        f.db.catalog(&filter(Some(101), None), page(1))
            .await
            .unwrap();
    let statuses: Vec<_> = listing
        .items
        .iter()
        .map(|card| card.status.shown())
        .collect();
    assert_eq!(
        statuses,
        [Published, Published],
        "legacy approved is shown as published"
    );
}

async fn featured_cards_come_first_then_the_newest<P: Ports>(f: &Fixture<P>) {
    let mut made = Vec::new();
    for n in 0..4 {
        let card = content(&format!("Card number {n}"));
        made.push(card_with(f, PARTNER, &card, CardStatus::Published, at(n)).await);
    }
    // The two oldest are featured.
    for id in &made[..2] {
        f.feature(*id).await;
    }
    let listing = f.db.catalog(&filter(None, None), page(1)).await.unwrap();
    let got: Vec<_> = listing
        .items
        .iter()
        .map(|card| (card.id, card.featured))
        .collect();
    assert_eq!(
        got,
        [
            (made[1], true),
            (made[0], true),
            (made[3], false),
            (made[2], false)
        ]
    );
}

async fn the_catalog_orders_by_submission_not_by_the_last_change<P: Ports>(f: &Fixture<P>) {
    let older =
        f.db.submit_new(PARTNER, &content("Older card"), at(1))
            .await
            .unwrap();
    let newer =
        f.db.submit_new(PARTNER, &content("Newer card"), at(2))
            .await
            .unwrap();
    // The older card is approved last, then hidden and shown again.
    crate::given::decided(f, crate::support::given::approve(newer, at(3))).await;
    crate::given::decided(f, crate::support::given::approve(older, at(4))).await;
    for action in [
        vitrina_cards::CardAction::Hide,
        vitrina_cards::CardAction::Show,
    ] {
        f.db.apply_partner_action(PARTNER, older, action, at(5))
            .await
            .unwrap();
    }
    assert_eq!(ids(f, &filter(None, None)).await, [newer, older]);
}

async fn the_catalog_pages_by_five<P: Ports>(f: &Fixture<P>) {
    // (cards in all, page asked, (page given, pages, items on it))
    let cases = [
        (0, vec![(1, (1, 1, 0)), (4, (1, 1, 0))]),
        (5, vec![(1, (1, 1, 5)), (2, (1, 1, 5))]),
        (6, vec![(1, (1, 2, 5)), (2, (2, 2, 1))]),
        (
            11,
            vec![
                (0, (1, 3, 5)),
                (2, (2, 3, 5)),
                (3, (3, 3, 1)),
                (7, (3, 3, 1)),
            ],
        ),
    ];
    let mut made = 0;
    for (total, pages) in cases {
        while made < total {
            let card = content(&format!("Card number {made}"));
            card_with(f, PARTNER, &card, CardStatus::Published, at(made as i64)).await;
            made += 1;
        }
        for (requested, expected) in pages {
            let listing =
                f.db.catalog(&filter(None, None), page(requested))
                    .await
                    .unwrap();
            crate::cards::check(total, requested, &listing, expected);
        }
    }
}

async fn title_search_folds_case_in_every_script<P: Ports>(f: &Fixture<P>) {
    let titles = [
        "Кофейня Утро",
        "PHỞ Bò Hà Nội",
        "Coffee House",
        "맛집 서울",
        "Скидка 50% у моря",
    ];
    let mut made = Vec::new();
    for (n, title) in (0..).zip(titles) {
        made.push(card_with(f, PARTNER, &content(title), CardStatus::Published, at(n)).await);
    }
    // (search text, indices of the titles found, newest first)
    let cases: [(&str, &[usize]); 10] = [
        ("кофейня", &[0]),
        ("КОФЕЙНЯ", &[0]),
        ("утро", &[0]),
        ("phở bò", &[1]),
        ("Phở", &[1]),
        ("coffee", &[2]),
        ("맛집", &[3]),
        ("50%", &[4]),
        ("%", &[4]),
        ("  ", &[4, 3, 2, 1, 0]),
    ];
    for (text, expected) in cases {
        let expected: Vec<_> = expected.iter().map(|&i| made[i]).collect();
        assert_eq!(
            ids(f, &filter(None, Some(text))).await,
            expected,
            "search {text:?}"
        );
    }
    assert_eq!(
        ids(f, &filter(None, Some("_"))).await,
        [],
        "_ is no wildcard"
    );
}

async fn category_counts_count_public_cards_of_the_city<P: Ports>(f: &Fixture<P>) {
    use CardStatus::*;
    let cases = [
        (placed(1, 1, None, "Restaurant one"), Published),
        (placed(1, 1, Some(101), "Restaurant two"), Approved),
        (placed(1, 1, None, "Restaurant three"), Pending),
        (placed(1, 4, None, "Hotel one"), Published),
        (placed(1, 4, None, "Hotel two"), Archived),
        (placed(1, 6, None, "Tour one"), Rejected),
        (placed(2, 2, None, "Spa in Da Nang"), Published),
    ];
    for (n, (card, status)) in (0..).zip(&cases) {
        card_with(f, PARTNER, card, *status, at(n)).await;
    }
    assert_eq!(
        f.db.category_counts(CityId(1)).await.unwrap(),
        [(CategoryId(1), 2), (CategoryId(4), 1)]
    );
    assert_eq!(
        f.db.category_counts(CityId(2)).await.unwrap(),
        [(CategoryId(2), 1)]
    );
    assert_eq!(f.db.category_counts(CityId(3)).await.unwrap(), []);
}

async fn searched<P: Ports>(f: &Fixture<P>, typed: &str, number: u32) -> (u64, Vec<CardId>) {
    let query = SearchQuery::parse(typed).unwrap();
    let listing = f.db.search(&query, page(number)).await.unwrap();
    let ids = listing.items.into_iter().map(|card| card.id).collect();
    (listing.page.total, ids)
}

async fn word_search_finds_public_cards_of_every_city_by_title_and_description_without_marks<
    P: Ports,
>(
    f: &Fixture<P>,
) {
    use CardStatus::*;
    let described = |city, title: &str, description: &str| CardContent {
        description: Some(Description::parse(description).unwrap()),
        ..placed(city, 1, None, title)
    };
    let pho = described(1, "Phở Hà Nội", "Bún chả và cà phê trứng");
    let pho = card_with(f, PARTNER, &pho, Published, at(1)).await;
    let tree = described(2, "Ёлка", "Кофе и ДЕСЕРТЫ 100%_хит");
    let tree = card_with(f, PARTNER, &tree, Approved, at(2)).await;
    let hidden = described(1, "Phở Hidden", "cà phê");
    for (n, status) in (10..).zip([Pending, Rejected, Archived, Deleted]) {
        card_with(f, PARTNER, &hidden, status, at(n)).await;
    }

    assert_eq!(searched(f, "PHO", 1).await, (1, vec![pho]));
    assert_eq!(searched(f, "trứng phở", 1).await, (1, vec![pho]));
    assert_eq!(searched(f, "ca phe", 1).await, (1, vec![pho]));
    assert_eq!(searched(f, "елка десерты", 1).await, (1, vec![tree]));
    assert_eq!(searched(f, "ёлка кофе", 1).await, (1, vec![tree]));
    assert_eq!(searched(f, "pho ёлка", 1).await, (0, vec![]));
    // LIKE's wildcards are only characters to find: folded away with the punctuation.
    assert_eq!(searched(f, "100 хит", 1).await, (1, vec![tree]));

    // Paged by five, newest first.
    let mut made = Vec::new();
    for n in 0..7 {
        let card = described(3, &format!("Spa {n}"), "massage");
        made.push(card_with(f, PARTNER, &card, Published, at(100 + n)).await);
    }
    made.reverse();
    assert_eq!(searched(f, "massage", 1).await, (7, made[..5].to_vec()));
    assert_eq!(searched(f, "massage", 2).await, (7, made[5..].to_vec()));
}
