//! The ResourceQuota admission plugin for pods: what one pod charges against each quota of its
//! namespace, and how many such pods the quotas still let in. Pure: no I/O.
// Mirrors pkg/quota/v1/evaluator/core/pods.go (PodUsageFunc, podMatchesScopeFunc, Constraints) and
// staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go (checkRequest)

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{PodSpec, ResourceQuota};

use crate::diagnose::quantity::{self, Amount};
use crate::diagnose::resources::pod_requests;

/// What one quota leaves for pods of this kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaRoom {
    /// The quota's name.
    pub quota: String,
    /// How many more such pods it admits.
    pub allows: u64,
    /// The admission error for the first pod over the limit: `exceeded quota: ...`.
    pub exceeded: String,
}

/// One quota's verdict on the pod: no constraint, a fixed refusal (a resource it must specify), or a room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuotaVerdict {
    Refuses(String),
    Room(QuotaRoom),
}

/// Every quota of the namespace that covers the pod, in name order (the plugin checks them all and
/// reports the first failure).
pub fn judge(quotas: &[&ResourceQuota], spec: &PodSpec) -> Vec<QuotaVerdict> {
    let usage = pod_usage(spec);
    let mut quotas: Vec<&&ResourceQuota> = quotas.iter().collect();
    quotas.sort_by_key(|q| q.metadata.name.clone());
    quotas
        .into_iter()
        .filter(|q| matches_scopes(q, spec))
        .filter_map(|q| judge_one(q, spec, &usage))
        .collect()
}

fn judge_one(
    q: &ResourceQuota,
    spec: &PodSpec,
    usage: &BTreeMap<String, Amount>,
) -> Option<QuotaVerdict> {
    let name = q.metadata.name.clone().unwrap_or_default();
    let hard = amounts(q.spec.as_ref().and_then(|s| s.hard.as_ref()));
    let used = amounts(q.status.as_ref().and_then(|s| s.used.as_ref()));
    // Constraints: a quota on requests/limits of cpu or memory needs every container to state them.
    let missing = missing_constraints(&hard, spec);
    if !missing.is_empty() {
        return Some(QuotaVerdict::Refuses(format!(
            "failed quota: {name}: must specify {}",
            missing.join(",")
        )));
    }
    let mut allows: Option<u64> = None;
    for (resource, limit) in &hard {
        let Some(per_pod) = usage.get(resource).filter(|a| **a > Amount::ZERO) else {
            continue;
        };
        let used = used.get(resource).copied().unwrap_or(Amount::ZERO);
        let left = limit.saturating_sub(used).0.max(0);
        let n = (left / per_pod.0) as u64;
        allows = Some(allows.map_or(n, |a| a.min(n)));
    }
    let allows = allows?;
    // The message for the pod that finds the quota full: every covered resource that would exceed.
    let (mut req, mut usd, mut lim) = (Vec::new(), Vec::new(), Vec::new());
    for (resource, limit) in &hard {
        let Some(per_pod) = usage.get(resource) else {
            continue;
        };
        let u = used.get(resource).copied().unwrap_or(Amount::ZERO);
        let at_full = u.saturating_add(Amount(per_pod.0 * allows as i128));
        if at_full.saturating_add(*per_pod) > *limit {
            req.push(format!("{resource}={}", show(resource, *per_pod)));
            usd.push(format!("{resource}={}", show(resource, at_full)));
            lim.push(format!("{resource}={}", show(resource, *limit)));
        }
    }
    Some(QuotaVerdict::Room(QuotaRoom {
        quota: name.clone(),
        allows,
        exceeded: format!(
            "exceeded quota: {name}, requested: {}, used: {}, limited: {}",
            req.join(","),
            usd.join(","),
            lim.join(",")
        ),
    }))
}

/// A quota figure as the API server prints it: cpu in millicores, bytes with a binary suffix.
fn show(resource: &str, amount: Amount) -> String {
    let base = resource
        .strip_prefix("requests.")
        .or_else(|| resource.strip_prefix("limits."))
        .unwrap_or(resource);
    let base = if base == "count/pods" { "pods" } else { base };
    quantity::format_resource(base, quantity::scheduler_units(base, amount))
}

fn amounts(
    list: Option<&BTreeMap<String, k8s_openapi::apimachinery::pkg::api::resource::Quantity>>,
) -> BTreeMap<String, Amount> {
    list.into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), quantity::parse(&v.0).unwrap_or_default()))
        .collect()
}

