//! getMe and getUpdates: offsets, limits, long polls, overlapping pollers.

use std::time::{Duration, Instant};

use frankenstein::AsyncTelegramApi;
use frankenstein::methods::{GetUpdatesParams, SetWebhookParams};
use frankenstein::response::MethodResponse;
use frankenstein::updates::UpdateContent;
use serde_json::{Value, json};

use crate::support::{check_error, start};

fn poll(offset: Option<i64>, limit: Option<u32>, timeout: u32) -> GetUpdatesParams {
    GetUpdatesParams {
        offset,
        limit,
        timeout: Some(timeout),
        allowed_updates: None,
    }
}

#[tokio::test]
async fn get_me_reports_the_bot_of_the_token() {
    let fixture = start().await;
    let me = fixture.bot.get_me().await.unwrap().result;
    assert_eq!(me.id, 123_456_789);
    assert!(me.is_bot);
    assert_eq!(me.username.as_deref(), Some("test_bot"));
}

#[tokio::test]
async fn offset_confirms_and_limit_caps_each_batch() {
    let fixture = start().await;
    let fake = fixture.fake();
    let alice = fake.user(1).with_language("en");
    let first = fake.send_text(&alice, "one").await;
    fake.send_command(&alice, "start").await;
    fake.send_text(&alice, "three").await;

    let batch = fixture
        .bot
        .get_updates(&poll(None, Some(2), 0))
        .await
        .unwrap()
        .result;
    assert_eq!(
        batch
            .iter()
            .map(|update| update.update_id)
            .collect::<Vec<_>>(),
        vec![first, first + 1]
    );
    let UpdateContent::Message(command) = &batch[1].content else {
        panic!("expected a message, got {:?}", batch[1]);
    };
    assert_eq!(command.text.as_deref(), Some("/start"));
    let entity = &command.entities.as_ref().unwrap()[0];
    assert_eq!((entity.offset, entity.length), (0, 6));
    assert_eq!(
        command.from.as_ref().unwrap().language_code.as_deref(),
        Some("en")
    );

    // Without an offset the same updates come again.
    let again = fixture
        .bot
        .get_updates(&poll(None, None, 0))
        .await
        .unwrap()
        .result;
    assert_eq!(again.len(), 3);

    let rest = fixture
        .bot
        .get_updates(&poll(Some(i64::from(first) + 2), None, 0))
        .await
        .unwrap()
        .result;
    assert_eq!(
        rest.iter()
            .map(|update| update.update_id)
            .collect::<Vec<_>>(),
        vec![first + 2]
    );
    assert_eq!(fake.stats().pending_updates, 1);
}

#[tokio::test]
async fn a_long_poll_returns_as_soon_as_an_update_arrives() {
    let fixture = start().await;
    let fake = fixture.fake().clone();
    let started = Instant::now();
    let sender = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        fake.send_text(7, "hello").await
    });
    let updates = fixture
        .bot
        .get_updates(&poll(None, None, 20))
        .await
        .unwrap()
        .result;
    let sent = sender.await.unwrap();
    assert_eq!(
        updates
            .iter()
            .map(|update| update.update_id)
            .collect::<Vec<_>>(),
        vec![sent]
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_long_poll_without_updates_ends_empty_after_its_timeout() {
    let fixture = start().await;
    let started = Instant::now();
    let updates = fixture
        .bot
        .get_updates(&poll(None, None, 1))
        .await
        .unwrap()
        .result;
    assert!(updates.is_empty());
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(5),
        "waited {waited:?}"
    );
}

