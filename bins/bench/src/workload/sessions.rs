//! One function per kind of session: the steps a person takes, given what the workload knows
//! of their state, and the change the session makes to it.

use vitrina_cards::{CardId, CategoryId};
use vitrina_dialog::{Callback, DraftVersion, LanguageChoice};
use vitrina_i18n::{Button, Locale};
use vitrina_moderation::StandardReason;

use super::layout::{REFERENCE, SeedCard, Shelf, category_ids, city_ids};
use super::{Action, Kind, Labels, ModerationQueue, Person, Role};

type Script = Vec<(Kind, Action)>;

/// Wizard buttons carry the draft and the showing they were sent with, which a script written
/// before the bot answers cannot know: a script names them with this placeholder, and the
/// press is made to the button of the same kind that the bot's previous answer shows — by the
/// double while seeding ([`crate::double::Double::act_reading`]), by the load generator just
/// before it posts the update to a webhook ([`crate::double::Double::press_on_screen`]). In a
/// polling backlog every update is queued before the bot starts, so no answer exists yet: the
/// placeholder goes as it is and the bot answers the press as outdated.
pub const UNKNOWN_DRAFT: DraftVersion = DraftVersion {
    draft: 0,
    version: 0,
};

/// A wizard press with the draft and showing replaced by [`UNKNOWN_DRAFT`]: what a script
/// writes for the button on screen.
pub fn wizard_template(callback: Callback) -> Option<Callback> {
    let at = UNKNOWN_DRAFT;
    Some(match callback {
        Callback::WizardCity(_, city) => Callback::WizardCity(at, city),
        Callback::WizardArea(_, area) => Callback::WizardArea(at, area),
        Callback::WizardCategory(_, category) => Callback::WizardCategory(at, category),
        Callback::WizardSubcategory(_, sub) => Callback::WizardSubcategory(at, sub),
        Callback::WizardBack(_) => Callback::WizardBack(at),
        Callback::WizardCancel(_) => Callback::WizardCancel(at),
        Callback::WizardSubmit(_) => Callback::WizardSubmit(at),
        Callback::WizardEdit(_) => Callback::WizardEdit(at),
        _ => return None,
    })
}

fn press(data: Callback) -> Action {
    Action::Callback(data.encode())
}

fn language(locale: Locale) -> Callback {
    let code = locale.code().as_bytes();
    Callback::Language(LanguageChoice([code[0], code[1]]))
}

/// `/start`, a language from the picker, sometimes the policy text, then *Accept*.
pub(super) fn onboarding(person: &mut Person) -> Script {
    let mut script = vec![
        (Kind::Start, Action::Command("start")),
        (Kind::Start, press(language(person.locale))),
    ];
    if person.rng.chance(25) {
        script.push((Kind::Start, press(Callback::ReadPolicy)));
    }
    script.push((Kind::Start, press(Callback::AcceptPolicy)));
    person.onboarded = true;
    script
}

/// One to three main-menu actions: help, the menu, a language change, the policy, the
/// cabinet and back, or a text the bot does not understand.
pub(super) fn menu(person: &mut Person, labels: &Labels) -> Script {
    let mut script = Vec::new();
    let count = 1 + person.rng.below(3);
    for _ in 0..count {
        let locale = person.locale;
        let mut add = |action| script.push((Kind::Menu, action));
        match person.rng.weighted(&[25, 15, 10, 15, 15, 10, 10]) {
            0 => add(Action::Text(labels.button(locale, Button::Help))),
            1 => add(Action::Command("menu")),
            2 => add(Action::Command("help")),
            3 => {
                add(Action::Text(labels.button(locale, Button::Language)));
                let chosen = if person.rng.chance(75) {
                    locale
                } else {
                    Locale::ALL[person.rng.below(Locale::ALL.len())]
                };
                add(press(language(chosen)));
                person.locale = chosen;
            }
            4 => {
                let text = person
                    .rng
                    .pick(&UNDERSTOOD_BY_NOBODY)
                    .copied()
                    .unwrap_or("?");
                add(Action::Text(text.to_owned()));
            }
            5 => add(Action::Command("policy")),
            _ => {
                add(Action::Text(labels.button(locale, Button::Cabinet)));
                add(Action::Text(labels.button(locale, Button::MainMenu)));
            }
        }
    }
    script
}

