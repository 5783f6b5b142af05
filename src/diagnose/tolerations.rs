//! Taints and tolerations: which node taints a pod tolerates, and the tolerations the DaemonSet
//! controller adds to every daemon pod. Pure functions over k8s-openapi types; no I/O, no clock.

use k8s_openapi::api::core::v1::{Taint, Toleration};

use crate::report::Finding;
use crate::snapshot::pod::PodSpec;

pub const EFFECT_NO_SCHEDULE: &str = "NoSchedule";
pub const EFFECT_PREFER_NO_SCHEDULE: &str = "PreferNoSchedule";
pub const EFFECT_NO_EXECUTE: &str = "NoExecute";

pub const TAINT_NODE_NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const TAINT_NODE_UNREACHABLE: &str = "node.kubernetes.io/unreachable";
pub const TAINT_NODE_DISK_PRESSURE: &str = "node.kubernetes.io/disk-pressure";
pub const TAINT_NODE_MEMORY_PRESSURE: &str = "node.kubernetes.io/memory-pressure";
pub const TAINT_NODE_PID_PRESSURE: &str = "node.kubernetes.io/pid-pressure";
pub const TAINT_NODE_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";
pub const TAINT_NODE_NETWORK_UNAVAILABLE: &str = "node.kubernetes.io/network-unavailable";

/// The effects the scheduler's TaintToleration filter and the DaemonSet controller's `predicates`
/// refuse a node for; PreferNoSchedule only lowers a node's score and never blocks.
pub const BLOCKING_EFFECTS: [&str; 2] = [EFFECT_NO_SCHEDULE, EFFECT_NO_EXECUTE];

/// State of the `TaintTolerationComparisonOperators` feature gate (toleration operators `Lt`/`Gt`).
/// It is alpha and off by default up to v1.37, so with default gates an `Lt`/`Gt` toleration
/// tolerates nothing (and the API server refuses to store new ones).
pub const COMPARISON_OPERATORS_ENABLED: bool = false;

fn s(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

/// Whether `tol` tolerates `taint`, with default feature gates.
// Mirrors k8s.io/api/core/v1/toleration.go (Toleration.ToleratesTaint)
pub fn tolerates(tol: &Toleration, taint: &Taint) -> bool {
    tolerates_with(tol, taint, COMPARISON_OPERATORS_ENABLED)
}

/// `tolerates` with the `TaintTolerationComparisonOperators` gate given explicitly.
/// A numeric parse failure counts as "not tolerated": upstream returns an error that
/// FindMatchingUntoleratedTaint treats as an untolerated taint.
// Mirrors k8s.io/api/core/v1/toleration.go (ToleratesTaint, compareNumericValues)
pub fn tolerates_with(tol: &Toleration, taint: &Taint, comparison_operators: bool) -> bool {
    let effect = s(&tol.effect);
    // An empty effect matches every effect.
    if !effect.is_empty() && effect != taint.effect {
        return false;
    }
    let key = s(&tol.key);
    // An empty key matches every key (validation only allows it with Exists, but matching doesn't check).
    if !key.is_empty() && key != taint.key {
        return false;
    }
    match s(&tol.operator) {
        // The operator is not defaulted by the API server: empty means Equal.
        "" | "Equal" => s(&tol.value) == s(&taint.value),
        "Exists" => true,
        op @ ("Lt" | "Gt") => {
            if !comparison_operators {
                return false;
            }
            let (Some(threshold), Some(actual)) = (
                parse_canonical_int(s(&tol.value)),
                parse_canonical_int(s(&taint.value)),
            ) else {
                return false;
            };
            if op == "Lt" {
                actual < threshold
            } else {
                actual > threshold
            }
        }
        _ => false,
    }
}

/// An int64 in canonical decimal form (`0`, or an optional `-` then a non-zero digit and digits):
/// no `+`, no leading zeros, unlike Go's strconv.ParseInt.
// Mirrors k8s.io/apimachinery/pkg/api/validate/content (IsDecimalInteger) followed by strconv.ParseInt
fn parse_canonical_int(v: &str) -> Option<i64> {
    let digits = v.strip_prefix('-').unwrap_or(v);
    let canonical = match digits.as_bytes() {
        [b'0'] => v == "0",
        [first, rest @ ..] => {
            (b'1'..=b'9').contains(first) && rest.iter().all(|b| b.is_ascii_digit())
        }
        [] => false,
    };
    if canonical { v.parse().ok() } else { None }
}

/// Whether any of `tolerations` tolerates `taint`.
// Mirrors k8s.io/component-helpers/scheduling/corev1/helpers.go (TolerationsTolerateTaint)
pub fn tolerations_tolerate(tolerations: &[Toleration], taint: &Taint) -> bool {
    tolerations.iter().any(|t| tolerates(t, taint))
}

/// Every taint whose effect is in `effects` that no toleration tolerates, in node order.
/// Upstream stops at the first one; we keep them all so a report can list every blocker.
// Mirrors k8s.io/component-helpers/scheduling/corev1/helpers.go (FindMatchingUntoleratedTaint)
pub fn untolerated<'a>(
    taints: &'a [Taint],
    tolerations: &[Toleration],
    effects: &[&str],
) -> Vec<&'a Taint> {
    taints
        .iter()
        .filter(|t| effects.contains(&t.effect.as_str()))
        .filter(|t| !tolerations_tolerate(tolerations, t))
        .collect()
}

