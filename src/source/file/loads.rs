//! Pods no DaemonSet controls, held as their load (`PodLoad`, ~500 bytes against 2.5 KB for a `Pod`)
//! while a dump is read, and turned back into pods at the end only where the engine reads them: on
//! nodes where a DaemonSet's pod waits to be scheduled (resource fit, host ports), as the live source
//! fetches them (app.rs follow_up). They are ~70% of a dump's pods.

use super::*;
use crate::diagnose::node_affinity::target_node_name;
use crate::diagnose::resources::validate_pod;

/// A pod `slim_pod` folded, in parts: exactly what `into_pod` gives back.
pub(super) struct PodLoad {
    /// How many whole pods came before it in the input: restores the input's order, which decides
    /// which pod a host-port conflict names.
    after: usize,
    metadata: ObjectMeta,
    node_name: Option<String>,
    host_network: Option<bool>,
    overhead: Option<BTreeMap<String, Quantity>>,
    containers: Vec<Container>,
    init_containers: Option<Vec<Container>>,
    /// `status.phase`, when there is a status.
    status: Option<Option<String>>,
}

impl PodLoad {
    /// Whether `slim_pod` folded this pod; it leaves whole a pod with a quantity to report, or no spec.
    pub(super) fn folded(pod: &Pod) -> bool {
        pod.spec.is_some() && validate_pod(pod).is_ok()
    }

    /// A pod `slim_pod` folded (see `folded`) as its load. `after`: how many whole pods the input had
    /// before it.
    pub(super) fn new(pod: Pod, after: usize) -> PodLoad {
        let Pod {
            metadata,
            spec,
            status,
        } = pod;
        let spec = spec.unwrap_or_default();
        PodLoad {
            after,
            metadata,
            node_name: spec.node_name,
            host_network: spec.host_network,
            overhead: spec.overhead,
            containers: spec.containers,
            init_containers: spec.init_containers,
            status: status.map(|s| s.phase),
        }
    }

    pub(super) fn into_pod(self) -> Pod {
        Pod {
            metadata: self.metadata,
            spec: Some(PodSpec {
                containers: self.containers,
                init_containers: self.init_containers,
                overhead: self.overhead,
                host_network: self.host_network,
                node_name: self.node_name,
                ..PodSpec::default()
            }),
            status: self.status.map(|phase| PodStatus {
                phase,
                ..PodStatus::default()
            }),
        }
    }

    fn bound_to(&self) -> Option<&str> {
        self.node_name.as_deref().filter(|n| !n.is_empty())
    }
}

/// Moves `found`'s loads into `acc`, after `offset` whole pods, keeping the first copy of a pod seen twice.
pub(super) fn merge_loads(acc: &mut Vec<PodLoad>, found: Vec<PodLoad>, offset: usize) {
    let mut seen: HashSet<ObjectKey> = acc.iter().filter_map(|l| object_key(&l.metadata)).collect();
    acc.extend(found.into_iter().filter_map(|mut load| {
        load.after += offset;
        let fresh = object_key(&load.metadata).is_none_or(|key| seen.insert(key));
        fresh.then_some(load)
    }));
}

/// Every load back as a pod, among the whole pods in input order.
pub(super) fn restore_all(pods: &mut Vec<Pod>, loads: Vec<PodLoad>) {
    interleave(pods, loads);
}

/// The loads on nodes where a DaemonSet's pod waits to be scheduled back as pods, the rest dropped and
/// the snapshot marked as covering only those nodes. The newest pod dropped is kept, so that the dump's
/// time (`Snapshot::observed_at`) does not move.
pub(super) fn restore_where_read(snapshot: &mut Snapshot, loads: Vec<PodLoad>) {
    // Like the live source (app.rs collect_needs): nodes that an unbound pod a DaemonSet may own targets.
    let waiting: BTreeSet<String> = snapshot
        .pods
        .iter()
        .filter(|p| is_daemon_pod(&p.metadata))
        .filter(|p| {
            let node = p.spec.as_ref().and_then(|s| s.node_name.as_deref());
            node.is_none_or(str::is_empty)
        })
        .filter_map(target_node_name)
        .collect();
    let read = |l: &PodLoad| l.bound_to().is_some_and(|n| waiting.contains(n));
    let newest_dropped = loads
        .iter()
        .enumerate()
        .filter(|(_, l)| !read(l))
        .max_by_key(|(_, l)| l.metadata.creation_timestamp.as_ref().map(|t| t.0))
        .map(|(i, _)| i);
    let Some(newest) = newest_dropped else {
        // Nothing to drop: the snapshot still holds every pod.
        restore_all(&mut snapshot.pods, loads);
        return;
    };
    let kept: Vec<PodLoad> = loads
        .into_iter()
        .enumerate()
        .filter(|(i, l)| *i == newest || read(l))
        .map(|(_, l)| l)
        .collect();
    interleave(&mut snapshot.pods, kept);
    snapshot.node_pods = NodePodsCoverage::Nodes(waiting);
}

fn interleave(pods: &mut Vec<Pod>, loads: Vec<PodLoad>) {
    if loads.is_empty() {
        return;
    }
    let whole = std::mem::take(pods);
    let mut out = Vec::with_capacity(whole.len() + loads.len());
    let mut loads = loads.into_iter().peekable();
    for (i, pod) in whole.into_iter().enumerate() {
        while let Some(load) = loads.next_if(|l| l.after <= i) {
            out.push(load.into_pod());
        }
        out.push(pod);
    }
    out.extend(loads.map(PodLoad::into_pod));
    *pods = out;
}
