//! The domain crates of this workspace, as Cargo resolves them, reach no forbidden crate.

use std::process::Command;

use vitrina_boundaries::{DOMAIN_CRATES, violations};

fn workspace_metadata() -> serde_json::Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
}

#[test]
fn no_domain_crate_depends_on_a_runtime_network_telegram_or_database_crate() {
    let metadata = workspace_metadata();
    let members: Vec<&str> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter_map(|package| package["name"].as_str())
        .collect();
    for domain in DOMAIN_CRATES {
        assert!(
            members.contains(domain),
            "{domain} is not in the workspace any more"
        );
    }
    let found = violations(&metadata).expect("metadata has packages and a resolve graph");
    let report: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert!(report.is_empty(), "layering broken:\n{}", report.join("\n"));
}

#[test]
fn the_http_server_and_the_web_cabinet_stay_apart() {
    let metadata = workspace_metadata();
    let members: Vec<&str> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter_map(|package| package["name"].as_str())
        .collect();
    for (adapter, _) in vitrina_boundaries::ADAPTER_BOUNDARIES {
        assert!(
            members.contains(adapter),
            "{adapter} is not in the workspace any more"
        );
    }
    // A made-up web cabinet that drives the delivery is caught.
    let broken = serde_json::json!({
        "packages": [
            {"id": "w", "name": "vitrina-webapp"},
            {"id": "d", "name": "vitrina-delivery"}
        ],
        "resolve": {"nodes": [
            {"id": "w", "deps": [{"pkg": "d", "dep_kinds": [{"kind": null}]}]},
            {"id": "d", "deps": []}
        ]}
    });
    let found = violations(&broken).expect("metadata");
    assert_eq!(
        found.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["vitrina-webapp depends on vitrina-delivery (vitrina-webapp → vitrina-delivery)"]
    );
}

#[test]
fn dev_dependencies_do_not_count_but_transitive_normal_ones_do() {
    let metadata = serde_json::json!({
        "packages": [
            {"id": "m", "name": "vitrina-moderation"},
            {"id": "x", "name": "some-wrapper"},
            {"id": "d", "name": "diesel"},
            {"id": "t", "name": "tokio"}
        ],
        "resolve": {"nodes": [
            {"id": "m", "deps": [
                {"pkg": "x", "dep_kinds": [{"kind": null}]},
                {"pkg": "t", "dep_kinds": [{"kind": "dev"}]}
            ]},
            {"id": "x", "deps": [{"pkg": "d", "dep_kinds": [{"kind": null}]}]},
            {"id": "d", "deps": []},
            {"id": "t", "deps": []}
        ]}
    });
    let found = violations(&metadata).expect("well-formed");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].forbidden, "diesel");
    assert_eq!(
        found[0].path,
        ["vitrina-moderation", "some-wrapper", "diesel"]
    );
}
