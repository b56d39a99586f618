//! The benchmark's workload: what 10,000 people do with the bot, generated from a seed.
//!
//! Every person has a role (visitor, would-be partner, one of the seed partners, admin), a
//! language and a script of sessions drawn from their own random stream: onboarding (start,
//! language, policy), menu presses, catalog browsing with pagination, the add-card wizard, My
//! cards paging, moderation decisions. The stream of [`Step`]s interleaves people by weighted
//! choice, so busy partners and admins act more often than a passing visitor; most people used
//! the bot before (the warm-up onboards them), and newcomers keep arriving at a steady rate.
//!
//! A step is the person's action (a command, a text or reply-button label, a photo, or an
//! inline button's payload), not yet an update: the Bot API double turns it into the update
//! JSON Telegram would send, with the file ids and callback query ids it then recognises.
//! Payloads are made with [`vitrina_dialog::Callback::encode`] and labels come from the
//! locales, so the bot is asked exactly what its own keyboards ask.
//!
//! Each person's next step is only valid once the previous one is handled: the runner keeps a
//! person's steps in order (one in flight per chat, as Telegram delivers them).

mod layout;
mod rng;
pub(crate) mod sessions;

use std::collections::VecDeque;

use serde::Serialize;
use vitrina_cards::CityId;
use vitrina_i18n::{Arg, Button, Catalog, Locale};

pub use layout::{SEED_CARDS, SeedCard, seed_cards};
use layout::{SEED_PARTNERS, Shelf};
use rng::Rng;

/// Per cent of the stream's steps that bring in a newcomer (whose next steps are /start,
/// the language and the policy).
const NEWCOMERS_PERCENT: usize = 4;

/// Telegram id of the first person; the others follow.
pub const USER_ID_BASE: i64 = 1_000_000;

/// Admins among the people (the first ones).
pub const ADMINS: usize = 2;

/// The fewest people a workload can have: the admins, the seed partners and a few others.
pub const MIN_USERS: usize = ADMINS + SEED_PARTNERS + 4;

/// What part of the bot a step exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// `/start`, the language picker, the policy.
    Start,
    /// Main-menu buttons, commands, language changes, text the bot does not understand.
    Menu,
    /// Catalog: city, category, subcategory, pages, card views.
    Catalog,
    /// The add-card wizard, from *Become partner* or *Add card* to *Submit*.
    Wizard,
    /// My cards: pages, card views, hide and show.
    MyCards,
    /// Moderation: the queue, approvals, rejections.
    Moderation,
}

#[cfg(test)]
impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 6] = [
        Kind::Start,
        Kind::Menu,
        Kind::Catalog,
        Kind::Wizard,
        Kind::MyCards,
        Kind::Moderation,
    ];
}

/// What a person does in one update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A command, without the slash.
    Command(&'static str),
    /// A text message; a reply-keyboard press is its label as text.
    Text(String),
    /// A photo.
    Photo,
    /// An inline-button press with this payload.
    Callback(String),
}

impl Action {
    /// Whether this is one of the texts sent on purpose that the bot cannot understand.
    pub fn is_nonsense(&self) -> bool {
        matches!(self, Action::Text(text) if sessions::UNDERSTOOD_BY_NOBODY.contains(&text.as_str()))
    }
}

/// One update's worth of work: who, what, and which part of the bot it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The person's index (`USER_ID_BASE + user` is their Telegram id).
    pub user: usize,
    pub kind: Kind,
    pub action: Action,
}

/// A person's role in the workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Admin,
    /// One of the partners whose cards the seed phase creates.
    SeedPartner(usize),
    /// A visitor who becomes a partner and adds cards.
    Candidate,
    Visitor,
}

impl Role {
    /// How often the person acts, relative to a visitor.
    fn weight(self) -> u64 {
        match self {
            Role::Admin => 40,
            Role::SeedPartner(_) => 25,
            Role::Candidate => 4,
            Role::Visitor => 1,
        }
    }
}

