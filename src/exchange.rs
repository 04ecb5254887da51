//! Reading the JSON documents that cross a boundary: files between parties and
//! the value kept in browser storage. Every document names its `format` and
//! `version`; this module checks both, bounds size and nesting, and turns
//! serde's first failure into a [`Problem`] with the JSON path of the field.
//! Semantic checks (unique ids, known references) belong to each document's type.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::{Error, Problem};

/// Largest document we read. Kept compact (src/compact.rs), Chromium's
/// localStorage holds a desk of about 90,000 registrations, whose backup file
/// is about 85 MB; anything much larger cannot be a desk of ours.
pub const MAX_DOCUMENT_BYTES: usize = 128 * 1024 * 1024;

/// Deepest nesting we read. Our formats nest less than 10 deep; serde_json's own
/// limit (128) would also stop a hostile file, but with a less helpful message.
pub const MAX_DEPTH: usize = 32;

/// What a document must declare about itself.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// Shown to a person: "backup file", "programme file".
    pub what: &'static str,
    /// The value of `format`, e.g. `dealreg.workspace`.
    pub format: &'static str,
    /// The newest `version` this build reads; versions 1 through this are read.
    pub version: u32,
}

/// The formats we know, so a foreign file of ours can be named ("this is a programme file").
const KNOWN: &[(&str, &str)] = &[
    ("dealreg.workspace", "a dealreg backup file"),
    ("dealreg.programme", "a dealreg programme file"),
    ("dealreg.dataset", "a dealreg data set"),
    ("dealreg.submission", "a dealreg submission file"),
    ("dealreg.decision", "a dealreg decision file"),
    ("dealreg.key", "a dealreg key file"),
];

/// Parses `text` as a document of `kind`, or says everything that stops it.
pub fn read<T: DeserializeOwned>(text: &str, kind: Kind) -> Result<T, Error> {
    check_kinds(text, kind.what, &[kind])?;
    read_value(text, kind.what)
}

/// What a document says of itself; other values are skipped unbuilt.
#[derive(Deserialize)]
struct Envelope {
    #[serde(default)]
    format: Option<serde_json::Value>,
    #[serde(default)]
    version: Option<serde_json::Value>,
}

/// Everything [`read`] checks before the fields (in one pass over the text),
/// and which of `kinds` the document declares itself: a reader that takes
/// more than one kind then reads the fields with [`read_value`]. `what` names
/// the document in errors. One copy for every document type (generic, it was
/// compiled once per type: 1.3 KB of wasm each).
pub fn check_kinds(text: &str, what: &'static str, kinds: &[Kind]) -> Result<Kind, Error> {
    let fail = |path: &str, message: String| Error::invalid(what, vec![Problem::new(path, message)]);
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(fail(
            "$",
            format!(
                "is {} MB; the largest this page reads is {} MB",
                text.len() / (1024 * 1024),
                MAX_DOCUMENT_BYTES / (1024 * 1024)
            ),
        ));
    }
    if text.trim().is_empty() {
        return Err(fail("$", "is empty; expected a JSON object".into()));
    }
    if let Some(depth) = too_deep(text) {
        return Err(fail(
            "$",
            format!("nests deeper than {depth} levels; this is not a {}", kinds[0].format),
        ));
    }

    // Derived structs also accept a JSON array (fields by position); ours never are one.
    if !text.trim_start().starts_with('{') {
        return match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Ok(_) => {
                Err(fail("$", "is not a JSON object; expected an object with format and version".into()))
            }
            Err(e) => Err(fail("$", format!("is not JSON: {e}"))),
        };
    }
    // A first, cheap pass reads only `format` and `version` (other values are
    // skipped unbuilt), so a foreign file is named before its fields are judged.
    let envelope: Envelope =
        serde_json::from_str(text).map_err(|e| fail("$", format!("is not JSON: {e}")))?;
    check_envelope(&envelope.format, &envelope.version, what, kinds)
}

fn check_envelope(
    format: &Option<serde_json::Value>,
    version: &Option<serde_json::Value>,
    what: &'static str,
    kinds: &[Kind],
) -> Result<Kind, Error> {
    let declared = format.as_ref().and_then(|v| v.as_str());
    let found = kinds.iter().find(|k| declared == Some(k.format)).copied();
    let kind = found.unwrap_or(kinds[0]);
    let expected = kinds.iter().map(|k| format!("{:?}", k.format)).collect::<Vec<_>>().join(" or ");
    let mut problems = Vec::new();
    match declared {
        Some(_) if found.is_some() => {}
        Some(f) => {
            let hint = KNOWN
                .iter()
                .find(|(known, _)| *known == f)
                .map(|(_, name)| format!(" (that is {name})"))
                .unwrap_or_default();
            problems.push(Problem::new("$.format", format!("is {f:?}{hint}; expected {expected}")));
        }
        None => problems.push(Problem::new(
            "$.format",
            format!("is missing; expected {expected}: this is not a dealreg file"),
        )),
    }
    if problems.is_empty() {
        match version.as_ref().and_then(|v| v.as_u64()) {
            Some(v) if (1..=u64::from(kind.version)).contains(&v) => {}
            Some(v) if v > u64::from(kind.version) => problems.push(Problem::new(
                "$.version",
                format!(
                    "is {v}, written by a newer dealreg; this page reads versions up to {}",
                    kind.version
                ),
            )),
            _ => problems.push(Problem::new(
                "$.version",
                format!("must be a whole number from 1 to {}", kind.version),
            )),
        }
    }
    if problems.is_empty() {
        Ok(kind)
    } else {
        Err(Error::invalid(what, problems))
    }
}

