//! `kubectl ds coverage` as a kubectl-style table: one row per DaemonSet with per-status counts.
//! Orders rows (gaps first) and words the summary; never re-judges nodes (the counts come from the engine).

use std::cmp::Ordering;
use std::collections::HashSet;
use std::io::{self, Write};

use crate::report::{CoverageReport, CoverageRow};

use super::style::{self, Paint, coverage_paint};
use super::{
    Cell, Fit, Format, Overflow, RenderOptions, last_column_offset, plural, write_columns,
};

/// Room TOP-REASON should keep before we start hiding columns (`12x ImagePullBackOff` fits).
const MIN_TOP_REASON: usize = 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Namespace,
    Name,
    Eligible,
    Running,
    Starting,
    Pending,
    Failing,
    Missing,
    Ineligible,
    Misscheduled,
    Coverage,
    Rollout,
    TopReason,
}

impl Col {
    fn header(self) -> &'static str {
        match self {
            Col::Namespace => "NAMESPACE",
            Col::Name => "NAME",
            Col::Eligible => "ELIGIBLE",
            Col::Running => "RUNNING",
            Col::Starting => "STARTING",
            Col::Pending => "PENDING",
            Col::Failing => "FAILING",
            Col::Missing => "MISSING",
            Col::Ineligible => "INELIGIBLE",
            Col::Misscheduled => "MISSCHEDULED",
            Col::Coverage => "COVERAGE",
            Col::Rollout => "ROLLOUT",
            Col::TopReason => "TOP-REASON",
        }
    }

    fn cell(self, ds: &CoverageRow, wide: bool) -> Cell {
        let c = &ds.counts;
        let n = |v: usize| Cell::plain(v.to_string());
        match self {
            Col::Namespace => Cell::plain(ds.namespace.as_str()),
            Col::Name => Cell::plain(ds.name.as_str()),
            Col::Eligible => n(c.eligible()),
            Col::Running => n(c.running),
            Col::Starting => n(c.starting),
            Col::Pending => n(c.pending),
            Col::Failing => n(c.failing),
            Col::Missing => n(c.missing),
            Col::Ineligible => n(c.ineligible),
            Col::Misscheduled => n(c.misscheduled),
            Col::Coverage => {
                Cell::painted(coverage_text(ds), coverage_paint(c.running, c.eligible()))
            }
            Col::Rollout => Cell::plain(
                ds.rollout
                    .as_ref()
                    .map_or("<unknown>", |r| r.state.as_str()),
            ),
            Col::TopReason => Cell::plain(top_reason(ds, wide)),
        }
    }
}

/// The columns hidden, in this order, when the table does not fit the terminal: the two counts that
/// never call for action (a starting pod resolves itself; an ineligible node is by design).
const HIDE_TO_FIT: [Col; 2] = [Col::Starting, Col::Ineligible];

pub(crate) fn render(
    report: &CoverageReport,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let wide = opts.format == Format::Wide;
    let mut cols = Vec::new();
    if opts.all_namespaces {
        cols.push(Col::Namespace);
    }
    cols.extend([
        Col::Name,
        Col::Eligible,
        Col::Running,
        Col::Starting,
        Col::Pending,
        Col::Failing,
        Col::Missing,
        Col::Ineligible,
    ]);
    if wide {
        cols.push(Col::Misscheduled);
    }
    cols.extend([Col::Coverage, Col::Rollout, Col::TopReason]);

    let daemonsets = sorted_rows(report);
    let build = |cols: &[Col]| -> Vec<Vec<Cell>> {
        let header =
            (!opts.no_headers).then(|| cols.iter().map(|c| Cell::plain(c.header())).collect());
        header
            .into_iter()
            .chain(
                daemonsets
                    .iter()
                    .map(|ds| cols.iter().map(|c| c.cell(ds, wide)).collect()),
            )
            .collect()
    };
    let mut rows = build(&cols);
    // Every column at once is ~110 characters before TOP-REASON; in a narrower terminal (and never in
    // wide, which asked for everything) give the room to the reason instead of the idle counts.
    let mut hidden = false;
    if let Some(w) = opts.width
        && !wide
        && last_column_offset(&rows) + MIN_TOP_REASON > w
    {
        cols.retain(|c| !HIDE_TO_FIT.contains(c));
        rows = build(&cols);
        hidden = true;
    }
    write_columns(
        out,
        &rows,
        opts.color,
        Fit {
            width: opts.width,
            header_row: !opts.no_headers,
            overflow: Overflow::Truncate,
        },
    )?;
    if opts.no_headers {
        return Ok(());
    }
    writeln!(out)?;
    write_footer(report, opts.color, out)?;
    if hidden {
        writeln!(
            out,
            "(STARTING and INELIGIBLE hidden to fit the terminal; -o wide shows every column)"
        )?;
    }
    Ok(())
}

