//! The client against a Bot API double over real HTTP: what the person sees in the chat after
//! each effect, and how blocks, floods and failures are handled.

use std::time::{Duration, Instant};

use serde_json::json;
use vitrina_cards::PhotoId;
use vitrina_dialog::{
    ButtonAction, ChatId, Effect, InlineButton, Input, Keyboard, MessageId, RichText, Style,
};
use vitrina_fake_bot_api::{
    ChatView, Config, FakeBotApi, Fault, Handle, MessageKind, RunningServer,
};
use vitrina_i18n::{Catalog, Locale};
use vitrina_telegram::{
    ConflictCause, Decoded, EffectOutcome, RateLimits, RawUpdate, RetryPolicy, SkipReason,
    TelegramClient, TelegramError, UpdateKind,
};

const ANNA: i64 = 42;
const BORIS: i64 = 43;

struct Setup {
    server: RunningServer,
    client: TelegramClient,
}

impl Setup {
    async fn start() -> Setup {
        Setup::with_limits(None).await
    }

    async fn with_limits(limits: Option<RateLimits>) -> Setup {
        let server = FakeBotApi::start(Config::default())
            .await
            .expect("the fake Bot API starts");
        let client = TelegramClient::new(&server.base_url(), server.token())
            .expect("a client")
            .with_rate_limits(limits)
            .with_retry_policy(RetryPolicy {
                retries: 3,
                max_retry_after: Duration::from_secs(2),
                backoff: Duration::from_millis(10),
            });
        let handle = server.handle();
        let _anna = handle.user(ANNA).with_name("Anna").with_language("ru");
        handle.user(BORIS);
        Setup { server, client }
    }

    fn fake(&self) -> &Handle {
        self.server.handle()
    }

    fn chat(&self, user: i64) -> ChatView {
        self.fake().chat(user)
    }

    async fn execute(&self, effects: &[Effect]) -> Vec<EffectOutcome> {
        self.client.execute(effects).await
    }

    /// A photo the person sent, so that its file id is known to the server.
    async fn photo_from(&self, user: i64) -> PhotoId {
        self.fake().send_photo(user, None).await;
        let file_id = self
            .chat(user)
            .messages
            .iter()
            .rev()
            .find_map(|message| message.file_id.clone())
            .expect("the photo's file id");
        PhotoId(file_id)
    }
}

fn send(chat: i64, text: RichText, keyboard: Keyboard) -> Effect {
    Effect::Send {
        chat: ChatId(chat),
        text,
        keyboard,
    }
}

fn callback_button(label: &str, data: &str) -> InlineButton {
    InlineButton {
        label: label.to_owned(),
        action: ButtonAction::Callback(data.to_owned()),
    }
}

fn all_ok(count: usize) -> Vec<EffectOutcome> {
    vec![EffectOutcome::Ok; count]
}

#[tokio::test]
async fn html_in_a_text_shows_literally_with_its_styles_and_reply_keyboard() {
    let setup = Setup::start().await;
    let text = RichText::default()
        .bold("<b>Bold & \"fake\"</b>")
        .text(" plain <i>")
        .italic(" 1 < 2 ")
        .push(
            Style::Link("https://maps.example/?a=1&b=\"2\"".to_owned()),
            "map",
        );
    let keyboard = Keyboard::Reply(vec![
        vec!["🗂 Catalog".to_owned(), "👤 Cabinet".to_owned()],
        vec!["❓ Help".to_owned()],
    ]);
    let outcomes = setup.execute(&[send(ANNA, text, keyboard)]).await;
    assert_eq!(outcomes, all_ok(1));

    let chat = setup.chat(ANNA);
    let message = chat.last_bot_message().expect("a bot message");
    assert_eq!(message.body(), "<b>Bold & \"fake\"</b> plain <i> 1 < 2 map");
    let kinds: Vec<&str> = message
        .entities
        .iter()
        .map(|entity| entity.kind.as_str())
        .collect();
    assert_eq!(kinds, ["bold", "italic", "text_link"]);
    assert_eq!(
        message
            .entities
            .last()
            .and_then(|entity| entity.url.clone())
            .as_deref(),
        Some("https://maps.example/?a=1&b=\"2\"")
    );
    let keyboard = chat.reply_keyboard.expect("a reply keyboard");
    assert_eq!(keyboard.labels(), ["🗂 Catalog", "👤 Cabinet", "❓ Help"]);
    assert!(keyboard.resize_keyboard);

    let outcomes = setup
        .execute(&[send(ANNA, RichText::plain("bye"), Keyboard::RemoveReply)])
        .await;
    assert_eq!(outcomes, all_ok(1));
    assert_eq!(setup.chat(ANNA).reply_keyboard, None);
}

