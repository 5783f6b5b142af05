//! Loads cluster state from files as users produce them with kubectl (`kubectl get ... -o yaml|json`,
//! `kubectl get --raw ...`): one file, a directory of them, or stdin, into a `Snapshot`.
//! Owns format detection, parsing, error locations and de-duplication; no network, no clock, no diagnosis.
//!
//! Items are deserialized straight from the text into k8s-openapi types: a list or document is walked key by
//! key, and only the few keys that come before `kind` (kubectl sorts keys, so `apiVersion`, and for Events
//! `action`, `count`, `involvedObject`...) are buffered as JSON values. Dumps run to gigabytes on clusters of
//! thousands of nodes: JSON is parsed while it is read, and pods no DaemonSet controls are kept slim
//! (`read_pod`), as their load, and only on nodes where the engine reads them (loads.rs).
//! Figures: bench/RESULTS.md.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use k8s_openapi::Metadata;
use k8s_openapi::api::core::v1::Event as CoreEvent;
use k8s_openapi::api::core::v1::{ContainerPort, PodCondition, ResourceRequirements};
use k8s_openapi::api::events::v1::Event as EventsV1Event;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, MapDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::MessageFormatter;

use crate::snapshot::pod::{Container, ContainerStatus, Pod, PodSpec, PodStatus};
use crate::snapshot::{NodePodsCoverage, Snapshot};
use crate::source::events;

/// How stdin is named in messages.
mod json;
use json::*;
mod yaml;
use yaml::*;
pub(crate) use yaml::{original_yaml_error, split_yaml_documents, yaml_options};
mod pods;
mod yaml_json;
use crate::source::lean::*;
use pods::*;
mod loads;
use loads::*;
mod input;
use input::*;

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
    load_keeping(path, stdin, false)
}

/// As [`load`], keeping every pod bound to every node: `plan` places a new pod on any node, so it
/// sums what every node already holds.
pub fn load_with_all_pods(path: &Path, stdin: &mut dyn Read) -> Result<Snapshot, FileError> {
    load_keeping(path, stdin, true)
}

fn load_keeping(path: &Path, stdin: &mut dyn Read, all_pods: bool) -> Result<Snapshot, FileError> {
    // A dump holds every pod of the cluster (`restore_where_read` may then keep fewer), and says nothing
    // about whether events were readable.
    let mut snapshot = Snapshot {
        node_pods: NodePodsCoverage::All,
        events_unavailable: None,
        ..Snapshot::default()
    };
    // An empty file in a directory (a redirect whose kubectl failed) adds nothing; only an input with nothing
    // in it at all is an error.
    let mut loads = Vec::new();
    let mut any_text = false;
    let origin = if path.as_os_str() == "-" {
        any_text |= read_input(stdin, None, STDIN, &mut snapshot, &mut loads)?;
        STDIN.to_string()
    } else if fs::metadata(path).map_err(io_error(path))?.is_dir() {
        let mut files = Vec::new();
        collect_files(path, &mut files)?;
        files.sort();
        for file in &files {
            let (mut input, size) = open(file)?;
            let origin = file.display().to_string();
            any_text |= read_input(&mut input, size, &origin, &mut snapshot, &mut loads)?;
        }
        path.display().to_string()
    } else {
        let origin = path.display().to_string();
        let (mut input, size) = open(path)?;
        any_text |= read_input(&mut input, size, &origin, &mut snapshot, &mut loads)?;
        origin
    };
    if !any_text {
        return Err(FileError::NoInput { path: origin });
    }
    if all_pods {
        restore_all(&mut snapshot.pods, loads);
    } else {
        restore_where_read(&mut snapshot, loads);
    }
    Ok(snapshot)
}