/// What a pod that is not terminal charges: `pods` and `count/pods` one each, requests (also under
/// the bare names cpu, memory, ephemeral-storage) and limits, extended resources and hugepages.
// Mirrors pkg/quota/v1/evaluator/core/pods.go (PodUsageFunc)
pub fn pod_usage(spec: &PodSpec) -> BTreeMap<String, Amount> {
    let mut out = BTreeMap::new();
    out.insert("pods".to_string(), Amount::from_scheduler_units("pods", 1));
    out.insert(
        "count/pods".to_string(),
        Amount::from_scheduler_units("pods", 1),
    );
    let requests = pod_requests(&crate::snapshot::pod::PodSpec::from(spec), None);
    for (name, units) in &requests {
        if name == "pods" {
            continue;
        }
        let amount = Amount::from_scheduler_units(name, *units);
        if *units == 0 {
            continue;
        }
        match name.as_str() {
            "cpu" | "memory" | "ephemeral-storage" => {
                out.insert(name.clone(), amount);
                out.insert(format!("requests.{name}"), amount);
            }
            _ => {
                out.insert(format!("requests.{name}"), amount);
            }
        }
    }
    for (name, amount) in pod_limits(spec) {
        if matches!(name.as_str(), "cpu" | "memory" | "ephemeral-storage") {
            out.insert(format!("limits.{name}"), amount);
        }
    }
    out
}

/// Sum of container limits, or the largest init container limit when that is bigger.
// Mirrors k8s.io/component-helpers/resource/helpers.go (PodLimits), without sidecar subtleties.
fn pod_limits(spec: &PodSpec) -> BTreeMap<String, Amount> {
    let mut sum: BTreeMap<String, Amount> = BTreeMap::new();
    for c in &spec.containers {
        for (k, v) in c.resources.iter().flat_map(|r| r.limits.iter().flatten()) {
            let a = quantity::parse(&v.0).unwrap_or_default();
            let e = sum.entry(k.clone()).or_default();
            *e = e.saturating_add(a);
        }
    }
    for c in spec.init_containers.iter().flatten() {
        for (k, v) in c.resources.iter().flat_map(|r| r.limits.iter().flatten()) {
            let a = quantity::parse(&v.0).unwrap_or_default();
            let e = sum.entry(k.clone()).or_default();
            if a > *e {
                *e = a;
            }
        }
    }
    sum
}

/// `limits.cpu for: agent` for each constrained resource some container leaves unset.
// Mirrors pkg/quota/v1/evaluator/core/pods.go (Constraints, enforcePodContainerConstraints)
fn missing_constraints(hard: &BTreeMap<String, Amount>, spec: &PodSpec) -> Vec<String> {
    let mut out = Vec::new();
    for (quota_key, kind, resource) in [
        ("requests.cpu", "requests", "cpu"),
        ("cpu", "requests", "cpu"),
        ("requests.memory", "requests", "memory"),
        ("memory", "requests", "memory"),
        ("limits.cpu", "limits", "cpu"),
        ("limits.memory", "limits", "memory"),
    ] {
        if !hard.contains_key(quota_key) {
            continue;
        }
        let lacking: Vec<&str> = spec
            .containers
            .iter()
            .chain(spec.init_containers.iter().flatten())
            .filter(|c| {
                let r = c.resources.as_ref();
                let list = match kind {
                    "requests" => r.and_then(|r| r.requests.as_ref()),
                    _ => r.and_then(|r| r.limits.as_ref()),
                };
                !list.is_some_and(|l| l.contains_key(resource))
            })
            .map(|c| c.name.as_str())
            .collect();
        let entry = format!("{kind}.{resource}");
        if !lacking.is_empty() && !out.iter().any(|o: &String| o.starts_with(&entry)) {
            out.push(format!("{entry} for: {}", lacking.join(",")));
        }
    }
    out
}

