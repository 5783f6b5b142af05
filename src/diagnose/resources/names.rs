//! Which resource names the scheduler accounts for besides cpu, memory, ephemeral-storage and
//! pods: extended resources, hugepages, prefixed native resources. Names only; no amounts.

use super::HUGEPAGES_PREFIX;

// Mirrors k8s.io/apimachinery/pkg/util/validation/validation.go (IsDNS1123Subdomain).
fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
            !b.is_empty()
                && b.first().is_some_and(alnum)
                && b.last().is_some_and(alnum)
                && b.iter().all(|c| alnum(c) || *c == b'-')
        })
}

// Mirrors k8s.io/apimachinery/pkg/util/validation/validation.go (IsQualifiedName).
fn is_qualified_name(s: &str) -> bool {
    let parts: Vec<&str> = s.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] if is_dns1123_subdomain(prefix) => *name,
        _ => return false,
    };
    let b = name.as_bytes();
    let alnum = |c: &u8| c.is_ascii_alphanumeric();
    !b.is_empty()
        && b.len() <= 63
        && b.first().is_some_and(alnum)
        && b.last().is_some_and(alnum)
        && b.iter()
            .all(|c| alnum(c) || matches!(c, b'-' | b'_' | b'.'))
}

// Mirrors pkg/apis/core/v1/helper/helpers.go (IsExtendedResourceName, IsNativeResource,
// IsPrefixedNativeResource).
fn is_prefixed_native_resource(name: &str) -> bool {
    name.contains("kubernetes.io/")
}

fn is_extended_resource_name(name: &str) -> bool {
    let native = !name.contains('/') || is_prefixed_native_resource(name);
    !native && !name.starts_with("requests.") && is_qualified_name(&format!("requests.{name}"))
}

// Mirrors pkg/scheduler/util/utils.go (IsScalarResourceName): the only names besides cpu, memory,
// ephemeral-storage and pods that the scheduler accounts for; anything else is ignored.
pub(super) fn is_scalar_resource_name(name: &str) -> bool {
    is_extended_resource_name(name)
        || name.starts_with(HUGEPAGES_PREFIX)
        || is_prefixed_native_resource(name)
        || name.starts_with("attachable-volumes-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_resource_names_follow_the_scheduler() {
        let cases: &[(&str, &str, bool)] = &[
            ("extended", "example.com/aaa", true),
            ("gpu", "nvidia.com/gpu", true),
            ("kubernetes.io prefixed", "kubernetes.io/something", true),
            (
                "subdomain kubernetes.io",
                "subdomain.kubernetes.io/something",
                true,
            ),
            ("hugepages", "hugepages-2Mi", true),
            ("attachable volumes", "attachable-volumes-aws-ebs", true),
            ("unprefixed non-standard name", "storage", false),
            ("cpu is not scalar", "cpu", false),
            ("invalid prefix", "Example.com/aaa", false),
            ("requests prefix", "requests.example.com/aaa", false),
        ];
        for (name, resource, want) in cases {
            assert_eq!(is_scalar_resource_name(resource), *want, "case {name}");
        }
    }
}
