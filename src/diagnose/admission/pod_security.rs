//! The PodSecurity admission plugin: the baseline and restricted profiles' checks, each naming the
//! field as upstream's message does, and the namespace labels that choose the level and version.
//! Pure: no I/O.
// Mirrors staging/src/k8s.io/pod-security-admission/policy/check_*.go and api/helpers.go

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1::{Container, PodSpec, Probe, SecurityContext};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

pub const ENFORCE: &str = "pod-security.kubernetes.io/enforce";
pub const WARN: &str = "pod-security.kubernetes.io/warn";
pub const AUDIT: &str = "pod-security.kubernetes.io/audit";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Privileged,
    Baseline,
    Restricted,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        }
    }
}

/// A level and the policy version it is pinned to (`None`: latest).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub level: Level,
    /// Minor version of `v1.N`; None for `latest`.
    pub minor: Option<u32>,
}

impl Policy {
    /// `baseline:latest`, as the admission message names it.
    pub fn label(&self) -> String {
        match self.minor {
            Some(m) => format!("{}:v1.{m}", self.level.name()),
            None => format!("{}:latest", self.level.name()),
        }
    }

    /// Whether a check introduced in v1.`minor` applies under this policy's version.
    fn has(&self, minor: u32) -> bool {
        self.minor.is_none_or(|v| v >= minor)
    }
}

/// The policy a namespace label pair (`<mode>`, `<mode>-version`) asks for; None when unset. An
/// invalid level is evaluated as restricted and an invalid version as latest, as upstream does.
// Mirrors staging/src/k8s.io/pod-security-admission/api/helpers.go (PolicyToEvaluate)
pub fn namespace_policy(labels: Option<&BTreeMap<String, String>>, mode: &str) -> Option<Policy> {
    let labels = labels?;
    let level = match labels.get(mode)?.as_str() {
        "privileged" => Level::Privileged,
        "baseline" => Level::Baseline,
        _ => Level::Restricted,
    };
    let minor = labels
        .get(&format!("{mode}-version"))
        .and_then(|v| v.strip_prefix("v1."))
        .and_then(|m| m.parse().ok());
    Some(Policy { level, minor })
}

/// One failed check: upstream's reason and detail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub reason: String,
    pub detail: String,
}

/// `violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true), ...`
pub fn message(policy: &Policy, violations: &[Violation]) -> String {
    let parts: Vec<String> = violations
        .iter()
        .map(|v| {
            if v.detail.is_empty() {
                v.reason.clone()
            } else {
                format!("{} ({})", v.reason, v.detail)
            }
        })
        .collect();
    format!(
        "violates PodSecurity \"{}\": {}",
        policy.label(),
        parts.join(", ")
    )
}

/// One check: its violation, if the pod fails it.
type Check = fn(&Policy, &ObjectMeta, &PodSpec) -> Option<Violation>;

/// Every check of the policy's level that the pod fails, in upstream's evaluation order: the baseline
/// checks in file order, then for restricted its own checks, which replace (OverrideCheckIDs) the
/// baseline capabilities, hostPathVolumes and seccompProfile checks.
// Mirrors staging/src/k8s.io/pod-security-admission/policy/registry.go (EvaluatePod, populate) as the
// v1.36 apiserver recorded in tests/fixtures/real-cluster orders it ("host namespaces, hostPath volumes,
// privileged").
pub fn evaluate(policy: &Policy, meta: &ObjectMeta, spec: &PodSpec) -> Vec<Violation> {
    if policy.level == Level::Privileged {
        return Vec::new();
    }
    let mut out = Vec::new();
    // (check, overridden by a restricted check), in file order as init() registers them.
    let baseline: [(Check, bool); 12] = [
        (app_armor, false),
        (capabilities_baseline, true),
        (host_namespaces, false),
        (host_path_volumes, true),
        (host_ports, false),
        (host_probes, false),
        (privileged, false),
        (proc_mount, false),
        (se_linux, false),
        (seccomp_baseline, true),
        (sysctls, false),
        (windows_host_process, false),
    ];
    let restricted = policy.level == Level::Restricted;
    out.extend(
        baseline
            .iter()
            .filter(|(_, overridden)| !(restricted && *overridden))
            .filter_map(|(c, _)| c(policy, meta, spec)),
    );
    if restricted {
        let checks: [Check; 6] = [
            allow_privilege_escalation,
            capabilities_restricted,
            restricted_volumes,
            run_as_non_root,
            run_as_user,
            seccomp_restricted,
        ];
        out.extend(checks.iter().filter_map(|c| c(policy, meta, spec)));
    }
    out
}

