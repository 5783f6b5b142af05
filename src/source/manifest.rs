//! Reads the manifests `plan` is given (what `kubectl apply -f` would send): a file, a directory of
//! them, or stdin; YAML (multi-document) or JSON (one value or several), `kind: List` included.
//! Keeps the DaemonSets and counts every other kind, which `plan` ignores. No cluster state here:
//! that is the file loader's (a dump) or the live source's job.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use k8s_openapi::api::apps::v1::DaemonSet;
use serde_json::Value;
use serde_saphyr::MessageFormatter;

use crate::source::file::{FileError, original_yaml_error, split_yaml_documents, yaml_options};

/// Manifests are written by hand or by a templating tool; anything larger is not one.
const MAX_BYTES: u64 = 64 << 20;
const STDIN: &str = "<stdin>";

/// The DaemonSets to plan, in the order read, and how many objects of other kinds were skipped.
#[derive(Debug, Default)]
pub struct Manifest {
    pub daemonsets: Vec<DaemonSet>,
    /// `kind` (with its apiVersion when it is not the usual one) -> how many.
    pub ignored: BTreeMap<String, usize>,
}

impl Manifest {
    /// One sentence for stderr when other kinds were skipped.
    pub fn ignored_note(&self) -> Option<String> {
        if self.ignored.is_empty() {
            return None;
        }
        let kinds: Vec<String> = self
            .ignored
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        Some(format!(
            "ignored objects that are not DaemonSets: {}",
            kinds.join(", ")
        ))
    }
}

