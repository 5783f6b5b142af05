//! Loads cluster state from files as users produce them with kubectl (`kubectl get ... -o yaml|json`,
//! `kubectl get --raw ...`): one file, a directory of them, or stdin, into a `Snapshot`.
//! Owns format detection, parsing, error locations and de-duplication; no network, no clock, no diagnosis.
//!
//! Items are deserialized straight from the text into k8s-openapi types: a list or document is walked key by
//! key, and only the few keys that come before `kind` (kubectl sorts keys, so `apiVersion`, and for Events
//! `action`, `count`, `involvedObject`...) are buffered as JSON values. Dumps run to gigabytes on clusters of
//! thousands of nodes: JSON is parsed while it is read, and pods no DaemonSet controls are kept slim
//! (`read_pod`). Figures: bench/RESULTS.md.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use k8s_openapi::Metadata;
use k8s_openapi::api::core::v1::Event as CoreEvent;
use k8s_openapi::api::core::v1::{
    Container, ContainerPort, ContainerStatus, Pod, PodCondition, PodSpec, PodStatus,
    ResourceRequirements,
};
use k8s_openapi::api::events::v1::Event as EventsV1Event;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, MapDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::MessageFormatter;

use crate::snapshot::{NodePodsCoverage, Snapshot};
use crate::source::events;

/// How stdin is named in messages.
const STDIN: &str = "<stdin>";

/// What to run when there is nothing to read.
const DUMP_HINT: &str = "save the output of `kubectl get nodes,pods,daemonsets,events,controllerrevisions -A -o yaml` \
     to a file, or pass a directory of .json/.yaml/.yml files";

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("reading {path}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{}: {message}", Located(path, *line, *column))]
    Parse {
        path: String,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    /// An object of a kind we read (Node, Pod, ...) that does not fit that kind's schema.
    #[error("{path}: {kind} {name}: {message}")]
    Object {
        path: String,
        kind: String,
        name: String,
        message: String,
    },
    #[error("{path}: nothing to read: {DUMP_HINT}")]
    NoInput { path: String },
}

