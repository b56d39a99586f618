//! One live message per screen, in every locale: the card wizard is one screen edited in
//! place from step to step, a new message only where Telegram needs one (the album, a reply
//! keyboard, text the person typed), and a screen that is left loses its buttons; the same
//! for the moderation review, the delete question and the pagers. Also what each of those
//! screens shows: the map button wherever a card is shown, who sent a card under review.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod support;

use support::{ChatMessage, World};
use vitrina_cards::{CardId, CardRepository, MapLink, PageRequest, UserId};
use vitrina_dialog::{Settings, UserRepository};
use vitrina_i18n::{Arg, Locale};
use vitrina_moderation::{Decision, ModerationRepository, RejectionReason, Verdict};

const ADMIN: i64 = 900;
const PARTNER: i64 = 10;
const MAP: &str = "https://maps.example.com/corner";

fn settings() -> Settings {
    Settings {
        admins: vec![UserId(ADMIN)],
        ..Settings::default()
    }
}

async fn run<F>(scenario: F)
where
    F: AsyncFnOnce(&World),
{
    let world = World::start(settings());
    scenario(&world).await;
    world.stop().await;
}

scenarios!(
    the_wizard_is_one_screen_edited_in_place_and_a_screen_left_loses_its_buttons,
    accepting_the_policy_keeps_its_text_and_takes_only_its_buttons,
    the_review_is_one_screen_from_the_card_to_the_decision,
    the_review_says_who_sent_the_card_and_whether_it_comes_again,
    finishing_with_cards_left_says_how_many_and_the_admin_help_lists_moderate,
    cancelling_a_delete_brings_the_card_back_in_place_and_pagers_stop_at_their_ends,
);

fn message(world: &World, user: i64, id: i32) -> ChatMessage {
    world.chat(user).message(id).cloned().unwrap()
}

/// The bot messages of `user` whose buttons act on a wizard draft.
fn wizard_screens(world: &World, user: i64) -> Vec<i32> {
    world
        .chat(user)
        .bot_messages()
        .filter(|m| {
            m.inline_keyboard.iter().flatten().any(|button| {
                button
                    .callback_data
                    .as_deref()
                    .is_some_and(|data| data.starts_with("wz:"))
            })
        })
        .map(|m| m.message_id)
        .collect()
}

fn bot_count(world: &World, user: i64) -> usize {
    world.chat(user).bot_messages().count()
}

/// A shop card in Nha Trang with a map link, for setting up through the ports.
fn card(title: &str) -> vitrina_cards::CardContent {
    vitrina_cards::CardContent {
        map_link: Some(MapLink::parse(MAP).unwrap()),
        ..support::shop_card(title, "+84 905 000 000")
    }
}

