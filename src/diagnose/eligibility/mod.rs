//! Whether a node should run a DaemonSet's pod, decided exactly as the DaemonSet controller does,
//! with every failing rule listed; and the scheduler's placement filters for a daemon pod that
//! exists but is not bound. Pure and synchronous: no I/O, no clock.

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, Taint};

use crate::diagnose::node_affinity::{
    node_selector_mismatches, reason_text, required_affinity_mismatch,
};
use crate::diagnose::tolerations::{
    BLOCKING_EFFECTS, EFFECT_NO_EXECUTE, EFFECT_NO_SCHEDULE, TAINT_NODE_UNSCHEDULABLE,
    add_daemon_tolerations, taint_finding, tolerations_tolerate, untolerated,
};
use crate::report::Finding;
use crate::snapshot::pod::PodSpec;

/// The controller's verdict for one (DaemonSet, node) pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Eligibility {
    /// A pod should exist on the node (counts in desiredNumberScheduled; created when missing).
    pub should_run: bool,
    /// A pod already there may stay. `!should_run && should_continue_running` is a pod the
    /// controller keeps but counts in numberMisscheduled.
    pub should_continue_running: bool,
    /// Every failing rule, in the controller's order: nodeName, nodeSelector entries,
    /// required nodeAffinity, then each untolerated NoSchedule/NoExecute taint in node order.
    pub reasons: Vec<Finding>,
}

/// A DaemonSet's pod template as the controller evaluates it, built once per DaemonSet.
#[derive(Debug, Clone)]
pub struct DaemonPodTemplate {
    spec: PodSpec,
}

impl DaemonPodTemplate {
    /// The template spec with the daemon tolerations added. NewPod also sets spec.nodeName to the
    /// node under test; that makes the `fitsNodeName` predicate always true, so it is not stored:
    /// only the template's own nodeName can exclude a node.
    // Mirrors pkg/controller/daemon/daemon_controller.go (NewPod)
    pub fn new(ds: &DaemonSet) -> Self {
        let mut spec = ds
            .spec
            .template
            .spec
            .as_ref()
            .map(PodSpec::from)
            .unwrap_or_default();
        add_daemon_tolerations(&mut spec);
        DaemonPodTemplate { spec }
    }

    /// The spec the controller evaluates (and creates pods from, before it adds the
    /// `metadata.name` matchFields term).
    pub fn spec(&self) -> &PodSpec {
        &self.spec
    }

    /// Whether `node` should run this DaemonSet's pod.
    ///
    /// Upstream returns at the first failing group; every group is evaluated here so that all
    /// reasons are reported, and the two booleans come out the same.
    ///
    /// Not part of the decision, as upstream:
    /// - tolerationSeconds. A NoExecute taint tolerated for N seconds counts as tolerated, so the
    ///   node stays eligible. What enforces N is the taint-eviction controller, which evicts the
    ///   pod N seconds after the taint appears; the DaemonSet controller then creates a new pod
    ///   (the node still qualifies), which is evicted again N seconds later. The not-ready and
    ///   unreachable tolerations the controller adds have no tolerationSeconds, so they never expire.
    /// - spec.unschedulable (cordon). The controller never reads it; the
    ///   `node.kubernetes.io/unschedulable:NoSchedule` taint that comes with it is tolerated by the
    ///   default daemon tolerations, so a cordoned node still gets a daemon pod.
    /// - The Ready condition: only the not-ready/unreachable taints derived from it matter.
    /// - metadata.deletionTimestamp. A node being deleted is still listed, so it stays eligible
    ///   (and counted in desired) until the Node object is gone; the controller then deletes
    ///   unbound pods that target it (getUnscheduledPodsWithoutNode) and leaves bound ones to pod GC.
    /// - Resources and host ports: the scheduler decides those once the pod exists.
    // Mirrors pkg/controller/daemon/daemon_controller.go (NodeShouldRunDaemonPod, predicates)
    pub fn evaluate(&self, node: &Node) -> Eligibility {
        let mut reasons = Vec::new();
        let node_name = node.metadata.name.as_deref().unwrap_or("");

        // The template's nodeName must be empty or this node.
        if let Some(wanted) = self.spec.node_name.as_deref().filter(|n| !n.is_empty())
            && wanted != node_name
        {
            reasons.push(Finding::NodeNameMismatch {
                wanted: wanted.to_owned(),
            });
        }

        // fitsNodeAffinity: nodeSelector AND required nodeAffinity (parse errors ignored).
        if let Some(selector) = &self.spec.node_selector {
            reasons.extend(node_selector_mismatches(selector, node));
        }
        if let Some(f) = required_affinity_mismatch(self.spec.affinity.as_ref(), node) {
            reasons.push(f);
        }
        // Name and affinity failures mean the pod must not stay, whatever the taints.
        let placement_fails = !reasons.is_empty();

        // fitsTaints: NoSchedule and NoExecute taints must all be tolerated; PreferNoSchedule never blocks.
        let taints = node_taints(node);
        let tolerations = self.spec.tolerations.as_deref().unwrap_or(&[]);
        let blocking = untolerated(taints, tolerations, &BLOCKING_EFFECTS);
        // A pod already running may stay unless a NoExecute taint is untolerated.
        let no_execute = blocking.iter().any(|t| t.effect == EFFECT_NO_EXECUTE);
        reasons.extend(blocking.into_iter().map(taint_finding));

        Eligibility {
            should_run: reasons.is_empty(),
            should_continue_running: !placement_fails && !no_execute,
            reasons,
        }
    }
}

