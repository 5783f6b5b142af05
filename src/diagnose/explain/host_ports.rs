//! `--explain` advice for a host port another pod already holds on the node: move the template's
//! port to one no pod uses (hostNetwork moves the container port too), or deal with the holder.

use std::collections::{BTreeMap, BTreeSet};

use super::yaml::{Entry, Y, e, s};
use super::{Ctx, NodeAdvisor};
use crate::report::{Advice, Finding, Fix};
use crate::snapshot::pod::PodSpec;

impl NodeAdvisor<'_> {
    pub(super) fn host_ports(&self, findings: &[&Finding]) -> Advice {
        let node = self.node_name();
        let mut a = Advice {
            about: String::new(),
            checks: vec![format!(
                "kubectl get pods -A -o wide --field-selector spec.nodeName={node}"
            )],
            fix: None,
            alternatives: Vec::new(),
            notes: Vec::new(),
        };
        let mut about = Vec::new();
        let mut owners = BTreeSet::new();
        let mut conflicts = Vec::new();
        for f in findings {
            let Finding::HostPortConflict {
                port,
                protocol,
                held_by,
                ..
            } = f
            else {
                continue;
            };
            about.push(format!("{port}/{protocol}"));
            conflicts.push((*port, protocol.as_str()));
            let (hns, hname) = held_by.split_once('/').unwrap_or(("", held_by.as_str()));
            let ns_flag = if hns.is_empty() {
                String::new()
            } else {
                format!(" -n {hns}")
            };
            a.checks.push(format!(
                "kubectl get pod {hname}{ns_flag} -o jsonpath='{{.spec.containers[*].ports}}'"
            ));
            if let Some(owner) = self.owner_of(hns, hname) {
                owners.insert(owner);
            } else {
                owners.insert((String::new(), hns.to_owned(), hname.to_owned()));
            }
        }
        a.about = format!("host port {}", about.join(", "));
        let used = used_host_ports(self.ctx);
        match move_host_ports(&self.ctx.spec, &conflicts, &used) {
            Some(moved) => {
                let list: Vec<String> = moved
                    .moves
                    .iter()
                    .map(|(from, to)| format!("{from} to {to}"))
                    .collect();
                a.fix = Some(self.ctx.template_fix(
                    format!(
                        "move {}'s host port {} (no pod kubectl-ds read uses the new one)",
                        self.ctx.name,
                        list.join(", ")
                    ),
                    moved.entries,
                ));
                let list: Vec<String> = moved
                    .moves
                    .iter()
                    .map(|(from, to)| format!("{to} instead of {from}"))
                    .collect();
                a.notes.push(format!(
                    "whatever reaches {} through the node's port must use {}",
                    self.ctx.name,
                    list.join(", ")
                ));
                if self.ctx.spec.host_network == Some(true) {
                    a.notes.push(format!(
                        "{} uses hostNetwork, so the container itself listens on the node's port: make it listen on the new port too (its --port or --listen-address flag)",
                        self.ctx.name
                    ));
                }
            }
            None => a.notes.push(
                "the conflicting port could not be found in the pod template: the pods may come from an older template"
                    .to_owned(),
            ),
        }
        for (kind, ns, owner) in owners {
            let ns_flag = if ns.is_empty() {
                String::new()
            } else {
                format!(" -n {ns}")
            };
            if kind == "DaemonSet" {
                a.alternatives.push(Fix {
                    summary: format!(
                        "if DaemonSet {ns}/{owner} does the same job as {}, remove it (it holds the port on every node it runs on)",
                        self.ctx.name
                    ),
                    yaml: None,
                    commands: vec![format!("kubectl delete daemonset {owner}{ns_flag}")],
                });
            } else if kind.is_empty() {
                a.alternatives.push(Fix {
                    summary: format!("move pod {owner} off {node}"),
                    yaml: None,
                    commands: Vec::new(),
                });
            } else {
                a.alternatives.push(Fix {
                    summary: format!(
                        "change the host port of {kind} {ns}/{owner}, whose pod holds it"
                    ),
                    yaml: None,
                    commands: Vec::new(),
                });
            }
        }
        a
    }

    /// (controller kind, namespace, name) of the pod holding a port.
    pub(super) fn owner_of(&self, ns: &str, pod: &str) -> Option<(String, String, String)> {
        let p = self.ctx.cluster.snapshot.pods.iter().find(|p| {
            p.metadata.name.as_deref() == Some(pod)
                && p.metadata.namespace.as_deref().unwrap_or("") == ns
        })?;
        let o = p
            .metadata
            .owner_references
            .iter()
            .flatten()
            .find(|o| o.controller == Some(true))?;
        Some((o.kind.clone(), ns.to_owned(), o.name.clone()))
    }
}

/// Host ports held by any pod the snapshot holds, and declared by the template itself, per protocol.
fn used_host_ports(ctx: &Ctx) -> BTreeSet<(String, i32)> {
    let mut used = BTreeSet::new();
    let mut add = |spec: &PodSpec| {
        let host_network = spec.host_network == Some(true);
        for c in spec
            .init_containers
            .iter()
            .flatten()
            .chain(&spec.containers)
        {
            for p in c.ports.iter().flatten() {
                let port = match p.host_port {
                    Some(hp) if hp > 0 => hp,
                    _ if host_network => p.container_port,
                    _ => continue,
                };
                used.insert((p.protocol.clone().unwrap_or_else(|| "TCP".into()), port));
            }
        }
    };
    for pod in &ctx.cluster.snapshot.pods {
        if let Some(spec) = &pod.spec {
            add(spec);
        }
    }
    add(&ctx.spec);
    used
}

struct MovedPorts {
    entries: Vec<Entry>,
    moves: Vec<(i32, i32)>,
}

