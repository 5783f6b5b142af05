//! Pods kept lean: what the engine reads of a pod no DaemonSet controls is only the load it puts on its
//! node. Shared by both sources, so a live page and a dump trim a pod to the same shape.

use k8s_openapi::api::core::v1::{
    Container, ContainerStatus, Pod, PodCondition, PodSpec, PodStatus,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// A pod the DaemonSet controller may count as its own: one it controls, or an orphan (no controller
/// at all) that it adopts when the labels match (cluster.rs claims pods the same way). Pods controlled
/// by anything else can never become a DaemonSet's, so they are kept slim.
pub(crate) fn is_daemon_pod(meta: &ObjectMeta) -> bool {
    let mut controllers = meta
        .owner_references
        .iter()
        .flatten()
        .filter(|o| o.controller == Some(true));
    match controllers.next() {
        None => true,
        Some(o) => o.kind == "DaemonSet",
    }
}

/// Trims a pod no DaemonSet controls to what the scheduler counts against its node: identity and owner,
/// `spec.nodeName` and `status.phase` (whether it counts, resources::counts_on_node), requests with their
/// in-place resize state (resources::pod_requests) and host ports (host_ports::host_ports).
/// Gives the same pod whether it was read whole or through `SlimSpec`/`SlimStatus`.
pub(crate) fn slim_pod(pod: &mut Pod) {
    pod.metadata.labels = None;
    pod.metadata.annotations = None;
    pod.spec = pod.spec.take().map(|s| {
        let containers = |list: Vec<Container>| list.into_iter().map(slim_container).collect();
        PodSpec {
            containers: containers(s.containers),
            init_containers: s.init_containers.map(containers),
            overhead: s.overhead,
            resources: s.resources,
            host_network: s.host_network,
            node_name: s.node_name,
            ..PodSpec::default()
        }
    });
    pod.status = pod.status.take().map(|s| {
        let statuses = |list: Vec<ContainerStatus>| {
            list.into_iter()
                .map(|c| ContainerStatus {
                    name: c.name,
                    allocated_resources: c.allocated_resources,
                    resources: c.resources,
                    ..ContainerStatus::default()
                })
                .collect()
        };
        PodStatus {
            phase: s.phase,
            conditions: s.conditions.map(resize_conditions),
            container_statuses: s.container_statuses.map(statuses),
            init_container_statuses: s.init_container_statuses.map(statuses),
            allocated_resources: s.allocated_resources,
            resources: s.resources,
            ..PodStatus::default()
        }
    });
}

pub(crate) fn slim_container(c: Container) -> Container {
    Container {
        name: c.name,
        resources: c.resources,
        ports: c.ports,
        restart_policy: c.restart_policy,
        ..Container::default()
    }
}

/// Only the in-place resize conditions bear on a pod's requests (resources::is_resize_infeasible); of them,
/// what `SlimCondition` reads.
pub(crate) fn resize_conditions(list: Vec<PodCondition>) -> Vec<PodCondition> {
    list.into_iter()
        .filter(|c| c.type_.starts_with("PodResize"))
        .map(|c| PodCondition {
            type_: c.type_,
            status: c.status,
            reason: c.reason,
            message: c.message,
            ..PodCondition::default()
        })
        .collect()
}