#[tokio::test]
async fn a_text_over_the_limit_arrives_cut_instead_of_refused() {
    let setup = Setup::start().await;
    let long = "Нячанг & <море> 🏖️ ".repeat(400);
    let outcomes = setup
        .execute(&[send(ANNA, RichText::default().bold(long), Keyboard::None)])
        .await;
    assert_eq!(outcomes, all_ok(1));
    let chat = setup.chat(ANNA);
    let body = chat
        .last_bot_message()
        .expect("a bot message")
        .body()
        .to_owned();
    assert!(body.chars().count() <= 4096, "{}", body.chars().count());
    assert!(body.starts_with("Нячанг & <море> 🏖️"));
    assert!(body.ends_with('…'));
}

#[tokio::test]
async fn inline_keyboards_are_sent_and_edits_replace_text_and_buttons() {
    let setup = Setup::start().await;
    let keyboard = Keyboard::Inline(vec![
        vec![callback_button("Yes", "y:1"), callback_button("No", "n:1")],
        vec![InlineButton {
            label: "Map".to_owned(),
            action: ButtonAction::Url("https://maps.example/1".to_owned()),
        }],
    ]);
    let outcomes = setup
        .execute(&[send(ANNA, RichText::plain("Page 1"), keyboard)])
        .await;
    assert_eq!(outcomes, all_ok(1));
    let chat = setup.chat(ANNA);
    let sent = chat.last_bot_message().expect("a bot message");
    assert_eq!(sent.button_labels(), ["Yes", "No", "Map"]);
    assert_eq!(
        sent.button("No").and_then(|b| b.callback_data.as_deref()),
        Some("n:1")
    );
    assert_eq!(
        sent.button("Map").and_then(|b| b.url.as_deref()),
        Some("https://maps.example/1")
    );
    let message = MessageId(i64::from(sent.message_id));

    let edit = |text: &str, keyboard: Vec<Vec<InlineButton>>| Effect::Edit {
        chat: ChatId(ANNA),
        message,
        text: RichText::default().bold(text),
        keyboard,
    };
    let page_two = edit("Page 2 <&>", vec![vec![callback_button("Back", "b:1")]]);
    // The same edit twice: Telegram answers "message is not modified" to the second.
    let outcomes = setup.execute(&[page_two.clone(), page_two]).await;
    assert_eq!(outcomes, all_ok(2));
    let chat = setup.chat(ANNA);
    let edited = chat.message(sent.message_id).expect("the edited message");
    assert!(edited.edited);
    assert_eq!(edited.body(), "Page 2 <&>");
    assert_eq!(edited.button_labels(), ["Back"]);
    assert_eq!(chat.bot_messages().count(), 1);

    let outcomes = setup.execute(&[edit("Done", vec![])]).await;
    assert_eq!(outcomes, all_ok(1));
    let chat = setup.chat(ANNA);
    let done = chat.message(sent.message_id).expect("the edited message");
    assert_eq!(done.body(), "Done");
    assert!(done.inline_keyboard.is_empty());
}

#[tokio::test]
async fn one_photo_goes_as_a_photo_and_several_as_albums() {
    let setup = Setup::start().await;
    let mut photos = Vec::new();
    for _ in 0..12 {
        photos.push(setup.photo_from(ANNA).await);
    }
    let one = Effect::SendPhotos {
        chat: ChatId(ANNA),
        photos: photos[..1].to_vec(),
    };
    let twelve = Effect::SendPhotos {
        chat: ChatId(ANNA),
        photos: photos.clone(),
    };
    let outcomes = setup.execute(&[one, twelve]).await;
    assert_eq!(outcomes, all_ok(2));

    let chat = setup.chat(ANNA);
    let sent: Vec<_> = chat.bot_messages().collect();
    assert_eq!(sent.len(), 13);
    assert!(
        sent.iter()
            .all(|message| message.kind == MessageKind::Photo)
    );
    let file_ids: Vec<String> = sent.iter().filter_map(|m| m.file_id.clone()).collect();
    let expected: Vec<String> = photos[..1]
        .iter()
        .chain(&photos)
        .map(|photo| photo.0.clone())
        .collect();
    assert_eq!(file_ids, expected);
    // 12 photos: an album of ten, then the last two as another album.
    let groups: Vec<Option<&str>> = sent.iter().map(|m| m.media_group_id.as_deref()).collect();
    assert_eq!(groups[0], None);
    assert!(
        groups[1..11]
            .iter()
            .all(|group| group.is_some() && *group == groups[1])
    );
    assert!(groups[11].is_some() && groups[11] == groups[12] && groups[11] != groups[1]);
    let stats = setup.fake().stats();
    assert_eq!(stats.calls_of("sendPhoto"), 1);
    assert_eq!(stats.calls_of("sendMediaGroup"), 2);
}

