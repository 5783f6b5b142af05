//! Node selector term arithmetic for `--explain`: every requirement a node fails (the engine
//! reports only the first), the label that satisfies one, a term relaxed just enough for the node,
//! and terms written as YAML or as a `kubectl get nodes -l` selector. Pure; it decides nothing
//! about eligibility (node_affinity does).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, NodeSelectorRequirement, NodeSelectorTerm};

use super::labels::{HOSTNAME_LABEL, label};
use super::yaml::{Y, e, s};
use crate::diagnose::cluster::name;
use crate::diagnose::node_affinity::{OBJECT_NAME_FIELD, format_requirement};

/// One requirement of a term that the node fails.
pub(super) struct Failing {
    pub(super) req: NodeSelectorRequirement,
    pub(super) expression: String,
    /// A matchFields requirement (on the node's name).
    pub(super) field: bool,
    /// Rejected when the term is parsed; such a term matches no node.
    pub(super) invalid: bool,
}

/// Every requirement of `term` that `node` fails (the engine reports only the first).
// Mirrors k8s.io/apimachinery/pkg/labels/selector.go (Requirement.Matches) and
// k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go (nodeSelectorTerm.match)
pub(super) fn failing_requirements(term: &NodeSelectorTerm, node: &Node) -> Vec<Failing> {
    let exprs = term.match_expressions.as_deref().unwrap_or(&[]);
    let fields = term.match_fields.as_deref().unwrap_or(&[]);
    let mut out = Vec::new();
    if exprs.is_empty() && fields.is_empty() {
        out.push(Failing {
            req: NodeSelectorRequirement::default(),
            expression: "(empty term)".to_owned(),
            field: false,
            invalid: true,
        });
        return out;
    }
    for r in exprs {
        let values = r.values.as_deref().unwrap_or(&[]);
        let value = label(node, &r.key);
        let (ok, invalid) = match r.operator.as_str() {
            "In" => (
                value.is_some_and(|v| values.iter().any(|w| w == v)),
                values.is_empty(),
            ),
            "NotIn" => (
                value.is_none_or(|v| !values.iter().any(|w| w == v)),
                values.is_empty(),
            ),
            "Exists" => (value.is_some(), !values.is_empty()),
            "DoesNotExist" => (value.is_none(), !values.is_empty()),
            op @ ("Gt" | "Lt") => match (values, value.and_then(|v| v.parse::<i64>().ok())) {
                ([bound], actual) => match bound.parse::<i64>() {
                    Ok(b) => (
                        actual.is_some_and(|x| if op == "Gt" { x > b } else { x < b }),
                        false,
                    ),
                    Err(_) => (false, true),
                },
                _ => (false, true),
            },
            _ => (false, true),
        };
        if !ok || invalid {
            out.push(Failing {
                req: r.clone(),
                expression: format_requirement(r),
                field: false,
                invalid,
            });
        }
    }
    let node_name = name(&node.metadata);
    for r in fields {
        let values = r.values.as_deref().unwrap_or(&[]);
        let invalid = values.len() != 1 || !matches!(r.operator.as_str(), "In" | "NotIn");
        let equal =
            r.key == OBJECT_NAME_FIELD && values.first().map(String::as_str) == Some(node_name);
        let ok = if r.operator == "In" { equal } else { !equal };
        if !ok || invalid {
            out.push(Failing {
                req: r.clone(),
                expression: format_requirement(r),
                field: true,
                invalid,
            });
        }
    }
    out
}

/// The `kubectl label` argument that makes the node satisfy `r` (`key=value` or `key-`).
pub(super) fn label_to_satisfy(r: &NodeSelectorRequirement, current: Option<&str>) -> String {
    let values = r.values.as_deref().unwrap_or(&[]);
    match r.operator.as_str() {
        "In" => format!(
            "{}={}",
            r.key,
            values.first().map(String::as_str).unwrap_or("")
        ),
        "Exists" => format!("{}={}", r.key, current.unwrap_or("")),
        "Gt" => {
            let b = values
                .first()
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(0);
            format!("{}={}", r.key, b.saturating_add(1))
        }
        "Lt" => {
            let b = values
                .first()
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(0);
            format!("{}={}", r.key, b.saturating_sub(1))
        }
        // NotIn with the node's value, DoesNotExist: take the label off.
        _ => format!("{}-", r.key),
    }
}

