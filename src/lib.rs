//! kubectl-ds: why is my DaemonSet pod not on that node?
//! Orchestration only: options in, a source loads a Snapshot, the engine judges, a renderer writes.

pub mod cli;
pub mod complete;
pub mod diagnose;
pub mod logging;
pub mod render;
pub mod report;
pub mod snapshot;
pub mod source;

mod app;
mod failure;
mod node_trace;
mod progress;

pub use app::{Outcome, run};
pub use failure::{Failure, hint};