/// Moves each conflicting host port of the template to the next port no pod uses.
/// Container ports merge by containerPort in a patch, so an entry names its containerPort; with
/// hostNetwork the containerPort is the host port itself, so the old entry is deleted and a new one added.
// Mirrors k8s.io/api/core/v1/types.go (Container.Ports: patchMergeKey containerPort, patchStrategy merge)
// and pkg/apis/core/validation/validation.go (hostNetwork: hostPort must equal containerPort)
fn move_host_ports(
    spec: &PodSpec,
    conflicts: &[(i32, &str)],
    used: &BTreeSet<(String, i32)>,
) -> Option<MovedPorts> {
    let host_network = spec.host_network == Some(true);
    let mut taken = used.clone();
    let mut moves = Vec::new();
    // (list, container) -> port entries
    let mut items: BTreeMap<(u8, String), Vec<Y>> = BTreeMap::new();
    for &(port, protocol) in conflicts {
        let mut found = false;
        for (list, containers) in [
            (1u8, spec.init_containers.as_deref().unwrap_or(&[])),
            (2u8, spec.containers.as_slice()),
        ] {
            for c in containers {
                for p in c.ports.iter().flatten() {
                    let proto = p.protocol.as_deref().unwrap_or("TCP");
                    let hp = match p.host_port {
                        Some(hp) if hp > 0 => hp,
                        _ if host_network => p.container_port,
                        _ => 0,
                    };
                    if hp != port || proto != protocol || found {
                        continue;
                    }
                    let new = (port.saturating_add(1)..=65535)
                        .find(|cand| !taken.contains(&(proto.to_owned(), *cand)))?;
                    taken.insert((proto.to_owned(), new));
                    moves.push((port, new));
                    found = true;
                    let entry = items.entry((list, c.name.clone())).or_default();
                    if host_network {
                        entry.push(Y::Map(vec![
                            e("containerPort", Y::Int(i64::from(p.container_port)))
                                .note("the old entry goes"),
                            e("$patch", s("delete")),
                        ]));
                        let mut m = Vec::new();
                        if let Some(n) = &p.name {
                            m.push(e("name", s(n)));
                        }
                        m.push(
                            e("containerPort", Y::Int(i64::from(new))).note(&format!("was {port}")),
                        );
                        if p.host_port.is_some() {
                            m.push(e("hostPort", Y::Int(i64::from(new))));
                        }
                        m.push(e("protocol", s(proto)));
                        entry.push(Y::Map(m));
                    } else {
                        entry.push(Y::Map(vec![
                            e("containerPort", Y::Int(i64::from(p.container_port))),
                            e("hostPort", Y::Int(i64::from(new))).note(&format!("was {port}")),
                        ]));
                    }
                }
            }
        }
        if !found {
            return None;
        }
    }
    let mut by_list: BTreeMap<u8, Vec<Y>> = BTreeMap::new();
    for ((list, cname), ports) in items {
        by_list.entry(list).or_default().push(Y::Map(vec![
            e("name", s(&cname)),
            e("ports", Y::List(ports)),
        ]));
    }
    let entries = by_list
        .into_iter()
        .map(|(list, l)| {
            e(
                if list == 1 {
                    "initContainers"
                } else {
                    "containers"
                },
                Y::List(l),
            )
        })
        .collect();
    Some(MovedPorts { entries, moves })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::report::{Finding, NodeStatus};
    use serde_json::json;

    #[test]
    fn host_port_advice() {
        let small = node(
            "small-1",
            json!({}),
            json!([]),
            json!({"cpu": "500m", "memory": "512Mi", "pods": "110", "example.com/fpga": "2"}),
            "True",
        );
        let holder = pod(
            "exporter-a-1",
            "mon",
            "small-1",
            json!({"containers": [{"name": "e", "ports": [{"containerPort": 9100, "hostPort": 9100}, {"containerPort": 9101, "hostPort": 9101}]}]}),
            Some(("DaemonSet", "exporter-a")),
        );
        let conflict = Finding::HostPortConflict {
            port: 9100,
            protocol: "TCP".into(),
            host_ip: "0.0.0.0".into(),
            held_by: "mon/exporter-a-1".into(),
        };
        let cases = vec![
            case("host port: move to the next port no pod uses, or remove the other DaemonSet", NodeStatus::Pending, vec![conflict.clone()])
                .spec(one_container(json!({"ports": [{"name": "metrics", "containerPort": 9100, "hostPort": 9100}]})))
                .nodes(vec![small.clone()])
                .pods(vec![holder.clone()])
                .want(&[
                    "about: host port 9100/TCP\n",
                    "check: kubectl get pods -A -o wide --field-selector spec.nodeName=small-1\n",
                    "check: kubectl get pod exporter-a-1 -n mon -o jsonpath='{.spec.containers[*].ports}'\n",
                    "fix: move agent's host port 9100 to 9102",
                    "      containers:\n      - name: agent\n        ports:\n        - containerPort: 9100\n          hostPort: 9102  # was 9100\n",
                    "alt-cmd: kubectl delete daemonset exporter-a -n mon\n",
                ]),
            case("host port with hostNetwork: the container port moves too", NodeStatus::Pending, vec![conflict])
                .spec(json!({"hostNetwork": true, "containers": [{"name": "agent", "ports": [{"name": "metrics", "containerPort": 9100}]}]}))
                .nodes(vec![small])
                .pods(vec![holder])
                .want(&[
                    "        - containerPort: 9100  # the old entry goes\n          $patch: delete\n        - name: metrics\n          containerPort: 9102  # was 9100\n          protocol: TCP\n",
                    "note: agent uses hostNetwork, so the container itself listens on the node's port",
                ]),
        ];
        for c in &cases {
            check(c);
        }
    }
}
