//! `why --explain` on the recorded real cluster: each suggested fix, applied to the recorded state the
//! way kubectl would apply it (a strategic merge patch for the DaemonSet's YAML, `kubectl label` and
//! `kubectl taint` for nodes), makes the node's problem go away when the engine judges again.

use std::io;
use std::sync::OnceLock;

use k8s_openapi::api::apps::v1::DaemonSet;
use kubectl_ds::diagnose::tolerations::add_daemon_tolerations;
use kubectl_ds::diagnose::{self, Cluster};
use kubectl_ds::report::{DaemonSetReport, Finding, Fix, NodeReport, NodeStatus};
use kubectl_ds::snapshot::Snapshot;
use kubectl_ds::snapshot::pod::PodSpec;
use kubectl_ds::source::file;
use serde_json::{Map, Value};

use crate::support::{kubectl_ds, real_cluster};

/// The recorded cluster, parsed once; each test gets its own copy to change.
fn load() -> Snapshot {
    static SNAPSHOT: OnceLock<Snapshot> = OnceLock::new();
    SNAPSHOT
        .get_or_init(|| {
            file::load(&real_cluster(), &mut io::empty()).expect("load the real-cluster fixture")
        })
        .clone()
}

/// `why --explain` in process.
fn judge(snapshot: &Snapshot, ns: &str, ds: &str) -> DaemonSetReport {
    let cluster = Cluster::new(snapshot);
    let d = cluster
        .find_daemonset(ns, ds)
        .unwrap_or_else(|| panic!("no daemonset {ns}/{ds}"));
    let mut report = diagnose::diagnose(&cluster, d, jiff::Timestamp::now());
    diagnose::explain(&cluster, d, &mut report, "kubectl");
    report
}

fn node<'a>(report: &'a DaemonSetReport, name: &str) -> &'a NodeReport {
    report
        .nodes
        .iter()
        .find(|n| n.node == name)
        .unwrap_or_else(|| panic!("node {name} missing"))
}

/// The fixes offered for `node`, primary ones first.
fn fixes(report: &DaemonSetReport, name: &str) -> Vec<Fix> {
    let n = node(report, name);
    let mut out: Vec<Fix> = n.advice.iter().filter_map(|a| a.fix.clone()).collect();
    out.extend(n.advice.iter().flat_map(|a| a.alternatives.clone()));
    out
}

fn fix_matching(report: &DaemonSetReport, node_name: &str, needle: &str) -> Fix {
    fixes(report, node_name)
        .into_iter()
        .find(|f| {
            f.summary.contains(needle)
                || f.commands.iter().any(|c| c.contains(needle))
                || f.yaml.as_deref().is_some_and(|y| y.contains(needle))
        })
        .unwrap_or_else(|| {
            panic!(
                "{node_name}: no fix mentions {needle:?}: {:#?}",
                node(report, node_name).advice
            )
        })
}

/// Applies a fix as kubectl would: its YAML as a strategic merge patch to the DaemonSet (what
/// `kubectl patch daemonset --patch-file fix.yaml` does), its other commands one by one.
fn apply(snapshot: &mut Snapshot, ns: &str, ds: &str, fix: &Fix) {
    let patch_cmd = format!("kubectl patch daemonset {ds} -n {ns} --patch-file fix.yaml");
    if let Some(yaml) = &fix.yaml {
        assert!(
            fix.commands.contains(&patch_cmd),
            "a YAML fix comes with {patch_cmd:?}: {fix:#?}"
        );
        let patch: Value = serde_saphyr::from_str(yaml)
            .unwrap_or_else(|e| panic!("fix YAML does not parse: {e}\n{yaml}"));
        patch_daemonset(snapshot, ns, ds, &patch);
    }
    for cmd in fix.commands.iter().filter(|c| **c != patch_cmd) {
        run_kubectl(snapshot, cmd);
    }
    recreate_unbound_pods(snapshot, ns, ds);
}

