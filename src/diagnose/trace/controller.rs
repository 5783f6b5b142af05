//! The DaemonSet controller's checks for one node, one row per rule: nodeName, each nodeSelector key,
//! each required nodeAffinity term and requirement, each taint against the tolerations (the
//! controller's own included), then NodeShouldRunDaemonPod's two answers. Every row is decided by the
//! engine's rule functions, called on the one entry the row is about; nothing is re-judged here.
// Mirrors pkg/controller/daemon/daemon_controller.go (NodeShouldRunDaemonPod, predicates)

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Affinity, Node, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Taint,
    Toleration,
};

use super::check;
use crate::diagnose::eligibility::Eligibility;
use crate::diagnose::node_affinity::{
    format_requirement, node_selector_mismatches, reason_text, required_affinity_mismatch,
};
use crate::diagnose::tolerations::{
    EFFECT_NO_EXECUTE, EFFECT_PREFER_NO_SCHEDULE, format_taint, tolerates,
};
use crate::report::{Check, CheckResult, Stage};
use crate::snapshot::pod::PodSpec;

/// The controller's rows. `template`: the DaemonSet's own pod spec; `evaluated`: the same with the
/// tolerations the controller adds (what it judges); `eligibility`: its verdict on the node.
pub(super) fn checks(
    template: &PodSpec,
    evaluated: &PodSpec,
    node: &Node,
    eligibility: &Eligibility,
) -> Vec<Check> {
    let mut out = vec![node_name(evaluated, node)];
    out.extend(node_selector(evaluated, node));
    out.extend(node_affinity(evaluated.affinity.as_ref(), node));
    out.extend(taints(template, evaluated, node));
    out.push(should_run(eligibility));
    out
}

fn row(name: impl Into<String>, result: CheckResult, evidence: impl Into<String>) -> Check {
    check(Stage::Controller, name, result, evidence)
}

fn node_name(spec: &PodSpec, node: &Node) -> Check {
    let here = node.metadata.name.as_deref().unwrap_or("");
    match spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        None => row(
            "nodeName",
            CheckResult::Pass,
            "the template sets no nodeName",
        ),
        Some(wanted) if wanted == here => row(
            "nodeName",
            CheckResult::Pass,
            format!("the template pins node {wanted}: this one"),
        ),
        Some(wanted) => row(
            "nodeName",
            CheckResult::Fail,
            format!("the template pins the pod to node {wanted}"),
        ),
    }
}

fn node_selector(spec: &PodSpec, node: &Node) -> Vec<Check> {
    let Some(selector) = spec.node_selector.as_ref().filter(|s| !s.is_empty()) else {
        return vec![row("nodeSelector", CheckResult::Pass, "none set")];
    };
    selector
        .iter()
        .map(|(key, value)| {
            let one = BTreeMap::from([(key.clone(), value.clone())]);
            let name = format!("nodeSelector {key}={value}");
            match node_selector_mismatches(&one, node).first() {
                None => row(name, CheckResult::Pass, format!("node has {key}={value}")),
                Some(f) => row(name, CheckResult::Fail, reason_text(f).unwrap_or_default()),
            }
        })
        .collect()
}

