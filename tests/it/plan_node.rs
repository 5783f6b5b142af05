//! `kubectl ds plan MANIFEST --node NODE`, end to end: the node's checks agree with `plan`, on the
//! recorded real cluster with one DaemonSet left out (the plan tests' exercise).

use std::path::Path;

use kubectl_ds::diagnose::Cluster;
use kubectl_ds::diagnose::plan::{self, PlannedPod};
use kubectl_ds::diagnose::trace::plan_trace;
use kubectl_ds::report::{CheckResult, PlanStatus, Stage, TraceStatus};
use kubectl_ds::source::{file, manifest};
use serde_json::Value;

use crate::plan::{NODES, TRUTH, leave_out, plan_json, status};
use crate::support::kubectl_ds;

/// For every left-out DaemonSet and every node: the trace's last row is `plan`'s status for the node,
/// a row before it fails exactly when the plan says the pod is not placed, and the controller fails
/// exactly when the node is Ineligible.
#[test]
fn every_node_trace_agrees_with_the_plan() {
    let mut wrong = Vec::new();
    for (ns, name, _) in TRUTH {
        let (dir, manifest_path) = leave_out(ns, name);
        let (_, report, _) = plan_json(dir.path(), &manifest_path, &[]);
        let snapshot = file::load_with_all_pods(&dir.path().join("state"), &mut std::io::empty())
            .expect("state");
        let manifest = manifest::load(&manifest_path, &mut std::io::empty()).expect("manifest");
        let cluster = Cluster::new(&snapshot);
        let ds = &manifest.daemonsets[0];
        let planned_report = plan::plan(&cluster, ds, ns);
        let planned = PlannedPod::new(ds, ns);
        for node in NODES {
            let want = status(&report, node);
            let node_plan = planned_report
                .nodes
                .iter()
                .find(|n| n.node == node)
                .expect("node planned");
            let t = plan_trace(&cluster, &planned, node_plan).expect("node known");
            let last = t.checks.last().expect("rows");
            let TraceStatus::Plan(got) = t.verdict.status else {
                panic!("{ns}/{name} {node}: not a plan verdict");
            };
            let failed_before = t.checks[..t.checks.len() - 1]
                .iter()
                .any(|c| c.result == CheckResult::Fail);
            let controller_failed = t
                .checks
                .iter()
                .any(|c| c.stage == Stage::Controller && c.result == CheckResult::Fail);
            let not_placed = matches!(got, PlanStatus::Unschedulable | PlanStatus::Refused);
            if last.stage != Stage::Plan || !last.evidence.starts_with(want) || got.word() != want {
                wrong.push(format!(
                    "{ns}/{name} {node}: plan says {want}, trace ends {last:?}"
                ));
            }
            if failed_before != (not_placed || controller_failed) {
                wrong.push(format!(
                    "{ns}/{name} {node}: {want} but a failing row before the plan's is {failed_before}"
                ));
            }
            if controller_failed != (got == PlanStatus::Ineligible) {
                wrong.push(format!(
                    "{ns}/{name} {node}: {want} but the controller failing is {controller_failed}"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "traces disagree with the plan:\n{}",
        wrong.join("\n")
    );
}

fn plan_node(dir: &Path, manifest: &Path, node: &str, extra: &[&str]) -> crate::support::Run {
    let state = dir.join("state");
    let mut args = vec![
        "plan",
        manifest.to_str().unwrap(),
        "-f",
        state.to_str().unwrap(),
        "--node",
        node,
    ];
    args.extend(extra);
    kubectl_ds(&args)
}

fn rows<'a>(trace: &'a Value, stage: &str) -> Vec<&'a Value> {
    trace["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["stage"] == stage)
        .collect()
}

/// One node per way a pod ends up: refused by PodSecurity, refused by the quota, short of cpu, and
/// not qualifying (an untolerated taint); as JSON and as a table.
#[test]
fn plan_node_shows_why_the_node_gets_its_status() {
    let cases = [
        (
            "psa-blocked",
            "host-agent",
            "w-1",
            "Refused",
            "Admission",
            "PodSecurity host namespaces",
            "hostNetwork=true, hostPID=true",
            3,
        ),
        (
            "quota-limited",
            "quota-agent",
            "w-2",
            "Refused",
            "Admission",
            "ResourceQuota",
            "quota",
            3,
        ),
        (
            "batch-heavy",
            "hungry",
            "small-1",
            "Unschedulable",
            "Scheduler",
            "NodeResourcesFit cpu",
            "Insufficient cpu",
            3,
        ),
        (
            "logging",
            "fluentd",
            "gpu-1",
            "Ineligible",
            "Controller",
            "taint",
            "no toleration matches",
            0,
        ),
    ];
    for (ns, name, node, want, stage, check, evidence, code) in cases {
        let case = format!("{ns}/{name} {node}");
        let (dir, manifest) = leave_out(ns, name);
        plan_json(dir.path(), &manifest, &[]);
        let run = plan_node(dir.path(), &manifest, node, &["-o", "json", "--exit-code"]);
        assert_eq!(run.code, code, "{case}: {}", run.stderr);
        let t: Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{case} ({e}): {}", run.stdout));
        assert_eq!(t["kind"], "NodeTrace", "{case}");
        assert_eq!(t["verdict"]["status"], want, "{case}");
        // The DaemonSet is new: a pod is added wherever the controller wants one.
        let change = if want == "Ineligible" { "none" } else { "add" };
        assert_eq!(t["verdict"]["change"], change, "{case}");
        let last = t["checks"].as_array().unwrap().last().unwrap();
        assert_eq!(last["stage"], "Plan", "{case}");
        let failing = rows(&t, stage)
            .into_iter()
            .find(|c| c["result"] == "Fail" && c["name"].as_str().unwrap().starts_with(check))
            .unwrap_or_else(|| panic!("{case}: no failing {stage} {check}: {t:#}"));
        let got = failing["evidence"].as_str().unwrap();
        assert!(got.contains(evidence), "{case}: {got}");
        if want == "Ineligible" {
            assert_eq!(rows(&t, "Admission")[0]["result"], "Skip", "{case}");
        } else {
            assert!(!rows(&t, "Admission").is_empty(), "{case}");
        }

        let table = plan_node(dir.path(), &manifest, node, &["--color", "never"]);
        assert_eq!(table.code, 0, "{case}: {}", table.stderr);
        assert!(
            table.stdout.starts_with("STAGE"),
            "{case}: {}",
            table.stdout
        );
        assert!(table.stdout.contains(stage), "{case}");
        assert!(
            table
                .stdout
                .contains(&format!("daemonset {ns}/{name} on node {node}: {want}")),
            "{case}: {}",
            table.stdout
        );
    }
}

#[test]
fn plan_node_errors_like_why_node() {
    let (dir, manifest) = leave_out("logging", "fluentd");
    plan_json(dir.path(), &manifest, &[]);
    let run = plan_node(dir.path(), &manifest, "gpu1", &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: node \"gpu1\" not found\nhint: did you mean gpu-1?\n"
    );

    let two = dir.path().join("two.json");
    let one = std::fs::read_to_string(&manifest).unwrap();
    let other = one.replace("\"fluentd\"", "\"fluentd-2\"");
    std::fs::write(
        &two,
        format!("{{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [{one}, {other}]}}"),
    )
    .unwrap();
    let run = plan_node(dir.path(), &two, "w-1", &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.starts_with("error: --node traces one DaemonSet, and the manifest holds 2: fluentd, fluentd-2\nhint: "), "{}", run.stderr);
}

#[test]
fn plan_node_json_snapshot() {
    let (dir, manifest) = leave_out("psa-blocked", "host-agent");
    plan_json(dir.path(), &manifest, &[]);
    let run = plan_node(dir.path(), &manifest, "w-1", &["-o", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("plan_node_psa_json", run.stdout);
}

/// Live, `plan --node` prints what it prints from the dump, reads with GETs only, and lists the pods
/// of that one node only.
#[tokio::test(flavor = "multi_thread")]
async fn live_plan_node_equals_the_dump_and_reads_one_node_s_pods() {
    use crate::recorded_api::RecordedServer;
    let (ns, name, node) = ("batch-heavy", "hungry", "small-1");
    let (dir, manifest) = leave_out(ns, name);
    plan_json(dir.path(), &manifest, &[]);
    let from_file = plan_node(dir.path(), &manifest, node, &["-o", "json"]);
    assert_eq!(from_file.code, 0, "{}", from_file.stderr);
    let server = RecordedServer::start(crate::plan::recorded_left_out(dir.path())).await;
    let run = crate::support::kubectl_ds_async(&[
        "plan",
        manifest.to_str().unwrap(),
        "--node",
        node,
        "-o",
        "json",
        "--kubeconfig",
        &server.kubeconfig,
    ])
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, from_file.stdout, "live and dump traces differ");
    let requests = server.requests().await;
    assert!(
        requests.iter().all(|(m, _, _)| m == "GET"),
        "only GETs: {requests:?}"
    );
    let pod_lists: Vec<&String> = requests
        .iter()
        .filter(|(_, p, _)| p == "/api/v1/pods")
        .map(|(_, _, q)| q)
        .collect();
    assert_eq!(pod_lists.len(), 1, "one LIST of pods: {requests:?}");
    assert!(pod_lists[0].contains(node), "{}", pod_lists[0]);
}
