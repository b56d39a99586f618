//! [`ModerationRepository`]: the queue, the decisions and the log.
//!
//! A decision is one conditional update (`… WHERE status = 'pending'`) and its log entry in
//! one transaction: of two admins deciding the same card at once, the second update finds no
//! pending row and changes nothing, so exactly one decision counts and is logged.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable};
use diesel_async::RunQueryDsl;
use vitrina_cards::{Card, CardId, RepositoryError, RepositoryResult};
use vitrina_moderation::{
    AdminAction, AdminDecision, AdminOutcome, Decision, DecisionOutcome, LogEntry,
    ModerationRepository, RejectionReason,
};

use crate::cards::{PENDING, changed_meanwhile, live, opaque, public};
use crate::models::LogRow;
use crate::pool::Db;
use crate::schema::{cards, moderation_log};

impl ModerationRepository for Db {
    async fn next_pending(&self, skipped: &[CardId]) -> RepositoryResult<Option<Card>> {
        let skipped: Vec<i64> = skipped.iter().map(|id| id.get()).collect();
        reading!(self, |conn| {
            Ok(load_card!(
                first conn,
                cards::table
                    .filter(cards::status.eq(PENDING))
                    .filter(cards::id.ne_all(skipped.clone()))
                    .order((cards::updated_at.asc(), cards::id.asc()))
            ))
        })
    }

    async fn pending_count(&self) -> RepositoryResult<u64> {
        let count: i64 = reading!(self, |conn| {
            Ok(cards::table
                .filter(cards::status.eq(PENDING))
                .count()
                .get_result(&mut *conn)
                .await?)
        })?;
        Ok(u64::try_from(count).unwrap_or_default())
    }

    async fn decide(&self, decision: &Decision) -> RepositoryResult<DecisionOutcome> {
        let id = decision.card;
        let target = decision.verdict.target().as_str();
        let reason = decision.verdict.reason().map(RejectionReason::to_stored);
        let at = decision.at.millis();
        let entry = LogRow::from(LogEntry::from(decision));
        in_transaction!(self, |conn| {
            let changed = kept_update!(
                cards::table,
                cards::id.eq(id.get()).and(cards::status.eq(PENDING)),
                (
                    cards::status.eq(target),
                    cards::rejection_reason.eq(reason.as_deref()),
                    cards::updated_at.eq(at),
                )
            )
            .execute(&mut *conn)
            .await?;
            if changed == 0 {
                return match status_where!(conn, id, live(id)) {
                    Some(current) => Ok(DecisionOutcome::AlreadyDecided { current }),
                    None => Err(changed_meanwhile(None).into()),
                };
            }
            diesel::insert_into(moderation_log::table)
                .values(&entry)
                .execute(&mut *conn)
                .await?;
            let card = load_card!(conn, cards::table.filter(cards::id.eq(id.get())))
                .ok_or(RepositoryError::NotFound)?;
            Ok(DecisionOutcome::Applied(Box::new(card)))
        })
    }

    async fn act(&self, decision: &AdminDecision) -> RepositoryResult<AdminOutcome> {
        let id = decision.card;
        let at = decision.at.millis();
        let entry = LogRow::from(LogEntry::from(decision));
        in_transaction!(self, |conn| {
            // One conditional update each: of two admins doing the same at once, the second
            // changes nothing and logs nothing.
            let changed = match &decision.action {
                AdminAction::Unpublish(reason) => {
                    let target = vitrina_cards::CardAction::TakeDown.target().as_str();
                    diesel::update(cards::table.filter(cards::id.eq(id.get())).filter(public()))
                        .set((
                            cards::status.eq(target),
                            cards::rejection_reason.eq(Some(reason.to_stored())),
                            cards::updated_at.eq(at),
                        ))
                        .execute(&mut *conn)
                        .await?
                }
                AdminAction::Feature | AdminAction::Unfeature => {
                    let featured = decision.action == AdminAction::Feature;
                    diesel::update(
                        cards::table
                            .filter(live(id))
                            .filter(cards::featured.ne(featured)),
                    )
                    .set(cards::featured.eq(featured))
                    .execute(&mut *conn)
                    .await?
                }
            };
            let card =
                load_card!(conn, cards::table.filter(live(id))).ok_or(RepositoryError::NotFound)?;
            if changed == 0 {
                return Ok(AdminOutcome::Unchanged(Box::new(card)));
            }
            diesel::insert_into(moderation_log::table)
                .values(&entry)
                .execute(&mut *conn)
                .await?;
            Ok(AdminOutcome::Applied(Box::new(card)))
        })
    }

    async fn log(&self, card: CardId) -> RepositoryResult<Vec<LogEntry>> {
        let rows: Vec<LogRow> = reading!(self, |conn| {
            Ok(moderation_log::table
                // Behind a cast, as the lists' values: with the `ORDER BY`, a plain bound id
                // would have the statement compiled again at every run.
                .filter(moderation_log::card_id.eq(opaque::<_, Nullable<BigInt>>(card.get())))
                .order((moderation_log::at.asc(), moderation_log::id.asc()))
                .select(LogRow::as_select())
                .load(&mut *conn)
                .await?)
        })?;
        Ok(rows.into_iter().map(LogEntry::from).collect())
    }
}
