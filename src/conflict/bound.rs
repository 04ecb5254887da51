//! A cheap upper bound of the score of two customers, so that a scan can skip
//! the pairs that cannot reach a possible match before measuring their names
//! ([`super::FuzzyMatcher::could_match`]). A [`Sketch`] of each profile holds,
//! without pointers, what the bound needs: letter counts, word and domain bits,
//! hashes. Nanoseconds a pair instead of the metrics' microseconds.
//!
//! Why the name part is a bound: Jaro's matching characters and the Indel
//! ratio's common subsequence are both at most the characters the two strings
//! share counted as multisets, and that count can only grow when letters are
//! put together in fewer buckets (min(a+b, c+d) >= min(a, c) + min(b, d)).

/// How many of each character a string holds, in 32 buckets (the 26 letters,
/// digits in five pairs, one for spaces and everything else), eight to a
/// word, and its length in characters as the metrics count them; `None` past
/// 127 of one bucket or 255 in all, which [`shared`] cannot add.
fn letters(s: &str) -> Option<([u64; 4], u8)> {
    let mut counts = [0u8; 32];
    let mut len = 0u8;
    for c in s.chars() {
        let bucket = match c {
            'a'..='z' => c as usize - 'a' as usize,
            '0'..='9' => 26 + (c as usize - '0' as usize) / 2,
            _ => 31,
        };
        counts[bucket] = counts[bucket].checked_add(1).filter(|&n| n <= 127)?;
        len = len.checked_add(1)?;
    }
    let word = |k: usize| u64::from_le_bytes(counts[8 * k..8 * k + 8].try_into().expect("8 bytes"));
    Some(([word(0), word(1), word(2), word(3)], len))
}

/// How many characters two strings share, counted as multisets: the sum of
/// the smaller count of each bucket, eight buckets at a time in a `u64`
/// (the scan asks this millions of times, and wasm has no vectors here).
/// Counts are at most 127, so `a + 128 - b` never borrows from the next
/// byte and its top bit says `a >= b`; a sum is at most the shorter length,
/// 255, so adding bytes never carries either.
fn shared(a: &[u64; 4], b: &[u64; 4]) -> u32 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut sum = 0u64;
    for (&x, &y) in a.iter().zip(b) {
        let at_least = ((x | HIGH) - y) & HIGH;
        let take_y = (at_least >> 7) * 0xff;
        sum += (y & take_y) | (x & !take_y);
    }
    (sum.wrapping_mul(0x0101_0101_0101_0101) >> 56) as u32
}

/// RapidFuzz's Jaro-Winkler: the prefix bonus (0.1 a character, at most four)
/// applies above a Jaro similarity of 0.7.
const PREFIX_WEIGHT: f64 = 0.1;
const BONUS_ABOVE: f64 = 0.7;

/// At least Jaro-Winkler and the Indel ratio of two strings of these lengths
/// sharing `shared` characters (as multisets) and a prefix of `prefix`.
fn bounds(la: f64, lb: f64, shared: f64, prefix: usize) -> (f64, f64) {
    if shared == 0.0 {
        return (0.0, 0.0);
    }
    let jaro = ((shared / la + shared / lb + 1.0) / 3.0).min(1.0);
    let jw =
        if jaro > BONUS_ABOVE { jaro + prefix.min(4) as f64 * PREFIX_WEIGHT * (1.0 - jaro) } else { jaro };
    (jw, (2.0 * shared / (la + lb)).min(1.0))
}

