//! kubectl-style columns, laid out by comfy-table: left-aligned, no borders, 3 spaces between columns,
//! no trailing spaces, and the last (free-text) column fitted to the terminal. Owns layout only; the
//! callers decide the cells, their colour and the width.

use std::io::{self, Write};

use comfy_table::{ColumnConstraint, Row, Table, Width, presets};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::style::{self, Paint};

// Mirrors k8s.io/cli-runtime/pkg/printers/tabwriter.go (GetNewTabWriter: minwidth 6, padding 3, flags 0
// over Go's text/tabwriter): every cell but the last of a row is padded to max(width + 3, 6), the last
// is not padded. One difference, on purpose: Go's tabwriter counts runes, we count display columns
// (unicode-width), so wide CJK characters and emoji keep the columns aligned.
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

    fn to_table_cell(&self, color: bool) -> comfy_table::Cell {
        let cell = comfy_table::Cell::new(&self.text);
        match self.paint.filter(|_| color) {
            Some(p) => style::table_style(cell, p),
            None => cell,
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

/// Display width in terminal columns: CJK characters and most emoji take two.
pub(crate) fn text_width(text: &str) -> usize {
    text.width()
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

/// Writes rows as kubectl does: left-aligned columns, no borders, no trailing spaces.
///
/// With a terminal width, the last column (the free-text one) never runs past the edge:
/// - `Wrap`: it wraps inside its own column, continuation lines leaving earlier columns blank; when
///   the earlier columns leave it too little room (wide output, long node names), data rows put it on
///   the lines below instead, indented under the second column;
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
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    if ncols == 0 {
        return Ok(());
    }
    let mut table = table(rows, ncols, color, |_| false);
    let widths = column_widths(&table, ncols);
    let prefix: usize = widths.iter().sum();
    let layout = layout(rows, ncols, prefix, widths.first().copied(), fit);
    // Which rows put their last cell on the lines below (comfy-table cannot place a cell there).
    let below = |r: usize| match layout {
        Last::Below { term, .. } => {
            let title_fits = rows[r]
                .get(ncols - 1)
                .is_some_and(|c| prefix + text_width(&c.text) <= term);
            !(fit.header_row && r == 0 && title_fits)
        }
        _ => false,
    };
    if let Last::Below { .. } = layout {
        table = self::table(rows, ncols, color, below);
    }
    let last = table.column_mut(ncols - 1).expect("ncols > 0 columns");
    match layout {
        Last::Inline(Some(room)) | Last::Truncate(room) => {
            last.set_constraint(ColumnConstraint::Absolute(Width::Fixed(clamp_u16(room))));
        }
        Last::Inline(None) | Last::Below { .. } => {}
    }
    if let Last::Truncate(_) = layout {
        table.set_truncation_indicator("…");
        for row in table.row_iter_mut() {
            row.max_height(1);
        }
    }

    // comfy-table prints all rows at once; callers want lines after each row, so the lines are
    // regrouped: only a wrapped last cell makes a row span several lines, and its continuation lines
    // start blank where every row's first line starts with its (non-empty) first cell.
    let wraps = matches!(layout, Last::Inline(Some(_)));
    let mut lines = table.lines().peekable();
    for (r, row) in rows.iter().enumerate() {
        if let Some(line) = lines.next() {
            writeln!(out, "{}", line.trim_end())?;
        }
        while let Some(line) = lines.next_if(|l| wraps && l.starts_with(' ')) {
            writeln!(out, "{}", line.trim_end())?;
        }
        if let (true, Last::Below { indent, width, .. }) = (below(r), layout)
            && let Some(cell) = row.get(ncols - 1).filter(|c| !c.text.is_empty())
        {
            for piece in wrap(&cell.text, width) {
                let piece = match cell.paint {
                    Some(p) => style::paint(&piece, p, color),
                    None => piece,
                };
                writeln!(out, "{}{piece}", " ".repeat(indent))?;
            }
        }
        after_row(r, out)?;
    }
    Ok(())
}

/// The rows as a borderless comfy-table: every column but the last padded by 3 on the right and at
/// least 6 wide, the last unpadded; `below(r)` rows leave their last cell out.
fn table(rows: &[Vec<Cell>], ncols: usize, color: bool, below: impl Fn(usize) -> bool) -> Table {
    let mut table = Table::new();
    // Layout must not depend on where stdout goes: the caller passes the width and the colour choice.
    table.load_style(presets::NOTHING).force_no_tty();
    if color {
        table.enforce_styling().style_text_only();
    }
    for (r, row) in rows.iter().enumerate() {
        let cells = row.iter().enumerate().map(|(i, c)| {
            if i == ncols - 1 && below(r) {
                comfy_table::Cell::new("")
            } else {
                c.to_table_cell(color)
            }
        });
        table.add_row(Row::from(cells.collect::<Vec<_>>()));
    }
    for (i, column) in table.column_iter_mut().enumerate() {
        if i + 1 < ncols {
            column.set_padding((0, clamp_u16(COLUMN_PADDING)));
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(clamp_u16(
                MIN_COLUMN_WIDTH,
            ))));
        } else {
            column.set_padding((0, 0));
        }
    }
    table
}

