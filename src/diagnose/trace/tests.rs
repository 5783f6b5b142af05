//! The trace against the recorded real cluster (every DaemonSet x node agrees with `why`), and
//! table-driven cases per check kind on small built clusters. Test-only.

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Node;
use serde_json::{Value, json};

use super::*;
use crate::diagnose::cluster::{Cluster, name};
use crate::report::{Finding, NodeStatus};
use crate::snapshot::Snapshot;
use crate::snapshot::pod::Pod;

fn dump(rel: &str) -> Snapshot {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    crate::source::file::load(&path, &mut std::io::empty()).expect("a bundled dump")
}

fn failing(t: &NodeTrace, stage: Stage) -> Vec<&Check> {
    t.checks
        .iter()
        .filter(|c| c.stage == stage && c.result == CheckResult::Fail)
        .collect()
}

/// The scheduler row a finding of `why` for a Pending pod must fail.
fn scheduler_row(f: &Finding) -> Option<String> {
    Some(match f {
        Finding::NodeCordoned => "NodeUnschedulable".into(),
        Finding::NodeNameMismatch { .. } => "NodeName".into(),
        Finding::UntoleratedTaint { .. } => "TaintToleration".into(),
        Finding::NodeSelectorMismatch { .. } | Finding::NodeAffinityMismatch { .. } => {
            "NodeAffinity".into()
        }
        Finding::TooManyPods { .. } => "NodeResourcesFit pods".into(),
        Finding::InsufficientResource { resource, .. } => format!("NodeResourcesFit {resource}"),
        Finding::HostPortConflict { port, protocol, .. } => format!("NodePorts {port}/{protocol}"),
        _ => return None,
    })
}

#[test]
fn every_daemonset_and_node_of_the_bundled_clusters_agrees_with_why() {
    // (dump, DaemonSets x nodes)
    let cases = [
        ("tests/fixtures/real-cluster/all.yaml", 16 * 10),
        ("examples/cluster.yaml", 4 * 12),
    ];
    for (file, pairs) in cases {
        let mut snapshot = dump(file);
        assert_eq!(agreeing_pairs(&snapshot), pairs, "{file}");
        // As a live read that fetched no node's pods: resources and ports unknown everywhere.
        snapshot.node_pods = crate::snapshot::NodePodsCoverage::Nodes(Default::default());
        assert_eq!(agreeing_pairs(&snapshot), pairs, "{file} without node pods");
    }
}

/// Asserts the trace of every DaemonSet x node agrees with `why`; returns how many were judged.
fn agreeing_pairs(snapshot: &Snapshot) -> usize {
    let cluster = Cluster::new(snapshot);
    let mut judged = 0;
    for ds in &snapshot.daemonsets {
        let now = jiff::Timestamp::now();
        let report = crate::diagnose::diagnose(&cluster, ds, now);
        for node in &cluster.nodes {
            let t = trace(&cluster, ds, name(&node.metadata), now).unwrap();
            let row = report.nodes.iter().find(|n| n.node == t.node).unwrap();
            let case = format!("{}/{} on {}", t.namespace, t.name, t.node);
            assert_eq!(t.verdict.status, TraceStatus::Node(row.status), "{case}");
            assert_eq!(
                t.verdict.passed,
                row.status == NodeStatus::Running,
                "{case}: overall pass/fail: {:#?}",
                t.checks
            );
            let controller_fails = !failing(&t, Stage::Controller).is_empty();
            assert_eq!(
                controller_fails,
                matches!(
                    row.status,
                    NodeStatus::Ineligible | NodeStatus::Misscheduled
                ),
                "{case}: controller stage"
            );
            // Each per-entry row fails exactly when NodeShouldRunDaemonPod does.
            let summary = t
                .checks
                .iter()
                .find(|c| c.name == "NodeShouldRunDaemonPod")
                .unwrap();
            let entries = failing(&t, Stage::Controller)
                .iter()
                .any(|c| c.name != "NodeShouldRunDaemonPod");
            assert_eq!(entries, summary.result == CheckResult::Fail, "{case}");
            if row.status == NodeStatus::Pending {
                let mut wanted: Vec<String> =
                    row.findings.iter().filter_map(scheduler_row).collect();
                wanted.dedup();
                let mut got: Vec<String> = failing(&t, Stage::Scheduler)
                    .iter()
                    .map(|c| c.name.clone())
                    .collect();
                got.sort();
                wanted.sort();
                assert_eq!(got, wanted, "{case}: scheduler rows vs why's findings");
            }
            judged += 1;
        }
    }
    judged
}