#[tokio::test]
async fn an_image_sent_as_a_file_goes_back_as_a_file() {
    let setup = Setup::start().await;
    setup.fake().send_photo_as_document(ANNA).await;
    let document = setup
        .chat(ANNA)
        .messages
        .iter()
        .find(|message| message.kind == MessageKind::Document)
        .and_then(|message| message.file_id.clone())
        .expect("the person's file");
    let photos = Effect::SendPhotos {
        chat: ChatId(ANNA),
        photos: vec![PhotoId(document.clone())],
    };
    assert_eq!(setup.execute(&[photos]).await, all_ok(1));
    let sent = setup
        .chat(ANNA)
        .last_bot_message()
        .cloned()
        .expect("a bot message");
    assert_eq!(
        (sent.kind, sent.file_id),
        (MessageKind::Document, Some(document))
    );
    assert_eq!(setup.fake().stats().calls_of("sendDocument"), 1);
}

#[tokio::test]
async fn button_presses_are_answered_with_a_cut_notice() {
    let setup = Setup::start().await;
    setup
        .execute(&[send(
            ANNA,
            RichText::plain("Delete?"),
            Keyboard::Inline(vec![vec![callback_button("Yes", "d:1")]]),
        )])
        .await;
    setup
        .fake()
        .press_inline_button(ANNA, "Yes")
        .await
        .expect("the button exists");
    let id = setup
        .chat(ANNA)
        .callbacks
        .last()
        .map(|callback| callback.id.clone())
        .expect("a press");
    let outcomes = setup
        .execute(&[Effect::AnswerCallback {
            id: id.clone(),
            text: Some("Долго ".repeat(50)),
            alert: true,
        }])
        .await;
    assert_eq!(outcomes, all_ok(1));
    let answer = setup.fake().callback_answer(&id).expect("an answer");
    assert!(answer.show_alert);
    let text = answer.text.expect("a notice");
    assert_eq!(text.chars().count(), 198, "{text}");
    assert!(text.starts_with("Долго Долго") && text.ends_with("Долго…"));

    // A second answer to the same press is refused: a failure, not a block.
    let outcomes = setup
        .execute(&[Effect::AnswerCallback {
            id,
            text: None,
            alert: false,
        }])
        .await;
    assert!(
        matches!(&outcomes[..], [EffectOutcome::Failed(error)] if error.code() == Some(400)),
        "{outcomes:?}"
    );
}

#[tokio::test]
async fn a_blocked_person_is_reported_once_and_the_others_still_get_theirs() {
    let setup = Setup::start().await;
    setup.fake().block(ANNA).await;
    let effects = [
        send(ANNA, RichText::plain("one"), Keyboard::None),
        send(BORIS, RichText::plain("for Boris"), Keyboard::None),
        Effect::SendPhotos {
            chat: ChatId(ANNA),
            photos: vec![PhotoId("any".to_owned())],
        },
    ];
    let outcomes = setup.execute(&effects).await;
    assert_eq!(
        outcomes,
        [
            EffectOutcome::Blocked(ChatId(ANNA)),
            EffectOutcome::Ok,
            EffectOutcome::Skipped(ChatId(ANNA)),
        ]
    );
    assert_eq!(setup.chat(BORIS).bot_messages().count(), 1);
    assert_eq!(setup.fake().stats().calls_of("sendPhoto"), 0);
}

