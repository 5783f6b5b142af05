//! `--explain` advice for FailedCreate: the admission refusals the DaemonSet controller quotes
//! (PodSecurity, ResourceQuota, ServiceAccount, admission webhooks, LimitRange), read from the API
//! server's own messages.

use std::collections::BTreeMap;

use super::NodeAdvisor;
use super::commands::shell_quote;
use crate::diagnose::quantity::{self, Amount, format_resource};
use crate::report::{Advice, Fix};

impl NodeAdvisor<'_> {
    pub(super) fn failed_create(&self, message: &str) -> Advice {
        let ctx = self.ctx;
        let mut a = Advice {
            about: "FailedCreate".to_owned(),
            checks: vec![ctx.describe_ds(), ctx.ds_events()],
            fix: None,
            alternatives: Vec::new(),
            notes: Vec::new(),
        };
        if let Some((level, violations)) = pod_security(message) {
            a.about = "FailedCreate (PodSecurity)".to_owned();
            a.checks.push(format!(
                "kubectl get namespace {} -L pod-security.kubernetes.io/enforce",
                ctx.ns
            ));
            let needed = needed_pod_security_level(&level, &violations);
            a.fix = Some(Fix {
                summary: format!(
                    "let namespace {} admit {}: its PodSecurity level {level} forbids {violations}",
                    ctx.ns, ctx.name
                ),
                yaml: None,
                commands: vec![format!(
                    "kubectl label namespace {} pod-security.kubernetes.io/enforce={needed} --overwrite",
                    ctx.ns
                )],
            });
            a.notes.push(format!(
                "this relaxes the policy for every pod in {}: keep node agents that need host access in a namespace of their own",
                ctx.ns
            ));
            a.alternatives.push(Fix {
                summary: format!(
                    "drop from the pod template what the policy forbids, if {} works without it",
                    ctx.name
                ),
                yaml: None,
                commands: Vec::new(),
            });
        } else if let Some(q) = QuotaRefusal::parse(message) {
            a.about = "FailedCreate (ResourceQuota)".to_owned();
            a.checks.push(format!(
                "kubectl describe resourcequota {} {}",
                q.name,
                ctx.n()
            ));
            let pods = ctx.refused_by_quota.max(1);
            let hard = q.hard_for(pods);
            let patch = serde_json::json!({ "spec": { "hard": hard } }).to_string();
            let raised: Vec<String> = hard.iter().map(|(k, v)| format!("{k}={v}")).collect();
            a.fix = Some(Fix {
                summary: format!(
                    "raise quota {} to {} so {} fit{}",
                    q.name,
                    raised.join(", "),
                    if pods == 1 {
                        "the refused pod".to_owned()
                    } else {
                        format!("all {pods} refused pods")
                    },
                    if pods == 1 { "s" } else { "" }
                ),
                yaml: None,
                commands: vec![format!(
                    "kubectl patch resourcequota {} {} --type merge -p {}",
                    q.name,
                    ctx.n(),
                    shell_quote(&patch)
                )],
            });
            a.notes.push(
                "the controller retries by itself; the missing pods appear once the quota admits them"
                    .to_owned(),
            );
        } else if message.contains("failed quota") && message.contains("must specify") {
            a.about = "FailedCreate (ResourceQuota)".to_owned();
            a.checks
                .push(format!("kubectl describe resourcequota {}", ctx.n()));
            a.notes.push(format!(
                "a quota in {} tracks requests or limits, so every pod must set them: add resources.requests and resources.limits to each container of the template",
                ctx.ns
            ));
        } else if let Some(sa) = missing_service_account(message)
            .or_else(|| (message.contains("service account")).then(|| self.service_account()))
        {
            a.about = "FailedCreate (ServiceAccount)".to_owned();
            a.checks
                .push(format!("kubectl get serviceaccount {sa} {}", ctx.n()));
            a.fix = Some(Fix {
                summary: format!("create ServiceAccount {sa} in {}", ctx.ns),
                yaml: None,
                commands: vec![format!("kubectl create serviceaccount {sa} {}", ctx.n())],
            });
            a.notes.push(format!(
                "grant {sa} the RBAC permissions {} needs (a Role or ClusterRole and a binding)",
                ctx.name
            ));
            a.alternatives.push(Fix {
                summary:
                    "if the name is wrong, set serviceAccountName to an existing one (listed by the command below)"
                        .to_owned(),
                yaml: None,
                commands: vec![format!("kubectl get serviceaccounts {}", ctx.n())],
            });
        } else if let Some(hook) = webhook(message) {
            a.about = "FailedCreate (admission webhook)".to_owned();
            a.checks.push(
                "kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations"
                    .to_owned(),
            );
            if message.contains("failed calling webhook") {
                a.notes.push(format!(
                    "webhook {hook} could not be reached: its service or pods are down, and it fails closed"
                ));
            } else {
                a.notes.push(format!(
                    "webhook {hook} refused the pod: its message says what its policy wants changed"
                ));
            }
        } else if message.contains("LimitRange")
            || message.contains("minimum")
            || message.contains("maximum")
        {
            a.checks
                .push(format!("kubectl describe limitrange {}", ctx.n()));
            a.notes.push(format!(
                "a LimitRange in {} bounds requests and limits: set the template's resources within it",
                ctx.ns
            ));
        }
        a
    }

    pub(super) fn service_account(&self) -> String {
        self.ctx
            .spec
            .service_account_name
            .clone()
            .unwrap_or_else(|| "default".to_owned())
    }
}

