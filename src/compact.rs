//! The compact form of the desk kept in storage. Chromium gives a page's
//! localStorage 5,242,879 UTF-16 code units whatever the characters
//! (measured), so a desk kept as JSON text held about 7,000 registrations.
//! Kept compact, the desk's JSON is compressed with DEFLATE in a zlib stream
//! (whose Adler-32 checks what comes out: the checksum of [`crate::seal`] is
//! for desks kept as JSON before) and the bytes are packed 15 to a character,
//! so 50,000 registrations take 59% of the quota. The header carries the
//! save's revision, so a tab checks another tab's save without inflating it:
//!
//! `dealreg:z1:<revision>:<bytes>:<packed>`
//!
//! The packing is ours: the one crate for it (`base32768`, 2017) is unkept.
//! Characters are U+0020 + a 15-bit value, U+0020 to U+801F: never a
//! surrogate, so the text survives any UTF-16 and UTF-8 round trip.

const PREFIX: &str = "dealreg:z1:";
/// Measured natively on 50,000 varied registrations (47 MB of JSON;
/// `bigBackup` in tests/e2e/helpers.mjs): level 1 packs them into 4.72 M
/// characters (90% of the quota) in 207 ms, level 3 into 3.00 M in 458 ms,
/// level 6 into 2.78 M in 1,055 ms.
const LEVEL: u8 = 3;
/// More than any desk this page can hold: a damaged or hostile stored value
/// cannot make reading it allocate without bound.
const MAX_DOCUMENT: usize = 1 << 30;

/// `document` (the desk's JSON) in its compact form.
pub fn encode(document: &str, revision: u64) -> String {
    pack(&miniz_oxide::deflate::compress_to_vec_zlib(document.as_bytes(), LEVEL), revision)
}

/// A zlib stream under the compact form's header, packed 15 bits a
/// character (`encode` without the compression: for the fuzz target).
pub fn pack(bytes: &[u8], revision: u64) -> String {
    let mut out = format!("{PREFIX}{revision}:{}:", bytes.len());
    out.reserve(bytes.len().div_ceil(15) * 8 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        if bits >= 15 {
            bits -= 15;
            out.push(unit(acc >> bits));
            acc &= (1 << bits) - 1;
        }
    }
    if bits > 0 {
        out.push(unit(acc << (15 - bits)));
    }
    out
}

fn unit(value: u32) -> char {
    char::from_u32(0x20 + (value & 0x7fff)).expect("U+0020..U+801F are characters")
}

/// A compact stored text with its header naming `revision` instead, its
/// content as it is; `None` for any other text.
pub fn with_revision(stored: &str, revision: u64) -> Option<String> {
    let rest = stored.strip_prefix(PREFIX)?;
    let (_, after) = rest.split_once(':')?;
    after.split_once(':')?;
    Some(format!("{PREFIX}{revision}:{after}"))
}

/// The revision a compact stored text names, read from its header alone;
/// `None` for any other text.
pub fn revision(stored: &str) -> Option<u64> {
    header(stored).map(|(revision, _, _)| revision)
}

fn header(stored: &str) -> Option<(u64, usize, &str)> {
    let rest = stored.strip_prefix(PREFIX)?;
    let (revision, rest) = rest.split_once(':')?;
    let (bytes, packed) = rest.split_once(':')?;
    Some((revision.parse().ok()?, bytes.parse().ok()?, packed))
}

/// The document inside a compact stored text and the revision its header
/// names; `None` if the text is not in the compact form (a desk kept as JSON
/// before it, read as it is), and why not if it is but cannot be read.
pub fn decode(stored: &str) -> Option<Result<(String, u64), String>> {
    if !stored.starts_with(PREFIX) {
        return None;
    }
    Some(decode_compact(stored))
}

fn decode_compact(stored: &str) -> Result<(String, u64), String> {
    let (revision, length, packed) = header(stored).ok_or("its header cannot be read")?;
    let mut bytes = Vec::with_capacity(length.min(packed.len() * 2));
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in packed.chars() {
        let value = (c as u32).wrapping_sub(0x20);
        if value > 0x7fff {
            return Err(format!("it holds a character ({:#x}) the compact form never writes", c as u32));
        }
        acc = (acc << 15) | value;
        bits += 15;
        while bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
        }
        acc &= (1 << bits) - 1;
    }
    // What pads the last character out is written as zeros.
    let padding_is_zero = acc == 0 && bytes.get(length..).is_some_and(|extra| extra.iter().all(|&b| b == 0));
    if bytes.len() < length || bytes.len() > length + 1 || !padding_is_zero {
        return Err(format!("it holds {} bytes where its header says {length}", bytes.len()));
    }
    bytes.truncate(length);
    let document = miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&bytes, MAX_DOCUMENT)
        .map_err(|e| format!("it does not inflate ({e})"))?;
    let document = String::from_utf8(document).map_err(|_| "it inflates to text that is not UTF-8")?;
    Ok((document, revision))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compact_text_takes_another_revision_and_keeps_its_content() {
        let text = encode("{\"format\":\"dealreg.workspace\"}", 7);
        let moved = with_revision(&text, 12).unwrap();
        assert_eq!(revision(&moved), Some(12));
        assert_eq!(decode(&moved).unwrap().unwrap(), decode(&text).unwrap().map(|(d, _)| (d, 12)).unwrap());
        assert_eq!(with_revision("{\"format\":1}", 3), None);
    }

    #[test]
    fn a_document_comes_back_whole_from_its_compact_form() {
        for doc in ["", "{}", "a", "ab", "{\"name\":\"Müller & Söhne 株式会社 😀\"}", &"x".repeat(10_001)]
        {
            let stored = encode(doc, 42);
            assert!(stored.starts_with("dealreg:z1:42:"));
            assert!(stored.chars().all(|c| (' '..='\u{801f}').contains(&c)));
            assert_eq!(decode(&stored), Some(Ok((doc.to_string(), 42))));
            assert_eq!(revision(&stored), Some(42));
        }
        let big =
            "{\"registrations\":[".to_string() + &"{\"id\":\"R-1\",\"value\":100.0},".repeat(5000) + "]}";
        assert!(encode(&big, 1).chars().count() * 20 < big.len(), "repetitive JSON packs small");
    }

    #[test]
    fn plain_text_is_not_compact_and_damage_is_found() {
        assert_eq!(decode("{\"format\":\"dealreg.workspace\"}"), None);
        assert_eq!(revision("{}"), None);
        let stored = encode("{\"format\":\"dealreg.workspace\",\"version\":4,\"registrations\":[]}", 3);
        // Any one character changed: the stream no longer inflates or fails its Adler-32.
        let chars: Vec<char> = stored.chars().collect();
        let start = stored.rfind(':').unwrap() + 1;
        for i in start..chars.len() {
            let mut damaged = chars.clone();
            damaged[i] = if damaged[i] == 'A' { 'B' } else { 'A' };
            let damaged: String = damaged.into_iter().collect();
            assert!(matches!(decode(&damaged), Some(Err(_))), "character {i}");
        }
        assert!(matches!(decode(&(stored.clone() + "A")), Some(Err(_))), "a character added");
        let short: String = chars[..chars.len() - 1].iter().collect();
        assert!(matches!(decode(&short), Some(Err(_))), "cut short");
        assert!(matches!(decode("dealreg:z1:x:1:A"), Some(Err(_))));
        assert!(matches!(decode("dealreg:z1:1:1:\u{9000}"), Some(Err(_))));
    }
}
