//! The scheduler's NodePorts filter: which host ports a pod wants, which ones the pods already on
//! the node hold, and which wanted ports conflict ("node(s) didn't have free ports ...").
//! Pure: no I/O; it does not decide which pods count on a node (callers pass them in).

use crate::report::Finding;
use crate::snapshot::pod::{Container, Pod, PodSpec};

/// What the scheduler reports for this filter, quoted in our reason text.
// Mirrors pkg/scheduler/framework/plugins/nodeports/node_ports.go (ErrReason).
pub const SCHEDULER_REASON: &str = "node(s) didn't have free ports for the requested pod ports";

/// `0.0.0.0`: binds every address, so it conflicts with the same port on any IP.
// Mirrors k8s.io/kube-scheduler/framework types.go (DefaultBindAllHostIP).
const BIND_ALL: &str = "0.0.0.0";

/// One host port, with hostIP and protocol already defaulted.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HostPort {
    ip: String,
    protocol: String,
    port: i32,
}

impl HostPort {
    // Mirrors k8s.io/kube-scheduler/framework types.go (HostPortInfo.sanitize): empty hostIP is
    // 0.0.0.0 and empty protocol is TCP.
    fn new(ip: Option<&str>, protocol: Option<&str>, port: i32) -> HostPort {
        let ip = ip.filter(|s| !s.is_empty()).unwrap_or(BIND_ALL);
        let protocol = protocol.filter(|s| !s.is_empty()).unwrap_or("TCP");
        HostPort {
            ip: ip.to_string(),
            protocol: protocol.to_string(),
            port,
        }
    }

    // Mirrors k8s.io/kube-scheduler/framework types.go (HostPortInfo.CheckConflict): a wanted
    // 0.0.0.0 conflicts with the port on any IP; any other IP with itself and with 0.0.0.0.
    fn conflicts_with(&self, used: &HostPort) -> bool {
        self.port > 0
            && self.port == used.port
            && self.protocol == used.protocol
            && (self.ip == BIND_ALL || used.ip == BIND_ALL || self.ip == used.ip)
    }
}

/// The host ports a pod holds once it exists: with hostNetwork the API server defaults every
/// container port's hostPort to its containerPort (pods only, not DaemonSet templates).
// Mirrors pkg/apis/core/v1/defaults.go (SetDefaults_Pod, defaultHostNetworkPorts).
fn container_host_ports(c: &Container, host_network: bool) -> impl Iterator<Item = HostPort> + '_ {
    c.ports.iter().flatten().filter_map(move |p| {
        let host_port = match p.host_port {
            Some(hp) if hp != 0 => hp,
            _ if host_network => p.container_port,
            _ => 0,
        };
        (host_port > 0)
            .then(|| HostPort::new(p.host_ip.as_deref(), p.protocol.as_deref(), host_port))
    })
}

/// Restartable ("sidecar") init containers first, then containers; ports with hostPort > 0 only.
/// Regular init containers have finished before the pod runs, so their ports are not held.
// Mirrors pkg/scheduler/util/utils.go (GetHostPorts).
fn host_ports(spec: &PodSpec) -> Vec<HostPort> {
    let host_network = spec.host_network.unwrap_or(false);
    let sidecars = spec
        .init_containers
        .iter()
        .flatten()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"));
    sidecars
        .chain(spec.containers.iter())
        .flat_map(|c| container_host_ports(c, host_network))
        .collect()
}

fn pod_key(pod: &Pod) -> String {
    let name = pod.metadata.name.as_deref().unwrap_or("");
    match pod.metadata.namespace.as_deref() {
        Some(ns) if !ns.is_empty() => format!("{ns}/{name}"),
        _ => name.to_string(),
    }
}

/// The host ports a pod with `spec` holds once it exists, as `(hostIP, protocol, port)` with the
/// scheduler's defaults applied, each once.
pub fn wanted_host_ports(spec: &PodSpec) -> Vec<(String, String, i32)> {
    let mut out: Vec<(String, String, i32)> = Vec::new();
    for hp in host_ports(spec) {
        let entry = (hp.ip, hp.protocol, hp.port);
        if !out.contains(&entry) {
            out.push(entry);
        }
    }
    out
}

