//! `--explain` advice for untolerated taints: a toleration in the pod template (the whole list,
//! since a patch replaces it) or removing the taint; for the taints Kubernetes sets from the node's
//! state, repairing the node instead, since removing those by hand does not last.

use k8s_openapi::api::core::v1::Toleration;

use super::NodeAdvisor;
use super::yaml::{Entry, Y, e, s};
use crate::diagnose::tolerations::{
    EFFECT_NO_EXECUTE, TAINT_NODE_DISK_PRESSURE, TAINT_NODE_MEMORY_PRESSURE,
    TAINT_NODE_NETWORK_UNAVAILABLE, TAINT_NODE_NOT_READY, TAINT_NODE_PID_PRESSURE,
    TAINT_NODE_UNREACHABLE, TAINT_NODE_UNSCHEDULABLE,
};
use crate::report::{Advice, Fix};

/// Taints that Kubernetes itself sets from the node's state and removes when the state clears:
/// removing one by hand does not last. Returns what clears it.
// Mirrors pkg/controller/nodelifecycle/node_lifecycle_controller.go (nodeConditionToTaintKeyStatusMap,
// taintKeyToNodeConditionMap) and staging/src/k8s.io/cloud-provider/api/well_known_taints.go.
pub(super) fn condition_taint(key: &str) -> Option<&'static str> {
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

pub(super) struct TaintFact<'f> {
    pub(super) key: &'f str,
    pub(super) value: Option<&'f str>,
    pub(super) effect: &'f str,
    pub(super) text: &'f str,
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

impl NodeAdvisor<'_> {
    pub(super) fn taint_checks(&self) -> Vec<String> {
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
    pub(super) fn toleration_fix(&self, summary: String, taints: &[TaintFact]) -> Fix {
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

    pub(super) fn taints(&self, taints: &[TaintFact], condition: &[TaintFact]) -> Advice {
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
    pub(super) fn condition_taints(&self, taints: &[TaintFact]) -> Advice {
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
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::report::NodeStatus;
    use serde_json::json;

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
}
