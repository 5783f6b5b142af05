//! Tests of the required nodeAffinity half: matching exactly as upstream's nodeaffinity and labels
//! selector tests, affinity that never matters, and the first failing requirement per term.

use super::test_support::*;
use super::*;
use serde_json::{Value, json};

// Cases from nodeaffinity_test.go (TestNodeSelectorMatch, TestPodMatchesNodeSelectorAndAffinityTerms)
// and labels selector_test.go, on the required-affinity half.
#[test]
fn required_affinity_matches_like_upstream() {
    let cases: Vec<(&str, Value, &str, Value, bool)> = vec![
        (
            "In matches",
            json!([{"matchExpressions": [expr("foo", "In", &["bar", "value2"])]}]),
            "n",
            json!({"foo": "bar"}),
            true,
        ),
        (
            "In does not match",
            json!([{"matchExpressions": [expr("foo", "In", &["value1", "value2"])]}]),
            "n",
            json!({"foo": "bar"}),
            false,
        ),
        (
            "In with missing label",
            json!([{"matchExpressions": [expr("foo", "In", &["bar"])]}]),
            "n",
            json!({}),
            false,
        ),
        (
            "Gt compares integers (0206 > 0204)",
            json!([{"matchExpressions": [expr("kernel-version", "Gt", &["0204"])]}]),
            "n",
            json!({"kernel-version": "0206"}),
            true,
        ),
        (
            "Gt with equal value",
            json!([{"matchExpressions": [expr("v", "Gt", &["5"])]}]),
            "n",
            json!({"v": "5"}),
            false,
        ),
        (
            "Lt matches",
            json!([{"matchExpressions": [expr("v", "Lt", &["7"])]}]),
            "n",
            json!({"v": "3"}),
            true,
        ),
        (
            "Gt with non-integer node label",
            json!([{"matchExpressions": [expr("v", "Gt", &["1"])]}]),
            "n",
            json!({"v": "abc"}),
            false,
        ),
        (
            "Gt with missing label",
            json!([{"matchExpressions": [expr("v", "Gt", &["1"])]}]),
            "n",
            json!({}),
            false,
        ),
        (
            "Lt with negative node label",
            json!([{"matchExpressions": [expr("v", "Lt", &["1"])]}]),
            "n",
            json!({"v": "-4"}),
            true,
        ),
        (
            "Gt with non-integer requirement is invalid",
            json!([{"matchExpressions": [expr("v", "Gt", &["x"])]}]),
            "n",
            json!({"v": "5"}),
            false,
        ),
        (
            "Gt with two values is invalid",
            json!([{"matchExpressions": [expr("v", "Gt", &["1", "2"])]}]),
            "n",
            json!({"v": "5"}),
            false,
        ),
        (
            "Gt with a negative requirement is not a valid label value",
            json!([{"matchExpressions": [expr("v", "Gt", &["-5"])]}]),
            "n",
            json!({"v": "5"}),
            false,
        ),
        (
            "NotIn matches other value",
            json!([{"matchExpressions": [expr("mem-type", "NotIn", &["DDR", "DDR2"])]}]),
            "n",
            json!({"mem-type": "DDR3"}),
            true,
        ),
        (
            "NotIn matches missing label",
            json!([{"matchExpressions": [expr("mem-type", "NotIn", &["DDR"])]}]),
            "n",
            json!({}),
            true,
        ),
        (
            "NotIn fails on listed value",
            json!([{"matchExpressions": [expr("mem-type", "NotIn", &["DDR"])]}]),
            "n",
            json!({"mem-type": "DDR"}),
            false,
        ),
        (
            "Exists matches",
            json!([{"matchExpressions": [{"key": "GPU", "operator": "Exists"}]}]),
            "n",
            json!({"GPU": "NVIDIA-GRID-K1"}),
            true,
        ),
        (
            "Exists with values is invalid",
            json!([{"matchExpressions": [expr("GPU", "Exists", &["x"])]}]),
            "n",
            json!({"GPU": "x"}),
            false,
        ),
        (
            "DoesNotExist matches missing label",
            json!([{"matchExpressions": [{"key": "GPU", "operator": "DoesNotExist"}]}]),
            "n",
            json!({}),
            true,
        ),
        (
            "DoesNotExist fails on present label",
            json!([{"matchExpressions": [{"key": "GPU", "operator": "DoesNotExist"}]}]),
            "n",
            json!({"GPU": ""}),
            false,
        ),
        (
            "In without values is invalid",
            json!([{"matchExpressions": [{"key": "foo", "operator": "In"}]}]),
            "n",
            json!({"foo": ""}),
            false,
        ),
        (
            "unknown operator is invalid",
            json!([{"matchExpressions": [expr("foo", "Matches", &["bar"])]}]),
            "n",
            json!({"foo": "bar"}),
            false,
        ),
        (
            "invalid value sinks the term",
            json!([{"matchExpressions": [expr("foo", "NotIn", &["invalid value: ___@#$%^"])]}]),
            "n",
            json!({"foo": "bar"}),
            false,
        ),
        (
            "invalid key sinks the term",
            json!([{"matchExpressions": [expr("invalid key", "DoesNotExist", &[])]}]),
            "n",
            json!({}),
            false,
        ),
        (
            "prefixed key is valid",
            json!([{"matchExpressions": [expr("kubernetes.io/os", "In", &["linux"])]}]),
            "n",
            json!({"kubernetes.io/os": "linux"}),
            true,
        ),
        (
            "uppercase prefix is invalid",
            json!([{"matchExpressions": [expr("Example.com/os", "In", &["linux"])]}]),
            "n",
            json!({"Example.com/os": "linux"}),
            false,
        ),
        (
            "multiple expressions ANDed, all match",
            json!([{"matchExpressions": [{"key": "GPU", "operator": "Exists"}, expr("GPU", "NotIn", &["AMD", "INTER"])]}]),
            "n",
            json!({"GPU": "NVIDIA-GRID-K1"}),
            true,
        ),
        (
            "multiple expressions ANDed, one fails",
            json!([{"matchExpressions": [{"key": "GPU", "operator": "Exists"}, expr("GPU", "In", &["AMD", "INTER"])]}]),
            "n",
            json!({"GPU": "NVIDIA-GRID-K1"}),
            false,
        ),
        (
            "terms ORed, second matches",
            json!([{"matchExpressions": [expr("foo", "In", &["x"])]}, {"matchExpressions": [expr("foo", "In", &["bar"])]}]),
            "n",
            json!({"foo": "bar"}),
            true,
        ),
        (
            "nil term list matches nothing",
            Value::Null,
            "n",
            json!({"foo": "bar"}),
            false,
        ),
        (
            "empty term list matches nothing",
            json!([]),
            "n",
            json!({"foo": "bar"}),
            false,
        ),
        (
            "empty matchExpressions term matches nothing",
            json!([{"matchExpressions": []}]),
            "n",
            json!({"foo": "bar"}),
            false,
        ),
        (
            "empty term is skipped, next one matches",
            json!([{}, {"matchExpressions": [expr("foo", "In", &["bar"])]}]),
            "n",
            json!({"foo": "bar"}),
            true,
        ),
        (
            "matchFields In matches",
            json!([{"matchFields": [name_field("In", &["node_1"])]}]),
            "node_1",
            json!({}),
            true,
        ),
        (
            "matchFields In does not match",
            json!([{"matchFields": [name_field("In", &["node_1"])]}]),
            "node_2",
            json!({}),
            false,
        ),
        (
            "matchFields NotIn matches other node",
            json!([{"matchFields": [name_field("NotIn", &["node_1"])]}]),
            "node_2",
            json!({}),
            true,
        ),
        (
            "matchFields with two values is invalid",
            json!([{"matchFields": [name_field("In", &["host_1", "host_2"])]}]),
            "host_1",
            json!({}),
            false,
        ),
        (
            "matchFields Exists is invalid",
            json!([{"matchFields": [{"key": "metadata.name", "operator": "Exists"}]}]),
            "host_1",
            json!({}),
            false,
        ),
        (
            "matchFields on another field never equals",
            json!([{"matchFields": [{"key": "metadata.foo", "operator": "In", "values": ["bar"]}]}]),
            "host_1",
            json!({}),
            false,
        ),
        (
            "matchFields skipped for a node without a name",
            json!([{"matchFields": [name_field("In", &["node_1"])]}]),
            "",
            json!({}),
            true,
        ),
        (
            "two terms: matchFields fails, matchExpressions matches",
            json!([{"matchFields": [name_field("In", &["node_1"])]}, {"matchExpressions": [expr("foo", "In", &["bar"])]}]),
            "node_2",
            json!({"foo": "bar"}),
            true,
        ),
        (
            "one term: matchFields fails, matchExpressions matches",
            json!([{"matchFields": [name_field("In", &["node_1"])], "matchExpressions": [expr("foo", "In", &["bar"])]}]),
            "node_2",
            json!({"foo": "bar"}),
            false,
        ),
        (
            "one term: both match",
            json!([{"matchFields": [name_field("In", &["node_1"])], "matchExpressions": [expr("foo", "In", &["bar"])]}]),
            "node_1",
            json!({"foo": "bar"}),
            true,
        ),
        (
            "node matches field selector but not labels",
            json!([{"matchFields": [name_field("In", &["host_1"])], "matchExpressions": [expr("label_1", "In", &["label_1_val"])]}]),
            "host_1",
            json!({}),
            false,
        ),
        (
            "invalid term does not stop a later valid term",
            json!([{"matchFields": [name_field("In", &["host_1", "host_2"])]}, {"matchFields": [name_field("In", &["host_1"])]}]),
            "host_1",
            json!({}),
            true,
        ),
    ];
    for (name, terms, node_name, labels, want) in cases {
        let n = node(node_name, labels);
        let a = affinity(terms);
        assert_eq!(
            required_affinity_mismatch(Some(&a), &n).is_none(),
            want,
            "{name}"
        );
    }
}

