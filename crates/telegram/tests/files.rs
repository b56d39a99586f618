//! Photos uploaded from bytes and fetched back by `file_id`, a web_app button and the menu
//! button, against the Bot API double over real HTTP.

use vitrina_dialog::{ButtonAction, ChatId, Effect, InlineButton, Keyboard, RichText};
use vitrina_fake_bot_api::{Config, FakeBotApi, MessageKind};
use vitrina_telegram::{EffectOutcome, TelegramClient, TelegramError, TelegramFiles};

const LAN: i64 = 42;
const JPEG: &[u8] = b"\xff\xd8\xff\xe0 not really a photo, but bytes to keep";

#[tokio::test]
async fn an_uploaded_photo_lands_in_the_chat_and_comes_back_whole() {
    let server = FakeBotApi::start(Config::default()).await.expect("starts");
    server.handle().user(LAN);
    let files = TelegramFiles::new(&server.base_url(), server.token());
    let file_id = files
        .upload_photo(LAN, JPEG.to_vec(), "photo.jpg", "image/jpeg")
        .await
        .expect("uploaded");
    let chat = server.handle().chat(LAN);
    let message = chat.last_bot_message().expect("the photo in the chat");
    assert_eq!(message.kind, MessageKind::Photo);
    assert_eq!(files.download(&file_id).await.expect("downloaded"), JPEG);

    let unknown = files.download("no-such-file").await;
    assert!(
        matches!(unknown, Err(TelegramError::Api { code: 400, .. })),
        "{unknown:?}"
    );
    let stranger = files
        .upload_photo(999_999, JPEG.to_vec(), "photo.jpg", "image/jpeg")
        .await;
    assert!(
        matches!(stranger, Err(TelegramError::Api { .. })),
        "{stranger:?}"
    );
}

#[tokio::test]
async fn web_app_buttons_and_the_menu_button_reach_the_chat() {
    let server = FakeBotApi::start(Config::default()).await.expect("starts");
    server.handle().user(LAN);
    let client = TelegramClient::new(&server.base_url(), server.token())
        .expect("client")
        .with_rate_limits(None);
    let url = "https://bot.example.org/app/";
    let effect = Effect::Send {
        chat: ChatId(LAN),
        text: RichText::plain("Open the web cabinet"),
        keyboard: Keyboard::Inline(vec![vec![InlineButton {
            label: "🖥 Web cabinet".into(),
            action: ButtonAction::WebApp(url.into()),
        }]]),
    };
    let outcomes = client.execute(&[effect]).await;
    assert!(
        matches!(outcomes.as_slice(), [EffectOutcome::Ok]),
        "{outcomes:?}"
    );
    let chat = server.handle().chat(LAN);
    let button = chat
        .last_bot_message()
        .and_then(|message| message.button("🖥 Web cabinet"))
        .cloned()
        .expect("the button");
    assert_eq!(button.web_app.as_deref(), Some(url));

    client
        .set_web_app_menu_button("🖥 Web cabinet", url)
        .await
        .expect("set");
    let menu = server
        .handle()
        .menu_button(None)
        .expect("the default menu button");
    assert_eq!(menu["web_app"]["url"], url);
    assert_eq!(menu["text"], "🖥 Web cabinet");
    let refused = client
        .set_web_app_menu_button("🖥 Web cabinet", "http://bot.example.org/app/")
        .await;
    assert!(
        matches!(refused, Err(TelegramError::Api { code: 400, .. })),
        "Telegram takes only https: {refused:?}"
    );
}
