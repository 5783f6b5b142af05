//! The live source against a stand-in API server serving the real cluster's recorded responses: what it
//! asks for (GET only, paths, selectors, pagination), what it keeps, and how each failure is reported.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use kubectl_ds::snapshot::NodePodsCoverage;
use kubectl_ds::source::live::{KubeconfigEnv, Live, LiveError, LiveOptions};
use serde_json::json;
use wiremock::matchers::{header, method, query_param, query_param_is_missing};
use wiremock::{Mock, ResponseTemplate};

use crate::api_server::*;

fn names<T: kube::Resource>(items: &[T]) -> Vec<String> {
    items
        .iter()
        .map(|i| i.meta().name.clone().unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn fetch_daemonset_reads_the_recorded_node_exporter() {
    let api = ApiServer::start().await;
    mount_node_exporter(&api).await;
    mount_nodes(&api).await;

    let snap = api
        .live()
        .await
        .fetch_daemonset(DS_NS, DS_NAME)
        .await
        .expect("fetch");

    assert_eq!(names(&snap.daemonsets), vec![DS_NAME]);
    assert_eq!(snap.daemonsets[0].metadata.uid.as_deref(), Some(DS_UID));
    assert_eq!(snap.nodes.len(), 10, "all recorded nodes");
    assert_eq!(
        names(&snap.pods),
        vec![
            "node-exporter-7x2qr",
            "node-exporter-c9hcn",
            "node-exporter-frgzc",
            "node-exporter-h2mjx",
            "node-exporter-mvr8q",
            "node-exporter-x89hv"
        ]
    );
    assert_eq!(names(&snap.revisions), vec!["node-exporter-856d586b7c"]);
    assert!(snap.events.is_empty() && snap.events_unavailable.is_none());
    assert_eq!(
        snap.node_pods,
        NodePodsCoverage::Nodes(BTreeSet::new()),
        "a live fetch never claims to hold every pod"
    );
    api.assert_only_gets().await;
}

#[tokio::test]
async fn pods_controlled_elsewhere_are_dropped_and_orphans_kept_for_adoption() {
    let api = ApiServer::start().await;
    mount_nodes(&api).await;
    api.mount(
        get("/apis/apps/v1/namespaces/monitoring/daemonsets/node-exporter")
            .respond_with(json(api_fixture("monitoring/daemonset-node-exporter.json"))),
    )
    .await;
    // Same labels, but: an orphan, a pod controlled by an earlier DaemonSet of the same name, and a pod
    // merely owned (controller unset) by this one. The controller adopts the first and the last (no
    // controller reference) and never claims the second.
    let pods = edit_items(
        &api_fixture("monitoring/pods-node-exporter.json"),
        |items| {
            let mut extra = |name: &str, owners: serde_json::Value| {
                let mut p = items[0].clone();
                p["metadata"]["name"] = json!(name);
                p["metadata"]["uid"] = json!(format!("uid-{name}"));
                p["metadata"]["ownerReferences"] = owners;
                items.push(p);
            };
            extra("orphan", json!(null));
            extra(
                "old-incarnation",
                json!([{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": DS_NAME, "uid": "old", "controller": true}]),
            );
            extra(
                "not-controller",
                json!([{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": DS_NAME, "uid": DS_UID}]),
            );
        },
    );
    api.mount(
        list("/api/v1/namespaces/monitoring/pods")
            .and(query_param("labelSelector", DS_SELECTOR))
            .respond_with(json(pods)),
    )
    .await;
    let revisions = edit_items(
        &api_fixture("monitoring/controllerrevisions-node-exporter.json"),
        |items| {
            let mut r = items[0].clone();
            r["metadata"]["name"] = json!("node-exporter-old");
            r["metadata"]["ownerReferences"][0]["uid"] = json!("old");
            items.push(r);
        },
    );
    api.mount(
        list("/apis/apps/v1/namespaces/monitoring/controllerrevisions")
            .and(query_param("labelSelector", DS_SELECTOR))
            .respond_with(json(revisions)),
    )
    .await;

    let snap = api
        .live()
        .await
        .fetch_daemonset(DS_NS, DS_NAME)
        .await
        .expect("fetch");

    let pods = names(&snap.pods);
    assert_eq!(
        pods.len(),
        8,
        "six controlled pods and two orphans: {pods:?}"
    );
    for kept in ["orphan", "not-controller"] {
        assert!(pods.contains(&kept.to_string()), "{kept} is adopted");
    }
    assert!(!pods.contains(&"old-incarnation".to_string()));
    assert_eq!(names(&snap.revisions), vec!["node-exporter-856d586b7c"]);
}

#[tokio::test]
async fn node_list_is_paginated_with_the_continue_token() {
    let api = ApiServer::start().await;
    mount_node_exporter(&api).await;
    api.mount(
        list("/api/v1/nodes")
            .respond_with(json(api_fixture("nodes-page-1.json")))
            .expect(1),
    )
    .await;
    api.mount(
        get("/api/v1/nodes")
            .and(query_param("limit", "500"))
            .and(query_param(
                "continue",
                "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTIxOSwic3RhcnQiOiJub3RyZWFkeS0xXHUwMDAwIn0",
            ))
            .respond_with(json(api_fixture("nodes-page-2.json")))
            .expect(1),
    )
    .await;

    let snap = api
        .live()
        .await
        .fetch_daemonset(DS_NS, DS_NAME)
        .await
        .expect("fetch");

    assert_eq!(
        names(&snap.nodes),
        vec![
            "cordoned-1",
            "cp-1",
            "gpu-1",
            "notready-1",
            "small-1",
            "w-1",
            "w-2",
            "w-3",
            "w-4",
            "win-1"
        ],
        "both pages, in order"
    );
    assert_eq!(api.queries("/api/v1/nodes").await.len(), 2);
}

#[tokio::test]
async fn expired_continue_token_falls_back_to_one_full_list() {
    let api = ApiServer::start().await;
    mount_node_exporter(&api).await;
    api.mount(list("/api/v1/nodes").respond_with(json(api_fixture("nodes-page-1.json"))))
        .await;
    let expired = json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Expired", "code": 410,
        "message": "The provided continue parameter is too old to display a consistent list result."});
    api.mount(
        get("/api/v1/nodes")
            .and(query_param("limit", "500"))
            .and(wiremock::matchers::query_param_contains("continue", "eyJ"))
            .respond_with(status(410, expired.to_string()))
            .expect(1),
    )
    .await;
    api.mount(
        get("/api/v1/nodes")
            .and(query_param_is_missing("limit"))
            .and(query_param_is_missing("continue"))
            .respond_with(json(real_fixture("nodes.json")))
            .expect(1),
    )
    .await;

    let snap = api
        .live()
        .await
        .fetch_daemonset(DS_NS, DS_NAME)
        .await
        .expect("fetch");

    assert_eq!(
        snap.nodes.len(),
        10,
        "the full list replaces the partial pages, without duplicates"
    );
}

#[tokio::test]
async fn missing_daemonset_is_not_found_with_a_hint() {
    let api = ApiServer::start().await;
    mount_nodes(&api).await;
    api.mount(
        get("/apis/apps/v1/namespaces/default/daemonsets/does-not-exist")
            .respond_with(status(404, api_fixture("status/notfound-ds.json")))
            .expect(1),
    )
    .await;
    let live = api.live().await;

    let err = live
        .fetch_daemonset("default", "does-not-exist")
        .await
        .expect_err("404");

    match &err {
        LiveError::NotFound {
            kind,
            namespace,
            name,
            ..
        } => assert_eq!(
            (kind.as_str(), namespace.as_str(), name.as_str()),
            ("DaemonSet", "default", "does-not-exist")
        ),
        other => panic!("want NotFound, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        r#"DaemonSet "does-not-exist" not found in namespace "default""#
    );
    assert_eq!(
        err.hint().as_deref(),
        Some(format!(
            "list the DaemonSets that exist: kubectl --kubeconfig {} --context test get daemonsets -A",
            api.kubeconfig.display()
        ))
        .as_deref()
    );
    api.assert_only_gets().await;
}

#[tokio::test]
async fn invalid_daemonset_name_is_not_found_without_a_request() {
    let api = ApiServer::start().await;
    let live = api.live().await;
    for name in ["a/../../nodes", "UPPER", "x?watch=true"] {
        let err = live
            .fetch_daemonset("monitoring", name)
            .await
            .expect_err(name);
        assert!(matches!(err, LiveError::NotFound { .. }), "{name}: {err:?}");
    }
    assert!(
        api.server
            .received_requests()
            .await
            .unwrap_or_default()
            .is_empty()
    );
}

#[tokio::test]
async fn forbidden_node_list_names_list_nodes() {
    let api = ApiServer::start().await;
    mount_node_exporter(&api).await;
    api.mount(
        list("/api/v1/nodes").respond_with(status(403, api_fixture("status/forbidden-nodes.json"))),
    )
    .await;

    let err = api
        .live()
        .await
        .fetch_daemonset(DS_NS, DS_NAME)
        .await
        .expect_err("403");

    match &err {
        LiveError::Forbidden {
            verb,
            resource,
            namespace,
            ..
        } => assert_eq!(
            (verb.as_str(), resource.as_str(), namespace),
            ("list", "nodes", &None)
        ),
        other => panic!("want Forbidden, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        r#"listing nodes: forbidden: User "viewer" cannot list resource "nodes" in API group "" at the cluster scope"#
    );
    assert!(
        err.hint()
            .unwrap_or_default()
            .ends_with("--context test auth can-i list nodes"),
        "{:?}",
        err.hint()
    );
}

#[tokio::test]
async fn forbidden_pod_list_names_the_namespace() {
    let api = ApiServer::start().await;
    mount_nodes(&api).await;
    api.mount(
        get("/apis/apps/v1/namespaces/monitoring/daemonsets/node-exporter")
            .respond_with(json(api_fixture("monitoring/daemonset-node-exporter.json"))),
    )
    .await;
    api.mount(
        list("/api/v1/namespaces/monitoring/pods")
            .respond_with(status(403, api_fixture("status/forbidden-pods-ns.json"))),
    )
    .await;
    api.mount(
        list("/apis/apps/v1/namespaces/monitoring/controllerrevisions").respond_with(json(
            api_fixture("monitoring/controllerrevisions-node-exporter.json"),
        )),
    )
    .await;

    let err = api
        .live()
        .await
        .fetch_daemonset(DS_NS, DS_NAME)
        .await
        .expect_err("403");

    assert_eq!(
        err.to_string(),
        r#"listing pods in namespace monitoring: forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "monitoring""#
    );
    assert!(
        err.hint()
            .unwrap_or_default()
            .ends_with("auth can-i list pods -n monitoring"),
        "{:?}",
        err.hint()
    );
}

#[tokio::test]
async fn rejected_credentials_are_unauthorized() {
    let api = ApiServer::start().await;
    api.mount(
        Mock::given(method("GET"))
            .respond_with(status(401, api_fixture("status/unauthorized-nodes.json"))),
    )
    .await;

    let err = api
        .live()
        .await
        .fetch_daemonset(DS_NS, DS_NAME)
        .await
        .expect_err("401");

    match &err {
        LiveError::Unauthorized {
            server, message, ..
        } => {
            assert_eq!(server, &api.server.uri());
            assert_eq!(message, "Unauthorized");
        }
        other => panic!("want Unauthorized, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!(
            "getting daemonset monitoring/node-exporter: unauthorized: the API server at {} rejected the credentials (Unauthorized)",
            api.server.uri()
        )
    );
    assert!(err.hint().unwrap_or_default().contains("auth whoami"));
}

#[tokio::test]
async fn events_are_read_for_the_given_objects_and_filtered_by_uid() {
    let api = ApiServer::start().await;
    mount_node_exporter(&api).await;
    mount_nodes(&api).await;
    let ds_events = edit_items(
        &api_fixture("monitoring/events-daemonset-node-exporter.json"),
        |items| {
            // An event about an earlier DaemonSet of the same name must not be quoted.
            let mut e = items[0].clone();
            e["metadata"]["uid"] = json!("stale-event");
            e["involvedObject"]["uid"] = json!("old-ds-uid");
            e["reason"] = json!("FailedCreate");
            items.push(e);
        },
    );
    api.mount(
        list("/api/v1/namespaces/monitoring/events")
            .and(query_param(
                "fieldSelector",
                "involvedObject.kind=DaemonSet,involvedObject.name=node-exporter",
            ))
            .respond_with(json(ds_events))
            .expect(1),
    )
    .await;
    api.mount(
        list("/api/v1/namespaces/monitoring/events")
            .and(query_param("fieldSelector", "involvedObject.kind=Pod"))
            .respond_with(json(api_fixture("monitoring/events-pods.json")))
            .expect(1),
    )
    .await;
    let live = api.live().await;
    let mut snap = live.fetch_daemonset(DS_NS, DS_NAME).await.expect("fetch");
    // Ask for one pod only: events about the others must be left out.
    let pods = [(DS_NS.to_string(), "node-exporter-7x2qr".to_string())];

    live.fetch_events(&mut snap, &[(DS_NS.into(), DS_NAME.into())], &pods)
        .await
        .expect("events");

    let ds_events: Vec<_> = snap
        .events
        .iter()
        .filter(|e| e.object_kind == "DaemonSet")
        .collect();
    assert_eq!(
        ds_events.len(),
        6,
        "six SuccessfulCreate, the stale FailedCreate dropped"
    );
    assert!(ds_events.iter().all(|e| e.reason == "SuccessfulCreate"));
    let pod_events: Vec<_> = snap
        .events
        .iter()
        .filter(|e| e.object_kind == "Pod")
        .collect();
    assert_eq!(
        pod_events.len(),
        6,
        "Scheduled, Pulling, 3x Failed, BackOff of node-exporter-7x2qr"
    );
    assert!(
        pod_events
            .iter()
            .all(|e| e.object_name == "node-exporter-7x2qr")
    );
    assert!(snap.events_unavailable.is_none());
    api.assert_only_gets().await;
}

#[tokio::test]
async fn forbidden_events_leave_the_snapshot_usable() {
    let api = ApiServer::start().await;
    mount_node_exporter(&api).await;
    mount_nodes(&api).await;
    api.mount(
        list("/api/v1/namespaces/monitoring/events")
            .respond_with(status(403, api_fixture("status/forbidden-events-ns.json"))),
    )
    .await;
    let live = api.live().await;
    let mut snap = live.fetch_daemonset(DS_NS, DS_NAME).await.expect("fetch");

    live.fetch_events(
        &mut snap,
        &[(DS_NS.into(), DS_NAME.into())],
        &[(DS_NS.into(), "node-exporter-7x2qr".into())],
    )
    .await
    .expect("a 403 on events is not a failure");

    assert_eq!(
        snap.events_unavailable.as_deref(),
        Some(
            r#"listing events in namespace monitoring: forbidden: User "viewer" cannot list resource "events" in API group "" in the namespace "monitoring""#
        )
    );
    assert!(snap.events.is_empty());
    assert_eq!(snap.pods.len(), 6, "the rest of the snapshot is untouched");
}

#[tokio::test]
async fn node_pods_are_listed_per_node_and_merged_without_duplicates() {
    let api = ApiServer::start().await;
    mount_node_exporter(&api).await;
    mount_nodes(&api).await;
    api.mount(
        list("/api/v1/pods")
            .and(query_param(
                "fieldSelector",
                "spec.nodeName=w-1,status.phase!=Failed,status.phase!=Succeeded",
            ))
            .respond_with(json(api_fixture("pods-on-w-1.json")))
            .expect(1),
    )
    .await;
    let live = api.live().await;
    let mut snap = live.fetch_daemonset(DS_NS, DS_NAME).await.expect("fetch");

    let nodes: BTreeSet<String> = ["w-1".to_string()].into_iter().collect();
    live.fetch_node_pods(&mut snap, &nodes)
        .await
        .expect("node pods");

    // 6 node-exporter pods + 12 on w-1, of which node-exporter-c9hcn was already there.
    assert_eq!(snap.pods.len(), 17);
    let mut keys: Vec<_> = snap
        .pods
        .iter()
        .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 17, "no pod twice");
    assert_eq!(snap.node_pods, NodePodsCoverage::Nodes(nodes.clone()));
    assert!(snap.node_pods.covers("w-1") && !snap.node_pods.covers("w-2"));
    api.assert_only_gets().await;
}

#[tokio::test]
async fn coverage_in_one_namespace_with_a_label_selector() {
    let api = ApiServer::start().await;
    mount_nodes(&api).await;
    let only_logging = |body: String| {
        edit_items(&body, |items| {
            items.retain(|i| i["metadata"]["namespace"] == "logging");
        })
    };
    api.mount(
        list("/apis/apps/v1/namespaces/logging/daemonsets")
            .and(query_param("labelSelector", "app=fluentd"))
            .respond_with(json(only_logging(real_fixture("daemonsets.json"))))
            .expect(1),
    )
    .await;
    api.mount(
        list("/api/v1/namespaces/logging/pods")
            .and(query_param("labelSelector", "app=fluentd"))
            .respond_with(json(only_logging(real_fixture("pods.json"))))
            .expect(1),
    )
    .await;
    api.mount(
        list("/apis/apps/v1/namespaces/logging/controllerrevisions")
            .respond_with(json(only_logging(real_fixture("controllerrevisions.json"))))
            .expect(1),
    )
    .await;

    let snap = api
        .live()
        .await
        .fetch_daemonsets(Some("logging"), Some("app=fluentd"))
        .await
        .expect("coverage");

    assert_eq!(names(&snap.daemonsets), vec!["fluentd"]);
    assert!(!snap.pods.is_empty());
    assert!(
        snap.pods
            .iter()
            .all(|p| p.metadata.namespace.as_deref() == Some("logging"))
    );
    assert_eq!(snap.revisions.len(), 1);
}

#[tokio::test]
async fn coverage_with_no_daemonsets_lists_no_pods() {
    let api = ApiServer::start().await;
    mount_nodes(&api).await;
    let empty = json!({"kind": "DaemonSetList", "apiVersion": "apps/v1", "metadata": {"resourceVersion": "1"}, "items": []});
    api.mount(list("/apis/apps/v1/daemonsets").respond_with(json(empty.to_string())))
        .await;
    api.mount(
        get("/api/v1/pods")
            .respond_with(json("{}".into()))
            .expect(0),
    )
    .await;

    let snap = api
        .live()
        .await
        .fetch_daemonsets(None, Some("app=nothing"))
        .await
        .expect("coverage");

    assert!(snap.daemonsets.is_empty() && snap.pods.is_empty());
}

#[tokio::test]
async fn daemonset_names_are_best_effort() {
    let api = ApiServer::start().await;
    let meta_list = |ns: Option<&str>| {
        let body = real_fixture("daemonsets.json");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
        let items: Vec<_> = v["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|i| ns.is_none_or(|ns| i["metadata"]["namespace"] == ns))
            .map(|i| json!({"metadata": {"name": i["metadata"]["name"], "namespace": i["metadata"]["namespace"]}}))
            .collect();
        json!({"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1", "metadata": {}, "items": items})
            .to_string()
    };
    api.mount(
        list("/apis/apps/v1/namespaces/rollout/daemonsets")
            .and(header(
                "accept",
                "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1",
            ))
            .respond_with(json(meta_list(Some("rollout")))),
    )
    .await;
    api.mount(
        list("/apis/apps/v1/daemonsets")
            .respond_with(status(403, real_fixture("forbidden-daemonsets.json"))),
    )
    .await;
    let live = api.live().await;

    let got = live.daemonset_names("rollout").await;

    assert_eq!(
        got,
        vec![
            ("rollout".to_string(), "legacy-agent".to_string()),
            ("rollout".to_string(), "surge-agent".to_string()),
            ("rollout".to_string(), "web-agent".to_string()),
        ],
        "cluster-wide 403 leaves the namespace's names"
    );
    api.assert_only_gets().await;
}

#[tokio::test]
async fn connection_refused_is_unreachable() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let server = format!("http://127.0.0.1:{port}");
    let kc = write_kubeconfig(dir.path(), "config", "dead", &[("dead", &server, None)]);
    let live = live_with(&LiveOptions {
        kubeconfig: Some(kc),
        ..Default::default()
    })
    .await;

    let err = live
        .fetch_daemonset(DS_NS, DS_NAME)
        .await
        .expect_err("refused");

    match &err {
        LiveError::Unreachable {
            server: s, message, ..
        } => {
            assert_eq!(s, &server);
            assert!(message.to_lowercase().contains("refused"), "{message}");
        }
        other => panic!("want Unreachable, got {other:?}"),
    }
    assert!(err.to_string().starts_with("getting daemonset monitoring/node-exporter: cannot reach the API server at http://127.0.0.1:"));
    assert!(
        err.hint()
            .unwrap_or_default()
            .ends_with("--context dead cluster-info"),
        "{:?}",
        err.hint()
    );
}

#[tokio::test]
async fn slow_server_times_out_after_the_request_timeout() {
    let api = ApiServer::start().await;
    mount_node_exporter(&api).await;
    api.mount(
        list("/api/v1/nodes")
            .respond_with(json(real_fixture("nodes.json")).set_delay(Duration::from_secs(5))),
    )
    .await;
    let live = live_with(&LiveOptions {
        request_timeout: Some(Duration::from_millis(300)),
        ..api.options()
    })
    .await;

    let started = Instant::now();
    let err = live
        .fetch_daemonset(DS_NS, DS_NAME)
        .await
        .expect_err("timeout");

    assert!(
        started.elapsed() < Duration::from_secs(3),
        "gave up late: {:?}",
        started.elapsed()
    );
    match &err {
        LiveError::Timeout { what, server, .. } => {
            assert_eq!(what, "listing nodes");
            assert_eq!(server, &api.server.uri());
        }
        other => panic!("want Timeout, got {other:?}"),
    }
    assert!(err.hint().unwrap_or_default().contains("--request-timeout"));
}

#[tokio::test]
async fn context_flag_selects_cluster_and_default_namespace() {
    let api = ApiServer::start().await;
    mount_node_exporter(&api).await;
    mount_nodes(&api).await;
    let kc = write_kubeconfig(
        api.dir.path(),
        "two-contexts",
        "dead",
        &[
            ("dead", "http://127.0.0.1:1", None),
            ("test", &api.server.uri(), Some("monitoring")),
        ],
    );

    let current = live_with(&LiveOptions {
        kubeconfig: Some(kc.clone()),
        ..Default::default()
    })
    .await;
    assert_eq!(
        (
            current.context_name.as_str(),
            current.server.as_str(),
            current.default_namespace.as_str()
        ),
        ("dead", "http://127.0.0.1:1", "default"),
        "current-context, with no namespace, is used by default"
    );

    let chosen = live_with(&LiveOptions {
        kubeconfig: Some(kc),
        context: Some("test".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(
        (
            chosen.context_name.as_str(),
            chosen.server.as_str(),
            chosen.default_namespace.as_str()
        ),
        ("test", api.server.uri().as_str(), "monitoring")
    );
    let snap = chosen
        .fetch_daemonset(&chosen.default_namespace, DS_NAME)
        .await
        .expect("fetch via chosen context");
    assert_eq!(snap.pods.len(), 6);
}

#[tokio::test]
async fn kubeconfig_env_with_two_files_is_merged() {
    let api = ApiServer::start().await;
    mount_node_exporter(&api).await;
    mount_nodes(&api).await;
    let first = write_kubeconfig(
        api.dir.path(),
        "first",
        "dead",
        &[("dead", "http://127.0.0.1:1", None)],
    );
    let second = write_kubeconfig(
        api.dir.path(),
        "second",
        "test",
        &[("test", &api.server.uri(), Some("monitoring"))],
    );
    let env = KubeconfigEnv {
        kubeconfig: Some(std::env::join_paths([&first, &second]).expect("join")),
        home: None,
        in_cluster: false,
        proxy: Default::default(),
    };

    let by_default = Live::connect_with_env(&LiveOptions::default(), &env)
        .await
        .expect("connect");
    assert_eq!(
        by_default.context_name, "dead",
        "the first file's current-context wins"
    );

    let from_second = Live::connect_with_env(
        &LiveOptions {
            context: Some("test".into()),
            ..Default::default()
        },
        &env,
    )
    .await
    .expect("connect");
    assert_eq!(from_second.server, api.server.uri());
    assert_eq!(from_second.default_namespace, "monitoring");
    from_second
        .fetch_daemonset(DS_NS, DS_NAME)
        .await
        .expect("fetch via context from the second file");
}

#[tokio::test]
async fn unknown_context_is_a_kubeconfig_error() {
    let api = ApiServer::start().await;
    let err = Live::connect_with_env(
        &LiveOptions {
            context: Some("prod".into()),
            ..api.options()
        },
        &KubeconfigEnv::default(),
    )
    .await
    .err()
    .expect("unknown context");
    assert!(matches!(err, LiveError::Kubeconfig { .. }), "{err:?}");
    assert!(
        err.to_string().contains(r#"context "prod" not found"#),
        "{err}"
    );
    assert_eq!(
        err.hint().as_deref(),
        Some("list the contexts with: kubectl config get-contexts")
    );
}

#[tokio::test]
async fn impersonation_headers_are_sent() {
    let api = ApiServer::start().await;
    mount_node_exporter(&api).await;
    mount_nodes(&api).await;
    let live = live_with(&LiveOptions {
        impersonate_user: Some("viewer".into()),
        impersonate_groups: vec!["devs".into(), "ops".into()],
        ..api.options()
    })
    .await;

    live.fetch_daemonset(DS_NS, DS_NAME).await.expect("fetch");

    for r in api.server.received_requests().await.unwrap_or_default() {
        let user: Vec<_> = r.headers.get_all("impersonate-user").iter().collect();
        let groups: Vec<_> = r.headers.get_all("impersonate-group").iter().collect();
        assert_eq!(user, vec!["viewer"], "{}", r.url);
        assert_eq!(groups, vec!["devs", "ops"], "{}", r.url);
    }
}

#[tokio::test]
async fn every_list_is_paginated() {
    let api = ApiServer::start().await;
    // Answer anything; only the query strings are checked.
    api.mount(
        Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"kind":"List","apiVersion":"v1","metadata":{},"items":[]}"#,
            "application/json",
        )),
    )
    .await;
    let live = api.live().await;
    let _ = live.fetch_daemonsets(None, None).await.expect("coverage");
    // Two of five nodes: one LIST per node.
    let mut snap = kubectl_ds::snapshot::Snapshot {
        nodes: serde_json::from_value(json!(
            ["a", "b", "c", "d", "e"].map(|n| json!({"metadata": {"name": n}}))
        ))
        .unwrap(),
        ..Default::default()
    };
    let nodes: BTreeSet<String> = ["a".into(), "b".into()].into_iter().collect();
    live.fetch_node_pods(&mut snap, &nodes)
        .await
        .expect("node pods");

    let requests = api.server.received_requests().await.unwrap_or_default();
    assert!(requests.len() >= 4, "{requests:?}");
    for r in requests {
        assert!(
            r.url.query_pairs().any(|(k, v)| k == "limit" && v == "500"),
            "{} lacks limit=500",
            r.url
        );
    }
}
