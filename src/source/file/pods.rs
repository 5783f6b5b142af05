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

/// The fields of a Pod, as k8s-openapi's own `Deserialize` for Pod reads them (same checks on `apiVersion`
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
            "spec" if access.seen.metadata.is_some() => {
                pod.spec = access.next_value_seed(DaemonPodSpec)?
            }
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

/// A daemon pod's spec without `spec.volumes`, skipped unread: no check kubectl-ds makes reads volumes (the
/// scheduler's volume plugins are not modelled, diagnose/verdict.rs), and k8s-openapi's `Volume` takes 3 KB
/// however little it holds: volumes were 13% of the load time. A check that needs them must read them here.
pub(super) struct DaemonPodSpec;

impl<'de> DeserializeSeed<'de> for DaemonPodSpec {
    type Value = Option<PodSpec>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for DaemonPodSpec {
    type Value = Option<PodSpec>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PodSpec")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        PodSpec::deserialize(MapAccessDeserializer::new(WithoutVolumes(map))).map(Some)
    }
}

/// A PodSpec's keys without `volumes`.
pub(super) struct WithoutVolumes<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WithoutVolumes<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        while let Some(key) = self.0.next_key::<String>()? {
            if key == "volumes" {
                self.0.next_value::<IgnoredAny>()?;
                continue;
            }
            return seed
                .deserialize(StrDeserializer::<A::Error>::new(&key))
                .map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.0.next_value_seed(seed)
    }
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