// --- small built clusters, one case per check kind ---

fn ds(spec: Value) -> DaemonSet {
    let mut spec = spec;
    if spec.get("containers").is_none() {
        spec["containers"] = json!([{"name": "c", "image": "i"}]);
    }
    serde_json::from_value(json!({
        "metadata": {"name": "agent", "namespace": "ops", "uid": "ds-uid"},
        "spec": {"selector": {"matchLabels": {"app": "agent"}},
                 "template": {"metadata": {"labels": {"app": "agent"}}, "spec": spec}}
    }))
    .unwrap()
}

fn node(extra: Value) -> Node {
    let mut v = json!({
        "metadata": {"name": "n1", "labels": {"disk": "ssd", "zone": "a"}},
        "spec": {},
        "status": {
            "allocatable": {"cpu": "1", "memory": "1Gi", "pods": "110"},
            "conditions": [{"type": "Ready", "status": "True"}],
        },
    });
    merge(&mut v, extra);
    serde_json::from_value(v).unwrap()
}

fn merge(a: &mut Value, b: Value) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k).or_insert(Value::Null), v);
            }
        }
        (a, b) => *a = b,
    }
}

fn other_pod(name: &str, spec: Value) -> Pod {
    let mut spec = spec;
    spec["nodeName"] = json!("n1");
    if spec.get("containers").is_none() {
        spec["containers"] = json!([{"name": "c", "image": "i"}]);
    }
    serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": "other", "uid": name},
        "spec": spec,
        "status": {"phase": "Running"},
    }))
    .unwrap()
}

fn run(ds: DaemonSet, node: Node, pods: Vec<Pod>) -> NodeTrace {
    let snapshot = Snapshot {
        nodes: vec![node],
        daemonsets: vec![ds],
        pods,
        ..Default::default()
    };
    let cluster = Cluster::new(&snapshot);
    trace(
        &cluster,
        &snapshot.daemonsets[0],
        "n1",
        jiff::Timestamp::now(),
    )
    .unwrap()
}

#[test]
fn an_unknown_node_has_no_trace() {
    let snapshot = Snapshot {
        nodes: vec![node(json!({}))],
        daemonsets: vec![ds(json!({}))],
        ..Default::default()
    };
    let cluster = Cluster::new(&snapshot);
    assert_eq!(
        trace(
            &cluster,
            &snapshot.daemonsets[0],
            "n2",
            jiff::Timestamp::now()
        ),
        None
    );
}

fn row<'a>(t: &'a NodeTrace, name: &str) -> &'a Check {
    t.checks
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no row {name}: {:#?}", t.checks))
}