fn patch_daemonset(snapshot: &mut Snapshot, ns: &str, ds: &str, patch: &Value) {
    let slot = snapshot
        .daemonsets
        .iter_mut()
        .find(|d| {
            d.metadata.namespace.as_deref() == Some(ns) && d.metadata.name.as_deref() == Some(ds)
        })
        .unwrap_or_else(|| panic!("no daemonset {ns}/{ds}"));
    *slot = patched(slot, patch);
}

fn patched(ds: &DaemonSet, patch: &Value) -> DaemonSet {
    let mut value = serde_json::to_value(ds).expect("daemonset to JSON");
    strategic_merge(&mut value, patch, "");
    serde_json::from_value::<DaemonSet>(value.clone())
        .unwrap_or_else(|e| panic!("patched daemonset no longer parses: {e}\n{value:#}"))
}

/// The strategic merge patch rules kubectl applies to the fields our fixes touch: maps merge and a
/// null deletes a key; lists with a merge key (containers and imagePullSecrets by name, container
/// ports by containerPort) merge item by item, `$patch: delete` removing one; other lists
/// (tolerations, nodeSelectorTerms) are replaced whole.
// Mirrors k8s.io/apimachinery/pkg/util/strategicpatch/patch.go and the patchMergeKey tags of k8s.io/api/core/v1/types.go
fn strategic_merge(target: &mut Value, patch: &Value, field: &str) {
    match patch {
        Value::Object(p) => {
            if !target.is_object() {
                *target = Value::Object(Map::new());
            }
            let t = target.as_object_mut().expect("object");
            for (k, v) in p {
                match v {
                    Value::Null => {
                        t.remove(k);
                    }
                    Value::Array(items) => {
                        let slot = t.entry(k.clone()).or_insert(Value::Array(Vec::new()));
                        merge_list(slot, items, k);
                    }
                    _ => strategic_merge(t.entry(k.clone()).or_insert(Value::Null), v, k),
                }
            }
        }
        other => {
            let _ = field;
            *target = other.clone();
        }
    }
}

fn merge_list(target: &mut Value, items: &[Value], field: &str) {
    let key = match field {
        "containers" | "initContainers" | "imagePullSecrets" | "volumes" | "env" => Some("name"),
        "ports" => Some("containerPort"),
        _ => None,
    };
    let Some(key) = key else {
        *target = Value::Array(items.to_vec());
        return;
    };
    if !target.is_array() {
        *target = Value::Array(Vec::new());
    }
    let list = target.as_array_mut().expect("array");
    for item in items {
        let id = item.get(key).cloned();
        let pos = list.iter().position(|x| x.get(key) == id.as_ref());
        let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
        match (pos, delete) {
            (Some(i), true) => {
                list.remove(i);
            }
            (None, true) => {}
            (Some(i), false) => strategic_merge(&mut list[i], item, field),
            (None, false) => list.push(item.clone()),
        }
    }
}

