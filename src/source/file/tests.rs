//! Loader tests: every input shape kubectl produces, error locations, de-duplication, slim pods.

use super::*;
use serde_json::json;
use std::io::Cursor;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn real(name: &str) -> String {
    fs::read_to_string(fixture("real-cluster").join(name)).unwrap()
}

fn files(name: &str) -> String {
    fs::read_to_string(fixture("files").join(name)).unwrap()
}

fn parse(text: &str) -> Result<Snapshot, FileError> {
    let mut snapshot = Snapshot::default();
    parse_into(text, "cluster.yaml", &mut snapshot).map(|()| snapshot)
}

/// nodes, pods, daemonsets, revisions, events
fn counts(s: &Snapshot) -> [usize; 5] {
    [
        s.nodes.len(),
        s.pods.len(),
        s.daemonsets.len(),
        s.revisions.len(),
        s.events.len(),
    ]
}

fn as_json(yaml: &str) -> Value {
    serde_saphyr::from_str_with_options(yaml, yaml_options()).unwrap()
}

/// What `kubectl get nodes,pods,daemonsets,events -A -o json` prints: all.yaml is the same List in YAML.
fn kubectl_json_list() -> String {
    serde_json::to_string_pretty(&as_json(&real("all.yaml"))).unwrap()
}

/// `kubectl get ds hungry -n batch-heavy -o json`: an item of the raw list, which gains kind and apiVersion.
fn kubectl_json_daemonset() -> String {
    let mut list: Value = serde_json::from_str(&real("daemonsets.json")).unwrap();
    let mut ds = list["items"][0].take();
    ds["kind"] = "DaemonSet".into();
    ds["apiVersion"] = "apps/v1".into();
    serde_json::to_string(&ds).unwrap()
}

/// Every object kept its metadata (read aside by `ItemAccess`, then put back).
fn assert_all_named(name: &str, s: &Snapshot) {
    let metas = s
        .nodes
        .iter()
        .map(|o| &o.metadata)
        .chain(s.pods.iter().map(|o| &o.metadata))
        .chain(s.daemonsets.iter().map(|o| &o.metadata))
        .chain(s.revisions.iter().map(|o| &o.metadata));
    for meta in metas {
        assert!(meta.name.is_some(), "{name}: object without name");
    }
    for ev in &s.events {
        assert!(
            ev.uid.is_some() && !ev.object_name.is_empty(),
            "{name}: event lost its fields: {ev:?}"
        );
    }
}

#[test]
fn every_input_shape_loads() {
    struct Case {
        name: &'static str,
        text: String,
        want: [usize; 5],
    }
    let cases = [
        Case {
            name: "raw NodeList (kubectl get --raw /api/v1/nodes)",
            text: real("nodes.json"),
            want: [10, 0, 0, 0, 0],
        },
        Case {
            name: "raw PodList",
            text: real("pods.json"),
            want: [0, 60, 0, 0, 0],
        },
        Case {
            name: "raw DaemonSetList",
            text: real("daemonsets.json"),
            want: [0, 0, 16, 0, 0],
        },
        Case {
            name: "raw ControllerRevisionList",
            text: real("controllerrevisions.json"),
            want: [0, 0, 0, 19, 0],
        },
        Case {
            name: "raw core/v1 EventList",
            text: real("events.json"),
            want: [0, 0, 0, 0, 261],
        },
        Case {
            name: "raw events.k8s.io/v1 EventList",
            text: real("events-v1.json"),
            want: [0, 0, 0, 0, 261],
        },
        Case {
            name: "kubectl get -o yaml List",
            text: real("all.yaml"),
            want: [10, 60, 16, 0, 261],
        },
        Case {
            name: "kubectl get -o json List",
            text: kubectl_json_list(),
            want: [10, 60, 16, 0, 261],
        },
        Case {
            name: "single object, YAML",
            text: files("single-daemonset.yaml"),
            want: [0, 0, 1, 0, 0],
        },
        Case {
            name: "single object, JSON",
            text: kubectl_json_daemonset(),
            want: [0, 0, 1, 0, 0],
        },
        Case {
            name: "multi-document YAML with directive, comment-only document and `...`",
            text: files("multi-document.yaml"),
            want: [1, 1, 1, 0, 0],
        },
        Case {
            name: "typed list whose kind comes after its kindless items",
            text: files("nodelist-kind-last.yaml"),
            want: [2, 0, 0, 0, 0],
        },
        Case {
            name: "bare JSON array of objects (jq .items)",
            text: serde_json::to_string(&as_json(&real("all.yaml"))["items"]).unwrap(),
            want: [10, 60, 16, 0, 261],
        },
        Case {
            name: "empty list with items: null",
            text: r#"{"kind":"PodList","apiVersion":"v1","items":null}"#.into(),
            want: [0, 0, 0, 0, 0],
        },
        Case {
            name: "BOM before JSON",
            text: format!("\u{feff}{}", real("nodes.json")),
            want: [10, 0, 0, 0, 0],
        },
    ];
    for case in cases {
        let snapshot = parse(&case.text).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(counts(&snapshot), case.want, "{}", case.name);
        assert_all_named(case.name, &snapshot);
    }
}

#[test]
fn hand_written_yaml_reads_plain_scalars_by_target_type() {
    let s = parse(&files("multi-document.yaml")).unwrap();
    let node = &s.nodes[0];
    assert_eq!(node.metadata.labels.as_ref().unwrap()["tier"], "1");
    let alloc = node.status.as_ref().unwrap().allocatable.as_ref().unwrap();
    assert_eq!(alloc["cpu"].0, "4");
    assert_eq!(
        s.pods[0].spec.as_ref().unwrap().node_name.as_deref(),
        Some("hand-1")
    );
    assert_eq!(
        s.daemonsets[0].metadata.namespace.as_deref(),
        Some("agents")
    );
    let sorted = parse(&files("nodelist-kind-last.yaml")).unwrap();
    assert_eq!(sorted.nodes[1].metadata.name.as_deref(), Some("sorted-2"));
    assert_eq!(
        sorted.nodes[0].spec.as_ref().unwrap().unschedulable,
        Some(true)
    );
}

