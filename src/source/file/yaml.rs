//! YAML dumps: multi-document splitting with line offsets, serde-saphyr limits raised for big dumps,
//! and error positions mapped back to the whole file.

use super::*;

pub(crate) fn yaml_options() -> serde_saphyr::Options {
    // The default budget is for config files; a cluster dump has millions of YAML nodes and parser events.
    // Alias and anchor limits stay, so an alias bomb is still refused.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = usize::MAX;
    budget.max_nodes = usize::MAX;
    budget.max_total_scalar_bytes = usize::MAX;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.with_snippet = false;
    options.emit_comments = false;
    options
}

/// Reads a YAML stream through the JSON path (`parse_json_pieces`), each document transcoded by yaml_json.rs;
/// None when a document is outside that subset or fails to read, for `parse_yaml` to read it all again.
pub(super) fn parse_yaml_as_json(text: &str, origin: &str) -> Option<Reader> {
    let mut reader = Reader::default();
    for doc in split_yaml_documents(text) {
        if doc.text.trim().is_empty() {
            continue;
        }
        if !yaml_doc_as_json(doc.text, origin, &mut reader) {
            tracing::debug!(
                "{origin}: YAML document at line {} is not in the subset kubectl prints: \
                 read with serde-saphyr",
                doc.first_line
            );
            return None;
        }
    }
    Some(reader)
}

/// Below this size a document is transcoded whole, then read; above, transcoding (on its own thread) and
/// reading overlap, and the JSON is never whole in memory.
const OVERLAP_FROM: usize = 1 << 20;
const PIECE: usize = 1 << 18;

fn yaml_doc_as_json(text: &str, origin: &str, reader: &mut Reader) -> bool {
    if text.len() < OVERLAP_FROM {
        let mut json = Vec::new();
        let transcoded = yaml_json::transcode(text, usize::MAX, &mut |piece| {
            json.extend_from_slice(&piece);
            true
        });
        return transcoded == Ok(true) && parse_json_pieces(&mut &json[..], origin, reader).is_ok();
    }
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(4);
    std::thread::scope(|scope| {
        let transcoder = scope
            .spawn(move || yaml_json::transcode(text, PIECE, &mut |piece| tx.send(piece).is_ok()));
        let mut input = Pieces {
            rx,
            piece: Vec::new(),
            at: 0,
        };
        let read = parse_json_pieces(&mut input, origin, reader).is_ok();
        // Stops the transcoder if reading stopped first.
        drop(input);
        let transcoded = transcoder.join().is_ok_and(|t| t == Ok(true));
        read && transcoded
    })
}

/// The transcoder's JSON as it comes; its end (or the transcoder giving up) is the end of input.
struct Pieces {
    rx: std::sync::mpsc::Receiver<Vec<u8>>,
    piece: Vec<u8>,
    at: usize,
}

impl Read for Pieces {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Pieces {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        while self.at == self.piece.len() {
            match self.rx.recv() {
                Ok(piece) => (self.piece, self.at) = (piece, 0),
                Err(_) => return Ok(&[]),
            }
        }
        Ok(&self.piece[self.at..])
    }

    fn consume(&mut self, n: usize) {
        self.at += n;
    }
}

pub(super) fn parse_yaml(text: &str, origin: &str, reader: &mut Reader) -> Result<(), FileError> {
    let options = yaml_options();
    for doc in split_yaml_documents(text) {
        if doc.text.trim().is_empty() {
            continue;
        }
        let result = serde_saphyr::with_deserializer_from_str_with_options(
            doc.text,
            options.clone(),
            |de| {
                DocSeed {
                    reader: &mut *reader,
                }
                .deserialize(de)
            },
        );
        if let Err(e) = result {
            let e = original_yaml_error(&e);
            let location = e.location();
            let line = location.map(|l| doc.first_line + l.line() as usize - 1);
            let column = location.map(|l| l.column() as usize);
            let message = match e {
                // The stock text is a bare "invalid i32".
                serde_saphyr::Error::InvalidScalar { ty, .. } => {
                    format!("expected a value of type {ty}")
                }
                // The stock text ends in a Rust debug dump of the limit (`RecordedAnchorEvents { .. }`).
                serde_saphyr::Error::Budget { .. } => "too many anchors, aliases or nested levels \
                    (an alias bomb?): kubectl never writes anchors or aliases"
                    .to_string(),
                _ => serde_saphyr::UserMessageFormatter
                    .format_message(e)
                    .chars()
                    .map(|c| if c.is_control() { ' ' } else { c })
                    .collect(),
            };
            let syntax = !is_yaml_data_error(e);
            let mut err = reader.error(origin, line, column, message, syntax);
            // An error our own visitor raises at the document root carries no position: point at the root.
            if let FileError::Parse {
                line: line @ None,
                column,
                ..
            } = &mut err
            {
                let (l, c) = root_position(&doc);
                (*line, *column) = (Some(l), Some(c));
            }
            return Err(err);
        }
    }
    Ok(())
}

