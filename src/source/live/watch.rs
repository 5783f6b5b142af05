//! `--watch`: follows what the verdicts depend on (nodes, the DaemonSets, their pods and revisions, the
//! pods on nodes whose capacity is explained, events) with kube's watcher, one stream per collection, each
//! listed once and then WATCHed from the list's resourceVersion (bookmarks on, a relist only after 410 Gone,
//! backoff between retries). Objects are trimmed as the LISTs trim them. Read-only; judges nothing.

use std::collections::HashSet;
use std::fmt::Debug;
use std::sync::Arc;

use futures::stream::{AbortHandle, BoxStream};
use futures::{StreamExt, stream};
use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::core::v1::{Event, Node};
use kube::api::Api;
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Resource, ResourceExt};
use serde::de::DeserializeOwned;

use super::plan::{self, DaemonPodLists};
use super::select::{escape_field_value, label_selector_string};
use super::trim::{lean_node, lean_pod};
use super::{Live, controlled_by, is_orphan};
use crate::diagnose::cluster::{selector_matches, selects_everything};
use crate::snapshot::pod::Pod;
use crate::snapshot::{NodePodsCoverage, Snapshot};
use crate::source::events::from_core;
use crate::source::reflector::{Keyed, Object, Reflector, StreamKind};

/// More selector WATCHes than this and coverage follows the pods of its scope in one WATCH instead: every
/// watch holds a connection open for as long as the run lasts.
const MAX_POD_WATCHES: usize = 16;
/// Above this many nodes whose pods are explained, one WATCH of every pod replaces one per node.
const MAX_NODE_POD_WATCHES: usize = 8;
/// Mirrors pkg/scheduler/scheduler.go (newPodInformer): terminated pods hold no resources or ports.
const NOT_TERMINATED: &str = "status.phase!=Failed,status.phase!=Succeeded";

/// What is being watched: the same scopes the first answer was fetched for.
pub enum Scope<'a> {
    Why {
        namespace: &'a str,
        name: &'a str,
    },
    Coverage {
        namespace: Option<&'a str>,
        selector: Option<&'a str>,
    },
}

/// One watcher's output: which stream, and what it saw (or why it stopped for a moment).
pub struct Update {
    pub stream: usize,
    pub event: Result<watcher::Event<Keyed>, watcher::Error>,
}

/// Why a stream reported an error, in the terms the caller acts on.
pub enum Trouble {
    /// 410 Gone: the resourceVersion expired; the watcher lists again by itself.
    Expired,
    /// 401/403: retrying will not help.
    Refused(String),
    /// A dropped connection, a 5xx, a timeout: the watcher retries after a backoff.
    Transient(String),
}

