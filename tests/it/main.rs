//! The one integration test binary: the CLI end to end on recorded real clusters, and the live
//! source against a local stand-in API server serving recorded responses.

mod api_server;
mod cli;
mod live;
mod live_cli;
mod recorded_api;
mod support;
mod truth;
mod upstream;
