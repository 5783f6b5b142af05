//! Reads the words typed after `kubectl ds` the way clap will parse them (subcommand, flags and
//! their values, short clusters, `--`) and says what the word being typed is. Reads the CLI
//! definition only; looks nothing up.

use std::collections::BTreeMap;

use clap::{Arg, ArgAction, Command, CommandFactory};

use super::Candidate;
use crate::cli::Args;

/// What the word being typed is, and what was typed before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub want: Want,
    /// The part of the current word that candidates must start with.
    pub typed: String,
    /// Already-typed text each candidate is prefixed with (earlier items of a comma-separated list).
    pub keep: String,
    /// Values of the flags given so far, by clap argument id (`namespace`, `context`, ...).
    pub flags: BTreeMap<String, Vec<String>>,
}

impl Plan {
    pub(super) fn flag(&self, id: &str) -> Option<&str> {
        self.flags
            .get(id)
            .and_then(|v| v.last())
            .map(String::as_str)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Want {
    /// Known in advance: subcommands, flag names, enumerated flag values.
    Fixed(Vec<Candidate>),
    /// DaemonSet names in the chosen namespace.
    DaemonSets,
    Namespaces,
    /// Node names (`why --node`).
    Nodes,
    /// kubeconfig context names.
    Contexts,
    /// A path: let the shell complete file names.
    Files,
    Nothing,
}

/// Reads the typed words the way clap will parse them, without touching anything outside.
pub fn plan(words: &[String]) -> Plan {
    let root = command();
    let (current, before) = match words.split_last() {
        Some((last, rest)) => (last.as_str(), rest),
        None => ("", &[][..]),
    };
    let mut sub: Option<&Command> = None;
    let mut positionals = 0usize;
    let mut flags: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut pending: Option<Arg> = None;
    let mut only_positionals = false;
    for word in before {
        let cmd = sub.unwrap_or(&root);
        if let Some(arg) = pending.take() {
            flags
                .entry(arg.get_id().to_string())
                .or_default()
                .push(word.clone());
            continue;
        }
        if only_positionals || word == "-" || !word.starts_with('-') {
            if sub.is_none()
                && positionals == 0
                && let Some(s) = root.find_subcommand(word)
            {
                sub = Some(s);
            } else {
                positionals += 1;
            }
            continue;
        }
        if word == "--" {
            only_positionals = true;
            continue;
        }
        if let Some(long) = word.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            };
            let Some(arg) = find_long(cmd, name) else {
                continue;
            };
            let entry = flags.entry(arg.get_id().to_string()).or_default();
            match inline {
                Some(v) => entry.push(v.to_string()),
                None if takes_value(arg) => pending = Some(arg.clone()),
                None => entry.push(String::new()),
            }
            continue;
        }
        // A cluster of short flags (`-Ao`), the last of which may take the rest of the word or the next.
        let shorts: Vec<char> = word.chars().skip(1).collect();
        for (i, c) in shorts.iter().enumerate() {
            let Some(arg) = find_short(cmd, *c) else {
                break;
            };
            let entry = flags.entry(arg.get_id().to_string()).or_default();
            if takes_value(arg) {
                let rest: String = shorts[i + 1..].iter().collect();
                let rest = rest.strip_prefix('=').unwrap_or(&rest).to_string();
                if rest.is_empty() {
                    pending = Some(arg.clone());
                } else {
                    entry.push(rest);
                }
                break;
            }
            entry.push(String::new());
        }
    }
    let cmd = sub.unwrap_or(&root);
    let mut plan = Plan {
        want: Want::Nothing,
        typed: current.to_string(),
        keep: String::new(),
        flags,
    };

    // The value of a flag: after `-n `, or typed as `--namespace=` / `-n=` in the same word.
    let inline = (!only_positionals && current.starts_with('-'))
        .then(|| current.split_once('='))
        .flatten()
        .and_then(|(name, value)| {
            let arg = match name.strip_prefix("--") {
                Some(long) => find_long(cmd, long),
                None => name.chars().last().and_then(|c| find_short(cmd, c)),
            }?;
            Some((arg.clone(), value.to_string()))
        });
    let value_of = pending.map(|a| (a, current.to_string())).or(inline);
    if let Some((arg, value)) = value_of {
        plan.typed = value;
        plan.want = flag_values(&arg, &mut plan);
        return plan;
    }

    if !only_positionals && current.starts_with('-') {
        plan.want = Want::Fixed(flag_names(cmd, &plan.flags));
        return plan;
    }

