//! What can go wrong talking to a live API server, as one-line messages plus the next step to take.
//! Owns the mapping from kube client errors to `LiveError`; it performs no I/O itself.

use std::error::Error as StdError;

use kube::core::Status;

/// A failure of the live source. `Display` is one line; `hint()` says what to run or change next.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// No kubeconfig, unknown context, unreadable or invalid file, or credentials that cannot be obtained.
    #[error("kubeconfig: {message}")]
    Kubeconfig {
        message: String,
        hint: Option<String>,
    },
    /// Connection refused, DNS failure, TLS failure: no HTTP answer at all.
    #[error("{what}: cannot reach the API server at {server}: {message}")]
    Unreachable {
        server: String,
        what: String,
        message: String,
        /// The kubectl command line reaching the same cluster as the same user, for hints.
        kubectl: String,
    },
    /// No answer within `--request-timeout` (or the connect timeout).
    #[error("{what}: the API server at {server} did not answer in time")]
    Timeout {
        server: String,
        what: String,
        kubectl: String,
    },
    /// 401: the server rejected the credentials.
    #[error(
        "{what}: unauthorized: the API server at {server} rejected the credentials ({message})"
    )]
    Unauthorized {
        server: String,
        what: String,
        message: String,
        kubectl: String,
    },
    /// 403: the user may not do what we asked. `user_message` is the server's own explanation.
    #[error("{}: forbidden: {user_message}", doing(verb, resource, namespace.as_deref()))]
    Forbidden {
        verb: String,
        resource: String,
        /// None: cluster-scoped resource, or all namespaces.
        namespace: Option<String>,
        user_message: String,
        kubectl: String,
    },
    /// 404 on the object asked for by name.
    #[error("{kind} \"{name}\" not found in namespace \"{namespace}\"")]
    NotFound {
        kind: String,
        namespace: String,
        name: String,
        kubectl: String,
    },
    /// An HTML page where the API's JSON belongs: the URL or a proxy in between is not the API server.
    #[error("{what}: {source_text} at {server}")]
    NotTheApi {
        what: String,
        server: String,
        source_text: String,
        kubectl: String,
    },
    /// Any other answer that is not what we asked for (5xx, 404 on a list, an undecodable body).
    #[error("{what}: the API server answered {code}: {message}")]
    Api {
        what: String,
        code: u16,
        message: String,
    },
}

impl LiveError {
    /// The next step for the person at the terminal, as a command where one exists.
    pub fn hint(&self) -> Option<String> {
        match self {
            LiveError::Kubeconfig { hint, .. } => hint.clone(),
            LiveError::Unreachable { kubectl, .. } => Some(format!(
                "check the server is up and reachable from here: {kubectl} cluster-info"
            )),
            LiveError::Timeout { kubectl, .. } => Some(format!(
                "check the server is up: {kubectl} cluster-info; or allow more time with --request-timeout"
            )),
            LiveError::Unauthorized { kubectl, .. } => Some(format!(
                "log in again or refresh the credentials of this context, then check them with: {kubectl} auth whoami"
            )),
            LiveError::Forbidden {
                verb,
                resource,
                namespace,
                kubectl,
                ..
            } => {
                let scope = match namespace {
                    Some(ns) => format!(" -n {}", super::flags::quote(ns)),
                    None if is_cluster_scoped(resource) => String::new(),
                    None => " --all-namespaces".to_string(),
                };
                Some(format!(
                    "ask for read access; check it with: {kubectl} auth can-i {verb} {resource}{scope}"
                ))
            }
            LiveError::NotFound { kubectl, .. } => Some(format!(
                "list the DaemonSets that exist: {kubectl} get daemonsets -A"
            )),
            LiveError::Api { code, .. } if *code >= 500 => Some(
                "the API server failed to answer; retry, and if it persists check its health: kubectl get --raw /readyz"
                    .to_string(),
            ),
            LiveError::NotTheApi { kubectl, .. } => Some(format!(
                "check the server URL ({kubectl} config view --minify) and any proxy in between \
                 (HTTPS_PROXY, the cluster's proxy-url)"
            )),
            LiveError::Api { .. } => None,
        }
    }
}

/// The request that failed, to name it in errors ("listing pods in namespace monitoring").
#[derive(Debug, Clone, Copy)]
pub(crate) struct Req<'a> {
    /// `get` or `list`: the only verbs this tool ever uses.
    pub verb: &'static str,
    /// Plural resource name as `kubectl auth can-i` takes it.
    pub resource: &'static str,
    pub namespace: Option<&'a str>,
    /// For a GET: the object's name.
    pub name: Option<&'a str>,
}

