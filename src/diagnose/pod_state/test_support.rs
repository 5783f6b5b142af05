//! Fixtures for the pod_state tests: a bound pod with one container `agent`, container states and
//! conditions as the kubelet writes them, kubelet events, and the table runner that checks status,
//! reason and the findings every status must carry. Test-only.

use serde_json::{Value, json};

use super::assess_bound_pod;
use crate::report::{Finding, NodeStatus};
use crate::snapshot::EventRecord;
use crate::snapshot::pod::Pod;

pub(super) const IMG: &str = "registry.example/agent:1";

/// A bound pod with one container `agent`; `spec` keys are merged over that base.
pub(super) fn pod_with(spec: Value, status: Value, meta: Value) -> Pod {
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

pub(super) fn pod(status: Value) -> Pod {
    pod_with(json!({}), status, json!({}))
}

pub(super) fn cstat(name: &str, state: Value, ready: bool, restarts: i32) -> Value {
    let started = state.get("running").is_some();
    json!({"name": name, "image": IMG, "imageID": "", "ready": ready,
           "restartCount": restarts, "state": state, "started": started})
}

pub(super) fn with(mut v: Value, key: &str, val: Value) -> Value {
    v[key] = val;
    v
}

pub(super) fn waiting(reason: &str, message: &str) -> Value {
    if message.is_empty() {
        json!({"waiting": {"reason": reason}})
    } else {
        json!({"waiting": {"reason": reason, "message": message}})
    }
}

pub(super) fn running() -> Value {
    json!({"running": {"startedAt": "2026-11-23T11:47:22Z"}})
}

pub(super) fn terminated(code: i32, reason: Option<&str>) -> Value {
    let mut t = json!({"exitCode": code, "finishedAt": "2026-11-23T11:46:57Z"});
    if let Some(r) = reason {
        t["reason"] = json!(r);
    }
    json!({"terminated": t})
}

pub(super) fn conds(initialized: bool, ready: bool) -> Value {
    let s = |b: bool| if b { "True" } else { "False" };
    json!([
        {"type": "Initialized", "status": s(initialized)},
        {"type": "Ready", "status": s(ready)},
        {"type": "ContainersReady", "status": s(ready)},
        {"type": "PodScheduled", "status": "True"},
    ])
}

/// Status of a pod whose only container has the given state (pod not Ready).
pub(super) fn one(phase: &str, state: Value, restarts: i32) -> Value {
    json!({"phase": phase, "conditions": conds(true, false),
           "containerStatuses": [cstat("agent", state, false, restarts)]})
}

pub(super) fn ev(reason: &str, type_: &str, message: &str, last_seen: &str) -> EventRecord {
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

pub(super) fn problem(reason: &str, restarts: i32, exit: Option<(i32, &str)>) -> Finding {
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
pub(super) fn same_problem(got: &Finding, want: &Finding) -> bool {
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

pub(super) struct Case {
    name: &'static str,
    pod: Pod,
    events: Vec<EventRecord>,
    status: NodeStatus,
    reason: &'static str,
    finding: Option<Finding>,
}

pub(super) fn case(name: &'static str, pod: Pod, status: NodeStatus, reason: &'static str) -> Case {
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
    pub(super) fn events(mut self, events: Vec<EventRecord>) -> Self {
        self.events = events;
        self
    }
    pub(super) fn finding(mut self, f: Finding) -> Self {
        self.finding = Some(f);
        self
    }
}

pub(super) fn run(cases: Vec<Case>) {
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
                ) || matches!(f, Finding::Event { source, .. } if source == "kubelet")),
                "{}: Failing needs a ContainerProblem, PodFailed or kubelet warning: {:?}",
                c.name,
                got.findings
            ),
            NodeStatus::Running => {}
            other => panic!("{}: status {other} is never produced here", c.name),
        }
    }
}
