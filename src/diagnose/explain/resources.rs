//! `--explain` advice for Insufficient <resource> and Too many pods: the largest requests that fit
//! the node's free room, scaled across containers and checked with the scheduler's own arithmetic
//! (diagnose::resources), or the room that has to be made instead.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

use super::commands::shell_quote;
use super::yaml::{Entry, Y, e, s};
use super::{NodeAdvisor, plural};
use crate::diagnose::quantity::{self, format_resource, scheduler_units};
use crate::diagnose::resources;
use crate::report::{Advice, Finding, Fix};
use crate::snapshot::pod::{Container, PodSpec};

impl NodeAdvisor<'_> {
    pub(super) fn resources(&self, findings: &[&Finding]) -> Advice {
        let node = self.node_name();
        let mut about = Vec::new();
        let mut a = Advice {
            about: String::new(),
            checks: vec![
                format!("{}  # Allocated resources", self.describe_node()),
                format!(
                    "kubectl get pods -A --field-selector spec.nodeName={node} -o {}",
                    shell_quote(
                        "custom-columns=NAMESPACE:.metadata.namespace,NAME:.metadata.name,CPU:.spec.containers[*].resources.requests.cpu,MEMORY:.spec.containers[*].resources.requests.memory,PHASE:.status.phase"
                    )
                ),
                self.ctx
                    .get_ds("{.spec.template.spec.containers[*].resources}"),
            ],
            fix: None,
            alternatives: Vec::new(),
            notes: Vec::new(),
        };
        let mut plans = Vec::new();
        let mut impossible = Vec::new();
        let mut fits_empty = true;
        for f in findings {
            match f {
                Finding::TooManyPods {
                    allocatable,
                    pods_on_node,
                } => {
                    about.push("Too many pods".to_owned());
                    a.alternatives.push(Fix {
                        summary: format!(
                            "{node} allows {allocatable} pods and runs {pods_on_node}: raise the kubelet's maxPods on it (KubeletConfiguration maxPods, then restart the kubelet; the node's pod CIDR must hold that many), or move pods off it"
                        ),
                        yaml: None,
                        commands: Vec::new(),
                    });
                }
                Finding::InsufficientResource {
                    resource,
                    requested,
                    allocatable,
                    already_requested,
                    pods_on_node,
                } => {
                    about.push(format!("Insufficient {resource}"));
                    let units = |q: &str| {
                        quantity::parse(q)
                            .map(|amt| scheduler_units(resource, amt))
                            .unwrap_or(0)
                    };
                    let (want, alloc, used) = (
                        units(requested),
                        units(allocatable),
                        units(already_requested),
                    );
                    let free = alloc.saturating_sub(used);
                    if want > alloc {
                        fits_empty = false;
                    }
                    if free <= 0 {
                        impossible.push(format!(
                            "no {resource} is left on {node}: {already_requested} of {allocatable} is already requested by {}",
                            plural(*pods_on_node, "pod", "pods")
                        ));
                    } else {
                        plans.push(ResourcePlan {
                            resource: resource.clone(),
                            pod_request: want,
                            free,
                        });
                    }
                }
                _ => {}
            }
        }
        a.about = about.join(", ");
        if !impossible.is_empty() {
            a.notes.extend(impossible);
            a.notes.push(format!(
                "no request fits on {node} as it is: make room by moving pods off it, or run {} elsewhere",
                self.ctx.name
            ));
        } else if !plans.is_empty() {
            match lower_requests(&self.ctx.spec, &plans) {
                Ok(lowered) => {
                    let what: Vec<String> = lowered
                        .totals
                        .iter()
                        .map(|(r, v)| format!("{r} {v}"))
                        .collect();
                    a.fix = Some(self.ctx.template_fix(
                        format!(
                            "lower the pod's requests to what {node} has free now: {} (the largest that fit)",
                            what.join(", ")
                        ),
                        lowered.entries,
                    ));
                    a.notes.push(format!(
                        "this lowers the requests on every node, and the scheduler reserves only what is requested: check {} still gets what it uses (kubectl top pod {})",
                        self.ctx.name,
                        self.ctx.n()
                    ));
                    a.notes.push(format!(
                        "what is free on {node} changes as other pods come and go"
                    ));
                }
                Err(why) => a.notes.push(why),
            }
        }
        if fits_empty && a.alternatives.is_empty() {
            a.alternatives.push(Fix {
                summary: format!(
                    "make room: the request would fit on an empty {node}, so moving other pods off it helps, as does a higher priorityClassName for {} (the scheduler then preempts lower-priority pods)",
                    self.ctx.name
                ),
                yaml: None,
                commands: Vec::new(),
            });
        } else if !fits_empty {
            a.notes.push(format!(
                "the pod asks for more than {node} has in total (allocatable), so even an empty {node} could not take it as it is"
            ));
        }
        a
    }
}

