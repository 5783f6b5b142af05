//! Whether a node should run a DaemonSet's pod, decided exactly as the DaemonSet controller does,
//! with every failing rule listed; and the scheduler's placement filters for a daemon pod that
//! exists but is not bound. Pure and synchronous: no I/O, no clock.

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Node, PodSpec, Taint};

use crate::diagnose::node_affinity::{
    node_selector_mismatches, reason_text, required_affinity_mismatch,
};
use crate::diagnose::tolerations::{
    BLOCKING_EFFECTS, EFFECT_NO_EXECUTE, EFFECT_NO_SCHEDULE, TAINT_NODE_UNSCHEDULABLE,
    add_daemon_tolerations, taint_finding, tolerations_tolerate, untolerated,
};
use crate::report::Finding;

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
        let mut spec = ds.spec.template.spec.clone().unwrap_or_default();
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
mod tests {
    use super::*;
    use crate::diagnose::node_affinity::target_node_name;
    use k8s_openapi::api::core::v1::Pod;
    use serde_json::{Value, json};

    fn ds(spec: Value) -> DaemonSet {
        let mut spec = spec;
        if spec.get("containers").is_none() {
            spec["containers"] = json!([{"name": "c", "image": "i"}]);
        }
        serde_json::from_value(json!({
            "metadata": {"name": "ds", "namespace": "default"},
            "spec": {"selector": {"matchLabels": {"app": "ds"}},
                     "template": {"metadata": {"labels": {"app": "ds"}}, "spec": spec}}
        }))
        .unwrap()
    }

    fn node(v: Value) -> Node {
        let mut v = v;
        if v.get("metadata").is_none() {
            v["metadata"] = json!({"name": "test-node", "labels": {"name": "simple-daemon"}});
        }
        serde_json::from_value(v).unwrap()
    }

    fn taints(t: Value) -> Node {
        node(json!({"spec": {"taints": t}}))
    }

    fn taint_reason(t: &str) -> Finding {
        let (kv, effect) = t.rsplit_once(':').unwrap();
        let (key, value) = match kv.split_once('=') {
            Some((k, v)) => (k, Some(v.to_owned())),
            None => (kv, None),
        };
        Finding::UntoleratedTaint {
            key: key.to_owned(),
            value,
            effect: effect.to_owned(),
            taint: t.to_owned(),
        }
    }

