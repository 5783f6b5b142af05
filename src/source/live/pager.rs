//! Paginated LISTs, pipelined: the next page is on the wire while this one is parsed, and each item is
//! handed to the caller's `keep` as it is read (fields never used skipped unread, `trim::unread`), so no
//! more than one page's text and one object are held at a time. GET only.

use std::collections::HashSet;
use std::fmt;
use std::marker::PhantomData;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ListMeta;
use kube::api::ListParams;
use kube::core::Request;
use serde::Deserialize;
use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use tokio::task::JoinHandle;

use super::error::Req;
use super::skip::{Paths, deserialize_without};
use super::trim::unread;
use super::{Live, LiveError, TimedError};

/// Items per page, as kubectl (`--chunk-size=500`). With the next page requested before this one is
/// parsed, a round trip costs little, while the limit keeps each request a bounded piece of apiserver work
/// (API Priority and Fairness sizes a LIST by the objects it may return) and bounds the text held here.
pub(super) const PAGE_SIZE: u32 = 500;

/// Pages after which a LIST is taken to be looping: 5 million objects, far past any cluster.
const MAX_PAGES: usize = 10_000;

impl Live {
    /// LISTs every page (limit + continue), passing each item through `keep`, which may trim it or drop it
    /// (None). The request for page n+1 starts as soon as page n's `continue` token is read.
    // Mirrors k8s.io/client-go/tools/pager/pager.go (ListPager.List): an expired continue token (410 Gone)
    // falls back to one full, unpaginated list rather than failing.
    pub(super) async fn list_all<K>(
        &self,
        req: &Req<'_>,
        labels: Option<&str>,
        fields: Option<&str>,
        mut keep: impl FnMut(K) -> Option<K>,
    ) -> Result<Vec<K>, LiveError>
    where
        K: kube::Resource + DeserializeOwned,
        K::DynamicType: Default,
    {
        let url = K::url_path(&K::DynamicType::default(), req.namespace);
        let unread = unread(&K::kind(&K::DynamicType::default()));
        let mut base = ListParams::default();
        if let Some(l) = labels {
            base = base.labels(l);
        }
        if let Some(f) = fields {
            base = base.fields(f);
        }
        let decode =
            |e: serde_json::Error| self.err(TimedError::Kube(kube::Error::SerdeError(e)), req);
        let mut out = Vec::new();
        let mut next = Some(self.request_page(&url, base.clone().limit(PAGE_SIZE)));
        let mut continued = false;
        let mut tokens = HashSet::new();
        while let Some(page) = next.take() {
            let body = match page.body().await {
                Ok(body) => body,
                Err(TimedError::Kube(kube::Error::Api(status)))
                    if status.code == 410 && continued =>
                {
                    tracing::info!(
                        "{}: continue token expired (410 Gone); listing again in one unpaginated request",
                        req.describe()
                    );
                    out.clear();
                    let body = self
                        .request_page(&url, base.clone())
                        .body()
                        .await
                        .map_err(|e| self.err(e, req))?;
                    read_items(&body, unread, &mut out, &mut keep).map_err(decode)?;
                    return Ok(out);
                }
                Err(e) => return Err(self.err(e, req)),
            };
            let head: ListHead = serde_json::from_str(&body).map_err(decode)?;
            if let Some(token) = head.metadata.continue_.filter(|c| !c.is_empty()) {
                // The apiserver's tokens move forward: one seen before, or pages past any real cluster, is a
                // server (or proxy) that would keep us listing forever.
                let looping = if !tokens.insert(token.clone()) {
                    Some("sent a continue token it had sent before".to_string())
                } else if tokens.len() > MAX_PAGES {
                    Some(format!(
                        "kept sending continue tokens past {MAX_PAGES} pages of {PAGE_SIZE}"
                    ))
                } else {
                    None
                };
                if let Some(what) = looping {
                    return Err(LiveError::Api {
                        what: req.describe(),
                        code: 200,
                        message: format!("the server {what}: its pagination does not end"),
                    });
                }
                next = Some(
                    self.request_page(&url, base.clone().limit(PAGE_SIZE).continue_token(&token)),
                );
                continued = true;
            }
            read_items(&body, unread, &mut out, &mut keep).map_err(decode)?;
        }
        Ok(out)
    }

    /// Starts one LIST request on its own task, so it proceeds while the caller parses.
    fn request_page(&self, url: &str, lp: ListParams) -> Page {
        let client = self.client.clone();
        let timeout = self.request_timeout;
        let url = url.to_string();
        Page(tokio::spawn(async move {
            let request = Request::new(url)
                .list(&lp)
                .map_err(|e| PageError::Kube(kube::Error::BuildRequest(e)))?;
            let answer = read_text(client, request);
            match timeout {
                Some(t) => tokio::time::timeout(t, answer)
                    .await
                    .map_err(|_| PageError::Elapsed)?
                    .map_err(PageError::Kube),
                None => answer.await.map_err(PageError::Kube),
            }
        }))
    }
}