struct ResourcePlan {
    resource: String,
    /// The pod's effective request, in scheduler units.
    pod_request: i128,
    /// allocatable - already requested, in scheduler units (> 0).
    free: i128,
}

/// (resource, old request, new request), formatted.
type RequestChange = (String, String, String);

struct Lowered {
    entries: Vec<Entry>,
    /// The pod's new effective request per resource, formatted.
    totals: Vec<(String, String)>,
}

/// Resources whose request must equal the limit (no overcommit): extended resources and hugepages.
// Mirrors pkg/apis/core/validation/validation.go (validateResourceRequirements: must be equal to limit)
fn request_must_equal_limit(resource: &str) -> bool {
    !matches!(resource, "cpu" | "memory" | "ephemeral-storage")
}

fn container_request(c: &Container, resource: &str) -> i128 {
    let r = c.resources.as_ref();
    r.and_then(|r| r.requests.as_ref())
        .and_then(|m| m.get(resource))
        .or_else(|| {
            r.and_then(|r| r.limits.as_ref())
                .and_then(|m| m.get(resource))
        })
        .and_then(|q| quantity::parse(&q.0).ok())
        .map(|amt| scheduler_units(resource, amt))
        .unwrap_or(0)
}

/// Scales every request of each planned resource down in proportion, so the pod's effective
/// request (sum of containers, max with init containers, pod-level resources) becomes the largest
/// that fits the free room; verified with the scheduler's own arithmetic.
fn lower_requests(spec: &PodSpec, plans: &[ResourcePlan]) -> Result<Lowered, String> {
    let before = resources::pod_requests(spec, None);
    let mut new_spec = spec.clone();
    // (list name, container name) -> [(resource, old, new)]
    let mut changes: BTreeMap<(u8, String), Vec<RequestChange>> = BTreeMap::new();
    let mut totals = Vec::new();
    for plan in plans {
        let r = plan.resource.as_str();
        let template = before.get(r).copied().unwrap_or(0);
        // What the pod requests beyond its template: RuntimeClass overhead or admission defaults.
        let extra = (plan.pod_request - template).max(0);
        let target = plan.free - extra;
        if template <= 0 || target <= 0 {
            return Err(format!(
                "the pod's {r} request does not come from the DaemonSet's template (a LimitRange default or RuntimeClass overhead): kubectl describe limitrange -n <namespace>"
            ));
        }
        let scale = |x: i128| -> i128 {
            let v = x.saturating_mul(target) / template;
            round_down(r, v)
        };
        let pod_level = new_spec
            .resources
            .as_ref()
            .and_then(|res| res.requests.as_ref())
            .and_then(|m| m.get(r))
            .and_then(|q| quantity::parse(&q.0).ok())
            .map(|amt| scheduler_units(r, amt));
        if let Some(old) = pod_level.filter(|v| *v > 0) {
            let new = scale(old);
            set_quantity(
                new_spec.resources.get_or_insert_with(Default::default),
                r,
                new,
            );
            changes.entry((0, String::new())).or_default().push((
                r.to_owned(),
                format_resource(r, old),
                format_resource(r, new),
            ));
        } else {
            for (list, containers) in [
                (1u8, new_spec.init_containers.get_or_insert_with(Vec::new)),
                (2u8, &mut new_spec.containers),
            ] {
                for c in containers.iter_mut() {
                    let old = container_request(c, r);
                    if old <= 0 {
                        continue;
                    }
                    let new = scale(old);
                    set_quantity(c.resources.get_or_insert_with(Default::default), r, new);
                    changes.entry((list, c.name.clone())).or_default().push((
                        r.to_owned(),
                        format_resource(r, old),
                        format_resource(r, new),
                    ));
                }
            }
        }
        if new_spec.init_containers.as_ref().is_some_and(Vec::is_empty) {
            new_spec.init_containers = None;
        }
        let after = resources::pod_requests(&new_spec, None)
            .get(r)
            .copied()
            .unwrap_or(0);
        if after + extra > plan.free || after <= 0 {
            return Err(format!(
                "no {r} request could be computed that fits: check the requests of every container, init containers included"
            ));
        }
        totals.push((r.to_owned(), format_resource(r, after + extra)));
    }
    let mut entries = Vec::new();
    let mut by_list: BTreeMap<u8, Vec<Y>> = BTreeMap::new();
    for ((list, cname), res) in changes {
        let requests: Vec<Entry> = res
            .iter()
            .map(|(r, old, new)| e(r, s(new)).note(&format!("was {old}")))
            .collect();
        let limits: Vec<Entry> = res
            .iter()
            .filter(|(r, _, _)| request_must_equal_limit(r))
            .map(|(r, _, new)| e(r, s(new)).note("must equal the request"))
            .collect();
        let mut resources = vec![e("requests", Y::Map(requests))];
        if !limits.is_empty() {
            resources.push(e("limits", Y::Map(limits)));
        }
        if list == 0 {
            entries.push(e("resources", Y::Map(resources)));
        } else {
            by_list.entry(list).or_default().push(Y::Map(vec![
                e("name", s(&cname)),
                e("resources", Y::Map(resources)),
            ]));
        }
    }
    for (list, items) in by_list {
        let key = if list == 1 {
            "initContainers"
        } else {
            "containers"
        };
        entries.push(e(key, Y::List(items)));
    }
    Ok(Lowered { entries, totals })
}