/// What a JSON object says it is, when it is one of our formats ("a dealreg
/// key file"): for readers of other files to name what they were given,
/// without quoting what it holds.
pub fn known_format(text: &str) -> Option<&'static str> {
    #[derive(Deserialize)]
    struct Format {
        format: String,
    }
    let declared = serde_json::from_str::<Format>(text).ok()?.format;
    KNOWN.iter().find(|(format, _)| *format == declared).map(|(_, name)| *name)
}

/// How many items the top-level JSON array of `text` holds, counted from
/// its structure without building them: a reader can refuse too many before
/// it parses any.
pub fn top_level_items(text: &str) -> usize {
    let (mut depth, mut items, mut empty, mut strings) = (0usize, 0usize, true, Strings::default());
    for b in text.bytes() {
        let structural = strings.structural(b);
        if depth == 1 && !b.is_ascii_whitespace() && (b != b']') {
            empty = false;
        }
        if !structural {
            continue;
        }
        match b {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => items += 1,
            _ => {}
        }
    }
    if empty {
        0
    } else {
        items + 1
    }
}

/// Follows JSON text byte by byte, so a scanner sees only its structure.
#[derive(Default)]
struct Strings {
    inside: bool,
    escaped: bool,
}

impl Strings {
    /// Whether `b` is structure: not part of a string, its quotes included.
    fn structural(&mut self, b: u8) -> bool {
        match (self.inside, self.escaped, b) {
            (false, _, b'"') => self.inside = true,
            (false, _, _) => return true,
            (true, true, _) => self.escaped = false,
            (true, false, b'\\') => self.escaped = true,
            (true, false, b'"') => self.inside = false,
            (true, false, _) => {}
        }
        false
    }
}

