//! One DaemonSet against every node: the per-node verdict and the sentence that explains it.
//! Mirrors the DaemonSet controller's per-node decision (pkg/controller/daemon/daemon_controller.go:
//! podsShouldBeOnNode, updateDaemonSetStatus); every predicate is evaluated so all reasons are listed.
//! Pure: reads the Cluster index only; no I/O, no clock.

use std::collections::HashMap;

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Node;
use rayon::prelude::*;

use super::cluster::{Cluster, DaemonPods, controller_ref, name, selects_everything};
use super::eligibility::{self, DaemonPodTemplate};
use super::rollout::{self, CurrentRevision, REVISION_LABEL};
use super::{host_ports, node_affinity, pod_state, resources};
use crate::report::{
    ApiStatus, DaemonSetReport, Finding, NodeFacts, NodeReport, NodeStatus, PodSummary,
    StatusCounts,
};
use crate::snapshot::EventRecord;
use crate::snapshot::pod::Pod;

/// Judges every node of the cluster for one DaemonSet, and how its rollout stands at `now` (pods
/// become available minReadySeconds after they turn Ready).
pub fn diagnose(cluster: &Cluster, ds: &DaemonSet, now: Timestamp) -> DaemonSetReport {
    let template = DaemonPodTemplate::new(ds);
    let current = CurrentRevision::new(ds, cluster.revisions(ds));
    let mut daemon_pods = cluster.daemon_pods_by_node(ds);
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
        ds_events: &ds_events,
        stale_generation: stale_generation(ds),
        surge: rollout::allows_surge(ds),
        min_ready_seconds: ds.spec.min_ready_seconds.unwrap_or(0),
        not_synced: not_synced(ds),
    };

    for node in &cluster.nodes {
        if let Some(pods) = daemon_pods.by_node.get_mut(name(&node.metadata)) {
            sort_like_controller(pods);
        }
    }
    // Nodes are judged independently against the same read-only state: one per core.
    let none: &[&Pod] = &[];
    let mut nodes: Vec<NodeReport> = cluster
        .nodes
        .par_iter()
        .map(|node| {
            let node_name = name(&node.metadata);
            let pods = daemon_pods.by_node.get(node_name);
            let finished = daemon_pods.finished.get(node_name);
            judge_node(
                &ctx,
                &template,
                node,
                pods.map_or(none, Vec::as_slice),
                finished.map_or(none, Vec::as_slice),
            )
        })
        .collect();
    // What is left are pods targeting nodes the snapshot does not hold (unplaced_notes).
    for node in &cluster.nodes {
        daemon_pods.by_node.remove(name(&node.metadata));
        daemon_pods.finished.remove(name(&node.metadata));
    }
    nodes.sort_by(|a, b| {
        (a.status.severity_rank(), &a.node).cmp(&(b.status.severity_rank(), &b.node))
    });

    let mut counts = StatusCounts::default();
    for n in &nodes {
        counts.add(n.status);
    }
    let rollout = rollout::assess(cluster, ds, &nodes, now);
    let status = api_status(ds);
    let mut notes = notes(ds, &status, &counts, &nodes, &current);
    notes.extend(unplaced_notes(&daemon_pods));
    for p in cluster.released_pods(ds) {
        notes.push(format!(
            "pod {} is controlled by this DaemonSet but its labels no longer match the selector: the controller releases it (drops its owner reference) and does not count it",
            name(&p.metadata)
        ));
    }
    DaemonSetReport {
        namespace,
        name: ds_name,
        uid: ds.metadata.uid.clone(),
        current_revision: current.hash.clone(),
        update_strategy: rollout::strategy_text(ds),
        rollout: Some(rollout),
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
    /// Events about the DaemonSet, oldest first.
    ds_events: &'a [&'a EventRecord],
    stale_generation: Option<String>,
    /// maxSurge > 0: a node may hold a new-revision pod beside the old one.
    surge: bool,
    min_ready_seconds: i32,
    /// Why the controller does not sync this DaemonSet at all, if it does not.
    not_synced: Option<&'static str>,
}

