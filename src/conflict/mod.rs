//! Customer matching: whether two registrations concern the same end customer.
//!
//! Evaluation asks a [`Matcher`] and never looks at names itself. The
//! [`FuzzyMatcher`] builds a [`Profile`] of each customer (normalised name,
//! registrable domains, country, city; see [`names`] and [`domains`]) and
//! combines the signals into one score in 0..1 with its evidence; the
//! programme's thresholds turn the score into a verdict. [`ExactMatcher`]
//! (equal normal forms or registrable domains) is the baseline the accuracy
//! report compares it with.
//!
//! Among many customers, [`index::CustomerIndex`] finds the few worth comparing
//! and [`bound::Sketch`] settles most of those before any name is measured:
//! [`FuzzyMatcher::search`] for one customer, [`FuzzyMatcher::scan`] for every
//! pair, [`find_conflicts`] for the cross-partner conflicts of a programme.

pub mod bound;
pub mod domains;
pub mod index;
pub mod metrics;
pub mod names;
pub mod sort;

use serde::Serialize;

use rustc_hash::{FxHashMap, FxHashSet};

use chrono::{DateTime, Utc};

use crate::programme::{MatchThresholds, NamedAccount, Programme, RelatedCompanies};
use crate::registration::{Customer, Registration};
use index::CustomerIndex;
use names::Name;
use std::rc::Rc;

/// Whether two customers are one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    Same,
    Possible,
    Different,
}

/// One piece of evidence: which signal, how strongly it matched (0..1), how
/// much it counts, and what was compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Signal {
    pub signal: String,
    pub value: f64,
    pub weight: f64,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Match {
    /// 0..1
    pub score: f64,
    pub verdict: Verdict,
    pub evidence: Vec<Signal>,
}

impl Match {
    /// One line for a person: the score and what drove it ("match 0.97: name 0.94, same domain volvocars.com").
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self
            .evidence
            .iter()
            .filter_map(|s| match (s.signal.as_str(), s.value > 0.0) {
                ("name", _) => Some(format!("name {:.2}", s.value)),
                ("domain", true) => Some(format!("same domain {}", s.detail.trim_start_matches("both use "))),
                ("domain", false) => Some("different domains".into()),
                ("country", true) => Some("same country".into()),
                ("country", false) => Some(format!("other country ({})", s.detail)),
                ("city", true) => Some("same city".into()),
                ("acronym", _) => Some("acronym".into()),
                ("words", _) => Some("one name contains the other".into()),
                ("firstWord", _) => Some("same first word".into()),
                ("legalForm", _) => Some(s.detail.clone()),
                ("numbers", _) => Some(s.detail.clone()),
                _ => None,
            })
            .collect();
        format!("match {:.2}: {}", self.score, parts.join(", "))
    }
}

/// Compares two customers. Implementations must be symmetric.
pub trait Matcher {
    fn compare(&self, a: &Customer, b: &Customer) -> Match;

    /// Compares `a` with many customers; an implementation may prepare `a` once.
    fn against<'a>(&'a self, a: &'a Customer) -> Box<dyn Fn(&Customer) -> Match + 'a> {
        Box::new(move |b| self.compare(a, b))
    }
}

/// Same customer when the normalised names are equal or the web domains are
/// (free-mail domains never count). Nothing is ever `possible`.
#[derive(Debug, Clone, Default)]
pub struct ExactMatcher {
    pub thresholds: MatchThresholds,
}

impl Matcher for ExactMatcher {
    fn compare(&self, a: &Customer, b: &Customer) -> Match {
        let (name_a, name_b) = (names::normalise(&a.name), names::normalise(&b.name));
        let name = if !name_a.is_empty() && name_a == name_b { 1.0 } else { 0.0 };
        let domain_of = |c: &Customer| c.domain.as_deref().and_then(domains::registrable_domain);
        let domains = (domain_of(a), domain_of(b));
        let domain = match &domains {
            (Some(x), Some(y)) if x == y => 1.0,
            _ => 0.0,
        };
        let score = f64::max(name, domain);
        let verdict = if score >= self.thresholds.same {
            Verdict::Same
        } else if score >= self.thresholds.possible {
            Verdict::Possible
        } else {
            Verdict::Different
        };
        let shown = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".into());
        Match {
            score,
            verdict,
            evidence: vec![
                Signal {
                    signal: "name".into(),
                    value: name,
                    weight: 1.0,
                    detail: format!("{name_a:?} vs {name_b:?}"),
                },
                Signal {
                    signal: "domain".into(),
                    value: domain,
                    weight: 1.0,
                    detail: format!("{} vs {}", shown(&domains.0), shown(&domains.1)),
                },
            ],
        }
    }
}

/// A customer as `compareCustomers` takes it from JS: a name, and whatever else is known.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Party {
    pub name: String,
    #[serde(default)]
    pub domain: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
}