/// The few kubectl commands node fixes use, applied to the snapshot as kubectl would apply them.
fn run_kubectl(snapshot: &mut Snapshot, cmd: &str) {
    let words: Vec<&str> = cmd.split_whitespace().collect();
    match words.as_slice() {
        ["kubectl", "label", "node", name, args @ ..] => {
            let overwrite = args.contains(&"--overwrite");
            let node = snapshot
                .nodes
                .iter_mut()
                .find(|n| n.metadata.name.as_deref() == Some(*name))
                .unwrap_or_else(|| panic!("{cmd}: no node {name}"));
            let labels = node.metadata.labels.get_or_insert_with(Default::default);
            for arg in args.iter().filter(|a| !a.starts_with("--")) {
                if let Some(key) = arg.strip_suffix('-') {
                    assert!(labels.remove(key).is_some(), "{cmd}: label {key} not found");
                } else {
                    let (k, v) = arg
                        .split_once('=')
                        .unwrap_or_else(|| panic!("{cmd}: bad {arg}"));
                    // kubectl refuses to change an existing value without --overwrite.
                    if let Some(old) = labels.get(k) {
                        assert!(
                            overwrite || old == v,
                            "{cmd}: {k} already has a value ({old}) and --overwrite is false"
                        );
                    }
                    labels.insert(k.to_owned(), v.to_owned());
                }
            }
        }
        ["kubectl", "taint", "nodes", name, specs @ ..] => {
            let node = snapshot
                .nodes
                .iter_mut()
                .find(|n| n.metadata.name.as_deref() == Some(*name))
                .unwrap_or_else(|| panic!("{cmd}: no node {name}"));
            let taints = node
                .spec
                .as_mut()
                .and_then(|s| s.taints.as_mut())
                .unwrap_or_else(|| panic!("{cmd}: node has no taints"));
            for spec in specs {
                let spec = spec
                    .strip_suffix('-')
                    .unwrap_or_else(|| panic!("{cmd}: only removals"));
                let (kv, effect) = spec.split_once(':').expect("key:Effect");
                let key = kv.split('=').next().unwrap_or(kv);
                let before = taints.len();
                taints.retain(|t| !(t.key == key && t.effect == effect));
                assert!(taints.len() < before, "{cmd}: taint {spec} not found");
            }
        }
        ["kubectl", "delete", "daemonset", name, "-n", ns] => {
            let uid = snapshot
                .daemonsets
                .iter()
                .find(|d| {
                    d.metadata.namespace.as_deref() == Some(*ns)
                        && d.metadata.name.as_deref() == Some(*name)
                })
                .and_then(|d| d.metadata.uid.clone())
                .unwrap_or_else(|| panic!("{cmd}: no such daemonset"));
            snapshot
                .daemonsets
                .retain(|d| d.metadata.uid.as_deref() != Some(uid.as_str()));
            // The garbage collector removes its pods.
            snapshot.pods.retain(|p| {
                !p.metadata
                    .owner_references
                    .iter()
                    .flatten()
                    .any(|o| o.uid == uid)
            });
        }
        _ => panic!("the test cannot apply {cmd:?}"),
    }
}

/// The DaemonSet controller replaces a pod that waits to be scheduled with one from the new
/// template: same target node (its matchFields affinity), the daemon tolerations added.
fn recreate_unbound_pods(snapshot: &mut Snapshot, ns: &str, ds: &str) {
    let Some(d) = snapshot.daemonsets.iter().find(|d| {
        d.metadata.namespace.as_deref() == Some(ns) && d.metadata.name.as_deref() == Some(ds)
    }) else {
        return;
    };
    let uid = d.metadata.uid.clone();
    let template = d
        .spec
        .template
        .spec
        .as_ref()
        .map(PodSpec::from)
        .unwrap_or_default();
    for pod in snapshot.pods.iter_mut() {
        let ours = pod
            .metadata
            .owner_references
            .iter()
            .flatten()
            .any(|o| Some(&o.uid) == uid.as_ref());
        let Some(spec) = pod.spec.as_mut() else {
            continue;
        };
        if !ours || spec.node_name.as_deref().is_some_and(|n| !n.is_empty()) {
            continue;
        }
        let mut fresh = template.clone();
        add_daemon_tolerations(&mut fresh);
        fresh.affinity = spec.affinity.clone();
        *spec = fresh;
    }
}

fn has_finding(n: &NodeReport, kind: fn(&Finding) -> bool) -> bool {
    n.findings.iter().any(kind)
}