async fn the_wizard_is_one_screen_edited_in_place_and_a_screen_left_loses_its_buttons(
    world: &World,
) {
    for (n, locale) in Locale::ALL.into_iter().enumerate() {
        let user = 3000 + n as i64;
        let t = |key: &str| world.t(locale, key);
        world.onboard(user, locale).await;
        world.reply_key(user, locale, "btn-cabinet").await;
        world.reply_key(user, locale, "btn-become-partner").await;
        let screen = world.last(user);
        assert_eq!(screen.body(), t("wizard-city"));
        let sent = bot_count(world, user);

        // City, area, category and subcategory: one message, edited step by step.
        for (key, next) in [
            ("city-da-nang", "wizard-area"),
            ("area-da-nang-coast", "wizard-category"),
            ("category-restaurants", "wizard-subcategory"),
        ] {
            world.inline(user, &t(key)).await;
            assert_eq!(message(world, user, screen.message_id).body(), t(next));
            assert_eq!(bot_count(world, user), sent, "{}", world.chat(user));
            assert_eq!(wizard_screens(world, user), [screen.message_id]);
        }
        // The title comes with its reply keyboard, so in a new message; the screen above
        // keeps its text and loses its buttons.
        world
            .inline(user, &t("subcategory-restaurants-street-food"))
            .await;
        let left = message(world, user, screen.message_id);
        assert_eq!(left.body(), t("wizard-subcategory"));
        assert!(left.inline_keyboard.is_empty(), "{}", world.chat(user));
        assert_eq!(world.last(user).body(), t("wizard-title"));
        assert!(wizard_screens(world, user).is_empty());

        world.text(user, "Corner Cafe").await;
        world.reply_key(user, locale, "btn-skip").await;
        world.text(user, "@corner_cafe").await;
        world.reply_key(user, locale, "btn-skip").await;
        world.text(user, MAP).await;
        world.reply_key(user, locale, "btn-skip").await;
        world.reply_key(user, locale, "btn-skip").await;

        // The preview: the only screen with buttons, the map among them.
        let preview = world.last(user);
        assert!(preview.body().starts_with("Corner Cafe"), "{preview}");
        let map = preview.button(&t("btn-map")).unwrap();
        assert_eq!(map.url.as_deref(), Some(MAP));
        assert_eq!(wizard_screens(world, user), [preview.message_id]);

        // Leaving by /menu strips the preview (its id came back from the sender) and says
        // that the draft is kept.
        let before = bot_count(world, user);
        world.command(user, "menu").await;
        assert!(
            message(world, user, preview.message_id)
                .inline_keyboard
                .is_empty()
        );
        let answer: Vec<String> = world
            .chat(user)
            .bot_messages()
            .skip(before)
            .map(|m| m.body().to_owned())
            .collect();
        assert_eq!(answer, [t("wizard-paused"), t("main-menu")]);
        assert!(wizard_screens(world, user).is_empty());

        // Back in: the offer to continue is the screen, and the preview comes anew below.
        world.reply_key(user, locale, "btn-cabinet").await;
        world.reply_key(user, locale, "btn-add-card").await;
        let offer = world.last(user);
        world.inline_key(user, locale, "btn-draft-continue").await;
        assert!(
            message(world, user, offer.message_id)
                .inline_keyboard
                .is_empty()
        );
        let preview = world.last(user);
        assert!(preview.body().starts_with("Corner Cafe"), "{preview}");
        assert_eq!(wizard_screens(world, user), [preview.message_id]);

        // Edit turns the preview itself into the first question.
        let sent = bot_count(world, user);
        world.inline_key(user, locale, "btn-edit").await;
        assert_eq!(
            message(world, user, preview.message_id).body(),
            t("wizard-city")
        );
        assert_eq!(bot_count(world, user), sent);
        // A sticker there points at the buttons above, which stay.
        world.sticker(user).await;
        assert_eq!(world.last(user).body(), t("wizard-use-buttons"));
        assert_eq!(wizard_screens(world, user), [preview.message_id]);
        // Cancel: the screen loses its buttons.
        world.inline_key(user, locale, "btn-cancel").await;
        assert!(
            wizard_screens(world, user).is_empty(),
            "{}",
            world.chat(user)
        );
        assert_eq!(world.last(user).body(), t("wizard-cancelled"));
    }
}

async fn accepting_the_policy_keeps_its_text_and_takes_only_its_buttons(world: &World) {
    for (n, locale) in Locale::ALL.into_iter().enumerate() {
        let user = 3100 + n as i64;
        world.set_language(user, Some(locale.code()));
        world.command(user, "start").await;
        world.inline(user, &locale.picker_label()).await;
        let mut welcome = world.last(user);
        assert_eq!(welcome.body(), world.t(locale, "welcome"));
        if n % 2 == 1 {
            // Read first: the policy comes below with its own Accept; the welcome's go.
            world.inline_key(user, locale, "btn-read-policy").await;
            assert!(
                message(world, user, welcome.message_id)
                    .inline_keyboard
                    .is_empty()
            );
            welcome = world.last(user);
            assert_eq!(welcome.body(), world.t(locale, "policy-text"));
        }
        world.inline_key(user, locale, "btn-accept-policy").await;
        let after = message(world, user, welcome.message_id);
        assert_eq!(after.body(), welcome.body());
        assert!(after.inline_keyboard.is_empty(), "{after}");
        let answer = world.last_answer(user).unwrap();
        assert_eq!(answer.text, Some(world.t(locale, "policy-accepted")));
        assert_eq!(world.last(user).body(), world.t(locale, "main-menu"));
    }
}

/// A fresh world per locale: the queue is shared by everyone in one.
async fn each_locale(scenario: impl AsyncFn(&World, Locale)) {
    for locale in Locale::ALL {
        let world = World::start(settings());
        scenario(&world, locale).await;
    }
}

async fn submit(world: &World, title: &str) -> CardId {
    world.ports.become_partner(UserId(PARTNER)).await.unwrap();
    world
        .ports
        .submit_new(UserId(PARTNER), &card(title), world.now())
        .await
        .unwrap()
}

