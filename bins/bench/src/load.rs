//! The load generator: posts prepared updates to a webhook at a fixed rate or flat out, one
//! update per chat in flight at a time (as Telegram delivers them), and times each from the
//! moment it is written to the moment its answer is read.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hyper::header::{HeaderName, HeaderValue};
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};
use vitrina_fake_bot_api::Handle;

use crate::double::Prepared;
use crate::http::{Call, Client};
use crate::workload::Kind;

/// Requests in flight at most at a fixed rate: Telegram's upper limit of `max_connections`.
pub const MAX_CONNECTIONS: usize = 100;

/// How far ahead of a busy chat the generator looks for another chat's update.
const LOOKAHEAD: usize = 1_000;

/// Where updates are posted.
#[derive(Debug, Clone)]
pub struct Target {
    pub addr: SocketAddr,
    pub path: String,
    /// Sent as `X-Telegram-Bot-Api-Secret-Token`.
    pub secret: Option<String>,
    /// Who makes the calls that 2xx answers carry (webhook replies), as Telegram does.
    pub replies: Option<Handle>,
}

/// How fast.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pace {
    /// This many updates a second, whatever the answers' speed (an open loop).
    Rate(f64),
    /// A new update as soon as one of this many in flight is answered (a closed loop).
    FlatOut(usize),
}

impl Pace {
    pub fn describe(self) -> String {
        match self {
            Pace::Rate(rate) => format!("{rate}/s"),
            Pace::FlatOut(connections) => format!("flat out ({connections} in flight)"),
        }
    }
}

/// When to stop.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// Updates posted at most.
    pub count: usize,
    /// Time to go on posting.
    pub time: Duration,
    /// Time allowed afterwards for the answers still due.
    pub drain: Duration,
}

/// What one run gave.
#[derive(Debug, Default)]
pub struct Outcome {
    pub sent: usize,
    /// Answers by HTTP status (0: no answer: a connection or protocol error, or the drain
    /// time ran out).
    pub statuses: BTreeMap<u16, usize>,
    /// Microseconds from post to answer, of the 2xx answers.
    pub latencies: Vec<u32>,
    /// Microseconds each post went out after its planned moment (fixed rates only).
    pub lag: Vec<u32>,
    /// From the first post to the last answer.
    pub elapsed: Duration,
    pub mix: BTreeMap<Kind, usize>,
    /// What was posted, in order (to post the same to another target).
    pub posted: Vec<Prepared>,
}

impl Outcome {
    pub fn ok(&self) -> usize {
        self.statuses
            .iter()
            .filter(|(status, _)| (200..300).contains(*status))
            .map(|(_, count)| count)
            .sum()
    }
}

struct Answered {
    user: usize,
    status: u16,
    latency: Duration,
    at: Instant,
}

