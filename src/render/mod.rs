//! Renderers: turn a finished report into text on a writer (table, wide, json, yaml, name).
//! Owns layout only: never judges nodes, never reads env/tty/clock (colour, width and `now` come in
//! `RenderOptions`), never prints (everything goes to the `out` writer).

pub mod changes;
mod columns;
pub mod coverage;
pub mod explain;
pub mod grid;
pub mod plan;
pub mod structured;
pub mod style;
pub mod table;
mod trace;

pub use grid::compact_range;

use std::io::{self, Write};

use jiff::{SignedDuration, Timestamp};

use crate::report::{CoverageReport, DaemonSetReport, NodeTrace};

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

/// `kubectl ds why <ds> --node <node>`: one row per check.
pub fn node_trace(trace: &NodeTrace, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    buffered(out, |out| match opts.format {
        Format::Table | Format::Wide => trace::render(trace, opts, out),
        Format::Json => structured::json(trace, out),
        Format::Yaml => structured::yaml(trace, out),
        Format::Name => writeln!(out, "node/{}", trace.node),
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

/// `kubectl ds plan`: one block (or document) per planned DaemonSet.
pub fn plan(
    reports: &[crate::report::PlanReport],
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    buffered(out, |out| plan::render(reports, opts, out))
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

pub(crate) use columns::{
    COLUMN_PADDING, Cell, Fit, MIN_COLUMN_WIDTH, Overflow, clamp_u16, last_column_offset,
    text_width, wrap, write_columns, write_columns_then,
};

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
}
