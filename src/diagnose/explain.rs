//! `--explain`: for every finding on a node, the plain kubectl commands that confirm it by hand and
//! the smallest change that would fix it: a strategic merge patch for the DaemonSet (YAML from
//! `spec:`), or a kubectl command for the node, namespace or quota.
//! Pure: reads the finished report, the DaemonSet and the snapshot; no I/O, no clock, no printing.
//! It never re-judges a node: what is wrong comes from the verdict engine's findings.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{
    Affinity, Container, Node, NodeAffinity, NodeSelector, NodeSelectorRequirement,
    NodeSelectorTerm, PodSpec, Toleration,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::cluster::{Cluster, name};
use super::node_affinity::{OBJECT_NAME_FIELD, format_requirement, required_affinity_mismatch};
use super::quantity::{self, Amount, format_resource, scheduler_units};
use super::tolerations::{
    EFFECT_NO_EXECUTE, TAINT_NODE_DISK_PRESSURE, TAINT_NODE_MEMORY_PRESSURE,
    TAINT_NODE_NETWORK_UNAVAILABLE, TAINT_NODE_NOT_READY, TAINT_NODE_PID_PRESSURE,
    TAINT_NODE_UNREACHABLE, TAINT_NODE_UNSCHEDULABLE,
};
use super::{pod_state, resources};
use crate::report::{
    Advice, AffinityTermMismatch, DaemonSetReport, Finding, Fix, NodeReport, NodeStatus,
};
use yaml::{Entry, Y, e, s};

/// Fills `advice` on every node of the report: what `kubectl ds why --explain` shows.
pub fn explain(cluster: &Cluster, ds: &DaemonSet, report: &mut DaemonSetReport) {
    let ctx = Ctx::new(cluster, ds, report);
    let advice: Vec<Vec<Advice>> = report.nodes.iter().map(|n| advise(&ctx, n)).collect();
    for (node, advice) in report.nodes.iter_mut().zip(advice) {
        node.advice = advice;
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
            spec: ds.spec.template.spec.clone().unwrap_or_default(),
            on_delete,
            refused_by_quota,
            running_platforms,
        }
    }

    /// `-n <ns>` of the DaemonSet, for commands about it and its pods.
    fn n(&self) -> String {
        format!("-n {}", self.ns)
    }

    fn get_ds(&self, jsonpath: &str) -> String {
        format!(
            "kubectl get daemonset {} {} -o jsonpath='{jsonpath}'",
            self.name,
            self.n()
        )
    }

    fn describe_ds(&self) -> String {
        format!("kubectl describe daemonset {} {}", self.name, self.n())
    }

    fn ds_events(&self) -> String {
        format!(
            "kubectl get events {} --field-selector involvedObject.name={}",
            self.n(),
            self.name
        )
    }

    /// A fix that patches the DaemonSet's pod template with `entries` under `spec.template.spec`.
    fn template_fix(&self, summary: String, entries: Vec<Entry>) -> Fix {
        let root = Y::Map(vec![e(
            "spec",
            Y::Map(vec![e(
                "template",
                Y::Map(vec![e("spec", Y::Map(entries))]),
            )]),
        )]);
        self.ds_fix(summary, root)
    }

    /// A fix that patches the DaemonSet with `root` (a document starting at `spec:`).
    fn ds_fix(&self, summary: String, root: Y) -> Fix {
        Fix {
            summary,
            yaml: Some(yaml::emit(&root)),
            commands: vec![format!(
                "kubectl patch daemonset {} {} --patch-file fix.yaml",
                self.name,
                self.n()
            )],
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

fn find_node<'a>(cluster: &Cluster<'a>, node: &str) -> Option<&'a Node> {
    cluster
        .nodes
        .iter()
        .copied()
        .find(|x| name(&x.metadata) == node)
}

fn label<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(key))
        .map(String::as_str)
}

const OS_LABEL: &str = "kubernetes.io/os";
const HOSTNAME_LABEL: &str = "kubernetes.io/hostname";
const ARCH_LABEL: &str = "kubernetes.io/arch";

/// Labels that describe the machine itself. Relabelling would misdescribe the node, and the kubelet
/// (or cloud provider) sets them again.
// Mirrors k8s.io/api/core/v1/well_known_labels.go and pkg/kubelet/kubelet_node_status.go (updateDefaultLabels)
const MACHINE_LABELS: &[&str] = &[
    HOSTNAME_LABEL,
    OS_LABEL,
    ARCH_LABEL,
    "beta.kubernetes.io/os",
    "beta.kubernetes.io/arch",
    "beta.kubernetes.io/instance-type",
    "node.kubernetes.io/instance-type",
    "node.kubernetes.io/windows-build",
    "topology.kubernetes.io/zone",
    "topology.kubernetes.io/region",
    "failure-domain.beta.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region",
];

fn is_machine_label(key: &str) -> bool {
    MACHINE_LABELS.contains(&key)
}

/// Taints that Kubernetes itself sets from the node's state and removes when the state clears:
/// removing one by hand does not last. Returns what clears it.
// Mirrors pkg/controller/nodelifecycle/node_lifecycle_controller.go (nodeConditionToTaintKeyStatusMap,
// taintKeyToNodeConditionMap) and staging/src/k8s.io/cloud-provider/api/well_known_taints.go.
fn condition_taint(key: &str) -> Option<&'static str> {
    Some(match key {
        TAINT_NODE_NOT_READY | TAINT_NODE_UNREACHABLE => {
            "the node lifecycle controller removes it once the node's kubelet reports Ready again"
        }
        TAINT_NODE_MEMORY_PRESSURE | TAINT_NODE_DISK_PRESSURE | TAINT_NODE_PID_PRESSURE => {
            "it goes when the kubelet no longer reports the pressure condition"
        }
        TAINT_NODE_NETWORK_UNAVAILABLE => {
            "it goes when the node's network (CNI plugin or cloud routes) is set up"
        }
        TAINT_NODE_UNSCHEDULABLE => "it goes when the node is uncordoned (kubectl uncordon)",
        "node.cloudprovider.kubernetes.io/uninitialized" => {
            "the cloud controller manager removes it once it has initialised the node"
        }
        _ => return None,
    })
}

const CONTROL_PLANE_TAINTS: &[&str] = &[
    "node-role.kubernetes.io/control-plane",
    "node-role.kubernetes.io/master",
];

struct TaintFact<'f> {
    key: &'f str,
    value: Option<&'f str>,
    effect: &'f str,
    text: &'f str,
}

impl TaintFact<'_> {
    /// The toleration that matches exactly this taint: Equal on its value, or Exists when it has none.
    // Mirrors k8s.io/api/core/v1/toleration.go (ToleratesTaint): Exists ignores the value, Equal compares it.
    fn toleration(&self) -> Toleration {
        Toleration {
            key: Some(self.key.to_owned()),
            operator: Some(
                if self.value.is_some() {
                    "Equal"
                } else {
                    "Exists"
                }
                .to_owned(),
            ),
            value: self.value.map(str::to_owned),
            effect: Some(self.effect.to_owned()),
            toleration_seconds: None,
        }
    }

    /// `key=value:Effect-`, kubectl's spelling for removing it.
    // Mirrors staging/src/k8s.io/kubectl/pkg/cmd/taint/utils.go (parseTaints: a trailing "-" removes by key and effect)
    fn removal(&self) -> String {
        format!("{}-", self.text)
    }
}