async fn the_review_is_one_screen_from_the_card_to_the_decision(_: &World) {
    each_locale(async |world, locale| {
        let t = |key: &str| world.t(locale, key);
        submit(world, "First Shop").await;
        submit(world, "Second Shop").await;
        world.onboard(ADMIN, locale).await;
        world.command(ADMIN, "moderate").await;
        let review = world.last(ADMIN);
        assert!(review.body().starts_with("First Shop"), "{review}");
        let map = review.button(&t("btn-map")).unwrap();
        assert_eq!(map.url.as_deref(), Some(MAP));
        let sent = bot_count(world, ADMIN);

        // The reasons take the card's place, with Back; Back brings the card back.
        world.inline_key(ADMIN, locale, "btn-reject").await;
        let reasons = message(world, ADMIN, review.message_id);
        assert_eq!(reasons.body(), t("moderation-choose-reason"));
        assert_eq!(
            reasons.button_labels().last(),
            Some(&t("btn-back").as_str())
        );
        world.inline_key(ADMIN, locale, "btn-back").await;
        assert_eq!(message(world, ADMIN, review.message_id), {
            let mut again = review.clone();
            again.edited = true;
            again
        });

        // Another reason: the question takes the same place; the typed reason's decision
        // is shown there, and the next card comes below.
        world.inline_key(ADMIN, locale, "btn-reject").await;
        world.inline_key(ADMIN, locale, "btn-reason-other").await;
        assert_eq!(
            message(world, ADMIN, review.message_id).body(),
            t("moderation-enter-reason")
        );
        assert_eq!(bot_count(world, ADMIN), sent);
        world
            .text(ADMIN, "The photos show another place entirely")
            .await;
        let decided = message(world, ADMIN, review.message_id);
        assert_eq!(
            decided.body(),
            format!("First Shop\n\n{}", t("moderation-rejected"))
        );
        assert!(decided.inline_keyboard.is_empty());
        assert!(world.last(ADMIN).body().starts_with("Second Shop"));

        // A standard reason decides in place as well.
        let second = world.last(ADMIN);
        world.inline_key(ADMIN, locale, "btn-reject").await;
        world
            .inline_key(ADMIN, locale, "btn-reason-incomplete")
            .await;
        let decided = message(world, ADMIN, second.message_id);
        assert_eq!(
            decided.body(),
            format!("Second Shop\n\n{}", t("moderation-rejected"))
        );
        assert!(decided.inline_keyboard.is_empty());
    })
    .await;
}

async fn the_review_says_who_sent_the_card_and_whether_it_comes_again(_: &World) {
    each_locale(async |world, locale| {
        let t = |key: &str| world.t(locale, key);
        // The name comes from Telegram with the submission through the wizard.
        world.set_name(PARTNER, "Anh", Some("anh_pho"));
        let partner_locale = Locale::Vi;
        world.onboard(PARTNER, partner_locale).await;
        world
            .reply_key(PARTNER, partner_locale, "btn-cabinet")
            .await;
        world
            .reply_key(PARTNER, partner_locale, "btn-become-partner")
            .await;
        let pt = |key: &str| world.t(partner_locale, key);
        world.inline(PARTNER, &pt("city-nha-trang")).await;
        world.inline(PARTNER, &pt("btn-skip")).await;
        world.inline(PARTNER, &pt("category-shops")).await;
        world.text(PARTNER, "Corner Shop").await;
        world.reply_key(PARTNER, partner_locale, "btn-skip").await;
        world.text(PARTNER, "@corner_shop").await;
        world.reply_key(PARTNER, partner_locale, "btn-skip").await;
        world.text(PARTNER, MAP).await;
        world.reply_key(PARTNER, partner_locale, "btn-skip").await;
        world.reply_key(PARTNER, partner_locale, "btn-skip").await;
        world
            .inline_key(PARTNER, partner_locale, "btn-submit")
            .await;
        let card = world
            .ports
            .partner_cards(UserId(PARTNER), PageRequest::new(1, 5))
            .await
            .unwrap()
            .items[0]
            .id;

        world.onboard(ADMIN, locale).await;
        world.command(ADMIN, "moderate").await;
        let review = world.last(ADMIN).body().to_owned();
        let submitter = world.tw(
            locale,
            "moderation-submitter",
            &[(
                "partner",
                Arg::from(format!("Anh · @anh_pho · id {PARTNER}")),
            )],
        );
        assert!(review.contains(&submitter), "{review}");
        assert!(!review.contains(&t("moderation-resubmitted")), "{review}");

        // Rejected, fixed and sent again: the review says so.
        let decision = Decision::new(
            card,
            UserId(ADMIN),
            Verdict::Reject(RejectionReason::custom("Please add a real address").unwrap()),
            world.now(),
        );
        world.ports.decide(&decision).await.unwrap();
        world
            .ports
            .resubmit(UserId(PARTNER), card, &card_content_again(), world.now())
            .await
            .unwrap();
        world.command(ADMIN, "moderate").await;
        let review = world.last(ADMIN).body().to_owned();
        assert!(review.contains(&t("moderation-resubmitted")), "{review}");
        assert!(review.contains(&submitter), "{review}");
    })
    .await;
}

fn card_content_again() -> vitrina_cards::CardContent {
    card("Corner Shop")
}

