//! Acceptance: on a recorded real cluster, every node's verdict equals what the real DaemonSet
//! controller and scheduler did (tests/fixtures/real-cluster/TRUTH.md), and reasons name the facts.

use crate::support::why_json;

const NODES: [&str; 10] = [
    "cordoned-1",
    "cp-1",
    "gpu-1",
    "notready-1",
    "small-1",
    "w-1",
    "w-2",
    "w-3",
    "w-4",
    "win-1",
];

/// Per DaemonSet, the status of each node in NODES order (R Running, S Starting, P Pending,
/// F Failing, M Missing, I Ineligible, X Misscheduled), from TRUTH.md's per-node table.
const TRUTH: [(&str, &str, &str); 16] = [
    ("batch-heavy", "hungry", "RIIIPRRXIR"),
    ("broken", "badimage", "FIIIFFFXIF"),
    ("gpu-operator", "gpu-agent", "IIRIIIIIII"),
    ("hostport", "exporter-a", "RIIIRRRXIF"),
    ("hostport", "exporter-b", "PIIIPPPXIP"),
    ("kube-system", "ib-agent", "IIIIIIIIII"),
    ("kube-system", "kube-proxy", "RRRSRRRRRI"),
    ("logging", "fluentd", "IRIIIRRIII"),
    ("missing-sa", "sa-agent", "MIIIMMMIIM"),
    ("monitoring", "node-exporter", "RIIIFRRXIF"),
    ("ops", "flaky-agent", "IIIIIRFIII"),
    ("psa-blocked", "host-agent", "MIIIMMMIIM"),
    ("quota-limited", "quota-agent", "MIIIRRMIIM"),
    ("rollout", "legacy-agent", "RIIIRRRXII"),
    ("rollout", "surge-agent", "IIIIIRRIII"),
    ("rollout", "web-agent", "RIIISRRXII"),
];

fn word(c: char) -> &'static str {
    match c {
        'R' => "Running",
        'S' => "Starting",
        'P' => "Pending",
        'F' => "Failing",
        'M' => "Missing",
        'I' => "Ineligible",
        'X' => "Misscheduled",
        _ => unreachable!("bad truth letter {c}"),
    }
}

fn node<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["nodes"]
        .as_array()
        .expect("nodes array")
        .iter()
        .find(|n| n["node"] == name)
        .unwrap_or_else(|| panic!("node {name} missing from report"))
}

fn reason(report: &serde_json::Value, node_name: &str) -> String {
    node(report, node_name)["reason"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn every_node_status_matches_the_real_controller() {
    let mut wrong = Vec::new();
    for (ns, ds, row) in TRUTH {
        let report = why_json(ns, ds);
        assert_eq!(
            report["nodes"].as_array().map(Vec::len),
            Some(10),
            "{ns}/{ds}: one row per node"
        );
        for (n, want) in NODES.iter().zip(row.chars()) {
            let got = node(&report, n)["status"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            if got != word(want) {
                wrong.push(format!(
                    "{ns}/{ds} {n}: got {got}, want {} ({})",
                    word(want),
                    reason(&report, n)
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "verdicts differ from the real cluster:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn counts_match_the_controllers_desired_and_misscheduled() {
    for (ns, ds, row) in TRUTH {
        let report = why_json(ns, ds);
        let eligible = row.chars().filter(|c| "RSPFM".contains(*c)).count() as u64;
        assert_eq!(
            report["status"]["desiredNumberScheduled"].as_u64(),
            Some(eligible),
            "{ns}/{ds} desired"
        );
        let mis = row.chars().filter(|c| *c == 'X').count() as u64;
        assert_eq!(
            report["counts"]["Misscheduled"].as_u64(),
            Some(mis),
            "{ns}/{ds} misscheduled"
        );
    }
}

/// Each reason names the exact taint, label, figures or quoted message.
#[test]
fn reasons_name_the_exact_cause() {
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "monitoring",
            "node-exporter",
            "cp-1",
            &["node-role.kubernetes.io/control-plane:NoSchedule"],
        ),
        (
            "monitoring",
            "node-exporter",
            "gpu-1",
            &["nvidia.com/gpu=present:NoSchedule"],
        ),
        (
            "monitoring",
            "node-exporter",
            "notready-1",
            &["node.kubernetes.io/unreachable:NoSchedule"],
        ),
        (
            "monitoring",
            "node-exporter",
            "w-4",
            &["dedicated=db:NoExecute"],
        ),
        (
            "monitoring",
            "node-exporter",
            "w-3",
            &[
                "maintenance=planned:NoSchedule",
                "NoSchedule, not NoExecute",
            ],
        ),
        (
            "monitoring",
            "node-exporter",
            "small-1",
            &["CrashLoopBackOff", "7", "exit 1"],
        ),
        (
            "monitoring",
            "node-exporter",
            "win-1",
            &[
                "ImagePullBackOff",
                "no matching manifest for windows(10.0.20348)/amd64",
            ],
        ),
        (
            "broken",
            "badimage",
            "w-1",
            &["ErrImagePull", "registry.invalid/nope:1", "no such host"],
        ),
        ("logging", "fluentd", "cordoned-1", &["disk=ssd"]),
        (
            "logging",
            "fluentd",
            "gpu-1",
            &["nvidia.com/gpu=present:NoSchedule"],
        ),
        (
            "kube-system",
            "kube-proxy",
            "win-1",
            &["kubernetes.io/os", "windows"],
        ),
        ("kube-system", "kube-proxy", "notready-1", &["NotReady"]),
        ("gpu-operator", "gpu-agent", "w-1", &["gpu In [true]"]),
        (
            "batch-heavy",
            "hungry",
            "small-1",
            &[
                "Insufficient cpu",
                "Insufficient memory",
                "500m",
                "0/10 nodes are available",
            ],
        ),
        (
            "hostport",
            "exporter-b",
            "w-1",
            &["9100", "exporter-a-", "didn't have free ports"],
        ),
        (
            "missing-sa",
            "sa-agent",
            "w-1",
            &["serviceaccount \"agent-sa\" not found"],
        ),
        (
            "psa-blocked",
            "host-agent",
            "w-1",
            &["violates PodSecurity \"baseline:latest\""],
        ),
        (
            "quota-limited",
            "quota-agent",
            "w-2",
            &["exceeded quota: pod-count"],
        ),
        (
            "ops",
            "flaky-agent",
            "w-2",
            &["OutOfcpu", "requested: 10, used: 3995, capacity: 4000"],
        ),
        (
            "rollout",
            "web-agent",
            "w-1",
            &["old revision 5f8cdc9648", "7f559c7b7"],
        ),
        ("rollout", "legacy-agent", "cordoned-1", &["terminating"]),
        (
            "rollout",
            "surge-agent",
            "w-1",
            &["surge-agent-2fdx7", "ImagePullBackOff"],
        ),
    ];
    let mut wrong = Vec::new();
    for (ns, ds, n, needles) in cases {
        let r = reason(&why_json(ns, ds), n);
        for needle in *needles {
            if !r.contains(needle) {
                wrong.push(format!("{ns}/{ds} {n}: reason lacks {needle:?}: {r}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
