//! `why NAME --node NODE` end to end on the recorded real cluster: one case per kind of check the
//! nodes of the recording exercise, the table, the errors and the exit code.

use crate::support::{kubectl_ds, real_cluster};

fn rc() -> String {
    real_cluster().to_str().unwrap().to_string()
}

fn trace_json(ns: &str, ds: &str, node: &str) -> serde_json::Value {
    let file = rc();
    let run = kubectl_ds(&[
        "why", ds, "-n", ns, "--node", node, "-f", &file, "-o", "json",
    ]);
    assert_eq!(run.code, 0, "{ds} on {node}: {}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn each_node_shows_the_check_that_decides_it() {
    // (case, namespace, DaemonSet, node, check, result, evidence fragment, verdict)
    let cases = [
        (
            "a taint the DaemonSet does not tolerate",
            "logging",
            "fluentd",
            "gpu-1",
            "taint nvidia.com/gpu=present:NoSchedule",
            "Fail",
            "a pod already here stays",
            "Ineligible",
        ),
        (
            "a nodeSelector key the node lacks",
            "kube-system",
            "ib-agent",
            "w-1",
            "nodeSelector hardware=infiniband",
            "Fail",
            "node has no label hardware",
            "Ineligible",
        ),
        (
            "a required affinity expression the node misses",
            "gpu-operator",
            "gpu-agent",
            "cp-1",
            "term[0] matchExpressions gpu In [true]",
            "Fail",
            "node has no label gpu",
            "Ineligible",
        ),
        (
            "the controller's toleration of a cordoned node",
            "broken",
            "badimage",
            "cordoned-1",
            "taint node.kubernetes.io/unschedulable:NoSchedule",
            "Pass",
            "the toleration the DaemonSet controller adds to every daemon pod",
            "Failing",
        ),
        (
            "small-1 has too little cpu",
            "batch-heavy",
            "hungry",
            "small-1",
            "NodeResourcesFit cpu",
            "Fail",
            "Insufficient cpu: requests 1, allocatable 500m, used 40m by 4 pod(s), free 460m; top: ",
            "Pending",
        ),
        (
            "small-1 has too little memory",
            "batch-heavy",
            "hungry",
            "small-1",
            "NodeResourcesFit memory",
            "Fail",
            "requests 1Gi, allocatable 512Mi",
            "Pending",
        ),
        (
            "a host port another DaemonSet holds",
            "hostport",
            "exporter-b",
            "w-1",
            "NodePorts 9100/TCP",
            "Fail",
            "held by pod hostport/exporter-a-s2mhf",
            "Pending",
        ),
        (
            "an image that cannot be pulled",
            "broken",
            "badimage",
            "w-1",
            "container agent",
            "Fail",
            "waiting: ErrImagePull",
            "Failing",
        ),
        (
            "the NotReady node",
            "kube-system",
            "kube-proxy",
            "notready-1",
            "node Ready",
            "Fail",
            "Ready=Unknown: NodeStatusUnknown",
            "Starting",
        ),
        (
            "a crash loop with the kubelet's back-off",
            "monitoring",
            "node-exporter",
            "small-1",
            "container node-exporter",
            "Fail",
            "waiting: CrashLoopBackOff",
            "Failing",
        ),
        (
            "a pod on an old revision",
            "rollout",
            "legacy-agent",
            "w-1",
            "revision",
            "Info",
            "pod runs old revision",
            "Running",
        ),
    ];
    for (case, ns, ds, node, check, result, evidence, verdict) in cases {
        let v = trace_json(ns, ds, node);
        let checks = v["checks"].as_array().unwrap();
        let row = checks
            .iter()
            .find(|c| c["name"] == check)
            .unwrap_or_else(|| panic!("{case}: no check {check:?} in {checks:#?}"));
        assert_eq!(row["result"], result, "{case}: {row}");
        let text = row["evidence"].as_str().unwrap();
        assert!(
            text.contains(evidence),
            "{case}: {text:?} lacks {evidence:?}"
        );
        assert_eq!(v["verdict"]["status"], verdict, "{case}");
        assert_eq!(v["verdict"]["passed"], verdict == "Running", "{case}");
    }
}

#[test]
fn the_trace_agrees_with_why_for_every_node() {
    let file = rc();
    for (ns, ds) in [("hostport", "exporter-b"), ("rollout", "web-agent")] {
        let run = kubectl_ds(&["why", ds, "-n", ns, "-f", &file, "-o", "json"]);
        let why: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        for n in why["nodes"].as_array().unwrap() {
            let node = n["node"].as_str().unwrap();
            let t = trace_json(ns, ds, node);
            assert_eq!(t["verdict"]["status"], n["status"], "{ds} on {node}");
            assert_eq!(t["verdict"]["reason"], n["reason"], "{ds} on {node}");
        }
    }
}

#[test]
fn the_table_lists_checks_then_the_verdict() {
    let file = rc();
    let run = kubectl_ds(&[
        "why",
        "hungry",
        "-n",
        "batch-heavy",
        "--node",
        "small-1",
        "-f",
        &file,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(header, ["STAGE", "CHECK", "RESULT", "EVIDENCE"]);
    let stages: Vec<&str> = lines[1..]
        .iter()
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let mut order = stages.clone();
    order.dedup();
    assert_eq!(order, ["Controller", "Scheduler", "Pod", "Revision"]);
    assert!(
        run.stdout
            .contains("daemonset batch-heavy/hungry on node small-1: Pending: pod hungry-x9tcr cannot be scheduled"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("scheduler checks judged: pod hungry-x9tcr (not bound yet)")
    );
    assert!(!run.stdout.contains('\u{1b}'), "no colour unless asked");

    let coloured = kubectl_ds(&[
        "why",
        "hungry",
        "-n",
        "batch-heavy",
        "--node",
        "small-1",
        "-f",
        &file,
        "--color",
        "always",
    ]);
    assert!(
        coloured.stdout.contains("\u{1b}[38;5;1mFail"),
        "{}",
        coloured.stdout
    );
    assert!(
        coloured.stdout.contains("\u{1b}[38;5;2mPass"),
        "{}",
        coloured.stdout
    );
}

#[test]
fn errors_name_the_unknown_node_or_daemonset() {
    let file = rc();
    // (case, args, stderr)
    let cases: [(&str, Vec<&str>, &str); 3] = [
        (
            "a node name with a typo",
            vec![
                "why", "fluentd", "-n", "logging", "--node", "gpu1", "-f", &file,
            ],
            "error: node \"gpu1\" not found\nhint: did you mean gpu-1?\n",
        ),
        (
            "a node name like none",
            vec![
                "why", "fluentd", "-n", "logging", "--node", "zzzzzzzz", "-f", &file,
            ],
            "error: node \"zzzzzzzz\" not found\nhint: list them with: kubectl get nodes\n",
        ),
        (
            "an unknown DaemonSet",
            vec![
                "why", "fluentdd", "-n", "logging", "--node", "gpu-1", "-f", &file,
            ],
            "error: daemonset \"fluentdd\" not found in namespace \"logging\"\nhint: did you mean fluentd (namespace logging)?\n",
        ),
    ];
    for (case, args, stderr) in cases {
        let run = kubectl_ds(&args);
        assert_eq!(run.code, 1, "{case}");
        assert_eq!(run.stderr, stderr, "{case}");
        assert_eq!(run.stdout, "", "{case}");
    }
    let conflict = kubectl_ds(&[
        "why", "fluentd", "--node", "gpu-1", "--status", "Running", "-f", &file,
    ]);
    assert_eq!(conflict.code, 2, "--node with --status is a usage error");
}

#[test]
fn exit_code_and_name_output() {
    let file = rc();
    // (case, DaemonSet, namespace, node, exit code with --exit-code)
    let cases = [
        (
            "a pending pod is a gap",
            "hungry",
            "batch-heavy",
            "small-1",
            3,
        ),
        ("a running pod is not", "hungry", "batch-heavy", "w-1", 0),
        (
            "an ineligible node is not",
            "hungry",
            "batch-heavy",
            "w-4",
            0,
        ),
    ];
    for (case, ds, ns, node, code) in cases {
        let run = kubectl_ds(&[
            "why",
            ds,
            "-n",
            ns,
            "--node",
            node,
            "-f",
            &file,
            "--exit-code",
            "-o",
            "name",
        ]);
        assert_eq!(run.code, code, "{case}: {}", run.stderr);
        assert_eq!(run.stdout, format!("node/{node}\n"), "{case}");
    }
}
