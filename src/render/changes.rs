//! `--watch` output after the first report: what changed between two reports, and the lines that say so
//! (JSON Lines objects `NodeChange` and `RolloutChange`, and the deleted-node table row).
//! Compares the reports as serialized (the JSON contract), so fields the report gains later (a node's
//! `revision`, a DaemonSet's `rollout`) are followed without code here knowing their types.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use serde_json::Value;

use crate::report::{CoverageReport, DaemonSetReport, Document, Kind};

use super::{Cell, Fit, Format, Overflow, RenderOptions, write_columns};

/// The reason a node that left the cluster is reported with.
pub const NODE_DELETED: &str = "node deleted";

/// One node's verdict, changed (`-o json` with --watch prints one per line).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeChange {
    pub namespace: String,
    pub daemon_set: String,
    pub node: String,
    /// One of the seven status words; null when the node left the cluster.
    pub status: Value,
    pub reason: Value,
    /// The pod the controller counts for the node, or null (always null in coverage, which names no pods).
    pub pod: Value,
    /// `current` or `old` (the node entry's `revision`), null when the report does not say.
    pub revision: Value,
}

impl Kind for NodeChange {
    const KIND: &'static str = "NodeChange";
}

/// A DaemonSet's `rollout` object, changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutChange {
    pub namespace: String,
    pub daemon_set: String,
    pub rollout: Value,
}

impl Kind for RolloutChange {
    const KIND: &'static str = "RolloutChange";
}

/// What a watch compares of one report: per DaemonSet, each node's entry, its rollout and its row.
#[derive(Debug, Default, PartialEq)]
pub struct Verdicts {
    sets: BTreeMap<(String, String), SetVerdicts>,
}

#[derive(Debug, Default, PartialEq)]
struct SetVerdicts {
    nodes: BTreeMap<String, Entry>,
    rollout: Value,
    /// coverage: the row's own figures (counts, coverage, top reason).
    row: Value,
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    status: Value,
    reason: Value,
    pod: Value,
    revision: Value,
}

impl Entry {
    fn of(node: &Value) -> Entry {
        let field = |k: &str| node.get(k).cloned().unwrap_or(Value::Null);
        Entry {
            status: field("status"),
            reason: field("reason"),
            pod: field("pod"),
            revision: field("revision"),
        }
    }
}

/// What changed from one report to the next.
#[derive(Debug, Default, PartialEq)]
pub struct Changes {
    pub nodes: Vec<NodeChange>,
    pub rollouts: Vec<RolloutChange>,
    /// coverage: the DaemonSets (namespace, name) whose row changed, in report order.
    pub rows: Vec<(String, String)>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.rollouts.is_empty() && self.rows.is_empty()
    }
}

impl Verdicts {
    pub fn of_why(report: &DaemonSetReport) -> Verdicts {
        let doc = serde_json::to_value(report).unwrap_or_default();
        let nodes = array(&doc, "nodes")
            .map(|n| (text(n, "node"), Entry::of(n)))
            .collect();
        let mut sets = BTreeMap::new();
        sets.insert(
            (report.namespace.clone(), report.name.clone()),
            SetVerdicts {
                nodes,
                rollout: doc.get("rollout").cloned().unwrap_or(Value::Null),
                row: Value::Null,
            },
        );
        Verdicts { sets }
    }

    /// Coverage lists only the nodes that are not Running; every other node of `nodeNames` is Running.
    pub fn of_coverage(report: &CoverageReport) -> Verdicts {
        let doc = serde_json::to_value(report).unwrap_or_default();
        let running = Entry {
            status: Value::from("Running"),
            reason: Value::Null,
            pod: Value::Null,
            revision: Value::Null,
        };
        let mut sets = BTreeMap::new();
        for row in array(&doc, "daemonSets") {
            let mut nodes: BTreeMap<String, Entry> = report
                .node_names
                .iter()
                .map(|n| (n.clone(), running.clone()))
                .collect();
            for n in array(row, "nodes") {
                nodes.insert(text(n, "node"), Entry::of(n));
            }
            let mut figures = row.clone();
            if let Value::Object(map) = &mut figures {
                for k in ["nodes", "notes", "rollout"] {
                    map.remove(k);
                }
            }
            sets.insert(
                (text(row, "namespace"), text(row, "name")),
                SetVerdicts {
                    nodes,
                    rollout: row.get("rollout").cloned().unwrap_or(Value::Null),
                    row: figures,
                },
            );
        }
        Verdicts { sets }
    }

