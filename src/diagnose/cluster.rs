//! An index over a Snapshot, built once, so judging thousands of nodes for many DaemonSets stays linear.

use std::collections::HashMap;

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::core::v1::{Node, Pod};

use super::node_affinity::target_node_name;
use super::resources::counts_on_node;
use crate::snapshot::{EventRecord, Snapshot};

/// Borrowed views of the snapshot, grouped the ways the engine looks things up.
pub struct Cluster<'a> {
    pub snapshot: &'a Snapshot,
    /// Sorted by name.
    pub nodes: Vec<&'a Node>,
    /// Pods the scheduler counts against each node (bound, not terminal).
    pods_on_node: HashMap<&'a str, Vec<&'a Pod>>,
    /// Pods by the uid of their controlling owner.
    pods_by_controller: HashMap<&'a str, Vec<&'a Pod>>,
    revisions_by_owner: HashMap<&'a str, Vec<&'a ControllerRevision>>,
    /// Events by (namespace, kind, name), oldest first.
    events: HashMap<(&'a str, &'a str, &'a str), Vec<&'a EventRecord>>,
}

impl<'a> Cluster<'a> {
    pub fn new(snapshot: &'a Snapshot) -> Self {
        let mut nodes: Vec<&Node> = snapshot.nodes.iter().collect();
        nodes.sort_by(|a, b| name(&a.metadata).cmp(name(&b.metadata)));

        let mut pods_on_node: HashMap<&str, Vec<&Pod>> = HashMap::new();
        let mut pods_by_controller: HashMap<&str, Vec<&Pod>> = HashMap::new();
        for pod in &snapshot.pods {
            if counts_on_node(pod)
                && let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref())
            {
                pods_on_node.entry(node).or_default().push(pod);
            }
            if let Some(owner) = controller_uid(&pod.metadata) {
                pods_by_controller.entry(owner).or_default().push(pod);
            }
        }

        let mut revisions_by_owner: HashMap<&str, Vec<&ControllerRevision>> = HashMap::new();
        for rev in &snapshot.revisions {
            if let Some(owner) = controller_uid(&rev.metadata) {
                revisions_by_owner.entry(owner).or_default().push(rev);
            }
        }

        let mut events: HashMap<(&str, &str, &str), Vec<&EventRecord>> = HashMap::new();
        for ev in &snapshot.events {
            events
                .entry((
                    ev.namespace.as_str(),
                    ev.object_kind.as_str(),
                    ev.object_name.as_str(),
                ))
                .or_default()
                .push(ev);
        }
        for list in events.values_mut() {
            list.sort_by_key(|e| e.last_seen);
        }

        Cluster {
            snapshot,
            nodes,
            pods_on_node,
            pods_by_controller,
            revisions_by_owner,
            events,
        }
    }

    pub fn find_daemonset(&self, namespace: &str, name: &str) -> Option<&'a DaemonSet> {
        self.snapshot.daemonsets.iter().find(|ds| {
            ds.metadata.namespace.as_deref() == Some(namespace)
                && ds.metadata.name.as_deref() == Some(name)
        })
    }

    /// The DaemonSet's pods, grouped by the node each targets (bound node, or the matchFields
    /// target of a pod not yet bound), as the controller's getNodesToDaemonPods does.
    /// Mirrors pkg/controller/daemon/daemon_controller.go (getNodesToDaemonPods): pods that are
    /// both terminal and being deleted are no longer the controller's concern and are left out.
    pub fn daemon_pods_by_node(&self, ds: &DaemonSet) -> HashMap<String, Vec<&'a Pod>> {
        let mut by_node: HashMap<String, Vec<&Pod>> = HashMap::new();
        for pod in self.daemon_pods(ds) {
            let terminal = matches!(
                pod.status.as_ref().and_then(|s| s.phase.as_deref()),
                Some("Succeeded") | Some("Failed")
            );
            if terminal && pod.metadata.deletion_timestamp.is_some() {
                continue;
            }
            if let Some(node) = target_node_name(pod) {
                by_node.entry(node).or_default().push(pod);
            }
        }
        by_node
    }

    /// Pods controlled by this DaemonSet (by owner uid: pods of another DaemonSet with the same
    /// labels are not ours). A hand-written dump may lack uids; then fall back to owner name.
    pub fn daemon_pods(&self, ds: &DaemonSet) -> Vec<&'a Pod> {
        match ds.metadata.uid.as_deref() {
            Some(uid) => self
                .pods_by_controller
                .get(uid)
                .cloned()
                .unwrap_or_default(),
            None => self
                .snapshot
                .pods
                .iter()
                .filter(|p| {
                    p.metadata.namespace == ds.metadata.namespace
                        && p.metadata.owner_references.iter().flatten().any(|o| {
                            o.controller == Some(true)
                                && o.kind == "DaemonSet"
                                && Some(&o.name) == ds.metadata.name.as_ref()
                        })
                })
                .collect(),
        }
    }

    pub fn revisions(&self, ds: &DaemonSet) -> &[&'a ControllerRevision] {
        ds.metadata
            .uid
            .as_deref()
            .and_then(|uid| self.revisions_by_owner.get(uid))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Pods the scheduler counts against the node; None when the snapshot does not hold them.
    pub fn pods_on_node(&self, node: &str) -> Option<&[&'a Pod]> {
        if !self.snapshot.node_pods.covers(node) {
            return None;
        }
        Some(
            self.pods_on_node
                .get(node)
                .map(Vec::as_slice)
                .unwrap_or(&[]),
        )
    }

    /// Events about an object, oldest first; for pods, only those matching the pod's uid when both know it.
    pub fn events_for(
        &self,
        namespace: &str,
        kind: &str,
        name: &str,
        uid: Option<&str>,
    ) -> Vec<&'a EventRecord> {
        self.events
            .get(&(namespace, kind, name))
            .map(|list| {
                list.iter()
                    .copied()
                    .filter(|e| match (uid, e.object_uid.as_deref()) {
                        (Some(a), Some(b)) => a == b,
                        _ => true,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub fn name(meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta) -> &str {
    meta.name.as_deref().unwrap_or("")
}

fn controller_uid(
    meta: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta,
) -> Option<&str> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
        .map(|o| o.uid.as_str())
}