/// The states in which syncDaemonSet returns before creating or deleting anything.
// Mirrors pkg/controller/daemon/daemon_controller.go (syncDaemonSet)
fn not_synced(ds: &DaemonSet) -> Option<&'static str> {
    if selects_everything(&ds.spec.selector) {
        Some(
            "the controller does not sync this DaemonSet: its selector is empty (event SelectingAll), so it creates no pod",
        )
    } else if ds.metadata.deletion_timestamp.is_some() {
        Some("the DaemonSet is being deleted, so the controller creates no more pods")
    } else {
        None
    }
}

fn judge_node(
    ctx: &Ctx,
    template: &DaemonPodTemplate,
    node: &Node,
    pods: &[&Pod],
    finished: &[&Pod],
) -> NodeReport {
    let eligibility = template.evaluate(node);
    let node_facts = node_facts(node);
    let summaries = pods.iter().map(|p| summarize(ctx, p)).collect();
    let mut report = NodeReport {
        node: name(&node.metadata).to_string(),
        status: NodeStatus::Ineligible,
        reason: String::new(),
        cause: String::new(),
        pod: pods.first().map(|p| name(&p.metadata).to_string()),
        revision: pods.first().and_then(|p| ctx.current.revision_of(p)),
        pods: summaries,
        findings: Vec::new(),
        node_facts,
        advice: Vec::new(),
    };

    if !eligibility.should_run {
        report.cause = short_cause(&eligibility.reasons);
        let Some(pod) = pods.first() else {
            report.reason = eligibility::ineligible_text(&eligibility);
            report.findings = eligibility.reasons;
            return report;
        };
        // updateDaemonSetStatus counts any pod targeting a node that should not run one, bound
        // or not, terminating or not, in numberMisscheduled.
        report.status = NodeStatus::Misscheduled;
        let subject = if is_bound(pod) {
            format!("pod {} is here", name(&pod.metadata))
        } else {
            format!(
                "pod {} (not scheduled yet) targets this node",
                name(&pod.metadata)
            )
        };
        // podsShouldBeOnNode deletes finished pods even where it would keep a running one.
        let finished = pods.iter().all(|p| pod_state::is_terminal(p));
        let mut reason = if eligibility.should_continue_running && finished {
            format!(
                "{subject} but it finished ({}) and the node is no longer eligible ({}): the controller deletes it and creates no replacement",
                phase(pod),
                eligibility::ineligible_text(&eligibility)
            )
        } else {
            format!(
                "{subject} but the node is {}",
                eligibility::misscheduled_text(&eligibility)
            )
        };
        report.findings = eligibility.reasons;
        if pods.len() > 1 {
            let others: Vec<&str> = pods[1..].iter().map(|p| name(&p.metadata)).collect();
            reason.push_str(&format!("; also here: pod {}", others.join(", pod ")));
        }
        if pods.iter().all(|p| p.metadata.deletion_timestamp.is_some()) {
            reason.push_str("; already terminating");
            let since = pod
                .metadata
                .deletion_timestamp
                .as_ref()
                .map(|t| t.0.to_string());
            report.findings.push(Finding::PodTerminating { since });
        }
        adoption_note(pod, &mut reason);
        node_state_facts(node, &mut reason, &mut report.findings);
        report.reason = reason;
        return report;
    }

    match pods.first() {
        None => missing(ctx, node, finished, &mut report),
        Some(pod) if !is_bound(pod) => pending(ctx, node, pod, &mut report),
        Some(pod) => on_node(ctx, node, pod, pods, &mut report),
    }
    report
}

/// A pod with no controller owner is adopted by the DaemonSet whose selector matches its labels.
// Mirrors pkg/controller/controller_ref_manager.go (ClaimObject: "It's an orphan")
fn adoption_note(pod: &Pod, reason: &mut String) {
    if controller_ref(&pod.metadata).is_none() {
        reason.push_str(&format!(
            "; pod {} has no controller owner: its labels match the selector, so the DaemonSet controller adopts it",
            name(&pod.metadata)
        ));
    }
}

