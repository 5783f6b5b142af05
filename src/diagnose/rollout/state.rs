//! The rollout report: the counts `.status` would carry, the state, the blockers with their cause in
//! words, and the controller's next step. Pure: the snapshot, the verdicts and `now` decide it.

use std::collections::{BTreeSet, HashMap};

use jiff::Timestamp;
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Node;

use super::CurrentRevision;
use super::budget::{Budget, available_at, is_pod_available, is_rolling_update};
use super::pass::{NodePods, Pass, rolling_update};
use crate::diagnose::cluster::{Cluster, name, selects_everything};
use crate::diagnose::pod_state;
use crate::report::{Blocker, NodeReport, NodeStatus, RolloutReport, RolloutState};
use crate::snapshot::pod::Pod;

/// How the DaemonSet's rollout stands at `now`, from its pods and the per-node verdicts (`nodes`:
/// every node of the snapshot, as `diagnose` judged them, before any `--status` filter). Cheap
/// enough to run again on every change of the snapshot.
pub fn assess(
    cluster: &Cluster,
    ds: &DaemonSet,
    nodes: &[NodeReport],
    now: Timestamp,
) -> RolloutReport {
    let current = &CurrentRevision::new(ds, cluster.revisions(ds));
    let min_ready = ds.spec.min_ready_seconds.unwrap_or(0);
    let rolling = is_rolling_update(ds);
    let node_pods = node_pods(cluster, ds, nodes);
    let available = |p: &Pod| is_pod_available(p, min_ready, now);

    // The counts updateDaemonSetStatus writes: each node that should run the pod, by its first pod.
    // Mirrors pkg/controller/daemon/daemon_controller.go (updateDaemonSetStatus)
    let mut desired = 0;
    let (mut updated, mut available_n) = (0, 0);
    let mut unavailable_nodes = Vec::new();
    for n in node_pods.iter().filter(|n| n.should_run) {
        desired += 1;
        match n.pods.first() {
            Some(p) => {
                updated += i32::from(current.is_pod_updated(p) != Some(false));
                if available(p) {
                    available_n += 1;
                } else {
                    unavailable_nodes.push(n);
                }
            }
            None => unavailable_nodes.push(n),
        }
    }
    let budget = super::budget::updated_desired_node_counts(ds, desired);
    let mut report = RolloutReport {
        strategy: if rolling { "RollingUpdate" } else { "OnDelete" }.to_owned(),
        max_unavailable: budget.as_ref().map_or(0, |b| b.max_unavailable),
        max_surge: budget.as_ref().map_or(0, |b| b.max_surge),
        desired,
        updated,
        available: available_n,
        unavailable: desired - available_n,
        state: RolloutState::Complete,
        message: String::new(),
        next_step: None,
        blockers: Vec::new(),
        advice: Vec::new(),
    };

    // Mirrors syncDaemonSet: these DaemonSets are never synced, so nothing is replaced.
    let not_synced = if selects_everything(&ds.spec.selector) {
        Some("the selector is empty, so the controller does not sync this DaemonSet".to_owned())
    } else if ds.metadata.deletion_timestamp.is_some() {
        Some("the DaemonSet is being deleted, so the controller replaces nothing".to_owned())
    } else {
        budget.as_ref().err().map(|e| {
            format!("the controller refuses the update strategy on every sync ({e}), so it replaces nothing")
        })
    };
    if let Some(why) = not_synced {
        report.state = RolloutState::NotSynced;
        report.message = why;
        return report;
    }
    let budget = budget.unwrap_or(Budget {
        max_surge: 0,
        max_unavailable: 0,
    });

    let pass = if rolling {
        rolling_update(&node_pods, current, budget, min_ready, now)
    } else {
        onto_delete(&node_pods, current)
    };

    // Blockers: nodes holding the budget, and nodes that should run the pod but have none available
    // (unless the controller replaces their pod in this very pass).
    let acted: BTreeSet<&str> = pass
        .delete_now
        .iter()
        .map(|(n, _)| n.as_str())
        .chain(pass.create_now.iter().map(String::as_str))
        .collect();
    let mut blocking: Vec<(String, Option<String>)> = pass.budget_users.clone();
    for n in unavailable_nodes {
        if !acted.contains(n.node.as_str()) && !blocking.iter().any(|(b, _)| *b == n.node) {
            let pod = pick_blocking_pod(&n.pods, current).map(|p| name(&p.metadata).to_owned());
            blocking.push((n.node.clone(), pod));
        }
    }
    blocking.sort();
    let reports: HashMap<&str, &NodeReport> = nodes.iter().map(|n| (n.node.as_str(), n)).collect();
    let all_pods: HashMap<(&str, &str), &Pod> = node_pods
        .iter()
        .flat_map(|n| {
            n.pods
                .iter()
                .map(move |p| ((n.node.as_str(), name(&p.metadata)), *p))
        })
        .collect();
    let node_objects: HashMap<&str, &Node> = cluster
        .nodes
        .iter()
        .map(|n| (name(&n.metadata), *n))
        .collect();
    report.blockers = blocking
        .iter()
        .map(|(node, pod)| {
            let pod = pod
                .as_deref()
                .and_then(|p| all_pods.get(&(node.as_str(), p)).copied());
            blocker(
                cluster,
                node,
                node_objects.get(node.as_str()).copied(),
                reports.get(node.as_str()).copied(),
                pod,
                min_ready,
                now,
            )
        })
        .collect();

    decide(&mut report, &pass, rolling, current);
    report
}

