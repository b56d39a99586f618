//! The Mini App's API on real storage: every scenario runs on SQLite and, when
//! `TEST_DATABASE_URL` is set, on PostgreSQL.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{Method, Request, StatusCode};
use serde_json::{Value, json};
use vitrina_cards::UserId;
use vitrina_dialog::{Effect, Settings, UserRepository as _};
use vitrina_i18n::Catalog;
use vitrina_storage::Db;
use vitrina_testkit::postgres::TestSchema;
use vitrina_update_source::Outbox as _;
use vitrina_webapp::{InitDataCheck, WebApp, WebAppUser};

const TOKEN: &str = "123456:webapp-test";
const ADMIN: i64 = 900;
const SECOND_ADMIN: i64 = 901;
const PARTNER: i64 = 100;
const OTHER_PARTNER: i64 = 101;
const MAX_AGE: Duration = Duration::from_secs(3600);

/// Runs a scenario on SQLite and on PostgreSQL.
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $name() {
                    let dir = tempfile::tempdir().unwrap();
                    let url = format!("sqlite://{}", dir.path().join("webapp.db").display());
                    super::$name(super::Fixture::new(&url).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $name() {
                    let Some(schema) = super::TestSchema::create("webapp_api").await else {
                        return;
                    };
                    super::$name(super::Fixture::new(schema.url()).await).await;
                    schema.drop_now().await;
                }
            )*
        }
    };
}

on_both_engines!(
    auth_is_required_and_checked,
    the_session_speaks_the_stored_language,
    a_partner_creates_lists_and_manages_their_card,
    nobody_touches_another_partners_card,
    every_rule_of_the_wizard_is_kept_in_the_persons_language,
    admins_approve_and_reject_and_the_partner_is_told_in_their_language,
    of_two_decisions_exactly_one_wins,
    only_admins_moderate_and_the_gates_hold,
);

struct Fixture {
    db: Db,
    app: WebApp,
    check: InitDataCheck,
}

struct Answer {
    status: StatusCode,
    json: Value,
}

impl Fixture {
    async fn new(url: &str) -> Fixture {
        let db = Db::connect(url).await.unwrap();
        db.migrate().await.unwrap();
        let settings = Settings {
            admins: vec![UserId(ADMIN), UserId(SECOND_ADMIN)],
            ..Settings::default()
        };
        Fixture::with_settings(db, settings).await
    }

    async fn with_settings(db: Db, settings: Settings) -> Fixture {
        let catalog = Arc::new(Catalog::load().unwrap());
        let check = InitDataCheck::new(TOKEN, MAX_AGE);
        let app = WebApp::new(db.clone(), catalog, settings, check.clone(), None);
        for (id, locale) in [
            (ADMIN, "en"),
            (SECOND_ADMIN, "ko"),
            (PARTNER, "vi"),
            (OTHER_PARTNER, "ru"),
        ] {
            db.user(UserId(id)).await.unwrap();
            db.set_locale(UserId(id), locale).await.unwrap();
            db.accept_policy(UserId(id), 1).await.unwrap();
        }
        Fixture { db, app, check }
    }

    fn init_data(&self, user: i64) -> String {
        self.check.sign(&person(user), now_secs())
    }

    async fn call(
        &self,
        user: Option<i64>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        let header = user.map(|user| format!("tma {}", self.init_data(user)));
        self.call_with(header.as_deref(), method, path, body).await
    }

    async fn call_with(
        &self,
        authorization: Option<&str>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(authorization) = authorization {
            request = request.header("authorization", authorization);
        }
        let body = body.map_or_else(Bytes::new, |body| Bytes::from(body.to_string()));
        let response = self.app.handle(request.body(body).unwrap()).await;
        let status = response.status();
        let json = serde_json::from_slice(response.body()).unwrap_or(Value::Null);
        Answer { status, json }
    }

    async fn get(&self, user: i64, path: &str) -> Answer {
        self.call(Some(user), Method::GET, path, None).await
    }