#[test]
fn no_required_affinity_matches_every_node() {
    let n = node("n", json!({}));
    let cases: Vec<(&str, Option<Affinity>)> = vec![
        ("no affinity", None),
        ("affinity without nodeAffinity", Some(serde_json::from_value(json!({})).unwrap())),
        ("nodeAffinity without required", Some(serde_json::from_value(json!({"nodeAffinity": {}})).unwrap())),
        (
            "only preferred terms never matter",
            Some(serde_json::from_value(json!({"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 1, "preference": {"matchExpressions": [expr("foo", "In", &["bar"])]}}
            ]}}))
            .unwrap()),
        ),
    ];
    for (name, a) in cases {
        assert_eq!(required_affinity_mismatch(a.as_ref(), &n), None, "{name}");
    }
}

/// (name, terms, node name, node labels, per failing term: (index, expression, node value))
type MismatchCase = (
    &'static str,
    Value,
    &'static str,
    Value,
    Vec<(usize, &'static str, Option<&'static str>)>,
);

#[test]
fn affinity_mismatch_reports_first_failing_requirement_per_term() {
    let cases: Vec<MismatchCase> = vec![
        (
            "missing label",
            json!([{"matchExpressions": [expr("gpu", "In", &["true"])]}]),
            "w-1",
            json!({}),
            vec![(0, "gpu In [true]", None)],
        ),
        (
            "wrong value",
            json!([{"matchExpressions": [expr("gpu", "In", &["true"])]}]),
            "w-1",
            json!({"gpu": "false"}),
            vec![(0, "gpu In [true]", Some("false"))],
        ),
        (
            "first failing in spec order",
            json!([{"matchExpressions": [{"key": "a", "operator": "Exists"}, expr("z", "In", &["1", "2"]), expr("b", "In", &["x"])]}]),
            "w-1",
            json!({"a": "", "b": "y"}),
            vec![(0, "z In [1, 2]", None)],
        ),
        (
            "matchFields name",
            json!([{"matchFields": [name_field("In", &["w-1"])]}]),
            "w-2",
            json!({}),
            vec![(0, "metadata.name In [w-1]", Some("w-2"))],
        ),
        (
            "two terms",
            json!([{"matchExpressions": [expr("gpu", "In", &["true"])]}, {"matchExpressions": [{"key": "disk", "operator": "DoesNotExist"}]}]),
            "w-1",
            json!({"disk": "ssd"}),
            vec![
                (0, "gpu In [true]", None),
                (1, "disk DoesNotExist", Some("ssd")),
            ],
        ),
        (
            "empty term",
            json!([{}]),
            "w-1",
            json!({}),
            vec![(0, "(empty term: matches no node)", None)],
        ),
        ("empty term list", json!([]), "w-1", json!({}), vec![]),
        (
            "invalid requirement is named even when it would match",
            json!([{"matchExpressions": [expr("v", "Gt", &["x"])]}]),
            "w-1",
            json!({"v": "5"}),
            vec![(
                0,
                "v Gt [x] (invalid: the value of Gt and Lt must be an integer)",
                Some("5"),
            )],
        ),
    ];
    for (name, terms, node_name, labels, want) in cases {
        let got = required_affinity_mismatch(Some(&affinity(terms)), &node(node_name, labels));
        let want = Finding::NodeAffinityMismatch {
            terms: want
                .into_iter()
                .map(|(term, e, v)| AffinityTermMismatch {
                    term,
                    expression: e.to_owned(),
                    node_value: v.map(str::to_owned),
                })
                .collect(),
        };
        assert_eq!(got, Some(want), "{name}");
    }
}
