//! What `plan` reads from a live cluster, and nothing more: the nodes, each planned DaemonSet if it
//! exists (with its pods and revisions), and what admission reads: the namespace (its PodSecurity
//! labels), its ResourceQuotas and the pod's ServiceAccount. GET and LIST only. A kind the user may not
//! read (403) is left unread, so the plan says that check was skipped rather than failing.

use super::*;
use k8s_openapi::api::core::v1::{Namespace, ResourceQuota, ServiceAccount};

impl Live {
    /// Every node, and the planned DaemonSets that already exist (by namespace and name) with the pods
    /// they claim and their ControllerRevisions.
    pub async fn fetch_for_plan(
        &self,
        daemonsets: &[(String, String)],
    ) -> Result<Snapshot, LiveError> {
        let existing = async {
            let mut out = Vec::new();
            for (ns, name) in daemonsets {
                out.push(self.existing_daemonset(ns, name).await?);
            }
            Ok::<_, LiveError>(out)
        };
        let (existing, nodes) = tokio::join!(existing, self.list_nodes_apart());
        let mut snapshot = Snapshot {
            nodes: nodes?,
            node_pods: NodePodsCoverage::Nodes(BTreeSet::new()),
            ..Snapshot::default()
        };
        for (ds, pods, revisions) in existing?.into_iter().flatten() {
            snapshot.daemonsets.push(ds);
            snapshot.pods.extend(pods);
            snapshot.revisions.extend(revisions);
        }
        Ok(snapshot)
    }

    /// The DaemonSet, its pods and revisions; None when it does not exist yet.
    async fn existing_daemonset(
        &self,
        namespace: &str,
        name: &str,
    ) -> Result<Option<(DaemonSet, Vec<Pod>, Vec<ControllerRevision>)>, LiveError> {
        if !select::is_dns_subdomain(name) || !select::is_dns_label(namespace) {
            return Ok(None);
        }
        let req = Req {
            verb: "get",
            resource: "daemonsets",
            namespace: Some(namespace),
            name: Some(name),
        };
        let api: Api<DaemonSet> = Api::namespaced(self.client.clone(), namespace);
        let ds = match self
            .timed(api.get(name))
            .await
            .map_err(|e| self.err(e, &req))
        {
            Ok(ds) => ds,
            Err(LiveError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let uids: HashSet<String> = ds.metadata.uid.clone().into_iter().collect();
        let selector = label_selector_string(&ds.spec.selector);
        let adopts_orphans = selector.is_some();
        let (pods, revisions) = tokio::join!(
            self.list_pods(Some(namespace), selector.as_deref(), None, |p: Pod| {
                let claimable =
                    controlled_by(&p.metadata, &uids) || (adopts_orphans && is_orphan(&p.metadata));
                claimable.then(|| lean_pod(p))
            }),
            self.list_revisions(
                Some(namespace),
                selector.as_deref(),
                |r: ControllerRevision| { controlled_by(&r.metadata, &uids).then_some(r) }
            ),
        );
        Ok(Some((ds, pods?, revisions?)))
    }

    /// The namespace, its ResourceQuotas and the ServiceAccounts the pods name, added to `snapshot`.
    /// A 404 is a fact (no such namespace or account); a 403 leaves the kind unread.
    pub async fn fetch_admission_inputs(
        &self,
        snapshot: &mut Snapshot,
        namespace: &str,
        service_accounts: &[String],
    ) -> Result<(), LiveError> {
        if !select::is_dns_label(namespace) {
            snapshot.namespaces.get_or_insert_default();
            return Ok(());
        }
        let ns_req = Req {
            verb: "get",
            resource: "namespaces",
            namespace: None,
            name: Some(namespace),
        };
        let ns_api: Api<Namespace> = Api::all(self.client.clone());
        let quota_req = Req {
            verb: "list",
            resource: "resourcequotas",
            namespace: Some(namespace),
            name: None,
        };
        let (ns, quotas) = tokio::join!(
            async {
                self.timed(ns_api.get(namespace))
                    .await
                    .map_err(|e| self.err(e, &ns_req))
            },
            self.list_all(&quota_req, None, None, Some::<ResourceQuota>),
        );
        match ns {
            Ok(ns) => snapshot.namespaces.get_or_insert_default().push(ns),
            Err(LiveError::NotFound { .. }) => drop(snapshot.namespaces.get_or_insert_default()),
            Err(LiveError::Forbidden { .. }) => {}
            Err(e) => return Err(e),
        }
        match quotas {
            Ok(q) => snapshot.resource_quotas.get_or_insert_default().extend(q),
            Err(LiveError::Forbidden { .. }) => {}
            Err(e) => return Err(e),
        }
        let sa_api: Api<ServiceAccount> = Api::namespaced(self.client.clone(), namespace);
        let mut readable = true;
        let mut found = Vec::new();
        for name in service_accounts {
            if !select::is_dns_subdomain(name) {
                continue;
            }
            let req = Req {
                verb: "get",
                resource: "serviceaccounts",
                namespace: Some(namespace),
                name: Some(name),
            };
            match self
                .timed(sa_api.get(name))
                .await
                .map_err(|e| self.err(e, &req))
            {
                Ok(sa) => found.push(sa),
                Err(LiveError::NotFound { .. }) => {}
                Err(LiveError::Forbidden { .. }) => readable = false,
                Err(e) => return Err(e),
            }
        }
        if readable {
            snapshot
                .service_accounts
                .get_or_insert_default()
                .extend(found);
        }
        Ok(())
    }
}
