//! Planning a change to a DaemonSet that already exists: which nodes' pods the controller keeps,
//! replaces or deletes, and how many rolling-update steps that takes. Pure: no I/O.
//!
//! The controller tells templates apart by the ControllerRevision hash, `controller.ComputeHash` over
//! the stored template and collisionCount: an FNV-32a of a go-spew dump of the Go structs, which cannot
//! be reproduced faithfully outside Go. So templates are compared semantically instead, after the API
//! server's defaulting is applied to both sides (the existing one is already defaulted) and empty values
//! and quantity spellings (`1000m` = `1`) are normalised: two templates that would be stored the same
//! compare equal, and so hash the same.

use std::collections::HashMap;

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::{Map, Value};

use crate::diagnose::cluster::Cluster;
use crate::diagnose::quantity;
use crate::diagnose::rollout::CurrentRevision;
use crate::report::Change;
use crate::snapshot::pod::Pod;

/// The DaemonSet as it is in the cluster state, if it exists.
#[derive(Default)]
pub struct Existing<'a> {
    exists: bool,
    template_changed: bool,
    on_delete: bool,
    current: CurrentRevision,
    pods: HashMap<String, Vec<&'a Pod>>,
    /// Pods being deleted, by node: the controller waits for them before creating a replacement.
    terminating: HashMap<String, Vec<&'a Pod>>,
}

impl<'a> Existing<'a> {
    pub fn new(cluster: &Cluster<'a>, current: Option<&'a DaemonSet>, planned: &DaemonSet) -> Self {
        let Some(ds) = current else {
            return Existing::default();
        };
        let mut pods = cluster.daemon_pods_by_node(ds).by_node;
        let mut terminating: HashMap<String, Vec<&Pod>> = HashMap::new();
        for (node, list) in pods.iter_mut() {
            // Terminating pods are already on their way out; the plan is about the others.
            let (gone, stay): (Vec<&Pod>, Vec<&Pod>) = list
                .iter()
                .partition(|p| p.metadata.deletion_timestamp.is_some());
            if !gone.is_empty() {
                terminating.insert(node.clone(), gone);
            }
            *list = stay;
        }
        Existing {
            exists: true,
            template_changed: template_changed(ds, planned),
            on_delete: planned
                .spec
                .update_strategy
                .as_ref()
                .and_then(|s| s.type_.as_deref())
                == Some("OnDelete"),
            current: CurrentRevision::new(ds, cluster.revisions(ds)),
            pods,
            terminating,
        }
    }

    pub fn template_changed(&self) -> Option<bool> {
        self.exists.then_some(self.template_changed)
    }

    pub fn pods_on(&self, node: &str) -> &[&'a Pod] {
        self.pods.get(node).map(Vec::as_slice).unwrap_or(&[])
    }

