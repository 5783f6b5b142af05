//! Shell completion: the static scripts clap writes (`kubectl-ds completion SHELL`), and dynamic completion
//! (`kubectl-ds __complete -- WORD...`) answering kubectl's plugin completion protocol, which kubectl >= 1.26
//! runs through an executable named `kubectl_complete-ds` on PATH.
//! Read-only (metadata LISTs, kubeconfig reads). It never prints an error: whatever fails yields no
//! candidates, and stderr is left untouched.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Arg, ArgAction, Command, CommandFactory};
use clap_complete::Shell;

use crate::cli::{Args, parse_duration};
use crate::source::file;
use crate::source::live::{KubeconfigEnv, Live, LiveOptions};

// Mirrors github.com/spf13/cobra/completions.go (ShellCompDirective): a bit set printed as `:<n>` after the
// candidates. kubectl reads it back in staging/src/k8s.io/kubectl/pkg/cmd/plugin/plugin_completion.go
// (getPluginCompletions) and hands it to its own shell scripts.
/// Let the shell do its default (file) completion when nothing else matches.
pub const DIRECTIVE_DEFAULT: u32 = 0;
/// Never fall back to file names: the word is not a path.
pub const DIRECTIVE_NO_FILE_COMP: u32 = 4;

/// How long a lookup against the cluster may take when `--request-timeout` is not given: a TAB that hangs
/// is worse than a TAB that offers nothing.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(5);

/// Writes the completion script clap generates for `shell`, for the binary name `kubectl-ds`.
pub fn write_script(shell: Shell, out: &mut dyn Write) -> io::Result<()> {
    // Generated into memory first: clap_complete panics on a failed write (e.g. a closed pipe).
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut visible(Args::command()), "kubectl-ds", &mut buf);
    out.write_all(&buf)
}

/// The command without its hidden subcommands (`__complete`), which clap_complete would otherwise offer.
/// Only what completion scripts read is carried over: name, abouts, version, arguments, subcommands.
fn visible(full: Command) -> Command {
    // Literals: without clap's `string` feature a name must be 'static; both match the derive's.
    let mut cmd = Command::new("kubectl-ds")
        .propagate_version(full.is_propagate_version_set())
        .args(full.get_arguments().cloned())
        .subcommands(full.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    if full.get_version().is_some() {
        cmd = cmd.version(env!("CARGO_PKG_VERSION"));
    }
    if let Some(about) = full.get_about() {
        cmd = cmd.about(about.clone());
    }
    if let Some(long) = full.get_long_about() {
        cmd = cmd.long_about(long.clone());
    }
    cmd
}

/// One answer: candidates (each `value` or `value<TAB>description`) and the directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub candidates: Vec<Candidate>,
    pub directive: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub description: Option<String>,
}

impl Completion {
    /// The protocol's text: one candidate per line, then `:<directive>`.
    pub fn to_protocol(&self) -> String {
        let mut s = String::new();
        for c in &self.candidates {
            s.push_str(&one_line(&c.value));
            if let Some(d) = c
                .description
                .as_deref()
                .map(one_line)
                .filter(|d| !d.is_empty())
            {
                s.push('\t');
                s.push_str(&d);
            }
            s.push('\n');
        }
        s.push_str(&format!(":{}\n", self.directive));
        s
    }
}

/// Answers one completion request for the words typed after `kubectl ds` (the last one is being typed,
/// possibly empty) and writes it in the protocol's format.
pub async fn run(words: &[String], out: &mut dyn Write) -> io::Result<()> {
    let completion = complete(words, &KubeconfigEnv::from_process()).await;
    out.write_all(completion.to_protocol().as_bytes())
}