#[tokio::test]
async fn floods_and_server_errors_are_retried_until_delivered() {
    let setup = Setup::start().await;
    let fake = setup.fake();
    fake.fail_next("sendMessage", 1, Fault::TooManyRequests { retry_after: 1 });
    let started = Instant::now();
    let outcomes = setup
        .execute(&[send(
            ANNA,
            RichText::plain("after the flood"),
            Keyboard::None,
        )])
        .await;
    assert_eq!(outcomes, all_ok(1));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(fake.stats().calls_of("sendMessage"), 2);

    fake.fail_next("sendMessage", 2, Fault::ServerError { status: 502 });
    fake.fail_next("editMessageText", 1, Fault::Disconnect);
    let message = MessageId(i64::from(
        setup
            .chat(ANNA)
            .last_bot_message()
            .expect("a bot message")
            .message_id,
    ));
    let outcomes = setup
        .execute(&[
            send(ANNA, RichText::plain("after two 502s"), Keyboard::None),
            Effect::Edit {
                chat: ChatId(ANNA),
                message,
                text: RichText::plain("edited after a reset"),
                keyboard: vec![],
            },
        ])
        .await;
    assert_eq!(outcomes, all_ok(2));
    let bodies: Vec<String> = setup
        .chat(ANNA)
        .bot_messages()
        .map(|message| message.body().to_owned())
        .collect();
    assert_eq!(bodies, ["edited after a reset", "after two 502s"]);
    assert_eq!(fake.stats().calls_of("sendMessage"), 5);
}

#[tokio::test]
async fn a_flood_wait_beyond_the_cap_or_endless_failures_give_up() {
    let setup = Setup::start().await;
    let fake = setup.fake();
    fake.fail_next("sendMessage", 1, Fault::TooManyRequests { retry_after: 60 });
    fake.fail_next(
        "answerCallbackQuery",
        10,
        Fault::ServerError { status: 500 },
    );
    let outcomes = setup
        .execute(&[
            send(ANNA, RichText::plain("x"), Keyboard::None),
            Effect::AnswerCallback {
                id: "1".to_owned(),
                text: None,
                alert: false,
            },
            send(ANNA, RichText::plain("still sent"), Keyboard::None),
        ])
        .await;
    let retry_after: Vec<Option<u32>> = outcomes
        .iter()
        .map(|outcome| match outcome {
            EffectOutcome::Failed(error) => error.retry_after().or(error.code().map(u32::from)),
            _ => None,
        })
        .collect();
    assert_eq!(retry_after, [Some(60), Some(500), None]);
    let stats = fake.stats();
    assert_eq!(stats.calls_of("sendMessage"), 2);
    assert_eq!(stats.calls_of("answerCallbackQuery"), 4);
}

#[tokio::test]
async fn one_chat_gets_a_burst_and_then_one_message_a_second() {
    let setup = Setup::with_limits(Some(RateLimits::default())).await;
    let effects: Vec<Effect> = (0..4)
        .map(|n| {
            send(
                ANNA,
                RichText::plain(format!("message {n}")),
                Keyboard::None,
            )
        })
        .collect();
    // The exact schedule (a burst of three, then one a second) is checked on a paused clock
    // in the sender's unit tests; here only that the limit holds over real HTTP.
    let started = Instant::now();
    let burst = setup.execute(&effects[..3]).await;
    let fourth = setup.execute(&effects[3..]).await;
    assert_eq!([burst, fourth].concat(), all_ok(4));
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(setup.chat(ANNA).bot_messages().count(), 4);
}

