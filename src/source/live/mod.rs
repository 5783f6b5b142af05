//! The live source: reads exactly what an answer needs from a kube-apiserver into a `Snapshot`.
//! Read-only by construction: it only ever issues GET, LIST (paginated) and, for `--watch`, WATCH
//! (watch.rs); it never writes or execs. It judges nothing: which pods matter and why is the engine's business.

mod client;
mod config;
mod error;
mod flags;
mod for_plan;
mod guard;
mod names;
mod node;
mod pager;
mod plan;
mod proxy;
mod request_log;
mod select;
mod skip;
mod trim;
mod watch;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt, stream};
use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::core::v1::{Event, Node};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::api::{Api, ListParams};

use crate::diagnose::cluster::{controller_ref, selector_matches, selects_everything};
use crate::snapshot::pod::Pod;
use crate::snapshot::{EventRecord, NodePodsCoverage, Snapshot};
use crate::source::events::{dedup, from_core};

pub use config::{KubeconfigEnv, context_namespace};
pub use error::LiveError;
use error::{Req, Target};
pub use flags::LiveOptions;
use pager::PAGE_SIZE;
use plan::DaemonPodLists;
pub use proxy::{ProxyEnv, tolerated_no_proxy};
pub use request_log::TARGET as REQUEST_LOG_TARGET;
use select::{escape_field_value, label_selector_string};
use trim::{lean_node, lean_pod};
pub use watch::{Scope, Streams, Trouble, Update};

/// How many selector, per-node or per-namespace LISTs run at once: enough to hide latency, few enough not
/// to be throttled by API Priority and Fairness (a client-go default client allows 5 QPS with bursts of 10).
const CONCURRENCY: usize = 8;

/// A connection to one cluster as one user. Cloning shares the connection pool.
#[derive(Clone)]
pub struct Live {
    client: kube::Client,
    request_timeout: Option<Duration>,
    target: Target,
    /// The context's namespace, else `default`.
    pub default_namespace: String,
    pub context_name: String,
    pub server: String,
}

impl Live {
    /// Loads the kubeconfig from this process's environment (as kubectl does) and builds a client.
    /// Makes no request: the first fetch is what finds out whether the server answers.
    pub async fn connect(opts: &LiveOptions) -> Result<Live, LiveError> {
        Self::connect_with_env(opts, &KubeconfigEnv::from_process()).await
    }

    /// Like `connect`, with the environment given explicitly (`KUBECONFIG`, home, in-cluster).
    pub async fn connect_with_env(
        opts: &LiveOptions,
        env: &KubeconfigEnv,
    ) -> Result<Live, LiveError> {
        let loaded = config::load(opts, env).await?;
        let mut cfg = loaded.config;
        if let Some(t) = opts.request_timeout.filter(|t| !t.is_zero()) {
            // A connect that outlasts the request timeout is a timed-out request too.
            cfg.connect_timeout = Some(cfg.connect_timeout.map_or(t, |c| c.min(t)));
        }
        let client = client::build(
            cfg,
            opts.request_timeout,
            &loaded.context_name,
            &loaded.kubectl,
        )
        .await?;
        tracing::info!(
            "context {:?}, server {}, namespace {:?}",
            loaded.context_name,
            loaded.server,
            loaded.default_namespace
        );
        Ok(Live {
            client,
            // kubectl treats --request-timeout=0 as "no timeout".
            request_timeout: opts.request_timeout.filter(|t| !t.is_zero()),
            target: Target {
                server: loaded.server.clone(),
                kubectl: loaded.kubectl,
            },
            default_namespace: loaded.default_namespace,
            context_name: loaded.context_name,
            server: loaded.server,
        })
    }