fn toleration_yaml(t: &Toleration) -> Vec<Entry> {
    let mut m = Vec::new();
    if let Some(k) = &t.key {
        m.push(e("key", s(k)));
    }
    if let Some(o) = &t.operator {
        m.push(e("operator", s(o)));
    }
    if let Some(v) = &t.value {
        m.push(e("value", s(v)));
    }
    if let Some(x) = &t.effect {
        m.push(e("effect", s(x)));
    }
    if let Some(secs) = t.toleration_seconds {
        m.push(e("tolerationSeconds", Y::Int(secs)));
    }
    m
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

/// Wraps `text` in single quotes for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
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

    fn describe_pod(&self) -> Option<String> {
        self.pod()
            .map(|p| format!("kubectl describe pod {p} {}", self.ctx.n()))
    }

    fn pod_events(&self) -> Option<String> {
        self.pod().map(|p| {
            format!(
                "kubectl get events {} --field-selector involvedObject.name={p}",
                self.ctx.n()
            )
        })
    }

    fn describe_node(&self) -> String {
        format!("kubectl describe node {}", self.node_name())
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

    /// For nodes that do not qualify: the note that this may well be intended, and for a pod
    /// still there, what the controller does with it. Also the fix that takes the pod off.
    fn placement_notes(&self, advice: &mut Advice) {
        match self.n.status {
            NodeStatus::Ineligible => advice.notes.push(format!(
                "nothing is wrong if {} is not meant to run on {}: the fixes only apply if it is",
                self.ctx.name,
                self.node_name()
            )),
            NodeStatus::Misscheduled => {
                let pod = self.pod().unwrap_or("the pod");
                if self.misscheduled_pod_stays() {
                    advice.notes.push(format!(
                        "pod {pod} keeps running on {}: the controller leaves pods in place for a NoSchedule taint, but counts it as misscheduled; with the fix it counts as a normal pod again",
                        self.node_name()
                    ));
                    advice.alternatives.push(Fix {
                        summary: format!(
                            "take it off {}: delete the pod (the controller does not recreate it while the node does not qualify)",
                            self.node_name()
                        ),
                        yaml: None,
                        commands: vec![format!("kubectl delete pod {pod} {}", self.ctx.n())],
                    });
                } else {
                    advice.notes.push(format!(
                        "the controller deletes pod {pod}: the node fails the DaemonSet's node selection or has a NoExecute taint the pod does not tolerate"
                    ));
                }
            }
            _ => {}
        }
    }

    /// The controller keeps a pod on a node that fails only on NoSchedule taints.
    // Mirrors pkg/controller/daemon/daemon_controller.go (NodeShouldRunDaemonPod: shouldContinueRunning)
    fn misscheduled_pod_stays(&self) -> bool {
        self.n.findings.iter().all(|f| match f {
            Finding::UntoleratedTaint { effect, .. } => effect != EFFECT_NO_EXECUTE,
            Finding::NodeSelectorMismatch { .. }
            | Finding::NodeAffinityMismatch { .. }
            | Finding::NodeNameMismatch { .. } => false,
            _ => true,
        })
    }

    // ---- placement ------------------------------------------------------------------------

    fn node_name_fix(&self, wanted: &str) -> Fix {
        self.ctx.template_fix(
            format!(
                "remove nodeName ({wanted}) from the pod template: the DaemonSet controller picks the node for each pod"
            ),
            vec![
                e("nodeName", Y::Null)
                    .note("null removes the field (in kubectl edit, delete the line)"),
            ],
        )
    }

    fn template_node_name(&self, wanted: &str) -> Advice {
        let mut a = Advice {
            about: format!("nodeName {wanted}"),
            checks: vec![self.ctx.get_ds("{.spec.template.spec.nodeName}")],
            fix: Some(self.node_name_fix(wanted)),
            alternatives: Vec::new(),
            notes: vec![format!(
                "a pod template that names a node makes every other node ineligible, so {} can only run on {wanted}",
                self.ctx.name
            )],
        };
        self.placement_notes(&mut a);
        a
    }

    fn node_selector(&self, mismatches: &[(&str, &str, Option<&str>)]) -> Advice {
        let node = self.node_name();
        let keys: Vec<&str> = mismatches.iter().map(|m| m.0).collect();
        let wanted: Vec<String> = mismatches
            .iter()
            .map(|m| format!("{}={}", m.0, m.1))
            .collect();
        let mut a = Advice {
            about: format!("nodeSelector {}", wanted.join(",")),
            checks: vec![
                format!("kubectl get node {node} -L {}", keys.join(",")),
                format!("kubectl get nodes -l {}", wanted.join(",")),
                self.ctx.get_ds("{.spec.template.spec.nodeSelector}"),
            ],
            fix: None,
            alternatives: Vec::new(),
            notes: Vec::new(),
        };
        let machine: Vec<&(&str, &str, Option<&str>)> = mismatches
            .iter()
            .filter(|m| is_machine_label(m.0))
            .collect();
        if !machine.is_empty() {
            for (key, wanted, actual) in machine {
                let has = match actual {
                    Some(v) => format!("{node} has {key}={v}"),
                    None => format!("{node} has no {key} label"),
                };
                let second = match actual {
                    Some(v) => format!(
                        "; to cover such nodes too, run a second DaemonSet with nodeSelector {key}: {v} (and images built for it)"
                    ),
                    None => String::new(),
                };
                a.notes.push(format!(
                    "{key} describes the machine itself and the kubelet sets it: {has}, so it is left out on purpose, most likely (the DaemonSet wants {key}={wanted}){second}"
                ));
            }
            return a;
        }
        let overwrite = mismatches.iter().any(|m| m.2.is_some());
        a.fix = Some(Fix {
            summary: format!(
                "to {}, label the node {} (only if that is true of it)",
                self.goal(),
                join_and(&wanted)
            ),
            yaml: None,
            commands: vec![format!(
                "kubectl label node {node} {}{}",
                wanted.join(" "),
                if overwrite { " --overwrite" } else { "" }
            )],
        });
        let drops: Vec<Entry> = keys
            .iter()
            .map(|k| e(k, Y::Null).note("null removes the key (in kubectl edit, delete the line)"))
            .collect();
        a.alternatives.push(self.ctx.template_fix(
            format!(
                "drop {} from the DaemonSet's nodeSelector: it then also runs on every other node without {}",
                keys.join(", "),
                if keys.len() == 1 { "that label" } else { "those labels" }
            ),
            vec![e("nodeSelector", Y::Map(drops))],
        ));
        self.placement_notes(&mut a);
        a
    }

    fn node_affinity(&self, terms: &[AffinityTermMismatch]) -> Advice {
        let node = self.node_name();
        let required = self
            .ctx
            .spec
            .affinity
            .as_ref()
            .and_then(|a| a.node_affinity.as_ref())
            .and_then(|n| {
                n.required_during_scheduling_ignored_during_execution
                    .as_ref()
            });
        let ds_terms: &[NodeSelectorTerm] = required
            .map(|r| r.node_selector_terms.as_slice())
            .unwrap_or(&[]);
        let mut a = Advice {
            about: "nodeAffinity".to_owned(),
            checks: Vec::new(),
            fix: None,
            alternatives: Vec::new(),
            notes: Vec::new(),
        };
        let keys: BTreeSet<&str> = ds_terms
            .iter()
            .flat_map(|t| t.match_expressions.iter().flatten())
            .map(|r| r.key.as_str())
            .collect();
        if !keys.is_empty() {
            a.checks.push(format!(
                "kubectl get node {node} -L {}",
                keys.into_iter().collect::<Vec<_>>().join(",")
            ));
        }
        a.checks.push(self.ctx.get_ds(
            "{.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution}",
        ));
        for t in terms {
            let has = match (&t.node_value, t.expression.split(' ').next()) {
                (_, _) if t.expression.starts_with('(') => String::new(),
                (Some(v), Some(OBJECT_NAME_FIELD)) => format!(" ({node} is named {v})"),
                (Some(v), Some(k)) => format!(" ({node} has {k}={v})"),
                (None, Some(k)) => format!(" ({node} has no label {k})"),
                (_, None) => String::new(),
            };
            a.notes
                .push(format!("term {} fails on {}{has}", t.term, t.expression));
        }
        let node_ref = match self.node {
            Some(n) => n,
            None => return a,
        };
        if ds_terms.is_empty() {
            a.fix = Some(self.drop_required_affinity(
                "the required nodeAffinity lists no nodeSelectorTerms, which matches no node: remove it",
            ));
            return a;
        }
        // Relax the term that is closest to matching: the fewest failing requirements.
        let failing: Vec<(usize, Vec<Failing>)> = ds_terms
            .iter()
            .enumerate()
            .map(|(i, t)| (i, failing_requirements(t, node_ref)))
            .collect();
        let Some((best, fails)) = failing
            .iter()
            .filter(|(_, f)| !f.iter().any(|x| x.invalid))
            .min_by_key(|(i, f)| (f.len(), *i))
        else {
            a.notes.push(
                "every term has an invalid requirement, so it matches no node: correct the expressions first"
                    .to_owned(),
            );
            return a;
        };
        if let Some(selector) = label_selector(&ds_terms[*best]) {
            a.checks
                .push(format!("kubectl get nodes -l {}", shell_quote(&selector)));
        }
        a.about = format!(
            "nodeAffinity {}",
            fails
                .iter()
                .map(|f| f.expression.clone())
                .collect::<Vec<_>>()
                .join(", ")
        );
        // Label the node so the chosen term matches, unless that would misdescribe the machine.
        if !fails.is_empty()
            && fails
                .iter()
                .all(|f| !f.field && !is_machine_label(&f.req.key))
        {
            let mut args = Vec::new();
            let mut overwrite = false;
            for f in fails {
                let current = label(node_ref, &f.req.key);
                let arg = label_to_satisfy(&f.req, current);
                overwrite |= current.is_some() && !arg.ends_with('-');
                args.push(arg);
            }
            a.fix = Some(Fix {
                summary: format!(
                    "to {}, label the node so term {best} matches (only if that is true of it)",
                    self.goal()
                ),
                yaml: None,
                commands: vec![format!(
                    "kubectl label node {node} {}{}",
                    args.join(" "),
                    if overwrite { " --overwrite" } else { "" }
                )],
            });
        }
        // The new term list: the chosen term relaxed, or, when nothing of it would be left (an
        // empty term matches no node), every term kept and one more that names this node.
        let (terms_out, summary) = match relax_term(&ds_terms[*best], fails, node_ref) {
            Some(relaxed) => {
                let mut out = ds_terms.to_vec();
                out[*best] = relaxed.term.clone();
                let items = ds_terms
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        if i == *best {
                            term_yaml(&relaxed.term, &relaxed.comments)
                        } else {
                            term_yaml(t, &BTreeMap::new())
                        }
                    })
                    .collect::<Vec<_>>();
                (
                    (out, items),
                    format!("relax term {best} of the required nodeAffinity so {node} matches it"),
                )
            }
            None => {
                let term = naming_term(node_ref);
                let mut out = ds_terms.to_vec();
                out.push(term.clone());
                let mut items: Vec<Y> = ds_terms
                    .iter()
                    .map(|t| term_yaml(t, &BTreeMap::new()))
                    .collect();
                items.push(added_term_yaml(&term));
                (
                    (out, items),
                    format!(
                        "add a term that names {node} to the required nodeAffinity (terms are ORed: the others stay as they are)"
                    ),
                )
            }
        };
        let ((new_terms, items), mut summary) = (terms_out, summary);
        let also = self.newly_admitted(ds_terms, &new_terms);
        if !also.is_empty() {
            summary.push_str(&format!("; it also admits {}", join_and(&also)));
        }
        let alt = self.ctx.template_fix(
            summary,
            vec![e(
                "affinity",
                Y::Map(vec![e(
                    "nodeAffinity",
                    Y::Map(vec![e(
                        "requiredDuringSchedulingIgnoredDuringExecution",
                        Y::Map(vec![
                            e("nodeSelectorTerms", Y::List(items))
                                .note("the whole list: a patch replaces it"),
                        ]),
                    )]),
                )]),
            )],
        );
        if a.fix.is_none() {
            a.fix = Some(alt);
        } else {
            a.alternatives.push(alt);
        }
        self.placement_notes(&mut a);
        a
    }

    /// Other nodes the new terms admit that the old ones did not (by affinity alone).
    fn newly_admitted(&self, old: &[NodeSelectorTerm], new: &[NodeSelectorTerm]) -> Vec<String> {
        let affinity = |terms: &[NodeSelectorTerm]| Affinity {
            node_affinity: Some(NodeAffinity {
                required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                    node_selector_terms: terms.to_vec(),
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        let (old, new) = (affinity(old), affinity(new));
        let names: Vec<String> = self
            .ctx
            .cluster
            .nodes
            .iter()
            .filter(|n| name(&n.metadata) != self.node_name())
            .filter(|n| {
                required_affinity_mismatch(Some(&old), n).is_some()
                    && required_affinity_mismatch(Some(&new), n).is_none()
            })
            .map(|n| name(&n.metadata).to_owned())
            .collect();
        const SHOWN: usize = 5;
        if names.len() > SHOWN {
            let mut shown = names[..SHOWN].to_vec();
            shown.push(format!("{} more nodes", names.len() - SHOWN));
            shown
        } else {
            names
        }
    }

    fn drop_required_affinity(&self, summary: &str) -> Fix {
        self.ctx.template_fix(
            summary.to_owned(),
            vec![e(
                "affinity",
                Y::Map(vec![e(
                    "nodeAffinity",
                    Y::Map(vec![
                        e("requiredDuringSchedulingIgnoredDuringExecution", Y::Null)
                            .note("null removes it (in kubectl edit, delete the block)"),
                    ]),
                )]),
            )],
        )
    }

    // ---- taints ---------------------------------------------------------------------------

    fn taint_checks(&self) -> Vec<String> {
        vec![
            format!(
                "kubectl get node {} -o jsonpath='{{.spec.taints}}'",
                self.node_name()
            ),
            self.ctx.get_ds("{.spec.template.spec.tolerations}"),
        ]
    }

    /// The DaemonSet's tolerations with one added per taint; the whole list, because a patch
    /// replaces a list that has no merge key.
    // Mirrors k8s.io/api/core/v1/types.go (PodSpec.Tolerations: no patchStrategy, so strategic merge replaces it)
    fn toleration_fix(&self, summary: String, taints: &[TaintFact]) -> Fix {
        let existing = self.ctx.spec.tolerations.as_deref().unwrap_or(&[]);
        let mut items: Vec<Y> = Vec::new();
        for (i, t) in existing.iter().enumerate() {
            let mut m = toleration_yaml(t);
            if i == 0
                && let Some(first) = m.first_mut()
            {
                first.comment = Some("kept: a patch replaces the whole list".into());
            }
            items.push(Y::Map(m));
        }
        for t in taints {
            let mut m = toleration_yaml(&t.toleration());
            if !existing.is_empty()
                && let Some(first) = m.first_mut()
            {
                first.comment = Some("added".into());
            }
            items.push(Y::Map(m));
        }
        self.ctx
            .template_fix(summary, vec![e("tolerations", Y::List(items))])
    }

    fn taints(&self, taints: &[TaintFact], condition: &[TaintFact]) -> Advice {
        let node = self.node_name();
        let texts: Vec<String> = taints.iter().map(|t| t.text.to_owned()).collect();
        let word = if taints.len() == 1 { "taint" } else { "taints" };
        let mut a = Advice {
            about: format!("{word} {}", texts.join(", ")),
            checks: self.taint_checks(),
            fix: Some(self.toleration_fix(
                format!(
                    "to {}, tolerate the {word} in the pod template",
                    self.goal()
                ),
                taints,
            )),
            alternatives: vec![Fix {
                summary: format!(
                    "remove the {word} from {node}: every pod may then be scheduled there, and whoever set it (an admin, a node pool, an autoscaler) may set it again"
                ),
                yaml: None,
                commands: vec![format!(
                    "kubectl taint nodes {node} {}",
                    taints
                        .iter()
                        .map(TaintFact::removal)
                        .collect::<Vec<_>>()
                        .join(" ")
                )],
            }],
            notes: Vec::new(),
        };
        for t in taints {
            if CONTROL_PLANE_TAINTS.contains(&t.key) {
                a.notes.push(format!(
                    "{} keeps ordinary workloads off control-plane nodes: tolerate it only if {} is a node agent that must cover them too (logs, monitoring, networking); removing the taint instead lets every workload onto the control plane",
                    t.key, self.ctx.name
                ));
            }
            if t.effect == EFFECT_NO_EXECUTE {
                a.notes.push(format!(
                    "{} is NoExecute: it also evicts running pods that do not tolerate it, so whoever set it wants pods off {node}; a toleration without tolerationSeconds lets {} stay there for good",
                    t.text, self.ctx.name
                ));
            }
        }
        if !condition.is_empty() {
            let c: Vec<String> = condition.iter().map(|t| t.text.to_owned()).collect();
            a.notes.push(format!(
                "{node} also has {}: it qualifies only once that is dealt with too (below)",
                c.join(", ")
            ));
        }
        self.placement_notes(&mut a);
        a
    }

    /// Taints the control plane sets from the node's state: the node is the thing to fix.
    fn condition_taints(&self, taints: &[TaintFact]) -> Advice {
        let node = self.node_name();
        let texts: Vec<String> = taints.iter().map(|t| t.text.to_owned()).collect();
        let mut checks = self.taint_checks();
        checks.push(format!(
            "kubectl get node {node} -o jsonpath='{{.status.conditions}}'"
        ));
        let not_ready = taints
            .iter()
            .any(|t| t.key == TAINT_NODE_NOT_READY || t.key == TAINT_NODE_UNREACHABLE);
        if not_ready {
            checks.push(self.describe_node());
            checks.push(format!("systemctl status kubelet  # on {node}"));
            checks.push(format!("journalctl -u kubelet -e  # on {node}"));
        }
        let notes: Vec<String> = taints
            .iter()
            .filter_map(|t| {
                condition_taint(t.key).map(|why| {
                    format!(
                        "{} is set by Kubernetes from the node's state and {why}: removing it by hand does not last",
                        t.text
                    )
                })
            })
            .collect();
        let fix = if taints.iter().all(|t| t.key == TAINT_NODE_UNSCHEDULABLE) {
            Some(Fix {
                summary: format!("uncordon {node}, if its maintenance is over"),
                yaml: None,
                commands: vec![format!("kubectl uncordon {node}")],
            })
        } else if not_ready {
            Some(Fix {
                summary: format!(
                    "bring {node} back to Ready: find in the kubelet's log why it stopped reporting (container runtime, certificates, disk, network), fix that, then restart it"
                ),
                yaml: None,
                commands: vec![format!("sudo systemctl restart kubelet  # on {node}")],
            })
        } else {
            None
        };
        let tolerate = self.toleration_fix(
            "tolerate it, as node agents that must run on an unhealthy node do (networking, kube-proxy): a pod placed there still cannot start until the node recovers".to_owned(),
            taints,
        );
        let mut a = Advice {
            about: format!(
                "{} {}",
                if taints.len() == 1 { "taint" } else { "taints" },
                texts.join(", ")
            ),
            checks,
            fix,
            alternatives: vec![tolerate],
            notes,
        };
        self.placement_notes(&mut a);
        a
    }

    fn cordoned(&self) -> Advice {
        let node = self.node_name();
        Advice {
            about: "node cordoned".to_owned(),
            checks: vec![format!(
                "kubectl get node {node}  # STATUS shows SchedulingDisabled"
            )],
            fix: Some(Fix {
                summary: format!("uncordon {node}, if its maintenance is over"),
                yaml: None,
                commands: vec![format!("kubectl uncordon {node}")],
            }),
            alternatives: Vec::new(),
            notes: vec![format!(
                "the DaemonSet controller adds a toleration of {TAINT_NODE_UNSCHEDULABLE}:NoSchedule to every pod it creates; a pod without it was created some other way"
            )],
        }
    }

    // ---- resources and ports --------------------------------------------------------------

    fn resources(&self, findings: &[&Finding]) -> Advice {
        let node = self.node_name();
        let mut about = Vec::new();
        let mut a = Advice {
            about: String::new(),
            checks: vec![
                format!("{}  # Allocated resources", self.describe_node()),
                format!(
                    "kubectl get pods -A --field-selector spec.nodeName={node} -o {}",
                    shell_quote(
                        "custom-columns=NAMESPACE:.metadata.namespace,NAME:.metadata.name,CPU:.spec.containers[*].resources.requests.cpu,MEMORY:.spec.containers[*].resources.requests.memory,PHASE:.status.phase"
                    )
                ),
                self.ctx
                    .get_ds("{.spec.template.spec.containers[*].resources}"),
            ],
            fix: None,
            alternatives: Vec::new(),
            notes: Vec::new(),
        };
        let mut plans = Vec::new();
        let mut impossible = Vec::new();
        let mut fits_empty = true;
        for f in findings {
            match f {
                Finding::TooManyPods {
                    allocatable,
                    pods_on_node,
                } => {
                    about.push("Too many pods".to_owned());
                    a.alternatives.push(Fix {
                        summary: format!(
                            "{node} allows {allocatable} pods and runs {pods_on_node}: raise the kubelet's maxPods on it (KubeletConfiguration maxPods, then restart the kubelet; the node's pod CIDR must hold that many), or move pods off it"
                        ),
                        yaml: None,
                        commands: Vec::new(),
                    });
                }
                Finding::InsufficientResource {
                    resource,
                    requested,
                    allocatable,
                    already_requested,
                    pods_on_node,
                } => {
                    about.push(format!("Insufficient {resource}"));
                    let units = |q: &str| {
                        quantity::parse(q)
                            .map(|amt| scheduler_units(resource, amt))
                            .unwrap_or(0)
                    };
                    let (want, alloc, used) = (
                        units(requested),
                        units(allocatable),
                        units(already_requested),
                    );
                    let free = alloc.saturating_sub(used);
                    if want > alloc {
                        fits_empty = false;
                    }
                    if free <= 0 {
                        impossible.push(format!(
                            "no {resource} is left on {node}: {already_requested} of {allocatable} is already requested by {}",
                            plural(*pods_on_node, "pod", "pods")
                        ));
                    } else {
                        plans.push(ResourcePlan {
                            resource: resource.clone(),
                            pod_request: want,
                            free,
                        });
                    }
                }
                _ => {}
            }
        }
        a.about = about.join(", ");
        if !impossible.is_empty() {
            a.notes.extend(impossible);
            a.notes.push(format!(
                "no request fits on {node} as it is: make room by moving pods off it, or run {} elsewhere",
                self.ctx.name
            ));
        } else if !plans.is_empty() {
            match lower_requests(&self.ctx.spec, &plans) {
                Ok(lowered) => {
                    let what: Vec<String> = lowered
                        .totals
                        .iter()
                        .map(|(r, v)| format!("{r} {v}"))
                        .collect();
                    a.fix = Some(self.ctx.template_fix(
                        format!(
                            "lower the pod's requests to what {node} has free now: {} (the largest that fit)",
                            what.join(", ")
                        ),
                        lowered.entries,
                    ));
                    a.notes.push(format!(
                        "this lowers the requests on every node, and the scheduler reserves only what is requested: check {} still gets what it uses (kubectl top pod {})",
                        self.ctx.name,
                        self.ctx.n()
                    ));
                    a.notes.push(format!(
                        "what is free on {node} changes as other pods come and go"
                    ));
                }
                Err(why) => a.notes.push(why),
            }
        }
        if fits_empty && a.alternatives.is_empty() {
            a.alternatives.push(Fix {
                summary: format!(
                    "make room: the request would fit on an empty {node}, so moving other pods off it helps, as does a higher priorityClassName for {} (the scheduler then preempts lower-priority pods)",
                    self.ctx.name
                ),
                yaml: None,
                commands: Vec::new(),
            });
        } else if !fits_empty {
            a.notes.push(format!(
                "the pod asks for more than {node} has in total (allocatable), so even an empty {node} could not take it as it is"
            ));
        }
        a
    }

    fn host_ports(&self, findings: &[&Finding]) -> Advice {
        let node = self.node_name();
        let mut a = Advice {
            about: String::new(),
            checks: vec![format!(
                "kubectl get pods -A -o wide --field-selector spec.nodeName={node}"
            )],
            fix: None,
            alternatives: Vec::new(),
            notes: Vec::new(),
        };
        let mut about = Vec::new();
        let mut owners = BTreeSet::new();
        let mut conflicts = Vec::new();
        for f in findings {
            let Finding::HostPortConflict {
                port,
                protocol,
                held_by,
                ..
            } = f
            else {
                continue;
            };
            about.push(format!("{port}/{protocol}"));
            conflicts.push((*port, protocol.as_str()));
            let (hns, hname) = held_by.split_once('/').unwrap_or(("", held_by.as_str()));
            let ns_flag = if hns.is_empty() {
                String::new()
            } else {
                format!(" -n {hns}")
            };
            a.checks.push(format!(
                "kubectl get pod {hname}{ns_flag} -o jsonpath='{{.spec.containers[*].ports}}'"
            ));
            if let Some(owner) = self.owner_of(hns, hname) {
                owners.insert(owner);
            } else {
                owners.insert((String::new(), hns.to_owned(), hname.to_owned()));
            }
        }
        a.about = format!("host port {}", about.join(", "));
        let used = used_host_ports(self.ctx);
        match move_host_ports(&self.ctx.spec, &conflicts, &used) {
            Some(moved) => {
                let list: Vec<String> = moved
                    .moves
                    .iter()
                    .map(|(from, to)| format!("{from} to {to}"))
                    .collect();
                a.fix = Some(self.ctx.template_fix(
                    format!(
                        "move {}'s host port {} (no pod kubectl-ds read uses the new one)",
                        self.ctx.name,
                        list.join(", ")
                    ),
                    moved.entries,
                ));
                let list: Vec<String> = moved
                    .moves
                    .iter()
                    .map(|(from, to)| format!("{to} instead of {from}"))
                    .collect();
                a.notes.push(format!(
                    "whatever reaches {} through the node's port must use {}",
                    self.ctx.name,
                    list.join(", ")
                ));
                if self.ctx.spec.host_network == Some(true) {
                    a.notes.push(format!(
                        "{} uses hostNetwork, so the container itself listens on the node's port: make it listen on the new port too (its --port or --listen-address flag)",
                        self.ctx.name
                    ));
                }
            }
            None => a.notes.push(
                "the conflicting port could not be found in the pod template: the pods may come from an older template"
                    .to_owned(),
            ),
        }
        for (kind, ns, owner) in owners {
            let ns_flag = if ns.is_empty() {
                String::new()
            } else {
                format!(" -n {ns}")
            };
            if kind == "DaemonSet" {
                a.alternatives.push(Fix {
                    summary: format!(
                        "if DaemonSet {ns}/{owner} does the same job as {}, remove it (it holds the port on every node it runs on)",
                        self.ctx.name
                    ),
                    yaml: None,
                    commands: vec![format!("kubectl delete daemonset {owner}{ns_flag}")],
                });
            } else if kind.is_empty() {
                a.alternatives.push(Fix {
                    summary: format!("move pod {owner} off {node}"),
                    yaml: None,
                    commands: Vec::new(),
                });
            } else {
                a.alternatives.push(Fix {
                    summary: format!(
                        "change the host port of {kind} {ns}/{owner}, whose pod holds it"
                    ),
                    yaml: None,
                    commands: Vec::new(),
                });
            }
        }
        a
    }

    /// (controller kind, namespace, name) of the pod holding a port.
    fn owner_of(&self, ns: &str, pod: &str) -> Option<(String, String, String)> {
        let p = self.ctx.cluster.snapshot.pods.iter().find(|p| {
            p.metadata.name.as_deref() == Some(pod)
                && p.metadata.namespace.as_deref().unwrap_or("") == ns
        })?;
        let o = p
            .metadata
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true))?;
        Some((o.kind.clone(), ns.to_owned(), o.name.clone()))
    }

    // ---- the pod's own state --------------------------------------------------------------

    fn container(&self, f: &Finding) -> Advice {
        let Finding::ContainerProblem {
            container,
            init,
            reason,
            message,
            image,
            exit_code,
            last_termination_reason,
            ..
        } = f
        else {
            return self.generic("container problem");
        };
        let kind = if *init { "init container" } else { "container" };
        let pod = self.pod().unwrap_or("<pod>").to_owned();
        let ns = self.ctx.n();
        let statuses = if *init {
            "initContainerStatuses"
        } else {
            "containerStatuses"
        };
        let mut a = Advice {
            about: format!("{reason} ({kind} {container})"),
            checks: self.describe_pod().into_iter().collect(),
            fix: None,
            alternatives: Vec::new(),
            notes: Vec::new(),
        };
        let msg = message.as_deref().unwrap_or("");
        let image = image.as_deref().unwrap_or("");
        match reason.as_str() {
            "ErrImagePull"
            | "ImagePullBackOff"
            | "InvalidImageName"
            | "ErrImageNeverPull"
            | "ImageInspectError"
            | "RegistryUnavailable"
            | "SignatureValidationFailed" => {
                a.checks.push(format!(
                    "kubectl get pod {pod} {ns} -o jsonpath='{{.status.{statuses}[?(@.name==\"{container}\")].state}}'"
                ));
                a.checks.extend(self.pod_events());
                self.image_advice(&mut a, reason, msg, image, container);
            }
            "CrashLoopBackOff" | "Error" | "OOMKilled" | "ContainerCannotRun" | "StartError" => {
                a.checks.insert(
                    0,
                    format!("kubectl logs {pod} {ns} -c {container} --previous"),
                );
                a.checks.push(format!(
                    "kubectl get pod {pod} {ns} -o jsonpath='{{.status.{statuses}[?(@.name==\"{container}\")].lastState}}'"
                ));
                let oom = reason == "OOMKilled"
                    || last_termination_reason.as_deref() == Some("OOMKilled");
                if oom {
                    self.oom_advice(&mut a, container, *init);
                } else {
                    match exit_code {
                        Some(126) | Some(127) => a.notes.push(format!(
                            "exit code {} means the command could not be run (127: not found, 126: not executable): check the command and args",
                            exit_code.unwrap_or(0)
                        )),
                        Some(137) => a.notes.push(
                            "exit code 137 without OOMKilled means it was killed (SIGKILL): a failing liveness probe, or it did not stop in time; the pod's events say which"
                                .to_owned(),
                        ),
                        Some(c) => a.notes.push(format!(
                            "the {kind} itself exits with code {c}: its previous logs say why (a missing setting, file or permission, a bad flag)"
                        )),
                        None => {}
                    }
                    if matches!(exit_code, Some(126) | Some(127))
                        || msg.contains("executable file not found")
                    {
                        a.checks.push(self.ctx.get_ds(&format!(
                            "{{.spec.template.spec.{}[?(@.name==\"{container}\")].command}}",
                            if *init {
                                "initContainers"
                            } else {
                                "containers"
                            }
                        )));
                    }
                    if *exit_code == Some(137) {
                        a.checks.push(self.ctx.get_ds(&format!(
                            "{{.spec.template.spec.containers[?(@.name==\"{container}\")].livenessProbe}}"
                        )));
                    }
                }
                if reason == "CrashLoopBackOff" {
                    a.notes.push(
                        "the kubelet restarts it with a growing back-off (up to 5 minutes); a fixed template rolls out new pods"
                            .to_owned(),
                    );
                }
            }
            "CreateContainerConfigError" | "CreateContainerError" => {
                if !self.reference_advice(&mut a, msg) {
                    self.run_as_non_root_advice(&mut a, msg, container, *init);
                }
            }
            _ => {
                a.checks.extend(self.pod_events());
            }
        }
        a
    }

    fn image_advice(&self, a: &mut Advice, reason: &str, msg: &str, image: &str, container: &str) {
        let lower = msg.to_ascii_lowercase();
        let set_image = Fix {
            summary: format!("point {container} at an image that exists and the node can pull"),
            yaml: None,
            commands: vec![format!(
                "kubectl set image daemonset/{} {} {container}=<image:tag>",
                self.ctx.name,
                self.ctx.n()
            )],
        };
        if lower.contains("no matching manifest") || lower.contains("no match for platform") {
            let node = self.node_name();
            let os = self.node.and_then(|n| label(n, OS_LABEL)).unwrap_or("");
            let arch = self.node.and_then(|n| label(n, ARCH_LABEL)).unwrap_or("");
            a.notes.push(format!(
                "image {image} has no build for {node}'s platform ({os}/{arch})"
            ));
            let (key, value) = self.platform_selector(os, arch);
            if let Some(value) = value {
                let fix = self.ctx.template_fix(
                    format!(
                        "keep {} off nodes it has no image for: select {key}={value} (the controller then removes the pod from {node})",
                        self.ctx.name
                    ),
                    vec![e("nodeSelector", Y::Map(vec![e(key, s(&value))]))],
                );
                a.fix = Some(fix);
                a.alternatives.push(Fix {
                    summary: format!(
                        "use an image with a {os}/{arch} build (a multi-platform image)"
                    ),
                    ..set_image
                });
            } else {
                a.fix = Some(set_image);
            }
            return;
        }
        if reason == "ErrImageNeverPull" {
            a.fix = Some(self.ctx.template_fix(
                format!("let the kubelet pull {image}: imagePullPolicy Never only uses images already on the node"),
                vec![e(
                    "containers",
                    Y::List(vec![Y::Map(vec![
                        e("name", s(container)),
                        e("imagePullPolicy", s("IfNotPresent")),
                    ])]),
                )],
            ));
            return;
        }
        let registry = registry_of(image);
        if lower.contains("unauthorized")
            || lower.contains("authentication required")
            || lower.contains("denied")
            || lower.contains("403 forbidden")
            || lower.contains("401")
            || lower.contains("toomanyrequests")
        {
            a.checks
                .push(self.ctx.get_ds("{.spec.template.spec.imagePullSecrets}"));
            let fix = self.ctx.template_fix(
                format!(
                    "the registry {registry} refuses anonymous pulls: create a pull secret in {} and reference it",
                    self.ctx.ns
                ),
                vec![e(
                    "imagePullSecrets",
                    Y::List(vec![Y::Map(vec![e("name", s("regcred")).note(
                        "added; the list merges by name, existing entries stay",
                    )])]),
                )],
            );
            let mut commands = vec![format!(
                "kubectl create secret docker-registry regcred {} --docker-server={registry} --docker-username=<user> --docker-password=<password>",
                self.ctx.n()
            )];
            commands.extend(fix.commands);
            a.fix = Some(Fix { commands, ..fix });
            a.notes.push(
                "\"pull access denied\" also shows for a repository that does not exist: check the name too"
                    .to_owned(),
            );
            a.alternatives.push(Fix {
                summary: format!("if the name is wrong: {}", set_image.summary),
                ..set_image
            });
            return;
        }
        if lower.contains("no such host")
            || lower.contains("dial tcp")
            || lower.contains("i/o timeout")
            || lower.contains("connection refused")
            || lower.contains("x509")
            || reason == "RegistryUnavailable"
        {
            a.notes.push(format!(
                "the node cannot reach the registry {registry}: a misspelt registry name, or no network path (DNS, proxy, firewall) from the node"
            ));
        } else if lower.contains("not found")
            || lower.contains("manifest unknown")
            || lower.contains("name unknown")
        {
            a.notes.push(format!(
                "{image} does not exist in the registry: check the repository and the tag"
            ));
        } else if reason == "InvalidImageName" {
            a.notes
                .push(format!("{image} is not a valid image reference"));
        }
        a.fix = Some(set_image);
    }

    /// The nodeSelector entry that keeps the pod on the platforms where it runs: the node's OS or
    /// architecture differs from every node where the pod is Running.
    fn platform_selector(&self, os: &str, arch: &str) -> (&'static str, Option<String>) {
        let oses: BTreeSet<&str> = self
            .ctx
            .running_platforms
            .iter()
            .map(|(o, _)| o.as_str())
            .filter(|o| !o.is_empty())
            .collect();
        let arches: BTreeSet<&str> = self
            .ctx
            .running_platforms
            .iter()
            .map(|(_, a)| a.as_str())
            .filter(|a| !a.is_empty())
            .collect();
        if let [only] = oses.iter().copied().collect::<Vec<_>>().as_slice()
            && *only != os
        {
            return (OS_LABEL, Some((*only).to_owned()));
        }
        if let [only] = arches.iter().copied().collect::<Vec<_>>().as_slice()
            && *only != arch
        {
            return (ARCH_LABEL, Some((*only).to_owned()));
        }
        if !os.is_empty() && os != "linux" {
            return (OS_LABEL, Some("linux".to_owned()));
        }
        (OS_LABEL, None)
    }

    fn oom_advice(&self, a: &mut Advice, container: &str, init: bool) {
        let list = if init {
            self.ctx.spec.init_containers.as_deref().unwrap_or(&[])
        } else {
            &self.ctx.spec.containers
        };
        let limit = list
            .iter()
            .find(|c| c.name == container)
            .and_then(|c| c.resources.as_ref())
            .and_then(|r| r.limits.as_ref())
            .and_then(|l| l.get("memory"))
            .and_then(|q| quantity::parse(&q.0).ok())
            .map(|amt| scheduler_units("memory", amt));
        a.checks.push(format!(
            "kubectl top pod {} {} --containers",
            self.pod().unwrap_or("<pod>"),
            self.ctx.n()
        ));
        match limit {
            Some(old) if old > 0 => {
                const MI: i128 = 1 << 20;
                let new = (old.saturating_mul(2) + MI - 1) / MI * MI;
                let was = format_resource("memory", old);
                let now = format_resource("memory", new);
                a.fix = Some(self.ctx.template_fix(
                    format!(
                        "raise {container}'s memory limit: it was killed for going over {was}; {now} is a starting point, measure its real use"
                    ),
                    vec![e(
                        if init { "initContainers" } else { "containers" },
                        Y::List(vec![Y::Map(vec![
                            e("name", s(container)),
                            e(
                                "resources",
                                Y::Map(vec![e(
                                    "limits",
                                    Y::Map(vec![
                                        e("memory", s(&now)).note(&format!("was {was}")),
                                    ]),
                                )]),
                            ),
                        ])]),
                    )],
                ));
            }
            _ => a.notes.push(format!(
                "{container} has no memory limit of its own: the kernel killed it because {} ran out of memory (or a pod-level limit); set memory requests that match its use so the scheduler reserves it",
                self.node_name()
            )),
        }
    }

    /// A missing ConfigMap, Secret or key, quoted by the kubelet. True when the message named one.
    fn reference_advice(&self, a: &mut Advice, msg: &str) -> bool {
        let ns = self.ctx.n();
        if let Some((kind, obj)) = missing_object(msg) {
            a.checks.push(format!("kubectl get {kind} {obj} {ns}"));
            let create = if kind == "secret" {
                format!("kubectl create secret generic {obj} {ns} --from-literal=<key>=<value>")
            } else {
                format!("kubectl create configmap {obj} {ns} --from-literal=<key>=<value>")
            };
            a.fix = Some(Fix {
                summary: format!(
                    "create {kind} {obj} in {} with the keys the pod reads (or correct the name in the DaemonSet)",
                    self.ctx.ns
                ),
                yaml: None,
                commands: vec![create],
            });
            return true;
        }
        if let Some((key, kind, obj)) = missing_key(msg) {
            let (kind_cmd, field) = if kind == "Secret" {
                ("secret", "stringData")
            } else {
                ("configmap", "data")
            };
            a.checks.push(format!(
                "kubectl get {kind_cmd} {obj} {ns} -o jsonpath='{{.data}}'"
            ));
            let patch = serde_json::json!({ field: { key.clone(): "<value>" } }).to_string();
            a.fix = Some(Fix {
                summary: format!(
                    "add key {key} to {kind} {obj} (or correct the key in the DaemonSet, or mark the reference optional)"
                ),
                yaml: None,
                commands: vec![format!(
                    "kubectl patch {kind_cmd} {obj} {ns} --type merge -p {}",
                    shell_quote(&patch)
                )],
            });
            return true;
        }
        false
    }

    fn run_as_non_root_advice(&self, a: &mut Advice, msg: &str, container: &str, init: bool) {
        if msg.contains("runAsNonRoot") {
            a.fix = Some(self.ctx.template_fix(
                format!(
                    "the image runs as root (or a named user) but the pod demands runAsNonRoot: give {container} a numeric non-root user the image can run as"
                ),
                vec![e(
                    if init { "initContainers" } else { "containers" },
                    Y::List(vec![Y::Map(vec![
                        e("name", s(container)),
                        e(
                            "securityContext",
                            Y::Map(vec![e("runAsUser", Y::Int(65534)).note(
                                "nobody; use the user the image documents",
                            )]),
                        ),
                    ])]),
                )],
            ));
        } else {
            a.checks.extend(self.pod_events());
        }
    }

    fn pod_failed(&self, reason: Option<&str>, message: Option<&str>) -> Advice {
        let node = self.node_name();
        let reason_s = reason.unwrap_or("Failed");
        let mut a = Advice {
            about: format!("pod {reason_s}"),
            checks: self.describe_pod().into_iter().collect(),
            fix: None,
            alternatives: Vec::new(),
            notes: Vec::new(),
        };
        a.checks.push(self.ctx.ds_events());
        match reason_s {
            "Evicted" => {
                a.checks.push(format!("{}  # Conditions", self.describe_node()));
                a.notes.push(format!(
                    "the kubelet evicted it because {node} ran short of memory, disk or PIDs; pods using more than they request go first, so requests that match the real use protect {}",
                    self.ctx.name
                ));
            }
            r if r.starts_with("OutOf") || r == "UnexpectedAdmissionError" => {
                a.checks.push(format!("{}  # Allocated resources", self.describe_node()));
                a.notes.push(format!(
                    "the kubelet on {node} refused the pod at admission: its own count of free resources disagrees with the scheduler's (static pods, or the node's capacity changed)"
                ));
            }
            "NodeAffinity" => a.notes.push(format!(
                "the kubelet refused the pod: {node}'s labels no longer match the DaemonSet's node selection"
            )),
            "Preempted" | "PreemptionByScheduler" => a.notes.push(
                "a higher-priority pod took its place; a higher priorityClassName protects it"
                    .to_owned(),
            ),
            "Shutdown" | "Terminated" | "NodeShutdown" => a.notes.push(format!(
                "{node} shut down; the pod is replaced when the node comes back"
            )),
            "Unknown" | "NodeLost" => {
                a.checks.push(format!("{}  # Conditions", self.describe_node()));
                a.notes.push(format!(
                    "the API server cannot get the pod's state from {node}: the node or its kubelet is down"
                ));
            }
            "Succeeded" => a.notes.push(
                "its containers exited 0: a DaemonSet pod must keep running, so the command returns when it should block (check the command and args)"
                    .to_owned(),
            ),
            _ => {
                if let Some(m) = message {
                    a.notes.push(format!("the pod's status says: {m}"));
                }
            }
        }
        a.notes.push(format!(
            "the controller deletes a failed pod and creates a new one on {node}, waiting longer after each failure there"
        ));
        a
    }

    fn not_ready_yet(&self, detail: &str) -> Advice {
        let mut a = Advice {
            about: "not Ready yet".to_owned(),
            checks: self.describe_pod().into_iter().collect(),
            fix: None,
            alternatives: Vec::new(),
            notes: Vec::new(),
        };
        let node_not_ready = self
            .n
            .findings
            .iter()
            .any(|f| matches!(f, Finding::NodeNotReady { .. }));
        if !node_not_ready {
            a.notes.push(
                "Starting is often only a moment: run the command again in a minute".to_owned(),
            );
        }
        if let Some(p) = self.pod() {
            a.checks.push(format!(
                "kubectl get pod {p} {} -o jsonpath='{{.status.conditions}}'",
                self.ctx.n()
            ));
        }
        if detail.contains("readiness") {
            a.checks.push(
                self.ctx
                    .get_ds("{.spec.template.spec.containers[*].readinessProbe}"),
            );
        }
        if detail.contains("has not reported") && !node_not_ready {
            a.checks
                .push(format!("kubectl get node {}", self.node_name()));
            a.notes.push(format!(
                "no container status yet: the kubelet on {} has not started the pod (is it running?)",
                self.node_name()
            ));
        }
        a
    }

    /// Advice from a quoted event, when the event is itself the explanation.
    fn event(&self, reason: &str, message: &str) -> Option<Advice> {
        match reason {
            "FailedCreate" => Some(self.failed_create(message)),
            "FailedMount" => {
                let mut a = Advice {
                    about: "FailedMount".to_owned(),
                    checks: self.describe_pod().into_iter().collect(),
                    fix: None,
                    alternatives: Vec::new(),
                    notes: Vec::new(),
                };
                if !self.reference_advice(&mut a, message) {
                    a.checks.extend(self.pod_events());
                }
                Some(a)
            }
            "FailedCreatePodSandBox" | "NetworkNotReady" => Some(Advice {
                about: reason.to_owned(),
                checks: vec![
                    self.describe_pod().unwrap_or_else(|| self.describe_node()),
                    format!(
                        "kubectl get pods -n kube-system -o wide --field-selector spec.nodeName={}",
                        self.node_name()
                    ),
                ],
                fix: None,
                alternatives: Vec::new(),
                notes: vec![format!(
                    "the kubelet cannot set up the pod's network on {}: the CNI plugin there (its pod in kube-system) is the thing to look at",
                    self.node_name()
                )],
            }),
            _ => None,
        }
    }

    fn failed_create(&self, message: &str) -> Advice {
        let ctx = self.ctx;
        let mut a = Advice {
            about: "FailedCreate".to_owned(),
            checks: vec![ctx.describe_ds(), ctx.ds_events()],
            fix: None,
            alternatives: Vec::new(),
            notes: Vec::new(),
        };
        if let Some((level, violations)) = pod_security(message) {
            a.about = "FailedCreate (PodSecurity)".to_owned();
            a.checks.push(format!(
                "kubectl get namespace {} -L pod-security.kubernetes.io/enforce",
                ctx.ns
            ));
            let needed = needed_pod_security_level(&level, &violations);
            a.fix = Some(Fix {
                summary: format!(
                    "let namespace {} admit {}: its PodSecurity level {level} forbids {violations}",
                    ctx.ns, ctx.name
                ),
                yaml: None,
                commands: vec![format!(
                    "kubectl label namespace {} pod-security.kubernetes.io/enforce={needed} --overwrite",
                    ctx.ns
                )],
            });
            a.notes.push(format!(
                "this relaxes the policy for every pod in {}: keep node agents that need host access in a namespace of their own",
                ctx.ns
            ));
            a.alternatives.push(Fix {
                summary: format!(
                    "drop from the pod template what the policy forbids, if {} works without it",
                    ctx.name
                ),
                yaml: None,
                commands: Vec::new(),
            });
        } else if let Some(q) = QuotaRefusal::parse(message) {
            a.about = "FailedCreate (ResourceQuota)".to_owned();
            a.checks.push(format!(
                "kubectl describe resourcequota {} {}",
                q.name,
                ctx.n()
            ));
            let pods = ctx.refused_by_quota.max(1);
            let hard = q.hard_for(pods);
            let patch = serde_json::json!({ "spec": { "hard": hard } }).to_string();
            let raised: Vec<String> = hard.iter().map(|(k, v)| format!("{k}={v}")).collect();
            a.fix = Some(Fix {
                summary: format!(
                    "raise quota {} to {} so {} fit{}",
                    q.name,
                    raised.join(", "),
                    if pods == 1 {
                        "the refused pod".to_owned()
                    } else {
                        format!("all {pods} refused pods")
                    },
                    if pods == 1 { "s" } else { "" }
                ),
                yaml: None,
                commands: vec![format!(
                    "kubectl patch resourcequota {} {} --type merge -p {}",
                    q.name,
                    ctx.n(),
                    shell_quote(&patch)
                )],
            });
            a.notes.push(
                "the controller retries by itself; the missing pods appear once the quota admits them"
                    .to_owned(),
            );
        } else if message.contains("failed quota") && message.contains("must specify") {
            a.about = "FailedCreate (ResourceQuota)".to_owned();
            a.checks
                .push(format!("kubectl describe resourcequota {}", ctx.n()));
            a.notes.push(format!(
                "a quota in {} tracks requests or limits, so every pod must set them: add resources.requests and resources.limits to each container of the template",
                ctx.ns
            ));
        } else if let Some(sa) = missing_service_account(message)
            .or_else(|| (message.contains("service account")).then(|| self.service_account()))
        {
            a.about = "FailedCreate (ServiceAccount)".to_owned();
            a.checks
                .push(format!("kubectl get serviceaccount {sa} {}", ctx.n()));
            a.fix = Some(Fix {
                summary: format!("create ServiceAccount {sa} in {}", ctx.ns),
                yaml: None,
                commands: vec![format!("kubectl create serviceaccount {sa} {}", ctx.n())],
            });
            a.notes.push(format!(
                "grant {sa} the RBAC permissions {} needs (a Role or ClusterRole and a binding)",
                ctx.name
            ));
            a.alternatives.push(Fix {
                summary: format!(
                    "if the name is wrong, set serviceAccountName to an existing one (kubectl get serviceaccounts {})",
                    ctx.n()
                ),
                yaml: None,
                commands: Vec::new(),
            });
        } else if let Some(hook) = webhook(message) {
            a.about = "FailedCreate (admission webhook)".to_owned();
            a.checks.push(
                "kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations"
                    .to_owned(),
            );
            if message.contains("failed calling webhook") {
                a.notes.push(format!(
                    "webhook {hook} could not be reached: its service or pods are down, and it fails closed"
                ));
            } else {
                a.notes.push(format!(
                    "webhook {hook} refused the pod: its message says what its policy wants changed"
                ));
            }
        } else if message.contains("LimitRange")
            || message.contains("minimum")
            || message.contains("maximum")
        {
            a.checks
                .push(format!("kubectl describe limitrange {}", ctx.n()));
            a.notes.push(format!(
                "a LimitRange in {} bounds requests and limits: set the template's resources within it",
                ctx.ns
            ));
        }
        a
    }

    fn service_account(&self) -> String {
        self.ctx
            .spec
            .service_account_name
            .clone()
            .unwrap_or_else(|| "default".to_owned())
    }

    // ---- the node and the rollout ----------------------------------------------------------

    fn node_not_ready(&self, status: &str, reason: Option<&str>, message: Option<&str>) -> Advice {
        let node = self.node_name();
        let why = match (reason, message) {
            (Some(r), Some(m)) => format!(", {r}: {m}"),
            (Some(r), None) => format!(", {r}"),
            (None, Some(m)) => format!(", {m}"),
            (None, None) => String::new(),
        };
        Advice {
            about: "node NotReady".to_owned(),
            checks: vec![
                format!("{}  # Conditions", self.describe_node()),
                format!(
                    "kubectl get node {node} -o jsonpath='{{.status.conditions[?(@.type==\"Ready\")]}}'"
                ),
                format!("systemctl status kubelet  # on {node}"),
                format!("journalctl -u kubelet -e  # on {node}"),
            ],
            fix: Some(Fix {
                summary: format!(
                    "bring {node}'s kubelet back (Ready is {status}{why}): restart it once its log shows why it stopped (container runtime, certificates, disk, network)"
                ),
                yaml: None,
                commands: vec![format!("sudo systemctl restart kubelet  # on {node}")],
            }),
            alternatives: vec![Fix {
                summary:
                    "if the machine is gone for good, delete the Node object (its pods go with it)"
                        .to_owned(),
                yaml: None,
                commands: vec![format!("kubectl delete node {node}")],
            }],
            notes: Vec::new(),
        }
    }

    fn node_deleting(&self) -> Advice {
        Advice {
            about: "node deleting".to_owned(),
            checks: vec![format!(
                "kubectl get node {} -o jsonpath='{{.metadata.deletionTimestamp}} {{.metadata.finalizers}}'",
                self.node_name()
            )],
            fix: None,
            alternatives: Vec::new(),
            notes: vec![
                "the Node object is being deleted: once it is gone the DaemonSet no longer counts it"
                    .to_owned(),
            ],
        }
    }

    fn outdated(&self, pod_revision: &str, current: &str) -> Advice {
        let ctx = self.ctx;
        let ds = format!("daemonset/{} {}", ctx.name, ctx.n());
        let mut a = Advice {
            about: format!("old revision {pod_revision}"),
            checks: vec![
                format!("kubectl rollout status {ds}"),
                format!("kubectl rollout history {ds}"),
                format!(
                    "kubectl get pods {} -L controller-revision-hash -o wide",
                    ctx.n()
                ),
            ],
            fix: None,
            alternatives: Vec::new(),
            notes: Vec::new(),
        };
        let terminating = self
            .n
            .findings
            .iter()
            .any(|f| matches!(f, Finding::PodTerminating { .. }));
        if ctx.on_delete {
            if terminating {
                a.notes.push(format!(
                    "the pod is already being deleted: its replacement comes from revision {current}"
                ));
            } else if let Some(p) = self.pod() {
                a.fix = Some(Fix {
                    summary: format!(
                        "updateStrategy OnDelete replaces a pod only when you delete it: delete {p} and the controller creates one from revision {current}"
                    ),
                    yaml: None,
                    commands: vec![format!("kubectl delete pod {p} {}", ctx.n())],
                });
            }
            a.alternatives.push(ctx.ds_fix(
                "let the controller replace old pods by itself: switch to RollingUpdate".to_owned(),
                Y::Map(vec![e(
                    "spec",
                    Y::Map(vec![e(
                        "updateStrategy",
                        Y::Map(vec![e("type", s("RollingUpdate"))]),
                    )]),
                )]),
            ));
        } else {
            a.notes.push(format!(
                "a rolling update replaces pods a few at a time and waits for each new pod to be Ready: when it stalls, the nodes whose new pod is failing, pending or starting say why (current revision {current})"
            ));
            a.alternatives.push(Fix {
                summary: "if the new template is broken, go back to the previous one".to_owned(),
                yaml: None,
                commands: vec![format!("kubectl rollout undo {ds}")],
            });
        }
        a
    }

    fn terminating(&self, since: Option<&str>) -> Advice {
        let ctx = self.ctx;
        let node = self.node_name();
        let pod = self.pod().unwrap_or("<pod>");
        let since = since.map(|t| format!(" since {t}")).unwrap_or_default();
        let node_down = self
            .node
            .and_then(|n| n.status.as_ref())
            .and_then(|s| s.conditions.as_ref())
            .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
            .is_none_or(|c| c.status != "True");
        let mut a = Advice {
            about: "pod terminating".to_owned(),
            checks: vec![
                format!(
                    "kubectl get pod {pod} {} -o jsonpath='{{.metadata.deletionTimestamp}} {{.metadata.finalizers}}'",
                    ctx.n()
                ),
                format!("kubectl get node {node}"),
            ],
            fix: None,
            alternatives: Vec::new(),
            notes: vec![format!(
                "pod {pod} is being deleted{since}: the controller creates its replacement on {node} only once it is gone; it stays while the kubelet on {node} has not confirmed the containers stopped, or a finalizer holds it"
            )],
        };
        let force = Fix {
            summary: format!(
                "if {node} is down and its containers surely stopped, force the deletion (it does not stop anything still running)"
            ),
            yaml: None,
            commands: vec![format!(
                "kubectl delete pod {pod} {} --grace-period=0 --force",
                ctx.n()
            )],
        };
        if node_down {
            a.fix = Some(force);
        } else {
            a.alternatives.push(force);
        }
        a
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

// ---- node affinity --------------------------------------------------------------------------

/// One requirement of a term that the node fails.
struct Failing {
    req: NodeSelectorRequirement,
    expression: String,
    /// A matchFields requirement (on the node's name).
    field: bool,
    /// Rejected when the term is parsed; such a term matches no node.
    invalid: bool,
}

/// Every requirement of `term` that `node` fails (the engine reports only the first).
// Mirrors k8s.io/apimachinery/pkg/labels/selector.go (Requirement.Matches) and
// k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go (nodeSelectorTerm.match)
fn failing_requirements(term: &NodeSelectorTerm, node: &Node) -> Vec<Failing> {
    let exprs = term.match_expressions.as_deref().unwrap_or(&[]);
    let fields = term.match_fields.as_deref().unwrap_or(&[]);
    let mut out = Vec::new();
    if exprs.is_empty() && fields.is_empty() {
        out.push(Failing {
            req: NodeSelectorRequirement::default(),
            expression: "(empty term)".to_owned(),
            field: false,
            invalid: true,
        });
        return out;
    }
    for r in exprs {
        let values = r.values.as_deref().unwrap_or(&[]);
        let value = label(node, &r.key);
        let (ok, invalid) = match r.operator.as_str() {
            "In" => (
                value.is_some_and(|v| values.iter().any(|w| w == v)),
                values.is_empty(),
            ),
            "NotIn" => (
                value.is_none_or(|v| !values.iter().any(|w| w == v)),
                values.is_empty(),
            ),
            "Exists" => (value.is_some(), !values.is_empty()),
            "DoesNotExist" => (value.is_none(), !values.is_empty()),
            op @ ("Gt" | "Lt") => match (values, value.and_then(|v| v.parse::<i64>().ok())) {
                ([bound], actual) => match bound.parse::<i64>() {
                    Ok(b) => (
                        actual.is_some_and(|x| if op == "Gt" { x > b } else { x < b }),
                        false,
                    ),
                    Err(_) => (false, true),
                },
                _ => (false, true),
            },
            _ => (false, true),
        };
        if !ok || invalid {
            out.push(Failing {
                req: r.clone(),
                expression: format_requirement(r),
                field: false,
                invalid,
            });
        }
    }
    let node_name = name(&node.metadata);
    for r in fields {
        let values = r.values.as_deref().unwrap_or(&[]);
        let invalid = values.len() != 1 || !matches!(r.operator.as_str(), "In" | "NotIn");
        let equal =
            r.key == OBJECT_NAME_FIELD && values.first().map(String::as_str) == Some(node_name);
        let ok = if r.operator == "In" { equal } else { !equal };
        if !ok || invalid {
            out.push(Failing {
                req: r.clone(),
                expression: format_requirement(r),
                field: true,
                invalid,
            });
        }
    }
    out
}

/// The `kubectl label` argument that makes the node satisfy `r` (`key=value` or `key-`).
fn label_to_satisfy(r: &NodeSelectorRequirement, current: Option<&str>) -> String {
    let values = r.values.as_deref().unwrap_or(&[]);
    match r.operator.as_str() {
        "In" => format!(
            "{}={}",
            r.key,
            values.first().map(String::as_str).unwrap_or("")
        ),
        "Exists" => format!("{}={}", r.key, current.unwrap_or("")),
        "Gt" => {
            let b = values
                .first()
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(0);
            format!("{}={}", r.key, b.saturating_add(1))
        }
        "Lt" => {
            let b = values
                .first()
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(0);
            format!("{}={}", r.key, b.saturating_sub(1))
        }
        // NotIn with the node's value, DoesNotExist: take the label off.
        _ => format!("{}-", r.key),
    }
}

struct RelaxedTerm {
    term: NodeSelectorTerm,
    /// Comments for the changed requirements, by key.
    comments: BTreeMap<String, String>,
}

/// `term` changed as little as possible so that `node` matches it; None when nothing would be
/// left of it (an empty term matches no node, so the requirement as a whole must go).
fn relax_term(term: &NodeSelectorTerm, fails: &[Failing], node: &Node) -> Option<RelaxedTerm> {
    let mut out = term.clone();
    let mut comments = BTreeMap::new();
    for f in fails {
        let key = f.req.key.clone();
        let list = if f.field {
            out.match_fields.get_or_insert_with(Vec::new)
        } else {
            out.match_expressions.get_or_insert_with(Vec::new)
        };
        let Some(pos) = list.iter().position(|r| r == &f.req) else {
            continue;
        };
        let current = if f.field {
            None
        } else {
            label(node, &key).map(str::to_owned)
        };
        match (f.req.operator.as_str(), current) {
            ("In", Some(v)) if !f.field => {
                list[pos].values.get_or_insert_with(Vec::new).push(v);
                comments.insert(key, format!("was: {}", f.expression));
            }
            ("NotIn", Some(v)) if !f.field => {
                let values = list[pos].values.get_or_insert_with(Vec::new);
                values.retain(|x| *x != v);
                if values.is_empty() {
                    list.remove(pos);
                } else {
                    comments.insert(key, format!("was: {}", f.expression));
                }
            }
            _ => {
                list.remove(pos);
            }
        }
    }
    if out.match_expressions.as_ref().is_some_and(Vec::is_empty) {
        out.match_expressions = None;
    }
    if out.match_fields.as_ref().is_some_and(Vec::is_empty) {
        out.match_fields = None;
    }
    if out.match_expressions.is_none() && out.match_fields.is_none() {
        return None;
    }
    Some(RelaxedTerm {
        term: out,
        comments,
    })
}

/// A term that matches exactly this node: its hostname label, as people usually write it, or its
/// name through matchFields (what the DaemonSet controller itself uses) when it has no such label.
fn naming_term(node: &Node) -> NodeSelectorTerm {
    match label(node, HOSTNAME_LABEL) {
        Some(host) => NodeSelectorTerm {
            match_expressions: Some(vec![NodeSelectorRequirement {
                key: HOSTNAME_LABEL.to_owned(),
                operator: "In".to_owned(),
                values: Some(vec![host.to_owned()]),
            }]),
            match_fields: None,
        },
        None => NodeSelectorTerm {
            match_expressions: None,
            match_fields: Some(vec![NodeSelectorRequirement {
                key: OBJECT_NAME_FIELD.to_owned(),
                operator: "In".to_owned(),
                values: Some(vec![name(&node.metadata).to_owned()]),
            }]),
        },
    }
}

fn added_term_yaml(t: &NodeSelectorTerm) -> Y {
    match term_yaml(t, &BTreeMap::new()) {
        Y::Map(mut m) => {
            if let Some(first) = m.first_mut() {
                first.comment = Some("added".to_owned());
            }
            Y::Map(m)
        }
        other => other,
    }
}

fn requirement_yaml(r: &NodeSelectorRequirement, comment: Option<&String>) -> Y {
    let mut key = e("key", s(&r.key));
    key.comment = comment.cloned();
    let mut m = vec![key, e("operator", s(&r.operator))];
    if let Some(v) = r.values.as_ref().filter(|v| !v.is_empty()) {
        m.push(e("values", Y::List(v.iter().map(s).collect())));
    }
    Y::Map(m)
}

fn term_yaml(t: &NodeSelectorTerm, comments: &BTreeMap<String, String>) -> Y {
    let mut m = Vec::new();
    if let Some(x) = t.match_expressions.as_ref().filter(|x| !x.is_empty()) {
        m.push(e(
            "matchExpressions",
            Y::List(
                x.iter()
                    .map(|r| requirement_yaml(r, comments.get(&r.key)))
                    .collect(),
            ),
        ));
    }
    if let Some(x) = t.match_fields.as_ref().filter(|x| !x.is_empty()) {
        m.push(e(
            "matchFields",
            Y::List(x.iter().map(|r| requirement_yaml(r, None)).collect()),
        ));
    }
    Y::Map(m)
}

/// The term as a `kubectl get nodes -l` selector, when label selector syntax can say it.
// Mirrors k8s.io/apimachinery/pkg/labels/selector.go (Parse: in, notin, key, !key)
fn label_selector(t: &NodeSelectorTerm) -> Option<String> {
    if t.match_fields.as_ref().is_some_and(|f| !f.is_empty()) {
        return None;
    }
    let parts: Option<Vec<String>> = t
        .match_expressions
        .iter()
        .flatten()
        .map(|r| {
            let v = r.values.as_deref().unwrap_or(&[]).join(",");
            match r.operator.as_str() {
                "In" => Some(format!("{} in ({v})", r.key)),
                "NotIn" => Some(format!("{} notin ({v})", r.key)),
                "Exists" => Some(r.key.clone()),
                "DoesNotExist" => Some(format!("!{}", r.key)),
                _ => None,
            }
        })
        .collect();
    parts.filter(|p| !p.is_empty()).map(|p| p.join(","))
}

// ---- resources ------------------------------------------------------------------------------

struct ResourcePlan {
    resource: String,
    /// The pod's effective request, in scheduler units.
    pod_request: i128,
    /// allocatable - already requested, in scheduler units (> 0).
    free: i128,
}

/// (resource, old request, new request), formatted.
type RequestChange = (String, String, String);

struct Lowered {
    entries: Vec<Entry>,
    /// The pod's new effective request per resource, formatted.
    totals: Vec<(String, String)>,
}

/// Resources whose request must equal the limit (no overcommit): extended resources and hugepages.
// Mirrors pkg/apis/core/validation/validation.go (validateResourceRequirements: must be equal to limit)
fn request_must_equal_limit(resource: &str) -> bool {
    !matches!(resource, "cpu" | "memory" | "ephemeral-storage")
}

fn container_request(c: &Container, resource: &str) -> i128 {
    let r = c.resources.as_ref();
    r.and_then(|r| r.requests.as_ref())
        .and_then(|m| m.get(resource))
        .or_else(|| {
            r.and_then(|r| r.limits.as_ref())
                .and_then(|m| m.get(resource))
        })
        .and_then(|q| quantity::parse(&q.0).ok())
        .map(|amt| scheduler_units(resource, amt))
        .unwrap_or(0)
}

/// Scales every request of each planned resource down in proportion, so the pod's effective
/// request (sum of containers, max with init containers, pod-level resources) becomes the largest
/// that fits the free room; verified with the scheduler's own arithmetic.
fn lower_requests(spec: &PodSpec, plans: &[ResourcePlan]) -> Result<Lowered, String> {
    let before = resources::pod_requests(spec, None);
    let mut new_spec = spec.clone();
    // (list name, container name) -> [(resource, old, new)]
    let mut changes: BTreeMap<(u8, String), Vec<RequestChange>> = BTreeMap::new();
    let mut totals = Vec::new();
    for plan in plans {
        let r = plan.resource.as_str();
        let template = before.get(r).copied().unwrap_or(0);
        // What the pod requests beyond its template: RuntimeClass overhead or admission defaults.
        let extra = (plan.pod_request - template).max(0);
        let target = plan.free - extra;
        if template <= 0 || target <= 0 {
            return Err(format!(
                "the pod's {r} request does not come from the DaemonSet's template (a LimitRange default or RuntimeClass overhead): kubectl describe limitrange -n <namespace>"
            ));
        }
        let scale = |x: i128| -> i128 {
            let v = x.saturating_mul(target) / template;
            round_down(r, v)
        };
        let pod_level = new_spec
            .resources
            .as_ref()
            .and_then(|res| res.requests.as_ref())
            .and_then(|m| m.get(r))
            .and_then(|q| quantity::parse(&q.0).ok())
            .map(|amt| scheduler_units(r, amt));
        if let Some(old) = pod_level.filter(|v| *v > 0) {
            let new = scale(old);
            set_quantity(
                new_spec.resources.get_or_insert_with(Default::default),
                r,
                new,
            );
            changes.entry((0, String::new())).or_default().push((
                r.to_owned(),
                format_resource(r, old),
                format_resource(r, new),
            ));
        } else {
            for (list, containers) in [
                (1u8, new_spec.init_containers.get_or_insert_with(Vec::new)),
                (2u8, &mut new_spec.containers),
            ] {
                for c in containers.iter_mut() {
                    let old = container_request(c, r);
                    if old <= 0 {
                        continue;
                    }
                    let new = scale(old);
                    set_quantity(c.resources.get_or_insert_with(Default::default), r, new);
                    changes.entry((list, c.name.clone())).or_default().push((
                        r.to_owned(),
                        format_resource(r, old),
                        format_resource(r, new),
                    ));
                }
            }
        }
        if new_spec.init_containers.as_ref().is_some_and(Vec::is_empty) {
            new_spec.init_containers = None;
        }
        let after = resources::pod_requests(&new_spec, None)
            .get(r)
            .copied()
            .unwrap_or(0);
        if after + extra > plan.free || after <= 0 {
            return Err(format!(
                "no {r} request could be computed that fits: check the requests of every container, init containers included"
            ));
        }
        totals.push((r.to_owned(), format_resource(r, after + extra)));
    }
    let mut entries = Vec::new();
    let mut by_list: BTreeMap<u8, Vec<Y>> = BTreeMap::new();
    for ((list, cname), res) in changes {
        let requests: Vec<Entry> = res
            .iter()
            .map(|(r, old, new)| e(r, s(new)).note(&format!("was {old}")))
            .collect();
        let limits: Vec<Entry> = res
            .iter()
            .filter(|(r, _, _)| request_must_equal_limit(r))
            .map(|(r, _, new)| e(r, s(new)).note("must equal the request"))
            .collect();
        let mut resources = vec![e("requests", Y::Map(requests))];
        if !limits.is_empty() {
            resources.push(e("limits", Y::Map(limits)));
        }
        if list == 0 {
            entries.push(e("resources", Y::Map(resources)));
        } else {
            by_list.entry(list).or_default().push(Y::Map(vec![
                e("name", s(&cname)),
                e("resources", Y::Map(resources)),
            ]));
        }
    }
    for (list, items) in by_list {
        let key = if list == 1 {
            "initContainers"
        } else {
            "containers"
        };
        entries.push(e(key, Y::List(items)));
    }
    Ok(Lowered { entries, totals })
}

/// Rounds a byte amount down to whole MiB once it is that large, so the YAML reads `440Mi`.
fn round_down(resource: &str, v: i128) -> i128 {
    const MI: i128 = 1 << 20;
    let bytes = matches!(resource, "memory" | "ephemeral-storage");
    if bytes && v >= MI { v - v % MI } else { v }
}

fn set_quantity(
    res: &mut k8s_openapi::api::core::v1::ResourceRequirements,
    resource: &str,
    units: i128,
) {
    let q = Quantity(format_resource(resource, units));
    res.requests
        .get_or_insert_with(Default::default)
        .insert(resource.to_owned(), q.clone());
    if request_must_equal_limit(resource) {
        res.limits
            .get_or_insert_with(Default::default)
            .insert(resource.to_owned(), q);
    }
}

// ---- host ports -----------------------------------------------------------------------------

/// Host ports held by any pod the snapshot holds, and declared by the template itself, per protocol.
fn used_host_ports(ctx: &Ctx) -> BTreeSet<(String, i32)> {
    let mut used = BTreeSet::new();
    let mut add = |spec: &PodSpec| {
        let host_network = spec.host_network == Some(true);
        for c in spec
            .init_containers
            .iter()
            .flatten()
            .chain(&spec.containers)
        {
            for p in c.ports.iter().flatten() {
                let port = match p.host_port {
                    Some(hp) if hp > 0 => hp,
                    _ if host_network => p.container_port,
                    _ => continue,
                };
                used.insert((p.protocol.clone().unwrap_or_else(|| "TCP".into()), port));
            }
        }
    };
    for pod in &ctx.cluster.snapshot.pods {
        if let Some(spec) = &pod.spec {
            add(spec);
        }
    }
    add(&ctx.spec);
    used
}

struct MovedPorts {
    entries: Vec<Entry>,
    moves: Vec<(i32, i32)>,
}

/// Moves each conflicting host port of the template to the next port no pod uses.
/// Container ports merge by containerPort in a patch, so an entry names its containerPort; with
/// hostNetwork the containerPort is the host port itself, so the old entry is deleted and a new one added.
// Mirrors k8s.io/api/core/v1/types.go (Container.Ports: patchMergeKey containerPort, patchStrategy merge)
// and pkg/apis/core/validation/validation.go (hostNetwork: hostPort must equal containerPort)
fn move_host_ports(
    spec: &PodSpec,
    conflicts: &[(i32, &str)],
    used: &BTreeSet<(String, i32)>,
) -> Option<MovedPorts> {
    let host_network = spec.host_network == Some(true);
    let mut taken = used.clone();
    let mut moves = Vec::new();
    // (list, container) -> port entries
    let mut items: BTreeMap<(u8, String), Vec<Y>> = BTreeMap::new();
    for &(port, protocol) in conflicts {
        let mut found = false;
        for (list, containers) in [
            (1u8, spec.init_containers.as_deref().unwrap_or(&[])),
            (2u8, spec.containers.as_slice()),
        ] {
            for c in containers {
                for p in c.ports.iter().flatten() {
                    let proto = p.protocol.as_deref().unwrap_or("TCP");
                    let hp = match p.host_port {
                        Some(hp) if hp > 0 => hp,
                        _ if host_network => p.container_port,
                        _ => 0,
                    };
                    if hp != port || proto != protocol || found {
                        continue;
                    }
                    let new = (port.saturating_add(1)..=65535)
                        .find(|cand| !taken.contains(&(proto.to_owned(), *cand)))?;
                    taken.insert((proto.to_owned(), new));
                    moves.push((port, new));
                    found = true;
                    let entry = items.entry((list, c.name.clone())).or_default();
                    if host_network {
                        entry.push(Y::Map(vec![
                            e("containerPort", Y::Int(i64::from(p.container_port)))
                                .note("the old entry goes"),
                            e("$patch", s("delete")),
                        ]));
                        let mut m = Vec::new();
                        if let Some(n) = &p.name {
                            m.push(e("name", s(n)));
                        }
                        m.push(
                            e("containerPort", Y::Int(i64::from(new))).note(&format!("was {port}")),
                        );
                        if p.host_port.is_some() {
                            m.push(e("hostPort", Y::Int(i64::from(new))));
                        }
                        m.push(e("protocol", s(proto)));
                        entry.push(Y::Map(m));
                    } else {
                        entry.push(Y::Map(vec![
                            e("containerPort", Y::Int(i64::from(p.container_port))),
                            e("hostPort", Y::Int(i64::from(new))).note(&format!("was {port}")),
                        ]));
                    }
                }
            }
        }
        if !found {
            return None;
        }
    }
    let mut by_list: BTreeMap<u8, Vec<Y>> = BTreeMap::new();
    for ((list, cname), ports) in items {
        by_list.entry(list).or_default().push(Y::Map(vec![
            e("name", s(&cname)),
            e("ports", Y::List(ports)),
        ]));
    }
    let entries = by_list
        .into_iter()
        .map(|(list, l)| {
            e(
                if list == 1 {
                    "initContainers"
                } else {
                    "containers"
                },
                Y::List(l),
            )
        })
        .collect();
    Some(MovedPorts { entries, moves })
}

// ---- messages -------------------------------------------------------------------------------

/// The registry host of an image reference (Docker Hub when the first part is not a host).
// Mirrors github.com/distribution/reference (normalize.go splitDockerDomain)
fn registry_of(image: &str) -> &str {
    match image.split_once('/') {
        Some((first, _)) if first.contains('.') || first.contains(':') || first == "localhost" => {
            first
        }
        _ => "docker.io",
    }
}

/// `configmap "x" not found` / `secret "x" not found`, as the kubelet words it.
// Mirrors pkg/kubelet/kubelet_pods.go (makeEnvironmentVariables) and the volume plugins' errors.
fn missing_object(msg: &str) -> Option<(&'static str, String)> {
    for kind in ["configmap", "secret"] {
        let pat = format!("{kind} \"");
        if let Some(i) = msg.find(&pat) {
            let rest = &msg[i + pat.len()..];
            if let Some(end) = rest.find('"')
                && rest[end..].starts_with("\" not found")
            {
                return Some((kind, rest[..end].to_owned()));
            }
        }
    }
    None
}

/// `couldn't find key K in ConfigMap ns/x` -> (K, ConfigMap, x).
fn missing_key(msg: &str) -> Option<(String, &'static str, String)> {
    let rest = msg.split("couldn't find key ").nth(1)?;
    let (key, rest) = rest.split_once(" in ")?;
    let (kind, rest) = if let Some(r) = rest.strip_prefix("ConfigMap ") {
        ("ConfigMap", r)
    } else {
        ("Secret", rest.strip_prefix("Secret ")?)
    };
    let obj = rest.split_whitespace().next()?;
    let obj = obj.rsplit('/').next()?.trim_end_matches([',', '.', ':']);
    Some((key.to_owned(), kind, obj.to_owned()))
}

/// `violates PodSecurity "baseline:latest": <violations>` -> (level, violations).
// Mirrors staging/src/k8s.io/pod-security-admission/admission/admission.go (violations message)
fn pod_security(msg: &str) -> Option<(String, String)> {
    let rest = msg.split("violates PodSecurity \"").nth(1)?;
    let (policy, violations) = rest.split_once('"')?;
    let level = policy.split(':').next()?.to_owned();
    let violations = violations.trim_start_matches(':').trim().to_owned();
    Some((level, violations))
}

/// The least permissive level that admits the pod: baseline when only restricted-level rules are
/// broken, privileged otherwise.
// Mirrors staging/src/k8s.io/pod-security-admission/policy (check_*.go: which checks belong to baseline)
fn needed_pod_security_level(level: &str, violations: &str) -> &'static str {
    const BASELINE_CHECKS: &[&str] = &[
        "host namespaces",
        "privileged",
        "non-default capabilities",
        "hostPath volumes",
        "hostPort",
        "AppArmor",
        "seLinuxOptions",
        "procMount",
        "sysctls",
        "Unconfined",
        "windowsOptions",
    ];
    if level == "restricted" && !BASELINE_CHECKS.iter().any(|c| violations.contains(c)) {
        "baseline"
    } else {
        "privileged"
    }
}

/// `error looking up service account ns/sa: ...` -> sa.
// Mirrors plugin/pkg/admission/serviceaccount/admission.go (Admit: "error looking up service account %s/%s: %v")
fn missing_service_account(msg: &str) -> Option<String> {
    let rest = msg.split("error looking up service account ").nth(1)?;
    let id = rest.split(':').next()?;
    Some(id.rsplit('/').next()?.to_owned())
}

fn webhook(msg: &str) -> Option<String> {
    let rest = msg
        .split("admission webhook \"")
        .nth(1)
        .or_else(|| msg.split("failed calling webhook \"").nth(1))?;
    Some(rest.split('"').next()?.to_owned())
}

/// `exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2`.
// Mirrors staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go (checkRequest)
struct QuotaRefusal {
    name: String,
    requested: Vec<(String, String)>,
    used: BTreeMap<String, String>,
    limited: BTreeMap<String, String>,
}

impl QuotaRefusal {
    fn parse(msg: &str) -> Option<QuotaRefusal> {
        let rest = msg.split("exceeded quota: ").nth(1)?;
        let (name, rest) = rest.split_once(", requested: ")?;
        let (requested, rest) = rest.split_once(", used: ")?;
        let (used, limited) = rest.split_once(", limited: ")?;
        let pairs = |s: &str| -> Vec<(String, String)> {
            s.split(',')
                .filter_map(|kv| kv.trim().split_once('='))
                .map(|(k, v)| (k.to_owned(), v.trim().to_owned()))
                .collect()
        };
        Some(QuotaRefusal {
            name: name.trim().to_owned(),
            requested: pairs(requested),
            used: pairs(used).into_iter().collect(),
            limited: pairs(limited).into_iter().collect(),
        })
    }

    /// The hard limits that admit `pods` more pods of this size: max(limit, used + pods * request).
    fn hard_for(&self, pods: usize) -> BTreeMap<String, String> {
        let amount = |s: Option<&String>| {
            s.and_then(|v| quantity::parse(v).ok())
                .unwrap_or(Amount::ZERO)
        };
        self.requested
            .iter()
            .map(|(k, req)| {
                let need = amount(self.used.get(k))
                    .saturating_add(Amount(amount(Some(req)).0.saturating_mul(pods as i128)));
                let hard = need.max(amount(self.limited.get(k)));
                (k.clone(), quota_text(k, hard))
            })
            .collect()
    }
}

fn quota_text(key: &str, amount: Amount) -> String {
    if key.ends_with("cpu") {
        format_resource("cpu", amount.milli_value())
    } else if key.ends_with("memory") || key.ends_with("storage") || key.contains("hugepages-") {
        format_resource("memory", amount.value())
    } else {
        amount.value().to_string()
    }
}

// ---- YAML -----------------------------------------------------------------------------------

/// A tiny ordered YAML writer: keys stay in the order Kubernetes users read them (key, operator,
/// value, effect), comments can explain a line, and scalars are quoted whenever a YAML 1.1
/// reader (kubectl's) could take them for anything but a string.
mod yaml {
    #[derive(Debug, Clone, PartialEq)]
    pub enum Y {
        Str(String),
        Int(i64),
        Null,
        Map(Vec<Entry>),
        List(Vec<Y>),
    }

    #[derive(Debug, Clone, PartialEq)]
    pub struct Entry {
        pub key: String,
        pub value: Y,
        pub comment: Option<String>,
    }

    impl Entry {
        pub fn note(mut self, comment: &str) -> Entry {
            self.comment = Some(comment.to_owned());
            self
        }
    }

    pub fn e(key: &str, value: Y) -> Entry {
        Entry {
            key: key.to_owned(),
            value,
            comment: None,
        }
    }

    pub fn s(v: impl AsRef<str>) -> Y {
        Y::Str(v.as_ref().to_owned())
    }

    pub fn emit(root: &Y) -> String {
        let mut out = String::new();
        match root {
            Y::Map(m) if !m.is_empty() => entries(&mut out, m, 0, false),
            Y::List(l) if !l.is_empty() => list(&mut out, l, 0),
            other => {
                out.push_str(&inline(other));
                out.push('\n');
            }
        }
        out
    }

    fn comment(c: &Option<String>) -> String {
        c.as_ref()
            .map(|c| format!("  # {}", c.replace('\n', " ")))
            .unwrap_or_default()
    }

    fn entries(out: &mut String, m: &[Entry], indent: usize, dash_first: bool) {
        for (i, en) in m.iter().enumerate() {
            let pad = if i == 0 && dash_first {
                format!("{}- ", " ".repeat(indent.saturating_sub(2)))
            } else {
                " ".repeat(indent)
            };
            let key = scalar(&en.key);
            let c = comment(&en.comment);
            match &en.value {
                Y::Map(inner) if !inner.is_empty() => {
                    out.push_str(&format!("{pad}{key}:{c}\n"));
                    entries(out, inner, indent + 2, false);
                }
                Y::List(items) if !items.is_empty() => {
                    out.push_str(&format!("{pad}{key}:{c}\n"));
                    list(out, items, indent);
                }
                v => out.push_str(&format!("{pad}{key}: {}{c}\n", inline(v))),
            }
        }
    }

    fn list(out: &mut String, items: &[Y], indent: usize) {
        for item in items {
            match item {
                Y::Map(m) if !m.is_empty() => entries(out, m, indent + 2, true),
                Y::List(l) if !l.is_empty() => {
                    out.push_str(&format!("{}-\n", " ".repeat(indent)));
                    list(out, l, indent + 2);
                }
                v => out.push_str(&format!("{}- {}\n", " ".repeat(indent), inline(v))),
            }
        }
    }

    fn inline(v: &Y) -> String {
        match v {
            Y::Str(x) => scalar(x),
            Y::Int(n) => n.to_string(),
            Y::Null => "null".to_owned(),
            Y::Map(_) => "{}".to_owned(),
            Y::List(_) => "[]".to_owned(),
        }
    }

    /// A string as a YAML scalar: plain when no reader could mistake it, else double-quoted.
    pub fn scalar(x: &str) -> String {
        if is_plain(x) {
            x.to_owned()
        } else {
            serde_json::to_string(x).unwrap_or_else(|_| format!("\"{x}\""))
        }
    }

    fn is_plain(x: &str) -> bool {
        let Some(first) = x.chars().next() else {
            return false;
        };
        if !(first.is_ascii_alphanumeric() || first == '/' || first == '$') {
            return false;
        }
        if !x
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/-:=+@$".contains(c))
        {
            return false;
        }
        if x.ends_with(':') {
            return false;
        }
        // YAML 1.1 booleans and nulls (go-yaml, which kubectl uses, still reads them).
        const SPECIAL: &[&str] = &[
            "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
        ];
        if SPECIAL.contains(&x.to_ascii_lowercase().as_str()) {
            return false;
        }
        // Anything number-like (ints, floats, hex, octal, sexagesimal 1:20) stays a string only quoted.
        let numberish = x
            .chars()
            .all(|c| c.is_ascii_digit() || "._:+-eExXoObBaAcCdDfF".contains(c));
        !(first.is_ascii_digit() && numberish)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{AffinityTermMismatch, NodeFacts};
    use crate::snapshot::{EventRecord, Snapshot};
    use k8s_openapi::api::core::v1::Pod;
    use serde_json::{Value, json};

    const NS: &str = "ops";
    const DS: &str = "agent";

    fn node(name: &str, labels: Value, taints: Value, allocatable: Value, ready: &str) -> Node {
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

    fn plain_node(name: &str) -> Node {
        node(
            name,
            json!({"kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}),
            json!([]),
            json!({"cpu": "2", "memory": "4Gi", "pods": "110"}),
            "True",
        )
    }

    fn daemonset(pod_spec: Value, strategy: &str) -> DaemonSet {
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

    fn one_container(extra: Value) -> Value {
        let mut c = json!({"name": "agent", "image": "example.com/agent:1"});
        if let (Some(c), Some(extra)) = (c.as_object_mut(), extra.as_object()) {
            for (k, v) in extra {
                c.insert(k.clone(), v.clone());
            }
        }
        json!({"containers": [c]})
    }

    fn pod(name: &str, ns: &str, node: &str, spec: Value, owner: Option<(&str, &str)>) -> Pod {
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

    fn taint(key: &str, value: Option<&str>, effect: &str) -> Finding {
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

    fn event(reason: &str, message: &str) -> Finding {
        Finding::Event {
            reason: reason.into(),
            source: "daemonset-controller".into(),
            message: message.into(),
            count: 1,
            last_seen: None,
        }
    }

    fn container_problem(
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

    fn insufficient(resource: &str, requested: &str, allocatable: &str, already: &str) -> Finding {
        Finding::InsufficientResource {
            resource: resource.into(),
            requested: requested.into(),
            allocatable: allocatable.into(),
            already_requested: already.into(),
            pods_on_node: 2,
        }
    }

    struct Case {
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

    fn case(name: &'static str, status: NodeStatus, findings: Vec<Finding>) -> Case {
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
        fn spec(mut self, spec: Value) -> Self {
            self.spec = spec;
            self
        }
        fn strategy(mut self, s: &'static str) -> Self {
            self.strategy = s;
            self
        }
        fn nodes(mut self, nodes: Vec<Node>) -> Self {
            self.nodes = nodes;
            self
        }
        fn pods(mut self, pods: Vec<Pod>) -> Self {
            self.pods = pods;
            self
        }
        fn pod(mut self, p: &'static str) -> Self {
            self.pod = Some(p);
            self
        }
        fn others(mut self, o: Vec<(NodeStatus, Vec<Finding>)>) -> Self {
            self.others = o;
            self
        }
        fn want(mut self, w: &[&'static str]) -> Self {
            self.want.extend_from_slice(w);
            self
        }
        fn absent(mut self, a: &[&'static str]) -> Self {
            self.absent.extend_from_slice(a);
            self
        }
    }

    fn node_report(
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
            pods: Vec::new(),
            findings,
            node_facts: NodeFacts::default(),
            advice: Vec::new(),
        }
    }

    /// Runs `explain` for the case's first node and returns that node's advice.
    fn run(c: &Case) -> Vec<Advice> {
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
            status: Default::default(),
            counts: Default::default(),
            notes: Vec::new(),
            events_unavailable: None,
            nodes,
        };
        explain(&cluster, &ds, &mut report);
        report.nodes.swap_remove(0).advice
    }

    /// Every piece of advice as `label: text` lines, for matching.
    fn flatten(advice: &[Advice]) -> String {
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

    fn check(c: &Case) {
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

    #[test]
    fn taint_advice() {
        let gpu = node(
            "gpu-1",
            json!({"kubernetes.io/hostname": "gpu-1"}),
            json!([{"key": "nvidia.com/gpu", "value": "present", "effect": "NoSchedule"}]),
            json!({}),
            "True",
        );
        let cases = vec![
            case("valued taint: Equal toleration and removal", NodeStatus::Ineligible, vec![taint("nvidia.com/gpu", Some("present"), "NoSchedule")])
                .nodes(vec![gpu.clone()])
                .want(&[
                    "about: taint nvidia.com/gpu=present:NoSchedule\n",
                    "check: kubectl get node gpu-1 -o jsonpath='{.spec.taints}'\n",
                    "check: kubectl get daemonset agent -n ops -o jsonpath='{.spec.template.spec.tolerations}'\n",
                    "fix: to run agent on gpu-1, tolerate the taint in the pod template\n",
                    "      tolerations:\n      - key: nvidia.com/gpu\n        operator: Equal\n        value: present\n        effect: NoSchedule\n",
                    "fix-cmd: kubectl patch daemonset agent -n ops --patch-file fix.yaml\n",
                    "alt-cmd: kubectl taint nodes gpu-1 nvidia.com/gpu=present:NoSchedule-\n",
                    "note: nothing is wrong if agent is not meant to run on gpu-1",
                ])
                .absent(&["# kept", "# added"]),
            case("taint without value: Exists toleration", NodeStatus::Ineligible, vec![taint("dedicated", None, "NoSchedule")])
                .want(&[
                    "      - key: dedicated\n        operator: Exists\n        effect: NoSchedule\n",
                    "alt-cmd: kubectl taint nodes w-1 dedicated:NoSchedule-\n",
                ])
                .absent(&["value:"]),
            case("existing tolerations are kept, since a patch replaces the list", NodeStatus::Ineligible, vec![taint("a", Some("1"), "NoSchedule")])
                .spec(json!({"containers": [{"name": "agent"}], "tolerations": [{"key": "cp", "operator": "Exists", "effect": "NoSchedule"}, {"operator": "Exists", "tolerationSeconds": 30, "effect": "NoExecute"}]}))
                .want(&[
                    "      - key: cp  # kept: a patch replaces the whole list\n        operator: Exists\n        effect: NoSchedule\n      - operator: Exists\n        effect: NoExecute\n        tolerationSeconds: 30\n      - key: a  # added\n        operator: Equal\n        value: \"1\"\n",
                ]),
            case("every untolerated taint in one toleration list and one taint command", NodeStatus::Ineligible, vec![taint("a", Some("x"), "NoSchedule"), taint("b", None, "NoExecute")])
                .want(&[
                    "about: taints a=x:NoSchedule, b:NoExecute\n",
                    "      - key: a\n        operator: Equal\n        value: x\n        effect: NoSchedule\n      - key: b\n        operator: Exists\n        effect: NoExecute\n",
                    "alt-cmd: kubectl taint nodes w-1 a=x:NoSchedule- b:NoExecute-\n",
                    "note: b:NoExecute is NoExecute: it also evicts running pods",
                ]),
            case("control-plane taint carries a caveat", NodeStatus::Ineligible, vec![taint("node-role.kubernetes.io/control-plane", None, "NoSchedule")])
                .want(&["note: node-role.kubernetes.io/control-plane keeps ordinary workloads off control-plane nodes"]),
            case("condition taint: repair the node, never remove the taint", NodeStatus::Ineligible, vec![taint("node.kubernetes.io/unreachable", None, "NoSchedule")])
                .want(&[
                    "fix: bring w-1 back to Ready",
                    "fix-cmd: sudo systemctl restart kubelet  # on w-1\n",
                    "check: journalctl -u kubelet -e  # on w-1\n",
                    "alt: tolerate it, as node agents that must run on an unhealthy node do",
                    "      - key: node.kubernetes.io/unreachable\n        operator: Exists\n",
                    "removing it by hand does not last",
                ])
                .absent(&["kubectl taint nodes"]),
            case("a node with both kinds of taint gets both pieces of advice", NodeStatus::Ineligible, vec![taint("node.kubernetes.io/not-ready", None, "NoSchedule"), taint("a", Some("x"), "NoSchedule")])
                .want(&["about: taint a=x:NoSchedule\n", "about: taint node.kubernetes.io/not-ready:NoSchedule\n", "w-1 also has node.kubernetes.io/not-ready:NoSchedule"]),
            case("misscheduled on a NoSchedule taint: the pod stays, or delete it", NodeStatus::Misscheduled, vec![taint("maintenance", Some("planned"), "NoSchedule")])
                .pod("agent-x")
                .want(&[
                    "fix: to keep agent on w-1, tolerate the taint",
                    "alt-cmd: kubectl delete pod agent-x -n ops\n",
                    "note: pod agent-x keeps running on w-1",
                ]),
            case("misscheduled on a NoExecute taint: the controller deletes it", NodeStatus::Misscheduled, vec![taint("maintenance", None, "NoExecute")])
                .pod("agent-x")
                .want(&["note: the controller deletes pod agent-x"])
                .absent(&["kubectl delete pod"]),
        ];
        for c in &cases {
            check(c);
        }
    }

    #[test]
    fn placement_advice() {
        let labelled = |labels: Value| node("w-1", labels, json!([]), json!({}), "True");
        let affinity = |exprs: Value| json!({"containers": [{"name": "agent"}], "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": exprs}]}}}});
        let mismatch = |expression: &str, value: Option<&str>| Finding::NodeAffinityMismatch {
            terms: vec![AffinityTermMismatch {
                term: 0,
                expression: expression.into(),
                node_value: value.map(Into::into),
            }],
        };
        let sel = |key: &str, wanted: &str, actual: Option<&str>| Finding::NodeSelectorMismatch {
            key: key.into(),
            wanted: wanted.into(),
            actual: actual.map(Into::into),
        };
        let cases = vec![
            case("nodeSelector, label absent: label the node, or drop the key", NodeStatus::Ineligible, vec![sel("disk", "ssd", None)])
                .want(&[
                    "check: kubectl get node w-1 -L disk\n",
                    "check: kubectl get nodes -l disk=ssd\n",
                    "fix-cmd: kubectl label node w-1 disk=ssd\n",
                    "      nodeSelector:\n        disk: null  # null removes the key",
                ])
                .absent(&["--overwrite"]),
            case("nodeSelector, other value: relabelling needs --overwrite", NodeStatus::Ineligible, vec![sel("disk", "ssd", Some("hdd"))])
                .want(&["fix-cmd: kubectl label node w-1 disk=ssd --overwrite\n"]),
            case("nodeSelector on a label that describes the machine: no relabelling", NodeStatus::Ineligible, vec![sel("kubernetes.io/os", "linux", Some("windows"))])
                .want(&["note: kubernetes.io/os describes the machine itself", "second DaemonSet with nodeSelector kubernetes.io/os: windows"])
                .absent(&["fix:", "alt:", "kubectl label"]),
            case("nodeAffinity In, label absent: label, or add a term naming the node", NodeStatus::Ineligible, vec![mismatch("gpu In [true]", None)])
                .spec(affinity(json!([{"key": "gpu", "operator": "In", "values": ["true"]}])))
                .nodes(vec![labelled(json!({"kubernetes.io/hostname": "w-1"})), labelled(json!({"gpu": "true"}))])
                .want(&[
                    "about: nodeAffinity gpu In [true]\n",
                    "check: kubectl get node w-1 -L gpu\n",
                    "check: kubectl get nodes -l 'gpu in (true)'\n",
                    "note: term 0 fails on gpu In [true] (w-1 has no label gpu)\n",
                    "fix-cmd: kubectl label node w-1 gpu=true\n",
                    "alt: add a term that names w-1 to the required nodeAffinity",
                    "            nodeSelectorTerms:  # the whole list: a patch replaces it\n            - matchExpressions:\n              - key: gpu\n                operator: In\n                values:\n                - \"true\"\n            - matchExpressions:  # added\n              - key: kubernetes.io/hostname\n                operator: In\n                values:\n                - w-1\n",
                ])
                .absent(&["it also admits"]),
            case("nodeAffinity In, other value: the relaxed term lists both values", NodeStatus::Ineligible, vec![mismatch("gpu In [true]", Some("false"))])
                .spec(affinity(json!([{"key": "gpu", "operator": "In", "values": ["true"]}])))
                .nodes(vec![
                    labelled(json!({"gpu": "false"})),
                    node("w-2", json!({"gpu": "false"}), json!([]), json!({}), "True"),
                ])
                .want(&[
                    "fix-cmd: kubectl label node w-1 gpu=true --overwrite\n",
                    "alt: relax term 0 of the required nodeAffinity so w-1 matches it; it also admits w-2\n",
                    "              - key: gpu  # was: gpu In [true]\n                operator: In\n                values:\n                - \"true\"\n                - \"false\"\n",
                ]),
            case("nodeAffinity NotIn: take the label off", NodeStatus::Ineligible, vec![mismatch("tier NotIn [db]", Some("db"))])
                .spec(affinity(json!([{"key": "tier", "operator": "NotIn", "values": ["db"]}, {"key": "zone", "operator": "Exists"}])))
                .nodes(vec![labelled(json!({"tier": "db", "zone": "a"}))])
                .want(&["fix-cmd: kubectl label node w-1 tier-\n", "alt: relax term 0", "              - key: zone\n                operator: Exists\n"])
                .absent(&["key: tier"]),
            case("nodeAffinity on a machine label: no relabelling, only the relaxed term", NodeStatus::Ineligible, vec![mismatch("kubernetes.io/arch In [arm64]", Some("amd64"))])
                .spec(affinity(json!([{"key": "kubernetes.io/arch", "operator": "In", "values": ["arm64"]}])))
                .nodes(vec![labelled(json!({"kubernetes.io/arch": "amd64"}))])
                .want(&["fix: relax term 0"])
                .absent(&["kubectl label"]),
            case("template nodeName: remove it", NodeStatus::Ineligible, vec![Finding::NodeNameMismatch { wanted: "w-9".into() }])
                .want(&["about: nodeName w-9\n", "      nodeName: null", "check: kubectl get daemonset agent -n ops -o jsonpath='{.spec.template.spec.nodeName}'\n"]),
            case("misscheduled on a selector: the controller deletes the pod", NodeStatus::Misscheduled, vec![sel("disk", "ssd", None)])
                .pod("agent-x")
                .want(&["note: the controller deletes pod agent-x", "fix: to keep agent on w-1, label the node disk=ssd"]),
            case("cordoned node: uncordon", NodeStatus::Pending, vec![Finding::NodeCordoned])
                .want(&["fix-cmd: kubectl uncordon w-1\n"]),
        ];
        for c in &cases {
            check(c);
        }
    }

    #[test]
    fn resource_and_port_advice() {
        let small = node(
            "small-1",
            json!({}),
            json!([]),
            json!({"cpu": "500m", "memory": "512Mi", "pods": "110", "example.com/fpga": "2"}),
            "True",
        );
        let hog = |name: &str, cpu: &str| {
            pod(
                name,
                "other",
                "small-1",
                json!({"containers": [{"name": "c", "resources": {"requests": {"cpu": cpu, "memory": "36Mi"}}}]}),
                None,
            )
        };
        let holder = pod(
            "exporter-a-1",
            "mon",
            "small-1",
            json!({"containers": [{"name": "e", "ports": [{"containerPort": 9100, "hostPort": 9100}, {"containerPort": 9101, "hostPort": 9101}]}]}),
            Some(("DaemonSet", "exporter-a")),
        );
        let conflict = Finding::HostPortConflict {
            port: 9100,
            protocol: "TCP".into(),
            host_ip: "0.0.0.0".into(),
            held_by: "mon/exporter-a-1".into(),
        };
        let cases = vec![
            case("cpu and memory: the largest requests that fit, in one patch", NodeStatus::Pending, vec![insufficient("cpu", "1", "500m", "40m"), insufficient("memory", "1Gi", "512Mi", "72Mi")])
                .spec(one_container(json!({"resources": {"requests": {"cpu": "1", "memory": "1Gi"}}})))
                .nodes(vec![small.clone()])
                .pods(vec![hog("a", "20m"), hog("b", "20m")])
                .want(&[
                    "about: Insufficient cpu, Insufficient memory\n",
                    "check: kubectl describe node small-1  # Allocated resources\n",
                    "check: kubectl get pods -A --field-selector spec.nodeName=small-1 -o 'custom-columns=",
                    "fix: lower the pod's requests to what small-1 has free now: cpu 460m, memory 440Mi (the largest that fit)\n",
                    "      containers:\n      - name: agent\n        resources:\n          requests:\n            cpu: 460m  # was 1\n            memory: 440Mi  # was 1Gi\n",
                    "note: the pod asks for more than small-1 has in total",
                ])
                .absent(&["make room"]),
            case("two containers are scaled together so their sum fits", NodeStatus::Pending, vec![insufficient("cpu", "600m", "500m", "100m")])
                .spec(json!({"containers": [
                    {"name": "a", "resources": {"requests": {"cpu": "400m"}}},
                    {"name": "b", "resources": {"limits": {"cpu": "200m"}}},
                ]}))
                .nodes(vec![small.clone()])
                .want(&[
                    "fix: lower the pod's requests to what small-1 has free now: cpu 399m",
                    "      - name: a\n        resources:\n          requests:\n            cpu: 266m  # was 400m\n",
                    "      - name: b\n        resources:\n          requests:\n            cpu: 133m  # was 200m\n",
                    "note: the pod asks for more than small-1 has in total",
                ]),
            case("extended resources move request and limit together", NodeStatus::Pending, vec![insufficient("example.com/fpga", "2", "2", "1")])
                .spec(one_container(json!({"resources": {"requests": {"example.com/fpga": "2"}, "limits": {"example.com/fpga": "2"}}})))
                .nodes(vec![small.clone()])
                .want(&["            example.com/fpga: \"1\"  # was 2\n          limits:\n            example.com/fpga: \"1\"  # must equal the request\n"]),
            case("nothing left: no request fits", NodeStatus::Pending, vec![insufficient("cpu", "100m", "500m", "500m")])
                .nodes(vec![small.clone()])
                .want(&["note: no cpu is left on small-1: 500m of 500m is already requested by 2 pods", "note: no request fits on small-1 as it is"])
                .absent(&["fix:"]),
            case("too many pods: the kubelet's maxPods", NodeStatus::Pending, vec![Finding::TooManyPods { allocatable: 110, pods_on_node: 110 }])
                .nodes(vec![small.clone()])
                .want(&["about: Too many pods\n", "alt: small-1 allows 110 pods and runs 110: raise the kubelet's maxPods"]),
            case("host port: move to the next port no pod uses, or remove the other DaemonSet", NodeStatus::Pending, vec![conflict.clone()])
                .spec(one_container(json!({"ports": [{"name": "metrics", "containerPort": 9100, "hostPort": 9100}]})))
                .nodes(vec![small.clone()])
                .pods(vec![holder.clone()])
                .want(&[
                    "about: host port 9100/TCP\n",
                    "check: kubectl get pods -A -o wide --field-selector spec.nodeName=small-1\n",
                    "check: kubectl get pod exporter-a-1 -n mon -o jsonpath='{.spec.containers[*].ports}'\n",
                    "fix: move agent's host port 9100 to 9102",
                    "      containers:\n      - name: agent\n        ports:\n        - containerPort: 9100\n          hostPort: 9102  # was 9100\n",
                    "alt-cmd: kubectl delete daemonset exporter-a -n mon\n",
                ]),
            case("host port with hostNetwork: the container port moves too", NodeStatus::Pending, vec![conflict])
                .spec(json!({"hostNetwork": true, "containers": [{"name": "agent", "ports": [{"name": "metrics", "containerPort": 9100}]}]}))
                .nodes(vec![small])
                .pods(vec![holder])
                .want(&[
                    "        - containerPort: 9100  # the old entry goes\n          $patch: delete\n        - name: metrics\n          containerPort: 9102  # was 9100\n          protocol: TCP\n",
                    "note: agent uses hostNetwork, so the container itself listens on the node's port",
                ]),
        ];
        for c in &cases {
            check(c);
        }
    }

    #[test]
    fn pod_state_advice() {
        let win = node(
            "win-1",
            json!({"kubernetes.io/os": "windows", "kubernetes.io/arch": "amd64"}),
            json!([]),
            json!({}),
            "True",
        );
        let cases = vec![
            case("image not found: set the image", NodeStatus::Failing, vec![container_problem("ImagePullBackOff", "Back-off pulling image: example.com/agent:1: not found", None, None)])
                .pod("agent-x")
                .want(&[
                    "about: ImagePullBackOff (container agent)\n",
                    "check: kubectl describe pod agent-x -n ops\n",
                    "check: kubectl get pod agent-x -n ops -o jsonpath='{.status.containerStatuses[?(@.name==\"agent\")].state}'\n",
                    "check: kubectl get events -n ops --field-selector involvedObject.name=agent-x\n",
                    "fix-cmd: kubectl set image daemonset/agent -n ops agent=<image:tag>\n",
                    "note: example.com/agent:1 does not exist in the registry",
                ]),
            case("registry refuses: a pull secret", NodeStatus::Failing, vec![container_problem("ErrImagePull", "pull access denied, repository does not exist or may require authorization: 401 Unauthorized", None, None)])
                .pod("agent-x")
                .want(&[
                    "fix-cmd: kubectl create secret docker-registry regcred -n ops --docker-server=example.com --docker-username=<user> --docker-password=<password>\n",
                    "      imagePullSecrets:\n      - name: regcred",
                    "fix-cmd: kubectl patch daemonset agent -n ops --patch-file fix.yaml\n",
                ]),
            case("no build for the node's platform: keep the DaemonSet off it", NodeStatus::Failing, vec![container_problem("ImagePullBackOff", "no matching manifest for windows(10.0.20348)/amd64 in the manifest list entries", None, None)])
                .pod("agent-x")
                .nodes(vec![win, plain_node("w-1")])
                .others(vec![(NodeStatus::Running, Vec::new())])
                .want(&["      nodeSelector:\n        kubernetes.io/os: linux\n", "note: image example.com/agent:1 has no build for win-1's platform (windows/amd64)"]),
            case("never pull: let the kubelet pull", NodeStatus::Failing, vec![container_problem("ErrImageNeverPull", "Container image is not present with pull policy of Never", None, None)])
                .pod("agent-x")
                .want(&["        imagePullPolicy: IfNotPresent\n"]),
            case("crash loop: the previous logs", NodeStatus::Failing, vec![container_problem("CrashLoopBackOff", "back-off 5m0s", Some(1), Some("Error"))])
                .pod("agent-x")
                .want(&["check: kubectl logs agent-x -n ops -c agent --previous\n", "note: the container itself exits with code 1"])
                .absent(&["fix:"]),
            case("command not found: check the command", NodeStatus::Failing, vec![container_problem("CrashLoopBackOff", "", Some(127), Some("Error"))])
                .pod("agent-x")
                .want(&["check: kubectl get daemonset agent -n ops -o jsonpath='{.spec.template.spec.containers[?(@.name==\"agent\")].command}'\n"]),
            case("OOMKilled with a limit: double it", NodeStatus::Failing, vec![container_problem("CrashLoopBackOff", "", Some(137), Some("OOMKilled"))])
                .spec(one_container(json!({"resources": {"limits": {"memory": "64Mi"}}})))
                .pod("agent-x")
                .want(&["fix: raise agent's memory limit: it was killed for going over 64Mi; 128Mi is a starting point", "            memory: 128Mi  # was 64Mi\n", "check: kubectl top pod agent-x -n ops --containers\n"]),
            case("OOMKilled without a limit: the node ran out", NodeStatus::Failing, vec![container_problem("OOMKilled", "", Some(137), Some("OOMKilled"))])
                .pod("agent-x")
                .want(&["note: agent has no memory limit of its own"])
                .absent(&["fix:"]),
            case("missing configmap: create it", NodeStatus::Failing, vec![container_problem("CreateContainerConfigError", "configmap \"agent-config\" not found", None, None)])
                .pod("agent-x")
                .want(&["check: kubectl get configmap agent-config -n ops\n", "fix-cmd: kubectl create configmap agent-config -n ops --from-literal=<key>=<value>\n"]),
            case("missing secret key: add it", NodeStatus::Failing, vec![container_problem("CreateContainerConfigError", "couldn't find key token in Secret ops/agent-secret", None, None)])
                .pod("agent-x")
                .want(&["fix-cmd: kubectl patch secret agent-secret -n ops --type merge -p '{\"stringData\":{\"token\":\"<value>\"}}'\n"]),
            case("runAsNonRoot against a root image: a numeric user", NodeStatus::Failing, vec![container_problem("CreateContainerConfigError", "container has runAsNonRoot and image will run as root", None, None)])
                .pod("agent-x")
                .want(&["          runAsUser: 65534"]),
            case("evicted: node pressure", NodeStatus::Failing, vec![Finding::PodFailed { reason: Some("Evicted".into()), message: Some("The node was low on resource: memory.".into()) }])
                .pod("agent-x")
                .want(&["about: pod Evicted\n", "check: kubectl describe node w-1  # Conditions\n", "check: kubectl get events -n ops --field-selector involvedObject.name=agent\n", "note: the controller deletes a failed pod and creates a new one"]),
            case("kubelet admission refusal", NodeStatus::Failing, vec![Finding::PodFailed { reason: Some("OutOfcpu".into()), message: None }])
                .pod("agent-x")
                .want(&["note: the kubelet on w-1 refused the pod at admission"]),
            case("not ready yet: readiness", NodeStatus::Starting, vec![Finding::PodNotReady { detail: "container agent running but not Ready yet (readiness probe not passing)".into() }])
                .pod("agent-x")
                .want(&["check: kubectl get daemonset agent -n ops -o jsonpath='{.spec.template.spec.containers[*].readinessProbe}'\n", "note: Starting is often only a moment"]),
            case("volume mount of a missing configmap", NodeStatus::Starting, vec![Finding::Event { reason: "FailedMount".into(), source: "kubelet".into(), message: "MountVolume.SetUp failed for volume \"cfg\" : configmap \"cfg\" not found".into(), count: 3, last_seen: None }])
                .pod("agent-x")
                .want(&["fix-cmd: kubectl create configmap cfg -n ops"]),
            case("scheduler refusal not modelled: its own words", NodeStatus::Pending, vec![Finding::NotModelled { detail: "cause not among the checks kubectl-ds models".into() }])
                .pod("agent-x")
                .want(&["check: kubectl describe pod agent-x -n ops\n", "check: kubectl get events -n ops --field-selector involvedObject.name=agent-x\n"]),
        ];
        for c in &cases {
            check(c);
        }
    }

    #[test]
    fn admission_node_and_rollout_advice() {
        let psa = |msg: &str| vec![event("FailedCreate", msg)];
        let quota = "Error creating: pods \"agent-1\" is forbidden: exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2";
        let cpu_quota = "Error creating: pods \"agent-1\" is forbidden: exceeded quota: compute, requested: requests.cpu=100m,requests.memory=64Mi, used: requests.cpu=1950m,requests.memory=1Gi, limited: requests.cpu=2,requests.memory=2Gi";
        let down = node("w-1", json!({}), json!([]), json!({}), "Unknown");
        let cases = vec![
            case("PodSecurity baseline: privileged namespace", NodeStatus::Missing, psa("Error creating: pods \"agent-1\" is forbidden: violates PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true), privileged (container \"agent\" must not set securityContext.privileged=true)"))
                .want(&[
                    "about: FailedCreate (PodSecurity)\n",
                    "check: kubectl describe daemonset agent -n ops\n",
                    "check: kubectl get events -n ops --field-selector involvedObject.name=agent\n",
                    "check: kubectl get namespace ops -L pod-security.kubernetes.io/enforce\n",
                    "fix-cmd: kubectl label namespace ops pod-security.kubernetes.io/enforce=privileged --overwrite\n",
                    "note: this relaxes the policy for every pod in ops",
                ]),
            case("PodSecurity restricted, restricted-only violations: baseline is enough", NodeStatus::Missing, psa("violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"agent\" must set securityContext.allowPrivilegeEscalation=false), runAsNonRoot != true (pod or container \"agent\" must set securityContext.runAsNonRoot=true)"))
                .want(&["fix-cmd: kubectl label namespace ops pod-security.kubernetes.io/enforce=baseline --overwrite\n"]),
            case("pod quota: raised for every refused node", NodeStatus::Missing, psa(quota))
                .others(vec![(NodeStatus::Missing, psa(quota)), (NodeStatus::Missing, psa(quota)), (NodeStatus::Running, Vec::new())])
                .want(&[
                    "about: FailedCreate (ResourceQuota)\n",
                    "check: kubectl describe resourcequota pod-count -n ops\n",
                    "fix: raise quota pod-count to pods=5 so all 3 refused pods fit\n",
                    "fix-cmd: kubectl patch resourcequota pod-count -n ops --type merge -p '{\"spec\":{\"hard\":{\"pods\":\"5\"}}}'\n",
                ]),
            case("compute quota: quantities add up", NodeStatus::Missing, psa(cpu_quota))
                .want(&["fix-cmd: kubectl patch resourcequota compute -n ops --type merge -p '{\"spec\":{\"hard\":{\"requests.cpu\":\"2050m\",\"requests.memory\":\"2Gi\"}}}'\n"]),
            case("compute quota for three refused pods: room for all", NodeStatus::Missing, psa(cpu_quota))
                .others(vec![(NodeStatus::Missing, psa(cpu_quota)), (NodeStatus::Missing, psa(cpu_quota))])
                .want(&["\"requests.cpu\":\"2250m\",\"requests.memory\":\"2Gi\""]),
            case("missing ServiceAccount: create it", NodeStatus::Missing, psa("Error creating: pods \"agent-\" is forbidden: error looking up service account ops/agent-sa: serviceaccount \"agent-sa\" not found"))
                .want(&["check: kubectl get serviceaccount agent-sa -n ops\n", "fix-cmd: kubectl create serviceaccount agent-sa -n ops\n", "note: grant agent-sa the RBAC permissions agent needs"]),
            case("webhook refusal: the webhook's own words", NodeStatus::Missing, psa("Error creating: admission webhook \"validate.kyverno.svc\" denied the request: no hostPath"))
                .want(&["check: kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations\n", "note: webhook validate.kyverno.svc refused the pod"]),
            case("missing without any event: is the controller running", NodeStatus::Missing, Vec::new())
                .want(&["about: no pod\n", "check: kubectl get pods -n kube-system -l component=kube-controller-manager\n"]),
            case("node NotReady: the kubelet", NodeStatus::Missing, vec![Finding::NodeNotReady { status: "Unknown".into(), reason: Some("NodeStatusUnknown".into()), message: Some("Kubelet stopped posting node status.".into()) }])
                .nodes(vec![down.clone()])
                .want(&[
                    "check: kubectl get node w-1 -o jsonpath='{.status.conditions[?(@.type==\"Ready\")]}'\n",
                    "check: systemctl status kubelet  # on w-1\n",
                    "fix: bring w-1's kubelet back (Ready is Unknown, NodeStatusUnknown: Kubelet stopped posting node status.)",
                    "alt-cmd: kubectl delete node w-1\n",
                ]),
            case("OnDelete: delete the old pod", NodeStatus::Running, vec![Finding::OutdatedRevision { pod_revision: "old1".into(), current: "new2".into() }])
                .strategy("OnDelete")
                .pod("agent-x")
                .want(&[
                    "check: kubectl rollout status daemonset/agent -n ops\n",
                    "check: kubectl rollout history daemonset/agent -n ops\n",
                    "fix-cmd: kubectl delete pod agent-x -n ops\n",
                    "  updateStrategy:\n    type: RollingUpdate\n",
                ]),
            case("RollingUpdate: the rollout's own pace, or undo", NodeStatus::Running, vec![Finding::OutdatedRevision { pod_revision: "old1".into(), current: "new2".into() }])
                .pod("agent-x")
                .want(&["alt-cmd: kubectl rollout undo daemonset/agent -n ops\n", "note: a rolling update replaces pods a few at a time"])
                .absent(&["fix:"]),
            case("terminating on a down node: force", NodeStatus::Running, vec![Finding::PodTerminating { since: Some("2026-01-01T00:00:00Z".into()) }, Finding::OutdatedRevision { pod_revision: "old1".into(), current: "new2".into() }])
                .strategy("OnDelete")
                .nodes(vec![down])
                .pod("agent-x")
                .want(&["fix-cmd: kubectl delete pod agent-x -n ops --grace-period=0 --force\n", "note: the pod is already being deleted: its replacement comes from revision new2"])
                .absent(&["fix-cmd: kubectl delete pod agent-x -n ops\n"]),
            case("terminating on a Ready node: forcing is only an alternative", NodeStatus::Running, vec![Finding::PodTerminating { since: None }])
                .pod("agent-x")
                .want(&["alt-cmd: kubectl delete pod agent-x -n ops --grace-period=0 --force\n"])
                .absent(&["fix:"]),
            case("node being deleted", NodeStatus::Missing, vec![Finding::NodeDeleting])
                .want(&["about: node deleting\n"]),
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
            status: Default::default(),
            counts: Default::default(),
            notes: Vec::new(),
            events_unavailable: None,
            nodes: vec![n],
        };
        let _: &[EventRecord] = &snapshot.events;
        explain(&cluster, &ds, &mut report);
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

    #[test]
    fn yaml_scalars_quote_what_a_reader_could_misread() {
        let cases = [
            ("plain word", "present", "present"),
            (
                "label key",
                "node-role.kubernetes.io/control-plane",
                "node-role.kubernetes.io/control-plane",
            ),
            (
                "image reference",
                "quay.io/x/y:v1.8.2",
                "quay.io/x/y:v1.8.2",
            ),
            ("quantity", "440Mi", "440Mi"),
            ("millicores", "460m", "460m"),
            ("YAML 1.1 boolean", "true", "\"true\""),
            ("YAML 1.1 yes", "Yes", "\"Yes\""),
            ("YAML 1.1 on", "on", "\"on\""),
            ("null word", "null", "\"null\""),
            ("integer", "1", "\"1\""),
            ("float", "1.37", "\"1.37\""),
            ("sexagesimal", "1:20", "\"1:20\""),
            ("hex", "0x1f", "\"0x1f\""),
            ("empty", "", "\"\""),
            ("leading dash", "-x", "\"-x\""),
            ("trailing colon", "a:", "\"a:\""),
            ("space", "a b", "\"a b\""),
            ("hash", "a#b", "\"a#b\""),
            ("quote", "a\"b", "\"a\\\"b\""),
            ("placeholder", "<image:tag>", "\"<image:tag>\""),
        ];
        for (name, input, want) in cases {
            assert_eq!(yaml::scalar(input), want, "{name}");
            // Whatever we write reads back as the same string.
            let doc = format!("k: {}\n", yaml::scalar(input));
            let v: Value = serde_saphyr::from_str(&doc).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(v["k"], json!(input), "{name}: round trip of {doc}");
        }
    }

    #[test]
    fn yaml_documents_round_trip_with_comments() {
        let doc = Y::Map(vec![e(
            "spec",
            Y::Map(vec![
                e(
                    "tolerations",
                    Y::List(vec![
                        Y::Map(vec![e("key", s("a")).note("kept"), e("value", s("true"))]),
                        Y::Map(vec![e("operator", s("Exists"))]),
                    ]),
                ),
                e(
                    "nodeSelector",
                    Y::Map(vec![e("disk", Y::Null).note("removes it")]),
                ),
                e("empty", Y::List(Vec::new())),
                e("port", Y::Int(9100)),
                e("values", Y::List(vec![s("1"), s("x")])),
            ]),
        )]);
        let text = yaml::emit(&doc);
        assert_eq!(
            text,
            "spec:\n  tolerations:\n  - key: a  # kept\n    value: \"true\"\n  - operator: Exists\n  nodeSelector:\n    disk: null  # removes it\n  empty: []\n  port: 9100\n  values:\n  - \"1\"\n  - x\n"
        );
        let v: Value = serde_saphyr::from_str(&text).unwrap();
        assert_eq!(
            v,
            json!({"spec": {"tolerations": [{"key": "a", "value": "true"}, {"operator": "Exists"}], "nodeSelector": {"disk": null}, "empty": [], "port": 9100, "values": ["1", "x"]}})
        );
    }

    #[test]
    fn message_parsers() {
        let q = QuotaRefusal::parse("forbidden: exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2").unwrap();
        assert_eq!(q.name, "pod-count");
        assert_eq!(
            q.hard_for(3),
            BTreeMap::from([("pods".to_owned(), "5".to_owned())])
        );
        assert_eq!(
            q.hard_for(0),
            BTreeMap::from([("pods".to_owned(), "2".to_owned())]),
            "never below the current limit"
        );
        assert!(QuotaRefusal::parse("something else").is_none());

        let objects = [
            (
                "configmap",
                "configmap \"cfg\" not found",
                Some(("configmap", "cfg")),
            ),
            (
                "secret",
                "secret \"tls\" not found",
                Some(("secret", "tls")),
            ),
            ("quoted but found", "configmap \"cfg\" is fine", None),
            ("nothing", "boom", None),
        ];
        for (name, msg, want) in objects {
            assert_eq!(
                missing_object(msg),
                want.map(|(k, o)| (k, o.to_owned())),
                "{name}"
            );
        }
        let keys = [
            (
                "configmap key",
                "couldn't find key level in ConfigMap ops/cfg",
                Some(("level", "ConfigMap", "cfg")),
            ),
            (
                "secret key",
                "couldn't find key token in Secret ops/tls",
                Some(("token", "Secret", "tls")),
            ),
            ("other", "couldn't find key token in Nothing x", None),
        ];
        for (name, msg, want) in keys {
            assert_eq!(
                missing_key(msg),
                want.map(|(k, kind, o)| (k.to_owned(), kind, o.to_owned())),
                "{name}"
            );
        }
        assert_eq!(
            pod_security("violates PodSecurity \"baseline:latest\": privileged (container \"a\")"),
            Some((
                "baseline".to_owned(),
                "privileged (container \"a\")".to_owned()
            ))
        );
        assert_eq!(
            missing_service_account("error looking up service account ns/sa-1: not found"),
            Some("sa-1".to_owned())
        );
        assert_eq!(
            webhook("admission webhook \"a.b\" denied the request"),
            Some("a.b".to_owned())
        );
        let registries = [
            ("docker hub short", "nginx:1.27", "docker.io"),
            ("docker hub user", "fluent/fluentd:v1", "docker.io"),
            ("host", "quay.io/prometheus/node-exporter:v1", "quay.io"),
            ("host with port", "registry:5000/x", "registry:5000"),
            ("localhost", "localhost/x", "localhost"),
        ];
        for (name, image, want) in registries {
            assert_eq!(registry_of(image), want, "{name}");
        }
        let levels = [
            (
                "baseline violated",
                "restricted",
                "hostPath volumes (volume \"root\")",
                "privileged",
            ),
            (
                "restricted only",
                "restricted",
                "runAsNonRoot != true (pod)",
                "baseline",
            ),
            (
                "baseline namespace",
                "baseline",
                "privileged (container)",
                "privileged",
            ),
        ];
        for (name, level, violations, want) in levels {
            assert_eq!(needed_pod_security_level(level, violations), want, "{name}");
        }
    }

    #[test]
    fn label_selector_and_label_arguments() {
        let term: NodeSelectorTerm = serde_json::from_value(json!({"matchExpressions": [
            {"key": "a", "operator": "In", "values": ["1", "2"]},
            {"key": "b", "operator": "NotIn", "values": ["x"]},
            {"key": "c", "operator": "Exists"},
            {"key": "d", "operator": "DoesNotExist"},
        ]}))
        .unwrap();
        assert_eq!(
            label_selector(&term).as_deref(),
            Some("a in (1,2),b notin (x),c,!d")
        );
        let gt: NodeSelectorTerm = serde_json::from_value(
            json!({"matchExpressions": [{"key": "n", "operator": "Gt", "values": ["3"]}]}),
        )
        .unwrap();
        assert_eq!(label_selector(&gt), None, "Gt has no label selector form");

        let req = |op: &str, values: &[&str]| NodeSelectorRequirement {
            key: "k".into(),
            operator: op.into(),
            values: Some(values.iter().map(|v| v.to_string()).collect()),
        };
        let cases = [
            (
                "In takes the first value",
                req("In", &["a", "b"]),
                None,
                "k=a",
            ),
            (
                "Exists keeps a present value",
                req("Exists", &[]),
                Some("v"),
                "k=v",
            ),
            ("Exists adds an empty value", req("Exists", &[]), None, "k="),
            ("NotIn removes", req("NotIn", &["v"]), Some("v"), "k-"),
            (
                "DoesNotExist removes",
                req("DoesNotExist", &[]),
                Some("v"),
                "k-",
            ),
            ("Gt goes one above", req("Gt", &["3"]), Some("1"), "k=4"),
            ("Lt goes one below", req("Lt", &["3"]), Some("9"), "k=2"),
        ];
        for (name, r, current, want) in cases {
            assert_eq!(label_to_satisfy(&r, current), want, "{name}");
        }
    }

    #[test]
    fn failing_requirements_lists_every_one() {
        let n = node(
            "w-1",
            json!({"a": "1", "n": "5"}),
            json!([]),
            json!({}),
            "True",
        );
        let term: NodeSelectorTerm = serde_json::from_value(json!({
            "matchExpressions": [
                {"key": "a", "operator": "In", "values": ["2"]},
                {"key": "n", "operator": "Gt", "values": ["3"]},
                {"key": "b", "operator": "Exists"},
                {"key": "bad", "operator": "In", "values": []},
            ],
            "matchFields": [{"key": "metadata.name", "operator": "In", "values": ["w-2"]}],
        }))
        .unwrap();
        let got: Vec<(String, bool, bool)> = failing_requirements(&term, &n)
            .into_iter()
            .map(|f| (f.expression, f.field, f.invalid))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a In [2]".to_owned(), false, false),
                ("b Exists".to_owned(), false, false),
                ("bad In []".to_owned(), false, true),
                ("metadata.name In [w-2]".to_owned(), true, false),
            ]
        );
    }
}