impl Party {
    pub fn profile(&self) -> Profile {
        Profile::new(
            &self.name,
            &[self.domain.as_deref().unwrap_or(""), self.email.as_deref().unwrap_or("")],
            self.country.as_deref().unwrap_or(""),
            self.city.as_deref().unwrap_or(""),
        )
    }
}

/// What matching needs of one customer, computed once.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Shared: a register holds the same name again and again, and copying a
    /// name is seven allocations.
    pub name: Rc<Name>,
    /// Registrable domains, free-mail left out.
    pub domains: Vec<String>,
    /// Upper-case ISO country code, or empty.
    pub country: String,
    /// Normalised city, or empty.
    pub city: String,
}

impl Profile {
    /// A profile from a name and any number of fields holding domains, URLs or
    /// e-mail addresses.
    pub fn new(name: &str, domain_fields: &[&str], country: &str, city: &str) -> Profile {
        let mut domains: Vec<String> =
            domain_fields.iter().flat_map(|f| domains::registrable_domains(f)).collect();
        sort::sort(&mut domains);
        domains.dedup();
        Profile {
            name: Rc::new(Name::new(name)),
            domains,
            country: country_code(country),
            city: names::normalise(city),
        }
    }

    pub fn of(customer: &Customer) -> Profile {
        let domain = customer.domain.as_deref().unwrap_or("");
        Profile::new(&customer.name, &[domain], &customer.country, customer.city.as_deref().unwrap_or(""))
    }
}

/// The profiles of many customers, each as [`Profile::of`] makes it, every
/// name normalised once: registers hold the same customers again and again,
/// and normalising a name costs microseconds.
pub fn profiles_of<'a>(customers: impl Iterator<Item = &'a Customer>) -> Vec<Profile> {
    let mut names: FxHashMap<&str, Rc<Name>> = Default::default();
    let mut domains: FxHashMap<&str, Vec<String>> = Default::default();
    let mut cities: FxHashMap<&str, String> = Default::default();
    customers
        .map(|c| {
            let (domain, city) = (c.domain.as_deref().unwrap_or(""), c.city.as_deref().unwrap_or(""));
            Profile {
                name: names.entry(&c.name).or_insert_with(|| Rc::new(Name::new(&c.name))).clone(),
                domains: domains
                    .entry(domain)
                    .or_insert_with(|| domains::registrable_domains(domain))
                    .clone(),
                country: country_code(&c.country),
                city: cities.entry(city).or_insert_with(|| names::normalise(city)).clone(),
            }
        })
        .collect()
}

/// Codes are ASCII; Unicode upper-casing would add 7 KB of tables to the wasm.
fn country_code(country: &str) -> String {
    country.trim().to_ascii_uppercase()
}

/// How each signal moves the score; shown with the evidence.
pub mod weights {
    /// A shared registrable domain lifts the score to at least this.
    pub const DOMAIN_MATCH: f64 = 0.97;
    /// Both have domains and none is shared: the score is multiplied by this.
    pub const DOMAIN_MISMATCH: f64 = 0.95;
    /// Different countries: the score is multiplied by this.
    pub const COUNTRY_MISMATCH: f64 = 0.9;
    /// The same city adds this.
    pub const CITY_MATCH: f64 = 0.02;
    /// One name is the other's acronym ("IBM"): the score is at least this.
    pub const ACRONYM: f64 = 0.8;
    /// Both names start with the same distinctive word ("Volvo Cars", "Volvo CE"):
    /// possibly a parent and its subsidiary, so at least a possible match
    /// (unless the programme says they are one customer, or separate ones).
    pub const SHARED_FIRST_WORD: f64 = 0.76;
    /// Every word of the shorter name is in the longer ("Philips", "Koninklijke Philips").
    pub const TOKEN_SUBSET: f64 = 0.85;
    /// Different legal forms ("AG" and "GmbH"): the score is at most this.
    pub const LEGAL_FORM_CONFLICT: f64 = 0.85;
    /// Different numbers ("Fund 23", "Fund 24"): the score is at most this.
    pub const NUMBERS_DIFFER: f64 = 0.6;
}

/// The matcher: Jaro-Winkler and the Indel ratio (RapidFuzz's, computed by
/// [`metrics`]) on normalised names, as written and with sorted words,
/// combined with domain, country, city, acronym, legal-form and number signals.
#[derive(Debug, Clone, Default)]
pub struct FuzzyMatcher {
    pub thresholds: MatchThresholds,
    /// Words many stored customers share ("china", "bank"): a shared first word
    /// of these says nothing. Filled from an index ([`CustomerIndex::common_words`]).
    pub common: FxHashSet<String>,
    /// What a shared distinctive first word makes of two customers.
    pub related: RelatedCompanies,
}