/// With OnDelete the controller replaces nothing by itself: which nodes hold old pods matters, and
/// which wait for a deleted pod to be gone before the controller creates the new one.
fn onto_delete(nodes: &[NodePods], current: &CurrentRevision) -> Pass {
    let should_run = || nodes.iter().filter(|n| n.should_run);
    Pass {
        budget_users: should_run()
            .filter(|n| {
                !n.pods.is_empty()
                    && n.pods
                        .iter()
                        .all(|p| p.metadata.deletion_timestamp.is_some())
            })
            .map(|n| {
                let pod = n.pods.first().map(|p| name(&p.metadata).to_owned());
                (n.node.clone(), pod)
            })
            .collect(),
        old_nodes: should_run()
            .filter(|n| {
                n.pods.iter().any(|p| {
                    p.metadata.deletion_timestamp.is_none()
                        && current.is_pod_updated(p) == Some(false)
                })
            })
            .map(|n| n.node.clone())
            .collect(),
        ..Pass::default()
    }
}

/// The state, the sentence, and the next step, from the pass and the blockers.
fn decide(report: &mut RolloutReport, pass: &Pass, rolling: bool, current: &CurrentRevision) {
    let old = pass.old_nodes.len();
    let revision = current
        .hash
        .as_deref()
        .map(|h| format!("revision {h}"))
        .unwrap_or_else(|| "the current template".to_owned());
    let blockers = node_list(report.blockers.iter().map(|b| b.node.as_str()));
    let n_blockers = report.blockers.len();
    let waiting = pass.waiting.len();
    let acts = !pass.delete_now.is_empty() || !pass.create_now.is_empty();
    let surge = report.max_surge > 0;

    if !rolling && old > 0 {
        report.state = RolloutState::OnDelete;
        report.message = format!(
            "{old} of {} {} still {} an old revision: with updateStrategy OnDelete the controller replaces a pod only when someone deletes it",
            report.desired,
            plural(report.desired as usize, "node", "nodes"),
            if old == 1 { "runs" } else { "run" },
        );
        if n_blockers > 0 {
            report.message.push_str(&format!(
                "; {blockers} {} for a deleted pod to be gone",
                plural(n_blockers, "waits", "wait")
            ));
        }
        report.next_step = Some(format!(
            "each old pod deleted is replaced by one from {revision} on the same node"
        ));
        return;
    }
    if rolling && acts {
        report.state = RolloutState::Progressing;
        let mut parts = Vec::new();
        if !pass.delete_now.is_empty() {
            parts.push(format!(
                "deletes old {} on {}",
                plural(pass.delete_now.len(), "pod", "pods"),
                node_list(pass.delete_now.iter().map(|(n, _)| n.as_str()))
            ));
        }
        if !pass.create_now.is_empty() {
            parts.push(format!(
                "creates {} beside the old {} on {}",
                plural(pass.create_now.len(), "a new pod", "new pods"),
                plural(pass.create_now.len(), "one", "ones"),
                node_list(pass.create_now.iter().map(String::as_str))
            ));
        }
        report.message = format!("the controller now {}", parts.join(" and "));
        report.next_step = next_after_blockers(report, pass, surge);
        return;
    }
    // Every desired node runs an available current pod: `kubectl rollout status` reports success and
    // the controller has nothing left to replace. A pod on a node that no longer qualifies may still
    // count against the budget in rollingUpdate, but with no old pod left it holds nothing up.
    if old == 0 && report.unavailable == 0 {
        report.blockers.clear();
        report.state = RolloutState::Complete;
        report.message = if report.desired == 0 {
            "no node should run the pod".to_owned()
        } else {
            format!(
                "all {} {} run {revision}, available",
                report.desired,
                plural(report.desired as usize, "node", "nodes")
            )
        };
        return;
    }
    let transient = n_blockers > 0 && report.blockers.iter().all(|b| b.transient);
    report.state = if transient {
        RolloutState::Progressing
    } else {
        RolloutState::Stalled
    };
    report.message = if old == 0 || !rolling {
        format!(
            "no old pod is left to replace, but {n_blockers} {} no available pod: {blockers}",
            plural(n_blockers, "node has", "nodes have")
        )
    } else if transient {
        format!(
            "waiting for {n_blockers} {} to become available ({blockers}); {waiting} old {}",
            plural(n_blockers, "pod", "pods"),
            plural(waiting, "pod waits", "pods wait")
        )
    } else if surge {
        format!(
            "maxSurge {} is used up by {blockers}, whose new pod cannot become available; {waiting} old {}",
            report.max_surge,
            plural(waiting, "pod waits", "pods wait")
        )
    } else {
        format!(
            "maxUnavailable {} is used up by {blockers}, whose pod cannot become available; {waiting} old {}",
            report.max_unavailable,
            plural(waiting, "pod waits", "pods wait")
        )
    };
    report.next_step = next_after_blockers(report, pass, surge);
}

