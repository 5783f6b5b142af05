//! A stand-in kube-apiserver that answers LIST/GET from a recorded cluster state (the real list
//! bodies in tests/fixtures/real-cluster), applying namespace, labelSelector, fieldSelector and
//! limit/continue as the real server does, so the binary can be run live end to end.

use std::collections::BTreeMap;
use std::sync::Arc;

use kubectl_ds::source::selector;
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers::any};

use crate::api_server::{real_fixture, write_kubeconfig};

/// Recorded objects by resource (`nodes`, `pods`, `daemonsets`, `controllerrevisions`, `events`).
pub struct Recorded {
    objects: BTreeMap<&'static str, (String, String, Vec<Value>)>,
    /// Per resource (and optional namespace), a Status body and code to answer instead.
    pub refuse: BTreeMap<String, (u16, Value)>,
}

impl Recorded {
    pub fn real_cluster() -> Recorded {
        let mut objects = BTreeMap::new();
        for (res, file, kind, api) in [
            ("nodes", "nodes.json", "NodeList", "v1"),
            ("pods", "pods.json", "PodList", "v1"),
            ("daemonsets", "daemonsets.json", "DaemonSetList", "apps/v1"),
            (
                "controllerrevisions",
                "controllerrevisions.json",
                "ControllerRevisionList",
                "apps/v1",
            ),
            ("events", "events.json", "EventList", "v1"),
        ] {
            let body: Value = serde_json::from_str(&real_fixture(file)).expect("fixture");
            let items = body["items"].as_array().cloned().unwrap_or_default();
            objects.insert(res, (kind.to_string(), api.to_string(), items));
        }
        Recorded {
            objects,
            refuse: BTreeMap::new(),
        }
    }

    /// Also serve what admission reads (`plan`): namespaces, resourcequotas and serviceaccounts.
    pub fn with_admission_kinds(mut self) -> Self {
        for (res, file, kind) in [
            ("namespaces", "namespaces.json", "NamespaceList"),
            ("resourcequotas", "resourcequotas.json", "ResourceQuotaList"),
            (
                "serviceaccounts",
                "serviceaccounts.json",
                "ServiceAccountList",
            ),
        ] {
            let body: Value = serde_json::from_str(&real_fixture(file)).expect("fixture");
            let items = body["items"].as_array().cloned().unwrap_or_default();
            self.objects
                .insert(res, (kind.to_string(), "v1".to_string(), items));
        }
        self
    }

    /// The recorded `resource` objects changed by `edit` (objects added, removed or altered).
    pub fn editing(mut self, resource: &str, edit: impl FnOnce(&mut Vec<Value>)) -> Self {
        if let Some((_, _, items)) = self.objects.get_mut(resource) {
            edit(items);
        }
        self
    }

    /// Answer requests for `resource` (optionally only in `namespace`) with a recorded Status body.
    pub fn refusing(
        mut self,
        resource: &str,
        namespace: Option<&str>,
        code: u16,
        status_file: &str,
    ) -> Self {
        let body: Value = serde_json::from_str(&real_fixture(status_file)).expect("status fixture");
        self.refuse.insert(
            format!("{resource}@{}", namespace.unwrap_or("*")),
            (code, body),
        );
        self
    }
}

struct Responder(Arc<Recorded>);

