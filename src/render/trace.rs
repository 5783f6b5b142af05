//! `why NAME --node NODE` as a table: one row per check (STAGE / CHECK / RESULT / EVIDENCE), then the
//! verdict `why` gives the node. Layout only; the checks come finished from the engine.

use std::io::{self, Write};

use super::style::{self, Paint, status_paint};
use super::{Cell, Fit, Overflow, RenderOptions, write_columns};
use crate::report::{CheckResult, NodeTrace, Stage, TraceStatus};

fn stage_word(s: Stage) -> &'static str {
    match s {
        Stage::Controller => "Controller",
        Stage::Scheduler => "Scheduler",
        Stage::Pod => "Pod",
        Stage::Revision => "Revision",
        Stage::Admission => "Admission",
        Stage::Plan => "Plan",
    }
}

fn status_word(s: TraceStatus) -> &'static str {
    match s {
        TraceStatus::Node(s) => s.as_str(),
        TraceStatus::Plan(s) => s.word(),
    }
}

fn trace_paint(s: TraceStatus) -> Paint {
    match s {
        TraceStatus::Node(s) => status_paint(s),
        TraceStatus::Plan(s) => super::plan::status_paint(s),
    }
}

fn result_cell(r: CheckResult) -> Cell {
    let (word, paint) = match r {
        CheckResult::Pass => ("Pass", Some(Paint::Green)),
        CheckResult::Fail => ("Fail", Some(Paint::Red)),
        CheckResult::Skip => ("Skip", Some(Paint::Dim)),
        CheckResult::Info => ("Info", None),
    };
    Cell::painted(word, paint)
}

pub(crate) fn render(
    trace: &NodeTrace,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut rows = Vec::with_capacity(trace.checks.len() + 1);
    if !opts.no_headers {
        rows.push(
            ["STAGE", "CHECK", "RESULT", "EVIDENCE"]
                .iter()
                .map(|&h| Cell::plain(h))
                .collect(),
        );
    }
    rows.extend(trace.checks.iter().map(|c| {
        vec![
            Cell::plain(stage_word(c.stage)),
            // A requirement sits under its nodeAffinity term.
            Cell::plain(if c.name.starts_with("term[") {
                format!("  {}", c.name)
            } else {
                c.name.clone()
            }),
            result_cell(c.result),
            Cell::plain(c.evidence.as_str()),
        ]
    }));
    write_columns(
        out,
        &rows,
        opts.color,
        Fit {
            width: opts.width,
            header_row: !opts.no_headers,
            overflow: Overflow::Wrap,
        },
    )?;
    if opts.no_headers {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "daemonset {}/{} on node {}: {}: {}",
        trace.namespace,
        trace.name,
        trace.node,
        style::paint(
            status_word(trace.verdict.status),
            trace_paint(trace.verdict.status),
            opts.color
        ),
        trace.verdict.reason
    )?;
    writeln!(out, "scheduler checks judged: {}", trace.judged)
}
