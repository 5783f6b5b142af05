//! `--explain` advice for a rollout in progress: a pod of an old revision (OnDelete waits for a
//! deletion, RollingUpdate for the new pods), a pod stuck terminating, and for the rollout as a
//! whole how to confirm its state and unblock it (force out a pod on a dead node, roll back, widen
//! the budget).

use std::collections::HashMap;

use super::yaml::{Y, e, s};
use super::{Ctx, NodeAdvisor};
use crate::diagnose::cluster::name;
use crate::report::{Advice, Blocker, Finding, Fix, RolloutReport, RolloutState};
use crate::snapshot::pod::Pod;

impl Ctx<'_> {
    /// The alternative to OnDelete, offered for the rollout and for each old pod alike.
    fn switch_to_rolling_update(&self) -> Fix {
        self.ds_fix(
            "let the controller replace old pods by itself: switch to RollingUpdate".to_owned(),
            Y::Map(vec![e(
                "spec",
                Y::Map(vec![e(
                    "updateStrategy",
                    Y::Map(vec![e("type", s("RollingUpdate"))]),
                )]),
            )]),
        )
    }

    /// Advice for the rollout as a whole; `old_pods` are the pods of an old revision, node order.
    pub(super) fn rollout_advice(
        &self,
        r: &RolloutReport,
        daemon_pods: &[&Pod],
        old_pods: &[&str],
    ) -> Vec<Advice> {
        if r.state == RolloutState::Complete {
            return Vec::new();
        }
        let ds = format!("daemonset/{} {}", self.name, self.n());
        let mut a = Advice {
            about: format!("rollout {}", r.state),
            checks: vec![
                format!("kubectl rollout status {ds} --watch=false"),
                format!("kubectl rollout history {ds}"),
                format!(
                    "kubectl get pods {} -L controller-revision-hash -o wide",
                    self.n()
                ),
            ],
            fix: None,
            alternatives: Vec::new(),
            notes: r.next_step.iter().map(|n| format!("next: {n}")).collect(),
        };
        if r.state == RolloutState::OnDelete {
            if let Some(p) = old_pods.first() {
                a.fix = Some(Fix {
                    summary: format!(
                        "replace an old pod: delete it and the controller creates one from the current revision ({} old left)",
                        old_pods.len()
                    ),
                    yaml: None,
                    commands: vec![format!("kubectl delete pod {p} {}", self.n())],
                });
            }
            a.alternatives.push(self.switch_to_rolling_update());
            return vec![a];
        }
        let pods: HashMap<&str, &Pod> = daemon_pods
            .iter()
            .map(|p| (name(&p.metadata), *p))
            .collect();
        let mut fixes = Vec::new();
        for b in r.blockers.iter().filter(|b| self.node_down(b)) {
            let terminating = b
                .pod
                .as_deref()
                .and_then(|p| pods.get(p))
                .is_some_and(|p| p.metadata.deletion_timestamp.is_some());
            match (&b.pod, terminating) {
                (Some(p), true) => fixes.push(Fix {
                    summary: format!(
                        "{} is down and cannot confirm {p} stopped: if its containers surely stopped, force the deletion so the pod stops counting",
                        b.node
                    ),
                    yaml: None,
                    commands: vec![format!(
                        "kubectl delete pod {p} {} --grace-period=0 --force",
                        self.n()
                    )],
                }),
                _ => fixes.push(Fix {
                    summary: format!(
                        "if {} is gone for good, delete its Node object: it then stops counting and its pods are garbage-collected",
                        b.node
                    ),
                    yaml: None,
                    commands: vec![format!("kubectl delete node {}", b.node)],
                }),
            }
        }
        let failing = r
            .blockers
            .iter()
            .any(|b| !b.transient && !self.node_down(b));
        if failing {
            fixes.push(Fix {
                summary: "if the new template is what fails, go back to the previous revision"
                    .to_owned(),
                yaml: None,
                commands: vec![format!("kubectl rollout undo {ds}")],
            });
        }
        let stuck = r.state == RolloutState::Stalled && !r.blockers.is_empty();
        if stuck && r.strategy == "RollingUpdate" {
            let n = r.blockers.len() as i64 + 1;
            let (key, what) = if r.max_surge > 0 {
                ("maxSurge", "surge onto one more node")
            } else {
                ("maxUnavailable", "replace one more old pod")
            };
            fixes.push(self.ds_fix(
                format!(
                    "raise {key} to {n} so the controller can {what} while the blocked nodes hold {}",
                    r.blockers.len()
                ),
                Y::Map(vec![e(
                    "spec",
                    Y::Map(vec![e(
                        "updateStrategy",
                        Y::Map(vec![e("rollingUpdate", Y::Map(vec![e(key, Y::Int(n))]))]),
                    )]),
                )]),
            ));
        }
        if r.blockers.iter().all(|b| b.transient) && !r.blockers.is_empty() {
            a.notes.push(
                "the pods holding the rollout are on their way (starting, or Ready and waiting out minReadySeconds): nothing to fix, it goes on by itself"
                    .to_owned(),
            );
        }
        let mut fixes = fixes.into_iter();
        a.fix = fixes.next();
        a.alternatives.extend(fixes);
        vec![a]
    }

    fn node_down(&self, b: &Blocker) -> bool {
        self.cluster
            .nodes
            .iter()
            .find(|n| name(&n.metadata) == b.node)
            .and_then(|n| n.status.as_ref())
            .and_then(|s| s.conditions.as_ref())
            .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
            .is_some_and(|c| c.status != "True")
    }
}

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
            a.alternatives.push(ctx.switch_to_rolling_update());
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
