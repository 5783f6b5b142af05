//! Decides, as kubectl (Go's net/http) does, whether the API server is reached through the proxy named by
//! HTTPS_PROXY / HTTP_PROXY, honouring NO_PROXY and never proxying loopback. Pure: the environment is passed in.

use std::net::IpAddr;

/// Proxy-related environment variables, each read upper-case first, then lower-case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyEnv {
    pub https_proxy: Option<String>,
    pub http_proxy: Option<String>,
    pub no_proxy: Option<String>,
}

impl ProxyEnv {
    pub fn from_process() -> Self {
        let any = |names: [&str; 2]| {
            names
                .iter()
                .find_map(|n| std::env::var(n).ok().filter(|v| !v.is_empty()))
        };
        ProxyEnv {
            https_proxy: any(["HTTPS_PROXY", "https_proxy"]),
            http_proxy: any(["HTTP_PROXY", "http_proxy"]),
            no_proxy: any(["NO_PROXY", "no_proxy"]),
        }
    }
}

/// NO_PROXY as kube can parse it, or None when it already can. kube parses NO_PROXY itself while reading
/// the kubeconfig (before `proxy_for` decides anything) and refuses empty entries (`example.com,`, `a,,b`),
/// which Go, and so kubectl, skips; the rewrite drops them, so the same shell works for both. An empty
/// result means the variable should be unset.
pub fn tolerated_no_proxy(raw: &str) -> Option<String> {
    let entries: Vec<&str> = raw
        .split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    let clean = entries.join(",");
    (clean != raw).then_some(clean)
}

/// The proxy URL to use for `server` (scheme, host, port), or None to connect directly.
// Mirrors golang.org/x/net/http/httpproxy/proxy.go (config.proxyForURL, useProxy, init): https URLs use
// HTTPS_PROXY, http URLs HTTP_PROXY; localhost and loopback IPs are never proxied; NO_PROXY holds `*`,
// IPs, CIDRs, and domains (`foo.com` also matches subdomains, `.foo.com` / `*.foo.com` only subdomains),
// each optionally with `:port`; domain entries never match an IP host.
pub fn proxy_for(scheme: &str, host: &str, port: Option<u16>, env: &ProxyEnv) -> Option<String> {
    let proxy = match scheme {
        "https" => env.https_proxy.as_ref(),
        "http" => env.http_proxy.as_ref(),
        _ => None,
    }?
    .trim();
    if proxy.is_empty() {
        return None;
    }
    let port = port
        .unwrap_or(if scheme == "https" { 443 } else { 80 })
        .to_string();
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    if !use_proxy(&host, &port, env.no_proxy.as_deref().unwrap_or_default()) {
        return None;
    }
    // Go accepts a bare `host:port` and means http.
    Some(if proxy.contains("://") {
        proxy.to_string()
    } else {
        format!("http://{proxy}")
    })
}

fn use_proxy(host: &str, port: &str, no_proxy: &str) -> bool {
    if host == "localhost" {
        return false;
    }
    let ip: Option<IpAddr> = host.parse().ok();
    if ip.is_some_and(|ip| ip.is_loopback()) {
        return false;
    }
    for entry in no_proxy.split(',') {
        let entry = entry.trim().to_ascii_lowercase();
        if entry.is_empty() {
            continue;
        }
        if entry == "*" {
            return false;
        }
        if let Some((net, bits)) = parse_cidr(&entry) {
            if ip.is_some_and(|ip| cidr_contains(net, bits, ip)) {
                return false;
            }
            continue;
        }
        let (ehost, eport) = split_host_port(&entry);
        if ehost.is_empty() {
            continue;
        }
        if let Ok(eip) = ehost.parse::<IpAddr>() {
            if ip == Some(eip) && (eport.is_empty() || eport == port) {
                return false;
            }
            continue;
        }
        if ip.is_some() {
            continue;
        }
        let (suffix, match_host) = match ehost.strip_prefix("*.") {
            Some(rest) => (format!(".{rest}"), false),
            None if ehost.starts_with('.') => (ehost.to_string(), false),
            None => (format!(".{ehost}"), true),
        };
        let hit = host.ends_with(&suffix) || (match_host && host == &suffix[1..]);
        if hit && (eport.is_empty() || eport == port) {
            return false;
        }
    }
    true
}

/// `host:port`, `[v6]:port`, or just a host (a bare IPv6 address has colons but no port).
fn split_host_port(entry: &str) -> (&str, &str) {
    if let Some(rest) = entry.strip_prefix('[')
        && let Some((h, tail)) = rest.split_once(']')
    {
        return (h, tail.strip_prefix(':').unwrap_or_default());
    }
    match entry.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') && p.chars().all(|c| c.is_ascii_digit()) => (h, p),
        _ => (entry, ""),
    }
}