fn containers(spec: &PodSpec) -> impl Iterator<Item = &Container> {
    // visitContainers: init containers, containers, then ephemeral containers (never in a template).
    spec.init_containers
        .iter()
        .flatten()
        .chain(spec.containers.iter())
}

fn sc(c: &Container) -> Option<&SecurityContext> {
    c.security_context.as_ref()
}

fn join_quote(items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    format!("\"{}\"", items.join("\", \""))
}

fn pluralize<'a>(one: &'a str, many: &'a str, n: usize) -> &'a str {
    if n == 1 { one } else { many }
}

/// `container "a"` / `containers "a", "b"`.
fn who(names: &[String]) -> String {
    format!(
        "{} {}",
        pluralize("container", "containers", names.len()),
        join_quote(names)
    )
}

fn violation(reason: &str, detail: String) -> Option<Violation> {
    Some(Violation {
        reason: reason.into(),
        detail,
    })
}

fn names_where(spec: &PodSpec, mut bad: impl FnMut(&Container) -> bool) -> Vec<String> {
    containers(spec)
        .filter(|c| bad(c))
        .map(|c| c.name.clone())
        .collect()
}

// check_appArmorProfile.go: the annotation form (the field form allows the same values).
fn app_armor(_: &Policy, meta: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    const PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";
    let allowed = |p: &str| p.is_empty() || p == "runtime/default" || p.starts_with("localhost/");
    let mut bad: Vec<String> = meta
        .annotations
        .iter()
        .flatten()
        .filter(|(k, v)| k.starts_with(PREFIX) && !allowed(v))
        .map(|(k, v)| format!("{k}={v:?}"))
        .collect();
    let field_bad = |t: Option<&str>| t == Some("Unconfined");
    let pod_field = spec
        .security_context
        .as_ref()
        .and_then(|s| s.app_armor_profile.as_ref())
        .map(|p| p.type_.as_str());
    if field_bad(pod_field) {
        bad.push("pod must not set securityContext.appArmorProfile.type to \"Unconfined\"".into());
    }
    for c in containers(spec) {
        if field_bad(
            sc(c)
                .and_then(|s| s.app_armor_profile.as_ref())
                .map(|p| p.type_.as_str()),
        ) {
            bad.push(format!(
                "container {:?} must not set securityContext.appArmorProfile.type to \"Unconfined\"",
                c.name
            ));
        }
    }
    if bad.is_empty() {
        return None;
    }
    bad.sort();
    let reason = pluralize(
        "forbidden AppArmor profile",
        "forbidden AppArmor profiles",
        bad.len(),
    );
    violation(reason, bad.join(", "))
}

// check_hostNamespaces.go, with the detail the v1.36 apiserver prints (`hostNetwork=true`).
fn host_namespaces(_: &Policy, _: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    let mut set = BTreeSet::new();
    if spec.host_network == Some(true) {
        set.insert("hostNetwork=true");
    }
    if spec.host_pid == Some(true) {
        set.insert("hostPID=true");
    }
    if spec.host_ipc == Some(true) {
        set.insert("hostIPC=true");
    }
    if set.is_empty() {
        return None;
    }
    violation(
        "host namespaces",
        set.into_iter().collect::<Vec<_>>().join(", "),
    )
}

// check_hostPathVolumes.go
fn host_path_volumes(_: &Policy, _: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    let names: Vec<String> = spec
        .volumes
        .iter()
        .flatten()
        .filter(|v| v.host_path.is_some())
        .map(|v| v.name.clone())
        .collect();
    if names.is_empty() {
        return None;
    }
    violation(
        "hostPath volumes",
        format!(
            "{} {}",
            pluralize("volume", "volumes", names.len()),
            join_quote(&names)
        ),
    )
}