/// `path:line:column`, dropping the parts that are unknown.
struct Located<'a>(&'a str, Option<usize>, Option<usize>);

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)?;
        if let Some(line) = self.1 {
            write!(f, ":{line}")?;
            if let Some(column) = self.2 {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

/// `path` is a file, a directory (every *.json, *.yaml, *.yml inside, recursively, sorted by path), or "-" for `stdin`.
pub fn load(path: &Path, stdin: &mut dyn Read) -> Result<Snapshot, FileError> {
    // A dump holds every pod of the cluster, and says nothing about whether events were readable.
    let mut snapshot = Snapshot {
        node_pods: NodePodsCoverage::All,
        events_unavailable: None,
        ..Snapshot::default()
    };
    // An empty file in a directory (a redirect whose kubectl failed) adds nothing; only an input with nothing
    // in it at all is an error.
    let mut any_text = false;
    let origin = if path.as_os_str() == "-" {
        any_text |= read_input(stdin, None, STDIN, &mut snapshot)?;
        STDIN.to_string()
    } else if fs::metadata(path).map_err(io_error(path))?.is_dir() {
        let mut files = Vec::new();
        collect_files(path, &mut files)?;
        files.sort();
        for file in &files {
            let (mut input, size) = open(file)?;
            any_text |= read_input(&mut input, size, &file.display().to_string(), &mut snapshot)?;
        }
        path.display().to_string()
    } else {
        let origin = path.display().to_string();
        let (mut input, size) = open(path)?;
        any_text |= read_input(&mut input, size, &origin, &mut snapshot)?;
        origin
    };
    if !any_text {
        return Err(FileError::NoInput { path: origin });
    }
    Ok(snapshot)
}

/// Reads one input into `acc`, as `parse_into` does; says whether it held anything but whitespace.
/// JSON (what users of big clusters are told to write) is read a piece at a time (`parse_json_pieces`), so a
/// dump of thousands of nodes (2 GB for 5,000) is never held whole; YAML is split into documents, so it is
/// read whole. `size`: the input's length when known, to read YAML into one allocation.
fn read_input(
    input: &mut dyn Read,
    size: Option<u64>,
    origin: &str,
    acc: &mut Snapshot,
) -> Result<bool, FileError> {
    let io = |source| FileError::Io {
        path: origin.to_string(),
        source,
    };
    let mut input = BufReader::with_capacity(1 << 20, input);
    let head = input.fill_buf().map_err(io)?;
    let bom = head.starts_with("\u{feff}".as_bytes());
    let body = if bom { &head[3..] } else { head };
    // Same test as `parse_into`; an input whose first buffer is all whitespace goes the text way.
    if let Some(b'{' | b'[') = body.iter().find(|b| !b.is_ascii_whitespace()) {
        if bom {
            input.consume(3);
        }
        let mut reader = Reader::default();
        parse_json_pieces(&mut input, origin, &mut reader)?;
        merge(acc, reader.found);
        return Ok(true);
    }
    let mut text = String::new();
    text.try_reserve(size.unwrap_or(0) as usize)
        .map_err(|e| io(std::io::Error::other(e)))?;
    input.read_to_string(&mut text).map_err(io)?;
    parse_into(&text, origin, acc)?;
    Ok(!text.trim().is_empty())
}

/// Parses one document text (JSON or YAML, possibly multi-document) from `origin` (for messages) into `acc`.
/// Objects already in `acc` (same uid, or same namespace/name when there is no uid) are not added again.
/// On error `acc` is left unchanged.
pub fn parse_into(text: &str, origin: &str, acc: &mut Snapshot) -> Result<(), FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::default();
    match text.trim_start().chars().next() {
        None => {}
        Some('{' | '[') => parse_json(
            serde_json::Deserializer::from_str(text),
            origin,
            &mut reader,
        )?,
        Some(_) => parse_yaml(text, origin, &mut reader)?,
    }
    merge(acc, reader.found);
    Ok(())
}

/// The file and its length.
fn open(path: &Path) -> Result<(fs::File, Option<u64>), FileError> {
    let file = fs::File::open(path).map_err(io_error(path))?;
    let size = file.metadata().ok().map(|m| m.len());
    Ok((file, size))
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> FileError + '_ {
    move |source| FileError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Every .json/.yaml/.yml file under `dir`. Hidden entries (`.git`, editor files) are skipped, and symlinked
/// directories are not entered, so a link cycle cannot loop.
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), FileError> {
    for entry in fs::read_dir(dir).map_err(io_error(dir))? {
        let entry = entry.map_err(io_error(dir))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let file_type = entry.file_type().map_err(io_error(&path))?;
        if file_type.is_dir() {
            collect_files(&path, out)?;
        } else if has_dump_extension(&path)
            && (file_type.is_file() || fs::metadata(&path).is_ok_and(|m| m.is_file()))
        {
            out.push(path);
        }
    }
    Ok(())
}

fn has_dump_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["json", "yaml", "yml"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

// ---------------------------------------------------------------------------------------------------------
// Formats

fn parse_json<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    origin: &str,
    reader: &mut Reader,
) -> Result<(), FileError> {
    let result = DocSeed {
        reader: &mut *reader,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    result.map_err(|e| json_error(e, |line, column| (line, column), origin, reader))
}

/// A serde_json error as a `FileError`; `at` turns its line and column into the input's.
fn json_error(
    e: serde_json::Error,
    at: impl Fn(usize, usize) -> (usize, usize),
    origin: &str,
    reader: &mut Reader,
) -> FileError {
    if e.is_io() {
        return FileError::Io {
            path: origin.to_string(),
            source: e.into(),
        };
    }
    let (line, column) = match e.line() {
        0 => (None, None),
        line => {
            let (line, column) = at(line, e.column());
            (Some(line), Some(column))
        }
    };
    // serde_json appends the position to its message; we print it in front instead.
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let mut message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    if message == "trailing characters" {
        message.push_str(
            " after the first JSON value: write several objects as one `kind: List`, or one file each",
        );
    }
    let syntax = !matches!(e.classify(), serde_json::error::Category::Data);
    reader.error(origin, line, column, message, syntax)
}

// ---------------------------------------------------------------------------------------------------------
// JSON a piece at a time

/// Reads a JSON document whose items are cut out one at a time: each item of the top-level list (or element
/// of a bare array) is copied out of the input and parsed from memory on its own, as `read_object` would
/// parse it in place; the rest of the document (its envelope: `apiVersion`, `kind`, `metadata`, or a whole
/// single object) is kept as text with the items elided (`"items":[]`) and parsed last, the ordinary way.
/// Memory stays at one item of text however big the list, and in-memory parsing keeps serde_json's speed
/// (its reader-based parsing takes bytes one at a time: 2.4x slower on a 2 GB dump, bench/RESULTS.md).
/// Objects, messages and positions are the same as parsing the whole text with `parse_json`.
fn parse_json_pieces(
    input: &mut dyn BufRead,
    origin: &str,
    reader: &mut Reader,
) -> Result<(), FileError> {
    let mut scan = Scanner {
        input,
        origin,
        line: 1,
        column: 0,
    };
    let io = |source| FileError::Io {
        path: origin.to_string(),
        source,
    };
    let mut envelope = Vec::new();
    let mut elisions: Vec<Elision> = Vec::new();
    let mut kindless: Vec<(usize, Prefix)> = Vec::new();
    let (mut kind, mut api_version): (Option<String>, Option<String>) = (None, None);
    let mut value = Vec::new();
    scan.skip_whitespace(Some(&mut envelope)).map_err(io)?;
    match scan.peek().map_err(io)? {
        Some(b'[') => {
            scan.take(1, Some(&mut envelope)).map_err(io)?;
            // `jq .items`: each element must name its kind, as `DocSeed::visit_seq` reads them.
            scan.items(&mut envelope, &mut elisions, |item, at, index| {
                parse_piece(item, at, ItemsMode::Discover, index, origin, reader).map(drop)
            })?;
        }
        Some(b'{') => {
            scan.take(1, Some(&mut envelope)).map_err(io)?;
            scan.skip_whitespace(Some(&mut envelope)).map_err(io)?;
            if scan.peek().map_err(io)? == Some(b'}') {
                scan.take(1, Some(&mut envelope)).map_err(io)?;
            } else {
                loop {
                    if scan.peek().map_err(io)? != Some(b'"') {
                        return Err(match scan.peek().map_err(io)? {
                            None => scan.syntax("EOF while parsing an object", false),
                            Some(_) => scan.syntax("key must be a string", true),
                        });
                    }
                    value.clear();
                    scan.value(&mut value).map_err(io)?;
                    envelope.extend_from_slice(&value);
                    let key: Option<String> = serde_json::from_slice(&value).ok();
                    scan.skip_whitespace(Some(&mut envelope)).map_err(io)?;
                    match scan.peek().map_err(io)? {
                        Some(b':') => scan.take(1, Some(&mut envelope)).map_err(io)?,
                        None => return Err(scan.syntax("EOF while parsing an object", false)),
                        Some(_) => return Err(scan.syntax("expected `:`", true)),
                    }
                    scan.skip_whitespace(Some(&mut envelope)).map_err(io)?;
                    let next = scan.peek().map_err(io)?;
                    match key.as_deref() {
                        // Mirrors `read_object`: the mode is decided by what came before `items`.
                        Some("items") if next == Some(b'[') => {
                            let mode = match route(kind.as_deref(), api_version.as_deref(), false) {
                                Route::List(Some(k)) => ItemsMode::Typed(k),
                                Route::List(None) | Route::Undecided => ItemsMode::Discover,
                                Route::Object(_) | Route::Skip => ItemsMode::Skip,
                            };
                            scan.take(1, Some(&mut envelope)).map_err(io)?;
                            kindless.clear();
                            scan.items(&mut envelope, &mut elisions, |item, at, index| {
                                if let Some(prefix) =
                                    parse_piece(item, at, mode, index, origin, reader)?
                                {
                                    kindless.push((index, prefix));
                                }
                                Ok(())
                            })?;
                        }
                        _ => {
                            value.clear();
                            scan.value(&mut value).map_err(io)?;
                            envelope.extend_from_slice(&value);
                            // A wrong type is reported when the envelope is parsed.
                            match key.as_deref() {
                                Some("kind") => {
                                    kind = serde_json::from_slice(&value).unwrap_or(None)
                                }
                                Some("apiVersion") => {
                                    api_version = serde_json::from_slice(&value).unwrap_or(None)
                                }
                                _ => {}
                            }
                        }
                    }
                    scan.skip_whitespace(Some(&mut envelope)).map_err(io)?;
                    match scan.peek().map_err(io)? {
                        Some(b',') => {
                            scan.take(1, Some(&mut envelope)).map_err(io)?;
                            scan.skip_whitespace(Some(&mut envelope)).map_err(io)?;
                        }
                        Some(b'}') => {
                            scan.take(1, Some(&mut envelope)).map_err(io)?;
                            break;
                        }
                        None => return Err(scan.syntax("EOF while parsing an object", false)),
                        Some(_) => return Err(scan.syntax("expected `,` or `}`", true)),
                    }
                }
            }
        }
        // Unreachable: the caller looked.
        _ => {}
    }
    // What follows the document: one byte is enough for serde_json to report trailing characters.
    scan.skip_whitespace(Some(&mut envelope)).map_err(io)?;
    if scan.peek().map_err(io)?.is_some() {
        scan.take(1, Some(&mut envelope)).map_err(io)?;
    }
    // Items that named no kind, once the list's own kind is known: as `read_object` does at its end.
    if let Route::List(Some(k)) = route(kind.as_deref(), api_version.as_deref(), true) {
        for (index, prefix) in kindless {
            read_typed(
                k,
                prefix,
                no_more_keys::<serde_json::Error>(),
                reader,
                Place::Item(index),
            )
            .map_err(|e| json_error(e, |l, c| (l, c), origin, reader))?;
        }
    }
    let mut de = serde_json::Deserializer::from_slice(&envelope);
    DocSeed {
        reader: &mut *reader,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end())
    .map_err(|e| json_error(e, |l, c| unelide(&elisions, l, c), origin, reader))
}

/// Parses one item cut out of a list; `at`: the input's line and (0-based) column of its first byte.
fn parse_piece(
    item: &[u8],
    at: (usize, usize),
    mode: ItemsMode,
    index: usize,
    origin: &str,
    reader: &mut Reader,
) -> Result<Option<Prefix>, FileError> {
    let mut de = serde_json::Deserializer::from_slice(item);
    let seed = ItemSeed {
        reader: &mut *reader,
        mode,
        index,
    };
    seed.deserialize(&mut de)
        .and_then(|found| de.end().map(|()| found))
        .map_err(|e| {
            let position = |line: usize, column: usize| match line {
                1 => (at.0, at.1 + column),
                _ => (at.0 + line - 1, column),
            };
            json_error(e, position, origin, reader)
        })
}

/// Where the envelope's `[]` stands for a list's items: the line and 0-based column of its `]` in the
/// envelope, and of the real `]` in the input.
struct Elision {
    envelope: (usize, usize),
    input: (usize, usize),
}

/// An envelope position (line, 1-based column) as a position in the input.
fn unelide(elisions: &[Elision], line: usize, column: usize) -> (usize, usize) {
    match elisions
        .iter()
        .rev()
        .find(|e| (line, column.saturating_sub(1)) >= e.envelope)
    {
        Some(e) if line == e.envelope.0 => (e.input.0, e.input.1 + column - e.envelope.1),
        Some(e) => (e.input.0 + line - e.envelope.0, column),
        None => (line, column),
    }
}

/// The bytes `Scanner::value` stops at: in a string, its end or an escape; in a nested value, strings and
/// brackets; at the top level, also what ends a number or literal.
const IN_STRING: [bool; 256] = byte_set(b"\"\\");
const NESTED: [bool; 256] = byte_set(b"\"{}[]");
const AT_TOP: [bool; 256] = byte_set(b"\"{}[],: \t\n\r");

/// Counts in u8 over short chunks, which the compiler turns into wide compares (a plain `filter().count()`
/// was a third of the scanning time).
fn count_newlines(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'))))
        .sum()
}

const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        set[bytes[i] as usize] = true;
        i += 1;
    }
    set
}

