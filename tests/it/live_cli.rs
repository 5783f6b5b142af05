//! The binary, live: a kubeconfig pointing at a local server answering from a recorded real cluster.
//! Checks the answers equal the file-based ones, that only GETs are sent, and what is fetched.

use crate::recorded_api::{Recorded, RecordedServer};
use crate::support::{kubectl_ds, why_json};

async fn run(server: &RecordedServer, args: &[&str]) -> crate::support::Run {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--kubeconfig", &server.kubeconfig]);
    crate::support::kubectl_ds_async(&all).await
}

fn statuses(v: &serde_json::Value) -> Vec<(String, String)> {
    let mut s: Vec<(String, String)> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["node"].as_str().unwrap().to_string(),
                n["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    s.sort();
    s
}

#[tokio::test]
async fn live_why_equals_the_snapshot_answer_and_only_reads() {
    let server = RecordedServer::start(Recorded::real_cluster()).await;
    for (ns, ds) in [
        ("monitoring", "node-exporter"),
        ("batch-heavy", "hungry"),
        ("quota-limited", "quota-agent"),
        ("rollout", "surge-agent"),
    ] {
        let live = run(&server, &["why", ds, "-n", ns, "-o", "json"]).await;
        assert_eq!(live.code, 0, "{ns}/{ds}: {}", live.stderr);
        let live: serde_json::Value = serde_json::from_str(&live.stdout).unwrap();
        let file = why_json(ns, ds);
        assert_eq!(
            statuses(&live),
            statuses(&file),
            "{ns}/{ds}: live and file verdicts differ"
        );
        for (l, f) in live["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .zip(file["nodes"].as_array().unwrap())
        {
            assert_eq!(
                l["reason"], f["reason"],
                "{ns}/{ds} {}: live reason differs from file reason",
                l["node"]
            );
        }
    }
    let requests = server.requests().await;
    assert!(
        requests.iter().all(|(m, _, _)| m == "GET"),
        "only GETs: {requests:?}"
    );
}

#[tokio::test]
async fn live_why_fetches_only_what_the_answer_needs() {
    let server = RecordedServer::start(Recorded::real_cluster()).await;
    let out = run(
        &server,
        &["why", "hungry", "-n", "batch-heavy", "-o", "json"],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let small = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == "small-1")
        .unwrap();
    let reason = small["reason"].as_str().unwrap();
    assert!(
        reason.contains("40m already requested by 4 pods"),
        "resource figures need the node's pods: {reason}"
    );

    let requests = server.requests().await;
    let unscoped = requests
        .iter()
        .any(|(_, p, q)| p == "/api/v1/pods" && !q.contains("spec.nodeName"));
    assert!(
        !unscoped,
        "never lists every pod of the cluster: {requests:?}"
    );
    let pod_lists: Vec<&(String, String, String)> = requests
        .iter()
        .filter(|(_, p, _)| p == "/api/v1/namespaces/batch-heavy/pods")
        .collect();
    assert_eq!(pod_lists.len(), 1, "one list of the DaemonSet's pods");
    assert!(
        pod_lists[0].2.contains("labelSelector=app%3Dhungry"),
        "server-side selector: {:?}",
        pod_lists[0]
    );
    let node_pods: Vec<&str> = requests
        .iter()
        .filter(|(_, p, q)| p == "/api/v1/pods" || q.contains("spec.nodeName"))
        .map(|(_, _, q)| q.as_str())
        .collect();
    assert_eq!(
        node_pods.len(),
        1,
        "pods of exactly one node (small-1, where a pod is Pending): {node_pods:?}"
    );
    assert!(
        node_pods[0].contains("spec.nodeName%3Dsmall-1"),
        "{node_pods:?}"
    );
}

#[tokio::test]
async fn live_coverage_all_namespaces_matches_the_snapshot() {
    let server = RecordedServer::start(Recorded::real_cluster()).await;
    let live = run(&server, &["coverage", "-A", "-o", "json"]).await;
    assert_eq!(live.code, 0, "{}", live.stderr);
    let dir = crate::support::real_cluster();
    let file = kubectl_ds(&["coverage", "-A", "-o", "json", "-f", dir.to_str().unwrap()]);
    let (l, f): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(&live.stdout).unwrap(),
        serde_json::from_str(&file.stdout).unwrap(),
    );
    assert_eq!(
        l["daemonSets"], f["daemonSets"],
        "live coverage equals snapshot coverage"
    );
    let requests = server.requests().await;
    let lists = requests
        .iter()
        .filter(|(_, p, _)| p == "/apis/apps/v1/daemonsets")
        .count();
    assert_eq!(lists, 1, "DaemonSets listed once");
    // Pending pods on most of the 10 nodes: their pods come in one LIST (fieldSelector on the phase).
    let pod_lists: Vec<_> = requests
        .iter()
        .filter(|(_, p, _)| p.ends_with("/pods"))
        .collect();
    assert!(
        pod_lists.iter().all(|(_, p, q)| if p == "/api/v1/pods" {
            q.contains("fieldSelector=status.phase")
        } else {
            q.contains("labelSelector=")
        }),
        "DaemonSet pods read by selector: {pod_lists:?}"
    );
}

/// The live source reads events and node pods at once for what the objects suggest (pods not Ready
/// or not scheduled, the controller's counts short of desired), then what the verdicts show it missed.
/// With every DaemonSet's status claiming all is well, only the verdicts can tell which need events
/// (FailedCreate on the quota-limited one): the answer must still be the snapshot's.
#[tokio::test]
async fn live_coverage_reads_what_the_verdicts_need_when_the_status_hides_it() {
    let recorded = Recorded::real_cluster().editing("daemonsets", |items| {
        for d in items.iter_mut() {
            let desired = d["status"]["desiredNumberScheduled"].clone();
            d["status"] = serde_json::json!({
                "desiredNumberScheduled": desired, "currentNumberScheduled": desired,
                "numberReady": desired, "numberAvailable": desired, "updatedNumberScheduled": desired,
                "numberMisscheduled": 0, "observedGeneration": d["metadata"]["generation"],
            });
        }
    });
    let server = RecordedServer::start(recorded).await;
    let live = run(&server, &["coverage", "-A", "-o", "json"]).await;
    assert_eq!(live.code, 0, "{}", live.stderr);
    let dir = crate::support::real_cluster();
    let file = kubectl_ds(&["coverage", "-A", "-o", "json", "-f", dir.to_str().unwrap()]);
    let (l, f): (serde_json::Value, serde_json::Value) = (
        serde_json::from_str(&live.stdout).unwrap(),
        serde_json::from_str(&file.stdout).unwrap(),
    );
    let verdicts = |v: &serde_json::Value| -> Vec<serde_json::Value> {
        v["daemonSets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| serde_json::json!([d["name"], d["counts"], d["topReason"], d["nodes"]]))
            .collect()
    };
    assert_eq!(
        verdicts(&l),
        verdicts(&f),
        "live verdicts equal the snapshot's"
    );
    assert!(
        live.stdout.contains("FailedCreate"),
        "the refusal is quoted from the events read after judging"
    );
}

#[tokio::test]
async fn live_unknown_daemonset_suggests_close_names() {
    let server = RecordedServer::start(Recorded::real_cluster()).await;
    let out = run(&server, &["why", "node-exportr", "-n", "monitoring"]).await;
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(
        lines[0].starts_with("error: ")
            && lines[0].contains("node-exportr")
            && lines[0].contains("monitoring"),
        "{}",
        out.stderr
    );
    assert!(
        lines
            .get(1)
            .is_some_and(|h| h.starts_with("hint: ") && h.contains("node-exporter")),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn live_forbidden_nodes_names_the_refused_verb_and_the_check() {
    let recorded = Recorded::real_cluster().refusing("nodes", None, 403, "forbidden-nodes.json");
    let server = RecordedServer::start(recorded).await;
    let out = run(&server, &["why", "node-exporter", "-n", "monitoring"]).await;
    assert_eq!(out.code, 1, "{}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", out.stderr);
    assert!(
        lines[0].contains("listing nodes") && lines[0].contains("forbidden"),
        "{}",
        out.stderr
    );
    assert!(lines[1].contains("auth can-i list nodes"), "{}", out.stderr);
}

#[tokio::test]
async fn live_forbidden_events_still_answers_and_says_so() {
    let recorded = Recorded::real_cluster().refusing(
        "events",
        Some("missing-sa"),
        403,
        "forbidden-pods-ns.json",
    );
    let server = RecordedServer::start(recorded).await;
    let out = run(
        &server,
        &["why", "sa-agent", "-n", "missing-sa", "-o", "json"],
    )
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert!(
        v["eventsUnavailable"].is_string(),
        "events_unavailable must be set: {}",
        v["eventsUnavailable"]
    );
    let w1 = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == "w-1")
        .unwrap();
    assert_eq!(w1["status"], "Missing");
    assert!(
        w1["reason"].as_str().unwrap().contains("events"),
        "{}",
        w1["reason"]
    );
    let table = run(&server, &["why", "sa-agent", "-n", "missing-sa"]).await;
    assert!(
        table.stdout.contains("events unavailable"),
        "{}",
        table.stdout
    );
}

/// A minimal CONNECT proxy on 127.0.0.1 that tunnels every CONNECT to `upstream` (as a proxy that
/// resolves the cluster's name on its side would), recording the CONNECT targets it was asked for.
pub(crate) async fn connect_proxy(
    upstream: std::net::SocketAddr,
) -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && head.len() < 8192 {
                    if client.read_exact(&mut byte).await.is_err() {
                        return;
                    }
                    head.push(byte[0]);
                }
                let line = String::from_utf8_lossy(&head)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string();
                log.lock().unwrap().push(line.clone());
                if !line.starts_with("CONNECT ") {
                    let _ = client
                        .write_all(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
                        .await;
                    return;
                }
                let Ok(mut server) = tokio::net::TcpStream::connect(upstream).await else {
                    return;
                };
                if client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await
                    .is_ok()
                {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    });
    (format!("http://{addr}"), seen)
}

/// Like kubectl, the API server is reached through HTTPS_PROXY/HTTP_PROXY when the environment names
/// one; the cluster's own host name does not even resolve here, only the proxy can reach it.
#[tokio::test]
async fn live_requests_go_through_the_environment_proxy() {
    let server = RecordedServer::start(Recorded::real_cluster()).await;
    let (proxy, seen) = connect_proxy(*server.server.address()).await;
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = crate::api_server::write_kubeconfig(
        dir.path(),
        "config",
        "test",
        &[("test", "http://cluster.invalid:6443", None)],
    );
    let kc = kubeconfig.to_str().unwrap().to_string();
    let out = tokio::task::spawn_blocking(move || {
        crate::support::kubectl_ds_with(
            &[
                "why",
                "fluentd",
                "-n",
                "logging",
                "-o",
                "json",
                "--kubeconfig",
                &kc,
            ],
            &[("HTTP_PROXY", &proxy), ("NO_PROXY", "")],
            None,
        )
    })
    .await
    .unwrap();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["counts"]["Running"], 3);
    let seen = seen.lock().unwrap().clone();
    assert!(
        !seen.is_empty()
            && seen
                .iter()
                .all(|l| l.starts_with("CONNECT cluster.invalid:6443")),
        "{seen:?}"
    );
}

/// `why --node` live: the same trace as from the dump, from a GET of the node, the pods bound to it,
/// the DaemonSet's unbound pods, its revisions and the events about it, its pod and the node; never
/// a LIST of every node or of the DaemonSet's pods on other nodes.
#[tokio::test]
async fn live_node_trace_equals_the_dump_and_reads_only_that_node() {
    let dump = crate::support::real_cluster();
    let dump = dump.to_str().unwrap();
    for (ns, ds, node) in [
        ("batch-heavy", "hungry", "small-1"),
        ("hostport", "exporter-b", "w-1"),
        ("monitoring", "node-exporter", "small-1"),
        ("logging", "fluentd", "gpu-1"),
    ] {
        let server = RecordedServer::start(Recorded::real_cluster()).await;
        let args = ["why", ds, "-n", ns, "--node", node, "-o", "json"];
        let live = run(&server, &args).await;
        assert_eq!(live.code, 0, "{ds} on {node}: {}", live.stderr);
        let mut with_file = args.to_vec();
        with_file.extend(["-f", dump]);
        let file = kubectl_ds(&with_file);
        let live: serde_json::Value = serde_json::from_str(&live.stdout).unwrap();
        let file: serde_json::Value = serde_json::from_str(&file.stdout).unwrap();
        assert_eq!(live, file, "{ds} on {node}: live and dump traces differ");

        let requests = server.requests().await;
        assert!(requests.iter().all(|(m, _, _)| m == "GET"), "{requests:?}");
        let seen: Vec<String> = requests
            .iter()
            .map(|(_, p, q)| {
                let q: Vec<String> = q
                    .split('&')
                    .filter(|kv| !kv.starts_with("limit=") && !kv.is_empty())
                    .map(urlencoding_decode)
                    .collect();
                format!("{p}?{}", q.join("&"))
            })
            .collect();
        let ds_selector = |q: &str| q.contains("labelSelector=");
        let expected_paths = [
            format!("/apis/apps/v1/namespaces/{ns}/daemonsets/{ds}?"),
            format!("/api/v1/nodes/{node}?"),
            format!("/api/v1/pods?fieldSelector=spec.nodeName={node}"),
            format!(
                "/api/v1/events?fieldSelector=involvedObject.kind=Node,involvedObject.name={node}"
            ),
            format!(
                "/api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.kind=DaemonSet,involvedObject.name={ds}"
            ),
        ];
        for want in &expected_paths {
            assert!(
                seen.contains(want),
                "{ds} on {node}: no {want} in {seen:#?}"
            );
        }
        assert!(
            seen.iter()
                .any(|s| s.starts_with(&format!("/api/v1/namespaces/{ns}/pods?"))
                    && ds_selector(s)
                    && s.contains("fieldSelector=spec.nodeName=")
                    && !s.contains(&format!("spec.nodeName={node}"))),
            "the DaemonSet's unbound pods only: {seen:#?}"
        );
        assert!(
            !seen.iter().any(|s| s == "/api/v1/nodes?"),
            "no LIST of every node: {seen:#?}"
        );
        assert!(
            !seen
                .iter()
                .any(|s| s.contains("/pods?") && !s.contains("fieldSelector=")),
            "every pod LIST is field-selected: {seen:#?}"
        );
        assert!(
            seen.len() <= 8,
            "{ds} on {node}: {} requests: {seen:#?}",
            seen.len()
        );
    }
}

/// `%2C` -> `,`, `+` -> ` `: a query pair as the server reads it.
fn urlencoding_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