pub(crate) fn original_yaml_error(mut e: &serde_saphyr::Error) -> &serde_saphyr::Error {
    loop {
        match e {
            serde_saphyr::Error::WithSnippet { error, .. }
            | serde_saphyr::Error::AliasError { error, .. } => e = error,
            _ => return e,
        }
    }
}

/// Whether a YAML error is about a value not fitting its type (an object's fault), rather than the text
/// not being YAML.
pub(super) fn is_yaml_data_error(e: &serde_saphyr::Error) -> bool {
    use serde_saphyr::Error as E;
    matches!(
        e,
        E::Message { .. }
            | E::Unexpected { .. }
            | E::InvalidScalar { .. }
            | E::NonFiniteFloat { .. }
            | E::SerdeInvalidType { .. }
            | E::SerdeInvalidValue { .. }
            | E::SerdeInvalidLength { .. }
            | E::SerdeUnknownVariant { .. }
            | E::SerdeUnknownField { .. }
            | E::SerdeMissingField { .. }
            | E::SerdeVariantId { .. }
            | E::NullIntoString { .. }
            | E::InvalidBooleanStrict { .. }
            | E::InvalidCharNull { .. }
            | E::InvalidCharNotSingleScalar { .. }
            | E::BytesNotSupportedMissingBinaryTag { .. }
            | E::UnexpectedValueForUnit { .. }
            | E::ExpectedEmptyMappingForUnitStruct { .. }
    )
}

/// Line and column of a document's root node: its first line that is not blank, a comment, a directive or a
/// bare `---`.
pub(super) fn root_position(doc: &YamlDoc<'_>) -> (usize, usize) {
    for (i, line) in doc.text.lines().enumerate() {
        let (body, base) = match line.strip_prefix("---") {
            Some(rest) if is_marker(line, "---") => (rest, 3),
            _ => (line, 0),
        };
        let content = body.trim_start();
        if content.is_empty() || content.starts_with('#') || (base == 0 && line.starts_with('%')) {
            continue;
        }
        return (doc.first_line + i, base + body.len() - content.len() + 1);
    }
    (doc.first_line, 1)
}

/// One YAML document of a stream, and the line of the whole text it starts on.
#[derive(Debug, PartialEq)]
pub(crate) struct YamlDoc<'t> {
    pub(crate) text: &'t str,
    pub(crate) first_line: usize,
}

/// Splits a YAML stream at its document markers, so each document can be read with our own seed
/// (serde-saphyr reads a stream only into plain `Deserialize` types).
/// Splitting on lines is exact: YAML forbids `---` and `...` at the start of a line inside any content,
/// block scalars and quoted strings included (YAML 1.2 spec, 9.1.2 "c-forbidden").
pub(crate) fn split_yaml_documents(text: &str) -> Vec<YamlDoc<'_>> {
    let mut docs = Vec::new();
    let (mut start, mut start_line) = (0, 1);
    // Whether the current piece holds anything besides blank lines, comments and directives: a `---` after
    // only those opens the same document.
    let mut has_content = false;
    let (mut offset, mut line_no) = (0, 1);
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if is_marker(bare, "---") {
            if has_content {
                docs.push(YamlDoc {
                    text: &text[start..offset],
                    first_line: start_line,
                });
                (start, start_line) = (offset, line_no);
            }
            has_content = true;
        } else if is_marker(bare, "...") {
            let end = offset + line.len();
            docs.push(YamlDoc {
                text: &text[start..end],
                first_line: start_line,
            });
            (start, start_line) = (end, line_no + 1);
            has_content = false;
        } else if !has_content {
            let t = bare.trim_start();
            has_content = !(t.is_empty() || t.starts_with('#') || bare.starts_with('%'));
        }
        offset += line.len();
        line_no += 1;
    }
    if start < text.len() {
        docs.push(YamlDoc {
            text: &text[start..],
            first_line: start_line,
        });
    }
    docs
}

pub(super) fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

// ---------------------------------------------------------------------------------------------------------
// Kinds
