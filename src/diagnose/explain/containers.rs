//! `--explain` advice for a container the kubelet cannot run: crash loops and their exit codes,
//! OOM kills, missing ConfigMaps, Secrets and keys, runAsNonRoot against a root image. Works from
//! the kubelet's own words quoted in the finding; never re-judges the pod.

use super::NodeAdvisor;
use super::commands::shell_quote;
use super::yaml::{Y, e, s};
use crate::diagnose::quantity::{self, format_resource, scheduler_units};
use crate::report::{Advice, Finding, Fix};

impl NodeAdvisor<'_> {
    pub(super) fn container(&self, f: &Finding) -> Advice {
        let Finding::ContainerProblem {
            container,
            init,
            reason,
            message,
            image,
            exit_code,
            last_termination_reason,
            ..
        } = f
        else {
            return self.generic("container problem");
        };
        let kind = if *init { "init container" } else { "container" };
        let pod = self.pod().unwrap_or("<pod>").to_owned();
        let ns = self.ctx.n();
        let statuses = if *init {
            "initContainerStatuses"
        } else {
            "containerStatuses"
        };
        let mut a = Advice {
            about: format!("{reason} ({kind} {container})"),
            checks: self.describe_pod().into_iter().collect(),
            fix: None,
            alternatives: Vec::new(),
            notes: Vec::new(),
        };
        let msg = message.as_deref().unwrap_or("");
        let image = image.as_deref().unwrap_or("");
        match reason.as_str() {
            "ErrImagePull"
            | "ImagePullBackOff"
            | "InvalidImageName"
            | "ErrImageNeverPull"
            | "ImageInspectError"
            | "RegistryUnavailable"
            | "SignatureValidationFailed" => {
                a.checks.push(format!(
                    "kubectl get pod {pod} {ns} -o jsonpath='{{.status.{statuses}[?(@.name==\"{container}\")].state}}'"
                ));
                a.checks.extend(self.pod_events());
                self.image_advice(&mut a, reason, msg, image, container);
            }
            "CrashLoopBackOff" | "Error" | "OOMKilled" | "ContainerCannotRun" | "StartError" => {
                a.checks.insert(
                    0,
                    format!("kubectl logs {pod} {ns} -c {container} --previous"),
                );
                a.checks.push(format!(
                    "kubectl get pod {pod} {ns} -o jsonpath='{{.status.{statuses}[?(@.name==\"{container}\")].lastState}}'"
                ));
                let oom = reason == "OOMKilled"
                    || last_termination_reason.as_deref() == Some("OOMKilled");
                if oom {
                    self.oom_advice(&mut a, container, *init);
                } else {
                    match exit_code {
                        Some(126) | Some(127) => a.notes.push(format!(
                            "exit code {} means the command could not be run (127: not found, 126: not executable): check the command and args",
                            exit_code.unwrap_or(0)
                        )),
                        Some(137) => a.notes.push(
                            "exit code 137 without OOMKilled means it was killed (SIGKILL): a failing liveness probe, or it did not stop in time; the pod's events say which"
                                .to_owned(),
                        ),
                        Some(c) => a.notes.push(format!(
                            "the {kind} itself exits with code {c}: its previous logs say why (a missing setting, file or permission, a bad flag)"
                        )),
                        None => {}
                    }
                    if matches!(exit_code, Some(126) | Some(127))
                        || msg.contains("executable file not found")
                    {
                        a.checks.push(self.ctx.get_ds(&format!(
                            "{{.spec.template.spec.{}[?(@.name==\"{container}\")].command}}",
                            if *init {
                                "initContainers"
                            } else {
                                "containers"
                            }
                        )));
                    }
                    if *exit_code == Some(137) {
                        a.checks.push(self.ctx.get_ds(&format!(
                            "{{.spec.template.spec.containers[?(@.name==\"{container}\")].livenessProbe}}"
                        )));
                    }
                }
                if reason == "CrashLoopBackOff" {
                    a.notes.push(
                        "the kubelet restarts it with a growing back-off (up to 5 minutes); a fixed template rolls out new pods"
                            .to_owned(),
                    );
                }
            }
            "CreateContainerConfigError" | "CreateContainerError" => {
                if !self.reference_advice(&mut a, msg) {
                    self.run_as_non_root_advice(&mut a, msg, container, *init);
                }
            }
            _ => {
                a.checks.extend(self.pod_events());
            }
        }
        a
    }

    pub(super) fn oom_advice(&self, a: &mut Advice, container: &str, init: bool) {
        let list = if init {
            self.ctx.spec.init_containers.as_deref().unwrap_or(&[])
        } else {
            &self.ctx.spec.containers
        };
        let limit = list
            .iter()
            .find(|c| c.name == container)
            .and_then(|c| c.resources.as_ref())
            .and_then(|r| r.limits.as_ref())
            .and_then(|l| l.get("memory"))
            .and_then(|q| quantity::parse(&q.0).ok())
            .map(|amt| scheduler_units("memory", amt));
        a.checks.push(format!(
            "kubectl top pod {} {} --containers",
            self.pod().unwrap_or("<pod>"),
            self.ctx.n()
        ));
        match limit {
            Some(old) if old > 0 => {
                const MI: i128 = 1 << 20;
                let new = (old.saturating_mul(2) + MI - 1) / MI * MI;
                let was = format_resource("memory", old);
                let now = format_resource("memory", new);
                a.fix = Some(self.ctx.template_fix(
                    format!(
                        "raise {container}'s memory limit: it was killed for going over {was}; {now} is a starting point, measure its real use"
                    ),
                    vec![e(
                        if init { "initContainers" } else { "containers" },
                        Y::List(vec![Y::Map(vec![
                            e("name", s(container)),
                            e(
                                "resources",
                                Y::Map(vec![e(
                                    "limits",
                                    Y::Map(vec![
                                        e("memory", s(&now)).note(&format!("was {was}")),
                                    ]),
                                )]),
                            ),
                        ])]),
                    )],
                ));
            }
            _ => a.notes.push(format!(
                "{container} has no memory limit of its own: the kernel killed it because {} ran out of memory (or a pod-level limit); set memory requests that match its use so the scheduler reserves it",
                self.node_name()
            )),
        }
    }

    /// A missing ConfigMap, Secret or key, quoted by the kubelet. True when the message named one.
    pub(super) fn reference_advice(&self, a: &mut Advice, msg: &str) -> bool {
        let ns = self.ctx.n();
        if let Some((kind, obj)) = missing_object(msg) {
            a.checks.push(format!("kubectl get {kind} {obj} {ns}"));
            let create = if kind == "secret" {
                format!("kubectl create secret generic {obj} {ns} --from-literal=<key>=<value>")
            } else {
                format!("kubectl create configmap {obj} {ns} --from-literal=<key>=<value>")
            };
            a.fix = Some(Fix {
                summary: format!(
                    "create {kind} {obj} in {} with the keys the pod reads (or correct the name in the DaemonSet)",
                    self.ctx.ns
                ),
                yaml: None,
                commands: vec![create],
            });
            return true;
        }
        if let Some((key, kind, obj)) = missing_key(msg) {
            let (kind_cmd, field) = if kind == "Secret" {
                ("secret", "stringData")
            } else {
                ("configmap", "data")
            };
            a.checks.push(format!(
                "kubectl get {kind_cmd} {obj} {ns} -o jsonpath='{{.data}}'"
            ));
            let patch = serde_json::json!({ field: { key.clone(): "<value>" } }).to_string();
            a.fix = Some(Fix {
                summary: format!(
                    "add key {key} to {kind} {obj} (or correct the key in the DaemonSet, or mark the reference optional)"
                ),
                yaml: None,
                commands: vec![format!(
                    "kubectl patch {kind_cmd} {obj} {ns} --type merge -p {}",
                    shell_quote(&patch)
                )],
            });
            return true;
        }
        false
    }

    pub(super) fn run_as_non_root_advice(
        &self,
        a: &mut Advice,
        msg: &str,
        container: &str,
        init: bool,
    ) {
        if msg.contains("runAsNonRoot") {
            a.fix = Some(self.ctx.template_fix(
                format!(
                    "the image runs as root (or a named user) but the pod demands runAsNonRoot: give {container} a numeric non-root user the image can run as"
                ),
                vec![e(
                    if init { "initContainers" } else { "containers" },
                    Y::List(vec![Y::Map(vec![
                        e("name", s(container)),
                        e(
                            "securityContext",
                            Y::Map(vec![e("runAsUser", Y::Int(65534)).note(
                                "nobody; use the user the image documents",
                            )]),
                        ),
                    ])]),
                )],
            ));
        } else {
            a.checks.extend(self.pod_events());
        }
    }
}

