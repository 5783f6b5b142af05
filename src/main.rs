//! Thin entry point: parse flags, run, map the outcome to an exit code, print an error chain once.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use kubectl_ds::cli::{Args, Environment};
use kubectl_ds::source::live::tolerated_no_proxy;
use kubectl_ds::{Outcome, hint, run};

/// Exit codes, documented in README: 0 ok, 1 error, 2 usage error (clap), 3 gaps found with --exit-code.
const EXIT_ERROR: u8 = 1;
const EXIT_GAPS: u8 = 3;

fn main() -> ExitCode {
    let args = Args::parse();
    tolerate_no_proxy();
    limit_malloc_arenas();
    let env = Environment {
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        stdout_is_terminal: std::io::stdout().is_terminal(),
        stderr_is_terminal: std::io::stderr().is_terminal(),
        terminal_width: terminal_size::terminal_size().map(|(w, _)| w.0 as usize),
    };
    let result = args.resolve(&env).and_then(|opts| {
        kubectl_ds::logging::install(opts.verbosity, std::io::stderr);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        let mut out = std::io::stdout().lock();
        let mut stdin = std::io::stdin().lock();
        let now = jiff::Timestamp::now();
        let outcome =
            runtime.block_on(run(opts, now, &mut stdin, &mut out, &mut std::io::stderr()));
        // A credential plugin that hangs is left behind on a blocking thread once timed out; waiting
        // for it here would hang the shell after all.
        runtime.shutdown_background();
        let outcome = outcome?;
        out.flush()?;
        Ok(outcome)
    });
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Gaps) => ExitCode::from(EXIT_GAPS),
        // A closed pipe (`kubectl ds why x | head`) is the reader's choice, not a failure.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "error: {e:#}");
            if let Some(h) = hint(&e) {
                let _ = writeln!(err, "hint: {h}");
            }
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// glibc's malloc gives each thread that allocates (tokio's workers parsing pages, rayon's judging) an arena
/// of its own, up to 8 per core, and keeps what is freed in each: on `coverage -A` at 2,000 nodes, peak
/// memory went ~260 -> ~230 MB with two arenas, at the same speed (bench/RESULTS.md). Other C libraries
/// (musl in the Linux release archives) have no such arenas. An explicit MALLOC_ARENA_MAX still wins.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: a glibc tunable set before any thread exists; mallopt only records the limit.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

/// kube parses NO_PROXY itself, more strictly than kubectl (see `tolerated_no_proxy`), and only from the
/// process environment, so the value is tidied here, once, before any thread starts.
fn tolerate_no_proxy() {
    for var in ["NO_PROXY", "no_proxy"] {
        let Some(clean) = std::env::var(var).ok().and_then(|v| tolerated_no_proxy(&v)) else {
            continue;
        };
        // SAFETY: called first thing in main, before the runtime or any other thread exists.
        unsafe {
            if clean.is_empty() {
                std::env::remove_var(var);
            } else {
                std::env::set_var(var, clean);
            }
        }
    }
}
