//! The real recording (tests/fixtures/real-cluster): every bound pod TRUTH.md describes, classified
//! as TRUTH.md implies, and the named pods' sentences word for word. Test-only.

use k8s_openapi::api::core::v1::Event as CoreEvent;
use serde_json::Value;

use super::{PodAssessment, assess_bound_pod};
use crate::report::{Finding, NodeStatus};
use crate::snapshot::EventRecord;
use crate::snapshot::pod::Pod;
use crate::source::events::from_core;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/real-cluster");

fn real_pods() -> Vec<Pod> {
    let raw: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURES}/pods.json")).unwrap())
            .unwrap();
    raw["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| serde_json::from_value(p.clone()).unwrap())
        .collect()
}

fn real_events() -> Vec<EventRecord> {
    let raw: Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{FIXTURES}/events.json")).unwrap())
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
