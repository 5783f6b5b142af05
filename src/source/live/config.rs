//! Finds and loads the kubeconfig the way kubectl does (--kubeconfig, else KUBECONFIG merged, else
//! ~/.kube/config, else in-cluster) and turns it into a kube `Config`. Reads files; never touches the network.
//! The environment is passed in (`KubeconfigEnv`) so callers and tests need not mutate process env.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use kube::config::{
    AuthInfo, Cluster, Context, KubeConfigOptions, Kubeconfig, KubeconfigError, NamedAuthInfo,
    NamedCluster, NamedContext,
};

use super::LiveOptions;
use super::error::LiveError;
use super::flags::quote;
use super::proxy::{ProxyEnv, proxy_for};

/// The parts of the process environment that decide which kubeconfig is used.
#[derive(Debug, Clone, Default)]
pub struct KubeconfigEnv {
    /// The value of `KUBECONFIG` (a path list), if set.
    pub kubeconfig: Option<OsString>,
    /// The home directory, for `~/.kube/config`.
    pub home: Option<PathBuf>,
    /// Running in a pod with a service account: fall back to in-cluster config when no kubeconfig is found.
    pub in_cluster: bool,
    /// HTTPS_PROXY / HTTP_PROXY / NO_PROXY, used when the kubeconfig's cluster sets no `proxy-url`.
    pub proxy: ProxyEnv,
}

impl KubeconfigEnv {
    /// Reads `KUBECONFIG`, the home directory and the in-cluster markers from this process.
    pub fn from_process() -> Self {
        // Mirrors k8s.io/client-go/tools/clientcmd/client_config.go (inClusterClientConfig.Possible)
        let in_cluster = std::env::var_os("KUBERNETES_SERVICE_HOST").is_some_and(|v| !v.is_empty())
            && std::env::var_os("KUBERNETES_SERVICE_PORT").is_some_and(|v| !v.is_empty())
            && Path::new("/var/run/secrets/kubernetes.io/serviceaccount/token").is_file();
        KubeconfigEnv {
            kubeconfig: std::env::var_os("KUBECONFIG"),
            home: std::env::home_dir(),
            in_cluster,
            proxy: ProxyEnv::from_process(),
        }
    }
}

/// A loaded client configuration and what to call it in messages.
pub(crate) struct Loaded {
    pub config: kube::Config,
    pub context_name: String,
    pub server: String,
    pub default_namespace: String,
    /// `kubectl` plus the flags that reach the same cluster as the same user, for hints.
    pub kubectl: String,
    /// The kubeconfig's cluster names its own `proxy-url`, which overrides the environment.
    pub explicit_proxy: bool,
}

/// Loads the kubeconfig as kubectl would and applies the impersonation flags.
pub(crate) async fn load(opts: &LiveOptions, env: &KubeconfigEnv) -> Result<Loaded, LiveError> {
    let (kubeconfig, sources) = read_kubeconfig(opts, env)?;
    let empty = kubeconfig.contexts.is_empty()
        && kubeconfig.clusters.is_empty()
        && kubeconfig
            .current_context
            .as_deref()
            .unwrap_or_default()
            .is_empty();
    let mut loaded = if empty && opts.context.is_none() && opts.server.is_none() {
        in_cluster(env, &sources)?
    } else {
        from_kubeconfig(kubeconfig, opts, &sources).await?
    };
    apply_impersonation(&mut loaded.config, opts)?;
    if !loaded.explicit_proxy {
        apply_env_proxy(&mut loaded.config, &env.proxy)?;
    }
    let in_cluster = loaded.context_name == IN_CLUSTER;
    loaded.kubectl = opts.kubectl((!in_cluster).then_some(loaded.context_name.as_str()));
    Ok(loaded)
}

/// The namespace a run without -n works in, found as `load` finds it but from the files alone, for dumps:
/// the context's namespace, else `default`. An unreadable or missing kubeconfig simply means `default`.
pub fn context_namespace(opts: &LiveOptions, env: &KubeconfigEnv) -> String {
    let from_files = read_kubeconfig(opts, env).ok().and_then(|(kubeconfig, _)| {
        let name = opts
            .context
            .clone()
            .or(kubeconfig.current_context.clone())?;
        kubeconfig
            .contexts
            .into_iter()
            .find(|c| c.name == name)?
            .context?
            .namespace
    });
    from_files
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "default".to_string())
}

