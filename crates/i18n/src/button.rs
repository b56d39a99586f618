/// A reply-keyboard button: the buttons whose pressed text comes back as a plain message and
/// has to be recognised by [`Catalog::match_button`](crate::Catalog::match_button).
///
/// Inline buttons carry callback data instead and are not listed here; their labels are
/// ordinary messages (`btn-…` keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Button {
    /// `🗂 Catalog` (main menu).
    Catalog,
    /// `👤 Personal cabinet` (main menu).
    Cabinet,
    /// `🌐 Language` (main menu).
    Language,
    /// `❓ Help` (main menu).
    Help,
    /// `🛡 Moderation (N)` (main menu, admins): the label takes `$count`.
    Moderation,
    /// `🧑‍💼 Become partner` (cabinet of a non-partner).
    BecomePartner,
    /// `⬅️ Main menu` (cabinet).
    MainMenu,
    /// `➕ Add card` (cabinet of a partner, empty card list).
    AddCard,
    /// `📋 My cards` (cabinet of a partner).
    MyCards,
    /// `⬅️ Back` (wizard: the previous step).
    Back,
    /// `❌ Cancel` (wizard).
    Cancel,
    /// `⏭ Skip` (wizard: an optional step).
    Skip,
    /// `✅ Done (n/6)` (wizard: photos): the label takes `$count`.
    PhotosDone,
    /// `🗑 Remove last` (wizard: photos).
    RemoveLastPhoto,
    /// `✅ Keep` (wizard: a text step that already has an answer, when editing).
    Keep,
}

impl Button {
    /// Every reply button.
    pub const ALL: [Button; 15] = [
        Button::Catalog,
        Button::Cabinet,
        Button::Language,
        Button::Help,
        Button::Moderation,
        Button::BecomePartner,
        Button::MainMenu,
        Button::AddCard,
        Button::MyCards,
        Button::Back,
        Button::Cancel,
        Button::Skip,
        Button::PhotosDone,
        Button::RemoveLastPhoto,
        Button::Keep,
    ];

    /// The message id of the button's label.
    pub const fn key(self) -> &'static str {
        match self {
            Button::Catalog => "btn-catalog",
            Button::Cabinet => "btn-cabinet",
            Button::Language => "btn-language",
            Button::Help => "btn-help",
            Button::Moderation => "btn-moderation",
            Button::BecomePartner => "btn-become-partner",
            Button::MainMenu => "btn-main-menu",
            Button::AddCard => "btn-add-card",
            Button::MyCards => "btn-my-cards",
            Button::Back => "btn-back",
            Button::Cancel => "btn-cancel",
            Button::Skip => "btn-skip",
            Button::PhotosDone => "btn-photos-done",
            Button::RemoveLastPhoto => "btn-remove-last-photo",
            Button::Keep => "btn-keep",
        }
    }

    /// Whether the label shows a number, passed as the `count` argument
    /// ([`COUNT_ARGUMENT`](Button::COUNT_ARGUMENT)); any number there matches.
    pub const fn has_count(self) -> bool {
        matches!(self, Button::Moderation | Button::PhotosDone)
    }

    /// The name of the argument of the buttons that [`has_count`](Button::has_count).
    pub const COUNT_ARGUMENT: &'static str = "count";
}
