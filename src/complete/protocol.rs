//! kubectl's plugin completion protocol (cobra's): the candidates, one a line with an optional
//! tab-separated description, then the `:<directive>` line. Formats only; decides nothing.

// Mirrors github.com/spf13/cobra/completions.go (ShellCompDirective): a bit set printed as `:<n>` after the
// candidates. kubectl reads it back in staging/src/k8s.io/kubectl/pkg/cmd/plugin/plugin_completion.go
// (getPluginCompletions) and hands it to its own shell scripts.
/// Let the shell do its default (file) completion when nothing else matches.
pub const DIRECTIVE_DEFAULT: u32 = 0;
/// Never fall back to file names: the word is not a path.
pub const DIRECTIVE_NO_FILE_COMP: u32 = 4;

/// One answer: candidates (each `value` or `value<TAB>description`) and the directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub candidates: Vec<Candidate>,
    pub directive: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub description: Option<String>,
}

impl Completion {
    /// The protocol's text: one candidate per line, then `:<directive>`.
    pub fn to_protocol(&self) -> String {
        let mut s = String::new();
        for c in &self.candidates {
            s.push_str(&one_line(&c.value));
            if let Some(d) = c
                .description
                .as_deref()
                .map(one_line)
                .filter(|d| !d.is_empty())
            {
                s.push('\t');
                s.push_str(&d);
            }
            s.push('\n');
        }
        s.push_str(&format!(":{}\n", self.directive));
        s
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_text_is_one_line_per_candidate_then_the_directive() {
        let c = Completion {
            candidates: vec![
                Candidate {
                    value: "why".into(),
                    description: Some("Show, node\nby node".into()),
                },
                Candidate {
                    value: "fluentd".into(),
                    description: None,
                },
            ],
            directive: DIRECTIVE_NO_FILE_COMP,
        };
        assert_eq!(c.to_protocol(), "why\tShow, node by node\nfluentd\n:4\n");
    }
}