/// The workload's picture of one person: enough of the bot's state to choose valid steps.
#[derive(Debug, Clone)]
struct Person {
    role: Role,
    rng: Rng,
    /// The interface language chosen (or to be chosen at onboarding).
    locale: Locale,
    /// The `language_code` of their Telegram client.
    client_language: &'static str,
    /// Already accepted the policy before the measured phases (done by the warm-up).
    returning: bool,
    onboarded: bool,
    city: Option<CityId>,
    partner: bool,
    submitted: u32,
    /// For a seed partner: whether their toggled card is hidden now.
    hidden: bool,
    script: VecDeque<(Kind, Action)>,
}

/// Reply-button labels in every language.
#[derive(Debug)]
pub struct Labels {
    catalog: Catalog,
}

impl Labels {
    /// The labels of the embedded locales.
    pub fn load() -> anyhow::Result<Labels> {
        Ok(Labels {
            catalog: Catalog::load()?,
        })
    }

    fn button(&self, locale: Locale, button: Button) -> String {
        self.counted(locale, button, 0)
    }

    /// A label; buttons that show a number show `count`.
    fn counted(&self, locale: Locale, button: Button, count: i64) -> String {
        if button.has_count() {
            self.catalog.text_with(
                locale,
                button.key(),
                &[(Button::COUNT_ARGUMENT, Arg::Number(count))],
            )
        } else {
            self.catalog.text(locale, button.key())
        }
    }
}

/// Which card ids the admins decide next: the seed phase's pending cards first, then the new
/// submissions in the order the database numbers them.
#[derive(Debug, Clone)]
struct ModerationQueue {
    seed_pending: Vec<i64>,
    next: usize,
}

impl ModerationQueue {
    fn peek(&self) -> i64 {
        self.seed_pending
            .get(self.next)
            .copied()
            .unwrap_or_else(|| SEED_CARDS as i64 + 1 + (self.next - self.seed_pending.len()) as i64)
    }

    /// Whether the next card is certainly still pending: a seed card no one decided yet.
    fn peek_is_certain(&self) -> bool {
        self.next < self.seed_pending.len()
    }

    /// The next card to decide.
    fn take(&mut self) -> i64 {
        let id = self.peek();
        self.next += 1;
        id
    }
}

/// The workload generator.
#[derive(Debug)]
pub struct Workload {
    people: Vec<Person>,
    /// The people who use the bot, in the order they came: everyone who used it before the
    /// measured phases, then newcomers as they join.
    active: Vec<usize>,
    /// Running sums of the active people's weights, for a weighted choice by bisection.
    cumulative: Vec<u64>,
    /// Newcomers who have not joined yet, in order.
    newcomers: VecDeque<usize>,
    picker: Rng,
    labels: Labels,
    cards: Vec<SeedCard>,
    shelf: Shelf,
    moderation: ModerationQueue,
}

impl Workload {
    /// The workload of `users` people (at least [`MIN_USERS`]) for `seed`.
    pub fn new(seed: u64, users: usize, labels: Labels) -> Workload {
        let users = users.max(MIN_USERS);
        let people: Vec<Person> = (0..users).map(|index| person(seed, index)).collect();
        let (active, newcomers): (Vec<usize>, Vec<usize>) =
            (0..users).partition(|user| people[*user].is_known());
        let mut total = 0;
        let cumulative = active
            .iter()
            .map(|user| {
                total += people[*user].role.weight();
                total
            })
            .collect();
        let cards = seed_cards();
        Workload {
            active,
            newcomers: newcomers.into(),
            shelf: Shelf::new(&cards),
            moderation: ModerationQueue {
                seed_pending: cards
                    .iter()
                    .filter(|card| card.pending)
                    .map(|card| card.id)
                    .collect(),
                next: 0,
            },
            cards,
            people,
            cumulative,
            picker: Rng::derive(seed, u64::MAX),
            labels,
        }
    }