#[test]
fn sorted_yaml_list_and_raw_lists_give_the_same_objects() {
    // all.yaml buffers the keys before `kind` (an Event's involvedObject, count...), the raw lists stream
    // everything: both paths must produce identical objects.
    let yaml = parse(&real("all.yaml")).unwrap();
    let mut raw = Snapshot::default();
    for f in ["nodes.json", "pods.json", "daemonsets.json", "events.json"] {
        parse_into(&real(f), f, &mut raw).unwrap();
    }
    let strip = |s: &mut Snapshot| {
        // kubectl get hides managedFields; the raw API returns them.
        s.nodes
            .iter_mut()
            .for_each(|o| o.metadata.managed_fields = None);
        s.pods
            .iter_mut()
            .for_each(|o| o.metadata.managed_fields = None);
        s.daemonsets
            .iter_mut()
            .for_each(|o| o.metadata.managed_fields = None);
    };
    let mut yaml = yaml;
    strip(&mut yaml);
    strip(&mut raw);
    assert_eq!(yaml.nodes, raw.nodes, "nodes");
    assert_eq!(yaml.pods, raw.pods, "pods");
    assert_eq!(yaml.daemonsets, raw.daemonsets, "daemonsets");
    assert_eq!(yaml.events, raw.events, "events");
}

#[test]
fn the_same_objects_from_several_inputs_are_kept_once() {
    let node = |uid: Option<&str>, name: &str| {
        let mut v =
            serde_json::json!({"kind": "Node", "apiVersion": "v1", "metadata": {"name": name}});
        if let Some(uid) = uid {
            v["metadata"]["uid"] = uid.into();
        }
        v.to_string()
    };
    let pod = |ns: &str, name: &str| {
        serde_json::json!({"kind": "Pod", "apiVersion": "v1", "metadata": {"name": name, "namespace": ns}}).to_string()
    };
    struct Case {
        name: &'static str,
        inputs: Vec<String>,
        want: [usize; 5],
    }
    let cases = [
        Case {
            name: "core and events.k8s.io views of the same events",
            inputs: vec![real("events.json"), real("events-v1.json")],
            want: [0, 0, 0, 0, 261],
        },
        Case {
            name: "kubectl List and raw event list",
            inputs: vec![real("all.yaml"), real("events-v1.json"), real("nodes.json")],
            want: [10, 60, 16, 0, 261],
        },
        Case {
            name: "node in two files, same uid",
            inputs: vec![node(Some("u1"), "a"), node(Some("u1"), "a")],
            want: [1, 0, 0, 0, 0],
        },
        Case {
            name: "no uid: same name is the same node",
            inputs: vec![node(None, "a"), node(None, "a")],
            want: [1, 0, 0, 0, 0],
        },
        Case {
            name: "different uids are different objects",
            inputs: vec![node(Some("u1"), "a"), node(Some("u2"), "b")],
            want: [2, 0, 0, 0, 0],
        },
        Case {
            name: "same pod name in two namespaces",
            inputs: vec![pod("x", "p"), pod("y", "p")],
            want: [0, 2, 0, 0, 0],
        },
    ];
    for case in cases {
        let mut acc = Snapshot::default();
        for (i, text) in case.inputs.iter().enumerate() {
            parse_into(text, &format!("input-{i}"), &mut acc)
                .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        }
        assert_eq!(counts(&acc), case.want, "{}", case.name);
    }
    let mut acc = Snapshot::default();
    parse_into(&real("events.json"), "events.json", &mut acc).unwrap();
    parse_into(&real("events-v1.json"), "events-v1.json", &mut acc).unwrap();
    let uids: HashSet<_> = acc.events.iter().map(|e| e.uid.clone().unwrap()).collect();
    assert_eq!(uids.len(), 261, "every event kept once");
}

#[test]
fn load_reads_files_directories_and_stdin() {
    struct Case {
        name: &'static str,
        path: PathBuf,
        stdin: &'static str,
        want: [usize; 5],
    }
    let all_yaml: &'static str = Box::leak(real("all.yaml").into_boxed_str());
    let cases = [
        Case {
            name: "real-cluster directory: every file, each object once",
            path: fixture("real-cluster"),
            stdin: "",
            want: [10, 60, 16, 19, 261],
        },
        Case {
            name: "one file",
            path: fixture("real-cluster/all.yaml"),
            stdin: "",
            want: [10, 60, 16, 0, 261],
        },
        Case {
            name: "stdin",
            path: PathBuf::from("-"),
            stdin: all_yaml,
            want: [10, 60, 16, 0, 261],
        },
    ];
    for case in cases {
        let s = load(&case.path, &mut Cursor::new(case.stdin))
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(counts(&s), case.want, "{}", case.name);
        assert_eq!(s.node_pods, NodePodsCoverage::All, "{}", case.name);
        assert_eq!(s.events_unavailable, None, "{}", case.name);
        let pod_uids: HashSet<_> = s.pods.iter().map(|p| p.metadata.uid.clone()).collect();
        assert_eq!(
            pod_uids.len(),
            s.pods.len(),
            "{}: duplicate pods",
            case.name
        );
    }
}

#[test]
fn directory_is_read_recursively_in_path_order() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("b-sub");
    fs::create_dir(&sub).unwrap();
    let node = |cpu: &str| {
        format!(
            r#"{{"kind":"Node","apiVersion":"v1","metadata":{{"name":"n","uid":"u"}},"status":{{"capacity":{{"cpu":"{cpu}"}}}}}}"#
        )
    };
    fs::write(dir.path().join("a.json"), node("1")).unwrap();
    fs::write(sub.join("c.yml"), node("2")).unwrap();
    fs::write(
        dir.path().join("d.YAML"),
        "kind: Pod\napiVersion: v1\nmetadata: {name: p}\n",
    )
    .unwrap();
    fs::write(dir.path().join("empty.yaml"), "").unwrap();
    fs::write(dir.path().join("notes.txt"), "not read").unwrap();
    fs::write(dir.path().join(".hidden.json"), "not json at all {").unwrap();
    let s = load(dir.path(), &mut std::io::empty()).unwrap();
    assert_eq!(counts(&s), [1, 1, 0, 0, 0]);
    // a.json sorts first, so its copy of the node is the one kept.
    let cpu = &s.nodes[0]
        .status
        .as_ref()
        .unwrap()
        .capacity
        .as_ref()
        .unwrap()["cpu"];
    assert_eq!(cpu.0, "1");
}