fn parse_cidr(entry: &str) -> Option<(IpAddr, u8)> {
    let (addr, bits) = entry.split_once('/')?;
    let addr: IpAddr = addr.parse().ok()?;
    let bits: u8 = bits.parse().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    (bits <= max).then_some((addr, bits))
}

fn cidr_contains(net: IpAddr, bits: u8, ip: IpAddr) -> bool {
    let prefix = |a: u128, width: u32| {
        if bits == 0 {
            0
        } else {
            a >> (width - u32::from(bits))
        }
    };
    match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => {
            prefix(u128::from(u32::from(n)), 32) == prefix(u128::from(u32::from(i)), 32)
        }
        (IpAddr::V6(n), IpAddr::V6(i)) => prefix(u128::from(n), 128) == prefix(u128::from(i), 128),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(no_proxy: &str) -> ProxyEnv {
        ProxyEnv {
            https_proxy: Some("proxy.corp:3128".into()),
            http_proxy: Some("http://plain.corp:8080".into()),
            no_proxy: Some(no_proxy.into()),
        }
    }

    #[test]
    fn proxy_choice_follows_go_httpproxy() {
        // Cases from golang.org/x/net/http/httpproxy/proxy_test.go where they apply.
        let cases = [
            (
                "https uses HTTPS_PROXY, bare host:port means http",
                "https",
                "api.example.com",
                None,
                "",
                Some("http://proxy.corp:3128"),
            ),
            (
                "http uses HTTP_PROXY",
                "http",
                "api.example.com",
                None,
                "",
                Some("http://plain.corp:8080"),
            ),
            (
                "localhost is never proxied",
                "https",
                "localhost",
                Some(6443),
                "",
                None,
            ),
            (
                "loopback IPv4 is never proxied",
                "http",
                "127.0.0.1",
                Some(8080),
                "",
                None,
            ),
            (
                "loopback IPv6 is never proxied",
                "https",
                "[::1]",
                None,
                "",
                None,
            ),
            (
                "wildcard disables the proxy",
                "https",
                "api.example.com",
                None,
                "*",
                None,
            ),
            (
                "domain matches itself",
                "https",
                "example.com",
                None,
                "example.com",
                None,
            ),
            (
                "domain matches subdomains",
                "https",
                "api.example.com",
                None,
                "example.com",
                None,
            ),
            (
                "leading dot matches only subdomains",
                "https",
                "example.com",
                None,
                ".example.com",
                Some("http://proxy.corp:3128"),
            ),
            (
                "star-dot matches subdomains",
                "https",
                "api.example.com",
                None,
                "*.example.com",
                None,
            ),
            (
                "suffix without a dot boundary does not match",
                "https",
                "notexample.com",
                None,
                "example.com",
                Some("http://proxy.corp:3128"),
            ),
            (
                "port must match when given",
                "https",
                "api.example.com",
                Some(6443),
                "example.com:443",
                Some("http://proxy.corp:3128"),
            ),
            (
                "default port matches",
                "https",
                "api.example.com",
                None,
                "example.com:443",
                None,
            ),
            (
                "CIDR matches an IP host",
                "https",
                "10.1.2.3",
                Some(6443),
                "10.0.0.0/8",
                None,
            ),
            (
                "CIDR does not match outside",
                "https",
                "11.1.2.3",
                Some(6443),
                "10.0.0.0/8",
                Some("http://proxy.corp:3128"),
            ),
            (
                "exact IP matches",
                "https",
                "10.1.2.3",
                None,
                "10.1.2.3",
                None,
            ),
            (
                "domain entries never match IP hosts",
                "https",
                "10.1.2.3",
                None,
                "3",
                Some("http://proxy.corp:3128"),
            ),
            (
                "entries are trimmed and case-folded",
                "https",
                "api.example.com",
                None,
                " foo.org , EXAMPLE.com ",
                None,
            ),
        ];
        for (name, scheme, host, port, no_proxy, want) in cases {
            assert_eq!(
                proxy_for(scheme, host, port, &env(no_proxy)).as_deref(),
                want,
                "{name}"
            );
        }
    }

    #[test]
    fn no_proxy_variables_means_direct() {
        assert_eq!(
            proxy_for("https", "api.example.com", None, &ProxyEnv::default()),
            None
        );
    }

    #[test]
    fn no_proxy_is_rewritten_only_when_kube_would_refuse_it() {
        let cases = [
            (
                "trailing comma dropped",
                "example.com,",
                Some("example.com"),
            ),
            ("empty entries dropped", "a.com,,b.com", Some("a.com,b.com")),
            (
                "spaces around entries trimmed",
                " a.com , b.com",
                Some("a.com,b.com"),
            ),
            ("only commas means unset", ",", Some("")),
            ("well-formed kept as is", "a.com,10.0.0.0/8", None),
        ];
        for (name, raw, want) in cases {
            assert_eq!(tolerated_no_proxy(raw).as_deref(), want, "{name}");
        }
    }
}
