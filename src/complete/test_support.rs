//! Fixtures for the completion tests: the words a user typed. Test-only.

pub(super) fn words(s: &[&str]) -> Vec<String> {
    s.iter().map(|w| w.to_string()).collect()
}