impl Req<'_> {
    pub fn describe(&self) -> String {
        match self.name {
            Some(name) => format!(
                "{} {} {}/{}",
                ing(self.verb),
                singular(self.resource),
                self.namespace.unwrap_or_default(),
                name
            ),
            None => doing(self.verb, self.resource, self.namespace),
        }
    }
}

/// Who we are talking to, for error messages and hints.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub server: String,
    pub kubectl: String,
}

/// Maps a kube client error for `req` into a `LiveError`.
pub(crate) fn from_kube(err: kube::Error, req: &Req<'_>, target: &Target) -> LiveError {
    if let Some(page) = find::<super::guard::NotTheApi>(&err) {
        return LiveError::NotTheApi {
            what: req.describe(),
            server: target.server.clone(),
            source_text: page.to_string(),
            kubectl: target.kubectl.clone(),
        };
    }
    if let Some(large) = find::<super::guard::TooLarge>(&err) {
        return LiveError::Api {
            what: req.describe(),
            code: 200,
            message: large.to_string(),
        };
    }
    match err {
        kube::Error::Api(status) => from_status(&status, req, target),
        kube::Error::SerdeError(e) => LiveError::Api {
            what: req.describe(),
            code: 200,
            message: format!("could not decode the response: {e}"),
        },
        kube::Error::FromUtf8(e) => LiveError::Api {
            what: req.describe(),
            code: 0,
            message: format!("the error body was not UTF-8: {e}"),
        },
        kube::Error::Auth(e) => LiveError::Kubeconfig {
            message: format!("could not get credentials: {}", chain(&e)),
            hint: Some(format!(
                "check the user of this context works: {} auth whoami",
                target.kubectl
            )),
        },
        kube::Error::BuildRequest(e) => LiveError::Api {
            what: req.describe(),
            code: 0,
            message: format!("could not build the request: {e}"),
        },
        other => from_transport(&other, req, target),
    }
}

/// An HTTP error answer with a Status body (or a body kube wrapped into one).
fn from_status(status: &Status, req: &Req<'_>, target: &Target) -> LiveError {
    let message = if status.message.is_empty() {
        status.reason.clone()
    } else {
        status.message.clone()
    };
    match status.code {
        401 => LiveError::Unauthorized {
            server: target.server.clone(),
            what: req.describe(),
            message,
            kubectl: target.kubectl.clone(),
        },
        403 => LiveError::Forbidden {
            verb: req.verb.to_string(),
            resource: req.resource.to_string(),
            namespace: req.namespace.map(str::to_string),
            user_message: forbidden_user_text(&message),
            kubectl: target.kubectl.clone(),
        },
        404 if req.name.is_some() => LiveError::NotFound {
            kind: kind_of(req.resource).to_string(),
            namespace: req.namespace.unwrap_or_default().to_string(),
            name: req.name.unwrap_or_default().to_string(),
            kubectl: target.kubectl.clone(),
        },
        code => LiveError::Api {
            what: req.describe(),
            code,
            message,
        },
    }
}

/// No HTTP answer: a timeout, or the server could not be reached.
fn from_transport(err: &(dyn StdError + 'static), req: &Req<'_>, target: &Target) -> LiveError {
    if is_timeout(err) {
        return LiveError::Timeout {
            server: target.server.clone(),
            what: req.describe(),
            kubectl: target.kubectl.clone(),
        };
    }
    LiveError::Unreachable {
        server: target.server.clone(),
        what: req.describe(),
        message: root_cause(err),
        kubectl: target.kubectl.clone(),
    }
}

/// The timeout we impose per request (`--request-timeout`) elapsed.
pub(crate) fn timed_out(req: &Req<'_>, target: &Target) -> LiveError {
    LiveError::Timeout {
        server: target.server.clone(),
        what: req.describe(),
        kubectl: target.kubectl.clone(),
    }
}

/// The apiserver says `nodes is forbidden: User "x" cannot list ...`; the part after `forbidden: ` is the
/// useful sentence (kubectl prints the whole thing after `Error from server (Forbidden):`).
fn forbidden_user_text(message: &str) -> String {
    match message.find("forbidden: ") {
        Some(i) => message[i + "forbidden: ".len()..].to_string(),
        None => message.to_string(),
    }
}

fn is_timeout(err: &(dyn StdError + 'static)) -> bool {
    let mut cur: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::TimedOut
        {
            return true;
        }
        if e.downcast_ref::<tokio::time::error::Elapsed>().is_some() {
            return true;
        }
        let text = e.to_string().to_ascii_lowercase();
        if text.contains("timed out") || text.contains("deadline has elapsed") {
            return true;
        }
        cur = e.source();
    }
    false
}

/// The innermost cause ("Connection refused (os error 111)", "invalid peer certificate: UnknownIssuer"),
/// which is what a person can act on; the outer layers only say "client error (Connect)".
fn root_cause(err: &(dyn StdError + 'static)) -> String {
    let mut last = err;
    while let Some(next) = last.source() {
        last = next;
    }
    let text = last.to_string();
    if text.is_empty() {
        err.to_string()
    } else {
        text
    }
}

/// The first error of type `T` in the cause chain.
fn find<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut cur: Option<&'a (dyn StdError + 'static)> = Some(err);
    while let Some(e) = cur {
        if let Some(t) = e.downcast_ref::<T>() {
            return Some(t);
        }
        cur = e.source();
    }
    None
}

