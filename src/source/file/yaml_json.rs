//! The YAML kubectl prints, transcoded to JSON for the fast JSON path (serde-saphyr reads ~9x slower).
//!
//! Only a subset is transcoded: block maps and sequences, plain, single- and double-quoted scalars (also
//! over several lines), literal block scalars, `{}`, `[]`, comments. A plain scalar becomes a JSON null,
//! bool or number only where it is unambiguous (`null`, `true`, `false`, decimal integers); any other plain
//! scalar that serde-saphyr could read as something else than a string (`~`, `yes`, `0x1F`, `1e3`, `.inf`,
//! `007`...), anything outside the subset (anchors, aliases, tags, flow collections, folded scalars,
//! directives), duplicate keys, odd characters and anything that is not valid YAML make the whole text go
//! back to serde-saphyr (`Unsupported`): objects, messages and line:column positions then stay exactly
//! theirs.

/// The document is not in the subset: read it with serde-saphyr.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Unsupported;

type R<T = ()> = Result<T, Unsupported>;

#[cfg(test)]
thread_local! {
    /// Where the transcoder last gave up, for tests to say why.
    pub(super) static GAVE_UP: std::cell::Cell<Option<&'static std::panic::Location<'static>>> =
        const { std::cell::Cell::new(None) };
}

#[track_caller]
fn no() -> Unsupported {
    #[cfg(test)]
    GAVE_UP.set(Some(std::panic::Location::caller()));
    Unsupported
}

/// Transcodes one YAML document (no `---` inside but an optional first marker line) into JSON, handing the
/// JSON to `sink` in pieces of about `piece` bytes (`sink` returns false to stop). Returns whether the
/// document held a node (a document of only comments holds none, and sends nothing).
pub(super) fn transcode(
    text: &str,
    piece: usize,
    sink: &mut dyn FnMut(Vec<u8>) -> bool,
) -> R<bool> {
    let src = text.as_bytes();
    check_characters(src)?;
    let mut t = Transcoder {
        src,
        pos: 0,
        indent: None,
        out: Vec::with_capacity(piece.min(1 << 20) + 1024),
        piece,
        sink,
        scratch: Vec::new(),
        keys: Vec::new(),
        key_ends: Vec::new(),
    };
    t.start()?;
    let Some(indent) = t.indent else {
        return Ok(false);
    };
    t.node_at(indent, -1, true)?;
    if t.indent.is_some() {
        return Err(no());
    }
    let out = std::mem::take(&mut t.out);
    if !out.is_empty() && !(t.sink)(out) {
        return Err(no());
    }
    Ok(true)
}

