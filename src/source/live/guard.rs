//! A tower layer on the kube client that retries what client-go retries and refuses what is not the API:
//! a GET answered 429 or 5xx with `Retry-After` is sent again after that wait (bounded), and an HTML
//! page (a proxy's error page, a login portal, a wrong URL) is an error saying so rather than a JSON
//! decoding failure, as is a redirect; a body past `MAX_BODY` is cut off with an error. Every retry is
//! logged at `-v 6`.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode, header};
use http_body::{Body, Frame, SizeHint};
use kube::client::Body as KubeBody;
use tower::{BoxError, Layer, Service};

use super::request_log::TARGET;

/// As client-go's default (`maxRetries` in rest/request.go is 10), fewer: each wait is the server's, and
/// `--request-timeout` bounds the whole.
pub(super) const MAX_RETRIES: u32 = 5;
/// The longest single wait honoured; a server asking for more is waited for this long.
pub(super) const MAX_WAIT: Duration = Duration::from_secs(10);

#[derive(Clone, Copy)]
pub struct Guard;

impl<S> Layer<S> for Guard {
    type Service = GuardService<S>;
    fn layer(&self, inner: S) -> Self::Service {
        GuardService {
            inner: Arc::new(tokio::sync::Mutex::new(inner)),
        }
    }
}

/// The inner service is shared so a retry can call it again from the response future.
pub struct GuardService<S> {
    inner: Arc<tokio::sync::Mutex<S>>,
}

/// An answer that did not come from a Kubernetes API server.
#[derive(Debug)]
pub struct NotTheApi {
    pub status: u16,
    /// Where a redirect pointed; None for an HTML page.
    pub redirect: Option<String>,
}

impl fmt::Display for NotTheApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.redirect {
            None => write!(
                f,
                "the server answered {} with an HTML page, not the Kubernetes API",
                self.status
            ),
            Some(to) => write!(
                f,
                "the server answered {} redirecting to {to}, which the Kubernetes API never does",
                self.status
            ),
        }
    }
}

impl std::error::Error for NotTheApi {}

/// An answer whose body ran past `MAX_BODY`.
#[derive(Debug)]
pub struct TooLarge;

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the answer ran past {} MiB, the most read in one (a page of {} objects is far less), and was dropped",
            MAX_BODY >> 20,
            super::pager::PAGE_SIZE
        )
    }
}

impl std::error::Error for TooLarge {}

/// A body is held whole while it is parsed; this keeps one answer (a server ignoring the page size, an
/// endless body) from taking the machine's memory: at 256 MiB the process stays under 1 GB.
pub(super) const MAX_BODY: u64 = 256 << 20;

/// A response body that fails once it has delivered more than `MAX_BODY` bytes.
pub struct CappedBody<B> {
    inner: B,
    read: u64,
}

impl<B> Body for CappedBody<B>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match Pin::new(&mut self.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                self.read += frame.data_ref().map_or(0, |d| d.len() as u64);
                if self.read > MAX_BODY {
                    return Poll::Ready(Some(Err(Box::new(TooLarge))));
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl<S, B> Service<Request<KubeBody>> for GuardService<S>
where
    S: Service<Request<KubeBody>, Response = Response<B>, Error = BoxError> + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = Response<CappedBody<B>>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        // Readiness is awaited on the inner service per call, under its lock.
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request<KubeBody>) -> Self::Future {
        let inner = self.inner.clone();
        Box::pin(async move {
            // Only a GET (all this tool sends) has no body to replay; anything else goes once.
            let again = (req.method() == Method::GET).then(|| blank_copy(&req));
            let mut response = send(&inner, req).await?;
            if let Some(again) = again {
                for attempt in 1..=MAX_RETRIES {
                    let Some(wait) = retry_after(&response) else {
                        break;
                    };
                    tracing::debug!(
                        target: TARGET,
                        "{} {}: {}, Retry-After {}s: retry {attempt} of {MAX_RETRIES} in {} ms",
                        again.method(),
                        again.uri(),
                        response.status(),
                        wait.as_secs(),
                        wait.as_millis()
                    );
                    drop(response);
                    tokio::time::sleep(wait).await;
                    response = send(&inner, blank_copy(&again)).await?;
                }
            }
            // client-go would follow a redirect; the API server never sends one, so it means the URL or a
            // proxy is wrong, and following it could loop.
            if response.status().is_redirection() {
                return Err(Box::new(NotTheApi {
                    status: response.status().as_u16(),
                    redirect: Some(
                        response
                            .headers()
                            .get(header::LOCATION)
                            .and_then(|l| l.to_str().ok())
                            .unwrap_or("nowhere")
                            .to_string(),
                    ),
                }) as BoxError);
            }
            if is_html(&response) {
                return Err(Box::new(NotTheApi {
                    status: response.status().as_u16(),
                    redirect: None,
                }) as BoxError);
            }
            Ok(response.map(|inner| CappedBody { inner, read: 0 }))
        })
    }
}