#[test]
fn each_check_kind_reports_its_entry() {
    struct Case {
        name: &'static str,
        ds: Value,
        node: Value,
        pods: Vec<Pod>,
        row: &'static str,
        result: CheckResult,
        evidence: &'static str,
    }
    let cases = vec![
        Case {
            name: "template nodeName pins another node",
            ds: json!({"nodeName": "n2"}),
            node: json!({}),
            pods: vec![],
            row: "nodeName",
            result: CheckResult::Fail,
            evidence: "pins the pod to node n2",
        },
        Case {
            name: "nodeSelector key the node carries",
            ds: json!({"nodeSelector": {"disk": "ssd", "gpu": "true"}}),
            node: json!({}),
            pods: vec![],
            row: "nodeSelector disk=ssd",
            result: CheckResult::Pass,
            evidence: "node has disk=ssd",
        },
        Case {
            name: "nodeSelector key the node lacks",
            ds: json!({"nodeSelector": {"disk": "ssd", "gpu": "true"}}),
            node: json!({}),
            pods: vec![],
            row: "nodeSelector gpu=true",
            result: CheckResult::Fail,
            evidence: "node has no label gpu",
        },
        Case {
            name: "affinity term that fails while another matches is only informative",
            ds: json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["b"]}]},
                    {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}]}}}}),
            node: json!({}),
            pods: vec![],
            row: "nodeAffinity term[0]",
            result: CheckResult::Info,
            evidence: "another term matches",
        },
        Case {
            name: "affinity expression that sinks the only term",
            ds: json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [
                    {"key": "disk", "operator": "Exists"},
                    {"key": "zone", "operator": "NotIn", "values": ["a"]}]}]}}}}),
            node: json!({}),
            pods: vec![],
            row: "term[0] matchExpressions zone NotIn [a]",
            result: CheckResult::Fail,
            evidence: "node has zone=a",
        },
        Case {
            name: "affinity expression that holds in a failing term",
            ds: json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [
                    {"key": "disk", "operator": "Exists"},
                    {"key": "zone", "operator": "NotIn", "values": ["a"]}]}]}}}}),
            node: json!({}),
            pods: vec![],
            row: "term[0] matchExpressions disk Exists",
            result: CheckResult::Pass,
            evidence: "matches",
        },
        Case {
            name: "untolerated NoSchedule taint keeps a running pod",
            ds: json!({}),
            node: json!({"spec": {"taints": [{"key": "maint", "value": "yes", "effect": "NoSchedule"}]}}),
            pods: vec![],
            row: "taint maint=yes:NoSchedule",
            result: CheckResult::Fail,
            evidence: "a pod already here stays",
        },
        Case {
            name: "untolerated NoExecute taint evicts",
            ds: json!({}),
            node: json!({"spec": {"taints": [{"key": "dedicated", "value": "db", "effect": "NoExecute"}]}}),
            pods: vec![],
            row: "taint dedicated=db:NoExecute",
            result: CheckResult::Fail,
            evidence: "a pod already here is evicted",
        },
        Case {
            name: "taint tolerated by the controller's own toleration",
            ds: json!({}),
            node: json!({"spec": {"unschedulable": true, "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]}}),
            pods: vec![],
            row: "taint node.kubernetes.io/unschedulable:NoSchedule",
            result: CheckResult::Pass,
            evidence: "the toleration the DaemonSet controller adds",
        },
        Case {
            name: "taint tolerated by the template's toleration with seconds",
            ds: json!({"tolerations": [{"key": "dedicated", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60}]}),
            node: json!({"spec": {"taints": [{"key": "dedicated", "value": "db", "effect": "NoExecute"}]}}),
            pods: vec![],
            row: "taint dedicated=db:NoExecute",
            result: CheckResult::Pass,
            evidence: "evicts the pod 60s after the taint appears",
        },
        Case {
            name: "PreferNoSchedule never blocks",
            ds: json!({}),
            node: json!({"spec": {"taints": [{"key": "soft", "effect": "PreferNoSchedule"}]}}),
            pods: vec![],
            row: "taint soft:PreferNoSchedule",
            result: CheckResult::Info,
            evidence: "never blocks",
        },
        Case {
            name: "cordoned node tolerated by the daemon tolerations",
            ds: json!({}),
            node: json!({"spec": {"unschedulable": true}}),
            pods: vec![],
            row: "NodeUnschedulable",
            result: CheckResult::Pass,
            evidence: "node is cordoned, and the pod tolerates it",
        },
        Case {
            name: "cpu shortfall names the top consumer",
            ds: json!({"containers": [{"name": "c", "image": "i", "resources": {"requests": {"cpu": "600m"}}}]}),
            node: json!({}),
            pods: vec![
                other_pod(
                    "big",
                    json!({"containers": [{"name": "c", "image": "i", "resources": {"requests": {"cpu": "300m"}}}]}),
                ),
                other_pod(
                    "small",
                    json!({"containers": [{"name": "c", "image": "i", "resources": {"requests": {"cpu": "200m"}}}]}),
                ),
            ],
            row: "NodeResourcesFit cpu",
            result: CheckResult::Fail,
            evidence: "Insufficient cpu: requests 600m, allocatable 1, used 500m by 2 pod(s), free 500m; top: other/big 300m, other/small 200m",
        },
        Case {
            name: "memory that fits",
            ds: json!({"containers": [{"name": "c", "image": "i", "resources": {"requests": {"memory": "256Mi"}}}]}),
            node: json!({}),
            pods: vec![],
            row: "NodeResourcesFit memory",
            result: CheckResult::Pass,
            evidence: "requests 256Mi, allocatable 1Gi, used 0 by 0 pod(s), free 1Gi",
        },
        Case {
            name: "pod count at the node's limit",
            ds: json!({}),
            node: json!({"status": {"allocatable": {"cpu": "1", "memory": "1Gi", "pods": "1"}}}),
            pods: vec![other_pod("p", json!({}))],
            row: "NodeResourcesFit pods",
            result: CheckResult::Fail,
            evidence: "1 pods already on the node + this one, allocatable 1",
        },
        Case {
            name: "host port held by another pod",
            ds: json!({"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 9100, "hostPort": 9100}]}]}),
            node: json!({}),
            pods: vec![other_pod(
                "exporter",
                json!({"containers": [{"name": "c", "image": "i", "ports": [{"containerPort": 9100, "hostPort": 9100}]}]}),
            )],
            row: "NodePorts 9100/TCP",
            result: CheckResult::Fail,
            evidence: "held by pod other/exporter",
        },
        Case {
            name: "missing pod on an eligible node",
            ds: json!({}),
            node: json!({}),
            pods: vec![],
            row: "pod",
            result: CheckResult::Fail,
            evidence: "no pod exists for this eligible node",
        },
        Case {
            name: "node not ready",
            ds: json!({}),
            node: json!({"status": {"conditions": [{"type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown", "message": "Kubelet stopped posting node status."}]}}),
            pods: vec![],
            row: "node Ready",
            result: CheckResult::Fail,
            evidence: "Ready=Unknown: NodeStatusUnknown: Kubelet stopped posting node status.",
        },
    ];
    for c in cases {
        let t = run(ds(c.ds), node(c.node), c.pods);
        let got = row(&t, c.row);
        assert_eq!(got.result, c.result, "{}: {got:?}", c.name);
        assert!(
            got.evidence.contains(c.evidence),
            "{}: {:?} lacks {:?}",
            c.name,
            got.evidence,
            c.evidence
        );
    }
}

#[test]
fn an_ineligible_node_skips_the_scheduler() {
    let t = run(
        ds(json!({"nodeSelector": {"gpu": "true"}})),
        node(json!({})),
        vec![],
    );
    assert_eq!(row(&t, "filters").result, CheckResult::Skip);
    assert_eq!(row(&t, "pod").result, CheckResult::Skip);
    assert_eq!(t.verdict.status, TraceStatus::Node(NodeStatus::Ineligible));
    assert!(!t.verdict.passed);
}

#[test]
fn the_pod_as_created_is_pinned_by_its_name_term_only() {
    let spec: PodSpec = serde_json::from_value(json!({
        "containers": [],
        "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": [{"key": "gpu", "operator": "In", "values": ["true"]}]}]}}}
    }))
    .unwrap();
    let created = as_created(&spec, "gpu-1");
    assert_eq!(
        serde_json::to_value(created.affinity).unwrap(),
        json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["gpu-1"]}]}]}}})
    );
}
