//! Streaming JSON: cuts each item of a big List out of the input and parses it alone, so a dump of
//! gigabytes never sits in memory whole; positions in messages stay those of the whole file.

use super::*;

/// Reads a JSON document whose items are cut out one at a time: each item of the top-level list (or element
/// of a bare array) is copied out of the input and parsed from memory on its own, as `read_object` would
/// parse it in place; the rest of the document (its envelope: `apiVersion`, `kind`, `metadata`, or a whole
/// single object) is kept as text with the items elided (`"items":[]`) and parsed last, the ordinary way.
/// Memory stays at one item of text however big the list, and in-memory parsing keeps serde_json's speed
/// (its reader-based parsing takes bytes one at a time: 2.4x slower on a 2 GB dump, bench/RESULTS.md).
/// Objects, messages and positions are the same as parsing the whole text with `parse_json`.
pub(super) fn parse_json_pieces(
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
                                Route::List(Some(k)) => {
                                    mark_read(&mut reader.found, k);
                                    ItemsMode::Typed(k)
                                }
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
        mark_read(&mut reader.found, k);
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
pub(super) fn parse_piece(
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
pub(super) struct Elision {
    envelope: (usize, usize),
    input: (usize, usize),
}

/// An envelope position (line, 1-based column) as a position in the input.
pub(super) fn unelide(elisions: &[Elision], line: usize, column: usize) -> (usize, usize) {
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
pub(super) const IN_STRING: [bool; 256] = byte_set(b"\"\\");
pub(super) const NESTED: [bool; 256] = byte_set(b"\"{}[]");
pub(super) const AT_TOP: [bool; 256] = byte_set(b"\"{}[],: \t\n\r");

/// Counts in u8 over short chunks, which the compiler turns into wide compares (a plain `filter().count()`
/// was a third of the scanning time).
pub(super) fn count_newlines(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'))))
        .sum()
}

pub(super) const fn byte_set(bytes: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        set[bytes[i] as usize] = true;
        i += 1;
    }
    set
}

/// The most one piece (an item, or the document around the items) may hold: JSON is read a piece at a
/// time so that memory stays bounded, and an endless value from a pipe must not undo that.
const PIECE_CAP: usize = 256 << 20;

/// Bytes of a JSON input, with the line and 0-based column of the next one.
pub(super) struct Scanner<'i> {
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
        let over = out.is_some_and(|out| {
            out.extend_from_slice(bytes);
            out.len() > PIECE_CAP
        });
        self.input.consume(n);
        if over {
            return Err(std::io::Error::other(format!(
                "a single JSON value of more than {} MiB (the API server stores no object over 1.5 MiB): \
                 not `kubectl get -o json` output",
                PIECE_CAP >> 20
            )));
        }
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
