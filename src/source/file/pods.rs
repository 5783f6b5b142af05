//! Pods, read lean: DaemonSet pods (and orphans it could adopt) whole but without volumes, every other
//! pod only as the load the scheduler counts on its node (requests, resize state, host ports, phase).

use super::*;

/// Reads a Pod like `read_as`, but keeps a pod no DaemonSet controls only as the load it puts on its node.
/// A dump holds every pod of the cluster (~30 per node, ~150k on 5,000 nodes); the engine reads the others
/// only to sum requests and host ports on a node where a daemon pod waits to be scheduled. Read whole, they
/// were most of the load time and memory. kubectl prints `metadata` before `spec` and `status`, so those are
/// usually read straight into the slim shape; in any other order the pod is read whole, then trimmed.
pub(super) fn read_pod<'de, A: MapAccess<'de>>(
    prefix: Prefix,
    map: A,
    place: Place,
    failure: &mut Option<Failure>,
) -> Result<Pod, A::Error> {
    let mut seen = Seen::default();
    let result = read_pod_fields(&mut ItemAccess {
        prefix: prefix.into_iter(),
        pending: None,
        rest: map,
        rest_done: false,
        seen: &mut seen,
    });
    match result {
        Ok(mut pod) => {
            if let Some(meta) = seen.metadata {
                pod.metadata = meta;
            }
            require_name(&pod.metadata, Kind::Pod, place, failure)?;
            if is_daemon_pod(&pod.metadata) {
                trim_daemon_pod(&mut pod);
            } else {
                slim_pod(&mut pod);
            }
            Ok(pod)
        }
        Err(e) => {
            *failure = Some(Failure {
                kind: Kind::Pod,
                name: seen.name(place),
                field: seen.field,
                buffered: seen.buffered,
            });
            Err(e)
        }
    }
}

/// The fields of a Pod, as k8s-openapi's own `Deserialize` for Pod checks them (same checks on `apiVersion`
/// and `kind`, unknown keys ignored), with `spec` and `status` read slim once `metadata` says no DaemonSet
/// controls the pod.
pub(super) fn read_pod_fields<'de, A: MapAccess<'de>>(
    access: &mut ItemAccess<'_, A>,
) -> Result<Pod, A::Error> {
    fn expect<E: de::Error>(value: String, wanted: &'static str) -> Result<(), E> {
        if value == wanted {
            Ok(())
        } else {
            Err(de::Error::invalid_value(
                de::Unexpected::Str(&value),
                &wanted,
            ))
        }
    }
    let mut pod = Pod::default();
    while let Some(key) = access.next_key::<String>()? {
        let slim = access
            .seen
            .metadata
            .as_ref()
            .is_some_and(|m| !is_daemon_pod(m));
        match key.as_str() {
            "apiVersion" => expect(access.next_value()?, "v1")?,
            "kind" => expect(access.next_value()?, "Pod")?,
            "spec" if slim => pod.spec = access.next_value::<Option<SlimSpec>>()?.map(Into::into),
            "spec" => pod.spec = access.next_value()?,
            "status" if slim => {
                pod.status = access.next_value::<Option<SlimStatus>>()?.map(Into::into)
            }
            "status" => pod.status = access.next_value()?,
            _ => {
                access.next_value::<IgnoredAny>()?;
            }
        }
    }
    Ok(pod)
}

/// `spec` of a pod no DaemonSet controls: the fields `slim_pod` keeps, everything else skipped unread.
/// Fields are optional with k8s-openapi's defaults (a missing `containers` is empty, a missing name "").
#[derive(Deserialize)]
#[serde(rename = "PodSpec", rename_all = "camelCase")]
pub(super) struct SlimSpec {
    containers: Option<Vec<SlimContainer>>,
    init_containers: Option<Vec<SlimContainer>>,
    overhead: Option<BTreeMap<String, Quantity>>,
    resources: Option<ResourceRequirements>,
    host_network: Option<bool>,
    node_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename = "Container", rename_all = "camelCase")]
pub(super) struct SlimContainer {
    name: Option<String>,
    resources: Option<ResourceRequirements>,
    ports: Option<Vec<ContainerPort>>,
    restart_policy: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename = "PodStatus", rename_all = "camelCase")]
pub(super) struct SlimStatus {
    phase: Option<String>,
    conditions: Option<Vec<SlimCondition>>,
    container_statuses: Option<Vec<SlimContainerStatus>>,
    init_container_statuses: Option<Vec<SlimContainerStatus>>,
    allocated_resources: Option<BTreeMap<String, Quantity>>,
    resources: Option<ResourceRequirements>,
}

/// Of a condition, what tells a resize state; its times are not parsed.
#[derive(Deserialize)]
#[serde(rename = "PodCondition")]
pub(super) struct SlimCondition {
    #[serde(rename = "type")]
    type_: Option<String>,
    status: Option<String>,
    reason: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename = "ContainerStatus", rename_all = "camelCase")]
pub(super) struct SlimContainerStatus {
    name: Option<String>,
    allocated_resources: Option<BTreeMap<String, Quantity>>,
    resources: Option<ResourceRequirements>,
}

impl From<SlimSpec> for PodSpec {
    fn from(s: SlimSpec) -> Self {
        let containers = |list: Vec<SlimContainer>| {
            list.into_iter()
                .map(|c| Container {
                    name: c.name.unwrap_or_default(),
                    resources: c.resources,
                    ports: c.ports,
                    restart_policy: c.restart_policy,
                    ..Container::default()
                })
                .collect()
        };
        PodSpec {
            containers: s.containers.map(containers).unwrap_or_default(),
            init_containers: s.init_containers.map(containers),
            overhead: s.overhead,
            resources: s.resources,
            host_network: s.host_network,
            node_name: s.node_name,
            ..PodSpec::default()
        }
    }
}

impl From<SlimStatus> for PodStatus {
    fn from(s: SlimStatus) -> Self {
        let statuses = |list: Vec<SlimContainerStatus>| {
            list.into_iter()
                .map(|c| ContainerStatus {
                    name: c.name.unwrap_or_default(),
                    allocated_resources: c.allocated_resources,
                    resources: c.resources,
                    ..ContainerStatus::default()
                })
                .collect()
        };
        let conditions = |list: Vec<SlimCondition>| {
            list.into_iter()
                .map(|c| PodCondition {
                    type_: c.type_.unwrap_or_default(),
                    status: c.status.unwrap_or_default(),
                    reason: c.reason,
                    message: c.message,
                    ..PodCondition::default()
                })
                .collect()
        };
        PodStatus {
            phase: s.phase,
            conditions: s.conditions.map(conditions).map(resize_conditions),
            container_statuses: s.container_statuses.map(statuses),
            init_container_statuses: s.init_container_statuses.map(statuses),
            allocated_resources: s.allocated_resources,
            resources: s.resources,
            ..PodStatus::default()
        }
    }
}