#[tokio::test]
async fn polling_returns_raw_updates_of_every_kind_and_confirms_by_offset() {
    let setup = Setup::start().await;
    let fake = setup.fake();
    fake.send_text(ANNA, "hello <b>").await;
    fake.send_command(ANNA, "/start@test_bot ref").await;
    fake.inject_update(json!({"some_future_kind": {"chat": {"id": ANNA}}}))
        .await
        .expect("a raw update");
    fake.send_sticker(ANNA).await;
    fake.send_photo_as_document(ANNA).await;
    fake.send_photo(ANNA, Some("caption")).await;

    let updates = setup
        .client
        .get_updates(None, 100, 0, &[])
        .await
        .expect("updates");
    let decoded: Vec<Decoded> = updates.iter().map(RawUpdate::decode).collect();
    let inputs: Vec<Result<Input, SkipReason>> = decoded
        .iter()
        .map(|decoded| match decoded {
            Decoded::Incoming { incoming, .. } => {
                assert_eq!(incoming.chat, ChatId(ANNA));
                assert_eq!(incoming.from.first_name, "Anna");
                assert_eq!(incoming.from.language_code.as_deref(), Some("ru"));
                Ok(incoming.input.clone())
            }
            Decoded::Skipped { reason, .. } => Err(reason.clone()),
        })
        .collect();
    let file_of = |kind: MessageKind| {
        setup
            .chat(ANNA)
            .messages
            .iter()
            .find(|message| message.kind == kind)
            .and_then(|message| message.file_id.clone())
            .expect("a file id")
    };
    let (document_id, photo_id) = (file_of(MessageKind::Document), file_of(MessageKind::Photo));
    assert_eq!(
        inputs,
        [
            Ok(Input::Text("hello <b>".to_owned())),
            Ok(Input::Command {
                name: "start".to_owned(),
                args: "ref".to_owned()
            }),
            Err(SkipReason::UnknownKind("some_future_kind".to_owned())),
            Ok(Input::Unsupported),
            Ok(Input::Photo(PhotoId(document_id))),
            Ok(Input::Photo(PhotoId(photo_id))),
        ]
    );
    let ids: Vec<i64> = updates.iter().map(|update| update.update_id).collect();
    assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "{ids:?}");
    assert_eq!(
        decoded.iter().map(Decoded::update_id).collect::<Vec<_>>(),
        ids
    );

    let last = ids.last().copied().expect("an id");
    let rest = setup
        .client
        .get_updates(Some(last + 1), 100, 0, &UpdateKind::SERVED)
        .await
        .expect("updates");
    assert!(rest.is_empty(), "{rest:?}");
    assert_eq!(fake.stats().pending_updates, 0);
}

#[tokio::test]
async fn presses_arrive_as_callbacks_with_their_message() {
    let setup = Setup::start().await;
    setup
        .execute(&[send(
            ANNA,
            RichText::plain("Pick"),
            Keyboard::Inline(vec![vec![callback_button("A", "pick:a")]]),
        )])
        .await;
    let message_id = setup
        .chat(ANNA)
        .last_bot_message()
        .expect("a message")
        .message_id;
    setup
        .fake()
        .press_inline_button(ANNA, "A")
        .await
        .expect("pressed");
    let updates = setup
        .client
        .get_updates(None, 100, 0, &UpdateKind::SERVED)
        .await
        .expect("updates");
    let id = setup.chat(ANNA).callbacks[0].id.clone();
    let inputs: Vec<Option<Input>> = updates
        .iter()
        .map(|update| match update.decode() {
            Decoded::Incoming { incoming, .. } => Some(incoming.input),
            Decoded::Skipped { .. } => None,
        })
        .collect();
    assert_eq!(
        inputs,
        [Some(Input::Callback {
            id,
            message: Some(MessageId(i64::from(message_id))),
            data: "pick:a".to_owned(),
        })]
    );
}

#[tokio::test]
async fn conflicts_tell_another_poller_from_a_webhook() {
    let setup = Setup::start().await;
    let poller = setup.client.clone();
    let long_poll = tokio::spawn(async move { poller.get_updates(None, 100, 30, &[]).await });
    setup
        .fake()
        .wait_for_stats(
            |stats| stats.get_updates_in_flight == 1,
            Duration::from_secs(10),
        )
        .await
        .expect("the long poll is waiting");
    let second = setup.client.get_updates(None, 100, 0, &[]).await;
    let first = long_poll.await.expect("the long poll ends");
    assert_eq!(
        first
            .map(|updates| updates.len())
            .map_err(|error| error.conflict_cause()),
        Err(Some(ConflictCause::OtherPoller))
    );
    assert_eq!(second.map(|updates| updates.len()), Ok(0));

    let url = "https://bot.example/bot/webhook";
    setup
        .client
        .set_webhook(url, "s3cret_-token", &UpdateKind::SERVED)
        .await
        .expect("the webhook is set");
    let refused = setup.client.get_updates(None, 100, 0, &[]).await;
    assert_eq!(
        refused
            .map(|updates| updates.len())
            .map_err(|error| error.conflict_cause()),
        Err(Some(ConflictCause::WebhookActive))
    );
    let status = setup.client.get_webhook_info().await.expect("webhook info");
    assert!(status.is_set_to(url, &UpdateKind::SERVED), "{status:?}");
    let hook = setup.fake().webhook().expect("a webhook");
    assert_eq!(hook.secret_token.as_deref(), Some("s3cret_-token"));

    setup.client.delete_webhook(false).await.expect("deleted");
    let status = setup.client.get_webhook_info().await.expect("webhook info");
    assert_eq!(status.url, None);
    assert!(setup.client.get_updates(None, 100, 0, &[]).await.is_ok());
}