    /// For a node that no longer qualifies but keeps its pod (a NoSchedule taint, not NoExecute): a
    /// rolling update still replaces every old pod it finds, on such nodes too, and the controller does
    /// not create one there again (update.go rollingUpdate walks every node holding a pod; manage
    /// creates only where shouldRun). Returns why the pod goes, or None when it stays.
    pub fn rollout_removes(&self, own: &[&Pod]) -> Option<&'static str> {
        if self.on_delete || !self.exists {
            return None;
        }
        let old =
            |p: &&&Pod| self.template_changed || self.current.is_pod_updated(p) == Some(false);
        own.iter().find(old).map(|_| {
            if self.template_changed {
                "the rolling update replaces it because the template changes"
            } else {
                "the rollout in progress replaces its older revision"
            }
        })
    }

    /// For an eligible node holding `own` (the DaemonSet's pods there today): what happens to them,
    /// and the sentence that says so (empty for a plain creation).
    pub fn change_for(&self, node: &str, own: &[&Pod]) -> (Change, String) {
        let pod_name = |p: &Pod| p.metadata.name.clone().unwrap_or_default();
        if own.is_empty() {
            let story = match self.terminating.get(node) {
                // Observed on the recorded cluster (TRUTH.md, Q3): no replacement while it exists.
                Some(gone) => format!(
                    "pod {} is terminating; the controller creates the new pod once it is gone",
                    gone.iter()
                        .map(|p| pod_name(p))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None => String::new(),
            };
            return (Change::Add, story);
        }
        // A pod runs the planned template if the template is unchanged and the pod is on the current
        // revision (an unknown revision counts as current). During a surge a node holds an old and a
        // new pod: the new one stays, the old one goes once the new one is available.
        let current =
            |p: &Pod| !self.template_changed && self.current.is_pod_updated(p) != Some(false);
        if let Some(keep) = own.iter().find(|p| current(p)) {
            let mut story = format!("pod {} stays as it is", pod_name(keep));
            let old: Vec<String> = own
                .iter()
                .filter(|p| !current(p))
                .map(|p| pod_name(p))
                .collect();
            if !old.is_empty() {
                story.push_str(&format!(
                    "; old pod {} is deleted once it is available",
                    old.join(", ")
                ));
            }
            return (Change::Keep, story);
        }
        let pod = pod_name(own[0]);
        let why = match (self.template_changed, self.on_delete) {
            (true, _) => "the template changes",
            (false, true) => "it runs an older revision",
            (false, false) => "it runs an older revision (a rollout is in progress)",
        };
        if self.on_delete {
            (
                Change::Keep,
                format!("pod {pod} stays until you delete it (OnDelete), although {why}"),
            )
        } else {
            (
                Change::Replace,
                format!("pod {pod} is replaced because {why}"),
            )
        }
    }
}

/// How many pods a rolling update replaces at once, and the words for it.
// Mirrors pkg/controller/daemon/update.go (rollingUpdate) and util/daemonset_util.go (UnavailableCount,
// SurgeCount): percentages are of the desired number of scheduled pods, rounded up.
pub fn step_size(ds: &DaemonSet, desired: usize) -> (String, Option<u64>) {
    let strategy = ds.spec.update_strategy.as_ref();
    if strategy.and_then(|s| s.type_.as_deref()) == Some("OnDelete") {
        return (
            "OnDelete: each pod is replaced only when you delete it".into(),
            None,
        );
    }
    let ru = strategy.and_then(|s| s.rolling_update.as_ref());
    let scaled = |v: Option<&IntOrString>| -> (String, u64) {
        match v {
            Some(IntOrString::Int(n)) => (n.to_string(), (*n).max(0) as u64),
            Some(IntOrString::String(s)) => {
                let pct = s.trim_end_matches('%').parse::<u64>().unwrap_or(0);
                (s.clone(), (pct * desired as u64).div_ceil(100))
            }
            None => ("0".into(), 0),
        }
    };
    let (surge_text, surge) = scaled(ru.and_then(|r| r.max_surge.as_ref()));
    if surge > 0 {
        return (format!("RollingUpdate maxSurge={surge_text}"), Some(surge));
    }
    let (text, n) = scaled(ru.and_then(|r| r.max_unavailable.as_ref()));
    (format!("RollingUpdate maxUnavailable={text}"), Some(n))
}

/// Whether the planned template would be stored differently from the existing one.
pub fn template_changed(existing: &DaemonSet, planned: &DaemonSet) -> bool {
    let a = normalize(serde_json::to_value(&existing.spec.template).unwrap_or(Value::Null));
    let b = normalize(serde_json::to_value(&planned.spec.template).unwrap_or(Value::Null));
    a != b
}

