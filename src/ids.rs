//! Ids that never collide: across desks, across a desk started again, and
//! across time. An id is a prefix (whose record it is) and 128 random bits
//! the caller hands in (the page's `crypto.getRandomValues`), written in
//! Crockford's base32: `p-nordlys-3v6k0q9d8m2x7c1fy4hn5twbze`. Nothing is
//! counted, so a second desk of the same partner, or the same desk after
//! "Start an empty desk", cannot issue an id that is already in use.
//!
//! Records made before this existed keep their counted ids (`p-nordlys-R0001`);
//! a decision is bound to the deal it decides by [`crate::registration::Registration::deal_digest`],
//! so even those can never take another deal's decision.

/// Random bytes for one new id, handed in by the caller like the time.
pub type Random = [u8; 16];

/// Crockford's base32 alphabet, lower case: no i, l, o or u, so an id read
/// aloud or typed from paper is not misread. Written out rather than taken
/// from a crate: a general base32 encoder is larger than these lines.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// `prefix-` and the 128 bits of `random` in base32 (26 characters).
pub fn fresh(prefix: &str, random: Random) -> String {
    let mut bits = u128::from_be_bytes(random);
    let mut code = [0u8; 26];
    for slot in code.iter_mut().rev() {
        *slot = ALPHABET[(bits & 31) as usize];
        bits >>= 5;
    }
    let code = std::str::from_utf8(&code).expect("the alphabet is ASCII");
    format!("{prefix}-{code}")
}

/// `n` distinct ids from one draw of randomness: the draw plus 0, 1, 2, ...
/// Distinct within the batch by construction, and as unlikely to meet any
/// other id as one random id is.
pub fn fresh_batch(prefix: &str, random: Random, n: usize) -> impl Iterator<Item = String> + '_ {
    let start = u128::from_be_bytes(random);
    (0..n as u128).map(move |i| fresh(prefix, start.wrapping_add(i).to_be_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_the_prefix_and_26_characters_of_the_alphabet() {
        let id = fresh("p-nordlys", [0xff; 16]);
        // 128 bits in 26 five-bit digits: the first digit holds the top 3 bits.
        assert_eq!(id, "p-nordlys-7zzzzzzzzzzzzzzzzzzzzzzzzz");
        assert_eq!(fresh("L", [0; 16]), "L-00000000000000000000000000");
        let mut one = [0u8; 16];
        one[15] = 33;
        assert_eq!(fresh("x", one), "x-00000000000000000000000011");
        let id = fresh("p", *b"0123456789abcdef");
        assert!(id[2..].bytes().all(|b| ALPHABET.contains(&b)), "{id}");
        assert_eq!(id.len(), 2 + 26);
    }

    #[test]
    fn different_bytes_give_different_ids_and_a_batch_has_no_repeat() {
        let mut seen = std::collections::HashSet::new();
        for byte in 0..=255u8 {
            let mut random = [7u8; 16];
            random[byte as usize % 16] ^= byte;
            random[0] = byte;
            assert!(seen.insert(fresh("p", random)));
        }
        // A draw near the top wraps round instead of overflowing.
        let batch: Vec<String> = fresh_batch("L", [0xff; 16], 3).collect();
        assert_eq!(batch.len(), 3);
        assert_eq!(batch[1], "L-00000000000000000000000000");
        assert_eq!(batch.iter().collect::<std::collections::HashSet<_>>().len(), 3);
    }
}
