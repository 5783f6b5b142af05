//! `--explain` advice for the pod as a whole: failed (evicted, refused at the kubelet's admission,
//! preempted, its node shut down), not Ready yet, and the kubelet events that are themselves the
//! explanation (volume mounts, the pod sandbox). FailedCreate goes to the creation module.

use super::NodeAdvisor;
use crate::report::{Advice, Finding};

impl NodeAdvisor<'_> {
    pub(super) fn pod_failed(&self, reason: Option<&str>, message: Option<&str>) -> Advice {
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

    pub(super) fn not_ready_yet(&self, detail: &str) -> Advice {
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
    pub(super) fn event(&self, reason: &str, message: &str) -> Option<Advice> {
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
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::report::{Finding, NodeStatus};

    #[test]
    fn pod_advice() {
        let cases = vec![
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
        ];
        for c in &cases {
            check(c);
        }
    }
}
