//! Sources of cluster state: the live API and `kubectl get -o json|yaml` dumps, both producing a Snapshot.
//! A source hands the engine only well-formed state: quantities are checked here, once.

pub mod events;
pub mod file;
pub mod lean;
pub mod live;
pub mod manifest;
pub mod reflector;
pub mod selector;

use crate::diagnose::resources::{InvalidQuantity, validate_node, validate_pod};
use crate::snapshot::Snapshot;

/// Rejects quantities the API server would never have stored (hand-edited dumps), naming the object and field.
pub fn validate(snapshot: &Snapshot) -> Result<(), InvalidQuantity> {
    snapshot.nodes.iter().try_for_each(validate_node)?;
    snapshot.pods.iter().try_for_each(validate_pod)?;
    for ds in &snapshot.daemonsets {
        let pod = crate::snapshot::Pod {
            metadata: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
                name: Some(format!(
                    "template of daemonset {}",
                    ds.metadata.name.as_deref().unwrap_or("")
                )),
                namespace: ds.metadata.namespace.clone(),
                ..Default::default()
            },
            spec: ds
                .spec
                .template
                .spec
                .as_ref()
                .map(crate::snapshot::pod::PodSpec::from),
            status: None,
        };
        validate_pod(&pod)?;
    }
    Ok(())
}
