//! An index of customer profiles, so that one check compares a customer with
//! the few stored ones that could be the same, not with all of them, and a
//! scan of all of them looks only at the pairs that share a key. Each profile
//! is filed under blocking keys (see [`keys`]): its distinctive words, their
//! beginnings and the words themselves less one letter, its words joined, its
//! acronym and its registrable domains. A customer's candidates are everything
//! filed under any of its keys; keys shared by very many profiles (a common
//! word) are skipped, other keys still find those profiles. Keys are hashes,
//! not strings: an index of 100,000 holds millions of them. Equal profiles
//! (one customer registered again) are linked, so a scan scores them once.

use rustc_hash::{FxHashMap, FxHashSet};

use std::rc::Rc;

use super::bound::Sketch;
use super::names::{Name, GENERIC};
use super::sort::sort;
use super::Known;
use super::Profile;

/// A key shared by more profiles than this says little and would make each
/// check slow; such keys are not searched (domains always are).
pub const MAX_BLOCK: usize = 100;

/// The same for a word's first four letters or fewer (a five-letter start
/// less one letter): "inte" or "tech" starts many unrelated names. On
/// 100,000 customers their blocks of 51 to 100 made 29% of the scan's pairs
/// for 0.04% of its sure matches, and mostly chance look-alikes ("ATEA",
/// "Tesa").
pub const MAX_SHORT_BLOCK: usize = 50;

/// No profile or block.
const NONE: u32 = u32::MAX;

/// A word in more than this many profiles (and 1 in 1,000) is common: sharing it
/// as a first word does not suggest one group of companies.
pub const COMMON_WORD: usize = 20;

#[derive(Debug, Default)]
pub struct CustomerIndex {
    /// The indexed customers, profiled and sketched.
    customers: Known,
    /// Each key's block, numbered from 0.
    keys: FxHashMap<Key, u32>,
    /// Block `b` holds the profiles `members[starts[b]..starts[b + 1]]`,
    /// ascending: one array for all blocks, as most hold one profile and a
    /// list each cost an allocation each (a quarter of building the index).
    starts: Vec<u32>,
    members: Vec<u32>,
    /// Each block's [`Reach`], which says how big it may be and still be searched.
    reach: Vec<Reach>,
    /// Each profile's blocks: the range of `blocks_filed` it was filed under
    /// (profiles keyed like an earlier one share its range).
    filed: Vec<(u32, u32)>,
    blocks_filed: Vec<u32>,
    /// For each profile, the first with its words and domains, whose keys it has.
    keyed_like: Vec<u32>,
    /// Each profile's normal form, as a number: equal numbers, equal forms.
    spellings: Vec<u32>,
    /// For each profile, the first equal to it (itself if none is before
    /// it), and the next after it ([`NONE`] for none): a register holds the
    /// same customer again and again, and equal profiles score alike.
    first_equal: Vec<u32>,
    next_equal: Vec<u32>,
    /// In how many profiles each word is.
    words: FxHashMap<String, u32>,
    /// Words in more than [`MAX_BLOCK`] profiles.
    frequent: FxHashSet<String>,
}

