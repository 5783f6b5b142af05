//! `kubectl ds plan`: one block per planned DaemonSet, one row per node, then the summary line and
//! notes; or the PlanReport documents (`-o json|yaml`), a `kind: List` of them when there are several.

use std::io::{self, Write};

use serde::Serialize;

use super::style::{Paint, paint};
use super::{Cell, Fit, Format, Overflow, RenderOptions, structured, write_columns};
use crate::report::{Document, NodePlan, PlanReport, PlanStatus};

pub(super) fn status_paint(s: PlanStatus) -> Paint {
    match s {
        PlanStatus::Schedulable => Paint::Green,
        PlanStatus::Unschedulable => Paint::Yellow,
        PlanStatus::Refused => Paint::Red,
        PlanStatus::Ineligible => Paint::Dim,
    }
}

/// kubectl's `List` of several documents.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct List<'a> {
    api_version: &'static str,
    kind: &'static str,
    items: Vec<Document<'a, PlanReport>>,
}

pub(crate) fn render(
    reports: &[PlanReport],
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match (opts.format, reports) {
        (Format::Json, [one]) => structured::json(one, out),
        (Format::Yaml, [one]) => structured::yaml(one, out),
        (Format::Json | Format::Yaml, many) => {
            let list = List {
                api_version: "v1",
                kind: "List",
                items: many.iter().map(Document::new).collect(),
            };
            if opts.format == Format::Json {
                serde_json::to_writer_pretty(&mut *out, &list)?;
                writeln!(out)
            } else {
                let text = serde_saphyr::to_string(&list).map_err(io::Error::other)?;
                out.write_all(text.as_bytes())?;
                if !text.ends_with('\n') {
                    writeln!(out)?;
                }
                Ok(())
            }
        }
        (Format::Name, _) => {
            for r in reports {
                for n in &r.nodes {
                    writeln!(out, "node/{}", n.node)?;
                }
            }
            Ok(())
        }
        (Format::Table | Format::Wide, _) => {
            for (i, r) in reports.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                table(r, opts, out)?;
            }
            Ok(())
        }
    }
}

fn table(r: &PlanReport, opts: &RenderOptions, out: &mut dyn Write) -> io::Result<()> {
    let wide = opts.format == Format::Wide;
    if !opts.no_headers {
        let d = &r.daemonset;
        let state = match d.template_changed {
            None => "new".to_string(),
            Some(true) => format!("exists, template changed, {}", d.update_strategy),
            Some(false) => "exists, template unchanged".to_string(),
        };
        writeln!(out, "daemonset {}/{} ({state})", d.namespace, d.name)?;
    }
    let mut rows = Vec::with_capacity(r.nodes.len() + 1);
    if !opts.no_headers {
        let names: &[&str] = if wide {
            &["NODE", "STATUS", "CHANGE", "CAUSE", "REASON"]
        } else {
            &["NODE", "STATUS", "CHANGE", "REASON"]
        };
        rows.push(names.iter().map(|h| Cell::plain(*h)).collect());
    }
    rows.extend(r.nodes.iter().map(|n| row(n, wide)));
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
    writeln!(out, "{}", r.summary.text)?;
    for c in r.admission.iter().filter(|c| c.result == "Refused") {
        writeln!(
            out,
            "{} {} ({}): {}",
            c.plugin,
            paint("refuses", Paint::Red, opts.color),
            c.object,
            c.message
        )?;
    }
    for note in &r.notes {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
}

fn row(n: &NodePlan, wide: bool) -> Vec<Cell> {
    let mut row = vec![
        Cell::plain(n.node.as_str()),
        Cell::painted(n.status.word(), Some(status_paint(n.status))),
        Cell::plain(n.change.word()),
    ];
    if wide {
        row.push(Cell::plain(if n.cause.is_empty() {
            "<none>"
        } else {
            n.cause.as_str()
        }));
    }
    row.push(Cell::plain(n.reason.as_str()));
    row
}