/// Reads one input into `acc`, as `parse_into` does; says whether it held anything but whitespace.
/// JSON (what users of big clusters are told to write) is read a piece at a time (`parse_json_pieces`), so a
/// dump of thousands of nodes (2 GB for 5,000) is never held whole; YAML is split into documents, so it is
/// read whole. `size`: a regular file's length, to read YAML into one allocation; `None` for a pipe or
/// device, whose reads are capped (input.rs).
/// Pods no DaemonSet controls go to `loads` (see loads.rs).
fn read_input(
    input: &mut dyn Read,
    size: Option<u64>,
    origin: &str,
    acc: &mut Snapshot,
    loads: &mut Vec<PodLoad>,
) -> Result<bool, FileError> {
    let io = |source| FileError::Io {
        path: origin.to_string(),
        source,
    };
    let stream = size.is_none();
    let mut input = BufReader::with_capacity(1 << 20, Capped::new(input));
    let head = input.fill_buf().map_err(io)?;
    refuse_binary(head, origin)?;
    let bom = head.starts_with("\u{feff}".as_bytes());
    let body = if bom { &head[3..] } else { head };
    // Same test as `parse_into`; an input whose first buffer is all whitespace goes the text way.
    if let Some(b'{' | b'[') = body.iter().find(|b| !b.is_ascii_whitespace()) {
        if bom {
            input.consume(3);
        }
        if stream {
            input.get_mut().limit = Some((STREAM_JSON_CAP, "JSON"));
        }
        let mut reader = Reader::default();
        parse_json_pieces(&mut input, origin, &mut reader)?;
        merge_reader(acc, loads, reader);
        return Ok(true);
    }
    if stream {
        input.get_mut().limit = Some((STREAM_YAML_CAP, "YAML"));
    }
    let mut text = String::new();
    text.try_reserve(size.unwrap_or(0) as usize)
        .map_err(|e| io(std::io::Error::other(e)))?;
    input.read_to_string(&mut text).map_err(io)?;
    merge_reader(acc, loads, parse_text(&text, origin)?);
    Ok(!text.trim().is_empty())
}

/// Adds what one input held: whole objects to `acc`, pod loads to `loads`.
fn merge_reader(acc: &mut Snapshot, loads: &mut Vec<PodLoad>, reader: Reader) {
    let offset = acc.pods.len();
    merge(acc, reader.found);
    merge_loads(loads, reader.loads, offset);
}

/// Parses one document text (JSON or YAML, possibly multi-document) from `origin` (for messages) into `acc`.
/// Objects already in `acc` (same uid, or same namespace/name when there is no uid) are not added again.
/// On error `acc` is left unchanged.
/// Every pod is kept (`load` keeps only those the engine reads).
pub fn parse_into(text: &str, origin: &str, acc: &mut Snapshot) -> Result<(), FileError> {
    let mut reader = parse_text(text, origin)?;
    restore_all(&mut reader.found.pods, std::mem::take(&mut reader.loads));
    merge(acc, reader.found);
    Ok(())
}

fn parse_text(text: &str, origin: &str) -> Result<Reader, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader::default();
    match text.trim_start().chars().next() {
        None => {}
        Some('{' | '[') => parse_json(
            serde_json::Deserializer::from_str(text),
            origin,
            &mut reader,
        )?,
        // kubectl's YAML through the JSON path when it is in the subset yaml_json.rs reads, else (and on any
        // error, so messages and positions are serde-saphyr's) with serde-saphyr.
        Some(_) => match parse_yaml_as_json(text, origin) {
            Some(fast) => reader = fast,
            None => parse_yaml(text, origin, &mut reader)?,
        },
    }
    Ok(reader)
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
// Routing: which kinds we read (JSON a piece at a time is in json.rs, YAML in yaml.rs, pods in pods.rs)

