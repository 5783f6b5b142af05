//! Template revisions: which pods run the DaemonSet's current template, and how a rollout stands.

use k8s_openapi::api::apps::v1::{ControllerRevision, DaemonSet};

use crate::report::Revision;
use crate::snapshot::pod::Pod;

pub mod budget;
pub mod pass;
pub mod state;

pub use state::assess;

/// The pod label the controller stamps with the template hash (apps/v1 DefaultDaemonSetUniqueLabelKey).
pub const REVISION_LABEL: &str = "controller-revision-hash";
const TEMPLATE_GENERATION_LABEL: &str = "pod-template-generation";
const TEMPLATE_GENERATION_ANNOTATION: &str = "deprecated.daemonset.template.generation";

/// What the engine knows about the DaemonSet's current template.
#[derive(Debug, Clone, Default)]
pub struct CurrentRevision {
    /// Hash of the newest ControllerRevision, when revisions were available.
    pub hash: Option<String>,
    /// The DaemonSet's template generation annotation (the pre-hash way of telling revisions apart).
    pub template_generation: Option<String>,
}

impl CurrentRevision {
    /// The controller's current revision is the one matching the live template; the newest
    /// ControllerRevision is that one (the controller bumps `.revision` whenever it switches).
    pub fn new(ds: &DaemonSet, revisions: &[&ControllerRevision]) -> Self {
        let newest = revisions.iter().max_by_key(|r| r.revision);
        let hash = newest.and_then(|r| revision_hash(r, ds));
        let template_generation = ds
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(TEMPLATE_GENERATION_ANNOTATION).cloned());
        CurrentRevision {
            hash,
            template_generation,
        }
    }

    /// Whether the pod runs the current template; None when nothing tells.
    /// Mirrors pkg/controller/daemon/util/daemonset_util.go (IsPodUpdated): hash OR template generation.
    pub fn is_pod_updated(&self, pod: &Pod) -> Option<bool> {
        if self.hash.is_none() && self.template_generation.is_none() {
            return None;
        }
        let labels = pod.metadata.labels.as_ref();
        let label = |k: &str| labels.and_then(|l| l.get(k));
        let hash_matches = self
            .hash
            .as_ref()
            .is_some_and(|h| !h.is_empty() && label(REVISION_LABEL) == Some(h));
        let generation_matches = self
            .template_generation
            .as_ref()
            .is_some_and(|g| label(TEMPLATE_GENERATION_LABEL) == Some(g));
        Some(hash_matches || generation_matches)
    }

    /// `current` or `old` for a pod; None when nothing tells.
    pub fn revision_of(&self, pod: &Pod) -> Option<Revision> {
        self.is_pod_updated(pod).map(|updated| {
            if updated {
                Revision::Current
            } else {
                Revision::Old
            }
        })
    }
}

fn revision_hash(rev: &ControllerRevision, ds: &DaemonSet) -> Option<String> {
    if let Some(h) = rev
        .metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(REVISION_LABEL))
    {
        return Some(h.clone());
    }
    // Revisions are named `<ds-name>-<hash>`.
    let ds_name = ds.metadata.name.as_deref()?;
    rev.metadata
        .name
        .as_deref()?
        .strip_prefix(ds_name)?
        .strip_prefix('-')
        .map(str::to_owned)
}

pub fn pod_revision(pod: &Pod) -> Option<String> {
    pod.metadata
        .labels
        .as_ref()
        .and_then(|l| l.get(REVISION_LABEL).cloned())
}

/// Whether the update strategy lets a node hold a second pod (the new revision beside the old one).
/// A missing strategy type is RollingUpdate (the API server's default); a percentage is scaled
/// against one node and rounded up, so any non-zero percentage allows surge.
// Mirrors pkg/controller/daemon/util/daemonset_util.go (AllowsSurge, SurgeCount)
pub fn allows_surge(ds: &DaemonSet) -> bool {
    use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
    let Some(strategy) = ds.spec.update_strategy.as_ref() else {
        return false;
    };
    if strategy.type_.as_deref().unwrap_or("RollingUpdate") != "RollingUpdate" {
        return false;
    }
    match strategy
        .rolling_update
        .as_ref()
        .and_then(|r| r.max_surge.as_ref())
    {
        None => false,
        Some(IntOrString::Int(n)) => *n != 0,
        // intstr.GetScaledValueFromIntOrPercent: "N%" of 1 rounded up; anything else is an error.
        Some(IntOrString::String(s)) => s
            .strip_suffix('%')
            .and_then(|n| n.parse::<i64>().ok())
            .is_some_and(|n| n != 0),
    }
}

