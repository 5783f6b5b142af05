//! `plan`: what applying a DaemonSet manifest would do on each node, before it is applied. The same
//! NodeShouldRunDaemonPod and scheduler filters as `why`, run on the pod as the API server would build
//! it, plus the admission plugins that can refuse it, plus (when the DaemonSet exists) what the
//! controller changes. Pure: a Snapshot and a manifest in, a PlanReport out; no I/O, no clock.

pub mod change;
pub mod pod;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Node;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

use super::admission::{self, Admission};
use super::cluster::{Cluster, name};
use super::eligibility::{self, DaemonPodTemplate};
use super::tolerations::add_daemon_tolerations;
use super::verdict::{finding_text, short_cause};
use super::{host_ports, resources, rollout};
use crate::report::{
    Change, ChangeCounts, NodePlan, PlanCounts, PlanReport, PlanStatus, PlanSummary,
    PlannedDaemonSet,
};
use crate::snapshot::pod::{Pod, PodSpec};
use change::Existing;

/// The DaemonSet as it would be stored and the pod its controller would create, built once.
pub struct PlannedPod {
    pub daemonset: DaemonSet,
    /// NodeShouldRunDaemonPod's view (template + the controller's tolerations).
    pub template: DaemonPodTemplate,
    /// The pod spec as created: defaulting, the controller's tolerations, serviceAccountName.
    pub spec: PodSpec,
    /// The same spec whole, as admission sees it (PodSecurity reads what the engine's pod leaves out).
    pub admitted: k8s_openapi::api::core::v1::PodSpec,
    pub meta: ObjectMeta,
    /// maxSurge > 0: a replacement runs beside the old pod, so both must fit.
    pub surge: bool,
}

impl PlannedPod {
    /// `namespace`: where the manifest lands when it names none (-n, else the context's).
    pub fn new(manifest: &DaemonSet, namespace: &str) -> PlannedPod {
        let daemonset = pod::default_daemonset(manifest, namespace);
        let template = DaemonPodTemplate::new(&daemonset);
        let admitted = pod::default_pod_spec(
            daemonset
                .spec
                .template
                .spec
                .as_ref()
                .unwrap_or(&Default::default()),
        );
        let mut spec = PodSpec::from(&admitted);
        add_daemon_tolerations(&mut spec);
        let tmeta = daemonset.spec.template.metadata.clone().unwrap_or_default();
        let meta = ObjectMeta {
            namespace: daemonset.metadata.namespace.clone(),
            generate_name: Some(format!("{}-", name(&daemonset.metadata))),
            labels: tmeta.labels,
            annotations: tmeta.annotations,
            ..ObjectMeta::default()
        };
        let surge = rollout::allows_surge(&daemonset);
        PlannedPod {
            daemonset,
            template,
            spec,
            admitted,
            meta,
            surge,
        }
    }

    pub fn namespace(&self) -> &str {
        self.daemonset.metadata.namespace.as_deref().unwrap_or("")
    }

    /// The spec of the pod the controller creates for `node`: `why --node`'s own `as_created`, on
    /// the defaulted spec.
    pub(crate) fn spec_for(&self, node: &str) -> PodSpec {
        super::trace::as_created(&self.spec, node)
    }
}

