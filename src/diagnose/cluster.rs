//! An index over a Snapshot, built once, so judging thousands of nodes for many DaemonSets stays linear;
//! and which pods a DaemonSet owns, decided as the controller claims them. No verdicts here.

use std::collections::{BTreeMap, HashMap};

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::core::v1::Node;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};

use super::node_affinity::target_node_name;
use super::resources::counts_on_node;
use crate::snapshot::pod::Pod;
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
    /// Pods with no controlling owner, by namespace: a DaemonSet whose selector matches adopts them.
    orphans_by_namespace: HashMap<&'a str, Vec<&'a Pod>>,
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
        let mut orphans_by_namespace: HashMap<&str, Vec<&Pod>> = HashMap::new();
        for pod in &snapshot.pods {
            if counts_on_node(pod)
                && let Some(node) = pod.spec.as_ref().and_then(|s| s.node_name.as_deref())
            {
                pods_on_node.entry(node).or_default().push(pod);
            }
            match controller_ref(&pod.metadata) {
                Some(owner) => pods_by_controller
                    .entry(owner.uid.as_str())
                    .or_default()
                    .push(pod),
                None => orphans_by_namespace
                    .entry(pod.metadata.namespace.as_deref().unwrap_or(""))
                    .or_default()
                    .push(pod),
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
            orphans_by_namespace,
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
    // Mirrors pkg/controller/daemon/daemon_controller.go (getNodesToDaemonPods with
    // includeDeletedTerminal=false, as manage and updateDaemonSetStatus call it)
    pub fn daemon_pods_by_node(&self, ds: &DaemonSet) -> DaemonPods<'a> {
        let mut out = DaemonPods::default();
        for pod in self.daemon_pods(ds) {
            // Terminal and being deleted: the kubelet or pod GC is removing it; the controller
            // neither counts it nor waits for it.
            let terminal = matches!(
                pod.status.as_ref().and_then(|s| s.phase.as_deref()),
                Some("Succeeded") | Some("Failed")
            );
            let target = target_node_name(pod);
            match target {
                Some(node) if terminal && pod.metadata.deletion_timestamp.is_some() => {
                    out.finished.entry(node).or_default().push(pod)
                }
                Some(node) => out.by_node.entry(node).or_default().push(pod),
                // GetTargetNodeName fails: the controller logs it and skips the pod.
                None => out.untargeted.push(pod),
            }
        }
        out
    }

    /// The pods the DaemonSet controller claims, as ClaimPods decides: in the DaemonSet's
    /// namespace, labels matching its selector, and either controlled by it (same uid) or
    /// orphaned (no controller) and not being deleted, which it then adopts. A pod it controls
    /// whose labels no longer match is released, and a pod controlled by anything else (another
    /// DaemonSet with the same labels included) is never its.
    // Mirrors pkg/controller/controller_ref_manager.go (ClaimPods, ClaimObject) and
    // pkg/controller/daemon/daemon_controller.go (getDaemonPods)
    pub fn daemon_pods(&self, ds: &DaemonSet) -> Vec<&'a Pod> {
        // syncDaemonSet stops before claiming anything when the selector selects every pod.
        if selects_everything(&ds.spec.selector) {
            return Vec::new();
        }
        let namespace = ds.metadata.namespace.as_deref().unwrap_or("");
        let matches = |p: &Pod| {
            p.metadata.namespace.as_deref().unwrap_or("") == namespace
                && selector_matches(Some(&ds.spec.selector), p.metadata.labels.as_ref())
        };
        let mut owned = self.controlled_pods(ds);
        owned.retain(|p| matches(p));
        // Orphans are adopted only while the DaemonSet itself is not being deleted.
        if ds.metadata.deletion_timestamp.is_none() {
            owned.extend(
                self.orphans_by_namespace
                    .get(namespace)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|p| p.metadata.deletion_timestamp.is_none() && matches(p)),
            );
        }
        owned
    }

    /// Pods the DaemonSet controls whose labels no longer match its selector: the controller
    /// releases them (drops its owner reference) and never counts them.
    // Mirrors pkg/controller/controller_ref_manager.go (ClaimObject: "Owned by us but selector doesn't match")
    pub fn released_pods(&self, ds: &DaemonSet) -> Vec<&'a Pod> {
        let namespace = ds.metadata.namespace.as_deref().unwrap_or("");
        let mut released = self.controlled_pods(ds);
        released.retain(|p| {
            p.metadata.namespace.as_deref().unwrap_or("") == namespace
                && !selector_matches(Some(&ds.spec.selector), p.metadata.labels.as_ref())
        });
        released
    }

    /// Pods whose controller reference is this DaemonSet.
    fn controlled_pods(&self, ds: &DaemonSet) -> Vec<&'a Pod> {
        // A hand-written dump may leave uids out: then the owner reference's kind and name decide.
        let owned: Vec<&Pod> = match ds.metadata.uid.as_deref().filter(|u| !u.is_empty()) {
            Some(uid) => [uid, ""]
                .iter()
                .flat_map(|u| self.pods_by_controller.get(u).into_iter().flatten())
                .copied()
                .filter(|p| {
                    controller_ref(&p.metadata)
                        .is_some_and(|o| o.uid == uid || names_daemonset(o, ds))
                })
                .collect(),
            None => self
                .snapshot
                .pods
                .iter()
                .filter(|p| controller_ref(&p.metadata).is_some_and(|o| names_daemonset(o, ds)))
                .collect(),
        };
        owned
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

