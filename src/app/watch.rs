//! `--watch`: prints the first answer, then follows the cluster (the live source's watch streams feed a
//! store), judges again with the same pure engine once a burst of changes has settled, and prints only
//! what changed, until interrupted (Ctrl-C: exit 0).

use std::io::Write;
use std::pin::pin;
use std::time::Duration;

use anyhow::Result;
use futures::StreamExt;
use tokio::time::Instant;

use crate::diagnose::{self, Cluster};
use crate::failure::Failure;
use crate::render::changes::{self, Changes, Verdicts};
use crate::render::{self, Format, RenderOptions};
use crate::report::{CoverageReport, DaemonSetReport, NodeStatus};
use crate::snapshot::Snapshot;
use crate::source::live::{Live, Scope, Trouble, Update};
use crate::source::validate;

use super::Outcome;

/// How long after a first change to judge again: a rollout step or a node going NotReady moves many objects
/// within milliseconds, and one judgement says it once. Not reset by later changes, so a cluster that never
/// goes quiet is still judged five times a second.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// What to judge, as the command asked.
pub(super) enum Judge {
    Why {
        namespace: String,
        name: String,
        statuses: Vec<NodeStatus>,
        /// `--explain`: the kubectl prefix printed commands carry.
        explain: Option<String>,
    },
    Coverage {
        namespace: Option<String>,
        selector: Option<String>,
    },
}

/// One judgement: the report, or nothing when the DaemonSet of `why` does not exist (any more).
enum Judged {
    Why(Box<DaemonSetReport>),
    Coverage(CoverageReport),
    Gone,
}

impl Judge {
    /// Judged at the wall clock: a live cluster's ages and minReadySeconds run from now.
    fn judge(&self, snapshot: &Snapshot) -> Judged {
        let now = jiff::Timestamp::now();
        let cluster = Cluster::new(snapshot);
        match self {
            Judge::Why {
                namespace,
                name,
                explain,
                ..
            } => {
                let Some(ds) = cluster.find_daemonset(namespace, name) else {
                    return Judged::Gone;
                };
                let mut report = diagnose::diagnose(&cluster, ds, now);
                if let Some(kubectl) = explain {
                    diagnose::explain(&cluster, ds, &mut report, kubectl);
                }
                Judged::Why(Box::new(report))
            }
            Judge::Coverage { .. } => Judged::Coverage(diagnose::coverage(&cluster, now)),
        }
    }

    fn scope(&self) -> Scope<'_> {
        match self {
            Judge::Why {
                namespace, name, ..
            } => Scope::Why { namespace, name },
            Judge::Coverage {
                namespace,
                selector,
            } => Scope::Coverage {
                namespace: namespace.as_deref(),
                selector: selector.as_deref(),
            },
        }
    }

    /// `--status` narrows change lines as it narrows the table.
    fn shown(&self, status: NodeStatus) -> bool {
        self.shown_word(status.as_str())
    }

    fn shown_word(&self, word: &str) -> bool {
        match self {
            Judge::Why { statuses, .. } => {
                statuses.is_empty() || statuses.iter().any(|s| s.as_str() == word)
            }
            Judge::Coverage { .. } => true,
        }
    }
}

