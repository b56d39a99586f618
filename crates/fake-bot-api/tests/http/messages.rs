//! Sending, editing, keyboards, button presses, blocked users and injected faults.

use std::time::Duration;

use frankenstein::methods::{
    AnswerCallbackQueryParams, EditMessageTextParams, GetUpdatesParams, SendMessageParams,
    SendPhotoParams, SetMyCommandsParams,
};
use frankenstein::types::{
    BotCommand, ChatMember, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton,
    MaybeInaccessibleMessage, ReplyKeyboardMarkup, ReplyKeyboardRemove, ReplyMarkup,
};
use frankenstein::updates::UpdateContent;
use frankenstein::{AsyncTelegramApi, ParseMode};
use vitrina_fake_bot_api::{ControlError, Fault, MessageKind};

use crate::support::{api_error, check_error, start};

fn text(chat_id: i64, text: &str) -> SendMessageParams {
    SendMessageParams::builder()
        .chat_id(chat_id)
        .text(text)
        .build()
}

fn inline(buttons: &[(&str, &str)]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::builder()
        .inline_keyboard(vec![
            buttons
                .iter()
                .map(|(label, data)| {
                    InlineKeyboardButton::builder()
                        .text(*label)
                        .callback_data(*data)
                        .build()
                })
                .collect(),
        ])
        .build()
}

fn reply_keyboard(labels: &[&str]) -> ReplyMarkup {
    ReplyMarkup::ReplyKeyboardMarkup(
        ReplyKeyboardMarkup::builder()
            .keyboard(vec![
                labels
                    .iter()
                    .map(|label| KeyboardButton::builder().text(*label).build())
                    .collect(),
            ])
            .resize_keyboard(true)
            .build(),
    )
}

#[tokio::test]
async fn send_message_refuses_what_telegram_refuses_with_its_exact_words() {
    let fixture = start().await;
    fixture.fake().user(5);
    let bot = &fixture.bot;
    let cases: Vec<(SendMessageParams, &str)> = vec![
        (text(5, ""), "Bad Request: message text is empty"),
        (
            text(5, &"x".repeat(4097)),
            "Bad Request: message is too long",
        ),
        (
            SendMessageParams::builder()
                .chat_id(5)
                .text("Tom & Jerry <3")
                .parse_mode(ParseMode::Html)
                .build(),
            "Bad Request: can't parse entities: Character '&' at byte offset 4 must be escaped as \"&amp;\"",
        ),
        (
            SendMessageParams::builder()
                .chat_id(5)
                .text("Tom &amp; Jerry <3 forever")
                .parse_mode(ParseMode::Html)
                .build(),
            "Bad Request: can't parse entities: Unsupported start tag \"3\" at byte offset 16",
        ),
        (
            SendMessageParams::builder()
                .chat_id(5)
                .text("pick")
                .reply_markup(ReplyMarkup::InlineKeyboardMarkup(inline(&[(
                    "A",
                    &"d".repeat(65),
                )])))
                .build(),
            "Bad Request: BUTTON_DATA_INVALID",
        ),
        (text(6, "who?"), "Bad Request: chat not found"),
    ];
    for (params, description) in cases {
        check_error(bot.send_message(&params).await, 400, description);
    }
    assert!(
        fixture.fake().chat(5).messages.is_empty(),
        "nothing refused reaches the chat"
    );
    bot.send_message(&text(5, &"x".repeat(4096))).await.unwrap();
}

#[tokio::test]
async fn html_is_shown_as_the_user_sees_it() {
    let fixture = start().await;
    let alice = fixture.fake().user(5);
    let sent = fixture
        .bot
        .send_message(
            &SendMessageParams::builder()
                .chat_id(5)
                .text("<b>Café</b> &lt;Nha Trang&gt;")
                .parse_mode(ParseMode::Html)
                .build(),
        )
        .await
        .unwrap()
        .result;
    assert_eq!(sent.text.as_deref(), Some("Café <Nha Trang>"));
    let entity = &sent.entities.unwrap()[0];
    assert_eq!((entity.offset, entity.length), (0, 4));
    let chat = fixture.fake().chat(&alice);
    assert_eq!(
        chat.last_bot_message().map(|message| message.body()),
        Some("Café <Nha Trang>")
    );
}

