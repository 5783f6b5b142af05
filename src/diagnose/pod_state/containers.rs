//! The containers the kubelet cannot run: waiting reasons it writes when a container cannot be
//! pulled, created or started, and terminations that count as failures, each told in kubectl's
//! words. Decides Failing only; a container merely on its way up is the starting module's.

use k8s_openapi::api::core::v1::ContainerStateTerminated;

use super::PodAssessment;
use super::events::{event_finding, last_pull_failure, pull_detail};
use super::status::{all_statuses, container_image, last_terminated};
use crate::report::{Finding, NodeStatus};
use crate::snapshot::EventRecord;
use crate::snapshot::pod::{ContainerStatus, Pod};

// Waiting reasons the kubelet writes when it cannot get a container running. Each is the string of an error
// value upstream; they are matched exactly because the kubelet copies `err.Error()` into waiting.reason.
// Mirrors pkg/kubelet/images/types.go (ErrImagePullBackOff, ErrImageInspect = "ImageInspectError",
// ErrImagePull, ErrImageNeverPull, ErrInvalidImageName).
// Mirrors staging/src/k8s.io/cri-api/pkg/errors/errors.go (ErrRegistryUnavailable, ErrSignatureValidationFailed):
// RegistryUnavailable was the kubelet's own until it moved to cri-api; runtimes (CRI-O) return both.
const IMAGE_REASONS: &[&str] = &[
    "ErrImagePull",
    "ImagePullBackOff",
    "InvalidImageName",
    "ErrImageNeverPull",
    "ImageInspectError",
    "RegistryUnavailable",
    "SignatureValidationFailed",
];

// Mirrors pkg/kubelet/container/sync_result.go (ErrCrashLoopBackOff, ErrRunContainer) and
// pkg/kubelet/kuberuntime/kuberuntime_container.go (ErrCreateContainerConfig, ErrPreCreateHook,
// ErrCreateContainer, ErrPreStartHook, ErrPostStartHook). ContainerCannotRun is the dockershim-era
// terminated reason that some runtimes still report as a waiting reason.
const START_REASONS: &[&str] = &[
    "CrashLoopBackOff",
    "CreateContainerConfigError",
    "CreateContainerError",
    "RunContainerError",
    "ContainerCannotRun",
    "PreCreateHookError",
    "PreStartHookError",
    "PostStartHookError",
];

// Terminated reasons that mean the container failed even if a runtime reported exit code 0.
// Mirrors pkg/kubelet/kubelet_pods.go (ContainerStatusUnknown) and the CRI runtimes' reasons.
const FAILED_TERMINATION_REASONS: &[&str] = &[
    "Error",
    "OOMKilled",
    "ContainerCannotRun",
    "DeadlineExceeded",
    "ContainerStatusUnknown",
];

/// Every container the kubelet cannot run: init containers first, then regular ones, each in status order
/// (kubectl's STATUS column shows the first init problem, else the first regular container's reason).
pub(super) fn failing_containers(pod: &Pod, events: &[&EventRecord]) -> Option<PodAssessment> {
    let mut problems: Vec<(String, Finding, Vec<Finding>)> = Vec::new();
    for (cs, init) in all_statuses(pod) {
        if let Some(p) = container_failure(pod, cs, init, events) {
            problems.push(p);
        }
    }
    let mut iter = problems.into_iter();
    let (mut reason, first, mut extra) = iter.next()?;
    let mut findings = vec![first];
    findings.append(&mut extra);
    let rest: Vec<_> = iter.collect();
    if !rest.is_empty() {
        let names: Vec<String> = rest
            .iter()
            .filter_map(|(_, f, _)| match f {
                Finding::ContainerProblem {
                    container, reason, ..
                } => Some(format!("{container} ({reason})")),
                _ => None,
            })
            .collect();
        reason.push_str(&format!("; also failing: {}", names.join(", ")));
        for (_, f, mut ev) in rest {
            findings.push(f);
            findings.append(&mut ev);
        }
    }
    Some(PodAssessment {
        status: NodeStatus::Failing,
        reason,
        findings,
    })
}

