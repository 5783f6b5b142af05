//! The store a watch keeps: per watch stream, the objects it currently holds, updated from the watcher's
//! events (a relist replaces a stream's objects whole), from which a `Snapshot` is rebuilt to judge again.
//! Bounded: deleted objects leave, events about pods nobody follows are dropped and each event stream is
//! capped. No I/O, no clock (`now` is passed in).

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};
use k8s_openapi::api::core::v1::Node;
use kube::runtime::watcher;

use crate::snapshot::pod::Pod;
use crate::snapshot::{EventRecord, NodePodsCoverage, Snapshot};
use crate::source::events::dedup;

/// At most this many events per event stream: the oldest (by last seen) go first.
pub const MAX_EVENTS: usize = 5_000;
/// An event about a pod no stream holds is kept this long, for the pod's own ADDED to arrive.
pub const ORPHAN_EVENT_GRACE: Duration = Duration::from_secs(60);

/// One object a stream holds, trimmed as the LISTs trim it.
#[derive(Debug, Clone)]
pub enum Object {
    Node(Box<Node>),
    DaemonSet(Box<DaemonSet>),
    Pod(Box<Pod>),
    Revision(Box<ControllerRevision>),
    Event(Box<EventRecord>),
}

/// An object with its key in its stream; `object` None means the stream no longer holds it (deleted, or
/// no longer selected: a pod released by its DaemonSet, an orphan adopted by another).
#[derive(Debug, Clone)]
pub struct Keyed {
    pub key: String,
    pub object: Option<Object>,
}

/// What a stream follows, for how its objects enter the Snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamKind {
    Nodes,
    DaemonSets,
    DaemonPods,
    Revisions,
    NodePods,
    Events,
}

#[derive(Debug)]
struct Stream {
    what: String,
    kind: StreamKind,
    objects: BTreeMap<String, Object>,
    /// When each object was last applied (events only: how long one about an unknown pod stays).
    arrived: BTreeMap<String, Instant>,
    /// Objects of a relist in progress (between Init and InitDone).
    relist: Option<BTreeMap<String, Object>>,
    /// Listed at least once.
    synced: bool,
    /// Stopped for good (events that may not be read); holds nothing.
    stopped: bool,
}

/// Every stream's objects, and what the first answer knew that no stream follows.
#[derive(Debug)]
pub struct Reflector {
    streams: Vec<Stream>,
    node_pods: NodePodsCoverage,
    events_unavailable: Option<String>,
}

impl Reflector {
    pub fn new(node_pods: NodePodsCoverage, events_unavailable: Option<String>) -> Reflector {
        Reflector {
            streams: Vec::new(),
            node_pods,
            events_unavailable,
        }
    }

    /// Registers stream number `self.len()`.
    pub fn add_stream(&mut self, what: String, kind: StreamKind) {
        self.streams.push(Stream {
            what,
            kind,
            objects: BTreeMap::new(),
            arrived: BTreeMap::new(),
            relist: None,
            synced: false,
            stopped: false,
        });
    }

    /// What stream `id` follows, in words (`pods -l app=x in logging`).
    pub fn what(&self, id: usize) -> &str {
        self.streams.get(id).map_or("", |s| s.what.as_str())
    }

    pub fn kind(&self, id: usize) -> Option<StreamKind> {
        self.streams.get(id).map(|s| s.kind)
    }

    /// Every stream has listed once (or was stopped): the store is a whole picture.
    pub fn synced(&self) -> bool {
        self.streams.iter().all(|s| s.synced || s.stopped)
    }

    /// Applies one watcher event of stream `id`; true when what the stream holds may have changed.
    pub fn apply(&mut self, id: usize, event: watcher::Event<Keyed>, now: Instant) -> bool {
        let Some(s) = self.streams.get_mut(id).filter(|s| !s.stopped) else {
            return false;
        };
        match event {
            watcher::Event::Init => {
                s.relist = Some(BTreeMap::new());
                false
            }
            watcher::Event::InitApply(k) => {
                if let (Some(relist), Some(o)) = (s.relist.as_mut(), k.object) {
                    relist.insert(k.key, o);
                }
                false
            }
            watcher::Event::InitDone => {
                s.objects = s.relist.take().unwrap_or_default();
                s.arrived = s.objects.keys().map(|k| (k.clone(), now)).collect();
                s.synced = true;
                true
            }
            watcher::Event::Apply(k) | watcher::Event::Delete(k) => {
                match k.object {
                    Some(o) => {
                        s.arrived.insert(k.key.clone(), now);
                        s.objects.insert(k.key, o);
                        if s.kind == StreamKind::Events && s.objects.len() > MAX_EVENTS {
                            evict_oldest_event(s);
                        }
                    }
                    None => {
                        s.arrived.remove(&k.key);
                        s.objects.remove(&k.key);
                    }
                }
                true
            }
        }
    }

    /// Stops stream `id` for good (its objects are dropped); `why` says so in the report, for events.
    pub fn stop(&mut self, id: usize, why: String) {
        if let Some(s) = self.streams.get_mut(id) {
            s.stopped = true;
            s.objects.clear();
            s.arrived.clear();
            s.relist = None;
            if s.kind == StreamKind::Events && self.events_unavailable.is_none() {
                self.events_unavailable = Some(why);
            }
        }
    }

