//! Bad input, table-driven: every case ends with its exit code and one `error:` line (plus at most a
//! `hint:` line), never a panic, a Rust debug dump or a hang.

use std::path::Path;

use crate::support::{Run, kubectl_ds, kubectl_ds_with, real_cluster};

/// The shape every failure must have: `error: ...` then optionally `hint: ...`, nothing else.
pub fn assert_clean_failure(name: &str, out: &Run, code: i32, wanted: &str) {
    assert_eq!(
        out.code, code,
        "{name}: stdout {} stderr {}",
        out.stdout, out.stderr
    );
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert!(
        !lines.is_empty() && lines[0].starts_with("error: "),
        "{name}: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains(wanted),
        "{name}: wanted {wanted:?} in {}",
        out.stderr
    );
    assert!(
        !out.stderr.contains("panicked") && !out.stderr.contains("RUST_BACKTRACE"),
        "{name}: {}",
        out.stderr
    );
    if code == 1 {
        assert!(
            lines.len() <= 2,
            "{name}: one error line and a hint at most: {}",
            out.stderr
        );
        if let Some(hint) = lines.get(1) {
            assert!(hint.starts_with("hint: "), "{name}: {}", out.stderr);
        }
        // Debug dumps of Rust values (`Output { status: ... }`, `Some(...)`) are not messages.
        for dump in ["Output {", "Some(", "Error {", "ExitStatus("] {
            assert!(
                !out.stderr.contains(dump),
                "{name}: debug dump in {}",
                out.stderr
            );
        }
    }
}

fn kubeconfig_with_user(server: &str, user: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters:\n- name: c\n  cluster:\n    server: {server}\n\
         users:\n- name: u\n  user:\n{user}\ncontexts:\n- name: c\n  context: {{cluster: c, user: u}}\n"
    )
}

