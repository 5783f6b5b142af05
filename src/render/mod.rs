//! Renderers: turn a finished report into text on a writer (table, wide, json, yaml, name).
//! Owns layout only: never judges nodes, never reads env/tty/clock (colour, width and `now` come in
//! `RenderOptions`), never prints (everything goes to the `out` writer).

pub mod coverage;
pub mod explain;
pub mod grid;
pub mod structured;
pub mod style;
pub mod table;

pub use grid::compact_range;

use std::io::{self, Write};

use jiff::{SignedDuration, Timestamp};

use crate::report::{CoverageReport, DaemonSetReport};
use style::Paint;

/// Output format (`-o`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Table,
    Wide,
    Json,
    Yaml,
    Name,
}

impl Format {
    /// The human-readable formats (kubectl's table printer), as opposed to machine formats.
    pub fn is_table(self) -> bool {
        matches!(self, Format::Table | Format::Wide)
    }
}

/// What kubectl says on stderr when a table would have no rows (k8s.io/kubectl/pkg/cmd/get/get.go):
/// the namespace looked in, or none with -A. Machine formats say nothing: json/yaml print an empty
/// list, name prints no line.
pub fn no_resources(namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("No resources found in {ns} namespace."),
        None => "No resources found".to_string(),
    }
}

#[derive(Clone, Debug, Default)]
pub struct RenderOptions {
    pub format: Format,
    /// Decided once by the caller (flag/NO_COLOR/tty); never looked up here.
    pub color: bool,
    pub no_headers: bool,
    /// `--show-all`: list every node even on large clusters.
    pub show_all: bool,
    /// For AGE columns.
    pub now: Timestamp,
    /// Terminal width when writing to a terminal, None otherwise (then nothing wraps or splits).
    pub width: Option<usize>,
    /// coverage: NAMESPACE column.
    pub all_namespaces: bool,
    /// coverage --nodes: do not collapse identical rows.
    pub expand: bool,
    /// Grid glyphs in ASCII (`R S P F M - X`) instead of Unicode. Decided by the caller, like `color`.
    pub ascii: bool,
}

/// `kubectl ds why <ds>`: one row per node.
pub fn why(report: &DaemonSetReport, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    buffered(out, |out| match opts.format {
        Format::Table | Format::Wide => table::render(report, opts, out),
        Format::Json => structured::json(report, out),
        Format::Yaml => structured::yaml(report, out),
        Format::Name => structured::why_names(report, out),
    })
}

/// Renders through a buffer: stdout is line-buffered, and a report on thousands of nodes is 100k+ lines,
/// one write(2) each otherwise.
fn buffered(
    out: &mut dyn Write,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    render(&mut out)?;
    out.flush()
}

/// `kubectl ds coverage`: one row per DaemonSet.
pub fn coverage(
    report: &CoverageReport,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    buffered(out, |out| match opts.format {
        Format::Table | Format::Wide => coverage::render(report, opts, out),
        Format::Json => structured::json(report, out),
        Format::Yaml => structured::yaml(report, out),
        Format::Name => structured::coverage_names(report, out),
    })
}

/// `kubectl ds coverage --nodes`: nodes x DaemonSets.
pub fn coverage_grid(
    report: &CoverageReport,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    buffered(out, |out| match opts.format {
        Format::Table | Format::Wide => grid::render(report, opts, out),
        Format::Json => structured::json(report, out),
        Format::Yaml => structured::yaml(report, out),
        Format::Name => structured::coverage_names(report, out),
    })
}

// ---- shared layout -------------------------------------------------------------------------

// Mirrors k8s.io/cli-runtime/pkg/printers/tabwriter.go (tabwriterMinWidth = 6, tabwriterPadding = 3):
// a column is as wide as its widest cell plus 3, and never narrower than 6.
pub(crate) const MIN_COLUMN_WIDTH: usize = 6;
pub(crate) const COLUMN_PADDING: usize = 3;
/// Below this many columns left for the last cell, wrapping makes a thin ribbon that reads worse than
/// letting the terminal wrap the line, so we do not wrap.
const MIN_WRAP_WIDTH: usize = 24;
/// Below this, a cut hint says too little to be worth the ambiguity of the `…`.
const MIN_TRUNCATE_WIDTH: usize = 10;

/// One table cell: plain text (widths are measured on it) plus an optional colour applied at write time.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Cell {
    pub text: String,
    pub paint: Option<Paint>,
}

impl Cell {
    pub fn plain(text: impl Into<String>) -> Cell {
        Cell {
            text: sanitize(&text.into()),
            paint: None,
        }
    }

