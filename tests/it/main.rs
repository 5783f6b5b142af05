//! Integration tests: the live source against a local stand-in API server serving recorded responses.

mod api_server;
mod live;
