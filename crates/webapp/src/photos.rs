//! Photos from the page: kept by Telegram, as the wizard's are.

use bytes::Bytes;
use vitrina_cards::{PhotoId, UserId};
use vitrina_telegram::{TelegramError, TelegramFiles};

/// Where the page's photos go and how they come back.
#[derive(Debug, Clone)]
pub struct Photos {
    files: TelegramFiles,
    storage_chat: Option<i64>,
}

impl Photos {
    /// Photos sent to `storage_chat`, or, without one, to the partner's own chat with the
    /// bot (where a photo sent to the wizard is too).
    pub fn new(files: TelegramFiles, storage_chat: Option<i64>) -> Photos {
        Photos {
            files,
            storage_chat,
        }
    }

    /// Sends the photo to Telegram and returns its `file_id`.
    ///
    /// # Errors
    /// What Telegram answered.
    pub async fn upload(
        &self,
        partner: UserId,
        bytes: Bytes,
        content_type: &str,
    ) -> Result<PhotoId, TelegramError> {
        let chat = self.storage_chat.unwrap_or(partner.get());
        let extension = match content_type {
            "image/png" => "png",
            "image/webp" => "webp",
            _ => "jpg",
        };
        let mime = content_type
            .split(';')
            .next()
            .unwrap_or("image/jpeg")
            .trim();
        self.files
            .upload_photo(chat, bytes.to_vec(), &format!("photo.{extension}"), mime)
            .await
            .map(PhotoId)
    }

    /// The bytes of a photo and their content type.
    ///
    /// # Errors
    /// What Telegram answered.
    pub async fn download(&self, file_id: &str) -> Result<(Bytes, String), TelegramError> {
        let bytes = self.files.download(file_id).await?;
        let content_type = sniff(&bytes).to_owned();
        Ok((Bytes::from(bytes), content_type))
    }
}

/// The image type by its first bytes: Telegram's photos are JPEG, but a double or a document
/// may give others.
fn sniff(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(b"\x89PNG") {
        "image/png"
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        "image/webp"
    } else if bytes.starts_with(b"GIF8") {
        "image/gif"
    } else {
        "image/jpeg"
    }
}
