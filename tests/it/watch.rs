//! `--watch` end to end: the binary against the recorded-response server with a scripted watch stream
//! (ADDED, MODIFIED, DELETED, BOOKMARK, a change only a relist sees, and 410 Gone), ended by SIGINT.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::api_server::DS_SELECTOR;
use crate::recorded_api::{Recorded, RecordedServer, WatchEvent, WatchStep};
use crate::support::kubectl_ds;

fn pod(name: &str) -> Value {
    let body: Value =
        serde_json::from_str(&crate::api_server::real_fixture("pods.json")).expect("pods");
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["metadata"]["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no recorded pod {name}"))
}

/// node-exporter's pods change under a running watch, one step per WATCH request:
/// small-1's crash-looping pod becomes Ready; w-2's pod is deleted, then a new one is added; cordoned-1's
/// pod goes while nobody watches, which only the relist forced by 410 Gone reveals.
fn scripted() -> Recorded {
    let mut healed = pod("node-exporter-x89hv");
    healed["status"] = pod("node-exporter-c9hcn")["status"].clone();
    let mut replacement = pod("node-exporter-mvr8q");
    replacement["metadata"]["name"] = json!("node-exporter-new01");
    replacement["metadata"]["uid"] = json!("00000000-0000-0000-0000-00000000new1");
    let step = |ms: u64, events: Vec<WatchEvent>| WatchStep {
        delay: Duration::from_millis(ms),
        events,
    };
    Recorded::real_cluster().watching(
        "pods",
        Some(DS_SELECTOR),
        vec![
            step(2500, vec![WatchEvent::Modified(healed)]),
            step(
                1000,
                vec![
                    WatchEvent::Bookmark,
                    WatchEvent::Deleted(pod("node-exporter-mvr8q")),
                ],
            ),
            step(1000, vec![WatchEvent::Added(replacement)]),
            step(
                1000,
                vec![
                    WatchEvent::Unseen(Box::new(|pods: &mut Vec<Value>| {
                        pods.retain(|p| p["metadata"]["name"] != "node-exporter-frgzc")
                    })),
                    WatchEvent::Gone,
                ],
            ),
        ],
    )
}

