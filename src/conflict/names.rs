//! Company names as a matcher sees them. `normalise` folds letters to ASCII
//! (data/fold.tsv), lower-cases, drops punctuation ("A.B.C." = "ABC",
//! "L'Oréal" = "loreal"), joins runs of single letters ("N .V." = "nv"), drops
//! "and" and its translations and a leading "the", and strips legal forms
//! (data/legal-forms.txt) from either end. It is idempotent. A [`Name`] keeps
//! what scoring and blocking need: the normal form, its tokens, an acronym, the
//! numbers in it, and the canonical legal form that was stripped.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A company name, normalised once and kept for comparisons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// Tokens joined by single spaces: "volvo car" for "Volvo Car Corporation".
    pub normal: String,
    pub tokens: Vec<String>,
    /// The tokens sorted and joined, for word-order-blind comparison.
    pub sorted: String,
    /// The tokens without generic words ("group", "holding"), which partners add
    /// and drop at will; the normal form if nothing else is left.
    pub core: String,
    /// Initials of a name of two or more tokens ("ibm"), or the name itself if one token.
    pub acronym: String,
    /// Every run of digits, sorted: names that differ only in them are different companies.
    pub numbers: Vec<String>,
    /// The canonical legal form stripped from the name, if any ("ab" for "Aktiebolag").
    pub legal_form: Option<String>,
    /// Bit `i`: the first 64 tokens' [`Name::is_generic`].
    generic: u64,
}

impl Name {
    pub fn new(raw: &str) -> Name {
        let (tokens, legal_form) = normal_tokens(raw);
        let normal = tokens.join(" ");
        let mut sorted_tokens = tokens.clone();
        super::sort::sort(&mut sorted_tokens);
        let acronym = if tokens.len() >= 2 {
            tokens
                .iter()
                .filter(|t| !ACRONYM_SKIPS.contains(&t.as_str()))
                .filter_map(|t| t.chars().next())
                .collect()
        } else {
            normal.clone()
        };
        // Every run of digits, wherever it stands: "No.8", "W2", "23".
        let mut numbers: Vec<String> = normal
            .split(|c: char| !c.is_ascii_digit())
            .filter(|run| !run.is_empty())
            .map(str::to_string)
            .collect();
        super::sort::sort(&mut numbers);
        let is_generic: Vec<bool> = tokens.iter().map(|t| GENERIC.contains(&t.as_str())).collect();
        let core_tokens: Vec<&str> =
            tokens.iter().zip(&is_generic).filter(|(_, &g)| !g).map(|(t, _)| t.as_str()).collect();
        let core = if core_tokens.is_empty() { normal.clone() } else { core_tokens.join(" ") };
        let generic =
            is_generic.iter().take(64).enumerate().fold(0u64, |bits, (i, &g)| bits | u64::from(g) << i);
        Name { normal, sorted: sorted_tokens.join(" "), core, tokens, acronym, numbers, legal_form, generic }
    }

    /// Whether token `i` is a generic word ([`GENERIC`]): asked for every
    /// pair a scan compares, so answered from bits made once, not by
    /// searching the list.
    pub fn is_generic(&self, i: usize) -> bool {
        if i < 64 {
            self.generic >> i & 1 == 1
        } else {
            GENERIC.contains(&self.tokens[i].as_str())
        }
    }
}

/// The normal form of a company name: what `normaliseCompanyName` returns.
pub fn normalise(raw: &str) -> String {
    normal_tokens(raw).0.join(" ")
}

/// Words too common in company names to say which company is meant; they do
/// not make blocking keys (they would put most registrations in one block).
pub const GENERIC: &[&str] = &[
    "group",
    "holding",
    "holdings",
    "international",
    "global",
    "services",
    "service",
    "solutions",
    "systems",
    "technologies",
    "technology",
    "industries",
    "partners",
    "consulting",
    "management",
    "enterprises",
    "trading",
    "de",
    "la",
    "le",
    "van",
    "der",
    "of",
    "for",
    "den",
    "del",
    "di",
];

