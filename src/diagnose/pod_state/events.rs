//! Kubelet events quoted as evidence for a bound pod: the pull failure behind a terse
//! ImagePullBackOff, and the mount or sandbox warning behind a stuck ContainerCreating. Chooses and
//! quotes events only; never decides a verdict.

use crate::report::{Finding, NodeStatus};
use crate::snapshot::EventRecord;

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

/// Appends the newest kubelet warning that explains a stuck ContainerCreating (mount, sandbox) and
/// quotes it. Returns whether there was one: the kubelet retries, but the pod will not start until
/// someone fixes the volume or the node, so the caller reports it as failing, not starting.
pub(super) fn kubelet_warning(
    events: &[&EventRecord],
    reason: &mut String,
    findings: &mut Vec<Finding>,
) -> bool {
    let ev = newest(events.iter().copied().filter(|e| {
        e.type_ == "Warning"
            && e.source == "kubelet"
            && CREATING_WARNING_EVENTS.contains(&e.reason.as_str())
    }));
    match ev {
        Some(ev) => {
            reason.push_str(&format!("; kubelet reports {}: {}", ev.reason, ev.message));
            findings.push(event_finding(ev));
            true
        }
        None => false,
    }
}

/// Starting, unless a kubelet warning shows the pod is stuck.
pub(super) fn creating_status(stuck: bool) -> NodeStatus {
    if stuck {
        NodeStatus::Failing
    } else {
        NodeStatus::Starting
    }
}

/// The kubelet's newest `Failed to pull image "<image>": ...` event for this image.
// Mirrors pkg/kubelet/images/image_manager.go (EnsureImageExists: event FailedToPullImage, "Failed to pull image %q: %v").
pub(super) fn last_pull_failure<'a>(
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
pub(super) fn pull_detail(message: &str, image: &str) -> Option<String> {
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

pub(super) fn event_finding(ev: &EventRecord) -> Finding {
    Finding::Event {
        reason: ev.reason.clone(),
        source: ev.source.clone(),
        message: ev.message.clone(),
        count: ev.count,
        last_seen: ev.last_seen.map(|t| t.to_string()),
    }
}
