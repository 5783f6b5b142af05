//! Fixtures for the node_affinity tests: nodes with labels, a required nodeAffinity from its
//! terms, and requirements written as upstream's tests write them. Test-only.

use k8s_openapi::api::core::v1::{Affinity, Node};
use serde_json::{Value, json};

pub(super) fn node(name: &str, labels: Value) -> Node {
    serde_json::from_value(json!({"metadata": {"name": name, "labels": labels}})).unwrap()
}

pub(super) fn affinity(terms: Value) -> Affinity {
    serde_json::from_value(json!({"nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}
    }}))
    .unwrap()
}

pub(super) fn expr(key: &str, op: &str, values: &[&str]) -> Value {
    json!({"key": key, "operator": op, "values": values})
}

pub(super) fn name_field(op: &str, values: &[&str]) -> Value {
    json!({"key": "metadata.name", "operator": op, "values": values})
}
