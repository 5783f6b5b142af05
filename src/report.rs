//! Our output types: the JSON/YAML contract of `why` and `coverage`.
//! Built by the diagnosis engine, read by the renderers; no colours or table layout here.

use serde::Serialize;

mod plan;
pub use plan::*;

/// The `apiVersion` of every `-o json|yaml` document, as kubectl objects carry one. Bumped (v1alpha2,
/// then v1beta1, v1) when a field is renamed, removed or changes meaning; adding a field does not bump it.
pub const API_VERSION: &str = "ds.kubectl.dev/v1alpha1";

/// The `kind` a report is printed as.
pub trait Kind {
    const KIND: &'static str;
}

impl Kind for DaemonSetReport {
    const KIND: &'static str = "DaemonSetReport";
}

impl Kind for CoverageReport {
    const KIND: &'static str = "CoverageReport";
}

/// A report as `-o json|yaml` prints it: `apiVersion` and `kind` first, as in every kubectl object,
/// then the report's own fields at the top level (so later fields, e.g. a `rollout` object, slot in).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Document<'a, T> {
    pub api_version: &'static str,
    pub kind: &'static str,
    #[serde(flatten)]
    pub report: &'a T,
}

impl<'a, T: Kind> Document<'a, T> {
    pub fn new(report: &'a T) -> Self {
        Document {
            api_version: API_VERSION,
            kind: T::KIND,
            report,
        }
    }
}

/// The verdict for one node. The variant names are the exact words users see and scripts match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum NodeStatus {
    /// The DaemonSet's pod is on the node and Ready.
    Running,
    /// Pod on the node, not Ready yet, nothing failed.
    Starting,
    /// A pod exists for the node but is not bound/running there (the scheduler refuses it).
    Pending,
    /// Pod on the node with a failure (image pull, crash loop, config error, Failed/Evicted).
    Failing,
    /// The node qualifies but no pod exists for it.
    Missing,
    /// The node does not qualify, so no pod is expected.
    Ineligible,
    /// A pod runs on a node that no longer qualifies.
    Misscheduled,
}

impl NodeStatus {
    pub const ALL: [NodeStatus; 7] = [
        NodeStatus::Running,
        NodeStatus::Starting,
        NodeStatus::Pending,
        NodeStatus::Failing,
        NodeStatus::Missing,
        NodeStatus::Ineligible,
        NodeStatus::Misscheduled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NodeStatus::Running => "Running",
            NodeStatus::Starting => "Starting",
            NodeStatus::Pending => "Pending",
            NodeStatus::Failing => "Failing",
            NodeStatus::Missing => "Missing",
            NodeStatus::Ineligible => "Ineligible",
            NodeStatus::Misscheduled => "Misscheduled",
        }
    }

    /// Problems first: the order rows are shown in.
    pub fn severity_rank(self) -> u8 {
        match self {
            NodeStatus::Failing => 0,
            NodeStatus::Missing => 1,
            NodeStatus::Pending => 2,
            NodeStatus::Misscheduled => 3,
            NodeStatus::Starting => 4,
            NodeStatus::Running => 5,
            NodeStatus::Ineligible => 6,
        }
    }

    /// Whether the node should run the DaemonSet's pod (the controller's `shouldRun`).
    pub fn is_eligible(self) -> bool {
        !matches!(self, NodeStatus::Ineligible | NodeStatus::Misscheduled)
    }

    /// An eligible node without a Ready pod: what `--exit-code` reports.
    pub fn is_gap(self) -> bool {
        self.is_eligible() && self != NodeStatus::Running
    }
}

impl std::fmt::Display for NodeStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `kubectl ds why` output: one DaemonSet against every node.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetReport {
    pub namespace: String,
    pub name: String,
    pub uid: Option<String>,
    /// Hash of the current template revision (`controller-revision-hash`), when known.
    pub current_revision: Option<String>,
    pub update_strategy: String,
    /// How the rollout stands, computed as the controller computes it; always set by `diagnose`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollout: Option<RolloutReport>,
    /// Counts the DaemonSet controller last wrote to `.status`.
    pub status: ApiStatus,
    /// Counts computed by kubectl-ds from nodes and pods, keyed by status word.
    pub counts: StatusCounts,
    /// Differences between `status` and `counts`, and rollout progress, as sentences.
    pub notes: Vec<String>,
    /// Set when events could not be read; reasons then rest on computed causes only.
    pub events_unavailable: Option<String>,
    pub nodes: Vec<NodeReport>,
}

/// The DaemonSet's own `.status`, as the controller last wrote it (absent fields are 0).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiStatus {
    pub desired_number_scheduled: i32,
    pub current_number_scheduled: i32,
    pub number_ready: i32,
    pub number_available: i32,
    pub number_unavailable: i32,
    pub number_misscheduled: i32,
    pub updated_number_scheduled: i32,
    pub observed_generation: Option<i64>,
    pub generation: Option<i64>,
}