#[test]
fn toleration_fix_makes_gpu_1_eligible_for_node_exporter() {
    let (ns, ds, n) = ("monitoring", "node-exporter", "gpu-1");
    let mut s = load();
    let before = judge(&s, ns, ds);
    assert_eq!(node(&before, n).status, NodeStatus::Ineligible);
    let fix = node(&before, n).advice[0]
        .fix
        .clone()
        .expect("a toleration fix");
    assert!(
        fix.yaml
            .as_deref()
            .unwrap_or("")
            .contains("key: nvidia.com/gpu"),
        "{fix:#?}"
    );
    apply(&mut s, ns, ds, &fix);
    let after = judge(&s, ns, ds);
    assert!(
        node(&after, n).status.is_eligible(),
        "{:#?}",
        node(&after, n)
    );
    assert!(
        !has_finding(node(&after, n), |f| matches!(
            f,
            Finding::UntoleratedTaint { .. }
        )),
        "{:#?}",
        node(&after, n)
    );
    // The toleration matches that taint exactly: the other tainted nodes stay out.
    for other in ["cp-1", "w-4", "notready-1"] {
        assert_eq!(
            node(&after, other).status,
            NodeStatus::Ineligible,
            "{other}"
        );
    }
}

#[test]
fn taint_removal_alternative_makes_gpu_1_eligible() {
    let (ns, ds, n) = ("monitoring", "node-exporter", "gpu-1");
    let mut s = load();
    let fix = fix_matching(&judge(&s, ns, ds), n, "kubectl taint nodes gpu-1");
    apply(&mut s, ns, ds, &fix);
    assert!(node(&judge(&s, ns, ds), n).status.is_eligible());
}

#[test]
fn toleration_keeps_the_misscheduled_pod_counted() {
    let (ns, ds, n) = ("monitoring", "node-exporter", "w-3");
    let mut s = load();
    let before = judge(&s, ns, ds);
    assert_eq!(node(&before, n).status, NodeStatus::Misscheduled);
    apply(
        &mut s,
        ns,
        ds,
        &node(&before, n).advice[0].fix.clone().expect("fix"),
    );
    assert_eq!(node(&judge(&s, ns, ds), n).status, NodeStatus::Running);
}

#[test]
fn existing_tolerations_survive_the_patch() {
    // fluentd already tolerates the control-plane taint: the patch must keep it (cp-1 stays Running).
    let (ns, ds) = ("logging", "fluentd");
    let mut s = load();
    let before = judge(&s, ns, ds);
    let fix = fix_matching(&before, "gpu-1", "key: nvidia.com/gpu");
    apply(&mut s, ns, ds, &fix);
    let after = judge(&s, ns, ds);
    assert_eq!(node(&after, "cp-1").status, NodeStatus::Running);
    assert!(node(&after, "gpu-1").status.is_eligible());
}

#[test]
fn label_fix_makes_cordoned_1_eligible_for_fluentd() {
    let (ns, ds, n) = ("logging", "fluentd", "cordoned-1");
    let mut s = load();
    let before = judge(&s, ns, ds);
    assert_eq!(node(&before, n).status, NodeStatus::Ineligible);
    let fix = node(&before, n).advice[0].fix.clone().expect("a label fix");
    assert_eq!(fix.commands, vec!["kubectl label node cordoned-1 disk=ssd"]);
    apply(&mut s, ns, ds, &fix);
    let after = judge(&s, ns, ds);
    assert!(
        node(&after, n).status.is_eligible(),
        "{:#?}",
        node(&after, n)
    );
    assert_eq!(
        node(&after, "small-1").status,
        NodeStatus::Ineligible,
        "only that node"
    );
}

#[test]
fn dropping_the_node_selector_makes_cordoned_1_eligible_for_fluentd() {
    let (ns, ds, n) = ("logging", "fluentd", "cordoned-1");
    let mut s = load();
    let fix = fix_matching(&judge(&s, ns, ds), n, "disk: null");
    apply(&mut s, ns, ds, &fix);
    let after = judge(&s, ns, ds);
    assert!(node(&after, n).status.is_eligible());
    assert!(
        node(&after, "small-1").status.is_eligible(),
        "as the fix says, every node without the label qualifies"
    );
}

