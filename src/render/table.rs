//! `kubectl ds why` as a kubectl-style table (`-o` default and `wide`): one row per node, summary below.
//! Keeps the engine's row order and never re-judges a node; on large clusters it condenses healthy and
//! ineligible nodes into one row per shared cause (exact counts), unless `--show-all`.

use std::collections::HashMap;
use std::io::{self, Write};

use crate::report::{
    DaemonSetReport, NodeReport, NodeStatus, PodSummary, RolloutReport, RolloutState, StatusCounts,
};

use super::explain::AdviceWriter;
use super::grid::compact_pattern;
use super::style::{self, status_paint};
use super::{Cell, Fit, Format, Overflow, RenderOptions, age, plural, write_columns_then};

/// Past this many nodes a full listing stops being readable in a terminal; problem rows are still all
/// shown, the rest is grouped.
pub(crate) const LARGE_CLUSTER: usize = 40;

/// Summary order: healthy first, then increasingly wrong, then not-expected.
const SUMMARY_ORDER: [NodeStatus; 7] = [
    NodeStatus::Running,
    NodeStatus::Starting,
    NodeStatus::Pending,
    NodeStatus::Failing,
    NodeStatus::Missing,
    NodeStatus::Misscheduled,
    NodeStatus::Ineligible,
];

pub(crate) fn render(
    report: &DaemonSetReport,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let wide = opts.format == Format::Wide;
    let mut rows = Vec::with_capacity(report.nodes.len() + 1);
    // The nodes each row stands for, for `--explain` advice under it (none for the header).
    let mut row_nodes: Vec<Vec<&NodeReport>> = Vec::with_capacity(report.nodes.len() + 1);
    if !opts.no_headers {
        rows.push(header(wide));
        row_nodes.push(Vec::new());
    }
    let mut collapsed = false;
    // --no-headers is for scripts: a `412 nodes` row would be read as a node name, so list every node.
    if report.nodes.len() > LARGE_CLUSTER && !opts.show_all && !opts.no_headers {
        let (shown, groups) = condense(&report.nodes);
        for n in shown {
            rows.push(node_row(n, wide, opts));
            row_nodes.push(vec![n]);
        }
        for g in groups {
            match g.nodes.as_slice() {
                [only] => rows.push(node_row(only, wide, opts)),
                _ => {
                    collapsed = true;
                    rows.push(group_row(&g, wide));
                }
            }
            row_nodes.push(g.nodes);
        }
    } else {
        rows.extend(report.nodes.iter().map(|n| node_row(n, wide, opts)));
        row_nodes.extend(report.nodes.iter().map(|n| vec![n]));
    }
    let mut advice = AdviceWriter::new(opts.color, opts.width);
    if !opts.no_headers
        && let Some(r) = report.rollout.as_ref()
        && r.state != RolloutState::Complete
    {
        for line in rollout_lines(r) {
            writeln!(out, "{}", super::explain::sanitize(&line))?;
        }
        advice.rollout(out, &r.advice)?;
        writeln!(out)?;
    }
    write_columns_then(
        out,
        &rows,
        opts.color,
        Fit {
            width: opts.width,
            header_row: !opts.no_headers,
            overflow: Overflow::Wrap,
        },
        &mut |r, out| match row_nodes.get(r).map(Vec::as_slice) {
            Some([one]) => advice.node(out, one),
            Some(many) => advice.group(out, many),
            None => Ok(()),
        },
    )?;

    // Like kubectl, --no-headers means rows only: nothing a script would have to skip.
    if opts.no_headers {
        return Ok(());
    }
    if !advice.ends_with_blank_line() {
        writeln!(out)?;
    }
    writeln!(out, "{}", summary(&report.nodes, opts.color))?;
    if collapsed {
        writeln!(out, "(use --show-all to list every node)")?;
    }
    for note in &report.notes {
        writeln!(out, "{note}")?;
    }
    if let Some(why) = &report.events_unavailable {
        writeln!(out, "note: events unavailable: {why}")?;
    }
    Ok(())
}

