//! Bound pods on their way up: nothing has failed, but the pod is not Ready yet. Names the first
//! container holding it back in kubectl's order (creating, initializing, probes, readiness gates)
//! and quotes the kubelet warning behind a stuck ContainerCreating.

use super::PodAssessment;
use super::containers::{exit_words, termination_reason};
use super::events::{creating_status, kubelet_warning};
use super::status::{
    condition_is_true, container_statuses, init_container_statuses, is_restartable_init,
    last_terminated, ready_condition_text, waiting_message, waiting_reason,
};
use crate::report::{Finding, NodeStatus};
use crate::snapshot::EventRecord;
use crate::snapshot::pod::{ContainerStatus, Pod};

/// Not ready, nothing failed: name the first container holding the pod back, in kubectl's order.
pub(super) fn regular_starting(pod: &Pod, events: &[&EventRecord]) -> PodAssessment {
    let sidecars: Vec<&ContainerStatus> = init_container_statuses(pod)
        .iter()
        .filter(|cs| is_restartable_init(pod, &cs.name))
        .collect();
    let mut reason: Option<String> = None;
    let mut creating = false;

    for cs in container_statuses(pod) {
        if let Some(w) = waiting_reason(cs) {
            creating = w == "ContainerCreating";
            reason = Some(match w {
                "ContainerCreating" => format!(
                    "ContainerCreating: the kubelet is creating container {}",
                    cs.name
                ),
                "PodInitializing" => format!(
                    "PodInitializing: container {} waits for the init containers to finish",
                    cs.name
                ),
                other => format!(
                    "{other}: container {} is waiting{}",
                    cs.name,
                    waiting_message(cs)
                        .map(|m| format!(": {m}"))
                        .unwrap_or_default()
                ),
            });
            break;
        }
        if let Some(t) = cs.state.as_ref().and_then(|s| s.terminated.as_ref()) {
            reason = Some(format!(
                "{}: container {} exited {} and is being restarted",
                termination_reason(t),
                cs.name,
                exit_words(t)
            ));
            break;
        }
    }

    if reason.is_none() {
        let unready = sidecars
            .iter()
            .map(|cs| (*cs, true))
            .chain(container_statuses(pod).iter().map(|cs| (cs, false)))
            .find(|(cs, _)| !cs.ready);
        reason = unready.map(|(cs, sidecar)| {
            let who = if sidecar {
                format!("sidecar container {}", cs.name)
            } else {
                format!("container {}", cs.name)
            };
            let running = cs.state.as_ref().is_some_and(|s| s.running.is_some());
            let mut s = if !running {
                format!("{who} is not running yet")
            } else if cs.started == Some(false) {
                format!("{who} running but not started yet (startup probe not passing)")
            } else {
                format!("{who} running but not Ready yet (readiness probe not passing)")
            };
            if let (true, Some(t)) = (cs.restart_count > 0, last_terminated(cs)) {
                s.push_str(&format!(
                    "; restarted {} time{}, last exit {}",
                    cs.restart_count,
                    if cs.restart_count == 1 { "" } else { "s" },
                    exit_words(t)
                ));
            }
            s
        });
    }

    // All containers Ready but the pod is not: a readiness gate, or the kubelet has not caught up yet.
    let mut reason = reason.unwrap_or_else(|| {
        let gates: Vec<String> = pod
            .spec
            .as_ref()
            .and_then(|s| s.readiness_gates.as_ref())
            .map(|g| {
                g.iter()
                    .filter(|g| !condition_is_true(pod, &g.condition_type))
                    .map(|g| g.condition_type.clone())
                    .collect()
            })
            .unwrap_or_default();
        if !gates.is_empty() {
            format!(
                "all containers are Ready, but readiness gate {} is not True",
                gates.join(", ")
            )
        } else {
            let cond = ready_condition_text(pod);
            format!("containers are running, but the pod is not Ready yet{cond}")
        }
    });

    let mut findings = Vec::new();
    let stuck = creating && kubelet_warning(events, &mut reason, &mut findings);
    if !stuck {
        findings.insert(0, not_ready(&reason));
    }
    PodAssessment {
        status: creating_status(stuck),
        reason,
        findings,
    }
}

pub(super) fn starting(reason: String, mut findings: Vec<Finding>) -> PodAssessment {
    findings.insert(0, not_ready(&reason));
    PodAssessment {
        status: NodeStatus::Starting,
        reason,
        findings,
    }
}