/// One node's plan, from the node, what is bound to it, the DaemonSet's pods there today and
/// admission's verdict. Pure and per node, so a one-node view can reuse it. Quota competition between
/// nodes is decided afterwards, across all nodes (`plan`).
pub fn plan_node(
    planned: &PlannedPod,
    node: &Node,
    pods_on_node: Option<&[&Pod]>,
    existing: &Existing,
    admission: &Admission,
) -> NodePlan {
    let node_name = name(&node.metadata);
    let own = existing.pods_on(node_name);
    let e = planned.template.evaluate(node);
    let mut plan = NodePlan {
        node: node_name.to_string(),
        status: PlanStatus::Ineligible,
        reason: String::new(),
        change: Change::None,
        cause: String::new(),
        findings: Vec::new(),
    };
    if !e.should_run {
        plan.cause = short_cause(&e.reasons);
        plan.reason = eligibility::ineligible_text(&e);
        if let Some(pod) = own.first() {
            if let (true, Some(why)) = (e.should_continue_running, existing.rollout_removes(own)) {
                plan.change = Change::Remove;
                plan.reason = format!(
                    "pod {} is deleted and not created again: {why}, and the node no longer qualifies ({})",
                    name(&pod.metadata),
                    eligibility::ineligible_text(&e)
                );
            } else if e.should_continue_running {
                plan.change = Change::Keep;
                plan.reason = format!(
                    "pod {} stays: {}",
                    name(&pod.metadata),
                    eligibility::misscheduled_text(&e)
                );
            } else {
                plan.change = Change::Remove;
                plan.reason = format!(
                    "pod {} is deleted: {}",
                    name(&pod.metadata),
                    eligibility::misscheduled_text(&e)
                );
            }
        }
        plan.findings = e.reasons;
        return plan;
    }

    let (change, story) = existing.change_for(node_name, own);
    plan.change = change;
    // A pod is created unless the node keeps the one it has.
    let creates = plan.change != Change::Keep;

    let spec = planned.spec_for(node_name);
    let mut causes = eligibility::scheduler_filter_failures(&spec, node);
    let mut unknown_usage = false;
    match pods_on_node {
        Some(on_node) => {
            let others = competing_pods(planned, on_node, own, creates);
            causes.extend(resources::fit(&spec, node, &others));
            causes.extend(host_ports::host_port_conflicts(&spec, &others));
        }
        None => unknown_usage = true,
    }
    let scheduling = if causes.is_empty() {
        None
    } else {
        Some(
            causes
                .iter()
                .map(finding_text)
                .collect::<Vec<_>>()
                .join("; "),
        )
    };

    if let (true, Some(refusal)) = (creates, &admission.refusal) {
        plan.status = PlanStatus::Refused;
        plan.cause = refusal.plugin.clone();
        plan.reason = format!(
            "{} admission refuses the pod ({}): {}",
            refusal.plugin, refusal.object, refusal.message
        );
        if let Some(s) = &scheduling {
            plan.reason.push_str(&format!(
                "; once admitted it would not be scheduled either: {s}"
            ));
        }
        plan.findings = causes;
        return plan;
    }
    match scheduling {
        Some(s) => {
            plan.status = PlanStatus::Unschedulable;
            plan.cause = short_cause(&causes);
            plan.reason = format!("the pod would stay Pending: {s}");
            if !story.is_empty() {
                plan.reason = format!("{story}; {}", plan.reason);
            }
        }
        None => {
            plan.status = PlanStatus::Schedulable;
            plan.reason = match plan.change {
                Change::Keep => story,
                Change::Replace => format!("{story}; the new pod fits"),
                _ if story.is_empty() => {
                    "the controller creates the pod and the scheduler can place it".into()
                }
                _ => format!("{story}; the scheduler can place it"),
            };
            if unknown_usage {
                plan.reason.push_str("; pods on the node were not read, so resources and host ports were not checked");
            }
        }
    }
    plan.findings = causes;
    plan
}

/// The pods on the node the new pod must fit beside: the old pod is gone before its replacement is
/// created, unless the rollout surges.
pub(crate) fn competing_pods<'a>(
    planned: &PlannedPod,
    on_node: &[&'a Pod],
    own: &[&Pod],
    creates: bool,
) -> Vec<&'a Pod> {
    on_node
        .iter()
        .copied()
        .filter(|p| planned.surge && creates || !own.iter().any(|o| same_pod(o, p)))
        .collect()
}

fn same_pod(a: &Pod, b: &Pod) -> bool {
    a.metadata.uid == b.metadata.uid && a.metadata.name == b.metadata.name
}

/// Plans one manifest DaemonSet against the cluster state.
pub fn plan(cluster: &Cluster, manifest: &DaemonSet, namespace: &str) -> PlanReport {
    let planned = PlannedPod::new(manifest, namespace);
    let ns = planned.namespace().to_string();
    let ds_name = name(&planned.daemonset.metadata).to_string();
    let current = cluster.find_daemonset(&ns, &ds_name);
    let existing = Existing::new(cluster, current, &planned.daemonset);
    let admission = admission::admit(cluster.snapshot, &ns, &planned.meta, &planned.admitted);

    let mut nodes: Vec<NodePlan> = cluster
        .nodes
        .iter()
        .map(|node| {
            plan_node(
                &planned,
                node,
                cluster.pods_on_node(name(&node.metadata)),
                &existing,
                &admission,
            )
        })
        .collect();
    let mut notes = Vec::new();
    share_quota(&mut nodes, &admission, planned.surge, &ns, &mut notes);
    nodes.sort_by(|a, b| (a.status, &a.node).cmp(&(b.status, &b.node)));

    for c in &admission.checks {
        match c.result.as_str() {
            "Skipped" => notes.push(format!("{} check skipped: {}", c.plugin, c.message)),
            "Warning" => notes.push(format!("PodSecurity warning: {}", c.message)),
            _ => {}
        }
    }
    if cluster.snapshot.nodes.is_empty() {
        notes.push("the cluster state holds no nodes: nothing to plan".into());
    }
    notes.push(
        "not modelled: admission webhooks, LimitRange defaults, PodSecurity exemptions; scheduler volume, topology-spread and pod-affinity filters".into(),
    );

    let mut counts = PlanCounts::default();
    let mut changes = ChangeCounts::default();
    for n in &nodes {
        counts.add(n.status);
        changes.add(n.change);
    }
    let desired = nodes
        .iter()
        .filter(|n| n.status != PlanStatus::Ineligible)
        .count();
    let (text, rollout_steps) = summary_text(
        &planned.daemonset,
        current.is_some(),
        &counts,
        &changes,
        desired,
    );
    PlanReport {
        daemonset: PlannedDaemonSet {
            namespace: ns,
            name: ds_name,
            exists: current.is_some(),
            update_strategy: rollout::strategy_text(&planned.daemonset),
            template_changed: existing.template_changed(),
        },
        summary: PlanSummary {
            text,
            counts,
            changes,
            rollout_steps,
        },
        admission: admission.checks.clone(),
        notes,
        nodes,
    }
}

