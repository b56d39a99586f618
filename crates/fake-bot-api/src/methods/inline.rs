//! answerInlineQuery: only ids the server issued, answered once, with articles checked as
//! the Bot API checks them.

use serde_json::{Value, json};

use crate::chat::{InlineAnswer, InlineArticle};
use crate::envelope::{ApiError, Reply};
use crate::html::parse_html;
use crate::markup::{self, Markup};
use crate::params::Params;
use crate::state::State;

/// Results of one answer.
const MAX_RESULTS: usize = 50;
/// Bytes of a result's id.
const ID_BYTES: std::ops::RangeInclusive<usize> = 1..=64;
const TEXT_LIMIT: usize = 4096;
const INVALID_QUERY: &str = "query is too old and response timeout expired or query ID is invalid";

pub(crate) fn answer_inline_query(state: &mut State, params: &Params) -> Result<Reply, ApiError> {
    let id = params.str("inline_query_id").unwrap_or_default();
    let results = match params.json("results") {
        Ok(Some(Value::Array(results))) => results,
        Ok(None) => return Err(ApiError::bad_request("RESULTS_EMPTY")),
        _ => return Err(ApiError::bad_request("can't parse JSON object")),
    };
    if results.len() > MAX_RESULTS {
        return Err(ApiError::bad_request("RESULTS_TOO_MUCH"));
    }
    let mut articles = Vec::with_capacity(results.len());
    for result in &results {
        let article = article(result)?;
        if articles
            .iter()
            .any(|known: &InlineArticle| known.id == article.id)
        {
            return Err(ApiError::bad_request("RESULT_ID_DUPLICATE"));
        }
        articles.push(article);
    }
    let next_offset = params
        .str("next_offset")
        .filter(|offset| !offset.is_empty());
    if next_offset.as_ref().is_some_and(|offset| offset.len() > 64) {
        return Err(ApiError::bad_request("NEXT_OFFSET_INVALID"));
    }
    let cache_time = params.i64("cache_time")?;
    let is_personal = params.bool("is_personal")?;
    let issued = state
        .inline_queries
        .get_mut(&id)
        .filter(|record| record.answer.is_none())
        .ok_or_else(|| ApiError::bad_request(INVALID_QUERY))?;
    issued.answer = Some(InlineAnswer {
        results: articles,
        next_offset,
        cache_time,
        is_personal,
    });
    Ok(Reply::new(json!(true)))
}

/// One `InlineQueryResultArticle` with an `InputTextMessageContent`: the only kind this
/// server takes.
fn article(result: &Value) -> Result<InlineArticle, ApiError> {
    let field = |name: &str| result.get(name).and_then(Value::as_str);
    if field("type") != Some("article") {
        return Err(ApiError::bad_request("RESULT_TYPE_INVALID"));
    }
    let id = field("id").unwrap_or_default();
    if !ID_BYTES.contains(&id.len()) {
        return Err(ApiError::bad_request("RESULT_ID_INVALID"));
    }
    let title = field("title").filter(|title| !title.is_empty());
    let Some(title) = title else {
        return Err(ApiError::bad_request("RESULT_TITLE_EMPTY"));
    };
    let content = result.get("input_message_content");
    let text = content
        .and_then(|content| content.get("message_text"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let parse_mode = content
        .and_then(|content| content.get("parse_mode"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let message_text = if parse_mode == "html" {
        parse_html(text)
            .map_err(|reason| ApiError::bad_request(format!("can't parse entities: {reason}")))?
            .trimmed()
            .text
    } else {
        text.trim().to_owned()
    };
    if message_text.is_empty() {
        return Err(ApiError::bad_request("MESSAGE_EMPTY"));
    }
    if message_text.chars().count() > TEXT_LIMIT {
        return Err(ApiError::bad_request("MESSAGE_TOO_LONG"));
    }
    let buttons = match markup::parse(Ok(result.get("reply_markup").cloned())) {
        Ok(None) => Vec::new(),
        Ok(Some(Markup::Inline { rows, .. })) => rows,
        Ok(Some(_)) => return Err(ApiError::bad_request("REPLY_MARKUP_INVALID")),
        Err(error) => return Err(error),
    };
    Ok(InlineArticle {
        id: id.to_owned(),
        title: title.to_owned(),
        description: field("description").map(str::to_owned),
        message_text,
        buttons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::InlineQueryRecord;
    use crate::config::Config;
    use crate::state::Shared;

    #[test]
    fn a_query_is_answered_once_with_valid_articles_only() {
        let shared = Shared::new(Config::default());
        let mut state = shared.lock();
        state.inline_queries.insert(
            "77".into(),
            InlineQueryRecord {
                id: "77".into(),
                user: 5,
                query: "pho".into(),
                offset: String::new(),
                answer: None,
            },
        );
        let article = |id: &str, text: &str| {
            json!({
                "type": "article", "id": id, "title": "Phở",
                "input_message_content": {"message_text": text, "parse_mode": "HTML"},
                "reply_markup": {"inline_keyboard": [[{"text": "Open", "url": "https://t.me/b?start=c1"}]]}
            })
        };
        let check = |state: &mut State, request: Value, expected: Result<(), &str>| {
            let outcome = answer_inline_query(state, &Params::from_json(request))
                .map(|_| ())
                .map_err(|e| e.description);
            assert_eq!(outcome, expected.map_err(|e| format!("Bad Request: {e}")));
        };
        check(
            &mut state,
            json!({"inline_query_id": "77", "results": [article("c1", "<b>x")]}),
            Err("can't parse entities: Can't find end tag corresponding to start tag \"b\""),
        );
        check(
            &mut state,
            json!({"inline_query_id": "77", "results": [article("c1", "a"), article("c1", "b")]}),
            Err("RESULT_ID_DUPLICATE"),
        );
        check(
            &mut state,
            json!({"inline_query_id": "78", "results": []}),
            Err(INVALID_QUERY),
        );
        check(
            &mut state,
            json!({"inline_query_id": "77", "results": [article("c1", "<b>Phở</b>")], "next_offset": "2"}),
            Ok(()),
        );
        check(
            &mut state,
            json!({"inline_query_id": "77", "results": []}),
            Err(INVALID_QUERY),
        );
        let answer = state.inline_queries["77"].answer.clone().expect("answered");
        assert_eq!(answer.next_offset.as_deref(), Some("2"));
        assert_eq!(answer.results[0].message_text, "Phở");
        assert_eq!(
            answer.results[0].buttons[0][0].url.as_deref(),
            Some("https://t.me/b?start=c1")
        );
    }
}
