//! `--explain`: for every finding on a node, the plain kubectl commands that confirm it by hand and
//! the smallest change that would fix it: a strategic merge patch for the DaemonSet (YAML from
//! `spec:`), or a kubectl command for the node, namespace or quota.
//! Pure: reads the finished report, the DaemonSet and the snapshot; no I/O, no clock, no printing.
//! It never re-judges a node: what is wrong comes from the verdict engine's findings.
//! Each kind of finding gets its advice from the submodule named after its subject; this module
//! walks a node's findings in the engine's order and assembles what they return.

mod affinity;
mod affinity_terms;
mod commands;
mod containers;
mod creation;
mod host_ports;
mod images;
mod labels;
mod node;
mod pods;
mod resources;
mod rollout;
mod selection;
mod taints;
mod yaml;

#[cfg(test)]
mod test_support;

use std::collections::BTreeSet;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Node;

use super::cluster::Cluster;
use super::pod_state;
use crate::report::{Advice, DaemonSetReport, Finding, NodeReport, NodeStatus, Revision};
use crate::snapshot::pod::PodSpec;
use labels::{ARCH_LABEL, OS_LABEL, find_node, label};
use taints::{TaintFact, condition_taint};

/// Fills `advice` on every node of the report: what `kubectl ds why --explain` shows. `kubectl` is how
/// every printed command starts (`kubectl --context prod`): the flags that reach the cluster this report
/// was made from, so a pasted fix never lands on whatever cluster the shell points at.
pub fn explain(cluster: &Cluster, ds: &DaemonSet, report: &mut DaemonSetReport, kubectl: &str) {
    let ctx = Ctx::new(cluster, ds, report);
    let advice: Vec<Vec<Advice>> = report.nodes.iter().map(|n| advise(&ctx, n)).collect();
    let rollout = report.rollout.as_ref().map(|r| {
        let old: Vec<&str> = report
            .nodes
            .iter()
            .filter(|n| n.revision == Some(Revision::Old) && n.status.is_eligible())
            .filter(|n| n.pods.first().is_some_and(|p| !p.terminating))
            .filter_map(|n| n.pod.as_deref())
            .collect();
        ctx.rollout_advice(r, &cluster.daemon_pods(ds), &old)
    });
    for (node, mut advice) in report.nodes.iter_mut().zip(advice) {
        for a in &mut advice {
            with_connection_flags(a, kubectl);
        }
        node.advice = advice;
    }
    if let (Some(r), Some(mut advice)) = (report.rollout.as_mut(), rollout) {
        for a in &mut advice {
            with_connection_flags(a, kubectl);
        }
        r.advice = advice;
    }
}

/// Advice is written as plain `kubectl ...`; here every command gets the run's connection flags.
fn with_connection_flags(advice: &mut Advice, kubectl: &str) {
    let prefix = |command: &mut String| {
        if let Some(rest) = command.strip_prefix("kubectl ") {
            *command = format!("{kubectl} {rest}");
        }
    };
    advice.checks.iter_mut().for_each(prefix);
    for fix in advice.fix.iter_mut().chain(advice.alternatives.iter_mut()) {
        fix.commands.iter_mut().for_each(prefix);
    }
}

/// What every piece of advice for this DaemonSet needs to know.
struct Ctx<'a> {
    cluster: &'a Cluster<'a>,
    ns: String,
    name: String,
    /// The pod template's spec as written (without the tolerations the controller adds).
    spec: PodSpec,
    on_delete: bool,
    /// Nodes left Missing by a quota refusal: how many more pods the quota must admit.
    refused_by_quota: usize,
    /// (os, arch) of the nodes where the pod runs: the platforms its images exist for.
    running_platforms: BTreeSet<(String, String)>,
}

