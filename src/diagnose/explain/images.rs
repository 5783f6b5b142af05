//! `--explain` advice for an image the kubelet cannot pull: no build for the node's platform
//! (keep the DaemonSet off such nodes), a registry refusing anonymous pulls (a pull secret), an
//! unreachable registry, a missing repository or tag.

use std::collections::BTreeSet;

use super::NodeAdvisor;
use super::labels::{ARCH_LABEL, OS_LABEL, label};
use super::yaml::{Y, e, s};
use crate::report::{Advice, Fix};

impl NodeAdvisor<'_> {
    pub(super) fn image_advice(
        &self,
        a: &mut Advice,
        reason: &str,
        msg: &str,
        image: &str,
        container: &str,
    ) {
        let lower = msg.to_ascii_lowercase();
        let set_image = Fix {
            summary: format!("point {container} at an image that exists and the node can pull"),
            yaml: None,
            commands: vec![format!(
                "kubectl set image daemonset/{} {} {container}=<image:tag>",
                self.ctx.name,
                self.ctx.n()
            )],
        };
        if lower.contains("no matching manifest") || lower.contains("no match for platform") {
            let node = self.node_name();
            let os = self.node.and_then(|n| label(n, OS_LABEL)).unwrap_or("");
            let arch = self.node.and_then(|n| label(n, ARCH_LABEL)).unwrap_or("");
            a.notes.push(format!(
                "image {image} has no build for {node}'s platform ({os}/{arch})"
            ));
            let (key, value) = self.platform_selector(os, arch);
            if let Some(value) = value {
                let fix = self.ctx.template_fix(
                    format!(
                        "keep {} off nodes it has no image for: select {key}={value} (the controller then removes the pod from {node})",
                        self.ctx.name
                    ),
                    vec![e("nodeSelector", Y::Map(vec![e(key, s(&value))]))],
                );
                a.fix = Some(fix);
                a.alternatives.push(Fix {
                    summary: format!(
                        "use an image with a {os}/{arch} build (a multi-platform image)"
                    ),
                    ..set_image
                });
            } else {
                a.fix = Some(set_image);
            }
            return;
        }
        if reason == "ErrImageNeverPull" {
            a.fix = Some(self.ctx.template_fix(
                format!("let the kubelet pull {image}: imagePullPolicy Never only uses images already on the node"),
                vec![e(
                    "containers",
                    Y::List(vec![Y::Map(vec![
                        e("name", s(container)),
                        e("imagePullPolicy", s("IfNotPresent")),
                    ])]),
                )],
            ));
            return;
        }
        let registry = registry_of(image);
        if lower.contains("unauthorized")
            || lower.contains("authentication required")
            || lower.contains("denied")
            || lower.contains("403 forbidden")
            || lower.contains("401")
            || lower.contains("toomanyrequests")
        {
            a.checks
                .push(self.ctx.get_ds("{.spec.template.spec.imagePullSecrets}"));
            let fix = self.ctx.template_fix(
                format!(
                    "the registry {registry} refuses anonymous pulls: create a pull secret in {} and reference it",
                    self.ctx.ns
                ),
                vec![e(
                    "imagePullSecrets",
                    Y::List(vec![Y::Map(vec![e("name", s("regcred")).note(
                        "added; the list merges by name, existing entries stay",
                    )])]),
                )],
            );
            let mut commands = vec![format!(
                "kubectl create secret docker-registry regcred {} --docker-server={registry} --docker-username=<user> --docker-password=<password>",
                self.ctx.n()
            )];
            commands.extend(fix.commands);
            a.fix = Some(Fix { commands, ..fix });
            a.notes.push(
                "\"pull access denied\" also shows for a repository that does not exist: check the name too"
                    .to_owned(),
            );
            a.alternatives.push(Fix {
                summary: format!("if the name is wrong: {}", set_image.summary),
                ..set_image
            });
            return;
        }
        if lower.contains("no such host")
            || lower.contains("dial tcp")
            || lower.contains("i/o timeout")
            || lower.contains("connection refused")
            || lower.contains("x509")
            || reason == "RegistryUnavailable"
        {
            a.notes.push(format!(
                "the node cannot reach the registry {registry}: a misspelt registry name, or no network path (DNS, proxy, firewall) from the node"
            ));
        } else if lower.contains("not found")
            || lower.contains("manifest unknown")
            || lower.contains("name unknown")
        {
            a.notes.push(format!(
                "{image} does not exist in the registry: check the repository and the tag"
            ));
        } else if reason == "InvalidImageName" {
            a.notes
                .push(format!("{image} is not a valid image reference"));
        }
        a.fix = Some(set_image);
    }

    /// The nodeSelector entry that keeps the pod on the platforms where it runs: the node's OS or
    /// architecture differs from every node where the pod is Running.
    pub(super) fn platform_selector(&self, os: &str, arch: &str) -> (&'static str, Option<String>) {
        let oses: BTreeSet<&str> = self
            .ctx
            .running_platforms
            .iter()
            .map(|(o, _)| o.as_str())
            .filter(|o| !o.is_empty())
            .collect();
        let arches: BTreeSet<&str> = self
            .ctx
            .running_platforms
            .iter()
            .map(|(_, a)| a.as_str())
            .filter(|a| !a.is_empty())
            .collect();
        if let [only] = oses.iter().copied().collect::<Vec<_>>().as_slice()
            && *only != os
        {
            return (OS_LABEL, Some((*only).to_owned()));
        }
        if let [only] = arches.iter().copied().collect::<Vec<_>>().as_slice()
            && *only != arch
        {
            return (ARCH_LABEL, Some((*only).to_owned()));
        }
        if !os.is_empty() && os != "linux" {
            return (OS_LABEL, Some("linux".to_owned()));
        }
        (OS_LABEL, None)
    }
}