#[tokio::test]
async fn edits_show_in_the_chat_and_identical_edits_are_refused() {
    let fixture = start().await;
    let fake = fixture.fake();
    let alice = fake.user(5);
    let keyboard = inline(&[("Next", "page:2")]);
    let sent = fixture
        .bot
        .send_message(
            &SendMessageParams::builder()
                .chat_id(5)
                .text("page 1")
                .reply_markup(ReplyMarkup::InlineKeyboardMarkup(keyboard.clone()))
                .build(),
        )
        .await
        .unwrap()
        .result;
    let edit = |body: &str| {
        EditMessageTextParams::builder()
            .chat_id(5)
            .message_id(sent.message_id)
            .text(body)
            .reply_markup(keyboard.clone())
            .build()
    };
    fixture
        .bot
        .edit_message_text(&edit("page 2"))
        .await
        .unwrap();
    let chat = fake.chat(&alice);
    let message = chat.message(sent.message_id).unwrap();
    assert_eq!((message.body(), message.edited), ("page 2", true));
    assert_eq!(
        message
            .button("Next")
            .and_then(|button| button.callback_data.as_deref()),
        Some("page:2")
    );

    let error = api_error(fixture.bot.edit_message_text(&edit("page 2")).await);
    assert_eq!(error.error_code, 400);
    assert!(
        error
            .description
            .starts_with("Bad Request: message is not modified: "),
        "{}",
        error.description
    );
    let missing = EditMessageTextParams::builder()
        .chat_id(5)
        .message_id(999)
        .text("x")
        .build();
    check_error(
        fixture.bot.edit_message_text(&missing).await,
        400,
        "Bad Request: message to edit not found",
    );
}

#[tokio::test]
async fn inline_presses_become_callback_queries_with_the_button_data() {
    let fixture = start().await;
    let fake = fixture.fake();
    let alice = fake.user(5).with_language("ru");
    let sent = fixture
        .bot
        .send_message(
            &SendMessageParams::builder()
                .chat_id(5)
                .text("Language?")
                .reply_markup(ReplyMarkup::InlineKeyboardMarkup(inline(&[
                    ("Русский", "lang:ru"),
                    ("English", "lang:en"),
                ])))
                .build(),
        )
        .await
        .unwrap()
        .result;
    let pressed = fake.press_inline_button(&alice, "English").await.unwrap();

    let updates = fixture
        .bot
        .get_updates(&GetUpdatesParams::builder().build())
        .await
        .unwrap()
        .result;
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0].update_id, pressed);
    let UpdateContent::CallbackQuery(query) = &updates[0].content else {
        panic!("expected a callback query, got {:?}", updates[0]);
    };
    assert_eq!(query.data.as_deref(), Some("lang:en"));
    assert_eq!(query.from.id, 5);
    let Some(MaybeInaccessibleMessage::Message(message)) = &query.message else {
        panic!("the callback query carries its message");
    };
    assert_eq!(message.message_id, sent.message_id);

    let answer = AnswerCallbackQueryParams::builder()
        .callback_query_id(query.id.clone())
        .text("Saved")
        .build();
    assert!(
        fixture
            .bot
            .answer_callback_query(&answer)
            .await
            .unwrap()
            .result
    );
    let answered = fake.callback_answer(&query.id).unwrap();
    assert_eq!(
        (answered.text.as_deref(), answered.show_alert),
        (Some("Saved"), false)
    );
    check_error(
        fixture.bot.answer_callback_query(&answer).await,
        400,
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
    );

    let missing = fake.press_inline_button(&alice, "Deutsch").await;
    assert!(
        matches!(missing, Err(ControlError::NoSuchInlineButton { .. })),
        "{missing:?}"
    );
}

