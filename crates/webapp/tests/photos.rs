//! Photos through the API: uploaded to Telegram (the Bot API double), kept by `file_id`, and
//! shown back through getFile.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{Method, Request, StatusCode};
use serde_json::Value;
use vitrina_cards::UserId;
use vitrina_dialog::{Settings, UserRepository as _};
use vitrina_fake_bot_api::{Config, FakeBotApi, MessageKind};
use vitrina_i18n::Catalog;
use vitrina_storage::Db;
use vitrina_telegram::TelegramFiles;
use vitrina_webapp::{InitDataCheck, Photos, WebApp, WebAppUser};

const PARTNER: i64 = 77;
const STORAGE_CHAT: i64 = 78;
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n not a real image, but bytes to keep";

fn request(
    check: &InitDataCheck,
    method: Method,
    path: &str,
    kind: &str,
    body: Bytes,
) -> Request<Bytes> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let user = WebAppUser {
        id: PARTNER,
        first_name: "Lan".into(),
        username: None,
        language_code: Some("en".into()),
    };
    let init_data = check.sign(&user, i64::try_from(now).unwrap());
    Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("tma {init_data}"))
        .header("content-type", kind)
        .body(body)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_uploaded_photo_is_kept_by_telegram_and_shown_through_the_bot() {
    let api = FakeBotApi::start(Config::default()).await.unwrap();
    api.handle().user(PARTNER);
    api.handle().user(STORAGE_CHAT);
    let dir = tempfile::tempdir().unwrap();
    let db = Db::connect(&format!(
        "sqlite://{}",
        dir.path().join("photos.db").display()
    ))
    .await
    .unwrap();
    db.migrate().await.unwrap();
    db.accept_policy(UserId(PARTNER), 1).await.unwrap();
    db.become_partner(UserId(PARTNER)).await.unwrap();
    let check = InitDataCheck::new(api.token(), Duration::from_secs(600));
    let files = TelegramFiles::new(&api.base_url(), api.token());
    let app = WebApp::new(
        db,
        Arc::new(Catalog::load().unwrap()),
        Settings::default(),
        check.clone(),
        Some(Photos::new(files, Some(STORAGE_CHAT))),
    );

    let uploaded = app
        .handle(request(
            &check,
            Method::POST,
            "/api/photos",
            "image/png",
            Bytes::from_static(PNG),
        ))
        .await;
    assert_eq!(uploaded.status(), StatusCode::OK);
    let answer: Value = serde_json::from_slice(uploaded.body()).unwrap();
    let file_id = answer["file_id"].as_str().unwrap().to_owned();
    let stored = api.handle().chat(STORAGE_CHAT);
    assert_eq!(
        stored.last_bot_message().map(|message| message.kind),
        Some(MessageKind::Photo),
        "sent to the storage chat"
    );
    assert!(api.handle().chat(PARTNER).last_bot_message().is_none());

    let shown = app
        .handle(request(
            &check,
            Method::GET,
            &format!("/api/photos/{file_id}"),
            "",
            Bytes::new(),
        ))
        .await;
    assert_eq!(shown.status(), StatusCode::OK);
    assert_eq!(shown.headers()["content-type"], "image/png");
    assert_eq!(shown.body().as_ref(), PNG);

    let not_an_image = app
        .handle(request(
            &check,
            Method::POST,
            "/api/photos",
            "text/plain",
            Bytes::from_static(b"hello"),
        ))
        .await;
    assert_eq!(not_an_image.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = app
        .handle(request(
            &check,
            Method::GET,
            "/api/photos/no-such-file",
            "",
            Bytes::new(),
        ))
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}
