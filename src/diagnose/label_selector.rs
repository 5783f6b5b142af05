//! metav1.LabelSelector as the API machinery reads it: converted to kube-core's `Selector` (whose
//! matching follows apimachinery's Requirement.Matches) with the checks kube-core leaves out.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::core::{Expression, Selector, SelectorExt};

/// The selector, or why apimachinery refuses it. Requirements come sorted by key, as
/// `labels.Selector.String()` prints them.
// Mirrors k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector) and
// k8s.io/apimachinery/pkg/labels/selector.go (NewRequirement: In/NotIn need values, Exists and
// DoesNotExist take none; kube-core accepts both mistakes).
pub fn as_selector(sel: &LabelSelector) -> Result<Selector, String> {
    for e in sel.match_expressions.iter().flatten() {
        let values = e.values.as_deref().unwrap_or_default();
        match e.operator.as_str() {
            "In" | "NotIn" if values.is_empty() => {
                return Err(format!(
                    "{} {}: values set can't be empty",
                    e.key, e.operator
                ));
            }
            "Exists" | "DoesNotExist" if !values.is_empty() => {
                return Err(format!(
                    "{} {}: values set must be empty",
                    e.key, e.operator
                ));
            }
            _ => {}
        }
    }
    let selector = Selector::try_from(sel.clone()).map_err(|e| e.to_string())?;
    let mut exprs: Vec<Expression> = selector.into_iter().collect();
    exprs.sort_by(|a, b| key(a).cmp(key(b)));
    Ok(exprs.into_iter().collect())
}

/// Whether `labels` satisfy `selector`. No selector selects nothing, an empty one everything, and one
/// apimachinery refuses selects nothing (the controller cannot list with it).
pub fn matches(
    selector: Option<&LabelSelector>,
    labels: Option<&BTreeMap<String, String>>,
) -> bool {
    let empty = BTreeMap::new();
    selector
        .and_then(|s| as_selector(s).ok())
        .is_some_and(|s| s.matches(labels.unwrap_or(&empty)))
}

fn key(e: &Expression) -> &str {
    match e {
        Expression::In(k, _)
        | Expression::NotIn(k, _)
        | Expression::Equal(k, _)
        | Expression::NotEqual(k, _)
        | Expression::Exists(k)
        | Expression::DoesNotExist(k) => k,
    }
}
