//! The web cabinet's button: offered in the cabinet and in `/moderate` when the dialog has its
//! URL, and nowhere without it.

use std::sync::Arc;

use vitrina_cards::{Timestamp, UserId};
use vitrina_dialog::memory::MemoryPorts;
use vitrina_dialog::{
    ButtonAction, ChatId, Dialog, Effect, Incoming, Input, Keyboard, Person, Settings,
    UserRepository as _,
};
use vitrina_i18n::{Catalog, Locale};

const PARTNER: i64 = 7;
const ADMIN: i64 = 8;
const URL: &str = "https://bot.example.org/app/";

async fn ready(ports: &MemoryPorts, user: i64) {
    ports.set_locale(UserId(user), "en").await.expect("locale");
    ports.accept_policy(UserId(user), 1).await.expect("policy");
}

fn command(user: i64, name: &str) -> Incoming {
    Incoming {
        from: Person {
            id: UserId(user),
            language_code: Some("en".into()),
            first_name: "Lan".into(),
            username: None,
        },
        chat: ChatId(user),
        input: Input::Command {
            name: name.into(),
            args: String::new(),
        },
    }
}

/// The URLs of the web_app buttons among `effects`, with their labels.
fn web_app_buttons(effects: &[Effect]) -> Vec<(String, String)> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            Effect::Send {
                keyboard: Keyboard::Inline(rows),
                ..
            } => Some(rows),
            _ => None,
        })
        .flatten()
        .flatten()
        .filter_map(|button| match &button.action {
            ButtonAction::WebApp(url) => Some((button.label.clone(), url.clone())),
            _ => None,
        })
        .collect()
}

async fn effects_of(web_app_url: Option<&str>, user: i64, name: &str) -> Vec<Effect> {
    let catalog = Arc::new(Catalog::load().expect("locales"));
    let settings = Settings {
        admins: vec![UserId(ADMIN)],
        web_app_url: web_app_url.map(str::to_owned),
        ..Settings::default()
    };
    let dialog = Dialog::new(catalog, settings);
    let ports = MemoryPorts::new();
    ready(&ports, user).await;
    dialog
        .handle(&ports, command(user, name), Timestamp(1_000))
        .await
        .expect("handled")
}

#[tokio::test]
async fn the_cabinet_and_moderation_offer_the_web_cabinet_when_it_is_configured() {
    let label = Catalog::load()
        .expect("locales")
        .text(Locale::En, "btn-web-cabinet");
    for (user, name) in [(PARTNER, "cabinet"), (ADMIN, "moderate")] {
        let effects = effects_of(Some(URL), user, name).await;
        assert_eq!(
            web_app_buttons(&effects),
            vec![(label.clone(), URL.to_owned())],
            "/{name}"
        );
        let without = effects_of(None, user, name).await;
        assert!(web_app_buttons(&without).is_empty(), "/{name}");
        assert_eq!(
            without.len() + 1,
            effects.len(),
            "/{name}: one message more, nothing else changes"
        );
    }
}
