//! Tests of the nodeSelector half, the daemon pod's target node, the sentences for placement
//! findings, and the label key validation the affinity matching relies on.

use super::test_support::*;
use super::*;
use serde_json::{Value, json};

// nodeaffinity_test.go TestPodMatchesNodeSelectorAndAffinityTerms, nodeSelector half.
/// (name, nodeSelector, node labels, expected (key, wanted, actual))
type SelectorCase = (
    &'static str,
    Value,
    Value,
    Vec<(&'static str, &'static str, Option<&'static str>)>,
);

#[test]
fn node_selector_mismatches_lists_every_entry() {
    let cases: Vec<SelectorCase> = vec![
        ("no selector", json!({}), json!({"foo": "bar"}), vec![]),
        (
            "missing labels",
            json!({"foo": "bar"}),
            json!({}),
            vec![("foo", "bar", None)],
        ),
        (
            "same labels",
            json!({"foo": "bar"}),
            json!({"foo": "bar"}),
            vec![],
        ),
        (
            "node labels are superset",
            json!({"foo": "bar"}),
            json!({"foo": "bar", "baz": "blah"}),
            vec![],
        ),
        (
            "node labels are subset",
            json!({"foo": "bar", "baz": "blah"}),
            json!({"foo": "bar"}),
            vec![("baz", "blah", None)],
        ),
        (
            "different value",
            json!({"kubernetes.io/os": "linux"}),
            json!({"kubernetes.io/os": "windows"}),
            vec![("kubernetes.io/os", "linux", Some("windows"))],
        ),
        (
            "empty wanted value needs the label present",
            json!({"role": ""}),
            json!({}),
            vec![("role", "", None)],
        ),
        (
            "empty wanted value matches an empty label",
            json!({"role": ""}),
            json!({"role": ""}),
            vec![],
        ),
        (
            "every entry reported",
            json!({"a": "1", "b": "2"}),
            json!({"b": "3"}),
            vec![("a", "1", None), ("b", "2", Some("3"))],
        ),
    ];
    for (name, selector, labels, want) in cases {
        let selector: BTreeMap<String, String> = serde_json::from_value(selector).unwrap();
        let got = node_selector_mismatches(&selector, &node("n", labels));
        let want: Vec<Finding> = want
            .into_iter()
            .map(|(k, w, a)| Finding::NodeSelectorMismatch {
                key: k.to_owned(),
                wanted: w.to_owned(),
                actual: a.map(str::to_owned),
            })
            .collect();
        assert_eq!(got, want, "{name}");
    }
}

// daemonset_util_test.go TestGetTargetNodeName
#[test]
fn target_node_name_like_upstream() {
    let cases: Vec<(&str, Value, Option<&str>)> = vec![
        (
            "spec.nodeName wins",
            json!({"containers": [], "nodeName": "node-1"}),
            Some("node-1"),
        ),
        (
            "matchFields metadata.name In",
            json!({"containers": [], "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchFields": [name_field("In", &["node-1"])]}]}}}}),
            Some("node-1"),
        ),
        (
            "matchFields with two values is an error",
            json!({"containers": [], "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchFields": [name_field("In", &["node-1", "node-2"])]}]}}}}),
            None,
        ),
        ("no affinity", json!({"containers": []}), None),
        (
            "found in a later term",
            json!({"containers": [], "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchExpressions": [expr("a", "In", &["b"])]},
                {"matchFields": [name_field("NotIn", &["x"]), name_field("In", &["node-3"])]}
            ]}}}}),
            Some("node-3"),
        ),
        (
            "NotIn only",
            json!({"containers": [], "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchFields": [name_field("NotIn", &["x"])]}]}}}}),
            None,
        ),
        (
            "empty nodeName falls through",
            json!({"containers": [], "nodeName": ""}),
            None,
        ),
    ];
    for (name, spec, want) in cases {
        let pod: Pod =
            serde_json::from_value(json!({"metadata": {"name": "p"}, "spec": spec})).unwrap();
        assert_eq!(target_node_name(&pod).as_deref(), want, "{name}");
    }
    let no_spec: Pod = serde_json::from_value(json!({"metadata": {"name": "p"}})).unwrap();
    assert_eq!(target_node_name(&no_spec), None, "pod without spec");
}