/// Reads the kubeconfig file(s), returning the merged config and the files it came from.
// Mirrors k8s.io/client-go/tools/clientcmd/loader.go (ClientConfigLoadingRules.Load): an explicit file must
// exist; KUBECONFIG files are merged first-wins and missing ones skipped; else ~/.kube/config if present.
fn read_kubeconfig(
    opts: &LiveOptions,
    env: &KubeconfigEnv,
) -> Result<(Kubeconfig, Vec<PathBuf>), LiveError> {
    if let Some(path) = &opts.kubeconfig {
        if !path.exists() {
            return Err(LiveError::Kubeconfig {
                message: format!("--kubeconfig {}: no such file", path.display()),
                hint: Some("pass the path of an existing kubeconfig file".into()),
            });
        }
        let config = read_file(path)?;
        return Ok((config, vec![path.clone()]));
    }
    let candidates: Vec<PathBuf> = match env.kubeconfig.as_ref().filter(|v| !v.is_empty()) {
        Some(list) => {
            let mut seen = HashSet::new();
            std::env::split_paths(list)
                .filter(|p| !p.as_os_str().is_empty())
                .filter(|p| seen.insert(p.clone()))
                .collect()
        }
        None => env
            .home
            .iter()
            .map(|h| h.join(".kube").join("config"))
            .collect(),
    };
    let mut merged = Kubeconfig::default();
    let mut sources = Vec::new();
    for path in candidates {
        if !path.exists() {
            continue;
        }
        let next = read_file(&path)?;
        merged = merge(merged, next).map_err(|e| LiveError::Kubeconfig {
            message: format!("cannot merge {}: {e}", path.display()),
            hint: None,
        })?;
        sources.push(path);
    }
    Ok((merged, sources))
}

/// kube refuses to merge files whose `kind`/`apiVersion` differ; client-go does not look at them, so neither do we.
fn merge(mut base: Kubeconfig, mut next: Kubeconfig) -> Result<Kubeconfig, KubeconfigError> {
    if base.kind.is_some() {
        next.kind = None;
    }
    if base.api_version.is_some() {
        next.api_version = None;
    }
    if next.kind.is_some() {
        base.kind = None;
    }
    if next.api_version.is_some() {
        base.api_version = None;
    }
    base.merge(next)
}

fn read_file(path: &Path) -> Result<Kubeconfig, LiveError> {
    Kubeconfig::read_from(path).map_err(|e| LiveError::Kubeconfig {
        message: match &e {
            KubeconfigError::ReadConfig(io, _) => format!("cannot read {}: {io}", path.display()),
            other => format!("{}: {}", path.display(), one_line(&other.to_string())),
        },
        hint: Some(format!(
            "fix or remove the file; check what kubectl sees with: kubectl --kubeconfig {} config view",
            quote(&path.display().to_string())
        )),
    })
}

/// The name used for a context made from the connection flags alone (`--server` without a kubeconfig).
const FLAGS_ONLY: &str = "flags";
/// The name used for the in-cluster configuration.
const IN_CLUSTER: &str = "in-cluster";