#[tokio::test]
async fn an_overlapping_poll_terminates_the_older_one_with_409() {
    let fixture = start().await;
    let older_bot = fixture.bot.clone();
    let older = tokio::spawn(async move { older_bot.get_updates(&poll(None, None, 20)).await });
    fixture
        .fake()
        .wait_for_stats(
            |stats| stats.get_updates_in_flight == 1,
            Duration::from_secs(5),
        )
        .await
        .unwrap();

    let newer_bot = fixture.bot.clone();
    let newer = tokio::spawn(async move { newer_bot.get_updates(&poll(None, None, 20)).await });
    check_error(
        older.await.unwrap(),
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    );

    fixture.fake().send_text(3, "for the newer poller").await;
    assert_eq!(newer.await.unwrap().unwrap().result.len(), 1);
    let stats = fixture.fake().stats();
    assert_eq!(stats.peak_get_updates_in_flight, 2);
    assert_eq!(stats.conflicts, 1);
    assert_eq!(stats.calls_of("getUpdates"), 2);
}

#[tokio::test]
async fn set_webhook_ends_a_pending_poll_and_later_polls_conflict() {
    let fixture = start().await;
    let poller = fixture.bot.clone();
    let pending = tokio::spawn(async move { poller.get_updates(&poll(None, None, 20)).await });
    fixture
        .fake()
        .wait_for_stats(
            |stats| stats.get_updates_in_flight == 1,
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    let hook = SetWebhookParams::builder()
        .url("http://127.0.0.1:9/hook")
        .build();
    assert!(fixture.bot.set_webhook(&hook).await.unwrap().result);
    check_error(
        pending.await.unwrap(),
        409,
        "Conflict: terminated by setWebhook request",
    );
    check_error(
        fixture.bot.get_updates(&poll(None, None, 0)).await,
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );
    assert_eq!(fixture.fake().stats().conflicts, 2);
}

#[tokio::test]
async fn unknown_update_kinds_are_served_raw_and_break_typed_decoding() {
    let fixture = start().await;
    let fake = fixture.fake();
    let odd = fake
        .inject_update(json!({"some_future_kind": {"x": 1}}))
        .await
        .unwrap();
    let normal = fake.send_text(5, "after it").await;

    // The bot's way: fetch raw values and decode one by one.
    let raw: MethodResponse<Vec<Value>> = fixture
        .bot
        .request("getUpdates", Some(poll(None, None, 0)))
        .await
        .unwrap();
    let ids: Vec<u64> = raw
        .result
        .iter()
        .filter_map(|update| update["update_id"].as_u64())
        .collect();
    assert_eq!(ids, vec![u64::from(odd), u64::from(normal)]);
    assert_eq!(raw.result[0]["some_future_kind"], json!({"x": 1}));
    assert!(
        fixture.bot.get_updates(&poll(None, None, 0)).await.is_err(),
        "typed decoding rejects the batch"
    );
}

#[tokio::test]
async fn update_ids_may_jump_forward() {
    let fixture = start().await;
    let fake = fixture.fake();
    let before = fake.send_text(1, "a").await;
    fake.skip_update_ids(1_000).await;
    let after = fake.send_text(1, "b").await;
    assert_eq!(after, before + 1_001);
    let ids: Vec<u32> = fixture
        .bot
        .get_updates(&poll(Some(i64::from(before) + 1), None, 0))
        .await
        .unwrap()
        .result
        .iter()
        .map(|update| update.update_id)
        .collect();
    assert_eq!(ids, vec![after]);
}

#[tokio::test]
async fn a_client_hanging_up_ends_its_poll() {
    let fixture = start().await;
    let impatient = frankenstein::reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let hung_up = impatient
        .post(format!("{}/getUpdates", fixture.server.api_url()))
        .header("content-type", "application/json")
        .body(json!({"timeout": 20}).to_string())
        .send()
        .await;
    assert!(hung_up.is_err());
    let stats = fixture
        .fake()
        .wait_for_stats(
            |stats| stats.get_updates_in_flight == 0,
            Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert_eq!(stats.conflicts, 0);
    // A new poll is not a conflict with a poll whose client is gone.
    fixture.bot.get_updates(&poll(None, None, 0)).await.unwrap();
    assert_eq!(fixture.fake().stats().conflicts, 0);
}