impl<'a> Ctx<'a> {
    fn new(cluster: &'a Cluster<'a>, ds: &DaemonSet, report: &DaemonSetReport) -> Self {
        let on_delete = ds
            .spec
            .update_strategy
            .as_ref()
            .and_then(|s| s.type_.as_deref())
            == Some("OnDelete");
        let refused_by_quota = report
            .nodes
            .iter()
            .filter(|n| n.status == NodeStatus::Missing)
            .filter(|n| {
                n.findings.iter().any(|f| {
                    matches!(f, Finding::Event { reason, message, .. }
                        if reason == "FailedCreate" && message.contains("exceeded quota"))
                })
            })
            .count();
        let mut running_platforms = BTreeSet::new();
        for n in report
            .nodes
            .iter()
            .filter(|n| n.status == NodeStatus::Running)
        {
            if let Some(node) = find_node(cluster, &n.node) {
                running_platforms.insert((
                    label(node, OS_LABEL).unwrap_or("").to_owned(),
                    label(node, ARCH_LABEL).unwrap_or("").to_owned(),
                ));
            }
        }
        Ctx {
            cluster,
            ns: report.namespace.clone(),
            name: report.name.clone(),
            spec: ds
                .spec
                .template
                .spec
                .as_ref()
                .map(PodSpec::from)
                .unwrap_or_default(),
            on_delete,
            refused_by_quota,
            running_platforms,
        }
    }
}

/// One node's advice, in the order the engine lists findings: placement, taints, resources,
/// ports, the pod's own state, admission, the node, the rollout.
fn advise(ctx: &Ctx, n: &NodeReport) -> Vec<Advice> {
    let a = NodeAdvisor {
        ctx,
        n,
        node: find_node(ctx.cluster, &n.node),
        other_pod: None,
    };
    let mut out = Vec::new();
    let f = &n.findings;
    for finding in f {
        if let Finding::NodeNameMismatch { wanted } = finding {
            out.push(a.template_node_name(wanted));
        }
    }
    let selectors: Vec<(&str, &str, Option<&str>)> = f
        .iter()
        .filter_map(|x| match x {
            Finding::NodeSelectorMismatch {
                key,
                wanted,
                actual,
            } => Some((key.as_str(), wanted.as_str(), actual.as_deref())),
            _ => None,
        })
        .collect();
    if !selectors.is_empty() {
        out.push(a.node_selector(&selectors));
    }
    for finding in f {
        if let Finding::NodeAffinityMismatch { terms } = finding {
            out.push(a.node_affinity(terms));
        }
    }
    let taints: Vec<TaintFact> = f
        .iter()
        .filter_map(|x| match x {
            Finding::UntoleratedTaint {
                key,
                value,
                effect,
                taint,
            } => Some(TaintFact {
                key,
                value: value.as_deref().filter(|v| !v.is_empty()),
                effect,
                text: taint,
            }),
            _ => None,
        })
        .collect();
    let (condition, other): (Vec<TaintFact>, Vec<TaintFact>) = taints
        .into_iter()
        .partition(|t| condition_taint(t.key).is_some());
    if !other.is_empty() {
        out.push(a.taints(&other, &condition));
    }
    if !condition.is_empty() {
        out.push(a.condition_taints(&condition));
    }
    if f.iter().any(|x| matches!(x, Finding::NodeCordoned)) {
        out.push(a.cordoned());
    }
    let short: Vec<&Finding> = f
        .iter()
        .filter(|x| {
            matches!(
                x,
                Finding::InsufficientResource { .. } | Finding::TooManyPods { .. }
            )
        })
        .collect();
    if !short.is_empty() {
        out.push(a.resources(&short));
    }
    let ports: Vec<&Finding> = f
        .iter()
        .filter(|x| matches!(x, Finding::HostPortConflict { .. }))
        .collect();
    if !ports.is_empty() {
        out.push(a.host_ports(&ports));
    }
    for finding in f {
        match finding {
            Finding::ContainerProblem { .. } => out.push(a.container(finding)),
            Finding::PodFailed { reason, message } => {
                out.push(a.pod_failed(reason.as_deref(), message.as_deref()))
            }
            Finding::PodNotReady { detail } => out.push(a.not_ready_yet(detail)),
            Finding::Event {
                reason, message, ..
            } => {
                if let Some(x) = a.event(reason, message) {
                    out.push(x);
                }
            }
            _ => {}
        }
    }
    for finding in f {
        match finding {
            Finding::NodeNotReady {
                status,
                reason,
                message,
            } => out.push(a.node_not_ready(status, reason.as_deref(), message.as_deref())),
            Finding::NodeDeleting => out.push(a.node_deleting()),
            Finding::OutdatedRevision {
                pod_revision,
                current,
            } => out.push(a.outdated(pod_revision, current)),
            Finding::PodTerminating { since } => out.push(a.terminating(since.as_deref())),
            Finding::NotModelled { detail } => out.push(a.not_modelled(detail)),
            _ => {}
        }
    }
    out.extend(extra_pods(&a));
    if out.is_empty()
        && let Some(x) = a.fallback()
    {
        out.push(x);
    }
    out
}

