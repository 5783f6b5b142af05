//! Sources of cluster state: the live API and `kubectl get -o json|yaml` dumps, both producing a Snapshot.
//! A source hands the engine only well-formed state: quantities are checked here, once.

pub mod events;
pub mod file;
pub mod lean;
pub mod live;
pub mod manifest;
pub mod reflector;
pub mod selector;

use rayon::prelude::*;

use crate::diagnose::resources::{InvalidQuantity, validate_node, validate_pod};
use crate::snapshot::Snapshot;

/// Rejects quantities the API server would never have stored (hand-edited dumps), naming the object and field.
/// Checked one per core (every quantity of ~40k daemon pods is parsed at 5,000 nodes); the error named
/// is the first in the snapshot's order, as a scan in order would find it.
pub fn validate(snapshot: &Snapshot) -> Result<(), InvalidQuantity> {
    first_error(&snapshot.nodes, validate_node)?;
    first_error(&snapshot.pods, validate_pod)?;
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

fn first_error<T: Sync>(
    items: &[T],
    check: impl Fn(&T) -> Result<(), InvalidQuantity> + Sync,
) -> Result<(), InvalidQuantity> {
    match items.par_iter().find_first(|item| check(item).is_err()) {
        Some(bad) => check(bad),
        None => Ok(()),
    }
}