// check_hostPorts.go
fn host_ports(_: &Policy, _: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    let mut ports = BTreeSet::new();
    let names = names_where(spec, |c| {
        let mut bad = false;
        for p in c.ports.iter().flatten() {
            if let Some(h) = p.host_port.filter(|h| *h != 0) {
                bad = true;
                ports.insert(h.to_string());
            }
        }
        bad
    });
    if names.is_empty() {
        return None;
    }
    let ports: Vec<String> = ports.into_iter().collect();
    violation(
        "hostPort",
        format!(
            "{} {} {} {}",
            who(&names),
            pluralize("uses", "use", names.len()),
            pluralize("hostPort", "hostPorts", ports.len()),
            ports.join(", ")
        ),
    )
}

// check_hostProbesAndhostLifecycle.go (policy v1.34+)
fn host_probes(policy: &Policy, _: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    if !policy.has(34) {
        return None;
    }
    let mut hosts = BTreeSet::new();
    let probe_hosts = |p: Option<&Probe>| -> Vec<String> {
        let Some(p) = p else { return Vec::new() };
        let http = p.http_get.as_ref().and_then(|h| h.host.clone());
        let tcp = p.tcp_socket.as_ref().and_then(|t| t.host.clone());
        [http, tcp]
            .into_iter()
            .flatten()
            .filter(|h| !h.is_empty())
            .collect()
    };
    let names = names_where(spec, |c| {
        let mut found: Vec<String> = Vec::new();
        found.extend(probe_hosts(c.liveness_probe.as_ref()));
        found.extend(probe_hosts(c.readiness_probe.as_ref()));
        found.extend(probe_hosts(c.startup_probe.as_ref()));
        if let Some(l) = &c.lifecycle {
            for h in [l.post_start.as_ref(), l.pre_stop.as_ref()]
                .into_iter()
                .flatten()
            {
                let http = h.http_get.as_ref().and_then(|x| x.host.clone());
                let tcp = h.tcp_socket.as_ref().and_then(|x| x.host.clone());
                found.extend([http, tcp].into_iter().flatten().filter(|x| !x.is_empty()));
            }
        }
        let bad = !found.is_empty();
        hosts.extend(found);
        bad
    });
    if names.is_empty() {
        return None;
    }
    let hosts: Vec<String> = hosts.into_iter().collect();
    violation(
        "probe or lifecycle host",
        format!(
            "{} {} {} {}",
            who(&names),
            pluralize("uses", "use", names.len()),
            pluralize(
                "probe or lifecycle host",
                "probe or lifecycle hosts",
                hosts.len()
            ),
            join_quote(&hosts)
        ),
    )
}

// check_privileged.go
fn privileged(_: &Policy, _: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    let names = names_where(spec, |c| sc(c).and_then(|s| s.privileged) == Some(true));
    if names.is_empty() {
        return None;
    }
    violation(
        "privileged",
        format!(
            "{} must not set securityContext.privileged=true",
            who(&names)
        ),
    )
}

// check_procMount.go
fn proc_mount(_: &Policy, _: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    let mut types = BTreeSet::new();
    let names = names_where(spec, |c| {
        match sc(c).and_then(|s| s.proc_mount.as_deref()) {
            Some(t) if t != "Default" => {
                types.insert(t.to_string());
                true
            }
            _ => false,
        }
    });
    if names.is_empty() {
        return None;
    }
    let types: Vec<String> = types.into_iter().collect();
    violation(
        "procMount",
        format!(
            "{} must not set securityContext.procMount to {}",
            who(&names),
            join_quote(&types)
        ),
    )
}

