//! What a live answer reads after the first LISTs: events about DaemonSets with gaps and about pods
//! that are not ready, and the pods on nodes where a daemon pod waits to be scheduled (to sum what is
//! already requested there). Guessed from the objects before judging, so those reads go out at once;
//! the verdicts then say exactly what was needed, and only what the guess missed is read after.

use std::collections::{BTreeSet, HashMap};

use k8s_openapi::api::apps::v1::DaemonSet;

use crate::diagnose::cluster::{controller_ref, name};
use crate::diagnose::node_affinity::target_node_name;
use crate::diagnose::pod_state::is_pod_ready;
use crate::report::{DaemonSetReport, NodeStatus};
use crate::snapshot::Snapshot;

/// (namespace, name) of DaemonSets and pods, and node names.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Needs {
    /// DaemonSets whose events are read: those with an eligible node not Running.
    pub daemonsets: BTreeSet<(String, String)>,
    /// Pods whose events are read: those not Ready.
    pub pods: BTreeSet<(String, String)>,
    /// Nodes whose pods are read: those a daemon pod waits to be scheduled on.
    pub nodes: BTreeSet<String>,
}

impl Needs {
    /// What the verdicts show is needed: the same test `why` and `coverage` make of each report.
    pub fn of(report: &DaemonSetReport) -> Needs {
        let mut needs = Needs::default();
        let gaps = report
            .nodes
            .iter()
            .any(|n| n.status != NodeStatus::Running && n.status != NodeStatus::Ineligible);
        if !gaps {
            return needs;
        }
        needs
            .daemonsets
            .insert((report.namespace.clone(), report.name.clone()));
        for n in &report.nodes {
            for p in &n.pods {
                if !p.ready {
                    needs
                        .pods
                        .insert((report.namespace.clone(), p.name.clone()));
                }
                if !p.bound {
                    needs.nodes.insert(n.node.clone());
                }
            }
        }
        needs
    }

    /// A guess from the objects alone, before any judging: each DaemonSet's own pods that are not
    /// Ready or not bound, and DaemonSets whose status or pods show a gap. What it misses (a node
    /// with no pod where the controller's status does not show it, a pod adopted by labels) the
    /// verdicts reveal, and it is read then.
    pub fn guess(snapshot: &Snapshot) -> Needs {
        let mut needs = Needs::default();
        let by_uid: HashMap<&str, &DaemonSet> = snapshot
            .daemonsets
            .iter()
            .filter_map(|d| Some((d.metadata.uid.as_deref()?, d)))
            .collect();
        for pod in &snapshot.pods {
            let Some(ds) = controller_ref(&pod.metadata).and_then(|o| by_uid.get(o.uid.as_str()))
            else {
                continue;
            };
            let ns = ds.metadata.namespace.clone().unwrap_or_default();
            let bound = pod
                .spec
                .as_ref()
                .and_then(|s| s.node_name.as_deref())
                .is_some_and(|n| !n.is_empty());
            let ready = is_pod_ready(pod);
            if !ready {
                needs
                    .pods
                    .insert((ns.clone(), name(&pod.metadata).to_string()));
            }
            if !bound && let Some(node) = target_node_name(pod) {
                needs.nodes.insert(node);
            }
            if !ready || !bound {
                needs
                    .daemonsets
                    .insert((ns, name(&ds.metadata).to_string()));
            }
        }
        for ds in &snapshot.daemonsets {
            if status_shows_gap(ds) {
                needs.daemonsets.insert((
                    ds.metadata.namespace.clone().unwrap_or_default(),
                    name(&ds.metadata).to_string(),
                ));
            }
        }
        needs
    }

    /// What is in `self` and not in `read`.
    pub fn minus(&self, read: &Needs) -> Needs {
        Needs {
            daemonsets: self
                .daemonsets
                .difference(&read.daemonsets)
                .cloned()
                .collect(),
            pods: self.pods.difference(&read.pods).cloned().collect(),
            nodes: self.nodes.difference(&read.nodes).cloned().collect(),
        }
    }

