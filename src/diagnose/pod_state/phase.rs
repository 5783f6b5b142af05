//! Bound pods whose phase (Failed, Succeeded, Unknown) or NodeLost reason already decides the
//! verdict: Failing, in the words the kubelet or the node lifecycle controller wrote. Looks at a
//! container only to name the one that ended a pod failed without a reason.

use super::PodAssessment;
use super::containers::{
    container_problem, exit_words, kind_word, terminated_failed, termination_reason,
};
use super::status::{all_statuses, phase, true_condition};
use crate::report::{Finding, NodeStatus};
use crate::snapshot::pod::Pod;

/// Failing when the pod's phase or the NodeLost reason decides it, before any container is looked
/// at; None when neither does.
pub(super) fn decided_by_phase(pod: &Pod) -> Option<PodAssessment> {
    let status = pod.status.as_ref();
    let pod_reason = status
        .and_then(|s| s.reason.clone())
        .filter(|s| !s.is_empty());
    let pod_message = status
        .and_then(|s| s.message.clone())
        .filter(|s| !s.is_empty());

    match phase(pod) {
        "Failed" => return Some(pod_failed(pod, pod_reason, pod_message)),
        // A DaemonSet pod runs with restartPolicy Always; Succeeded means it stopped for good
        // (typically all containers exited 0 while the kubelet was terminating it).
        "Succeeded" => {
            let msg = pod_message.clone().unwrap_or_else(|| {
                "the pod's containers exited and the pod completed, but a DaemonSet pod must keep running"
                    .to_string()
            });
            return Some(PodAssessment {
                status: NodeStatus::Failing,
                reason: format!("{}: {msg}", pod_reason.as_deref().unwrap_or("Succeeded")),
                findings: vec![Finding::PodFailed {
                    reason: Some(pod_reason.unwrap_or_else(|| "Succeeded".into())),
                    message: Some(msg),
                }],
            });
        }
        // The apiserver only reports Unknown when it cannot learn the pod's state from the node.
        "Unknown" => {
            let msg = pod_message.unwrap_or_else(|| {
                "the pod's state could not be obtained from the node's kubelet".to_string()
            });
            return Some(PodAssessment {
                status: NodeStatus::Failing,
                reason: format!("pod phase Unknown: {msg}"),
                findings: vec![Finding::PodFailed {
                    reason: Some(pod_reason.unwrap_or_else(|| "Unknown".into())),
                    message: Some(msg),
                }],
            });
        }
        _ => {}
    }

    // The node lifecycle controller writes NodeLost on pods of an unreachable node; their last status is stale.
    // Mirrors pkg/controller/util/node/controller_utils.go (SetPodTerminationReason, NodeUnreachablePodReason).
    if pod_reason.as_deref() == Some("NodeLost") {
        let msg = pod_message.unwrap_or_else(|| "the node is unreachable".to_string());
        return Some(PodAssessment {
            status: NodeStatus::Failing,
            reason: format!("NodeLost: {msg}"),
            findings: vec![Finding::PodFailed {
                reason: pod_reason,
                message: Some(msg),
            }],
        });
    }
    None
}

