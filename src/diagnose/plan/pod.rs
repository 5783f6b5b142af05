//! The DaemonSet and the pod as the API server would store them, from a manifest: only the defaulting
//! that changes what the controller, the scheduler or admission decide. Pure: no I/O.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSet, DaemonSetUpdateStrategy, RollingUpdateDaemonSet};
use k8s_openapi::api::core::v1::{Container, PodSpec};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// The manifest's DaemonSet with the API server's defaults that matter here: the namespace (from -n
/// or the context, as `kubectl apply` sends it), the update strategy and the revision history limit.
// Mirrors pkg/apis/apps/v1/defaults.go (SetDefaults_DaemonSet)
pub fn default_daemonset(ds: &DaemonSet, namespace: &str) -> DaemonSet {
    let mut ds = ds.clone();
    if ds.metadata.namespace.as_deref().is_none_or(str::is_empty) {
        ds.metadata.namespace = Some(namespace.to_string());
    }
    let strategy = ds
        .spec
        .update_strategy
        .get_or_insert_with(DaemonSetUpdateStrategy::default);
    if strategy.type_.as_deref().is_none_or(str::is_empty) {
        strategy.type_ = Some("RollingUpdate".into());
    }
    if strategy.type_.as_deref() == Some("RollingUpdate") {
        let ru = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDaemonSet::default);
        ru.max_unavailable.get_or_insert(IntOrString::Int(1));
        ru.max_surge.get_or_insert(IntOrString::Int(0));
    }
    ds.spec.revision_history_limit.get_or_insert(10);
    ds
}

/// The pod spec as stored once the pod is created, before admission sees it: a resource with a limit
/// and no request is requested at its limit (containers and init containers), and with hostNetwork
/// every container port's hostPort defaults to its containerPort. The ServiceAccount plugin's own
/// mutation (serviceAccountName `default`) is applied too, as PodSecurity and quota run after it.
// Mirrors pkg/apis/core/v1/defaults.go (SetDefaults_Pod, SetDefaults_PodSpec, defaultHostNetworkPorts)
// and plugin/pkg/admission/serviceaccount/admission.go (Admit)
pub fn default_pod_spec(template: &PodSpec) -> PodSpec {
    let mut spec = template.clone();
    let host_network = spec.host_network == Some(true);
    for c in spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut().flatten())
    {
        requests_from_limits(c);
        if host_network {
            for p in c.ports.iter_mut().flatten() {
                if p.host_port.is_none_or(|h| h == 0) {
                    p.host_port = Some(p.container_port);
                }
            }
        }
    }
    if spec
        .service_account_name
        .as_deref()
        .is_none_or(str::is_empty)
    {
        spec.service_account_name = Some(
            spec.service_account
                .clone()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "default".into()),
        );
    }
    spec
}

fn requests_from_limits(c: &mut Container) {
    let Some(resources) = c.resources.as_mut() else {
        return;
    };
    let Some(limits) = resources.limits.clone() else {
        return;
    };
    let requests = resources.requests.get_or_insert_with(BTreeMap::new);
    for (name, q) in limits {
        requests.entry(name).or_insert(q);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pod_defaulting_that_matters() {
        let cases = [
            (
                "limit without request is requested at the limit",
                json!({"containers": [{"name": "a", "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "500m"}}}]}),
                json!({"cpu": "500m", "memory": "1Gi"}),
                None,
            ),
            (
                "init containers too",
                json!({"containers": [{"name": "a"}], "initContainers": [{"name": "i", "resources": {"limits": {"cpu": "2"}}}]}),
                json!(null),
                None,
            ),
            (
                "hostNetwork defaults hostPort",
                json!({"hostNetwork": true, "containers": [{"name": "a", "ports": [{"containerPort": 9100}]}]}),
                json!(null),
                Some(9100),
            ),
            (
                "no hostNetwork, no hostPort",
                json!({"containers": [{"name": "a", "ports": [{"containerPort": 9100}]}]}),
                json!(null),
                None,
            ),
        ];
        for (name, spec, want_requests, want_port) in cases {
            let spec: PodSpec = serde_json::from_value(spec).unwrap();
            let got = default_pod_spec(&spec);
            let c = &got.containers[0];
            let requests =
                serde_json::to_value(c.resources.as_ref().and_then(|r| r.requests.as_ref()))
                    .unwrap();
            assert_eq!(requests, want_requests, "{name}");
            let port = c.ports.as_ref().and_then(|p| p[0].host_port);
            assert_eq!(port, want_port, "{name}");
            assert_eq!(
                got.service_account_name.as_deref(),
                Some("default"),
                "{name}"
            );
        }
        let spec: PodSpec = serde_json::from_value(json!({"containers": [{"name": "a"}], "initContainers": [{"name": "i", "resources": {"limits": {"cpu": "2"}}}]})).unwrap();
        let got = default_pod_spec(&spec);
        let init = &got.init_containers.unwrap()[0];
        assert_eq!(
            serde_json::to_value(init.resources.as_ref().unwrap().requests.as_ref()).unwrap(),
            json!({"cpu": "2"})
        );
    }

    #[test]
    fn daemonset_defaults() {
        let ds: DaemonSet = serde_json::from_value(
            json!({"metadata": {"name": "a"}, "spec": {"selector": {}, "template": {}}}),
        )
        .unwrap();
        let d = default_daemonset(&ds, "team");
        assert_eq!(d.metadata.namespace.as_deref(), Some("team"));
        assert_eq!(
            serde_json::to_value(&d.spec.update_strategy).unwrap(),
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}})
        );
        assert_eq!(d.spec.revision_history_limit, Some(10));
        let on_delete: DaemonSet = serde_json::from_value(json!({"metadata": {"name": "a", "namespace": "x"}, "spec": {"selector": {}, "template": {}, "updateStrategy": {"type": "OnDelete"}}})).unwrap();
        let d = default_daemonset(&on_delete, "team");
        assert_eq!(d.metadata.namespace.as_deref(), Some("x"));
        assert_eq!(
            serde_json::to_value(&d.spec.update_strategy).unwrap(),
            json!({"type": "OnDelete"})
        );
    }
}
