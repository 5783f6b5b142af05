//! The rolling update's budget: maxUnavailable and maxSurge resolved against the desired node count,
//! and when a pod counts as available. Arithmetic only; which pods use the budget is in `pass.rs`.

use crate::snapshot::pod::Pod;
use jiff::{SignedDuration, Timestamp};
use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// maxSurge and maxUnavailable as the controller uses them for one sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub max_surge: i32,
    pub max_unavailable: i32,
}

/// Whether the DaemonSet's strategy is RollingUpdate (a missing type is, as the API server defaults it).
pub fn is_rolling_update(ds: &DaemonSet) -> bool {
    ds.spec
        .update_strategy
        .as_ref()
        .and_then(|s| s.type_.as_deref())
        .unwrap_or("RollingUpdate")
        == "RollingUpdate"
}

/// The surge and unavailability allowed out of `desired` nodes; an error names an invalid value.
// Mirrors pkg/controller/daemon/update.go (updatedDesiredNodeCounts) and
// pkg/controller/daemon/util/daemonset_util.go (UnavailableCount, SurgeCount)
pub fn updated_desired_node_counts(ds: &DaemonSet, desired: i32) -> Result<Budget, String> {
    if !is_rolling_update(ds) {
        return Ok(Budget {
            max_surge: 0,
            max_unavailable: 0,
        });
    }
    let ru = ds
        .spec
        .update_strategy
        .as_ref()
        .and_then(|s| s.rolling_update.as_ref());
    // The API server defaults a RollingUpdate strategy to maxUnavailable 1, maxSurge 0
    // (pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet); a dump written by hand may lack them.
    let one = IntOrString::Int(1);
    let max_unavailable = scaled(
        ru.and_then(|r| r.max_unavailable.as_ref()).unwrap_or(&one),
        desired,
    )
    .map_err(|e| format!("invalid value for maxUnavailable: {e}"))?;
    let max_surge = match ru.and_then(|r| r.max_surge.as_ref()) {
        None => 0,
        Some(v) => scaled(v, desired).map_err(|e| format!("invalid value for maxSurge: {e}"))?,
    };
    // "if the daemonset returned with an impossible configuration, obey the default of unavailable=1"
    let max_unavailable = if desired > 0 && max_unavailable == 0 && max_surge == 0 {
        1
    } else {
        max_unavailable
    };
    Ok(Budget {
        max_surge,
        max_unavailable,
    })
}

/// An int, or a percentage of `total` rounded up (both budgets round up for DaemonSets).
// Mirrors k8s.io/apimachinery/pkg/util/intstr/intstr.go (GetScaledValueFromIntOrPercent, roundUp=true)
pub fn scaled(value: &IntOrString, total: i32) -> Result<i32, String> {
    match value {
        IntOrString::Int(n) => Ok(*n),
        IntOrString::String(s) => {
            let Some(pct) = s.strip_suffix('%') else {
                return Err(format!("{s:?}: string is not a percentage"));
            };
            let pct: i64 = pct
                .parse()
                .map_err(|_| format!("{s:?}: not an integer percentage"))?;
            // ceil(pct * total / 100) in integers, exact where the float upstream uses is exact.
            let product = pct * i64::from(total);
            let v = product.div_euclid(100) + i64::from(product.rem_euclid(100) != 0);
            Ok(v as i32)
        }
    }
}

/// Ready, and Ready for longer than minReadySeconds at `now`.
// Mirrors pkg/api/v1/pod/util.go (IsPodAvailable): the Ready transition plus minReadySeconds must be
// strictly before now.
pub fn is_pod_available(pod: &Pod, min_ready_seconds: i32, now: Timestamp) -> bool {
    let Some(ready) = ready_condition(pod).filter(|c| c.status == "True") else {
        return false;
    };
    if min_ready_seconds <= 0 {
        return true;
    }
    ready_since_plus(ready, min_ready_seconds).is_some_and(|t| t < now)
}

/// When a Ready pod becomes available (Ready transition + minReadySeconds), if it has a transition time.
pub fn available_at(pod: &Pod, min_ready_seconds: i32) -> Option<Timestamp> {
    ready_condition(pod)
        .filter(|c| c.status == "True")
        .and_then(|c| ready_since_plus(c, min_ready_seconds))
}

fn ready_since_plus(c: &k8s_openapi::api::core::v1::PodCondition, secs: i32) -> Option<Timestamp> {
    let since = c.last_transition_time.as_ref()?.0;
    since
        .checked_add(SignedDuration::from_secs(i64::from(secs.max(0))))
        .ok()
}

