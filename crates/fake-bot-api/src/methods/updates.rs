//! getUpdates: offsets, limits, long polls, and the 409s Telegram sends when two pollers overlap
//! or a webhook is set.

use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::oneshot;
use tokio::time::{Instant, sleep_until};

use crate::envelope::{ApiError, Reply};
use crate::params::Params;
use crate::state::{ActivePoll, Shared, State, is_allowed};

pub(crate) const TERMINATED_BY_OTHER: &str =
    "terminated by other getUpdates request; make sure that only one bot instance is running";
pub(crate) const WEBHOOK_ACTIVE: &str = "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
pub(crate) const TERMINATED_BY_SET_WEBHOOK: &str = "terminated by setWebhook request";

/// Counts a getUpdates request from arrival to answer (or to the client hanging up), and clears
/// its long-poll slot when it goes away.
struct InFlight {
    shared: Arc<Shared>,
    poll_id: Option<u64>,
}

impl InFlight {
    fn enter(shared: &Arc<Shared>) -> Self {
        {
            let mut state = shared.lock();
            let polls = &mut state.polls;
            polls.in_flight += 1;
            polls.peak_in_flight = polls.peak_in_flight.max(polls.in_flight);
        }
        Self {
            shared: Arc::clone(shared),
            poll_id: None,
        }
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.polls.in_flight = state.polls.in_flight.saturating_sub(1);
        if let (Some(mine), Some(active)) = (self.poll_id, &state.polls.active)
            && active.id == mine
        {
            state.polls.active = None;
        }
        drop(state);
        self.shared.notify_changed();
    }
}

struct Request {
    offset: Option<i64>,
    limit: usize,
    wait: Duration,
    allowed_updates: Option<Vec<String>>,
}

fn read(params: &Params, max_wait: Duration) -> Result<Request, ApiError> {
    let limit = match params.i64("limit")? {
        Some(limit) if limit > 0 => usize::try_from(limit.min(100)).unwrap_or(100),
        _ => 100,
    };
    let timeout = params.i64("timeout")?.unwrap_or(0).max(0);
    let wait = Duration::from_secs(u64::try_from(timeout).unwrap_or(0)).min(max_wait);
    let allowed_updates = match params.json("allowed_updates") {
        Ok(None) => None,
        Ok(Some(Value::Array(kinds))) => Some(
            kinds
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        ),
        _ => return Err(ApiError::bad_request("can't parse allowed updates")),
    };
    Ok(Request {
        offset: params.i64("offset")?,
        limit,
        wait,
        allowed_updates,
    })
}

/// Forgets what `offset` confirms: a positive offset everything below it, a negative one
/// everything but the last `-offset` updates.
pub(crate) fn confirm(state: &mut State, offset: Option<i64>) {
    match offset {
        Some(offset) if offset > 0 => state
            .pending
            .retain(|update| i64::from(update.id) >= offset),
        Some(offset) if offset < 0 => {
            let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
            while state.pending.len() > keep {
                state.pending.pop_front();
            }
        }
        _ => {}
    }
}

/// The next batch, dropping updates of kinds the poller did not ask for.
fn batch(state: &mut State, limit: usize) -> Vec<Value> {
    let allowed = state.poll_allowed_updates.clone();
    state
        .pending
        .retain(|update| is_allowed(&update.kind, &allowed));
    state
        .pending
        .iter()
        .take(limit)
        .map(|update| update.body.clone())
        .collect()
}

pub(crate) async fn get_updates(shared: &Arc<Shared>, params: &Params) -> Result<Reply, ApiError> {
    let mut in_flight = InFlight::enter(shared);
    let request = read(params, shared.config.max_poll_timeout)?;
    let deadline = Instant::now() + request.wait;

    let mut stopped = {
        let mut state = shared.lock();
        if state.webhook.is_some() {
            state.counters.conflicts += 1;
            return Err(ApiError::conflict(WEBHOOK_ACTIVE));
        }
        if let Some(allowed) = request.allowed_updates {
            state.poll_allowed_updates = allowed;
        }
        confirm(&mut state, request.offset);
        // The newest poller wins: the one waiting before it is told so.
        if let Some(older) = state.polls.active.take()
            && older
                .stop
                .send(ApiError::conflict(TERMINATED_BY_OTHER))
                .is_ok()
        {
            state.counters.conflicts += 1;
        }
        let ready = batch(&mut state, request.limit);
        if !ready.is_empty() || request.wait.is_zero() {
            return Ok(Reply::new(Value::Array(ready)));
        }
        state.polls.last_id += 1;
        let id = state.polls.last_id;
        let (stop, stopped) = oneshot::channel();
        state.polls.active = Some(ActivePoll { id, stop });
        in_flight.poll_id = Some(id);
        stopped
    };
    // Waiters watch the pending count and the polls in flight, both changed just now.
    shared.notify_changed();

    loop {
        // Registered before the queue is looked at, so that an update pushed in between
        // wakes this poll instead of being noticed only at the deadline.
        let mut arrived = pin!(shared.updates.notified());
        arrived.as_mut().enable();
        if let Ok(error) = stopped.try_recv() {
            return Err(error);
        }
        {
            let mut state = shared.lock();
            if state.webhook.is_some() {
                state.counters.conflicts += 1;
                return Err(ApiError::conflict(TERMINATED_BY_SET_WEBHOOK));
            }
            let ready = batch(&mut state, request.limit);
            if !ready.is_empty() {
                return Ok(Reply::new(Value::Array(ready)));
            }
        }
        tokio::select! {
            biased;
            stop = &mut stopped => {
                return match stop {
                    Ok(error) => Err(error),
                    Err(_) => Ok(Reply::new(Value::Array(Vec::new()))),
                };
            }
            () = &mut arrived => {}
            () = sleep_until(deadline) => {
                let mut state = shared.lock();
                return Ok(Reply::new(Value::Array(batch(&mut state, request.limit))));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use serde_json::json;

    fn ids(state: &State) -> Vec<u32> {
        state.pending.iter().map(|update| update.id).collect()
    }

    #[test]
    fn offsets_confirm_what_the_bot_api_says_they_confirm() {
        let shared = Shared::new(Config::default());
        let mut state = shared.lock();
        let first = state.push_update("message", Some(1), json!({}));
        for _ in 0..4 {
            state.push_update("message", Some(1), json!({}));
        }
        let check = |state: &mut State, offset: Option<i64>, expected: Vec<u32>| {
            confirm(state, offset);
            assert_eq!(ids(state), expected, "offset {offset:?}");
        };
        check(&mut state, None, (first..first + 5).collect());
        check(&mut state, Some(0), (first..first + 5).collect());
        check(
            &mut state,
            Some(i64::from(first) + 2),
            (first + 2..first + 5).collect(),
        );
        check(&mut state, Some(-1), vec![first + 4]);
        check(&mut state, Some(i64::from(first) + 5), vec![]);
    }
}
