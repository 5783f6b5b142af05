//! Command-line flags as clap parses them (`Args`), and their resolution into validated `Options`.
//! Every default is decided here, once; nothing below this layer reads the environment.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};

use crate::failure::Failure;
use crate::render::Format;
use crate::source::live::LiveOptions;

const ABOUT: &str = "Explain why a DaemonSet's pod is, or is not, on each node";

const LONG_ABOUT: &str = "Explain why a DaemonSet's pod is, or is not, on each node.

kubectl-ds evaluates every node the way the DaemonSet controller and kube-scheduler do (taints and the \
tolerations the controller adds by itself, nodeSelector and nodeAffinity, free resources, host ports) \
and reads the pods' state (image pulls, crash loops, admission refusals), then says per node what is wrong.

It only reads from the cluster (GET/LIST), or from a `kubectl get -o yaml` dump with -f. \
Flags go after `ds`: kubectl refuses flags placed before a plugin name (`kubectl -n x ds why y` fails).";

const WHY_EXAMPLES: &str = "\
Examples:
  # Every node against the node-exporter DaemonSet
  kubectl ds why node-exporter -n monitoring

  # More columns: the pod, its age and restarts, the node's state
  kubectl ds why fluentd -n logging --context prod -o wide

  # From a dump, no cluster needed
  kubectl get nodes,pods,daemonsets,events,controllerrevisions -A -o yaml > cluster.yaml
  kubectl ds why fluentd -n logging -f cluster.yaml

  # Under each node: the kubectl commands that confirm it, and the fix as YAML
  kubectl ds why node-exporter -n monitoring --explain

  # In a script: fail when an eligible node lacks a Running pod; name the failing and missing ones
  kubectl ds why kube-proxy -n kube-system --exit-code --status Failing,Missing -o name

  # One node in depth: each taint, label, resource and port check, the pod's state and events
  kubectl ds why node-exporter -n monitoring --node gpu-1";

const COVERAGE_EXAMPLES: &str = "\
Examples:
  # DaemonSets of the current namespace
  kubectl ds coverage

  # All namespaces, then the nodes x DaemonSets grid
  kubectl ds coverage -A
  kubectl ds coverage -A --nodes

  # Only some DaemonSets, from a dump, as JSON
  kubectl ds coverage -A -l app.kubernetes.io/part-of=monitoring -f cluster.yaml -o json";

const ROOT_EXAMPLES: &str = "\
Examples:
  # Why node-exporter's pod is missing or failing on some nodes
  kubectl ds why node-exporter -n monitoring

  # Every DaemonSet of the cluster against every node
  kubectl ds coverage -A

  # Offline, on a dump
  kubectl ds why fluentd -n logging -f cluster.yaml

Run `kubectl ds COMMAND --help` for each command's flags and examples.";

const PLAN_EXAMPLES: &str = "\
Examples:
  # What applying this manifest would do on every node (new or changed DaemonSet)
  kubectl ds plan agent.yaml -n monitoring

  # A chart's DaemonSets, against a dump instead of the live cluster
  helm template ./chart | kubectl ds plan - -f cluster.yaml

  # In CI, before kubectl apply: fail when an eligible node would be Unschedulable or Refused
  kubectl ds plan manifests/ --exit-code -o json

  # One node in depth: every controller, scheduler and admission check, then the plan's row
  kubectl ds plan agent.yaml --node gpu-1";

const COMPLETION_EXAMPLES: &str = "\
Examples:
  # bash: in this shell, then in every new one
  source <(kubectl-ds completion bash)
  kubectl-ds completion bash > ~/.local/share/bash-completion/completions/kubectl-ds

  # zsh and fish
  kubectl-ds completion zsh > \"${fpath[1]}/_kubectl-ds\"
  kubectl-ds completion fish > ~/.config/fish/completions/kubectl-ds.fish