impl Respond for Responder {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        if req.method.as_str() != "GET" {
            return ResponseTemplate::new(405);
        }
        let query: BTreeMap<String, String> = req
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let segs: Vec<&str> = req.url.path().trim_start_matches('/').split('/').collect();
        // /api/v1/... or /apis/<group>/<version>/...
        let rest = match segs.as_slice() {
            ["api", "v1", rest @ ..] => rest,
            ["apis", _, _, rest @ ..] => rest,
            _ => return not_found("path"),
        };
        let (namespace, resource, name) = match rest {
            ["namespaces", ns, res] => (Some(*ns), *res, None),
            ["namespaces", ns, res, name] => (Some(*ns), *res, Some(*name)),
            [res] => (None, *res, None),
            [res, name] => (None, *res, Some(*name)),
            _ => return not_found("path"),
        };
        for key in [
            format!("{resource}@{}", namespace.unwrap_or("*")),
            format!("{resource}@*"),
        ] {
            if let Some((code, body)) = self.0.refuse.get(&key) {
                return ResponseTemplate::new(*code).set_body_json(body);
            }
        }
        let Some((kind, api, items)) = self.0.objects.get(resource) else {
            return not_found(resource);
        };
        let mut selected: Vec<&Value> = items
            .iter()
            .filter(|o| namespace.is_none_or(|ns| o["metadata"]["namespace"] == ns))
            .collect();
        if let Some(name) = name {
            return match selected.into_iter().find(|o| o["metadata"]["name"] == name) {
                Some(o) => ResponseTemplate::new(200).set_body_json(o),
                None => not_found(name),
            };
        }
        if let Some(sel) = query.get("labelSelector").filter(|s| !s.is_empty()) {
            let Ok(sel) = selector::parse(sel) else {
                return ResponseTemplate::new(400);
            };
            selected.retain(|o| {
                let labels: Option<BTreeMap<String, String>> =
                    serde_json::from_value(o["metadata"]["labels"].clone()).ok();
                selector::matches(&sel, labels.as_ref())
            });
        }
        if let Some(fields) = query.get("fieldSelector").filter(|s| !s.is_empty()) {
            selected.retain(|o| fields.split(',').all(|req| field_matches(o, req)));
        }
        // Pagination: the continue token is the offset of the next item.
        let start: usize = query
            .get("continue")
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let limit: usize = query
            .get("limit")
            .and_then(|l| l.parse().ok())
            .filter(|l| *l > 0)
            .unwrap_or(usize::MAX);
        let page: Vec<&Value> = selected.iter().skip(start).take(limit).copied().collect();
        let next = start + page.len();
        let mut metadata = json!({"resourceVersion": "1219"});
        if next < selected.len() {
            metadata["continue"] = json!(next.to_string());
            metadata["remainingItemCount"] = json!(selected.len() - next);
        }
        ResponseTemplate::new(200).set_body_json(
            json!({"kind": kind, "apiVersion": api, "metadata": metadata, "items": page}),
        )
    }
}

/// `a.b=c` / `a.b!=c` / `a.b==c` on a dotted JSON path, as the API server's field selectors work.
fn field_matches(obj: &Value, req: &str) -> bool {
    let (path, want, negate) = if let Some((p, v)) = req.split_once("!=") {
        (p, v, true)
    } else if let Some((p, v)) = req.split_once("==").or_else(|| req.split_once('=')) {
        (p, v, false)
    } else {
        return true;
    };
    let got = path.split('.').fold(obj, |o, k| &o[k]);
    let got = got.as_str().unwrap_or("");
    (got == want) != negate
}

fn not_found(what: &str) -> ResponseTemplate {
    ResponseTemplate::new(404).set_body_json(json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": format!("{what} not found"), "reason": "NotFound", "code": 404
    }))
}

/// A running server for `recorded`, with a kubeconfig (context `test`, namespace `default`) in `dir`.
pub struct RecordedServer {
    pub server: MockServer,
    /// Holds the kubeconfig file; dropped (and deleted) with the server.
    _dir: tempfile::TempDir,
    pub kubeconfig: String,
}

impl RecordedServer {
    pub async fn start(recorded: Recorded) -> RecordedServer {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(Responder(Arc::new(recorded)))
            .mount(&server)
            .await;
        let dir = tempfile::tempdir().expect("tempdir");
        let kubeconfig = write_kubeconfig(
            dir.path(),
            "config",
            "test",
            &[("test", &server.uri(), None)],
        );
        RecordedServer {
            server,
            _dir: dir,
            kubeconfig: kubeconfig.to_str().unwrap().to_string(),
        }
    }

    /// Every request path+query the server saw, in order.
    pub async fn requests(&self) -> Vec<(String, String, String)> {
        self.server
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                (
                    r.method.to_string(),
                    r.url.path().to_string(),
                    r.url.query().unwrap_or("").to_string(),
                )
            })
            .collect()
    }
}
