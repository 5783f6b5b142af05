//! `--explain` advice for a required nodeAffinity the node fails: label the node so a term
//! matches, or relax the closest term (or add one naming the node) in the smallest patch, saying
//! which other nodes the new terms would also admit. Never re-judges placement.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{Affinity, NodeAffinity, NodeSelector, NodeSelectorTerm};

use super::affinity_terms::{
    Failing, added_term_yaml, failing_requirements, label_selector, label_to_satisfy, naming_term,
    relax_term, term_yaml,
};
use super::commands::shell_quote;
use super::labels::{is_machine_label, label};
use super::yaml::{Y, e};
use super::{NodeAdvisor, join_and};
use crate::diagnose::cluster::name;
use crate::diagnose::node_affinity::{OBJECT_NAME_FIELD, required_affinity_mismatch};
use crate::report::{Advice, AffinityTermMismatch, Fix};

impl NodeAdvisor<'_> {
    pub(super) fn node_affinity(&self, terms: &[AffinityTermMismatch]) -> Advice {
        let node = self.node_name();
        let required = self
            .ctx
            .spec
            .affinity
            .as_ref()
            .and_then(|a| a.node_affinity.as_ref())
            .and_then(|n| {
                n.required_during_scheduling_ignored_during_execution
                    .as_ref()
            });
        let ds_terms: &[NodeSelectorTerm] = required
            .map(|r| r.node_selector_terms.as_slice())
            .unwrap_or(&[]);
        let mut a = Advice {
            about: "nodeAffinity".to_owned(),
            checks: Vec::new(),
            fix: None,
            alternatives: Vec::new(),
            notes: Vec::new(),
        };
        let keys: BTreeSet<&str> = ds_terms
            .iter()
            .flat_map(|t| t.match_expressions.iter().flatten())
            .map(|r| r.key.as_str())
            .collect();
        if !keys.is_empty() {
            a.checks.push(format!(
                "kubectl get node {node} -L {}",
                keys.into_iter().collect::<Vec<_>>().join(",")
            ));
        }
        a.checks.push(self.ctx.get_ds(
            "{.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution}",
        ));
        for t in terms {
            let has = match (&t.node_value, t.expression.split(' ').next()) {
                (_, _) if t.expression.starts_with('(') => String::new(),
                (Some(v), Some(OBJECT_NAME_FIELD)) => format!(" ({node} is named {v})"),
                (Some(v), Some(k)) => format!(" ({node} has {k}={v})"),
                (None, Some(k)) => format!(" ({node} has no label {k})"),
                (_, None) => String::new(),
            };
            a.notes
                .push(format!("term {} fails on {}{has}", t.term, t.expression));
        }
        let node_ref = match self.node {
            Some(n) => n,
            None => return a,
        };
        if ds_terms.is_empty() {
            a.fix = Some(self.drop_required_affinity(
                "the required nodeAffinity lists no nodeSelectorTerms, which matches no node: remove it",
            ));
            return a;
        }
        // Relax the term that is closest to matching: the fewest failing requirements.
        let failing: Vec<(usize, Vec<Failing>)> = ds_terms
            .iter()
            .enumerate()
            .map(|(i, t)| (i, failing_requirements(t, node_ref)))
            .collect();
        let Some((best, fails)) = failing
            .iter()
            .filter(|(_, f)| !f.iter().any(|x| x.invalid))
            .min_by_key(|(i, f)| (f.len(), *i))
        else {
            a.notes.push(
                "every term has an invalid requirement, so it matches no node: correct the expressions first"
                    .to_owned(),
            );
            return a;
        };
        if let Some(selector) = label_selector(&ds_terms[*best]) {
            a.checks
                .push(format!("kubectl get nodes -l {}", shell_quote(&selector)));
        }
        a.about = format!(
            "nodeAffinity {}",
            fails
                .iter()
                .map(|f| f.expression.clone())
                .collect::<Vec<_>>()
                .join(", ")
        );
        // Label the node so the chosen term matches, unless that would misdescribe the machine.
        if !fails.is_empty()
            && fails
                .iter()
                .all(|f| !f.field && !is_machine_label(&f.req.key))
        {
            let mut args = Vec::new();
            let mut overwrite = false;
            for f in fails {
                let current = label(node_ref, &f.req.key);
                let arg = label_to_satisfy(&f.req, current);
                overwrite |= current.is_some() && !arg.ends_with('-');
                args.push(arg);
            }
            a.fix = Some(Fix {
                summary: format!(
                    "to {}, label the node so term {best} matches (only if that is true of it)",
                    self.goal()
                ),
                yaml: None,
                commands: vec![format!(
                    "kubectl label node {node} {}{}",
                    args.join(" "),
                    if overwrite { " --overwrite" } else { "" }
                )],
            });
        }
        // The new term list: the chosen term relaxed, or, when nothing of it would be left (an
        // empty term matches no node), every term kept and one more that names this node.
        let (terms_out, summary) = match relax_term(&ds_terms[*best], fails, node_ref) {
            Some(relaxed) => {
                let mut out = ds_terms.to_vec();
                out[*best] = relaxed.term.clone();
                let items = ds_terms
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        if i == *best {
                            term_yaml(&relaxed.term, &relaxed.comments)
                        } else {
                            term_yaml(t, &BTreeMap::new())
                        }
                    })
                    .collect::<Vec<_>>();
                (
                    (out, items),
                    format!("relax term {best} of the required nodeAffinity so {node} matches it"),
                )
            }
            None => {
                let term = naming_term(node_ref);
                let mut out = ds_terms.to_vec();
                out.push(term.clone());
                let mut items: Vec<Y> = ds_terms
                    .iter()
                    .map(|t| term_yaml(t, &BTreeMap::new()))
                    .collect();
                items.push(added_term_yaml(&term));
                (
                    (out, items),
                    format!(
                        "add a term that names {node} to the required nodeAffinity (terms are ORed: the others stay as they are)"
                    ),
                )
            }
        };
        let ((new_terms, items), mut summary) = (terms_out, summary);
        let also = self.newly_admitted(ds_terms, &new_terms);
        if !also.is_empty() {
            summary.push_str(&format!("; it also admits {}", join_and(&also)));
        }
        let alt = self.ctx.template_fix(
            summary,
            vec![e(
                "affinity",
                Y::Map(vec![e(
                    "nodeAffinity",
                    Y::Map(vec![e(
                        "requiredDuringSchedulingIgnoredDuringExecution",
                        Y::Map(vec![
                            e("nodeSelectorTerms", Y::List(items))
                                .note("the whole list: a patch replaces it"),
                        ]),
                    )]),
                )]),
            )],
        );
        if a.fix.is_none() {
            a.fix = Some(alt);
        } else {
            a.alternatives.push(alt);
        }
        self.placement_notes(&mut a);
        a
    }

    /// Other nodes the new terms admit that the old ones did not (by affinity alone).
    pub(super) fn newly_admitted(
        &self,
        old: &[NodeSelectorTerm],
        new: &[NodeSelectorTerm],
    ) -> Vec<String> {
        let affinity = |terms: &[NodeSelectorTerm]| Affinity {
            node_affinity: Some(NodeAffinity {
                required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                    node_selector_terms: terms.to_vec(),
                }),
                ..Default::default()
            }),
            ..Default::default()
        };
        let (old, new) = (affinity(old), affinity(new));
        let names: Vec<String> = self
            .ctx
            .cluster
            .nodes
            .iter()
            .filter(|n| name(&n.metadata) != self.node_name())
            .filter(|n| {
                required_affinity_mismatch(Some(&old), n).is_some()
                    && required_affinity_mismatch(Some(&new), n).is_none()
            })
            .map(|n| name(&n.metadata).to_owned())
            .collect();
        const SHOWN: usize = 5;
        if names.len() > SHOWN {
            let mut shown = names[..SHOWN].to_vec();
            shown.push(format!("{} more nodes", names.len() - SHOWN));
            shown
        } else {
            names
        }
    }

    pub(super) fn drop_required_affinity(&self, summary: &str) -> Fix {
        self.ctx.template_fix(
            summary.to_owned(),
            vec![e(
                "affinity",
                Y::Map(vec![e(
                    "nodeAffinity",
                    Y::Map(vec![
                        e("requiredDuringSchedulingIgnoredDuringExecution", Y::Null)
                            .note("null removes it (in kubectl edit, delete the block)"),
                    ]),
                )]),
            )],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::report::{AffinityTermMismatch, Finding, NodeStatus};
    use serde_json::{Value, json};

    #[test]
    fn node_affinity_advice() {
        let labelled = |labels: Value| node("w-1", labels, json!([]), json!({}), "True");
        let affinity = |exprs: Value| json!({"containers": [{"name": "agent"}], "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": exprs}]}}}});
        let mismatch = |expression: &str, value: Option<&str>| Finding::NodeAffinityMismatch {
            terms: vec![AffinityTermMismatch {
                term: 0,
                expression: expression.into(),
                node_value: value.map(Into::into),
            }],
        };
        let cases = vec![
            case("nodeAffinity In, label absent: label, or add a term naming the node", NodeStatus::Ineligible, vec![mismatch("gpu In [true]", None)])
                .spec(affinity(json!([{"key": "gpu", "operator": "In", "values": ["true"]}])))
                .nodes(vec![labelled(json!({"kubernetes.io/hostname": "w-1"})), labelled(json!({"gpu": "true"}))])
                .want(&[
                    "about: nodeAffinity gpu In [true]\n",
                    "check: kubectl get node w-1 -L gpu\n",
                    "check: kubectl get nodes -l 'gpu in (true)'\n",
                    "note: term 0 fails on gpu In [true] (w-1 has no label gpu)\n",
                    "fix-cmd: kubectl label node w-1 gpu=true\n",
                    "alt: add a term that names w-1 to the required nodeAffinity",
                    "            nodeSelectorTerms:  # the whole list: a patch replaces it\n            - matchExpressions:\n              - key: gpu\n                operator: In\n                values:\n                - \"true\"\n            - matchExpressions:  # added\n              - key: kubernetes.io/hostname\n                operator: In\n                values:\n                - w-1\n",
                ])
                .absent(&["it also admits"]),
            case("nodeAffinity In, other value: the relaxed term lists both values", NodeStatus::Ineligible, vec![mismatch("gpu In [true]", Some("false"))])
                .spec(affinity(json!([{"key": "gpu", "operator": "In", "values": ["true"]}])))
                .nodes(vec![
                    labelled(json!({"gpu": "false"})),
                    node("w-2", json!({"gpu": "false"}), json!([]), json!({}), "True"),
                ])
                .want(&[
                    "fix-cmd: kubectl label node w-1 gpu=true --overwrite\n",
                    "alt: relax term 0 of the required nodeAffinity so w-1 matches it; it also admits w-2\n",
                    "              - key: gpu  # was: gpu In [true]\n                operator: In\n                values:\n                - \"true\"\n                - \"false\"\n",
                ]),
            case("nodeAffinity NotIn: take the label off", NodeStatus::Ineligible, vec![mismatch("tier NotIn [db]", Some("db"))])
                .spec(affinity(json!([{"key": "tier", "operator": "NotIn", "values": ["db"]}, {"key": "zone", "operator": "Exists"}])))
                .nodes(vec![labelled(json!({"tier": "db", "zone": "a"}))])
                .want(&["fix-cmd: kubectl label node w-1 tier-\n", "alt: relax term 0", "              - key: zone\n                operator: Exists\n"])
                .absent(&["key: tier"]),
            case("nodeAffinity on a machine label: no relabelling, only the relaxed term", NodeStatus::Ineligible, vec![mismatch("kubernetes.io/arch In [arm64]", Some("amd64"))])
                .spec(affinity(json!([{"key": "kubernetes.io/arch", "operator": "In", "values": ["arm64"]}])))
                .nodes(vec![labelled(json!({"kubernetes.io/arch": "amd64"}))])
                .want(&["fix: relax term 0"])
                .absent(&["kubectl label"]),
        ];
        for c in &cases {
            check(c);
        }
    }
}