/// What the controller does once a blocker clears.
fn next_after_blockers(report: &RolloutReport, pass: &Pass, surge: bool) -> Option<String> {
    let waiting = pass.waiting.len();
    if waiting == 0 {
        return (!report.blockers.is_empty()).then(|| {
            "no old pod waits: the rollout completes once these pods become available".to_owned()
        });
    }
    Some(if surge {
        format!(
            "each time a surged pod becomes available the controller deletes the old pod beside it and surges onto one more node ({waiting} waiting)"
        )
    } else {
        format!(
            "each time a pod holding the budget becomes available (or its node stops counting), the controller deletes one more old pod and replaces it ({waiting} waiting)"
        )
    })
}

/// Every node holding a pod of the DaemonSet, and every node that should run one, by node name.
fn node_pods<'a>(cluster: &Cluster<'a>, ds: &DaemonSet, nodes: &[NodeReport]) -> Vec<NodePods<'a>> {
    let mut by_node = cluster.daemon_pods_by_node(ds).by_node;
    let mut out: Vec<NodePods> = nodes
        .iter()
        .filter_map(|n| {
            let pods = by_node.remove(&n.node).unwrap_or_default();
            let should_run = n.status.is_eligible();
            (should_run || !pods.is_empty()).then(|| NodePods {
                node: n.node.clone(),
                should_run,
                pods,
            })
        })
        .collect();
    // Pods bound to nodes the snapshot lacks are still in the controller's map.
    out.extend(by_node.into_iter().map(|(node, pods)| NodePods {
        node,
        should_run: false,
        pods,
    }));
    for n in &mut out {
        crate::diagnose::verdict::sort_like_controller(&mut n.pods);
    }
    out.sort_by(|a, b| a.node.cmp(&b.node));
    out
}

/// The pod that keeps a node unavailable: the new one if any (it has to become available), else the
/// first one.
fn pick_blocking_pod<'a>(pods: &[&'a Pod], current: &CurrentRevision) -> Option<&'a Pod> {
    pods.iter()
        .find(|p| {
            p.metadata.deletion_timestamp.is_none() && current.is_pod_updated(p) == Some(true)
        })
        .or_else(|| pods.first())
        .copied()
}