fn node_taints(node: &Node) -> &[Taint] {
    node.spec
        .as_ref()
        .and_then(|s| s.taints.as_deref())
        .unwrap_or(&[])
}

/// Why the scheduler's placement filters reject `node` for a pod that exists but is not bound,
/// judged on the pod's own spec (its tolerations, nodeSelector, and the required affinity that
/// includes the controller's `metadata.name In [node]` term), in the scheduler's plugin order:
/// NodeUnschedulable, NodeName, TaintToleration, NodeAffinity. Each untolerated taint is listed,
/// although the scheduler names only the first. Resources and host ports are judged elsewhere.
///
/// A cordoned node can yield both NodeCordoned (NodeUnschedulable reads spec.unschedulable) and
/// the unschedulable taint (TaintToleration), as two plugins reject it; one toleration of
/// `node.kubernetes.io/unschedulable:NoSchedule` satisfies both.
// Mirrors pkg/scheduler/framework/plugins/{nodeunschedulable,nodename,tainttoleration,nodeaffinity} (Filter)
pub fn scheduler_filter_failures(spec: &PodSpec, node: &Node) -> Vec<Finding> {
    let mut out = Vec::new();
    let tolerations = spec.tolerations.as_deref().unwrap_or(&[]);
    let node_name = node.metadata.name.as_deref().unwrap_or("");

    let cordoned = node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true);
    if cordoned {
        let unschedulable = Taint {
            key: TAINT_NODE_UNSCHEDULABLE.to_owned(),
            effect: EFFECT_NO_SCHEDULE.to_owned(),
            value: None,
            time_added: None,
        };
        if !tolerations_tolerate(tolerations, &unschedulable) {
            out.push(Finding::NodeCordoned);
        }
    }

    if let Some(wanted) = spec.node_name.as_deref().filter(|n| !n.is_empty())
        && wanted != node_name
    {
        out.push(Finding::NodeNameMismatch {
            wanted: wanted.to_owned(),
        });
    }

    out.extend(
        untolerated(node_taints(node), tolerations, &BLOCKING_EFFECTS)
            .into_iter()
            .map(taint_finding),
    );

    if let Some(selector) = &spec.node_selector {
        out.extend(node_selector_mismatches(selector, node));
    }
    if let Some(f) = required_affinity_mismatch(spec.affinity.as_ref(), node) {
        out.push(f);
    }
    out
}

fn is_no_schedule_taint(f: &Finding) -> bool {
    matches!(f, Finding::UntoleratedTaint { effect, .. } if effect == EFFECT_NO_SCHEDULE)
}

fn text(f: &Finding) -> String {
    match f {
        Finding::UntoleratedTaint { effect, taint, .. } if effect == EFFECT_NO_EXECUTE => {
            format!("untolerated NoExecute taint {taint}")
        }
        other => reason_text(other).unwrap_or_else(|| format!("{other:?}")),
    }
}

/// Every reason, as sentences joined with `; ` (empty when the node is eligible).
pub fn ineligible_text(e: &Eligibility) -> String {
    e.reasons
        .iter()
        .map(|f| reason_text(f).unwrap_or_else(|| format!("{f:?}")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// For a pod on a node that no longer qualifies: why, and what happens to the pod.
pub fn misscheduled_text(e: &Eligibility) -> String {
    if e.should_run {
        return "the node is eligible".to_owned();
    }
    if e.should_continue_running {
        // Only NoSchedule taints fail: the controller keeps the pod (numberMisscheduled).
        let n = e.reasons.iter().filter(|f| is_no_schedule_taint(f)).count();
        let (noun, verb) = if n > 1 {
            ("taints", "are")
        } else {
            ("taint", "is")
        };
        return format!(
            "no longer eligible ({}); the controller keeps the pod because the {noun} {verb} NoSchedule, not NoExecute",
            ineligible_text(e)
        );
    }
    let (fatal, also): (Vec<&Finding>, Vec<&Finding>) =
        e.reasons.iter().partition(|f| !is_no_schedule_taint(f));
    let evicted = fatal.iter().any(
        |f| matches!(f, Finding::UntoleratedTaint { effect, .. } if effect == EFFECT_NO_EXECUTE),
    );
    let fate = if evicted {
        "the pod will be evicted/deleted"
    } else {
        "the DaemonSet controller will delete the pod"
    };
    let mut s = format!(
        "no longer eligible; {fate}: {}",
        fatal.iter().map(|f| text(f)).collect::<Vec<_>>().join("; ")
    );
    if !also.is_empty() {
        s.push_str(&format!(
            " (also {})",
            also.iter().map(|f| text(f)).collect::<Vec<_>>().join("; ")
        ));
    }
    s
}

#[cfg(test)]
mod real_cluster_tests;
#[cfg(test)]
mod scheduler_filter_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
