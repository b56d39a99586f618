//! Routing as data: what an input is, decided before any state is looked at.
//!
//! Commands and reply buttons are recognised first, for every person in every state, so no
//! dialog step and no fallback can swallow them; only text that is neither reaches a step.

use vitrina_i18n::{Button, Catalog};

use crate::callback::Callback;
use crate::io::Input;
use vitrina_cards::{Coordinates, PhotoId};

/// The bot's commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// `/start`
    Start,
    /// `/menu`
    Menu,
    /// `/catalog`
    Catalog,
    /// `/cabinet`
    Cabinet,
    /// `/language`
    Language,
    /// `/help`
    Help,
    /// `/policy`
    Policy,
    /// `/cancel`
    Cancel,
    /// `/moderate` (admins only; anyone else is answered as for an unknown command)
    Moderate,
    /// `/search <words>`: published cards by the words of their title and description.
    Search,
    /// `/forget_me`: delete everything kept about the person, after a confirmation
    ForgetMe,
}

impl Command {
    /// Every command, in menu order.
    pub const ALL: [Command; 11] = [
        Command::Start,
        Command::Menu,
        Command::Catalog,
        Command::Cabinet,
        Command::Language,
        Command::Help,
        Command::Policy,
        Command::Cancel,
        Command::Search,
        // Before `/moderate`, which stays last in an admin's menu.
        Command::ForgetMe,
        Command::Moderate,
    ];

    /// The name, without the slash.
    pub const fn name(self) -> &'static str {
        match self {
            Command::Start => "start",
            Command::Menu => "menu",
            Command::Catalog => "catalog",
            Command::Cabinet => "cabinet",
            Command::Language => "language",
            Command::Help => "help",
            Command::Policy => "policy",
            Command::Cancel => "cancel",
            Command::Moderate => "moderate",
            Command::Search => "search",
            Command::ForgetMe => "forget_me",
        }
    }

    /// The i18n key of its description in the command menu.
    pub const fn description_key(self) -> &'static str {
        match self {
            Command::Start => "cmd-start",
            Command::Menu => "cmd-menu",
            Command::Catalog => "cmd-catalog",
            Command::Cabinet => "cmd-cabinet",
            Command::Language => "cmd-language",
            Command::Help => "cmd-help",
            Command::Policy => "cmd-policy",
            Command::Cancel => "cmd-cancel",
            Command::Moderate => "cmd-moderate",
            Command::Search => "cmd-search",
            Command::ForgetMe => "cmd-forget-me",
        }
    }

    /// Whether only admins see it in their command menu.
    pub const fn admin_only(self) -> bool {
        matches!(self, Command::Moderate)
    }

    /// The command of this name (lowercase, no slash), if any.
    pub fn parse(name: &str) -> Option<Command> {
        Command::ALL
            .into_iter()
            .find(|command| command.name() == name)
    }
}

/// What an input is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A known command.
    Command(Command),
    /// A `/word` that is no command of the bot.
    UnknownCommand,
    /// A reply-keyboard button, in any of the four languages.
    Button(Button),
    /// An inline-button press; `None` when its payload is outdated or malformed.
    Callback(Option<Callback>),
    /// Text that is neither a command nor a button.
    Text(String),
    /// A photo.
    Photo(PhotoId),
    /// A sticker, voice or the like.
    Unsupported,
    /// A location pin, or a venue's place.
    Location(Coordinates),
    /// A shared contact's phone number.
    Contact(String),
}

/// Decides what an input is.
pub fn route(input: &Input, catalog: &Catalog) -> Route {
    match input {
        Input::Command { name, .. } => {
            Command::parse(name).map_or(Route::UnknownCommand, Route::Command)
        }
        Input::Text(text) => match catalog.match_button(text) {
            Some(button) => Route::Button(button),
            None => Route::Text(text.clone()),
        },
        Input::Photo(photo) => Route::Photo(photo.clone()),
        Input::Unsupported => Route::Unsupported,
        Input::Callback { data, .. } => Route::Callback(Callback::parse(data)),
        // Answered before routing (`Conversation::inline_query`): no chat step takes one.
        Input::InlineQuery { .. } => Route::Unsupported,
        Input::Location(location) | Input::Venue { location, .. } => Route::Location(*location),
        Input::Contact { phone } => Route::Contact(phone.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitrina_i18n::{Arg, Locale};

    fn catalog() -> Catalog {
        Catalog::load().expect("the embedded locales load")
    }

    #[test]
    fn every_button_label_in_every_locale_routes_to_its_button() {
        let catalog = catalog();
        for locale in Locale::ALL {
            for button in Button::ALL {
                let label = if button.has_count() {
                    catalog.text_with(
                        locale,
                        button.key(),
                        &[(Button::COUNT_ARGUMENT, Arg::Number(3))],
                    )
                } else {
                    catalog.text(locale, button.key())
                };
                let input = Input::Text(label.clone());
                assert_eq!(
                    route(&input, &catalog),
                    Route::Button(button),
                    "{locale}: {label:?}"
                );
            }
        }
    }

    #[test]
    fn every_command_routes_to_its_command_and_others_are_unknown() {
        let catalog = catalog();
        for command in Command::ALL {
            let input = Input::Command {
                name: command.name().to_owned(),
                args: String::new(),
            };
            assert_eq!(route(&input, &catalog), Route::Command(command));
        }
        let input = Input::Command {
            name: "admin".into(),
            args: String::new(),
        };
        assert_eq!(route(&input, &catalog), Route::UnknownCommand);
    }

    #[test]
    fn other_text_and_inputs_keep_their_kind() {
        let catalog = catalog();
        let text = Input::Text("Кофейня у моря".into());
        assert_eq!(route(&text, &catalog), Route::Text("Кофейня у моря".into()));
        let callback = Input::Callback {
            id: "1".into(),
            message: None,
            data: "my:p:2".into(),
        };
        assert_eq!(
            route(&callback, &catalog),
            Route::Callback(Some(Callback::MyCards(2)))
        );
        let forged = Input::Callback {
            id: "1".into(),
            message: None,
            data: "pc:del:1".into(),
        };
        assert_eq!(route(&forged, &catalog), Route::Callback(None));
        assert_eq!(route(&Input::Unsupported, &catalog), Route::Unsupported);
    }
}
