//! `bot import-legacy`: the old system's data into Vitrina's database.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;
use vitrina_storage::LegacyData;

use super::wiring;
use crate::config::Config;

/// Reads the old database at `from` (`sqlite:///path` or a path) and writes it into
/// `DATABASE_URL`, or only reports with `dry_run`.
pub async fn import_legacy(from: &str, dry_run: bool, config: &Config) -> anyhow::Result<()> {
    let path = legacy_path(from)?;
    let data = LegacyData::read(&path).await?;
    let db = wiring::database(config).await?;
    let report = db
        .import_legacy(&data, vitrina_delivery::now().millis(), dry_run)
        .await
        .with_context(|| format!("cannot import into {}", config.database_url()))?;
    let mut out = std::io::stdout().lock();
    if dry_run {
        writeln!(out, "dry run: nothing was written")?;
    }
    write!(out, "{report}")?;
    Ok(())
}

/// The path of a `--from` value: `sqlite://PATH`, `sqlite:PATH` or `PATH`.
fn legacy_path(from: &str) -> anyhow::Result<PathBuf> {
    let from = from.trim();
    let path = from
        .strip_prefix("sqlite://")
        .or_else(|| from.strip_prefix("sqlite:"))
        .unwrap_or(from);
    if path.is_empty() || from.contains("://") && !from.starts_with("sqlite://") {
        anyhow::bail!("--from must be sqlite:///path/to/old.db, not {from:?}");
    }
    Ok(PathBuf::from(path))
}
