//! `-v 6`: one stderr line per API request, as kubectl's round tripper logs them (method, URL, status,
//! time to the last byte, body size). A tower layer on the kube client: it observes, never alters.
//! A WATCH (`watch=true`) streams for minutes: its line is written when the stream opens, and a second
//! one when it closes.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use http::{Method, Request, Response};
use http_body::{Body, Frame, SizeHint};
use kube::client::Body as KubeBody;
use tower::{BoxError, Layer, Service};

/// Where request lines go: `-v 6` turns this target on (see logging.rs).
pub const TARGET: &str = "kubectl_ds::http";

type DynBody = dyn Body<Data = Bytes, Error = BoxError> + Send + Unpin;

/// The layer; `server` is the cluster URL, since the client resolves request paths against it only
/// further down the stack than this layer sits.
#[derive(Clone)]
pub struct RequestLog {
    pub server: String,
}

impl<S> Layer<S> for RequestLog {
    type Service = RequestLogService<S>;
    fn layer(&self, inner: S) -> Self::Service {
        RequestLogService {
            inner,
            server: self.server.trim_end_matches('/').to_string(),
        }
    }
}

#[derive(Clone)]
pub struct RequestLogService<S> {
    inner: S,
    server: String,
}

impl<S> Service<Request<KubeBody>> for RequestLogService<S>
where
    S: Service<Request<KubeBody>, Response = Response<Box<DynBody>>, Error = BoxError>,
    S::Future: Send + 'static,
{
    type Response = Response<CountedBody>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request<KubeBody>) -> Self::Future {
        let method = req.method().clone();
        let uri = match req.uri().scheme() {
            Some(_) => req.uri().to_string(),
            None => format!("{}{}", self.server, req.uri()),
        };
        let watch = req
            .uri()
            .query()
            .is_some_and(|q| q.split('&').any(|kv| kv == "watch=true" || kv == "watch=1"));
        let start = Instant::now();
        let response = self.inner.call(req);
        Box::pin(async move {
            match response.await {
                Ok(resp) => {
                    let status = resp.status();
                    // A refused WATCH answers with a Status body at once: one ordinary line.
                    let watch = watch && status.is_success();
                    let line = Line {
                        method,
                        uri,
                        status: format!(
                            "{} {}",
                            status.as_str(),
                            status.canonical_reason().unwrap_or("")
                        ),
                        start,
                        bytes: 0,
                        watch,
                    };
                    if watch {
                        line.opened();
                    }
                    Ok(resp.map(|inner| CountedBody {
                        inner,
                        line: Some(line),
                    }))
                }
                Err(e) => {
                    tracing::debug!(
                        target: TARGET,
                        "{method} {uri} failed after {} ms: {e}",
                        start.elapsed().as_millis()
                    );
                    Err(e)
                }
            }
        })
    }
}

/// What one request's line says, written once the body has been read to its end (or dropped).
struct Line {
    method: Method,
    uri: String,
    status: String,
    start: Instant,
    bytes: u64,
    /// A WATCH: its first line was written when the stream opened, this one says it closed.
    watch: bool,
}

impl Line {
    /// A WATCH's first line, as soon as the server answered: the body streams for as long as the watch lasts.
    fn opened(&self) {
        tracing::debug!(
            target: TARGET,
            "{} {} {} in {} ms, watch stream open",
            self.method,
            self.uri,
            self.status.trim_end(),
            self.start.elapsed().as_millis()
        );
    }

    fn write(&self, ending: &str) {
        if self.watch {
            tracing::debug!(
                target: TARGET,
                "{} {} watch stream closed after {} ms, {} bytes{ending}",
                self.method,
                self.uri,
                self.start.elapsed().as_millis(),
                self.bytes
            );
            return;
        }
        tracing::debug!(
            target: TARGET,
            "{} {} {} in {} ms, {} bytes{ending}",
            self.method,
            self.uri,
            self.status.trim_end(),
            self.start.elapsed().as_millis(),
            self.bytes
        );
    }
}

/// The response body, counted as it is read.
pub struct CountedBody {
    inner: Box<DynBody>,
    line: Option<Line>,
}

impl Body for CountedBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let (Some(data), Some(line)) = (frame.data_ref(), self.line.as_mut()) {
                    line.bytes += data.len() as u64;
                }
            }
            Poll::Ready(None) => {
                if let Some(line) = self.line.take() {
                    line.write("");
                }
            }
            Poll::Ready(Some(Err(e))) => {
                if let Some(line) = self.line.take() {
                    line.write(&format!(" (body failed: {e})"));
                }
            }
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for CountedBody {
    fn drop(&mut self) {
        // A body nobody read to the end (a timeout, an error status read by headers only) still gets its line.
        if let Some(line) = self.line.take() {
            line.write(" (body not read to the end)");
        }
    }
}