#[test]
fn affinity_fixes_make_w_1_eligible_for_gpu_agent() {
    let (ns, ds, n) = ("gpu-operator", "gpu-agent", "w-1");
    let before = judge(&load(), ns, ds);
    assert_eq!(node(&before, n).status, NodeStatus::Ineligible);

    // Labelling the node.
    let mut s = load();
    let label = fix_matching(&before, n, "kubectl label node w-1 gpu=true");
    apply(&mut s, ns, ds, &label);
    assert!(node(&judge(&s, ns, ds), n).status.is_eligible());

    // The relaxed affinity: a term naming w-1, and nothing else.
    let mut s = load();
    let relaxed = fix_matching(&before, n, "nodeSelectorTerms");
    apply(&mut s, ns, ds, &relaxed);
    let after = judge(&s, ns, ds);
    assert!(
        node(&after, n).status.is_eligible(),
        "{:#?}",
        node(&after, n)
    );
    assert_eq!(
        node(&after, "gpu-1").status,
        NodeStatus::Running,
        "gpu-1 still matches its term"
    );
    assert_eq!(
        node(&after, "w-2").status,
        NodeStatus::Ineligible,
        "no other node is admitted"
    );
}

#[test]
fn lowered_requests_fit_small_1_for_hungry() {
    let (ns, ds, n) = ("batch-heavy", "hungry", "small-1");
    let mut s = load();
    let before = judge(&s, ns, ds);
    let insufficient = |r: &DaemonSetReport| {
        has_finding(node(r, n), |f| {
            matches!(f, Finding::InsufficientResource { .. })
        })
    };
    assert!(insufficient(&before));
    let fix = node(&before, n).advice[0]
        .fix
        .clone()
        .expect("a requests fix");
    apply(&mut s, ns, ds, &fix);
    let after = judge(&s, ns, ds);
    assert!(!insufficient(&after), "{:#?}", node(&after, n));

    // The largest that fits: one millicore more no longer does.
    let more: Value = serde_json::json!({"spec": {"template": {"spec": {"containers": [
        {"name": "hungry", "resources": {"requests": {"cpu": "461m"}}}
    ]}}}});
    patch_daemonset(&mut s, ns, ds, &more);
    recreate_unbound_pods(&mut s, ns, ds);
    let over = judge(&s, ns, ds);
    assert!(
        has_finding(
            node(&over, n),
            |f| matches!(f, Finding::InsufficientResource { resource, .. } if resource == "cpu")
        ),
        "{:#?}",
        node(&over, n)
    );
}

#[test]
fn moved_host_port_frees_every_node_for_exporter_b() {
    let (ns, ds) = ("hostport", "exporter-b");
    let pending = ["cordoned-1", "small-1", "w-1", "w-2", "win-1"];
    let conflict = |r: &DaemonSetReport, n: &str| {
        has_finding(node(r, n), |f| {
            matches!(f, Finding::HostPortConflict { .. })
        })
    };
    let before = judge(&load(), ns, ds);
    for n in pending {
        assert!(conflict(&before, n), "{n}");
    }
    // One fix for all five nodes.
    let first = node(&before, pending[0]).advice[0]
        .fix
        .clone()
        .expect("a port fix");
    for n in pending {
        assert_eq!(node(&before, n).advice[0].fix.as_ref(), Some(&first), "{n}");
    }
    let mut s = load();
    apply(&mut s, ns, ds, &first);
    let after = judge(&s, ns, ds);
    for n in pending {
        assert!(!conflict(&after, n), "{n}: {:#?}", node(&after, n));
    }

    // The alternative: remove the DaemonSet that holds the port.
    let mut s = load();
    let remove = fix_matching(&before, "w-1", "kubectl delete daemonset exporter-a");
    apply(&mut s, ns, ds, &remove);
    let after = judge(&s, ns, ds);
    for n in pending {
        assert!(!conflict(&after, n), "{n}");
    }
}

