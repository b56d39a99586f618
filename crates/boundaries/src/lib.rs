//! # vitrina-boundaries
//!
//! The architecture invariant of Vitrina, checked: the domain crates ([`DOMAIN_CRATES`]) know
//! nothing of Telegram, the network, databases or async runtimes, so none of the
//! [`FORBIDDEN`] crates may appear in their *normal* dependency tree (dev-dependencies may
//! use anything). The check reads `cargo metadata`, so it sees exactly what Cargo resolves.
//!
//! ```
//! use vitrina_boundaries::violations;
//!
//! // A made-up workspace in which the domain crate `vitrina-cards` pulls in tokio.
//! let metadata = serde_json::json!({
//!     "packages": [
//!         {"id": "cards", "name": "vitrina-cards"},
//!         {"id": "tokio", "name": "tokio"}
//!     ],
//!     "resolve": {"nodes": [
//!         {"id": "cards", "deps": [{"pkg": "tokio", "dep_kinds": [{"kind": null}]}]},
//!         {"id": "tokio", "deps": []}
//!     ]}
//! });
//! let found = violations(&metadata)?;
//! assert_eq!(found[0].to_string(), "vitrina-cards depends on tokio (vitrina-cards → tokio)");
//! # Ok::<(), vitrina_boundaries::MetadataError>(())
//! ```
//!
//! Some adapters must not reach one another either ([`ADAPTER_BOUNDARIES`]: the HTTP server
//! and the web cabinet). The same holds inside an adapter split by features: [`FEATURE_BOUNDARIES`] lists builds
//! of a crate with some of its features that must leave crates out (`vitrina-storage` with
//! only `cards` builds neither the dialog nor Fluent; with one engine, not the other). Their
//! dependency trees come from `cargo tree`, whose output [`FeatureBoundary::violations`] reads.
#![deny(missing_docs)]

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;

use serde_json::Value;

/// The crates of the domain layer.
pub const DOMAIN_CRATES: &[&str] = &[
    "vitrina-cards",
    "vitrina-moderation",
    "vitrina-i18n",
    "vitrina-update-source",
    "vitrina-dialog",
];

/// Crates no domain crate may depend on, directly or not.
pub const FORBIDDEN: &[&str] = &[
    "tokio",
    "hyper",
    "reqwest",
    "frankenstein",
    "diesel",
    "diesel-async",
    "redis",
    "deadpool",
    "deadpool-redis",
];

/// A domain crate that reaches a forbidden crate, with the path that leads there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The domain crate.
    pub domain: String,
    /// The forbidden crate.
    pub forbidden: String,
    /// The chain of package names from the domain crate to the forbidden one.
    pub path: Vec<String>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} depends on {} ({})",
            self.domain,
            self.forbidden,
            self.path.join(" → ")
        )
    }
}

