//! `kubectl ds plan MANIFEST`: read the manifest, load the cluster state it lands in (a dump, or only
//! what the plan needs from the live API), plan each DaemonSet, render.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::Path;

use anyhow::Result;

use super::{Outcome, file_namespace, outcome};
use crate::app::{live_progress, within_timeout};
use crate::cli::{Options, Source};
use crate::diagnose::cluster::{name, selector_matches, selects_everything};
use crate::diagnose::plan::{self, PlannedPod};
use crate::diagnose::{self, Cluster};
use crate::failure::Failure;
use crate::node_trace::node_not_found;
use crate::progress::Progress;
use crate::render::{self, RenderOptions};
use crate::report::{PlanReport, PlanStatus};
use crate::snapshot::Snapshot;
use crate::source::manifest::{self, Manifest};
use crate::source::{file, validate};

pub(super) async fn run(
    opts: &Options,
    manifest_path: &Path,
    node: Option<&str>,
    render_opts: RenderOptions,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome> {
    if manifest_path.as_os_str() == "-"
        && matches!(&opts.source, Source::File(p) if p.as_os_str() == "-")
    {
        return Err(Failure::new(
            "the manifest and -f cannot both be read from stdin".to_string(),
            Some("save one of them to a file".into()),
        )
        .into());
    }
    let manifest = manifest::load(manifest_path, stdin).map_err(manifest_failure)?;
    if manifest.daemonsets.is_empty() {
        let ignored = manifest
            .ignored_note()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        return Err(Failure::new(
            format!(
                "{}: no DaemonSet (apps/v1) to plan{ignored}",
                manifest_path.display()
            ),
            Some("plan reads the DaemonSets of a manifest, e.g. `helm template ./chart | kubectl ds plan -`".into()),
        )
        .into());
    }
    if node.is_some() && manifest.daemonsets.len() > 1 {
        let names: Vec<&str> = manifest
            .daemonsets
            .iter()
            .map(|d| name(&d.metadata))
            .collect();
        return Err(Failure::new(
            format!(
                "--node traces one DaemonSet, and the manifest holds {}: {}",
                names.len(),
                names.join(", ")
            ),
            Some("save the DaemonSet to trace in a file of its own, or plan without --node".into()),
        )
        .into());
    }
    if let Some(note) = manifest.ignored_note() {
        writeln!(err, "note: {note}")?;
    }
    manifest
        .daemonsets
        .iter()
        .try_for_each(accepted_by_validation)?;
    // The manifest's own quantities are checked like a dump's, so bad input is one clear error.
    validate(&Snapshot {
        daemonsets: manifest.daemonsets.clone(),
        ..Snapshot::default()
    })?;

    let (snapshot, namespace) = load_state(opts, &manifest, node, stdin).await?;
    let cluster = Cluster::new(&snapshot);
    let mut reports: Vec<PlanReport> = manifest
        .daemonsets
        .iter()
        .map(|ds| plan::plan(&cluster, ds, &namespace))
        .collect();
    if let Some(node) = node {
        return trace_node(
            opts,
            &cluster,
            &manifest,
            &namespace,
            &reports[0],
            node,
            &render_opts,
            out,
        );
    }
    note_shared_quotas(&mut reports);
    let gaps = reports.iter().any(|r| {
        r.nodes
            .iter()
            .any(|n| matches!(n.status, PlanStatus::Unschedulable | PlanStatus::Refused))
    });
    render::plan(&reports, &render_opts, out)?;
    Ok(outcome(opts.exit_code, gaps))
}

/// `--node`: the node's checks, with the plan's row for it last.
#[allow(clippy::too_many_arguments)]
fn trace_node(
    opts: &Options,
    cluster: &Cluster,
    manifest: &Manifest,
    namespace: &str,
    report: &PlanReport,
    node: &str,
    render_opts: &RenderOptions,
    out: &mut dyn Write,
) -> Result<Outcome> {
    let not_found = || {
        let known: Vec<String> = report.nodes.iter().map(|n| n.node.clone()).collect();
        node_not_found(&known, node)
    };
    let node_plan = report
        .nodes
        .iter()
        .find(|n| n.node == node)
        .ok_or_else(not_found)?;
    let planned = PlannedPod::new(&manifest.daemonsets[0], namespace);
    let trace = diagnose::trace::plan_trace(cluster, &planned, node_plan).ok_or_else(not_found)?;
    render::node_trace(&trace, render_opts, out)?;
    Ok(outcome(opts.exit_code, trace.verdict.status.is_gap()))
}

async fn load_state(
    opts: &Options,
    manifest: &Manifest,
    node: Option<&str>,
    stdin: &mut dyn Read,
) -> Result<(Snapshot, String)> {
    match &opts.source {
        Source::File(path) => {
            let snapshot = file::load_with_all_pods(path, stdin)?;
            validate(&snapshot)?;
            Ok((snapshot, file_namespace(opts)))
        }
        Source::Live => {
            let progress = live_progress(opts);
            within_timeout(opts, &progress, load_live(opts, &progress, manifest, node)).await
        }
    }
}

/// The nodes, the existing DaemonSets, the pods on the nodes a planned pod could land on, and the
/// namespace, its quotas and ServiceAccounts: what admission and the scheduler would read.
async fn load_live(
    opts: &Options,
    progress: &Progress,
    manifest: &Manifest,
    node: Option<&str>,
) -> Result<(Snapshot, String)> {
    let (live, namespace) = crate::app::connect(opts, progress).await?;
    let planned: Vec<PlannedPod> = manifest
        .daemonsets
        .iter()
        .map(|ds| PlannedPod::new(ds, &namespace))
        .collect();
    let keys: Vec<(String, String)> = planned
        .iter()
        .map(|p| {
            (
                p.namespace().to_string(),
                name(&p.daemonset.metadata).to_string(),
            )
        })
        .collect();
    progress.step(format!(
        "fetching nodes and existing daemonsets from {}",
        live.server
    ));
    let mut snapshot = live.fetch_for_plan(&keys).await?;
    validate(&snapshot)?;
    // Pods bound to the nodes a planned pod could land on (with --node, that one only): their
    // requests and host ports.
    let eligible: BTreeSet<String> = snapshot
        .nodes
        .iter()
        .filter(|n| node.is_none_or(|wanted| name(&n.metadata) == wanted))
        .filter(|n| planned.iter().any(|p| p.template.evaluate(n).should_run))
        .map(|n| name(&n.metadata).to_string())
        .collect();
    if !eligible.is_empty() {
        progress.step(format!(
            "fetching pods on {} node(s) to check resources and host ports",
            eligible.len()
        ));
        live.fetch_node_pods(&mut snapshot, &eligible).await?;
    }
    progress.step("reading namespaces, resourcequotas and serviceaccounts");
    let namespaces: BTreeSet<&str> = planned.iter().map(PlannedPod::namespace).collect();
    for ns in namespaces {
        let accounts: BTreeSet<String> = planned
            .iter()
            .filter(|p| p.namespace() == ns)
            .filter_map(|p| p.spec.service_account_name.clone())
            .collect();
        let accounts: Vec<String> = accounts.into_iter().collect();
        live.fetch_admission_inputs(&mut snapshot, ns, &accounts)
            .await?;
    }
    Ok((snapshot, namespace))
}

/// A manifest that cannot be read: the loader's words, with a hint about manifests (not dumps).
fn manifest_failure(e: file::FileError) -> Failure {
    let hint = match e {
        file::FileError::Io { .. } => {
            "pass a DaemonSet manifest: a .yaml, .yml or .json file, a directory of them, or - for stdin"
        }
        _ => {
            "a manifest is what `kubectl apply -f` takes: YAML or JSON, several documents or a List"
        }
    };
    Failure::new(
        format!("manifest: {:#}", anyhow::Error::from(e)),
        Some(hint.into()),
    )
}

/// The API server refuses a DaemonSet whose selector is empty or does not select its own template: no
/// pod would ever exist, so there is nothing to plan.
// Mirrors pkg/apis/apps/validation/validation.go (ValidateDaemonSetSpec)
fn accepted_by_validation(ds: &k8s_openapi::api::apps::v1::DaemonSet) -> Result<()> {
    let labels = ds
        .spec
        .template
        .metadata
        .as_ref()
        .and_then(|m| m.labels.as_ref());
    let problem = if selects_everything(&ds.spec.selector) {
        "spec.selector: Invalid value: empty selector is invalid for daemonset"
    } else if !selector_matches(Some(&ds.spec.selector), labels) {
        "spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`"
    } else {
        return Ok(());
    };
    Err(Failure::new(
        format!(
            "the API server would refuse DaemonSet \"{}\": {problem}",
            name(&ds.metadata)
        ),
        Some("make spec.selector match the labels of spec.template.metadata".into()),
    )
    .into())
}

/// Each DaemonSet is planned as if it were applied alone; several in one namespace draw on the same
/// quotas, which the plans then overstate.
fn note_shared_quotas(reports: &mut [PlanReport]) {
    let limited = |r: &PlanReport| r.admission.iter().any(|c| c.result == "Limited");
    let namespaces: Vec<(String, bool)> = reports
        .iter()
        .map(|r| (r.daemonset.namespace.clone(), limited(r)))
        .collect();
    for (i, r) in reports.iter_mut().enumerate() {
        let (ns, quota) = &namespaces[i];
        let others = namespaces
            .iter()
            .enumerate()
            .filter(|(j, (n, _))| *j != i && n == ns)
            .count();
        if *quota && others > 0 {
            r.notes.push(format!(
                "{others} other DaemonSet(s) of this manifest draw on the same quotas of namespace {ns}: each plan counts the quota as if it were applied alone"
            ));
        }
    }
}