/// The pod's Ready condition.
pub fn ready_condition(pod: &Pod) -> Option<&k8s_openapi::api::core::v1::PodCondition> {
    pod.status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == "Ready")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ds(strategy: serde_json::Value) -> DaemonSet {
        serde_json::from_value(json!({
            "metadata": {"name": "x"},
            "spec": {"selector": {}, "template": {}, "updateStrategy": strategy}
        }))
        .unwrap()
    }

    fn unavailable(v: serde_json::Value) -> serde_json::Value {
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": v}})
    }

    // newUpdateSurge in update_test.go: maxUnavailable 0 and the given maxSurge.
    fn surge(v: serde_json::Value) -> serde_json::Value {
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": v}})
    }

    /// pkg/controller/daemon/update_test.go TestGetUnavailableNumbers: the budget half of each case
    /// (desired is the number of nodes that should run the pod).
    #[test]
    fn test_get_unavailable_numbers() {
        let cases = [
            ("No nodes", unavailable(json!(0)), 0, (0, 0)),
            (
                "Two nodes with ready pods",
                unavailable(json!(1)),
                2,
                (0, 1),
            ),
            (
                "Two nodes, one node without pods",
                unavailable(json!(0)),
                2,
                (0, 1),
            ),
            (
                "Two nodes, one node without pods, surge",
                surge(json!(0)),
                2,
                (0, 1),
            ),
            (
                "Two nodes with pods, MaxUnavailable in percents",
                unavailable(json!("50%")),
                2,
                (0, 1),
            ),
            (
                "Two nodes with pods, MaxUnavailable in percents, surge",
                surge(json!("50%")),
                2,
                (1, 0),
            ),
            (
                "Two nodes with pods, MaxUnavailable is 100%, surge",
                surge(json!("100%")),
                2,
                (2, 0),
            ),
            (
                "Two nodes with pods, MaxUnavailable in percents, pod terminating",
                unavailable(json!("50%")),
                3,
                (0, 2),
            ),
        ];
        for (name, strategy, desired, (max_surge, max_unavailable)) in cases {
            assert_eq!(
                updated_desired_node_counts(&ds(strategy), desired),
                Ok(Budget {
                    max_surge,
                    max_unavailable
                }),
                "{name}"
            );
        }
    }

    #[test]
    fn strategies_and_defaults() {
        let cases = [
            (
                "OnDelete has no budget",
                json!({"type": "OnDelete"}),
                5,
                Ok((0, 0)),
            ),
            (
                "RollingUpdate without rollingUpdate takes the API default 1",
                json!({"type": "RollingUpdate"}),
                5,
                Ok((0, 1)),
            ),
            (
                "missing type is RollingUpdate",
                json!({"rollingUpdate": {"maxUnavailable": 2}}),
                5,
                Ok((0, 2)),
            ),
            (
                "percentages round up: 10% of 12 is 2",
                unavailable(json!("10%")),
                12,
                Ok((0, 2)),
            ),
            (
                "0% of nothing is 0 and no node means no default",
                unavailable(json!("0%")),
                0,
                Ok((0, 0)),
            ),
            (
                "25% surge of 5 rounds up to 2",
                surge(json!("25%")),
                5,
                Ok((2, 0)),
            ),
            (
                "a bare number string is not a percentage",
                unavailable(json!("3")),
                5,
                Err("invalid value for maxUnavailable: \"3\": string is not a percentage"),
            ),
            (
                "garbage percentage",
                surge(json!("x%")),
                5,
                Err("invalid value for maxSurge: \"x%\": not an integer percentage"),
            ),
        ];
        for (name, strategy, desired, want) in cases {
            let got = updated_desired_node_counts(&ds(strategy), desired);
            let want = want
                .map(|(s, u)| Budget {
                    max_surge: s,
                    max_unavailable: u,
                })
                .map_err(str::to_owned);
            assert_eq!(got, want, "{name}");
        }
    }

    fn pod(ready: &str, since: &str) -> Pod {
        serde_json::from_value(json!({
            "metadata": {"name": "p"},
            "status": {"conditions": [{"type": "Ready", "status": ready, "lastTransitionTime": since}]}
        }))
        .unwrap()
    }

    /// podutil.IsPodAvailable as TestDaemonSetUpdatesAllOldPodsNotReadyMaxSurge drives it: pods made
    /// Ready at 300 with minReadySeconds 15 are not available at 310, and are at 320.
    #[test]
    fn is_pod_available_waits_min_ready_seconds() {
        let at = |s: i64| Timestamp::from_second(s).unwrap();
        let ready_300 = pod("True", "1970-01-01T00:05:00Z");
        let cases = [
            ("ready, no minReadySeconds", &ready_300, 0, at(300), true),
            ("ready at 300, 15s, now 310", &ready_300, 15, at(310), false),
            (
                "exactly at 315 is not yet (strictly before now)",
                &ready_300,
                15,
                at(315),
                false,
            ),
            ("ready at 300, 15s, now 320", &ready_300, 15, at(320), true),
        ];
        for (name, p, min_ready, now, want) in cases {
            assert_eq!(is_pod_available(p, min_ready, now), want, "{name}");
        }
        let not_ready = pod("False", "1970-01-01T00:05:00Z");
        assert!(!is_pod_available(&not_ready, 0, at(400)), "not ready");
        assert_eq!(available_at(&ready_300, 15), Some(at(315)));
    }
}