    pub fn painted(text: impl Into<String>, paint: Option<Paint>) -> Cell {
        Cell {
            text: sanitize(&text.into()),
            paint,
        }
    }

    fn render(&self, text: &str, color: bool) -> String {
        match self.paint {
            Some(p) => style::paint(text, p, color),
            None => text.to_string(),
        }
    }
}

/// Event messages and pod names come from the cluster: a newline would break the table and an escape
/// sequence would drive the user's terminal, so every control character becomes a space.
fn sanitize(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Display width. Every glyph we print is one column wide (no CJK/emoji in our own output; names are
/// DNS labels), so counting chars is exact for what we lay out.
pub(crate) fn text_width(text: &str) -> usize {
    text.chars().count()
}

/// How a table meets the terminal edge.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fit {
    /// Terminal width; None means never wrap or truncate (pipes, files).
    pub width: Option<usize>,
    /// The first row is a header (its short title stays inline).
    pub header_row: bool,
    pub overflow: Overflow,
}

/// What to do with a last column that would run past the terminal edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Overflow {
    /// The text is the point (a reason to act on): keep all of it, on more lines.
    Wrap,
    /// The text is a hint with the full story elsewhere: keep one line per row, cut with `…`.
    Truncate,
}

/// Writes rows as kubectl does: left-aligned columns, no borders, no trailing spaces.
///
/// With a terminal width, the last column (the free-text one) never runs past the edge:
/// - `Wrap`: it wraps at word boundaries inside its own column, continuation lines leaving earlier
///   columns blank; when the earlier columns leave it too little room (wide output, long node names),
///   data rows put it on the lines below instead, indented under the second column;
/// - `Truncate`: it is cut to the room left, ending in `…`.
///
/// If even the fixed columns overflow, nothing is cut: the terminal wraps, as it does for kubectl.
pub(crate) fn write_columns(
    out: &mut dyn Write,
    rows: &[Vec<Cell>],
    color: bool,
    fit: Fit,
) -> io::Result<()> {
    write_columns_then(out, rows, color, fit, &mut |_, _| Ok(()))
}

/// [`write_columns`], calling `after_row(index, out)` once each row is fully written (wrapped
/// lines included), so a caller can print lines under a row (`why --explain`).
pub(crate) fn write_columns_then(
    out: &mut dyn Write,
    rows: &[Vec<Cell>],
    color: bool,
    fit: Fit,
    after_row: &mut dyn FnMut(usize, &mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let Fit {
        width: wrap_width,
        header_row,
        overflow,
    } = fit;
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    if ncols == 0 {
        return Ok(());
    }
    let widths = column_widths(rows, ncols);
    let prefix: usize = widths.iter().sum();
    let longest_last = rows
        .iter()
        .filter_map(|r| r.get(ncols - 1))
        .map(|c| text_width(&c.text))
        .max()
        .unwrap_or(0);
    let layout = match wrap_width {
        None => Last::Inline(None),
        Some(w) if prefix + longest_last <= w => Last::Inline(None),
        Some(w) if overflow == Overflow::Truncate => match w.checked_sub(prefix) {
            Some(room) if room >= MIN_TRUNCATE_WIDTH => Last::Truncate(room),
            _ => Last::Inline(None),
        },
        Some(w) if w.saturating_sub(prefix) >= MIN_WRAP_WIDTH => Last::Inline(Some(w - prefix)),
        Some(w) => {
            let indent = widths
                .first()
                .copied()
                .filter(|&i| w.saturating_sub(i) >= MIN_WRAP_WIDTH);
            let indent = indent.unwrap_or(0);
            Last::Below {
                indent,
                width: w.saturating_sub(indent).max(1),
                term: w,
            }
        }
    };

    for (r, row) in rows.iter().enumerate() {
        let below = match layout {
            Last::Inline(_) | Last::Truncate(_) => false,
            Last::Below { term, .. } => {
                let title_fits = row
                    .get(ncols - 1)
                    .is_some_and(|c| prefix + text_width(&c.text) <= term);
                !(header_row && r == 0 && title_fits)
            }
        };
        // Cells written on this line: all of them, or all but the last when it goes below.
        let inline_cells = if below {
            row.len().min(ncols - 1)
        } else {
            row.len()
        };
        let last_filled = row[..inline_cells].iter().rposition(|c| !c.text.is_empty());
        let mut line = String::new();
        for (i, cell) in row
            .iter()
            .enumerate()
            .take(last_filled.map_or(0, |l| l + 1))
        {
            if i < ncols - 1 {
                line.push_str(&cell.render(&cell.text, color));
                // Only pad up to the last non-empty cell so lines never end in spaces.
                if Some(i) < last_filled {
                    let pad = widths[i].saturating_sub(text_width(&cell.text));
                    line.push_str(&" ".repeat(pad));
                }
            } else {
                let pieces = match layout {
                    Last::Inline(Some(w)) => wrap(&cell.text, w),
                    Last::Truncate(w) => vec![truncate(&cell.text, w)],
                    _ => vec![cell.text.clone()],
                };
                for (n, piece) in pieces.iter().enumerate() {
                    if n > 0 {
                        line.push('\n');
                        line.push_str(&" ".repeat(prefix));
                    }
                    line.push_str(&cell.render(piece, color));
                }
            }
        }
        writeln!(out, "{line}")?;
        if let (true, Last::Below { indent, width, .. }) = (below, layout)
            && let Some(cell) = row.get(ncols - 1).filter(|c| !c.text.is_empty())
        {
            for piece in wrap(&cell.text, width) {
                writeln!(out, "{}{}", " ".repeat(indent), cell.render(&piece, color))?;
            }
        }
        after_row(r, out)?;
    }
    Ok(())
}

/// Widths of every column but the last (which is never padded), tabwriter-style.
fn column_widths(rows: &[Vec<Cell>], ncols: usize) -> Vec<usize> {
    let mut widths = vec![MIN_COLUMN_WIDTH; ncols.saturating_sub(1)];
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(ncols.saturating_sub(1)) {
            widths[i] = widths[i].max(text_width(&cell.text) + COLUMN_PADDING);
        }
    }
    widths
}

