//! `--explain` advice about the node itself: cordoned, NotReady (the kubelet stopped reporting),
//! or being deleted. Never re-judges the node: the verdict engine's findings say what is wrong.

use super::NodeAdvisor;
use crate::diagnose::tolerations::TAINT_NODE_UNSCHEDULABLE;
use crate::report::{Advice, Fix};

impl NodeAdvisor<'_> {
    pub(super) fn cordoned(&self) -> Advice {
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

    pub(super) fn node_not_ready(
        &self,
        status: &str,
        reason: Option<&str>,
        message: Option<&str>,
    ) -> Advice {
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

    pub(super) fn node_deleting(&self) -> Advice {
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
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::report::{Finding, NodeStatus};
    use serde_json::json;

    #[test]
    fn node_advice() {
        let down = node("w-1", json!({}), json!([]), json!({}), "Unknown");
        let cases = vec![
            case("cordoned node: uncordon", NodeStatus::Pending, vec![Finding::NodeCordoned])
                .want(&["fix-cmd: kubectl uncordon w-1\n"]),
            case("node NotReady: the kubelet", NodeStatus::Missing, vec![Finding::NodeNotReady { status: "Unknown".into(), reason: Some("NodeStatusUnknown".into()), message: Some("Kubelet stopped posting node status.".into()) }])
                .nodes(vec![down.clone()])
                .want(&[
                    "check: kubectl get node w-1 -o jsonpath='{.status.conditions[?(@.type==\"Ready\")]}'\n",
                    "check: systemctl status kubelet  # on w-1\n",
                    "fix: bring w-1's kubelet back (Ready is Unknown, NodeStatusUnknown: Kubelet stopped posting node status.)",
                    "alt-cmd: kubectl delete node w-1\n",
                ]),
            case("node being deleted", NodeStatus::Missing, vec![Finding::NodeDeleting])
                .want(&["about: node deleting\n"]),
        ];
        for c in &cases {
            check(c);
        }
    }
}
