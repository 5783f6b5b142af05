//! The live source's request pattern on the recorded real cluster: each DaemonSet's pods by its own
//! selector (one wide LIST only past the threshold), Pending nodes' pods per node or in one LIST, and
//! gzip-encoded answers. What is asked, not how fast: speed is measured in bench/, never here.

use std::collections::BTreeSet;
use std::io::Write;

use kubectl_ds::snapshot::NodePodsCoverage;
use kubectl_ds::source::live::{Live, LiveOptions};
use serde_json::{Value, json};
use wiremock::ResponseTemplate;
use wiremock::matchers::header;

use crate::api_server::*;
use crate::recorded_api::{Recorded, RecordedServer};

async fn live(server: &RecordedServer) -> Live {
    live_with(&LiveOptions {
        kubeconfig: Some(server.kubeconfig.clone().into()),
        context: Some("test".into()),
        ..Default::default()
    })
    .await
}

/// (path, query) of every pod LIST the server saw.
async fn pod_lists(server: &RecordedServer) -> Vec<(String, String)> {
    server
        .requests()
        .await
        .into_iter()
        .filter(|(_, p, _)| p.ends_with("/pods"))
        .map(|(_, p, q)| (p, q.trim_start_matches('&').to_string()))
        .collect()
}

fn names(pods: &[kubectl_ds::snapshot::Pod]) -> BTreeSet<String> {
    pods.iter()
        .filter_map(|p| p.metadata.name.clone())
        .collect()
}

#[tokio::test]
async fn coverage_lists_each_daemonsets_pods_by_its_own_selector() {
    let server = RecordedServer::start(Recorded::real_cluster()).await;

    let snap = live(&server)
        .await
        .fetch_daemonsets(None, None)
        .await
        .expect("coverage");

    assert_eq!(snap.daemonsets.len(), 16);
    assert_eq!(snap.pods.len(), 60, "every recorded pod is a DaemonSet pod");
    let lists = pod_lists(&server).await;
    assert!(
        lists.iter().all(|(p, _)| p != "/api/v1/pods"),
        "no LIST of every pod below the threshold: {lists:?}"
    );
    assert_eq!(lists.len(), 16, "one LIST per DaemonSet: {lists:?}");
    assert!(
        lists.iter().all(|(_, q)| q.contains("labelSelector=")),
        "{lists:?}"
    );
    assert!(
        lists.contains(&(
            "/api/v1/namespaces/monitoring/pods".into(),
            "labelSelector=app.kubernetes.io%2Fname%3Dnode-exporter&limit=500".into()
        )),
        "the selector is sent URL-encoded: {lists:?}"
    );
}

/// `extra` synthetic DaemonSets in their own namespace, each with its own selector and no pods.
fn with_daemonsets(recorded: Recorded, extra: usize) -> Recorded {
    recorded.editing("daemonsets", |items| {
        let template = items[0].clone();
        for i in 0..extra {
            let mut d = template.clone();
            d["metadata"]["namespace"] = json!("synthetic");
            d["metadata"]["name"] = json!(format!("agent-{i}"));
            d["metadata"]["uid"] = json!(format!("synthetic-uid-{i}"));
            d["spec"]["selector"] = json!({"matchLabels": {"app": format!("agent-{i}")}});
            items.push(d);
        }
    })
}

/// A copy of the first recorded node-exporter pod under another name, labels and owners.
fn pod_like_node_exporter(items: &[Value], name: &str, labels: Value, owners: Value) -> Value {
    let mut p = items
        .iter()
        .find(|p| p["metadata"]["namespace"] == DS_NS)
        .expect("a node-exporter pod")
        .clone();
    p["metadata"]["name"] = json!(name);
    p["metadata"]["uid"] = json!(format!("uid-{name}"));
    p["metadata"]["labels"] = labels;
    p["metadata"]["ownerReferences"] = owners;
    p
}