/// The registry host of an image reference (Docker Hub when the first part is not a host).
// Mirrors github.com/distribution/reference (normalize.go splitDockerDomain)
fn registry_of(image: &str) -> &str {
    match image.split_once('/') {
        Some((first, _)) if first.contains('.') || first.contains(':') || first == "localhost" => {
            first
        }
        _ => "docker.io",
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::report::NodeStatus;
    use serde_json::json;

    #[test]
    fn image_pull_advice() {
        let win = node(
            "win-1",
            json!({"kubernetes.io/os": "windows", "kubernetes.io/arch": "amd64"}),
            json!([]),
            json!({}),
            "True",
        );
        let cases = vec![
            case("image not found: set the image", NodeStatus::Failing, vec![container_problem("ImagePullBackOff", "Back-off pulling image: example.com/agent:1: not found", None, None)])
                .pod("agent-x")
                .want(&[
                    "about: ImagePullBackOff (container agent)\n",
                    "check: kubectl describe pod agent-x -n ops\n",
                    "check: kubectl get pod agent-x -n ops -o jsonpath='{.status.containerStatuses[?(@.name==\"agent\")].state}'\n",
                    "check: kubectl get events -n ops --field-selector involvedObject.name=agent-x\n",
                    "fix-cmd: kubectl set image daemonset/agent -n ops agent=<image:tag>\n",
                    "note: example.com/agent:1 does not exist in the registry",
                ]),
            case("registry refuses: a pull secret", NodeStatus::Failing, vec![container_problem("ErrImagePull", "pull access denied, repository does not exist or may require authorization: 401 Unauthorized", None, None)])
                .pod("agent-x")
                .want(&[
                    "fix-cmd: kubectl create secret docker-registry regcred -n ops --docker-server=example.com --docker-username=<user> --docker-password=<password>\n",
                    "      imagePullSecrets:\n      - name: regcred",
                    "fix-cmd: kubectl patch daemonset agent -n ops --patch-file fix.yaml\n",
                ]),
            case("no build for the node's platform: keep the DaemonSet off it", NodeStatus::Failing, vec![container_problem("ImagePullBackOff", "no matching manifest for windows(10.0.20348)/amd64 in the manifest list entries", None, None)])
                .pod("agent-x")
                .nodes(vec![win, plain_node("w-1")])
                .others(vec![(NodeStatus::Running, Vec::new())])
                .want(&["      nodeSelector:\n        kubernetes.io/os: linux\n", "note: image example.com/agent:1 has no build for win-1's platform (windows/amd64)"]),
            case("never pull: let the kubelet pull", NodeStatus::Failing, vec![container_problem("ErrImageNeverPull", "Container image is not present with pull policy of Never", None, None)])
                .pod("agent-x")
                .want(&["        imagePullPolicy: IfNotPresent\n"]),
        ];
        for c in &cases {
            check(c);
        }
    }

    #[test]
    fn registry_of_an_image() {
        let registries = [
            ("docker hub short", "nginx:1.27", "docker.io"),
            ("docker hub user", "fluent/fluentd:v1", "docker.io"),
            ("host", "quay.io/prometheus/node-exporter:v1", "quay.io"),
            ("host with port", "registry:5000/x", "registry:5000"),
            ("localhost", "localhost/x", "localhost"),
        ];
        for (name, image, want) in registries {
            assert_eq!(registry_of(image), want, "{name}");
        }
    }
}
