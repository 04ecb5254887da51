//! Web domains and e-mail addresses as evidence of who a customer is: each is
//! reduced to its registrable domain with the Public Suffix List
//! (data/public-suffix-list.dat, ICANN section), so `WwW.Example.co.uk/path`,
//! `https://shop.example.co.uk` and `anna@example.co.uk` are all
//! `example.co.uk`. Free-mail providers (data/free-mail-domains.txt) say
//! nothing about a company and are never evidence.

use std::collections::HashSet;
use std::sync::OnceLock;

use publicsuffix::{List, Psl};

fn suffix_list() -> &'static List {
    static LIST: OnceLock<List> = OnceLock::new();
    LIST.get_or_init(|| {
        let text = include_str!("../../data/public-suffix-list.dat");
        // The shipped list is checked by a test; an empty list would only lose evidence.
        text.parse().unwrap_or_default()
    })
}

fn free_mail() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        include_str!("../../data/free-mail-domains.txt")
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
    let domain = suffix_list().domain(host.as_bytes())?;
    let domain = std::str::from_utf8(domain.as_bytes()).ok()?.to_string();
    (!free_mail().contains(domain.as_str()) && !free_mail().contains(host.as_str())).then_some(domain)
}

/// The registrable domains in a field that may hold several, separated by
/// commas, semicolons or spaces.
pub fn registrable_domains(field: &str) -> Vec<String> {
    let mut out: Vec<String> = field.split([',', ';', ' ']).filter_map(registrable_domain).collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_parses() {
        let parsed: Result<List, _> = include_str!("../../data/public-suffix-list.dat").parse();
        assert!(parsed.is_ok(), "data/public-suffix-list.dat does not parse: {parsed:?}");
        assert_eq!(registrable_domain("a.b.example.com.au").as_deref(), Some("example.com.au"));
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
