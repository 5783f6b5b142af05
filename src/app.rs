//! `run`: ties a source, the engine and a renderer together for one command.

mod watch;

use std::collections::BTreeSet;
use std::io::{Read, Write};

use anyhow::Result;
use jiff::Timestamp;

use crate::cli::{Job, Options, Source};
use crate::diagnose::{self, Cluster};
use crate::failure::Failure;
use crate::progress::Progress;
use crate::render::{self, RenderOptions};
use crate::report::{CoverageRow, DaemonSetReport};
use crate::snapshot::Snapshot;
use crate::source::live::{KubeconfigEnv, Live};
use crate::source::{file, validate};

mod needs;
use needs::Needs;
mod plan;

/// What the run found, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every eligible node has a Running pod (or --exit-code was not asked for).
    Clean,
    /// Some eligible node lacks a Running pod and --exit-code was given.
    Gaps,
}

/// Runs one command. `now` is the clock reading used for ages; the report goes to `out`, and `err`
/// gets only what kubectl too says on stderr (that nothing matched).
pub async fn run(
    opts: Options,
    now: Timestamp,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome> {
    let render_opts = RenderOptions {
        format: opts.format,
        color: opts.color,
        no_headers: opts.no_headers,
        show_all: false,
        now,
        width: opts.terminal_width,
        all_namespaces: false,
        expand: false,
        ascii: false,
    };
    match &opts.job {
        Job::Completion(shell) => {
            crate::complete::write_script(*shell, out)?;
            Ok(Outcome::Clean)
        }
        Job::Complete(words) => {
            crate::complete::run(words, out).await?;
            Ok(Outcome::Clean)
        }
        Job::Why {
            name,
            show_all,
            statuses,
            explain,
        } => {
            let progress = live_progress(&opts);
            let (snapshot, namespace, live) = within_timeout(
                &opts,
                &progress,
                load_for_why(&opts, name, stdin, &progress),
            )
            .await?;
            progress.finish();
            if let (true, Some(live)) = (opts.watch, live) {
                let job = watch::Judge::Why {
                    namespace,
                    name: name.clone(),
                    statuses: statuses.clone(),
                    explain: explain.then(|| opts.connection.kubectl(None)),
                };
                let render_opts = RenderOptions {
                    show_all: *show_all || !statuses.is_empty(),
                    ..render_opts
                };
                return watch::follow(live, snapshot, job, render_opts, out, err).await;
            }
            let render_opts = RenderOptions {
                now: clock_for(&opts, &snapshot, now),
                ..render_opts
            };
            let cluster = Cluster::new(&snapshot);
            let ds = cluster
                .find_daemonset(&namespace, name)
                .ok_or_else(|| not_found_in_snapshot(&snapshot, &namespace, name))?;
            let mut report = diagnose::diagnose(&cluster, ds, render_opts.now);
            if *explain {
                diagnose::explain(&cluster, ds, &mut report, &opts.connection.kubectl(None));
            }
            let gaps = report.nodes.iter().any(|n| n.status.is_gap());
            if !statuses.is_empty() {
                report.nodes.retain(|n| statuses.contains(&n.status));
            }
            let opts_r = RenderOptions {
                show_all: *show_all || !statuses.is_empty(),
                ..render_opts
            };
            if report.nodes.is_empty() && opts.format.is_table() {
                writeln!(err, "{}", render::no_resources(Some(&namespace)))?;
                for note in &report.notes {
                    writeln!(err, "note: {note}")?;
                }
            } else {
                render::why(&report, &opts_r, out)?;
            }
            leave_to_exit(snapshot);
            Ok(outcome(opts.exit_code, gaps))
        }
        Job::Trace { name, node } => {
            crate::node_trace::run(&opts, name, node, render_opts, now, stdin, out).await
        }
        Job::Plan { manifest, node } => {
            plan::run(
                &opts,
                manifest,
                node.as_deref(),
                render_opts,
                stdin,
                out,
                err,
            )
            .await
        }
        Job::Coverage {
            all_namespaces,
            selector,
            grid,
            expand,
        } => {
            let progress = live_progress(&opts);
            let (snapshot, namespace, live, judged) = within_timeout(
                &opts,
                &progress,
                load_for_coverage(
                    &opts,
                    *all_namespaces,
                    selector.as_deref(),
                    stdin,
                    &progress,
                    now,
                ),
            )
            .await?;
            progress.finish();
            if let (true, Some(live)) = (opts.watch, live) {
                let job = watch::Judge::Coverage {
                    namespace,
                    selector: selector.clone(),
                };
                let render_opts = RenderOptions {
                    all_namespaces: *all_namespaces,
                    ..render_opts
                };
                return watch::follow(live, snapshot, job, render_opts, out, err).await;
            }
            let render_opts = RenderOptions {
                now: clock_for(&opts, &snapshot, now),
                ..render_opts
            };
            let rows = match judged {
                // Live: judged as of `now` too (clock_for), on the same snapshot.
                Some(rows) => rows,
                None => diagnose::judge_each(
                    &Cluster::new(&snapshot),
                    render_opts.now,
                    |_| true,
                    |r| diagnose::coverage::row(&r),
                ),
            };
            let report = diagnose::coverage_of(&snapshot, rows);
            let gaps = report
                .daemonsets
                .iter()
                .any(|d| d.nodes.iter().any(|n| n.status.is_gap()));
            let opts_r = RenderOptions {
                all_namespaces: *all_namespaces,
                expand: *expand,
                ..render_opts
            };
            if report.daemonsets.is_empty() && opts.format.is_table() {
                writeln!(err, "{}", render::no_resources(namespace.as_deref()))?;
            } else if *grid && opts.format.is_table() {
                render::coverage_grid(&report, &opts_r, out)?;
            } else {
                render::coverage(&report, &opts_r, out)?;
            }
            leave_to_exit((report, snapshot));
            Ok(outcome(opts.exit_code, gaps))
        }
    }
}

/// The process ends right after a one-shot command, and the allocator taking back tens of thousands
/// of pods one by one only delays the exit (~6% of a live `coverage -A`'s CPU at 2,000 nodes).
fn leave_to_exit<T>(state: T) {
    std::mem::forget(state);
}

/// The spinner of a live run (a file is read too fast to need one).
/// Connects as the kubeconfig and flags say, and picks the namespace: `-n`, else the context's.
pub(crate) async fn connect(opts: &Options, progress: &Progress) -> Result<(Live, String)> {
    progress.step("connecting");
    let live = Live::connect(&opts.connection).await?;
    let namespace = opts
        .namespace
        .clone()
        .unwrap_or_else(|| live.default_namespace.clone());
    Ok((live, namespace))
}

pub(crate) fn live_progress(opts: &Options) -> Progress {
    Progress::new(opts.progress && matches!(opts.source, Source::Live))
}

/// Bounds a live run's fetching by `--timeout`, so that no server, proxy or credential plugin can hold a
/// shell or a CI job forever; on expiry the error names the step still pending. One wrapper around the
/// fetch phase, so a command that watches can leave it out.
pub(crate) async fn within_timeout<T>(
    opts: &Options,
    progress: &Progress,
    fetch: impl Future<Output = Result<T>>,
) -> Result<T> {
    let (Source::Live, Some(limit)) = (&opts.source, opts.timeout) else {
        return fetch.await;
    };
    match tokio::time::timeout(limit, fetch).await {
        Ok(done) => done,
        Err(_) => {
            let pending = progress.pending();
            Err(Failure::new(
                format!(
                    "gave up after {} (--timeout){}",
                    duration(limit),
                    match pending.as_str() {
                        "" => String::new(),
                        p => format!(": still {p}"),
                    }
                ),
                Some(
                    "allow more with --timeout (e.g. --timeout 15m, or 0 for no limit; also KUBECTL_DS_TIMEOUT); \
                     -v 6 logs each request with its time"
                        .into(),
                ),
            )
            .into())
        }
    }
}

/// A duration as a Go duration prints (`5m0s`, `1.5s`), as the user gave it to --timeout.
fn duration(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    let (h, m, s) = (
        ms / 3_600_000,
        ms / 60_000 % 60,
        (ms % 60_000) as f64 / 1000.0,
    );
    match (h, m) {
        (0, 0) => format!("{s}s"),
        (0, m) => format!("{m}m{s}s"),
        (h, m) => format!("{h}h{m}m{s}s"),
    }
}

/// Ages are measured from now on a live cluster, and from the moment a dump was taken for files.
pub(crate) fn clock_for(opts: &Options, snapshot: &Snapshot, now: Timestamp) -> Timestamp {
    match opts.source {
        Source::File(_) => snapshot.observed_at().map_or(now, |t| t.min(now)),
        Source::Live => now,
    }
}

pub(crate) fn outcome(asked: bool, gaps: bool) -> Outcome {
    if asked && gaps {
        Outcome::Gaps
    } else {
        Outcome::Clean
    }
}

/// The state to judge, the namespace judged, and the connection it came through (None for files).
async fn load_for_why(
    opts: &Options,
    name: &str,
    stdin: &mut dyn Read,
    progress: &Progress,
) -> Result<(Snapshot, String, Option<Live>)> {
    match &opts.source {
        Source::File(path) => {
            let snapshot = load_file(path, stdin)?;
            Ok((snapshot, file_namespace(opts), None))
        }
        Source::Live => {
            let (live, namespace) = connect(opts, progress).await?;
            progress.step(format!(
                "fetching daemonset {namespace}/{name}, nodes, pods and revisions from {}",
                live.server
            ));
            let mut snapshot = match live.fetch_daemonset(&namespace, name).await {
                Err(crate::source::live::LiveError::NotFound { .. }) => {
                    let known = live.daemonset_names(&namespace).await;
                    return Err(not_found(&known, &namespace, name).into());
                }
                other => other?,
            };
            validate(&snapshot)?;
            // Nothing of its judgement is kept: why judges its one DaemonSet again, with --explain.
            follow_up(&live, &mut snapshot, progress, Timestamp::now(), |_| ()).await?;
            Ok((snapshot, namespace, Some(live)))
        }
    }
}

async fn load_for_coverage(
    opts: &Options,
    all_namespaces: bool,
    selector: Option<&str>,
    stdin: &mut dyn Read,
    progress: &Progress,
    now: Timestamp,
) -> Result<(
    Snapshot,
    Option<String>,
    Option<Live>,
    Option<Vec<CoverageRow>>,
)> {
    match &opts.source {
        Source::File(path) => {
            let mut snapshot = load_file(path, stdin)?;
            let namespace = (!all_namespaces).then(|| file_namespace(opts));
            let selector = selector
                .map(crate::source::selector::parse)
                .transpose()
                .map_err(|e| {
                    Failure::new(
                        format!("invalid --selector: {e}"),
                        Some("use kubectl's syntax, e.g. -l app=agent,tier!=test".into()),
                    )
                })?;
            snapshot.daemonsets.retain(|ds| {
                namespace
                    .as_deref()
                    .is_none_or(|ns| ds.metadata.namespace.as_deref() == Some(ns))
                    && selector.as_ref().is_none_or(|s| {
                        crate::source::selector::matches(s, ds.metadata.labels.as_ref())
                    })
            });
            Ok((snapshot, namespace, None, None))
        }
        Source::Live => {
            progress.step("connecting");
            let live = Live::connect(&opts.connection).await?;
            progress.step(format!(
                "listing daemonsets, nodes, pods and revisions from {}",
                live.server
            ));
            let namespace = if all_namespaces {
                None
            } else {
                Some(
                    opts.namespace
                        .clone()
                        .unwrap_or_else(|| live.default_namespace.clone()),
                )
            };
            let mut snapshot = live
                .fetch_daemonsets(namespace.as_deref(), selector)
                .await?;
            validate(&snapshot)?;
            let rows =
                follow_up(&live, &mut snapshot, progress, now, diagnose::coverage::row).await?;
            Ok((snapshot, namespace, Some(live), Some(rows)))
        }
    }
}

/// A dump's namespace when -n is not given: the same rule as live (the kubeconfig context's namespace,
/// else `default`), so a command means the same with and without -f. The kubeconfig is only read.
pub(crate) fn file_namespace(opts: &Options) -> String {
    opts.namespace.clone().unwrap_or_else(|| {
        crate::source::live::context_namespace(&opts.connection, &KubeconfigEnv::from_process())
    })
}

pub(crate) fn load_file(path: &std::path::Path, stdin: &mut dyn Read) -> Result<Snapshot> {
    // A dump without nodes is an empty cluster as far as anyone can tell: the report says so in a
    // note (the controller, too, simply does nothing then).
    let snapshot = file::load(path, stdin)?;
    validate(&snapshot)?;
    Ok(snapshot)
}

/// After the first LISTs, reads what explaining the gaps needs (needs.rs): at once what the objects
/// suggest, then whatever the verdicts show the guess missed. Every DaemonSet is judged as of `now` on
/// everything read, and handed to `keep` (by namespace and name, as `judge_each`).
async fn follow_up<T: Send>(
    live: &Live,
    snapshot: &mut Snapshot,
    progress: &Progress,
    now: Timestamp,
    keep: impl Fn(&DaemonSetReport) -> T + Sync,
) -> Result<Vec<T>> {
    let guessed = Needs::guess(snapshot);
    read_needs(live, snapshot, &guessed, progress).await?;
    let key = |r: &DaemonSetReport| (r.namespace.clone(), r.name.clone());
    let judged = diagnose::judge_each(
        &Cluster::new(snapshot),
        now,
        |_| true,
        |r| (key(&r), Needs::of(&r).minus(&guessed), keep(&r)),
    );
    let mut missed = Needs::default();
    let mut stale = BTreeSet::new();
    for (key, more, _) in &judged {
        if !more.is_empty() {
            stale.insert(key.clone());
            missed.extend(more.clone());
        }
    }
    if missed.is_empty() {
        return Ok(judged.into_iter().map(|(_, _, kept)| kept).collect());
    }
    tracing::info!(
        "the verdicts need more than the objects suggested: {} daemonset(s), {} pod(s), {} node(s)",
        missed.daemonsets.len(),
        missed.pods.len(),
        missed.nodes.len()
    );
    let from = snapshot.pods.len();
    read_needs(live, snapshot, &missed, progress).await?;
    stale.extend(needs::claimants(snapshot, from));
    let is_stale = |ds: &k8s_openapi::api::apps::v1::DaemonSet| {
        stale.contains(&(
            ds.metadata.namespace.clone().unwrap_or_default(),
            ds.metadata.name.clone().unwrap_or_default(),
        ))
    };
    let mut again: std::collections::HashMap<(String, String), T> =
        diagnose::judge_each(&Cluster::new(snapshot), now, is_stale, |r| {
            (key(&r), keep(&r))
        })
        .into_iter()
        .collect();
    Ok(judged
        .into_iter()
        .map(|(key, _, kept)| again.remove(&key).unwrap_or(kept))
        .collect())
}

/// Reads the pods on `needs.nodes` and the events about its DaemonSets and pods, at the same time,
/// and adds them to the snapshot.
async fn read_needs(
    live: &Live,
    snapshot: &mut Snapshot,
    needs: &Needs,
    progress: &Progress,
) -> Result<()> {
    let (nodes, daemonsets) = (&needs.nodes, &needs.daemonsets);
    let step = match (nodes.is_empty(), daemonsets.is_empty()) {
        (true, true) => return Ok(()),
        (false, true) => format!(
            "fetching pods on {} node(s) to explain resources",
            nodes.len()
        ),
        (true, false) => format!("fetching events for {} daemonset(s)", daemonsets.len()),
        (false, false) => format!(
            "fetching pods on {} node(s) to explain resources, and events for {} daemonset(s)",
            nodes.len(),
            daemonsets.len()
        ),
    };
    progress.step(step);
    let daemonsets: Vec<(String, String)> = needs.daemonsets.iter().cloned().collect();
    let pods: Vec<(String, String)> = needs.pods.iter().cloned().collect();
    // Both reads only look at what is held already, so they go out together and are merged after.
    let (node_pods, events) = tokio::try_join!(
        async {
            match nodes.is_empty() {
                true => Ok(None),
                false => live.read_node_pods(snapshot, nodes).await.map(Some),
            }
        },
        async {
            match daemonsets.is_empty() && pods.is_empty() {
                true => Ok(None),
                false => live
                    .read_events(snapshot, &daemonsets, &pods)
                    .await
                    .map(Some),
            }
        },
    )?;
    if let Some(node_pods) = node_pods {
        node_pods.merge_into(snapshot);
    }
    if let Some(events) = events {
        events.merge_into(snapshot);
    }
    Ok(())
}

pub(crate) fn not_found_in_snapshot(
    snapshot: &Snapshot,
    namespace: &str,
    name: &str,
) -> anyhow::Error {
    let known: Vec<(String, String)> = snapshot
        .daemonsets
        .iter()
        .map(|d| {
            (
                d.metadata.namespace.clone().unwrap_or_default(),
                d.metadata.name.clone().unwrap_or_default(),
            )
        })
        .collect();
    not_found(&known, namespace, name).into()
}

/// "not found" with the DaemonSets the user most likely meant.
pub(crate) fn not_found(known: &[(String, String)], namespace: &str, name: &str) -> Failure {
    let elsewhere: Vec<String> = known
        .iter()
        .filter(|(ns, n)| n == name && ns != namespace)
        .map(|(ns, _)| format!("-n {ns}"))
        .collect();
    let mut close: Vec<(f64, String)> = known
        .iter()
        .filter(|(_, n)| n != name)
        .map(|(ns, n)| {
            (
                strsim::jaro_winkler(n, name),
                format!("{n} (namespace {ns})"),
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    close.sort_by(|a, b| b.0.total_cmp(&a.0));
    let hint = if !elsewhere.is_empty() {
        Some(format!(
            "a DaemonSet named {name} exists in another namespace: try {}",
            elsewhere.join(" or ")
        ))
    } else if !close.is_empty() {
        let names: Vec<String> = close.into_iter().take(3).map(|(_, s)| s).collect();
        Some(format!("did you mean {}?", names.join(", ")))
    } else {
        Some("list them with: kubectl get daemonsets -A".into())
    };
    Failure::new(
        format!("daemonset \"{name}\" not found in namespace \"{namespace}\""),
        hint,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn durations_print_as_go_prints_them() {
        for (d, want) in [
            (Duration::from_secs(300), "5m0s"),
            (Duration::from_millis(1500), "1.5s"),
            (Duration::from_secs(2), "2s"),
            (Duration::from_secs(3725), "1h2m5s"),
        ] {
            assert_eq!(duration(d), want, "{d:?}");
        }
    }
}