/// One finding per wanted host port that a pod already on the node holds, naming the first such
/// pod. `pods_on_node`: the pods the scheduler counts there, without the pod being placed.
// Mirrors pkg/scheduler/framework/plugins/nodeports/node_ports.go (Fits, fitsPorts) and
// pkg/scheduler/framework/types.go (NodeInfo.updateUsedPorts).
pub fn host_port_conflicts(spec: &PodSpec, pods_on_node: &[&Pod]) -> Vec<Finding> {
    let used: Vec<(HostPort, String)> = pods_on_node
        .iter()
        .flat_map(|pod| {
            let key = pod_key(pod);
            pod.spec
                .as_ref()
                .map(host_ports)
                .unwrap_or_default()
                .into_iter()
                .map(move |hp| (hp, key.clone()))
        })
        .collect();

    let mut wanted = host_ports(spec);
    // The same port declared twice (rejected by API validation anyway) is one conflict, not two.
    let mut seen = Vec::new();
    wanted.retain(|hp| {
        let fresh = !seen.contains(hp);
        seen.push(hp.clone());
        fresh
    });

    wanted
        .into_iter()
        .filter_map(|want| {
            used.iter()
                .find(|(hp, _)| want.conflicts_with(hp))
                .map(|(_, holder)| Finding::HostPortConflict {
                    port: want.port,
                    protocol: want.protocol.clone(),
                    host_ip: want.ip.clone(),
                    held_by: holder.clone(),
                })
        })
        .collect()
}

