//! The programme: a vendor's deal-registration rules for one period, published
//! to every partner as a file (`format: "dealreg.programme"`). It holds the
//! protection window, the minimum deal, the product catalogue, partner tiers and
//! the partner list, named accounts, approval and conflict policy, the incentive
//! budget and the stage win probabilities. Evaluation against it arrives with
//! the programme-rules issue; this module owns the format and its validation.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::check::Problems;
use crate::error::{Error, Problem};
use crate::exchange::{self, Kind};
use crate::leads::routing::LeadRouting;
use crate::leads::scoring::LeadScoring;
use crate::registration::Stage;

/// Version 2 added `revision`, `vendorKey`, partners' `signingKey` and the
/// signature; version 3 the lead scoring and routing models; version 4 the
/// qualification checklist, the lead priority and the pricing policy;
/// version 5 made `partners` and `incentiveBudget` optional (a published
/// programme holds neither).
pub const KIND: Kind = Kind { what: "programme file", format: "dealreg.programme", version: 5 };

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Programme {
    pub format: String,
    pub version: u32,
    pub id: String,
    /// Grows by one with every change the vendor saves; a partner desk adopts
    /// a programme file only if it is newer than the one it holds.
    #[serde(default = "first_revision")]
    pub revision: u32,
    pub name: String,
    pub vendor: String,
    /// The vendor's Ed25519 public key (base64): the programme and decision
    /// files must be signed with it. Set when the vendor desk makes its key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_key: Option<String>,
    /// The programme's currency: minimums, budgets and incentives are in it.
    pub currency: String,
    /// What one unit of another currency is worth in the programme currency, e.g. `{"SEK": 0.088}`.
    /// A deal in a currency not listed here cannot be registered.
    #[serde(default)]
    pub exchange_rates: BTreeMap<String, f64>,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    /// Days a registration is protected from its vendor receipt date.
    pub protection_days: u32,
    pub extension: ExtensionPolicy,
    /// In the programme currency.
    pub minimum_deal_value: f64,
    pub new_business_only: bool,
    #[serde(default)]
    pub eligibility: Eligibility,
    pub product_lines: Vec<ProductLine>,
    pub products: Vec<Product>,
    pub tiers: Vec<Tier>,
    /// The vendor's roster. Never published: a programme file names no
    /// partner, and a partner's desk holds its own record only (from its
    /// invitation and the vendor's decision files).
    #[serde(default)]
    pub partners: Vec<Partner>,
    #[serde(default)]
    pub named_accounts: Vec<NamedAccount>,
    pub approval: ApprovalPolicy,
    pub conflict: ConflictPolicy,
    /// The vendor's budget for incentives, in the programme currency: the
    /// vendor's to know. Never published: a partner's desk holds none, and
    /// the vendor checks it when it receives a registration. None on a
    /// vendor's desk: no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incentive_budget: Option<f64>,
    /// Default win probability (0..1) of each open stage, for the weighted forecast.
    pub stage_probabilities: BTreeMap<Stage, f64>,
    /// How leads are scored; a file without one gets [`LeadScoring::default`].
    #[serde(default)]
    pub lead_scoring: LeadScoring,
    /// How leads go to partners.
    #[serde(default)]
    pub lead_routing: LeadRouting,
    /// The qualification checklist and how much of it approval and extension need.
    #[serde(default)]
    pub qualification: Qualification,
    /// What a registration converted from a lead the vendor routed gets.
    #[serde(default)]
    pub lead_priority: LeadPriority,
    /// Special prices and the fair-pricing audit.
    #[serde(default)]
    pub pricing: PricingPolicy,
}

