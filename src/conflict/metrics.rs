//! The matcher's two string metrics, Jaro-Winkler and the Indel ratio, over
//! names of at most 64 bytes: the same numbers as RapidFuzz (rapidfuzz-rs),
//! computed from one bit table of the first name that serves both metrics.
//!
//! Why by hand: rapidfuzz-rs computes the same bit-parallel algorithms, but
//! through iterator-generic code that builds its pattern table on every call,
//! once per metric; on this VM that was a quarter of the speed of RapidFuzz's
//! C++ (BENCHMARKS.md). Names are nearly always shorter than 64 bytes, which
//! lets one `u64` hold a name's positions; longer ones go to rapidfuzz-rs,
//! which stays the reference the tests check these functions against.

/// A name's positions by byte: bit `i` of `masks[c]` is set when byte `i` is
/// `c`. Made once, it serves every comparison of that name with others.
pub struct Pattern {
    masks: [u64; 256],
    bytes: [u8; 64],
    len: usize,
}

impl Pattern {
    /// The table of a name, or `None` when it is longer than 64 bytes.
    pub fn new(text: &[u8]) -> Option<Pattern> {
        if text.len() > 64 {
            return None;
        }
        let mut pattern = Pattern { masks: [0; 256], bytes: [0; 64], len: text.len() };
        pattern.bytes[..text.len()].copy_from_slice(text);
        for (i, &c) in text.iter().enumerate() {
            pattern.masks[c as usize] |= 1 << i;
        }
        Some(pattern)
    }

