//! The fair-pricing audit, for the vendor: every discount granted on the
//! registrations received by a day (the tier's extra discount points each
//! approval granted, the second-registrant shares, and the special prices),
//! with the reason that stands behind each; then, per partner, the average
//! discount (weighted by deal value) against what its tier gives. A partner
//! whose discount without a recorded reason differs from its tier's by more
//! than the programme's tolerance is flagged: a price-discrimination review
//! starts there. A special price approved with its reason is justified.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::account::{RequestKind, RequestState};
use crate::charts::{bars, Bar};
use crate::conflict::sort::sort_by;
use crate::programme::Programme;
use crate::registration::{Registration, Status, Terms};
use crate::workspace::Workspace;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PricingAudit {
    pub tolerance_points: f64,
    /// Every discount granted, in receipt order.
    pub grants: Vec<Grant>,
    /// Every partner with an approved registration, flagged ones first.
    pub partners: Vec<PartnerPricing>,
    pub flagged: usize,
    /// Each partner's average discount, as SVG text (see [`crate::charts`]).
    pub chart: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum GrantKind {
    /// The tier's extra discount points, granted on approval.
    Tier,
    /// A benefit reduced to the programme's second-registrant share.
    SecondRegistrant,
    SpecialPrice,
}

/// One discount on one registration, and what stands behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    pub registration_id: String,
    pub partner_id: String,
    pub customer: String,
    /// Deal value in the programme currency.
    pub value: f64,
    pub kind: GrantKind,
    /// The tier whose terms were granted.
    pub tier: String,
    /// Extra discount, in percentage points of the deal value.
    pub points: f64,
    /// The share of the rebate and bounty kept (1 unless a second registrant).
    pub share: f64,
    /// What stands behind it: the tier, the share rule, or the vendor's reason.
    pub reason: String,
    /// Backed by the programme's terms for the partner's tier, or by a recorded reason.
    pub justified: bool,
    pub granted_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartnerPricing {
    pub partner_id: String,
    pub name: String,
    /// The partner's tier now, and its extra discount points.
    pub tier: String,
    pub tier_points: f64,
    pub registrations: usize,
    pub value: f64,
    /// Tier points plus special-price points, averaged over its approved deals by value.
    pub average_points: f64,
    /// The part of the average that reasoned special prices account for.
    pub reasoned_points: f64,
    /// average − reasoned − the tier's points: what no recorded reason explains.
    pub unexplained_points: f64,
    pub flagged: bool,
    pub why: String,
}

/// The terms an approval granted: as recorded, or (for records from before
/// terms were kept) the partner's tier now, which is then what it is judged by.
fn terms_of(p: &Programme, r: &Registration) -> Option<Terms> {
    r.terms.clone().or_else(|| {
        let tier = p.tier(&p.partner(&r.partner_id)?.tier)?;
        Some(Terms {
            tier: tier.id.clone(),
            extra_discount_points: tier.extra_discount_points,
            rebate_percent: tier.rebate_percent,
            share: 1.0,
        })
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The audit of the registrations received by `as_of`.
pub fn audit(workspace: &Workspace, p: &Programme, as_of: DateTime<Utc>) -> PricingAudit {
    let tolerance = p.pricing.audit_tolerance_points;
    let mut approved: Vec<&Registration> = workspace
        .registrations
        .iter()
        .filter(|r| r.received_at.is_some_and(|t| t <= as_of))
        .filter(|r| {
            r.terms.is_some()
                || matches!(
                    r.status,
                    Status::Approved | Status::Extended | Status::Won | Status::Lost | Status::Expired
                )
        })
        .collect();
    sort_by(&mut approved, |a, b| (a.received_at, &a.id) < (b.received_at, &b.id));
    let tier_name = |id: &str| p.tier(id).map_or(id.to_string(), |t| t.name.clone());
    let mut grants = Vec::new();
    for r in &approved {
        let Some(terms) = terms_of(p, r) else { continue };
        let value = p.convert(r.value, &r.currency).unwrap_or(0.0);
        let granted_on = r.received_at.map(|t| t.date_naive());
        let current = p.partner(&r.partner_id).map(|x| x.tier.as_str());
        let tier_points = p.tier(&terms.tier).map(|t| t.extra_discount_points);
        let as_tier =
            current == Some(terms.tier.as_str()) && tier_points == Some(terms.extra_discount_points);
        let base = Grant {
            registration_id: r.id.clone(),
            partner_id: r.partner_id.clone(),
            customer: r.customer.name.clone(),
            value,
            kind: GrantKind::Tier,
            tier: tier_name(&terms.tier),
            points: terms.extra_discount_points,
            share: terms.share,
            reason: if as_tier {
                format!("{} tier terms", tier_name(&terms.tier))
            } else {
                let now = current.map_or("not in the programme".into(), |t| format!("now {}", tier_name(t)));
                format!("{} tier terms; the partner is {now}", tier_name(&terms.tier))
            },
            justified: as_tier,
            granted_on,
            expires_on: r.protected_until,
        };
        if terms.share < 1.0 {
            grants.push(Grant {
                kind: GrantKind::SecondRegistrant,
                points: 0.0,
                reason: format!("second registrant: the programme's share {}", terms.share),
                justified: true,
                ..base.clone()
            });
        }
        grants.push(base.clone());
        for q in r.requests.iter().filter(|q| q.kind == RequestKind::SpecialPrice) {
            let answered = q.answered_at.is_some_and(|t| t <= as_of);
            if q.state != RequestState::Approved || !answered {
                continue;
            }
            let reason = q.reason.clone().unwrap_or_default();
            grants.push(Grant {
                kind: GrantKind::SpecialPrice,
                points: q.extra_discount_points.unwrap_or(0.0),
                justified: !reason.trim().is_empty(),
                reason,
                granted_on: q.answered_at.map(|t| t.date_naive()),
                expires_on: q.expires_on,
                ..base.clone()
            });
        }
    }

    let mut partners: Vec<PartnerPricing> = p
        .partners
        .iter()
        .filter_map(|partner| {
            let mine: Vec<&Grant> = grants.iter().filter(|g| g.partner_id == partner.id).collect();
            let deals: Vec<&&Grant> = mine.iter().filter(|g| g.kind == GrantKind::Tier).collect();
            if deals.is_empty() {
                return None;
            }
            let value: f64 = deals.iter().map(|g| g.value).sum();
            // Weighted by value; a desk of zero-value deals weighs them alike.
            let weight = |g: &Grant| if value > 0.0 { g.value / value } else { 1.0 / deals.len() as f64 };
            let points = |keep: &dyn Fn(&Grant) -> bool| -> f64 {
                mine.iter().filter(|g| keep(g)).map(|g| g.points * weight(g)).sum()
            };
            let average = points(&|g| g.kind != GrantKind::SecondRegistrant);
            let reasoned = points(&|g| g.kind == GrantKind::SpecialPrice && g.justified);
            let tier = p.tier(&partner.tier);
            let tier_points = tier.map_or(0.0, |t| t.extra_discount_points);
            let unexplained = round2(average - reasoned - tier_points);
            let flagged = unexplained.abs() > tolerance;
            let tier_name = tier.map_or(partner.tier.clone(), |t| t.name.clone());
            let why = if flagged {
                let unjustified: Vec<&str> =
                    mine.iter().filter(|g| !g.justified).map(|g| g.registration_id.as_str()).collect();
                format!(
                    "{} points {} the {tier_name} tier's {tier_points} without a recorded reason ({})",
                    unexplained.abs(),
                    if unexplained > 0.0 { "above" } else { "below" },
                    unjustified.join(", ")
                )
            } else if reasoned > 0.0 {
                format!("{} points above the tier, each with a recorded reason", round2(reasoned))
            } else {
                format!("the {tier_name} tier's terms")
            };
            Some(PartnerPricing {
                partner_id: partner.id.clone(),
                name: partner.name.clone(),
                tier: tier_name,
                tier_points,
                registrations: deals.len(),
                value: round2(value),
                average_points: round2(average),
                reasoned_points: round2(reasoned),
                unexplained_points: unexplained,
                flagged,
                why,
            })
        })
        .collect();
    sort_by(&mut partners, |a, b| (a.flagged && !b.flagged) || (a.flagged == b.flagged && a.name < b.name));
    let flagged = partners.iter().filter(|x| x.flagged).count();
    let bars_: Vec<Bar> = partners
        .iter()
        .map(|x| Bar {
            label: x.name.clone(),
            value: x.average_points,
            text: format!("{} points{}", x.average_points, if x.flagged { ", flagged" } else { "" }),
        })
        .collect();
    let chart = bars(
        "chart-pricing",
        "Average extra discount by partner",
        "Each partner's extra discount points, averaged over its approved deals by value: tier terms plus special prices.",
        &bars_,
    );
    PricingAudit { tolerance_points: tolerance, grants, partners, flagged, chart }
}
