//! `--explain` advice for a rollout in progress: a pod of an old revision (OnDelete waits for a
//! deletion, RollingUpdate for the new pods), and a pod stuck terminating.

use super::NodeAdvisor;
use super::yaml::{Y, e, s};
use crate::report::{Advice, Finding, Fix};

impl NodeAdvisor<'_> {
    pub(super) fn outdated(&self, pod_revision: &str, current: &str) -> Advice {
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

    pub(super) fn terminating(&self, since: Option<&str>) -> Advice {
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
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::report::{Finding, NodeStatus};
    use serde_json::json;

    #[test]
    fn rollout_advice() {
        let down = node("w-1", json!({}), json!([]), json!({}), "Unknown");
        let cases = vec![
            case(
                "OnDelete: delete the old pod",
                NodeStatus::Running,
                vec![Finding::OutdatedRevision {
                    pod_revision: "old1".into(),
                    current: "new2".into(),
                }],
            )
            .strategy("OnDelete")
            .pod("agent-x")
            .want(&[
                "check: kubectl rollout status daemonset/agent -n ops\n",
                "check: kubectl rollout history daemonset/agent -n ops\n",
                "fix-cmd: kubectl delete pod agent-x -n ops\n",
                "  updateStrategy:\n    type: RollingUpdate\n",
            ]),
            case(
                "RollingUpdate: the rollout's own pace, or undo",
                NodeStatus::Running,
                vec![Finding::OutdatedRevision {
                    pod_revision: "old1".into(),
                    current: "new2".into(),
                }],
            )
            .pod("agent-x")
            .want(&[
                "alt-cmd: kubectl rollout undo daemonset/agent -n ops\n",
                "note: a rolling update replaces pods a few at a time",
            ])
            .absent(&["fix:"]),
            case(
                "terminating on a down node: force",
                NodeStatus::Running,
                vec![
                    Finding::PodTerminating {
                        since: Some("2026-01-01T00:00:00Z".into()),
                    },
                    Finding::OutdatedRevision {
                        pod_revision: "old1".into(),
                        current: "new2".into(),
                    },
                ],
            )
            .strategy("OnDelete")
            .nodes(vec![down])
            .pod("agent-x")
            .want(&[
                "fix-cmd: kubectl delete pod agent-x -n ops --grace-period=0 --force\n",
                "note: the pod is already being deleted: its replacement comes from revision new2",
            ])
            .absent(&["fix-cmd: kubectl delete pod agent-x -n ops\n"]),
            case(
                "terminating on a Ready node: forcing is only an alternative",
                NodeStatus::Running,
                vec![Finding::PodTerminating { since: None }],
            )
            .pod("agent-x")
            .want(&["alt-cmd: kubectl delete pod agent-x -n ops --grace-period=0 --force\n"])
            .absent(&["fix:"]),
        ];
        for c in &cases {
            check(c);
        }
    }
}
