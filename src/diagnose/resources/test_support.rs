//! Fixtures for the resource tests: pod specs, pods and nodes from JSON, containers with requests,
//! expected resource lists, and the node of upstream's fit_test.go. Test-only.

use k8s_openapi::api::core::v1::Node;
use serde_json::{Value, json};

use super::ResourceList;
use crate::report::Finding;
use crate::snapshot::pod::{Pod, PodSpec};

pub(super) fn spec(v: Value) -> PodSpec {
    serde_json::from_value(v).expect("test pod spec")
}

pub(super) fn pod(v: Value) -> Pod {
    serde_json::from_value(v).expect("test pod")
}

pub(super) fn node(allocatable: Value) -> Node {
    serde_json::from_value(json!({
        "metadata": {"name": "n1"},
        "status": {"allocatable": allocatable, "capacity": allocatable}
    }))
    .expect("test node")
}

/// A container named `name` with the given requests.
pub(super) fn c(name: &str, requests: Value) -> Value {
    json!({"name": name, "image": "i", "resources": {"requests": requests}})
}

pub(super) fn rl(pairs: &[(&str, i128)]) -> ResourceList {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// The node of upstream fit_test.go TestEnoughRequests: 10m cpu, 20 bytes, 32 pods,
/// 5 example.com/aaa, 20 bytes ephemeral-storage, 5 hugepages-2Mi.
pub(super) fn fit_node() -> Node {
    node(
        json!({"cpu": "10m", "memory": "20", "pods": "32", "example.com/aaa": "5", "ephemeral-storage": "20", "hugepages-2Mi": "5"}),
    )
}

pub(super) fn bound(containers: Value) -> Pod {
    pod(
        json!({"metadata": {"name": "existing", "namespace": "ns"}, "spec": {"nodeName": "n1", "containers": containers}}),
    )
}

pub(super) fn insufficient(
    resource: &str,
    requested: &str,
    allocatable: &str,
    already: &str,
    pods: usize,
) -> Finding {
    Finding::InsufficientResource {
        resource: resource.to_string(),
        requested: requested.to_string(),
        allocatable: allocatable.to_string(),
        already_requested: already.to_string(),
        pods_on_node: pods,
    }
}