/// The questions a partner answers to show the deal is real.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Qualification {
    #[serde(default)]
    pub items: Vec<QualificationItem>,
    /// Items a registration must confirm to be approved without review.
    #[serde(default)]
    pub to_approve: u32,
    /// Items it must confirm to get an extension.
    #[serde(default)]
    pub to_extend: u32,
    /// What happens to a registration short of `toApprove`.
    #[serde(default)]
    pub when_short: WhenShort,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QualificationItem {
    pub id: String,
    /// What the partner confirms: "Budget confirmed".
    pub label: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum WhenShort {
    /// A person at the vendor decides.
    #[default]
    Review,
    Reject,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LeadPriority {
    /// A registration of a lead the vendor routed to the partner, accepted and
    /// converted by it, is approved without review below this value (in place
    /// of `approval.autoApproveBelow`, when higher).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_approve_below: Option<f64>,
    /// The partner converting such a lead counts as first for its customer:
    /// another partner's registration received after the vendor offered the
    /// lead is no conflict.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub first_in_conflicts: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PricingPolicy {
    /// The largest extra discount a special price may grant, in percentage points.
    #[serde(default = "default_max_special")]
    pub max_special_points: f64,
    /// The fair-pricing audit flags a partner whose discount without a recorded
    /// reason differs from its tier's by more than this many points.
    #[serde(default = "default_tolerance")]
    pub audit_tolerance_points: f64,
}

fn default_max_special() -> f64 {
    10.0
}

fn default_tolerance() -> f64 {
    0.5
}

impl Default for PricingPolicy {
    fn default() -> PricingPolicy {
        PricingPolicy {
            max_special_points: default_max_special(),
            audit_tolerance_points: default_tolerance(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExtensionPolicy {
    pub days: u32,
    /// How many extensions one registration may get.
    pub max_extensions: u32,
    /// The stage a deal must have reached to be extended.
    pub minimum_stage: Stage,
}

/// Who may register beyond being an active partner in an eligible tier.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Eligibility {
    /// Certifications a partner must hold, every one of them.
    #[serde(default)]
    pub required_certifications: Vec<String>,
    /// The customer must be in one of the partner's countries.
    #[serde(default)]
    pub customer_in_partner_countries: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProductLine {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Product {
    pub sku: String,
    pub name: String,
    /// Id of its product line.
    pub line: String,
    pub registrable: bool,
    pub list_price: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tier {
    pub id: String,
    pub name: String,
    /// Whether partners of this tier may register deals at all.
    pub eligible: bool,
    pub extra_discount_points: f64,
    pub rebate_percent: f64,
    /// Paid per won registered deal, in the programme currency.
    pub bounty: f64,
    /// Relative weight when leads are routed by tier.
    pub lead_weight: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum PartnerStatus {
    Active,
    Suspended,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Partner {
    pub id: String,
    pub name: String,
    /// Id of its tier.
    pub tier: String,
    /// Countries it may sell in (ISO 3166-1 alpha-2).
    pub countries: Vec<String>,
    #[serde(default)]
    pub specialisations: Vec<String>,
    #[serde(default)]
    pub certifications: Vec<String>,
    /// Open leads it can work at once.
    pub lead_capacity: u32,
    pub status: PartnerStatus,
    /// The partner's Ed25519 public key (base64), if it signs its submissions:
    /// the vendor desk then refuses any submission of its not signed with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_key: Option<String>,
}

/// A customer the vendor sells to directly; partners cannot register it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NamedAccount {
    pub name: String,
    #[serde(default)]
    pub domains: Vec<String>,
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApprovalPolicy {
    /// Registrations below this value are approved without review.
    pub auto_approve_below: f64,
    pub review_sla_business_days: u32,
    /// Days the vendor does not review, beside Saturdays and Sundays: review
    /// due dates and the SLA's business days skip them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<Holiday>,
}

/// A public holiday, for every customer or for customers in some countries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Holiday {
    pub date: NaiveDate,
    #[serde(default)]
    pub name: String,
    /// The customer countries (ISO 3166-1 alpha-2) it applies to; none: all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
}

impl ApprovalPolicy {
    /// `day` plus the review SLA in business days for a customer in
    /// `country`: Monday to Friday, less the holidays that apply there.
    pub fn review_due(&self, day: NaiveDate, country: &str) -> NaiveDate {
        let off = |d: NaiveDate| {
            self.holidays.iter().any(|h| {
                h.date == d
                    && (h.countries.is_empty() || h.countries.iter().any(|c| c.eq_ignore_ascii_case(country)))
            })
        };
        crate::decision::add_working_days(day, self.review_sla_business_days, off)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConflictPolicy {
    /// Share (0..1) of the benefit a second registrant keeps when the vendor approves it after review.
    pub second_registrant_share: f64,
    /// Customer-match scores (0..1) from which two customers are the same, or possibly the same.
    #[serde(default)]
    pub match_thresholds: MatchThresholds,
    /// Customers whose names start with the same distinctive word ("Volvo Cars",
    /// "Volvo Construction Equipment": perhaps a parent and its subsidiary).
    #[serde(default)]
    pub related_companies: RelatedCompanies,
}

/// How a programme treats companies that may be one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum RelatedCompanies {
    /// A possible match: a second registrant goes to review.
    #[default]
    Review,
    /// One customer: a second registrant conflicts as with the same company.
    Same,
    /// Separate customers: only the rest of the evidence counts.
    Separate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MatchThresholds {
    pub same: f64,
    pub possible: f64,
}

impl Default for MatchThresholds {
    fn default() -> MatchThresholds {
        MatchThresholds { same: 0.9, possible: 0.75 }
    }
}

fn first_revision() -> u32 {
    1
}

impl Programme {
    /// Reads and validates a programme file.
    pub fn from_json(text: &str) -> Result<Programme, Error> {
        let programme: Programme = exchange::read(text, KIND)?;
        programme.validate("$").map_err(|problems| Error::invalid(KIND.what, problems))?;
        Ok(programme)
    }

    /// What a partner may see: the programme without the roster and the
    /// budget. What is published, and what invitations carry.
    pub fn published(&self) -> Programme {
        Programme { partners: Vec::new(), incentive_budget: None, ..self.clone() }
    }

    /// What a partner's desk keeps: the published programme and its own record.
    pub fn for_partner(&self, partner: Partner) -> Programme {
        Programme { partners: vec![partner], ..self.published() }
    }

    pub fn partner(&self, id: &str) -> Option<&Partner> {
        self.partners.iter().find(|p| p.id == id)
    }

    pub fn product(&self, sku: &str) -> Option<&Product> {
        self.products.iter().find(|p| p.sku == sku)
    }

    pub fn tier(&self, id: &str) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.id == id)
    }

    /// `value` in `currency`, in the programme currency; None without a rate.
    /// A value in the programme currency, to its minor unit: converted
    /// exactly from the decimals as written, then rounded half away from zero.
    pub fn convert(&self, value: f64, currency: &str) -> Option<f64> {
        let rate = if currency == self.currency { 1.0 } else { *self.exchange_rates.get(currency)? };
        Some(crate::money::amount(crate::money::product(&[value, rate], 0, &self.currency), &self.currency))
    }

    /// The product line of each registrable line item, for overlap tests (unknown SKUs have none).
    pub fn lines_of<'a>(
        &'a self,
        items: &'a [crate::registration::LineItem],
    ) -> impl Iterator<Item = &'a str> + 'a {
        // Only registrable products: a support service sold with two deals on
        // different lines does not make them one.
        items
            .iter()
            .filter_map(|item| self.product(&item.sku).filter(|p| p.registrable).map(|p| p.line.as_str()))
    }

    /// The product lines of line items as bits (bit `i`: `productLines[i]`),
    /// for overlap tests done many times: the same answer as comparing
    /// [`Programme::lines_of`]. None past 64 lines, or for a product whose
    /// line is not one of them (no bit would stand for it).
    pub fn line_mask(&self, items: &[crate::registration::LineItem]) -> Option<u64> {
        if self.product_lines.len() > 64 {
            return None;
        }
        self.lines_of(items).try_fold(0, |mask, line| {
            self.product_lines.iter().position(|l| l.id == line).map(|i| mask | 1u64 << i)
        })
    }

    /// Every problem with the programme's own content, under `root`.
    pub fn validate(&self, root: &str) -> Result<(), Vec<Problem>> {
        let mut p = Problems::default();
        p.id(&format!("{root}.id"), &self.id);
        p.not_blank(&format!("{root}.name"), &self.name);
        p.not_blank(&format!("{root}.vendor"), &self.vendor);
        p.currency(&format!("{root}.currency"), &self.currency);
        if self.vendor_key.as_deref().is_some_and(|k| !crate::signing::is_public_key(k)) {
            p.add(format!("{root}.vendorKey"), "is not an Ed25519 public key in base64");
        }
        if self.ends < self.starts {
            p.add(format!("{root}.ends"), format!("{} is before starts {}", self.ends, self.starts));
        }
        if !(1..=3650).contains(&self.protection_days) {
            p.add(
                format!("{root}.protectionDays"),
                format!("must be from 1 to 3650 days, got {}", self.protection_days),
            );
        }
        p.amount(&format!("{root}.minimumDealValue"), self.minimum_deal_value);
        if let Some(budget) = self.incentive_budget {
            p.amount(&format!("{root}.incentiveBudget"), budget);
        }
        p.amount(&format!("{root}.approval.autoApproveBelow"), self.approval.auto_approve_below);
        let holidays = format!("{root}.approval.holidays");
        if self.approval.holidays.len() > 1000 {
            p.add(holidays.clone(), format!("has {} days; at most 1,000", self.approval.holidays.len()));
        }
        for (idx, h) in self.approval.holidays.iter().enumerate() {
            for (c, country) in h.countries.iter().enumerate() {
                p.country(&format!("{holidays}[{idx}].countries[{c}]"), country);
            }
        }
        p.share(&format!("{root}.conflict.secondRegistrantShare"), self.conflict.second_registrant_share);
        for (stage, probability) in &self.stage_probabilities {
            p.share(&format!("{root}.stageProbabilities.{}", stage.as_str()), *probability);
        }

        let lines = format!("{root}.productLines");
        p.unique(&lines, "id", self.product_lines.iter().map(|l| l.id.as_str()));
        for (idx, line) in self.product_lines.iter().enumerate() {
            p.id(&format!("{lines}[{idx}].id"), &line.id);
            p.not_blank(&format!("{lines}[{idx}].name"), &line.name);
        }
        let line_ids: HashSet<&str> = self.product_lines.iter().map(|l| l.id.as_str()).collect();
        let products = format!("{root}.products");
        p.unique(&products, "sku", self.products.iter().map(|x| x.sku.as_str()));
        for (idx, product) in self.products.iter().enumerate() {
            p.id(&format!("{products}[{idx}].sku"), &product.sku);
            p.not_blank(&format!("{products}[{idx}].name"), &product.name);
            p.amount(&format!("{products}[{idx}].listPrice"), product.list_price);
            if !line_ids.contains(product.line.as_str()) {
                p.add(
                    format!("{products}[{idx}].line"),
                    format!("{:?} is not one of the productLines", product.line),
                );
            }
        }

        let tiers = format!("{root}.tiers");
        p.unique(&tiers, "id", self.tiers.iter().map(|t| t.id.as_str()));
        for (idx, tier) in self.tiers.iter().enumerate() {
            p.id(&format!("{tiers}[{idx}].id"), &tier.id);
            p.not_blank(&format!("{tiers}[{idx}].name"), &tier.name);
            p.amount(&format!("{tiers}[{idx}].extraDiscountPoints"), tier.extra_discount_points);
            p.amount(&format!("{tiers}[{idx}].rebatePercent"), tier.rebate_percent);
            p.amount(&format!("{tiers}[{idx}].bounty"), tier.bounty);
            p.amount(&format!("{tiers}[{idx}].leadWeight"), tier.lead_weight);
        }
        let tier_ids: HashSet<&str> = self.tiers.iter().map(|t| t.id.as_str()).collect();

        let partners = format!("{root}.partners");
        p.unique(&partners, "id", self.partners.iter().map(|x| x.id.as_str()));
        for (idx, partner) in self.partners.iter().enumerate() {
            p.id(&format!("{partners}[{idx}].id"), &partner.id);
            p.not_blank(&format!("{partners}[{idx}].name"), &partner.name);
            if partner.signing_key.as_deref().is_some_and(|k| !crate::signing::is_public_key(k)) {
                p.add(format!("{partners}[{idx}].signingKey"), "is not an Ed25519 public key in base64");
            }
            if !tier_ids.contains(partner.tier.as_str()) {
                p.add(
                    format!("{partners}[{idx}].tier"),
                    format!("{:?} is not one of the tiers", partner.tier),
                );
            }
            for (c_idx, country) in partner.countries.iter().enumerate() {
                p.country(&format!("{partners}[{idx}].countries[{c_idx}]"), country);
            }
        }
        for (idx, account) in self.named_accounts.iter().enumerate() {
            p.not_blank(&format!("{root}.namedAccounts[{idx}].name"), &account.name);
            p.country(&format!("{root}.namedAccounts[{idx}].country"), &account.country);
        }
        let items = format!("{root}.qualification.items");
        p.unique(&items, "id", self.qualification.items.iter().map(|i| i.id.as_str()));
        for (idx, item) in self.qualification.items.iter().enumerate() {
            p.id(&format!("{items}[{idx}].id"), &item.id);
            p.not_blank(&format!("{items}[{idx}].label"), &item.label);
        }
        let count = self.qualification.items.len() as u32;
        for (field, n) in
            [("toApprove", self.qualification.to_approve), ("toExtend", self.qualification.to_extend)]
        {
            if n > count {
                p.add(
                    format!("{root}.qualification.{field}"),
                    format!("is {n}, but the checklist has {count} items"),
                );
            }
        }
        if let Some(limit) = self.lead_priority.auto_approve_below {
            p.amount(&format!("{root}.leadPriority.autoApproveBelow"), limit);
        }
        for (field, points) in [
            ("maxSpecialPoints", self.pricing.max_special_points),
            ("auditTolerancePoints", self.pricing.audit_tolerance_points),
        ] {
            if !(0.0..=100.0).contains(&points) {
                p.add(
                    format!("{root}.pricing.{field}"),
                    format!("must be from 0 to 100 points, got {points}"),
                );
            }
        }
        self.lead_scoring.check(&format!("{root}.leadScoring"), &mut p);
        self.lead_routing.check(&format!("{root}.leadRouting"), &mut p);
        p.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Programme {
        Programme::from_json(include_str!("../www/demo/programme.json")).expect("demo programme is valid")
    }

    #[test]
    fn demo_programme_reads_and_finds_its_parts() {
        let programme = demo();
        assert_eq!(programme.protection_days, 90);
        assert!(programme.partner(&programme.partners[0].id).is_some());
        assert!(programme.product(&programme.products[0].sku).is_some());
        assert!(programme.partner("nobody").is_none());
    }

    #[test]
    fn a_line_mask_answers_as_the_lines_do_or_not_at_all() {
        let mut programme = demo();
        let item = |sku: &str| crate::registration::LineItem { sku: sku.into(), quantity: 1 };
        let (a, b) = (item(&programme.products[0].sku), item(&programme.products[1].sku));
        let bit = |sku: &str| {
            let line = &programme.product(sku).unwrap().line;
            1u64 << programme.product_lines.iter().position(|l| &l.id == line).unwrap()
        };
        let bit_a = bit(&a.sku);
        assert_eq!(programme.line_mask(&[a.clone(), b.clone()]), Some(bit_a | bit(&b.sku)));
        assert_eq!(programme.line_mask(&[item("not in the catalogue")]), Some(0), "as lines_of: none");
        // A line no bit stands for (an unchecked programme): no mask, so callers compare lines.
        programme.products[1].line = "nope".into();
        assert_eq!(programme.line_mask(std::slice::from_ref(&a)), Some(bit_a));
        assert_eq!(programme.line_mask(&[a, b]), None);
    }

    #[test]
    fn validation_lists_every_problem_by_path() {
        let mut programme = demo();
        programme.protection_days = 0;
        programme.products[1].line = "nope".into();
        programme.partners[2].tier = "diamond".into();
        programme.conflict.second_registrant_share = 2.0;
        let problems = programme.validate("$").unwrap_err();
        let paths: Vec<_> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "$.protectionDays",
                "$.conflict.secondRegistrantShare",
                "$.products[1].line",
                "$.partners[2].tier"
            ]
        );
    }
}