#[tokio::test]
async fn answering_an_unknown_callback_query_fails() {
    let fixture = start().await;
    let answer = AnswerCallbackQueryParams::builder()
        .callback_query_id("1234567890")
        .build();
    check_error(
        fixture.bot.answer_callback_query(&answer).await,
        400,
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
    );
}

#[tokio::test]
async fn reply_buttons_can_be_pressed_only_while_shown() {
    let fixture = start().await;
    let fake = fixture.fake();
    let alice = fake.user(5);
    let not_yet = fake.press_reply_button(&alice, "Catalog").await;
    assert!(
        matches!(not_yet, Err(ControlError::NoSuchReplyButton { .. })),
        "{not_yet:?}"
    );

    let menu = SendMessageParams::builder()
        .chat_id(5)
        .text("Menu")
        .reply_markup(reply_keyboard(&["Catalog", "Help"]))
        .build();
    fixture.bot.send_message(&menu).await.unwrap();
    assert_eq!(
        fake.chat(&alice).reply_keyboard.unwrap().labels(),
        vec!["Catalog", "Help"]
    );
    let missing = fake.press_reply_button(&alice, "Cabinet").await;
    let Err(ControlError::NoSuchReplyButton { keyboard, .. }) = missing else {
        panic!("expected a missing button, got {missing:?}");
    };
    assert_eq!(keyboard, "[Catalog | Help] ");
    let pressed = fake.press_reply_button(&alice, "Catalog").await.unwrap();
    let updates = fixture
        .bot
        .get_updates(&GetUpdatesParams::builder().build())
        .await
        .unwrap()
        .result;
    let UpdateContent::Message(message) = &updates[0].content else {
        panic!("expected a message");
    };
    assert_eq!(
        (updates[0].update_id, message.text.as_deref()),
        (pressed, Some("Catalog"))
    );

    let remove = SendMessageParams::builder()
        .chat_id(5)
        .text("Bye")
        .reply_markup(ReplyMarkup::ReplyKeyboardRemove(
            ReplyKeyboardRemove::builder().remove_keyboard(true).build(),
        ))
        .build();
    fixture.bot.send_message(&remove).await.unwrap();
    assert!(fake.chat(&alice).reply_keyboard.is_none());
}

#[tokio::test]
async fn a_user_who_blocked_the_bot_cannot_be_written_to_until_they_write_again() {
    let fixture = start().await;
    let fake = fixture.fake();
    let alice = fake.user(5);
    fake.block(&alice).await;
    check_error(
        fixture.bot.send_message(&text(5, "hello?")).await,
        403,
        "Forbidden: bot was blocked by the user",
    );
    assert!(fake.chat(&alice).blocked);

    // Writing to a blocked bot means restarting it, which unblocks it first.
    fake.send_command(&alice, "start").await;
    let updates = fixture
        .bot
        .get_updates(&GetUpdatesParams::builder().build())
        .await
        .unwrap()
        .result;
    let statuses: Vec<String> = updates
        .iter()
        .map(|update| match &update.content {
            UpdateContent::MyChatMember(change) => match change.new_chat_member {
                ChatMember::Kicked(_) => "kicked".to_owned(),
                ChatMember::Member(_) => "member".to_owned(),
                ref other => panic!("unexpected status {other:?}"),
            },
            UpdateContent::Message(message) => message.text.clone().unwrap_or_default(),
            other => panic!("unexpected update {other:?}"),
        })
        .collect();
    assert_eq!(statuses, vec!["kicked", "member", "/start"]);
    fixture
        .bot
        .send_message(&text(5, "welcome back"))
        .await
        .unwrap();
}

