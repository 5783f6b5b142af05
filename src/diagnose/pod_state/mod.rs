//! Judges a DaemonSet pod that is already bound to its node (spec.nodeName set): Running, Starting or
//! Failing, in the kubelet's own words. Reads only the pod and events about it; never decides eligibility,
//! scheduling or revisions (other modules do), and does no I/O and reads no clock.
//! The verdict is assembled here; the phase, container, starting and event rules live in the
//! submodules named after them.

mod containers;
mod events;
mod phase;
mod starting;
mod status;

#[cfg(test)]
mod real_cluster_tests;
#[cfg(test)]
mod test_support;

use crate::report::{Finding, NodeStatus};
use crate::snapshot::EventRecord;
use crate::snapshot::pod::Pod;
use containers::{exit_words, failing_containers};
use events::{creating_status, kubelet_warning};
use phase::decided_by_phase;
use starting::{not_ready, regular_starting, starting};
use status::{
    all_statuses, condition_is_true, container_statuses, init_container_statuses, init_scan,
    last_terminated, phase, pod_spec_init_containers, true_condition, waiting_message,
    waiting_reason,
};

/// The verdict for one bound pod. `status` is only ever Running, Starting or Failing.
#[derive(Debug, Clone, PartialEq)]
pub struct PodAssessment {
    pub status: NodeStatus,
    /// One sentence a person can act on.
    pub reason: String,
    pub findings: Vec<Finding>,
}

/// podutil.IsPodReady: the pod's Ready condition is True.
// Mirrors pkg/api/v1/pod/util.go (IsPodReady / IsPodReadyConditionTrue).
pub fn is_pod_ready(pod: &Pod) -> bool {
    condition_is_true(pod, "Ready")
}

/// Phase Succeeded or Failed: the kubelet will not run the pod again.
// Mirrors pkg/api/v1/pod/util.go (IsPodPhaseTerminal).
pub fn is_terminal(pod: &Pod) -> bool {
    matches!(phase(pod), "Succeeded" | "Failed")
}

/// The RESTARTS column of `kubectl get pods`: while init containers block, the restarts of the init
/// containers seen so far; afterwards, sidecar (restartable init) restarts plus regular container restarts.
// Mirrors pkg/printers/internalversion/printers.go (printPod, restarts / restartableInitContainerRestarts).
pub fn restarts(pod: &Pod) -> i32 {
    let init = init_scan(pod);
    if init.blocking.is_none() || condition_is_true(pod, "Initialized") {
        let regular: i32 = container_statuses(pod)
            .iter()
            .fold(0i32, |acc, c| acc.saturating_add(c.restart_count));
        init.sidecar_restarts.saturating_add(regular)
    } else {
        init.all_restarts
    }
}

/// Classifies a bound DaemonSet pod from its status as the kubelet wrote it.
/// `events`: events about this pod, newest last; kubelet `Failed` events supply the registry's error when
/// the status only says `Back-off pulling image "x"`, and sandbox/volume warnings explain ContainerCreating.
pub fn assess_bound_pod(pod: &Pod, events: &[&EventRecord]) -> PodAssessment {
    let mut a = classify(pod, events);
    // Someone decided to stop this pod (preemption, eviction API, taint manager) before it got there.
    // Mirrors staging/src/k8s.io/api/core/v1/types.go (DisruptionTarget condition).
    if !is_terminal(pod)
        && let Some(c) = true_condition(pod, "DisruptionTarget")
    {
        let why = match (c.reason.as_deref(), c.message.as_deref()) {
            (Some(r), Some(m)) => format!("{r}: {m}"),
            (Some(r), None) => r.to_string(),
            (None, Some(m)) => m.to_string(),
            (None, None) => "no reason given".to_string(),
        };
        a.reason
            .push_str(&format!("; marked for disruption ({why})"));
    }
    if let Some(dt) = pod
        .metadata
        .deletion_timestamp
        .as_ref()
        .map(|t| t.0.to_string())
    {
        a.reason.push_str(&format!("; terminating since {dt}"));
        a.findings.push(Finding::PodTerminating { since: Some(dt) });
    }
    a
}