/// Bytes of a JSON input, with the line and 0-based column of the next one.
struct Scanner<'i> {
    input: &'i mut dyn BufRead,
    origin: &'i str,
    line: usize,
    column: usize,
}

impl Scanner<'_> {
    fn io(&self, source: std::io::Error) -> FileError {
        FileError::Io {
            path: self.origin.to_string(),
            source,
        }
    }

    /// A syntax error found while scanning, placed where serde_json places it: at the offending byte
    /// (`at_next`), or at the last byte read.
    fn syntax(&self, message: &str, at_next: bool) -> FileError {
        FileError::Parse {
            path: self.origin.to_string(),
            line: Some(self.line),
            column: Some(self.column + usize::from(at_next)),
            message: message.to_string(),
        }
    }

    fn peek(&mut self) -> std::io::Result<Option<u8>> {
        Ok(self.input.fill_buf()?.first().copied())
    }

    /// Moves past the next `n` buffered bytes (`n` ≤ what `peek`/`fill_buf` showed), copying them to `out`.
    fn take(&mut self, n: usize, out: Option<&mut Vec<u8>>) -> std::io::Result<()> {
        let buf = self.input.fill_buf()?;
        let n = n.min(buf.len());
        let bytes = &buf[..n];
        match bytes.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.line += count_newlines(bytes);
                self.column = n - last - 1;
            }
            None => self.column += n,
        }
        if let Some(out) = out {
            out.extend_from_slice(bytes);
        }
        self.input.consume(n);
        Ok(())
    }

    fn skip_whitespace(&mut self, mut out: Option<&mut Vec<u8>>) -> std::io::Result<()> {
        loop {
            let buf = self.input.fill_buf()?;
            let n = buf
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(buf.len());
            if n == 0 {
                return Ok(());
            }
            self.take(n, out.as_deref_mut())?;
        }
    }

    /// Copies the next JSON value to `out` as it stands. Only strings and brackets are followed to find its
    /// end; its syntax is checked when it is parsed (a value cut short by the end of input included).
    fn value(&mut self, out: &mut Vec<u8>) -> std::io::Result<()> {
        let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
        loop {
            let buf = self.input.fill_buf()?;
            let n = buf.len();
            if n == 0 {
                return Ok(());
            }
            // An escape split across two buffers: its second byte is this buffer's first.
            let mut i = usize::from(escaped);
            escaped = false;
            let end = loop {
                if in_string {
                    while i < n && !IN_STRING[usize::from(buf[i])] {
                        i += 1;
                    }
                    if i == n {
                        break None;
                    }
                    if buf[i] == b'\\' {
                        i += 2;
                        if i > n {
                            escaped = true;
                            break None;
                        }
                        continue;
                    }
                    in_string = false;
                    i += 1;
                    if depth == 0 {
                        break Some(i);
                    }
                    continue;
                }
                let wanted = if depth == 0 { &AT_TOP } else { &NESTED };
                while i < n && !wanted[usize::from(buf[i])] {
                    i += 1;
                }
                if i == n {
                    break None;
                }
                match buf[i] {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    // Closes the value, or (depth 0) ends a number or literal before it.
                    b'}' | b']' if depth <= 1 => break Some(i + depth),
                    b'}' | b']' => depth -= 1,
                    // A delimiter after a number or literal.
                    _ => break Some(i),
                }
                i += 1;
            };
            self.take(end.unwrap_or(n), Some(out))?;
            if end.is_some() {
                return Ok(());
            }
        }
    }

    /// Reads a list's items after its `[`, handing each to `each` with its position and index, and puts a
    /// `]` in the envelope in their place.
    fn items(
        &mut self,
        envelope: &mut Vec<u8>,
        elisions: &mut Vec<Elision>,
        mut each: impl FnMut(&[u8], (usize, usize), usize) -> Result<(), FileError>,
    ) -> Result<(), FileError> {
        let mut item = Vec::new();
        let mut index = 0;
        self.skip_whitespace(None).map_err(|e| self.io(e))?;
        loop {
            match self.peek().map_err(|e| self.io(e))? {
                Some(b']') if index == 0 => break,
                None => return Err(self.syntax("EOF while parsing a list", false)),
                Some(_) => {}
            }
            let at = (self.line, self.column);
            item.clear();
            self.value(&mut item).map_err(|e| self.io(e))?;
            each(&item, at, index)?;
            index += 1;
            self.skip_whitespace(None).map_err(|e| self.io(e))?;
            match self.peek().map_err(|e| self.io(e))? {
                Some(b',') => {
                    self.take(1, None).map_err(|e| self.io(e))?;
                    self.skip_whitespace(None).map_err(|e| self.io(e))?;
                }
                Some(b']') => break,
                None => return Err(self.syntax("EOF while parsing a list", false)),
                Some(_) => return Err(self.syntax("expected `,` or `]`", true)),
            }
        }
        let lines = count_newlines(envelope);
        let column = envelope.len()
            - envelope
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
        elisions.push(Elision {
            envelope: (lines + 1, column),
            input: (self.line, self.column),
        });
        self.take(1, Some(envelope)).map_err(|e| self.io(e))
    }
}