/// During a surge rollout the node's second pod (the new revision) can be the one failing; the
/// verdict is about the first, so the second one's own state is read here.
fn extra_pods(a: &NodeAdvisor) -> Vec<Advice> {
    let mut out = Vec::new();
    for extra in a.n.pods.iter().skip(1).filter(|p| !p.ready) {
        let Some(pod) = a.ctx.cluster.snapshot.pods.iter().find(|p| {
            p.metadata.name.as_deref() == Some(extra.name.as_str())
                && p.metadata.namespace.as_deref() == Some(a.ctx.ns.as_str())
        }) else {
            continue;
        };
        let b = NodeAdvisor {
            other_pod: Some(extra.name.as_str()),
            ..*a
        };
        let mut found = Vec::new();
        if extra.bound {
            let events = a.ctx.cluster.events_for(
                &a.ctx.ns,
                "Pod",
                &extra.name,
                pod.metadata.uid.as_deref(),
            );
            for f in pod_state::assess_bound_pod(pod, &events).findings {
                match &f {
                    Finding::ContainerProblem { .. } => found.push(b.container(&f)),
                    Finding::PodFailed { reason, message } => {
                        found.push(b.pod_failed(reason.as_deref(), message.as_deref()))
                    }
                    _ => {}
                }
            }
        } else {
            found.push(b.generic("not scheduled"));
        }
        for mut x in found {
            let which = match extra.up_to_date {
                Some(true) => "its new-revision pod",
                Some(false) => "its old-revision pod",
                None => "its other pod",
            };
            x.about = format!("{} in {which} {}", x.about, extra.name);
            out.push(x);
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Advice for one node.
struct NodeAdvisor<'a> {
    ctx: &'a Ctx<'a>,
    n: &'a NodeReport,
    node: Option<&'a Node>,
    /// The pod advice is about, when not the one the verdict counts (a surge pod beside it).
    other_pod: Option<&'a str>,
}

impl NodeAdvisor<'_> {
    fn node_name(&self) -> &str {
        &self.n.node
    }

    fn pod(&self) -> Option<&str> {
        self.other_pod.or(self.n.pod.as_deref())
    }

    /// "to run fluentd on w-1" / "to keep fluentd on w-3": the goal of a placement fix.
    fn goal(&self) -> String {
        let verb = if self.n.status == NodeStatus::Misscheduled {
            "keep"
        } else {
            "run"
        };
        format!("{verb} {} on {}", self.ctx.name, self.node_name())
    }

    fn not_modelled(&self, detail: &str) -> Advice {
        let mut a = Advice {
            about: "Unschedulable".to_owned(),
            checks: self.describe_pod().into_iter().collect(),
            fix: None,
            alternatives: Vec::new(),
            notes: vec![format!(
                "{detail}: the scheduler's message names the plugin that refused (volumes, topology spread, pod affinity, DRA)"
            )],
        };
        a.checks.extend(self.pod_events());
        a
    }

    fn generic(&self, about: &str) -> Advice {
        let mut a = Advice {
            about: about.to_owned(),
            checks: self.describe_pod().into_iter().collect(),
            fix: None,
            alternatives: Vec::new(),
            notes: Vec::new(),
        };
        a.checks.extend(self.pod_events());
        a
    }

    /// Checks for a node whose status comes with no finding to advise on.
    fn fallback(&self) -> Option<Advice> {
        let ctx = self.ctx;
        match self.n.status {
            NodeStatus::Running | NodeStatus::Ineligible => None,
            NodeStatus::Missing => Some(Advice {
                about: "no pod".to_owned(),
                checks: vec![
                    ctx.describe_ds(),
                    ctx.ds_events(),
                    format!(
                        "kubectl get pods -A -o wide --field-selector spec.nodeName={}",
                        self.node_name()
                    ),
                    "kubectl get pods -n kube-system -l component=kube-controller-manager"
                        .to_owned(),
                ],
                fix: None,
                alternatives: Vec::new(),
                notes: vec![
                    "the DaemonSet controller (in kube-controller-manager) creates the pod; with no FailedCreate event it has not acted yet: is kube-controller-manager running and leading?"
                        .to_owned(),
                ],
            }),
            NodeStatus::Pending => Some(self.generic("not scheduled")),
            NodeStatus::Failing | NodeStatus::Starting | NodeStatus::Misscheduled => {
                Some(self.generic(self.n.status.as_str()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;
    use crate::snapshot::{EventRecord, Snapshot};
    use serde_json::json;

    #[test]
    fn generic_advice() {
        let cases = vec![
            case(
                "missing without any event: is the controller running",
                NodeStatus::Missing,
                Vec::new(),
            )
            .want(&[
                "about: no pod\n",
                "check: kubectl get pods -n kube-system -l component=kube-controller-manager\n",
            ]),
            case(
                "scheduler refusal not modelled: its own words",
                NodeStatus::Pending,
                vec![Finding::NotModelled {
                    detail: "cause not among the checks kubectl-ds models".into(),
                }],
            )
            .pod("agent-x")
            .want(&[
                "check: kubectl describe pod agent-x -n ops\n",
                "check: kubectl get events -n ops --field-selector involvedObject.name=agent-x\n",
            ]),
        ];
        for c in &cases {
            check(c);
        }
    }

    #[test]
    fn running_without_findings_gets_no_advice() {
        let c = case("running", NodeStatus::Running, Vec::new());
        assert!(run(&c).is_empty());
        let c = case(
            "ineligible with no finding",
            NodeStatus::Ineligible,
            Vec::new(),
        );
        assert!(run(&c).is_empty());
    }

    #[test]
    fn surge_pod_beside_the_counted_one_is_advised() {
        let spec = one_container(json!({}));
        let mut surge = pod(
            "agent-new",
            NS,
            "w-1",
            spec.clone(),
            Some(("DaemonSet", DS)),
        );
        surge.status = serde_json::from_value(json!({
            "phase": "Pending",
            "containerStatuses": [{"name": "agent", "image": "example.com/agent:2", "imageID": "", "ready": false, "restartCount": 0,
                "state": {"waiting": {"reason": "ImagePullBackOff", "message": "Back-off pulling image \"example.com/agent:2\": not found"}}}],
        }))
        .unwrap();
        let ds = daemonset(spec, "RollingUpdate");
        let snapshot = Snapshot {
            nodes: vec![plain_node("w-1")],
            daemonsets: vec![ds.clone()],
            pods: vec![surge],
            ..Snapshot::default()
        };
        let cluster = Cluster::new(&snapshot);
        let mut n = node_report(
            "w-1",
            NodeStatus::Running,
            Some("agent-old"),
            vec![Finding::OutdatedRevision {
                pod_revision: "a".into(),
                current: "b".into(),
            }],
        );
        for (name, ready, up) in [("agent-old", true, false), ("agent-new", false, true)] {
            n.pods.push(crate::report::PodSummary {
                name: name.into(),
                phase: String::new(),
                ready,
                bound: true,
                restarts: 0,
                created: None,
                revision: None,
                up_to_date: Some(up),
                terminating: false,
            });
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
            nodes: vec![n],
        };
        let _: &[EventRecord] = &snapshot.events;
        explain(&cluster, &ds, &mut report, "kubectl");
        let text = flatten(&report.nodes[0].advice);
        assert!(
            text.contains(
                "about: ImagePullBackOff (container agent) in its new-revision pod agent-new\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("check: kubectl describe pod agent-new -n ops\n"),
            "{text}"
        );
    }
}
