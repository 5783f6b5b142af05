//! `kubectl ds coverage --nodes`: a nodes x DaemonSets grid of status glyphs, identical rows collapsed
//! into compact name ranges, split into blocks of columns to fit the terminal. Also owns
//! `compact_range`, the node-name compressor the `why` table reuses. Never judges a node.

use std::collections::HashMap;
use std::io::{self, Write};

use crate::report::{CoverageReport, NodeStatus};

use super::coverage::{sorted_rows, write_footer};
use super::style::{self, status_paint, symbol};
use comfy_table::{Cell as TableCell, CellAlignment, ColumnConstraint, Table, Width, presets};

use super::{
    COLUMN_PADDING, Cell, Fit, MIN_COLUMN_WIDTH, Overflow, RenderOptions, clamp_u16, text_width,
    write_columns,
};

/// The flag that turns collapsing off, named in the hint line.
const EXPAND_FLAG: &str = "--expand";
/// More range segments than this and the label stops being a name you can read; the count stays exact.
const MAX_SEGMENTS: usize = 4;

pub(crate) fn render(
    report: &CoverageReport,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    // Same column order as the coverage table: DaemonSets with gaps come first, so the first block of a
    // split grid is the one that matters.
    let daemonsets = sorted_rows(report);
    if daemonsets.is_empty() || report.node_names.is_empty() {
        if !opts.no_headers {
            write_footer(report, opts.color, out)?;
        }
        return Ok(());
    }
    let lookups: Vec<HashMap<&str, NodeStatus>> = daemonsets
        .iter()
        .map(|ds| {
            ds.nodes
                .iter()
                .map(|n| (n.node.as_str(), n.status))
                .collect()
        })
        .collect();

    // Group nodes by their whole row, in order of first appearance.
    let mut groups: Vec<(Vec<&str>, Vec<NodeStatus>)> = Vec::new();
    let mut index: HashMap<Vec<NodeStatus>, usize> = HashMap::new();
    for name in &report.node_names {
        let cells: Vec<NodeStatus> = lookups
            .iter()
            .map(|l| l.get(name.as_str()).copied().unwrap_or(NodeStatus::Running))
            .collect();
        if opts.expand {
            groups.push((vec![name.as_str()], cells));
            continue;
        }
        match index.get(&cells) {
            Some(&i) => groups[i].0.push(name.as_str()),
            None => {
                index.insert(cells.clone(), groups.len());
                groups.push((vec![name.as_str()], cells));
            }
        }
    }
    let labels: Vec<String> = groups.iter().map(|(n, _)| compact_range(n)).collect();

    let ncols = daemonsets.len();
    // Numbered headers keep every column one glyph wide whatever the DaemonSet names; the key below
    // maps numbers to names. Columns are right-aligned under their number, 3 characters apart.
    let cell_w = ncols.to_string().len();
    let gap = if cell_w == 1 { 2 } else { 1 };
    let node_w = labels
        .iter()
        .map(|l| text_width(l))
        .chain([text_width("NODE")])
        .max()
        .unwrap_or(0)
        .saturating_add(COLUMN_PADDING)
        .max(MIN_COLUMN_WIDTH);
    let per_block = match opts.width {
        Some(w) => (w.saturating_sub(node_w) + gap) / (cell_w + gap),
        None => ncols,
    }
    .clamp(1, ncols);

    let starts: Vec<usize> = (0..ncols).step_by(per_block).collect();
    for (b, &start) in starts.iter().enumerate() {
        let cols = start..(start + per_block).min(ncols);
        if b > 0 {
            writeln!(out)?;
        }
        let mut table = Table::new();
        table.load_style(presets::NOTHING).force_no_tty();
        if opts.color {
            table.enforce_styling().style_text_only();
        }
        if !opts.no_headers {
            let nums = cols.clone().map(|i| TableCell::new(i + 1));
            table.add_row(
                std::iter::once(TableCell::new("NODE"))
                    .chain(nums)
                    .collect::<Vec<_>>(),
            );
        }
        for (label, (_, cells)) in labels.iter().zip(&groups) {
            let glyphs = cells[cols.clone()].iter().map(|&s| {
                let glyph = TableCell::new(symbol(s, opts.ascii));
                if opts.color {
                    style::table_style(glyph, status_paint(s))
                } else {
                    glyph
                }
            });
            table.add_row(
                std::iter::once(TableCell::new(label))
                    .chain(glyphs)
                    .collect::<Vec<_>>(),
            );
        }
        let last = cols.len();
        for (i, column) in table.column_iter_mut().enumerate() {
            if i == 0 {
                column.set_padding((0, 0));
                column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(clamp_u16(node_w))));
            } else {
                // Every block's columns as wide as the widest number, so blocks line up.
                let pad = if i == last { 0 } else { gap };
                column.set_cell_alignment(CellAlignment::Right);
                column.set_padding((0, clamp_u16(pad)));
                column.set_constraint(ColumnConstraint::Absolute(Width::Fixed(clamp_u16(
                    cell_w + pad,
                ))));
            }
        }
        for line in table.lines() {
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    if opts.no_headers {
        return Ok(());
    }

    writeln!(out)?;
    write_legend(opts, out)?;
    writeln!(out)?;
    let keys: Vec<String> = daemonsets
        .iter()
        .enumerate()
        .map(|(i, ds)| format!("{:>cell_w$}  {}/{}", i + 1, ds.namespace, ds.name))
        .collect();
    write_key(&keys, opts.width, out)?;
    writeln!(out)?;
    write_footer(report, opts.color, out)?;
    if groups.len() < report.node_names.len() {
        writeln!(
            out,
            "({} shown as {}; use {EXPAND_FLAG} to list every node)",
            super::plural(report.node_names.len(), "node", "nodes"),
            super::plural(groups.len(), "row", "rows"),
        )?;
    }
    Ok(())
}