/// Texts that are neither a command nor a button.
pub(super) const UNDERSTOOD_BY_NOBODY: [&str; 6] = [
    "hello?",
    "где тут пляж?",
    "xin chào",
    "안녕하세요",
    "<b>menu</b> & more",
    "🙂",
];

/// The catalog: the city (remembered after the first time), a category, *All* or a
/// subcategory, some pages forward, often a card and back to its list.
pub(super) fn catalog(person: &mut Person, labels: &Labels, shelf: &Shelf) -> Script {
    let mut script = Vec::new();
    let mut add = |action| script.push((Kind::Catalog, action));
    if person.rng.chance(70) {
        add(Action::Text(labels.button(person.locale, Button::Catalog)));
    } else {
        add(Action::Command("catalog"));
    }
    let cities = city_ids();
    let pick_city = |person: &mut Person| cities[person.rng.weighted(&[60, 15, 15, 10])];
    let city = match person.city {
        None => {
            let city = pick_city(person);
            add(press(Callback::CatalogCity(city)));
            city
        }
        Some(_) if person.rng.chance(15) => {
            add(press(Callback::CatalogCities));
            let city = pick_city(person);
            add(press(Callback::CatalogCity(city)));
            city
        }
        Some(city) => city,
    };
    person.city = Some(city);
    let categories = category_ids();
    let category = categories[person.rng.weighted(&[45, 15, 12, 12, 6, 10])];
    add(press(Callback::CatalogCategory(category)));
    let subcategories = REFERENCE
        .category(category)
        .map_or(&[][..], |c| &c.subcategories[..]);
    let subcategory = if subcategories.is_empty() || person.rng.chance(60) {
        None
    } else {
        person.rng.pick(subcategories).map(|sub| sub.id)
    };
    if !subcategories.is_empty() {
        add(press(Callback::CatalogPage {
            category,
            subcategory,
            page: 1,
        }));
    }
    let listed = shelf.listed(city, category, subcategory);
    if listed.is_empty() {
        if person.rng.chance(50) {
            add(press(Callback::CatalogCity(city)));
        }
        return script;
    }
    let pages = Shelf::pages(listed.len());
    let mut page = 1;
    let forward = person.rng.below(pages as usize) as u32;
    for _ in 0..forward {
        page += 1;
        add(press(Callback::CatalogPage {
            category,
            subcategory,
            page,
        }));
    }
    if person.rng.chance(65) {
        let card = person.rng.pick(&listed).copied().unwrap_or(1);
        add(press(Callback::CatalogCard {
            card: CardId(card),
            category,
            subcategory,
            page,
        }));
        if person.rng.chance(50) {
            add(press(Callback::CatalogPage {
                category,
                subcategory,
                page,
            }));
        }
    }
    script
}

