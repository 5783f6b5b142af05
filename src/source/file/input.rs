//! Opening and bounding inputs: a regular file is read by its size, while a pipe, FIFO or device (stdin,
//! `/dev/zero`, a FIFO nobody writes to) could run forever, so what is read from one is capped, a FIFO's
//! writer is waited for a bounded time, and binary data is refused at its first buffer.

use std::fs;
use std::io::{self, Read};
use std::path::Path;
use std::time::Duration;

use super::{FileError, io_error};

/// JSON is parsed as it is read, one object at a time, so a piped dump costs time, not memory: the cap is
/// four times a 5,000-node dump (2 GB, bench/RESULTS.md), only so an endless stream ends.
pub(super) const STREAM_JSON_CAP: u64 = 8 << 30;
/// YAML is read whole before it is parsed, so from a pipe it is held in memory: the cap keeps that bounded.
pub(super) const STREAM_YAML_CAP: u64 = 256 << 20;
/// How long a FIFO may wait for a writer to open it (`kubectl ds -f <(kubectl get ...)` opens at once).
const FIFO_WRITER_WAIT: Duration = Duration::from_secs(10);

/// An input and, for a regular file, its length; `None` marks a stream, whose reads are capped.
pub(super) fn open(path: &Path) -> Result<(fs::File, Option<u64>), FileError> {
    let meta = fs::metadata(path).map_err(io_error(path))?;
    let file = if is_fifo(&meta) {
        open_fifo(path)?
    } else {
        fs::File::open(path).map_err(io_error(path))?
    };
    Ok((file, meta.is_file().then_some(meta.len())))
}

#[cfg(unix)]
fn is_fifo(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_fifo(_: &fs::Metadata) -> bool {
    false
}

/// Opening a FIFO blocks until a writer opens it too; the open runs on a thread that is left behind if no
/// writer comes (the process exits with the error regardless).
fn open_fifo(path: &Path) -> Result<fs::File, FileError> {
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = path.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(fs::File::open(owned));
    });
    match rx.recv_timeout(FIFO_WRITER_WAIT) {
        Ok(opened) => opened.map_err(io_error(path)),
        Err(_) => Err(io_error(path)(io::Error::other(format!(
            "it is a FIFO and no program opened it for writing within {}s: start the writer first, \
             or save its output to a file",
            FIFO_WRITER_WAIT.as_secs()
        )))),
    }
}

/// Reads at most `limit` bytes from a stream and fails past them, naming the cap and what to do instead.
pub(super) struct Capped<'r> {
    inner: &'r mut dyn Read,
    read: u64,
    /// None: a regular file, read to its end.
    pub(super) limit: Option<(u64, &'static str)>,
}

impl<'r> Capped<'r> {
    pub(super) fn new(inner: &'r mut dyn Read) -> Self {
        Capped {
            inner,
            read: 0,
            limit: None,
        }
    }
}

impl Read for Capped<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        match self.limit {
            Some((cap, format)) if self.read > cap => Err(io::Error::other(format!(
                "more than {} of {format} read from a pipe or device, the most read from one: {}",
                size(cap),
                match format {
                    "YAML" =>
                        "YAML is held whole while parsed, so save it to a file and pass its path, \
                               or dump JSON (`-o json`), which is read as a stream",
                    _ => "save it to a file and pass its path",
                }
            ))),
            _ => Ok(n),
        }
    }
}

fn size(bytes: u64) -> String {
    if bytes >= 1 << 30 {
        format!("{} GiB", bytes >> 30)
    } else {
        format!("{} MiB", bytes >> 20)
    }
}

/// YAML and JSON never hold a NUL byte: `/dev/zero`, an image or an archive is refused at its first buffer
/// rather than read to its end.
pub(super) fn refuse_binary(head: &[u8], origin: &str) -> Result<(), FileError> {
    match head.iter().position(|&b| b == 0) {
        None => Ok(()),
        Some(offset) => Err(FileError::Parse {
            path: origin.to_string(),
            line: None,
            column: None,
            message: format!(
                "binary data, not text (a NUL byte at offset {offset}): not `kubectl get -o yaml|json` output"
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capped_stream_fails_past_its_cap_naming_it() {
        let cases: &[(&str, u64, usize, Option<&str>)] = &[
            ("under the cap", 10, 10, None),
            (
                "YAML past the cap",
                10,
                11,
                Some("more than 0 MiB of YAML read from a pipe or device"),
            ),
            (
                "JSON past a GiB cap",
                10,
                11,
                Some("save it to a file and pass its path"),
            ),
        ];
        for (name, cap, len, wanted) in cases {
            let data = vec![b'a'; *len];
            let mut src: &[u8] = &data;
            let mut capped = Capped::new(&mut src);
            let format = if name.contains("YAML") {
                "YAML"
            } else {
                "JSON"
            };
            capped.limit = Some((*cap, format));
            let mut out = Vec::new();
            let got = capped.read_to_end(&mut out).err().map(|e| e.to_string());
            match wanted {
                None => assert_eq!(got, None, "{name}"),
                Some(w) => assert!(
                    got.as_deref().is_some_and(|g| g.contains(w)),
                    "{name}: {got:?}"
                ),
            }
        }
        assert_eq!(size(STREAM_JSON_CAP), "8 GiB");
        assert_eq!(size(STREAM_YAML_CAP), "256 MiB");
    }

    #[test]
    fn binary_data_is_refused_by_its_first_nul() {
        for (name, head, refused) in [
            ("text", &b"kind: List\n"[..], false),
            ("zeros", &[0u8; 16][..], true),
            ("NUL inside JSON", &b"{\"a\":\0}"[..], true),
        ] {
            assert_eq!(refuse_binary(head, "f").is_err(), refused, "{name}");
        }
    }
}
