//! Rollouts end to end: the state, budget and blockers `why` and `coverage` report, checked against
//! what the real controller did (tests/fixtures/real-cluster, namespace `rollout`, and every
//! DaemonSet's own `.status`) and on hand-built stuck rollouts (tests/fixtures/rollout/stuck.json,
//! written by gen.py beside it).

use crate::support::{fixtures, kubectl_ds, real_cluster, why_file_json, why_json};

fn stuck() -> String {
    fixtures()
        .join("rollout/stuck.json")
        .to_string_lossy()
        .into_owned()
}

fn rollout_of(v: &serde_json::Value) -> &serde_json::Value {
    &v["rollout"]
}

/// The counts the rollout reports are the ones the controller itself wrote to `.status`, for every
/// DaemonSet of the recorded cluster (no minReadySeconds there, so `now` does not matter).
#[test]
fn counts_match_the_controllers_status_on_the_real_cluster() {
    let run = kubectl_ds(&[
        "coverage",
        "-A",
        "-f",
        real_cluster().to_str().unwrap(),
        "-o",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cov: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let recorded: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(real_cluster().join("daemonsets.json")).unwrap(),
    )
    .unwrap();
    let rows = cov["daemonSets"].as_array().unwrap();
    assert_eq!(rows.len(), 16);
    for row in rows {
        let ds = recorded["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| {
                d["metadata"]["name"] == row["name"]
                    && d["metadata"]["namespace"] == row["namespace"]
            })
            .unwrap();
        let s = &ds["status"];
        let r = &row["rollout"];
        let field = |k: &str| s[k].as_i64().unwrap_or(0);
        let what = format!("{}/{}", row["namespace"], row["name"]);
        assert_eq!(
            r["desired"].as_i64(),
            Some(field("desiredNumberScheduled")),
            "{what} desired"
        );
        assert_eq!(
            r["updated"].as_i64(),
            Some(field("updatedNumberScheduled")),
            "{what} updated"
        );
        assert_eq!(
            r["available"].as_i64(),
            Some(field("numberAvailable")),
            "{what} available"
        );
        assert_eq!(
            r["unavailable"].as_i64(),
            Some(field("desiredNumberScheduled") - field("numberAvailable")),
            "{what} unavailable"
        );
    }
}

/// TRUTH.md: web-agent stalled with one updated pod that never becomes ready, legacy-agent (OnDelete)
/// waiting with one pod stuck Terminating, surge-agent stuck mid-surge with maxUnavailable 0.
#[test]
fn real_cluster_rollouts_as_the_controller_handled_them() {
    let cases = [
        (
            "web-agent",
            "Stalled",
            (1, 0),
            vec![("small-1", Some("web-agent-226gd"))],
            "kubelet has not reported any container status",
        ),
        (
            "legacy-agent",
            "OnDelete",
            (0, 0),
            vec![("cordoned-1", Some("legacy-agent-p5t4d"))],
            "Terminating since 2026-11-23T11:50:25Z",
        ),
        (
            "surge-agent",
            "Stalled",
            (0, 1),
            vec![("w-1", Some("surge-agent-2fdx7"))],
            "ImagePullBackOff",
        ),
    ];
    for (ds, state, (max_unavailable, max_surge), blockers, reason) in cases {
        let v = why_json("rollout", ds);
        let r = rollout_of(&v);
        assert_eq!(r["state"], state, "{ds}");
        if state != "OnDelete" {
            assert_eq!(r["maxUnavailable"], max_unavailable, "{ds}");
            assert_eq!(r["maxSurge"], max_surge, "{ds}");
        }
        let got: Vec<(&str, Option<&str>)> = r["blockers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| (b["node"].as_str().unwrap(), b["pod"].as_str()))
            .collect();
        assert_eq!(got, blockers, "{ds}");
        assert!(
            r["blockers"][0]["reason"]
                .as_str()
                .unwrap()
                .contains(reason),
            "{ds}: {}",
            r["blockers"][0]["reason"]
        );
    }
    // Each node says whether its pod runs the current revision; nodes without a pod say nothing.
    let v = why_json("rollout", "web-agent");
    let revision = |node: &str| {
        v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["node"] == node)
            .unwrap()
            .get("revision")
            .cloned()
    };
    assert_eq!(revision("small-1"), Some(serde_json::json!("current")));
    assert_eq!(revision("w-1"), Some(serde_json::json!("old")));
    assert_eq!(revision("cp-1"), None);
}

