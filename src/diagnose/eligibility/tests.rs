//! Tests of the controller's decision: NodeShouldRunDaemonPod as upstream's daemon controller tests
//! state it, the daemon tolerations a template gets, and the sentences for ineligible and
//! misscheduled nodes.

use super::test_support::*;
use super::*;
use serde_json::{Value, json};

// Cases from daemon_controller_test.go (TestNodeShouldRunDaemonPod and the taint tests:
// TestTaintedNodeDaemonDoesNotLaunchIntolerantPods, TestTaintedNodeDaemonLaunchesToleratePod,
// TestNotReadyNodeDaemonLaunchesPod, TestUnreachableNodeDaemonLaunchesPod,
// TestTaintPressureNodeDaemonLaunchPod, TestNodeDaemonLaunchesToleratePod) plus the rules of
// NodeShouldRunDaemonPod that those do not cover.
/// (name, template spec, node, should_run, should_continue_running, reasons)
type ShouldRunCase = (&'static str, Value, Node, bool, bool, Vec<Finding>);

#[test]
fn node_should_run_daemon_pod() {
    let cases: Vec<ShouldRunCase> = vec![
        (
            "ShouldRunDaemonPod",
            json!({}),
            node(json!({})),
            true,
            true,
            vec![],
        ),
        (
            "ErrPodNotMatchHostName",
            json!({"nodeName": "other-node"}),
            node(json!({})),
            false,
            false,
            vec![Finding::NodeNameMismatch {
                wanted: "other-node".into(),
            }],
        ),
        (
            "template nodeName is this node",
            json!({"nodeName": "test-node"}),
            node(json!({})),
            true,
            true,
            vec![],
        ),
        (
            "ErrNodeSelectorNotMatch",
            json!({"nodeSelector": {"name": "simple-daemon", "color": "blue"}}),
            node(json!({})),
            false,
            false,
            vec![Finding::NodeSelectorMismatch {
                key: "color".into(),
                wanted: "blue".into(),
                actual: None,
            }],
        ),
        (
            "nodeSelector matches",
            json!({"nodeSelector": {"name": "simple-daemon"}}),
            node(json!({})),
            true,
            true,
            vec![],
        ),
        (
            "ErrPodAffinityNotMatch",
            json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchExpressions": [{"key": "type", "operator": "In", "values": ["test"]}]}]}}}}),
            node(json!({"metadata": {"name": "test-node", "labels": {"type": "production"}}})),
            false,
            false,
            vec![Finding::NodeAffinityMismatch {
                terms: vec![crate::report::AffinityTermMismatch {
                    term: 0,
                    expression: "type In [test]".into(),
                    node_value: Some("production".into()),
                }],
            }],
        ),
        (
            "affinity matches",
            json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchExpressions": [{"key": "type", "operator": "In", "values": ["production"]}]}]}}}}),
            node(json!({"metadata": {"name": "test-node", "labels": {"type": "production"}}})),
            true,
            true,
            vec![],
        ),
        (
            "preferred affinity never matters",
            json!({"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 1, "preference": {"matchExpressions": [{"key": "type", "operator": "In", "values": ["x"]}]}}]}}}),
            node(json!({})),
            true,
            true,
            vec![],
        ),
        (
            "ShouldRunDaemonPodOnUnschedulableNode",
            json!({}),
            node(json!({"spec": {"unschedulable": true}})),
            true,
            true,
            vec![],
        ),
        (
            "cordoned node with its unschedulable taint is tolerated by default",
            json!({}),
            node(
                json!({"spec": {"unschedulable": true, "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]}}),
            ),
            true,
            true,
            vec![],
        ),
        (
            "TaintedNodeDaemonDoesNotLaunchIntolerantPods: kept but misscheduled",
            json!({}),
            taints(json!([{"key": "dedicated", "value": "master", "effect": "NoSchedule"}])),
            false,
            true,
            vec![taint_reason("dedicated=master:NoSchedule")],
        ),
        (
            "TaintedNodeDaemonLaunchesToleratePod",
            json!({"tolerations": [{"key": "dedicated", "operator": "Equal", "value": "master", "effect": "NoSchedule"}]}),
            taints(json!([{"key": "dedicated", "value": "master", "effect": "NoSchedule"}])),
            true,
            true,
            vec![],
        ),
        (
            "untolerated NoExecute taint: must not stay",
            json!({}),
            taints(json!([{"key": "dedicated", "value": "db", "effect": "NoExecute"}])),
            false,
            false,
            vec![taint_reason("dedicated=db:NoExecute")],
        ),
        (
            "NoExecute tolerated with tolerationSeconds still counts as tolerated",
            json!({"tolerations": [{"key": "dedicated", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 30}]}),
            taints(json!([{"key": "dedicated", "value": "db", "effect": "NoExecute"}])),
            true,
            true,
            vec![],
        ),
        (
            "PreferNoSchedule never blocks",
            json!({}),
            taints(json!([{"key": "spot", "value": "true", "effect": "PreferNoSchedule"}])),
            true,
            true,
            vec![],
        ),
        (
            "NotReadyNodeDaemonLaunchesPod: not-ready NoExecute tolerated by default",
            json!({}),
            taints(json!([{"key": "node.kubernetes.io/not-ready", "effect": "NoExecute"}])),
            true,
            true,
            vec![],
        ),
        (
            "UnreachableNodeDaemonLaunchesPod: unreachable NoExecute tolerated by default",
            json!({}),
            taints(json!([{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}])),
            true,
            true,
            vec![],
        ),
        (
            "unreachable NoSchedule is not tolerated by default",
            json!({}),
            taints(json!([
                {"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"},
                {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": "2026-11-23T11:37:54Z"}
            ])),
            false,
            true,
            vec![taint_reason("node.kubernetes.io/unreachable:NoSchedule")],
        ),
        (
            "not-ready NoSchedule from TaintNodesByCondition is not tolerated by default",
            json!({}),
            taints(json!([{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}])),
            false,
            true,
            vec![taint_reason("node.kubernetes.io/not-ready:NoSchedule")],
        ),
        (
            "TaintPressureNodeDaemonLaunchPod",
            json!({}),
            taints(json!([
                {"key": "node.kubernetes.io/disk-pressure", "effect": "NoSchedule"},
                {"key": "node.kubernetes.io/memory-pressure", "effect": "NoSchedule"},
                {"key": "node.kubernetes.io/pid-pressure", "effect": "NoSchedule"}
            ])),
            true,
            true,
            vec![],
        ),
        (
            "network-unavailable tolerated for hostNetwork pods",
            json!({"hostNetwork": true}),
            taints(
                json!([{"key": "node.kubernetes.io/network-unavailable", "effect": "NoSchedule"}]),
            ),
            true,
            true,
            vec![],
        ),
        (
            "network-unavailable not tolerated without hostNetwork",
            json!({}),
            taints(
                json!([{"key": "node.kubernetes.io/network-unavailable", "effect": "NoSchedule"}]),
            ),
            false,
            true,
            vec![taint_reason(
                "node.kubernetes.io/network-unavailable:NoSchedule",
            )],
        ),
        (
            "NodeDaemonLaunchesToleratePod: tolerate everything",
            json!({"tolerations": [{"operator": "Exists"}]}),
            taints(json!([
                {"key": "dedicated", "value": "db", "effect": "NoExecute"},
                {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}
            ])),
            true,
            true,
            vec![],
        ),
        (
            "every reason is listed",
            json!({"nodeSelector": {"disk": "ssd", "name": "other"}}),
            taints(json!([
                {"key": "a", "effect": "NoSchedule"},
                {"key": "b", "value": "1", "effect": "PreferNoSchedule"},
                {"key": "c", "value": "2", "effect": "NoExecute"}
            ])),
            false,
            false,
            vec![
                Finding::NodeSelectorMismatch {
                    key: "disk".into(),
                    wanted: "ssd".into(),
                    actual: None,
                },
                Finding::NodeSelectorMismatch {
                    key: "name".into(),
                    wanted: "other".into(),
                    actual: Some("simple-daemon".into()),
                },
                taint_reason("a:NoSchedule"),
                taint_reason("c=2:NoExecute"),
            ],
        ),
        (
            "NoSchedule taints with a selector miss: must not stay",
            json!({"nodeSelector": {"disk": "ssd"}}),
            taints(json!([{"key": "a", "effect": "NoSchedule"}])),
            false,
            false,
            vec![
                Finding::NodeSelectorMismatch {
                    key: "disk".into(),
                    wanted: "ssd".into(),
                    actual: None,
                },
                taint_reason("a:NoSchedule"),
            ],
        ),
        (
            "node being deleted is still eligible",
            json!({}),
            node(
                json!({"metadata": {"name": "test-node", "deletionTimestamp": "2026-11-23T11:50:25Z", "finalizers": ["x"]}}),
            ),
            true,
            true,
            vec![],
        ),
        (
            "NotReady condition alone does not matter",
            json!({}),
            node(json!({"status": {"conditions": [{"type": "Ready", "status": "False"}]}})),
            true,
            true,
            vec![],
        ),
    ];
    for (name, spec, n, run, cont, reasons) in cases {
        let e = DaemonPodTemplate::new(&ds(spec)).evaluate(&n);
        assert_eq!(e.should_run, run, "{name}: should_run");
        assert_eq!(
            e.should_continue_running, cont,
            "{name}: should_continue_running"
        );
        assert_eq!(e.reasons, reasons, "{name}: reasons");
    }
}

#[test]
fn template_gets_daemon_tolerations_once() {
    let t = DaemonPodTemplate::new(&ds(
        json!({"hostNetwork": true, "tolerations": [{"operator": "Exists"}]}),
    ));
    let keys: Vec<&str> = t
        .spec()
        .tolerations
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .map(|t| t.key.as_deref().unwrap_or("*"))
        .collect();
    assert_eq!(
        keys,
        [
            "*",
            "node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable",
            "node.kubernetes.io/disk-pressure",
            "node.kubernetes.io/memory-pressure",
            "node.kubernetes.io/pid-pressure",
            "node.kubernetes.io/unschedulable",
            "node.kubernetes.io/network-unavailable",
        ]
    );
    let e = DaemonPodTemplate::new(&DaemonSet::default()).evaluate(&node(json!({})));
    assert!(
        e.should_run && e.should_continue_running,
        "DaemonSet without a template spec"
    );
}

#[test]
fn texts() {
    let e = |reasons: Vec<Finding>, run, cont| Eligibility {
        should_run: run,
        should_continue_running: cont,
        reasons,
    };
    let sel = Finding::NodeSelectorMismatch {
        key: "disk".into(),
        wanted: "ssd".into(),
        actual: None,
    };
    let cases: Vec<(&str, Eligibility, &str, &str)> = vec![
        (
            "kept for a NoSchedule taint",
            e(
                vec![taint_reason("maintenance=planned:NoSchedule")],
                false,
                true,
            ),
            "untolerated taint maintenance=planned:NoSchedule",
            "no longer eligible (untolerated taint maintenance=planned:NoSchedule); the controller keeps the pod because the taint is NoSchedule, not NoExecute",
        ),
        (
            "kept for two NoSchedule taints",
            e(
                vec![taint_reason("a:NoSchedule"), taint_reason("b=1:NoSchedule")],
                false,
                true,
            ),
            "untolerated taint a:NoSchedule; untolerated taint b=1:NoSchedule",
            "no longer eligible (untolerated taint a:NoSchedule; untolerated taint b=1:NoSchedule); the controller keeps the pod because the taints are NoSchedule, not NoExecute",
        ),
        (
            "evicted for NoExecute",
            e(vec![taint_reason("dedicated=db:NoExecute")], false, false),
            "untolerated taint dedicated=db:NoExecute",
            "no longer eligible; the pod will be evicted/deleted: untolerated NoExecute taint dedicated=db:NoExecute",
        ),
        (
            "deleted for a selector miss, NoSchedule taint mentioned too",
            e(
                vec![sel.clone(), taint_reason("a:NoSchedule")],
                false,
                false,
            ),
            "nodeSelector disk=ssd: node has no label disk; untolerated taint a:NoSchedule",
            "no longer eligible; the DaemonSet controller will delete the pod: nodeSelector disk=ssd: node has no label disk (also untolerated taint a:NoSchedule)",
        ),
        (
            "eligible",
            e(vec![], true, true),
            "",
            "the node is eligible",
        ),
    ];
    for (name, el, ineligible, misscheduled) in cases {
        assert_eq!(ineligible_text(&el), ineligible, "{name}: ineligible_text");
        assert_eq!(
            misscheduled_text(&el),
            misscheduled,
            "{name}: misscheduled_text"
        );
    }
}