#[test]
fn platform_fix_takes_node_exporter_off_win_1() {
    let (ns, ds, n) = ("monitoring", "node-exporter", "win-1");
    let mut s = load();
    let before = judge(&s, ns, ds);
    assert_eq!(node(&before, n).status, NodeStatus::Failing);
    apply(
        &mut s,
        ns,
        ds,
        &node(&before, n).advice[0].fix.clone().expect("fix"),
    );
    let after = judge(&s, ns, ds);
    // The node no longer qualifies; the controller deletes the pod still there.
    assert!(
        !node(&after, n).status.is_eligible(),
        "{:#?}",
        node(&after, n)
    );
    for linux in ["w-1", "w-2", "cordoned-1"] {
        assert_eq!(node(&after, linux).status, NodeStatus::Running, "{linux}");
    }
}

#[test]
fn every_fix_on_the_recorded_cluster_applies_cleanly() {
    let s = load();
    let mut applied = 0;
    for d in &s.daemonsets {
        let (ns, ds) = (
            d.metadata.namespace.clone().unwrap_or_default(),
            d.metadata.name.clone().unwrap_or_default(),
        );
        let report = judge(&s, &ns, &ds);
        for n in &report.nodes {
            if n.status.is_gap() || n.status == NodeStatus::Misscheduled {
                assert!(
                    !n.advice.is_empty(),
                    "{ns}/{ds} {}: {} without advice",
                    n.node,
                    n.status
                );
            }
            for a in &n.advice {
                assert!(
                    !a.checks.is_empty(),
                    "{ns}/{ds} {}: {} has no check",
                    n.node,
                    a.about
                );
                for c in &a.checks {
                    assert!(c.starts_with("kubectl ") || c.contains("  # on "), "{c}");
                }
                for f in a.fix.iter().chain(&a.alternatives) {
                    if let Some(yaml) = &f.yaml {
                        let patch: Value = serde_saphyr::from_str(yaml).expect("YAML parses");
                        patched(d, &patch);
                        applied += 1;
                    }
                }
            }
        }
    }
    assert!(applied > 20, "only {applied} YAML fixes seen");
}

#[test]
fn explain_flag_end_to_end() {
    let dir = real_cluster();
    let dir = dir.to_str().expect("utf-8 path");
    let run = kubectl_ds(&[
        "why",
        "node-exporter",
        "-n",
        "monitoring",
        "-f",
        dir,
        "--explain",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let gpu = run.stdout.split("\ngpu-1 ").nth(1).expect("gpu-1 row");
    assert!(
        gpu.contains(
            "    fix:   to run node-exporter on gpu-1, tolerate the taint in the pod template\n             # fix.yaml\n             spec:\n"
        ),
        "{}",
        run.stdout
    );
    assert!(gpu.contains(
        "           kubectl patch daemonset node-exporter -n monitoring --patch-file fix.yaml\n"
    ));
    assert!(run.stdout.contains(
        "    check: kubectl logs node-exporter-x89hv -n monitoring -c node-exporter --previous\n"
    ));
    assert!(
        run.stdout
            .ends_with("\n\n10 nodes: 3 running, 2 failing, 1 misscheduled, 4 ineligible\n"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("\n\n\n"),
        "one blank line between blocks: {}",
        run.stdout
    );

    // JSON: advice per node with --explain, and the default contract unchanged without it.
    let with: Value = serde_json::from_str(
        &kubectl_ds(&[
            "why",
            "node-exporter",
            "-n",
            "monitoring",
            "-f",
            dir,
            "--explain",
            "-o",
            "json",
        ])
        .stdout,
    )
    .expect("json");
    let gpu = with["nodes"]
        .as_array()
        .and_then(|n| n.iter().find(|n| n["node"] == "gpu-1"))
        .expect("gpu-1");
    assert_eq!(
        gpu["advice"][0]["about"],
        "taint nvidia.com/gpu=present:NoSchedule"
    );
    assert!(
        gpu["advice"][0]["fix"]["yaml"]
            .as_str()
            .is_some_and(|y| y.contains("tolerations:"))
    );
    let without = kubectl_ds(&[
        "why",
        "node-exporter",
        "-n",
        "monitoring",
        "-f",
        dir,
        "-o",
        "json",
    ])
    .stdout;
    assert!(
        !without.contains("\"advice\""),
        "no advice without --explain"
    );
}
