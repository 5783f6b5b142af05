//! Tests of the scheduler's placement filters for a daemon pod that exists but is not bound
//! (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity).

use super::test_support::*;
use super::*;
use serde_json::{Value, json};

fn pod_spec(v: Value) -> PodSpec {
    let mut v = v;
    v["containers"] = json!([]);
    serde_json::from_value(v).unwrap()
}

fn name_affinity(node: &str) -> Value {
    json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}}})
}

#[test]
fn scheduler_filters() {
    let cordoned = node(
        json!({"metadata": {"name": "c-1"}, "spec": {"unschedulable": true,
        "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]}}),
    );
    let unschedulable_tol = json!([{"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}]);
    let cases: Vec<(&str, PodSpec, Node, Vec<Finding>)> = vec![
        (
            "nothing in the way",
            pod_spec(json!({"affinity": name_affinity("test-node")})),
            node(json!({})),
            vec![],
        ),
        (
            "cordoned node, no toleration: NodeUnschedulable and TaintToleration",
            pod_spec(json!({})),
            cordoned.clone(),
            vec![
                Finding::NodeCordoned,
                taint_reason("node.kubernetes.io/unschedulable:NoSchedule"),
            ],
        ),
        (
            "cordoned node, tolerated",
            pod_spec(json!({"tolerations": unschedulable_tol})),
            cordoned.clone(),
            vec![],
        ),
        (
            "cordoned without taint, tolerate-all",
            pod_spec(json!({"tolerations": [{"operator": "Exists"}]})),
            node(json!({"spec": {"unschedulable": true}})),
            vec![],
        ),
        (
            "cordoned without taint",
            pod_spec(json!({})),
            node(json!({"spec": {"unschedulable": true}})),
            vec![Finding::NodeCordoned],
        ),
        (
            "toleration with the wrong effect does not cover cordon",
            pod_spec(
                json!({"tolerations": [{"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoExecute"}]}),
            ),
            node(json!({"spec": {"unschedulable": true}})),
            vec![Finding::NodeCordoned],
        ),
        (
            "NodeName",
            pod_spec(json!({"nodeName": "other"})),
            node(json!({})),
            vec![Finding::NodeNameMismatch {
                wanted: "other".into(),
            }],
        ),
        (
            "TaintToleration: NoSchedule and NoExecute, not PreferNoSchedule",
            pod_spec(json!({})),
            taints(json!([
                {"key": "a", "effect": "NoSchedule"},
                {"key": "b", "effect": "PreferNoSchedule"},
                {"key": "c", "effect": "NoExecute"}
            ])),
            vec![taint_reason("a:NoSchedule"), taint_reason("c:NoExecute")],
        ),
        (
            "NodeAffinity: the matchFields term of another node",
            pod_spec(json!({"affinity": name_affinity("w-3")})),
            node(json!({})),
            vec![Finding::NodeAffinityMismatch {
                terms: vec![crate::report::AffinityTermMismatch {
                    term: 0,
                    expression: "metadata.name In [w-3]".into(),
                    node_value: Some("test-node".into()),
                }],
            }],
        ),
        (
            "NodeAffinity: nodeSelector",
            pod_spec(json!({"nodeSelector": {"kubernetes.io/os": "linux"}})),
            node(json!({"metadata": {"name": "win-1", "labels": {"kubernetes.io/os": "windows"}}})),
            vec![Finding::NodeSelectorMismatch {
                key: "kubernetes.io/os".into(),
                wanted: "linux".into(),
                actual: Some("windows".into()),
            }],
        ),
    ];
    for (name, spec, n, want) in cases {
        assert_eq!(scheduler_filter_failures(&spec, &n), want, "{name}");
    }
}
