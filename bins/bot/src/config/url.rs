//! The few URL shapes the configuration accepts, and masking of the passwords inside them.
//!
//! A full URL parser is not needed: the bot only has to know the scheme, that there is a host,
//! and where the path starts; the adapters hand the text on to their own clients.

use std::fmt;

const MASK: &str = "****";

/// Masks the password of a URL's user info (`scheme://user:password@host`) and the value of a
/// `password=` query parameter, so that the URL can be logged or shown.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{user}:{MASK}@{host}"),
            None => authority.to_owned(),
        },
        None => authority.to_owned(),
    };
    format!("{scheme}://{authority}{}", redact_query(tail))
}

fn redact_query(tail: &str) -> String {
    let Some((path, query)) = tail.split_once('?') else {
        return tail.to_owned();
    };
    let (query, fragment) = match query.split_once('#') {
        Some((query, fragment)) => (query, Some(fragment)),
        None => (query, None),
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}={MASK}"),
            _ => pair.to_owned(),
        })
        .collect();
    let fragment = fragment
        .map(|fragment| format!("#{fragment}"))
        .unwrap_or_default();
    format!("{path}?{}{fragment}", pairs.join("&"))
}

/// Whether `scheme://…` starts with one of `schemes` (any case); gives what follows `://`.
pub fn strip_scheme<'a>(url: &'a str, schemes: &[&str]) -> Option<&'a str> {
    let (scheme, rest) = url.split_once("://")?;
    schemes
        .iter()
        .any(|expected| scheme.eq_ignore_ascii_case(expected))
        .then_some(rest)
}

/// A URL of a service the bot connects to (PostgreSQL, Redis). Its password never appears in
/// `Debug` or `Display`; [`ConnectionUrl::expose`] gives the text to connect with.
#[derive(Clone, PartialEq, Eq)]
pub struct ConnectionUrl(String);

impl ConnectionUrl {
    /// Wraps a URL whose scheme the caller has checked.
    pub fn new(url: &str) -> ConnectionUrl {
        ConnectionUrl(url.to_owned())
    }

    /// The full URL, password included: only for handing to a client.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ConnectionUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

impl fmt::Debug for ConnectionUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ConnectionUrl({self})")
    }
}

/// An `http://` or `https://` URL with a host, split where its path starts.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpUrl {
    /// `scheme://authority`, as given.
    origin: String,
    /// The path, empty when the URL has none.
    path: String,
    /// `?query`, empty when the URL has none.
    query: String,
}

impl HttpUrl {
    /// Parses an http(s) URL: a scheme of `http` or `https` (any case), a host (a name, an IPv4
    /// address or a bracketed IPv6 one) with an optional port, no whitespace and no fragment.
    pub fn parse(text: &str) -> Option<HttpUrl> {
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) || text.contains('#') {
            return None;
        }
        let rest = strip_scheme(text, &["http", "https"])?;
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        let host_and_port = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        if !valid_host_and_port(host_and_port) {
            return None;
        }
        let (path, query) = match tail.find('?') {
            Some(at) => tail.split_at(at),
            None => (tail, ""),
        };
        Some(HttpUrl {
            origin: text[..text.len() - rest.len() + authority_end].to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
        })
    }

    /// The path, empty when the URL has none (`https://example.org` or `…org?x=1`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether the URL has a `?query`.
    pub fn has_query(&self) -> bool {
        !self.query.is_empty()
    }

    /// The same URL with another path.
    pub fn with_path(&self, path: &str) -> HttpUrl {
        HttpUrl {
            path: path.to_owned(),
            ..self.clone()
        }
    }

    /// The full URL, any password included: only for handing to a client.
    pub fn expose(&self) -> String {
        format!("{}{}{}", self.origin, self.path, self.query)
    }
}

fn valid_host_and_port(text: &str) -> bool {
    let (host_ok, after_host) = match text.strip_prefix('[') {
        Some(bracketed) => match bracketed.split_once(']') {
            Some((address, after)) => (
                !address.is_empty()
                    && address
                        .chars()
                        .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.'),
                after,
            ),
            None => return false,
        },
        None => {
            let (host, after) = text.split_at(text.find(':').unwrap_or(text.len()));
            (
                !host.is_empty()
                    && host
                        .chars()
                        .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_')),
                after,
            )
        }
    };
    let port_ok = match after_host.strip_prefix(':') {
        Some(port) => port.chars().all(|c| c.is_ascii_digit()) && port.parse::<u16>().is_ok(),
        None => after_host.is_empty(),
    };
    host_ok && port_ok
}

impl fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.expose()))
    }
}

impl fmt::Debug for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HttpUrl({self})")
    }
}
