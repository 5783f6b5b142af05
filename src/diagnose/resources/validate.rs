//! Checks every quantity the fit reads before it reads them, so bad input is a clear error naming
//! the object and field (InvalidQuantity) and not a wrong number. Reports; never corrects.

use k8s_openapi::api::core::v1::{Node, ResourceRequirements};

use super::RawList;
use crate::diagnose::quantity::{self, QuantityError};
use crate::snapshot::pod::Pod;

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
        // Every field checked here is one the API server requires non-negative (ValidateNonnegativeQuantity
        // in pkg/apis/core/validation/validation.go), so a negative one can only come from a hand-edited file.
        let error = match quantity::parse(&q.0) {
            Ok(amount) if amount.nanos() < 0 => QuantityError {
                input: q.0.clone(),
                reason: "must be greater than or equal to 0".into(),
            },
            Ok(_) => continue,
            Err(error) => error,
        };
        return Err(InvalidQuantity {
            object: object.to_string(),
            field: format!("{field}.{name}"),
            error,
        });
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
    use super::super::test_support::*;
    use super::*;
    use serde_json::{Value, json};

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
            (
                "negative container request",
                json!({"metadata": {"name": "p", "namespace": "ns"}, "spec": {"containers": [c("agent", json!({"cpu": "-1"}))]}}),
                Some(
                    "pod ns/p: spec.containers[agent].resources.requests.cpu: invalid quantity \"-1\": must be greater than or equal to 0",
                ),
            ),
            (
                "negative zero is zero",
                json!({"metadata": {"name": "p", "namespace": "ns"}, "spec": {"containers": [c("agent", json!({"cpu": "-0"}))]}}),
                None,
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
            (
                "negative allocatable",
                json!({"allocatable": {"memory": "-1Gi"}, "capacity": {"memory": "1Gi"}}),
                Some(
                    "node n1: status.allocatable.memory: invalid quantity \"-1Gi\": must be greater than or equal to 0",
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
}