    async fn post(&self, user: i64, path: &str, body: Value) -> Answer {
        self.call(Some(user), Method::POST, path, Some(body)).await
    }

    /// Makes `user` a partner through the API and submits a valid card; its id.
    async fn submitted_card(&self, user: i64, title: &str) -> i64 {
        let partner = self.post(user, "/api/partner", json!({})).await;
        assert_eq!(partner.status, StatusCode::OK, "{}", partner.json);
        let created = self.post(user, "/api/cards", card_form(title)).await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.json);
        created.json["id"].as_i64().unwrap()
    }

    /// Every queued notice, as (chat, text, first button's label), and empties the outbox.
    async fn take_notices(&self) -> Vec<(i64, String, Option<String>)> {
        let far = i64::MAX / 2;
        let queued = self.db.take_unsent(far, far + 1, 100).await.unwrap();
        let mut notices = Vec::new();
        for entry in queued {
            self.db.sent(&[entry.id]).await.unwrap();
            let effect: Effect = serde_json::from_str(&entry.message.payload).unwrap();
            if let Effect::Send {
                chat,
                text,
                keyboard,
            } = effect
            {
                let button = match keyboard {
                    vitrina_dialog::Keyboard::Inline(rows) => rows
                        .first()
                        .and_then(|row| row.first())
                        .map(|button| button.label.clone()),
                    _ => None,
                };
                notices.push((chat.0, text.to_plain(), button));
            }
        }
        notices
    }
}

fn person(id: i64) -> WebAppUser {
    WebAppUser {
        id,
        first_name: format!("User {id}"),
        username: None,
        language_code: Some("en".into()),
    }
}

fn now_secs() -> i64 {
    let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    i64::try_from(elapsed.as_secs()).unwrap()
}

/// A valid card: Nha Trang (1), Centre (101), restaurants (1), Asian (101).
fn card_form(title: &str) -> Value {
    json!({
        "city": 1, "area": 101, "category": 1, "subcategory": 101,
        "title": title,
        "description": "Fresh noodles every morning",
        "contact": "+84 905 123 456",
        "address": "12 Tran Phu street",
        "map_link": "https://maps.example.com/pho",
        "discount": "10% with Vitrina",
        "photos": [],
    })
}

fn catalog() -> Catalog {
    Catalog::load().unwrap()
}

async fn auth_is_required_and_checked(f: Fixture) {
    let none = f.call_with(None, Method::GET, "/api/session", None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.json["error"], "unauthorized");

    let wrong_scheme = format!("Bearer {}", f.init_data(PARTNER));
    let refused = f
        .call_with(Some(&wrong_scheme), Method::GET, "/api/session", None)
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNAUTHORIZED,
        "only `tma` is taken"
    );

    let forged = InitDataCheck::new("999:another-bot", MAX_AGE).sign(&person(PARTNER), now_secs());
    let refused = f
        .call_with(
            Some(&format!("tma {forged}")),
            Method::GET,
            "/api/session",
            None,
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNAUTHORIZED,
        "signed for another bot"
    );

    let altered = f
        .init_data(PARTNER)
        .replace(&format!("%3A{PARTNER}"), &format!("%3A{ADMIN}"));
    assert_ne!(altered, f.init_data(PARTNER), "the user id was replaced");
    let refused = f
        .call_with(
            Some(&format!("tma {altered}")),
            Method::GET,
            "/api/moderation/next",
            None,
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNAUTHORIZED,
        "a partner posing as an admin"
    );

    let stale = f.check.sign(&person(PARTNER), now_secs() - 3601);
    let refused = f
        .call_with(
            Some(&format!("tma {stale}")),
            Method::GET,
            "/api/session",
            None,
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNAUTHORIZED,
        "older than the max age"
    );

    let fresh = f.get(PARTNER, "/api/session").await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.json);
    assert_eq!(fresh.json["user"]["id"], PARTNER);

    f.db.set_banned(UserId(PARTNER), true).await.unwrap();
    let banned = f.get(PARTNER, "/api/session").await;
    assert_eq!(
        banned.status,
        StatusCode::FORBIDDEN,
        "a banned person is refused"
    );

    // The page itself needs no initData; it asks for it.
    let page = f.call_with(None, Method::GET, "/", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let welcome = f.call_with(None, Method::GET, "/api/welcome", None).await;
    assert_eq!(welcome.status, StatusCode::OK);
    assert_eq!(
        welcome.json["message"],
        catalog().text(vitrina_i18n::Locale::Ru, "web-open-in-telegram")
    );
}