/// One container's failure, if it has one: (sentence, ContainerProblem, quoted kubelet events).
fn container_failure(
    pod: &Pod,
    cs: &ContainerStatus,
    init: bool,
    events: &[&EventRecord],
) -> Option<(String, Finding, Vec<Finding>)> {
    let who = format!("{} {}", kind_word(init), cs.name);
    let state = cs.state.as_ref();

    if let Some(w) = state.and_then(|s| s.waiting.as_ref()) {
        let reason = w.reason.clone().unwrap_or_default();
        let message = w.message.clone().filter(|m| !m.is_empty());
        if IMAGE_REASONS.contains(&reason.as_str()) {
            let image = container_image(pod, cs, init);
            let mut quoted = Vec::new();
            let detail = match message.as_deref().and_then(|m| pull_detail(m, &image)) {
                Some(d) => d,
                None => match last_pull_failure(events, &image, &cs.image) {
                    Some(ev) => {
                        let d =
                            pull_detail(&ev.message, &image).unwrap_or_else(|| ev.message.clone());
                        quoted.push(event_finding(ev));
                        d
                    }
                    None => message.clone().unwrap_or_else(|| {
                        "the kubelet gave no detail; see `kubectl describe pod` events".into()
                    }),
                },
            };
            let sentence = format!("{reason}: image {image} cannot be pulled: {detail}");
            let f = container_problem(pod, cs, init, &reason, message, last_terminated(cs));
            return Some((sentence, f, quoted));
        }
        if reason == "CrashLoopBackOff" {
            let last = last_terminated(cs);
            let mut sentence = format!(
                "CrashLoopBackOff: {who} restarted {} time{}",
                cs.restart_count,
                if cs.restart_count == 1 { "" } else { "s" }
            );
            if let Some(t) = last {
                sentence.push_str(&format!(", last exit {}", exit_words(t)));
                if let Some(m) = t
                    .message
                    .as_deref()
                    .map(str::trim)
                    .filter(|m| !m.is_empty())
                {
                    sentence.push_str(&format!(": {m}"));
                }
            }
            let f = container_problem(pod, cs, init, &reason, message, last);
            return Some((sentence, f, Vec::new()));
        }
        if START_REASONS.contains(&reason.as_str()) || looks_like_error(&reason) {
            let verb = match reason.as_str() {
                "CreateContainerConfigError" | "CreateContainerError" | "PreCreateHookError" => {
                    "cannot be created"
                }
                "RunContainerError" | "ContainerCannotRun" | "PreStartHookError" => {
                    "cannot be started"
                }
                "PostStartHookError" => "was killed because its postStart hook failed",
                _ => "is failing",
            };
            let sentence = match &message {
                Some(m) => format!("{reason}: {who} {verb}: {m}"),
                None => format!("{reason}: {who} {verb}"),
            };
            let f = container_problem(pod, cs, init, &reason, message, last_terminated(cs));
            return Some((sentence, f, Vec::new()));
        }
        return None;
    }

    if let Some(t) = state.and_then(|s| s.terminated.as_ref()) {
        // A non-restartable init container that exited 0 is done; any other exit 0 is a restart (Starting).
        if !terminated_failed(t) {
            return None;
        }
        let reason = termination_reason(t);
        let mut sentence = format!("{reason}: {who} exited {}", exit_words(t));
        if cs.restart_count > 0 {
            sentence.push_str(&format!(
                " after {} restart{}",
                cs.restart_count,
                if cs.restart_count == 1 { "" } else { "s" }
            ));
        }
        if let Some(m) = t
            .message
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            sentence.push_str(&format!(": {m}"));
        }
        let f = container_problem(pod, cs, init, &reason, t.message.clone(), Some(t));
        return Some((sentence, f, Vec::new()));
    }
    None
}

pub(super) fn container_problem(
    pod: &Pod,
    cs: &ContainerStatus,
    init: bool,
    reason: &str,
    message: Option<String>,
    term: Option<&ContainerStateTerminated>,
) -> Finding {
    let image = container_image(pod, cs, init);
    Finding::ContainerProblem {
        container: cs.name.clone(),
        init,
        reason: reason.to_string(),
        message,
        image: (!image.is_empty()).then_some(image),
        restarts: cs.restart_count,
        exit_code: term.map(|t| t.exit_code),
        last_termination_reason: term.map(termination_reason),
    }
}

/// A waiting reason not in the kubelet's lists but shaped like its errors (runtime-specific reasons).
fn looks_like_error(reason: &str) -> bool {
    reason.starts_with("Err") || reason.ends_with("Error") || reason.ends_with("BackOff")
}

