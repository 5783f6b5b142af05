//! The plugin around the binary: the committed completion scripts and man pages match the CLI, dynamic
//! completion answers kubectl's plugin completion protocol (directly, and through kubectl itself against
//! a stand-in API server), every --help carries examples that parse, and the krew manifest and release
//! script follow krew's rules. Regenerate the committed files with:
//!     UPDATE_GENERATED=1 cargo test --test it plugin::generated

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::{CommandFactory, Parser};
use kubectl_ds::cli::Args;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path, path_regex, query_param};
use wiremock::{Mock, Request, ResponseTemplate};

use crate::api_server::*;
use crate::support::{Run, kubectl_ds, kubectl_ds_with};

const UPDATE: &str = "UPDATE_GENERATED";
const REGENERATE: &str =
    "regenerate with: UPDATE_GENERATED=1 cargo test --test it plugin::generated";
const PARTIAL_METADATA: &str = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
/// krew-manifest.yaml's stand-in digest (sha256 of empty input), which scripts/release.sh replaces.
const TEMPLATE_SHA: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------------------
// Generated files: completion scripts and man pages.

/// Compares freshly generated files with those committed under `dir` (or writes them when UPDATE_GENERATED
/// is set). `owned` says which committed files this generator owns, to report stale ones.
fn check_generated(dir: &str, generated: BTreeMap<String, Vec<u8>>, owned: impl Fn(&str) -> bool) {
    let dir = repo().join(dir);
    let committed: BTreeSet<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| owned(n))
                .collect()
        })
        .unwrap_or_default();
    if std::env::var_os(UPDATE).is_some() {
        std::fs::create_dir_all(&dir).expect("create dir");
        for (name, bytes) in &generated {
            std::fs::write(dir.join(name), bytes).expect("write generated file");
        }
        for stale in committed.iter().filter(|n| !generated.contains_key(*n)) {
            std::fs::remove_file(dir.join(stale)).expect("remove stale file");
        }
        return;
    }
    let mut problems = Vec::new();
    for (name, bytes) in &generated {
        match std::fs::read(dir.join(name)) {
            Ok(old) if old == *bytes => {}
            Ok(_) => problems.push(format!("{name} differs from what the CLI generates")),
            Err(_) => problems.push(format!("{name} is missing")),
        }
    }
    for stale in committed.iter().filter(|n| !generated.contains_key(*n)) {
        problems.push(format!("{stale} is no longer generated"));
    }
    assert!(
        problems.is_empty(),
        "{}/ is out of date:\n  {}\n{REGENERATE}",
        dir.display(),
        problems.join("\n  ")
    );
}

const SCRIPTS: [(&str, &str); 4] = [
    ("bash", "kubectl-ds.bash"),
    ("zsh", "_kubectl-ds"),
    ("fish", "kubectl-ds.fish"),
    ("powershell", "kubectl-ds.ps1"),
];

#[test]
fn generated_completion_scripts_match_the_cli() {
    let mut generated = BTreeMap::new();
    for (shell, file) in SCRIPTS {
        // Through the binary, exactly as a user produces them.
        let run = kubectl_ds(&["completion", shell]);
        assert_eq!(run.code, 0, "completion {shell}: {}", run.stderr);
        assert!(
            !run.stdout.contains("__complete"),
            "{shell}: the hidden __complete subcommand must not be offered"
        );
        generated.insert(file.to_string(), run.stdout.into_bytes());
    }
    check_generated("completions", generated, |n| {
        SCRIPTS.iter().any(|(_, f)| *f == n)
    });
}

#[test]
fn generated_man_pages_match_the_cli() {
    let tmp = tempfile::tempdir().expect("tempdir");
    clap_mangen::generate_to(Args::command(), tmp.path()).expect("render man pages");
    let mut generated = BTreeMap::new();
    for entry in std::fs::read_dir(tmp.path()).expect("read").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        generated.insert(name, std::fs::read(entry.path()).expect("read page"));
    }
    let names: Vec<&String> = generated.keys().collect();
    for want in [
        "kubectl-ds.1",
        "kubectl-ds-why.1",
        "kubectl-ds-coverage.1",
        "kubectl-ds-completion.1",
    ] {
        assert!(generated.contains_key(want), "{want} not in {names:?}");
    }
    assert!(
        !names.iter().any(|n| n.contains("__complete")),
        "hidden subcommand has no page: {names:?}"
    );
    let root = String::from_utf8_lossy(&generated["kubectl-ds.1"]).into_owned();
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH SUBCOMMANDS"] {
        assert!(root.contains(section), "kubectl-ds.1 lacks {section}");
    }
    let why = String::from_utf8_lossy(&generated["kubectl-ds-why.1"]).into_owned();
    assert!(
        why.contains("kubectl ds why node\\-exporter"),
        "the why page carries its examples"
    );
    check_generated("man", generated, |n| n.ends_with(".1"));
}

