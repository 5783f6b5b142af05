//! The `-o json|yaml` contract: versioned documents (`apiVersion`, `kind`), camelCase keys, and
//! snapshots of both reports in both formats, so any change to the schema shows up in review.

use kubectl_ds::report::NodeStatus;

use crate::support::{example_cluster as example, kubectl_ds, real_cluster};

fn rc() -> String {
    real_cluster().to_str().unwrap().to_string()
}

fn stdout_of(args: &[&str]) -> String {
    let run = kubectl_ds(args);
    assert_eq!(run.code, 0, "kubectl-ds {args:?}: {}", run.stderr);
    run.stdout
}

/// Every object key in the document, with its path, for checks that walk the whole schema.
fn keys(value: &serde_json::Value, path: &str, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{path}.{k}");
                found.push(here.clone());
                keys(v, &here, found);
            }
        }
        serde_json::Value::Array(items) => {
            for v in items {
                keys(v, &format!("{path}[]"), found);
            }
        }
        _ => {}
    }
}

/// kubectl's convention: camelCase keys (`topReason`, `desiredNumberScheduled`); the only capitalised
/// keys are the status words counts are keyed by.
#[test]
fn every_key_is_camel_case_and_documents_are_versioned() {
    let file = example();
    let cases = [
        (
            "why",
            vec!["why", "node-agent", "-n", "demo", "-f", &file, "-o", "json"],
            "DaemonSetReport",
        ),
        (
            "why --explain",
            vec![
                "why",
                "node-agent",
                "-n",
                "demo",
                "-f",
                &file,
                "-o",
                "json",
                "--explain",
            ],
            "DaemonSetReport",
        ),
        (
            "coverage",
            vec!["coverage", "-A", "-f", &file, "-o", "json"],
            "CoverageReport",
        ),
        (
            "why --node",
            vec![
                "why",
                "node-agent",
                "-n",
                "demo",
                "-f",
                &file,
                "-o",
                "json",
                "--node",
                "gpu-1",
            ],
            "NodeTrace",
        ),
    ];
    for (name, args, kind) in cases {
        let v: serde_json::Value = serde_json::from_str(&stdout_of(&args)).unwrap();
        assert_eq!(v["apiVersion"], "ds.kubectl.dev/v1alpha1", "{name}");
        assert_eq!(v["kind"], kind, "{name}");
        let mut found = Vec::new();
        keys(&v, "", &mut found);
        for path in found {
            let key = path.rsplit('.').next().unwrap();
            let camel = !key.contains('_') && key.starts_with(|c: char| c.is_ascii_lowercase());
            assert!(
                camel
                    || (path.contains(".counts.")
                        && NodeStatus::ALL.iter().any(|s| s.as_str() == key)),
                "{name}: key {path} is not camelCase"
            );
        }
    }
}

/// The bundled example reaches seven finding kinds on one DaemonSet; the real cluster's DaemonSets add
/// HostPortConflict, PodFailed, OutdatedRevision, PodTerminating and the example's GPU plugin
/// NodeAffinityMismatch.
#[test]
fn why_json_and_yaml_snapshots() {
    let file = example();
    let real = rc();
    insta::assert_snapshot!(
        "why_example_json",
        stdout_of(&["why", "node-agent", "-n", "demo", "-f", &file, "-o", "json"])
    );
    insta::assert_snapshot!(
        "why_example_yaml",
        stdout_of(&["why", "node-agent", "-n", "demo", "-f", &file, "-o", "yaml"])
    );
    for (name, ns, ds, dump) in [
        (
            "why_affinity_json",
            "kube-system",
            "nvidia-device-plugin-daemonset",
            &file,
        ),
        ("why_host_port_json", "hostport", "exporter-b", &real),
        ("why_pod_failed_json", "ops", "flaky-agent", &real),
        ("why_rollout_json", "rollout", "legacy-agent", &real),
        ("why_rollout_surge_json", "rollout", "surge-agent", &real),
    ] {
        insta::assert_snapshot!(
            name,
            stdout_of(&["why", ds, "-n", ns, "-f", dump, "-o", "json"])
        );
    }
}

/// `why --node`: a Pending pod short of cpu and memory on small-1 (every stage filled in), and a
/// host port conflict.
#[test]
fn node_trace_json_and_yaml_snapshots() {
    let real = rc();
    insta::assert_snapshot!(
        "why_node_trace_json",
        stdout_of(&[
            "why",
            "hungry",
            "-n",
            "batch-heavy",
            "--node",
            "small-1",
            "-f",
            &real,
            "-o",
            "json"
        ])
    );
    insta::assert_snapshot!(
        "why_node_trace_yaml",
        stdout_of(&[
            "why",
            "exporter-b",
            "-n",
            "hostport",
            "--node",
            "w-1",
            "-f",
            &real,
            "-o",
            "yaml"
        ])
    );
}

#[test]
fn coverage_json_and_yaml_snapshots() {
    let file = example();
    insta::assert_snapshot!(
        "coverage_example_json",
        stdout_of(&["coverage", "-A", "-f", &file, "-o", "json"])
    );
    insta::assert_snapshot!(
        "coverage_example_yaml",
        stdout_of(&["coverage", "-A", "-f", &file, "-o", "yaml"])
    );
}