#[test]
fn reason_texts() {
    let n = node("w-2", json!({"gpu": "false"}));
    let two_terms = required_affinity_mismatch(
        Some(&affinity(json!([
            {"matchExpressions": [expr("gpu", "In", &["true"])]},
            {"matchExpressions": [expr("disk", "In", &["ssd"])]}
        ]))),
        &n,
    )
    .unwrap();
    let cases: Vec<(&str, Finding, Option<&str>)> = vec![
        (
            "taint",
            Finding::UntoleratedTaint {
                key: "gpu".into(),
                value: Some("true".into()),
                effect: "NoSchedule".into(),
                taint: "gpu=true:NoSchedule".into(),
            },
            Some("untolerated taint gpu=true:NoSchedule"),
        ),
        (
            "selector, label absent",
            Finding::NodeSelectorMismatch {
                key: "disk".into(),
                wanted: "ssd".into(),
                actual: None,
            },
            Some("nodeSelector disk=ssd: node has no label disk"),
        ),
        (
            "selector, other value",
            Finding::NodeSelectorMismatch {
                key: "kubernetes.io/os".into(),
                wanted: "linux".into(),
                actual: Some("windows".into()),
            },
            Some("nodeSelector kubernetes.io/os=linux: node has kubernetes.io/os=windows"),
        ),
        (
            "affinity, one term",
            required_affinity_mismatch(
                Some(&affinity(
                    json!([{"matchExpressions": [expr("gpu", "In", &["true"])]}]),
                )),
                &node("w-1", json!({})),
            )
            .unwrap(),
            Some("required nodeAffinity: gpu In [true] (node has no label gpu)"),
        ),
        (
            "affinity, matchFields",
            required_affinity_mismatch(
                Some(&affinity(
                    json!([{"matchFields": [name_field("In", &["w-1"])]}]),
                )),
                &n,
            )
            .unwrap(),
            Some("required nodeAffinity: metadata.name In [w-1] (node is w-2)"),
        ),
        (
            "affinity, several terms",
            two_terms,
            Some(
                "required nodeAffinity: none of the 2 terms match: [0] gpu In [true] (node has gpu=false), [1] disk In [ssd] (node has no label disk)",
            ),
        ),
        (
            "affinity, no terms",
            Finding::NodeAffinityMismatch { terms: vec![] },
            Some("required nodeAffinity has no nodeSelectorTerms, so it matches no node"),
        ),
        (
            "node name",
            Finding::NodeNameMismatch {
                wanted: "w-1".into(),
            },
            Some("spec.nodeName pins the pod to node w-1"),
        ),
        ("not ours", Finding::NodeDeleting, None),
    ];
    for (name, f, want) in cases {
        assert_eq!(reason_text(&f).as_deref(), want, "{name}");
    }
    assert!(
        reason_text(&Finding::NodeCordoned).is_some_and(|t| t.contains("cordoned")),
        "cordoned"
    );
}

#[test]
fn qualified_name_validation() {
    let cases = [
        ("simple", "gpu", true),
        ("dotted prefix", "nvidia.com/gpu.product", true),
        ("space", "invalid key", false),
        ("two slashes", "a/b/c", false),
        ("empty prefix", "/gpu", false),
        ("empty name", "example.com/", false),
        ("empty", "", false),
        ("leading dash", "-gpu", false),
        ("64 characters", &"a".repeat(64), false),
        ("63 characters", &"a".repeat(63), true),
        ("uppercase name is fine", "GPU", true),
    ];
    for (name, key, ok) in cases {
        assert_eq!(validate_qualified_name(key).is_ok(), ok, "{name}");
    }
}