/// What the bound needs of a profile, in two cache lines
/// without pointers: a scan looks at millions of pairs, and following a
/// profile's strings costs more than the arithmetic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sketch {
    letters: [u64; 4],
    core_letters: [u64; 4],
    len: u8,
    core_len: u8,
    /// A count over 127 or a length over 255: no bound, every pair is compared.
    long: bool,
    /// The core differs from the normal form (the name has generic words).
    generic: bool,
    head: [u8; 4],
    sorted_head: [u8; 4],
    core_head: [u8; 4],
    /// One bit a word (hashed); a shared bit may be a shared word.
    words: u64,
    tokens: u8,
    /// A word of more than two letters that is not generic.
    distinctive: bool,
    /// A hash of the first word when it could make a shared first word, else 0.
    first: u32,
    acronym_head: u8,
    numbers: u32,
    domains: u64,
    country: u32,
    city: bool,
}

fn hash(text: &str) -> u32 {
    // FNV-1a; 0 is kept for "none".
    let h = text.bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    h.max(1)
}

fn head(text: &str) -> [u8; 4] {
    let mut out = [0; 4];
    for (slot, b) in out.iter_mut().zip(text.bytes()) {
        *slot = b;
    }
    out
}

impl Sketch {
    pub fn of(profile: &super::Profile) -> Sketch {
        let name = &profile.name;
        let (all, core) = (letters(&name.normal), letters(&name.core));
        let long = all.is_none() || core.is_none();
        let ((letters, len), (core_letters, core_len)) = (all.unwrap_or_default(), core.unwrap_or_default());
        let bit = |word: &str| 1u64 << (hash(word) % 64);
        Sketch {
            letters,
            core_letters,
            len,
            core_len,
            long,
            generic: name.core != name.normal,
            head: head(&name.normal),
            sorted_head: head(&name.sorted),
            core_head: head(&name.core),
            words: name.tokens.iter().fold(0, |w, t| w | bit(t)),
            tokens: name.tokens.len().min(255) as u8,
            distinctive: name.tokens.iter().enumerate().any(|(i, t)| t.len() > 2 && !name.is_generic(i)),
            first: name.tokens.first().filter(|t| t.len() >= 3 && !name.is_generic(0)).map_or(0, |t| hash(t)),
            acronym_head: name.acronym.bytes().next().unwrap_or(0),
            numbers: if name.numbers.is_empty() { 0 } else { hash(&name.numbers.join(" ")) },
            domains: profile.domains.iter().fold(0, |w, d| w | bit(d)),
            country: if profile.country.is_empty() { 0 } else { hash(&profile.country) },
            city: !profile.city.is_empty(),
        }
    }