    plan.want = match sub {
        None if positionals == 0 => Want::Fixed(
            root.get_subcommands()
                .filter(|s| !s.is_hide_set())
                .map(|s| Candidate {
                    value: s.get_name().to_string(),
                    description: s.get_about().map(|a| a.to_string()),
                })
                .collect(),
        ),
        None => Want::Nothing,
        Some(s) => match s.get_positionals().nth(positionals) {
            Some(arg) if s.get_name() == "why" && arg.get_id() == "name" => Want::DaemonSets,
            Some(arg) if s.get_name() == "plan" && arg.get_id() == "manifest" => Want::Files,
            Some(arg) => possible_values(arg).map_or(Want::Nothing, Want::Fixed),
            None => Want::Nothing,
        },
    };
    plan
}

/// What a flag's value can be: its enumerated values (the part after the last comma for lists),
/// or names looked up elsewhere.
fn flag_values(arg: &Arg, plan: &mut Plan) -> Want {
    if let Some(values) = possible_values(arg) {
        if arg.get_value_delimiter() == Some(',')
            && let Some((done, rest)) = plan.typed.rsplit_once(',')
        {
            plan.keep = format!("{done},");
            plan.typed = rest.to_string();
        }
        return Want::Fixed(values);
    }
    match arg.get_id().as_str() {
        "namespace" => Want::Namespaces,
        "node" => Want::Nodes,
        "context" => Want::Contexts,
        "kubeconfig" | "from_file" => Want::Files,
        _ => Want::Nothing,
    }
}

fn possible_values(arg: &Arg) -> Option<Vec<Candidate>> {
    let values: Vec<Candidate> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| Candidate {
            value: v.get_name().to_string(),
            description: v.get_help().map(|h| h.to_string()),
        })
        .collect();
    (!values.is_empty()).then_some(values)
}

/// `--long` and `-s` for every visible flag of `cmd`, leaving out those already given once unless they
/// may be repeated (as cobra does).
fn flag_names(cmd: &Command, given: &BTreeMap<String, Vec<String>>) -> Vec<Candidate> {
    let mut out = Vec::new();
    for arg in cmd.get_arguments() {
        if arg.is_positional() || arg.is_hide_set() {
            continue;
        }
        if given.contains_key(arg.get_id().as_str())
            && !matches!(arg.get_action(), ArgAction::Append | ArgAction::Count)
        {
            continue;
        }
        let description = arg.get_help().map(|h| h.to_string());
        if let Some(long) = arg.get_long() {
            out.push(Candidate {
                value: format!("--{long}"),
                description: description.clone(),
            });
        }
        if let Some(short) = arg.get_short() {
            out.push(Candidate {
                value: format!("-{short}"),
                description,
            });
        }
    }
    out.sort_by(|a, b| a.value.cmp(&b.value));
    out
}

fn command() -> Command {
    let mut cmd = Args::command();
    // Building propagates the global flags, --help and --version into every subcommand.
    cmd.build();
    cmd
}

fn find_long<'a>(cmd: &'a Command, name: &str) -> Option<&'a Arg> {
    cmd.get_arguments().find(|a| {
        a.get_long_and_visible_aliases()
            .is_some_and(|names| names.contains(&name))
    })
}

fn find_short(cmd: &Command, c: char) -> Option<&Arg> {
    cmd.get_arguments().find(|a| {
        a.get_short_and_visible_aliases()
            .is_some_and(|shorts| shorts.contains(&c))
    })
}