/// The sentence users read for a host-port finding; None for any other finding.
pub fn reason_text(f: &Finding) -> Option<String> {
    match f {
        Finding::HostPortConflict {
            port,
            protocol,
            host_ip,
            held_by,
        } => {
            let address = if host_ip == BIND_ALL {
                format!("{port}/{protocol}")
            } else {
                format!("{host_ip}:{port}/{protocol}")
            };
            Some(format!(
                "host port {address} already used by {held_by} (the scheduler says: {SCHEDULER_REASON})"
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// Ports written as upstream's tests do: "PROTOCOL/hostIP/hostPort".
    fn ports(specs: &[&str]) -> Value {
        let ports: Vec<Value> = specs
            .iter()
            .map(|s| {
                let parts: Vec<&str> = s.split('/').collect();
                let port: i32 = parts[2].parse().expect("port");
                json!({"containerPort": port, "hostPort": port, "hostIP": parts[1], "protocol": parts[0]})
            })
            .collect();
        Value::Array(ports)
    }

    fn spec_with(specs: &[&str]) -> PodSpec {
        serde_json::from_value(json!({"containers": [{"name": "c", "ports": ports(specs)}]}))
            .expect("spec")
    }

    fn existing(name: &str, specs: &[&str]) -> Pod {
        serde_json::from_value(json!({
            "metadata": {"name": name, "namespace": "ns"},
            "spec": {"nodeName": "n", "containers": [{"name": "c", "ports": ports(specs)}]}
        }))
        .expect("pod")
    }

    fn conflict(port: i32, protocol: &str, ip: &str, held_by: &str) -> Finding {
        Finding::HostPortConflict {
            port,
            protocol: protocol.to_string(),
            host_ip: ip.to_string(),
            held_by: held_by.to_string(),
        }
    }

    /// (name, wanted ports, ports held on the node, expected findings)
    type PortCase = (
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
        Vec<Finding>,
    );

    #[test]
    fn conflicts_match_upstream_node_ports_tests() {
        // node_ports_test.go TestNodePorts and TestFits.
        let cases: Vec<PortCase> = vec![
            (
                "other port",
                &["UDP/127.0.0.1/8080"],
                &["UDP/127.0.0.1/9090"],
                vec![],
            ),
            (
                "same udp port",
                &["UDP/127.0.0.1/8080"],
                &["UDP/127.0.0.1/8080"],
                vec![conflict(8080, "UDP", "127.0.0.1", "ns/p1")],
            ),
            (
                "same tcp port",
                &["TCP/127.0.0.1/8080"],
                &["TCP/127.0.0.1/8080"],
                vec![conflict(8080, "TCP", "127.0.0.1", "ns/p1")],
            ),
            (
                "different host ip",
                &["TCP/127.0.0.1/8080"],
                &["TCP/127.0.0.2/8080"],
                vec![],
            ),
            (
                "different protocol",
                &["UDP/127.0.0.1/8080"],
                &["TCP/127.0.0.1/8080"],
                vec![],
            ),
            (
                "second udp port conflict",
                &["UDP/127.0.0.1/8000", "UDP/127.0.0.1/8080"],
                &["UDP/127.0.0.1/8080"],
                vec![conflict(8080, "UDP", "127.0.0.1", "ns/p1")],
            ),
            (
                "first tcp port conflict",
                &["TCP/127.0.0.1/8001", "UDP/127.0.0.1/8080"],
                &["TCP/127.0.0.1/8001", "UDP/127.0.0.1/8081"],
                vec![conflict(8001, "TCP", "127.0.0.1", "ns/p1")],
            ),
            (
                "first tcp port conflict due to 0.0.0.0 hostIP",
                &["TCP/0.0.0.0/8001"],
                &["TCP/127.0.0.1/8001"],
                vec![conflict(8001, "TCP", "0.0.0.0", "ns/p1")],
            ),
            (
                "TCP hostPort conflict due to 0.0.0.0 hostIP",
                &["TCP/10.0.10.10/8001", "TCP/0.0.0.0/8001"],
                &["TCP/127.0.0.1/8001"],
                vec![conflict(8001, "TCP", "0.0.0.0", "ns/p1")],
            ),
            (
                "second tcp port conflict to 0.0.0.0 hostIP",
                &["TCP/127.0.0.1/8001"],
                &["TCP/0.0.0.0/8001"],
                vec![conflict(8001, "TCP", "127.0.0.1", "ns/p1")],
            ),
            (
                "second different protocol",
                &["UDP/127.0.0.1/8001"],
                &["TCP/0.0.0.0/8001"],
                vec![],
            ),
            (
                "UDP hostPort conflict due to 0.0.0.0 hostIP",
                &["UDP/127.0.0.1/8001"],
                &["TCP/0.0.0.0/8001", "UDP/0.0.0.0/8001"],
                vec![conflict(8001, "UDP", "127.0.0.1", "ns/p1")],
            ),
            (
                "non-conflicting ports",
                &["TCP/127.0.0.1/80"],
                &["TCP/127.0.0.1/9090"],
                vec![],
            ),
            (
                "multiple non-conflicting ports",
                &[
                    "TCP/127.0.0.1/80",
                    "TCP/127.0.1.1/80",
                    "TCP/127.0.1.1/90",
                    "TCP/127.0.1.1/100",
                ],
                &[
                    "TCP/127.0.0.1/9090",
                    "TCP/127.0.0.1/9191",
                    "TCP/127.0.1.1/8080",
                ],
                vec![],
            ),
            (
                "same ports on different protocols",
                &["TCP/127.0.0.1/80"],
                &["UDP/127.0.0.1/80"],
                vec![],
            ),
            (
                "multiple ports, some conflicting",
                &[
                    "TCP/127.0.0.1/80",
                    "TCP/127.0.1.1/80",
                    "TCP/127.0.1.1/90",
                    "TCP/127.0.1.1/100",
                ],
                &[
                    "TCP/127.0.0.1/9090",
                    "TCP/127.0.1.1/90",
                    "TCP/127.0.1.1/8080",
                ],
                vec![conflict(90, "TCP", "127.0.1.1", "ns/p1")],
            ),
            (
                "empty hostIP and protocol default to 0.0.0.0 and TCP",
                &["//9100"],
                &["TCP/10.0.0.1/9100"],
                vec![conflict(9100, "TCP", "0.0.0.0", "ns/p1")],
            ),
            (
                "one finding per conflicting wanted port",
                &["TCP/0.0.0.0/80", "TCP/0.0.0.0/443", "TCP/0.0.0.0/8080"],
                &["TCP/0.0.0.0/80", "TCP/0.0.0.0/443"],
                vec![
                    conflict(80, "TCP", "0.0.0.0", "ns/p1"),
                    conflict(443, "TCP", "0.0.0.0", "ns/p1"),
                ],
            ),
            (
                "duplicate wanted port reported once",
                &["TCP//80", "TCP//80"],
                &["TCP//80"],
                vec![conflict(80, "TCP", "0.0.0.0", "ns/p1")],
            ),
        ];
        for (name, want, used, expected) in cases {
            let holder = existing("p1", used);
            assert_eq!(
                host_port_conflicts(&spec_with(want), &[&holder]),
                expected,
                "case {name}"
            );
        }
    }

    #[test]
    fn which_containers_hold_ports() {
        let sidecar = json!({"name": "s", "restartPolicy": "Always", "ports": [{"containerPort": 8001, "hostPort": 8001, "protocol": "TCP"}]});
        let init = json!({"name": "i", "ports": [{"containerPort": 8001, "hostPort": 8001, "protocol": "TCP"}]});
        let no_host_port =
            json!({"name": "c", "ports": [{"containerPort": 8001, "protocol": "TCP"}]});
        let cases: Vec<(&str, Value, usize)> = vec![
            (
                "non-sidecar init container port is not wanted",
                json!({"initContainers": [init.clone()], "containers": []}),
                0,
            ),
            (
                "sidecar init container port is wanted",
                json!({"initContainers": [sidecar.clone()], "containers": []}),
                1,
            ),
            (
                "container port without hostPort is not wanted",
                json!({"containers": [no_host_port.clone()]}),
                0,
            ),
            (
                "hostNetwork makes container ports host ports",
                json!({"hostNetwork": true, "containers": [no_host_port.clone()]}),
                1,
            ),
            (
                "hostNetwork ignores finished init containers",
                json!({"hostNetwork": true, "initContainers": [init], "containers": []}),
                0,
            ),
            ("no ports", json!({"containers": [{"name": "c"}]}), 0),
        ];
        let holder = existing("p1", &["TCP/0.0.0.0/8001"]);
        for (name, spec, want) in cases {
            let spec: PodSpec = serde_json::from_value(spec).expect("spec");
            assert_eq!(
                host_port_conflicts(&spec, &[&holder]).len(),
                want,
                "case {name}: as the pod being placed"
            );
        }
        // The same rules decide which ports a pod already on the node holds.
        let want = spec_with(&["TCP/0.0.0.0/8001"]);
        let sidecar_holder: Pod = serde_json::from_value(json!({"metadata": {"name": "side", "namespace": "ns"}, "spec": {"containers": [], "initContainers": [sidecar]}})).expect("pod");
        assert_eq!(
            host_port_conflicts(&want, &[&sidecar_holder]),
            vec![conflict(8001, "TCP", "0.0.0.0", "ns/side")],
            "case sidecar on node holds its port"
        );
    }

    #[test]
    fn names_the_first_holder_in_node_order() {
        let a = existing("a", &["TCP/10.0.0.1/80"]);
        let b = existing("b", &["TCP/0.0.0.0/80"]);
        let got = host_port_conflicts(&spec_with(&["TCP/0.0.0.0/80"]), &[&a, &b]);
        assert_eq!(
            got,
            vec![conflict(80, "TCP", "0.0.0.0", "ns/a")],
            "case first holder"
        );
        let got = host_port_conflicts(&spec_with(&["TCP/10.0.0.2/80"]), &[&a, &b]);
        assert_eq!(
            got,
            vec![conflict(80, "TCP", "10.0.0.2", "ns/b")],
            "case wildcard holder for a specific ip"
        );
    }

    #[test]
    fn real_cluster_exporter_b_conflicts_with_exporter_a() {
        // TRUTH.md: hostport/exporter-b is unschedulable on w-2 because exporter-a-kd4dn holds 9100.
        let v: Value =
            serde_json::from_str(include_str!("../../tests/fixtures/real-cluster/pods.json"))
                .expect("fixture");
        let pods: Vec<Pod> = v["items"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|p| serde_json::from_value(p).expect("pod"))
            .collect();
        let on_w2: Vec<&Pod> = pods
            .iter()
            .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some("w-2"))
            .collect();
        let exporter_b = pods
            .iter()
            .find(|p| p.metadata.name.as_deref() == Some("exporter-b-kvzp4"))
            .and_then(|p| p.spec.as_ref())
            .expect("exporter-b pod");
        let findings = host_port_conflicts(exporter_b, &on_w2);
        assert_eq!(
            findings,
            vec![conflict(
                9100,
                "TCP",
                "0.0.0.0",
                "hostport/exporter-a-kd4dn"
            )]
        );
        assert_eq!(
            reason_text(&findings[0]).as_deref(),
            Some(
                "host port 9100/TCP already used by hostport/exporter-a-kd4dn (the scheduler says: node(s) didn't have free ports for the requested pod ports)"
            )
        );
    }

    #[test]
    fn reason_texts() {
        let cases: Vec<(&str, Finding, Option<&str>)> = vec![
            (
                "wildcard ip",
                conflict(9100, "TCP", "0.0.0.0", "hostport/exporter-a-kd4dn"),
                Some(
                    "host port 9100/TCP already used by hostport/exporter-a-kd4dn (the scheduler says: node(s) didn't have free ports for the requested pod ports)",
                ),
            ),
            (
                "specific ip",
                conflict(53, "UDP", "10.0.0.1", "kube-system/dns"),
                Some(
                    "host port 10.0.0.1:53/UDP already used by kube-system/dns (the scheduler says: node(s) didn't have free ports for the requested pod ports)",
                ),
            ),
            ("other finding", Finding::NodeCordoned, None),
        ];
        for (name, f, want) in cases {
            assert_eq!(reason_text(&f).as_deref(), want, "case {name}");
        }
    }
}
