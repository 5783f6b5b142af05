//! Many DaemonSets against every node: per-DaemonSet counts, coverage and the most common cause.

use std::collections::HashMap;

use jiff::Timestamp;
use rayon::prelude::*;

use k8s_openapi::api::apps::v1::DaemonSet;

use super::cluster::{Cluster, name};
use super::verdict::diagnose;
use crate::report::{CoverageNode, CoverageReport, CoverageRow, DaemonSetReport, NodeStatus};
use crate::snapshot::Snapshot;

/// Judges every DaemonSet of the snapshot (already narrowed to the user's selection by the source).
pub fn coverage(cluster: &Cluster, now: Timestamp) -> CoverageReport {
    coverage_of(
        cluster.snapshot,
        judge_each(cluster, now, |_| true, |r| row(&r)),
    )
}

/// The coverage of rows already made (`judge_each` with `row`) against the snapshot's nodes; it needs
/// no `Cluster` (whose pod indexes cost most at 5,000 nodes) once the rows are made.
pub fn coverage_of(snapshot: &Snapshot, rows: Vec<CoverageRow>) -> CoverageReport {
    let mut node_names: Vec<String> = snapshot
        .nodes
        .iter()
        .map(|n| name(&n.metadata).to_string())
        .collect();
    // The order of Cluster::nodes.
    node_names.sort();
    CoverageReport {
        node_names,
        daemonsets: rows,
        events_unavailable: snapshot.events_unavailable.clone(),
    }
}

/// Judges the DaemonSets `which` picks, by namespace and name, and hands each report to `keep` as soon
/// as it is made: only what `keep` returns is held (a report holds a row per node; a coverage row only
/// the nodes with gaps). DaemonSets are judged independently against the same read-only state, so they
/// are judged one per core.
pub fn judge_each<T: Send>(
    cluster: &Cluster,
    now: Timestamp,
    which: impl Fn(&DaemonSet) -> bool + Sync,
    keep: impl Fn(DaemonSetReport) -> T + Sync,
) -> Vec<T> {
    let mut daemonsets: Vec<_> = cluster
        .snapshot
        .daemonsets
        .iter()
        .filter(|ds| which(ds))
        .collect();
    daemonsets.sort_by(|a, b| {
        (a.metadata.namespace.as_deref(), name(&a.metadata))
            .cmp(&(b.metadata.namespace.as_deref(), name(&b.metadata)))
    });
    daemonsets
        .into_par_iter()
        .map(|ds| keep(diagnose(cluster, ds, now)))
        .collect()
}

/// Condenses a `why` report into a coverage row (the verdicts are identical by construction).
pub fn row(report: &DaemonSetReport) -> CoverageRow {
    let eligible = report.counts.eligible();
    let coverage = if eligible == 0 {
        100.0
    } else {
        report.counts.running as f64 * 100.0 / eligible as f64
    };
    CoverageRow {
        namespace: report.namespace.clone(),
        name: report.name.clone(),
        counts: report.counts,
        coverage,
        top_reason: top_reason(report),
        rollout: report.rollout.clone(),
        notes: report.notes.clone(),
        nodes: report
            .nodes
            .iter()
            .filter(|n| n.status != NodeStatus::Running)
            .map(|n| CoverageNode {
                node: n.node.clone(),
                status: n.status,
                reason: n.reason.clone(),
                cause: n.cause.clone(),
            })
            .collect(),
    }
}

/// The most common cause among non-running nodes, e.g. `3x ImagePullBackOff`. Gaps (eligible nodes
/// without a Running pod) come first since they are what the user must fix; only when there are none
/// does the most common reason for ineligible or misscheduled nodes show.
fn top_reason(report: &DaemonSetReport) -> Option<String> {
    let gaps = report.nodes.iter().any(|n| n.status.is_gap());
    let mut tally: HashMap<&str, usize> = HashMap::new();
    let considered = report.nodes.iter().filter(|n| {
        if gaps {
            n.status.is_gap()
        } else {
            n.status != NodeStatus::Running
        }
    });
    for n in considered {
        *tally.entry(n.cause.as_str()).or_default() += 1;
    }
    let mut best: Vec<(&str, usize)> = tally.into_iter().collect();
    // Most frequent first; ties broken by name so output is stable.
    best.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    best.first().map(|(cause, n)| format!("{n}x {cause}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::Snapshot;
    use serde_json::json;

    fn snapshot(pod_running: bool) -> Snapshot {
        let ds = json!({"metadata": {"namespace": "ns", "name": "agent", "uid": "ds-uid"},
            "spec": {"selector": {"matchLabels": {"app": "agent"}},
                "template": {"metadata": {"labels": {"app": "agent"}}, "spec": {"containers": [{"name": "c"}]}}}});
        let pod = json!({"metadata": {"namespace": "ns", "name": "agent-1", "labels": {"app": "agent"},
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "uid": "ds-uid", "controller": true}]},
            "spec": {"nodeName": "n1", "containers": [{"name": "c"}]},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}});
        Snapshot {
            nodes: vec![serde_json::from_value(json!({"metadata": {"name": "n1"}})).unwrap()],
            daemonsets: vec![serde_json::from_value(ds).unwrap()],
            pods: if pod_running {
                vec![serde_json::from_value(pod).unwrap()]
            } else {
                Vec::new()
            },
            ..Snapshot::default()
        }
    }

    #[test]
    fn judge_each_judges_what_is_picked_and_keeps_what_keep_returns() {
        let now = Timestamp::now();
        let running = snapshot(true);
        let cluster = Cluster::new(&running);
        let kept = judge_each(
            &cluster,
            now,
            |_| true,
            |r| (r.name.clone(), r.nodes[0].status),
        );
        assert_eq!(kept, [("agent".to_string(), NodeStatus::Running)]);
        let none = judge_each(&cluster, now, |_| false, |r| r.name);
        assert!(none.is_empty(), "{none:?}");
        let json = |r: &DaemonSetReport| serde_json::to_value(r).unwrap();
        let ds = &running.daemonsets[0];
        assert_eq!(
            judge_each(&cluster, now, |_| true, |r| json(&r)),
            [json(&diagnose(&cluster, ds, now))],
            "each report is diagnose's"
        );
        let empty = snapshot(false);
        let missing = Cluster::new(&empty);
        assert_eq!(
            judge_each(&missing, now, |_| true, |r| r.nodes[0].status),
            [NodeStatus::Missing]
        );
    }
}
