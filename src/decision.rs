//! Evaluating a registration against the programme: the decision order of
//! DESIGN.md, every rule checked and reported in order (passed, failed, sent
//! to review, or not applicable) with the numbers used, and for a failure what
//! would have passed. The first failing rule is what the partner reads first.
//!
//! 1. partner known and eligible (status, tier, certifications, country), and
//!    the deal received within the programme's period;
//! 2. a registrable product; the value, converted, at or above the minimum;
//!    new business where the programme wants only that; enough of the
//!    qualification checklist confirmed (else review, or rejected);
//! 3. not a named (direct) account;
//! 4. not a duplicate of the partner's own open registration;
//! 5. no other partner holds the customer (sure match: rejected, possible: review);
//!    not a lead the vendor assigned to another partner (review), nor one this
//!    partner declined (rejected);
//! 6. below the auto-approve limit (or the lead priority's, for a lead the
//!    vendor routed to the partner), else review;
//! 7. the incentive fits the budget left, else review.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use serde::Serialize;

use crate::conflict::bound::Sketch;
use crate::conflict::{
    match_named_account, match_named_profiles, FuzzyMatcher, Known, Match, Profile, Verdict,
};
use crate::leads::{Lead, OfferState};
use crate::programme::{PartnerStatus, Programme, WhenShort};
use crate::registration::{Registration, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    Approved,
    InReview,
    Rejected,
}

impl Outcome {
    pub fn status(self) -> Status {
        match self {
            Outcome::Approved => Status::Approved,
            Outcome::InReview => Status::InReview,
            Outcome::Rejected => Status::Rejected,
        }
    }
}

/// The rules, in the order they are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Rule {
    Partner,
    Period,
    Products,
    MinimumValue,
    NewBusiness,
    Qualification,
    NamedAccount,
    Duplicate,
    Conflict,
    LeadAssignment,
    AutoApprove,
    Budget,
}

