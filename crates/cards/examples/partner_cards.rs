//! A partner's cards in memory: submit two, hide one, try to touch someone else's, and list
//! them a page at a time.
//!
//! Run with `cargo run -p vitrina-cards --example partner_cards`.

use vitrina_cards::memory::{MemoryCards, block_on};
use vitrina_cards::{
    CardAction, CardContent, CardRepository, Category, CategoryId, City, CityId, Contact,
    PageRequest, Reference, RepositoryError, Timestamp, Title, UserId,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let reference = Reference::new(
        vec![City::new(1, "harbour-town", [(101, "old-port")])],
        vec![Category::new(1, "cafes", [])],
    )?;
    let cards = MemoryCards::new(reference);
    let partner = UserId(1);
    let card = |title: &str| -> Result<CardContent, Box<dyn std::error::Error>> {
        Ok(CardContent {
            city: CityId(1),
            area: None,
            category: CategoryId(1),
            subcategory: None,
            title: Title::parse(title)?,
            description: None,
            contact: Contact::parse("@harbour_cafe")?,
            address: None,
            map_link: None,
            photos: Vec::new(),
            discount: None,
            location: None,
        })
    };

    let first = block_on(cards.submit_new(partner, &card("Harbour Café")?, Timestamp(1)))?;
    let second = block_on(cards.submit_new(partner, &card("Old Port Bakery")?, Timestamp(2)))?;
    println!("submitted cards {first} and {second}; both wait for moderation");

    // Only a published card can be hidden, and only by its owner.
    match block_on(cards.apply_partner_action(partner, first, CardAction::Hide, Timestamp(3))) {
        Err(RepositoryError::Refused(refusal)) => println!("hide refused: {refusal}"),
        other => println!("unexpected: {other:?}"),
    }
    match block_on(cards.apply_partner_action(UserId(2), first, CardAction::Delete, Timestamp(3))) {
        Err(RepositoryError::NotFound) => println!("someone else's delete: not found"),
        other => println!("unexpected: {other:?}"),
    }
    block_on(cards.apply_partner_action(partner, second, CardAction::Delete, Timestamp(4)))?;

    let listing = block_on(cards.partner_cards(partner, PageRequest::new(1, 5)))?;
    println!("my cards, page {}:", listing.page.label());
    for summary in listing.items {
        println!("  {} — {} ({})", summary.id, summary.title, summary.status);
    }
    Ok(())
}
