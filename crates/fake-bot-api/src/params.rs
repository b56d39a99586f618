//! Method parameters, read the way the Bot API reads them: from the query string, a JSON body
//! or a form body, with numbers, booleans and JSON objects accepted either typed or as strings
//! (a form or a query string can only carry strings).

use serde_json::{Map, Value};

use crate::envelope::ApiError;

/// The parameters of one call.
#[derive(Debug, Default, Clone)]
pub(crate) struct Params(Map<String, Value>, Uploads);

/// Files uploaded with a multipart request, by field name.
pub(crate) type Uploads = std::collections::HashMap<String, Vec<u8>>;

/// The value a field holding an uploaded file reads as: the real Bot API takes a file in a
/// field either as the part itself or as `attach://<part>`.
const UPLOAD_PREFIX: &str = "attach://";

impl Params {
    /// Merges the query string and the body; body fields win over query fields of the same name.
    pub(crate) fn from_request(
        query: Option<&str>,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Self, ApiError> {
        let mut fields = Map::new();
        if let Some(query) = query {
            fields.extend(form_fields(query.as_bytes()));
        }
        // The multipart boundary is case-sensitive: only the media type is compared folded.
        let original = content_type.unwrap_or("");
        let content_type = original.to_ascii_lowercase();
        let body_is_blank = body.iter().all(u8::is_ascii_whitespace);
        if content_type.starts_with("multipart/form-data") {
            let (text, files) = multipart_fields(original, body)
                .ok_or_else(|| ApiError::bad_request("can't parse multipart/form-data"))?;
            fields.extend(text);
            for name in files.keys() {
                fields.insert(name.clone(), Value::from(format!("{UPLOAD_PREFIX}{name}")));
            }
            return Ok(Self(fields, files));
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            fields.extend(form_fields(body));
        } else if !body_is_blank {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(object)) => fields.extend(object),
                _ => return Err(ApiError::bad_request("can't parse JSON object")),
            }
        }
        Ok(Self(fields, Uploads::new()))
    }

    /// The bytes of the file uploaded in field `name` (directly, or through `attach://`).
    pub(crate) fn upload(&self, name: &str) -> Option<&[u8]> {
        let field = self.str(name)?;
        let part = field.strip_prefix(UPLOAD_PREFIX)?;
        self.1.get(part).map(Vec::as_slice)
    }

    #[cfg(test)]
    pub(crate) fn from_json(value: Value) -> Self {
        match value {
            Value::Object(object) => Self(object, Uploads::new()),
            _ => Self::default(),
        }
    }

    fn present(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|value| !value.is_null())
    }

    /// A string field; numbers and booleans are given as their text.
    pub(crate) fn str(&self, name: &str) -> Option<String> {
        match self.present(name)? {
            Value::String(text) => Some(text.clone()),
            Value::Number(number) => Some(number.to_string()),
            Value::Bool(flag) => Some(flag.to_string()),
            _ => None,
        }
    }

    /// An integer field; `None` when absent, an error named after the field when malformed.
    pub(crate) fn i64(&self, name: &str) -> Result<Option<i64>, ApiError> {
        let Some(value) = self.present(name) else {
            return Ok(None);
        };
        let parsed = match value {
            Value::Number(number) => number.as_i64(),
            Value::String(text) if text.trim().is_empty() => return Ok(None),
            Value::String(text) => text.trim().parse().ok(),
            _ => None,
        };
        parsed
            .map(Some)
            .ok_or_else(|| ApiError::bad_request(format!("invalid {name} specified")))
    }

    /// A boolean field; absent is `false`.
    pub(crate) fn bool(&self, name: &str) -> Result<bool, ApiError> {
        match self.present(name) {
            None => Ok(false),
            Some(Value::Bool(flag)) => Ok(*flag),
            Some(Value::Number(number)) => Ok(number.as_i64().unwrap_or(0) != 0),
            Some(Value::String(text)) => match text.trim().to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(true),
                "false" | "0" | "" => Ok(false),
                _ => Err(ApiError::bad_request(format!("invalid {name} specified"))),
            },
            Some(_) => Err(ApiError::bad_request(format!("invalid {name} specified"))),
        }
    }

    /// A JSON-serialized field (an object or an array, or a string holding one).
    pub(crate) fn json(&self, name: &str) -> Result<Option<Value>, ()> {
        match self.present(name) {
            None => Ok(None),
            Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
            Some(Value::String(text)) => serde_json::from_str(text).map(Some).map_err(|_| ()),
            Some(value @ (Value::Object(_) | Value::Array(_))) => Ok(Some(value.clone())),
            Some(_) => Err(()),
        }
    }
}