/// The legend on one line, or on several when the terminal is narrower than it.
fn write_legend(opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let limit = opts.width.unwrap_or(usize::MAX);
    let mut line = String::new();
    let mut line_w = 0;
    for (text, w) in style::legend_entries(opts.ascii, opts.color) {
        if line_w > 0 && line_w + 2 + w > limit {
            writeln!(out, "{line}")?;
            line.clear();
            line_w = 0;
        }
        if line_w > 0 {
            line.push_str("  ");
            line_w += 2;
        }
        line.push_str(&text);
        line_w += w;
    }
    writeln!(out, "{line}")
}

/// The number -> DaemonSet key, in as many columns as fit (filled top to bottom, like `ls`), so 40
/// DaemonSets do not push the grid off the screen.
fn write_key(keys: &[String], width: Option<usize>, out: &mut dyn Write) -> io::Result<()> {
    let entry_w = keys.iter().map(|k| text_width(k)).max().unwrap_or(0) + COLUMN_PADDING;
    let ncols = match width {
        Some(w) => ((w + COLUMN_PADDING) / entry_w).clamp(1, keys.len().max(1)),
        None => 1,
    };
    let nrows = keys.len().div_ceil(ncols);
    let rows: Vec<Vec<Cell>> = (0..nrows)
        .map(|r| {
            (0..ncols)
                .filter_map(|c| keys.get(c * nrows + r))
                .map(Cell::plain)
                .collect()
        })
        .collect();
    let fit = Fit {
        width: None,
        header_row: false,
        overflow: Overflow::Wrap,
    };
    write_columns(out, &rows, false, fit)
}

/// Compresses node names into one label that states exactly how many nodes it stands for:
/// `pool-a-[001-400] ×400`, `w-[1-3,7] ×4`; names with no shared numeric pattern give the first name
/// and `+N more`. A single name is returned as is.
pub fn compact_range(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [first, ..] => match compact_pattern(names) {
            Some(p) => format!("{p} ×{}", names.len()),
            None => format!("{first} +{} more", names.len() - 1),
        },
    }
}

/// `prefix[ranges]suffix` when at least two names differ only in a run of digits (`ip-10-0-[1-3].x`),
/// None otherwise.
pub(crate) fn compact_pattern(names: &[&str]) -> Option<String> {
    if names.len() < 2 {
        return None;
    }
    let chars: Vec<Vec<char>> = names.iter().map(|n| n.chars().collect()).collect();
    let first = &chars[0];
    let mut pre = chars.iter().fold(first.len(), |acc, c| {
        acc.min(first.iter().zip(c).take_while(|(a, b)| a == b).count())
    });
    // The number must be whole: `w-1`/`w-10` share `w-1`, but the prefix is `w-`.
    while pre > 0 && first[pre - 1].is_ascii_digit() {
        pre -= 1;
    }
    let rests: Vec<&[char]> = chars.iter().map(|c| &c[pre..]).collect();
    let r0 = rests[0];
    let mut suf = rests.iter().fold(r0.len(), |acc, r| {
        acc.min(
            r0.iter()
                .rev()
                .zip(r.iter().rev())
                .take_while(|(a, b)| a == b)
                .count(),
        )
    });
    while suf > 0 && r0[r0.len() - suf].is_ascii_digit() {
        suf -= 1;
    }

    // (value, digits) per name; any name whose middle is not a plain number breaks the pattern.
    let mut nums: Vec<(u64, String)> = Vec::with_capacity(names.len());
    for r in &rests {
        let mid: String = r.get(..r.len().checked_sub(suf)?)?.iter().collect();
        if mid.is_empty() || !mid.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        nums.push((mid.parse().ok()?, mid));
    }
    nums.sort_by(|a, b| (a.0, a.1.len(), &a.1).cmp(&(b.0, b.1.len(), &b.1)));

    let padded = |s: &str| s.len() > 1 && s.starts_with('0');
    let mut segments: Vec<(usize, usize)> = Vec::new(); // index ranges into nums
    for i in 0..nums.len() {
        if let Some(last) = segments.last_mut() {
            let (pv, ps) = (&nums[last.1].0, &nums[last.1].1);
            let (v, s) = (&nums[i].0, &nums[i].1);
            // 9 -> 10 continues, 09 -> 10 continues (same width), 9 -> 010 does not.
            let same_style = ps.len() == s.len() || (!padded(ps) && !padded(s));
            if *v == pv.saturating_add(1) && same_style {
                last.1 = i;
                continue;
            }
        }
        segments.push((i, i));
    }
    let shown: Vec<String> = segments
        .iter()
        .take(if segments.len() > MAX_SEGMENTS {
            MAX_SEGMENTS - 1
        } else {
            MAX_SEGMENTS
        })
        .map(|&(a, b)| {
            if a == b {
                nums[a].1.clone()
            } else {
                format!("{}-{}", nums[a].1, nums[b].1)
            }
        })
        .collect();
    let more = if segments.len() > MAX_SEGMENTS {
        ",…"
    } else {
        ""
    };
    let prefix: String = first[..pre].iter().collect();
    let suffix: String = r0[r0.len() - suf..].iter().collect();
    Some(format!("{prefix}[{}{more}]{suffix}", shown.join(",")))
}

