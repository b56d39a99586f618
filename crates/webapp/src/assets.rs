//! The page's files, embedded in the binary: plain HTML, CSS and JavaScript, no build step.

use bytes::Bytes;
use http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, HeaderValue};
use http::{Response, StatusCode};
use rust_embed::RustEmbed;

use crate::api::plain;

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Assets;

/// What the page may load: only itself and Telegram's script; photos come as blobs.
const POLICY: &str = "default-src 'self'; script-src 'self' https://telegram.org; \
                      img-src 'self' blob: data:; style-src 'self'; connect-src 'self'; \
                      frame-ancestors https://web.telegram.org https://*.telegram.org";

/// The file at `path` (`/` is the page), or 404.
pub(crate) fn answer(path: &str) -> Response<Bytes> {
    let name = match path.trim_start_matches('/') {
        "" | "index.html" => "index.html",
        other => other,
    };
    let Some(file) = Assets::get(name) else {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    };
    let content_type = match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    let mut answer = Response::new(Bytes::from(file.data.into_owned()));
    let headers = answer.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    // The page is small and changes with the binary: always asked again, so an upgrade shows.
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY));
    answer
}

/// The names of the embedded files.
pub fn names() -> Vec<String> {
    Assets::iter().map(|name| name.into_owned()).collect()
}