These scripts complete `kubectl-ds ...` typed as such. kubectl (>= 1.26) completes
`kubectl ds ...`, DaemonSet, namespace and context names included, once the script
kubectl_complete-ds (in the release archive's completions/ directory) is on PATH.";

/// `kubectl ds`: raw flags, as typed.
#[derive(Debug, Parser)]
#[command(
    name = "kubectl-ds",
    bin_name = "kubectl ds",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = ROOT_EXAMPLES,
    propagate_version = true,
    arg_required_else_help = true,
    max_term_width = 110
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub global: GlobalArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show, node by node, whether a DaemonSet's pod is there and healthy, and why not
    #[command(after_help = WHY_EXAMPLES)]
    Why(WhyArgs),
    /// Show every DaemonSet against every node: counts, coverage and the top reason for gaps
    #[command(after_help = COVERAGE_EXAMPLES)]
    Coverage(CoverageArgs),
    /// Show, node by node, what applying a DaemonSet manifest would do: scheduled, pending, refused by
    /// admission, or not eligible, and what changes when the DaemonSet exists
    #[command(after_help = PLAN_EXAMPLES)]
    Plan(PlanArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell)
    #[command(after_help = COMPLETION_EXAMPLES)]
    Completion {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Dynamic completion for kubectl's plugin completion (`kubectl_complete-ds`): prints candidates for the
    /// last word, then `:<directive>`. Called as `__complete -- WORD...` so no typed word is parsed as a flag.
    #[command(
        name = "__complete",
        hide = true,
        disable_help_flag = true,
        disable_version_flag = true
    )]
    Complete {
        #[arg(num_args = 0.., allow_hyphen_values = true, trailing_var_arg = true)]
        words: Vec<String>,
    },
}

#[derive(Debug, ClapArgs)]
pub struct WhyArgs {
    /// Name of the DaemonSet
    pub name: String,
    /// List every node, even on large clusters (by default healthy and ineligible nodes are grouped)
    #[arg(long)]
    pub show_all: bool,
    /// Only show nodes with these statuses (comma-separated, e.g. Missing,Failing)
    #[arg(long, value_delimiter = ',', value_enum, ignore_case = true)]
    pub status: Vec<StatusArg>,
    /// Under each node, the kubectl commands that confirm the finding and the smallest fix (YAML to paste)
    #[arg(long)]
    pub explain: bool,
    /// After the first answer, follow the cluster (WATCH) and print a line for each node whose verdict changes
    #[arg(short = 'w', long)]
    pub watch: bool,
    /// One node in depth: every check the controller and the scheduler make there, with its evidence
    #[arg(long, value_name = "NODE", conflicts_with_all = ["show_all", "status", "explain", "watch"])]
    pub node: Option<String>,
}

#[derive(Debug, ClapArgs)]
pub struct PlanArgs {
    /// The manifest: a file, a directory of .yaml/.yml/.json files, or "-" for stdin (YAML or JSON,
    /// several documents or a List; objects other than DaemonSets are ignored)
    #[arg(value_name = "MANIFEST", value_hint = clap::ValueHint::AnyPath)]
    pub manifest: PathBuf,
    /// One node in depth: every check the controller, the scheduler and admission make there for the
    /// manifest's DaemonSet, then the plan's status and change (the manifest must hold one DaemonSet)
    #[arg(long, value_name = "NODE")]
    pub node: Option<String>,
}

#[derive(Debug, ClapArgs)]
pub struct CoverageArgs {
    /// Show DaemonSets of all namespaces
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Only DaemonSets matching this label selector (e.g. app.kubernetes.io/part-of=monitoring)
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Show the grid: one row per node, one column per DaemonSet
    #[arg(long)]
    pub nodes: bool,
    /// In the grid, list every node instead of collapsing identical rows
    #[arg(long, requires = "nodes")]
    pub expand: bool,
    /// After the first answer, follow the cluster (WATCH) and print a row for each DaemonSet that changes
    #[arg(short = 'w', long, conflicts_with = "nodes")]
    pub watch: bool,
}

