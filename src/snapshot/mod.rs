//! The plain in-memory model of cluster state that the diagnosis engine reads.
//! Both sources (live API and snapshot files) produce exactly this; it holds no client, clock or I/O.

use std::collections::BTreeSet;

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::core::v1::{Namespace, Node, ResourceQuota, ServiceAccount};
use serde::Serialize;

pub mod pod;
pub use pod::Pod;

/// Everything the engine needs to answer "why is (or isn't) this DaemonSet's pod on that node".
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub nodes: Vec<Node>,
    pub daemonsets: Vec<DaemonSet>,
    /// DaemonSet pods, plus pods bound to nodes whose free capacity must be explained.
    pub pods: Vec<Pod>,
    pub revisions: Vec<ControllerRevision>,
    pub events: Vec<EventRecord>,
    /// Which nodes' pod lists are complete, so requested resources and host ports on them can be summed.
    pub node_pods: NodePodsCoverage,
    /// Events could not be read (e.g. 403): verdicts still stand, but quote no events.
    pub events_unavailable: Option<String>,
    /// What admission reads (`plan` only). `None`: the source did not read that kind (a dump without
    /// it), so the admission check that needs it is skipped and the plan says so.
    pub namespaces: Option<Vec<Namespace>>,
    pub resource_quotas: Option<Vec<ResourceQuota>>,
    pub service_accounts: Option<Vec<ServiceAccount>>,
}

/// Whether `Snapshot::pods` holds every pod bound to a node, or only for some nodes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum NodePodsCoverage {
    /// Every pod of the cluster is present.
    #[default]
    All,
    /// Only pods bound to these nodes are held (plus the DaemonSets' own pods): those the live source
    /// listed, or those a dump kept (nodes where a DaemonSet's pod waits to be scheduled).
    Nodes(BTreeSet<String>),
}

impl NodePodsCoverage {
    pub fn covers(&self, node: &str) -> bool {
        match self {
            NodePodsCoverage::All => true,
            NodePodsCoverage::Nodes(set) => set.contains(node),
        }
    }
}

/// One event, normalised from core/v1 Event or events.k8s.io/v1 Event (they carry the same facts
/// under different field names; the scheduler writes the latter, the DaemonSet controller the former).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRecord {
    /// The event object's own uid, to drop the same event read through both event APIs.
    #[serde(skip)]
    pub uid: Option<String>,
    pub namespace: String,
    /// Kind of the object the event is about (`Pod`, `DaemonSet`, `Node`).
    pub object_kind: String,
    pub object_name: String,
    pub object_uid: Option<String>,
    pub reason: String,
    pub message: String,
    /// `Normal` or `Warning`.
    #[serde(rename = "type")]
    pub type_: String,
    /// Who emitted it: `default-scheduler`, `daemonset-controller`, `kubelet`.
    pub source: String,
    pub count: i32,
    /// The most recent time the event was seen (series last time, lastTimestamp, eventTime or creation).
    pub last_seen: Option<Timestamp>,
}

impl Snapshot {
    /// The newest moment the state itself records (events, node heartbeats, pod changes): when a
    /// dump was taken, roughly. Ages in a dump read as of then, not as of whenever it is read.
    pub fn observed_at(&self) -> Option<Timestamp> {
        let events = self.events.iter().filter_map(|e| e.last_seen);
        let nodes = self.nodes.iter().flat_map(|n| {
            n.status
                .iter()
                .flat_map(|s| s.conditions.iter().flatten())
                .flat_map(|c| {
                    [
                        c.last_heartbeat_time.as_ref(),
                        c.last_transition_time.as_ref(),
                    ]
                })
                .flatten()
                .map(|t| t.0)
        });
        let pods = self.pods.iter().flat_map(|p| {
            let created = p.metadata.creation_timestamp.as_ref().map(|t| t.0);
            let changed = p
                .status
                .iter()
                .flat_map(|s| s.conditions.iter().flatten())
                .filter_map(|c| c.last_transition_time.as_ref().map(|t| t.0));
            created.into_iter().chain(changed)
        });
        events.chain(nodes).chain(pods).max()
    }
}