fn yaml_options() -> serde_saphyr::Options {
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

fn parse_yaml(text: &str, origin: &str, reader: &mut Reader) -> Result<(), FileError> {
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

fn original_yaml_error(mut e: &serde_saphyr::Error) -> &serde_saphyr::Error {
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
fn is_yaml_data_error(e: &serde_saphyr::Error) -> bool {
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
fn root_position(doc: &YamlDoc<'_>) -> (usize, usize) {
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
struct YamlDoc<'t> {
    text: &'t str,
    first_line: usize,
}

/// Splits a YAML stream at its document markers, so each document can be read with our own seed
/// (serde-saphyr reads a stream only into plain `Deserialize` types).
/// Splitting on lines is exact: YAML forbids `---` and `...` at the start of a line inside any content,
/// block scalars and quoted strings included (YAML 1.2 spec, 9.1.2 "c-forbidden").
fn split_yaml_documents(text: &str) -> Vec<YamlDoc<'_>> {
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

fn is_marker(line: &str, marker: &str) -> bool {
    line.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

// ---------------------------------------------------------------------------------------------------------
// Kinds

/// The objects a snapshot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Node,
    Pod,
    DaemonSet,
    ControllerRevision,
    CoreEvent,
    EventsV1Event,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Node => "Node",
            Kind::Pod => "Pod",
            Kind::DaemonSet => "DaemonSet",
            Kind::ControllerRevision => "ControllerRevision",
            Kind::CoreEvent | Kind::EventsV1Event => "Event",
        }
    }
}

/// What a `kind`/`apiVersion` pair tells us to do with a map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Object(Kind),
    /// A list: `kind: List` (`None`; items carry their own kind) or a typed `NodeList`... (items carry none).
    List(Option<Kind>),
    /// Namespace, Status, ResourceQuotaList...: not needed.
    Skip,
    /// Not known yet: no `kind`, or one of ours without `apiVersion` (Event means two different schemas).
    Undecided,
}

/// `complete`: every key of the map was seen, so a missing `apiVersion` means the kind's usual one.
fn route(kind: Option<&str>, api_version: Option<&str>, complete: bool) -> Route {
    let Some(kind) = kind else {
        return Route::Undecided;
    };
    if kind == "List" {
        return Route::List(None);
    }
    let (item, is_list) = match kind.strip_suffix("List") {
        Some(item) => (item, true),
        None => (kind, false),
    };
    let usual = match item {
        "Node" | "Pod" | "Event" => "v1",
        "DaemonSet" | "ControllerRevision" => "apps/v1",
        _ => return Route::Skip,
    };
    let api_version = match api_version {
        Some(v) => v,
        None if complete => usual,
        None => return Route::Undecided,
    };
    let wanted = match (item, api_version) {
        ("Node", "v1") => Kind::Node,
        ("Pod", "v1") => Kind::Pod,
        ("DaemonSet", "apps/v1") => Kind::DaemonSet,
        ("ControllerRevision", "apps/v1") => Kind::ControllerRevision,
        ("Event", "v1") => Kind::CoreEvent,
        ("Event", "events.k8s.io/v1") => Kind::EventsV1Event,
        // Same kind name in another group (or a long-gone version): not what we read.
        _ => return Route::Skip,
    };
    if is_list {
        Route::List(Some(wanted))
    } else {
        Route::Object(wanted)
    }
}

// ---------------------------------------------------------------------------------------------------------
// Reading

/// What one parse produced, and which object failed if it stopped on one.
#[derive(Default)]
struct Reader {
    found: Snapshot,
    failure: Option<Failure>,
}

/// The object being read when deserialization failed.
struct Failure {
    kind: Kind,
    name: String,
    /// Its top-level field being read (`spec`, `status`, ...).
    field: Option<String>,
    /// The field came from the buffered prefix, so the parser's position is not where the error is.
    buffered: bool,
}

impl Reader {
    fn error(
        &mut self,
        origin: &str,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
        syntax: bool,
    ) -> FileError {
        match self.failure.take() {
            Some(f) if !syntax => {
                let mut message = match f.field {
                    Some(field) => format!("{field}: {message}"),
                    None => message,
                };
                if let (false, Some(line), Some(column)) = (f.buffered, line, column) {
                    message.push_str(&format!(" (line {line}, column {column})"));
                }
                FileError::Object {
                    path: origin.to_string(),
                    kind: f.kind.name().to_string(),
                    name: f.name,
                    message,
                }
            }
            _ => FileError::Parse {
                path: origin.to_string(),
                line,
                column,
                message,
            },
        }
    }
}

/// Where a map sits, to name an object whose metadata was not read.
#[derive(Debug, Clone, Copy)]
enum Place {
    Document,
    Item(usize),
}

/// A document's root: an object, a list, a bare array of objects, or nothing (an empty YAML document).
struct DocSeed<'r> {
    reader: &'r mut Reader,
}