/// Number of nodes per status word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StatusCounts {
    pub running: usize,
    pub starting: usize,
    pub pending: usize,
    pub failing: usize,
    pub missing: usize,
    pub ineligible: usize,
    pub misscheduled: usize,
}

impl StatusCounts {
    pub fn add(&mut self, status: NodeStatus) {
        *self.get_mut(status) += 1;
    }

    pub fn get(&self, status: NodeStatus) -> usize {
        match status {
            NodeStatus::Running => self.running,
            NodeStatus::Starting => self.starting,
            NodeStatus::Pending => self.pending,
            NodeStatus::Failing => self.failing,
            NodeStatus::Missing => self.missing,
            NodeStatus::Ineligible => self.ineligible,
            NodeStatus::Misscheduled => self.misscheduled,
        }
    }

    fn get_mut(&mut self, status: NodeStatus) -> &mut usize {
        match status {
            NodeStatus::Running => &mut self.running,
            NodeStatus::Starting => &mut self.starting,
            NodeStatus::Pending => &mut self.pending,
            NodeStatus::Failing => &mut self.failing,
            NodeStatus::Missing => &mut self.missing,
            NodeStatus::Ineligible => &mut self.ineligible,
            NodeStatus::Misscheduled => &mut self.misscheduled,
        }
    }

    /// Nodes that should run the pod (the controller's desiredNumberScheduled).
    pub fn eligible(&self) -> usize {
        self.running + self.starting + self.pending + self.failing + self.missing
    }

    pub fn total(&self) -> usize {
        self.eligible() + self.ineligible + self.misscheduled
    }
}

/// The verdict for one node.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeReport {
    pub node: String,
    pub status: NodeStatus,
    /// One sentence a person can act on.
    pub reason: String,
    /// The cause in a few words, for summaries: `ImagePullBackOff`, `taint gpu=true:NoSchedule`,
    /// `nodeSelector disk=ssd`, `Insufficient cpu`, `FailedCreate (PodSecurity)`; empty when Running.
    pub cause: String,
    /// The pod the verdict is about (the one the controller counts for this node), if any.
    pub pod: Option<String>,
    /// Whether that pod runs the current template; absent when there is no pod or nothing tells.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<Revision>,
    /// Every DaemonSet pod targeting this node (more than one during a surge rollout).
    pub pods: Vec<PodSummary>,
    /// The facts behind the verdict, structured.
    pub findings: Vec<Finding>,
    pub node_facts: NodeFacts,
    /// `--explain` only: how to confirm each finding by hand and the smallest fix; absent otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub advice: Vec<Advice>,
}

/// Whether a pod runs the DaemonSet's current template (`current`) or an older one (`old`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Revision {
    Current,
    Old,
}

/// How a DaemonSet's rollout stands. The variant names are the words users see and scripts match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RolloutState {
    /// Every node that should run the pod runs the current template, available.
    Complete,
    /// The controller replaces pods now, or waits for pods that are on their way to available.
    Progressing,
    /// It cannot go on: the budget is used up by pods that cannot become available (or, with every
    /// pod updated, some cannot become available).
    Stalled,
    /// updateStrategy OnDelete and pods of an old template remain: replaced only when deleted.
    OnDelete,
    /// The controller does not sync the DaemonSet (empty selector, being deleted) or refuses its
    /// strategy (an invalid maxUnavailable/maxSurge): nothing moves until that changes.
    NotSynced,
}

impl RolloutState {
    pub fn as_str(self) -> &'static str {
        match self {
            RolloutState::Complete => "Complete",
            RolloutState::Progressing => "Progressing",
            RolloutState::Stalled => "Stalled",
            RolloutState::OnDelete => "OnDelete",
            RolloutState::NotSynced => "NotSynced",
        }
    }
}

impl std::fmt::Display for RolloutState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rollout as the DaemonSet controller drives it (pkg/controller/daemon/update.go rollingUpdate):
/// the budget resolved against the desired node count, the counts `.status` would carry, the state,
/// and the nodes that hold it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutReport {
    /// `RollingUpdate` or `OnDelete`.
    pub strategy: String,
    /// maxUnavailable resolved against `desired` (percentages round up; 1 when both budgets are 0).
    pub max_unavailable: i32,
    /// maxSurge resolved against `desired` (percentages round up).
    pub max_surge: i32,
    /// Nodes that should run the pod.
    pub desired: i32,
    /// Of those, nodes whose pod runs the current template.
    pub updated: i32,
    /// Nodes whose pod is Ready for at least minReadySeconds.
    pub available: i32,
    /// desired - available.
    pub unavailable: i32,
    pub state: RolloutState,
    /// One sentence: where the rollout stands and why.
    pub message: String,
    /// What the controller does next: now, or once a blocker clears.
    pub next_step: Option<String>,
    /// The nodes whose pod uses up the budget or cannot become available, node order.
    pub blockers: Vec<Blocker>,
    /// `--explain` only: how to confirm the state and unblock it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub advice: Vec<Advice>,
}