async fn send<S, B>(
    inner: &tokio::sync::Mutex<S>,
    req: Request<KubeBody>,
) -> Result<Response<B>, BoxError>
where
    S: Service<Request<KubeBody>, Response = Response<B>, Error = BoxError>,
{
    let answer = {
        let mut svc = inner.lock().await;
        std::future::poll_fn(|cx| svc.poll_ready(cx)).await?;
        svc.call(req)
    };
    answer.await
}

/// The same GET again (method, URI, headers); its body is empty.
fn blank_copy(req: &Request<KubeBody>) -> Request<KubeBody> {
    let mut copy = Request::new(KubeBody::empty());
    *copy.method_mut() = req.method().clone();
    *copy.uri_mut() = req.uri().clone();
    *copy.version_mut() = req.version();
    *copy.headers_mut() = req.headers().clone();
    copy
}

/// The wait a 429 or 5xx answer asks for in whole seconds, capped; None when it asks for none.
// Mirrors k8s.io/client-go/rest/request.go (checkWait: 429 or >= 500 with an integer Retry-After).
fn retry_after<B>(response: &Response<B>) -> Option<Duration> {
    let status = response.status();
    if status != StatusCode::TOO_MANY_REQUESTS && !status.is_server_error() {
        return None;
    }
    let seconds: u64 = response
        .headers()
        .get(header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds).min(MAX_WAIT))
}

/// The API answers JSON (or YAML or protobuf when asked), never HTML.
fn is_html<B>(response: &Response<B>) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let v = v.trim_start().to_ascii_lowercase();
            v.starts_with("text/html") || v.starts_with("application/xhtml")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Headers = &'static [(&'static str, &'static str)];

    fn answer(status: u16, headers: &[(&str, &str)]) -> Response<()> {
        let mut b = Response::builder().status(status);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(()).unwrap()
    }

    #[test]
    fn waits_as_client_go_does() {
        let cases: &[(&str, u16, Headers, Option<u64>)] = &[
            (
                "429 with Retry-After",
                429,
                &[("retry-after", "2")],
                Some(2),
            ),
            (
                "503 with Retry-After",
                503,
                &[("retry-after", "1")],
                Some(1),
            ),
            (
                "500 with Retry-After 0",
                500,
                &[("retry-after", "0")],
                Some(0),
            ),
            ("429 without Retry-After", 429, &[], None),
            ("503 without Retry-After", 503, &[], None),
            ("200 with Retry-After", 200, &[("retry-after", "1")], None),
            ("404 with Retry-After", 404, &[("retry-after", "1")], None),
            (
                "an HTTP date is not seconds",
                429,
                &[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")],
                None,
            ),
            (
                "a long wait is capped",
                429,
                &[("retry-after", "3600")],
                Some(MAX_WAIT.as_secs()),
            ),
        ];
        for (name, status, headers, want) in cases {
            let got = retry_after(&answer(*status, headers)).map(|d| d.as_secs());
            assert_eq!(got, *want, "{name}");
        }
    }

    #[test]
    fn html_is_not_the_api() {
        let cases: &[(&str, Headers, bool)] = &[
            ("JSON", &[("content-type", "application/json")], false),
            ("no content type", &[], false),
            (
                "HTML",
                &[("content-type", "text/html; charset=utf-8")],
                true,
            ),
            ("HTML in capitals", &[("content-type", "Text/HTML")], true),
            ("XHTML", &[("content-type", "application/xhtml+xml")], true),
            ("plain text", &[("content-type", "text/plain")], false),
        ];
        for (name, headers, want) in cases {
            assert_eq!(is_html(&answer(502, headers)), *want, "{name}");
        }
    }
}
