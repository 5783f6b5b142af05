//! What the live source keeps of each object as it is read: the fields the engine and the output use,
//! so memory grows with nodes and daemon pods, not with every pod's full record.

use k8s_openapi::api::core::v1::Node;

use super::skip::Paths;
use crate::snapshot::pod::Pod;
use crate::source::lean::{is_daemon_pod, slim_pod, trim_daemon_pod, trim_node};

/// What is skipped unread in a LIST of `kind`: what `lean_pod` and `lean_node` would drop from every
/// object anyway. managedFields are ~40% of a pod's JSON and would be built as nested maps.
pub(super) fn unread(kind: &str) -> Paths {
    match kind {
        "Pod" => &[
            &["metadata", "managedFields"],
            &["metadata", "annotations"],
            &["spec", "volumes"],
        ],
        "Node" => &[&["metadata", "managedFields"], &["status", "images"]],
        _ => &[&["metadata", "managedFields"]],
    }
}

/// A pod trimmed as the file source trims it (source/file/pods.rs): a pod a DaemonSet may claim without
/// what no check reads (lean.rs `trim_daemon_pod`); any other pod folded to the load it puts on its node.
pub(super) fn lean_pod(mut pod: Pod) -> Pod {
    if is_daemon_pod(&pod.metadata) {
        trim_daemon_pod(&mut pod);
    } else {
        slim_pod(&mut pod);
    }
    pod
}

/// A node without `managedFields` and the list of images it holds (often the largest part of a Node,
/// and never read: image checks look at the pod's references, not the node's cache).
pub(super) fn lean_node(mut node: Node) -> Node {
    trim_node(&mut node);
    node
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(owner_kind: Option<&str>) -> Pod {
        let owners = owner_kind.map(|k| json!([{"apiVersion": "v1", "kind": k, "name": "o", "uid": "u", "controller": true}]));
        serde_json::from_value(json!({
            "metadata": {"name": "p", "labels": {"app": "a"}, "ownerReferences": owners,
                "managedFields": [{"manager": "kubelet", "operation": "Update"}]},
            "spec": {"nodeName": "n", "volumes": [{"name": "v", "emptyDir": {}}],
                "containers": [{"name": "c", "image": "i", "resources": {"requests": {"cpu": "1"}}}]},
            "status": {"phase": "Running"}
        }))
        .expect("pod")
    }

    #[test]
    fn daemon_pods_and_orphans_stay_whole_but_for_managed_fields() {
        for kind in [Some("DaemonSet"), None] {
            let p = lean_pod(pod(kind));
            assert!(p.metadata.managed_fields.is_none(), "{kind:?}");
            assert!(
                p.metadata.labels.is_some(),
                "{kind:?}: labels decide adoption"
            );
            let spec = p.spec.expect("spec");
            assert_eq!(spec.containers[0].image.as_deref(), Some("i"), "{kind:?}");
        }
    }

    #[test]
    fn other_pods_keep_only_their_load_on_the_node() {
        let p = lean_pod(pod(Some("ReplicaSet")));
        assert!(p.metadata.managed_fields.is_none() && p.metadata.labels.is_none());
        let spec = p.spec.expect("spec");
        assert_eq!(spec.node_name.as_deref(), Some("n"));
        assert!(spec.containers.is_empty(), "folded: {spec:?}");
        let overhead = spec.overhead.expect("requests folded into overhead");
        assert_eq!(overhead.get("cpu").map(|q| q.0.as_str()), Some("1"));
        assert_eq!(p.status.and_then(|s| s.phase).as_deref(), Some("Running"));
    }

    #[test]
    fn nodes_drop_their_image_cache() {
        let node: Node = serde_json::from_value(json!({
            "metadata": {"name": "n", "managedFields": [{"manager": "kubelet"}]},
            "status": {"images": [{"names": ["x"], "sizeBytes": 1}], "allocatable": {"cpu": "4"}}
        }))
        .expect("node");
        let node = lean_node(node);
        let status = node.status.expect("status");
        assert!(node.metadata.managed_fields.is_none() && status.images.is_none());
        assert!(status.allocatable.is_some());
    }
}
