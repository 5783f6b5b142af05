//! Sources of cluster state: the live API and `kubectl get -o json|yaml` dumps, both producing a Snapshot.

pub mod events;
pub mod file;
pub mod live;
