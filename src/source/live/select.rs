//! Renders label and field selectors as the API server parses them, and checks object names before they
//! go into a URL path. Pure string work: no I/O.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

/// The `labelSelector` query value for a LabelSelector, or None when the server cannot filter for us
/// (the empty selector matches everything; an invalid one is left to the owner filter).
pub(crate) fn label_selector_string(sel: &LabelSelector) -> Option<String> {
    crate::diagnose::label_selector::as_selector(sel)
        .ok()
        .filter(|s| !s.selects_all())
        .map(|s| s.to_string())
}

/// Escapes a value for a `fieldSelector` term.
// Mirrors k8s.io/apimachinery/pkg/fields/selector.go (EscapeValue).
pub(crate) fn escape_field_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str(r"\\"),
            ',' => out.push_str(r"\,"),
            '=' => out.push_str(r"\="),
            c => out.push(c),
        }
    }
    out
}

/// A namespace name.
// Mirrors k8s.io/apimachinery/pkg/util/validation/validation.go (IsDNS1123Label).
pub(crate) fn is_dns_label(s: &str) -> bool {
    s.len() <= 63 && is_label_chars(s)
}

/// A DaemonSet name.
// Mirrors k8s.io/apimachinery/pkg/util/validation/validation.go (IsDNS1123Subdomain).
pub(crate) fn is_dns_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_label_chars)
}

fn is_label_chars(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    match (b.first(), b.last()) {
        (Some(first), Some(last)) => {
            alnum(first) && alnum(last) && b.iter().all(|c| alnum(c) || *c == b'-')
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sel(v: serde_json::Value) -> LabelSelector {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn label_selector_renders_like_apimachinery() {
        let cases = [
            (
                "matchLabels of the recorded node-exporter",
                json!({"matchLabels": {"app.kubernetes.io/name": "node-exporter"}}),
                Some("app.kubernetes.io/name=node-exporter"),
            ),
            (
                "requirements sorted by key, In values sorted",
                json!({"matchLabels": {"z": "1", "a": "2"},
                       "matchExpressions": [{"key": "m", "operator": "In", "values": ["y", "x"]}]}),
                Some("a=2,m in (x,y),z=1"),
            ),
            (
                "NotIn, Exists and DoesNotExist",
                json!({"matchExpressions": [
                    {"key": "tier", "operator": "NotIn", "values": ["db"]},
                    {"key": "app", "operator": "Exists"},
                    {"key": "canary", "operator": "DoesNotExist"}]}),
                Some("app,!canary,tier notin (db)"),
            ),
            (
                "empty selector matches everything: no server filter",
                json!({}),
                None,
            ),
            (
                "In without values is invalid: no server filter",
                json!({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]}),
                None,
            ),
            (
                "unknown operator is invalid: no server filter",
                json!({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]}),
                None,
            ),
        ];
        for (name, input, want) in cases {
            assert_eq!(
                label_selector_string(&sel(input)).as_deref(),
                want,
                "{name}"
            );
        }
    }

    #[test]
    fn field_values_are_escaped() {
        let cases = [
            ("plain node name", "w-1", "w-1"),
            ("comma, equals and backslash", r"a,b=c\d", r"a\,b\=c\\d"),
        ];
        for (name, input, want) in cases {
            assert_eq!(escape_field_value(input), want, "{name}");
        }
    }

    #[test]
    fn names_are_validated_like_the_api_server() {
        let cases = [
            ("simple label", "monitoring", true, true),
            (
                "dotted subdomain is not a label",
                "node.exporter",
                false,
                true,
            ),
            ("uppercase is invalid", "Node", false, false),
            ("slash would escape the URL path", "a/b", false, false),
            ("query characters", "a?b", false, false),
            ("leading dash", "-a", false, false),
            ("empty", "", false, false),
            (
                "64 chars is too long for a label",
                &"a".repeat(64),
                false,
                true,
            ),
        ];
        for (name, input, label, subdomain) in cases {
            assert_eq!(is_dns_label(input), label, "{name}: label");
            assert_eq!(is_dns_subdomain(input), subdomain, "{name}: subdomain");
        }
    }
}
