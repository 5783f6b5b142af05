//! What a pod requests, as the scheduler computes it (PodRequests): containers summed, init
//! containers' peaks, sidecars, pod-level resources, overhead, and for a pod already on a node its
//! in-place resize state. Computes amounts only; whether they fit is the fit module's.

use super::{
    CPU, ExactList, HUGEPAGES_PREFIX, MEMORY, ResourceList, add_list, amount, exact, max_list,
    max_of, subtract_list, to_scheduler_units,
};
use crate::snapshot::pod::{Container, ContainerStatus, PodSpec, PodStatus};

/// A container's requests as the API server stores them: limits without a request become the
/// request. DaemonSet templates are not defaulted this way, the pods created from them are.
// Mirrors pkg/apis/core/v1/defaults.go (SetDefaults_Pod: "If limits are specified, but requests are not").
fn container_spec_requests(c: &Container) -> ExactList {
    let resources = c.resources.as_ref();
    let mut requests = exact(resources.and_then(|r| r.requests.as_ref()));
    for (name, limit) in resources
        .and_then(|r| r.limits.as_ref())
        .into_iter()
        .flatten()
    {
        requests
            .entry(name.clone())
            .or_insert_with(|| amount(limit));
    }
    requests
}

fn is_restartable_init_container(c: &Container) -> bool {
    c.restart_policy.as_deref() == Some("Always")
}

// Mirrors k8s.io/component-helpers/resource/helpers.go (IsSupportedPodLevelResource).
fn is_supported_pod_level_resource(name: &str) -> bool {
    name == CPU || name == MEMORY || name.starts_with(HUGEPAGES_PREFIX)
}

// Mirrors k8s.io/component-helpers/resource/helpers.go (IsPodResizeInfeasible).
fn is_resize_infeasible(status: &PodStatus) -> bool {
    status
        .conditions
        .iter()
        .flatten()
        .find(|c| c.type_ == "PodResizePending")
        .is_some_and(|c| c.reason.as_deref() == Some("Infeasible"))
}

// Mirrors k8s.io/component-helpers/resource/helpers.go (findContainerStatus).
fn find_container_status<'a>(status: &'a PodStatus, name: &str) -> Option<&'a ContainerStatus> {
    status
        .container_statuses
        .iter()
        .flatten()
        .chain(status.init_container_statuses.iter().flatten())
        .find(|cs| cs.name == name)
}

/// Which view of a container's requests to aggregate.
#[derive(Clone, Copy)]
enum View {
    /// containerSpecRequests
    Spec,
    /// containerAllocatedRequests: what the kubelet admitted (status.allocatedResources)
    Allocated,
    /// containerActuatedRequests: what the runtime applied (status.resources.requests)
    Actuated,
}

// Mirrors k8s.io/component-helpers/resource/helpers.go (containerSpecRequests,
// containerAllocatedRequests, containerActuatedRequests).
fn container_requests(
    view: View,
    c: &Container,
    cs: Option<&ContainerStatus>,
    resize_infeasible: bool,
) -> ExactList {
    let allocated = cs.and_then(|s| s.allocated_resources.as_ref());
    let actuated = cs
        .and_then(|s| s.resources.as_ref())
        .and_then(|r| r.requests.as_ref());
    match view {
        View::Spec => container_spec_requests(c),
        View::Allocated if allocated.is_some() => exact(allocated),
        View::Actuated if actuated.is_some() => exact(actuated),
        View::Actuated if allocated.is_some() => exact(allocated),
        View::Allocated | View::Actuated if resize_infeasible => ExactList::new(),
        View::Allocated | View::Actuated => container_spec_requests(c),
    }
}

