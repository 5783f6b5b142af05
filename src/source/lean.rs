//! Pods kept lean: what the engine reads of a pod no DaemonSet controls is only the load it puts on its
//! node, and of a DaemonSet's pod not its environment, mounts or probes. Shared by both sources, so a
//! live page and a dump trim a pod to the same shape. Clusters run ~30 pods per node: at 5,000 nodes
//! the pods are nearly all of the memory (bench/RESULTS.md).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Node, PodCondition};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use crate::diagnose::quantity::format_resource;
use crate::diagnose::resources::{requests_on_node, validate_pod};
use crate::snapshot::pod::{Container, ContainerStatus, Pod, PodSpec, PodStatus};

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
/// A pod whose quantities are valid is then folded (`fold_load`); an invalid one is kept as it is, so
/// that validation names its bad field.
pub(crate) fn slim_pod(pod: &mut Pod) {
    pod.metadata.labels = None;
    pod.metadata.annotations = None;
    pod.metadata.managed_fields = None;
    pod.metadata.generate_name = None;
    pod.metadata.resource_version = None;
    shrink(&mut pod.metadata.owner_references);
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
    if validate_pod(pod).is_ok() {
        fold_load(pod);
    }
}

/// Replaces a bound pod's containers and status by the one figure the scheduler takes from them: its
/// requests as the node accounts them (`requests_on_node`: containers, sidecars, init containers,
/// overhead, pod-level resources and in-place resize state), kept as `spec.overhead`, which the engine
/// adds as it is to a pod without containers. Only containers that hold a host port stay, with their
/// ports. Folded, a pod holds one map of figures instead of its containers and their statuses.
fn fold_load(pod: &mut Pod) {
    let requests = requests_on_node(pod);
    let Some(spec) = pod.spec.take() else {
        return;
    };
    let host_network = spec.host_network;
    let holds_ports = |c: &Container| {
        c.ports
            .iter()
            .flatten()
            .any(|p| p.host_port.is_some_and(|h| h != 0) || host_network == Some(true))
    };
    let ports_only = |c: Container| Container {
        name: c.name,
        ports: c.ports,
        restart_policy: c.restart_policy,
        ..Container::default()
    };
    // Regular init containers have finished before the pod runs: their ports are not held.
    let sidecars: Vec<Container> = spec
        .init_containers
        .into_iter()
        .flatten()
        .filter(|c| c.restart_policy.as_deref() == Some("Always") && holds_ports(c))
        .map(ports_only)
        .collect();
    let overhead: BTreeMap<String, Quantity> = requests
        .into_iter()
        // Exact suffixes only, so each figure reads back as the same number of units.
        .map(|(name, units)| (Quantity(format_resource(&name, units)), name))
        .map(|(quantity, name)| (name, quantity))
        .collect();
    let mut containers: Vec<Container> = spec
        .containers
        .into_iter()
        .filter(|c| holds_ports(c))
        .map(ports_only)
        .collect();
    // `collect` reuses the source vector's allocation (same element type): give it back.
    containers.shrink_to_fit();
    let mut sidecars = sidecars;
    sidecars.shrink_to_fit();
    pod.spec = Some(PodSpec {
        containers,
        init_containers: (!sidecars.is_empty()).then_some(sidecars),
        overhead: (!overhead.is_empty()).then_some(overhead),
        host_network,
        node_name: spec.node_name,
        ..PodSpec::default()
    });
    pod.status = pod.status.take().map(|s| PodStatus {
        phase: s.phase,
        ..PodStatus::default()
    });
}

/// Drops from a DaemonSet's pod the metadata no check reads (`managedFields`, annotations,
/// generateName, resourceVersion) and spare room in its lists; the model pod (snapshot/pod.rs)
/// already leaves out the rest no check reads (environment, mounts, probes, volumes).
pub(crate) fn trim_daemon_pod(pod: &mut Pod) {
    pod.metadata.managed_fields = None;
    pod.metadata.annotations = None;
    pod.metadata.generate_name = None;
    pod.metadata.resource_version = None;
    shrink(&mut pod.metadata.owner_references);
    if let Some(spec) = &mut pod.spec {
        spec.containers.shrink_to_fit();
        shrink(&mut spec.init_containers);
        shrink(&mut spec.tolerations);
    }
    if let Some(status) = &mut pod.status {
        shrink(&mut status.conditions);
        shrink(&mut status.container_statuses);
        shrink(&mut status.init_container_statuses);
    }
}

/// Drops from a node what no check reads and what takes most of its memory: the images it holds
/// (`status.images`, ~50 per node, each with its names) and `managedFields`.
pub(crate) fn trim_node(node: &mut Node) {
    node.metadata.managed_fields = None;
    if let Some(status) = &mut node.status {
        status.images = None;
        shrink(&mut status.conditions);
        shrink(&mut status.addresses);
    }
}

/// Gives back a vector's spare room. serde grows vectors from nothing, and Rust gives a vector of
/// elements up to 1 KB room for four at first: one status took four statuses' room.
fn shrink<T>(list: &mut Option<Vec<T>>) {
    if let Some(list) = list {
        list.shrink_to_fit();
    }
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
