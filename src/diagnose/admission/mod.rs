//! What the API server's admission plugins would say to a DaemonSet's pod, before any node is involved:
//! NamespaceLifecycle, ServiceAccount, PodSecurity and ResourceQuota, in the order the API server runs
//! them. Reads only the Snapshot's admission inputs; pure: no I/O.
//! Not knowable through the API, so not modelled: PodSecurity exemptions and cluster-wide defaults
//! (AdmissionConfiguration), LimitRange defaults, and admission webhooks.

pub mod pod_security;
pub mod quota;
pub mod service_account;

use k8s_openapi::api::core::v1::PodSpec;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;

use crate::snapshot::Snapshot;
use pod_security::{AUDIT, ENFORCE, WARN};
use quota::{QuotaRoom, QuotaVerdict};

/// One admission plugin's verdict on the pod, as the plan reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdmissionCheck {
    /// `ServiceAccount`, `PodSecurity`, `ResourceQuota`, `NamespaceLifecycle`.
    pub plugin: String,
    /// The object it read: `serviceaccount missing-sa/agent-sa`, `namespace psa-blocked`, `resourcequota q/pod-count`.
    pub object: String,
    /// `Allowed`, `Refused` (every pod), `Limited` (a quota admits only some), `Warning` or `Skipped`.
    pub result: String,
    pub message: String,
}

/// Admission's verdict for every pod of one DaemonSet (they differ only in the node they target).
#[derive(Debug, Clone, Default)]
pub struct Admission {
    pub checks: Vec<AdmissionCheck>,
    /// The first refusal every new pod meets: what the controller's FailedCreate event will say.
    pub refusal: Option<AdmissionCheck>,
    /// The tightest quota, when quotas cover the pod.
    pub quota: Option<QuotaRoom>,
}

impl Admission {
    fn push(&mut self, plugin: &str, object: String, result: &str, message: String) {
        let check = AdmissionCheck {
            plugin: plugin.into(),
            object,
            result: result.into(),
            message,
        };
        if result == "Refused" && self.refusal.is_none() {
            self.refusal = Some(check.clone());
        }
        self.checks.push(check);
    }
}

/// Judges the pod (`meta` and `spec` as created, defaulting applied) in `namespace`.
// Mirrors the default plugin order of pkg/kubeapiserver/options/plugins.go (AllOrderedPlugins):
// NamespaceLifecycle, ServiceAccount (mutating, before a name is generated), PodSecurity, ResourceQuota.
pub fn admit(snapshot: &Snapshot, namespace: &str, meta: &ObjectMeta, spec: &PodSpec) -> Admission {
    let mut out = Admission::default();
    let ns_object = format!("namespace {namespace}");
    let ns = snapshot.namespaces.as_ref().map(|list| {
        list.iter()
            .find(|n| n.metadata.name.as_deref() == Some(namespace))
    });
    match ns {
        None => {
            out.push(
                "NamespaceLifecycle",
                ns_object.clone(),
                "Skipped",
                "namespaces were not read: whether the namespace exists is unknown".into(),
            );
            out.push(
                "PodSecurity",
                ns_object.clone(),
                "Skipped",
                "namespaces were not read: the namespace's pod-security.kubernetes.io labels are unknown".into(),
            );
        }
        Some(None) => out.push(
            "NamespaceLifecycle",
            ns_object.clone(),
            "Refused",
            format!("namespaces \"{namespace}\" not found"),
        ),
        Some(Some(_)) => {}
    }

    let sa = spec
        .service_account_name
        .clone()
        .unwrap_or_else(|| "default".into());
    let sa_object = format!("serviceaccount {namespace}/{sa}");
    match &snapshot.service_accounts {
        None => out.push(
            "ServiceAccount",
            sa_object,
            "Skipped",
            "serviceaccounts were not read".into(),
        ),
        Some(list) => match service_account::refusal(list, namespace, &sa) {
            Some(msg) => out.push("ServiceAccount", sa_object, "Refused", msg),
            None => out.push("ServiceAccount", sa_object, "Allowed", "exists".into()),
        },
    }

    if let Some(Some(ns)) = ns {
        let labels = ns.metadata.labels.as_ref();
        match pod_security::namespace_policy(labels, ENFORCE) {
            Some(policy) => {
                let v = pod_security::evaluate(&policy, meta, spec);
                if v.is_empty() {
                    out.push("PodSecurity", ns_object.clone(), "Allowed", format!("enforce={}: every check passes", policy.label()));
                } else {
                    out.push("PodSecurity", ns_object.clone(), "Refused", pod_security::message(&policy, &v));
                }
            }
            None => out.push(
                "PodSecurity",
                ns_object.clone(),
                "Allowed",
                "no enforce label: the cluster's default level applies (AdmissionConfiguration, not visible through the API; privileged unless configured), and exemptions are not knowable".into(),
            ),
        }
        for mode in [WARN, AUDIT] {
            if let Some(policy) = pod_security::namespace_policy(labels, mode) {
                let v = pod_security::evaluate(&policy, meta, spec);
                if !v.is_empty() {
                    let what = if mode == WARN { "warn" } else { "audit" };
                    out.push(
                        "PodSecurity",
                        ns_object.clone(),
                        "Warning",
                        format!(
                            "{what}={} (the pod is still created): would {}",
                            policy.label(),
                            pod_security::message(&policy, &v)
                        ),
                    );
                }
            }
        }
    }

    match &snapshot.resource_quotas {
        None => out.push(
            "ResourceQuota",
            format!("resourcequotas in {namespace}"),
            "Skipped",
            "resourcequotas were not read".into(),
        ),
        Some(list) => {
            let mine: Vec<_> = list
                .iter()
                .filter(|q| q.metadata.namespace.as_deref() == Some(namespace))
                .collect();
            let verdicts = quota::judge(&mine, spec);
            if verdicts.is_empty() {
                out.push(
                    "ResourceQuota",
                    format!("resourcequotas in {namespace}"),
                    "Allowed",
                    "no ResourceQuota of the namespace limits these pods".into(),
                );
            }
            for verdict in verdicts {
                match verdict {
                    QuotaVerdict::Refuses(msg) => {
                        let name = msg.split(':').nth(1).unwrap_or("").trim().to_string();
                        out.push(
                            "ResourceQuota",
                            format!("resourcequota {namespace}/{name}"),
                            "Refused",
                            msg,
                        )
                    }
                    QuotaVerdict::Room(room) => {
                        let object = format!("resourcequota {namespace}/{}", room.quota);
                        out.push(
                            "ResourceQuota",
                            object,
                            "Limited",
                            format!(
                                "quota {} allows {} more pod{}",
                                room.quota,
                                room.allows,
                                if room.allows == 1 { "" } else { "s" }
                            ),
                        );
                        if out.quota.as_ref().is_none_or(|q| room.allows < q.allows) {
                            out.quota = Some(room);
                        }
                    }
                }
            }
        }
    }
    out
}
