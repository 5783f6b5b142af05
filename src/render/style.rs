//! Colours and symbols: the one place that knows which status gets which colour and glyph.
//! Never decides *whether* to colour (the caller's `RenderOptions::color` does) and never looks at env or tty.

use owo_colors::OwoColorize;

use crate::report::NodeStatus;

/// The few styles the renderers use; kept abstract so layout code never handles escape codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paint {
    Green,
    Yellow,
    Red,
    Magenta,
    Dim,
}

/// Wraps `text` in the ANSI codes for `paint` when `color` is on; returns it untouched otherwise.
pub fn paint(text: &str, paint: Paint, color: bool) -> String {
    if !color || text.is_empty() {
        return text.to_string();
    }
    match paint {
        Paint::Green => text.green().to_string(),
        Paint::Yellow => text.yellow().to_string(),
        Paint::Red => text.red().to_string(),
        Paint::Magenta => text.magenta().to_string(),
        Paint::Dim => text.dimmed().to_string(),
    }
}

/// `paint` for a comfy-table cell. The same eight-colour palette entries as [`paint`] (comfy-table's
/// `Dark*` colours are the standard ANSI colours 1-7, its plain ones the bright variants).
pub fn table_style(cell: comfy_table::Cell, paint: Paint) -> comfy_table::Cell {
    use comfy_table::{Attribute, Color};
    match paint {
        Paint::Green => cell.fg(Color::DarkGreen),
        Paint::Yellow => cell.fg(Color::DarkYellow),
        Paint::Red => cell.fg(Color::DarkRed),
        Paint::Magenta => cell.fg(Color::DarkMagenta),
        Paint::Dim => cell.add_attribute(Attribute::Dim),
    }
}

/// Running reads as "fine", waiting states as "watch", broken states as "act", wrong-place as "odd",
/// and not-expected as background.
pub fn status_paint(status: NodeStatus) -> Paint {
    match status {
        NodeStatus::Running => Paint::Green,
        NodeStatus::Starting | NodeStatus::Pending => Paint::Yellow,
        NodeStatus::Failing | NodeStatus::Missing => Paint::Red,
        NodeStatus::Misscheduled => Paint::Magenta,
        NodeStatus::Ineligible => Paint::Dim,
    }
}

/// Grid glyph for a status. Unicode unless the caller asked for ASCII (`RenderOptions::ascii`):
/// colour and charset are independent choices (a UTF-8 terminal piped to a file still wants the
/// glyphs; a non-UTF-8 console wants ASCII even with colour), so the caller decides both.
pub fn symbol(status: NodeStatus, ascii: bool) -> &'static str {
    match (status, ascii) {
        (NodeStatus::Running, false) => "●",
        (NodeStatus::Starting, false) => "◐",
        (NodeStatus::Pending, false) => "○",
        (NodeStatus::Failing, false) => "✖",
        (NodeStatus::Missing, false) => "!",
        (NodeStatus::Ineligible, false) => "·",
        (NodeStatus::Misscheduled, false) => "▲",
        (NodeStatus::Running, true) => "R",
        (NodeStatus::Starting, true) => "S",
        (NodeStatus::Pending, true) => "P",
        (NodeStatus::Failing, true) => "F",
        (NodeStatus::Missing, true) => "M",
        (NodeStatus::Ineligible, true) => "-",
        (NodeStatus::Misscheduled, true) => "X",
    }
}

/// The status word, coloured when `color`.
pub fn status_word(status: NodeStatus, color: bool) -> String {
    paint(status.as_str(), status_paint(status), color)
}

/// `● Running  ◐ Starting  ...`: every glyph, in the fixed status order, so the line never changes shape.
pub fn legend(ascii: bool, color: bool) -> String {
    legend_entries(ascii, color)
        .into_iter()
        .map(|(text, _)| text)
        .collect::<Vec<_>>()
        .join("  ")
}

/// The legend's entries as (rendered text, display width), for callers that wrap it to a width.
pub fn legend_entries(ascii: bool, color: bool) -> Vec<(String, usize)> {
    NodeStatus::ALL
        .iter()
        .map(|&s| {
            let text = format!(
                "{} {}",
                paint(symbol(s, ascii), status_paint(s), color),
                s.as_str()
            );
            (text, 2 + s.as_str().len())
        })
        .collect()
}

/// Colour for a coverage percentage: complete is green, nothing at all (while something is expected) red.
pub fn coverage_paint(running: usize, eligible: usize) -> Option<Paint> {
    if eligible == 0 {
        None
    } else if running >= eligible {
        Some(Paint::Green)
    } else if running == 0 {
        Some(Paint::Red)
    } else {
        Some(Paint::Yellow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paint_only_when_color() {
        struct Case {
            name: &'static str,
            paint: Paint,
            color: bool,
            want: &'static str,
        }
        let cases = [
            Case {
                name: "green on",
                paint: Paint::Green,
                color: true,
                want: "\x1b[32mx\x1b[39m",
            },
            Case {
                name: "red on",
                paint: Paint::Red,
                color: true,
                want: "\x1b[31mx\x1b[39m",
            },
            Case {
                name: "dim on",
                paint: Paint::Dim,
                color: true,
                want: "\x1b[2mx\x1b[0m",
            },
            Case {
                name: "off is plain",
                paint: Paint::Magenta,
                color: false,
                want: "x",
            },
        ];
        for c in cases {
            assert_eq!(paint("x", c.paint, c.color), c.want, "{}", c.name);
        }
    }

    #[test]
    fn symbols_are_distinct_in_both_sets() {
        for ascii in [false, true] {
            let mut seen: Vec<&str> = NodeStatus::ALL.iter().map(|&s| symbol(s, ascii)).collect();
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), 7, "ascii={ascii}: symbols must be unique");
            for s in seen {
                assert_eq!(s.chars().count(), 1, "ascii={ascii}: {s} must be one char");
            }
        }
    }

    #[test]
    fn legend_text() {
        assert_eq!(
            legend(false, false),
            "● Running  ◐ Starting  ○ Pending  ✖ Failing  ! Missing  · Ineligible  ▲ Misscheduled"
        );
        assert_eq!(
            legend(true, false),
            "R Running  S Starting  P Pending  F Failing  M Missing  - Ineligible  X Misscheduled"
        );
        assert!(legend(false, true).contains("\x1b[32m●\x1b[39m Running"));
    }

    #[test]
    fn coverage_colours() {
        let cases = [
            ("complete", 3, 3, Some(Paint::Green)),
            ("partial", 2, 3, Some(Paint::Yellow)),
            ("none running", 0, 3, Some(Paint::Red)),
            ("nothing eligible", 0, 0, None),
        ];
        for (name, running, eligible, want) in cases {
            assert_eq!(coverage_paint(running, eligible), want, "{name}");
        }
    }
}