/// Whether the quota's scopes select this pod. A DaemonSet pod has no activeDeadlineSeconds, so it is
/// NotTerminating; BestEffort when no container requests or limits cpu or memory.
// Mirrors pkg/quota/v1/evaluator/core/pods.go (podMatchesScopeFunc)
fn matches_scopes(q: &ResourceQuota, spec: &PodSpec) -> bool {
    let Some(s) = q.spec.as_ref() else {
        return true;
    };
    let best_effort = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten())
        .all(|c| {
            let r = c.resources.as_ref();
            let has = |l: Option<&BTreeMap<String, _>>| {
                l.is_some_and(|l| l.contains_key("cpu") || l.contains_key("memory"))
            };
            !has(r.and_then(|r| r.requests.as_ref())) && !has(r.and_then(|r| r.limits.as_ref()))
        });
    let terminating = spec.active_deadline_seconds.is_some_and(|s| s >= 0);
    let priority = spec.priority_class_name.clone().unwrap_or_default();
    let scope_ok = |scope: &str, op: &str, values: &[String]| -> bool {
        match scope {
            "Terminating" => terminating,
            "NotTerminating" => !terminating,
            "BestEffort" => best_effort,
            "NotBestEffort" => !best_effort,
            "PriorityClass" => match op {
                "In" => values.contains(&priority),
                "NotIn" => !values.contains(&priority),
                "Exists" => !priority.is_empty(),
                "DoesNotExist" => priority.is_empty(),
                _ => false,
            },
            // CrossNamespacePodAffinity: a daemon pod rarely has pod affinity; VolumeAttributesClass is not about pods.
            _ => false,
        }
    };
    let scopes_ok = s
        .scopes
        .iter()
        .flatten()
        .all(|scope| scope_ok(scope, "Exists", &[]));
    let selector_ok = s
        .scope_selector
        .iter()
        .flat_map(|sel| sel.match_expressions.iter().flatten())
        .all(|e| {
            scope_ok(
                &e.scope_name,
                &e.operator,
                e.values.as_deref().unwrap_or(&[]),
            )
        });
    scopes_ok && selector_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn quota(name: &str, spec: Value, used: Value) -> ResourceQuota {
        serde_json::from_value(json!({"metadata": {"name": name, "namespace": "q"}, "spec": spec, "status": {"used": used}})).unwrap()
    }

    fn spec(resources: Value) -> PodSpec {
        serde_json::from_value(json!({"containers": [{"name": "agent", "resources": resources}]}))
            .unwrap()
    }

    #[test]
    fn room_left_in_each_quota() {
        let cases: Vec<(&str, ResourceQuota, PodSpec, QuotaVerdict)> = vec![
            (
                "real cluster pod-count quota used up (TRUTH.md message)",
                quota("pod-count", json!({"hard": {"pods": "2"}}), json!({"pods": "2"})),
                spec(json!({})),
                QuotaVerdict::Room(QuotaRoom { quota: "pod-count".into(), allows: 0, exceeded: "exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2".into() }),
            ),
            (
                "pod-count given back: two more",
                quota("pod-count", json!({"hard": {"pods": "2"}}), json!({"pods": "0"})),
                spec(json!({})),
                QuotaVerdict::Room(QuotaRoom { quota: "pod-count".into(), allows: 2, exceeded: "exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2".into() }),
            ),
            (
                "cpu requests: the tighter resource decides",
                quota("compute", json!({"hard": {"requests.cpu": "1", "pods": "10"}}), json!({"requests.cpu": "200m", "pods": "3"})),
                spec(json!({"requests": {"cpu": "300m"}})),
                QuotaVerdict::Room(QuotaRoom { quota: "compute".into(), allows: 2, exceeded: "exceeded quota: compute, requested: requests.cpu=300m, used: requests.cpu=800m, limited: requests.cpu=1".into() }),
            ),
            (
                "limit-only container is charged its limit as request",
                quota("mem", json!({"hard": {"requests.memory": "1Gi"}}), json!({})),
                spec(json!({"limits": {"memory": "512Mi"}})),
                QuotaVerdict::Room(QuotaRoom { quota: "mem".into(), allows: 2, exceeded: "exceeded quota: mem, requested: requests.memory=512Mi, used: requests.memory=1Gi, limited: requests.memory=1Gi".into() }),
            ),
            (
                "limits quota needs every container to set the limit",
                quota("lim", json!({"hard": {"limits.cpu": "4"}}), json!({})),
                spec(json!({"requests": {"cpu": "1"}})),
                QuotaVerdict::Refuses("failed quota: lim: must specify limits.cpu for: agent".into()),
            ),
        ];
        for (name, q, s, want) in cases {
            let pod = crate::diagnose::plan::pod::default_pod_spec(&s);
            assert_eq!(judge(&[&q], &pod), vec![want], "{name}");
        }
    }

    #[test]
    fn scopes_select_pods() {
        let cases = [
            (
                "BestEffort quota, pod without resources",
                json!({"hard": {"pods": "1"}, "scopes": ["BestEffort"]}),
                json!({}),
                true,
            ),
            (
                "BestEffort quota, pod with requests",
                json!({"hard": {"pods": "1"}, "scopes": ["BestEffort"]}),
                json!({"requests": {"cpu": "1"}}),
                false,
            ),
            (
                "NotTerminating covers daemon pods",
                json!({"hard": {"pods": "1"}, "scopes": ["NotTerminating"]}),
                json!({}),
                true,
            ),
            (
                "Terminating does not",
                json!({"hard": {"pods": "1"}, "scopes": ["Terminating"]}),
                json!({}),
                false,
            ),
            (
                "PriorityClass In other class",
                json!({"hard": {"pods": "1"}, "scopeSelector": {"matchExpressions": [{"scopeName": "PriorityClass", "operator": "In", "values": ["high"]}]}}),
                json!({}),
                false,
            ),
        ];
        for (name, q, resources, want) in cases {
            let q = quota("q", q, json!({}));
            assert_eq!(!judge(&[&q], &spec(resources)).is_empty(), want, "{name}");
        }
    }
}