// check_seLinuxOptions.go
fn se_linux(_: &Policy, _: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    const ALLOWED: [&str; 4] = ["", "container_t", "container_init_t", "container_kvm_t"];
    let mut bad_types = BTreeSet::new();
    let (mut user, mut role) = (false, false);
    let mut check = |o: &k8s_openapi::api::core::v1::SELinuxOptions| {
        let mut valid = true;
        let t = o.type_.clone().unwrap_or_default();
        if !ALLOWED.contains(&t.as_str()) {
            valid = false;
            bad_types.insert(t);
        }
        if o.user.as_deref().is_some_and(|u| !u.is_empty()) {
            valid = false;
            user = true;
        }
        if o.role.as_deref().is_some_and(|r| !r.is_empty()) {
            valid = false;
            role = true;
        }
        valid
    };
    let mut setters = Vec::new();
    if let Some(o) = spec
        .security_context
        .as_ref()
        .and_then(|s| s.se_linux_options.as_ref())
        && !check(o)
    {
        setters.push("pod".to_string());
    }
    let bad: Vec<String> = containers(spec)
        .filter(|c| {
            sc(c)
                .and_then(|s| s.se_linux_options.as_ref())
                .is_some_and(|o| !check(o))
        })
        .map(|c| c.name.clone())
        .collect();
    if !bad.is_empty() {
        setters.push(who(&bad));
    }
    if setters.is_empty() {
        return None;
    }
    let mut data = Vec::new();
    // Upstream only mentions user and role alongside a bad type.
    if !bad_types.is_empty() {
        let t: Vec<String> = bad_types.into_iter().collect();
        data.push(format!(
            "{} {}",
            pluralize("type", "types", t.len()),
            join_quote(&t)
        ));
        if user {
            data.push("user may not be set".into());
        }
        if role {
            data.push("role may not be set".into());
        }
    }
    violation(
        "seLinuxOptions",
        format!(
            "{} set forbidden securityContext.seLinuxOptions: {}",
            setters.join(" and "),
            data.join("; ")
        ),
    )
}

// check_sysctls.go (the safe set grew with policy versions 1.27, 1.29 and 1.32)
fn sysctls(policy: &Policy, _: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    let mut allowed = vec![
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start",
    ];
    if policy.has(27) {
        allowed.push("net.ipv4.ip_local_reserved_ports");
    }
    if policy.has(29) {
        allowed.extend([
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes",
        ]);
    }
    if policy.has(32) {
        allowed.extend(["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"]);
    }
    let bad: Vec<String> = spec
        .security_context
        .iter()
        .flat_map(|s| s.sysctls.iter().flatten())
        .filter(|s| !allowed.contains(&s.name.as_str()))
        .map(|s| s.name.clone())
        .collect();
    if bad.is_empty() {
        return None;
    }
    violation("forbidden sysctls", bad.join(", "))
}

// check_windowsHostProcess.go
fn windows_host_process(_: &Policy, _: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    let host_process = |s: Option<&k8s_openapi::api::core::v1::WindowsSecurityContextOptions>| {
        s.and_then(|w| w.host_process) == Some(true)
    };
    let mut setters = Vec::new();
    if host_process(
        spec.security_context
            .as_ref()
            .and_then(|s| s.windows_options.as_ref()),
    ) {
        setters.push("pod".to_string());
    }
    let names = names_where(spec, |c| {
        host_process(sc(c).and_then(|s| s.windows_options.as_ref()))
    });
    if !names.is_empty() {
        setters.push(who(&names));
    }
    if setters.is_empty() {
        return None;
    }
    violation(
        "hostProcess",
        format!(
            "{} must not set securityContext.windowsOptions.hostProcess=true",
            setters.join(" and ")
        ),
    )
}

const BASELINE_CAPABILITIES: [&str; 13] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

fn added_caps(c: &Container) -> &[String] {
    sc(c)
        .and_then(|s| s.capabilities.as_ref())
        .and_then(|k| k.add.as_deref())
        .unwrap_or(&[])
}

// check_capabilities_baseline.go
fn capabilities_baseline(_: &Policy, _: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    let mut caps = BTreeSet::new();
    let names = names_where(spec, |c| {
        let bad: Vec<&String> = added_caps(c)
            .iter()
            .filter(|k| !BASELINE_CAPABILITIES.contains(&k.as_str()))
            .collect();
        caps.extend(bad.iter().map(|k| k.to_string()));
        !bad.is_empty()
    });
    if names.is_empty() {
        return None;
    }
    let caps: Vec<String> = caps.into_iter().collect();
    violation(
        "non-default capabilities",
        format!(
            "{} must not include {} in securityContext.capabilities.add",
            who(&names),
            join_quote(&caps)
        ),
    )
}

fn valid_seccomp(t: &str) -> bool {
    t == "RuntimeDefault" || t == "Localhost"
}

fn seccomp_type(s: Option<&SecurityContext>) -> Option<&str> {
    s.and_then(|s| s.seccomp_profile.as_ref())
        .map(|p| p.type_.as_str())
}