#[test]
fn nothing_to_read_is_no_input() {
    let empty_dir = tempfile::tempdir().unwrap();
    let other_files = tempfile::tempdir().unwrap();
    fs::write(other_files.path().join("README.md"), "# dump").unwrap();
    let blank_files = tempfile::tempdir().unwrap();
    let blank = blank_files.path().join("nodes.yaml");
    fs::write(&blank, " \n\n").unwrap();
    fs::write(blank_files.path().join("pods.json"), "").unwrap();
    let cases: [(&str, &Path, &str); 5] = [
        ("empty directory", empty_dir.path(), ""),
        ("directory without json/yaml files", other_files.path(), ""),
        ("directory of blank files", blank_files.path(), ""),
        ("blank file", &blank, ""),
        ("empty stdin", Path::new("-"), "\n"),
    ];
    for (name, path, stdin) in cases {
        let err = load(path, &mut Cursor::new(stdin)).map(|_| ()).unwrap_err();
        assert!(matches!(err, FileError::NoInput { .. }), "{name}: {err:?}");
        assert!(
            err.to_string().contains("kubectl get nodes,pods"),
            "{name}: {err}"
        );
    }
}

#[test]
fn missing_file_is_io_error_naming_it() {
    let err = load(
        Path::new("/nonexistent/cluster.yaml"),
        &mut std::io::empty(),
    )
    .map(|_| ())
    .unwrap_err();
    assert!(
        matches!(&err, FileError::Io { path, .. } if path == "/nonexistent/cluster.yaml"),
        "{err:?}"
    );
    // The io error is the source, so anyhow's chain prints it once: "reading X: No such file".
    assert_eq!(err.to_string(), "reading /nonexistent/cluster.yaml");
    let source = std::error::Error::source(&err).map(ToString::to_string);
    assert!(
        source.is_some_and(|s| s.contains("No such file")),
        "{err:?}"
    );
}

