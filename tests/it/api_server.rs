//! A stand-in kube-apiserver for integration tests: wiremock on 127.0.0.1 serving recorded API bodies at
//! the real paths, plus a generated kubeconfig pointing at it over plain http. Test scaffolding only.

use std::path::{Path, PathBuf};

use kubectl_ds::source::live::{KubeconfigEnv, Live, LiveOptions};
use serde_json::Value;
use tempfile::TempDir;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

/// The recorded monitoring/node-exporter DaemonSet.
pub const DS_NS: &str = "monitoring";
pub const DS_NAME: &str = "node-exporter";
pub const DS_UID: &str = "3b404cc4-f9de-4256-a54a-4ee87441d347";
pub const DS_SELECTOR: &str = "app.kubernetes.io/name=node-exporter";

pub struct ApiServer {
    pub server: MockServer,
    pub dir: TempDir,
    pub kubeconfig: PathBuf,
}

impl ApiServer {
    /// A fresh server and a kubeconfig whose current context `test` (namespace `monitoring`) points at it.
    pub async fn start() -> ApiServer {
        let server = MockServer::start().await;
        let dir = tempfile::tempdir().expect("tempdir");
        let kubeconfig = write_kubeconfig(
            dir.path(),
            "config",
            "test",
            &[("test", &server.uri(), Some("monitoring"))],
        );
        ApiServer {
            server,
            dir,
            kubeconfig,
        }
    }

    pub fn options(&self) -> LiveOptions {
        LiveOptions {
            kubeconfig: Some(self.kubeconfig.clone()),
            context: Some("test".into()),
            ..Default::default()
        }
    }

    pub async fn live(&self) -> Live {
        live_with(&self.options()).await
    }

    pub async fn mount(&self, mock: Mock) {
        mock.mount(&self.server).await;
    }

    /// Every request this server saw was a GET: the tool must never write.
    pub async fn assert_only_gets(&self) {
        let requests = self.server.received_requests().await.unwrap_or_default();
        assert!(!requests.is_empty(), "no request reached the server");
        for r in requests {
            assert_eq!(r.method.as_str(), "GET", "non-GET request to {}", r.url);
        }
    }

    /// The query string of every request to `p`, in order.
    pub async fn queries(&self, p: &str) -> Vec<String> {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.url.path() == p)
            .map(|r| r.url.query().unwrap_or_default().to_string())
            .collect()
    }
}

pub async fn live_with(opts: &LiveOptions) -> Live {
    // No process environment: only what the options say.
    match Live::connect_with_env(opts, &KubeconfigEnv::default()).await {
        Ok(live) => live,
        Err(e) => panic!("connect: {e}"),
    }
}

/// Writes a kubeconfig with one cluster/context per entry (name, server, namespace); user `u` has a token.
pub fn write_kubeconfig(
    dir: &Path,
    file: &str,
    current: &str,
    contexts: &[(&str, &str, Option<&str>)],
) -> PathBuf {
    let mut s = format!("apiVersion: v1\nkind: Config\ncurrent-context: {current}\nclusters:\n");
    for (name, server, _) in contexts {
        s.push_str(&format!(
            "- name: {name}-cluster\n  cluster:\n    server: {server}\n"
        ));
    }
    s.push_str("users:\n- name: u\n  user:\n    token: test-token\ncontexts:\n");
    for (name, _, ns) in contexts {
        s.push_str(&format!(
            "- name: {name}\n  context:\n    cluster: {name}-cluster\n    user: u\n"
        ));
        if let Some(ns) = ns {
            s.push_str(&format!("    namespace: {ns}\n"));
        }
    }
    let p = dir.join(file);
    std::fs::write(&p, s).expect("write kubeconfig");
    p
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A body from tests/fixtures/api (derived from the real-cluster recording).
pub fn api_fixture(rel: &str) -> String {
    std::fs::read_to_string(fixtures().join("api").join(rel)).expect("api fixture")
}

/// A raw body from tests/fixtures/real-cluster (cluster-wide lists, served as-is at their own paths).
pub fn real_fixture(rel: &str) -> String {
    std::fs::read_to_string(fixtures().join("real-cluster").join(rel)).expect("real fixture")
}

pub fn json(rel_or_body: String) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(rel_or_body, "application/json")
}

pub fn status(code: u16, body: String) -> ResponseTemplate {
    ResponseTemplate::new(code).set_body_raw(body, "application/json")
}

/// A GET to `p` that is the first page of a LIST (limit=500, no continue token).
pub fn list(p: &str) -> MockBuilder {
    Mock::given(method("GET"))
        .and(path(p))
        .and(query_param("limit", "500"))
        .and(query_param_is_missing("continue"))
}

pub fn get(p: &str) -> MockBuilder {
    Mock::given(method("GET")).and(path(p))
}

/// Parses a list body, applies `f` to its items, re-serialises it.
pub fn edit_items(body: &str, f: impl FnOnce(&mut Vec<Value>)) -> String {
    let mut v: Value = serde_json::from_str(body).expect("list body");
    if let Some(Value::Array(items)) = v.get_mut("items") {
        f(items);
    }
    v.to_string()
}

/// The recorded monitoring/node-exporter world: its DaemonSet, pods, revisions, and all nodes (one page).
pub async fn mount_node_exporter(api: &ApiServer) {
    api.mount(
        get("/apis/apps/v1/namespaces/monitoring/daemonsets/node-exporter")
            .respond_with(json(api_fixture("monitoring/daemonset-node-exporter.json")))
            .expect(1),
    )
    .await;
    api.mount(
        list("/api/v1/namespaces/monitoring/pods")
            .and(query_param("labelSelector", DS_SELECTOR))
            .respond_with(json(api_fixture("monitoring/pods-node-exporter.json")))
            .expect(1),
    )
    .await;
    api.mount(
        list("/apis/apps/v1/namespaces/monitoring/controllerrevisions")
            .and(query_param("labelSelector", DS_SELECTOR))
            .respond_with(json(api_fixture(
                "monitoring/controllerrevisions-node-exporter.json",
            )))
            .expect(1),
    )
    .await;
}

pub async fn mount_nodes(api: &ApiServer) {
    api.mount(
        list("/api/v1/nodes")
            .respond_with(json(real_fixture("nodes.json")))
            .expect(1),
    )
    .await;
}