fn exec_user(command: &str, args: &[&str]) -> String {
    format!(
        "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {command}\n      args: [{}]\n      interactiveMode: Never\n",
        args.iter()
            .map(|a| format!("\"{a}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

#[test]
fn broken_kubeconfigs_fail_with_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let token = "    token: t\n";
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty file", String::new(), "holds no contexts"),
        ("malformed YAML", "clusters: [\n".into(), "line 1 column"),
        (
            "current-context pointing nowhere",
            "apiVersion: v1\nkind: Config\ncurrent-context: nowhere\n".into(),
            "context \"nowhere\" not found",
        ),
        (
            "server not a URL",
            kubeconfig_with_user("not a url", token),
            "cluster url",
        ),
        (
            "missing CA file",
            kubeconfig_with_user("https://127.0.0.1:9", token).replace(
                "    server:",
                "    certificate-authority: /nonexistent/ca.crt\n    server:",
            ),
            "/nonexistent/ca.crt",
        ),
        (
            "missing client certificate",
            kubeconfig_with_user(
                "https://127.0.0.1:9",
                "    client-certificate: /nonexistent/c.crt\n    client-key: /nonexistent/c.key\n",
            ),
            "/nonexistent/c.",
        ),
        (
            "exec plugin that fails",
            kubeconfig_with_user(
                "http://127.0.0.1:9",
                &exec_user("sh", &["-c", "echo token expired >&2; exit 3"]),
            ),
            "the exec credential plugin \"sh\" failed (exit status: 3): token expired",
        ),
        (
            "exec plugin that prints garbage",
            kubeconfig_with_user("http://127.0.0.1:9", &exec_user("echo", &["garbage"])),
            "printed no ExecCredential",
        ),
        (
            "exec plugin that is not installed",
            kubeconfig_with_user(
                "http://127.0.0.1:9",
                &exec_user("kubectl-ds-no-such-plugin", &[]),
            ),
            "cannot run the exec credential plugin \"kubectl-ds-no-such-plugin\"",
        ),
        (
            "exec plugin that hangs is bounded by --request-timeout",
            kubeconfig_with_user("http://127.0.0.1:9", &exec_user("sleep", &["30"])),
            "did not finish within 2s",
        ),
        (
            "server that refuses connections",
            kubeconfig_with_user("http://127.0.0.1:9", token),
            "error: ",
        ),
    ];
    for (name, text, wanted) in cases {
        let path = dir.path().join(name.replace(' ', "-"));
        std::fs::write(&path, text).unwrap();
        let started = std::time::Instant::now();
        let out = kubectl_ds(&[
            "why",
            "x",
            "--kubeconfig",
            path.to_str().unwrap(),
            "--request-timeout",
            "2s",
        ]);
        assert_clean_failure(name, &out, 1, wanted);
        // A hang guard, not a speed target: every case is bounded by the 2 s request timeout.
        assert!(
            started.elapsed().as_secs() < 15,
            "{name}: took {:?}",
            started.elapsed()
        );
    }
    let out = kubectl_ds(&["why", "x", "--kubeconfig", "/nonexistent/kubeconfig"]);
    assert_clean_failure("missing --kubeconfig", &out, 1, "no such file");
}

#[test]
fn bad_flag_values_fail_with_one_clear_line() {
    let cluster = real_cluster();
    let f = cluster.to_str().unwrap();
    let why = |extra: &[&str]| -> Vec<String> {
        ["why", "fluentd", "-n", "logging", "-f", f]
            .iter()
            .chain(extra)
            .map(|s| s.to_string())
            .collect()
    };
    let cases: Vec<(&str, Vec<String>, i32, &str)> = vec![
        (
            "unknown output format",
            why(&["-o", "bogus"]),
            2,
            "invalid value 'bogus'",
        ),
        (
            "unknown colour mode",
            why(&["--color", "maybe"]),
            2,
            "invalid value 'maybe'",
        ),
        (
            "unknown status word",
            why(&["--status", "Nope"]),
            2,
            "invalid value 'Nope'",
        ),
        (
            "verbosity not a number",
            why(&["-v", "x"]),
            2,
            "invalid value 'x'",
        ),
        (
            "negative verbosity",
            why(&["--v=-1"]),
            2,
            "invalid value '-1'",
        ),
        (
            "request timeout garbage",
            why(&["--request-timeout", "abc"]),
            1,
            "invalid --request-timeout",
        ),
        (
            "request timeout negative",
            why(&["--request-timeout=-5s"]),
            1,
            "must not be negative",
        ),
        (
            "request timeout without unit",
            why(&["--request-timeout", "1m30"]),
            1,
            "missing unit",
        ),
        (
            "overall timeout garbage",
            why(&["--timeout", "soon"]),
            1,
            "invalid --timeout \"soon\"",
        ),
        (
            "overall timeout negative",
            why(&["--timeout=-1m"]),
            1,
            "must not be negative",
        ),
        (
            "overall timeout with an unknown unit",
            why(&["--timeout", "5d"]),
            1,
            "unknown unit \"d\"",
        ),
        (
            "unknown flag",
            why(&["--bogus"]),
            2,
            "unexpected argument '--bogus'",
        ),
        ("why without a name", vec!["why".into()], 2, "required"),
        (
            "unknown command",
            vec!["bogus".into()],
            2,
            "unrecognized subcommand",
        ),
        (
            "unknown shell",
            vec!["completion".into(), "nosh".into()],
            2,
            "invalid value 'nosh'",
        ),
        (
            "-A with -n",
            vec![
                "coverage".into(),
                "-A".into(),
                "-n".into(),
                "x".into(),
                "-f".into(),
                f.into(),
            ],
            1,
            "cannot be used together",
        ),
        (
            "--expand without --nodes",
            vec!["coverage".into(), "--expand".into(), "-f".into(), f.into()],
            2,
            "--nodes",
        ),
        (
            "CA with insecure",
            why(&[
                "--certificate-authority",
                "/x",
                "--insecure-skip-tls-verify",
            ]),
            1,
            "cannot be used together",
        ),
        (
            "bad label selector",
            vec![
                "coverage".into(),
                "-l".into(),
                "a in (b".into(),
                "-f".into(),
                f.into(),
            ],
            1,
            "invalid --selector",
        ),
        (
            "missing dump",
            vec![
                "why".into(),
                "x".into(),
                "-f".into(),
                "/nonexistent/dump.yaml".into(),
            ],
            1,
            "/nonexistent/dump.yaml",
        ),
        (
            "unknown daemonset in a dump",
            why(&[])
                .into_iter()
                .map(|a| if a == "fluentd" { "fluentdd".into() } else { a })
                .collect(),
            1,
            "not found",
        ),
    ];
    for (name, args, code, wanted) in cases {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = kubectl_ds(&refs);
        assert_clean_failure(name, &out, code, wanted);
    }
    // The environment's default for --timeout is checked like the flag.
    let out = kubectl_ds_with(
        &["why", "fluentd", "-n", "logging", "-f", f],
        &[("KUBECTL_DS_TIMEOUT", "soon")],
        None,
    );
    assert_clean_failure(
        "KUBECTL_DS_TIMEOUT garbage",
        &out,
        1,
        "invalid --timeout \"soon\"",
    );
    assert!(Path::new(f).exists());
}
