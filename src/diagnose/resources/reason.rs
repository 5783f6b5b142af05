//! The sentences users read for the fit's findings: "Too many pods" and "Insufficient <resource>"
//! with what the pod asks and what the node has left. Wording only; decides nothing.

use crate::report::Finding;

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The sentence users read for a finding this module produces; None for any other finding.
pub fn reason_text(f: &Finding) -> Option<String> {
    match f {
        Finding::TooManyPods {
            allocatable,
            pods_on_node,
        } => Some(format!(
            "Too many pods: node allows {allocatable} {} and already runs {pods_on_node}",
            if *allocatable == 1 { "pod" } else { "pods" }
        )),
        Finding::InsufficientResource {
            resource,
            requested,
            allocatable,
            already_requested,
            pods_on_node,
        } => {
            let already = if *pods_on_node == 0 {
                "none already requested".to_string()
            } else {
                format!(
                    "{already_requested} already requested by {}",
                    plural(*pods_on_node, "pod")
                )
            };
            Some(format!(
                "Insufficient {resource}: pod requests {requested}, node allocatable {allocatable}, {already}"
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;

    #[test]
    fn reason_texts() {
        let cases: Vec<(&str, Finding, Option<&str>)> = vec![
            (
                "insufficient cpu",
                insufficient("cpu", "1", "500m", "300m", 4),
                Some(
                    "Insufficient cpu: pod requests 1, node allocatable 500m, 300m already requested by 4 pods",
                ),
            ),
            (
                "one pod",
                insufficient("memory", "1Gi", "512Mi", "16Mi", 1),
                Some(
                    "Insufficient memory: pod requests 1Gi, node allocatable 512Mi, 16Mi already requested by 1 pod",
                ),
            ),
            (
                "nothing requested yet",
                insufficient("nvidia.com/gpu", "1", "0", "0", 0),
                Some(
                    "Insufficient nvidia.com/gpu: pod requests 1, node allocatable 0, none already requested",
                ),
            ),
            (
                "too many pods",
                Finding::TooManyPods {
                    allocatable: 110,
                    pods_on_node: 110,
                },
                Some("Too many pods: node allows 110 pods and already runs 110"),
            ),
            (
                "one pod allowed",
                Finding::TooManyPods {
                    allocatable: 1,
                    pods_on_node: 1,
                },
                Some("Too many pods: node allows 1 pod and already runs 1"),
            ),
            ("other finding", Finding::NodeCordoned, None),
        ];
        for (name, f, want) in cases {
            assert_eq!(reason_text(&f).as_deref(), want, "case {name}");
        }
    }
}