#[tokio::test]
async fn injected_429_is_answered_then_the_call_succeeds() {
    let fixture = start().await;
    let fake = fixture.fake();
    fake.user(5);
    fake.fail_next("sendMessage", 1, Fault::TooManyRequests { retry_after: 3 });
    let error = api_error(fixture.bot.send_message(&text(5, "first try")).await);
    assert_eq!(
        (error.error_code, error.description.as_str()),
        (429, "Too Many Requests: retry after 3")
    );
    assert_eq!(
        error
            .parameters
            .and_then(|parameters| parameters.retry_after),
        Some(3)
    );
    assert!(
        fake.chat(5).messages.is_empty(),
        "a faulted call has no effect"
    );
    fixture
        .bot
        .send_message(&text(5, "second try"))
        .await
        .unwrap();
    assert_eq!(
        fake.chat(5)
            .last_bot_message()
            .map(|message| message.body()),
        Some("second try")
    );
    assert_eq!(fake.stats().calls_of("sendMessage"), 2);
}

#[tokio::test]
async fn injected_server_errors_and_hangups_reach_the_client() {
    let fixture = start().await;
    let fake = fixture.fake();
    fake.fail_next("getMe", 1, Fault::ServerError { status: 502 });
    fake.fail_next("getMe", 1, Fault::Disconnect);
    check_error(fixture.bot.get_me().await, 502, "Bad Gateway");
    let hung_up = fixture.bot.get_me().await;
    assert!(
        matches!(hung_up, Err(frankenstein::Error::HttpReqwest(_))),
        "{hung_up:?}"
    );
    fixture.bot.get_me().await.unwrap();
}

#[tokio::test]
async fn user_photos_can_be_sent_back_but_documents_are_not_photos() {
    let fixture = start().await;
    let fake = fixture.fake();
    let alice = fake.user(5);
    fake.send_photo(&alice, Some("front door")).await;
    fake.send_photo_as_document(&alice).await;
    fake.send_sticker(&alice).await;
    fake.send_voice(&alice).await;
    let updates = fixture
        .bot
        .get_updates(&GetUpdatesParams::builder().build())
        .await
        .unwrap()
        .result;
    let messages: Vec<_> = updates
        .iter()
        .map(|update| match &update.content {
            UpdateContent::Message(message) => message.clone(),
            other => panic!("expected messages, got {other:?}"),
        })
        .collect();
    let photo = messages[0]
        .photo
        .as_ref()
        .unwrap()
        .last()
        .unwrap()
        .file_id
        .clone();
    assert_eq!(messages[0].caption.as_deref(), Some("front door"));
    let document = messages[1].document.as_ref().unwrap().file_id.clone();
    assert!(messages[2].sticker.is_some() && messages[3].voice.is_some());

    let sent = fixture
        .bot
        .send_photo(
            &SendPhotoParams::builder()
                .chat_id(5)
                .photo(photo.clone())
                .caption("Card")
                .build(),
        )
        .await
        .unwrap()
        .result;
    assert_eq!(sent.photo.unwrap().last().unwrap().file_id, photo);
    check_error(
        fixture
            .bot
            .send_photo(
                &SendPhotoParams::builder()
                    .chat_id(5)
                    .photo(document)
                    .build(),
            )
            .await,
        400,
        "Bad Request: type of file mismatch",
    );
    let shown = fake.chat(&alice);
    let last = shown.last_bot_message().unwrap();
    assert_eq!(
        (last.kind, last.file_id.as_deref(), last.body()),
        (MessageKind::Photo, Some(photo.as_str()), "Card")
    );
}

#[tokio::test]
async fn command_lists_are_kept_per_language() {
    let fixture = start().await;
    let commands = vec![
        BotCommand::builder()
            .command("start")
            .description("Начать")
            .build(),
    ];
    let params = SetMyCommandsParams::builder()
        .commands(commands)
        .language_code("ru")
        .build();
    assert!(fixture.bot.set_my_commands(&params).await.unwrap().result);
    let listed = fixture.fake().commands_for("ru").unwrap();
    assert_eq!(
        (listed[0].command.as_str(), listed[0].description.as_str()),
        ("start", "Начать")
    );
    assert!(fixture.fake().commands_for("en").is_none());
}