    pub fn extend(&mut self, other: Needs) {
        self.daemonsets.extend(other.daemonsets);
        self.pods.extend(other.pods);
        self.nodes.extend(other.nodes);
    }

    pub fn is_empty(&self) -> bool {
        self.daemonsets.is_empty() && self.pods.is_empty() && self.nodes.is_empty()
    }
}

/// (namespace, name) of the DaemonSets that may claim a pod added at `snapshot.pods[from..]` (one it
/// controls but no longer selects, read among a node's pods, or an orphan in its namespace): their
/// reports must be judged again with it.
pub(crate) fn claimants(snapshot: &Snapshot, from: usize) -> BTreeSet<(String, String)> {
    let mut owners = BTreeSet::new();
    let mut orphan_namespaces = BTreeSet::new();
    for pod in &snapshot.pods[from..] {
        match controller_ref(&pod.metadata) {
            Some(owner) => owners.insert(owner.uid.as_str()),
            None => orphan_namespaces.insert(pod.metadata.namespace.as_deref().unwrap_or("")),
        };
    }
    snapshot
        .daemonsets
        .iter()
        .filter(|ds| {
            let owns = ds
                .metadata
                .uid
                .as_deref()
                .is_some_and(|uid| owners.contains(uid));
            owns || orphan_namespaces.contains(ds.metadata.namespace.as_deref().unwrap_or(""))
        })
        .map(|ds| {
            (
                ds.metadata.namespace.clone().unwrap_or_default(),
                name(&ds.metadata).to_string(),
            )
        })
        .collect()
}