/// The add-card wizard from the cabinet to *Submit*: with `seed`, that card's answers;
/// otherwise drawn, with the odd wrong answer and a step back.
pub(super) fn wizard(person: &mut Person, labels: &Labels, seed: Option<&SeedCard>) -> Script {
    let locale = person.locale;
    let mut script: Script = Vec::new();
    let mut add = |action| script.push((Kind::Wizard, action));
    add(Action::Text(labels.button(locale, Button::Cabinet)));
    if person.partner {
        add(Action::Text(labels.button(locale, Button::AddCard)));
    } else {
        add(Action::Text(labels.button(locale, Button::BecomePartner)));
        person.partner = true;
    }
    let number = person.submitted + 1;
    let rng = &mut person.rng;
    let city = seed.map_or_else(|| city_ids()[rng.weighted(&[50, 20, 20, 10])], |s| s.city);
    add(press(Callback::WizardCity(UNKNOWN_DRAFT, city)));
    let area = match seed {
        Some(seed) => seed.area,
        None if rng.chance(70) => REFERENCE
            .city(city)
            .and_then(|city| rng.pick(&city.areas))
            .map(|area| area.id),
        None => None,
    };
    add(press(Callback::WizardArea(UNKNOWN_DRAFT, area)));
    let category = seed.map_or_else(
        || REFERENCE.categories()[rng.weighted(&[40, 15, 15, 15, 5, 10])].id,
        |s| s.category,
    );
    add(press(Callback::WizardCategory(UNKNOWN_DRAFT, category)));
    let subcategories = REFERENCE
        .category(category)
        .map_or(&[][..], |c| &c.subcategories[..]);
    if !subcategories.is_empty() {
        let subcategory = match seed {
            Some(seed) => seed.subcategory,
            None if rng.chance(75) => rng.pick(subcategories).map(|sub| sub.id),
            None => None,
        };
        add(press(Callback::WizardSubcategory(
            UNKNOWN_DRAFT,
            subcategory,
        )));
    }
    let drawn = seed.is_none();
    if drawn && rng.chance(8) {
        // Too short: the bot names the rule and the step stays.
        add(Action::Text("ab".to_owned()));
    }
    add(Action::Text(title(
        locale,
        category,
        number,
        rng.below(1000),
    )));
    if drawn && rng.chance(10) {
        // Back to the title, which is kept, and on again.
        add(Action::Text(labels.button(locale, Button::Back)));
        add(Action::Text(labels.button(locale, Button::Keep)));
    }
    if drawn && rng.chance(30) {
        add(Action::Text(labels.button(locale, Button::Skip)));
    } else {
        add(Action::Text(description(locale, rng.below(4))));
    }
    let contact = match rng.below(3) {
        0 => format!("+84 90 {:03} {:04}", rng.below(1000), rng.below(10_000)),
        1 => format!("@vitrina_partner_{}", rng.below(100_000)),
        _ => format!("https://partner{}.example.vn/contact", rng.below(10_000)),
    };
    add(Action::Text(contact));
    if drawn && rng.chance(40) {
        add(Action::Text(labels.button(locale, Button::Skip)));
    } else {
        add(Action::Text(format!(
            "{} Tran Phu, {}",
            1 + rng.below(300),
            ["Loc Tho", "Vinh Hoa", "Phuoc Tien"][rng.below(3)]
        )));
    }
    if drawn && rng.chance(50) {
        add(Action::Text(labels.button(locale, Button::Skip)));
    } else {
        add(Action::Text(format!(
            "https://maps.example.com/?q=12.{:04},109.{:04}",
            rng.below(10_000),
            rng.below(10_000)
        )));
    }
    let photos = seed.map_or_else(|| rng.below(4), |s| s.photos);
    for _ in 0..photos {
        add(Action::Photo);
    }
    if photos == 0 {
        add(Action::Text(labels.button(locale, Button::Skip)));
    } else {
        add(Action::Text(labels.counted(
            locale,
            Button::PhotosDone,
            photos as i64,
        )));
    }
    if drawn && rng.chance(60) {
        add(Action::Text(labels.button(locale, Button::Skip)));
    } else {
        add(Action::Text(format!(
            "-{}% for Vitrina users",
            5 + rng.below(30)
        )));
    }
    add(press(Callback::WizardSubmit(UNKNOWN_DRAFT)));
    person.submitted += 1;
    script
}

fn title(locale: Locale, category: CategoryId, number: u32, salt: usize) -> String {
    let stem = match (locale, category.0) {
        (Locale::Ru, 1) => "Кафе «Море»",
        (Locale::Ru, 2) => "Спа Лотос",
        (Locale::Ru, _) => "Прокат у Миши",
        (Locale::En, 1) => "Fish & Chips <Sea>",
        (Locale::En, 2) => "Lotus Spa",
        (Locale::En, _) => "Bike Rental Nha Trang",
        (Locale::Vi, 1) => "Quán Biển Xanh",
        (Locale::Vi, 2) => "Spa Hoa Sen",
        (Locale::Vi, _) => "Thuê Xe Máy",
        (Locale::Ko, 1) => "바다 식당",
        (Locale::Ko, 2) => "연꽃 스파",
        (Locale::Ko, _) => "오토바이 대여",
    };
    format!("{stem} {number}-{salt}")
}