impl Trouble {
    pub fn of(e: &watcher::Error) -> Trouble {
        let api_status = match e {
            watcher::Error::WatchError(status) => Some((status.code, status.message.clone())),
            watcher::Error::InitialListFailed(kube::Error::Api(status))
            | watcher::Error::WatchStartFailed(kube::Error::Api(status))
            | watcher::Error::WatchFailed(kube::Error::Api(status)) => {
                Some((status.code, status.message.clone()))
            }
            _ => None,
        };
        match api_status {
            Some((410, _)) => Trouble::Expired,
            Some((401 | 403, message)) => Trouble::Refused(message),
            _ => Trouble::Transient(one_line(&e.to_string())),
        }
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The watch streams, merged, and a handle per stream to stop one (events no longer readable).
pub struct Streams {
    pub updates: BoxStream<'static, Update>,
    pub stops: Vec<AbortHandle>,
}

impl Live {
    /// Starts following `scope`, whose first answer came from `first` (its DaemonSets decide which pods and
    /// revisions are followed, its `node_pods` which nodes' pods). Returns the store and the streams that feed it.
    pub fn watch(&self, scope: &Scope<'_>, first: &Snapshot) -> (Reflector, Streams) {
        let mut plan = Plan {
            client: self.client.clone(),
            streams: Vec::new(),
        };
        let uids: Arc<HashSet<String>> = Arc::new(
            first
                .daemonsets
                .iter()
                .filter_map(|d| d.metadata.uid.clone())
                .collect(),
        );
        plan.follow(
            "nodes".into(),
            StreamKind::Nodes,
            Api::<Node>::all(self.client.clone()),
            watcher::Config::default(),
            |n| Some(Object::Node(Box::new(lean_node(n)))),
        );
        let ds_keep = |mut d: DaemonSet| {
            d.metadata.managed_fields = None;
            Some(Object::DaemonSet(Box::new(d)))
        };
        match scope {
            Scope::Why { namespace, name } => {
                plan.follow(
                    format!("daemonset {namespace}/{name}"),
                    StreamKind::DaemonSets,
                    Api::namespaced(self.client.clone(), namespace),
                    watcher::Config::default()
                        .fields(&format!("metadata.name={}", escape_field_value(name))),
                    ds_keep,
                );
                let selector = first
                    .daemonsets
                    .first()
                    .and_then(|d| label_selector_string(&d.spec.selector));
                let adopts_orphans = selector.is_some();
                let with_selector = |c: watcher::Config| match &selector {
                    Some(s) => c.labels(s),
                    None => c,
                };
                let pod_uids = Arc::clone(&uids);
                plan.follow(
                    format!("pods of daemonset {namespace}/{name}"),
                    StreamKind::DaemonPods,
                    Api::namespaced(self.client.clone(), namespace),
                    with_selector(watcher::Config::default()),
                    move |p: Pod| {
                        let claimable = controlled_by(&p.metadata, &pod_uids)
                            || (adopts_orphans && is_orphan(&p.metadata));
                        claimable.then(|| Object::Pod(Box::new(lean_pod(p))))
                    },
                );
                let rev_uids = Arc::clone(&uids);
                plan.follow(
                    format!("controllerrevisions of daemonset {namespace}/{name}"),
                    StreamKind::Revisions,
                    Api::namespaced(self.client.clone(), namespace),
                    with_selector(watcher::Config::default()),
                    move |r: ControllerRevision| revision(r, &rev_uids),
                );
                if first.events_unavailable.is_none() {
                    plan.events(
                        Some(namespace),
                        &format!(
                            "involvedObject.kind=DaemonSet,involvedObject.name={}",
                            escape_field_value(name)
                        ),
                    );
                    plan.events(Some(namespace), "involvedObject.kind=Pod");
                }
            }
            Scope::Coverage {
                namespace,
                selector,
            } => {
                let api = |c: &kube::Client| match namespace {
                    Some(ns) => Api::<DaemonSet>::namespaced(c.clone(), ns),
                    None => Api::all(c.clone()),
                };
                let mut config = watcher::Config::default();
                if let Some(s) = selector.filter(|s| !s.trim().is_empty()) {
                    config = config.labels(s);
                }
                plan.follow(
                    format!("daemonsets in {}", in_scope(*namespace)),
                    StreamKind::DaemonSets,
                    api(&self.client),
                    config,
                    ds_keep,
                );
                plan.daemon_pods(*namespace, &first.daemonsets, &uids);
                let rev_uids = Arc::clone(&uids);
                plan.follow(
                    format!("controllerrevisions in {}", in_scope(*namespace)),
                    StreamKind::Revisions,
                    match namespace {
                        Some(ns) => Api::namespaced(self.client.clone(), ns),
                        None => Api::all(self.client.clone()),
                    },
                    watcher::Config::default(),
                    move |r: ControllerRevision| revision(r, &rev_uids),
                );
                if first.events_unavailable.is_none() && !uids.is_empty() {
                    plan.events(*namespace, "involvedObject.kind=DaemonSet");
                    plan.events(*namespace, "involvedObject.kind=Pod");
                }
            }
        }
        plan.node_pods(&first.node_pods);

        let mut reflector =
            Reflector::new(first.node_pods.clone(), first.events_unavailable.clone());
        let mut stops = Vec::new();
        let mut streams = Vec::new();
        for (id, (what, kind, stream)) in plan.streams.into_iter().enumerate() {
            reflector.add_stream(what, kind);
            let (stream, stop) = stream::abortable(stream);
            stops.push(stop);
            streams.push(
                stream
                    .map(move |event| Update { stream: id, event })
                    .boxed(),
            );
        }
        let updates = stream::select_all(streams).boxed();
        (reflector, Streams { updates, stops })
    }
}

type Watched = BoxStream<'static, Result<watcher::Event<Keyed>, watcher::Error>>;

/// The streams to start, in the order the store merges them (a pod seen twice keeps its first copy).
struct Plan {
    client: kube::Client,
    streams: Vec<(String, StreamKind, Watched)>,
}

impl Plan {
    /// One watcher on `api`, its objects passed through `keep` (None: not ours, or no longer ours).
    fn follow<K>(
        &mut self,
        what: String,
        kind: StreamKind,
        api: Api<K>,
        config: watcher::Config,
        keep: impl Fn(K) -> Option<Object> + Send + 'static,
    ) where
        K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + 'static,
    {
        let stream = watcher(api, config)
            .default_backoff()
            .map(move |event| event.map(|e| keyed(e, &keep)))
            .boxed();
        self.streams.push((what, kind, stream));
    }

    fn events(&mut self, namespace: Option<&str>, fields: &str) {
        let api = match namespace {
            Some(ns) => Api::<Event>::namespaced(self.client.clone(), ns),
            None => Api::all(self.client.clone()),
        };
        self.follow(
            format!("events ({fields}) in {}", in_scope(namespace)),
            StreamKind::Events,
            api,
            watcher::Config::default().fields(fields),
            |e: Event| Some(Object::Event(Box::new(from_core(&e)))),
        );
    }

    /// As `Live::list_daemon_pods`: a WATCH per distinct selector, or one of the scope when there are many.
    fn daemon_pods(
        &mut self,
        namespace: Option<&str>,
        daemonsets: &[DaemonSet],
        uids: &Arc<HashSet<String>>,
    ) {
        match plan::daemon_pod_lists(daemonsets) {
            DaemonPodLists::BySelector(lists) if lists.len() <= MAX_POD_WATCHES => {
                for (ns, selector) in lists {
                    let uids = Arc::clone(uids);
                    self.follow(
                        format!("pods -l {selector} in {ns}"),
                        StreamKind::DaemonPods,
                        Api::namespaced(self.client.clone(), &ns),
                        watcher::Config::default().labels(&selector),
                        move |p: Pod| {
                            let claimable =
                                controlled_by(&p.metadata, &uids) || is_orphan(&p.metadata);
                            claimable.then(|| Object::Pod(Box::new(lean_pod(p))))
                        },
                    );
                }
            }
            _ => {
                let uids = Arc::clone(uids);
                let selectors: Vec<_> = daemonsets
                    .iter()
                    .filter(|d| !selects_everything(&d.spec.selector))
                    .map(|d| (d.metadata.namespace.clone(), d.spec.selector.clone()))
                    .collect();
                self.follow(
                    format!("pods in {}", in_scope(namespace)),
                    StreamKind::DaemonPods,
                    match namespace {
                        Some(ns) => Api::namespaced(self.client.clone(), ns),
                        None => Api::all(self.client.clone()),
                    },
                    watcher::Config::default(),
                    move |p: Pod| {
                        let adopted = || {
                            is_orphan(&p.metadata)
                                && selectors.iter().any(|(ns, sel)| {
                                    *ns == p.metadata.namespace
                                        && selector_matches(Some(sel), p.metadata.labels.as_ref())
                                })
                        };
                        (controlled_by(&p.metadata, &uids) || adopted())
                            .then(|| Object::Pod(Box::new(lean_pod(p))))
                    },
                );
            }
        }
    }

    /// As `Live::fetch_node_pods`: the non-terminated pods of the nodes whose capacity the first answer
    /// explained (a pod that terminates leaves the field selector, which the server sends as DELETED).
    fn node_pods(&mut self, covered: &NodePodsCoverage) {
        let NodePodsCoverage::Nodes(nodes) = covered else {
            return;
        };
        if nodes.is_empty() {
            return;
        }
        if nodes.len() <= MAX_NODE_POD_WATCHES {
            for node in nodes {
                self.follow(
                    format!("pods on node {node}"),
                    StreamKind::NodePods,
                    Api::all(self.client.clone()),
                    watcher::Config::default().fields(&format!(
                        "spec.nodeName={},{NOT_TERMINATED}",
                        escape_field_value(node)
                    )),
                    |p: Pod| Some(Object::Pod(Box::new(lean_pod(p)))),
                );
            }
        } else {
            let nodes = nodes.clone();
            self.follow(
                format!("pods on {} nodes", nodes.len()),
                StreamKind::NodePods,
                Api::all(self.client.clone()),
                watcher::Config::default().fields(NOT_TERMINATED),
                move |p: Pod| {
                    let on_node = p
                        .spec
                        .as_ref()
                        .and_then(|s| s.node_name.as_deref())
                        .is_some_and(|n| nodes.contains(n));
                    on_node.then(|| Object::Pod(Box::new(lean_pod(p))))
                },
            );
        }
    }
}

fn revision(mut r: ControllerRevision, uids: &HashSet<String>) -> Option<Object> {
    r.metadata.managed_fields = None;
    controlled_by(&r.metadata, uids).then(|| Object::Revision(Box::new(r)))
}

fn in_scope(namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("namespace {ns}"),
        None => "all namespaces".into(),
    }
}

/// The watcher's event with each object keyed and passed through `keep`.
fn keyed<K: Resource<DynamicType = ()>>(
    event: watcher::Event<K>,
    keep: &impl Fn(K) -> Option<Object>,
) -> watcher::Event<Keyed> {
    let key = |k: &K| {
        let meta = k.meta();
        // Events are keyed by uid: two with the same name are two events once one was recreated.
        match (&meta.uid, K::kind(&()).as_ref()) {
            (Some(uid), "Event") => uid.clone(),
            _ => format!("{}/{}", k.namespace().unwrap_or_default(), k.name_any()),
        }
    };
    let wrap = |k: K| Keyed {
        key: key(&k),
        object: keep(k),
    };
    match event {
        watcher::Event::Init => watcher::Event::Init,
        watcher::Event::InitApply(k) => watcher::Event::InitApply(wrap(k)),
        watcher::Event::InitDone => watcher::Event::InitDone,
        watcher::Event::Apply(k) => watcher::Event::Apply(wrap(k)),
        watcher::Event::Delete(k) => watcher::Event::Delete(Keyed {
            key: key(&k),
            object: None,
        }),
    }
}