impl<'de> DeserializeSeed<'de> for DocSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Kubernetes object or list, as printed by `kubectl get -o yaml` or `-o json`")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        read_object(map, self.reader, Place::Document).map(drop)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        // A bare array (`jq .items`): each element must name its kind.
        ItemsSeed {
            reader: self.reader,
            mode: ItemsMode::Discover,
        }
        .visit_seq(seq)
        .map(drop)
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// A map's keys read before we knew its kind.
type Prefix = Vec<(String, Value)>;

/// Reads a map whose kind is not known in advance: a document, or an item of a `List`.
/// Returns the item's fields when it names no kind (a `NodeList` whose `kind` comes after `items`, as in
/// key-sorted YAML), for the enclosing list to decide once its own kind is known.
fn read_object<'de, A: MapAccess<'de>>(
    mut map: A,
    reader: &mut Reader,
    place: Place,
) -> Result<Option<Prefix>, A::Error> {
    let mut kind: Option<String> = None;
    let mut api_version: Option<String> = None;
    let mut prefix: Prefix = Vec::new();
    let mut kindless_items: Vec<(usize, Prefix)> = Vec::new();
    while let Some(key) = map.next_key::<String>()? {
        match key.as_str() {
            "kind" => kind = map.next_value()?,
            "apiVersion" => api_version = map.next_value()?,
            // No kind we read has a top-level `items`: this is a list (possibly a List nested in a List).
            "items" => {
                let mode = match route(kind.as_deref(), api_version.as_deref(), false) {
                    Route::List(Some(k)) => ItemsMode::Typed(k),
                    Route::List(None) | Route::Undecided => ItemsMode::Discover,
                    // Unreachable: either returned below as soon as it was known.
                    Route::Object(_) | Route::Skip => ItemsMode::Skip,
                };
                kindless_items = map.next_value_seed(ItemsSeed {
                    reader: &mut *reader,
                    mode,
                })?;
                continue;
            }
            _ => {
                prefix.push((key, map.next_value()?));
                continue;
            }
        }
        // `kind` or `apiVersion` changed: stream the rest straight into the object, or skip it.
        match route(kind.as_deref(), api_version.as_deref(), false) {
            Route::Object(k) => {
                read_typed(k, prefix, map, reader, place)?;
                return Ok(None);
            }
            Route::Skip => {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                return Ok(None);
            }
            Route::List(_) | Route::Undecided => {}
        }
    }
    match route(kind.as_deref(), api_version.as_deref(), true) {
        Route::Object(k) => read_typed(k, prefix, no_more_keys::<A::Error>(), reader, place)?,
        Route::List(Some(k)) => {
            for (index, item) in kindless_items {
                read_typed(
                    k,
                    item,
                    no_more_keys::<A::Error>(),
                    reader,
                    Place::Item(index),
                )?;
            }
        }
        // Items of a `List` that name no kind, or a document that is no object at all (`/version`).
        Route::List(None) | Route::Skip => {}
        Route::Undecided => {
            if let Place::Item(_) = place {
                return Ok(Some(prefix));
            }
        }
    }
    Ok(None)
}

fn no_more_keys<E: de::Error>() -> MapDeserializer<'static, std::iter::Empty<(String, String)>, E> {
    MapDeserializer::new(std::iter::empty())
}

#[derive(Clone, Copy)]
enum ItemsMode {
    /// Items of a typed list (`NodeList`): all of that kind.
    Typed(Kind),
    /// Items of a `List`, or of a list whose kind is not known yet.
    Discover,
    Skip,
}

/// A list's `items`; yields the items that named no kind, with their index.
struct ItemsSeed<'r> {
    reader: &'r mut Reader,
    mode: ItemsMode,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_> {
    type Value = Vec<(usize, Prefix)>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_> {
    type Value = Vec<(usize, Prefix)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of Kubernetes objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut kindless = Vec::new();
        let mut index = 0;
        while let Some(item) = seq.next_element_seed(ItemSeed {
            reader: &mut *self.reader,
            mode: self.mode,
            index,
        })? {
            if let Some(prefix) = item {
                kindless.push((index, prefix));
            }
            index += 1;
        }
        Ok(kindless)
    }

    // `items: null` is how some clients write an empty list.
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
}

