//! Upstream Kubernetes' own test cases, replayed end to end through the CLI
//! (`kubectl-ds why NAME -n NS -f tests/fixtures/upstream/<case>.yaml -o json`).
//! Each fixture is one List (DaemonSet, nodes, pods as the controller would have created them,
//! events where they matter) built from one upstream test case, named after it and linking it in
//! its header; the table below says what upstream's controller and scheduler make of every node:
//! the status word, words the reason must (and must not) contain, which pods the controller counts
//! for the node, and facts the structured findings must carry.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::{fixtures, why_file_json};

/// What one node must look like.
struct Expect {
    node: &'static str,
    status: &'static str,
    /// Substrings of `reason`.
    has: &'static [&'static str],
    /// Substrings `reason` must not contain.
    lacks: &'static [&'static str],
    /// The pods the controller groups under the node (getNodesToDaemonPods), when it matters.
    pods: Option<&'static [&'static str]>,
    /// Substrings of the node's findings, serialized.
    facts: &'static [&'static str],
}

/// `node` must have `status`, and its reason must contain every `has`.
const fn at(node: &'static str, status: &'static str, has: &'static [&'static str]) -> Expect {
    Expect {
        node,
        status,
        has,
        lacks: &[],
        pods: None,
        facts: &[],
    }
}

impl Expect {
    const fn lacks(self, lacks: &'static [&'static str]) -> Expect {
        Expect { lacks, ..self }
    }
    const fn pods(self, pods: &'static [&'static str]) -> Expect {
        Expect {
            pods: Some(pods),
            ..self
        }
    }
    const fn facts(self, facts: &'static [&'static str]) -> Expect {
        Expect { facts, ..self }
    }
}

/// What the report says of an eligible node the controller has not created a pod for yet.
const NO_POD: &str = "no pod exists for this eligible node";