/// `violates PodSecurity "baseline:latest": <violations>` -> (level, violations).
// Mirrors staging/src/k8s.io/pod-security-admission/admission/admission.go (violations message)
fn pod_security(msg: &str) -> Option<(String, String)> {
    let rest = msg.split("violates PodSecurity \"").nth(1)?;
    let (policy, violations) = rest.split_once('"')?;
    let level = policy.split(':').next()?.to_owned();
    let violations = violations.trim_start_matches(':').trim().to_owned();
    Some((level, violations))
}

/// The least permissive level that admits the pod: baseline when only restricted-level rules are
/// broken, privileged otherwise.
// Mirrors staging/src/k8s.io/pod-security-admission/policy (check_*.go: which checks belong to baseline)
fn needed_pod_security_level(level: &str, violations: &str) -> &'static str {
    const BASELINE_CHECKS: &[&str] = &[
        "host namespaces",
        "privileged",
        "non-default capabilities",
        "hostPath volumes",
        "hostPort",
        "AppArmor",
        "seLinuxOptions",
        "procMount",
        "sysctls",
        "Unconfined",
        "windowsOptions",
    ];
    if level == "restricted" && !BASELINE_CHECKS.iter().any(|c| violations.contains(c)) {
        "baseline"
    } else {
        "privileged"
    }
}

/// `error looking up service account ns/sa: ...` -> sa.
// Mirrors plugin/pkg/admission/serviceaccount/admission.go (Admit: "error looking up service account %s/%s: %v")
fn missing_service_account(msg: &str) -> Option<String> {
    let rest = msg.split("error looking up service account ").nth(1)?;
    let id = rest.split(':').next()?;
    Some(id.rsplit('/').next()?.to_owned())
}

fn webhook(msg: &str) -> Option<String> {
    let rest = msg
        .split("admission webhook \"")
        .nth(1)
        .or_else(|| msg.split("failed calling webhook \"").nth(1))?;
    Some(rest.split('"').next()?.to_owned())
}

/// `exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2`.
// Mirrors staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/controller.go (checkRequest)
struct QuotaRefusal {
    name: String,
    requested: Vec<(String, String)>,
    used: BTreeMap<String, String>,
    limited: BTreeMap<String, String>,
}

impl QuotaRefusal {
    fn parse(msg: &str) -> Option<QuotaRefusal> {
        let rest = msg.split("exceeded quota: ").nth(1)?;
        let (name, rest) = rest.split_once(", requested: ")?;
        let (requested, rest) = rest.split_once(", used: ")?;
        let (used, limited) = rest.split_once(", limited: ")?;
        let pairs = |s: &str| -> Vec<(String, String)> {
            s.split(',')
                .filter_map(|kv| kv.trim().split_once('='))
                .map(|(k, v)| (k.to_owned(), v.trim().to_owned()))
                .collect()
        };
        Some(QuotaRefusal {
            name: name.trim().to_owned(),
            requested: pairs(requested),
            used: pairs(used).into_iter().collect(),
            limited: pairs(limited).into_iter().collect(),
        })
    }

    /// The hard limits that admit `pods` more pods of this size: max(limit, used + pods * request).
    fn hard_for(&self, pods: usize) -> BTreeMap<String, String> {
        let amount = |s: Option<&String>| {
            s.and_then(|v| quantity::parse(v).ok())
                .unwrap_or(Amount::ZERO)
        };
        self.requested
            .iter()
            .map(|(k, req)| {
                let need = amount(self.used.get(k))
                    .saturating_add(Amount(amount(Some(req)).0.saturating_mul(pods as i128)));
                let hard = need.max(amount(self.limited.get(k)));
                (k.clone(), quota_text(k, hard))
            })
            .collect()
    }
}