fn description(locale: Locale, length: usize) -> String {
    let sentence = match locale {
        Locale::Ru => "Свежие морепродукты каждый день, вид на залив и скидки для гостей города. ",
        Locale::En => {
            "Fresh seafood every day, a view of the bay & discounts for the city's guests. "
        }
        Locale::Vi => "Hải sản tươi mỗi ngày, nhìn ra vịnh và giảm giá cho khách du lịch. ",
        Locale::Ko => "매일 신선한 해산물, 만 전망, 그리고 도시 손님을 위한 할인. ",
    };
    sentence.repeat(1 + length * 3).trim_end().to_owned()
}

/// My cards: the list, for a seed partner pages, a card, hiding and showing their toggled
/// card, and a delete asked and called off.
pub(super) fn my_cards(
    person: &mut Person,
    labels: &Labels,
    own: &[i64],
    toggled: Option<i64>,
) -> Script {
    let mut script = Vec::new();
    let mut add = |action| script.push((Kind::MyCards, action));
    add(Action::Text(labels.button(person.locale, Button::Cabinet)));
    add(Action::Text(labels.button(person.locale, Button::MyCards)));
    let rng = &mut person.rng;
    if own.is_empty() {
        if person.submitted > 0 && rng.chance(50) {
            add(press(Callback::MyCards(1)));
        }
        return script;
    }
    let pages = Shelf::pages(own.len());
    let page = 1 + rng.below(pages as usize) as u32;
    if page > 1 {
        add(press(Callback::MyCards(page)));
    }
    let card = CardId(rng.pick(own).copied().unwrap_or(1));
    add(press(Callback::MyCard(card, page)));
    if let Some(toggled) = toggled.filter(|_| rng.chance(40)) {
        let toggled = CardId(toggled);
        add(press(Callback::MyCard(toggled, page)));
        if person.hidden {
            add(press(Callback::MyCardShow(toggled, page)));
        } else {
            add(press(Callback::MyCardHide(toggled, page)));
        }
        person.hidden = !person.hidden;
    }
    if rng.chance(20) {
        add(press(Callback::MyCardDelete(card, page)));
        add(press(Callback::MyCard(card, page)));
    }
    add(press(Callback::MyCards(page)));
    if rng.chance(30) {
        add(press(Callback::MyCards(1)));
    }
    script
}

/// Moderation: the queue (button or `/moderate`), sometimes a notification's *Review*, one
/// or two decisions, then usually *Finish*.
pub(super) fn moderation(
    person: &mut Person,
    labels: &Labels,
    queue: &mut ModerationQueue,
) -> Script {
    debug_assert_eq!(person.role, Role::Admin);
    let mut script = Vec::new();
    let mut add = |action| script.push((Kind::Moderation, action));
    let rng = &mut person.rng;
    if rng.chance(50) {
        let shown = rng.below(20) as i64;
        add(Action::Text(labels.counted(
            person.locale,
            Button::Moderation,
            shown,
        )));
    } else {
        add(Action::Command("moderate"));
    }
    if rng.chance(30) {
        add(press(Callback::Review(CardId(queue.peek()))));
    }
    for _ in 0..1 + rng.below(2) {
        match rng.weighted(&[45, 30, 10, 15]) {
            0 => {
                let id = queue.take();
                add(press(Callback::Approve(CardId(id))));
            }
            1 => {
                let id = queue.take();
                add(press(Callback::Reject(CardId(id))));
                let reason = StandardReason::ALL[rng.below(StandardReason::ALL.len())];
                add(press(Callback::RejectWith(CardId(id), reason)));
            }
            2 if queue.peek_is_certain() => {
                let id = queue.take();
                add(press(Callback::RejectOther(CardId(id))));
                add(Action::Text(
                    "The photos show another place; please send your own.".to_owned(),
                ));
            }
            _ => add(press(Callback::Skip(CardId(queue.peek())))),
        }
    }
    if rng.chance(70) {
        add(press(Callback::Finish));
    }
    script
}