/// One node holding a rollout back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Blocker {
    pub node: String,
    /// The pod that holds the budget (a new pod not yet available, an old one terminating), if any.
    pub pod: Option<String>,
    /// The cause in words, with the kubelet's or scheduler's own message where there is one.
    pub reason: String,
    /// Whether it clears by itself (a pod starting, minReadySeconds running) rather than needing a fix.
    #[serde(skip)]
    pub transient: bool,
}

/// What `--explain` says about one finding (or a group of findings fixed together, e.g. every
/// untolerated taint of a node, since one toleration list must hold them all).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Advice {
    /// What it is about, in a few words: `taint gpu=true:NoSchedule`, `CrashLoopBackOff (container agent)`.
    pub about: String,
    /// Read-only commands that show the fact for yourself.
    pub checks: Vec<String>,
    /// The smallest change that fixes it; None when the checks must tell first (a crash to read in
    /// the logs) or there is nothing to change (a rollout to let finish).
    pub fix: Option<Fix>,
    /// Other ways to fix it, each with its own trade-off.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Fix>,
    /// What to know before acting: side effects, what happens to a pod already there.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// One way to fix a finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fix {
    pub summary: String,
    /// A strategic merge patch for the DaemonSet, from its root (`spec:`): paste it into
    /// `kubectl edit`, or save it as fix.yaml for the `kubectl patch` command in `commands`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yaml: Option<String>,
    /// Commands that apply the fix, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<String>,
}

/// A DaemonSet pod targeting the node.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSummary {
    pub name: String,
    pub phase: String,
    pub ready: bool,
    pub bound: bool,
    pub restarts: i32,
    /// RFC 3339 creation time.
    pub created: Option<String>,
    pub revision: Option<String>,
    /// False when the pod runs an older template than the DaemonSet's current one.
    pub up_to_date: Option<bool>,
    pub terminating: bool,
}

/// What the node itself looks like.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeFacts {
    /// `True`, `False` or `Unknown` (the Ready condition), `Unknown` when absent.
    pub ready: String,
    pub unschedulable: bool,
    pub deleting: bool,
    /// Taints as `key=value:Effect`.
    pub taints: Vec<String>,
}

/// One structured fact behind a verdict. `kind` names the rule that produced it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "PascalCase",
    rename_all_fields = "camelCase"
)]
pub enum Finding {
    /// A taint the pod does not tolerate (`key=value:Effect`).
    UntoleratedTaint {
        key: String,
        value: Option<String>,
        effect: String,
        taint: String,
    },
    /// A nodeSelector entry the node's labels do not satisfy.
    NodeSelectorMismatch {
        key: String,
        wanted: String,
        /// The node's value for the key; null when the label is absent.
        actual: Option<String>,
    },
    /// No term of the required nodeAffinity matches; lists, per term, the first expression that fails.
    NodeAffinityMismatch { terms: Vec<AffinityTermMismatch> },
    /// The pod template names another node in `spec.nodeName`.
    NodeNameMismatch { wanted: String },
    /// Not enough free allocatable for the pod's request (scheduler NodeResourcesFit).
    InsufficientResource {
        resource: String,
        /// The pod's effective request, in the resource's canonical unit string (e.g. `1`, `500m`, `1Gi`).
        requested: String,
        allocatable: String,
        already_requested: String,
        /// How many non-terminated pods on the node make up `already_requested`.
        pods_on_node: usize,
    },
    /// The node already runs its maximum number of pods.
    TooManyPods {
        allocatable: i64,
        pods_on_node: usize,
    },
    /// A requested host port is already used on the node.
    HostPortConflict {
        port: i32,
        protocol: String,
        host_ip: String,
        held_by: String,
    },
    /// A container (or init container) is waiting or terminated with an error.
    ContainerProblem {
        container: String,
        init: bool,
        reason: String,
        message: Option<String>,
        image: Option<String>,
        restarts: i32,
        exit_code: Option<i32>,
        last_termination_reason: Option<String>,
    },
    /// The pod itself failed (phase Failed: Evicted, OutOfcpu, Preempted...).
    PodFailed {
        reason: Option<String>,
        message: Option<String>,
    },
    /// The pod exists but the node's kubelet or the scheduler has not started it yet.
    PodNotReady { detail: String },
    /// A quoted event (FailedScheduling, FailedCreate, BackOff...) as evidence.
    Event {
        reason: String,
        source: String,
        message: String,
        count: i32,
        last_seen: Option<String>,
    },
    /// The node is not Ready.
    NodeNotReady {
        status: String,
        reason: Option<String>,
        message: Option<String>,
    },
    /// The node is cordoned (spec.unschedulable): DaemonSet pods still go there.
    NodeCordoned,
    /// The node is being deleted.
    NodeDeleting,
    /// The pod is from an older template revision than the DaemonSet's current one.
    OutdatedRevision {
        pod_revision: String,
        current: String,
    },
    /// The pod is being deleted (deletionTimestamp set).
    PodTerminating { since: Option<String> },
    /// Something the scheduler checks that kubectl-ds does not model (volumes, topology, pod affinity).
    NotModelled { detail: String },
}