/// Sum of the containers, then the max with each init container's peak, where restartable
/// ("sidecar") init containers keep running: they add to the sum and to every later init step.
// Mirrors k8s.io/component-helpers/resource/helpers.go (aggregateContainerResourcesByFn).
fn aggregate(spec: &PodSpec, status: &PodStatus, use_status: bool, view: View) -> ExactList {
    let resize_infeasible = use_status && is_resize_infeasible(status);
    let lookup = |c: &Container| {
        if use_status {
            find_container_status(status, &c.name)
        } else {
            None
        }
    };
    let mut result = ExactList::new();
    for c in &spec.containers {
        add_list(
            &mut result,
            &container_requests(view, c, lookup(c), resize_infeasible),
        );
    }
    let mut restartable = ExactList::new();
    let mut init_peak = ExactList::new();
    for c in spec.init_containers.iter().flatten() {
        let own = container_requests(view, c, lookup(c), resize_infeasible);
        let step = if is_restartable_init_container(c) {
            add_list(&mut result, &own);
            add_list(&mut restartable, &own);
            restartable.clone()
        } else {
            let mut combined = own;
            add_list(&mut combined, &restartable);
            combined
        };
        max_list(&mut init_peak, &step);
    }
    max_list(&mut result, &init_peak);
    result
}

/// Feature-gate state the scheduler runs PodRequests with.
#[derive(Clone, Copy)]
struct Options {
    /// UseStatusResources (InPlacePodVerticalScaling, GA since 1.35): only for pods already bound.
    use_status_resources: bool,
    /// InPlacePodLevelResourcesVerticalScaling (beta, on by default since 1.36).
    in_place_pod_level: bool,
    /// !SkipPodLevelResources (PodLevelResources, beta, on by default since 1.34).
    pod_level_resources: bool,
}

// Mirrors pkg/scheduler/framework/plugins/noderesources/fit.go (computePodResourceRequest):
// "pod hasn't scheduled yet so we don't need to worry about InPlacePodVerticalScalingEnabled".
const INCOMING_POD: Options = Options {
    use_status_resources: false,
    in_place_pod_level: false,
    pod_level_resources: true,
};

// Mirrors pkg/scheduler/framework/types.go (PodInfo.CalculateResource for pods in NodeInfo).
const POD_ON_NODE: Options = Options {
    use_status_resources: true,
    in_place_pod_level: true,
    pod_level_resources: true,
};

// Mirrors k8s.io/component-helpers/resource/helpers.go (AggregateContainerRequests).
fn aggregate_container_requests(spec: &PodSpec, status: &PodStatus, opts: Options) -> ExactList {
    if !opts.use_status_resources {
        return aggregate(spec, status, false, View::Spec);
    }
    let resize_infeasible = is_resize_infeasible(status);
    let spec_reqs = aggregate(spec, status, true, View::Spec);
    let pod_actuated = status.resources.as_ref().and_then(|r| r.requests.as_ref());
    // Pod-level status maps, when populated, already hold the aggregate across all containers.
    let (allocated, actuated) = match (&status.allocated_resources, pod_actuated) {
        (Some(allocated), Some(actuated)) if opts.in_place_pod_level => {
            (exact(Some(allocated)), exact(Some(actuated)))
        }
        _ => (
            aggregate(spec, status, true, View::Allocated),
            aggregate(spec, status, true, View::Actuated),
        ),
    };
    if resize_infeasible {
        max_of(&actuated, &[&allocated])
    } else {
        max_of(&spec_reqs, &[&actuated, &allocated])
    }
}

/// Pod-level requests as the API server stores them: with pod-level limits set, missing
/// requests default from the containers' hugepages requests, then from the pod-level limits.
// Mirrors pkg/apis/core/v1/defaults.go (defaultPodRequests, PodLevelResources).
fn pod_level_requests(spec: &PodSpec) -> Option<ExactList> {
    let resources = spec.resources.as_ref()?;
    let requests = resources.requests.as_ref().map(|r| exact(Some(r)));
    let limits = resources.limits.as_ref().filter(|l| !l.is_empty());
    let Some(limits) = limits else {
        return requests;
    };
    let mut pod_reqs = requests.clone().unwrap_or_default();
    let containers = aggregate(spec, &PodStatus::default(), false, View::Spec);
    for (name, v) in &containers {
        if !pod_reqs.contains_key(name) && name.starts_with(HUGEPAGES_PREFIX) {
            pod_reqs.insert(name.clone(), *v);
        }
    }
    for (name, limit) in limits {
        if !pod_reqs.contains_key(name) && is_supported_pod_level_resource(name) {
            pod_reqs.insert(name.clone(), amount(limit));
        }
    }
    if pod_reqs.is_empty() {
        requests
    } else {
        Some(pod_reqs)
    }
}

