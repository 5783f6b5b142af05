//! The binary against a local API server that misbehaves on purpose, table-driven: error statuses,
//! throttling, bodies that are not the API's, pagination that never ends, silence. Every case ends in
//! bounded time with one `error:` line (or, where the answer survives the fault, with the answer).

use std::time::{Duration, Instant};

use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockBuilder, ResponseTemplate};

use crate::api_server::{ApiServer, api_fixture, get, json, list, real_fixture, status};
use crate::battery::assert_clean_failure;
use crate::support::Run;

const DS_PATH: &str = "/apis/apps/v1/namespaces/monitoring/daemonsets/node-exporter";
const NODES: &str = "/api/v1/nodes";

/// The recorded monitoring/node-exporter world, answered as often as asked (faults take precedence).
async fn mount_world(api: &ApiServer) {
    let answers = [
        (
            DS_PATH,
            api_fixture("monitoring/daemonset-node-exporter.json"),
        ),
        (
            "/api/v1/namespaces/monitoring/pods",
            api_fixture("monitoring/pods-node-exporter.json"),
        ),
        (
            "/apis/apps/v1/namespaces/monitoring/controllerrevisions",
            api_fixture("monitoring/controllerrevisions-node-exporter.json"),
        ),
        (NODES, real_fixture("nodes.json")),
        (
            "/api/v1/namespaces/monitoring/events",
            r#"{"kind":"EventList","apiVersion":"v1","metadata":{},"items":[]}"#.into(),
        ),
        (
            "/apis/events.k8s.io/v1/namespaces/monitoring/events",
            r#"{"kind":"EventList","apiVersion":"events.k8s.io/v1","metadata":{},"items":[]}"#
                .into(),
        ),
    ];
    for (p, body) in answers {
        api.mount(get(p).respond_with(json(body)).with_priority(10))
            .await;
    }
}

async fn run(api: &ApiServer, args: &[&str]) -> Run {
    let mut all = vec![
        "why",
        "node-exporter",
        "--kubeconfig",
        api.kubeconfig.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    crate::support::kubectl_ds_async(&all).await
}

fn status_body(code: u16, reason: &str, message: &str) -> String {
    serde_json::json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": reason, "code": code})
    .to_string()
}

fn html(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code).set_body_raw(
        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
        "text/html",
    )
}

/// The first page of the nodes LIST, then what each case makes of its continuation.
fn nodes_page(token: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&real_fixture("nodes.json")).unwrap();
    v["metadata"]["continue"] = token.into();
    v.to_string()
}

fn on(p: &str) -> MockBuilder {
    Mock::given(method("GET")).and(path(p))
}

enum Expect {
    Error(&'static str),
    Answer,
}

struct Case {
    name: &'static str,
    faults: Vec<Mock>,
    args: &'static [&'static str],
    expect: Expect,
    /// Requests to the DaemonSet's path, when the count matters (retries).
    ds_requests: Option<usize>,
}

