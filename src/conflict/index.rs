//! An index of customer profiles, so that one check compares a customer with
//! the few stored ones that could be the same, not with all of them. Each
//! profile is filed under blocking keys: its distinctive words, their first
//! four letters, their consonant skeletons, its acronym, its name without
//! spaces and its registrable domains. A customer's candidates are everything
//! filed under any of its keys; keys shared by very many profiles (a common
//! word) are skipped, other keys still find those profiles.

use std::collections::HashMap;

use super::names::GENERIC;
use super::Profile;

/// A key shared by more profiles than this says little and would make each
/// check slow; such keys are not searched (domains always are).
pub const MAX_BLOCK: usize = 500;

/// A word in more than this many profiles (and 1 in 1,000) is common: sharing it
/// as a first word does not suggest one group of companies.
pub const COMMON_WORD: usize = 20;

#[derive(Debug, Default)]
pub struct CustomerIndex {
    profiles: Vec<Profile>,
    blocks: HashMap<String, Vec<u32>>,
}

/// The blocking keys of a profile. Each distinctive word is filed whole, and
/// its first five letters with each one-letter deletion of them (a deletion
/// neighbourhood, as SymSpell does), so one typo, missing, extra or swapped
/// letter early in a word still shares a key with the right spelling.
pub fn keys(profile: &Profile) -> Vec<String> {
    let name = &profile.name;
    let mut keys = Vec::new();
    let neighbourhood = |word: &str, keys: &mut Vec<String>| {
        let prefix: Vec<char> = word.chars().take(5).collect();
        if prefix.len() >= 3 {
            keys.push(format!("e:{}", prefix.iter().collect::<String>()));
        }
        if prefix.len() >= 4 {
            for skip in 0..prefix.len() {
                let deleted: String =
                    prefix.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, c)| c).collect();
                keys.push(format!("e:{deleted}"));
            }
        }
    };
    for token in name.tokens.iter().filter(|t| t.len() >= 2 && !GENERIC.contains(&t.as_str())) {
        keys.push(format!("t:{token}"));
        neighbourhood(token, &mut keys);
    }
    if name.acronym.len() >= 2 {
        keys.push(format!("a:{}", name.acronym));
    }
    if name.tokens.len() > 1 {
        let joined = name.tokens.concat();
        neighbourhood(&joined, &mut keys);
        keys.push(format!("s:{joined}"));
    }
    keys.extend(profile.domains.iter().map(|d| format!("d:{d}")));
    keys.sort();
    keys.dedup();
    keys
}

impl CustomerIndex {
    pub fn new(profiles: Vec<Profile>) -> CustomerIndex {
        let mut blocks: HashMap<String, Vec<u32>> = HashMap::new();
        for (idx, profile) in profiles.iter().enumerate() {
            for key in keys(profile) {
                blocks.entry(key).or_default().push(idx as u32);
            }
        }
        CustomerIndex { profiles, blocks }
    }

    pub fn len(&self) -> usize {
        self.profiles.len()
    }

    /// The words of many profiles, for [`super::FuzzyMatcher::common`].
    pub fn common_words(&self) -> std::collections::HashSet<String> {
        let limit = COMMON_WORD.max(self.profiles.len() / 1000);
        self.blocks
            .iter()
            .filter(|(key, block)| key.starts_with("t:") && block.len() > limit)
            .map(|(key, _)| key[2..].to_string())
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }

    pub fn profile(&self, idx: usize) -> &Profile {
        &self.profiles[idx]
    }

    /// The positions of the profiles that could be the same customer as `profile`, ascending.
    pub fn candidates(&self, profile: &Profile) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for key in keys(profile) {
            if let Some(block) = self.blocks.get(&key) {
                if block.len() <= MAX_BLOCK || key.starts_with("d:") {
                    out.extend(block.iter().map(|&i| i as usize));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
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
    }
}