// Mirrors k8s.io/component-helpers/resource/helpers.go (PodRequests, applyPodLevelResources,
// effectivePodLevelResources).
fn pod_requests_exact(spec: &PodSpec, status: &PodStatus, opts: Options) -> ExactList {
    let mut reqs = aggregate_container_requests(spec, status, opts);
    let overhead = spec.overhead.as_ref().map(|o| exact(Some(o)));

    // IsPodLevelRequestsSet: some supported resource among the pod-level requests.
    let pod_level =
        pod_level_requests(spec).filter(|r| r.keys().any(|k| is_supported_pod_level_resource(k)));
    if let (true, Some(spec_level)) = (opts.pod_level_resources, pod_level) {
        let mut effective = spec_level.clone();
        if opts.in_place_pod_level
            && opts.use_status_resources
            && (status.resources.is_some() || status.allocated_resources.is_some())
        {
            let mut status_reqs =
                exact(status.resources.as_ref().and_then(|r| r.requests.as_ref()));
            let mut allocated = exact(status.allocated_resources.as_ref());
            if let Some(overhead) = &overhead {
                subtract_list(&mut status_reqs, overhead);
                subtract_list(&mut allocated, overhead);
            }
            let spec_part = if is_resize_infeasible(status) {
                ExactList::new()
            } else {
                spec_level
            };
            effective = max_of(&spec_part, &[&status_reqs, &allocated]);
        }
        for (name, v) in effective {
            if is_supported_pod_level_resource(&name) {
                reqs.insert(name, v);
            }
        }
    }

    if let Some(overhead) = &overhead {
        add_list(&mut reqs, overhead);
    }
    reqs
}