/// Flags shared by every command, spelled as kubectl spells them.
#[derive(Debug, ClapArgs)]
pub struct GlobalArgs {
    /// Namespace of the DaemonSet(s) [default: the kubeconfig context's namespace, else "default";
    /// the same with -f, where the kubeconfig is only read for this]
    #[arg(short = 'n', long, global = true)]
    pub namespace: Option<String>,
    /// The kubeconfig context to use
    #[arg(long, global = true)]
    pub context: Option<String>,
    /// Path to the kubeconfig file [default: $KUBECONFIG, else ~/.kube/config]
    #[arg(long, global = true)]
    pub kubeconfig: Option<PathBuf>,
    /// Read cluster state from a file or directory of `kubectl get -o json|yaml` output ("-" for stdin)
    #[arg(short = 'f', long = "from-file", global = true, value_name = "PATH")]
    pub from_file: Option<PathBuf>,
    /// Output format
    #[arg(short = 'o', long, global = true, value_enum, default_value_t = OutputArg::Table)]
    pub output: OutputArg,
    /// When to colour the output (NO_COLOR in the environment also turns it off)
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Do not print headers (nor the summary line)
    #[arg(long, global = true)]
    pub no_headers: bool,
    /// Exit with status 3 when an eligible node lacks a Running pod (plan: when one would be
    /// Unschedulable or Refused)
    #[arg(long, global = true)]
    pub exit_code: bool,
    /// How long to wait for each API request, a Go duration as kubectl takes it: 10s, 1m30s, 500ms
    /// (a bare number is seconds; 0 means no timeout)
    #[arg(long, global = true, value_name = "DURATION", default_value = "30s")]
    pub request_timeout: String,
    /// The longest a run against a cluster may take in all (connecting, every request, retries), so it
    /// never hangs a shell or a CI job; a duration as --request-timeout takes, 0 for no limit
    /// [default: 5m, or --request-timeout when that is longer]
    #[arg(
        long,
        global = true,
        value_name = "DURATION",
        env = "KUBECTL_DS_TIMEOUT"
    )]
    pub timeout: Option<String>,
    /// Username to impersonate for the operation
    #[arg(long = "as", global = true, value_name = "USER")]
    pub as_user: Option<String>,
    /// Group to impersonate for the operation (repeatable)
    #[arg(long = "as-group", global = true, value_name = "GROUP")]
    pub as_group: Vec<String>,
    /// UID to impersonate for the operation
    #[arg(long = "as-uid", global = true, value_name = "UID")]
    pub as_uid: Option<String>,
    /// The name of the kubeconfig cluster to use
    #[arg(long, global = true, value_name = "NAME")]
    pub cluster: Option<String>,
    /// The name of the kubeconfig user to use
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,
    /// The address and port of the Kubernetes API server
    #[arg(short = 's', long, global = true, value_name = "URL")]
    pub server: Option<String>,
    /// Bearer token for authentication to the API server
    #[arg(long, global = true, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Path to a cert file for the certificate authority
    #[arg(long, global = true, value_name = "PATH")]
    pub certificate_authority: Option<PathBuf>,
    /// Do not check the server's certificate for validity (makes the connection insecure)
    #[arg(long, global = true)]
    pub insecure_skip_tls_verify: bool,
    /// Server name to use for server certificate validation [default: the server URL's host]
    #[arg(long, global = true, value_name = "NAME")]
    pub tls_server_name: Option<String>,
    /// Log level on stderr, as kubectl's -v: 4 shows what is fetched and why, 6 every request
    /// (method, URL, status, time, size), 8 the client's own debug logs
    #[arg(
        short = 'v',
        long = "v",
        global = true,
        value_name = "LEVEL",
        default_value_t = 0
    )]
    pub verbosity: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputArg {
    /// Columns as kubectl get prints them; "No resources found in NS namespace." on stderr when nothing matches
    Table,
    /// The table with more columns
    Wide,
    /// A versioned document (apiVersion ds.kubectl.dev/v1alpha1, kind DaemonSetReport or CoverageReport)
    Json,
    /// The JSON document as YAML
    Yaml,
    /// One line per table row, as kubectl's -o name: node/NAME for why, daemonset.apps/NAME for coverage
    Name,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Status words as flag values (`--status Missing,Failing`, case-insensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "PascalCase")]
pub enum StatusArg {
    Running,
    Starting,
    Pending,
    Failing,
    Missing,
    Ineligible,
    Misscheduled,
}

impl From<StatusArg> for crate::report::NodeStatus {
    fn from(s: StatusArg) -> Self {
        use crate::report::NodeStatus as N;
        match s {
            StatusArg::Running => N::Running,
            StatusArg::Starting => N::Starting,
            StatusArg::Pending => N::Pending,
            StatusArg::Failing => N::Failing,
            StatusArg::Missing => N::Missing,
            StatusArg::Ineligible => N::Ineligible,
            StatusArg::Misscheduled => N::Misscheduled,
        }
    }
}