    /// Drops events about pods that no stream holds once they are older than the grace period: the
    /// event streams watch every pod event of a namespace, and only those about followed pods matter.
    pub fn prune(&mut self, now: Instant) {
        let pods: HashSet<(String, String)> = self
            .streams
            .iter()
            .flat_map(|s| s.objects.values())
            .filter_map(|o| match o {
                Object::Pod(p) => Some((
                    p.metadata.namespace.clone().unwrap_or_default(),
                    p.metadata.name.clone().unwrap_or_default(),
                )),
                _ => None,
            })
            .collect();
        for s in self
            .streams
            .iter_mut()
            .filter(|s| s.kind == StreamKind::Events)
        {
            let stale: Vec<String> =
                s.objects
                    .iter()
                    .filter(|(key, o)| {
                        let Object::Event(e) = o else { return false };
                        let about_unknown_pod = e.object_kind == "Pod"
                            && !pods.contains(&(e.namespace.clone(), e.object_name.clone()));
                        let old = s.arrived.get(*key).is_none_or(|t| {
                            now.saturating_duration_since(*t) >= ORPHAN_EVENT_GRACE
                        });
                        about_unknown_pod && old
                    })
                    .map(|(k, _)| k.clone())
                    .collect();
            for key in stale {
                s.objects.remove(&key);
                s.arrived.remove(&key);
            }
        }
    }

