//! Many DaemonSets against every node: per-DaemonSet counts, coverage and the most common cause.

use std::collections::HashMap;

use jiff::Timestamp;
use rayon::prelude::*;

use super::cluster::{Cluster, name};
use super::verdict::diagnose;
use crate::report::{CoverageNode, CoverageReport, CoverageRow, DaemonSetReport, NodeStatus};

/// Judges every DaemonSet of the snapshot (already narrowed to the user's selection by the source).
pub fn coverage(cluster: &Cluster, now: Timestamp) -> CoverageReport {
    CoverageReport {
        node_names: cluster
            .nodes
            .iter()
            .map(|n| name(&n.metadata).to_string())
            .collect(),
        daemonsets: diagnose_all(cluster, now).iter().map(row).collect(),
        events_unavailable: cluster.snapshot.events_unavailable.clone(),
    }
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