fn cases() -> Vec<Case> {
    use Expect::{Answer, Error};
    let ds = || on(DS_PATH);
    let truncated = api_fixture("monitoring/daemonset-node-exporter.json");
    let truncated = truncated[..truncated.len() / 2].to_string();
    vec![
        Case {
            name: "500 with a Status body",
            faults: vec![ds().respond_with(status(
                500,
                status_body(500, "InternalError", "etcdserver: request timed out"),
            ))],
            args: &[],
            expect: Error(
                "getting daemonset monitoring/node-exporter: the API server answered 500: etcdserver: request timed out",
            ),
            ds_requests: Some(1),
        },
        Case {
            name: "503 with a Status body and no Retry-After is not retried",
            faults: vec![ds().respond_with(status(
                503,
                status_body(
                    503,
                    "ServiceUnavailable",
                    "the server is currently unable to handle the request",
                ),
            ))],
            args: &[],
            expect: Error("answered 503: the server is currently unable to handle the request"),
            ds_requests: Some(1),
        },
        Case {
            name: "429 with Retry-After, for ever: bounded retries, then the error",
            faults: vec![
                ds().respond_with(
                    status(
                        429,
                        status_body(
                            429,
                            "TooManyRequests",
                            "too many requests, please try again later",
                        ),
                    )
                    .insert_header("Retry-After", "0"),
                ),
            ],
            args: &[],
            expect: Error("answered 429: too many requests, please try again later"),
            ds_requests: Some(6),
        },
        Case {
            name: "429 with Retry-After twice, then the answer",
            faults: vec![
                ds().respond_with(
                    status(429, status_body(429, "TooManyRequests", "slow down"))
                        .insert_header("Retry-After", "1"),
                )
                .up_to_n_times(2),
            ],
            args: &["-v", "6"],
            expect: Answer,
            ds_requests: Some(3),
        },
        Case {
            name: "503 with Retry-After once, then the answer",
            faults: vec![
                ds().respond_with(
                    status(503, status_body(503, "ServiceUnavailable", "starting"))
                        .insert_header("Retry-After", "0"),
                )
                .up_to_n_times(1),
            ],
            args: &[],
            expect: Answer,
            ds_requests: Some(2),
        },
        Case {
            name: "invalid JSON",
            faults: vec![ds().respond_with(json("this is not json".into()))],
            args: &[],
            expect: Error(
                "the API server answered 200: could not decode the response: expected ident at line 1 column 2",
            ),
            ds_requests: None,
        },
        Case {
            name: "truncated JSON",
            faults: vec![ds().respond_with(json(truncated))],
            args: &[],
            expect: Error("could not decode the response: EOF while parsing"),
            ds_requests: None,
        },
        Case {
            name: "an HTML error page from a proxy",
            faults: vec![ds().respond_with(html(502))],
            args: &[],
            expect: Error(
                "getting daemonset monitoring/node-exporter: the server answered 502 with an HTML page, not the Kubernetes API",
            ),
            ds_requests: None,
        },
        Case {
            name: "an HTML page answered 200 (a login portal)",
            faults: vec![ds().respond_with(html(200))],
            args: &[],
            expect: Error("answered 200 with an HTML page, not the Kubernetes API"),
            ds_requests: None,
        },
        Case {
            name: "a redirect loop",
            faults: vec![
                ds().respond_with(ResponseTemplate::new(302).insert_header("Location", DS_PATH)),
            ],
            args: &[],
            expect: Error(
                "the server answered 302 redirecting to /apis/apps/v1/namespaces/monitoring/daemonsets/node-exporter",
            ),
            ds_requests: Some(1),
        },
        Case {
            name: "a continue token that repeats",
            faults: vec![
                on(NODES)
                    .and(query_param("limit", "500"))
                    .respond_with(json(nodes_page("again")))
                    .with_priority(1),
            ],
            args: &[],
            expect: Error(
                "listing nodes: the API server answered 200: the server sent a continue token it had sent before: its pagination does not end",
            ),
            ds_requests: None,
        },
        Case {
            name: "410 Gone mid-pagination falls back to one full list",
            faults: vec![
                list(NODES)
                    .respond_with(json(nodes_page("t1")))
                    .with_priority(1),
                on(NODES)
                    .and(query_param("continue", "t1"))
                    .respond_with(status(
                        410,
                        status_body(410, "Expired", "The provided continue parameter is too old"),
                    ))
                    .with_priority(1),
            ],
            args: &[],
            expect: Answer,
            ds_requests: None,
        },
        Case {
            name: "a server that never answers, bounded by --request-timeout",
            faults: vec![ds().respond_with(json("{}".into()).set_delay(Duration::from_secs(3600)))],
            args: &["--request-timeout", "1s"],
            expect: Error("getting daemonset monitoring/node-exporter: the API server at"),
            ds_requests: None,
        },
        Case {
            name: "a server that never answers, bounded by --timeout when requests are not",
            faults: vec![ds().respond_with(json("{}".into()).set_delay(Duration::from_secs(3600)))],
            args: &["--request-timeout", "0", "--timeout", "2s"],
            expect: Error(
                "gave up after 2s (--timeout): still fetching daemonset monitoring/node-exporter",
            ),
            ds_requests: None,
        },
        Case {
            name: "a LIST that never answers, bounded by --timeout",
            faults: vec![
                on(NODES)
                    .respond_with(json("{}".into()).set_delay(Duration::from_secs(3600)))
                    .with_priority(1),
            ],
            args: &["--request-timeout=0", "--timeout=1500ms"],
            expect: Error(
                "gave up after 1.5s (--timeout): still fetching daemonset monitoring/node-exporter, nodes",
            ),
            ds_requests: None,
        },
        Case {
            name: "403 on events only: the answer, with a note",
            faults: vec![
                on("/api/v1/namespaces/monitoring/events")
                    .respond_with(status(
                        403,
                        status_body(
                            403,
                            "Forbidden",
                            "events is forbidden: User \"u\" cannot list resource \"events\"",
                        ),
                    ))
                    .with_priority(1),
                on("/apis/events.k8s.io/v1/namespaces/monitoring/events")
                    .respond_with(status(
                        403,
                        status_body(403, "Forbidden", "events.events.k8s.io is forbidden"),
                    ))
                    .with_priority(1),
            ],
            args: &["-o", "json"],
            expect: Answer,
            ds_requests: None,
        },
    ]
}

