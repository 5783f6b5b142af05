//! One DaemonSet against every node: the per-node verdict and the sentence that explains it.
//! Mirrors the DaemonSet controller's per-node decision (pkg/controller/daemon/daemon_controller.go:
//! podsShouldBeOnNode, updateDaemonSetStatus); every predicate is evaluated so all reasons are listed.

use std::collections::HashMap;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, Pod};

use super::cluster::{Cluster, name};
use super::eligibility::{self, DaemonPodTemplate};
use super::rollout::{self, CurrentRevision};
use super::{host_ports, node_affinity, pod_state, resources};
use crate::report::{
    ApiStatus, DaemonSetReport, Finding, NodeFacts, NodeReport, NodeStatus, PodSummary,
    StatusCounts,
};
use crate::snapshot::EventRecord;

/// Judges every node of the cluster for one DaemonSet.
pub fn diagnose(cluster: &Cluster, ds: &DaemonSet) -> DaemonSetReport {
    let template = DaemonPodTemplate::new(ds);
    let current = CurrentRevision::new(ds, cluster.revisions(ds));
    let mut pods_by_node = cluster.daemon_pods_by_node(ds);
    let namespace = ds.metadata.namespace.clone().unwrap_or_default();
    let ds_name = name(&ds.metadata).to_string();
    let ds_events = cluster.events_for(
        &namespace,
        "DaemonSet",
        &ds_name,
        ds.metadata.uid.as_deref(),
    );
    let ctx = Ctx {
        cluster,
        current: &current,
        failed_create: latest(&ds_events, "FailedCreate"),
        stale_generation: stale_generation(ds),
    };

    let mut nodes: Vec<NodeReport> = cluster
        .nodes
        .iter()
        .map(|node| {
            let mut pods = pods_by_node
                .remove(name(&node.metadata))
                .unwrap_or_default();
            sort_like_controller(&mut pods);
            judge_node(&ctx, &template, node, &pods)
        })
        .collect();
    nodes.sort_by(|a, b| {
        (a.status.severity_rank(), &a.node).cmp(&(b.status.severity_rank(), &b.node))
    });

    let mut counts = StatusCounts::default();
    for n in &nodes {
        counts.add(n.status);
    }
    let status = api_status(ds);
    let notes = notes(ds, &status, &counts, &nodes, &current, &pods_by_node);
    DaemonSetReport {
        namespace,
        name: ds_name,
        uid: ds.metadata.uid.clone(),
        current_revision: current.hash.clone(),
        update_strategy: rollout::strategy_text(ds),
        status,
        counts,
        notes,
        events_unavailable: cluster.snapshot.events_unavailable.clone(),
        nodes,
    }
}

struct Ctx<'a> {
    cluster: &'a Cluster<'a>,
    current: &'a CurrentRevision,
    failed_create: Option<&'a EventRecord>,
    stale_generation: Option<String>,
}

fn judge_node(ctx: &Ctx, template: &DaemonPodTemplate, node: &Node, pods: &[&Pod]) -> NodeReport {
    let eligibility = template.evaluate(node);
    let node_facts = node_facts(node);
    let summaries = pods.iter().map(|p| summarize(ctx, p)).collect();
    let mut report = NodeReport {
        node: name(&node.metadata).to_string(),
        status: NodeStatus::Ineligible,
        reason: String::new(),
        cause: String::new(),
        pod: pods.first().map(|p| name(&p.metadata).to_string()),
        pods: summaries,
        findings: Vec::new(),
        node_facts,
        advice: Vec::new(),
    };

    if !eligibility.should_run {
        let Some(pod) = pods.first() else {
            report.reason = eligibility::ineligible_text(&eligibility);
            report.cause = short_cause(&eligibility.reasons);
            report.findings = eligibility.reasons;
            return report;
        };
        report.status = NodeStatus::Misscheduled;
        report.reason = format!(
            "pod {} is here but the node is {}",
            name(&pod.metadata),
            eligibility::misscheduled_text(&eligibility)
        );
        report.cause = short_cause(&eligibility.reasons);
        report.findings = eligibility.reasons;
        return report;
    }

    match pods.first() {
        None => missing(ctx, node, &mut report),
        Some(pod) if !is_bound(pod) => pending(ctx, node, pod, &mut report),
        Some(pod) => on_node(ctx, node, pod, pods, &mut report),
    }
    report
}