/// Stuck rollouts as they happen in real clusters, one DaemonSet each.
#[test]
fn stuck_rollouts_state_and_blockers() {
    let file = stuck();
    let path = std::path::Path::new(&file);
    let cases = [
        (
            "dead-node-agent",
            "Stalled",
            0,
            2,
            vec!["n-3"],
            "node n-3 NotReady since 2026-11-29T12:00:00Z",
        ),
        (
            "bad-image-agent",
            "Stalled",
            1,
            1,
            vec!["n-1"],
            "ImagePullBackOff: image example.com/bad-image-agent:2.0 cannot be pulled: rpc error: code = NotFound",
        ),
        (
            "slow-agent",
            "Progressing",
            1,
            1,
            vec!["n-1"],
            "minReadySeconds 3600 not elapsed (available at 2026-11-30T12:50:00Z, in 3000s)",
        ),
        ("manual-agent", "OnDelete", 0, 2, vec![], ""),
        (
            "surge-crash-agent",
            "Stalled",
            0,
            2,
            vec!["n-1"],
            "CrashLoopBackOff",
        ),
        (
            "big-agent",
            "Stalled",
            1,
            1,
            vec!["n-1"],
            "Insufficient cpu: pod requests 8, node allocatable 4",
        ),
        ("done-agent", "Complete", 2, 2, vec![], ""),
    ];
    for (ds, state, updated, available, blockers, reason) in cases {
        let v = why_file_json(path, "stuck", ds);
        let r = rollout_of(&v);
        assert_eq!(r["state"], state, "{ds}: {r}");
        assert_eq!(r["desired"], 2, "{ds}");
        assert_eq!(r["updated"], updated, "{ds}");
        assert_eq!(r["available"], available, "{ds}");
        let got: Vec<&str> = r["blockers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["node"].as_str().unwrap())
            .collect();
        assert_eq!(got, blockers, "{ds}");
        if !reason.is_empty() {
            let text = r["blockers"][0]["reason"].as_str().unwrap();
            assert!(text.contains(reason), "{ds}: {text}");
        }
    }
}

/// The table's rollout lines for each stuck rollout, and the advice that unblocks it, with the run's
/// connection flags on every command.
#[test]
fn stuck_rollouts_tables() {
    let file = stuck();
    let mut all = String::new();
    for ds in [
        "dead-node-agent",
        "bad-image-agent",
        "slow-agent",
        "manual-agent",
        "surge-crash-agent",
        "big-agent",
        "done-agent",
    ] {
        let run = kubectl_ds(&["why", ds, "-n", "stuck", "-f", &file]);
        assert_eq!(run.code, 0, "{ds}: {}", run.stderr);
        all.push_str(&format!("$ kubectl ds why {ds} -n stuck\n{}\n", run.stdout));
    }
    insta::assert_snapshot!("stuck_rollouts_tables", all);

    let run = kubectl_ds(&[
        "why",
        "dead-node-agent",
        "-n",
        "stuck",
        "-f",
        &file,
        "--context",
        "prod",
        "--explain",
        "--status",
        "Misscheduled",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("stuck_rollout_dead_node_explain", run.stdout);
    assert!(run.stdout.contains(
        "kubectl --context prod delete pod dead-node-agent-a3 -n stuck --grace-period=0 --force"
    ));
}

/// `coverage` shows each DaemonSet's rollout state, and the same object in JSON.
#[test]
fn coverage_rollout_column() {
    let run = kubectl_ds(&["coverage", "-n", "stuck", "-f", &stuck()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let header = run.stdout.lines().next().unwrap();
    assert!(header.contains("ROLLOUT"), "{header}");
    for (ds, state) in [
        ("dead-node-agent", "Stalled"),
        ("slow-agent", "Progressing"),
        ("manual-agent", "OnDelete"),
        ("done-agent", "Complete"),
    ] {
        let line = run
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("{ds} ")))
            .unwrap_or_else(|| panic!("{ds} row\n{}", run.stdout));
        assert!(line.split_whitespace().any(|w| w == state), "{line}");
    }
    let json = kubectl_ds(&["coverage", "-n", "stuck", "-f", &stuck(), "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    for row in v["daemonSets"].as_array().unwrap() {
        let why = why_file_json(
            std::path::Path::new(&stuck()),
            "stuck",
            row["name"].as_str().unwrap(),
        );
        assert_eq!(row["rollout"], why["rollout"], "{}", row["name"]);
    }
}

/// `--explain` gives the rollout the fix that unblocks it, every command carrying the run's
/// connection flags; `-o json` carries it as `rollout.advice`.
#[test]
fn stuck_rollout_fixes_carry_the_connection_flags() {
    let file = stuck();
    let cases = [
        (
            "bad-image-agent",
            "kubectl --context prod rollout undo daemonset/bad-image-agent -n stuck",
        ),
        (
            "manual-agent",
            "kubectl --context prod delete pod manual-agent-d1 -n stuck",
        ),
        (
            "surge-crash-agent",
            "kubectl --context prod rollout undo daemonset/surge-crash-agent -n stuck",
        ),
    ];
    for (ds, command) in cases {
        let run = kubectl_ds(&[
            "why",
            ds,
            "-n",
            "stuck",
            "-f",
            &file,
            "--context",
            "prod",
            "--explain",
            "-o",
            "json",
        ]);
        assert_eq!(run.code, 0, "{ds}: {}", run.stderr);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let advice = &v["rollout"]["advice"][0];
        let commands: Vec<&str> = std::iter::once(&advice["fix"])
            .chain(advice["alternatives"].as_array().into_iter().flatten())
            .flat_map(|f| f["commands"].as_array().into_iter().flatten())
            .filter_map(|c| c.as_str())
            .collect();
        assert!(commands.contains(&command), "{ds}: {commands:?}");
        assert!(
            advice["checks"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c.as_str().unwrap().starts_with("kubectl --context prod ")),
            "{ds}: {}",
            advice["checks"]
        );
    }
    // Without --explain there is no advice in the document.
    let plain = why_file_json(std::path::Path::new(&file), "stuck", "bad-image-agent");
    assert!(plain["rollout"].get("advice").is_none());
}