/// `key=value:Effect`, or `key:Effect` when the taint has no value (kubectl's notation).
pub fn format_taint(t: &Taint) -> String {
    match t.value.as_deref() {
        Some(v) if !v.is_empty() => format!("{}={}:{}", t.key, v, t.effect),
        _ => format!("{}:{}", t.key, t.effect),
    }
}

pub fn taint_finding(t: &Taint) -> Finding {
    Finding::UntoleratedTaint {
        key: t.key.clone(),
        value: t.value.clone().filter(|v| !v.is_empty()),
        effect: t.effect.clone(),
        taint: format_taint(t),
    }
}

fn exists_toleration(key: &str, effect: &str) -> Toleration {
    Toleration {
        key: Some(key.to_owned()),
        operator: Some("Exists".to_owned()),
        effect: Some(effect.to_owned()),
        value: None,
        toleration_seconds: None,
    }
}

/// Adds the tolerations the DaemonSet controller gives every daemon pod (NewPod and
/// CreatePodTemplate both call it), in upstream's order.
///
/// The two NoExecute tolerations carry no tolerationSeconds (tolerate forever) so the
/// taint-eviction controller never evicts a daemon pod from a not-ready or unreachable node; a
/// template toleration with the same key/operator/value/effect but a tolerationSeconds is
/// *replaced* by the unbounded one.
// Mirrors pkg/controller/daemon/util/daemonset_util.go (AddOrUpdateDaemonPodTolerations)
pub fn add_daemon_tolerations(spec: &mut PodSpec) {
    let mut wanted = vec![
        exists_toleration(TAINT_NODE_NOT_READY, EFFECT_NO_EXECUTE),
        exists_toleration(TAINT_NODE_UNREACHABLE, EFFECT_NO_EXECUTE),
        exists_toleration(TAINT_NODE_DISK_PRESSURE, EFFECT_NO_SCHEDULE),
        exists_toleration(TAINT_NODE_MEMORY_PRESSURE, EFFECT_NO_SCHEDULE),
        exists_toleration(TAINT_NODE_PID_PRESSURE, EFFECT_NO_SCHEDULE),
        exists_toleration(TAINT_NODE_UNSCHEDULABLE, EFFECT_NO_SCHEDULE),
    ];
    if spec.host_network == Some(true) {
        wanted.push(exists_toleration(
            TAINT_NODE_NETWORK_UNAVAILABLE,
            EFFECT_NO_SCHEDULE,
        ));
    }
    for tol in wanted {
        add_or_update_toleration(spec, tol);
    }
}

/// Tolerations are the same entry when key, effect, operator and value agree (tolerationSeconds aside).
// Mirrors k8s.io/api/core/v1/toleration.go (MatchToleration)
fn same_toleration(a: &Toleration, b: &Toleration) -> bool {
    s(&a.key) == s(&b.key)
        && s(&a.effect) == s(&b.effect)
        && s(&a.operator) == s(&b.operator)
        && s(&a.value) == s(&b.value)
}