/// Summary line, per-DaemonSet notes and the events note; shared with the grid.
pub(crate) fn write_footer(
    report: &CoverageReport,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "{}", summary(report, color))?;
    for ds in sorted_rows(report) {
        for note in &ds.notes {
            writeln!(out, "{}/{}: {note}", ds.namespace, ds.name)?;
        }
    }
    if let Some(why) = &report.events_unavailable {
        writeln!(out, "note: events unavailable: {why}")?;
    }
    Ok(())
}

/// An eligible node without a Ready pod. Misscheduled pods alone are not a gap (the controller will
/// delete them; every node that should run the pod does).
pub(crate) fn has_gaps(ds: &CoverageRow) -> bool {
    ds.counts.eligible() > ds.counts.running
}

/// Gaps first, worst coverage first, then namespace/name, so the rows to act on are on top.
pub(crate) fn sorted_rows(report: &CoverageReport) -> Vec<&CoverageRow> {
    let mut rows: Vec<&CoverageRow> = report.daemonsets.iter().collect();
    rows.sort_by(|a, b| {
        has_gaps(b)
            .cmp(&has_gaps(a))
            .then_with(|| {
                if has_gaps(a) {
                    ratio_cmp(a, b)
                } else {
                    Ordering::Equal
                }
            })
            .then_with(|| a.namespace.cmp(&b.namespace))
            .then_with(|| a.name.cmp(&b.name))
    });
    rows
}

/// Compares running/eligible exactly (cross-multiplied), not through floats.
fn ratio_cmp(a: &CoverageRow, b: &CoverageRow) -> Ordering {
    let (ra, ea) = (a.counts.running as u128, a.counts.eligible() as u128);
    let (rb, eb) = (b.counts.running as u128, b.counts.eligible() as u128);
    (ra * eb).cmp(&(rb * ea))
}

/// `80%`, floored so that `100%` only ever means complete; `-` when no node is eligible (nothing to
/// cover, and `100%` there would hide a selector that matches nothing).
fn coverage_text(ds: &CoverageRow) -> String {
    let (running, eligible) = (ds.counts.running, ds.counts.eligible());
    if eligible == 0 {
        return "-".to_string();
    }
    format!("{}%", running.min(eligible) * 100 / eligible)
}

fn top_reason(ds: &CoverageRow, wide: bool) -> String {
    let mut text = ds.top_reason.clone().unwrap_or_default();
    let mis = ds.counts.misscheduled;
    // Wide has its own MISSCHEDULED column.
    if mis > 0 && !wide {
        if text.is_empty() {
            text = format!("{mis} misscheduled");
        } else {
            text = format!("{text} (+{mis} misscheduled)");
        }
    }
    if text.is_empty() {
        "<none>".to_string()
    } else {
        text
    }
}

