//! Builds the kube client for a loaded configuration, with the request log layer. Building may run the
//! user's exec credential plugin (kube runs it while building), so it is bounded by the request timeout
//! and its failures are told in plain words.

use std::time::Duration;

use kube::client::AuthError;
use kube::config::ExecConfig;

use super::error::LiveError;
use super::request_log::RequestLog;

/// The client for `cfg`, or why there is none; `timeout` (`--request-timeout`) bounds a credential plugin.
pub(super) async fn build(
    mut cfg: kube::Config,
    timeout: Option<Duration>,
    context: &str,
    kubectl: &str,
) -> Result<kube::Client, LiveError> {
    let plugin = cfg
        .auth_info
        .exec
        .as_ref()
        .and_then(|e: &ExecConfig| e.command.clone())
        .unwrap_or_default();
    // kube's own retry backs off exponentially for up to 15 tries on 429/503/504, whatever the server
    // asks, which turns an overloaded server into a "did not answer in time"; guard.rs retries as
    // client-go does instead (only when the server says when, a bounded number of times).
    cfg.default_retry = false;
    let log = RequestLog {
        server: cfg.cluster_url.to_string(),
    };
    // kube runs the plugin with a blocking wait: off the runtime's threads, so a hang can be timed out.
    let building = tokio::task::spawn_blocking(move || {
        kube::client::ClientBuilder::try_from(cfg)
            .map(|b| b.with_layer(&log).with_layer(&super::guard::Guard).build())
    });
    let joined = match timeout.filter(|t| !t.is_zero()) {
        Some(t) => tokio::time::timeout(t, building).await.map_err(|_| LiveError::Kubeconfig {
            message: format!(
                "context \"{context}\": the exec credential plugin \"{plugin}\" did not finish within {}",
                humanize(t)
            ),
            hint: Some(format!(
                "run it by hand to see what it waits for (a login prompt?), or raise --request-timeout; \
                 the user's exec entry: {kubectl} config view --minify"
            )),
        })?,
        None => building.await,
    };
    let built = joined.map_err(|e| LiveError::Kubeconfig {
        message: format!("context \"{context}\": building the client failed: {e}"),
        hint: None,
    })?;
    built.map_err(|e| LiveError::Kubeconfig {
        message: format!("context \"{context}\": {}", describe(&e, &plugin)),
        hint: Some(format!(
            "check the certificates and credentials of this context: {kubectl} config view --minify"
        )),
    })
}

/// One line for a failure to build the client; credential plugin failures name the plugin and what it said.
fn describe(e: &kube::Error, plugin: &str) -> String {
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    match e {
        kube::Error::Auth(AuthError::AuthExecRun { out, .. }) => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let said = stderr.lines().map(str::trim).find(|l| !l.is_empty());
            format!(
                "the exec credential plugin \"{plugin}\" failed ({}){}",
                out.status,
                said.map(|l| format!(": {l}")).unwrap_or_default()
            )
        }
        kube::Error::Auth(AuthError::AuthExecStart(io)) => {
            format!("cannot run the exec credential plugin \"{plugin}\": {io}")
        }
        kube::Error::Auth(AuthError::AuthExecParse(parse)) => format!(
            "the exec credential plugin \"{plugin}\" printed no ExecCredential ({})",
            one_line(&parse.to_string())
                .split(" --> ")
                .next()
                .unwrap_or_default()
        ),
        other => format!("cannot build a client: {}", one_line(&other.to_string())),
    }
}

fn humanize(t: Duration) -> String {
    if t.subsec_millis() == 0 {
        format!("{}s", t.as_secs())
    } else {
        format!("{}ms", t.as_millis())
    }
}