/// The rollout in one line (two with the first node holding it back), when it is not simply complete;
/// the controller's next step is in `--explain` and the JSON.
pub(crate) fn rollout_lines(r: &RolloutReport) -> Vec<String> {
    let budget = if r.strategy == "RollingUpdate" {
        format!(
            "maxUnavailable {}, maxSurge {}",
            r.max_unavailable, r.max_surge
        )
    } else {
        r.strategy.clone()
    };
    let mut lines = vec![format!(
        "Rollout {}: {} of {} updated, {} available ({budget}): {}",
        r.state, r.updated, r.desired, r.available, r.message
    )];
    if let Some(first) = r.blockers.first() {
        let more = match r.blockers.len() {
            1 => String::new(),
            n => format!(" (and {} more below)", n - 1),
        };
        lines.push(format!("Blocked by {}: {}{more}", first.node, first.reason));
    }
    lines
}

fn header(wide: bool) -> Vec<Cell> {
    // REASON stays last in wide too: it is the long free-text column, and only the last column can run
    // (or wrap) to the edge without pushing the short columns off-screen.
    let names: &[&str] = if wide {
        &[
            "NODE",
            "STATUS",
            "POD",
            "AGE",
            "RESTARTS",
            "REVISION",
            "NODE-INFO",
            "REASON",
        ]
    } else {
        &["NODE", "STATUS", "REASON"]
    };
    names.iter().map(|&h| Cell::plain(h)).collect()
}

fn node_row(node: &NodeReport, wide: bool, opts: &RenderOptions) -> Vec<Cell> {
    let mut row = vec![
        Cell::plain(node.node.as_str()),
        Cell::painted(node.status.as_str(), Some(status_paint(node.status))),
    ];
    if wide {
        let pod = verdict_pod(node);
        let pod_name = node
            .pod
            .as_deref()
            .or(pod.map(|p| p.name.as_str()))
            .unwrap_or("<none>");
        // During a surge rollout a node has two pods; say so rather than hide the second.
        let pod_cell = match node.pods.len() {
            0 | 1 => pod_name.to_string(),
            n => format!("{pod_name} (+{})", n - 1),
        };
        row.push(Cell::plain(pod_cell));
        match pod {
            Some(p) => {
                row.push(Cell::plain(age(p.created.as_deref(), opts.now)));
                row.push(Cell::plain(p.restarts.to_string()));
                row.push(Cell::plain(revision(p)));
            }
            None => {
                for _ in 0..3 {
                    row.push(Cell::plain("<none>"));
                }
            }
        }
        row.push(Cell::plain(node_info(node)));
    }
    row.push(Cell::plain(node.reason.as_str()));
    row
}

/// The pod the verdict is about, falling back to any pod on the node.
fn verdict_pod(node: &NodeReport) -> Option<&PodSummary> {
    node.pod
        .as_deref()
        .and_then(|name| node.pods.iter().find(|p| p.name == name))
        .or_else(|| node.pods.first())
}

fn revision(pod: &PodSummary) -> String {
    match (pod.up_to_date, pod.revision.as_deref()) {
        (Some(true), _) => "current".to_string(),
        (Some(false), Some(rev)) => format!("old ({rev})"),
        (Some(false), None) => "old".to_string(),
        (None, Some(rev)) => rev.to_string(),
        (None, None) => "<unknown>".to_string(),
    }
}

/// `Ready`, `NotReady,cordoned,2 taints`: in the style of kubectl's node STATUS (`Ready,SchedulingDisabled`).
fn node_info(node: &NodeReport) -> String {
    let facts = &node.node_facts;
    let mut parts = vec![match facts.ready.as_str() {
        "True" => "Ready".to_string(),
        "False" => "NotReady".to_string(),
        _ => "Unknown".to_string(),
    }];
    if facts.unschedulable {
        parts.push("cordoned".to_string());
    }
    if facts.deleting {
        parts.push("deleting".to_string());
    }
    if !facts.taints.is_empty() {
        parts.push(plural(facts.taints.len(), "taint", "taints"));
    }
    parts.join(",")
}

