//! Shell completion: the static scripts clap writes (`kubectl-ds completion SHELL`), and dynamic completion
//! (`kubectl-ds __complete -- WORD...`) answering kubectl's plugin completion protocol, which kubectl >= 1.26
//! runs through an executable named `kubectl_complete-ds` on PATH.
//! Read-only (metadata LISTs, kubeconfig reads). It never prints an error: whatever fails yields no
//! candidates, and stderr is left untouched.
//! The protocol's wire format lives in `protocol`, reading the typed words in `plan`, and the
//! names looked up elsewhere in `names`; this module answers a request with them.

mod names;
mod plan;
mod protocol;

#[cfg(test)]
mod test_support;

use std::io::{self, Write};
use std::path::Path;

use clap::{Command, CommandFactory};
use clap_complete::Shell;

use crate::cli::Args;
use crate::source::live::KubeconfigEnv;

pub use names::contexts;
pub use plan::{Plan, Want, plan};
pub use protocol::{Candidate, Completion, DIRECTIVE_DEFAULT, DIRECTIVE_NO_FILE_COMP};

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
        Want::DaemonSets | Want::Namespaces | Want::Nodes => {
            names::lookup(&plan).await.unwrap_or_default()
        }
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

#[cfg(test)]
mod tests {
    use super::test_support::words;
    use super::*;

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
}