/// `path` is a file, a directory (every *.json, *.yaml, *.yml inside, recursively, sorted), or "-".
pub fn load(path: &Path, stdin: &mut dyn Read) -> Result<Manifest, FileError> {
    let mut manifest = Manifest::default();
    if path.as_os_str() == "-" {
        let text = read_capped(stdin, STDIN)?;
        parse_into(&text, STDIN, &mut manifest)?;
        return Ok(manifest);
    }
    let meta = fs::metadata(path).map_err(io(path))?;
    let files = if meta.is_dir() {
        let mut files = Vec::new();
        collect(path, &mut files)?;
        files.sort();
        files
    } else {
        vec![path.to_path_buf()]
    };
    for file in files {
        let mut f = fs::File::open(&file).map_err(io(&file))?;
        let text = read_capped(&mut f, &file.display().to_string())?;
        parse_into(&text, &file.display().to_string(), &mut manifest)?;
    }
    Ok(manifest)
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> FileError + '_ {
    move |source| FileError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn read_capped(input: &mut dyn Read, origin: &str) -> Result<String, FileError> {
    let mut text = String::new();
    input
        .take(MAX_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|source| FileError::Io {
            path: origin.to_string(),
            source,
        })?;
    if text.len() as u64 > MAX_BYTES {
        return Err(FileError::Parse {
            path: origin.to_string(),
            line: None,
            column: None,
            message: format!(
                "larger than {} MiB: not a manifest (cluster state goes to -f)",
                MAX_BYTES >> 20
            ),
        });
    }
    Ok(text)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), FileError> {
    for entry in fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["json", "yaml", "yml"].contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Parses one input's text (JSON values or YAML documents) into `acc`.
pub fn parse_into(text: &str, origin: &str, acc: &mut Manifest) -> Result<(), FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match text.trim_start().chars().next() {
        None => Ok(()),
        Some('{' | '[') => {
            let stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
            for value in stream {
                let value = value.map_err(|e| FileError::Parse {
                    path: origin.to_string(),
                    line: Some(e.line()),
                    column: Some(e.column()),
                    message: strip_position(&e),
                })?;
                walk(value, origin, acc)?;
            }
            Ok(())
        }
        Some(_) => {
            for doc in split_yaml_documents(text) {
                if doc.text.trim().is_empty() {
                    continue;
                }
                let value: Value = serde_saphyr::from_str_with_options(doc.text, yaml_options())
                    .map_err(|e| {
                        let e = original_yaml_error(&e);
                        let at = e.location();
                        FileError::Parse {
                            path: origin.to_string(),
                            line: at.map(|l| doc.first_line + l.line() as usize - 1),
                            column: at.map(|l| l.column() as usize),
                            message: serde_saphyr::UserMessageFormatter
                                .format_message(e)
                                .chars()
                                .map(|c| if c.is_control() { ' ' } else { c })
                                .collect(),
                        }
                    })?;
                walk(value, origin, acc)?;
            }
            Ok(())
        }
    }
}

fn strip_position(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    full.strip_suffix(&suffix).unwrap_or(&full).to_string()
}

/// One value: a DaemonSet is kept, a list is walked, anything else is counted as ignored.
fn walk(value: Value, origin: &str, acc: &mut Manifest) -> Result<(), FileError> {
    let Value::Object(mut map) = value else {
        return match value {
            Value::Null => Ok(()),
            Value::Array(items) => items.into_iter().try_for_each(|v| walk(v, origin, acc)),
            _ => Err(FileError::Parse {
                path: origin.to_string(),
                line: None,
                column: None,
                message: "expected a Kubernetes object (a mapping with kind and apiVersion)".into(),
            }),
        };
    };
    let kind = map
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let api_version = map
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    if let Some(Value::Array(items)) = map.remove("items")
        && (kind.is_empty() || kind.ends_with("List"))
    {
        return items.into_iter().try_for_each(|v| walk(v, origin, acc));
    }
    match (kind.as_str(), api_version.as_str()) {
        ("DaemonSet", "apps/v1") => {
            let name = map
                .get("metadata")
                .and_then(|m| m.get("name"))
                .and_then(Value::as_str)
                .unwrap_or("(no name)")
                .to_string();
            let ds: DaemonSet =
                serde_json::from_value(Value::Object(map)).map_err(|e| FileError::Object {
                    path: origin.to_string(),
                    kind: "DaemonSet".into(),
                    name: name.clone(),
                    message: e.to_string(),
                })?;
            if ds.metadata.name.as_deref().is_none_or(str::is_empty) {
                return Err(FileError::Object {
                    path: origin.to_string(),
                    kind: "DaemonSet".into(),
                    name,
                    message: "metadata.name is required".into(),
                });
            }
            acc.daemonsets.push(ds);
        }
        ("", _) => {
            return Err(FileError::Parse {
                path: origin.to_string(),
                line: None,
                column: None,
                message: "an object without `kind`: not a Kubernetes manifest".into(),
            });
        }
        ("DaemonSet", other) => {
            *acc.ignored
                .entry(format!("DaemonSet ({other}: only apps/v1 is served)"))
                .or_default() += 1
        }
        (other, _) => *acc.ignored.entry(other.to_string()).or_default() += 1,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Manifest, FileError> {
        let mut m = Manifest::default();
        parse_into(text, "m.yaml", &mut m).map(|()| m)
    }

    const DS: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: a}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec: {containers: [{name: c, image: x}]}\n";

    #[test]
    fn daemonsets_kept_other_kinds_counted() {
        type Case<'a> = (&'a str, String, Vec<&'a str>, Vec<(&'a str, usize)>);
        let cases: Vec<Case> = vec![
            ("one yaml document", DS.to_string(), vec!["a"], vec![]),
            (
                "multi-document with a service and an empty document",
                format!(
                    "---\n{DS}---\n# only a comment\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: s}}\n---\n{}",
                    DS.replace("name: a}", "name: b}")
                ),
                vec!["a", "b"],
                vec![("Service", 1)],
            ),
            (
                "kind List",
                format!(
                    "apiVersion: v1\nkind: List\nitems:\n- {}\n- {{apiVersion: v1, kind: ConfigMap, metadata: {{name: c}}}}\n",
                    serde_json::to_string(&serde_saphyr::from_str::<Value>(DS).unwrap()).unwrap()
                ),
                vec!["a"],
                vec![("ConfigMap", 1)],
            ),
            (
                "json, two values",
                format!(
                    "{} {{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{{\"name\":\"x\"}}}}",
                    serde_json::to_string(&serde_saphyr::from_str::<Value>(DS).unwrap()).unwrap()
                ),
                vec!["a"],
                vec![("ServiceAccount", 1)],
            ),
            (
                "old api group is not planned",
                DS.replace("apps/v1", "extensions/v1beta1"),
                vec![],
                vec![("DaemonSet (extensions/v1beta1: only apps/v1 is served)", 1)],
            ),
        ];
        for (name, text, want, ignored) in cases {
            let m = parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            let names: Vec<&str> = m
                .daemonsets
                .iter()
                .map(|d| d.metadata.name.as_deref().unwrap())
                .collect();
            assert_eq!(names, want, "{name}");
            let got: Vec<(&str, usize)> = m.ignored.iter().map(|(k, n)| (k.as_str(), *n)).collect();
            assert_eq!(got, ignored, "{name}");
        }
    }

    #[test]
    fn malformed_input_names_file_and_position() {
        let cases = [
            (
                "yaml syntax in the second document",
                format!("{DS}---\nkind: [\n"),
                "m.yaml:10:",
            ),
            ("json syntax", "{\"kind\": }".to_string(), "m.yaml:1:"),
            (
                "wrong type in a daemonset",
                DS.replace("selector: {matchLabels: {app: a}}", "selector: 3"),
                "m.yaml: DaemonSet a: ",
            ),
            (
                "no kind",
                "metadata: {name: x}\n".to_string(),
                "m.yaml: an object without `kind`",
            ),
        ];
        for (name, text, want) in cases {
            let err = parse(&text).expect_err(name).to_string();
            assert!(err.starts_with(want), "{name}: {err}");
        }
    }
}