pub(super) struct RelaxedTerm {
    pub(super) term: NodeSelectorTerm,
    /// Comments for the changed requirements, by key.
    pub(super) comments: BTreeMap<String, String>,
}

/// `term` changed as little as possible so that `node` matches it; None when nothing would be
/// left of it (an empty term matches no node, so the requirement as a whole must go).
pub(super) fn relax_term(
    term: &NodeSelectorTerm,
    fails: &[Failing],
    node: &Node,
) -> Option<RelaxedTerm> {
    let mut out = term.clone();
    let mut comments = BTreeMap::new();
    for f in fails {
        let key = f.req.key.clone();
        let list = if f.field {
            out.match_fields.get_or_insert_with(Vec::new)
        } else {
            out.match_expressions.get_or_insert_with(Vec::new)
        };
        let Some(pos) = list.iter().position(|r| r == &f.req) else {
            continue;
        };
        let current = if f.field {
            None
        } else {
            label(node, &key).map(str::to_owned)
        };
        match (f.req.operator.as_str(), current) {
            ("In", Some(v)) if !f.field => {
                list[pos].values.get_or_insert_with(Vec::new).push(v);
                comments.insert(key, format!("was: {}", f.expression));
            }
            ("NotIn", Some(v)) if !f.field => {
                let values = list[pos].values.get_or_insert_with(Vec::new);
                values.retain(|x| *x != v);
                if values.is_empty() {
                    list.remove(pos);
                } else {
                    comments.insert(key, format!("was: {}", f.expression));
                }
            }
            _ => {
                list.remove(pos);
            }
        }
    }
    if out.match_expressions.as_ref().is_some_and(Vec::is_empty) {
        out.match_expressions = None;
    }
    if out.match_fields.as_ref().is_some_and(Vec::is_empty) {
        out.match_fields = None;
    }
    if out.match_expressions.is_none() && out.match_fields.is_none() {
        return None;
    }
    Some(RelaxedTerm {
        term: out,
        comments,
    })
}

/// A term that matches exactly this node: its hostname label, as people usually write it, or its
/// name through matchFields (what the DaemonSet controller itself uses) when it has no such label.
pub(super) fn naming_term(node: &Node) -> NodeSelectorTerm {
    match label(node, HOSTNAME_LABEL) {
        Some(host) => NodeSelectorTerm {
            match_expressions: Some(vec![NodeSelectorRequirement {
                key: HOSTNAME_LABEL.to_owned(),
                operator: "In".to_owned(),
                values: Some(vec![host.to_owned()]),
            }]),
            match_fields: None,
        },
        None => NodeSelectorTerm {
            match_expressions: None,
            match_fields: Some(vec![NodeSelectorRequirement {
                key: OBJECT_NAME_FIELD.to_owned(),
                operator: "In".to_owned(),
                values: Some(vec![name(&node.metadata).to_owned()]),
            }]),
        },
    }
}

pub(super) fn added_term_yaml(t: &NodeSelectorTerm) -> Y {
    match term_yaml(t, &BTreeMap::new()) {
        Y::Map(mut m) => {
            if let Some(first) = m.first_mut() {
                first.comment = Some("added".to_owned());
            }
            Y::Map(m)
        }
        other => other,
    }
}

fn requirement_yaml(r: &NodeSelectorRequirement, comment: Option<&String>) -> Y {
    let mut key = e("key", s(&r.key));
    key.comment = comment.cloned();
    let mut m = vec![key, e("operator", s(&r.operator))];
    if let Some(v) = r.values.as_ref().filter(|v| !v.is_empty()) {
        m.push(e("values", Y::List(v.iter().map(s).collect())));
    }
    Y::Map(m)
}

pub(super) fn term_yaml(t: &NodeSelectorTerm, comments: &BTreeMap<String, String>) -> Y {
    let mut m = Vec::new();
    if let Some(x) = t.match_expressions.as_ref().filter(|x| !x.is_empty()) {
        m.push(e(
            "matchExpressions",
            Y::List(
                x.iter()
                    .map(|r| requirement_yaml(r, comments.get(&r.key)))
                    .collect(),
            ),
        ));
    }
    if let Some(x) = t.match_fields.as_ref().filter(|x| !x.is_empty()) {
        m.push(e(
            "matchFields",
            Y::List(x.iter().map(|r| requirement_yaml(r, None)).collect()),
        ));
    }
    Y::Map(m)
}