/// Eligible, no pod: say what is known about why the controller has not created one.
fn missing(ctx: &Ctx, node: &Node, report: &mut NodeReport) {
    report.status = NodeStatus::Missing;
    let mut parts = Vec::new();
    if let Some(ev) = ctx.failed_create {
        parts.push(format!(
            "the controller cannot create the pod: {}",
            strip_combined(&ev.message)
        ));
        report.cause = failed_create_cause(&ev.message);
        report.findings.push(event_finding(ev));
    }
    if let Some(f) = not_ready(node) {
        parts.push(format!("node is {}", not_ready_text(&f)));
        if report.cause.is_empty() {
            report.cause = "node NotReady".into();
        }
        report.findings.push(f);
    }
    if let Some(stale) = &ctx.stale_generation {
        parts.push(stale.clone());
    }
    if parts.is_empty() {
        parts.push(if ctx.cluster.snapshot.events_unavailable.is_some() {
            "no pod exists for this eligible node and events were unavailable to say why; check `kubectl describe ds` for FailedCreate events".into()
        } else {
            "no pod exists for this eligible node and no FailedCreate event explains it: the controller has not acted yet (is kube-controller-manager running?)".into()
        });
    }
    if report.cause.is_empty() {
        report.cause = "not created".into();
    }
    report.reason = parts.join("; ");
}

/// A pod exists for the node but the scheduler has not bound it: compute why, quote the scheduler.
fn pending(ctx: &Ctx, node: &Node, pod: &Pod, report: &mut NodeReport) {
    report.status = NodeStatus::Pending;
    let pod_name = name(&pod.metadata);
    let Some(spec) = pod.spec.as_ref() else {
        report.reason = format!("pod {pod_name} has no spec");
        return;
    };
    let mut causes = eligibility::scheduler_filter_failures(spec, node);
    let node_name = name(&node.metadata);
    let mut unknown_usage = false;
    match ctx.cluster.pods_on_node(node_name) {
        Some(on_node) => {
            let others: Vec<&Pod> = on_node
                .iter()
                .copied()
                .filter(|p| {
                    p.metadata.uid != pod.metadata.uid || p.metadata.name != pod.metadata.name
                })
                .collect();
            causes.extend(resources::fit(spec, node, &others));
            causes.extend(host_ports::host_port_conflicts(spec, &others));
        }
        None => unknown_usage = true,
    }
    let texts: Vec<String> = causes.iter().map(finding_text).collect();
    report.cause = causes
        .first()
        .map(|f| short_cause(std::slice::from_ref(f)))
        .unwrap_or_else(|| "Unschedulable".into());

    let ns = pod.metadata.namespace.as_deref().unwrap_or("");
    let events = ctx
        .cluster
        .events_for(ns, "Pod", pod_name, pod.metadata.uid.as_deref());
    let scheduler_said = latest(&events, "FailedScheduling")
        .map(|e| (e.message.clone(), Some(e)))
        .or_else(|| unschedulable_condition(pod).map(|m| (m, None)));

    let mut reason = if texts.is_empty() {
        format!("pod {pod_name} is not scheduled")
    } else {
        format!("pod {pod_name} cannot be scheduled: {}", texts.join("; "))
    };
    match &scheduler_said {
        Some((msg, _)) => reason.push_str(&format!("; scheduler: \"{msg}\"")),
        None => reason.push_str("; the scheduler has not reported on it yet"),
    }
    if texts.is_empty() {
        reason.push_str(if unknown_usage {
            "; pods on the node were not fetched, so resources and host ports were not checked"
        } else {
            "; kubectl-ds found no cause among taints, affinity, resources and host ports: the scheduler's message above is the authority (volumes, topology, pod affinity are not modelled)"
        });
        if scheduler_said.is_some() {
            report.findings.push(Finding::NotModelled {
                detail: "cause not among the checks kubectl-ds models; see the scheduler event"
                    .into(),
            });
        }
    }
    report.findings.extend(causes);
    if let Some((msg, ev)) = scheduler_said {
        report.findings.push(match ev {
            Some(e) => event_finding(e),
            None => Finding::Event {
                reason: "Unschedulable".into(),
                source: "default-scheduler".into(),
                message: msg,
                count: 1,
                last_seen: None,
            },
        });
    }
    if let Some(f) = not_ready(node) {
        reason.push_str(&format!("; node is {}", not_ready_text(&f)));
        report.findings.push(f);
    }
    report.reason = reason;
}