    fn text(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Jaro-Winkler similarity with RapidFuzz's defaults (prefix weight 0.1,
    /// at most 4 prefix characters, boost above 0.7).
    pub fn jaro_winkler(&self, other: &[u8]) -> f64 {
        if other.len() > 64 {
            let text = self.text().iter().copied();
            return rapidfuzz::distance::jaro_winkler::normalized_similarity(text, other.iter().copied());
        }
        let mut sim = self.jaro(other);
        if sim > 0.7 {
            let prefix = self.text().iter().zip(other).take(4).take_while(|(a, b)| a == b).count();
            sim += prefix as f64 * 0.1 * (1.0 - sim);
        }
        // RapidFuzz normalises through the distance: the same rounding, to the last bit.
        1.0 - (1.0 - sim)
    }

    /// Jaro similarity: characters in common within half the longer length
    /// of each other, and how many of them are out of order.
    fn jaro(&self, t: &[u8]) -> f64 {
        debug_assert!(t.len() <= 64);
        let (p_len, t_len) = (self.len, t.len());
        if p_len == 0 && t_len == 0 {
            return 1.0;
        }
        if p_len == 0 || t_len == 0 {
            return 0.0;
        }
        if p_len == 1 && t_len == 1 {
            return f64::from(u8::from(self.bytes[0] == t[0]));
        }
        let bound = p_len.max(t_len) / 2 - 1;
        // Characters of t past the last one the window reaches can match nothing.
        let t_used = t_len.min(p_len + bound);

        // Flag, for each character of t in turn, the first unflagged equal one
        // of the pattern within the window.
        let (mut p_flag, mut t_flag) = (0u64, 0u64);
        // The window grows for the first `bound` characters, then slides.
        let mut window = (1u64 << (bound + 1)) - 1;
        let grows = bound.min(t_used);
        for (j, &c) in t[..grows].iter().enumerate() {
            let found = self.masks[c as usize] & window & !p_flag;
            p_flag |= found & found.wrapping_neg();
            t_flag |= u64::from(found != 0) << j;
            window = (window << 1) | 1;
        }
        for (j, &c) in t[..t_used].iter().enumerate().skip(grows) {
            let found = self.masks[c as usize] & window & !p_flag;
            p_flag |= found & found.wrapping_neg();
            t_flag |= u64::from(found != 0) << j;
            window <<= 1;
        }
        let common = p_flag.count_ones() as usize;
        if common == 0 {
            return 0.0;
        }

        // Transpositions: the flagged characters of t and of the pattern, paired in order.
        let mut transpositions = 0usize;
        while t_flag != 0 {
            let lowest = p_flag & p_flag.wrapping_neg();
            let j = t_flag.trailing_zeros() as usize;
            transpositions += usize::from(self.masks[t[j] as usize] & lowest == 0);
            t_flag &= t_flag - 1;
            p_flag ^= lowest;
        }
        let transpositions = transpositions / 2;
        let common = common as f64;
        let mut sim = common / p_len as f64;
        sim += common / t_len as f64;
        sim += (common - transpositions as f64) / common;
        sim / 3.0
    }

    /// The Indel ratio: twice the longest common subsequence over both lengths
    /// (Hyyrö's bit-parallel LCS), `other` of any length.
    pub fn indel_ratio(&self, other: &[u8]) -> f64 {
        let total = self.len + other.len();
        if total == 0 {
            return 1.0;
        }
        let mut s = u64::MAX;
        for &c in other {
            let u = s & self.masks[c as usize];
            s = s.wrapping_add(u) | (s - u);
        }
        let used = if self.len == 64 { u64::MAX } else { (1u64 << self.len) - 1 };
        let lcs = (!s & used).count_ones() as usize;
        1.0 - (total - 2 * lcs) as f64 / total as f64
    }
}

/// Jaro-Winkler and the Indel ratio of two names, as RapidFuzz has them.
pub fn measure(a: &[u8], b: &[u8]) -> (f64, f64) {
    match Pattern::new(a) {
        Some(pattern) => (pattern.jaro_winkler(b), pattern.indel_ratio(b)),
        None => (
            rapidfuzz::distance::jaro_winkler::normalized_similarity(a.iter().copied(), b.iter().copied()),
            rapidfuzz::fuzz::ratio(a.iter().copied(), b.iter().copied()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(a: &[u8], b: &[u8]) -> (f64, f64) {
        (
            rapidfuzz::distance::jaro_winkler::normalized_similarity(a.iter().copied(), b.iter().copied()),
            rapidfuzz::fuzz::ratio(a.iter().copied(), b.iter().copied()),
        )
    }

    #[test]
    fn known_answers() {
        for (a, b, want) in
            [("MARTHA", "MARHTA", 0.9611), ("DWAYNE", "DUANE", 0.8400), ("DIXON", "DICKSONX", 0.8133)]
        {
            let (jw, _) = measure(a.as_bytes(), b.as_bytes());
            assert!((jw - want).abs() < 5e-5, "{a}/{b}: {jw}");
        }
        assert_eq!(measure(b"", b""), (1.0, 1.0));
        assert_eq!(measure(b"a", b""), (0.0, 0.0));
        assert_eq!(measure(b"abc", b"xyz"), (0.0, 0.0));
    }

    #[test]
    fn the_same_numbers_as_rapidfuzz_at_every_length() {
        // Lengths 0 to 70 around the 64-byte word, with repeats, shifts and typos.
        let base = b"acme international business machines holding gmbh und co kg nordic ab";
        let mut names: Vec<Vec<u8>> = Vec::new();
        for len in [0, 1, 2, 3, 5, 8, 13, 21, 31, 32, 33, 40, 63, 64, 65, 70] {
            let n = &base[..len.min(base.len())];
            names.push(n.to_vec());
            let mut swapped = n.to_vec();
            if len > 3 {
                swapped.swap(1, 2);
                names.push(swapped);
                names.push(n[1..].to_vec());
                names.push(n.iter().rev().copied().collect());
                names.push(n.iter().map(|c| if *c == b'a' { b'e' } else { *c }).collect());
            }
        }
        names.push(b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".to_vec());
        names.push(b"ab".to_vec());
        names.push(b"ba".to_vec());
        for a in &names {
            for b in &names {
                assert_eq!(
                    measure(a, b),
                    reference(a, b),
                    "{:?} / {:?}",
                    String::from_utf8_lossy(a),
                    String::from_utf8_lossy(b)
                );
            }
        }
    }
}