/// Prints the first answer from `first`, then every change until Ctrl-C.
pub(super) async fn follow(
    live: Live,
    first: Snapshot,
    judge: Judge,
    opts: RenderOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome> {
    // Listening for Ctrl-C from now on: polled once, the handler is in place before anything is printed.
    let mut interrupted = pin!(tokio::signal::ctrl_c());
    let _ = futures::poll!(interrupted.as_mut());

    let judged = judge.judge(&first);
    let mut last = verdicts(&judged);
    print_first(&judged, &judge, &opts, out, err)?;
    out.flush()?;

    let (mut store, streams) = live.watch(&judge.scope(), &first);
    drop(first);
    let mut updates = streams.updates;
    let mut failing = vec![false; streams.stops.len()];
    let mut gone_said = matches!(judged, Judged::Gone);
    let mut due: Option<Instant> = None;
    loop {
        tokio::select! {
            _ = interrupted.as_mut() => break,
            _ = tokio::time::sleep_until(due.unwrap_or_else(Instant::now)), if due.is_some() => {
                due = None;
                let snapshot = store.snapshot();
                validate(&snapshot)?;
                let judged = judge.judge(&snapshot);
                drop(snapshot);
                store.prune(std::time::Instant::now());
                match &judged {
                    Judged::Gone => {
                        if !gone_said {
                            writeln!(err, "{}", gone_message(&judge))?;
                            gone_said = true;
                        }
                        continue;
                    }
                    _ => gone_said = false,
                }
                let now = verdicts(&judged);
                let changes = last.diff(&now);
                last = now;
                print_changes(&judged, &changes, &judge, &opts, out)?;
                out.flush()?;
            }
            update = updates.next() => {
                let Some(Update { stream, event }) = update else { break };
                match event {
                    Ok(event) => {
                        if std::mem::take(&mut failing[stream]) {
                            tracing::info!("watch of {} resumed", store.what(stream));
                        }
                        if store.apply(stream, event, std::time::Instant::now()) && store.synced() {
                            due.get_or_insert_with(|| Instant::now() + DEBOUNCE);
                        }
                    }
                    Err(e) => match Trouble::of(&e) {
                        Trouble::Expired => tracing::info!(
                            "watch of {}: resourceVersion expired (410 Gone), listing again",
                            store.what(stream)
                        ),
                        Trouble::Refused(message) => {
                            if store.kind(stream) == Some(crate::source::reflector::StreamKind::Events) {
                                streams.stops[stream].abort();
                                store.stop(stream, format!("watching {}: {message}", store.what(stream)));
                                due.get_or_insert_with(|| Instant::now() + DEBOUNCE);
                            } else {
                                return Err(Failure::new(
                                    format!("watching {}: {message}", store.what(stream)),
                                    Some(format!("--watch needs the watch verb as well as list: kubectl auth can-i watch {}", resource(store.what(stream)))),
                                ).into());
                            }
                        }
                        Trouble::Transient(why) => {
                            // One line per outage, not one per retry: the watcher keeps retrying with backoff.
                            if !std::mem::replace(&mut failing[stream], true) {
                                writeln!(err, "warning: watch of {} interrupted ({why}); retrying", store.what(stream))?;
                            }
                        }
                    },
                }
            }
        }
    }
    Ok(Outcome::Clean)
}

/// The resource a stream's description starts with (`pods on node x` -> `pods`), for the hint.
fn resource(what: &str) -> &str {
    let first = what.split_whitespace().next().unwrap_or(what);
    if first == "daemonset" {
        "daemonsets"
    } else {
        first
    }
}

fn gone_message(judge: &Judge) -> String {
    match judge {
        Judge::Why {
            namespace, name, ..
        } => format!(
            "daemonset \"{name}\" no longer exists in namespace \"{namespace}\"; watching for it to return"
        ),
        Judge::Coverage { .. } => String::new(),
    }
}

fn verdicts(judged: &Judged) -> Verdicts {
    match judged {
        Judged::Why(r) => Verdicts::of_why(r),
        Judged::Coverage(r) => Verdicts::of_coverage(r),
        Judged::Gone => Verdicts::default(),
    }
}

/// The first answer: as without --watch, but JSON on one line (the first of the JSON Lines).
fn print_first(
    judged: &Judged,
    judge: &Judge,
    opts: &RenderOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    match judged {
        Judged::Gone => {
            writeln!(err, "{}", gone_message(judge))?;
        }
        Judged::Why(report) => {
            let mut report = report.as_ref().clone();
            report.nodes.retain(|n| judge.shown(n.status));
            match opts.format {
                Format::Json => changes::json_line(&report, out)?,
                _ if report.nodes.is_empty() && opts.format.is_table() => {
                    writeln!(err, "{}", render::no_resources(Some(&report.namespace)))?;
                }
                _ => render::why(&report, opts, out)?,
            }
        }
        Judged::Coverage(report) => match opts.format {
            Format::Json => changes::json_line(report, out)?,
            _ if report.daemonsets.is_empty() && opts.format.is_table() => {
                let namespace = match judge {
                    Judge::Coverage { namespace, .. } => namespace.as_deref(),
                    Judge::Why { .. } => None,
                };
                writeln!(err, "{}", render::no_resources(namespace))?;
            }
            _ => render::coverage(report, opts, out)?,
        },
    }
    Ok(())
}

/// The lines for `changes`: table rows (no header), JSON Lines objects, YAML documents or names.
fn print_changes(
    judged: &Judged,
    changes: &Changes,
    judge: &Judge,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> Result<()> {
    let nodes: Vec<_> = changes
        .nodes
        .iter()
        .filter(|c| c.status.is_null() || judge.shown_word(c.status.as_str().unwrap_or_default()))
        .collect();
    match opts.format {
        Format::Json => {
            for c in &nodes {
                changes::json_line(*c, out)?;
            }
            for r in &changes.rollouts {
                changes::json_line(r, out)?;
            }
        }
        Format::Yaml => {
            for c in &nodes {
                changes::yaml_document(*c, false, out)?;
            }
            for r in &changes.rollouts {
                changes::yaml_document(r, false, out)?;
            }
        }
        Format::Name => match judged {
            Judged::Why(_) => {
                for c in &nodes {
                    writeln!(out, "node/{}", c.node)?;
                }
            }
            _ => {
                for (_, name) in &changes.rows {
                    writeln!(out, "daemonset.apps/{name}")?;
                }
            }
        },
        Format::Table | Format::Wide => {
            let rows_only = RenderOptions {
                no_headers: true,
                show_all: true,
                ..opts.clone()
            };
            match judged {
                Judged::Why(report) => {
                    let rows: Vec<_> = nodes
                        .iter()
                        .filter_map(|c| report.nodes.iter().find(|n| n.node == c.node))
                        .cloned()
                        .collect();
                    if !rows.is_empty() {
                        let mut changed = DaemonSetReport {
                            nodes: Vec::new(),
                            ..report.as_ref().clone()
                        };
                        changed.nodes = rows;
                        render::why(&changed, &rows_only, out)?;
                    }
                    for c in nodes.iter().filter(|c| c.status.is_null()) {
                        changes::deleted_node_row(&c.node, opts, out)?;
                    }
                }
                Judged::Coverage(report) => {
                    let rows: Vec<_> = report
                        .daemonsets
                        .iter()
                        .filter(|d| {
                            changes
                                .rows
                                .iter()
                                .any(|(ns, name)| *ns == d.namespace && *name == d.name)
                        })
                        .cloned()
                        .collect();
                    if !rows.is_empty() {
                        let changed = CoverageReport {
                            node_names: Vec::new(),
                            daemonsets: rows,
                            events_unavailable: None,
                        };
                        render::coverage(&changed, &rows_only, out)?;
                    }
                }
                Judged::Gone => {}
            }
            for r in &changes.rollouts {
                changes::rollout_line(r, out)?;
            }
        }
    }
    Ok(())
}