impl Rule {
    pub fn title(self) -> &'static str {
        match self {
            Rule::Partner => "Partner eligible",
            Rule::Period => "Within the programme period",
            Rule::Products => "Registrable products",
            Rule::MinimumValue => "Minimum deal value",
            Rule::NewBusiness => "New business",
            Rule::Qualification => "Qualification checklist",
            Rule::NamedAccount => "Not a named account",
            Rule::Duplicate => "Not a duplicate",
            Rule::Conflict => "No other partner holds the customer",
            Rule::LeadAssignment => "Not another partner's lead",
            Rule::AutoApprove => "Auto-approval limit",
            Rule::Budget => "Incentive budget",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Check {
    Passed,
    /// The registration is rejected.
    Failed,
    /// A person at the vendor decides.
    Review,
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleResult {
    pub rule: Rule,
    pub title: String,
    pub check: Check,
    /// What was found, with the numbers used.
    pub detail: String,
    /// For a failure or a review: what would have passed.
    pub would_pass: Option<String>,
}

/// Another registration of the same customer, and how sure the match is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub registration_id: String,
    pub partner_id: String,
    pub customer: String,
    pub status: Status,
    /// It held the customer (approved and protected) when the candidate was received.
    pub held: bool,
    pub received_at: Option<DateTime<Utc>>,
    pub protected_until: Option<NaiveDate>,
    #[serde(rename = "match")]
    pub matched: Match,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Incentive {
    pub tier: String,
    pub tier_id: String,
    pub extra_discount_points: f64,
    pub rebate_percent: f64,
    pub rebate: f64,
    pub bounty: f64,
    /// 1, or the programme's second-registrant share when another partner may hold the customer.
    pub share: f64,
    /// (rebate + bounty) × share, in the programme currency: what is counted against the budget.
    pub cost: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Budget {
    pub total: f64,
    /// Committed by approved, extended and won registrations.
    pub committed: f64,
    /// Left before this registration.
    pub left: f64,
}

/// The outcome of an evaluation, and everything behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    pub outcome: Outcome,
    /// The first rule that failed, or else the first that sent it to review.
    pub first_failure: Option<Rule>,
    /// One sentence for the partner.
    pub summary: String,
    pub rules: Vec<RuleResult>,
    pub currency: String,
    pub value_in_programme_currency: Option<f64>,
    pub received_at: DateTime<Utc>,
    /// For approved and in-review registrations: receipt date + protection days.
    pub protected_until: Option<NaiveDate>,
    /// For registrations in review: the date the vendor's review SLA runs out.
    pub review_due: Option<NaiveDate>,
    pub incentive: Option<Incentive>,
    /// The incentive budget, where this desk knows it (a vendor's).
    pub budget: Option<Budget>,
    /// Other partners' registrations of the same customer, with the match evidence.
    pub conflicts: Vec<Finding>,
    /// The partner's own open registrations of the same customer.
    pub duplicates: Vec<Finding>,
}

/// Evaluates `candidate`, received by the vendor at `received_at`, against the
/// programme and the registrations already there, matching customers with the
/// [`FuzzyMatcher`] the programme asks for.
pub fn evaluate(
    programme: &Programme,
    registrations: &[Registration],
    candidate: &Registration,
    received_at: DateTime<Utc>,
) -> Decision {
    evaluate_known(programme, registrations, &[], None, None, candidate, received_at)
}

/// [`evaluate`] with the desk's leads, and the stored registrations' and the
/// leads' customers already profiled ([`Known::of`] the same `registrations`,
/// [`Known::of_leads`] the same `leads`) if known: the same decision, sooner.
pub fn evaluate_known(
    programme: &Programme,
    registrations: &[Registration],
    leads: &[Lead],
    known: Option<&Known>,
    lead_known: Option<&Known>,
    candidate: &Registration,
    received_at: DateTime<Utc>,
) -> Decision {
    let matcher = FuzzyMatcher::for_programme(programme);
    // Profiles made from other records would match the wrong customers.
    let known = known.filter(|k| k.len() == registrations.len());
    let lead_known = lead_known.filter(|k| k.len() == leads.len());
    let others = Others {
        registrations,
        known,
        nearby: None,
        committed: None,
        named: None,
        line_masks: None,
        leads,
        lead_known,
    };
    evaluate_among(programme, &others, candidate, received_at, &matcher)
}

/// What a candidate is evaluated against: the registrations there, and, for
/// callers that evaluate many in a row (the sandbox), what they already know.
pub struct Others<'a> {
    pub registrations: &'a [Registration],
    /// The registrations' customers, profiled (positions as in `registrations`).
    pub known: Option<&'a Known>,
    /// The only positions that may hold the candidate's customer (from an
    /// index); every registration when none.
    pub nearby: Option<&'a [usize]>,
    /// The budget committed by the others, when the caller keeps the count.
    pub committed: Option<f64>,
    /// The programme's named accounts profiled ([`crate::conflict::named_account_profiles`]),
    /// in programme order, when the caller keeps them.
    pub named: Option<&'a [Vec<Profile>]>,
    /// Each registration's [`Programme::line_mask`], when the caller keeps them.
    pub line_masks: Option<&'a [u64]>,
    /// The desk's leads: a lead assigned to another partner, or declined by
    /// this one, stands in the way (none: the rule does not apply).
    pub leads: &'a [Lead],
    /// The leads' customers, profiled (positions as in `leads`), when the
    /// caller keeps them: 10,000 assigned leads took 68 ms an evaluation to
    /// profile afresh.
    pub lead_known: Option<&'a Known>,
}

/// [`evaluate`] against [`Others`]: the same rules, in the same order.
pub fn evaluate_among(
    programme: &Programme,
    others: &Others,
    candidate: &Registration,
    received_at: DateTime<Utc>,
    matcher: &FuzzyMatcher,
) -> Decision {
    let (registrations, known) = (others.registrations, others.known);
    let cur = &programme.currency;
    let day = received_at.date_naive();
    let mut rules = Vec::with_capacity(10);
    let mut push = |rule: Rule, check: Check, detail: String, would_pass: Option<String>| {
        rules.push(RuleResult { rule, title: rule.title().to_string(), check, detail, would_pass });
    };

    // 1. The partner.
    let partner = programme.partner(&candidate.partner_id);
    let tier = partner.and_then(|p| programme.tier(&p.tier));
    match (partner, tier) {
        (None, _) => push(
            Rule::Partner,
            Check::Failed,
            format!("partner {:?} is not in the programme", candidate.partner_id),
            Some("a partner listed in the programme".into()),
        ),
        (Some(p), tier) => {
            let mut why_not = Vec::new();
            if p.status == PartnerStatus::Suspended {
                why_not.push(format!("{} is suspended", p.name));
            }
            match tier {
                None => why_not.push(format!("tier {:?} is not in the programme", p.tier)),
                Some(t) if !t.eligible => why_not.push(format!("the {} tier cannot register deals", t.name)),
                Some(_) => {}
            }
            let missing: Vec<&str> = programme
                .eligibility
                .required_certifications
                .iter()
                .filter(|c| !p.certifications.contains(c))
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                why_not.push(format!("{} lacks the certification {}", p.name, missing.join(", ")));
            }
            if programme.eligibility.customer_in_partner_countries
                && !p.countries.contains(&candidate.customer.country)
            {
                why_not.push(format!(
                    "the customer is in {}, outside {}'s countries ({})",
                    candidate.customer.country,
                    p.name,
                    p.countries.join(", ")
                ));
            }
            let tier_name = tier.map_or(p.tier.as_str(), |t| t.name.as_str());
            if why_not.is_empty() {
                push(
                    Rule::Partner,
                    Check::Passed,
                    format!("{}, {tier_name} tier, active, sells in {}", p.name, p.countries.join(", ")),
                    None,
                );
            } else {
                let eligible: Vec<&str> =
                    programme.tiers.iter().filter(|t| t.eligible).map(|t| t.name.as_str()).collect();
                push(
                    Rule::Partner,
                    Check::Failed,
                    why_not.join("; "),
                    Some(format!(
                        "an active partner in an eligible tier ({}){}",
                        eligible.join(", "),
                        if programme.eligibility.customer_in_partner_countries {
                            ", registering a customer in its own countries"
                        } else {
                            ""
                        }
                    )),
                );
            }
        }
    }

    // 1b. The programme's period.
    if day < programme.starts || day > programme.ends {
        push(
            Rule::Period,
            Check::Failed,
            format!(
                "received {day}, {} the programme runs ({} to {})",
                if day < programme.starts { "before" } else { "after" },
                programme.starts,
                programme.ends
            ),
            Some(format!("a registration received from {} to {}", programme.starts, programme.ends)),
        );
    } else {
        push(
            Rule::Period,
            Check::Passed,
            format!("received {day}; the programme runs to {}", programme.ends),
            None,
        );
    }

    // 2. Products.
    let unknown: Vec<&str> = candidate
        .products
        .iter()
        .filter(|i| programme.product(&i.sku).is_none())
        .map(|i| i.sku.as_str())
        .collect();
    let registrable: Vec<&str> = candidate
        .products
        .iter()
        .filter(|i| programme.product(&i.sku).is_some_and(|p| p.registrable))
        .map(|i| i.sku.as_str())
        .collect();
    let catalogue: Vec<&str> =
        programme.products.iter().filter(|p| p.registrable).map(|p| p.sku.as_str()).collect();
    if !unknown.is_empty() {
        push(
            Rule::Products,
            Check::Failed,
            format!("{} not in the programme's catalogue", unknown.join(", ")),
            Some(format!("products from the catalogue; registrable: {}", catalogue.join(", "))),
        );
    } else if registrable.is_empty() {
        let named: Vec<&str> = candidate.products.iter().map(|i| i.sku.as_str()).collect();
        push(
            Rule::Products,
            Check::Failed,
            if named.is_empty() {
                "no products named".to_string()
            } else {
                format!("none of {} can be registered", named.join(", "))
            },
            Some(format!("at least one registrable product: {}", catalogue.join(", "))),
        );
    } else {
        push(Rule::Products, Check::Passed, format!("registrable: {}", registrable.join(", ")), None);
    }

    // 2b. Minimum value, converted.
    let value = programme.convert(candidate.value, &candidate.currency);
    let as_given = money(candidate.value, &candidate.currency);
    match value {
        None => push(
            Rule::MinimumValue,
            Check::Failed,
            format!("the programme has no exchange rate for {}", candidate.currency),
            Some(format!(
                "a value in {cur}{}",
                if programme.exchange_rates.is_empty() {
                    String::new()
                } else {
                    format!(" or {}", programme.exchange_rates.keys().cloned().collect::<Vec<_>>().join(", "))
                }
            )),
        ),
        Some(v) => {
            let shown = if candidate.currency == *cur {
                format!("deal value {as_given}")
            } else {
                format!("deal value {as_given} = {}", money(v, cur))
            };
            // Both to the cent: the value is converted and rounded already.
            if crate::money::minor(v, cur) < crate::money::minor(programme.minimum_deal_value, cur) {
                push(
                    Rule::MinimumValue,
                    Check::Failed,
                    format!("{shown} is below the minimum {}", money(programme.minimum_deal_value, cur)),
                    Some(format!("a deal value of at least {}", money(programme.minimum_deal_value, cur))),
                );
            } else {
                push(
                    Rule::MinimumValue,
                    Check::Passed,
                    format!("{shown} meets the minimum {}", money(programme.minimum_deal_value, cur)),
                    None,
                );
            }
        }
    }

    // 2c. New business.
    if !programme.new_business_only {
        push(
            Rule::NewBusiness,
            Check::NotApplicable,
            "the programme also registers existing business".into(),
            None,
        );
    } else if candidate.new_business {
        push(Rule::NewBusiness, Check::Passed, "new business".into(), None);
    } else {
        push(
            Rule::NewBusiness,
            Check::Failed,
            "the partner marked it existing business; the programme registers new business only".into(),
            Some("an opportunity with a customer new to these products".into()),
        );
    }

    // 2d. The qualification checklist.
    let q = &programme.qualification;
    let confirmed = crate::account::confirmed_count(programme, &candidate.qualification);
    let of = q.items.len();
    if q.to_approve == 0 {
        push(
            Rule::Qualification,
            Check::NotApplicable,
            format!("the programme asks for none of its {of} checklist items"),
            None,
        );
    } else if confirmed >= q.to_approve {
        push(
            Rule::Qualification,
            Check::Passed,
            format!("{confirmed} of {of} items confirmed; approval needs {}", q.to_approve),
            None,
        );
    } else {
        let missing = crate::account::missing_items(programme, &candidate.qualification);
        push(
            Rule::Qualification,
            if q.when_short == WhenShort::Reject { Check::Failed } else { Check::Review },
            format!(
                "{confirmed} of {of} items confirmed; approval needs {}. Not confirmed: {}",
                q.to_approve,
                missing.join(", ")
            ),
            Some(format!("{} more of: {}", q.to_approve - confirmed, missing.join(", "))),
        );
    }

    // 3. Named accounts. The candidate's customer is profiled once, for these and for 4 and 5.
    let profile = Profile::of(&candidate.customer);
    let named = programme
        .named_accounts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let m = match others.named.and_then(|n| n.get(i)) {
                Some(profiles) => match_named_profiles(matcher, &profile, profiles),
                None => match_named_account(matcher, &profile, a),
            };
            (a, m)
        })
        .max_by(|x, y| x.1.score.total_cmp(&y.1.score));
    match named {
        Some((account, m)) if m.verdict != Verdict::Different => push(
            Rule::NamedAccount,
            if m.verdict == Verdict::Same { Check::Failed } else { Check::Review },
            format!(
                "{} {} the named account {} ({})",
                candidate.customer.name,
                verb(m.verdict),
                account.name,
                evidence(&m)
            ),
            Some("a customer the vendor does not sell to directly".into()),
        ),
        _ => push(
            Rule::NamedAccount,
            Check::Passed,
            format!("matches none of the {} named accounts", programme.named_accounts.len()),
            None,
        ),
    }

    // 4 and 5. The same customer, registered before: by this partner, or by another.
    let lines: HashSet<&str> = programme.lines_of(&candidate.products).collect();
    let mask = programme.line_mask(&candidate.products);
    let overlaps = |pos: usize, r: &Registration| match (others.line_masks, mask) {
        (Some(masks), Some(mask)) => masks[pos] & mask != 0,
        _ => programme.lines_of(&r.products).any(|l| lines.contains(l)),
    };
    let mut duplicates = Vec::new();
    let mut conflicts = Vec::new();
    let sketch = Sketch::of(&profile);
    let prepared = (profile, sketch);
    // Who held the customer when this one was received, or awaits a decision now.
    let standing = |r: &Registration| r.held_at(received_at) || r.is_pending();
    // A lead the vendor routed to this partner comes first, where the programme says so:
    // from its offer, other partners' registrations of the customer give way.
    let lead_first = routed_lead(others.leads, candidate)
        .filter(|_| programme.lead_priority.first_in_conflicts)
        .and_then(|lead| Some((lead, lead.offer.as_ref()?.offered_at)));
    let mut gave_way = Vec::new();
    let all = 0..registrations.len();
    let positions: &mut dyn Iterator<Item = usize> = match others.nearby {
        Some(nearby) => &mut nearby.iter().copied(),
        None => &mut all.into_iter(),
    };
    for (pos, other) in
        positions.map(|pos| (pos, &registrations[pos])).filter(|(_, r)| r.id != candidate.id && standing(r))
    {
        let earlier = other.received_at.is_none_or(|t| t <= received_at);
        if !earlier || !overlaps(pos, other) {
            continue;
        }
        let m = match known {
            Some(known) => match matcher.against_known(&prepared, known, pos) {
                Some(m) => m,
                None => continue,
            },
            None => matcher.compare_profiles(&prepared.0, &Profile::of(&other.customer)),
        };
        if m.verdict == Verdict::Different {
            continue;
        }
        let finding = Finding {
            registration_id: other.id.clone(),
            partner_id: other.partner_id.clone(),
            customer: other.customer.name.clone(),
            status: other.status,
            held: other.held_at(received_at),
            received_at: other.received_at,
            protected_until: other.protected_until,
            matched: m,
        };
        if other.partner_id == candidate.partner_id {
            duplicates.push(finding);
        } else if lead_first.is_some_and(|(_, since)| other.received_at.is_some_and(|t| t >= since)) {
            gave_way.push(finding);
        } else {
            conflicts.push(finding);
        }
    }
    match duplicates.iter().find(|f| f.matched.verdict == Verdict::Same).or(duplicates.first()) {
        Some(d) => push(
            Rule::Duplicate,
            if d.matched.verdict == Verdict::Same { Check::Failed } else { Check::Review },
            format!(
                "{} {} your open registration {} of {}",
                candidate.customer.name,
                verb(d.matched.verdict),
                d.registration_id,
                d.customer
            ),
            Some(format!("update {} instead of registering the customer again", d.registration_id)),
        ),
        None => push(
            Rule::Duplicate,
            Check::Passed,
            "no open registration of yours for this customer".into(),
            None,
        ),
    }
    // A sure match with a protected registration rejects; a possible match, or
    // one still awaiting the vendor's decision, sends this one to review.
    crate::conflict::sort::sort_by(&mut conflicts, |a, b| a.received_at < b.received_at);
    let holds = |f: &&Finding| f.held && f.matched.verdict == Verdict::Same;
    match conflicts.iter().find(holds).or(conflicts.first()) {
        Some(first) => {
            let who =
                programme.partner(&first.partner_id).map_or(first.partner_id.as_str(), |p| p.name.as_str());
            let received = first.received_at.map_or("-".into(), |t| t.date_naive().to_string());
            let (standing, would_pass) = match first.protected_until.filter(|_| first.held) {
                Some(until) => (
                    format!("protected until {until}"),
                    format!("a customer no other partner holds, or this one after {until}"),
                ),
                None => (
                    "awaiting the vendor's decision".to_string(),
                    "a customer no other partner has registered".to_string(),
                ),
            };
            push(
                Rule::Conflict,
                if holds(&first) { Check::Failed } else { Check::Review },
                format!(
                    "{who} registered {} first ({}, received {received}, {standing}); {}",
                    first.customer,
                    first.registration_id,
                    evidence(&first.matched)
                ),
                Some(would_pass),
            );
        }
        None => match (gave_way.first(), lead_first) {
            (Some(after), Some((lead, since))) => push(
                Rule::Conflict,
                Check::Passed,
                format!(
                    "{} registered {} on {}, after the vendor offered lead {} to this partner on {}: the lead comes first",
                    programme.partner(&after.partner_id).map_or(after.partner_id.as_str(), |p| p.name.as_str()),
                    after.customer,
                    after.received_at.map_or("-".into(), |t| t.date_naive().to_string()),
                    lead.id,
                    since.date_naive()
                ),
                None,
            ),
            _ => push(Rule::Conflict, Check::Passed, "no other partner holds this customer".into(), None),
        },
    }

    // 5b. Leads: the vendor's assignments stand like registrations.
    let own_lead = lead_rule(programme, others, candidate, &prepared, matcher, &mut push);

    // 6. Auto-approval, with the lead priority for a lead the vendor routed to this partner.
    let priority = own_lead.and(programme.lead_priority.auto_approve_below);
    let limit = priority
        .map_or(programme.approval.auto_approve_below, |p| p.max(programme.approval.auto_approve_below));
    let why_limit = match (own_lead, priority) {
        (Some(lead), Some(_)) => format!(" for a lead the vendor routed to the partner ({})", lead.id),
        _ => String::new(),
    };
    match value {
        Some(v) if crate::money::minor(v, cur) >= crate::money::minor(limit, cur) => push(
            Rule::AutoApprove,
            Check::Review,
            format!(
                "{} is at or above the auto-approval limit {}{why_limit}: the vendor reviews it within {} business days",
                money(v, cur),
                money(limit, cur),
                programme.approval.review_sla_business_days
            ),
            Some(format!("a deal below {} is approved at once", money(limit, cur))),
        ),
        Some(v) => push(
            Rule::AutoApprove,
            Check::Passed,
            format!("{} is below the auto-approval limit {}{why_limit}", money(v, cur), money(limit, cur)),
            None,
        ),
        None => {
            push(Rule::AutoApprove, Check::NotApplicable, "no value in the programme currency".into(), None)
        }
    }

    // 7. Incentive and budget.
    // In minor units: the same sum in any order, compared to the cent.
    let committed = match others.committed {
        Some(c) => crate::money::minor(c, cur),
        None => crate::money::sum(
            registrations.iter().filter(|r| r.id != candidate.id).map(|r| r.commitment(received_at)),
            cur,
        ),
    };
    let budget = programme.incentive_budget.map(|total| Budget {
        total: crate::money::round(total, cur),
        committed: crate::money::amount(committed, cur),
        left: crate::money::amount((crate::money::minor(total, cur) - committed).max(0), cur),
    });
    let share = if conflicts.is_empty() { 1.0 } else { programme.conflict.second_registrant_share };
    let incentive = tier.zip(value).map(|(t, v)| Incentive {
        tier: t.name.clone(),
        tier_id: t.id.clone(),
        extra_discount_points: t.extra_discount_points,
        rebate_percent: t.rebate_percent,
        rebate: crate::money::amount(crate::money::product(&[v, t.rebate_percent], 2, cur), cur),
        bounty: t.bounty,
        share,
        cost: incentive_cost(v, t, share, cur),
    });
    match (&incentive, &budget) {
        (None, _) => {
            push(Rule::Budget, Check::NotApplicable, "no tier or value to price an incentive".into(), None)
        }
        (Some(i), None) => push(
            Rule::Budget,
            Check::NotApplicable,
            format!(
                "incentive {}; the vendor checks it against its budget when it receives the registration",
                money(i.cost, cur)
            ),
            None,
        ),
        (Some(i), Some(budget)) if !fits(i.cost, budget.left, cur) => push(
            Rule::Budget,
            Check::Review,
            format!(
                "the incentive {} would overspend the budget: {} left of {}",
                money(i.cost, cur),
                money(budget.left, cur),
                money(budget.total, cur)
            ),
            Some(format!("an incentive of at most {}", money(budget.left, cur))),
        ),
        (Some(i), Some(budget)) => push(
            Rule::Budget,
            Check::Passed,
            format!(
                "incentive {} ({}% rebate {} + bounty {}{}); {} of {} left after it",
                money(i.cost, cur),
                i.rebate_percent,
                money(i.rebate, cur),
                money(i.bounty, cur),
                if i.share < 1.0 { format!(", × {} as second registrant", i.share) } else { String::new() },
                money(
                    crate::money::amount(
                        crate::money::minor(budget.left, cur) - crate::money::minor(i.cost, cur),
                        cur
                    ),
                    cur
                ),
                money(budget.total, cur)
            ),
            None,
        ),
    }

    let failed = rules.iter().find(|r| r.check == Check::Failed);
    let review = rules.iter().find(|r| r.check == Check::Review);
    let (outcome, first) = match (failed, review) {
        (Some(f), _) => (Outcome::Rejected, Some(f)),
        (None, Some(r)) => (Outcome::InReview, Some(r)),
        (None, None) => (Outcome::Approved, None),
    };
    let protected_until =
        (outcome != Outcome::Rejected).then(|| day + Duration::days(i64::from(programme.protection_days)));
    let summary = match (outcome, first) {
        (Outcome::Approved, _) => {
            format!("Approved: protected until {}.", protected_until.map_or(String::new(), |d| d.to_string()))
        }
        (Outcome::Rejected, Some(f)) => format!("Rejected: {}.", f.detail),
        (Outcome::InReview, Some(r)) => format!("In review: {}.", r.detail),
        (_, None) => unreachable!("a rejection or review always has a rule"),
    };
    let review_due = (outcome == Outcome::InReview)
        .then(|| programme.approval.review_due(day, &candidate.customer.country));
    Decision {
        outcome,
        first_failure: first.map(|r| r.rule),
        summary,
        rules,
        currency: cur.clone(),
        value_in_programme_currency: value,
        received_at,
        protected_until,
        review_due,
        incentive: (outcome != Outcome::Rejected).then_some(incentive).flatten(),
        budget,
        conflicts,
        duplicates,
    }
}

