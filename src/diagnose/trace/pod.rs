//! The pod's own state on the node, one row per fact: whether the controller's pod exists, its
//! phase, each container as the kubelet reported it, the verdict of `pod_state`, the node's Ready
//! condition, the last events about the pod and the node; then the pod's revision.

use k8s_openapi::api::core::v1::Node;

use super::check;
use crate::diagnose::cluster::Cluster;
use crate::diagnose::pod_state::{self, restarts};
use crate::diagnose::rollout::{CurrentRevision, pod_revision};
use crate::report::{Check, CheckResult, NodeReport, NodeStatus, Stage};
use crate::snapshot::EventRecord;
use crate::snapshot::pod::{ContainerStatus, Pod};

/// Events quoted per object, newest last.
const LAST_EVENTS: usize = 3;

fn row(name: impl Into<String>, result: CheckResult, evidence: impl Into<String>) -> Check {
    check(Stage::Pod, name, result, evidence)
}

/// The pod stage. `pod`: the pod `why` judged for the node (the controller's first), if any.
pub(super) fn checks(
    cluster: &Cluster,
    node: &Node,
    pod: Option<&Pod>,
    verdict: &NodeReport,
) -> Vec<Check> {
    let mut out = Vec::new();
    match pod {
        None if verdict.status == NodeStatus::Ineligible => out.push(row(
            "pod",
            CheckResult::Skip,
            "no pod, and none is expected: the node does not qualify",
        )),
        None => out.push(row("pod", CheckResult::Fail, verdict.reason.clone())),
        Some(p) if !is_bound(p) => out.push(row("pod", CheckResult::Fail, unbound(p))),
        Some(p) => out.extend(bound(cluster, p)),
    }
    out.push(node_ready(node));
    if let Some(p) = pod {
        let ns = p.metadata.namespace.as_deref().unwrap_or("");
        let name = p.metadata.name.as_deref().unwrap_or("");
        let events = cluster.events_for(ns, "Pod", name, p.metadata.uid.as_deref());
        out.extend(event_rows(&format!("event pod/{name}"), &events));
    }
    let node_name = node.metadata.name.as_deref().unwrap_or("");
    let node_events: Vec<&EventRecord> = {
        let mut list: Vec<&EventRecord> = cluster
            .snapshot
            .events
            .iter()
            .filter(|e| e.object_kind == "Node" && e.object_name == node_name)
            .collect();
        list.sort_by_key(|e| e.last_seen);
        list
    };
    out.extend(event_rows(&format!("event node/{node_name}"), &node_events));
    out
}

fn is_bound(p: &Pod) -> bool {
    p.spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .is_some_and(|n| !n.is_empty())
}

/// A pod the scheduler has not bound, with what it wrote in the PodScheduled condition.
fn unbound(p: &Pod) -> String {
    let name = p.metadata.name.as_deref().unwrap_or("");
    let scheduled = p
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "PodScheduled"));
    match scheduled {
        Some(c) => format!(
            "pod {name} exists but is not bound to the node: PodScheduled={} {}",
            c.status,
            c.reason.as_deref().unwrap_or("")
        )
        .trim_end()
        .to_string(),
        None => format!("pod {name} exists but the scheduler has not bound it yet"),
    }
}

fn bound(cluster: &Cluster, p: &Pod) -> Vec<Check> {
    let ns = p.metadata.namespace.as_deref().unwrap_or("");
    let name = p.metadata.name.as_deref().unwrap_or("");
    let events = cluster.events_for(ns, "Pod", name, p.metadata.uid.as_deref());
    let assessed = pod_state::assess_bound_pod(p, &events);
    let status = p.status.as_ref();
    let phase = status.and_then(|s| s.phase.as_deref()).unwrap_or("Unknown");
    let mut phase_words = format!("pod {name} is {phase}, {} restart(s)", restarts(p));
    if let Some(r) = status.and_then(|s| s.reason.as_deref()) {
        phase_words.push_str(&format!("; {r}"));
    }
    if let Some(m) = status.and_then(|s| s.message.as_deref()) {
        phase_words.push_str(&format!(": {m}"));
    }
    let mut out = vec![row("phase", CheckResult::Info, phase_words)];
    let init = status
        .and_then(|s| s.init_container_statuses.as_deref())
        .unwrap_or(&[]);
    let regular = status
        .and_then(|s| s.container_statuses.as_deref())
        .unwrap_or(&[]);
    if init.is_empty() && regular.is_empty() {
        out.push(row(
            "containers",
            CheckResult::Fail,
            "no container status: the kubelet has not reported on this pod",
        ));
    }
    out.extend(init.iter().map(|c| container(c, true)));
    out.extend(regular.iter().map(|c| container(c, false)));
    let result = if assessed.status == NodeStatus::Running {
        CheckResult::Pass
    } else {
        CheckResult::Fail
    };
    let reason = if assessed.reason.is_empty() {
        format!("pod {name} is Ready")
    } else {
        assessed.reason
    };
    out.push(row(
        format!("pod {}", assessed.status.as_str()),
        result,
        reason,
    ));
    out
}

