//! Normalises core/v1 and events.k8s.io/v1 Events into `EventRecord`s; both sources use it.
//! The two APIs are views of the same stored objects, so a dump holding both is de-duplicated by uid.

use std::collections::HashSet;

use k8s_openapi::api::core::v1::Event as CoreEvent;
use k8s_openapi::api::events::v1::Event as EventsV1Event;

use crate::snapshot::EventRecord;

/// From a core/v1 Event (what the DaemonSet controller and kubelet write, and what `kubectl get events` shows).
pub fn from_core(ev: &CoreEvent) -> EventRecord {
    let obj = &ev.involved_object;
    // Newest first: a series' last observation, then lastTimestamp, then eventTime (set by events.k8s.io writers).
    let last_seen = ev
        .series
        .as_ref()
        .and_then(|s| s.last_observed_time.as_ref().map(|t| t.0))
        .or_else(|| ev.last_timestamp.as_ref().map(|t| t.0))
        .or_else(|| ev.event_time.as_ref().map(|t| t.0))
        .or_else(|| ev.first_timestamp.as_ref().map(|t| t.0))
        .or_else(|| ev.metadata.creation_timestamp.as_ref().map(|t| t.0));
    let count = ev
        .series
        .as_ref()
        .and_then(|s| s.count)
        .or(ev.count)
        .unwrap_or(1);
    let source = ev
        .reporting_component
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| ev.source.as_ref().and_then(|s| s.component.clone()))
        .unwrap_or_default();
    EventRecord {
        uid: ev.metadata.uid.clone(),
        namespace: obj
            .namespace
            .clone()
            .or_else(|| ev.metadata.namespace.clone())
            .unwrap_or_default(),
        object_kind: obj.kind.clone().unwrap_or_default(),
        object_name: obj.name.clone().unwrap_or_default(),
        object_uid: obj.uid.clone(),
        reason: ev.reason.clone().unwrap_or_default(),
        message: ev.message.clone().unwrap_or_default(),
        type_: ev.type_.clone().unwrap_or_else(|| "Normal".into()),
        source,
        count,
        last_seen,
    }
}

/// From an events.k8s.io/v1 Event (what the scheduler writes).
pub fn from_events_v1(ev: &EventsV1Event) -> EventRecord {
    let obj = ev.regarding.clone().unwrap_or_default();
    let last_seen = ev
        .series
        .as_ref()
        .map(|s| s.last_observed_time.0)
        .or_else(|| ev.deprecated_last_timestamp.as_ref().map(|t| t.0))
        .or_else(|| ev.event_time.as_ref().map(|t| t.0))
        .or_else(|| ev.deprecated_first_timestamp.as_ref().map(|t| t.0))
        .or_else(|| ev.metadata.creation_timestamp.as_ref().map(|t| t.0));
    let count = ev
        .series
        .as_ref()
        .map(|s| s.count)
        .or(ev.deprecated_count)
        .unwrap_or(1);
    let source = ev
        .reporting_controller
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| {
            ev.deprecated_source
                .as_ref()
                .and_then(|s| s.component.clone())
        })
        .unwrap_or_default();
    EventRecord {
        uid: ev.metadata.uid.clone(),
        namespace: obj
            .namespace
            .clone()
            .or_else(|| ev.metadata.namespace.clone())
            .unwrap_or_default(),
        object_kind: obj.kind.unwrap_or_default(),
        object_name: obj.name.unwrap_or_default(),
        object_uid: obj.uid,
        reason: ev.reason.clone().unwrap_or_default(),
        message: ev.note.clone().unwrap_or_default(),
        type_: ev.type_.clone().unwrap_or_else(|| "Normal".into()),
        source,
        count,
        last_seen,
    }
}

/// Drops events seen twice (same uid), keeping the first.
pub fn dedup(events: &mut Vec<EventRecord>) {
    let mut seen = HashSet::new();
    events.retain(|e| match &e.uid {
        Some(uid) => seen.insert(uid.clone()),
        None => true,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn core_and_events_v1_views_of_one_scheduler_event_agree() {
        let core: CoreEvent = serde_json::from_value(json!({
            "metadata": {"name": "p.1", "namespace": "ns", "uid": "u1"},
            "involvedObject": {"kind": "Pod", "namespace": "ns", "name": "p", "uid": "pu"},
            "reason": "FailedScheduling", "message": "0/3 nodes are available",
            "type": "Warning", "source": {}, "eventTime": "2026-11-23T11:46:56.168301Z",
            "reportingComponent": "default-scheduler"
        }))
        .unwrap();
        let v1: EventsV1Event = serde_json::from_value(json!({
            "metadata": {"name": "p.1", "namespace": "ns", "uid": "u1"},
            "regarding": {"kind": "Pod", "namespace": "ns", "name": "p", "uid": "pu"},
            "reason": "FailedScheduling", "note": "0/3 nodes are available",
            "type": "Warning", "eventTime": "2026-11-23T11:46:56.168301Z",
            "reportingController": "default-scheduler"
        }))
        .unwrap();
        let (a, b) = (from_core(&core), from_events_v1(&v1));
        assert_eq!(a, b);
        assert_eq!(a.source, "default-scheduler");
        assert_eq!(a.count, 1);
        let mut both = vec![a, b];
        dedup(&mut both);
        assert_eq!(both.len(), 1, "same uid must collapse");
    }

    #[test]
    fn core_event_count_and_last_timestamp_are_read() {
        let core: CoreEvent = serde_json::from_value(json!({
            "metadata": {"name": "ds.1", "namespace": "q", "uid": "u2"},
            "involvedObject": {"kind": "DaemonSet", "namespace": "q", "name": "agent"},
            "reason": "FailedCreate", "message": "Error creating: quota",
            "type": "Warning", "source": {"component": "daemonset-controller"},
            "count": 7, "firstTimestamp": "2026-11-23T11:00:00Z", "lastTimestamp": "2026-11-23T11:30:00Z"
        }))
        .unwrap();
        let e = from_core(&core);
        assert_eq!(e.count, 7);
        assert_eq!(e.source, "daemonset-controller");
        assert_eq!(e.last_seen.unwrap().to_string(), "2026-11-23T11:30:00Z");
    }
}