/// The text fields and the files of a `multipart/form-data` body; `None` when it is not one.
fn multipart_fields(content_type: &str, body: &[u8]) -> Option<(Map<String, Value>, Uploads)> {
    let boundary = content_type
        .split(';')
        .filter_map(|part| part.trim().strip_prefix("boundary="))
        .next()?
        .trim_matches('"');
    let delimiter = format!("--{boundary}");
    let mut fields = Map::new();
    let mut files = Uploads::new();
    let mut rest = body;
    // Everything before the first delimiter is a preamble.
    let start = find(rest, delimiter.as_bytes())?;
    rest = rest.get(start + delimiter.len()..)?;
    loop {
        if rest.starts_with(b"--") {
            return Some((fields, files));
        }
        rest = rest.strip_prefix(b"\r\n")?;
        let headers_end = find(rest, b"\r\n\r\n")?;
        let headers = std::str::from_utf8(rest.get(..headers_end)?).ok()?;
        rest = rest.get(headers_end + 4..)?;
        let end = find(rest, format!("\r\n{delimiter}").as_bytes())?;
        let content = rest.get(..end)?;
        rest = rest.get(end + 2 + delimiter.len()..)?;
        let disposition = headers
            .lines()
            .find(|line| line.to_ascii_lowercase().starts_with("content-disposition"))?;
        let attribute = |key: &str| {
            disposition.split(';').find_map(|part| {
                part.trim()
                    .strip_prefix(key)
                    .and_then(|value| value.strip_prefix('='))
                    .map(|value| value.trim_matches('"').to_owned())
            })
        };
        let name = attribute("name")?;
        if attribute("filename").is_some() {
            files.insert(name, content.to_vec());
        } else {
            fields.insert(
                name,
                Value::from(String::from_utf8_lossy(content).into_owned()),
            );
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn form_fields(input: &[u8]) -> impl Iterator<Item = (String, Value)> + '_ {
    form_urlencoded::parse(input)
        .map(|(key, value)| (key.into_owned(), Value::from(value.into_owned())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn form_query_and_json_bodies_all_give_the_same_fields() {
        let form = Params::from_request(
            Some("chat_id=42"),
            Some("application/x-www-form-urlencoded"),
            b"text=a+b%26c&disable_notification=true",
        )
        .expect("form");
        assert_eq!(form.i64("chat_id").expect("chat id"), Some(42));
        assert_eq!(form.str("text").as_deref(), Some("a b&c"));
        assert!(form.bool("disable_notification").expect("flag"));

        let json_body = Params::from_request(
            None,
            Some("application/json"),
            br#"{"chat_id":"42","text":"x"}"#,
        )
        .expect("json");
        assert_eq!(json_body.i64("chat_id").expect("chat id"), Some(42));
    }

    #[test]
    fn multipart_bodies_give_text_fields_and_files() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n42\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\
Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\r\n--XyZ--\r\n";
        let params = Params::from_request(None, Some("multipart/form-data; boundary=XyZ"), body)
            .expect("multipart");
        assert_eq!(params.i64("chat_id").expect("chat id"), Some(42));
        assert_eq!(params.upload("photo"), Some(&b"\xff\xd8\xff"[..]));
        assert!(
            Params::from_request(None, Some("multipart/form-data; boundary=XyZ"), b"junk").is_err()
        );
    }

    #[test]
    fn malformed_input_is_refused_with_telegram_words() {
        let refused =
            Params::from_request(None, Some("application/json"), b"[1,2]").expect_err("array body");
        assert_eq!(refused.description, "Bad Request: can't parse JSON object");
        let params = Params::from_json(json!({"chat_id": "abc", "reply_markup": "{not json"}));
        assert_eq!(
            params.i64("chat_id").expect_err("not a number").description,
            "Bad Request: invalid chat_id specified"
        );
        assert!(params.json("reply_markup").is_err());
    }
}
