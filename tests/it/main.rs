//! The one integration test binary: the CLI end to end on recorded real clusters, the bundled example,
//! upstream Kubernetes' own cases, and the live source against a local stand-in API server.

mod api_faults;
mod api_server;
mod battery;
mod battery_files;
mod cli;
mod connection;
mod examples;
mod explain;
mod live;
mod live_cli;
mod live_requests;
mod node_trace;
mod output;
mod plan;
mod plan_node;
mod plugin;
mod properties;
mod recorded_api;
mod rollout;
mod schema;
mod support;
mod truth;
mod upstream;
mod watch;
