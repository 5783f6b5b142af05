//! Judges a DaemonSet pod that is already bound to its node (spec.nodeName set): Running, Starting or
//! Failing, in the kubelet's own words. Reads only the pod and events about it; never decides eligibility,
//! scheduling or revisions (other modules do), and does no I/O and reads no clock.

use k8s_openapi::api::core::v1::{
    Container, ContainerStateTerminated, ContainerStatus, Pod, PodCondition,
};

use crate::report::{Finding, NodeStatus};
use crate::snapshot::EventRecord;

/// The verdict for one bound pod. `status` is only ever Running, Starting or Failing.
#[derive(Debug, Clone, PartialEq)]
pub struct PodAssessment {
    pub status: NodeStatus,
    /// One sentence a person can act on.
    pub reason: String,
    pub findings: Vec<Finding>,
}

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

// Kubelet warnings that explain why a container stays ContainerCreating (sandbox, volumes).
// Mirrors pkg/kubelet/events/event.go (FailedMountVolume, FailedAttachVolume, FailedCreatePodSandBox...).
const CREATING_WARNING_EVENTS: &[&str] = &[
    "FailedMount",
    "FailedAttachVolume",
    "FailedMapVolume",
    "FailedCreatePodSandBox",
    "FailedPodSandBoxStatus",
    "NetworkNotReady",
    "FailedCreatePodContainer",
];

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
    let status = pod.status.as_ref();
    let pod_reason = status
        .and_then(|s| s.reason.clone())
        .filter(|s| !s.is_empty());
    let pod_message = status
        .and_then(|s| s.message.clone())
        .filter(|s| !s.is_empty());

    match phase(pod) {
        "Failed" => return pod_failed(pod, pod_reason, pod_message),
        // A DaemonSet pod runs with restartPolicy Always; Succeeded means it stopped for good
        // (typically all containers exited 0 while the kubelet was terminating it).
        "Succeeded" => {
            let msg = pod_message.clone().unwrap_or_else(|| {
                "the pod's containers exited and the pod completed, but a DaemonSet pod must keep running"
                    .to_string()
            });
            return PodAssessment {
                status: NodeStatus::Failing,
                reason: format!("{}: {msg}", pod_reason.as_deref().unwrap_or("Succeeded")),
                findings: vec![Finding::PodFailed {
                    reason: Some(pod_reason.unwrap_or_else(|| "Succeeded".into())),
                    message: Some(msg),
                }],
            };
        }
        // The apiserver only reports Unknown when it cannot learn the pod's state from the node.
        "Unknown" => {
            let msg = pod_message.unwrap_or_else(|| {
                "the pod's state could not be obtained from the node's kubelet".to_string()
            });
            return PodAssessment {
                status: NodeStatus::Failing,
                reason: format!("pod phase Unknown: {msg}"),
                findings: vec![Finding::PodFailed {
                    reason: Some(pod_reason.unwrap_or_else(|| "Unknown".into())),
                    message: Some(msg),
                }],
            };
        }
        _ => {}
    }

    // The node lifecycle controller writes NodeLost on pods of an unreachable node; their last status is stale.
    // Mirrors pkg/controller/util/node/controller_utils.go (SetPodTerminationReason, NodeUnreachablePodReason).
    if pod_reason.as_deref() == Some("NodeLost") {
        let msg = pod_message.unwrap_or_else(|| "the node is unreachable".to_string());
        return PodAssessment {
            status: NodeStatus::Failing,
            reason: format!("NodeLost: {msg}"),
            findings: vec![Finding::PodFailed {
                reason: pod_reason,
                message: Some(msg),
            }],
        };
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
        kubelet_warning(events, &mut reason, &mut findings);
        findings.insert(0, not_ready(&reason));
        return PodAssessment {
            status: NodeStatus::Starting,
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
        if inits.get(i).and_then(waiting_reason) == Some("ContainerCreating") {
            kubelet_warning(events, &mut reason, &mut findings);
        }
        findings.insert(0, not_ready(&reason));
        return PodAssessment {
            status: NodeStatus::Starting,
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

/// Every container the kubelet cannot run: init containers first, then regular ones, each in status order
/// (kubectl's STATUS column shows the first init problem, else the first regular container's reason).
fn failing_containers(pod: &Pod, events: &[&EventRecord]) -> Option<PodAssessment> {
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

/// Not ready, nothing failed: name the first container holding the pod back, in kubectl's order.
fn regular_starting(pod: &Pod, events: &[&EventRecord]) -> PodAssessment {
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
    if creating {
        kubelet_warning(events, &mut reason, &mut findings);
    }
    findings.insert(0, not_ready(&reason));
    PodAssessment {
        status: NodeStatus::Starting,
        reason,
        findings,
    }
}

fn starting(reason: String, mut findings: Vec<Finding>) -> PodAssessment {
    findings.insert(0, not_ready(&reason));
    PodAssessment {
        status: NodeStatus::Starting,
        reason,
        findings,
    }
}

fn not_ready(detail: &str) -> Finding {
    Finding::PodNotReady {
        detail: detail.to_string(),
    }
}

/// Appends the newest kubelet warning that explains a stuck ContainerCreating (mount, sandbox) and quotes it.
fn kubelet_warning(events: &[&EventRecord], reason: &mut String, findings: &mut Vec<Finding>) {
    let ev = newest(events.iter().copied().filter(|e| {
        e.type_ == "Warning"
            && e.source == "kubelet"
            && CREATING_WARNING_EVENTS.contains(&e.reason.as_str())
    }));
    if let Some(ev) = ev {
        reason.push_str(&format!("; kubelet reports {}: {}", ev.reason, ev.message));
        findings.push(event_finding(ev));
    }
}

/// The kubelet's newest `Failed to pull image "<image>": ...` event for this image.
// Mirrors pkg/kubelet/images/image_manager.go (EnsureImageExists: event FailedToPullImage, "Failed to pull image %q: %v").
fn last_pull_failure<'a>(
    events: &[&'a EventRecord],
    spec_image: &str,
    status_image: &str,
) -> Option<&'a EventRecord> {
    let prefixes: Vec<String> = [spec_image, status_image]
        .iter()
        .filter(|i| !i.is_empty())
        .map(|i| format!("Failed to pull image \"{i}\""))
        .collect();
    newest(events.iter().copied().filter(|e| {
        e.reason == "Failed"
            && (e.source == "kubelet" || e.source.is_empty())
            && prefixes.iter().any(|p| e.message.starts_with(p.as_str()))
    }))
}

/// Newest by last_seen; among equals (or without times) the later one, since events come newest last.
fn newest<'a>(events: impl Iterator<Item = &'a EventRecord>) -> Option<&'a EventRecord> {
    events.fold(None, |best: Option<&EventRecord>, e| match best {
        Some(b) if b.last_seen > e.last_seen => Some(b),
        _ => Some(e),
    })
}

/// The registry's error out of a kubelet pull message, without the `Back-off pulling image "x": ` or
/// `Failed to pull image "x": ` lead-in that only repeats the image. None when nothing is left (the terse
/// back-off form, whose detail lives in the kubelet's Failed event).
// Mirrors pkg/kubelet/images/image_manager.go ("Back-off pulling image %q", "Failed to pull image %q: %v").
fn pull_detail(message: &str, image: &str) -> Option<String> {
    let mut m = message.trim();
    for lead in ["Back-off pulling image ", "Failed to pull image "] {
        if let Some(rest) = m.strip_prefix(lead) {
            // The quoted image may be the spec's or a normalised one; skip whatever is quoted.
            let after = rest.strip_prefix(&format!("\"{image}\"")).or_else(|| {
                rest.strip_prefix('"')
                    .and_then(|r| r.find('"').map(|i| &r[i + 1..]))
            });
            if let Some(after) = after {
                m = after.strip_prefix(':').unwrap_or(after).trim();
            }
        }
    }
    (!m.is_empty()).then(|| m.to_string())
}

fn event_finding(ev: &EventRecord) -> Finding {
    Finding::Event {
        reason: ev.reason.clone(),
        source: ev.source.clone(),
        message: ev.message.clone(),
        count: ev.count,
        last_seen: ev.last_seen.map(|t| t.to_string()),
    }
}

fn container_problem(
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

/// Where init containers stand, walked exactly like kubectl's printPod init loop.
struct InitScan {
    /// Index (into initContainerStatuses) of the first init container not done yet.
    blocking: Option<usize>,
    /// Restarts of init containers up to and including the blocking one.
    all_restarts: i32,
    /// Restarts of restartable (sidecar) init containers among those.
    sidecar_restarts: i32,
}

// Mirrors pkg/printers/internalversion/printers.go (printPod init container loop).
fn init_scan(pod: &Pod) -> InitScan {
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
fn all_statuses(pod: &Pod) -> Vec<(&ContainerStatus, bool)> {
    init_container_statuses(pod)
        .iter()
        .map(|c| (c, true))
        .chain(container_statuses(pod).iter().map(|c| (c, false)))
        .collect()
}

fn init_container_statuses(pod: &Pod) -> &[ContainerStatus] {
    pod.status
        .as_ref()
        .and_then(|s| s.init_container_statuses.as_deref())
        .unwrap_or(&[])
}

fn container_statuses(pod: &Pod) -> &[ContainerStatus] {
    pod.status
        .as_ref()
        .and_then(|s| s.container_statuses.as_deref())
        .unwrap_or(&[])
}

fn pod_spec_init_containers(pod: &Pod) -> &[Container] {
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
fn is_restartable_init(pod: &Pod, name: &str) -> bool {
    spec_container(pod, name, true)
        .and_then(|c| c.restart_policy.as_deref())
        .is_some_and(|p| p == "Always")
}

/// The image as the user wrote it in the pod spec (what kubelet messages quote), else as the status has it.
fn container_image(pod: &Pod, cs: &ContainerStatus, init: bool) -> String {
    spec_container(pod, &cs.name, init)
        .and_then(|c| c.image.clone())
        .filter(|i| !i.is_empty())
        .unwrap_or_else(|| cs.image.clone())
}

fn phase(pod: &Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("")
}

fn true_condition<'a>(pod: &'a Pod, type_: &str) -> Option<&'a PodCondition> {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == type_))
        .filter(|c| c.status == "True")
}

fn condition_is_true(pod: &Pod, type_: &str) -> bool {
    pod.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|cs| cs.iter().find(|c| c.type_ == type_))
        .is_some_and(|c| c.status == "True")
}

fn ready_condition_text(pod: &Pod) -> String {
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

fn waiting_reason(cs: &ContainerStatus) -> Option<&str> {
    cs.state
        .as_ref()
        .and_then(|s| s.waiting.as_ref())
        .and_then(|w| w.reason.as_deref())
        .filter(|r| !r.is_empty())
}

fn waiting_message(cs: &ContainerStatus) -> Option<&str> {
    cs.state
        .as_ref()
        .and_then(|s| s.waiting.as_ref())
        .and_then(|w| w.message.as_deref())
        .filter(|m| !m.is_empty())
}

fn last_terminated(cs: &ContainerStatus) -> Option<&ContainerStateTerminated> {
    cs.last_state.as_ref().and_then(|s| s.terminated.as_ref())
}

/// A waiting reason not in the kubelet's lists but shaped like its errors (runtime-specific reasons).
fn looks_like_error(reason: &str) -> bool {
    reason.starts_with("Err") || reason.ends_with("Error") || reason.ends_with("BackOff")
}

fn terminated_failed(t: &ContainerStateTerminated) -> bool {
    t.exit_code != 0
        || t.reason
            .as_deref()
            .is_some_and(|r| FAILED_TERMINATION_REASONS.contains(&r))
}

/// kubectl's word for a termination: its reason, else `Signal:N` / `ExitCode:N`.
// Mirrors pkg/printers/internalversion/printers.go (printPod: "Signal:%d", "ExitCode:%d").
fn termination_reason(t: &ContainerStateTerminated) -> String {
    match t.reason.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => r.to_string(),
        None => match t.signal.filter(|s| *s != 0) {
            Some(s) => format!("Signal:{s}"),
            None => format!("ExitCode:{}", t.exit_code),
        },
    }
}

/// `1 (Error)`, `137 (OOMKilled)`, or just the code when the runtime gave no reason.
fn exit_words(t: &ContainerStateTerminated) -> String {
    match t.reason.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => format!("{} ({r})", t.exit_code),
        None => match t.signal.filter(|s| *s != 0) {
            Some(s) => format!("{} (signal {s})", t.exit_code),
            None => t.exit_code.to_string(),
        },
    }
}

