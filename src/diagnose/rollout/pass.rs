//! One pass of the controller's rolling update, replayed: which nodes use up the budget, which old
//! pods it deletes now and where it creates surge pods now. Decides nothing about words or states.

use jiff::Timestamp;

use super::CurrentRevision;
use super::budget::{Budget, is_pod_available};
use crate::diagnose::cluster::name;
use crate::snapshot::pod::Pod;

/// The DaemonSet's pods aimed at one node (not terminal-and-deleted), and whether the node should run one.
#[derive(Debug, Clone)]
pub struct NodePods<'a> {
    pub node: String,
    pub should_run: bool,
    /// Oldest first, as the controller sorts them.
    pub pods: Vec<&'a Pod>,
}

/// What the pass found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pass {
    /// numUnavailable (maxSurge 0) or numSurge (maxSurge > 0) at the end of the pass.
    pub used: i32,
    /// The nodes counted in `used`, by name, each with the pod that holds the budget (if any).
    pub budget_users: Vec<(String, Option<String>)>,
    /// Old pods the controller deletes in this pass, as (node, pod).
    pub delete_now: Vec<(String, String)>,
    /// Nodes where it creates a new-revision pod beside the old one in this pass (surge).
    pub create_now: Vec<String>,
    /// Old available pods that wait for budget, by node.
    pub waiting: Vec<String>,
    /// Nodes that should run the pod and still hold an old-revision pod that is not being deleted.
    pub old_nodes: Vec<String>,
}

/// findUpdatedPodsOnNode: at most one new and one old live pod, or None when there are more.
// Mirrors pkg/controller/daemon/update.go (findUpdatedPodsOnNode)
fn updated_pods_on_node<'a>(
    pods: &[&'a Pod],
    current: &CurrentRevision,
) -> Option<(Option<&'a Pod>, Option<&'a Pod>)> {
    let (mut new, mut old) = (None, None);
    for &pod in pods
        .iter()
        .filter(|p| p.metadata.deletion_timestamp.is_none())
    {
        // Nothing to compare with (no revisions in the snapshot): nothing says the pod is old.
        let slot = if current.is_pod_updated(pod).unwrap_or(true) {
            &mut new
        } else {
            &mut old
        };
        if slot.is_some() {
            return None;
        }
        *slot = Some(pod);
    }
    Some((new, old))
}