pub(super) fn not_ready(detail: &str) -> Finding {
    Finding::PodNotReady {
        detail: detail.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::report::{Finding, NodeStatus};
    use serde_json::{Value, json};

    #[test]
    fn init_and_sidecar_containers() {
        let two_inits = json!({"initContainers": [
            {"name": "setup", "image": "busybox:1.37"},
            {"name": "migrate", "image": "busybox:1.37"}]});
        let sidecar = json!({"initContainers": [{"name": "proxy", "image": "envoy:1", "restartPolicy": "Always"}]});
        let init_status = |inits: Value| {
            json!({"phase": "Pending", "conditions": conds(false, false),
                   "initContainerStatuses": inits,
                   "containerStatuses": [cstat("agent", waiting("PodInitializing", ""), false, 0)]})
        };
        let mut init_problem = problem("CrashLoopBackOff", 2, Some((1, "Error")));
        if let Finding::ContainerProblem {
            container,
            init,
            image,
            ..
        } = &mut init_problem
        {
            *container = "setup".into();
            *init = true;
            *image = Some("busybox:1.37".into());
        }
        run(vec![
            case(
                "second of two init containers running reads Init:1/2",
                pod_with(
                    two_inits.clone(),
                    init_status(json!([
                        cstat("setup", terminated(0, Some("Completed")), false, 0),
                        cstat("migrate", running(), false, 0)
                    ])),
                    json!({}),
                ),
                NodeStatus::Starting,
                "Init:1/2: init container migrate is still running",
            ),
            case(
                "first init container being created",
                pod_with(
                    two_inits.clone(),
                    init_status(json!([
                        cstat("setup", waiting("ContainerCreating", ""), false, 0),
                        cstat("migrate", waiting("PodInitializing", ""), false, 0)
                    ])),
                    json!({}),
                ),
                NodeStatus::Starting,
                "Init:0/2: init container setup is ContainerCreating",
            ),
            case(
                "init container in CrashLoopBackOff is failing and says init container",
                pod_with(
                    two_inits.clone(),
                    init_status(json!([
                        with(
                            cstat(
                                "setup",
                                waiting("CrashLoopBackOff", "back-off 20s"),
                                false,
                                2
                            ),
                            "lastState",
                            terminated(1, Some("Error"))
                        ),
                        cstat("migrate", waiting("PodInitializing", ""), false, 0)
                    ])),
                    json!({}),
                ),
                NodeStatus::Failing,
                "CrashLoopBackOff: init container setup restarted 2 times, last exit 1 (Error)",
            )
            .finding(init_problem),
            case(
                "init container terminated with an error",
                pod_with(
                    two_inits.clone(),
                    init_status(json!([cstat(
                        "setup",
                        terminated(1, Some("Error")),
                        false,
                        0
                    )])),
                    json!({}),
                ),
                NodeStatus::Failing,
                "Error: init container setup exited 1 (Error)",
            ),
            case(
                "init container that cannot pull its image",
                pod_with(
                    two_inits,
                    init_status(json!([cstat(
                        "setup",
                        waiting(
                            "ImagePullBackOff",
                            "Back-off pulling image \"busybox:1.37\": ErrImagePull: not found"
                        ),
                        false,
                        0
                    )])),
                    json!({}),
                ),
                NodeStatus::Failing,
                "ImagePullBackOff: image busybox:1.37 cannot be pulled: ErrImagePull: not found",
            ),
            case(
                "sidecar crash-looping after initialization is failing",
                pod_with(
                    sidecar.clone(),
                    json!({"phase": "Running", "conditions": conds(true, false),
                    "initContainerStatuses": [with(cstat("proxy", waiting("CrashLoopBackOff", "back-off"), false, 5), "lastState", terminated(1, Some("Error")))],
                    "containerStatuses": [cstat("agent", running(), true, 0)]}),
                    json!({}),
                ),
                NodeStatus::Failing,
                "CrashLoopBackOff: init container proxy restarted 5 times, last exit 1 (Error)",
            ),
            case(
                "sidecar started but not Ready holds the pod back",
                pod_with(
                    sidecar.clone(),
                    json!({"phase": "Running", "conditions": conds(true, false),
                    "initContainerStatuses": [with(cstat("proxy", running(), false, 0), "started", json!(true))],
                    "containerStatuses": [cstat("agent", running(), true, 0)]}),
                    json!({}),
                ),
                NodeStatus::Starting,
                "sidecar container proxy running but not Ready yet (readiness probe not passing)",
            ),
            case(
                "sidecar not started yet blocks initialization",
                pod_with(
                    sidecar,
                    init_status(json!([with(
                        cstat("proxy", running(), false, 0),
                        "started",
                        json!(false)
                    )])),
                    json!({}),
                ),
                NodeStatus::Starting,
                "Init:0/1: init container proxy is still running",
            ),
        ]);
    }

    #[test]
    fn starting_pods() {
        let sandbox = ev(
            "FailedCreatePodSandBox",
            "Warning",
            "Failed to create pod sandbox: cni not ready",
            "2026-11-23T11:48:00Z",
        );
        let mount = ev(
            "FailedMount",
            "Warning",
            "MountVolume.SetUp failed for volume \"cfg\" : configmap \"cfg\" not found",
            "2026-11-23T11:49:00Z",
        );
        let normal = ev(
            "Scheduled",
            "Normal",
            "Successfully assigned ns/agent-abcde to w-1",
            "2026-11-23T11:50:00Z",
        );
        let bare =
            json!({"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "True"}]});
        let not_ready = json!({"phase": "Running", "conditions": conds(true, false),
            "containerStatuses": [cstat("agent", running(), false, 0)]});
        let gated = json!({"phase": "Running", "conditions": conds(true, false),
            "containerStatuses": [cstat("agent", running(), true, 0)]});
        run(vec![
            case(
                "bound pod without any container status",
                pod(bare.clone()),
                NodeStatus::Starting,
                "bound to the node, but the kubelet has not reported any container status yet",
            )
            .finding(Finding::PodNotReady {
                detail: "bound to the node, but the kubelet has not reported any container status yet".into(),
            }),
            case(
                "no container status and a kubelet volume warning is failing",
                pod(bare),
                NodeStatus::Failing,
                "bound to the node, but the kubelet has not reported any container status yet; kubelet reports FailedMount: MountVolume.SetUp failed for volume \"cfg\" : configmap \"cfg\" not found",
            )
            .events(vec![sandbox.clone(), mount, normal.clone()]),
            case(
                "ContainerCreating",
                pod(one("Pending", waiting("ContainerCreating", ""), 0)),
                NodeStatus::Starting,
                "ContainerCreating: the kubelet is creating container agent",
            )
            .events(vec![normal]),
            case(
                "ContainerCreating stuck on the pod sandbox is failing and quotes the kubelet",
                pod(one("Pending", waiting("ContainerCreating", ""), 0)),
                NodeStatus::Failing,
                "ContainerCreating: the kubelet is creating container agent; kubelet reports FailedCreatePodSandBox: Failed to create pod sandbox: cni not ready",
            )
            .events(vec![sandbox]),
            case(
                "running but readiness probe not passing",
                pod(not_ready.clone()),
                NodeStatus::Starting,
                "container agent running but not Ready yet (readiness probe not passing)",
            ),
            case(
                "running but startup probe not passing",
                pod(json!({"phase": "Running", "conditions": conds(true, false),
                    "containerStatuses": [with(cstat("agent", running(), false, 0), "started", json!(false))]})),
                NodeStatus::Starting,
                "container agent running but not started yet (startup probe not passing)",
            ),
            case(
                "running not ready after restarts says so",
                pod(json!({"phase": "Running", "conditions": conds(true, false),
                    "containerStatuses": [with(cstat("agent", running(), false, 2), "lastState", terminated(1, Some("Error")))]})),
                NodeStatus::Starting,
                "container agent running but not Ready yet (readiness probe not passing); restarted 2 times, last exit 1 (Error)",
            ),
            case(
                "container exited 0 and is being restarted",
                pod(one("Running", terminated(0, Some("Completed")), 1)),
                NodeStatus::Starting,
                "Completed: container agent exited 0 (Completed) and is being restarted",
            ),
            case(
                "an unlisted benign waiting reason stays Starting",
                pod(one("Pending", waiting("ContainerPending", "waiting for device"), 0)),
                NodeStatus::Starting,
                "ContainerPending: container agent is waiting: waiting for device",
            ),
            case(
                "readiness gate not True",
                pod_with(json!({"readinessGates": [{"conditionType": "example.com/lb-ready"}]}), gated.clone(), json!({})),
                NodeStatus::Starting,
                "all containers are Ready, but readiness gate example.com/lb-ready is not True",
            ),
            case(
                "containers Ready but pod Ready not yet updated",
                pod(gated),
                NodeStatus::Starting,
                "containers are running, but the pod is not Ready yet (Ready=False)",
            ),
            case(
                "a Ready pod marked for disruption says who is stopping it",
                pod_with(json!({}), json!({"phase": "Running", "conditions": [
                    {"type": "Ready", "status": "True"},
                    {"type": "DisruptionTarget", "status": "True", "reason": "EvictionByEvictionAPI", "message": "Eviction API: evicting"}]}),
                    json!({"deletionTimestamp": "2026-11-23T12:00:00Z"})),
                NodeStatus::Running,
                "running and Ready; marked for disruption (EvictionByEvictionAPI: Eviction API: evicting); terminating since 2026-11-23T12:00:00Z",
            ),
            case(
                "terminating starting pod keeps Starting",
                pod_with(json!({}), not_ready, json!({"deletionTimestamp": "2026-11-23T12:00:00Z"})),
                NodeStatus::Starting,
                "container agent running but not Ready yet (readiness probe not passing); terminating since 2026-11-23T12:00:00Z",
            )
            .finding(Finding::PodTerminating { since: Some("2026-11-23T12:00:00Z".into()) }),
        ]);
    }
}