    // Cases from daemon_controller_test.go (TestNodeShouldRunDaemonPod and the taint tests:
    // TestTaintedNodeDaemonDoesNotLaunchIntolerantPods, TestTaintedNodeDaemonLaunchesToleratePod,
    // TestNotReadyNodeDaemonLaunchesPod, TestUnreachableNodeDaemonLaunchesPod,
    // TestTaintPressureNodeDaemonLaunchPod, TestNodeDaemonLaunchesToleratePod) plus the rules of
    // NodeShouldRunDaemonPod that those do not cover.
    /// (name, template spec, node, should_run, should_continue_running, reasons)
    type ShouldRunCase = (&'static str, Value, Node, bool, bool, Vec<Finding>);

    #[test]
    fn node_should_run_daemon_pod() {
        let cases: Vec<ShouldRunCase> = vec![
            (
                "ShouldRunDaemonPod",
                json!({}),
                node(json!({})),
                true,
                true,
                vec![],
            ),
            (
                "ErrPodNotMatchHostName",
                json!({"nodeName": "other-node"}),
                node(json!({})),
                false,
                false,
                vec![Finding::NodeNameMismatch {
                    wanted: "other-node".into(),
                }],
            ),
            (
                "template nodeName is this node",
                json!({"nodeName": "test-node"}),
                node(json!({})),
                true,
                true,
                vec![],
            ),
            (
                "ErrNodeSelectorNotMatch",
                json!({"nodeSelector": {"name": "simple-daemon", "color": "blue"}}),
                node(json!({})),
                false,
                false,
                vec![Finding::NodeSelectorMismatch {
                    key: "color".into(),
                    wanted: "blue".into(),
                    actual: None,
                }],
            ),
            (
                "nodeSelector matches",
                json!({"nodeSelector": {"name": "simple-daemon"}}),
                node(json!({})),
                true,
                true,
                vec![],
            ),
            (
                "ErrPodAffinityNotMatch",
                json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "type", "operator": "In", "values": ["test"]}]}]}}}}),
                node(json!({"metadata": {"name": "test-node", "labels": {"type": "production"}}})),
                false,
                false,
                vec![Finding::NodeAffinityMismatch {
                    terms: vec![crate::report::AffinityTermMismatch {
                        term: 0,
                        expression: "type In [test]".into(),
                        node_value: Some("production".into()),
                    }],
                }],
            ),
            (
                "affinity matches",
                json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "type", "operator": "In", "values": ["production"]}]}]}}}}),
                node(json!({"metadata": {"name": "test-node", "labels": {"type": "production"}}})),
                true,
                true,
                vec![],
            ),
            (
                "preferred affinity never matters",
                json!({"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                    {"weight": 1, "preference": {"matchExpressions": [{"key": "type", "operator": "In", "values": ["x"]}]}}]}}}),
                node(json!({})),
                true,
                true,
                vec![],
            ),
            (
                "ShouldRunDaemonPodOnUnschedulableNode",
                json!({}),
                node(json!({"spec": {"unschedulable": true}})),
                true,
                true,
                vec![],
            ),
            (
                "cordoned node with its unschedulable taint is tolerated by default",
                json!({}),
                node(
                    json!({"spec": {"unschedulable": true, "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]}}),
                ),
                true,
                true,
                vec![],
            ),
            (
                "TaintedNodeDaemonDoesNotLaunchIntolerantPods: kept but misscheduled",
                json!({}),
                taints(json!([{"key": "dedicated", "value": "master", "effect": "NoSchedule"}])),
                false,
                true,
                vec![taint_reason("dedicated=master:NoSchedule")],
            ),
            (
                "TaintedNodeDaemonLaunchesToleratePod",
                json!({"tolerations": [{"key": "dedicated", "operator": "Equal", "value": "master", "effect": "NoSchedule"}]}),
                taints(json!([{"key": "dedicated", "value": "master", "effect": "NoSchedule"}])),
                true,
                true,
                vec![],
            ),
            (
                "untolerated NoExecute taint: must not stay",
                json!({}),
                taints(json!([{"key": "dedicated", "value": "db", "effect": "NoExecute"}])),
                false,
                false,
                vec![taint_reason("dedicated=db:NoExecute")],
            ),
            (
                "NoExecute tolerated with tolerationSeconds still counts as tolerated",
                json!({"tolerations": [{"key": "dedicated", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 30}]}),
                taints(json!([{"key": "dedicated", "value": "db", "effect": "NoExecute"}])),
                true,
                true,
                vec![],
            ),
            (
                "PreferNoSchedule never blocks",
                json!({}),
                taints(json!([{"key": "spot", "value": "true", "effect": "PreferNoSchedule"}])),
                true,
                true,
                vec![],
            ),
            (
                "NotReadyNodeDaemonLaunchesPod: not-ready NoExecute tolerated by default",
                json!({}),
                taints(json!([{"key": "node.kubernetes.io/not-ready", "effect": "NoExecute"}])),
                true,
                true,
                vec![],
            ),
            (
                "UnreachableNodeDaemonLaunchesPod: unreachable NoExecute tolerated by default",
                json!({}),
                taints(json!([{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}])),
                true,
                true,
                vec![],
            ),
            (
                "unreachable NoSchedule is not tolerated by default",
                json!({}),
                taints(json!([
                    {"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"},
                    {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": "2026-11-23T11:37:54Z"}
                ])),
                false,
                true,
                vec![taint_reason("node.kubernetes.io/unreachable:NoSchedule")],
            ),
            (
                "not-ready NoSchedule from TaintNodesByCondition is not tolerated by default",
                json!({}),
                taints(json!([{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}])),
                false,
                true,
                vec![taint_reason("node.kubernetes.io/not-ready:NoSchedule")],
            ),
            (
                "TaintPressureNodeDaemonLaunchPod",
                json!({}),
                taints(json!([
                    {"key": "node.kubernetes.io/disk-pressure", "effect": "NoSchedule"},
                    {"key": "node.kubernetes.io/memory-pressure", "effect": "NoSchedule"},
                    {"key": "node.kubernetes.io/pid-pressure", "effect": "NoSchedule"}
                ])),
                true,
                true,
                vec![],
            ),
            (
                "network-unavailable tolerated for hostNetwork pods",
                json!({"hostNetwork": true}),
                taints(
                    json!([{"key": "node.kubernetes.io/network-unavailable", "effect": "NoSchedule"}]),
                ),
                true,
                true,
                vec![],
            ),
            (
                "network-unavailable not tolerated without hostNetwork",
                json!({}),
                taints(
                    json!([{"key": "node.kubernetes.io/network-unavailable", "effect": "NoSchedule"}]),
                ),
                false,
                true,
                vec![taint_reason(
                    "node.kubernetes.io/network-unavailable:NoSchedule",
                )],
            ),
            (
                "NodeDaemonLaunchesToleratePod: tolerate everything",
                json!({"tolerations": [{"operator": "Exists"}]}),
                taints(json!([
                    {"key": "dedicated", "value": "db", "effect": "NoExecute"},
                    {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}
                ])),
                true,
                true,
                vec![],
            ),
            (
                "every reason is listed",
                json!({"nodeSelector": {"disk": "ssd", "name": "other"}}),
                taints(json!([
                    {"key": "a", "effect": "NoSchedule"},
                    {"key": "b", "value": "1", "effect": "PreferNoSchedule"},
                    {"key": "c", "value": "2", "effect": "NoExecute"}
                ])),
                false,
                false,
                vec![
                    Finding::NodeSelectorMismatch {
                        key: "disk".into(),
                        wanted: "ssd".into(),
                        actual: None,
                    },
                    Finding::NodeSelectorMismatch {
                        key: "name".into(),
                        wanted: "other".into(),
                        actual: Some("simple-daemon".into()),
                    },
                    taint_reason("a:NoSchedule"),
                    taint_reason("c=2:NoExecute"),
                ],
            ),
            (
                "NoSchedule taints with a selector miss: must not stay",
                json!({"nodeSelector": {"disk": "ssd"}}),
                taints(json!([{"key": "a", "effect": "NoSchedule"}])),
                false,
                false,
                vec![
                    Finding::NodeSelectorMismatch {
                        key: "disk".into(),
                        wanted: "ssd".into(),
                        actual: None,
                    },
                    taint_reason("a:NoSchedule"),
                ],
            ),
            (
                "node being deleted is still eligible",
                json!({}),
                node(
                    json!({"metadata": {"name": "test-node", "deletionTimestamp": "2026-11-23T11:50:25Z", "finalizers": ["x"]}}),
                ),
                true,
                true,
                vec![],
            ),
            (
                "NotReady condition alone does not matter",
                json!({}),
                node(json!({"status": {"conditions": [{"type": "Ready", "status": "False"}]}})),
                true,
                true,
                vec![],
            ),
        ];
        for (name, spec, n, run, cont, reasons) in cases {
            let e = DaemonPodTemplate::new(&ds(spec)).evaluate(&n);
            assert_eq!(e.should_run, run, "{name}: should_run");
            assert_eq!(
                e.should_continue_running, cont,
                "{name}: should_continue_running"
            );
            assert_eq!(e.reasons, reasons, "{name}: reasons");
        }
    }

    #[test]
    fn template_gets_daemon_tolerations_once() {
        let t = DaemonPodTemplate::new(&ds(
            json!({"hostNetwork": true, "tolerations": [{"operator": "Exists"}]}),
        ));
        let keys: Vec<&str> = t
            .spec()
            .tolerations
            .as_deref()
            .unwrap_or(&[])
            .iter()
            .map(|t| t.key.as_deref().unwrap_or("*"))
            .collect();
        assert_eq!(
            keys,
            [
                "*",
                "node.kubernetes.io/not-ready",
                "node.kubernetes.io/unreachable",
                "node.kubernetes.io/disk-pressure",
                "node.kubernetes.io/memory-pressure",
                "node.kubernetes.io/pid-pressure",
                "node.kubernetes.io/unschedulable",
                "node.kubernetes.io/network-unavailable",
            ]
        );
        let e = DaemonPodTemplate::new(&DaemonSet::default()).evaluate(&node(json!({})));
        assert!(
            e.should_run && e.should_continue_running,
            "DaemonSet without a template spec"
        );
    }

    fn pod_spec(v: Value) -> PodSpec {
        let mut v = v;
        v["containers"] = json!([]);
        serde_json::from_value(v).unwrap()
    }

    fn name_affinity(node: &str) -> Value {
        json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}}})
    }

    #[test]
    fn scheduler_filters() {
        let cordoned = node(
            json!({"metadata": {"name": "c-1"}, "spec": {"unschedulable": true,
            "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]}}),
        );
        let unschedulable_tol = json!([{"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}]);
        let cases: Vec<(&str, PodSpec, Node, Vec<Finding>)> = vec![
            (
                "nothing in the way",
                pod_spec(json!({"affinity": name_affinity("test-node")})),
                node(json!({})),
                vec![],
            ),
            (
                "cordoned node, no toleration: NodeUnschedulable and TaintToleration",
                pod_spec(json!({})),
                cordoned.clone(),
                vec![
                    Finding::NodeCordoned,
                    taint_reason("node.kubernetes.io/unschedulable:NoSchedule"),
                ],
            ),
            (
                "cordoned node, tolerated",
                pod_spec(json!({"tolerations": unschedulable_tol})),
                cordoned.clone(),
                vec![],
            ),
            (
                "cordoned without taint, tolerate-all",
                pod_spec(json!({"tolerations": [{"operator": "Exists"}]})),
                node(json!({"spec": {"unschedulable": true}})),
                vec![],
            ),
            (
                "cordoned without taint",
                pod_spec(json!({})),
                node(json!({"spec": {"unschedulable": true}})),
                vec![Finding::NodeCordoned],
            ),
            (
                "toleration with the wrong effect does not cover cordon",
                pod_spec(
                    json!({"tolerations": [{"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoExecute"}]}),
                ),
                node(json!({"spec": {"unschedulable": true}})),
                vec![Finding::NodeCordoned],
            ),
            (
                "NodeName",
                pod_spec(json!({"nodeName": "other"})),
                node(json!({})),
                vec![Finding::NodeNameMismatch {
                    wanted: "other".into(),
                }],
            ),
            (
                "TaintToleration: NoSchedule and NoExecute, not PreferNoSchedule",
                pod_spec(json!({})),
                taints(json!([
                    {"key": "a", "effect": "NoSchedule"},
                    {"key": "b", "effect": "PreferNoSchedule"},
                    {"key": "c", "effect": "NoExecute"}
                ])),
                vec![taint_reason("a:NoSchedule"), taint_reason("c:NoExecute")],
            ),
            (
                "NodeAffinity: the matchFields term of another node",
                pod_spec(json!({"affinity": name_affinity("w-3")})),
                node(json!({})),
                vec![Finding::NodeAffinityMismatch {
                    terms: vec![crate::report::AffinityTermMismatch {
                        term: 0,
                        expression: "metadata.name In [w-3]".into(),
                        node_value: Some("test-node".into()),
                    }],
                }],
            ),
            (
                "NodeAffinity: nodeSelector",
                pod_spec(json!({"nodeSelector": {"kubernetes.io/os": "linux"}})),
                node(
                    json!({"metadata": {"name": "win-1", "labels": {"kubernetes.io/os": "windows"}}}),
                ),
                vec![Finding::NodeSelectorMismatch {
                    key: "kubernetes.io/os".into(),
                    wanted: "linux".into(),
                    actual: Some("windows".into()),
                }],
            ),
        ];
        for (name, spec, n, want) in cases {
            assert_eq!(scheduler_filter_failures(&spec, &n), want, "{name}");
        }
    }

    #[test]
    fn texts() {
        let e = |reasons: Vec<Finding>, run, cont| Eligibility {
            should_run: run,
            should_continue_running: cont,
            reasons,
        };
        let sel = Finding::NodeSelectorMismatch {
            key: "disk".into(),
            wanted: "ssd".into(),
            actual: None,
        };
        let cases: Vec<(&str, Eligibility, &str, &str)> = vec![
            (
                "kept for a NoSchedule taint",
                e(
                    vec![taint_reason("maintenance=planned:NoSchedule")],
                    false,
                    true,
                ),
                "untolerated taint maintenance=planned:NoSchedule",
                "no longer eligible (untolerated taint maintenance=planned:NoSchedule); the controller keeps the pod because the taint is NoSchedule, not NoExecute",
            ),
            (
                "kept for two NoSchedule taints",
                e(
                    vec![taint_reason("a:NoSchedule"), taint_reason("b=1:NoSchedule")],
                    false,
                    true,
                ),
                "untolerated taint a:NoSchedule; untolerated taint b=1:NoSchedule",
                "no longer eligible (untolerated taint a:NoSchedule; untolerated taint b=1:NoSchedule); the controller keeps the pod because the taints are NoSchedule, not NoExecute",
            ),
            (
                "evicted for NoExecute",
                e(vec![taint_reason("dedicated=db:NoExecute")], false, false),
                "untolerated taint dedicated=db:NoExecute",
                "no longer eligible; the pod will be evicted/deleted: untolerated NoExecute taint dedicated=db:NoExecute",
            ),
            (
                "deleted for a selector miss, NoSchedule taint mentioned too",
                e(
                    vec![sel.clone(), taint_reason("a:NoSchedule")],
                    false,
                    false,
                ),
                "nodeSelector disk=ssd: node has no label disk; untolerated taint a:NoSchedule",
                "no longer eligible; the DaemonSet controller will delete the pod: nodeSelector disk=ssd: node has no label disk (also untolerated taint a:NoSchedule)",
            ),
            (
                "eligible",
                e(vec![], true, true),
                "",
                "the node is eligible",
            ),
        ];
        for (name, el, ineligible, misscheduled) in cases {
            assert_eq!(ineligible_text(&el), ineligible, "{name}: ineligible_text");
            assert_eq!(
                misscheduled_text(&el),
                misscheduled,
                "{name}: misscheduled_text"
            );
        }
    }

    // ---- The recorded real cluster (tests/fixtures/real-cluster) ----

    #[derive(serde::Deserialize)]
    struct List<T> {
        items: Vec<T>,
    }

    const FIXTURES: [&str; 4] = [
        include_str!("../../tests/fixtures/real-cluster/nodes.json"),
        include_str!("../../tests/fixtures/real-cluster/daemonsets.json"),
        include_str!("../../tests/fixtures/real-cluster/pods.json"),
        include_str!("../../tests/fixtures/real-cluster/TRUTH.md"),
    ];

    struct Cluster {
        nodes: Vec<Node>,
        daemonsets: Vec<DaemonSet>,
        pods: Vec<Pod>,
    }

    fn cluster() -> Cluster {
        Cluster {
            nodes: serde_json::from_str::<List<Node>>(FIXTURES[0])
                .unwrap()
                .items,
            daemonsets: serde_json::from_str::<List<DaemonSet>>(FIXTURES[1])
                .unwrap()
                .items,
            pods: serde_json::from_str::<List<Pod>>(FIXTURES[2])
                .unwrap()
                .items,
        }
    }

    fn ds_key(ds: &DaemonSet) -> String {
        format!(
            "{}/{}",
            ds.metadata.namespace.as_deref().unwrap_or(""),
            ds.metadata.name.as_deref().unwrap_or("")
        )
    }

    fn owned_by<'a>(pods: &'a [Pod], ds: &DaemonSet) -> impl Iterator<Item = &'a Pod> {
        let uid = ds.metadata.uid.clone();
        pods.iter().filter(move |p| {
            p.metadata
                .owner_references
                .as_deref()
                .unwrap_or(&[])
                .iter()
                .any(|o| o.controller == Some(true) && Some(&o.uid) == uid.as_ref())
        })
    }

    /// Every row of TRUTH.md's per-node table, checked against `evaluate`: rows that say the node
    /// is ineligible (and why), misscheduled but kept, or eligible (a pod, or a failed creation).
    #[test]
    fn real_cluster_truth_table() {
        let c = cluster();
        let mut checked = 0;
        for line in FIXTURES[3].lines() {
            let cols: Vec<&str> = line.split(" | ").collect();
            if cols.len() != 3 || !cols[0].starts_with("| ") || !cols[0].contains('/') {
                continue;
            }
            let (ds_name, node_name, truth) =
                (&cols[0][2..], cols[1], cols[2].trim_end_matches(" |"));
            // Other tables (scenarios, status) also start with ns/name; only this one has a node next.
            let Some(ds) = c.daemonsets.iter().find(|d| ds_key(d) == ds_name) else {
                continue;
            };
            let Some(node) = c
                .nodes
                .iter()
                .find(|n| n.metadata.name.as_deref() == Some(node_name))
            else {
                continue;
            };
            let e = DaemonPodTemplate::new(ds).evaluate(node);
            let row = format!("{ds_name} on {node_name}: {truth}");
            if let Some(why) = truth.strip_prefix("no pod: node ineligible — ") {
                assert!(!e.should_run, "{row}: should not run");
                let expected = if let Some(t) = why.strip_prefix("untolerated taint ") {
                    taint_reason(t)
                } else if let Some(rest) = why.strip_prefix("nodeSelector mismatch: ") {
                    let (kv, node_has) = rest.split_once(" (node has ").unwrap();
                    let (key, wanted) = kv.split_once('=').unwrap();
                    let actual = node_has
                        .strip_prefix(&format!("{key}='"))
                        .and_then(|v| v.strip_suffix("')"))
                        .map(str::to_owned);
                    Finding::NodeSelectorMismatch {
                        key: key.into(),
                        wanted: wanted.into(),
                        actual,
                    }
                } else if why.starts_with("required nodeAffinity mismatch") {
                    let label = node
                        .metadata
                        .labels
                        .as_ref()
                        .and_then(|l| l.get("gpu"))
                        .cloned();
                    Finding::NodeAffinityMismatch {
                        terms: vec![crate::report::AffinityTermMismatch {
                            term: 0,
                            expression: "gpu In [true]".into(),
                            node_value: label,
                        }],
                    }
                } else {
                    panic!("{row}: unknown reason");
                };
                assert!(
                    e.reasons.contains(&expected),
                    "{row}: missing {expected:?} in {:?}",
                    e.reasons
                );
                // The controller keeps an existing pod only when NoSchedule taints are all that fail.
                let only_no_schedule = e.reasons.iter().all(is_no_schedule_taint);
                assert_eq!(
                    e.should_continue_running, only_no_schedule,
                    "{row}: should_continue_running"
                );
            } else if truth.contains("MISSCHEDULED") {
                assert!(
                    !e.should_run && e.should_continue_running,
                    "{row}: misscheduled and kept"
                );
                let t = truth
                    .split("(untolerated taint ")
                    .nth(1)
                    .and_then(|s| s.split(')').next())
                    .unwrap();
                assert_eq!(e.reasons, vec![taint_reason(t)], "{row}");
                assert_eq!(
                    misscheduled_text(&e),
                    format!(
                        "no longer eligible (untolerated taint {t}); the controller keeps the pod because the taint is NoSchedule, not NoExecute"
                    ),
                    "{row}"
                );
            } else if truth.starts_with("pod ")
                || truth.starts_with("no pod: eligible but creation failed")
            {
                assert!(
                    e.should_run && e.should_continue_running,
                    "{row}: eligible, got {:?}",
                    e.reasons
                );
                assert!(e.reasons.is_empty(), "{row}");
            } else {
                panic!("{row}: unrecognised truth");
            }
            checked += 1;
        }
        // 16 DaemonSets x 10 nodes, plus the surge pod's second row on w-1.
        assert_eq!(checked, 161, "rows checked");
    }

    /// desiredNumberScheduled and numberMisscheduled as the real controller wrote them.
    #[test]
    fn real_cluster_status_counts() {
        let c = cluster();
        for ds in &c.daemonsets {
            let t = DaemonPodTemplate::new(ds);
            let status = ds.status.as_ref().unwrap();
            let targets: Vec<String> = owned_by(&c.pods, ds).filter_map(target_node_name).collect();
            let mut desired = 0;
            let mut misscheduled = 0;
            for n in &c.nodes {
                let e = t.evaluate(n);
                let name = n.metadata.name.clone().unwrap_or_default();
                if e.should_run {
                    desired += 1;
                } else if targets.contains(&name) {
                    misscheduled += 1;
                }
            }
            assert_eq!(
                desired,
                status.desired_number_scheduled,
                "{}: desired",
                ds_key(ds)
            );
            assert_eq!(
                misscheduled,
                status.number_misscheduled,
                "{}: misscheduled",
                ds_key(ds)
            );
        }
    }

    /// The controller created every recorded pod from the template with exactly these tolerations,
    /// and pointed it at its node with a matchFields term.
    #[test]
    fn real_cluster_pods_carry_the_daemon_tolerations() {
        let c = cluster();
        let mut seen = 0;
        for ds in &c.daemonsets {
            let t = DaemonPodTemplate::new(ds);
            for p in owned_by(&c.pods, ds) {
                let spec = p.spec.as_ref().unwrap();
                let name = p.metadata.name.as_deref().unwrap_or("");
                assert_eq!(spec.tolerations, t.spec().tolerations, "{name}");
                assert!(target_node_name(p).is_some(), "{name}: target node");
                seen += 1;
            }
        }
        assert_eq!(seen, c.pods.len(), "every pod has an owning DaemonSet");
    }

    /// The unbound pods' FailedScheduling: exporter-b's pod for w-3 "had untolerated taint(s)", and
    /// every other node "didn't satisfy plugin(s) [NodeAffinity]" (the matchFields term).
    #[test]
    fn real_cluster_unbound_pods_scheduler_filters() {
        let c = cluster();
        let unbound: Vec<&Pod> = c
            .pods
            .iter()
            .filter(|p| p.spec.as_ref().is_some_and(|s| s.node_name.is_none()))
            .collect();
        assert_eq!(unbound.len(), 7, "hungry-x9tcr and six exporter-b pods");
        for p in unbound {
            let spec = p.spec.as_ref().unwrap();
            let target = target_node_name(p).unwrap();
            let pod = p.metadata.name.as_deref().unwrap_or("");
            for n in &c.nodes {
                let name = n.metadata.name.as_deref().unwrap_or("");
                let got = scheduler_filter_failures(spec, n);
                if name != target {
                    assert!(
                        got.iter()
                            .any(|f| matches!(f, Finding::NodeAffinityMismatch { .. })),
                        "{pod} on {name}: NodeAffinity, got {got:?}"
                    );
                } else if name == "w-3" {
                    assert_eq!(
                        got,
                        vec![taint_reason("maintenance=planned:NoSchedule")],
                        "{pod} on {name}"
                    );
                } else {
                    // Their real blockers are host ports and resources, judged elsewhere.
                    assert_eq!(got, vec![], "{pod} on {name}");
                }
            }
        }
    }
}
