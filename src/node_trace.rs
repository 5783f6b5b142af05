//! `why NAME --node NODE`: reads what one node's checks need (the dump, or a few requests), runs the
//! engine's trace and renders it. Orchestration only, beside app.rs.

use std::io::{Read, Write};

use anyhow::Result;
use jiff::Timestamp;

use crate::app::{
    Outcome, clock_for, file_namespace, live_progress, load_file, not_found, not_found_in_snapshot,
    outcome, within_timeout,
};
use crate::cli::{Options, Source};
use crate::diagnose::{self, Cluster};
use crate::failure::Failure;
use crate::progress::Progress;
use crate::render::{self, RenderOptions};
use crate::snapshot::Snapshot;
use crate::source::live::LiveError;
use crate::source::validate;

pub(crate) async fn run(
    opts: &Options,
    name: &str,
    node: &str,
    render_opts: RenderOptions,
    now: Timestamp,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let (snapshot, namespace) = match &opts.source {
        Source::File(path) => (load_file(path, stdin)?, file_namespace(opts)),
        Source::Live => {
            let progress = live_progress(opts);
            within_timeout(opts, &progress, load_live(opts, &progress, name, node)).await?
        }
    };
    let cluster = Cluster::new(&snapshot);
    let ds = cluster
        .find_daemonset(&namespace, name)
        .ok_or_else(|| not_found_in_snapshot(&snapshot, &namespace, name))?;
    let now = clock_for(opts, &snapshot, now);
    let Some(trace) = diagnose::trace(&cluster, ds, node, now) else {
        let known: Vec<String> = cluster
            .nodes
            .iter()
            .filter_map(|n| n.metadata.name.clone())
            .collect();
        return Err(node_not_found(&known, node).into());
    };
    let render_opts = RenderOptions { now, ..render_opts };
    render::node_trace(&trace, &render_opts, out)?;
    Ok(outcome(opts.exit_code, trace.verdict.status.is_gap()))
}

/// The DaemonSet, the node, the pods on it, then the events about the DaemonSet, its pod for the
/// node and the node.
async fn load_live(
    opts: &Options,
    progress: &Progress,
    name: &str,
    node: &str,
) -> Result<(Snapshot, String)> {
    let (live, namespace) = crate::app::connect(opts, progress).await?;
    progress.step(format!(
        "fetching daemonset {namespace}/{name}, node {node} and its pods from {}",
        live.server
    ));
    let mut snapshot = match live.fetch_for_node(&namespace, name, node).await {
        Err(LiveError::NotFound { kind, .. }) if kind == "Node" => {
            let known = live.node_names().await.unwrap_or_default();
            return Err(node_not_found(&known, node).into());
        }
        Err(LiveError::NotFound { .. }) => {
            let known = live.daemonset_names(&namespace).await;
            return Err(not_found(&known, &namespace, name).into());
        }
        other => other?,
    };
    validate(&snapshot)?;
    let pods: Vec<(String, String)> = {
        let cluster = Cluster::new(&snapshot);
        let ds = &snapshot.daemonsets[0];
        let mut by_node = cluster.daemon_pods_by_node(ds);
        by_node
            .by_node
            .remove(node)
            .unwrap_or_default()
            .into_iter()
            .chain(by_node.finished.remove(node).unwrap_or_default())
            .map(|p| {
                (
                    namespace.clone(),
                    p.metadata.name.clone().unwrap_or_default(),
                )
            })
            .collect()
    };
    progress.step(format!(
        "fetching events for {namespace}/{name} and node {node}"
    ));
    live.fetch_events(
        &mut snapshot,
        &[(namespace.clone(), name.to_string())],
        &pods,
    )
    .await?;
    live.fetch_node_events(&mut snapshot, node).await?;
    Ok((snapshot, namespace))
}

/// "node not found", with the nodes the user most likely meant.
pub(crate) fn node_not_found(known: &[String], node: &str) -> Failure {
    let mut close: Vec<(f64, &String)> = known
        .iter()
        .map(|n| (strsim::jaro_winkler(n, node), n))
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0));
    let hint = if close.is_empty() {
        "list them with: kubectl get nodes".to_string()
    } else {
        let names: Vec<&str> = close.iter().take(3).map(|(_, n)| n.as_str()).collect();
        format!("did you mean {}?", names.join(", "))
    };
    Failure::new(format!("node \"{node}\" not found"), Some(hint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_node_hints_at_close_names() {
        let known: Vec<String> = ["w-1", "w-2", "gpu-1", "small-1"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let cases = [
            ("typo of a node", "gpu1", "did you mean gpu-1?"),
            (
                "nothing close",
                "zzzzzz",
                "list them with: kubectl get nodes",
            ),
        ];
        for (case, node, hint) in cases {
            let f = node_not_found(&known, node);
            assert_eq!(f.message, format!("node \"{node}\" not found"), "{case}");
            assert_eq!(f.hint.as_deref(), Some(hint), "{case}");
        }
    }
}