/// The facts about the process's surroundings that decide defaults; gathered by main, not here.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub no_color: bool,
    pub stdout_is_terminal: bool,
    pub stderr_is_terminal: bool,
    pub terminal_width: Option<usize>,
}

/// Validated options: what to do, where state comes from, how to show it.
#[derive(Debug)]
pub struct Options {
    pub job: Job,
    pub source: Source,
    /// `-n`; None means the kubeconfig context's namespace, else `default` (for files too).
    pub namespace: Option<String>,
    /// The connection flags (kubeconfig, context, user, server...): where a live run connects, and
    /// what every kubectl command we print must carry to reach the same cluster.
    pub connection: LiveOptions,
    /// `-v`: 0 quiet, 4 fetch decisions, 6 every request, 8 the client's debug logs.
    pub verbosity: u8,
    pub format: Format,
    pub color: bool,
    pub no_headers: bool,
    pub exit_code: bool,
    /// `--timeout`: the bound on a live run's fetching as a whole; None for no bound.
    pub timeout: Option<Duration>,
    pub terminal_width: Option<usize>,
    /// Show progress on stderr (only when it is a terminal).
    pub progress: bool,
    /// `--watch`: after the first answer, follow changes until interrupted (live only).
    pub watch: bool,
}

#[derive(Debug)]
pub enum Job {
    Why {
        name: String,
        show_all: bool,
        statuses: Vec<crate::report::NodeStatus>,
        /// `--explain`: attach advice (checks and fixes) to every node.
        explain: bool,
    },
    Coverage {
        all_namespaces: bool,
        selector: Option<String>,
        grid: bool,
        expand: bool,
    },
    /// `why NAME --node NODE`: every check for one node.
    Trace {
        name: String,
        node: String,
    },
    /// `plan MANIFEST`: what applying the manifest's DaemonSets would do on each node.
    Plan {
        manifest: PathBuf,
        /// `--node`: one node in depth.
        node: Option<String>,
    },
    Completion(clap_complete::Shell),
    /// The words typed after `kubectl ds`, the last one being completed.
    Complete(Vec<String>),
}

#[derive(Debug)]
pub enum Source {
    File(PathBuf),
    /// The API server named by `Options::connection`.
    Live,
}

impl Args {
    /// Turns raw flags into options, deciding every default in one place.
    pub fn resolve(self, env: &Environment) -> Result<Options> {
        let g = self.global;
        let request_timeout = parse_duration(&g.request_timeout)
            .with_context(|| format!("invalid --request-timeout {:?}", g.request_timeout))?;
        let timeout = match &g.timeout {
            Some(t) => parse_duration(t).with_context(|| format!("invalid --timeout {t:?}"))?,
            None => Some(DEFAULT_TIMEOUT.max(request_timeout.unwrap_or_default())),
        };
        let format = match g.output {
            OutputArg::Table => Format::Table,
            OutputArg::Wide => Format::Wide,
            OutputArg::Json => Format::Json,
            OutputArg::Yaml => Format::Yaml,
            OutputArg::Name => Format::Name,
        };
        let color = match g.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => env.stdout_is_terminal && !env.no_color,
        };
        let watch = match &self.command {
            Command::Why(w) => w.watch,
            Command::Coverage(c) => c.watch,
            _ => false,
        };
        let job = match self.command {
            Command::Why(WhyArgs {
                name,
                node: Some(node),
                ..
            }) => Job::Trace { name, node },
            Command::Why(w) => Job::Why {
                name: w.name,
                show_all: w.show_all,
                statuses: w.status.into_iter().map(Into::into).collect(),
                explain: w.explain,
            },
            Command::Coverage(c) => {
                if c.all_namespaces && g.namespace.is_some() {
                    bail!("-A/--all-namespaces and -n/--namespace cannot be used together");
                }
                Job::Coverage {
                    all_namespaces: c.all_namespaces,
                    selector: c.selector,
                    grid: c.nodes,
                    expand: c.expand,
                }
            }
            Command::Plan(p) => Job::Plan {
                manifest: p.manifest,
                node: p.node,
            },
            Command::Completion { shell } => Job::Completion(shell),
            Command::Complete { words } => Job::Complete(words),
        };
        let source = match g.from_file {
            Some(path) => Source::File(path),
            None => Source::Live,
        };
        if watch {
            check_watch(&source, g.exit_code)?;
        }
        if g.certificate_authority.is_some() && g.insecure_skip_tls_verify {
            // client-go refuses the pair too: trusting a CA and trusting anything contradict each other.
            bail!("--certificate-authority and --insecure-skip-tls-verify cannot be used together");
        }
        let connection = LiveOptions {
            kubeconfig: g.kubeconfig,
            context: g.context,
            request_timeout,
            impersonate_user: g.as_user,
            impersonate_groups: g.as_group,
            impersonate_uid: g.as_uid,
            cluster: g.cluster,
            user: g.user,
            server: g.server,
            token: g.token,
            certificate_authority: g.certificate_authority,
            insecure_skip_tls_verify: g.insecure_skip_tls_verify,
            tls_server_name: g.tls_server_name,
        };
        Ok(Options {
            job,
            source,
            namespace: g.namespace,
            connection,
            verbosity: g.verbosity,
            format,
            color,
            no_headers: g.no_headers,
            exit_code: g.exit_code,
            timeout,
            terminal_width: if env.stdout_is_terminal {
                env.terminal_width
            } else {
                None
            },
            // Log lines and a spinner would fight over the same terminal line.
            progress: env.stderr_is_terminal && g.verbosity == 0,
            watch,
        })
    }
}