/// The pod's effective requests in scheduler units, as the scheduler computes them.
///
/// `status`: `None` for the pod being placed (the scheduler ignores status there); `Some` for a pod
/// already bound to the node, whose in-place resize state (allocated/actuated resources) counts.
/// Applies the API server's pod defaulting first, so a DaemonSet template gives what its pods get
/// (limits-only containers request their limits). RuntimeClass overhead is only known once a pod exists.
pub fn pod_requests(spec: &PodSpec, status: Option<&PodStatus>) -> ResourceList {
    let exact = match status {
        None => pod_requests_exact(spec, &PodStatus::default(), INCOMING_POD),
        Some(status) => pod_requests_exact(spec, status, POD_ON_NODE),
    };
    to_scheduler_units(exact)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn pod_requests_for_the_pod_being_placed() {
        // Drawn from component-helpers resource/helpers_test.go (TestPodResourceRequests,
        // TestPodRequestsAndLimits) and fit_test.go.
        let cases: Vec<(&str, Value, ResourceList)> = vec![
            (
                "containers are summed",
                json!({"containers": [c("a", json!({"cpu": "1", "memory": "5"})), c("b", json!({"cpu": "4", "memory": "12"}))]}),
                rl(&[("cpu", 5000), ("memory", 17)]),
            ),
            (
                "larger init container wins",
                json!({"initContainers": [c("i", json!({"cpu": "4"}))], "containers": [c("a", json!({"cpu": "1"}))]}),
                rl(&[("cpu", 4000)]),
            ),
            (
                "larger containers win over init",
                json!({"initContainers": [c("i", json!({"cpu": "2"}))], "containers": [c("a", json!({"cpu": "2"})), c("b", json!({"cpu": "3"}))]}),
                rl(&[("cpu", 5000)]),
            ),
            (
                "init containers are max, not sum",
                json!({"initContainers": [c("i1", json!({"cpu": "1"})), c("i2", json!({"cpu": "40", "memory": "120"}))], "containers": [c("a", json!({"cpu": "1", "memory": "5"}))]}),
                rl(&[("cpu", 40000), ("memory", 120)]),
            ),
            (
                "overhead is added",
                json!({"overhead": {"cpu": "1", "memory": "1Gi"}, "initContainers": [c("i", json!({"cpu": "2"}))], "containers": [c("a", json!({"cpu": "2"})), c("b", json!({"cpu": "3"}))]}),
                rl(&[("cpu", 6000), ("memory", 1 << 30)]),
            ),
            (
                "just overhead",
                json!({"overhead": {"cpu": "5", "memory": "5"}, "containers": [{"name": "a"}]}),
                rl(&[("cpu", 5000), ("memory", 5)]),
            ),
            (
                "restartable init container adds to containers",
                json!({"initContainers": [{"name": "s", "restartPolicy": "Always", "resources": {"requests": {"cpu": "1"}}}], "containers": [c("a", json!({"cpu": "1"}))]}),
                rl(&[("cpu", 2000)]),
            ),
            (
                "multiple restartable init containers",
                json!({"initContainers": [
                    c("init-1", json!({"cpu": "5"})),
                    {"name": "s1", "restartPolicy": "Always", "resources": {"requests": {"cpu": "1"}}},
                    {"name": "s2", "restartPolicy": "Always", "resources": {"requests": {"cpu": "2"}}},
                    {"name": "s3", "restartPolicy": "Always", "resources": {"requests": {"cpu": "3"}}}
                ], "containers": [c("a", json!({"cpu": "1"}))]}),
                rl(&[("cpu", 7000)]),
            ),
            (
                "regular init after sidecars carries them",
                json!({"initContainers": [
                    c("init-1", json!({"cpu": "5"})),
                    {"name": "s1", "restartPolicy": "Always", "resources": {"requests": {"cpu": "1"}}},
                    {"name": "s2", "restartPolicy": "Always", "resources": {"requests": {"cpu": "2"}}},
                    c("init-2", json!({"cpu": "5"})),
                    {"name": "s3", "restartPolicy": "Always", "resources": {"requests": {"cpu": "3"}}}
                ], "containers": [c("a", json!({"cpu": "1"}))]}),
                rl(&[("cpu", 8000)]),
            ),
            (
                "restartable-init, init and regular",
                json!({"initContainers": [
                    {"name": "s1", "restartPolicy": "Always", "resources": {"requests": {"cpu": "10"}}},
                    c("init-1", json!({"cpu": "200"}))
                ], "containers": [c("a", json!({"cpu": "100"}))]}),
                rl(&[("cpu", 210_000)]),
            ),
            (
                "init container with restartPolicy OnFailure is not a sidecar",
                json!({"initContainers": [{"name": "i", "restartPolicy": "OnFailure", "resources": {"requests": {"cpu": "1"}}}], "containers": [c("a", json!({"cpu": "1"}))]}),
                rl(&[("cpu", 1000)]),
            ),
            (
                "limits-only container requests its limits (API defaulting)",
                json!({"containers": [{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}),
                rl(&[("cpu", 1000), ("memory", 1 << 30)]),
            ),
            (
                "explicit request is kept below its limit",
                json!({"containers": [{"name": "a", "resources": {"requests": {"cpu": "100m"}, "limits": {"cpu": "1", "memory": "64Mi"}}}]}),
                rl(&[("cpu", 100), ("memory", 64 << 20)]),
            ),
            (
                "cpu rounds after summing exactly",
                json!({"containers": [c("a", json!({"cpu": "500u"})), c("b", json!({"cpu": "500u"}))]}),
                rl(&[("cpu", 1)]),
            ),
            (
                "memory rounds up to a byte",
                json!({"containers": [c("a", json!({"memory": "1500m"}))]}),
                rl(&[("memory", 2)]),
            ),
            (
                "extended resources and hugepages are kept",
                json!({"containers": [c("a", json!({"nvidia.com/gpu": "2", "hugepages-2Mi": "4Mi"}))]}),
                rl(&[("hugepages-2Mi", 4 << 20), ("nvidia.com/gpu", 2)]),
            ),
            (
                "pod-level cpu and memory replace the containers",
                json!({"resources": {"requests": {"cpu": "7m", "memory": "2"}}, "containers": [c("a", json!({"cpu": "1m", "memory": "1"}))]}),
                rl(&[("cpu", 7), ("memory", 2)]),
            ),
            (
                "pod-level ephemeral-storage is not supported at pod level",
                json!({"resources": {"requests": {"cpu": "2", "ephemeral-storage": "5Gi"}}, "containers": [c("a", json!({"cpu": "1", "ephemeral-storage": "1Gi"}))]}),
                rl(&[("cpu", 2000), ("ephemeral-storage", 1 << 30)]),
            ),
            (
                "pod-level hugepages replace the containers",
                json!({"resources": {"requests": {"cpu": "3m", "memory": "2", "hugepages-2Mi": "10"}}, "containers": [c("a", json!({"hugepages-2Mi": "3"}))]}),
                rl(&[("cpu", 3), ("hugepages-2Mi", 10), ("memory", 2)]),
            ),
            (
                "pod-level only unsupported resources are ignored",
                json!({"resources": {"requests": {"ephemeral-storage": "5Gi"}}, "containers": [c("a", json!({"cpu": "1"}))]}),
                rl(&[("cpu", 1000)]),
            ),
            (
                "pod-level limits default pod-level requests",
                json!({"resources": {"limits": {"cpu": "2", "memory": "1Gi"}}, "containers": [c("a", json!({"cpu": "1m"}))]}),
                rl(&[("cpu", 2000), ("memory", 1 << 30)]),
            ),
            (
                "pod-level plus overhead",
                json!({"overhead": {"cpu": "250m"}, "resources": {"requests": {"cpu": "1"}}, "containers": [c("a", json!({"cpu": "100m"}))]}),
                rl(&[("cpu", 1250)]),
            ),
            (
                "empty pod requests nothing",
                json!({"containers": [{"name": "a"}]}),
                rl(&[]),
            ),
        ];
        for (name, s, want) in cases {
            assert_eq!(pod_requests(&spec(s), None), want, "case {name}");
        }
    }

    #[test]
    fn pod_requests_for_pods_on_the_node_follow_resize_state() {
        // helpers_test.go TestPodResourceRequests (UseStatusResources: true); the pod being
        // placed ignores the same status (UseStatusResources: false in computePodResourceRequest).
        let infeasible =
            json!([{"type": "PodResizePending", "status": "True", "reason": "Infeasible"}]);
        let deferred =
            json!([{"type": "PodResizePending", "status": "True", "reason": "Deferred"}]);
        let one = |cpu: &str| json!({"containers": [c("c1", json!({"cpu": cpu}))]});
        let cases: Vec<(&str, Value, Value, ResourceList, ResourceList)> = vec![
            (
                "resized, infeasible: actuated counts",
                one("4"),
                json!({"conditions": infeasible, "containerStatuses": [{"name": "c1", "image": "", "imageID": "", "ready": true, "restartCount": 0, "resources": {"requests": {"cpu": "2"}}}]}),
                rl(&[("cpu", 2000)]),
                rl(&[("cpu", 4000)]),
            ),
            (
                "resized, infeasible and in progress: max of allocated and actuated",
                one("6"),
                json!({"conditions": infeasible, "containerStatuses": [{"name": "c1", "image": "", "imageID": "", "ready": true, "restartCount": 0, "allocatedResources": {"cpu": "4"}, "resources": {"requests": {"cpu": "2"}}}]}),
                rl(&[("cpu", 4000)]),
                rl(&[("cpu", 6000)]),
            ),
            (
                "resized, no resize status: spec wins when larger",
                one("4"),
                json!({"containerStatuses": [{"name": "c1", "image": "", "imageID": "", "ready": true, "restartCount": 0, "resources": {"requests": {"cpu": "2"}}}]}),
                rl(&[("cpu", 4000)]),
                rl(&[("cpu", 4000)]),
            ),
            (
                "resized down, deferred: allocated keeps the old size",
                one("1"),
                json!({"conditions": deferred, "containerStatuses": [{"name": "c1", "image": "", "imageID": "", "ready": true, "restartCount": 0, "allocatedResources": {"cpu": "3"}, "resources": {"requests": {"cpu": "3"}}}]}),
                rl(&[("cpu", 3000)]),
                rl(&[("cpu", 1000)]),
            ),
            (
                "per-resource 3-way maximum",
                json!({"containers": [c("c1", json!({"cpu": "30m", "memory": "20M", "ephemeral-storage": "10G"}))]}),
                json!({"containerStatuses": [{"name": "c1", "image": "", "imageID": "", "ready": true, "restartCount": 0,
                    "allocatedResources": {"cpu": "20m", "memory": "10M", "ephemeral-storage": "30G"},
                    "resources": {"requests": {"cpu": "10m", "memory": "30M", "ephemeral-storage": "20G"}}}]}),
                rl(&[
                    ("cpu", 30),
                    ("ephemeral-storage", 30_000_000_000),
                    ("memory", 30_000_000),
                ]),
                rl(&[
                    ("cpu", 30),
                    ("ephemeral-storage", 10_000_000_000),
                    ("memory", 20_000_000),
                ]),
            ),
            (
                "restartable init container, infeasible",
                json!({"initContainers": [{"name": "s1", "restartPolicy": "Always", "resources": {"requests": {"cpu": "4"}}}], "containers": []}),
                json!({"conditions": infeasible, "initContainerStatuses": [{"name": "s1", "image": "", "imageID": "", "ready": true, "restartCount": 0, "resources": {"requests": {"cpu": "2"}}}]}),
                rl(&[("cpu", 2000)]),
                rl(&[("cpu", 4000)]),
            ),
            (
                "max of sums, not sum of maxes",
                json!({"containers": [c("c1", json!({"cpu": "1"})), c("c2", json!({"cpu": "2"}))]}),
                json!({"containerStatuses": [
                    {"name": "c1", "image": "", "imageID": "", "ready": true, "restartCount": 0, "allocatedResources": {"cpu": "2"}},
                    {"name": "c2", "image": "", "imageID": "", "ready": true, "restartCount": 0, "allocatedResources": {"cpu": "1"}}]}),
                rl(&[("cpu", 3000)]),
                rl(&[("cpu", 3000)]),
            ),
            (
                "pod-level status maps hold the aggregate",
                json!({"containers": [c("c1", json!({"cpu": "1"}))]}),
                json!({"allocatedResources": {"cpu": "4"}, "resources": {"requests": {"cpu": "3"}}}),
                rl(&[("cpu", 4000)]),
                rl(&[("cpu", 1000)]),
            ),
            (
                "pod-level requests resized: status minus overhead",
                json!({"overhead": {"cpu": "1"}, "resources": {"requests": {"cpu": "2"}}, "containers": [c("c1", json!({"cpu": "1"}))]}),
                json!({"allocatedResources": {"cpu": "6"}, "resources": {"requests": {"cpu": "4"}}}),
                rl(&[("cpu", 6000)]),
                rl(&[("cpu", 3000)]),
            ),
            (
                "no status at all",
                one("500m"),
                json!({}),
                rl(&[("cpu", 500)]),
                rl(&[("cpu", 500)]),
            ),
        ];
        for (name, s, status, on_node, incoming) in cases {
            let s = spec(s);
            let status: PodStatus = serde_json::from_value(status).expect("test status");
            assert_eq!(
                pod_requests(&s, Some(&status)),
                on_node,
                "case {name}: on node"
            );
            assert_eq!(
                pod_requests(&s, None),
                incoming,
                "case {name}: being placed"
            );
        }
    }

    #[test]
    fn invalid_quantities_count_as_zero_without_panicking() {
        let s = spec(json!({"containers": [c("a", json!({"cpu": "lots", "memory": "1Gi"}))]}));
        assert_eq!(
            pod_requests(&s, None),
            rl(&[("cpu", 0), ("memory", 1 << 30)]),
            "case bad cpu is zero"
        );
    }
}
