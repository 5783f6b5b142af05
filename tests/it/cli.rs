//! The CLI as a user meets it: output formats, exit codes, stdin, colour, and one clear error line
//! (plus a hint) for every kind of bad input.

use crate::support::{kubectl_ds, kubectl_ds_with, real_cluster};

fn rc() -> String {
    real_cluster().to_str().unwrap().to_string()
}

#[test]
fn why_table_lists_problems_first_with_a_summary() {
    let run = kubectl_ds(&["why", "node-exporter", "-n", "monitoring", "-f", &rc()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("why_node_exporter_table", run.stdout);
}

#[test]
fn why_wide_adds_pod_age_restarts_revision_and_node_facts() {
    let run = kubectl_ds(&[
        "why",
        "web-agent",
        "-n",
        "rollout",
        "-f",
        &rc(),
        "-o",
        "wide",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The rollout's lines come first (web-agent's is stalled), then the table.
    let header = run
        .stdout
        .lines()
        .find(|l| l.starts_with("NODE "))
        .unwrap_or_default();
    for col in [
        "NODE", "STATUS", "POD", "AGE", "RESTARTS", "REVISION", "REASON",
    ] {
        assert!(header.contains(col), "wide header lacks {col}: {header}");
    }
    let w1 = run
        .stdout
        .lines()
        .find(|l| l.starts_with("w-1 "))
        .expect("w-1 row");
    assert!(w1.contains("web-agent-cr4s5"), "{w1}");
}

#[test]
fn coverage_all_namespaces_table_and_grid() {
    let run = kubectl_ds(&["coverage", "-A", "-f", &rc()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("coverage_all_table", run.stdout);
    let grid = kubectl_ds(&["coverage", "-A", "--nodes", "-f", &rc()]);
    assert_eq!(grid.code, 0, "{}", grid.stderr);
    insta::assert_snapshot!("coverage_all_grid", grid.stdout);
}

/// The grid shows, for every node and DaemonSet, the same status `why` reports.
#[test]
fn coverage_json_agrees_with_why_for_every_node() {
    let run = kubectl_ds(&["coverage", "-A", "-f", &rc(), "-o", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cov: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let daemonsets = cov["daemonSets"].as_array().unwrap();
    assert_eq!(daemonsets.len(), 16);
    for ds in daemonsets {
        let (ns, name) = (
            ds["namespace"].as_str().unwrap(),
            ds["name"].as_str().unwrap(),
        );
        let why = crate::support::why_json(ns, name);
        for node in why["nodes"].as_array().unwrap() {
            let listed = ds["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|n| n["node"] == node["node"]);
            match listed {
                None => assert_eq!(
                    node["status"], "Running",
                    "{ns}/{name} {}: absent means Running",
                    node["node"]
                ),
                Some(n) => {
                    assert_eq!(n["status"], node["status"], "{ns}/{name} {}", node["node"]);
                    assert_eq!(n["reason"], node["reason"], "{ns}/{name} {}", node["node"]);
                }
            }
        }
        let counts = &ds["counts"];
        assert_eq!(counts, &why["counts"], "{ns}/{name} counts");
    }
}

#[test]
fn yaml_output_parses_and_names_every_node() {
    let run = kubectl_ds(&["why", "fluentd", "-n", "logging", "-f", &rc(), "-o", "yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_saphyr::from_str(&run.stdout).expect("valid YAML");
    assert_eq!(v["nodes"].as_array().map(Vec::len), Some(10));
    assert_eq!(v["name"], "fluentd");
}

#[test]
fn name_output_and_status_filter() {
    let run = kubectl_ds(&[
        "why",
        "node-exporter",
        "-n",
        "monitoring",
        "-f",
        &rc(),
        "-o",
        "name",
        "--status",
        "failing",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "node/small-1\nnode/win-1\n");
}

#[test]
fn exit_code_flags_gaps_only_when_asked() {
    let cases = [
        (
            "gaps without flag exit 0",
            "node-exporter",
            "monitoring",
            false,
            0,
        ),
        (
            "gaps with --exit-code exit 3",
            "node-exporter",
            "monitoring",
            true,
            3,
        ),
        (
            "fully covered with --exit-code exit 0",
            "fluentd",
            "logging",
            true,
            0,
        ),
    ];
    for (name, ds, ns, flag, want) in cases {
        let mut args = vec!["why", ds, "-n", ns, "-o", "name"];
        let dir = rc();
        args.extend(["-f", &dir]);
        if flag {
            args.push("--exit-code");
        }
        assert_eq!(kubectl_ds(&args).code, want, "{name}");
    }
    let cov = kubectl_ds(&["coverage", "-A", "-f", &rc(), "--exit-code", "-o", "name"]);
    assert_eq!(cov.code, 3, "coverage with gaps");
}

#[test]
fn reads_a_dump_from_stdin() {
    let all = std::fs::read(real_cluster().join("all.yaml")).unwrap();
    let run = kubectl_ds_with(
        &[
            "why",
            "kube-proxy",
            "-n",
            "kube-system",
            "-f",
            "-",
            "-o",
            "json",
        ],
        &[],
        Some(&all),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["counts"]["Running"], 8);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let args = ["why", "node-exporter", "-n", "monitoring", "-f", &rc()];
    let plain = kubectl_ds(&args);
    assert!(
        !plain.stdout.contains('\u{1b}'),
        "piped output must not be coloured"
    );
    let mut forced: Vec<&str> = args.to_vec();
    forced.extend(["--color", "always"]);
    let coloured = kubectl_ds(&forced);
    assert!(
        coloured.stdout.contains("\u{1b}["),
        "--color always must colour"
    );
    let no_color = kubectl_ds_with(&args, &[("NO_COLOR", "1")], None);
    assert!(!no_color.stdout.contains('\u{1b}'));
}

/// Every bad input: exit 1, one `error:` line naming the cause, one `hint:` line, no panic.
#[test]
fn bad_input_gives_one_error_line_and_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let malformed = write(
        "bad.json",
        "{\"kind\": \"NodeList\", \"items\": [\n  {\"metadata\": {\"name\": \"n\"}},,\n]}",
    );
    let bad_yaml = write(
        "bad.yaml",
        "kind: List\nitems:\n  - kind: Node\n    metadata: [unclosed\n",
    );
    let garbage_qty = write(
        "qty.yaml",
        "kind: List\nitems:\n- kind: Node\n  apiVersion: v1\n  metadata: {name: n1}\n  status: {allocatable: {cpu: 2 cores}}\n",
    );
    let empty_dir = tempfile::tempdir().unwrap();
    let empty = empty_dir.path().to_str().unwrap().to_string();
    let rc = rc();
    let cases: Vec<(&str, Vec<&str>, &str, &str)> = vec![
        (
            "unknown daemonset suggests a close name",
            vec!["why", "node-exportr", "-n", "monitoring", "-f", &rc],
            "daemonset \"node-exportr\" not found in namespace \"monitoring\"",
            "did you mean node-exporter",
        ),
        (
            "wrong namespace suggests the right one",
            vec!["why", "fluentd", "-f", &rc],
            "not found in namespace \"default\"",
            "-n logging",
        ),
        (
            "missing file",
            vec!["why", "x", "-f", "/nonexistent/cluster.yaml"],
            "reading /nonexistent/cluster.yaml: No such file",
            "kubectl get nodes,pods",
        ),
        (
            "malformed JSON names line and column",
            vec!["why", "x", "-f", &malformed],
            "bad.json:2:",
            "kubectl get",
        ),
        (
            "malformed YAML names the line",
            vec!["why", "x", "-f", &bad_yaml],
            "bad.yaml:",
            "kubectl get",
        ),
        (
            "garbage quantity names object and field",
            vec!["why", "x", "-f", &garbage_qty],
            "node n1: status.allocatable.cpu: invalid quantity \"2 cores\"",
            "quantities look like",
        ),
        (
            "empty directory",
            vec!["why", "x", "-f", &empty],
            "nothing to read",
            "kubectl get",
        ),
        (
            "no kubeconfig",
            vec!["why", "x"],
            "kubeconfig",
            "--kubeconfig",
        ),
        (
            "bad request timeout",
            vec!["why", "x", "--request-timeout", "soon", "-f", &rc],
            "invalid --request-timeout",
            "",
        ),
    ];
    for (name, args, error, hint) in cases {
        let run = kubectl_ds(&args);
        assert_eq!(run.code, 1, "{name}: exit code; stderr: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{name}: nothing on stdout");
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert!(
            lines[0].starts_with("error: ") && lines[0].contains(error),
            "{name}: {:?}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("panicked") && !run.stderr.contains("Error {"),
            "{name}: {}",
            run.stderr
        );
        if hint.is_empty() {
            continue;
        }
        assert_eq!(
            lines.len(),
            2,
            "{name}: error line + hint line: {:?}",
            run.stderr
        );
        assert!(
            lines[1].starts_with("hint: ") && lines[1].contains(hint),
            "{name}: {:?}",
            run.stderr
        );
    }
}

/// A dump without nodes is an empty cluster as far as the tool can tell: an answer (kubectl's "No
/// resources found", as there is no row), with a note pointing at the likely mistake, like the
/// controller which simply does nothing then.
#[test]
fn dump_without_nodes_says_there_is_nothing_to_judge() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("ds-only.yaml");
    std::fs::write(&p, "kind: DaemonSet\napiVersion: apps/v1\nmetadata: {name: a, namespace: default, uid: u1}\nspec: {selector: {matchLabels: {app: a}}, template: {metadata: {labels: {app: a}}}}\n").unwrap();
    let run = kubectl_ds(&["why", "a", "-f", p.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "", "no rows, no table");
    assert!(
        run.stderr
            .starts_with("No resources found in default namespace.\nnote: ")
            && run.stderr.contains("holds no nodes")
            && run.stderr.contains("kubectl get nodes"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2_and_help_speaks_kubectl() {
    let run = kubectl_ds(&["why"]);
    assert_eq!(run.code, 2);
    let help = kubectl_ds(&["why", "--help"]);
    assert_eq!(help.code, 0);
    assert!(
        help.stdout.contains("Usage: kubectl ds why"),
        "{}",
        help.stdout
    );
    assert!(
        help.stdout
            .contains("kubectl ds why node-exporter -n monitoring"),
        "examples in --help"
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubectl-ds"))
        .args([
            "coverage",
            "-A",
            "--nodes",
            "--expand",
            "-f",
            &rc(),
            "-o",
            "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then close the pipe, as `| head -c1` would.
    let mut stdout = child.stdout.take().unwrap();
    let mut byte = [0u8; 1];
    stdout.read_exact(&mut byte).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        out.status.code() == Some(0),
        "exit {:?}: {stderr}",
        out.status.code()
    );
}