/// The objects a snapshot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Node,
    Pod,
    DaemonSet,
    ControllerRevision,
    CoreEvent,
    EventsV1Event,
    /// What admission reads, for `plan`.
    Namespace,
    ResourceQuota,
    ServiceAccount,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Node => "Node",
            Kind::Pod => "Pod",
            Kind::DaemonSet => "DaemonSet",
            Kind::ControllerRevision => "ControllerRevision",
            Kind::CoreEvent | Kind::EventsV1Event => "Event",
            Kind::Namespace => "Namespace",
            Kind::ResourceQuota => "ResourceQuota",
            Kind::ServiceAccount => "ServiceAccount",
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
        "Node" | "Pod" | "Event" | "Namespace" | "ResourceQuota" | "ServiceAccount" => "v1",
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
        ("Namespace", "v1") => Kind::Namespace,
        ("ResourceQuota", "v1") => Kind::ResourceQuota,
        ("ServiceAccount", "v1") => Kind::ServiceAccount,
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
    /// Pods no DaemonSet controls, as their load (loads.rs).
    loads: Vec<PodLoad>,
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
        // Both parsers stop at a fixed depth rather than overflow the stack; say what that means here.
        let message = match message.as_str() {
            "recursion limit exceeded" => {
                "nested too deep (recursion limit exceeded): no Kubernetes object nests so far"
                    .into()
            }
            _ => message,
        };
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
                    Route::List(Some(k)) => {
                        mark_read(&mut reader.found, k);
                        ItemsMode::Typed(k)
                    }
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
            mark_read(&mut reader.found, k);
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
    let loads = &mut reader.loads;
    match kind {
        Kind::Node => {
            let mut node = read_as(kind, prefix, map, place, failure)?;
            trim_node(&mut node);
            found.nodes.push(node);
        }
        Kind::Pod => {
            let pod = read_pod(prefix, map, place, failure)?;
            if is_daemon_pod(&pod.metadata) || !PodLoad::folded(&pod) {
                found.pods.push(pod);
            } else {
                loads.push(PodLoad::new(pod, found.pods.len()));
            }
        }
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
        Kind::Namespace => {
            let ns = read_as(kind, prefix, map, place, failure)?;
            found.namespaces.get_or_insert_default().push(ns);
        }
        Kind::ResourceQuota => {
            let q = read_as(kind, prefix, map, place, failure)?;
            found.resource_quotas.get_or_insert_default().push(q);
        }
        Kind::ServiceAccount => {
            let sa = read_as(kind, prefix, map, place, failure)?;
            found.service_accounts.get_or_insert_default().push(sa);
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
            require_name(obj.metadata(), kind, place, failure)?;
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

/// The API server names every object it stores (ValidateObjectMeta), and the engine tells nodes and
/// pods apart by name, so a nameless object is a damaged dump, not one to show as a blank row.
fn require_name<E: de::Error>(
    meta: &ObjectMeta,
    kind: Kind,
    place: Place,
    failure: &mut Option<Failure>,
) -> Result<(), E> {
    if meta.name.as_deref().is_some_and(|n| !n.is_empty()) {
        return Ok(());
    }
    *failure = Some(Failure {
        kind,
        name: Seen::default().name(place),
        field: None,
        buffered: true,
    });
    Err(de::Error::custom(
        "it has no metadata.name, which every object the API server stores has",
    ))
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
    merge_seen(&mut acc.namespaces, found.namespaces);
    merge_seen(&mut acc.resource_quotas, found.resource_quotas);
    merge_seen(&mut acc.service_accounts, found.service_accounts);
}

/// An admission kind's typed list was read, even an empty one: "no quota" is then a fact, not a gap.
fn mark_read(found: &mut Snapshot, kind: Kind) {
    match kind {
        Kind::Namespace => drop(found.namespaces.get_or_insert_default()),
        Kind::ResourceQuota => drop(found.resource_quotas.get_or_insert_default()),
        Kind::ServiceAccount => drop(found.service_accounts.get_or_insert_default()),
        _ => {}
    }
}

/// A kind read at all (even an empty typed list) is known; one never read stays `None`.
fn merge_seen<T: Metadata<Ty = ObjectMeta>>(acc: &mut Option<Vec<T>>, found: Option<Vec<T>>) {
    if let Some(found) = found {
        append_new(acc.get_or_insert_default(), found);
    }
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
#[cfg(test)]
mod yaml_json_tests;
