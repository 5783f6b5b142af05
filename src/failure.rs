//! Errors as the user reads them: one line saying what failed, and a hint naming the next step.

use crate::diagnose::resources::InvalidQuantity;
use crate::source::file::FileError;
use crate::source::live::LiveError;

/// An error raised by the app itself (not a source), with the next step to suggest.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    pub message: String,
    pub hint: Option<String>,
}

impl Failure {
    pub fn new(message: impl Into<String>, hint: Option<String>) -> Self {
        Failure {
            message: message.into(),
            hint,
        }
    }
}

/// The hint for the first error in the chain that knows one.
pub fn hint(err: &anyhow::Error) -> Option<String> {
    err.chain().find_map(|e| {
        if let Some(f) = e.downcast_ref::<Failure>() {
            return f.hint.clone();
        }
        if let Some(l) = e.downcast_ref::<LiveError>() {
            return l.hint();
        }
        if e.downcast_ref::<InvalidQuantity>().is_some() {
            return Some("quantities look like 500m, 1.5, 2Gi or 1e3; the API server never stores anything else, so fix the value in the file".into());
        }
        if let Some(f) = e.downcast_ref::<FileError>() {
            return Some(match f {
                FileError::Io { .. } | FileError::NoInput { .. } => "pass a file or directory made with `kubectl get nodes,pods,daemonsets,events,controllerrevisions -A -o yaml > cluster.yaml`, or `-` for stdin".into(),
                _ => "the file must be `kubectl get ... -o yaml|json` output (a List, single objects, multi-document YAML, or raw API list responses)".into(),
            });
        }
        None
    })
}
