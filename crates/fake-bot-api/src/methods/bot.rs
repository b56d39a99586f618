//! The bot's command lists (setMyCommands, getMyCommands, deleteMyCommands), kept per scope and
//! language.

use serde_json::{Value, json};

use crate::envelope::{ApiError, Reply};
use crate::params::Params;
use crate::state::{CommandList, State};

const SCOPES: &[&str] = &[
    "default",
    "all_private_chats",
    "all_group_chats",
    "all_chat_administrators",
    "chat",
    "chat_administrators",
    "chat_member",
];

/// The scope and language a call is about, as the key the lists are stored under.
fn key(params: &Params) -> Result<(Value, (String, String)), ApiError> {
    let scope = match params.json("scope") {
        Ok(None) => json!({"type": "default"}),
        Ok(Some(scope)) => scope,
        Err(()) => {
            return Err(ApiError::bad_request(
                "can't parse BotCommandScope JSON object",
            ));
        }
    };
    let kind = scope.get("type").and_then(Value::as_str).unwrap_or("");
    if !SCOPES.contains(&kind) {
        return Err(ApiError::bad_request("unsupported bot command scope type"));
    }
    if kind.starts_with("chat") && scope.get("chat_id").is_none() {
        return Err(ApiError::bad_request("chat_id is empty"));
    }
    let language = params.str("language_code").unwrap_or_default();
    if !(language.is_empty()
        || (language.len() == 2 && language.bytes().all(|b| b.is_ascii_lowercase())))
    {
        return Err(ApiError::bad_request("LANGUAGE_CODE_INVALID"));
    }
    Ok((scope.clone(), (scope.to_string(), language)))
}

fn is_command(command: &str) -> bool {
    (1..=32).contains(&command.len())
        && command
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

pub(crate) fn set_my_commands(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let (scope, key) = key(params)?;
    let commands = match params.json("commands") {
        Ok(Some(Value::Array(commands))) => commands,
        Ok(_) => return Err(ApiError::bad_request("parameter \"commands\" is required")),
        Err(()) => return Err(ApiError::bad_request("can't parse commands JSON object")),
    };
    if commands.len() > 100 {
        return Err(ApiError::bad_request("too many commands"));
    }
    let mut list = Vec::new();
    for command in &commands {
        let name = command.get("command").and_then(Value::as_str).unwrap_or("");
        let description = command
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("");
        if !is_command(name) {
            return Err(ApiError::bad_request("BOT_COMMAND_INVALID"));
        }
        if !(1..=256).contains(&description.chars().count()) {
            return Err(ApiError::bad_request("BOT_COMMAND_DESCRIPTION_INVALID"));
        }
        list.push((name.to_owned(), description.to_owned()));
    }
    if list.is_empty() {
        state.commands.remove(&key);
    } else {
        state.commands.insert(
            key,
            CommandList {
                scope,
                commands: list,
            },
        );
    }
    Ok(Reply::new(json!(true)))
}

pub(crate) fn get_my_commands(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let (_, key) = key(params)?;
    let commands: Vec<Value> = state
        .commands
        .get(&key)
        .map(|list| {
            list.commands
                .iter()
                .map(|(command, description)| json!({"command": command, "description": description}))
                .collect()
        })
        .unwrap_or_default();
    Ok(Reply::new(Value::Array(commands)))
}

pub(crate) fn delete_my_commands(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let (_, key) = key(params)?;
    state.commands.remove(&key);
    Ok(Reply::new(json!(true)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::state::Shared;

    #[test]
    fn command_lists_are_kept_per_language() {
        let shared = Shared::new(Config::default());
        let mut state = shared.lock();
        let set = |state: &mut State, request: Value| {
            set_my_commands(state, &Params::from_json(request))
                .map(|_| ())
                .map_err(|error| error.description)
        };
        let get = |state: &mut State, request: Value| {
            get_my_commands(state, &Params::from_json(request))
                .map(|reply| reply.result)
                .ok()
        };
        let start = json!([{"command": "start", "description": "Start"}]);
        assert_eq!(
            set(
                &mut state,
                json!({"commands": start, "language_code": "ru"})
            ),
            Ok(())
        );
        assert_eq!(get(&mut state, json!({"language_code": "ru"})), Some(start));
        assert_eq!(get(&mut state, json!({})), Some(json!([])));
        assert_eq!(
            set(
                &mut state,
                json!({"commands": [{"command": "Start", "description": "x"}]})
            ),
            Err("Bad Request: BOT_COMMAND_INVALID".to_owned())
        );
        assert_eq!(
            set(
                &mut state,
                json!({"commands": [{"command": "start", "description": ""}]})
            ),
            Err("Bad Request: BOT_COMMAND_DESCRIPTION_INVALID".to_owned())
        );
        assert_eq!(
            set(&mut state, json!({"commands": [], "language_code": "rus"})),
            Err("Bad Request: LANGUAGE_CODE_INVALID".to_owned())
        );
    }
}
