//! The scheduler's NodeResourcesFit filter: "Too many pods" and "Insufficient <resource>" for a
//! pod placed on a node, counting the requests of the pods already there. Judges resources only;
//! taints, affinity and host ports are decided elsewhere.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Node;

use super::names::is_scalar_resource_name;
use super::{CPU, EPHEMERAL_STORAGE, MEMORY, PODS, ResourceList, node_allocatable, pod_requests};
use crate::diagnose::quantity::format_resource;
use crate::report::Finding;
use crate::snapshot::pod::{Pod, PodSpec, PodStatus};

/// The scheduler's `framework.Resource`.
#[derive(Debug, Default, Clone)]
struct SchedResource {
    milli_cpu: i128,
    memory: i128,
    ephemeral_storage: i128,
    allowed_pods: i128,
    scalar: BTreeMap<String, i128>,
}

impl SchedResource {
    // Mirrors pkg/scheduler/framework/types.go (Resource.Add).
    fn add(&mut self, list: &ResourceList) {
        for (name, &v) in list {
            match name.as_str() {
                CPU => self.milli_cpu = self.milli_cpu.saturating_add(v),
                MEMORY => self.memory = self.memory.saturating_add(v),
                PODS => self.allowed_pods = self.allowed_pods.saturating_add(v),
                EPHEMERAL_STORAGE => {
                    self.ephemeral_storage = self.ephemeral_storage.saturating_add(v)
                }
                other if is_scalar_resource_name(other) => {
                    let slot = self.scalar.entry(other.to_string()).or_insert(0);
                    *slot = slot.saturating_add(v);
                }
                _ => {}
            }
        }
    }

    // Mirrors pkg/scheduler/framework/types.go (Resource.SetMaxResource): no case for pods.
    fn set_max(&mut self, list: &ResourceList) {
        for (name, &v) in list {
            match name.as_str() {
                CPU => self.milli_cpu = self.milli_cpu.max(v),
                MEMORY => self.memory = self.memory.max(v),
                EPHEMERAL_STORAGE => self.ephemeral_storage = self.ephemeral_storage.max(v),
                other if is_scalar_resource_name(other) => {
                    let slot = self.scalar.entry(other.to_string()).or_insert(0);
                    *slot = (*slot).max(v);
                }
                _ => {}
            }
        }
    }

    // Mirrors pkg/scheduler/framework/types.go (NodeInfo.update, sign +1).
    fn accumulate(&mut self, other: &SchedResource) {
        self.milli_cpu = self.milli_cpu.saturating_add(other.milli_cpu);
        self.memory = self.memory.saturating_add(other.memory);
        self.ephemeral_storage = self
            .ephemeral_storage
            .saturating_add(other.ephemeral_storage);
        for (name, v) in &other.scalar {
            let slot = self.scalar.entry(name.clone()).or_insert(0);
            *slot = slot.saturating_add(*v);
        }
    }

    fn get(&self, name: &str) -> i128 {
        match name {
            CPU => self.milli_cpu,
            MEMORY => self.memory,
            EPHEMERAL_STORAGE => self.ephemeral_storage,
            PODS => self.allowed_pods,
            other => self.scalar.get(other).copied().unwrap_or(0),
        }
    }
}

/// A bound pod's requests as NodeInfo accounts them (status always consulted, even when empty).
pub fn requests_on_node(pod: &Pod) -> ResourceList {
    let empty_spec;
    let spec = match &pod.spec {
        Some(spec) => spec,
        None => {
            empty_spec = PodSpec::default();
            &empty_spec
        }
    };
    let empty_status;
    let status = match &pod.status {
        Some(status) => status,
        None => {
            empty_status = PodStatus::default();
            &empty_status
        }
    };
    pod_requests(spec, Some(status))
}