/// The DaemonSet's pods as the controller groups them.
#[derive(Debug, Default)]
pub struct DaemonPods<'a> {
    /// By target node: the bound node, or the node an unbound pod's matchFields term names.
    pub by_node: HashMap<String, Vec<&'a Pod>>,
    /// Pods that finished (Succeeded or Failed) and are being deleted, by target node: the
    /// controller no longer counts them, so a node holding only these gets a new pod.
    pub finished: HashMap<String, Vec<&'a Pod>>,
    /// Pods naming no node (no nodeName, no single-valued `metadata.name In` term): ignored upstream.
    pub untargeted: Vec<&'a Pod>,
}

/// The object's controller reference (the owner reference with controller=true).
// Mirrors k8s.io/apimachinery/pkg/apis/meta/v1/controller_ref.go (GetControllerOf)
pub fn controller_ref(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
}

fn controller_uid(meta: &ObjectMeta) -> Option<&str> {
    controller_ref(meta).map(|o| o.uid.as_str())
}

fn names_daemonset(owner: &OwnerReference, ds: &DaemonSet) -> bool {
    owner.kind == "DaemonSet" && Some(&owner.name) == ds.metadata.name.as_ref()
}

/// An empty selector (no matchLabels, no matchExpressions) selects every pod; the controller
/// refuses to sync such a DaemonSet.
// Mirrors pkg/controller/daemon/daemon_controller.go (syncDaemonSet: SelectingAllReason)
pub fn selects_everything(selector: &LabelSelector) -> bool {
    selector.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && selector
            .match_expressions
            .as_ref()
            .is_none_or(|e| e.is_empty())
}