/// A name as one byte per character, for the metrics' byte tables (over
/// `char`s RapidFuzz measured 1.46x slower, and its `char` copy cost 5 KB
/// gzipped of the wasm module). ASCII stays as it is; any other character
/// becomes one of 128 byte values picked by its code point, so two different
/// ones meet on one value 1 time in 128, which can only raise a score a
/// little. Normal forms are nearly always ASCII.
fn narrow(s: &str) -> std::borrow::Cow<'_, [u8]> {
    if s.is_ascii() {
        std::borrow::Cow::Borrowed(s.as_bytes())
    } else {
        let byte = |c: char| {
            if c.is_ascii() {
                c as u8
            } else {
                0x80 | ((c as u32).wrapping_mul(2_654_435_761) >> 25) as u8
            }
        };
        std::borrow::Cow::Owned(s.chars().map(byte).collect())
    }
}

/// Jaro-Winkler and the Indel ratio (shared characters in order, blind to
/// where they are) of two names, as RapidFuzz computes them, with the table
/// of `a` made on first use and kept in `table` for the next `b`.
fn measure(table: &mut Option<metrics::Pattern>, a: &str, b: &str) -> (f64, f64) {
    let (a, b) = (narrow(a), narrow(b));
    if table.is_none() {
        *table = metrics::Pattern::new(&a);
    }
    match table {
        Some(pattern) => (pattern.jaro_winkler(&b), pattern.indel_ratio(&b)),
        None => metrics::measure(&a, &b),
    }
}

/// The metrics' tables of one name's forms, made as they are needed: a scan
/// compares each customer with dozens of others, and making a table costs
/// about as much as using it.
#[derive(Default)]
struct Tables {
    normal: Option<metrics::Pattern>,
    sorted: Option<metrics::Pattern>,
    core: Option<metrics::Pattern>,
}

/// Legal forms that are also ordinary words of a name, which partners add and
/// drop loosely ("Volvo Car Corporation" for Volvo Personvagnar AB): that two
/// names carry one of these and another form says nothing. Formal types that
/// differ (AG and GmbH, Inc and LLC) do.
const LOOSE_FORMS: &[&str] = &["corporation", "company", "group"];

impl FuzzyMatcher {
    /// The matcher a programme asks for: its thresholds and its view of related companies.
    pub fn for_programme(programme: &Programme) -> FuzzyMatcher {
        FuzzyMatcher {
            thresholds: programme.conflict.match_thresholds.clone(),
            related: programme.conflict.related_companies,
            ..FuzzyMatcher::default()
        }
    }

    /// What a shared distinctive first word does: lifts the name score to a
    /// possible match (review), or the final score to a sure one (one group,
    /// one customer, whatever the domains say), or nothing.
    fn group_effect(&self) -> (f64, f64) {
        match self.related {
            RelatedCompanies::Review => (weights::SHARED_FIRST_WORD, 0.0),
            RelatedCompanies::Same => (0.0, self.thresholds.same),
            RelatedCompanies::Separate => (0.0, 0.0),
        }
    }

    pub fn verdict(&self, score: f64) -> Verdict {
        if score >= self.thresholds.same {
            Verdict::Same
        } else if score >= self.thresholds.possible {
            Verdict::Possible
        } else {
            Verdict::Different
        }
    }

    /// The score of two profiles with its evidence.
    pub fn compare_profiles(&self, a: &Profile, b: &Profile) -> Match {
        let name = self.name_score(&a.name, &mut Tables::default(), &b.name);
        let mut evidence = vec![Signal {
            signal: "name".into(),
            value: round(name.value),
            weight: 1.0,
            detail: format!(
                "{:?} and {:?}: Jaro-Winkler {:.3} ({:.3} as written, {:.3} with words sorted), Indel ratio {:.3}",
                a.name.normal, b.name.normal, name.jw, name.as_written, name.sorted, name.ratio
            ),
        }];
        let score = self.settle(a, b, name.value, Some(&mut evidence));
        Match { score, verdict: self.verdict(score), evidence }
    }

    /// The score alone, as [`Self::compare_profiles`] has it, without writing the evidence.
    pub fn score(&self, a: &Profile, b: &Profile) -> f64 {
        self.settle(a, b, self.name_score(&a.name, &mut Tables::default(), &b.name).value, None)
    }

    /// The name signal alone, as [`Self::score`] measures it: a function of
    /// the two normal forms, for callers that meet the same two spellings
    /// many times and keep it ([`crate::sandbox`]).
    pub(crate) fn name_value(&self, a: &Name, b: &Name) -> f64 {
        self.name_score(a, &mut Tables::default(), b).value
    }

    /// [`Self::score`] with the name signal already measured ([`Self::name_value`]).
    pub(crate) fn score_with_name(&self, a: &Profile, b: &Profile, name: f64) -> f64 {
        self.settle(a, b, name, None)
    }