/// `--timeout` when not given: long enough for a 5,000-node cluster on a slow link many times over
/// (bench/RESULTS.md), short enough that a stuck run ends a CI job with a message rather than its own timeout.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// `--watch` follows a cluster through its API server: a dump cannot change, and an exit code needs an end.
fn check_watch(source: &Source, exit_code: bool) -> Result<()> {
    if let Source::File(_) = source {
        return Err(Failure::new(
            "--watch needs a live cluster: a file (-f) does not change",
            Some("drop -f to watch the cluster of the current context, or drop --watch to judge the file once".into()),
        )
        .into());
    }
    if exit_code {
        bail!(
            "--watch and --exit-code cannot be used together: a watch ends only when interrupted"
        );
    }
    Ok(())
}

/// kubectl's --request-timeout: a Go duration (`1m30s`, `500ms`, `1.5h`; units ns us µs ms s m h), or a
/// bare integer meaning seconds; 0 disables.
// Mirrors k8s.io/cli-runtime/pkg/genericclioptions (a bare integer gets an "s") and Go's time.ParseDuration.
pub(crate) fn parse_duration(s: &str) -> Result<Option<Duration>> {
    let s = s.trim();
    if s.is_empty() {
        bail!("expected a duration, e.g. 30s, 1m30s, 500ms");
    }
    if s.starts_with('-') {
        bail!("must not be negative");
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        let secs: u64 = s.parse().context("number too large")?;
        return Ok((secs > 0).then(|| Duration::from_secs(secs)));
    }
    let mut rest = s.strip_prefix('+').unwrap_or(s);
    let mut seconds = 0f64;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(num_len);
        let value: f64 = num
            .parse()
            .map_err(|_| anyhow::anyhow!("expected a number before each unit, e.g. 1m30s"))?;
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, next) = tail.split_at(unit_len);
        let scale = match unit {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "" => bail!("missing unit after {num}: use ns, us, ms, s, m or h"),
            other => bail!("unknown unit {other:?}: use ns, us, ms, s, m or h"),
        };
        seconds += value * scale;
        rest = next;
    }
    if !seconds.is_finite() || seconds > u64::MAX as f64 {
        bail!("duration too large");
    }
    Ok((seconds > 0.0).then(|| Duration::from_secs_f64(seconds)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options> {
        let mut all = vec!["kubectl-ds"];
        all.extend_from_slice(args);
        Args::try_parse_from(all)?.resolve(&Environment::default())
    }

    #[test]
    fn overall_timeout_defaults_to_5m_or_the_request_timeout() {
        let cases: [(&str, &[&str], Option<Duration>); 6] = [
            ("default", &[], Some(Duration::from_secs(300))),
            (
                "given",
                &["--timeout", "90s"],
                Some(Duration::from_secs(90)),
            ),
            ("zero means no limit", &["--timeout", "0"], None),
            (
                "a longer request timeout raises the default",
                &["--request-timeout", "10m"],
                Some(Duration::from_secs(600)),
            ),
            (
                "no request timeout keeps the default",
                &["--request-timeout", "0"],
                Some(Duration::from_secs(300)),
            ),
            (
                "given wins over a longer request timeout",
                &["--request-timeout", "10m", "--timeout", "1m"],
                Some(Duration::from_secs(60)),
            ),
        ];
        for (name, flags, want) in cases {
            let mut args = vec!["why", "x"];
            args.extend_from_slice(flags);
            let opts = parse(&args).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(opts.timeout, want, "{name}");
        }
        let err = parse(&["why", "x", "--timeout", "soon"]).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "invalid --timeout \"soon\": expected a number before each unit, e.g. 1m30s"
        );
    }

    #[test]
    fn request_timeout_forms() {
        let cases = [
            ("bare number is seconds", "5", Some(Duration::from_secs(5))),
            ("seconds", "30s", Some(Duration::from_secs(30))),
            ("minutes", "1m", Some(Duration::from_secs(60))),
            ("milliseconds", "250ms", Some(Duration::from_millis(250))),
            ("zero disables", "0", None),
            ("zero with a unit disables", "0s", None),
            (
                "go compound duration",
                "1m30s",
                Some(Duration::from_secs(90)),
            ),
            ("hours and minutes", "1h2m", Some(Duration::from_secs(3720))),
            ("fractional unit", "1.5s", Some(Duration::from_millis(1500))),
            ("microseconds", "1500us", Some(Duration::from_micros(1500))),
            ("leading plus", "+2s", Some(Duration::from_secs(2))),
        ];
        for (name, input, want) in cases {
            assert_eq!(parse_duration(input).unwrap(), want, "{name}");
        }
        for bad in [
            "",
            "abc",
            "5x",
            "-1s",
            "1.5",
            "1m30",
            "s",
            "1e3s",
            "99999999999999999999",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?} must be rejected");
        }
    }

    #[test]
    fn flags_after_subcommand_are_global() {
        let o = parse(&[
            "why",
            "fluentd",
            "-n",
            "logging",
            "-o",
            "json",
            "--context",
            "prod",
        ])
        .unwrap();
        assert_eq!(o.namespace.as_deref(), Some("logging"));
        assert_eq!(o.format, Format::Json);
        assert!(matches!(o.source, Source::Live));
        assert_eq!(o.connection.context.as_deref(), Some("prod"));
    }

    #[test]
    fn colour_follows_terminal_and_no_color() {
        let cases = [
            ("auto on a terminal", "auto", true, false, true),
            ("auto piped", "auto", false, false, false),
            ("auto with NO_COLOR", "auto", true, true, false),
            ("always even piped", "always", false, true, true),
            ("never on a terminal", "never", true, false, false),
        ];
        for (name, flag, tty, no_color, want) in cases {
            let env = Environment {
                no_color,
                stdout_is_terminal: tty,
                ..Default::default()
            };
            let o = Args::try_parse_from(["kubectl-ds", "why", "x", "--color", flag])
                .unwrap()
                .resolve(&env)
                .unwrap();
            assert_eq!(o.color, want, "{name}");
        }
    }

    #[test]
    fn all_namespaces_conflicts_with_namespace() {
        let err = parse(&["coverage", "-A", "-n", "x"]).unwrap_err();
        assert!(err.to_string().contains("cannot be used together"), "{err}");
    }

    #[test]
    fn file_source_and_status_filter() {
        let o = parse(&[
            "why",
            "x",
            "-f",
            "cluster.yaml",
            "--status",
            "Missing,Failing",
        ])
        .unwrap();
        assert!(matches!(o.source, Source::File(ref p) if p.to_str() == Some("cluster.yaml")));
        match o.job {
            Job::Why { statuses, .. } => assert_eq!(
                statuses,
                vec![
                    crate::report::NodeStatus::Missing,
                    crate::report::NodeStatus::Failing
                ]
            ),
            _ => panic!("expected why"),
        }
    }
}
