//! Label selectors as kubectl spells them on the command line (`-l app=a,tier!=b,env in (x,y),!legacy`),
//! parsed into kube's `Selector` so matching follows kube-core's (and the API server's) rules.

use std::collections::BTreeMap;

use kube::core::{Expression, Selector, SelectorExt};

/// Parses kubectl's selector syntax. Mirrors k8s.io/apimachinery/pkg/labels/selector.go (Parse) for
/// the operators users type: `=`, `==`, `!=`, `in`, `notin`, `key` (exists), `!key` (does not exist).
pub fn parse(input: &str) -> Result<Selector, String> {
    let mut exprs = Vec::new();
    for part in split_top_level(input) {
        let part = part.trim();
        if part.is_empty() {
            return Err(format!("empty requirement in {input:?}"));
        }
        exprs.push(requirement(part)?);
    }
    Ok(exprs.into_iter().collect())
}

pub fn matches(selector: &Selector, labels: Option<&BTreeMap<String, String>>) -> bool {
    let empty = BTreeMap::new();
    selector.matches(labels.unwrap_or(&empty))
}

fn requirement(part: &str) -> Result<Expression, String> {
    if let Some(key) = part.strip_prefix('!') {
        return Ok(Expression::DoesNotExist(key_of(key)?));
    }
    if let Some((k, v)) = part.split_once("!=") {
        return Ok(Expression::NotEqual(key_of(k)?, value_of(v)?));
    }
    if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
        return Ok(Expression::Equal(key_of(k)?, value_of(v)?));
    }
    let words: Vec<&str> = part.splitn(2, char::is_whitespace).collect();
    if let [key, rest] = words[..] {
        let rest = rest.trim_start();
        let (set, list) = if let Some(l) = rest.strip_prefix("notin") {
            (false, l)
        } else if let Some(l) = rest.strip_prefix("in") {
            (true, l)
        } else {
            return Err(format!(
                "unknown operator in {part:?}: use =, ==, !=, in, notin"
            ));
        };
        let list = list
            .trim()
            .strip_prefix('(')
            .and_then(|l| l.strip_suffix(')'))
            .ok_or_else(|| format!("expected a parenthesised value list in {part:?}"))?;
        let values = list.split(',').map(value_of).collect::<Result<_, _>>()?;
        let key = key_of(key)?;
        return Ok(if set {
            Expression::In(key, values)
        } else {
            Expression::NotIn(key, values)
        });
    }
    Ok(Expression::Exists(key_of(part)?))
}

fn key_of(k: &str) -> Result<String, String> {
    let k = k.trim();
    let valid = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c));
    if valid {
        Ok(k.to_string())
    } else {
        Err(format!("invalid label key {k:?}"))
    }
}

fn value_of(v: &str) -> Result<String, String> {
    let v = v.trim();
    let valid = v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if valid {
        Ok(v.to_string())
    } else {
        Err(format!("invalid label value {v:?}"))
    }
}

/// Splits on commas outside parentheses (`a=b,env in (x,y)` is two requirements).
fn split_top_level(input: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in input.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&input[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&input[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn selector_cases() {
        let l = labels(&[
            ("app", "agent"),
            ("tier", "node"),
            ("app.kubernetes.io/part-of", "monitoring"),
        ]);
        let cases = [
            ("equality matches", "app=agent", true),
            ("double equals", "app==agent", true),
            ("inequality", "app!=agent", false),
            ("inequality on absent key matches", "team!=x", true),
            ("in set", "tier in (node, edge)", true),
            ("notin set", "tier notin (node)", false),
            ("exists", "app", true),
            ("does not exist", "!legacy", true),
            ("prefixed key", "app.kubernetes.io/part-of=monitoring", true),
            ("all must match", "app=agent,tier=edge", false),
            (
                "set with commas then more",
                "tier in (a,node),app=agent",
                true,
            ),
        ];
        for (name, sel, want) in cases {
            let s = parse(sel).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(matches(&s, Some(&l)), want, "{name}");
        }
    }

    #[test]
    fn malformed_selectors_are_rejected() {
        for bad in [
            "",
            "a=b,",
            "tier in node",
            "tier between (a)",
            "a b=c",
            "=x",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} must be rejected");
        }
    }
}
