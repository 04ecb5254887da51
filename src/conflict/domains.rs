//! Web domains and e-mail addresses as evidence of who a customer is: each is
//! reduced to its registrable domain with the Public Suffix List (ICANN
//! section; compiled in as the tree in data/public-suffix-list.tree, 21 KB
//! gzipped where the list's own text is 27 KB), so `WwW.Example.co.uk/path`,
//! `https://shop.example.co.uk` and `anna@example.co.uk` are all
//! `example.co.uk`. Free-mail providers (data/free-mail-domains.txt) say
//! nothing about a company and are never evidence.

use std::collections::HashSet;
use std::sync::OnceLock;

use publicsuffix::{List, Psl};

/// The tree without its comment header (build.rs).
const SUFFIX_TREE: &str = include_str!(concat!(env!("OUT_DIR"), "/public-suffix-list.tree"));

/// The list's own text (its ICANN section, one rule per line) from the tree
/// form of data/extract_public_suffix_list.py: a line per top-level label,
/// children in parentheses after their parent, comma separated, and `?` after
/// a label that is no rule itself. `ck?(*,!www)` is the rules `*.ck`, `!www.ck`.
fn expand_suffix_tree(tree: &str) -> String {
    let mut out = String::with_capacity(2 * tree.len());
    out.push_str("// ===BEGIN ICANN DOMAINS===\n");
    // The labels above the current one, top-level label first.
    let mut parents: Vec<&str> = Vec::new();
    for line in tree.lines().filter(|l| !l.starts_with("//")) {
        let (mut start, mut last) = (0, "");
        for (end, delimiter) in line.bytes().map(Some).chain([None]).enumerate() {
            if !matches!(delimiter, None | Some(b',' | b'(' | b')')) {
                continue;
            }
            let label = &line[start..end];
            start = end + 1;
            if !label.is_empty() {
                last = label.strip_suffix('?').unwrap_or(label);
                if last.len() == label.len() {
                    out.push_str(last);
                    for parent in parents.iter().rev() {
                        out.push('.');
                        out.push_str(parent);
                    }
                    out.push('\n');
                }
            }
            match delimiter {
                Some(b'(') => parents.push(last),
                Some(b')') => {
                    parents.pop();
                }
                _ => {}
            }
        }
    }
    out.push_str("// ===END ICANN DOMAINS===\n");
    out
}

fn suffix_list() -> &'static List {
    static LIST: OnceLock<List> = OnceLock::new();
    LIST.get_or_init(|| {
        // The shipped list is checked by a test; an empty list would only lose evidence.
        expand_suffix_tree(SUFFIX_TREE).parse().unwrap_or_default()
    })
}

fn free_mail() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        include_str!(concat!(env!("OUT_DIR"), "/free-mail-domains.txt"))
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// The host of a domain, URL or e-mail address: lower case, without scheme,
/// user, port, path or a trailing dot.
fn host_of(text: &str) -> String {
    let text = text.trim().to_lowercase();
    let text = text.split_once("://").map_or(text.as_str(), |(_, rest)| rest);
    let text = text.split(['/', '?', '#']).next().unwrap_or("");
    let text = text.rsplit('@').next().unwrap_or("");
    text.split(':').next().unwrap_or("").trim_end_matches('.').to_string()
}

/// The registrable domain of a domain, URL or e-mail address, or None for a
/// free-mail provider, a bare public suffix, or something that is no domain.
pub fn registrable_domain(text: &str) -> Option<String> {
    let host = host_of(text);
    if host.is_empty() || !host.contains('.') || host.split('.').any(str::is_empty) {
        return None;
    }
    // A host is letters, digits, hyphens (underscores in the wild) and dots:
    // "alpek, s.a.b. de c.v" (a name in the domain field) or "ola@ fjordbris.no"
    // is no domain, and the list would otherwise give " de c.v" or " fjordbris.no".
    if host
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || (c.is_ascii_punctuation() && !"-_.".contains(c)))
    {
        return None;
    }
    let domain = suffix_list().domain(host.as_bytes())?;
    let domain = std::str::from_utf8(domain.as_bytes()).ok()?.to_string();
    (!free_mail().contains(domain.as_str()) && !free_mail().contains(host.as_str())).then_some(domain)
}

/// The registrable domains in a field that may hold several, separated by
/// commas, semicolons or spaces.
pub fn registrable_domains(field: &str) -> Vec<String> {
    let mut out: Vec<String> = field.split([',', ';', ' ']).filter_map(registrable_domain).collect();
    super::sort::sort(&mut out);
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The list as published (data/public-suffix-list.dat, the ICANN section
    /// verbatim) is kept for this test only.
    const SUFFIX_LIST: &str = include_str!("../../data/public-suffix-list.dat");

    fn rules(text: &str) -> Vec<&str> {
        let mut rules: Vec<&str> = text.lines().filter(|l| !l.is_empty() && !l.starts_with("//")).collect();
        rules.sort_unstable();
        rules
    }

    #[test]
    fn the_shipped_tree_is_the_published_list() {
        let expanded = expand_suffix_tree(SUFFIX_TREE);
        assert_eq!(rules(&expanded), rules(SUFFIX_LIST), "data/public-suffix-list.tree has other rules");
        assert_eq!(rules(SUFFIX_LIST).len(), 6949);
        let published: List = SUFFIX_LIST.parse().expect("data/public-suffix-list.dat parses");
        assert_eq!(expanded.parse::<List>().expect("the expanded tree parses"), published);
        assert_eq!(registrable_domain("a.b.example.com.au").as_deref(), Some("example.com.au"));
    }

    #[test]
    fn the_tree_form_expands_wildcards_exceptions_and_non_rules() {
        let text = expand_suffix_tree(
            "// a comment\nac(com,edu)\nck?(*,!www)\njp(kawasaki?(*,!city),aichi(ama))\nuk(co)",
        );
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            [
                "// ===BEGIN ICANN DOMAINS===",
                "ac",
                "com.ac",
                "edu.ac",
                "*.ck",
                "!www.ck",
                "jp",
                "*.kawasaki.jp",
                "!city.kawasaki.jp",
                "aichi.jp",
                "ama.aichi.jp",
                "uk",
                "co.uk",
                "// ===END ICANN DOMAINS===",
            ]
        );
    }

    #[test]
    fn reduces_to_the_registrable_domain() {
        let cases = [
            ("WwW.Example.co.uk/path", Some("example.co.uk")),
            ("https://shop.example.co.uk:8443/x?y#z", Some("example.co.uk")),
            ("anna.berg@Volvocars.com", Some("volvocars.com")),
            ("mail.volvocars.se.", Some("volvocars.se")),
            ("foo.kommune.no", Some("foo.kommune.no")),
            ("co.uk", None),
            ("anna@gmail.com", None),
            ("googlemail.com", None),
            ("localhost", None),
            ("", None),
            ("a..b", None),
            // Found by fuzzing (tests/fixtures/fuzz/names/): a name is no domain.
            ("Alpek, S.A.B. De C.V.", None),
            ("ola@ fjordbris.no", None),
        ];
        for (input, want) in cases {
            assert_eq!(registrable_domain(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn a_customer_may_have_several_domains() {
        assert_eq!(
            registrable_domains("volvocars.com, www.volvocars.se; x@gmail.com"),
            ["volvocars.com", "volvocars.se"]
        );
    }
}