// check_seccompProfile_baseline.go (1.19+ field form)
fn seccomp_baseline(_: &Policy, _: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    let mut setters = Vec::new();
    let mut values = BTreeSet::new();
    if let Some(t) = spec
        .security_context
        .as_ref()
        .and_then(|s| s.seccomp_profile.as_ref())
        .map(|p| p.type_.as_str())
        && !valid_seccomp(t)
    {
        setters.push("pod".to_string());
        values.insert(t.to_string());
    }
    let names = names_where(spec, |c| match seccomp_type(sc(c)) {
        Some(t) if !valid_seccomp(t) => {
            values.insert(t.to_string());
            true
        }
        _ => false,
    });
    if !names.is_empty() {
        setters.push(who(&names));
    }
    if setters.is_empty() {
        return None;
    }
    let values: Vec<String> = values.into_iter().collect();
    violation(
        "seccompProfile",
        format!(
            "{} must not set securityContext.seccompProfile.type to {}",
            setters.join(" and "),
            join_quote(&values)
        ),
    )
}

/// Since policy v1.25 a pod declaring `spec.os.name: windows` skips the Linux-only restricted checks.
fn windows_pod(policy: &Policy, spec: &PodSpec) -> bool {
    policy.has(25) && spec.os.as_ref().is_some_and(|o| o.name == "windows")
}

// check_allowPrivilegeEscalation.go
fn allow_privilege_escalation(
    policy: &Policy,
    _: &ObjectMeta,
    spec: &PodSpec,
) -> Option<Violation> {
    if !policy.has(8) || windows_pod(policy, spec) {
        return None;
    }
    let names = names_where(spec, |c| {
        sc(c).and_then(|s| s.allow_privilege_escalation) != Some(false)
    });
    if names.is_empty() {
        return None;
    }
    violation(
        "allowPrivilegeEscalation != false",
        format!(
            "{} must set securityContext.allowPrivilegeEscalation=false",
            who(&names)
        ),
    )
}

// check_capabilities_restricted.go
fn capabilities_restricted(policy: &Policy, _: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    if !policy.has(22) || windows_pod(policy, spec) {
        return None;
    }
    let mut missing_drop = Vec::new();
    let mut adding = Vec::new();
    let mut caps = BTreeSet::new();
    for c in containers(spec) {
        let Some(k) = sc(c).and_then(|s| s.capabilities.as_ref()) else {
            missing_drop.push(c.name.clone());
            continue;
        };
        if !k.drop.iter().flatten().any(|d| d == "ALL") {
            missing_drop.push(c.name.clone());
        }
        let bad: Vec<&String> = k
            .add
            .iter()
            .flatten()
            .filter(|a| *a != "NET_BIND_SERVICE")
            .collect();
        if !bad.is_empty() {
            adding.push(c.name.clone());
            caps.extend(bad.into_iter().cloned());
        }
    }
    let mut details = Vec::new();
    if !missing_drop.is_empty() {
        details.push(format!(
            "{} must set securityContext.capabilities.drop=[\"ALL\"]",
            who(&missing_drop)
        ));
    }
    if !adding.is_empty() {
        let caps: Vec<String> = caps.into_iter().collect();
        details.push(format!(
            "{} must not include {} in securityContext.capabilities.add",
            who(&adding),
            join_quote(&caps)
        ));
    }
    if details.is_empty() {
        return None;
    }
    violation("unrestricted capabilities", details.join("; "))
}

// check_restrictedVolumes.go
fn restricted_volumes(_: &Policy, _: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    let mut types = BTreeSet::new();
    let names: Vec<String> = spec
        .volumes
        .iter()
        .flatten()
        .filter(|v| {
            let allowed = v.config_map.is_some()
                || v.csi.is_some()
                || v.downward_api.is_some()
                || v.empty_dir.is_some()
                || v.ephemeral.is_some()
                || v.persistent_volume_claim.is_some()
                || v.projected.is_some()
                || v.secret.is_some();
            if !allowed {
                types.insert(volume_type(v));
            }
            !allowed
        })
        .map(|v| v.name.clone())
        .collect();
    if names.is_empty() {
        return None;
    }
    let types: Vec<String> = types.into_iter().collect();
    violation(
        "restricted volume types",
        format!(
            "{} {} {} {} {}",
            pluralize("volume", "volumes", names.len()),
            join_quote(&names),
            pluralize("uses", "use", names.len()),
            pluralize(
                "restricted volume type",
                "restricted volume types",
                types.len()
            ),
            join_quote(&types)
        ),
    )
}

