//! Turning one raw setting into a typed value, or an error that names it.

use std::net::SocketAddr;
use std::ops::RangeInclusive;

use super::error::ConfigError;
use super::vars::{RawConfig, Setting};

/// Reads a boolean: `1/0`, `true/false`, `yes/no`, `on/off`, in any case.
pub fn flag(raw: &RawConfig, name: &'static str, default: bool) -> Result<bool, ConfigError> {
    let Some(setting) = raw.get(name) else {
        return Ok(default);
    };
    match setting.value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(ConfigError::NotBoolean {
            var: setting.var,
            value: setting.value.clone(),
        }),
    }
}

/// Reads a whole number within `range`.
pub fn integer<T>(
    raw: &RawConfig,
    name: &'static str,
    default: T,
    range: RangeInclusive<T>,
    expected: &'static str,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd,
{
    let Some(setting) = raw.get(name) else {
        return Ok(default);
    };
    setting
        .value
        .parse::<T>()
        .ok()
        .filter(|number| range.contains(number))
        .ok_or_else(|| invalid(setting, expected))
}

/// The slowest rate of messages a setting may ask for, per second: below one message in 100
/// seconds a bot is as good as mute, so such a value is a typing mistake (`0.001` for `0.1`).
pub const SLOWEST_RATE: f64 = 0.01;

/// Reads a rate of messages per second: a finite number of at least [`SLOWEST_RATE`],
/// fractions allowed.
pub fn rate(raw: &RawConfig, name: &'static str, default: f64) -> Result<f64, ConfigError> {
    let Some(setting) = raw.get(name) else {
        return Ok(default);
    };
    setting
        .value
        .parse::<f64>()
        .ok()
        .filter(|number| number.is_finite() && *number >= SLOWEST_RATE)
        .ok_or_else(|| {
            invalid(
                setting,
                "messages per second, at least 0.01, such as 30 or 0.5",
            )
        })
}

/// Reads the listen address: `HTTP_ADDR`, else `0.0.0.0:$PORT`, else port 8080 on loopback in
/// the polling modes (health and metrics are for this machine unless configured otherwise)
/// and on every interface in webhook mode (Telegram must reach it).
pub fn http_addr(raw: &RawConfig, webhook: bool) -> Result<SocketAddr, ConfigError> {
    if let Some(setting) = raw.get("HTTP_ADDR") {
        return setting.value.parse().map_err(|_| {
            invalid(
                setting,
                "an address and port such as 0.0.0.0:8080 or [::]:8080",
            )
        });
    }
    if raw.get("PORT").is_some() {
        let port = integer(
            raw,
            "PORT",
            8080u16,
            0..=u16::MAX,
            "a port number from 0 to 65535",
        )?;
        return Ok(SocketAddr::from(([0, 0, 0, 0], port)));
    }
    let host = if webhook {
        [0, 0, 0, 0]
    } else {
        [127, 0, 0, 1]
    };
    Ok(SocketAddr::from((host, 8080)))
}

/// Reads the admins from `ADMIN_IDS` and its old names, joined in that order, each id once.
pub fn admin_ids(raw: &RawConfig) -> Result<Vec<i64>, ConfigError> {
    let mut ids = Vec::new();
    for setting in raw.all("ADMIN_IDS") {
        for entry in setting.value.split(|c: char| c == ',' || c.is_whitespace()) {
            if entry.is_empty() {
                continue;
            }
            let id = entry
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| ConfigError::AdminId {
                    var: setting.var,
                    entry: entry.to_owned(),
                })?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Ok(ids)
}

/// The error for a value of the wrong form. Passwords inside the value are masked.
pub fn invalid(setting: &Setting, expected: &'static str) -> ConfigError {
    ConfigError::Invalid {
        var: setting.var,
        value: super::url::redact(&setting.value),
        expected,
    }
}
