//! The candidates that have to be looked up: DaemonSet, namespace and node names from the cluster (with a
//! timeout) or from a dump given with -f, and context names from the kubeconfig kubectl would read.
//! Read-only; whatever fails yields no names, never an error.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Candidate, Plan, Want};
use crate::cli::parse_duration;
use crate::source::file;
use crate::source::live::{KubeconfigEnv, Live, LiveOptions};

/// How long a lookup against the cluster may take when `--request-timeout` is not given: a TAB that hangs
/// is worse than a TAB that offers nothing.
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(5);

/// Names from the dump given with -f, or from the cluster; None when they cannot be had in time.
pub(super) async fn lookup(plan: &Plan) -> Option<Vec<Candidate>> {
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
        impersonate_uid: plan.flag("as_uid").map(str::to_string),
        cluster: plan.flag("cluster").map(str::to_string),
        user: plan.flag("user").map(str::to_string),
        server: plan.flag("server").map(str::to_string),
        token: plan.flag("token").map(str::to_string),
        certificate_authority: plan.flag("certificate_authority").map(PathBuf::from),
        insecure_skip_tls_verify: plan.flags.contains_key("insecure_skip_tls_verify"),
        tls_server_name: plan.flag("tls_server_name").map(str::to_string),
    };
    let live = Live::connect(&opts).await.ok()?;
    match plan.want {
        Want::Namespaces => live.namespace_names().await.ok(),
        Want::Nodes => live.node_names().await.ok(),
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
        Want::Nodes => snapshot
            .nodes
            .iter()
            .filter_map(|n| n.metadata.name.clone())
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

#[cfg(test)]
mod tests {
    use super::super::complete;
    use super::super::test_support::words;
    use super::*;

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
            (
                "node names after --node",
                vec!["why", "d1", "-f", path, "--node", ""],
                &["n1"],
            ),
            (
                "node names after --node=, filtered by prefix",
                vec!["why", "d1", "-f", path, "--node=m"],
                &[],
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
}