/// Refuses control characters (but tab and line feed, so also `\r`), DEL, C1 controls (NEL is a YAML 1.1
/// line break), byte order marks, U+2028/U+2029 and the non-characters U+FFFE/U+FFFF: YAML treats them
/// apart, serde-saphyr decides.
fn check_characters(src: &[u8]) -> R {
    let mut i = 0;
    while i < src.len() {
        let b = src[i];
        if b < 0x80 {
            if (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f {
                return Err(no());
            }
            i += 1;
            continue;
        }
        match (b, src.get(i + 1), src.get(i + 2)) {
            (0xc2, Some(0x80..=0x9f), _)
            | (0xef, Some(0xbb), Some(0xbf))
            | (0xef, Some(0xbf), Some(0xbe | 0xbf))
            | (0xe2, Some(0x80), Some(0xa8 | 0xa9)) => return Err(no()),
            _ => i += 1,
        }
    }
    Ok(())
}

struct Transcoder<'a, 's> {
    src: &'a [u8],
    /// At the first content byte of the current line once a node is done (`indent` is its column), or
    /// inside a line while a node is read.
    pos: usize,
    /// Indentation of the current content line; None at the end of the document.
    indent: Option<usize>,
    out: Vec<u8>,
    piece: usize,
    sink: &'s mut dyn FnMut(Vec<u8>) -> bool,
    /// A scalar being decoded.
    scratch: Vec<u8>,
    /// The keys of the maps being read, innermost last (duplicates are serde-saphyr's to refuse).
    keys: Vec<u8>,
    key_ends: Vec<usize>,
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

impl Transcoder<'_, '_> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn at(&self, i: usize) -> Option<u8> {
        self.src.get(i).copied()
    }

    fn line_end(&self, from: usize) -> usize {
        self.src[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.src.len(), |i| from + i)
    }

    /// Hands a piece of JSON over once enough has accumulated.
    fn flush(&mut self) -> R {
        if self.out.len() >= self.piece {
            let cap = self.out.capacity();
            let out = std::mem::replace(&mut self.out, Vec::with_capacity(cap));
            if !(self.sink)(out) {
                return Err(no());
            }
        }
        Ok(())
    }

    /// Skips what precedes the root node: blank and comment lines and one `---` marker line.
    fn start(&mut self) -> R {
        let mut marker = false;
        loop {
            let end = self.line_end(self.pos);
            let line = &self.src[self.pos..end];
            if line.first() == Some(&b'%') {
                return Err(no());
            }
            if !marker && is_comment_or_blank(line) && end < self.src.len() {
                self.pos = end + 1;
                continue;
            }
            if !marker && line.starts_with(b"---") {
                let rest = &line[3..];
                if !rest.is_empty() && !is_blank(rest[0]) {
                    return Err(no());
                }
                if !is_comment_or_blank(rest) {
                    return Err(no());
                }
                marker = true;
                self.pos = (end + 1).min(self.src.len());
                if end >= self.src.len() {
                    self.indent = None;
                    return Ok(());
                }
                continue;
            }
            return self.next_content_line();
        }
    }

    /// From the start of a line, moves to the first content byte of the next line holding content.
    fn next_content_line(&mut self) -> R {
        loop {
            if self.pos >= self.src.len() {
                self.indent = None;
                return Ok(());
            }
            let start = self.pos;
            let end = self.line_end(start);
            let line = &self.src[start..end];
            let spaces = line.iter().take_while(|&&b| b == b' ').count();
            let rest = &line[spaces..];
            if rest.first() == Some(&b'\t') {
                // Tabs in indentation: YAML refuses them, or treats them as separation; not ours.
                return Err(no());
            }
            if rest.is_empty() || rest[0] == b'#' {
                self.pos = end + 1;
                continue;
            }
            if spaces == 0
                && (line.starts_with(b"---") || line.starts_with(b"..."))
                && line.get(3).is_none_or(|&b| is_blank(b))
            {
                if line.starts_with(b"...") && is_comment_or_blank(&line[3..]) {
                    // The end marker: only comments may follow.
                    self.pos = end + 1;
                    loop {
                        if self.pos >= self.src.len() {
                            self.indent = None;
                            return Ok(());
                        }
                        let end = self.line_end(self.pos);
                        if !is_comment_or_blank(&self.src[self.pos..end]) {
                            return Err(no());
                        }
                        self.pos = end + 1;
                    }
                }
                return Err(no());
            }
            self.pos = start + spaces;
            self.indent = Some(spaces);
            return Ok(());
        }
    }

    /// After a scalar on a line: only blanks and a comment may follow; then on to the next content line.
    fn end_of_line(&mut self) -> R {
        let end = self.line_end(self.pos);
        let rest = &self.src[self.pos..end];
        let blanks = rest.iter().take_while(|&&b| is_blank(b)).count();
        match rest.get(blanks) {
            None => {}
            Some(b'#') if blanks > 0 => {}
            Some(_) => return Err(no()),
        }
        self.pos = end + 1;
        self.next_content_line()
    }

    /// A block node whose first content byte is at `pos`, in column `col`; `parent` is the indentation of
    /// the collection holding it (-1 for the root). `own_line`: the node starts its line (not after `- `).
    fn node_at(&mut self, col: usize, parent: isize, own_line: bool) -> R {
        let b = self.src[self.pos];
        let next = self.at(self.pos + 1);
        if b == b'-' && next.is_none_or(|c| c == b' ' || c == b'\n') {
            return self.sequence(col);
        }
        if self.starts_key()? {
            return self.mapping(col);
        }
        if own_line && parent < 0 {
            // A bare scalar document: not a kubectl dump.
            return Err(no());
        }
        self.scalar_value(parent)
    }

    /// Whether the current line, from `pos`, holds a mapping key (`key:` then a blank or the line's end).
    fn starts_key(&mut self) -> R<bool> {
        let end = self.line_end(self.pos);
        let line = &self.src[self.pos..end];
        match line[0] {
            b'"' | b'\'' => {
                let save = (self.pos, self.scratch.len());
                let quoted = self.quoted_on_line(end);
                self.pos = save.0;
                self.scratch.truncate(save.1);
                let Some(after) = quoted? else {
                    return Ok(false);
                };
                let rest = &self.src[after..end];
                let blanks = rest.iter().take_while(|&&b| is_blank(b)).count();
                Ok(rest.get(blanks) == Some(&b':')
                    && rest.get(blanks + 1).is_none_or(|&b| is_blank(b)))
            }
            _ => Ok(key_end(line).is_some()),
        }
    }

    fn sequence(&mut self, col: usize) -> R {
        self.out.push(b'[');
        let mut first = true;
        loop {
            if !first {
                self.out.push(b',');
            }
            first = false;
            // At `-`, followed by a blank or the line's end.
            self.pos += 1;
            self.value_after_indicator(col, false)?;
            self.flush()?;
            match self.indent {
                Some(i) if i == col && self.is_entry() => continue,
                Some(i) if i > col => return Err(no()),
                _ => break,
            }
        }
        self.out.push(b']');
        Ok(())
    }

    fn is_entry(&self) -> bool {
        self.peek() == Some(b'-')
            && self
                .at(self.pos + 1)
                .is_none_or(|c| c == b' ' || c == b'\n')
    }

    fn mapping(&mut self, col: usize) -> R {
        self.out.push(b'{');
        let (keys_from, ends_from) = (self.keys.len(), self.key_ends.len());
        let mut first = true;
        loop {
            if !first {
                self.out.push(b',');
            }
            first = false;
            self.key()?;
            let mut start = keys_from;
            for &end in &self.key_ends[ends_from..] {
                if self.keys[start..end] == self.scratch[..] {
                    return Err(no());
                }
                start = end;
            }
            self.keys.extend_from_slice(&self.scratch);
            self.key_ends.push(self.keys.len());
            let key = std::mem::take(&mut self.scratch);
            write_json_string(&mut self.out, &key);
            self.scratch = key;
            self.out.push(b':');
            self.value_after_indicator(col, true)?;
            match self.indent {
                Some(i) if i == col => {
                    if self.is_entry() {
                        return Err(no());
                    }
                }
                Some(i) if i > col => return Err(no()),
                _ => break,
            }
        }
        self.keys.truncate(keys_from);
        self.key_ends.truncate(ends_from);
        self.out.push(b'}');
        Ok(())
    }

    /// Decodes a key into `scratch` and moves past its `:`.
    fn key(&mut self) -> R {
        let end = self.line_end(self.pos);
        self.scratch.clear();
        match self.src[self.pos] {
            b'"' | b'\'' => {
                let after = self.quoted_on_line(end)?.ok_or(Unsupported)?;
                let blanks = self.src[after..end]
                    .iter()
                    .take_while(|&&b| is_blank(b))
                    .count();
                self.pos = after + blanks;
                if self.peek() != Some(b':') {
                    return Err(no());
                }
                self.pos += 1;
            }
            _ => {
                let line = &self.src[self.pos..end];
                let colon = key_end(line).ok_or(Unsupported)?;
                let text = trim_blanks_end(&line[..colon]);
                if text == b"<<" || !plain_is_string(text) || starts_with_indicator(text) {
                    return Err(no());
                }
                self.scratch.extend_from_slice(text);
                self.pos += colon + 1;
            }
        }
        Ok(())
    }

    /// Reads the node after `key:` or `- ` (at `pos`, on the indicator's line). `col`: the indicator's
    /// collection's indentation; a map's value may be a sequence at that same indentation (kubectl's style).
    fn value_after_indicator(&mut self, col: usize, map_value: bool) -> R {
        let end = self.line_end(self.pos);
        let rest = &self.src[self.pos..end];
        let blanks = rest.iter().take_while(|&&b| is_blank(b)).count();
        if rest.get(blanks).is_none_or(|&b| b == b'#') {
            if blanks == 0 && !rest.is_empty() {
                return Err(no());
            }
            self.pos = end + 1;
            self.next_content_line()?;
            return match self.indent {
                Some(i) if i > col => self.node_at(i, col as isize, true),
                Some(i) if i == col && map_value && self.is_entry() => self.sequence(i),
                // An empty value (null): kubectl never prints one.
                _ => Err(no()),
            };
        }
        if blanks == 0 {
            // `key:x` is not a key, `-x` not an entry: callers only come here after a blank or the end.
            return Err(no());
        }
        self.pos += blanks;
        let value_col = self.pos - self.line_start(self.pos);
        if !map_value {
            // `- key: value`, `- - item`: a collection in compact form.
            let b = self.src[self.pos];
            if b == b'-'
                && self
                    .at(self.pos + 1)
                    .is_none_or(|c| c == b' ' || c == b'\n')
            {
                return self.sequence(value_col);
            }
            if self.starts_key()? {
                return self.mapping(value_col);
            }
        }
        self.scalar_value(col as isize)
    }

    fn line_start(&self, pos: usize) -> usize {
        self.src[..pos]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
    }

    /// A scalar starting at `pos` that is a value (not a key); `parent`: its collection's indentation, which
    /// its continuation lines must exceed.
    fn scalar_value(&mut self, parent: isize) -> R {
        let end = self.line_end(self.pos);
        match self.src[self.pos] {
            b'"' | b'\'' => {
                self.scratch.clear();
                self.quoted(parent)?;
                let s = std::mem::take(&mut self.scratch);
                write_json_string(&mut self.out, &s);
                self.scratch = s;
                self.end_of_line()
            }
            b'|' => self.literal(parent),
            b'{' | b'[' => {
                let pair = &self.src[self.pos..(self.pos + 2).min(end)];
                if pair != b"{}" && pair != b"[]" {
                    return Err(no());
                }
                self.out.extend_from_slice(pair);
                self.pos += 2;
                self.end_of_line()
            }
            _ => self.plain(parent),
        }
    }

    /// A plain scalar value, possibly continued on more indented lines.
    fn plain(&mut self, parent: isize) -> R {
        let end = self.line_end(self.pos);
        let first = plain_line(&self.src[self.pos..end])?;
        if starts_with_indicator(first) {
            return Err(no());
        }
        self.scratch.clear();
        self.scratch.extend_from_slice(first);
        self.pos = end + 1;
        // Continuation lines: more indented than the parent, not comments; blank lines between fold to `\n`.
        let mut blank_lines = 0;
        let mut resume = self.pos;
        loop {
            if self.pos >= self.src.len() {
                break;
            }
            let end = self.line_end(self.pos);
            let line = &self.src[self.pos..end];
            let spaces = line.iter().take_while(|&&b| is_blank(b)).count();
            let content = &line[spaces..];
            if content.is_empty() {
                blank_lines += 1;
                self.pos = end + 1;
                continue;
            }
            if line[..spaces].contains(&b'\t') || (spaces as isize) <= parent || content[0] == b'#'
            {
                break;
            }
            if content.starts_with(b"- ") || content == b"-" || content.starts_with(b"? ") {
                return Err(no());
            }
            let text = plain_line(content)?;
            if blank_lines == 0 {
                self.scratch.push(b' ');
            } else {
                self.scratch.extend(std::iter::repeat_n(b'\n', blank_lines));
            }
            self.scratch.extend_from_slice(text);
            blank_lines = 0;
            self.pos = end + 1;
            resume = self.pos;
        }
        self.pos = resume;
        let s = std::mem::take(&mut self.scratch);
        let result = write_plain(&mut self.out, &s);
        self.scratch = s;
        result?;
        self.next_content_line()
    }

    /// A single- or double-quoted scalar at `pos` on one line ending at `end`, decoded into `scratch`;
    /// Some(position after the closing quote), None if it does not close on this line.
    fn quoted_on_line(&mut self, end: usize) -> R<Option<usize>> {
        let quote = self.src[self.pos];
        let mut i = self.pos + 1;
        while i < end {
            let b = self.src[i];
            if b == quote {
                if quote == b'\'' && self.at(i + 1) == Some(b'\'') {
                    self.scratch.push(b'\'');
                    i += 2;
                    continue;
                }
                return Ok(Some(i + 1));
            }
            if quote == b'"' && b == b'\\' {
                i = self.escape(i, end)?;
                continue;
            }
            self.scratch.push(b);
            i += 1;
        }
        Ok(None)
    }

    /// Decodes the escape at `i` (a backslash) into `scratch`; returns the position after it.
    fn escape(&mut self, i: usize, end: usize) -> R<usize> {
        let Some(&c) = self.src.get(i + 1).filter(|_| i + 1 < end) else {
            return Err(no());
        };
        let simple = match c {
            b'0' => Some(0),
            b'a' => Some(7),
            b'b' => Some(8),
            b't' | b'\t' => Some(b'\t'),
            b'n' => Some(b'\n'),
            b'v' => Some(0x0b),
            b'f' => Some(0x0c),
            b'r' => Some(b'\r'),
            b'e' => Some(0x1b),
            b' ' => Some(b' '),
            b'"' => Some(b'"'),
            b'/' => Some(b'/'),
            b'\\' => Some(b'\\'),
            _ => None,
        };
        if let Some(b) = simple {
            self.scratch.push(b);
            return Ok(i + 2);
        }
        let digits = match c {
            b'x' => 2,
            b'u' => 4,
            b'U' => 8,
            // \N, \_, \L, \P and anything else: serde-saphyr decides.
            _ => return Err(no()),
        };
        let hex = self.src.get(i + 2..i + 2 + digits).ok_or(Unsupported)?;
        if i + 2 + digits > end || !hex.iter().all(u8::is_ascii_hexdigit) {
            return Err(no());
        }
        let code = u32::from_str_radix(std::str::from_utf8(hex).map_err(|_| Unsupported)?, 16)
            .map_err(|_| Unsupported)?;
        let ch = char::from_u32(code).ok_or(Unsupported)?;
        let mut buf = [0; 4];
        self.scratch
            .extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        Ok(i + 2 + digits)
    }

    /// A quoted scalar value at `pos`, possibly over several lines (each more indented than `parent`);
    /// decoded into `scratch`, `pos` after the closing quote.
    fn quoted(&mut self, parent: isize) -> R {
        let quote = self.src[self.pos];
        self.pos += 1;
        loop {
            let end = self.line_end(self.pos);
            let mut i = self.pos;
            // Escapes decoded on this line must survive the trimming of trailing blanks.
            let mut kept = self.scratch.len();
            while i < end {
                let b = self.src[i];
                if b == quote {
                    if quote == b'\'' && self.at(i + 1) == Some(b'\'') {
                        self.scratch.push(b'\'');
                        i += 2;
                        continue;
                    }
                    self.pos = i + 1;
                    return Ok(());
                }
                if quote == b'"' && b == b'\\' {
                    if i + 1 == end {
                        // An escaped line break: joined without a space.
                        return Err(no());
                    }
                    i = self.escape(i, end)?;
                    kept = self.scratch.len();
                    continue;
                }
                self.scratch.push(b);
                i += 1;
            }
            if end >= self.src.len() {
                return Err(no());
            }
            while self.scratch.len() > kept && is_blank(*self.scratch.last().unwrap()) {
                self.scratch.pop();
            }
            // Folding: one line break is a space, each blank line a `\n`.
            self.pos = end + 1;
            let mut blank_lines = 0;
            loop {
                if self.pos >= self.src.len() {
                    return Err(no());
                }
                let end = self.line_end(self.pos);
                let line = &self.src[self.pos..end];
                let spaces = line.iter().take_while(|&&b| is_blank(b)).count();
                if spaces == line.len() {
                    blank_lines += 1;
                    self.pos = end + 1;
                    continue;
                }
                let indent = line.iter().take_while(|&&b| b == b' ').count();
                if (indent as isize) <= parent || line[..spaces].contains(&b'\t') {
                    return Err(no());
                }
                self.pos += spaces;
                break;
            }
            if blank_lines == 0 {
                self.scratch.push(b' ');
            } else {
                self.scratch.extend(std::iter::repeat_n(b'\n', blank_lines));
            }
        }
    }

    /// A literal block scalar (`|`, `|-`, `|+`) at `pos`, its lines more indented than `parent`.
    fn literal(&mut self, parent: isize) -> R {
        let end = self.line_end(self.pos);
        let header = &self.src[self.pos + 1..end];
        let (chomp, rest) = match header.first() {
            Some(b'-') => (Chomp::Strip, &header[1..]),
            Some(b'+') => (Chomp::Keep, &header[1..]),
            _ => (Chomp::Clip, header),
        };
        // An indentation indicator (`|2`) or anything else after the header: serde-saphyr's.
        if !rest.is_empty() && !is_blank(rest[0]) || !is_comment_or_blank(rest) {
            return Err(no());
        }
        if end >= self.src.len() {
            return Err(no());
        }
        self.pos = end + 1;
        // The content's indentation: the first non-blank line's; blank lines before it may not be longer.
        let mut i = self.pos;
        let mut longest_blank = 0;
        let indent = loop {
            if i >= self.src.len() {
                return Err(no());
            }
            let end = self.line_end(i);
            let line = &self.src[i..end];
            let spaces = line.iter().take_while(|&&b| b == b' ').count();
            if spaces == line.len() {
                longest_blank = longest_blank.max(spaces);
                i = end + 1;
                continue;
            }
            break spaces;
        };
        if (indent as isize) <= parent || longest_blank > indent {
            return Err(no());
        }
        self.scratch.clear();
        let mut trailing = 0;
        let mut any = false;
        loop {
            if self.pos >= self.src.len() {
                break;
            }
            let end = self.line_end(self.pos);
            if end >= self.src.len() {
                // The last line has no line break: chomping would differ.
                return Err(no());
            }
            let line = &self.src[self.pos..end];
            let spaces = line.iter().take_while(|&&b| b == b' ').count();
            if spaces == line.len() {
                if spaces > indent {
                    // Blank-looking lines that hold spaces of content.
                    return Err(no());
                }
                trailing += 1;
                self.pos = end + 1;
                continue;
            }
            if spaces < indent {
                break;
            }
            if any {
                self.scratch.push(b'\n');
            }
            self.scratch.extend(std::iter::repeat_n(b'\n', trailing));
            trailing = 0;
            any = true;
            self.scratch.extend_from_slice(&line[indent..]);
            self.pos = end + 1;
        }
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => self.scratch.push(b'\n'),
            Chomp::Keep => self
                .scratch
                .extend(std::iter::repeat_n(b'\n', trailing + 1)),
        }
        let s = std::mem::take(&mut self.scratch);
        write_json_string(&mut self.out, &s);
        self.scratch = s;
        // Back to the line after the block (blank lines before it were counted above).
        self.next_content_line()
    }
}