async fn the_session_speaks_the_stored_language(f: Fixture) {
    let session = f.get(PARTNER, "/api/session").await;
    assert_eq!(session.status, StatusCode::OK);
    assert_eq!(session.json["locale"], "vi", "stored, not the client's en");
    assert_eq!(session.json["is_admin"], false);
    assert_eq!(session.json["is_partner"], false);
    assert_eq!(session.json["moderation"], false);
    let words = catalog();
    assert_eq!(
        session.json["strings"]["web-title"],
        words.text(vitrina_i18n::Locale::Vi, "web-title")
    );
    assert_eq!(
        session.json["strings"]["status-pending"],
        words.text(vitrina_i18n::Locale::Vi, "status-pending")
    );
    assert_eq!(session.json["cities"].as_array().unwrap().len(), 4);
    assert_eq!(
        session.json["cities"][0]["name"],
        words.text(vitrina_i18n::Locale::Vi, "city-nha-trang")
    );
    assert_eq!(
        session.json["categories"][0]["subcategories"]
            .as_array()
            .unwrap()
            .len(),
        4
    );

    let admin = f.get(SECOND_ADMIN, "/api/session").await;
    assert_eq!(admin.json["locale"], "ko");
    assert_eq!(admin.json["is_admin"], true);
    assert_eq!(admin.json["moderation"], true);

    // No stored language: the client's.
    let newcomer = f.get(555, "/api/session").await;
    assert_eq!(newcomer.json["locale"], "en");
    assert_eq!(newcomer.json["policy_accepted"], false);
}

async fn a_partner_creates_lists_and_manages_their_card(f: Fixture) {
    let not_yet = f.get(PARTNER, "/api/cards").await;
    assert_eq!(not_yet.status, StatusCode::FORBIDDEN);
    assert_eq!(not_yet.json["error"], "not-partner");

    let id = f.submitted_card(PARTNER, "Phở Lan").await;
    let listed = f.get(PARTNER, "/api/cards").await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.json["cards"][0]["id"], id);
    assert_eq!(listed.json["cards"][0]["status"], "pending");

    let card = f.get(PARTNER, &format!("/api/cards/{id}")).await;
    assert_eq!(card.json["title"], "Phở Lan");
    assert_eq!(card.json["contact"], "+84 905 123 456");
    assert_eq!(card.json["area"], 101);
    assert_eq!(card.json["subcategory"], 101);

    // Every admin is told, in their own language, with a Review button.
    let words = catalog();
    let notices = f.take_notices().await;
    assert_eq!(notices.len(), 2, "{notices:?}");
    for (admin, locale) in [
        (ADMIN, vitrina_i18n::Locale::En),
        (SECOND_ADMIN, vitrina_i18n::Locale::Ko),
    ] {
        let (_, text, button) = notices.iter().find(|(chat, _, _)| *chat == admin).unwrap();
        assert!(text.contains("Phở Lan"), "{text}");
        assert_eq!(
            button.as_deref(),
            Some(words.text(locale, "btn-review").as_str())
        );
    }

    // A pending card cannot be hidden: the transition table says no.
    let refused = f
        .post(PARTNER, &format!("/api/cards/{id}/hide"), json!({}))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);

    let approved = f
        .post(
            ADMIN,
            &format!("/api/moderation/{id}/decision"),
            json!({"verdict": "approve"}),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK);
    let hidden = f
        .post(PARTNER, &format!("/api/cards/{id}/hide"), json!({}))
        .await;
    assert_eq!(hidden.status, StatusCode::OK);
    assert_eq!(hidden.json["status"], "archived");
    let shown = f
        .post(PARTNER, &format!("/api/cards/{id}/show"), json!({}))
        .await;
    assert_eq!(shown.json["status"], "published");
    let deleted = f
        .post(PARTNER, &format!("/api/cards/{id}/delete"), json!({}))
        .await;
    assert_eq!(deleted.json["status"], "deleted");
    let gone = f.get(PARTNER, &format!("/api/cards/{id}")).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let listed = f.get(PARTNER, "/api/cards").await;
    assert_eq!(listed.json["cards"].as_array().unwrap().len(), 0);
}