/// NotReady and being-deleted nodes: facts worth a sentence whatever the verdict.
fn node_state_facts(node: &Node, reason: &mut String, findings: &mut Vec<Finding>) {
    let said = findings
        .iter()
        .any(|f| matches!(f, Finding::NodeNotReady { .. }));
    if let Some(f) = not_ready(node).filter(|_| !said) {
        reason.push_str(&format!("; node is {}", not_ready_text(&f)));
        findings.push(f);
    }
    if node.metadata.deletion_timestamp.is_some() {
        reason.push_str(
            "; node is being deleted (the controller counts it until the Node object is gone)",
        );
        findings.push(Finding::NodeDeleting);
    }
}

/// Eligible, no pod: say what is known about why the controller has not created one.
fn missing(ctx: &Ctx, node: &Node, finished: &[&Pod], report: &mut NodeReport) {
    report.status = NodeStatus::Missing;
    let mut parts = Vec::new();
    if !finished.is_empty() {
        // Mirrors getNodesToDaemonPods: terminal pods being deleted are no longer counted.
        let list: Vec<String> = finished
            .iter()
            .map(|p| format!("{} ({})", name(&p.metadata), phase(p)))
            .collect();
        parts.push(format!(
            "pod {} finished and is being deleted; the controller no longer counts it and creates a new pod",
            list.join(", ")
        ));
        report.cause = "replacing finished pod".into();
        for p in finished {
            report.findings.push(Finding::PodTerminating {
                since: p
                    .metadata
                    .deletion_timestamp
                    .as_ref()
                    .map(|t| t.0.to_string()),
            });
        }
    }
    if let Some(ev) = ctx.failed_create {
        parts.push(format!(
            "the controller cannot create the pod: {}",
            strip_combined(&ev.message)
        ));
        report.cause = failed_create_cause(&ev.message);
        report.findings.push(event_finding(ev));
    }
    if let Some(why) = ctx.not_synced {
        parts.insert(0, why.to_string());
        report.cause = "not synced".into();
    }
    if parts.is_empty() {
        parts.push(match (&ctx.stale_generation, &ctx.cluster.snapshot.events_unavailable) {
            (Some(stale), _) => format!("no pod exists for this eligible node: {stale}"),
            (None, Some(_)) => "no pod exists for this eligible node and events were unavailable to say why; check `kubectl describe ds` for FailedCreate events".into(),
            (None, None) => "no pod exists for this eligible node and no FailedCreate event explains it: the controller has not acted yet (is kube-controller-manager running?)".into(),
        });
    } else if let Some(stale) = &ctx.stale_generation {
        parts.push(stale.clone());
    }
    let mut reason = parts.join("; ");
    node_state_facts(node, &mut reason, &mut report.findings);
    if report.cause.is_empty() {
        report.cause = "not created".into();
    }
    report.reason = reason;
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
    let mut plugins_said = Vec::new();
    let texts: Vec<String> = causes
        .iter()
        .map(|f| match scheduler_words(f) {
            // The scheduler names one failure per plugin; quote it on the first.
            Some((plugin, words)) if !plugins_said.contains(&plugin) => {
                plugins_said.push(plugin);
                format!("{} (the scheduler says: {words})", finding_text(f))
            }
            _ => finding_text(f),
        })
        .collect();
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
        reason.push_str(match (unknown_usage, scheduler_said.is_some()) {
            (true, _) => {
                "; pods on the node were not fetched, so resources and host ports were not checked"
            }
            (false, true) => {
                "; kubectl-ds found no cause among taints, nodeSelector/affinity, resources and host ports: the scheduler's message is the authority (volumes, topology spread, pod affinity and DRA are not modelled)"
            }
            (false, false) => {
                "; taints, nodeSelector/affinity, resources and host ports all fit: it may simply not be scheduled yet, or a check kubectl-ds does not model (volumes, topology spread, pod affinity, DRA) refuses it"
            }
        });
        if !unknown_usage {
            report.findings.push(Finding::NotModelled {
                detail: match scheduler_said {
                    Some(_) => "cause not among the checks kubectl-ds models; see the scheduler's message",
                    None => "nothing kubectl-ds models refuses this node; the scheduler has not said why it has not bound the pod",
                }
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
    adoption_note(pod, &mut reason);
    node_state_facts(node, &mut reason, &mut report.findings);
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
        NodeStatus::Running if assessed.reason.is_empty() => format!("pod {pod_name} is Ready"),
        _ => format!("pod {pod_name}: {}", assessed.reason),
    };
    report.findings = assessed.findings;
    // A pod whose containers had started is not "starting" when its node stopped being Ready: the
    // node lifecycle controller marked it not Ready, and it stays so until the node recovers
    // (DaemonSet pods tolerate the not-ready/unreachable NoExecute taints, so nothing evicts them).
    // One that never started there is still Starting, with the node's state as a fact.
    // Mirrors pkg/controller/nodelifecycle/node_lifecycle_controller.go (MarkPodsNotReady).
    if assessed.status == NodeStatus::Starting
        && let Some(f) = not_ready(node)
        && has_ready_condition(node)
        && containers_running(pod)
    {
        report.status = NodeStatus::Failing;
        report.cause = "node NotReady".into();
        reason = format!(
            "pod {pod_name} is not Ready because its node is {}: the node lifecycle controller marks the node's pods not Ready, and DaemonSet pods stay (they tolerate the not-ready/unreachable taints) until the node recovers",
            not_ready_text(&f)
        );
        report.findings.insert(0, f);
    }
    let fates = controller_fates(ctx, pods);

    // The controller replaces finished pods; its event says when it acted.
    if let Some(fate) = fates.get(pod_name) {
        reason.push_str(&format!("; {fate}"));
        if let Some(ev) = controller_event_for(ctx, pod) {
            report.findings.push(event_finding(ev));
        }
    }
    if let (Some(false), Some(cur)) = (ctx.current.is_pod_updated(pod), ctx.current.hash.as_ref()) {
        let old = rollout::pod_revision(pod).unwrap_or_else(|| "?".into());
        reason.push_str(&format!("; runs old revision {old} (current {cur})"));
        report.findings.push(Finding::OutdatedRevision {
            pod_revision: old,
            current: cur.clone(),
        });
    }
    if pod.metadata.deletion_timestamp.is_some() {
        if !report
            .findings
            .iter()
            .any(|f| matches!(f, Finding::PodTerminating { .. }))
        {
            let since = pod
                .metadata
                .deletion_timestamp
                .as_ref()
                .map(|t| t.0.to_string());
            reason.push_str("; pod is terminating");
            report.findings.push(Finding::PodTerminating { since });
        }
        reason.push_str(&replacement_text(ctx, pods));
    }
    adoption_note(pod, &mut reason);
    eviction_note(node, pod, &mut reason);
    // During a surge rollout a second pod (the new revision) runs beside the counted one; other
    // extra pods are duplicates the controller removes.
    for extra in pods.iter().skip(1) {
        let extra_name = name(&extra.metadata);
        let extra_events =
            ctx.cluster
                .events_for(ns, "Pod", extra_name, extra.metadata.uid.as_deref());
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
        reason.push_str(&format!("; also pod {extra_name}{rev}: {status}: {text}"));
        if let Some(fate) = fates.get(extra_name) {
            reason.push_str(&format!(" ({fate})"));
        }
    }
    node_state_facts(node, &mut reason, &mut report.findings);
    report.reason = reason;
}

/// When the controller creates the replacement for a terminating pod.
// Mirrors podsShouldBeOnNode: pods being deleted are skipped; without surge nothing is created
// while any pod is still listed for the node, with surge one is created once no live pod is left.
fn replacement_text(ctx: &Ctx, pods: &[&Pod]) -> String {
    let live = pods
        .iter()
        .any(|p| p.metadata.deletion_timestamp.is_none() && !pod_state::is_terminal(p));
    match (live, ctx.surge) {
        (true, _) => String::new(),
        (false, true) => {
            "; with maxSurge the controller creates the replacement without waiting for it to go"
                .into()
        }
        (false, false) => "; the controller creates its replacement only after it is gone".into(),
    }
}

/// What the controller does to each pod on an eligible node it does not keep, by pod name.
// Mirrors pkg/controller/daemon/daemon_controller.go (podsShouldBeOnNode, case shouldContinueRunning)
fn controller_fates(ctx: &Ctx, pods: &[&Pod]) -> HashMap<String, String> {
    let mut fates = HashMap::new();
    let mut running: Vec<&Pod> = Vec::new();
    for p in pods {
        if p.metadata.deletion_timestamp.is_some() {
            continue;
        }
        match phase(p) {
            "Failed" => {
                fates.insert(
                    name(&p.metadata).to_string(),
                    "the DaemonSet controller deletes failed pods and creates a replacement, backing off while they keep failing".to_string(),
                );
            }
            "Succeeded" => {
                fates.insert(
                    name(&p.metadata).to_string(),
                    "the DaemonSet controller deletes succeeded pods and creates a replacement"
                        .to_string(),
                );
            }
            _ => running.push(p),
        }
    }
    if running.len() <= 1 {
        return fates;
    }
    sort_like_controller(&mut running);
    if !ctx.surge {
        for p in &running[1..] {
            fates.insert(
                name(&p.metadata).to_string(),
                "the controller deletes it: without maxSurge only the oldest pod per node is kept"
                    .to_string(),
            );
        }
        return fates;
    }
    // With surge: keep the oldest pod of the current revision and the oldest of any older one.
    let Some(hash) = ctx.current.hash.as_deref() else {
        return fates;
    };
    let is_new = |p: &Pod| {
        p.metadata
            .labels
            .as_ref()
            .and_then(|l| l.get(REVISION_LABEL))
            .is_some_and(|h| h == hash)
    };
    let (mut oldest_new, mut oldest_old): (Option<&Pod>, Option<&Pod>) = (None, None);
    for p in &running {
        let slot = if is_new(p) {
            &mut oldest_new
        } else {
            &mut oldest_old
        };
        if slot.is_none() {
            *slot = Some(p);
        } else {
            fates.insert(
                name(&p.metadata).to_string(),
                "the controller deletes it: with maxSurge only the oldest pod of the current revision and the oldest of the older ones are kept".to_string(),
            );
        }
    }
    if let (Some(new), Some(old)) = (oldest_new, oldest_old) {
        let fate = if !pod_state::is_pod_ready(old) {
            Some("the controller deletes it: the old-revision pod is not Ready, so the new one replaces it now".to_string())
        } else if pod_state::is_pod_ready(new) && ctx.min_ready_seconds == 0 {
            Some("the controller deletes it: the new-revision pod is available".to_string())
        } else if pod_state::is_pod_ready(new) {
            Some(format!(
                "the controller deletes it once the new-revision pod has been Ready for {}s (minReadySeconds)",
                ctx.min_ready_seconds
            ))
        } else {
            None
        };
        if let Some(f) = fate {
            fates.insert(name(&old.metadata).to_string(), f);
        }
    }
    fates
}

/// The controller's own event about a failed or succeeded pod on the node, if recorded.
// Mirrors pkg/controller/daemon/daemon_controller.go (FailedDaemonPodReason, SucceededDaemonPodReason)
fn controller_event_for<'a>(ctx: &Ctx<'a>, pod: &Pod) -> Option<&'a EventRecord> {
    let needle = format!("/{} on node", name(&pod.metadata));
    ctx.ds_events
        .iter()
        .rev()
        .find(|e| {
            matches!(e.reason.as_str(), "FailedDaemonPod" | "SucceededDaemonPod")
                && e.message.contains(&needle)
        })
        .copied()
}

