//! The node labels `--explain` reads (OS, architecture, hostname), and which labels describe the
//! machine itself: those are never offered as something to relabel to make a pod fit.

use k8s_openapi::api::core::v1::Node;

use crate::diagnose::cluster::{Cluster, name};

pub(super) fn find_node<'a>(cluster: &Cluster<'a>, node: &str) -> Option<&'a Node> {
    cluster
        .nodes
        .iter()
        .copied()
        .find(|x| name(&x.metadata) == node)
}

pub(super) fn label<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(key))
        .map(String::as_str)
}

pub(super) const OS_LABEL: &str = "kubernetes.io/os";
pub(super) const HOSTNAME_LABEL: &str = "kubernetes.io/hostname";
pub(super) const ARCH_LABEL: &str = "kubernetes.io/arch";

/// Labels that describe the machine itself. Relabelling would misdescribe the node, and the kubelet
/// (or cloud provider) sets them again.
// Mirrors k8s.io/api/core/v1/well_known_labels.go and pkg/kubelet/kubelet_node_status.go (updateDefaultLabels)
const MACHINE_LABELS: &[&str] = &[
    HOSTNAME_LABEL,
    OS_LABEL,
    ARCH_LABEL,
    "beta.kubernetes.io/os",
    "beta.kubernetes.io/arch",
    "beta.kubernetes.io/instance-type",
    "node.kubernetes.io/instance-type",
    "node.kubernetes.io/windows-build",
    "topology.kubernetes.io/zone",
    "topology.kubernetes.io/region",
    "failure-domain.beta.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region",
];

pub(super) fn is_machine_label(key: &str) -> bool {
    MACHINE_LABELS.contains(&key)
}