/// The pod is bound to the node: its own health decides, with rollout and node facts added.
fn on_node(ctx: &Ctx, node: &Node, pod: &Pod, pods: &[&Pod], report: &mut NodeReport) {
    let ns = pod.metadata.namespace.as_deref().unwrap_or("");
    let pod_name = name(&pod.metadata);
    let events = ctx
        .cluster
        .events_for(ns, "Pod", pod_name, pod.metadata.uid.as_deref());
    let assessed = pod_state::assess_bound_pod(pod, &events);
    report.status = assessed.status;
    report.cause = if assessed.status == NodeStatus::Running {
        String::new()
    } else {
        short_cause(&assessed.findings)
    };
    let mut reason = match assessed.status {
        NodeStatus::Running => format!("pod {pod_name} is Ready"),
        _ => format!("pod {pod_name}: {}", assessed.reason),
    };
    if assessed.status == NodeStatus::Running && !assessed.reason.is_empty() {
        reason = format!("pod {pod_name}: {}", assessed.reason);
    }
    report.findings = assessed.findings;

    if let (Some(false), Some(cur)) = (ctx.current.is_pod_updated(pod), ctx.current.hash.as_ref()) {
        let old = rollout::pod_revision(pod).unwrap_or_else(|| "?".into());
        reason.push_str(&format!("; runs old revision {old} (current {cur})"));
        report.findings.push(Finding::OutdatedRevision {
            pod_revision: old,
            current: cur.clone(),
        });
    }
    if pod.metadata.deletion_timestamp.is_some()
        && !report
            .findings
            .iter()
            .any(|f| matches!(f, Finding::PodTerminating { .. }))
    {
        let since = pod
            .metadata
            .deletion_timestamp
            .as_ref()
            .map(|t| t.0.to_string());
        reason.push_str(
            "; pod is terminating: the controller creates its replacement only after it is gone",
        );
        report.findings.push(Finding::PodTerminating { since });
    } else if pod.metadata.deletion_timestamp.is_some() {
        reason.push_str("; the controller creates its replacement only after it is gone");
    }
    // During a surge rollout a second pod (the new revision) runs beside the counted one.
    for extra in pods.iter().skip(1) {
        let extra_events = ctx.cluster.events_for(
            ns,
            "Pod",
            name(&extra.metadata),
            extra.metadata.uid.as_deref(),
        );
        let (status, text) = if is_bound(extra) {
            let a = pod_state::assess_bound_pod(extra, &extra_events);
            (a.status, a.reason)
        } else {
            (NodeStatus::Pending, "not scheduled yet".to_string())
        };
        let rev = match ctx.current.is_pod_updated(extra) {
            Some(true) => " (current revision)",
            Some(false) => " (old revision)",
            None => "",
        };
        reason.push_str(&format!(
            "; also pod {}{rev}: {status}: {text}",
            name(&extra.metadata),
        ));
    }
    if let Some(f) = not_ready(node) {
        reason.push_str(&format!("; node is {}", not_ready_text(&f)));
        report.findings.push(f);
    }
    report.reason = reason;
}

fn summarize(ctx: &Ctx, pod: &Pod) -> PodSummary {
    PodSummary {
        name: name(&pod.metadata).to_string(),
        phase: pod
            .status
            .as_ref()
            .and_then(|s| s.phase.clone())
            .unwrap_or_else(|| "Pending".into()),
        ready: pod_state::is_pod_ready(pod),
        bound: is_bound(pod),
        restarts: pod_state::restarts(pod),
        created: pod
            .metadata
            .creation_timestamp
            .as_ref()
            .map(|t| t.0.to_string()),
        revision: rollout::pod_revision(pod),
        up_to_date: ctx.current.is_pod_updated(pod),
        terminating: pod.metadata.deletion_timestamp.is_some(),
    }
}

fn is_bound(pod: &Pod) -> bool {
    pod.spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .is_some_and(|n| !n.is_empty())
}