    /// How many objects the store holds (for -v logs and tests).
    pub fn len(&self) -> usize {
        self.streams.iter().map(|s| s.objects.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The Snapshot the store holds now, as the LISTs would have built it: a pod held by two streams
    /// once, events about an earlier object of the same name left out.
    pub fn snapshot(&self) -> Snapshot {
        let mut snap = Snapshot {
            node_pods: self.node_pods.clone(),
            events_unavailable: self.events_unavailable.clone(),
            ..Snapshot::default()
        };
        let mut pods_seen = HashSet::new();
        for s in &self.streams {
            for o in s.objects.values() {
                match o {
                    Object::Node(n) => snap.nodes.push((**n).clone()),
                    Object::DaemonSet(d) => snap.daemonsets.push((**d).clone()),
                    Object::Pod(p) => {
                        let key = (p.metadata.namespace.clone(), p.metadata.name.clone());
                        if pods_seen.insert(key) {
                            snap.pods.push((**p).clone());
                        }
                    }
                    Object::Revision(r) => snap.revisions.push((**r).clone()),
                    Object::Event(e) => snap.events.push((**e).clone()),
                }
            }
        }
        let uid_of = |kind: &str, ns: &str, name: &str| -> Option<Option<String>> {
            let same = |m: &k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta| {
                m.namespace.as_deref() == Some(ns) && m.name.as_deref() == Some(name)
            };
            match kind {
                "DaemonSet" => snap
                    .daemonsets
                    .iter()
                    .find(|d| same(&d.metadata))
                    .map(|d| d.metadata.uid.clone()),
                "Pod" => snap
                    .pods
                    .iter()
                    .find(|p| same(&p.metadata))
                    .map(|p| p.metadata.uid.clone()),
                _ => None,
            }
        };
        let events = std::mem::take(&mut snap.events);
        snap.events = events
            .into_iter()
            .filter(|e| {
                match (
                    &e.object_uid,
                    uid_of(&e.object_kind, &e.namespace, &e.object_name),
                ) {
                    (Some(event_uid), Some(Some(current))) => *event_uid == current,
                    _ => true,
                }
            })
            .collect();
        dedup(&mut snap.events);
        snap
    }
}

fn evict_oldest_event(s: &mut Stream) {
    let oldest = s
        .objects
        .iter()
        .min_by_key(|(_, o)| match o {
            Object::Event(e) => e.last_seen,
            _ => None,
        })
        .map(|(k, _)| k.clone());
    if let Some(k) = oldest {
        s.objects.remove(&k);
        s.arrived.remove(&k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(name: &str) -> Keyed {
        Keyed {
            key: format!("/{name}"),
            object: Some(Object::Node(
                serde_json::from_value(json!({"metadata": {"name": name}})).unwrap(),
            )),
        }
    }

    fn gone(name: &str) -> Keyed {
        Keyed {
            key: format!("/{name}"),
            object: None,
        }
    }

    fn pod(name: &str) -> Keyed {
        Keyed {
            key: format!("ns/{name}"),
            object: Some(Object::Pod(Box::new(
                serde_json::from_value(json!({"metadata": {"namespace": "ns", "name": name}}))
                    .unwrap(),
            ))),
        }
    }

    fn event(uid: &str, pod: &str, last_seen: &str) -> Keyed {
        Keyed {
            key: uid.into(),
            object: Some(Object::Event(Box::new(EventRecord {
                uid: Some(uid.into()),
                namespace: "ns".into(),
                object_kind: "Pod".into(),
                object_name: pod.into(),
                object_uid: None,
                reason: "BackOff".into(),
                message: "m".into(),
                type_: "Warning".into(),
                source: "kubelet".into(),
                count: 1,
                last_seen: Some(last_seen.parse().unwrap()),
            }))),
        }
    }

    fn names(r: &Reflector) -> Vec<String> {
        r.snapshot()
            .nodes
            .iter()
            .map(|n| n.metadata.name.clone().unwrap())
            .collect()
    }

    fn listed(r: &mut Reflector, id: usize, objects: Vec<Keyed>, now: Instant) {
        r.apply(id, watcher::Event::Init, now);
        for o in objects {
            r.apply(id, watcher::Event::InitApply(o), now);
        }
        r.apply(id, watcher::Event::InitDone, now);
    }

    #[test]
    fn added_modified_deleted_follow_the_stream() {
        let now = Instant::now();
        let mut r = Reflector::new(NodePodsCoverage::All, None);
        r.add_stream("nodes".into(), StreamKind::Nodes);
        assert!(!r.synced(), "nothing listed yet");
        listed(&mut r, 0, vec![node("a"), node("b")], now);
        assert!(r.synced());
        r.apply(0, watcher::Event::Apply(node("c")), now);
        r.apply(0, watcher::Event::Apply(node("a")), now);
        r.apply(0, watcher::Event::Delete(gone("b")), now);
        assert_eq!(names(&r), ["a", "c"]);
        // An object the stream no longer selects leaves like a deleted one.
        r.apply(0, watcher::Event::Apply(gone("c")), now);
        assert_eq!(names(&r), ["a"]);
    }

    #[test]
    fn a_relist_replaces_the_stream_whole_only_when_done() {
        let now = Instant::now();
        let mut r = Reflector::new(NodePodsCoverage::All, None);
        r.add_stream("nodes".into(), StreamKind::Nodes);
        listed(&mut r, 0, vec![node("a"), node("b")], now);
        r.apply(0, watcher::Event::Init, now);
        r.apply(0, watcher::Event::InitApply(node("c")), now);
        assert_eq!(names(&r), ["a", "b"], "mid-relist the old picture stands");
        r.apply(0, watcher::Event::InitDone, now);
        assert_eq!(names(&r), ["c"]);
    }

    #[test]
    fn a_pod_held_by_two_streams_is_judged_once() {
        let now = Instant::now();
        let mut r = Reflector::new(NodePodsCoverage::All, None);
        r.add_stream("daemon pods".into(), StreamKind::DaemonPods);
        r.add_stream("pods on n".into(), StreamKind::NodePods);
        listed(&mut r, 0, vec![pod("p")], now);
        listed(&mut r, 1, vec![pod("p"), pod("q")], now);
        assert_eq!(r.snapshot().pods.len(), 2);
    }

    #[test]
    fn events_about_pods_nobody_follows_are_dropped_after_the_grace() {
        let start = Instant::now();
        let mut r = Reflector::new(NodePodsCoverage::All, None);
        r.add_stream("pods".into(), StreamKind::DaemonPods);
        r.add_stream("events".into(), StreamKind::Events);
        listed(&mut r, 0, vec![pod("p")], start);
        listed(
            &mut r,
            1,
            vec![
                event("e1", "p", "2026-01-01T00:00:00Z"),
                event("e2", "other", "2026-01-01T00:00:00Z"),
            ],
            start,
        );
        r.prune(start + Duration::from_secs(1));
        assert_eq!(r.snapshot().events.len(), 2, "within the grace both stay");
        r.prune(start + ORPHAN_EVENT_GRACE);
        let events = r.snapshot().events;
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].object_name, "p");
    }

    #[test]
    fn an_event_stream_is_capped_oldest_first() {
        let now = Instant::now();
        let mut r = Reflector::new(NodePodsCoverage::All, None);
        r.add_stream("events".into(), StreamKind::Events);
        listed(&mut r, 0, vec![], now);
        for i in 0..=MAX_EVENTS {
            let minute = i % 60;
            let hour = i / 60 % 24;
            let day = i / 1440 + 1;
            let t = format!("2026-01-{day:02}T{hour:02}:{minute:02}:00Z");
            r.apply(
                0,
                watcher::Event::Apply(event(&format!("e{i}"), "p", &t)),
                now,
            );
        }
        let events = r.snapshot().events;
        assert_eq!(events.len(), MAX_EVENTS);
        assert!(events.iter().all(|e| e.uid.as_deref() != Some("e0")));
    }

    #[test]
    fn a_stopped_event_stream_says_why_events_are_missing() {
        let now = Instant::now();
        let mut r = Reflector::new(NodePodsCoverage::All, None);
        r.add_stream("events".into(), StreamKind::Events);
        listed(
            &mut r,
            0,
            vec![event("e1", "p", "2026-01-01T00:00:00Z")],
            now,
        );
        r.stop(0, "forbidden".into());
        let snap = r.snapshot();
        assert!(snap.events.is_empty());
        assert_eq!(snap.events_unavailable.as_deref(), Some("forbidden"));
        assert!(r.synced());
    }
}