/// The blocking keys of a profile. Each distinctive word is filed whole; its
/// first five letters with each one-letter deletion of them, and the whole word
/// with each (deletion neighbourhoods, as SymSpell does), so one typo, missing,
/// extra or swapped letter still shares a key with the right spelling. The
/// starts of four letters or fewer are searched in smaller blocks
/// ([`MAX_SHORT_BLOCK`]).
///
/// A name with a frequent word ("American Resources", "Media Capita") may find
/// its misspellings under none of its words' keys, which are too common to be
/// searched, or not shared; it is also filed under its distinctive words sorted
/// and joined, and each one-letter deletion of that.
pub fn keys(profile: &Profile, frequent: &FxHashSet<String>) -> Vec<Key> {
    let name = &profile.name;
    let mut keys = Vec::new();
    // A key and each one-letter deletion of it, the deletions tagged `less`.
    let with_deletions = |tag: u8, less: u8, letters: &[char], keys: &mut Vec<Key>| {
        keys.push(Key::of(tag, letters.iter().copied()));
        for skip in 0..letters.len() {
            let deleted = letters.iter().enumerate().filter(|&(i, _)| i != skip).map(|(_, &c)| c);
            keys.push(Key::of(less, deleted));
        }
    };
    // Starts of five letters are 'e', shorter ones 'f' (searched in smaller blocks).
    let neighbourhood = |word: &str, keys: &mut Vec<Key>| {
        let prefix: Vec<char> = word.chars().take(5).collect();
        match prefix.len() {
            0..=2 => {}
            3 => keys.push(Key::of(b'f', prefix.iter().copied())),
            4 => with_deletions(b'f', b'f', &prefix, keys),
            _ => with_deletions(b'e', b'f', &prefix, keys),
        }
    };
    let distinctive = || {
        name.tokens.iter().enumerate().filter(|&(i, t)| t.len() >= 2 && !name.is_generic(i)).map(|(_, t)| t)
    };
    for token in distinctive() {
        keys.push(Key::of(b't', token.chars()));
        neighbourhood(token, &mut keys);
        // The whole word less each letter: a typo anywhere in a longer word.
        let letters: Vec<char> = token.chars().collect();
        match letters.len() {
            4 => keys.push(Key::of(b'w', letters.iter().copied())),
            5..=16 => with_deletions(b'w', b'w', &letters, &mut keys),
            _ => {}
        }
    }
    let mut words: Vec<&String> = distinctive().collect();
    if words.len() > 1 && words.iter().any(|t| frequent.contains(*t)) {
        sort(&mut words);
        let joined: Vec<char> = words.iter().flat_map(|w| w.chars()).collect();
        if joined.len() <= 40 {
            with_deletions(b'j', b'j', &joined, &mut keys);
        }
    }
    if name.acronym.len() >= 2 {
        keys.push(Key::of(b'a', name.acronym.chars()));
    }
    if name.tokens.len() > 1 {
        let joined = name.tokens.concat();
        neighbourhood(&joined, &mut keys);
        keys.push(Key::of(b's', joined.chars()));
    }
    keys.extend(profile.domains.iter().map(|d| Key::of(b'd', d.chars())));
    sorted_unique(keys.into_iter().map(|k| k.0).collect()).into_iter().map(Key).collect()
}

/// Numbers ascending, each once, with the standard library's sort: the two hot
/// integer sorts (keys, candidates) share this one copy of it (a second cost
/// 1.4 KB gzipped). [`super::sort`]'s positions and indirect calls made
/// building the index 1.7x slower and a check's candidates 4x.
fn sorted_unique(mut numbers: Vec<u64>) -> Vec<u64> {
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// A blocking key: a kind ('t' word, 'e' five-letter word start, 'f' a
/// shorter one, 'w' whole word, 'j' joined words, 'a' acronym, 's' name
/// without spaces, 'd' domain) and a hash of its letters, whose top two bits
/// are the key's [`Reach`]. Two keys that collide only merge two blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key(u64);

/// How big a key's block may be and still be searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Up to [`MAX_BLOCK`] profiles.
    Word,
    /// Up to [`MAX_SHORT_BLOCK`]: a short word start.
    Short,
    /// However many: a domain is strong evidence.
    Domain,
}

impl Key {
    const REACH: u32 = 62;

    /// FNV-1a over the kind and the letters: keys are made by the million and
    /// need no strings.
    fn of(kind: u8, letters: impl Iterator<Item = char>) -> Key {
        const PRIME: u64 = 0x100_0000_01b3;
        let mut hash = (0xcbf2_9ce4_8422_2325 ^ u64::from(kind)).wrapping_mul(PRIME);
        for c in letters {
            hash = (hash ^ u64::from(c)).wrapping_mul(PRIME);
        }
        let reach = match kind {
            b'd' => Reach::Domain,
            b'f' => Reach::Short,
            _ => Reach::Word,
        };
        Key(hash >> 2 | (reach as u64) << Self::REACH)
    }

    fn reach(self) -> Reach {
        match self.0 >> Self::REACH {
            0 => Reach::Word,
            1 => Reach::Short,
            _ => Reach::Domain,
        }
    }
}

impl Reach {
    fn searched(self, size: usize) -> bool {
        match self {
            Reach::Word => size <= MAX_BLOCK,
            Reach::Short => size <= MAX_SHORT_BLOCK,
            Reach::Domain => true,
        }
    }
}