fn takes_value(arg: &Arg) -> bool {
    arg.get_action().takes_values()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::words;
    use super::*;

    fn values(want: &Want) -> Vec<String> {
        match want {
            Want::Fixed(c) => c.iter().map(|c| c.value.clone()).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn plan_reads_the_typed_words() {
        let cases: &[(&str, &[&str], Want, &str)] = &[
            ("nothing typed: subcommands", &[""], Want::Fixed(vec![]), ""),
            ("no words at all: subcommands", &[], Want::Fixed(vec![]), ""),
            ("partial subcommand", &["wh"], Want::Fixed(vec![]), "wh"),
            (
                "first argument of why: DaemonSets",
                &["why", ""],
                Want::DaemonSets,
                "",
            ),
            (
                "why after global flags before it",
                &["-n", "kube-system", "why", "ku"],
                Want::DaemonSets,
                "ku",
            ),
            (
                "why with flags between",
                &["why", "-o", "wide", "--exit-code", "no"],
                Want::DaemonSets,
                "no",
            ),
            (
                "second argument of why: nothing",
                &["why", "fluentd", ""],
                Want::Nothing,
                "",
            ),
            (
                "argument of plan: a file path",
                &["plan", "agent"],
                Want::Files,
                "agent",
            ),
            (
                "coverage takes no argument",
                &["coverage", ""],
                Want::Nothing,
                "",
            ),
            (
                "value of -n: namespaces",
                &["why", "-n", "mon"],
                Want::Namespaces,
                "mon",
            ),
            (
                "value of --namespace=",
                &["why", "--namespace=mon"],
                Want::Namespaces,
                "mon",
            ),
            (
                "value of --node: nodes",
                &["why", "fluentd", "--node", "gp"],
                Want::Nodes,
                "gp",
            ),
            (
                "value of plan --node: nodes",
                &["plan", "agent.yaml", "--node", "gp"],
                Want::Nodes,
                "gp",
            ),
            (
                "value of -n= in one word",
                &["why", "-n=mon"],
                Want::Namespaces,
                "mon",
            ),
            (
                "value of --context",
                &["coverage", "--context", ""],
                Want::Contexts,
                "",
            ),
            (
                "value of -f: files",
                &["why", "x", "-f", "clu"],
                Want::Files,
                "clu",
            ),
            (
                "value of --kubeconfig: files",
                &["--kubeconfig", ""],
                Want::Files,
                "",
            ),
            (
                "value of --as: nothing to offer",
                &["why", "--as", ""],
                Want::Nothing,
                "",
            ),
            (
                "value of -l: nothing to offer",
                &["coverage", "-l", "app="],
                Want::Nothing,
                "app=",
            ),
            (
                "short cluster ending in a value flag",
                &["coverage", "-An", ""],
                Want::Namespaces,
                "",
            ),
            (
                "after -- everything is an argument",
                &["why", "--", "-n"],
                Want::DaemonSets,
                "-n",
            ),
        ];
        for (name, typed, want, prefix) in cases {
            let p = plan(&words(typed));
            match want {
                Want::Fixed(_) => assert!(matches!(p.want, Want::Fixed(_)), "{name}: {p:?}"),
                w => assert_eq!(&p.want, w, "{name}"),
            }
            assert_eq!(p.typed, *prefix, "{name}");
        }
    }

    #[test]
    fn fixed_candidates_come_from_the_cli_definition() {
        // (name, typed words, candidates that must be offered, candidates that must not)
        type Case<'a> = (&'a str, &'a [&'a str], &'a [&'a str], &'a [&'a str]);
        let cases: &[Case] = &[
            (
                "subcommands, hidden __complete left out",
                &[""],
                &["why", "coverage", "completion"],
                &["__complete"],
            ),
            (
                "output formats",
                &["why", "x", "-o", ""],
                &["table", "wide", "json", "yaml", "name"],
                &[],
            ),
            (
                "colour values",
                &["why", "x", "--color", ""],
                &["auto", "always", "never"],
                &[],
            ),
            (
                "shells",
                &["completion", ""],
                &["bash", "zsh", "fish", "powershell"],
                &[],
            ),
            (
                "flags of why: global and its own",
                &["why", "-"],
                &["--namespace", "-n", "--status", "--show-all", "--help"],
                &["--all-namespaces", "--nodes"],
            ),
            (
                "flags of coverage",
                &["coverage", "--"],
                &["--all-namespaces", "-A", "--nodes", "--selector"],
                &["--status"],
            ),
            (
                "a flag given once is not offered again",
                &["why", "x", "-n", "a", "-"],
                &["--context"],
                &["--namespace", "-n"],
            ),
            (
                "a repeatable flag is offered again",
                &["why", "x", "--as-group", "a", "--"],
                &["--as-group"],
                &[],
            ),
        ];
        for (name, typed, present, absent) in cases {
            let got = values(&plan(&words(typed)).want);
            for p in *present {
                assert!(
                    got.contains(&p.to_string()),
                    "{name}: {p} missing in {got:?}"
                );
            }
            for a in *absent {
                assert!(
                    !got.contains(&a.to_string()),
                    "{name}: {a} must not be in {got:?}"
                );
            }
        }
    }

    #[test]
    fn flag_values_seen_so_far_are_kept() {
        let p = plan(&words(&[
            "--context=prod",
            "why",
            "-nkube-system",
            "--as",
            "jane",
            "--as-group",
            "a",
            "--as-group=b",
            "-f",
            "dump.yaml",
            "",
        ]));
        assert_eq!(p.flag("context"), Some("prod"));
        assert_eq!(p.flag("namespace"), Some("kube-system"));
        assert_eq!(p.flag("as_user"), Some("jane"));
        assert_eq!(p.flags["as_group"], vec!["a", "b"]);
        assert_eq!(p.flag("from_file"), Some("dump.yaml"));
        assert_eq!(p.want, Want::DaemonSets);
    }
}