/// comfy-table widths are u16; a terminal is never that wide, so saturating is exact in practice.
pub(crate) fn clamp_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// Widths of every column but the last (which is never padded), as the table will print them.
fn column_widths(table: &Table, ncols: usize) -> Vec<usize> {
    table
        .column_max_content_widths()
        .into_iter()
        .take(ncols - 1)
        .map(|w| (usize::from(w) + COLUMN_PADDING).max(MIN_COLUMN_WIDTH))
        .collect()
}

/// Where the last column goes, given the width of the columns before it.
fn layout(
    rows: &[Vec<Cell>],
    ncols: usize,
    prefix: usize,
    first_width: Option<usize>,
    fit: Fit,
) -> Last {
    let longest_last = rows
        .iter()
        .filter_map(|r| r.get(ncols - 1))
        .map(|c| text_width(&c.text))
        .max()
        .unwrap_or(0);
    match fit.width {
        None => Last::Inline(None),
        Some(w) if prefix + longest_last <= w => Last::Inline(None),
        Some(w) if fit.overflow == Overflow::Truncate => match w.checked_sub(prefix) {
            Some(room) if room >= MIN_TRUNCATE_WIDTH => Last::Truncate(room),
            _ => Last::Inline(None),
        },
        Some(w) if w.saturating_sub(prefix) >= MIN_WRAP_WIDTH => Last::Inline(Some(w - prefix)),
        Some(w) => {
            let indent = first_width
                .filter(|&i| w.saturating_sub(i) >= MIN_WRAP_WIDTH)
                .unwrap_or(0);
            Last::Below {
                indent,
                width: w.saturating_sub(indent).max(1),
                term: w,
            }
        }
    }
}

/// Where the last column starts: the width of every column before it.
pub(crate) fn last_column_offset(rows: &[Vec<Cell>]) -> usize {
    let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
    if ncols == 0 {
        return 0;
    }
    column_widths(&table(rows, ncols, false, |_| false), ncols)
        .iter()
        .sum()
}

/// Greedy word wrap to `width` display columns; a word longer than the width is split (node names
/// and image references have no spaces and can be long). For text outside tables (the lines under a
/// row, `--explain`), where comfy-table has no say.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_w = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word = word;
        loop {
            let sep = usize::from(line_w > 0);
            let word_w = text_width(word);
            if line_w + sep + word_w <= width {
                if sep == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                line_w += sep + word_w;
                break;
            }
            if line_w > 0 {
                lines.push(std::mem::take(&mut line));
                line_w = 0;
                continue;
            }
            // The word alone is too long: cut it at the width (at least one character per line).
            let (head, rest) = split_at_width(word, width);
            lines.push(head.to_string());
            word = rest;
        }
    }
    if line_w > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Splits `word` after as many characters as fit in `width` columns (at least one).