async fn nobody_touches_another_partners_card(f: Fixture) {
    let id = f.submitted_card(PARTNER, "Phở Lan").await;
    f.post(OTHER_PARTNER, "/api/partner", json!({})).await;
    let read = f.get(OTHER_PARTNER, &format!("/api/cards/{id}")).await;
    assert_eq!(read.status, StatusCode::NOT_FOUND);
    for action in ["hide", "show", "delete"] {
        let refused = f
            .post(
                OTHER_PARTNER,
                &format!("/api/cards/{id}/{action}"),
                json!({}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{action}");
    }
    let resubmit = f
        .call(
            Some(OTHER_PARTNER),
            Method::PUT,
            &format!("/api/cards/{id}"),
            Some(card_form("Taken over")),
        )
        .await;
    assert_eq!(resubmit.status, StatusCode::NOT_FOUND);
    let listed = f.get(OTHER_PARTNER, "/api/cards").await;
    assert_eq!(listed.json["cards"].as_array().unwrap().len(), 0);
    let card = f.get(PARTNER, &format!("/api/cards/{id}")).await;
    assert_eq!(card.json["title"], "Phở Lan", "unchanged");
    assert_eq!(card.json["status"], "pending", "unchanged");
}

async fn every_rule_of_the_wizard_is_kept_in_the_persons_language(f: Fixture) {
    use vitrina_i18n::{Arg, Locale::Vi};
    f.post(PARTNER, "/api/partner", json!({})).await;
    let words = catalog();
    let too_short =
        |min: i64| words.text_with(Vi, "validation-too-short", &[("min", Arg::Number(min))]);
    let too_long =
        |max: i64| words.text_with(Vi, "validation-too-long", &[("max", Arg::Number(max))]);
    let required = words.text(Vi, "validation-required");
    let cases: Vec<(&str, Value, String)> = vec![
        ("title", json!("ab"), too_short(3)),
        ("title", json!("x".repeat(101)), too_long(100)),
        ("title", json!("   "), required.clone()),
        ("description", json!("ж".repeat(1001)), too_long(1000)),
        (
            "contact",
            json!("call me"),
            words.text(Vi, "validation-contact-format"),
        ),
        ("contact", json!(""), required.clone()),
        ("address", json!("abc"), too_short(5)),
        (
            "map_link",
            json!("maps.google.com"),
            words.text(Vi, "validation-url-format"),
        ),
        ("discount", json!("%".repeat(101)), too_long(100)),
        ("city", Value::Null, required.clone()),
        ("city", json!(99), required.clone()),
        ("area", json!(201), required.clone()),
        ("category", Value::Null, required.clone()),
        ("subcategory", json!(301), required.clone()),
        (
            "photos",
            json!(["a", "b", "c", "d", "e", "f", "g"]),
            words.text_with(Vi, "validation-too-many-photos", &[("max", Arg::Number(6))]),
        ),
    ];
    for (field, value, message) in cases {
        let mut form = card_form("Phở Lan");
        form[field] = value.clone();
        let refused = f.post(PARTNER, "/api/cards", form).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field} = {value}"
        );
        let error_field = if field == "area" {
            "city"
        } else if field == "subcategory" {
            "category"
        } else {
            field
        };
        assert_eq!(
            refused.json["fields"][error_field], message,
            "{field} = {value}: {}",
            refused.json
        );
    }
    // Several broken rules are told together.
    let mut form = card_form("ab");
    form["contact"] = json!("nope");
    let refused = f.post(PARTNER, "/api/cards", form).await;
    assert_eq!(refused.json["fields"].as_object().unwrap().len(), 2);
    // Blank optional fields are skipped, as in the wizard.
    let mut form = card_form("Phở Lan");
    for field in ["description", "address", "map_link", "discount"] {
        form[field] = json!("  ");
    }
    form["area"] = Value::Null;
    let accepted = f.post(PARTNER, "/api/cards", form).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.json);
    let listed = f.get(PARTNER, "/api/cards").await;
    assert_eq!(
        listed.json["cards"].as_array().unwrap().len(),
        1,
        "only the valid card was stored"
    );
    let malformed = f
        .call(
            Some(PARTNER),
            Method::POST,
            "/api/cards",
            Some(json!({"city": "one"})),
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
}

