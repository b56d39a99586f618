//! A tiny moderation queue in memory: three partners submit cards, two admins work through
//! the queue oldest first, decide the same card at once, and one of them wins.
//!
//! Run with `cargo run -p vitrina-moderation --example queue`.

use vitrina_cards::memory::{MemoryCards, block_on};
use vitrina_cards::{
    CardContent, CardRepository, Category, CategoryId, City, CityId, Contact, Reference, Timestamp,
    Title, UserId,
};
use vitrina_moderation::memory::MemoryModeration;
use vitrina_moderation::{
    AdminRepository, Admins, Decision, DecisionOutcome, ModerationRepository, RejectionReason,
    StandardReason, Verdict,
};

fn content(title: &str) -> Result<CardContent, Box<dyn std::error::Error>> {
    Ok(CardContent {
        city: CityId(1),
        area: None,
        category: CategoryId(1),
        subcategory: None,
        title: Title::parse(title)?,
        description: None,
        contact: Contact::parse("+84 905 123 456")?,
        address: None,
        map_link: None,
        photos: Vec::new(),
        discount: None,
        location: None,
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let reference = Reference::new(
        vec![City::new(1, "harbour-town", [])],
        vec![Category::new(1, "cafes", [])],
    )?;
    let cards = MemoryCards::new(reference);
    let moderation = MemoryModeration::new(cards.clone());

    // Alice is an admin by configuration; Bob is added at run time.
    let (alice, bob) = (UserId(1), UserId(2));
    block_on(moderation.add_admin(bob))?;
    let admins = Admins::new([alice], block_on(moderation.admins())?);
    assert!(admins.may_moderate(alice) && admins.may_moderate(bob));

    for (n, title) in (10..).zip(["Harbour Café", "Old Port Bakery", "Night Market Stall"]) {
        block_on(cards.submit_new(UserId(n), &content(title)?, Timestamp(n)))?;
    }
    println!("{} cards wait", block_on(moderation.pending_count())?);

    // Alice takes the oldest card and approves it.
    let mut now = 100;
    if let Some(card) = block_on(moderation.next_pending(&[]))? {
        let decision = Decision::new(card.id, alice, Verdict::Approve, Timestamp(now));
        if let DecisionOutcome::Applied(card) = block_on(moderation.decide(&decision))? {
            println!(
                "alice approved {:?}: now {}",
                card.content.title.as_str(),
                card.status
            );
        }
    }

    // Both look at the next card; Bob rejects it a moment before Alice approves it.
    if let Some(card) = block_on(moderation.next_pending(&[]))? {
        now += 1;
        let reason = RejectionReason::Standard(StandardReason::Incomplete);
        let bobs = Decision::new(card.id, bob, Verdict::Reject(reason), Timestamp(now));
        let alices = Decision::new(card.id, alice, Verdict::Approve, Timestamp(now));
        for (who, decision) in [("bob", bobs), ("alice", alices)] {
            match block_on(moderation.decide(&decision))? {
                DecisionOutcome::Applied(card) => {
                    println!(
                        "{who} decided {:?}: now {}",
                        card.content.title.as_str(),
                        card.status
                    )
                }
                DecisionOutcome::AlreadyDecided { current } => {
                    println!("{who} was too late: the card is already {current}")
                }
            }
        }
    }

    // Skipping leaves a card in the queue for the next walk.
    let skipped: Vec<_> = block_on(moderation.next_pending(&[]))?
        .map(|c| c.id)
        .into_iter()
        .collect();
    println!(
        "after skipping {skipped:?}: next {:?}, still {} pending",
        block_on(moderation.next_pending(&skipped))?.map(|c| c.id),
        block_on(moderation.pending_count())?
    );

    println!("the log:");
    for entry in moderation.log_entries() {
        let reason = entry.reason.as_deref().unwrap_or("-");
        println!(
            "  card {} {} by {} ({reason})",
            entry.card, entry.action, entry.moderator
        );
    }
    Ok(())
}