impl Decision {
    /// What an approval on this decision grants, to keep on the registration.
    pub fn terms(&self) -> Option<crate::registration::Terms> {
        self.incentive.as_ref().map(|i| crate::registration::Terms {
            tier: i.tier_id.clone(),
            extra_discount_points: i.extra_discount_points,
            rebate_percent: i.rebate_percent,
            share: i.share,
        })
    }
}

/// Rule 5b. Returns the lead the candidate converts when the vendor routed it
/// to the candidate's partner and that partner accepted it.
/// The lead the candidate converts, if the vendor routed it to the
/// candidate's partner and the partner accepted it (or converted it into
/// this registration).
fn routed_lead<'a>(leads: &'a [Lead], candidate: &Registration) -> Option<&'a Lead> {
    let lead = leads.iter().find(|l| Some(l.id.as_str()) == candidate.lead_id.as_deref())?;
    let routed_to_me = lead.assigned_to.as_deref() == Some(candidate.partner_id.as_str())
        && (lead.registration_id.as_deref() == Some(candidate.id.as_str())
            || lead.offer_state() == Some(OfferState::Accepted));
    routed_to_me.then_some(lead)
}

fn lead_rule<'a>(
    programme: &Programme,
    others: &Others<'a>,
    candidate: &Registration,
    prepared: &(Profile, Sketch),
    matcher: &FuzzyMatcher,
    push: &mut impl FnMut(Rule, Check, String, Option<String>),
) -> Option<&'a Lead> {
    let leads = others.leads;
    let me = candidate.partner_id.as_str();
    let name = |id: &str| programme.partner(id).map_or(id.to_string(), |p| p.name.clone());
    if leads.is_empty() {
        push(Rule::LeadAssignment, Check::NotApplicable, "no leads on this desk".into(), None);
        return None;
    }
    let converts = candidate.lead_id.as_deref().and_then(|id| leads.iter().find(|l| l.id == id));
    if let Some(lead) = routed_lead(leads, candidate) {
        push(
            Rule::LeadAssignment,
            Check::Passed,
            format!("converts lead {} ({}), routed to {} by the vendor", lead.id, lead.company, name(me)),
            None,
        );
        return Some(lead);
    }
    // A lead of the same customer: declined by this partner, or with another one.
    let mut declined = None;
    let mut elsewhere = None;
    for (pos, lead) in leads.iter().enumerate() {
        if converts.is_some_and(|c| c.id == lead.id) && lead.assigned_to.as_deref() == Some(me) {
            continue;
        }
        let mine_declined = lead.declined_by.iter().any(|p| p == me);
        let held_elsewhere = lead.assigned_to.as_deref().is_some_and(|p| p != me && lead.held_by(p));
        if !(mine_declined || held_elsewhere) {
            continue;
        }
        let m = match others.lead_known {
            Some(known) => match matcher.against_known(prepared, known, pos) {
                Some(m) => m,
                None => continue,
            },
            None => matcher.compare_profiles(&prepared.0, &lead.profile()),
        };
        if m.verdict == Verdict::Different {
            continue;
        }
        let slot = if mine_declined { &mut declined } else { &mut elsewhere };
        if slot.as_ref().is_none_or(|(_, best): &(&Lead, Match)| m.score > best.score) {
            *slot = Some((lead, m));
        }
    }
    match (declined, elsewhere) {
        (Some((lead, m)), _) => push(
            Rule::LeadAssignment,
            if m.verdict == Verdict::Same { Check::Failed } else { Check::Review },
            format!(
                "{} {} lead {} ({}), which {} declined ({})",
                candidate.customer.name,
                verb(m.verdict),
                lead.id,
                lead.company,
                name(me),
                evidence(&m)
            ),
            Some("a customer whose lead you did not decline; ask the vendor to offer the lead again".into()),
        ),
        (None, Some((lead, m))) => {
            let holder = lead.assigned_to.as_deref().unwrap_or_default();
            let state = match lead.offer_state() {
                Some(OfferState::Offered) => "offered to",
                _ => "assigned to",
            };
            push(
                Rule::LeadAssignment,
                Check::Review,
                format!(
                    "{} {} lead {} ({}), {state} {} by the vendor ({})",
                    candidate.customer.name,
                    verb(m.verdict),
                    lead.id,
                    lead.company,
                    name(holder),
                    evidence(&m)
                ),
                Some("a customer whose lead is with no other partner".into()),
            )
        }
        (None, None) => push(
            Rule::LeadAssignment,
            Check::Passed,
            "no lead of this customer is with another partner or declined by this one".into(),
            None,
        ),
    }
    None
}