async fn from_kubeconfig(
    mut kubeconfig: Kubeconfig,
    opts: &LiveOptions,
    sources: &[PathBuf],
) -> Result<Loaded, LiveError> {
    let where_ = describe_sources(sources);
    let context_name = match opts
        .context
        .clone()
        .filter(|c| !c.is_empty())
        .or_else(|| kubeconfig.current_context.clone().filter(|c| !c.is_empty()))
    {
        Some(name) => name,
        // kubectl --server URL works without any kubeconfig: the flags are the whole configuration.
        None if opts.server.is_some() => {
            kubeconfig.contexts.push(NamedContext {
                name: FLAGS_ONLY.into(),
                context: Some(Context {
                    cluster: FLAGS_ONLY.into(),
                    ..Context::default()
                }),
                ..NamedContext::default()
            });
            FLAGS_ONLY.into()
        }
        None => {
            return Err(LiveError::Kubeconfig {
                message: format!("no current context is set in {where_}"),
                hint: Some(
                    "pick one with --context NAME (see: kubectl config get-contexts), or set it: kubectl config use-context NAME"
                        .into(),
                ),
            });
        }
    };
    let Some(context) = kubeconfig
        .contexts
        .iter()
        .find(|c| c.name == context_name)
        .and_then(|c| c.context.clone())
    else {
        return Err(LiveError::Kubeconfig {
            message: format!("context \"{context_name}\" not found in {where_}"),
            hint: Some("list the contexts with: kubectl config get-contexts".into()),
        });
    };
    let cluster_name = opts.cluster.clone().unwrap_or(context.cluster.clone());
    let user_name = opts.user.clone().or(context.user.clone());
    if opts.cluster.is_some() && !kubeconfig.clusters.iter().any(|c| c.name == cluster_name) {
        return Err(LiveError::Kubeconfig {
            message: format!("cluster \"{cluster_name}\" not found in {where_}"),
            hint: Some("list the clusters with: kubectl config get-clusters".into()),
        });
    }
    if let Some(user) = &opts.user
        && !kubeconfig.auth_infos.iter().any(|u| &u.name == user)
    {
        return Err(LiveError::Kubeconfig {
            message: format!("user \"{user}\" not found in {where_}"),
            hint: Some("list the users with: kubectl config get-users".into()),
        });
    }
    let user_name = apply_overrides(&mut kubeconfig, opts, &cluster_name, user_name);
    let cluster = kubeconfig
        .clusters
        .iter()
        .find(|c| c.name == cluster_name)
        .and_then(|c| c.cluster.as_ref());
    let explicit_proxy = cluster
        .and_then(|c| c.proxy_url.as_deref())
        .is_some_and(|p| !p.is_empty());
    let server = cluster
        .and_then(|c| c.server.clone())
        .filter(|s| !s.is_empty());
    let Some(server) = server else {
        return Err(LiveError::Kubeconfig {
            message: format!(
                "context \"{context_name}\" uses cluster \"{cluster_name}\", which has no server URL in {where_}"
            ),
            hint: Some("check the cluster entry with: kubectl config view --minify".into()),
        });
    };
    let default_namespace = context
        .namespace
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "default".to_string());
    let options = KubeConfigOptions {
        context: Some(context_name.clone()),
        cluster: Some(cluster_name),
        user: user_name,
    };
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(|e| LiveError::Kubeconfig {
            message: format!(
                "context \"{context_name}\" in {where_}: {}",
                one_line(&e.to_string())
            ),
            hint: Some("check the context with: kubectl config view --minify".into()),
        })?;
    Ok(Loaded {
        config,
        context_name,
        server,
        default_namespace,
        kubectl: String::new(),
        explicit_proxy,
    })
}

/// Writes the connection flags into the kubeconfig entries the run uses, as client-go's
/// DirectClientConfig merges `ConfigOverrides` over the file; returns the user entry to use.
// Mirrors k8s.io/client-go/tools/clientcmd/client_config.go (getContext, getAuthInfo, getCluster).
fn apply_overrides(
    kubeconfig: &mut Kubeconfig,
    opts: &LiveOptions,
    cluster_name: &str,
    user_name: Option<String>,
) -> Option<String> {
    let touches_cluster = opts.server.is_some()
        || opts.certificate_authority.is_some()
        || opts.insecure_skip_tls_verify
        || opts.tls_server_name.is_some();
    if touches_cluster {
        if !kubeconfig.clusters.iter().any(|c| c.name == cluster_name) {
            kubeconfig.clusters.push(NamedCluster {
                name: cluster_name.to_string(),
                cluster: Some(Cluster::default()),
                ..NamedCluster::default()
            });
        }
        let entry = kubeconfig
            .clusters
            .iter_mut()
            .find(|c| c.name == cluster_name)
            .expect("pushed above");
        let cluster = entry.cluster.get_or_insert_with(Cluster::default);
        if let Some(server) = &opts.server {
            cluster.server = Some(server.clone());
        }
        if let Some(ca) = &opts.certificate_authority {
            cluster.certificate_authority = Some(ca.display().to_string());
            cluster.certificate_authority_data = None;
        }
        if opts.insecure_skip_tls_verify {
            // client-go: skipping verification with no CA flag clears the file's CA, which would contradict it.
            cluster.insecure_skip_tls_verify = Some(true);
            cluster.certificate_authority = None;
            cluster.certificate_authority_data = None;
        }
        if let Some(name) = &opts.tls_server_name {
            cluster.tls_server_name = Some(name.clone());
        }
    }
    let Some(token) = &opts.token else {
        return user_name;
    };
    // A token flag replaces the user's credentials; with no user entry, one is made for it.
    let name = user_name.unwrap_or_else(|| FLAGS_ONLY.to_string());
    if !kubeconfig.auth_infos.iter().any(|u| u.name == name) {
        kubeconfig.auth_infos.push(NamedAuthInfo {
            name: name.clone(),
            auth_info: Some(AuthInfo::default()),
            ..NamedAuthInfo::default()
        });
    }
    if let Some(entry) = kubeconfig.auth_infos.iter_mut().find(|u| u.name == name) {
        let auth = entry.auth_info.get_or_insert_with(AuthInfo::default);
        auth.token = Some(token.clone().into());
        auth.token_file = None;
        auth.exec = None;
        auth.auth_provider = None;
        auth.username = None;
        auth.password = None;
    }
    Some(name)
}