    /// The name signal: Jaro-Winkler and the Indel ratio over the name as
    /// written, with words sorted, and without generic words; `tables` are
    /// those of `na`, kept by a caller that compares it with many names.
    fn name_score(&self, na: &Name, tables: &mut Tables, nb: &Name) -> NameScore {
        if na.normal.is_empty() || nb.normal.is_empty() {
            return NameScore { value: 0.0, jw: 0.0, as_written: 0.0, sorted: 0.0, ratio: 0.0 };
        }
        if na.normal == nb.normal {
            // Everything else is derived from the normal form: each metric is 1.
            return NameScore { value: 1.0, jw: 1.0, as_written: 1.0, sorted: 1.0, ratio: 1.0 };
        }
        let (as_written, ratio) = measure(&mut tables.normal, &na.normal, &nb.normal);
        let in_order = na.sorted == na.normal && nb.sorted == nb.normal;
        let (sorted, sorted_ratio) =
            if in_order { (as_written, ratio) } else { measure(&mut tables.sorted, &na.sorted, &nb.sorted) };
        let (core, core_ratio) =
            if one_sided(na, nb) { measure(&mut tables.core, &na.core, &nb.core) } else { (0.0, 0.0) };
        let ratio = ratio.max(sorted_ratio).max(core_ratio);
        let jw = as_written.max(sorted).max(core);
        let mut value = (jw + ratio) / 2.0;
        // Shared common words ("real estate investment trust", "energy") make any
        // two names look alike: what is left once they are taken out must match too.
        let shared: Vec<&String> = na
            .tokens
            .iter()
            .enumerate()
            .filter(|&(i, t)| nb.tokens.contains(t) && (na.is_generic(i) || self.common.contains(t)))
            .map(|(_, t)| t)
            .collect();
        if !shared.is_empty() {
            let rest = |n: &Name| {
                n.tokens.iter().filter(|t| !shared.contains(t)).cloned().collect::<Vec<_>>().join(" ")
            };
            let (ra, rb) = (rest(na), rest(nb));
            if !ra.is_empty() && !rb.is_empty() {
                let (jw, ratio) = measure(&mut None, &ra, &rb);
                value = value.min((jw + ratio) / 2.0);
            }
        }
        NameScore { value, jw, as_written, sorted, ratio }
    }

    /// Whether two customers could be the same or possibly so, from their
    /// sketches: false only when even the best score they allow is below a
    /// possible match. A few nanoseconds, so scans ask it before measuring names.
    pub fn could_match(&self, a: &bound::Sketch, b: &bound::Sketch) -> bool {
        let (lift, floor) = self.group_effect();
        self.verdict(round(a.best_score(b, lift, floor))) != Verdict::Different
    }