fn quota_text(key: &str, amount: Amount) -> String {
    if key.ends_with("cpu") {
        format_resource("cpu", amount.milli_value())
    } else if key.ends_with("memory") || key.ends_with("storage") || key.contains("hugepages-") {
        format_resource("memory", amount.value())
    } else {
        amount.value().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::report::NodeStatus;

    #[test]
    fn admission_advice() {
        let psa = |msg: &str| vec![event("FailedCreate", msg)];
        let quota = "Error creating: pods \"agent-1\" is forbidden: exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2";
        let cpu_quota = "Error creating: pods \"agent-1\" is forbidden: exceeded quota: compute, requested: requests.cpu=100m,requests.memory=64Mi, used: requests.cpu=1950m,requests.memory=1Gi, limited: requests.cpu=2,requests.memory=2Gi";
        let cases = vec![
            case("PodSecurity baseline: privileged namespace", NodeStatus::Missing, psa("Error creating: pods \"agent-1\" is forbidden: violates PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true), privileged (container \"agent\" must not set securityContext.privileged=true)"))
                .want(&[
                    "about: FailedCreate (PodSecurity)\n",
                    "check: kubectl describe daemonset agent -n ops\n",
                    "check: kubectl get events -n ops --field-selector involvedObject.name=agent\n",
                    "check: kubectl get namespace ops -L pod-security.kubernetes.io/enforce\n",
                    "fix-cmd: kubectl label namespace ops pod-security.kubernetes.io/enforce=privileged --overwrite\n",
                    "note: this relaxes the policy for every pod in ops",
                ]),
            case("PodSecurity restricted, restricted-only violations: baseline is enough", NodeStatus::Missing, psa("violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false (container \"agent\" must set securityContext.allowPrivilegeEscalation=false), runAsNonRoot != true (pod or container \"agent\" must set securityContext.runAsNonRoot=true)"))
                .want(&["fix-cmd: kubectl label namespace ops pod-security.kubernetes.io/enforce=baseline --overwrite\n"]),
            case("pod quota: raised for every refused node", NodeStatus::Missing, psa(quota))
                .others(vec![(NodeStatus::Missing, psa(quota)), (NodeStatus::Missing, psa(quota)), (NodeStatus::Running, Vec::new())])
                .want(&[
                    "about: FailedCreate (ResourceQuota)\n",
                    "check: kubectl describe resourcequota pod-count -n ops\n",
                    "fix: raise quota pod-count to pods=5 so all 3 refused pods fit\n",
                    "fix-cmd: kubectl patch resourcequota pod-count -n ops --type merge -p '{\"spec\":{\"hard\":{\"pods\":\"5\"}}}'\n",
                ]),
            case("compute quota: quantities add up", NodeStatus::Missing, psa(cpu_quota))
                .want(&["fix-cmd: kubectl patch resourcequota compute -n ops --type merge -p '{\"spec\":{\"hard\":{\"requests.cpu\":\"2050m\",\"requests.memory\":\"2Gi\"}}}'\n"]),
            case("compute quota for three refused pods: room for all", NodeStatus::Missing, psa(cpu_quota))
                .others(vec![(NodeStatus::Missing, psa(cpu_quota)), (NodeStatus::Missing, psa(cpu_quota))])
                .want(&["\"requests.cpu\":\"2250m\",\"requests.memory\":\"2Gi\""]),
            case("missing ServiceAccount: create it", NodeStatus::Missing, psa("Error creating: pods \"agent-\" is forbidden: error looking up service account ops/agent-sa: serviceaccount \"agent-sa\" not found"))
                .want(&["check: kubectl get serviceaccount agent-sa -n ops\n", "fix-cmd: kubectl create serviceaccount agent-sa -n ops\n", "note: grant agent-sa the RBAC permissions agent needs"]),
            case("webhook refusal: the webhook's own words", NodeStatus::Missing, psa("Error creating: admission webhook \"validate.kyverno.svc\" denied the request: no hostPath"))
                .want(&["check: kubectl get validatingwebhookconfigurations,mutatingwebhookconfigurations\n", "note: webhook validate.kyverno.svc refused the pod"]),
        ];
        for c in &cases {
            check(c);
        }
    }

    #[test]
    fn admission_message_parsers() {
        let q = QuotaRefusal::parse("forbidden: exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2").unwrap();
        assert_eq!(q.name, "pod-count");
        assert_eq!(
            q.hard_for(3),
            BTreeMap::from([("pods".to_owned(), "5".to_owned())])
        );
        assert_eq!(
            q.hard_for(0),
            BTreeMap::from([("pods".to_owned(), "2".to_owned())]),
            "never below the current limit"
        );
        assert!(QuotaRefusal::parse("something else").is_none());
        assert_eq!(
            pod_security("violates PodSecurity \"baseline:latest\": privileged (container \"a\")"),
            Some((
                "baseline".to_owned(),
                "privileged (container \"a\")".to_owned()
            ))
        );
        assert_eq!(
            missing_service_account("error looking up service account ns/sa-1: not found"),
            Some("sa-1".to_owned())
        );
        assert_eq!(
            webhook("admission webhook \"a.b\" denied the request"),
            Some("a.b".to_owned())
        );
        let levels = [
            (
                "baseline violated",
                "restricted",
                "hostPath volumes (volume \"root\")",
                "privileged",
            ),
            (
                "restricted only",
                "restricted",
                "runAsNonRoot != true (pod)",
                "baseline",
            ),
            (
                "baseline namespace",
                "baseline",
                "privileged (container)",
                "privileged",
            ),
        ];
        for (name, level, violations, want) in levels {
            assert_eq!(needed_pod_security_level(level, violations), want, "{name}");
        }
    }
}