fn in_cluster(env: &KubeconfigEnv, sources: &[PathBuf]) -> Result<Loaded, LiveError> {
    if !env.in_cluster {
        let looked = if let Some(list) = env.kubeconfig.as_ref().filter(|v| !v.is_empty()) {
            format!("KUBECONFIG={}", list.to_string_lossy())
        } else {
            env.home
                .as_ref()
                .map(|h| h.join(".kube").join("config").display().to_string())
                .unwrap_or_else(|| "~/.kube/config (no home directory)".into())
        };
        let message = if sources.is_empty() {
            format!("no kubeconfig found (looked at {looked}) and not running inside a cluster")
        } else {
            format!(
                "{} holds no contexts and this is not running inside a cluster",
                describe_sources(sources)
            )
        };
        return Err(LiveError::Kubeconfig {
            message,
            hint: Some("point --kubeconfig or KUBECONFIG at your cluster's kubeconfig file".into()),
        });
    }
    let config = kube::Config::incluster().map_err(|e| LiveError::Kubeconfig {
        message: format!("in-cluster configuration: {}", one_line(&e.to_string())),
        hint: Some("check the pod's service account token is mounted".into()),
    })?;
    Ok(Loaded {
        server: config.cluster_url.to_string(),
        default_namespace: config.default_namespace.clone(),
        config,
        context_name: IN_CLUSTER.into(),
        kubectl: String::new(),
        explicit_proxy: false,
    })
}

/// kube reads only HTTPS_PROXY and ignores NO_PROXY and loopback; kubectl (Go's net/http) does not, so the
/// proxy is decided here instead (see `proxy::proxy_for`).
fn apply_env_proxy(config: &mut kube::Config, env: &ProxyEnv) -> Result<(), LiveError> {
    let url = &config.cluster_url;
    let chosen = proxy_for(
        url.scheme_str().unwrap_or("https"),
        url.host().unwrap_or_default(),
        url.port_u16(),
        env,
    );
    config.proxy_url = match chosen {
        Some(p) => Some(p.parse().map_err(|e| LiveError::Kubeconfig {
            message: format!("invalid proxy URL {p:?} in the environment: {e}"),
            hint: Some("fix HTTPS_PROXY / HTTP_PROXY, or list the server in NO_PROXY".into()),
        })?),
        None => None,
    };
    Ok(())
}

// Mirrors k8s.io/client-go/transport/round_trippers.go (NewImpersonatingRoundTripper): groups without a
// user are refused rather than silently dropped.
fn apply_impersonation(config: &mut kube::Config, opts: &LiveOptions) -> Result<(), LiveError> {
    if let Some(user) = opts.impersonate_user.as_ref().filter(|u| !u.is_empty()) {
        config.auth_info.impersonate = Some(user.clone());
    }
    if !opts.impersonate_groups.is_empty() {
        config.auth_info.impersonate_groups = Some(opts.impersonate_groups.clone());
    }
    if let Some(uid) = opts.impersonate_uid.as_ref().filter(|u| !u.is_empty()) {
        config.auth_info.impersonate_uid = Some(uid.clone());
    }
    let has_groups = config
        .auth_info
        .impersonate_groups
        .as_ref()
        .is_some_and(|g| !g.is_empty());
    let has_uid = config
        .auth_info
        .impersonate_uid
        .as_ref()
        .is_some_and(|u| !u.is_empty());
    if (has_groups || has_uid)
        && config
            .auth_info
            .impersonate
            .as_deref()
            .unwrap_or_default()
            .is_empty()
    {
        return Err(LiveError::Kubeconfig {
            message:
                "--as-group and --as-uid need --as: they can only be impersonated together with a user"
                    .into(),
            hint: Some("add --as USER".into()),
        });
    }
    Ok(())
}

