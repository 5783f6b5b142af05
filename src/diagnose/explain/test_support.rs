//! Fixtures for the `--explain` tests: a small snapshot, the DaemonSet and one node report built
//! per case, the advice flattened to `label: text` lines, and the check that every YAML snippet
//! parses and is rooted at `spec:`. Test-only.

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Node;
use serde_json::{Value, json};

use super::explain;
use crate::diagnose::cluster::{Cluster, name};
use crate::report::{Advice, DaemonSetReport, Finding, Fix, NodeFacts, NodeReport, NodeStatus};
use crate::snapshot::Snapshot;
use crate::snapshot::pod::Pod;

pub(super) const NS: &str = "ops";
pub(super) const DS: &str = "agent";

pub(super) fn node(
    name: &str,
    labels: Value,
    taints: Value,
    allocatable: Value,
    ready: &str,
) -> Node {
    serde_json::from_value(json!({
        "metadata": {"name": name, "labels": labels},
        "spec": {"taints": taints},
        "status": {
            "allocatable": allocatable,
            "conditions": [{"type": "Ready", "status": ready}],
        },
    }))
    .unwrap()
}

pub(super) fn plain_node(name: &str) -> Node {
    node(
        name,
        json!({"kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}),
        json!([]),
        json!({"cpu": "2", "memory": "4Gi", "pods": "110"}),
        "True",
    )
}

pub(super) fn daemonset(pod_spec: Value, strategy: &str) -> DaemonSet {
    serde_json::from_value(json!({
        "metadata": {"name": DS, "namespace": NS, "uid": "ds-uid"},
        "spec": {
            "selector": {"matchLabels": {"app": DS}},
            "template": {"metadata": {"labels": {"app": DS}}, "spec": pod_spec},
            "updateStrategy": {"type": strategy},
        },
    }))
    .unwrap()
}

pub(super) fn one_container(extra: Value) -> Value {
    let mut c = json!({"name": "agent", "image": "example.com/agent:1"});
    if let (Some(c), Some(extra)) = (c.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            c.insert(k.clone(), v.clone());
        }
    }
    json!({"containers": [c]})
}

pub(super) fn pod(
    name: &str,
    ns: &str,
    node: &str,
    spec: Value,
    owner: Option<(&str, &str)>,
) -> Pod {
    let mut spec = spec;
    spec["nodeName"] = json!(node);
    let owners = owner
        .map(|(kind, n)| {
            json!([{"apiVersion": "apps/v1", "kind": kind, "name": n, "uid": format!("{n}-uid"), "controller": true}])
        })
        .unwrap_or(json!([]));
    serde_json::from_value(json!({
        "metadata": {"name": name, "namespace": ns, "ownerReferences": owners},
        "spec": spec,
        "status": {"phase": "Running"},
    }))
    .unwrap()
}

pub(super) fn taint(key: &str, value: Option<&str>, effect: &str) -> Finding {
    let text = match value {
        Some(v) => format!("{key}={v}:{effect}"),
        None => format!("{key}:{effect}"),
    };
    Finding::UntoleratedTaint {
        key: key.into(),
        value: value.map(Into::into),
        effect: effect.into(),
        taint: text,
    }
}

pub(super) fn event(reason: &str, message: &str) -> Finding {
    Finding::Event {
        reason: reason.into(),
        source: "daemonset-controller".into(),
        message: message.into(),
        count: 1,
        last_seen: None,
    }
}

pub(super) fn container_problem(
    reason: &str,
    message: &str,
    exit: Option<i32>,
    last: Option<&str>,
) -> Finding {
    Finding::ContainerProblem {
        container: "agent".into(),
        init: false,
        reason: reason.into(),
        message: Some(message.into()),
        image: Some("example.com/agent:1".into()),
        restarts: 3,
        exit_code: exit,
        last_termination_reason: last.map(Into::into),
    }
}

pub(super) fn insufficient(
    resource: &str,
    requested: &str,
    allocatable: &str,
    already: &str,
) -> Finding {
    Finding::InsufficientResource {
        resource: resource.into(),
        requested: requested.into(),
        allocatable: allocatable.into(),
        already_requested: already.into(),
        pods_on_node: 2,
    }
}

pub(super) struct Case {
    name: &'static str,
    spec: Value,
    strategy: &'static str,
    nodes: Vec<Node>,
    /// Other pods in the snapshot (port holders, surge pods).
    pods: Vec<Pod>,
    status: NodeStatus,
    pod: Option<&'static str>,
    findings: Vec<Finding>,
    /// Other nodes of the report: (status, findings), for counts like quota refusals.
    others: Vec<(NodeStatus, Vec<Finding>)>,
    want: Vec<&'static str>,
    absent: Vec<&'static str>,
}

pub(super) fn case(name: &'static str, status: NodeStatus, findings: Vec<Finding>) -> Case {
    Case {
        name,
        spec: one_container(json!({})),
        strategy: "RollingUpdate",
        nodes: vec![plain_node("w-1")],
        pods: Vec::new(),
        status,
        pod: None,
        findings,
        others: Vec::new(),
        want: Vec::new(),
        absent: Vec::new(),
    }
}

impl Case {
    pub(super) fn spec(mut self, spec: Value) -> Self {
        self.spec = spec;
        self
    }
    pub(super) fn strategy(mut self, s: &'static str) -> Self {
        self.strategy = s;
        self
    }
    pub(super) fn nodes(mut self, nodes: Vec<Node>) -> Self {
        self.nodes = nodes;
        self
    }
    pub(super) fn pods(mut self, pods: Vec<Pod>) -> Self {
        self.pods = pods;
        self
    }
    pub(super) fn pod(mut self, p: &'static str) -> Self {
        self.pod = Some(p);
        self
    }
    pub(super) fn others(mut self, o: Vec<(NodeStatus, Vec<Finding>)>) -> Self {
        self.others = o;
        self
    }
    pub(super) fn want(mut self, w: &[&'static str]) -> Self {
        self.want.extend_from_slice(w);
        self
    }
    pub(super) fn absent(mut self, a: &[&'static str]) -> Self {
        self.absent.extend_from_slice(a);
        self
    }
}

pub(super) fn node_report(
    name: &str,
    status: NodeStatus,
    pod: Option<&str>,
    findings: Vec<Finding>,
) -> NodeReport {
    NodeReport {
        node: name.into(),
        status,
        reason: String::new(),
        cause: String::new(),
        pod: pod.map(Into::into),
        revision: None,
        pods: Vec::new(),
        findings,
        node_facts: NodeFacts::default(),
        advice: Vec::new(),
    }
}

/// Runs `explain` for the case's first node and returns that node's advice.
pub(super) fn run(c: &Case) -> Vec<Advice> {
    let ds = daemonset(c.spec.clone(), c.strategy);
    let snapshot = Snapshot {
        nodes: c.nodes.clone(),
        daemonsets: vec![ds.clone()],
        pods: c.pods.clone(),
        ..Snapshot::default()
    };
    let cluster = Cluster::new(&snapshot);
    let first = name(&c.nodes[0].metadata).to_owned();
    let mut nodes = vec![node_report(&first, c.status, c.pod, c.findings.clone())];
    for (i, (status, findings)) in c.others.iter().enumerate() {
        nodes.push(node_report(
            &format!("other-{i}"),
            *status,
            None,
            findings.clone(),
        ));
    }
    let mut report = DaemonSetReport {
        namespace: NS.into(),
        name: DS.into(),
        uid: None,
        current_revision: None,
        update_strategy: String::new(),
        rollout: None,
        status: Default::default(),
        counts: Default::default(),
        notes: Vec::new(),
        events_unavailable: None,
        nodes,
    };
    explain(&cluster, &ds, &mut report, "kubectl");
    report.nodes.swap_remove(0).advice
}

/// Every piece of advice as `label: text` lines, for matching.
pub(super) fn flatten(advice: &[Advice]) -> String {
    let mut out = String::new();
    let fix = |out: &mut String, label: &str, f: &Fix| {
        out.push_str(&format!("{label}: {}\n", f.summary));
        if let Some(y) = &f.yaml {
            out.push_str(&format!("{label}-yaml:\n{y}"));
        }
        for c in &f.commands {
            out.push_str(&format!("{label}-cmd: {c}\n"));
        }
    };
    for a in advice {
        out.push_str(&format!("about: {}\n", a.about));
        for c in &a.checks {
            out.push_str(&format!("check: {c}\n"));
        }
        if let Some(f) = &a.fix {
            fix(&mut out, "fix", f);
        }
        for f in &a.alternatives {
            fix(&mut out, "alt", f);
        }
        for n in &a.notes {
            out.push_str(&format!("note: {n}\n"));
        }
    }
    out
}

pub(super) fn check(c: &Case) {
    let advice = run(c);
    let text = flatten(&advice);
    for w in &c.want {
        assert!(text.contains(w), "{}: missing {w:?} in\n{text}", c.name);
    }
    for a in &c.absent {
        assert!(!text.contains(a), "{}: unexpected {a:?} in\n{text}", c.name);
    }
    // Every YAML snippet is a valid document rooted at the DaemonSet's spec.
    for a in &advice {
        for f in a.fix.iter().chain(&a.alternatives) {
            if let Some(y) = &f.yaml {
                let v: Value = serde_saphyr::from_str(y)
                    .unwrap_or_else(|e| panic!("{}: bad YAML {e}:\n{y}", c.name));
                assert!(
                    v.get("spec").is_some(),
                    "{}: YAML not rooted at spec:\n{y}",
                    c.name
                );
            }
        }
    }
}
