//! kubectl's output conventions, end to end: `-o name` (one rule for both commands) and what an empty
//! result prints (kubectl's `No resources found ...` on stderr for tables, empty documents otherwise).

use crate::recorded_api::{Recorded, RecordedServer};
use crate::support::{example_cluster, kubectl_ds};

fn run(args: &[&str]) -> crate::support::Run {
    let file = example_cluster();
    let mut all = args.to_vec();
    all.extend(["-f", file.as_str()]);
    kubectl_ds(&all)
}

/// Column `col` of every table row (header and summary left out): what the rows are about.
fn table_column(args: &[&str], col: usize) -> Vec<String> {
    let table = run(args);
    assert_eq!(table.code, 0, "{}", table.stderr);
    // `why` puts the rollout's lines above the table when it is not complete.
    table
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("NODE ") && !l.starts_with("NAME"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().nth(col).unwrap().to_string())
        .collect()
}

/// `-o name` prints one `<resource>[.<group>]/<name>` per table row, for both commands: nodes for
/// `why`, DaemonSets for `coverage` (all of them, not only those with gaps), in table order.
#[test]
fn name_output_names_the_rows_of_the_table() {
    let cases: [(&str, &[&str], usize, &str); 4] = [
        ("why", &["why", "node-agent", "-n", "demo"], 0, "node/"),
        (
            "why --status",
            &[
                "why",
                "kube-proxy",
                "-n",
                "kube-system",
                "--status",
                "Running,Failing",
            ],
            0,
            "node/",
        ),
        (
            "coverage",
            &["coverage", "-n", "kube-system"],
            0,
            "daemonset.apps/",
        ),
        // With -A the table's first column is the namespace; kubectl's name printer leaves it out.
        ("coverage -A", &["coverage", "-A"], 1, "daemonset.apps/"),
    ];
    for (name, args, col, prefix) in cases {
        let want: Vec<String> = table_column(args, col)
            .into_iter()
            .map(|n| format!("{prefix}{n}"))
            .collect();
        assert!(want.len() > 1, "{name}: the table has rows");
        let got = run(&[args, &["-o", "name"]].concat());
        assert_eq!((got.code, got.stderr.as_str()), (0, ""), "{name}");
        assert_eq!(got.stdout.lines().collect::<Vec<_>>(), want, "{name}");
    }
    let coverage = run(&["coverage", "-A", "-o", "name"]);
    assert_eq!(
        coverage.stdout,
        "daemonset.apps/node-agent\ndaemonset.apps/kube-proxy\n\
         daemonset.apps/nvidia-device-plugin-daemonset\ndaemonset.apps/fluent-bit\n",
        "fully covered DaemonSets are named too"
    );
}

/// Nothing matched: tables print nothing on stdout and kubectl's sentence on stderr, exit 0;
/// json/yaml print the document with an empty list and say nothing; name prints nothing.
#[test]
fn empty_results_say_no_resources_found_like_kubectl() {
    let why_none = [
        "why",
        "kube-proxy",
        "-n",
        "kube-system",
        "--status",
        "Pending",
    ];
    let cases: [(&str, Vec<&str>, &str); 7] = [
        (
            "coverage in an empty namespace",
            vec!["coverage", "-n", "nothing-here"],
            "No resources found in nothing-here namespace.\n",
        ),
        (
            "coverage -A with a selector nothing has",
            vec!["coverage", "-A", "-l", "team=nobody"],
            "No resources found\n",
        ),
        (
            "coverage -l in a namespace, wide",
            vec!["coverage", "-n", "demo", "-l", "team=nobody", "-o", "wide"],
            "No resources found in demo namespace.\n",
        ),
        (
            "coverage --nodes grid",
            vec!["coverage", "-n", "nothing-here", "--nodes"],
            "No resources found in nothing-here namespace.\n",
        ),
        (
            "coverage --no-headers still says it",
            vec!["coverage", "-n", "nothing-here", "--no-headers"],
            "No resources found in nothing-here namespace.\n",
        ),
        (
            "why --status leaving no row",
            why_none.to_vec(),
            "No resources found in kube-system namespace.\n",
        ),
        (
            "why --status -o wide",
            [why_none.as_slice(), &["-o", "wide"]].concat(),
            "No resources found in kube-system namespace.\n",
        ),
    ];
    for (name, args, want) in cases {
        let got = run(&args);
        assert_eq!(got.code, 0, "{name}: {}", got.stderr);
        assert_eq!(got.stdout, "", "{name}: nothing on stdout");
        assert_eq!(got.stderr, want, "{name}");
    }

    let machine: [(&str, Vec<&str>, &str); 4] = [
        (
            "coverage json",
            vec!["coverage", "-n", "nothing-here", "-o", "json"],
            "daemonSets",
        ),
        (
            "coverage yaml",
            vec!["coverage", "-A", "-l", "team=nobody", "-o", "yaml"],
            "daemonSets",
        ),
        (
            "why json",
            [why_none.as_slice(), &["-o", "json"]].concat(),
            "nodes",
        ),
        (
            "why yaml",
            [why_none.as_slice(), &["-o", "yaml"]].concat(),
            "nodes",
        ),
    ];
    for (name, args, list) in machine {
        let got = run(&args);
        assert_eq!(got.code, 0, "{name}: {}", got.stderr);
        assert_eq!(got.stderr, "", "{name}: machine formats say nothing");
        let doc: serde_json::Value = if args.contains(&"json") {
            serde_json::from_str(&got.stdout).unwrap()
        } else {
            serde_saphyr::from_str(&got.stdout).unwrap()
        };
        assert_eq!(doc[list], serde_json::json!([]), "{name}: {}", got.stdout);
        assert!(doc["kind"].is_string(), "{name}: a whole document");
    }

    for args in [
        vec!["coverage", "-n", "nothing-here", "-o", "name"],
        [why_none.as_slice(), &["-o", "name"]].concat(),
    ] {
        let got = run(&args);
        assert_eq!(
            (got.code, got.stdout.as_str(), got.stderr.as_str()),
            (0, "", ""),
            "{args:?}"
        );
    }
}

/// Live, the namespace in the sentence is the one the kubeconfig context chose (`default` here),
/// and -A drops it, as kubectl does.
#[tokio::test]
async fn live_empty_coverage_names_the_context_namespace() {
    let server = RecordedServer::start(Recorded::real_cluster()).await;
    for (args, want) in [
        (
            vec!["coverage"],
            "No resources found in default namespace.\n",
        ),
        (
            vec!["coverage", "-A", "-l", "team=nobody"],
            "No resources found\n",
        ),
    ] {
        let mut all = args.clone();
        all.extend(["--kubeconfig", &server.kubeconfig]);
        let owned: Vec<String> = all.iter().map(|s| s.to_string()).collect();
        let got = tokio::task::spawn_blocking(move || {
            kubectl_ds(&owned.iter().map(String::as_str).collect::<Vec<_>>())
        })
        .await
        .unwrap();
        assert_eq!(got.code, 0, "{args:?}: {}", got.stderr);
        assert_eq!(
            (got.stdout.as_str(), got.stderr.as_str()),
            ("", want),
            "{args:?}"
        );
    }
}