    /// A distinctive first word, which a parent and its subsidiaries share.
    fn first_word<'n>(&self, name: &'n Name) -> Option<&'n String> {
        name.tokens.first().filter(|t| t.len() >= 3 && !name.is_generic(0) && !self.common.contains(*t))
    }

    /// The score from the name signal and every other signal, rounded; the
    /// evidence is written only when asked for. It never falls when `name` rises,
    /// which is what lets [`Self::could_match`] use it on a bound.
    fn settle(&self, a: &Profile, b: &Profile, name: f64, mut evidence: Option<&mut Vec<Signal>>) -> f64 {
        use weights::*;
        let (na, nb) = (&a.name, &b.name);
        let empty = na.normal.is_empty() || nb.normal.is_empty();
        let mut score = name;
        let mut note = |signal: &str, value: f64, weight: f64, detail: &dyn Fn() -> String| {
            if let Some(evidence) = evidence.as_deref_mut() {
                evidence.push(Signal { signal: signal.into(), value, weight, detail: detail() });
            }
        };

        // Every word of one name is in the other ("Philips", "Koninklijke Philips"),
        // tested both ways so that repeated words keep the score symmetric.
        let inside = |x: &Name, y: &Name| {
            x.tokens.iter().enumerate().any(|(i, t)| t.len() > 2 && !x.is_generic(i))
                && x.tokens.iter().all(|t| y.tokens.contains(t))
        };
        if !empty && na.tokens != nb.tokens {
            let contained = if inside(na, nb) { Some((na, nb)) } else { inside(nb, na).then_some((nb, na)) };
            if let Some((short, long)) = contained {
                score = score.max(TOKEN_SUBSET);
                note("words", 1.0, TOKEN_SUBSET, &|| {
                    format!("every word of {:?} is in {:?}", short.normal, long.normal)
                });
            }
        }
        let (lift, floor) = self.group_effect();
        // The same first word, then whether it is distinctive: most pairs differ at the first.
        let first =
            na.tokens.first().filter(|&x| nb.tokens.first() == Some(x) && (lift > 0.0 || floor > 0.0));
        let one_group = match first.and_then(|_| self.first_word(na)) {
            Some(x) => {
                if floor > 0.0 {
                    note("firstWord", 1.0, floor, &|| {
                        format!("both start with {x:?}: one group, one customer under this programme")
                    });
                } else if score < lift {
                    score = lift;
                    note("firstWord", 1.0, lift, &|| format!("both start with {x:?}: possibly one group"));
                }
                true
            }
            _ => false,
        };
        // One name is the other's initials, or their first three or more ("BNY" Mellon).
        let acronym = |x: &Name, y: &Name| {
            x.tokens.len() == 1
                && y.tokens.len() >= 2
                && (x.normal == y.acronym || x.normal.len() >= 3 && y.acronym.starts_with(&x.normal))
        };
        if acronym(na, nb) || acronym(nb, na) {
            score = score.max(ACRONYM);
            note("acronym", 1.0, ACRONYM, &|| {
                format!("{:?} and {:?} share the initials", na.normal, nb.normal)
            });
        }
        if na.numbers != nb.numbers {
            score = score.min(NUMBERS_DIFFER);
            note("numbers", 0.0, NUMBERS_DIFFER, &|| {
                format!("numbers {:?} and {:?} differ", na.numbers, nb.numbers)
            });
        }
        if let (Some(x), Some(y)) = (&na.legal_form, &nb.legal_form) {
            if x != y && !LOOSE_FORMS.contains(&x.as_str()) && !LOOSE_FORMS.contains(&y.as_str()) {
                score = score.min(LEGAL_FORM_CONFLICT);
                note("legalForm", 0.0, LEGAL_FORM_CONFLICT, &|| {
                    format!("legal forms {x:?} and {y:?} differ")
                });
            }
        }
        if !a.country.is_empty() && !b.country.is_empty() {
            let same = a.country == b.country;
            if !same {
                score *= COUNTRY_MISMATCH;
            }
            note("country", f64::from(u8::from(same)), COUNTRY_MISMATCH, &|| {
                format!("{} vs {}", a.country, b.country)
            });
        }
        if !a.city.is_empty() && !b.city.is_empty() {
            let same = a.city == b.city;
            if same {
                score += CITY_MATCH;
            }
            note("city", f64::from(u8::from(same)), CITY_MATCH, &|| format!("{:?} vs {:?}", a.city, b.city));
        }
        if !a.domains.is_empty() && !b.domains.is_empty() {
            match a.domains.iter().find(|d| b.domains.contains(d)) {
                None => {
                    score *= DOMAIN_MISMATCH;
                    note("domain", 0.0, DOMAIN_MISMATCH, &|| {
                        format!("{} vs {}", a.domains.join(", "), b.domains.join(", "))
                    });
                }
                Some(shared) => {
                    score = score.max(DOMAIN_MATCH);
                    note("domain", 1.0, DOMAIN_MATCH, &|| format!("both use {shared}"));
                }
            }
        }
        if one_group {
            score = score.max(floor);
        }
        round(score.clamp(0.0, 1.0))
    }

    /// The matches of `query` among the indexed profiles (verdict same or
    /// possible), each with its position in the index.
    pub fn search(&self, index: &CustomerIndex, query: &Profile) -> Vec<(usize, Match)> {
        let sketch = bound::Sketch::of(query);
        index
            .candidates(query)
            .into_iter()
            .filter(|&j| self.could_match(&sketch, index.sketch(j)))
            .filter_map(|j| {
                let m = self.compare_profiles(query, index.profile(j));
                (m.verdict != Verdict::Different).then_some((j, m))
            })
            .collect()
    }

    /// Every pair of indexed profiles that is or may be one customer, each
    /// once (first position lower), in no set order, with its score; `keep`
    /// can rule pairs out before they are compared. Near-linear: only pairs
    /// that share an index key are looked at, equal profiles once, most are
    /// settled by [`Self::could_match`], and only the rest have their names
    /// measured. The evidence is [`Self::compare_profiles`]'s, for the pairs
    /// someone looks at.
    pub fn scan(
        &self,
        index: &CustomerIndex,
        keep: &dyn Fn(usize, usize) -> bool,
    ) -> Vec<(usize, usize, f64)> {
        let mut out = Vec::new();
        // Many customers are spelt alike: each pair of normal forms is measured once.
        let mut measured: FxHashMap<(u32, u32), f64> = FxHashMap::default();
        // The pairs of each customer come together: the tables of its name serve them all.
        let (mut tables, mut tables_of) = (Tables::default(), usize::MAX);
        // Equal profiles score alike: each pair of firsts stands for the pairs of their equals.
        let mut kept: Vec<(usize, usize)> = Vec::new();
        index.pairs(&mut |i, j| {
            kept.clear();
            for x in index.equal(i) {
                kept.extend(index.equal(j).map(|y| (x.min(y), x.max(y))).filter(|&(x, y)| keep(x, y)));
            }
            if kept.is_empty() || !self.could_match(index.sketch(i), index.sketch(j)) {
                return;
            }
            if tables_of != i {
                // Field by field: a whole new `Tables` would copy its 6 KB.
                (tables.normal, tables.sorted, tables.core, tables_of) = (None, None, None, i);
            }
            let (a, b) = (index.profile(i), index.profile(j));
            let spellings = (index.spelling(i), index.spelling(j));
            let name = *measured
                .entry((spellings.0.min(spellings.1), spellings.0.max(spellings.1)))
                .or_insert_with(|| self.name_score(&a.name, &mut tables, &b.name).value);
            let score = self.settle(a, b, name, None);
            if self.verdict(score) != Verdict::Different {
                out.extend(kept.iter().map(|&(x, y)| (x, y, score)));
            }
        });
        // And equal profiles with each other, which share every key (a
        // name without one, "M &", is found by no check either).
        for first in (0..index.len()).filter(|&i| index.is_first(i) && index.is_keyed(i)) {
            let Some(second) = index.equal(first).nth(1) else { continue };
            let (a, b) = (index.profile(first), index.profile(second));
            let score =
                self.settle(a, b, self.name_score(&a.name, &mut Tables::default(), &b.name).value, None);
            if self.verdict(score) == Verdict::Different {
                continue;
            }
            for x in index.equal(first) {
                out.extend(index.equal(x).skip(1).filter(|&y| keep(x, y)).map(|y| (x, y, score)));
            }
        }
        out
    }
}