/// `configmap "x" not found` / `secret "x" not found`, as the kubelet words it.
// Mirrors pkg/kubelet/kubelet_pods.go (makeEnvironmentVariables) and the volume plugins' errors.
fn missing_object(msg: &str) -> Option<(&'static str, String)> {
    for kind in ["configmap", "secret"] {
        let pat = format!("{kind} \"");
        if let Some(i) = msg.find(&pat) {
            let rest = &msg[i + pat.len()..];
            if let Some(end) = rest.find('"')
                && rest[end..].starts_with("\" not found")
            {
                return Some((kind, rest[..end].to_owned()));
            }
        }
    }
    None
}

/// `couldn't find key K in ConfigMap ns/x` -> (K, ConfigMap, x).
fn missing_key(msg: &str) -> Option<(String, &'static str, String)> {
    let rest = msg.split("couldn't find key ").nth(1)?;
    let (key, rest) = rest.split_once(" in ")?;
    let (kind, rest) = if let Some(r) = rest.strip_prefix("ConfigMap ") {
        ("ConfigMap", r)
    } else {
        ("Secret", rest.strip_prefix("Secret ")?)
    };
    let obj = rest.split_whitespace().next()?;
    let obj = obj.rsplit('/').next()?.trim_end_matches([',', '.', ':']);
    Some((key.to_owned(), kind, obj.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::report::NodeStatus;
    use serde_json::json;

    #[test]
    fn container_advice() {
        let cases = vec![
            case("crash loop: the previous logs", NodeStatus::Failing, vec![container_problem("CrashLoopBackOff", "back-off 5m0s", Some(1), Some("Error"))])
                .pod("agent-x")
                .want(&["check: kubectl logs agent-x -n ops -c agent --previous\n", "note: the container itself exits with code 1"])
                .absent(&["fix:"]),
            case("command not found: check the command", NodeStatus::Failing, vec![container_problem("CrashLoopBackOff", "", Some(127), Some("Error"))])
                .pod("agent-x")
                .want(&["check: kubectl get daemonset agent -n ops -o jsonpath='{.spec.template.spec.containers[?(@.name==\"agent\")].command}'\n"]),
            case("OOMKilled with a limit: double it", NodeStatus::Failing, vec![container_problem("CrashLoopBackOff", "", Some(137), Some("OOMKilled"))])
                .spec(one_container(json!({"resources": {"limits": {"memory": "64Mi"}}})))
                .pod("agent-x")
                .want(&["fix: raise agent's memory limit: it was killed for going over 64Mi; 128Mi is a starting point", "            memory: 128Mi  # was 64Mi\n", "check: kubectl top pod agent-x -n ops --containers\n"]),
            case("OOMKilled without a limit: the node ran out", NodeStatus::Failing, vec![container_problem("OOMKilled", "", Some(137), Some("OOMKilled"))])
                .pod("agent-x")
                .want(&["note: agent has no memory limit of its own"])
                .absent(&["fix:"]),
            case("missing configmap: create it", NodeStatus::Failing, vec![container_problem("CreateContainerConfigError", "configmap \"agent-config\" not found", None, None)])
                .pod("agent-x")
                .want(&["check: kubectl get configmap agent-config -n ops\n", "fix-cmd: kubectl create configmap agent-config -n ops --from-literal=<key>=<value>\n"]),
            case("missing secret key: add it", NodeStatus::Failing, vec![container_problem("CreateContainerConfigError", "couldn't find key token in Secret ops/agent-secret", None, None)])
                .pod("agent-x")
                .want(&["fix-cmd: kubectl patch secret agent-secret -n ops --type merge -p '{\"stringData\":{\"token\":\"<value>\"}}'\n"]),
            case("runAsNonRoot against a root image: a numeric user", NodeStatus::Failing, vec![container_problem("CreateContainerConfigError", "container has runAsNonRoot and image will run as root", None, None)])
                .pod("agent-x")
                .want(&["          runAsUser: 65534"]),
        ];
        for c in &cases {
            check(c);
        }
    }

    #[test]
    fn reference_message_parsers() {
        let objects = [
            (
                "configmap",
                "configmap \"cfg\" not found",
                Some(("configmap", "cfg")),
            ),
            (
                "secret",
                "secret \"tls\" not found",
                Some(("secret", "tls")),
            ),
            ("quoted but found", "configmap \"cfg\" is fine", None),
            ("nothing", "boom", None),
        ];
        for (name, msg, want) in objects {
            assert_eq!(
                missing_object(msg),
                want.map(|(k, o)| (k, o.to_owned())),
                "{name}"
            );
        }
        let keys = [
            (
                "configmap key",
                "couldn't find key level in ConfigMap ops/cfg",
                Some(("level", "ConfigMap", "cfg")),
            ),
            (
                "secret key",
                "couldn't find key token in Secret ops/tls",
                Some(("token", "Secret", "tls")),
            ),
            ("other", "couldn't find key token in Nothing x", None),
        ];
        for (name, msg, want) in keys {
            assert_eq!(
                missing_key(msg),
                want.map(|(k, kind, o)| (k.to_owned(), kind, o.to_owned())),
                "{name}"
            );
        }
    }
}
