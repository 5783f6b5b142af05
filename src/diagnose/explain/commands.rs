//! The kubectl commands `--explain` prints to confirm a finding by hand, and the fix that applies
//! a YAML snippet to the DaemonSet with `kubectl patch`. Builds text only; runs nothing.

use super::yaml::{self, Entry, Y, e};
use super::{Ctx, NodeAdvisor};
use crate::report::Fix;

impl Ctx<'_> {
    /// `-n <ns>` of the DaemonSet, for commands about it and its pods.
    pub(super) fn n(&self) -> String {
        format!("-n {}", self.ns)
    }

    pub(super) fn get_ds(&self, jsonpath: &str) -> String {
        format!(
            "kubectl get daemonset {} {} -o jsonpath='{jsonpath}'",
            self.name,
            self.n()
        )
    }

    pub(super) fn describe_ds(&self) -> String {
        format!("kubectl describe daemonset {} {}", self.name, self.n())
    }

    pub(super) fn ds_events(&self) -> String {
        format!(
            "kubectl get events {} --field-selector involvedObject.name={}",
            self.n(),
            self.name
        )
    }

    /// A fix that patches the DaemonSet's pod template with `entries` under `spec.template.spec`.
    pub(super) fn template_fix(&self, summary: String, entries: Vec<Entry>) -> Fix {
        let root = Y::Map(vec![e(
            "spec",
            Y::Map(vec![e(
                "template",
                Y::Map(vec![e("spec", Y::Map(entries))]),
            )]),
        )]);
        self.ds_fix(summary, root)
    }

    /// A fix that patches the DaemonSet with `root` (a document starting at `spec:`).
    pub(super) fn ds_fix(&self, summary: String, root: Y) -> Fix {
        Fix {
            summary,
            yaml: Some(yaml::emit(&root)),
            commands: vec![format!(
                "kubectl patch daemonset {} {} --patch-file fix.yaml",
                self.name,
                self.n()
            )],
        }
    }
}

impl NodeAdvisor<'_> {
    pub(super) fn describe_pod(&self) -> Option<String> {
        self.pod()
            .map(|p| format!("kubectl describe pod {p} {}", self.ctx.n()))
    }

    pub(super) fn pod_events(&self) -> Option<String> {
        self.pod().map(|p| {
            format!(
                "kubectl get events {} --field-selector involvedObject.name={p}",
                self.ctx.n()
            )
        })
    }

    pub(super) fn describe_node(&self) -> String {
        format!("kubectl describe node {}", self.node_name())
    }
}

/// Wraps `text` in single quotes for a POSIX shell.
pub(super) fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}
