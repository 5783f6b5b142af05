//! The scheduler's resource fit (NodeResourcesFit filter): what a pod requests, what a node offers,
//! which pods count against it, and when the scheduler says "Too many pods" / "Insufficient <resource>".
//! Also validates every quantity the fit reads, so bad input is a clear error and not a wrong number.
//! Pure: no I/O, no clock. After validation a quantity that still fails to parse counts as 0 (no panics).
//! What a pod requests lives in `requests`, the fit itself in `fit`, the scheduler's resource
//! names in `names`, the sentences in `reason`, and input checks in `validate`; this module holds
//! the resource lists they share and what a node offers.

mod fit;
mod names;
mod reason;
mod requests;
mod validate;

#[cfg(test)]
mod test_support;

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Node;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use crate::diagnose::quantity::{self, Amount, scheduler_units};
use crate::snapshot::pod::Pod;

pub use fit::{fit, requests_on_node};
pub use reason::reason_text;
pub use requests::pod_requests;
pub use validate::{InvalidQuantity, validate_node, validate_pod};

/// Resource name -> value in scheduler units (cpu in millicores, everything else in whole units).
pub type ResourceList = BTreeMap<String, i128>;

/// Resource name -> exact amount. Upstream sums and compares Quantities exactly and converts to
/// integers only at the end, so rounding must wait until a pod's total is known.
type ExactList = BTreeMap<String, Amount>;
type RawList = BTreeMap<String, Quantity>;

const CPU: &str = "cpu";
const MEMORY: &str = "memory";
const EPHEMERAL_STORAGE: &str = "ephemeral-storage";
const PODS: &str = "pods";
const HUGEPAGES_PREFIX: &str = "hugepages-";

fn amount(q: &Quantity) -> Amount {
    // Inputs are validated up front (validate_pod / validate_node); anything left over counts as 0.
    quantity::parse(&q.0).unwrap_or_default()
}

fn exact(list: Option<&RawList>) -> ExactList {
    list.into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), amount(v)))
        .collect()
}

// Mirrors k8s.io/component-helpers/resource/helpers.go (addResourceList).
fn add_list(list: &mut ExactList, new: &ExactList) {
    for (name, v) in new {
        let slot = list.entry(name.clone()).or_default();
        *slot = slot.saturating_add(*v);
    }
}

// Mirrors k8s.io/component-helpers/resource/helpers.go (maxResourceList).
fn max_list(list: &mut ExactList, new: &ExactList) {
    for (name, v) in new {
        match list.get_mut(name) {
            Some(existing) if *v <= *existing => {}
            Some(existing) => *existing = *v,
            None => {
                list.insert(name.clone(), *v);
            }
        }
    }
}

// Mirrors k8s.io/component-helpers/resource/helpers.go (max).
fn max_of(first: &ExactList, rest: &[&ExactList]) -> ExactList {
    let mut result = first.clone();
    for other in rest {
        max_list(&mut result, other);
    }
    result
}

// Mirrors k8s.io/component-helpers/resource/helpers.go (subtractResourceList): clamps at zero.
fn subtract_list(list: &mut ExactList, sub: &ExactList) {
    for (name, v) in sub {
        if let Some(existing) = list.get_mut(name) {
            *existing = existing.saturating_sub(*v).max(Amount::ZERO);
        }
    }
}

fn to_scheduler_units(list: ExactList) -> ResourceList {
    list.into_iter()
        .map(|(name, v)| {
            let units = scheduler_units(&name, v);
            (name, units)
        })
        .collect()
}

/// The node's allocatable resources in scheduler units.
// Mirrors pkg/apis/core/v1/defaults.go (SetDefaults_NodeStatus): an absent allocatable defaults to
// capacity on the API server, so the scheduler never sees one missing when capacity is set.
pub fn node_allocatable(node: &Node) -> ResourceList {
    let status = node.status.as_ref();
    let list = status
        .and_then(|s| s.allocatable.as_ref())
        .or_else(|| status.and_then(|s| s.capacity.as_ref()));
    to_scheduler_units(exact(list))
}

/// Whether the scheduler counts this pod against its node: bound (spec.nodeName set) and not
/// terminal. Terminating pods (deletionTimestamp set) still count until they are gone.
// Mirrors pkg/scheduler/scheduler.go (newPodInformer: "status.phase!=Succeeded,status.phase!=Failed")
// and pkg/scheduler/eventhandlers.go (assignedPod: len(pod.Spec.NodeName) != 0).
pub fn counts_on_node(pod: &Pod) -> bool {
    let bound = pod
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .is_some_and(|n| !n.is_empty());
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    bound && !matches!(phase, Some("Succeeded" | "Failed"))
}