/// Bound pods first, then oldest, then by name: the pod the controller counts for the node is first.
/// Mirrors pkg/controller/daemon/daemon_controller.go (podByCreationTimestampAndPhase).
fn sort_like_controller(pods: &mut [&Pod]) {
    pods.sort_by(|a, b| {
        let key = |p: &Pod| {
            (
                !is_bound(p),
                p.metadata.creation_timestamp.as_ref().map(|t| t.0),
                p.metadata.name.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}

fn node_facts(node: &Node) -> NodeFacts {
    let ready = node
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
        .map(|c| c.status.clone())
        .unwrap_or_else(|| "Unknown".into());
    let spec = node.spec.as_ref();
    NodeFacts {
        ready,
        unschedulable: spec.and_then(|s| s.unschedulable).unwrap_or(false),
        deleting: node.metadata.deletion_timestamp.is_some(),
        taints: spec
            .and_then(|s| s.taints.as_ref())
            .map(|t| t.iter().map(super::tolerations::format_taint).collect())
            .unwrap_or_default(),
    }
}

fn not_ready(node: &Node) -> Option<Finding> {
    let cond = node
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"));
    match cond {
        Some(c) if c.status == "True" => None,
        Some(c) => Some(Finding::NodeNotReady {
            status: c.status.clone(),
            reason: c.reason.clone(),
            message: c.message.clone(),
        }),
        None => Some(Finding::NodeNotReady {
            status: "Unknown".into(),
            reason: None,
            message: Some("node has no Ready condition".into()),
        }),
    }
}

fn not_ready_text(f: &Finding) -> String {
    match f {
        Finding::NodeNotReady {
            status, message, ..
        } => match message {
            Some(m) => format!("NotReady (Ready={status}: {m})"),
            None => format!("NotReady (Ready={status})"),
        },
        _ => String::new(),
    }
}

/// The human sentence for one finding, from the module that produced it.
pub fn finding_text(f: &Finding) -> String {
    node_affinity::reason_text(f)
        .or_else(|| resources::reason_text(f))
        .or_else(|| host_ports::reason_text(f))
        .unwrap_or_else(|| match f {
            Finding::NodeCordoned => "node is cordoned (spec.unschedulable) and the pod does not tolerate node.kubernetes.io/unschedulable:NoSchedule".into(),
            Finding::NodeNotReady { .. } => format!("node is {}", not_ready_text(f)),
            other => format!("{other:?}"),
        })
}

/// A few words naming the cause, for summaries and coverage's TOP-REASON.
pub fn short_cause(findings: &[Finding]) -> String {
    let Some(first) = findings
        .iter()
        .find(|f| !matches!(f, Finding::Event { .. } | Finding::PodTerminating { .. }))
    else {
        return String::new();
    };
    match first {
        Finding::UntoleratedTaint { taint, .. } => format!("taint {taint}"),
        Finding::NodeSelectorMismatch { key, wanted, .. } => format!("nodeSelector {key}={wanted}"),
        Finding::NodeAffinityMismatch { .. } => "nodeAffinity".into(),
        Finding::NodeNameMismatch { .. } => "nodeName".into(),
        Finding::InsufficientResource { resource, .. } => format!("Insufficient {resource}"),
        Finding::TooManyPods { .. } => "Too many pods".into(),
        Finding::HostPortConflict { port, protocol, .. } => {
            format!("host port {port}/{protocol} taken")
        }
        Finding::ContainerProblem { reason, .. } => reason.clone(),
        Finding::PodFailed { reason, .. } => reason.clone().unwrap_or_else(|| "Failed".into()),
        Finding::PodNotReady { .. } => "not Ready yet".into(),
        Finding::NodeNotReady { .. } => "node NotReady".into(),
        Finding::NodeCordoned => "cordoned".into(),
        Finding::NodeDeleting => "node deleting".into(),
        Finding::OutdatedRevision { .. } => "old revision".into(),
        Finding::NotModelled { .. } => "Unschedulable".into(),
        Finding::Event { reason, .. } => reason.clone(),
        Finding::PodTerminating { .. } => "terminating".into(),
    }
}

fn failed_create_cause(message: &str) -> String {
    let what = if message.contains("PodSecurity") {
        "PodSecurity"
    } else if message.contains("exceeded quota") {
        "ResourceQuota"
    } else if message.contains("service account") {
        "ServiceAccount"
    } else if message.contains("admission webhook") {
        "admission webhook"
    } else {
        return "FailedCreate".into();
    };
    format!("FailedCreate ({what})")
}

/// The event recorder prefixes repeats; the message itself is what the user needs.
fn strip_combined(message: &str) -> &str {
    message
        .strip_prefix("(combined from similar events): ")
        .unwrap_or(message)
}

fn latest<'a>(events: &[&'a EventRecord], reason: &str) -> Option<&'a EventRecord> {
    events.iter().rev().find(|e| e.reason == reason).copied()
}

fn event_finding(e: &EventRecord) -> Finding {
    Finding::Event {
        reason: e.reason.clone(),
        source: e.source.clone(),
        message: strip_combined(&e.message).to_string(),
        count: e.count,
        last_seen: e.last_seen.map(|t| t.to_string()),
    }
}

fn unschedulable_condition(pod: &Pod) -> Option<String> {
    pod.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == "PodScheduled" && c.status == "False")
        .and_then(|c| c.message.clone())
}