fn verb(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Same => "is",
        _ => "may be",
    }
}

fn evidence(m: &Match) -> String {
    m.summary()
}

/// `day` plus `n` working days (Monday to Friday).
pub fn add_business_days(day: NaiveDate, n: u32) -> NaiveDate {
    add_working_days(day, n, |_| false)
}

/// `day` plus `n` working days: Monday to Friday, less the days `off` says.
pub fn add_working_days(day: NaiveDate, n: u32, off: impl Fn(NaiveDate) -> bool) -> NaiveDate {
    let mut out = day;
    let mut left = n;
    // A calendar of holidays cannot stop it: at most 1,000 of them.
    while left > 0 {
        out += Duration::days(1);
        if !matches!(out.weekday(), Weekday::Sat | Weekday::Sun) && !off(out) {
            left -= 1;
        }
    }
    out
}

/// "4,200 EUR", "1,234.50 SEK": thousands separated, cents only when there are any.
/// What an approval commits of the budget: (value × rebate % + bounty) ×
/// the share, from the decimals as written, rounded once to the minor unit
/// (half away from zero). The sandbox prices incentives through it too.
pub fn incentive_cost(value: f64, tier: &crate::programme::Tier, share: f64, currency: &str) -> f64 {
    let minor = crate::money::sum_of_products(
        &[(&[value, tier.rebate_percent, share], 2), (&[tier.bounty, share], 0)],
        currency,
    );
    crate::money::amount(minor, currency)
}

