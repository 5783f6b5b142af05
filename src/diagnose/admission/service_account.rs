//! The ServiceAccount admission plugin: a pod naming a ServiceAccount that does not exist is refused
//! (before a name is generated, hence `pods "<generateName>"` in the real message). Pure: no I/O.
// Mirrors plugin/pkg/admission/serviceaccount/admission.go (Admit: "error looking up service account")

use k8s_openapi::api::core::v1::ServiceAccount;

/// None when the ServiceAccount exists; otherwise upstream's refusal.
pub fn refusal(accounts: &[ServiceAccount], namespace: &str, name: &str) -> Option<String> {
    let found = accounts.iter().any(|sa| {
        sa.metadata.namespace.as_deref() == Some(namespace)
            && sa.metadata.name.as_deref() == Some(name)
    });
    (!found).then(|| {
        format!(
            "error looking up service account {namespace}/{name}: serviceaccount \"{name}\" not found"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn looks_up_the_account_in_the_pod_namespace() {
        let accounts: Vec<ServiceAccount> = serde_json::from_value(json!([
            {"metadata": {"name": "default", "namespace": "missing-sa"}},
            {"metadata": {"name": "agent-sa", "namespace": "elsewhere"}},
        ]))
        .unwrap();
        let cases = [
            ("default exists", "missing-sa", "default", None),
            (
                "real cluster: agent-sa missing (TRUTH.md message)",
                "missing-sa",
                "agent-sa",
                Some(
                    "error looking up service account missing-sa/agent-sa: serviceaccount \"agent-sa\" not found",
                ),
            ),
            (
                "no default in a namespace without accounts",
                "new",
                "default",
                Some(
                    "error looking up service account new/default: serviceaccount \"default\" not found",
                ),
            ),
        ];
        for (name, ns, sa, want) in cases {
            assert_eq!(refusal(&accounts, ns, sa).as_deref(), want, "{name}");
        }
    }
}
