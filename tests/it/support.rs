//! Running the real binary, as a user would, for end-to-end tests.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Mutex;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The bundled example cluster (examples/cluster.yaml), as a `-f` argument.
pub fn example_cluster() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/cluster.yaml")
        .to_string_lossy()
        .into_owned()
}

pub fn real_cluster() -> PathBuf {
    fixtures().join("real-cluster")
}

/// Runs `kubectl-ds` with a clean environment (no colour, no kubeconfig leaking in from the machine).
pub fn kubectl_ds(args: &[&str]) -> Run {
    kubectl_ds_with(args, &[], None)
}

/// `kubectl_ds` from async tests, off the runtime's threads, so a local API server on the same runtime
/// keeps answering while the binary runs.
pub async fn kubectl_ds_async(args: &[&str]) -> Run {
    let owned: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
        kubectl_ds(&refs)
    })
    .await
    .unwrap()
}

pub fn kubectl_ds_with(args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubectl-ds"));
    cmd.args(args)
        .env_remove("NO_COLOR")
        .env_remove("KUBECONFIG")
        .env_remove("KUBECTL_DS_TIMEOUT")
        .env("HOME", std::env::temp_dir().join("kubectl-ds-test-home"))
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn kubectl-ds");
    if let Some(input) = stdin {
        use std::io::Write;
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(input).expect("write stdin");
    }
    let out = child.wait_with_output().expect("wait kubectl-ds");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `why` as JSON on the recorded real cluster (each DaemonSet run once per test binary).
pub fn why_json(ns: &str, ds: &str) -> serde_json::Value {
    static CACHE: Mutex<BTreeMap<(String, String), serde_json::Value>> =
        Mutex::new(BTreeMap::new());
    let key = (ns.to_string(), ds.to_string());
    if let Some(v) = CACHE.lock().unwrap().get(&key) {
        return v.clone();
    }
    let v = run_why_json(ns, ds);
    CACHE.lock().unwrap().insert(key, v.clone());
    v
}

fn run_why_json(ns: &str, ds: &str) -> serde_json::Value {
    let dir = real_cluster();
    let run = kubectl_ds(&[
        "why",
        ds,
        "-n",
        ns,
        "-f",
        dir.to_str().unwrap(),
        "-o",
        "json",
    ]);
    assert_eq!(run.code, 0, "why {ns}/{ds} failed: {}", run.stderr);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("why {ns}/{ds}: bad JSON: {e}\n{}", run.stdout))
}

/// `why -o json` on any snapshot file; panics with the CLI's stderr when it fails.
pub fn why_file_json(path: &std::path::Path, ns: &str, ds: &str) -> serde_json::Value {
    let run = kubectl_ds(&[
        "why",
        ds,
        "-n",
        ns,
        "-f",
        path.to_str().expect("fixture path is UTF-8"),
        "-o",
        "json",
    ]);
    assert_eq!(
        run.code,
        0,
        "why {ns}/{ds} -f {} failed: {}",
        path.display(),
        run.stderr
    );
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("why {ns}/{ds}: bad JSON: {e}\n{}", run.stdout))
}