/// One blocker, with its cause in words taken from what the engine knows about the node and pod.
fn blocker(
    cluster: &Cluster,
    node_name: &str,
    node: Option<&Node>,
    verdict: Option<&NodeReport>,
    pod: Option<&Pod>,
    min_ready: i32,
    now: Timestamp,
) -> Blocker {
    let down = node.and_then(not_ready_since);
    let (mut reason, mut transient) = match pod {
        None => match verdict {
            Some(v) => (
                v.reason.clone(),
                matches!(v.cause.as_str(), "not created" | "replacing finished pod"),
            ),
            None => ("no pod".to_owned(), false),
        },
        Some(p) => pod_reason(cluster, p, verdict, down.is_some(), min_ready, now),
    };
    if let Some(down) = down {
        if !reason.contains("NotReady") {
            reason = format!("node {down}; {reason}");
        }
        transient = false;
    }
    if node.is_none() {
        reason.push_str("; the node is not among the snapshot's nodes (deleted?)");
    }
    Blocker {
        node: node_name.to_owned(),
        pod: pod.map(|p| name(&p.metadata).to_owned()),
        reason,
        transient,
    }
}

fn pod_reason(
    cluster: &Cluster,
    pod: &Pod,
    verdict: Option<&NodeReport>,
    node_down: bool,
    min_ready: i32,
    now: Timestamp,
) -> (String, bool) {
    let pod_name = name(&pod.metadata);
    if let Some(since) = &pod.metadata.deletion_timestamp {
        let why = if node_down {
            ": its node cannot confirm the containers stopped, so it stays until the node returns or the pod is force-deleted"
        } else {
            ": the controller creates the new pod once the kubelet confirms it is gone"
        };
        return (
            format!("pod {pod_name} Terminating since {}{why}", since.0),
            !node_down,
        );
    }
    let bound = pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .is_some_and(|n| !n.is_empty());
    if !bound {
        return match verdict.filter(|v| v.pod.as_deref() == Some(pod_name)) {
            Some(v) => (v.reason.clone(), false),
            None => (format!("pod {pod_name} is not scheduled yet"), true),
        };
    }
    if pod_state::is_pod_ready(pod) {
        let since = super::budget::ready_condition(pod)
            .and_then(|c| c.last_transition_time.as_ref())
            .map(|t| t.0.to_string())
            .unwrap_or_else(|| "an unknown time".to_owned());
        let until = available_at(pod, min_ready)
            .map(|t| {
                let left = (t.as_second() - now.as_second()).max(0);
                format!(" (available at {t}, in {left}s)")
            })
            .unwrap_or_default();
        return (
            format!(
                "pod {pod_name} Ready since {since}: minReadySeconds {min_ready} not elapsed{until}"
            ),
            true,
        );
    }
    let ns = pod.metadata.namespace.as_deref().unwrap_or("");
    let events = cluster.events_for(ns, "Pod", pod_name, pod.metadata.uid.as_deref());
    let a = pod_state::assess_bound_pod(pod, &events);
    let age = pod
        .metadata
        .creation_timestamp
        .as_ref()
        .map(|t| now.as_second() - t.0.as_second());
    // A pod still starting long after it was created is not on its way: the kubelet is not getting
    // it there (the alerts on stuck rollouts wait 15 minutes; a pod normally starts in seconds).
    let stuck = age.is_some_and(|a| a > STARTING_GRACE_SECONDS);
    let mut reason = format!("pod {pod_name}: {}", a.reason);
    // The creation time rather than an age: the same state reads the same whenever it is judged.
    if a.status == NodeStatus::Starting
        && stuck
        && let Some(created) = &pod.metadata.creation_timestamp
    {
        reason.push_str(&format!(
            " (created {}, still starting after more than {})",
            created.0,
            span(STARTING_GRACE_SECONDS)
        ));
    }
    (reason, a.status == NodeStatus::Starting && !stuck)
}

/// How long a starting pod counts as on its way to available.
const STARTING_GRACE_SECONDS: i64 = 5 * 60;

/// `NotReady since <time> (Ready=Unknown: message)` for a node that is not Ready.
fn not_ready_since(node: &Node) -> Option<String> {
    let c = node
        .status
        .as_ref()
        .and_then(|s| s.conditions.as_ref())
        .and_then(|c| c.iter().find(|c| c.type_ == "Ready"));
    match c {
        Some(c) if c.status == "True" => None,
        Some(c) => {
            let since = c
                .last_transition_time
                .as_ref()
                .map(|t| format!(" since {}", t.0))
                .unwrap_or_default();
            let msg = c
                .message
                .as_deref()
                .map(|m| format!(": {m}"))
                .unwrap_or_default();
            Some(format!(
                "{} NotReady{since} (Ready={}{msg})",
                name(&node.metadata),
                c.status
            ))
        }
        None => Some(format!(
            "{} NotReady (no Ready condition)",
            name(&node.metadata)
        )),
    }
}