/// The depth at which `text` nests too deep, if it does. Counts brackets outside strings.
fn too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut strings) = (0usize, Strings::default());
    for b in text.bytes() {
        if !strings.structural(b) {
            continue;
        }
        match b {
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(MAX_DEPTH);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// `value` as the pretty JSON people read in a file: exactly what
/// `serde_json::to_string_pretty` writes, made by indenting the compact text.
/// Every type is then serialised by one formatter only; a second (pretty)
/// copy of each type's serializer cost about 4 KB gzipped of the wasm module.
pub fn pretty<T: serde::Serialize + ?Sized>(value: &T) -> String {
    indent(&serde_json::to_string(value).expect("our documents serialise"))
}

/// Indents compact JSON text two spaces a level, `": "` after keys, and
/// empty objects and arrays kept on one line, as serde_json's pretty printer does.
pub fn indent(compact: &str) -> String {
    let bytes = compact.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 4);
    let (mut depth, mut strings) = (0usize, Strings::default());
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.extend(std::iter::repeat_n(b' ', 2 * depth));
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        if !strings.structural(b) {
            out.push(b);
            continue;
        }
        match b {
            b'{' | b'[' => {
                out.push(b);
                if matches!(bytes.get(i), Some(b'}' | b']')) {
                    out.push(bytes[i]);
                    i += 1;
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(b);
            }
            b',' => {
                out.push(b);
                newline(&mut out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            _ => out.push(b),
        }
    }
    String::from_utf8(out).expect("indenting keeps UTF-8 intact")
}

/// Parses a small JSON value with no `format` envelope (a change, a draft from
/// JS), naming the path of the first field that does not fit.
pub fn read_value<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, Error> {
    serde_json::from_str(text).map_err(|e| invalid_at(text, what, &e))
}

/// serde_json's error as a problem at its JSON path (not generic: one copy for every type).
fn invalid_at(text: &str, what: &str, e: &serde_json::Error) -> Error {
    let path = path_at(text, e.line(), e.column());
    Error::invalid(what, vec![Problem::new(path, strip_position(&e.to_string()))])
}

/// The JSON path of the value being read at `line` and `column` (1-based, as
/// serde_json reports an error): `$.registrations[3].value`. Found by one
/// scan of the text instead of tracking the path through every type's
/// deserializer (serde_path_to_error did that, for about 20 KB gzipped of wasm).
pub fn path_at(text: &str, line: usize, column: usize) -> String {
    enum Frame {
        Object { key: Option<String> },
        Array { index: usize },
    }
    let mut stack: Vec<Frame> = Vec::new();
    let (mut row, mut col) = (1usize, 0usize);
    let mut bytes = text.bytes();
    let mut expecting_key = false;
    while row < line || (row == line && col < column) {
        let Some(b) = bytes.next() else { break };
        if b == b'\n' {
            row += 1;
            col = 0;
            continue;
        }
        col += 1;
        match b {
            b'{' => {
                stack.push(Frame::Object { key: None });
                expecting_key = true;
            }
            b'[' => {
                stack.push(Frame::Array { index: 0 });
                expecting_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expecting_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { .. }) => expecting_key = true,
                None => {}
            },
            b':' => expecting_key = false,
            b'"' => {
                let mut raw = Vec::new();
                while let Some(c) = bytes.next() {
                    col += 1;
                    match c {
                        b'"' => break,
                        b'\\' => {
                            if let Some(escaped) = bytes.next() {
                                col += 1;
                                raw.push(escaped);
                            }
                        }
                        _ => raw.push(c),
                    }
                }
                if expecting_key {
                    if let Some(Frame::Object { key }) = stack.last_mut() {
                        *key = Some(String::from_utf8_lossy(&raw).into_owned());
                    }
                }
            }
            _ => {}
        }
    }
    let mut path = String::from("$");
    for frame in &stack {
        match frame {
            Frame::Object { key: Some(key) } => {
                if !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    path.push('.');
                    path.push_str(key);
                } else {
                    path.push_str(&format!("[{key:?}]"));
                }
            }
            Frame::Object { key: None } => {}
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

/// serde_json appends " at line 1 column 345"; the JSON path says more to a person.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_items_are_counted_from_the_structure() {
        assert_eq!(top_level_items("[]"), 0);
        assert_eq!(top_level_items(" [ \n ] "), 0);
        assert_eq!(top_level_items("[1]"), 1);
        assert_eq!(top_level_items(r#"[{"a": [1, 2], "b": {"c": 3}}, "x, y", "]\"", null]"#), 4);
        assert_eq!(
            known_format(r#"{"format": "dealreg.key", "secretKey": "…"}"#),
            Some("a dealreg key file")
        );
        assert_eq!(known_format(r#"{"format": "other"}"#), None);
    }

    const KIND: Kind = Kind { what: "test file", format: "dealreg.test", version: 1 };

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Doc {
        format: String,
        version: u32,
        items: Vec<Item>,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        value: f64,
    }

    fn problem(text: &str) -> Problem {
        match read::<Doc>(text, KIND) {
            Err(Error::Invalid { problems, .. }) => problems[0].clone(),
            other => panic!("expected an invalid document, got {other:?}"),
        }
    }

    #[test]
    fn names_the_path_of_a_bad_field() {
        let p = problem(r#"{"format":"dealreg.test","version":1,"items":[{"value":1},{"value":"x"}]}"#);
        assert_eq!(p.path, "$.items[1].value");
        assert!(p.message.contains("expected f64"), "{}", p.message);
        assert!(!p.message.contains("line 1"), "{}", p.message);
    }

    #[test]
    fn paths_name_the_value_being_read() {
        let path =
            |text: &str| read_value::<Vec<Item>>(text, "items").unwrap_err().problems()[0].path.clone();
        assert_eq!(path(r#"[{"value":1},{}]"#), "$[1]");
        assert_eq!(path(r#"[{"value":1},{"value":"x"}]"#), "$[1].value");
        assert_eq!(path("[\n {\"value\": 1},\n {\"value\": true}\n]"), "$[1].value");
        assert_eq!(path(r#"{"value":1}"#), "$");
        let doc = |text: &str| read_value::<Doc>(text, "doc").unwrap_err().problems()[0].path.clone();
        assert_eq!(doc(r#"{"format":"x","version":1,"items":[{"value":"\"},"}]}"#), "$.items[0].value");
        assert_eq!(path_at(r#"{"a b":[1,2,{"c":"#, 1, 17), "$[\"a b\"][2].c");
    }

    #[test]
    fn refuses_foreign_and_future_documents() {
        let p = problem(r#"{"format":"dealreg.programme","version":1}"#);
        assert_eq!(p.path, "$.format");
        assert!(p.message.contains("programme file"), "{}", p.message);
        assert_eq!(problem(r#"{"name":"x"}"#).path, "$.format");
        let p = problem(r#"{"format":"dealreg.test","version":7,"items":[]}"#);
        assert!(p.message.contains("newer dealreg"), "{}", p.message);
        assert_eq!(problem(r#"{"format":"dealreg.test","version":0}"#).path, "$.version");
    }

    #[test]
    fn refuses_non_objects_empty_text_and_deep_nesting() {
        assert!(problem("[1,2]").message.contains("not a JSON object"));
        assert!(problem("   ").message.contains("empty"));
        assert!(problem("{not json").message.contains("not JSON"));
        let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(problem(&deep).message.contains("nests deeper"));
        // Brackets inside strings do not count.
        let text = format!(r#"{{"format":"dealreg.test","version":1,"items":[],"x":"{}"}}"#, "[".repeat(100));
        assert!(read::<serde_json::Value>(&text, KIND).is_ok());
    }
}