struct ItemSeed<'r> {
    reader: &'r mut Reader,
    mode: ItemsMode,
    index: usize,
}

impl<'de> DeserializeSeed<'de> for ItemSeed<'_> {
    /// The item's fields when it named no kind.
    type Value = Option<Prefix>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        match self.mode {
            ItemsMode::Skip => IgnoredAny::deserialize(d).map(|_| None),
            ItemsMode::Typed(_) | ItemsMode::Discover => d.deserialize_map(self),
        }
    }
}

impl<'de> Visitor<'de> for ItemSeed<'_> {
    type Value = Option<Prefix>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Kubernetes object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let place = Place::Item(self.index);
        match self.mode {
            ItemsMode::Typed(kind) => {
                read_typed(kind, Vec::new(), map, self.reader, place).map(|()| None)
            }
            ItemsMode::Discover | ItemsMode::Skip => read_object(map, self.reader, place),
        }
    }
}

/// Reads one object of a known kind from its buffered `prefix` then the rest of `map`, into the snapshot.
fn read_typed<'de, A: MapAccess<'de>>(
    kind: Kind,
    prefix: Prefix,
    map: A,
    reader: &mut Reader,
    place: Place,
) -> Result<(), A::Error> {
    let failure = &mut reader.failure;
    let found = &mut reader.found;
    match kind {
        Kind::Node => found
            .nodes
            .push(read_as(kind, prefix, map, place, failure)?),
        Kind::Pod => found.pods.push(read_pod(prefix, map, place, failure)?),
        Kind::DaemonSet => found
            .daemonsets
            .push(read_as(kind, prefix, map, place, failure)?),
        Kind::ControllerRevision => found
            .revisions
            .push(read_as(kind, prefix, map, place, failure)?),
        Kind::CoreEvent => {
            let ev: CoreEvent = read_as(kind, prefix, map, place, failure)?;
            found.events.push(events::from_core(&ev));
        }
        Kind::EventsV1Event => {
            let ev: EventsV1Event = read_as(kind, prefix, map, place, failure)?;
            found.events.push(events::from_events_v1(&ev));
        }
    }
    Ok(())
}

fn read_as<'de, T, A>(
    kind: Kind,
    prefix: Prefix,
    map: A,
    place: Place,
    failure: &mut Option<Failure>,
) -> Result<T, A::Error>
where
    T: Deserialize<'de> + Metadata<Ty = ObjectMeta>,
    A: MapAccess<'de>,
{
    let mut seen = Seen::default();
    let access = ItemAccess {
        prefix: prefix.into_iter(),
        pending: None,
        rest: map,
        rest_done: false,
        seen: &mut seen,
    };
    match T::deserialize(MapAccessDeserializer::new(access)) {
        Ok(mut obj) => {
            if let Some(meta) = seen.metadata {
                *obj.metadata_mut() = meta;
            }
            Ok(obj)
        }
        Err(e) => {
            *failure = Some(Failure {
                kind,
                name: seen.name(place),
                field: seen.field,
                buffered: seen.buffered,
            });
            Err(e)
        }
    }
}

/// Reads a Pod like `read_as`, but keeps a pod no DaemonSet controls only as the load it puts on its node.
/// A dump holds every pod of the cluster (~30 per node, ~150k on 5,000 nodes); the engine reads the others
/// only to sum requests and host ports on a node where a daemon pod waits to be scheduled. Read whole, they
/// were most of the load time and memory. kubectl prints `metadata` before `spec` and `status`, so those are
/// usually read straight into the slim shape; in any other order the pod is read whole, then trimmed.
fn read_pod<'de, A: MapAccess<'de>>(
    prefix: Prefix,
    map: A,
    place: Place,
    failure: &mut Option<Failure>,
) -> Result<Pod, A::Error> {
    let mut seen = Seen::default();
    let result = read_pod_fields(&mut ItemAccess {
        prefix: prefix.into_iter(),
        pending: None,
        rest: map,
        rest_done: false,
        seen: &mut seen,
    });
    match result {
        Ok(mut pod) => {
            if let Some(meta) = seen.metadata {
                pod.metadata = meta;
            }
            // Never read by the engine; present in `kubectl get --raw` dumps, and large.
            pod.metadata.managed_fields = None;
            if !is_daemon_pod(&pod.metadata) {
                slim_pod(&mut pod);
            } else if let Some(spec) = &mut pod.spec {
                spec.volumes = None;
            }
            Ok(pod)
        }
        Err(e) => {
            *failure = Some(Failure {
                kind: Kind::Pod,
                name: seen.name(place),
                field: seen.field,
                buffered: seen.buffered,
            });
            Err(e)
        }
    }
}

/// The fields of a Pod, as k8s-openapi's own `Deserialize` for Pod reads them (same checks on `apiVersion`
/// and `kind`, unknown keys ignored), with `spec` and `status` read slim once `metadata` says no DaemonSet
/// controls the pod.
fn read_pod_fields<'de, A: MapAccess<'de>>(
    access: &mut ItemAccess<'_, A>,
) -> Result<Pod, A::Error> {
    fn expect<E: de::Error>(value: String, wanted: &'static str) -> Result<(), E> {
        if value == wanted {
            Ok(())
        } else {
            Err(de::Error::invalid_value(
                de::Unexpected::Str(&value),
                &wanted,
            ))
        }
    }
    let mut pod = Pod::default();
    while let Some(key) = access.next_key::<String>()? {
        let slim = access
            .seen
            .metadata
            .as_ref()
            .is_some_and(|m| !is_daemon_pod(m));
        match key.as_str() {
            "apiVersion" => expect(access.next_value()?, "v1")?,
            "kind" => expect(access.next_value()?, "Pod")?,
            "spec" if slim => pod.spec = access.next_value::<Option<SlimSpec>>()?.map(Into::into),
            "spec" if access.seen.metadata.is_some() => {
                pod.spec = access.next_value_seed(DaemonPodSpec)?
            }
            "spec" => pod.spec = access.next_value()?,
            "status" if slim => {
                pod.status = access.next_value::<Option<SlimStatus>>()?.map(Into::into)
            }
            "status" => pod.status = access.next_value()?,
            _ => {
                access.next_value::<IgnoredAny>()?;
            }
        }
    }
    Ok(pod)
}