/// `45s`, `12m`, `3h20m`, `2d4h`: a span for a sentence.
fn span(secs: i64) -> String {
    let (d, h, m) = (secs / 86_400, secs / 3_600 % 24, secs / 60 % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{secs}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h{m}m"),
        (d, h, _) => format!("{d}d{h}h"),
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// `a`, `a and b`, `a, b and 3 more`.
fn node_list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [a, b] => format!("{a} and {b}"),
        [a, b, c] => format!("{a}, {b} and {c}"),
        [a, b, rest @ ..] => format!("{a}, {b} and {} more", rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::verdict::diagnose;
    use crate::snapshot::Snapshot;
    use serde_json::{Value, json};

    const NOW: i64 = 1_000_000;

    fn at(s: i64) -> String {
        Timestamp::from_second(s).unwrap().to_string()
    }

    fn node(name: &str, ready: &str) -> Value {
        json!({"metadata": {"name": name}, "status": {
            "allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"},
            "conditions": [{"type": "Ready", "status": ready, "lastTransitionTime": at(0)}]}})
    }

    fn ds(strategy: Value, min_ready: i32) -> Value {
        json!({"metadata": {"name": "foo", "namespace": "default", "uid": "ds-uid"},
               "spec": {"selector": {"matchLabels": {"app": "foo"}}, "minReadySeconds": min_ready,
                        "updateStrategy": strategy,
                        "template": {"metadata": {"labels": {"app": "foo"}}, "spec": {"containers": [{"name": "c"}]}}}})
    }

    fn revision(hash: &str, n: i64) -> Value {
        json!({"metadata": {"name": format!("foo-{hash}"), "namespace": "default",
                            "labels": {"controller-revision-hash": hash},
                            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "foo", "uid": "ds-uid", "controller": true}]},
               "revision": n})
    }

    /// A pod on `node` of revision `hash`: Ready since `ready_since`, or not Ready (containers
    /// running) and created at `created`.
    fn pod(name: &str, node: &str, hash: &str, ready_since: Option<i64>, created: i64) -> Value {
        let ready = match ready_since {
            Some(t) => json!({"type": "Ready", "status": "True", "lastTransitionTime": at(t)}),
            None => json!({"type": "Ready", "status": "False", "lastTransitionTime": at(created)}),
        };
        json!({"metadata": {"name": name, "namespace": "default", "uid": name, "creationTimestamp": at(created),
                            "labels": {"app": "foo", "controller-revision-hash": hash},
                            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "foo", "uid": "ds-uid", "controller": true}]},
               "spec": {"nodeName": node, "containers": [{"name": "c"}]},
               "status": {"phase": "Running", "conditions": [ready],
                          "containerStatuses": [{"name": "c", "image": "i", "imageID": "", "ready": ready_since.is_some(),
                                                 "restartCount": 0, "state": {"running": {}}}]}})
    }

    fn assess_case(
        strategy: Value,
        min_ready: i32,
        nodes: Vec<Value>,
        pods: Vec<Value>,
    ) -> RolloutReport {
        let snapshot = Snapshot {
            nodes: nodes
                .into_iter()
                .map(|v| serde_json::from_value(v).unwrap())
                .collect(),
            daemonsets: vec![serde_json::from_value(ds(strategy, min_ready)).unwrap()],
            pods: pods
                .into_iter()
                .map(|v| serde_json::from_value(v).unwrap())
                .collect(),
            revisions: vec![
                serde_json::from_value(revision("old", 1)).unwrap(),
                serde_json::from_value(revision("new", 2)).unwrap(),
            ],
            ..Snapshot::default()
        };
        let cluster = Cluster::new(&snapshot);
        let now = Timestamp::from_second(NOW).unwrap();
        diagnose(&cluster, &snapshot.daemonsets[0], now)
            .rollout
            .unwrap()
    }

    fn unavailable(n: i32) -> Value {
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": n}})
    }

    /// The state decision on the situations upstream's update_test.go drives the controller through.
    #[test]
    fn state_follows_the_controllers_pass() {
        let nodes = || {
            (0..3)
                .map(|i| node(&format!("node-{i}"), "True"))
                .collect::<Vec<_>>()
        };
        let long_ago = NOW - 3600;
        let old = |i: usize| pod(&format!("old-{i}"), &format!("node-{i}"), "old", Some(0), 0);
        let new_ready = |i: usize| {
            pod(
                &format!("new-{i}"),
                &format!("node-{i}"),
                "new",
                Some(long_ago),
                long_ago,
            )
        };
        // (case, strategy, minReadySeconds, pods, state, blockers)
        type Case<'a> = (&'a str, Value, i32, Vec<Value>, RolloutState, usize);
        let cases: Vec<Case> = vec![
            (
                "TestDaemonSetUpdatesNoTemplateChanged: every pod current and available",
                unavailable(1),
                0,
                (0..3).map(new_ready).collect(),
                RolloutState::Complete,
                0,
            ),
            (
                "TestDaemonSetUpdatesPods: old available pods and budget left: the controller deletes now",
                unavailable(2),
                0,
                (0..3).map(old).collect(),
                RolloutState::Progressing,
                0,
            ),
            (
                "TestDaemonSetUpdatesWhenNewPodIsNotReady: the new pod started long ago and is still not Ready",
                unavailable(1),
                0,
                vec![
                    pod("new-0", "node-0", "new", None, long_ago),
                    old(1),
                    old(2),
                ],
                RolloutState::Stalled,
                1,
            ),
            (
                "a new pod created a minute ago is on its way",
                unavailable(1),
                0,
                vec![
                    pod("new-0", "node-0", "new", None, NOW - 60),
                    old(1),
                    old(2),
                ],
                RolloutState::Progressing,
                1,
            ),
            (
                "TestDaemonSetUpdatesAllOldPodsNotReadyMaxSurge: minReadySeconds not elapsed yet",
                unavailable(1),
                15,
                vec![
                    pod("new-0", "node-0", "new", Some(NOW - 10), NOW - 20),
                    old(1),
                    old(2),
                ],
                RolloutState::Progressing,
                1,
            ),
            (
                "minReadySeconds elapsed: the next old pod goes",
                unavailable(1),
                15,
                vec![
                    pod("new-0", "node-0", "new", Some(NOW - 20), NOW - 30),
                    old(1),
                    old(2),
                ],
                RolloutState::Progressing,
                0,
            ),
            (
                "OnDelete leaves old pods alone",
                json!({"type": "OnDelete"}),
                0,
                (0..3).map(old).collect(),
                RolloutState::OnDelete,
                0,
            ),
            (
                "an invalid maxUnavailable stops every sync",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "ten"}}),
                0,
                (0..3).map(old).collect(),
                RolloutState::NotSynced,
                0,
            ),
        ];
        for (name, strategy, min_ready, pods, want, blockers) in cases {
            let r = assess_case(strategy, min_ready, nodes(), pods);
            assert_eq!(
                (r.state, r.blockers.len()),
                (want, blockers),
                "{name}: {}",
                r.message
            );
        }
    }

    /// A node gone NotReady whose old pod the controller deleted: the pod stays Terminating and
    /// holds maxUnavailable, so nothing else is replaced.
    #[test]
    fn terminating_pod_on_a_dead_node_stalls_the_rollout() {
        let mut dead = pod("old-2", "node-2", "old", None, 0);
        dead["metadata"]["deletionTimestamp"] = json!(at(NOW - 600));
        let r = assess_case(
            unavailable(1),
            0,
            vec![
                node("node-0", "True"),
                node("node-1", "True"),
                node("node-2", "Unknown"),
            ],
            vec![
                pod("old-0", "node-0", "old", Some(0), 0),
                pod("old-1", "node-1", "old", Some(0), 0),
                dead,
            ],
        );
        assert_eq!(r.state, RolloutState::Stalled, "{}", r.message);
        assert_eq!(r.blockers.len(), 1);
        let b = &r.blockers[0];
        assert_eq!(
            (b.node.as_str(), b.pod.as_deref()),
            ("node-2", Some("old-2"))
        );
        assert!(
            b.reason.starts_with("node node-2 NotReady since"),
            "{}",
            b.reason
        );
        assert!(b.reason.contains("Terminating since"), "{}", b.reason);
        assert!(!b.transient);
    }
}