    /// How many people.
    pub fn users(&self) -> usize {
        self.people.len()
    }

    /// A person's Telegram id.
    pub fn user_id(user: usize) -> i64 {
        USER_ID_BASE + user as i64
    }

    /// The admins' Telegram ids (for `ADMIN_IDS`).
    pub fn admin_ids(&self) -> Vec<i64> {
        (0..ADMINS).map(Workload::user_id).collect()
    }

    /// The `language_code` a person's client sends.
    pub fn client_language(&self, user: usize) -> &'static str {
        self.people
            .get(user)
            .map_or("ru", |person| person.client_language)
    }

    /// The seed phase, in groups to be handled one after another: the admins and seed
    /// partners start; each seed partner submits their cards (one partner at a time, so the
    /// database numbers the cards in [`seed_cards`] order); an admin approves all but the
    /// pending ones.
    pub fn seed(&mut self) -> Vec<Vec<Step>> {
        let mut groups = Vec::new();
        let first: Vec<usize> = (0..ADMINS + SEED_PARTNERS).collect();
        groups.push(self.onboard(&first));
        for partner in 0..SEED_PARTNERS {
            let user = ADMINS + partner;
            let mut steps = Vec::new();
            let cards: Vec<SeedCard> = self
                .cards
                .iter()
                .filter(|card| card.partner == partner)
                .copied()
                .collect();
            for card in cards {
                let person = &mut self.people[user];
                let session = sessions::wizard(person, &self.labels, Some(&card));
                steps.extend(
                    session
                        .into_iter()
                        .map(|(kind, action)| Step { user, kind, action }),
                );
            }
            groups.push(steps);
        }
        let approvals = self
            .cards
            .iter()
            .filter(|card| !card.pending)
            .map(|card| Step {
                user: 0,
                kind: Kind::Moderation,
                action: Action::Callback(
                    vitrina_dialog::Callback::Approve(vitrina_cards::CardId(card.id)).encode(),
                ),
            })
            .collect();
        groups.push(approvals);
        groups
    }

    /// The onboarding of the returning people, who used the bot before the measured phases:
    /// each one's steps in order, people interleaved.
    pub fn warm_up(&mut self) -> Vec<Step> {
        let returning: Vec<usize> = (0..self.people.len())
            .filter(|user| self.people[*user].returning && !self.people[*user].onboarded)
            .collect();
        self.onboard(&returning)
    }

    /// Onboards `users`: their onboarding steps, the first of everyone, then the second, …
    fn onboard(&mut self, users: &[usize]) -> Vec<Step> {
        let scripts: Vec<(usize, Vec<(Kind, Action)>)> = users
            .iter()
            .map(|user| {
                let person = &mut self.people[*user];
                (*user, sessions::onboarding(person))
            })
            .collect();
        let longest = scripts
            .iter()
            .map(|(_, script)| script.len())
            .max()
            .unwrap_or(0);
        let mut steps = Vec::new();
        for index in 0..longest {
            for (user, script) in &scripts {
                if let Some((kind, action)) = script.get(index) {
                    steps.push(Step {
                        user: *user,
                        kind: *kind,
                        action: action.clone(),
                    });
                }
            }
        }
        steps
    }

    /// The next step of the measured stream.
    pub fn next_step(&mut self) -> Step {
        let user = self.pick();
        let person = &mut self.people[user];
        if person.script.is_empty() {
            let session = self.session(user);
            self.people[user].script.extend(session);
        }
        let (kind, action) = self.people[user]
            .script
            .pop_front()
            .unwrap_or((Kind::Menu, Action::Command("menu")));
        Step { user, kind, action }
    }

    /// A newcomer now and then (so that onboarding keeps the same share of the stream from
    /// the first phase to the last), otherwise an active person in proportion to their
    /// role's weight.
    fn pick(&mut self) -> usize {
        if self.picker.below(100) < NEWCOMERS_PERCENT
            && let Some(user) = self.newcomers.pop_front()
        {
            let total = self.cumulative.last().copied().unwrap_or(0);
            self.active.push(user);
            self.cumulative
                .push(total + self.people[user].role.weight());
            return user;
        }
        let total = self.cumulative.last().copied().unwrap_or(1);
        let point = self.picker.next_u64() % total.max(1);
        let index = self.cumulative.partition_point(|sum| *sum <= point);
        self.active.get(index).copied().unwrap_or(0)
    }

    /// The person's next session.
    fn session(&mut self, user: usize) -> Vec<(Kind, Action)> {
        let Workload {
            people,
            labels,
            cards,
            shelf,
            moderation,
            ..
        } = self;
        let person = &mut people[user];
        if !person.onboarded {
            return sessions::onboarding(person);
        }
        // Weights per role: moderation, my cards, wizard, catalog, menu.
        let weights: [u32; 5] = match person.role {
            Role::Admin => [50, 0, 0, 30, 20],
            Role::SeedPartner(_) => [0, 60, 0, 25, 15],
            Role::Candidate => [0, 15, 55, 20, 10],
            Role::Visitor => [0, 0, 0, 70, 30],
        };
        match person.rng.weighted(&weights) {
            0 => sessions::moderation(person, labels, moderation),
            1 => {
                let own: Vec<i64> = match person.role {
                    Role::SeedPartner(partner) => cards
                        .iter()
                        .filter(|card| card.partner == partner)
                        .map(|card| card.id)
                        .collect(),
                    _ => Vec::new(),
                };
                let toggled = match person.role {
                    Role::SeedPartner(partner) => cards
                        .iter()
                        .find(|card| card.partner == partner && card.toggled)
                        .map(|card| card.id),
                    _ => None,
                };
                sessions::my_cards(person, labels, &own, toggled)
            }
            2 => sessions::wizard(person, labels, None),
            3 => sessions::catalog(person, labels, shelf),
            _ => sessions::menu(person, labels),
        }
    }
}