/// The quota admits `allows` more pods; nodes needing a new pod compete for them. The controller
/// creates pods in slow-start batches (1, 2, 4, ...) for nodes in its node cache's order, which is a
/// map's and not predictable, so which nodes win is not known: here the first in name order are shown
/// getting one, and every competing node's reason says so.
// Mirrors pkg/controller/daemon/daemon_controller.go (manage, syncNodes) and pkg/controller/controller_utils.go (slowStartBatch)
fn share_quota(
    nodes: &mut [NodePlan],
    admission: &Admission,
    surge: bool,
    namespace: &str,
    notes: &mut Vec<String>,
) {
    let Some(room) = &admission.quota else {
        return;
    };
    let charges = |n: &NodePlan| {
        n.status != PlanStatus::Ineligible
            && n.status != PlanStatus::Refused
            && (n.change == Change::Add || (surge && n.change == Change::Replace))
    };
    let mut competing: Vec<usize> = (0..nodes.len()).filter(|i| charges(&nodes[*i])).collect();
    let need = competing.len();
    if need as u64 <= room.allows {
        return;
    }
    competing.sort_by(|a, b| nodes[*a].node.cmp(&nodes[*b].node));
    let allows = room.allows as usize;
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let headline = format!(
        "quota {} allows {}, {} need one",
        room.quota,
        plural(allows, "more pod", "more pods"),
        plural(need, "node", "nodes")
    );
    let order = "which nodes get one is not predictable: the controller creates pods in slow-start batches for nodes in its node cache's (unordered) order";
    if allows == 0 {
        notes.push(format!("{headline}: every one is refused"));
    } else {
        notes.push(format!(
            "{headline}: {} will be refused; {order}",
            plural(need - allows, "node", "nodes")
        ));
    }
    for (rank, i) in competing.into_iter().enumerate() {
        let n = &mut nodes[i];
        if rank < allows {
            n.reason.push_str(&format!(
                "; {headline}: this node may be refused instead of another ({order})"
            ));
        } else {
            n.status = PlanStatus::Refused;
            n.cause = "ResourceQuota".into();
            let which = if allows == 0 {
                String::new()
            } else {
                format!("; shown for the last nodes by name, {order}")
            };
            n.reason = format!(
                "ResourceQuota admission refuses the pod (resourcequota {namespace}/{}): {} ({headline}{which})",
                room.quota, room.exceeded
            );
        }
    }
}

fn summary_text(
    ds: &DaemonSet,
    exists: bool,
    counts: &PlanCounts,
    changes: &ChangeCounts,
    desired: usize,
) -> (String, Option<u64>) {
    let nodes = |n: usize| {
        if n == 1 {
            "1 node".to_string()
        } else {
            format!("{n} nodes")
        }
    };
    let mut parts = vec![format!("+{}", nodes(changes.add))];
    if exists {
        parts.push(format!("-{}", nodes(changes.remove)));
    }
    let mut steps = None;
    if exists {
        let pods = if changes.replace == 1 {
            "1 pod".to_string()
        } else {
            format!("{} pods", changes.replace)
        };
        let mut replaced = format!("{pods} replaced");
        if changes.replace > 0 {
            let (label, per_step) = change::step_size(ds, desired);
            match per_step {
                Some(k) if k > 0 => {
                    let s = (changes.replace as u64).div_ceil(k);
                    steps = Some(s);
                    replaced.push_str(&format!(
                        " ({label}: ~{s} step{})",
                        if s == 1 { "" } else { "s" }
                    ));
                }
                _ => replaced.push_str(&format!(" ({label})")),
            }
        }
        parts.push(replaced);
        if changes.keep > 0 {
            parts.push(format!("{} kept", changes.keep));
        }
    } else {
        parts[0].push_str(" (new DaemonSet)");
    }
    let text = format!(
        "{}; {} Schedulable, {} Unschedulable, {} Refused, {} Ineligible",
        parts.join(", "),
        counts.schedulable,
        counts.unschedulable,
        counts.refused,
        counts.ineligible
    );
    (text, steps)
}

#[cfg(test)]
mod tests;