impl CustomerIndex {
    pub fn new(profiles: Vec<Profile>) -> CustomerIndex {
        let mut index = CustomerIndex::default();
        // Profiles share names (`profiles_of`): each name's words once, counted for all of them.
        let mut shared: FxHashMap<*const Name, (&Name, u32)> = FxHashMap::default();
        for profile in &profiles {
            shared.entry(Rc::as_ptr(&profile.name)).or_insert((&profile.name, 0)).1 += 1;
        }
        for (name, times) in shared.into_values() {
            let mut words: Vec<&String> = name.tokens.iter().collect();
            sort(&mut words);
            words.dedup();
            for word in words {
                match index.words.get_mut(word) {
                    Some(n) => *n += times,
                    None => drop(index.words.insert(word.clone(), times)),
                }
            }
        }
        index.frequent = index
            .words
            .iter()
            .filter(|&(_, &n)| n as usize > MAX_BLOCK)
            .map(|(word, _)| word.clone())
            .collect();
        // A profile's keys are made of its words (and the acronym they make)
        // and domains, and the same customers come back: each set once. (Keys
        // of the words and domains find earlier profiles; equal ones are checked.)
        let mut made: FxHashMap<Key, u32> = FxHashMap::default();
        let mut sizes: Vec<u32> = Vec::new();
        for (idx, profile) in profiles.iter().enumerate() {
            let (words, domains) = (&profile.name.tokens, &profile.domains);
            let listed =
                words.iter().map(String::as_str).chain(["|"]).chain(domains.iter().map(String::as_str));
            let key = Key::of(b'p', listed.flat_map(|text| text.chars().chain(['\0'])));
            let like = made
                .get(&key)
                .map(|&like| like as usize)
                .filter(|&like| profiles[like].name.tokens == *words && profiles[like].domains == *domains);
            let range = match like {
                Some(like) => {
                    index.keyed_like.push(like as u32);
                    index.filed[like]
                }
                None => {
                    made.entry(key).or_insert(idx as u32);
                    index.keyed_like.push(idx as u32);
                    let start = index.blocks_filed.len() as u32;
                    for key in keys(profile, &index.frequent) {
                        let next = sizes.len() as u32;
                        let block = *index.keys.entry(key).or_insert_with(|| {
                            sizes.push(0);
                            index.reach.push(key.reach());
                            next
                        });
                        index.blocks_filed.push(block);
                    }
                    (start, index.blocks_filed.len() as u32)
                }
            };
            for &block in &index.blocks_filed[range.0 as usize..range.1 as usize] {
                sizes[block as usize] += 1;
            }
            index.filed.push(range);
        }
        // Each block's place in `members`, then the profiles in ascending order.
        index.starts = Vec::with_capacity(sizes.len() + 1);
        let mut total = 0u32;
        for size in &sizes {
            index.starts.push(total);
            total += size;
        }
        index.starts.push(total);
        let mut next: Vec<u32> = index.starts[..sizes.len()].to_vec();
        let mut members = vec![0; total as usize];
        for idx in 0..profiles.len() {
            for &block in index.blocks_of(idx) {
                let at = &mut next[block as usize];
                members[*at as usize] = idx as u32;
                *at += 1;
            }
        }
        index.members = members;
        index.merge_alike_blocks();
        let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
        index.spellings = profiles
            .iter()
            .map(|p| {
                let next = seen.len() as u32;
                *seen.entry(p.name.normal.as_str()).or_insert(next)
            })
            .collect();
        index.link_equal_profiles(&profiles);
        index.customers = Known::new(profiles);
        index
    }

    /// Fills `first_equal` and `next_equal`; equal profiles have one spelling.
    fn link_equal_profiles(&mut self, profiles: &[Profile]) {
        let n = profiles.len();
        (self.first_equal, self.next_equal) = (Vec::with_capacity(n), vec![NONE; n]);
        let mut last = vec![NONE; n];
        // The firsts of each spelling, chained: the latest, and the one before each.
        let mut latest_first = vec![NONE; n];
        let mut first_before = vec![NONE; n];
        for (idx, profile) in profiles.iter().enumerate() {
            let spelling = self.spellings[idx] as usize;
            let mut first = latest_first[spelling];
            while first != NONE && profiles[first as usize] != *profile {
                first = first_before[first as usize];
            }
            if first == NONE {
                (first_before[idx], latest_first[spelling]) = (latest_first[spelling], idx as u32);
                self.first_equal.push(idx as u32);
            } else {
                let at = &mut last[first as usize];
                self.next_equal[if *at == NONE { first } else { *at } as usize] = idx as u32;
                *at = idx as u32;
                self.first_equal.push(first);
            }
        }
    }