#[tokio::test]
async fn get_me_names_the_bot_and_a_wrong_token_is_an_api_error() {
    let setup = Setup::start().await;
    let me = setup.client.get_me().await.expect("getMe");
    assert_eq!(
        (me.id, me.username.as_str(), me.first_name.as_str()),
        (123_456_789, "test_bot", "Test Bot")
    );

    let wrong = TelegramClient::new(&setup.server.base_url(), "1:wrong")
        .expect("a client")
        .with_rate_limits(None);
    let error = wrong.get_me().await.expect_err("refused");
    assert!(
        matches!(
            error,
            TelegramError::Api {
                code: 401 | 404,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_profile_texts_are_set_per_language_once_and_only_when_they_differ() {
    use vitrina_fake_bot_api::ProfileField::{Description, ShortDescription};

    let setup = Setup::start().await;
    let catalog = Catalog::load().expect("the catalog loads");
    let set = setup
        .client
        .sync_profile(&catalog, Locale::Ru, Some("@vitrina_admins"))
        .await
        .expect("profile set");
    // Two texts for the default and for each locale but the default's own, which Telegram
    // already serves from the default.
    assert_eq!(set, 8);
    let fake = setup.fake();
    assert_eq!(fake.profile_text(Description, "ru"), None);
    for (language, locale) in [
        ("", Locale::Ru),
        ("en", Locale::En),
        ("vi", Locale::Vi),
        ("ko", Locale::Ko),
    ] {
        let description = fake.profile_text(Description, language).expect("set");
        assert!(
            description.starts_with(&catalog.text(locale, "bot-description")),
            "{language:?}: {description}"
        );
        assert!(description.contains("@vitrina_admins"), "{description}");
        assert_eq!(
            fake.profile_text(ShortDescription, language),
            Some(catalog.text(locale, "bot-short-description"))
        );
    }
    let calls = fake.stats().calls_of("setMyDescription");

    // A restart with the same texts sets nothing.
    let again = setup
        .client
        .sync_profile(&catalog, Locale::Ru, Some("@vitrina_admins"))
        .await
        .expect("profile checked");
    assert_eq!(again, 0);
    assert_eq!(fake.stats().calls_of("setMyDescription"), calls);

    // A new contact changes the descriptions only.
    let changed = setup
        .client
        .sync_profile(&catalog, Locale::Ru, Some("admins@vitrina.example"))
        .await
        .expect("profile updated");
    assert_eq!(changed, 4);
    assert!(
        fake.profile_text(Description, "ko")
            .is_some_and(|text| text.contains("admins@vitrina.example"))
    );
}

#[tokio::test]
async fn command_menus_are_registered_per_language_and_for_admins() {
    let setup = Setup::start().await;
    let catalog = Catalog::load().expect("the catalog loads");
    setup
        .client
        .set_commands(&catalog, Locale::Ru, &[ANNA])
        .await
        .expect("commands set");
    let fake = setup.fake();
    let names = |commands: &[vitrina_fake_bot_api::BotCommand]| {
        commands
            .iter()
            .map(|c| c.command.clone())
            .collect::<Vec<_>>()
    };
    let public = [
        "start",
        "menu",
        "catalog",
        "cabinet",
        "language",
        "help",
        "policy",
        "cancel",
        "search",
        "forget_me",
    ];
    for (language, locale) in [
        ("", Locale::Ru),
        ("ru", Locale::Ru),
        ("en", Locale::En),
        ("vi", Locale::Vi),
        ("ko", Locale::Ko),
    ] {
        let commands = fake.commands_for(language).expect("a public menu");
        assert_eq!(names(&commands), public, "{language:?}");
        assert_eq!(
            commands.first().map(|c| c.description.clone()),
            Some(catalog.text(locale, "cmd-start")),
            "{language:?}"
        );
    }
    let admin_sets: Vec<_> = fake
        .commands()
        .into_iter()
        .filter(|set| set.scope == json!({"type": "chat", "chat_id": ANNA}))
        .collect();
    assert_eq!(admin_sets.len(), 5);
    for set in admin_sets {
        assert_eq!(
            names(&set.commands).last().map(String::as_str),
            Some("moderate")
        );
        assert_eq!(set.commands.len(), public.len() + 1);
    }
    assert_eq!(fake.commands().len(), 10);
}