/// Adds `tol`, or replaces every entry that matches it; leaves the list untouched when an
/// identical entry (tolerationSeconds included) is already present. Returns whether it changed.
// Mirrors pkg/apis/core/v1/helper/helpers.go (AddOrUpdateTolerationInPodSpec)
pub fn add_or_update_toleration(spec: &mut PodSpec, tol: Toleration) -> bool {
    let existing = spec.tolerations.get_or_insert_with(Vec::new);
    // Upstream returns early on a deep-equal entry, discarding any replacement it had built.
    if existing
        .iter()
        .any(|t| same_toleration(t, &tol) && t.toleration_seconds == tol.toleration_seconds)
    {
        return false;
    }
    let mut replaced = false;
    for t in existing.iter_mut() {
        if same_toleration(t, &tol) {
            *t = tol.clone();
            replaced = true;
        }
    }
    if !replaced {
        existing.push(tol);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tol(v: serde_json::Value) -> Toleration {
        serde_json::from_value(v).unwrap()
    }

    fn taint(v: serde_json::Value) -> Taint {
        serde_json::from_value(v).unwrap()
    }

    // Cases from k8s.io/api/core/v1/toleration_test.go (TestTolerationToleratesTaint), plus the
    // defaulting rules of ToleratesTaint.
    #[test]
    fn tolerates_taint() {
        let cases = [
            (
                "same key and effect, Exists, taint without value",
                json!({"key": "foo", "operator": "Exists", "effect": "NoSchedule"}),
                json!({"key": "foo", "effect": "NoSchedule"}),
                true,
            ),
            (
                "same key and effect, Exists, taint with a value",
                json!({"key": "foo", "operator": "Exists", "effect": "NoSchedule"}),
                json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
                true,
            ),
            (
                "empty key with Exists matches every key",
                json!({"operator": "Exists", "effect": "NoSchedule"}),
                json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
                true,
            ),
            (
                "empty key and empty effect with Exists matches everything",
                json!({"operator": "Exists"}),
                json!({"key": "dedicated", "value": "db", "effect": "NoExecute"}),
                true,
            ),
            (
                "same key, effect and value with Equal",
                json!({"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule"}),
                json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
                true,
            ),
            (
                "different values with Equal",
                json!({"key": "foo", "operator": "Equal", "value": "value1", "effect": "NoSchedule"}),
                json!({"key": "foo", "value": "value2", "effect": "NoSchedule"}),
                false,
            ),
            (
                "different effects with Equal",
                json!({"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule"}),
                json!({"key": "foo", "value": "bar", "effect": "NoExecute"}),
                false,
            ),
            (
                "empty operator means Equal",
                json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
                json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
                true,
            ),
            (
                "empty operator means Equal, so a value mismatch fails",
                json!({"key": "foo", "value": "baz"}),
                json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
                false,
            ),
            (
                "Equal without value matches a taint without value",
                json!({"key": "foo", "operator": "Equal", "effect": "NoSchedule"}),
                json!({"key": "foo", "effect": "NoSchedule"}),
                true,
            ),
            (
                "Equal without value does not match a taint with a value",
                json!({"key": "foo", "operator": "Equal"}),
                json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
                false,
            ),
            (
                "empty effect matches all effects",
                json!({"key": "foo", "operator": "Exists"}),
                json!({"key": "foo", "effect": "PreferNoSchedule"}),
                true,
            ),
            (
                "different key",
                json!({"key": "foo", "operator": "Exists"}),
                json!({"key": "bar", "effect": "NoSchedule"}),
                false,
            ),
            (
                "empty key with Equal matches any key whose taint value is equal",
                json!({"operator": "Equal", "value": "x"}),
                json!({"key": "anything", "value": "x", "effect": "NoSchedule"}),
                true,
            ),
            (
                "unknown operator tolerates nothing",
                json!({"key": "foo", "operator": "Matches", "value": "bar"}),
                json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
                false,
            ),
            (
                "Gt tolerates nothing while the comparison gate is off",
                json!({"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "750", "effect": "NoSchedule"}),
                json!({"key": "node.kubernetes.io/sla", "value": "950", "effect": "NoSchedule"}),
                false,
            ),
        ];
        for (name, t, n, want) in cases {
            assert_eq!(tolerates(&tol(t), &taint(n)), want, "{name}");
        }
    }

    // The Lt/Gt cases of toleration_test.go, as they behave with the gate enabled.
    #[test]
    fn comparison_operators_with_gate_enabled() {
        let cases = [
            (
                "Gt, taint value less than toleration value",
                "Gt",
                "950",
                "800",
                false,
            ),
            (
                "Gt, taint value greater than toleration value",
                "Gt",
                "750",
                "950",
                true,
            ),
            (
                "Lt, taint value greater than toleration value",
                "Lt",
                "800",
                "950",
                false,
            ),
            (
                "Lt, taint value less than toleration value",
                "Lt",
                "950",
                "800",
                true,
            ),
            ("Gt, equal values", "Gt", "950", "950", false),
            ("Gt, non-numeric taint value", "Gt", "950", "high", false),
            ("Gt, negative values", "Gt", "-100", "-200", false),
            (
                "Gt, large int64 threshold",
                "Gt",
                "9223372036854775806",
                "100",
                false,
            ),
            (
                "Lt, leading zero is not canonical",
                "Lt",
                "950",
                "0800",
                false,
            ),
            ("Gt, plus sign is not canonical", "Gt", "+1", "5", false),
            ("Lt, zero is canonical", "Lt", "1", "0", true),
            ("Lt, minus zero is not canonical", "Lt", "1", "-0", false),
        ];
        for (name, op, tv, nv, want) in cases {
            let t = tol(json!({"key": "k", "operator": op, "value": tv, "effect": "NoSchedule"}));
            let n = taint(json!({"key": "k", "value": nv, "effect": "NoSchedule"}));
            assert_eq!(tolerates_with(&t, &n, true), want, "{name}");
            assert!(!tolerates_with(&t, &n, false), "{name}: gate off");
        }
    }

    #[test]
    fn untolerated_lists_every_blocking_taint_in_node_order() {
        let taints: Vec<Taint> = serde_json::from_value(json!([
            {"key": "a", "effect": "NoSchedule"},
            {"key": "b", "value": "1", "effect": "PreferNoSchedule"},
            {"key": "c", "value": "2", "effect": "NoExecute"},
            {"key": "d", "effect": "NoSchedule"},
        ]))
        .unwrap();
        let cases = [
            (
                "no tolerations: every NoSchedule/NoExecute taint",
                json!([]),
                &BLOCKING_EFFECTS[..],
                vec!["a", "c", "d"],
            ),
            (
                "NoExecute filter only",
                json!([]),
                &[EFFECT_NO_EXECUTE][..],
                vec!["c"],
            ),
            (
                "one tolerated",
                json!([{"key": "a", "operator": "Exists"}]),
                &BLOCKING_EFFECTS[..],
                vec!["c", "d"],
            ),
            (
                "tolerate everything",
                json!([{"operator": "Exists"}]),
                &BLOCKING_EFFECTS[..],
                vec![],
            ),
            (
                "toleration with wrong effect does not help",
                json!([{"key": "c", "operator": "Exists", "effect": "NoSchedule"}]),
                &BLOCKING_EFFECTS[..],
                vec!["a", "c", "d"],
            ),
        ];
        for (name, tols, effects, want) in cases {
            let tols: Vec<Toleration> = serde_json::from_value(tols).unwrap();
            let got: Vec<&str> = untolerated(&taints, &tols, effects)
                .iter()
                .map(|t| t.key.as_str())
                .collect();
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn formats_taints_and_findings() {
        let cases = [
            (
                "with value",
                json!({"key": "gpu", "value": "true", "effect": "NoSchedule"}),
                "gpu=true:NoSchedule",
                Some("true"),
            ),
            (
                "without value",
                json!({"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}),
                "node.kubernetes.io/unschedulable:NoSchedule",
                None,
            ),
            (
                "empty value",
                json!({"key": "k", "value": "", "effect": "NoExecute"}),
                "k:NoExecute",
                None,
            ),
        ];
        for (name, t, want, want_value) in cases {
            let t = taint(t);
            assert_eq!(format_taint(&t), want, "{name}");
            let Finding::UntoleratedTaint {
                key,
                value,
                effect,
                taint,
            } = taint_finding(&t)
            else {
                panic!("{name}: wrong finding kind");
            };
            assert_eq!(key, t.key, "{name}");
            assert_eq!(value.as_deref(), want_value, "{name}");
            assert_eq!(effect, t.effect, "{name}");
            assert_eq!(taint, want, "{name}");
        }
    }

    fn spec(v: serde_json::Value) -> PodSpec {
        serde_json::from_value(v).unwrap()
    }

    fn defaults(host_network: bool) -> Vec<serde_json::Value> {
        let mut v = vec![
            json!({"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"}),
            json!({"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"}),
            json!({"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"}),
            json!({"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"}),
            json!({"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"}),
            json!({"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}),
        ];
        if host_network {
            v.push(json!({"key": "node.kubernetes.io/network-unavailable", "operator": "Exists", "effect": "NoSchedule"}));
        }
        v
    }

    #[test]
    fn adds_daemon_tolerations() {
        let not_ready_300 = json!({"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300});
        let user = json!({"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"});
        let cases: Vec<(&str, serde_json::Value, Vec<serde_json::Value>)> = vec![
            ("no tolerations, no hostNetwork", json!({"containers": []}), defaults(false)),
            ("hostNetwork adds network-unavailable", json!({"containers": [], "hostNetwork": true}), defaults(true)),
            (
                "user tolerations are kept first",
                json!({"containers": [], "tolerations": [user.clone()]}),
                [vec![user.clone()], defaults(false)].concat(),
            ),
            (
                "tolerate-everything is kept and defaults still appended",
                json!({"containers": [], "tolerations": [{"operator": "Exists"}]}),
                [vec![json!({"operator": "Exists"})], defaults(false)].concat(),
            ),
            (
                "a matching toleration with tolerationSeconds is replaced in place by the unbounded one",
                json!({"containers": [], "tolerations": [user.clone(), not_ready_300.clone()]}),
                {
                    let d = defaults(false);
                    [vec![user.clone(), d[0].clone()], d[1..].to_vec()].concat()
                },
            ),
            (
                "an identical default is not duplicated",
                json!({"containers": [], "tolerations": [defaults(false)[3].clone()]}),
                {
                    let d = defaults(false);
                    vec![d[3].clone(), d[0].clone(), d[1].clone(), d[2].clone(), d[4].clone(), d[5].clone()]
                },
            ),
            (
                "Equal not-ready toleration with seconds is a different entry and is kept",
                json!({"containers": [], "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Equal", "effect": "NoExecute", "tolerationSeconds": 60}]}),
                [vec![json!({"key": "node.kubernetes.io/not-ready", "operator": "Equal", "effect": "NoExecute", "tolerationSeconds": 60})], defaults(false)].concat(),
            ),
        ];
        for (name, input, want) in cases {
            let mut s = spec(input);
            add_daemon_tolerations(&mut s);
            let want: Vec<Toleration> =
                serde_json::from_value(serde_json::Value::Array(want)).unwrap();
            assert_eq!(s.tolerations.unwrap_or_default(), want, "{name}");
        }
    }

    #[test]
    fn add_or_update_toleration_quirks() {
        let a = json!({"key": "a", "operator": "Exists", "effect": "NoExecute"});
        let a60 = json!({"key": "a", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60});
        let cases = [
            (
                "appends when absent",
                json!([]),
                a.clone(),
                json!([a.clone()]),
                true,
            ),
            (
                "no change when identical",
                json!([a.clone()]),
                a.clone(),
                json!([a.clone()]),
                false,
            ),
            (
                "replaces every matching duplicate",
                json!([a60.clone(), a60.clone()]),
                a.clone(),
                json!([a.clone(), a.clone()]),
                true,
            ),
            (
                "an identical entry anywhere leaves the list untouched",
                json!([a60.clone(), a.clone()]),
                a.clone(),
                json!([a60.clone(), a.clone()]),
                false,
            ),
        ];
        for (name, existing, new, want, changed) in cases {
            let mut s = spec(json!({"containers": [], "tolerations": existing}));
            assert_eq!(
                add_or_update_toleration(&mut s, tol(new)),
                changed,
                "{name}"
            );
            let want: Vec<Toleration> = serde_json::from_value(want).unwrap();
            assert_eq!(s.tolerations.unwrap_or_default(), want, "{name}");
        }
    }
}