/// `16 DaemonSets: 5 fully covered, 11 with gaps; 8 of 10 nodes affected`.
pub(crate) fn summary(report: &CoverageReport, color: bool) -> String {
    let total = report.daemonsets.len();
    let gaps = report.daemonsets.iter().filter(|d| has_gaps(d)).count();
    let affected: HashSet<&str> = report
        .daemonsets
        .iter()
        .flat_map(|d| d.nodes.iter())
        .filter(|n| n.status.is_gap())
        .map(|n| n.node.as_str())
        .collect();
    let covered = style::paint(
        &format!("{} fully covered", total - gaps),
        Paint::Green,
        color && total > gaps,
    );
    let with_gaps = style::paint(
        &format!("{gaps} with gaps"),
        Paint::Yellow,
        color && gaps > 0,
    );
    format!(
        "{}: {covered}, {with_gaps}; {} of {} affected",
        plural(total, "DaemonSet", "DaemonSets"),
        affected.len(),
        plural(report.node_names.len(), "node", "nodes"),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::report::{CoverageNode, NodeStatus, RolloutReport, RolloutState, StatusCounts};

    /// A DaemonSet eligible on `eligible` nodes of which `problems` are not Running (the rest are).
    pub(crate) fn ds_row(
        ns: &str,
        name: &str,
        eligible: usize,
        problems: &[(&str, NodeStatus)],
    ) -> CoverageRow {
        let mut counts = StatusCounts::default();
        let mut gaps = 0;
        for (_, s) in problems {
            counts.add(*s);
            if s.is_eligible() {
                gaps += 1;
            }
        }
        counts.running = eligible.saturating_sub(gaps);
        let coverage = if eligible == 0 {
            100.0
        } else {
            counts.running as f64 * 100.0 / eligible as f64
        };
        CoverageRow {
            namespace: ns.to_string(),
            name: name.to_string(),
            counts,
            coverage,
            top_reason: problems
                .iter()
                .find(|(_, s)| s.is_gap())
                .map(|_| format!("{gaps}x ImagePullBackOff")),
            rollout: Some(RolloutReport {
                strategy: "RollingUpdate".into(),
                max_unavailable: 1,
                max_surge: 0,
                desired: eligible as i32,
                updated: eligible as i32,
                available: (eligible - gaps) as i32,
                unavailable: gaps as i32,
                state: if gaps == 0 {
                    RolloutState::Complete
                } else {
                    RolloutState::Stalled
                },
                message: String::new(),
                next_step: None,
                blockers: Vec::new(),
                advice: Vec::new(),
            }),
            notes: Vec::new(),
            nodes: problems
                .iter()
                .map(|(n, s)| CoverageNode {
                    node: n.to_string(),
                    status: *s,
                    reason: format!("{s} on {n}"),
                    cause: String::new(),
                })
                .collect(),
        }
    }

    pub(crate) fn cov_report(nodes: &[&str], daemonsets: Vec<CoverageRow>) -> CoverageReport {
        CoverageReport {
            node_names: nodes.iter().map(|n| n.to_string()).collect(),
            daemonsets,
            events_unavailable: None,
        }
    }

    fn sample() -> CoverageReport {
        use NodeStatus::*;
        cov_report(
            &["n1", "n2", "n3", "n4", "n5"],
            vec![
                ds_row("kube-system", "kube-proxy", 5, &[]),
                ds_row(
                    "monitoring",
                    "node-exporter",
                    5,
                    &[("n2", Failing), ("n4", Pending)],
                ),
                ds_row(
                    "logging",
                    "fluent-bit",
                    3,
                    &[
                        ("n1", Missing),
                        ("n2", Missing),
                        ("n3", Missing),
                        ("n4", Ineligible),
                        ("n5", Ineligible),
                    ],
                ),
                ds_row(
                    "gpu",
                    "nvidia",
                    0,
                    &[("n1", Ineligible), ("n2", Misscheduled)],
                ),
            ],
        )
    }

    fn render_str(report: &CoverageReport, opts: &RenderOptions) -> String {
        let mut out = Vec::new();
        super::super::coverage(report, opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn table_exact() {
        let base = super::super::table::tests::opts();
        struct Case {
            name: &'static str,
            opts: RenderOptions,
            want: &'static str,
        }
        let cases = [
            Case {
                name: "table",
                opts: base.clone(),
                want: "\
NAME            ELIGIBLE   RUNNING   STARTING   PENDING   FAILING   MISSING   INELIGIBLE   COVERAGE   ROLLOUT    TOP-REASON
fluent-bit      3          0         0          0         0         3         2            0%         Stalled    3x ImagePullBackOff
node-exporter   5          3         0          1         1         0         0            60%        Stalled    2x ImagePullBackOff
nvidia          0          0         0          0         0         0         1            -          Complete   1 misscheduled
kube-proxy      5          5         0          0         0         0         0            100%       Complete   <none>

4 DaemonSets: 2 fully covered, 2 with gaps; 4 of 5 nodes affected
",
            },
            Case {
                name: "all namespaces, wide",
                opts: RenderOptions {
                    all_namespaces: true,
                    format: Format::Wide,
                    ..base.clone()
                },
                want: "\
NAMESPACE     NAME            ELIGIBLE   RUNNING   STARTING   PENDING   FAILING   MISSING   INELIGIBLE   MISSCHEDULED   COVERAGE   ROLLOUT    TOP-REASON
logging       fluent-bit      3          0         0          0         0         3         2            0              0%         Stalled    3x ImagePullBackOff
monitoring    node-exporter   5          3         0          1         1         0         0            0              60%        Stalled    2x ImagePullBackOff
gpu           nvidia          0          0         0          0         0         0         1            1              -          Complete   <none>
kube-system   kube-proxy      5          5         0          0         0         0         0            0              100%       Complete   <none>

4 DaemonSets: 2 fully covered, 2 with gaps; 4 of 5 nodes affected
",
            },
            Case {
                name: "no headers",
                opts: RenderOptions {
                    no_headers: true,
                    ..base.clone()
                },
                want: "\
fluent-bit      3     0     0     0     0     3     2     0%     Stalled    3x ImagePullBackOff
node-exporter   5     3     0     1     1     0     0     60%    Stalled    2x ImagePullBackOff
nvidia          0     0     0     0     0     0     1     -      Complete   1 misscheduled
kube-proxy      5     5     0     0     0     0     0     100%   Complete   <none>
",
            },
        ];
        for c in cases {
            assert_eq!(render_str(&sample(), &c.opts), c.want, "{}", c.name);
        }
    }

    #[test]
    fn coverage_percent_and_colour() {
        let base = super::super::table::tests::opts();
        let got = render_str(
            &sample(),
            &RenderOptions {
                color: true,
                ..base.clone()
            },
        );
        for (name, want) in [
            ("zero is red", "\x1b[38;5;1m0%\x1b[39m"),
            ("partial is yellow", "\x1b[38;5;3m60%\x1b[39m"),
            ("complete is green", "\x1b[38;5;2m100%\x1b[39m"),
        ] {
            assert!(got.contains(want), "{name}: {got}");
        }
        assert!(!render_str(&sample(), &base).contains('\x1b'));

        // 199/200 floors to 99%, never rounds up to 100%.
        let mut ds = ds_row("a", "b", 200, &[("x", NodeStatus::Failing)]);
        assert_eq!(coverage_text(&ds), "99%");
        ds.counts.running = 200;
        ds.counts.failing = 0;
        assert_eq!(coverage_text(&ds), "100%");
    }

    #[test]
    fn sort_gaps_first_by_coverage_then_name() {
        use NodeStatus::*;
        let r = cov_report(
            &["a", "b", "c", "d"],
            vec![
                ds_row("z", "healthy", 4, &[]),
                ds_row("b", "half", 4, &[("a", Failing), ("b", Failing)]),
                ds_row("a", "half", 2, &[("a", Failing)]),
                ds_row("a", "healthy", 4, &[]),
                ds_row(
                    "c",
                    "quarter",
                    4,
                    &[("a", Missing), ("b", Missing), ("c", Missing)],
                ),
            ],
        );
        let got: Vec<String> = sorted_rows(&r)
            .iter()
            .map(|d| format!("{}/{}", d.namespace, d.name))
            .collect();
        assert_eq!(
            got,
            vec!["c/quarter", "a/half", "b/half", "a/healthy", "z/healthy"]
        );
    }

    #[test]
    fn notes_are_prefixed_with_the_daemonset() {
        let mut r = sample();
        r.daemonsets[1].notes = vec!["status lags: observedGeneration 3 < generation 4".into()];
        r.events_unavailable = Some("forbidden".into());
        let got = render_str(&r, &super::super::table::tests::opts());
        assert!(
            got.ends_with(
                "nodes affected\n\
                 monitoring/node-exporter: status lags: observedGeneration 3 < generation 4\n\
                 note: events unavailable: forbidden\n"
            ),
            "{got}"
        );
    }

    #[test]
    fn summary_words() {
        let cases = [
            (
                "one of each",
                cov_report(&["n1"], vec![ds_row("a", "b", 1, &[])]),
                "1 DaemonSet: 1 fully covered, 0 with gaps; 0 of 1 node affected",
            ),
            (
                "empty",
                cov_report(&[], vec![]),
                "0 DaemonSets: 0 fully covered, 0 with gaps; 0 of 0 nodes affected",
            ),
            (
                "node counted once across daemonsets",
                cov_report(
                    &["n1", "n2"],
                    vec![
                        ds_row("a", "x", 2, &[("n1", NodeStatus::Failing)]),
                        ds_row("a", "y", 2, &[("n1", NodeStatus::Missing)]),
                    ],
                ),
                "2 DaemonSets: 0 fully covered, 2 with gaps; 1 of 2 nodes affected",
            ),
        ];
        for (name, r, want) in cases {
            assert_eq!(summary(&r, false), want, "{name}");
        }
    }
}