/// One fixture, one DaemonSet, every node of the snapshot.
struct Case {
    /// File under tests/fixtures/upstream, without `.yaml`; named after the upstream case.
    file: &'static str,
    ds: &'static str,
    namespace: &'static str,
    nodes: &'static [Expect],
    /// Substrings the report's notes must contain.
    notes: &'static [&'static str],
    /// The report must have no notes at all.
    notes_empty: bool,
    /// The rollout as the controller sees it: (state, desired, updated, available, blocking nodes).
    rollout: Option<(&'static str, i64, i64, i64, &'static [&'static str])>,
}

impl Case {
    const DEFAULT: Case = Case {
        file: "",
        ds: "foo",
        namespace: "default",
        nodes: &[],
        notes: &[],
        notes_empty: false,
        rollout: None,
    };
}

fn check(case: &Case, report: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let empty = Vec::new();
    if let Some((state, desired, updated, available, blockers)) = case.rollout {
        let r = &report["rollout"];
        let got_blockers: Vec<&str> = r["blockers"]
            .as_array()
            .unwrap_or(&empty)
            .iter()
            .filter_map(|b| b["node"].as_str())
            .collect();
        let got = (
            r["state"].as_str().unwrap_or(""),
            r["desired"].as_i64().unwrap_or(-1),
            r["updated"].as_i64().unwrap_or(-1),
            r["available"].as_i64().unwrap_or(-1),
            got_blockers.as_slice(),
        );
        if got != (state, desired, updated, available, blockers) {
            errs.push(format!(
                "rollout {got:?}, want {:?}: {}",
                (state, desired, updated, available, blockers),
                r["message"]
            ));
        }
    }
    let got = report["nodes"].as_array().unwrap_or(&empty);
    let got_names: BTreeSet<&str> = got.iter().filter_map(|n| n["node"].as_str()).collect();
    let want_names: BTreeSet<&str> = case.nodes.iter().map(|n| n.node).collect();
    if got_names != want_names {
        errs.push(format!("nodes {got_names:?}, want {want_names:?}"));
    }
    for want in case.nodes {
        let Some(node) = got.iter().find(|n| n["node"] == want.node) else {
            continue;
        };
        let reason = node["reason"].as_str().unwrap_or("");
        if node["status"] != want.status {
            errs.push(format!(
                "{}: status {}, want {} ({reason})",
                want.node, node["status"], want.status
            ));
        }
        for needle in want.has {
            if !reason.contains(needle) {
                errs.push(format!("{}: reason lacks {needle:?}: {reason}", want.node));
            }
        }
        for needle in want.lacks {
            if reason.contains(needle) {
                errs.push(format!("{}: reason has {needle:?}: {reason}", want.node));
            }
        }
        if let Some(pods) = want.pods {
            let mut got: Vec<&str> = node["pods"]
                .as_array()
                .unwrap_or(&empty)
                .iter()
                .filter_map(|p| p["name"].as_str())
                .collect();
            got.sort_unstable();
            let mut want_pods = pods.to_vec();
            want_pods.sort_unstable();
            if got != want_pods {
                errs.push(format!("{}: pods {got:?}, want {want_pods:?}", want.node));
            }
        }
        let findings = node["findings"].to_string();
        for fact in want.facts {
            if !findings.contains(fact) {
                errs.push(format!("{}: findings lack {fact:?}: {findings}", want.node));
            }
        }
    }
    let notes: Vec<&str> = report["notes"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let all = notes.join(" | ");
    for needle in case.notes {
        if !all.contains(needle) {
            errs.push(format!("notes lack {needle:?}: {all}"));
        }
    }
    if case.notes_empty && !notes.is_empty() {
        errs.push(format!("notes should be empty: {all}"));
    }
    errs
}

#[test]
fn upstream_cases_get_upstreams_verdicts() {
    let dir = fixtures().join("upstream");
    let mut failures = Vec::new();
    for case in CASES {
        let path = dir.join(format!("{}.yaml", case.file));
        let report = why_file_json(&path, case.namespace, case.ds);
        for err in check(case, &report) {
            failures.push(format!("{}: {err}", case.file));
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreement(s) with upstream:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_upstream_fixture_is_checked() {
    let dir = fixtures().join("upstream");
    let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("read tests/fixtures/upstream")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".yaml"))
                .map(str::to_owned)
        })
        .collect();
    let in_table: BTreeSet<String> = CASES.iter().map(|c| c.file.to_owned()).collect();
    assert_eq!(
        on_disk, in_table,
        "fixtures without a case, or cases without a fixture"
    );
    assert_eq!(in_table.len(), CASES.len(), "a fixture is listed twice");
}

#[test]
fn the_checker_can_fail() {
    // A wrong status, a missing needle, a forbidden needle and a wrong pod list are all caught.
    let report: Value = serde_json::json!({
        "notes": ["a note"],
        "nodes": [{"node": "n", "status": "Running", "reason": "pod p: running and Ready",
                   "pods": [{"name": "p"}], "findings": []}]
    });
    let case = Case {
        file: "synthetic",
        nodes: &[Expect {
            node: "n",
            status: "Missing",
            has: &["absent words"],
            lacks: &["running"],
            pods: Some(&["q"]),
            facts: &["NodeNotReady"],
        }],
        notes: &["other note"],
        notes_empty: true,
        ..Case::DEFAULT
    };
    assert_eq!(
        check(&case, &report).len(),
        7,
        "{:?}",
        check(&case, &report)
    );
}

/// Every case, in the order of the upstream files they come from.
const CASES: &[Case] = &[
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestSimpleDaemonSetLaunchesPods
    Case {
        file: "simple_daemonset_launches_pods",
        nodes: &[
            at("node-0", "Missing", &[NO_POD]),
            at("node-1", "Missing", &[NO_POD]),
            at("node-2", "Missing", &[NO_POD]),
            at("node-3", "Missing", &[NO_POD]),
            at("node-4", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestSimpleDaemonSetScheduleDaemonSetPodsLaunchesPods
    Case {
        file: "simple_daemonset_schedule_daemonset_pods_launches_pods",
        nodes: &[
            at("node-0", "Pending", &["pod foo-0 is not scheduled", "all fit"]).pods(&["foo-0"]),
            at("node-1", "Pending", &["pod foo-1 is not scheduled", "all fit"]).pods(&["foo-1"]),
            at("node-2", "Pending", &["pod foo-2 is not scheduled", "all fit"]).pods(&["foo-2"]),
            at("node-3", "Pending", &["pod foo-3 is not scheduled", "all fit"]).pods(&["foo-3"]),
            at("node-4", "Pending", &["pod foo-4 is not scheduled", "all fit"]).pods(&["foo-4"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNoNodesDoesNothing
    Case {
        file: "no_nodes_does_nothing",
        nodes: &[],
        notes: &["holds no nodes"],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestOneNodeDaemonLaunchesPod
    Case {
        file: "one_node_daemon_launches_pod",
        nodes: &[
            at("only-node", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNotReadyNodeDaemonDoesLaunchPod
    Case {
        file: "not_ready_node_daemon_does_launch_pod",
        nodes: &[
            at("not-ready", "Missing", &[NO_POD, "NotReady (Ready=False)"]).facts(&["NodeNotReady"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestInsufficientCapacityNodeDaemonDoesNotUnscheduleRunningPod
    Case {
        file: "insufficient_capacity_node_daemon_does_not_unschedule_running_pod",
        nodes: &[
            at("too-much-mem", "Running", &["pod foo-running: running and Ready"]).lacks(&["Insufficient"]).pods(&["foo-running"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestInsufficientCapacityNodeSufficientCapacityWithNodeLabelDaemonLaunchPod
    Case {
        file: "insufficient_capacity_node_sufficient_capacity_with_node_label_daemon_launch_pod",
        nodes: &[
            at("not-enough-resource", "Ineligible", &["nodeSelector color=blue: node has no label color", "nodeSelector speed=fast: node has no label speed"]).lacks(&["Insufficient"]),
            at("enough-resource", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNetworkUnavailableNodeDaemonLaunchesPod
    Case {
        file: "network_unavailable_node_daemon_launches_pod",
        ds: "simple",
        nodes: &[
            at("network-unavailable", "Missing", &[NO_POD, "node has no Ready condition"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestDontDoAnythingIfBeingDeleted
    Case {
        file: "dont_do_anything_if_being_deleted",
        nodes: &[
            at("not-too-much-mem", "Missing", &["DaemonSet is being deleted"]),
        ],
        notes: &["being deleted"],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestPortConflictWithSameDaemonPodDoesNotDeletePod
    Case {
        file: "port_conflict_with_same_daemon_pod_does_not_delete_pod",
        nodes: &[
            at("port-conflict", "Starting", &["pod foo-666", "has not reported any container status"]).lacks(&["host port", "deletes"]).pods(&["foo-666"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNoPortConflictNodeDaemonLaunchesPod
    Case {
        file: "no_port_conflict_node_daemon_launches_pod",
        nodes: &[
            at("no-port-conflict", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestPodIsNotDeletedByDaemonsetWithEmptyLabelSelector
    Case {
        file: "pod_is_not_deleted_by_daemonset_with_empty_label_selector",
        nodes: &[
            at("node1", "Ineligible", &["nodeSelector foo=bar: node has no label foo"]).pods(&[]),
        ],
        notes: &["selector is empty"],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestDealsWithExistingPods
    Case {
        file: "deals_with_existing_pods",
        nodes: &[
            at("node-0", "Missing", &[NO_POD]),
            at("node-1", "Running", &["pod node-1-a: running and Ready"]).pods(&["node-1-a"]),
            at("node-2", "Running", &["also pod node-2-b", "only the oldest pod per node is kept"]).pods(&["node-2-a", "node-2-b"]),
            at("node-3", "Running", &["also pod node-3-e", "only the oldest pod per node is kept"]).pods(&["node-3-a", "node-3-b", "node-3-c", "node-3-d", "node-3-e"]),
            at("node-4", "Missing", &[NO_POD]).pods(&[]),
        ],
        notes: &["pod node-4-a is controlled by this DaemonSet but its labels no longer match the selector"],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestSelectorDaemonLaunchesPods
    Case {
        file: "selector_daemon_launches_pods",
        nodes: &[
            at("node-0", "Ineligible", &["nodeSelector color=blue: node has no label color"]),
            at("node-1", "Ineligible", &["nodeSelector color=blue: node has no label color"]),
            at("node-2", "Ineligible", &["nodeSelector color=blue: node has no label color"]),
            at("node-3", "Ineligible", &["nodeSelector color=blue: node has no label color"]),
            at("node-4", "Missing", &[NO_POD]),
            at("node-5", "Missing", &[NO_POD]),
            at("node-6", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestSelectorDaemonDeletesUnselectedPods
    Case {
        file: "selector_daemon_deletes_unselected_pods",
        nodes: &[
            at("node-0", "Ineligible", &["nodeSelector color=blue"]).pods(&[]),
            at("node-1", "Misscheduled", &["pod node-1-a is here", "controller will delete the pod", "nodeSelector color=blue"]).pods(&["node-1-a", "node-1-b", "node-1-c"]),
            at("node-2", "Ineligible", &["nodeSelector color=blue"]),
            at("node-3", "Ineligible", &["nodeSelector color=blue"]),
            at("node-4", "Misscheduled", &["pod node-4-a is here", "nodeSelector color=blue"]).pods(&["node-4-a"]),
            at("node-5", "Missing", &[NO_POD]),
            at("node-6", "Missing", &[NO_POD]),
            at("node-7", "Missing", &[NO_POD]),
            at("node-8", "Missing", &[NO_POD]),
            at("node-9", "Missing", &[NO_POD]),
        ],
        notes: &["pod node-0-a is controlled by this DaemonSet but its labels no longer match"],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestSelectorDaemonDealsWithExistingPods
    Case {
        file: "selector_daemon_deals_with_existing_pods",
        nodes: &[
            at("node-0", "Misscheduled", &["nodeSelector color=blue"]).pods(&["node-0-a"]),
            at("node-1", "Misscheduled", &["nodeSelector color=blue"]).pods(&["node-1-a", "node-1-b", "node-1-c"]),
            at("node-2", "Misscheduled", &["nodeSelector color=blue"]).pods(&["node-2-a", "node-2-b", "node-2-c", "node-2-d"]),
            at("node-3", "Ineligible", &["nodeSelector color=blue"]),
            at("node-4", "Ineligible", &["nodeSelector color=blue"]),
            at("node-5", "Missing", &[NO_POD]),
            at("node-6", "Running", &["pod node-6-00: running and Ready", "also pod node-6-12", "only the oldest pod per node is kept"]),
            at("node-7", "Missing", &[NO_POD]).pods(&[]),
            at("node-8", "Missing", &[NO_POD]),
            at("node-9", "Running", &["pod node-9-a: running and Ready"]).lacks(&["node-9-b"]).pods(&["node-9-a"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestBadSelectorDaemonDoesNothing
    Case {
        file: "bad_selector_daemon_does_nothing",
        nodes: &[
            at("node-0", "Ineligible", &["nodeSelector color=red: node has no label color"]),
            at("node-1", "Ineligible", &["nodeSelector color=red: node has no label color"]),
            at("node-2", "Ineligible", &["nodeSelector color=red: node has no label color"]),
            at("node-3", "Ineligible", &["nodeSelector color=red: node has no label color"]),
            at("node-4", "Ineligible", &["nodeSelector color=red: node has color=blue"]),
            at("node-5", "Ineligible", &["nodeSelector color=red: node has color=blue"]),
            at("node-6", "Ineligible", &["nodeSelector color=red: node has color=blue"]),
        ],
        notes: &["no node qualifies"],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNameDaemonSetLaunchesPods
    Case {
        file: "name_daemonset_launches_pods",
        nodes: &[
            at("node-0", "Missing", &[NO_POD]),
            at("node-1", "Ineligible", &["spec.nodeName pins the pod to node node-0"]),
            at("node-2", "Ineligible", &["spec.nodeName pins the pod to node node-0"]),
            at("node-3", "Ineligible", &["spec.nodeName pins the pod to node node-0"]),
            at("node-4", "Ineligible", &["spec.nodeName pins the pod to node node-0"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestBadNameDaemonSetDoesNothing
    Case {
        file: "bad_name_daemonset_does_nothing",
        nodes: &[
            at("node-0", "Ineligible", &["spec.nodeName pins the pod to node node-10"]),
            at("node-1", "Ineligible", &["spec.nodeName pins the pod to node node-10"]),
            at("node-2", "Ineligible", &["spec.nodeName pins the pod to node node-10"]),
            at("node-3", "Ineligible", &["spec.nodeName pins the pod to node node-10"]),
            at("node-4", "Ineligible", &["spec.nodeName pins the pod to node node-10"]),
        ],
        notes: &["no node qualifies"],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNameAndSelectorDaemonSetLaunchesPods
    Case {
        file: "name_and_selector_daemonset_launches_pods",
        nodes: &[
            at("node-0", "Ineligible", &["spec.nodeName pins the pod to node node-6", "nodeSelector color=blue"]),
            at("node-1", "Ineligible", &["spec.nodeName pins the pod to node node-6", "nodeSelector color=blue"]),
            at("node-2", "Ineligible", &["spec.nodeName pins the pod to node node-6", "nodeSelector color=blue"]),
            at("node-3", "Ineligible", &["spec.nodeName pins the pod to node node-6", "nodeSelector color=blue"]),
            at("node-4", "Ineligible", &["spec.nodeName pins the pod to node node-6"]).lacks(&["nodeSelector"]),
            at("node-5", "Ineligible", &["spec.nodeName pins the pod to node node-6"]).lacks(&["nodeSelector"]),
            at("node-6", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestInconsistentNameSelectorDaemonSetDoesNothing
    Case {
        file: "inconsistent_name_selector_daemonset_does_nothing",
        nodes: &[
            at("node-0", "Ineligible", &["nodeSelector color=blue: node has no label color"]).lacks(&["nodeName"]),
            at("node-1", "Ineligible", &["spec.nodeName pins the pod to node node-0"]),
            at("node-2", "Ineligible", &["spec.nodeName pins the pod to node node-0"]),
            at("node-3", "Ineligible", &["spec.nodeName pins the pod to node node-0"]),
            at("node-4", "Ineligible", &["spec.nodeName pins the pod to node node-0"]),
            at("node-5", "Ineligible", &["spec.nodeName pins the pod to node node-0"]),
            at("node-6", "Ineligible", &["spec.nodeName pins the pod to node node-0"]),
        ],
        notes: &["no node qualifies"],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNodeAffinityDaemonLaunchesPods
    Case {
        file: "node_affinity_daemon_launches_pods",
        nodes: &[
            at("node-0", "Ineligible", &["required nodeAffinity: color In [blue] (node has no label color)"]),
            at("node-1", "Ineligible", &["required nodeAffinity: color In [blue] (node has no label color)"]),
            at("node-2", "Ineligible", &["required nodeAffinity: color In [blue] (node has no label color)"]),
            at("node-3", "Ineligible", &["required nodeAffinity: color In [blue] (node has no label color)"]),
            at("node-4", "Missing", &[NO_POD]),
            at("node-5", "Missing", &[NO_POD]),
            at("node-6", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNumberReadyStatus (pods not ready: NumberReady 0)
    Case {
        file: "number_ready_status_not_ready",
        nodes: &[
            at("node-0", "Starting", &["has not reported any container status"]),
            at("node-1", "Starting", &["has not reported"]),
        ],
        notes_empty: true,
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNumberReadyStatus (pods Ready: NumberReady 2)
    Case {
        file: "number_ready_status_ready",
        nodes: &[
            at("node-0", "Running", &["pod node-0-a: running and Ready"]),
            at("node-1", "Running", &["pod node-1-a: running and Ready"]),
        ],
        notes_empty: true,
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestDaemonKillFailedPods (normal (do nothing))
    Case {
        file: "daemon_kill_failed_pods_normal",
        nodes: &[
            at("node-0", "Running", &["pod node-0-a: running and Ready"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestDaemonKillFailedPods (1 failed pod (kill 1), 0 normal pod (create 0; will create in the next sync))
    Case {
        file: "daemon_kill_failed_pods_one_failed",
        nodes: &[
            at("node-0", "Failing", &["pod node-0-failed", "Failed", "deletes failed pods and creates a replacement"]).facts(&["PodFailed"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestDaemonKillFailedPods (1 failed pod (kill 1), 3 normal pods (kill 2))
    Case {
        file: "daemon_kill_failed_pods_one_failed_three_normal",
        nodes: &[
            at("node-0", "Failing", &["pod node-0-failed", "deletes failed pods", "also pod node-0-b", "only the oldest pod per node is kept"]).lacks(&["also pod node-0-a: Running: running and Ready (the controller deletes"]).pods(&["node-0-failed", "node-0-a", "node-0-b", "node-0-c"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestDaemonKillFailedPodsBackoff
    Case {
        file: "daemon_kill_failed_pods_backoff",
        nodes: &[
            at("node-0", "Failing", &["deletes failed pods", "backing off"]).facts(&["Found failed daemon pod default/node-0-failed on node node-0"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNoScheduleTaintedDoesntEvicitRunningIntolerantPod
    Case {
        file: "no_schedule_tainted_doesnt_evict_running_intolerant_pod",
        ds: "intolerant",
        nodes: &[
            at("tainted", "Misscheduled", &["untolerated taint dedicated=user1:NoSchedule", "the controller keeps the pod"]).facts(&["UntoleratedTaint"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNoExecuteTaintedDoesEvicitRunningIntolerantPod
    Case {
        file: "no_execute_tainted_does_evict_running_intolerant_pod",
        ds: "intolerant",
        nodes: &[
            at("tainted", "Misscheduled", &["untolerated NoExecute taint dedicated=user1:NoExecute", "evicted/deleted"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestTaintedNodeDaemonDoesNotLaunchIntolerantPod
    Case {
        file: "tainted_node_daemon_does_not_launch_intolerant_pod",
        ds: "intolerant",
        nodes: &[
            at("tainted", "Ineligible", &["untolerated taint dedicated=user1:NoSchedule"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestTaintedNodeDaemonLaunchesToleratePod
    Case {
        file: "tainted_node_daemon_launches_tolerate_pod",
        ds: "tolerate",
        nodes: &[
            at("tainted", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNotReadyNodeDaemonLaunchesPod
    Case {
        file: "not_ready_node_daemon_launches_pod",
        ds: "simple",
        nodes: &[
            at("tainted", "Missing", &[NO_POD, "NotReady (Ready=False)"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestUnreachableNodeDaemonLaunchesPod
    Case {
        file: "unreachable_node_daemon_launches_pod",
        ds: "simple",
        nodes: &[
            at("tainted", "Missing", &[NO_POD, "NotReady (Ready=Unknown)"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNodeDaemonLaunchesToleratePod
    Case {
        file: "node_daemon_launches_tolerate_pod",
        ds: "tolerate",
        nodes: &[
            at("node-0", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestDaemonSetRespectsTermination
    Case {
        file: "daemonset_respects_termination",
        nodes: &[
            at("node-0", "Starting", &["pod node-0-a", "terminating", "creates its replacement only after it is gone"]).pods(&["node-0-a"]).facts(&["PodTerminating"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestTaintPressureNodeDaemonLaunchesPod
    Case {
        file: "taint_pressure_node_daemon_launches_pod",
        ds: "critical",
        namespace: "kube-system",
        nodes: &[
            at("resources-pressure", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNodeShouldRunDaemonPod (ShouldRunDaemonPod)
    Case {
        file: "node_should_run_daemon_pod_should_run",
        ds: "should-run",
        nodes: &[
            at("test-node", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNodeShouldRunDaemonPod (InsufficientResourceError)
    Case {
        file: "node_should_run_daemon_pod_insufficient_resource",
        ds: "insufficient-resource",
        nodes: &[
            at("test-node", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNodeShouldRunDaemonPod (ErrPodNotMatchHostName)
    Case {
        file: "node_should_run_daemon_pod_not_match_host_name",
        ds: "not-match-host-name",
        nodes: &[
            at("test-node", "Ineligible", &["spec.nodeName pins the pod to node other-node"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNodeShouldRunDaemonPod (ErrPodNotFitsHostPorts)
    Case {
        file: "node_should_run_daemon_pod_host_ports",
        ds: "host-ports",
        nodes: &[
            at("test-node", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNodeShouldRunDaemonPod (InsufficientResourceError (pod on node))
    Case {
        file: "node_should_run_daemon_pod_insufficient_with_pod",
        ds: "insufficient-with-pod",
        nodes: &[
            at("test-node", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNodeShouldRunDaemonPod (ErrNodeSelectorNotMatch)
    Case {
        file: "node_should_run_daemon_pod_selector_not_match",
        ds: "selector-not-match",
        nodes: &[
            at("test-node", "Ineligible", &["nodeSelector type=test: node has type=production"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNodeShouldRunDaemonPod (ShouldRunDaemonPod (nodeSelector))
    Case {
        file: "node_should_run_daemon_pod_selector_match",
        ds: "selector-match",
        nodes: &[
            at("test-node", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNodeShouldRunDaemonPod (ErrPodAffinityNotMatch)
    Case {
        file: "node_should_run_daemon_pod_affinity_not_match",
        ds: "affinity-not-match",
        nodes: &[
            at("test-node", "Ineligible", &["required nodeAffinity: type In [test] (node has type=production)"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNodeShouldRunDaemonPod (ShouldRunDaemonPod (nodeAffinity))
    Case {
        file: "node_should_run_daemon_pod_affinity_match",
        ds: "affinity-match",
        nodes: &[
            at("test-node", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNodeShouldRunDaemonPod (ShouldRunDaemonPodOnUnschedulableNode)
    Case {
        file: "node_should_run_daemon_pod_on_unschedulable_node",
        ds: "unschedulable",
        nodes: &[
            at("test-node", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNodeShouldRunDaemonPod (InsufficientResourceError): the created pod then waits for the scheduler
    Case {
        file: "node_should_run_daemon_pod_insufficient_resource_pending",
        ds: "insufficient-resource",
        nodes: &[
            at("test-node", "Pending", &["Insufficient memory: pod requests 200M, node allocatable 100M, none already requested"]).lacks(&["Insufficient cpu"]).facts(&["InsufficientResource"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNodeShouldRunDaemonPod (InsufficientResourceError, pod on node): the created pod then waits for the scheduler
    Case {
        file: "node_should_run_daemon_pod_insufficient_with_pod_pending",
        ds: "insufficient-with-pod",
        nodes: &[
            at("test-node", "Pending", &["Insufficient memory: pod requests 100M, node allocatable 100M, 50M already requested by 1 pod"]).lacks(&["Insufficient cpu"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNodeShouldRunDaemonPod (ErrPodNotFitsHostPorts): the created pod then waits for the scheduler
    Case {
        file: "node_should_run_daemon_pod_host_ports_pending",
        ds: "host-ports",
        nodes: &[
            at("test-node", "Pending", &["host port 666/TCP already used by default/uses-666", "node(s) didn't have free ports for the requested pod ports"]).facts(&["HostPortConflict"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestDeleteUnscheduledPodForNotExistingNode
    Case {
        file: "delete_unscheduled_pod_for_not_existing_node",
        nodes: &[
            at("node-0", "Running", &["pod node-0-a: running and Ready"]).pods(&["node-0-a"]),
        ],
        notes: &["pod pod1-node-3 targets node node-2, which is not among the snapshot's nodes", "the DaemonSet controller deletes it", "pod node-1-a is bound to node node-1, which is not among the snapshot's nodes", "pod garbage collector"],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestGetNodesToDaemonPods (exclude deleted terminal pods)
    Case {
        file: "get_nodes_to_daemon_pods",
        nodes: &[
            at("node-0", "Running", &["pod matching-owned-0: running and Ready", "also pod matching-orphan-0", "also pod matching-owned-succeeded-pod-0"]).lacks(&["non-matching", "owned-by-other", "deleted-pod"]).pods(&["matching-owned-0", "matching-orphan-0", "matching-owned-succeeded-pod-0"]),
            at("node-1", "Running", &["pod matching-owned-1: running and Ready", "also pod matching-orphan-1", "also pod matching-owned-failed-pod-1"]).lacks(&["non-matching", "deleted-pod"]).pods(&["matching-owned-1", "matching-orphan-1", "matching-owned-failed-pod-1"]),
        ],
        notes: &["pod non-matching-owned-0 is controlled by this DaemonSet but its labels no longer match"],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestSurgeDealsWithExistingPods
    Case {
        file: "surge_deals_with_existing_pods",
        nodes: &[
            at("node-0", "Missing", &[NO_POD]),
            at("node-1", "Running", &["pod node-1-a: running and Ready"]),
            at("node-2", "Running", &["also pod node-2-b (current revision)", "only the oldest pod of the current revision"]),
            at("node-3", "Running", &["also pod node-3-e (current revision)", "only the oldest pod of the current revision"]),
            at("node-4", "Missing", &[NO_POD]).pods(&[]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestSurgePreservesReadyOldPods
    Case {
        file: "surge_preserves_ready_old_pods",
        nodes: &[
            at("node-0", "Missing", &[NO_POD]),
            at("node-1", "Running", &["pod node-1-old: running and Ready", "runs old revision old (current new)", "also pod node-1-delete (old revision)", "only the oldest pod of the current revision", "also pod node-1-new (current revision): Starting"]).lacks(&["also pod node-1-new (current revision): Starting: container foo running but not Ready yet (readiness probe not passing) (the controller deletes"]).pods(&["node-1-old", "node-1-delete", "node-1-new"]),
            at("node-2", "Running", &["pod node-2-a: running and Ready"]),
            at("node-3", "Missing", &[NO_POD]),
            at("node-4", "Missing", &[NO_POD]),
        ],
        notes: &["rollout in progress"],
        rollout: Some(("Progressing", 5, 1, 2, &["node-0", "node-1", "node-3", "node-4"])),
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestSurgeCreatesNewPodWhenAtMaxSurgeAndOldPodDeleted
    Case {
        file: "surge_creates_new_pod_when_at_max_surge_and_old_pod_deleted",
        nodes: &[
            at("node-0", "Running", &["pod node-0-old-ready: running and Ready", "also pod node-0-new (current revision): Starting"]),
            at("node-1", "Running", &["runs old revision old"]),
            at("node-2", "Running", &["runs old revision old"]),
            at("node-3", "Running", &["runs old revision old"]),
            at("node-4", "Running", &["pod node-4-preserve", "terminating", "with maxSurge the controller creates the replacement without waiting"]),
        ],
        notes: &["rollout in progress: 0 of 5"],
        rollout: Some(("Progressing", 5, 0, 5, &["node-0"])),
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestSurgeDeletesUnreadyOldPods
    Case {
        file: "surge_deletes_unready_old_pods",
        nodes: &[
            at("node-0", "Missing", &[NO_POD]),
            at("node-1", "Starting", &["pod node-1-old-unready", "the old-revision pod is not Ready, so the new one replaces it now", "also pod node-1-delete (old revision)", "only the oldest pod of the current revision"]),
            at("node-2", "Running", &[]),
            at("node-3", "Missing", &[NO_POD]),
            at("node-4", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestSurgePreservesOldReadyWithUnsatisfiedMinReady
    Case {
        file: "surge_preserves_old_ready_with_unsatisfied_min_ready",
        nodes: &[
            at("node-0", "Missing", &[NO_POD]),
            at("node-1", "Running", &["pod node-1-old-ready: running and Ready", "once the new-revision pod has been Ready for 15s (minReadySeconds)", "also pod node-1-delete (old revision)", "only the oldest pod of the current revision"]),
            at("node-2", "Running", &[]),
            at("node-3", "Missing", &[NO_POD]),
            at("node-4", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/update_test.go
    // TestDaemonSetUpdatesPods (midway: 2 replaced, 2 old, 1 deleted awaiting its new pod)
    Case {
        file: "daemonset_updates_pods",
        nodes: &[
            at("node-0", "Running", &["pod node-0-new: running and Ready"]).lacks(&["old revision"]),
            at("node-1", "Starting", &["pod node-1-new", "not Ready"]),
            at("node-2", "Running", &["runs old revision old (current new)"]).facts(&["OutdatedRevision"]),
            at("node-3", "Running", &["runs old revision old (current new)"]),
            at("node-4", "Missing", &[NO_POD]),
        ],
        notes: &["rollout in progress: 2 of 5 eligible nodes run the current revision new", "maxUnavailable=2"],
        rollout: Some(("Progressing", 5, 2, 3, &["node-1", "node-4"])),
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/update_test.go
    // TestDaemonSetUpdatesNoTemplateChanged
    Case {
        file: "daemonset_updates_no_template_changed",
        nodes: &[
            at("node-0", "Running", &["pod node-0-a: running and Ready"]).lacks(&["old revision"]),
            at("node-1", "Running", &["pod node-1-a: running and Ready"]).lacks(&["old revision"]),
            at("node-2", "Running", &["pod node-2-a: running and Ready"]).lacks(&["old revision"]),
            at("node-3", "Running", &["pod node-3-a: running and Ready"]).lacks(&["old revision"]),
            at("node-4", "Running", &["pod node-4-a: running and Ready"]).lacks(&["old revision"]),
        ],
        notes_empty: true,
        rollout: Some(("Complete", 5, 5, 5, &[])),
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/update_test.go
    // TestDaemonSetUpdatesAllOldPodsNotReadyMaxSurge (after the surge)
    Case {
        file: "daemonset_updates_all_old_pods_not_ready_max_surge",
        nodes: &[
            at("node-0", "Starting", &["pod node-0-old", "runs old revision old", "the old-revision pod is not Ready, so the new one replaces it now", "also pod node-0-new (current revision)"]),
            at("node-1", "Starting", &["pod node-1-old", "runs old revision old", "the old-revision pod is not Ready, so the new one replaces it now", "also pod node-1-new (current revision)"]),
            at("node-2", "Starting", &["pod node-2-old", "runs old revision old", "the old-revision pod is not Ready, so the new one replaces it now", "also pod node-2-new (current revision)"]),
            at("node-3", "Starting", &["pod node-3-old", "runs old revision old", "the old-revision pod is not Ready, so the new one replaces it now", "also pod node-3-new (current revision)"]),
            at("node-4", "Starting", &["pod node-4-old", "runs old revision old", "the old-revision pod is not Ready, so the new one replaces it now", "also pod node-4-new (current revision)"]),
        ],
        notes: &["rollout in progress: 0 of 5"],
        rollout: Some(("Progressing", 5, 0, 0, &["node-0", "node-1", "node-2", "node-3", "node-4"])),
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
    // TestTaintTolerationFilter (A pod having no tolerations can't be scheduled onto a node with nonempty taints)
    Case {
        file: "taint_toleration_no_tolerations",
        nodes: &[
            at("nodeA", "Ineligible", &["untolerated taint dedicated=user1:NoSchedule"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
    // TestTaintTolerationFilter (A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule)
    Case {
        file: "taint_toleration_dedicated_user1",
        nodes: &[
            at("nodeA", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
    // TestTaintTolerationFilter (A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule)
    Case {
        file: "taint_toleration_dedicated_user2",
        nodes: &[
            at("nodeA", "Ineligible", &["untolerated taint dedicated=user1:NoSchedule"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
    // TestTaintTolerationFilter (A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node)
    Case {
        file: "taint_toleration_exists",
        nodes: &[
            at("nodeA", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
    // TestTaintTolerationFilter (A pod has multiple tolerations, node has multiple taints, all the taints are tolerated, pod can be scheduled onto the node)
    Case {
        file: "taint_toleration_all_tolerated",
        nodes: &[
            at("nodeA", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
    // TestTaintTolerationFilter (A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node)
    Case {
        file: "taint_toleration_effect_mismatch",
        nodes: &[
            at("nodeA", "Ineligible", &["untolerated taint foo=bar:NoSchedule"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
    // TestTaintTolerationFilter (The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled onto the node)
    Case {
        file: "taint_toleration_empty_effect",
        nodes: &[
            at("nodeA", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
    // TestTaintTolerationFilter (The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node)
    Case {
        file: "taint_toleration_prefer_no_schedule_untolerated",
        nodes: &[
            at("nodeA", "Missing", &[NO_POD]).lacks(&["PreferNoSchedule"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
    // TestTaintTolerationFilter (The pod has no toleration, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node)
    Case {
        file: "taint_toleration_prefer_no_schedule_no_toleration",
        nodes: &[
            at("nodeA", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
    // TestTaintTolerationFilter (Pod with Gt toleration cannot be scheduled when feature gate is disabled)
    Case {
        file: "taint_toleration_gt_gate_disabled",
        nodes: &[
            at("nodeA", "Ineligible", &["untolerated taint node.kubernetes.io/sla=950:NoSchedule"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
    // TestTaintTolerationFilter (Pod with mixed tolerations, Gt toleration needed but filtered out when feature gate is disabled)
    Case {
        file: "taint_toleration_mixed_gt_filtered_out",
        nodes: &[
            at("nodeA", "Ineligible", &["untolerated taint node.kubernetes.io/sla=950:NoSchedule"]).lacks(&["dedicated"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
    // TestTaintTolerationFilter (Pod with mixed tolerations (Equal and Gt) when feature gate is disabled - only Equal is honored)
    Case {
        file: "taint_toleration_mixed_equal_honored",
        nodes: &[
            at("nodeA", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
    // TestTaintTolerationFilter (TolerationsTolerateTaint: empty key with operator Exists tolerates every taint)
    Case {
        file: "taint_toleration_empty_key_exists_tolerates_everything",
        nodes: &[
            at("nodeA", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
    // TestTaintTolerationFilter (TolerationsTolerateTaint: empty key + Exists limited to NoSchedule leaves NoExecute untolerated)
    Case {
        file: "taint_toleration_empty_key_exists_noschedule_only",
        nodes: &[
            at("nodeA", "Ineligible", &["untolerated taint x=y:NoExecute"]).lacks(&["dedicated"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/tainteviction/taint_eviction_test.go
    // tolerationSeconds: a NoExecute taint tolerated for 300s (TestUpdateNode: pod evicted after its toleration expires)
    Case {
        file: "taint_toleration_seconds_noexecute",
        nodes: &[
            at("node-0", "Running", &["tolerates taint x=y:NoExecute for only 300s", "taint-eviction controller evicts it"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (missing labels)
    Case {
        file: "node_affinity_missing_labels",
        nodes: &[
            at("node1", "Ineligible", &["nodeSelector foo=bar: node has no label foo"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (same labels)
    Case {
        file: "node_affinity_same_labels",
        nodes: &[
            at("node1", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (node labels are superset)
    Case {
        file: "node_affinity_labels_superset",
        nodes: &[
            at("node1", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (node labels are subset)
    Case {
        file: "node_affinity_labels_subset",
        nodes: &[
            at("node1", "Ineligible", &["nodeSelector baz=blah: node has no label baz"]).lacks(&["foo=bar"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with matchExpressions using In operator that matches the existing node)
    Case {
        file: "node_affinity_in_matches",
        nodes: &[
            at("node1", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with matchExpressions using Gt operator that matches the existing node)
    Case {
        file: "node_affinity_gt_matches",
        nodes: &[
            at("node1", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeSelectorMatch-style Gt: 0203 is not greater than 0204
    Case {
        file: "node_affinity_gt_does_not_match",
        nodes: &[
            at("node1", "Ineligible", &["kernel-version Gt [0204] (node has kernel-version=0203)"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity-style Lt: 3 < 10
    Case {
        file: "node_affinity_lt_matches",
        nodes: &[
            at("node1", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with matchExpressions using NotIn operator that matches the existing node)
    Case {
        file: "node_affinity_notin_matches",
        nodes: &[
            at("node1", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with matchExpressions using Exists operator that matches the existing node)
    Case {
        file: "node_affinity_exists_matches",
        nodes: &[
            at("node1", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity-style DoesNotExist: the node carries the label
    Case {
        file: "node_affinity_does_not_exist",
        nodes: &[
            at("node1", "Ineligible", &["GPU DoesNotExist (node has GPU=NVIDIA-GRID-K1)"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with affinity that don't match node's labels won't schedule onto the node)
    Case {
        file: "node_affinity_in_does_not_match",
        nodes: &[
            at("node1", "Ineligible", &["foo In [value1, value2] (node has foo=bar)"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with empty MatchExpressions is not a valid value will match no objects and won't schedule onto the node)
    Case {
        file: "node_affinity_empty_match_expressions",
        nodes: &[
            at("node1", "Ineligible", &["empty term: matches no node"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/component-helpers/scheduling/corev1/helpers_test.go
    // TestMatchNodeSelectorTerms-style: an empty nodeSelectorTerms list matches no node
    Case {
        file: "node_affinity_empty_terms",
        nodes: &[
            at("node1", "Ineligible", &["has no nodeSelectorTerms, so it matches no node"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with multiple matchExpressions ANDed that matches the existing node)
    Case {
        file: "node_affinity_anded_match",
        nodes: &[
            at("node1", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with multiple matchExpressions ANDed that doesn't match the existing node)
    Case {
        file: "node_affinity_anded_no_match",
        nodes: &[
            at("node1", "Ineligible", &["GPU In [AMD, INTER] (node has GPU=NVIDIA-GRID-K1)"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node)
    Case {
        file: "node_affinity_ored_terms",
        nodes: &[
            at("node1", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with an Affinity and a PodSpec.NodeSelector both are satisfied, will schedule onto the node)
    Case {
        file: "node_affinity_selector_and_affinity",
        nodes: &[
            at("node1", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with an Affinity matches node's labels but the PodSpec.NodeSelector is not satisfied, won't schedule onto the node)
    Case {
        file: "node_affinity_selector_not_satisfied",
        nodes: &[
            at("node1", "Ineligible", &["nodeSelector foo=bar: node has foo=barrrrrr"]).lacks(&["nodeAffinity"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with an invalid value in Affinity term won't be scheduled onto the node)
    Case {
        file: "node_affinity_invalid_value",
        nodes: &[
            at("node1", "Ineligible", &["invalid"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with matchFields using In operator that matches the existing node)
    Case {
        file: "node_affinity_match_fields_in",
        nodes: &[
            at("node1", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with matchFields using In operator that does not match the existing node)
    Case {
        file: "node_affinity_match_fields_in_other_node",
        nodes: &[
            at("node2", "Ineligible", &["metadata.name In [node1] (node is node2)"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with two terms: matchFields does not match, but matchExpressions matches)
    Case {
        file: "node_affinity_two_terms_fields_no_expressions_yes",
        nodes: &[
            at("node2", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with one term: matchFields does not match, but matchExpressions matches)
    Case {
        file: "node_affinity_one_term_fields_no_expressions_yes",
        nodes: &[
            at("node2", "Ineligible", &["metadata.name In [node1] (node is node2)"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with one term: both matchFields and matchExpressions match)
    Case {
        file: "node_affinity_one_term_both_match",
        nodes: &[
            at("node1", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with two terms: both matchFields and matchExpressions do not match)
    Case {
        file: "node_affinity_two_terms_neither_matches",
        nodes: &[
            at("node2", "Ineligible", &["none of the 2 terms match", "metadata.name In [node1] (node is node2)", "foo In [not-match-to-bar] (node has foo=bar)"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with two terms of node.Name affinity)
    Case {
        file: "node_affinity_two_name_terms",
        nodes: &[
            at("node2", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinity (Pod with two conflicting mach field requirements)
    Case {
        file: "node_affinity_conflicting_field_requirements",
        nodes: &[
            at("node2", "Ineligible", &["metadata.name In [node1] (node is node2)"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/component-helpers/scheduling/corev1/helpers_test.go
    // TestMatchNodeSelectorTerms (fieldSelectorTerm with node labels)
    Case {
        file: "node_affinity_field_selector_vs_label",
        nodes: &[
            at("not_host_1", "Ineligible", &["metadata.name In [host_1] (node is not_host_1)"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/component-helpers/scheduling/corev1/helpers_test.go
    // TestMatchNodeSelectorTerms (labelSelectorTerm with node fields)
    Case {
        file: "node_affinity_label_selector_vs_field",
        nodes: &[
            at("host_1", "Ineligible", &["metadata.name In [host_1] (node has no label metadata.name)"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/component-helpers/scheduling/corev1/helpers_test.go
    // TestMatchNodeSelectorTerms (invalid node field requirement)
    Case {
        file: "node_affinity_field_two_values_invalid",
        nodes: &[
            at("host_1", "Ineligible", &["must have one element"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/component-helpers/scheduling/corev1/helpers_test.go
    // TestMatchNodeSelectorTerms (multi-selector was set, both node fields and labels (one mismatched))
    Case {
        file: "node_affinity_multi_selector_one_mismatched",
        nodes: &[
            at("host_1", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
    // TestNodeAffinityPriority (no node matches preferred scheduling requirements: placement is unaffected)
    Case {
        file: "node_affinity_preferred_ignored",
        nodes: &[
            at("node1", "Missing", &[NO_POD]),
            at("node2", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable_test.go
    // TestNodeUnschedulable (pod with the unschedulable toleration is schedulable on an unschedulable node)
    Case {
        file: "node_unschedulable_daemon_pod_tolerates",
        nodes: &[
            at("cordoned", "Pending", &["pod foo-a is not scheduled", "all fit"]).lacks(&["cordoned (spec.unschedulable)"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable_test.go
    // TestNodeUnschedulable (pod without the toleration is not schedulable on an unschedulable node)
    Case {
        file: "node_unschedulable_pod_without_toleration",
        nodes: &[
            at("cordoned", "Pending", &["node is cordoned (spec.unschedulable)", "node(s) were unschedulable"]).facts(&["NodeCordoned"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeports/node_ports_test.go
    // TestNodePorts (other port)
    Case {
        file: "node_ports_other_port",
        nodes: &[
            at("machine1", "Pending", &["all fit"]).lacks(&["already used"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeports/node_ports_test.go
    // TestNodePorts (same udp port)
    Case {
        file: "node_ports_same_udp_port",
        nodes: &[
            at("machine1", "Pending", &["host port 127.0.0.1:8080/UDP already used by default/holder", "node(s) didn't have free ports for the requested pod ports"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeports/node_ports_test.go
    // TestNodePorts (same tcp port)
    Case {
        file: "node_ports_same_tcp_port",
        nodes: &[
            at("machine1", "Pending", &["host port 127.0.0.1:8080/TCP already used by default/holder"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeports/node_ports_test.go
    // TestNodePorts (different host ip)
    Case {
        file: "node_ports_different_host_ip",
        nodes: &[
            at("machine1", "Pending", &["all fit"]).lacks(&["already used"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeports/node_ports_test.go
    // TestNodePorts (different protocol)
    Case {
        file: "node_ports_different_protocol",
        nodes: &[
            at("machine1", "Pending", &["all fit"]).lacks(&["already used"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeports/node_ports_test.go
    // TestNodePorts (first tcp port conflict due to 0.0.0.0 hostIP)
    Case {
        file: "node_ports_conflict_due_to_wildcard_existing",
        nodes: &[
            at("machine1", "Pending", &["host port 127.0.0.1:8001/TCP already used by default/holder"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeports/node_ports_test.go
    // TestNodePorts (TCP hostPort conflict due to 0.0.0.0 hostIP)
    Case {
        file: "node_ports_conflict_due_to_wildcard_wanted",
        nodes: &[
            at("machine1", "Pending", &["host port 8001/TCP already used by default/holder"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/nodeports/node_ports_test.go
    // TestNodePorts (UDP hostPort conflict due to 0.0.0.0 hostIP)
    Case {
        file: "node_ports_udp_conflict_due_to_wildcard",
        nodes: &[
            at("machine1", "Pending", &["host port 8001/UDP already used by default/holder"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (no resources requested always fits)
    Case {
        file: "fit_no_resources_requested",
        nodes: &[
            at("machine1", "Pending", &["all fit"]).lacks(&["Insufficient"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (too many resources fails)
    Case {
        file: "fit_too_many_resources",
        nodes: &[
            at("machine1", "Pending", &["Insufficient cpu: pod requests 1m, node allocatable 10m, 10m already requested by 1 pod", "Insufficient memory: pod requests 1, node allocatable 20, 20 already requested by 1 pod"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (too many resources fails due to init container cpu)
    Case {
        file: "fit_init_container_cpu",
        nodes: &[
            at("machine1", "Pending", &["Insufficient cpu: pod requests 3m, node allocatable 10m, 8m already requested by 1 pod"]).lacks(&["Insufficient memory"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (too many resources fails due to highest init container cpu)
    Case {
        file: "fit_highest_init_container_cpu",
        nodes: &[
            at("machine1", "Pending", &["Insufficient cpu: pod requests 3m"]).lacks(&["Insufficient memory"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (too many resources fails due to init container memory)
    Case {
        file: "fit_init_container_memory",
        nodes: &[
            at("machine1", "Pending", &["Insufficient memory: pod requests 3, node allocatable 20, 19 already requested by 1 pod"]).lacks(&["Insufficient cpu"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (init container fits because it's the max, not sum)
    Case {
        file: "fit_init_max_not_sum",
        nodes: &[
            at("machine1", "Pending", &["all fit"]).lacks(&["Insufficient"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (both resources fit)
    Case {
        file: "fit_both_fit",
        nodes: &[
            at("machine1", "Pending", &["all fit"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (one resource memory fits)
    Case {
        file: "fit_memory_fits",
        nodes: &[
            at("machine1", "Pending", &["Insufficient cpu: pod requests 2m, node allocatable 10m, 9m already requested by 1 pod"]).lacks(&["Insufficient memory"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (one resource cpu fits)
    Case {
        file: "fit_cpu_fits",
        nodes: &[
            at("machine1", "Pending", &["Insufficient memory: pod requests 2, node allocatable 20, 19 already requested by 1 pod"]).lacks(&["Insufficient cpu"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (equal edge case)
    Case {
        file: "fit_equal_edge_case",
        nodes: &[
            at("machine1", "Pending", &["all fit"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (extended resource capacity enforced)
    Case {
        file: "fit_extended_resource_capacity",
        nodes: &[
            at("machine1", "Pending", &["Insufficient example.com/aaa: pod requests 10, node allocatable 5, none already requested"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (extended resource allocatable enforced)
    Case {
        file: "fit_extended_resource_allocatable",
        nodes: &[
            at("machine1", "Pending", &["Insufficient example.com/aaa: pod requests 1, node allocatable 5, 5 already requested by 1 pod"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (extended resource enforced for unknown resource)
    Case {
        file: "fit_unknown_extended_resource",
        nodes: &[
            at("machine1", "Pending", &["Insufficient example.com/bbb: pod requests 1, node allocatable 0"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (kubernetes.io resource capacity enforced)
    Case {
        file: "fit_kubernetes_io_resource",
        nodes: &[
            at("machine1", "Pending", &["Insufficient kubernetes.io/something: pod requests 10, node allocatable 0"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (hugepages resource capacity enforced)
    Case {
        file: "fit_hugepages",
        nodes: &[
            at("machine1", "Pending", &["Insufficient hugepages-2Mi: pod requests 10, node allocatable 5"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (resources + pod overhead fits)
    Case {
        file: "fit_overhead_fits",
        nodes: &[
            at("machine1", "Pending", &["all fit"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (requests + overhead does not fit for memory)
    Case {
        file: "fit_overhead_does_not_fit",
        nodes: &[
            at("machine1", "Pending", &["Insufficient memory: pod requests 16, node allocatable 20, 5 already requested by 1 pod"]).lacks(&["Insufficient cpu"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (pod-level cpu resource not fit)
    Case {
        file: "fit_pod_level_cpu",
        nodes: &[
            at("machine1", "Pending", &["Insufficient cpu: pod requests 6m, node allocatable 10m, 5m already requested by 1 pod"]).lacks(&["Insufficient memory"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (restartable (sidecar) init containers keep running: their requests add to the containers')
    Case {
        file: "fit_sidecar_adds_to_containers",
        nodes: &[
            at("machine1", "Pending", &["Insufficient cpu: pod requests 5m, node allocatable 10m, 6m already requested by 1 pod"]).lacks(&["Insufficient memory"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (Too many pods (fitsRequest: allowedPodNumber))
    Case {
        file: "fit_too_many_pods",
        nodes: &[
            at("machine1", "Pending", &["Too many pods: node allows 1 pod and already runs 1"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (only non-terminal pods count (scheduler pod informer skips Succeeded/Failed))
    Case {
        file: "fit_terminal_pods_do_not_count",
        nodes: &[
            at("machine1", "Pending", &["all fit"]).lacks(&["Insufficient"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (a terminating pod still holds its resources until it is gone)
    Case {
        file: "fit_terminating_pods_count",
        nodes: &[
            at("machine1", "Pending", &["Insufficient cpu: pod requests 5m, node allocatable 10m, 8m already requested by 1 pod"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (ephemeral-storage enforced (TestStorageRequests))
    Case {
        file: "fit_ephemeral_storage",
        nodes: &[
            at("machine1", "Pending", &["Insufficient ephemeral-storage: pod requests 25, node allocatable 20"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // NodeShouldRunDaemonPod ignores metadata.deletionTimestamp (node stays listed until gone)
    Case {
        file: "node_being_deleted_still_eligible",
        nodes: &[
            at("node-0", "Missing", &[NO_POD, "node is being deleted"]).facts(&["NodeDeleting"]),
            at("node-1", "Running", &["pod node-1-a: running and Ready", "node is being deleted"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/nodelifecycle/node_lifecycle_controller_test.go
    // TestMonitorNodeHealthMarkPodsNotReady (pod on a node that stopped reporting is marked not Ready; daemon pods are never evicted)
    Case {
        file: "running_pod_on_unreachable_node",
        nodes: &[
            at("node-0", "Failing", &["pod node-0-a is not Ready because its node is NotReady (Ready=Unknown)"]).facts(&["NodeNotReady"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/nodelifecycle/node_lifecycle_controller_test.go
    // TestTaintsNodeByCondition (NotReady node gets node.kubernetes.io/not-ready:NoSchedule; daemon pods do not tolerate it)
    Case {
        file: "running_pod_on_not_ready_tainted_node",
        nodes: &[
            at("node-0", "Misscheduled", &["untolerated taint node.kubernetes.io/not-ready:NoSchedule", "the controller keeps the pod", "node is NotReady (Ready=False)"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // podsShouldBeOnNode (succeeded daemon pod: SucceededDaemonPod, deleted and recreated)
    Case {
        file: "succeeded_pod_is_replaced",
        nodes: &[
            at("node-0", "Failing", &["pod node-0-a", "Succeeded", "deletes succeeded pods and creates a replacement"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // podsShouldBeOnNode (failed daemon pod with the kubelet's reason: FailedDaemonPod)
    Case {
        file: "failed_evicted_pod",
        nodes: &[
            at("node-0", "Failing", &["Evicted: The node was low on resource: memory", "deletes failed pods"]).facts(&["PodFailed"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestGetNodesToDaemonPods (a Failed pod being deleted is ignored: the node needs a new pod)
    Case {
        file: "finished_and_deleting_pod_is_not_counted",
        nodes: &[
            at("node-0", "Missing", &["pod node-0-a (Failed) finished and is being deleted", "creates a new pod"]).pods(&[]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestGetNodesToDaemonPods (matching-owned-by-other: a pod controlled by another DaemonSet is never ours)
    Case {
        file: "pods_of_another_daemonset_with_same_labels",
        nodes: &[
            at("node-0", "Missing", &[NO_POD]).lacks(&["bar-a"]).pods(&[]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestGetNodesToDaemonPods (matching-orphan: the controller adopts a matching pod without owner)
    Case {
        file: "orphan_pod_is_adopted",
        nodes: &[
            at("node-0", "Running", &["pod orphan-a: running and Ready", "has no controller owner", "adopts it"]).pods(&["orphan-a"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/controller_ref_manager_test.go
    // TestClaimPods (Controller can not claim pods with deletionTimestamp: an orphan being deleted is not adopted)
    Case {
        file: "orphan_being_deleted_is_not_adopted",
        nodes: &[
            at("node-0", "Missing", &[NO_POD]).pods(&[]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // updateDaemonSetStatus (a pod targeting a node that should not run one counts as misscheduled)
    Case {
        file: "unbound_pod_targeting_ineligible_node",
        nodes: &[
            at("node-0", "Misscheduled", &["pod foo-a (not scheduled yet) targets this node", "untolerated NoExecute taint dedicated=user1:NoExecute"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestNameDaemonSetLaunchesPods (the created pod carries spec.nodeName and skips the scheduler)
    Case {
        file: "template_node_name_bound_pod",
        nodes: &[
            at("node-0", "Running", &["pod foo-a: running and Ready"]),
            at("node-1", "Ineligible", &["spec.nodeName pins the pod to node node-0"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/util/daemonset_util_test.go
    // AddOrUpdateDaemonPodTolerations (hostNetwork pods tolerate node.kubernetes.io/network-unavailable:NoSchedule)
    Case {
        file: "network_unavailable_taint_host_network",
        nodes: &[
            at("node-0", "Missing", &[NO_POD]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/util/daemonset_util_test.go
    // AddOrUpdateDaemonPodTolerations (only hostNetwork pods get the network-unavailable toleration)
    Case {
        file: "network_unavailable_taint_without_host_network",
        nodes: &[
            at("node-0", "Ineligible", &["untolerated taint node.kubernetes.io/network-unavailable:NoSchedule"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/util/daemonset_util_test.go
    // AddOrUpdateDaemonPodTolerations (the template's bounded not-ready toleration is replaced by an unbounded one)
    Case {
        file: "daemon_toleration_replaces_bounded_not_ready",
        nodes: &[
            at("node-0", "Failing", &["pod foo-a is not Ready because its node is NotReady (Ready=False)"]).lacks(&["tolerationSeconds"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // TestSimpleDaemonSetPodCreateErrors (creates fail, e.g. on a quota: FailedCreate)
    Case {
        file: "pod_create_errors_quota",
        nodes: &[
            at("node-0", "Running", &["running and Ready"]),
            at("node-1", "Missing", &["the controller cannot create the pod", "exceeded quota: pods-limit"]),
            at("node-2", "Missing", &["exceeded quota"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/scheduler/framework/plugins/noderesources/fit_test.go
    // TestEnoughRequests (too many resources fails) with the scheduler's FailedScheduling event
    Case {
        file: "failed_scheduling_event_quoted",
        nodes: &[
            at("machine1", "Pending", &["Insufficient cpu: pod requests 5m, node allocatable 10m, 8m already requested by 1 pod", "scheduler: \"0/1 nodes are available: 1 Insufficient cpu."]).facts(&["FailedScheduling"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // Pending pod whose node fits everything modelled: the scheduler's word is quoted (volume binding is not modelled)
    Case {
        file: "failed_scheduling_not_modelled",
        nodes: &[
            at("node-0", "Pending", &["volume node affinity conflict", "the scheduler's message is the authority", "not modelled"]).facts(&["NotModelled"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/daemon/daemon_controller_test.go
    // podsShouldBeOnNode (shouldContinueRunning: a failed pod is deleted even where a running one would be kept)
    Case {
        file: "failed_pod_on_no_schedule_tainted_node",
        nodes: &[
            at("tainted", "Misscheduled", &["it finished (Failed)", "untolerated taint dedicated=user1:NoSchedule", "creates no replacement"]).lacks(&["keeps the pod"]),
        ],
        ..Case::DEFAULT
    },
    // https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/nodelifecycle/node_lifecycle_controller_test.go
    // TestMonitorNodeHealthMarkPodsNotReady (a pod bound to a node that went dark before it started; as kube-proxy on notready-1 in tests/fixtures/real-cluster/TRUTH.md)
    Case {
        file: "never_started_pod_on_unreachable_node",
        nodes: &[
            at("node-0", "Starting", &["pod node-0-a", "node is NotReady (Ready=Unknown)"]),
        ],
        ..Case::DEFAULT
    },
];
