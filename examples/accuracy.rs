//! Accuracy of the customer matcher on the labelled pairs in
//! tests/fixtures/matching/ (dev and held-out), at the default thresholds,
//! next to the exact matcher it replaced. Labels are `same` or `different`;
//! the matcher has three verdicts, so two readings are reported:
//! - merged: the verdict is `same` (a registration is rejected on it);
//! - flagged: the verdict is `same` or `possible` (a person looks at it).
//!
//!     cargo run --release --example accuracy
use std::collections::BTreeMap;

use dealreg::conflict::{ExactMatcher, FuzzyMatcher, Matcher, Party, Verdict};
use dealreg::registration::Customer;

struct Pair {
    a: Party,
    b: Party,
    same: bool,
    kind: String,
}

fn load(name: &str) -> Vec<Pair> {
    let path = format!("{}/tests/fixtures/matching/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let party = |name: &str, domain: &str, country: &str| Party {
        name: name.into(),
        domain: (!domain.is_empty()).then(|| domain.into()),
        country: (!country.is_empty()).then(|| country.into()),
        ..Party::default()
    };
    text.lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            Pair {
                a: party(f[0], f[1], f[2]),
                b: party(f[3], f[4], f[5]),
                same: f[6] == "same",
                kind: f[7].into(),
            }
        })
        .collect()
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: u32,
    fp: u32,
    fn_: u32,
    tn: u32,
}

impl Counts {
    fn add(&mut self, predicted: bool, actual: bool) {
        match (predicted, actual) {
            (true, true) => self.tp += 1,
            (true, false) => self.fp += 1,
            (false, true) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }
    fn line(&self) -> String {
        let p = f64::from(self.tp) / f64::from((self.tp + self.fp).max(1));
        let r = f64::from(self.tp) / f64::from((self.tp + self.fn_).max(1));
        let f1 = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        format!(
            "precision {p:.3}  recall {r:.3}  F1 {f1:.3}  (tp {} fp {} fn {} tn {})",
            self.tp, self.fp, self.fn_, self.tn
        )
    }
}

fn customer(p: &Party) -> Customer {
    Customer {
        name: p.name.clone(),
        domain: p.domain.clone(),
        country: p.country.clone().unwrap_or_default(),
        city: None,
    }
}

fn main() {
    let fuzzy = FuzzyMatcher::default();
    let exact = ExactMatcher::default();
    for split in ["labelled-dev.tsv", "labelled-holdout.tsv"] {
        let pairs = load(split);
        let (mut merged, mut flagged, mut baseline) =
            (Counts::default(), Counts::default(), Counts::default());
        let mut by_kind: BTreeMap<(bool, String), (u32, u32, u32)> = BTreeMap::new();
        let mut misses: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for pair in &pairs {
            let m = fuzzy.compare_profiles(&pair.a.profile(), &pair.b.profile());
            merged.add(m.verdict == Verdict::Same, pair.same);
            flagged.add(m.verdict != Verdict::Different, pair.same);
            baseline.add(
                exact.compare(&customer(&pair.a), &customer(&pair.b)).verdict == Verdict::Same,
                pair.same,
            );
            let entry = by_kind.entry((pair.same, pair.kind.clone())).or_default();
            match m.verdict {
                Verdict::Same => entry.0 += 1,
                Verdict::Possible => entry.1 += 1,
                Verdict::Different => entry.2 += 1,
            }
            let wrong = if pair.same { m.verdict == Verdict::Different } else { m.verdict == Verdict::Same };
            if wrong {
                let list = misses.entry(pair.kind.clone()).or_default();
                if list.len() < 3 {
                    list.push(format!("{:?} / {:?}: {}", pair.a.name, pair.b.name, m.summary()));
                }
            }
        }
        println!(
            "== {split}: {} pairs ({} same, {} different), thresholds same {} possible {}",
            pairs.len(),
            pairs.iter().filter(|p| p.same).count(),
            pairs.iter().filter(|p| !p.same).count(),
            fuzzy.thresholds.same,
            fuzzy.thresholds.possible
        );
        println!("fuzzy, merged (same)            {}", merged.line());
        println!("fuzzy, flagged (same|possible)  {}", flagged.line());
        println!("exact matcher, merged           {}", baseline.line());
        println!("by kind (label, kind: same / possible / different):");
        for ((same, kind), (s, p, d)) in &by_kind {
            println!("  {:9} {:24} {s:4} / {p:4} / {d:4}", if *same { "same" } else { "different" }, kind);
        }
        println!(
            "where it fails (a same pair called different, or a different pair called same), up to 3 a kind:"
        );
        for (kind, list) in &misses {
            for miss in list {
                println!("  [{kind}] {miss}");
            }
        }
        println!();
    }
}