enum Chomp {
    Strip,
    Clip,
    Keep,
}

/// Whether a line, or its rest after a token and a blank, holds nothing or a comment.
fn is_comment_or_blank(rest: &[u8]) -> bool {
    let blanks = rest.iter().take_while(|&&b| is_blank(b)).count();
    matches!(rest.get(blanks), None | Some(b'#'))
}

fn trim_blanks_end(s: &[u8]) -> &[u8] {
    let n = s.iter().rev().take_while(|&&b| is_blank(b)).count();
    &s[..s.len() - n]
}

/// Where the `:` of `key: value` (or `key:` at the line's end) is in a line holding a plain key.
fn key_end(line: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < line.len() {
        match line[i] {
            b':' if line.get(i + 1).is_none_or(|&b| is_blank(b)) => return Some(i),
            b'#' if i > 0 && is_blank(line[i - 1]) => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The text of one line of a plain scalar: up to a comment, blanks trimmed. A `: ` in it is not ours.
fn plain_line(line: &[u8]) -> R<&[u8]> {
    let mut end = line.len();
    for i in 0..line.len() {
        match line[i] {
            b'#' if i > 0 && is_blank(line[i - 1]) => {
                end = i;
                break;
            }
            b':' if line.get(i + 1).is_none_or(|&b| is_blank(b)) => return Err(no()),
            _ => {}
        }
    }
    Ok(trim_blanks_end(&line[..end]))
}

/// A plain scalar may not start with an indicator (`- `, `? `, `: ` and these), which we leave to serde-saphyr.
fn starts_with_indicator(text: &[u8]) -> bool {
    match text.first() {
        None => true,
        Some(b'-' | b'?' | b':') => text.get(1).is_none_or(|&b| is_blank(b)),
        Some(
            b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`',
        ) => true,
        Some(_) => false,
    }
}

/// Writes a plain scalar as serde-saphyr reads it untyped: `null`, `true`, `false` and decimal integers as
/// JSON's, and text that nothing could read as another type as a string; anything else is refused.
fn write_plain(out: &mut Vec<u8>, text: &[u8]) -> R {
    match text {
        b"null" | b"true" | b"false" => {
            out.extend_from_slice(text);
            return Ok(());
        }
        _ => {}
    }
    if is_decimal(text) {
        out.extend_from_slice(text);
        return Ok(());
    }
    if !plain_is_string(text) {
        return Err(no());
    }
    write_json_string(out, text);
    Ok(())
}

/// `0` or `-?[1-9][0-9]*`, short enough for any 64-bit integer (not `-0`, which JSON reads as a float).
fn is_decimal(text: &[u8]) -> bool {
    let digits = text.strip_prefix(b"-").unwrap_or(text);
    if digits.is_empty() || digits.len() > 18 || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    if digits[0] == b'0' {
        return text == b"0";
    }
    true
}

/// Whether serde-saphyr reads this plain scalar as a string whatever the target type asks: not null-like
/// (`~`, `Null`...), not a YAML 1.1 boolean (`yes`, `On`...), not an integer in any radix, not a float.
/// Deliberately wider than serde-saphyr's own tests (parse_scalars.rs): a false "not a string" only costs
/// the slow path.
fn plain_is_string(text: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(text) else {
        return false;
    };
    if s.is_empty() {
        return false;
    }
    const WORDS: [&str; 12] = [
        "~", "null", "true", "false", "yes", "no", "y", "n", "on", "off", ".inf", ".nan",
    ];
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    if WORDS.iter().any(|w| unsigned.eq_ignore_ascii_case(w)) {
        return false;
    }
    let first = unsigned.as_bytes().first().copied();
    if !first.is_some_and(|b| b.is_ascii_digit() || b == b'.') {
        return true;
    }
    // Numeral-shaped: a float Rust would parse (finite or not), also once underscores are dropped, radix
    // prefixes, or only digits (leading zeros) are left to serde-saphyr. `6.1-64.amzn2023.x86_64` is text.
    if s.parse::<f64>().is_ok() {
        return false;
    }
    if s.contains('_') {
        return plain_is_string(s.replace('_', "").as_bytes());
    }
    // `0x1F`, `0o17`, `0b101`; a UUID such as `0b00578af103...` is text.
    let digits = unsigned.as_bytes();
    let radix_digits: Option<fn(&u8) -> bool> =
        match digits.get(..2).map(|p| p.to_ascii_lowercase()).as_deref() {
            Some(b"0x") => Some(u8::is_ascii_hexdigit),
            Some(b"0o") => Some(|b| (b'0'..=b'7').contains(b)),
            Some(b"0b") => Some(|b| matches!(b, b'0' | b'1')),
            _ => None,
        };
    if radix_digits.is_some_and(|ok| digits[2..].iter().all(ok)) {
        return false;
    }
    !unsigned.bytes().all(|b| b.is_ascii_digit())
}

/// A JSON string literal of `text` (UTF-8).
fn write_json_string(out: &mut Vec<u8>, text: &[u8]) {
    out.push(b'"');
    let mut from = 0;
    for (i, &b) in text.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\t' => b"\\t",
            b'\r' => b"\\r",
            0..0x20 => {
                out.extend_from_slice(&text[from..i]);
                out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
                from = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&text[from..i]);
        out.extend_from_slice(escape);
        from = i + 1;
    }
    out.extend_from_slice(&text[from..]);
    out.push(b'"');
}