/// Decides the candidates for `words`, looking names up in the cluster, a dump file or the kubeconfig.
pub async fn complete(words: &[String], env: &KubeconfigEnv) -> Completion {
    let plan = plan(words);
    let values: Vec<Candidate> = match &plan.want {
        Want::Nothing => Vec::new(),
        Want::Files => {
            return Completion {
                candidates: Vec::new(),
                directive: DIRECTIVE_DEFAULT,
            };
        }
        Want::Fixed(c) => c.clone(),
        Want::Contexts => contexts(plan.flag("kubeconfig").map(Path::new), env),
        Want::DaemonSets | Want::Namespaces => lookup(&plan).await.unwrap_or_default(),
    };
    Completion {
        candidates: values
            .into_iter()
            .filter(|c| c.value.starts_with(&plan.typed))
            .map(|c| Candidate {
                value: format!("{}{}", plan.keep, c.value),
                ..c
            })
            .collect(),
        directive: DIRECTIVE_NO_FILE_COMP,
    }
}

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
    fn flag(&self, id: &str) -> Option<&str> {
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

/// Names from the dump given with -f, or from the cluster; None when they cannot be had in time.
async fn lookup(plan: &Plan) -> Option<Vec<Candidate>> {
    let names = if let Some(path) = plan.flag("from_file") {
        from_file(plan, Path::new(path))?
    } else {
        let timeout = match plan.flag("request_timeout") {
            Some(t) => parse_duration(t).ok()?,
            None => Some(LOOKUP_TIMEOUT),
        };
        let fetch = from_cluster(plan, timeout);
        match timeout {
            // Also bounds what no single request covers: exec credential plugins, connecting.
            Some(t) => tokio::time::timeout(t, fetch).await.ok()??,
            None => fetch.await?,
        }
    };
    Some(
        names
            .into_iter()
            .map(|value| Candidate {
                value,
                description: None,
            })
            .collect(),
    )
}

async fn from_cluster(plan: &Plan, request_timeout: Option<Duration>) -> Option<Vec<String>> {
    let opts = LiveOptions {
        kubeconfig: plan.flag("kubeconfig").map(PathBuf::from),
        context: plan.flag("context").map(str::to_string),
        request_timeout,
        impersonate_user: plan.flag("as_user").map(str::to_string),
        impersonate_groups: plan.flags.get("as_group").cloned().unwrap_or_default(),
    };
    let live = Live::connect(&opts).await.ok()?;
    match plan.want {
        Want::Namespaces => live.namespace_names().await.ok(),
        _ => {
            let namespace = plan
                .flag("namespace")
                .map_or_else(|| live.default_namespace.clone(), str::to_string);
            live.daemonset_names_in(&namespace).await.ok()
        }
    }
}

/// Names from a dump: `-f -` is never read, since stdin is the user's terminal during completion.
fn from_file(plan: &Plan, path: &Path) -> Option<Vec<String>> {
    if path.as_os_str() == "-" {
        return None;
    }
    let snapshot = file::load(path, &mut io::empty()).ok()?;
    let names: BTreeSet<String> = match plan.want {
        Want::Namespaces => snapshot
            .daemonsets
            .iter()
            .filter_map(|d| d.metadata.namespace.clone())
            .collect(),
        _ => {
            // As `why -f` does: without -n, a dump's DaemonSet is looked for in `default`.
            let namespace = plan.flag("namespace").unwrap_or("default");
            snapshot
                .daemonsets
                .iter()
                .filter(|d| d.metadata.namespace.as_deref() == Some(namespace))
                .filter_map(|d| d.metadata.name.clone())
                .collect()
        }
    };
    Some(names.into_iter().collect())
}

/// Context names from the kubeconfig kubectl would read (--kubeconfig, else every KUBECONFIG file, else
/// ~/.kube/config), without contacting any cluster. Unreadable files are skipped.
pub fn contexts(kubeconfig: Option<&Path>, env: &KubeconfigEnv) -> Vec<Candidate> {
    let files: Vec<PathBuf> = match (
        kubeconfig,
        env.kubeconfig.as_ref().filter(|v| !v.is_empty()),
    ) {
        (Some(path), _) => vec![path.to_path_buf()],
        (None, Some(list)) => std::env::split_paths(list)
            .filter(|p| !p.as_os_str().is_empty())
            .collect(),
        (None, None) => env
            .home
            .iter()
            .map(|h| h.join(".kube").join("config"))
            .collect(),
    };
    // First file wins for a name defined twice, as client-go merges them.
    let mut found: BTreeMap<String, Option<String>> = BTreeMap::new();
    for path in files {
        let Ok(config) = kube::config::Kubeconfig::read_from(&path) else {
            continue;
        };
        for named in config.contexts {
            let description = named.context.map(|c| match c.namespace {
                Some(ns) if !ns.is_empty() => format!("cluster {}, namespace {ns}", c.cluster),
                _ => format!("cluster {}", c.cluster),
            });
            found.entry(named.name).or_insert(description);
        }
    }
    found
        .into_iter()
        .map(|(value, description)| Candidate { value, description })
        .collect()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &[&str]) -> Vec<String> {
        s.iter().map(|w| w.to_string()).collect()
    }

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

    #[tokio::test]
    async fn enumerated_values_are_filtered_and_lists_keep_their_head() {
        let env = KubeconfigEnv::default();
        let cases: &[(&str, &[&str], &[&str])] = &[
            ("prefix filters", &["why", "x", "-o", "w"], &["wide"]),
            (
                "status list: the part after the last comma",
                &["why", "x", "--status", "Missing,F"],
                &["Missing,Failing"],
            ),
            ("subcommand prefix", &["co"], &["coverage", "completion"]),
            ("nothing matches", &["why", "x", "-o", "zz"], &[]),
        ];
        for (name, typed, want) in cases {
            let got: Vec<String> = complete(&words(typed), &env)
                .await
                .candidates
                .into_iter()
                .map(|c| c.value)
                .collect();
            assert_eq!(got, *want, "{name}");
        }
    }

    #[tokio::test]
    async fn directive_allows_files_only_for_paths() {
        let env = KubeconfigEnv::default();
        let cases: &[(&str, &[&str], u32)] = &[
            ("-f wants files", &["why", "x", "-f", ""], DIRECTIVE_DEFAULT),
            (
                "--kubeconfig wants files",
                &["--kubeconfig", ""],
                DIRECTIVE_DEFAULT,
            ),
            (
                "a DaemonSet name is no file",
                &["why", ""],
                DIRECTIVE_NO_FILE_COMP,
            ),
            (
                "a flag value is no file",
                &["--as", ""],
                DIRECTIVE_NO_FILE_COMP,
            ),
            ("unknown subcommand", &["nope", ""], DIRECTIVE_NO_FILE_COMP),
        ];
        for (name, typed, want) in cases {
            assert_eq!(
                complete(&words(typed), &env).await.directive,
                *want,
                "{name}"
            );
        }
    }

    #[tokio::test]
    async fn names_from_a_dump_follow_the_namespace_flag() {
        let dir = tempfile::tempdir().unwrap();
        let dump = dir.path().join("dump.json");
        let ds = |ns: &str, name: &str| {
            serde_json::json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
                "metadata": {"name": name, "namespace": ns},
                "spec": {"selector": {}, "template": {"spec": {"containers": []}}}})
        };
        let node =
            serde_json::json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}});
        let list = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": [
            ds("default", "d1"), ds("logging", "fluentd"), ds("logging", "fluent-bit"), node]});
        std::fs::write(&dump, list.to_string()).unwrap();
        let path = dump.to_str().unwrap();
        let env = KubeconfigEnv::default();
        let cases: &[(&str, Vec<&str>, &[&str])] = &[
            (
                "default namespace without -n",
                vec!["why", "-f", path, ""],
                &["d1"],
            ),
            (
                "namespace from -n, filtered by prefix",
                vec!["why", "-f", path, "-n", "logging", "fluentd"],
                &["fluentd"],
            ),
            (
                "namespaces of the dump's DaemonSets",
                vec!["-f", path, "why", "-n", ""],
                &["default", "logging"],
            ),
            ("stdin is never read", vec!["why", "-f", "-", ""], &[]),
        ];
        for (name, typed, want) in cases {
            let got: Vec<String> = complete(&words(typed), &env)
                .await
                .candidates
                .into_iter()
                .map(|c| c.value)
                .collect();
            assert_eq!(got, *want, "{name}");
        }
    }

    #[test]
    fn contexts_come_from_the_kubeconfig_files_kubectl_reads() {
        let dir = tempfile::tempdir().unwrap();
        let write = |file: &str, names: &[(&str, Option<&str>)]| {
            let mut s = String::from("apiVersion: v1\nkind: Config\ncontexts:\n");
            for (n, ns) in names {
                s.push_str(&format!(
                    "- name: {n}\n  context:\n    cluster: c-{n}\n    user: u\n"
                ));
                if let Some(ns) = ns {
                    s.push_str(&format!("    namespace: {ns}\n"));
                }
            }
            let p = dir.path().join(file);
            std::fs::write(&p, s).unwrap();
            p
        };
        let a = write("a", &[("prod", Some("ops")), ("dev", None)]);
        let b = write("b", &[("prod", None), ("staging", None)]);
        let list = std::env::join_paths([&a, &dir.path().join("missing"), &b]).unwrap();
        let env_list = KubeconfigEnv {
            kubeconfig: Some(list),
            ..Default::default()
        };
        let env_home = KubeconfigEnv {
            home: Some(dir.path().join("nohome")),
            ..Default::default()
        };
        // (name, --kubeconfig, environment, contexts with their descriptions)
        type Case<'a> = (
            &'a str,
            Option<&'a Path>,
            &'a KubeconfigEnv,
            Vec<(&'a str, Option<&'a str>)>,
        );
        let cases: Vec<Case> = vec![
            (
                "KUBECONFIG files merged, first wins, missing skipped",
                None,
                &env_list,
                vec![
                    ("dev", Some("cluster c-dev")),
                    ("prod", Some("cluster c-prod, namespace ops")),
                    ("staging", Some("cluster c-staging")),
                ],
            ),
            (
                "--kubeconfig overrides KUBECONFIG",
                Some(b.as_path()),
                &env_list,
                vec![
                    ("prod", Some("cluster c-prod")),
                    ("staging", Some("cluster c-staging")),
                ],
            ),
            ("no kubeconfig at all", None, &env_home, vec![]),
        ];
        for (name, flag, env, want) in cases {
            let got: Vec<(String, Option<String>)> = contexts(flag, env)
                .into_iter()
                .map(|c| (c.value, c.description))
                .collect();
            let want: Vec<(String, Option<String>)> = want
                .into_iter()
                .map(|(v, d)| (v.to_string(), d.map(str::to_string)))
                .collect();
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn protocol_text_is_one_line_per_candidate_then_the_directive() {
        let c = Completion {
            candidates: vec![
                Candidate {
                    value: "why".into(),
                    description: Some("Show, node\nby node".into()),
                },
                Candidate {
                    value: "fluentd".into(),
                    description: None,
                },
            ],
            directive: DIRECTIVE_NO_FILE_COMP,
        };
        assert_eq!(c.to_protocol(), "why\tShow, node by node\nfluentd\n:4\n");
    }
}