/// Where the last column starts: the width of every column before it.
pub(crate) fn last_column_offset(rows: &[Vec<Cell>]) -> usize {
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    column_widths(rows, ncols).iter().sum()
}

/// Where the last column goes.
#[derive(Clone, Copy)]
enum Last {
    /// On the row's line, wrapped to this width when given.
    Inline(Option<usize>),
    /// On the row's line, cut to this width.
    Truncate(usize),
    /// On the lines below the row.
    Below {
        indent: usize,
        width: usize,
        term: usize,
    },
}

/// Cuts `text` to `width` columns, the last one an ellipsis when anything was cut.
pub(crate) fn truncate(text: &str, width: usize) -> String {
    if text_width(text) <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// Greedy word wrap to `width` columns; a word longer than the width is split (node names and
/// image references have no spaces and can be long).
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_w = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let sep = usize::from(line_w > 0);
            if line_w + sep + word.len() <= width {
                if sep == 1 {
                    line.push(' ');
                }
                line.extend(word.iter());
                line_w += sep + word.len();
                break;
            }
            if line_w > 0 {
                lines.push(std::mem::take(&mut line));
                line_w = 0;
                continue;
            }
            // The word alone is too long: cut it at the width.
            let rest = word.split_off(width);
            lines.push(word.iter().collect());
            word = rest;
        }
    }
    if line_w > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `1 node` / `3 nodes`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Age of `created` (RFC 3339) at `now`, as kubectl's AGE column shows it; `<unknown>` like kubectl's
/// `translateTimestampSince` when there is no usable timestamp.
pub(crate) fn age(created: Option<&str>, now: Timestamp) -> String {
    match created.and_then(|c| c.parse::<Timestamp>().ok()) {
        Some(t) => human_duration(now.duration_since(t)),
        None => "<unknown>".to_string(),
    }
}

