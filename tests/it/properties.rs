//! Property tests (proptest): the parsers and matchers that read what users and clusters write must
//! never panic, and must agree with upstream's arithmetic and with each other on any input.
//! CI runs proptest's default 256 cases per property; a longer fuzzing run is
//! `PROPTEST_CASES=100000 cargo test --test it properties` (README, "Fuzzing").

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{Taint, Toleration};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, LabelSelectorRequirement};
use kubectl_ds::diagnose::label_selector;
use kubectl_ds::diagnose::quantity::{self, Amount};
use kubectl_ds::diagnose::tolerations::tolerates;
use kubectl_ds::snapshot::Snapshot;
use kubectl_ds::source::{file, selector};
use proptest::prelude::*;

const NANO: i128 = 1_000_000_000;

/// Suffixes and the nano-units one unit of each stands for (quantity.go suffix.go).
const SUFFIXES: [(&str, i128); 13] = [
    ("n", 1),
    ("u", 1_000),
    ("m", 1_000_000),
    ("", NANO),
    ("k", 1_000 * NANO),
    ("M", 1_000_000 * NANO),
    ("G", 1_000_000_000 * NANO),
    ("T", 1_000_000_000_000 * NANO),
    ("Ki", 1 << 10),
    ("Mi", 1 << 20),
    ("Gi", 1 << 30),
    ("Ti", 1 << 40),
    ("Pi", 1 << 50),
];

proptest! {
    #[test]
    fn quantity_parse_never_panics(s in "\\PC{0,40}") {
        let _ = quantity::parse(&s);
    }

    #[test]
    fn quantity_parse_never_panics_on_number_like_text(s in "[-+]?[0-9.]{0,30}([eE][-+]?[0-9]{0,12})?(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|i|x)?") {
        let _ = quantity::parse(&s);
    }

    /// An integer with any suffix is exactly integer x suffix (binary suffixes are whole units, capped).
    #[test]
    fn integer_with_suffix_is_exact(n in 0i64..1_000_000_000, idx in 0usize..SUFFIXES.len()) {
        let (suffix, nanos) = SUFFIXES[idx];
        let per_unit = if suffix.ends_with('i') { nanos * NANO } else { nanos };
        let got = quantity::parse(&format!("{n}{suffix}")).unwrap();
        let mut want = n as i128 * per_unit;
        if suffix.ends_with('i') {
            // quantity.go caps BinarySI values at maxAllowed (2^63-1 units) when parsing.
            want = want.min(i64::MAX as i128 * NANO);
        }
        prop_assert_eq!(got, Amount(want));
    }

    /// A decimal fraction is exact down to the nano; finer digits round up to 1n, as upstream keeps
    /// "if you want some resources, you should get some".
    #[test]
    fn decimal_is_exact_to_the_nano(int in 0i64..1_000_000, frac in "[0-9]{1,12}") {
        let got = quantity::parse(&format!("{int}.{frac}")).unwrap();
        let kept: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
        let mut want = int as i128 * NANO + kept.parse::<i128>().unwrap();
        if frac.len() > 9 && frac[9..].chars().any(|c| c != '0') {
            want += 1;
        }
        prop_assert_eq!(got, Amount(want));
    }

    #[test]
    fn exponent_scales_by_powers_of_ten(n in 0i64..100_000, e in 0u32..12) {
        let got = quantity::parse(&format!("{n}e{e}")).unwrap();
        prop_assert_eq!(got, Amount(n as i128 * 10i128.pow(e) * NANO));
    }

    #[test]
    fn a_minus_sign_negates(n in 1i64..1_000_000_000, idx in 0usize..SUFFIXES.len()) {
        let (suffix, _) = SUFFIXES[idx];
        let pos = quantity::parse(&format!("{n}{suffix}")).unwrap();
        let neg = quantity::parse(&format!("-{n}{suffix}")).unwrap();
        prop_assert_eq!(neg, Amount(-pos.nanos()));
    }

    /// What we print for a figure reads back as the same figure (reasons quote these).
    #[test]
    fn formatted_figures_read_back(units in 0i128..(1i128 << 62)) {
        for resource in ["cpu", "memory", "pods", "ephemeral-storage"] {
            let text = quantity::format_resource(resource, units);
            let back = quantity::parse(&text).unwrap();
            prop_assert_eq!(quantity::scheduler_units(resource, back), units, "{} {}", resource, text);
        }
    }

    /// `-l` in kubectl's syntax and a DaemonSet's LabelSelector are two ways to write one selector:
    /// rendered to a string and parsed back, it selects the same label sets.
    #[test]
    fn label_selector_string_selects_what_the_selector_does(
        match_labels in proptest::collection::btree_map(key(), value(), 0..3),
        exprs in proptest::collection::vec((key(), operator(), proptest::collection::vec(value(), 0..3)), 0..3),
        labels in proptest::collection::btree_map(key(), value(), 0..5),
    ) {
        let sel = LabelSelector {
            match_labels: Some(match_labels),
            match_expressions: Some(exprs.into_iter().map(|(key, operator, values)| LabelSelectorRequirement {
                key, operator: operator.to_string(), values: Some(values),
            }).collect()),
        };
        let direct = label_selector::matches(Some(&sel), Some(&labels));
        match label_selector::as_selector(&sel) {
            Ok(s) => {
                let rendered = s.to_string();
                if rendered.is_empty() {
                    prop_assert!(direct, "an empty selector selects everything");
                } else {
                    let parsed = selector::parse(&rendered).unwrap();
                    prop_assert_eq!(selector::matches(&parsed, Some(&labels)), direct, "{}", rendered);
                }
            }
            Err(_) => prop_assert!(!direct, "a refused selector selects nothing"),
        }
    }

    #[test]
    fn kubectl_selector_parse_never_panics(s in "\\PC{0,60}") {
        if let Ok(sel) = selector::parse(&s) {
            let _ = selector::matches(&sel, Some(&BTreeMap::new()));
        }
    }

    /// Toleration.ToleratesTaint's rules, each as a property over any toleration and taint.
    #[test]
    fn toleration_rules_hold(
        tk in opt(key()), top in prop::sample::select(vec!["", "Equal", "Exists", "Gt", "Lt", "Bogus"]),
        tv in opt(value()), te in prop::sample::select(vec!["", "NoSchedule", "PreferNoSchedule", "NoExecute"]),
        k in key(), v in opt(value()), e in prop::sample::select(vec!["NoSchedule", "PreferNoSchedule", "NoExecute"]),
    ) {
        let tol = Toleration {
            key: tk.clone(), operator: Some(top.to_string()).filter(|o| !o.is_empty()), value: tv.clone(),
            effect: Some(te.to_string()).filter(|e| !e.is_empty()), toleration_seconds: None,
        };
        let taint = Taint { key: k.clone(), value: v.clone(), effect: e.to_string(), time_added: None };
        let got = tolerates(&tol, &taint);
        if !te.is_empty() && te != e {
            prop_assert!(!got, "an effect that differs never tolerates");
        }
        if tk.as_deref().is_some_and(|tk| !tk.is_empty() && tk != k) {
            prop_assert!(!got, "a key that differs never tolerates");
        }
        let effect_ok = te.is_empty() || te == e;
        let key_ok = tk.as_deref().is_none_or(|tk| tk.is_empty() || tk == k);
        if effect_ok && key_ok && top == "Exists" {
            prop_assert!(got, "Exists tolerates any value");
        }
        if effect_ok && key_ok && (top.is_empty() || top == "Equal") {
            prop_assert_eq!(got, tv.as_deref().unwrap_or("") == v.as_deref().unwrap_or(""), "Equal compares values");
        }
        if top == "Bogus" {
            prop_assert!(!got, "an unknown operator tolerates nothing");
        }
    }

    /// Whatever is in a file, loading it ends in a snapshot or one error, never a panic.
    #[test]
    fn loader_never_panics_on_arbitrary_text(s in "\\PC{0,200}") {
        let _ = file::parse_into(&s, "fuzz", &mut Snapshot::default());
    }

    /// Real dumps cut short or with a byte changed: still no panic, and a cut JSON dump is an error.
    #[test]
    fn loader_never_panics_on_damaged_dumps(cut in 0usize..20_000, at in 0usize..20_000, byte in any::<u8>()) {
        for text in [json_dump(), yaml_dump()] {
            let cut_at = floor_char_boundary(text, cut.min(text.len()));
            let _ = file::parse_into(&text[..cut_at], "fuzz", &mut Snapshot::default());
            let mut bytes = text.as_bytes().to_vec();
            let i = at % bytes.len();
            bytes[i] = byte;
            let damaged = String::from_utf8_lossy(&bytes);
            let _ = file::parse_into(&damaged, "fuzz", &mut Snapshot::default());
        }
    }
}

