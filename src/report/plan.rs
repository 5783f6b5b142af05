//! The `plan` document (`kind: PlanReport`): what applying a DaemonSet manifest would do on each node.

use serde::Serialize;

use super::{Finding, Kind};
use crate::diagnose::admission::AdmissionCheck;

impl Kind for PlanReport {
    const KIND: &'static str = "PlanReport";
}

/// What happens to the DaemonSet's pod on a node once the manifest is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum PlanStatus {
    /// Refused by admission: the controller's create call fails (FailedCreate), no pod exists.
    Refused,
    /// Created, but the scheduler cannot place it: it stays Pending.
    Unschedulable,
    /// Created and placed.
    Schedulable,
    /// The node does not qualify: no pod is expected.
    Ineligible,
}

impl PlanStatus {
    pub fn word(self) -> &'static str {
        match self {
            PlanStatus::Refused => "Refused",
            PlanStatus::Unschedulable => "Unschedulable",
            PlanStatus::Schedulable => "Schedulable",
            PlanStatus::Ineligible => "Ineligible",
        }
    }
}

/// What the controller does to the node's pod when the DaemonSet already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// No pod today; one will be created.
    Add,
    /// A pod today; the node no longer qualifies, so the controller deletes it.
    Remove,
    /// A pod today on another template: the rollout replaces it.
    Replace,
    /// A pod today that stays as it is.
    Keep,
    /// No pod today, none after.
    None,
}

impl Change {
    pub fn word(self) -> &'static str {
        match self {
            Change::Add => "add",
            Change::Remove => "remove",
            Change::Replace => "replace",
            Change::Keep => "keep",
            Change::None => "none",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanReport {
    pub daemonset: PlannedDaemonSet,
    pub summary: PlanSummary,
    /// Each admission plugin's verdict on the pod (the same for every node).
    pub admission: Vec<AdmissionCheck>,
    /// Sentences: checks skipped, quota competition, what is not modelled.
    pub notes: Vec<String>,
    /// Every node, problems first.
    pub nodes: Vec<NodePlan>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedDaemonSet {
    pub namespace: String,
    pub name: String,
    /// The DaemonSet already exists in the cluster state: the plan is a change.
    pub exists: bool,
    /// `RollingUpdate maxUnavailable=1 maxSurge=0` or `OnDelete`, after defaulting.
    pub update_strategy: String,
    /// Whether the pod template differs from the existing one's; null when it does not exist.
    pub template_changed: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanSummary {
    /// `+3 nodes, -1 node, 12 pods replaced (RollingUpdate maxUnavailable=1: ~12 steps)`, or the counts.
    pub text: String,
    pub counts: PlanCounts,
    pub changes: ChangeCounts,
    /// Rolling-update steps the replacements take (replaced / maxUnavailable or maxSurge, rounded up).
    pub rollout_steps: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PlanCounts {
    pub schedulable: usize,
    pub unschedulable: usize,
    pub refused: usize,
    pub ineligible: usize,
}

impl PlanCounts {
    pub fn add(&mut self, s: PlanStatus) {
        match s {
            PlanStatus::Schedulable => self.schedulable += 1,
            PlanStatus::Unschedulable => self.unschedulable += 1,
            PlanStatus::Refused => self.refused += 1,
            PlanStatus::Ineligible => self.ineligible += 1,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeCounts {
    pub add: usize,
    pub remove: usize,
    pub replace: usize,
    pub keep: usize,
    pub none: usize,
}

impl ChangeCounts {
    pub fn add(&mut self, c: Change) {
        match c {
            Change::Add => self.add += 1,
            Change::Remove => self.remove += 1,
            Change::Replace => self.replace += 1,
            Change::Keep => self.keep += 1,
            Change::None => self.none += 1,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodePlan {
    pub node: String,
    pub status: PlanStatus,
    /// One sentence to act on; the same words and figures as `why`.
    pub reason: String,
    pub change: Change,
    /// The cause in a few words (`taint dedicated=db:NoExecute`, `Insufficient cpu`, `PodSecurity`).
    pub cause: String,
    /// The structured evidence, as in `why`.
    pub findings: Vec<Finding>,
}
