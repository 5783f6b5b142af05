//! Which LISTs an answer needs: each DaemonSet's pods by its own selector or one wide pod LIST, and the
//! pods of nodes where a daemon pod waits per node or in one wide LIST. Pure decisions, no I/O.

use k8s_openapi::api::apps::v1::DaemonSet;

use super::select::label_selector_string;
use crate::diagnose::cluster::selects_everything;

/// Above this many distinct selector LISTs, coverage lists pods once instead. Each selector LIST is a
/// round trip and a server-side pass over the namespace's pods (the apiserver's watch cache has no label
/// index), so hundreds of them cost the server more than one paginated LIST of every pod.
pub(super) const MAX_SELECTOR_LISTS: usize = 50;

/// How coverage finds the pods its DaemonSets claim.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum DaemonPodLists {
    /// One LIST per distinct (namespace, labelSelector), in that order.
    BySelector(Vec<(String, String)>),
    /// One LIST of every pod in scope, for the reason given (logged).
    Wide(String),
}

/// Per-DaemonSet selector LISTs, unless a selector cannot be sent to the server or there are too many.
/// A DaemonSet that selects everything is skipped: the controller refuses to sync it and claims nothing.
pub(super) fn daemon_pod_lists(daemonsets: &[DaemonSet]) -> DaemonPodLists {
    let mut lists: Vec<(String, String)> = Vec::new();
    for ds in daemonsets {
        if selects_everything(&ds.spec.selector) {
            continue;
        }
        let namespace = ds.metadata.namespace.clone().unwrap_or_default();
        let Some(selector) = label_selector_string(&ds.spec.selector) else {
            return DaemonPodLists::Wide(format!(
                "the selector of daemonset {namespace}/{} cannot be sent as a labelSelector",
                ds.metadata.name.as_deref().unwrap_or("")
            ));
        };
        let list = (namespace, selector);
        if !lists.contains(&list) {
            lists.push(list);
        }
    }
    if lists.len() > MAX_SELECTOR_LISTS {
        return DaemonPodLists::Wide(format!(
            "{} selector LISTs would be needed (more than {MAX_SELECTOR_LISTS})",
            lists.len()
        ));
    }
    DaemonPodLists::BySelector(lists)
}

/// Whether the pods of `pending` nodes (out of `total`) are better read in one wide LIST than one
/// field-selected LIST per node. A per-node LIST is served from the apiserver's spec.nodeName index and
/// carries only that node's pods, so until half the nodes are wanted the per-node LISTs move at most half
/// the bytes of the wide one; beyond that they move nearly as much and add a round trip per node.
pub(super) fn node_pods_wide(pending: usize, total: usize) -> bool {
    pending * 2 > total
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn ds(ns: &str, name: &str, selector: Value) -> DaemonSet {
        serde_json::from_value(json!({
            "metadata": {"namespace": ns, "name": name},
            "spec": {"selector": selector, "template": {}}
        }))
        .expect("daemonset")
    }

    fn by_selector(lists: &[(&str, &str)]) -> DaemonPodLists {
        DaemonPodLists::BySelector(
            lists
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string()))
                .collect(),
        )
    }

    #[test]
    fn one_list_per_distinct_selector_and_namespace() {
        let sets = [
            ds("a", "x", json!({"matchLabels": {"app": "x"}})),
            ds("a", "x2", json!({"matchLabels": {"app": "x"}})),
            ds("b", "x", json!({"matchLabels": {"app": "x"}})),
            ds("b", "everything", json!({})),
            ds(
                "b",
                "y",
                json!({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["b", "a"]}]}),
            ),
        ];
        assert_eq!(
            daemon_pod_lists(&sets),
            by_selector(&[("a", "app=x"), ("b", "app=x"), ("b", "tier in (a,b)")])
        );
    }

    #[test]
    fn wide_when_a_selector_cannot_be_sent_or_too_many_are_needed() {
        let bad = ds(
            "a",
            "bad",
            json!({"matchExpressions": [{"key": "k", "operator": "Gt", "values": ["1"]}]}),
        );
        assert!(
            matches!(daemon_pod_lists(&[bad]), DaemonPodLists::Wide(why) if why.contains("a/bad"))
        );

        let many: Vec<DaemonSet> = (0..=MAX_SELECTOR_LISTS)
            .map(|i| {
                ds(
                    "a",
                    &format!("d{i}"),
                    json!({"matchLabels": {"app": format!("d{i}")}}),
                )
            })
            .collect();
        assert!(matches!(daemon_pod_lists(&many), DaemonPodLists::Wide(_)));
        assert!(matches!(
            daemon_pod_lists(&many[..MAX_SELECTOR_LISTS]),
            DaemonPodLists::BySelector(l) if l.len() == MAX_SELECTOR_LISTS
        ));
    }

    #[test]
    fn node_pods_go_wide_past_half_the_nodes() {
        let cases = [
            (1, 10, false),
            (5, 10, false),
            (6, 10, true),
            (1000, 2000, false),
            (1001, 2000, true),
        ];
        for (pending, total, wide) in cases {
            assert_eq!(node_pods_wide(pending, total), wide, "{pending} of {total}");
        }
    }
}