struct Watching {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Watching {
    fn start(server: &RecordedServer, args: &[&str]) -> Watching {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kubectl-ds"))
            .args(args)
            .args(["--kubeconfig", &server.kubeconfig])
            .env_remove("NO_COLOR")
            .env_remove("KUBECONFIG")
            .env("HOME", std::env::temp_dir().join("kubectl-ds-test-home"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn kubectl-ds");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watching {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Reads stdout until `done` holds for the lines so far, or panics after `within`.
    fn until(&mut self, within: Duration, done: impl Fn(&[String]) -> bool) {
        let deadline = Instant::now() + within;
        while !done(&self.seen) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => {
                    let _ = self.child.kill();
                    panic!("timed out; output so far:\n{}", self.seen.join("\n"));
                }
            }
        }
    }

    /// SIGINT, as Ctrl-C sends it; returns the exit code and stderr.
    fn interrupt(self) -> (i32, String) {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill -INT");
        assert!(status.success());
        let out = self.child.wait_with_output().expect("wait");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

/// LIST requests (no `watch`) per path, and WATCH requests per path.
async fn requests(server: &RecordedServer, p: &str) -> (usize, usize) {
    let all = server.requests().await;
    let of_path = all.iter().filter(|(_, path, _)| path == p);
    let watches = of_path
        .clone()
        .filter(|(_, _, q)| q.contains("watch=true"))
        .count();
    (of_path.count() - watches, watches)
}

const PODS: &str = "/api/v1/namespaces/monitoring/pods";
const NODES: &str = "/api/v1/nodes";

#[tokio::test(flavor = "multi_thread")]
async fn why_watch_prints_the_table_then_one_row_per_changed_node() {
    let server = RecordedServer::start(scripted()).await;
    let mut w = Watching::start(&server, &["why", "node-exporter", "-n", "monitoring", "-w"]);
    // The table, as without --watch, then the summary line.
    w.until(Duration::from_secs(30), |l| {
        l.iter().any(|l| l.starts_with("10 nodes:"))
    });
    let table_end = w.seen.len();
    w.until(Duration::from_secs(30), |l| {
        l[table_end..]
            .iter()
            .any(|l| l.starts_with("cordoned-1") && !l.contains("Running"))
    });
    // A rollout whose message moved gets its own line, as `why` prints it above the table.
    let (rollouts, rows): (Vec<&String>, Vec<&String>) = w.seen[table_end..]
        .iter()
        .filter(|l| !l.trim().is_empty())
        .partition(|l| l.starts_with("rollout "));
    assert!(
        rollouts
            .iter()
            .all(|l| l.starts_with("rollout monitoring/node-exporter: Stalled: ")),
        "{rollouts:?}"
    );
    assert!(
        rollouts
            .iter()
            .any(|l| l.ends_with("2 nodes have no available pod: w-2 and win-1")),
        "w-2 losing its pod shows in the rollout line: {rollouts:?}"
    );
    let changes: Vec<Vec<String>> = rows
        .iter()
        .map(|l| l.split_whitespace().take(3).map(String::from).collect())
        .collect();
    let row = |node: &str, status: &str, first: &str| {
        vec![node.to_string(), status.to_string(), first.to_string()]
    };
    assert_eq!(
        changes,
        [
            row("small-1", "Running", "pod"),
            row("w-2", "Missing", changes[1][2].as_str()),
            row("w-2", "Running", "pod"),
            row("cordoned-1", "Missing", changes[3][2].as_str()),
        ],
        "{}",
        w.seen.join("\n")
    );
    assert!(rows[2].contains("node-exporter-new01"), "{rows:?}");
    assert!(
        !w.seen[table_end..].iter().any(|l| l.starts_with("NODE")),
        "no header repeated"
    );

    // Quiet now: no LIST is repeated while nothing changes.
    let before = server.requests().await.len();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let after = server.requests().await;
    assert_eq!(
        after.len(),
        before,
        "requests while idle: {:?}",
        &after[before..]
    );
    // Pods: the first answer's LIST, the watcher's own LIST, and one more after 410 Gone; nodes: two.
    assert_eq!(
        requests(&server, PODS).await,
        (3, 5),
        "pods (LISTs, WATCHes)"
    );
    assert_eq!(
        requests(&server, NODES).await,
        (2, 1),
        "nodes (LISTs, WATCHes)"
    );
    assert!(after.iter().all(|(m, _, _)| m == "GET"));

    let (code, stderr) = w.interrupt();
    assert_eq!(code, 0, "Ctrl-C ends a watch cleanly: {stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn why_watch_json_writes_json_lines() {
    let server = RecordedServer::start(scripted()).await;
    let mut w = Watching::start(
        &server,
        &[
            "why",
            "node-exporter",
            "-n",
            "monitoring",
            "--watch",
            "-o",
            "json",
            "-v",
            "6",
        ],
    );
    let node_changes = |lines: &[String]| -> Vec<Value> {
        lines
            .iter()
            .skip(1)
            .map(|l| serde_json::from_str::<Value>(l).expect("each line is one JSON object"))
            .filter(|v| v["kind"] == "NodeChange")
            .collect()
    };
    w.until(Duration::from_secs(30), |l| node_changes(l).len() >= 4);
    let first: Value = serde_json::from_str(&w.seen[0]).expect("first line: the report");
    assert_eq!(first["kind"], "DaemonSetReport");
    assert_eq!(first["apiVersion"], "ds.kubectl.dev/v1alpha1");
    assert_eq!(first["nodes"].as_array().map(Vec::len), Some(10));
    let changes = node_changes(&w.seen);
    let summary: Vec<(&str, &str)> = changes
        .iter()
        .map(|c| (c["node"].as_str().unwrap(), c["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        summary,
        [
            ("small-1", "Running"),
            ("w-2", "Missing"),
            ("w-2", "Running"),
            ("cordoned-1", "Missing"),
        ]
    );
    let c = &changes[2];
    assert_eq!(c["apiVersion"], "ds.kubectl.dev/v1alpha1");
    assert_eq!(c["namespace"], "monitoring");
    assert_eq!(c["daemonSet"], "node-exporter");
    assert_eq!(c["pod"], "node-exporter-new01");
    assert_eq!(c["reason"], "pod node-exporter-new01: running and Ready");
    assert!(c.as_object().unwrap().contains_key("revision"));
    let (code, stderr) = w.interrupt();
    assert_eq!(code, 0);
    // -v 6: each WATCH is logged when its stream opens and when it closes.
    let watch_lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(PODS) && l.contains("watch=true"))
        .collect();
    assert!(
        watch_lines
            .iter()
            .any(|l| l.contains("200 OK") && l.ends_with("watch stream open")),
        "{stderr}"
    );
    assert!(
        watch_lines
            .iter()
            .any(|l| l.contains("watch stream closed after")),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn coverage_watch_prints_the_changed_daemonset_rows() {
    let server = RecordedServer::start(scripted()).await;
    let mut w = Watching::start(&server, &["coverage", "-n", "monitoring", "-w"]);
    w.until(Duration::from_secs(30), |l| {
        l.iter().filter(|l| l.starts_with("node-exporter")).count() >= 5
    });
    let rows: Vec<&String> = w
        .seen
        .iter()
        .filter(|l| l.starts_with("node-exporter"))
        .collect();
    // RUNNING (third column) follows the pods: 3, then 4 (small-1 healed), 3 (w-2 lost), 4, 3 (cordoned-1).
    let running: Vec<&str> = rows
        .iter()
        .map(|l| l.split_whitespace().nth(2).unwrap())
        .collect();
    assert_eq!(running, ["3", "4", "3", "4", "3"], "{}", w.seen.join("\n"));
    let (code, _) = w.interrupt();
    assert_eq!(code, 0);
}

#[test]
fn watch_needs_a_live_cluster() {
    let run = kubectl_ds(&[
        "why",
        "node-exporter",
        "-n",
        "monitoring",
        "--watch",
        "-f",
        "tests/fixtures/real-cluster",
    ]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "error: --watch needs a live cluster: a file (-f) does not change",
            "hint: drop -f to watch the cluster of the current context, or drop --watch to judge the file once",
        ]
    );
    assert!(run.stdout.is_empty());
}