/// Nodes sharing a status and cause, shown as one row on large clusters.
pub(crate) struct Group<'a> {
    pub status: NodeStatus,
    pub cause: &'a str,
    pub nodes: Vec<&'a NodeReport>,
}

/// Splits rows into those always shown (anything not Running/Ineligible, in engine order) and groups of
/// Running/Ineligible nodes by (status, cause), in order of first appearance.
pub(crate) fn condense(nodes: &[NodeReport]) -> (Vec<&NodeReport>, Vec<Group<'_>>) {
    let mut shown = Vec::new();
    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut index: HashMap<(NodeStatus, &str), usize> = HashMap::new();
    for n in nodes {
        if !matches!(n.status, NodeStatus::Running | NodeStatus::Ineligible) {
            shown.push(n);
            continue;
        }
        let key = (n.status, n.cause.as_str());
        let i = *index.entry(key).or_insert_with(|| {
            groups.push(Group {
                status: n.status,
                cause: n.cause.as_str(),
                nodes: Vec::new(),
            });
            groups.len() - 1
        });
        groups[i].nodes.push(n);
    }
    (shown, groups)
}

fn group_row(group: &Group<'_>, wide: bool) -> Vec<Cell> {
    let names: Vec<&str> = group.nodes.iter().map(|n| n.node.as_str()).collect();
    let count = names.len();
    let label = match compact_pattern(&names) {
        Some(p) => format!("{p} ×{count}"),
        None => plural(count, "node", "nodes"),
    };
    let first = group.nodes.first().map(|n| n.reason.as_str()).unwrap_or("");
    let reason = if group.nodes.iter().all(|n| n.reason == first) {
        first
    } else if !group.cause.is_empty() {
        group.cause
    } else if group.status == NodeStatus::Running {
        "pod is running and Ready"
    } else {
        "not eligible"
    };
    let mut row = vec![
        Cell::plain(label),
        Cell::painted(group.status.as_str(), Some(status_paint(group.status))),
    ];
    if wide {
        // Per-pod facts differ within a group; leave them blank rather than pick one node's.
        row.extend((0..5).map(|_| Cell::plain("")));
    }
    row.push(Cell::plain(reason));
    row
}