/// The scheduler's NodeResourcesFit verdict for placing a pod with `spec` on `node`.
///
/// `pods_on_node`: the pods the scheduler counts there (see
/// [`counts_on_node`](super::counts_on_node)), without the pod being placed. Findings come in
/// upstream's order: pods, cpu, memory, ephemeral-storage, then scalar resources (extended
/// resources, hugepages) sorted by name, where upstream iterates a Go map in random order.
/// Assumes the default scheduler configuration (no ignored resources).
// Mirrors pkg/scheduler/framework/plugins/noderesources/fit.go (fitsRequest).
pub fn fit(spec: &PodSpec, node: &Node, pods_on_node: &[&Pod]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut pod_request = SchedResource::default();
    pod_request.set_max(&pod_requests(spec, None));
    let mut allocatable = SchedResource::default();
    allocatable.add(&node_allocatable(node));
    let existing: Vec<SchedResource> = pods_on_node
        .iter()
        .map(|p| {
            let mut r = SchedResource::default();
            r.add(&requests_on_node(p));
            r
        })
        .collect();
    let mut requested = SchedResource::default();
    for r in &existing {
        requested.accumulate(r);
    }

    if pods_on_node.len() as i128 + 1 > allocatable.allowed_pods {
        findings.push(Finding::TooManyPods {
            allocatable: i64::try_from(allocatable.allowed_pods).unwrap_or(i64::MAX),
            pods_on_node: pods_on_node.len(),
        });
    }

    if pod_request.milli_cpu == 0
        && pod_request.memory == 0
        && pod_request.ephemeral_storage == 0
        && pod_request.scalar.is_empty()
    {
        return findings;
    }

    let mut check = |resource: &str, wanted: i128| {
        let free = allocatable
            .get(resource)
            .saturating_sub(requested.get(resource));
        if wanted > 0 && wanted > free {
            findings.push(Finding::InsufficientResource {
                resource: resource.to_string(),
                requested: format_resource(resource, wanted),
                allocatable: format_resource(resource, allocatable.get(resource)),
                already_requested: format_resource(resource, requested.get(resource)),
                pods_on_node: existing.iter().filter(|r| r.get(resource) != 0).count(),
            });
        }
    };
    check(CPU, pod_request.milli_cpu);
    check(MEMORY, pod_request.memory);
    check(EPHEMERAL_STORAGE, pod_request.ephemeral_storage);
    for (name, &wanted) in &pod_request.scalar {
        // Zero requests are skipped; no extended resource is ignored in the default configuration.
        check(name, wanted);
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn fit_matches_upstream_enough_requests() {
        // fit_test.go TestEnoughRequests, one existing pod on the node per case.
        let r = |cpu: &str, mem: &str| json!({"cpu": cpu, "memory": mem});
        let cases: Vec<(&str, Value, Value, Vec<Finding>)> = vec![
            (
                "no resources requested always fits",
                json!({"containers": [{"name": "a"}]}),
                json!([c("e", r("10m", "20"))]),
                vec![],
            ),
            (
                "too many resources fails",
                json!({"containers": [c("a", r("1m", "1"))]}),
                json!([c("e", r("10m", "20"))]),
                vec![
                    insufficient("cpu", "1m", "10m", "10m", 1),
                    insufficient("memory", "1", "20", "20", 1),
                ],
            ),
            (
                "too many resources fails due to init container cpu",
                json!({"initContainers": [c("i", r("3m", "1"))], "containers": [c("a", r("1m", "1"))]}),
                json!([c("e", r("8m", "19"))]),
                vec![insufficient("cpu", "3m", "10m", "8m", 1)],
            ),
            (
                "too many resources fails due to highest init container cpu",
                json!({"initContainers": [c("i1", r("3m", "1")), c("i2", r("2m", "1"))], "containers": [c("a", r("1m", "1"))]}),
                json!([c("e", r("8m", "19"))]),
                vec![insufficient("cpu", "3m", "10m", "8m", 1)],
            ),
            (
                "too many resources fails due to init container memory",
                json!({"initContainers": [c("i", r("1m", "3"))], "containers": [c("a", r("1m", "1"))]}),
                json!([c("e", r("9m", "19"))]),
                vec![insufficient("memory", "3", "20", "19", 1)],
            ),
            (
                "init container fits because it's the max, not sum",
                json!({"initContainers": [c("i", r("1m", "1"))], "containers": [c("a", r("1m", "1"))]}),
                json!([c("e", r("9m", "19"))]),
                vec![],
            ),
            (
                "both resources fit",
                json!({"containers": [c("a", r("1m", "1"))]}),
                json!([c("e", r("5m", "5"))]),
                vec![],
            ),
            (
                "one resource memory fits",
                json!({"containers": [c("a", r("2m", "1"))]}),
                json!([c("e", r("9m", "5"))]),
                vec![insufficient("cpu", "2m", "10m", "9m", 1)],
            ),
            (
                "one resource cpu fits",
                json!({"containers": [c("a", r("1m", "2"))]}),
                json!([c("e", r("5m", "19"))]),
                vec![insufficient("memory", "2", "20", "19", 1)],
            ),
            (
                "equal edge case",
                json!({"containers": [c("a", r("5m", "1"))]}),
                json!([c("e", r("5m", "19"))]),
                vec![],
            ),
            (
                "equal edge case for init container",
                json!({"initContainers": [c("i", r("5m", "1"))], "containers": [c("a", r("4m", "1"))]}),
                json!([c("e", r("5m", "19"))]),
                vec![],
            ),
            (
                "extended resource fits",
                json!({"containers": [c("a", json!({"example.com/aaa": "1"}))]}),
                json!([{"name": "e"}]),
                vec![],
            ),
            (
                "extended resource capacity enforced",
                json!({"containers": [c("a", json!({"cpu": "1m", "memory": "1", "example.com/aaa": "10"}))]}),
                json!([c("e", json!({"example.com/aaa": "0"}))]),
                vec![insufficient("example.com/aaa", "10", "5", "0", 0)],
            ),
            (
                "extended resource capacity enforced for init container",
                json!({"initContainers": [c("i", json!({"cpu": "1m", "memory": "1", "example.com/aaa": "10"}))], "containers": [{"name": "a"}]}),
                json!([c("e", json!({"example.com/aaa": "0"}))]),
                vec![insufficient("example.com/aaa", "10", "5", "0", 0)],
            ),
            (
                "extended resource allocatable enforced",
                json!({"containers": [c("a", json!({"cpu": "1m", "memory": "1", "example.com/aaa": "1"}))]}),
                json!([c("e", json!({"example.com/aaa": "5"}))]),
                vec![insufficient("example.com/aaa", "1", "5", "5", 1)],
            ),
            (
                "extended resource allocatable enforced for multiple containers",
                json!({"containers": [c("a", json!({"example.com/aaa": "3"})), c("b", json!({"example.com/aaa": "3"}))]}),
                json!([c("e", json!({"example.com/aaa": "2"}))]),
                vec![insufficient("example.com/aaa", "6", "5", "2", 1)],
            ),
            (
                "extended resource allocatable admits multiple init containers",
                json!({"initContainers": [c("i1", json!({"example.com/aaa": "3"})), c("i2", json!({"example.com/aaa": "3"}))], "containers": [{"name": "a"}]}),
                json!([c("e", json!({"example.com/aaa": "2"}))]),
                vec![],
            ),
            (
                "extended resource allocatable enforced for multiple init containers",
                json!({"initContainers": [c("i1", json!({"example.com/aaa": "6"})), c("i2", json!({"example.com/aaa": "3"}))], "containers": [{"name": "a"}]}),
                json!([c("e", json!({"example.com/aaa": "2"}))]),
                vec![insufficient("example.com/aaa", "6", "5", "2", 1)],
            ),
            (
                "extended resource enforced for unknown resource",
                json!({"containers": [c("a", json!({"cpu": "1m", "memory": "1", "example.com/bbb": "1"}))]}),
                json!([{"name": "e"}]),
                vec![insufficient("example.com/bbb", "1", "0", "0", 0)],
            ),
            (
                "kubernetes.io resource capacity enforced",
                json!({"containers": [c("a", json!({"kubernetes.io/something": "10"}))]}),
                json!([{"name": "e"}]),
                vec![insufficient("kubernetes.io/something", "10", "0", "0", 0)],
            ),
            (
                "subdomain kubernetes.io resource enforced for init container",
                json!({"initContainers": [c("i", json!({"subdomain.kubernetes.io/something": "10"}))], "containers": [{"name": "a"}]}),
                json!([{"name": "e"}]),
                vec![insufficient(
                    "subdomain.kubernetes.io/something",
                    "10",
                    "0",
                    "0",
                    0,
                )],
            ),
            (
                "hugepages resource capacity enforced",
                json!({"containers": [c("a", json!({"hugepages-2Mi": "10"}))]}),
                json!([c("e", json!({"hugepages-2Mi": "0"}))]),
                vec![insufficient("hugepages-2Mi", "10", "5", "0", 0)],
            ),
            (
                "hugepages resource allocatable enforced for multiple containers",
                json!({"containers": [c("a", json!({"hugepages-2Mi": "3"})), c("b", json!({"hugepages-2Mi": "3"}))]}),
                json!([c("e", json!({"hugepages-2Mi": "2"}))]),
                vec![insufficient("hugepages-2Mi", "6", "5", "2", 1)],
            ),
            (
                "resources + pod overhead fits",
                json!({"overhead": {"cpu": "3m", "memory": "13"}, "containers": [c("a", r("1m", "1"))]}),
                json!([c("e", r("5m", "5"))]),
                vec![],
            ),
            (
                "requests + overhead does not fit for memory",
                json!({"overhead": {"cpu": "1m", "memory": "15"}, "containers": [c("a", r("1m", "1"))]}),
                json!([c("e", r("5m", "5"))]),
                vec![insufficient("memory", "16", "20", "5", 1)],
            ),
            (
                "zero extended request is skipped",
                json!({"containers": [c("a", json!({"cpu": "1m", "memory": "1", "example.com/aaa": "0"}))]}),
                json!([c("e", json!({"example.com/aaa": "6"}))]),
                vec![],
            ),
            (
                "both pod-level and container-level resources fit",
                json!({"resources": {"requests": {"cpu": "1m", "memory": "2"}}, "containers": [c("a", r("1m", "1"))]}),
                json!([c("e", r("5m", "5"))]),
                vec![],
            ),
            (
                "pod-level cpu resource not fit",
                json!({"resources": {"requests": {"cpu": "7m", "memory": "2"}}, "containers": [c("a", r("1m", "1"))]}),
                json!([c("e", r("5m", "5"))]),
                vec![insufficient("cpu", "7m", "10m", "5m", 1)],
            ),
            (
                "pod-level memory resource not fit",
                json!({"resources": {"requests": {"cpu": "3m", "memory": "2"}}, "containers": [c("a", r("1m", "1"))]}),
                json!([c("e", r("5m", "19"))]),
                vec![insufficient("memory", "2", "20", "19", 1)],
            ),
            (
                "pod-level hugepages resource not fit",
                json!({"resources": {"requests": {"cpu": "3m", "memory": "2", "hugepages-2Mi": "10"}}, "containers": [{"name": "a"}]}),
                json!([{"name": "e"}]),
                vec![insufficient("hugepages-2Mi", "10", "5", "0", 0)],
            ),
            (
                "pod-level request with init containers still checks memory",
                json!({"resources": {"requests": {"cpu": "3m", "memory": "2"}}, "initContainers": [c("i", r("1m", "1"))], "containers": [c("a", r("1m", "1"))]}),
                json!([c("e", r("5m", "19"))]),
                vec![insufficient("memory", "2", "20", "19", 1)],
            ),
            (
                "ephemeral-storage enforced",
                json!({"containers": [c("a", json!({"ephemeral-storage": "5"}))]}),
                json!([c("e", json!({"ephemeral-storage": "16"}))]),
                vec![insufficient("ephemeral-storage", "5", "20", "16", 1)],
            ),
            (
                "non-scalar unknown resource is ignored",
                json!({"containers": [c("a", json!({"storage": "100"}))]}),
                json!([{"name": "e"}]),
                vec![],
            ),
        ];
        for (name, incoming, existing, want) in cases {
            let existing = bound(existing);
            let got = fit(&spec(incoming), &fit_node(), &[&existing]);
            assert_eq!(got, want, "case {name}");
        }
    }

    #[test]
    fn fit_counts_pods_and_orders_findings() {
        let full: Vec<Pod> = (0..3)
            .map(|_| bound(json!([c("e", json!({"cpu": "2m"}))])))
            .collect();
        let refs: Vec<&Pod> = full.iter().collect();
        let three_pods =
            node(json!({"cpu": "10m", "memory": "20", "pods": "3", "example.com/aaa": "1"}));
        let cases: Vec<(&str, Value, &Node, Vec<Finding>)> = vec![
            (
                "too many pods even when requesting nothing",
                json!({"containers": [{"name": "a"}]}),
                &three_pods,
                vec![Finding::TooManyPods {
                    allocatable: 3,
                    pods_on_node: 3,
                }],
            ),
            (
                "pods first, then cpu, memory, scalars",
                json!({"containers": [c("a", json!({"example.com/aaa": "2", "memory": "30", "cpu": "5m"}))]}),
                &three_pods,
                vec![
                    Finding::TooManyPods {
                        allocatable: 3,
                        pods_on_node: 3,
                    },
                    insufficient("cpu", "5m", "10m", "6m", 3),
                    insufficient("memory", "30", "20", "0", 0),
                    insufficient("example.com/aaa", "2", "1", "0", 0),
                ],
            ),
        ];
        for (name, incoming, n, want) in cases {
            assert_eq!(fit(&spec(incoming), n, &refs), want, "case {name}");
        }
        // A node without allocatable or capacity allows no pods at all.
        let bare: Node =
            serde_json::from_value(json!({"metadata": {"name": "bare"}})).expect("node");
        assert_eq!(
            fit(&spec(json!({"containers": [{"name": "a"}]})), &bare, &[]),
            vec![Finding::TooManyPods {
                allocatable: 0,
                pods_on_node: 0
            }],
            "case node without allocatable"
        );
    }

    #[test]
    fn fit_uses_resize_state_of_pods_on_the_node() {
        // An existing pod resized down but still allocated at its old size keeps the old size.
        let resized = pod(json!({
            "metadata": {"name": "resized", "namespace": "ns"},
            "spec": {"nodeName": "n1", "containers": [c("c1", json!({"cpu": "1m"}))]},
            "status": {"phase": "Running", "containerStatuses": [{"name": "c1", "image": "", "imageID": "", "ready": true, "restartCount": 0, "allocatedResources": {"cpu": "8m"}, "resources": {"requests": {"cpu": "8m"}}}]}
        }));
        let got = fit(
            &spec(json!({"containers": [c("a", json!({"cpu": "3m"}))]})),
            &fit_node(),
            &[&resized],
        );
        assert_eq!(
            got,
            vec![insufficient("cpu", "3m", "10m", "8m", 1)],
            "case resized pod keeps allocation"
        );
    }
}