#[tokio::test]
async fn waiting_for_a_reply_that_never_comes_reports_the_transcript() {
    let fixture = start().await;
    let fake = fixture.fake();
    fake.send_text(5, "anyone there?").await;
    let waited = fake
        .wait_for_bot_messages(5, 1, Duration::from_millis(200))
        .await;
    let Err(error @ ControlError::Timeout { .. }) = waited else {
        panic!("expected a timeout, got {waited:?}");
    };
    let report = error.to_string();
    assert!(report.contains("1 bot messages in chat 5"), "{report}");
    assert!(report.contains("#1 user: anyone there?"), "{report}");
}

#[tokio::test]
async fn venues_are_sent_and_request_buttons_send_the_location_or_the_phone() {
    let fixture = start().await;
    fixture.fake().user(5);
    let bot = &fixture.bot;
    let venue = |title: &str| {
        frankenstein::methods::SendVenueParams::builder()
            .chat_id(5)
            .latitude(12.2388)
            .longitude(109.1967)
            .title(title)
            .address("12 Tran Phu")
            .build()
    };
    bot.send_venue(&venue("Sea Shop")).await.unwrap();
    let sent = fixture.fake().chat(5).last_bot_message().cloned().unwrap();
    assert_eq!(sent.kind, MessageKind::Venue);
    let place = sent.place.unwrap();
    assert_eq!(
        (place.latitude, place.longitude),
        (12.2388, 109.1967),
        "the venue's place"
    );
    assert_eq!(place.title.as_deref(), Some("Sea Shop"));
    assert_eq!(place.address.as_deref(), Some("12 Tran Phu"));
    check_error(
        bot.send_venue(&venue(" ")).await,
        400,
        "Bad Request: title is empty",
    );

    let asking = ReplyMarkup::ReplyKeyboardMarkup(
        ReplyKeyboardMarkup::builder()
            .keyboard(vec![
                vec![
                    KeyboardButton::builder()
                        .text("Where am I")
                        .request_location(true)
                        .build(),
                ],
                vec![
                    KeyboardButton::builder()
                        .text("My phone")
                        .request_contact(true)
                        .build(),
                    KeyboardButton::builder().text("Plain").build(),
                ],
            ])
            .build(),
    );
    let params = SendMessageParams::builder()
        .chat_id(5)
        .text("Share, please")
        .reply_markup(asking)
        .build();
    bot.send_message(&params).await.unwrap();
    let keyboard = fixture.fake().chat(5).reply_keyboard.unwrap();
    assert_eq!(keyboard.location_buttons, ["Where am I"]);
    assert_eq!(keyboard.contact_buttons, ["My phone"]);
    // A plain button asks for nothing.
    assert!(matches!(
        fixture
            .fake()
            .press_location_button(5, "Plain", 1.0, 2.0)
            .await,
        Err(ControlError::NoSuchReplyButton { .. })
    ));

    fixture
        .fake()
        .press_location_button(5, "Where am I", 12.24, 109.19)
        .await
        .unwrap();
    fixture
        .fake()
        .press_contact_button(5, "My phone", "84905123456")
        .await
        .unwrap();
    fixture
        .fake()
        .send_venue(5, 12.25, 109.2, "Chợ đêm", "Trần Phú")
        .await;
    let updates = bot
        .get_updates(&GetUpdatesParams::builder().build())
        .await
        .unwrap()
        .result;
    let messages: Vec<_> = updates
        .iter()
        .map(|update| match &update.content {
            UpdateContent::Message(message) => message.clone(),
            other => panic!("unexpected update {other:?}"),
        })
        .collect();
    let [location, contact, venue] = messages.as_slice() else {
        panic!("three messages expected: {messages:?}");
    };
    let pin = location.location.as_deref().unwrap();
    assert_eq!((pin.latitude, pin.longitude), (12.24, 109.19));
    let shared = contact.contact.as_deref().unwrap();
    assert_eq!(shared.phone_number, "84905123456");
    assert_eq!(shared.user_id, Some(5));
    let picked = venue.venue.as_deref().unwrap();
    assert_eq!(picked.title, "Chợ đêm");
    // As Telegram does, a venue message carries its location too.
    assert_eq!(venue.location.as_deref().unwrap().latitude, 12.25);
}
