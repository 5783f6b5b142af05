//! What `why NAME --node NODE` reads, and nothing more: the DaemonSet and the node by GET, the pods
//! bound to that node (one field-selected LIST), the DaemonSet's pods not bound yet (the controller's
//! pod for the node may be waiting for the scheduler), its ControllerRevisions, and then the events
//! about the node. Read-only; it judges nothing.

use std::collections::{BTreeSet, HashSet};

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::core::v1::{Event, Node};
use kube::api::Api;

use super::error::Req;
use super::select::{self, escape_field_value, label_selector_string};
use super::trim::{lean_node, lean_pod};
use super::{Live, LiveError, controlled_by, is_orphan};
use crate::snapshot::pod::Pod;
use crate::snapshot::{NodePodsCoverage, Snapshot};
use crate::source::events::{dedup, from_core};

impl Live {
    /// The DaemonSet, one node and what judging it needs. Events about the DaemonSet and its pod
    /// come after (`fetch_events`, once the engine knows the pod), those about the node from
    /// `fetch_node_events`.
    pub async fn fetch_for_node(
        &self,
        namespace: &str,
        name: &str,
        node: &str,
    ) -> Result<Snapshot, LiveError> {
        let not_found = |kind: &str, ns: &str, n: &str| LiveError::NotFound {
            kind: kind.into(),
            namespace: ns.into(),
            name: n.into(),
            kubectl: self.target.kubectl.clone(),
        };
        // An invalid name cannot exist, and must not be pasted into a URL path unchecked.
        if !select::is_dns_subdomain(name) || !select::is_dns_label(namespace) {
            return Err(not_found("DaemonSet", namespace, name));
        }
        if !select::is_dns_subdomain(node) {
            return Err(not_found("Node", "", node));
        }
        let ds_and_children = async {
            let api: Api<DaemonSet> = Api::namespaced(self.client.clone(), namespace);
            let req = Req {
                verb: "get",
                resource: "daemonsets",
                namespace: Some(namespace),
                name: Some(name),
            };
            let ds = self
                .timed(api.get(name))
                .await
                .map_err(|e| self.err(e, &req))?;
            let uids: HashSet<String> = ds.metadata.uid.clone().into_iter().collect();
            let selector = label_selector_string(&ds.spec.selector);
            // The controller's pod for this node, while unbound, names it only in its affinity: list
            // the DaemonSet's unbound pods (few) rather than all of its pods.
            let unbound = async {
                match &selector {
                    Some(sel) => {
                        self.list_pods(Some(namespace), Some(sel), Some("spec.nodeName="), |p| {
                            (controlled_by(&p.metadata, &uids) || is_orphan(&p.metadata))
                                .then(|| lean_pod(p))
                        })
                        .await
                    }
                    // An empty or invalid selector claims nothing.
                    None => Ok(Vec::new()),
                }
            };
            let revisions = self.list_revisions(
                Some(namespace),
                selector.as_deref(),
                |r: ControllerRevision| controlled_by(&r.metadata, &uids).then_some(r),
            );
            let (unbound, revisions) = tokio::join!(unbound, revisions);
            Ok::<_, LiveError>((ds, unbound?, revisions?))
        };
        let the_node = async {
            let api: Api<Node> = Api::all(self.client.clone());
            let req = Req {
                verb: "get",
                resource: "nodes",
                namespace: None,
                name: Some(node),
            };
            self.timed(api.get(node))
                .await
                .map(lean_node)
                .map_err(|e| self.err(e, &req))
        };
        // Every pod bound to the node, any phase: its requests and ports, and the DaemonSet's own pod.
        let bound_here = format!("spec.nodeName={}", escape_field_value(node));
        let on_node = self.list_pods(None, None, Some(&bound_here), |p: Pod| Some(lean_pod(p)));
        // join, not try_join: whichever request fails first must not decide which error the user sees.
        let (ds_and_children, the_node, on_node) = tokio::join!(ds_and_children, the_node, on_node);
        let (ds, mut pods, revisions) = ds_and_children?;
        let the_node = the_node?;
        pods.extend(on_node?);
        Ok(Snapshot {
            nodes: vec![the_node],
            daemonsets: vec![ds],
            pods,
            revisions,
            events: Vec::new(),
            node_pods: NodePodsCoverage::Nodes(BTreeSet::from([node.to_string()])),
            events_unavailable: None,
            ..Snapshot::default()
        })
    }

    /// Events about the node, from every namespace (the kubelet records them in `default`).
    pub async fn fetch_node_events(
        &self,
        snapshot: &mut Snapshot,
        node: &str,
    ) -> Result<(), LiveError> {
        let req = Req {
            verb: "list",
            resource: "events",
            namespace: None,
            name: None,
        };
        let fields = format!(
            "involvedObject.kind=Node,involvedObject.name={}",
            escape_field_value(node)
        );
        match self
            .list_all(&req, None, Some(&fields), |e: Event| Some(e))
            .await
        {
            Ok(events) => {
                snapshot.events.extend(events.iter().map(from_core));
                dedup(&mut snapshot.events);
                Ok(())
            }
            Err(e @ (LiveError::Forbidden { .. } | LiveError::Unauthorized { .. })) => {
                snapshot.events_unavailable.get_or_insert(e.to_string());
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}