/// Legal forms also written before the name ("AB Volvo", "OOO Gazprom", "PT Astra").
/// Others are stripped only from the end: many short forms are also words or
/// country codes ("AT", "IS", "CO") that can start a name.
const LEADING: &[&str] =
    &["ab", "aktiebolaget", "ooo", "zao", "oao", "pao", "ao", "pt", "kk", "kabushiki kaisha", "tov"];

/// Small words an acronym leaves out ("Union Bank of Nigeria" is UBN).
const ACRONYM_SKIPS: &[&str] =
    &["of", "de", "la", "le", "du", "des", "del", "di", "van", "der", "den", "for", "the"];

/// Words meaning "and" in the languages our partners write.
const AND: &[&str] = &["and", "und", "et", "og", "och", "en"];

fn fold_table() -> &'static HashMap<char, &'static str> {
    static TABLE: OnceLock<HashMap<char, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!(concat!(env!("OUT_DIR"), "/fold.tsv"))
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (from, to) = l.split_once('\t')?;
                let mut chars = from.chars();
                Some((chars.next()?, to))
            })
            .collect()
    })
}

/// Legal forms by their normal text ("gmbh co kg"), each with its canonical
/// form, and the most tokens any of them has.
struct LegalForms {
    canonical: HashMap<String, String>,
    longest: usize,
}

fn legal_forms() -> &'static LegalForms {
    static FORMS: OnceLock<LegalForms> = OnceLock::new();
    FORMS.get_or_init(|| {
        let equivalents = include_str!(concat!(env!("OUT_DIR"), "/legal-form-equivalents.txt"));
        let canonical_of: HashMap<String, String> = equivalents
            .lines()
            .filter(|l| !l.starts_with('#') && l.contains(':'))
            .flat_map(|l| {
                let (canon, variants) = l.split_once(':').expect("checked");
                let canon = simple_tokens(canon).join(" ");
                variants.split(',').map(move |v| (simple_tokens(v).join(" "), canon.clone()))
            })
            .collect();
        let spellings = include_str!(concat!(env!("OUT_DIR"), "/legal-forms.txt")).lines().chain(
            equivalents.lines().flat_map(|l| {
                l.split_once(':').map(|(c, v)| std::iter::once(c).chain(v.split(','))).into_iter().flatten()
            }),
        );
        let mut canonical = HashMap::new();
        let mut longest = 0;
        for tokens in spellings.filter(|l| !l.starts_with('#')).map(simple_tokens).filter(|t| !t.is_empty()) {
            longest = longest.max(tokens.len());
            let text = tokens.join(" ");
            let canon = canonical_of.get(&text).cloned().unwrap_or_else(|| text.clone());
            canonical.entry(text).or_insert(canon);
        }
        LegalForms { canonical, longest }
    })
}

/// Characters nobody sees, which a name pasted from a web page or a PDF may
/// carry: the soft hyphen, zero-width spaces and joiners, direction marks and
/// embeddings, the word joiner, variation selectors, the byte-order mark. A
/// name written with them is the same name, so they are dropped, never taken
/// for a space between two words.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
    )
}

/// Folded, lower-case ASCII tokens, punctuation dropped or turned into spaces,
/// runs of single letters joined. The first stage of normalisation.
fn simple_tokens(raw: &str) -> Vec<String> {
    let table = fold_table();
    let mut text = String::with_capacity(raw.len());
    // Lower case first: some letters only fold once lowered (the ohm sign Ω is ω).
    for c in raw.chars().filter(|&c| !invisible(c)).flat_map(char::to_lowercase) {
        match table.get(&c) {
            Some(ascii) => text.push_str(ascii),
            None => text.push(c),
        }
    }
    let mut spaced = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' | '+' => spaced.push_str(" and "),
            // Inside abbreviations and elisions: "A.B.C.", "L'Oréal", "Rolls-Royce" keeps its parts.
            '.' | '\'' | '`' => {}
            c if c.is_alphanumeric() => spaced.extend(c.to_lowercase()),
            _ => spaced.push(' '),
        }
    }
    let mut tokens: Vec<String> = Vec::new();
    let mut letters = String::new();
    // "and" goes before single letters are joined, so "A & B" is "ab" at once and
    // a second pass cannot join more ("A&A-AA" would be "a a aa", then "aa aa").
    for token in spaced.split_whitespace().filter(|t| !AND.contains(t)) {
        if token.chars().count() == 1 && token.chars().all(char::is_alphabetic) {
            letters.push_str(token);
            continue;
        }
        if !letters.is_empty() {
            tokens.push(std::mem::take(&mut letters));
        }
        tokens.push(token.to_string());
    }
    if !letters.is_empty() {
        tokens.push(letters);
    }
    // Joined letters can spell a connector too ("o g" is Norwegian "og").
    tokens.retain(|t| !AND.contains(&t.as_str()));
    tokens
}

