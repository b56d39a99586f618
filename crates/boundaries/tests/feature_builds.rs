//! The lean feature builds of this workspace's crates, as `cargo tree` resolves them, reach no
//! crate they must leave out.

use std::process::Command;

use vitrina_boundaries::{FEATURE_BOUNDARIES, FeatureBoundary, tree_packages};

fn cargo_tree(boundary: &FeatureBoundary) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(boundary.cargo_tree_args())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "{boundary:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("cargo tree prints UTF-8")
}

#[test]
fn lean_feature_builds_leave_out_what_they_must() {
    for boundary in FEATURE_BOUNDARIES {
        let tree = cargo_tree(boundary);
        let packages = tree_packages(&tree);
        // A tree that lost its root or its domain crate would pass for the wrong reason.
        for expected in [boundary.package, "vitrina-cards"] {
            assert!(
                packages.contains(expected),
                "{boundary:?}: {expected} is not in the tree:\n{tree}"
            );
        }
        let found = boundary.violations(&tree);
        assert!(
            found.is_empty(),
            "{} with only `{}` reaches {found:?}",
            boundary.package,
            boundary.features
        );
    }
}

#[test]
fn the_full_build_reaches_what_the_lean_ones_leave_out() {
    // The default build has every port and both engines: each fragment the lean builds forbid
    // is found in it, so the check above can tell a lean build from a full one.
    let full = FeatureBoundary {
        package: "vitrina-storage",
        features: "default",
        forbidden: &[],
    };
    let tree = cargo_tree(&full);
    for boundary in FEATURE_BOUNDARIES {
        let found = boundary.violations(&tree);
        for fragment in boundary.forbidden {
            assert!(
                found.iter().any(|name| name.contains(fragment)),
                "the full build has no crate named like {fragment:?}: {found:?}"
            );
        }
    }
}

#[test]
fn tree_lines_are_read_by_their_first_word() {
    let tree = "vitrina-storage v0.1.0 (/w/crates/storage)\n\
                diesel v2.3.14\n\
                \n\
                diesel v2.3.14 (*)\n";
    assert_eq!(
        tree_packages(tree).into_iter().collect::<Vec<_>>(),
        ["diesel", "vitrina-storage"]
    );
}
