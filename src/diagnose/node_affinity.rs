//! Required node placement: a pod's nodeSelector and required nodeAffinity against a node, the
//! target node of a daemon pod, and the sentences for placement findings. Pure; no I/O.
//! Preferred (soft) affinity never decides eligibility or scheduling, so it is ignored here.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Affinity, Node, NodeSelectorRequirement, NodeSelectorTerm, Pod};

use crate::report::{AffinityTermMismatch, Finding};

/// The only field a matchFields requirement can name (API validation refuses others).
pub const OBJECT_NAME_FIELD: &str = "metadata.name";

fn node_name(node: &Node) -> &str {
    node.metadata.name.as_deref().unwrap_or("")
}

fn node_label<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(key))
        .map(String::as_str)
}

/// One finding per nodeSelector entry the node does not carry with exactly that value.
/// An empty selector matches every node.
// Mirrors k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go (GetRequiredNodeAffinity:
// labels.SelectorFromSet, which does no validation and requires each key to equal its value)
pub fn node_selector_mismatches(selector: &BTreeMap<String, String>, node: &Node) -> Vec<Finding> {
    selector
        .iter()
        .filter_map(|(key, wanted)| {
            let actual = node_label(node, key);
            (actual != Some(wanted.as_str())).then(|| Finding::NodeSelectorMismatch {
                key: key.clone(),
                wanted: wanted.clone(),
                actual: actual.map(str::to_owned),
            })
        })
        .collect()
}

/// None when the node satisfies the required nodeAffinity (or there is none); otherwise why each
/// term fails. Terms are ORed, requirements within a term ANDed. A term with no requirements,
/// a term with any invalid requirement, and an empty term list all match no node.
// Mirrors k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go (LazyErrorNodeSelector.Match;
// parse errors are ignored by both the DaemonSet controller and the NodeAffinity filter, so an invalid term
// simply does not match)
pub fn required_affinity_mismatch(affinity: Option<&Affinity>, node: &Node) -> Option<Finding> {
    let required = affinity?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?;
    let mut terms = Vec::with_capacity(required.node_selector_terms.len());
    for (i, term) in required.node_selector_terms.iter().enumerate() {
        match term_mismatch(term, node) {
            None => return None,
            Some((expression, node_value)) => terms.push(AffinityTermMismatch {
                term: i,
                expression,
                node_value,
            }),
        }
    }
    Some(Finding::NodeAffinityMismatch { terms })
}

fn values(r: &NodeSelectorRequirement) -> &[String] {
    r.values.as_deref().unwrap_or(&[])
}

/// `key Operator [v1, v2]`, or `key Operator` for operators that take no values.
pub fn format_requirement(r: &NodeSelectorRequirement) -> String {
    let v = values(r);
    if v.is_empty() && matches!(r.operator.as_str(), "Exists" | "DoesNotExist") {
        format!("{} {}", r.key, r.operator)
    } else {
        format!("{} {} [{}]", r.key, r.operator, v.join(", "))
    }
}

/// Why one term fails (the first offending requirement and the node's value for its key), or
/// None when it matches.
// Mirrors nodeaffinity.go (newNodeSelectorTerm, nodeSelectorTerm.match)
fn term_mismatch(term: &NodeSelectorTerm, node: &Node) -> Option<(String, Option<String>)> {
    let exprs = term.match_expressions.as_deref().unwrap_or(&[]);
    let fields = term.match_fields.as_deref().unwrap_or(&[]);
    if exprs.is_empty() && fields.is_empty() {
        // nil or empty term selects no objects
        return Some(("(empty term: matches no node)".to_owned(), None));
    }
    // A term is parsed whole before matching: one invalid requirement sinks the term.
    for r in exprs {
        if let Err(why) = validate_label_requirement(r) {
            let expr = format!("{} (invalid: {why})", format_requirement(r));
            return Some((expr, node_label(node, &r.key).map(str::to_owned)));
        }
    }
    for r in fields {
        if let Err(why) = validate_field_requirement(r) {
            let expr = format!("{} (invalid: {why})", format_requirement(r));
            return Some((expr, field_value(node, &r.key)));
        }
    }
    for r in exprs {
        let value = node_label(node, &r.key);
        if !label_requirement_matches(r, value) {
            return Some((format_requirement(r), value.map(str::to_owned)));
        }
    }
    // Upstream only consults matchFields when the node has a name (extractNodeFields is then empty).
    let name = node_name(node);
    if !name.is_empty() {
        for r in fields {
            let actual = field_value(node, &r.key);
            let wanted = values(r).first().map(String::as_str).unwrap_or("");
            // fields.Set.Get yields "" for a field the node does not expose.
            let equal = actual.as_deref().unwrap_or("") == wanted;
            let ok = if r.operator == "In" { equal } else { !equal };
            if !ok {
                return Some((format_requirement(r), actual));
            }
        }
    }
    None
}

