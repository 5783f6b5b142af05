//! kubectl's connection flags end to end: each reaches the request (headers, URL, TLS), the commands
//! `--explain` prints carry them, NO_PROXY is read as kubectl reads it, and `-v 6` logs every request.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::api_server::write_kubeconfig;
use crate::live_cli::connect_proxy;
use crate::recorded_api::{Recorded, RecordedServer};
use crate::support::{Run, fixtures, kubectl_ds_with, real_cluster};

/// Runs the binary off the async runtime (the server lives on it), with extra environment.
async fn run_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let e: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        kubectl_ds_with(&a, &e, None)
    })
    .await
    .unwrap()
}

async fn run(args: &[&str]) -> Run {
    run_env(args, &[]).await
}

const WHY_FLUENTD: [&str; 6] = ["why", "fluentd", "-n", "logging", "-o", "json"];

fn running(out: &Run) -> Value {
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).expect("JSON on stdout");
    v["counts"]["Running"].clone()
}

/// Every kubectl command in a report's advice: checks, fixes and alternatives.
fn advice_commands(report: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for node in report["nodes"].as_array().into_iter().flatten() {
        for a in node["advice"].as_array().into_iter().flatten() {
            let fixes = std::iter::once(&a["fix"])
                .chain(a["alternatives"].as_array().into_iter().flatten());
            let commands = fixes.flat_map(|f| f["commands"].as_array().into_iter().flatten());
            for c in a["checks"].as_array().into_iter().flatten().chain(commands) {
                out.push(c.as_str().unwrap_or_default().to_string());
            }
        }
    }
    out
}

fn daemonsets_of_real_cluster() -> Vec<(String, String)> {
    let body: Value = serde_json::from_str(
        &std::fs::read_to_string(real_cluster().join("daemonsets.json")).unwrap(),
    )
    .unwrap();
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["metadata"]["namespace"].as_str().unwrap().to_string(),
                d["metadata"]["name"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Pasted as printed, a fix must land on the cluster that was diagnosed, not the shell's current one.
#[tokio::test]
async fn explain_commands_carry_the_connection_flags_of_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("my conf");
    let kc = kubeconfig.to_str().unwrap();
    let prefix =
        format!("kubectl --kubeconfig '{kc}' --context prod --as jane --as-group 'team one' ");
    let cluster = real_cluster();
    let mut total = 0;
    for (ns, name) in daemonsets_of_real_cluster() {
        let out = run(&[
            "why",
            &name,
            "-n",
            &ns,
            "-f",
            cluster.to_str().unwrap(),
            "--explain",
            "-o",
            "json",
            "--context",
            "prod",
            "--kubeconfig",
            kc,
            "--as",
            "jane",
            "--as-group",
            "team one",
        ])
        .await;
        assert_eq!(out.code, 0, "{ns}/{name}: {}", out.stderr);
        let report: Value = serde_json::from_str(&out.stdout).unwrap();
        for command in advice_commands(&report)
            .iter()
            .filter(|c| c.contains("kubectl "))
        {
            assert!(command.starts_with(&prefix), "{ns}/{name}: {command}");
            total += 1;
        }
    }
    assert!(total > 50, "only {total} commands checked");
}

#[tokio::test]
async fn explain_commands_on_a_live_run_carry_only_the_flags_given() {
    let server = RecordedServer::start(Recorded::real_cluster()).await;
    let kc = server.kubeconfig.clone();
    let out = run(&[
        "why",
        "gpu-agent",
        "-n",
        "gpu-operator",
        "--explain",
        "-o",
        "json",
        "--kubeconfig",
        &kc,
    ])
    .await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    let commands = advice_commands(&serde_json::from_str(&out.stdout).unwrap());
    assert!(!commands.is_empty());
    for c in commands.iter().filter(|c| c.contains("kubectl ")) {
        assert!(c.starts_with(&format!("kubectl --kubeconfig {kc} ")), "{c}");
        assert!(!c.contains("--context"), "no --context was given: {c}");
    }
}

/// `NO_PROXY="example.com,"` (a trailing comma, common in corporate shells): kubectl connects; so must we.
#[tokio::test]
async fn no_proxy_with_empty_entries_still_connects() {
    let server = RecordedServer::start(Recorded::real_cluster()).await;
    let (proxy, seen) = connect_proxy(*server.server.address()).await;
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = write_kubeconfig(
        dir.path(),
        "config",
        "test",
        &[("test", "http://cluster.invalid:6443", None)],
    );
    let mut args = WHY_FLUENTD.to_vec();
    args.extend(["--kubeconfig", kubeconfig.to_str().unwrap()]);
    let out = run_env(
        &args,
        &[
            ("HTTPS_PROXY", &proxy),
            ("HTTP_PROXY", &proxy),
            ("NO_PROXY", "example.com,"),
        ],
    )
    .await;
    assert_eq!(running(&out), 3);
    assert!(
        !seen.lock().unwrap().is_empty(),
        "the request must go through the proxy"
    );
}

#[tokio::test]
async fn verbosity_6_logs_every_request_and_default_logs_none() {
    let server = RecordedServer::start(Recorded::real_cluster()).await;
    let mut args = WHY_FLUENTD.to_vec();
    args.extend(["--kubeconfig", &server.kubeconfig]);
    let quiet = run(&args).await;
    assert_eq!(running(&quiet), 3);
    assert_eq!(quiet.stderr, "", "no -v, no logs");
    let requests_before = server.requests().await.len();

    args.extend(["-v", "6"]);
    let loud = run(&args).await;
    assert_eq!(running(&loud), 3);
    let requests = server.requests().await.len() - requests_before;
    let uri = server.server.uri();
    let lines: Vec<&str> = loud
        .stderr
        .lines()
        .filter(|l| l.contains(" 200 OK in "))
        .collect();
    assert_eq!(
        lines.len(),
        requests,
        "one line per request:\n{}",
        loud.stderr
    );
    let ds = format!("GET {uri}/apis/apps/v1/namespaces/logging/daemonsets/fluentd 200 OK in ");
    assert!(lines.iter().any(|l| l.contains(&ds)), "{}", loud.stderr);
    assert!(
        lines
            .iter()
            .all(|l| l.contains(" ms, ") && l.ends_with(" bytes")),
        "{}",
        loud.stderr
    );
    assert!(
        loud.stderr.contains("context \"test\""),
        "-v 4 and up say which context: {}",
        loud.stderr
    );
}

/// Which credentials and impersonation headers reached the server, per request.
async fn headers(server: &RecordedServer, name: &str) -> Vec<String> {
    server
        .server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| {
            r.headers
                .get(name)
                .map(|v| v.to_str().unwrap_or_default().to_string())
                .unwrap_or_default()
        })
        .collect()
}