/// Whether `labels` satisfy a LabelSelector: matchLabels and every matchExpression (ANDed).
/// No selector selects nothing, an empty one everything; an invalid one (unknown operator, In or
/// NotIn without values, values on Exists) fails to convert upstream, so it selects nothing.
pub fn selector_matches(
    selector: Option<&LabelSelector>,
    labels: Option<&BTreeMap<String, String>>,
) -> bool {
    super::label_selector::matches(selector, labels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn ds(uid: Option<&str>, selector: Value, deleting: bool) -> DaemonSet {
        let mut meta = json!({"name": "foo", "namespace": "default"});
        if let Some(uid) = uid {
            meta["uid"] = json!(uid);
        }
        if deleting {
            meta["deletionTimestamp"] = json!("2026-01-01T00:00:00Z");
        }
        serde_json::from_value(
            json!({"metadata": meta, "spec": {"selector": selector, "template": {}}}),
        )
        .unwrap()
    }

    fn pod(name: &str, labels: Value, owner: Option<(&str, &str)>, extra: Value) -> Pod {
        let mut meta = json!({"name": name, "namespace": "default", "labels": labels});
        if let Some((owner_name, uid)) = owner {
            meta["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": "DaemonSet",
                "name": owner_name, "uid": uid, "controller": true}]);
        }
        if let Some(obj) = extra.as_object() {
            for (k, v) in obj {
                meta[k] = v.clone();
            }
        }
        serde_json::from_value(
            json!({"metadata": meta, "spec": {"containers": [], "nodeName": "n"}}),
        )
        .unwrap()
    }

    const LBL: &str = "simple-daemon";

    #[test]
    fn daemon_pods_are_claimed_like_claim_pods() {
        let sel = json!({"matchLabels": {"name": LBL}});
        let mine = json!({"name": LBL});
        let other = json!({"name": "other"});
        let deleting = json!({"deletionTimestamp": "2026-01-01T00:00:00Z"});
        let pods = vec![
            pod(
                "owned-matching",
                mine.clone(),
                Some(("foo", "u1")),
                json!({}),
            ),
            pod(
                "owned-released",
                other.clone(),
                Some(("foo", "u1")),
                json!({}),
            ),
            pod("orphan-matching", mine.clone(), None, json!({})),
            pod("orphan-not-matching", other.clone(), None, json!({})),
            pod("orphan-deleting", mine.clone(), None, deleting.clone()),
            pod("other-ds", mine.clone(), Some(("bar", "u2")), json!({})),
            pod(
                "recreated-ds-same-name",
                mine.clone(),
                Some(("foo", "old-uid")),
                json!({}),
            ),
            pod(
                "owned-deleting",
                mine.clone(),
                Some(("foo", "u1")),
                deleting,
            ),
            pod(
                "uidless-owner-ref",
                mine.clone(),
                Some(("foo", "")),
                json!({}),
            ),
        ];
        let snapshot = Snapshot {
            pods,
            ..Snapshot::default()
        };
        let cluster = Cluster::new(&snapshot);
        let names = |v: Vec<&Pod>| {
            let mut n: Vec<String> = v.iter().map(|p| name(&p.metadata).to_string()).collect();
            n.sort();
            n
        };
        let cases: Vec<(&str, DaemonSet, Vec<&str>, Vec<&str>)> = vec![
            (
                "uid decides ownership; orphans that match are adopted",
                ds(Some("u1"), sel.clone(), false),
                vec![
                    "orphan-matching",
                    "owned-deleting",
                    "owned-matching",
                    "uidless-owner-ref",
                ],
                vec!["owned-released"],
            ),
            (
                "a DaemonSet being deleted adopts nothing",
                ds(Some("u1"), sel.clone(), true),
                vec!["owned-deleting", "owned-matching", "uidless-owner-ref"],
                vec!["owned-released"],
            ),
            (
                "an empty selector is never synced: nothing is claimed",
                ds(Some("u1"), json!({}), false),
                vec![],
                vec![],
            ),
            (
                "without a uid the owner's name decides",
                ds(None, sel.clone(), false),
                vec![
                    "orphan-matching",
                    "owned-deleting",
                    "owned-matching",
                    "recreated-ds-same-name",
                    "uidless-owner-ref",
                ],
                vec!["owned-released"],
            ),
        ];
        for (case, d, claimed, released) in cases {
            assert_eq!(names(cluster.daemon_pods(&d)), claimed, "{case}: claimed");
            assert_eq!(
                names(cluster.released_pods(&d)),
                released,
                "{case}: released"
            );
        }
    }

    #[test]
    fn label_selectors_match_like_apimachinery() {
        let labels = json!({"a": "1", "b": "2"});
        let labels: BTreeMap<String, String> = serde_json::from_value(labels).unwrap();
        let cases = [
            (
                "matchLabels all present",
                json!({"matchLabels": {"a": "1", "b": "2"}}),
                true,
            ),
            (
                "matchLabels one differs",
                json!({"matchLabels": {"a": "1", "b": "3"}}),
                false,
            ),
            (
                "In",
                json!({"matchExpressions": [{"key": "a", "operator": "In", "values": ["0", "1"]}]}),
                true,
            ),
            (
                "In absent key",
                json!({"matchExpressions": [{"key": "z", "operator": "In", "values": ["1"]}]}),
                false,
            ),
            (
                "NotIn absent key matches",
                json!({"matchExpressions": [{"key": "z", "operator": "NotIn", "values": ["1"]}]}),
                true,
            ),
            (
                "NotIn present value",
                json!({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["1"]}]}),
                false,
            ),
            (
                "Exists",
                json!({"matchExpressions": [{"key": "b", "operator": "Exists"}]}),
                true,
            ),
            (
                "DoesNotExist",
                json!({"matchExpressions": [{"key": "b", "operator": "DoesNotExist"}]}),
                false,
            ),
            (
                "In without values is invalid",
                json!({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]}),
                false,
            ),
            (
                "unknown operator is invalid",
                json!({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["0"]}]}),
                false,
            ),
            (
                "labels and expressions are ANDed",
                json!({"matchLabels": {"a": "1"}, "matchExpressions": [{"key": "b", "operator": "In", "values": ["9"]}]}),
                false,
            ),
            ("empty selects everything", json!({}), true),
        ];
        for (name, sel, want) in cases {
            let sel: LabelSelector = serde_json::from_value(sel).unwrap();
            assert_eq!(selector_matches(Some(&sel), Some(&labels)), want, "{name}");
        }
        assert!(
            !selector_matches(None, Some(&labels)),
            "no selector selects nothing"
        );
    }
}