/// NoExecute taints the pod tolerates only for tolerationSeconds: the taint-eviction controller
/// evicts the pod that long after the taints appeared, and the DaemonSet controller (for which a
/// tolerated taint is no obstacle) creates a new one, which meets the same fate.
// Mirrors pkg/controller/tainteviction/taint_eviction.go (processPodOnNode, getMinTolerationTime)
// and k8s.io/component-helpers/scheduling/corev1/helpers.go (GetMatchingTolerations: the first
// toleration matching each NoExecute taint is the one used)
fn eviction_note(node: &Node, pod: &Pod, reason: &mut String) {
    let tolerations = pod
        .spec
        .as_ref()
        .and_then(|s| s.tolerations.as_deref())
        .unwrap_or(&[]);
    let taints = node
        .spec
        .as_ref()
        .and_then(|s| s.taints.as_deref())
        .unwrap_or(&[]);
    let mut shortest: Option<(i64, String)> = None;
    for taint in taints.iter().filter(|t| t.effect == "NoExecute") {
        // An untolerated NoExecute taint makes the node ineligible; that is said elsewhere.
        let Some(used) = tolerations
            .iter()
            .find(|t| super::tolerations::tolerates(t, taint))
        else {
            return;
        };
        if let Some(secs) = used.toleration_seconds {
            let secs = secs.max(0);
            if shortest.as_ref().is_none_or(|(s, _)| secs < *s) {
                shortest = Some((secs, super::tolerations::format_taint(taint)));
            }
        }
    }
    if let Some((secs, taint)) = shortest {
        reason.push_str(&format!(
            "; it tolerates taint {taint} for only {secs}s (tolerationSeconds): the taint-eviction controller evicts it {secs}s after the taint was added, and the DaemonSet controller then creates a new pod"
        ));
    }
}