#[tokio::test]
async fn orphans_a_selector_matches_are_adopted_with_either_request_pattern() {
    // 0 extra DaemonSets: selector LISTs; 51 more (67 selectors): one wide LIST.
    for (extra, wide) in [(0, false), (51, true)] {
        let recorded = with_daemonsets(Recorded::real_cluster(), extra).editing("pods", |items| {
            let mine = json!({"app.kubernetes.io/name": "node-exporter"});
            let replicaset = json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "rs-uid", "controller": true}]);
            let extra = [
                pod_like_node_exporter(items, "adoptable", mine.clone(), Value::Null),
                pod_like_node_exporter(items, "stray", json!({"app": "nobody"}), Value::Null),
                pod_like_node_exporter(items, "replica", mine, replicaset),
            ];
            items.extend(extra);
        });
        let server = RecordedServer::start(recorded).await;

        let snap = live(&server)
            .await
            .fetch_daemonsets(None, None)
            .await
            .expect("coverage");

        let kept = names(&snap.pods);
        assert!(
            kept.contains("adoptable"),
            "wide={wide}: the controller adopts it"
        );
        assert!(
            !kept.contains("stray") && !kept.contains("replica"),
            "wide={wide}: {kept:?}"
        );
        assert_eq!(snap.pods.len(), 61, "wide={wide}");
        let lists = pod_lists(&server).await;
        if wide {
            assert_eq!(
                lists,
                vec![("/api/v1/pods".to_string(), "limit=500".to_string())],
                "past the threshold, one LIST of every pod"
            );
        } else {
            assert!(lists.iter().all(|(p, _)| p != "/api/v1/pods"), "{lists:?}");
        }
    }
}

#[tokio::test]
async fn pending_nodes_pods_are_read_per_node_or_in_one_list() {
    // 2 of 10 nodes: one field-selected LIST each; 6 of 10: one LIST of every non-terminated pod.
    for (wanted, wide) in [(2, false), (6, true)] {
        let server = RecordedServer::start(Recorded::real_cluster()).await;
        let live = live(&server).await;
        let mut snap = live.fetch_daemonsets(None, None).await.expect("coverage");
        assert_eq!(snap.nodes.len(), 10);
        let before = pod_lists(&server).await.len();
        let nodes: BTreeSet<String> = snap
            .nodes
            .iter()
            .filter_map(|n| n.metadata.name.clone())
            .take(wanted)
            .collect();

        live.fetch_node_pods(&mut snap, &nodes)
            .await
            .expect("node pods");

        let lists = pod_lists(&server).await.split_off(before);
        assert!(lists.iter().all(|(p, _)| p == "/api/v1/pods"), "{lists:?}");
        if wide {
            assert_eq!(lists.len(), 1, "{lists:?}");
            assert_eq!(
                lists[0].1,
                "fieldSelector=status.phase%21%3DFailed%2Cstatus.phase%21%3DSucceeded&limit=500"
            );
        } else {
            assert_eq!(lists.len(), wanted, "{lists:?}");
            for node in &nodes {
                let term = format!("spec.nodeName%3D{node}%2C");
                assert!(
                    lists.iter().any(|(_, q)| q.contains(&term)),
                    "{node}: {lists:?}"
                );
            }
        }
        assert_eq!(snap.node_pods, NodePodsCoverage::Nodes(nodes.clone()));
        let mut keys: Vec<_> = snap.pods.iter().map(|p| p.metadata.uid.clone()).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), snap.pods.len(), "wide={wide}: no pod twice");
        assert!(
            snap.pods.iter().all(|p| {
                let node = p.spec.as_ref().and_then(|s| s.node_name.clone());
                node.is_none_or(|n| nodes.contains(&n)) || p.metadata.labels.is_some()
            }),
            "wide={wide}: only pods of the wanted nodes are added"
        );
    }
}

fn gzip(body: &str) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(body.as_bytes()).expect("gzip");
    enc.finish().expect("gzip")
}

#[tokio::test]
async fn gzip_encoded_answers_are_read() {
    let api = ApiServer::start().await;
    mount_node_exporter(&api).await;
    // Only a client that asks for gzip gets the node list at all, and gets it compressed.
    api.mount(
        list("/api/v1/nodes")
            .and(header("accept-encoding", "gzip"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("content-encoding", "gzip")
                    .set_body_raw(gzip(&real_fixture("nodes.json")), "application/json"),
            )
            .expect(1),
    )
    .await;

    let snap = api
        .live()
        .await
        .fetch_daemonset(DS_NS, DS_NAME)
        .await
        .expect("fetch");

    assert_eq!(snap.nodes.len(), 10);
    assert_eq!(snap.pods.len(), 6);
}
