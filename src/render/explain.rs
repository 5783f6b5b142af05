//! `why --explain` in the table: under a node's row, its advice (checks, the fix with its YAML,
//! alternatives, notes), indented. Layout only: the advice comes from `diagnose::explain`.
//! Identical advice is printed once: a row whose advice matches an earlier row's (up to its own
//! node and pod names) says so in one line, and a fix already shown is named, not repeated, so one
//! taint on 400 nodes gives one toleration snippet.

use std::collections::HashMap;
use std::io::{self, Write};

use crate::report::{Advice, Fix, NodeReport};

use super::grid::compact_pattern;
use super::style::{Paint, paint};
use super::{text_width, wrap};

/// Where the label (`check:`, `fix:` ...) starts, and where its text starts.
const LABEL_INDENT: usize = 4;
const TEXT_INDENT: usize = LABEL_INDENT + 7;
/// YAML sits two columns in from the text, so it reads as the fix's payload.
const YAML_INDENT: usize = TEXT_INDENT + 2;

/// Writes advice under rows, remembering what it already wrote.
pub(crate) struct AdviceWriter {
    color: bool,
    width: Option<usize>,
    /// Advice already written (names generalised), and the node it was written under with its
    /// advice as written.
    blocks: Vec<(Vec<Advice>, String, Vec<Advice>)>,
    /// Fixes already written, and the node they were written under.
    fixes: HashMap<Fix, String>,
    /// The last row's advice ended with its blank separator line.
    blank: bool,
}

impl AdviceWriter {
    pub(crate) fn new(color: bool, width: Option<usize>) -> Self {
        AdviceWriter {
            color,
            width,
            blocks: Vec::new(),
            fixes: HashMap::new(),
            blank: false,
        }
    }

    /// Whether the output so far ends with a blank line (so the caller need not add another).
    pub(crate) fn ends_with_blank_line(&self) -> bool {
        self.blank
    }

    /// The advice of one node, under its row.
    pub(crate) fn node(&mut self, out: &mut dyn Write, node: &NodeReport) -> io::Result<()> {
        self.blank = false;
        if node.advice.is_empty() {
            return Ok(());
        }
        let general = generalize(node);
        if let Some((_, first, written)) = self.blocks.iter().find(|(g, _, _)| *g == general) {
            let names = if *written == node.advice {
                ""
            } else {
                ", with this node's own names"
            };
            let line = format!("  same advice as for {first} above{names}");
            writeln!(out, "{}", sanitize(&line))?;
        } else {
            self.blocks
                .push((general, node.node.clone(), node.advice.clone()));
            for a in &node.advice {
                self.advice(out, &node.node, a)?;
            }
        }
        writeln!(out)?;
        self.blank = true;
        Ok(())
    }

    /// The advice of a row that stands for many nodes (large clusters): each distinct advice once,
    /// written for its first node, with the nodes it stands for.
    pub(crate) fn group(&mut self, out: &mut dyn Write, nodes: &[&NodeReport]) -> io::Result<()> {
        self.blank = false;
        let mut variants: Vec<(Vec<Advice>, Vec<&NodeReport>)> = Vec::new();
        for n in nodes.iter().copied().filter(|n| !n.advice.is_empty()) {
            let g = generalize(n);
            match variants.iter_mut().find(|(v, _)| *v == g) {
                Some((_, members)) => members.push(n),
                None => variants.push((g, vec![n])),
            }
        }
        for (_, members) in variants {
            let Some(first) = members.first() else {
                continue;
            };
            if members.len() > 1 {
                let names: Vec<&str> = members.iter().map(|n| n.node.as_str()).collect();
                let list = compact_pattern(&names).unwrap_or_else(|| {
                    let mut shown = names[..names.len().min(5)].join(", ");
                    if names.len() > 5 {
                        shown.push_str(", ...");
                    }
                    shown
                });
                let line = format!(
                    "  for {} and the {} other nodes alike ({list}), each with its own name:",
                    first.node,
                    members.len() - 1
                );
                writeln!(out, "{}", sanitize(&line))?;
            }
            self.node(out, first)?;
        }
        Ok(())
    }