/// Replays rollingUpdate for one sync over `nodes` (every node holding a pod of the DaemonSet plus
/// every node that should run one), in node-name order.
// Mirrors pkg/controller/daemon/update.go (rollingUpdate)
pub fn rolling_update(
    nodes: &[NodePods],
    current: &CurrentRevision,
    budget: Budget,
    min_ready_seconds: i32,
    now: Timestamp,
) -> Pass {
    let available = |p: &Pod| is_pod_available(p, min_ready_seconds, now);
    let pod_name = |p: &Pod| name(&p.metadata).to_string();
    let mut pass = Pass::default();
    if budget.max_surge == 0 {
        // Invariant: no more than maxUnavailable nodes without an available pod.
        let mut candidates = Vec::new();
        for n in nodes {
            let use_budget = |pass: &mut Pass, pod: Option<&Pod>| {
                pass.used += 1;
                pass.budget_users.push((n.node.clone(), pod.map(pod_name)));
            };
            match updated_pods_on_node(&n.pods, current) {
                // Excess pods: the manage loop prunes them; unavailable meanwhile.
                None => use_budget(&mut pass, n.pods.first().copied()),
                Some((None, None)) => {
                    // Only terminating pods, or none: unavailable until the manage loop's pod is.
                    use_budget(&mut pass, n.pods.first().copied())
                }
                Some((Some(new), Some(_))) => use_budget(&mut pass, Some(new)),
                Some((Some(new), None)) => {
                    if !available(new) {
                        use_budget(&mut pass, Some(new));
                    }
                }
                Some((None, Some(old))) => {
                    if !available(old) {
                        // An old pod that is not available anyway is replaced at once.
                        pass.used += 1;
                        pass.delete_now.push((n.node.clone(), pod_name(old)));
                    } else {
                        candidates.push((n.node.clone(), pod_name(old)));
                    }
                }
            }
        }
        let remaining = (budget.max_unavailable - pass.used).clamp(0, candidates.len() as i32);
        let (now_deleted, wait) = candidates.split_at(remaining as usize);
        pass.delete_now.extend(now_deleted.iter().cloned());
        pass.waiting = wait.iter().map(|(n, _)| n.clone()).collect();
    } else {
        // Invariant: no more than maxSurge nodes hold a new pod that is not yet available beside an
        // old one; an old pod goes once the new one beside it is available.
        let mut candidates = Vec::new();
        let mut should_not_run = Vec::new();
        let mut num_available = 0;
        let desired = nodes.iter().filter(|n| n.should_run).count() as i32;
        for n in nodes {
            let Some((new, old)) = updated_pods_on_node(&n.pods, current) else {
                pass.used += 1;
                pass.budget_users
                    .push((n.node.clone(), n.pods.first().map(|p| pod_name(p))));
                continue;
            };
            if old.or(new).is_some_and(available) {
                num_available += 1;
            }
            match (new, old) {
                (_, None) => {}
                (None, Some(old)) if !available(old) => {
                    if n.should_run {
                        pass.create_now.push(n.node.clone());
                    } else {
                        pass.delete_now.push((n.node.clone(), pod_name(old)));
                    }
                }
                (None, Some(old)) => {
                    if !n.should_run {
                        should_not_run.push((n.node.clone(), pod_name(old)));
                    } else {
                        candidates.push(n.node.clone());
                    }
                }
                (Some(new), Some(old)) => {
                    if !available(new) {
                        pass.used += 1;
                        pass.budget_users
                            .push((n.node.clone(), Some(pod_name(new))));
                    } else {
                        pass.delete_now.push((n.node.clone(), pod_name(old)));
                    }
                }
            }
        }
        // Pods on nodes that no longer qualify go only once as many pods elsewhere are available.
        let deletable = (num_available - desired).clamp(0, should_not_run.len() as i32) as usize;
        pass.delete_now
            .extend(should_not_run[..deletable].iter().cloned());
        let remaining = (budget.max_surge - pass.used).clamp(0, candidates.len() as i32) as usize;
        pass.create_now
            .extend(candidates[..remaining].iter().cloned());
        pass.waiting = candidates[remaining..].to_vec();
    }
    for n in nodes.iter().filter(|n| n.should_run) {
        let deleted = |p: &&Pod| {
            pass.delete_now
                .iter()
                .any(|(node, pod)| *node == n.node && *pod == name(&p.metadata))
        };
        let old = n.pods.iter().any(|p| {
            p.metadata.deletion_timestamp.is_none()
                && current.is_pod_updated(p) == Some(false)
                && !deleted(p)
        });
        if old {
            pass.old_nodes.push(n.node.clone());
        }
    }
    pass
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NEW: &str = "new";
    const OLD: &str = "old";

    fn current() -> CurrentRevision {
        CurrentRevision {
            hash: Some(NEW.into()),
            template_generation: None,
        }
    }

    /// A pod of revision `rev`; `ready_at` is when it became Ready (None: not Ready).
    fn pod(name: &str, rev: &str, ready_at: Option<i64>, deleting: bool) -> Pod {
        let mut v = json!({
            "metadata": {"name": name, "labels": {"controller-revision-hash": rev}},
            "status": {"conditions": [match ready_at {
                Some(t) => json!({"type": "Ready", "status": "True",
                    "lastTransitionTime": Timestamp::from_second(t).unwrap().to_string()}),
                None => json!({"type": "Ready", "status": "False"}),
            }]}
        });
        if deleting {
            v["metadata"]["deletionTimestamp"] = json!("1970-01-01T00:00:01Z");
        }
        serde_json::from_value(v).unwrap()
    }

    fn budget(max_surge: i32, max_unavailable: i32) -> Budget {
        Budget {
            max_surge,
            max_unavailable,
        }
    }

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(s).unwrap()
    }

    /// `layout[i]` holds node-i's pods; every node should run the pod.
    fn nodes<'a>(layout: &'a [Vec<Pod>]) -> Vec<NodePods<'a>> {
        layout
            .iter()
            .enumerate()
            .map(|(i, pods)| NodePods {
                node: format!("node-{i}"),
                should_run: true,
                pods: pods.iter().collect(),
            })
            .collect()
    }

    fn counts(p: &Pass) -> (usize, usize) {
        (p.create_now.len(), p.delete_now.len())
    }

    /// TestDaemonSetUpdatesPods: 5 ready old pods, maxUnavailable 2: the controller deletes 2; once
    /// their replacements are ready, 2 more; then the last one.
    #[test]
    fn test_daemon_set_updates_pods() {
        let b = budget(0, 2);
        let old = |i: usize| vec![pod(&format!("old-{i}"), OLD, Some(0), false)];
        let new =
            |i: usize, ready: bool| vec![pod(&format!("new-{i}"), NEW, ready.then_some(0), false)];
        let steps: Vec<(&str, Vec<Vec<Pod>>, usize, i32)> = vec![
            (
                "all old and ready: delete maxUnavailable (candidates do not count as used)",
                (0..5).map(old).collect(),
                2,
                0,
            ),
            (
                "two new pods not ready yet: budget used",
                vec![new(0, false), new(1, false), old(2), old(3), old(4)],
                0,
                2,
            ),
            (
                "two new ready: delete two more",
                vec![new(0, true), new(1, true), old(2), old(3), old(4)],
                2,
                0,
            ),
            (
                "four new ready: delete the last one",
                vec![
                    new(0, true),
                    new(1, true),
                    new(2, true),
                    new(3, true),
                    old(4),
                ],
                1,
                0,
            ),
            (
                "all new and ready: nothing to do",
                (0..5).map(|i| new(i, true)).collect(),
                0,
                0,
            ),
        ];
        for (name, layout, deletes, used) in steps {
            let p = rolling_update(&nodes(&layout), &current(), b, 0, at(100));
            assert_eq!((p.delete_now.len(), p.used), (deletes, used), "{name}");
        }
    }

    /// TestDaemonSetUpdatesWhenNewPodIsNotReady: maxUnavailable 3, new pods never ready: after the
    /// first 3 are replaced nothing more happens.
    #[test]
    fn test_daemon_set_updates_when_new_pod_is_not_ready() {
        let layout: Vec<Vec<Pod>> = (0..5)
            .map(|i| {
                if i < 3 {
                    vec![pod(&format!("new-{i}"), NEW, None, false)]
                } else {
                    vec![pod(&format!("old-{i}"), OLD, Some(0), false)]
                }
            })
            .collect();
        let p = rolling_update(&nodes(&layout), &current(), budget(0, 3), 0, at(100));
        assert_eq!(p.delete_now, vec![]);
        assert_eq!(p.used, 3);
        assert_eq!(p.waiting, vec!["node-3", "node-4"]);
        assert_eq!(p.budget_users.len(), 3);
    }

    /// TestDaemonSetUpdatesAllOldPodsNotReady: maxUnavailable 3 but all 5 old pods unavailable: all
    /// 5 are deleted at once.
    #[test]
    fn test_daemon_set_updates_all_old_pods_not_ready() {
        let layout: Vec<Vec<Pod>> = (0..5)
            .map(|i| vec![pod(&format!("old-{i}"), OLD, None, false)])
            .collect();
        let p = rolling_update(&nodes(&layout), &current(), budget(0, 3), 0, at(100));
        assert_eq!(p.delete_now.len(), 5);
    }

    /// TestDaemonSetUpdatesAllOldNotReadyPodsAndNewNotReadyPods: 100 nodes, maxUnavailable 10, 88
    /// new unavailable, 2 old unavailable, 10 old available: only the 2 old unavailable go.
    #[test]
    fn test_daemon_set_updates_all_old_not_ready_pods_and_new_not_ready_pods() {
        let layout: Vec<Vec<Pod>> = (0..100)
            .map(|i| {
                let name = format!("p-{i}");
                vec![match i {
                    0..10 => pod(&name, OLD, Some(0), false),
                    10..12 => pod(&name, OLD, None, false),
                    _ => pod(&name, NEW, None, false),
                }]
            })
            .collect();
        let p = rolling_update(&nodes(&layout), &current(), budget(0, 10), 0, at(100));
        let deleted: Vec<&str> = p.delete_now.iter().map(|(_, p)| p.as_str()).collect();
        assert_eq!(deleted, vec!["p-10", "p-11"]);
        assert_eq!(p.waiting.len(), 10);
    }

    /// TestDaemonSetUpdatesPodsWithMaxSurge: 5 ready old pods, maxSurge 2: 2 surge pods; once ready,
    /// their old pods go and 2 more surge; then the last node.
    #[test]
    fn test_daemon_set_updates_pods_with_max_surge() {
        let b = budget(2, 0);
        let old = |i: usize| pod(&format!("old-{i}"), OLD, Some(0), false);
        let new = |i: usize, ready: bool| pod(&format!("new-{i}"), NEW, ready.then_some(0), false);
        // (case, pods per node, (creates, deletes))
        type Step<'a> = (&'a str, Vec<Vec<Pod>>, (usize, usize));
        let steps: Vec<Step> = vec![
            (
                "surge onto maxSurge nodes",
                (0..5).map(|i| vec![old(i)]).collect(),
                (2, 0),
            ),
            (
                "surged pods not ready: wait",
                vec![
                    vec![old(0), new(0, false)],
                    vec![old(1), new(1, false)],
                    vec![old(2)],
                    vec![old(3)],
                    vec![old(4)],
                ],
                (0, 0),
            ),
            (
                "surged pods ready: delete their old pods and surge 2 more",
                vec![
                    vec![old(0), new(0, true)],
                    vec![old(1), new(1, true)],
                    vec![old(2)],
                    vec![old(3)],
                    vec![old(4)],
                ],
                (2, 2),
            ),
            (
                "5 % maxSurge: the last node",
                vec![
                    vec![new(0, true)],
                    vec![new(1, true)],
                    vec![old(2), new(2, true)],
                    vec![old(3), new(3, true)],
                    vec![old(4)],
                ],
                (1, 2),
            ),
            (
                "last surge ready: delete its old pod",
                vec![
                    vec![new(0, true)],
                    vec![new(1, true)],
                    vec![new(2, true)],
                    vec![new(3, true)],
                    vec![old(4), new(4, true)],
                ],
                (0, 1),
            ),
        ];
        for (name, layout, want) in steps {
            let p = rolling_update(&nodes(&layout), &current(), b, 0, at(100));
            assert_eq!(counts(&p), want, "{name}");
        }
    }

    /// TestDaemonSetUpdatesAllOldPodsNotReadyMaxSurge, second update: maxSurge 3, minReadySeconds 15,
    /// new pods made Ready at 300 and one old pod made unready.
    #[test]
    fn test_daemon_set_updates_all_old_pods_not_ready_max_surge() {
        let b = budget(3, 0);
        let old = |i: usize, ready: bool| pod(&format!("old-{i}"), OLD, ready.then_some(0), false);
        let new = |i: usize| pod(&format!("new-{i}"), NEW, Some(300), false);
        let layout = vec![
            vec![old(0, true), new(0)],
            vec![old(1, true), new(1)],
            vec![old(2, true), pod("new-2", NEW, None, false)],
            vec![old(3, false)],
            vec![old(4, true)],
        ];
        // At 310 the new pods wait out minReadySeconds: surge is used up, but the unready old pod is
        // replaced at once.
        let p = rolling_update(&nodes(&layout), &current(), b, 15, at(310));
        assert_eq!(counts(&p), (1, 0), "at 310");
        assert_eq!(p.create_now, vec!["node-3"]);
        assert_eq!(p.waiting, vec!["node-4"]);
        // At 320 the two new pods ready since 300 are available: their old pods go.
        let p = rolling_update(&nodes(&layout), &current(), b, 15, at(320));
        assert_eq!(p.delete_now.len(), 2, "at 320");
    }

    /// TestGetUnavailableNumbers "pod terminating": a terminating pod leaves its node without a live
    /// pod, which counts against maxUnavailable.
    #[test]
    fn terminating_pod_uses_the_budget() {
        let layout = vec![
            vec![pod("a", OLD, Some(0), false)],
            vec![pod("b", OLD, Some(0), true)],
            vec![],
        ];
        let p = rolling_update(&nodes(&layout), &current(), budget(0, 2), 0, at(100));
        assert_eq!(p.used, 2);
        assert_eq!(p.delete_now, vec![]);
        assert_eq!(p.waiting, vec!["node-0"]);
        assert_eq!(
            p.budget_users,
            vec![
                ("node-1".to_string(), Some("b".to_string())),
                ("node-2".to_string(), None)
            ]
        );
    }
}
