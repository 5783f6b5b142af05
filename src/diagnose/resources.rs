//! The scheduler's resource fit (NodeResourcesFit filter): what a pod requests, what a node offers,
//! which pods count against it, and when the scheduler says "Too many pods" / "Insufficient <resource>".
//! Also validates every quantity the fit reads, so bad input is a clear error and not a wrong number.
//! Pure: no I/O, no clock. After validation a quantity that still fails to parse counts as 0 (no panics).

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{
    Container, ContainerStatus, Node, Pod, PodSpec, PodStatus, ResourceRequirements,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use crate::diagnose::quantity::{self, Amount, QuantityError, format_resource, scheduler_units};
use crate::report::Finding;

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

fn to_scheduler_units(list: ExactList) -> ResourceList {
    list.into_iter()
        .map(|(name, v)| {
            let units = scheduler_units(&name, v);
            (name, units)
        })
        .collect()
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

// Mirrors k8s.io/apimachinery/pkg/util/validation/validation.go (IsDNS1123Subdomain).
fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
            !b.is_empty()
                && b.first().is_some_and(alnum)
                && b.last().is_some_and(alnum)
                && b.iter().all(|c| alnum(c) || *c == b'-')
        })
}

// Mirrors k8s.io/apimachinery/pkg/util/validation/validation.go (IsQualifiedName).
fn is_qualified_name(s: &str) -> bool {
    let parts: Vec<&str> = s.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] if is_dns1123_subdomain(prefix) => *name,
        _ => return false,
    };
    let b = name.as_bytes();
    let alnum = |c: &u8| c.is_ascii_alphanumeric();
    !b.is_empty()
        && b.len() <= 63
        && b.first().is_some_and(alnum)
        && b.last().is_some_and(alnum)
        && b.iter()
            .all(|c| alnum(c) || matches!(c, b'-' | b'_' | b'.'))
}

// Mirrors pkg/apis/core/v1/helper/helpers.go (IsExtendedResourceName, IsNativeResource,
// IsPrefixedNativeResource).
fn is_prefixed_native_resource(name: &str) -> bool {
    name.contains("kubernetes.io/")
}

fn is_extended_resource_name(name: &str) -> bool {
    let native = !name.contains('/') || is_prefixed_native_resource(name);
    !native && !name.starts_with("requests.") && is_qualified_name(&format!("requests.{name}"))
}

