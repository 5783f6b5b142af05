//! `plan MANIFEST --node NODE`: `why --node`'s controller and scheduler checks run on the pod as the
//! API server would create it from the manifest, then the admission plugins that can refuse it, then
//! the plan's own row for the node. Decides nothing of its own: the last row is `plan`'s node.

use k8s_openapi::api::core::v1::Node;

use super::{check, controller, scheduler};
use crate::diagnose::admission::{self, AdmissionCheck, pod_security};
use crate::diagnose::cluster::{Cluster, name};
use crate::diagnose::plan::change::Existing;
use crate::diagnose::plan::{PlannedPod, competing_pods};
use crate::report::{
    Change, Check, CheckResult, NodePlan, NodeTrace, PlanStatus, Stage, TraceStatus, TraceVerdict,
};
use crate::snapshot::pod::{Pod, PodSpec};

/// Every check for the planned DaemonSet on `node_plan`'s node; None when the cluster has no such
/// node. `node_plan` is `plan`'s row for the node (after quota competition between nodes).
pub fn plan_trace(
    cluster: &Cluster,
    planned: &PlannedPod,
    node_plan: &NodePlan,
) -> Option<NodeTrace> {
    let node: &Node = cluster
        .nodes
        .iter()
        .copied()
        .find(|n| name(&n.metadata) == node_plan.node)?;
    let node_name = node_plan.node.as_str();
    let ns = planned.namespace();
    let current = cluster.find_daemonset(ns, name(&planned.daemonset.metadata));
    let existing = Existing::new(cluster, current, &planned.daemonset);
    let own = existing.pods_on(node_name);

    let template_spec = planned
        .daemonset
        .spec
        .template
        .spec
        .as_ref()
        .map(PodSpec::from)
        .unwrap_or_default();
    let eligibility = planned.template.evaluate(node);
    let mut checks =
        controller::checks(&template_spec, planned.template.spec(), node, &eligibility);

    // A node that keeps its pod, or gets none, sends nothing to admission nor the scheduler.
    let creates = eligibility.should_run && node_plan.change != Change::Keep;
    let judged = if creates {
        "the pod the controller would create from the manifest".to_string()
    } else if node_plan.change == Change::Keep {
        "none: the node keeps the pod it has".to_string()
    } else {
        "none: the controller creates no pod for this node".to_string()
    };
    if creates {
        let spec = planned.spec_for(node_name);
        let others: Option<Vec<&Pod>> = cluster
            .pods_on_node(node_name)
            .map(|on_node| competing_pods(planned, on_node, own, creates));
        checks.extend(scheduler::checks(&spec, node, others.as_deref()));
        let admitted = admission::admit(cluster.snapshot, ns, &planned.meta, &planned.admitted);
        // Admission only speaks of the namespace when it is missing or unread.
        if !admitted
            .checks
            .iter()
            .any(|c| c.plugin == "NamespaceLifecycle")
        {
            checks.push(check(
                Stage::Admission,
                "NamespaceLifecycle",
                CheckResult::Pass,
                format!("namespace {ns}: exists"),
            ));
        }
        for c in &admitted.checks {
            checks.extend(admission_rows(cluster, ns, planned, c, node_plan));
        }
    } else {
        for stage in [Stage::Scheduler, Stage::Admission] {
            checks.push(check(
                stage,
                if stage == Stage::Scheduler {
                    "filters"
                } else {
                    "plugins"
                },
                CheckResult::Skip,
                format!("{judged}, so none is judged"),
            ));
        }
    }

    let result = match node_plan.status {
        PlanStatus::Schedulable => CheckResult::Pass,
        PlanStatus::Unschedulable | PlanStatus::Refused => CheckResult::Fail,
        PlanStatus::Ineligible => CheckResult::Info,
    };
    checks.push(check(
        Stage::Plan,
        "plan",
        result,
        format!(
            "{}, change {}: {}",
            node_plan.status.word(),
            node_plan.change.word(),
            node_plan.reason
        ),
    ));

    let passed = !checks.iter().any(|c| c.result == CheckResult::Fail);
    Some(NodeTrace {
        namespace: ns.to_string(),
        name: name(&planned.daemonset.metadata).to_string(),
        node: node_name.to_string(),
        judged,
        verdict: TraceVerdict {
            status: TraceStatus::Plan(node_plan.status),
            change: Some(node_plan.change),
            reason: node_plan.reason.clone(),
            passed,
        },
        checks,
    })
}

/// One admission plugin's verdict as rows: a refusing PodSecurity gives one row per failing check;
/// a quota that admits only some pods fails exactly on the nodes the plan shows it refusing.
fn admission_rows(
    cluster: &Cluster,
    namespace: &str,
    planned: &PlannedPod,
    c: &AdmissionCheck,
    node_plan: &NodePlan,
) -> Vec<Check> {
    let evidence = |msg: &str| format!("{}: {msg}", c.object);
    let row = |result, msg: &str| check(Stage::Admission, c.plugin.clone(), result, evidence(msg));
    match c.result.as_str() {
        "Refused" if c.plugin == "PodSecurity" => {
            let violations = pod_security_violations(cluster, namespace, planned);
            if violations.is_empty() {
                return vec![row(CheckResult::Fail, &c.message)];
            }
            violations
                .into_iter()
                .map(|(label, v)| {
                    let detail = if v.detail.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", v.detail)
                    };
                    check(
                        Stage::Admission,
                        format!("PodSecurity {}", v.reason),
                        CheckResult::Fail,
                        format!("{}: enforce={label} refuses{detail}", c.object),
                    )
                })
                .collect()
        }
        "Refused" => vec![row(CheckResult::Fail, &c.message)],
        "Limited" if node_plan.cause == "ResourceQuota" => {
            vec![row(CheckResult::Fail, &node_plan.reason)]
        }
        "Limited" => vec![row(
            CheckResult::Pass,
            &format!("{}; this node is among those it admits", c.message),
        )],
        "Allowed" => vec![row(CheckResult::Pass, &c.message)],
        "Warning" => vec![row(CheckResult::Info, &c.message)],
        _ => vec![row(CheckResult::Skip, &c.message)],
    }
}

/// The enforce level's failing checks, each with the level that refuses them.
fn pod_security_violations(
    cluster: &Cluster,
    namespace: &str,
    planned: &PlannedPod,
) -> Vec<(String, pod_security::Violation)> {
    let labels = cluster
        .snapshot
        .namespaces
        .iter()
        .flatten()
        .find(|n| n.metadata.name.as_deref() == Some(namespace))
        .and_then(|n| n.metadata.labels.as_ref());
    let Some(policy) = pod_security::namespace_policy(labels, pod_security::ENFORCE) else {
        return Vec::new();
    };
    let label = policy.label();
    pod_security::evaluate(&policy, &planned.meta, &planned.admitted)
        .into_iter()
        .map(|v| (label.clone(), v))
        .collect()
}
