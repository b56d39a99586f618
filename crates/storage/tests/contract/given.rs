//! Cards in a given status, through the ports.

use vitrina_cards::{CardAction, CardContent, CardId, CardStatus, Timestamp, UserId};
use vitrina_moderation::{Decision, DecisionOutcome};

use crate::harness::{Fixture, Ports};
use crate::support::given::{PARTNER, approve, content, reject};

/// Decides and expects the decision to apply.
pub async fn decided<P: Ports>(fixture: &Fixture<P>, decision: Decision) {
    let outcome = fixture.db.decide(&decision).await.unwrap();
    assert!(
        matches!(outcome, DecisionOutcome::Applied(_)),
        "{outcome:?}"
    );
}

/// A card of `owner` with `content`, submitted at `when` and brought to `status` at the same
/// moment (so its `updated_at` is `when`). `Approved` and `Draft` are set outside the ports:
/// only old data has them.
pub async fn card_with<P: Ports>(
    fixture: &Fixture<P>,
    owner: UserId,
    content: &CardContent,
    status: CardStatus,
    when: Timestamp,
) -> CardId {
    let db = &fixture.db;
    let id = db.submit_new(owner, content, when).await.unwrap();
    match status {
        CardStatus::Pending => {}
        CardStatus::Published => decided(fixture, approve(id, when)).await,
        CardStatus::Rejected => decided(fixture, reject(id, when)).await,
        CardStatus::Archived => {
            decided(fixture, approve(id, when)).await;
            db.apply_partner_action(owner, id, CardAction::Hide, when)
                .await
                .unwrap();
        }
        CardStatus::Deleted => {
            db.apply_partner_action(owner, id, CardAction::Delete, when)
                .await
                .unwrap();
        }
        CardStatus::Approved | CardStatus::Draft => fixture.force_status(id, status).await,
    }
    id
}

/// A card of [`PARTNER`] titled «Кофейня «Утро»», in `status`, at `when`.
pub async fn card_in<P: Ports>(
    fixture: &Fixture<P>,
    status: CardStatus,
    when: Timestamp,
) -> CardId {
    card_with(fixture, PARTNER, &content("Кофейня «Утро»"), status, when).await
}
