//! Machine formats: `-o json`, `-o yaml`, `-o name`. Serialises the report types as they are (the
//! contract lives in report.rs); adds no layout, no colour, and never condenses anything.

use std::io::{self, Write};

use serde::Serialize;

use crate::report::{CoverageReport, DaemonSetReport, Document, Kind};

pub(crate) fn json<T: Serialize + Kind>(report: &T, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Document::new(report))?;
    writeln!(out)
}

pub(crate) fn yaml<T: Serialize + Kind>(report: &T, out: &mut dyn Write) -> io::Result<()> {
    let text = serde_saphyr::to_string(&Document::new(report)).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(())
}

// `-o name`, one rule for both commands, after kubectl's name printer
// (k8s.io/cli-runtime/pkg/printers/name.go): one `<resource>[.<group>]/<name>` line per row the table
// would show (never grouped), naming the object the row is about, without the namespace even with -A.
// `why` rows are nodes (core group: `node/<name>`), `coverage` rows are DaemonSets
// (`daemonset.apps/<name>`); filters (--status, -l, -n) narrow both exactly as they narrow the table.

/// `node/<name>` for every node, in table order, so `xargs kubectl describe` works on the output.
pub(crate) fn why_names(report: &DaemonSetReport, out: &mut dyn Write) -> io::Result<()> {
    for node in &report.nodes {
        writeln!(out, "node/{}", node.node)?;
    }
    Ok(())
}

/// `daemonset.apps/<name>` for every DaemonSet, in table order (gaps first).
pub(crate) fn coverage_names(report: &CoverageReport, out: &mut dyn Write) -> io::Result<()> {
    for row in super::coverage::sorted_rows(report) {
        writeln!(out, "daemonset.apps/{}", row.name)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::coverage::tests::{cov_report, ds_row};
    use super::super::table::tests::{NodeBuild, ds_report, node};
    use super::*;
    use crate::report::NodeStatus;

    fn why_report() -> DaemonSetReport {
        ds_report(vec![
            node("w1", NodeStatus::Failing, "image pull failed").with_pod("ds-a"),
            node("w2", NodeStatus::Running, "pod is Ready").with_pod("ds-b"),
            node("cp", NodeStatus::Ineligible, "taint"),
        ])
    }

    #[test]
    fn json_round_trips_with_documented_keys() {
        let mut out = Vec::new();
        json(&why_report(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("}\n"), "ends with a newline");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let nodes = v["nodes"].as_array().unwrap();
        assert_eq!(nodes.len(), 3);
        let cases = [
            ("node", 0, "node", serde_json::json!("w1")),
            ("status", 0, "status", serde_json::json!("Failing")),
            (
                "reason",
                0,
                "reason",
                serde_json::json!("image pull failed"),
            ),
            ("pod", 0, "pod", serde_json::json!("ds-a")),
            ("pod null", 2, "pod", serde_json::Value::Null),
            ("ineligible", 2, "status", serde_json::json!("Ineligible")),
        ];
        for (name, i, key, want) in cases {
            assert_eq!(nodes[i][key], want, "{name}");
        }
        assert_eq!(v["name"], "ds", "top-level name");
        assert_eq!(v["counts"]["Failing"], 1, "counts keyed by status word");
    }

    #[test]
    fn yaml_has_the_same_keys() {
        let mut out = Vec::new();
        yaml(&why_report(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        for want in [
            "namespace: default",
            "- node: w1",
            "status: Failing",
            "reason: image pull failed",
            "pod: ds-a",
        ] {
            assert!(text.contains(want), "yaml lacks {want:?}:\n{text}");
        }
        assert!(text.ends_with('\n'));
    }

    #[test]
    fn names_are_nodes_in_order() {
        let mut out = Vec::new();
        why_names(&why_report(), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "node/w1\nnode/w2\nnode/cp\n"
        );
    }

    #[test]
    fn coverage_names_every_row_in_table_order() {
        let report = cov_report(
            &["n1", "n2"],
            vec![
                ds_row("kube-system", "ok", 2, &[]),
                ds_row("mon", "broken", 2, &[("n1", NodeStatus::Failing)]),
                ds_row("mon", "odd", 2, &[("n2", NodeStatus::Misscheduled)]),
            ],
        );
        let mut out = Vec::new();
        coverage_names(&report, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "daemonset.apps/broken\ndaemonset.apps/ok\ndaemonset.apps/odd\n"
        );
    }

    #[test]
    fn coverage_json_keeps_node_names() {
        let report = cov_report(
            &["n1", "n2"],
            vec![ds_row("mon", "broken", 2, &[("n1", NodeStatus::Failing)])],
        );
        let mut out = Vec::new();
        json(&report, &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["nodeNames"], serde_json::json!(["n1", "n2"]));
        assert_eq!(v["daemonSets"][0]["nodes"][0]["status"], "Failing");
        assert_eq!(v["daemonSets"][0]["counts"]["Running"], 1);
    }
}