fn affinity_of(terms: Vec<NodeSelectorTerm>) -> Affinity {
    Affinity {
        node_affinity: Some(NodeAffinity {
            required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                node_selector_terms: terms,
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// One row per term (ORed) and one per requirement inside it (ANDed). A failing term or requirement
/// decides nothing when another term matches, so it is shown as Info then.
fn node_affinity(affinity: Option<&Affinity>, node: &Node) -> Vec<Check> {
    let required = affinity
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|a| {
            a.required_during_scheduling_ignored_during_execution
                .as_ref()
        });
    let Some(required) = required else {
        return vec![row(
            "nodeAffinity",
            CheckResult::Pass,
            "no required nodeAffinity",
        )];
    };
    let whole = required_affinity_mismatch(affinity, node);
    if required.node_selector_terms.is_empty() {
        return vec![row(
            "nodeAffinity",
            CheckResult::Fail,
            whole.as_ref().and_then(reason_text).unwrap_or_default(),
        )];
    }
    let decided = whole.is_some();
    let lost = |matched: bool| match (matched, decided) {
        (true, _) => CheckResult::Pass,
        (false, true) => CheckResult::Fail,
        (false, false) => CheckResult::Info,
    };
    let mut out = Vec::new();
    for (i, term) in required.node_selector_terms.iter().enumerate() {
        let one = affinity_of(vec![term.clone()]);
        let mismatch = required_affinity_mismatch(Some(&one), node);
        let evidence = match &mismatch {
            None => "matches".to_string(),
            Some(f) if decided => reason_text(f).unwrap_or_default(),
            Some(f) => format!(
                "{} (terms are ORed: another term matches)",
                reason_text(f).unwrap_or_default()
            ),
        };
        out.push(row(
            format!("nodeAffinity term[{i}]"),
            lost(mismatch.is_none()),
            evidence,
        ));
        let requirements = |list: &Option<Vec<NodeSelectorRequirement>>, fields: bool| {
            list.iter()
                .flatten()
                .map(|r| {
                    let alone = NodeSelectorTerm {
                        match_expressions: (!fields).then(|| vec![r.clone()]),
                        match_fields: fields.then(|| vec![r.clone()]),
                    };
                    let mismatch =
                        required_affinity_mismatch(Some(&affinity_of(vec![alone])), node);
                    let kind = if fields {
                        "matchFields"
                    } else {
                        "matchExpressions"
                    };
                    let evidence = match &mismatch {
                        None => "matches".to_string(),
                        Some(f) => reason_text(f).unwrap_or_default(),
                    };
                    // A requirement that holds alone can still sit in a term another one sinks.
                    let result = lost(mismatch.is_none());
                    row(
                        format!("term[{i}] {kind} {}", format_requirement(r)),
                        result,
                        evidence,
                    )
                })
                .collect::<Vec<_>>()
        };
        out.extend(requirements(&term.match_expressions, false));
        out.extend(requirements(&term.match_fields, true));
    }
    out
}

/// `key=value:Effect`-style words for a toleration, as `kubectl describe` prints them.
pub(super) fn format_toleration(t: &Toleration) -> String {
    let key = t.key.as_deref().unwrap_or("");
    let op = t.operator.as_deref().unwrap_or("Equal");
    let mut s = match (key, op) {
        ("", "Exists") => "Exists (every taint)".to_string(),
        (k, "Exists") => format!("{k} (Exists)"),
        (k, _) => format!("{k}={}", t.value.as_deref().unwrap_or("")),
    };
    if let Some(e) = t.effect.as_deref().filter(|e| !e.is_empty()) {
        s.push(':');
        s.push_str(e);
    }
    if let Some(secs) = t.toleration_seconds {
        s.push_str(&format!(" for {secs}s"));
    }
    s
}

fn node_taints(node: &Node) -> &[Taint] {
    node.spec
        .as_ref()
        .and_then(|s| s.taints.as_deref())
        .unwrap_or(&[])
}

/// Each taint against every toleration; the first that tolerates it is named, and whether the
/// DaemonSet's template carries it or the controller added it.
fn taints(template: &PodSpec, evaluated: &PodSpec, node: &Node) -> Vec<Check> {
    let taints = node_taints(node);
    let tolerations = evaluated.tolerations.as_deref().unwrap_or(&[]);
    let own = template.tolerations.as_deref().unwrap_or(&[]);
    if taints.is_empty() {
        return vec![row("taints", CheckResult::Pass, "the node has no taints")];
    }
    // Which tolerations were tried, for a taint none of them tolerates.
    let tried = {
        let own_words: Vec<String> = own.iter().map(format_toleration).collect();
        let added = tolerations.iter().filter(|t| !own.contains(t)).count();
        match own_words.as_slice() {
            [] => format!("the {added} the controller adds"),
            words => format!("{}; and the {added} the controller adds", words.join(", ")),
        }
    };
    taints
        .iter()
        .map(|taint| {
            let name = format!("taint {}", format_taint(taint));
            let by = tolerations.iter().find(|t| tolerates(t, taint));
            match (by, taint.effect.as_str()) {
                (_, EFFECT_PREFER_NO_SCHEDULE) => row(
                    name,
                    CheckResult::Info,
                    "PreferNoSchedule only lowers the node's score; it never blocks",
                ),
                (Some(t), effect) => {
                    let origin = if own.contains(t) {
                        "the template's toleration"
                    } else {
                        "the toleration the DaemonSet controller adds to every daemon pod:"
                    };
                    let mut evidence = format!("tolerated by {origin} {}", format_toleration(t));
                    if effect == EFFECT_NO_EXECUTE
                        && let Some(secs) = t.toleration_seconds
                    {
                        evidence.push_str(&format!(
                            "; NoExecute: the taint-eviction controller evicts the pod {secs}s after the taint appears, and the controller creates it again"
                        ));
                    }
                    row(name, CheckResult::Pass, evidence)
                }
                (None, EFFECT_NO_EXECUTE) => row(
                    name,
                    CheckResult::Fail,
                    format!(
                        "no toleration matches ({tried}); NoExecute: no pod is created, and a pod already here is evicted (shouldContinueRunning=false)"
                    ),
                ),
                (None, _) => row(
                    name,
                    CheckResult::Fail,
                    format!(
                        "no toleration matches ({tried}); NoSchedule: no pod is created, but a pod already here stays (shouldContinueRunning unaffected)"
                    ),
                ),
            }
        })
        .collect()
}

fn should_run(e: &Eligibility) -> Check {
    let result = if e.should_run {
        CheckResult::Pass
    } else {
        CheckResult::Fail
    };
    let fate = match (e.should_run, e.should_continue_running) {
        (true, _) => "the controller wants a pod here",
        (false, true) => "no new pod; one already here is kept (counted as misscheduled)",
        (false, false) => "no pod; one already here is deleted",
    };
    row(
        "NodeShouldRunDaemonPod",
        result,
        format!(
            "shouldRun={}, shouldContinueRunning={}: {fate}",
            e.should_run, e.should_continue_running
        ),
    )
}
