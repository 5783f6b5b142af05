//! The diagnosis engine: pure and synchronous. Turns a Snapshot into per-node verdicts.
//! No I/O, no clock, no environment: everything it knows is in the Snapshot.

pub mod admission;
pub mod cluster;
pub mod coverage;
pub mod eligibility;
pub mod explain;
pub mod host_ports;
pub mod label_selector;
pub mod node_affinity;
pub mod plan;
pub mod pod_state;
pub mod quantity;
pub mod resources;
pub mod rollout;
pub mod tolerations;
pub mod trace;
pub mod verdict;

pub use cluster::Cluster;
pub use coverage::{coverage, coverage_of, judge_each};
pub use explain::explain;
pub use trace::trace;
pub use verdict::diagnose;