// ---------------------------------------------------------------------------------------------------
// --help: every command has examples, and every example of `kubectl ds` parses.

#[test]
fn every_help_has_examples_that_parse() {
    let cases: &[(&str, &[&str])] = &[
        ("root", &["--help"]),
        ("why", &["why", "--help"]),
        ("coverage", &["coverage", "--help"]),
        ("completion", &["completion", "--help"]),
    ];
    for (name, args) in cases {
        let run = kubectl_ds(args);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        let examples = run
            .stdout
            .split_once("Examples:\n")
            .map(|(_, e)| e)
            .unwrap_or_else(|| panic!("{name}: no Examples section:\n{}", run.stdout));
        let commands: Vec<&str> = examples
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("kubectl ds ") || l.starts_with("kubectl-ds "))
            .collect();
        assert!(!commands.is_empty(), "{name}: no example command");
        for line in commands {
            // Shell syntax (redirections, process substitution) ends the command's own words.
            let words: Vec<&str> = line
                .split_whitespace()
                .take_while(|w| !w.starts_with('>') && !w.starts_with('<') && *w != "|")
                .collect();
            let rest = if words[0] == "kubectl" {
                &words[2..]
            } else {
                &words[1..]
            };
            let argv: Vec<&str> = std::iter::once("kubectl-ds")
                .chain(rest.iter().copied())
                .collect();
            if let Err(e) = Args::try_parse_from(&argv) {
                panic!("{name}: example `{line}` does not parse: {e}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Dynamic completion.

/// A completion answer: candidate values (descriptions dropped), whether any had a description, the
/// directive.
#[derive(Debug)]
struct Answer {
    values: Vec<String>,
    described: bool,
    directive: Option<u32>,
}

fn parse_answer(stdout: &str) -> Answer {
    let mut lines: Vec<&str> = stdout.lines().filter(|l| !l.is_empty()).collect();
    let directive = lines
        .last()
        .and_then(|l| l.strip_prefix(':'))
        .and_then(|d| d.parse().ok());
    if directive.is_some() {
        lines.pop();
    }
    Answer {
        described: lines.iter().any(|l| l.contains('\t')),
        values: lines
            .iter()
            .map(|l| l.split('\t').next().unwrap_or_default().to_string())
            .collect(),
        directive,
    }
}

/// DaemonSet names per namespace and namespace names from the recorded cluster, served as the
/// metadata-only lists the completion asks for.
async fn mount_names(api: &ApiServer) {
    let daemonsets: Value =
        serde_json::from_str(&real_fixture("daemonsets.json")).expect("daemonsets");
    let meta_list = |items: Vec<Value>| {
        json!({"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1", "metadata": {}, "items": items})
            .to_string()
    };
    let by_namespace = move |req: &Request| {
        let ns = req
            .url
            .path()
            .split('/')
            .nth(5)
            .unwrap_or_default()
            .to_string();
        let items = daemonsets["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|i| i["metadata"]["namespace"] == ns.as_str())
            .map(|i| json!({"metadata": {"name": i["metadata"]["name"], "namespace": ns}}))
            .collect();
        json(meta_list(items))
    };
    api.mount(
        Mock::given(method("GET"))
            .and(path_regex(r"^/apis/apps/v1/namespaces/[^/]+/daemonsets$"))
            .and(query_param("limit", "500"))
            .and(header("accept", PARTIAL_METADATA))
            .respond_with(by_namespace),
    )
    .await;
    let namespaces: Value =
        serde_json::from_str(&real_fixture("namespaces.json")).expect("namespaces");
    let items = namespaces["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| json!({"metadata": {"name": i["metadata"]["name"]}}))
        .collect();
    api.mount(
        list("/api/v1/namespaces")
            .and(header("accept", PARTIAL_METADATA))
            .respond_with(json(meta_list(items))),
    )
    .await;
}

/// A kubeconfig with three contexts on the stand-in server: `test` (current, namespace rollout),
/// `prod` (namespace kube-system) and `bare` (no namespace).
fn names_kubeconfig(api: &ApiServer) -> PathBuf {
    let uri = api.server.uri();
    write_kubeconfig(
        api.dir.path(),
        "names-config",
        "test",
        &[
            ("test", &uri, Some("rollout")),
            ("prod", &uri, Some("kube-system")),
            ("bare", &uri, None),
        ],
    )
}

/// `kubectl-ds __complete -- WORDS` with only KUBECONFIG from the test, off the async runtime.
async fn complete_direct(words: &[&str], kubeconfig: &Path) -> Run {
    let mut args = vec!["__complete".to_string(), "--".to_string()];
    args.extend(words.iter().map(|w| w.to_string()));
    let kc = kubeconfig.to_string_lossy().into_owned();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        kubectl_ds_with(&args, &[("KUBECONFIG", &kc)], None)
    })
    .await
    .expect("join")
}

/// Cases shared by the direct and the through-kubectl tests: words after `ds`, the exact values wanted.
fn name_cases() -> Vec<(&'static str, Vec<&'static str>, Vec<&'static str>)> {
    vec![
        (
            "DaemonSets of the context's namespace",
            vec!["why", ""],
            vec!["legacy-agent", "surge-agent", "web-agent"],
        ),
        (
            "DaemonSets of -n, filtered by what is typed",
            vec!["why", "-n", "kube-system", "k"],
            vec!["kube-proxy"],
        ),
        (
            "DaemonSets of --context's namespace",
            vec!["--context", "prod", "why", ""],
            vec!["ib-agent", "kube-proxy"],
        ),
        (
            "DaemonSets of a context without namespace: default",
            vec!["why", "--context=bare", ""],
            vec![],
        ),
        (
            "namespaces after -n",
            vec!["why", "-n", "mo"],
            vec!["monitoring"],
        ),
        (
            "namespaces after --namespace=",
            vec!["coverage", "--namespace=kube-"],
            vec!["kube-node-lease", "kube-public", "kube-system"],
        ),
        (
            "contexts from the kubeconfig",
            vec!["why", "x", "--context", ""],
            vec!["bare", "prod", "test"],
        ),
        (
            "output formats",
            vec!["why", "x", "-o", ""],
            vec!["table", "wide", "json", "yaml", "name"],
        ),
        (
            "colour values",
            vec!["coverage", "--color", "a"],
            vec!["auto", "always"],
        ),
        (
            "subcommands",
            vec![""],
            vec!["why", "coverage", "plan", "completion", "help"],
        ),
        (
            "nothing after the DaemonSet name",
            vec!["why", "fluentd", ""],
            vec![],
        ),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn dynamic_completion_answers_the_protocol_from_the_api() {
    let api = ApiServer::start().await;
    mount_names(&api).await;
    let kc = names_kubeconfig(&api);

    for (name, words, want) in name_cases() {
        let run = complete_direct(&words, &kc).await;
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert_eq!(
            run.stderr, "",
            "{name}: completion writes nothing to stderr"
        );
        let answer = parse_answer(&run.stdout);
        assert_eq!(answer.values, want, "{name}: {}", run.stdout);
        assert_eq!(answer.directive, Some(4), "{name}: no file completion");
    }

    assert!(
        !api.queries("/apis/apps/v1/namespaces/default/daemonsets")
            .await
            .is_empty(),
        "a context without namespace means namespace default"
    );

    let flags = parse_answer(&complete_direct(&["coverage", "--"], &kc).await.stdout);
    for f in ["--all-namespaces", "--selector", "--nodes", "--namespace"] {
        assert!(
            flags.values.contains(&f.to_string()),
            "{f} in {:?}",
            flags.values
        );
    }
    assert!(flags.described, "flags come with their help as description");
    let files = parse_answer(&complete_direct(&["why", "-f", ""], &kc).await.stdout);
    assert_eq!(
        (files.values.len(), files.directive),
        (0, Some(0)),
        "-f leaves it to the shell's file completion"
    );
    api.assert_only_gets().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn dynamic_completion_through_kubectl_plugin_completion() {
    let Some(kubectl) = which("kubectl") else {
        eprintln!("SKIP dynamic_completion_through_kubectl_plugin_completion: no kubectl on PATH");
        return;
    };
    let api = ApiServer::start().await;
    mount_names(&api).await;
    let kc = names_kubeconfig(&api);
    // kubectl finds the plugin and its completer on PATH: our binary, and the committed script as shipped.
    let bin = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_kubectl-ds"),
        bin.path().join("kubectl-ds"),
    )
    .expect("symlink plugin");
    std::fs::copy(
        repo().join("completions/kubectl_complete-ds"),
        bin.path().join("kubectl_complete-ds"),
    )
    .expect("copy completer");
    let path = std::env::join_paths(std::iter::once(bin.path().to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("PATH");

    let run_kubectl = |request: &'static str, words: Vec<&'static str>| {
        let (kubectl, path, kc, home) = (
            kubectl.clone(),
            path.clone(),
            kc.clone(),
            bin.path().join("home"),
        );
        tokio::task::spawn_blocking(move || {
            let out = Command::new(kubectl)
                .arg(request)
                .arg("ds")
                .args(&words)
                .env("PATH", path)
                .env("KUBECONFIG", kc)
                .env("HOME", home)
                .stdin(Stdio::null())
                .output()
                .expect("run kubectl");
            (
                out.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&out.stdout).into_owned(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        })
    };

    for (name, words, want) in name_cases() {
        let (code, stdout, stderr) = run_kubectl("__complete", words).await.expect("join");
        assert_eq!(code, 0, "{name}: kubectl failed: {stderr}");
        let answer = parse_answer(&stdout);
        assert_eq!(answer.values, want, "{name}: {stdout}\n{stderr}");
        assert_eq!(answer.directive, Some(4), "{name}: {stdout}");
    }
    let (_, described, _) = run_kubectl("__complete", vec![""]).await.expect("join");
    assert!(parse_answer(&described).described, "{described}");
    let (_, plain, _) = run_kubectl("__completeNoDesc", vec![""])
        .await
        .expect("join");
    let plain = parse_answer(&plain);
    assert!(
        !plain.described && plain.values.contains(&"why".to_string()),
        "{plain:?}"
    );
    api.assert_only_gets().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn namespace_names_follow_the_continue_token() {
    let api = ApiServer::start().await;
    let kc = names_kubeconfig(&api);
    let page = |names: &[&str], cont: &str| {
        let items: Vec<Value> = names
            .iter()
            .map(|n| json!({"metadata": {"name": n}}))
            .collect();
        json!({"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1",
            "metadata": {"continue": cont}, "items": items})
        .to_string()
    };
    api.mount(
        list("/api/v1/namespaces")
            .respond_with(json(page(&["kube-system", "default"], "next-page")))
            .expect(1),
    )
    .await;
    api.mount(
        get("/api/v1/namespaces")
            .and(query_param("continue", "next-page"))
            .respond_with(json(page(&["logging"], "")))
            .expect(1),
    )
    .await;

    let answer = parse_answer(&complete_direct(&["why", "-n", ""], &kc).await.stdout);

    assert_eq!(answer.values, vec!["default", "kube-system", "logging"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn dynamic_completion_fails_quietly() {
    let api = ApiServer::start().await;
    let kc = names_kubeconfig(&api);
    api.mount(
        Mock::given(method("GET"))
            .and(path("/apis/apps/v1/namespaces/rollout/daemonsets"))
            .respond_with(status(403, real_fixture("forbidden-daemonsets.json"))),
    )
    .await;
    api.mount(
        Mock::given(method("GET"))
            .and(path("/apis/apps/v1/namespaces/ops/daemonsets"))
            .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30))),
    )
    .await;
    api.mount(
        Mock::given(method("GET"))
            .and(path("/api/v1/namespaces"))
            .respond_with(ResponseTemplate::new(200).set_body_string("not json")),
    )
    .await;
    let dead = {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("port")
            .port();
        write_kubeconfig(
            api.dir.path(),
            "dead",
            "dead",
            &[("dead", &format!("http://127.0.0.1:{port}"), None)],
        )
    };
    let broken = api.dir.path().join("broken");
    std::fs::write(&broken, "clusters: [").expect("write");
    let missing = api.dir.path().join("missing");

    let cases: Vec<(&str, Vec<&str>, &Path, u64)> = vec![
        ("403 on the list", vec!["why", ""], &kc, 10),
        ("unparseable body", vec!["why", "-n", ""], &kc, 10),
        (
            "server too slow for --request-timeout",
            vec!["--request-timeout", "1s", "why", "-n", "ops", ""],
            &kc,
            10,
        ),
        ("nothing listening", vec!["why", ""], &dead, 10),
        ("malformed kubeconfig", vec!["why", ""], &broken, 10),
        ("no kubeconfig", vec!["why", "--context", ""], &missing, 10),
        (
            "unknown context",
            vec!["--context", "nope", "why", ""],
            &kc,
            10,
        ),
        (
            "-f file that does not exist",
            vec!["why", "-f", "/nonexistent", ""],
            &kc,
            10,
        ),
    ];
    for (name, words, kubeconfig, limit) in cases {
        let started = Instant::now();
        let run = complete_direct(&words, kubeconfig).await;
        assert!(
            started.elapsed() < Duration::from_secs(limit),
            "{name}: took {:?}",
            started.elapsed()
        );
        assert_eq!(run.code, 0, "{name}");
        assert_eq!(run.stderr, "", "{name}: nothing on stderr");
        assert_eq!(
            run.stdout, ":4\n",
            "{name}: no candidates, no file completion"
        );
    }
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

// ---------------------------------------------------------------------------------------------------
// krew manifest.

fn manifest_text() -> String {
    std::fs::read_to_string(repo().join("krew-manifest.yaml")).expect("krew-manifest.yaml")
}

fn parse_manifest(text: &str) -> Value {
    serde_saphyr::from_str(text).expect("krew-manifest.yaml is YAML")
}

/// Every platform krew may run on: the selector of at most one platform may match each.
// Mirrors kubernetes-sigs/krew cmd/validate-krew-manifest/main.go (allPlatforms), plus the arm64 builds
// krew itself now ships.
const KREW_PLATFORMS: [(&str, &str); 11] = [
    ("windows", "386"),
    ("windows", "amd64"),
    ("windows", "arm64"),
    ("linux", "386"),
    ("linux", "amd64"),
    ("linux", "arm"),
    ("linux", "arm64"),
    ("linux", "ppc64le"),
    ("darwin", "386"),
    ("darwin", "amd64"),
    ("darwin", "arm64"),
];

/// The platforms this project ships, each with its archive extension.
const SHIPPED: [(&str, &str, &str); 5] = [
    ("linux", "amd64", "tar.gz"),
    ("linux", "arm64", "tar.gz"),
    ("darwin", "amd64", "tar.gz"),
    ("darwin", "arm64", "tar.gz"),
    ("windows", "amd64", "zip"),
];

/// A label selector (matchLabels and matchExpressions) against {os, arch}.
// Mirrors k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go (LabelSelectorAsSelector): all requirements
// must hold; In/NotIn/Exists/DoesNotExist.
fn selector_matches(sel: &Value, os: &str, arch: &str) -> bool {
    let labels = |k: &str| match k {
        "os" => Some(os),
        "arch" => Some(arch),
        _ => None,
    };
    let labels_ok = sel["matchLabels"]
        .as_object()
        .into_iter()
        .flatten()
        .all(|(k, v)| labels(k).is_some() && v.as_str() == labels(k));
    let exprs_ok = sel["matchExpressions"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|e| {
            let value = e["key"].as_str().and_then(labels);
            let values: Vec<&str> = e["values"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            match e["operator"].as_str() {
                Some("In") => value.is_some_and(|v| values.contains(&v)),
                Some("NotIn") => value.is_none_or(|v| !values.contains(&v)),
                Some("Exists") => value.is_some(),
                Some("DoesNotExist") => value.is_none(),
                _ => false,
            }
        });
    labels_ok && exprs_ok
}

/// krew's manifest rules, plus this project's release scheme. Returns every problem found.
// Mirrors kubernetes-sigs/krew pkg/index/validation/validate.go (ValidatePlugin, validatePlatform,
// validateSelector), cmd/validate-krew-manifest/main.go (line lengths, overlapping selectors, each
// platform matching a supported one), internal/installation/semver/version.go (leading v) and
// internal/installation/move.go (findMoveTargets: `to` must be a clean relative path).
fn krew_problems(m: &Value) -> Vec<String> {
    let mut p = Vec::new();
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    if s(&m["apiVersion"]) != "krew.googlecontainertools.github.com/v1alpha2" {
        p.push(format!("apiVersion {:?}", m["apiVersion"]));
    }
    if s(&m["kind"]) != "Plugin" {
        p.push(format!("kind {:?}", m["kind"]));
    }
    let name = s(&m["metadata"]["name"]);
    let reserved = ["con", "prn", "aux", "nul"];
    let safe = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !reserved.contains(&name.to_lowercase().as_str())
        && !(name.len() == 4
            && (name.to_lowercase().starts_with("com") || name.to_lowercase().starts_with("lpt"))
            && name.ends_with(|c: char| c.is_ascii_digit() && c != '0'));
    if !safe {
        p.push(format!("unsafe plugin name {name:?}"));
    }
    if name != "ds" {
        p.push(format!(
            "plugin must be named ds (kubectl ds), not {name:?}"
        ));
    }
    let spec = &m["spec"];
    let version = s(&spec["version"]);
    if !is_krew_semver(&version) {
        p.push(format!(
            "version {version:?} is not semver with a leading v"
        ));
    }
    if version != format!("v{}", env!("CARGO_PKG_VERSION")) {
        p.push(format!(
            "version {version:?} is not Cargo.toml's v{}",
            env!("CARGO_PKG_VERSION")
        ));
    }
    if s(&spec["homepage"]) != env!("CARGO_PKG_REPOSITORY") {
        p.push(format!(
            "homepage {:?} is not Cargo.toml's repository",
            spec["homepage"]
        ));
    }
    for (field, max) in [
        ("shortDescription", 70),
        ("description", 80),
        ("caveats", 80),
    ] {
        let text = s(&spec[field]);
        if text.trim().is_empty() && field != "caveats" {
            p.push(format!("{field} is empty"));
        }
        for line in text.lines() {
            if line.len() > max && line.trim().contains(' ') {
                p.push(format!("{field} line longer than {max}: {line:?}"));
            }
        }
    }
    let platforms = spec["platforms"].as_array().cloned().unwrap_or_default();
    if platforms.is_empty() {
        p.push("no platforms".into());
    }
    let mut shipped = BTreeSet::new();
    for (i, pl) in platforms.iter().enumerate() {
        let sel = &pl["selector"];
        let keys: Vec<String> = sel["matchLabels"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.clone())
            .chain(
                sel["matchExpressions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|e| s(&e["key"])),
            )
            .collect();
        if keys.is_empty() {
            p.push(format!("platform {i}: empty or missing selector"));
        }
        if let Some(k) = keys.iter().find(|k| *k != "os" && *k != "arch") {
            p.push(format!("platform {i}: selector key {k:?} not supported"));
        }
        let matched: Vec<&(&str, &str)> = KREW_PLATFORMS
            .iter()
            .filter(|(os, arch)| selector_matches(sel, os, arch))
            .collect();
        let [(os, arch)] = matched[..] else {
            p.push(format!(
                "platform {i}: selector matches {matched:?}, not one os/arch"
            ));
            continue;
        };
        shipped.insert((os.to_string(), arch.to_string()));
        let ext = if *os == "windows" { "zip" } else { "tar.gz" };
        let want_uri = format!(
            "{}/releases/download/{version}/kubectl-ds_{version}_{os}_{arch}.{ext}",
            env!("CARGO_PKG_REPOSITORY")
        );
        let uri = s(&pl["uri"]);
        if !uri.starts_with("https://") || uri != want_uri {
            p.push(format!("platform {i}: uri {uri:?}, want {want_uri:?}"));
        }
        let sha = s(&pl["sha256"]);
        if sha.len() != 64 || !sha.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')) {
            p.push(format!(
                "platform {i}: sha256 {sha:?} is not 64 lowercase hex digits"
            ));
        }
        let bin = s(&pl["bin"]);
        let want_bin = if *os == "windows" {
            "kubectl-ds.exe"
        } else {
            "kubectl-ds"
        };
        if bin != want_bin {
            p.push(format!("platform {i}: bin {bin:?}, want {want_bin:?}"));
        }
        let files = pl["files"].as_array().cloned().unwrap_or_default();
        if files.is_empty() {
            p.push(format!("platform {i}: no files"));
        }
        let mut froms = BTreeSet::new();
        for f in &files {
            let (from, to) = (s(&f["from"]), s(&f["to"]));
            if from.is_empty() || to.is_empty() {
                p.push(format!("platform {i}: file operation without from/to: {f}"));
            }
            let clean = to == "."
                || (!to.starts_with('/')
                    && !to.ends_with('/')
                    && to
                        .split('/')
                        .all(|c| !c.is_empty() && c != "." && c != ".."));
            if !clean {
                p.push(format!(
                    "platform {i}: `to: {to}` is not a clean relative path"
                ));
            }
            froms.insert(from);
        }
        for needed in [bin.as_str(), "LICENSE", "README.md", "man", "completions"] {
            if !froms.contains(needed) {
                p.push(format!(
                    "platform {i}: {needed} is not installed from the archive"
                ));
            }
        }
    }
    let want: BTreeSet<(String, String)> = SHIPPED
        .iter()
        .map(|(o, a, _)| (o.to_string(), a.to_string()))
        .collect();
    if shipped != want {
        p.push(format!("platforms {shipped:?}, want {want:?}"));
    }
    for (os, arch) in KREW_PLATFORMS {
        let n = platforms
            .iter()
            .filter(|pl| selector_matches(&pl["selector"], os, arch))
            .count();
        if n > 1 {
            p.push(format!("{n} platforms select {os}/{arch}"));
        }
    }
    p
}

/// `v` then semver 2.0 (k8s.io/apimachinery/pkg/util/version ParseSemantic).
fn is_krew_semver(v: &str) -> bool {
    let Some(rest) = v.strip_prefix('v') else {
        return false;
    };
    let (core, _build) = rest.split_once('+').unwrap_or((rest, ""));
    let (core, pre) = core
        .split_once('-')
        .map_or((core, None), |(c, p)| (c, Some(p)));
    let numeric = |n: &str| {
        !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) && (n == "0" || !n.starts_with('0'))
    };
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|n| numeric(n))
        && pre.is_none_or(|p| {
            p.split('.').all(|id| {
                !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
        })
}

#[test]
fn krew_manifest_follows_krews_rules() {
    let text = manifest_text();
    let m = parse_manifest(&text);
    let problems = krew_problems(&m);
    assert!(
        problems.is_empty(),
        "krew-manifest.yaml:\n  {}",
        problems.join("\n  ")
    );
    // The committed manifest is the template: every digest is the stand-in release.sh replaces.
    for pl in m["spec"]["platforms"].as_array().into_iter().flatten() {
        assert_eq!(
            pl["sha256"], TEMPLATE_SHA,
            "committed manifest keeps the template digest"
        );
    }
}

#[test]
fn krew_checks_catch_broken_manifests() {
    let base = parse_manifest(&manifest_text());
    // (name, how the manifest is broken, what the problem reported must mention)
    type Case = (&'static str, Box<dyn Fn(&mut Value)>, &'static str);
    let cases: Vec<Case> = vec![
        (
            "wrong kind",
            Box::new(|m| m["kind"] = json!("Plug")),
            "kind",
        ),
        (
            "unsafe name",
            Box::new(|m| m["metadata"]["name"] = json!("d s")),
            "unsafe",
        ),
        (
            "Windows device name",
            Box::new(|m| m["metadata"]["name"] = json!("COM1")),
            "unsafe",
        ),
        (
            "version without v",
            Box::new(|m| m["spec"]["version"] = json!("0.1.0")),
            "leading v",
        ),
        (
            "version not semver",
            Box::new(|m| m["spec"]["version"] = json!("v1.2")),
            "leading v",
        ),
        (
            "no shortDescription",
            Box::new(|m| m["spec"]["shortDescription"] = json!("")),
            "empty",
        ),
        (
            "long description line",
            Box::new(|m| m["spec"]["description"] = json!(format!("{} end", "word ".repeat(20)))),
            "longer",
        ),
        (
            "uppercase sha256",
            Box::new(|m| m["spec"]["platforms"][0]["sha256"] = json!(TEMPLATE_SHA.to_uppercase())),
            "sha256",
        ),
        (
            "short sha256",
            Box::new(|m| m["spec"]["platforms"][1]["sha256"] = json!("abc")),
            "sha256",
        ),
        (
            "http uri",
            Box::new(|m| {
                let uri = m["spec"]["platforms"][0]["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .replace("https", "http");
                m["spec"]["platforms"][0]["uri"] = json!(uri);
            }),
            "uri",
        ),
        (
            "uri of another version",
            Box::new(|m| {
                let uri = m["spec"]["platforms"][2]["uri"]
                    .as_str()
                    .unwrap_or_default()
                    .replace("v0.", "v9.");
                m["spec"]["platforms"][2]["uri"] = json!(uri);
            }),
            "uri",
        ),
        (
            "windows bin without .exe",
            Box::new(|m| m["spec"]["platforms"][4]["bin"] = json!("kubectl-ds")),
            "bin",
        ),
        (
            "overlapping selectors",
            Box::new(
                |m| m["spec"]["platforms"][1]["selector"] = json!({"matchExpressions": [{"key": "os", "operator": "In", "values": ["linux"]}]}),
            ),
            "select",
        ),
        (
            "unsupported selector key",
            Box::new(|m| {
                m["spec"]["platforms"][0]["selector"]["matchLabels"]["distro"] = json!("debian")
            }),
            "not supported",
        ),
        (
            "missing selector",
            Box::new(|m| m["spec"]["platforms"][0]["selector"] = json!(null)),
            "selector",
        ),
        (
            "unclean to",
            Box::new(|m| m["spec"]["platforms"][0]["files"][3]["to"] = json!("./man")),
            "clean",
        ),
        (
            "LICENSE not installed",
            Box::new(|m| {
                if let Some(files) = m["spec"]["platforms"][0]["files"].as_array_mut() {
                    files.retain(|f| f["from"] != "LICENSE");
                }
            }),
            "LICENSE",
        ),
        (
            "a platform dropped",
            Box::new(|m| {
                if let Some(p) = m["spec"]["platforms"].as_array_mut() {
                    p.pop();
                }
            }),
            "want",
        ),
    ];
    for (name, break_it, expect) in cases {
        let mut m = base.clone();
        break_it(&mut m);
        let problems = krew_problems(&m);
        assert!(
            problems.iter().any(|p| p.contains(expect)),
            "{name}: expected a problem mentioning {expect:?}, got {problems:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------
// scripts/release.sh: the manifest it fills.

/// sha256("abc"), FIPS 180-2's test vector: the content of every stand-in archive below.
const ABC_SHA: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

fn release_manifest(dist: &Path, extra: &[&str]) -> Run {
    let out = Command::new("bash")
        .arg(repo().join("scripts/release.sh"))
        .arg("manifest")
        .args(extra)
        .env("DIST", dist)
        .stdin(Stdio::null())
        .output()
        .expect("run release.sh");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn archive_name(os: &str, arch: &str, ext: &str) -> String {
    let v = format!("v{}", env!("CARGO_PKG_VERSION"));
    format!("kubectl-ds_{v}_{os}_{arch}.{ext}")
}

#[test]
fn krew_release_script_fills_every_digest_from_the_archives() {
    let dist = tempfile::tempdir().expect("tempdir");
    for (os, arch, ext) in SHIPPED {
        std::fs::write(dist.path().join(archive_name(os, arch, ext)), "abc").expect("write");
    }

    let run = release_manifest(dist.path(), &[]);

    assert_eq!(run.code, 0, "release.sh manifest: {}", run.stderr);
    let filled = std::fs::read_to_string(dist.path().join("krew-manifest.yaml")).expect("filled");
    let m = parse_manifest(&filled);
    let problems = krew_problems(&m);
    assert!(
        problems.is_empty(),
        "filled manifest:\n  {}",
        problems.join("\n  ")
    );
    for pl in m["spec"]["platforms"].as_array().into_iter().flatten() {
        assert_eq!(pl["sha256"], ABC_SHA, "{}", pl["uri"]);
    }
    let without_digests = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.trim_start().starts_with("sha256:") && !l.starts_with('#'))
            .map(String::from)
            .collect()
    };
    assert_eq!(
        without_digests(&filled),
        without_digests(&manifest_text()),
        "only the digests change"
    );
    assert!(
        filled.starts_with("# krew plugin manifest for kubectl ds v")
            && !filled.contains("stand-in"),
        "the filled copy does not keep the template's header:\n{filled}"
    );
}

#[test]
fn krew_release_script_refuses_a_missing_archive_unless_partial() {
    let dist = tempfile::tempdir().expect("tempdir");
    for (os, arch, ext) in SHIPPED.iter().filter(|(os, ..)| *os != "windows") {
        std::fs::write(dist.path().join(archive_name(os, arch, ext)), "abc").expect("write");
    }
    let missing = archive_name("windows", "amd64", "zip");

    let strict = release_manifest(dist.path(), &[]);
    assert_ne!(strict.code, 0, "a missing archive must fail");
    assert!(
        strict.stderr.contains(&missing),
        "names {missing}: {}",
        strict.stderr
    );
    assert!(
        !dist.path().join("krew-manifest.yaml").exists(),
        "nothing written"
    );

    let partial = release_manifest(dist.path(), &["--partial"]);
    assert_eq!(partial.code, 0, "{}", partial.stderr);
    assert!(
        partial.stderr.contains(&missing),
        "says which one: {}",
        partial.stderr
    );
    let m = parse_manifest(
        &std::fs::read_to_string(dist.path().join("krew-manifest.yaml")).expect("filled"),
    );
    let digests: Vec<&str> = m["spec"]["platforms"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| p["sha256"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        digests,
        vec![ABC_SHA, ABC_SHA, ABC_SHA, ABC_SHA, TEMPLATE_SHA]
    );
}

/// Release archives are built with the `dist` profile, which keeps the whole-program optimisation that
/// `[profile.release]` gives up so that the README's first `cargo run --release` builds quickly.
#[test]
fn release_script_builds_the_dist_profile_with_lto() {
    let script =
        std::fs::read_to_string(repo().join("scripts/release.sh")).expect("read release.sh");
    assert!(
        script.contains("cargo build --profile dist --locked") && script.contains("/dist/$exe"),
        "scripts/release.sh must build and pack the dist profile"
    );
    let cargo = std::fs::read_to_string(repo().join("Cargo.toml")).expect("read Cargo.toml");
    let section = |name: &str| -> String {
        let start = cargo
            .find(&format!("[profile.{name}]"))
            .unwrap_or_else(|| panic!("Cargo.toml has no [profile.{name}]"));
        let rest = &cargo[start + 1..];
        rest[..rest.find("\n[").unwrap_or(rest.len())].to_string()
    };
    let dist = section("dist");
    for line in [
        "inherits = \"release\"",
        "lto = true",
        "codegen-units = 1",
        "strip = true",
    ] {
        assert!(dist.contains(line), "[profile.dist] lacks `{line}`");
    }
    let release = section("release");
    assert!(
        !release.contains("lto = true") && !release.contains("codegen-units = 1"),
        "[profile.release] builds the README's first command: keep it quick to compile"
    );
}