fn split_at_width(word: &str, width: usize) -> (&str, &str) {
    let mut used = 0;
    for (i, c) in word.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > width && i > 0 {
            return word.split_at(i);
        }
        used += w;
    }
    (word, "")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// What `kubectl get` prints for these cells: Go's text/tabwriter as cli-runtime's
    /// printers.GetNewTabWriter sets it up (minwidth 6, tabwidth 4, padding 3, padchar ' ', flags 0)
    /// over tab-terminated cells. A column is as wide as its widest cell plus the padding, never less
    /// than minwidth; every cell but the row's last is padded to it. Go counts runes, so the cells
    /// given here are ASCII.
    pub(crate) fn kubectl_tabwriter(rows: &[Vec<String>]) -> String {
        let ncols = rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![6; ncols];
        for row in rows {
            for (i, cell) in row.iter().enumerate().take(row.len() - 1) {
                assert!(cell.is_ascii(), "the reference counts runes: {cell:?}");
                widths[i] = widths[i].max(cell.len() + 3);
            }
        }
        let mut out = String::new();
        for row in rows {
            for (i, cell) in row.iter().enumerate() {
                if i + 1 < row.len() {
                    out.push_str(&format!("{cell:<w$}", w = widths[i]));
                } else {
                    out.push_str(cell);
                }
            }
            out.push('\n');
        }
        out
    }

    fn render(rows: &[Vec<Cell>], width: Option<usize>, overflow: Overflow) -> String {
        let mut out = Vec::new();
        write_columns(&mut out, rows, false, fit(width, true, overflow)).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn cells(rows: &[&[&str]]) -> Vec<Vec<Cell>> {
        rows.iter()
            .map(|r| r.iter().map(|&c| Cell::plain(c)).collect())
            .collect()
    }

    #[test]
    fn byte_identical_to_kubectl_get() {
        let cases: [(&str, &[&[&str]]); 4] = [
            (
                "kubectl get ds",
                &[
                    &[
                        "NAME",
                        "DESIRED",
                        "CURRENT",
                        "READY",
                        "UP-TO-DATE",
                        "AVAILABLE",
                        "NODE SELECTOR",
                        "AGE",
                    ],
                    &[
                        "kube-proxy",
                        "3",
                        "3",
                        "3",
                        "3",
                        "3",
                        "kubernetes.io/os=linux",
                        "12d",
                    ],
                    &["fluentd", "10", "8", "7", "8", "7", "<none>", "3h"],
                ],
            ),
            (
                "narrow columns are 6 wide",
                &[&["A", "B", "C"], &["x", "yy", "zzz"]],
            ),
            ("a cell exactly 3 wide", &[&["AGE", "X"], &["5d", "y"]]),
            ("one column", &[&["NAME"], &["a"], &["bbbbbbbbbb"]]),
        ];
        for (name, rows) in cases {
            let want = kubectl_tabwriter(
                &rows
                    .iter()
                    .map(|r| r.iter().map(|c| c.to_string()).collect())
                    .collect::<Vec<_>>(),
            );
            assert_eq!(render(&cells(rows), None, Overflow::Wrap), want, "{name}");
            // A terminal wide enough changes nothing.
            assert_eq!(
                render(&cells(rows), Some(200), Overflow::Wrap),
                want,
                "{name}"
            );
        }
    }

    /// Wide characters (CJK, emoji) take two terminal columns: alignment counts columns, not chars.
    #[test]
    fn wide_characters_keep_columns_aligned() {
        let rows = cells(&[
            &["NODE", "STATUS", "REASON"],
            &["节点-1", "Failing", "镜像拉取失败 🚫"],
            &["node-2", "Running", "ok"],
            &["🚀", "Running", "ok"],
        ]);
        let got = render(&rows, None, Overflow::Wrap);
        assert_eq!(
            got,
            "NODE     STATUS    REASON\n\
             节点-1   Failing   镜像拉取失败 🚫\n\
             node-2   Running   ok\n\
             🚀       Running   ok\n"
        );
        // Every STATUS cell starts at the same terminal column.
        let status_at: Vec<usize> = got
            .lines()
            .map(|l| text_width(&l[..l.find(['S', 'F', 'R']).unwrap()]))
            .collect();
        assert_eq!(status_at, vec![9; 4], "{got}");

        // Wrapping measures columns too: each wrapped line fits the terminal.
        let long = cells(&[&["NODE", "REASON"], &["节点-1", &"镜像拉取失败 ".repeat(8)]]);
        for line in render(&long, Some(40), Overflow::Wrap).lines() {
            assert!(text_width(line) <= 40, "{line:?} is wider than 40 columns");
        }
        for line in render(&long, Some(40), Overflow::Truncate).lines() {
            assert!(text_width(line) <= 40, "{line:?} is wider than 40 columns");
        }
        assert_eq!(wrap("镜像拉取 失败", 5), vec!["镜像", "拉取", "失败"]);
    }

    fn fit(width: Option<usize>, header_row: bool, overflow: Overflow) -> Fit {
        Fit {
            width,
            header_row,
            overflow,
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
