//! The recorded real cluster (tests/fixtures/real-cluster) against the controller's decision:
//! TRUTH.md's per-node table, the status counts the controller wrote, the tolerations of every
//! recorded pod, and the scheduler filters of the unbound ones. Test-only.

use super::test_support::*;
use super::*;
use crate::diagnose::node_affinity::target_node_name;
use crate::snapshot::pod::Pod;

#[derive(serde::Deserialize)]
struct List<T> {
    items: Vec<T>,
}

const FIXTURES: [&str; 4] = [
    include_str!("../../../tests/fixtures/real-cluster/nodes.json"),
    include_str!("../../../tests/fixtures/real-cluster/daemonsets.json"),
    include_str!("../../../tests/fixtures/real-cluster/pods.json"),
    include_str!("../../../tests/fixtures/real-cluster/TRUTH.md"),
];

struct Cluster {
    nodes: Vec<Node>,
    daemonsets: Vec<DaemonSet>,
    pods: Vec<Pod>,
}

fn cluster() -> Cluster {
    Cluster {
        nodes: serde_json::from_str::<List<Node>>(FIXTURES[0])
            .unwrap()
            .items,
        daemonsets: serde_json::from_str::<List<DaemonSet>>(FIXTURES[1])
            .unwrap()
            .items,
        pods: serde_json::from_str::<List<Pod>>(FIXTURES[2])
            .unwrap()
            .items,
    }
}

fn ds_key(ds: &DaemonSet) -> String {
    format!(
        "{}/{}",
        ds.metadata.namespace.as_deref().unwrap_or(""),
        ds.metadata.name.as_deref().unwrap_or("")
    )
}

fn owned_by<'a>(pods: &'a [Pod], ds: &DaemonSet) -> impl Iterator<Item = &'a Pod> {
    let uid = ds.metadata.uid.clone();
    pods.iter().filter(move |p| {
        p.metadata
            .owner_references
            .as_deref()
            .unwrap_or(&[])
            .iter()
            .any(|o| o.controller == Some(true) && Some(&o.uid) == uid.as_ref())
    })
}

/// Every row of TRUTH.md's per-node table, checked against `evaluate`: rows that say the node
/// is ineligible (and why), misscheduled but kept, or eligible (a pod, or a failed creation).
#[test]
fn real_cluster_truth_table() {
    let c = cluster();
    let mut checked = 0;
    for line in FIXTURES[3].lines() {
        let cols: Vec<&str> = line.split(" | ").collect();
        if cols.len() != 3 || !cols[0].starts_with("| ") || !cols[0].contains('/') {
            continue;
        }
        let (ds_name, node_name, truth) = (&cols[0][2..], cols[1], cols[2].trim_end_matches(" |"));
        // Other tables (scenarios, status) also start with ns/name; only this one has a node next.
        let Some(ds) = c.daemonsets.iter().find(|d| ds_key(d) == ds_name) else {
            continue;
        };
        let Some(node) = c
            .nodes
            .iter()
            .find(|n| n.metadata.name.as_deref() == Some(node_name))
        else {
            continue;
        };
        let e = DaemonPodTemplate::new(ds).evaluate(node);
        let row = format!("{ds_name} on {node_name}: {truth}");
        if let Some(why) = truth.strip_prefix("no pod: node ineligible — ") {
            assert!(!e.should_run, "{row}: should not run");
            let expected = if let Some(t) = why.strip_prefix("untolerated taint ") {
                taint_reason(t)
            } else if let Some(rest) = why.strip_prefix("nodeSelector mismatch: ") {
                let (kv, node_has) = rest.split_once(" (node has ").unwrap();
                let (key, wanted) = kv.split_once('=').unwrap();
                let actual = node_has
                    .strip_prefix(&format!("{key}='"))
                    .and_then(|v| v.strip_suffix("')"))
                    .map(str::to_owned);
                Finding::NodeSelectorMismatch {
                    key: key.into(),
                    wanted: wanted.into(),
                    actual,
                }
            } else if why.starts_with("required nodeAffinity mismatch") {
                let label = node
                    .metadata
                    .labels
                    .as_ref()
                    .and_then(|l| l.get("gpu"))
                    .cloned();
                Finding::NodeAffinityMismatch {
                    terms: vec![crate::report::AffinityTermMismatch {
                        term: 0,
                        expression: "gpu In [true]".into(),
                        node_value: label,
                    }],
                }
            } else {
                panic!("{row}: unknown reason");
            };
            assert!(
                e.reasons.contains(&expected),
                "{row}: missing {expected:?} in {:?}",
                e.reasons
            );
            // The controller keeps an existing pod only when NoSchedule taints are all that fail.
            let only_no_schedule = e.reasons.iter().all(is_no_schedule_taint);
            assert_eq!(
                e.should_continue_running, only_no_schedule,
                "{row}: should_continue_running"
            );
        } else if truth.contains("MISSCHEDULED") {
            assert!(
                !e.should_run && e.should_continue_running,
                "{row}: misscheduled and kept"
            );
            let t = truth
                .split("(untolerated taint ")
                .nth(1)
                .and_then(|s| s.split(')').next())
                .unwrap();
            assert_eq!(e.reasons, vec![taint_reason(t)], "{row}");
            assert_eq!(
                misscheduled_text(&e),
                format!(
                    "no longer eligible (untolerated taint {t}); the controller keeps the pod because the taint is NoSchedule, not NoExecute"
                ),
                "{row}"
            );
        } else if truth.starts_with("pod ")
            || truth.starts_with("no pod: eligible but creation failed")
        {
            assert!(
                e.should_run && e.should_continue_running,
                "{row}: eligible, got {:?}",
                e.reasons
            );
            assert!(e.reasons.is_empty(), "{row}");
        } else {
            panic!("{row}: unrecognised truth");
        }
        checked += 1;
    }
    // 16 DaemonSets x 10 nodes, plus the surge pod's second row on w-1.
    assert_eq!(checked, 161, "rows checked");
}