    /// The changes from `self` to `new`: nodes whose entry differs (or that left the cluster), rollouts
    /// that differ, and rows that differ. A DaemonSet that appears counts every node as changed.
    pub fn diff(&self, new: &Verdicts) -> Changes {
        let mut changes = Changes::default();
        let empty = SetVerdicts::default();
        for ((ns, name), now) in &new.sets {
            let before = self.sets.get(&(ns.clone(), name.clone()));
            let was = before.unwrap_or(&empty);
            let mut row_changed = before.is_none() || was.row != now.row;
            for (node, entry) in &now.nodes {
                if was.nodes.get(node) != Some(entry) {
                    row_changed = true;
                    changes.nodes.push(NodeChange {
                        namespace: ns.clone(),
                        daemon_set: name.clone(),
                        node: node.clone(),
                        status: entry.status.clone(),
                        reason: entry.reason.clone(),
                        pod: entry.pod.clone(),
                        revision: entry.revision.clone(),
                    });
                }
            }
            for node in was.nodes.keys().filter(|n| !now.nodes.contains_key(*n)) {
                row_changed = true;
                changes.nodes.push(NodeChange {
                    namespace: ns.clone(),
                    daemon_set: name.clone(),
                    node: node.clone(),
                    status: Value::Null,
                    reason: Value::from(NODE_DELETED),
                    pod: Value::Null,
                    revision: Value::Null,
                });
            }
            if was.rollout != now.rollout && !now.rollout.is_null() {
                changes.rollouts.push(RolloutChange {
                    namespace: ns.clone(),
                    daemon_set: name.clone(),
                    rollout: now.rollout.clone(),
                });
            }
            if row_changed {
                changes.rows.push((ns.clone(), name.clone()));
            }
        }
        changes
    }
}

fn array<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

/// One compact JSON document on one line (JSON Lines), `apiVersion` and `kind` first.
pub fn json_line<T: Serialize + Kind>(value: &T, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &Document::new(value))?;
    writeln!(out)
}

/// One YAML document, after a `---` line unless it is the first (as `kubectl get -w -o yaml` prints).
pub fn yaml_document<T: Serialize + Kind>(
    value: &T,
    first: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    if !first {
        writeln!(out, "---")?;
    }
    super::structured::yaml(value, out)
}

/// The table row of a node that left the cluster, in the columns of `why`'s table.
/// The table line for a rollout that changed state or message, like the line `why` prints above its
/// table: `rollout NS/NAME: STATE: MESSAGE`.
pub fn rollout_line(change: &RolloutChange, out: &mut dyn Write) -> io::Result<()> {
    let state = text(&change.rollout, "state");
    let message = text(&change.rollout, "message");
    let mut line = format!(
        "rollout {}/{}: {state}",
        change.namespace, change.daemon_set
    );
    if !message.is_empty() {
        line.push_str(": ");
        line.push_str(&message);
    }
    writeln!(out, "{line}")
}

