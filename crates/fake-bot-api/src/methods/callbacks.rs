//! answerCallbackQuery: only ids the server issued, each answered once.

use serde_json::json;

use crate::chat::CallbackAnswer;
use crate::envelope::{ApiError, Reply};
use crate::params::Params;
use crate::state::State;

const ANSWER_TEXT_LIMIT: usize = 200;
const INVALID_QUERY: &str = "query is too old and response timeout expired or query ID is invalid";

pub(crate) fn answer_callback_query(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let id = params.str("callback_query_id").unwrap_or_default();
    let text = params.str("text").filter(|text| !text.is_empty());
    if text
        .as_ref()
        .is_some_and(|text| text.chars().count() > ANSWER_TEXT_LIMIT)
    {
        return Err(ApiError::bad_request("MESSAGE_TOO_LONG"));
    }
    let show_alert = params.bool("show_alert")?;
    let url = params.str("url").filter(|url| !url.is_empty());
    let issued = state
        .callbacks
        .get_mut(&id)
        .filter(|record| record.answer.is_none())
        .ok_or_else(|| ApiError::bad_request(INVALID_QUERY))?;
    issued.answer = Some(CallbackAnswer {
        text,
        show_alert,
        url,
    });
    Ok(Reply::new(json!(true)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::CallbackRecord;
    use crate::config::Config;
    use crate::state::Shared;

    #[test]
    fn a_query_is_answered_once_and_only_if_issued() {
        let shared = Shared::new(Config::default());
        let mut state = shared.lock();
        let id = state.next_callback_id();
        state.callbacks.insert(
            id.clone(),
            CallbackRecord {
                id: id.clone(),
                message_id: Some(1),
                data: Some("x".into()),
                answer: None,
            },
        );
        let check = |state: &mut State, request: serde_json::Value, expected: Result<(), &str>| {
            let outcome = answer_callback_query(state, &Params::from_json(request))
                .map(|_| ())
                .map_err(|e| e.description);
            assert_eq!(outcome, expected.map_err(|e| format!("Bad Request: {e}")));
        };
        check(
            &mut state,
            json!({"callback_query_id": id, "text": "x".repeat(201)}),
            Err("MESSAGE_TOO_LONG"),
        );
        check(
            &mut state,
            json!({"callback_query_id": "123"}),
            Err(INVALID_QUERY),
        );
        check(
            &mut state,
            json!({"callback_query_id": id, "text": "Done", "show_alert": true}),
            Ok(()),
        );
        check(
            &mut state,
            json!({"callback_query_id": id}),
            Err(INVALID_QUERY),
        );
        let answer = state
            .callbacks
            .get(&id)
            .and_then(|record| record.answer.clone());
        assert_eq!(
            answer,
            Some(CallbackAnswer {
                text: Some("Done".into()),
                show_alert: true,
                url: None
            })
        );
    }
}