fn kind_word(init: bool) -> &'static str {
    if init { "init container" } else { "container" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::events::from_core;
    use k8s_openapi::api::core::v1::Event as CoreEvent;
    use serde_json::{Value, json};

    const IMG: &str = "registry.example/agent:1";

    /// A bound pod with one container `agent`; `spec` keys are merged over that base.
    fn pod_with(spec: Value, status: Value, meta: Value) -> Pod {
        let mut base = json!({
            "metadata": {"name": "agent-abcde", "namespace": "ns"},
            "spec": {"nodeName": "w-1", "containers": [{"name": "agent", "image": IMG}]},
            "status": status,
        });
        for (k, v) in spec.as_object().cloned().unwrap_or_default() {
            base["spec"][k] = v;
        }
        for (k, v) in meta.as_object().cloned().unwrap_or_default() {
            base["metadata"][k] = v;
        }
        serde_json::from_value(base).unwrap()
    }

    fn pod(status: Value) -> Pod {
        pod_with(json!({}), status, json!({}))
    }

    fn cstat(name: &str, state: Value, ready: bool, restarts: i32) -> Value {
        let started = state.get("running").is_some();
        json!({"name": name, "image": IMG, "imageID": "", "ready": ready,
               "restartCount": restarts, "state": state, "started": started})
    }

    fn with(mut v: Value, key: &str, val: Value) -> Value {
        v[key] = val;
        v
    }

    fn waiting(reason: &str, message: &str) -> Value {
        if message.is_empty() {
            json!({"waiting": {"reason": reason}})
        } else {
            json!({"waiting": {"reason": reason, "message": message}})
        }
    }

    fn running() -> Value {
        json!({"running": {"startedAt": "2026-11-23T11:47:22Z"}})
    }

    fn terminated(code: i32, reason: Option<&str>) -> Value {
        let mut t = json!({"exitCode": code, "finishedAt": "2026-11-23T11:46:57Z"});
        if let Some(r) = reason {
            t["reason"] = json!(r);
        }
        json!({"terminated": t})
    }

    fn conds(initialized: bool, ready: bool) -> Value {
        let s = |b: bool| if b { "True" } else { "False" };
        json!([
            {"type": "Initialized", "status": s(initialized)},
            {"type": "Ready", "status": s(ready)},
            {"type": "ContainersReady", "status": s(ready)},
            {"type": "PodScheduled", "status": "True"},
        ])
    }

    /// Status of a pod whose only container has the given state (pod not Ready).
    fn one(phase: &str, state: Value, restarts: i32) -> Value {
        json!({"phase": phase, "conditions": conds(true, false),
               "containerStatuses": [cstat("agent", state, false, restarts)]})
    }

    fn ev(reason: &str, type_: &str, message: &str, last_seen: &str) -> EventRecord {
        EventRecord {
            uid: None,
            namespace: "ns".into(),
            object_kind: "Pod".into(),
            object_name: "agent-abcde".into(),
            object_uid: None,
            reason: reason.into(),
            message: message.into(),
            type_: type_.into(),
            source: "kubelet".into(),
            count: 4,
            last_seen: Some(last_seen.parse().unwrap()),
        }
    }

    fn problem(reason: &str, restarts: i32, exit: Option<(i32, &str)>) -> Finding {
        Finding::ContainerProblem {
            container: "agent".into(),
            init: false,
            reason: reason.into(),
            message: None,
            image: Some(IMG.into()),
            restarts,
            exit_code: exit.map(|e| e.0),
            last_termination_reason: exit.map(|e| e.1.to_string()),
        }
    }

    /// Compares a ContainerProblem ignoring `message` (asserted through the reason sentence instead).
    fn same_problem(got: &Finding, want: &Finding) -> bool {
        match (got, want) {
            (Finding::ContainerProblem { message: _, .. }, Finding::ContainerProblem { .. }) => {
                let mut g = got.clone();
                if let Finding::ContainerProblem { message, .. } = &mut g {
                    *message = None;
                }
                &g == want
            }
            _ => got == want,
        }
    }

    struct Case {
        name: &'static str,
        pod: Pod,
        events: Vec<EventRecord>,
        status: NodeStatus,
        reason: &'static str,
        finding: Option<Finding>,
    }

    fn case(name: &'static str, pod: Pod, status: NodeStatus, reason: &'static str) -> Case {
        Case {
            name,
            pod,
            events: Vec::new(),
            status,
            reason,
            finding: None,
        }
    }

    impl Case {
        fn events(mut self, events: Vec<EventRecord>) -> Self {
            self.events = events;
            self
        }
        fn finding(mut self, f: Finding) -> Self {
            self.finding = Some(f);
            self
        }
    }

    fn run(cases: Vec<Case>) {
        for c in cases {
            let refs: Vec<&EventRecord> = c.events.iter().collect();
            let got = assess_bound_pod(&c.pod, &refs);
            assert_eq!(
                got.status, c.status,
                "{}: status (reason {:?})",
                c.name, got.reason
            );
            assert_eq!(got.reason, c.reason, "{}: reason", c.name);
            if let Some(want) = &c.finding {
                assert!(
                    got.findings.iter().any(|f| same_problem(f, want)),
                    "{}: expected finding {want:?} in {:?}",
                    c.name,
                    got.findings
                );
            }
            match got.status {
                NodeStatus::Starting => assert!(
                    matches!(got.findings.first(), Some(Finding::PodNotReady { .. })),
                    "{}: Starting must lead with PodNotReady: {:?}",
                    c.name,
                    got.findings
                ),
                NodeStatus::Failing => assert!(
                    got.findings.iter().any(|f| matches!(
                        f,
                        Finding::ContainerProblem { .. } | Finding::PodFailed { .. }
                    )),
                    "{}: Failing needs a ContainerProblem or PodFailed: {:?}",
                    c.name,
                    got.findings
                ),
                NodeStatus::Running => {}
                other => panic!("{}: status {other} is never produced here", c.name),
            }
        }
    }

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
                "no container status but the kubelet warned about a volume",
                pod(bare),
                NodeStatus::Starting,
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
                "ContainerCreating stuck on the pod sandbox quotes the kubelet",
                pod(one("Pending", waiting("ContainerCreating", ""), 0)),
                NodeStatus::Starting,
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

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/real-cluster");

    fn real_pods() -> Vec<Pod> {
        let raw: Value = serde_json::from_str(
            &std::fs::read_to_string(format!("{FIXTURES}/pods.json")).unwrap(),
        )
        .unwrap();
        raw["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| serde_json::from_value(p.clone()).unwrap())
            .collect()
    }

    fn real_events() -> Vec<EventRecord> {
        let raw: Value = serde_json::from_str(
            &std::fs::read_to_string(format!("{FIXTURES}/events.json")).unwrap(),
        )
        .unwrap();
        let mut evs: Vec<EventRecord> = raw["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| from_core(&serde_json::from_value::<CoreEvent>(e.clone()).unwrap()))
            .collect();
        evs.sort_by_key(|e| e.last_seen);
        evs
    }

    fn assess_real(pod: &Pod, events: &[EventRecord]) -> PodAssessment {
        let ns = pod.metadata.namespace.as_deref().unwrap();
        let name = pod.metadata.name.as_deref().unwrap();
        let mine: Vec<&EventRecord> = events
            .iter()
            .filter(|e| e.object_kind == "Pod" && e.namespace == ns && e.object_name == name)
            .collect();
        assess_bound_pod(pod, &mine)
    }

    /// (namespace/name, what TRUTH.md says) for every pod row of its per-node table.
    fn truth_rows() -> Vec<(String, String)> {
        let truth = std::fs::read_to_string(format!("{FIXTURES}/TRUTH.md")).unwrap();
        truth
            .lines()
            .filter_map(|l| {
                let cols: Vec<&str> = l.split('|').map(str::trim).collect();
                let (ds, text) = (cols.get(1)?, cols.get(3)?);
                let rest = text.strip_prefix("pod ")?;
                let (pod, desc) = rest.split_once(": ")?;
                if pod.contains(' ') {
                    return None; // the scenario table's prose, not a per-node row
                }
                let ns = ds.split('/').next()?;
                Some((format!("{ns}/{pod}"), desc.to_string()))
            })
            .collect()
    }

    #[test]
    fn real_cluster_pods_match_truth() {
        let pods = real_pods();
        let events = real_events();
        let rows = truth_rows();
        assert!(
            rows.len() > 50,
            "TRUTH.md table not parsed: {} rows",
            rows.len()
        );
        let mut checked = 0;
        for (key, desc) in &rows {
            if desc.starts_with("Pending/unscheduled") {
                continue; // not bound: the scheduler's story, not this module's
            }
            let pod = pods
                .iter()
                .find(|p| {
                    format!(
                        "{}/{}",
                        p.metadata.namespace.as_deref().unwrap_or(""),
                        p.metadata.name.as_deref().unwrap_or("")
                    ) == *key
                })
                .unwrap_or_else(|| panic!("{key}: in TRUTH.md but not in pods.json"));
            let a = assess_real(pod, &events);
            let want = if desc.contains("phase=Failed") || desc.contains("waiting reason=") {
                NodeStatus::Failing
            } else if desc.contains("no containerStatuses") {
                NodeStatus::Starting
            } else if desc.contains("Ready=True") {
                NodeStatus::Running
            } else {
                panic!("{key}: TRUTH row not understood: {desc}")
            };
            assert_eq!(a.status, want, "{key}: {desc} -> {}", a.reason);
            if let Some(w) = desc.split("waiting reason=").nth(1) {
                let w = w.split_whitespace().next().unwrap();
                assert!(
                    a.reason.starts_with(&format!("{w}: ")),
                    "{key}: reason should lead with {w}: {}",
                    a.reason
                );
            }
            if desc.contains("restarts=0")
                && want == NodeStatus::Running
                && !desc.starts_with("Terminating")
            {
                assert_eq!(a.reason, "running and Ready", "{key}");
            }
            let terminating = a
                .findings
                .iter()
                .any(|f| matches!(f, Finding::PodTerminating { .. }));
            assert_eq!(
                terminating,
                desc.starts_with("Terminating"),
                "{key}: terminating finding"
            );
            checked += 1;
        }
        let bound = pods
            .iter()
            .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some())
            .count();
        assert_eq!(
            checked, bound,
            "every bound pod of pods.json must have a TRUTH.md row"
        );
    }

    #[test]
    fn real_cluster_named_pods() {
        let pods = real_pods();
        let events = real_events();
        let get = |ns: &str, name: &str| {
            let p = pods
                .iter()
                .find(|p| {
                    p.metadata.namespace.as_deref() == Some(ns)
                        && p.metadata.name.as_deref() == Some(name)
                })
                .unwrap();
            assess_real(p, &events)
        };
        let nope = "failed to pull and unpack image \"registry.invalid/nope:1\": failed to resolve reference \"registry.invalid/nope:1\": failed to do request: Head \"https://registry.invalid/v2/nope/manifests/1\": dial tcp: lookup registry.invalid: no such host";

        let a = get("broken", "badimage-24c2r");
        assert_eq!(
            (a.status, a.reason.as_str()),
            (
                NodeStatus::Failing,
                format!("ErrImagePull: image registry.invalid/nope:1 cannot be pulled: {nope}")
                    .as_str()
            )
        );

        let a = get("broken", "badimage-86nfx");
        assert_eq!(
            a.reason,
            format!(
                "ImagePullBackOff: image registry.invalid/nope:1 cannot be pulled: ErrImagePull: {nope}"
            )
        );
        assert!(
            matches!(&a.findings[0], Finding::ContainerProblem { container, image: Some(i), .. } if container == "agent" && i == "registry.invalid/nope:1")
        );

        let a = get("monitoring", "node-exporter-7x2qr");
        assert_eq!(
            a.reason,
            "ImagePullBackOff: image quay.io/prometheus/node-exporter:v1.8.2 cannot be pulled: ErrImagePull: no matching manifest for windows(10.0.20348)/amd64 in the manifest list entries"
        );

        let a = get("rollout", "surge-agent-2fdx7");
        assert!(
            a.reason
                .ends_with("ghcr.io/example/surge-agent:1.1.0: not found"),
            "{}",
            a.reason
        );

        let a = get("monitoring", "node-exporter-x89hv");
        assert_eq!(
            (a.status, a.reason.as_str()),
            (
                NodeStatus::Failing,
                "CrashLoopBackOff: container node-exporter restarted 7 times, last exit 1 (Error)"
            )
        );
        assert!(a.findings.iter().any(|f| matches!(f, Finding::ContainerProblem { restarts: 7, exit_code: Some(1), last_termination_reason: Some(r), .. } if r == "Error")));

        let a = get("ops", "flaky-agent-94vh4");
        assert_eq!(
            (a.status, a.reason.as_str()),
            (
                NodeStatus::Failing,
                "OutOfcpu: Pod was rejected: Node didn't have enough resource: cpu, requested: 10, used: 3995, capacity: 4000"
            )
        );

        let a = get("rollout", "legacy-agent-p5t4d");
        assert_eq!(
            (a.status, a.reason.as_str()),
            (
                NodeStatus::Running,
                "running and Ready; terminating since 2026-11-23T11:50:25Z"
            )
        );
        assert_eq!(
            a.findings,
            vec![Finding::PodTerminating {
                since: Some("2026-11-23T11:50:25Z".into())
            }]
        );

        for (ns, name) in [
            ("kube-system", "kube-proxy-kzk55"),
            ("rollout", "web-agent-226gd"),
        ] {
            let a = get(ns, name);
            assert_eq!(
                (a.status, a.reason.as_str()),
                (
                    NodeStatus::Starting,
                    "bound to the node, but the kubelet has not reported any container status yet"
                ),
                "{name}"
            );
        }

        // The recorded kubelet status carries the registry error; the terse kubelet shape must reach the same
        // detail through the pod's real Failed event (the newer `Error: ImagePullBackOff` one is not quoted).
        let mut terse = pods
            .iter()
            .find(|p| p.metadata.name.as_deref() == Some("badimage-86nfx"))
            .unwrap()
            .clone();
        if let Some(w) = terse
            .status
            .as_mut()
            .and_then(|s| s.container_statuses.as_mut())
            .and_then(|c| c[0].state.as_mut())
            .and_then(|s| s.waiting.as_mut())
        {
            w.message = Some("Back-off pulling image \"registry.invalid/nope:1\"".into());
        }
        let a = assess_real(&terse, &events);
        assert_eq!(
            a.reason,
            format!("ImagePullBackOff: image registry.invalid/nope:1 cannot be pulled: {nope}")
        );
        assert!(a.findings.iter().any(|f| matches!(f, Finding::Event { reason, message, .. } if reason == "Failed" && message.starts_with("Failed to pull image"))));
    }
}