impl Matcher for FuzzyMatcher {
    fn compare(&self, a: &Customer, b: &Customer) -> Match {
        self.compare_profiles(&Profile::of(a), &Profile::of(b))
    }

    /// Normalises `a` once, not once per customer it is compared with.
    fn against<'a>(&'a self, a: &'a Customer) -> Box<dyn Fn(&Customer) -> Match + 'a> {
        let profile = Profile::of(a);
        Box::new(move |b| self.compare_profiles(&profile, &Profile::of(b)))
    }
}

/// Customers profiled and sketched once: normalising a name costs
/// microseconds, and a desk evaluates a draft against every stored
/// registration on each keystroke. What an index holds, and what a desk keeps
/// while its registrations are unchanged (it drops them on every change).
#[derive(Debug, Default)]
pub struct Known {
    profiles: Vec<Profile>,
    sketches: Vec<bound::Sketch>,
}

impl Known {
    pub fn new(profiles: Vec<Profile>) -> Known {
        Known { sketches: profiles.iter().map(bound::Sketch::of).collect(), profiles }
    }

    /// The customers of `registrations`, in their order.
    pub fn of(registrations: &[Registration]) -> Known {
        Known::new(registrations.iter().map(|r| Profile::of(&r.customer)).collect())
    }

    /// The customers of `leads`, in their order.
    pub fn of_leads(leads: &[crate::leads::Lead]) -> Known {
        Known::new(leads.iter().map(crate::leads::Lead::profile).collect())
    }

    /// One more customer, at the end (a registration received).
    pub fn push(&mut self, profile: Profile) {
        self.sketches.push(bound::Sketch::of(&profile));
        self.profiles.push(profile);
    }

    /// The customer at `idx`, changed (a registration updated).
    pub fn replace(&mut self, idx: usize, profile: Profile) {
        self.sketches[idx] = bound::Sketch::of(&profile);
        self.profiles[idx] = profile;
    }

    pub fn profile(&self, idx: usize) -> &Profile {
        &self.profiles[idx]
    }

    pub fn sketch(&self, idx: usize) -> &bound::Sketch {
        &self.sketches[idx]
    }

    pub fn len(&self) -> usize {
        self.profiles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }
}

impl FuzzyMatcher {
    /// `candidate` against the customer of stored registration `pos`: the
    /// match, or `None` when they are different. The same answer as comparing
    /// the customers afresh; the sketch rules most out without measuring names.
    pub fn against_known(
        &self,
        candidate: &(Profile, bound::Sketch),
        known: &Known,
        pos: usize,
    ) -> Option<Match> {
        if !self.could_match(&candidate.1, known.sketch(pos)) {
            return None;
        }
        let m = self.compare_profiles(&candidate.0, known.profile(pos));
        (m.verdict != Verdict::Different).then_some(m)
    }
}

/// The name signal and the metrics behind it, for the evidence.
struct NameScore {
    value: f64,
    jw: f64,
    as_written: f64,
    sorted: f64,
    ratio: f64,
}

/// Whether one name has generic words ("group") the other lacks.
fn one_sided(a: &Name, b: &Name) -> bool {
    !a.normal.is_empty() && !b.normal.is_empty() && (a.core == a.normal) != (b.core == b.normal)
}

/// Scores are shown to people and compared in tests: three decimals are plenty
/// and keep the score symmetric to the last bit.
fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Two registrations of one customer by different partners, for overlapping
/// product lines, both claiming it at the time of the scan.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Conflict {
    /// The one the vendor received first.
    pub first: String,
    pub second: String,
    pub lines: Vec<String>,
    #[serde(rename = "match")]
    pub matched: Match,
}

/// The registrations that conflict over one customer, first registrant first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConflictGroup {
    /// The first registrant's spelling of the customer.
    pub customer: String,
    /// Ids ordered by vendor receipt; the first holds the customer.
    pub registrations: Vec<String>,
    pub partners: Vec<String>,
    /// Whether any pair is a sure match (else all are possible matches, for review).
    pub sure: bool,
    pub pairs: Vec<Conflict>,
}

/// The registrations that claim their customer at `as_of` (approved and
/// protected, or awaiting a decision), the index of their customers, and the
/// pairs of them that conflict, as positions in `live`, first position lower.
struct Conflicting<'a> {
    live: Vec<&'a Registration>,
    index: CustomerIndex,
    matcher: FuzzyMatcher,
    pairs: Vec<(usize, usize)>,
}

