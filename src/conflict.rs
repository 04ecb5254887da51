//! Customer matching: whether two registrations concern the same end customer.
//!
//! Evaluation asks a [`Matcher`] and never looks at names itself, so the
//! matching engine can change without touching the rules. [`ExactMatcher`]
//! compares normalised names and web domains exactly; the fuzzy engine of the
//! conflict-detection work implements the same trait.

use serde::Serialize;

use crate::programme::{MatchThresholds, NamedAccount};
use crate::registration::Customer;

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

/// Compares two customers. Implementations must be symmetric.
pub trait Matcher {
    fn compare(&self, a: &Customer, b: &Customer) -> Match;
}

/// Same customer when the normalised names are equal or the web domains are
/// (free-mail domains never count). Nothing is ever `possible`.
#[derive(Debug, Clone, Default)]
pub struct ExactMatcher {
    pub thresholds: MatchThresholds,
}

impl Matcher for ExactMatcher {
    fn compare(&self, a: &Customer, b: &Customer) -> Match {
        let (name_a, name_b) = (normalise_name(&a.name), normalise_name(&b.name));
        let name = if !name_a.is_empty() && name_a == name_b { 1.0 } else { 0.0 };
        let domains = (a.domain.as_deref().and_then(domain_of), b.domain.as_deref().and_then(domain_of));
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

/// The strongest match of `customer` against a named account, over each of its domains.
pub fn match_named_account(matcher: &dyn Matcher, customer: &Customer, account: &NamedAccount) -> Match {
    let as_customer = |domain: Option<&String>| Customer {
        name: account.name.clone(),
        domain: domain.cloned(),
        country: account.country.clone(),
        city: None,
    };
    std::iter::once(as_customer(None))
        .chain(account.domains.iter().map(|d| as_customer(Some(d))))
        .map(|named| matcher.compare(customer, &named))
        .max_by(|x, y| x.score.total_cmp(&y.score))
        .expect("at least the name is compared")
}

/// Lower case, letters and digits only, single spaces.
pub fn normalise_name(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_alphanumeric() { c.to_lowercase().next().unwrap_or(c) } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Free-mail providers: an address there says nothing about the company.
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "yahoo.com",
    "icloud.com",
    "aol.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "proton.me",
    "protonmail.com",
];

/// The host of a domain, URL or e-mail address, lower case, without `www.`;
/// None for free-mail providers and blanks.
pub fn domain_of(text: &str) -> Option<String> {
    let text = text.trim().to_lowercase();
    let text = text.rsplit('@').next().unwrap_or("");
    let text = text.split_once("://").map_or(text, |(_, rest)| rest);
    let host = text.split(['/', '?', '#', ':']).next().unwrap_or("").trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty() && host.contains('.') && !FREE_MAIL.contains(&host)).then(|| host.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(name: &str, domain: Option<&str>) -> Customer {
        Customer { name: name.into(), domain: domain.map(Into::into), country: "SE".into(), city: None }
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

    #[test]
    fn domains_are_reduced_to_their_host() {
        assert_eq!(domain_of("WwW.Example.co.uk/path").as_deref(), Some("example.co.uk"));
        assert_eq!(domain_of("someone@Example.com").as_deref(), Some("example.com"));
        assert_eq!(domain_of("http://example.com:8080/x?y").as_deref(), Some("example.com"));
        assert_eq!(domain_of("localhost"), None);
        assert_eq!(domain_of("me@outlook.com"), None);
    }
}