fn stale_generation(ds: &DaemonSet) -> Option<String> {
    let generation = ds.metadata.generation?;
    let observed = ds.status.as_ref()?.observed_generation?;
    (observed < generation).then(|| {
        format!("the controller has not yet processed the latest spec (generation {generation}, observed {observed})")
    })
}

fn api_status(ds: &DaemonSet) -> ApiStatus {
    let s = ds.status.clone().unwrap_or_default();
    ApiStatus {
        desired_number_scheduled: s.desired_number_scheduled,
        current_number_scheduled: s.current_number_scheduled,
        number_ready: s.number_ready,
        number_available: s.number_available.unwrap_or(0),
        number_unavailable: s.number_unavailable.unwrap_or(0),
        number_misscheduled: s.number_misscheduled,
        updated_number_scheduled: s.updated_number_scheduled.unwrap_or(0),
        observed_generation: s.observed_generation,
        generation: ds.metadata.generation,
    }
}

/// Rollout progress and disagreements between the controller's `.status` and what the nodes show.
fn notes(
    ds: &DaemonSet,
    status: &ApiStatus,
    counts: &StatusCounts,
    nodes: &[NodeReport],
    current: &CurrentRevision,
    _unplaced: &HashMap<String, Vec<&Pod>>,
) -> Vec<String> {
    let mut notes = Vec::new();
    let eligible = counts.eligible() as i32;
    // The controller counts a node's first pod only (bound first, then oldest).
    fn counted(n: &NodeReport) -> Option<&PodSummary> {
        n.pods.first()
    }
    let updated = nodes
        .iter()
        .filter(|n| n.status.is_eligible())
        .filter(|n| counted(n).and_then(|p| p.up_to_date) == Some(true))
        .count() as i32;
    let ready = nodes
        .iter()
        .filter(|n| n.status.is_eligible())
        .filter(|n| counted(n).is_some_and(|p| p.ready))
        .count() as i32;
    let outdated = nodes
        .iter()
        .filter(|n| n.pods.iter().any(|p| p.up_to_date == Some(false)))
        .count();

    if outdated > 0 && current.hash.is_some() {
        let strategy = rollout::strategy_text(ds);
        let how = if strategy == "OnDelete" {
            "OnDelete: old pods are replaced only when you delete them"
        } else {
            strategy.as_str()
        };
        notes.push(format!(
            "rollout in progress: {updated} of {eligible} eligible nodes run the current revision {} ({how})",
            current.hash.as_deref().unwrap_or("?"),
        ));
    }
    let mut diffs = Vec::new();
    let mut cmp = |what: &str, api: i32, ours: i32| {
        if api != ours {
            diffs.push(format!("{what} {api} vs {ours}"));
        }
    };
    cmp("desired", status.desired_number_scheduled, eligible);
    cmp("ready", status.number_ready, ready);
    cmp(
        "misscheduled",
        status.number_misscheduled,
        counts.misscheduled as i32,
    );
    if current.hash.is_some() {
        cmp("updated", status.updated_number_scheduled, updated);
    }
    if !diffs.is_empty() {
        let stale = stale_generation(ds)
            .map(|s| format!(" ({s})"))
            .unwrap_or_else(|| {
                " (the controller may not have re-synced since the last node or pod change)".into()
            });
        notes.push(format!(
            "DaemonSet .status disagrees with the nodes (status vs computed): {}{stale}",
            diffs.join(", ")
        ));
    }
    notes
}