#[test]
fn unknown_kinds_are_skipped() {
    let cases = [
        ("403 Status body", real("forbidden-nodes.json"), [0, 0, 0, 0, 0]),
        ("NamespaceList", real("namespaces.json"), [0, 0, 0, 0, 0]),
        ("ResourceQuotaList", real("resourcequotas.json"), [0, 0, 0, 0, 0]),
        ("/version: no kind at all", real("version.json"), [0, 0, 0, 0, 0]),
        ("single Namespace", "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n".into(), [0, 0, 0, 0, 0]),
        (
            "List mixing a Namespace, a ServiceAccount and a Node",
            concat!(
                "apiVersion: v1\nkind: List\nitems:\n",
                "- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n",
                "- {apiVersion: v1, kind: ServiceAccount, metadata: {name: b, namespace: a}}\n",
                "- {apiVersion: v1, kind: Node, metadata: {name: c}}\n",
            )
            .into(),
            [1, 0, 0, 0, 0],
        ),
        ("kind Node of another API group", "apiVersion: example.com/v1\nkind: Node\nmetadata: {name: x}\nspec: {anything: [1]}\n".into(), [0, 0, 0, 0, 0]),
        ("DaemonSet of a long-gone API version", "apiVersion: extensions/v1beta1\nkind: DaemonSet\nmetadata: {name: x}\n".into(), [0, 0, 0, 0, 0]),
        (
            "List nested in a List (jq -s over several dumps)",
            concat!(
                r#"{"kind":"List","items":["#,
                r#"{"kind":"List","items":[{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p"}}]},"#,
                r#"{"kind":"NodeList","apiVersion":"v1","items":[{"metadata":{"name":"n"}}]}]}"#,
            )
            .into(),
            [1, 1, 0, 0, 0],
        ),
        ("List items naming no kind", r#"{"kind":"List","apiVersion":"v1","items":[{"metadata":{"name":"x"}}]}"#.into(), [0, 0, 0, 0, 0]),
    ];
    for (name, text, want) in cases {
        let s = parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(counts(&s), want, "{name}");
    }
}

#[test]
fn malformed_text_gives_file_line_and_column() {
    struct Case {
        name: &'static str,
        text: &'static str,
        line: usize,
        column: usize,
        message: &'static str,
    }
    let cases = [
        Case {
            name: "JSON missing comma",
            text: "{\"kind\": \"Node\"\n \"apiVersion\": \"v1\"}",
            line: 2,
            column: 2,
            message: "expected `,` or `}`",
        },
        Case {
            name: "JSON cut short",
            text: "{\"kind\": \"List\", \"items\": [\n{\"kind\": \"Node\",",
            line: 2,
            column: 16,
            message: "EOF while parsing",
        },
        Case {
            name: "JSON with two concatenated objects",
            text: "{\"kind\": \"ConfigMap\"}\n{\"kind\": \"ConfigMap\"}",
            line: 2,
            column: 1,
            message: "trailing characters after the first JSON value",
        },
        Case {
            name: "JSON kind that is not a string",
            text: "{\"kind\": 3}",
            line: 1,
            column: 10,
            message: "expected a string",
        },
        Case {
            name: "YAML key with no value separator",
            text: "kind: Node\nmetadata:\n  name: a\n  labels\n    x: y\n",
            line: 4,
            column: 3,
            message: "expected ':'",
        },
        Case {
            name: "YAML error in the third document",
            text: "kind: ConfigMap\n---\nkind: ConfigMap\n---\nkind: Node\nmetadata: {name: [\n",
            line: 6,
            column: 18,
            message: "unclosed bracket",
        },
        Case {
            name: "YAML that is a plain string",
            text: "hello\n",
            line: 1,
            column: 1,
            message: "a Kubernetes object or list",
        },
    ];
    for case in cases {
        let err = parse(case.text).map(|_| ()).unwrap_err();
        let FileError::Parse {
            path,
            line,
            column,
            message,
        } = &err
        else {
            panic!("{}: not a parse error: {err:?}", case.name);
        };
        assert_eq!(path, "cluster.yaml", "{}", case.name);
        assert_eq!(
            (*line, *column),
            (Some(case.line), Some(case.column)),
            "{}: {err}",
            case.name
        );
        assert!(message.contains(case.message), "{}: {err}", case.name);
        let shown = err.to_string();
        assert!(
            shown.starts_with(&format!("cluster.yaml:{}:{}: ", case.line, case.column)),
            "{}: {shown}",
            case.name
        );
        assert!(!shown.contains('\n'), "{}: one line: {shown}", case.name);
    }
}

#[test]
fn object_of_the_wrong_shape_is_named() {
    struct Case {
        name: &'static str,
        text: &'static str,
        kind: &'static str,
        object: &'static str,
        message: &'static str,
    }
    let cases = [
        Case {
            name: "JSON pod with a wrong field type",
            text: r#"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"foo","namespace":"ns"},"spec":{"containers":"x"}}"#,
            kind: "Pod",
            object: "ns/foo",
            message: "spec: invalid type: string \"x\", expected a sequence (line 1, column 99)",
        },
        Case {
            name: "YAML pod with a named port where a number belongs",
            text: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: foo\n  namespace: ns\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: http\n",
            kind: "Pod",
            object: "ns/foo",
            message: "spec: expected a value of type i32 (line 10, column 22)",
        },
        Case {
            name: "events.k8s.io event series without its required lastObservedTime",
            text: "apiVersion: events.k8s.io/v1\nkind: Event\nmetadata: {name: e, namespace: ns}\nseries: {count: 2}\n",
            kind: "Event",
            object: "ns/e",
            message: "series: missing field `lastObservedTime`",
        },
        Case {
            name: "item of a raw NodeList",
            text: r#"{"kind":"NodeList","apiVersion":"v1","items":[{"metadata":{"name":"ok"}},{"metadata":{"name":"bad"},"spec":{"unschedulable":"yes"}}]}"#,
            kind: "Node",
            object: "bad",
            message: "spec: invalid type: string \"yes\", expected a boolean",
        },
        Case {
            name: "item failing before its metadata is read is named by index",
            text: r#"{"kind":"DaemonSetList","apiVersion":"apps/v1","items":[{"metadata":{"name":"a"}},{"spec":5,"metadata":{"name":"x"}}]}"#,
            kind: "DaemonSet",
            object: "items[1]",
            message: "spec: invalid type: integer `5`",
        },
        Case {
            name: "field buffered before kind (key-sorted YAML) has no misleading position",
            text: "apiVersion: v1\nitems:\n- apiVersion: v1\n  count: many\n  involvedObject: {kind: Pod, name: p}\n  kind: Event\n  metadata: {name: e, namespace: ns}\nkind: List\n",
            kind: "Event",
            object: "ns/e",
            message: "count: invalid type: string \"many\", expected i32",
        },
        Case {
            name: "node without metadata",
            text: r#"{"kind":"List","items":[{"kind":"Node","apiVersion":"v1","metadata":{"name":"a"}},{"kind":"Node","apiVersion":"v1"}]}"#,
            kind: "Node",
            object: "items[1]",
            message: "it has no metadata.name",
        },
        Case {
            name: "YAML pod with an empty name",
            text: "apiVersion: v1\nkind: Pod\nmetadata: {name: '', namespace: ns}\nspec: {containers: []}\n",
            kind: "Pod",
            object: "(name not read)",
            message: "it has no metadata.name",
        },
        Case {
            name: "item of a typed list claiming another kind",
            text: r#"{"kind":"PodList","apiVersion":"v1","items":[{"kind":"Node","metadata":{"name":"n"}}]}"#,
            kind: "Pod",
            object: "items[0]",
            message: "kind: invalid value: string \"Node\", expected Pod",
        },
    ];
    for case in cases {
        let Err(err) = parse(case.text) else {
            panic!("{}: parsed without error", case.name);
        };
        let FileError::Object {
            path,
            kind,
            name,
            message,
        } = &err
        else {
            panic!("{}: not an object error: {err:?}", case.name);
        };
        assert_eq!(path, "cluster.yaml", "{}", case.name);
        assert_eq!(
            (kind.as_str(), name.as_str()),
            (case.kind, case.object),
            "{}: {err}",
            case.name
        );
        assert!(message.starts_with(case.message), "{}: {err}", case.name);
        assert!(
            err.to_string()
                .starts_with(&format!("cluster.yaml: {} {}: ", case.kind, case.object)),
            "{}: {err}",
            case.name
        );
    }
}

#[test]
fn odd_inputs_are_empty_or_parse_errors() {
    let cases = [
        ("lone document marker", "---\n", None),
        ("lone document end", "...\n", None),
        ("YAML null", "null\n", None),
        ("comments only", "# nothing here\n", None),
        ("empty JSON array", "[]", None),
        ("open bracket", "[", Some((1, 1))),
        ("open brace", "{", Some((1, 1))),
        ("YAML sequence of strings", "- a\n- b\n", Some((1, 3))),
        ("JSON array of numbers", "[1]", Some((1, 2))),
        ("NUL byte", "\u{0}", Some((1, 1))),
    ];
    for (name, text, want) in cases {
        match (parse(text), want) {
            (Ok(s), None) => assert_eq!(counts(&s), [0; 5], "{name}"),
            (Err(FileError::Parse { line, column, .. }), Some((l, c))) => {
                assert_eq!((line, column), (Some(l), Some(c)), "{name}")
            }
            (got, _) => panic!("{name}: {:?}", got.map(|s| counts(&s))),
        }
    }
}

#[test]
fn failed_parse_leaves_the_accumulator_unchanged() {
    let mut acc = Snapshot::default();
    parse_into(&real("nodes.json"), "nodes.json", &mut acc).unwrap();
    let bad =
        r#"{"kind":"PodList","apiVersion":"v1","items":[{"metadata":{"name":"a"}},{"spec":1}]}"#;
    assert!(parse_into(bad, "bad.json", &mut acc).is_err());
    assert_eq!(counts(&acc), [10, 0, 0, 0, 0]);
}

#[test]
fn yaml_streams_split_at_document_markers() {
    type Docs = Vec<(usize, &'static str)>;
    let cases: [(&str, &str, Docs); 6] = [
        ("one document", "a: 1\nb: 2\n", vec![(1, "a: 1\nb: 2\n")]),
        (
            "leading marker stays with its document",
            "---\na: 1\n",
            vec![(1, "---\na: 1\n")],
        ),
        (
            "comments and directive before the first marker",
            "# c\n%YAML 1.2\n---\na: 1\n---\nb: 2",
            vec![(1, "# c\n%YAML 1.2\n---\na: 1\n"), (5, "---\nb: 2")],
        ),
        (
            "document end marker",
            "a: 1\n...\nb: 2\n",
            vec![(1, "a: 1\n...\n"), (3, "b: 2\n")],
        ),
        (
            "content on the marker line, CRLF",
            "--- {a: 1}\r\n--- |\r\n  x\r\n",
            vec![(1, "--- {a: 1}\r\n"), (2, "--- |\r\n  x\r\n")],
        ),
        (
            "dashes that are no marker",
            "a: ---x\n----\n b: '---'\n",
            vec![(1, "a: ---x\n----\n b: '---'\n")],
        ),
    ];
    for (name, text, want) in cases {
        let got: Vec<_> = split_yaml_documents(text)
            .into_iter()
            .map(|d| (d.first_line, d.text))
            .collect();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn kind_and_api_version_route_the_map() {
    let cases = [
        (Some("Node"), Some("v1"), false, Route::Object(Kind::Node)),
        (
            Some("DaemonSet"),
            Some("apps/v1"),
            false,
            Route::Object(Kind::DaemonSet),
        ),
        (
            Some("Event"),
            Some("v1"),
            false,
            Route::Object(Kind::CoreEvent),
        ),
        (
            Some("Event"),
            Some("events.k8s.io/v1"),
            false,
            Route::Object(Kind::EventsV1Event),
        ),
        (Some("Event"), None, false, Route::Undecided),
        (Some("Event"), None, true, Route::Object(Kind::CoreEvent)),
        (
            Some("EventList"),
            Some("events.k8s.io/v1"),
            false,
            Route::List(Some(Kind::EventsV1Event)),
        ),
        (
            Some("ControllerRevisionList"),
            Some("apps/v1"),
            false,
            Route::List(Some(Kind::ControllerRevision)),
        ),
        (Some("List"), Some("v1"), false, Route::List(None)),
        (
            Some("NamespaceList"),
            Some("v1"),
            false,
            Route::List(Some(Kind::Namespace)),
        ),
        (
            Some("ResourceQuota"),
            Some("v1"),
            false,
            Route::Object(Kind::ResourceQuota),
        ),
        (Some("ConfigMapList"), Some("v1"), false, Route::Skip),
        (Some("Status"), None, false, Route::Skip),
        (
            Some("Pod"),
            Some("metrics.k8s.io/v1beta1"),
            false,
            Route::Skip,
        ),
        (None, Some("v1"), true, Route::Undecided),
    ];
    for (kind, api_version, complete, want) in cases {
        assert_eq!(
            route(kind, api_version, complete),
            want,
            "{kind:?} {api_version:?} complete={complete}"
        );
    }
}

/// Reads `text` the way `load` reads a file, through a buffer of `capacity` bytes.
fn read_pieces(text: &str, capacity: usize) -> Result<Snapshot, FileError> {
    let mut input = std::io::BufReader::with_capacity(capacity, text.as_bytes());
    let mut reader = Reader::default();
    parse_json_pieces(&mut input, "cluster.yaml", &mut reader)?;
    let mut snapshot = Snapshot::default();
    merge(&mut snapshot, reader.found);
    Ok(snapshot)
}

fn outcome(result: Result<Snapshot, FileError>) -> String {
    match result {
        Ok(s) => format!("{s:?}"),
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn json_read_in_pieces_gives_what_the_whole_text_gives() {
    let compact = |text: String| {
        serde_json::to_string(&serde_json::from_str::<Value>(&text).unwrap()).unwrap()
    };
    let kindless_first = r#"{"apiVersion":"v1","items":[{"metadata":{"name":"b"}},{"metadata":{"name":"a"}}],"kind":"NodeList"}"#;
    let cases: Vec<(&str, String)> = vec![
        ("raw NodeList, compact as the API sends it", compact(real("nodes.json"))),
        ("raw PodList", real("pods.json")),
        ("raw core/v1 EventList", real("events.json")),
        ("raw events.k8s.io/v1 EventList", real("events-v1.json")),
        ("kubectl get -o json List", kubectl_json_list()),
        ("single object", kubectl_json_daemonset()),
        ("bare array (jq .items)", serde_json::to_string(&as_json(&real("all.yaml"))["items"]).unwrap()),
        ("typed list whose kind comes after its kindless items", kindless_first.into()),
        ("List nested in a List", r#"{"kind":"List","items":[{"kind":"List","items":[{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p"}}]},{"kind":"NodeList","apiVersion":"v1","items":[{"metadata":{"name":"n"}}]}]}"#.into()),
        ("items: null", r#"{"kind":"PodList","apiVersion":"v1","items":null}"#.into()),
        ("empty items, spaced", "{ \"kind\" : \"PodList\" , \"items\" : [ ] }".into()),
        ("skipped list", r#"{"kind":"NamespaceList","apiVersion":"v1","items":[{"metadata":{"name":"x"}}]}"#.into()),
        ("strings holding brackets, quotes and escapes", r#"{"kind":"List","items":[{"kind":"Event","apiVersion":"v1","metadata":{"name":"e","namespace":"n","uid":"u"},"involvedObject":{"kind":"Pod","name":"p"},"message":"a \"]}\" [{ \\\\ \u00e9 \\"}],"apiVersion":"v1"}"#.into()),
        ("empty JSON array", "[]".into()),
        ("JSON missing comma", "{\"kind\": \"Node\"\n \"apiVersion\": \"v1\"}".into()),
        ("JSON cut short in an item", "{\"kind\": \"List\", \"items\": [\n{\"kind\": \"Node\",".into()),
        ("JSON cut short between items", "{\"kind\": \"List\", \"items\": [\n{\"kind\": \"ConfigMap\"}".into()),
        ("two concatenated objects", "{\"kind\": \"ConfigMap\"}\n{\"kind\": \"ConfigMap\"}".into()),
        ("kind that is not a string", "{\"kind\": 3}".into()),
        ("kind that is not a string, after the items", "{\"items\": [{\"kind\": \"ConfigMap\"}],\n  \"kind\": 3}".into()),
        ("kind that is not a string, after compact items", r#"{"items":[{"kind":"ConfigMap"},{"kind":"ConfigMap"}],"kind":3}"#.into()),
        ("missing comma after the items", r#"{"items":[{"kind":"ConfigMap"}] "kind":"List"}"#.into()),
        ("missing comma between items", "{\"kind\":\"List\",\"items\":[\n  {\"kind\":\"ConfigMap\"}\n  {\"kind\":\"ConfigMap\"}]}".into()),
        ("key that is not a string", "{\"kind\":\"List\", 3: 4}".into()),
        ("open bracket", "[".into()),
        ("open brace", "{".into()),
        ("JSON array of numbers", "[1]".into()),
        ("pod with a wrong field type", r#"{"kind":"List","items":[{"kind":"Pod","apiVersion":"v1","metadata":{"name":"foo","namespace":"ns"},"spec":{"containers":"x"}}]}"#.into()),
        ("item of a raw NodeList", r#"{"kind":"NodeList","apiVersion":"v1","items":[{"metadata":{"name":"ok"}},
  {"metadata":{"name":"bad"},"spec":{"unschedulable":"yes"}}]}"#.into()),
        ("item failing before its metadata is read", r#"{"kind":"DaemonSetList","apiVersion":"apps/v1","items":[{"metadata":{"name":"a"}},{"spec":5,"metadata":{"name":"x"}}]}"#.into()),
        ("item of a typed list claiming another kind", r#"{"kind":"PodList","apiVersion":"v1","items":[{"kind":"Node","metadata":{"name":"n"}}]}"#.into()),
        ("kindless item failing once the kind is known", r#"{"items":[{"metadata":{"name":"a"},"spec":{"unschedulable":1}}],"kind":"NodeList"}"#.into()),
    ];
    for (name, text) in &cases {
        let whole = outcome(parse(text));
        // Buffers of 1 and 3 bytes split every token and escape; 1 MB is what `load` uses.
        for capacity in [1, 3, 64, 1 << 20] {
            assert_eq!(
                outcome(read_pieces(text, capacity)),
                whole,
                "{name} (buffer {capacity})"
            );
        }
    }
    // The cases above include failures: the comparison is not vacuous.
    let failures = cases.iter().filter(|(_, t)| parse(t).is_err()).count();
    assert_eq!(failures, 18, "failing cases");
}

#[test]
fn load_reads_json_in_pieces_and_yaml_whole() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("kubectl -o json", "all.json", kubectl_json_list()),
        (
            "kubectl -o json with a byte order mark",
            "bom.json",
            format!("\u{feff}{}", kubectl_json_list()),
        ),
        ("kubectl -o yaml", "all.yaml", real("all.yaml")),
    ];
    for (name, file, text) in cases {
        let path = dir.path().join(file);
        fs::write(&path, &text).unwrap();
        let loaded = load(&path, &mut std::io::empty()).unwrap();
        assert_eq!(outcome(Ok(loaded)), outcome(parse(&text)), "{name}");
        let piped = load(Path::new("-"), &mut Cursor::new(text.clone())).unwrap();
        assert_eq!(outcome(Ok(piped)), outcome(parse(&text)), "{name} on stdin");
    }
}

/// A pod as the API returns it, with every kind of field; `owner` names its controller's kind.
fn rich_pod(owner: &str, metadata_last: bool) -> String {
    let metadata = json!({
        "name": "p", "namespace": "ns", "uid": "u-p",
        "labels": {"app": "x"}, "annotations": {"a": "b"},
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": owner, "name": "o", "uid": "u-o", "controller": true}],
        "managedFields": [{"manager": "kubelet", "operation": "Update"}],
    });
    let spec = json!({
        "nodeName": "w-1", "hostNetwork": true, "priority": 5, "schedulerName": "default-scheduler",
        "tolerations": [{"operator": "Exists"}],
        "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["w-1"]}]}]}}},
        "volumes": [{"name": "v", "hostPath": {"path": "/proc"}}],
        "overhead": {"cpu": "10m"},
        "resources": {"limits": {"cpu": "2", "memory": "1Gi"}},
        "initContainers": [
            {"name": "sidecar", "image": "s", "restartPolicy": "Always", "resources": {"requests": {"cpu": "100m"}},
             "ports": [{"containerPort": 15090, "hostPort": 15090}]},
            {"name": "init", "image": "i", "resources": {"requests": {"memory": "2Gi"}}},
        ],
        "containers": [{
            "name": "app", "image": "a", "env": [{"name": "A", "value": "1"}],
            "readinessProbe": {"httpGet": {"path": "/", "port": 80}},
            "volumeMounts": [{"name": "v", "mountPath": "/v"}],
            "resources": {"requests": {"cpu": "500m", "memory": "256Mi", "example.com/dongle": "1"}},
            "ports": [{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 53, "hostPort": 53, "protocol": "UDP", "hostIP": "10.0.0.1"}],
        }],
    });
    let status = json!({
        "phase": "Running", "qosClass": "Burstable", "podIP": "10.0.0.2",
        "conditions": [
            {"type": "Ready", "status": "True"},
            {"type": "PodResizePending", "status": "True", "reason": "Infeasible", "message": "m",
             "lastTransitionTime": "2026-11-23T11:47:00Z"},
        ],
        "containerStatuses": [{
            "name": "app", "image": "a", "imageID": "a@sha256:1", "containerID": "containerd://1",
            "volumeMounts": [{"name": "v", "mountPath": "/v"}], "ready": true, "restartCount": 3,
            "state": {"running": {"startedAt": "2026-11-23T11:47:00Z"}},
            "allocatedResources": {"cpu": "400m"}, "resources": {"requests": {"cpu": "300m"}},
        }],
        "initContainerStatuses": [{"name": "sidecar", "image": "s", "imageID": "", "ready": true, "restartCount": 0,
            "allocatedResources": {"cpu": "100m"}}],
        "allocatedResources": {"cpu": "1"},
        "resources": {"requests": {"cpu": "900m"}},
    });
    let mut pod = serde_json::Map::new();
    pod.insert("apiVersion".into(), "v1".into());
    pod.insert("kind".into(), "Pod".into());
    if !metadata_last {
        pod.insert("metadata".into(), metadata.clone());
    }
    pod.insert("spec".into(), spec);
    pod.insert("status".into(), status);
    if metadata_last {
        pod.insert("metadata".into(), metadata);
    }
    serde_json::to_string(&Value::Object(pod)).unwrap()
}

fn read_one_pod(text: &str) -> Pod {
    let mut s = parse(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.pods.len(), 1);
    s.pods.remove(0)
}

#[test]
fn pods_no_daemonset_controls_are_kept_as_their_load_on_the_node() {
    let full: Pod = serde_json::from_str(&rich_pod("ReplicaSet", false)).unwrap();
    for (name, metadata_last) in [("metadata first (kubectl)", false), ("metadata last", true)] {
        let pod = read_one_pod(&rich_pod("ReplicaSet", metadata_last));
        let meta = &pod.metadata;
        assert_eq!(
            (
                meta.uid.as_deref(),
                meta.labels.as_ref(),
                meta.annotations.as_ref(),
                meta.managed_fields.as_ref()
            ),
            (Some("u-p"), None, None, None),
            "{name}: metadata"
        );
        assert_eq!(
            meta.owner_references, full.metadata.owner_references,
            "{name}: owner"
        );
        // Folded: the containers' requests are one figure, and only containers holding a host port stay.
        let spec = pod.spec.as_ref().unwrap();
        let kept = |list: &[Container]| -> Vec<(String, bool, bool)> {
            list.iter()
                .map(|c| (c.name.clone(), c.resources.is_none(), c.ports.is_some()))
                .collect()
        };
        assert_eq!(
            (
                kept(&spec.containers),
                kept(spec.init_containers.as_deref().unwrap_or_default())
            ),
            (
                vec![("app".into(), true, true)],
                vec![("sidecar".into(), true, true)]
            ),
            "{name}: containers"
        );
        assert!(
            spec.containers[0].image.is_none()
                && spec.tolerations.is_none()
                && spec.affinity.is_none()
                && spec.resources.is_none(),
            "{name}: spec trimmed: {spec:?}"
        );
        let status = pod.status.as_ref().unwrap();
        assert_eq!(
            status,
            &PodStatus {
                phase: Some("Running".into()),
                ..PodStatus::default()
            },
            "{name}: status"
        );
        // What the scheduler counts is unchanged: requests (with resize state, sidecars, overhead, pod-level
        // resources), host ports, and whether the pod counts at all.
        let full_spec = full.spec.as_ref().unwrap();
        assert_eq!(
            crate::diagnose::resources::pod_requests(spec, pod.status.as_ref()),
            crate::diagnose::resources::pod_requests(full_spec, full.status.as_ref()),
            "{name}: requests"
        );
        assert_eq!(
            crate::diagnose::resources::counts_on_node(&pod),
            crate::diagnose::resources::counts_on_node(&full),
            "{name}: counts on node"
        );
        let wanted: PodSpec = serde_json::from_value(json!({"hostNetwork": true, "containers": [
            {"name": "c", "ports": [{"containerPort": 15090}, {"containerPort": 53, "protocol": "UDP"}]}]}))
        .unwrap();
        let conflicts = crate::diagnose::host_ports::host_port_conflicts(&wanted, &[&pod]);
        assert_eq!(conflicts.len(), 2, "{name}: host ports still held");
        assert_eq!(
            conflicts,
            crate::diagnose::host_ports::host_port_conflicts(&wanted, &[&full]),
            "{name}: host ports"
        );
    }
    assert_eq!(
        read_one_pod(&rich_pod("ReplicaSet", false)),
        read_one_pod(&rich_pod("ReplicaSet", true)),
        "both orders give the same pod"
    );
}

#[test]
fn daemon_pods_are_kept_whole_but_for_what_no_check_reads() {
    let mut want: Pod = serde_json::from_str(&rich_pod("DaemonSet", false)).unwrap();
    // The model pod (snapshot/pod.rs) has no environment, probes, mounts or volumes to drop; of the
    // metadata, what no check reads goes.
    assert!(want.metadata.annotations.is_some());
    want.metadata.managed_fields = None;
    want.metadata.annotations = None;
    want.metadata.generate_name = None;
    want.metadata.resource_version = None;
    // Everything else stays: tolerations, affinity, conditions, images, requests, ports, states.
    assert!(want.spec.as_ref().unwrap().tolerations.is_some());
    assert!(want.status.as_ref().unwrap().conditions.is_some());
    for (name, metadata_last) in [("metadata first (kubectl)", false), ("metadata last", true)] {
        assert_eq!(
            read_one_pod(&rich_pod("DaemonSet", metadata_last)),
            want,
            "{name}"
        );
    }
    let yaml = serde_saphyr::to_string(
        &serde_json::from_str::<Value>(&rich_pod("DaemonSet", false)).unwrap(),
    )
    .unwrap();
    assert_eq!(read_one_pod(&yaml), want, "YAML");
}

#[test]
fn a_pod_with_a_bad_quantity_is_not_folded_so_validation_names_the_field() {
    let text = rich_pod("ReplicaSet", false).replace("\"256Mi\"", "\"lots\"");
    let snapshot = parse(&text).unwrap();
    let err = crate::source::validate(&snapshot).unwrap_err().to_string();
    assert_eq!(
        err,
        "pod ns/p: spec.containers[app].resources.requests.memory: invalid quantity \"lots\": \
         expected a number with an optional suffix, e.g. 500m, 1.5, 2Gi, 1e3",
    );
}

#[test]
fn a_dump_keeps_other_pods_only_on_nodes_where_a_daemon_pod_waits() {
    let pod = |name: &str, owner: &str, node: Option<&str>, target: Option<&str>, created: &str| {
        let mut spec =
            json!({"containers": [{"name": "c", "resources": {"requests": {"cpu": "1"}}}]});
        if let Some(node) = node {
            spec["nodeName"] = node.into();
        }
        if let Some(target) = target {
            spec["affinity"] = json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [target]}]}]}}});
        }
        json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "ns", "uid": format!("u-{name}"), "creationTimestamp": created,
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": owner, "name": "o", "uid": "u-o", "controller": true}]},
            "spec": spec, "status": {"phase": if node.is_some() { "Running" } else { "Pending" }}})
    };
    let items = json!({"apiVersion": "v1", "kind": "List", "items": [
        pod("app-b1", "ReplicaSet", Some("b"), None, "2026-01-02T00:00:00Z"),
        pod("agent-x", "DaemonSet", None, Some("a"), "2026-01-01T00:00:00Z"),
        pod("app-a", "ReplicaSet", Some("a"), None, "2026-01-01T00:00:00Z"),
        pod("agent-b", "DaemonSet", Some("b"), None, "2026-01-01T00:00:00Z"),
        pod("app-b2", "ReplicaSet", Some("b"), None, "2026-01-03T00:00:00Z"),
        pod("app-unbound", "ReplicaSet", None, None, "2026-01-01T00:00:00Z"),
    ]});
    let text = serde_json::to_string(&items).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.json");
    fs::write(&path, &text).unwrap();
    let loaded = load(&path, &mut std::io::empty()).unwrap();
    let names: Vec<&str> = loaded
        .pods
        .iter()
        .map(|p| p.metadata.name.as_deref().unwrap())
        .collect();
    // app-b2 is on a node nothing waits for, but it is the newest pod: it keeps the dump's time.
    assert_eq!(names, ["agent-x", "app-a", "agent-b", "app-b2"]);
    assert_eq!(
        loaded.node_pods,
        NodePodsCoverage::Nodes(["a".to_string()].into())
    );
    let full = parse(&text).unwrap();
    assert_eq!(full.pods.len(), 6, "parse_into keeps every pod");
    assert_eq!(loaded.observed_at(), full.observed_at());
    // Where a pod waits, the scheduler's view is the same pods with the same requests.
    let on_a = |s: &Snapshot| -> Vec<(String, crate::diagnose::resources::ResourceList)> {
        s.pods
            .iter()
            .filter(|p| p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some("a"))
            .map(|p| {
                (
                    p.metadata.name.clone().unwrap(),
                    crate::diagnose::resources::requests_on_node(p),
                )
            })
            .collect()
    };
    assert_eq!(on_a(&loaded), on_a(&full));
}

#[test]
fn a_yaml_alias_bomb_is_refused_with_a_located_error() {
    // "Billion laughs": nine levels of nine aliases would expand to 9^9 strings. The raised budget for big
    // dumps (yaml_options) must keep serde-saphyr's alias limits.
    let mut text = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  a0: &a0 lol\n",
    );
    for level in 1..=9 {
        let refs = vec![format!("*a{}", level - 1); 9].join(", ");
        text.push_str(&format!("  a{level}: &a{level} [{refs}]\n"));
    }
    let err = parse(&text).expect_err("an alias bomb must be refused");
    assert_eq!(
        err.to_string(),
        "cluster.yaml:6:11: too many anchors, aliases or nested levels (an alias bomb?): \
         kubectl never writes anchors or aliases"
    );
}

#[test]
fn admission_kinds_are_known_only_when_read() {
    let cases: [(&str, &str, [Option<usize>; 3]); 4] = [
        (
            "no admission kinds",
            r#"{"kind":"NodeList","apiVersion":"v1","items":[]}"#,
            [None, None, None],
        ),
        (
            "an empty typed quota list is a fact",
            r#"{"kind":"ResourceQuotaList","apiVersion":"v1","items":[]}"#,
            [None, Some(0), None],
        ),
        (
            "objects in a List",
            "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n- {apiVersion: v1, kind: ServiceAccount, metadata: {name: default, namespace: a}}\n",
            [Some(1), None, Some(1)],
        ),
        (
            "a quota object",
            "apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q, namespace: a}\nspec: {hard: {pods: '2'}}\n",
            [None, Some(1), None],
        ),
    ];
    for (name, text, want) in cases {
        let mut acc = Snapshot::default();
        parse_into(text, "t", &mut acc).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got = [
            acc.namespaces.as_ref().map(Vec::len),
            acc.resource_quotas.as_ref().map(Vec::len),
            acc.service_accounts.as_ref().map(Vec::len),
        ];
        assert_eq!(got, want, "{name}");
    }
}
