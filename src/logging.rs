//! `-v N` as kubectl's verbosity: what is logged on stderr at each level. Installed once by main.

use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::prelude::*;

/// 0 logs nothing; 1-3 warnings; 4-5 what is fetched and why; 6-7 every API request too; 8 the kube
/// client's debug logs; 9 and above everything.
pub fn targets(verbosity: u8) -> Option<Targets> {
    let ours = match verbosity {
        0 => return None,
        1..=3 => Level::WARN,
        4..=5 => Level::INFO,
        _ => Level::DEBUG,
    };
    let mut targets = Targets::new()
        .with_target("kubectl_ds", ours)
        .with_target("kube", Level::WARN);
    if verbosity < 6 {
        // Request lines are debug-level events of our own target; below 6 they stay off.
        targets = targets.with_target(crate::source::live::REQUEST_LOG_TARGET, Level::INFO);
    }
    if verbosity >= 8 {
        targets = targets.with_target("kube", Level::DEBUG);
    }
    if verbosity >= 9 {
        targets = targets.with_default(Level::TRACE);
    }
    Some(targets)
}

/// Sends log lines to `writer` (stderr in main) at the level `-v` asks for.
pub fn install<W>(verbosity: u8, writer: W)
where
    W: for<'a> tracing_subscriber::fmt::MakeWriter<'a> + Send + Sync + 'static,
{
    let Some(targets) = targets(verbosity) else {
        return;
    };
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(writer)
        .with_target(false);
    // A second install (tests calling run twice) keeps the first; that is fine for a CLI.
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(targets))
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_kubectl_verbosity() {
        let request = crate::source::live::REQUEST_LOG_TARGET;
        let cases = [
            (
                "-v 4 shows fetch decisions",
                4,
                "kubectl_ds::source",
                Level::INFO,
                true,
            ),
            ("-v 4 hides requests", 4, request, Level::DEBUG, false),
            ("-v 6 shows requests", 6, request, Level::DEBUG, true),
            (
                "-v 6 hides kube's debug",
                6,
                "kube_client::client",
                Level::DEBUG,
                false,
            ),
            (
                "-v 8 shows kube's debug",
                8,
                "kube_client::client",
                Level::DEBUG,
                true,
            ),
            (
                "-v 1 shows warnings only",
                1,
                "kubectl_ds::source",
                Level::INFO,
                false,
            ),
        ];
        for (name, v, target, level, want) in cases {
            let t = targets(v).expect("a filter for v > 0");
            assert_eq!(t.would_enable(target, &level), want, "{name}");
        }
        assert!(targets(0).is_none(), "-v 0 installs nothing");
    }
}