/// Near-linear: each registration is compared only with the candidates the
/// index finds for it, and partners and product lines rule pairs out first.
fn conflicting<'a>(
    programme: &Programme,
    registrations: &'a [Registration],
    as_of: DateTime<Utc>,
) -> Conflicting<'a> {
    let live: Vec<&Registration> = registrations
        .iter()
        .filter(|r| r.received_at.is_some_and(|t| t <= as_of) && (r.held_at(as_of) || r.is_pending()))
        .collect();
    let index = CustomerIndex::new(profiles_of(live.iter().map(|r| &r.customer)));
    let matcher = FuzzyMatcher { common: index.common_words(), ..FuzzyMatcher::for_programme(programme) };
    // Partners and product lines as numbers for the many pairs: partners
    // numbered, lines as bits when every registration's lines have them.
    let partners = numbered(live.iter().map(|r| r.partner_id.as_str()));
    let masks: Option<Vec<u64>> = live.iter().map(|r| programme.line_mask(&r.products)).collect();
    let lines: Vec<FxHashSet<&str>> = match masks {
        Some(_) => Vec::new(),
        None => live.iter().map(|r| programme.lines_of(&r.products).collect()).collect(),
    };
    let overlap = |i: usize, j: usize| match &masks {
        Some(masks) => masks[i] & masks[j] != 0,
        None => !lines[i].is_disjoint(&lines[j]),
    };
    let pairs = matcher
        .scan(&index, &|i, j| partners[i] != partners[j] && overlap(i, j))
        .into_iter()
        .map(|(i, j, _)| (i, j))
        .collect();
    Conflicting { live, index, matcher, pairs }
}

/// Union-find over the pairs: each position's group, as the position of one of its members.
fn grouped(n: usize, pairs: &[(usize, usize)]) -> Vec<usize> {
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    let mut parent: Vec<usize> = (0..n).collect();
    for &(a, b) in pairs {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        parent[ra] = rb;
    }
    (0..n).map(|x| root(&mut parent, x)).collect()
}

/// How many customers [`find_conflicts`] would give, and how many pairs in
/// all, without writing the evidence of each pair (the reports count them).
pub fn count_conflicts(
    programme: &Programme,
    registrations: &[Registration],
    as_of: DateTime<Utc>,
) -> (usize, usize) {
    let found = conflicting(programme, registrations, as_of);
    let group = grouped(found.live.len(), &found.pairs);
    let mut roots: Vec<usize> = found.pairs.iter().map(|&(a, _)| group[a]).collect();
    sort::sort(&mut roots);
    roots.dedup();
    (roots.len(), found.pairs.len())
}

/// Every cross-partner conflict among the registrations that claim their
/// customer at `as_of` (approved and protected, or awaiting a decision),
/// grouped by customer, each pair with its evidence.
pub fn find_conflicts(
    programme: &Programme,
    registrations: &[Registration],
    as_of: DateTime<Utc>,
) -> Vec<ConflictGroup> {
    let Conflicting { live, index, matcher, mut pairs } = conflicting(programme, registrations, as_of);
    // In registration order, so that each group lists its pairs the same way every time.
    sort::sort(&mut pairs);
    let group = grouped(live.len(), &pairs);
    let received = |k: usize| (live[k].received_at, &live[k].id);
    let mut groups: std::collections::BTreeMap<usize, (Vec<usize>, Vec<Conflict>)> = Default::default();
    for &(i, j) in &pairs {
        let (first, second) = if received(j) < received(i) { (j, i) } else { (i, j) };
        let theirs: FxHashSet<&str> = programme.lines_of(&live[second].products).collect();
        let mut shared: Vec<String> = Vec::new();
        for line in programme.lines_of(&live[first].products) {
            if theirs.contains(line) && !shared.iter().any(|l| l == line) {
                shared.push(line.to_string());
            }
        }
        sort::sort(&mut shared);
        let conflict = Conflict {
            first: live[first].id.clone(),
            second: live[second].id.clone(),
            lines: shared,
            matched: matcher.compare_profiles(index.profile(first), index.profile(second)),
        };
        let entry = groups.entry(group[i]).or_default();
        entry.0.extend([first, second]);
        entry.1.push(conflict);
    }
    let mut out: Vec<ConflictGroup> = groups
        .into_values()
        .map(|(mut members, pairs)| {
            sort::sort_by(&mut members, |&a, &b| received(a) < received(b));
            members.dedup();
            let mut partners: Vec<String> = Vec::new();
            for &m in &members {
                if !partners.contains(&live[m].partner_id) {
                    partners.push(live[m].partner_id.clone());
                }
            }
            ConflictGroup {
                customer: live[members[0]].customer.name.clone(),
                registrations: members.iter().map(|&m| live[m].id.clone()).collect(),
                partners,
                sure: pairs.iter().any(|p| p.matched.verdict == Verdict::Same),
                pairs,
            }
        })
        .collect();
    sort::sort_by(&mut out, |a, b| b.sure.cmp(&a.sure).then_with(|| a.customer.cmp(&b.customer)).is_lt());
    out
}

