//! Fixtures for the eligibility tests: a DaemonSet from its pod template, nodes with taints, and
//! the finding an untolerated taint gives, from its kubectl spelling. Test-only.

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::Node;
use serde_json::{Value, json};

use crate::report::Finding;

pub(super) fn ds(spec: Value) -> DaemonSet {
    let mut spec = spec;
    if spec.get("containers").is_none() {
        spec["containers"] = json!([{"name": "c", "image": "i"}]);
    }
    serde_json::from_value(json!({
        "metadata": {"name": "ds", "namespace": "default"},
        "spec": {"selector": {"matchLabels": {"app": "ds"}},
                 "template": {"metadata": {"labels": {"app": "ds"}}, "spec": spec}}
    }))
    .unwrap()
}

pub(super) fn node(v: Value) -> Node {
    let mut v = v;
    if v.get("metadata").is_none() {
        v["metadata"] = json!({"name": "test-node", "labels": {"name": "simple-daemon"}});
    }
    serde_json::from_value(v).unwrap()
}

pub(super) fn taints(t: Value) -> Node {
    node(json!({"spec": {"taints": t}}))
}

pub(super) fn taint_reason(t: &str) -> Finding {
    let (kv, effect) = t.rsplit_once(':').unwrap();
    let (key, value) = match kv.split_once('=') {
        Some((k, v)) => (k, Some(v.to_owned())),
        None => (kv, None),
    };
    Finding::UntoleratedTaint {
        key: key.to_owned(),
        value,
        effect: effect.to_owned(),
        taint: t.to_owned(),
    }
}