impl Person {
    /// Whether the person used the bot before the measured phases: the admins and seed
    /// partners (the seed phase) and the returning people (the warm-up).
    fn is_known(&self) -> bool {
        self.returning || matches!(self.role, Role::Admin | Role::SeedPartner(_))
    }
}

/// Person `index` of the workload for `seed`.
fn person(seed: u64, index: usize) -> Person {
    let mut rng = Rng::derive(seed, index as u64);
    let role = match index {
        i if i < ADMINS => Role::Admin,
        i if i < ADMINS + SEED_PARTNERS => Role::SeedPartner(i - ADMINS),
        _ if rng.chance(4) => Role::Candidate,
        _ => Role::Visitor,
    };
    let locale = Locale::ALL[rng.weighted(&[40, 30, 15, 15])];
    // Most clients send the language the person reads; some send one the bot does not offer.
    let client_language = if rng.chance(85) {
        locale.code()
    } else {
        *rng.pick(&["de", "fr", "zh", "th"]).unwrap_or(&"de")
    };
    let returning = matches!(role, Role::Candidate | Role::Visitor) && rng.chance(60);
    Person {
        role,
        rng,
        locale,
        client_language,
        returning,
        onboarded: false,
        city: None,
        partner: false,
        submitted: 0,
        hidden: false,
        script: VecDeque::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use vitrina_dialog::{Callback, MAX_CALLBACK_BYTES};

    use super::*;

    fn workload(seed: u64) -> Workload {
        Workload::new(
            seed,
            2_000,
            Labels::load().expect("the embedded locales load"),
        )
    }

    /// The seed, the warm-up and `stream` steps of the measured stream, in that order.
    fn everything(seed: u64, stream: usize) -> Vec<Step> {
        let mut workload = workload(seed);
        let mut steps: Vec<Step> = workload.seed().into_iter().flatten().collect();
        steps.extend(workload.warm_up());
        steps.extend((0..stream).map(|_| workload.next_step()));
        steps
    }

    #[test]
    fn a_seed_always_gives_the_same_workload_and_another_seed_another() {
        assert_eq!(everything(42, 5_000), everything(42, 5_000));
        assert_ne!(everything(42, 5_000), everything(43, 5_000));
    }

    #[test]
    fn the_mix_has_every_kind_and_every_kind_of_update() {
        let steps = everything(7, 20_000);
        let mut kinds: BTreeMap<Kind, usize> = BTreeMap::new();
        for step in &steps {
            *kinds.entry(step.kind).or_default() += 1;
        }
        for kind in Kind::ALL {
            assert!(
                kinds.get(&kind).is_some_and(|n| *n > 0),
                "no {kind:?} in {kinds:?}"
            );
        }
        let has = |wanted: fn(&Action) -> bool| steps.iter().any(|step| wanted(&step.action));
        assert!(has(|action| matches!(action, Action::Command(_))));
        assert!(has(|action| matches!(action, Action::Text(_))));
        assert!(has(|action| matches!(action, Action::Photo)));
        assert!(has(|action| matches!(action, Action::Callback(_))));
    }

    #[test]
    fn every_payload_is_one_the_bot_reads_within_64_bytes() {
        let steps = everything(11, 20_000);
        let payloads: Vec<&str> = steps
            .iter()
            .filter_map(|step| match &step.action {
                Action::Callback(data) => Some(data.as_str()),
                _ => None,
            })
            .collect();
        assert!(payloads.len() > 1_000, "{} payloads", payloads.len());
        for data in payloads {
            assert!(data.len() <= MAX_CALLBACK_BYTES, "{data}");
            assert!(Callback::parse(data).is_some(), "{data}");
        }
    }

    #[test]
    fn every_label_pressed_is_a_button_of_the_bot() {
        let catalog = Catalog::load().expect("the embedded locales load");
        let labels = Labels::load().expect("the embedded locales load");
        let known: Vec<String> = Locale::ALL
            .iter()
            .flat_map(|locale| {
                Button::ALL
                    .iter()
                    .map(|button| labels.counted(*locale, *button, 0))
                    .collect::<Vec<_>>()
            })
            .collect();
        let steps = everything(3, 20_000);
        let pressed = steps.iter().filter_map(|step| match &step.action {
            Action::Text(text) if catalog.match_button(text).is_some() => Some(text),
            _ => None,
        });
        let mut count = 0;
        for label in pressed {
            count += 1;
            let is_count_label = catalog
                .match_button(label)
                .is_some_and(|button| button.has_count());
            assert!(is_count_label || known.contains(label), "{label}");
        }
        assert!(count > 1_000, "{count} presses");
    }

    #[test]
    fn the_stream_reaches_most_people_and_favours_the_busy_ones() {
        let mut workload = workload(5);
        let mut seen = vec![0usize; workload.users()];
        for _ in 0..40_000 {
            seen[workload.next_step().user] += 1;
        }
        let reached = seen.iter().filter(|n| **n > 0).count();
        assert!(reached > workload.users() * 8 / 10, "{reached} reached");
        let visitors_mean = 40_000 / workload.users();
        assert!(
            seen[0] > visitors_mean * 10,
            "{} vs {visitors_mean}",
            seen[0]
        );
    }

    #[test]
    fn onboarding_keeps_its_share_while_newcomers_arrive() {
        let mut workload = workload(9);
        workload.seed();
        workload.warm_up();
        // 2,000 people have about 800 newcomers: they all arrive within 20,000 steps.
        let steps: Vec<Step> = (0..15_000).map(|_| workload.next_step()).collect();
        let shares: Vec<f64> = steps
            .chunks(5_000)
            .map(|part| {
                part.iter().filter(|step| step.kind == Kind::Start).count() as f64
                    / part.len() as f64
            })
            .collect();
        for share in &shares {
            assert!((0.05..0.25).contains(share), "{shares:?}");
        }
        assert!((shares[1] - shares[2]).abs() < 0.04, "{shares:?}");
    }
}