async fn admins_approve_and_reject_and_the_partner_is_told_in_their_language(f: Fixture) {
    use vitrina_i18n::{Arg, Locale::Vi};
    let first = f.submitted_card(PARTNER, "Phở Lan").await;
    let second = f.submitted_card(PARTNER, "Bún Chả").await;
    f.take_notices().await;
    let words = catalog();

    let next = f.get(ADMIN, "/api/moderation/next").await;
    assert_eq!(next.status, StatusCode::OK);
    assert_eq!(next.json["card"]["id"], first, "the oldest first");
    assert_eq!(next.json["left"], 2);
    let skipping = f
        .get(ADMIN, &format!("/api/moderation/next?skip={first}"))
        .await;
    assert_eq!(skipping.json["card"]["id"], second);

    let approved = f
        .post(
            ADMIN,
            &format!("/api/moderation/{first}/decision"),
            json!({"verdict": "approve"}),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.json);
    assert_eq!(approved.json["status"], "published");
    let notices = f.take_notices().await;
    let expected = words.text_with(
        Vi,
        "notify-card-published",
        &[("title", Arg::from("Phở Lan"))],
    );
    assert_eq!(notices, vec![(PARTNER, expected, None)]);

    let short = f
        .post(
            ADMIN,
            &format!("/api/moderation/{second}/decision"),
            json!({"verdict": "reject", "text": "too short"}),
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        short.json["message"],
        words.text_with(
            vitrina_i18n::Locale::En,
            "validation-reason-too-short",
            &[("min", Arg::Number(10))]
        )
    );
    let unknown = f
        .post(
            ADMIN,
            &format!("/api/moderation/{second}/decision"),
            json!({"verdict": "reject", "reason": "ugly"}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);

    let rejected = f
        .post(
            ADMIN,
            &format!("/api/moderation/{second}/decision"),
            json!({"verdict": "reject", "reason": "bad_photo"}),
        )
        .await;
    assert_eq!(rejected.status, StatusCode::OK);
    let notices = f.take_notices().await;
    let reason = words.text(Vi, "reject-reason-bad-photo");
    let expected = words.text_with(
        Vi,
        "notify-card-rejected",
        &[
            ("title", Arg::from("Bún Chả")),
            ("reason", Arg::from(reason.as_str())),
        ],
    );
    assert_eq!(notices, vec![(PARTNER, expected, None)]);

    // The partner sees the reason, edits and resubmits; the card is pending again.
    let card = f.get(PARTNER, &format!("/api/cards/{second}")).await;
    assert_eq!(card.json["status"], "rejected");
    assert_eq!(card.json["rejection_reason"], reason);
    let resubmitted = f
        .call(
            Some(PARTNER),
            Method::PUT,
            &format!("/api/cards/{second}"),
            Some(card_form("Bún Chả Hà Nội")),
        )
        .await;
    assert_eq!(resubmitted.status, StatusCode::OK, "{}", resubmitted.json);
    let card = f.get(PARTNER, &format!("/api/cards/{second}")).await;
    assert_eq!(card.json["status"], "pending");
    assert_eq!(card.json["title"], "Bún Chả Hà Nội");
    assert_eq!(card.json["rejection_reason"], Value::Null);
    // A pending card cannot be resubmitted (a published or hidden one may be: it is an edit,
    // moderated again).
    let again = f
        .call(
            Some(PARTNER),
            Method::PUT,
            &format!("/api/cards/{second}"),
            Some(card_form("Again")),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let custom = f
        .post(
            ADMIN,
            &format!("/api/moderation/{second}/decision"),
            json!({"verdict": "reject", "text": "Please add the opening hours"}),
        )
        .await;
    assert_eq!(custom.status, StatusCode::OK);
    let card = f.get(PARTNER, &format!("/api/cards/{second}")).await;
    assert_eq!(
        card.json["rejection_reason"],
        "Please add the opening hours"
    );
}

async fn of_two_decisions_exactly_one_wins(f: Fixture) {
    let id = f.submitted_card(PARTNER, "Phở Lan").await;
    f.take_notices().await;
    let path = format!("/api/moderation/{id}/decision");
    let (approve, reject) = tokio::join!(
        f.post(ADMIN, &path, json!({"verdict": "approve"})),
        f.post(
            SECOND_ADMIN,
            &path,
            json!({"verdict": "reject", "reason": "incomplete"})
        ),
    );
    let statuses = [approve.status, reject.status];
    assert!(
        statuses.contains(&StatusCode::OK) && statuses.contains(&StatusCode::CONFLICT),
        "{statuses:?}"
    );
    let loser = if approve.status == StatusCode::CONFLICT {
        &approve
    } else {
        &reject
    };
    assert_eq!(loser.json["error"], "already-decided");
    let card = f.get(PARTNER, &format!("/api/cards/{id}")).await;
    let expected = if approve.status == StatusCode::OK {
        "published"
    } else {
        "rejected"
    };
    assert_eq!(card.json["status"], expected);
    assert_eq!(f.take_notices().await.len(), 1, "the partner is told once");
    let log = vitrina_moderation::ModerationRepository::log(&f.db, vitrina_cards::CardId(id))
        .await
        .unwrap();
    assert_eq!(log.len(), 1, "one decision logged");
    // Later, the same answer for an old page.
    let late = f.post(ADMIN, &path, json!({"verdict": "approve"})).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
}

async fn only_admins_moderate_and_the_gates_hold(f: Fixture) {
    let id = f.submitted_card(PARTNER, "Phở Lan").await;
    let next = f.get(PARTNER, "/api/moderation/next").await;
    assert_eq!(next.status, StatusCode::FORBIDDEN);
    let decided = f
        .post(
            PARTNER,
            &format!("/api/moderation/{id}/decision"),
            json!({"verdict": "approve"}),
        )
        .await;
    assert_eq!(decided.status, StatusCode::FORBIDDEN);
    let card = f.get(PARTNER, &format!("/api/cards/{id}")).await;
    assert_eq!(card.json["status"], "pending", "unchanged");

    // An admin added at run time moderates too.
    vitrina_moderation::AdminRepository::add_admin(&f.db, UserId(OTHER_PARTNER))
        .await
        .unwrap();
    let next = f.get(OTHER_PARTNER, "/api/moderation/next").await;
    assert_eq!(next.status, StatusCode::OK);

    // Without the accepted policy, nothing but the session.
    let newcomer = 556;
    let refused = f.post(newcomer, "/api/partner", json!({})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.json["error"], "policy");

    // The feature flags of the bot hold here too.
    let off = Fixture::with_settings(
        f.db.clone(),
        Settings {
            admins: vec![UserId(ADMIN)],
            partner_cabinet: false,
            moderation: false,
            ..Settings::default()
        },
    )
    .await;
    let cards = off.get(PARTNER, "/api/cards").await;
    assert_eq!(cards.json["error"], "cabinet-unavailable");
    let queue = off.get(ADMIN, "/api/moderation/next").await;
    assert_eq!(queue.json["error"], "moderation-unavailable");
}
