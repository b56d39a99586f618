//! The bot's profile texts (setMyName / getMyName, setMyDescription / getMyDescription,
//! setMyShortDescription / getMyShortDescription), kept per language as Telegram keeps them.

use serde_json::json;

use crate::envelope::{ApiError, Reply};
use crate::params::Params;
use crate::state::{ProfileField, State};

impl ProfileField {
    /// The parameter and result field that carries the text.
    fn parameter(self) -> &'static str {
        match self {
            ProfileField::Name => "name",
            ProfileField::Description => "description",
            ProfileField::ShortDescription => "short_description",
        }
    }

    /// The longest text Telegram takes, in characters.
    fn limit(self) -> usize {
        match self {
            ProfileField::Name => 64,
            ProfileField::Description => 512,
            ProfileField::ShortDescription => 120,
        }
    }

    /// Telegram's complaint about a text that is too long.
    fn too_long(self) -> &'static str {
        match self {
            ProfileField::Name => "BOT_TITLE_INVALID",
            ProfileField::Description => "BOT_DESCRIPTION_INVALID",
            ProfileField::ShortDescription => "BOT_ABOUT_INVALID",
        }
    }
}

fn language(params: &Params) -> Result<String, ApiError> {
    let language = params.str("language_code").unwrap_or_default();
    if language.is_empty()
        || (language.len() == 2 && language.bytes().all(|b| b.is_ascii_lowercase()))
    {
        Ok(language)
    } else {
        Err(ApiError::bad_request("LANGUAGE_CODE_INVALID"))
    }
}

/// setMyName, setMyDescription, setMyShortDescription: an empty or absent text removes the
/// language's own.
pub(crate) fn set(
    state: &mut State,
    params: &Params,
    field: ProfileField,
) -> Result<Reply, ApiError> {
    let language = language(params)?;
    let text = params.str(field.parameter()).unwrap_or_default();
    if text.chars().count() > field.limit() {
        return Err(ApiError::bad_request(field.too_long()));
    }
    if text.is_empty() {
        state.profile.remove(&(field, language));
    } else {
        state.profile.insert((field, language), text);
    }
    Ok(Reply::new(json!(true)))
}

/// getMyName, getMyDescription, getMyShortDescription: the language's own text, else the one
/// for every language, else empty.
pub(crate) fn get(
    state: &mut State,
    params: &Params,
    field: ProfileField,
) -> Result<Reply, ApiError> {
    let language = language(params)?;
    let text = state
        .profile
        .get(&(field, language))
        .or_else(|| state.profile.get(&(field, String::new())))
        .cloned()
        .unwrap_or_default();
    Ok(Reply::new(json!({ field.parameter(): text })))
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::config::Config;
    use crate::state::Shared;

    #[test]
    fn texts_are_kept_per_language_with_the_default_behind_them() {
        let shared = Shared::new(Config::default());
        let mut state = shared.lock();
        let field = ProfileField::Description;
        let set = |state: &mut State, request: Value| {
            set(state, &Params::from_json(request), field)
                .map(|_| ())
                .map_err(|error| error.description)
        };
        let get = |state: &mut State, request: Value| {
            get(state, &Params::from_json(request), field)
                .map(|reply| reply.result["description"].clone())
                .ok()
        };
        assert_eq!(get(&mut state, json!({})), Some(json!("")));
        assert_eq!(set(&mut state, json!({"description": "Каталог"})), Ok(()));
        assert_eq!(
            set(
                &mut state,
                json!({"description": "Catalog", "language_code": "en"})
            ),
            Ok(())
        );
        assert_eq!(
            get(&mut state, json!({"language_code": "en"})),
            Some(json!("Catalog"))
        );
        assert_eq!(
            get(&mut state, json!({"language_code": "ko"})),
            Some(json!("Каталог"))
        );
        assert_eq!(
            set(
                &mut state,
                json!({"description": "", "language_code": "en"})
            ),
            Ok(())
        );
        assert_eq!(
            get(&mut state, json!({"language_code": "en"})),
            Some(json!("Каталог"))
        );
        assert_eq!(
            set(&mut state, json!({"description": "x".repeat(513)})),
            Err("Bad Request: BOT_DESCRIPTION_INVALID".to_owned())
        );
        assert_eq!(
            set(
                &mut state,
                json!({"description": "x", "language_code": "eng"})
            ),
            Err("Bad Request: LANGUAGE_CODE_INVALID".to_owned())
        );
    }
}