pub(super) fn terminated_failed(t: &ContainerStateTerminated) -> bool {
    t.exit_code != 0
        || t.reason
            .as_deref()
            .is_some_and(|r| FAILED_TERMINATION_REASONS.contains(&r))
}

/// kubectl's word for a termination: its reason, else `Signal:N` / `ExitCode:N`.
// Mirrors pkg/printers/internalversion/printers.go (printPod: "Signal:%d", "ExitCode:%d").
pub(super) fn termination_reason(t: &ContainerStateTerminated) -> String {
    match t.reason.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => r.to_string(),
        None => match t.signal.filter(|s| *s != 0) {
            Some(s) => format!("Signal:{s}"),
            None => format!("ExitCode:{}", t.exit_code),
        },
    }
}

/// `1 (Error)`, `137 (OOMKilled)`, or just the code when the runtime gave no reason.
pub(super) fn exit_words(t: &ContainerStateTerminated) -> String {
    match t.reason.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => format!("{} ({r})", t.exit_code),
        None => match t.signal.filter(|s| *s != 0) {
            Some(s) => format!("{} (signal {s})", t.exit_code),
            None => t.exit_code.to_string(),
        },
    }
}

pub(super) fn kind_word(init: bool) -> &'static str {
    if init { "init container" } else { "container" }
}

#[cfg(test)]
mod tests {
    use super::super::assess_bound_pod;
    use super::super::test_support::*;
    use crate::report::{Finding, NodeStatus};
    use serde_json::{Value, json};

    #[test]
    fn image_problems_are_failing_and_quote_the_kubelet() {
        let pull_err = "failed to pull and unpack image \"registry.example/agent:1\": not found";
        let failed_event = ev(
            "Failed",
            "Warning",
            "Failed to pull image \"registry.example/agent:1\": rpc error: code = NotFound desc = manifest unknown",
            "2026-11-23T11:49:12Z",
        );
        // Newer and from the same kubelet, but says nothing about the registry: must not be the one quoted.
        let terse_failed = ev(
            "Failed",
            "Warning",
            "Error: ImagePullBackOff",
            "2026-11-23T11:49:39Z",
        );
        let backoff = ev(
            "BackOff",
            "Normal",
            "Back-off pulling image \"registry.example/agent:1\"",
            "2026-11-23T11:49:39Z",
        );
        let other_image = ev(
            "Failed",
            "Warning",
            "Failed to pull image \"other:2\": denied",
            "2026-11-23T11:49:50Z",
        );
        run(vec![
            case(
                "ErrImagePull quotes the status message",
                pod(one("Pending", waiting("ErrImagePull", pull_err), 0)),
                NodeStatus::Failing,
                "ErrImagePull: image registry.example/agent:1 cannot be pulled: failed to pull and unpack image \"registry.example/agent:1\": not found",
            )
            .finding(problem("ErrImagePull", 0, None)),
            case(
                "ImagePullBackOff with the detailed message drops the repeated lead-in",
                pod(one("Pending", waiting("ImagePullBackOff", &format!("Back-off pulling image \"{IMG}\": ErrImagePull: {pull_err}")), 0)),
                NodeStatus::Failing,
                "ImagePullBackOff: image registry.example/agent:1 cannot be pulled: ErrImagePull: failed to pull and unpack image \"registry.example/agent:1\": not found",
            )
            .finding(problem("ImagePullBackOff", 0, None)),
            case(
                "terse ImagePullBackOff quotes the last kubelet pull failure event for this image",
                pod(one("Pending", waiting("ImagePullBackOff", "Back-off pulling image \"registry.example/agent:1\""), 0)),
                NodeStatus::Failing,
                "ImagePullBackOff: image registry.example/agent:1 cannot be pulled: rpc error: code = NotFound desc = manifest unknown",
            )
            .events(vec![failed_event.clone(), other_image, terse_failed.clone(), backoff.clone()])
            .finding(Finding::Event {
                reason: "Failed".into(),
                source: "kubelet".into(),
                message: failed_event.message.clone(),
                count: 4,
                last_seen: Some("2026-11-23T11:49:12Z".into()),
            }),
            case(
                "terse ImagePullBackOff without a pull failure event keeps the kubelet's words",
                pod(one("Pending", waiting("ImagePullBackOff", "Back-off pulling image \"registry.example/agent:1\""), 0)),
                NodeStatus::Failing,
                "ImagePullBackOff: image registry.example/agent:1 cannot be pulled: Back-off pulling image \"registry.example/agent:1\"",
            )
            .events(vec![terse_failed, backoff]),
            case(
                "InvalidImageName",
                pod(one("Pending", waiting("InvalidImageName", "Failed to apply default image tag \"registry.example/agent:1\": couldn't parse image reference"), 0)),
                NodeStatus::Failing,
                "InvalidImageName: image registry.example/agent:1 cannot be pulled: Failed to apply default image tag \"registry.example/agent:1\": couldn't parse image reference",
            ),
            case(
                "ErrImageNeverPull",
                pod(one("Pending", waiting("ErrImageNeverPull", "Container image \"registry.example/agent:1\" is not present with pull policy of Never"), 0)),
                NodeStatus::Failing,
                "ErrImageNeverPull: image registry.example/agent:1 cannot be pulled: Container image \"registry.example/agent:1\" is not present with pull policy of Never",
            ),
            case(
                "ImageInspectError (the string behind ErrImageInspect)",
                pod(one("Pending", waiting("ImageInspectError", "Failed to inspect image \"registry.example/agent:1\": rpc error"), 0)),
                NodeStatus::Failing,
                "ImageInspectError: image registry.example/agent:1 cannot be pulled: Failed to inspect image \"registry.example/agent:1\": rpc error",
            ),
            case(
                "RegistryUnavailable",
                pod(one("Pending", waiting("RegistryUnavailable", "image pull failed for registry.example/agent:1 because the registry is unavailable."), 0)),
                NodeStatus::Failing,
                "RegistryUnavailable: image registry.example/agent:1 cannot be pulled: image pull failed for registry.example/agent:1 because the registry is unavailable.",
            ),
            case(
                "SignatureValidationFailed",
                pod(one("Pending", waiting("SignatureValidationFailed", "image signature verification failed"), 0)),
                NodeStatus::Failing,
                "SignatureValidationFailed: image registry.example/agent:1 cannot be pulled: image signature verification failed",
            ),
        ]);
    }