fn has_ready_condition(node: &Node) -> bool {
    node.status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .is_some_and(|c| c.iter().any(|c| c.type_ == "Ready"))
}

/// Every regular container reports state running: the pod had started.
fn containers_running(pod: &Pod) -> bool {
    let statuses = pod
        .status
        .as_ref()
        .and_then(|s| s.container_statuses.as_deref())
        .unwrap_or(&[]);
    !statuses.is_empty()
        && statuses
            .iter()
            .all(|c| c.state.as_ref().is_some_and(|s| s.running.is_some()))
}

fn phase(pod: &Pod) -> &str {
    pod.status
        .as_ref()
        .and_then(|s| s.phase.as_deref())
        .unwrap_or("Pending")
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
pub(crate) fn sort_like_controller(pods: &mut [&Pod]) {
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

/// The scheduler filter plugin behind a placement finding, and the reason it reports (what
/// FailedScheduling events quote); resources and host ports already speak the scheduler's words.
// Mirrors pkg/scheduler/framework/plugins/{tainttoleration,nodeaffinity,nodename,nodeunschedulable}
// (Filter error reasons)
fn scheduler_words(f: &Finding) -> Option<(&'static str, String)> {
    Some(match f {
        Finding::UntoleratedTaint { .. } => {
            ("TaintToleration", "node(s) had untolerated taint(s)".into())
        }
        Finding::NodeSelectorMismatch { .. } | Finding::NodeAffinityMismatch { .. } => (
            "NodeAffinity",
            "node(s) didn't match Pod's node affinity/selector".into(),
        ),
        Finding::NodeNameMismatch { .. } => (
            "NodeName",
            "node(s) didn't match the requested node name".into(),
        ),
        Finding::NodeCordoned => ("NodeUnschedulable", "node(s) were unschedulable".into()),
        _ => return None,
    })
}

/// A few words naming the cause, for summaries and coverage's TOP-REASON.
pub fn short_cause(findings: &[Finding]) -> String {
    let Some(first) = findings
        .iter()
        .find(|f| !matches!(f, Finding::Event { .. } | Finding::PodTerminating { .. }))
    else {
        // Only evidence (a kubelet or controller event): its reason is the cause, e.g. FailedMount.
        return findings
            .iter()
            .find_map(|f| match f {
                Finding::Event { reason, .. } => Some(reason.clone()),
                _ => None,
            })
            .unwrap_or_default();
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

/// Rollout progress, disagreements between the controller's `.status` and what the nodes show, and
/// DaemonSet-wide states that explain every row at once.
fn notes(
    ds: &DaemonSet,
    status: &ApiStatus,
    counts: &StatusCounts,
    nodes: &[NodeReport],
    current: &CurrentRevision,
) -> Vec<String> {
    let mut notes = Vec::new();
    // Mirrors syncDaemonSet: a DaemonSet being deleted, or one selecting every pod, is not synced.
    if ds.metadata.deletion_timestamp.is_some() {
        notes.push("the DaemonSet is being deleted: the controller no longer creates pods or updates its .status; the garbage collector removes its pods".into());
    }
    if selects_everything(&ds.spec.selector) {
        notes.push("the selector is empty and selects every pod: the controller refuses to sync this DaemonSet (event SelectingAll) until it is given a non-empty selector".into());
    }
    if nodes.is_empty() {
        notes.push("the snapshot holds no nodes, so there is nothing to judge: an empty cluster, or a dump without nodes (kubectl get nodes -o yaml)".into());
    } else if counts.eligible() == 0 {
        let which = match nodes.len() {
            1 => "the only node is".to_string(),
            n => format!("all {n} nodes are"),
        };
        notes.push(format!(
            "no node qualifies for this DaemonSet (desiredNumberScheduled 0): {which} ruled out by its nodeName, nodeSelector, node affinity or untolerated taints"
        ));
    }
    let eligible = counts.eligible() as i32;
    // The controller counts a node's first pod only (bound first, then oldest).
    fn counted(n: &NodeReport) -> Option<&PodSummary> {
        n.pods.first()
    }
    let scheduled = nodes
        .iter()
        .filter(|n| n.status.is_eligible() && !n.pods.is_empty())
        .count() as i32;
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
    // A DaemonSet without any .status (hand-written) has nothing to compare.
    if ds.status.is_none() {
        return notes;
    }
    let mut diffs = Vec::new();
    let mut cmp = |what: &str, api: i32, ours: i32| {
        if api != ours {
            diffs.push(format!("{what} {api} vs {ours}"));
        }
    };
    cmp("desired", status.desired_number_scheduled, eligible);
    cmp("current", status.current_number_scheduled, scheduled);
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

/// The DaemonSet's pods that no node row shows: those targeting a node the snapshot lacks, and
/// those naming no node at all.
// Mirrors pkg/controller/daemon/daemon_controller.go (manage: getUnscheduledPodsWithoutNode; and
// getNodesToDaemonPods, which skips pods whose target node cannot be read) and
// pkg/controller/podgc/gc_controller.go (gcOrphaned: pods bound to nodes that no longer exist)
fn unplaced_notes(pods: &DaemonPods) -> Vec<String> {
    let mut notes = Vec::new();
    let mut gone_nodes: Vec<(&String, &Vec<&Pod>)> = pods.by_node.iter().collect();
    gone_nodes.sort_by_key(|(node, _)| *node);
    for (node, list) in gone_nodes {
        let (bound, unbound): (Vec<&Pod>, Vec<&Pod>) = list.iter().partition(|p| is_bound(p));
        let names = |v: &[&Pod]| {
            v.iter()
                .map(|p| name(&p.metadata))
                .collect::<Vec<_>>()
                .join(", ")
        };
        if !bound.is_empty() {
            notes.push(format!(
                "pod {} is bound to node {node}, which is not among the snapshot's nodes (deleted?): the controller does not count it, and once the Node object is gone the pod garbage collector deletes it",
                names(&bound)
            ));
        }
        if !unbound.is_empty() {
            notes.push(format!(
                "pod {} targets node {node}, which is not among the snapshot's nodes (deleted?): no scheduler can place it, so the DaemonSet controller deletes it",
                names(&unbound)
            ));
        }
    }
    for p in &pods.untargeted {
        notes.push(format!(
            "pod {} names no node (no spec.nodeName and no single metadata.name In term in its required node affinity): the controller ignores it",
            name(&p.metadata)
        ));
    }
    notes
}