/// The whole cause chain on one line.
fn chain(err: &(dyn StdError + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut cur = err.source();
    while let Some(e) = cur {
        let s = e.to_string();
        if parts.last().is_none_or(|p| !p.contains(&s)) {
            parts.push(s);
        }
        cur = e.source();
    }
    parts.join(": ")
}

fn doing(verb: &str, resource: &str, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!("{} {resource} in namespace {ns}", ing(verb)),
        None if is_cluster_scoped(resource) => format!("{} {resource}", ing(verb)),
        None => format!("{} {resource} in all namespaces", ing(verb)),
    }
}

fn ing(verb: &str) -> String {
    match verb {
        "get" => "getting".to_string(),
        "list" => "listing".to_string(),
        other => format!("{other}ing"),
    }
}

fn is_cluster_scoped(resource: &str) -> bool {
    matches!(resource, "nodes" | "namespaces")
}

fn singular(resource: &str) -> &str {
    match resource {
        "daemonsets" => "daemonset",
        other => other.strip_suffix('s').unwrap_or(other),
    }
}

fn kind_of(resource: &str) -> &str {
    match resource {
        "daemonsets" => "DaemonSet",
        "pods" => "Pod",
        "nodes" => "Node",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target() -> Target {
        Target {
            server: "https://k:6443".into(),
            kubectl: "kubectl --context prod".into(),
        }
    }

    fn status(json: &str) -> Status {
        serde_json::from_str(json).unwrap()
    }

    const LIST_NODES: Req<'static> = Req {
        verb: "list",
        resource: "nodes",
        namespace: None,
        name: None,
    };

    #[test]
    fn status_bodies_map_to_variants_with_one_line_messages_and_hints() {
        struct Case {
            name: &'static str,
            body: &'static str,
            req: Req<'static>,
            display: &'static str,
            hint: Option<&'static str>,
        }
        let cases = [
            Case {
                name: "recorded 403 for list nodes names the refused verb and quotes the user text",
                body: include_str!("../../../tests/fixtures/real-cluster/forbidden-nodes.json"),
                req: LIST_NODES,
                display: r#"listing nodes: forbidden: User "viewer" cannot list resource "nodes" in API group "" at the cluster scope"#,
                hint: Some(
                    "ask for read access; check it with: kubectl --context prod auth can-i list nodes",
                ),
            },
            Case {
                name: "recorded 403 for pods in a namespace gives a namespaced can-i",
                body: include_str!("../../../tests/fixtures/real-cluster/forbidden-pods-ns.json"),
                req: Req {
                    verb: "list",
                    resource: "pods",
                    namespace: Some("monitoring"),
                    name: None,
                },
                display: r#"listing pods in namespace monitoring: forbidden: User "viewer" cannot list resource "pods" in API group "" in the namespace "monitoring""#,
                hint: Some(
                    "ask for read access; check it with: kubectl --context prod auth can-i list pods -n monitoring",
                ),
            },
            Case {
                name: "recorded 403 for daemonsets in all namespaces gives an all-namespaces can-i",
                body: include_str!(
                    "../../../tests/fixtures/real-cluster/forbidden-daemonsets.json"
                ),
                req: Req {
                    verb: "list",
                    resource: "daemonsets",
                    namespace: None,
                    name: None,
                },
                display: r#"listing daemonsets in all namespaces: forbidden: User "viewer" cannot list resource "daemonsets" in API group "apps" at the cluster scope"#,
                hint: Some(
                    "ask for read access; check it with: kubectl --context prod auth can-i list daemonsets --all-namespaces",
                ),
            },
            Case {
                name: "recorded 401 is Unauthorized",
                body: include_str!("../../../tests/fixtures/real-cluster/unauthorized-nodes.json"),
                req: LIST_NODES,
                display: "listing nodes: unauthorized: the API server at https://k:6443 rejected the credentials (Unauthorized)",
                hint: Some(
                    "log in again or refresh the credentials of this context, then check them with: kubectl --context prod auth whoami",
                ),
            },
            Case {
                name: "recorded 404 on a GET is NotFound for the DaemonSet",
                body: include_str!("../../../tests/fixtures/real-cluster/notfound-ds.json"),
                req: Req {
                    verb: "get",
                    resource: "daemonsets",
                    namespace: Some("default"),
                    name: Some("does-not-exist"),
                },
                display: r#"DaemonSet "does-not-exist" not found in namespace "default""#,
                hint: Some(
                    "list the DaemonSets that exist: kubectl --context prod get daemonsets -A",
                ),
            },
            Case {
                name: "404 on a list is an API error, not NotFound",
                body: r#"{"kind":"Status","status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","code":404}"#,
                req: LIST_NODES,
                display: "listing nodes: the API server answered 404: the server could not find the requested resource",
                hint: None,
            },
            Case {
                name: "500 is an API error with a retry hint",
                body: r#"{"kind":"Status","status":"Failure","message":"etcdserver: request timed out","code":500}"#,
                req: LIST_NODES,
                display: "listing nodes: the API server answered 500: etcdserver: request timed out",
                hint: Some(
                    "the API server failed to answer; retry, and if it persists check its health: kubectl get --raw /readyz",
                ),
            },
        ];
        for c in cases {
            let err = from_kube(kube::Error::Api(status(c.body).boxed()), &c.req, &target());
            assert_eq!(err.to_string(), c.display, "{}", c.name);
            assert!(!err.to_string().contains('\n'), "{}: one line", c.name);
            assert_eq!(err.hint().as_deref(), c.hint, "{}", c.name);
        }
    }

    #[test]
    fn forbidden_user_text_is_the_sentence_after_forbidden() {
        let cases = [
            (
                "kubectl-style message is cut after 'is forbidden: '",
                r#"nodes is forbidden: User "x" cannot list resource"#,
                r#"User "x" cannot list resource"#,
            ),
            (
                "message without the marker is kept whole",
                "RBAC: access denied",
                "RBAC: access denied",
            ),
        ];
        for (name, input, want) in cases {
            assert_eq!(forbidden_user_text(input), want, "{name}");
        }
    }

    #[test]
    fn io_errors_map_to_timeout_or_unreachable() {
        let cases = [
            (
                "refused connection is Unreachable with the OS reason",
                std::io::Error::new(
                    std::io::ErrorKind::ConnectionRefused,
                    "Connection refused (os error 111)",
                ),
                false,
            ),
            (
                "timed-out io error is Timeout",
                std::io::Error::new(std::io::ErrorKind::TimedOut, "connect timed out"),
                true,
            ),
        ];
        for (name, io, want_timeout) in cases {
            let err = from_kube(kube::Error::Service(Box::new(io)), &LIST_NODES, &target());
            match (&err, want_timeout) {
                (LiveError::Timeout { what, .. }, true) => {
                    assert_eq!(what, "listing nodes", "{name}")
                }
                (LiveError::Unreachable { message, .. }, false) => {
                    assert!(message.contains("refused"), "{name}: {message}")
                }
                _ => panic!("{name}: got {err:?}"),
            }
        }
    }

    #[test]
    fn describe_names_the_request() {
        let cases = [
            ("cluster-scoped list", LIST_NODES, "listing nodes"),
            (
                "all-namespaces list",
                Req {
                    verb: "list",
                    resource: "pods",
                    namespace: None,
                    name: None,
                },
                "listing pods in all namespaces",
            ),
            (
                "get by name",
                Req {
                    verb: "get",
                    resource: "daemonsets",
                    namespace: Some("monitoring"),
                    name: Some("node-exporter"),
                },
                "getting daemonset monitoring/node-exporter",
            ),
        ];
        for (name, req, want) in cases {
            assert_eq!(req.describe(), want, "{name}");
        }
    }
}