/// Why one required nodeAffinity term does not match.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AffinityTermMismatch {
    /// Index of the term in `nodeSelectorTerms`.
    pub term: usize,
    /// The failing requirement, as `key Operator [values]`.
    pub expression: String,
    /// The node's value for the key (label value, or node name for matchFields); null when absent.
    pub node_value: Option<String>,
}

/// `kubectl ds coverage` output: many DaemonSets against every node.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoverageReport {
    /// Every node name, sorted: the grid's rows (nodes absent from a row's `nodes` are Running there).
    pub node_names: Vec<String>,
    #[serde(rename = "daemonSets")]
    pub daemonsets: Vec<CoverageRow>,
    pub events_unavailable: Option<String>,
}

/// One DaemonSet's coverage.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoverageRow {
    pub namespace: String,
    pub name: String,
    pub counts: StatusCounts,
    /// Running over eligible, 0-100; 100 when no node is eligible.
    pub coverage: f64,
    /// The most common cause among non-running nodes, e.g. `3x ImagePullBackOff`.
    pub top_reason: Option<String>,
    /// How the rollout stands, as in `why` (always set by `coverage`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollout: Option<RolloutReport>,
    pub notes: Vec<String>,
    /// Every node that is not Running, as `why` reports it.
    pub nodes: Vec<CoverageNode>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CoverageNode {
    pub node: String,
    pub status: NodeStatus,
    pub reason: String,
    #[serde(skip)]
    pub cause: String,
}

impl Kind for NodeTrace {
    const KIND: &'static str = "NodeTrace";
}

/// `why NAME --node NODE`: every check the DaemonSet controller and the scheduler make for one node, in
/// their order, with the evidence behind each, then the pod's state and revision; `verdict` is the
/// node's row of `why`, which the checks always agree with.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeTrace {
    pub namespace: String,
    pub name: String,
    pub node: String,
    /// What the scheduler checks were run on, e.g. `pod hungry-x9tcr (not bound)` or
    /// `the pod the controller would create`.
    pub judged: String,
    pub verdict: TraceVerdict,
    pub checks: Vec<Check>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TraceVerdict {
    /// The node's status in `why`, or in `plan` for `plan --node`.
    pub status: TraceStatus,
    /// `plan --node` only: what the rollout does to the node's pod.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    pub reason: String,
    /// No check failed; true exactly when `status` is Running (plan: Schedulable).
    pub passed: bool,
}

/// `why`'s node status, or `plan`'s: serialized as the bare word either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum TraceStatus {
    Node(NodeStatus),
    Plan(PlanStatus),
}

impl TraceStatus {
    /// What `--exit-code` fails on: why's gaps; for a plan, a pod that would be Unschedulable or Refused.
    pub fn is_gap(self) -> bool {
        match self {
            TraceStatus::Node(s) => s.is_gap(),
            TraceStatus::Plan(s) => matches!(s, PlanStatus::Unschedulable | PlanStatus::Refused),
        }
    }
}

/// One check, named as upstream names the rule or plugin.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Check {
    pub stage: Stage,
    pub name: String,
    pub result: CheckResult,
    /// What was compared, in words and figures.
    pub evidence: String,
    /// For resources: the pods requesting the most of it on the node, largest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub consumers: Vec<Consumer>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Stage {
    /// The DaemonSet controller's NodeShouldRunDaemonPod.
    Controller,
    /// The scheduler's filters for the daemon pod.
    Scheduler,
    /// The pod the kubelet runs, and the events about it and the node.
    Pod,
    /// Whether the pod runs the current template.
    Revision,
    /// `plan --node`: the admission plugins that can refuse the pod as created.
    Admission,
    /// `plan --node`: the plan's status and change for the node.
    Plan,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CheckResult {
    Pass,
    Fail,
    /// Not evaluated: the check does not apply, or what it needs is unknown (said in the evidence).
    Skip,
    /// A fact that decides nothing on its own (an event, an ORed term that another term satisfies).
    Info,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Consumer {
    /// `namespace/name`.
    pub pod: String,
    /// Its request, as a quantity.
    pub amount: String,
}
