//! A tiny ordered YAML writer for the fixes `--explain` prints: keys stay in the order Kubernetes
//! users read them (key, operator, value, effect), comments can explain a line, and scalars are
//! quoted whenever a YAML 1.1 reader (kubectl's) could take them for anything but a string.
//! Writes text only; it knows nothing of Kubernetes objects.

#[derive(Debug, Clone, PartialEq)]
pub enum Y {
    Str(String),
    Int(i64),
    Null,
    Map(Vec<Entry>),
    List(Vec<Y>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub value: Y,
    pub comment: Option<String>,
}

impl Entry {
    pub fn note(mut self, comment: &str) -> Entry {
        self.comment = Some(comment.to_owned());
        self
    }
}

pub fn e(key: &str, value: Y) -> Entry {
    Entry {
        key: key.to_owned(),
        value,
        comment: None,
    }
}

pub fn s(v: impl AsRef<str>) -> Y {
    Y::Str(v.as_ref().to_owned())
}

pub fn emit(root: &Y) -> String {
    let mut out = String::new();
    match root {
        Y::Map(m) if !m.is_empty() => entries(&mut out, m, 0, false),
        Y::List(l) if !l.is_empty() => list(&mut out, l, 0),
        other => {
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
    out
}

fn comment(c: &Option<String>) -> String {
    c.as_ref()
        .map(|c| format!("  # {}", c.replace('\n', " ")))
        .unwrap_or_default()
}

fn entries(out: &mut String, m: &[Entry], indent: usize, dash_first: bool) {
    for (i, en) in m.iter().enumerate() {
        let pad = if i == 0 && dash_first {
            format!("{}- ", " ".repeat(indent.saturating_sub(2)))
        } else {
            " ".repeat(indent)
        };
        let key = scalar(&en.key);
        let c = comment(&en.comment);
        match &en.value {
            Y::Map(inner) if !inner.is_empty() => {
                out.push_str(&format!("{pad}{key}:{c}\n"));
                entries(out, inner, indent + 2, false);
            }
            Y::List(items) if !items.is_empty() => {
                out.push_str(&format!("{pad}{key}:{c}\n"));
                list(out, items, indent);
            }
            v => out.push_str(&format!("{pad}{key}: {}{c}\n", inline(v))),
        }
    }
}

fn list(out: &mut String, items: &[Y], indent: usize) {
    for item in items {
        match item {
            Y::Map(m) if !m.is_empty() => entries(out, m, indent + 2, true),
            Y::List(l) if !l.is_empty() => {
                out.push_str(&format!("{}-\n", " ".repeat(indent)));
                list(out, l, indent + 2);
            }
            v => out.push_str(&format!("{}- {}\n", " ".repeat(indent), inline(v))),
        }
    }
}

fn inline(v: &Y) -> String {
    match v {
        Y::Str(x) => scalar(x),
        Y::Int(n) => n.to_string(),
        Y::Null => "null".to_owned(),
        Y::Map(_) => "{}".to_owned(),
        Y::List(_) => "[]".to_owned(),
    }
}

/// A string as a YAML scalar: plain when no reader could mistake it, else double-quoted.
pub fn scalar(x: &str) -> String {
    if is_plain(x) {
        x.to_owned()
    } else {
        serde_json::to_string(x).unwrap_or_else(|_| format!("\"{x}\""))
    }
}

fn is_plain(x: &str) -> bool {
    let Some(first) = x.chars().next() else {
        return false;
    };
    if !(first.is_ascii_alphanumeric() || first == '/' || first == '$') {
        return false;
    }
    if !x
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._/-:=+@$".contains(c))
    {
        return false;
    }
    if x.ends_with(':') {
        return false;
    }
    // YAML 1.1 booleans and nulls (go-yaml, which kubectl uses, still reads them).
    const SPECIAL: &[&str] = &[
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
    ];
    if SPECIAL.contains(&x.to_ascii_lowercase().as_str()) {
        return false;
    }
    // Anything number-like (ints, floats, hex, octal, sexagesimal 1:20) stays a string only quoted.
    let numberish = x
        .chars()
        .all(|c| c.is_ascii_digit() || "._:+-eExXoObBaAcCdDfF".contains(c));
    !(first.is_ascii_digit() && numberish)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::explain::yaml;
    use serde_json::{Value, json};

    #[test]
    fn yaml_scalars_quote_what_a_reader_could_misread() {
        let cases = [
            ("plain word", "present", "present"),
            (
                "label key",
                "node-role.kubernetes.io/control-plane",
                "node-role.kubernetes.io/control-plane",
            ),
            (
                "image reference",
                "quay.io/x/y:v1.8.2",
                "quay.io/x/y:v1.8.2",
            ),
            ("quantity", "440Mi", "440Mi"),
            ("millicores", "460m", "460m"),
            ("YAML 1.1 boolean", "true", "\"true\""),
            ("YAML 1.1 yes", "Yes", "\"Yes\""),
            ("YAML 1.1 on", "on", "\"on\""),
            ("null word", "null", "\"null\""),
            ("integer", "1", "\"1\""),
            ("float", "1.37", "\"1.37\""),
            ("sexagesimal", "1:20", "\"1:20\""),
            ("hex", "0x1f", "\"0x1f\""),
            ("empty", "", "\"\""),
            ("leading dash", "-x", "\"-x\""),
            ("trailing colon", "a:", "\"a:\""),
            ("space", "a b", "\"a b\""),
            ("hash", "a#b", "\"a#b\""),
            ("quote", "a\"b", "\"a\\\"b\""),
            ("placeholder", "<image:tag>", "\"<image:tag>\""),
        ];
        for (name, input, want) in cases {
            assert_eq!(yaml::scalar(input), want, "{name}");
            // Whatever we write reads back as the same string.
            let doc = format!("k: {}\n", yaml::scalar(input));
            let v: Value = serde_saphyr::from_str(&doc).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(v["k"], json!(input), "{name}: round trip of {doc}");
        }
    }

    #[test]
    fn yaml_documents_round_trip_with_comments() {
        let doc = Y::Map(vec![e(
            "spec",
            Y::Map(vec![
                e(
                    "tolerations",
                    Y::List(vec![
                        Y::Map(vec![e("key", s("a")).note("kept"), e("value", s("true"))]),
                        Y::Map(vec![e("operator", s("Exists"))]),
                    ]),
                ),
                e(
                    "nodeSelector",
                    Y::Map(vec![e("disk", Y::Null).note("removes it")]),
                ),
                e("empty", Y::List(Vec::new())),
                e("port", Y::Int(9100)),
                e("values", Y::List(vec![s("1"), s("x")])),
            ]),
        )]);
        let text = yaml::emit(&doc);
        assert_eq!(
            text,
            "spec:\n  tolerations:\n  - key: a  # kept\n    value: \"true\"\n  - operator: Exists\n  nodeSelector:\n    disk: null  # removes it\n  empty: []\n  port: 9100\n  values:\n  - \"1\"\n  - x\n"
        );
        let v: Value = serde_saphyr::from_str(&text).unwrap();
        assert_eq!(
            v,
            json!({"spec": {"tolerations": [{"key": "a", "value": "true"}, {"operator": "Exists"}], "nodeSelector": {"disk": null}, "empty": [], "port": 9100, "values": ["1", "x"]}})
        );
    }
}
