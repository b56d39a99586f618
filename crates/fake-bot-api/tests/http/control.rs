//! The HTTP control API, and Bot API requests as curl would send them.

use serde_json::{Value, json};

use crate::support::start;

#[tokio::test]
async fn wrong_tokens_and_unknown_methods_get_telegram_answers() {
    let fixture = start().await;
    let (status, body) = fixture
        .raw("/bot123:wrong/getMe", "application/json", "")
        .await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({"ok": false, "error_code": 401, "description": "Unauthorized"})
        )
    );
    let path = format!("/bot{}/sendDice", fixture.server.token());
    let (status, body) = fixture.raw(&path, "application/json", "{}").await;
    assert_eq!(
        (status, body),
        (
            404,
            json!({"ok": false, "error_code": 404, "description": "Not Found"})
        )
    );
    assert_eq!(fixture.fake().stats().calls_of("sendDice"), 1);
}

#[tokio::test]
async fn form_bodies_and_query_strings_are_accepted() {
    let fixture = start().await;
    fixture.fake().user(5);
    let token = fixture.server.token().to_owned();
    let path = format!("/bot{token}/sendMessage?chat_id=5");
    let (status, body) = fixture
        .raw(
            &path,
            "application/x-www-form-urlencoded",
            "text=%3Cb%3Ehi%3C%2Fb%3E&parse_mode=HTML",
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["text"], "hi");
    assert_eq!(
        body["result"]["entities"],
        json!([{"type": "bold", "offset": 0, "length": 2}])
    );
    let (status, body) = fixture
        .raw(
            &format!("/bot{token}/SENDMESSAGE?chat_id=5&text="),
            "application/json",
            "",
        )
        .await;
    assert_eq!(
        (status, body["description"].clone()),
        (400, json!("Bad Request: message text is empty"))
    );
}

#[tokio::test]
async fn the_http_control_api_drives_users_and_reports() {
    let fixture = start().await;
    let post = |path: &'static str, body: Value| {
        let fixture = &fixture;
        async move {
            fixture
                .raw(path, "application/json", &body.to_string())
                .await
        }
    };
    let (status, _) = post(
        "/control/users/77",
        json!({"first_name": "Lan", "language_code": "vi"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = post("/control/users/77/text", json!({"text": "/start"})).await;
    assert_eq!(status, 200, "{body}");
    let update_id = body["result"]["update_id"].as_u64().unwrap();

    let token = fixture.server.token().to_owned();
    let (_, updates) = fixture
        .raw(&format!("/bot{token}/getUpdates"), "application/json", "{}")
        .await;
    assert_eq!(updates["result"][0]["update_id"].as_u64(), Some(update_id));
    assert_eq!(
        updates["result"][0]["message"]["from"]["language_code"],
        "vi"
    );
    assert_eq!(
        updates["result"][0]["message"]["entities"][0]["type"],
        "bot_command"
    );

    let keyboard = json!({"keyboard": [["Catalog"]], "resize_keyboard": true});
    let send = json!({"chat_id": 77, "text": "Menu", "reply_markup": keyboard});
    fixture
        .raw(
            &format!("/bot{token}/sendMessage"),
            "application/json",
            &send.to_string(),
        )
        .await;
    let (status, _) = post("/control/users/77/press-reply", json!({"label": "Catalog"})).await;
    assert_eq!(status, 200);
    let (status, body) = post("/control/users/77/press-reply", json!({"label": "Nope"})).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]
            .as_str()
            .unwrap()
            .contains("no reply button \"Nope\""),
        "{body}"
    );

    let chat = fixture.get("/control/users/77/chat").await;
    let texts: Vec<&str> = chat["result"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|message| message["text"].as_str())
        .collect();
    assert_eq!(texts, vec!["/start", "Menu", "Catalog"]);

    let (status, _) = post("/control/faults", json!({"method": "getMe", "status": 500})).await;
    assert_eq!(status, 200);
    let (status, _) = fixture
        .raw(&format!("/bot{token}/getMe"), "application/json", "")
        .await;
    assert_eq!(status, 500);
    let stats = fixture.get("/control/stats").await;
    assert_eq!(stats["result"]["calls"]["getMe"], 1);
    assert_eq!(stats["result"]["calls"]["sendMessage"], 1);
}

#[tokio::test]
async fn load_injection_spreads_messages_over_users() {
    let fixture = start().await;
    let ids = fixture.fake().inject_text_load(10, 3).await;
    assert_eq!(ids.len(), 10);
    assert_eq!(fixture.fake().stats().pending_updates, 10);
    let base = vitrina_fake_bot_api::LOAD_USER_BASE;
    let per_user: Vec<usize> = (0..3)
        .map(|user| fixture.fake().chat(base + user).messages.len())
        .collect();
    assert_eq!(per_user, vec![4, 3, 3]);
}