fn field_value(node: &Node, key: &str) -> Option<String> {
    let name = node_name(node);
    (key == OBJECT_NAME_FIELD && !name.is_empty()).then(|| name.to_owned())
}

// Mirrors k8s.io/apimachinery/pkg/labels/selector.go (Requirement.Matches)
fn label_requirement_matches(r: &NodeSelectorRequirement, value: Option<&str>) -> bool {
    let v = values(r);
    match r.operator.as_str() {
        "In" => value.is_some_and(|x| v.iter().any(|w| w == x)),
        "NotIn" => value.is_none_or(|x| !v.iter().any(|w| w == x)),
        "Exists" => value.is_some(),
        "DoesNotExist" => value.is_none(),
        op @ ("Gt" | "Lt") => {
            // Go's strconv.ParseInt(s, 10, 64) and Rust's i64 parsing accept the same strings.
            let (Some(actual), Some(Ok(bound))) = (
                value.and_then(|x| x.parse::<i64>().ok()),
                v.first().map(|b| b.parse::<i64>()),
            ) else {
                return false;
            };
            if op == "Gt" {
                actual > bound
            } else {
                actual < bound
            }
        }
        _ => false,
    }
}

/// Why a matchExpressions requirement is rejected when the term is parsed.
// Mirrors nodeaffinity.go (nodeSelectorRequirementsAsSelector) and labels/selector.go (NewRequirement)
fn validate_label_requirement(r: &NodeSelectorRequirement) -> Result<(), String> {
    let v = values(r);
    match r.operator.as_str() {
        "In" | "NotIn" if v.is_empty() => {
            return Err("values set can't be empty for In and NotIn".to_owned());
        }
        "In" | "NotIn" => {}
        "Exists" | "DoesNotExist" if !v.is_empty() => {
            return Err("values set must be empty for Exists and DoesNotExist".to_owned());
        }
        "Exists" | "DoesNotExist" => {}
        "Gt" | "Lt" => {
            if v.len() != 1 {
                return Err("Gt and Lt need exactly one value".to_owned());
            }
            if v.iter().any(|x| x.parse::<i64>().is_err()) {
                return Err("the value of Gt and Lt must be an integer".to_owned());
            }
        }
        other => return Err(format!("unsupported operator {other:?}")),
    }
    if let Err(why) = validate_qualified_name(&r.key) {
        return Err(format!("key {:?}: {why}", r.key));
    }
    if let Some(bad) = v.iter().find(|x| !is_valid_label_value(x)) {
        return Err(format!("{bad:?} is not a valid label value"));
    }
    Ok(())
}