    #[test]
    fn container_start_problems_are_failing() {
        let crash = |last: Value, restarts| {
            pod(json!({"phase": "Running", "conditions": conds(true, false),
                "containerStatuses": [with(cstat("agent", waiting("CrashLoopBackOff", "back-off 5m0s restarting failed container=agent"), false, restarts), "lastState", last)]}))
        };
        let mut oom = terminated(137, Some("OOMKilled"));
        oom["terminated"]["message"] = json!("memory limit 64Mi exceeded");
        run(vec![
            case(
                "CrashLoopBackOff names restarts and the last exit",
                crash(terminated(1, Some("Error")), 7),
                NodeStatus::Failing,
                "CrashLoopBackOff: container agent restarted 7 times, last exit 1 (Error)",
            )
            .finding(problem("CrashLoopBackOff", 7, Some((1, "Error")))),
            case(
                "CrashLoopBackOff after OOMKilled quotes the termination message",
                crash(oom, 1),
                NodeStatus::Failing,
                "CrashLoopBackOff: container agent restarted 1 time, last exit 137 (OOMKilled): memory limit 64Mi exceeded",
            )
            .finding(problem("CrashLoopBackOff", 1, Some((137, "OOMKilled")))),
            case(
                "CreateContainerConfigError quotes the missing ConfigMap",
                pod(one("Pending", waiting("CreateContainerConfigError", "configmap \"agent-config\" not found"), 0)),
                NodeStatus::Failing,
                "CreateContainerConfigError: container agent cannot be created: configmap \"agent-config\" not found",
            )
            .finding(problem("CreateContainerConfigError", 0, None)),
            case(
                "CreateContainerConfigError quotes the missing Secret key",
                pod(one("Pending", waiting("CreateContainerConfigError", "couldn't find key token in Secret ns/agent"), 0)),
                NodeStatus::Failing,
                "CreateContainerConfigError: container agent cannot be created: couldn't find key token in Secret ns/agent",
            ),
            case(
                "CreateContainerError",
                pod(one("Pending", waiting("CreateContainerError", "context deadline exceeded"), 0)),
                NodeStatus::Failing,
                "CreateContainerError: container agent cannot be created: context deadline exceeded",
            ),
            case(
                "PreCreateHookError",
                pod(one("Pending", waiting("PreCreateHookError", "hook failed"), 0)),
                NodeStatus::Failing,
                "PreCreateHookError: container agent cannot be created: hook failed",
            ),
            case(
                "RunContainerError",
                pod(one("Running", waiting("RunContainerError", "exec: \"/agent\": no such file or directory"), 2)),
                NodeStatus::Failing,
                "RunContainerError: container agent cannot be started: exec: \"/agent\": no such file or directory",
            )
            .finding(problem("RunContainerError", 2, None)),
            case(
                "ContainerCannotRun as a waiting reason",
                pod(one("Pending", waiting("ContainerCannotRun", "permission denied"), 0)),
                NodeStatus::Failing,
                "ContainerCannotRun: container agent cannot be started: permission denied",
            ),
            case(
                "PreStartHookError",
                pod(one("Pending", waiting("PreStartHookError", "device plugin failed"), 0)),
                NodeStatus::Failing,
                "PreStartHookError: container agent cannot be started: device plugin failed",
            ),
            case(
                "PostStartHookError",
                pod(one("Running", waiting("PostStartHookError", "Exec lifecycle hook ([/bin/false]) for Container \"agent\" failed - error: command '/bin/false' exited with 1"), 1)),
                NodeStatus::Failing,
                "PostStartHookError: container agent was killed because its postStart hook failed: Exec lifecycle hook ([/bin/false]) for Container \"agent\" failed - error: command '/bin/false' exited with 1",
            ),
            case(
                "an unlisted error-shaped waiting reason is a failure",
                pod(one("Pending", waiting("ErrNoSuchRuntime", "runtime handler gvisor not found"), 0)),
                NodeStatus::Failing,
                "ErrNoSuchRuntime: container agent is failing: runtime handler gvisor not found",
            ),
            case(
                "container terminated non-zero under restartPolicy Always",
                pod(one("Running", terminated(2, Some("Error")), 4)),
                NodeStatus::Failing,
                "Error: container agent exited 2 (Error) after 4 restarts",
            )
            .finding(problem("Error", 4, Some((2, "Error")))),
            case(
                "container OOMKilled",
                pod(one("Running", terminated(137, Some("OOMKilled")), 0)),
                NodeStatus::Failing,
                "OOMKilled: container agent exited 137 (OOMKilled)",
            )
            .finding(problem("OOMKilled", 0, Some((137, "OOMKilled")))),
            case(
                "ContainerCannotRun terminated with exit 0 is still a failure",
                pod(one("Running", terminated(0, Some("ContainerCannotRun")), 0)),
                NodeStatus::Failing,
                "ContainerCannotRun: container agent exited 0 (ContainerCannotRun)",
            ),
            case(
                "DeadlineExceeded",
                pod(one("Running", terminated(1, Some("DeadlineExceeded")), 0)),
                NodeStatus::Failing,
                "DeadlineExceeded: container agent exited 1 (DeadlineExceeded)",
            ),
            case(
                "terminated without a reason reads like kubectl's ExitCode:N",
                pod(one("Running", terminated(3, None), 0)),
                NodeStatus::Failing,
                "ExitCode:3: container agent exited 3",
            ),
        ]);
    }

    #[test]
    fn several_failing_containers_are_all_reported() {
        let p = pod_with(
            json!({"containers": [{"name": "agent", "image": IMG}, {"name": "shipper", "image": "shipper:2"}]}),
            json!({"phase": "Pending", "conditions": conds(true, false), "containerStatuses": [
                cstat("agent", waiting("CreateContainerConfigError", "secret \"agent\" not found"), false, 0),
                cstat("shipper", waiting("ErrImagePull", "not found"), false, 0)]}),
            json!({}),
        );
        let a = assess_bound_pod(&p, &[]);
        assert_eq!(a.status, NodeStatus::Failing);
        assert_eq!(
            a.reason,
            "CreateContainerConfigError: container agent cannot be created: secret \"agent\" not found; also failing: shipper (ErrImagePull)"
        );
        let names: Vec<_> = a
            .findings
            .iter()
            .filter_map(|f| match f {
                Finding::ContainerProblem {
                    container, image, ..
                } => Some((container.as_str(), image.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(
            names,
            vec![
                ("agent", Some(IMG.to_string())),
                ("shipper", Some("shipper:2".to_string()))
            ]
        );
    }
}
