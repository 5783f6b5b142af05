//! The one integration test binary: the CLI end to end on recorded real clusters, and the live
//! source against a local stand-in API server serving recorded responses.

mod api_server;
mod live;
mod plugin;
mod support;
mod truth;
