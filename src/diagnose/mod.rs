//! The diagnosis engine: pure and synchronous. Turns a Snapshot into per-node verdicts.
//! No I/O, no clock, no environment: `now` is passed in.

pub mod eligibility;
pub mod host_ports;
pub mod node_affinity;
pub mod pod_state;
pub mod quantity;
pub mod resources;
pub mod tolerations;