#[cfg(test)]
mod tests {
    use super::test_support::*;
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn node_allocatable_defaults_to_capacity_only_when_absent() {
        let cases: Vec<(&str, Value, ResourceList)> = vec![
            (
                "allocatable wins over capacity",
                json!({"allocatable": {"cpu": "500m", "memory": "512Mi", "pods": "110"}, "capacity": {"cpu": "1", "memory": "1004828Ki", "pods": "110"}}),
                rl(&[("cpu", 500), ("memory", 512 << 20), ("pods", 110)]),
            ),
            (
                "absent allocatable falls back to capacity",
                json!({"capacity": {"cpu": "2", "pods": "10"}}),
                rl(&[("cpu", 2000), ("pods", 10)]),
            ),
            (
                "empty allocatable stays empty",
                json!({"allocatable": {}, "capacity": {"cpu": "2"}}),
                rl(&[]),
            ),
            ("no status", Value::Null, rl(&[])),
        ];
        for (name, status, want) in cases {
            let n: Node =
                serde_json::from_value(json!({"metadata": {"name": "n"}, "status": status}))
                    .expect("test node");
            assert_eq!(node_allocatable(&n), want, "case {name}");
        }
    }

    #[test]
    fn which_pods_count_on_the_node() {
        let cases: Vec<(&str, Value, bool)> = vec![
            (
                "running and bound",
                json!({"spec": {"nodeName": "n", "containers": []}, "status": {"phase": "Running"}}),
                true,
            ),
            (
                "pending but bound",
                json!({"spec": {"nodeName": "n", "containers": []}, "status": {"phase": "Pending"}}),
                true,
            ),
            (
                "bound without status",
                json!({"spec": {"nodeName": "n", "containers": []}}),
                true,
            ),
            (
                "unknown phase counts",
                json!({"spec": {"nodeName": "n", "containers": []}, "status": {"phase": "Unknown"}}),
                true,
            ),
            (
                "terminating still counts",
                json!({"metadata": {"deletionTimestamp": "2026-11-23T11:50:25Z"}, "spec": {"nodeName": "n", "containers": []}, "status": {"phase": "Running"}}),
                true,
            ),
            (
                "succeeded does not count",
                json!({"spec": {"nodeName": "n", "containers": []}, "status": {"phase": "Succeeded"}}),
                false,
            ),
            (
                "failed does not count",
                json!({"spec": {"nodeName": "n", "containers": []}, "status": {"phase": "Failed", "reason": "OutOfcpu"}}),
                false,
            ),
            (
                "unbound does not count",
                json!({"spec": {"containers": []}, "status": {"phase": "Pending"}}),
                false,
            ),
            (
                "empty nodeName does not count",
                json!({"spec": {"nodeName": "", "containers": []}}),
                false,
            ),
            ("no spec does not count", json!({}), false),
        ];
        for (name, p, want) in cases {
            assert_eq!(counts_on_node(&pod(p)), want, "case {name}");
        }
    }

    fn fixture_items(text: &str) -> Vec<Value> {
        let v: Value = serde_json::from_str(text).expect("fixture json");
        v["items"].as_array().cloned().unwrap_or_default()
    }

    #[test]
    fn real_cluster_hungry_pod_does_not_fit_small_node() {
        // TRUTH.md: batch-heavy/hungry (cpu 1, memory 1Gi) on small-1 (500m, 512Mi):
        // "1 Insufficient cpu, 1 Insufficient memory".
        let nodes = fixture_items(include_str!(
            "../../../tests/fixtures/real-cluster/nodes.json"
        ));
        let pods = fixture_items(include_str!(
            "../../../tests/fixtures/real-cluster/pods.json"
        ));
        let small: Node = serde_json::from_value(
            nodes
                .into_iter()
                .find(|n| n["metadata"]["name"] == "small-1")
                .expect("small-1"),
        )
        .expect("node");
        let pods: Vec<Pod> = pods
            .into_iter()
            .map(|p| serde_json::from_value(p).expect("pod"))
            .collect();
        for p in &pods {
            validate_pod(p).unwrap_or_else(|e| panic!("fixture pod invalid: {e}"));
        }
        validate_node(&small).expect("fixture node valid");
        let on_small: Vec<&Pod> = pods
            .iter()
            .filter(|p| counts_on_node(p))
            .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some("small-1"))
            .collect();
        assert_eq!(on_small.len(), 7, "pods bound to small-1");
        let hungry = pods
            .iter()
            .find(|p| p.metadata.name.as_deref() == Some("hungry-x9tcr"))
            .and_then(|p| p.spec.as_ref())
            .expect("hungry pod");
        let findings = fit(hungry, &small, &on_small);
        assert_eq!(
            findings,
            vec![
                insufficient("cpu", "1", "500m", "40m", 4),
                insufficient("memory", "1Gi", "512Mi", "72Mi", 4),
            ]
        );
        let texts: Vec<String> = findings.iter().filter_map(reason_text).collect();
        assert_eq!(
            texts,
            vec![
                "Insufficient cpu: pod requests 1, node allocatable 500m, 40m already requested by 4 pods",
                "Insufficient memory: pod requests 1Gi, node allocatable 512Mi, 72Mi already requested by 4 pods",
            ]
        );
    }
}
