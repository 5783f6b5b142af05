use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::*;
use crate::report::{Change, PlanStatus};
use crate::snapshot::{NodePodsCoverage, Snapshot};

fn node(name: &str, cpu: &str) -> Node {
    serde_json::from_value(json!({"metadata": {"name": name}, "status": {"allocatable": {"cpu": cpu, "memory": "1Gi", "pods": "10"}}})).unwrap()
}

fn ds(strategy: Value, cpu: &str, image: &str) -> DaemonSet {
    serde_json::from_value(json!({"metadata": {"name": "agent", "namespace": "ns", "uid": "ds-uid"},
        "spec": {"selector": {"matchLabels": {"app": "agent"}}, "updateStrategy": strategy,
        "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"containers": [{"name": "c", "image": image, "resources": {"limits": {"cpu": cpu}}}]}}}}))
    .unwrap()
}

fn old_pod(node: &str, cpu: &str) -> Pod {
    serde_json::from_value(json!({"metadata": {"name": format!("agent-{node}"), "namespace": "ns", "uid": format!("p-{node}"), "labels": {"app": "agent"},
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "uid": "ds-uid", "controller": true}]},
        "spec": {"nodeName": node, "containers": [{"name": "c", "image": "x:1", "resources": {"requests": {"cpu": cpu}}}]}, "status": {"phase": "Running"}}))
    .unwrap()
}

fn run(snapshot: &Snapshot, manifest: &DaemonSet) -> Vec<(String, PlanStatus, Change)> {
    let cluster = Cluster::new(snapshot);
    let report = plan(&cluster, manifest, "default");
    let mut out: Vec<_> = report
        .nodes
        .into_iter()
        .map(|n| (n.node, n.status, n.change))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn a_replacement_fits_where_the_old_pod_was_unless_it_surges() {
    let one_at_a_time =
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}});
    let surge =
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}});
    let cases = [
        (
            "maxSurge=0: the old pod leaves first",
            one_at_a_time.clone(),
            PlanStatus::Schedulable,
        ),
        (
            "maxSurge=1: both pods at once do not fit",
            surge,
            PlanStatus::Unschedulable,
        ),
    ];
    for (name, strategy, want) in cases {
        let current = ds(strategy.clone(), "600m", "x:1");
        let snapshot = Snapshot {
            nodes: vec![node("n", "1")],
            daemonsets: vec![current],
            pods: vec![old_pod("n", "600m")],
            ..Snapshot::default()
        };
        let got = run(&snapshot, &ds(strategy, "600m", "x:2"));
        assert_eq!(got, vec![("n".into(), want, Change::Replace)], "{name}");
    }
}

#[test]
fn a_new_daemonset_is_requested_at_its_limit() {
    let snapshot = Snapshot {
        nodes: vec![node("small", "500m"), node("big", "2")],
        ..Snapshot::default()
    };
    let got = run(&snapshot, &ds(json!(null), "1", "x:1"));
    assert_eq!(
        got,
        vec![
            ("big".into(), PlanStatus::Schedulable, Change::Add),
            ("small".into(), PlanStatus::Unschedulable, Change::Add),
        ]
    );
}

#[test]
fn nodes_whose_pods_were_not_read_are_not_judged_on_resources() {
    let snapshot = Snapshot {
        nodes: vec![node("small", "500m")],
        node_pods: NodePodsCoverage::Nodes(BTreeSet::new()),
        ..Snapshot::default()
    };
    let cluster = Cluster::new(&snapshot);
    let report = plan(&cluster, &ds(json!(null), "1", "x:1"), "default");
    assert_eq!(report.nodes[0].status, PlanStatus::Schedulable);
    assert!(
        report.nodes[0].reason.contains("not checked"),
        "{}",
        report.nodes[0].reason
    );
}
