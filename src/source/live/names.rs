//! Names only, for shell completion and did-you-mean hints: the DaemonSets of one namespace, the
//! namespaces and the nodes of the cluster.
//! Read-only (paginated metadata LISTs); it judges nothing and reports failures as `LiveError` for the
//! caller to swallow: a completion must never show an error.

use k8s_openapi::api::apps::v1::DaemonSet;
use k8s_openapi::api::core::v1::{Namespace, Node};
use kube::api::{Api, ListParams};
use serde::de::DeserializeOwned;

use super::error::Req;
use super::{Live, LiveError, PAGE_SIZE, select};

impl Live {
    /// Names of the DaemonSets in `namespace`, sorted. A namespace that cannot exist has none.
    pub async fn daemonset_names_in(&self, namespace: &str) -> Result<Vec<String>, LiveError> {
        if !select::is_dns_label(namespace) {
            return Ok(Vec::new());
        }
        let req = Req {
            verb: "list",
            resource: "daemonsets",
            namespace: Some(namespace),
            name: None,
        };
        let api: Api<DaemonSet> = Api::namespaced(self.client.clone(), namespace);
        self.metadata_names(&api, &req).await
    }

    /// Names of every namespace, sorted.
    pub async fn namespace_names(&self) -> Result<Vec<String>, LiveError> {
        let req = Req {
            verb: "list",
            resource: "namespaces",
            namespace: None,
            name: None,
        };
        let api: Api<Namespace> = Api::all(self.client.clone());
        self.metadata_names(&api, &req).await
    }

    /// Names of every node, sorted.
    pub async fn node_names(&self) -> Result<Vec<String>, LiveError> {
        let req = Req {
            verb: "list",
            resource: "nodes",
            namespace: None,
            name: None,
        };
        let api: Api<Node> = Api::all(self.client.clone());
        self.metadata_names(&api, &req).await
    }

    /// Every page of a metadata-only LIST (as `kubectl get -o name` would need), names sorted.
    async fn metadata_names<K>(&self, api: &Api<K>, req: &Req<'_>) -> Result<Vec<String>, LiveError>
    where
        K: kube::Resource + Clone + DeserializeOwned + std::fmt::Debug,
    {
        let mut names = Vec::new();
        let mut lp = ListParams::default().limit(PAGE_SIZE);
        loop {
            let page = self
                .timed(api.list_metadata(&lp))
                .await
                .map_err(|e| self.err(e, req))?;
            names.extend(page.items.into_iter().filter_map(|m| m.metadata.name));
            match page.metadata.continue_.filter(|c| !c.is_empty()) {
                Some(token) => {
                    lp = ListParams::default()
                        .limit(PAGE_SIZE)
                        .continue_token(&token)
                }
                None => break,
            }
        }
        names.sort();
        names.dedup();
        Ok(names)
    }
}
