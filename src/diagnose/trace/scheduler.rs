//! The scheduler's filters the engine models, for the daemon pod on one node, one row per plugin (and
//! per resource, per host port): NodeUnschedulable, NodeName, TaintToleration, NodeAffinity,
//! NodeResourcesFit, NodePorts. Pass or fail comes from the engine's own filter functions
//! (`scheduler_filter_failures`, `resources::fit`, `host_port_conflicts`); the figures beside them are
//! read from the same resource lists those functions sum.
// Mirrors pkg/scheduler/framework/plugins/{nodeunschedulable,nodename,tainttoleration,nodeaffinity,noderesources,nodeports}

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::{Node, Taint};

use super::check;
use super::controller::format_toleration;
use crate::diagnose::eligibility::scheduler_filter_failures;
use crate::diagnose::host_ports::{host_port_conflicts, wanted_host_ports};
use crate::diagnose::node_affinity::reason_text;
use crate::diagnose::quantity::format_resource;
use crate::diagnose::resources::{self, node_allocatable, pod_requests, requests_on_node};
use crate::diagnose::tolerations::{EFFECT_NO_SCHEDULE, TAINT_NODE_UNSCHEDULABLE, tolerates};
use crate::report::{Check, CheckResult, Consumer, Finding, Stage};
use crate::snapshot::pod::{Pod, PodSpec};

/// How many of the pods using a resource are named.
const TOP_CONSUMERS: usize = 3;

fn row(name: impl Into<String>, result: CheckResult, evidence: impl Into<String>) -> Check {
    check(Stage::Scheduler, name, result, evidence)
}

fn pass_or_fail(failed: bool) -> CheckResult {
    if failed {
        CheckResult::Fail
    } else {
        CheckResult::Pass
    }
}

/// The scheduler's rows for a pod with `spec` placed on `node`. `others`: the pods the scheduler
/// counts there besides this one, or None when the snapshot does not hold them.
pub(super) fn checks(spec: &PodSpec, node: &Node, others: Option<&[&Pod]>) -> Vec<Check> {
    let failures = scheduler_filter_failures(spec, node);
    let mut out = vec![
        unschedulable(spec, node, &failures),
        node_name(spec, node, &failures),
        taint_toleration(node, &failures),
        node_affinity(&failures),
    ];
    match others {
        Some(others) => {
            out.extend(resource_fit(spec, node, others));
            out.extend(node_ports(spec, others));
        }
        None => {
            let unread = "the pods on this node were not read, so what they";
            out.push(row(
                "NodeResourcesFit",
                CheckResult::Skip,
                format!("{unread} request is unknown"),
            ));
            out.push(row(
                "NodePorts",
                CheckResult::Skip,
                format!("{unread} hold is unknown"),
            ));
        }
    }
    out
}

fn unschedulable(spec: &PodSpec, node: &Node, failures: &[Finding]) -> Check {
    let cordoned = node.spec.as_ref().and_then(|s| s.unschedulable) == Some(true);
    let failed = failures.iter().any(|f| matches!(f, Finding::NodeCordoned));
    let evidence = if failed {
        reason_text(&Finding::NodeCordoned).unwrap_or_default()
    } else if cordoned {
        let taint = Taint {
            key: TAINT_NODE_UNSCHEDULABLE.into(),
            effect: EFFECT_NO_SCHEDULE.into(),
            ..Default::default()
        };
        let by = spec
            .tolerations
            .iter()
            .flatten()
            .find(|t| tolerates(t, &taint))
            .map(format_toleration)
            .unwrap_or_default();
        format!("node is cordoned, and the pod tolerates it ({by})")
    } else {
        "node is not cordoned".into()
    };
    row("NodeUnschedulable", pass_or_fail(failed), evidence)
}

fn node_name(spec: &PodSpec, node: &Node, failures: &[Finding]) -> Check {
    let failed = failures
        .iter()
        .find(|f| matches!(f, Finding::NodeNameMismatch { .. }));
    let evidence = match (failed, spec.node_name.as_deref().filter(|n| !n.is_empty())) {
        (Some(f), _) => reason_text(f).unwrap_or_default(),
        (None, Some(n)) => format!("spec.nodeName is {n}: this node"),
        (None, None) => format!(
            "spec.nodeName is empty (the pod is placed by its metadata.name In [{}] term)",
            node.metadata.name.as_deref().unwrap_or("")
        ),
    };
    row("NodeName", pass_or_fail(failed.is_some()), evidence)
}

fn taint_toleration(node: &Node, failures: &[Finding]) -> Check {
    let untolerated: Vec<&str> = failures
        .iter()
        .filter_map(|f| match f {
            Finding::UntoleratedTaint { taint, .. } => Some(taint.as_str()),
            _ => None,
        })
        .collect();
    let count = node
        .spec
        .as_ref()
        .and_then(|s| s.taints.as_ref())
        .map_or(0, Vec::len);
    let evidence = match (untolerated.as_slice(), count) {
        ([], 0) => "the node has no taints".to_string(),
        ([], n) => format!("every NoSchedule/NoExecute taint of the {n} is tolerated"),
        (list, _) => format!("untolerated: {}", list.join(", ")),
    };
    row(
        "TaintToleration",
        pass_or_fail(!untolerated.is_empty()),
        evidence,
    )
}