/// The controller's own counts show a node without an available pod, a pod where none should be, or
/// a rollout under way (or the controller has not caught up with the spec).
fn status_shows_gap(ds: &DaemonSet) -> bool {
    let Some(s) = &ds.status else {
        return true;
    };
    let desired = s.desired_number_scheduled;
    s.current_number_scheduled != desired
        || s.number_ready != desired
        || s.number_misscheduled != 0
        || s.number_unavailable.unwrap_or(0) != 0
        || s.updated_number_scheduled.is_some_and(|u| u != desired)
        || s.observed_generation != ds.metadata.generation
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn ds(status: Value) -> DaemonSet {
        serde_json::from_value(json!({
            "metadata": {"namespace": "ns", "name": "agent", "uid": "ds-uid", "generation": 2},
            "spec": {"selector": {"matchLabels": {"app": "agent"}}, "template": {}},
            "status": status,
        }))
        .unwrap()
    }

    fn healthy() -> Value {
        json!({"desiredNumberScheduled": 2, "currentNumberScheduled": 2, "numberReady": 2,
            "numberMisscheduled": 0, "updatedNumberScheduled": 2, "numberAvailable": 2,
            "observedGeneration": 2})
    }

    fn pod(name: &str, node: Option<&str>, ready: bool, owner: &str) -> crate::snapshot::Pod {
        serde_json::from_value(json!({
            "metadata": {"namespace": "ns", "name": name, "ownerReferences": [
                {"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "uid": owner, "controller": true}]},
            "spec": {"nodeName": node, "containers": [{"name": "c"}], "affinity": {"nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchFields": [
                    {"key": "metadata.name", "operator": "In", "values": ["n-2"]}]}]}}}},
            "status": {"conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]},
        }))
        .unwrap()
    }

    fn set(items: &[&str]) -> BTreeSet<(String, String)> {
        items
            .iter()
            .map(|n| ("ns".to_string(), n.to_string()))
            .collect()
    }

    #[test]
    fn the_guess_reads_what_pods_and_status_show() {
        let healthy_ds = ds(healthy());
        let cases = [
            (
                "all ready and bound, status clean",
                healthy_ds.clone(),
                vec![pod("a", Some("n-1"), true, "ds-uid")],
                Needs::default(),
            ),
            (
                "a pod not ready: its events and the DaemonSet's",
                healthy_ds.clone(),
                vec![pod("a", Some("n-1"), false, "ds-uid")],
                Needs {
                    daemonsets: set(&["agent"]),
                    pods: set(&["a"]),
                    nodes: BTreeSet::new(),
                },
            ),
            (
                "a pod waiting to be scheduled: the pods on its target node too",
                healthy_ds.clone(),
                vec![pod("a", None, false, "ds-uid")],
                Needs {
                    daemonsets: set(&["agent"]),
                    pods: set(&["a"]),
                    nodes: ["n-2".to_string()].into(),
                },
            ),
            (
                "another controller's pod is not ours to explain",
                healthy_ds,
                vec![pod("a", None, false, "other")],
                Needs::default(),
            ),
            (
                "status short of desired: the DaemonSet's events (FailedCreate)",
                ds(
                    json!({"desiredNumberScheduled": 2, "currentNumberScheduled": 1, "numberReady": 1,
                    "numberMisscheduled": 0, "observedGeneration": 2}),
                ),
                vec![],
                Needs {
                    daemonsets: set(&["agent"]),
                    ..Needs::default()
                },
            ),
            (
                "no status yet",
                ds(Value::Null),
                vec![],
                Needs {
                    daemonsets: set(&["agent"]),
                    ..Needs::default()
                },
            ),
        ];
        for (case, ds, pods, want) in cases {
            let snapshot = Snapshot {
                daemonsets: vec![ds],
                pods,
                ..Snapshot::default()
            };
            assert_eq!(Needs::guess(&snapshot), want, "{case}");
        }
    }

    #[test]
    fn a_pod_read_later_makes_stale_the_daemonsets_that_may_claim_it() {
        let ds = |ns: &str, name: &str| -> DaemonSet {
            serde_json::from_value(
                json!({"metadata": {"namespace": ns, "name": name, "uid": format!("uid-{name}")},
                "spec": {"selector": {"matchLabels": {"app": name}}, "template": {}}}),
            )
            .unwrap()
        };
        let pod = |ns: &str, owner: Option<(&str, &str)>| -> crate::snapshot::Pod {
            let owners = owner.map(|(kind, uid)| json!([{"apiVersion": "apps/v1", "kind": kind, "name": "o", "uid": uid, "controller": true}]));
            serde_json::from_value(
                json!({"metadata": {"namespace": ns, "name": "p", "ownerReferences": owners}}),
            )
            .unwrap()
        };
        let cases = [
            (
                "controlled by a, no longer selected",
                "x",
                Some(("DaemonSet", "uid-a")),
                vec!["a"],
            ),
            (
                "an orphan in x: any DaemonSet of x may adopt it",
                "x",
                None,
                vec!["a", "b"],
            ),
            ("an orphan elsewhere", "y", None, vec![]),
            (
                "controlled by a ReplicaSet",
                "x",
                Some(("ReplicaSet", "uid-rs")),
                vec![],
            ),
        ];
        for (case, ns, owner, want) in cases {
            let snapshot = Snapshot {
                daemonsets: vec![ds("x", "a"), ds("x", "b"), ds("z", "c")],
                pods: vec![pod("x", Some(("DaemonSet", "uid-c"))), pod(ns, owner)],
                ..Snapshot::default()
            };
            // Only the pod after index 1 was read later.
            let stale = claimants(&snapshot, 1);
            let names: Vec<&str> = stale.iter().map(|(_, n)| n.as_str()).collect();
            assert_eq!(names, want, "{case}");
        }
    }

    #[test]
    fn minus_keeps_only_what_was_not_read() {
        let read = Needs {
            daemonsets: set(&["a"]),
            pods: set(&["p"]),
            nodes: ["n-1".to_string()].into(),
        };
        let wanted = Needs {
            daemonsets: set(&["a", "b"]),
            pods: set(&["p"]),
            nodes: ["n-1".to_string(), "n-2".to_string()].into(),
        };
        assert_eq!(
            wanted.minus(&read),
            Needs {
                daemonsets: set(&["b"]),
                pods: BTreeSet::new(),
                nodes: ["n-2".to_string()].into()
            }
        );
        assert!(read.minus(&read).is_empty());
    }
}
