//! The seal on a desk kept in storage as JSON text, before the compact form
//! ([`crate::compact`], which carries the revision in its header and checks
//! its content with zlib's Adler-32): a last member `"stored"` holding the
//! save's revision and a checksum of the document before it. Such desks are
//! still read (and written again compact at their next save); `seal` itself
//! is left for tests that make one. The checksum finds a desk damaged or
//! edited outside dealreg even when it still reads as valid JSON. A desk
//! written before seals existed is read as it is.

use sha2::{Digest, Sha512};

/// What the seal's member starts with, as serde_json writes it (compact).
const MEMBER: &str = ",\"stored\":{\"revision\":";

/// The seal of a stored desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seal {
    pub revision: u64,
    /// Whether the checksum matches the document.
    pub intact: bool,
}

/// The first 16 bytes of the document's SHA-512, in hex (SHA-512 is in the
/// module already, for signatures).
fn checksum(document: &str) -> String {
    let digest = Sha512::digest(document.as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// `document` (a compact JSON object with members: a workspace always has
/// its format) with its seal as the last member.
pub fn seal(document: &str, revision: u64) -> String {
    let body = document.strip_suffix('}').expect("a JSON object ends with }");
    format!("{body},\"stored\":{{\"revision\":{revision},\"checksum\":\"{}\"}}}}", checksum(document))
}

/// The document inside a stored text and its seal, if it has one.
pub fn open(stored: &str) -> (String, Option<Seal>) {
    let Some(at) = stored.rfind(MEMBER) else { return (stored.to_string(), None) };
    let tail = &stored[at + MEMBER.len()..];
    let parsed = tail.split_once(",\"checksum\":\"").and_then(|(revision, rest)| {
        let (sum, end) = rest.split_once('"')?;
        (end == "}}").then_some(())?;
        Some((revision.parse::<u64>().ok()?, sum))
    });
    match parsed {
        Some((revision, sum)) => {
            let document = format!("{}}}", &stored[..at]);
            let intact = checksum(&document) == sum;
            (document, Some(Seal { revision, intact }))
        }
        // A member that looks like a seal but is not one: the document is judged as it is.
        None => (stored.to_string(), None),
    }
}

/// The revision of a stored text (0 for none, or one without a seal), read
/// from its end without parsing the document.
pub fn revision(stored: Option<&str>) -> u64 {
    stored.and_then(open_revision).unwrap_or(0)
}

fn open_revision(text: &str) -> Option<u64> {
    let at = text.rfind(MEMBER)?;
    text[at + MEMBER.len()..].split_once(',')?.0.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_document_opens_to_itself_and_any_edit_breaks_the_seal() {
        let doc = r#"{"format":"dealreg.workspace","version":4,"registrations":[{"value":100.0}]}"#;
        let stored = seal(doc, 7);
        assert!(stored.contains(r#"}],"stored":{"revision":7,"checksum":""#), "{stored}");
        assert_eq!(open(&stored), (doc.to_string(), Some(Seal { revision: 7, intact: true })));
        assert_eq!(revision(Some(&stored)), 7);
        let edited = stored.replace("100.0", "900.0");
        assert_eq!(open(&edited).1, Some(Seal { revision: 7, intact: false }));
        // Before seals: read as it is, revision 0.
        assert_eq!(open(doc), (doc.to_string(), None));
        assert_eq!(revision(Some(doc)), 0);
        assert_eq!(revision(None), 0);
    }
}
