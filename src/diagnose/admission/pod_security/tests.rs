//! Table-driven after upstream's policy/check_*_test.go cases, with the messages the v1.36 apiserver
//! printed for the recorded cluster (tests/fixtures/real-cluster/TRUTH.md).

use super::*;
use serde_json::{Value, json};

fn spec(v: Value) -> PodSpec {
    serde_json::from_value(v).expect("pod spec")
}

fn latest(level: Level) -> Policy {
    Policy { level, minor: None }
}

/// One container named `a` with this securityContext.
fn with_sc(sc: Value) -> Value {
    json!({"containers": [{"name": "a", "securityContext": sc}]})
}

/// A container that passes restricted, to test one field at a time.
fn restricted_ok() -> Value {
    json!({"securityContext": {"runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}},
        "containers": [{"name": "a", "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}}]})
}

#[test]
fn each_check_names_the_field() {
    type Case<'a> = (&'a str, Level, Value, Vec<(&'a str, &'a str)>);
    let cases: Vec<Case> = vec![
        (
            "privileged level allows anything",
            Level::Privileged,
            with_sc(json!({"privileged": true})),
            vec![],
        ),
        (
            "empty pod passes baseline",
            Level::Baseline,
            json!({"containers": [{"name": "a"}]}),
            vec![],
        ),
        (
            "real cluster psa-blocked/host-agent",
            Level::Baseline,
            json!({"hostNetwork": true, "hostPID": true, "volumes": [{"name": "root", "hostPath": {"path": "/"}}],
                "containers": [{"name": "agent", "securityContext": {"privileged": true}}]}),
            vec![
                ("host namespaces", "hostNetwork=true, hostPID=true"),
                ("hostPath volumes", "volume \"root\""),
                (
                    "privileged",
                    "container \"agent\" must not set securityContext.privileged=true",
                ),
            ],
        ),
        (
            "hostIPC",
            Level::Baseline,
            json!({"hostIPC": true, "containers": [{"name": "a"}]}),
            vec![("host namespaces", "hostIPC=true")],
        ),
        (
            "two privileged containers, init first",
            Level::Baseline,
            json!({"initContainers": [{"name": "i", "securityContext": {"privileged": true}}], "containers": [{"name": "a", "securityContext": {"privileged": true}}, {"name": "b", "securityContext": {"privileged": false}}]}),
            vec![(
                "privileged",
                "containers \"i\", \"a\" must not set securityContext.privileged=true",
            )],
        ),
        (
            "host ports",
            Level::Baseline,
            json!({"containers": [{"name": "a", "ports": [{"containerPort": 80, "hostPort": 80}, {"containerPort": 81}]}, {"name": "b", "ports": [{"containerPort": 443, "hostPort": 443}]}]}),
            vec![("hostPort", "containers \"a\", \"b\" use hostPorts 443, 80")],
        ),
        (
            "non-default capabilities",
            Level::Baseline,
            with_sc(json!({"capabilities": {"add": ["NET_ADMIN", "CHOWN", "SYS_TIME"]}})),
            vec![(
                "non-default capabilities",
                "container \"a\" must not include \"NET_ADMIN\", \"SYS_TIME\" in securityContext.capabilities.add",
            )],
        ),
        (
            "baseline runs its checks in file order: capabilities before host namespaces",
            Level::Baseline,
            json!({"hostNetwork": true, "containers": [{"name": "a", "securityContext": {"capabilities": {"add": ["NET_ADMIN"]}}}]}),
            vec![
                (
                    "non-default capabilities",
                    "container \"a\" must not include \"NET_ADMIN\" in securityContext.capabilities.add",
                ),
                ("host namespaces", "hostNetwork=true"),
            ],
        ),
        (
            "procMount Unmasked",
            Level::Baseline,
            with_sc(json!({"procMount": "Unmasked"})),
            vec![(
                "procMount",
                "container \"a\" must not set securityContext.procMount to \"Unmasked\"",
            )],
        ),
        (
            "procMount Default passes",
            Level::Baseline,
            with_sc(json!({"procMount": "Default"})),
            vec![],
        ),
        (
            "seLinuxOptions type and user",
            Level::Baseline,
            with_sc(json!({"seLinuxOptions": {"type": "spc_t", "user": "root"}})),
            vec![(
                "seLinuxOptions",
                "container \"a\" set forbidden securityContext.seLinuxOptions: type \"spc_t\"; user may not be set",
            )],
        ),
        (
            "seLinuxOptions container_t passes",
            Level::Baseline,
            with_sc(json!({"seLinuxOptions": {"type": "container_t"}})),
            vec![],
        ),
        (
            "sysctls outside the safe set",
            Level::Baseline,
            json!({"securityContext": {"sysctls": [{"name": "kernel.shm_rmid_forced", "value": "0"}, {"name": "kernel.msgmax", "value": "1"}]}, "containers": [{"name": "a"}]}),
            vec![("forbidden sysctls", "kernel.msgmax")],
        ),
        (
            "seccomp Unconfined in baseline",
            Level::Baseline,
            json!({"securityContext": {"seccompProfile": {"type": "Unconfined"}}, "containers": [{"name": "a"}]}),
            vec![(
                "seccompProfile",
                "pod must not set securityContext.seccompProfile.type to \"Unconfined\"",
            )],
        ),
        (
            "windows hostProcess",
            Level::Baseline,
            json!({"securityContext": {"windowsOptions": {"hostProcess": true}}, "hostNetwork": true, "containers": [{"name": "a", "securityContext": {"windowsOptions": {"hostProcess": true}}}]}),
            vec![
                ("host namespaces", "hostNetwork=true"),
                (
                    "hostProcess",
                    "pod and container \"a\" must not set securityContext.windowsOptions.hostProcess=true",
                ),
            ],
        ),
        (
            "probe host",
            Level::Baseline,
            json!({"containers": [{"name": "a", "livenessProbe": {"httpGet": {"host": "10.0.0.1", "port": 80}}}]}),
            vec![(
                "probe or lifecycle host",
                "container \"a\" uses probe or lifecycle host \"10.0.0.1\"",
            )],
        ),
        (
            "AppArmor unconfined annotation is read from the pod metadata elsewhere; the field form here",
            Level::Baseline,
            with_sc(json!({"appArmorProfile": {"type": "Unconfined"}})),
            vec![(
                "forbidden AppArmor profile",
                "container \"a\" must not set securityContext.appArmorProfile.type to \"Unconfined\"",
            )],
        ),
        (
            "restricted: a plain container fails every restricted check",
            Level::Restricted,
            json!({"containers": [{"name": "a"}]}),
            vec![
                (
                    "allowPrivilegeEscalation != false",
                    "container \"a\" must set securityContext.allowPrivilegeEscalation=false",
                ),
                (
                    "unrestricted capabilities",
                    "container \"a\" must set securityContext.capabilities.drop=[\"ALL\"]",
                ),
                (
                    "runAsNonRoot != true",
                    "pod or container \"a\" must set securityContext.runAsNonRoot=true",
                ),
                (
                    "seccompProfile",
                    "pod or container \"a\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
                ),
            ],
        ),
        (
            "restricted: a compliant pod passes",
            Level::Restricted,
            restricted_ok(),
            vec![],
        ),
        (
            "restricted: runAsUser 0 and runAsNonRoot false",
            Level::Restricted,
            {
                let mut p = restricted_ok();
                p["securityContext"]["runAsNonRoot"] = json!(false);
                p["containers"][0]["securityContext"]["runAsUser"] = json!(0);
                p
            },
            vec![
                (
                    "runAsNonRoot != true",
                    "pod must not set securityContext.runAsNonRoot=false",
                ),
                ("runAsUser=0", "container \"a\" must not set runAsUser=0"),
            ],
        ),
        (
            "restricted: capabilities other than NET_BIND_SERVICE",
            Level::Restricted,
            {
                let mut p = restricted_ok();
                p["containers"][0]["securityContext"]["capabilities"] =
                    json!({"drop": ["ALL"], "add": ["NET_BIND_SERVICE", "SYS_ADMIN"]});
                p
            },
            vec![(
                "unrestricted capabilities",
                "container \"a\" must not include \"SYS_ADMIN\" in securityContext.capabilities.add",
            )],
        ),
        (
            "restricted: restricted volume types replace the hostPath check",
            Level::Restricted,
            {
                let mut p = restricted_ok();
                p["volumes"] = json!([{"name": "h", "hostPath": {"path": "/"}}, {"name": "c", "configMap": {"name": "x"}}, {"name": "n", "nfs": {"server": "s", "path": "/"}}]);
                p
            },
            vec![(
                "restricted volume types",
                "volumes \"h\", \"n\" use restricted volume types \"hostPath\", \"nfs\"",
            )],
        ),
        (
            "restricted: container seccomp Unconfined overrides a pod RuntimeDefault",
            Level::Restricted,
            {
                let mut p = restricted_ok();
                p["containers"][0]["securityContext"]["seccompProfile"] =
                    json!({"type": "Unconfined"});
                p
            },
            vec![(
                "seccompProfile",
                "container \"a\" must not set securityContext.seccompProfile.type to \"Unconfined\"",
            )],
        ),
        (
            "restricted: windows pods skip the Linux-only checks",
            Level::Restricted,
            json!({"os": {"name": "windows"}, "securityContext": {"runAsNonRoot": true}, "containers": [{"name": "a"}]}),
            vec![],
        ),
    ];
    for (name, level, pod, want) in cases {
        let got = evaluate(&latest(level), &ObjectMeta::default(), &spec(pod));
        let got: Vec<(&str, &str)> = got
            .iter()
            .map(|v| (v.reason.as_str(), v.detail.as_str()))
            .collect();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn the_message_matches_the_real_apiserver() {
    let pod = spec(
        json!({"hostNetwork": true, "hostPID": true, "volumes": [{"name": "root", "hostPath": {"path": "/"}}],
        "containers": [{"name": "agent", "securityContext": {"privileged": true}}]}),
    );
    let policy = latest(Level::Baseline);
    assert_eq!(
        message(&policy, &evaluate(&policy, &ObjectMeta::default(), &pod)),
        "violates PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true, hostPID=true), hostPath volumes (volume \"root\"), privileged (container \"agent\" must not set securityContext.privileged=true)"
    );
}

#[test]
fn apparmor_annotations() {
    let meta: ObjectMeta = serde_json::from_value(json!({"annotations": {
        "container.apparmor.security.beta.kubernetes.io/a": "unconfined",
        "container.apparmor.security.beta.kubernetes.io/b": "localhost/custom",
    }}))
    .unwrap();
    let got = evaluate(
        &latest(Level::Baseline),
        &meta,
        &spec(json!({"containers": [{"name": "a"}, {"name": "b"}]})),
    );
    assert_eq!(
        got,
        vec![Violation {
            reason: "forbidden AppArmor profile".into(),
            detail: "container.apparmor.security.beta.kubernetes.io/a=\"unconfined\"".into()
        }]
    );
}

#[test]
fn namespace_labels_choose_level_and_version() {
    let labels = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let cases = [
        ("no label", labels(&[]), None),
        (
            "baseline latest",
            labels(&[
                (ENFORCE, "baseline"),
                ("pod-security.kubernetes.io/enforce-version", "latest"),
            ]),
            Some("baseline:latest"),
        ),
        (
            "pinned version",
            labels(&[
                (ENFORCE, "restricted"),
                ("pod-security.kubernetes.io/enforce-version", "v1.24"),
            ]),
            Some("restricted:v1.24"),
        ),
        (
            "invalid level is restricted",
            labels(&[(ENFORCE, "strict")]),
            Some("restricted:latest"),
        ),
        (
            "invalid version is latest",
            labels(&[
                (ENFORCE, "baseline"),
                ("pod-security.kubernetes.io/enforce-version", "1.24"),
            ]),
            Some("baseline:latest"),
        ),
    ];
    for (name, l, want) in cases {
        assert_eq!(
            namespace_policy(Some(&l), ENFORCE).map(|p| p.label()),
            want.map(String::from),
            "{name}"
        );
    }
}

#[test]
fn checks_newer_than_the_pinned_version_do_not_apply() {
    let pod = spec(
        json!({"containers": [{"name": "a", "readinessProbe": {"tcpSocket": {"host": "h", "port": 1}}}]}),
    );
    let old = Policy {
        level: Level::Baseline,
        minor: Some(33),
    };
    assert!(evaluate(&old, &ObjectMeta::default(), &pod).is_empty());
    let new = Policy {
        level: Level::Baseline,
        minor: Some(34),
    };
    assert_eq!(evaluate(&new, &ObjectMeta::default(), &pod).len(), 1);
}