/// One container's state in the kubelet's words.
fn container(c: &ContainerStatus, init: bool) -> Check {
    let kind = if init { "initContainer" } else { "container" };
    let state = c.state.as_ref();
    let (result, mut words) = if let Some(w) = state.and_then(|s| s.waiting.as_ref()) {
        let mut s = format!("waiting: {}", w.reason.as_deref().unwrap_or("no reason"));
        if let Some(m) = w.message.as_deref().filter(|m| !m.is_empty()) {
            s.push_str(&format!(": {m}"));
        }
        (CheckResult::Fail, s)
    } else if let Some(t) = state.and_then(|s| s.terminated.as_ref()) {
        let s = format!(
            "terminated: {} (exit code {}){}",
            t.reason.as_deref().unwrap_or("no reason"),
            t.exit_code,
            t.message
                .as_deref()
                .map(|m| format!(": {m}"))
                .unwrap_or_default()
        );
        // An init container that exited 0 did its job.
        let ok = init && t.exit_code == 0;
        (
            if ok {
                CheckResult::Pass
            } else {
                CheckResult::Fail
            },
            s,
        )
    } else if state.and_then(|s| s.running.as_ref()).is_some() {
        if c.ready || init {
            (CheckResult::Pass, "running, ready".to_string())
        } else {
            (CheckResult::Fail, "running, not ready".to_string())
        }
    } else {
        (CheckResult::Fail, "no state reported".to_string())
    };
    words.push_str(&format!(
        "; image {}; restarts {}",
        c.image, c.restart_count
    ));
    if let Some(t) = c.last_state.as_ref().and_then(|s| s.terminated.as_ref()) {
        words.push_str(&format!(
            "; last terminated: {} (exit code {})",
            t.reason.as_deref().unwrap_or("no reason"),
            t.exit_code
        ));
    }
    check(Stage::Pod, format!("{kind} {}", c.name), result, words)
}

fn node_ready(node: &Node) -> Check {
    let ready = node
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"));
    match ready {
        Some(c) if c.status == "True" => row("node Ready", CheckResult::Pass, "Ready=True"),
        Some(c) => row(
            "node Ready",
            CheckResult::Fail,
            format!(
                "Ready={}: {}{}",
                c.status,
                c.reason.as_deref().unwrap_or("no reason"),
                c.message
                    .as_deref()
                    .map(|m| format!(": {m}"))
                    .unwrap_or_default()
            ),
        ),
        None => row(
            "node Ready",
            CheckResult::Skip,
            "the node has no Ready condition",
        ),
    }
}

fn event_rows(name: &str, events: &[&EventRecord]) -> Vec<Check> {
    let skip = events.len().saturating_sub(LAST_EVENTS);
    events[skip..]
        .iter()
        .map(|e| {
            let mut words = format!("{} {} ({}", e.type_, e.reason, e.source);
            if e.count > 1 {
                words.push_str(&format!(", x{}", e.count));
            }
            if let Some(t) = e.last_seen {
                words.push_str(&format!(", last {t}"));
            }
            words.push_str(&format!("): {}", e.message));
            row(name, CheckResult::Info, words)
        })
        .collect()
}

/// Whether the pod runs the DaemonSet's current template.
pub(super) fn revision(current: &CurrentRevision, strategy: &str, pod: Option<&Pod>) -> Check {
    let current_words = current.hash.as_deref().unwrap_or("unknown");
    let (result, evidence) = match pod.map(|p| (p, current.is_pod_updated(p))) {
        None => (
            CheckResult::Info,
            match &current.hash {
                Some(h) => format!("no pod; a new one is created from the current revision {h}"),
                None => "no pod; a new one runs the DaemonSet's current template".to_string(),
            },
        ),
        Some((_, None)) => (
            CheckResult::Skip,
            "no ControllerRevision nor template generation tells which revision is current".into(),
        ),
        Some((p, Some(true))) => (
            CheckResult::Pass,
            format!(
                "pod runs the current revision {}",
                pod_revision(p).unwrap_or_else(|| current_words.to_string())
            ),
        ),
        Some((p, Some(false))) => (
            CheckResult::Info,
            format!(
                "pod runs old revision {}, current is {current_words}; update strategy {strategy}",
                pod_revision(p).unwrap_or_else(|| "unknown".into())
            ),
        ),
    };
    check(Stage::Revision, "revision", result, evidence)
}