/// `RollingUpdate maxUnavailable=1 maxSurge=0` / `OnDelete`: how replacements happen.
pub fn strategy_text(ds: &DaemonSet) -> String {
    let strategy = ds.spec.update_strategy.as_ref();
    let kind = strategy
        .and_then(|s| s.type_.clone())
        .unwrap_or_else(|| "RollingUpdate".into());
    if kind != "RollingUpdate" {
        return kind;
    }
    let ru = strategy.and_then(|s| s.rolling_update.as_ref());
    let show =
        |v: Option<&k8s_openapi::apimachinery::pkg::util::intstr::IntOrString>, d: &str| match v {
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(i)) => {
                i.to_string()
            }
            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s)) => s.clone(),
            None => d.to_string(),
        };
    format!(
        "RollingUpdate maxUnavailable={} maxSurge={}",
        show(ru.and_then(|r| r.max_unavailable.as_ref()), "1"),
        show(ru.and_then(|r| r.max_surge.as_ref()), "0")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ds(annotations: serde_json::Value) -> DaemonSet {
        serde_json::from_value(json!({
            "metadata": {"name": "agent", "namespace": "ns", "uid": "u", "annotations": annotations},
            "spec": {"selector": {}, "template": {}}
        }))
        .unwrap()
    }
    fn rev(name: &str, hash: Option<&str>, n: i64) -> ControllerRevision {
        let labels = hash
            .map(|h| json!({REVISION_LABEL: h}))
            .unwrap_or(json!({}));
        serde_json::from_value(json!({"metadata": {"name": name, "labels": labels}, "revision": n}))
            .unwrap()
    }
    fn pod(labels: serde_json::Value) -> Pod {
        serde_json::from_value(json!({"metadata": {"name": "p", "labels": labels}})).unwrap()
    }

    #[test]
    fn newest_revision_is_current_and_decides_updated() {
        let cases = [
            (
                "pod on newest hash is updated",
                json!({REVISION_LABEL: "bbb"}),
                Some(true),
            ),
            (
                "pod on older hash is outdated",
                json!({REVISION_LABEL: "aaa"}),
                Some(false),
            ),
            (
                "matching template generation counts as updated",
                json!({REVISION_LABEL: "aaa", TEMPLATE_GENERATION_LABEL: "2"}),
                Some(true),
            ),
            ("pod without labels is outdated", json!({}), Some(false)),
        ];
        let d = ds(json!({TEMPLATE_GENERATION_ANNOTATION: "2"}));
        let (r1, r2) = (
            rev("agent-aaa", Some("aaa"), 1),
            rev("agent-bbb", Some("bbb"), 2),
        );
        let cur = CurrentRevision::new(&d, &[&r2, &r1]);
        assert_eq!(cur.hash.as_deref(), Some("bbb"));
        for (name, labels, want) in cases {
            assert_eq!(cur.is_pod_updated(&pod(labels)), want, "{name}");
        }
    }

    #[test]
    fn revision_hash_falls_back_to_name_suffix() {
        let d = ds(json!({}));
        let r = rev("agent-5f8cdc9648", None, 3);
        assert_eq!(
            CurrentRevision::new(&d, &[&r]).hash.as_deref(),
            Some("5f8cdc9648")
        );
    }

    #[test]
    fn surge_is_allowed_only_by_a_non_zero_max_surge() {
        let cases = [
            ("no strategy", json!(null), false),
            ("OnDelete", json!({"type": "OnDelete"}), false),
            (
                "OnDelete ignores maxSurge",
                json!({"type": "OnDelete", "rollingUpdate": {"maxSurge": 1}}),
                false,
            ),
            (
                "RollingUpdate without rollingUpdate",
                json!({"type": "RollingUpdate"}),
                false,
            ),
            (
                "maxSurge 0",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}}),
                false,
            ),
            (
                "maxSurge 1",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}),
                true,
            ),
            (
                "maxSurge 10% rounds up to 1",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "10%"}}),
                true,
            ),
            (
                "maxSurge 0%",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "0%"}}),
                false,
            ),
            (
                "missing type defaults to RollingUpdate",
                json!({"rollingUpdate": {"maxSurge": 2}}),
                true,
            ),
            (
                "unparsable percentage is an error upstream: no surge",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "many"}}),
                false,
            ),
        ];
        for (name, strategy, want) in cases {
            let d: DaemonSet = serde_json::from_value(json!({
                "metadata": {"name": "agent"},
                "spec": {"selector": {}, "template": {}, "updateStrategy": strategy}
            }))
            .unwrap();
            assert_eq!(allows_surge(&d), want, "{name}");
        }
    }

    #[test]
    fn nothing_known_means_unknown() {
        let d = ds(json!({}));
        let cur = CurrentRevision::new(&d, &[]);
        assert_eq!(cur.is_pod_updated(&pod(json!({REVISION_LABEL: "x"}))), None);
    }
}