    /// For `why`: the DaemonSet, all nodes, its pods and its ControllerRevisions.
    /// Node pods and events are fetched separately (`fetch_node_pods`, `fetch_events`) once the engine
    /// knows which nodes and pods need them.
    pub async fn fetch_daemonset(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<Snapshot, LiveError> {
        let get_req = Req {
            verb: "get",
            resource: "daemonsets",
            namespace: Some(namespace),
            name: Some(name),
        };
        // An invalid name cannot exist, and must not be pasted into a URL path unchecked.
        if !select::is_dns_subdomain(name) || !select::is_dns_label(namespace) {
            return Err(LiveError::NotFound {
                kind: "DaemonSet".into(),
                namespace: namespace.into(),
                name: name.into(),
                kubectl: self.target.kubectl.clone(),
            });
        }
        let ds_and_children = async {
            let api: Api<DaemonSet> = Api::namespaced(self.client.clone(), namespace);
            let ds = self
                .timed(api.get(name))
                .await
                .map_err(|e| self.err(e, &get_req))?;
            let uid = ds.metadata.uid.clone().unwrap_or_default();
            // A selector we cannot render (invalid operator) is left out: the owner filter still applies.
            let selector = label_selector_string(&ds.spec.selector);
            let uids: HashSet<String> = [uid].into_iter().collect();
            // Orphans in a selector LIST match the selector: the controller adopts them. Without a selector
            // to send (an empty or invalid one claims nothing), only the pods it controls are of interest.
            let adopts_orphans = selector.is_some();
            let (pods, revisions) = tokio::join!(
                self.list_pods(Some(namespace), selector.as_deref(), None, |p: Pod| {
                    let claimable = controlled_by(&p.metadata, &uids)
                        || (adopts_orphans && is_orphan(&p.metadata));
                    claimable.then(|| lean_pod(p))
                }),
                self.list_revisions(
                    Some(namespace),
                    selector.as_deref(),
                    |r: ControllerRevision| controlled_by(&r.metadata, &uids).then_some(r)
                ),
            );
            Ok::<_, LiveError>((ds, pods?, revisions?))
        };
        // join, not try_join: whichever request fails first must not decide which error the user sees.
        let (ds_and_children, nodes) = tokio::join!(ds_and_children, self.list_nodes_apart());
        let (ds, pods, revisions) = ds_and_children?;
        let nodes = nodes?;
        Ok(Snapshot {
            nodes,
            daemonsets: vec![ds],
            pods,
            revisions,
            events: Vec::new(),
            node_pods: NodePodsCoverage::Nodes(BTreeSet::new()),
            events_unavailable: None,
            ..Snapshot::default()
        })
    }

    /// For `coverage`: the DaemonSets of one namespace (or all), optionally label-filtered, all nodes, their
    /// pods (each DaemonSet's by its own selector, `plan::daemon_pod_lists`) and their ControllerRevisions
    /// (one LIST for the scope: a few per DaemonSet), filtered page by page so memory holds only those.
    pub async fn fetch_daemonsets(
        &self,
        namespace: Option<&str>,
        label_selector: Option<&str>,
    ) -> Result<Snapshot, LiveError> {
        if let Some(ns) = namespace
            && !select::is_dns_label(ns)
        {
            // No such namespace can exist: the answer is "no DaemonSets", as the server would give.
            return Ok(Snapshot {
                nodes: self.list_nodes().await?,
                node_pods: NodePodsCoverage::Nodes(BTreeSet::new()),
                ..Snapshot::default()
            });
        }
        let label_selector = label_selector.filter(|s| !s.trim().is_empty());
        let ds_and_children = async {
            let daemonsets = self.list_daemonsets(namespace, label_selector).await?;
            let uids: HashSet<String> = daemonsets
                .iter()
                .filter_map(|d| d.metadata.uid.clone())
                .collect();
            if uids.is_empty() {
                return Ok::<_, LiveError>((daemonsets, Vec::new(), Vec::new()));
            }
            let (pods, revisions) = tokio::join!(
                self.list_daemon_pods(namespace, &daemonsets, &uids),
                self.list_revisions(namespace, None, |r: ControllerRevision| {
                    controlled_by(&r.metadata, &uids).then_some(r)
                }),
            );
            Ok((daemonsets, pods?, revisions?))
        };
        let (ds_and_children, nodes) = tokio::join!(ds_and_children, self.list_nodes_apart());
        let (daemonsets, pods, revisions) = ds_and_children?;
        Ok(Snapshot {
            nodes: nodes?,
            daemonsets,
            pods,
            revisions,
            events: Vec::new(),
            node_pods: NodePodsCoverage::Nodes(BTreeSet::new()),
            events_unavailable: None,
            ..Snapshot::default()
        })
    }

    /// core/v1 Events about the given DaemonSets and pods (both given as (namespace, name)), appended to
    /// `snapshot.events`. Not being allowed to read events (401/403) is not a failure: the verdicts stand
    /// without them, so it is recorded in `snapshot.events_unavailable` instead.
    pub async fn fetch_events(
        &self,
        snapshot: &mut Snapshot,
        daemonsets: &[(String, String)],
        pods: &[(String, String)],
    ) -> Result<(), LiveError> {
        let events = self.read_events(snapshot, daemonsets, pods).await?;
        events.merge_into(snapshot);
        Ok(())
    }

    /// As `fetch_events`, without touching the snapshot: so other reads can run at the same time.
    pub async fn read_events(
        &self,
        snapshot: &Snapshot,
        daemonsets: &[(String, String)],
        pods: &[(String, String)],
    ) -> Result<FollowUpEvents, LiveError> {
        // Per namespace: which DaemonSet and pod names we want.
        let mut wanted: BTreeMap<&str, (BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
        for (ns, name) in daemonsets {
            wanted
                .entry(ns.as_str())
                .or_default()
                .0
                .insert(name.as_str());
        }
        for (ns, name) in pods {
            wanted
                .entry(ns.as_str())
                .or_default()
                .1
                .insert(name.as_str());
        }
        // The current object's uid, to drop events about an earlier object of the same name. Indexed
        // once: a scan of every pod per event grows with events × pods.
        let daemonset_uids = uid_index(snapshot.daemonsets.iter().map(|d| &d.metadata));
        let pod_uids = uid_index(snapshot.pods.iter().map(|p| &p.metadata));
        let uid_of = |kind: &str, ns: &str, name: &str| -> Option<String> {
            let index = if kind == "DaemonSet" {
                &daemonset_uids
            } else {
                &pod_uids
            };
            index.get(&(ns, name)).map(|uid| uid.to_string())
        };

        let mut queries: Vec<(String, String, &BTreeSet<&str>)> = Vec::new();
        for (ns, (ds_names, pod_names)) in &wanted {
            if !select::is_dns_label(ns) {
                continue;
            }
            if !ds_names.is_empty() {
                let mut fields = "involvedObject.kind=DaemonSet".to_string();
                // One DaemonSet (the `why` case): let the server filter by name too.
                if let [only] = ds_names.iter().collect::<Vec<_>>()[..] {
                    fields.push_str(",involvedObject.name=");
                    fields.push_str(&escape_field_value(only));
                }
                queries.push((ns.to_string(), fields, ds_names));
            }
            if !pod_names.is_empty() {
                queries.push((
                    ns.to_string(),
                    "involvedObject.kind=Pod".to_string(),
                    pod_names,
                ));
            }
        }

        let results: Vec<Result<Vec<Event>, LiveError>> = stream::iter(queries)
            .map(|(ns, fields, names)| async move {
                let req = Req {
                    verb: "list",
                    resource: "events",
                    namespace: Some(&ns),
                    name: None,
                };
                self.list_all(&req, None, Some(&fields), |e: Event| {
                    let wanted = e
                        .involved_object
                        .name
                        .as_deref()
                        .is_some_and(|n| names.contains(n));
                    wanted.then_some(e)
                })
                .await
            })
            .buffered(CONCURRENCY)
            .collect()
            .await;

        let mut events = Vec::new();
        let mut unavailable = None;
        for result in results {
            match result {
                Ok(batch) => events.extend(batch),
                Err(e @ (LiveError::Forbidden { .. } | LiveError::Unauthorized { .. })) => {
                    unavailable.get_or_insert_with(|| e.to_string());
                }
                Err(e) => return Err(e),
            }
        }
        let records: Vec<_> = events
            .iter()
            .filter(|e| {
                let obj = &e.involved_object;
                let (Some(kind), Some(ns), Some(name)) = (&obj.kind, &obj.namespace, &obj.name)
                else {
                    return true;
                };
                match (&obj.uid, uid_of(kind, ns, name)) {
                    (Some(event_uid), Some(current)) => *event_uid == current,
                    _ => true,
                }
            })
            .map(from_core)
            .collect();
        Ok(FollowUpEvents {
            records,
            unavailable,
        })
    }

    /// Every non-terminated pod bound to these nodes, so their requested resources and host ports can be
    /// summed. Merged into `snapshot.pods` without duplicates; the nodes are recorded in `node_pods`.
    /// One field-selected LIST per node, `CONCURRENCY` at a time, or one LIST of every pod when most nodes
    /// are wanted (`plan::node_pods_wide`); either way each pod is trimmed to its load as it is read.
    pub async fn fetch_node_pods(
        &self,
        snapshot: &mut Snapshot,
        nodes: &BTreeSet<String>,
    ) -> Result<(), LiveError> {
        let pods = self.read_node_pods(snapshot, nodes).await?;
        pods.merge_into(snapshot);
        Ok(())
    }

    /// As `fetch_node_pods`, without touching the snapshot: so other reads can run at the same time.
    pub async fn read_node_pods(
        &self,
        snapshot: &Snapshot,
        nodes: &BTreeSet<String>,
    ) -> Result<NodePods, LiveError> {
        // Mirrors pkg/scheduler/scheduler.go (newPodInformer): the scheduler's view of a node leaves out
        // Succeeded and Failed pods, which hold no resources or ports.
        const NOT_TERMINATED: &str = "status.phase!=Failed,status.phase!=Succeeded";
        let pods: Vec<Pod> = if plan::node_pods_wide(nodes.len(), snapshot.nodes.len()) {
            tracing::info!(
                "pods on {} of {} nodes are needed: one LIST of every pod instead of one per node",
                nodes.len(),
                snapshot.nodes.len()
            );
            self.list_pods(None, None, Some(NOT_TERMINATED), |p: Pod| {
                let on_wanted_node = p
                    .spec
                    .as_ref()
                    .and_then(|s| s.node_name.as_deref())
                    .is_some_and(|n| nodes.contains(n));
                on_wanted_node.then(|| lean_pod(p))
            })
            .await?
        } else {
            tracing::info!(
                "pods on {} of {} nodes are needed: one LIST per node, {CONCURRENCY} at a time",
                nodes.len(),
                snapshot.nodes.len()
            );
            let lists: Vec<Vec<Pod>> = stream::iter(nodes.iter())
                .map(|node| async move {
                    let fields = format!(
                        "spec.nodeName={},{NOT_TERMINATED}",
                        escape_field_value(node)
                    );
                    self.list_pods(None, None, Some(&fields), |p: Pod| Some(lean_pod(p)))
                        .await
                })
                .buffered(CONCURRENCY)
                .try_collect()
                .await?;
            lists.into_iter().flatten().collect()
        };
        Ok(NodePods {
            pods,
            nodes: nodes.clone(),
        })
    }

    /// DaemonSet (namespace, name) pairs in `namespace` and cluster-wide, sorted, to suggest a close name
    /// when the one asked for does not exist. Best effort: whatever cannot be listed is simply left out.
    pub async fn daemonset_names(&self, namespace: &str) -> Vec<(String, String)> {
        let names = |ns: Option<String>| async move {
            let api: Api<DaemonSet> = match &ns {
                Some(ns) => Api::namespaced(self.client.clone(), ns),
                None => Api::all(self.client.clone()),
            };
            let mut out = Vec::new();
            let mut lp = ListParams::default().limit(PAGE_SIZE);
            // Metadata only: names are all we need, and specs of many DaemonSets are large.
            while let Ok(Ok(page)) = self.timed_raw(api.list_metadata(&lp)).await {
                out.extend(
                    page.items
                        .into_iter()
                        .filter_map(|m| Some((m.metadata.namespace?, m.metadata.name?))),
                );
                match page.metadata.continue_.filter(|c| !c.is_empty()) {
                    Some(token) => lp = lp.continue_token(&token),
                    None => break,
                }
            }
            out
        };
        let local = select::is_dns_label(namespace).then(|| namespace.to_string());
        let (mut a, b) = tokio::join!(
            async {
                match local {
                    Some(ns) => names(Some(ns)).await,
                    None => Vec::new(),
                }
            },
            names(None)
        );
        a.extend(b);
        a.sort();
        a.dedup();
        a
    }

    /// `list_nodes` on its own task: parsing nodes is as much work as parsing the pods, and on a task of
    /// its own it runs on another core while the caller parses those. Dropping the future cancels it.
    async fn list_nodes_apart(&self) -> Result<Vec<Node>, LiveError> {
        let live = self.clone();
        joined(tokio::spawn(async move { live.list_nodes().await })).await
    }

    async fn list_nodes(&self) -> Result<Vec<Node>, LiveError> {
        let req = Req {
            verb: "list",
            resource: "nodes",
            namespace: None,
            name: None,
        };
        self.list_all(&req, None, None, |n: Node| Some(lean_node(n)))
            .await
    }

    async fn list_daemonsets(
        &self,
        namespace: Option<&str>,
        labels: Option<&str>,
    ) -> Result<Vec<DaemonSet>, LiveError> {
        let req = Req {
            verb: "list",
            resource: "daemonsets",
            namespace,
            name: None,
        };
        self.list_all(&req, labels, None, Some).await
    }

    /// The pods the DaemonSets (uids `uids`) may claim: the ones they control and the orphans their
    /// selectors match, read by selector LISTs `CONCURRENCY` at a time, or one wide LIST of the scope.
    // A pod a DaemonSet controls whose labels no longer match is released by the controller
    // (cluster.rs, released_pods): selector LISTs do not return it, the wide LIST does.
    async fn list_daemon_pods(
        &self,
        namespace: Option<&str>,
        daemonsets: &[DaemonSet],
        uids: &HashSet<String>,
    ) -> Result<Vec<Pod>, LiveError> {
        match plan::daemon_pod_lists(daemonsets) {
            DaemonPodLists::BySelector(lists) => {
                tracing::info!(
                    "pods of {} daemonset(s): {} selector LIST(s), {CONCURRENCY} at a time",
                    daemonsets.len(),
                    lists.len()
                );
                let uids = Arc::new(uids.clone());
                let pages: Vec<Vec<Pod>> = stream::iter(lists)
                    .map(|(ns, selector)| {
                        let (live, uids) = (self.clone(), Arc::clone(&uids));
                        // Each LIST on its own task, so their pages are parsed on every core.
                        joined(tokio::spawn(async move {
                            // Every pod in a selector LIST matches it: an orphan among them is adopted.
                            live.list_pods(Some(&ns), Some(&selector), None, |p: Pod| {
                                let claimable =
                                    controlled_by(&p.metadata, &uids) || is_orphan(&p.metadata);
                                claimable.then(|| lean_pod(p))
                            })
                            .await
                        }))
                    })
                    .buffered(CONCURRENCY)
                    .try_collect()
                    .await?;
                // Sized once: growing by doubling would hold up to twice the pods while copying.
                let total = pages.iter().map(Vec::len).sum();
                let mut pods = Vec::with_capacity(total);
                // Overlapping selectors return a pod more than once.
                let mut seen = HashSet::with_capacity(total);
                for pod in pages.into_iter().flatten() {
                    if seen.insert(pod_key(&pod)) {
                        pods.push(pod);
                    }
                }
                Ok(pods)
            }
            DaemonPodLists::Wide(why) => {
                tracing::info!(
                    "pods of {} daemonset(s): one LIST of every pod, as {why}",
                    daemonsets.len()
                );
                self.list_pods(namespace, None, None, |p: Pod| {
                    let adopted = || {
                        is_orphan(&p.metadata)
                            && daemonsets.iter().any(|d| {
                                d.metadata.namespace == p.metadata.namespace
                                    && !selects_everything(&d.spec.selector)
                                    && selector_matches(
                                        Some(&d.spec.selector),
                                        p.metadata.labels.as_ref(),
                                    )
                            })
                    };
                    (controlled_by(&p.metadata, uids) || adopted()).then(|| lean_pod(p))
                })
                .await
            }
        }
    }

    async fn list_pods(
        &self,
        namespace: Option<&str>,
        labels: Option<&str>,
        fields: Option<&str>,
        keep: impl FnMut(Pod) -> Option<Pod>,
    ) -> Result<Vec<Pod>, LiveError> {
        let req = Req {
            verb: "list",
            resource: "pods",
            namespace,
            name: None,
        };
        self.list_all(&req, labels, fields, keep).await
    }

    async fn list_revisions(
        &self,
        namespace: Option<&str>,
        labels: Option<&str>,
        keep: impl FnMut(ControllerRevision) -> Option<ControllerRevision>,
    ) -> Result<Vec<ControllerRevision>, LiveError> {
        let req = Req {
            verb: "list",
            resource: "controllerrevisions",
            namespace,
            name: None,
        };
        self.list_all(&req, labels, None, keep).await
    }

    /// Runs one request under `--request-timeout`; `err` names the request when it runs out.
    async fn timed<T>(
        &self,
        fut: impl Future<Output = Result<T, kube::Error>>,
    ) -> Result<T, TimedError> {
        match self.timed_raw(fut).await {
            Ok(result) => result.map_err(TimedError::Kube),
            Err(_) => Err(TimedError::Elapsed),
        }
    }

    async fn timed_raw<T>(
        &self,
        fut: impl Future<Output = Result<T, kube::Error>>,
    ) -> Result<Result<T, kube::Error>, tokio::time::error::Elapsed> {
        match self.request_timeout {
            Some(t) => tokio::time::timeout(t, fut).await,
            None => Ok(fut.await),
        }
    }

    fn err(&self, e: TimedError, req: &Req<'_>) -> LiveError {
        match e {
            TimedError::Kube(e) => error::from_kube(e, req, &self.target),
            TimedError::Elapsed => error::timed_out(req, &self.target),
        }
    }
}

/// A request either failed in kube, or ran out of `--request-timeout`.
enum TimedError {
    Kube(kube::Error),
    Elapsed,
}

/// The object's controller reference (ownerReference with controller=true) points at one of `uids`.
// Mirrors k8s.io/apimachinery/pkg/apis/meta/v1/controller_ref.go (GetControllerOf): only the controller
// reference counts, as the DaemonSet controller claims pods and histories by it.
fn controlled_by(meta: &ObjectMeta, uids: &HashSet<String>) -> bool {
    meta.owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))
        .is_some_and(|o| uids.contains(&o.uid))
}

