//! A stand-in kube-apiserver that answers LIST/GET from a recorded cluster state (the real list
//! bodies in tests/fixtures/real-cluster), applying namespace, labelSelector, fieldSelector and
//! limit/continue as the real server does, so the binary can be run live end to end.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use kubectl_ds::source::selector;
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers::any};

use crate::api_server::{real_fixture, write_kubeconfig};

/// Recorded objects by resource (`nodes`, `pods`, `daemonsets`, `controllerrevisions`, `events`).
pub struct Recorded {
    objects: BTreeMap<&'static str, (String, String, Vec<Value>)>,
    /// Per resource (and optional namespace), a Status body and code to answer instead.
    pub refuse: BTreeMap<String, (u16, Value)>,
    /// Scripted WATCH answers: per resource (and labelSelector, when given), one step per WATCH request.
    watches: Vec<WatchScript>,
}

/// What successive WATCH requests of one resource get: step i answers the i-th request, after its delay,
/// and then ends (the client watches again from the last resourceVersion); once the steps run out, a
/// WATCH is left open with nothing to say.
struct WatchScript {
    resource: String,
    label_selector: Option<String>,
    steps: Vec<WatchStep>,
}

pub struct WatchStep {
    pub delay: Duration,
    pub events: Vec<WatchEvent>,
}

/// One line of a watch stream. Changes apply to the recorded state too, so a later LIST sees them.
pub enum WatchEvent {
    Added(Value),
    Modified(Value),
    Deleted(Value),
    Bookmark,
    /// The server forgot our resourceVersion: `ERROR` with a 410 Status; the client must list again.
    Gone,
    /// A change the watch never reports (it happened while we were not looking): only a relist sees it.
    Unseen(Edit),
}

/// A change to a resource's recorded objects.
pub type Edit = Box<dyn Fn(&mut Vec<Value>) + Send + Sync>;

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
            watches: Vec::new(),
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

    /// WATCH requests of `resource` (with this labelSelector, when given) answer with `steps`, in order.
    pub fn watching(
        mut self,
        resource: &str,
        label_selector: Option<&str>,
        steps: Vec<WatchStep>,
    ) -> Self {
        self.watches.push(WatchScript {
            resource: resource.into(),
            label_selector: label_selector.map(Into::into),
            steps,
        });
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

/// The recorded state (changed by scripted watch events), how many WATCHes each script answered, and a
/// resourceVersion counter for the objects the scripts send.
struct Responder {
    recorded: Mutex<Recorded>,
    served: Mutex<Vec<usize>>,
    version: Mutex<u64>,
}

impl Respond for Responder {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut recorded = self.recorded.lock().unwrap();
        let watch = req
            .url
            .query_pairs()
            .any(|(k, v)| k == "watch" && v == "true");
        if watch && req.method.as_str() == "GET" {
            return self.watch(&mut recorded, req);
        }
        respond_from(&recorded, req)
    }
}

impl Responder {
    fn watch(&self, recorded: &mut Recorded, req: &Request) -> ResponseTemplate {
        let resource = req
            .url
            .path()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        let selector: Option<String> = req
            .url
            .query_pairs()
            .find(|(k, _)| k == "labelSelector")
            .map(|(_, v)| v.into_owned());
        let script = recorded.watches.iter().position(|w| {
            w.resource == resource
                && w.label_selector
                    .as_ref()
                    .is_none_or(|l| Some(l) == selector.as_ref())
        });
        let step = script.and_then(|i| {
            let mut served = self.served.lock().unwrap();
            served.resize(recorded.watches.len(), 0);
            let n = served[i];
            served[i] += 1;
            recorded.watches[i].steps.get(n).map(|_| (i, n))
        });
        let Some((i, n)) = step else {
            // Nothing (more) to say: the watch stays open until the client goes away.
            return ResponseTemplate::new(200)
                .set_body_raw("", "application/json")
                .set_delay(Duration::from_secs(3600));
        };
        let mut body = String::new();
        let (kind, api) = recorded
            .objects
            .get(resource.as_str())
            .map(|(k, a, _)| (k.trim_end_matches("List").to_string(), a.clone()))
            .unwrap_or_default();
        let steps = std::mem::take(&mut recorded.watches[i].steps);
        let step = &steps[n];
        for event in &step.events {
            let mut version = self.version.lock().unwrap();
            *version += 1;
            let rv = (10_000 + *version).to_string();
            let line = match event {
                WatchEvent::Added(o) | WatchEvent::Modified(o) | WatchEvent::Deleted(o) => {
                    let mut o = o.clone();
                    o["metadata"]["resourceVersion"] = json!(rv);
                    let items = &mut recorded
                        .objects
                        .get_mut(resource.as_str())
                        .expect("scripted resource is recorded")
                        .2;
                    let same = |x: &Value| {
                        x["metadata"]["namespace"] == o["metadata"]["namespace"]
                            && x["metadata"]["name"] == o["metadata"]["name"]
                    };
                    items.retain(|x| !same(x));
                    let kind = match event {
                        WatchEvent::Added(_) => "ADDED",
                        WatchEvent::Modified(_) => "MODIFIED",
                        _ => "DELETED",
                    };
                    if kind != "DELETED" {
                        items.push(o.clone());
                    }
                    json!({"type": kind, "object": o})
                }
                WatchEvent::Bookmark => json!({"type": "BOOKMARK", "object": {
                    "kind": kind, "apiVersion": api, "metadata": {"resourceVersion": rv}}}),
                WatchEvent::Gone => json!({"type": "ERROR", "object": {
                    "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                    "message": "too old resource version: 1 (10000)", "reason": "Expired", "code": 410}}),
                WatchEvent::Unseen(change) => {
                    if let Some((_, _, items)) = recorded.objects.get_mut(resource.as_str()) {
                        change(items);
                    }
                    continue;
                }
            };
            body.push_str(&line.to_string());
            body.push('\n');
        }
        let delay = step.delay;
        recorded.watches[i].steps = steps;
        ResponseTemplate::new(200)
            .set_body_raw(body, "application/json")
            .set_delay(delay)
    }
}

fn respond_from(recorded: &Recorded, req: &Request) -> ResponseTemplate {
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
        if let Some((code, body)) = recorded.refuse.get(&key) {
            return ResponseTemplate::new(*code).set_body_json(body);
        }
    }
    let Some((kind, api, items)) = recorded.objects.get(resource) else {
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
            .respond_with(Responder {
                recorded: Mutex::new(recorded),
                served: Mutex::new(Vec::new()),
                version: Mutex::new(0),
            })
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