    /// Profile `idx` and those equal to it after it, ascending.
    pub fn equal(&self, idx: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(idx), |&k| {
            Some(self.next_equal[k]).filter(|&n| n != NONE).map(|n| n as usize)
        })
    }

    /// Whether profile `idx` is filed under a searched key: a name of short
    /// or generic words only ("M &") may have none.
    pub fn is_keyed(&self, idx: usize) -> bool {
        !self.blocks_of(idx).is_empty()
    }

    /// Whether no profile before `idx` is equal to it.
    pub fn is_first(&self, idx: usize) -> bool {
        self.first_equal[idx] as usize == idx
    }

    /// Keeps each profile filed under the blocks that are searched only, and
    /// of those that hold the same profiles under one. A word is filed whole
    /// and less each of its letters, and the few customers spelt with it fill
    /// all those blocks alike: the scan walked the same pairs through each (a
    /// quarter of its visits on 100,000).
    fn merge_alike_blocks(&mut self) {
        let first: Vec<u32> = {
            let mut seen: FxHashMap<&[u32], u32> = FxHashMap::default();
            (0..self.reach.len() as u32)
                .map(|b| self.searched(b).map_or(NONE, |profiles| *seen.entry(profiles).or_insert(b)))
                .collect()
        };
        let mut blocks = Vec::with_capacity(self.blocks_filed.len());
        for idx in 0..self.filed.len() {
            let like = self.keyed_like[idx] as usize;
            if like != idx {
                // Keyed like an earlier profile, whose range is already rewritten.
                self.filed[idx] = self.filed[like];
                continue;
            }
            let (start, end) = self.filed[idx];
            let own = self.blocks_filed[start as usize..end as usize].iter().map(|&b| first[b as usize]);
            let at = blocks.len() as u32;
            let own = sorted_unique(own.filter(|&b| b != NONE).map(u64::from).collect());
            blocks.extend(own.into_iter().map(|b| b as u32));
            self.filed[idx] = (at, blocks.len() as u32);
        }
        self.blocks_filed = blocks;
    }

    pub fn sketch(&self, idx: usize) -> &Sketch {
        self.customers.sketch(idx)
    }

    /// The indexed customers, profiled and sketched, for evaluations.
    pub fn known(&self) -> &Known {
        &self.customers
    }

    /// The first profile with the words and domains of profile `idx`: the
    /// same keys, so the same [`Self::candidates`].
    pub fn keyed_like(&self, idx: usize) -> usize {
        self.keyed_like[idx] as usize
    }

    /// A number for the profile's normal form, the same for the same form.
    pub fn spelling(&self, idx: usize) -> u32 {
        self.spellings[idx]
    }

    pub fn len(&self) -> usize {
        self.customers.len()
    }

    /// The words of many profiles, for [`super::FuzzyMatcher::common`].
    pub fn common_words(&self) -> FxHashSet<String> {
        let limit = COMMON_WORD.max(self.len() / 1000);
        self.words
            .iter()
            .filter(|&(word, &n)| n as usize > limit && word.len() >= 2 && !GENERIC.contains(&word.as_str()))
            .map(|(word, _)| word.clone())
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.customers.is_empty()
    }

    pub fn profile(&self, idx: usize) -> &Profile {
        self.customers.profile(idx)
    }

    /// The positions of the profiles that could be the same customer as `profile`, ascending.
    pub fn candidates(&self, profile: &Profile) -> Vec<usize> {
        let blocks = keys(profile, &self.frequent).into_iter().filter_map(|key| self.keys.get(&key).copied());
        self.gathered(blocks)
    }

    /// [`Self::candidates`] of the indexed profile `idx`, from the keys it was filed under.
    pub fn candidates_of(&self, idx: usize) -> Vec<usize> {
        self.gathered(self.blocks_of(idx).iter().copied())
    }

    /// The searched blocks profile `idx` is filed under, one of each alike
    /// (all its blocks while the index is being built).
    fn blocks_of(&self, idx: usize) -> &[u32] {
        let (start, end) = self.filed[idx];
        &self.blocks_filed[start as usize..end as usize]
    }

    /// The profiles of block `block`, ascending.
    fn members_of(&self, block: u32) -> &[u32] {
        &self.members[self.starts[block as usize] as usize..self.starts[block as usize + 1] as usize]
    }

    /// The profiles of block `block` if it is searched: keys shared by very
    /// many profiles say little; domains always are.
    fn searched(&self, block: u32) -> Option<&[u32]> {
        let profiles = self.members_of(block);
        self.reach[block as usize].searched(profiles.len()).then_some(profiles)
    }

    /// The profiles of the searched blocks among `blocks`, ascending, each once.
    fn gathered(&self, blocks: impl Iterator<Item = u32>) -> Vec<usize> {
        let mut out: Vec<u64> = Vec::new();
        for block in blocks {
            if let Some(profiles) = self.searched(block) {
                out.extend(profiles.iter().map(|&i| u64::from(i)));
            }
        }
        sorted_unique(out).into_iter().map(|i| i as usize).collect()
    }

    /// Calls `visit(i, j)` once for every pair of indexed profiles that share
    /// a searched key, `i < j`, each the first of its equals ([`Self::is_first`]):
    /// the candidates of each profile among those after it. The pairs of
    /// their equals ([`Self::equal`]) are the same customers again.
    pub fn pairs(&self, visit: &mut dyn FnMut(usize, usize)) {
        // Which profile last saw each one, so that a pair sharing several keys is visited once.
        let mut seen = vec![NONE; self.len()];
        for i in (0..self.len()).filter(|&i| self.is_first(i)) {
            for &block in self.blocks_of(i) {
                let profiles = self.members_of(block);
                let after = profiles.partition_point(|&j| j as usize <= i);
                for &j in &profiles[after..] {
                    if seen[j as usize] != i as u32 {
                        seen[j as usize] = i as u32;
                        if self.is_first(j as usize) {
                            visit(i, j as usize);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str, domain: &str) -> Profile {
        Profile::new(name, &[domain], "SE", "")
    }

    #[test]
    fn finds_misspellings_without_comparing_everything() {
        let stored: Vec<Profile> =
            ["Volvo Car Corporation", "Scania CV AB", "Ericsson", "Husqvarna AB", "Atlas Copco"]
                .iter()
                .map(|n| profile(n, ""))
                .collect();
        let index = CustomerIndex::new(stored);
        assert_eq!(index.candidates(&profile("VOLVO CARS AB", "")), [0]);
        assert_eq!(index.candidates(&profile("Sacnia", "")), [1], "a transposition early in the word");
        assert_eq!(index.candidates(&profile("Husqvana", "")), [3], "a letter missing");
        assert!(index.candidates(&profile("Sandvik", "")).is_empty());
        for i in 0..index.len() {
            assert_eq!(index.candidates_of(i), index.candidates(index.profile(i)));
        }
    }

    /// The size of the block of `key` when it is searched.
    fn searched_size(index: &CustomerIndex, kind: u8, letters: &str) -> Option<usize> {
        index.searched(index.keys[&Key::of(kind, letters.chars())]).map(<[u32]>::len)
    }

    #[test]
    fn short_word_starts_are_searched_in_smaller_blocks() {
        let names = |n: usize, domain: &str| -> CustomerIndex {
            let suffixes = (0..n)
                .map(|k| format!("{}{}", (b'a' + (k / 26) as u8) as char, (b'a' + (k % 26) as u8) as char));
            CustomerIndex::new(suffixes.map(|s| profile(&format!("Techa{s}"), domain)).collect())
        };
        let index = names(MAX_SHORT_BLOCK, "");
        assert_eq!(
            searched_size(&index, b'f', "tech"),
            Some(MAX_SHORT_BLOCK),
            "a short start, up to its limit"
        );
        let index = names(MAX_SHORT_BLOCK + 1, "");
        assert_eq!(searched_size(&index, b'f', "tech"), None, "one past it");
        assert_eq!(searched_size(&index, b'e', "techa"), Some(MAX_SHORT_BLOCK + 1), "a five-letter start");
        let index = names(MAX_BLOCK + 1, "volvo.com");
        assert_eq!(searched_size(&index, b'e', "techa"), None);
        assert_eq!(searched_size(&index, b'd', "volvo.com"), Some(MAX_BLOCK + 1), "a domain, however many");
    }

    #[test]
    fn a_pair_is_walked_once_through_blocks_alike() {
        let names = ["Husqvarna", "Husqvarna AB", "Husqvana", "Volvo", "Volvo Cars", "Vovlo", "Scania"];
        let index = CustomerIndex::new(names.iter().map(|n| profile(n, "")).collect());
        for (i, name) in names.iter().enumerate() {
            let blocks: Vec<&[u32]> = index.blocks_of(i).iter().filter_map(|&b| index.searched(b)).collect();
            assert_eq!(
                blocks.len(),
                index.blocks_of(i).len(),
                "{name:?} is filed under a block not searched"
            );
            for (k, a) in blocks.iter().enumerate() {
                assert!(!blocks[k + 1..].contains(a), "{name:?} is filed twice under {a:?}");
            }
        }
        // The pairs are those the checks find, each once.
        let mut walked = Vec::new();
        index.pairs(&mut |i, j| walked.push((i, j)));
        let mut expected = Vec::new();
        for i in 0..index.len() {
            expected
                .extend(index.candidates(index.profile(i)).into_iter().filter(|&j| j > i).map(|j| (i, j)));
        }
        walked.sort_unstable();
        assert_eq!(walked, expected);
        assert!(walked.contains(&(0, 2)) && walked.contains(&(3, 5)));
    }
}