    /// The rollout's advice, under the rollout lines above the table (fixes it shows are named, not
    /// repeated, under the nodes).
    pub(crate) fn rollout(&mut self, out: &mut dyn Write, advice: &[Advice]) -> io::Result<()> {
        for a in advice {
            self.advice(out, "the rollout", a)?;
        }
        Ok(())
    }

    fn advice(&mut self, out: &mut dyn Write, node: &str, a: &Advice) -> io::Result<()> {
        writeln!(out, "  - {}", sanitize(&a.about))?;
        for c in &a.checks {
            self.command(out, "check:", c)?;
        }
        if let Some(f) = &a.fix {
            self.fix(out, "fix:", node, f)?;
        }
        for f in &a.alternatives {
            self.fix(out, "or:", node, f)?;
        }
        for n in &a.notes {
            self.prose(out, "note:", n)?;
        }
        Ok(())
    }

    fn fix(&mut self, out: &mut dyn Write, label: &str, node: &str, f: &Fix) -> io::Result<()> {
        if let Some(first) = self.fixes.get(f) {
            let text = format!("same as for {first} above: {}", f.summary);
            return self.prose(out, label, &text);
        }
        self.fixes.insert(f.clone(), node.to_owned());
        self.prose(out, label, &f.summary)?;
        if let Some(yaml) = &f.yaml {
            let pad = " ".repeat(YAML_INDENT);
            if f.commands.iter().any(|c| c.contains("fix.yaml")) {
                writeln!(out, "{pad}# fix.yaml")?;
            }
            for line in yaml.lines() {
                writeln!(out, "{pad}{}", sanitize(line))?;
            }
        }
        for c in &f.commands {
            let line = paint(&sanitize(c), Paint::Dim, self.color);
            writeln!(out, "{}{line}", " ".repeat(TEXT_INDENT))?;
        }
        Ok(())
    }

    /// A command on one line, never wrapped: it is meant to be copied.
    fn command(&self, out: &mut dyn Write, label: &str, cmd: &str) -> io::Result<()> {
        let line = paint(&sanitize(cmd), Paint::Dim, self.color);
        writeln!(
            out,
            "{}{}{line}",
            " ".repeat(LABEL_INDENT),
            pad_label(label)
        )
    }

    /// Sentences, wrapped to the terminal under their label.
    fn prose(&self, out: &mut dyn Write, label: &str, text: &str) -> io::Result<()> {
        let text = sanitize(text);
        let lines = match self.width {
            Some(w) if w > TEXT_INDENT + 20 && TEXT_INDENT + text_width(&text) > w => {
                wrap(&text, w - TEXT_INDENT)
            }
            _ => vec![text],
        };
        for (i, line) in lines.iter().enumerate() {
            if i == 0 {
                writeln!(
                    out,
                    "{}{}{line}",
                    " ".repeat(LABEL_INDENT),
                    pad_label(label)
                )?;
            } else {
                writeln!(out, "{}{line}", " ".repeat(TEXT_INDENT))?;
            }
        }
        Ok(())
    }
}

fn pad_label(label: &str) -> String {
    format!("{label:<width$}", width = TEXT_INDENT - LABEL_INDENT)
}