#[cfg(test)]
mod tests {
    use super::super::coverage::tests::{cov_report, ds_row};
    use super::super::table::tests::opts;
    use super::*;
    use NodeStatus::*;

    #[test]
    fn compact_range_cases() {
        let pool: Vec<String> = (1..=400).map(|i| format!("pool-a-{i:03}")).collect();
        let pool: Vec<&str> = pool.iter().map(String::as_str).collect();
        let holes: Vec<String> = (1..=20)
            .filter(|i| i % 4 != 0)
            .map(|i| format!("n{i}"))
            .collect();
        let holes: Vec<&str> = holes.iter().map(String::as_str).collect();
        let cases: &[(&str, &[&str], &str)] = &[
            ("empty", &[], ""),
            ("single", &["kind-worker"], "kind-worker"),
            ("contiguous padded", &pool, "pool-a-[001-400] ×400"),
            (
                "non-contiguous",
                &["w-1", "w-2", "w-3", "w-7"],
                "w-[1-3,7] ×4",
            ),
            (
                "unsorted input",
                &["w-7", "w-2", "w-3", "w-1"],
                "w-[1-3,7] ×4",
            ),
            (
                "crosses a digit boundary",
                &["w-9", "w-10", "w-11"],
                "w-[9-11] ×3",
            ),
            (
                "shared leading digits",
                &["w-10", "w-11", "w-12"],
                "w-[10-12] ×3",
            ),
            (
                "number in the middle",
                &["ip-10-0-1.ec2", "ip-10-0-2.ec2", "ip-10-0-3.ec2"],
                "ip-10-0-[1-3].ec2 ×3",
            ),
            ("suffix keeps its letters", &["n1a", "n11a"], "n[1,11]a ×2"),
            (
                "kind names have no pattern",
                &["kind-control-plane", "kind-worker", "kind-worker2"],
                "kind-control-plane +2 more",
            ),
            (
                "two pools have no single pattern",
                &["pool-a-1", "pool-b-1"],
                "pool-a-1 +1 more",
            ),
            (
                "same value, different padding",
                &["w-1", "w-01"],
                "w-[1,01] ×2",
            ),
            ("padding breaks a run", &["w-9", "w-010"], "w-[9,010] ×2"),
            ("many holes are elided", &holes, "n[1-3,5-7,9-11,…] ×15"),
            (
                "digits too long for u64",
                &["n123456789012345678901", "n123456789012345678902"],
                "n123456789012345678901 +1 more",
            ),
            ("prefix overlaps suffix", &["a1a", "a1a1a"], "a1a +1 more"),
        ];
        for &(name, names, want) in cases {
            assert_eq!(compact_range(names), want, "{name}");
        }
    }