/// A daemon pod's spec without `spec.volumes`, skipped unread: no check kubectl-ds makes reads volumes (the
/// scheduler's volume plugins are not modelled, diagnose/verdict.rs), and k8s-openapi's `Volume` takes 3 KB
/// however little it holds: volumes were 13% of the load time. A check that needs them must read them here.
struct DaemonPodSpec;

impl<'de> DeserializeSeed<'de> for DaemonPodSpec {
    type Value = Option<PodSpec>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for DaemonPodSpec {
    type Value = Option<PodSpec>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PodSpec")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        PodSpec::deserialize(MapAccessDeserializer::new(WithoutVolumes(map))).map(Some)
    }
}

/// A PodSpec's keys without `volumes`.
struct WithoutVolumes<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WithoutVolumes<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        while let Some(key) = self.0.next_key::<String>()? {
            if key == "volumes" {
                self.0.next_value::<IgnoredAny>()?;
                continue;
            }
            return seed
                .deserialize(StrDeserializer::<A::Error>::new(&key))
                .map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.0.next_value_seed(seed)
    }
}

/// A pod the DaemonSet controller may count as its own: one it controls, or an orphan (no controller
/// at all) that it adopts when the labels match (cluster.rs claims pods the same way). Pods controlled
/// by anything else can never become a DaemonSet's, so they are kept slim.
fn is_daemon_pod(meta: &ObjectMeta) -> bool {
    let mut controllers = meta
        .owner_references
        .iter()
        .flatten()
        .filter(|o| o.controller == Some(true));
    match controllers.next() {
        None => true,
        Some(o) => o.kind == "DaemonSet",
    }
}

/// Trims a pod no DaemonSet controls to what the scheduler counts against its node: identity and owner,
/// `spec.nodeName` and `status.phase` (whether it counts, resources::counts_on_node), requests with their
/// in-place resize state (resources::pod_requests) and host ports (host_ports::host_ports).
/// Gives the same pod whether it was read whole or through `SlimSpec`/`SlimStatus`.
fn slim_pod(pod: &mut Pod) {
    pod.metadata.labels = None;
    pod.metadata.annotations = None;
    pod.spec = pod.spec.take().map(|s| {
        let containers = |list: Vec<Container>| list.into_iter().map(slim_container).collect();
        PodSpec {
            containers: containers(s.containers),
            init_containers: s.init_containers.map(containers),
            overhead: s.overhead,
            resources: s.resources,
            host_network: s.host_network,
            node_name: s.node_name,
            ..PodSpec::default()
        }
    });
    pod.status = pod.status.take().map(|s| {
        let statuses = |list: Vec<ContainerStatus>| {
            list.into_iter()
                .map(|c| ContainerStatus {
                    name: c.name,
                    allocated_resources: c.allocated_resources,
                    resources: c.resources,
                    ..ContainerStatus::default()
                })
                .collect()
        };
        PodStatus {
            phase: s.phase,
            conditions: s.conditions.map(resize_conditions),
            container_statuses: s.container_statuses.map(statuses),
            init_container_statuses: s.init_container_statuses.map(statuses),
            allocated_resources: s.allocated_resources,
            resources: s.resources,
            ..PodStatus::default()
        }
    });
}

fn slim_container(c: Container) -> Container {
    Container {
        name: c.name,
        resources: c.resources,
        ports: c.ports,
        restart_policy: c.restart_policy,
        ..Container::default()
    }
}

/// Only the in-place resize conditions bear on a pod's requests (resources::is_resize_infeasible); of them,
/// what `SlimCondition` reads.
fn resize_conditions(list: Vec<PodCondition>) -> Vec<PodCondition> {
    list.into_iter()
        .filter(|c| c.type_.starts_with("PodResize"))
        .map(|c| PodCondition {
            type_: c.type_,
            status: c.status,
            reason: c.reason,
            message: c.message,
            ..PodCondition::default()
        })
        .collect()
}

/// `spec` of a pod no DaemonSet controls: the fields `slim_pod` keeps, everything else skipped unread.
/// Fields are optional with k8s-openapi's defaults (a missing `containers` is empty, a missing name "").
#[derive(Deserialize)]
#[serde(rename = "PodSpec", rename_all = "camelCase")]
struct SlimSpec {
    containers: Option<Vec<SlimContainer>>,
    init_containers: Option<Vec<SlimContainer>>,
    overhead: Option<BTreeMap<String, Quantity>>,
    resources: Option<ResourceRequirements>,
    host_network: Option<bool>,
    node_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename = "Container", rename_all = "camelCase")]
struct SlimContainer {
    name: Option<String>,
    resources: Option<ResourceRequirements>,
    ports: Option<Vec<ContainerPort>>,
    restart_policy: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename = "PodStatus", rename_all = "camelCase")]
struct SlimStatus {
    phase: Option<String>,
    conditions: Option<Vec<SlimCondition>>,
    container_statuses: Option<Vec<SlimContainerStatus>>,
    init_container_statuses: Option<Vec<SlimContainerStatus>>,
    allocated_resources: Option<BTreeMap<String, Quantity>>,
    resources: Option<ResourceRequirements>,
}

/// Of a condition, what tells a resize state; its times are not parsed.
#[derive(Deserialize)]
#[serde(rename = "PodCondition")]
struct SlimCondition {
    #[serde(rename = "type")]
    type_: Option<String>,
    status: Option<String>,
    reason: Option<String>,
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename = "ContainerStatus", rename_all = "camelCase")]
struct SlimContainerStatus {
    name: Option<String>,
    allocated_resources: Option<BTreeMap<String, Quantity>>,
    resources: Option<ResourceRequirements>,
}

