//! The command menus registered with setMyCommands: the public commands for everyone in each
//! language, and `/moderate` added for each admin.

use vitrina_dialog::Command;
use vitrina_i18n::{Catalog, Locale};

/// One setMyCommands call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CommandMenu {
    /// The admin whose private chat it is for; `None` for everyone.
    pub(crate) admin: Option<i64>,
    /// The client language it is for; `None` for clients in any other language.
    pub(crate) language: Option<&'static str>,
    /// `(name, description)` pairs in menu order.
    pub(crate) commands: Vec<(String, String)>,
}

/// Every menu to register: per scope, one per locale and one without a language (in the
/// default locale). Telegram prefers a chat scope without a language over the default scope
/// with one, so each admin needs the full set of languages too.
pub(crate) fn command_menus(
    catalog: &Catalog,
    default: Locale,
    admins: &[i64],
) -> Vec<CommandMenu> {
    let languages = std::iter::once((None, default)).chain(
        Locale::ALL
            .into_iter()
            .map(|locale| (Some(locale.code()), locale)),
    );
    let scopes = std::iter::once(None).chain(admins.iter().copied().map(Some));
    let mut menus = Vec::new();
    for admin in scopes {
        for (language, locale) in languages.clone() {
            // Everyone's commands first, the admins' own at the end of their menu.
            let commands = Command::ALL
                .into_iter()
                .filter(|command| !command.admin_only())
                .chain(
                    Command::ALL
                        .into_iter()
                        .filter(|command| admin.is_some() && command.admin_only()),
                )
                .map(|command| {
                    (
                        command.name().to_owned(),
                        catalog.text(locale, command.description_key()),
                    )
                })
                .collect();
            menus.push(CommandMenu {
                admin,
                language,
                commands,
            });
        }
    }
    menus
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(menu: &CommandMenu) -> Vec<&str> {
        menu.commands
            .iter()
            .map(|(name, _)| name.as_str())
            .collect()
    }

    #[test]
    fn everyone_gets_the_public_commands_in_every_language_and_admins_also_moderate() {
        let catalog = Catalog::load().expect("the catalog loads");
        let menus = command_menus(&catalog, Locale::En, &[7, 8]);
        assert_eq!(menus.len(), 15);
        let public = [
            "start",
            "menu",
            "catalog",
            "cabinet",
            "language",
            "help",
            "policy",
            "cancel",
            "search",
            "forget_me",
        ];
        for menu in &menus {
            let expected: Vec<&str> = match menu.admin {
                None => public.to_vec(),
                Some(_) => public.iter().copied().chain(["moderate"]).collect(),
            };
            assert_eq!(names(menu), expected, "{menu:?}");
            let locale = menu.language.and_then(Locale::parse).unwrap_or(Locale::En);
            for (name, description) in &menu.commands {
                let key = format!("cmd-{}", name.replace('_', "-"));
                assert_eq!(description, &catalog.text(locale, &key));
                assert_ne!(description, &key, "{locale}: {name} has no description");
            }
        }
        let languages: Vec<Option<&str>> = menus
            .iter()
            .filter(|menu| menu.admin == Some(8))
            .map(|menu| menu.language)
            .collect();
        assert_eq!(
            languages,
            [None, Some("ru"), Some("en"), Some("vi"), Some("ko")]
        );
    }

    #[test]
    fn no_admins_means_no_admin_scopes() {
        let catalog = Catalog::load().expect("the catalog loads");
        let menus = command_menus(&catalog, Locale::Ru, &[]);
        assert_eq!(menus.len(), 5);
        assert!(menus.iter().all(|menu| menu.admin.is_none()));
        assert_eq!(
            menus
                .first()
                .map(|menu| (menu.language, menu.commands.first().cloned())),
            Some((
                None,
                Some(("start".to_owned(), catalog.text(Locale::Ru, "cmd-start")))
            ))
        );
    }
}