/// Posts updates from the front of `queue` (taking them out) to `target`. `resolve` may give
/// another body for an update just before it is posted — when the chat's previous update has
/// been answered — (a wizard press made to the button on screen); what is kept in
/// [`Outcome::posted`] is the update as it was prepared.
pub async fn drive(
    target: &Target,
    queue: &mut VecDeque<Prepared>,
    pace: Pace,
    bounds: Bounds,
    resolve: &(dyn Fn(&Prepared) -> Option<Bytes> + Sync),
) -> Outcome {
    let client = Arc::new(Client::new(target.addr));
    let headers = Arc::new(headers(target));
    let path = Arc::new(target.path.clone());
    let limit = match pace {
        Pace::Rate(_) => MAX_CONNECTIONS,
        Pace::FlatOut(connections) => connections.max(1),
    };
    let interval = match pace {
        Pace::Rate(rate) => Some(Duration::from_secs_f64(1.0 / rate.max(0.001))),
        Pace::FlatOut(_) => None,
    };
    let (answers, mut answered) = mpsc::unbounded_channel::<Answered>();
    let mut outcome = Outcome::default();
    let mut busy: HashSet<usize> = HashSet::new();
    let mut in_flight = 0usize;
    let start = Instant::now();
    let stop_posting = start + bounds.time;
    let mut planned = start;
    let mut last_answer = start;

    let mut settle = |answer: Answered, busy: &mut HashSet<usize>, outcome: &mut Outcome| {
        busy.remove(&answer.user);
        *outcome.statuses.entry(answer.status).or_default() += 1;
        if (200..300).contains(&answer.status) {
            outcome
                .latencies
                .push(u32::try_from(answer.latency.as_micros()).unwrap_or(u32::MAX));
        }
        last_answer = last_answer.max(answer.at);
    };

    'posting: while outcome.sent < bounds.count && !queue.is_empty() {
        if interval.is_some() {
            // Answers are taken in while waiting for the planned moment.
            while Instant::now() < planned {
                tokio::select! {
                    () = sleep_until(planned) => {}
                    Some(answer) = answered.recv() => {
                        in_flight -= 1;
                        settle(answer, &mut busy, &mut outcome);
                    }
                }
            }
        }
        if Instant::now() >= stop_posting {
            break;
        }
        let chosen = loop {
            if in_flight < limit {
                let free = queue
                    .iter()
                    .take(LOOKAHEAD)
                    .position(|item| !busy.contains(&item.user));
                if let Some(position) = free {
                    break position;
                }
            }
            // Every chat near the front is in flight, or every connection is: wait.
            match tokio::time::timeout_at(stop_posting, answered.recv()).await {
                Ok(Some(answer)) => {
                    in_flight -= 1;
                    settle(answer, &mut busy, &mut outcome);
                }
                _ => break 'posting,
            }
        };
        let Some(item) = queue.remove(chosen) else {
            break;
        };
        let now = Instant::now();
        if let Some(interval) = interval {
            outcome.lag.push(
                u32::try_from(now.saturating_duration_since(planned).as_micros())
                    .unwrap_or(u32::MAX),
            );
            planned += interval;
        }
        busy.insert(item.user);
        in_flight += 1;
        outcome.sent += 1;
        *outcome.mix.entry(item.kind).or_default() += 1;
        let call = Call {
            method: hyper::Method::POST,
            path: path.as_str().to_owned(),
            headers: headers.as_ref().clone(),
            body: resolve(&item).unwrap_or_else(|| item.body.clone()),
        };
        outcome.posted.push(item.clone());
        let (client, answers, user, addr, replies) = (
            Arc::clone(&client),
            answers.clone(),
            item.user,
            target.addr,
            target.replies.clone(),
        );
        tokio::spawn(async move {
            let (status, latency) = match client.checkout().await {
                Ok(mut connection) => {
                    let sent = Instant::now();
                    let result = connection.send(addr, call).await;
                    let latency = sent.elapsed();
                    match result {
                        Ok((status, body)) => {
                            client.checkin(connection);
                            // After the latency is taken: Telegram makes the call once it
                            // has the answer, and the bot does not wait for it.
                            if let Some(replies) = replies
                                && status.is_success()
                            {
                                replies.webhook_reply(None, &body).await;
                            }
                            (status.as_u16(), latency)
                        }
                        Err(_) => (0, latency),
                    }
                }
                Err(_) => (0, Duration::ZERO),
            };
            let _ = answers.send(Answered {
                user,
                status,
                latency,
                at: Instant::now(),
            });
        });
    }
    let drain_until = Instant::now() + bounds.drain;
    while in_flight > 0 {
        match tokio::time::timeout_at(drain_until, answered.recv()).await {
            Ok(Some(answer)) => {
                in_flight -= 1;
                settle(answer, &mut busy, &mut outcome);
            }
            _ => break,
        }
    }
    if in_flight > 0 {
        *outcome.statuses.entry(0).or_default() += in_flight;
    }
    outcome.elapsed = last_answer.saturating_duration_since(start);
    outcome
}

fn headers(target: &Target) -> Vec<(HeaderName, HeaderValue)> {
    let mut headers = vec![(
        hyper::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )];
    if let Some(secret) = target
        .secret
        .as_deref()
        .and_then(|secret| HeaderValue::from_str(secret).ok())
    {
        headers.push((
            HeaderName::from_static("x-telegram-bot-api-secret-token"),
            secret,
        ));
    }
    headers
}

/// The `q`-quantile (0–1) of `values`, sorted in place; 0 for none.
pub fn quantile(values: &mut [u32], q: f64) -> u32 {
    if values.is_empty() {
        return 0;
    }
    values.sort_unstable();
    let rank = ((values.len() as f64 - 1.0) * q).round() as usize;
    values[rank.min(values.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_pick_the_ranked_value() {
        let check = |mut values: Vec<u32>, q: f64, expected: u32| {
            assert_eq!(quantile(&mut values, q), expected, "q={q}");
        };
        check(vec![], 0.5, 0);
        check(vec![5], 0.99, 5);
        check(vec![3, 1, 2], 0.5, 2);
        check((1..=100).rev().collect(), 0.99, 99);
        check((1..=100).collect(), 1.0, 100);
    }
}
