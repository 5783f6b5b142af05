//! `--explain` advice for node selection by the template's nodeName and nodeSelector, and the
//! notes every placement finding shares: an ineligible node may well be intended, and what the
//! controller does with a pod on a node that no longer qualifies. Never re-judges placement.

use super::labels::is_machine_label;
use super::yaml::{Entry, Y, e};
use super::{NodeAdvisor, join_and};
use crate::diagnose::tolerations::EFFECT_NO_EXECUTE;
use crate::report::{Advice, Finding, Fix, NodeStatus};

impl NodeAdvisor<'_> {
    /// For nodes that do not qualify: the note that this may well be intended, and for a pod
    /// still there, what the controller does with it. Also the fix that takes the pod off.
    pub(super) fn placement_notes(&self, advice: &mut Advice) {
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
    pub(super) fn misscheduled_pod_stays(&self) -> bool {
        self.n.findings.iter().all(|f| match f {
            Finding::UntoleratedTaint { effect, .. } => effect != EFFECT_NO_EXECUTE,
            Finding::NodeSelectorMismatch { .. }
            | Finding::NodeAffinityMismatch { .. }
            | Finding::NodeNameMismatch { .. } => false,
            _ => true,
        })
    }

    pub(super) fn node_name_fix(&self, wanted: &str) -> Fix {
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

    pub(super) fn template_node_name(&self, wanted: &str) -> Advice {
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

    pub(super) fn node_selector(&self, mismatches: &[(&str, &str, Option<&str>)]) -> Advice {
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
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::report::{Finding, NodeStatus};

    #[test]
    fn placement_advice() {
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
            case("template nodeName: remove it", NodeStatus::Ineligible, vec![Finding::NodeNameMismatch { wanted: "w-9".into() }])
                .want(&["about: nodeName w-9\n", "      nodeName: null", "check: kubectl get daemonset agent -n ops -o jsonpath='{.spec.template.spec.nodeName}'\n"]),
            case("misscheduled on a selector: the controller deletes the pod", NodeStatus::Misscheduled, vec![sel("disk", "ssd", None)])
                .pod("agent-x")
                .want(&["note: the controller deletes pod agent-x", "fix: to keep agent on w-1, label the node disk=ssd"]),
        ];
        for c in &cases {
            check(c);
        }
    }
}
