//! One node in depth (`why NAME --node NODE`): every check the DaemonSet controller and the scheduler
//! make for that node, in their order, each with its evidence and result, then the pod's state and
//! revision. Pure: reads the Cluster index, the DaemonSet as given (a manifest's works too) and the node.
//! It decides nothing of its own: each row calls the rule the engine's verdict uses, on the one entry
//! the row is about, and the verdict is `why`'s own row for the node.

mod controller;
mod planned;
mod pod;
mod scheduler;

pub use planned::plan_trace;

#[cfg(test)]
mod tests;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{
    Affinity, Node, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm,
};

use super::cluster::{Cluster, name};
use super::eligibility::DaemonPodTemplate;
use super::node_affinity::OBJECT_NAME_FIELD;
use super::rollout::{self, CurrentRevision};
use crate::report::{Check, CheckResult, NodeTrace, Stage, TraceStatus, TraceVerdict};
use crate::snapshot::pod::{Pod, PodSpec};

pub(crate) fn check(
    stage: Stage,
    name: impl Into<String>,
    result: CheckResult,
    evidence: impl Into<String>,
) -> Check {
    Check {
        stage,
        name: name.into(),
        result,
        evidence: evidence.into(),
        consumers: Vec::new(),
    }
}

/// Every check for `ds` on the node named `node_name`; None when the cluster has no such node.
/// `now` is the clock the verdicts are judged at (availability after minReadySeconds).
pub fn trace(
    cluster: &Cluster,
    ds: &DaemonSet,
    node_name: &str,
    now: jiff::Timestamp,
) -> Option<NodeTrace> {
    let node: &Node = cluster
        .nodes
        .iter()
        .copied()
        .find(|n| name(&n.metadata) == node_name)?;
    let node_name = node_name.to_string();
    // The verdict is why's own row: judging every node costs little next to reading them, and
    // keeps one code path for the verdict.
    let report = super::diagnose(cluster, ds, now);
    let verdict = report.nodes.into_iter().find(|n| n.node == node_name)?;

    let own = ds
        .spec
        .template
        .spec
        .as_ref()
        .map(PodSpec::from)
        .unwrap_or_default();
    let template = DaemonPodTemplate::new(ds);
    let eligibility = template.evaluate(node);
    let mut checks = controller::checks(&own, template.spec(), node, &eligibility);

    let mut daemon_pods = cluster.daemon_pods_by_node(ds);
    let pods = daemon_pods.by_node.remove(&node_name).unwrap_or_default();
    let pod: Option<&Pod> = verdict
        .pod
        .as_deref()
        .and_then(|wanted| pods.iter().copied().find(|p| name(&p.metadata) == wanted));

    let (mut judged, spec) = match pod {
        Some(p) => {
            let state = if p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some() {
                "bound to the node"
            } else {
                "not bound yet"
            };
            (
                format!("pod {} ({state})", name(&p.metadata)),
                p.spec.clone().unwrap_or_default(),
            )
        }
        None => (
            "the pod the controller would create".to_string(),
            as_created(template.spec(), &node_name),
        ),
    };
    if eligibility.should_run || pod.is_some() {
        let others: Option<Vec<&Pod>> = cluster.pods_on_node(&node_name).map(|list| {
            list.iter()
                .copied()
                .filter(|p| {
                    pod.is_none_or(|me| {
                        p.metadata.uid != me.metadata.uid || p.metadata.name != me.metadata.name
                    })
                })
                .collect()
        });
        checks.extend(scheduler::checks(&spec, node, others.as_deref()));
    } else {
        judged = "none: the controller creates no pod for this node".to_string();
        checks.push(check(
            Stage::Scheduler,
            "filters",
            CheckResult::Skip,
            "the controller creates no pod for this node, so the scheduler never judges one",
        ));
    }

    checks.extend(pod::checks(cluster, node, pod, &verdict));
    let current = CurrentRevision::new(ds, cluster.revisions(ds));
    checks.push(pod::revision(&current, &rollout::strategy_text(ds), pod));

    let passed = !checks.iter().any(|c| c.result == CheckResult::Fail);
    Some(NodeTrace {
        namespace: ds.metadata.namespace.clone().unwrap_or_default(),
        name: name(&ds.metadata).to_string(),
        node: node_name,
        judged,
        verdict: TraceVerdict {
            status: TraceStatus::Node(verdict.status),
            change: None,
            reason: verdict.reason,
            passed,
        },
        checks,
    })
}

/// The spec of the pod the controller creates for `node`: the evaluated template with its required
/// node affinity replaced by the single `metadata.name In [node]` term (the controller already checked
/// the template's own terms, and the scheduler then only needs to pin the node).
// Mirrors pkg/controller/daemon/util/daemonset_util.go (ReplaceDaemonSetPodNodeNameNodeAffinity)
pub fn as_created(spec: &PodSpec, node: &str) -> PodSpec {
    let mut spec = spec.clone();
    let term = NodeSelectorTerm {
        match_expressions: None,
        match_fields: Some(vec![NodeSelectorRequirement {
            key: OBJECT_NAME_FIELD.to_string(),
            operator: "In".to_string(),
            values: Some(vec![node.to_string()]),
        }]),
    };
    let affinity = spec.affinity.get_or_insert_with(Affinity::default);
    let node_affinity = affinity
        .node_affinity
        .get_or_insert_with(NodeAffinity::default);
    node_affinity.required_during_scheduling_ignored_during_execution = Some(NodeSelector {
        node_selector_terms: vec![term],
    });
    spec
}