/// The template with the API server's defaults filled in and empties dropped.
// Mirrors pkg/apis/core/v1/defaults.go (SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_Probe,
// SetDefaults_*VolumeSource, SetDefaults_ServicePort...) for the fields a template commonly leaves out.
fn normalize(mut v: Value) -> Value {
    if let Some(spec) = v.get_mut("spec").and_then(Value::as_object_mut) {
        default(spec, "dnsPolicy", "ClusterFirst".into());
        default(spec, "restartPolicy", "Always".into());
        default(spec, "schedulerName", "default-scheduler".into());
        default(spec, "terminationGracePeriodSeconds", 30.into());
        // serviceAccount is the deprecated mirror of serviceAccountName.
        if let Some(sa) = spec.get("serviceAccountName").cloned() {
            spec.insert("serviceAccount".into(), sa);
        } else if let Some(sa) = spec.get("serviceAccount").cloned() {
            spec.insert("serviceAccountName".into(), sa);
        }
        let host_network = spec.get("hostNetwork") == Some(&Value::Bool(true));
        for key in ["containers", "initContainers"] {
            for c in spec
                .get_mut(key)
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                if let Some(c) = c.as_object_mut() {
                    container(c, host_network);
                }
            }
        }
        for vol in spec
            .get_mut("volumes")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            for (kind, mode) in [
                ("secret", "defaultMode"),
                ("configMap", "defaultMode"),
                ("projected", "defaultMode"),
                ("downwardAPI", "defaultMode"),
            ] {
                if let Some(src) = vol.get_mut(kind).and_then(Value::as_object_mut) {
                    default(src, mode, 420.into());
                }
            }
            if let Some(hp) = vol.get_mut("hostPath").and_then(Value::as_object_mut) {
                default(hp, "type", "".into());
            }
        }
    }
    prune(&mut v);
    v
}

fn default(map: &mut Map<String, Value>, key: &str, value: Value) {
    if map.get(key).is_none_or(Value::is_null) {
        map.insert(key.into(), value);
    }
}

fn container(c: &mut Map<String, Value>, host_network: bool) {
    default(c, "terminationMessagePath", "/dev/termination-log".into());
    default(c, "terminationMessagePolicy", "File".into());
    let image = c
        .get("image")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    default(c, "imagePullPolicy", pull_policy(&image).into());
    for p in c
        .get_mut("ports")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(p) = p.as_object_mut() {
            default(p, "protocol", "TCP".into());
            if host_network && p.get("hostPort").is_none_or(|h| h.is_null() || h == 0) {
                let cp = p.get("containerPort").cloned().unwrap_or(Value::Null);
                p.insert("hostPort".into(), cp);
            }
        }
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = c.get_mut(probe).and_then(Value::as_object_mut) {
            default(p, "timeoutSeconds", 1.into());
            default(p, "periodSeconds", 10.into());
            default(p, "successThreshold", 1.into());
            default(p, "failureThreshold", 3.into());
            if let Some(h) = p.get_mut("httpGet").and_then(Value::as_object_mut) {
                default(h, "scheme", "HTTP".into());
            }
        }
    }
    for e in c
        .get_mut("env")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(f) = e
            .pointer_mut("/valueFrom/fieldRef")
            .and_then(Value::as_object_mut)
        {
            default(f, "apiVersion", "v1".into());
        }
    }
    if let Some(r) = c.get_mut("resources").and_then(Value::as_object_mut) {
        for list in ["requests", "limits"] {
            if let Some(l) = r.get_mut(list).and_then(Value::as_object_mut) {
                for q in l.values_mut() {
                    if let Some(a) = q.as_str().and_then(|s| quantity::parse(s).ok()) {
                        *q = Value::String(format!("{}n", a.nanos()));
                    }
                }
            }
        }
    }
}

/// `latest` or no tag (and no digest) pulls Always, anything else IfNotPresent.
// Mirrors pkg/apis/core/v1/defaults.go (SetDefaults_Container)
fn pull_policy(image: &str) -> &'static str {
    if image.contains('@') {
        return "IfNotPresent";
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, "latest")) | None => "Always",
        Some(_) => "IfNotPresent",
    }
}