/// The body of a successful answer as text (an error status is kube's `Error::Api`, as `request_text`
/// gives it). kube's own `request_text` gathers the chunks, copies them into one buffer and copies that
/// again into the text: three copies of a 4 MB page alive at once, and copying was 7-9% of `coverage
/// -A`'s CPU at 2,000 nodes. Here the chunks are appended to the text's buffer as they arrive.
async fn read_text(client: kube::Client, request: http::Request<Vec<u8>>) -> kube::Result<String> {
    use futures::AsyncBufReadExt;
    let mut body = Vec::new();
    let mut stream = client.request_stream(request).await?;
    loop {
        let chunk = stream.fill_buf().await.map_err(body_error)?;
        if chunk.is_empty() {
            break;
        }
        body.extend_from_slice(chunk);
        let read = chunk.len();
        stream.consume_unpin(read);
    }
    String::from_utf8(body).map_err(kube::Error::FromUtf8)
}

/// The body's own error (a cut connection, guard.rs's cap), which kube's stream wraps in an io::Error,
/// unwrapped so that error.rs finds it in the chain as it does in kube's other answers.
fn body_error(e: std::io::Error) -> kube::Error {
    let kind = e.kind();
    kube::Error::Service(
        e.into_inner()
            .unwrap_or_else(|| Box::new(std::io::Error::from(kind))),
    )
}

/// A page on the wire. Dropping it (the LIST failed elsewhere, or was abandoned) cancels the request.
struct Page(JoinHandle<Result<String, PageError>>);

enum PageError {
    Kube(kube::Error),
    Elapsed,
}

impl Page {
    async fn body(mut self) -> Result<String, TimedError> {
        match (&mut self.0).await {
            Ok(Ok(body)) => Ok(body),
            Ok(Err(PageError::Kube(e))) => Err(TimedError::Kube(e)),
            Ok(Err(PageError::Elapsed)) => Err(TimedError::Elapsed),
            // The task only panics if the client does; that is a bug to surface, not an API answer.
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A list's `metadata` alone; `items` are skipped unread.
#[derive(Deserialize)]
struct ListHead {
    #[serde(default)]
    metadata: ListMeta,
}

/// Reads a list body's `items`, one at a time without `unread` and through `keep`, into `out`.
fn read_items<K: DeserializeOwned>(
    body: &str,
    unread: Paths,
    out: &mut Vec<K>,
    keep: &mut impl FnMut(K) -> Option<K>,
) -> Result<(), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(body);
    serde::Deserializer::deserialize_map(&mut de, ListItems { unread, out, keep })?;
    de.end()
}

/// The top-level list object: every key but `items` is skipped.
struct ListItems<'a, K, F> {
    unread: Paths,
    out: &'a mut Vec<K>,
    keep: &'a mut F,
}

impl<'de, K: DeserializeOwned, F: FnMut(K) -> Option<K>> Visitor<'de> for ListItems<'_, K, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Kubernetes list object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "items" {
                map.next_value_seed(Items {
                    unread: self.unread,
                    out: &mut *self.out,
                    keep: &mut *self.keep,
                    item: PhantomData,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// `items`: an array, or null for an empty list.
struct Items<'a, K, F> {
    unread: Paths,
    out: &'a mut Vec<K>,
    keep: &'a mut F,
    item: PhantomData<K>,
}

impl<'de, K: DeserializeOwned, F: FnMut(K) -> Option<K>> DeserializeSeed<'de> for Items<'_, K, F> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de, K: DeserializeOwned, F: FnMut(K) -> Option<K>> Visitor<'de> for Items<'_, K, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of items")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element_seed(Unread {
            paths: self.unread,
            item: PhantomData::<K>,
        })? {
            if let Some(kept) = (self.keep)(item) {
                self.out.push(kept);
            }
        }
        Ok(())
    }
}

/// One item, read without `paths`.
struct Unread<K> {
    paths: Paths,
    item: PhantomData<K>,
}

impl<'de, K: DeserializeOwned> DeserializeSeed<'de> for Unread<K> {
    type Value = K;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<K, D::Error> {
        deserialize_without(d, self.paths)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::pod::Pod;

    fn names(pods: &[Pod]) -> Vec<&str> {
        pods.iter()
            .filter_map(|p| p.metadata.name.as_deref())
            .collect()
    }

    #[test]
    fn items_go_through_keep_one_by_one() {
        let body = r#"{"kind":"PodList","apiVersion":"v1","metadata":{"continue":"t"},
            "items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}},{"metadata":{"name":"c"}}]}"#;
        let mut out = Vec::new();
        let mut keep = |mut p: Pod| {
            p.metadata.labels = None;
            (p.metadata.name.as_deref() != Some("b")).then_some(p)
        };
        read_items(body, &[], &mut out, &mut keep).expect("list");
        assert_eq!(names(&out), ["a", "c"]);
        let head: ListHead = serde_json::from_str(body).expect("head");
        assert_eq!(head.metadata.continue_.as_deref(), Some("t"));
    }

    #[test]
    fn null_or_missing_items_are_an_empty_list() {
        for body in [r#"{"items":null}"#, r#"{"metadata":{}}"#] {
            let mut out: Vec<Pod> = Vec::new();
            read_items(body, &[], &mut out, &mut Some).expect(body);
            assert!(out.is_empty(), "{body}");
        }
    }

    #[test]
    fn a_broken_item_is_a_decode_error() {
        let mut out: Vec<Pod> = Vec::new();
        let err = read_items(
            r#"{"items":[{"metadata":{"name":7}}]}"#,
            &[],
            &mut out,
            &mut Some,
        );
        assert!(err.is_err());
    }
}