proptest! {
    /// JSON read as a stream, a piece at a time (how `-f` reads a file or stdin), and JSON read whole agree:
    /// both load or both fail, with the same nodes and DaemonSets, on real dumps cut short or with a byte changed.
    #[test]
    fn streamed_json_agrees_with_whole_json(cut in 0usize..20_000, at in 0usize..20_000, byte in any::<u8>()) {
        let text = json_dump();
        let cut_at = floor_char_boundary(text, cut.min(text.len()));
        let mut damaged = text.as_bytes().to_vec();
        let i = at % damaged.len();
        damaged[i] = byte;
        for input in [text.as_bytes()[..cut_at].to_vec(), damaged] {
            let Ok(whole_text) = String::from_utf8(input.clone()) else { continue };
            if !whole_text.trim_start().starts_with(['{', '[']) || input.contains(&0) {
                continue;
            }
            let mut whole = Snapshot::default();
            let whole_ok = file::parse_into(&whole_text, "fuzz", &mut whole).is_ok();
            let streamed = file::load(std::path::Path::new("-"), &mut &input[..]);
            prop_assert_eq!(whole_ok, streamed.is_ok(), "{:?}", streamed.err());
            if let Ok(streamed) = streamed {
                prop_assert_eq!(whole.nodes.len(), streamed.nodes.len());
                prop_assert_eq!(whole.daemonsets.len(), streamed.daemonsets.len());
            }
        }
    }
}

fn key() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["app", "tier", "example.com/role", "k"]).prop_map(str::to_string)
}

fn value() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["a", "b", "web", "db", ""]).prop_map(str::to_string)
}

fn opt(s: impl Strategy<Value = String>) -> impl Strategy<Value = Option<String>> {
    prop::option::of(s)
}

fn operator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["In", "NotIn", "Exists", "DoesNotExist", "Gt"])
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn json_dump() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        let text = std::fs::read_to_string(crate::support::real_cluster().join("daemonsets.json"))
            .unwrap();
        text.chars().take(20_000).collect()
    })
}

fn yaml_dump() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        let text = std::fs::read_to_string(crate::support::real_cluster().join("all.yaml"))
            .or_else(|_| {
                std::fs::read_to_string(crate::support::fixtures().join("real-cluster/all.yaml"))
            })
            .unwrap_or_default();
        text.chars().take(20_000).collect()
    })
}