/// `9 nodes: 4 running, 1 pending, 1 failing, 3 ineligible` (non-zero counts only), tallied from the
/// rows so it always agrees with the table.
pub(crate) fn summary(nodes: &[NodeReport], color: bool) -> String {
    let mut counts = StatusCounts::default();
    for n in nodes {
        counts.add(n.status);
    }
    let parts: Vec<String> = SUMMARY_ORDER
        .iter()
        .filter(|&&s| counts.get(s) > 0)
        .map(|&s| {
            let text = format!("{} {}", counts.get(s), s.as_str().to_lowercase());
            style::paint(&text, status_paint(s), color)
        })
        .collect();
    let total = plural(nodes.len(), "node", "nodes");
    if parts.is_empty() {
        total
    } else {
        format!("{total}: {}", parts.join(", "))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::report::{ApiStatus, NodeFacts};

    pub(crate) fn node(name: &str, status: NodeStatus, reason: &str) -> NodeReport {
        NodeReport {
            node: name.to_string(),
            status,
            reason: reason.to_string(),
            cause: String::new(),
            pod: None,
            revision: None,
            pods: Vec::new(),
            findings: Vec::new(),
            node_facts: NodeFacts {
                ready: "True".to_string(),
                ..NodeFacts::default()
            },
            advice: Vec::new(),
        }
    }

    pub(crate) trait NodeBuild {
        fn with_pod(self, pod: &str) -> Self;
        fn with_cause(self, cause: &str) -> Self;
    }

    impl NodeBuild for NodeReport {
        fn with_pod(mut self, pod: &str) -> Self {
            self.pod = Some(pod.to_string());
            self.pods.push(PodSummary {
                name: pod.to_string(),
                phase: "Running".to_string(),
                ready: true,
                bound: true,
                restarts: 0,
                created: Some("2025-01-10T11:00:00Z".to_string()),
                revision: Some("abc123".to_string()),
                up_to_date: Some(true),
                terminating: false,
            });
            self
        }
        fn with_cause(mut self, cause: &str) -> Self {
            self.cause = cause.to_string();
            self
        }
    }

    pub(crate) fn ds_report(nodes: Vec<NodeReport>) -> DaemonSetReport {
        let mut counts = StatusCounts::default();
        for n in &nodes {
            counts.add(n.status);
        }
        DaemonSetReport {
            namespace: "default".to_string(),
            name: "ds".to_string(),
            uid: None,
            current_revision: Some("abc123".to_string()),
            update_strategy: "RollingUpdate".to_string(),
            rollout: None,
            status: ApiStatus::default(),
            counts,
            notes: Vec::new(),
            events_unavailable: None,
            nodes,
        }
    }

    pub(crate) fn opts() -> RenderOptions {
        RenderOptions {
            now: "2025-01-10T12:00:00Z".parse().unwrap(),
            ..RenderOptions::default()
        }
    }

    fn render_str(report: &DaemonSetReport, opts: &RenderOptions) -> String {
        let mut out = Vec::new();
        super::super::why(report, opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn small() -> DaemonSetReport {
        ds_report(vec![
            node(
                "kind-worker2",
                NodeStatus::Failing,
                "ImagePullBackOff: image \"nginx:nope\" not found",
            )
            .with_pod("ds-x1"),
            node("kind-worker", NodeStatus::Running, "pod ds-x2 is Ready").with_pod("ds-x2"),
            node(
                "kind-control-plane",
                NodeStatus::Ineligible,
                "taint node-role.kubernetes.io/control-plane:NoSchedule not tolerated",
            ),
        ])
    }

    #[test]
    fn small_table_exact() {
        struct Case {
            name: &'static str,
            opts: RenderOptions,
            want: &'static str,
        }
        let cases = [
            Case {
                name: "table",
                opts: opts(),
                want: "\
NODE                 STATUS       REASON
kind-worker2         Failing      ImagePullBackOff: image \"nginx:nope\" not found
kind-worker          Running      pod ds-x2 is Ready
kind-control-plane   Ineligible   taint node-role.kubernetes.io/control-plane:NoSchedule not tolerated

3 nodes: 1 running, 1 failing, 1 ineligible
",
            },
            Case {
                name: "no headers drops header and summary",
                opts: RenderOptions {
                    no_headers: true,
                    ..opts()
                },
                want: "\
kind-worker2         Failing      ImagePullBackOff: image \"nginx:nope\" not found
kind-worker          Running      pod ds-x2 is Ready
kind-control-plane   Ineligible   taint node-role.kubernetes.io/control-plane:NoSchedule not tolerated
",
            },
            Case {
                name: "wide",
                opts: RenderOptions {
                    format: Format::Wide,
                    ..opts()
                },
                want: "\
NODE                 STATUS       POD      AGE      RESTARTS   REVISION   NODE-INFO   REASON
kind-worker2         Failing      ds-x1    60m      0          current    Ready       ImagePullBackOff: image \"nginx:nope\" not found
kind-worker          Running      ds-x2    60m      0          current    Ready       pod ds-x2 is Ready
kind-control-plane   Ineligible   <none>   <none>   <none>     <none>     Ready       taint node-role.kubernetes.io/control-plane:NoSchedule not tolerated

3 nodes: 1 running, 1 failing, 1 ineligible
",
            },
            Case {
                name: "narrow terminal wraps the reason inside its column",
                opts: RenderOptions {
                    width: Some(60),
                    ..opts()
                },
                want: "\
NODE                 STATUS       REASON
kind-worker2         Failing      ImagePullBackOff: image
                                  \"nginx:nope\" not found
kind-worker          Running      pod ds-x2 is Ready
kind-control-plane   Ineligible   taint node-role.kubernetes
                                  .io/control-plane:NoSchedu
                                  le not tolerated

3 nodes: 1 running, 1 failing, 1 ineligible
",
            },
        ];
        for c in cases {
            assert_eq!(render_str(&small(), &c.opts), c.want, "{}", c.name);
        }
    }

    /// The rows above the summary are what `kubectl get` would print for the same cells.
    #[test]
    fn table_and_wide_are_laid_out_as_kubectl_get() {
        for format in [Format::Table, Format::Wide] {
            let o = RenderOptions { format, ..opts() };
            let wide = format == Format::Wide;
            let report = small();
            let cells: Vec<Vec<String>> = std::iter::once(header(wide))
                .chain(report.nodes.iter().map(|n| node_row(n, wide, &o)))
                .map(|row| row.into_iter().map(|c| c.text).collect())
                .collect();
            let got = render_str(&report, &o);
            let (table, _summary) = got.split_once("\n\n").unwrap();
            assert_eq!(
                format!("{table}\n"),
                crate::render::columns::tests::kubectl_tabwriter(&cells),
                "{format:?}"
            );
        }
    }

    #[test]
    fn notes_and_events_unavailable_follow_the_summary() {
        let mut r = small();
        r.notes = vec!["rollout in progress: 1 of 2 nodes updated".to_string()];
        r.events_unavailable = Some("forbidden".to_string());
        let got = render_str(&r, &opts());
        assert!(
            got.ends_with(
                "3 nodes: 1 running, 1 failing, 1 ineligible\n\
                 rollout in progress: 1 of 2 nodes updated\n\
                 note: events unavailable: forbidden\n"
            ),
            "{got}"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let plain = render_str(&small(), &opts());
        assert!(!plain.contains('\x1b'), "no escapes without color");
        let coloured = render_str(
            &small(),
            &RenderOptions {
                color: true,
                ..opts()
            },
        );
        for (name, want) in [
            // Table cells are coloured by comfy-table (crossterm's codes for ANSI colours 1-7).
            ("failing red", "\x1b[38;5;1mFailing\x1b[39m"),
            ("running green", "\x1b[38;5;2mRunning\x1b[39m"),
            ("ineligible dim", "\x1b[2mIneligible\x1b[0m"),
            ("summary coloured", "\x1b[32m1 running\x1b[39m"),
        ] {
            assert!(coloured.contains(want), "{name}: {coloured}");
        }
        // Alignment is computed on the plain text: stripping escapes gives the plain table back.
        let stripped = coloured
            .replace("\x1b[38;5;1m", "")
            .replace("\x1b[38;5;2m", "")
            .replace("\x1b[31m", "")
            .replace("\x1b[32m", "")
            .replace("\x1b[39m", "")
            .replace("\x1b[2m", "")
            .replace("\x1b[0m", "");
        assert_eq!(stripped, plain);
    }

    fn big() -> DaemonSetReport {
        let mut nodes = vec![
            node("pool-a-017", NodeStatus::Failing, "CrashLoopBackOff").with_pod("p17"),
            node("pool-a-123", NodeStatus::Pending, "Insufficient cpu").with_pod("p123"),
        ];
        for i in 1..=450 {
            if i == 17 || i == 123 {
                continue;
            }
            nodes.push(
                node(
                    &format!("pool-a-{i:03}"),
                    NodeStatus::Running,
                    &format!("pod p{i} is Ready"),
                )
                .with_pod(&format!("p{i}")),
            );
        }
        for i in 1..=40 {
            nodes.push(
                node(
                    &format!("gpu-{i:02}"),
                    NodeStatus::Ineligible,
                    "taint nvidia.com/gpu=true:NoSchedule not tolerated",
                )
                .with_cause("taint nvidia.com/gpu=true:NoSchedule"),
            );
        }
        for name in ["ip-10-0-1-5.ec2.internal", "ip-10-0-7-9.ec2.internal"] {
            nodes.push(
                node(
                    name,
                    NodeStatus::Ineligible,
                    &format!("{name} lacks label disk=ssd"),
                )
                .with_cause("nodeSelector disk=ssd"),
            );
        }
        ds_report(nodes)
    }

    #[test]
    fn large_cluster_condenses_with_exact_counts() {
        let got = render_str(&big(), &opts());
        let want = "\
NODE                                    STATUS       REASON
pool-a-017                              Failing      CrashLoopBackOff
pool-a-123                              Pending      Insufficient cpu
pool-a-[001-016,018-122,124-450] ×448   Running      pod is running and Ready
gpu-[01-40] ×40                         Ineligible   taint nvidia.com/gpu=true:NoSchedule not tolerated
2 nodes                                 Ineligible   nodeSelector disk=ssd

492 nodes: 448 running, 1 pending, 1 failing, 42 ineligible
(use --show-all to list every node)
";
        assert_eq!(got, want);
    }

    #[test]
    fn show_all_lists_every_node() {
        let got = render_str(
            &big(),
            &RenderOptions {
                show_all: true,
                ..opts()
            },
        );
        // header + 492 rows + blank + summary, no hint
        assert_eq!(got.lines().count(), 1 + 492 + 2);
        assert!(!got.contains("--show-all"));
    }

    #[test]
    fn no_headers_never_condenses() {
        let got = render_str(
            &big(),
            &RenderOptions {
                no_headers: true,
                ..opts()
            },
        );
        assert_eq!(got.lines().count(), 492);
        assert!(
            got.lines()
                .all(|l| !l.contains(" nodes ") && !l.contains('×'))
        );
    }

    #[test]
    fn condense_keeps_every_node_once() {
        let r = big();
        let (shown, groups) = condense(&r.nodes);
        let total: usize = shown.len() + groups.iter().map(|g| g.nodes.len()).sum::<usize>();
        assert_eq!(total, r.nodes.len());
        assert_eq!(shown.len(), 2);
        let sizes: Vec<usize> = groups.iter().map(|g| g.nodes.len()).collect();
        assert_eq!(sizes, vec![448, 40, 2]);
    }

    #[test]
    fn at_threshold_nothing_condenses() {
        let nodes: Vec<NodeReport> = (0..LARGE_CLUSTER)
            .map(|i| node(&format!("n{i}"), NodeStatus::Running, "ok"))
            .collect();
        let got = render_str(&ds_report(nodes), &opts());
        assert_eq!(got.lines().count(), 1 + LARGE_CLUSTER + 2);
    }

    #[test]
    fn node_info_and_revision_words() {
        let mut n = node("n", NodeStatus::Running, "r").with_pod("p");
        n.node_facts = NodeFacts {
            ready: "False".to_string(),
            unschedulable: true,
            deleting: false,
            taints: vec!["a=b:NoSchedule".to_string(), "c:NoExecute".to_string()],
        };
        assert_eq!(node_info(&n), "NotReady,cordoned,2 taints");
        n.node_facts.ready = String::new();
        n.node_facts.taints.truncate(1);
        n.node_facts.unschedulable = false;
        assert_eq!(node_info(&n), "Unknown,1 taint");

        let mut p = n.pods[0].clone();
        let cases = [
            ("current", Some(true), Some("abc"), "current"),
            ("old with hash", Some(false), Some("abc"), "old (abc)"),
            ("old without hash", Some(false), None, "old"),
            ("unknown currency", None, Some("abc"), "abc"),
            ("nothing known", None, None, "<unknown>"),
        ];
        for (name, up, rev, want) in cases {
            p.up_to_date = up;
            p.revision = rev.map(str::to_string);
            assert_eq!(revision(&p), want, "{name}");
        }
    }

    #[test]
    fn summary_order_and_plural() {
        let cases = [
            ("empty", vec![], "0 nodes"),
            (
                "one",
                vec![node("a", NodeStatus::Missing, "")],
                "1 node: 1 missing",
            ),
            (
                "order",
                vec![
                    node("a", NodeStatus::Ineligible, ""),
                    node("b", NodeStatus::Misscheduled, ""),
                    node("c", NodeStatus::Starting, ""),
                    node("d", NodeStatus::Running, ""),
                ],
                "4 nodes: 1 running, 1 starting, 1 misscheduled, 1 ineligible",
            ),
        ];
        for (name, nodes, want) in cases {
            assert_eq!(summary(&nodes, false), want, "{name}");
        }
    }
}