/// No controller reference at all: a DaemonSet whose selector matches adopts the pod.
// Mirrors pkg/controller/controller_ref_manager.go (ClaimObject: "It's an orphan")
fn is_orphan(meta: &ObjectMeta) -> bool {
    controller_ref(meta).is_none()
}

fn pod_key(p: &Pod) -> (String, String, String) {
    (
        p.metadata.uid.clone().unwrap_or_default(),
        p.metadata.namespace.clone().unwrap_or_default(),
        p.metadata.name.clone().unwrap_or_default(),
    )
}

/// The output of a spawned task; dropping the future before it ends cancels the task.
async fn joined<T>(task: tokio::task::JoinHandle<T>) -> T {
    let mut task = AbortOnDrop(task);
    match (&mut task.0).await {
        Ok(out) => out,
        // Only a bug panics here; surface it rather than turn it into an API error.
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// A spawned task that is cancelled when its handle is dropped (the answer no longer needs it).
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Pods read for some nodes (`Live::read_node_pods`), to be merged into the snapshot they were read for.
pub struct NodePods {
    pods: Vec<Pod>,
    nodes: BTreeSet<String>,
}

impl NodePods {
    /// Adds the pods not already held and records that these nodes' pod lists are now complete.
    pub fn merge_into(self, snapshot: &mut Snapshot) {
        let mut seen: HashSet<(String, String, String)> =
            snapshot.pods.iter().map(pod_key).collect();
        for pod in self.pods {
            if seen.insert(pod_key(&pod)) {
                snapshot.pods.push(pod);
            }
        }
        let mut covered = match std::mem::replace(&mut snapshot.node_pods, NodePodsCoverage::All) {
            NodePodsCoverage::Nodes(set) => set,
            NodePodsCoverage::All => BTreeSet::new(),
        };
        covered.extend(self.nodes);
        snapshot.node_pods = NodePodsCoverage::Nodes(covered);
    }
}

/// Events read for a snapshot (`Live::read_events`), and why none could be read, if so.
pub struct FollowUpEvents {
    records: Vec<EventRecord>,
    unavailable: Option<String>,
}

impl FollowUpEvents {
    pub fn merge_into(mut self, snapshot: &mut Snapshot) {
        if snapshot.events_unavailable.is_none() {
            snapshot.events_unavailable = self.unavailable;
        }
        snapshot.events.append(&mut self.records);
        dedup(&mut snapshot.events);
    }
}

/// Each object's uid by namespace and name; the first object wins, as a scan in order would find it.
fn uid_index<'a>(
    metas: impl Iterator<Item = &'a ObjectMeta>,
) -> HashMap<(&'a str, &'a str), &'a str> {
    let mut index = HashMap::new();
    for m in metas {
        if let (Some(ns), Some(name), Some(uid)) = (&m.namespace, &m.name, &m.uid) {
            index
                .entry((ns.as_str(), name.as_str()))
                .or_insert(uid.as_str());
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn meta(owners: serde_json::Value) -> ObjectMeta {
        serde_json::from_value(json!({"name": "p", "ownerReferences": owners})).unwrap()
    }

    #[test]
    fn controlled_by_counts_only_the_controller_reference() {
        let uids: HashSet<String> = ["ds-uid".to_string()].into_iter().collect();
        let cases = [
            (
                "controller reference to the DaemonSet",
                json!([{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "d", "uid": "ds-uid", "controller": true}]),
                true,
            ),
            (
                "non-controller owner reference to the DaemonSet is not enough",
                json!([{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "d", "uid": "ds-uid"}]),
                false,
            ),
            (
                "controller reference to another DaemonSet of the same name",
                json!([{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "d", "uid": "old-uid", "controller": true}]),
                false,
            ),
            ("no owners (orphan)", json!(null), false),
        ];
        for (name, owners, want) in cases {
            assert_eq!(controlled_by(&meta(owners), &uids), want, "{name}");
        }
    }
}