/// Whether an incentive fits what is left of the budget, to the minor unit.
pub fn fits(cost: f64, left: f64, currency: &str) -> bool {
    crate::money::minor(cost, currency) <= crate::money::minor(left, currency)
}

pub fn money(value: f64, currency: &str) -> String {
    let cents = (value.abs() * 100.0).round() as u64;
    let (whole, frac) = (cents / 100, cents % 100);
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (idx, c) in digits.chars().enumerate() {
        if idx > 0 && (digits.len() - idx) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if value < 0.0 && cents > 0 { "-" } else { "" };
    if frac == 0 {
        format!("{sign}{grouped} {currency}")
    } else {
        format!("{sign}{grouped}.{frac:02} {currency}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(4200.0, "EUR"), "4,200 EUR");
        assert_eq!(money(1234567.5, "SEK"), "1,234,567.50 SEK");
        assert_eq!(money(0.0, "EUR"), "0 EUR");
        assert_eq!(money(-12.0, "EUR"), "-12 EUR");
        assert_eq!(money(999.999, "EUR"), "1,000 EUR");
    }

    #[test]
    fn business_days_skip_weekends() {
        let friday = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        assert_eq!(add_business_days(friday, 1), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(add_business_days(friday, 2), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert_eq!(add_business_days(friday, 0), friday);
    }
}