#[tokio::test]
async fn token_and_impersonation_flags_reach_every_request() {
    let server = RecordedServer::start(Recorded::real_cluster()).await;
    let mut args = WHY_FLUENTD.to_vec();
    args.extend([
        "--kubeconfig",
        &server.kubeconfig,
        "--token",
        "from-flag",
        "--as",
        "jane",
        "--as-uid",
        "42",
        "--as-group",
        "ops",
    ]);
    assert_eq!(running(&run(&args).await), 3);
    for (header, want) in [
        ("authorization", "Bearer from-flag"),
        ("impersonate-user", "jane"),
        ("impersonate-uid", "42"),
        ("impersonate-group", "ops"),
    ] {
        let seen = headers(&server, header).await;
        assert!(
            !seen.is_empty() && seen.iter().all(|h| h == want),
            "{header}: {seen:?}"
        );
    }
}

#[tokio::test]
async fn as_uid_without_as_is_refused_like_kubectl() {
    let server = RecordedServer::start(Recorded::real_cluster()).await;
    let mut args = WHY_FLUENTD.to_vec();
    args.extend(["--kubeconfig", &server.kubeconfig, "--as-uid", "42"]);
    let out = run(&args).await;
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.starts_with("error: ") && out.stderr.contains("--as-uid need --as"),
        "{}",
        out.stderr
    );
    assert!(server.requests().await.is_empty(), "nothing may be sent");
}

/// A kubeconfig whose current context points at a dead server, with a second cluster and user.
fn two_cluster_kubeconfig(dir: &Path, good: &str) -> PathBuf {
    let text = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: dead\nclusters:\n\
         - name: dead-cluster\n  cluster:\n    server: http://127.0.0.1:9\n\
         - name: good-cluster\n  cluster:\n    server: {good}\n\
         users:\n- name: dead-user\n  user:\n    token: dead-token\n- name: good-user\n  user:\n    token: good-token\n\
         contexts:\n- name: dead\n  context:\n    cluster: dead-cluster\n    user: dead-user\n    namespace: logging\n"
    );
    let p = dir.join("two");
    std::fs::write(&p, text).unwrap();
    p
}

#[tokio::test]
async fn cluster_user_and_server_flags_pick_what_kubectl_picks() {
    let server = RecordedServer::start(Recorded::real_cluster()).await;
    let dir = tempfile::tempdir().unwrap();
    let kc = two_cluster_kubeconfig(dir.path(), &server.server.uri());
    let kc = kc.to_str().unwrap();

    let mut args = WHY_FLUENTD.to_vec();
    args.extend([
        "--kubeconfig",
        kc,
        "--cluster",
        "good-cluster",
        "--user",
        "good-user",
    ]);
    assert_eq!(
        running(&run(&args).await),
        3,
        "--cluster and --user replace the context's"
    );
    assert!(
        headers(&server, "authorization")
            .await
            .iter()
            .all(|h| h == "Bearer good-token")
    );

    let uri = server.server.uri();
    let mut args = WHY_FLUENTD.to_vec();
    args.extend(["--kubeconfig", kc, "-s", &uri]);
    assert_eq!(
        running(&run(&args).await),
        3,
        "--server replaces the cluster's URL"
    );

    // No kubeconfig at all: the flags are the whole configuration, as with kubectl.
    let mut args = WHY_FLUENTD.to_vec();
    args.extend(["--server", &uri, "--token", "t"]);
    assert_eq!(running(&run(&args).await), 3, "--server alone");

    for (flag, value, want) in [
        ("--cluster", "nope", "cluster \"nope\" not found"),
        ("--user", "nope", "user \"nope\" not found"),
    ] {
        let mut args = WHY_FLUENTD.to_vec();
        args.extend(["--kubeconfig", kc, flag, value]);
        let out = run(&args).await;
        assert_eq!(out.code, 1, "{flag}");
        assert!(
            out.stderr.contains(want) && out.stderr.contains("hint: "),
            "{flag}: {}",
            out.stderr
        );
    }
}