// Mirrors pkg/scheduler/util/utils.go (IsScalarResourceName): the only names besides cpu, memory,
// ephemeral-storage and pods that the scheduler accounts for; anything else is ignored.
fn is_scalar_resource_name(name: &str) -> bool {
    is_extended_resource_name(name)
        || name.starts_with(HUGEPAGES_PREFIX)
        || is_prefixed_native_resource(name)
        || name.starts_with("attachable-volumes-")
}

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
fn requests_on_node(pod: &Pod) -> ResourceList {
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
/// `pods_on_node`: the pods the scheduler counts there (see [`counts_on_node`]), without the pod
/// being placed. Findings come in upstream's order: pods, cpu, memory, ephemeral-storage, then
/// scalar resources (extended resources, hugepages) sorted by name, where upstream iterates a Go
/// map in random order. Assumes the default scheduler configuration (no ignored resources).
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

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The sentence users read for a finding this module produces; None for any other finding.
pub fn reason_text(f: &Finding) -> Option<String> {
    match f {
        Finding::TooManyPods {
            allocatable,
            pods_on_node,
        } => Some(format!(
            "Too many pods: node allows {allocatable} {} and already runs {pods_on_node}",
            if *allocatable == 1 { "pod" } else { "pods" }
        )),
        Finding::InsufficientResource {
            resource,
            requested,
            allocatable,
            already_requested,
            pods_on_node,
        } => {
            let already = if *pods_on_node == 0 {
                "none already requested".to_string()
            } else {
                format!(
                    "{already_requested} already requested by {}",
                    plural(*pods_on_node, "pod")
                )
            };
            Some(format!(
                "Insufficient {resource}: pod requests {requested}, node allocatable {allocatable}, {already}"
            ))
        }
        _ => None,
    }
}

/// A quantity that does not parse, and where it sits.
#[derive(Debug, thiserror::Error)]
#[error("{object}: {field}: {error}")]
pub struct InvalidQuantity {
    /// `pod <namespace>/<name>` or `node <name>`.
    pub object: String,
    /// JSON path, containers named: `spec.containers[agent].resources.requests.cpu`.
    pub field: String,
    pub error: QuantityError,
}

fn check_list(object: &str, field: &str, list: Option<&RawList>) -> Result<(), InvalidQuantity> {
    for (name, q) in list.into_iter().flatten() {
        if let Err(error) = quantity::parse(&q.0) {
            return Err(InvalidQuantity {
                object: object.to_string(),
                field: format!("{field}.{name}"),
                error,
            });
        }
    }
    Ok(())
}

fn check_requirements(
    object: &str,
    field: &str,
    r: Option<&ResourceRequirements>,
) -> Result<(), InvalidQuantity> {
    if let Some(r) = r {
        check_list(object, &format!("{field}.requests"), r.requests.as_ref())?;
        check_list(object, &format!("{field}.limits"), r.limits.as_ref())?;
    }
    Ok(())
}

/// Checks every quantity the fit reads from a pod: container and init-container requests and
/// limits, overhead, pod-level resources, and the resize state in its status.
pub fn validate_pod(pod: &Pod) -> Result<(), InvalidQuantity> {
    let name = pod.metadata.name.as_deref().unwrap_or("");
    let object = match pod.metadata.namespace.as_deref() {
        Some(ns) if !ns.is_empty() => format!("pod {ns}/{name}"),
        _ => format!("pod {name}"),
    };
    if let Some(spec) = &pod.spec {
        for (kind, containers) in [
            ("containers", Some(&spec.containers)),
            ("initContainers", spec.init_containers.as_ref()),
        ] {
            for c in containers.into_iter().flatten() {
                let field = format!("spec.{kind}[{}].resources", c.name);
                check_requirements(&object, &field, c.resources.as_ref())?;
            }
        }
        check_list(&object, "spec.overhead", spec.overhead.as_ref())?;
        check_requirements(&object, "spec.resources", spec.resources.as_ref())?;
    }
    if let Some(status) = &pod.status {
        for (kind, statuses) in [
            ("containerStatuses", status.container_statuses.as_ref()),
            (
                "initContainerStatuses",
                status.init_container_statuses.as_ref(),
            ),
        ] {
            for cs in statuses.into_iter().flatten() {
                let field = format!("status.{kind}[{}]", cs.name);
                check_list(
                    &object,
                    &format!("{field}.allocatedResources"),
                    cs.allocated_resources.as_ref(),
                )?;
                check_requirements(
                    &object,
                    &format!("{field}.resources"),
                    cs.resources.as_ref(),
                )?;
            }
        }
        check_list(
            &object,
            "status.allocatedResources",
            status.allocated_resources.as_ref(),
        )?;
        check_requirements(&object, "status.resources", status.resources.as_ref())?;
    }
    Ok(())
}

/// Checks the node's allocatable and capacity quantities.
pub fn validate_node(node: &Node) -> Result<(), InvalidQuantity> {
    let object = format!("node {}", node.metadata.name.as_deref().unwrap_or(""));
    if let Some(status) = &node.status {
        check_list(&object, "status.allocatable", status.allocatable.as_ref())?;
        check_list(&object, "status.capacity", status.capacity.as_ref())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn spec(v: Value) -> PodSpec {
        serde_json::from_value(v).expect("test pod spec")
    }

    fn pod(v: Value) -> Pod {
        serde_json::from_value(v).expect("test pod")
    }

    fn node(allocatable: Value) -> Node {
        serde_json::from_value(json!({
            "metadata": {"name": "n1"},
            "status": {"allocatable": allocatable, "capacity": allocatable}
        }))
        .expect("test node")
    }

    /// A container named `name` with the given requests.
    fn c(name: &str, requests: Value) -> Value {
        json!({"name": name, "image": "i", "resources": {"requests": requests}})
    }

    fn rl(pairs: &[(&str, i128)]) -> ResourceList {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

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

    #[test]
    fn scalar_resource_names_follow_the_scheduler() {
        let cases: &[(&str, &str, bool)] = &[
            ("extended", "example.com/aaa", true),
            ("gpu", "nvidia.com/gpu", true),
            ("kubernetes.io prefixed", "kubernetes.io/something", true),
            (
                "subdomain kubernetes.io",
                "subdomain.kubernetes.io/something",
                true,
            ),
            ("hugepages", "hugepages-2Mi", true),
            ("attachable volumes", "attachable-volumes-aws-ebs", true),
            ("unprefixed non-standard name", "storage", false),
            ("cpu is not scalar", "cpu", false),
            ("invalid prefix", "Example.com/aaa", false),
            ("requests prefix", "requests.example.com/aaa", false),
        ];
        for (name, resource, want) in cases {
            assert_eq!(is_scalar_resource_name(resource), *want, "case {name}");
        }
    }

    /// The node of upstream fit_test.go TestEnoughRequests: 10m cpu, 20 bytes, 32 pods,
    /// 5 example.com/aaa, 20 bytes ephemeral-storage, 5 hugepages-2Mi.
    fn fit_node() -> Node {
        node(
            json!({"cpu": "10m", "memory": "20", "pods": "32", "example.com/aaa": "5", "ephemeral-storage": "20", "hugepages-2Mi": "5"}),
        )
    }

    fn bound(containers: Value) -> Pod {
        pod(
            json!({"metadata": {"name": "existing", "namespace": "ns"}, "spec": {"nodeName": "n1", "containers": containers}}),
        )
    }

    fn insufficient(
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

    fn fixture_items(text: &str) -> Vec<Value> {
        let v: Value = serde_json::from_str(text).expect("fixture json");
        v["items"].as_array().cloned().unwrap_or_default()
    }

    #[test]
    fn real_cluster_hungry_pod_does_not_fit_small_node() {
        // TRUTH.md: batch-heavy/hungry (cpu 1, memory 1Gi) on small-1 (500m, 512Mi):
        // "1 Insufficient cpu, 1 Insufficient memory".
        let nodes = fixture_items(include_str!("../../tests/fixtures/real-cluster/nodes.json"));
        let pods = fixture_items(include_str!("../../tests/fixtures/real-cluster/pods.json"));
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

    #[test]
    fn reason_texts() {
        let cases: Vec<(&str, Finding, Option<&str>)> = vec![
            (
                "insufficient cpu",
                insufficient("cpu", "1", "500m", "300m", 4),
                Some(
                    "Insufficient cpu: pod requests 1, node allocatable 500m, 300m already requested by 4 pods",
                ),
            ),
            (
                "one pod",
                insufficient("memory", "1Gi", "512Mi", "16Mi", 1),
                Some(
                    "Insufficient memory: pod requests 1Gi, node allocatable 512Mi, 16Mi already requested by 1 pod",
                ),
            ),
            (
                "nothing requested yet",
                insufficient("nvidia.com/gpu", "1", "0", "0", 0),
                Some(
                    "Insufficient nvidia.com/gpu: pod requests 1, node allocatable 0, none already requested",
                ),
            ),
            (
                "too many pods",
                Finding::TooManyPods {
                    allocatable: 110,
                    pods_on_node: 110,
                },
                Some("Too many pods: node allows 110 pods and already runs 110"),
            ),
            (
                "one pod allowed",
                Finding::TooManyPods {
                    allocatable: 1,
                    pods_on_node: 1,
                },
                Some("Too many pods: node allows 1 pod and already runs 1"),
            ),
            ("other finding", Finding::NodeCordoned, None),
        ];
        for (name, f, want) in cases {
            assert_eq!(reason_text(&f).as_deref(), want, "case {name}");
        }
    }

    #[test]
    fn validation_names_object_and_field() {
        let cases: Vec<(&str, Value, Option<&str>)> = vec![
            (
                "valid pod",
                json!({"metadata": {"name": "p", "namespace": "ns"}, "spec": {"containers": [c("agent", json!({"cpu": "100m"}))]}}),
                None,
            ),
            (
                "container request",
                json!({"metadata": {"name": "p", "namespace": "ns"}, "spec": {"containers": [c("agent", json!({"cpu": "1 core"}))]}}),
                Some(
                    "pod ns/p: spec.containers[agent].resources.requests.cpu: invalid quantity \"1 core\": contains whitespace",
                ),
            ),
            (
                "init container limit",
                json!({"metadata": {"name": "p", "namespace": "ns"}, "spec": {"containers": [], "initContainers": [{"name": "setup", "resources": {"limits": {"memory": "1GB"}}}]}}),
                Some(
                    "pod ns/p: spec.initContainers[setup].resources.limits.memory: invalid quantity \"1GB\": expected a number with an optional suffix, e.g. 500m, 1.5, 2Gi, 1e3",
                ),
            ),
            (
                "overhead",
                json!({"metadata": {"name": "p", "namespace": "ns"}, "spec": {"containers": [], "overhead": {"cpu": ""}}}),
                Some("pod ns/p: spec.overhead.cpu: invalid quantity \"\": empty string"),
            ),
            (
                "pod-level resources",
                json!({"metadata": {"name": "p", "namespace": "ns"}, "spec": {"containers": [], "resources": {"requests": {"memory": "1ki"}}}}),
                Some(
                    "pod ns/p: spec.resources.requests.memory: invalid quantity \"1ki\": unknown suffix \"ki\" (expected one of n u m k M G T P E Ki Mi Gi Ti Pi Ei, or an exponent like e3)",
                ),
            ),
            (
                "container status allocated resources",
                json!({"metadata": {"name": "p", "namespace": "ns"}, "spec": {"containers": []}, "status": {"containerStatuses": [{"name": "c1", "image": "", "imageID": "", "ready": true, "restartCount": 0, "allocatedResources": {"cpu": "x"}}]}}),
                Some(
                    "pod ns/p: status.containerStatuses[c1].allocatedResources.cpu: invalid quantity \"x\": expected a number with an optional suffix, e.g. 500m, 1.5, 2Gi, 1e3",
                ),
            ),
            (
                "pod status resources",
                json!({"metadata": {"name": "p"}, "spec": {"containers": []}, "status": {"resources": {"requests": {"cpu": "1e99"}}}}),
                Some(
                    "pod p: status.resources.requests.cpu: invalid quantity \"1e99\": too large: the magnitude exceeds 1.7e29, far beyond any resource amount",
                ),
            ),
        ];
        for (name, p, want) in cases {
            let got = validate_pod(&pod(p)).err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), want, "case {name}");
        }

        let node_cases: Vec<(&str, Value, Option<&str>)> = vec![
            (
                "valid node",
                json!({"allocatable": {"cpu": "4"}, "capacity": {"cpu": "4"}}),
                None,
            ),
            (
                "allocatable",
                json!({"allocatable": {"pods": "110 "}, "capacity": {"pods": "110"}}),
                Some(
                    "node n1: status.allocatable.pods: invalid quantity \"110 \": contains whitespace",
                ),
            ),
            (
                "capacity",
                json!({"allocatable": {"cpu": "4"}, "capacity": {"memory": "16GiB"}}),
                Some(
                    "node n1: status.capacity.memory: invalid quantity \"16GiB\": expected a number with an optional suffix, e.g. 500m, 1.5, 2Gi, 1e3",
                ),
            ),
        ];
        for (name, status, want) in node_cases {
            let n: Node =
                serde_json::from_value(json!({"metadata": {"name": "n1"}, "status": status}))
                    .expect("node");
            let got = validate_node(&n).err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), want, "case {name}");
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