/// matchFields accepts In and NotIn with exactly one value; neither key nor value is validated here.
// Mirrors nodeaffinity.go (nodeSelectorRequirementsAsFieldSelector)
fn validate_field_requirement(r: &NodeSelectorRequirement) -> Result<(), String> {
    match r.operator.as_str() {
        "In" | "NotIn" if values(r).len() == 1 => Ok(()),
        "In" | "NotIn" => Err("must have one element".to_owned()),
        other => Err(format!("unsupported operator {other:?} for matchFields")),
    }
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
fn is_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) => {
            is_alnum(f)
                && is_alnum(l)
                && b.iter()
                    .all(|&c| is_alnum(c) || matches!(c, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*`, at most 253 characters.
fn is_dns1123_subdomain(s: &str) -> bool {
    let lower_alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    s.len() <= 253
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            match (b.first(), b.last()) {
                (Some(&f), Some(&l)) => {
                    lower_alnum(f)
                        && lower_alnum(l)
                        && b.iter().all(|&c| lower_alnum(c) || c == b'-')
                }
                _ => false,
            }
        })
}

// Mirrors k8s.io/apimachinery/pkg/util/validation/validation.go (IsQualifiedName)
fn validate_qualified_name(key: &str) -> Result<(), &'static str> {
    let mut parts = key.split('/');
    let (prefix, name) = match (parts.next(), parts.next(), parts.next()) {
        (Some(name), None, None) => (None, name),
        (Some(prefix), Some(name), None) => (Some(prefix), name),
        _ => return Err("a qualified name has at most one '/'"),
    };
    match prefix {
        Some("") => return Err("prefix part must be non-empty"),
        Some(p) if !is_dns1123_subdomain(p) => {
            return Err("prefix part must be a lowercase DNS subdomain");
        }
        _ => {}
    }
    if name.is_empty() {
        return Err("name part must be non-empty");
    }
    if name.len() > 63 {
        return Err("name part must be no more than 63 characters");
    }
    if !is_qualified_name_part(name) {
        return Err(
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        );
    }
    Ok(())
}

// Mirrors k8s.io/apimachinery/pkg/util/validation/validation.go (IsValidLabelValue)
fn is_valid_label_value(v: &str) -> bool {
    v.is_empty() || (v.len() <= 63 && is_qualified_name_part(v))
}

/// The node a daemon pod is for: spec.nodeName once bound, else the single value of the first
/// `metadata.name In [x]` matchFields requirement the controller puts on every pod it creates.
/// None when neither is there, or when that requirement does not name exactly one node.
// Mirrors pkg/controller/daemon/util/daemonset_util.go (GetTargetNodeName)
pub fn target_node_name(pod: &Pod) -> Option<String> {
    let spec = pod.spec.as_ref()?;
    if let Some(name) = spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        return Some(name.to_owned());
    }
    let required = spec
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?;
    for term in &required.node_selector_terms {
        for r in term.match_fields.as_deref().unwrap_or(&[]) {
            if r.key == OBJECT_NAME_FIELD && r.operator == "In" {
                // Upstream gives up (an error) rather than looking further.
                return match values(r) {
                    [only] => Some(only.clone()),
                    _ => None,
                };
            }
        }
    }
    None
}

fn term_text(t: &AffinityTermMismatch) -> String {
    let key = t.expression.split(' ').next().unwrap_or("");
    match (&t.node_value, key) {
        _ if t.expression.starts_with('(') => t.expression.clone(),
        (Some(v), OBJECT_NAME_FIELD) => format!("{} (node is {v})", t.expression),
        // A matchFields requirement only fails on a node with a name (upstream skips matchFields
        // otherwise), so no value here means a matchExpressions requirement on a missing label.
        (None, OBJECT_NAME_FIELD) => {
            format!("{} (node has no label {OBJECT_NAME_FIELD})", t.expression)
        }
        (Some(v), k) => format!("{} (node has {k}={v})", t.expression),
        (None, k) => format!("{} (node has no label {k})", t.expression),
    }
}

/// A sentence for the placement findings this module and the eligibility rules produce
/// (untolerated taint, nodeSelector, nodeAffinity, nodeName, cordoned); None for other kinds.
pub fn reason_text(f: &Finding) -> Option<String> {
    Some(match f {
        Finding::UntoleratedTaint { taint, .. } => format!("untolerated taint {taint}"),
        Finding::NodeSelectorMismatch {
            key,
            wanted,
            actual: None,
        } => format!("nodeSelector {key}={wanted}: node has no label {key}"),
        Finding::NodeSelectorMismatch {
            key,
            wanted,
            actual: Some(actual),
        } => format!("nodeSelector {key}={wanted}: node has {key}={actual}"),
        Finding::NodeAffinityMismatch { terms } => match terms.as_slice() {
            [] => {
                "required nodeAffinity has no nodeSelectorTerms, so it matches no node".to_owned()
            }
            [only] => format!("required nodeAffinity: {}", term_text(only)),
            many => format!(
                "required nodeAffinity: none of the {} terms match: {}",
                many.len(),
                many.iter()
                    .map(|t| format!("[{}] {}", t.term, term_text(t)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
        Finding::NodeNameMismatch { wanted } => {
            format!("spec.nodeName pins the pod to node {wanted}")
        }
        Finding::NodeCordoned => "node is cordoned (spec.unschedulable): only pods tolerating \
             node.kubernetes.io/unschedulable:NoSchedule are scheduled there"
            .to_owned(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn node(name: &str, labels: Value) -> Node {
        serde_json::from_value(json!({"metadata": {"name": name, "labels": labels}})).unwrap()
    }

    fn affinity(terms: Value) -> Affinity {
        serde_json::from_value(json!({"nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}
        }}))
        .unwrap()
    }

    fn expr(key: &str, op: &str, values: &[&str]) -> Value {
        json!({"key": key, "operator": op, "values": values})
    }

    fn name_field(op: &str, values: &[&str]) -> Value {
        json!({"key": "metadata.name", "operator": op, "values": values})
    }

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
}
