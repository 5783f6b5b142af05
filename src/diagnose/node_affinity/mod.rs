//! Required node placement: a pod's nodeSelector and required nodeAffinity against a node, the
//! target node of a daemon pod, and the sentences for placement findings. Pure; no I/O.
//! Preferred (soft) affinity never decides eligibility or scheduling, so it is ignored here.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Affinity, Node, NodeSelectorRequirement, NodeSelectorTerm};

use crate::report::{AffinityTermMismatch, Finding};
use crate::snapshot::pod::Pod;

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
mod required_affinity_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