/// Rounds a byte amount down to whole MiB once it is that large, so the YAML reads `440Mi`.
fn round_down(resource: &str, v: i128) -> i128 {
    const MI: i128 = 1 << 20;
    let bytes = matches!(resource, "memory" | "ephemeral-storage");
    if bytes && v >= MI { v - v % MI } else { v }
}

fn set_quantity(
    res: &mut k8s_openapi::api::core::v1::ResourceRequirements,
    resource: &str,
    units: i128,
) {
    let q = Quantity(format_resource(resource, units));
    res.requests
        .get_or_insert_with(Default::default)
        .insert(resource.to_owned(), q.clone());
    if request_must_equal_limit(resource) {
        res.limits
            .get_or_insert_with(Default::default)
            .insert(resource.to_owned(), q);
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::report::{Finding, NodeStatus};
    use serde_json::json;

    #[test]
    fn resource_advice() {
        let small = node(
            "small-1",
            json!({}),
            json!([]),
            json!({"cpu": "500m", "memory": "512Mi", "pods": "110", "example.com/fpga": "2"}),
            "True",
        );
        let hog = |name: &str, cpu: &str| {
            pod(
                name,
                "other",
                "small-1",
                json!({"containers": [{"name": "c", "resources": {"requests": {"cpu": cpu, "memory": "36Mi"}}}]}),
                None,
            )
        };
        let cases = vec![
            case("cpu and memory: the largest requests that fit, in one patch", NodeStatus::Pending, vec![insufficient("cpu", "1", "500m", "40m"), insufficient("memory", "1Gi", "512Mi", "72Mi")])
                .spec(one_container(json!({"resources": {"requests": {"cpu": "1", "memory": "1Gi"}}})))
                .nodes(vec![small.clone()])
                .pods(vec![hog("a", "20m"), hog("b", "20m")])
                .want(&[
                    "about: Insufficient cpu, Insufficient memory\n",
                    "check: kubectl describe node small-1  # Allocated resources\n",
                    "check: kubectl get pods -A --field-selector spec.nodeName=small-1 -o 'custom-columns=",
                    "fix: lower the pod's requests to what small-1 has free now: cpu 460m, memory 440Mi (the largest that fit)\n",
                    "      containers:\n      - name: agent\n        resources:\n          requests:\n            cpu: 460m  # was 1\n            memory: 440Mi  # was 1Gi\n",
                    "note: the pod asks for more than small-1 has in total",
                ])
                .absent(&["make room"]),
            case("two containers are scaled together so their sum fits", NodeStatus::Pending, vec![insufficient("cpu", "600m", "500m", "100m")])
                .spec(json!({"containers": [
                    {"name": "a", "resources": {"requests": {"cpu": "400m"}}},
                    {"name": "b", "resources": {"limits": {"cpu": "200m"}}},
                ]}))
                .nodes(vec![small.clone()])
                .want(&[
                    "fix: lower the pod's requests to what small-1 has free now: cpu 399m",
                    "      - name: a\n        resources:\n          requests:\n            cpu: 266m  # was 400m\n",
                    "      - name: b\n        resources:\n          requests:\n            cpu: 133m  # was 200m\n",
                    "note: the pod asks for more than small-1 has in total",
                ]),
            case("extended resources move request and limit together", NodeStatus::Pending, vec![insufficient("example.com/fpga", "2", "2", "1")])
                .spec(one_container(json!({"resources": {"requests": {"example.com/fpga": "2"}, "limits": {"example.com/fpga": "2"}}})))
                .nodes(vec![small.clone()])
                .want(&["            example.com/fpga: \"1\"  # was 2\n          limits:\n            example.com/fpga: \"1\"  # must equal the request\n"]),
            case("nothing left: no request fits", NodeStatus::Pending, vec![insufficient("cpu", "100m", "500m", "500m")])
                .nodes(vec![small.clone()])
                .want(&["note: no cpu is left on small-1: 500m of 500m is already requested by 2 pods", "note: no request fits on small-1 as it is"])
                .absent(&["fix:"]),
            case("too many pods: the kubelet's maxPods", NodeStatus::Pending, vec![Finding::TooManyPods { allocatable: 110, pods_on_node: 110 }])
                .nodes(vec![small.clone()])
                .want(&["about: Too many pods\n", "alt: small-1 allows 110 pods and runs 110: raise the kubelet's maxPods"]),
        ];
        for c in &cases {
            check(c);
        }
    }
}