fn pod_failed(pod: &Pod, pod_reason: Option<String>, pod_message: Option<String>) -> PodAssessment {
    // Without status.reason, the DisruptionTarget condition says who stopped the pod (preemption, eviction,
    // taint manager, kubelet). Mirrors staging/src/k8s.io/api/core/v1/types.go (DisruptionTarget reasons).
    let disruption = true_condition(pod, "DisruptionTarget");
    let reason = pod_reason.or_else(|| disruption.and_then(|c| c.reason.clone()));
    let message = pod_message.or_else(|| disruption.and_then(|c| c.message.clone()));
    let mut findings = vec![Finding::PodFailed {
        reason: reason.clone(),
        message: message.clone(),
    }];
    let text = match (&reason, &message) {
        (Some(r), Some(m)) => format!("{r}: {m}"),
        (Some(r), None) => format!("{r}: the pod failed (phase Failed)"),
        (None, Some(m)) => format!("Failed: {m}"),
        (None, None) => {
            // Name the container that ended it, as kubectl shows its termination reason.
            let term = all_statuses(pod).into_iter().find_map(|(cs, init)| {
                cs.state
                    .as_ref()
                    .and_then(|s| s.terminated.as_ref())
                    .filter(|t| terminated_failed(t))
                    .map(|t| (cs, init, t))
            });
            match term {
                Some((cs, init, t)) => {
                    findings.push(container_problem(
                        pod,
                        cs,
                        init,
                        &termination_reason(t),
                        t.message.clone(),
                        Some(t),
                    ));
                    format!(
                        "Failed: the pod failed; {} {} exited {}",
                        kind_word(init),
                        cs.name,
                        exit_words(t)
                    )
                }
                None => "Failed: the pod failed (phase Failed)".to_string(),
            }
        }
    };
    PodAssessment {
        status: NodeStatus::Failing,
        reason: text,
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::report::{Finding, NodeStatus};
    use serde_json::json;

    #[test]
    fn pod_level_failures() {
        let failed = |reason: &str, message: &str| {
            json!({"phase": "Failed", "reason": reason, "message": message,
                   "conditions": [{"type": "PodScheduled", "status": "True"}]})
        };
        let pf = |r: &str, m: &str| Finding::PodFailed {
            reason: Some(r.into()),
            message: Some(m.into()),
        };
        let oocpu = "Pod was rejected: Node didn't have enough resource: cpu, requested: 10, used: 3995, capacity: 4000";
        let evicted =
            "The node was low on resource: memory. Threshold quantity: 100Mi, available: 80Mi.";
        run(vec![
            case("OutOfcpu rejection", pod(failed("OutOfcpu", oocpu)), NodeStatus::Failing,
                "OutOfcpu: Pod was rejected: Node didn't have enough resource: cpu, requested: 10, used: 3995, capacity: 4000")
                .finding(pf("OutOfcpu", oocpu)),
            case("Evicted", pod(failed("Evicted", evicted)), NodeStatus::Failing,
                "Evicted: The node was low on resource: memory. Threshold quantity: 100Mi, available: 80Mi.")
                .finding(pf("Evicted", evicted)),
            case("NodeAffinity rejection by the kubelet",
                pod(failed("NodeAffinity", "Pod was rejected: Predicate NodeAffinity failed")), NodeStatus::Failing,
                "NodeAffinity: Pod was rejected: Predicate NodeAffinity failed"),
            case("UnexpectedAdmissionError",
                pod(failed("UnexpectedAdmissionError", "Allocate failed due to no healthy devices present")), NodeStatus::Failing,
                "UnexpectedAdmissionError: Allocate failed due to no healthy devices present"),
            case("node shutdown", pod(failed("Terminated", "Pod was terminated in response to imminent node shutdown.")),
                NodeStatus::Failing, "Terminated: Pod was terminated in response to imminent node shutdown."),
            case("kubelet critical-pod preemption", pod(failed("Preempting", "Preempted in order to admit critical pod")),
                NodeStatus::Failing, "Preempting: Preempted in order to admit critical pod"),
            case(
                "Failed without reason uses the DisruptionTarget condition",
                pod(json!({"phase": "Failed", "conditions": [
                    {"type": "DisruptionTarget", "status": "True", "reason": "PreemptionByScheduler",
                     "message": "default-scheduler: preempting to accommodate a higher priority pod"}]})),
                NodeStatus::Failing,
                "PreemptionByScheduler: default-scheduler: preempting to accommodate a higher priority pod",
            ),
            case(
                "Failed with nothing but a container's exit",
                pod(one("Failed", terminated(1, Some("Error")), 0)),
                NodeStatus::Failing,
                "Failed: the pod failed; container agent exited 1 (Error)",
            )
            .finding(problem("Error", 0, Some((1, "Error")))),
            case(
                "Failed wins over a stale Ready condition",
                pod(json!({"phase": "Failed", "reason": "Evicted", "message": evicted, "conditions": conds(true, true)})),
                NodeStatus::Failing,
                "Evicted: The node was low on resource: memory. Threshold quantity: 100Mi, available: 80Mi.",
            ),
            case(
                "Succeeded: a daemon pod must not exit",
                pod(json!({"phase": "Succeeded", "conditions": conds(true, false)})),
                NodeStatus::Failing,
                "Succeeded: the pod's containers exited and the pod completed, but a DaemonSet pod must keep running",
            ),
            case(
                "phase Unknown",
                pod(json!({"phase": "Unknown"})),
                NodeStatus::Failing,
                "pod phase Unknown: the pod's state could not be obtained from the node's kubelet",
            ),
            case(
                "NodeLost on a terminating pod of an unreachable node",
                pod_with(json!({}), json!({"phase": "Running", "reason": "NodeLost",
                    "message": "Node w-1 which was running pod agent-abcde is unresponsive",
                    "conditions": conds(true, true)}), json!({"deletionTimestamp": "2026-11-23T12:00:00Z"})),
                NodeStatus::Failing,
                "NodeLost: Node w-1 which was running pod agent-abcde is unresponsive; terminating since 2026-11-23T12:00:00Z",
            ),
        ]);
    }
}