/// The volume source's field name, as upstream names it in the message.
fn volume_type(v: &k8s_openapi::api::core::v1::Volume) -> String {
    let value = serde_json::to_value(v).unwrap_or_default();
    value
        .as_object()
        .and_then(|m| m.keys().find(|k| *k != "name").cloned())
        .map(|k| if k == "cephfs" { "cephfs".into() } else { k })
        .unwrap_or_else(|| "unknown".into())
}

// check_runAsNonRoot.go
fn run_as_non_root(_: &Policy, _: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    let mut setters = Vec::new();
    let mut pod_true = false;
    match spec
        .security_context
        .as_ref()
        .and_then(|s| s.run_as_non_root)
    {
        Some(false) => setters.push("pod".to_string()),
        Some(true) => pod_true = true,
        None => {}
    }
    let explicit = names_where(spec, |c| {
        sc(c).and_then(|s| s.run_as_non_root) == Some(false)
    });
    let implicit = names_where(spec, |c| {
        sc(c).and_then(|s| s.run_as_non_root).is_none() && !pod_true
    });
    if !explicit.is_empty() {
        setters.push(who(&explicit));
    }
    if !setters.is_empty() {
        return violation(
            "runAsNonRoot != true",
            format!(
                "{} must not set securityContext.runAsNonRoot=false",
                setters.join(" and ")
            ),
        );
    }
    if !implicit.is_empty() {
        return violation(
            "runAsNonRoot != true",
            format!(
                "pod or {} must set securityContext.runAsNonRoot=true",
                who(&implicit)
            ),
        );
    }
    None
}

// check_runAsUser.go (policy v1.23+)
fn run_as_user(policy: &Policy, _: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    if !policy.has(23) {
        return None;
    }
    let mut setters = Vec::new();
    if spec.security_context.as_ref().and_then(|s| s.run_as_user) == Some(0) {
        setters.push("pod".to_string());
    }
    let names = names_where(spec, |c| sc(c).and_then(|s| s.run_as_user) == Some(0));
    if !names.is_empty() {
        setters.push(who(&names));
    }
    if setters.is_empty() {
        return None;
    }
    violation(
        "runAsUser=0",
        format!("{} must not set runAsUser=0", setters.join(" and ")),
    )
}

// check_seccompProfile_restricted.go (policy v1.19+)
fn seccomp_restricted(policy: &Policy, _: &ObjectMeta, spec: &PodSpec) -> Option<Violation> {
    if !policy.has(19) || windows_pod(policy, spec) {
        return None;
    }
    let mut setters = Vec::new();
    let mut values = BTreeSet::new();
    let mut pod_set = false;
    if let Some(t) = seccomp_type(
        spec.security_context
            .as_ref()
            .map(pod_as_container_sc)
            .as_ref(),
    ) {
        if valid_seccomp(t) {
            pod_set = true;
        } else {
            setters.push("pod".to_string());
            values.insert(t.to_string());
        }
    }
    let explicit = names_where(spec, |c| match seccomp_type(sc(c)) {
        Some(t) if !valid_seccomp(t) => {
            values.insert(t.to_string());
            true
        }
        _ => false,
    });
    let implicit = names_where(spec, |c| seccomp_type(sc(c)).is_none() && !pod_set);
    if !explicit.is_empty() {
        setters.push(who(&explicit));
    }
    if !setters.is_empty() {
        let values: Vec<String> = values.into_iter().collect();
        return violation(
            "seccompProfile",
            format!(
                "{} must not set securityContext.seccompProfile.type to {}",
                setters.join(" and "),
                join_quote(&values)
            ),
        );
    }
    if !implicit.is_empty() {
        return violation(
            "seccompProfile",
            format!(
                "pod or {} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
                who(&implicit)
            ),
        );
    }
    None
}

/// The pod-level seccomp profile in the container security context's shape, to share `seccomp_type`.
fn pod_as_container_sc(p: &k8s_openapi::api::core::v1::PodSecurityContext) -> SecurityContext {
    SecurityContext {
        seccomp_profile: p.seccomp_profile.clone(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests;