/// Text from the cluster (event messages, names) must not drive the terminal: control characters
/// become spaces.
pub(crate) fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The node's advice with its own node and pod names replaced by placeholders, so advice that
/// differs only in those compares equal.
fn generalize(node: &NodeReport) -> Vec<Advice> {
    let mut names: Vec<(&str, &str)> = vec![(node.node.as_str(), "<node>")];
    for p in &node.pods {
        names.push((p.name.as_str(), "<pod>"));
    }
    // Longer names first, so a pod named after its node is replaced whole.
    names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    let g = |s: &str| {
        names.iter().fold(s.to_owned(), |acc, (name, with)| {
            replace_name(&acc, name, with)
        })
    };
    let fix = |f: &Fix| Fix {
        summary: g(&f.summary),
        yaml: f.yaml.as_deref().map(&g),
        commands: f.commands.iter().map(|c| g(c)).collect(),
    };
    node.advice
        .iter()
        .map(|a| Advice {
            about: g(&a.about),
            checks: a.checks.iter().map(|c| g(c)).collect(),
            fix: a.fix.as_ref().map(fix),
            alternatives: a.alternatives.iter().map(fix).collect(),
            notes: a.notes.iter().map(|n| g(n)).collect(),
        })
        .collect()
}

/// Replaces `name` where it stands as a whole name (not inside a longer one like `w-10` for `w-1`).
fn replace_name(text: &str, name: &str, with: &str) -> String {
    if name.is_empty() {
        return text.to_owned();
    }
    let part = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut prev: Option<char> = None;
    while let Some(i) = rest.find(name) {
        let before = rest[..i].chars().next_back().or(prev);
        let after_text = &rest[i + name.len()..];
        let mut after = after_text.chars();
        let whole_after = match after.next() {
            None => true,
            Some('.') => !after.next().is_some_and(|c| c.is_ascii_alphanumeric()),
            Some(c) => !part(c),
        };
        let whole_before = before.is_none_or(|c| !part(c) && c != '.');
        out.push_str(&rest[..i]);
        if whole_before && whole_after {
            out.push_str(with);
        } else {
            out.push_str(name);
        }
        prev = name.chars().next_back();
        rest = after_text;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::super::table::tests::{NodeBuild, node};
    use super::*;
    use crate::report::NodeStatus;

    fn fix(summary: &str, yaml: Option<&str>, commands: &[&str]) -> Fix {
        Fix {
            summary: summary.to_owned(),
            yaml: yaml.map(str::to_owned),
            commands: commands.iter().map(|c| c.to_string()).collect(),
        }
    }

    fn taint_advice(node: &str) -> Advice {
        Advice {
            about: "taint gpu=true:NoSchedule".to_owned(),
            checks: vec![format!(
                "kubectl get node {node} -o jsonpath='{{.spec.taints}}'"
            )],
            fix: Some(fix(
                "tolerate the taint",
                Some("spec:\n  tolerations:\n  - key: gpu\n"),
                &["kubectl patch daemonset ds -n default --patch-file fix.yaml"],
            )),
            alternatives: vec![fix(
                &format!("remove the taint from {node}"),
                None,
                &[&format!("kubectl taint nodes {node} gpu=true:NoSchedule-")],
            )],
            notes: vec!["a note".to_owned()],
        }
    }

    fn with_advice(mut n: NodeReport, advice: Vec<Advice>) -> NodeReport {
        n.advice = advice;
        n
    }

    fn write(nodes: &[NodeReport], color: bool, width: Option<usize>) -> String {
        let mut w = AdviceWriter::new(color, width);
        let mut out = Vec::new();
        for n in nodes {
            w.node(&mut out, n).unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn layout_of_one_advice() {
        let n = with_advice(
            node("gpu-1", NodeStatus::Ineligible, "taint"),
            vec![taint_advice("gpu-1")],
        );
        let want = "  - taint gpu=true:NoSchedule
    check: kubectl get node gpu-1 -o jsonpath='{.spec.taints}'
    fix:   tolerate the taint
             # fix.yaml
             spec:
               tolerations:
               - key: gpu
           kubectl patch daemonset ds -n default --patch-file fix.yaml
    or:    remove the taint from gpu-1
           kubectl taint nodes gpu-1 gpu=true:NoSchedule-
    note:  a note

";
        assert_eq!(write(&[n], false, None), want);
    }

    #[test]
    fn identical_advice_is_written_once() {
        struct Case {
            name: &'static str,
            nodes: Vec<NodeReport>,
            want_contains: Vec<&'static str>,
            want_count: Vec<(&'static str, usize)>,
        }
        let cases = vec![
            Case {
                name: "same advice up to the node's name collapses to one line",
                nodes: vec![
                    with_advice(
                        node("gpu-1", NodeStatus::Ineligible, ""),
                        vec![taint_advice("gpu-1")],
                    ),
                    with_advice(
                        node("gpu-2", NodeStatus::Ineligible, ""),
                        vec![taint_advice("gpu-2")],
                    ),
                ],
                want_contains: vec![
                    "  same advice as for gpu-1 above, with this node's own names\n",
                ],
                want_count: vec![("tolerations:", 1), ("kubectl taint nodes", 1)],
            },
            Case {
                name: "a shared fix is named, not repeated, when the rest differs",
                nodes: vec![
                    with_advice(
                        node("gpu-1", NodeStatus::Ineligible, ""),
                        vec![taint_advice("gpu-1")],
                    ),
                    with_advice(node("gpu-2", NodeStatus::Ineligible, ""), {
                        let mut a = taint_advice("gpu-2");
                        a.notes = vec!["another note".to_owned()];
                        vec![a]
                    }),
                ],
                want_contains: vec!["    fix:   same as for gpu-1 above: tolerate the taint\n"],
                want_count: vec![("tolerations:", 1), ("kubectl taint nodes", 2)],
            },
            Case {
                name: "a longer name containing the node's is not a match",
                nodes: vec![
                    with_advice(
                        node("w-1", NodeStatus::Ineligible, ""),
                        vec![taint_advice("w-1")],
                    ),
                    with_advice(node("w-10", NodeStatus::Ineligible, ""), {
                        let mut a = taint_advice("w-10");
                        a.notes = vec!["w-1 differs".to_owned()];
                        vec![a]
                    }),
                ],
                want_contains: vec!["kubectl taint nodes w-10 gpu=true:NoSchedule-"],
                want_count: vec![("same advice", 0)],
            },
        ];
        for c in cases {
            let got = write(&c.nodes, false, None);
            for w in &c.want_contains {
                assert!(got.contains(w), "{}: missing {w:?} in\n{got}", c.name);
            }
            for (w, n) in &c.want_count {
                assert_eq!(
                    got.matches(w).count(),
                    *n,
                    "{}: count of {w:?} in\n{got}",
                    c.name
                );
            }
        }
    }

    #[test]
    fn group_writes_each_variant_once() {
        let nodes: Vec<NodeReport> = (1..=3)
            .map(|i| {
                let name = format!("gpu-{i:02}");
                let a = taint_advice(&name);
                with_advice(node(&name, NodeStatus::Ineligible, ""), vec![a])
            })
            .collect();
        let refs: Vec<&NodeReport> = nodes.iter().collect();
        let mut w = AdviceWriter::new(false, None);
        let mut out = Vec::new();
        w.group(&mut out, &refs).unwrap();
        let got = String::from_utf8(out).unwrap();
        assert!(
            got.starts_with(
                "  for gpu-01 and the 2 other nodes alike (gpu-[01-03]), each with its own name:\n  - taint"
            ),
            "{got}"
        );
        assert_eq!(got.matches("tolerations:").count(), 1, "{got}");
    }

    #[test]
    fn large_cluster_rows_carry_their_nodes_advice_once() {
        use super::super::table::tests::{ds_report, opts};
        let mut nodes = vec![with_advice(
            node("w-007", NodeStatus::Failing, "CrashLoopBackOff").with_pod("p7"),
            vec![Advice {
                about: "CrashLoopBackOff (container agent)".to_owned(),
                checks: vec!["kubectl logs p7 -n default -c agent --previous".to_owned()],
                fix: None,
                alternatives: Vec::new(),
                notes: Vec::new(),
            }],
        )];
        for i in 1..=44 {
            let name = format!("gpu-{i:02}");
            nodes.push(
                with_advice(
                    node(
                        &name,
                        NodeStatus::Ineligible,
                        "untolerated taint gpu=true:NoSchedule",
                    ),
                    vec![taint_advice(&name)],
                )
                .with_cause("taint gpu=true:NoSchedule"),
            );
        }
        let mut out = Vec::new();
        crate::render::why(&ds_report(nodes), &opts(), &mut out).unwrap();
        let got = String::from_utf8(out).unwrap();
        let want_start = "\
NODE              STATUS       REASON
w-007             Failing      CrashLoopBackOff
  - CrashLoopBackOff (container agent)
    check: kubectl logs p7 -n default -c agent --previous

gpu-[01-44] ×44   Ineligible   untolerated taint gpu=true:NoSchedule
  for gpu-01 and the 43 other nodes alike (gpu-[01-44]), each with its own name:
  - taint gpu=true:NoSchedule
    check: kubectl get node gpu-01 -o jsonpath='{.spec.taints}'
";
        assert!(got.starts_with(want_start), "{got}");
        assert_eq!(got.matches("tolerations:").count(), 1, "{got}");
        assert!(
            got.ends_with("    note:  a note\n\n45 nodes: 1 failing, 44 ineligible\n(use --show-all to list every node)\n"),
            "{got}"
        );
    }

    #[test]
    fn commands_are_dim_and_never_wrapped_prose_wraps() {
        let mut a = taint_advice("gpu-1");
        a.notes = vec!["word ".repeat(30).trim().to_owned()];
        let n = with_advice(node("gpu-1", NodeStatus::Ineligible, ""), vec![a]).with_pod("p");
        let got = write(&[n], true, Some(50));
        assert!(
            got.contains(
                "    check: \x1b[2mkubectl get node gpu-1 -o jsonpath='{.spec.taints}'\x1b[0m\n"
            ),
            "{got}"
        );
        let note_lines: Vec<&str> = got
            .lines()
            .skip_while(|l| !l.starts_with("    note:"))
            .take_while(|l| !l.is_empty())
            .collect();
        assert!(note_lines.len() > 1, "the note wraps: {got}");
        assert!(
            note_lines.iter().all(|l| text_width(l) <= 50),
            "wrapped within the width: {got}"
        );
        assert!(
            note_lines[1..]
                .iter()
                .all(|l| l.starts_with(&" ".repeat(TEXT_INDENT))),
            "continuation under the text: {got}"
        );
    }

    #[test]
    fn cluster_text_cannot_drive_the_terminal() {
        let mut a = taint_advice("n");
        a.notes = vec!["evil \x1b[31mred\nline".to_owned()];
        let got = write(
            &[with_advice(node("n", NodeStatus::Ineligible, ""), vec![a])],
            false,
            None,
        );
        assert!(got.contains("    note:  evil  [31mred line\n"), "{got}");
    }

    #[test]
    fn replace_name_cases() {
        let cases = [
            ("whole word", "node w-1 is", "w-1", "node <n> is"),
            (
                "at the end",
                "kubectl get node w-1",
                "w-1",
                "kubectl get node <n>",
            ),
            ("inside a longer name", "node w-10", "w-1", "node w-10"),
            ("after =", "spec.nodeName=w-1", "w-1", "spec.nodeName=<n>"),
            ("before a full stop", "on w-1.", "w-1", "on <n>."),
            (
                "inside a domain",
                "w-1.example.com",
                "w-1",
                "w-1.example.com",
            ),
            ("twice", "w-1 and w-1", "w-1", "<n> and <n>"),
            ("prefix of a name", "xw-1", "w-1", "xw-1"),
        ];
        for (name, text, node, want) in cases {
            assert_eq!(replace_name(text, node, "<n>"), want, "{name}");
        }
    }
}