/// An HTTPS front for `upstream` on 127.0.0.1, with tests/fixtures/tls/server.crt (named only
/// `kubernetes.test`, signed by tests/fixtures/tls/ca.crt).
async fn tls_front(upstream: std::net::SocketAddr) -> String {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    use tokio_rustls::rustls;
    let tls = fixtures().join("tls");
    let certs = CertificateDer::pem_file_iter(tls.join("server.crt"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(tls.join("server.pk8.pem")).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut client) = acceptor.accept(client).await else {
                    return;
                };
                if let Ok(mut server) = tokio::net::TcpStream::connect(upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    });
    format!("https://{addr}")
}

#[tokio::test]
async fn tls_flags_decide_what_is_trusted() {
    let server = RecordedServer::start(Recorded::real_cluster()).await;
    let https = tls_front(*server.server.address()).await;
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = write_kubeconfig(dir.path(), "config", "test", &[("test", &https, None)]);
    let kc = kubeconfig.to_str().unwrap();
    let ca = fixtures().join("tls/ca.crt");
    let ca = ca.to_str().unwrap();
    let cases: [(&str, &[&str], Result<(), &str>); 5] = [
        ("an unknown CA is refused", &[], Err("")),
        (
            "the CA alone fails: the certificate does not name 127.0.0.1",
            &["--certificate-authority", ca],
            Err(""),
        ),
        (
            "the CA and the certificate's name connect",
            &[
                "--certificate-authority",
                ca,
                "--tls-server-name",
                "kubernetes.test",
            ],
            Ok(()),
        ),
        (
            "skipping verification connects",
            &["--insecure-skip-tls-verify"],
            Ok(()),
        ),
        (
            "CA and skipping together are contradictory",
            &["--certificate-authority", ca, "--insecure-skip-tls-verify"],
            Err("cannot be used together"),
        ),
    ];
    for (name, flags, want) in cases {
        let mut args = WHY_FLUENTD.to_vec();
        args.extend(["--kubeconfig", kc, "--request-timeout", "10s"]);
        args.extend(flags);
        let out = run(&args).await;
        match want {
            Ok(()) => assert_eq!(running(&out), 3, "{name}"),
            Err(text) => {
                assert_eq!(out.code, 1, "{name}: {}", out.stderr);
                assert!(
                    out.stderr.starts_with("error: ") && out.stderr.contains(text),
                    "{name}: {}",
                    out.stderr
                );
                assert!(!out.stderr.contains("panicked"), "{name}");
            }
        }
    }
}

/// Without -n, a dump is read in the kubeconfig context's namespace, as a live run would be.
#[tokio::test]
async fn dump_namespace_defaults_to_the_context_namespace() {
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = write_kubeconfig(
        dir.path(),
        "config",
        "test",
        &[("test", "http://127.0.0.1:9", Some("logging"))],
    );
    let cluster = real_cluster();
    let args = [
        "why",
        "fluentd",
        "-f",
        cluster.to_str().unwrap(),
        "-o",
        "json",
    ];
    let out = run_env(&args, &[("KUBECONFIG", kubeconfig.to_str().unwrap())]).await;
    assert_eq!(running(&out), 3);
    let out = run(&args).await;
    assert_eq!(
        out.code, 1,
        "no kubeconfig: the default namespace has no fluentd"
    );
    assert!(
        out.stderr.contains("not found in namespace \"default\""),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn request_timeout_takes_go_durations() {
    let cluster = real_cluster();
    let base = [
        "why",
        "fluentd",
        "-n",
        "logging",
        "-f",
        cluster.to_str().unwrap(),
        "-o",
        "json",
    ];
    let mut ok = base.to_vec();
    ok.extend(["--request-timeout", "1m30s"]);
    assert_eq!(running(&run(&ok).await), 3);
    let mut bad = base.to_vec();
    bad.extend(["--request-timeout", "1x"]);
    let out = run(&bad).await;
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .starts_with("error: invalid --request-timeout \"1x\""),
        "{}",
        out.stderr
    );
}