fn classify(pod: &Pod, events: &[&EventRecord]) -> PodAssessment {
    if let Some(a) = decided_by_phase(pod) {
        return a;
    }

    if is_pod_ready(pod) {
        return running(pod);
    }

    if pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .unwrap_or("")
        .is_empty()
    {
        return starting(
            "not bound to a node yet: the scheduler has not placed the pod".to_string(),
            Vec::new(),
        );
    }

    let inits = init_container_statuses(pod);
    let regulars = container_statuses(pod);
    if inits.is_empty() && regulars.is_empty() {
        let mut reason =
            "bound to the node, but the kubelet has not reported any container status yet"
                .to_string();
        let mut findings = Vec::new();
        let stuck = kubelet_warning(events, &mut reason, &mut findings);
        if !stuck {
            findings.insert(0, not_ready(&reason));
        }
        return PodAssessment {
            status: creating_status(stuck),
            reason,
            findings,
        };
    }

    if let Some(a) = failing_containers(pod, events) {
        return a;
    }

    let init = init_scan(pod);
    if let (Some(i), false) = (init.blocking, condition_is_true(pod, "Initialized")) {
        let total = pod_spec_init_containers(pod).len();
        let mut reason = match inits.get(i) {
            Some(cs) => match waiting_reason(cs).filter(|r| *r != "PodInitializing") {
                Some(w) => format!(
                    "Init:{i}/{total}: init container {} is {w}{}",
                    cs.name,
                    waiting_message(cs)
                        .map(|m| format!(": {m}"))
                        .unwrap_or_default()
                ),
                None => format!(
                    "Init:{i}/{total}: init container {} is still running",
                    cs.name
                ),
            },
            None => format!("Init:{i}/{total}: init containers are running"),
        };
        let mut findings = Vec::new();
        let stuck = inits.get(i).and_then(waiting_reason) == Some("ContainerCreating")
            && kubelet_warning(events, &mut reason, &mut findings);
        if !stuck {
            findings.insert(0, not_ready(&reason));
        }
        return PodAssessment {
            status: creating_status(stuck),
            reason,
            findings,
        };
    }

    regular_starting(pod, events)
}