pub fn deleted_node_row(node: &str, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let mut row = vec![Cell::plain(node), Cell::plain("<deleted>")];
    if opts.format == Format::Wide {
        row.extend((0..5).map(|_| Cell::plain("<none>")));
    }
    row.push(Cell::plain(NODE_DELETED));
    write_columns(
        out,
        &[row],
        opts.color,
        Fit {
            width: opts.width,
            header_row: false,
            overflow: Overflow::Wrap,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn why(nodes: Value, rollout: Option<Value>) -> Verdicts {
        let mut doc = json!({"namespace": "ns", "name": "ds", "nodes": nodes});
        if let Some(r) = rollout {
            doc["rollout"] = r;
        }
        let nodes = array(&doc, "nodes")
            .map(|n| (text(n, "node"), Entry::of(n)))
            .collect();
        let mut sets = BTreeMap::new();
        sets.insert(
            ("ns".into(), "ds".into()),
            SetVerdicts {
                nodes,
                rollout: doc.get("rollout").cloned().unwrap_or(Value::Null),
                row: Value::Null,
            },
        );
        Verdicts { sets }
    }

    fn changed_nodes(c: &Changes) -> Vec<(&str, Value)> {
        c.nodes
            .iter()
            .map(|n| (n.node.as_str(), n.status.clone()))
            .collect()
    }

    #[test]
    fn only_nodes_whose_status_reason_pod_or_revision_moved_are_changes() {
        let before = why(
            json!([
                {"node": "a", "status": "Running", "reason": "r", "pod": "p1", "restarts": 0},
                {"node": "b", "status": "Running", "reason": "r", "pod": "p2"},
                {"node": "c", "status": "Running", "reason": "r", "pod": "p3", "revision": "current"},
                {"node": "d", "status": "Missing", "reason": "no pod", "pod": null},
                {"node": "gone", "status": "Running", "reason": "r", "pod": "p9"}
            ]),
            None,
        );
        let after = why(
            json!([
                {"node": "a", "status": "Running", "reason": "r", "pod": "p1", "restarts": 5},
                {"node": "b", "status": "Failing", "reason": "CrashLoopBackOff", "pod": "p2"},
                {"node": "c", "status": "Running", "reason": "r", "pod": "p3", "revision": "old"},
                {"node": "d", "status": "Missing", "reason": "no pod", "pod": null},
                {"node": "new", "status": "Starting", "reason": "s", "pod": "p4"}
            ]),
            None,
        );
        let changes = before.diff(&after);
        assert_eq!(
            changed_nodes(&changes),
            [
                ("b", json!("Failing")),
                ("c", json!("Running")),
                ("new", json!("Starting")),
                ("gone", Value::Null),
            ]
        );
        assert_eq!(changes.nodes[1].revision, json!("old"));
        assert_eq!(changes.nodes[3].reason, json!(NODE_DELETED));
        assert!(changes.rollouts.is_empty());
    }

    #[test]
    fn a_rollout_line_only_when_the_rollout_object_changes() {
        let nodes = json!([{"node": "a", "status": "Running", "reason": "r", "pod": "p"}]);
        let stalled = json!({"state": "Stalled", "blockers": [{"node": "a"}]});
        let a = why(nodes.clone(), Some(stalled.clone()));
        let b = why(nodes.clone(), Some(stalled.clone()));
        assert!(a.diff(&b).is_empty(), "same rollout: nothing to say");
        let c = why(
            nodes.clone(),
            Some(json!({"state": "Complete", "blockers": []})),
        );
        let changes = a.diff(&c);
        assert_eq!(changes.rollouts.len(), 1);
        assert_eq!(changes.rollouts[0].rollout["state"], "Complete");
        assert!(changes.nodes.is_empty());
        assert!(
            why(nodes.clone(), None).diff(&why(nodes, None)).is_empty(),
            "no rollout object (before the rollout diagnosis): nothing"
        );
    }

    #[test]
    fn a_rollout_change_is_one_table_line() {
        let change = RolloutChange {
            namespace: "monitoring".into(),
            daemon_set: "node-exporter".into(),
            rollout: json!({"state": "Stalled", "message": "maxUnavailable 1 is used up by w-2"}),
        };
        let mut out = Vec::new();
        rollout_line(&change, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "rollout monitoring/node-exporter: Stalled: maxUnavailable 1 is used up by w-2\n"
        );
    }

    #[test]
    fn coverage_nodes_not_listed_are_running() {
        let report = |nodes: Value, running: usize| -> CoverageReport {
            CoverageReport {
                node_names: vec!["a".into(), "b".into()],
                daemonsets: vec![crate::report::CoverageRow {
                    namespace: "ns".into(),
                    name: "ds".into(),
                    counts: crate::report::StatusCounts {
                        running,
                        ..Default::default()
                    },
                    coverage: 50.0,
                    top_reason: None,
                    notes: vec![],
                    rollout: None,
                    nodes: serde_json::from_value::<Vec<Value>>(nodes)
                        .unwrap()
                        .into_iter()
                        .map(|n| crate::report::CoverageNode {
                            node: text(&n, "node"),
                            status: crate::report::NodeStatus::Failing,
                            reason: text(&n, "reason"),
                            cause: String::new(),
                        })
                        .collect(),
                }],
                events_unavailable: None,
            }
        };
        let before = Verdicts::of_coverage(&report(
            json!([{"node": "b", "status": "Failing", "reason": "x"}]),
            1,
        ));
        let after = Verdicts::of_coverage(&report(json!([]), 2));
        let changes = before.diff(&after);
        assert_eq!(changed_nodes(&changes), [("b", json!("Running"))]);
        assert_eq!(changes.rows, [("ns".to_string(), "ds".to_string())]);
    }
}
