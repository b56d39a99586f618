//! A prefix of paths handed whole to another service: the Mini App's page and API.
//!
//! The server reads the body (within the mount's limit) and passes the request on as plain
//! `http` types, so that the mounted service knows nothing of hyper's connections and can be
//! tested by calling it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};

use crate::server::{Answer, answer};

/// How long a mounted request's body may take to arrive once the headers are in.
const BODY_TIMEOUT: Duration = Duration::from_secs(60);

type MountFuture = Pin<Box<dyn Future<Output = Response<Bytes>> + Send>>;
type MountHandler = Arc<dyn Fn(Request<Bytes>) -> MountFuture + Send + Sync>;

/// Every path under a prefix (such as `/app`), handed with its body to a service.
#[derive(Clone)]
pub struct Mount {
    prefix: String,
    max_body: usize,
    handler: MountHandler,
}

impl fmt::Debug for Mount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mount")
            .field("prefix", &self.prefix)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

impl Mount {
    /// Serves `prefix` itself and every path below it (`/app`, `/app/`, `/app/api/…`) with
    /// `handler`, which gets the whole path. Bodies over `max_body` bytes get 413 before the
    /// handler sees them. A trailing `/` of `prefix` is ignored.
    pub fn new<H, F>(prefix: &str, max_body: usize, handler: H) -> Mount
    where
        H: Fn(Request<Bytes>) -> F + Send + Sync + 'static,
        F: Future<Output = Response<Bytes>> + Send + 'static,
    {
        Mount {
            prefix: prefix.trim_end_matches('/').to_owned(),
            max_body,
            handler: Arc::new(move |request| Box::pin(handler(request))),
        }
    }

    /// The prefix served, without a trailing `/`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Whether `path` is under this mount.
    pub(crate) fn serves(&self, path: &str) -> bool {
        path.strip_prefix(self.prefix.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }

    pub(crate) async fn answer(&self, request: Request<Incoming>) -> Answer {
        let (parts, body) = request.into_parts();
        let collected =
            tokio::time::timeout(BODY_TIMEOUT, Limited::new(body, self.max_body).collect()).await;
        let body = match collected {
            Ok(Ok(collected)) => collected.to_bytes(),
            Ok(Err(_)) => return answer(StatusCode::PAYLOAD_TOO_LARGE, "body too large\n"),
            Err(_) => return answer(StatusCode::REQUEST_TIMEOUT, "body too slow\n"),
        };
        let response = (self.handler)(Request::from_parts(parts, body)).await;
        let (parts, body) = response.into_parts();
        Response::from_parts(parts, Full::new(body))
    }
}