/// Mirrors k8s.io/apimachinery/pkg/util/duration/duration.go (HumanDuration): ~2-3 significant figures.
pub(crate) fn human_duration(d: SignedDuration) -> String {
    // Go's int(d.Seconds()) truncates toward zero, as does as_secs().
    let seconds = d.as_secs();
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        return format!("{hours}h{m}m");
    } else if hours < 48 {
        return format!("{hours}h");
    } else if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        return format!("{}d{}h", hours / 24, h);
    } else if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    } else if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        return format!("{}y{}d", hours / 24 / 365, dy);
    }
    format!("{}y", hours / 24 / 365)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fit(width: Option<usize>, header_row: bool, overflow: Overflow) -> Fit {
        Fit {
            width,
            header_row,
            overflow,
        }
    }

    #[test]
    fn truncate_cases() {
        let cases = [
            ("fits", "3x ImagePullBackOff", 19, "3x ImagePullBackOff"),
            ("cut", "3x ImagePullBackOff", 10, "3x ImageP…"),
            (
                "no space before the ellipsis",
                "3x ImagePullBackOff",
                4,
                "3x…",
            ),
        ];
        for (name, text, width, want) in cases {
            assert_eq!(truncate(text, width), want, "{name}");
        }
    }

    #[test]
    fn columns_truncate_the_last_cell() {
        let rows = vec![
            vec![Cell::plain("NAME"), Cell::plain("TOP-REASON")],
            vec![
                Cell::plain("fluent-bit"),
                Cell::plain("3x ImagePullBackOff (+1 misscheduled)"),
            ],
        ];
        let cases = [
            (
                "cut to the room left",
                Some(13 + 12),
                "NAME         TOP-REASON\nfluent-bit   3x ImagePul…\n",
            ),
            (
                "too little room: left whole",
                Some(13 + 9),
                "NAME         TOP-REASON\nfluent-bit   3x ImagePullBackOff (+1 misscheduled)\n",
            ),
            (
                "no terminal",
                None,
                "NAME         TOP-REASON\nfluent-bit   3x ImagePullBackOff (+1 misscheduled)\n",
            ),
        ];
        for (name, width, want) in cases {
            let mut out = Vec::new();
            write_columns(&mut out, &rows, false, fit(width, true, Overflow::Truncate)).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), want, "{name}");
        }
    }

    // Cases from k8s.io/apimachinery/pkg/util/duration/duration_test.go (TestHumanDuration*).
    #[test]
    fn human_duration_matches_kubectl() {
        const MS: i64 = 1_000_000;
        const S: i64 = 1_000 * MS;
        const M: i64 = 60 * S;
        const H: i64 = 60 * M;
        const D: i64 = 24 * H;
        const Y: i64 = 365 * D;
        let cases: &[(&str, i64, &str)] = &[
            ("1s", S, "1s"),
            ("70s", 70 * S, "70s"),
            ("190s", 190 * S, "3m10s"),
            ("70m", 70 * M, "70m"),
            ("47h", 47 * H, "47h"),
            ("49h", 49 * H, "2d1h"),
            ("8d2h", 8 * D + 2 * H, "8d"),
            ("367d", 367 * D, "367d"),
            ("2y1d1h", 2 * Y + 25 * H, "2y1d"),
            ("8y2h", 8 * Y + 2 * H, "8y"),
            ("-2s", -2 * S, "<invalid>"),
            ("-2s+1ns", -2 * S + 1, "0s"),
            ("0", 0, "0s"),
            ("1s-1ms", S - MS, "0s"),
            ("2m-1ms", 2 * M - MS, "119s"),
            ("2m", 2 * M, "2m"),
            ("2m1s", 2 * M + S, "2m1s"),
            ("10m-1ms", 10 * M - MS, "9m59s"),
            ("10m", 10 * M, "10m"),
            ("10m1s", 10 * M + S, "10m"),
            ("3h-1ms", 3 * H - MS, "179m"),
            ("3h", 3 * H, "3h"),
            ("3h1m", 3 * H + M, "3h1m"),
            ("8h-1ms", 8 * H - MS, "7h59m"),
            ("8h", 8 * H, "8h"),
            ("8h59m", 8 * H + 59 * M, "8h"),
            ("2d-1ms", 2 * D - MS, "47h"),
            ("2d", 2 * D, "2d"),
            ("2d1h", 2 * D + H, "2d1h"),
            ("8d-1ms", 8 * D - MS, "7d23h"),
            ("8d", 8 * D, "8d"),
            ("8d23h", 8 * D + 23 * H, "8d"),
            ("2y-1ms", 2 * Y - MS, "729d"),
            ("2y", 2 * Y, "2y"),
            ("2y23h59m", 2 * Y + 23 * H + 59 * M, "2y"),
            ("2y1d-1ms", 2 * Y + D - MS, "2y"),
            ("2y1d", 2 * Y + D, "2y1d"),
            ("3y", 3 * Y, "3y"),
            ("8y-1ms", 8 * Y - MS, "7y364d"),
            ("8y", 8 * Y, "8y"),
            ("8y364d", 8 * Y + 364 * D, "8y"),
            ("9y", 9 * Y, "9y"),
        ];
        for &(name, nanos, want) in cases {
            let d = SignedDuration::from_nanos(nanos);
            assert_eq!(human_duration(d), want, "{name}");
        }
    }

    #[test]
    fn age_parses_rfc3339() {
        let now: Timestamp = "2025-01-10T12:00:00Z".parse().unwrap();
        let cases = [
            ("five seconds", Some("2025-01-10T11:59:55Z"), "5s"),
            ("three days", Some("2025-01-07T12:00:00Z"), "3d"),
            ("missing", None, "<unknown>"),
            ("garbage", Some("yesterday"), "<unknown>"),
            ("in the future", Some("2025-01-10T12:01:00Z"), "<invalid>"),
        ];
        for (name, created, want) in cases {
            assert_eq!(age(created, now), want, "{name}");
        }
    }

    #[test]
    fn wrap_cases() {
        let cases: &[(&str, &str, usize, &[&str])] = &[
            ("fits", "a b c", 10, &["a b c"]),
            ("breaks at words", "aaa bbb ccc", 7, &["aaa bbb", "ccc"]),
            ("long word split", "abcdefghij", 4, &["abcd", "efgh", "ij"]),
            (
                "long word after short",
                "ab cdefghij",
                4,
                &["ab", "cdef", "ghij"],
            ),
            ("empty", "", 5, &[""]),
            ("extra spaces collapse", "a   b", 5, &["a b"]),
        ];
        for &(name, text, width, want) in cases {
            assert_eq!(wrap(text, width), want, "{name}");
        }
    }

    #[test]
    fn columns_like_kubectl_tabwriter() {
        let rows = vec![
            vec![Cell::plain("A"), Cell::plain("LONGER"), Cell::plain("LAST")],
            vec![Cell::plain("xx"), Cell::plain(""), Cell::plain("")],
            vec![Cell::plain("yyyyyyy"), Cell::plain("z"), Cell::plain("w")],
        ];
        let mut out = Vec::new();
        write_columns(&mut out, &rows, false, fit(None, false, Overflow::Wrap)).unwrap();
        // min width 6 for the first column (7+3=10 wins), 6+3 for the second; no trailing spaces.
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "A         LONGER   LAST\nxx\nyyyyyyy   z        w\n"
        );
    }

    #[test]
    fn columns_wrap_last_cell_inside_its_column() {
        let rows = vec![
            vec![Cell::plain("NODE"), Cell::plain("REASON")],
            vec![
                Cell::plain("n1"),
                Cell::plain("the quick brown fox jumps over the lazy dog again and again"),
            ],
        ];
        let mut out = Vec::new();
        write_columns(
            &mut out,
            &rows,
            false,
            fit(Some(7 + 30), true, Overflow::Wrap),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "NODE   REASON\n\
             n1     the quick brown fox jumps over\n       \
             the lazy dog again and again\n"
        );
    }

    #[test]
    fn columns_too_narrow_put_the_last_cell_below() {
        let long = "word ".repeat(20);
        let row = |a: &str, b: &str, c: &str| vec![Cell::plain(a), Cell::plain(b), Cell::plain(c)];
        let six = ["word"; 6].join(" ");
        let cases = [
            (
                "no room anywhere: below, from the left edge, wrapped to the terminal",
                vec![
                    vec![Cell::plain("NODE"), Cell::plain("REASON")],
                    vec![Cell::plain("x".repeat(50)), Cell::plain(long.trim())],
                ],
                60,
                format!(
                    "{:<53}REASON\n{}\n{}\n{}\n",
                    "NODE",
                    "x".repeat(50),
                    ["word"; 12].join(" "),
                    ["word"; 8].join(" ")
                ),
            ),
            (
                "room after the first column: below, indented under the second",
                vec![
                    row("NODE", "STATUS", "REASON"),
                    row("node-1", &"s".repeat(20), long.trim()),
                ],
                40,
                format!(
                    "NODE     STATUS                 REASON\nnode-1   {}\n{pad}{six}\n{pad}{six}\n{pad}{six}\n{pad}word word\n",
                    "s".repeat(20),
                    pad = " ".repeat(9),
                ),
            ),
        ];
        for (name, rows, width, want) in cases {
            let mut out = Vec::new();
            write_columns(
                &mut out,
                &rows,
                false,
                fit(Some(width), true, Overflow::Wrap),
            )
            .unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), want, "{name}");
        }
    }

    #[test]
    fn control_characters_are_neutralised() {
        let rows = vec![vec![
            Cell::plain("n1"),
            Cell::plain("line one\nline two \x1b[31mred"),
        ]];
        let mut out = Vec::new();
        write_columns(&mut out, &rows, false, fit(None, false, Overflow::Wrap)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "n1    line one line two  [31mred\n"
        );
    }
}
