//! Many DaemonSets against every node: per-DaemonSet counts, coverage and the most common cause.

use std::collections::HashMap;

use jiff::Timestamp;
use rayon::prelude::*;

use super::cluster::{Cluster, name};
use super::verdict::diagnose;
use crate::report::{CoverageNode, CoverageReport, CoverageRow, DaemonSetReport, NodeStatus};

/// Judges every DaemonSet of the snapshot (already narrowed to the user's selection by the source).
pub fn coverage(cluster: &Cluster, now: Timestamp) -> CoverageReport {
    coverage_of(cluster, &diagnose_all(cluster, now))
}

/// The coverage of reports already made (`diagnose_all`, `rejudge`) against the cluster's nodes.
pub fn coverage_of(cluster: &Cluster, reports: &[DaemonSetReport]) -> CoverageReport {
    CoverageReport {
        node_names: cluster
            .nodes
            .iter()
            .map(|n| name(&n.metadata).to_string())
            .collect(),
        daemonsets: reports.iter().map(row).collect(),
        events_unavailable: cluster.snapshot.events_unavailable.clone(),
    }
}

/// Reports made on an earlier state of the same cluster, judged again (one per core) where `stale`
/// says what was added since may change them; the others are kept, with the cluster's events note.
pub fn rejudge(
    cluster: &Cluster,
    now: Timestamp,
    reports: Vec<DaemonSetReport>,
    stale: impl Fn(&DaemonSetReport) -> bool + Sync,
) -> Vec<DaemonSetReport> {
    reports
        .into_par_iter()
        .map(|mut report| {
            let ds = cluster.find_daemonset(&report.namespace, &report.name);
            match ds {
                Some(ds) if stale(&report) => diagnose(cluster, ds, now),
                _ => {
                    report
                        .events_unavailable
                        .clone_from(&cluster.snapshot.events_unavailable);
                    report
                }
            }
        })
        .collect()
}

/// Every DaemonSet's report, by namespace and name. DaemonSets are judged independently against the
/// same read-only state, so they are judged one per core.
pub fn diagnose_all(cluster: &Cluster, now: Timestamp) -> Vec<DaemonSetReport> {
    let mut daemonsets: Vec<_> = cluster.snapshot.daemonsets.iter().collect();
    daemonsets.sort_by(|a, b| {
        (a.metadata.namespace.as_deref(), name(&a.metadata))
            .cmp(&(b.metadata.namespace.as_deref(), name(&b.metadata)))
    });
    daemonsets
        .into_par_iter()
        .map(|ds| diagnose(cluster, ds, now))
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
            events_unavailable: pod_running.then(|| "events: forbidden".to_string()),
            ..Snapshot::default()
        }
    }

    #[test]
    fn rejudge_keeps_what_is_not_stale_and_judges_the_rest_again() {
        let now = Timestamp::now();
        let before = snapshot(false);
        let earlier = diagnose_all(&Cluster::new(&before), now);
        assert_eq!(earlier[0].nodes[0].status, NodeStatus::Missing);
        let after = snapshot(true);
        let cluster = Cluster::new(&after);
        for (stale, want) in [(false, NodeStatus::Missing), (true, NodeStatus::Running)] {
            let reports = rejudge(&cluster, now, earlier.clone(), |_| stale);
            assert_eq!(reports[0].nodes[0].status, want, "stale={stale}");
            assert_eq!(
                reports[0].events_unavailable.as_deref(),
                Some("events: forbidden"),
                "stale={stale}: the cluster's events note either way"
            );
        }
        let json = |r: &[DaemonSetReport]| serde_json::to_value(r).unwrap();
        assert_eq!(
            json(&rejudge(&cluster, now, earlier, |_| true)),
            json(&diagnose_all(&cluster, now)),
            "judged again, a report is what diagnose_all makes"
        );
    }
}
