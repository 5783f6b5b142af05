//! Bad dumps, table-driven: every damaged, hostile or odd `-f` input ends with its exit code and one
//! `error:` line (plus a `hint:`), or, where the API server could have written it, with an answer; never a
//! panic, a stack overflow, a hang or an unbounded read.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::battery::assert_clean_failure;
use crate::support::{Run, kubectl_ds, kubectl_ds_with};

/// What a case feeds to `-f`.
enum Input {
    /// A file of that name in a fresh directory.
    File(&'static str, Vec<u8>),
    /// A path as it is (a device, a directory the case built).
    Path(String),
    /// `-f -` with these bytes on stdin.
    Stdin(Vec<u8>),
}

enum Expect {
    /// Exit 1 with an error line containing this.
    Error(&'static str),
    /// Exit 0 with stdout containing this.
    Answer(&'static str),
}

fn daemonset(cpu: &str) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "demo", "uid": "d1"},
        "spec": {"selector": {"matchLabels": {"app": "a"}},
            "template": {"metadata": {"labels": {"app": "a"}},
                "spec": {"containers": [{"name": "c", "image": "i", "resources": {"requests": {"cpu": cpu}}}]}}}})
}

fn node(name: &str, label: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": {"zone": label}},
        "status": {"allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"},
            "conditions": [{"type": "Ready", "status": "True"}]}})
}

fn list(items: Vec<Value>) -> Vec<u8> {
    json!({"apiVersion": "v1", "kind": "List", "items": items})
        .to_string()
        .into_bytes()
}

/// A good dump with `f` applied to its DaemonSet.
fn with_daemonset(f: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut ds = daemonset("100m");
    f(&mut ds);
    list(vec![ds, node("n1", "a")])
}

fn quantity(q: &str) -> Vec<u8> {
    list(vec![daemonset(q), node("n1", "a")])
}

fn nested(open: &str, close: &str, depth: usize) -> String {
    format!("{}{}", open.repeat(depth), close.repeat(depth))
}

/// Bytes from a fixed xorshift sequence: the same "random" binary on every run.
fn pseudo_random(len: usize, high_only: bool) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let b = (x >> 24) as u8;
            if high_only { b | 0x80 } else { b }
        })
        .collect()
}

fn many_yaml_documents_one_broken() -> Vec<u8> {
    let mut docs: Vec<String> = (0..20)
        .map(|i| format!("kind: Node\napiVersion: v1\nmetadata:\n  name: n{i}\n"))
        .collect();
    docs[13] = "kind: Node\napiVersion: v1\nmetadata: [\n  name: n13\n".into();
    docs.join("---\n").into_bytes()
}

