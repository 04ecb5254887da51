//! The programme a new vendor starts from: a typical 90-day deal registration
//! programme, as channel managers know it from the programmes of the large
//! network and software vendors. Every value is one the builder shows and
//! explains; the vendor changes what differs in its own programme.
//!
//! Products and partners are left empty: they are the vendor's own.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};

use crate::leads::routing::LeadRouting;
use crate::leads::scoring::LeadScoring;
use crate::programme::{
    ApprovalPolicy, ConflictPolicy, Eligibility, ExtensionPolicy, LeadPriority, MatchThresholds,
    PricingPolicy, Programme, Qualification, QualificationItem, RelatedCompanies, Tier, WhenShort, KIND,
};
use crate::registration::Stage;

/// The chance a deal at each open stage is won, as forecasts commonly weigh them.
pub fn stage_probabilities() -> BTreeMap<Stage, f64> {
    BTreeMap::from([
        (Stage::Identify, 0.1),
        (Stage::Qualify, 0.2),
        (Stage::Scope, 0.35),
        (Stage::Price, 0.5),
        (Stage::Propose, 0.7),
        (Stage::Close, 0.9),
    ])
}

/// A typical programme named `name`, run by `vendor` in `currency`, for the
/// year from `starts`. Its id is made from the name.
pub fn template(name: &str, vendor: &str, currency: &str, starts: NaiveDate) -> Programme {
    let tier = |id: &str, name: &str, discount: f64, rebate: f64, bounty: f64, weight: f64| Tier {
        id: id.into(),
        name: name.into(),
        eligible: true,
        extra_discount_points: discount,
        rebate_percent: rebate,
        bounty,
        lead_weight: weight,
    };
    let item = |id: &str, label: &str| QualificationItem { id: id.into(), label: label.into() };
    // A year: to the day before the anniversary.
    let ends = starts.checked_add_months(Months::new(12)).and_then(|d| d.pred_opt()).unwrap_or(starts);
    Programme {
        format: KIND.format.into(),
        version: KIND.version,
        id: slug(name),
        revision: 1,
        name: name.trim().into(),
        vendor: vendor.trim().into(),
        vendor_key: None,
        currency: currency.trim().to_ascii_uppercase(),
        exchange_rates: BTreeMap::new(),
        starts,
        ends,
        // The window most programmes give: long enough for a mid-size sale.
        protection_days: 90,
        // One more month, once, for a deal that has reached pricing.
        extension: ExtensionPolicy { days: 30, max_extensions: 1, minimum_stage: Stage::Price },
        minimum_deal_value: 5_000.0,
        new_business_only: true,
        eligibility: Eligibility {
            required_certifications: Vec::new(),
            customer_in_partner_countries: false,
        },
        product_lines: Vec::new(),
        products: Vec::new(),
        // Three tiers: the best partners earn more discount, rebate and leads.
        tiers: vec![
            tier("gold", "Gold", 6.0, 2.0, 500.0, 3.0),
            tier("silver", "Silver", 4.0, 1.0, 250.0, 2.0),
            tier("registered", "Registered", 2.0, 0.0, 0.0, 1.0),
        ],
        partners: Vec::new(),
        named_accounts: Vec::new(),
        approval: ApprovalPolicy {
            auto_approve_below: 10_000.0,
            review_sla_business_days: 2,
            holidays: Vec::new(),
        },
        // First to register wins; the second gets nothing.
        conflict: ConflictPolicy {
            second_registrant_share: 0.0,
            match_thresholds: MatchThresholds::default(),
            related_companies: RelatedCompanies::Review,
        },
        incentive_budget: None,
        stage_probabilities: stage_probabilities(),
        lead_scoring: LeadScoring::default(),
        lead_routing: LeadRouting::default(),
        // BANT: budget, authority, need, timeline. Three of four to approve
        // without review, all four for an extension.
        qualification: Qualification {
            items: vec![
                item("budget", "Budget confirmed"),
                item("decisionMaker", "Decision maker identified"),
                item("need", "Need stated by the customer"),
                item("timeline", "Timeline known"),
            ],
            to_approve: 3,
            to_extend: 4,
            when_short: WhenShort::Review,
        },
        lead_priority: LeadPriority::default(),
        pricing: PricingPolicy::default(),
    }
}

/// An id from a name: lower-case letters and digits joined by hyphens,
/// accents dropped ("Nordlys IT AS" → "nordlys-it-as"), at most 40 characters.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(unaccent) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "programme".into()
    } else {
        out.into()
    }
}

/// The plain letters of the accented Latin letters names use most; other
/// characters are kept (and then dropped by `slug` unless ASCII).
fn unaccent(c: char) -> impl Iterator<Item = char> {
    let plain: &str = match c {
        'à'..='å' | 'À'..='Å' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'è'..='ë' | 'È'..='Ë' => "e",
        'ì'..='ï' | 'Ì'..='Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò'..='ö' | 'ø' | 'Ò'..='Ö' | 'Ø' => "o",
        'ù'..='ü' | 'Ù'..='Ü' => "u",
        'ß' => "ss",
        _ => "",
    };
    let kept = if plain.is_empty() { Some(c) } else { None };
    plain.chars().chain(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_a_valid_programme_for_a_year() {
        let starts = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let programme = template("  Acme Partner Advantage ", "Acme Ltd", "eur", starts);
        assert_eq!(programme.validate("$"), Ok(()));
        assert_eq!(programme.id, "acme-partner-advantage");
        assert_eq!(programme.name, "Acme Partner Advantage");
        assert_eq!(programme.currency, "EUR");
        assert_eq!(programme.ends, NaiveDate::from_ymd_opt(2027, 12, 6).unwrap());
        assert_eq!(programme.protection_days, 90);
        assert!(programme.partners.is_empty() && programme.products.is_empty());
        // Its text reads back as a programme file.
        let text = serde_json::to_string(&programme).unwrap();
        assert_eq!(Programme::from_json(&text).unwrap(), programme);
        let leap = template("x", "y", "USD", NaiveDate::from_ymd_opt(2028, 2, 29).unwrap());
        assert_eq!(leap.ends, NaiveDate::from_ymd_opt(2029, 2, 27).unwrap());
    }

    #[test]
    fn a_slug_keeps_letters_and_digits_and_drops_accents() {
        assert_eq!(slug("Nordlys IT AS"), "nordlys-it-as");
        assert_eq!(slug("Ørsted & Søn — Networks 2027"), "orsted-son-networks-2027");
        assert_eq!(slug("Müller Straße"), "muller-strasse");
        assert_eq!(slug("東京"), "programme");
        assert!(slug(&"a very long name ".repeat(10)).len() <= 40);
    }
}