async fn finishing_with_cards_left_says_how_many_and_the_admin_help_lists_moderate(_: &World) {
    each_locale(async |world, locale| {
        submit(world, "First Shop").await;
        submit(world, "Second Shop").await;
        world.onboard(ADMIN, locale).await;
        let left = |count: i64| {
            world.tw(
                locale,
                "moderation-finished-left",
                &[("left", Arg::Number(count))],
            )
        };
        // /cancel while a reason is asked for ends the walk, saying what is left, and the
        // question loses its Back.
        world.command(ADMIN, "moderate").await;
        let asked = world.last(ADMIN);
        world.inline_key(ADMIN, locale, "btn-reject").await;
        world.inline_key(ADMIN, locale, "btn-reason-other").await;
        world.command(ADMIN, "cancel").await;
        assert_eq!(world.last(ADMIN).body(), left(2));
        assert!(
            message(world, ADMIN, asked.message_id)
                .inline_keyboard
                .is_empty()
        );

        world.command(ADMIN, "moderate").await;
        let first = world.last(ADMIN);
        world.inline_key(ADMIN, locale, "btn-mod-skip").await;
        // The skipped card's buttons go with it.
        assert!(
            message(world, ADMIN, first.message_id)
                .inline_keyboard
                .is_empty()
        );
        world.inline_key(ADMIN, locale, "btn-mod-skip").await;
        assert_eq!(world.last(ADMIN).body(), left(2));
        world.command(ADMIN, "moderate").await;
        world.inline_key(ADMIN, locale, "btn-approve").await;
        let review = world.last(ADMIN);
        world.inline_key(ADMIN, locale, "btn-mod-finish").await;
        assert_eq!(world.last(ADMIN).body(), left(1));
        assert!(
            message(world, ADMIN, review.message_id)
                .inline_keyboard
                .is_empty()
        );
        world.command(ADMIN, "moderate").await;
        world.inline_key(ADMIN, locale, "btn-approve").await;
        assert_eq!(
            world.last(ADMIN).body(),
            world.t(locale, "moderation-empty")
        );

        // Help: /moderate for the admin, not for anyone else.
        world.command(ADMIN, "help").await;
        let help = world.last(ADMIN).body().to_owned();
        assert!(help.starts_with(&world.t(locale, "help")));
        assert!(help.contains(&world.t(locale, "help-admin")), "{help}");
        world.onboard(PARTNER, locale).await;
        world.command(PARTNER, "help").await;
        assert_eq!(world.last(PARTNER).body(), world.t(locale, "help"));
    })
    .await;
}

async fn cancelling_a_delete_brings_the_card_back_in_place_and_pagers_stop_at_their_ends(
    _: &World,
) {
    each_locale(async |world, locale| {
        let t = |key: &str| world.t(locale, key);
        for n in 1..=6 {
            submit(world, &format!("Shop number {n}")).await;
            world.advance(1_000);
        }
        world.onboard(PARTNER, locale).await;
        world.reply_key(PARTNER, locale, "btn-cabinet").await;
        world.reply_key(PARTNER, locale, "btn-my-cards").await;
        let list = world.last(PARTNER);
        let toast = |key: &str| {
            let answer = world.last_answer(PARTNER).unwrap();
            assert_eq!(
                (answer.text, answer.show_alert),
                (Some(world.t(locale, key)), false)
            );
        };
        world.inline_key(PARTNER, locale, "btn-page-back").await;
        toast("page-first");
        assert_eq!(message(world, PARTNER, list.message_id), list);
        world.inline_key(PARTNER, locale, "btn-page-forward").await;
        let last_page = message(world, PARTNER, list.message_id);
        assert_ne!(last_page.body(), list.body());
        world.inline_key(PARTNER, locale, "btn-page-forward").await;
        toast("page-last");
        assert_eq!(message(world, PARTNER, list.message_id), last_page);

        // The card's view, with its map; Delete asks in its place, Cancel brings it back.
        let label = world.tw(
            locale,
            "btn-view-card",
            &[("title", Arg::from("Shop number 1"))],
        );
        world.inline(PARTNER, &label).await;
        let view = world.last(PARTNER);
        assert_eq!(
            view.button(&t("btn-map")).and_then(|b| b.url.as_deref()),
            Some(MAP)
        );
        let sent = bot_count(world, PARTNER);
        world.inline_key(PARTNER, locale, "btn-delete").await;
        assert!(
            message(world, PARTNER, view.message_id)
                .body()
                .ends_with(&t("card-delete-confirm"))
        );
        world.inline_key(PARTNER, locale, "btn-delete-cancel").await;
        let back = message(world, PARTNER, view.message_id);
        assert_eq!(
            (back.body(), &back.inline_keyboard),
            (view.body(), &view.inline_keyboard)
        );
        assert_eq!(bot_count(world, PARTNER), sent);
    })
    .await;
}