impl From<SlimSpec> for PodSpec {
    fn from(s: SlimSpec) -> Self {
        let containers = |list: Vec<SlimContainer>| {
            list.into_iter()
                .map(|c| Container {
                    name: c.name.unwrap_or_default(),
                    resources: c.resources,
                    ports: c.ports,
                    restart_policy: c.restart_policy,
                    ..Container::default()
                })
                .collect()
        };
        PodSpec {
            containers: s.containers.map(containers).unwrap_or_default(),
            init_containers: s.init_containers.map(containers),
            overhead: s.overhead,
            resources: s.resources,
            host_network: s.host_network,
            node_name: s.node_name,
            ..PodSpec::default()
        }
    }
}

impl From<SlimStatus> for PodStatus {
    fn from(s: SlimStatus) -> Self {
        let statuses = |list: Vec<SlimContainerStatus>| {
            list.into_iter()
                .map(|c| ContainerStatus {
                    name: c.name.unwrap_or_default(),
                    allocated_resources: c.allocated_resources,
                    resources: c.resources,
                    ..ContainerStatus::default()
                })
                .collect()
        };
        let conditions = |list: Vec<SlimCondition>| {
            list.into_iter()
                .map(|c| PodCondition {
                    type_: c.type_.unwrap_or_default(),
                    status: c.status.unwrap_or_default(),
                    reason: c.reason,
                    message: c.message,
                    ..PodCondition::default()
                })
                .collect()
        };
        PodStatus {
            phase: s.phase,
            conditions: s.conditions.map(conditions).map(resize_conditions),
            container_statuses: s.container_statuses.map(statuses),
            init_container_statuses: s.init_container_statuses.map(statuses),
            allocated_resources: s.allocated_resources,
            resources: s.resources,
            ..PodStatus::default()
        }
    }
}

/// What `ItemAccess` saw of the object it fed.
#[derive(Default)]
struct Seen {
    metadata: Option<ObjectMeta>,
    field: Option<String>,
    buffered: bool,
}

impl Seen {
    fn name(&self, place: Place) -> String {
        match self
            .metadata
            .as_ref()
            .and_then(|m| m.name.as_ref().map(|n| (m, n)))
        {
            Some((m, name)) => match m.namespace.as_deref() {
                Some(ns) if !ns.is_empty() => format!("{ns}/{name}"),
                _ => name.clone(),
            },
            None => match place {
                Place::Item(index) => format!("items[{index}]"),
                Place::Document => "(name not read)".into(),
            },
        }
    }
}

/// Feeds an object's fields to its k8s-openapi type: first the rest of the map, then the buffered prefix
/// (field order does not matter to the type; this way `metadata`, which kubectl sorts after an Event's
/// buffered fields, is known when one of those fails).
/// `metadata` is read here rather than by the type, so that an error further on can name the object;
/// the caller puts it back.
struct ItemAccess<'s, A> {
    prefix: std::vec::IntoIter<(String, Value)>,
    /// The value of the prefix key last handed out.
    pending: Option<Value>,
    rest: A,
    /// `rest` has no more keys (a `MapAccess` must not be asked again after saying so).
    rest_done: bool,
    seen: &'s mut Seen,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for ItemAccess<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let streamed = match self.rest_done {
                true => None,
                false => self.rest.next_key::<String>()?,
            };
            let key = match streamed {
                Some(key) => {
                    self.seen.buffered = false;
                    key
                }
                None => {
                    self.rest_done = true;
                    match self.prefix.next() {
                        Some((key, value)) => {
                            self.pending = Some(value);
                            self.seen.buffered = true;
                            key
                        }
                        None => {
                            // An error now (a missing field) is about the whole object.
                            self.seen.field = None;
                            return Ok(None);
                        }
                    }
                }
            };
            if key == "metadata" {
                self.seen.field = Some(key);
                let meta = match self.pending.take() {
                    Some(v) => ObjectMeta::deserialize(v).map_err(de::Error::custom)?,
                    None => self.rest.next_value()?,
                };
                self.seen.metadata = Some(meta);
                continue;
            }
            let field = seed.deserialize(StrDeserializer::<A::Error>::new(&key))?;
            self.seen.field = Some(key);
            return Ok(Some(field));
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        match self.pending.take() {
            Some(v) => seed.deserialize(v).map_err(de::Error::custom),
            None => self.rest.next_value_seed(seed),
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// De-duplication

/// Identity of an object across files: its uid, else its namespace and name.
#[derive(PartialEq, Eq, Hash)]
enum ObjectKey {
    Uid(String),
    Name(String, String),
}

fn object_key(meta: &ObjectMeta) -> Option<ObjectKey> {
    match (&meta.uid, &meta.name) {
        (Some(uid), _) if !uid.is_empty() => Some(ObjectKey::Uid(uid.clone())),
        (_, Some(name)) if !name.is_empty() => Some(ObjectKey::Name(
            meta.namespace.clone().unwrap_or_default(),
            name.clone(),
        )),
        _ => None,
    }
}

/// Appends `found` to `acc`, keeping the first copy of any object seen twice (a node in two files,
/// the same events read through both event APIs).
fn merge(acc: &mut Snapshot, found: Snapshot) {
    append_new(&mut acc.nodes, found.nodes);
    append_new(&mut acc.pods, found.pods);
    append_new(&mut acc.daemonsets, found.daemonsets);
    append_new(&mut acc.revisions, found.revisions);
    acc.events.extend(found.events);
    events::dedup(&mut acc.events);
}

fn append_new<T: Metadata<Ty = ObjectMeta>>(acc: &mut Vec<T>, mut found: Vec<T>) {
    let mut seen: HashSet<ObjectKey> = acc
        .iter()
        .filter_map(|o| object_key(o.metadata()))
        .collect();
    found.retain(|obj| match object_key(obj.metadata()) {
        Some(key) => seen.insert(key),
        None => true,
    });
    // The usual case, one dump: take the vector as it is rather than move 150k pods one by one.
    if acc.is_empty() {
        *acc = found;
    } else {
        acc.append(&mut found);
    }
}

#[cfg(test)]
mod tests;