/// The term as a `kubectl get nodes -l` selector, when label selector syntax can say it.
// Mirrors k8s.io/apimachinery/pkg/labels/selector.go (Parse: in, notin, key, !key)
pub(super) fn label_selector(t: &NodeSelectorTerm) -> Option<String> {
    if t.match_fields.as_ref().is_some_and(|f| !f.is_empty()) {
        return None;
    }
    let parts: Option<Vec<String>> = t
        .match_expressions
        .iter()
        .flatten()
        .map(|r| {
            let v = r.values.as_deref().unwrap_or(&[]).join(",");
            match r.operator.as_str() {
                "In" => Some(format!("{} in ({v})", r.key)),
                "NotIn" => Some(format!("{} notin ({v})", r.key)),
                "Exists" => Some(r.key.clone()),
                "DoesNotExist" => Some(format!("!{}", r.key)),
                _ => None,
            }
        })
        .collect();
    parts.filter(|p| !p.is_empty()).map(|p| p.join(","))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::node;
    use super::*;
    use serde_json::json;

    #[test]
    fn label_selector_and_label_arguments() {
        let term: NodeSelectorTerm = serde_json::from_value(json!({"matchExpressions": [
            {"key": "a", "operator": "In", "values": ["1", "2"]},
            {"key": "b", "operator": "NotIn", "values": ["x"]},
            {"key": "c", "operator": "Exists"},
            {"key": "d", "operator": "DoesNotExist"},
        ]}))
        .unwrap();
        assert_eq!(
            label_selector(&term).as_deref(),
            Some("a in (1,2),b notin (x),c,!d")
        );
        let gt: NodeSelectorTerm = serde_json::from_value(
            json!({"matchExpressions": [{"key": "n", "operator": "Gt", "values": ["3"]}]}),
        )
        .unwrap();
        assert_eq!(label_selector(&gt), None, "Gt has no label selector form");

        let req = |op: &str, values: &[&str]| NodeSelectorRequirement {
            key: "k".into(),
            operator: op.into(),
            values: Some(values.iter().map(|v| v.to_string()).collect()),
        };
        let cases = [
            (
                "In takes the first value",
                req("In", &["a", "b"]),
                None,
                "k=a",
            ),
            (
                "Exists keeps a present value",
                req("Exists", &[]),
                Some("v"),
                "k=v",
            ),
            ("Exists adds an empty value", req("Exists", &[]), None, "k="),
            ("NotIn removes", req("NotIn", &["v"]), Some("v"), "k-"),
            (
                "DoesNotExist removes",
                req("DoesNotExist", &[]),
                Some("v"),
                "k-",
            ),
            ("Gt goes one above", req("Gt", &["3"]), Some("1"), "k=4"),
            ("Lt goes one below", req("Lt", &["3"]), Some("9"), "k=2"),
        ];
        for (name, r, current, want) in cases {
            assert_eq!(label_to_satisfy(&r, current), want, "{name}");
        }
    }

    #[test]
    fn failing_requirements_lists_every_one() {
        let n = node(
            "w-1",
            json!({"a": "1", "n": "5"}),
            json!([]),
            json!({}),
            "True",
        );
        let term: NodeSelectorTerm = serde_json::from_value(json!({
            "matchExpressions": [
                {"key": "a", "operator": "In", "values": ["2"]},
                {"key": "n", "operator": "Gt", "values": ["3"]},
                {"key": "b", "operator": "Exists"},
                {"key": "bad", "operator": "In", "values": []},
            ],
            "matchFields": [{"key": "metadata.name", "operator": "In", "values": ["w-2"]}],
        }))
        .unwrap();
        let got: Vec<(String, bool, bool)> = failing_requirements(&term, &n)
            .into_iter()
            .map(|f| (f.expression, f.field, f.invalid))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a In [2]".to_owned(), false, false),
                ("b Exists".to_owned(), false, false),
                ("bad In []".to_owned(), false, true),
                ("metadata.name In [w-2]".to_owned(), true, false),
            ]
        );
    }
}
