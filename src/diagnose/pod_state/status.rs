//! Reading a pod's status as the kubelet wrote it: container statuses in kubectl's order,
//! conditions, waiting and terminated states, and where the init containers stand. Accessors only;
//! they judge nothing.

use crate::snapshot::pod::{Container, ContainerStatus, Pod};
use k8s_openapi::api::core::v1::{ContainerStateTerminated, PodCondition};

/// Where init containers stand, walked exactly like kubectl's printPod init loop.
pub(super) struct InitScan {
    /// Index (into initContainerStatuses) of the first init container not done yet.
    pub(super) blocking: Option<usize>,
    /// Restarts of init containers up to and including the blocking one.
    pub(super) all_restarts: i32,
    /// Restarts of restartable (sidecar) init containers among those.
    pub(super) sidecar_restarts: i32,
}

// Mirrors pkg/printers/internalversion/printers.go (printPod init container loop).
pub(super) fn init_scan(pod: &Pod) -> InitScan {
    let mut scan = InitScan {
        blocking: None,
        all_restarts: 0,
        sidecar_restarts: 0,
    };
    for (i, cs) in init_container_statuses(pod).iter().enumerate() {
        let sidecar = is_restartable_init(pod, &cs.name);
        scan.all_restarts = scan.all_restarts.saturating_add(cs.restart_count);
        if sidecar {
            scan.sidecar_restarts = scan.sidecar_restarts.saturating_add(cs.restart_count);
        }
        let terminated = cs.state.as_ref().and_then(|s| s.terminated.as_ref());
        if terminated.is_some_and(|t| t.exit_code == 0) {
            continue;
        }
        if sidecar && cs.started == Some(true) {
            continue;
        }
        scan.blocking = Some(i);
        break;
    }
    scan
}

/// Init containers (with `true`) then regular containers, each in the kubelet's status order.
pub(super) fn all_statuses(pod: &Pod) -> Vec<(&ContainerStatus, bool)> {
    init_container_statuses(pod)
        .iter()
        .map(|c| (c, true))
        .chain(container_statuses(pod).iter().map(|c| (c, false)))
        .collect()
}

pub(super) fn init_container_statuses(pod: &Pod) -> &[ContainerStatus] {
    pod.status
        .as_ref()
        .and_then(|s| s.init_container_statuses.as_deref())
        .unwrap_or(&[])
}

pub(super) fn container_statuses(pod: &Pod) -> &[ContainerStatus] {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_deref())
        .unwrap_or(&[])
}

pub(super) fn pod_spec_init_containers(pod: &Pod) -> &[Container] {
    pod.spec
        .as_ref()
        .and_then(|s| s.init_containers.as_deref())
        .unwrap_or(&[])
}

fn spec_container<'a>(pod: &'a Pod, name: &str, init: bool) -> Option<&'a Container> {
    let spec = pod.spec.as_ref()?;
    if init {
        spec.init_containers
            .as_ref()?
            .iter()
            .find(|c| c.name == name)
    } else {
        spec.containers.iter().find(|c| c.name == name)
    }
}

/// A sidecar: an init container with restartPolicy Always.
// Mirrors pkg/api/v1/pod/util.go (IsRestartableInitContainer).
pub(super) fn is_restartable_init(pod: &Pod, name: &str) -> bool {
    spec_container(pod, name, true)
        .and_then(|c| c.restart_policy.as_deref())
        .is_some_and(|p| p == "Always")
}

/// The image as the user wrote it in the pod spec (what kubelet messages quote), else as the status has it.
pub(super) fn container_image(pod: &Pod, cs: &ContainerStatus, init: bool) -> String {
    spec_container(pod, &cs.name, init)
        .and_then(|c| c.image.clone())
        .filter(|i| !i.is_empty())
        .unwrap_or_else(|| cs.image.clone())
}

pub(super) fn phase(pod: &Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

pub(super) fn true_condition<'a>(pod: &'a Pod, type_: &str) -> Option<&'a PodCondition> {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == type_))
        .filter(|c| c.status == "True")
}

pub(super) fn condition_is_true(pod: &Pod, type_: &str) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == type_))
        .is_some_and(|c| c.status == "True")
}

pub(super) fn ready_condition_text(pod: &Pod) -> String {
    let cond = pod
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == "Ready"));
    match cond {
        Some(c) => match (c.reason.as_deref(), c.message.as_deref()) {
            (Some(r), Some(m)) => format!(" (Ready={}: {r}: {m})", c.status),
            (Some(r), None) => format!(" (Ready={}: {r})", c.status),
            _ => format!(" (Ready={})", c.status),
        },
        None => " (no Ready condition reported yet)".to_string(),
    }
}

pub(super) fn waiting_reason(cs: &ContainerStatus) -> Option<&str> {
    cs.state
        .as_ref()
        .and_then(|s| s.waiting.as_ref())
        .and_then(|w| w.reason.as_deref())
        .filter(|r| !r.is_empty())
}

pub(super) fn waiting_message(cs: &ContainerStatus) -> Option<&str> {
    cs.state
        .as_ref()
        .and_then(|s| s.waiting.as_ref())
        .and_then(|w| w.message.as_deref())
        .filter(|m| !m.is_empty())
}

pub(super) fn last_terminated(cs: &ContainerStatus) -> Option<&ContainerStateTerminated> {
    cs.last_state.as_ref().and_then(|s| s.terminated.as_ref())
}