    /// At least the score `FuzzyMatcher::settle` gives the pair: every
    /// signal that could lift it is assumed to (a shared bit may be a shared
    /// word), and only signals that surely lower it do. Mirrors `settle` step by step.
    /// A shared first word lifts the name score to `lift` and the final score
    /// to `floor` (0 for nothing), as the programme has it.
    pub fn best_score(&self, other: &Sketch, lift: f64, floor: f64) -> f64 {
        use super::weights::*;
        let (a, b) = (self, other);
        if a.long || b.long {
            return 1.0;
        }
        let mut score = if a.len == 0 || b.len == 0 {
            0.0
        } else {
            let prefix =
                |x: [u8; 4], y: [u8; 4]| x.iter().zip(&y).take_while(|(p, q)| p == q && **p != 0).count();
            let bound = |x: &[u64; 4], y: &[u64; 4], lx: u8, ly: u8, prefix: usize| {
                bounds(f64::from(lx), f64::from(ly), f64::from(shared(x, y)), prefix)
            };
            let p = prefix(a.head, b.head).max(prefix(a.sorted_head, b.sorted_head));
            let (mut jw, mut ratio) = bound(&a.letters, &b.letters, a.len, b.len, p);
            if a.generic != b.generic {
                let (j, r) = bound(
                    &a.core_letters,
                    &b.core_letters,
                    a.core_len,
                    b.core_len,
                    prefix(a.core_head, b.core_head),
                );
                jw = jw.max(j);
                ratio = ratio.max(r);
            }
            (jw + ratio) / 2.0
        };
        let group = a.first != 0 && a.first == b.first;
        if a.words & b.words != 0 {
            let inside = |x: &Sketch, y: &Sketch| x.distinctive && x.words & !y.words == 0;
            if inside(a, b) || inside(b, a) {
                score = score.max(TOKEN_SUBSET);
            }
            if group {
                score = score.max(lift);
            }
        }
        let acronym = |x: &Sketch, y: &Sketch| x.tokens == 1 && y.tokens >= 2 && x.head[0] == y.acronym_head;
        if acronym(a, b) || acronym(b, a) {
            score = score.max(ACRONYM);
        }
        if a.numbers != b.numbers {
            score = score.min(NUMBERS_DIFFER);
        }
        if a.country != 0 && b.country != 0 && a.country != b.country {
            score *= COUNTRY_MISMATCH;
        }
        if a.city && b.city {
            score += CITY_MATCH;
        }
        if a.domains != 0 && b.domains != 0 {
            if a.domains & b.domains != 0 {
                score = score.max(DOMAIN_MATCH);
            } else {
                score *= DOMAIN_MISMATCH;
            }
        }
        if group {
            score = score.max(floor);
        }
        score.clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{FuzzyMatcher, Profile};
    use super::*;

    #[test]
    fn shared_letters_are_the_smaller_counts_summed() {
        let naive = |x: &str, y: &str| {
            let (a, b) = (letters(x).unwrap().0, letters(y).unwrap().0);
            let bytes = |w: [u64; 4]| w.iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<u8>>();
            bytes(a).iter().zip(bytes(b)).map(|(&p, q)| u32::from(p.min(q))).sum::<u32>()
        };
        let many = "z".repeat(127);
        let names = [
            "",
            "a",
            "volvo cars",
            "vlovo car corp 42",
            "zzz yyy xxx 0 9",
            many.as_str(),
            "a b c d e f g h i j k l m n o p q r s t u v w x y z 0 2 4 6 8 ~",
        ];
        for x in names {
            for y in names {
                assert_eq!(
                    shared(&letters(x).unwrap().0, &letters(y).unwrap().0),
                    naive(x, y),
                    "{x:?} {y:?}"
                );
            }
        }
        assert_eq!(shared(&letters("volvo").unwrap().0, &letters("vlovo car").unwrap().0), 5);
        assert!(letters(&"z".repeat(128)).is_none(), "a count past 127: no bound");
    }

    #[test]
    fn never_below_the_score() {
        let names = [
            "Volvo Car Corporation",
            "Volov Cars AB",
            "Scania",
            "Sacnia CV",
            "Nordea Bank",
            "Deutsche Bank AG",
            "IBM",
            "International Business Machines",
            "Fund 23",
            "Fund 24",
            "Volvo Group",
            "A",
            "",
        ];
        let matcher = FuzzyMatcher::default();
        for a in names {
            for b in names {
                let (a, b) =
                    (Profile::new(a, &["volvo.com"], "SE", "Gothenburg"), Profile::new(b, &[""], "SE", ""));
                // Rounded as scores are, and as `could_match` reads it.
                let best = super::super::round(Sketch::of(&a).best_score(&Sketch::of(&b), 0.76, 0.0));
                let exact = matcher.compare_profiles(&a, &b).score;
                assert!(best >= exact, "{:?} {:?}: {exact} above {best}", a.name.normal, b.name.normal);
            }
        }
        // Past 255 of a letter or in length the counts would wrap: no bound, never a skip.
        let long = "Aaaa ".repeat(80);
        let (a, b) = (Profile::new(&long, &[""], "", ""), Profile::new("Zed", &[""], "", ""));
        assert_eq!(Sketch::of(&a).best_score(&Sketch::of(&b), 0.76, 0.0), 1.0);
        let (a, b) = (Profile::new("Nordea", &[""], "", ""), Profile::new("Deutsche", &[""], "", ""));
        assert!(Sketch::of(&a).best_score(&Sketch::of(&b), 0.76, 0.0) < 0.75, "it does bound");
    }
}