#[tokio::test]
async fn a_faulty_server_ends_every_run_cleanly() {
    // FAULT=<part of a case name> runs only the matching cases (while debugging one).
    let only = std::env::var("FAULT").unwrap_or_default();
    let cases: Vec<Case> = cases()
        .into_iter()
        .filter(|c| c.name.contains(&only))
        .collect();
    // Each case on its own server, all at once: the slow ones (timeouts, retries) overlap.
    let runs = cases.into_iter().map(|case| async move {
        let api = ApiServer::start().await;
        for fault in case.faults {
            api.mount(fault.with_priority(1)).await;
        }
        mount_world(&api).await;
        let started = Instant::now();
        let out = run(&api, case.args).await;
        let took = started.elapsed();
        let ds_requests = api.queries(DS_PATH).await.len();
        let requests = api.server.received_requests().await.unwrap_or_default();
        (
            case.name,
            case.expect,
            case.ds_requests,
            out,
            took,
            ds_requests,
            requests,
        )
    });
    for (name, expect, want_ds, out, took, ds_requests, requests) in
        futures::future::join_all(runs).await
    {
        match expect {
            Expect::Error(wanted) => assert_clean_failure(name, &out, 1, wanted),
            Expect::Answer => {
                assert_eq!(out.code, 0, "{name}: {}", out.stderr);
                assert!(
                    out.stdout.contains("node-exporter") || out.stdout.contains("NODE"),
                    "{name}: {}",
                    out.stdout
                );
            }
        }
        // A hang guard, not a speed target: the slowest case waits 2 s of Retry-After or 2 s of --timeout.
        assert!(took < Duration::from_secs(30), "{name}: took {took:?}");
        if let Some(want) = want_ds {
            assert_eq!(ds_requests, want, "{name}: requests to the DaemonSet");
        }
        assert!(
            requests.iter().all(|r| r.method.as_str() == "GET"),
            "{name}: only GETs"
        );
        if name.starts_with("429 with Retry-After twice") {
            assert!(
                out.stderr
                    .contains("429 Too Many Requests, Retry-After 1s: retry 1 of 5"),
                "{name}: {}",
                out.stderr
            );
            assert!(
                out.stderr.contains("retry 2 of 5"),
                "{name}: {}",
                out.stderr
            );
        }
        if name.starts_with("403 on events only") {
            let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
            assert!(
                v["eventsUnavailable"]
                    .as_str()
                    .is_some_and(|s| s.contains("forbidden")),
                "{name}: {v}"
            );
        }
    }
}

/// One answer larger than any page: cut off at the cap the message names, in bounded memory.
#[tokio::test]
async fn an_oversized_answer_is_cut_off() {
    let api = ApiServer::start().await;
    let huge = format!("{}{{}}", " ".repeat((256 << 20) + 1));
    api.mount(list(NODES).respond_with(json(huge)).with_priority(1))
        .await;
    mount_world(&api).await;
    let started = Instant::now();
    let out = run(&api, &[]).await;
    assert_clean_failure(
        "a 256 MiB body",
        &out,
        1,
        "listing nodes: the API server answered 200: the answer ran past 256 MiB, the most read in one",
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}