fn alias_bomb() -> Vec<u8> {
    let mut s = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for c in "bcdefghi".chars() {
        s.push_str(&format!(
            "{c}: &{c} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
        prev = c;
    }
    s.into_bytes()
}

fn cases(dir: &std::path::Path) -> Vec<(&'static str, Input, Expect)> {
    use Expect::{Answer, Error};
    use Input::{File, Path, Stdin};
    let deep = 100_000;
    let good = list(vec![daemonset("100m"), node("n1", "a")]);
    vec![
        ("empty file", File("empty.yaml", vec![]), Error("nothing to read")),
        ("whitespace only", File("blank.yaml", b"  \n\t\n \r\n".to_vec()), Error("nothing to read")),
        ("invalid UTF-8", File("latin1.yaml", b"kind: Node\nname: caf\xe9\n".to_vec()), Error("valid UTF-8")),
        ("random binary", File("random.json", pseudo_random(64 << 10, false)), Error("binary data, not text")),
        ("random binary without NUL", File("random.yaml", pseudo_random(64 << 10, true)), Error("valid UTF-8")),
        ("truncated JSON", File("cut.json", good[..good.len() / 2].to_vec()), Error("EOF while parsing")),
        ("trailing garbage", File("trail.json", [&good[..], b" xyz"].concat()), Error("trailing characters")),
        ("array of numbers", File("numbers.json", b"[1, 2]".to_vec()), Error("expected a Kubernetes object")),
        ("a string document", File("string.json", b"\"cluster\"".to_vec()), Error("invalid type: string")),
        ("null document holds no DaemonSet", File("null.json", b"null".to_vec()), Error("daemonset \"agent\" not found")),
        ("items a string", File("items.json", br#"{"kind":"List","items":"x"}"#.to_vec()), Error("expected a list of Kubernetes objects")),
        ("items a map", File("items.yaml", b"kind: List\nitems: {a: 1}\n".to_vec()), Error("expected a list of Kubernetes objects")),
        (
            "items: null is an empty list",
            File("items-null.yaml", [&b"kind: List\nitems: null\n---\n"[..], &good].concat()),
            Answer("n1"),
        ),
        ("an item null", File("item-null.json", br#"{"kind":"List","items":[null]}"#.to_vec()), Error("invalid type: null")),
        (
            "metadata null",
            File("meta-null.json", list(vec![json!({"kind": "Node", "apiVersion": "v1", "metadata": null})])),
            Error("Node items[0]: metadata: invalid type: null"),
        ),
        (
            "spec a string",
            File("spec.json", with_daemonset(|ds| ds["spec"] = json!("x"))),
            Error("DaemonSet demo/agent: spec: invalid type: string"),
        ),
        (
            "node without metadata",
            File("no-meta.json", list(vec![daemonset("1"), json!({"kind": "Node", "apiVersion": "v1"})])),
            Error("Node items[1]: it has no metadata.name"),
        ),
        (
            "pod with an empty name",
            File("no-name.json", list(vec![daemonset("1"), json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": ""}})])),
            Error("Pod items[1]: it has no metadata.name"),
        ),
        (
            // A name is unique per kind (and namespace) in the API server, so the same node twice is one node
            // read twice (two dumps of one cluster): the first copy is kept.
            "duplicate nodes are one node",
            File("dup.json", list(vec![daemonset("1"), node("n1", "a"), node("n1", "b")])),
            Answer("1 node: 1 missing"),
        ),
        (
            "null container list",
            File("null-containers.json", with_daemonset(|ds| ds["spec"]["template"]["spec"]["containers"] = Value::Null)),
            Answer("n1"),
        ),
        (
            // The controller turns a missing selector into labels.Nothing(): no pod is ever its own.
            "missing selector",
            File("no-selector.json", with_daemonset(|ds| ds["spec"].as_object_mut().unwrap().remove("selector").map(drop).unwrap())),
            Answer("Missing"),
        ),
        ("empty selector", File("empty-selector.json", with_daemonset(|ds| ds["spec"]["selector"] = json!({}))), Answer("n1")),
        ("quantity abc", File("q-abc.json", quantity("abc")), Error("invalid quantity \"abc\"")),
        ("quantity 1e999999999", File("q-exp.json", quantity("1e999999999")), Error("too large")),
        ("quantity -1", File("q-neg.json", quantity("-1")), Error("must be greater than or equal to 0")),
        // Upstream caps BinarySI at 2^63-1 units when parsing, so this is a (huge) valid quantity.
        ("quantity 9999999999999999999999Ei", File("q-ei.json", quantity("9999999999999999999999Ei")), Answer("n1")),
        ("quantity 1.5.5", File("q-dots.json", quantity("1.5.5")), Error("invalid quantity \"1.5.5\"")),
        ("quantity empty", File("q-empty.json", quantity("")), Error("invalid quantity \"\": empty string")),
        ("quantity 0x10", File("q-hex.json", quantity("0x10")), Error("invalid quantity \"0x10\"")),
        ("quantity of 10,000 digits", File("q-long.json", quantity(&"7".repeat(10_000))), Error("... (10000 characters): too large")),
        (
            "100k-character label value",
            File("label.json", list(vec![daemonset("1"), node("n1", &"x".repeat(100_000))])),
            Answer("n1"),
        ),
        ("JSON arrays nested 100,000 deep", File("deep.json", nested("[", "]", deep).into_bytes()), Error("invalid type: sequence, expected a Kubernetes object")),
        (
            "JSON nested 100,000 deep in a key before kind",
            File("deep-prefix.json", format!(r#"{{"a":{},"kind":"List","items":[]}}"#, nested("[", "]", deep)).into_bytes()),
            Error("nested too deep"),
        ),
        (
            // Skipped unread, without recursion: an unknown field does not matter to the answer.
            "JSON nested 100,000 deep in an unknown field",
            File("deep-field.json", {
                let mut n = node("n1", "a");
                n["x"] = json!(null);
                let text = list(vec![daemonset("1"), n]);
                String::from_utf8(text).unwrap().replace("\"x\":null", &format!("\"x\":{}", nested("[", "]", deep))).into_bytes()
            }),
            Answer("n1"),
        ),
        ("YAML nested 100,000 deep", File("deep.yaml", format!("a: {}\n", nested("[", "]", deep)).into_bytes()), Error("nested too deep")),
        (
            "YAML maps nested 100,000 deep in an object",
            File("deep-map.yaml", format!("kind: Node\napiVersion: v1\nmetadata: {{name: n}}\nx: {}1{}\n", "{a: ".repeat(deep), "}".repeat(deep)).into_bytes()),
            Error("nested levels"),
        ),
        ("YAML alias bomb", File("bomb.yaml", alias_bomb()), Error("alias bomb")),
        ("tab indentation", File("tabs.yaml", b"kind: Node\napiVersion: v1\nmetadata:\n\tname: n\n".to_vec()), Error("tabs.yaml:4:2: tabs disallowed")),
        ("bad indentation", File("indent.yaml", b"kind: Node\napiVersion: v1\nmetadata:\n  name: n\n   labels: {}\n".to_vec()), Error("indent.yaml:5:10:")),
        ("one broken document among many", File("docs.yaml", many_yaml_documents_one_broken()), Error("(line 68, column 11)")),
        ("byte order mark", File("bom.json", [&b"\xef\xbb\xbf"[..], &good].concat()), Answer("n1")),
        (
            "CRLF line endings",
            File("crlf.yaml", b"apiVersion: apps/v1\r\nkind: DaemonSet\r\nmetadata: {name: agent, namespace: demo}\r\nspec:\r\n  selector: {matchLabels: {app: a}}\r\n  template:\r\n    metadata: {labels: {app: a}}\r\n    spec: {containers: [{name: c, image: i}]}\r\n---\r\nkind: Node\r\napiVersion: v1\r\nmetadata: {name: n1}\r\n".to_vec()),
            Answer("n1"),
        ),
        ("/dev/zero", Path("/dev/zero".into()), Error("/dev/zero: binary data, not text (a NUL byte at offset 0)")),
        ("/dev/urandom", Path("/dev/urandom".into()), Error("binary data, not text")),
        ("a directory of nothing", Path(dir.join("empty-dir").display().to_string()), Error("nothing to read")),
        ("stdin closed at once", Stdin(vec![]), Error("<stdin>: nothing to read")),
        ("stdin binary", Stdin(vec![0; 4096]), Error("<stdin>: binary data")),
        ("stdin truncated JSON", Stdin(good[..good.len() - 3].to_vec()), Error("<stdin>:1:")),
        ("stdin good", Stdin(good.clone()), Answer("n1")),
    ]
}

fn run_case(dir: &std::path::Path, input: &Input) -> Run {
    let args = |f: &str| ["why", "agent", "-n", "demo", "-f", f].map(str::to_string);
    let run = |a: [String; 6], stdin: Option<&[u8]>| {
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        kubectl_ds_with(&refs, &[], stdin)
    };
    match input {
        Input::File(name, bytes) => {
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            run(args(path.to_str().unwrap()), None)
        }
        Input::Path(p) => run(args(p), None),
        Input::Stdin(bytes) => run(args("-"), Some(bytes)),
    }
}

fn check(name: &str, out: &Run, expect: &Expect) {
    match expect {
        Expect::Error(wanted) => assert_clean_failure(name, out, 1, wanted),
        Expect::Answer(wanted) => {
            assert_eq!(out.code, 0, "{name}: {}", out.stderr);
            assert!(
                out.stdout.contains(wanted),
                "{name}: wanted {wanted:?} in {}",
                out.stdout
            );
        }
    }
}

#[test]
fn damaged_and_hostile_dumps_end_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty-dir")).unwrap();
    let cases = cases(dir.path());
    assert!(cases.len() >= 45, "{} cases", cases.len());
    for (name, input, expect) in &cases {
        let started = Instant::now();
        let out = run_case(dir.path(), input);
        check(name, &out, expect);
        // A hang guard, not a speed target (a debug build on a shared machine).
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{name}: took {:?}",
            started.elapsed()
        );
        assert!(
            out.stderr.len() < 1000,
            "{name}: a short message: {} bytes",
            out.stderr.len()
        );
    }
}

#[test]
fn duplicate_nodes_keep_the_first_copy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dup.json");
    std::fs::write(
        &path,
        list(vec![
            daemonset("1"),
            node("n1", "first"),
            node("n1", "second"),
        ]),
    )
    .unwrap();
    let out = kubectl_ds(&[
        "why",
        "agent",
        "-n",
        "demo",
        "-f",
        path.to_str().unwrap(),
        "-o",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["nodes"].as_array().unwrap().len(), 1, "{v}");
}

/// Unreadable files, dangling links, link loops and a directory cycle in a directory given to -f.
#[test]
fn a_directory_with_links_and_unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("dump");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(
        root.join("cluster.json"),
        list(vec![daemonset("1"), node("n1", "a")]),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::{PermissionsExt, symlink};
        symlink(&root, root.join("sub/cycle")).unwrap();
        symlink("loop-b.yaml", root.join("loop-a.yaml")).unwrap();
        symlink("loop-a.yaml", root.join("loop-b.yaml")).unwrap();
        symlink("/nonexistent/dump.json", root.join("dangling.json")).unwrap();
        let f = root.join("sub/secret.yaml");
        std::fs::write(&f, "kind: Node\napiVersion: v1\nmetadata: {name: n2}\n").unwrap();
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).unwrap();
        let readable = std::fs::File::open(&f).is_ok();
        let out = kubectl_ds(&["why", "agent", "-n", "demo", "-f", root.to_str().unwrap()]);
        if readable {
            // Root reads anything: then the file simply counts, and the links still do not loop.
            assert_eq!(out.code, 0, "{}", out.stderr);
            assert!(out.stdout.contains("n2"), "{}", out.stdout);
        } else {
            assert_clean_failure("unreadable file", &out, 1, "secret.yaml");
            assert!(out.stderr.contains("ermission denied"), "{}", out.stderr);
        }
        std::fs::remove_file(&f).unwrap();
    }
    let out = kubectl_ds(&["why", "agent", "-n", "demo", "-f", root.to_str().unwrap()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("n1"), "{}", out.stdout);
}

#[cfg(unix)]
#[test]
fn a_fifo_nobody_writes_to_ends_after_a_bounded_wait() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("cluster.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let started = Instant::now();
    let out = kubectl_ds(&["why", "agent", "-f", fifo.to_str().unwrap()]);
    assert_clean_failure(
        "FIFO without a writer",
        &out,
        1,
        "no program opened it for writing within 10s",
    );
    assert!(
        started.elapsed() < Duration::from_secs(40),
        "took {:?}",
        started.elapsed()
    );

    // A writer that comes: read as any file.
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            std::fs::write(fifo, list(vec![daemonset("1"), node("n1", "a")])).unwrap();
        })
    };
    let out = kubectl_ds(&["why", "agent", "-n", "demo", "-f", fifo.to_str().unwrap()]);
    writer.join().unwrap();
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// An endless stream on stdin is cut at the cap the message names, in bounded memory.
#[test]
fn endless_stdin_stops_at_the_cap() {
    let cases: [(&str, &[u8], &[u8], &str); 2] = [
        (
            "endless YAML",
            b"",
            b"a: b\n",
            "more than 256 MiB of YAML read from a pipe or device",
        ),
        (
            "endless JSON value",
            br#"{"kind":"List","items":[{"a":""#,
            b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "a single JSON value of more than 256 MiB",
        ),
    ];
    for (name, head, repeated, wanted) in cases {
        let started = Instant::now();
        let mut child = Command::new(env!("CARGO_BIN_EXE_kubectl-ds"))
            .args(["why", "agent", "-f", "-"])
            .env_remove("KUBECONFIG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let (head, chunk) = (head.to_vec(), repeated.repeat(1 << 14));
        let feeder = std::thread::spawn(move || {
            let _ = stdin.write_all(&head);
            // Until the reader gives up and the pipe breaks.
            while stdin.write_all(&chunk).is_ok() {}
        });
        let out = child.wait_with_output().unwrap();
        feeder.join().unwrap();
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert_clean_failure(name, &run, 1, wanted);
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{name}: took {:?}",
            started.elapsed()
        );
    }
}