fn node_affinity(failures: &[Finding]) -> Check {
    let texts: Vec<String> = failures
        .iter()
        .filter(|f| {
            matches!(
                f,
                Finding::NodeSelectorMismatch { .. } | Finding::NodeAffinityMismatch { .. }
            )
        })
        .filter_map(reason_text)
        .collect();
    let evidence = if texts.is_empty() {
        "nodeSelector and required nodeAffinity match (the controller's metadata.name term included)"
            .to_string()
    } else {
        texts.join("; ")
    };
    row("NodeAffinity", pass_or_fail(!texts.is_empty()), evidence)
}

fn pod_key(p: &Pod) -> String {
    format!(
        "{}/{}",
        p.metadata.namespace.as_deref().unwrap_or(""),
        p.metadata.name.as_deref().unwrap_or("")
    )
}

/// Pods, then every resource the pod requests (cpu and memory always), in the filter's order.
fn resource_fit(spec: &PodSpec, node: &Node, others: &[&Pod]) -> Vec<Check> {
    let findings = resources::fit(spec, node, others);
    let allocatable = node_allocatable(node);
    let mut out = Vec::new();

    let too_many = findings
        .iter()
        .any(|f| matches!(f, Finding::TooManyPods { .. }));
    let max_pods = allocatable.get("pods").copied().unwrap_or(0);
    out.push(row(
        "NodeResourcesFit pods",
        pass_or_fail(too_many),
        format!(
            "{} pods already on the node + this one, allocatable {max_pods}",
            others.len()
        ),
    ));

    let requested = pod_requests(spec, None);
    let usage: Vec<(String, crate::diagnose::resources::ResourceList)> = others
        .iter()
        .map(|p| (pod_key(p), requests_on_node(p)))
        .collect();
    let mut names: Vec<String> = vec!["cpu".into(), "memory".into()];
    let rest: BTreeSet<&String> = requested
        .iter()
        .filter(|(name, v)| **v != 0 && name.as_str() != "pods")
        .map(|(name, _)| name)
        .collect();
    if rest.iter().any(|n| n.as_str() == "ephemeral-storage") {
        names.push("ephemeral-storage".into());
    }
    names.extend(
        rest.into_iter()
            .filter(|n| !["cpu", "memory", "ephemeral-storage"].contains(&n.as_str()))
            .cloned(),
    );
    for name in names {
        let wanted = requested.get(&name).copied().unwrap_or(0);
        let offered = allocatable.get(&name).copied().unwrap_or(0);
        let mut users: Vec<(&String, i128)> = usage
            .iter()
            .filter_map(|(pod, list)| list.get(&name).filter(|v| **v != 0).map(|v| (pod, *v)))
            .collect();
        users.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let used: i128 = users.iter().map(|(_, v)| *v).sum();
        let failed = findings.iter().any(
            |f| matches!(f, Finding::InsufficientResource { resource, .. } if *resource == name),
        );
        let fmt = |v: i128| format_resource(&name, v);
        let mut evidence = format!(
            "requests {}, allocatable {}, used {} by {} pod(s), free {}",
            if wanted == 0 {
                "none".to_string()
            } else {
                fmt(wanted)
            },
            fmt(offered),
            fmt(used),
            users.len(),
            fmt((offered - used).max(0))
        );
        if failed {
            evidence = format!("Insufficient {name}: {evidence}");
        }
        let consumers: Vec<Consumer> = users
            .iter()
            .take(TOP_CONSUMERS)
            .map(|(pod, v)| Consumer {
                pod: (*pod).clone(),
                amount: fmt(*v),
            })
            .collect();
        if !consumers.is_empty() {
            let top: Vec<String> = consumers
                .iter()
                .map(|c| format!("{} {}", c.pod, c.amount))
                .collect();
            evidence.push_str(&format!("; top: {}", top.join(", ")));
        }
        let mut check = row(
            format!("NodeResourcesFit {name}"),
            pass_or_fail(failed),
            evidence,
        );
        check.consumers = consumers;
        out.push(check);
    }
    out
}

fn node_ports(spec: &PodSpec, others: &[&Pod]) -> Vec<Check> {
    let wanted = wanted_host_ports(spec);
    if wanted.is_empty() {
        return vec![row(
            "NodePorts",
            CheckResult::Pass,
            "the pod asks for no host port",
        )];
    }
    let conflicts = host_port_conflicts(spec, others);
    wanted
        .into_iter()
        .map(|(ip, protocol, port)| {
            let held = conflicts.iter().find_map(|f| match f {
                Finding::HostPortConflict {
                    port: p,
                    protocol: pr,
                    host_ip,
                    held_by,
                } if *p == port && *pr == protocol && *host_ip == ip => Some(held_by.as_str()),
                _ => None,
            });
            let name = format!("NodePorts {port}/{protocol}");
            match held {
                Some(holder) => row(
                    name,
                    CheckResult::Fail,
                    format!("host port {port}/{protocol} on {ip} is held by pod {holder}"),
                ),
                None => row(
                    name,
                    CheckResult::Pass,
                    format!("host port {port}/{protocol} on {ip} is free on the node"),
                ),
            }
        })
        .collect()
}