/// The normal tokens and the canonical legal form stripped, repeated until
/// nothing changes so that normalising twice gives the same result.
fn normal_tokens(raw: &str) -> (Vec<String>, Option<String>) {
    let mut tokens = simple_tokens(raw);
    let mut legal = None;
    loop {
        let before = tokens.len();
        if tokens.len() > 1 && tokens[0] == "the" {
            tokens.remove(0);
        }
        // The longest legal form at the end, then one written first.
        let forms = legal_forms();
        for n in (1..=forms.longest.min(tokens.len().saturating_sub(1))).rev() {
            if let Some(canon) = forms.canonical.get(&tokens[tokens.len() - n..].join(" ")) {
                tokens.truncate(tokens.len() - n);
                legal.get_or_insert_with(|| canon.clone());
                break;
            }
        }
        for n in (1..=2.min(tokens.len().saturating_sub(1))).rev() {
            let text = tokens[..n].join(" ");
            if LEADING.contains(&text.as_str()) {
                let canon = forms.canonical.get(&text).cloned().unwrap_or_else(|| text.clone());
                tokens.drain(..n);
                legal.get_or_insert(canon);
                break;
            }
        }
        if tokens.len() == before {
            return (tokens, legal);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_inside_a_name_change_nothing() {
        let plain = normalise("Heineken N.V.");
        assert_eq!(plain, "heineken");
        for hidden in [
            "Hei\u{200b}ne\u{ad}ken N.V.",
            "\u{feff}Heine\u{200d}ken\u{200e} N.V.",
            "Heineken\u{2066} N.V.\u{2069}",
        ] {
            assert_eq!(normalise(hidden), plain, "{hidden:?}");
        }
        // A space that is seen still separates words.
        assert_eq!(normalise("Heine\u{a0}ken N.V."), "heine ken");
    }

    #[test]
    fn normalises_as_partners_misspell() {
        let cases = [
            ("Volvo Car Corporation", "volvo car"),
            ("VOLVO CARS AB", "volvo cars"),
            ("A.B.C. Trading Ltd.", "abc trading"),
            ("Bekaert N .V.", "bekaert"),
            ("N .V. Bekaert", "nv bekaert"),
            ("Marks & Spencer Group plc", "marks spencer group"),
            ("Marks and Spencer", "marks spencer"),
            ("The Heineken Company", "heineken"),
            ("L'Oréal S.A.", "loreal"),
            ("Müller Logistik GmbH", "muller logistik"),
            ("Société Générale", "societe generale"),
            ("ООО Газпром", "gazprom"),
            ("Robert Bosch GmbH & Co. KG", "robert bosch"),
            ("Aktiebolaget Volvo", "volvo"),
            ("AB", "ab"),
            ("  ", ""),
        ];
        for (raw, want) in cases {
            assert_eq!(normalise(raw), want, "{raw}");
        }
    }

    #[test]
    fn names_carry_acronym_numbers_and_legal_form() {
        let ibm = Name::new("International Business Machines Corporation");
        assert_eq!(ibm.acronym, "ibm");
        assert_eq!(ibm.legal_form.as_deref(), Some("corporation"));
        assert_eq!(Name::new("Volvo Aktiebolag").legal_form, Name::new("Volvo AB").legal_form);
        assert_eq!(Name::new("Management Company 23").numbers, ["23"]);
        assert_eq!(Name::new("Equipment Volvo Construction").sorted, "construction equipment volvo");
    }
}