/// Ready: the pod counts as available; restarts are worth a mention because they hint at flapping.
fn running(pod: &Pod) -> PodAssessment {
    let n = restarts(pod);
    let mut reason = "running and Ready".to_string();
    if n > 0 {
        reason.push_str(&format!(
            "; containers restarted {n} time{}",
            if n == 1 { "" } else { "s" }
        ));
        let last = all_statuses(pod)
            .into_iter()
            .filter(|(cs, _)| cs.restart_count > 0)
            .filter_map(|(cs, _)| last_terminated(cs).map(|t| (cs, t)))
            .max_by_key(|(_, t)| t.finished_at.clone());
        if let Some((cs, t)) = last {
            reason.push_str(&format!(
                " (container {} last exited {})",
                cs.name,
                exit_words(t)
            ));
        }
    }
    PodAssessment {
        status: NodeStatus::Running,
        reason,
        findings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::{assess_bound_pod, is_pod_ready, is_terminal, restarts};
    use crate::report::{Finding, NodeStatus};
    use crate::snapshot::pod::Pod;
    use serde_json::json;

    #[test]
    fn running_pods() {
        let ready = json!({"phase": "Running", "conditions": conds(true, true),
                           "containerStatuses": [cstat("agent", running(), true, 0)]});
        let restarted = json!({"phase": "Running", "conditions": conds(true, true),
            "containerStatuses": [with(cstat("agent", running(), true, 3), "lastState", terminated(137, Some("OOMKilled")))]});
        run(vec![
            case(
                "ready pod is Running",
                pod(ready.clone()),
                NodeStatus::Running,
                "running and Ready",
            ),
            case(
                "ready pod with restarts mentions them and the last exit",
                pod(restarted),
                NodeStatus::Running,
                "running and Ready; containers restarted 3 times (container agent last exited 137 (OOMKilled))",
            ),
            case(
                "terminating ready pod stays Running and says since when",
                pod_with(
                    json!({}),
                    ready,
                    json!({"deletionTimestamp": "2026-11-23T11:50:25Z"}),
                ),
                NodeStatus::Running,
                "running and Ready; terminating since 2026-11-23T11:50:25Z",
            )
            .finding(Finding::PodTerminating {
                since: Some("2026-11-23T11:50:25Z".into()),
            }),
        ]);
    }

    #[test]
    fn restarts_follow_kubectl() {
        struct R {
            name: &'static str,
            pod: Pod,
            want: i32,
        }
        let inits = json!({"initContainers": [
            {"name": "setup", "image": "b"}, {"name": "proxy", "image": "e", "restartPolicy": "Always"},
            {"name": "late", "image": "b"}]});
        let cases = vec![
            R {
                name: "regular containers are summed",
                pod: pod_with(
                    json!({}),
                    json!({"phase": "Running", "containerStatuses": [
                    cstat("a", running(), true, 2), cstat("b", running(), true, 3)]}),
                    json!({}),
                ),
                want: 5,
            },
            R {
                name: "after init: sidecar restarts count, finished init restarts do not",
                pod: pod_with(
                    inits.clone(),
                    json!({"phase": "Running", "conditions": conds(true, true),
                    "initContainerStatuses": [
                        cstat("setup", terminated(0, Some("Completed")), false, 4),
                        with(cstat("proxy", running(), true, 2), "started", json!(true)),
                        cstat("late", terminated(0, Some("Completed")), false, 1)],
                    "containerStatuses": [cstat("agent", running(), true, 1)]}),
                    json!({}),
                ),
                want: 3,
            },
            R {
                name: "while initializing: init restarts up to the blocking one",
                pod: pod_with(
                    inits.clone(),
                    json!({"phase": "Pending", "conditions": conds(false, false),
                    "initContainerStatuses": [
                        cstat("setup", waiting("CrashLoopBackOff", ""), false, 6),
                        cstat("proxy", waiting("PodInitializing", ""), false, 9)],
                    "containerStatuses": [cstat("agent", waiting("PodInitializing", ""), false, 8)]}),
                    json!({}),
                ),
                want: 6,
            },
            R {
                name: "Initialized=True overrides a blocking init scan",
                pod: pod_with(
                    inits,
                    json!({"phase": "Running", "conditions": conds(true, false),
                    "initContainerStatuses": [
                        cstat("setup", terminated(0, Some("Completed")), false, 4),
                        cstat("proxy", waiting("CrashLoopBackOff", ""), false, 2)],
                    "containerStatuses": [cstat("agent", running(), true, 1)]}),
                    json!({}),
                ),
                want: 3,
            },
            R {
                name: "no status at all",
                pod: pod(json!({})),
                want: 0,
            },
        ];
        for c in cases {
            assert_eq!(restarts(&c.pod), c.want, "{}", c.name);
        }
    }

    #[test]
    fn readiness_and_terminal_predicates() {
        let cases = [
            (
                "Ready True",
                json!({"phase": "Running", "conditions": conds(true, true)}),
                true,
                false,
            ),
            (
                "Ready False",
                json!({"phase": "Running", "conditions": conds(true, false)}),
                false,
                false,
            ),
            ("no conditions", json!({"phase": "Pending"}), false, false),
            (
                "ContainersReady alone is not Ready",
                json!({"phase": "Running",
                "conditions": [{"type": "ContainersReady", "status": "True"}]}),
                false,
                false,
            ),
            ("Failed", json!({"phase": "Failed"}), false, true),
            ("Succeeded", json!({"phase": "Succeeded"}), false, true),
            (
                "Unknown is not terminal",
                json!({"phase": "Unknown"}),
                false,
                false,
            ),
        ];
        for (name, status, ready, terminal) in cases {
            let p = pod(status);
            assert_eq!(is_pod_ready(&p), ready, "{name}: ready");
            assert_eq!(is_terminal(&p), terminal, "{name}: terminal");
        }
        let no_status: Pod = serde_json::from_value(json!({"metadata": {"name": "x"}})).unwrap();
        assert!(!is_pod_ready(&no_status) && !is_terminal(&no_status));
        assert_eq!(
            assess_bound_pod(&no_status, &[]).status,
            NodeStatus::Starting
        );
    }

    // ---- The real recording: every bound pod TRUTH.md describes, classified as TRUTH.md implies. ----
}
