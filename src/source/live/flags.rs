//! The connection flags of one run (kubectl's genericclioptions), and the `kubectl` prefix that carries
//! them: every command we print, in a hint or under `--explain`, must reach the cluster this run read,
//! not whatever the shell's current context points at.

use std::path::PathBuf;
use std::time::Duration;

/// How to reach the cluster: the kubectl flags that matter here.
#[derive(Debug, Clone, Default)]
pub struct LiveOptions {
    /// `--kubeconfig`; else KUBECONFIG (files merged as kubectl does), else ~/.kube/config, else in-cluster.
    pub kubeconfig: Option<PathBuf>,
    /// `--context`; else the kubeconfig's current-context.
    pub context: Option<String>,
    /// `--request-timeout`, applied to each request.
    pub request_timeout: Option<Duration>,
    /// `--as`
    pub impersonate_user: Option<String>,
    /// `--as-group`
    pub impersonate_groups: Vec<String>,
    /// `--as-uid`
    pub impersonate_uid: Option<String>,
    /// `--cluster`: the kubeconfig cluster entry, instead of the context's.
    pub cluster: Option<String>,
    /// `--user`: the kubeconfig user entry, instead of the context's.
    pub user: Option<String>,
    /// `-s/--server`: the API server URL, instead of the cluster entry's.
    pub server: Option<String>,
    /// `--token`: a bearer token, instead of the user entry's credentials.
    pub token: Option<String>,
    /// `--certificate-authority`: the CA file to trust, instead of the cluster entry's.
    pub certificate_authority: Option<PathBuf>,
    /// `--insecure-skip-tls-verify`
    pub insecure_skip_tls_verify: bool,
    /// `--tls-server-name`: the name the server's certificate must carry.
    pub tls_server_name: Option<String>,
}

impl LiveOptions {
    /// `kubectl` followed by the connection flags given to this run, quoted for a POSIX shell where needed.
    /// `pinned_context` adds `--context` when none was given (hints pin the context they resolved).
    /// The token is never printed: it would leak a secret into terminals and logs; a command without it
    /// fails to authenticate rather than reaching another cluster.
    pub fn kubectl(&self, pinned_context: Option<&str>) -> String {
        let mut s = String::from("kubectl");
        let mut flag = |name: &str, value: &str| {
            s.push_str(" --");
            s.push_str(name);
            s.push(' ');
            s.push_str(&quote(value));
        };
        if let Some(path) = &self.kubeconfig {
            flag("kubeconfig", &path.display().to_string());
        }
        if let Some(ctx) = self.context.as_deref().or(pinned_context) {
            flag("context", ctx);
        }
        for (name, value) in [
            ("cluster", &self.cluster),
            ("user", &self.user),
            ("server", &self.server),
            ("tls-server-name", &self.tls_server_name),
        ] {
            if let Some(v) = value {
                flag(name, v);
            }
        }
        if let Some(ca) = &self.certificate_authority {
            flag("certificate-authority", &ca.display().to_string());
        }
        if let Some(user) = self.impersonate_user.as_deref().filter(|u| !u.is_empty()) {
            flag("as", user);
        }
        for group in &self.impersonate_groups {
            flag("as-group", group);
        }
        if let Some(uid) = &self.impersonate_uid {
            flag("as-uid", uid);
        }
        if self.insecure_skip_tls_verify {
            s.push_str(" --insecure-skip-tls-verify");
        }
        s
    }
}

/// `text` as one POSIX shell word, quoted only where needed.
pub fn quote(text: &str) -> String {
    // Only a NUL byte makes shlex refuse, and no shell word can hold one.
    let clean = text.replace('\0', "");
    shlex::try_quote(&clean).map_or_else(|_| String::from("''"), |q| q.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_carries_exactly_the_flags_given() {
        let cases = [
            (
                "no flags is plain kubectl",
                LiveOptions::default(),
                None,
                "kubectl",
            ),
            (
                "pinned context when none was given",
                LiveOptions::default(),
                Some("kind-lab"),
                "kubectl --context kind-lab",
            ),
            (
                "a given context wins over the pinned one",
                LiveOptions {
                    context: Some("prod".into()),
                    ..Default::default()
                },
                Some("kind-lab"),
                "kubectl --context prod",
            ),
            (
                "paths with spaces are quoted",
                LiveOptions {
                    kubeconfig: Some("/tmp/my conf".into()),
                    context: Some("prod".into()),
                    impersonate_user: Some("jane".into()),
                    impersonate_groups: vec!["team one".into(), "ops".into()],
                    ..Default::default()
                },
                None,
                "kubectl --kubeconfig '/tmp/my conf' --context prod --as jane --as-group 'team one' --as-group ops",
            ),
            (
                "every connection flag but the token",
                LiveOptions {
                    cluster: Some("c".into()),
                    user: Some("u".into()),
                    server: Some("https://10.0.0.1:6443".into()),
                    token: Some("s3cret".into()),
                    certificate_authority: Some("/etc/ca.crt".into()),
                    tls_server_name: Some("api.internal".into()),
                    impersonate_user: Some("jane".into()),
                    impersonate_uid: Some("1234".into()),
                    insecure_skip_tls_verify: true,
                    ..Default::default()
                },
                None,
                "kubectl --cluster c --user u --server https://10.0.0.1:6443 --tls-server-name api.internal \
                 --certificate-authority /etc/ca.crt --as jane --as-uid 1234 --insecure-skip-tls-verify",
            ),
        ];
        for (name, opts, pinned, want) in cases {
            assert_eq!(opts.kubectl(pinned), want, "{name}");
        }
    }

    #[test]
    fn quote_quotes_only_when_needed() {
        let cases = [
            ("plain context name stays bare", "kind-prod", "kind-prod"),
            (
                "arn-like context stays bare",
                "arn:aws:eks:eu/x",
                "arn:aws:eks:eu/x",
            ),
            ("space is quoted", "my ctx", "'my ctx'"),
            ("single quote survives", "it's", r#""it's""#),
            ("empty is quoted", "", "''"),
            ("dollar is not expanded", "$HOME", "'$HOME'"),
        ];
        for (name, input, want) in cases {
            assert_eq!(quote(input), want, "{name}");
        }
    }
}