    fn render_str(report: &CoverageReport, opts: &RenderOptions) -> String {
        let mut out = Vec::new();
        super::super::coverage_grid(report, opts, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn sample() -> CoverageReport {
        cov_report(
            &["cp", "w-1", "w-2", "w-3", "w-4"],
            vec![
                ds_row("kube-system", "kube-proxy", 5, &[]),
                ds_row(
                    "mon",
                    "node-exporter",
                    4,
                    &[("cp", Ineligible), ("w-3", Failing)],
                ),
                ds_row(
                    "gpu",
                    "nvidia",
                    0,
                    &[("cp", Ineligible), ("w-4", Misscheduled)],
                ),
            ],
        )
    }

    #[test]
    fn grid_exact() {
        let got = render_str(&sample(), &opts());
        let want = "\
NODE         1  2  3
cp           ·  ·  ●
w-[1-2] ×2   ●  ●  ●
w-3          ✖  ●  ●
w-4          ●  ▲  ●

● Running  ◐ Starting  ○ Pending  ✖ Failing  ! Missing  · Ineligible  ▲ Misscheduled

1  mon/node-exporter
2  gpu/nvidia
3  kube-system/kube-proxy

3 DaemonSets: 2 fully covered, 1 with gaps; 1 of 5 nodes affected
(5 nodes shown as 4 rows; use --expand to list every node)
";
        assert_eq!(got, want);
    }

    #[test]
    fn grid_expand_and_ascii() {
        let got = render_str(
            &sample(),
            &RenderOptions {
                expand: true,
                ascii: true,
                no_headers: true,
                ..opts()
            },
        );
        assert_eq!(
            got,
            "\
cp     -  -  R
w-1    R  R  R
w-2    R  R  R
w-3    F  R  R
w-4    R  X  R
"
        );
    }

    #[test]
    fn grid_colour_only_when_asked() {
        let plain = render_str(&sample(), &opts());
        assert!(!plain.contains('\x1b'));
        let coloured = render_str(
            &sample(),
            &RenderOptions {
                color: true,
                ..opts()
            },
        );
        for want in [
            "\x1b[38;5;1m✖\x1b[39m",
            "\x1b[38;5;2m●\x1b[39m",
            "\x1b[38;5;5m▲\x1b[39m",
            "\x1b[2m·\x1b[0m",
        ] {
            assert!(coloured.contains(want), "{want:?} in {coloured}");
        }
    }

    /// 12 DaemonSets (two-digit numbers) in a 40-column terminal: NODE (9 wide) leaves room for
    /// 10 columns of 3, so two blocks, each repeating NODE, each line within the width.
    #[test]
    fn grid_splits_into_blocks_at_narrow_width() {
        let nodes = ["node-a", "node-b"];
        let daemonsets = (1..=12)
            .map(|i| {
                let problems: &[(&str, NodeStatus)] =
                    if i == 12 { &[("node-b", Missing)] } else { &[] };
                ds_row("ns", &format!("ds-{i:02}"), 2, problems)
            })
            .collect();
        let report = cov_report(&nodes, daemonsets);
        let got = render_str(
            &report,
            &RenderOptions {
                width: Some(40),
                expand: true,
                ..opts()
            },
        );
        let grid: Vec<&str> = got.split("\n\n").take(2).collect();
        assert_eq!(
            grid,
            vec![
                "NODE      1  2  3  4  5  6  7  8  9 10\n\
                 node-a    ●  ●  ●  ●  ●  ●  ●  ●  ●  ●\n\
                 node-b    !  ●  ●  ●  ●  ●  ●  ●  ●  ●",
                "NODE     11 12\n\
                 node-a    ●  ●\n\
                 node-b    ●  ●",
            ]
        );
        // Grid, legend and key fit; the prose summary below is left to the terminal to wrap.
        for line in got.lines().take_while(|l| !l.starts_with("12 DaemonSets")) {
            assert!(text_width(line) <= 40, "{line:?} wider than 40");
        }
        // The key is laid out in columns to fit the width.
        assert!(got.contains(" 1  ns/ds-12    7  ns/ds-06\n"), "{got}");
    }

    #[test]
    fn large_grid_collapses_exactly() {
        let names: Vec<String> = (1..=600).map(|i| format!("pool-{i:03}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let report = cov_report(
            &refs,
            vec![
                ds_row(
                    "a",
                    "one",
                    600,
                    &[("pool-017", Failing), ("pool-300", Failing)],
                ),
                ds_row("a", "two", 600, &[("pool-300", Pending)]),
            ],
        );
        let got = render_str(&report, &opts());
        let rows: Vec<&str> = got.split("\n\n").next().unwrap().lines().collect();
        assert_eq!(
            rows,
            vec![
                "NODE                                  1  2",
                "pool-[001-016,018-299,301-600] ×598   ●  ●",
                "pool-017                              ✖  ●",
                "pool-300                              ✖  ○",
            ]
        );
        assert!(got.contains("(600 nodes shown as 3 rows; use --expand to list every node)"));
    }

    #[test]
    fn empty_report_prints_only_the_summary() {
        let got = render_str(&cov_report(&["n1"], vec![]), &opts());
        assert_eq!(
            got,
            "0 DaemonSets: 0 fully covered, 0 with gaps; 0 of 1 node affected\n"
        );
    }
}