/// The strongest match of `customer` against a named account, over each of its domains.
pub fn match_named_account(matcher: &FuzzyMatcher, customer: &Profile, account: &NamedAccount) -> Match {
    match_named_profiles(matcher, customer, &named_account_profiles(account))
}

/// A named account as the customers it stands for: its name alone, and with
/// each of its domains. Profiled once, they serve many evaluations.
pub fn named_account_profiles(account: &NamedAccount) -> Vec<Profile> {
    std::iter::once("")
        .chain(account.domains.iter().map(String::as_str))
        .map(|domain| Profile::new(&account.name, &[domain], &account.country, ""))
        .collect()
}

/// The best match of a customer among a named account's profiles.
pub fn match_named_profiles(matcher: &FuzzyMatcher, customer: &Profile, named: &[Profile]) -> Match {
    named
        .iter()
        .map(|n| matcher.compare_profiles(customer, n))
        .max_by(|x, y| x.score.total_cmp(&y.score))
        .expect("at least the name is compared")
}

/// Each text as a number, in order of first appearance: equal texts, equal
/// numbers (for comparing ids and partners many times over).
pub(crate) fn numbered<'a>(texts: impl Iterator<Item = &'a str>) -> Vec<u32> {
    let mut seen: FxHashMap<&str, u32> = FxHashMap::default();
    texts
        .map(|text| {
            let next = seen.len() as u32;
            *seen.entry(text).or_insert(next)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(name: &str, domain: Option<&str>) -> Customer {
        Customer { name: name.into(), domain: domain.map(Into::into), country: "SE".into(), city: None }
    }

    #[test]
    fn profiles_of_many_are_each_profile_of_one() {
        let mut customers = vec![
            customer("Volvo Cars", Some("https://www.volvocars.com")),
            customer("Volvo Cars", None),
            customer("L'Oréal S.A.", Some("anna@loreal.com")),
            Customer {
                city: Some("  Göteborg ".into()),
                country: " se".into(),
                ..customer("Volvo Cars", None)
            },
            customer("", None),
        ];
        let dataset: serde_json::Value =
            serde_json::from_str(include_str!("../../www/demo/dataset.json")).unwrap();
        let demo: Vec<Registration> = serde_json::from_value(dataset["registrations"].clone()).unwrap();
        customers.extend(demo.into_iter().map(|r| r.customer));
        let one: Vec<Profile> = customers.iter().map(Profile::of).collect();
        assert_eq!(profiles_of(customers.iter()), one);
    }

    #[test]
    fn a_repeated_word_keeps_the_score_symmetric() {
        // Equal word counts, and every word of one in the other, but not back.
        let (a, b) = (customer("Omega Omega Trading", None), customer("Omega Trading Zeta", None));
        let m = FuzzyMatcher::default();
        assert_eq!(m.compare(&a, &b).score, m.compare(&b, &a).score);
        let (sa, sb) = (bound::Sketch::of(&Profile::of(&a)), bound::Sketch::of(&Profile::of(&b)));
        assert_eq!(sa.best_score(&sb, 0.76, 0.0), sb.best_score(&sa, 0.76, 0.0));
    }

    #[test]
    fn the_programme_says_what_related_companies_are() {
        let (cars, ce) = (customer("Volvo Cars", None), customer("Volvo Construction Equipment", None));
        let verdict = |related| FuzzyMatcher { related, ..FuzzyMatcher::default() }.compare(&cars, &ce);
        let review = verdict(RelatedCompanies::Review);
        assert_eq!(review.verdict, Verdict::Possible);
        assert!(review.evidence.iter().any(|s| s.signal == "firstWord"));
        let same = verdict(RelatedCompanies::Same);
        assert_eq!(same.verdict, Verdict::Same);
        assert!(same.summary().contains("same first word"), "{}", same.summary());
        let separate = verdict(RelatedCompanies::Separate);
        assert_eq!(separate.verdict, Verdict::Different);
        assert!(separate.evidence.iter().all(|s| s.signal != "firstWord"));
    }

    #[test]
    fn exact_matching_on_normalised_names_and_domains() {
        let m = ExactMatcher::default();
        let same = |a: &Customer, b: &Customer| m.compare(a, b).verdict == Verdict::Same;
        assert!(same(&customer("Volvo Cars", None), &customer("VOLVO  cars.", None)));
        assert!(same(
            &customer("A", Some("https://www.VolvoCars.com/se")),
            &customer("B", Some("anna@volvocars.com"))
        ));
        assert!(!same(&customer("A", Some("gmail.com")), &customer("B", Some("x@gmail.com"))));
        assert!(!same(&customer("Volvo Cars", None), &customer("Volvo Construction Equipment", None)));
        assert!(!same(&customer("", None), &customer("", None)));
    }
}