fn describe_sources(sources: &[PathBuf]) -> String {
    match sources {
        [] => "the kubeconfig".to_string(),
        [one] => one.display().to_string(),
        many => format!(
            "the kubeconfig files {}",
            many.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn kubeconfig(current: &str, contexts: &[(&str, &str, Option<&str>)], server: &str) -> String {
        let mut s =
            format!("apiVersion: v1\nkind: Config\ncurrent-context: \"{current}\"\nclusters:\n");
        for (_, cluster, _) in contexts {
            s.push_str(&format!(
                "- name: {cluster}\n  cluster:\n    server: {server}\n"
            ));
        }
        s.push_str("users:\n- name: u\n  user:\n    token: t\ncontexts:\n");
        for (name, cluster, ns) in contexts {
            s.push_str(&format!(
                "- name: {name}\n  context:\n    cluster: {cluster}\n    user: u\n"
            ));
            if let Some(ns) = ns {
                s.push_str(&format!("    namespace: {ns}\n"));
            }
        }
        s
    }

    fn opts(path: Option<PathBuf>, context: Option<&str>) -> LiveOptions {
        LiveOptions {
            kubeconfig: path,
            context: context.map(str::to_string),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn kubeconfig_selection_follows_kubectl_rules() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(
            dir.path(),
            "a",
            &kubeconfig(
                "a-ctx",
                &[("a-ctx", "a-cl", Some("team-a"))],
                "http://127.0.0.1:1",
            ),
        );
        let b = write(
            dir.path(),
            "b",
            &kubeconfig(
                "b-ctx",
                &[("b-ctx", "b-cl", None), ("a-ctx", "shadow", None)],
                "http://127.0.0.1:2",
            ),
        );
        let home = dir.path().join("home");
        std::fs::create_dir_all(home.join(".kube")).unwrap();
        write(
            &home.join(".kube"),
            "config",
            &kubeconfig("home-ctx", &[("home-ctx", "h", None)], "http://127.0.0.1:3"),
        );
        let missing = dir.path().join("missing");
        let list = |ps: &[&Path]| Some(std::env::join_paths(ps).unwrap());

        struct Case {
            name: &'static str,
            opts: LiveOptions,
            env: KubeconfigEnv,
            want: Result<(&'static str, &'static str, &'static str), &'static str>,
        }
        let cases = [
            Case {
                name: "first KUBECONFIG file's current-context wins and its context shadows the second's",
                opts: opts(None, None),
                env: KubeconfigEnv {
                    kubeconfig: list(&[&a, &b]),
                    home: Some(home.clone()),
                    in_cluster: false,
                    proxy: ProxyEnv::default(),
                },
                want: Ok(("a-ctx", "http://127.0.0.1:1", "team-a")),
            },
            Case {
                name: "a context only in the second KUBECONFIG file is found",
                opts: opts(None, Some("b-ctx")),
                env: KubeconfigEnv {
                    kubeconfig: list(&[&a, &b]),
                    home: Some(home.clone()),
                    in_cluster: false,
                    proxy: ProxyEnv::default(),
                },
                want: Ok(("b-ctx", "http://127.0.0.1:2", "default")),
            },
            Case {
                name: "missing files in KUBECONFIG are skipped",
                opts: opts(None, None),
                env: KubeconfigEnv {
                    kubeconfig: list(&[&missing, &b]),
                    home: None,
                    in_cluster: false,
                    proxy: ProxyEnv::default(),
                },
                want: Ok(("b-ctx", "http://127.0.0.1:2", "default")),
            },
            Case {
                name: "--kubeconfig overrides KUBECONFIG",
                opts: opts(Some(b.clone()), None),
                env: KubeconfigEnv {
                    kubeconfig: list(&[&a]),
                    home: Some(home.clone()),
                    in_cluster: false,
                    proxy: ProxyEnv::default(),
                },
                want: Ok(("b-ctx", "http://127.0.0.1:2", "default")),
            },
            Case {
                name: "without KUBECONFIG ~/.kube/config is used",
                opts: opts(None, None),
                env: KubeconfigEnv {
                    kubeconfig: None,
                    home: Some(home.clone()),
                    in_cluster: false,
                    proxy: ProxyEnv::default(),
                },
                want: Ok(("home-ctx", "http://127.0.0.1:3", "default")),
            },
            Case {
                name: "missing --kubeconfig is an error naming the file",
                opts: opts(Some(missing.clone()), None),
                env: KubeconfigEnv::default(),
                want: Err("no such file"),
            },
            Case {
                name: "unknown context is an error naming it",
                opts: opts(None, Some("nope")),
                env: KubeconfigEnv {
                    kubeconfig: list(&[&a]),
                    home: None,
                    in_cluster: false,
                    proxy: ProxyEnv::default(),
                },
                want: Err("context \"nope\" not found"),
            },
            Case {
                name: "nothing found and not in a cluster says where it looked",
                opts: opts(None, None),
                env: KubeconfigEnv {
                    kubeconfig: list(&[&missing]),
                    home: None,
                    in_cluster: false,
                    proxy: ProxyEnv::default(),
                },
                want: Err("no kubeconfig found (looked at KUBECONFIG="),
            },
        ];
        for c in cases {
            match (load(&c.opts, &c.env).await, c.want) {
                (Ok(l), Ok((ctx, server, ns))) => {
                    assert_eq!(
                        (
                            l.context_name.as_str(),
                            l.server.as_str(),
                            l.default_namespace.as_str()
                        ),
                        (ctx, server, ns),
                        "{}",
                        c.name
                    );
                }
                (Err(e), Err(want)) => {
                    assert!(e.to_string().contains(want), "{}: {e}", c.name);
                    assert!(e.hint().is_some(), "{}: needs a hint", c.name);
                }
                (got, want) => panic!(
                    "{}: got {:?}, want {want:?}",
                    c.name,
                    got.map(|l| l.context_name)
                ),
            }
        }
    }

    #[tokio::test]
    async fn impersonation_flags_reach_the_client_config_and_the_hint_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let a = write(
            dir.path(),
            "a",
            &kubeconfig("c", &[("c", "cl", None)], "http://127.0.0.1:1"),
        );
        let env = KubeconfigEnv::default();
        let mut o = opts(Some(a.clone()), None);
        o.impersonate_user = Some("viewer".into());
        o.impersonate_groups = vec!["team one".into()];
        let l = load(&o, &env).await.unwrap();
        assert_eq!(l.config.auth_info.impersonate.as_deref(), Some("viewer"));
        assert_eq!(
            l.config.auth_info.impersonate_groups,
            Some(vec!["team one".to_string()])
        );
        assert_eq!(
            l.kubectl,
            format!(
                "kubectl --kubeconfig {} --context c --as viewer --as-group 'team one'",
                a.display()
            )
        );

        let mut groups_only = opts(Some(a), None);
        groups_only.impersonate_groups = vec!["g".into()];
        let err = load(&groups_only, &env)
            .await
            .err()
            .expect("groups without user must fail");
        assert!(
            err.to_string()
                .contains("--as-group and --as-uid need --as"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn environment_proxy_is_decided_like_kubectl() {
        let dir = tempfile::tempdir().unwrap();
        let plain = write(
            dir.path(),
            "plain",
            &kubeconfig("c", &[("c", "cl", None)], "https://api.example.com:6443"),
        );
        let with_proxy_url = write(
            dir.path(),
            "explicit",
            &kubeconfig("c", &[("c", "cl", None)], "https://api.example.com:6443").replace(
                "    server:",
                "    proxy-url: http://from-kubeconfig:1\n    server:",
            ),
        );
        let proxy = |no_proxy: Option<&str>| ProxyEnv {
            https_proxy: Some("http://corp:3128".into()),
            http_proxy: None,
            no_proxy: no_proxy.map(str::to_string),
        };
        let cases = [
            (
                "HTTPS_PROXY applies to an https server",
                &plain,
                proxy(None),
                Some("http://corp:3128/"),
            ),
            (
                "NO_PROXY domain match connects directly",
                &plain,
                proxy(Some("example.com")),
                None,
            ),
            (
                "no proxy variables connects directly",
                &plain,
                ProxyEnv::default(),
                None,
            ),
            (
                "the kubeconfig's proxy-url wins over the environment",
                &with_proxy_url,
                proxy(Some("*")),
                Some("http://from-kubeconfig:1/"),
            ),
        ];
        for (name, path, proxy, want) in cases {
            let env = KubeconfigEnv {
                proxy,
                ..Default::default()
            };
            let l = load(&opts(Some(path.clone()), None), &env).await.unwrap();
            assert_eq!(
                l.config.proxy_url.map(|u| u.to_string()).as_deref(),
                want,
                "{name}"
            );
        }
    }
}