/// Drops nulls and empty maps and lists, which the API server does not store.
fn prune(v: &mut Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => {
            m.retain(|_, x| !prune(x));
            m.is_empty()
        }
        Value::Array(a) => {
            for x in a.iter_mut() {
                prune(x);
            }
            a.is_empty()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ds(template: Value) -> DaemonSet {
        serde_json::from_value(
            json!({"metadata": {"name": "a"}, "spec": {"selector": {}, "template": template}}),
        )
        .unwrap()
    }

    #[test]
    fn templates_compare_after_defaulting() {
        let stored = json!({"metadata": {"creationTimestamp": null, "labels": {"app": "a"}}, "spec": {
            "containers": [{"name": "c", "image": "nginx:1.26", "imagePullPolicy": "IfNotPresent", "resources": {"requests": {"cpu": "1"}},
                "ports": [{"containerPort": 80, "protocol": "TCP"}], "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}],
            "dnsPolicy": "ClusterFirst", "restartPolicy": "Always", "schedulerName": "default-scheduler", "securityContext": {}, "terminationGracePeriodSeconds": 30,
            "volumes": [{"name": "cfg", "configMap": {"name": "x", "defaultMode": 420}}]}});
        let cases = [
            (
                "as written by hand",
                json!({"metadata": {"labels": {"app": "a"}}, "spec": {"containers": [{"name": "c", "image": "nginx:1.26", "resources": {"requests": {"cpu": "1000m"}}, "ports": [{"containerPort": 80}]}], "volumes": [{"name": "cfg", "configMap": {"name": "x"}}]}}),
                false,
            ),
            (
                "new image",
                json!({"metadata": {"labels": {"app": "a"}}, "spec": {"containers": [{"name": "c", "image": "nginx:1.27", "resources": {"requests": {"cpu": "1"}}, "ports": [{"containerPort": 80}]}], "volumes": [{"name": "cfg", "configMap": {"name": "x"}}]}}),
                true,
            ),
            (
                "new label",
                json!({"metadata": {"labels": {"app": "a", "v": "2"}}, "spec": {"containers": [{"name": "c", "image": "nginx:1.26", "resources": {"requests": {"cpu": "1"}}, "ports": [{"containerPort": 80}]}], "volumes": [{"name": "cfg", "configMap": {"name": "x"}}]}}),
                true,
            ),
            (
                "explicit default grace period",
                json!({"metadata": {"labels": {"app": "a"}}, "spec": {"terminationGracePeriodSeconds": 30, "containers": [{"name": "c", "image": "nginx:1.26", "resources": {"requests": {"cpu": "1"}}, "ports": [{"containerPort": 80}]}], "volumes": [{"name": "cfg", "configMap": {"name": "x"}}]}}),
                false,
            ),
        ];
        for (name, manifest, want) in cases {
            assert_eq!(
                template_changed(&ds(stored.clone()), &ds(manifest)),
                want,
                "{name}"
            );
        }
    }

    #[test]
    fn pull_policy_defaults() {
        for (image, want) in [
            ("nginx", "Always"),
            ("nginx:latest", "Always"),
            ("nginx:1.27", "IfNotPresent"),
            ("reg:5000/nginx", "Always"),
            ("nginx@sha256:abc", "IfNotPresent"),
        ] {
            assert_eq!(pull_policy(image), want, "{image}");
        }
    }

    #[test]
    fn rolling_update_step_size() {
        let with = |s: Value| -> DaemonSet {
            serde_json::from_value(json!({"metadata": {"name": "a"}, "spec": {"selector": {}, "template": {}, "updateStrategy": s}})).unwrap()
        };
        let cases = [
            (
                "default one at a time",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}),
                10,
                "RollingUpdate maxUnavailable=1",
                Some(1),
            ),
            (
                "percentage rounds up",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": 0}}),
                10,
                "RollingUpdate maxUnavailable=25%",
                Some(3),
            ),
            (
                "surge",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 2}}),
                10,
                "RollingUpdate maxSurge=2",
                Some(2),
            ),
            (
                "on delete",
                json!({"type": "OnDelete"}),
                10,
                "OnDelete: each pod is replaced only when you delete it",
                None,
            ),
        ];
        for (name, s, desired, text, n) in cases {
            assert_eq!(
                step_size(&with(s), desired),
                (text.to_string(), n),
                "{name}"
            );
        }
    }
}