/// `cargo metadata` output that lacks what the check reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cargo metadata has no {0}")]
pub struct MetadataError(pub &'static str);

/// Every forbidden crate reachable from a domain crate through normal dependencies, in the
/// output of `cargo metadata --format-version 1`.
///
/// # Errors
/// [`MetadataError`] when the JSON lacks `packages` or `resolve.nodes`.
pub fn violations(metadata: &Value) -> Result<Vec<Violation>, MetadataError> {
    let names: HashMap<&str, &str> = metadata["packages"]
        .as_array()
        .ok_or(MetadataError("packages"))?
        .iter()
        .filter_map(|package| Some((package["id"].as_str()?, package["name"].as_str()?)))
        .collect();
    let nodes = metadata["resolve"]["nodes"]
        .as_array()
        .ok_or(MetadataError("resolve.nodes"))?;
    let normal_deps: HashMap<&str, Vec<&str>> = nodes
        .iter()
        .filter_map(|node| {
            let deps = node["deps"].as_array()?.iter().filter(|dep| is_normal(dep));
            Some((
                node["id"].as_str()?,
                deps.filter_map(|dep| dep["pkg"].as_str()).collect(),
            ))
        })
        .collect();

    let mut found = Vec::new();
    for (&id, &name) in &names {
        if DOMAIN_CRATES.contains(&name) {
            found.extend(reachable_forbidden(id, FORBIDDEN, &names, &normal_deps));
        }
        if let Some((_, forbidden)) = ADAPTER_BOUNDARIES
            .iter()
            .find(|(adapter, _)| *adapter == name)
        {
            found.extend(reachable_forbidden(id, forbidden, &names, &normal_deps));
        }
    }
    found.sort_by(|a, b| (&a.domain, &a.forbidden).cmp(&(&b.domain, &b.forbidden)));
    Ok(found)
}

/// Adapters that must stay apart, and the workspace crates each must not reach through
/// normal dependencies: the HTTP server mounts the web cabinet as a closure given by the
/// binary and knows nothing of it; the web cabinet works on the storage ports and the outbox
/// and neither drives the delivery, serves HTTP itself nor touches the lease.
pub const ADAPTER_BOUNDARIES: &[(&str, &[&str])] = &[
    ("vitrina-http", &["vitrina-webapp", "vitrina-redis-lease"]),
    (
        "vitrina-webapp",
        &[
            "vitrina-delivery",
            "vitrina-http",
            "vitrina-redis-lease",
            "vitrina-fake-bot-api",
        ],
    ),
];

/// A dependency edge counts unless every one of its kinds is `dev` or `build`.
fn is_normal(dep: &Value) -> bool {
    dep["dep_kinds"]
        .as_array()
        .is_none_or(|kinds| kinds.iter().any(|kind| kind["kind"].is_null()))
}

fn reachable_forbidden(
    start: &str,
    forbidden: &[&str],
    names: &HashMap<&str, &str>,
    deps: &HashMap<&str, Vec<&str>>,
) -> Vec<Violation> {
    let name = |id: &str| names.get(id).copied().unwrap_or(id).to_owned();
    let mut parent: HashMap<&str, &str> = HashMap::new();
    let mut seen = HashSet::from([start]);
    let mut queue = VecDeque::from([start]);
    let mut found = Vec::new();
    while let Some(id) = queue.pop_front() {
        if id != start && forbidden.contains(&name(id).as_str()) {
            let mut path = vec![name(id)];
            let mut at = id;
            while let Some(&up) = parent.get(at) {
                path.push(name(up));
                at = up;
            }
            path.reverse();
            found.push(Violation {
                domain: name(start),
                forbidden: name(id),
                path,
            });
        }
        for &next in deps.get(id).into_iter().flatten() {
            if seen.insert(next) {
                parent.insert(next, id);
                queue.push_back(next);
            }
        }
    }
    found
}

/// A build of a workspace crate with only some of its features, and the crates that build must
/// not reach through normal dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureBoundary {
    /// The crate built.
    pub package: &'static str,
    /// Its features, comma-separated; the default ones are off.
    pub features: &'static str,
    /// Name fragments: a crate whose name contains one of them must not be reached.
    pub forbidden: &'static [&'static str],
}

/// The feature builds that must stay lean: a user of the card ports alone builds neither the
/// dialog nor Fluent (nor the i18n crates), and a user of one engine does not build the other.
pub const FEATURE_BOUNDARIES: &[FeatureBoundary] = &[
    FeatureBoundary {
        package: "vitrina-storage",
        features: "cards",
        forbidden: &["dialog", "fluent", "i18n"],
    },
    FeatureBoundary {
        package: "vitrina-storage",
        features: "cards,moderation,journal,sqlite",
        forbidden: &["dialog", "fluent", "i18n", "postgres"],
    },
    FeatureBoundary {
        package: "vitrina-storage",
        features: "cards,moderation,journal,postgres",
        forbidden: &["dialog", "fluent", "i18n", "sqlite"],
    },
];

impl FeatureBoundary {
    /// The arguments of `cargo` that print this build's normal dependencies, one
    /// `name vX.Y.Z` line per crate, for [`FeatureBoundary::violations`].
    pub fn cargo_tree_args(&self) -> [&'static str; 12] {
        [
            "tree",
            "--locked",
            "-p",
            self.package,
            "--no-default-features",
            "--features",
            self.features,
            "-e",
            "normal",
            "--prefix",
            "none",
            "--format={p}",
        ]
    }

    /// The crates in `tree` (the output of `cargo` with [`FeatureBoundary::cargo_tree_args`])
    /// whose names contain a forbidden fragment, sorted and without repeats.
    ///
    /// ```
    /// use vitrina_boundaries::FEATURE_BOUNDARIES;
    ///
    /// let tree = "vitrina-storage v0.1.0 (/src/crates/storage)\n\
    ///             vitrina-dialog v0.1.0 (/src/crates/dialog)\n\
    ///             fluent-bundle v0.16.0\n\
    ///             diesel v2.3.14\n";
    /// assert_eq!(FEATURE_BOUNDARIES[0].violations(tree), ["fluent-bundle", "vitrina-dialog"]);
    /// ```
    pub fn violations<'a>(&self, tree: &'a str) -> Vec<&'a str> {
        tree_packages(tree)
            .into_iter()
            .filter(|name| {
                *name != self.package
                    && self
                        .forbidden
                        .iter()
                        .any(|fragment| name.contains(fragment))
            })
            .collect()
    }
}

/// The crate names in `cargo tree --prefix none --format={p}` output: the first word of each
/// line that has one.
pub fn tree_packages(tree: &str) -> BTreeSet<&str> {
    tree.lines()
        .filter_map(|line| line.split_whitespace().next())
        .collect()
}