/// desiredNumberScheduled and numberMisscheduled as the real controller wrote them.
#[test]
fn real_cluster_status_counts() {
    let c = cluster();
    for ds in &c.daemonsets {
        let t = DaemonPodTemplate::new(ds);
        let status = ds.status.as_ref().unwrap();
        let targets: Vec<String> = owned_by(&c.pods, ds).filter_map(target_node_name).collect();
        let mut desired = 0;
        let mut misscheduled = 0;
        for n in &c.nodes {
            let e = t.evaluate(n);
            let name = n.metadata.name.clone().unwrap_or_default();
            if e.should_run {
                desired += 1;
            } else if targets.contains(&name) {
                misscheduled += 1;
            }
        }
        assert_eq!(
            desired,
            status.desired_number_scheduled,
            "{}: desired",
            ds_key(ds)
        );
        assert_eq!(
            misscheduled,
            status.number_misscheduled,
            "{}: misscheduled",
            ds_key(ds)
        );
    }
}

/// The controller created every recorded pod from the template with exactly these tolerations,
/// and pointed it at its node with a matchFields term.
#[test]
fn real_cluster_pods_carry_the_daemon_tolerations() {
    let c = cluster();
    let mut seen = 0;
    for ds in &c.daemonsets {
        let t = DaemonPodTemplate::new(ds);
        for p in owned_by(&c.pods, ds) {
            let spec = p.spec.as_ref().unwrap();
            let name = p.metadata.name.as_deref().unwrap_or("");
            assert_eq!(spec.tolerations, t.spec().tolerations, "{name}");
            assert!(target_node_name(p).is_some(), "{name}: target node");
            seen += 1;
        }
    }
    assert_eq!(seen, c.pods.len(), "every pod has an owning DaemonSet");
}

/// The unbound pods' FailedScheduling: exporter-b's pod for w-3 "had untolerated taint(s)", and
/// every other node "didn't satisfy plugin(s) [NodeAffinity]" (the matchFields term).
#[test]
fn real_cluster_unbound_pods_scheduler_filters() {
    let c = cluster();
    let unbound: Vec<&Pod> = c
        .pods
        .iter()
        .filter(|p| p.spec.as_ref().is_some_and(|s| s.node_name.is_none()))
        .collect();
    assert_eq!(unbound.len(), 7, "hungry-x9tcr and six exporter-b pods");
    for p in unbound {
        let spec = p.spec.as_ref().unwrap();
        let target = target_node_name(p).unwrap();
        let pod = p.metadata.name.as_deref().unwrap_or("");
        for n in &c.nodes {
            let name = n.metadata.name.as_deref().unwrap_or("");
            let got = scheduler_filter_failures(spec, n);
            if name != target {
                assert!(
                    got.iter()
                        .any(|f| matches!(f, Finding::NodeAffinityMismatch { .. })),
                    "{pod} on {name}: NodeAffinity, got {got:?}"
                );
            } else if name == "w-3" {
                assert_eq!(
                    got,
                    vec![taint_reason("maintenance=planned:NoSchedule")],
                    "{pod} on {name}"
                );
            } else {
                // Their real blockers are host ports and resources, judged elsewhere.
                assert_eq!(got, vec![], "{pod} on {name}");
            }
        }
    }
}
