//! Files: a photo uploaded from bytes (the Mini App's uploads) and a file fetched back by its
//! `file_id` (getFile, then the file download URL).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use frankenstein::reqwest::{Client, multipart};
use serde_json::Value;

use crate::TelegramError;

/// How long an upload or a download may take.
const FILE_TIMEOUT: Duration = Duration::from_secs(60);

/// Uploads and downloads for one bot, beside the rate-limited sender: they serve a person
/// waiting on a page, one file at a time.
#[derive(Clone)]
pub struct TelegramFiles {
    /// Built at the first upload or download, shared by the clones: building it loads and
    /// parses the system's root certificates, memory and start-up time that a bot whose
    /// partners never upload a photo would spend for nothing.
    http: Arc<tokio::sync::OnceCell<Client>>,
    /// `{api_url}/bot{token}`.
    methods: String,
    /// `{api_url}/file/bot{token}`.
    downloads: String,
}

impl fmt::Debug for TelegramFiles {
    // Never the token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TelegramFiles").finish_non_exhaustive()
    }
}

impl TelegramFiles {
    /// Files of the bot with `token` at the Bot API `api_url`. The HTTP client is built at
    /// the first call, which answers [`TelegramError::Request`] should that fail.
    pub fn new(api_url: &str, token: &str) -> TelegramFiles {
        let api_url = api_url.trim_end_matches('/');
        TelegramFiles {
            http: Arc::default(),
            methods: format!("{api_url}/bot{token}"),
            downloads: format!("{api_url}/file/bot{token}"),
        }
    }

    /// The HTTP client, built at the first call.
    async fn http(&self) -> Result<&Client, TelegramError> {
        self.http
            .get_or_try_init(|| async {
                Client::builder()
                    .timeout(FILE_TIMEOUT)
                    .build()
                    .map_err(|error| TelegramError::Request(error.to_string()))
            })
            .await
    }

    /// Sends `bytes` as a photo to `chat` (sendPhoto, multipart) and returns the `file_id` of
    /// its largest size, which the card keeps.
    ///
    /// # Errors
    /// [`TelegramError::Api`] when Telegram refuses the photo; `Network`, `Decode`.
    pub async fn upload_photo(
        &self,
        chat: i64,
        bytes: Vec<u8>,
        file_name: &str,
        mime: &str,
    ) -> Result<String, TelegramError> {
        let part = multipart::Part::bytes(bytes)
            .file_name(file_name.to_owned())
            .mime_str(mime)
            .map_err(|error| TelegramError::Request(error.to_string()))?;
        let form = multipart::Form::new()
            .text("chat_id", chat.to_string())
            .text("disable_notification", "true")
            .part("photo", part);
        let response = self
            .http()
            .await?
            .post(format!("{}/sendPhoto", self.methods))
            .multipart(form)
            .send()
            .await
            .map_err(TelegramError::unanswered)?;
        let result = envelope(response).await?;
        result
            .get("photo")
            .and_then(Value::as_array)
            .and_then(|sizes| sizes.last())
            .and_then(|size| size.get("file_id"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| TelegramError::Decode("sendPhoto gave no photo sizes".to_owned()))
    }

    /// Sends the PNG `bytes` as a photo to `chat` (sendPhoto, multipart) with an HTML
    /// `caption`.
    ///
    /// # Errors
    /// [`TelegramError::Api`] when Telegram refuses it (403 when the person blocked the bot);
    /// `Network`, `Decode`.
    pub async fn send_png(
        &self,
        chat: i64,
        bytes: Vec<u8>,
        file_name: &str,
        caption: &str,
    ) -> Result<(), TelegramError> {
        let part = multipart::Part::bytes(bytes)
            .file_name(file_name.to_owned())
            .mime_str("image/png")
            .map_err(|error| TelegramError::Request(error.to_string()))?;
        let form = multipart::Form::new()
            .text("chat_id", chat.to_string())
            .text("caption", caption.to_owned())
            .text("parse_mode", "HTML")
            .part("photo", part);
        let response = self
            .http()
            .await?
            .post(format!("{}/sendPhoto", self.methods))
            .multipart(form)
            .send()
            .await
            .map_err(TelegramError::unanswered)?;
        envelope(response).await.map(drop)
    }

    /// The bytes of the file `file_id` (getFile, then its download URL).
    ///
    /// # Errors
    /// [`TelegramError::Api`] for an unknown file; `Network`, `Decode`.
    pub async fn download(&self, file_id: &str) -> Result<Vec<u8>, TelegramError> {
        let response = self
            .http()
            .await?
            .post(format!("{}/getFile", self.methods))
            .header("content-type", "application/json")
            .body(serde_json::json!({ "file_id": file_id }).to_string())
            .send()
            .await
            .map_err(TelegramError::unanswered)?;
        let result = envelope(response).await?;
        let path = result
            .get("file_path")
            .and_then(Value::as_str)
            .ok_or_else(|| TelegramError::Decode("getFile gave no file_path".to_owned()))?;
        let response = self
            .http()
            .await?
            .get(format!("{}/{path}", self.downloads))
            .send()
            .await
            .map_err(TelegramError::unanswered)?;
        let status = response.status();
        if !status.is_success() {
            return Err(TelegramError::Api {
                code: status.as_u16(),
                description: "the file could not be downloaded".to_owned(),
                retry_after: None,
            });
        }
        let bytes = response.bytes().await.map_err(TelegramError::unanswered)?;
        Ok(bytes.to_vec())
    }
}

/// The `result` of a Bot API answer, or its error.
async fn envelope(response: frankenstein::reqwest::Response) -> Result<Value, TelegramError> {
    let status = response.status().as_u16();
    let bytes = response.bytes().await.map_err(TelegramError::unanswered)?;
    let body: Value =
        serde_json::from_slice(&bytes).map_err(|error| TelegramError::Decode(error.to_string()))?;
    if body.get("ok").and_then(Value::as_bool) == Some(true) {
        return Ok(body.get("result").cloned().unwrap_or(Value::Null));
    }
    Err(TelegramError::Api {
        code: body
            .get("error_code")
            .and_then(Value::as_u64)
            .and_then(|code| u16::try_from(code).ok())
            .unwrap_or(status),
        description: body
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        retry_after: None,
    })
}
